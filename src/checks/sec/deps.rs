//! SEC-DEPS: dependencies that can change under the code. Manifests without a lockfile;
//! production dependencies on `*`, `latest`, a dist-tag, an open-ended `>=` range or a git
//! branch; requirements files without exact pins (and no lock); Deno and CDN imports without
//! an exact version (`https://esm.sh/x`, `https://esm.sh/x@2`, `deno.land/x/y/mod.ts`,
//! `npm:x`, `jsr:@s/x`) unless a `deno.lock` records them; and packages the code imports that
//! no manifest or lockfile lists (a typo, or a name an AI assistant invented that an attacker
//! can register).

use std::collections::{BTreeSet, HashSet};

use serde::{Deserialize, Serialize};

use super::super::{keep, Class, Confidence, Detector, Draft, Repo, Severity, SourceFile};
use super::list;
use crate::lang::Lang;

const NAME: &str = "sec-deps";
const ITEM: &str = "SEC-DEPS";

pub(super) struct Deps;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    Npm,
    Requirements,
    Pyproject,
    Pipfile,
    /// deno.json / import_map.json: an import map.
    ImportMap,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Dep {
    name: String,
    spec: String,
    line: u32,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    dev: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    kind: Kind,
    deps: Vec<Dep>,
    /// The file pins with hashes or says pip-compile generated it (it is a lock itself).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    locked: bool,
}

const PRODUCTION: &str = "These packages run in production: a bad release ships with the next install or deploy.";

const NPM_LOCKS: [&str; 6] = ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock"];
const PY_LOCKS: [&str; 6] = ["poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock", "requirements.lock", "requirements-lock.txt"];

