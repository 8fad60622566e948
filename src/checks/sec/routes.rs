//! Request handlers in one file: Supabase/Deno `Deno.serve`, Express/Hono/Fastify routes,
//! Next.js route handlers and API routes, FastAPI/Flask decorators, Django views. SEC-INPUT,
//! SEC-RATE and SEC-SQLI ask which function receives a request and which of its parameters
//! carry request data.

use tree_sitter::Node;

use super::code::Code;

pub(super) struct Route<'a> {
    /// The declaration: the decorator, the `app.post(` call, `Deno.serve(`, `export … POST`.
    pub line: u32,
    pub end_line: u32,
    /// `/auth/login`, `accept-invite`, `POST /api/invites`.
    pub label: String,
    /// The handler function, when it is in this file.
    pub handler: Option<Node<'a>>,
    /// Parameters that carry request data (path, query or body), for Python handlers and the
    /// `{ params }` of Next.js route handlers.
    pub seeds: Vec<&'a str>,
    /// Python parameters typed as a raw `dict` / `Body()` (an unvalidated body).
    pub raw_body_params: Vec<&'a str>,
    /// Python parameters typed with a model class (validated by the framework).
    pub model_params: Vec<&'a str>,
    /// Route middleware and decorators, as text (`authLimiter`, `@limiter.limit("5/minute")`).
    pub middleware: Vec<String>,
}

const VERBS: [&str; 9] = ["get", "post", "put", "patch", "delete", "all", "options", "route", "api_route"];
const ROUTERS: [&str; 12] = ["app", "router", "api", "server", "route", "routes", "bp", "blueprint", "hono", "fastify", "r", "v1"];
const HTTP_EXPORTS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

pub(super) fn routes<'a>(code: &Code<'a>) -> Vec<Route<'a>> {
    let mut out = Vec::new();
    let path = code.file.path;
    let lower = path.to_ascii_lowercase();
    if code.python {
        python_routes(code, &lower, &mut out);
        return out;
    }
    for call in &code.calls {
        let args = code.positional(call);
        let fn_arg = |n: &Node| code.fns.iter().any(|f| f.node.id() == n.id());
        if call.callee == "Deno.serve" || call.callee == "serve" {
            if let Some(h) = args.iter().rev().find(|a| fn_arg(a)) {
                out.push(route(code, call.node, function_label(path), Some(*h)));
            }
            continue;
        }
        let (recv, verb) = call.callee.rsplit_once('.').unwrap_or(("", &call.callee));
        if !VERBS.contains(&verb) || !ROUTERS.iter().any(|r| recv.rsplit('.').next().is_some_and(|x| x.eq_ignore_ascii_case(r) || x.to_ascii_lowercase().ends_with("router"))) {
            continue;
        }
        let Some(route_path) = args.first().and_then(|a| code.string_value(*a)) else { continue };
        if !route_path.starts_with('/') && route_path != "*" {
            continue;
        }
        let rest = &args[1..];
        let handler = rest.iter().rev().find(|a| fn_arg(a)).copied();
        if handler.is_none() && !rest.last().is_some_and(|a| code.names_in(*a).next().is_some()) {
            continue;
        }
        let mut r = route(code, call.node, format!("{} {route_path}", verb.to_ascii_uppercase()), handler);
        r.middleware = rest
            .iter()
            .filter(|a| Some(**a) != handler)
            .map(|a| code.text(*a).chars().take(120).collect())
            .collect();
        out.push(r);
    }
    let app_route = lower.ends_with("/route.ts") || lower.ends_with("/route.js") || lower.ends_with("/route.tsx") || lower.starts_with("route.");
    let pages_api = lower.contains("pages/api/") || (lower.starts_with("api/") && !lower.contains("/_"));
    if app_route || pages_api {
        for export in code.exports.iter().chain(&code.default_exports) {
            for f in code.fns.iter().filter(|f| f.node.start_byte() >= export.start_byte() && f.node.end_byte() <= export.end_byte()) {
                // Only the exported function itself, not callbacks inside it.
                if code.func_of(f.node).is_some_and(|outer| outer.node.start_byte() >= export.start_byte()) {
                    continue;
                }
                let name = code.func_name(f).unwrap_or("");
                let default = code.default_exports.iter().any(|d| d.id() == export.id());
                if (app_route && HTTP_EXPORTS.contains(&name)) || (pages_api && default) {
                    let label = format!("{} {}", if name.is_empty() { "*" } else { name }, url_of(path));
                    let mut r = route(code, *export, label, Some(f.node));
                    // Next.js: `(req, { params })`: the second parameter carries the path.
                    let params = code.param_names(f);
                    if params.len() > 1 {
                        r.seeds.extend(params[1..].iter().copied());
                    }
                    out.push(r);
                }
            }
        }
    }
    out
}

fn route<'a>(code: &Code<'a>, decl: Node<'a>, label: String, handler: Option<Node<'a>>) -> Route<'a> {
    let line = code.line(decl);
    Route {
        line,
        end_line: line,
        label,
        handler,
        seeds: Vec::new(),
        raw_body_params: Vec::new(),
        model_params: Vec::new(),
        middleware: Vec::new(),
    }
}

