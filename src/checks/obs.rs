//! OBS detectors: no error tracking (OBS-ERROR-TRACKING), unstructured or leaky logging
//! (OBS-LOGGING) and no health check on a deployed server (OBS-HEALTH). See
//! `queries/catalogue/obs.toml`. Absences say what was searched.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::err::{is_log, join_and};
use super::roles::normalize_callee;
use super::{keep, Class, Confidence, Detector, Draft, Repo, RepoFile, SourceFile};
use crate::lang::Lang;

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(Observability)]
}

const NAME: &str = "obs";

struct Observability;

#[derive(Debug, Default, Serialize, Deserialize)]
struct ObsScan {
    /// Log calls that pass a credential or personal data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    leaks: Vec<Leak>,
    /// Lines of plain console.* / print calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    plain_logs: Vec<u32>,
    /// Long-running server apps created here: (line, framework).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    servers: Vec<(u32, String)>,
    /// The server is started here (listen, uvicorn.run, ListenAndServe).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    listens: bool,
    /// Health or readiness routes registered here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    health_routes: Vec<(u32, String)>,
    /// Mentions a request or correlation id.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    request_ids: bool,
    /// Uses a logger (logging.getLogger, pino(), winston.createLogger, structlog, slog…).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    logger: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Leak {
    line: u32,
    end_line: u32,
    /// The field or variable, as written (`token`, `user.email`).
    field: String,
    /// What it is: a token, a password, an email address…
    what: String,
    callee: String,
}

impl Detector for Observability {
    fn name(&self) -> &'static str {
        NAME
    }

    fn items(&self) -> &'static [&'static str] {
        &["OBS-ERROR-TRACKING", "OBS-LOGGING", "OBS-HEALTH"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test() || file.tree.is_none() {
            return None;
        }
        if !matches!(
            file.lang,
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript | Lang::Python | Lang::Go
        ) {
            return None;
        }
        let mut scan = ObsScan::default();
        for m in file.matches("obs_calls") {
            if let (Some(callee), Some(args), Some(call)) = (m.get("callee"), m.get("args"), m.get("call")) {
                let name = normalize_callee(file.text_of(callee));
                let (line, end) = file.lines(call);
                if is_log(&name) {
                    if is_plain_log(&name) {
                        scan.plain_logs.push(line);
                    }
                    for (field, what) in sensitive_fields(file, args) {
                        scan.leaks.push(Leak { line, end_line: end, field, what, callee: name.clone() });
                    }
                }
                if let Some(framework) = server_framework(&name, file.lang) {
                    scan.servers.push((line, framework.to_string()));
                }
                if starts_server(&name) {
                    scan.listens = true;
                }
                if is_logger_setup(&name) {
                    scan.logger = true;
                }
            }
            if let (Some(route), Some(call)) = (m.get("route"), m.get("route.call")) {
                let path = file.text_of(route).trim_matches(|c| c == '"' || c == '`' || c == '\'');
                if is_health_path(path) {
                    scan.health_routes.push((file.lines(call).0, path.to_string()));
                }
            }
        }
        scan.leaks.dedup_by(|a, b| a.line == b.line && a.field == b.field);
        scan.request_ids = request_id_pattern().is_match(file.text);
        let empty = scan.leaks.is_empty()
            && scan.plain_logs.is_empty()
            && scan.servers.is_empty()
            && !scan.listens
            && scan.health_routes.is_empty()
            && !scan.request_ids
            && !scan.logger;
        keep(&scan, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let scans = repo.facts::<ObsScan>(NAME);
        error_tracking(repo, out);
        logging(repo, &scans, out);
        health(repo, &scans, out);
    }
}

// ---------------------------------------------------------------------------------------
// OBS-LOGGING

/// `console.log` / `print`: output with no logger behind it.
fn is_plain_log(callee: &str) -> bool {
    callee.starts_with("console.") || callee == "print" || callee == "pprint"
}

fn is_logger_setup(callee: &str) -> bool {
    const SETUP: [&str; 14] = [
        "logging.getLogger",
        "logging.basicConfig",
        "logging.config.dictConfig",
        "structlog.get_logger",
        "structlog.configure",
        "loguru.logger.add",
        "logger.add",
        "pino",
        "winston.createLogger",
        "createLogger",
        "bunyan.createLogger",
        "log4js.getLogger",
        "slog.New",
        "zap.NewProduction",
    ];
    SETUP.contains(&callee)
}

/// Request or correlation ids: in code, headers or middleware names.
fn request_id_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)request[_-]?id|x-request-id|correlation[_-]?id|trace[_-]?id|traceparent|asgi[_-]correlation|genReqId|cls-rtracer|execution[_-]?id").unwrap()
    })
}

