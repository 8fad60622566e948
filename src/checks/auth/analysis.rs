//! Reading one handler: the syntax the queries collected for a file (calls, bindings,
//! object properties, comparisons), cut to the handler's byte range, becomes the evidence of an
//! [`Endpoint`]: authentication, data access, record lookups by request input, caches.
//! Shared by JavaScript/TypeScript and Python; API names live here, syntax in `queries/`.

use std::collections::{BTreeMap, HashSet};

use tree_sitter::Node;

use super::model::{CacheUse, Danger, DataUse, Endpoint, Record, Store};
use super::text::{self, literal};
use super::words;
use crate::checks::roles::normalize_callee;
use crate::checks::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub end_line: u32,
}

impl Span {
    pub fn of(file: &SourceFile, node: Node) -> Span {
        let (line, end_line) = file.lines(node);
        Span {
            start: node.start_byte(),
            end: node.end_byte(),
            line,
            end_line,
        }
    }

    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

#[derive(Debug, Clone)]
pub struct Arg {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Call {
    pub span: Span,
    /// Normalised callee (`supabase.from().select().eq`).
    pub callee: String,
    /// The argument list (its line is where `.eq(` sits in a multi-line chain).
    pub args_span: Span,
    pub args: Vec<Arg>,
}

impl Call {
    pub fn method(&self) -> &str {
        self.callee.rsplit('.').next().unwrap_or(&self.callee)
    }

    pub fn root(&self) -> &str {
        self.callee.split('.').next().unwrap_or(&self.callee)
    }

