//! The scan half of the DATA checks: how one file reaches its database. The check query
//! `data_access` captures calls, arguments, strings and their context (functions, loops,
//! branches, awaits, assignments); this module links them by byte range into call chains,
//! follows a query builder through the variables it is assigned to, and recognises the data
//! APIs in them: supabase-js, Prisma, Drizzle, Knex, raw SQL strings, the Django ORM and
//! SQLAlchemy. What it keeps per file is small: query sites, per-item calls in loops,
//! groups of writes outside a transaction and read-modify-write updates.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::sql;
use crate::checks::roles::normalize_callee;
use crate::checks::source::SourceFile;
use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Read,
    /// `count`, `aggregate`, `head: true`, `SELECT sum(…)`: one row, not a list.
    Count,
    Insert,
    Update,
    Upsert,
    Delete,
}

impl Op {
    pub fn is_write(self) -> bool {
        matches!(self, Op::Insert | Op::Update | Op::Upsert | Op::Delete)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Read => "read",
            Op::Count => "count",
            Op::Insert => "insert",
            Op::Update => "update",
            Op::Upsert => "upsert",
            Op::Delete => "delete",
        }
    }
}

/// How a column is used by a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    Eq,
    In,
    Range,
    Like,
    Null,
    Join,
    Sort,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRef {
    /// As written: `invoices`, `public.invoices`, a Prisma model (`invoice`), a Drizzle or
    /// SQLAlchemy table variable (`invoices`, `Invoice`).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnUse {
    pub column: String,
    /// SQL alias or table name before the column (`i.customer_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    pub line: u32,
    pub filter: Filter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    Supabase,
    Prisma,
    Drizzle,
    Knex,
    Sql,
    Django,
    Sqlalchemy,
}

impl Api {
    pub fn as_str(self) -> &'static str {
        match self {
            Api::Supabase => "supabase-js",
            Api::Prisma => "Prisma",
            Api::Drizzle => "Drizzle",
            Api::Knex => "Knex",
            Api::Sql => "SQL",
            Api::Django => "Django ORM",
            Api::Sqlalchemy => "SQLAlchemy",
        }
    }
}

/// One database read or write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub api: Api,
    pub op: Op,
    pub tables: Vec<TableRef>,
    /// The statement (first chain of the query).
    pub line: u32,
    pub end_line: u32,
    /// The line of the operation: `.select(`, `findMany(`, `cur.execute(`.
    pub at: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<ColumnUse>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sorts: Vec<ColumnUse>,
    /// What bounds the rows returned (`.limit()`, `take`, `.single()`, `LIMIT`, `[:50]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<String>,
    /// Index of the enclosing function (0: top level), to group a function's steps.
    pub scope: u32,
}

/// A loop whose body makes a database, network or SDK call per item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoopCalls {
    pub line: u32,
    pub end_line: u32,
    /// The loop's iterable as written (shortened).
    pub over: String,
    pub calls: Vec<LoopCall>,
    /// `Promise.all(items.map(…))`: the calls run at once rather than one after another.
    pub parallel: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoopCall {
    pub line: u32,
    pub end_line: u32,
    /// Normalised callee: `supabase.from().update().eq`, `resend.emails.send`.
    pub callee: String,
    /// `query`, `http`, `email` or `sdk`.
    pub kind: String,
}

/// Two or more writes of one function that can all run, with no transaction around them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WriteGroup {
    pub line: u32,
    pub end_line: u32,
    pub writes: Vec<WriteStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WriteStep {
    pub line: u32,
    pub end_line: u32,
    /// Table, model or `auth.users`; `None` when the code does not say (`obj.save()`).
    pub table: Option<String>,
    /// `insert`, `update`, `create user`, `commit`…
    pub what: String,
}

/// A column updated from a value the application read and changed: `stock: p.stock - qty`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadModifyWrite {
    pub line: u32,
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

/// `export const invoices = pgTable("invoices", { orgId: uuid("org_id") })`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrizzleTable {
    pub var: String,
    pub table: String,
    /// (field, column)
    pub fields: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataScan {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<Site>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub loops: Vec<LoopCalls>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_groups: Vec<WriteGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_modify_writes: Vec<ReadModifyWrite>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drizzle_tables: Vec<DrizzleTable>,
}

impl DataScan {
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
            && self.loops.is_empty()
            && self.write_groups.is_empty()
            && self.read_modify_writes.is_empty()
            && self.drizzle_tables.is_empty()
    }
}

// ---------------------------------------------------------------------------------------
// API vocabulary (names, not syntax).

const SUPABASE_OPS: &[&str] = &["select", "insert", "update", "upsert", "delete"];
/// Links of a query under construction (a variable holding one continues it).
const BUILDER_LINKS: &[&str] = &[
    "from",
    "table",
    "into",
    "select",
    "insert",
    "update",
    "upsert",
    "delete",
    "eq",
    "neq",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "is",
    "like",
    "ilike",
    "match",
    "filter",
    "order",
    "range",
    "where",
    "orderBy",
    "query",
    "execute",
    "scalars",
    "filter_by",
    "order_by",
    "exclude",
    "values",
    "annotate",
    "select_related",
    "prefetch_related",
    "join",
    "innerJoin",
    "leftJoin",
];
const BUILDER_FILTERS: &[(&str, Filter)] = &[
    ("eq", Filter::Eq),
    ("match", Filter::Eq),
    ("in", Filter::In),
    ("gt", Filter::Range),
    ("gte", Filter::Range),
    ("lt", Filter::Range),
    ("lte", Filter::Range),
    ("like", Filter::Like),
    ("ilike", Filter::Like),
    ("textSearch", Filter::Like),
    ("is", Filter::Null),
    ("filter", Filter::Eq),
    ("where", Filter::Eq),
    ("andWhere", Filter::Eq),
    ("whereIn", Filter::In),
    ("whereNull", Filter::Null),
    ("whereBetween", Filter::Range),
    ("whereLike", Filter::Like),
    ("whereILike", Filter::Like),
];
/// Methods only Knex has (supabase-js spells them `eq`, `order`, `single`).
const KNEX_ONLY: &[&str] = &[
    "where",
    "andWhere",
    "whereIn",
    "whereNull",
    "whereBetween",
    "whereLike",
    "whereILike",
    "orderBy",
    "first",
    "del",
    "pluck",
    "increment",
    "decrement",
];
const KNEX_ROOTS: &[&str] = &["knex", "db", "trx", "database", "pg", "k"];
const PRISMA_METHODS: &[(&str, Op)] = &[
    ("findMany", Op::Read),
    ("findFirst", Op::Read),
    ("findFirstOrThrow", Op::Read),
    ("findUnique", Op::Read),
    ("findUniqueOrThrow", Op::Read),
    ("count", Op::Count),
    ("aggregate", Op::Count),
    ("groupBy", Op::Count),
    ("create", Op::Insert),
    ("createMany", Op::Insert),
    ("createManyAndReturn", Op::Insert),
    ("update", Op::Update),
    ("updateMany", Op::Update),
    ("upsert", Op::Upsert),
    ("delete", Op::Delete),
    ("deleteMany", Op::Delete),
];
const PRISMA_CLIENTS: &[&str] = &["prisma", "db", "tx", "client", "database", "orm"];
const DRIZZLE_TABLE_FUNCTIONS: &[&str] = &["pgTable", "mysqlTable", "sqliteTable"];
const SQL_SINKS: &[&str] = &[
    "query",
    "execute",
    "executemany",
    "exec",
    "raw",
    "sql",
    "text",
    "unsafe",
    "prepare",
    "$queryRaw",
    "$queryRawUnsafe",
    "$executeRaw",
    "$executeRawUnsafe",
    "fetch",
    "fetchrow",
    "fetchval",
    "fetchone",
    "fetchall",
    "all",
    "get",
    "run",
    "many",
    "one",
    "oneOrNone",
    "manyOrNone",
    "any",
    "none",
    "result",
];
const DJANGO_LIST: &[&str] = &[
    "all",
    "filter",
    "exclude",
    "order_by",
    "values",
    "values_list",
    "select_related",
    "prefetch_related",
    "annotate",
    "distinct",
    "only",
    "defer",
    "using",
    "iterator",
];
const DJANGO_SINGLE: &[&str] = &[
    "get", "first", "last", "earliest", "latest", "exists", "in_bulk",
];
const DJANGO_COUNT: &[&str] = &["count", "aggregate"];
const DJANGO_WRITES: &[(&str, Op)] = &[
    ("create", Op::Insert),
    ("bulk_create", Op::Insert),
    ("get_or_create", Op::Upsert),
    ("update_or_create", Op::Upsert),
    ("update", Op::Update),
    ("bulk_update", Op::Update),
    ("delete", Op::Delete),
];
const SQLALCHEMY_SINGLE: &[&str] = &[
    "first",
    "one",
    "one_or_none",
    "scalar",
    "scalar_one",
    "scalar_one_or_none",
    "get",
];
const SQLALCHEMY_LIST: &[&str] = &["all", "fetchall", "scalars", "unique", "partitions"];
/// Calls that open a transaction; a write inside one of their callbacks is covered, and a
/// function that calls one without a callback manages its own.
const TRANSACTION_CALLS: &[&str] = &[
    "$transaction",
    "transaction",
    "withTransaction",
    "runTransaction",
    "startTransaction",
    "begin",
    "begin_nested",
    "atomic",
    "batch",
];
const AUTH_ADMIN_WRITES: &[&str] = &[
    "createUser",
    "updateUserById",
    "deleteUser",
    "inviteUserByEmail",
    "signUp",
];
const HTTP_FUNCTIONS: &[&str] = &[
    "fetch", "$fetch", "ofetch", "ky", "got", "axios", "request", "urlopen",
];
const HTTP_ROOTS: &[&str] = &[
    "axios",
    "ky",
    "got",
    "superagent",
    "requests",
    "httpx",
    "http",
    "api",
    "client",
    "octokit",
    "$http",
];
const HTTP_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "request", "fetch",
];
const EMAIL_ROOTS: &[&str] = &[
    "resend",
    "sgMail",
    "sendgrid",
    "mailgun",
    "postmark",
    "transporter",
    "mailer",
    "ses",
    "nodemailer",
    "twilio",
    "sms",
];
const EMAIL_CALLS: &[&str] = &[
    "send",
    "sendMail",
    "sendEmail",
    "send_mail",
    "send_email",
    "sendTemplate",
    "create",
];
const SDK_ROOTS: &[&str] = &[
    "stripe",
    "openai",
    "anthropic",
    "s3",
    "sqs",
    "sns",
    "lambda",
    "slack",
    "redis",
    "kv",
    "firestore",
    "algolia",
    "pusher",
];
/// Tables that record what happened rather than the business state; a missing row there
/// leaves nothing inconsistent.
pub const LOG_TABLES: &[&str] = &[
    "audit",
    "log",
    "logs",
    "activity",
    "activities",
    "analytics",
    "telemetry",
];

