//! Whether an endpoint authenticates its caller, looking past its own body: helpers it calls
//! in other files, router middleware registered before it or on the router that mounts it,
//! FastAPI router dependencies, Next.js `middleware.ts` matchers, Django settings; and the
//! Supabase gateway's `verify_jwt` setting.

use std::collections::{HashMap, HashSet};

use regex::Regex;

use super::model::{Endpoint, FileScan, Kind, NextMiddleware};
use super::words;
use crate::checks::{Repo, RepoFile};

/// An endpoint with its file.
#[derive(Clone, Copy)]
pub struct Site<'r> {
    pub file: &'r RepoFile,
    pub scan: &'r FileScan,
    pub endpoint: &'r Endpoint,
}

impl Site<'_> {
    /// What to call it in a message: `send-reminders (edge function)`, `GET /api/invoices/[id]`.
    pub fn label(&self) -> String {
        let e = self.endpoint;
        match (e.kind, &e.path, &e.method) {
            (Some(Kind::RouteHandler), Some(p), Some(m)) => format!("{m} {p}"),
            (Some(Kind::PagesApi), Some(p), _) => format!("API route {p}"),
            (Some(Kind::Serve), _, _) => format!("{} ({})", e.name, Kind::Serve.describe()),
            (Some(Kind::ServerAction), _, _) => format!("server action {}", e.name),
            (Some(Kind::View), _, _) => format!("view {}", e.name),
            _ => e.name.clone(),
        }
    }

    /// Names and paths a reader would use for this endpoint.
    pub fn names(&self) -> Vec<String> {
        let e = self.endpoint;
        let mut out = vec![e.name.clone()];
        out.extend(e.path.clone());
        if let Some(Kind::PythonRoute | Kind::View) = e.kind {
            if let Some(i) = e.name.rfind('(') {
                out.push(e.name[i + 1..].trim_end_matches(')').to_string());
            }
        }
        out
    }
}

/// How the caller is authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protection {
    pub by: String,
    /// An admin role or a shared secret, not just any signed-in user.
    pub strong: bool,
}

pub struct Index<'r> {
    pub repo: &'r Repo,
    pub sites: Vec<Site<'r>>,
    scans: HashMap<&'r str, &'r FileScan>,
    middleware: Vec<(&'r str, &'r NextMiddleware, bool)>,
    verify_jwt_off: HashSet<String>,
    settings_guard: Option<String>,
}