/// Names in a log call's arguments that carry credentials, card data or email addresses.
fn sensitive_fields(file: &SourceFile, args: tree_sitter::Node) -> Vec<(String, String)> {
    static HEADERS: OnceLock<Regex> = OnceLock::new();
    let headers = HEADERS.get_or_init(|| {
        Regex::new(r"\b(req|request|ctx\.request|c\.req)\.headers\b\s*($|[,)}\s])").unwrap()
    });
    let mut out: Vec<(String, String)> = Vec::new();
    let text = file.text_of(args);
    if let Some(c) = headers.captures(text) {
        out.push((format!("{}.headers", &c[1]), "request headers (Authorization, cookies)".into()));
    }
    for m in file.matches_in("obs_names", args) {
        let Some(n) = m.get("name") else { continue };
        let name = file.text_of(n);
        // `token.length`: the object of a member access says nothing by itself; its
        // property gets its own look.
        if let Some(p) = n.parent() {
            let pt = file.text_of(p);
            // `!!token`, `typeof token`: a flag about the value, not the value.
            if pt.starts_with('!') || pt.starts_with("typeof") {
                continue;
            }
            if pt.len() > name.len() && pt.starts_with(name) && pt[name.len()..].starts_with(['.', '?', '[']) && p.start_byte() == n.start_byte() {
                continue;
            }
        }
        if let Some(what) = sensitive(name) {
            let shown = n
                .parent()
                .map(|p| file.text_of(p))
                .filter(|pt| pt.ends_with(name) && pt.len() <= 60 && !pt.contains(['(', ' ', '\n', '{', '`', '"']))
                .unwrap_or(name);
            if !out.iter().any(|(f, _)| f == shown) {
                out.push((shown.to_string(), what.to_string()));
            }
        }
    }
    out
}

/// What a variable or field named `name` holds, when it is a secret or personal data.
fn sensitive(name: &str) -> Option<&'static str> {
    let words = words(name);
    let last = words.last()?.as_str();
    let first = words.first().map(String::as_str).unwrap_or("");
    let has = |w: &str| words.iter().any(|x| x == w);
    // Counts and flags about a secret are not the secret: tokenCount, hasToken, max_tokens.
    const NOT: [&str; 16] = [
        "count", "length", "len", "size", "type", "id", "ids", "name", "expires", "expiry",
        "sent", "valid", "exists", "url", "field", "label",
    ];
    if NOT.contains(&last) || ["has", "is", "should", "max", "num", "n", "total"].contains(&first) {
        return None;
    }
    Some(match last {
        "token" | "jwt" | "bearer" => "a token",
        "password" | "passwd" | "pwd" | "passphrase" | "passcode" => "a password",
        "secret" => "a secret",
        "authorization" | "cookie" | "cookies" => "credentials",
        "otp" => "a one-time code",
        "cvc" | "cvv" | "cvv2" => "card data",
        "ssn" => "a social security number",
        "email" | "emails" => "an email address",
        "key" if has("api") || has("secret") || has("private") || has("access") => "an API key",
        "apikey" => "an API key",
        "number" if has("card") => "card data",
        "pan" if has("card") => "card data",
        _ if has("password") => "a password",
        _ => return None,
    })
}

