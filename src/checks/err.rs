//! ERR detectors: errors caught and dropped (ERR-SWALLOW), promises and results left unhandled
//! (ERR-UNHANDLED) and the distribution of error-handling styles (ERR-INCONSISTENT). See
//! `queries/catalogue/err.toml`.
//!
//! The scan reads `err_sites` (catches, awaited results, floating calls), then `err_effects`
//! inside each handler to decide what it does with the failure: rethrow, return a failure,
//! report, show it, pass it on, or only log and carry on. Supabase-js results are followed
//! through the function (`err_names`): `{ error }` never read, or read only to be logged, is
//! a swallowed failure.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::roles::normalize_callee;
use super::{keep, Confidence, Detector, Draft, Repo, SourceFile};
use crate::lang::Lang;

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(Errors)]
}

const NAME: &str = "err";

struct Errors;

/// What the scan keeps of one file.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ErrScan {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    swallow: Vec<Site>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    unhandled: Vec<Site>,
    /// Plain calls to functions not defined here, as statements: resolved against the async
    /// functions of imported files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    floating: Vec<Site>,
    /// Async functions defined here, and whether they write.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    async_fns: BTreeMap<String, bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    mutations: Vec<Mutation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    mutates: Vec<MutateCall>,
    /// `const v = useHook()`: (v, useHook).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    hooks: Vec<(String, String)>,
    /// A QueryClient / MutationCache with a default onError for mutations.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    mutation_default_on_error: bool,
    #[serde(default, skip_serializing_if = "Styles::is_empty")]
    styles: Styles,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Site {
    kind: Kind,
    line: u32,
    end_line: u32,
    /// The call or handler in question, normalised (`supabaseAdmin.from().update().eq()`).
    what: String,
    /// Kind-specific detail: the table, the log call, what the handler returns.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    /// catch {} / except: pass.
    EmptyCatch,
    /// A catch that only logs, then falls through or returns success.
    LogOnlyCatch,
    /// A catch that neither logs nor handles (returns a default, sets a flag).
    SilentCatch,
    /// `.catch(() => {})`, `.catch(console.error)`.
    SwallowCallback,
    /// A supabase-js write whose `error` is never read.
    IgnoredResult,
    /// A supabase-js write whose `error` is read only to be logged.
    LoggedResult,
    /// A lazy query builder (supabase-js, Prisma) that is never awaited: it never runs.
    LazyQuery,
    /// An eager async write (fetch POST, email, Stripe, storage) not awaited or handled.
    FloatingWrite,
    /// A promise chain with `.then` and no rejection handler.
    ThenWithoutCatch,
    /// A plain call to a function defined elsewhere (check resolves it).
    Call,
    /// A Python coroutine called without await: it never runs.
    Coroutine,
    /// asyncio.create_task whose task is dropped.
    DroppedTask,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Mutation {
    line: u32,
    /// The variable holding it, or the hook returning it.
    holder: String,
    /// The holder is a hook (`useCreateInvoice`) rather than a local variable.
    hook: bool,
    on_error: bool,
    /// The mutation function writes through a data or payment client.
    writes: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct MutateCall {
    line: u32,
    target: String,
    handled: bool,
}

/// Counts of error-handling styles in one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Styles {
    /// throw / raise.
    #[serde(default)]
    throw: u32,
    /// Errors returned as values: `{ error }`, `{ ok: false }`, null from a catch.
    #[serde(default)]
    result: u32,
    /// HTTP error responses.
    #[serde(default)]
    respond: u32,
    /// Shown to the user (toast, error state).
    #[serde(default)]
    show: u32,
    /// Reported to an error tracker.
    #[serde(default)]
    report: u32,
}

impl Styles {
    fn is_empty(&self) -> bool {
        *self == Styles::default()
    }
}

impl Detector for Errors {
    fn name(&self) -> &'static str {
        NAME
    }

    fn items(&self) -> &'static [&'static str] {
        &["ERR-SWALLOW", "ERR-UNHANDLED", "ERR-INCONSISTENT"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test() || file.tree.is_none() {
            return None;
        }
        let scan = match file.lang {
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript => scan_ecmascript(file),
            Lang::Python => scan_python(file),
            _ => return None,
        };
        let empty = scan.swallow.is_empty()
            && scan.unhandled.is_empty()
            && scan.floating.is_empty()
            && scan.async_fns.is_empty()
            && scan.mutations.is_empty()
            && scan.mutates.is_empty()
            && scan.hooks.is_empty()
            && !scan.mutation_default_on_error
            && scan.styles.is_empty();
        keep(&scan, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let scans = repo.facts::<ErrScan>(NAME);
        swallowed(repo, &scans, out);
        unhandled(repo, &scans, out);
        inconsistent(&scans, out);
    }
}

// ---------------------------------------------------------------------------------------
// What a handler does

/// The verdict on a block that receives a failure (a catch body, an `if (error)` branch).
#[derive(Debug, Clone, PartialEq)]
enum Verdict {
    /// Rethrows, returns a failure, reports, shows or passes the error on.
    Handled(Handling),
    /// Nothing in it.
    Empty,
    /// Logs (with this call) and carries on.
    LogOnly(String, Carry),
    /// Neither logs nor handles.
    Silent(Carry),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Handling {
    Rethrow,
    Result,
    Respond,
    Report,
    Show,
    PassOn,
    Retry,
}

/// How execution goes on after a handler that did not handle the failure.
#[derive(Debug, Clone, PartialEq)]
enum Carry {
    FallsThrough,
    Continues,
    /// Returns this (a value that looks like success, or nothing).
    Returns(String),
}

impl Carry {
    fn phrase(&self) -> String {
        match self {
            Carry::FallsThrough => "carries on as if it succeeded".into(),
            Carry::Continues => "continues with the next item".into(),
            Carry::Returns(v) if v.is_empty() => "returns as if nothing happened".into(),
            Carry::Returns(v) => format!("returns `{}` as if it succeeded", short(v, 40)),
        }
    }
}

/// Classifies what `block` does with a failure held in `err` (the catch parameter, the
/// `error` variable).
fn classify_block(file: &SourceFile, block: Node, err: Option<&str>) -> Verdict {
    let statements = {
        let mut c = block.walk();
        block
            .named_children(&mut c)
            .filter(|n| !n.is_extra())
            .filter(|n| !matches!(file.text_of(*n).trim(), "pass" | "..." | ";"))
            .count()
    };
    let matches = file.matches_in("err_effects", block);
    // Ranges of log calls' arguments: a call inside one is part of the log line.
    let log_args: Vec<(usize, usize)> = matches
        .iter()
        .filter(|m| m.get("callee").is_some_and(|c| is_log(&normalize_callee(file.text_of(c)))))
        .filter_map(|m| m.get("args").map(|a| (a.start_byte(), a.end_byte())))
        .collect();
    let in_log = |n: Node| {
        log_args
            .iter()
            .any(|&(s, e)| s <= n.start_byte() && n.end_byte() <= e)
    };
    let mut logs: Vec<String> = Vec::new();
    let mut carry = if statements == 0 {
        None
    } else {
        Some(Carry::FallsThrough)
    };
    for m in &matches {
        if m.has("throw") {
            return Verdict::Handled(Handling::Rethrow);
        }
        if let Some(r) = m.get("return") {
            let value = return_value(file.text_of(r));
            match returned(&value) {
                Some(h) => return Verdict::Handled(h),
                None => carry = Some(Carry::Returns(value)),
            }
        }
        if m.has("continue") && carry == Some(Carry::FallsThrough) {
            carry = Some(Carry::Continues);
        }
        if let Some(left) = m.get("assign") {
            if failure_word().is_match(file.text_of(left)) {
                return Verdict::Handled(Handling::Result);
            }
        }
        if let (Some(callee), Some(args)) = (m.get("callee"), m.get("args")) {
            if in_log(callee) {
                continue;
            }
            let name = normalize_callee(file.text_of(callee));
            let args_text = file.text_of(args);
            if is_log(&name) {
                logs.push(name);
            } else if let Some(h) = handling_call(&name, args_text) {
                return Verdict::Handled(h);
            } else if err.is_some_and(|e| mentions(args_text, e)) {
                return Verdict::Handled(Handling::PassOn);
            }
        }
    }
    match (carry, logs.into_iter().next()) {
        (None, _) => Verdict::Empty,
        (Some(c), Some(log)) => Verdict::LogOnly(log, c),
        (Some(c), None) => Verdict::Silent(c),
    }
}

/// `return x;` → `x` (empty for a bare return).
fn return_value(text: &str) -> String {
    text.trim()
        .strip_prefix("return")
        .unwrap_or("")
        .trim()
        .trim_end_matches(';')
        .trim()
        .to_string()
}

/// Whether a returned value reports failure, and how.
fn returned(value: &str) -> Option<Handling> {
    static STATUS: OnceLock<Regex> = OnceLock::new();
    let status = STATUS.get_or_init(|| {
        Regex::new(r"(?i)(status(_code)?\s*[:=]\s*[45]\d\d\b|,\s*[45]\d\d\s*\)?\s*$|\b(abort|HTTPException)\b|\(\s*[45]\d\d\s*[,)])").unwrap()
    });
    if value.is_empty() {
        return None;
    }
    if status.is_match(value) {
        return Some(Handling::Respond);
    }
    if failure_word().is_match(value) {
        return Some(Handling::Result);
    }
    None
}

/// Words that mark a value or a variable as a failure.
fn failure_word() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(\w*errors?|err|\w*fail\w*|null|none|undefined|false|reject\w*|not_?ok|Err)\b|(?i)error|ok\s*:\s*false|success\s*:\s*false").unwrap()
    })
}