fn python_routes<'a>(code: &Code<'a>, lower: &str, out: &mut Vec<Route<'a>>) {
    let django_views = lower.ends_with("views.py") || lower.contains("/views/") || lower.ends_with("api.py");
    let model_classes: Vec<&str> = code.classes.iter().map(|(n, _)| *n).collect();
    for f in &code.fns {
        let route_decorator = f.decorators.iter().find(|(d, _, _)| {
            let callee = d.split('(').next().unwrap_or(d);
            let (recv, verb) = callee.rsplit_once('.').unwrap_or(("", callee));
            (VERBS.contains(&verb) || verb == "websocket") && ROUTERS.iter().any(|r| recv.to_ascii_lowercase().ends_with(r))
                || callee == "api_view"
        });
        let params = code.params_of(f);
        let first = params.first().map(|p| p.name);
        let view = django_views && first == Some("request") && route_decorator.is_none();
        let method_view = matches!(f.name, Some("get" | "post" | "put" | "patch" | "delete"))
            && first == Some("self")
            && params.get(1).is_some_and(|p| p.name == "request");
        if route_decorator.is_none() && !view && !method_view {
            continue;
        }
        let (line, label) = match route_decorator {
            Some((d, first_string, node)) => {
                let verb = d.split('(').next().unwrap_or(d).rsplit('.').next().unwrap_or("").to_ascii_uppercase();
                (code.line(*node), format!("{verb} {}", first_string.clone().unwrap_or_else(|| f.name.unwrap_or("?").to_string())))
            }
            None => (code.line(f.node), f.name.unwrap_or("view").to_string()),
        };
        let mut r = route(code, f.node, label, Some(f.node));
        r.line = line;
        r.end_line = line;
        r.middleware = f.decorators.iter().map(|(d, _, n)| format!("@{d} {}", code.text(*n).chars().take(80).collect::<String>())).collect();
        for p in params {
            let ty = p.ty.unwrap_or("");
            let default = p.default.unwrap_or("");
            let injected = default.contains("Depends(") || default.contains("Security(")
                || ["self", "cls", "request", "db", "session", "background_tasks", "response", "websocket"].contains(&p.name)
                || ["Request", "Session", "AsyncSession", "BackgroundTasks", "Response", "WebSocket", "HTTPConnection", "Connection"]
                    .iter()
                    .any(|t| ty.ends_with(t));
            if injected {
                continue;
            }
            r.seeds.push(p.name);
            let base = ty.trim_start_matches("Optional[").trim_start_matches("Annotated[");
            let base = base.split([',', ']', '|']).next().unwrap_or("").trim();
            let raw = matches!(base, "dict" | "Dict" | "Any" | "list" | "List" | "Json") || default.starts_with("Body(") && !is_model_type(base, &model_classes);
            if raw {
                r.raw_body_params.push(p.name);
            } else if is_model_type(base, &model_classes) {
                r.model_params.push(p.name);
            }
        }
        out.push(r);
    }
}

/// A class type in a signature: a pydantic model / dataclass (FastAPI validates it).
fn is_model_type(ty: &str, local_classes: &[&str]) -> bool {
    let builtin = ["str", "int", "float", "bool", "bytes", "dict", "Dict", "list", "List", "Any", "UUID", "date", "datetime", "Decimal", "Json", "UploadFile", "EmailStr"];
    local_classes.contains(&ty) || (ty.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !builtin.contains(&ty))
}

/// `supabase/functions/accept-invite/index.ts` → `accept-invite`; other files: their path.
pub(super) fn function_label(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.iter().position(|p| *p == "functions") {
        Some(i) if i + 2 < parts.len() => parts[i + 1].to_string(),
        _ => path.to_string(),
    }
}

/// `src/app/api/auth/login/route.ts` → `/api/auth/login`; `pages/api/invite.ts` → `/api/invite`.
fn url_of(path: &str) -> String {
    let p = path.trim_start_matches("src/");
    let p = p.strip_prefix("app").or_else(|| p.strip_prefix("pages")).unwrap_or(p);
    let p = p.rsplit_once('/').map_or(p, |(dir, file)| if file.starts_with("route.") || file.starts_with("index.") { dir } else { p });
    let p = p.rsplit_once('.').filter(|(_, ext)| ext.len() <= 4 && !ext.contains('/')).map_or(p, |(s, _)| s);
    if p.starts_with('/') {
        p.to_string()
    } else {
        format!("/{p}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_function_or_the_url() {
        assert_eq!(function_label("supabase/functions/accept-invite/index.ts"), "accept-invite");
        assert_eq!(function_label("src/server.ts"), "src/server.ts");
        assert_eq!(url_of("src/app/api/auth/login/route.ts"), "/api/auth/login");
        assert_eq!(url_of("pages/api/invite.ts"), "/api/invite");
    }
}