/// `accessToken` → [access, token]; `api_key` → [api, key]; `JWT` → [jwt].
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' || c == '$' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && i > 0
            && (chars[i - 1].is_lowercase() || chars.get(i + 1).is_some_and(|n| n.is_lowercase()) && chars[i - 1].is_uppercase());
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn logging(repo: &Repo, scans: &[(&RepoFile, ObsScan)], out: &mut Vec<Draft>) {
    for (file, scan) in scans {
        // One finding per log call, naming every field it leaks.
        let mut calls: BTreeMap<(u32, u32, &str), Vec<&Leak>> = BTreeMap::new();
        for leak in &scan.leaks {
            calls.entry((leak.line, leak.end_line, leak.callee.as_str())).or_default().push(leak);
        }
        for ((line, end, callee), leaks) in calls {
            let severe = leaks.iter().any(|l| l.what != "an email address");
            let fields: Vec<String> = leaks.iter().map(|l| format!("`{}` ({})", l.field, l.what)).collect();
            let mut d = Draft::new(
                "OBS-LOGGING",
                &file.path,
                line,
                end,
                format!(
                    "`{callee}` writes {} to the logs: anyone who can read the logs{} gets it.",
                    join_and(&fields),
                    if file.roles.server { ", or the log provider," } else { " (the browser console, session replays)" }
                ),
            )
            .anchor(format!("{callee} {}", leaks.iter().map(|l| l.field.as_str()).collect::<Vec<_>>().join(" ")));
            for l in &leaks {
                d = d.fact(format!("logged field: {} ({})", l.field, l.what));
            }
            d = if severe { d.confidence(Confidence::High).auth() } else { d.confidence(Confidence::Medium) };
            out.push(d);
        }
    }
    // Long-running servers that log with print/console only.
    let servers = long_running_servers(repo, scans);
    for (root, files) in &servers {
        let in_service = |p: &str| root.is_empty() || p.starts_with(&format!("{root}/"));
        let service: Vec<&(&RepoFile, ObsScan)> = scans.iter().filter(|(f, _)| in_service(&f.path)).collect();
        let uses_logger = service.iter().any(|(_, s)| s.logger)
            || repo.files.iter().filter(|f| in_service(&f.path)).any(|f| imports_logger(f));
        if uses_logger {
            continue;
        }
        let request_ids = service.iter().any(|(_, s)| s.request_ids);
        for (file, scan) in service.iter().filter(|(f, s)| !s.plain_logs.is_empty() && files.contains(&f.path)) {
            let first = scan.plain_logs[0];
            let call = if file.lang == Lang::Python { "print()" } else { "console.*" };
            let place = if root.is_empty() { "this server".to_string() } else { format!("the {root} server") };
            let mut d = Draft::new(
                "OBS-LOGGING",
                &file.path,
                first,
                first,
                format!(
                    "{} logs with {call} only ({} call(s) in this file) and no logger anywhere in {place}{}: no levels, no structure, nothing to tie a line to one request.",
                    place[..1].to_uppercase() + &place[1..],
                    scan.plain_logs.len(),
                    if request_ids { "" } else { ", and no request ids" }
                ),
            )
            .anchor(format!("{call} only in {}", file.path))
            .fact(format!(
                "{call} at lines {}",
                scan.plain_logs.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")
            ))
            .searched(format!("{place}: logging.getLogger, structlog, loguru, pino, winston, bunyan, log4js, slog, zap"))
            .searched(format!("{place}: request_id, X-Request-Id, correlation id, trace id"));
            if !request_ids {
                d = d.fact("no request or correlation id anywhere in the service".to_string());
            }
            out.push(d);
        }
    }
}

