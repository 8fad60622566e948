//! JavaScript/TypeScript: where requests enter (Deno.serve, Next.js route handlers, pages
//! API routes, server actions, Express/Hono/Fastify routes), router-level middleware and
//! mounts, Next.js `middleware.ts`, segment config, `unstable_cache` and client query keys.

use std::collections::HashSet;

use super::analysis::{self, Context, Span, Syntax};
use super::model::{
    CacheUse, Client, Endpoint, FileScan, Guard, Kind, Mount, NextMiddleware, QueryKey,
    SegmentConfig,
};
use super::text::{self, constant_literal, literal};
use super::words;
use crate::checks::roles::normalize_callee;
use crate::checks::source::SourceFile;

const HTTP_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const ROUTE_VERBS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "all", "options", "head",
];
const SERVE_CALLEES: &[&str] = &["Deno.serve", "serve", "Bun.serve"];
const CACHE_TYPES: &[&str] = &[
    "LRUCache",
    "LRU",
    "QuickLRU",
    "NodeCache",
    "TTLCache",
    "Keyv",
    "Redis",
    "Cache",
];
const QUERY_HOOKS: &[&str] = &[
    "useQuery",
    "useSuspenseQuery",
    "useInfiniteQuery",
    "queryOptions",
    "prefetchQuery",
    "fetchQuery",
    "ensureQueryData",
    "useSWR",
    "useSWRImmutable",
];

struct Binding {
    local: String,
    source: String,
}

fn imports(file: &SourceFile) -> Vec<Binding> {
    file.matches("auth_imports")
        .iter()
        .filter_map(|m| {
            let source = file.text_of(m.get("source")?).to_string();
            let local = m.get("local").or_else(|| m.get("name"))?;
            Some(Binding {
                local: file.text_of(local).to_string(),
                source,
            })
        })
        .collect()
}

/// The URL path of a Next.js route or page file: `src/app/(dash)/api/invoices/[id]/route.ts`
/// → `/api/invoices/[id]`; `pages/api/users/index.ts` → `/api/users`.
pub fn next_url(path: &str) -> Option<String> {
    let lower = path.to_ascii_lowercase();
    let rest = if let Some(i) = find_dir(&lower, "app/") {
        &path[i..]
    } else if let Some(i) = find_dir(&lower, "pages/") {
        &path[i..]
    } else {
        return None;
    };
    let mut segments: Vec<&str> = rest.split('/').collect();
    let file = segments.pop()?;
    let stem = file.split('.').next().unwrap_or(file);
    if !matches!(stem, "route" | "page" | "index" | "layout") {
        segments.push(stem);
    }
    let kept: Vec<&str> = segments
        .into_iter()
        .filter(|s| {
            !(s.starts_with('(') && s.ends_with(')')) && !s.starts_with('@') && !s.is_empty()
        })
        .collect();
    Some(format!("/{}", kept.join("/")))
}

fn find_dir(lower: &str, dir: &str) -> Option<usize> {
    if lower.starts_with(dir) {
        return Some(dir.len());
    }
    for prefix in ["src/", ""] {
        let needle = format!("/{prefix}{dir}");
        if let Some(i) = lower.find(&needle) {
            return Some(i + needle.len());
        }
    }
    None
}

fn supabase_function_name(path: &str) -> Option<&str> {
    let i = path.find("supabase/functions/")?;
    path[i + "supabase/functions/".len()..].split('/').next()
}

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next().unwrap_or(name)
}

fn has_directive(file: &SourceFile, directive: &str) -> bool {
    file.text.lines().take(5).any(|l| {
        l.trim_start().starts_with(&format!("\"{directive}\""))
            || l.trim_start().starts_with(&format!("'{directive}'"))
    })
}

/// Text reads as authentication middleware (`requireAuth`, `passport.authenticate("jwt")`,
/// `{ preHandler: [fastify.authenticate] }`, `jwt({ secret })`).
fn is_auth_middleware(text: &str) -> bool {
    text::words(text)
        .any(|w| words::is_auth_name(w) || w == "jwt" || w == "bearerAuth" || w == "basicAuth")
}

