//! PAY and INT detectors: webhook signatures (PAY-WEBHOOK-SIG) and de-duplication
//! (PAY-WEBHOOK-IDEMP), idempotency keys on charges (PAY-IDEMP-KEY), money in floating point
//! (PAY-FLOAT-MONEY), outbound calls without a timeout (INT-TIMEOUT) and side effects that a
//! failure can split from the database write recording them (INT-PARTIAL). See
//! `queries/catalogue/pay.toml`.
//!
//! The scan reads each JS/TS/Python file once through the `pay` check query ([`syntax`]):
//! request handlers with the calls they make in order, and the control flow that says whether
//! a verification always runs before the body is parsed. The check half adds what one file
//! cannot know: verification helpers defined elsewhere, unique constraints from the schema,
//! whether a file is on a request path, repository-wide timeouts and reconciliation jobs.

mod effects;
mod syntax;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::roles::ends_with_name;
use super::{keep, Confidence, Detector, Draft, Repo, RepoFile, Severity, SourceFile};
use crate::lang::Lang;
use effects::{classify, Act};
use syntax::{span, within, Call, Opt, Span, Syntax};

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(Payments)]
}

const NAME: &str = "pay";

struct Payments;

// ---------------------------------------------------------------------------------------
// API names

/// Calls that check a webhook's signature (callee suffixes at a name boundary).
const VERIFIERS: [&str; 20] = [
    "constructEvent",
    "constructEventAsync",
    "verifyHeader",
    "verifyHeaderAsync",
    "timingSafeEqual",
    "subtle.verify",
    "verify",
    "verifyAndReceive",
    "unmarshal",
    "validateEvent",
    "verifySignature",
    "construct_event",
    "verify_header",
    "compare_digest",
    "verify_signature",
    "validate_signature",
    "verify_webhook",
    "verifyWebhook",
    "verifyWebhookSignature",
    "isValidSignature",
];

/// Calls that compute an HMAC: a check only with the comparison that follows them (their
/// arguments are the raw body, not a parse of it).
const DIGESTS: [&str; 3] = ["createHmac", "hmac.new", "subtle.sign"];

/// Verifiers that return a boolean: their result must decide whether processing goes on.
const BOOLEAN_VERIFIERS: [&str; 3] = ["timingSafeEqual", "subtle.verify", "compare_digest"];

/// Headers that carry a provider's webhook signature (lower case).
const SIGNATURE_HEADERS: [&str; 16] = [
    "stripe-signature",
    "x-hub-signature-256",
    "x-hub-signature",
    "x-signature",
    "paddle-signature",
    "svix-signature",
    "webhook-signature",
    "x-shopify-hmac-sha256",
    "x-razorpay-signature",
    "x-paystack-signature",
    "x-cal-signature-256",
    "typeform-signature",
    "x-twilio-signature",
    "x-webhook-signature",
    "x-slack-signature",
    "linear-signature",
];

/// Stripe calls that move money or commit to a charge and take an idempotency key (JS
/// resources; Python names in [`PY_CHARGE_CALLS`]).
const CHARGE_CALLS: [&str; 7] = [
    "paymentIntents.create",
    "charges.create",
    "checkout.sessions.create",
    "subscriptions.create",
    "refunds.create",
    "transfers.create",
    "payouts.create",
];

/// stripe-python: module resources and StripeClient services.
const PY_CHARGE_CALLS: [&str; 14] = [
    "PaymentIntent.create",
    "Charge.create",
    "checkout.Session.create",
    "Subscription.create",
    "Refund.create",
    "Transfer.create",
    "Payout.create",
    "payment_intents.create",
    "charges.create",
    "checkout.sessions.create",
    "subscriptions.create",
    "refunds.create",
    "transfers.create",
    "payouts.create",
];

/// Calls that send an email (Resend, SendGrid, Nodemailer, Postmark, Brevo, Django).
const EMAIL_CALLS: [&str; 12] = [
    "emails.send",
    "batch.send",
    "Emails.send",
    "sendMail",
    "sendEmail",
    "sendEmailWithTemplate",
    "sgMail.send",
    "sendTransacEmail",
    "send_mail",
    "send_email",
    "send_mass_mail",
    "messages.send",
];

/// Calls that undo a side effect (a refund, a cancellation) when they run in a catch.
const COMPENSATIONS: [&str; 7] = [
    "refunds.create",
    "Refund.create",
    "cancel",
    "void",
    "reverse",
    "expire",
    "voidInvoice",
];

/// Functions registering a route: `app.post("/x", handler)`.
const ROUTE_VERBS: [&str; 8] = [
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "all",
    "route",
    "api_route",
];
const ROUTE_RECEIVERS: [&str; 9] = [
    "app",
    "router",
    "server",
    "api",
    "fastify",
    "hono",
    "bp",
    "blueprint",
    "routes",
];
const HTTP_METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Logging calls: an event id only passed to one of these is not recorded.
fn is_log(callee: &str) -> bool {
    let root = callee.split('.').next().unwrap_or("");
    matches!(
        root,
        "console" | "logger" | "log" | "logging" | "Sentry" | "print" | "pprint" | "structlog"
    ) || callee == "print"
}

fn has_suffix(callee: &str, list: &[&str]) -> bool {
    list.iter().any(|s| ends_with_name(callee, s))
}

fn is_verifier(callee: &str) -> bool {
    let root = callee.split('.').next().unwrap_or("").to_ascii_lowercase();
    let password =
        ["bcrypt", "argon2", "scrypt", "passlib", "pwd_context"].contains(&root.as_str());
    !password && (has_suffix(callee, &VERIFIERS) || looks_like_verifier(callee))
}

/// A function defined in the repository verifies webhooks when it calls a verifier other than
/// a token check (`jwt.verify` guards logins, not webhooks).
fn verifies_webhooks(callee: &str) -> bool {
    let root = callee.split('.').next().unwrap_or("").to_ascii_lowercase();
    is_verifier(callee)
        && !["jwt", "jose", "jsonwebtoken", "auth", "firebase"].contains(&root.as_str())
}

/// A helper named for what it does: `verifyStripeSignature`, `validate_webhook`.
fn looks_like_verifier(callee: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^(verify|validate|check|authenticate|is_?valid)_?\w*(sig|signature|webhook|hmac)|^\w*(signature|webhook|hmac)_?\w*(verif|valid)").unwrap()
    });
    let last = callee.rsplit('.').next().unwrap_or(callee);
    re.is_match(last)
}

// ---------------------------------------------------------------------------------------
// Money names

const MONEY_WORDS: [&str; 30] = [
    "amount",
    "amounts",
    "price",
    "prices",
    "total",
    "totals",
    "subtotal",
    "subtotals",
    "balance",
    "balances",
    "cost",
    "costs",
    "fee",
    "fees",
    "tax",
    "taxes",
    "vat",
    "revenue",
    "salary",
    "wage",
    "wages",
    "earnings",
    "income",
    "spend",
    "budget",
    "money",
    "cash",
    "deposit",
    "dollars",
    "mrr",
];

/// Words that make a money-looking name something else: integer minor units, rates, counts,
/// identifiers, labels.
const NOT_MONEY_WORDS: [&str; 34] = [
    "cents",
    "cent",
    "minor",
    "rate",
    "rates",
    "percent",
    "percentage",
    "pct",
    "ratio",
    "count",
    "counts",
    "qty",
    "quantity",
    "id",
    "ids",
    "type",
    "currency",
    "status",
    "at",
    "date",
    "time",
    "interval",
    "period",
    "days",
    "weight",
    "score",
    "index",
    "key",
    "url",
    "label",
    "name",
    "text",
    "formatted",
    "display",
];

/// Lower-case words of an identifier: `unitPrice` → unit, price; `amount_total` → amount, total.
fn words(ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in ident.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// One identifier names an amount of money (`unit_price`, `amountTotal`), not a rate, a count
/// or minor units (`taxRate`, `amount_cents`).
fn is_money_name(ident: &str) -> bool {
    let w = words(ident);
    w.iter().any(|w| MONEY_WORDS.contains(&w.as_str()))
        && !w.iter().any(|w| NOT_MONEY_WORDS.contains(&w.as_str()))
}

/// Some identifier of an expression names money (`invoice.amount`, `(taxable + tax)`);
/// identifiers after a dot count on their own, so `invoice.amount` is money and
/// `invoice.amount_cents` is not.
fn mentions_money(text: &str) -> Option<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty() && !t.starts_with(|c: char| c.is_ascii_digit()))
        .find(|t| is_money_name(t))
        .map(str::to_string)
}

