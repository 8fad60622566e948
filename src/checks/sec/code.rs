//! The code model the SEC detectors share, built from one pass of the `sec_code` query (and
//! `sec_jsx` for JSX): functions, bindings, calls, strings and their interpolations, object
//! pairs, imports and every identifier, with the questions the detectors ask of them: is this
//! expression constant, which names hold request data, what does this string variable hold.
//!
//! It is deliberately small: names are resolved within one file, by scope containment, and
//! data flow is followed through bindings (`const { email } = await req.json()`), not through
//! calls into other functions.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;
use tree_sitter::Node;

use super::super::roles::normalize_callee;
use super::super::SourceFile;
use crate::lang::Lang;

pub(super) struct Func<'a> {
    pub node: Node<'a>,
    pub name: Option<&'a str>,
    pub params: Option<Node<'a>>,
    /// Python decorators, normalised (`app.post()`), and their first string argument.
    pub decorators: Vec<(String, Option<String>, Node<'a>)>,
}

/// A Python parameter: name, type annotation and default, as text.
pub(super) struct Param<'a> {
    pub node: Node<'a>,
    pub name: &'a str,
    pub ty: Option<&'a str>,
    pub default: Option<&'a str>,
}

pub(super) struct Def<'a> {
    pub node: Node<'a>,
    pub target: Node<'a>,
    pub value: Node<'a>,
}

pub(super) struct Call<'a> {
    pub node: Node<'a>,
    /// Normalised: `supabase.from().select().eq`.
    pub callee: String,
    pub args: Node<'a>,
}

impl Call<'_> {
    /// The last segment of the callee: `eq`, `execute`, `random`.
    pub fn method(&self) -> &str {
        self.callee.rsplit('.').next().unwrap_or(&self.callee)
    }

    /// A database write or query, or user management: `supabase.from().insert`,
    /// `prisma.user.create`, `cur.execute`, `User.objects.filter`, `auth.admin.createUser`.
    pub fn is_data(&self) -> bool {
        let method = self.method();
        if !WRITES.contains(&method) && !QUERIES.contains(&method) {
            return false;
        }
        let recv = &self.callee[..self.callee.len() - method.len()];
        if recv.contains("from()") || recv.contains("auth.admin") {
            return true;
        }
        let segments: Vec<String> = recv.split('.').filter(|s| !s.is_empty()).map(|s| s.trim_end_matches("()").to_ascii_lowercase()).collect();
        if segments.first().is_some_and(|s| s == "stripe") {
            return false;
        }
        segments.iter().any(|s| {
            RECEIVERS.contains(&s.as_str()) || s.starts_with("prisma") || s.starts_with("db") || s.ends_with("db") || s.ends_with("repository") || s.ends_with("model")
        })
            // Mongoose / Sequelize / Django models: `User.findOne(…)`, `Invoice.create(…)`.
            || (recv.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !recv.contains('('))
    }

    /// A data call that writes, anywhere in its chain (`from("t").update({…}).eq("id", id)`).
    pub fn is_write(&self) -> bool {
        self.is_data()
            && (self.callee.contains("auth.admin")
                || self.callee.split('.').any(|s| WRITES.contains(&s.trim_end_matches("()"))))
    }

    /// Reads what a query returns (`.single()`, `.fetchone()`): the result is stored data.
    fn reads_rows(&self) -> bool {
        self.is_data()
            || self.callee.contains("from()")
            || (["fetchone", "fetchall", "fetchmany", "fetchrow", "fetchval", "first", "one", "one_or_none", "scalar", "scalars", "all"]
                .contains(&self.method())
                && self.callee.contains('.')
                && !self.callee.starts_with("Promise."))
    }
}