fn imports_logger(f: &RepoFile) -> bool {
    const LOGGERS: [&str; 14] = [
        "pino", "winston", "bunyan", "log4js", "consola", "loglevel", "tslog", "roarr",
        "@logtape/logtape", "structlog", "loguru", "logging", "log/slog", "go.uber.org/zap",
    ];
    f.imports.iter().any(|i| {
        let s = i.specifier.trim_start_matches("npm:");
        LOGGERS.iter().any(|l| s == *l || s.starts_with(&format!("{l}/")) || s.starts_with(&format!("{l}@")))
    })
}

// ---------------------------------------------------------------------------------------
// OBS-HEALTH

/// A constructor or factory of a long-running HTTP server.
fn server_framework(callee: &str, lang: Lang) -> Option<&'static str> {
    Some(match (lang, callee) {
        (Lang::Python, "FastAPI" | "fastapi.FastAPI") => "FastAPI",
        (Lang::Python, "Flask" | "flask.Flask") => "Flask",
        (Lang::Python, "Starlette") => "Starlette",
        (Lang::Python, "Quart") => "Quart",
        (Lang::Python, "Sanic") => "Sanic",
        (Lang::Python, "web.Application" | "aiohttp.web.Application") => "aiohttp",
        (Lang::Python, "get_wsgi_application" | "get_asgi_application") => "Django",
        (Lang::Go, "gin.Default" | "gin.New") => "Gin",
        (Lang::Go, "echo.New") => "Echo",
        (Lang::Go, "fiber.New") => "Fiber",
        (Lang::Go, "chi.NewRouter" | "mux.NewRouter" | "http.NewServeMux") => "net/http",
        (Lang::Python | Lang::Go, _) => return None,
        (_, "express") => "Express",
        (_, "Fastify" | "fastify") => "Fastify",
        (_, "Koa") => "Koa",
        (_, "NestFactory.create") => "NestJS",
        (_, "http.createServer" | "createServer") => "Node http",
        _ => return None,
    })
}

fn starts_server(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or("");
    matches!(
        callee,
        "uvicorn.run" | "app.run" | "http.ListenAndServe" | "http.ListenAndServeTLS" | "serve" | "web.run_app" | "hypercorn.asyncio.serve"
    ) || (last == "listen" && callee.contains('.'))
        || last == "ListenAndServe"
        || (last == "Run" && callee.starts_with('r'))
}

/// `/health`, `/healthz`, `/api/health`, `/ready`, `/livez`, `/ping`, `up`.
fn is_health_path(path: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^/?(api/)?(v\d+/)?(_?health(z|check|-check|_check)?|ready(z)?|readiness|live(z|ness)?|ping|up|status)/?$").unwrap()
    })
    .is_match(path)
}

/// Files of platform and container configuration that deploy a long-running process.
const DEPLOY_FILES: [&str; 11] = [
    "Dockerfile",
    "Procfile",
    "fly.toml",
    "render.yaml",
    "app.yaml",
    "railway.json",
    "railway.toml",
    "docker-compose.yml",
    "docker-compose.yaml",
    "compose.yaml",
    "Chart.yaml",
];

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Long-running servers by service folder: the nearest folder with a manifest or a
/// Dockerfile above the file that creates the app. Value: the files of that server that
/// are on server paths.
fn long_running_servers(repo: &Repo, scans: &[(&RepoFile, ObsScan)]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, scan) in scans {
        if scan.servers.is_empty() {
            continue;
        }
        let root = service_root(repo, &file.path);
        let set = out.entry(root.clone()).or_default();
        set.insert(file.path.clone());
    }
    // Every server-side file of the same language under the root belongs to it.
    for (root, files) in out.iter_mut() {
        let langs: BTreeSet<Lang> = files.iter().filter_map(|p| repo.file(p).map(|f| f.lang)).collect();
        for f in &repo.files {
            if (root.is_empty() || f.path.starts_with(&format!("{root}/")))
                && langs.contains(&f.lang)
                && f.roles.server
                && !f.roles.test
                && !f.path.contains("supabase/functions/")
            {
                files.insert(f.path.clone());
            }
        }
    }
    out
}