// ---------------------------------------------------------------------------------------
// Scan values

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct PayScan {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    handlers: Vec<HandlerFacts>,
    /// Stripe calls that need an idempotency key and lack a usable one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    charges: Vec<ChargeCall>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    floats: Vec<FloatSite>,
    /// Outbound calls with no timeout.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    outbound: Vec<Outbound>,
    /// Functions defined here that verify a webhook signature.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    verifiers: Vec<String>,
    /// `axios.defaults.timeout = …` is set here (every axios call is bounded).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    axios_default_timeout: bool,
    /// A reconciliation job is defined here (compares provider records with ours).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    reconciles: bool,
}

impl PayScan {
    fn is_empty(&self) -> bool {
        self.handlers.is_empty()
            && self.charges.is_empty()
            && self.floats.is_empty()
            && self.outbound.is_empty()
            && self.verifiers.is_empty()
            && !self.axios_default_timeout
            && !self.reconciles
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Site {
    line: u32,
    end_line: u32,
    /// What happens there, for messages (`insert into payments`, `resend.emails.send`).
    what: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct HandlerFacts {
    line: u32,
    end_line: u32,
    /// `Deno.serve`, `app.post /webhooks/stripe`, `export POST`.
    label: String,
    /// False for a serve handler that takes no request: a scheduled trigger.
    serves_requests: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    webhook: Option<WebhookFacts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    partial: Option<PartialRisk>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct WebhookFacts {
    /// Why this handler receives webhooks (`its route is /webhooks/stripe`).
    why: String,
    provider: String,
    /// Verification calls found in the handler.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    verified_by: Vec<String>,
    /// The first place the body is read as an event without a verification always before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unverified: Option<Unverified>,
    /// Calls always made before that place, which may verify in another file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    helpers: Vec<String>,
    /// With no parse of the body (a framework-parsed body), the first effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    first_effect: Option<Site>,
    /// Effects that a redelivered event repeats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    repeats: Vec<Effect>,
    /// How the handler de-duplicates events, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dedup: Option<String>,
    /// The event id appears only in log calls.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    event_id_logged: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Unverified {
    line: u32,
    end_line: u32,
    text: String,
    /// The condition under which verification is skipped, when the handler has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    guard: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Effect {
    line: u32,
    end_line: u32,
    what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    table: Option<String>,
    /// Columns written, when the payload is literal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    columns: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct PartialRisk {
    effect: Site,
    write: Site,
    /// The write comes first and claims the effect happened (`status: "paid"`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    write_first: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ChargeCall {
    line: u32,
    end_line: u32,
    callee: String,
    /// The key is generated fresh per attempt (`randomUUID()`), so a retry gets a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    random_key: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum FloatKind {
    /// A model field typed float.
    Field,
    /// parseFloat / Number / float() on an amount.
    Parse,
    /// Rounding to cents in floating point (`Math.round(x * 100) / 100`, `toFixed`, `round(x, 2)`).
    Round,
    /// Integer cents turned back into a fractional amount (`amount_total / 100`).
    ToMajor,
    /// Arithmetic with fractions on an amount (`subtotal * (discount / 100)`).
    Arith,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FloatSite {
    line: u32,
    end_line: u32,
    kind: FloatKind,
    /// The money name involved.
    name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Outbound {
    line: u32,
    end_line: u32,
    /// `fetch`, `axios.post`, `requests.get`, `axios instance`…
    client: String,
    /// Why it is unbounded (`no AbortSignal`, `timeout=None`).
    why: String,
    /// Whom it calls: an environment variable, a host or a constant (`SLACK_WEBHOOK_URL`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Scan

impl Detector for Payments {
    fn name(&self) -> &'static str {
        NAME
    }

    fn items(&self) -> &'static [&'static str] {
        &[
            "PAY-WEBHOOK-SIG",
            "PAY-WEBHOOK-IDEMP",
            "PAY-IDEMP-KEY",
            "PAY-FLOAT-MONEY",
            "INT-TIMEOUT",
            "INT-PARTIAL",
        ]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test()
            || file.tree.is_none()
            || !matches!(
                file.lang,
                Lang::TypeScript | Lang::Tsx | Lang::JavaScript | Lang::Python
            )
        {
            return None;
        }
        let syn = Syntax::new(file);
        let mut scan = PayScan::default();
        scan_handlers(&syn, &mut scan);
        scan_charges(&syn, &mut scan);
        scan_floats(&syn, &mut scan);
        scan_outbound(&syn, &mut scan);
        scan.verifiers = syn
            .functions
            .iter()
            .filter(|(f, _)| {
                syn.calls
                    .iter()
                    .any(|c| within(span(*f), c.span()) && verifies_webhooks(&c.callee))
            })
            .map(|(_, name)| name.to_string())
            .collect();
        scan.reconciles = file.path.to_ascii_lowercase().contains("reconcil")
            || syn
                .functions
                .iter()
                .any(|(_, n)| n.to_ascii_lowercase().contains("reconcil"));
        let empty = scan.is_empty();
        keep(&scan, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let scans = repo.facts::<PayScan>(NAME);
        webhook_sig(&scans, out);
        webhook_idemp(repo, &scans, out);
        idempotency_keys(&scans, out);
        float_money(repo, &scans, out);
        timeouts(repo, &scans, out);
        partial(repo, &scans, out);
    }
}

/// A unit of work: a request handler, or a top-level function of a server file.
struct Unit<'t> {
    scope: Span,
    node: tree_sitter::Node<'t>,
    label: String,
    route: Option<String>,
    name: Option<String>,
    handler: bool,
    serves_requests: bool,
}

/// The URL path a file-routed handler answers: Next.js app and pages routes, Supabase and
/// Netlify functions (`app/api/webhooks/stripe/route.ts` → `/api/webhooks/stripe`).
fn route_of_path(path: &str) -> Option<String> {
    let no_ext = path.rsplit_once('.').map_or(path, |(p, _)| p);
    let clean = |segments: &str| -> String {
        segments
            .split('/')
            .filter(|s| !s.is_empty() && !(s.starts_with('(') && s.ends_with(')')))
            .collect::<Vec<_>>()
            .join("/")
    };
    if let Some((_, rest)) = no_ext.split_once("pages/api/") {
        let rest = rest.strip_suffix("/index").unwrap_or(rest);
        return Some(format!("/api/{}", clean(rest)));
    }
    if let Some((_, rest)) = no_ext.split_once("supabase/functions/") {
        let name = rest.split('/').next()?;
        return Some(format!("/functions/v1/{name}"));
    }
    if let Some((_, rest)) = no_ext.split_once("netlify/functions/") {
        return Some(format!("/.netlify/functions/{}", clean(rest)));
    }
    let dir = no_ext.strip_suffix("/route")?;
    let rest = dir
        .strip_prefix("src/app/")
        .or_else(|| dir.strip_prefix("app/"))
        .or_else(|| dir.split_once("/app/").map(|(_, r)| r))?;
    Some(format!("/{}", clean(rest)))
}

fn units<'t>(syn: &Syntax<'t>) -> Vec<Unit<'t>> {
    let file = syn.file;
    let lower = file.path.to_ascii_lowercase();
    let use_server = file
        .text
        .trim_start()
        .trim_start_matches(['"', '\''])
        .starts_with("use server");
    // Files whose exports a platform serves: Next.js pages API, Vercel and Netlify functions.
    let function_file = lower.contains("pages/api/")
        || lower.starts_with("api/")
        || lower.contains("/api/")
        || lower.contains("netlify/functions/");
    let route_file = file
        .path
        .rsplit('/')
        .next()
        .is_some_and(|n| n.starts_with("route."));
    let mut out: Vec<Unit<'t>> = Vec::new();
    for h in &syn.handlers {
        let export = h.label.starts_with("export");
        let commonjs = matches!(
            h.label.as_str(),
            "module.exports" | "exports.handler" | "module.exports.handler" | "exports.default"
        );
        let is_handler = h.serve
            || is_route_registration(&h.label)
            || (file.lang == Lang::Python && is_django_decorator(&h.label))
            || (export
                && (h.name.is_some_and(|n| HTTP_METHODS.contains(&n)) && route_file
                    || (h.label == "export default" || h.name == Some("handler"))
                        && function_file
                    || use_server))
            || (commonjs && function_file);
        if !is_handler || out.iter().any(|u| u.scope == span(h.node)) {
            continue;
        }
        let file_routed = h.serve || export || commonjs;
        let label = match &h.route {
            Some(r) if !file_routed => format!("{} {r}", h.label),
            _ => h.label.clone(),
        };
        out.push(Unit {
            scope: span(h.node),
            node: h.node,
            label,
            route: if file_routed {
                route_of_path(file.path)
            } else {
                h.route.clone()
            },
            name: h.name.map(str::to_string),
            handler: true,
            serves_requests: !(h.serve && !h.has_param),
        });
    }
    for (f, name) in &syn.functions {
        let s = span(*f);
        if out.iter().any(|u| within(u.scope, s) || within(s, u.scope)) {
            continue;
        }
        let registered = syn
            .registrations
            .iter()
            .find(|(callee, n, _)| n == name && is_route_registration(callee));
        let django_view = file.lang == Lang::Python
            && (lower.ends_with("views.py") || lower.contains("/views/"))
            && syn.text(*f).contains(&format!("def {name}(request"));
        let default_export = function_file && syn.default_export == Some(*name);
        let (label, route, handler) = if let Some((callee, _, route)) = registered {
            let label = match route {
                Some(r) => format!("{callee} {r}"),
                None => callee.clone(),
            };
            (label, route.clone(), true)
        } else if django_view || default_export {
            (format!("view {name}"), route_of_path(file.path), true)
        } else {
            (format!("function {name}"), None, false)
        };
        out.push(Unit {
            scope: s,
            node: *f,
            label,
            route,
            name: Some(name.to_string()),
            handler,
            serves_requests: true,
        });
    }
    out.sort_by_key(|u| u.scope.0);
    out
}

/// `app.post`, `router.get`, `fastify.route`, `@app.post` (the decorator's callee).
fn is_route_registration(callee: &str) -> bool {
    let Some((receiver, verb)) = callee.rsplit_once('.') else {
        return false;
    };
    let receiver = receiver
        .rsplit('.')
        .next()
        .unwrap_or(receiver)
        .to_ascii_lowercase();
    ROUTE_VERBS.contains(&verb) && ROUTE_RECEIVERS.iter().any(|r| receiver.ends_with(r))
}

fn is_django_decorator(label: &str) -> bool {
    [
        "csrf_exempt",
        "require_POST",
        "require_http_methods",
        "api_view",
    ]
    .iter()
    .any(|d| ends_with_name(label, d))
}

// ---------------------------------------------------------------------------------------
// Handlers: webhooks and partial failures

fn scan_handlers(syn: &Syntax, scan: &mut PayScan) {
    for unit in units(syn) {
        let webhook = unit.handler.then(|| webhook_facts(syn, &unit)).flatten();
        let partial = partial_risk(syn, &unit);
        // Handlers are kept even without facts: INT-TIMEOUT reads whether the file serves requests.
        if unit.handler || partial.is_some() {
            let (line, end_line) = syn.file.lines(unit.node);
            scan.handlers.push(HandlerFacts {
                line,
                end_line,
                label: unit.label,
                serves_requests: unit.serves_requests,
                webhook,
                partial,
            });
        }
    }
}

/// Stripe event type literals: "checkout.session.completed", "invoice.paid".
fn stripe_event_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"["'`](checkout\.session|payment_intent|invoice|customer\.subscription|charge|subscription_schedule|payout)\.[a-z_.]+["'`]"#).unwrap()
    })
}

fn calls_in<'s, 't>(syn: &'s Syntax<'t>, scope: Span) -> impl Iterator<Item = &'s Call<'t>> + 's {
    syn.calls.iter().filter(move |c| within(scope, c.span()))
}

fn webhook_facts(syn: &Syntax, unit: &Unit) -> Option<WebhookFacts> {
    let file = syn.file;
    let text = syn.text(unit.node);
    let lower = text.to_ascii_lowercase();
    let header = SIGNATURE_HEADERS.iter().find(|h| lower.contains(*h));
    let verifiers: Vec<&Call> = calls_in(syn, unit.scope)
        .filter(|c| is_verifier(&c.callee) && !syn.in_closure_within(unit.scope, c.span()))
        .collect();
    let path_lower = file.path.to_ascii_lowercase();
    let route_hint = unit
        .route
        .as_deref()
        .map(|r| r.to_ascii_lowercase())
        .filter(|r| r.contains("webhook") || r.split('/').any(|s| s == "hooks"));
    let name_hint = unit
        .name
        .as_deref()
        .filter(|n| n.to_ascii_lowercase().contains("webhook"));
    let why = if let Some(r) = &route_hint {
        format!("its route is {r}")
    } else if let Some(h) = header {
        format!("it reads the {h} header")
    } else if path_lower.contains("webhook") && unit.route.is_none() {
        format!("it is served from {}", file.path)
    } else if let Some(n) = name_hint {
        format!("it is named {n}")
    } else if let Some(v) = verifiers.first() {
        format!("it calls {}", v.callee)
    } else if let Some(m) = stripe_event_re().find(text) {
        format!(
            "it handles {} events",
            m.as_str().trim_matches(['"', '\'', '`'])
        )
    } else {
        return None;
    };
    // A route of an app file with other routes is only a webhook by its own signals.
    let own_signal = route_hint.is_some()
        || header.is_some()
        || name_hint.is_some()
        || !verifiers.is_empty()
        || stripe_event_re().is_match(text)
        || (path_lower.contains("webhook") && unit.route.is_none());
    if !own_signal {
        return None;
    }
    let provider = provider_of(&lower, &path_lower);
    let checks = signature_checks(syn, unit.scope, &verifiers);
    let mut facts = WebhookFacts {
        why,
        provider: provider.to_string(),
        verified_by: checks.iter().map(|c| c.what.clone()).collect(),
        ..WebhookFacts::default()
    };
    facts.verified_by.dedup();

