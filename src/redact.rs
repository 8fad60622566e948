//! Secrets never leave Plumb whole: every excerpt, search snippet, export and log line goes
//! through [`redact`]. The patterns are data (`queries/secrets.toml`); SEC-SECRETS and
//! AUTH-PRIV-KEY find secrets with the same list, so what is reported is what is hidden.
//!
//! ```
//! let line = r#"const stripe = new Stripe("sk_live_51QvX8kL9qEwjky40UVsWmflzdE1F8RePFkThf4Vu");"#;
//! let shown = plumb::redact::redact(line);
//! assert!(shown.contains("sk_live_51Q"));
//! assert!(!shown.contains("VsWmflzdE1F8RePFkThf4Vu"));
//! ```

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

/// One kind of secret.
#[derive(Debug)]
pub struct Pattern {
    pub id: String,
    pub title: String,
    pub regex: Regex,
    /// Leading characters of the secret that may be shown.
    pub keep: usize,
    /// A production credential (not a test or publishable key).
    pub live: bool,
}

/// A secret found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'p> {
    pub pattern: &'p str,
    pub title: &'p str,
    pub live: bool,
    /// Byte range of the secret itself (not the surrounding match).
    pub start: usize,
    pub end: usize,
}

#[derive(Deserialize)]
struct File {
    pattern: Vec<PatternEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternEntry {
    id: String,
    title: String,
    regex: String,
    keep: usize,
    live: bool,
}

/// The built-in patterns (a unit test checks that they parse and compile).
pub fn patterns() -> &'static [Pattern] {
    static PATTERNS: OnceLock<Vec<Pattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let file: File = toml::from_str(include_str!("../queries/secrets.toml"))
            .expect("queries/secrets.toml is valid");
        file.pattern
            .into_iter()
            .map(|p| Pattern {
                regex: Regex::new(&p.regex)
                    .unwrap_or_else(|e| panic!("queries/secrets.toml: pattern {}: {e}", p.id)),
                id: p.id,
                title: p.title,
                keep: p.keep,
                live: p.live,
            })
            .collect()
    })
}

/// Values that are obviously not secrets: placeholders, references to the environment,
/// identifiers and paths.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let markers = [
        "your",
        "xxxx",
        "****",
        "changeme",
        "change_me",
        "example",
        "placeholder",
        "dummy",
        "redacted",
        "<",
        "...",
        "…",
        "todo",
        "replace",
    ];
    if markers.iter().any(|m| lower.contains(m)) {
        return true;
    }
    if lower.contains("env") && (lower.contains('.') || lower.contains('[')) {
        return true;
    }
    // An identifier or a dotted path (`config.stripeSecret`), not a value.
    if value
        .chars()
        .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '.' || c == '-')
        && !value.chars().any(|c| c.is_ascii_digit())
    {
        return true;
    }
    let distinct: std::collections::HashSet<char> = value.chars().collect();
    distinct.len() <= 3
}

/// Every secret in `text`, in order, overlapping matches merged (the first pattern wins).
pub fn find(text: &str) -> Vec<Found<'static>> {
    let mut found: Vec<Found<'static>> = Vec::new();
    for p in patterns() {
        for caps in p.regex.captures_iter(text) {
            let Some(m) = caps.name("secret").or_else(|| caps.get(0)) else {
                continue;
            };
            if p.id == "assigned-secret" || p.id == "connection-string-password" {
                if is_placeholder(m.as_str()) {
                    continue;
                }
            }
            if found.iter().any(|f| m.start() < f.end && f.start < m.end()) {
                continue;
            }
            found.push(Found {
                pattern: &p.id,
                title: &p.title,
                live: p.live,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    found.sort_by_key(|f| f.start);
    found
}

/// `secret` as it may be shown: its first `keep` characters (at most a third of it), then a
/// marker. Never the whole value.
pub fn mask(secret: &str, keep: usize) -> String {
    let total = secret.chars().count();
    let keep = keep.min(total / 3);
    let shown: String = secret.chars().take(keep).collect();
    format!("{shown}…[redacted]")
}

/// `text` with every secret masked.
pub fn redact(text: &str) -> Cow<'_, str> {
    let found = find(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in &found {
        let keep = patterns()
            .iter()
            .find(|p| p.id == f.pattern)
            .map_or(0, |p| p.keep);
        out.push_str(&text[at..f.start]);
        out.push_str(&mask(&text[f.start..f.end], keep));
        at = f.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_patterns_compile() {
        assert!(patterns().len() > 10);
    }

    #[test]
    fn live_keys_are_masked_but_recognisable() {
        let text =
            "STRIPE_SECRET_KEY=sk_live_51QvX8kL9qEwjky40UVsWmflzdE1F8RePFkThf4VucSmEHn3YpW\n";
        let shown = redact(text);
        assert!(
            shown.starts_with("STRIPE_SECRET_KEY=sk_live_51Q"),
            "{shown}"
        );
        assert!(!shown.contains("RePFkThf4VucSmEHn3YpW"), "{shown}");
    }

    #[test]
    fn jwts_and_connection_strings_are_masked() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
        assert!(!redact(&format!("key: '{jwt}'")).contains(".c2lnbmF0dXJl"));
        let url = "DATABASE_URL=postgres://app:s3cr3t-Passw0rd@db.internal:5432/app";
        let shown = redact(url);
        assert!(!shown.contains("s3cr3t-Passw0rd"), "{shown}");
        assert!(shown.contains("db.internal"), "{shown}");
    }

    #[test]
    fn code_that_reads_secrets_from_the_environment_is_left_alone() {
        for line in [
            r#"const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);"#,
            "STRIPE_SECRET_KEY = os.environ[\"STRIPE_SECRET_KEY\"]",
            "const apiKey = config.openaiApiKey;",
            "STRIPE_SECRET_KEY=sk_live_your_key_here",
            "password: process.env.DB_PASSWORD,",
        ] {
            assert_eq!(redact(line), line);
        }
    }
}