fn service_root(repo: &Repo, path: &str) -> String {
    const MANIFESTS: [&str; 8] = [
        "requirements.txt", "pyproject.toml", "setup.py", "Pipfile", "package.json", "go.mod", "Dockerfile", "Gemfile",
    ];
    let mut dir = dir_of(path);
    loop {
        if MANIFESTS.iter().any(|m| {
            let p = if dir.is_empty() { m.to_string() } else { format!("{dir}/{m}") };
            repo.file(&p).is_some()
        }) {
            return dir.to_string();
        }
        if dir.is_empty() {
            return String::new();
        }
        dir = dir_of(dir);
    }
}

fn health(repo: &Repo, scans: &[(&RepoFile, ObsScan)], out: &mut Vec<Draft>) {
    static PLATFORM: OnceLock<Regex> = OnceLock::new();
    let platform = PLATFORM.get_or_init(|| {
        Regex::new(r"(?im)^\s*HEALTHCHECK\b|livenessProbe|readinessProbe|startupProbe|healthCheckPath|healthcheckPath|health_check_path|^\s*healthcheck\s*:|\[\[?(http_service\.|services\.)?(http_)?checks\]\]?|liveness_check|readiness_check|spring-boot-starter-actuator|django-health-check|fastapi-health|@godaddy/terminus|express-healthcheck|lightship").unwrap()
    });
    let servers = long_running_servers(repo, scans);
    if servers.is_empty() {
        return;
    }
    let file_routes: Vec<&RepoFile> = repo
        .files
        .iter()
        .filter(|f| {
            !f.roles.test
                && f.path
                    .split('/')
                    .any(|seg| is_health_path(seg.split('.').next().unwrap_or(seg)) && seg != "status")
                && f.roles.entry.is_some()
        })
        .collect();
    for (root, files) in &servers {
        let in_service = |p: &str| root.is_empty() || p.starts_with(&format!("{root}/"));
        let routes: Vec<(String, u32, String)> = scans
            .iter()
            .filter(|(f, _)| in_service(&f.path))
            .flat_map(|(f, s)| s.health_routes.iter().map(move |(l, p)| (f.path.clone(), *l, p.clone())))
            .collect();
        if !routes.is_empty() || file_routes.iter().any(|f| in_service(&f.path)) {
            continue;
        }
        // Deploy and platform files of the service and of the repository root.
        let deploy: Vec<&RepoFile> = repo
            .files
            .iter()
            .filter(|f| {
                let d = dir_of(&f.path);
                (d == root || d.is_empty() || f.path.contains("k8s/") || f.path.contains("kubernetes/") || f.path.contains("helm/"))
                    && (DEPLOY_FILES.contains(&file_name(&f.path)) || f.path.ends_with(".yaml") || f.path.ends_with(".yml") || f.path.ends_with(".toml") || f.path.ends_with(".json"))
            })
            .collect();
        let checked_by_platform = deploy
            .iter()
            .any(|f| repo.content(&f.path).is_some_and(|t| platform.is_match(&t)));
        if checked_by_platform {
            continue;
        }
        let deployed_by: Vec<&str> = deploy
            .iter()
            .filter(|f| DEPLOY_FILES.contains(&file_name(&f.path)))
            .map(|f| f.path.as_str())
            .collect();
        let listens = scans.iter().any(|(f, s)| files.contains(&f.path) && s.listens);
        if deployed_by.is_empty() && !listens {
            continue;
        }
        let Some((app_file, (line, framework))) = scans
            .iter()
            .filter(|(f, _)| files.contains(&f.path))
            .find_map(|(f, s)| s.servers.first().map(|x| (f, x)))
        else {
            continue;
        };
        let place = if root.is_empty() { "this repository".to_string() } else { root.clone() };
        let how = if deployed_by.is_empty() {
            "started as a long-running process".to_string()
        } else {
            format!("deployed with {}", deployed_by.join(", "))
        };
        let mut d = Draft::new(
            "OBS-HEALTH",
            &app_file.path,
            *line,
            *line,
            format!(
                "The {framework} app in {place} is {how}, but has no health or readiness route and no platform health check: the host cannot tell a running process from a working one."
            ),
        )
        .confidence(if deployed_by.is_empty() { Confidence::Low } else { Confidence::Medium })
        .anchor(format!("{framework} app in {place}"))
        .searched(format!("routes in {place}: /health, /healthz, /healthcheck, /ready, /readyz, /livez, /ping, /status, /up (with /api and /v1 prefixes)"))
        .searched("platform checks: Dockerfile HEALTHCHECK, compose healthcheck, Kubernetes liveness/readiness probes, fly.toml checks, render.yaml healthCheckPath, railway healthcheckPath, app.yaml liveness_check".to_string())
        .searched("health libraries: Spring Boot Actuator, django-health-check, fastapi-health, @godaddy/terminus, express-healthcheck, lightship".to_string());
        for p in &deployed_by {
            d = d.related(*p, 0, "deploys this server");
        }
        if !deployed_by.is_empty() {
            d = d.class(Class::LoadBearing, "A deployed server without a health check keeps receiving traffic while it cannot serve it.");
        }
        out.push(d);
    }
}

