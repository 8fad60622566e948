//! SEC-RATE: endpoints a script can call without end. Authentication endpoints (login,
//! signup, password reset, OTP and magic links, invite acceptance: a handler that checks a
//! password, creates users or compares a submitted token or code) and costly ones (AI calls,
//! e-mail and SMS, exports) that take request input, with no limiter in the handler, its
//! route, its file or the files around it (what it imports and what mounts it): a limiter
//! library (express-rate-limit, @upstash/ratelimit, rate-limiter-flexible, slowapi,
//! django-ratelimit, Flask-Limiter…), a hand-written counter, a captcha check, or 429
//! responses. Supabase Auth's own endpoints (`auth.signInWithPassword`, `auth.signUp`,
//! `auth.signInWithOtp` …) are rate limited by the platform and are not findings.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::code::{Code, Sources};
use super::routes::Route;
use super::{words, SecScan};
use crate::catalogue::{Confidence, Severity};
use crate::checks::{Class, Draft, Repo, RepoFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Kind {
    Auth,
    Costly,
}

/// A handler that needs a rate limit, as the scan found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Endpoint {
    pub line: u32,
    pub label: String,
    pub kind: Kind,
    /// What makes it sensitive: "checks a password", "sends e-mail with resend.emails.send()".
    pub what: String,
    /// No authentication check in the handler or its route.
    pub public: bool,
    /// Limiter evidence on the route or in the handler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limited: Option<String>,
}

const AUTH_WORDS: [&str; 22] = [
    "login", "signin", "logon", "authenticate", "signup", "register", "registration", "password", "passwd", "reset", "forgot",
    "recover", "otp", "totp", "mfa", "2fa", "verify", "magic", "invite", "invitation", "token", "session",
];
/// Password checks and account creation: the handler is an authentication endpoint.
const AUTH_CALLS: [&str; 16] = [
    "bcrypt.compare", "bcrypt.compareSync", "bcryptjs.compare", "argon2.verify", "verify_password", "check_password",
    "checkpw", "pwd_context.verify", "verifyPassword", "comparePassword", "authenticate", "auth.admin.createUser",
    "create_user", "createUser", "verify_otp", "verifyTotp",
];
/// Supabase Auth and other hosted auth: limited by the platform.
const PLATFORM_AUTH: [&str; 10] = [
    "auth.signInWithPassword", "auth.signUp", "auth.signInWithOtp", "auth.resetPasswordForEmail", "auth.verifyOtp",
    "auth.signInWithOAuth", "auth.exchangeCodeForSession", "signInWithEmailAndPassword", "createUserWithEmailAndPassword",
    "sendPasswordResetEmail",
];
/// Paid or abusable side effects: (callee suffix, what).
const COSTLY: [(&str, &str); 22] = [
    ("chat.completions.create", "calls the OpenAI API"),
    ("responses.create", "calls the OpenAI API"),
    ("completions.create", "calls an AI completion API"),
    ("embeddings.create", "calls an embeddings API"),
    ("images.generate", "generates images with a paid API"),
    ("messages.create", "calls a paid messaging or AI API"),
    ("generateText", "calls an AI model"),
    ("streamText", "calls an AI model"),
    ("generateObject", "calls an AI model"),
    ("generateContent", "calls the Gemini API"),
    ("replicate.run", "runs a Replicate model"),
    ("emails.send", "sends e-mail"),
    ("sendMail", "sends e-mail"),
    ("sgMail.send", "sends e-mail"),
    ("send_mail", "sends e-mail"),
    ("send_email", "sends e-mail"),
    ("sendEmail", "sends e-mail"),
    ("sendTransacEmail", "sends e-mail"),
    ("mail.send", "sends e-mail"),
    ("sns.publish", "sends SMS"),
    ("sendSms", "sends SMS"),
    ("inviteUserByEmail", "sends invitation e-mail"),
];
const LIMITER_PACKAGES: [&str; 13] = [
    "express-rate-limit", "rate-limiter-flexible", "@upstash/ratelimit", "hono-rate-limiter", "@nestjs/throttler",
    "express-slow-down", "express-brute", "slowapi", "django_ratelimit", "ratelimit", "flask_limiter", "fastapi_limiter", "limits",
];