/// Whether `text` mentions the identifier `name` as a whole word.
fn mentions(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut from = 0;
    while let Some(i) = text[from..].find(name) {
        let start = from + i;
        let end = start + name.len();
        let before = start == 0 || !is_word(bytes[start - 1]);
        let after = end >= bytes.len() || !is_word(bytes[end]);
        if before && after {
            return true;
        }
        from = end;
    }
    false
}

fn segments(callee: &str) -> Vec<&str> {
    callee.split('.').filter(|s| !s.is_empty()).collect()
}

fn last_name(callee: &str) -> String {
    segments(callee)
        .last()
        .map(|s| s.trim_end_matches("()").trim_end_matches("[]").to_string())
        .unwrap_or_default()
}

/// A call that writes a log line: `console.error`, `logger.info`, `logging.exception`, `print`.
pub(super) fn is_log(callee: &str) -> bool {
    const METHODS: [&str; 15] = [
        "log", "info", "warn", "warning", "error", "debug", "trace", "exception", "critical",
        "fatal", "verbose", "notice", "print_exc", "print_exception", "dir",
    ];
    let callee = callee
        .trim_start_matches("this.")
        .trim_start_matches("self.");
    if matches!(callee, "print" | "log" | "pprint" | "console.table") {
        return true;
    }
    let segs = segments(callee);
    if segs.len() < 2 {
        return false;
    }
    let method = segs[segs.len() - 1];
    let receiver = segs[segs.len() - 2].to_ascii_lowercase();
    METHODS.contains(&method)
        && (receiver == "console"
            || receiver.ends_with("log")
            || receiver.ends_with("logger")
            || receiver == "logging"
            || receiver == "traceback"
            || receiver == "winston"
            || receiver == "pino"
            || receiver == "bunyan"
            || receiver == "signale"
            || receiver == "consola")
}

/// A call that handles a failure: reports it, shows it, passes it on, responds with an
/// error status, or retries.
fn handling_call(callee: &str, args: &str) -> Option<Handling> {
    const REPORT: [&str; 14] = [
        "captureException",
        "captureMessage",
        "captureError",
        "capture_exception",
        "capture_message",
        "notify",
        "notifyError",
        "reportError",
        "report_error",
        "reportException",
        "trackException",
        "recordException",
        "record_exception",
        "noticeError",
    ];
    const TRACKERS: [&str; 9] = [
        "sentry",
        "bugsnag",
        "rollbar",
        "honeybadger",
        "newrelic",
        "airbrake",
        "raygun",
        "appsignal",
        "datadogrum",
    ];
    const SHOW: [&str; 10] = [
        "alert",
        "enqueueSnackbar",
        "showError",
        "showToast",
        "displayError",
        "flash",
        "notifyError",
        "setErrors",
        "setFieldError",
        "addNotification",
    ];
    const PASS: [&str; 7] = ["next", "reject", "callback", "cb", "done", "onError", "fail"];
    const EXIT: [&str; 6] = ["process.exit", "sys.exit", "os._exit", "abort", "exit", "_exit"];
    const RETRY: [&str; 8] = [
        "sleep",
        "setTimeout",
        "retry",
        "backoff",
        "scheduleRetry",
        "requeue",
        "nack",
        "retryWithBackoff",
    ];
    let name = last_name(callee);
    let segs = segments(callee);
    let lower = callee.to_ascii_lowercase();
    if REPORT.contains(&name.as_str())
        || segs
            .first()
            .is_some_and(|s| TRACKERS.contains(&s.to_ascii_lowercase().as_str()))
    {
        return Some(Handling::Report);
    }
    let set_error = name.starts_with("set")
        && ["error", "err", "fail", "alert", "problem"]
            .iter()
            .any(|w| name.to_ascii_lowercase().contains(w));
    if lower.contains("toast")
        || lower.contains("snackbar")
        || lower.starts_with("notification.")
        || lower.starts_with("message.error")
        || lower.starts_with("messages.")
        || lower.starts_with("alert.")
        || SHOW.contains(&name.as_str())
        || set_error
        || (name == "setState" && failure_word().is_match(args))
    {
        return Some(Handling::Show);
    }
    if ["push", "replace", "navigate", "redirect"].contains(&name.as_str())
        && args.to_ascii_lowercase().contains("error")
    {
        return Some(Handling::Show);
    }
    if (PASS.contains(&name.as_str()) && args.trim() != "()")
        || EXIT.contains(&callee)
        || EXIT.contains(&name.as_str())
    {
        return Some(Handling::PassOn);
    }
    if returned(args.trim_start_matches('(').trim_end_matches(')'))
        .is_some_and(|h| h == Handling::Respond)
        && (name.contains("status")
            || name.contains("json")
            || name.contains("send")
            || name.contains("Response")
            || name == "code")
    {
        return Some(Handling::Respond);
    }
    if RETRY.contains(&name.as_str()) {
        return Some(Handling::Retry);
    }
    None
}

