//! OPS detectors: configuration frozen into code (OPS-CONFIG), no gate before deploy
//! (OPS-CI), test and coverage settings that hide gaps (OPS-TEST-THEATRE), type checking
//! switched off (OPS-TYPES) and no reproducible deploy (OPS-DEPLOY). See
//! `queries/catalogue/ops.toml`.
//!
//! Source files are scanned (strings, env reads, tests, type bypasses); configuration files
//! (CI workflows, tsconfig, coverage settings, platform files) are few and read whole by the
//! check. YAML is read by lines: commands, their line numbers and the scripts they expand to
//! are all the gate needs.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::err::{join_and, short};
use super::{keep, Class, Confidence, Detector, Draft, Repo, RepoFile, SourceFile};
use crate::lang::Lang;

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(Delivery)]
}

const NAME: &str = "ops";

struct Delivery;

#[derive(Debug, Default, Serialize, Deserialize)]
struct OpsScan {
    /// URLs and hosts in string literals: (line, url).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    urls: Vec<(u32, String)>,
    /// Project ids assigned to names such as projectId: (line, name, value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ids: Vec<(u32, String, String)>,
    /// Environment variables read: name → first line.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    env: BTreeMap<String, u32>,
    /// Skipped or focused tests: (line, marker).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    marked: Vec<(u32, String)>,
    /// Tests with no assertion: (line, end line, name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    no_assert: Vec<(u32, u32, String)>,
    /// Coverage include/exclude lists in this config file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    coverage: Vec<CoverageList>,
    /// Lines of explicit `any`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    any: Vec<u32>,
    /// Type-check bypass comments: (line, marker).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    bypass: Vec<(u32, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CoverageList {
    line: u32,
    end_line: u32,
    key: String,
    patterns: Vec<String>,
}

