//! What a call does to the world, for webhook de-duplication (PAY-WEBHOOK-IDEMP) and split
//! side effects (INT-PARTIAL): a database write (Supabase, Prisma, Drizzle, raw SQL, Django,
//! SQLAlchemy, Mongo), a read, or an external effect (a charge, an email, an SMS, a POST to a
//! third party). API names live here; syntax comes from [`Syntax`].

use std::sync::OnceLock;

use regex::Regex;

use super::super::roles::ends_with_name;
use super::syntax::{first_string, unquote, Call, Opt, Syntax};
use super::{has_suffix, is_log, CHARGE_CALLS, EMAIL_CALLS, PY_CHARGE_CALLS};
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Insert,
    Update,
    Upsert,
    Delete,
    Rpc,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub verb: Verb,
    pub table: Option<String>,
    /// Columns written, when the payload is literal.
    pub columns: Vec<String>,
    /// Repeating it leaves the same state (upsert, update to fixed values, on conflict).
    pub idempotent: bool,
    /// Writes a pending status: the intent is recorded before the effect.
    pub pending: bool,
    /// Writes a completed status (`paid`, `sent`).
    pub completes: bool,
}

impl Write {
    /// `insert into payments`, `update of invoices`, `rpc increment_credits`.
    pub fn describe(&self, callee: &str) -> String {
        let Some(t) = &self.table else {
            return callee.to_string();
        };
        match self.verb {
            Verb::Insert => format!("insert into {t}"),
            Verb::Update => format!("update of {t}"),
            Verb::Upsert => format!("upsert into {t}"),
            Verb::Delete => format!("delete from {t}"),
            Verb::Rpc => format!("rpc {t}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Act {
    Write(Write),
    Read(Option<String>),
    /// A side effect outside the database.
    External {
        /// It moves money (a charge, a refund, a transfer).
        money: bool,
        /// It carries an idempotency key, so a retry does not repeat it.
        idempotency_key: bool,
    },
    Other,
}

impl Act {
    pub fn table(&self) -> Option<&str> {
        match self {
            Act::Write(w) => w.table.as_deref(),
            Act::Read(t) => t.as_deref(),
            _ => None,
        }
    }
}

/// Stripe calls that move money, for INT-PARTIAL (checkout sessions move none until paid).
const MONEY_MOVES: [&str; 6] = [
    "paymentIntents.capture",
    "paymentIntents.confirm",
    "charges.capture",
    "invoices.pay",
    "PaymentIntent.capture",
    "PaymentIntent.confirm",
];

pub fn classify<'t>(syn: &Syntax<'t>, call: &Call<'t>) -> Act {
    let callee = call.callee.as_str();
    if is_log(callee) {
        return Act::Other;
    }
    let args = syn.text(call.args);
    let py = syn.file.lang == Lang::Python;
    let charges: &[&str] = if py { &PY_CHARGE_CALLS } else { &CHARGE_CALLS };
    let money = (has_suffix(callee, charges) && !callee.contains("checkout"))
        || has_suffix(callee, &MONEY_MOVES);
    let email = has_suffix(callee, &EMAIL_CALLS) && !callee.starts_with("this.");
    let sms = ends_with_name(callee, "messages.create")
        && (callee.to_ascii_lowercase().contains("twilio") || syn.file.text.contains("twilio"));
    if money || email || sms || posts_to_third_party(syn, call) {
        return Act::External {
            money,
            idempotency_key: args.to_ascii_lowercase().contains("idempotency"),
        };
    }
    database(syn, call, args, py).unwrap_or(Act::Other)
}

fn database<'t>(syn: &Syntax<'t>, call: &Call<'t>, args: &str, py: bool) -> Option<Act> {
    let callee = call.callee.as_str();
    let method = call.method();
    let pending = status(
        args,
        &[
            "pending",
            "processing",
            "queued",
            "initiated",
            "draft",
            "created",
        ],
    );
    let completes = status(
        args,
        &[
            "paid",
            "succeeded",
            "completed",
            "complete",
            "sent",
            "fulfilled",
            "refunded",
            "active",
        ],
    );
    let increments = increments(args);
    let write = |verb: Verb, table: Option<String>, columns: Vec<String>, idempotent: bool| {
        Act::Write(Write {
            verb,
            table,
            columns,
            idempotent,
            pending,
            completes,
        })
    };
    let literal_keys = |n: Option<tree_sitter::Node<'t>>| -> Vec<String> {
        n.and_then(|a| syn.keys(a))
            .map(|k| k.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default()
    };
    // Supabase (JS and Python) and PostgREST: from("t").insert(…), table("t").update(…).
    if let Some(table) = supabase_table(call.callee_text) {
        let table = Some(table);
        return Some(match method {
            "insert" => write(Verb::Insert, table, literal_keys(syn.arg(call, 0)), false),
            "upsert" => write(Verb::Upsert, table, Vec::new(), true),
            "update" => write(Verb::Update, table, Vec::new(), !increments),
            "delete" => write(Verb::Delete, table, Vec::new(), true),
            _ => Act::Read(table),
        });
    }
    if method == "rpc" {
        let name = first_string(syn.text(call.node)).unwrap_or_default();
        static GRANTS: OnceLock<Regex> = OnceLock::new();
        let grants = GRANTS
            .get_or_init(|| {
                Regex::new(r"(?i)increment|decrement|add_|grant|credit|top_?up|deduct").unwrap()
            })
            .is_match(&name);
        return Some(write(Verb::Rpc, Some(name), Vec::new(), !grants));
    }
    // Prisma and ORM clients of the same shape: prisma.payment.create({ data: { … } }).
    let segments: Vec<&str> = callee.split('.').collect();
    let orm_client = segments.len() >= 3
        && segments[..segments.len() - 2].iter().any(|s| {
            let s = s.to_ascii_lowercase();
            s.contains("prisma") || matches!(s.as_str(), "db" | "tx" | "trx")
        });
    if orm_client {
        let model = Some(segments[segments.len() - 2].to_string());
        let data = syn
            .arg(call, 0)
            .and_then(|a| match syn.key_value(a, "data") {
                Opt::Present(d) => Some(d),
                _ => None,
            });
        let verb = match method {
            "create" | "createMany" => Some((Verb::Insert, false)),
            "update" | "updateMany" => Some((Verb::Update, !increments)),
            "upsert" => Some((Verb::Upsert, true)),
            "delete" | "deleteMany" => Some((Verb::Delete, true)),
            _ => None,
        };
        if let Some((verb, idempotent)) = verb {
            return Some(write(verb, model, literal_keys(data), idempotent));
        }
        if method.starts_with("find") || method == "count" || method == "aggregate" {
            return Some(Act::Read(model));
        }
    }
    // Drizzle: db.insert(payments).values({…}).
    if let Some(caps) = drizzle_re().captures(call.callee_text) {
        let verb = match &caps[1] {
            "insert" => Verb::Insert,
            "update" => Verb::Update,
            _ => Verb::Delete,
        };
        let on_conflict = syn.text(call.node).contains("onConflict");
        let idempotent = on_conflict || (verb != Verb::Insert && !increments);
        return Some(write(
            verb,
            Some(caps[2].to_string()),
            Vec::new(),
            idempotent,
        ));
    }
    // Raw SQL: query("INSERT INTO …"), cur.execute("UPDATE …").
    let sql_call = [
        "query",
        "execute",
        "exec",
        "run",
        "raw",
        "executemany",
        "sql",
        "$executeRaw",
        "$queryRaw",
        "unsafe",
    ]
    .contains(&method);
    if sql_call {
        let sql = syn.arg(call, 0).map(|a| unquote(syn.text(a))).unwrap_or("");
        if let Some(c) = sql_write_re().captures(sql) {
            let verb = match c[1].to_ascii_lowercase().as_str() {
                "insert" => Verb::Insert,
                "update" => Verb::Update,
                _ => Verb::Delete,
            };
            let columns = c
                .get(3)
                .map(|m| {
                    m.as_str()
                        .split(',')
                        .map(|s| s.trim().trim_matches('"').to_string())
                        .collect()
                })
                .unwrap_or_default();
            let on_conflict = sql.to_ascii_lowercase().contains("on conflict");
            let idempotent = on_conflict || (verb != Verb::Insert && !increments);
            return Some(write(
                verb,
                Some(c[2].trim_matches('"').to_string()),
                columns,
                idempotent,
            ));
        }
        if let Some(c) = sql_read_re().captures(sql) {
            return Some(Act::Read(Some(c[1].trim_matches('"').to_string())));
        }
        return None;
    }
    if py {
        // Django: Payment.objects.create(…), get_or_create, filter(…).update(…).
        if let Some((model, _)) = callee.split_once(".objects") {
            let model = Some(model.rsplit('.').next().unwrap_or(model).to_string());
            let kwargs = call.kwargs.iter().map(|(k, _)| k.to_string()).collect();
            return Some(match method {
                "create" | "bulk_create" => write(Verb::Insert, model, kwargs, false),
                "get_or_create" | "update_or_create" => write(Verb::Upsert, model, kwargs, true),
                "update" => write(Verb::Update, model, Vec::new(), !increments),
                "delete" => write(Verb::Delete, model, Vec::new(), true),
                _ => Act::Read(model),
            });
        }
        // SQLAlchemy: db.add(Payment(…)).
        let session = segments.iter().any(|s| s.contains("session") || *s == "db");
        if (method == "add" || method == "add_all") && session {
            let inner = syn.arg(call, 0).and_then(|a| {
                syn.calls
                    .iter()
                    .find(|c| c.span() == super::syntax::span(a))
            });
            return Some(write(
                Verb::Insert,
                inner.map(|c| c.method().to_string()),
                inner
                    .map(|c| c.kwargs.iter().map(|(k, _)| k.to_string()).collect())
                    .unwrap_or_default(),
                false,
            ));
        }
    }
    // Mongo-style collections.
    match method {
        "insertOne" | "insertMany" => Some(write(Verb::Insert, None, Vec::new(), false)),
        "updateOne" | "updateMany" | "replaceOne" => Some(write(
            Verb::Update,
            None,
            Vec::new(),
            args.contains("upsert") || !increments,
        )),
        "deleteOne" | "deleteMany" => Some(write(Verb::Delete, None, Vec::new(), true)),
        _ => None,
    }
}

/// A status literal among `words` (`status: "paid"`).
fn status(args: &str, words: &[&str]) -> bool {
    static LITERAL: OnceLock<Regex> = OnceLock::new();
    LITERAL
        .get_or_init(|| Regex::new(r#"["'`]([a-z_]+)["'`]"#).unwrap())
        .captures_iter(args)
        .any(|c| words.contains(&&c[1]))
}

/// An update computed from the current value (`credits + 100`, `increment: 1`,
/// `balance = balance + …`); string contents do not count.
fn increments(text: &str) -> bool {
    static STRINGS: OnceLock<Regex> = OnceLock::new();
    static RE: OnceLock<Regex> = OnceLock::new();
    let strings = STRINGS.get_or_init(|| Regex::new(r#""[^"]*"|'[^']*'|`[^`]*`"#).unwrap());
    let code = strings.replace_all(text, "\"\"");
    RE.get_or_init(|| {
        Regex::new(r"(?i)\bincrement\b|\bdecrement\b|[A-Za-z_][\w.\]\[]*\s*[+\-]\s*[A-Za-z0-9_(]|\+=|-=|\bF\(").unwrap()
    })
    .is_match(&code)
        || sql_increment(text)
}

/// `set credits = credits + 100` inside a SQL string.
fn sql_increment(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re =
        RE.get_or_init(|| Regex::new(r"(?i)\bset\b[^;]*?\b(\w+)\s*=\s*(\w+)\s*[+\-]").unwrap());
    re.captures_iter(text)
        .any(|c| c[1].eq_ignore_ascii_case(&c[2]))
}

fn supabase_table(callee_text: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"\.(?:from|table|from_)\(\s*["'`]([A-Za-z0-9_.]+)["'`]\s*\)"#).unwrap()
    })
    .captures(callee_text)
    .map(|c| c[1].to_string())
}

fn drizzle_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^\s*(?:db|tx|trx|this\.db)\s*\.\s*(insert|update|delete)\(\s*([A-Za-z_][\w.]*)\s*\)",
        )
        .unwrap()
    })
}

fn sql_write_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?is)^\s*(insert\s+into|update|delete\s+from)\s+([\w."]+)\s*(?:\(([^)]*)\))?"#,
        )
        .unwrap()
    })
}

fn sql_read_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(?is)^\s*select\b.*?\bfrom\s+([\w."]+)"#).unwrap())
}

/// A POST/PUT/PATCH/DELETE to a third party: `fetch(url, { method: "POST" })`,
/// `axios.post(…)`, `requests.post(…)`. Relative URLs (our own API) do not count.
fn posts_to_third_party<'t>(syn: &Syntax<'t>, call: &Call<'t>) -> bool {
    let callee = call.callee.as_str();
    let url = syn.arg(call, 0).map(|a| syn.text(a)).unwrap_or("");
    if url.trim_start_matches(['"', '\'', '`']).starts_with('/') {
        return false;
    }
    if callee == "fetch" || callee == "globalThis.fetch" {
        return match syn.option(call, 1, "method") {
            Opt::Present(m) => {
                let m = unquote(syn.text(m)).to_ascii_uppercase();
                ["POST", "PUT", "PATCH", "DELETE"].contains(&m.as_str())
            }
            _ => false,
        };
    }
    let mut parts = callee.split('.');
    let (root, method, rest) = (parts.next(), parts.next(), parts.next());
    matches!(root, Some("axios" | "requests" | "httpx" | "got" | "ky"))
        && matches!(method, Some("post" | "put" | "patch" | "delete"))
        && rest.is_none()
}