    // Where the body becomes an event: JSON.parse, req.json(), req.body, request.get_json()…
    let verifying_spans: Vec<Span> = calls_in(syn, unit.scope)
        .filter(|c| {
            is_verifier(&c.callee)
                || DIGESTS.iter().any(|d| c.callee.contains(d))
                || VERIFIERS.iter().any(|v| c.callee.contains(v))
        })
        .map(|c| c.span())
        .collect();
    for p in parse_sites(syn, unit.scope) {
        if verifying_spans.iter().any(|v| within(*v, p)) {
            continue; // the body handed to the verifier itself
        }
        if checks.iter().any(|c| c.guards(syn, unit.scope, p)) {
            continue;
        }
        let (line, end_line) = lines_of_span(file, p);
        let guard = checks.iter().find_map(|c| c.bypass(syn, unit.scope, p));
        facts.helpers = helpers_before(syn, unit.scope, p);
        facts.unverified = Some(Unverified {
            line,
            end_line,
            text: file
                .text
                .get(p.0..p.1)
                .unwrap_or("")
                .chars()
                .take(80)
                .collect(),
            guard,
        });
        break;
    }

    // Effects a redelivery repeats, and how (whether) the handler remembers events.
    let event_names = event_names(syn, unit.scope);
    let id_re = event_id_re(&event_names);
    let mut id_in_data_call = false;
    let mut dedup: Option<String> = None;
    let mut repeats = Vec::new();
    let mut first_effect: Option<Site> = None;
    let mut first_effect_span: Option<Span> = None;
    for c in calls_in(syn, unit.scope) {
        let args = syn.text(c.args);
        let act = classify(syn, c);
        let table = act.table().map(str::to_string);
        let records_id = id_re.is_match(args);
        if records_id && is_log(&c.callee) {
            facts.event_id_logged = true;
        }
        if records_id && matches!(act, Act::Write(_) | Act::Read(_)) {
            id_in_data_call = true;
            dedup.get_or_insert_with(|| format!("{} uses the event id", c.callee));
        }
        if let Some(t) = table.as_deref().filter(|t| is_event_table(t)) {
            dedup.get_or_insert_with(|| format!("it records events in {t}"));
        }
        let dedup_helper = !c.callee.contains('(') && {
            let last = c.method().to_ascii_lowercase();
            [
                "processed",
                "dedup",
                "idempot",
                "alreadyhandled",
                "already_handled",
                "seen",
            ]
            .iter()
            .any(|w| last.contains(w))
        };
        if dedup_helper {
            dedup.get_or_insert_with(|| format!("it calls {}", c.callee));
        }
        let (line, end_line) = file.lines(c.node);
        match act {
            Act::Write(w) => {
                first_effect_span.get_or_insert(c.span());
                first_effect.get_or_insert_with(|| Site {
                    line,
                    end_line,
                    what: w.describe(&c.callee),
                });
                let is_record = records_id || w.table.as_deref().is_some_and(is_event_table);
                if !w.idempotent && !is_record {
                    repeats.push(Effect {
                        line,
                        end_line,
                        what: w.describe(&c.callee),
                        table: w.table.clone(),
                        columns: w.columns.clone(),
                    });
                }
            }
            Act::External {
                idempotency_key, ..
            } => {
                first_effect_span.get_or_insert(c.span());
                first_effect.get_or_insert_with(|| Site {
                    line,
                    end_line,
                    what: c.callee.clone(),
                });
                if !idempotency_key {
                    repeats.push(Effect {
                        line,
                        end_line,
                        what: c.callee.clone(),
                        table: None,
                        columns: Vec::new(),
                    });
                }
            }
            _ => {}
        }
    }
    if id_in_data_call {
        facts.event_id_logged = false;
    }
    facts.dedup = dedup;
    facts.repeats = repeats;
    facts.first_effect = first_effect;
    if facts.unverified.is_none() && facts.verified_by.is_empty() {
        if let Some(e) = first_effect_span {
            facts.helpers = helpers_before(syn, unit.scope, e);
        }
    }
    Some(facts)
}