impl Detector for Deps {
    fn name(&self) -> &'static str {
        NAME
    }

    fn items(&self) -> &'static [&'static str] {
        &[ITEM]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if !matches!(file.lang, Lang::Json | Lang::Toml | Lang::Other | Lang::Yaml) {
            return None;
        }
        let manifest = manifest(file.path, file.text)?;
        keep(&manifest, false)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let paths: HashSet<&str> = repo.files.iter().map(|f| f.path.as_str()).collect();
        let lock_near = |path: &str, locks: &[&str], ancestors: bool| -> Option<String> {
            let mut dir = parent(path);
            loop {
                if let Some(l) = locks.iter().map(|l| join(dir, l)).find(|l| paths.contains(l.as_str())) {
                    return Some(l);
                }
                if !ancestors || dir.is_empty() {
                    return None;
                }
                dir = parent(dir);
            }
        };
        let manifests = repo.facts::<Manifest>(NAME);
        for (file, m) in &manifests {
            if file.roles.test {
                continue;
            }
            match m.kind {
                Kind::Npm => {
                    let lock = lock_near(&file.path, &NPM_LOCKS, true);
                    let prod: Vec<&Dep> = m.deps.iter().filter(|d| !d.dev).collect();
                    if lock.is_none() && !m.deps.is_empty() {
                        out.push(
                            Draft::new(ITEM, file.path.clone(), 0, 0, format!(
                                "{} declares {} dependencies and no lockfile sits beside it or above it: every install resolves the ranges anew, so a compromised or broken release ships without anyone choosing it",
                                file.path,
                                m.deps.len()
                            ))
                            .confidence(Confidence::High)
                            .class(Class::LoadBearing, PRODUCTION)
                            .anchor(format!("nolock:{}", file.path))
                            .searched(format!("{} in {} and its parent folders", NPM_LOCKS.join(", "), parent_label(&file.path))),
                        );
                    }
                    for d in prod {
                        if let Some(why) = unbounded_npm(&d.spec) {
                            out.push(
                                Draft::new(ITEM, file.path.clone(), d.line, d.line, format!(
                                    "The production dependency {} is on \"{}\" ({why}): {}",
                                    d.name,
                                    d.spec,
                                    if lock.is_some() { "the lockfile holds one release today, but the next `npm install` or lockfile refresh takes whatever is published then" } else { "every install takes whatever is published then" }
                                ))
                                .confidence(Confidence::High)
                                .class(Class::LoadBearing, PRODUCTION)
                                .anchor(format!("range:{}:{}", file.path, d.name)),
                            );
                        }
                    }
                }
                Kind::Requirements => {
                    let lock = lock_near(&file.path, &PY_LOCKS, false);
                    if m.locked || lock.is_some() || m.deps.is_empty() {
                        continue;
                    }
                    let unpinned: Vec<&Dep> = m.deps.iter().filter(|d| !pinned_pip(&d.spec)).collect();
                    if unpinned.is_empty() {
                        continue;
                    }
                    let names: Vec<String> = unpinned.iter().map(|d| format!("{}{}", d.name, d.spec)).collect();
                    out.push(
                        Draft::new(ITEM, file.path.clone(), 0, 0, format!(
                            "{} of {} requirements in {} have no exact version ({}) and there is no lock file: every build installs whatever is newest that day",
                            unpinned.len(),
                            m.deps.len(),
                            file.path,
                            list(&names, 4)
                        ))
                        .confidence(Confidence::High)
                        .class(Class::LoadBearing, PRODUCTION)
                        .anchor(format!("unpinned:{}", file.path))
                        .fact(format!("unpinned: {}", names.join(", ")))
                        .searched(format!("{} beside {}; == pins, --hash lines, a pip-compile header", PY_LOCKS.join(", "), file.path)),
                    );
                }
                Kind::Pyproject | Kind::Pipfile => {
                    let locks: &[&str] = if m.kind == Kind::Pipfile { &["Pipfile.lock"] } else { &["poetry.lock", "uv.lock", "pdm.lock"] };
                    if !m.deps.is_empty() && lock_near(&file.path, locks, false).is_none() {
                        out.push(
                            Draft::new(ITEM, file.path.clone(), 0, 0, format!(
                                "{} declares {} dependencies and has no lock file ({}): every install resolves them anew",
                                file.path,
                                m.deps.len(),
                                locks.join(", ")
                            ))
                            .confidence(Confidence::High)
                            .anchor(format!("nolock:{}", file.path)),
                        );
                    }
                    for d in m.deps.iter().filter(|d| !d.dev && (d.spec.trim() == "*" || d.spec.trim().is_empty() && m.kind == Kind::Pipfile)) {
                        out.push(
                            Draft::new(ITEM, file.path.clone(), d.line, d.line, format!("{} is on \"*\": any release is accepted", d.name))
                                .confidence(Confidence::High)
                                .anchor(format!("range:{}:{}", file.path, d.name)),
                        );
                    }
                }
                Kind::ImportMap => {
                    let locked = lock_near(&file.path, &["deno.lock"], true).is_some();
                    for d in &m.deps {
                        if let Some(why) = unpinned_specifier(&d.spec) {
                            if locked {
                                continue;
                            }
                            out.push(url_draft(&file.path, d.line, &d.spec, &why, Some(&d.name)));
                        }
                    }
                }
            }
        }

        // Imports in code: unpinned URLs and npm:/jsr: specifiers, undeclared packages.
        let npm: Vec<(&str, &Manifest)> = manifests
            .iter()
            .filter(|(_, m)| m.kind == Kind::Npm)
            .map(|(f, m)| (f.path.as_str(), m))
            .collect();
        let mut lock_texts: Vec<(String, Option<String>)> = Vec::new();
        for (i, file) in repo.files.iter().enumerate() {
            if file.roles.test || !matches!(file.lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript) {
                continue;
            }
            let deno_lock = lock_near(&file.path, &["deno.lock"], true);
            let deno_lock_text = deno_lock.as_ref().and_then(|l| lock_text(repo, l, &mut lock_texts));
            for import in &file.imports {
                let spec = import.specifier.as_str();
                if let Some(why) = unpinned_specifier(spec) {
                    let recorded = deno_lock.is_some() && deno_lock_text.as_ref().is_none_or(|t| t.contains(spec));
                    if !recorded {
                        out.push(url_draft(&file.path, import.line, spec, &why, None));
                    }
                }
            }
            // Undeclared packages: only for files a package.json governs (not Deno functions).
            let Some((manifest_path, _)) = npm.iter().filter(|(p, _)| within(&file.path, parent(p))).max_by_key(|(p, _)| p.len()) else { continue };
            if file.path.contains("supabase/functions/") || lock_near(&file.path, &["deno.json", "deno.jsonc"], true).is_some() {
                continue;
            }
            let declared: HashSet<&str> = npm
                .iter()
                .filter(|(p, _)| within(&file.path, parent(p)))
                .flat_map(|(_, m)| m.deps.iter().map(|d| d.name.as_str()))
                .collect();
            let externals: HashSet<&str> = repo.external.get(i).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
            let mut reported: BTreeSet<String> = BTreeSet::new();
            for import in &file.imports {
                let Some(name) = bare_package(&import.specifier) else { continue };
                if declared.contains(name.as_str()) || !externals.contains(name.as_str()) || is_node_builtin(&name) || reported.contains(&name) {
                    continue;
                }
                // Types come with @types/<name>; a package in the lockfile arrived through
                // another one (fragile, but it exists).
                if declared.contains(format!("@types/{}", name.trim_start_matches('@').replace('/', "__")).as_str()) {
                    continue;
                }
                let npm_lock = lock_near(manifest_path, &NPM_LOCKS, true);
                let in_lock = npm_lock
                    .as_ref()
                    .and_then(|l| lock_text(repo, l, &mut lock_texts))
                    .is_some_and(|t| lock_lists(&t, &name));
                if in_lock {
                    continue;
                }
                reported.insert(name.clone());
                out.push(
                    Draft::new(ITEM, file.path.clone(), import.line, import.line, format!(
                        "{} is imported here but neither {} nor {} lists it: installs fail or pick up whatever owns that name on npm (assistants invent package names, and attackers register them)",
                        name,
                        manifest_path,
                        npm_lock.as_deref().unwrap_or("a lockfile")
                    ))
                    .confidence(Confidence::Medium)
                    .anchor(format!("undeclared:{name}"))
                    .searched(format!("dependencies, devDependencies, peerDependencies and optionalDependencies of {manifest_path} and the package.json files above it, and the lockfile")),
                );
            }
        }
    }
}