pub fn scan(file: &SourceFile) -> Option<FileScan> {
    let syn = Syntax::collect(file);
    let bindings = imports(file);
    let mut scan = FileScan::default();
    let lower = file.path.to_ascii_lowercase();

    // Module-level clients and caches.
    let mut caches = HashSet::new();
    for d in &syn.decls {
        let value = d.value.trim();
        let callee = normalize_callee(value.split('(').next().unwrap_or(""));
        let factory = callee.rsplit('.').next().unwrap_or("");
        if factory.starts_with("create") && factory.ends_with("Client") && callee != "createClient"
            || factory == "createClient"
        {
            let privileged = analysis::is_privileged_key_text(value);
            if let Some(name) = d.names.first() {
                scan.clients.push(Client {
                    name: name.clone(),
                    line: d.span.line,
                    privileged,
                });
            }
        }
        let constructed = value
            .strip_prefix("new ")
            .map(|v| v.split(['(', '<']).next().unwrap_or("").trim());
        let is_cache_object = match constructed {
            Some("Map") => d.names.iter().any(|n| {
                let t = words::tokens(n);
                t.iter()
                    .any(|w| w == "cache" || w == "memo" || w == "cached")
            }),
            Some(t) => CACHE_TYPES.contains(&t),
            None => {
                callee.ends_with("Redis.fromEnv")
                    || (factory == "createClient" && bindings.iter().any(|b| b.source == "redis"))
            }
        };
        if is_cache_object {
            caches.extend(d.names.iter().cloned());
        }
    }
    for b in &bindings {
        if matches!(b.source.as_str(), "@vercel/kv" | "@upstash/redis")
            || (b.local == "redis" && !b.source.starts_with('.'))
        {
            caches.insert(b.local.clone());
        }
    }
    let ctx = Context {
        caches,
        imports_user_client: bindings.iter().any(|b| {
            b.source.contains("supabase/server")
                || b.source.contains("@supabase/ssr")
                || b.source.contains("auth-helpers")
        }),
        ..Context::default()
    };

    let function_span = |name: &str| -> Option<Span> {
        syn.function(name).map(|f| f.span).or_else(|| {
            syn.decls
                .iter()
                .find(|d| d.names.iter().any(|n| n == name))
                .map(|d| d.span)
        })
    };
    let mut endpoints: Vec<(Endpoint, Option<Span>)> = Vec::new();
    let app_route = stem(&lower) == "route" && find_dir(&lower, "app/").is_some();
    let pages_api = lower.contains("pages/api/");
    let server_actions = has_directive(file, "use server");

    for m in file.matches("auth_endpoints") {
        if let (Some(call), Some(callee), Some(handler)) = (
            m.get("serve"),
            m.get("serve.callee"),
            m.get("serve.handler"),
        ) {
            let callee = normalize_callee(file.text_of(callee));
            if SERVE_CALLEES.contains(&callee.as_str()) {
                let name = supabase_function_name(file.path)
                    .unwrap_or_else(|| stem(file.path))
                    .to_string();
                let (head, _) = file.lines(call);
                endpoints.push((
                    Endpoint {
                        kind: Some(Kind::Serve),
                        name,
                        head,
                        ..Endpoint::default()
                    },
                    Some(Span::of(file, handler)),
                ));
            }
        }
        if let (Some(call), Some(verb), Some(path), Some(handler)) = (
            m.get("route"),
            m.get("route.verb"),
            m.get("route.path"),
            m.get("route.handler"),
        ) {
            let verb = file.text_of(verb);
            let route_path = literal(file.text_of(path)).unwrap_or_default();
            if ROUTE_VERBS.contains(&verb) && (route_path.starts_with('/') || route_path == "*") {
                let receiver = m
                    .get("route.receiver")
                    .map(|r| normalize_callee(file.text_of(r)))
                    .unwrap_or_default();
                let mut endpoint = Endpoint {
                    kind: Some(Kind::Route),
                    name: format!("{} {}", verb.to_ascii_uppercase(), route_path),
                    method: Some(verb.to_ascii_uppercase()),
                    path: Some(route_path),
                    receiver: Some(receiver),
                    head: file.lines(call).0,
                    ..Endpoint::default()
                };
                let args = m.get("route.args").map(children).unwrap_or_default();
                for mw in args.iter().skip(1).take(args.len().saturating_sub(2)) {
                    let t = file.text_of(*mw);
                    if is_auth_middleware(t) {
                        endpoint.auth.push(format!("{} middleware", short_name(t)));
                    }
                    if words::is_role_check_text(t) {
                        endpoint.role_check = true;
                    }
                }
                let handler_text = file.text_of(handler);
                let span = if handler_text.contains("=>")
                    || handler_text.starts_with("function")
                    || handler_text.starts_with("async")
                    || handler_text.contains('(')
                {
                    Some(Span::of(file, handler))
                } else {
                    let last = handler_text
                        .rsplit('.')
                        .next()
                        .unwrap_or(handler_text)
                        .to_string();
                    endpoint.calls.push(last.clone());
                    function_span(handler_text).or_else(|| function_span(&last))
                };
                endpoints.push((endpoint, span));
            }
        }
        if let (Some(call), Some(verb)) = (m.get("use"), m.get("use.verb")) {
            let verb = file.text_of(verb);
            if matches!(verb, "use" | "route" | "register" | "addHook" | "mount") {
                let receiver = m
                    .get("use.receiver")
                    .map(|r| normalize_callee(file.text_of(r)))
                    .unwrap_or_default();
                let args: Vec<&str> = m
                    .get("use.args")
                    .map(children)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| file.text_of(a))
                    .collect();
                router_step(
                    &mut scan,
                    &bindings,
                    &receiver,
                    verb,
                    &args,
                    file.lines(call).0,
                );
            }
        }
        if let (Some(export), Some(value)) = (
            m.get("export").or(m.get("export.default")),
            m.get("export.value"),
        ) {
            let export_text = file.text_of(export);
            let default =
                m.get("export.default").is_some() || export_text.starts_with("export default");
            let name = m
                .get("export.name")
                .map(|n| file.text_of(n).to_string())
                .unwrap_or_else(|| "default".into());
            let value_text = file.text_of(value);
            let span = if value_text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            {
                function_span(value_text)
            } else {
                Some(Span::of(file, value))
            };
            let head = file.lines(export).0;
            if app_route && HTTP_METHODS.contains(&name.as_str()) {
                endpoints.push((route_handler(file, &name, head), span));
            } else if pages_api && default {
                endpoints.push((
                    Endpoint {
                        kind: Some(Kind::PagesApi),
                        name: "default".into(),
                        path: next_url(file.path),
                        head,
                        ..Endpoint::default()
                    },
                    span,
                ));
            } else if server_actions
                && !default
                && (value_text.contains("=>")
                    || value_text.starts_with("async")
                    || value_text.starts_with("function"))
            {
                endpoints.push((
                    Endpoint {
                        kind: Some(Kind::ServerAction),
                        name: name.clone(),
                        head,
                        ..Endpoint::default()
                    },
                    span,
                ));
            }
            if matches!(name.as_str(), "dynamic" | "revalidate" | "fetchCache")
                && find_dir(&lower, "app/").is_some()
            {
                scan.segment.push(SegmentConfig {
                    line: head,
                    name: name.clone(),
                    value: value_text.trim().to_string(),
                });
            }
        }
        if let (Some(clause), Some(local)) = (m.get("export.clause"), m.get("export.local")) {
            let local = file.text_of(local);
            let name = m
                .get("export.name")
                .map(|n| file.text_of(n))
                .unwrap_or(local);
            if app_route && HTTP_METHODS.contains(&name) {
                endpoints.push((
                    route_handler(file, name, file.lines(clause).0),
                    function_span(local),
                ));
            }
        }
    }

    for (mut endpoint, span) in endpoints {
        if let Some(span) = span {
            endpoint.line = span.line;
            endpoint.end_line = span.end_line;
            analysis::analyse(file, &syn, span, &ctx, &mut endpoint);
        } else {
            endpoint.line = endpoint.head;
            endpoint.end_line = endpoint.head;
        }
        if !scan
            .endpoints
            .iter()
            .any(|e| e.head == endpoint.head && e.name == endpoint.name)
        {
            scan.endpoints.push(endpoint);
        }
    }

    analysis::helpers(file, &syn, &ctx, &mut scan);

    if stem(&lower) == "middleware"
        && (lower.starts_with("middleware.") || lower.starts_with("src/middleware."))
    {
        scan.middleware = Some(middleware(file, &syn));
    }
    file_caches(file, &syn, &mut scan);
    (!scan.is_empty()).then_some(scan)
}

