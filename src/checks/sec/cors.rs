//! SEC-CORS: a wildcard or reflected origin on endpoints that use credentials. The scan finds
//! where the policy is set: header objects and `setHeader` calls with
//! `Access-Control-Allow-Origin`, `cors()` (Express, Hono, Fastify) with its default origin
//! `*`, `origin: '*'`, `origin: true` or an origin function that allows everything, FastAPI's
//! `CORSMiddleware(allow_origins=["*"])`, Flask-CORS, django-cors-headers settings, and
//! header rules in vercel.json / netlify.toml / `_headers`. The check reports the site when
//! credentials are allowed with it, or when the file or a file using the shared headers
//! reads credentials (Authorization header, cookies, a session or JWT check). A wildcard on a
//! public, unauthenticated endpoint is not a finding.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::code::Code;
use super::{list, SecScan};
use crate::catalogue::{Confidence, Severity};
use crate::checks::{Draft, Repo, RepoFile, SourceFile};

const ALLOW_ORIGIN: &str = "access-control-allow-origin";
const ALLOW_CREDENTIALS: &str = "access-control-allow-credentials";
const ALLOW_HEADERS: &str = "access-control-allow-headers";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Origin {
    Wildcard,
    /// The request's Origin is echoed back (or every origin allowed by a function).
    Reflected,
}

/// Where a permissive origin is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Site {
    pub line: u32,
    pub end_line: u32,
    pub origin: Origin,
    /// How, in the code's words: `"Access-Control-Allow-Origin": "*"`, `cors()`.
    pub how: String,
    pub credentials: bool,
    /// Allow-Headers lets the Authorization header (or cookies) through.
    pub auth_headers: bool,
    /// The exported binding holding it, when other files use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported: Option<String>,
}

pub(super) fn scan(code: &Code) -> Vec<Site> {
    let mut out = Vec::new();
    let lower = |n: Node| super::code::unquote(code.text(n)).to_ascii_lowercase();
    // { "Access-Control-Allow-Origin": "*" } and { key: "Access-Control-Allow-Origin", value: "*" }
    for pair in &code.pairs {
        let Some(object) = pair.node.parent() else { continue };
        let (origin_value, how_node) = if code.key(pair).eq_ignore_ascii_case(ALLOW_ORIGIN) {
            (pair.value, pair.node)
        } else if code.key(pair) == "key" && lower(pair.value) == ALLOW_ORIGIN {
            match code.value_of(object, "value") {
                Some(v) => (v, object),
                None => continue,
            }
        } else {
            continue;
        };
        let Some(origin) = origin_of(code, origin_value) else { continue };
        let header = |name: &str| code.value_of(object, name);
        let credentials = header(ALLOW_CREDENTIALS).is_some_and(|v| lower(v) == "true");
        let auth_headers = header(ALLOW_HEADERS).is_some_and(|v| lets_credentials_through(&lower(v)));
        out.push(Site {
            line: code.line(how_node),
            end_line: code.lines(how_node).1,
            origin,
            how: code.compact(how_node).chars().take(80).collect(),
            credentials: credentials || file_sets_credentials(code),
            auth_headers: auth_headers || file_allows_auth_headers(code),
            exported: exported_name(code, pair.node),
        });
    }
    for call in &code.calls {
        let args = code.positional(call);
        let method = call.method();
        // res.setHeader("Access-Control-Allow-Origin", "*"), headers.set(…), response.header(…)
        if matches!(method, "setHeader" | "header" | "set" | "append" | "add") && args.len() >= 2 && lower(args[0]) == ALLOW_ORIGIN {
            if let Some(origin) = origin_of(code, args[1]) {
                out.push(Site {
                    line: code.line(call.node),
                    end_line: code.lines(call.node).1,
                    origin,
                    how: code.compact(call.node).chars().take(80).collect(),
                    credentials: file_sets_credentials(code),
                    auth_headers: file_allows_auth_headers(code),
                    exported: None,
                });
            }
            continue;
        }
        if let Some(site) = cors_call(code, call) {
            out.push(site);
        }
    }
    // response.headers["Access-Control-Allow-Origin"] = "*"; Django CORS_ALLOW_ALL_ORIGINS = True
    for d in &code.defs {
        let target = code.compact(d.target).to_ascii_lowercase();
        let value = code.compact(d.value);
        let origin = if target.contains(ALLOW_ORIGIN) {
            origin_of(code, d.value)
        } else if (target == "cors_allow_all_origins" || target == "cors_origin_allow_all") && value == "True" {
            Some(Origin::Wildcard)
        } else if target == "cors_allowed_origin_regexes" && (value.contains("\".*\"") || value.contains("'.*'") || value.contains("r\"^.*$\"")) {
            Some(Origin::Reflected)
        } else {
            None
        };
        if let Some(origin) = origin {
            out.push(Site {
                line: code.line(d.node),
                end_line: code.lines(d.node).1,
                origin,
                how: code.compact(d.node).chars().take(80).collect(),
                credentials: file_sets_credentials(code),
                auth_headers: file_allows_auth_headers(code),
                exported: None,
            });
        }
    }
    out.sort_by_key(|s| s.line);
    out.dedup_by_key(|s| s.line);
    out
}

