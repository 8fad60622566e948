//! SEC-SECRETS: secrets committed to the repository, in the working tree and in git history.
//!
//! The scan runs the patterns of `queries/secrets.toml` over every file Plumb reads (parsed or
//! text-only: `.env`, JSON, YAML, config) and keeps each credential-looking value as a masked
//! form plus a digest, never the value. The check adds the history ([`super::history`]): a
//! secret found there but no longer in the tree is reported with the commit that added it,
//! because every clone still holds it and only rotation helps.
//!
//! Not reported: placeholders (`plumb::redact::is_placeholder`), publishable keys
//! (`pk_live_`), providers' documented example keys, Supabase `anon` JWTs (the payload's
//! `role`) and local-development defaults (Supabase's `supabase-demo` keys, passwords of
//! connection strings to localhost); in test files only live provider keys are reported.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::super::{keep, Class, Confidence, Detector, Draft, Repo, Severity, SourceFile};
use super::history::{self, Limits, Secret};
use crate::checks::model::{Excerpt, Related};
use crate::checks::source::is_test_path;
use crate::redact::{self, Found};

pub(super) const NAME: &str = "sec-secrets";
const ITEM: &str = "SEC-SECRETS";

pub(super) struct Secrets;

/// What kind of credential a hit is: decides severity and wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Kind {
    /// A provider's live key (sk_live_, AKIA…, a private key).
    Live,
    /// A provider's test-mode key (sk_test_): no real money, but still a credential.
    TestMode,
    /// A Supabase service-role (or admin) JWT: bypasses row-level security.
    ServiceRole,
    /// Another signed token.
    Token,
    /// A high-entropy value assigned to a secret-sounding name, or a connection-string password.
    Generic,
}

/// One secret in one file, as the scan keeps it: masked, never whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Hit {
    pub line: u32,
    pub pattern: String,
    pub masked: String,
    /// A digest of the value, to recognise it in history and elsewhere.
    pub digest: String,
    pub kind: Kind,
    /// The variable or key it is assigned to, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Detector for Secrets {
    fn name(&self) -> &'static str {
        NAME
    }

    fn items(&self) -> &'static [&'static str] {
        &[ITEM]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if !redact::might_contain_secret(file.text.as_bytes()) {
            return None;
        }
        let hits: Vec<Hit> = redact::find(file.text)
            .iter()
            .filter_map(|f| assess(file.path, file.text, f))
            .collect();
        keep(&hits, hits.is_empty())
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let tree: Vec<(String, Vec<Hit>)> = repo
            .facts::<Vec<Hit>>(NAME)
            .into_iter()
            .map(|(f, hits)| (f.path.clone(), hits))
            .collect();
        let scan = repo.root.as_ref().map(|root| {
            history::scan(root, &Limits::default(), &|path, text, f| {
                assess(path, text, f).map(|h| (h.digest.clone(), h))
            })
        });
        let in_history: HashMap<&str, &Secret<Hit>> = scan
            .iter()
            .flat_map(|s| &s.secrets)
            .map(|s| (s.first().hit.digest.as_str(), s))
            .collect();
        let searched = scan.as_ref().map(|s| s.stats.describe());

        let mut in_tree: HashSet<&str> = HashSet::new();
        for (path, hits) in &tree {
            for hit in hits {
                in_tree.insert(&hit.digest);
                let mut d = draft(path, hit.line, hit, &format!("is committed in {path}"));
                match in_history.get(hit.digest.as_str()) {
                    Some(secret) => {
                        let first = secret.first();
                        d = d.fact(format!(
                            "in the git history since commit {} ({})",
                            first.commit.describe(),
                            first.path
                        ));
                    }
                    None if scan.as_ref().is_some_and(|s| s.stats.unreadable.is_none()) => {
                        d = d.fact("not in any commit yet: only in the working tree");
                    }
                    None => {}
                }
                if let Some(s) = &searched {
                    d = d.searched(s.clone());
                }
                out.push(d);
            }
        }

        for secret in scan.iter().flat_map(|s| &s.secrets) {
            let first = secret.first();
            if in_tree.contains(first.hit.digest.as_str()) {
                continue;
            }
            let mut d = match secret.in_head() {
                // Tracked in HEAD, but the walk did not read the file (ignored, too large…).
                Some(head) => {
                    let path = head.head_path.clone().unwrap_or_else(|| head.path.clone());
                    draft(
                        &path,
                        head.line,
                        &head.hit,
                        &format!(
                            "is in {path} in HEAD (a tracked file the index skipped), committed in {}",
                            first.commit.describe()
                        ),
                    )
                }
                None => {
                    let last = secret.sightings.last().expect("a secret has a sighting");
                    let removed = secret
                        .removed_in
                        .as_ref()
                        .map(|c| format!(" and removed in {}", c.describe()))
                        .unwrap_or_default();
                    let mut d = draft(
                        &last.path,
                        0,
                        &first.hit,
                        &format!(
                            "was committed in {}{removed}: it is gone from the tree but still in the git history every clone holds, so it must be rotated",
                            first.commit.describe()
                        ),
                    );
                    d.line = 0;
                    d.end_line = 0;
                    d
                }
            };
            d = d.fact(format!("added in commit {} at {}:{}", first.commit.describe(), first.path, first.line));
            if let Some(c) = &secret.removed_in {
                d = d.fact(format!("removed in commit {}", c.describe()));
            }
            for s in secret.sightings.iter().take(5) {
                d.related.push(Related {
                    path: s.path.clone(),
                    line: s.line,
                    end_line: s.line,
                    note: format!("commit {}: {} at line {}", s.commit.describe(), s.hit.masked, s.line),
                    excerpt: Some(Excerpt {
                        path: s.path.clone(),
                        start_line: s.excerpt_start,
                        lines: s.excerpt.clone(),
                        focus: (s.line, s.line),
                    }),
                });
            }
            if let Some(s) = &searched {
                d = d.searched(s.clone());
            }
            out.push(d);
        }
    }
}

