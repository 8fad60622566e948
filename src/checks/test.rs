//! TEST detectors: load-bearing modules and top hotspots that no test exercises. See the
//! catalogue (`queries/catalogue/test.toml`) for what each item means.
//!
//! A module is exercised when a test file reaches it through imports (directly or through
//! other modules), or when a test calls its route over HTTP or through
//! `supabase.functions.invoke` (then what the route imports is exercised too).

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use super::repo::{Repo, RepoFile};
use super::roles::{EntryKind, AUTH_CALLS};
use super::source::SourceFile;
use super::{keep, Confidence, Detector, Draft};

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(Untested)]
}

const NAME: &str = "test-targets";

/// Payment SDKs whose server-side use moves money.
const PAYMENT_SDKS: [&str; 7] = [
    "stripe",
    "braintree",
    "@paddle/paddle-node-sdk",
    "@lemonsqueezy/lemonsqueezy.js",
    "@paypal/checkout-server-sdk",
    "square",
    "razorpay",
];

/// What a test file calls by name: URL paths and edge function names.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Targets {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    urls: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    functions: BTreeSet<String>,
}

struct Untested;

impl Detector for Untested {
    fn name(&self) -> &'static str {
        NAME
    }

    fn items(&self) -> &'static [&'static str] {
        &["TEST-CRITICAL", "TEST-HOTSPOT"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if !file.is_test() {
            return None;
        }
        let mut t = Targets::default();
        for m in file.matches("test_targets") {
            if let Some(n) = m.get("function") {
                t.functions.insert(file.text_of(n).to_string());
            } else if let Some(n) = m.get("text") {
                if let Some(url) = url_path(file.text_of(n)) {
                    if t.urls.len() < 200 {
                        t.urls.insert(url);
                    }
                }
            }
        }
        let empty = t.urls.is_empty() && t.functions.is_empty();
        keep(&t, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let tests: Vec<&RepoFile> = repo
            .files
            .iter()
            .filter(|f| f.roles.test && f.lang.is_parsed())
            .collect();
        let exercised = Exercised::of(repo, &tests);
        let mut searched = vec![format!(
            "imports from the {} test files, followed through every module they import",
            tests.len()
        )];
        searched.push("route URLs and supabase.functions.invoke names called in test files".into());
        let e2e = tests.iter().any(|f| is_e2e(&f.path));
        let none_note = if tests.is_empty() {
            Some("the repository has no test files at all")
        } else {
            None
        };

        for file in &repo.files {
            let Some(why) = load_bearing_module(repo, file) else {
                continue;
            };
            // A client constructor has nothing to test; a page's direct writes are ARCH-LAYER
            // findings, to be moved behind a server function and tested there.
            let only_privileged = Weight {
                privileged: false,
                ..why.clone()
            } == Weight::default();
            if only_privileged || super::arch::is_view(file) || exercised.contains(&file.path) {
                continue;
            }
            let mut d = Draft::new(
                "TEST-CRITICAL",
                &file.path,
                0,
                0,
                format!(
                    "{} {}, and no test exercises it: no test file imports it, directly or through other modules{}.",
                    file.path,
                    why.describe(),
                    if file.roles.entry.is_some_and(EntryKind::is_server) { ", or calls its route" } else { "" }
                ),
            )
            .confidence(if e2e && file.roles.entry.is_some() { Confidence::Low } else { Confidence::High })
            .anchor(format!("untested {}", file.path))
            .fact(format!("load-bearing because it {}", why.describe()))
            .fact(exercised.summary(repo));
            if let Some(n) = none_note {
                d = d.fact(n);
            }
            if e2e {
                d = d.fact(
                    "end-to-end tests exist; they may exercise this code without importing it",
                );
            }
            d.searched = searched.clone();
            d.money |= why.money;
            d.auth |= why.auth;
            d.data_write |= why.write;
            out.push(d);
        }

        // The top hotspots: changed often and complex.
        let mut ranked: Vec<(&RepoFile, u32)> = repo
            .files
            .iter()
            .filter(|f| !f.roles.test && f.lang.is_parsed() && !is_tooling(&f.path))
            .filter_map(|f| repo.metrics(&f.path).hotspot_rank.map(|r| (f, r)))
            .collect();
        ranked.sort_by_key(|(f, r)| (*r, f.path.clone()));
        let top = top_hotspot_count(ranked.len());
        // A file changed once or twice is not hot, however complex.
        let hot = ranked
            .into_iter()
            .filter(|(f, _)| repo.metrics(&f.path).revisions_in_window >= HOT_REVISIONS);
        for (file, rank) in hot.take(top) {
            if exercised.contains(&file.path) {
                continue;
            }
            let m = repo.metrics(&file.path);
            let mut d = Draft::new(
                "TEST-HOTSPOT",
                &file.path,
                0,
                0,
                format!(
                    "{} is hotspot number {rank} of the repository ({} commits in the last year, complexity {}) and no test exercises it.",
                    file.path,
                    m.revisions_in_window,
                    file.complexity
                ),
            )
            .confidence(Confidence::High)
            .anchor(format!("untested hotspot {}", file.path))
            .fact("hotspots rank files by commits in the last year × complexity")
            .fact(format!("{} commits in the window, {} lines changed", m.revisions_in_window, m.churn))
            .fact(exercised.summary(repo));
            if let Some(n) = none_note {
                d = d.fact(n);
            }
            d.searched = searched.clone();
            out.push(d);
        }
    }
}

/// Commits in the window below which a file is not a hotspot.
const HOT_REVISIONS: u32 = 3;

/// How many of the ranked files are "the top hotspots": one in twenty, at least three, at
/// most the class rule's top.
fn top_hotspot_count(ranked: usize) -> usize {
    ranked
        .div_ceil(20)
        .clamp(3, super::classify::TOP_HOTSPOTS as usize)
        .min(ranked)
}

/// Build and tool configuration: changes often, has no behaviour a test would pin.
fn is_tooling(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.contains(".config.") || name.ends_with(".d.ts") || name.starts_with("setup.")
}

fn is_e2e(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    ["e2e/", "cypress/", "playwright/"]
        .iter()
        .any(|d| lower.starts_with(d) || lower.contains(&format!("/{d}")))
        || lower.contains(".e2e.")
}

/// The files the tests exercise.
struct Exercised {
    files: HashSet<String>,
    tests: usize,
    by_route: usize,
}

impl Exercised {
    fn of(repo: &Repo, tests: &[&RepoFile]) -> Exercised {
        let targets: Vec<Targets> = tests
            .iter()
            .filter_map(|t| repo.facts_of::<Targets>(NAME, &t.path))
            .collect();
        let urls: Vec<Vec<String>> = targets
            .iter()
            .flat_map(|t| t.urls.iter())
            .map(|u| segments(u))
            .collect();
        let functions: HashSet<&str> = targets
            .iter()
            .flat_map(|t| t.functions.iter().map(String::as_str))
            .collect();
        let routed: Vec<&str> = repo
            .files
            .iter()
            .filter(|f| f.roles.entry.is_some_and(EntryKind::is_server))
            .filter(|f| {
                route_of(&f.path).is_some_and(|route| {
                    let function = route.function.as_deref();
                    function.is_some_and(|n| functions.contains(n))
                        || urls.iter().any(|u| route_matches(&route.segments, u))
                })
            })
            .map(|f| f.path.as_str())
            .collect();
        let mut starts: Vec<&str> = tests.iter().map(|t| t.path.as_str()).collect();
        starts.extend(&routed);
        Exercised {
            files: repo
                .reachable_from(starts)
                .into_iter()
                .map(str::to_string)
                .collect(),
            tests: tests.len(),
            by_route: routed.len(),
        }
    }

    fn contains(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    fn summary(&self, repo: &Repo) -> String {
        let code = repo
            .files
            .iter()
            .filter(|f| f.lang.is_parsed() && !f.roles.test)
            .count();
        let reached = repo
            .files
            .iter()
            .filter(|f| f.lang.is_parsed() && !f.roles.test && self.files.contains(&f.path))
            .count();
        format!(
            "{} test files exercise {reached} of {code} source files{}",
            self.tests,
            if self.by_route > 0 {
                format!(" ({} routes called over HTTP)", self.by_route)
            } else {
                String::new()
            }
        )
    }
}

/// Why a file is load-bearing by what its code does (not by its name).
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Weight {
    pub entry: Option<EntryKind>,
    pub money: bool,
    pub auth: bool,
    pub write: bool,
    pub privileged: bool,
}

impl Weight {
    /// "answers requests (an edge function) and writes customer data".
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(kind) = self.entry {
            let article = if kind.as_str().starts_with(['a', 'e', 'A', 'E']) {
                "an"
            } else {
                "a"
            };
            parts.push(format!("answers requests as {article} {}", kind.as_str()));
        }
        if self.money {
            parts.push("moves money".into());
        }
        if self.write {
            parts.push("writes customer data".into());
        }
        if self.auth {
            parts.push("decides who the caller is".into());
        }
        if self.privileged {
            parts.push(
                "holds privileged access (a service-role or secret key, or an admin SDK)".into(),
            );
        }
        match parts.len() {
            0 => String::new(),
            1 => parts.remove(0),
            _ => {
                let last = parts.pop().unwrap_or_default();
                format!("{} and {last}", parts.join(", "))
            }
        }
    }
}

/// Whether a production source file is load-bearing by what its code does: it answers
/// requests on a server, writes through a data client, moves money with a payment SDK on the
/// server, verifies who the caller is, or holds a privileged (service-role) client. A name
/// alone ("InvoiceBadge") does not make a file load-bearing.
pub(super) fn load_bearing_module(repo: &Repo, file: &RepoFile) -> Option<Weight> {
    if file.roles.test || !file.lang.is_parsed() || file.roles.migration || is_tooling(&file.path) {
        return None;
    }
    let r = &file.roles;
    let server = r.server && !r.client;
    let w = Weight {
        entry: r.entry.filter(|e| e.is_server()),
        money: server
            && (repo
                .external_of(&file.path)
                .iter()
                .any(|p| PAYMENT_SDKS.contains(&p.as_str()))
                || (r.money && r.data_write)),
        auth: AUTH_CALLS.iter().any(|c| file.traits.calls_ending(c)),
        write: r.data_write,
        privileged: super::arch::is_privileged(repo, &file.path),
    };
    (w != Weight::default()).then_some(w)
}

/// The path of a URL or path literal a test calls: `/api/orders/1?x` → `/api/orders/1`;
/// template interpolations become `:param`.
fn url_path(text: &str) -> Option<String> {
    let t = text.trim().trim_matches('`');
    let t = match t.find("://") {
        Some(i) => {
            let rest = &t[i + 3..];
            &rest[rest.find('/')?..]
        }
        None if t.starts_with("${") => &t[t.find('}')? + 1..],
        None => t,
    };
    if !t.starts_with('/') || t.len() < 2 || t.len() > 200 || t.contains(char::is_whitespace) {
        return None;
    }
    let mut out = String::new();
    let mut rest = t.split(['?', '#']).next().unwrap_or(t);
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        out.push_str(":param");
        rest = rest[i..].find('}').map_or("", |j| &rest[i + j + 1..]);
    }
    out.push_str(rest);
    Some(out.trim_end_matches('/').to_string()).filter(|s| !s.is_empty())
}

