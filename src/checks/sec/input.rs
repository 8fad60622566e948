//! SEC-INPUT: request bodies used without validation. A handler that reads the body
//! (`await req.json()`, `req.body`, `c.req.json()`, `request.get_json()`, `json.loads(
//! request.body)`, a FastAPI parameter typed `dict`) and passes its fields to a database
//! write or query, or to user management, with no schema in between: zod/yup/joi/valibot/
//! superstruct/ajv parsing, a validator middleware (`zValidator`, `celebrate`,
//! express-validator), a pydantic model in the signature or built from the body, a DRF
//! serializer or Django form (`is_valid()`), marshmallow (`load`), or a signed payload checked
//! by the provider's SDK (`stripe.webhooks.constructEvent`). Hand-written type checks
//! (`typeof x === "string"`, `isinstance`) validate the fields they check.

use std::collections::HashSet;

use tree_sitter::Node;

use super::code::{is_validation_text, Call, Code, Sources};
use super::routes::Route;
use super::{distinct, list, Spot};
use crate::catalogue::Confidence;

/// Calls that verify a signed payload: the body is the provider's, checked.
const VERIFIERS: [&str; 6] = ["constructEvent", "constructEventAsync", "verifyWebhook", "verifySignature", "verify_webhook", "construct_event"];
/// Validator middleware in a route's argument list or imported for the handler.
const MIDDLEWARE: [&str; 7] = ["zValidator(", "validator(", "celebrate(", "validate(", "checkSchema(", "body(", "vValidator("];

pub(super) fn scan(code: &Code, routes: &[Route]) -> Vec<Spot> {
    let mut out = Vec::new();
    let mut handlers: Vec<(Node, Option<&Route>)> = routes.iter().filter_map(|r| r.handler.map(|h| (h, Some(r)))).collect();
    // Controllers defined apart from their route: `export async function create(req, res)`.
    for f in &code.fns {
        let first = code.param_names(f).first().copied();
        if matches!(first, Some("req" | "request" | "ctx")) && code.func_of(f.node).is_none() && !handlers.iter().any(|(h, _)| h.id() == f.node.id()) {
            handlers.push((f.node, None));
        }
    }
    for (handler, route) in handlers {
        if let Some(spot) = handler_input(code, handler, route) {
            out.push(spot);
        }
    }
    out
}

fn handler_input(code: &Code, handler: Node, route: Option<&Route>) -> Option<Spot> {
    let range = handler.byte_range();
    let inside = |n: Node| range.contains(&n.start_byte());
    let reqs = code.request_objects(handler);
    if route.is_some_and(|r| r.middleware.iter().any(|m| MIDDLEWARE.iter().any(|v| m.contains(v)))) {
        return None;
    }
    // Where the body is read: bindings from it, direct uses of it, raw body parameters.
    let mut reads: Vec<Node> = code
        .defs
        .iter()
        .filter(|d| inside(d.node) && code.is_request_source(d.value, Sources::Body, &reqs))
        .map(|d| d.node)
        .collect();
    let raw_params: Vec<&str> = route.map(|r| r.raw_body_params.clone()).unwrap_or_default();
    let calls: Vec<&Call> = code.calls.iter().filter(|c| inside(c.node)).collect();
    let direct: Vec<&Call> = calls
        .iter()
        .copied()
        .filter(|c| c.is_data() && code.positional(c).iter().any(|a| code.is_request_source(*a, Sources::Body, &reqs)))
        .collect();
    if reads.is_empty() && raw_params.is_empty() && direct.is_empty() {
        return None;
    }
    // Validated or verified anywhere in the handler: nothing to report.
    let body_names = code.request_names(handler, Sources::Any, &raw_params);
    let validated = calls.iter().any(|c| {
        let text = code.compact(c.node);
        VERIFIERS.contains(&c.method())
            || (is_validation_text(&text) && (code.names_in(c.args).any(|n| body_names.contains(n)) || code.is_request_source(c.args, Sources::Body, &reqs)))
            || c.method() == "is_valid"
            || (c.method() == "load" && c.callee.to_ascii_lowercase().contains("schema"))
            || model_from_body(code, c, &body_names)
    });
    if validated {
        return None;
    }
    let tainted = code.request_names(handler, Sources::Body, &raw_params);
    let checked = checked_names(code, handler);
    let mut fields: Vec<String> = Vec::new();
    let mut sinks: Vec<(String, u32, bool)> = Vec::new();
    for c in calls.iter().filter(|c| c.is_data()) {
        let used: Vec<&str> = code
            .names_in(c.args)
            .filter(|n| tainted.contains(n) && !checked.contains(n))
            .collect();
        let direct_read = direct.iter().any(|d| d.node.id() == c.node.id());
        if used.is_empty() && !direct_read {
            continue;
        }
        for name in &used {
            fields.extend(roots(code, handler, &tainted, &reqs, name, 0));
        }
        if direct_read {
            fields.push("the whole body".into());
        }
        let sql_write = matches!(c.method(), "execute" | "query" | "run" | "executemany") && {
            let sql = code.text(c.args).to_ascii_uppercase();
            sql.contains("INSERT ") || sql.contains("UPDATE ") || sql.contains("DELETE ")
        };
        sinks.push((format!("{}()", c.callee), code.line(c.node), c.is_write() || sql_write));
    }
    if sinks.is_empty() {
        return None;
    }
    let fields = distinct(fields);
    let writes = sinks.iter().any(|(_, _, w)| *w);
    let sink_names = distinct(sinks.iter().map(|(s, _, _)| s.clone()));
    let at = reads
        .drain(..)
        .next()
        .map(|n| code.lines(n))
        .or_else(|| route.map(|r| (r.line, r.end_line)))
        .unwrap_or_else(|| (sinks[0].1, sinks[0].1));
    let message = format!(
        "{} from the request body {} into {} with no schema: {}",
        list(&fields, 4),
        if fields.len() == 1 && fields[0] != "the whole body" { "goes" } else { "go" },
        list(&sink_names, 3),
        if writes {
            "whatever a client sends (other types, extra fields, huge strings) is written as is"
        } else {
            "whatever a client sends (other types, operators, huge strings) reaches the query as is"
        }
    );
    let confidence = if writes { Confidence::High } else { Confidence::Medium };
    let mut spot = Spot::new(at, message, confidence);
    spot = spot.related(sinks[0].1, format!("used in {}", sinks[0].0));
    Some(spot)
}