const WRITES: [&str; 20] = [
    "insert", "update", "upsert", "delete", "create", "createMany", "updateMany", "upsertMany", "deleteMany", "save", "add", "set",
    "values", "createUser", "updateUserById", "inviteUserByEmail", "insert_one", "insert_many", "update_one", "bulk_create",
];
const QUERIES: [&str; 26] = [
    "eq", "neq", "match", "in", "filter", "or", "like", "ilike", "gt", "gte", "lt", "lte", "is", "contains", "findUnique",
    "findFirst", "findMany", "findOne", "findById", "find", "where", "query", "execute", "get", "rpc", "find_one",
];
/// Receivers of data calls, compared with each segment of the callee (lower case).
const RECEIVERS: [&str; 20] = [
    "prisma", "db", "supabase", "knex", "sql", "objects", "session", "cursor", "cur", "conn", "connection", "pool", "client",
    "repository", "repo", "collection", "model", "tx", "trx", "database",
];


pub(super) struct Pair<'a> {
    pub node: Node<'a>,
    pub key: Node<'a>,
    pub value: Node<'a>,
}

pub(super) struct Import {
    pub source: String,
    pub line: u32,
}

pub(super) struct Code<'a> {
    pub file: &'a SourceFile<'a>,
    pub python: bool,
    pub fns: Vec<Func<'a>>,
    pub params: Vec<Param<'a>>,
    pub defs: Vec<Def<'a>>,
    pub calls: Vec<Call<'a>>,
    pub pairs: Vec<Pair<'a>>,
    pub imports: Vec<Import>,
    /// Exported declarations and default exports (JS).
    pub exports: Vec<Node<'a>>,
    pub default_exports: Vec<Node<'a>>,
    /// Python classes: name and base classes text.
    pub classes: Vec<(&'a str, String)>,
    /// JSX attributes with an expression value: (attribute name, value).
    pub jsx: Vec<(&'a str, Node<'a>)>,
    pub compares: Vec<Node<'a>>,
    pub type_checks: Vec<Node<'a>>,
    templates: HashSet<usize>,
    subs: Vec<Node<'a>>,
    strings: HashSet<usize>,
    numbers: HashSet<usize>,
    concats: HashSet<usize>,
    /// `"…" % args` and `"…".format(args)`: node id → (format string, arguments).
    formats: HashMap<usize, (Node<'a>, Node<'a>)>,
    /// Identifiers (not attribute or keyword names), by start byte.
    names: Vec<(usize, &'a str)>,
}

/// Where request data comes from, for [`Code::request_names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sources {
    /// The request body only (JSON, form data): what SEC-INPUT asks about.
    Body,
    /// Anything the client controls: body, query string, path params, headers, cookies.
    Any,
}

