//! What the AUTH scan keeps of a file: its endpoints with the evidence found in each handler,
//! the router-level guards and mounts, helper functions, Supabase clients, cache uses and the
//! Next.js middleware. Plain serializable data, read by the check half.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `Deno.serve(handler)`: a Supabase edge function or another Deno server.
    Serve,
    /// Next.js app router `route.ts` export (`export async function GET`).
    RouteHandler,
    /// Next.js pages router `pages/api/**` default export.
    PagesApi,
    /// Exported function of a `"use server"` file: callable from any browser.
    ServerAction,
    /// `app.get("/path", …)` in Express, Hono, Fastify, Koa routers.
    Route,
    /// `@app.get("/path")`, `@router.post`, `@bp.route`: FastAPI, Flask, DRF `@api_view`.
    PythonRoute,
    /// A Django view function or class.
    View,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Serve => "edge function",
            Kind::RouteHandler => "route handler",
            Kind::PagesApi => "API route",
            Kind::ServerAction => "server action",
            Kind::Route => "route",
            Kind::PythonRoute => "route",
            Kind::View => "view",
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataUse {
    pub line: u32,
    /// The client or ORM root (`supabaseAdmin`, `prisma`, `cur`).
    pub client: String,
    /// Table, model or operation (`invoices`, `prisma.invoice.update`, `emails.send`).
    pub what: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub write: bool,
}

/// How a record lookup reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Store {
    /// supabase-js / supabase-py query builder: row-level security applies unless the client
    /// holds the service-role key.
    Supabase,
    /// Prisma, Drizzle, Mongoose, Django ORM, SQLAlchemy: the server's own credentials.
    Orm,
    /// Hand-written SQL through a driver.
    Sql,
}

/// A record selected by a value that comes from the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub line: u32,
    pub end_line: u32,
    pub store: Store,
    pub client: String,
    pub table: String,
    /// The column compared with request input (`id`, `org_id`).
    pub column: String,
    /// The request expression (shortened).
    pub value: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub write: bool,
    /// Another filter of the same query scopes it to the caller.
    #[serde(default, skip_serializing_if = "is_false")]
    pub owner_filter: bool,
    /// Another query of the handler checks the caller's membership with the same value.
    #[serde(default, skip_serializing_if = "is_false")]
    pub membership: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Danger {
    pub line: u32,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheUse {
    pub line: u32,
    /// The cache (`cache`, `redis`, `unstable_cache`, `useQuery`).
    pub cache: String,
    /// The key expression as written (or as its variable was declared).
    pub key: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub kind: Option<Kind>,
    /// Handler or function name (`GET`, `export_invoices`), or the Supabase function name.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The route path as registered (`/invoices/:id`) or derived from the file (Next.js).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The router object the route is registered on (`app`, `router`, `bp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    /// Where the endpoint is declared: findings about the whole endpoint point here.
    pub head: u32,
    pub line: u32,
    pub end_line: u32,
    /// Authentication found in the handler: calls, decorators, dependencies, 401 answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auth: Vec<String>,
    /// The handler explicitly opts out of a global default (`AllowAny`, `@login_not_required`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_marker: Option<String>,
    /// Queries run as the caller: a Supabase client built from the request's token or cookies.
    #[serde(default, skip_serializing_if = "is_false")]
    pub user_client: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub signature: bool,
    /// Checks an admin role or a shared secret: strong enough for an admin endpoint.
    #[serde(default, skip_serializing_if = "is_false")]
    pub role_check: bool,
    /// Turns itself off outside development.
    #[serde(default, skip_serializing_if = "is_false")]
    pub env_gated: bool,
    /// Plain function names the handler calls (helpers defined elsewhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<DataUse>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<Record>,
    /// Lines comparing a record's owner field with the caller (`invoice.userId !== user.id`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner_checks: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub danger: Vec<Danger>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caches: Vec<CacheUse>,
    /// Line that marks the response `Cache-Control: public` (or `s-maxage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_cache: Option<u32>,
}

/// `app.use(requireAuth)`, `router.use("/admin", requireAdmin)`, `APIRouter(dependencies=…)`,
/// `@bp.before_request`: every route registered later on `receiver` (under `prefix`) passes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guard {
    pub receiver: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    pub line: u32,
    pub by: String,
}

/// `app.use("/api/invoices", requireAuth, invoicesRouter)`, `app.include_router(r, …)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mount {
    pub receiver: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    pub line: u32,
    /// The mounted router as written (`invoicesRouter`, `invoices.router`).
    pub target: String,
    /// Where it was imported from (`./routes/invoices`, `app.routers.invoices`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guard: Option<String>,
}

/// A Supabase (or other data) client bound to a name at module level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub name: String,
    pub line: u32,
    /// Built with the service-role (secret) key: row-level security does not apply.
    #[serde(default, skip_serializing_if = "is_false")]
    pub privileged: bool,
}

/// `middleware.ts` of a Next.js app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextMiddleware {
    pub line: u32,
    /// `config.matcher` patterns; empty means every path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchers: Vec<String>,
    /// The file itself turns unauthenticated requests away (redirect, 401, `auth.protect()`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub enforces: bool,
    /// Helpers it calls that may enforce (`updateSession`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<String>,
    /// Paths it protects (`createRouteMatcher(["/dashboard(.*)"])`); empty means all matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protected: Vec<String>,
    /// Paths it lets through (`publicRoutes`, `isPublicRoute`, `!pathname.startsWith("/login")`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public: Vec<String>,
}

/// `export const dynamic = "force-static"` and friends in a Next.js route or page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentConfig {
    pub line: u32,
    pub name: String,
    pub value: String,
}

/// A client-side query cache entry (React Query, SWR) whose key is constant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryKey {
    pub line: u32,
    pub hook: String,
    pub key: String,
    /// What in the fetcher makes the data the caller's (`auth.getUser`, `session`).
    pub identity: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileScan {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<Endpoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guards: Vec<Guard>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mounts: Vec<Mount>,
    /// Functions defined here that authenticate the caller.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub auth_helpers: Vec<String>,
    /// Functions defined here that read or write data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_helpers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<Client>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middleware: Option<NextMiddleware>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segment: Vec<SegmentConfig>,
    /// `unstable_cache` of user data outside any endpoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caches: Vec<CacheUse>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_keys: Vec<QueryKey>,
    /// Clears the client-side query cache (`queryClient.clear()` on sign-out).
    #[serde(default, skip_serializing_if = "is_false")]
    pub clears_query_cache: bool,
    /// Django settings that require a login for every view (or every DRF view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings_guard: Option<String>,
}

impl FileScan {
    pub fn is_empty(&self) -> bool {
        *self == FileScan::default()
    }
}
