//! AUTH-PRIV-KEY: privileged keys that reach the browser. JWT-shaped literals are decoded
//! (their `role` claim tells a Supabase `anon` key, public by design, from a `service_role`
//! key); secret key shapes come from `queries/secrets.toml` through `plumb::redact`;
//! variables whose prefix ships them to the client (`VITE_`, `NEXT_PUBLIC_`) are read by name;
//! and a module that builds a service-role client is followed through the import graph into
//! the client bundle.

use std::collections::{HashMap, HashSet, VecDeque};

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::catalogue::Severity;
use crate::checks::source::SourceFile;
use crate::checks::{keep, Confidence, Detector, Draft, Repo, RepoFile};
use crate::lang::Lang;
use crate::redact;

pub const ITEM: &str = "AUTH-PRIV-KEY";

/// The `role` claims of the JWTs in `text` (payload decoded, signature not checked).
pub fn jwt_roles(text: &str) -> Vec<String> {
    redact::find(text)
        .into_iter()
        .filter(|f| f.pattern == "jwt")
        .filter_map(|f| jwt_role(&text[f.start..f.end]))
        .collect()
}

fn jwt_role(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    json.get("role")
        .and_then(|r| r.as_str())
        .map(str::to_string)
}

/// Prefixes that bundlers inline into browser code.
const PUBLIC_PREFIXES: &[&str] = &[
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "NUXT_PUBLIC_",
    "PUBLIC_",
    "GATSBY_",
];

/// Providers whose API keys are secrets even when called `…_API_KEY`.
const SECRET_KEY_PROVIDERS: &[&str] = &[
    "OPENAI",
    "ANTHROPIC",
    "RESEND",
    "SENDGRID",
    "MAILGUN",
    "POSTMARK",
    "TWILIO",
    "REPLICATE",
    "GROQ",
    "MISTRAL",
    "COHERE",
    "ELEVENLABS",
    "GITHUB",
    "SLACK",
    "AWS",
    "GEMINI",
    "DEEPSEEK",
    "PERPLEXITY",
    "PINECONE",
    "BREVO",
    "LOOPS",
    "PLAID",
];