fn url_draft(path: &str, line: u32, spec: &str, why: &str, alias: Option<&str>) -> Draft {
    let shown = alias.map(|a| format!("\"{a}\" maps to {spec}")).unwrap_or_else(|| spec.to_string());
    Draft::new(ITEM, path, line, line, format!(
        "{shown} {why}: each deploy can run a different release of it, and a compromised release ships without anyone choosing it; pin an exact version (or record it in deno.lock)"
    ))
    .confidence(Confidence::High)
    .severity(Severity::High)
    .class(Class::LoadBearing, "The import is fetched when the function is deployed: a changed release runs in production.")
    .anchor(format!("url:{spec}"))
}

/// The text of a lockfile (stored, or read from the working tree), cached per run.
fn lock_text(repo: &Repo, path: &str, cache: &mut Vec<(String, Option<String>)>) -> Option<String> {
    if let Some((_, t)) = cache.iter().find(|(p, _)| p == path) {
        return t.clone();
    }
    let text = repo.content(path).or_else(|| {
        let full = repo.root.as_ref()?.join(path);
        let meta = std::fs::symlink_metadata(&full).ok()?;
        // Lockfiles are not indexed; read them directly, bounded, never through a link.
        if !meta.is_file() || meta.len() > 64 << 20 {
            return None;
        }
        std::fs::read_to_string(full).ok()
    });
    cache.push((path.to_string(), text.clone()));
    text
}

/// package-lock (`"node_modules/x"`), yarn (`x@` / `"x@`), pnpm (`/x@`, ` x@`), bun.
fn lock_lists(lock: &str, name: &str) -> bool {
    lock.contains(&format!("node_modules/{name}\""))
        || lock.contains(&format!("\"{name}@"))
        || lock.contains(&format!("\n{name}@"))
        || lock.contains(&format!("/{name}@"))
        || lock.contains(&format!(" {name}@"))
        || lock.contains(&format!("\"{name}\":"))
}

/// Why an npm version range can move without bound, if it can.
fn unbounded_npm(spec: &str) -> Option<&'static str> {
    let s = spec.trim();
    if s.is_empty() || s == "*" || s == "x" || s == "X" {
        return Some("any version");
    }
    if s == "latest" || s == "next" || s == "canary" || s == "beta" || s == "alpha" || s == "nightly" || s == "rc" {
        return Some("a moving dist-tag");
    }
    if (s.starts_with(">=") || s.starts_with('>')) && !s.contains('<') && !s.contains("||") {
        return Some("no upper bound");
    }
    let git = s.starts_with("git") || s.starts_with("github:") || s.starts_with("gitlab:") || s.starts_with("bitbucket:") || (s.contains('/') && !s.contains(':') && !s.starts_with('.') && !s.starts_with('@') && !s.starts_with("file") && !s.starts_with("link") && !s.starts_with("workspace"));
    if git {
        let commit = s.rsplit_once('#').is_some_and(|(_, r)| r.len() >= 7 && r.chars().all(|c| c.is_ascii_hexdigit()));
        let tag = s.rsplit_once('#').is_some_and(|(_, r)| r.starts_with("semver:") || r.starts_with('v') && r[1..].chars().next().is_some_and(|c| c.is_ascii_digit()));
        if !commit && !tag {
            return Some("a git branch, not a commit");
        }
    }
    None
}