fn segments(url: &str) -> Vec<String> {
    url.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The route an entry file answers: its URL segments (`[id]` and `:id` are parameters) and,
/// for a Supabase edge function, its function name.
struct Route {
    segments: Vec<String>,
    function: Option<String>,
}

fn route_of(path: &str) -> Option<Route> {
    let parts: Vec<&str> = path.split('/').collect();
    if let Some(i) = parts.iter().position(|p| *p == "functions") {
        if i > 0 && parts[i - 1] == "supabase" && parts.len() > i + 2 {
            let name = parts[i + 1].to_string();
            return Some(Route {
                segments: vec!["functions".into(), "v1".into(), name.clone()],
                function: Some(name),
            });
        }
    }
    if let Some(i) = parts.iter().position(|p| *p == "app") {
        let stem = parts.last()?.split('.').next()?;
        if stem == "route" {
            let segments = parts[i + 1..parts.len() - 1]
                .iter()
                .filter(|s| !(s.starts_with('(') && s.ends_with(')')))
                .map(|s| s.to_string())
                .collect();
            return Some(Route {
                segments,
                function: None,
            });
        }
    }
    if let Some(i) = parts.iter().position(|p| *p == "pages") {
        if parts.get(i + 1) == Some(&"api") {
            let mut segments: Vec<String> = parts[i + 1..].iter().map(|s| s.to_string()).collect();
            let last = segments.pop()?;
            let stem = last.split('.').next().unwrap_or(&last).to_string();
            if stem != "index" {
                segments.push(stem);
            }
            return Some(Route {
                segments,
                function: None,
            });
        }
    }
    None
}

fn route_matches(route: &[String], url: &[String]) -> bool {
    let param = |s: &str| s.starts_with('[') || s.starts_with(':') || s.starts_with('{');
    // Catch-all segments (`[...slug]`) take the rest.
    if let Some(i) = route
        .iter()
        .position(|s| s.starts_with("[...") || s.starts_with("[[..."))
    {
        return url.len() >= i
            && route[..i]
                .iter()
                .zip(url)
                .all(|(r, u)| r == u || param(r) || param(u));
    }
    route.len() == url.len()
        && !route.is_empty()
        && route
            .iter()
            .zip(url)
            .all(|(r, u)| r == u || param(r) || param(u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_hosts_queries_and_interpolations() {
        assert_eq!(
            url_path("/api/orders/1?x=2").as_deref(),
            Some("/api/orders/1")
        );
        assert_eq!(
            url_path("`/api/orders/${order.id}/refund`").as_deref(),
            Some("/api/orders/:param/refund")
        );
        assert_eq!(
            url_path("http://localhost:54321/functions/v1/stripe-webhook").as_deref(),
            Some("/functions/v1/stripe-webhook")
        );
        assert_eq!(
            url_path("`${BASE}/functions/v1/create-checkout`").as_deref(),
            Some("/functions/v1/create-checkout")
        );
        assert_eq!(url_path("hello world"), None);
        assert_eq!(url_path("/"), None);
    }

    #[test]
    fn routes_follow_the_file_conventions() {
        let r = route_of("supabase/functions/stripe-webhook/index.ts").unwrap();
        assert_eq!(r.function.as_deref(), Some("stripe-webhook"));
        assert!(route_matches(
            &r.segments,
            &segments("/functions/v1/stripe-webhook")
        ));
        let r = route_of("app/(shop)/api/orders/[id]/route.ts").unwrap();
        assert!(route_matches(&r.segments, &segments("/api/orders/:param")));
        assert!(route_matches(&r.segments, &segments("/api/orders/42")));
        assert!(!route_matches(&r.segments, &segments("/api/orders")));
        let r = route_of("src/pages/api/checkout/index.ts").unwrap();
        assert!(route_matches(&r.segments, &segments("/api/checkout")));
        assert!(route_of("src/lib/pricing.ts").is_none());
    }

    #[test]
    fn the_top_hotspots_are_one_in_twenty_within_bounds() {
        assert_eq!(top_hotspot_count(2), 2);
        assert_eq!(top_hotspot_count(50), 3);
        assert_eq!(top_hotspot_count(120), 6);
        assert_eq!(top_hotspot_count(4000), 10);
    }
}