/// Named children of a node (an argument list's arguments).
fn children(node: tree_sitter::Node) -> Vec<tree_sitter::Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

fn short_name(text: &str) -> String {
    let n = normalize_callee(text);
    let n = n.trim_end_matches("()");
    if n.len() > 40 {
        format!("{}…", &n[..37])
    } else {
        n.to_string()
    }
}

fn route_handler(file: &SourceFile, method: &str, head: u32) -> Endpoint {
    Endpoint {
        kind: Some(Kind::RouteHandler),
        name: method.to_string(),
        method: Some(method.to_string()),
        path: next_url(file.path),
        head,
        ..Endpoint::default()
    }
}

/// `app.use(…)`, `app.route("/x", sub)`, `fastify.register(plugin, { prefix })`,
/// `fastify.addHook("onRequest", authenticate)`.
fn router_step(
    scan: &mut FileScan,
    bindings: &[Binding],
    receiver: &str,
    verb: &str,
    args: &[&str],
    line: u32,
) {
    let mut prefix = None;
    let mut rest: &[&str] = args;
    if let Some(first) = args.first().and_then(|a| constant_literal(a)) {
        if first.starts_with('/') || verb == "addHook" {
            prefix = (verb != "addHook").then_some(first);
            rest = &args[1..];
        }
    }
    let mut guard = None;
    let mut target = None;
    for a in rest {
        let a = a.trim();
        let root = a.split('.').next().unwrap_or(a);
        let imported = bindings.iter().find(|b| b.local == root);
        if is_auth_middleware(a) {
            guard.get_or_insert_with(|| short_name(a));
        } else if let Some(b) = imported.filter(|_| {
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$')
        }) {
            target = Some((a.to_string(), b.source.clone()));
        } else if verb == "register" && a.starts_with('{') {
            prefix = prefix.or_else(|| {
                let i = a.find("prefix")?;
                let tail = &a[i..];
                let q = tail.find(['"', '\'', '`'])?;
                let end = tail[q + 1..].find(['"', '\'', '`'])?;
                Some(tail[q + 1..q + 1 + end].to_string())
            });
        }
    }
    match (target, guard) {
        (Some((target, source)), guard) => scan.mounts.push(Mount {
            receiver: receiver.to_string(),
            prefix,
            line,
            target,
            source: Some(source),
            guard,
        }),
        (None, Some(by)) => scan.guards.push(Guard {
            receiver: receiver.to_string(),
            prefix,
            line,
            by,
        }),
        (None, None) => {}
    }
}