// ---------------------------------------------------------------------------------------
// OBS-ERROR-TRACKING

/// SDK packages of error trackers and APM tools, as they appear in imports and manifests.
const TRACKER_PACKAGES: [&str; 27] = [
    "@sentry/", "sentry-sdk", "sentry_sdk", "getsentry/sentry-go", "sentry-ruby", "sentry-rails", "io.sentry",
    "@bugsnag/", "bugsnag", "rollbar", "@honeybadger-io/", "honeybadger", "@opentelemetry/",
    "opentelemetry", "go.opentelemetry.io", "dd-trace", "ddtrace", "@datadog/", "logrocket",
    "newrelic", "@highlight-run/", "highlight-io", "airbrake", "raygun", "@appsignal/", "appsignal", "elastic-apm",
];

/// Calls that initialise one of them.
const TRACKER_INITS: [&str; 22] = [
    "Sentry.init", "sentry_sdk.init", "sentry.Init", "Bugsnag.start", "Bugsnag.configure", "bugsnag.configure",
    "Rollbar.init", "Rollbar", "rollbar.init", "Honeybadger.configure", "honeybadger.configure",
    "LogRocket.init", "datadogRum.init", "datadogLogs.init", "tracer.init", "NodeSDK", "registerOTel",
    "newrelic.agent.initialize", "Airbrake.Notifier", "rg4js", "H.init", "configure_azure_monitor",
];

const TRACKER_NAMES: &str = "Sentry, Bugsnag, Rollbar, Honeybadger, OpenTelemetry, Datadog, LogRocket, New Relic, Highlight, Airbrake, Raygun, AppSignal, Elastic APM";

const MANIFESTS: [&str; 11] = [
    "package.json", "requirements.txt", "pyproject.toml", "Pipfile", "setup.py", "go.mod", "Gemfile", "Cargo.toml",
    "pom.xml", "build.gradle", "deno.json",
];