fn limiter_name() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)rate_?limit|throttl|limiter|slow_?down|brute|lockout|captcha|turnstile|siteverify|too_?many|failed_?(?:login_?)?attempts|login_?attempts")
            .expect("limiter regex")
    })
}

/// Rate-limiting evidence anywhere in the file, described.
pub(super) fn limiter(code: &Code) -> Option<String> {
    if let Some(i) = code.imports.iter().find(|i| LIMITER_PACKAGES.iter().any(|p| i.source == *p || i.source.starts_with(&format!("{p}/")) || i.source.starts_with(&format!("{p}.")) || i.source.starts_with(&format!("npm:{p}")))) {
        return Some(format!("{} imported at line {}", i.source, i.line));
    }
    if let Some(c) = code.calls.iter().find(|c| limiter_name().is_match(&c.callee)) {
        return Some(format!("{}() at line {}", c.callee, code.line(c.node)));
    }
    for f in &code.fns {
        if let Some(name) = code.func_name(f).filter(|n| limiter_name().is_match(n)) {
            return Some(format!("{name} at line {}", code.line(f.node)));
        }
    }
    static STATUS: OnceLock<Regex> = OnceLock::new();
    let status = STATUS.get_or_init(|| Regex::new(r"(?:status(?:_code)?\s*[:=(]\s*|HTTP_|\.status\()429\b|TooManyRequests").expect("429 regex"));
    status.find(code.file.text).map(|m| format!("a 429 response at line {}", code.file.line_of(m.start())))
}

