//! SEC-SQLI: SQL text built from strings (template literals, f-strings, `+`, `%`, `.format`)
//! and run by a query API. Parameterised calls (`execute("… %s", (x,))`, `query("… $1", [x])`)
//! and tagged templates (`` sql`…` ``, Prisma's `` $queryRaw`…` ``, postgres/slonik) are not
//! findings: their values are bound, never pasted. A value is pasted safely when it is a
//! constant, a number conversion, an escaping helper or a list of placeholders.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;
use tree_sitter::Node;

use super::code::{Call, Code, Sources};
use super::routes::Route;
use super::{distinct, list, Spot};
use crate::catalogue::Confidence;

/// Query APIs whose first argument is SQL text (last segment of the callee).
const JS_SINKS: [&str; 18] = [
    "query", "execute", "raw", "$queryRawUnsafe", "$executeRawUnsafe", "unsafe", "whereRaw", "orWhereRaw", "havingRaw",
    "orderByRaw", "groupByRaw", "joinRaw", "fromRaw", "selectRaw", "prepare", "exec", "run", "all",
];
const PY_SINKS: [&str; 15] = [
    "execute", "executemany", "executescript", "raw", "text", "RawSQL", "extra", "read_sql", "read_sql_query", "fetch",
    "fetchrow", "fetchval", "fetch_all", "fetch_one", "exec_driver_sql",
];

pub(super) fn scan(code: &Code, routes: &[Route]) -> Vec<Spot> {
    let mut out = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for call in &code.calls {
        let sinks: &[&str] = if code.python { &PY_SINKS } else { &JS_SINKS };
        if !sinks.contains(&call.method()) || call.callee.starts_with("console.") {
            continue;
        }
        // A tagged template (`sql\`…\``, `$queryRaw\`…\``) binds its values.
        if code.is_template(call.args) {
            continue;
        }
        let Some(arg) = code.positional(call).into_iter().next() else { continue };
        let Some(built) = build(code, arg, 0) else { continue };
        if !looks_like_sql(&built.literal) || built.parts.is_empty() {
            continue;
        }
        if !seen.insert(built.at.id()) {
            continue;
        }
        if let Some(spot) = judge(code, routes, call, &built) {
            out.push(spot);
        }
    }
    out
}

/// SQL text as the code builds it: the literal pieces and the pasted expressions.
struct Built<'a> {
    literal: String,
    parts: Vec<Node<'a>>,
    /// Where it is built (the string, or the binding of the variable passed).
    at: Node<'a>,
    how: &'static str,
}

fn build<'a>(code: &Code<'a>, node: Node<'a>, depth: u32) -> Option<Built<'a>> {
    if depth > 3 {
        return None;
    }
    let how = if code.python { "an f-string" } else { "a template literal" };
    if code.is_template(node) {
        return Some(Built { literal: code.text(node).to_string(), parts: code.subs_of(node), at: node, how });
    }
    if let Some((fmt, args)) = code.format_of(node) {
        let literal = code.text(fmt).to_string();
        let how = if code.text(node).contains(".format(") { "str.format()" } else { "% formatting" };
        return Some(Built { literal, parts: vec![args], at: node, how });
    }
    if code.is_concat(node) {
        let mut literal = String::new();
        let mut parts = Vec::new();
        for side in [node.child_by_field_name("left"), node.child_by_field_name("right")].into_iter().flatten() {
            match build(code, side, depth + 1) {
                Some(b) => {
                    literal.push_str(&b.literal);
                    parts.extend(b.parts);
                }
                None => parts.push(side),
            }
        }
        return Some(Built { literal, parts, at: node, how: "string concatenation" });
    }
    if code.is_string(node) {
        return Some(Built { literal: code.text(node).to_string(), parts: code.subs_in(node), at: node, how });
    }
    // A variable: what it was bound to (and appended with) before the call.
    let text = code.text(node);
    if !text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$') {
        return None;
    }
    let defs: Vec<_> = code.defs_of(text, node).into_iter().filter(|d| d.node.start_byte() < node.start_byte()).collect();
    let mut out: Option<Built> = None;
    for d in defs {
        let Some(b) = build(code, d.value, depth + 1) else { continue };
        match &mut out {
            None => out = Some(Built { at: d.node, ..b }),
            Some(o) => {
                o.literal.push_str(&b.literal);
                if !b.parts.is_empty() && o.parts.is_empty() {
                    o.at = d.node;
                    o.how = b.how;
                }
                o.parts.extend(b.parts);
            }
        }
    }
    out
}

fn looks_like_sql(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?is)\b(?:select\b.*\bfrom\b|insert\s+into\b|update\b.*\bset\b|delete\s+from\b|where\b|order\s+by\b|group\s+by\b|create\s+table\b|drop\s+table\b|alter\s+table\b|truncate\b|values\s*\()")
            .expect("sql regex")
    })
    .is_match(text)
}