/// The names bound straight from the body that `name` derives from (`customer` built from
/// `data["email"]` → `data`), so the message names what the client sent.
fn roots(code: &Code, handler: Node, tainted: &HashSet<&str>, reqs: &[&str], name: &str, depth: u32) -> Vec<String> {
    let range = handler.byte_range();
    let defs: Vec<_> = code.defs.iter().filter(|d| range.contains(&d.node.start_byte()) && code.target_names(d).any(|n| n == name)).collect();
    if depth > 4 || defs.is_empty() || defs.iter().any(|d| code.is_request_source(d.value, Sources::Body, reqs)) {
        return vec![name.to_string()];
    }
    let mut out = Vec::new();
    for d in defs {
        for n in code.names_in(d.value).filter(|n| tainted.contains(n) && *n != name) {
            out.extend(roots(code, handler, tainted, reqs, n, depth + 1));
        }
    }
    if out.is_empty() {
        out.push(name.to_string());
    }
    out
}

/// `LoginRequest(**data)`, `Schema(**body)`: a model class built from the body validates it.
fn model_from_body(code: &Code, c: &Call, body: &HashSet<&str>) -> bool {
    let name = c.callee.as_str();
    if !name.chars().next().is_some_and(|ch| ch.is_ascii_uppercase()) || name.contains('.') {
        return false;
    }
    let local_model = code.classes.iter().any(|(n, bases)| *n == name && ["BaseModel", "Schema", "Serializer", "Form", "Struct"].iter().any(|b| bases.contains(b)));
    let named_like_model = ["Schema", "Model", "Request", "Input", "Payload", "Body", "Create", "Update", "Serializer", "Form", "Dto", "DTO"]
        .iter()
        .any(|s| name.ends_with(s));
    (local_model || named_like_model) && code.names_in(c.args).any(|n| body.contains(n))
}

/// Names with a hand-written type check in the handler (`typeof x === "string"`,
/// `isinstance(x, str)`, `EMAIL_RE.test(x)`, `Number.isInteger(x)`).
fn checked_names<'a>(code: &Code<'a>, handler: Node) -> HashSet<&'a str> {
    let range = handler.byte_range();
    let mut out: HashSet<&str> = HashSet::new();
    for n in code.type_checks.iter().filter(|n| range.contains(&n.start_byte())) {
        out.extend(code.names_in(*n).filter(|n| !matches!(*n, "isinstance" | "str" | "int" | "float" | "bool" | "list" | "dict")));
    }
    for c in code.calls.iter().filter(|c| range.contains(&c.node.start_byte())) {
        if matches!(c.method(), "test" | "isInteger" | "isFinite" | "isEmail" | "isUUID" | "fullmatch" | "match") && !c.callee.contains("from()") {
            out.extend(code.names_in(c.args));
        }
    }
    out
}