impl<'r> Index<'r> {
    pub fn new(repo: &'r Repo, scans: &'r [(&'r RepoFile, FileScan)]) -> Index<'r> {
        let by_path: HashMap<&str, &FileScan> =
            scans.iter().map(|(f, s)| (f.path.as_str(), s)).collect();
        let mut index = Index {
            repo,
            sites: Vec::new(),
            scans: by_path,
            middleware: Vec::new(),
            verify_jwt_off: verify_jwt_off(repo),
            settings_guard: scans.iter().find_map(|(_, s)| s.settings_guard.clone()),
        };
        for (file, scan) in scans {
            if file.roles.test {
                continue;
            }
            for endpoint in &scan.endpoints {
                index.sites.push(Site {
                    file,
                    scan,
                    endpoint,
                });
            }
            if let Some(mw) = &scan.middleware {
                let enforces = mw.enforces
                    || mw
                        .calls
                        .iter()
                        .any(|c| index.helper(&file.path, c, true).is_some());
                index.middleware.push((file.path.as_str(), mw, enforces));
            }
        }
        index
    }

    /// `name` is a function of `path` or of a file it imports that authenticates (`auth`) or
    /// touches data; returns that file.
    pub fn helper(&self, path: &str, name: &str, auth: bool) -> Option<&'r str> {
        let has = |p: &str| {
            self.scans.get(p).is_some_and(|s| {
                let list = if auth {
                    &s.auth_helpers
                } else {
                    &s.data_helpers
                };
                list.iter().any(|h| h == name)
            })
        };
        if has(path) {
            return self.repo.file(path).map(|f| f.path.as_str());
        }
        self.repo.imports_of(path).into_iter().find(|p| has(p))
    }

    /// Supabase `[functions.<name>] verify_jwt = false`.
    pub fn verify_jwt_off(&self, site: &Site) -> bool {
        site.endpoint.kind == Some(Kind::Serve) && self.verify_jwt_off.contains(&site.endpoint.name)
    }

    pub fn protection(&self, site: &Site) -> Option<Protection> {
        let e = site.endpoint;
        let path = site.file.path.as_str();
        let strong = |by: &str| {
            e.role_check
                || words::is_role_check_text(by)
                || by.to_ascii_lowercase().contains("admin")
        };
        if let Some(by) = e.auth.first() {
            return Some(Protection {
                by: by.clone(),
                strong: strong(by),
            });
        }
        for c in &e.calls {
            if let Some(p) = self.helper(path, c, true) {
                let by = if p == path {
                    format!("{c}()")
                } else {
                    format!("{c}() from {p}")
                };
                return Some(Protection {
                    strong: strong(&by),
                    by,
                });
            }
        }
        if let Some(g) = site
            .scan
            .guards
            .iter()
            .find(|g| covers(g.receiver.as_str(), g.prefix.as_deref(), g.line, e))
        {
            return Some(Protection {
                by: format!("{} on {} (line {})", g.by, g.receiver, g.line),
                strong: strong(&g.by),
            });
        }
        if let Some(by) = self.mounted_behind(site) {
            return Some(Protection {
                strong: strong(&by),
                by,
            });
        }
        if let (Some(Kind::RouteHandler | Kind::PagesApi), Some(url)) = (e.kind, &e.path) {
            for (mw_path, mw, enforces) in &self.middleware {
                if *enforces && middleware_covers(mw, url) {
                    return Some(Protection {
                        by: format!("{mw_path} (its matcher covers {url})"),
                        strong: false,
                    });
                }
            }
        }
        if let Some(g) = &self.settings_guard {
            let django = matches!(e.kind, Some(Kind::View | Kind::PythonRoute))
                && site.file.lang == crate::lang::Lang::Python;
            let drf = e.kind == Some(Kind::View)
                || e.auth.iter().any(|a| a.contains("permission_classes"));
            if django && e.public_marker.is_none() && (g.contains("LoginRequiredMiddleware") || drf)
            {
                return Some(Protection {
                    by: format!("settings: {g}"),
                    strong: false,
                });
            }
        }
        None
    }

    /// The file is mounted by another with auth middleware before it
    /// (`app.use("/api", requireAuth, router)`, `include_router(r, dependencies=[…])`).
    fn mounted_behind(&self, site: &Site) -> Option<String> {
        let path = site.file.path.as_str();
        // By module path, not import edges: `from app.routers import invoices` is an edge to
        // the package, not to the module it names.
        for (importer, scan) in self.scans.iter().filter(|(_, s)| !s.mounts.is_empty()) {
            let importer = *importer;
            for m in &scan.mounts {
                if !mount_targets(m.source.as_deref(), &m.target, path) {
                    continue;
                }
                if let Some(g) = &m.guard {
                    return Some(format!("{g} where {importer} mounts it (line {})", m.line));
                }
                let before = Endpoint {
                    path: m.prefix.clone(),
                    receiver: Some(m.receiver.clone()),
                    head: m.line,
                    ..Endpoint::default()
                };
                if let Some(g) = scan
                    .guards
                    .iter()
                    .find(|g| covers(&g.receiver, g.prefix.as_deref(), g.line, &before))
                {
                    return Some(format!(
                        "{} in {importer} (line {}) before it mounts this router",
                        g.by, g.line
                    ));
                }
            }
        }
        None
    }

    /// The endpoint's queries run as the caller (a client built from their token or cookies)
    /// and none goes through a service-role client: row-level security decides what they see.
    pub fn runs_as_caller(&self, site: &Site) -> bool {
        let e = site.endpoint;
        e.user_client && !e.data.iter().any(|d| self.privileged(site, &d.client))
    }

    /// `client` holds the service-role key: built so here, or imported from a file that does.
    pub fn privileged(&self, site: &Site, client: &str) -> bool {
        if site
            .scan
            .clients
            .iter()
            .any(|c| c.name == client && c.privileged)
        {
            return true;
        }
        if site.scan.clients.iter().any(|c| c.name == client) {
            return false;
        }
        let imported = self
            .repo
            .imports_of(&site.file.path)
            .into_iter()
            .filter_map(|p| self.scans.get(p))
            .flat_map(|s| s.clients.iter())
            .find(|c| c.name == client);
        match imported {
            Some(c) => c.privileged,
            None => {
                let t = words::tokens(client);
                t.iter().any(|w| matches!(w.as_str(), "admin" | "service"))
            }
        }
    }

    /// What the endpoint reads or writes, its own queries first, then helpers it calls.
    pub fn data(&self, site: &Site) -> Vec<String> {
        let e = site.endpoint;
        let mut out: Vec<String> = Vec::new();
        for d in &e.data {
            let via = if self.privileged(site, &d.client) {
                format!(" through {} (service role)", d.client)
            } else {
                format!(" through {}", d.client)
            };
            let what = if d.what.contains(' ') {
                d.what.clone()
            } else {
                format!("{} {}", if d.write { "writes" } else { "reads" }, d.what)
            };
            let s = format!("{what}{via} (line {})", d.line);
            if !out.contains(&s) {
                out.push(s);
            }
        }
        for c in &e.calls {
            if let Some(p) = self.helper(&site.file.path, c, false) {
                out.push(format!("calls {c}() from {p}, which queries the database"));
            }
        }
        out
    }

    pub fn writes(&self, site: &Site) -> bool {
        site.endpoint.data.iter().any(|d| d.write)
    }
}

/// A guard registered on `receiver` before `line` (under `prefix`) covers the endpoint.
fn covers(receiver: &str, prefix: Option<&str>, line: u32, e: &Endpoint) -> bool {
    if e.receiver.as_deref() != Some(receiver) || line > e.head {
        return false;
    }
    match (prefix, e.path.as_deref()) {
        (None, _) => true,
        (Some(p), Some(path)) => {
            let p = p.trim_end_matches('*').trim_end_matches('/');
            p.is_empty() || path == p || path.starts_with(&format!("{p}/"))
        }
        (Some(_), None) => false,
    }
}

/// `./routes/invoices` (or Python `app.routers.invoices`) names the file `path`.
fn mount_targets(source: Option<&str>, target: &str, path: &str) -> bool {
    let without_ext = path.rsplit_once('.').map_or(path, |(p, _)| p);
    let without_index = without_ext.strip_suffix("/index").unwrap_or(without_ext);
    let Some(source) = source else { return false };
    let spec = if source.contains('/') || source.starts_with('.') {
        source
            .trim_start_matches("./")
            .trim_start_matches("../")
            .trim_start_matches("@/")
            .trim_start_matches("~/")
            .to_string()
    } else {
        source.replace('.', "/")
    };
    let spec = spec
        .rsplit_once('.')
        .filter(|(_, e)| matches!(*e, "js" | "ts" | "mjs"))
        .map_or(spec.as_str(), |(s, _)| s)
        .to_string();
    let _ = target;
    let ends = |p: &str| p == spec || p.ends_with(&format!("/{spec}"));
    !spec.is_empty() && (ends(without_index) || ends(without_ext))
}

fn verify_jwt_off(repo: &Repo) -> HashSet<String> {
    let mut out = HashSet::new();
    for f in repo
        .files
        .iter()
        .filter(|f| f.path.ends_with("supabase/config.toml"))
    {
        let Some(text) = repo.content(&f.path) else {
            continue;
        };
        let Ok(value) = text.parse::<toml::Table>() else {
            continue;
        };
        if let Some(functions) = value.get("functions").and_then(|v| v.as_table()) {
            for (name, cfg) in functions {
                if cfg.get("verify_jwt").and_then(|v| v.as_bool()) == Some(false) {
                    out.insert(name.clone());
                }
            }
        }
    }
    out
}

/// Whether the middleware runs on `url` and turns anonymous callers away there.
pub fn middleware_covers(mw: &NextMiddleware, url: &str) -> bool {
    let sample = sample_path(url);
    let matched = mw.matchers.is_empty() || mw.matchers.iter().any(|m| path_matches(m, &sample));
    matched
        && !mw
            .public
            .iter()
            .any(|p| path_matches(p, &sample) || prefix_of(p, &sample))
        && (mw.protected.is_empty()
            || mw
                .protected
                .iter()
                .any(|p| path_matches(p, &sample) || prefix_of(p, &sample)))
}

fn prefix_of(prefix: &str, path: &str) -> bool {
    let p = prefix.trim_end_matches('/');
    !p.is_empty()
        && !prefix.contains(['(', ':', '*'])
        && (path == p || path.starts_with(&format!("{p}/")))
}

/// A concrete path for a route with dynamic segments (`/api/x/[id]` → `/api/x/x1`).
fn sample_path(url: &str) -> String {
    url.split('/')
        .map(|s| {
            if s.starts_with("[[...") || s.starts_with("[...") {
                "a/b"
            } else if s.starts_with('[') {
                "x1"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Next.js / path-to-regexp matcher semantics: `:name`, `:name*`, `:name+`, `:name?`, raw
/// regex groups, and `(?!…)` negative lookaheads (checked by hand: Rust's regex has none).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let mut re = String::from("^");
    let mut lookaheads: Vec<String> = Vec::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ':'
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '_')
        {
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let mut segment = "[^/]+".to_string();
            if chars.get(i) == Some(&'(') {
                let (group, next) = balanced(&chars, i);
                segment = group;
                i = next;
            }
            let slash = re.ends_with('/');
            if slash {
                re.pop();
            }
            let lead = if slash { "/" } else { "" };
            match chars.get(i) {
                Some('*') => {
                    re.push_str(&format!("(?:{lead}{segment})*"));
                    i += 1;
                }
                Some('+') => {
                    re.push_str(&format!("(?:{lead}{segment})+"));
                    i += 1;
                }
                Some('?') => {
                    re.push_str(&format!("(?:{lead}{segment})?"));
                    i += 1;
                }
                _ => re.push_str(&format!("{lead}{segment}")),
            }
            continue;
        }
        if c == '(' {
            let (group, next) = balanced(&chars, i);
            re.push_str(&lift_lookaheads(&group, &mut lookaheads));
            i = next;
            continue;
        }
        if c == '*' {
            re.push_str(".*");
        } else if "\\.+?^$|{}[]".contains(c) {
            re.push('\\');
            re.push(c);
        } else {
            re.push(c);
        }
        i += 1;
    }
    re.push_str("/?$");
    let Ok(compiled) = Regex::new(&re) else {
        return false;
    };
    let Some(caps) = compiled.captures(path) else {
        return false;
    };
    lookaheads.iter().enumerate().all(|(n, alts)| {
        let Some(at) = caps.name(&format!("la{n}")) else {
            return true;
        };
        let Ok(la) = Regex::new(&format!("^(?:{alts})")) else {
            return true;
        };
        !la.is_match(&path[at.start()..])
    })
}

/// The group starting at `chars[start] == '('` and the index after it.
fn balanced(chars: &[char], start: usize) -> (String, usize) {
    let mut depth = 0;
    let mut i = start;
    let mut out = String::new();
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        if c == '\\' {
            if let Some(n) = chars.get(i + 1) {
                out.push(*n);
                i += 2;
                continue;
            }
        }
        if c == '(' {
            depth += 1;
        } else if c == ')' {
            depth -= 1;
            if depth == 0 {
                return (out, i + 1);
            }
        }
        i += 1;
    }
    (out, i)
}

/// Replaces each `(?!alts)` in a raw group by an empty named group whose position is checked
/// against `alts` after the match.
fn lift_lookaheads(group: &str, lookaheads: &mut Vec<String>) -> String {
    let mut out = String::new();
    let mut rest = group;
    while let Some(i) = rest.find("(?!") {
        out.push_str(&rest[..i]);
        let chars: Vec<char> = rest[i..].chars().collect();
        let (la, next) = balanced(&chars, 0);
        let alts = &la[3..la.len() - 1];
        out.push_str(&format!("(?P<la{}>)", lookaheads.len()));
        lookaheads.push(alts.to_string());
        let consumed: usize = chars[..next].iter().map(|c| c.len_utf8()).sum();
        rest = &rest[i + consumed..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_matchers() {
        assert!(path_matches("/dashboard/:path*", "/dashboard"));
        assert!(path_matches("/dashboard/:path*", "/dashboard/a/b"));
        assert!(!path_matches("/dashboard/:path*", "/api/x"));
        assert!(path_matches("/api/:path*", "/api/invoices/x1"));
        let clerk = "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)";
        assert!(path_matches(clerk, "/api/invoices/x1"));
        let classic = "/((?!api|_next/static|_next/image|favicon.ico).*)";
        assert!(path_matches(classic, "/dashboard"));
        assert!(!path_matches(classic, "/api/invoices"));
        assert!(path_matches("/(api|trpc)(.*)", "/api/invoices"));
        assert!(path_matches("/dashboard(.*)", "/dashboard/settings"));
        assert!(!path_matches("/dashboard(.*)", "/api/x"));
    }

    #[test]
    fn middleware_lists() {
        let mw = NextMiddleware {
            enforces: true,
            public: vec!["/api/webhooks(.*)".into(), "/sign-in(.*)".into()],
            ..NextMiddleware::default()
        };
        assert!(middleware_covers(&mw, "/api/invoices/[id]"));
        assert!(!middleware_covers(&mw, "/api/webhooks/stripe"));
        let only = NextMiddleware {
            enforces: true,
            matchers: vec!["/dashboard/:path*".into()],
            ..NextMiddleware::default()
        };
        assert!(!middleware_covers(&only, "/api/invoices"));
    }

    #[test]
    fn mounts_resolve_to_files() {
        assert!(mount_targets(
            Some("./routes/invoices"),
            "invoicesRouter",
            "src/routes/invoices.ts"
        ));
        assert!(mount_targets(
            Some("./routes"),
            "routes",
            "src/routes/index.ts"
        ));
        assert!(mount_targets(
            Some("app.routers.invoices"),
            "invoices.router",
            "app/routers/invoices.py"
        ));
        assert!(!mount_targets(
            Some("./routes/users"),
            "u",
            "src/routes/invoices.ts"
        ));
    }
}