/// The finding for one secret; `what` completes "A Stripe live secret key (sk_live_51Qv…) …".
fn draft(path: &str, line: u32, hit: &Hit, what: &str) -> Draft {
    let title = redact::patterns()
        .iter()
        .find(|p| p.id == hit.pattern)
        .map_or("secret", |p| p.title.as_str());
    let subject = match (&hit.kind, &hit.name) {
        (Kind::ServiceRole, _) => "A Supabase service-role key (a JWT that bypasses row-level security)".to_string(),
        (Kind::Token, _) => "A signed token (JWT)".to_string(),
        (Kind::Generic, Some(name)) if hit.pattern.starts_with("assigned-secret") => {
            format!("A secret-looking value assigned to {name}")
        }
        _ => format!("A {title}"),
    };
    let mut d = Draft::new(ITEM, path, line, line, format!("{subject} ({}) {what}.", hit.masked))
        .anchor(format!("secret:{}:{}", hit.pattern, hit.digest))
        .fact(format!("{title}: {}", hit.masked));
    d = match hit.kind {
        Kind::Live | Kind::ServiceRole => d.confidence(Confidence::High).class(
            Class::LoadBearing,
            "Anyone who has ever had a copy of the repository can use this key until it is rotated.",
        ),
        Kind::Generic => d.confidence(Confidence::Medium).class(
            Class::LoadBearing,
            "If this value is a real credential, anyone with a copy of the repository can use it until it is rotated.",
        ),
        Kind::Token => d.confidence(Confidence::Low).severity(Severity::Medium),
        Kind::TestMode => d.confidence(Confidence::High).severity(Severity::Low).class(
            Class::Cosmetic,
            "A test-mode key moves no real money, but it should still be rotated and kept out of the code.",
        ),
    };
    if hit.kind == Kind::ServiceRole {
        d = d.auth();
    }
    d
}