/// Whether `scope` (or the whole file) checks who is calling: an auth call, the
/// Authorization header, cookies or a session, a FastAPI/Django auth dependency.
pub(super) fn reads_auth(code: &Code, scope: Option<Node>) -> bool {
    let text = match scope {
        Some(n) => code.text(n),
        None => code.file.text,
    };
    let in_scope = |n: Node| scope.is_none_or(|s| s.byte_range().contains(&n.start_byte()));
    const CALLS: [&str; 17] = [
        "auth.getUser", "auth.getSession", "getServerSession", "getToken", "currentUser", "verifyIdToken", "jwt.verify",
        "jwtVerify", "requireAuth", "requireUser", "withAuth", "getAuth", "validateRequest", "auth", "verifyToken",
        "passport.authenticate", "get_current_user",
    ];
    if code.calls.iter().filter(|c| in_scope(c.node)).any(|c| {
        CALLS.iter().any(|a| c.callee == *a || c.callee.ends_with(&format!(".{a}")))
    }) {
        return true;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)headers?\s*(?:\.get\(\s*|\(\s*|\[\s*|\.)["']?authorization|\bcookies\s*\(|\.cookies\b|getCookie\(|Depends\(\s*(?:get_current_\w+|current_\w+|\w*auth\w*|verify\w*)|Security\(|login_required|permission_classes|IsAuthenticated|HTTPBearer|OAuth2PasswordBearer"#)
            .expect("auth regex")
    })
    .is_match(text)
}

pub(super) fn scan(code: &Code, routes: &[Route]) -> Vec<Endpoint> {
    let mut out = Vec::new();
    for r in routes {
        let Some(h) = r.handler else { continue };
        let inside = |n: Node| h.byte_range().contains(&n.start_byte());
        let calls: Vec<_> = code.calls.iter().filter(|c| inside(c.node)).collect();
        let name = code.fns.iter().find(|f| f.node.id() == h.id()).and_then(|f| code.func_name(f)).unwrap_or("");
        let words = words(&format!("{} {name}", r.label));
        let auth_call = calls.iter().find(|c| AUTH_CALLS.iter().any(|a| c.callee == *a || c.callee.ends_with(&format!(".{a}"))));
        let platform = calls.iter().any(|c| PLATFORM_AUTH.iter().any(|a| c.callee.ends_with(a)));
        let credentials = credential_fields(code, h, r);
        let auth_words = words.iter().any(|w| AUTH_WORDS.contains(&w.as_str()));
        let kind_what = if let Some(c) = auth_call {
            let does = if c.callee.to_ascii_lowercase().contains("creat") { "creates accounts" } else { "checks passwords" };
            let checks = if credentials.is_empty() { String::new() } else { format!("takes a submitted {} and ", credentials.join(" and ")) };
            Some((Kind::Auth, format!("{checks}{does} with {}()", c.callee)))
        } else if auth_words && !credentials.is_empty() && !platform {
            Some((Kind::Auth, format!("checks a submitted {}", credentials.join(" and "))))
        } else {
            costly(code, &calls, &words, h, r)
        };
        let Some((kind, what)) = kind_what else { continue };
        if platform && auth_call.is_none() && kind == Kind::Auth {
            continue;
        }
        let route_limiter = r.middleware.iter().find(|m| limiter_name().is_match(m)).cloned();
        let handler_limiter = calls.iter().find(|c| limiter_name().is_match(&c.callee)).map(|c| format!("{}()", c.callee));
        let public = !reads_auth(code, Some(h)) && !r.middleware.iter().any(|m| m.to_ascii_lowercase().contains("auth") || m.contains("login_required"));
        out.push(Endpoint {
            line: r.line,
            label: r.label.clone(),
            kind,
            what,
            public,
            limited: route_limiter.or(handler_limiter),
        });
    }
    out
}

/// Credential-like fields the handler takes from the request and compares or passes on.
fn credential_fields(code: &Code, handler: Node, r: &Route) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let credential = RE.get_or_init(|| Regex::new(r"(?i)^(?:password|passwd|pass|otp|code|token|pin|secret|passcode)$|password|otp$|token$|code$").expect("credential regex"));
    let tainted = code.request_names(handler, Sources::Any, &r.seeds);
    let mut fields: Vec<String> = Vec::new();
    for t in &tainted {
        if credential.is_match(t) && !fields.iter().any(|f| f == t) {
            fields.push(t.to_string());
        }
    }
    // `body.password` on a validated model: the attribute names the credential.
    for cmp in code.compares.iter().filter(|n| handler.byte_range().contains(&n.start_byte())) {
        let text = code.compact(*cmp);
        for word in ["password", "token", "otp", "code"] {
            if text.to_ascii_lowercase().contains(word) && !fields.iter().any(|f| f.to_ascii_lowercase().contains(word)) {
                fields.push(word.to_string());
            }
        }
    }
    fields.sort();
    fields
}

/// An AI, e-mail or SMS call, or an export, driven by request input.
fn costly(code: &Code, calls: &[&super::code::Call], words: &[String], h: Node, r: &Route) -> Option<(Kind, String)> {
    let reqs = code.request_objects(h);
    let params = code.fns.iter().find(|f| f.node.id() == h.id()).map(|f| code.param_names(f)).unwrap_or_default();
    let takes_input = !r.seeds.is_empty()
        || (!params.is_empty() && code.calls.iter().any(|c| h.byte_range().contains(&c.node.start_byte()) && code.is_request_source(c.node, Sources::Any, &reqs)))
        || code.defs.iter().any(|d| h.byte_range().contains(&d.node.start_byte()) && code.is_request_source(d.value, Sources::Any, &reqs));
    if !takes_input {
        return None;
    }
    for c in calls {
        if let Some((_, what)) = COSTLY.iter().find(|(suffix, _)| c.callee == *suffix || c.callee.ends_with(&format!(".{suffix}"))) {
            return Some((Kind::Costly, format!("{what} ({}())", c.callee)));
        }
    }
    if code.text(h).contains("api.openai.com") || code.text(h).contains("api.anthropic.com") {
        return Some((Kind::Costly, "calls a paid AI API".into()));
    }
    if words.iter().any(|w| w == "export" || w == "exports" || w == "download") {
        return Some((Kind::Costly, "exports data in bulk".into()));
    }
    None
}

pub(super) fn check(repo: &Repo, facts: &[(&RepoFile, SecScan)], out: &mut Vec<Draft>) {
    let limiter_of = |path: &str| facts.iter().find(|(f, _)| f.path == path).and_then(|(_, s)| s.limiter.clone());
    // Next.js / edge middleware that limits every route.
    let global: Option<(String, String)> = facts
        .iter()
        .filter(|(f, _)| {
            let name = f.path.rsplit('/').next().unwrap_or("");
            name.starts_with("middleware.") || name.starts_with("_middleware.")
        })
        .find_map(|(f, s)| s.limiter.clone().map(|l| (f.path.clone(), l)));
    for (file, scan) in facts {
        if file.roles.test || scan.endpoints.is_empty() {
            continue;
        }
        // The file, what it imports (three levels) and what mounts it (two levels).
        let around: Vec<String> = {
            let mut seen: HashSet<String> = HashSet::new();
            let mut frontier = vec![file.path.clone()];
            for _ in 0..3 {
                let mut next = Vec::new();
                for p in &frontier {
                    for i in repo.imports_of(p) {
                        if seen.insert(i.to_string()) {
                            next.push(i.to_string());
                        }
                    }
                }
                frontier = next;
            }
            for i in repo.importers_of(&file.path) {
                seen.insert(i.to_string());
                for j in repo.importers_of(i) {
                    seen.insert(j.to_string());
                }
            }
            seen.remove(&file.path);
            let mut v: Vec<String> = seen.into_iter().collect();
            v.sort();
            v
        };
        let nearby = scan
            .limiter
            .clone()
            .map(|l| (file.path.clone(), l))
            .or_else(|| around.iter().find_map(|p| limiter_of(p).map(|l| (p.clone(), l))))
            .or_else(|| global.clone());
        for e in &scan.endpoints {
            if e.limited.is_some() || nearby.is_some() {
                continue;
            }
            let (message, severity, class) = match e.kind {
                Kind::Auth => (
                    format!(
                        "{} {} with no rate limit or lockout: a script can try passwords, codes or tokens as fast as the server answers",
                        e.label, e.what
                    ),
                    None,
                    None,
                ),
                Kind::Costly if e.public => (
                    format!("{} {} for anyone who calls it, with no rate limit: a script can run up the bill or flood the database", e.label, e.what),
                    None,
                    None,
                ),
                Kind::Costly => (
                    format!("{} {} with no rate limit: one signed-in user (or a leaked token) can run up the bill", e.label, e.what),
                    Some(Severity::Medium),
                    Some((Class::Cosmetic, "Only signed-in users can reach it, so abuse needs an account; cap it before usage grows.")),
                ),
            };
            let mut d = Draft::new("SEC-RATE", file.path.clone(), e.line, e.line, message)
                .confidence(if e.kind == Kind::Auth { Confidence::High } else { Confidence::Medium })
                .anchor(format!("rate:{}", e.label))
                .searched(format!(
                    "rate limiting in {} and {} related file(s): limiter packages (express-rate-limit, @upstash/ratelimit, rate-limiter-flexible, slowapi, django-ratelimit, Flask-Limiter), limiter or throttle calls, captcha checks, 429 responses, middleware",
                    file.path,
                    around.len()
                ));
            if e.kind == Kind::Auth {
                d = d.auth();
            }
            if let Some(s) = severity {
                d = d.severity(s);
            }
            if let Some((c, why)) = class {
                d = d.class(c, why);
            }
            out.push(d);
        }
    }
}