fn quoted(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '"' | '\'' | '`') {
            if let Some(end) = text[i + 1..].find(c) {
                out.push(text[i + 1..i + 1 + end].to_string());
                while chars.peek().is_some_and(|(j, _)| *j <= i + 1 + end) {
                    chars.next();
                }
            }
        }
    }
    out
}

fn middleware(file: &SourceFile, syn: &Syntax) -> NextMiddleware {
    let text = file.text;
    let mut mw = NextMiddleware {
        line: 1,
        ..NextMiddleware::default()
    };
    if let Some(p) = syn.pairs.iter().find(|p| p.key == "matcher") {
        mw.matchers = quoted(&p.value)
            .into_iter()
            .filter(|s| s.starts_with('/'))
            .collect();
    }
    let mut auth = text.contains("next-auth/middleware")
        || text.contains("auth as middleware")
        || text.contains("export default auth");
    let mut enforces = text.contains("next-auth/middleware");
    let mut redirects = text::answers_unauthorized(text);
    for c in &syn.calls {
        let method = c.method();
        if words::is_auth_callee(&c.callee) {
            auth = true;
        }
        if matches!(method, "withAuth" | "authMiddleware" | "protect")
            || c.callee.ends_with("auth.protect")
        {
            enforces = true;
        }
        if method == "redirect" || method == "rewrite" {
            redirects = true;
        }
        if method == "authMiddleware" {
            for p in c
                .args
                .first()
                .into_iter()
                .flat_map(|a| syn.pairs.iter().filter(move |p| a.span.contains(&p.span)))
            {
                if matches!(p.key.as_str(), "publicRoutes" | "ignoredRoutes") {
                    mw.public.extend(quoted(&p.value));
                }
            }
        }
        if method == "startsWith" {
            if let Some(prefix) = c.arg(0).and_then(constant_literal) {
                let negated = text[..c.span.start].trim_end().ends_with('!');
                if negated
                    || words::public_by_design(&prefix).is_some()
                    || prefix.starts_with("/_next")
                {
                    mw.public.push(prefix);
                } else {
                    mw.protected.push(prefix);
                }
            }
        }
        if !c.callee.contains('.') && !mw.calls.contains(&c.callee) {
            mw.calls.push(c.callee.clone());
        }
    }
    for d in &syn.decls {
        if d.value.trim_start().starts_with("createRouteMatcher") {
            let patterns = quoted(&d.value);
            let public = d.names.iter().any(|n| {
                let t = words::tokens(n);
                t.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "public"
                            | "ignored"
                            | "unprotected"
                            | "open"
                            | "unauthenticated"
                            | "anonymous"
                    )
                })
            });
            if public {
                mw.public.extend(patterns);
            } else {
                mw.protected.extend(patterns);
            }
        }
    }
    mw.enforces = enforces || (auth && redirects);
    mw
}

