//! What each file is for: test, client or server, entry point, and whether it handles money,
//! identity or data writes. Many detectors and the load-bearing rule read these roles. The
//! scan half (`Traits`) runs once per file while its tree is in memory; the rest is decided
//! from the path, the imports and those traits.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::source::{is_test_path, SourceFile};
use crate::lang::Lang;
use crate::model::Import;

/// What the scan keeps of a file for its roles: normalised callees and decorators.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Traits {
    /// Distinct callees, arguments removed: `supabase.from().insert`, `Deno.serve`.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub calls: BTreeSet<String>,
    /// Python decorators, arguments removed: `app.get`, `login_required`.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub decorators: BTreeSet<String>,
    /// Top-of-file directives: `use client`, `use server`.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub directives: BTreeSet<String>,
}

impl Traits {
    pub fn scan(file: &SourceFile) -> Traits {
        let mut t = Traits::default();
        for m in file.matches("traits") {
            if let Some(c) = m.get("callee") {
                let name = normalize_callee(file.text_of(c));
                if !name.is_empty() && name.len() <= 120 {
                    t.calls.insert(name);
                }
            }
            if let Some(d) = m.get("decorator") {
                let name = normalize_callee(file.text_of(d));
                if !name.is_empty() && name.len() <= 120 {
                    t.decorators.insert(name);
                }
            }
            if let Some(d) = m.get("directive") {
                t.directives.insert(file.text_of(d).to_string());
            }
        }
        t
    }

    /// Whether a callee ends with `suffix` at a name boundary (`auth.getUser` matches
    /// `supabase.auth.getUser`, not `myauth.getUser`).
    pub fn calls_ending(&self, suffix: &str) -> bool {
        self.calls.iter().any(|c| ends_with_name(c, suffix))
    }
}

/// `supabase.from("x")\n  .insert({...})` → `supabase.from().insert`; `foo?.bar!` → `foo.bar`;
/// `fn<T>` → `fn`.
pub fn normalize_callee(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(128));
    let mut depth_paren = 0usize;
    let mut depth_angle = 0usize;
    let mut in_string: Option<char> = None;
    for c in text.chars() {
        if let Some(q) = in_string {
            if c == q {
                in_string = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' if depth_paren > 0 => in_string = Some(c),
            '(' | '[' => {
                if depth_paren == 0 && depth_angle == 0 {
                    out.push(if c == '(' { '(' } else { '[' });
                }
                depth_paren += 1;
            }
            ')' | ']' => {
                depth_paren = depth_paren.saturating_sub(1);
                if depth_paren == 0 && depth_angle == 0 {
                    out.push(if c == ')' { ')' } else { ']' });
                }
            }
            '<' if depth_paren == 0 => depth_angle += 1,
            '>' if depth_paren == 0 && depth_angle > 0 => depth_angle -= 1,
            _ if depth_paren > 0 || depth_angle > 0 => {}
            c if c.is_whitespace() => {}
            '?' | '!' => {}
            c => out.push(c),
        }
        if out.len() > 200 {
            break;
        }
    }
    out
}

/// `a.b.c` ends with `b.c` at a name boundary.
pub fn ends_with_name(name: &str, suffix: &str) -> bool {
    name == suffix || (name.ends_with(suffix) && name[..name.len() - suffix.len()].ends_with('.'))
}

/// How a request reaches the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntryKind {
    /// Supabase (Deno) edge function, or another serverless function file.
    EdgeFunction,
    /// Next.js route handler (`app/**/route.ts`) or pages-router API route (`pages/api/**`).
    ApiRoute,
    /// A server with routes (Express, Hono, Fastify, FastAPI, Flask, Django views).
    Server,
    /// A page the browser loads (Next.js page, React Router page, SPA main).
    Page,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::EdgeFunction => "edge function",
            EntryKind::ApiRoute => "API route",
            EntryKind::Server => "server route",
            EntryKind::Page => "page",
        }
    }

    /// Runs on a server and answers requests.
    pub fn is_server(self) -> bool {
        !matches!(self, EntryKind::Page)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles {
    pub test: bool,
    pub client: bool,
    pub server: bool,
    pub entry: Option<EntryKind>,
    pub migration: bool,
    pub money: bool,
    pub auth: bool,
    pub data_write: bool,
}

const SERVER_FRAMEWORKS: [&str; 10] = [
    "express",
    "hono",
    "fastify",
    "koa",
    "@hapi/hapi",
    "fastapi",
    "flask",
    "django",
    "starlette",
    "aiohttp",
];
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
const MONEY_WORDS: [&str; 10] = [
    "stripe",
    "payment",
    "billing",
    "checkout",
    "invoice",
    "subscription",
    "charge",
    "refund",
    "payout",
    "price",
];
const AUTH_WORDS: [&str; 9] = [
    "auth",
    "login",
    "signup",
    "session",
    "permission",
    "admin",
    "invite",
    "password",
    "role",
];
const WRITE_METHODS: [&str; 14] = [
    "insert",
    "update",
    "upsert",
    "delete",
    "create",
    "createMany",
    "updateMany",
    "deleteMany",
    "save",
    "destroy",
    "remove",
    "add",
    "bulk_create",
    "commit",
];
/// Calls that establish who the caller is (sign-in, token or session verification).
pub const AUTH_CALLS: [&str; 12] = [
    "auth.getUser",
    "auth.getSession",
    "getServerSession",
    "getToken",
    "currentUser",
    "clerkClient.users.getUser",
    "verifyIdToken",
    "jwt.verify",
    "jwtVerify",
    "signInWithPassword",
    "signUp",
    "authenticate",
];

/// What the repository's package.json says about where its code runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stack {
    /// Depends on vite: its `src/` runs in the browser unless it is server code.
    pub vite: bool,
    /// Depends on next: components under `app/` are server components unless "use client".
    pub next: bool,
}