fn error_tracking(repo: &Repo, out: &mut Vec<Draft>) {
    let code: Vec<&RepoFile> = repo.files.iter().filter(|f| f.lang.is_parsed() && !f.roles.test).collect();
    if code.is_empty() {
        return;
    }
    let inits: Vec<&RepoFile> = code
        .iter()
        .copied()
        .filter(|f| TRACKER_INITS.iter().any(|c| f.traits.calls_ending(c)) || (f.lang == Lang::Go && f.imports.iter().any(|i| i.specifier.contains("getsentry/sentry-go"))))
        .collect();
    let searched = vec![
        format!("imports of {} source files for {TRACKER_NAMES} SDKs", code.len()),
        format!("calls that initialise them ({})", TRACKER_INITS.join(", ")),
        format!("manifests: {}", MANIFESTS.join(", ")),
    ];
    if inits.is_empty() {
        // Installed but never initialised?
        let installed = repo
            .files
            .iter()
            .filter(|f| MANIFESTS.contains(&file_name(&f.path)) || file_name(&f.path).starts_with("requirements"))
            .filter(|f| !f.path.contains("node_modules/"))
            .find_map(|f| {
                let text = repo.content(&f.path)?;
                text.lines().enumerate().find_map(|(i, l)| {
                    let lower = l.to_ascii_lowercase();
                    TRACKER_PACKAGES
                        .iter()
                        .find(|p| lower.contains(*p))
                        .map(|p| (f.path.clone(), i as u32 + 1, p.trim_end_matches('/').to_string()))
                })
            });
        if let Some((path, line, package)) = installed {
            out.push(
                Draft::new(
                    "OBS-ERROR-TRACKING",
                    &path,
                    line,
                    line,
                    format!("{package} is a dependency, but no code initialises it: errors are not being sent anywhere."),
                )
                .anchor(format!("{package} never initialised")),
            );
            return;
        }
        let areas = entry_areas(&code.iter().filter(|f| f.roles.entry.is_some()).copied().collect::<Vec<_>>());
        let mut d = Draft::absence(
            "OBS-ERROR-TRACKING",
            format!(
                "No error-tracking SDK is initialised anywhere ({TRACKER_NAMES} searched){}: a failure in production is seen only if someone reads raw logs or a customer complains.",
                if areas.is_empty() { String::new() } else { format!(", not in {}", join_and(&areas)) }
            ),
            searched,
        )
        .anchor("no error tracking")
        .class(Class::LoadBearing, "Once the product is live, failures reach the team only through customers.");
        for a in &areas {
            d = d.fact(format!("entry points without tracking: {a}"));
        }
        out.push(d);
        return;
    }
    // Initialised somewhere: which entry points does it not cover?
    let init_paths: Vec<&str> = inits.iter().map(|f| f.path.as_str()).collect();
    let covered_down: BTreeSet<&str> = repo.reachable_from(init_paths.iter().copied()).into_iter().collect();
    let framework_wide = inits.iter().any(|f| {
        let n = file_name(&f.path);
        n.starts_with("instrumentation") || n.starts_with("sentry.")
    });
    let uncovered: Vec<&RepoFile> = code
        .iter()
        .copied()
        .filter(|f| f.roles.entry.is_some())
        .filter(|f| {
            let js = matches!(f.lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript);
            !covered_down.contains(f.path.as_str())
                && !repo.reachable_from([f.path.as_str()]).iter().any(|p| init_paths.contains(p))
                && !(framework_wide && js && !f.path.contains("supabase/functions/"))
        })
        .collect();
    if uncovered.is_empty() {
        return;
    }
    let areas = entry_areas(&uncovered);
    let mut d = Draft::absence(
        "OBS-ERROR-TRACKING",
        format!(
            "Error tracking is initialised in {}, but {} entry point(s) never load it ({}): failures there go unseen.",
            join_and(&init_paths.iter().map(|p| p.to_string()).collect::<Vec<_>>()),
            uncovered.len(),
            join_and(&areas)
        ),
        searched,
    )
    .anchor("entry points without error tracking")
    .class(Class::LoadBearing, "Failures on these entry points reach the team only through customers.");
    for f in uncovered.iter().take(20) {
        d = d.fact(format!("no tracking: {}", f.path));
    }
    out.push(d);
}