/// Decides what the pasted parts are; a finding unless every part is safe.
fn judge(code: &Code, routes: &[Route], call: &Call, built: &Built) -> Option<Spot> {
    let seeds: Vec<&str> = routes
        .iter()
        .filter(|r| r.handler.is_some_and(|h| h.byte_range().contains(&call.node.start_byte())))
        .flat_map(|r| r.seeds.iter().copied())
        .collect();
    let tainted = code.request_names(call.node, Sources::Any, &seeds);
    let reqs = code.request_objects(call.node);
    let params: HashSet<&str> = code
        .func_of(call.node)
        .map(|f| code.param_names(f).into_iter().collect())
        .unwrap_or_default();
    let mut from_request = Vec::new();
    let mut unknown = Vec::new();
    for part in &built.parts {
        if safe_part(code, *part) {
            continue;
        }
        let names: Vec<String> = code.names_in(*part).map(str::to_string).collect();
        let label = names.first().cloned().unwrap_or_else(|| code.compact(*part).chars().take(40).collect());
        if code.is_request_source(*part, Sources::Any, &reqs) || names.iter().any(|n| tainted.contains(n.as_str())) {
            from_request.push(label);
        } else {
            unknown.push((label, names.iter().any(|n| params.contains(n.as_str()))));
        }
    }
    if from_request.is_empty() && unknown.is_empty() {
        return None;
    }
    let runner = format!("{}()", call.callee);
    let at = code.lines(built.at);
    let (message, confidence) = if !from_request.is_empty() {
        let names = distinct(from_request);
        (
            format!(
                "{} from the request {} pasted into SQL with {} and run by {runner}: a crafted value rewrites the query",
                list(&names, 4),
                if names.len() == 1 { "is" } else { "are" },
                built.how
            ),
            Confidence::High,
        )
    } else {
        let names = distinct(unknown.iter().map(|(n, _)| n.clone()));
        let param = unknown.iter().any(|(_, p)| *p);
        (
            format!(
                "{} {} pasted into SQL with {} and run by {runner}{}",
                list(&names, 4),
                if names.len() == 1 { "is" } else { "are" },
                built.how,
                if param { ": a caller passing user input can rewrite the query" } else { "; if it ever holds user input, the query can be rewritten" }
            ),
            Confidence::Medium,
        )
    };
    Some(Spot::new(at, message, confidence).related(code.line(call.node), format!("run by {runner}")))
}

/// Pasted values that cannot change the SQL's structure (a variable: whatever it was bound to).
fn safe_part(code: &Code, part: Node) -> bool {
    safe_value(code, part, 0)
}

fn safe_value(code: &Code, part: Node, depth: u32) -> bool {
    if code.is_constant(part) || code.is_number(part) {
        return true;
    }
    let text = code.compact(part);
    let name = text.trim_start_matches("${").trim_start_matches('{').trim_end_matches('}');
    if depth < 3 && !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$') {
        let defs = code.defs_of(name, part);
        if !defs.is_empty() && defs.iter().all(|d| safe_value(code, d.value, depth + 1)) {
            return true;
        }
    }
    let text = text.as_str();
    const SAFE_CALLS: [&str; 17] = [
        "Number(", "parseInt(", "parseFloat(", "int(", "float(", "escape(", "escapeLiteral(", "escapeIdentifier(", "quote_ident(",
        "quote_literal(", "sql.Identifier(", "sql.Literal(", "format(", "mysql.escape(", "SqlString.escape(", "Prisma.sql",
        "uuid.UUID(",
    ];
    if SAFE_CALLS.iter().any(|c| text.starts_with(c) || text.contains(&format!(".{c}"))) {
        return true;
    }
    // `ids.map((_, i) => `$${i + 1}`).join(", ")`, `",".join(["%s"] * len(ids))`: placeholders.
    if text.contains("join(") {
        static RE: OnceLock<Regex> = OnceLock::new();
        let literal = RE.get_or_init(|| Regex::new(r#"["'`]([^"'`]*)["'`]"#).expect("literal regex"));
        static INTERPOLATION: OnceLock<Regex> = OnceLock::new();
        let interpolation = INTERPOLATION.get_or_init(|| Regex::new(r"\$\{[^}]*\}").expect("interpolation regex"));
        let literals: Vec<String> = literal
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| interpolation.replace_all(m.as_str(), "").into_owned())
            .collect();
        return !literals.is_empty()
            && literals.iter().all(|l| l.chars().all(|c| matches!(c, '?' | '$' | '%' | 's' | ',' | ' ' | ':' | '(' | ')') || c.is_ascii_digit()));
    }
    false
}