/// Decides a file's roles. `stack`: what the repository's package.json depends on (a Vite app's
/// `src/` runs in the browser unless it is server code).
pub fn roles(path: &str, lang: Lang, imports: &[Import], traits: &Traits, stack: Stack) -> Roles {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let stem = name.split('.').next().unwrap_or(name);
    let imports_pkg = |pkgs: &[&str]| {
        imports.iter().any(|i| {
            let s = i
                .specifier
                .trim_start_matches("npm:")
                .trim_start_matches("jsr:");
            pkgs.iter().any(|p| {
                s == *p
                    || s.starts_with(&format!("{p}/"))
                    || s.starts_with(&format!("{p}@"))
                    || s.starts_with(&format!("{p}."))
                    || (s.starts_with("https://") && s.contains(&format!("/{p}@")))
            })
        })
    };
    let mut r = Roles {
        test: is_test_path(path),
        migration: lang == Lang::Sql && lower.contains("migration"),
        ..Roles::default()
    };

    let js = matches!(lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript);
    let in_app_dir =
        lower.starts_with("app/") || lower.contains("/app/") || lower.starts_with("src/app/");
    let edge =
        (lower.contains("supabase/functions/") && !lower.contains("/_shared/") && stem == "index")
            || lower.starts_with("netlify/functions/")
            || (lower.starts_with("api/") && js)
            || traits.calls.contains("Deno.serve")
            || (traits.calls.contains("serve")
                && imports
                    .iter()
                    .any(|i| i.specifier.contains("std") && i.specifier.contains("http")));
    let api_route = js && ((in_app_dir && stem == "route") || lower.contains("pages/api/"));
    let routes = traits
        .calls
        .iter()
        .chain(traits.decorators.iter())
        .any(|c| {
            let mut parts = c.rsplitn(2, '.');
            let verb = parts.next().unwrap_or("");
            let recv = parts.next().unwrap_or("");
            ROUTE_VERBS.contains(&verb)
                && [
                    "app",
                    "router",
                    "api",
                    "server",
                    "bp",
                    "blueprint",
                    "fastify",
                ]
                .iter()
                .any(|r| recv.ends_with(r))
        });
    let server_framework = imports_pkg(&SERVER_FRAMEWORKS);
    let django_view = lang == Lang::Python && (name == "views.py" || lower.contains("/views/"));
    let page = js
        && !api_route
        && ((in_app_dir && stem == "page")
            || (lower.contains("pages/") && !lower.contains("pages/api/"))
            || lower.ends_with("src/main.tsx")
            || lower.ends_with("src/main.ts")
            || lower.ends_with("src/main.jsx")
            || lower.ends_with("src/index.tsx"));

    r.entry = if r.test {
        None
    } else if api_route {
        Some(EntryKind::ApiRoute)
    } else if edge {
        Some(EntryKind::EdgeFunction)
    } else if (routes && (server_framework || lang == Lang::Python)) || django_view {
        Some(EntryKind::Server)
    } else if page {
        Some(EntryKind::Page)
    } else {
        None
    };
    r.server = r.entry.is_some_and(EntryKind::is_server)
        || lower.contains("supabase/functions/")
        || matches!(
            lang,
            Lang::Python | Lang::Go | Lang::Rust | Lang::Java | Lang::Ruby
        )
        || server_framework
        || traits.directives.contains("use server")
        || lower.contains("/server/")
        || lower.starts_with("server/");
    // Next.js renders app/ components on the server unless they opt into the client.
    let server_component = stack.next && in_app_dir && !traits.directives.contains("use client");
    r.client = js
        && !r.server
        && !server_component
        && (traits.directives.contains("use client")
            || lang == Lang::Tsx
            || name.ends_with(".jsx")
            || (stack.vite && (lower.starts_with("src/") || lower.contains("/src/")))
            || r.entry == Some(EntryKind::Page));

    let words = |list: &[&str]| list.iter().any(|w| lower.contains(w));
    r.money = !r.test
        && (words(&MONEY_WORDS)
            || imports_pkg(&[
                "stripe",
                "@stripe/stripe-js",
                "@stripe/react-stripe-js",
                "paddle",
                "@paddle/paddle-js",
                "braintree",
                "lemonsqueezy",
            ]));
    r.auth = !r.test && (words(&AUTH_WORDS) || AUTH_CALLS.iter().any(|c| traits.calls_ending(c)));
    r.data_write = !r.test && traits.calls.iter().any(|c| is_data_write_callee(c));
    r
}