    pub fn arg(&self, i: usize) -> Option<&str> {
        self.args.get(i).map(|a| a.text.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Decl {
    pub span: Span,
    pub names: Vec<String>,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct Pair {
    pub span: Span,
    pub key: String,
    pub value: String,
    pub value_span: Span,
}

#[derive(Debug, Clone)]
pub struct Compare {
    pub span: Span,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Func {
    pub span: Span,
    pub name: String,
}

/// A file's syntax as the AUTH queries see it.
#[derive(Debug, Default)]
pub struct Syntax {
    pub calls: Vec<Call>,
    pub decls: Vec<Decl>,
    pub pairs: Vec<Pair>,
    pub compares: Vec<Compare>,
    pub functions: Vec<Func>,
}

impl Syntax {
    /// Runs the `auth_calls`, `auth_decls`, `auth_objects`/`auth_kwargs`, `auth_compare` and
    /// `auth_functions` queries of the file's language.
    pub fn collect(file: &SourceFile) -> Syntax {
        let mut s = Syntax::default();
        for m in file.matches("auth_calls") {
            let (Some(call), Some(callee), Some(args)) =
                (m.get("call"), m.get("callee"), m.get("args"))
            else {
                continue;
            };
            s.calls.push(Call {
                span: Span::of(file, call),
                callee: normalize_callee(file.text_of(callee)),
                args_span: Span::of(file, args),
                args: arguments(file, args, m.get("arg")),
            });
        }
        for m in file.matches("auth_decls") {
            let (Some(decl), Some(name), Some(value)) =
                (m.get("decl"), m.get("name"), m.get("value"))
            else {
                continue;
            };
            s.decls.push(Decl {
                span: Span::of(file, decl),
                names: text::bound_names(file.text_of(name)),
                value: file.text_of(value).to_string(),
            });
        }
        let pair_query = if file.lang == crate::lang::Lang::Python {
            "auth_kwargs"
        } else {
            "auth_objects"
        };
        for m in file.matches(pair_query) {
            if let (Some(pair), Some(key), Some(value)) =
                (m.get("pair"), m.get("key"), m.get("value"))
            {
                let key = file.text_of(key);
                s.pairs.push(Pair {
                    span: Span::of(file, pair),
                    key: literal(key).unwrap_or_else(|| key.to_string()),
                    value: file.text_of(value).to_string(),
                    value_span: Span::of(file, value),
                });
            } else if let Some(short) = m.get("shorthand") {
                let name = file.text_of(short).to_string();
                s.pairs.push(Pair {
                    span: Span::of(file, short),
                    key: name.clone(),
                    value: name,
                    value_span: Span::of(file, short),
                });
            }
        }
        for m in file.matches("auth_compare") {
            if let Some(c) = m.get("compare") {
                s.compares.push(Compare {
                    span: Span::of(file, c),
                    text: file.text_of(c).to_string(),
                });
            }
        }
        let function_query = if file.lang == crate::lang::Lang::Python {
            "auth_endpoints"
        } else {
            "auth_functions"
        };
        for m in file.matches(function_query) {
            if let (Some(f), Some(name)) = (m.get("function"), m.get("name")) {
                let span = Span::of(file, f);
                if !s.functions.iter().any(|g| g.span == span) {
                    s.functions.push(Func {
                        span,
                        name: file.text_of(name).to_string(),
                    });
                }
            }
        }
        s
    }

    pub fn calls_in<'s>(&'s self, range: &'s Span) -> impl Iterator<Item = &'s Call> + 's {
        self.calls.iter().filter(move |c| range.contains(&c.span))
    }

    pub fn function(&self, name: &str) -> Option<&Func> {
        self.functions.iter().find(|f| f.name == name)
    }

    pub fn decl_value(&self, name: &str, before: usize) -> Option<&str> {
        self.decls
            .iter()
            .filter(|d| d.span.start < before && d.names.iter().any(|n| n == name))
            .last()
            .map(|d| d.value.as_str())
    }
}

/// The direct arguments of a call: the argument list's named children (quantified captures
/// stop at the first), or the template itself for a tagged template.
fn arguments(file: &SourceFile, args: Node, single: Option<Node>) -> Vec<Arg> {
    let nodes: Vec<Node> = match single {
        Some(a) if a.id() == args.id() => vec![a],
        _ => {
            let mut cursor = args.walk();
            args.named_children(&mut cursor).collect()
        }
    };
    nodes
        .into_iter()
        .map(|a| Arg {
            span: Span::of(file, a),
            text: file.text_of(a).to_string(),
        })
        .collect()
}

/// What the handler's surroundings say about its names.
#[derive(Debug, Default)]
pub struct Context {
    /// Names that hold request input before the handler runs (Python route parameters).
    pub tainted: HashSet<String>,
    /// Names that hold the authenticated caller (`user = Depends(get_current_user)`).
    pub users: HashSet<String>,
    /// Module-level cache objects (`const cache = new Map()`, `redis`).
    pub caches: HashSet<String>,
    /// The file imports a helper that builds a Supabase client from the request's cookies.
    pub imports_user_client: bool,
}

const BUILTIN_ROOTS: &[&str] = &[
    "Array",
    "Buffer",
    "Object",
    "Promise",
    "Observable",
    "Rx",
    "Readable",
    "Stream",
    "Set",
    "Map",
    "Uint8Array",
    "String",
    "Number",
    "JSON",
    "Math",
    "Date",
    "console",
    "Intl",
    "Reflect",
    "Symbol",
];
const PRISMA_METHODS: &[&str] = &[
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "findMany",
    "update",
    "updateMany",
    "delete",
    "deleteMany",
    "upsert",
    "count",
    "aggregate",
];
const MONGOOSE_METHODS: &[&str] = &[
    "findById",
    "findByIdAndUpdate",
    "findByIdAndDelete",
    "findByIdAndRemove",
    "findOne",
    "findOneAndUpdate",
    "findOneAndDelete",
    "updateOne",
    "deleteOne",
];
const SQL_METHODS: &[&str] = &[
    "query",
    "execute",
    "executemany",
    "raw",
    "$queryRaw",
    "$queryRawUnsafe",
    "$executeRaw",
    "$executeRawUnsafe",
    "unsafe",
    "many",
    "one",
    "oneOrNone",
    "manyOrNone",
    "any",
    "none",
    "fetch",
    "fetchrow",
    "fetchval",
    "fetchone",
    "fetchall",
];
const SQL_ROOTS: &[&str] = &[
    "pool",
    "client",
    "db",
    "sql",
    "conn",
    "connection",
    "pg",
    "knex",
    "prisma",
    "database",
    "tx",
    "cur",
    "cursor",
    "session",
    "engine",
];
const WRITE_METHODS: &[&str] = &[
    "insert",
    "update",
    "upsert",
    "delete",
    "updateMany",
    "deleteMany",
    "findByIdAndUpdate",
    "findByIdAndDelete",
    "findByIdAndRemove",
    "findOneAndUpdate",
    "findOneAndDelete",
    "updateOne",
    "deleteOne",
    "save",
    "create",
    "bulk_create",
];
const CLIENT_FACTORIES: &[&str] = &[
    "createClient",
    "createServerClient",
    "createRouteHandlerClient",
    "createServerComponentClient",
    "createServerActionClient",
    "createPagesServerClient",
    "createServerSupabaseClient",
    "createMiddlewareClient",
    "create_client",
];

/// The caller's names and the request's, from the handler's bindings (two passes, so
/// `const body = await req.json(); const { id } = body;` taints `id`).
fn names(syn: &Syntax, range: &Span, ctx: &Context) -> (HashSet<String>, HashSet<String>) {
    let mut tainted = ctx.tainted.clone();
    let mut users = ctx.users.clone();
    for _ in 0..2 {
        for d in syn.decls.iter().filter(|d| range.contains(&d.span)) {
            let value = d.value.as_str();
            if text::reads_request(value) || text::mentions_any(value, &tainted) {
                tainted.extend(d.names.iter().cloned());
            } else if words::mentions_identity(value)
                || text::mentions_any(value, &users)
                || value.contains("getUser")
            {
                users.extend(d.names.iter().filter(|n| !tainted.contains(*n)).cloned());
            }
        }
    }
    (tainted, users)
}

fn is_tainted(value: &str, tainted: &HashSet<String>) -> bool {
    text::reads_request(value) || text::mentions_any(value, tainted)
}

fn is_callers(value: &str, tainted: &HashSet<String>, users: &HashSet<String>) -> bool {
    !is_tainted(value, tainted)
        && (text::mentions_any(value, users) || words::mentions_identity(value))
}

fn short(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        format!("{}…", one.chars().take(57).collect::<String>())
    } else {
        one
    }
}

/// The column a filter names: `"org_id"`, `invoices.id`, `Invoice.id`, `pk__exact`.
fn column_of(text: &str) -> String {
    let t = literal(text).unwrap_or_else(|| text.trim().to_string());
    let t = t.rsplit('.').next().unwrap_or(&t).to_string();
    t.split("__").next().unwrap_or(&t).to_string()
}

/// A database query: its calls share the start byte of the chain (`supabase.from()…eq()`).
struct Chain<'s> {
    outer: &'s Call,
    calls: Vec<&'s Call>,
}

fn chains<'s>(syn: &'s Syntax, range: &'s Span) -> Vec<Chain<'s>> {
    let mut by_start: BTreeMap<usize, Vec<&'s Call>> = BTreeMap::new();
    for c in syn.calls_in(range) {
        by_start.entry(c.span.start).or_default().push(c);
    }
    by_start
        .into_values()
        .filter_map(|mut calls| {
            calls.sort_by_key(|c| c.span.end);
            let outer = *calls.last()?;
            Some(Chain { outer, calls })
        })
        .collect()
}

/// Filters of one chain as (column, value text, line), and what it queries.
struct Query {
    store: Store,
    client: String,
    table: String,
    write: bool,
    line: u32,
    filters: Vec<(String, String, u32)>,
}

fn pairs_in<'s>(syn: &'s Syntax, span: &'s Span) -> impl Iterator<Item = &'s Pair> + 's {
    syn.pairs.iter().filter(move |p| span.contains(&p.span))
}

fn eq_calls(syn: &Syntax, span: &Span) -> Vec<(String, String, u32)> {
    syn.calls_in(span)
        .filter(|c| c.callee == "eq" && c.args.len() >= 2)
        .map(|c| {
            (
                column_of(&c.args[0].text),
                c.args[1].text.clone(),
                c.args_span.line,
            )
        })
        .collect()
}

fn comparisons_eq(text: &str, line: u32) -> Vec<(String, String, u32)> {
    // SQLAlchemy `Invoice.id == invoice_id`, `Invoice.owner_id == user.id`.
    let mut out = Vec::new();
    for part in text.split(['(', ',', '&', '|']) {
        if let Some((l, r)) = part.split_once("==") {
            let r = r.trim().trim_end_matches(')').trim();
            if l.contains('.') && !r.is_empty() {
                out.push((column_of(l), r.to_string(), line));
            }
        }
    }
    out
}

fn query_of(
    syn: &Syntax,
    chain: &Chain,
    resolve: &dyn Fn(&str, usize) -> Option<String>,
) -> Option<Query> {
    let outer = chain.outer;
    let root = outer.root().to_string();
    if BUILTIN_ROOTS.contains(&root.as_str()) {
        return None;
    }
    let any_method = |m: &[&str]| chain.calls.iter().any(|c| m.contains(&c.method()));
    // supabase-js / supabase-py: .from("t") / .table("t")
    if let Some(from) = chain.calls.iter().find(|c| {
        matches!(c.method(), "from" | "table")
            && c.arg(0)
                .is_some_and(|a| text::constant_literal(a).is_some())
    }) {
        if outer.callee.contains(".storage.") {
            return Some(Query {
                store: Store::Supabase,
                client: root,
                table: "storage".into(),
                write: any_method(&["upload", "remove", "move"]),
                line: outer.span.line,
                filters: Vec::new(),
            });
        }
        let table = text::constant_literal(from.arg(0).unwrap_or_default()).unwrap_or_default();
        let mut filters = Vec::new();
        for c in &chain.calls {
            match c.method() {
                "eq" | "in" | "in_" if c.args.len() >= 2 => filters.push((
                    column_of(&c.args[0].text),
                    c.args[1].text.clone(),
                    c.args_span.line,
                )),
                "filter" if c.args.len() >= 3 => filters.push((
                    column_of(&c.args[0].text),
                    c.args[2].text.clone(),
                    c.args_span.line,
                )),
                "match" => {
                    for p in c
                        .args
                        .first()
                        .into_iter()
                        .flat_map(|a| pairs_in(syn, &a.span))
                    {
                        filters.push((p.key.clone(), p.value.clone(), p.span.line));
                    }
                }
                _ => {}
            }
        }
        return Some(Query {
            store: Store::Supabase,
            client: root,
            table,
            write: any_method(&["insert", "update", "upsert", "delete"]),
            line: outer.span.line,
            filters,
        });
    }
    let segments: Vec<&str> = outer.callee.split('.').collect();
    let method = outer.method();
    // Prisma (prisma.invoice.findUnique, ctx.db.invoice.update) and Drizzle's db.query.t.findFirst.
    if segments.len() >= 3 && PRISMA_METHODS.contains(&method) {
        let owners = &segments[..segments.len() - 2];
        if owners
            .iter()
            .any(|s| s.contains("prisma") || matches!(*s, "db" | "tx" | "database" | "query"))
        {
            let model = segments[segments.len() - 2].to_string();
            let mut filters = Vec::new();
            if let Some(arg) = outer.args.first() {
                if let Some(where_pair) = pairs_in(syn, &arg.span).find(|p| p.key == "where") {
                    for p in
                        pairs_in(syn, &where_pair.value_span).filter(|p| p.span != where_pair.span)
                    {
                        filters.push((p.key.clone(), p.value.clone(), p.span.line));
                    }
                    filters.extend(eq_calls(syn, &where_pair.value_span));
                }
            }
            return Some(Query {
                store: Store::Orm,
                client: segments[0].to_string(),
                table: model,
                write: WRITE_METHODS.contains(&method),
                line: outer.span.line,
                filters,
            });
        }
    }
    // Drizzle: db.select().from(t).where(eq(t.id, id)), db.update(t).set(…).where(…)
    if matches!(root.as_str(), "db" | "tx") && any_method(&["select", "update", "delete", "insert"])
    {
        let table = chain
            .calls
            .iter()
            .find(|c| matches!(c.method(), "from" | "update" | "delete") && c.args.len() == 1)
            .and_then(|c| c.arg(0))
            .unwrap_or_default()
            .to_string();
        if !table.is_empty() {
            return Some(Query {
                store: Store::Orm,
                client: root,
                table,
                write: any_method(&["update", "delete", "insert"]),
                line: outer.span.line,
                filters: eq_calls(syn, &outer.span),
            });
        }
    }
    // Mongoose: Invoice.findById(id), Invoice.findOne({ _id: id, owner: req.user.id })
    if segments.len() == 2
        && MONGOOSE_METHODS.contains(&method)
        && root.starts_with(|c: char| c.is_ascii_uppercase())
    {
        let mut filters = Vec::new();
        if method.starts_with("findById") {
            if let Some(a) = outer.args.first() {
                filters.push(("_id".to_string(), a.text.clone(), outer.args_span.line));
            }
        } else if let Some(a) = outer.args.first() {
            for p in pairs_in(syn, &a.span) {
                filters.push((p.key.clone(), p.value.clone(), p.span.line));
            }
        }
        return Some(Query {
            store: Store::Orm,
            client: root.clone(),
            table: root,
            write: WRITE_METHODS.contains(&method),
            line: outer.span.line,
            filters,
        });
    }
    // Django ORM: Invoice.objects.get(pk=pk), get_object_or_404(Invoice, pk=pk, owner=request.user)
    if outer.callee.contains(".objects.")
        || matches!(method, "get_object_or_404" | "get_list_or_404")
    {
        let table = if outer.callee.contains(".objects.") {
            outer
                .callee
                .split(".objects.")
                .next()
                .unwrap_or_default()
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .to_string()
        } else {
            outer.arg(0).unwrap_or_default().to_string()
        };
        let related = outer.callee.starts_with("request.user.") || outer.callee.contains("user.");
        let mut filters: Vec<(String, String, u32)> = chain
            .calls
            .iter()
            .flat_map(|c| pairs_in(syn, &c.args_span))
            .map(|p| (column_of(&p.key), p.value.clone(), p.span.line))
            .collect();
        if related {
            filters.push(("user".into(), "request.user".into(), outer.span.line));
        }
        return Some(Query {
            store: Store::Orm,
            client: "objects".into(),
            table,
            write: any_method(&["update", "delete", "save"]),
            line: outer.span.line,
            filters,
        });
    }
    // SQLAlchemy: session.query(Invoice).filter(Invoice.id == id), db.get(Invoice, id),
    // select(Invoice).where(…); Flask-SQLAlchemy Invoice.query.filter_by(…).
    let model_query =
        root.starts_with(|c: char| c.is_ascii_uppercase()) && outer.callee.contains(".query.");
    if any_method(&["filter", "filter_by", "where"])
        && (any_method(&["query", "select", "execute", "scalars", "scalar"]) || model_query)
        || (matches!(method, "get" | "get_or_404")
            && outer.args.len() == 2
            && SQL_ROOTS.contains(&root.as_str()))
    {
        let mut filters = Vec::new();
        let mut table = String::new();
        for c in &chain.calls {
            match c.method() {
                "filter" | "where" => {
                    for a in &c.args {
                        filters.extend(comparisons_eq(&a.text, a.span.line));
                    }
                }
                "filter_by" => {
                    for p in pairs_in(syn, &c.args_span) {
                        filters.push((p.key.clone(), p.value.clone(), p.span.line));
                    }
                }
                "query" | "select" => table = c.arg(0).unwrap_or_default().to_string(),
                _ if model_query && table.is_empty() => table = root.clone(),
                "get" | "get_or_404" if c.args.len() == 2 => {
                    table = c.arg(0).unwrap_or_default().to_string();
                    filters.push(("id".into(), c.args[1].text.clone(), c.args_span.line));
                }
                _ => {}
            }
        }
        if table.is_empty() {
            table = filters
                .first()
                .map(|_| "rows".to_string())
                .unwrap_or_default();
        }
        if !filters.is_empty() {
            return Some(Query {
                store: Store::Orm,
                client: root,
                table,
                write: any_method(&["update", "delete"]),
                line: outer.span.line,
                filters,
            });
        }
    }
    // Session work without filters: db.query(Invoice).all(), db.add(invoice), db.commit().
    if (SQL_ROOTS.contains(&root.as_str()) || model_query)
        && any_method(&[
            "add",
            "commit",
            "flush",
            "refresh",
            "merge",
            "scalars",
            "bulk_save_objects",
        ])
        || model_query
        || (SQL_ROOTS.contains(&root.as_str())
            && chain.calls.iter().any(|c| {
                c.method() == "query"
                    && c.arg(0)
                        .is_some_and(|a| a.starts_with(|ch: char| ch.is_ascii_uppercase()))
            }))
    {
        let table = chain
            .calls
            .iter()
            .find(|c| matches!(c.method(), "query" | "add" | "delete" | "merge"))
            .and_then(|c| c.arg(0))
            .map(|a| a.split('(').next().unwrap_or(a).to_string())
            .unwrap_or_else(|| {
                if model_query {
                    root.clone()
                } else {
                    "rows".into()
                }
            });
        return Some(Query {
            store: Store::Orm,
            client: root,
            table,
            write: any_method(&[
                "add",
                "commit",
                "delete",
                "merge",
                "flush",
                "bulk_save_objects",
            ]),
            line: outer.span.line,
            filters: Vec::new(),
        });
    }
    // Hand-written SQL: pool.query("… WHERE id = $1", [id]), cur.execute(f"… {org_id}"), sql`…${id}`
    let tagged = outer.callee == "sql" && outer.args.len() == 1;
    if tagged
        || (SQL_METHODS.contains(&method)
            && (SQL_ROOTS.contains(&root.as_str()) || segments.len() == 2))
    {
        let first = outer.args.first()?;
        let sql = if literal(&first.text).is_some() {
            first.text.clone()
        } else {
            resolve(first.text.trim(), outer.span.start)?
        };
        if !text::is_filtering_sql(&sql) && !sql.to_ascii_lowercase().contains("select") {
            return None;
        }
        let params = outer.arg(1).map(text::elements).unwrap_or_default();
        let filters = text::sql_comparisons(&sql, &params)
            .into_iter()
            .map(|(c, v)| (c, v, first.span.line))
            .collect();
        let lower = sql.to_ascii_lowercase();
        let table = sql_table(&lower);
        return Some(Query {
            store: Store::Sql,
            client: root,
            table,
            write: lower
                .trim_start_matches(|c: char| !c.is_ascii_alphabetic())
                .starts_with("update")
                || lower
                    .trim_start_matches(|c: char| !c.is_ascii_alphabetic())
                    .starts_with("delete"),
            line: outer.span.line,
            filters,
        });
    }
    None
}

fn sql_table(lower: &str) -> String {
    for kw in ["from ", "update ", "into "] {
        if let Some(i) = lower.find(kw) {
            let rest = &lower[i + kw.len()..];
            let name: String = rest
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.' || *c == '"')
                .collect();
            if !name.is_empty() {
                return name
                    .trim_matches('"')
                    .rsplit('.')
                    .next()
                    .unwrap_or(&name)
                    .to_string();
            }
        }
    }
    String::new()
}

/// Side effects on customer data or accounts that are not queries: email, payments, admin auth.
fn side_effect(call: &Call) -> Option<(&'static str, bool)> {
    let c = call.callee.as_str();
    if c.ends_with("emails.send")
        || c.ends_with("sendMail")
        || c.ends_with("sendEmail")
        || c.ends_with("send_mail")
        || c.ends_with("messages.create")
    {
        return Some(("sends email or messages", true));
    }
    if c.contains("auth.admin.") {
        return Some(("manages user accounts", true));
    }
    if call.root() == "stripe" && c.contains('.') {
        return Some(("calls Stripe", true));
    }
    None
}

/// The evidence of one handler spanning `range`.
pub fn analyse(
    file: &SourceFile,
    syn: &Syntax,
    range: Span,
    ctx: &Context,
    endpoint: &mut Endpoint,
) {
    let body = file.text.get(range.start..range.end).unwrap_or("");
    let (tainted, users) = names(syn, &range, ctx);
    let resolve = |name: &str, before: usize| syn.decl_value(name, before).map(str::to_string);

    let mut auth: Vec<String> = Vec::new();
    let mut calls: Vec<String> = Vec::new();
    for c in syn.calls_in(&range) {
        if words::is_auth_callee(&c.callee) && !auth.contains(&c.callee) {
            auth.push(c.callee.clone());
        }
        if !c.callee.contains('.')
            && !c.callee.is_empty()
            && !calls.contains(&c.callee)
            && calls.len() < 40
        {
            calls.push(c.callee.clone());
        }
        let factory = CLIENT_FACTORIES.contains(&c.method());
        if factory {
            let args: String = c
                .args
                .iter()
                .map(|a| a.text.as_str())
                .collect::<Vec<_>>()
                .join(",");
            let privileged = is_privileged_key_text(&args);
            if !privileged
                && (args.contains("Authorization")
                    || args.contains("cookies")
                    || args.contains("getAll")
                    || ctx.imports_user_client)
            {
                endpoint.user_client = true;
            }
        }
    }
    if text::answers_unauthorized(body) {
        auth.push("401/403 response".into());
    }
    if reads_middleware_identity(body) {
        auth.push("the user set by auth middleware".into());
    }
    auth.truncate(8);
    endpoint.auth.extend(auth);
    endpoint.calls.extend(calls);
    endpoint.signature |= text::verifies_signature(body);
    endpoint.env_gated |= text::env_gated(body);
    endpoint.role_check |= syn
        .compares
        .iter()
        .filter(|c| range.contains(&c.span))
        .any(|c| words::is_role_check_text(&c.text) || compares_secret_header(&c.text))
        || syn.calls_in(&range).any(|c| {
            let call_text = file.text.get(c.span.start..c.span.end).unwrap_or("");
            (words::is_role_check_text(&c.callee)
                && call_text.len() < 200
                && !WRITE_METHODS.contains(&c.method()))
                || c.callee.ends_with("timingSafeEqual")
                || c.callee.ends_with("compare_digest")
        });

    // Data access and record lookups.
    let all_chains = chains(syn, &range);
    let queries: Vec<Query> = all_chains
        .iter()
        .filter_map(|ch| query_of(syn, ch, &resolve))
        .collect();
    for q in &queries {
        endpoint.data.push(DataUse {
            line: q.line,
            client: q.client.clone(),
            what: q.table.clone(),
            write: q.write,
        });
    }
    for ch in &all_chains {
        if let Some((what, write)) = side_effect(ch.outer) {
            endpoint.data.push(DataUse {
                line: ch.outer.span.line,
                client: ch.outer.root().to_string(),
                what: what.to_string(),
                write,
            });
        }
    }
    endpoint
        .data
        .dedup_by(|a, b| a.line == b.line && a.what == b.what);
    let owner_scoped: Vec<&Query> = queries
        .iter()
        .filter(|q| {
            q.filters.iter().any(|(col, v, _)| {
                is_callers(v, &tainted, &users)
                    && (words::is_owner_column(col) || words::is_key_column(col))
            })
        })
        .collect();
    for q in &queries {
        let owner_filter = q
            .filters
            .iter()
            .any(|(_, v, _)| is_callers(v, &tainted, &users));
        for (col, value, line) in &q.filters {
            if !(words::is_key_column(col) || words::is_owner_column(col))
                || !is_tainted(value, &tainted)
            {
                continue;
            }
            let value_words: HashSet<String> = text::words(value).map(str::to_string).collect();
            let membership = owner_scoped.iter().any(|o| {
                !std::ptr::eq(*o, q)
                    && o.filters
                        .iter()
                        .any(|(_, v, _)| text::mentions_any(v, &value_words))
            });
            endpoint.records.push(Record {
                line: *line,
                end_line: *line,
                store: q.store,
                client: q.client.clone(),
                table: q.table.clone(),
                column: col.clone(),
                value: short(value),
                write: q.write,
                owner_filter,
                membership,
            });
            break;
        }
    }
    endpoint.owner_checks = syn
        .compares
        .iter()
        .filter(|c| range.contains(&c.span) && compares_owner(&c.text, &users))
        .map(|c| c.span.line)
        .collect();

    // Dangerous statements, caches, shared-cache headers.
    for n in range.line..=range.end_line {
        let line = file.line(n);
        if let Some(what) = text::dangerous_statement(line) {
            endpoint.danger.push(Danger {
                line: n,
                what: what.into(),
            });
        }
        if endpoint.public_cache.is_none() && text::public_cache_control(line) {
            endpoint.public_cache = Some(n);
        }
    }
    for c in syn.calls_in(&range) {
        let segments: Vec<&str> = c.callee.split('.').collect();
        if segments.len() != 2 || !ctx.caches.contains(segments[0]) {
            continue;
        }
        if !matches!(
            segments[1],
            "get"
                | "set"
                | "has"
                | "setex"
                | "getex"
                | "hget"
                | "hset"
                | "hgetall"
                | "wrap"
                | "getOrSet"
                | "put"
                | "remember"
        ) {
            continue;
        }
        let Some(key) = c.arg(0) else { continue };
        let key = if literal(key).is_none() && !key.contains('(') {
            resolve(key.trim(), c.span.start).unwrap_or_else(|| key.to_string())
        } else {
            key.to_string()
        };
        endpoint.caches.push(CacheUse {
            line: c.args_span.line,
            cache: segments[0].to_string(),
            key: short(&key),
        });
    }
}

/// Functions of the file that other files call: those that authenticate the caller and
/// those that touch data.
pub fn helpers(file: &SourceFile, syn: &Syntax, ctx: &Context, scan: &mut super::model::FileScan) {
    for f in &syn.functions {
        let mut probe = Endpoint::default();
        analyse(file, syn, f.span, ctx, &mut probe);
        if !probe.auth.is_empty() && !scan.auth_helpers.contains(&f.name) {
            scan.auth_helpers.push(f.name.clone());
        }
        if !probe.data.is_empty() && !scan.data_helpers.contains(&f.name) {
            scan.data_helpers.push(f.name.clone());
        }
    }
}

/// Supabase service-role keys by name or shape (`SUPABASE_SERVICE_ROLE_KEY`, `sb_secret_…`).
pub fn is_privileged_key_text(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("service_role")
        || lower.contains("servicerole")
        || lower.contains("service_key")
        || lower.contains("sb_secret_")
        || lower.contains("supabase_secret")
        || super::keys::jwt_roles(text)
            .iter()
            .any(|r| r == "service_role")
}

fn reads_middleware_identity(body: &str) -> bool {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r#"\b(?:req|request)\.(?:user|auth)\b|\bc\.get\(\s*["'](?:user|jwtPayload|session|auth|userId)["']|\bc\.var\.(?:user|session)\b|\blocals\.(?:user|session)\b|\brequest\.user\.is_authenticated\b|\bcurrent_user\.is_authenticated\b|\bg\.user\b"#,
        )
        .expect("valid regex")
    })
    .is_match(body)
}