impl<'a> Code<'a> {
    pub fn build(file: &'a SourceFile<'a>) -> Option<Code<'a>> {
        file.tree?;
        let python = file.lang == Lang::Python;
        let mut code = Code {
            file,
            python,
            fns: Vec::new(),
            params: Vec::new(),
            defs: Vec::new(),
            calls: Vec::new(),
            pairs: Vec::new(),
            imports: Vec::new(),
            exports: Vec::new(),
            default_exports: Vec::new(),
            classes: Vec::new(),
            jsx: Vec::new(),
            compares: Vec::new(),
            type_checks: Vec::new(),
            templates: HashSet::new(),
            subs: Vec::new(),
            strings: HashSet::new(),
            numbers: HashSet::new(),
            concats: HashSet::new(),
            formats: HashMap::new(),
            names: Vec::new(),
        };
        let mut not_names: HashSet<usize> = HashSet::new();
        let mut decorators: Vec<(Node, Node)> = Vec::new();
        for m in file.matches("sec_code") {
            if let Some(n) = m.get("fn") {
                code.fns.push(Func {
                    node: n,
                    name: m.get("fn.name").map(|x| file.text_of(x)),
                    params: m.get("fn.params"),
                    decorators: Vec::new(),
                });
            } else if let (Some(p), Some(name)) = (m.get("param"), m.get("param.name")) {
                code.params.push(Param {
                    node: p,
                    name: file.text_of(name),
                    ty: m.get("param.type").map(|t| file.text_of(t)),
                    default: m.get("param.default").map(|t| file.text_of(t)),
                });
            } else if let (Some(d), Some(def)) = (m.get("decorator"), m.get("decorated")) {
                decorators.push((d, def));
            } else if let Some(n) = m.get("def").or_else(|| m.get("def.append")) {
                if let (Some(target), Some(value)) = (m.get("def.target"), m.get("def.value")) {
                    code.defs.push(Def { node: n, target, value });
                }
            } else if let Some(n) = m.get("format").or_else(|| m.get("percent")) {
                let recv = m.get("format.recv").or_else(|| m.get("percent.left"));
                let args = m.get("format.args").or_else(|| m.get("percent.args"));
                if let (Some(r), Some(a)) = (recv, args) {
                    code.formats.insert(n.id(), (r, a));
                }
            } else if let Some(n) = m.get("call") {
                if let (Some(callee), Some(args)) = (m.get("call.callee"), m.get("call.args")) {
                    code.calls.push(Call {
                        node: n,
                        callee: normalize_callee(file.text_of(callee)),
                        args,
                    });
                }
            } else if let Some(n) = m.get("pair") {
                if let (Some(key), Some(value)) = (m.get("pair.key"), m.get("pair.value")) {
                    code.pairs.push(Pair { node: n, key, value });
                }
            } else if let Some(s) = m.get("import.source") {
                code.imports.push(Import {
                    source: unquote(file.text_of(s)).to_string(),
                    line: file.lines(s).0,
                });
            } else if let Some(n) = m.get("export") {
                code.exports.push(n);
            } else if let Some(n) = m.get("export.default") {
                code.default_exports.push(n);
            } else if let Some(n) = m.get("class") {
                if let Some(name) = m.get("class.name") {
                    let bases = m.get("class.bases").map(|b| file.text_of(b).to_string()).unwrap_or_default();
                    code.classes.push((file.text_of(name), bases));
                }
                let _ = n;
            } else if let Some(n) = m.get("jsx") {
                if let (Some(a), Some(v)) = (m.get("jsx.attr"), m.get("jsx.value")) {
                    code.jsx.push((file.text_of(a), v));
                }
                let _ = n;
            } else if let Some(n) = m.get("template") {
                code.templates.insert(n.id());
            } else if let Some(n) = m.get("sub") {
                code.subs.push(n);
            } else if let Some(n) = m.get("str") {
                code.strings.insert(n.id());
            } else if let Some(n) = m.get("num") {
                code.numbers.insert(n.id());
            } else if let Some(n) = m.get("concat") {
                code.concats.insert(n.id());
            } else if let Some(n) = m.get("compare") {
                code.compares.push(n);
            } else if let Some(n) = m.get("typeof") {
                code.type_checks.push(n);
            } else if let Some(n) = m.get("name") {
                code.names.push((n.start_byte(), file.text_of(n)));
            } else if let Some(n) = m.get("not_name") {
                not_names.insert(n.start_byte());
            }
        }
        for m in file.matches("sec_jsx") {
            if let (Some(a), Some(v)) = (m.get("jsx.attr"), m.get("jsx.value")) {
                code.jsx.push((file.text_of(a), v));
            }
        }
        code.names.retain(|(start, _)| !not_names.contains(start));
        code.names.sort();
        code.names.dedup();
        code.fns.sort_by_key(|f| (f.node.start_byte(), std::cmp::Reverse(f.node.end_byte())));
        code.fns.dedup_by_key(|f| f.node.id());
        for (d, def) in decorators {
            if let Some(f) = code.fns.iter_mut().find(|f| f.node.id() == def.id()) {
                let first = code_first_string(file, d);
                f.decorators.push((normalize_callee(file.text_of(d)), first, d));
            }
        }
        code.defs.sort_by_key(|d| d.node.start_byte());
        code.calls.sort_by_key(|c| c.node.start_byte());
        Some(code)
    }

    pub fn text(&self, node: Node) -> &'a str {
        self.file.text_of(node)
    }

    /// The text without whitespace, except one space between two words (`await req.json()`).
    pub fn compact(&self, node: Node) -> String {
        compact(self.text(node))
    }

    pub fn line(&self, node: Node) -> u32 {
        self.file.lines(node).0
    }

    pub fn lines(&self, node: Node) -> (u32, u32) {
        self.file.lines(node)
    }

    /// Identifiers inside `node`.
    pub fn names_in(&self, node: Node) -> impl Iterator<Item = &'a str> + '_ {
        let (start, end) = (node.start_byte(), node.end_byte());
        let from = self.names.partition_point(|(s, _)| *s < start);
        self.names[from..]
            .iter()
            .take_while(move |(s, _)| *s < end)
            .map(|(_, n)| *n)
    }

    pub fn is_string(&self, node: Node) -> bool {
        self.strings.contains(&node.id()) && !self.templates.contains(&node.id())
    }

    pub fn is_template(&self, node: Node) -> bool {
        self.templates.contains(&node.id())
    }

    pub fn is_number(&self, node: Node) -> bool {
        self.numbers.contains(&node.id())
    }

    pub fn is_concat(&self, node: Node) -> bool {
        self.concats.contains(&node.id())
    }

    /// `"…" % args` or `"…".format(args)`: the format string and the arguments.
    pub fn format_of(&self, node: Node) -> Option<(Node<'a>, Node<'a>)> {
        self.formats.get(&node.id()).copied()
    }

    /// Interpolated expressions anywhere inside `node` (a concatenation of f-strings).
    pub fn subs_in(&self, node: Node) -> Vec<Node<'a>> {
        let range = node.byte_range();
        self.subs.iter().filter(|s| range.contains(&s.start_byte())).copied().collect()
    }

    /// Templates (f-strings, template literals) inside `scope` that are returned directly.
    pub fn returned_templates(&self, scope: Node) -> Vec<Node<'a>> {
        let text = self.file.text;
        let range = scope.byte_range();
        self.templates_in(range)
            .filter(|t| text[..t.start_byte()].trim_end().ends_with("return"))
            .collect()
    }

    fn templates_in(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = Node<'a>> + '_ {
        self.subs
            .iter()
            .filter_map(|s| s.parent())
            .filter(move |t| range.contains(&t.start_byte()) && self.templates.contains(&t.id()))
    }

    /// The content of a plain string literal, without quotes.
    pub fn string_value(&self, node: Node) -> Option<&'a str> {
        self.is_string(node).then(|| unquote(self.text(node)))
    }

    /// The interpolated expressions of a template / f-string.
    pub fn subs_of(&self, node: Node) -> Vec<Node<'a>> {
        self.subs
            .iter()
            .filter(|s| s.parent().is_some_and(|p| p.id() == node.id()))
            .copied()
            .collect()
    }

    /// The argument nodes of a call (positional and keyword, in order; comments left out).
    pub fn args(&self, call: &Call<'a>) -> Vec<Node<'a>> {
        let mut c = call.args.walk();
        call.args.named_children(&mut c).filter(|n| n.kind() != "comment").collect()
    }

    /// Positional arguments only (keyword arguments are pairs whose parent is the list).
    pub fn positional(&self, call: &Call<'a>) -> Vec<Node<'a>> {
        let keywords: HashSet<usize> = self.pairs_of(call.args).map(|p| p.node.id()).collect();
        self.args(call).into_iter().filter(|n| !keywords.contains(&n.id())).collect()
    }

    /// Pairs directly inside `node` (an object literal, a dict, an argument list).
    pub fn pairs_of(&self, node: Node) -> impl Iterator<Item = &Pair<'a>> + '_ {
        let id = node.id();
        self.pairs
            .iter()
            .filter(move |p| p.node.parent().is_some_and(|x| x.id() == id))
    }

    /// The key text of a pair, without quotes.
    pub fn key(&self, pair: &Pair) -> &'a str {
        unquote(self.text(pair.key))
    }

    /// The value of `key` directly inside `node` (case-insensitive key).
    pub fn value_of(&self, node: Node, key: &str) -> Option<Node<'a>> {
        self.pairs_of(node)
            .find(|p| self.key(p).eq_ignore_ascii_case(key))
            .map(|p| p.value)
    }

    /// The innermost function containing `node`.
    pub fn func_of(&self, node: Node) -> Option<&Func<'a>> {
        let at = node.start_byte();
        self.fns
            .iter()
            .filter(|f| f.node.start_byte() <= at && at < f.node.end_byte() && f.node.id() != node.id())
            .min_by_key(|f| f.node.end_byte() - f.node.start_byte())
    }

    /// The name a function is known by: its own, or the binding or pair it is the value of.
    pub fn func_name(&self, f: &Func<'a>) -> Option<&'a str> {
        if f.name.is_some() {
            return f.name;
        }
        let id = f.node.id();
        let parent = f.node.parent()?;
        self.defs
            .iter()
            .find(|d| d.value.id() == id || d.value.id() == parent.id())
            .map(|d| self.text(d.target))
            .or_else(|| self.pairs.iter().find(|p| p.value.id() == id).map(|p| self.key(p)))
    }

    /// Names of the functions enclosing `node`, innermost first.
    pub fn enclosing_names(&self, node: Node) -> Vec<&'a str> {
        let at = node.start_byte();
        let mut fns: Vec<&Func> = self
            .fns
            .iter()
            .filter(|f| f.node.start_byte() <= at && at < f.node.end_byte())
            .collect();
        fns.sort_by_key(|f| std::cmp::Reverse(f.node.start_byte()));
        fns.into_iter().filter_map(|f| self.func_name(f)).collect()
    }

    /// Bindings of `name` visible at `at`: in the functions enclosing it or at module level.
    pub fn defs_of(&self, name: &str, at: Node) -> Vec<&Def<'a>> {
        let pos = at.start_byte();
        self.defs
            .iter()
            .filter(|d| self.target_names(d).any(|n| n == name))
            .filter(|d| match self.func_of(d.node) {
                None => true,
                Some(f) => f.node.start_byte() <= pos && pos < f.node.end_byte(),
            })
            .collect()
    }

    /// The names a binding binds (`const { a, b: c } = …` binds a and c; `x.y = …` and
    /// `x[k] = …` count as binding x).
    pub fn target_names<'s>(&'s self, d: &'s Def<'a>) -> impl Iterator<Item = &'a str> + 's {
        let text = self.text(d.target);
        let member = text.contains(['.', '[']) && !text.starts_with(['{', '[', '(']);
        self.names_in(d.target).take(if member { 1 } else { usize::MAX })
    }

    /// Whether `node` evaluates to a value fixed in the code: literals, and names bound only
    /// to such values (UPPER_CASE names from elsewhere count as constants by convention).
    pub fn is_constant(&self, node: Node) -> bool {
        self.constant(node, 0)
    }

    fn constant(&self, node: Node, depth: u32) -> bool {
        if depth > 4 {
            return false;
        }
        if self.is_template(node) && !self.subs_of(node).iter().all(|s| self.constant(*s, depth + 1)) {
            return false;
        }
        let names: Vec<&str> = self.names_in(node).collect();
        names.iter().all(|name| {
            if matches!(*name, "undefined" | "NaN" | "Infinity") {
                return true;
            }
            let defs = self.defs_of(name, node);
            if defs.is_empty() {
                return is_upper_constant(name);
            }
            defs.iter().all(|d| d.value.id() != node.id() && self.constant(d.value, depth + 1))
        })
    }

    /// Python parameters of function `f`, in order.
    pub fn params_of(&self, f: &Func<'a>) -> Vec<&Param<'a>> {
        let Some(list) = f.params else { return Vec::new() };
        let mut out: Vec<&Param> = self
            .params
            .iter()
            .filter(|p| p.node.parent().is_some_and(|x| x.id() == list.id()))
            .collect();
        out.sort_by_key(|p| p.node.start_byte());
        out
    }

    /// The parameters of function `f`, as names.
    pub fn param_names(&self, f: &Func<'a>) -> Vec<&'a str> {
        f.params.map(|p| self.names_in(p).collect()).unwrap_or_default()
    }

    /// Names in the function containing `at` (and the functions enclosing it) that hold
    /// request data: bound from a request source, or from other such names. `handlers` are the
    /// functions known to receive a request, with the names of their request parameters.
    pub fn request_names(&self, at: Node, sources: Sources, seeds: &[&'a str]) -> HashSet<&'a str> {
        let Some(f) = self.outermost_handler_scope(at) else {
            return seeds.iter().copied().collect();
        };
        let (start, end) = (f.start_byte(), f.end_byte());
        let mut tainted: HashSet<&str> = seeds.iter().copied().collect();
        let reqs = self.request_objects(at);
        for _ in 0..3 {
            let before = tainted.len();
            for d in self.defs.iter().filter(|d| d.node.start_byte() >= start && d.node.end_byte() <= end) {
                if self.launders(d.value, sources) {
                    continue;
                }
                let from_source = self.is_request_source(d.value, sources, &reqs);
                // What a query returns is stored data, not the request.
                let from_names = !self.is_query_result(d.value) && self.names_in(d.value).any(|n| tainted.contains(n));
                if from_source || from_names {
                    tainted.extend(self.target_names(d));
                }
            }
            if tainted.len() == before {
                break;
            }
        }
        tainted
    }

    /// The outermost function enclosing `at`: data bound in a handler flows into its callbacks.
    fn outermost_handler_scope(&self, at: Node) -> Option<Node<'a>> {
        let pos = at.start_byte();
        self.fns
            .iter()
            .filter(|f| f.node.start_byte() <= pos && pos < f.node.end_byte())
            .max_by_key(|f| f.node.end_byte() - f.node.start_byte())
            .map(|f| f.node)
    }

    /// Names of request objects in scope at `at`: conventional names plus the first parameter
    /// of each enclosing function that looks like a handler's (`req`, `c`, `ctx`, `event`).
    pub fn request_objects(&self, at: Node) -> Vec<&'a str> {
        let mut names = vec!["req", "request", "c", "ctx", "context", "event"];
        let pos = at.start_byte();
        for f in self.fns.iter().filter(|f| f.node.start_byte() <= pos && pos < f.node.end_byte()) {
            if let Some(first) = self.param_names(f).first() {
                if first.to_ascii_lowercase().contains("req") {
                    names.push(first);
                }
            }
        }
        names
    }

    /// Whether `node` reads request data directly (`await req.json()`, `req.query.id`,
    /// `request.args.get("q")`, `searchParams.get("id")`).
    pub fn is_request_source(&self, node: Node, sources: Sources, reqs: &[&str]) -> bool {
        let text = self.compact(node);
        request_source(&text, sources, reqs)
    }

    /// `await supabase.from("t").select().eq("id", id).single()`, `cur.fetchone()`.
    pub fn is_query_result(&self, value: Node) -> bool {
        let end = value.end_byte();
        self.calls.iter().any(|c| {
            c.node.end_byte() == end
                && c.node.start_byte() >= value.start_byte()
                && self.file.text[value.start_byte()..c.node.start_byte()].trim().trim_start_matches("await").trim().is_empty()
                && c.reads_rows()
        })
    }

    /// Conversions that make request data harmless for the question asked: numbers for any
    /// source, schema parsing for bodies.
    fn launders(&self, value: Node, sources: Sources) -> bool {
        let text = self.compact(value);
        let text = text.trim_start_matches("await ");
        if NUMERIC.iter().any(|p| text.starts_with(p)) {
            return true;
        }
        sources == Sources::Body && is_validation_text(text)
    }
}

const NUMERIC: [&str; 9] = ["Number(", "parseInt(", "parseFloat(", "int(", "float(", "Boolean(", "bool(", "Math.", "uuid.UUID("];

/// A call that validates with a schema: `schema.parse(x)`, `Body.safeParse(x)`,
/// `validate(x)`, `Model.model_validate(x)`, `serializer.is_valid()`.
pub(super) fn is_validation_text(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:^|[^\w])(?:[\w$]+\.)*(?:parse|safeParse|parseAsync|safeParseAsync|validate|validateSync|validateAsync|model_validate|model_validate_json|parse_obj|parse_raw|validate_python|is_valid)\(")
            .expect("validation regex")
    })
    .is_match(text)
        && !text.starts_with("JSON.parse(")
        && !text.starts_with("json.loads(")
        && !text.contains("Date.parse(")
}