/// `unstable_cache` closures over the caller's data, client query keys, cache clearing.
fn file_caches(file: &SourceFile, syn: &Syntax, scan: &mut FileScan) {
    for c in &syn.calls {
        let method = c.method();
        if c.callee.ends_with("unstable_cache") {
            let (Some(f), keys) = (c.arg(0), c.arg(1).unwrap_or("")) else {
                continue;
            };
            if takes_no_arguments(f)
                && words::mentions_identity(f)
                && !words::key_identifies_caller(keys)
            {
                scan.caches.push(CacheUse {
                    line: c.span.line,
                    cache: "unstable_cache".into(),
                    key: if keys.is_empty() {
                        "(no key parts)".into()
                    } else {
                        keys.split_whitespace().collect::<Vec<_>>().join(" ")
                    },
                });
            }
        }
        if QUERY_HOOKS.contains(&method) {
            let (key, fetcher) = match c.arg(0) {
                Some(a) if a.trim_start().starts_with('{') => {
                    let in_arg = |k: &str| {
                        syn.pairs
                            .iter()
                            .find(|p| p.key == k && c.args[0].span.contains(&p.span))
                            .map(|p| p.value.clone())
                    };
                    (in_arg("queryKey"), in_arg("queryFn"))
                }
                Some(a) => (Some(a.to_string()), c.arg(1).map(str::to_string)),
                None => (None, None),
            };
            let (Some(key), Some(fetcher)) = (key, fetcher) else {
                continue;
            };
            let constant = quoted(&key)
                .iter()
                .fold(key.clone(), |k, q| k.replace(q.as_str(), ""))
                .chars()
                .all(|ch| !ch.is_ascii_alphanumeric());
            if !constant {
                continue;
            }
            let identity = [
                "auth.getUser",
                "auth.getSession",
                "currentUser",
                "getSession",
                "session",
                "user",
                "profile",
            ]
            .into_iter()
            .find(|w| {
                text::words(&fetcher).any(|x| x == *w) || (w.contains('.') && fetcher.contains(w))
            });
            if let Some(identity) = identity {
                scan.query_keys.push(QueryKey {
                    line: c.span.line,
                    hook: method.to_string(),
                    key: key.split_whitespace().collect::<Vec<_>>().join(" "),
                    identity: identity.to_string(),
                });
            }
        }
        if matches!(method, "removeQueries" | "resetQueries")
            || (method == "clear"
                && c.callee.split('.').rev().nth(1).is_some_and(|r| {
                    r.to_ascii_lowercase().contains("query")
                        || r.to_ascii_lowercase().contains("cache")
                }))
        {
            scan.clears_query_cache = true;
        }
    }
    let _ = file;
}

fn takes_no_arguments(function: &str) -> bool {
    let f = function.trim_start();
    let f = f.strip_prefix("async").map(str::trim_start).unwrap_or(f);
    let f = f
        .strip_prefix("function")
        .map(|x| {
            x.trim_start()
                .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
        .unwrap_or(f);
    f.trim_start().starts_with("()")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_urls() {
        assert_eq!(
            next_url("src/app/(dash)/api/invoices/[id]/route.ts").as_deref(),
            Some("/api/invoices/[id]")
        );
        assert_eq!(
            next_url("app/api/auth/[...nextauth]/route.ts").as_deref(),
            Some("/api/auth/[...nextauth]")
        );
        assert_eq!(
            next_url("pages/api/users/index.ts").as_deref(),
            Some("/api/users")
        );
        assert_eq!(
            next_url("src/pages/api/checkout.ts").as_deref(),
            Some("/api/checkout")
        );
        assert_eq!(next_url("app/page.tsx").as_deref(), Some("/"));
    }

    #[test]
    fn quoted_strings() {
        assert_eq!(
            quoted("['/dashboard/:path*', \"/api/(.*)\"]"),
            ["/dashboard/:path*", "/api/(.*)"]
        );
        assert!(takes_no_arguments("async () => db.x()"));
        assert!(!takes_no_arguments("async (userId) => db.x()"));
    }
}