/// A normalised callee that writes through a data client (`supabase.from().insert`,
/// `prisma.invoice.update`, `db.session.add`), not a `Set.add` or `console.log`.
pub fn is_data_write_callee(c: &str) -> bool {
    let method = c.rsplit('.').next().unwrap_or("");
    WRITE_METHODS.contains(&method)
        && c.contains('.')
        && !c.starts_with("console.")
        && !c.contains("Set.")
        && !c.contains("Map.")
        && (c.contains("from()")
            || c.contains("prisma")
            || c.contains("db")
            || c.contains("session")
            || c.contains("objects")
            || c.contains("repository")
            || c.contains("model"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VITE: Stack = Stack { vite: true, next: false };

    fn imp(s: &str) -> Import {
        Import {
            specifier: s.into(),
            line: 1,
            kind: crate::model::ImportKind::Static,
        }
    }

    #[test]
    fn callees_lose_arguments_and_whitespace() {
        assert_eq!(
            normalize_callee("supabase\n  .from(\"invoices\")\n  .insert"),
            "supabase.from().insert"
        );
        assert_eq!(
            normalize_callee("stripe.webhooks.constructEventAsync"),
            "stripe.webhooks.constructEventAsync"
        );
        assert_eq!(normalize_callee("useState<string>"), "useState");
        assert_eq!(normalize_callee("foo?.bar!.baz"), "foo.bar.baz");
        assert_eq!(normalize_callee("items[0].save"), "items[].save");
        assert!(ends_with_name("supabase.auth.getUser", "auth.getUser"));
        assert!(!ends_with_name("myauth.getUser", "auth.getUser"));
    }

    #[test]
    fn edge_functions_api_routes_and_pages_are_entries() {
        let t = Traits::default();
        assert_eq!(
            roles(
                "supabase/functions/get-invoice/index.ts",
                Lang::TypeScript,
                &[],
                &t, VITE)
            .entry,
            Some(EntryKind::EdgeFunction)
        );
        assert_eq!(
            roles(
                "supabase/functions/_shared/cors.ts",
                Lang::TypeScript,
                &[],
                &t, VITE)
            .entry,
            None
        );
        assert_eq!(
            roles(
                "app/api/orders/[id]/route.ts",
                Lang::TypeScript,
                &[],
                &t, Stack::default())
            .entry,
            Some(EntryKind::ApiRoute)
        );
        assert_eq!(
            roles(
                "src/pages/api/checkout.ts",
                Lang::TypeScript,
                &[],
                &t, Stack::default())
            .entry,
            Some(EntryKind::ApiRoute)
        );
        assert_eq!(
            roles("app/dashboard/page.tsx", Lang::Tsx, &[], &t, Stack::default()).entry,
            Some(EntryKind::Page)
        );
        let mut py = Traits::default();
        py.decorators.insert("app.get".into());
        assert_eq!(
            roles(
                "services/reports/main.py",
                Lang::Python,
                &[imp("fastapi")],
                &py, Stack::default())
            .entry,
            Some(EntryKind::Server)
        );
    }

    #[test]
    fn vite_sources_are_client_and_edge_functions_are_server() {
        let t = Traits::default();
        let ui = roles("src/hooks/useInvoices.ts", Lang::TypeScript, &[], &t, VITE);
        assert!(ui.client && !ui.server);
        let edge = roles(
            "supabase/functions/_shared/supabaseAdmin.ts",
            Lang::TypeScript,
            &[],
            &t,
            VITE,
        );
        assert!(edge.server && !edge.client);
        let tests = roles(
            "src/__tests__/pricing.test.ts",
            Lang::TypeScript,
            &[],
            &t,
            VITE,
        );
        assert!(tests.test && !tests.money);
    }

    #[test]
    fn next_app_components_are_server_unless_use_client() {
        let next = Stack { vite: false, next: true };
        let page = roles("app/admin/page.tsx", Lang::Tsx, &[], &Traits::default(), next);
        assert!(!page.client);
        let mut use_client = Traits::default();
        use_client.directives.insert("use client".into());
        assert!(roles("app/admin/Panel.tsx", Lang::Tsx, &[], &use_client, next).client);
        assert!(roles("components/Panel.tsx", Lang::Tsx, &[], &Traits::default(), next).client);
    }

    #[test]
    fn writes_through_data_clients_mark_data_write() {
        let mut t = Traits::default();
        t.calls.insert("supabase.from().insert".into());
        assert!(roles("src/hooks/useInvoices.ts", Lang::TypeScript, &[], &t, VITE).data_write);
        let mut set = Traits::default();
        set.calls.insert("seen.add".into());
        set.calls.insert("console.log".into());
        assert!(!roles("src/lib/x.ts", Lang::TypeScript, &[], &set, VITE).data_write);
    }
}