/// "8 edge functions under supabase/functions" and the like.
fn entry_areas(entries: &[&RepoFile]) -> Vec<String> {
    let mut by: BTreeMap<(String, &'static str), u32> = BTreeMap::new();
    for f in entries {
        let Some(kind) = f.roles.entry else { continue };
        let area = if f.path.contains("supabase/functions/") {
            "supabase/functions".to_string()
        } else {
            let d = dir_of(&f.path);
            d.split('/').take(2).collect::<Vec<_>>().join("/")
        };
        *by.entry((area, kind.as_str())).or_insert(0) += 1;
    }
    let describe = |(area, kind): &(String, &str), n: u32| {
        let kind = if n == 1 { kind.to_string() } else { format!("{kind}s") };
        if area.is_empty() {
            format!("{n} {kind} at the root")
        } else {
            format!("{n} {kind} under {area}")
        }
    };
    if by.len() <= MAX_AREAS {
        return by.iter().map(|(key, n)| describe(key, *n)).collect();
    }
    // A monorepo has hundreds of such folders: name the biggest (in path order), count the rest.
    let mut biggest: Vec<(&(String, &str), u32)> = by.iter().map(|(k, n)| (k, *n)).collect();
    biggest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let rest: u32 = biggest[MAX_AREAS - 1..].iter().map(|(_, n)| n).sum();
    let others = biggest.len() - (MAX_AREAS - 1);
    let mut kept: Vec<(&(String, &str), u32)> = biggest.into_iter().take(MAX_AREAS - 1).collect();
    kept.sort_by(|a, b| a.0.cmp(b.0));
    let mut out: Vec<String> = kept.into_iter().map(|(key, n)| describe(key, n)).collect();
    out.push(format!("{rest} more in {others} other folders"));
    out
}

/// How many folders an absence names before it counts the rest.
const MAX_AREAS: usize = 6;


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_monorepo_absence_names_a_few_folders_and_counts_the_rest() {
        let route = |path: String| RepoFile {
            path,
            lang: Lang::TypeScript,
            status: "parsed".into(),
            skip_reason: None,
            loc: 10,
            complexity: 1,
            imports: Vec::new(),
            definitions: Vec::new(),
            traits: Default::default(),
            roles: crate::checks::roles::Roles { entry: Some(crate::checks::roles::EntryKind::Server), ..Default::default() },
        };
        let files: Vec<RepoFile> =
            (0..40).map(|i| route(format!("packages/app{i:02}/api/route{i}.ts"))).chain((0..3).map(|i| route(format!("packages/big/api/r{i}.ts")))).collect();
        let refs: Vec<&RepoFile> = files.iter().collect();
        let areas = entry_areas(&refs);
        assert_eq!(areas.len(), MAX_AREAS);
        assert!(areas.contains(&"3 server routes under packages/big".to_string()), "{areas:?}");
        assert_eq!(areas.last().unwrap(), "36 more in 36 other folders");
    }

    #[test]
    fn sensitive_names_are_secrets_not_counts() {
        assert_eq!(sensitive("token"), Some("a token"));
        assert_eq!(sensitive("accessToken"), Some("a token"));
        assert_eq!(sensitive("refresh_token"), Some("a token"));
        assert_eq!(sensitive("password"), Some("a password"));
        assert_eq!(sensitive("api_key"), Some("an API key"));
        assert_eq!(sensitive("cardNumber"), Some("card data"));
        assert_eq!(sensitive("email"), Some("an email address"));
        for ok in ["tokenCount", "max_tokens", "hasToken", "tokenId", "emailSent", "inviteId", "passwordLength", "key", "monkey"] {
            assert_eq!(sensitive(ok), None, "{ok}");
        }
    }

    #[test]
    fn health_paths() {
        for p in ["/health", "/healthz", "/api/health", "/v1/ready", "healthcheck", "/livez", "up"] {
            assert!(is_health_path(p), "{p}");
        }
        for p in ["/reports/health-score", "/healthy-recipes", "/users", "/api/status/orders"] {
            assert!(!is_health_path(p), "{p}");
        }
    }
}