/// Whether a try body does something that can fail for reasons outside the code (network,
/// database, payment, email): only then is dropping its error a lost failure rather than a
/// local fallback such as a JSON.parse default.
fn can_fail_outside(file: &SourceFile, body: Node) -> bool {
    file.matches_in("err_effects", body).iter().any(|m| {
        m.has("await")
            || m
                .get("callee")
                .is_some_and(|c| is_external_call(&normalize_callee(file.text_of(c))))
    })
}

fn is_external_call(callee: &str) -> bool {
    const METHODS: [&str; 34] = [
        "fetch", "insert", "update", "upsert", "delete", "remove", "send", "sendMail",
        "send_mail", "sendmail", "create", "save", "post", "put", "patch", "request", "query",
        "execute", "executemany", "commit", "rpc", "invoke", "upload", "then", "write",
        "mutate", "mutateAsync", "publish", "urlopen", "connect", "refresh", "bulk_create",
        "flush", "charge",
    ];
    const RECEIVERS: [&str; 16] = [
        "axios", "requests", "httpx", "aiohttp", "stripe", "prisma", "supabase", "db",
        "session", "client", "api", "http", "cursor", "conn", "redis", "boto3",
    ];
    // Local files and processes: failing to remove a temp file is not a lost write.
    const LOCAL: [&str; 9] = ["os", "shutil", "pathlib", "path", "fs", "fd", "file", "f", "tempfile"];
    let name = last_name(callee);
    let first = segments(callee)
        .first()
        .map(|s| s.trim_end_matches("()").to_ascii_lowercase())
        .unwrap_or_default();
    if LOCAL.contains(&first.as_str()) {
        return false;
    }
    METHODS.contains(&name.as_str())
        || RECEIVERS.iter().any(|r| first == *r || first.ends_with(r))
}

// ---------------------------------------------------------------------------------------
// Calls that write, and supabase-js chains

/// A supabase-js write chain: `(receiver, method)` for `x.from("t").insert(…)…`,
/// `x.storage.from("b").upload(…)`, `x.auth.admin.createUser(…)`.
fn supabase_write(chain: &str) -> Option<(String, String)> {
    const TABLE: [&str; 4] = ["insert()", "update()", "upsert()", "delete()"];
    const STORAGE: [&str; 5] = ["upload()", "remove()", "move()", "copy()", "update()"];
    const AUTH: [&str; 8] = [
        "createUser()",
        "deleteUser()",
        "updateUserById()",
        "inviteUserByEmail()",
        "updateUser()",
        "signUp()",
        "resetPasswordForEmail()",
        "generateLink()",
    ];
    if chain.contains("throwOnError()") {
        return None;
    }
    let segs = segments(chain);
    let from = segs.iter().position(|s| *s == "from()")?;
    let receiver = segs[..from].join(".");
    let storage = receiver.ends_with("storage");
    segs[from + 1..]
        .iter()
        .find(|s| {
            if storage {
                STORAGE.contains(s)
            } else {
                TABLE.contains(s)
            }
        })
        .map(|m| (receiver.clone(), m.trim_end_matches("()").to_string()))
        .or_else(|| {
            let i = segs.iter().position(|s| *s == "auth")?;
            let m = segs.get(i + 1..)?.iter().find(|s| AUTH.contains(s))?;
            Some((segs[..i].join("."), m.trim_end_matches("()").to_string()))
        })
        .filter(|(r, _)| !r.is_empty())
}

/// `supabase.rpc("fn")`: the receiver, when the chain is an rpc call.
fn supabase_rpc(chain: &str) -> Option<String> {
    let segs = segments(chain);
    let i = segs.iter().position(|s| *s == "rpc()")?;
    (i > 0 && !chain.contains("throwOnError()")).then(|| segs[..i].join("."))
}

/// The first string argument of `from(…)` or `rpc(…)` in the raw call text.
fn table_of(call_text: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"\.(?:from|rpc)\(\s*["'`]([\w.\-]+)["'`]"#).unwrap())
        .captures(call_text)
        .map(|c| c[1].to_string())
        .unwrap_or_default()
}

/// What kind of write a statement-level call is, if any: lazy builders never run without
/// await; eager writes run but their failure is lost.
fn write_call(chain: &str, call_text: &str) -> Option<Kind> {
    static METHOD: OnceLock<Regex> = OnceLock::new();
    let method = METHOD.get_or_init(|| {
        Regex::new(r#"(?i)method\s*:\s*["'`](POST|PUT|PATCH|DELETE)["'`]"#).unwrap()
    });
    if supabase_write(chain).is_some_and(|(r, _)| !r.ends_with("storage") && !chain.contains(".auth.")) || supabase_rpc(chain).is_some() {
        return Some(Kind::LazyQuery);
    }
    if supabase_write(chain).is_some() {
        return Some(Kind::FloatingWrite);
    }
    let segs = segments(chain);
    let name = last_name(chain);
    let receiver = if segs.len() >= 2 {
        segs[segs.len() - 2].trim_end_matches("()").to_ascii_lowercase()
    } else {
        String::new()
    };
    const PRISMA: [&str; 7] = [
        "create", "createMany", "update", "updateMany", "upsert", "delete", "deleteMany",
    ];
    if segs.len() == 3 && segs[0].to_ascii_lowercase().contains("prisma") && PRISMA.contains(&name.as_str()) {
        return Some(Kind::LazyQuery);
    }
    if chain == "fetch()" || chain.ends_with(".fetch()") {
        return method.is_match(call_text).then_some(Kind::FloatingWrite);
    }
    const HTTP: [&str; 9] = ["axios", "api", "http", "client", "ky", "request", "instance", "$http", "fetcher"];
    if ["post", "put", "patch", "delete"].contains(&name.as_str()) && HTTP.iter().any(|h| receiver.ends_with(h)) {
        return Some(Kind::FloatingWrite);
    }
    let mailer = ["email", "mail", "resend", "sgmail", "transporter", "postmark", "ses", "sendgrid", "mailgun"];
    if (name == "send" && mailer.iter().any(|m| receiver.contains(m)))
        || ["sendMail", "sendEmail", "send_email", "sendTemplate"].contains(&name.as_str())
    {
        return Some(Kind::FloatingWrite);
    }
    if segs.first().is_some_and(|s| s.to_ascii_lowercase() == "stripe")
        && ["create", "update", "del", "cancel", "capture", "confirm"].contains(&name.as_str())
    {
        return Some(Kind::FloatingWrite);
    }
    None
}

