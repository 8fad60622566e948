//! Python: FastAPI/Flask routes (`@app.get`, `@router.post`, `@bp.route`), DRF `@api_view`,
//! Django view functions and class-based views; router dependencies, `include_router` and
//! `register_blueprint` mounts, `before_request` hooks and Django settings that require login.

use std::collections::{BTreeMap, HashSet};

use super::analysis::{self, Context, Span, Syntax};
use super::model::{CacheUse, Endpoint, FileScan, Guard, Kind, Mount, Record, Store};
use super::text::literal;
use super::words;
use crate::checks::roles::normalize_callee;
use crate::checks::source::SourceFile;

const ROUTE_VERBS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "route",
    "api_route",
    "websocket",
];
const AUTH_DECORATORS: &[&str] = &[
    "login_required",
    "permission_required",
    "user_passes_test",
    "staff_member_required",
    "superuser_required",
    "jwt_required",
    "fresh_jwt_required",
    "token_required",
    "auth_required",
    "requires_auth",
    "roles_required",
    "roles_accepted",
    "admin_required",
    "require_login",
];
const ROLE_DECORATORS: &[&str] = &[
    "permission_required",
    "user_passes_test",
    "staff_member_required",
    "superuser_required",
    "roles_required",
    "roles_accepted",
    "admin_required",
];
const NOT_REQUEST: &[&str] = &[
    "self",
    "cls",
    "request",
    "req",
    "response",
    "db",
    "session",
    "conn",
    "background_tasks",
    "settings",
    "args",
    "kwargs",
    "websocket",
];
const NOT_REQUEST_TYPES: &[&str] = &[
    "Request",
    "Response",
    "BackgroundTasks",
    "Session",
    "AsyncSession",
    "WebSocket",
    "HTTPConnection",
    "Connection",
    "HttpRequest",
];
const VIEW_BASES: &[&str] = &[
    "View",
    "APIView",
    "ViewSet",
    "ModelViewSet",
    "ReadOnlyModelViewSet",
    "GenericViewSet",
    "GenericAPIView",
    "ListView",
    "DetailView",
    "UpdateView",
    "DeleteView",
    "CreateView",
    "TemplateView",
    "FormView",
    "MethodView",
    "Resource",
    "RetrieveAPIView",
    "ListAPIView",
    "RetrieveUpdateAPIView",
    "RetrieveUpdateDestroyAPIView",
    "RetrieveDestroyAPIView",
    "ListCreateAPIView",
    "UpdateAPIView",
    "DestroyAPIView",
];
const LOGIN_MIXINS: &[&str] = &[
    "LoginRequiredMixin",
    "PermissionRequiredMixin",
    "UserPassesTestMixin",
    "StaffRequiredMixin",
    "SuperuserRequiredMixin",
    "AccessMixin",
];