impl Detector for Delivery {
    fn name(&self) -> &'static str {
        NAME
    }

    fn items(&self) -> &'static [&'static str] {
        &["OPS-CONFIG", "OPS-CI", "OPS-TEST-THEATRE", "OPS-TYPES", "OPS-DEPLOY"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.tree.is_none() {
            return None;
        }
        let mut scan = OpsScan::default();
        if file.is_test() {
            scan_tests(file, &mut scan);
        } else {
            scan_config_values(file, &mut scan);
            if is_coverage_config(file.path) {
                scan_coverage(file, &mut scan);
            }
            for m in file.matches("ops_types") {
                if let Some(n) = m.get("any") {
                    scan.any.push(file.lines(n).0);
                }
            }
        }
        let empty = scan.urls.is_empty()
            && scan.ids.is_empty()
            && scan.env.is_empty()
            && scan.marked.is_empty()
            && scan.no_assert.is_empty()
            && scan.coverage.is_empty()
            && scan.any.is_empty()
            && scan.bypass.is_empty();
        keep(&scan, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let scans = repo.facts::<OpsScan>(NAME);
        config(repo, &scans, out);
        let ci = read_ci(repo);
        gate(repo, &ci, out);
        theatre(repo, &scans, out);
        types(repo, &scans, out);
        deploy(repo, &ci, out);
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

fn under(dir: &str, path: &str) -> bool {
    dir.is_empty() || path.starts_with(&format!("{dir}/"))
}

fn is_config_file(path: &str) -> bool {
    let name = file_name(path);
    name.contains(".config.") || name.ends_with(".d.ts") || name.starts_with(".eslintrc") || name == "setup.py" || name == "conftest.py"
}

// ---------------------------------------------------------------------------------------
// Scan

fn scan_config_values(file: &SourceFile, scan: &mut OpsScan) {
    static URL: OnceLock<Regex> = OnceLock::new();
    static ID_NAME: OnceLock<Regex> = OnceLock::new();
    static JSX_ATTR: OnceLock<Regex> = OnceLock::new();
    let url = URL.get_or_init(|| {
        Regex::new(r#"(?i)\b(?:https?|wss?|postgres(?:ql)?|mysql|mongodb(?:\+srv)?|rediss?|amqps?)://[^\s"'`<>\\]+"#).unwrap()
    });
    let id_name = ID_NAME.get_or_init(|| {
        Regex::new(r#"(?i)^['"]?(project_?(id|ref)|firebase_?project|supabase_?(project_?)?(id|ref)|storage_?bucket|auth_?domain|measurement_?id|app_?id)['"]?$"#).unwrap()
    });
    let jsx_attr = JSX_ATTR.get_or_init(|| Regex::new(r#"^[\w:-]+=["'{]"#).unwrap());
    for (name, line) in env_reads(file.text) {
        scan.env.entry(name).or_insert(line);
    }
    if is_config_file(file.path) {
        return;
    }
    // Most files have no URL, project id or type-check comment: skip the query for them.
    let t = file.text;
    let worth = t.contains("://")
        || t.contains("@ts-")
        || t.contains("type: ignore")
        || t.contains("pyright:")
        || ["roject", "ROJECT", "ucket", "UCKET", "uthDomain", "UTH_DOMAIN", "ppId", "APP_ID", "easurement"].iter().any(|w| t.contains(w));
    if !worth {
        return;
    }
    for m in file.matches("ops_strings") {
        if let Some(s) = m.get("string") {
            // Links in markup (href, src) are content, not configuration.
            let markup = matches!(file.lang, Lang::Tsx | Lang::JavaScript);
            if markup && s.parent().is_some_and(|p| jsx_attr.is_match(file.text_of(p))) {
                continue;
            }
            if !file.text_of(s).contains("://") {
                continue;
            }
            for u in url.find_iter(file.text_of(s)) {
                let (line, _) = file.lines(s);
                let line = line + file.text_of(s)[..u.start()].matches('\n').count() as u32;
                scan.urls.push((line, u.as_str().trim_end_matches(['.', ',', ')', ';']).to_string()));
            }
        }
        if let (Some(k), Some(v)) = (m.get("key"), m.get("value")) {
            let value = file.text_of(v).trim_matches(|c| c == '"' || c == '\'' || c == '`');
            if id_name.is_match(file.text_of(k)) && value.len() >= 4 && !value.contains(' ') && !value.contains("://") {
                let key = file.text_of(k).trim_matches(|c| c == '"' || c == '\'').to_string();
                scan.ids.push((file.lines(v).0, key, value.to_string()));
            }
        }
        if let Some(c) = m.get("comment") {
            let text = file.text_of(c);
            for marker in ["@ts-nocheck", "@ts-ignore", "type: ignore", "pyright: ignore"] {
                if text.contains(marker) {
                    scan.bypass.push((file.lines(c).0, marker.to_string()));
                }
            }
        }
    }
}

/// Environment variables a file reads, by the APIs of each runtime.
fn env_reads(text: &str) -> Vec<(String, u32)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(concat!(
            r#"(?:process\.env\.|import\.meta\.env\.|process\.env\[\s*["']|Deno\.env\.get\(\s*["']|os\.environ\[\s*["']|os\.environ\.get\(\s*["']|os\.getenv\(\s*["']|os\.Getenv\(\s*""#,
            r#"|ENV\[\s*["']|ENV\.fetch\(\s*["']|env::var\(\s*"|System\.getenv\(\s*")([A-Z_][A-Z0-9_]*)"#
        ))
        .unwrap()
    });
    const BUILTIN: [&str; 6] = ["DEV", "PROD", "MODE", "SSR", "BASE_URL", "NODE_ENV"];
    let mut out = Vec::new();
    for c in re.captures_iter(text) {
        let name = c[1].to_string();
        if BUILTIN.contains(&name.as_str()) {
            continue;
        }
        let line = text[..c.get(0).map_or(0, |m| m.start())].matches('\n').count() as u32 + 1;
        out.push((name, line));
    }
    out
}

fn scan_tests(file: &SourceFile, scan: &mut OpsScan) {
    static ASSERT: OnceLock<Regex> = OnceLock::new();
    let assert = ASSERT.get_or_init(|| {
        Regex::new(r"\b(expect|assert|should|verify|check|raises|pytest\.fail)\w*|\bt\.\w+\(|\.expect\(|toMatch\w*Snapshot|\.called\b").unwrap()
    });
    const RUNNERS: [&str; 5] = ["it", "test", "describe", "suite", "context"];
    const MODIFIERS: [&str; 3] = ["skip", "only", "todo"];
    const ALIASES: [&str; 7] = ["xit", "xtest", "xdescribe", "xcontext", "fit", "fdescribe", "ftest"];
    let python = file.lang == Lang::Python;
    let matches = file.matches("ops_tests");
    // Python helpers (not tests themselves) that assert: a test calling one asserts too.
    let helpers: Vec<&str> = if python {
        matches
            .iter()
            .filter_map(|m| Some((m.get("case.runner")?, m.get("case.body")?)))
            .filter(|(n, b)| !file.text_of(*n).starts_with("test") && assert.is_match(file.text_of(*b)))
            .map(|(n, _)| file.text_of(n))
            .collect()
    } else {
        Vec::new()
    };
    static RETURNS: OnceLock<Regex> = OnceLock::new();
    let returns = RETURNS.get_or_init(|| Regex::new(r"\breturn\s+[^\sN]").unwrap());
    for m in matches {
        if let (Some(call), Some(runner), Some(modifier)) =
            (m.get("marked"), m.get("marked.runner"), m.get("marked.modifier"))
        {
            let (r, md) = (file.text_of(runner), file.text_of(modifier));
            if RUNNERS.contains(&r) && MODIFIERS.contains(&md) && md != "todo" {
                scan.marked.push((file.lines(call).0, format!("{r}.{md}")));
            }
        }
        if let (Some(call), Some(alias)) = (m.get("marked"), m.get("marked.alias")) {
            let a = file.text_of(alias);
            if ALIASES.contains(&a) {
                scan.marked.push((file.lines(call).0, a.to_string()));
            }
        }
        if let (Some(def), Some(dec)) = (m.get("marked"), m.get("marked.decorator")) {
            let d = file.text_of(dec);
            let skip = (d.contains("mark.skip") && !d.contains("skipif")) || d.contains("unittest.skip(") || d.trim() == "@skip" || d.contains(".skip(\"") || d.contains("unittest.skip\n");
            if skip || d.trim_start_matches('@').trim() == "unittest.skip" {
                scan.marked.push((file.lines(def).0, d.trim().to_string()));
            }
        }
        if let (Some(case), Some(runner), Some(body)) = (m.get("case"), m.get("case.runner"), m.get("case.body")) {
            let r = file.text_of(runner);
            let is_case = if python { r.starts_with("test") } else { r == "it" || r == "test" };
            let text = file.text_of(body);
            // A function that returns a value is not a test (a unittest load_tests or suite).
            if !is_case || assert.is_match(text) || (python && returns.is_match(text)) {
                continue;
            }
            if helpers.iter().any(|h| text.contains(&format!("{h}("))) {
                continue;
            }
            let name = if python {
                r.to_string()
            } else {
                m.get("case.name").map(|n| file.text_of(n).trim_matches(|c| c == '"' || c == '\'' || c == '`').to_string()).unwrap_or_default()
            };
            let (l, e) = file.lines(case);
            scan.no_assert.push((l, e, name));
        }
    }
    // A decorated test is matched by both patterns; keep one line each.
    scan.marked.sort();
    scan.marked.dedup_by(|a, b| a.0 == b.0);
}

fn is_coverage_config(path: &str) -> bool {
    let name = file_name(path);
    ["vitest.config.", "vite.config.", "jest.config.", "vitest.workspace."]
        .iter()
        .any(|p| name.starts_with(p))
}

fn scan_coverage(file: &SourceFile, scan: &mut OpsScan) {
    static STR: OnceLock<Regex> = OnceLock::new();
    let strings = STR.get_or_init(|| Regex::new(r#"["'`]([^"'`]+)["'`]"#).unwrap());
    for m in file.matches("ops_coverage") {
        if let (Some(k), Some(list)) = (m.get("list.key"), m.get("list")) {
            let key = file.text_of(k).trim_matches(|c| c == '"' || c == '\'').to_string();
            let patterns: Vec<String> = strings.captures_iter(file.text_of(list)).map(|c| c[1].to_string()).collect();
            let (line, end_line) = file.lines(list);
            let line = file.lines(k).0.min(line);
            if !scan.coverage.iter().any(|c| c.line == line) {
                scan.coverage.push(CoverageList { line, end_line, key, patterns });
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// OPS-CONFIG

/// Hosts that are the product's own infrastructure wherever they appear.
const INFRA_SUFFIXES: [&str; 22] = [
    ".supabase.co", ".supabase.in", ".firebaseio.com", ".firebaseapp.com", ".vercel.app",
    ".netlify.app", ".herokuapp.com", ".fly.dev", ".onrender.com", ".railway.app",
    ".pages.dev", ".workers.dev", ".rds.amazonaws.com", ".execute-api.amazonaws.com",
    ".lambda-url.amazonaws.com", ".azurewebsites.net", ".appspot.com", ".run.app", ".neon.tech",
    ".upstash.io", ".mongodb.net", ".psdb.cloud",
];

fn host_of(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?.to_ascii_lowercase();
    (!host.is_empty() && !host.contains('$') && !host.contains('{')).then(|| (scheme.to_ascii_lowercase(), host))
}

fn is_placeholder(host: &str) -> bool {
    host == "localhost"
        || host.starts_with("127.")
        || host == "0.0.0.0"
        || host.ends_with("example.com")
        || host.ends_with(".example")
        || host.ends_with(".test")
        || host.ends_with(".local")
        || host.contains("your")
        || host.contains("xxx")
        || host.contains('<')
}

/// The product's own hosts, from what configuration already names: .env files, Supabase
/// config, package.json homepage, CNAME.
fn own_hosts(repo: &Repo) -> BTreeMap<String, String> {
    static URL: OnceLock<Regex> = OnceLock::new();
    let url = URL.get_or_init(|| Regex::new(r#"(?i)\bhttps?://[^\s"'`<>]+"#).unwrap());
    let mut out = BTreeMap::new();
    for f in &repo.files {
        let name = file_name(&f.path);
        let source = if name.starts_with(".env") && !name.contains("example") && !name.contains("sample") && !name.contains("template") {
            "set in"
        } else if f.path == "supabase/config.toml" || name == "package.json" && dir_of(&f.path).is_empty() {
            "configured in"
        } else if name == "CNAME" {
            "the domain in"
        } else {
            continue;
        };
        let Some(text) = repo.content(&f.path) else { continue };
        if name == "CNAME" {
            let host = text.trim().to_ascii_lowercase();
            if !host.is_empty() {
                out.entry(host).or_insert_with(|| format!("{source} {}", f.path));
            }
            continue;
        }
        for line in text.lines() {
            for u in url.find_iter(line) {
                if let Some((_, host)) = host_of(u.as_str()) {
                    if !is_placeholder(&host) {
                        let var = line.split('=').next().filter(|_| line.contains('=')).map(|v| v.trim().to_string());
                        let why = match var {
                            Some(v) if name.starts_with(".env") => format!("the value of {v} in {}\u{0}{v}", f.path),
                            _ => format!("{source} {}", f.path),
                        };
                        out.entry(host).or_insert(why);
                    }
                }
            }
        }
    }
    out
}

/// Why a URL is configuration, or `None` when it is a fixed third-party endpoint.
fn frozen(url: &str, own: &BTreeMap<String, String>) -> Option<String> {
    let (scheme, host) = host_of(url)?;
    if is_placeholder(&host) {
        return None;
    }
    if ["postgres", "postgresql", "mysql", "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps"].contains(&scheme.as_str()) {
        return Some(format!("a {} connection string to {host}", if scheme.starts_with("postgres") { "Postgres" } else { scheme.as_str() }));
    }
    if let Some(why) = own.get(&host) {
        return Some(format!("{host}, {why}"));
    }
    if let Some(suffix) = INFRA_SUFFIXES.iter().find(|s| host.ends_with(*s)) {
        let what = if *suffix == ".supabase.co" || *suffix == ".supabase.in" {
            format!("the Supabase project {}", host.trim_end_matches(suffix).trim_start_matches("db."))
        } else {
            format!("the deployment host {host}")
        };
        return Some(what);
    }
    None
}

/// Env variables the platform provides: they need no line in .env.example.
fn provided_by_platform(name: &str, path: &str) -> bool {
    const SUPABASE: [&str; 5] = ["SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_DB_URL", "SB_EXECUTION_ID"];
    const ANY: [&str; 10] = ["NODE_ENV", "PORT", "CI", "HOME", "PATH", "PWD", "HOSTNAME", "TZ", "LANG", "DEBUG"];
    (path.contains("supabase/functions/") && SUPABASE.contains(&name))
        || ANY.contains(&name)
        || ["VERCEL", "NETLIFY", "RENDER", "FLY_", "RAILWAY_", "DENO_", "GITHUB_", "AWS_LAMBDA", "K_SERVICE"].iter().any(|p| name.starts_with(p))
}

fn config(repo: &Repo, scans: &[(&RepoFile, OpsScan)], out: &mut Vec<Draft>) {
    let read: BTreeSet<&str> = scans.iter().flat_map(|(_, s)| s.env.keys().map(String::as_str)).collect();
    // "the value of VITE_SUPABASE_URL in .env", and "which no code reads" when that is so.
    let own: BTreeMap<String, String> = own_hosts(repo)
        .into_iter()
        .map(|(host, why)| match why.split_once('\u{0}') {
            Some((why, var)) if !read.contains(var) => (host, format!("{why}, which no code reads")),
            Some((why, _)) => (host, why.to_string()),
            None => (host, why),
        })
        .collect();
    for (file, scan) in scans {
        if file.roles.test || file.roles.migration || is_config_file(&file.path) {
            continue;
        }
        // One finding per host and run of adjacent lines.
        let mut hits: Vec<(u32, String, String)> = scan
            .urls
            .iter()
            .filter_map(|(l, u)| frozen(u, &own).map(|why| (*l, host_of(u).map(|h| h.1).unwrap_or_default(), why)))
            .collect();
        hits.sort();
        let mut i = 0;
        while i < hits.len() {
            let mut j = i;
            while j + 1 < hits.len() && hits[j + 1].1 == hits[i].1 && hits[j + 1].0 <= hits[j].0 + 1 {
                j += 1;
            }
            let (line, host, why) = &hits[i];
            let end = hits[j].0;
            let env_fallback = repo.content(&file.path).is_some_and(|t| {
                let lines: Vec<&str> = t.lines().collect();
                let from = (*line as usize).saturating_sub(3);
                let to = (*line as usize).min(lines.len());
                !env_reads(&lines.get(from..to).unwrap_or_default().join("\n")).is_empty()
            });
            let msg = if env_fallback {
                format!("Falls back to {why} when the environment variable is unset: a staging copy with a missing variable quietly talks to production.")
            } else {
                format!("Hard-codes {why}: a staging or local copy cannot point elsewhere without editing code.")
            };
            let mut d = Draft::new("OPS-CONFIG", &file.path, *line, end, msg)
                .anchor(format!("{host} in {}", file.path))
                .confidence(Confidence::High)
                .class(Class::LoadBearing, "It is a production value in code: every copy of the app run for testing or staging talks to production.");
            if end > *line {
                d = d.fact(format!("{} lines use {host}", j - i + 1));
            }
            out.push(d);
            i = j + 1;
        }
        for (line, key, value) in &scan.ids {
            if scan.urls.iter().any(|(l, _)| l == line) {
                continue;
            }
            out.push(
                Draft::new(
                    "OPS-CONFIG",
                    &file.path,
                    *line,
                    *line,
                    format!("`{key}` is fixed to \"{}\" in code: every copy of the app talks to the same project.", short(value, 40)),
                )
                .anchor(format!("{key} in {}", file.path))
                .confidence(Confidence::Medium),
            );
        }
    }
    env_example(repo, scans, out);
}

fn env_example(repo: &Repo, scans: &[(&RepoFile, OpsScan)], out: &mut Vec<Draft>) {
    let mut reads: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for (file, scan) in scans {
        if file.roles.test {
            continue;
        }
        for (name, line) in &scan.env {
            if !provided_by_platform(name, &file.path) {
                reads.entry(name.clone()).or_insert((file.path.clone(), *line));
            }
        }
    }
    if reads.is_empty() {
        return;
    }
    let examples: Vec<&RepoFile> = repo
        .files
        .iter()
        .filter(|f| {
            let n = file_name(&f.path).to_ascii_lowercase();
            (n.starts_with(".env") || n.ends_with(".env")) && ["example", "sample", "template", "dist", "defaults"].iter().any(|w| n.contains(w))
        })
        .collect();
    if examples.is_empty() {
        let mut d = Draft::absence(
            "OPS-CONFIG",
            format!(
                "The code reads {} environment variable(s) ({}) but the repository has no .env.example: setting up a new environment means reading the code to find them.",
                reads.len(),
                short(&reads.keys().cloned().collect::<Vec<_>>().join(", "), 120)
            ),
            vec![".env.example, .env.sample, .env.template, .env.dist, example.env, anywhere in the repository".into()],
        )
        .anchor("no .env.example");
        for (name, (path, line)) in reads.iter().take(30) {
            d = d.fact(format!("{name} read at {path}:{line}"));
        }
        out.push(d);
        return;
    }
    let mut listed: BTreeSet<String> = BTreeSet::new();
    for f in &examples {
        if let Some(t) = repo.content(&f.path) {
            for line in t.lines() {
                let line = line.trim().trim_start_matches("export ").trim_start_matches('#').trim();
                if let Some((k, _)) = line.split_once('=') {
                    listed.insert(k.trim().to_string());
                }
            }
        }
    }
    let missing: Vec<(&String, &(String, u32))> = reads.iter().filter(|(k, _)| !listed.contains(*k)).collect();
    if missing.is_empty() {
        return;
    }
    let example = &examples[0].path;
    let mut d = Draft::new(
        "OPS-CONFIG",
        example,
        0,
        0,
        format!(
            "{} environment variable(s) read by the code are missing from {example}: {}. A new environment starts without them and fails where they are read.",
            missing.len(),
            missing.iter().map(|(k, (p, l))| format!("{k} ({p}:{l})")).collect::<Vec<_>>().join(", ")
        ),
    )
    .anchor(format!("missing from {example}"))
    .confidence(Confidence::Medium);
    for (k, (p, l)) in &missing {
        d = d.related((*p).clone(), *l, format!("reads {k}"));
    }
    out.push(d);
}

// ---------------------------------------------------------------------------------------
// CI: commands by line

#[derive(Debug, Default)]
struct Ci {
    files: Vec<CiFile>,
}

#[derive(Debug)]
struct CiFile {
    path: String,
    /// (line, command or action) in file order.
    steps: Vec<(u32, String)>,
    /// Runs on tags or releases.
    on_release: bool,
}

/// CI configuration files, by the conventions of each service.
fn is_ci_path(path: &str) -> bool {
    let name = file_name(path);
    (path.starts_with(".github/workflows/") && (name.ends_with(".yml") || name.ends_with(".yaml")))
        || [".gitlab-ci.yml", "bitbucket-pipelines.yml", "azure-pipelines.yml", "Jenkinsfile", ".travis.yml", ".drone.yml", "cloudbuild.yaml", "cloudbuild.yml", "buildspec.yml", ".woodpecker.yml", "appveyor.yml"].contains(&path)
        || path == ".circleci/config.yml"
        || path.starts_with(".buildkite/")
        || path.starts_with(".woodpecker/")
}

const CI_SEARCHED: &str = ".github/workflows/*.yml, .gitlab-ci.yml, .circleci/config.yml, bitbucket-pipelines.yml, azure-pipelines.yml, Jenkinsfile, .travis.yml, .buildkite/, .drone.yml, .woodpecker.yml, cloudbuild.yaml, buildspec.yml, appveyor.yml";

fn read_ci(repo: &Repo) -> Ci {
    static KEY: OnceLock<Regex> = OnceLock::new();
    static JENKINS: OnceLock<Regex> = OnceLock::new();
    let key = KEY.get_or_init(|| {
        Regex::new(r"^(\s*)(?:-\s+)?(run|script|command|commands|sh|bash|pwsh|cmd|before_script|after_script|install|uses)\s*:\s*(.*)$").unwrap()
    });
    let jenkins = JENKINS.get_or_init(|| Regex::new(r#"^\s*(sh|bat)\s*\(?\s*['"]{1,3}(.+?)['"]{0,3}\)?\s*$"#).unwrap());
    let mut ci = Ci::default();
    for f in repo.files.iter().filter(|f| is_ci_path(&f.path)) {
        let Some(text) = repo.content(&f.path) else { continue };
        let mut steps = Vec::new();
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let raw = lines[i];
            let line = strip_comment(raw);
            if f.path.ends_with("Jenkinsfile") {
                if let Some(c) = jenkins.captures(line) {
                    steps.push((i as u32 + 1, c[2].to_string()));
                }
                i += 1;
                continue;
            }
            if let Some(c) = key.captures(line) {
                let indent = c[1].len() + if line.trim_start().starts_with('-') { 2 } else { 0 };
                let value = c[3].trim();
                if &c[2] == "uses" {
                    steps.push((i as u32 + 1, format!("uses: {}", value.trim_matches(['"', '\'']))));
                } else if value.is_empty() || value.starts_with('|') || value.starts_with('>') {
                    // A block scalar or a list: the lines indented below.
                    let mut j = i + 1;
                    while j < lines.len() {
                        let l = strip_comment(lines[j]);
                        let ind = l.len() - l.trim_start().len();
                        if !l.trim().is_empty() && ind <= indent.saturating_sub(if value.is_empty() { 0 } else { 1 }) && !(value.is_empty() && l.trim_start().starts_with('-') && ind >= indent) {
                            break;
                        }
                        let cmd = l.trim().trim_start_matches("- ").trim();
                        if !cmd.is_empty() {
                            steps.push((j as u32 + 1, cmd.trim_matches(['"', '\'']).to_string()));
                        }
                        j += 1;
                    }
                    i = j;
                    continue;
                } else {
                    steps.push((i as u32 + 1, value.trim_matches(['"', '\'']).to_string()));
                }
            }
            i += 1;
        }
        let on_release = text.contains("tags:") || Regex::new(r"(?m)^\s*(release|tags)\s*:").unwrap().is_match(&text) || text.contains("$CI_COMMIT_TAG") || text.contains("refs/tags");
        ci.files.push(CiFile { path: f.path.clone(), steps, on_release });
    }
    ci
}

fn strip_comment(line: &str) -> &str {
    match line.find(" #") {
        Some(i) => &line[..i],
        None if line.trim_start().starts_with('#') => "",
        None => line,
    }
}

/// `npm run build` → the script's own command (and the scripts it runs), from package.json.
fn expand(repo: &Repo, command: &str) -> String {
    static RUN: OnceLock<Regex> = OnceLock::new();
    let run = RUN.get_or_init(|| {
        Regex::new(r"\b(?:npm|pnpm|yarn|bun)(?:\s+--?[\w-]+(?:[= ][\w./-]+)?)*\s+(?:run(?:-script)?\s+)?([\w:.-]+)").unwrap()
    });
    let scripts = package_scripts(repo);
    let mut text = command.to_string();
    for _ in 0..3 {
        let mut more = String::new();
        for c in run.captures_iter(&text) {
            let name = &c[1];
            if let Some(s) = scripts.get(name) {
                more.push_str(&format!(" && {s}"));
            }
        }
        if more.is_empty() || text.contains(&more) {
            break;
        }
        text.push_str(&more);
    }
    text
}

fn package_scripts(repo: &Repo) -> BTreeMap<String, String> {
    repo.content("package.json")
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("scripts").cloned())
        .and_then(|s| serde_json::from_value::<BTreeMap<String, String>>(s).ok())
        .unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gate {
    Test,
    Types,
    Lint,
}

impl Gate {
    fn noun(self) -> &'static str {
        match self {
            Gate::Test => "tests",
            Gate::Types => "type check",
            Gate::Lint => "lint",
        }
    }
}

fn gates_of(command: &str) -> Vec<Gate> {
    static TEST: OnceLock<Regex> = OnceLock::new();
    static TYPES: OnceLock<Regex> = OnceLock::new();
    static LINT: OnceLock<Regex> = OnceLock::new();
    let test = TEST.get_or_init(|| Regex::new(r"\b(vitest|jest|mocha|ava|pytest|py\.test|tox|nox|go test|cargo (test|nextest)|rspec|rails test|phpunit|playwright test|cypress(-io/github-action| run)|deno test|bun test|node --test|unittest|nose2|mvn (verify|test)|gradle\w* test|dotnet test)\b").unwrap());
    let types = TYPES.get_or_init(|| Regex::new(r"\b(tsc|vue-tsc|svelte-check|mypy|pyright|deno check|flow check|cargo (check|build|clippy)|go (vet|build)|next build|astro check|nuxi typecheck|typecheck|type-check|mvn|gradle\w*|dotnet build)\b").unwrap());
    let lint = LINT.get_or_init(|| Regex::new(r"\b(eslint|next lint|biome (check|lint|ci)|oxlint|ruff|flake8|pylint|golangci-lint|cargo clippy|rubocop|standardrb|stylelint|deno lint|super-linter|pre-commit run|prettier --check|black --check)\b").unwrap());
    let mut out = Vec::new();
    if test.is_match(command) {
        out.push(Gate::Test);
    }
    if types.is_match(command) {
        out.push(Gate::Types);
    }
    if lint.is_match(command) {
        out.push(Gate::Lint);
    }
    out
}

fn deploy_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(vercel(\s+deploy|\s+--prod|-action)|netlify(\s+deploy|/actions)|fly(ctl)?\s+deploy|flyctl-actions|supabase\s+(functions\s+deploy|db\s+push)|firebase\s+deploy|wrangler(\s+(deploy|publish)|-action)|railway\s+up|gcloud\s+(run|app|functions)\s+deploy|deploy-cloudrun|kubectl\s+(apply|set\s+image|rollout)|helm\s+(upgrade|install)|docker\s+push|build-push-action|serverless\s+deploy|sls\s+deploy|cdk\s+deploy|sst\s+deploy|terraform\s+apply|pulumi\s+up|eb\s+deploy|amplify\s+publish|heroku|aws\s+(ecs|lambda|s3\s+sync)|actions-gh-pages|render-deploy|dokku|capistrano|cap\s+production)").unwrap()
    })
}

fn migration_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(supabase\s+(db\s+push|migration\s+up)|prisma\s+migrate\s+deploy|alembic\s+upgrade|manage\.py\s+migrate|rails\s+db:migrate|rake\s+db:migrate|knex\s+migrate|sequelize\s+db:migrate|drizzle-kit\s+(push|migrate)|flyway\s+migrate|goose\s+\S*\s*up|migrate\s+-path|typeorm\s+migration:run|dbmate\s+up|atlas\s+migrate\s+apply|release_command|preDeployCommand)").unwrap()
    })
}

// ---------------------------------------------------------------------------------------
// OPS-CI

fn gate(repo: &Repo, ci: &Ci, out: &mut Vec<Draft>) {
    let code: Vec<&RepoFile> = repo.files.iter().filter(|f| f.lang.is_parsed()).collect();
    if code.is_empty() {
        return;
    }
    if ci.files.is_empty() {
        out.push(
            Draft::absence(
                "OPS-CI",
                "No CI configuration: nothing runs tests, a type check or a linter before a change reaches customers.",
                vec![CI_SEARCHED.to_string()],
            )
            .anchor("no CI")
            .class(Class::LoadBearing, "Every change reaches customers with nothing checked on the way.")
            .confidence(Confidence::High),
        );
        return;
    }
    let mut found: BTreeSet<Gate> = BTreeSet::new();
    let mut expanded_all = String::new();
    for f in &ci.files {
        for (_, step) in &f.steps {
            let e = expand(repo, step);
            found.extend(gates_of(&e));
            expanded_all.push_str(&e);
            expanded_all.push('\n');
        }
    }
    let missing: Vec<Gate> = [Gate::Test, Gate::Types, Gate::Lint].into_iter().filter(|g| !found.contains(g)).collect();
    // Code areas CI never touches: a Python service, Deno edge functions.
    let mut untouched: Vec<String> = Vec::new();
    let python_roots: BTreeSet<&str> = repo
        .files
        .iter()
        .filter(|f| ["requirements.txt", "pyproject.toml", "Pipfile", "setup.py"].contains(&file_name(&f.path)))
        .map(|f| dir_of(&f.path))
        .collect();
    let python_ci = Regex::new(r"\b(python|pip|pytest|poetry|uv|ruff|mypy|tox|pdm|hatch)\b").unwrap().is_match(&expanded_all);
    for root in python_roots {
        let mentioned = !root.is_empty() && expanded_all.contains(root);
        if !python_ci || (!mentioned && !root.is_empty() && !expanded_all.contains("working-directory")) {
            untouched.push(format!("{} (Python)", if root.is_empty() { "." } else { root }));
        }
    }
    if repo.files.iter().any(|f| f.path.starts_with("supabase/functions/") && f.lang.is_parsed()) && !expanded_all.contains("deno") && !expanded_all.contains("supabase/functions") {
        untouched.push("supabase/functions (Deno edge functions)".into());
    }
    if missing.is_empty() && untouched.is_empty() {
        return;
    }
    // Place the finding on the workflow with the most steps.
    let Some(main) = ci.files.iter().max_by_key(|f| f.steps.len()) else { return };
    let (line, end) = match (main.steps.first(), main.steps.last()) {
        (Some(a), Some(b)) => (a.0, b.0),
        _ => (0, 0),
    };
    let ran: Vec<String> = main
        .steps
        .iter()
        .filter(|(_, s)| !s.starts_with("uses:"))
        .map(|(_, s)| {
            let e = expand(repo, s);
            if e.len() > s.len() {
                format!("{s} ({})", short(e[s.len()..].trim_start_matches(" && "), 40))
            } else {
                s.clone()
            }
        })
        .collect();
    let deploys = deploy_pattern().is_match(&expanded_all);
    let mut msg = format!(
        "CI ({}) runs {}",
        main.path,
        if ran.is_empty() { "no commands of its own".to_string() } else { join_and(&ran) }
    );
    if !missing.is_empty() {
        msg.push_str(&format!(
            ", but no {}",
            join_or(&missing.iter().map(|g| g.noun().to_string()).collect::<Vec<_>>())
        ));
        if deploys {
            msg.push_str(", and it deploys anyway");
        }
    }
    if !untouched.is_empty() {
        msg.push_str(&format!("; nothing checks {}", join_and(&untouched)));
    }
    msg.push('.');
    let mut d = Draft::new("OPS-CI", &main.path, line, end, msg)
        .class(Class::LoadBearing, "Every change reaches customers through this gate, so what it does not check, nobody checks.")
        .anchor(format!("CI gates in {}", main.path))
        .confidence(Confidence::High)
        .searched(format!("commands in {} CI file(s), with npm/pnpm/yarn scripts expanded from package.json", ci.files.len()));
    let scripts = package_scripts(repo);
    for g in &missing {
        let named = |n: &str| match g {
            Gate::Test => n == "test",
            Gate::Lint => n == "lint",
            Gate::Types => n.contains("type") || n == "check",
        };
        let found = scripts
            .iter()
            .filter(|(_, c)| gates_of(c).contains(g))
            .min_by_key(|(n, _)| !named(n));
        if let Some((name, cmd)) = found {
            d = d.fact(format!("package.json has \"{name}\": \"{}\" ({}), never run in CI", short(cmd, 40), g.noun()));
        }
    }
    for u in &untouched {
        d = d.fact(format!("not covered by CI: {u}"));
    }
    out.push(d);
}


fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{}, no {last}", init.join(", no ")),
    }
}

// ---------------------------------------------------------------------------------------
// OPS-DEPLOY

/// Platform files that deploy from the repository, with whether the platform keeps previous
/// releases for a rollback.
const PLATFORMS: [(&str, &str, bool); 17] = [
    ("vercel.json", "Vercel", true),
    ("netlify.toml", "Netlify", true),
    ("fly.toml", "Fly.io", true),
    ("render.yaml", "Render", true),
    ("railway.json", "Railway", true),
    ("railway.toml", "Railway", true),
    ("Procfile", "Heroku-style Procfile", true),
    ("app.json", "Heroku", true),
    ("app.yaml", "App Engine", true),
    ("serverless.yml", "Serverless Framework", false),
    ("serverless.yaml", "Serverless Framework", false),
    ("wrangler.toml", "Cloudflare Workers", true),
    ("wrangler.json", "Cloudflare Workers", true),
    ("amplify.yml", "AWS Amplify", true),
    ("firebase.json", "Firebase", true),
    ("Chart.yaml", "Helm", true),
    ("sst.config.ts", "SST", false),
];

fn deploy(repo: &Repo, ci: &Ci, out: &mut Vec<Draft>) {
    if !repo.files.iter().any(|f| f.lang.is_parsed() && !f.roles.test) {
        return;
    }
    let platforms: Vec<(&str, &str, bool)> = repo
        .files
        .iter()
        .filter(|f| !f.path.contains("node_modules/"))
        .filter_map(|f| PLATFORMS.iter().find(|(n, _, _)| *n == file_name(&f.path)).map(|(_, p, r)| (f.path.as_str(), *p, *r)))
        .collect();
    // Deploy commands: in CI, in package.json scripts, in shell scripts and Makefiles.
    let mut commands: Vec<(String, u32, String)> = Vec::new();
    for f in &ci.files {
        for (l, s) in &f.steps {
            let e = expand(repo, s);
            if deploy_pattern().is_match(&e) || migration_pattern().is_match(&e) {
                commands.push((f.path.clone(), *l, e));
            }
        }
    }
    for (name, cmd) in package_scripts(repo) {
        if deploy_pattern().is_match(&cmd) || migration_pattern().is_match(&cmd) {
            commands.push(("package.json".into(), 0, format!("{name}: {cmd}")));
        }
    }
    for f in repo.files.iter().filter(|f| f.lang == Lang::Shell || file_name(&f.path) == "Makefile" || file_name(&f.path) == "justfile") {
        if let Some(t) = repo.content(&f.path) {
            for (i, l) in t.lines().enumerate() {
                if deploy_pattern().is_match(l) || migration_pattern().is_match(l) {
                    commands.push((f.path.clone(), i as u32 + 1, l.trim().to_string()));
                }
            }
        }
    }
    let deploys: Vec<&(String, u32, String)> = commands.iter().filter(|(_, _, c)| deploy_pattern().is_match(c)).collect();
    let migrates = commands.iter().any(|(_, _, c)| migration_pattern().is_match(c))
        || platforms.iter().any(|(p, _, _)| repo.content(p).is_some_and(|t| migration_pattern().is_match(&t)));
    let dockerfiles: Vec<&str> = repo.files.iter().filter(|f| file_name(&f.path) == "Dockerfile" || file_name(&f.path).ends_with(".Dockerfile")).map(|f| f.path.as_str()).collect();
    let migrations_dir = repo
        .files
        .iter()
        .filter(|f| f.roles.migration || f.path.contains("/migrations/") || f.path.starts_with("migrations/") || f.path.contains("alembic/versions/"))
        .map(|f| dir_of(&f.path))
        .next();
    let functions = repo.files.iter().filter(|f| f.roles.entry == Some(super::roles::EntryKind::EdgeFunction) && f.path.starts_with("supabase/functions/")).count();
    let released = ci.files.iter().any(|f| f.on_release) || has_tags(repo) || repo.files.iter().any(|f| matches!(file_name(&f.path), "CHANGELOG.md" | ".releaserc" | ".releaserc.json" | "release-please-config.json") || f.path.starts_with(".changeset/"));
    let searched = vec![
        format!("platform files: {}", PLATFORMS.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ")),
        "deploy commands in CI, package.json scripts, shell scripts and Makefiles (vercel, netlify, fly deploy, supabase functions deploy / db push, firebase, wrangler, gcloud, kubectl, helm, docker push, serverless, cdk, terraform, heroku)".into(),
        "migration steps tied to deploy (supabase db push, prisma migrate deploy, alembic upgrade, manage.py migrate, rails db:migrate, knex/sequelize/drizzle/flyway/goose, release_command)".into(),
        "versioned releases: CI on tags or releases, git tags, CHANGELOG, semantic-release, changesets, release-please".into(),
    ];
    let mut gaps: Vec<String> = Vec::new();
    let mut facts: Vec<String> = Vec::new();
    if platforms.is_empty() && deploys.is_empty() {
        gaps.push("no deploy configuration: nothing in the repository says how a release reaches production".into());
        if !dockerfiles.is_empty() {
            facts.push(format!("{} builds an image, but no workflow or platform file deploys it", dockerfiles.join(", ")));
        }
        if functions > 0 {
            facts.push(format!("{functions} Supabase edge functions are never deployed by a script (no supabase functions deploy)"));
        }
        if let Some(step) = readme_deploy_step(repo) {
            facts.push(format!("README's deploy step: \"{}\"", short(&step, 120)));
        }
    }
    if let Some(dir) = migrations_dir {
        if !migrates {
            gaps.push(format!("the migrations in {dir} are not applied by any deploy step, so schema and code go out separately, by hand"));
        }
    }
    let rollback = platforms.iter().any(|(_, _, r)| *r);
    if !released && !rollback {
        gaps.push("no versioned releases or platform rollback: going back means rebuilding an old commit by hand".into());
    }
    if gaps.is_empty() {
        return;
    }
    let mut d = Draft::absence(
        "OPS-DEPLOY",
        format!("{}{}.", gaps[0][..1].to_uppercase(), format!("{}{}", &gaps[0][1..], if gaps.len() > 1 { format!("; {}", gaps[1..].join("; ")) } else { String::new() })),
        searched,
    )
    .anchor("deploy and rollback")
    .class(Class::LoadBearing, "Once the product is live, a bad release stays up until someone works out by hand how to undo it.")
    .confidence(if platforms.is_empty() && deploys.is_empty() { Confidence::Medium } else { Confidence::Low });
    for f in facts {
        d = d.fact(f);
    }
    for (p, name, _) in &platforms {
        d = d.fact(format!("{name}: {p}"));
    }
    for (p, l, c) in deploys.iter().take(5) {
        d = d.fact(format!("deploys at {p}:{l}: {}", short(c, 80)));
    }
    out.push(d);
}

/// Whether the repository has git tags (read-only; absent for in-memory checks).
fn has_tags(repo: &Repo) -> bool {
    repo.root
        .as_ref()
        .and_then(|r| git2::Repository::open(r).ok())
        .and_then(|r| r.tag_names(None).ok().map(|t| !t.is_empty()))
        .unwrap_or(false)
}

/// The first line under a README heading that mentions deploying.
fn readme_deploy_step(repo: &Repo) -> Option<String> {
    let text = repo.content("README.md")?;
    let mut in_deploy = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('#') {
            in_deploy = t.to_ascii_lowercase().contains("deploy");
            continue;
        }
        if in_deploy && !t.is_empty() {
            return Some(t.to_string());
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// OPS-TEST-THEATRE

fn theatre(repo: &Repo, scans: &[(&RepoFile, OpsScan)], out: &mut Vec<Draft>) {
    for (file, scan) in scans {
        for (line, marker) in &scan.marked {
            let focused = marker.ends_with(".only") || marker.starts_with('f');
            let msg = if focused {
                format!("`{marker}` focuses the run on this test: the other tests of the file (or the suite) stop running while the report still says passed.")
            } else {
                format!("`{marker}` skips this test: it never runs, and the suite reports green without it.")
            };
            out.push(theatre_class(repo, file, focused, Draft::new("OPS-TEST-THEATRE", &file.path, *line, *line, msg).confidence(Confidence::High)));
        }
        for (line, end, name) in &scan.no_assert {
            let d = Draft::new(
                "OPS-TEST-THEATRE",
                &file.path,
                *line,
                *end,
                format!("The test \"{}\" asserts nothing: it passes whatever the code does.", short(name, 60)),
            )
            .anchor(format!("no assertion: {name}"))
            .confidence(Confidence::High);
            out.push(theatre_class(repo, file, false, d));
        }
    }
    coverage_js(repo, scans, out);
    coverage_python(repo, out);
}

/// A focused test, or a hollow test of money, access or data-write code, makes the report
/// lie about what matters; other skipped tests are housekeeping.
fn theatre_class(repo: &Repo, test: &RepoFile, focused: bool, d: Draft) -> Draft {
    if focused {
        return d.class(Class::LoadBearing, "A focused test silently stops the rest of the suite from running, so the report says passed for tests that never ran.");
    }
    let critical: Vec<&str> = repo
        .imports_of(&test.path)
        .into_iter()
        .filter(|p| repo.file(p).is_some_and(|f| f.roles.money || f.roles.auth || f.roles.data_write))
        .collect();
    match critical.first() {
        Some(p) => d.class(Class::LoadBearing, format!("It is the test of {p}, which handles money, access or customer data, so that code is reported tested when it is not.")),
        None => d,
    }
}

/// Production source files a runner of these languages could measure under `root`.
fn sources<'r>(repo: &'r Repo, root: &str, langs: &[Lang]) -> Vec<&'r RepoFile> {
    repo.files
        .iter()
        .filter(|f| langs.contains(&f.lang) && !f.roles.test && !is_config_file(&f.path) && under(root, &f.path))
        .filter(|f| !f.path.contains("supabase/functions/"))
        .filter(|f| {
            // Files of another package (its own manifest) are measured by that package.
            let mut d = dir_of(&f.path);
            while !d.is_empty() && d != root {
                if repo.file(&format!("{d}/package.json")).is_some() || repo.file(&format!("{d}/deno.json")).is_some() || repo.file(&format!("{d}/pyproject.toml")).is_some() {
                    return false;
                }
                d = dir_of(d);
            }
            true
        })
        .collect()
}

fn globs(patterns: &[String]) -> Option<GlobSet> {
    let mut b = GlobSetBuilder::new();
    let mut any = false;
    for p in patterns {
        let p = p.trim_start_matches("<rootDir>/").trim_start_matches("./").trim_start_matches('!');
        let p = if p.ends_with('/') { format!("{p}**") } else { p.to_string() };
        for variant in [p.clone(), format!("{p}/**")] {
            if let Ok(g) = Glob::new(&variant) {
                b.add(g);
                any = true;
            }
        }
    }
    any.then(|| b.build().ok()).flatten()
}

/// The share of `files` that include (when present) and exclude lists let coverage measure.
fn measured<'f>(files: &[&'f RepoFile], root: &str, include: &[String], exclude: &[String]) -> Vec<&'f RepoFile> {
    let inc = globs(include);
    let exc = globs(exclude);
    files
        .iter()
        .copied()
        .filter(|f| {
            let rel = f.path.strip_prefix(&format!("{root}/")).unwrap_or(&f.path);
            inc.as_ref().is_none_or(|g| g.is_match(rel)) && !exc.as_ref().is_some_and(|g| g.is_match(rel))
        })
        .collect()
}

fn unmeasured_areas(all: &[&RepoFile], kept: &[&RepoFile]) -> String {
    let kept: BTreeSet<&str> = kept.iter().map(|f| f.path.as_str()).collect();
    let mut by: BTreeMap<String, u32> = BTreeMap::new();
    for f in all.iter().filter(|f| !kept.contains(f.path.as_str())) {
        let d = dir_of(&f.path);
        let area = d.split('/').take(2).collect::<Vec<_>>().join("/");
        *by.entry(if area.is_empty() { ".".into() } else { area }).or_insert(0) += 1;
    }
    let mut v: Vec<(String, u32)> = by.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.iter().take(6).map(|(a, n)| format!("{a} ({n})")).collect::<Vec<_>>().join(", ")
}

fn coverage_finding(path: &str, line: u32, end: u32, runner: &str, all: &[&RepoFile], kept: &[&RepoFile], how: &str, thresholds: Option<String>) -> Option<Draft> {
    if all.len() < 3 {
        return None;
    }
    let share = kept.len() as f64 / all.len() as f64;
    if share >= 0.5 {
        return None;
    }
    let pct = (share * 100.0).round();
    let mut msg = format!(
        "{runner} coverage measures {} of {} source files ({pct}%): {how}",
        kept.len(),
        all.len()
    );
    if let Some(t) = &thresholds {
        msg.push_str(&format!("; the {t} threshold applies to those files only"));
    }
    msg.push('.');
    Some(
        Draft::new("OPS-TEST-THEATRE", path, line, end, msg)
            .class(Class::LoadBearing, "The coverage figure everyone reads describes a sliver of the code, so untested code looks tested.")
            .anchor(format!("{runner} coverage scope"))
            .confidence(Confidence::High)
            .fact(format!("measured share: {}/{} source files ({pct}%)", kept.len(), all.len()))
            .fact(format!("not measured: {}", unmeasured_areas(all, kept))),
    )
}

fn coverage_js(repo: &Repo, scans: &[(&RepoFile, OpsScan)], out: &mut Vec<Draft>) {
    static THRESHOLD: OnceLock<Regex> = OnceLock::new();
    let threshold = THRESHOLD.get_or_init(|| Regex::new(r"(?s)(thresholds?|coverageThreshold)\s*:\s*\{[^}]*?(lines|statements|branches|functions)\s*:\s*(\d+)").unwrap());
    let js = [Lang::TypeScript, Lang::Tsx, Lang::JavaScript];
    for (file, scan) in scans {
        if scan.coverage.is_empty() {
            continue;
        }
        let root = dir_of(&file.path);
        let all = sources(repo, root, &js);
        let include: Vec<&CoverageList> = scan.coverage.iter().filter(|c| c.key == "include" || c.key == "collectCoverageFrom").collect();
        let exclude: Vec<&CoverageList> = scan.coverage.iter().filter(|c| c.key == "exclude" || c.key == "coveragePathIgnorePatterns").collect();
        let mut inc: Vec<String> = include.iter().flat_map(|c| c.patterns.iter().filter(|p| !p.starts_with('!')).cloned()).collect();
        let mut exc: Vec<String> = exclude.iter().flat_map(|c| c.patterns.clone()).collect();
        exc.extend(include.iter().flat_map(|c| c.patterns.iter().filter(|p| p.starts_with('!')).cloned()));
        inc.retain(|p| !p.is_empty());
        let kept = measured(&all, root, &inc, &exc);
        let at = include.first().or(exclude.first()).copied();
        let Some(at) = at else { continue };
        let how = if !inc.is_empty() && kept.len() < measured(&all, root, &[], &exc).len() {
            format!("`{}` lists only {}", at.key, short(&inc.join(", "), 80))
        } else {
            format!("`{}` removes {}", exclude.first().map(|c| c.key.as_str()).unwrap_or("exclude"), short(&exc.join(", "), 80))
        };
        let t = repo.content(&file.path).and_then(|t| threshold.captures(&t).map(|c| format!("{}% {}", &c[3], &c[2])));
        let runner = if file_name(&file.path).starts_with("jest") { "Jest" } else { "Vitest" };
        if let Some(d) = coverage_finding(&file.path, at.line, at.end_line, runner, &all, &kept, &how, t) {
            out.push(d);
        }
    }
}

fn coverage_python(repo: &Repo, out: &mut Vec<Draft>) {
    for f in repo.files.iter().filter(|f| matches!(file_name(&f.path), ".coveragerc" | "setup.cfg" | "tox.ini" | "pyproject.toml" | "pytest.ini")) {
        let Some(text) = repo.content(&f.path) else { continue };
        let root = dir_of(&f.path);
        let settings = python_coverage_settings(&text);
        if settings.source.is_empty() && settings.include.is_empty() && settings.omit.is_empty() {
            continue;
        }
        let all = sources(repo, root, &[Lang::Python]);
        let mut include: Vec<String> = settings.include.clone();
        for s in &settings.source {
            let s = s.replace('.', "/");
            include.push(format!("{s}/**"));
            include.push(format!("{s}.py"));
            include.push(format!("**/{s}/**"));
        }
        let kept = measured(&all, root, &include, &settings.omit);
        let how = if !settings.source.is_empty() || !settings.include.is_empty() {
            format!("it is limited to {}", short(&settings.source.iter().chain(&settings.include).cloned().collect::<Vec<_>>().join(", "), 80))
        } else {
            format!("omit removes {}", short(&settings.omit.join(", "), 80))
        };
        if let Some(d) = coverage_finding(&f.path, settings.line, settings.line, "coverage.py", &all, &kept, &how, settings.fail_under.clone()) {
            out.push(d);
        }
    }
}

#[derive(Debug, Default)]
struct PyCoverage {
    line: u32,
    source: Vec<String>,
    include: Vec<String>,
    omit: Vec<String>,
    fail_under: Option<String>,
}

/// coverage.py settings from .coveragerc / setup.cfg / tox.ini ([run] or [coverage:run]),
/// pyproject.toml ([tool.coverage.run]) and pytest's --cov options.
fn python_coverage_settings(text: &str) -> PyCoverage {
    static COV: OnceLock<Regex> = OnceLock::new();
    let cov = COV.get_or_init(|| Regex::new(r"--cov=([\w./-]+)").unwrap());
    let mut s = PyCoverage::default();
    let mut section = String::new();
    let mut key: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let t = line.trim();
        if t.starts_with('[') {
            section = t.trim_matches(['[', ']']).trim().to_string();
            key = None;
            continue;
        }
        for c in cov.captures_iter(t) {
            s.source.push(c[1].trim_end_matches('/').to_string());
            if s.line == 0 {
                s.line = i as u32 + 1;
            }
        }
        let run = matches!(section.as_str(), "run" | "coverage:run" | "tool.coverage.run");
        let report = matches!(section.as_str(), "report" | "coverage:report" | "tool.coverage.report");
        if !run && !report {
            continue;
        }
        let continuation = raw.starts_with([' ', '\t']) && !t.contains('=');
        let (k, value) = if continuation {
            match &key {
                Some(k) => (k.clone(), t.to_string()),
                None => continue,
            }
        } else if let Some((k, v)) = t.split_once('=') {
            key = Some(k.trim().to_string());
            (k.trim().to_string(), v.trim().to_string())
        } else {
            continue;
        };
        let values: Vec<String> = value
            .trim_matches(['[', ']'])
            .split([',', '\n'])
            .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty() && v != "]")
            .collect();
        let at = i as u32 + 1;
        match (k.as_str(), run) {
            ("source", true) => {
                s.source.extend(values);
                s.line = if s.line == 0 { at } else { s.line };
            }
            ("include", true) => {
                s.include.extend(values);
                s.line = if s.line == 0 { at } else { s.line };
            }
            ("omit", true) => {
                s.omit.extend(values);
                s.line = if s.line == 0 { at } else { s.line };
            }
            ("fail_under", false) => s.fail_under = values.first().map(|v| format!("{v}%")),
            _ => {}
        }
    }
    s
}