/// `cors()`, `cors({ origin: true, credentials: true })`, `app.register(cors, {…})`,
/// `add_middleware(CORSMiddleware, allow_origins=["*"])`, `CORS(app)`.
fn cors_call(code: &Code, call: &super::code::Call) -> Option<Site> {
    let args = code.positional(call);
    let (options, default_wildcard, python) = match call.callee.as_str() {
        "cors" => (args.first().copied(), true, false),
        c if c.ends_with("register") && args.first().is_some_and(|a| code.text(*a).to_ascii_lowercase().contains("cors")) => {
            (args.get(1).copied(), true, false)
        }
        c if c.ends_with("add_middleware") && args.first().is_some_and(|a| code.text(*a) == "CORSMiddleware") => {
            (Some(call.args), false, true)
        }
        "CORS" => (Some(call.args), true, true),
        _ => return None,
    };
    let value = |key: &str| options.and_then(|o| code.value_of(o, key));
    let origin_keys: &[&str] = if python { &["allow_origins", "origins", "allow_origin_regex", "resources"] } else { &["origin"] };
    let origin = match origin_keys.iter().find_map(|k| value(k).map(|v| (*k, v))) {
        None if default_wildcard => Origin::Wildcard,
        None => return None,
        Some(("allow_origin_regex", v)) => {
            let re = code.text(v);
            if re.contains(".*") && !re.contains("\\.") {
                Origin::Reflected
            } else {
                return None;
            }
        }
        Some((_, v)) => {
            let text = code.compact(v);
            if text == "true" || text == "True" {
                Origin::Reflected
            } else if text.contains("\"*\"") || text.contains("'*'") || text == "`*`" {
                Origin::Wildcard
            } else if code.fns.iter().any(|f| f.node.id() == v.id()) && allows_everything(code, v) {
                Origin::Reflected
            } else {
                return None;
            }
        }
    };
    let credentials = ["credentials", "allow_credentials", "supports_credentials"]
        .iter()
        .any(|k| value(k).is_some_and(|v| matches!(code.compact(v).as_str(), "true" | "True")));
    Some(Site {
        line: code.line(call.node),
        end_line: code.lines(call.node).1,
        origin,
        how: code.compact(call.node).chars().take(80).collect(),
        credentials,
        auth_headers: false,
        exported: None,
    })
}

/// An origin callback that accepts whatever it is given: `(o, cb) => cb(null, true)`,
/// `(origin) => origin`.
fn allows_everything(code: &Code, f: Node) -> bool {
    let text = code.compact(f);
    let params = code.fns.iter().find(|x| x.node.id() == f.id()).map(|x| code.param_names(x)).unwrap_or_default();
    let reflect = params.first().is_some_and(|p| text.ends_with(&format!("=>{p}")) || text.contains(&format!("return {p};")) || text.contains(&format!("return {p}}}")));
    (text.contains("(null,true)") && !text.contains("includes(") && !text.contains("indexOf(") && !text.contains("test(")) || reflect
}

/// `"*"`, or a value taken from the request's Origin header.
fn origin_of(code: &Code, value: Node) -> Option<Origin> {
    let text = code.compact(value);
    let plain = super::code::unquote(&text);
    if plain == "*" {
        return Some(Origin::Wildcard);
    }
    if code.is_constant(value) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let from_request = lower.contains("headers.origin") || lower.contains("get(\"origin\")") || lower.contains("get('origin')") || lower.contains("[\"origin\"]") || lower.contains("header(\"origin\")") || lower.contains("header('origin')");
    let via_name = code.names_in(value).any(|n| {
        n.eq_ignore_ascii_case("origin")
            && code.defs_of(n, value).iter().any(|d| {
                let t = code.compact(d.value).to_ascii_lowercase();
                (t.contains("origin") && t.contains("header")) && !t.contains("includes(") && !t.contains("allowed")
            })
    });
    // `allowed.includes(origin) ? origin : …` is an allow-list, not a reflection.
    let checked = lower.contains("includes(") || lower.contains("indexof(") || lower.contains("allowed") || lower.contains("?");
    ((from_request || via_name) && !checked).then_some(Origin::Reflected)
}

fn lets_credentials_through(headers: &str) -> bool {
    headers.contains("authorization") || headers.contains("cookie") || headers == "*"
}

fn file_sets_credentials(code: &Code) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?i)access-control-allow-credentials["']?\s*[:,]\s*["']?true"#).expect("credentials regex"))
        .is_match(code.file.text)
}

fn file_allows_auth_headers(code: &Code) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?i)access-control-allow-headers["']?\s*[:,]\s*["'][^"']*(?:authorization|cookie)"#).expect("headers regex"))
        .is_match(code.file.text)
}

