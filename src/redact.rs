//! Secrets never leave Plumb whole: every excerpt, search snippet, export and log line goes
//! through [`redact`]. The patterns are data (`queries/secrets.toml`); SEC-SECRETS and
//! AUTH-PRIV-KEY find secrets with the same list, so what is reported is what is hidden.
//!
//! Each pattern names literal hints (`sk_live_`, `eyJ`, `password`); one Aho-Corasick pass
//! over a text says which patterns can match at all, so a text is run only through the
//! regexes whose hints it holds, and [`might_contain_secret`] rejects most files in one pass.
//!
//! ```
//! let line = r#"const stripe = new Stripe("sk_live_51QvX8kL9qEwjky40UVsWmflzdE1F8RePFkThf4Vu");"#;
//! let shown = plumb::redact::redact(line);
//! assert!(shown.contains("sk_live_51Q"));
//! assert!(!shown.contains("VsWmflzdE1F8RePFkThf4Vu"));
//! ```

use std::borrow::Cow;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use base64::Engine;
use regex::Regex;
use serde::Deserialize;

/// One kind of secret.
#[derive(Debug)]
pub struct Pattern {
    pub id: String,
    pub title: String,
    pub regex: Regex,
    /// Literals one of which every match contains.
    pub hints: Vec<String>,
    /// Leading characters of the secret that may be shown.
    pub keep: usize,
    /// A production credential (not a test or publishable key).
    pub live: bool,
}

impl Pattern {
    /// Generic patterns (a name such as `API_KEY` next to a value) match placeholders too;
    /// provider formats (`sk_live_…`) do not.
    pub fn is_generic(&self) -> bool {
        self.id.starts_with("assigned-secret") || self.id == "connection-string-password"
    }
}

/// A secret found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'p> {
    pub pattern: &'p str,
    pub title: &'p str,
    pub live: bool,
    /// Leading characters that may be shown (see [`mask`]).
    pub keep: usize,
    /// Byte range of the secret itself (not the surrounding match).
    pub start: usize,
    pub end: usize,
}

impl Found<'_> {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// The secret as it may be shown.
    pub fn masked(&self, text: &str) -> String {
        mask(self.text(text), self.keep)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    allow: Allow,
    pattern: Vec<PatternEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Allow {
    examples: Vec<String>,
    public_prefixes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternEntry {
    id: String,
    title: String,
    regex: String,
    hints: Vec<String>,
    keep: usize,
    live: bool,
}

struct Secrets {
    patterns: Vec<Pattern>,
    allow: Allow,
    /// Hints of case-sensitive patterns, and of `(?i)` ones; each hint maps to its pattern.
    exact: (AhoCorasick, Vec<usize>),
    folded: (AhoCorasick, Vec<usize>),
}

fn secrets() -> &'static Secrets {
    static SECRETS: OnceLock<Secrets> = OnceLock::new();
    SECRETS.get_or_init(|| {
        let file: File = toml::from_str(include_str!("../queries/secrets.toml"))
            .expect("queries/secrets.toml is valid");
        let patterns: Vec<Pattern> = file
            .pattern
            .into_iter()
            .map(|p| Pattern {
                regex: Regex::new(&p.regex)
                    .unwrap_or_else(|e| panic!("queries/secrets.toml: pattern {}: {e}", p.id)),
                id: p.id,
                title: p.title,
                hints: p.hints,
                keep: p.keep,
                live: p.live,
            })
            .collect();
        let automaton = |folded: bool| {
            let mut hints = Vec::new();
            let mut owners = Vec::new();
            for (i, p) in patterns.iter().enumerate() {
                if p.regex.as_str().starts_with("(?i)") == folded {
                    for h in &p.hints {
                        hints.push(h.clone());
                        owners.push(i);
                    }
                }
            }
            let ac = AhoCorasick::builder()
                .ascii_case_insensitive(folded)
                .build(&hints)
                .expect("secret hints build an automaton");
            (ac, owners)
        };
        Secrets {
            exact: automaton(false),
            folded: automaton(true),
            patterns,
            allow: file.allow,
        }
    })
}

/// The built-in patterns (a unit test checks that they parse and compile).
pub fn patterns() -> &'static [Pattern] {
    &secrets().patterns
}

/// Which patterns' hints occur in `bytes`.
fn candidates(bytes: &[u8]) -> Vec<bool> {
    let s = secrets();
    let mut wanted = vec![false; s.patterns.len()];
    for (ac, owners) in [&s.exact, &s.folded] {
        for m in ac.find_overlapping_iter(bytes) {
            wanted[owners[m.pattern().as_usize()]] = true;
        }
    }
    wanted
}