fn compares_secret_header(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    (lower.contains("header")
        || lower.contains("x-")
        || lower.contains("authorization")
        || lower.contains("http_"))
        && (lower.contains("env") || lower.contains("secret"))
}

/// `invoice.userId !== session.user.id`, `doc.owner_id != current_user.id`.
fn compares_owner(text: &str, users: &HashSet<String>) -> bool {
    use std::sync::OnceLock;
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(
            r"\.(?:user_?[iI]d|owner_?[iI]d|org_?[iI]d|organization_?[iI]d|tenant_?[iI]d|team_?[iI]d|account_?[iI]d|workspace_?[iI]d|created_?[bB]y|author_?[iI]d|profile_?[iI]d|owner|user)\b",
        )
        .expect("valid regex")
    });
    let Some(m) = re.find(text) else { return false };
    let rest = format!("{}{}", &text[..m.start()], &text[m.end()..]);
    text::mentions_any(&rest, users) || words::mentions_identity(&rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_comparisons() {
        let users: HashSet<String> = ["user".to_string()].into();
        assert!(compares_owner(
            "invoice.userId !== session.user.id",
            &HashSet::new()
        ));
        assert!(compares_owner("doc.owner_id != user.id", &users));
        assert!(!compares_owner("invoice.status !== \"paid\"", &users));
    }
}