/// A promise root that can reject: HTTP clients and functions named for I/O.
fn can_reject(root: &str, async_here: &BTreeMap<String, bool>) -> bool {
    const VERBS: [&str; 20] = [
        "api", "get", "fetch", "load", "post", "put", "patch", "save", "create", "update",
        "delete", "remove", "send", "submit", "upload", "sync", "request", "refresh", "import",
        "export",
    ];
    const CLIENTS: [&str; 6] = ["axios", "ky", "got", "superagent", "http", "api"];
    let segs = segments(root);
    let first = segs
        .first()
        .map(|s| s.trim_end_matches("()").to_ascii_lowercase())
        .unwrap_or_default();
    let name = last_name(root);
    if root.contains("from()") || root.contains("rpc()") || first.contains("supabase") {
        // supabase-js resolves with { data, error } instead of rejecting.
        return false;
    }
    if name == "fetch" || CLIENTS.contains(&first.as_str()) || root.starts_with("Promise.all()") {
        return true;
    }
    if async_here.contains_key(&name) {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    VERBS.iter().any(|v| {
        lower.starts_with(v)
            && name[v.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
    })
}

// ---------------------------------------------------------------------------------------
// Scan: TypeScript, TSX, JavaScript

fn scan_ecmascript(file: &SourceFile) -> ErrScan {
    let mut scan = ErrScan::default();
    let sites = file.matches("err_sites");
    // Function scopes are needed only to follow a supabase-js result or name a mutation's hook.
    let scoped = if file.text.contains(".from(") || file.text.contains("useMutation") {
        file.matches("err_scopes")
    } else {
        &[]
    };
    let scopes: Vec<Node> = scoped.iter().filter_map(|m| m.get("scope")).collect();
    let try_bodies: Vec<Node> = sites.iter().filter_map(|m| m.get("try.body")).collect();

    // Async functions and whether their bodies write.
    for m in sites {
        if let (Some(name), Some(body)) = (m.get("async.name"), m.get("async.body")) {
            let writes = file.matches_in("err_effects", body).iter().any(|e| {
                e.get("call").is_some_and(|c| {
                    let chain = normalize_callee(file.text_of(c));
                    write_call(&chain, file.text_of(c)).is_some()
                })
            });
            let entry = scan
                .async_fns
                .entry(file.text_of(name).to_string())
                .or_insert(false);
            *entry |= writes;
        }
    }

    for m in sites {
        if let (Some(catch), Some(body), Some(try_body)) =
            (m.get("catch"), m.get("catch.body"), m.get("try.body"))
        {
            if !can_fail_outside(file, try_body) {
                continue;
            }
            let param = m.get("catch.param").map(|p| file.text_of(p));
            push_verdict(file, &mut scan, catch, classify_block(file, body, param), "catch");
        }
        if let Some(cb) = m.get("catch.callback") {
            // `.catch(console.error)`: a log function as the handler.
            if is_log(&normalize_callee(file.text_of(cb))) && !file.text_of(cb).contains('(') {
                push_callback(file, &mut scan, cb);
            }
        }
        if let (Some(cb), Some(body)) = (m.get("catch.cb"), m.get("catch.cb.body")) {
            let param = m
                .get("catch.cb.param")
                .map(|p| file.text_of(p).trim_matches(|c| c == '(' || c == ')').trim().to_string())
                .filter(|p| !p.is_empty() && !p.contains(','));
            if swallows(file, body, param.as_deref()) {
                let handler = m.get("catch.callback").unwrap_or(cb);
                push_callback(file, &mut scan, handler);
            }
        }
        if let (Some(call), Some(target), Some(cb)) =
            (m.get("then.call"), m.get("then.target"), m.get("then.callback"))
        {
            let chain = normalize_callee(file.text_of(target));
            if supabase_write(&chain).is_some() && !file.text_of(cb).contains("error") {
                scan.swallow.push(ignored_result(file, call, chain, target));
            }
        }
        if let (Some(stmt), Some(call)) = (m.get("discard"), m.get("discard.call")) {
            let chain = normalize_callee(file.text_of(call));
            if supabase_write(&chain).is_some() || supabase_rpc(&chain).is_some() {
                scan.swallow.push(ignored_result(file, stmt, chain, call));
            }
        }
        if let (Some(bind), Some(name), Some(call)) =
            (m.get("bind"), m.get("bind.name"), m.get("bind.call"))
        {
            let chain = normalize_callee(file.text_of(call));
            if supabase_write(&chain).is_some() {
                if let Some(site) = follow_result(file, bind, name, call, &chain, &scopes) {
                    scan.swallow.push(site);
                }
            }
        }
        if let (Some(stmt), Some(call)) = (m.get("float"), m.get("float.call")) {
            floating(file, &mut scan, stmt, call, &sites);
        }
        if m.has("style.throw") {
            scan.styles.throw += 1;
        }
        if m.has("style.result") {
            scan.styles.result += 1;
        }
    }
    react_query(file, &mut scan, &scoped, &try_bodies);
    scan
}

/// A supabase-js result never looked at: the statement `at`, the query `call`.
fn ignored_result(file: &SourceFile, at: Node, chain: String, call: Node) -> Site {
    let (line, end_line) = file.lines(at);
    Site {
        kind: Kind::IgnoredResult,
        line,
        end_line,
        what: chain,
        detail: table_of(file.text_of(call)),
    }
}

/// Records the verdict on a catch (or except) as a swallow site or a style count.
fn push_verdict(file: &SourceFile, scan: &mut ErrScan, at: Node, verdict: Verdict, what: &str) {
    let (line, _) = file.lines(at);
    let site = |kind, detail: String| Site {
        kind,
        line,
        end_line: line,
        what: what.to_string(),
        detail,
    };
    match verdict {
        Verdict::Handled(h) => match h {
            Handling::Rethrow | Handling::PassOn | Handling::Retry => {}
            Handling::Result => scan.styles.result += 1,
            Handling::Respond => scan.styles.respond += 1,
            Handling::Show => scan.styles.show += 1,
            Handling::Report => scan.styles.report += 1,
        },
        Verdict::Empty => scan.swallow.push(site(Kind::EmptyCatch, String::new())),
        Verdict::LogOnly(log, carry) => scan
            .swallow
            .push(site(Kind::LogOnlyCatch, format!("{log}\u{0}{}", carry.phrase()))),
        Verdict::Silent(carry) => scan
            .swallow
            .push(site(Kind::SilentCatch, carry.phrase())),
    }
}

fn push_callback(file: &SourceFile, scan: &mut ErrScan, handler: Node) {
    let (line, end) = file.lines(handler);
    scan.swallow.push(Site {
        kind: Kind::SwallowCallback,
        line,
        end_line: end,
        what: ".catch".into(),
        detail: short(file.text_of(handler), 60),
    });
}

/// Whether the body of a `.catch` handler drops the failure: `() => {}`, `() => []`,
/// `(e) => console.log(e)`, a block that only logs.
fn swallows(file: &SourceFile, body: Node, param: Option<&str>) -> bool {
    let text = file.text_of(body).trim();
    if text == "{}" {
        return true;
    }
    if !text.starts_with('{') {
        // An expression body: a log call, or a value that looks like success.
        if text.contains('(') {
            return is_log(&normalize_callee(text));
        }
        return returned(text).is_none() && !param.is_some_and(|p| mentions(text, p));
    }
    !matches!(classify_block(file, body, param), Verdict::Handled(_))
}

/// Follows `{ error }` (or `res.error`) of a supabase-js write through its function.
fn follow_result<'a>(
    file: &SourceFile<'a>,
    bind: Node<'a>,
    name: Node<'a>,
    call: Node<'a>,
    chain: &str,
    scopes: &[Node<'a>],
) -> Option<Site> {
    let pattern = file.text_of(name).trim();
    let table = table_of(file.text_of(call));
    let (line, end) = file.lines(bind.parent().unwrap_or(bind));
    let ignored = || Site {
        kind: Kind::IgnoredResult,
        line,
        end_line: end,
        what: chain.to_string(),
        detail: table.clone(),
    };
    // The variable holding the error, and whether it is a whole result (`res.error`).
    let (var, whole) = if pattern.starts_with('{') {
        static ALIAS: OnceLock<Regex> = OnceLock::new();
        let alias = ALIAS.get_or_init(|| Regex::new(r"\berror\s*:\s*([A-Za-z_$][\w$]*)").unwrap());
        if let Some(c) = alias.captures(pattern) {
            (c[1].to_string(), false)
        } else if mentions(pattern, "error") {
            ("error".to_string(), false)
        } else if pattern.contains("...") {
            return None;
        } else {
            return Some(ignored());
        }
    } else if pattern.starts_with('[') {
        return None;
    } else {
        (pattern.to_string(), true)
    };
    let scope = scopes
        .iter()
        .filter(|s| s.start_byte() <= bind.start_byte() && bind.end_byte() <= s.end_byte())
        .min_by_key(|s| s.end_byte() - s.start_byte())
        .copied()
        .or_else(|| file.tree.map(|t| t.root_node()))?;
    let names = file.matches_in("err_names", scope);
    let effects = file.matches_in("err_effects", scope);
    let log_args: Vec<Node> = effects
        .iter()
        .filter(|m| m.get("callee").is_some_and(|c| is_log(&normalize_callee(file.text_of(c)))))
        .filter_map(|m| m.get("args"))
        .collect();
    let ifs: Vec<(Node, Node, Node)> = names
        .iter()
        .filter_map(|m| Some((m.get("if")?, m.get("if.cond")?, m.get("if.then")?)))
        .collect();
    let mut logged: Option<(u32, u32, String)> = None;
    for m in &names {
        let Some(id) = m.get("ident") else { continue };
        if id.start_byte() < bind.end_byte() || file.text_of(id) != var {
            continue;
        }
        if whole {
            let parent = id.parent().map(|p| file.text_of(p)).unwrap_or("");
            let rest = parent.strip_prefix(var.as_str()).unwrap_or("");
            let rest = rest.trim_start_matches(['?', '!']);
            if rest.starts_with(".data") || rest.starts_with(".count") || rest.starts_with(".status") {
                continue;
            }
            if !rest.starts_with(".error") {
                return None; // the whole result goes somewhere: assume it is handled there
            }
        }
        let contains = |n: &Node| n.start_byte() <= id.start_byte() && id.end_byte() <= n.end_byte();
        if let Some((stmt, _, then)) = ifs.iter().find(|(_, cond, _)| contains(cond)) {
            match classify_block(file, *then, Some(&var)) {
                Verdict::Handled(_) => return None,
                Verdict::LogOnly(log, carry) => {
                    let (l, e) = file.lines(*stmt);
                    logged.get_or_insert((l, e, format!("{log}\u{0}{}", carry.phrase())));
                }
                Verdict::Empty | Verdict::Silent(_) => {
                    let (l, e) = file.lines(*stmt);
                    logged.get_or_insert((l, e, String::new()));
                }
            }
        } else if log_args.iter().any(contains) {
            let (l, _) = file.lines(id);
            logged.get_or_insert((l, l, String::new()));
        } else {
            return None;
        }
    }
    Some(match logged {
        Some((l, e, detail)) => Site {
            kind: Kind::LoggedResult,
            line: l,
            end_line: e,
            what: chain.to_string(),
            detail: format!("{table}\u{0}{detail}"),
        },
        None => ignored(),
    })
}

/// A call statement: a write left floating, a `.then` without a rejection handler, or a
/// plain call to be resolved by check.
fn floating(file: &SourceFile, scan: &mut ErrScan, stmt: Node, call: Node, sites: &[super::source::Captures]) {
    let text = file.text_of(call);
    let chain = normalize_callee(text);
    let (line, end) = file.lines(stmt);
    let segs = segments(&chain);
    let has = |s: &str| segs.iter().any(|x| *x == s);
    if has("catch()") {
        return;
    }
    if let Some(i) = segs.iter().position(|s| *s == "then()" || *s == "finally()") {
        // A rejection handler as the second argument of any .then in the chain.
        let two_args = sites.iter().any(|m| {
            m.get("then.rejecting").is_some_and(|c| {
                c.start_byte() >= call.start_byte() && c.end_byte() <= call.end_byte()
            })
        });
        let root = segs[..i].join(".");
        if !two_args && can_reject(&root, &scan.async_fns) {
            scan.unhandled.push(Site {
                kind: Kind::ThenWithoutCatch,
                line,
                end_line: end,
                what: root,
                detail: String::new(),
            });
        }
        return;
    }
    if let Some(kind) = write_call(&chain, text) {
        scan.unhandled.push(Site {
            kind,
            line,
            end_line: end,
            what: chain.clone(),
            detail: table_of(text),
        });
        return;
    }
    if segs.len() == 1 {
        let name = last_name(&chain);
        match scan.async_fns.get(&name) {
            Some(true) => scan.unhandled.push(Site {
                kind: Kind::FloatingWrite,
                line,
                end_line: end,
                what: chain,
                detail: "defined in this file".into(),
            }),
            Some(false) => {}
            None => scan.floating.push(Site {
                kind: Kind::Call,
                line,
                end_line: end,
                what: name,
                detail: String::new(),
            }),
        }
    }
}

/// React Query: useMutation options, mutate call sites, hook bindings and defaults.
fn react_query(file: &SourceFile, scan: &mut ErrScan, scopes: &[super::source::Captures], try_bodies: &[Node]) {
    static ON_ERROR: OnceLock<Regex> = OnceLock::new();
    static DEFAULTS: OnceLock<Regex> = OnceLock::new();
    let on_error = ON_ERROR.get_or_init(|| Regex::new(r"\bonError\b").unwrap());
    if !file.text.contains("useMutation") && !file.text.contains("mutate") && !file.text.contains("QueryClient") {
        return;
    }
    let defaults = DEFAULTS.get_or_init(|| {
        Regex::new(r"(?s)(new\s+MutationCache\s*\(\s*\{[^;]*?\bonError\b|mutations\s*:\s*\{[^}]*?\bonError\b)").unwrap()
    });
    scan.mutation_default_on_error = defaults.is_match(file.text);
    let query = file.matches("err_query");
    // A mutation bound to a variable matches twice; the bound match names its holder.
    let bound: HashMap<usize, String> = query
        .iter()
        .filter_map(|m| Some((m.get("mutation.bound")?.start_byte(), file.text_of(m.get("mutation.var")?).to_string())))
        .collect();
    for m in query {
        if let (Some(call), Some(options)) = (m.get("mutation"), m.get("mutation.options")) {
            let (line, _) = file.lines(call);
            let holder = bound
                .get(&call.start_byte())
                .map(|v| (v.clone(), false))
                .or_else(|| {
                    // The innermost named function containing it: a custom hook returns it.
                    scopes
                        .iter()
                        .filter_map(|s| Some((s.get("fn.name")?, s.get("fn.body")?)))
                        .filter(|(_, b)| b.start_byte() <= call.start_byte() && call.end_byte() <= b.end_byte())
                        .min_by_key(|(_, b)| b.end_byte() - b.start_byte())
                        .map(|(n, _)| (file.text_of(n).to_string(), true))
                })
                .unwrap_or_default();
            let writes = file.matches_in("err_effects", options).iter().any(|e| {
                e.get("call").is_some_and(|c| {
                    let chain = normalize_callee(file.text_of(c));
                    write_call(&chain, file.text_of(c)).is_some()
                        || supabase_write(&chain).is_some()
                        || is_external_call(&chain)
                })
            });
            scan.mutations.push(Mutation {
                line,
                holder: holder.0,
                hook: holder.1,
                on_error: on_error.is_match(file.text_of(options)),
                writes,
            });
        }
        if let (Some(call), Some(target), Some(method), Some(args)) = (
            m.get("mutate"),
            m.get("mutate.target"),
            m.get("mutate.method"),
            m.get("mutate.args"),
        ) {
            let (line, _) = file.lines(call);
            let in_try = try_bodies
                .iter()
                .any(|t| t.start_byte() <= call.start_byte() && call.end_byte() <= t.end_byte());
            let chained_catch = call
                .parent()
                .and_then(|p| p.parent())
                .is_some_and(|p| file.text_of(p).contains(".catch("));
            let handled = on_error.is_match(file.text_of(args))
                || (file.text_of(method) == "mutateAsync" && (in_try || chained_catch));
            scan.mutates.push(MutateCall {
                line,
                target: file.text_of(target).to_string(),
                handled,
            });
        }
        if let (Some(var), Some(hook)) = (m.get("hook.var"), m.get("hook.fn")) {
            let hook = file.text_of(hook);
            if hook.starts_with("use") && hook != "useMutation" {
                scan.hooks.push((file.text_of(var).to_string(), hook.to_string()));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Scan: Python

fn scan_python(file: &SourceFile) -> ErrScan {
    let mut scan = ErrScan::default();
    let sites = file.matches("err_sites");
    for m in sites {
        if let (Some(name), Some(_)) = (m.get("async.name"), m.get("async.body")) {
            scan.async_fns.insert(file.text_of(name).to_string(), false);
        }
    }
    for m in sites {
        if let (Some(body), Some(clause), Some(block)) =
            (m.get("try.body"), m.get("catch"), m.get("catch.body"))
        {
            let header = file.text_of(clause).split(':').next().unwrap_or("").trim();
            let bare = header == "except";
            if !bare && !can_fail_outside(file, body) {
                continue;
            }
            let alias = header.rsplit_once(" as ").map(|(_, a)| a.trim());
            let verdict = classify_block(file, block, alias);
            let what = if bare { "except:" } else { "except" };
            push_verdict(file, &mut scan, clause, verdict, what);
        }
        if let (Some(stmt), Some(call)) = (m.get("float"), m.get("float.call")) {
            let chain = normalize_callee(file.text_of(call));
            let (line, end) = file.lines(stmt);
            let name = chain.trim_start_matches("self.").trim_end_matches("()");
            if chain.ends_with("create_task()") || chain.ends_with("ensure_future()") {
                scan.unhandled.push(Site {
                    kind: Kind::DroppedTask,
                    line,
                    end_line: end,
                    what: chain.clone(),
                    detail: String::new(),
                });
            } else if !name.contains('.') && scan.async_fns.contains_key(name) {
                scan.unhandled.push(Site {
                    kind: Kind::Coroutine,
                    line,
                    end_line: end,
                    what: name.to_string(),
                    detail: String::new(),
                });
            }
        }
        if m.has("style.throw") {
            scan.styles.throw += 1;
        }
        if m.has("style.result") {
            scan.styles.result += 1;
        }
    }
    scan
}

// ---------------------------------------------------------------------------------------
// Check

/// Whether the file talks to Supabase: imports supabase-js or a module named for it.
fn uses_supabase(repo: &Repo, path: &str) -> bool {
    repo.file(path).is_some_and(|f| {
        f.imports
            .iter()
            .any(|i| i.specifier.to_ascii_lowercase().contains("supabase"))
    })
}

fn swallowed(repo: &Repo, scans: &[(&super::RepoFile, ErrScan)], out: &mut Vec<Draft>) {
    for (file, scan) in scans {
        let supabase = uses_supabase(repo, &file.path);
        let python = file.lang == Lang::Python;
        let mut results: Vec<&Site> = Vec::new();
        for site in &scan.swallow {
            let draft = match site.kind {
                Kind::EmptyCatch if python => Draft::new(
                    "ERR-SWALLOW",
                    &file.path,
                    site.line,
                    site.end_line,
                    format!(
                        "`{} pass` drops the exception and carries on: callers get a default as if the call had worked, and nobody is told it failed.",
                        site.what
                    ),
                ),
                Kind::EmptyCatch => Draft::new(
                    "ERR-SWALLOW",
                    &file.path,
                    site.line,
                    site.end_line,
                    "Empty catch: the failure of the awaited work in this try is dropped without a trace and the code carries on as if it succeeded.",
                ),
                Kind::LogOnlyCatch => {
                    let (log, carry) = site.detail.split_once('\u{0}').unwrap_or(("a log call", ""));
                    Draft::new(
                        "ERR-SWALLOW",
                        &file.path,
                        site.line,
                        site.end_line,
                        format!(
                            "This {} only logs the failure (`{log}`) and {carry}: the caller and the user never learn it failed.",
                            if python { "except" } else { "catch" }
                        ),
                    )
                }
                Kind::SilentCatch => Draft::new(
                    "ERR-SWALLOW",
                    &file.path,
                    site.line,
                    site.end_line,
                    format!(
                        "This {} neither reports nor rethrows the failure; it {}.",
                        if python { "except" } else { "catch" },
                        site.detail
                    ),
                ),
                Kind::SwallowCallback => Draft::new(
                    "ERR-SWALLOW",
                    &file.path,
                    site.line,
                    site.end_line,
                    format!(
                        "`.catch({})` turns the rejection into success: the failure is dropped{}.",
                        site.detail,
                        if site.detail.contains("console") || site.detail.contains("log") {
                            " after a log line"
                        } else {
                            " silently"
                        }
                    ),
                ),
                Kind::IgnoredResult | Kind::LoggedResult => {
                    if !supabase && !site.what.to_ascii_lowercase().contains("supabase") {
                        continue;
                    }
                    if site.kind == Kind::IgnoredResult {
                        results.push(site);
                        continue;
                    }
                    let (table, rest) = site.detail.split_once('\u{0}').unwrap_or((&site.detail, ""));
                    let (log, carry) = rest.split_once('\u{0}').unwrap_or(("", ""));
                    let (_, method) = supabase_write(&site.what).unwrap_or_default();
                    let mut msg = format!(
                        "The {method} of {} returns {{ error }}, and the error is only {}",
                        if table.is_empty() { "this query".to_string() } else { format!("`{table}`") },
                        if log.is_empty() { "logged".to_string() } else { format!("logged (`{log}`)") }
                    );
                    if !carry.is_empty() {
                        msg.push_str(&format!(": the code {carry}"));
                    }
                    msg.push_str(". supabase-js does not throw, so the failed write is lost.");
                    Draft::new("ERR-SWALLOW", &file.path, site.line, site.end_line, msg)
                        .data_write()
                        .confidence(Confidence::High)
                }
                _ => continue,
            };
            out.push(draft);
        }
        // Ignored results of adjacent statements form one finding.
        let mut i = 0;
        while i < results.len() {
            let mut j = i;
            while j + 1 < results.len() && results[j + 1].line <= results[j].end_line + 1 {
                j += 1;
            }
            let group = &results[i..=j];
            let described: Vec<String> = group
                .iter()
                .map(|s| {
                    let (_, method) = supabase_write(&s.what)
                        .or_else(|| supabase_rpc(&s.what).map(|r| (r, "rpc".into())))
                        .unwrap_or_default();
                    if s.detail.is_empty() {
                        format!("the {method}")
                    } else {
                        format!("the {method} of `{}`", s.detail)
                    }
                })
                .collect();
            let msg = if group.len() == 1 {
                format!(
                    "The {{ error }} that supabase-js returns for {} is never read: if the write fails, nothing throws and the code carries on as if it succeeded.",
                    described[0]
                )
            } else {
                format!(
                    "The {{ error }} results of {} are never read: if a write fails, nothing throws and the code carries on as if it succeeded.",
                    join_and(&described)
                )
            };
            let mut d = Draft::new(
                "ERR-SWALLOW",
                &file.path,
                group[0].line,
                group[group.len() - 1].end_line,
                msg,
            )
            .data_write()
            .confidence(Confidence::High);
            for s in group {
                d = d.fact(format!("{}:{} {}", file.path, s.line, s.what));
            }
            out.push(d);
            i = j + 1;
        }
    }
}

fn unhandled(repo: &Repo, scans: &[(&super::RepoFile, ErrScan)], out: &mut Vec<Draft>) {
    let by_path: HashMap<&str, &ErrScan> = scans.iter().map(|(f, s)| (f.path.as_str(), s)).collect();
    for (file, scan) in scans {
        let supabase = uses_supabase(repo, &file.path);
        for site in &scan.unhandled {
            let d = match site.kind {
                Kind::LazyQuery => {
                    let prisma = site.what.to_ascii_lowercase().contains("prisma");
                    if !prisma && !supabase && !site.what.to_ascii_lowercase().contains("supabase") {
                        continue;
                    }
                    let (_, method) = supabase_write(&site.what)
                        .or_else(|| supabase_rpc(&site.what).map(|r| (r, "rpc".into())))
                        .unwrap_or_else(|| (String::new(), last_name(&site.what)));
                    let target = if site.detail.is_empty() { String::new() } else { format!(" of `{}`", site.detail) };
                    let lib = if prisma { "A Prisma query" } else { "A supabase-js query builder" };
                    Draft::new(
                        "ERR-UNHANDLED",
                        &file.path,
                        site.line,
                        site.end_line,
                        format!(
                            "The {method}{target} is never awaited. {lib} only runs when awaited or .then()-ed, so this write never happens, and nothing reports it."
                        ),
                    )
                    .data_write()
                    .confidence(Confidence::High)
                }
                Kind::FloatingWrite => Draft::new(
                    "ERR-UNHANDLED",
                    &file.path,
                    site.line,
                    site.end_line,
                    format!(
                        "`{}` starts an async write that is neither awaited nor given a catch: if it fails, the rejection goes unhandled and the code has already carried on as if it worked.",
                        short(&site.what, 60)
                    ),
                )
                .data_write(),
                Kind::ThenWithoutCatch => Draft::new(
                    "ERR-UNHANDLED",
                    &file.path,
                    site.line,
                    site.end_line,
                    format!(
                        "`{}` is followed by .then with no .catch or rejection handler: when the call fails the rejection is unhandled and the screen or job waits for a result that never comes.",
                        short(&site.what, 60)
                    ),
                ),
                Kind::Coroutine => Draft::new(
                    "ERR-UNHANDLED",
                    &file.path,
                    site.line,
                    site.end_line,
                    format!(
                        "`{}()` is an async def called without await: the coroutine is created and never runs (Python warns only at garbage collection).",
                        site.what
                    ),
                )
                .confidence(Confidence::High),
                Kind::DroppedTask => Draft::new(
                    "ERR-UNHANDLED",
                    &file.path,
                    site.line,
                    site.end_line,
                    format!(
                        "The task from `{}` is not kept: asyncio holds only a weak reference, so it can be garbage-collected mid-run, and its exception is never retrieved.",
                        site.what
                    ),
                ),
                _ => continue,
            };
            out.push(d);
        }
        // Plain calls to async writers of imported files.
        for site in &scan.floating {
            let writer = repo.imports_of(&file.path).into_iter().find(|p| {
                by_path
                    .get(p)
                    .is_some_and(|s| s.async_fns.get(&site.what) == Some(&true))
            });
            if let Some(def) = writer {
                out.push(
                    Draft::new(
                        "ERR-UNHANDLED",
                        &file.path,
                        site.line,
                        site.end_line,
                        format!(
                            "`{}()` is an async function that writes (defined in {def}), called here without await or catch: a failed write becomes an unhandled rejection after the code has moved on.",
                            site.what
                        ),
                    )
                    .related(def, 0, format!("{} is defined here", site.what))
                    .data_write(),
                );
            }
        }
    }
    mutations(scans, out);
}

/// React Query mutations with no onError anywhere: not in the options, not at the call
/// sites, not as a default of the QueryClient.
fn mutations(scans: &[(&super::RepoFile, ErrScan)], out: &mut Vec<Draft>) {
    if scans.iter().any(|(_, s)| s.mutation_default_on_error) {
        return;
    }
    for (file, scan) in scans {
        for m in scan.mutations.iter().filter(|m| !m.on_error && !m.holder.is_empty()) {
            // Call sites: `holder.mutate` here, or `v.mutate` where `v = holder()`.
            let mut sites: Vec<(String, &MutateCall)> = Vec::new();
            if m.hook {
                for (other, s) in scans {
                    for (var, _) in s.hooks.iter().filter(|(_, h)| *h == m.holder) {
                        sites.extend(
                            s.mutates
                                .iter()
                                .filter(|c| c.target == *var)
                                .map(|c| (other.path.clone(), c)),
                        );
                    }
                }
            } else {
                sites.extend(
                    scan.mutates
                        .iter()
                        .filter(|c| c.target == m.holder)
                        .map(|c| (file.path.clone(), c)),
                );
            }
            let bare: Vec<&(String, &MutateCall)> = sites.iter().filter(|(_, c)| !c.handled).collect();
            if bare.is_empty() {
                continue;
            }
            let mut d = Draft::new(
                "ERR-UNHANDLED",
                &file.path,
                m.line,
                m.line,
                format!(
                    "The mutation {} has no onError, and {} of its {} call site(s) pass none either: a failed save shows nothing to the user.",
                    if m.hook { format!("returned by {}", m.holder) } else { format!("`{}`", m.holder) },
                    bare.len(),
                    sites.len()
                ),
            );
            if m.writes {
                d = d.data_write();
            }
            for (path, c) in bare {
                d = d.related(path.clone(), c.line, "mutate called without onError");
            }
            out.push(d);
        }
    }
}

/// The distribution of error-handling styles across the repository.
fn inconsistent(scans: &[(&super::RepoFile, ErrScan)], out: &mut Vec<Draft>) {
    #[derive(Default)]
    struct Tally {
        sites: u32,
        files: BTreeSet<String>,
        areas: BTreeMap<String, u32>,
    }
    let mut styles: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut add = |style: &'static str, path: &str, n: u32| {
        if n == 0 {
            return;
        }
        let t = styles.entry(style).or_default();
        t.sites += n;
        t.files.insert(path.to_string());
        *t.areas.entry(area_of(path)).or_insert(0) += n;
    };
    for (file, scan) in scans {
        let swallow = scan.swallow.len() as u32;
        add("throw", &file.path, scan.styles.throw);
        add("return an error value", &file.path, scan.styles.result);
        add("swallow (drop or only log)", &file.path, swallow);
        add("respond with an error status", &file.path, scan.styles.respond);
        add("show to the user", &file.path, scan.styles.show);
        add("report to a tracker", &file.path, scan.styles.report);
    }
    // Ways of telling a caller about a failure; responding, showing and reporting are what
    // a boundary does with them and fit any of these.
    const SIGNALS: [&str; 3] = ["throw", "return an error value", "swallow (drop or only log)"];
    let total: u32 = SIGNALS
        .iter()
        .filter_map(|s| styles.get(s))
        .map(|t| t.sites)
        .sum();
    let used: Vec<&str> = SIGNALS
        .iter()
        .copied()
        .filter(|s| {
            styles.get(s).is_some_and(|t| {
                t.sites >= 3 && t.files.len() >= 2 && t.sites as f64 >= 0.1 * total as f64
            })
        })
        .collect();
    if used.len() < 2 {
        return;
    }
    let describe = |name: &str, t: &Tally| {
        let areas: Vec<String> = t.areas.iter().map(|(a, n)| format!("{a} {n}")).collect();
        format!(
            "{name}: {} site(s) in {} file(s) ({})",
            t.sites,
            t.files.len(),
            areas.join(", ")
        )
    };
    let summary: Vec<String> = used
        .iter()
        .map(|s| {
            let t = &styles[s];
            format!("{s} in {}", t.areas.keys().cloned().collect::<Vec<_>>().join(", "))
        })
        .collect();
    let mut d = Draft::absence(
        "ERR-INCONSISTENT",
        format!(
            "Failures are signalled {} different ways: {}. A caller cannot know whether to catch, check a result or expect nothing.",
            used.len(),
            summary.join("; ")
        ),
        vec![
            "throw/raise statements, returned error values ({ error }, { ok: false }, null from a catch), catch and except blocks, supabase-js { error } results, in TypeScript, JavaScript and Python outside tests".into(),
        ],
    );
    for (name, t) in &styles {
        d = d.fact(describe(name, t));
    }
    d = d.fact(format!(
        "share of signalling sites: {}",
        SIGNALS
            .iter()
            .filter_map(|s| styles.get(s).map(|t| format!("{s} {:.0}%", 100.0 * t.sites as f64 / total.max(1) as f64)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.push(d.anchor("error-handling styles"));
}

/// The area a path belongs to, for the distribution: its first two folders.
fn area_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.len() {
        0 | 1 => ".".into(),
        2 => parts[0].to_string(),
        _ => format!("{}/{}", parts[0], parts[1]),
    }
}

pub(super) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// At most `max` characters of one line.
pub(super) fn short(text: &str, max: usize) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= max {
        one
    } else {
        format!("{}…", one.chars().take(max).collect::<String>())
    }
}