/// A signature check in a handler: a verifier call, or an if statement comparing an HMAC
/// digest with the signature header.
struct SignatureCheck {
    at: Span,
    what: String,
    /// Returns a verdict instead of throwing (`timingSafeEqual`, a comparison).
    boolean: bool,
    /// The if statement whose condition holds it: (condition, consequence).
    condition: Option<(Span, Span)>,
}

impl SignatureCheck {
    /// Whether the check always runs before `p` and a failed check cannot reach `p`.
    fn guards(&self, syn: &Syntax, scope: Span, p: Span) -> bool {
        match self.condition {
            // `if (!valid) return 401;` leaves on failure; `if (valid) { … p … }` gates p.
            Some((cond, then)) if syn.exits_within(then) || within(then, p) => {
                syn.always_before(scope, cond, p)
            }
            Some(_) if self.boolean => false,
            _ => syn.always_before(scope, self.at, p),
        }
    }

    /// Why `p` can run without this check passing, for the message.
    fn bypass(&self, syn: &Syntax, scope: Span, p: Span) -> Option<String> {
        if let Some(g) = syn.guard_between(scope, self.at, p) {
            return Some(g);
        }
        if self.condition.is_some() && self.boolean {
            return Some(format!(
                "when {} fails the handler does not stop, and",
                self.what
            ));
        }
        if syn.swallowed(scope, self.at, p) {
            return Some(format!(
                "when {} throws the catch does not return, and",
                self.what
            ));
        }
        None
    }
}