// ---------------------------------------------------------------------------------------
// Captures, linked by node id and range.

struct Call<'t> {
    node: Node<'t>,
    receiver: Option<Node<'t>>,
    /// Method or function name.
    name: &'t str,
    name_line: u32,
    args: Option<Node<'t>>,
    plain: bool,
}

struct LoopNode<'t> {
    node: Node<'t>,
    over: Option<Node<'t>>,
    body: Option<Node<'t>>,
    callback: bool,
    bound: Option<Node<'t>>,
}

#[derive(Default)]
struct Index<'t> {
    calls: Vec<Call<'t>>,
    call_of: HashMap<usize, usize>,
    first_arg: HashMap<usize, Node<'t>>,
    /// Object arguments by the arguments node.
    objects: HashMap<usize, Vec<Node<'t>>>,
    /// Pairs by their parent (object literal or Python argument list): (key, value, node).
    pairs: HashMap<usize, Vec<(Node<'t>, Option<Node<'t>>)>>,
    members: Vec<(Node<'t>, &'t str, &'t str)>,
    strings: HashMap<usize, Node<'t>>,
    blanks: Vec<(usize, usize, bool)>,
    functions: Vec<Node<'t>>,
    transactional_functions: HashSet<usize>,
    awaits: HashSet<usize>,
    returns: HashSet<usize>,
    assigns: HashMap<usize, &'t str>,
    loops: Vec<LoopNode<'t>>,
    constant_lists: HashSet<usize>,
    constant_names: HashSet<&'t str>,
    arms: Vec<(usize, Node<'t>)>,
    catches: Vec<Node<'t>>,
    rmws: Vec<(Node<'t>, Option<&'t str>, &'t str, Option<Node<'t>>)>,
    sliced: Vec<Node<'t>>,
}

fn line_of(n: Node) -> u32 {
    n.start_position().row as u32 + 1
}

fn end_line_of(n: Node) -> u32 {
    n.end_position().row as u32 + 1
}

fn contains(outer: Node, inner: Node) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

fn last_segment(text: &str) -> &str {
    text.rsplit('.').next().unwrap_or(text)
}

fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        format!("{}…", one_line.chars().take(max).collect::<String>())
    }
}

impl<'t> Index<'t> {
    fn build(file: &SourceFile<'t>) -> Index<'t> {
        let mut ix = Index::default();
        let mut seen_loops: HashMap<usize, usize> = HashMap::new();
        for m in file.matches("data_access") {
            if let Some(node) = m.get("call") {
                let (name_node, plain) = match (m.get("call.method"), m.get("call.function")) {
                    (Some(n), _) => (n, false),
                    (None, Some(n)) => (n, true),
                    _ => continue,
                };
                if !ix.call_of.contains_key(&node.id()) {
                    ix.call_of.insert(node.id(), ix.calls.len());
                    ix.calls.push(Call {
                        node,
                        receiver: m.get("call.receiver"),
                        name: file.text_of(name_node),
                        name_line: line_of(name_node),
                        args: m.get("call.args"),
                        plain,
                    });
                }
            }
            if let Some(first) = m.get("arg.first") {
                if let Some(parent) = first.parent() {
                    ix.first_arg.entry(parent.id()).or_insert(first);
                }
            }
            if let Some(object) = m.get("arg.object") {
                // JS: the object's parent is the arguments; Python: the argument list itself.
                let owner = if m.has("pair") {
                    object
                } else {
                    object.parent().unwrap_or(object)
                };
                let list = ix.objects.entry(owner.id()).or_default();
                if !list.iter().any(|o| o.id() == object.id()) {
                    list.push(object);
                }
            }
            if let (Some(pair), Some(key)) = (m.get("pair"), m.get("pair.key")) {
                if let Some(parent) = pair.parent() {
                    let list = ix.pairs.entry(parent.id()).or_default();
                    if !list.iter().any(|(k, _)| k.id() == key.id()) {
                        list.push((key, m.get("pair.value")));
                    }
                }
            }
            if let Some(short) = m.get("pair.shorthand") {
                if let Some(parent) = short.parent() {
                    ix.pairs.entry(parent.id()).or_default().push((short, None));
                }
            }
            if let (Some(member), Some(o), Some(p)) = (
                m.get("member"),
                m.get("member.object"),
                m.get("member.property"),
            ) {
                if !ix.members.iter().any(|(n, _, _)| n.id() == member.id()) {
                    ix.members.push((member, file.text_of(o), file.text_of(p)));
                }
            }
            if let Some(s) = m.get("string") {
                ix.strings.insert(s.id(), s);
            }
            if let Some(d) = m.get("string.delimiter") {
                ix.blanks.push((d.start_byte(), d.end_byte(), false));
            }
            if let Some(h) = m.get("string.hole") {
                ix.blanks.push((h.start_byte(), h.end_byte(), true));
            }
            if let Some(f) = m.get("function") {
                ix.functions.push(f);
            }
            if let (Some(d), Some(f)) = (m.get("decorator"), m.get("decorated")) {
                if TRANSACTION_CALLS.contains(&last_segment(&normalize_callee(file.text_of(d)))) {
                    ix.transactional_functions.insert(f.id());
                }
            }
            if let Some(a) = m.get("await") {
                ix.awaits.insert(a.id());
            }
            if let Some(r) = m.get("return") {
                ix.returns.insert(r.id());
            }
            if let (Some(name), Some(value)) = (m.get("assign.name"), m.get("assign.value")) {
                ix.assigns.insert(value.id(), file.text_of(name));
            }
            if let Some(l) = m.get("loop") {
                let entry = *seen_loops.entry(l.id()).or_insert_with(|| {
                    ix.loops.push(LoopNode {
                        node: l,
                        over: None,
                        body: None,
                        callback: false,
                        bound: None,
                    });
                    ix.loops.len() - 1
                });
                let lp = &mut ix.loops[entry];
                lp.over = lp.over.or(m.get("loop.over"));
                lp.body = lp.body.or(m.get("loop.body"));
                lp.bound = lp.bound.or(m.get("loop.bound"));
                lp.callback |= m.has("loop.method");
            }
            if let Some(c) = m.get("constant.list") {
                ix.constant_lists.insert(c.id());
                if let Some(name) = m.get("constant.name") {
                    if c.named_child_count() <= 10 {
                        ix.constant_names.insert(file.text_of(name));
                    }
                }
            }
            if let (Some(arm), Some(branch)) = (m.get("arm"), m.get("branch")) {
                ix.arms.push((branch.id(), arm));
            }
            if let Some(c) = m.get("catch") {
                ix.catches.push(c);
            }
            if let (Some(r), Some(field)) = (m.get("rmw"), m.get("rmw.field")) {
                ix.rmws.push((
                    r,
                    m.get("rmw.key").map(|k| file.text_of(k)),
                    file.text_of(field),
                    m.get("rmw.target"),
                ));
            }
            if let Some(s) = m.get("sliced") {
                ix.sliced.push(s);
            }
        }
        ix.functions.sort_by_key(|f| f.start_byte());
        ix.functions.dedup_by_key(|f| f.id());
        ix.blanks.sort();
        ix
    }

    /// Index+1 of the innermost function around `node` (0: top level).
    fn scope(&self, node: Node) -> u32 {
        let mut best = 0;
        for (i, f) in self.functions.iter().enumerate() {
            if f.start_byte() > node.start_byte() {
                break;
            }
            if contains(*f, node) && f.id() != node.id() {
                best = i as u32 + 1;
            }
        }
        best
    }

    fn function(&self, scope: u32) -> Option<Node<'t>> {
        scope
            .checked_sub(1)
            .and_then(|i| self.functions.get(i as usize).copied())
    }