/// The function a `Depends(…)`/`Security(…)` names.
fn dependency(text: &str) -> Option<String> {
    let i = text
        .find("Depends(")
        .map(|i| i + 8)
        .or_else(|| text.find("Security(").map(|i| i + 9))?;
    let name: String = text[i..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    (!name.is_empty()).then_some(name)
}

fn dependencies_in(text: &str) -> Vec<String> {
    text.match_indices("Depends(")
        .chain(text.match_indices("Security("))
        .filter_map(|(i, _)| dependency(&text[i..]))
        .collect()
}

fn is_views_file(lower: &str) -> bool {
    let name = lower.rsplit('/').next().unwrap_or(lower);
    name == "views.py" || lower.contains("/views/") || name == "viewsets.py" || name == "api.py"
}

struct Decorated {
    span: Span,
    body: Span,
    name: String,
    head: u32,
    decorators: Vec<(String, String, u32)>,
    params: Option<tree_sitter::Range>,
}

pub fn scan(file: &SourceFile) -> Option<FileScan> {
    let lower = file.path.to_ascii_lowercase();
    let mut scan = FileScan::default();
    if lower.ends_with("settings.py") || lower.contains("/settings/") {
        if file.text.contains("DEFAULT_PERMISSION_CLASSES") && file.text.contains("IsAuthenticated")
        {
            scan.settings_guard = Some("DEFAULT_PERMISSION_CLASSES = IsAuthenticated".into());
        }
        if file.text.contains("LoginRequiredMiddleware") {
            scan.settings_guard = Some("LoginRequiredMiddleware".into());
        }
    }
    let syn = Syntax::collect(file);
    let mut ctx = Context::default();

    // Module-level helpers first: a route's Depends(x) may name one.
    analysis::helpers(file, &syn, &ctx, &mut scan);
    let is_auth_dep = |name: &str| {
        let last = name.rsplit('.').next().unwrap_or(name);
        words::is_auth_name(last)
            || scan.auth_helpers.iter().any(|h| h == last)
            || last.contains("bearer")
            || last.contains("oauth2_scheme")
    };

    let mut decorated: BTreeMap<usize, Decorated> = BTreeMap::new();
    let mut classes: BTreeMap<usize, (Span, String, String, Vec<String>)> = BTreeMap::new();
    for m in file.matches("auth_endpoints") {
        if let (Some(f), Some(name), Some(body)) = (m.get("function"), m.get("name"), m.get("body"))
        {
            let entry = decorated
                .entry(f.start_byte())
                .or_insert_with(|| Decorated {
                    span: Span::of(file, f),
                    body: Span::of(file, body),
                    name: file.text_of(name).to_string(),
                    head: file.lines(name).0,
                    decorators: Vec::new(),
                    params: m.get("params").map(|p| p.range()),
                });
            if let Some(d) = m.get("decorator") {
                let text = file.text_of(d).to_string();
                let callee = normalize_callee(&text).trim_end_matches("()").to_string();
                if !entry.decorators.iter().any(|(t, _, _)| *t == text) {
                    entry.decorators.push((text, callee, file.lines(d).0));
                }
            }
        }
        if let (Some(c), Some(name), Some(body)) =
            (m.get("class"), m.get("class.name"), m.get("class.body"))
        {
            let bases = m
                .get("class.bases")
                .map(|b| file.text_of(b).to_string())
                .unwrap_or_default();
            let span = Span::of(file, c);
            classes.entry(c.start_byte()).or_insert((
                span,
                file.text_of(name).to_string(),
                bases,
                Vec::new(),
            ));
            let _ = body;
        }
        if let (Some(c), Some(d)) = (m.get("class"), m.get("class.decorator")) {
            if let Some(entry) = classes.get_mut(&c.start_byte()) {
                entry.3.push(file.text_of(d).to_string());
            }
        }
    }

    // Router-level guards and mounts.
    for d in &syn.decls {
        let value = d.value.trim_start();
        let callee = normalize_callee(value.split('(').next().unwrap_or(""));
        if matches!(
            callee.as_str(),
            "APIRouter" | "FastAPI" | "fastapi.APIRouter"
        ) {
            if let Some(dep) = dependencies_in(value).into_iter().find(|x| is_auth_dep(x)) {
                if let Some(name) = d.names.first() {
                    scan.guards.push(Guard {
                        receiver: name.clone(),
                        prefix: None,
                        line: d.span.line,
                        by: format!("Depends({dep})"),
                    });
                }
            }
        }
    }
    for c in &syn.calls {
        let method = c.method();
        if matches!(method, "include_router" | "register_blueprint" | "mount") {
            let Some(target) = c.arg(0).filter(|a| !a.contains('=')) else {
                continue;
            };
            let pairs_text: String = c
                .args
                .iter()
                .map(|a| a.text.as_str())
                .collect::<Vec<_>>()
                .join(",");
            let prefix = c.args.iter().find_map(|a| {
                let (k, v) = a.text.split_once('=')?;
                matches!(k.trim(), "prefix" | "url_prefix")
                    .then(|| literal(v.trim()))
                    .flatten()
            });
            let guard = dependencies_in(&pairs_text)
                .into_iter()
                .find(|x| is_auth_dep(x))
                .map(|x| format!("Depends({x})"));
            scan.mounts.push(Mount {
                receiver: c
                    .callee
                    .rsplit_once('.')
                    .map(|(r, _)| r.to_string())
                    .unwrap_or_default(),
                prefix,
                line: c.span.line,
                target: target.trim().to_string(),
                source: imported_module(file, target.trim()),
                guard,
            });
        }
    }

    let views_file = is_views_file(&lower);
    for (_, f) in decorated {
        let mut endpoint = Endpoint {
            name: f.name.clone(),
            head: f.head,
            line: f.span.line,
            end_line: f.span.end_line,
            ..Endpoint::default()
        };
        let mut route = false;
        for (text, callee, line) in &f.decorators {
            let last = callee.rsplit('.').next().unwrap_or(callee);
            let receiver = callee.rsplit_once('.').map(|(r, _)| r.to_string());
            if ROUTE_VERBS.contains(&last) && receiver.is_some() && text.contains('(') {
                if let Some(path) = first_string(text).filter(|p| p.starts_with('/')) {
                    route = true;
                    endpoint.kind = Some(Kind::PythonRoute);
                    endpoint.method = Some(if last == "route" || last == "api_route" {
                        "ANY".into()
                    } else {
                        last.to_ascii_uppercase()
                    });
                    endpoint.name = format!(
                        "{} {} ({})",
                        endpoint.method.as_deref().unwrap_or(""),
                        path,
                        f.name
                    );
                    endpoint.path = Some(path);
                    endpoint.receiver = receiver.clone();
                }
                for dep in dependencies_in(text) {
                    if is_auth_dep(&dep) {
                        endpoint.auth.push(format!("dependencies=[Depends({dep})]"));
                    }
                    endpoint.calls.push(dep);
                }
            } else if last == "api_view" {
                route = true;
                endpoint.kind = Some(Kind::PythonRoute);
            } else if last == "before_request" {
                let mut probe = Endpoint::default();
                analysis::analyse(file, &syn, f.body, &ctx, &mut probe);
                if !probe.auth.is_empty() {
                    scan.guards.push(Guard {
                        receiver: receiver.unwrap_or_default(),
                        prefix: None,
                        line: *line,
                        by: format!("before_request {}", f.name),
                    });
                }
            } else if last == "login_not_required"
                || (last == "permission_classes" && text.contains("AllowAny"))
            {
                endpoint.public_marker = Some(last.to_string());
            } else if AUTH_DECORATORS.contains(&last)
                || words::is_auth_name(last)
                || (last == "permission_classes" && !text.contains("AllowAny"))
            {
                endpoint.auth.push(format!("@{last}"));
                if ROLE_DECORATORS.contains(&last) || words::is_role_check_text(text) {
                    endpoint.role_check = true;
                }
            } else if matches!(last, "cached")
                && !text.contains("key_prefix")
                && !text.contains("make_cache_key")
                && !text.contains("make_name")
            {
                endpoint.caches.push(CacheUse {
                    line: *line,
                    cache: callee.clone(),
                    key: "the request path only".into(),
                });
            } else if last == "method_decorator"
                && (text.contains("login_required") || text.contains("permission_required"))
            {
                endpoint.auth.push(format!("@{}", text.trim()));
            }
        }
        // Parameters: the caller (Depends of an auth function) and the request (everything else).
        let mut tainted = HashSet::new();
        let mut users = HashSet::new();
        let mut first_param = None;
        if let Some(range) = f.params {
            if let Some(node) = file.tree.and_then(|t| {
                t.root_node()
                    .descendant_for_byte_range(range.start_byte, range.end_byte)
            }) {
                for m in file.matches_in("auth_params", node) {
                    let Some(name) = m.get("name").map(|n| file.text_of(n).to_string()) else {
                        continue;
                    };
                    if first_param.is_none() {
                        first_param = Some(name.clone());
                    }
                    let ty = m.get("type").map(|t| file.text_of(t)).unwrap_or("");
                    let default = m.get("default").map(|d| file.text_of(d)).unwrap_or("");
                    let dep = dependency(default).or_else(|| dependency(ty));
                    if let Some(dep) = dep {
                        if is_auth_dep(&dep) {
                            endpoint.auth.push(format!("Depends({dep})"));
                            users.insert(name.clone());
                        }
                        endpoint.calls.push(dep);
                        continue;
                    }
                    if words::is_auth_name(ty.rsplit('.').next().unwrap_or(ty)) {
                        endpoint.auth.push(format!("{name}: {ty}"));
                        users.insert(name);
                        continue;
                    }
                    let ty_last = ty.rsplit('.').next().unwrap_or(ty);
                    if NOT_REQUEST.contains(&name.as_str())
                        || NOT_REQUEST_TYPES.contains(&ty_last)
                        || name.starts_with('*')
                    {
                        continue;
                    }
                    tainted.insert(name);
                }
            }
        }
        let view_function = views_file && matches!(first_param.as_deref(), Some("request" | "req"));
        if !route && !view_function {
            continue;
        }
        if endpoint.kind.is_none() {
            endpoint.kind = Some(Kind::View);
        }
        ctx.tainted = tainted;
        ctx.users = users;
        ctx.users.extend(["current_user".to_string()]);
        let before = endpoint.records.len();
        analysis::analyse(file, &syn, f.body, &ctx, &mut endpoint);
        // A request parameter read by a query is reported from the parameter to the query.
        for r in endpoint.records.iter_mut().skip(before) {
            if ctx.tainted.contains(r.value.as_str()) && r.line.saturating_sub(f.head) <= 19 {
                r.end_line = r.line;
                r.line = f.head;
            }
        }
        scan.endpoints.push(endpoint);
    }

    for (_, (span, name, bases, decorators)) in classes {
        let base_words: Vec<&str> = super::text::words(&bases).collect();
        let is_view = base_words
            .iter()
            .any(|b| VIEW_BASES.contains(b) || b.ends_with("View") || b.ends_with("ViewSet"));
        if !is_view {
            continue;
        }
        let body = file.text.get(span.start..span.end).unwrap_or("");
        let mut endpoint = Endpoint {
            kind: Some(Kind::View),
            name: name.clone(),
            head: span.line,
            line: span.line,
            end_line: span.end_line,
            ..Endpoint::default()
        };
        if let Some(m) = base_words.iter().find(|b| LOGIN_MIXINS.contains(b)) {
            endpoint.auth.push((*m).to_string());
            endpoint.role_check |= m.starts_with("Permission")
                || m.starts_with("Staff")
                || m.starts_with("Superuser")
                || m.starts_with("UserPasses");
        }
        if let Some(line) = body.lines().find(|l| l.contains("permission_classes")) {
            if line.contains("AllowAny") {
                endpoint.public_marker = Some("AllowAny".into());
            } else {
                endpoint.auth.push(line.trim().to_string());
                endpoint.role_check |= line.contains("IsAdminUser")
                    || line.contains("Admin")
                    || line.contains("Staff");
            }
        }
        for d in &decorators {
            if d.contains("login_required") || d.contains("permission_required") {
                endpoint.auth.push(format!("@{}", d.trim()));
            }
        }
        if body.contains("decorators = [")
            && (body.contains("login_required") || body.contains("auth"))
        {
            endpoint.auth.push("decorators = [login_required]".into());
        }
        ctx.tainted = ["pk", "slug", "kwargs"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        ctx.users = ["user", "current_user"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        analysis::analyse(file, &syn, span, &ctx, &mut endpoint);
        // DRF generic views: `queryset = Invoice.objects.all()` without a get_queryset that
        // scopes it serves any row by its URL pk.
        let retrieves = base_words.iter().any(|b| {
            b.contains("ViewSet")
                || b.starts_with("Retrieve")
                || b.contains("Update")
                || b.contains("Destroy")
                || *b == "DetailView"
        });
        if retrieves && !body.contains("def get_queryset") && !body.contains("def get_object") {
            if let Some((i, l)) = body
                .lines()
                .enumerate()
                .find(|(_, l)| l.trim_start().starts_with("queryset") && l.contains(".objects."))
            {
                let scoped = l.contains("user") || l.contains("owner") || l.contains("org");
                let object_permission = body.lines().any(|l| {
                    l.contains("permission_classes")
                        && (l.contains("Owner")
                            || l.contains("IsObject")
                            || l.contains("DjangoObjectPermissions"))
                });
                if !scoped && !object_permission {
                    let table = l
                        .split('=')
                        .nth(1)
                        .unwrap_or("")
                        .trim()
                        .split(".objects")
                        .next()
                        .unwrap_or("")
                        .to_string();
                    endpoint.records.push(Record {
                        line: span.line + i as u32,
                        end_line: span.line + i as u32,
                        store: Store::Orm,
                        client: "objects".into(),
                        table,
                        column: "pk".into(),
                        value: "the URL's pk".into(),
                        write: base_words.iter().any(|b| {
                            b.contains("Update") || b.contains("Destroy") || *b == "ModelViewSet"
                        }),
                        owner_filter: false,
                        membership: false,
                    });
                }
            }
        }
        scan.endpoints.push(endpoint);
    }
    (!scan.is_empty()).then_some(scan)
}

fn first_string(text: &str) -> Option<String> {
    let i = text.find(['"', '\''])?;
    let q = text[i..].chars().next()?;
    let end = text[i + 1..].find(q)?;
    Some(text[i + 1..i + 1 + end].to_string())
}

/// The module a name was imported from: `invoices.router` with `from app.routers import
/// invoices` → `app.routers.invoices`; `auth_router` with `from auth import router as
/// auth_router` → `auth`.
fn imported_module(file: &SourceFile, target: &str) -> Option<String> {
    let root = target.split('.').next().unwrap_or(target);
    for m in file.matches("auth_imports") {
        let source = m.get("source").map(|s| file.text_of(s)).unwrap_or("");
        let name = m.get("name").map(|n| file.text_of(n)).unwrap_or("");
        let local = m.get("local").map(|l| file.text_of(l)).unwrap_or(name);
        if local == root {
            // `from pkg import module` imports a module; `from module import router` a variable.
            return Some(
                if name == "router"
                    || name == "app"
                    || name.ends_with("_router")
                    || name == "bp"
                    || name == "blueprint"
                {
                    source.to_string()
                } else {
                    format!("{source}.{name}")
                },
            );
        }
        if m.get("name").is_none() && (source == root || source.ends_with(&format!(".{root}"))) {
            return Some(source.to_string());
        }
    }
    None
}