/// `==1.2.3` (or `===`), or a direct URL with a commit: an exact pin.
fn pinned_pip(spec: &str) -> bool {
    let s = spec.trim();
    (s.starts_with("==") && !s.contains('*') && !s.contains(',')) || s.starts_with("===") || (s.starts_with('@') && s.contains('#'))
}

/// Why an import specifier has no exact version, if it has none.
fn unpinned_specifier(spec: &str) -> Option<String> {
    let exact = |v: &str| {
        let v = v.trim_start_matches('v').trim_start_matches('=');
        let core = v.split(['-', '+']).next().unwrap_or(v);
        let parts: Vec<&str> = core.split('.').collect();
        parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    };
    let verdict = |version: Option<&str>| -> Option<String> {
        match version {
            None | Some("") => Some("has no version".into()),
            Some(v) if exact(v) => None,
            Some("latest") => Some("is on the latest tag".into()),
            Some(v) => Some(format!("is pinned only to \"{v}\", a range")),
        }
    };
    let package_version = |rest: &str| -> Option<String> {
        let rest = rest.trim_start_matches('/');
        let (name_part, after) = if let Some(scoped) = rest.strip_prefix('@') {
            let mut it = scoped.splitn(3, '/');
            let scope = it.next().unwrap_or("");
            let name = it.next().unwrap_or("");
            (format!("@{scope}/{name}"), it.next().unwrap_or("").to_string())
        } else {
            let mut it = rest.splitn(2, '/');
            (it.next().unwrap_or("").to_string(), it.next().unwrap_or("").to_string())
        };
        let _ = after;
        let name_part = name_part.split(['?', '#']).next().unwrap_or("").to_string();
        let version = name_part.trim_start_matches('@').split_once('@').map(|(_, v)| v.to_string());
        verdict(version.as_deref())
    };
    if let Some(rest) = spec.strip_prefix("npm:").or_else(|| spec.strip_prefix("jsr:")) {
        return package_version(rest);
    }
    let rest = spec.strip_prefix("https://").or_else(|| spec.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    match host {
        "esm.sh" | "cdn.skypack.dev" | "unpkg.com" | "esm.run" | "jspm.dev" | "cdn.esm.sh" => {
            // esm.sh's build prefixes: /v135/, /stable/
            let mut path = path;
            loop {
                let first = path.split('/').next().unwrap_or("");
                let build = first == "stable" || first == "pin" || (first.starts_with('v') && first.len() > 1 && first[1..].chars().all(|c| c.is_ascii_digit()));
                if !build {
                    break;
                }
                path = path.split_once('/').map_or("", |(_, r)| r);
            }
            package_version(path)
        }
        "cdn.jsdelivr.net" | "ga.jspm.io" => {
            let path = path.trim_start_matches("npm/").trim_start_matches("npm:");
            package_version(path)
        }
        "deno.land" => {
            let path = path.strip_prefix("x/").unwrap_or(path);
            let first = path.split('/').next().unwrap_or("");
            verdict(first.split_once('@').map(|(_, v)| v))
        }
        "raw.githubusercontent.com" => {
            let branch = path.split('/').nth(2).unwrap_or("");
            matches!(branch, "main" | "master" | "develop" | "HEAD").then(|| format!("follows the {branch} branch"))
        }
        _ => None,
    }
}

/// `@scope/name/sub` → `@scope/name`; relative, aliased, scheme and virtual specifiers → None.
fn bare_package(spec: &str) -> Option<String> {
    if spec.is_empty()
        || spec.starts_with('.')
        || spec.starts_with('/')
        || spec.starts_with('#')
        || spec.starts_with('~')
        || spec.starts_with('$')
        || spec.starts_with("@/")
        || spec.contains(':')
        || spec.contains("\\")
    {
        return None;
    }
    let mut parts = spec.split('/');
    let first = parts.next()?;
    let name = if first.starts_with('@') { format!("{first}/{}", parts.next()?) } else { first.to_string() };
    let valid = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | '@' | '/'));
    valid.then_some(name)
}