    /// The call a receiver is, looking through `(…)`, `await` and TypeScript's `x!`.
    fn call_in(&self, node: Node<'t>) -> Option<usize> {
        let mut n = node;
        for _ in 0..3 {
            if let Some(&i) = self.call_of.get(&n.id()) {
                return Some(i);
            }
            if n.named_child_count() != 1 {
                return None;
            }
            n = n.named_child(0)?;
        }
        None
    }

    /// The node that stands for `node` in its statement: itself, or the `await` (and
    /// parentheses) around it.
    fn wrapped(&self, node: Node<'t>) -> (Node<'t>, bool) {
        let mut n = node;
        let mut awaited = false;
        for _ in 0..3 {
            let Some(p) = n.parent() else { break };
            // `(x)`, but not the argument list of a call with one argument.
            let argument_list = p
                .parent()
                .and_then(|g| self.call_of.get(&g.id()))
                .is_some_and(|&i| self.calls[i].args.is_some_and(|a| a.id() == p.id()));
            let parenthesised = !argument_list
                && p.named_child_count() == 1
                && p.child_count() == 3
                && p.child(0).is_some_and(|c| {
                    c.byte_range().len() == 1 && c.start_byte() == p.start_byte() && !c.is_named()
                });
            if self.awaits.contains(&p.id()) {
                awaited = true;
                n = p;
            } else if parenthesised && !self.call_of.contains_key(&p.id()) {
                n = p;
            } else {
                break;
            }
        }
        (n, awaited)
    }