/// Cheap prefilter: false when no pattern can match `bytes` (one Aho-Corasick pass).
pub fn might_contain_secret(bytes: &[u8]) -> bool {
    let s = secrets();
    s.exact.0.is_match(bytes) || s.folded.0.is_match(bytes)
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
        "insert",
        "fixme",
        "sample",
        "${",
        "{{",
        "%(",
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

/// A value meant to be public (a publishable key) or a provider's documented example.
pub fn is_public(value: &str) -> bool {
    let allow = &secrets().allow;
    allow.public_prefixes.iter().any(|p| value.starts_with(p.as_str()))
        || allow.examples.iter().any(|e| e == value)
}

/// Every secret in `text`, in order, overlapping matches merged (the first pattern wins).
/// Generic patterns skip placeholders; provider formats are always reported.
pub fn find(text: &str) -> Vec<Found<'static>> {
    let wanted = candidates(text.as_bytes());
    let mut found: Vec<Found<'static>> = Vec::new();
    for (p, _) in patterns().iter().zip(&wanted).filter(|(_, w)| **w) {
        for caps in p.regex.captures_iter(text) {
            let Some(m) = caps.name("secret").or_else(|| caps.get(0)) else {
                continue;
            };
            if p.is_generic() && (is_placeholder(m.as_str()) || is_public(m.as_str())) {
                continue;
            }
            if found.iter().any(|f| m.start() < f.end && f.start < m.end()) {
                continue;
            }
            found.push(Found {
                pattern: &p.id,
                title: &p.title,
                live: p.live,
                keep: p.keep,
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
        out.push_str(&text[at..f.start]);
        out.push_str(&f.masked(text));
        at = f.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// A window of `whole` (the bytes `window.0..window.1`) with every secret of `whole` masked,
/// even one the window cuts in half, and `ranges` (byte ranges inside the window, e.g. search
/// highlights) moved to match; a range that touches a secret covers its whole mask.
pub fn redact_window(whole: &str, window: (usize, usize), ranges: &[(usize, usize)]) -> (String, Vec<(usize, usize)>) {
    let (from, to) = window;
    let text = &whole[from..to];
    // Secrets clipped to the window, in window coordinates, with what replaces them.
    let masks: Vec<(usize, usize, String)> = find(whole)
        .into_iter()
        .filter(|f| f.start < to && from < f.end)
        .map(|f| {
            let (start, end) = (f.start.max(from) - from, f.end.min(to) - from);
            (start, end, mask(&text[start..end], f.keep))
        })
        .collect();
    if masks.is_empty() {
        return (text.to_string(), ranges.to_vec());
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    // (old start, new start, old end, new end) of every mask.
    let mut moved = Vec::with_capacity(masks.len());
    for (start, end, masked) in &masks {
        out.push_str(&text[at..*start]);
        let new_start = out.len();
        out.push_str(masked);
        moved.push((*start, new_start, *end, out.len()));
        at = *end;
    }
    out.push_str(&text[at..]);
    let shift = |pos: usize, is_end: bool| -> usize {
        let mut delta: isize = 0;
        for &(old_start, new_start, old_end, new_end) in &moved {
            if pos < old_start || (pos == old_start && is_end) {
                break;
            }
            if pos < old_end {
                return if is_end { new_end } else { new_start };
            }
            delta = new_end as isize - old_end as isize;
        }
        (pos as isize + delta) as usize
    };
    let ranges = ranges
        .iter()
        .map(|&(start, end)| (shift(start.min(text.len()), false), shift(end.min(text.len()), true)))
        .filter(|(start, end)| start < end)
        .collect();
    (out, ranges)
}

/// The claims of a JWT-shaped string (its payload, base64url-decoded), without verifying
/// anything: enough to read `role` (`anon` or `service_role` for Supabase keys) or `exp`.
pub fn jwt_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        serde_json::Value::Object(claims) => Some(claims),
        _ => None,
    }
}

/// The `role` claim of a JWT-shaped string.
pub fn jwt_role(token: &str) -> Option<String> {
    jwt_claims(token)?
        .get("role")?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_is_redacted_even_when_it_cuts_a_secret_and_its_highlights_follow() {
        let key = ["sk_live_", "51H8dKJ2eZvKYlo2C0aBcDeFgHiJkLmNoPqRsTuV"].concat();
        let whole = format!("const stripe = new Stripe(\"{key}\"); // payments\n");
        let cut = whole.find(&key).unwrap() + 20;
        // The window ends inside the key; "stripe" and "Stripe" are highlighted, and a
        // highlight that starts inside the key.
        let highlights = [(6, 12), (19, 25), (cut - 4, cut)];
        let (text, moved) = redact_window(&whole, (0, cut), &highlights);
        assert!(!text.contains("51H8dKJ2"), "{text}");
        assert!(text.ends_with("[redacted]"), "{text}");
        assert_eq!(&text[moved[0].0..moved[0].1], "stripe");
        assert_eq!(&text[moved[1].0..moved[1].1], "Stripe");
        assert!(text[moved[2].0..moved[2].1].ends_with("[redacted]"), "{moved:?} in {text}");
        // Text after a secret keeps its highlight on the right word.
        let after = whole.find("payments").unwrap();
        let (text, moved) = redact_window(&whole, (0, whole.len()), &[(after, after + 8)]);
        assert_eq!(&text[moved[0].0..moved[0].1], "payments");
        // No secret: unchanged.
        assert_eq!(redact_window("let a = 1;", (4, 9), &[(0, 1)]), ("a = 1".to_string(), vec![(0, 1)]));
    }

    /// A JWT with these claims (signature bytes are arbitrary).
    fn jwt(claims: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.{}",
            b64(r#"{"alg":"HS256","typ":"JWT"}"#),
            b64(claims),
            b64("signature-bytes-here")
        )
    }

    #[test]
    fn builtin_patterns_compile_and_have_hints() {
        assert!(patterns().len() > 20);
        for p in patterns() {
            assert!(!p.hints.is_empty(), "{} has no hints", p.id);
        }
    }

    /// One sample per pattern: each is found by its own pattern, so its hints really are in
    /// every match (a hint missing from a match would hide the secret from the prefilter).
    #[test]
    fn every_pattern_finds_its_sample_through_the_prefilter() {
        let key = "Qv8kL9qEwjky40UVsWmflzdE1F8RePFkThf4VucSmEHn3YpW";
        let hex = "9f86d081884c7d659a2feaa0c55ad015";
        let samples = [
            ("stripe-secret-live", format!("sk_live_{key}")),
            ("stripe-secret-test", format!("rk_test_{key}")),
            ("stripe-webhook-secret", format!("whsec_{key}")),
            ("supabase-secret-key", format!("sb_secret_{key}")),
            ("aws-access-key", "AKIA2OGYBAH6STMVQ7ZX".to_string()),
            ("github-token", format!("ghp_{}", &key[..36])),
            ("gitlab-token", format!("glpat-{}", &key[..20])),
            ("npm-token", format!("npm_{}", &key[..36])),
            ("slack-token", "xoxb-2404819265-8f3kq0Zl1XbT".to_string()),
            (
                "slack-webhook",
                format!("https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/{}", &key[..24]),
            ),
            (
                "discord-webhook",
                format!("https://discord.com/api/webhooks/112233445566/{}", &key[..40]),
            ),
            ("anthropic-key", format!("sk-ant-api03-{key}")),
            ("openai-key", format!("sk-proj-{key}")),
            ("groq-key", format!("gsk_{key}")),
            ("huggingface-token", format!("hf_{}", &key[..34])),
            ("replicate-token", format!("r8_{}", &key[..37])),
            ("google-api-key", format!("AIza{}", &key[..35])),
            ("google-oauth-secret", format!("GOCSPX-{}", &key[..28])),
            ("resend-key", format!("re_{}_{}", &key[..8], &key[8..32])),
            ("sendgrid-key", format!("SG.{}.{}", &key[..22], &key[22..44])),
            ("mailgun-key", format!("key-{hex}")),
            ("twilio-api-key", format!("SK{hex}")),
            ("shopify-token", format!("shpat_{hex}")),
            ("digitalocean-token", format!("dop_v1_{hex}{hex}")),
            (
                "private-key",
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----".to_string(),
            ),
            ("jwt", jwt(r#"{"role":"service_role"}"#)),
            (
                "connection-string-password",
                "postgres://app:Xk29fLq0Za@db.example.internal:5432/app".to_string(),
            ),
            ("assigned-secret", format!("JWT_SECRET: \"{}$(!\"", &key[..20])),
            ("assigned-secret-unquoted", format!("JWT_SECRET={}", &key[..20])),
        ];
        for p in patterns() {
            assert!(samples.iter().any(|(id, _)| *id == p.id), "no sample for {}", p.id);
        }
        for (id, sample) in &samples {
            let text = format!("value = '{sample}'\n");
            assert!(might_contain_secret(text.as_bytes()), "{id}: prefilter");
            let found = find(&text);
            assert_eq!(found.len(), 1, "{id}: {found:?}");
            assert_eq!(found[0].pattern, *id, "{id}");
        }
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
            "RESEND_API_KEY=re_your_resend_key",
            "OPENAI_API_KEY=<insert-your-key-here>",
            "PUBLIC_STRIPE_API_KEY=pk_live_51QvX8kLc2RrT7yWmZpA4dHs9uEoNq1BxKfJ3",
            "the task-runner-desk-sk-ordering is fine",
        ] {
            assert_eq!(redact(line), line);
        }
    }

    #[test]
    fn texts_without_hints_are_rejected_by_the_prefilter() {
        assert!(!might_contain_secret(
            b"export function add(a: number, b: number) { return a + b; }"
        ));
        assert!(might_contain_secret(b"const PASSWORD = 1"));
    }

    #[test]
    fn masks_never_show_more_than_a_third() {
        assert_eq!(mask("abcdefghi", 12), "abc…[redacted]");
        assert_eq!(mask("ab", 12), "…[redacted]");
    }

    #[test]
    fn jwt_claims_are_decoded_without_verification() {
        assert_eq!(jwt_role(&jwt(r#"{"iss":"supabase","role":"anon"}"#)).as_deref(), Some("anon"));
        assert_eq!(jwt_role(&jwt(r#"{"sub":"42"}"#)), None);
        assert_eq!(jwt_role("eyJ.not-base64!.x"), None);
        assert!(is_public("pk_live_51QvX8kLc2RrT7yWmZ"));
        assert!(is_public("sk_test_4eC39HqLyjWDarjtT1zdp7dc"));
        assert!(!is_public("sk_live_51QvX8kLc2RrT7yWmZ"));
    }
}
