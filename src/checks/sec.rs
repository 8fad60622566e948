//! SEC detectors. See the catalogue (`queries/catalogue/sec.toml`) for what each item means.
//!
//! Three detectors: `sec-secrets` (SEC-SECRETS: every text file and the git history, see
//! `secrets.rs` and `history.rs`), `sec-deps` (SEC-DEPS: manifests, lockfiles and import
//! specifiers, `deps.rs`) and `sec` for the code items (SEC-SQLI, SEC-XSS, SEC-CORS, SEC-INPUT,
//! SEC-RATE, SEC-CRYPTO). The code items share one scan: the file's code model
//! (`code.rs`, from the `sec_code` query) and its request handlers (`routes.rs`); most of their
//! findings are decided inside one file and kept as [`Spot`]s, while CORS and rate limiting
//! also look at the files around (who imports a CORS header object, where a limiter lives).

mod code;
mod cors;
mod crypto;
mod deps;
mod history;
mod input;
mod rate;
mod routes;
mod secrets;
mod sqli;
mod xss;

use serde::{Deserialize, Serialize};

use super::{keep, Confidence, Detector, Draft, Repo, Severity, SourceFile};
use crate::lang::Lang;

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(secrets::Secrets), Box::new(Security), Box::new(deps::Deps)]
}

const NAME: &str = "sec";

/// A finding decided within one file during the scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Spot {
    pub line: u32,
    pub end_line: u32,
    pub message: String,
    pub confidence: Confidence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Other lines of the same file: (line, note).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<(u32, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// Only a finding in server code (decided by the check, which knows the file's roles).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub server_only: bool,
}

impl Spot {
    pub fn new(lines: (u32, u32), message: impl Into<String>, confidence: Confidence) -> Spot {
        Spot {
            line: lines.0,
            end_line: lines.1.max(lines.0),
            message: message.into(),
            confidence,
            severity: None,
            related: Vec::new(),
            facts: Vec::new(),
            anchor: None,
            server_only: false,
        }
    }

    pub fn related(mut self, line: u32, note: impl Into<String>) -> Spot {
        if line != self.line {
            self.related.push((line, note.into()));
        }
        self
    }

    pub fn fact(mut self, fact: impl Into<String>) -> Spot {
        self.facts.push(fact.into());
        self
    }

    fn draft(&self, item: &str, path: &str) -> Draft {
        let mut d = Draft::new(item, path, self.line, self.end_line, self.message.clone()).confidence(self.confidence);
        if let Some(s) = self.severity {
            d = d.severity(s);
        }
        if let Some(a) = &self.anchor {
            d = d.anchor(a.clone());
        }
        for (line, note) in &self.related {
            d = d.related(path, *line, note.clone());
        }
        for f in &self.facts {
            d = d.fact(f.clone());
        }
        d
    }
}

/// What the `sec` scan keeps of one file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct SecScan {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sqli: Vec<Spot>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    xss: Vec<Spot>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    input: Vec<Spot>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    crypto: Vec<Spot>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    cors: Vec<cors::Site>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    endpoints: Vec<rate::Endpoint>,
    /// The file reads credentials: an Authorization header, cookies, a session, a JWT check.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    reads_auth: bool,
    /// The file holds rate-limiting evidence (a limiter library, a counter, 429 responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limiter: Option<String>,
}

impl SecScan {
    fn is_empty(&self) -> bool {
        self.sqli.is_empty()
            && self.xss.is_empty()
            && self.input.is_empty()
            && self.crypto.is_empty()
            && self.cors.is_empty()
            && self.endpoints.is_empty()
            && !self.reads_auth
            && self.limiter.is_none()
    }
}

struct Security;

impl Detector for Security {
    fn name(&self) -> &'static str {
        NAME
    }

    fn items(&self) -> &'static [&'static str] {
        &["SEC-SQLI", "SEC-XSS", "SEC-CORS", "SEC-INPUT", "SEC-RATE", "SEC-CRYPTO"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        let mut scan = SecScan::default();
        match file.lang {
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript | Lang::Python => {
                let code = code::Code::build(file)?;
                let routes = routes::routes(&code);
                scan.sqli = sqli::scan(&code, &routes);
                scan.xss = xss::scan(&code, &routes);
                scan.input = input::scan(&code, &routes);
                scan.crypto = crypto::scan(&code);
                scan.cors = cors::scan(&code);
                scan.reads_auth = rate::reads_auth(&code, None);
                scan.endpoints = rate::scan(&code, &routes);
                scan.limiter = rate::limiter(&code);
            }
            _ => {
                scan.xss = xss::scan_template(file);
                scan.cors = cors::scan_settings(file);
            }
        }
        keep(&scan, scan.is_empty())
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let facts = repo.facts::<SecScan>(NAME);
        for (file, scan) in &facts {
            if file.roles.test {
                continue;
            }
            for (item, spots) in [
                ("SEC-SQLI", &scan.sqli),
                ("SEC-XSS", &scan.xss),
                ("SEC-INPUT", &scan.input),
                ("SEC-CRYPTO", &scan.crypto),
            ] {
                for spot in spots.iter().filter(|s| !(s.server_only && file.roles.client)) {
                    let mut d = spot.draft(item, &file.path);
                    if item == "SEC-INPUT" {
                        d = d.data_write();
                    }
                    out.push(d);
                }
            }
        }
        cors::check(repo, &facts, out);
        rate::check(repo, &facts, out);
    }
}

/// `a`, `a and b`, `a, b and c` (at most `max`, then "and N more").
pub(super) fn list(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let more = items.len().saturating_sub(max);
    match (shown.len(), more) {
        (0, _) => String::new(),
        (1, 0) => shown[0].to_string(),
        (n, 0) => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
        (_, m) => format!("{} and {m} more", shown.join(", ")),
    }
}

/// Lower-case words of a label: `POST /auth/sign-in` → post, auth, sign, in, signin.
pub(super) fn words(label: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            current.push(c.to_ascii_lowercase());
        } else {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    // Joined pairs: sign-in → signin, sign_up → signup, log-in → login.
    let pairs: Vec<String> = out.windows(2).map(|w| format!("{}{}", w[0], w[1])).collect();
    out.extend(pairs);
    out
}

/// Distinct, in first-seen order.
pub(super) fn distinct(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_split_into_words_and_joined_pairs() {
        let w = words("POST /auth/sign-in handleSignUp generateInviteToken");
        for expected in ["auth", "signin", "signup", "handle", "invite", "token"] {
            assert!(w.iter().any(|x| x == expected), "{expected} in {w:?}");
        }
    }

    #[test]
    fn lists_read_as_prose() {
        let items: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(list(&items[..1], 3), "a");
        assert_eq!(list(&items, 3), "a, b and c");
        assert_eq!(list(&items, 2), "a, b and 1 more");
    }
}