/// The exported binding whose value contains `node`: `export const corsHeaders = {…}`.
fn exported_name(code: &Code, node: Node) -> Option<String> {
    let at = node.start_byte();
    let export = code.exports.iter().chain(&code.default_exports).find(|e| e.byte_range().contains(&at))?;
    code.defs
        .iter()
        .find(|d| export.byte_range().contains(&d.node.start_byte()) && d.value.byte_range().contains(&at))
        .map(|d| code.text(d.target).to_string())
        .or_else(|| Some("default".into()))
}

/// Header rules in files Plumb does not parse: vercel.json, netlify.toml, `_headers`.
pub(super) fn scan_settings(file: &SourceFile) -> Vec<Site> {
    let name = file.path.rsplit('/').next().unwrap_or(file.path).to_ascii_lowercase();
    if !matches!(name.as_str(), "vercel.json" | "netlify.toml" | "_headers" | "firebase.json" | "serverless.yml" | "serverless.yaml" | "staticwebapp.config.json") {
        return Vec::new();
    }
    static ORIGIN: OnceLock<Regex> = OnceLock::new();
    let origin = ORIGIN.get_or_init(|| {
        Regex::new(r#"(?i)access-control-allow-origin["']?\s*(?:[:=]|,\s*["']?value["']?\s*:)\s*["']?\*"#).expect("origin regex")
    });
    static CREDENTIALS: OnceLock<Regex> = OnceLock::new();
    let credentials = CREDENTIALS.get_or_init(|| {
        Regex::new(r#"(?i)access-control-allow-credentials["']?\s*(?:[:=]|,\s*["']?value["']?\s*:)\s*["']?true"#).expect("credentials regex")
    });
    let creds = credentials.is_match(file.text);
    origin
        .find_iter(file.text)
        .map(|m| {
            let line = file.line_of(m.start());
            Site {
                line,
                end_line: line,
                origin: Origin::Wildcard,
                how: file.line(line).trim().chars().take(80).collect(),
                credentials: creds,
                auth_headers: false,
                exported: None,
            }
        })
        .collect()
}

pub(super) fn check(repo: &Repo, facts: &[(&RepoFile, SecScan)], out: &mut Vec<Draft>) {
    let reads_auth = |path: &str| facts.iter().any(|(f, s)| f.path == path && s.reads_auth);
    for (file, scan) in facts {
        if file.roles.test {
            continue;
        }
        for site in &scan.cors {
            // Files that use the shared headers, and which of them read credentials.
            let users: Vec<&str> = if site.exported.is_some() { repo.importers_of(&file.path) } else { Vec::new() };
            let authenticated: Vec<&str> = users.iter().copied().filter(|p| reads_auth(p)).collect();
            let here = scan.reads_auth;
            if !site.credentials && !here && authenticated.is_empty() {
                continue;
            }
            let origin = match site.origin {
                Origin::Wildcard => "allows any origin (*)",
                Origin::Reflected => "echoes any request's Origin back",
            };
            let mut with = Vec::new();
            if site.credentials {
                with.push("Allow-Credentials: true".to_string());
            }
            if site.auth_headers {
                with.push("the Authorization header allowed".to_string());
            }
            let on = if !authenticated.is_empty() {
                let names: Vec<String> = authenticated.iter().map(|p| super::routes::function_label(p)).collect();
                format!(
                    " on the headers {} {} use ({} of them authenticated: {})",
                    users.len(),
                    if users.len() == 1 { "file" } else { "files" },
                    authenticated.len(),
                    list(&names, 4)
                )
            } else if here {
                " on endpoints that read credentials".to_string()
            } else {
                String::new()
            };
            let consequence = match (site.origin, site.credentials) {
                (Origin::Reflected, true) => "any website can read signed-in users' data through their browser",
                (Origin::Reflected, false) => "any website can call these endpoints from a user's browser and read the answers",
                (Origin::Wildcard, true) => "browsers refuse this pair, and the usual fix (echoing the Origin) lets any website act as the signed-in user",
                (Origin::Wildcard, false) => "any website can call these authenticated endpoints from a user's browser and read the answers",
            };
            let message = format!(
                "{} {origin}{}{on}: {consequence}; allow only your own origins",
                site.how,
                if with.is_empty() { String::new() } else { format!(" with {}", list(&with, 2)) },
            );
            let mut d = Draft::new("SEC-CORS", file.path.clone(), site.line, site.end_line, message)
                .confidence(if site.credentials || !authenticated.is_empty() || here { Confidence::High } else { Confidence::Medium })
                .auth();
            if site.origin == Origin::Reflected && site.credentials {
                d = d.severity(Severity::Critical);
            }
            for p in authenticated.iter().take(5) {
                d = d.related(*p, 0, "uses these headers and reads credentials");
            }
            if !users.is_empty() {
                d = d.fact(format!("{} files use these headers, {} of them read credentials", users.len(), authenticated.len()));
            }
            out.push(d);
        }
    }
}