/// `VITE_SUPABASE_SERVICE_ROLE_KEY` → why the name says secret; `None` for publishable names.
pub fn secret_public_name(name: &str) -> Option<&'static str> {
    let prefix = PUBLIC_PREFIXES.iter().find(|p| name.starts_with(*p))?;
    let rest = &name[prefix.len()..];
    let has = |w: &str| rest.contains(w);
    if has("PUBLISHABLE")
        || has("ANON")
        || has("PUBLIC_KEY")
        || has("SITE_KEY")
        || has("MEASUREMENT")
        || has("MAPS")
    {
        return None;
    }
    if has("SERVICE_ROLE") || has("SERVICE_KEY") {
        return Some("a service-role key");
    }
    if has("SECRET")
        || has("PRIVATE")
        || has("PASSWORD")
        || has("DATABASE_URL")
        || has("DB_URL")
        || has("ADMIN_KEY")
        || has("AUTH_TOKEN")
        || has("ACCESS_TOKEN")
    {
        return Some("a secret by its name");
    }
    if (has("API_KEY") || has("TOKEN") || rest.ends_with("_KEY"))
        && SECRET_KEY_PROVIDERS.iter().any(|p| rest.starts_with(p))
    {
        return Some("a server-side API key");
    }
    None
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyHit {
    pub line: u32,
    /// `secrets.toml` pattern id, or `supabase-service-role` for a decoded JWT.
    pub kind: String,
    pub title: String,
    pub live: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvHit {
    pub line: u32,
    pub name: String,
    pub why: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyScan {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<KeyHit>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvHit>,
    /// Line that builds a client with the service-role key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged_client: Option<u32>,
    /// `import "server-only"` or `"use server"`: never bundled for the browser.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub server_only: bool,
}

fn is_env_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with(".env")
        && !["example", "sample", "template", "dist", "defaults"]
            .iter()
            .any(|w| name.contains(w))
}

pub fn scan(file: &SourceFile) -> Option<KeyScan> {
    let js = matches!(
        file.lang,
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript | Lang::Html
    );
    if file.is_test() || !(js || is_env_file(file.path)) {
        return None;
    }
    let mut s = KeyScan::default();
    for f in redact::find(file.text) {
        let secret = &file.text[f.start..f.end];
        let line = file.line_of(f.start);
        let hit = match f.pattern {
            "jwt" => match jwt_role(secret).as_deref() {
                Some("service_role") | Some("supabase_admin") => Some(KeyHit {
                    line,
                    kind: "supabase-service-role".into(),
                    title: "Supabase service_role key".into(),
                    live: true,
                }),
                _ => None,
            },
            "assigned-secret" | "connection-string-password" => None,
            _ => Some(KeyHit {
                line,
                kind: f.pattern.to_string(),
                title: f.title.to_string(),
                live: f.live,
            }),
        };
        s.keys.extend(hit);
    }
    for (i, l) in file.text.lines().enumerate() {
        let line = i as u32 + 1;
        for name in env_names(l) {
            if let Some(why) = secret_public_name(name) {
                if !s.env.iter().any(|e| e.name == name && e.line == line) {
                    s.env.push(EnvHit {
                        line,
                        name: name.to_string(),
                        why: why.into(),
                    });
                }
            }
        }
        if js
            && s.privileged_client.is_none()
            && creates_client(l)
            && super::analysis::is_privileged_key_text(&window(file, line))
        {
            s.privileged_client = Some(line);
        }
        if js && i < 5 && (l.contains("\"use server\"") || l.contains("'use server'")) {
            s.server_only = true;
        }
        if js && (l.contains("\"server-only\"") || l.contains("'server-only'")) {
            s.server_only = true;
        }
    }
    (s != KeyScan::default()).then_some(s)
}

fn creates_client(line: &str) -> bool {
    [
        "createClient(",
        "createServerClient(",
        "createBrowserClient(",
        "create_client(",
    ]
    .iter()
    .any(|c| line.contains(c))
}

/// The call starting at `line` and the next few lines (a client's arguments).
fn window(file: &SourceFile, line: u32) -> String {
    (line..line + 4)
        .map(|n| file.line(n))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Upper-case variable names with a public prefix on a line (`VITE_X=…`, `import.meta.env.VITE_X`).
fn env_names(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .filter(|w| w.len() > 6 && PUBLIC_PREFIXES.iter().any(|p| w.starts_with(p)))
}

pub struct PrivilegedKeys;

impl Detector for PrivilegedKeys {
    fn name(&self) -> &'static str {
        "auth-keys"
    }

    fn items(&self) -> &'static [&'static str] {
        &[ITEM]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        scan(file).and_then(|s| keep(&s, false))
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let scans: Vec<(&RepoFile, KeyScan)> = repo.facts(self.name());
        let server_only: HashSet<&str> = scans
            .iter()
            .filter(|(_, s)| s.server_only)
            .map(|(f, _)| f.path.as_str())
            .collect();
        let bundle = client_bundle(repo, &server_only);
        for (file, scan) in &scans {
            if file.roles.test {
                continue;
            }
            if is_env_file(&file.path) {
                out.extend(scan.env.iter().map(|e| env_draft(&file.path, e, None)));
                continue;
            }
            let Some(via) = bundle.get(file.path.as_str()) else {
                continue;
            };
            let shipped = match via {
                Some(entry) => format!("bundled for the browser (imported by {entry})"),
                None => "browser code".to_string(),
            };
            let importers: Vec<&str> = repo
                .importers_of(&file.path)
                .into_iter()
                .filter(|p| bundle.contains_key(p))
                .take(3)
                .collect();
            let mut reported_key = false;
            for k in &scan.keys {
                let (severity, confidence) =
                    if k.kind == "supabase-service-role" || (k.live && k.kind != "jwt") {
                        (None, Confidence::High)
                    } else {
                        (Some(Severity::Medium), Confidence::Medium)
                    };
                let what = if k.kind == "supabase-service-role" {
                    "A Supabase service_role key (JWT role claim: service_role) bypasses row-level security for every table"
                        .to_string()
                } else {
                    format!("A {}", k.title)
                };
                let mut d = Draft::new(
                    ITEM,
                    &file.path,
                    k.line,
                    k.line,
                    format!("{what}, and it sits in {shipped}: anyone can read it from the bundle"),
                )
                .confidence(confidence)
                .anchor(format!("{}:{}", k.kind, file.path))
                .fact(format!("key kind: {}", k.title))
                .auth();
                if let Some(s) = severity {
                    d = d.severity(s);
                }
                if let Some(line) = scan.privileged_client {
                    d = d.fact(format!("line {line} builds a client with it"));
                }
                for p in &importers {
                    d = d.related(
                        *p,
                        import_line(repo, p, &file.path),
                        format!("{p} imports this file into the client bundle"),
                    );
                }
                out.push(d);
                reported_key = true;
            }
            out.extend(
                scan.env
                    .iter()
                    .map(|e| env_draft(&file.path, e, Some(&shipped))),
            );
            if let (Some(line), false) =
                (scan.privileged_client, reported_key || !scan.env.is_empty())
            {
                let mut d = Draft::new(
                    ITEM,
                    &file.path,
                    line,
                    line,
                    format!("This module builds a service-role (admin) client and is {shipped}: database access that bypasses row-level security is wired into client code"),
                )
                .confidence(Confidence::Medium)
                .anchor(format!("privileged-client:{}", file.path))
                .auth();
                for p in &importers {
                    d = d.related(
                        *p,
                        import_line(repo, p, &file.path),
                        format!("{p} imports it"),
                    );
                }
                out.push(d);
            }
        }
    }
}