/// Request-data sources by text (whitespace removed).
pub(super) fn request_source(text: &str, sources: Sources, reqs: &[&str]) -> bool {
    let body = [
        "json()", "body", "formData()", "text()", "parseBody()", "form", "get_json(", "data", "POST", "values", "files", "FILES",
    ];
    let any = [
        "query", "params", "param(", "queries(", "cookies", "headers", "header(", "url", "nextUrl", "args", "GET", "query_params",
        "path_params", "valid(", "ip",
    ];
    for r in reqs {
        let mut rest = text;
        while let Some(i) = rest.find(r) {
            let before_ok = i == 0 || {
                let c = rest.as_bytes()[i - 1];
                !(c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'$')
            };
            let after = &rest[i + r.len()..];
            rest = &rest[i + r.len()..];
            if !before_ok {
                continue;
            }
            let Some(after) = after.strip_prefix('.') else { continue };
            // Hono `c.req.json()`, Koa `ctx.request.body`.
            let after = after
                .strip_prefix("req.")
                .or_else(|| after.strip_prefix("request."))
                .unwrap_or(after);
            let hit = |list: &[&str]| {
                list.iter().any(|p| {
                    after.starts_with(p)
                        && after[p.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_')
                })
            };
            if hit(&body) || (sources == Sources::Any && hit(&any)) {
                return true;
            }
        }
    }
    if sources == Sources::Any {
        return text.contains("searchParams.get(") || text.contains("useSearchParams(") || text.contains("location.search") || text.contains("location.hash");
    }
    text.starts_with("JSON.parse(await req.text())") || text.starts_with("JSON.parse(event.body")
}

/// Whitespace removed, except one space where it separates two words.
pub(super) fn compact(text: &str) -> String {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && out.chars().next_back().is_some_and(word) && word(c) {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    }
    out
}

fn is_upper_constant(name: &str) -> bool {
    name.len() >= 2
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && name.chars().any(|c| c.is_ascii_uppercase())
}

/// A string literal without its quotes (and Python prefixes, JS backticks).
pub(super) fn unquote(text: &str) -> &str {
    let t = text.trim_start_matches(|c: char| matches!(c, 'f' | 'F' | 'r' | 'R' | 'b' | 'B' | 'u' | 'U'));
    for q in ["\"\"\"", "'''", "\"", "'", "`"] {
        if t.len() >= 2 * q.len() && t.starts_with(q) && t.ends_with(q) {
            return &t[q.len()..t.len() - q.len()];
        }
    }
    text
}

/// The first string argument of a decorator call (`@app.post("/login")` → `/login`).
fn code_first_string(file: &SourceFile, decorator: Node) -> Option<String> {
    let text = file.text_of(decorator);
    let open = text.find('(')?;
    let rest = text[open + 1..].trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = rest[1..].find(quote)?;
    Some(rest[1..1 + end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_sources_are_recognised_by_text() {
        let reqs = ["req", "request", "c"];
        assert!(request_source("await req.json()", Sources::Body, &reqs));
        assert!(request_source("req.body.email", Sources::Body, &reqs));
        assert!(request_source("await c.req.json()", Sources::Body, &reqs));
        assert!(request_source("request.get_json()", Sources::Body, &reqs));
        assert!(!request_source("req.query.id", Sources::Body, &reqs));
        assert!(request_source("req.query.id", Sources::Any, &reqs));
        assert!(request_source("request.args.get(\"q\")", Sources::Any, &reqs));
        assert!(!request_source("prereq.body", Sources::Any, &reqs));
        assert!(!request_source("request.bodyUsed", Sources::Body, &reqs));
        assert!(request_source("new URL(req.url).searchParams.get(\"id\")", Sources::Any, &reqs));
    }

    #[test]
    fn schema_calls_are_validation() {
        assert!(is_validation_text("schema.parse(await req.json())"));
        assert!(is_validation_text("CheckoutBody.safeParse(body)"));
        assert!(is_validation_text("LoginRequest.model_validate(data)"));
        assert!(!is_validation_text("JSON.parse(body)"));
    }
}