fn signature_checks(syn: &Syntax, scope: Span, verifiers: &[&Call]) -> Vec<SignatureCheck> {
    let mut out: Vec<SignatureCheck> = verifiers
        .iter()
        .map(|v| SignatureCheck {
            at: v.span(),
            what: v.callee.clone(),
            boolean: has_suffix(&v.callee, &BOOLEAN_VERIFIERS),
            condition: syn.if_condition_of(v.span()),
        })
        .collect();
    // `if (digest !== signature) return 401`, `if token != os.environ["WEBHOOK_SECRET"]: raise`:
    // a comparison with a computed digest or a shared secret that leaves when it fails.
    static NULLISH: OnceLock<Regex> = OnceLock::new();
    let nullish = NULLISH.get_or_init(|| {
        Regex::new(r#"(?:===?|!==?)\s*(?:null|undefined|None|""|''|``)|(?:null|undefined|None)\s*(?:===?|!==?)|\bis\s+(?:not\s+)?None"#).unwrap()
    });
    for (cond, then) in syn.ifs_within(scope) {
        let text = syn.file.text.get(cond.0..cond.1).unwrap_or("");
        let compared = nullish.replace_all(text, "");
        let lower = compared.to_ascii_lowercase();
        let about_secret = [
            "sig",
            "digest",
            "hmac",
            "hash",
            "secret",
            "token",
            "authorization",
            "api_key",
            "apikey",
        ]
        .iter()
        .any(|w| lower.contains(w));
        let compares = ["===", "!==", "==", "!="]
            .iter()
            .any(|op| compared.contains(op));
        if about_secret && compares && syn.exits_within(then) {
            out.push(SignatureCheck {
                at: cond,
                what: "a signature comparison".into(),
                boolean: true,
                condition: Some((cond, then)),
            });
        }
    }
    out
}

/// Plain calls that always run before `at` (a verification may hide in one of them).
fn helpers_before(syn: &Syntax, scope: Span, at: Span) -> Vec<String> {
    calls_in(syn, scope)
        .filter(|c| syn.always_before(scope, c.span(), at) && !c.callee.contains('('))
        .map(|c| c.callee.clone())
        .filter(|c| !is_log(c))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn provider_of(handler_lower: &str, path_lower: &str) -> &'static str {
    let has = |w: &str| handler_lower.contains(w) || path_lower.contains(w);
    if has("stripe") {
        "Stripe"
    } else if has("x-hub-signature") || has("github") {
        "GitHub"
    } else if has("paddle") {
        "Paddle"
    } else if has("lemon") {
        "Lemon Squeezy"
    } else if has("svix") || has("clerk") {
        "Svix"
    } else if has("shopify") {
        "Shopify"
    } else {
        "the provider"
    }
}

fn is_event_table(t: &str) -> bool {
    let w = words(t);
    w.iter().any(|w| {
        matches!(
            w.as_str(),
            "event" | "events" | "webhook" | "webhooks" | "idempotency" | "processed"
        )
    }) && !w.iter().any(|w| w == "calendar")
}

/// Names the event goes by: targets of the verification or parse (`event`, `evt`), plus the
/// usual ones.
fn event_names(syn: &Syntax, scope: Span) -> Vec<String> {
    let mut names: Vec<String> = vec![
        "event".into(),
        "evt".into(),
        "stripeEvent".into(),
        "webhookEvent".into(),
    ];
    for c in calls_in(syn, scope) {
        if is_verifier(&c.callee)
            || c.callee == "JSON.parse"
            || c.callee == "json.loads"
            || c.method() == "json"
        {
            let mut n = c.node;
            for _ in 0..3 {
                if let Some(t) = syn.target_of(n) {
                    let t = t.trim().trim_start_matches("const ").to_string();
                    if t.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') && !t.is_empty()
                    {
                        names.push(t);
                    }
                    break;
                }
                match n.parent() {
                    Some(p) => n = p,
                    None => break,
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

fn event_id_re(names: &[String]) -> Regex {
    let alts = names
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(
        r#"\b(?:{alts})\s*(?:\?\.|\.)\s*id\b|\b(?:{alts})\s*\[\s*["']id["']\s*\]|\b(?:{alts})\.get\(\s*["']id["']|(?i:event_?id)\b"#
    ))
    .expect("event id pattern")
}

/// Places in `scope` where the request body is read as data (not as raw text for verifying).
fn parse_sites(syn: &Syntax, scope: Span) -> Vec<Span> {
    let requestish = |t: &str| {
        let last = t.rsplit('.').next().unwrap_or(t).trim();
        matches!(last, "req" | "request" | "r" | "rawRequest" | "ctx" | "c")
    };
    let mut out: Vec<Span> = Vec::new();
    for c in calls_in(syn, scope) {
        let recv = c.callee.rsplit_once('.').map(|(r, _)| r).unwrap_or("");
        let parse = c.callee == "JSON.parse"
            || c.callee == "json.loads"
            || (c.method() == "json" && requestish(recv))
            || (c.method() == "get_json" && requestish(recv))
            || (c.callee.ends_with("req.json") || c.callee.ends_with("req.parseBody"));
        if parse && !syn.in_closure_within(scope, c.span()) {
            out.push(c.span());
        }
    }
    for (m, obj, prop) in &syn.members {
        let p = syn.text(*prop);
        let o = syn.text(*obj);
        let read = (p == "body" && requestish(o) && syn.file.lang != Lang::Python)
            || (p == "json" && o == "request" && syn.file.lang == Lang::Python);
        if read && within(scope, span(*m)) && !syn.in_closure_within(scope, span(*m)) {
            // `request.json()` is a call already; the member is its callee.
            if !syn
                .calls
                .iter()
                .any(|c| span(c.node).0 == span(*m).0 && c.callee.ends_with(p))
            {
                out.push(span(*m));
            }
        }
    }
    out.sort();
    out
}

fn lines_of_span(file: &SourceFile, s: Span) -> (u32, u32) {
    (
        file.line_of(s.0),
        file.line_of(s.1.saturating_sub(1).max(s.0)),
    )
}

/// INT-PARTIAL within one unit: an external effect and a database write on one path where a
/// failure between them leaves one done, with no compensation, recorded intent or
/// idempotency key.
fn partial_risk(syn: &Syntax, unit: &Unit) -> Option<PartialRisk> {
    let file = syn.file;
    let acts: Vec<(&Call, Act)> = calls_in(syn, unit.scope)
        .map(|c| (c, classify(syn, c)))
        .collect();
    let compensated = acts.iter().any(|(c, _)| {
        syn.in_catch(c.span())
            && (has_suffix(&c.callee, &COMPENSATIONS)
                || ["cancel", "void", "reverse"].contains(&c.method()))
    });
    if compensated {
        return None;
    }
    let site = |c: &Call, what: String| {
        let (line, end_line) = file.lines(c.node);
        Site {
            line,
            end_line,
            what,
        }
    };
    let writes: Vec<(&Call, &effects::Write)> = acts
        .iter()
        .filter_map(|(c, a)| match a {
            Act::Write(w) => Some((*c, w)),
            _ => None,
        })
        .collect();
    for (e, act) in &acts {
        let Act::External {
            money,
            idempotency_key: false,
        } = act
        else {
            continue;
        };
        let es = e.span();
        let on_path = |w: &Call| !syn.exclusive(es, w.span()) && !syn.in_catch(w.span());
        let after = writes.iter().find(|(w, _)| w.span().0 > es.1 && on_path(w));
        let mut before = writes
            .iter()
            .filter(|(w, _)| w.span().1 < es.0 && on_path(w));
        if let Some((w, wa)) = after {
            // Recorded intent: a pending row, or a row of the same table written before.
            let intent =
                before.any(|(_, b)| b.pending || (b.table.is_some() && b.table == wa.table));
            if !intent {
                return Some(PartialRisk {
                    effect: site(e, e.callee.clone()),
                    write: site(w, wa.describe(&w.callee)),
                    write_first: false,
                });
            }
        } else if *money {
            // A write that claims the charge happened, before the charge.
            if let Some((w, wa)) = before.find(|(_, b)| b.completes) {
                return Some(PartialRisk {
                    effect: site(e, e.callee.clone()),
                    write: site(w, wa.describe(&w.callee)),
                    write_first: true,
                });
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// PAY-IDEMP-KEY

fn random_key_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"randomUUID|uuidv4|\buuid\(\)|\bv4\(\)|nanoid|Date\.now|Math\.random|uuid\.uuid4|uuid4\(\)|cuid\(").unwrap()
    })
}

fn scan_charges(syn: &Syntax, scan: &mut PayScan) {
    let py = syn.file.lang == Lang::Python;
    let stripe_file = syn.file.text.contains("stripe") || syn.file.text.contains("Stripe");
    for c in &syn.calls {
        let charge = if py {
            has_suffix(&c.callee, &PY_CHARGE_CALLS)
                && (c.callee.starts_with("stripe") || stripe_file)
        } else {
            has_suffix(&c.callee, &CHARGE_CALLS) && stripe_receiver(&c.callee, stripe_file)
        };
        if !charge {
            continue;
        }
        let key = if py {
            match syn.option(c, 0, "idempotency_key") {
                Opt::Absent => match syn.option(c, 0, "options") {
                    Opt::Present(o) => {
                        if syn.text(o).contains("idempotency_key") {
                            Opt::Present(o)
                        } else {
                            Opt::Absent
                        }
                    }
                    other => other,
                },
                other => other,
            }
        } else {
            syn.option(c, 1, "idempotencyKey")
        };
        let random_key = match key {
            Opt::Unknown => continue,
            Opt::Present(v) => {
                let text = syn.text(v);
                match random_key_re().find(text) {
                    Some(m) => Some(m.as_str().to_string()),
                    None => continue,
                }
            }
            Opt::Absent => None,
        };
        let (line, end_line) = syn.file.lines(c.node);
        scan.charges.push(ChargeCall {
            line,
            end_line,
            callee: c.callee.clone(),
            random_key,
        });
    }
}

/// `stripe.paymentIntents.create`, `this.stripe.charges.create`, `getStripe().refunds.create`;
/// not `prisma.subscriptions.create`.
fn stripe_receiver(callee: &str, stripe_file: bool) -> bool {
    let lower = callee.to_ascii_lowercase();
    if lower.contains("stripe") {
        return true;
    }
    let root = lower.split('.').next().unwrap_or("");
    stripe_file
        && callee.contains("checkout.sessions")
        && !["prisma", "db", "tx", "supabase"].contains(&root)
}

// ---------------------------------------------------------------------------------------
// PAY-FLOAT-MONEY

fn scan_floats(syn: &Syntax, scan: &mut PayScan) {
    let file = syn.file;
    let py = file.lang == Lang::Python;
    let mut sites: Vec<(Span, FloatSite)> = Vec::new();
    let push = |node: tree_sitter::Node,
                kind: FloatKind,
                name: String,
                sites: &mut Vec<(Span, FloatSite)>| {
        let (line, end_line) = file.lines(node);
        sites.push((
            span(node),
            FloatSite {
                line,
                end_line,
                kind,
                name,
            },
        ));
    };
    let money_target = |n: tree_sitter::Node| syn.target_of(n).and_then(mentions_money);
    // Rendered, logged or formatted rather than computed with.
    let display = |n: tree_sitter::Node| {
        let after = file.text.get(syn.unparen(n).end_byte()..).unwrap_or("");
        syn.is_display(n)
            || after.starts_with(".toLocaleString")
            || syn.call_taking(n).is_some_and(|c| {
                let l = c.callee.to_ascii_lowercase();
                l.contains("format")
                    || l.contains("tolocalestring")
                    || l == "string"
                    || l == "str"
                    || is_log(&c.callee)
            })
    };
    // Rounding to cents in floats: Math.round(x * 100) / 100, round(x, 2), x.toFixed(2).
    let mut rounded: Vec<Span> = Vec::new();
    for (b, l, op, r) in &syn.binaries {
        if *op != "/" || !is_hundred(syn.text(*r)) {
            continue;
        }
        let Some(round) = syn.calls.iter().find(|c| {
            span(syn.unparen(c.node)) == span(syn.unparen(*l)) || span(c.node) == span(*l)
        }) else {
            continue;
        };
        if !matches!(
            round.callee.as_str(),
            "Math.round" | "Math.floor" | "Math.ceil" | "Math.trunc" | "round"
        ) {
            continue;
        }
        let inner = syn.text(round.args);
        if !inner.contains("100") {
            continue;
        }
        if let Some(name) = mentions_money(inner).or_else(|| money_target(*b)) {
            if !display(*b) {
                rounded.push(span(*b));
                push(*b, FloatKind::Round, name, &mut sites);
            }
        }
    }
    for c in &syn.calls {
        let callee = c.callee.as_str();
        let parse = if py {
            callee == "float"
        } else {
            matches!(callee, "parseFloat" | "Number" | "Number.parseFloat")
        };
        if parse {
            let Some(arg) = syn.arg(c, 0) else { continue };
            let arg_text = syn.text(arg);
            if arg_text.trim().parse::<f64>().is_ok() || display(c.node) {
                continue;
            }
            let name = mentions_money(arg_text).or_else(|| money_target(c.node));
            if let Some(name) = name {
                let kind = if arg_text.contains("toFixed") {
                    FloatKind::Round
                } else {
                    FloatKind::Parse
                };
                push(c.node, kind, name, &mut sites);
            }
            continue;
        }
        if ends_with_name(callee, "toFixed") && !callee.contains('(') || c.method() == "toFixed" {
            let receiver = callee.rsplit_once('.').map(|(r, _)| r).unwrap_or("");
            let receiver_text = syn.text(c.node);
            let receiver_text = &receiver_text[..receiver_text.rfind(".toFixed").unwrap_or(0)];
            let name = mentions_money(receiver_text).or_else(|| mentions_money(receiver));
            let wrapped = syn
                .call_taking(c.node)
                .is_some_and(|p| matches!(p.callee.as_str(), "parseFloat" | "Number"));
            if let (Some(name), false) = (name.clone(), display(c.node)) {
                if money_target(c.node).is_some() && !wrapped {
                    push(c.node, FloatKind::Round, name, &mut sites);
                }
            }
            continue;
        }
        if py && callee == "round" && syn.arg_count(c) == 2 {
            let arg = syn.arg(c, 0).map(|a| syn.text(a)).unwrap_or("");
            let digits = syn.arg(c, 1).map(|a| syn.text(a)).unwrap_or("");
            if digits.trim() == "2" {
                if let Some(name) = mentions_money(arg).or_else(|| money_target(c.node)) {
                    if !display(c.node) {
                        push(c.node, FloatKind::Round, name, &mut sites);
                    }
                }
            }
        }
    }
    for (b, l, op, r) in &syn.binaries {
        if rounded.iter().any(|s| within(*s, span(*b))) || display(*b) {
            continue;
        }
        let left = syn.text(*l);
        let right = syn.text(*r);
        if *op == "/" && is_hundred(right) {
            // Cents back to a fractional amount, kept as a value (not for display).
            let direct_target = syn.target_of(*b).and_then(mentions_money);
            let left_money = mentions_money(left);
            let left_rate = words_of_text(left).iter().any(|w| {
                NOT_MONEY_WORDS.contains(&w.as_str())
                    && !matches!(w.as_str(), "cents" | "cent" | "minor")
            });
            if let Some(name) = direct_target.or(left_money).filter(|_| !left_rate) {
                if !inside_round(syn, *b) {
                    push(*b, FloatKind::ToMajor, name, &mut sites);
                }
            }
            continue;
        }
        if *op == "*" {
            let (money_side, other) = match (mentions_money(left), mentions_money(right)) {
                (Some(n), None) => (n, right),
                (None, Some(n)) => (n, left),
                _ => continue,
            };
            let fractional = other.contains('.')
                && other.trim().parse::<f64>().is_ok_and(|v| v.fract() != 0.0)
                || other.contains("/ 100")
                || other.contains("/100")
                || words_of_text(other).iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "rate" | "percent" | "pct" | "percentage" | "ratio"
                    )
                });
            if fractional && !inside_round(syn, *b) {
                push(*b, FloatKind::Arith, money_side, &mut sites);
            }
        }
    }
    if py {
        for (field, kind, line) in &syn.fields {
            let name = syn.text(*field);
            if !is_money_name(name) {
                continue;
            }
            let k = kind.replace(' ', "");
            let float = matches!(
                k.as_str(),
                "float"
                    | "Optional[float]"
                    | "float|None"
                    | "Mapped[float]"
                    | "Mapped[Optional[float]]"
                    | "Mapped[float|None]"
            ) || k.contains("FloatField")
                || ((k.starts_with("Column(")
                    || k.starts_with("db.Column(")
                    || k.starts_with("sa.Column(")
                    || k.starts_with("mapped_column("))
                    && Regex::new(r"\b(Float|REAL|Double|DOUBLE_PRECISION|FLOAT)\b")
                        .map(|r| r.is_match(&k))
                        .unwrap_or(false));
            if float {
                let (_, end) = file.lines(*field);
                sites.push((
                    span(*field),
                    FloatSite {
                        line: *line,
                        end_line: end.max(*line),
                        kind: FloatKind::Field,
                        name: name.to_string(),
                    },
                ));
            }
        }
    }
    sites.sort_by_key(|(s, _)| *s);
    // One expression can match twice (a parse inside a rounding): keep the outer.
    let mut kept: Vec<(Span, FloatSite)> = Vec::new();
    for (s, site) in sites {
        if kept
            .iter()
            .any(|(k, ks)| within(*k, s) && ks.kind != FloatKind::Arith)
        {
            continue;
        }
        kept.retain(|(k, _)| !within(s, *k));
        kept.push((s, site));
    }
    scan.floats = kept.into_iter().map(|(_, s)| s).collect();
}

fn is_hundred(t: &str) -> bool {
    matches!(t.trim(), "100" | "100.0" | "100.00" | "1e2")
}

fn inside_round(syn: &Syntax, n: tree_sitter::Node) -> bool {
    syn.calls.iter().any(|c| {
        matches!(
            c.callee.as_str(),
            "Math.round" | "Math.floor" | "Math.ceil" | "Math.trunc" | "round" | "int"
        ) && within(span(c.args), span(n))
    })
}

fn words_of_text(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .flat_map(words)
        .collect()
}

// ---------------------------------------------------------------------------------------
// INT-TIMEOUT

fn scan_outbound(syn: &Syntax, scan: &mut PayScan) {
    let file = syn.file;
    let py = file.lang == Lang::Python;
    let text = file.text;
    let scheduled: Vec<Span> = syn
        .handlers
        .iter()
        .filter(|h| h.serve && !h.has_param)
        .map(|h| span(h.node))
        .collect();
    let raced: Vec<Span> = syn
        .calls
        .iter()
        .filter(|c| {
            matches!(
                c.callee.as_str(),
                "Promise.race" | "asyncio.wait_for" | "withTimeout" | "pTimeout" | "timeout"
            )
        })
        .map(|c| span(c.args))
        .collect();
    let push = |c: &Call, client: String, why: &str, out: &mut Vec<Outbound>| {
        if scheduled.iter().any(|s| within(*s, c.span()))
            || raced.iter().any(|r| within(*r, c.span()))
        {
            return;
        }
        let (line, end_line) = file.lines(c.node);
        let sdk = client.starts_with("resend") || client.contains("Resend");
        let target = if sdk {
            None
        } else {
            syn.arg(c, 0).and_then(|a| call_target(syn.text(a)))
        };
        out.push(Outbound {
            line,
            end_line,
            client,
            why: why.to_string(),
            target,
        });
    };
    let mut out = Vec::new();
    if py {
        let sessions = session_names(text);
        for c in &syn.calls {
            let callee = c.callee.as_str();
            let (root, method) = callee.rsplit_once('.').unwrap_or(("", callee));
            let verb = [
                "get", "post", "put", "patch", "delete", "head", "options", "request",
            ]
            .contains(&method);
            let requests_call = verb && (root == "requests" || sessions.iter().any(|s| s == root));
            if requests_call {
                match syn.option(c, 0, "timeout") {
                    Opt::Absent => push(c, callee.to_string(), "it sets no timeout=", &mut out),
                    Opt::Present(v) if syn.text(v).trim() == "None" => {
                        push(c, callee.to_string(), "it sets timeout=None", &mut out)
                    }
                    _ => {}
                }
                continue;
            }
            let httpx =
                root == "httpx" && (verb || matches!(method, "Client" | "AsyncClient" | "stream"));
            if httpx {
                if let Opt::Present(v) = syn.option(c, 0, "timeout") {
                    if syn.text(v).trim() == "None" {
                        push(c, callee.to_string(), "it sets timeout=None", &mut out);
                    }
                }
                continue;
            }
            if (callee == "urlopen" || callee.ends_with("request.urlopen")) && syn.arg_count(c) < 3
            {
                if syn.option(c, 0, "timeout") == Opt::Absent {
                    push(c, callee.to_string(), "it passes no timeout", &mut out);
                }
            }
        }
    } else {
        scan.axios_default_timeout = text.contains("axios.defaults.timeout");
        let got_file = text.contains("from \"got\"")
            || text.contains("from 'got'")
            || text.contains("require(\"got\")")
            || text.contains("require('got')");
        let resend_file = text.contains("new Resend(");
        for c in &syn.calls {
            let callee = c.callee.as_str();
            if callee == "fetch" || callee == "globalThis.fetch" || callee == "window.fetch" {
                let signal = syn.option(c, 1, "signal");
                let node_fetch_timeout = syn.option(c, 1, "timeout");
                let first_is_request = syn
                    .arg(c, 0)
                    .is_some_and(|a| syn.text(a).starts_with("new Request"));
                if signal == Opt::Absent && node_fetch_timeout == Opt::Absent && !first_is_request {
                    push(c, "fetch".into(), "it passes no AbortSignal", &mut out);
                }
                continue;
            }
            if callee == "axios.create" {
                let configured =
                    matches!(syn.option(c, 0, "timeout"), Opt::Present(_) | Opt::Unknown)
                        && syn.arg(c, 0).is_some();
                let named = syn.target_of(c.node).map(|t| t.trim().to_string());
                let defaults_later = named
                    .as_deref()
                    .is_some_and(|n| text.contains(&format!("{n}.defaults.timeout")));
                if !configured && !defaults_later {
                    let label = named
                        .map(|n| format!("axios instance {n}"))
                        .unwrap_or_else(|| "axios instance".into());
                    push(c, label, "the instance sets no timeout", &mut out);
                }
                continue;
            }
            let (root, method) = callee.rsplit_once('.').unwrap_or(("", callee));
            let axios_verb = [
                "get", "post", "put", "patch", "delete", "head", "options", "request",
            ]
            .contains(&method);
            if callee == "axios" || (root == "axios" && axios_verb) {
                let config_at = match method {
                    "post" | "put" | "patch" => 2,
                    "axios" | "request" => 0,
                    _ => 1,
                };
                if syn.option(c, config_at, "timeout") == Opt::Absent {
                    push(c, callee.to_string(), "it sets no timeout", &mut out);
                }
                continue;
            }
            if got_file && (callee == "got" || (root == "got" && axios_verb)) {
                let opts = [syn.option(c, 0, "timeout"), syn.option(c, 1, "timeout")];
                if !opts.iter().any(|o| matches!(o, Opt::Present(_))) && opts[1] != Opt::Unknown {
                    push(c, callee.to_string(), "it sets no timeout", &mut out);
                }
                continue;
            }
            if resend_file
                && (ends_with_name(callee, "emails.send") || ends_with_name(callee, "batch.send"))
            {
                push(
                    c,
                    callee.to_string(),
                    "the Resend SDK calls fetch with no timeout and takes none",
                    &mut out,
                );
            }
        }
    }
    scan.outbound = out;
}

/// Whom a call goes to, from its first argument: an environment variable
/// (`Deno.env.get("SLACK_WEBHOOK_URL")`), a host (`https://api.openai.com/…`) or a constant.
fn call_target(arg: &str) -> Option<String> {
    static ENV: OnceLock<Regex> = OnceLock::new();
    static HOST: OnceLock<Regex> = OnceLock::new();
    static NAME: OnceLock<Regex> = OnceLock::new();
    let env = ENV.get_or_init(|| {
        Regex::new(r#"(?:env\.get|process\.env|environ(?:\.get)?|getenv|import\.meta\.env)\W{0,3}([A-Z][A-Z0-9_]{2,})"#).unwrap()
    });
    let host = HOST.get_or_init(|| Regex::new(r#"https?://([A-Za-z0-9.-]+)"#).unwrap());
    // A bare constant, or one leading a template: FX_API, `${API_BASE}/x`, f"{FX_API}?q=".
    let name = NAME.get_or_init(|| {
        Regex::new(r#"^(?:[A-Za-z_][\w.]{1,40}$|f?["'`]\$?\{([A-Za-z_][\w.]{1,40})\})"#).unwrap()
    });
    if let Some(c) = host.captures(arg) {
        return Some(c[1].to_string());
    }
    if let Some(c) = env.captures(arg) {
        return Some(c[1].to_string());
    }
    let arg = arg.trim();
    name.captures(arg)
        .map(|c| c.get(1).map_or(arg, |m| m.as_str()).to_string())
}

/// Names bound to a `requests` session in the text: `s = requests.Session()`,
/// `with requests.Session() as s`.
fn session_names(text: &str) -> Vec<String> {
    static ASSIGN: OnceLock<Regex> = OnceLock::new();
    static WITH_AS: OnceLock<Regex> = OnceLock::new();
    const SESSION: &str = r"requests\.(?:Session|session)\(\)";
    let assign = ASSIGN.get_or_init(|| {
        Regex::new(&format!(r"([A-Za-z_][\w.]*)\s*(?::\s*[\w.\[\]]+)?\s*=\s*{SESSION}")).expect("binding pattern")
    });
    let with_as = WITH_AS.get_or_init(|| Regex::new(&format!(r"{SESSION}[^\n]*?\bas\s+([A-Za-z_]\w*)")).expect("with pattern"));
    assign
        .captures_iter(text)
        .chain(with_as.captures_iter(text))
        .map(|c| c[1].to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Checks

fn production(f: &RepoFile) -> bool {
    !f.roles.test
}

fn webhook_sig(scans: &[(&RepoFile, PayScan)], out: &mut Vec<Draft>) {
    let verifier_fns: BTreeSet<&str> = scans
        .iter()
        .flat_map(|(_, s)| s.verifiers.iter().map(String::as_str))
        .collect();
    for (f, scan) in scans
        .iter()
        .filter(|(f, _)| production(f) && !f.roles.client)
    {
        for h in &scan.handlers {
            let Some(w) = &h.webhook else { continue };
            let helper = w.helpers.iter().find(|c| {
                let last = c.rsplit('.').next().unwrap_or(c);
                verifier_fns.contains(last) || looks_like_verifier(c)
            });
            if helper.is_some() {
                continue;
            }
            if let Some(u) = &w.unverified {
                let (message, confidence) = if w.verified_by.is_empty() {
                    (
                        format!(
                            "This {} webhook handler ({}) takes the event from `{}` without verifying its signature: anyone who finds the URL can post a forged event and have it processed.",
                            w.provider, w.why, u.text
                        ),
                        Confidence::High,
                    )
                } else {
                    let when = u
                        .guard
                        .clone()
                        .unwrap_or_else(|| "on a path that skips it".into());
                    (
                        format!(
                            "The {} webhook verifies with {}, but {when} it takes the event from `{}` unverified: anyone who finds the URL can post a forged event and have it processed.",
                            w.provider,
                            w.verified_by.join(", "),
                            u.text
                        ),
                        Confidence::High,
                    )
                };
                let mut d = Draft::new(
                    "PAY-WEBHOOK-SIG",
                    f.path.clone(),
                    u.line,
                    u.end_line,
                    message,
                )
                .confidence(confidence)
                .money()
                .fact(format!("handler: {} (line {})", h.label, h.line))
                .anchor(format!("{} {}", h.label, u.text));
                if !w.verified_by.is_empty() {
                    d = d.fact(format!("verification: {}", w.verified_by.join(", ")));
                }
                out.push(d);
            } else if w.verified_by.is_empty() {
                let Some(effect) = &w.first_effect else {
                    continue;
                };
                out.push(
                    Draft::new(
                        "PAY-WEBHOOK-SIG",
                        f.path.clone(),
                        h.line,
                        h.line,
                        format!(
                            "This {} webhook handler ({}) acts on the event ({} at line {}) without verifying a signature anywhere on its path.",
                            w.provider, w.why, effect.what, effect.line
                        ),
                    )
                    .confidence(Confidence::Medium)
                    .money()
                    .related(f.path.clone(), effect.line, "first effect of the unverified event")
                    .searched(format!("verification calls ({})", VERIFIERS.join(", ")))
                    .anchor(format!("{} no verification", h.label)),
                );
            }
        }
    }
}

fn webhook_idemp(repo: &Repo, scans: &[(&RepoFile, PayScan)], out: &mut Vec<Draft>) {
    for (f, scan) in scans
        .iter()
        .filter(|(f, _)| production(f) && !f.roles.client)
    {
        for h in &scan.handlers {
            let Some(w) = &h.webhook else { continue };
            if w.dedup.is_some() {
                continue;
            }
            // A unique constraint on a written column makes the repeated insert fail.
            let repeats: Vec<&Effect> = w
                .repeats
                .iter()
                .filter(|e| {
                    let Some(t) = e.table.as_deref() else {
                        return true;
                    };
                    let Some(table) = repo.schema.table(t) else {
                        return true;
                    };
                    !e.columns.iter().any(|c| {
                        table.has_unique(c)
                            && !table
                                .column(c)
                                .is_some_and(|col| col.primary_key && c == "id")
                    })
                })
                .collect();
            let Some(first) = repeats.first() else {
                continue;
            };
            let id_note = if w.event_id_logged {
                "the event id is only logged, never recorded or checked"
            } else {
                "the handler never records or checks the event id"
            };
            let mut d = Draft::new(
                "PAY-WEBHOOK-IDEMP",
                f.path.clone(),
                first.line,
                first.end_line,
                format!(
                    "{} delivers webhooks at least once and retries on timeouts; each redelivery runs this {} again because {id_note}.",
                    w.provider, first.what
                ),
            )
            .confidence(if first.table.is_some() { Confidence::High } else { Confidence::Medium })
            .money()
            .data_write()
            .fact(format!("handler: {} (line {})", h.label, h.line))
            .searched("a processed-events table or an upsert keyed by the event id".to_string())
            .anchor(format!("{} {}", h.label, first.what));
            if let Some(t) = first.table.as_deref().and_then(|t| repo.schema.table(t)) {
                d = d.related(
                    t.origin.path.clone(),
                    t.origin.line,
                    format!(
                        "{} has no unique constraint on {}",
                        t.name,
                        if first.columns.is_empty() {
                            "the written columns".to_string()
                        } else {
                            first.columns.join(", ")
                        }
                    ),
                );
            }
            for other in repeats.iter().skip(1) {
                d = d.related(
                    f.path.clone(),
                    other.line,
                    format!("also repeated: {}", other.what),
                );
            }
            out.push(d);
        }
    }
}

fn idempotency_keys(scans: &[(&RepoFile, PayScan)], out: &mut Vec<Draft>) {
    for (f, scan) in scans.iter().filter(|(f, _)| production(f)) {
        for c in &scan.charges {
            let short = c
                .callee
                .split('.')
                .skip_while(|s| s.to_ascii_lowercase().contains("stripe"))
                .collect::<Vec<_>>()
                .join(".");
            let message = match &c.random_key {
                Some(k) => format!(
                    "{} gets a fresh idempotency key ({k}) on every attempt, so a double click or a retry still creates a second one; derive the key from the order or cart id.",
                    c.callee
                ),
                None => format!(
                    "{} is called with no idempotency key: a double click, a client retry or a timeout-and-retry creates a second {}.",
                    c.callee,
                    what_it_creates(&short)
                ),
            };
            out.push(
                Draft::new("PAY-IDEMP-KEY", f.path.clone(), c.line, c.end_line, message)
                    .confidence(if c.random_key.is_some() {
                        Confidence::Medium
                    } else {
                        Confidence::High
                    })
                    .money()
                    .anchor(c.callee.clone()),
            );
        }
    }
}

fn what_it_creates(resource: &str) -> &'static str {
    let r = resource.to_ascii_lowercase();
    if r.contains("checkout") {
        "checkout session for the same purchase"
    } else if r.contains("paymentintent") || r.contains("payment_intent") {
        "payment intent (and a second charge)"
    } else if r.contains("refund") {
        "refund"
    } else if r.contains("subscription") {
        "subscription"
    } else if r.contains("transfer") {
        "transfer"
    } else if r.contains("payout") {
        "payout"
    } else {
        "charge"
    }
}

fn float_money(repo: &Repo, scans: &[(&RepoFile, PayScan)], out: &mut Vec<Draft>) {
    // Schema columns.
    for table in &repo.schema.tables {
        for col in &table.columns {
            if !is_money_name(&col.name)
                || repo.file(&col.origin.path).is_some_and(|f| f.roles.test)
            {
                continue;
            }
            let ty = col.data_type.to_ascii_lowercase().replace(' ', "");
            let unscaled = (ty == "numeric" || ty == "decimal")
                || Regex::new(r"^(numeric|decimal)\(\d+\)$")
                    .map(|r| r.is_match(&ty))
                    .unwrap_or(false);
            if col.is_floating_point() {
                out.push(
                    Draft::new(
                        "PAY-FLOAT-MONEY",
                        col.origin.path.clone(),
                        col.origin.line,
                        col.origin.line,
                        format!(
                            "{}.{} is {} (binary floating point): stored amounts drift by fractions of a cent and sums stop matching the payment provider.",
                            table.name, col.name, col.data_type
                        ),
                    )
                    .confidence(Confidence::High)
                    .money()
                    .anchor(format!("{}.{} {}", table.name, col.name, col.data_type)),
                );
            } else if unscaled {
                let (why, confidence) = if ty.contains('(') {
                    (
                        "has no scale, so it stores whole units and rounds cents away",
                        Confidence::Medium,
                    )
                } else {
                    ("has no fixed scale: exact, but any number of decimals is accepted, so rounding depends on every writer", Confidence::Low)
                };
                out.push(
                    Draft::new(
                        "PAY-FLOAT-MONEY",
                        col.origin.path.clone(),
                        col.origin.line,
                        col.origin.line,
                        format!(
                            "{}.{} is {}, which {why}.",
                            table.name, col.name, col.data_type
                        ),
                    )
                    .confidence(confidence)
                    .severity(Severity::Medium)
                    .money()
                    .anchor(format!("{}.{} {}", table.name, col.name, col.data_type)),
                );
            }
        }
    }
    // Code: one finding per file, at its strongest evidence.
    for (f, scan) in scans.iter().filter(|(f, _)| production(f)) {
        let mut sites: Vec<&FloatSite> = scan.floats.iter().collect();
        sites.sort_by_key(|s| (s.kind, s.line));
        let Some(primary) = sites.iter().find(|s| s.kind != FloatKind::Arith) else {
            continue;
        };
        let what = |s: &FloatSite| -> String {
            match s.kind {
                FloatKind::Field => format!("{} is typed float", s.name),
                FloatKind::Parse => format!("{} is parsed into a float", s.name),
                FloatKind::Round => format!("{} is rounded to cents in floating point", s.name),
                FloatKind::ToMajor => format!(
                    "{} is turned from integer cents back into a fractional amount",
                    s.name
                ),
                FloatKind::Arith => format!("{} is multiplied by a fraction", s.name),
            }
        };
        let others: Vec<&&FloatSite> = sites
            .iter()
            .filter(|s| !std::ptr::eq(**s, *primary))
            .collect();
        let mut message = format!("Money in floating point: {}", what(primary));
        if !others.is_empty() {
            message.push_str(&format!(
                "; {} more place{} here compute{} with float amounts",
                others.len(),
                if others.len() == 1 { "" } else { "s" },
                if others.len() == 1 { "s" } else { "" }
            ));
        }
        message.push_str(
            ". Totals and charges come out a cent off; keep integer cents or a decimal type.",
        );
        let mut d = Draft::new(
            "PAY-FLOAT-MONEY",
            f.path.clone(),
            primary.line,
            primary.end_line,
            message,
        )
        .confidence(match primary.kind {
            FloatKind::Field | FloatKind::Parse | FloatKind::Round => Confidence::High,
            _ => Confidence::Medium,
        })
        .money();
        for o in others.iter().take(8) {
            d = d.related(f.path.clone(), o.line, what(o));
        }
        out.push(d);
    }
}

/// Whether the file runs on a request path: a server entry point that answers requests, or a
/// server file imported by one.
fn on_request_path(repo: &Repo, f: &RepoFile, scans: &[(&RepoFile, PayScan)]) -> bool {
    if f.roles.client || f.roles.test || !f.roles.server {
        return false;
    }
    let serves = |path: &str| -> bool {
        let Some(file) = repo.file(path) else {
            return false;
        };
        if !file.roles.entry.is_some_and(|e| e.is_server()) {
            return false;
        }
        match scans.iter().find(|(s, _)| s.path == path) {
            Some((_, scan)) if !scan.handlers.is_empty() => {
                scan.handlers.iter().any(|h| h.serves_requests)
            }
            _ => true,
        }
    };
    repo.entries_reaching(&f.path).into_iter().any(serves)
}

fn timeouts(repo: &Repo, scans: &[(&RepoFile, PayScan)], out: &mut Vec<Draft>) {
    let axios_bounded = scans.iter().any(|(_, s)| s.axios_default_timeout);
    for (f, scan) in scans {
        if !on_request_path(repo, f, scans) {
            continue;
        }
        let calls: Vec<&Outbound> = scan
            .outbound
            .iter()
            .filter(|o| {
                !(axios_bounded && o.client.starts_with("axios."))
                    && !(axios_bounded && o.client == "axios")
            })
            .collect();
        let Some(first) = calls.first() else { continue };
        let entry = repo
            .entries_reaching(&f.path)
            .into_iter()
            .find(|e| *e != f.path);
        let call = |o: &Outbound| match &o.target {
            Some(t) => format!("{} to {t}", o.client),
            None => o.client.clone(),
        };
        let mut message = format!(
            "{} can wait forever: {}. When that service is slow, this request waits as long as it does, and under load workers and connections run out.",
            call(first),
            first.why
        );
        if calls.len() > 1 {
            message.push_str(&format!(
                " {} more call{} here {} no timeout either.",
                calls.len() - 1,
                if calls.len() == 2 { "" } else { "s" },
                if calls.len() == 2 { "has" } else { "have" }
            ));
        }
        let mut d = Draft::new(
            "INT-TIMEOUT",
            f.path.clone(),
            first.line,
            first.end_line,
            message,
        )
        .confidence(Confidence::High)
        .anchor(format!("{} {}", first.client, first.why));
        if let Some(e) = entry {
            d = d.fact(format!("reached from the entry point {e}"));
        }
        for o in calls.iter().skip(1).take(8) {
            d = d.related(f.path.clone(), o.line, format!("{} ({})", call(o), o.why));
        }
        out.push(d);
    }
}

fn partial(repo: &Repo, scans: &[(&RepoFile, PayScan)], out: &mut Vec<Draft>) {
    let reconciled = scans.iter().any(|(_, s)| s.reconciles);
    if reconciled {
        return;
    }
    for (f, scan) in scans
        .iter()
        .filter(|(f, _)| production(f) && !f.roles.client)
    {
        for h in &scan.handlers {
            let Some(p) = &h.partial else { continue };
            let message = if p.write_first {
                format!(
                    "{} (line {}) records the outcome before {} runs: if the call fails, the database says it happened and nothing reconciles the two.",
                    p.write.what, p.write.line, p.effect.what
                )
            } else {
                format!(
                    "{} runs before {} (line {}) records it: if the write fails or the process dies in between, the effect happened with no record, and a retry repeats it. No outbox, compensation or reconciliation job was found.",
                    p.effect.what, p.write.what, p.write.line
                )
            };
            let _ = repo;
            out.push(
                Draft::new("INT-PARTIAL", f.path.clone(), p.effect.line, p.effect.end_line, message)
                    .confidence(Confidence::Medium)
                    .data_write()
                    .related(f.path.clone(), p.write.line, format!("the write: {}", p.write.what))
                    .fact(format!("in {} (line {})", h.label, h.line))
                    .searched("a compensating call in a catch, a pending record written first, an idempotency key, a reconcile job".to_string())
                    .anchor(format!("{} {} {}", h.label, p.effect.what, p.write.what)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_names_are_amounts_not_rates_counts_or_cents() {
        for n in [
            "amount",
            "unit_price",
            "unitPrice",
            "amount_total",
            "subtotal",
            "taxAmount",
            "balance",
            "total",
        ] {
            assert!(is_money_name(n), "{n}");
        }
        for n in [
            "taxRate",
            "amount_cents",
            "discountPercent",
            "priceId",
            "total_count",
            "quantity",
            "currency",
            "setDiscount",
        ] {
            assert!(!is_money_name(n), "{n}");
        }
        assert_eq!(
            mentions_money("(taxable + tax) * 100").as_deref(),
            Some("tax")
        );
        assert_eq!(mentions_money("e.target.value"), None);
    }

    #[test]
    fn verifier_names() {
        assert!(is_verifier("stripe.webhooks.constructEventAsync"));
        assert!(is_verifier("crypto.timingSafeEqual"));
        assert!(is_verifier("verifyStripeSignature"));
        assert!(is_verifier("stripe.Webhook.construct_event"));
        assert!(!is_verifier("supabase.from().insert"));
        assert!(!is_verifier("JSON.parse"));
    }
}