// ---------------------------------------------------------------------------------------
// OPS-TYPES

#[derive(Debug, Default, Clone)]
struct TsOptions {
    /// option → (value, file, line) as the chain sets it.
    set: BTreeMap<String, (bool, String, u32)>,
    /// An `extends` that could not be read (a package not in the repository).
    unknown_base: Option<String>,
}

/// The compiler options of a tsconfig, following relative `extends` (up to 8 levels) and
/// known strict presets.
fn ts_options(repo: &Repo, path: &str, depth: u32) -> TsOptions {
    const STRICT_PRESETS: [&str; 8] = [
        "@tsconfig/strictest", "@tsconfig/recommended", "@tsconfig/node", "@tsconfig/vite-react", "@tsconfig/svelte", "@tsconfig/deno", "@tsconfig/bun", "@tsconfig/create-react-app",
    ];
    let mut opts = TsOptions::default();
    let Some(text) = repo.content(path) else { return opts };
    let Ok(Some(json)) = jsonc_parser::parse_to_serde_value::<Option<serde_json::Value>>(&text, &Default::default()) else { return opts };
    let bases: Vec<String> = match json.get("extends") {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => vec![],
    };
    for base in bases {
        if base.starts_with('.') && depth < 8 {
            let joined = normalize(&format!("{}/{}", dir_of(path), base));
            let target = if joined.ends_with(".json") { joined } else { format!("{joined}.json") };
            let b = ts_options(repo, &target, depth + 1);
            opts.set.extend(b.set);
            opts.unknown_base = opts.unknown_base.or(b.unknown_base);
        } else if STRICT_PRESETS.iter().any(|p| base.starts_with(p)) {
            opts.set.insert("strict".into(), (true, base.clone(), 0));
        } else {
            opts.unknown_base = Some(base);
        }
    }
    if let Some(co) = json.get("compilerOptions").and_then(|c| c.as_object()) {
        for (k, v) in co {
            if let Some(b) = v.as_bool() {
                let line = text.lines().position(|l| l.contains(&format!("\"{k}\""))).map_or(0, |i| i as u32 + 1);
                opts.set.insert(k.clone(), (b, path.to_string(), line));
            }
        }
    }
    opts
}

fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

fn types(repo: &Repo, scans: &[(&RepoFile, OpsScan)], out: &mut Vec<Draft>) {
    let ts_files: Vec<&RepoFile> = repo.files.iter().filter(|f| matches!(f.lang, Lang::TypeScript | Lang::Tsx) && !f.roles.test).collect();
    // tsconfig files in use: those at a package root and those they reference.
    let mut configs: Vec<String> = repo
        .files
        .iter()
        .filter(|f| file_name(&f.path) == "tsconfig.json" && !f.path.contains("node_modules/"))
        .map(|f| f.path.clone())
        .collect();
    let mut i = 0;
    while i < configs.len() {
        if let Some(json) = repo.content(&configs[i]).and_then(|t| jsonc_parser::parse_to_serde_value::<Option<serde_json::Value>>(&t, &Default::default()).ok().flatten()) {
            for r in json.get("references").and_then(|r| r.as_array()).into_iter().flatten() {
                if let Some(p) = r.get("path").and_then(|p| p.as_str()) {
                    let joined = normalize(&format!("{}/{p}", dir_of(&configs[i])));
                    let target = if joined.ends_with(".json") { joined } else { format!("{joined}/tsconfig.json") };
                    if repo.file(&target).is_some() && !configs.contains(&target) {
                        configs.push(target);
                    }
                }
            }
        }
        i += 1;
    }
    let mut reported: BTreeSet<(String, u32)> = BTreeSet::new();
    for config in &configs {
        let opts = ts_options(repo, config, 0);
        let root = dir_of(config);
        let covered: Vec<&&RepoFile> = ts_files.iter().filter(|f| under(root, &f.path)).collect();
        if covered.is_empty() {
            continue;
        }
        let off: Vec<(&str, &(bool, String, u32))> = ["strict", "noImplicitAny", "strictNullChecks"]
            .iter()
            .filter_map(|k| opts.set.get(*k).filter(|v| !v.0).map(|v| (*k, v)))
            .collect();
        let strict_missing = !opts.set.contains_key("strict") && opts.unknown_base.is_none() && !off.iter().any(|(k, _)| *k == "strict");
        if off.is_empty() && !strict_missing {
            continue;
        }
        let (file, line, end) = match off.first() {
            Some((_, (_, f, l))) => (f.clone(), *l, off.iter().filter(|(_, v)| v.1 == *f).map(|(_, v)| v.2).max().unwrap_or(*l)),
            None => (config.clone(), 0, 0),
        };
        if !reported.insert((file.clone(), line)) {
            continue;
        }
        let any_count: usize = scans.iter().filter(|(f, _)| under(root, &f.path)).map(|(_, s)| s.any.len()).sum();
        let names: Vec<String> = off.iter().map(|(k, _)| format!("{k}: false")).collect();
        let msg = if off.is_empty() {
            format!("{config} never turns on strict (it defaults to off): null and undefined flow anywhere unchecked in {} TypeScript files.", covered.len())
        } else {
            format!(
                "Type checking is weakened for {} TypeScript files: {}{}. Undefined values, wrong shapes and renamed fields compile without a word.",
                covered.len(),
                join_and(&names),
                if off.iter().any(|(k, _)| *k == "noImplicitAny") { " (every untyped parameter is any)" } else { "" }
            )
        };
        let mut d = Draft::new("OPS-TYPES", &file, line, end.max(line), msg)
            .anchor(format!("{} in {file}", names.join(", ")))
            .confidence(Confidence::High)
            .fact(format!("explicit any under {}: {any_count}", if root.is_empty() { "the repository" } else { root }));
        if covered.iter().any(|f| f.roles.money) {
            d = d.money();
        }
        if covered.iter().any(|f| f.roles.data_write) {
            d = d.data_write();
        }
        if let Some(change) = last_change(repo, &file) {
            d = d.fact(change);
        }
        out.push(d);
    }
    for (file, scan) in scans {
        // Declaration files describe other code (often generated); their any is not a bypass.
        if file.roles.test || file.path.ends_with(".d.ts") {
            continue;
        }
        if let Some((line, _)) = scan.bypass.iter().find(|(_, m)| m == "@ts-nocheck") {
            out.push(
                Draft::new("OPS-TYPES", &file.path, *line, *line, "`@ts-nocheck` switches type checking off for this whole file.")
                    .anchor(format!("@ts-nocheck {}", file.path))
                    .confidence(Confidence::High),
            );
        }
        let ignores: Vec<u32> = scan.bypass.iter().filter(|(_, m)| m != "@ts-nocheck").map(|(l, _)| *l).collect();
        if !ignores.is_empty() {
            let marker = if file.lang == Lang::Python { "# type: ignore" } else { "@ts-ignore" };
            out.push(
                Draft::new(
                    "OPS-TYPES",
                    &file.path,
                    ignores[0],
                    ignores[0],
                    format!("{} `{marker}` comment(s) in this file silence the type checker on the lines below them.", ignores.len()),
                )
                .anchor(format!("{marker} in {}", file.path))
                .fact(format!("lines: {}", ignores.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", "))),
            );
        }
        let critical = file.roles.money || file.roles.auth || file.roles.data_write;
        let loc = file.loc.max(1) as usize;
        if scan.any.len() >= 8 || (critical && scan.any.len() >= 4) || (scan.any.len() >= 4 && scan.any.len() * 50 >= loc) {
            out.push(
                Draft::new(
                    "OPS-TYPES",
                    &file.path,
                    scan.any[0],
                    scan.any[0],
                    format!(
                        "{} explicit `any` in {} lines: the values that pass through here are not type checked.",
                        scan.any.len(),
                        file.loc
                    ),
                )
                .anchor(format!("any in {}", file.path))
                .confidence(Confidence::Medium)
                .fact(format!("any at lines {}", scan.any.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", "))),
            );
        }
    }
}

/// "last changed by Cursor Agent (a coding agent): …" from the history, when known.
fn last_change(repo: &Repo, path: &str) -> Option<String> {
    let change = repo.history.changes.get(path)?.first()?;
    let commit = repo.history.commits.get(change.commit)?;
    Some(format!(
        "{path} last changed by {}{} in {}: \"{}\"",
        commit.author_name,
        commit.agent.as_ref().map(|a| format!(" (coding agent: {a})")).unwrap_or_default(),
        &commit.id[..commit.id.len().min(8)],
        short(&commit.summary, 80)
    ))
}