    fn string_text(&self, file: &SourceFile<'t>, node: Node) -> String {
        let start = node.start_byte();
        let end = node.end_byte();
        let mut bytes = file.text.as_bytes()[start..end].to_vec();
        let from = self.blanks.partition_point(|(s, _, _)| *s < start);
        for &(s, e, hole) in &self.blanks[from..] {
            if s >= end {
                break;
            }
            let e = e.min(end);
            for (k, b) in bytes[s - start..e - start].iter_mut().enumerate() {
                if *b != b'\n' {
                    *b = if hole && k == 0 { b'?' } else { b' ' };
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    fn pairs_of(&self, object: Node) -> &[(Node<'t>, Option<Node<'t>>)] {
        self.pairs
            .get(&object.id())
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

// ---------------------------------------------------------------------------------------
// Chains and query families.

struct Chain<'t> {
    /// Call indexes, innermost first.
    links: Vec<usize>,
    outer: Node<'t>,
    /// What the innermost call is made on (`supabase`, `prisma.invoice`, `cur`); empty for a
    /// plain call.
    base: String,
    scope: u32,
    awaited: bool,
    /// `.then(…)`, returned, or handed to `Promise.all`: it runs even without `await`.
    executed: bool,
    assigned_to: Option<&'t str>,
    family: usize,
}

struct Scanner<'f, 't> {
    file: &'f SourceFile<'t>,
    ix: Index<'t>,
    chains: Vec<Chain<'t>>,
    chain_of_outer: HashMap<usize, usize>,
    /// Chains of each family in source order.
    families: Vec<Vec<usize>>,
    /// Variables a family was assigned to, by scope.
    family_vars: Vec<Vec<(u32, &'t str)>>,
    python: bool,
}

impl<'f, 't> Scanner<'f, 't> {
    fn new(file: &'f SourceFile<'t>) -> Self {
        let ix = Index::build(file);
        let mut s = Scanner {
            file,
            ix,
            chains: Vec::new(),
            chain_of_outer: HashMap::new(),
            families: Vec::new(),
            family_vars: Vec::new(),
            python: file.lang == Lang::Python,
        };
        s.build_chains();
        s
    }

    fn text(&self, n: Node) -> &'t str {
        self.file.text_of(n)
    }

    fn build_chains(&mut self) {
        let mut inner_of_some: HashSet<usize> = HashSet::new();
        let mut inner: Vec<Option<usize>> = Vec::with_capacity(self.ix.calls.len());
        for c in &self.ix.calls {
            let i = c.receiver.and_then(|r| self.ix.call_in(r));
            if let Some(i) = i {
                inner_of_some.insert(i);
            }
            inner.push(i);
        }
        let mut order: Vec<usize> = (0..self.ix.calls.len())
            .filter(|i| !inner_of_some.contains(i))
            .collect();
        order.sort_by_key(|&i| self.ix.calls[i].node.start_byte());
        let mut vars: HashMap<(u32, &'t str), usize> = HashMap::new();
        for outer_call in order {
            let mut links = vec![outer_call];
            let mut cur = outer_call;
            while let Some(i) = inner[cur] {
                if links.len() > 64 {
                    break;
                }
                links.push(i);
                cur = i;
            }
            links.reverse();
            let innermost = &self.ix.calls[links[0]];
            let base = match (innermost.plain, innermost.receiver) {
                (false, Some(r)) => normalize_callee(self.text(r)),
                _ => String::new(),
            };
            let outer = self.ix.calls[outer_call].node;
            let scope = self.ix.scope(outer);
            let (stands, awaited) = self.ix.wrapped(outer);
            let assigned_to = self.ix.assigns.get(&stands.id()).copied();
            let returned = self.ix.returns.contains(&stands.id())
                || stands
                    .parent()
                    .is_some_and(|p| self.ix.returns.contains(&p.id()));
            let then = links
                .iter()
                .any(|&l| matches!(self.ix.calls[l].name, "then" | "catch" | "finally"));
            // `Promise.all([a, b])` or `Promise.all(a)`: two or three levels up.
            let in_all = [
                stands.parent().and_then(|p| p.parent()),
                stands
                    .parent()
                    .and_then(|p| p.parent())
                    .and_then(|p| p.parent()),
            ]
            .into_iter()
            .flatten()
            .any(|c| {
                self.ix
                    .call_of
                    .get(&c.id())
                    .is_some_and(|&i| matches!(self.ix.calls[i].name, "all" | "allSettled"))
            });
            let executed = awaited || returned || then || in_all || self.python;
            // A chain on a variable that holds a query under construction continues it; one on
            // a client (`const supabase = createClient(…)`) starts its own.
            let starts_query = links
                .first()
                .is_some_and(|&l| matches!(self.ix.calls[l].name, "from" | "table" | "query"));
            let family = if is_identifier(&base) && !starts_query {
                vars.get(&(scope, base.as_str())).copied().filter(|&f| {
                    self.families[f].iter().any(|&c| {
                        self.chains[c]
                            .links
                            .iter()
                            .any(|&l| BUILDER_LINKS.contains(&self.ix.calls[l].name))
                    })
                })
            } else {
                None
            };
            let family = match family {
                Some(f) => f,
                None => {
                    self.families.push(Vec::new());
                    self.family_vars.push(Vec::new());
                    self.families.len() - 1
                }
            };
            let index = self.chains.len();
            self.families[family].push(index);
            if let Some(v) = assigned_to {
                vars.insert((scope, v), family);
                self.family_vars[family].push((scope, v));
            }
            self.chain_of_outer.insert(outer.id(), index);
            self.chains.push(Chain {
                links,
                outer,
                base,
                scope,
                awaited,
                executed,
                assigned_to,
                family,
            });
        }
    }

    fn call(&self, i: usize) -> &Call<'t> {
        &self.ix.calls[i]
    }

    fn first_arg(&self, call: usize) -> Option<Node<'t>> {
        self.call(call)
            .args
            .and_then(|a| self.ix.first_arg.get(&a.id()).copied())
    }

    /// The first argument as a string literal (blanked), or through a variable assigned one.
    fn first_string(&self, call: usize) -> Option<(String, Node<'t>)> {
        let args = self.call(call).args?;
        if self.ix.strings.contains_key(&args.id()) {
            return Some((self.ix.string_text(self.file, args), args)); // sql`…`
        }
        let first = self.first_arg(call)?;
        if self.ix.strings.contains_key(&first.id()) {
            return Some((self.ix.string_text(self.file, first), first));
        }
        None
    }

    fn first_literal(&self, call: usize) -> Option<String> {
        self.first_string(call)
            .map(|(s, _)| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn first_ident(&self, call: usize) -> Option<&'t str> {
        self.first_arg(call)
            .map(|n| self.text(n))
            .filter(|t| is_identifier(t))
    }

    fn objects(&self, call: usize) -> Vec<Node<'t>> {
        self.call(call)
            .args
            .and_then(|a| self.ix.objects.get(&a.id()))
            .cloned()
            .unwrap_or_default()
    }

    /// Keys of an object literal (or Python keyword arguments) with their value and line.
    fn keys(&self, object: Node<'t>) -> Vec<(String, Option<Node<'t>>, u32)> {
        self.ix
            .pairs_of(object)
            .iter()
            .map(|(k, v)| {
                let key = self
                    .text(*k)
                    .trim_matches(|c| c == '"' || c == '\'' || c == '`')
                    .to_string();
                (key, *v, line_of(*k))
            })
            .collect()
    }

    fn key_value(&self, object: Node<'t>, key: &str) -> Option<Option<Node<'t>>> {
        self.keys(object)
            .into_iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v)
    }

    /// Objects directly inside an array value (`AND: [{ a }, { b }]`, `orderBy: [{ x: "asc" }]`).
    fn objects_in(&self, node: Node<'t>) -> Vec<Node<'t>> {
        if self.ix.pairs.contains_key(&node.id()) {
            return vec![node];
        }
        let mut out = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if self.ix.pairs.contains_key(&child.id()) {
                out.push(child);
            }
        }
        out
    }

    /// `table.column` references inside a node (Drizzle `eq(users.email, x)`, SQLAlchemy
    /// `Invoice.org_id == x`).
    fn members_in(&self, node: Node<'t>) -> Vec<(&'t str, &'t str, u32)> {
        self.ix
            .members
            .iter()
            .filter(|(m, _, _)| contains(node, *m))
            .map(|(m, o, p)| (*o, *p, line_of(*m)))
            .collect()
    }

    fn family_links(&self, family: usize) -> Vec<usize> {
        self.families[family]
            .iter()
            .flat_map(|&c| self.chains[c].links.iter().copied())
            .collect()
    }

    /// A family variable is sliced (`qs[:20]`) or handed to a paginator.
    fn family_bounded_elsewhere(&self, family: usize) -> Option<String> {
        for &(scope, var) in &self.family_vars[family] {
            let in_scope = |n: Node| self.ix.scope(n) == scope;
            if self
                .ix
                .sliced
                .iter()
                .any(|s| self.text(*s) == var && in_scope(*s))
            {
                return Some(format!("{var}[…] slice"));
            }
            for c in &self.ix.calls {
                let name = c.name.to_ascii_lowercase();
                if name.contains("paginat")
                    && c.args.is_some_and(|a| {
                        self.ix
                            .first_arg
                            .get(&a.id())
                            .is_some_and(|f| self.text(*f) == var)
                    })
                    && in_scope(c.node)
                {
                    return Some(format!("{}()", c.name));
                }
            }
        }
        None
    }

    fn chain_sliced(&self, chain: &Chain<'t>) -> bool {
        self.ix
            .sliced
            .iter()
            .any(|s| s.id() == chain.outer.id() || s.id() == self.ix.wrapped(chain.outer).0.id())
    }

    // -----------------------------------------------------------------------------------
    // Recognisers.

    fn sites(&self) -> Vec<(Site, usize)> {
        let mut out: Vec<(Site, usize)> = Vec::new();
        for family in 0..self.families.len() {
            let root = &self.chains[self.families[family][0]];
            let site = self
                .builder(family)
                .or_else(|| self.prisma(family))
                .or_else(|| self.drizzle(family))
                .or_else(|| self.django(family))
                .or_else(|| self.sqlalchemy(family));
            if let Some(mut site) = site {
                site.line = line_of(root.outer);
                site.end_line = end_line_of(root.outer);
                site.scope = root.scope;
                out.push((site, family));
            }
        }
        out.extend(self.sql_sites());
        out
    }

    /// supabase-js and Knex: `client.from("t").select().eq("c", v).order("c").limit(n)`,
    /// `knex("t").where({ c }).first()`.
    fn builder(&self, family: usize) -> Option<Site> {
        let links = self.family_links(family);
        let root = &self.chains[self.families[family][0]];
        let knex_root = {
            let c = self.call(links[0]);
            c.plain && KNEX_ROOTS.contains(&c.name) && self.first_literal(links[0]).is_some()
        };
        let from = links.iter().position(|&l| {
            let c = self.call(l);
            !c.plain
                && matches!(c.name, "from" | "table" | "into")
                && self.first_literal(l).is_some_and(|t| is_table_name(&t))
        });
        let (table_link, start) = match (knex_root, from) {
            (true, _) => (links[0], 0),
            (false, Some(i)) => (links[i], i),
            _ => return None,
        };
        if matches!(
            root.base.as_str(),
            "Array" | "Object" | "Buffer" | "Promise" | "Observable" | "Rx" | "fs" | "path"
        ) || root.base.ends_with("storage")
        {
            return None;
        }
        let mut table = self.first_literal(table_link)?;
        if let Some(schema) = links[..start]
            .iter()
            .find(|&&l| self.call(l).name == "schema")
            .and_then(|&l| self.first_literal(l))
        {
            table = format!("{schema}.{table}");
        }
        let names: Vec<&str> = links.iter().map(|&l| self.call(l).name).collect();
        let knex = knex_root || names.iter().any(|n| KNEX_ONLY.contains(n));
        let op_at = links[start..]
            .iter()
            .position(|&l| SUPABASE_OPS.contains(&self.call(l).name) || self.call(l).name == "del")
            .map(|i| i + start);
        if !knex && op_at.is_none() {
            return None;
        }
        let (op, at) = match op_at {
            Some(i) => (
                match self.call(links[i]).name {
                    "select" => Op::Read,
                    "insert" => Op::Insert,
                    "update" => Op::Update,
                    "upsert" => Op::Upsert,
                    _ => Op::Delete,
                },
                self.call(links[i]).name_line,
            ),
            None => (Op::Read, self.call(links[start]).name_line),
        };
        let mut op = op;
        let mut site = Site {
            api: if knex { Api::Knex } else { Api::Supabase },
            op,
            tables: vec![TableRef {
                name: table,
                alias: None,
            }],
            line: 0,
            end_line: 0,
            at,
            filters: Vec::new(),
            sorts: Vec::new(),
            bound: None,
            scope: 0,
        };
        for &l in &links[start..] {
            let c = self.call(l);
            if let Some(&(_, filter)) = BUILDER_FILTERS.iter().find(|(m, _)| *m == c.name) {
                if let Some(column) = self.first_literal(l) {
                    let filter = match (filter, self.second_literal(l).as_deref()) {
                        (Filter::Eq, Some("<" | ">" | "<=" | ">=")) => Filter::Range,
                        (Filter::Eq, Some("like" | "ilike")) => Filter::Like,
                        _ => filter,
                    };
                    push_column(&mut site.filters, &column, c.name_line, filter);
                }
                for object in self.objects(l) {
                    for (key, _, line) in self.keys(object) {
                        push_column(&mut site.filters, &key, line, filter);
                    }
                }
            }
            match c.name {
                "order" | "orderBy" => {
                    let foreign = self.objects(l).into_iter().any(|o| {
                        self.keys(o)
                            .iter()
                            .any(|(k, _, _)| k == "foreignTable" || k == "referencedTable")
                    });
                    if let Some(column) = self.first_literal(l).filter(|_| !foreign) {
                        push_column(&mut site.sorts, &column, c.name_line, Filter::Sort);
                    }
                }
                "limit" | "range" | "single" | "maybeSingle" | "maybe_single" | "first" => {
                    site.bound.get_or_insert_with(|| format!(".{}()", c.name));
                }
                "select" | "count" => {
                    let head = self.objects(l).into_iter().any(|o| {
                        self.key_value(o, "head")
                            .flatten()
                            .is_some_and(|v| self.text(v) == "true")
                    });
                    if head || (knex && c.name == "count") {
                        op = Op::Count;
                    }
                }
                _ => {}
            }
        }
        if site.op == Op::Read {
            site.op = op;
        }
        Some(site)
    }

    fn second_literal(&self, call: usize) -> Option<String> {
        let first = self.first_arg(call)?;
        let second = first.next_named_sibling()?;
        self.ix.strings.contains_key(&second.id()).then(|| {
            self.ix
                .string_text(self.file, second)
                .trim()
                .to_ascii_lowercase()
        })
    }

    /// Prisma (`prisma.invoice.findMany({ where, orderBy, take })`) and Drizzle's relational
    /// queries (`db.query.invoices.findMany({ where: eq(invoices.orgId, id), limit })`).
    fn prisma(&self, family: usize) -> Option<Site> {
        let root = &self.chains[self.families[family][0]];
        let link = root.links[0];
        let c = self.call(link);
        let &(_, op) = PRISMA_METHODS.iter().find(|(m, _)| *m == c.name)?;
        let (client, model) = root.base.rsplit_once('.')?;
        if model.starts_with('$') || !is_identifier(model) {
            return None;
        }
        let client_last = last_segment(client);
        let drizzle = client_last == "query";
        if !drizzle
            && !PRISMA_CLIENTS
                .iter()
                .any(|p| client_last == *p || client_last.to_ascii_lowercase().contains("prisma"))
        {
            return None;
        }
        let mut site = Site {
            api: if drizzle { Api::Drizzle } else { Api::Prisma },
            op,
            tables: vec![TableRef {
                name: model.to_string(),
                alias: None,
            }],
            line: 0,
            end_line: 0,
            at: c.name_line,
            filters: Vec::new(),
            sorts: Vec::new(),
            bound: None,
            scope: 0,
        };
        if matches!(
            c.name,
            "findUnique" | "findUniqueOrThrow" | "findFirst" | "findFirstOrThrow"
        ) {
            site.bound = Some(format!("{}()", c.name));
        }
        let Some(args) = self.objects(link).into_iter().next() else {
            return Some(site);
        };
        for (key, value, line) in self.keys(args) {
            let Some(value) = value else { continue };
            match key.as_str() {
                "where" if drizzle => {
                    for (o, p, l) in self.members_in(value) {
                        if o == model {
                            push_column(&mut site.filters, p, l, Filter::Eq);
                        }
                    }
                }
                "where" => self.prisma_where(value, &mut site.filters),
                "orderBy" if drizzle => {
                    for (o, p, l) in self.members_in(value) {
                        if o == model {
                            push_column(&mut site.sorts, p, l, Filter::Sort);
                        }
                    }
                }
                "orderBy" => {
                    for o in self.objects_in(value) {
                        for (k, _, l) in self.keys(o) {
                            push_column(&mut site.sorts, &k, l, Filter::Sort);
                        }
                    }
                }
                "take" | "limit" | "first" | "last" => {
                    site.bound
                        .get_or_insert_with(|| format!("{key}: {}", shorten(self.text(value), 20)));
                }
                _ => {}
            }
            let _ = line;
        }
        Some(site)
    }

    fn prisma_where(&self, value: Node<'t>, out: &mut Vec<ColumnUse>) {
        for object in self.objects_in(value) {
            for (key, v, line) in self.keys(object) {
                if key == "AND" {
                    if let Some(v) = v {
                        self.prisma_where(v, out);
                    }
                    continue;
                }
                if matches!(key.as_str(), "OR" | "NOT") {
                    continue;
                }
                let filter = v
                    .and_then(|v| self.objects_in(v).into_iter().next())
                    .and_then(|o| self.keys(o).into_iter().next())
                    .map(|(k, _, _)| match k.as_str() {
                        "in" => Filter::In,
                        "gt" | "gte" | "lt" | "lte" => Filter::Range,
                        "contains" | "startsWith" | "endsWith" | "search" => Filter::Like,
                        "not" => Filter::Null,
                        _ => Filter::Eq,
                    })
                    .unwrap_or(Filter::Eq);
                push_column(out, &key, line, filter);
            }
        }
    }

    /// Drizzle's query builder: `db.select().from(invoices).where(eq(invoices.orgId, id))`,
    /// `db.update(invoices).set({…}).where(…)`, `db.insert(t).values(…)`, `db.delete(t)`.
    fn drizzle(&self, family: usize) -> Option<Site> {
        let links = self.family_links(family);
        let position = |names: &[&str]| {
            links
                .iter()
                .position(|&l| names.contains(&self.call(l).name) && self.first_ident(l).is_some())
        };
        let (op, table_at) = if let Some(i) = position(&["from"]) {
            if !links[..i].iter().any(|&l| {
                matches!(
                    self.call(l).name,
                    "select" | "selectDistinct" | "selectDistinctOn"
                )
            }) {
                return None;
            }
            (Op::Read, i)
        } else if let Some(i) = position(&["insert", "update", "delete"]) {
            let next = links.get(i + 1).map(|&l| self.call(l).name);
            if !matches!(next, Some("values" | "set" | "where" | "returning")) {
                return None;
            }
            let op = match self.call(links[i]).name {
                "insert" => Op::Insert,
                "update" => Op::Update,
                _ => Op::Delete,
            };
            (op, i)
        } else {
            return None;
        };
        let table = self.first_ident(links[table_at])?;
        let mut site = Site {
            api: Api::Drizzle,
            op,
            tables: vec![TableRef {
                name: table.to_string(),
                alias: None,
            }],
            line: 0,
            end_line: 0,
            at: self.call(links[table_at]).name_line,
            filters: Vec::new(),
            sorts: Vec::new(),
            bound: None,
            scope: 0,
        };
        for &l in &links[table_at..] {
            let c = self.call(l);
            let Some(args) = c.args else { continue };
            match c.name {
                "where" | "innerJoin" | "leftJoin" | "rightJoin" | "fullJoin" => {
                    for (o, p, line) in self.members_in(args) {
                        if o == table {
                            push_column(
                                &mut site.filters,
                                p,
                                line,
                                if c.name == "where" {
                                    Filter::Eq
                                } else {
                                    Filter::Join
                                },
                            );
                        }
                    }
                }
                "orderBy" => {
                    for (o, p, line) in self.members_in(args) {
                        if o == table {
                            push_column(&mut site.sorts, p, line, Filter::Sort);
                        }
                    }
                }
                "limit" => site.bound = Some(".limit()".into()),
                _ => {}
            }
        }
        Some(site)
    }

    /// Django: `Invoice.objects.filter(org_id=o).order_by("-created_at")`.
    fn django(&self, family: usize) -> Option<Site> {
        if !self.python {
            return None;
        }
        let root = &self.chains[self.families[family][0]];
        let (model, manager) = root.base.rsplit_once('.')?;
        if manager != "objects" || !model.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            return None;
        }
        let links = self.family_links(family);
        let mut site = Site {
            api: Api::Django,
            op: Op::Read,
            tables: vec![TableRef {
                name: model.to_string(),
                alias: None,
            }],
            line: 0,
            end_line: 0,
            at: self.call(links[0]).name_line,
            filters: Vec::new(),
            sorts: Vec::new(),
            bound: None,
            scope: 0,
        };
        for &l in &links {
            let c = self.call(l);
            if let Some(&(_, op)) = DJANGO_WRITES.iter().find(|(m, _)| *m == c.name) {
                site.op = op;
                site.at = c.name_line;
            } else if DJANGO_SINGLE.contains(&c.name) {
                site.bound = Some(format!(".{}()", c.name));
            } else if DJANGO_COUNT.contains(&c.name) {
                site.op = Op::Count;
            } else if !DJANGO_LIST.contains(&c.name) {
                continue;
            }
            // Lookups, not the values `update(…)` sets.
            if matches!(
                c.name,
                "filter" | "get" | "get_or_create" | "update_or_create"
            ) {
                for object in self.objects(l) {
                    for (key, _, line) in self.keys(object) {
                        if key == "defaults" {
                            continue;
                        }
                        let (column, filter) = django_lookup(&key);
                        if let Some(column) = column {
                            push_column(&mut site.filters, column, line, filter);
                        }
                    }
                }
            }
            if c.name == "order_by" {
                if let Some(args) = c.args {
                    let mut cursor = args.walk();
                    for arg in args.named_children(&mut cursor) {
                        if self.ix.strings.contains_key(&arg.id()) {
                            let column = self.ix.string_text(self.file, arg);
                            push_column(
                                &mut site.sorts,
                                column.trim().trim_start_matches('-'),
                                line_of(arg),
                                Filter::Sort,
                            );
                        }
                    }
                }
            }
        }
        if site.bound.is_none() {
            let sliced = self.families[family]
                .iter()
                .any(|&c| self.chain_sliced(&self.chains[c]));
            site.bound = if sliced {
                Some("[…] slice".into())
            } else {
                self.family_bounded_elsewhere(family)
            };
        }
        Some(site)
    }

    /// SQLAlchemy: `session.query(Invoice).filter(Invoice.org_id == o).all()` and 2.0's
    /// `session.execute(select(Invoice).where(…)).scalars().all()`.
    fn sqlalchemy(&self, family: usize) -> Option<Site> {
        if !self.python {
            return None;
        }
        let links = self.family_links(family);
        let start = links.iter().position(|&l| {
            let c = self.call(l);
            (c.name == "query" && !c.plain || c.name == "select" && c.plain)
                && self
                    .first_ident(l)
                    .is_some_and(|m| m.chars().next().is_some_and(|ch| ch.is_ascii_uppercase()))
        })?;
        let model = self.first_ident(links[start])?;
        let mut site = Site {
            api: Api::Sqlalchemy,
            op: Op::Read,
            tables: vec![TableRef {
                name: model.to_string(),
                alias: None,
            }],
            line: 0,
            end_line: 0,
            at: self.call(links[start]).name_line,
            filters: Vec::new(),
            sorts: Vec::new(),
            bound: None,
            scope: 0,
        };
        let mut terminal: Option<&str> = None;
        let scan_links = |links: &[usize], site: &mut Site, terminal: &mut Option<&'t str>| {
            for &l in links {
                let c = self.call(l);
                let Some(args) = c.args else { continue };
                match c.name {
                    "filter" | "where" | "join" => {
                        for (o, p, line) in self.members_in(args) {
                            if o == model {
                                push_column(
                                    &mut site.filters,
                                    p,
                                    line,
                                    if c.name == "join" {
                                        Filter::Join
                                    } else {
                                        Filter::Eq
                                    },
                                );
                            }
                        }
                    }
                    "filter_by" => {
                        for object in self.objects(l) {
                            for (key, _, line) in self.keys(object) {
                                push_column(&mut site.filters, &key, line, Filter::Eq);
                            }
                        }
                    }
                    "order_by" => {
                        for (o, p, line) in self.members_in(args) {
                            if o == model {
                                push_column(&mut site.sorts, p, line, Filter::Sort);
                            }
                        }
                    }
                    "limit" | "paginate" => site.bound = Some(format!(".{}()", c.name)),
                    "count" => site.op = Op::Count,
                    name if SQLALCHEMY_SINGLE.contains(&name)
                        || SQLALCHEMY_LIST.contains(&name) =>
                    {
                        *terminal = Some(name)
                    }
                    _ => {}
                }
            }
        };
        scan_links(&links[start..], &mut site, &mut terminal);
        let legacy_query = self.call(links[start]).name == "query";
        if !legacy_query {
            // A 2.0 statement runs through `execute`/`scalars` around it or on a variable.
            let consumer = self.consumer_family(family)?;
            scan_links(&self.family_links(consumer), &mut site, &mut terminal);
        }
        match terminal {
            Some(t) if SQLALCHEMY_SINGLE.contains(&t) => {
                site.bound.get_or_insert_with(|| format!(".{t}()"));
            }
            Some(_) => {}
            // A legacy query that never runs here (`.all()` elsewhere) is not a read here.
            None if legacy_query => return None,
            None => {}
        }
        Some(site)
    }

    /// The family that runs a statement family: its chain is an argument of the consumer's
    /// chain (`session.execute(select(…))`), or its variable is (`session.execute(stmt)`).
    fn consumer_family(&self, family: usize) -> Option<usize> {
        let root = &self.chains[self.families[family][0]];
        let (stands, _) = self.ix.wrapped(root.outer);
        for chain in &self.chains {
            if chain.family == family {
                continue;
            }
            for &l in &chain.links {
                let Some(args) = self.call(l).args else {
                    continue;
                };
                if contains(args, stands) && args.id() != stands.id() {
                    return Some(chain.family);
                }
                if let Some(first) = self.ix.first_arg.get(&args.id()) {
                    let name = self.text(*first);
                    if self.family_vars[family]
                        .iter()
                        .any(|&(s, v)| v == name && s == chain.scope)
                        && first.start_byte() > root.outer.start_byte()
                    {
                        return Some(chain.family);
                    }
                }
            }
        }
        None
    }

    /// SQL strings handed to a query call, directly, as a tagged template or via a variable.
    fn sql_sites(&self) -> Vec<(Site, usize)> {
        let mut out = Vec::new();
        let mut seen: HashSet<usize> = HashSet::new();
        for chain in &self.chains {
            for &l in &chain.links {
                let c = self.call(l);
                if !SQL_SINKS.contains(&c.name) {
                    continue;
                }
                let (text, node) = match self.first_string(l) {
                    Some(found) => found,
                    None => match self
                        .first_ident(l)
                        .and_then(|v| self.string_var(v, chain.scope, c.node))
                    {
                        Some(found) => found,
                        None => continue,
                    },
                };
                if !seen.insert(node.id()) || !sql::looks_like_sql(&text) {
                    continue;
                }
                let shape = sql::shape(&text, line_of(node));
                let Some(op) = shape.op else { continue };
                let mut bound = shape.limit.then(|| "LIMIT".to_string());
                // What the code does with the rows: `cur.fetchone()`, asyncpg `fetchrow`.
                if matches!(
                    c.name,
                    "fetchrow" | "fetchval" | "fetchone" | "one" | "oneOrNone" | "get"
                ) {
                    bound.get_or_insert_with(|| format!("{}()", c.name));
                }
                if !c.plain {
                    if let Some(receiver) = c.receiver.map(|r| normalize_callee(self.text(r))) {
                        let single = self.chains.iter().find(|o| {
                            o.scope == chain.scope
                                && o.outer.start_byte() > c.node.end_byte()
                                && o.base == receiver
                                && o.links.first().is_some_and(|&f| {
                                    matches!(self.call(f).name, "fetchone" | "fetchmany")
                                })
                        });
                        if let Some(o) = single {
                            bound
                                .get_or_insert_with(|| format!("{}()", self.call(o.links[0]).name));
                        }
                    }
                }
                let site = Site {
                    api: Api::Sql,
                    op: if op == Op::Read && shape.aggregate {
                        Op::Count
                    } else {
                        op
                    },
                    tables: shape.tables,
                    line: line_of(chain.outer),
                    end_line: end_line_of(chain.outer),
                    at: c.name_line,
                    filters: shape.filters,
                    sorts: shape.sorts,
                    bound,
                    scope: chain.scope,
                };
                out.push((site, chain.family));
            }
        }
        out
    }

    fn string_var(&self, name: &str, scope: u32, before: Node) -> Option<(String, Node<'t>)> {
        self.ix
            .strings
            .values()
            .filter(|s| {
                s.start_byte() < before.start_byte()
                    && self.ix.assigns.get(&s.id()) == Some(&name)
                    && self.ix.scope(**s) == scope
            })
            .max_by_key(|s| s.start_byte())
            .map(|s| (self.ix.string_text(self.file, *s), *s))
    }

    fn sql_marks_transaction(&self, scope: u32) -> bool {
        self.ix.strings.values().any(|s| {
            self.ix.scope(*s) == scope && {
                let t = self.ix.string_text(self.file, *s);
                let t = t.trim().to_ascii_lowercase();
                t == "begin"
                    || t.starts_with("begin ")
                    || t.starts_with("start transaction")
                    || t.starts_with("begin;")
            }
        })
    }

    // -----------------------------------------------------------------------------------
    // Calls in loops, writes, read-modify-write.

    fn callee(&self, chain: &Chain) -> String {
        let mut s = chain.base.clone();
        for (k, &l) in chain.links.iter().enumerate() {
            let c = self.call(l);
            if !s.is_empty() || k > 0 {
                s.push('.');
            }
            s.push_str(c.name);
            if k + 1 < chain.links.len() {
                s.push_str("()");
            }
        }
        s
    }

    /// Whether a chain is a network, email or SDK call, and which.
    fn io_kind(&self, chain: &Chain) -> Option<&'static str> {
        if self.instance_write(chain).is_some() {
            return Some("query");
        }
        let first = self.call(chain.links[0]);
        let root = chain.base.split('.').next().unwrap_or("");
        let last = self.call(*chain.links.last()?).name;
        let names: Vec<&str> = chain.links.iter().map(|&l| self.call(l).name).collect();
        if first.plain && HTTP_FUNCTIONS.contains(&first.name) {
            return Some("http");
        }
        if HTTP_ROOTS.contains(&root)
            && names.iter().any(|n| HTTP_METHODS.contains(n))
            && chain.base.split('.').count() <= 2
        {
            return Some("http");
        }
        if EMAIL_ROOTS.iter().any(|r| root.eq_ignore_ascii_case(r))
            || (first.plain
                && matches!(
                    first.name,
                    "send_mail" | "send_email" | "sendEmail" | "sendMail"
                ))
        {
            return Some("email");
        }
        if names.iter().any(|n| EMAIL_CALLS[..4].contains(n))
            && chain.base.to_ascii_lowercase().contains("mail")
        {
            return Some("email");
        }
        if SDK_ROOTS.iter().any(|r| root.eq_ignore_ascii_case(r))
            && !matches!(last, "then" | "catch")
        {
            return Some("sdk");
        }
        if names.iter().any(|n| *n == "rpc" || *n == "invoke")
            && chain.base.to_ascii_lowercase().contains("supabase")
        {
            return Some("query");
        }
        None
    }

    fn in_transaction_call(&self, node: Node) -> bool {
        self.ix.calls.iter().any(|c| {
            TRANSACTION_CALLS.contains(&c.name) && c.args.is_some_and(|a| contains(a, node))
        })
    }

    /// Functions that manage their own transaction: a decorator, `with transaction.atomic()`,
    /// `session.begin()`, a `BEGIN` statement, or a transaction call without a callback.
    fn scope_is_transactional(&self, scope: u32) -> bool {
        if self
            .ix
            .function(scope)
            .is_some_and(|f| self.ix.transactional_functions.contains(&f.id()))
        {
            return true;
        }
        let marker = self.ix.calls.iter().any(|c| {
            TRANSACTION_CALLS.contains(&c.name)
                && self.ix.scope(c.node) == scope
                && !self
                    .ix
                    .functions
                    .iter()
                    .any(|f| c.args.is_some_and(|a| contains(a, *f)))
        });
        marker || self.sql_marks_transaction(scope)
    }

    fn arms_of(&self, node: Node) -> Vec<(usize, usize)> {
        self.ix
            .arms
            .iter()
            .filter(|(_, arm)| contains(*arm, node))
            .map(|(b, arm)| (*b, arm.id()))
            .collect()
    }

    fn loops(&self, sites: &[(Site, usize)]) -> Vec<LoopCalls> {
        let site_families: HashSet<usize> = sites.iter().map(|(_, f)| *f).collect();
        let mut out: Vec<LoopCalls> = Vec::new();
        // Each call belongs to its innermost loop.
        let mut claimed: HashSet<usize> = HashSet::new();
        let mut loops: Vec<&LoopNode> = self.ix.loops.iter().collect();
        loops.sort_by_key(|l| std::cmp::Reverse(l.node.start_byte()));
        for lp in loops {
            let Some(body) = lp.body else { continue };
            if self.constant_loop(lp) {
                continue;
            }
            // A callback loop's calls run in the callback; a statement loop's in its function.
            let scope = if lp.callback {
                match self.ix.functions.iter().position(|f| f.id() == body.id()) {
                    Some(i) => i as u32 + 1,
                    None => continue,
                }
            } else {
                self.ix.scope(lp.node)
            };
            let parallel = lp.callback && {
                let (stands, _) = self.ix.wrapped(lp.node);
                stands
                    .parent()
                    .and_then(|p| p.parent())
                    .and_then(|c| self.ix.call_of.get(&c.id()))
                    .is_some_and(|&i| matches!(self.ix.calls[i].name, "all" | "allSettled"))
            };
            let mut calls = Vec::new();
            for (i, chain) in self.chains.iter().enumerate() {
                if claimed.contains(&i) || !contains(body, chain.outer) || chain.scope != scope {
                    continue;
                }
                if !chain.executed {
                    continue;
                }
                let kind = if site_families.contains(&chain.family)
                    && self.families[chain.family].contains(&i)
                    && (chain.awaited || chain.executed)
                {
                    Some("query")
                } else {
                    self.io_kind(chain)
                };
                let Some(kind) = kind else { continue };
                claimed.insert(i);
                calls.push(LoopCall {
                    line: line_of(chain.outer),
                    end_line: end_line_of(chain.outer),
                    callee: self.callee(chain),
                    kind: kind.to_string(),
                });
            }
            if calls.is_empty() {
                continue;
            }
            calls.sort_by_key(|c| c.line);
            out.push(LoopCalls {
                line: line_of(lp.node),
                end_line: end_line_of(lp.node),
                over: lp
                    .over
                    .map(|o| shorten(self.text(o), 60))
                    .unwrap_or_default(),
                calls,
                parallel,
            });
        }
        out.sort_by_key(|l| l.line);
        out
    }

    fn constant_loop(&self, lp: &LoopNode) -> bool {
        if let Some(bound) = lp.bound {
            if self.text(bound).parse::<u32>().is_ok_and(|n| n <= 10) {
                return true;
            }
        }
        let Some(over) = lp.over else { return false };
        if self.ix.constant_lists.contains(&over.id()) {
            return over.named_child_count() <= 10;
        }
        let text = self.text(over);
        self.ix.constant_names.contains(text)
            || self.ix.constant_names.contains(
                text.trim_start_matches("Object.values(")
                    .trim_end_matches(')'),
            )
    }

    /// A Django model instance saved or deleted: `order.save()`, `invoice.delete()`.
    fn instance_write(&self, chain: &Chain) -> Option<&'t str> {
        let django = self.python && self.file.text.contains("django");
        let method = self.call(chain.links[0]).name;
        let instance = is_identifier(&chain.base)
            && chain.base != "self"
            && chain
                .base
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase());
        (django && chain.links.len() == 1 && matches!(method, "save" | "delete") && instance)
            .then_some(method)
    }

    fn writes(&self, sites: &[(Site, usize)]) -> Vec<(u32, WriteStep, Node<'t>)> {
        let mut steps: Vec<(u32, WriteStep, Node<'t>)> = Vec::new();
        for (site, family) in sites {
            // psycopg and SQLAlchemy sessions hold writes in one transaction until `commit()`.
            if !site.op.is_write()
                || (self.python && matches!(site.api, Api::Sql | Api::Sqlalchemy))
            {
                continue;
            }
            let chain = &self.chains[self.families[*family][0]];
            let runs = self.families[*family]
                .iter()
                .any(|&c| self.chains[c].executed);
            if !runs {
                continue;
            }
            let table = site.tables.first().map(|t| t.name.clone());
            if table.as_deref().is_some_and(is_log_table) {
                continue;
            }
            steps.push((
                site.scope,
                WriteStep {
                    line: line_of(chain.outer),
                    end_line: end_line_of(chain.outer),
                    table,
                    what: site.op.as_str().to_string(),
                },
                chain.outer,
            ));
        }
        for chain in &self.chains {
            let names: Vec<&str> = chain.links.iter().map(|&l| self.call(l).name).collect();
            let last = *names.last().unwrap_or(&"");
            let auth_write = chain.base.ends_with("auth.admin")
                || chain.base.ends_with("auth") && last == "signUp";
            if auth_write && AUTH_ADMIN_WRITES.contains(&names[0]) && chain.executed {
                steps.push((
                    chain.scope,
                    WriteStep {
                        line: line_of(chain.outer),
                        end_line: end_line_of(chain.outer),
                        table: Some("auth.users".into()),
                        what: names[0].to_string(),
                    },
                    chain.outer,
                ));
            }
            if let Some(method) = self.instance_write(chain) {
                steps.push((
                    chain.scope,
                    WriteStep {
                        line: line_of(chain.outer),
                        end_line: end_line_of(chain.outer),
                        table: None,
                        what: format!("{}.{method}()", chain.base),
                    },
                    chain.outer,
                ));
            }
        }
        steps.retain(|(_, _, node)| !self.in_transaction_call(*node));
        steps.sort_by_key(|(_, s, _)| s.line);
        steps
    }

    /// Python commits: each `commit()` ends a transaction, so two in one function with writes
    /// before each are two transactions.
    fn commits(&self) -> Vec<(u32, WriteStep, Node<'t>)> {
        if !self.python {
            return Vec::new();
        }
        self.chains
            .iter()
            .filter(|c| {
                c.links.len() == 1 && self.call(c.links[0]).name == "commit" && !c.base.is_empty()
            })
            .map(|c| {
                (
                    c.scope,
                    WriteStep {
                        line: line_of(c.outer),
                        end_line: end_line_of(c.outer),
                        table: None,
                        what: format!("{}.commit()", c.base),
                    },
                    c.outer,
                )
            })
            .collect()
    }

    fn write_groups(&self, sites: &[(Site, usize)]) -> Vec<WriteGroup> {
        let mut out = self.groups(self.writes(sites));
        out.extend(self.groups(self.commits()));
        out.sort_by_key(|g| g.line);
        out
    }

    /// Per function, the largest sets of steps that can all run (different arms of an `if`
    /// or a `switch` never do), outside any transaction.
    fn groups(&self, steps: Vec<(u32, WriteStep, Node<'t>)>) -> Vec<WriteGroup> {
        let mut by_scope: HashMap<u32, Vec<(WriteStep, Node<'t>)>> = HashMap::new();
        for (scope, step, node) in steps {
            by_scope.entry(scope).or_default().push((step, node));
        }
        let mut out = Vec::new();
        let mut scopes: Vec<u32> = by_scope.keys().copied().collect();
        scopes.sort();
        for scope in scopes {
            let mut steps = by_scope.remove(&scope).unwrap_or_default();
            steps.sort_by_key(|(s, _)| s.line);
            if steps.len() < 2 || self.scope_is_transactional(scope) {
                continue;
            }
            // A write in a catch block undoes or records the failure: the code compensates.
            if steps
                .iter()
                .any(|(_, n)| self.ix.catches.iter().any(|c| contains(*c, *n)))
            {
                continue;
            }
            let arms: Vec<Vec<(usize, usize)>> =
                steps.iter().map(|(_, n)| self.arms_of(*n)).collect();
            let compatible = |a: usize, b: usize| {
                !arms[a].iter().any(|(branch, arm)| {
                    arms[b].iter().any(|(b2, arm2)| b2 == branch && arm2 != arm)
                })
            };
            let mut groups: Vec<Vec<usize>> = Vec::new();
            for seed in 0..steps.len() {
                let mut group = vec![seed];
                for j in 0..steps.len() {
                    if j != seed && group.iter().all(|&g| compatible(g, j)) {
                        group.push(j);
                    }
                }
                group.sort();
                if group.len() >= 2 && !groups.iter().any(|g| group.iter().all(|x| g.contains(x))) {
                    groups.retain(|g| !g.iter().all(|x| group.contains(x)));
                    groups.push(group);
                }
            }
            for group in groups {
                let writes: Vec<WriteStep> = group.iter().map(|&i| steps[i].0.clone()).collect();
                out.push(WriteGroup {
                    line: writes[0].line,
                    end_line: writes
                        .iter()
                        .map(|w| w.end_line)
                        .max()
                        .unwrap_or(writes[0].line),
                    writes,
                });
            }
        }
        out
    }

    fn read_modify_writes(&self, sites: &[(Site, usize)]) -> Vec<ReadModifyWrite> {
        let mut out = Vec::new();
        for &(node, key, field, target) in &self.ix.rmws {
            if key.is_some_and(|k| k != field) {
                continue;
            }
            if self.python {
                // `account.balance -= amount` counts when the function saves or commits after it.
                let object = target.map(|t| self.text(t)).unwrap_or("");
                if object.starts_with("self.") || object.starts_with("cls.") {
                    continue;
                }
                let scope = self.ix.scope(node);
                let saved = self.chains.iter().any(|c| {
                    c.scope == scope
                        && c.outer.start_byte() > node.end_byte()
                        && c.links
                            .iter()
                            .any(|&l| matches!(self.call(l).name, "save" | "commit" | "flush"))
                });
                if saved {
                    out.push(ReadModifyWrite {
                        line: line_of(node),
                        field: field.to_string(),
                        table: None,
                    });
                }
                continue;
            }
            // JS: the pair sits in the payload of an update or upsert.
            let owner = sites.iter().find(|(site, family)| {
                matches!(site.op, Op::Update | Op::Upsert)
                    && self.families[*family]
                        .iter()
                        .any(|&c| contains(self.chains[c].outer, node))
            });
            if let Some((site, _)) = owner {
                out.push(ReadModifyWrite {
                    line: line_of(node),
                    field: field.to_string(),
                    table: site.tables.first().map(|t| t.name.clone()),
                });
            }
        }
        out
    }

    fn drizzle_tables(&self) -> Vec<DrizzleTable> {
        let mut out = Vec::new();
        for chain in &self.chains {
            let first = self.call(chain.links[0]);
            if !first.plain || !DRIZZLE_TABLE_FUNCTIONS.contains(&first.name) {
                continue;
            }
            let (Some(var), Some(table)) = (chain.assigned_to, self.first_literal(chain.links[0]))
            else {
                continue;
            };
            let mut fields = Vec::new();
            for object in self.objects(chain.links[0]) {
                for (field, value, _) in self.keys(object) {
                    let column = value
                        .and_then(|v| self.chain_of_outer.get(&v.id()))
                        .and_then(|&c| self.first_literal(self.chains[c].links[0]))
                        .unwrap_or_else(|| field.clone());
                    fields.push((field, column));
                }
            }
            out.push(DrizzleTable {
                var: var.to_string(),
                table,
                fields,
            });
        }
        out
    }
}

fn is_table_name(text: &str) -> bool {
    !text.is_empty() && text.len() <= 80 && text.split('.').all(is_identifier)
}

/// `audit_log`, `activity_logs`, Prisma's `auditLog`; not `catalog` or `blog`.
pub fn is_log_table(table: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in last_segment(table).chars() {
        if c == '_' || c == '-' || (c.is_ascii_uppercase() && !word.is_empty()) {
            words.push(std::mem::take(&mut word));
        }
        if c != '_' && c != '-' {
            word.push(c.to_ascii_lowercase());
        }
    }
    words.push(word);
    words.iter().any(|w| LOG_TABLES.contains(&w.as_str()))
}

/// `created_at__gte` → (`created_at`, range); `org__name` (a relation) → no column.
fn django_lookup(key: &str) -> (Option<&str>, Filter) {
    let mut parts = key.split("__");
    let column = parts.next().unwrap_or(key);
    match parts.next() {
        None | Some("exact") | Some("iexact") => (Some(column), Filter::Eq),
        Some("in") => (Some(column), Filter::In),
        Some("gt" | "gte" | "lt" | "lte" | "range" | "date" | "year") => {
            (Some(column), Filter::Range)
        }
        Some("contains" | "icontains" | "startswith" | "istartswith") => {
            (Some(column), Filter::Like)
        }
        Some("isnull") => (Some(column), Filter::Null),
        Some(_) => (None, Filter::Eq),
    }
}

fn push_column(out: &mut Vec<ColumnUse>, column: &str, line: u32, filter: Filter) {
    let column = column.trim();
    if is_identifier(column)
        && !out
            .iter()
            .any(|c| c.column == column && c.filter == filter && c.qualifier.is_none())
    {
        out.push(ColumnUse {
            column: column.to_string(),
            qualifier: None,
            line,
            filter,
        });
    }
}

/// Cheap test before running the query: the file names something that reaches a database,
/// the network or an SDK (every site, loop call and write needs one of these).
fn worth_scanning(text: &str) -> bool {
    const NEEDLES: &[&str] = &[
        "from(",
        "table(",
        "prisma",
        "findMany",
        "findFirst",
        "findUnique",
        ".create(",
        ".update(",
        ".upsert(",
        ".delete(",
        ".insert(",
        "query",
        "execute",
        "objects.",
        "select(",
        "sql",
        "knex",
        "fetch",
        "axios",
        "ky.",
        "got(",
        "requests.",
        "httpx",
        "urlopen",
        ".send",
        "mail",
        "Mail",
        "stripe",
        "openai",
        "anthropic",
        "s3",
        "redis",
        "kv.",
        "rpc(",
        "invoke(",
        "auth.admin",
        "signUp",
        ".save(",
        "commit(",
        "Table(",
        "raw(",
        "twilio",
        "slack",
        "algolia",
        "pusher",
        "octokit",
        "firestore",
    ];
    NEEDLES.iter().any(|n| text.contains(n))
}

pub fn scan(file: &SourceFile) -> DataScan {
    let parsed = matches!(
        file.lang,
        Lang::TypeScript | Lang::Tsx | Lang::JavaScript | Lang::Python
    );
    if !parsed || file.tree.is_none() || file.is_test() || !worth_scanning(file.text) {
        return DataScan::default();
    }
    let s = Scanner::new(file);
    let sites = s.sites();
    DataScan {
        loops: s.loops(&sites),
        write_groups: s.write_groups(&sites),
        read_modify_writes: s.read_modify_writes(&sites),
        drizzle_tables: s.drizzle_tables(),
        sites: sites.into_iter().map(|(s, _)| s).collect(),
    }
}