fn is_node_builtin(name: &str) -> bool {
    const BUILTINS: [&str; 40] = [
        "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto", "dgram",
        "diagnostics_channel", "dns", "domain", "events", "fs", "http", "http2", "https", "inspector", "module", "net", "os",
        "path", "perf_hooks", "process", "punycode", "querystring", "readline", "repl", "stream", "string_decoder", "sys",
        "timers", "tls", "trace_events", "tty", "url", "util", "v8", "vm", "zlib",
    ];
    BUILTINS.contains(&name) || name == "worker_threads" || name == "test" || name == "wasi"
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn parent_label(path: &str) -> &str {
    let p = parent(path);
    if p.is_empty() {
        "the repository root"
    } else {
        p
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn within(path: &str, dir: &str) -> bool {
    dir.is_empty() || path.starts_with(&format!("{dir}/"))
}

/// Reads a manifest (package.json, requirements*.txt, pyproject.toml, Pipfile, deno.json,
/// import_map.json); `None` for other files.
fn manifest(path: &str, text: &str) -> Option<Manifest> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if path.split('/').any(|s| s == "node_modules") {
        return None;
    }
    let line_of = |needle: &str, from: usize| -> u32 {
        text[from.min(text.len())..]
            .find(needle)
            .map_or(0, |i| 1 + memchr::memchr_iter(b'\n', &text.as_bytes()[..from + i]).count() as u32)
    };
    match name {
        "package.json" => {
            let json: serde_json::Value = serde_json::from_str(text).ok()?;
            let mut deps = Vec::new();
            for (section, dev) in [("dependencies", false), ("optionalDependencies", false), ("peerDependencies", false), ("devDependencies", true)] {
                let Some(map) = json.get(section).and_then(|v| v.as_object()) else { continue };
                let from = text.find(&format!("\"{section}\"")).unwrap_or(0);
                for (n, v) in map {
                    deps.push(Dep {
                        name: n.clone(),
                        spec: v.as_str().unwrap_or("").to_string(),
                        line: line_of(&format!("\"{n}\""), from),
                        dev,
                    });
                }
            }
            Some(Manifest { kind: Kind::Npm, deps, locked: false })
        }
        "deno.json" | "deno.jsonc" | "import_map.json" => {
            let json: serde_json::Value = jsonc_parser::parse_to_serde_value(text, &Default::default()).ok().flatten()?;
            let map = json.get("imports")?.as_object()?;
            let from = text.find("\"imports\"").unwrap_or(0);
            let deps = map
                .iter()
                .filter_map(|(n, v)| {
                    Some(Dep { name: n.clone(), spec: v.as_str()?.to_string(), line: line_of(&format!("\"{n}\""), from), dev: false })
                })
                .collect();
            Some(Manifest { kind: Kind::ImportMap, deps, locked: false })
        }
        "Pipfile" => {
            let doc: toml::Table = toml::from_str(text).ok()?;
            let mut deps = Vec::new();
            for (section, dev) in [("packages", false), ("dev-packages", true)] {
                let Some(t) = doc.get(section).and_then(|v| v.as_table()) else { continue };
                let from = text.find(&format!("[{section}]")).unwrap_or(0);
                for (n, v) in t {
                    let spec = v.as_str().map(str::to_string).or_else(|| v.get("version").and_then(|x| x.as_str()).map(str::to_string)).unwrap_or_default();
                    deps.push(Dep { name: n.clone(), spec, line: line_of(&format!("{n} "), from).max(line_of(&format!("{n}="), from)), dev });
                }
            }
            Some(Manifest { kind: Kind::Pipfile, deps, locked: false })
        }
        "pyproject.toml" => {
            let doc: toml::Table = toml::from_str(text).ok()?;
            let mut deps = Vec::new();
            if let Some(list) = doc.get("project").and_then(|p| p.get("dependencies")).and_then(|d| d.as_array()) {
                for v in list.iter().filter_map(|v| v.as_str()) {
                    let (n, spec) = split_requirement(v);
                    deps.push(Dep { line: line_of(v, 0), name: n, spec, dev: false });
                }
            }
            if let Some(t) = doc.get("tool").and_then(|t| t.get("poetry")).and_then(|p| p.get("dependencies")).and_then(|d| d.as_table()) {
                let from = text.find("[tool.poetry.dependencies]").unwrap_or(0);
                for (n, v) in t.iter().filter(|(n, _)| n.as_str() != "python") {
                    let spec = v.as_str().map(str::to_string).or_else(|| v.get("version").and_then(|x| x.as_str()).map(str::to_string)).unwrap_or_default();
                    deps.push(Dep { name: n.clone(), spec, line: line_of(&format!("{n} "), from), dev: false });
                }
            }
            Some(Manifest { kind: Kind::Pyproject, deps, locked: false })
        }
        n if (n.starts_with("requirements") && n.ends_with(".txt")) || (path.contains("requirements/") && n.ends_with(".txt")) => {
            let mut deps = Vec::new();
            let mut locked = text.contains("--hash=") || text.contains("autogenerated by pip-compile") || text.contains("uv pip compile");
            for (i, raw) in text.lines().enumerate() {
                let line = raw.split(" #").next().unwrap_or(raw).trim();
                if line.is_empty() || line.starts_with('#') || line.starts_with("-r") || line.starts_with("--") || line.starts_with("-e") {
                    continue;
                }
                if line.starts_with("-c") {
                    locked = true; // a constraints file pins them
                    continue;
                }
                let (n, spec) = split_requirement(line);
                if !n.is_empty() {
                    deps.push(Dep { name: n, spec, line: i as u32 + 1, dev: false });
                }
            }
            Some(Manifest { kind: Kind::Requirements, deps, locked })
        }
        _ => None,
    }
}

/// `pyjwt>=2.8` → (`pyjwt`, `>=2.8`); `uvicorn[standard]` → (`uvicorn[standard]`, ``).
fn split_requirement(req: &str) -> (String, String) {
    let req = req.split(';').next().unwrap_or(req).trim();
    let at = req.find(|c: char| matches!(c, '=' | '<' | '>' | '~' | '!' | '@' | ' ')).unwrap_or(req.len());
    (req[..at].trim().to_string(), req[at..].trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifiers_without_exact_versions_are_unpinned() {
        assert!(unpinned_specifier("npm:resend").is_some());
        assert!(unpinned_specifier("npm:resend@^3").is_some());
        assert!(unpinned_specifier("npm:resend@3.2.0").is_none());
        assert!(unpinned_specifier("https://esm.sh/@supabase/supabase-js@2").is_some());
        assert!(unpinned_specifier("https://esm.sh/@supabase/supabase-js@2.45.4").is_none());
        assert!(unpinned_specifier("https://esm.sh/stripe@14.21.0?target=deno").is_none());
        assert!(unpinned_specifier("https://esm.sh/v135/stripe@14.21.0").is_none());
        assert!(unpinned_specifier("https://esm.sh/openai").is_some());
        assert!(unpinned_specifier("https://deno.land/x/oak/mod.ts").is_some());
        assert!(unpinned_specifier("https://deno.land/x/oak@v12.6.1/mod.ts").is_none());
        assert!(unpinned_specifier("https://deno.land/std/http/server.ts").is_some());
        assert!(unpinned_specifier("https://deno.land/std@0.168.0/http/server.ts").is_none());
        assert!(unpinned_specifier("jsr:@std/assert@1.0.0").is_none());
        assert!(unpinned_specifier("jsr:@std/assert").is_some());
        assert!(unpinned_specifier("./local.ts").is_none());
        assert!(unpinned_specifier("react").is_none());
    }

    #[test]
    fn npm_ranges_without_bounds_are_flagged() {
        for s in ["*", "latest", "", ">=1.0.0", "github:user/repo", "user/repo", "git+https://github.com/u/r.git"] {
            assert!(unbounded_npm(s).is_some(), "{s}");
        }
        for s in ["^1.2.3", "~2.0.0", "1.2.3", ">=1 <2", "github:user/repo#4f2a9c1", "workspace:*", "file:../x", "npm:other@^1"] {
            assert!(unbounded_npm(s).is_none(), "{s}");
        }
    }

    #[test]
    fn requirements_pins_are_exact_versions() {
        assert!(pinned_pip("==2.31.0"));
        assert!(!pinned_pip(">=2.8"));
        assert!(!pinned_pip(""));
        assert!(!pinned_pip("~=1.4"));
        assert_eq!(split_requirement("pyjwt>=2.8"), ("pyjwt".into(), ">=2.8".into()));
        assert_eq!(bare_package("@supabase/supabase-js/dist"), Some("@supabase/supabase-js".into()));
        assert_eq!(bare_package("@/lib/x"), None);
        assert_eq!(bare_package("node:fs"), None);
    }
}