/// Decides whether a match is worth reporting, and how: the policy shared by the tree and
/// the history.
fn assess(path: &str, text: &str, f: &Found) -> Option<Hit> {
    let secret = f.text(text);
    if redact::is_public(secret) || redact::is_placeholder(secret) {
        return None;
    }
    let pattern = redact::patterns().iter().find(|p| p.id == f.pattern)?;
    let kind = if f.pattern == "jwt" {
        let claims = redact::jwt_claims(secret)?;
        let text_claim = |k: &str| claims.get(k).and_then(|v| v.as_str()).unwrap_or("");
        if text_claim("iss") == "supabase-demo" {
            return None; // the Supabase CLI's published local-development keys
        }
        match text_claim("role") {
            "anon" => return None,
            "service_role" | "supabase_admin" => Kind::ServiceRole,
            _ => Kind::Token,
        }
    } else if pattern.is_generic() {
        if !plausible_generic(f.pattern, secret, &text[f.end..]) {
            return None;
        }
        Kind::Generic
    } else if f.live {
        Kind::Live
    } else {
        Kind::TestMode
    };
    // Test files and fixtures hold fake values; a live provider key is live wherever it is.
    if is_test_path(path) && kind != Kind::Live {
        return None;
    }
    let name = assigned_name(&text[..f.start]);
    Some(Hit {
        line: 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..f.start]).count() as u32,
        pattern: f.pattern.to_string(),
        masked: f.masked(text),
        digest: blake3::hash(secret.as_bytes()).to_hex()[..16].to_string(),
        kind,
        name,
    })
}

/// Generic matches (a name next to a value) need a value that looks generated, not a path,
/// URL, sentence or local default.
fn plausible_generic(pattern: &str, value: &str, after: &str) -> bool {
    if pattern == "connection-string-password" {
        let host: String = after
            .trim_start_matches('@')
            .chars()
            .take_while(|c| !matches!(c, ':' | '/' | '?' | '"' | '\'' | ' ' | '\n'))
            .collect();
        let local = !host.contains('.')
            || host.starts_with("localhost")
            || host.starts_with("127.")
            || host.starts_with("0.0.0.0")
            || host == "host.docker.internal";
        let default = ["postgres", "password", "root", "secret", "admin", "pass", "mysql", "example", "changeme"]
            .contains(&value.to_ascii_lowercase().as_str());
        return !local && !default;
    }
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("http") || value.starts_with('/') || value.starts_with("./") || value.contains("{{") {
        return false;
    }
    if value.contains('/') && value.contains('.') && !value.contains('=') {
        return false; // a path or a module
    }
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
        value.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    classes >= 2 && value.chars().any(|c| c.is_ascii_digit()) && entropy(value) >= 3.0
}

/// Shannon entropy in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts: BTreeMap<char, usize> = BTreeMap::new();
    for c in value.chars() {
        *counts.entry(c).or_default() += 1;
    }
    let n = value.chars().count() as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// The name a value is assigned to: the identifier before `=` or `:` on its line.
fn assigned_name(before: &str) -> Option<String> {
    let line = before.rsplit('\n').next().unwrap_or(before);
    let trimmed = line.trim_end_matches(|c: char| c == '"' || c == '\'' || c == '`' || c.is_whitespace());
    let trimmed = trimmed.strip_suffix('=').or_else(|| trimmed.strip_suffix(':'))?;
    let trimmed = trimmed.trim_end().trim_end_matches(['"', '\'']);
    let name: String = trimmed
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!name.is_empty() && name.len() <= 80).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_assigned_values_are_read_back() {
        assert_eq!(assigned_name("STRIPE_SECRET_KEY=").as_deref(), Some("STRIPE_SECRET_KEY"));
        assert_eq!(assigned_name("  \"apiKey\": \"").as_deref(), Some("apiKey"));
        assert_eq!(assigned_name("const JWT_SECRET = '").as_deref(), Some("JWT_SECRET"));
        assert_eq!(assigned_name("new Stripe(\""), None);
    }

    #[test]
    fn generic_values_must_look_generated() {
        assert!(plausible_generic("assigned-secret", "f9Kq2LmX8vRt4ZpW", ""));
        assert!(!plausible_generic("assigned-secret", "/auth/reset-password", ""));
        assert!(!plausible_generic("assigned-secret", "reset_password_token", ""));
        assert!(!plausible_generic("assigned-secret", "https://example.org/x?1", ""));
        assert!(plausible_generic("connection-string-password", "Xk29fLq0Za", "@db.prod.internal:5432/app"));
        assert!(!plausible_generic("connection-string-password", "Xk29fLq0Za", "@localhost:5432/app"));
        assert!(!plausible_generic("connection-string-password", "Xk29fLq0Za", "@db:5432/app"));
        assert!(!plausible_generic("connection-string-password", "postgres", "@db.prod.internal/app"));
    }
}