/// A secret-named variable with a public prefix: defined in an env file (`shipped` is `None`)
/// or read in code that is bundled for the browser.
fn env_draft(path: &str, e: &EnvHit, shipped: Option<&str>) -> Draft {
    let (message, confidence) = match shipped {
        None => (
            format!("{} is {}, but its prefix makes the bundler inline it into browser code wherever it is read", e.name, e.why),
            Confidence::Medium,
        ),
        Some(shipped) => (
            format!("{} is {}, read in {shipped}: its value is inlined into the bundle", e.name, e.why),
            Confidence::High,
        ),
    };
    Draft::new(ITEM, path, e.line, e.line, message)
        .confidence(confidence)
        .anchor(e.name.clone())
        .auth()
}

/// The line where `importer` imports `target` (0 when it cannot be told).
fn import_line(repo: &Repo, importer: &str, target: &str) -> u32 {
    let name = target.rsplit('/').next().unwrap_or(target);
    let stem = name.split('.').next().unwrap_or(name);
    repo.file(importer)
        .and_then(|f| {
            f.imports.iter().find(|i| {
                let last = i
                    .specifier
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(&i.specifier);
                last.split('.').next() == Some(stem)
            })
        })
        .map_or(0, |i| i.line)
}

/// Files that end up in the browser: client files and everything they import, except modules
/// marked server-only. The value is the client file that pulls it in (`None` for itself).
fn client_bundle<'r>(
    repo: &'r Repo,
    server_only: &HashSet<&str>,
) -> HashMap<&'r str, Option<&'r str>> {
    let mut seen: HashMap<&str, Option<&str>> = HashMap::new();
    let mut queue: VecDeque<(&str, &str)> = VecDeque::new();
    for f in repo
        .files
        .iter()
        .filter(|f| f.roles.client && !f.roles.test && !server_only.contains(f.path.as_str()))
    {
        seen.insert(f.path.as_str(), None);
        queue.push_back((f.path.as_str(), f.path.as_str()));
    }
    while let Some((path, entry)) = queue.pop_front() {
        for next in repo.imports_of(path) {
            let Some(file) = repo.file(next) else {
                continue;
            };
            let js = matches!(file.lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript);
            if !js
                || seen.contains_key(next)
                || server_only.contains(next)
                || file.roles.test
                || next.contains("supabase/functions/")
            {
                continue;
            }
            seen.insert(next, Some(entry));
            queue.push_back((next, entry));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_roles_are_decoded() {
        let anon = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6a3ZibWx4d2hydHBmb3lqY2RhIiwicm9sZSI6ImFub24iLCJpYXQiOjE3NDEwMDMyMDAsImV4cCI6MjA1NjU3OTIwMH0.UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA_TkB_yOaE";
        assert_eq!(jwt_roles(&format!("const k = \"{anon}\";")), ["anon"]);
    }

    #[test]
    fn public_names() {
        assert!(secret_public_name("VITE_SUPABASE_SERVICE_ROLE_KEY").is_some());
        assert!(secret_public_name("NEXT_PUBLIC_STRIPE_SECRET_KEY").is_some());
        assert!(secret_public_name("NEXT_PUBLIC_OPENAI_API_KEY").is_some());
        assert!(secret_public_name("VITE_SUPABASE_ANON_KEY").is_none());
        assert!(secret_public_name("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY").is_none());
        assert!(secret_public_name("NEXT_PUBLIC_FIREBASE_API_KEY").is_none());
        assert!(secret_public_name("STRIPE_SECRET_KEY").is_none());
    }
}
