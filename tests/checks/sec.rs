//! SEC detectors: a true positive and a near-miss negative for every item, in the shapes
//! coding agents write (Supabase edge functions, Next.js routes, Express/Hono, React, FastAPI,
//! Flask, Django, SQLAlchemy). SEC-SECRETS' history half runs on repositories built with
//! `RepoBuilder` through the whole pipeline.

use plumb::fixture::{Author, RepoBuilder};

use super::{analyse_repo, check, none, one_at, show};

// Planted secrets are assembled at run time so this file does not itself look like it leaks
// them to a scanner.
fn stripe_live() -> String {
    format!("sk_live_{}", "51PqR7sT9uVwXyZaBcDeFgHiJkLmNoPqRsTuVwXyZ0123")
}
fn openai_key() -> String {
    format!("sk-proj-{}", "Zx81LmQ0vTq3RfHs9KdWc2YbNuEa7GpJoVt4XiSe")
}
fn jwt(claims: &str) -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.{}", b64(r#"{"alg":"HS256","typ":"JWT"}"#), b64(claims), b64("4f9a2c1e7b3d5f60a8c2e4d6b8f0a1c3"))
}

// ---------------------------------------------------------------------------------------
// SEC-SECRETS

#[test]
fn secrets_in_env_files_and_code_are_found_and_masked() {
    let live = stripe_live();
    let openai = openai_key();
    let env = format!("NEXT_PUBLIC_SUPABASE_URL=https://abc.supabase.co\nOPENAI_API_KEY={openai}\n");
    let route = format!(
        "import Stripe from \"stripe\";\n\nconst stripe = new Stripe(\"{live}\", {{ apiVersion: \"2024-06-20\" }});\n\nexport async function POST(req: Request) {{\n  return Response.json({{ ok: true }});\n}}\n"
    );
    let findings = check(&[(".env.local", env.as_str()), ("app/api/checkout/route.ts", route.as_str())], "SEC-SECRETS");
    let env_hit = one_at(&findings, ".env.local", 2);
    assert!(env_hit.message.contains("OpenAI API key"), "{}", env_hit.message);
    let code_hit = one_at(&findings, "app/api/checkout/route.ts", 3);
    assert!(code_hit.message.contains("Stripe live secret key"), "{}", code_hit.message);
    assert_eq!(code_hit.class, plumb::checks::Class::LoadBearing);
    for f in &findings {
        let all = serde_json::to_string(f).unwrap();
        assert!(!all.contains(&live) && !all.contains(&openai), "a whole secret in {all}");
    }
}

#[test]
fn placeholders_publishable_keys_anon_jwts_and_fixtures_are_not_secrets() {
    let anon = jwt(r#"{"iss":"supabase","ref":"qzkvbmlxwhrtpfoyjcda","role":"anon","iat":1741003200,"exp":2056579200}"#);
    let local = jwt(r#"{"iss":"supabase-demo","role":"service_role","exp":1983812996}"#);
    let example = "# Copy to .env\nSTRIPE_SECRET_KEY=sk_live_your_key_here\nOPENAI_API_KEY=<your-openai-key>\nRESEND_API_KEY=re_xxxxxxxxxxxxxxxxxxxxxxxx\n";
    let client = format!(
        "import {{ createClient }} from \"@supabase/supabase-js\";\n\nexport const supabase = createClient(\"https://abc.supabase.co\", \"{anon}\");\nexport const stripeKey = \"pk_live_51PqR7sT9uVwXyZaBcDeFgHiJkLmNoPq\";\n"
    );
    let server = "const stripe = new Stripe(Deno.env.get(\"STRIPE_SECRET_KEY\")!);\nconst db = process.env.DATABASE_URL ?? \"postgresql://postgres:postgres@localhost:54322/postgres\";\n";
    let fixture = "export const FAKE_KEY = \"sk_test_9aQ2wE4rT6yU8iO0pA1sD3fG\";\nexport const token = \"ghp_0123456789abcdefghijABCDEFGHIJ012345\";\n";
    let findings = check(
        &[
            (".env.example", example),
            ("src/lib/supabase.ts", client.as_str()),
            ("supabase/functions/pay/index.ts", server),
            ("supabase/.env.local", &format!("SUPABASE_SERVICE_ROLE_KEY={local}\n")),
            ("src/__tests__/fixtures/keys.ts", fixture),
        ],
        "SEC-SECRETS",
    );
    // The GitHub token in the fixture is a live format: live keys are live wherever they sit.
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    one_at(&findings, "src/__tests__/fixtures/keys.ts", 2);
}

#[test]
fn a_service_role_key_is_critical_and_an_anon_key_next_to_it_is_not() {
    let anon = jwt(r#"{"iss":"supabase","role":"anon"}"#);
    let service = jwt(r#"{"iss":"supabase","role":"service_role"}"#);
    let env = format!("SUPABASE_ANON_KEY={anon}\nSUPABASE_SERVICE_ROLE_KEY={service}\n");
    let findings = check(&[("supabase/functions/.env", env.as_str())], "SEC-SECRETS");
    let f = one_at(&findings, "supabase/functions/.env", 2);
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    assert!(f.message.contains("service-role"), "{}", f.message);
    assert_eq!(f.severity, plumb::checks::Severity::Critical);
}

#[test]
fn generic_secrets_need_a_generated_looking_value() {
    let settings = "import os\n\nSECRET_KEY = \"x9$Lq2vR8tZ1mNw4Kp7Ys3Bd\"\nJWT_SECRET = os.environ[\"JWT_SECRET\"]\nPASSWORD_RESET_PATH = \"/auth/reset-password\"\nDATABASE_URL = \"postgresql://app:Vq8mZr2Lx0Tn@db.prod.example.net:5432/app\"\n";
    let findings = check(&[("backend/settings.py", settings)], "SEC-SECRETS");
    assert_eq!(findings.len(), 2, "{}", show(&findings));
    assert!(one_at(&findings, "backend/settings.py", 3).message.contains("SECRET_KEY"));
    assert!(one_at(&findings, "backend/settings.py", 6).message.contains("connection string"));
}

fn maya() -> Author {
    Author::new("Maya Chen", "maya@example.com")
}

#[test]
fn a_secret_removed_from_the_tree_is_reported_from_history_with_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    let live = stripe_live();
    let bot = Author::new("lovable-dev[bot]", "lovable-dev[bot]@users.noreply.github.com");
    repo.write("package.json", "{\"name\":\"app\",\"dependencies\":{}}\n");
    repo.write("supabase/functions/checkout/index.ts", format!("import Stripe from \"npm:stripe@14.21.0\";\n\nconst stripe = new Stripe(\"{live}\");\nDeno.serve(() => new Response(\"ok\"));\n"));
    let added = repo.commit(&bot, 1_742_300_000, "Add checkout").unwrap();
    repo.write("supabase/functions/checkout/index.ts", "import Stripe from \"npm:stripe@14.21.0\";\n\nconst stripe = new Stripe(Deno.env.get(\"STRIPE_SECRET_KEY\")!);\nDeno.serve(() => new Response(\"ok\"));\n");
    let removed = repo.commit(&maya(), 1_743_900_000, "Read the Stripe key from the environment").unwrap();
    repo.write("README.md", "# app\n");
    repo.commit(&maya(), 1_744_000_000, "Readme").unwrap();

    let findings = analyse_repo(dir.path(), "SEC-SECRETS");
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    let f = &findings[0];
    assert_eq!(f.path, "supabase/functions/checkout/index.ts");
    assert_eq!(f.line, 0);
    let short = &added.to_string()[..7];
    assert!(f.message.contains(short) && f.message.contains("2025-03-18") && f.message.contains("lovable-dev[bot]"), "{}", f.message);
    assert!(f.message.contains(&removed.to_string()[..7]), "names the removing commit: {}", f.message);
    assert!(f.message.contains("rotate"), "{}", f.message);
    let related = &f.evidence.related[0];
    assert_eq!(related.line, 3);
    let excerpt = related.excerpt.as_ref().expect("the historical line is shown");
    assert!(excerpt.lines.iter().any(|l| l.contains("sk_live_51Pq")), "{excerpt:?}");
    assert!(!serde_json::to_string(f).unwrap().contains(&live));
}

#[test]
fn a_secret_still_in_the_tree_is_reported_once_with_its_first_commit() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    let openai = openai_key();
    repo.write(".env", format!("OPENAI_API_KEY={openai}\n"));
    let first = repo.commit(&maya(), 1_740_000_000, "env").unwrap();
    repo.write(".env", format!("APP_URL=https://app.example.com\nOPENAI_API_KEY={openai}\n"));
    repo.commit(&maya(), 1_741_000_000, "app url").unwrap();
    let findings = analyse_repo(dir.path(), "SEC-SECRETS");
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    let f = one_at(&findings, ".env", 2);
    assert!(f.evidence.facts.iter().any(|x| x.contains(&first.to_string()[..7])), "{:?}", f.evidence.facts);
}

#[test]
fn a_tracked_file_that_is_now_gitignored_still_counts_as_in_head() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    let live = stripe_live();
    repo.write(".env", format!("STRIPE_SECRET_KEY={live}\n"));
    repo.commit(&maya(), 1_740_000_000, "env").unwrap();
    repo.write(".gitignore", ".env\n");
    repo.commit(&maya(), 1_740_100_000, "ignore env").unwrap();
    let findings = analyse_repo(dir.path(), "SEC-SECRETS");
    let f = one_at(&findings, ".env", 1);
    assert!(f.message.contains("in HEAD"), "{}", f.message);
}

#[test]
fn history_placeholders_and_test_keys_in_fixtures_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    repo.write(".env.example", "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n");
    repo.write("tests/fixtures/stripe.ts", "export const key = \"sk_test_9aQ2wE4rT6yU8iO0pA1sD3fG\";\n");
    repo.commit(&maya(), 1_740_000_000, "fixtures").unwrap();
    repo.remove("tests/fixtures/stripe.ts");
    repo.commit(&maya(), 1_740_100_000, "drop fixture").unwrap();
    none(&analyse_repo(dir.path(), "SEC-SECRETS"));
}

#[test]
fn no_output_format_of_a_run_contains_a_planted_secret_whole() {
    let f = crate::support::Fixture::new();
    let repo = RepoBuilder::init(f.repo()).unwrap();
    let live = stripe_live();
    let openai = openai_key();
    let service = jwt(r#"{"iss":"supabase","role":"service_role"}"#);
    repo.write("src/lib/admin.ts", format!("export const key = \"{service}\";\n"));
    repo.write("server/openai.ts", format!("const OPENAI_API_KEY = \"{openai}\";\n"));
    repo.write("supabase/functions/pay/index.ts", format!("const stripe = new Stripe(\"{live}\");\n"));
    repo.commit(&maya(), 1_740_000_000, "keys").unwrap();
    repo.write("supabase/functions/pay/index.ts", "const stripe = new Stripe(Deno.env.get(\"STRIPE_SECRET_KEY\")!);\n");
    repo.commit(&maya(), 1_740_100_000, "env").unwrap();
    for format in ["json", "sarif", "text"] {
        let out = f.plumb_repo("check", &["--format", format]).ok();
        assert!(out.contains("SEC-SECRETS"), "{format}: {out}");
        for secret in [&live, &openai, &service] {
            assert!(!out.contains(secret.as_str()), "{format} output holds a whole secret:\n{out}");
        }
        // Not even the key's long tail.
        assert!(!out.contains(&live[20..]), "{format}");
    }
}

// ---------------------------------------------------------------------------------------
// SEC-SQLI

#[test]
fn request_data_pasted_into_sql_is_injection() {
    let express = r#"import express from "express";
import { pool } from "./db";

const app = express();

app.get("/api/users", async (req, res) => {
  const { email } = req.query;
  const result = await pool.query(`SELECT id, name FROM users WHERE email = '${email}'`);
  res.json(result.rows);
});
"#;
    let flask = r#"from flask import Flask, request
from db import conn

app = Flask(__name__)

@app.route("/search")
def search():
    name = request.args.get("name", "")
    cur = conn.cursor()
    cur.execute("SELECT * FROM customers WHERE name LIKE '%%%s%%'" % name)
    return {"rows": cur.fetchall()}
"#;
    let sqlalchemy = r#"from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlalchemy.orm import Session

router = APIRouter()

@router.get("/orders")
def list_orders(status: str, db: Session = Depends(get_db)):
    rows = db.execute(text(f"SELECT * FROM orders WHERE status = '{status}' ORDER BY created_at DESC"))
    return rows.mappings().all()
"#;
    let prisma = r#"import { prisma } from "@/lib/prisma";

export async function GET(request: Request) {
  const sort = new URL(request.url).searchParams.get("sort") ?? "created_at";
  const rows = await prisma.$queryRawUnsafe("SELECT * FROM posts ORDER BY " + sort);
  return Response.json(rows);
}
"#;
    let findings = check(
        &[
            ("server/index.ts", express),
            ("app.py", flask),
            ("api/orders.py", sqlalchemy),
            ("app/api/posts/route.ts", prisma),
        ],
        "SEC-SQLI",
    );
    assert_eq!(findings.len(), 4, "{}", show(&findings));
    let e = one_at(&findings, "server/index.ts", 8);
    assert!(e.message.contains("email") && e.message.contains("pool.query()"), "{}", e.message);
    assert_eq!(e.confidence, plumb::checks::Confidence::High);
    assert!(one_at(&findings, "app.py", 10).message.contains("% formatting"));
    assert!(one_at(&findings, "api/orders.py", 9).message.contains("status"));
    assert!(one_at(&findings, "app/api/posts/route.ts", 5).message.contains("sort"));
}

#[test]
fn parameterised_queries_and_tagged_templates_are_not_injection() {
    let ts = r#"import { pool } from "./db";
import postgres from "postgres";
import { prisma } from "@/lib/prisma";

const sql = postgres(process.env.DATABASE_URL!);
const TABLE = "invoices";

export async function GET(request: Request) {
  const id = new URL(request.url).searchParams.get("id");
  const ids = (new URL(request.url).searchParams.get("ids") ?? "").split(",");
  const limit = Number(new URL(request.url).searchParams.get("limit") ?? 20);
  const a = await pool.query("SELECT * FROM invoices WHERE id = $1", [id]);
  const b = await sql`SELECT * FROM invoices WHERE id = ${id}`;
  const c = await prisma.$queryRaw`SELECT * FROM invoices WHERE id = ${id}`;
  const d = await pool.query(`SELECT * FROM ${TABLE} WHERE id = $1 LIMIT ${limit}`, [id]);
  const placeholders = ids.map((_, i) => `$${i + 1}`).join(", ");
  const e = await pool.query(`SELECT * FROM invoices WHERE id IN (${placeholders})`, ids);
  return Response.json({ a, b, c, d, e });
}
"#;
    let py = r#"from fastapi import FastAPI, Query
from db import get_conn

app = FastAPI()

@app.get("/reports/top")
def top(org_id: str, limit: int = Query(20, le=100)):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT name FROM customers WHERE org_id = %s "
            "ORDER BY billed DESC LIMIT %s",
            (org_id, limit),
        )
        ids = [r[0] for r in cur.fetchall()]
        placeholders = ",".join(["%s"] * len(ids))
        cur.execute(f"SELECT * FROM invoices WHERE customer_id IN ({placeholders})", ids)
        return cur.fetchall()
"#;
    none(&check(&[("app/api/invoices/route.ts", ts), ("reports.py", py)], "SEC-SQLI"));
}

#[test]
fn sql_built_from_a_helper_parameter_is_reported_with_medium_confidence() {
    let repo = r#"import { db } from "./client";

export async function findByEmail(email: string) {
  return db.query("SELECT * FROM users WHERE email = '" + email + "'");
}
"#;
    let findings = check(&[("src/server/users.ts", repo)], "SEC-SQLI");
    let f = one_at(&findings, "src/server/users.ts", 4);
    assert_eq!(f.confidence, plumb::checks::Confidence::Medium);
    assert!(f.message.contains("caller"), "{}", f.message);
}

// ---------------------------------------------------------------------------------------
// SEC-XSS

#[test]
fn data_rendered_as_html_is_xss() {
    let comment = r#"import { marked } from "marked";

export function Comment({ comment }: { comment: { body: string } }) {
  return (
    <div className="prose">
      <div dangerouslySetInnerHTML={{ __html: marked(comment.body) }} />
    </div>
  );
}
"#;
    let dom = r#"export async function showBanner() {
  const res = await fetch("/api/banner");
  const { message } = await res.json();
  document.getElementById("banner")!.innerHTML = message;
}
"#;
    let vue = "<template>\n  <section>\n    <div v-html=\"profile.bio\"></div>\n  </section>\n</template>\n";
    let jinja = "{% extends \"base.html\" %}\n{% block content %}\n  <p>{{ user.bio|safe }}</p>\n{% endblock %}\n";
    let flask = r#"from flask import Flask, request
from markupsafe import Markup

app = Flask(__name__)

@app.get("/hello")
def hello():
    name = request.args.get("name", "")
    return f"<h1>Hello {name}</h1>"

def badge(user):
    return Markup(f"<span class='badge'>{user.display_name}</span>")
"#;
    let express = r#"import express from "express";
const app = express();
app.get("/welcome", (req, res) => {
  res.send(`<html><body><h1>Welcome ${req.query.name}</h1></body></html>`);
});
"#;
    let findings = check(
        &[
            ("src/components/Comment.tsx", comment),
            ("src/lib/banner.ts", dom),
            ("src/components/Profile.vue", vue),
            ("templates/profile.html", jinja),
            ("app.py", flask),
            ("server.js", express),
        ],
        "SEC-XSS",
    );
    assert!(one_at(&findings, "src/components/Comment.tsx", 6).message.contains("markdown"));
    assert!(one_at(&findings, "src/lib/banner.ts", 4).message.contains("innerHTML"));
    assert!(one_at(&findings, "src/components/Profile.vue", 3).message.contains("v-html"));
    assert!(one_at(&findings, "templates/profile.html", 3).message.contains("|safe"));
    assert!(one_at(&findings, "app.py", 9).message.contains("reflected"));
    assert!(one_at(&findings, "app.py", 12).message.contains("marked safe"));
    assert!(one_at(&findings, "server.js", 4).message.contains("req.query.name"));
    assert_eq!(findings.len(), 7, "{}", show(&findings));
}

#[test]
fn constants_and_sanitised_html_are_not_xss() {
    let tsx = r#"import DOMPurify from "dompurify";
import sanitizeHtml from "sanitize-html";

const ICON = '<svg viewBox="0 0 24 24"><path d="M4 4h16v16H4z"/></svg>';
const clean = (html: string) => DOMPurify.sanitize(html);

export function Post({ post }: { post: { body: string; title: string } }) {
  const safe = sanitizeHtml(post.body, { allowedTags: ["b", "i", "a"] });
  return (
    <article>
      <span dangerouslySetInnerHTML={{ __html: ICON }} />
      <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(post.body) }} />
      <div dangerouslySetInnerHTML={{ __html: safe }} />
      <div dangerouslySetInnerHTML={{ __html: clean(post.title) }} />
    </article>
  );
}

export function setStatus(el: HTMLElement, text: string) {
  el.textContent = text;
  el.innerHTML = "<em>saved</em>";
}
"#;
    let vue = "<template>\n  <p v-text=\"profile.bio\"></p>\n  <p>{{ profile.bio }}</p>\n</template>\n";
    let jinja = "<p>{{ user.bio }}</p>\n<p>{{ user.bio|striptags }}</p>\n";
    let django = "from django.utils.safestring import mark_safe\n\ndef br():\n    return mark_safe(\"<br>\")\n";
    let mail = r#"await resend.emails.send({
  from: "Acme <hi@acme.dev>",
  to: user.email,
  subject: "Your receipt",
  html: `<p>Total: ${formatCurrency(order.total)}</p><p>Order ${order.id}</p>`,
});
"#;
    none(&check(
        &[
            ("src/components/Post.tsx", tsx),
            ("src/components/Profile.vue", vue),
            ("templates/p.html", jinja),
            ("core/utils.py", django),
            ("supabase/functions/receipt/index.ts", mail),
        ],
        "SEC-XSS",
    ));
}

// ---------------------------------------------------------------------------------------
// SEC-CORS

#[test]
fn wildcard_or_reflected_origins_with_credentials_are_cors_holes() {
    let express = r#"import express from "express";
import cors from "cors";
import cookieParser from "cookie-parser";

const app = express();
app.use(cookieParser());
app.use(cors({ origin: true, credentials: true }));
"#;
    let fastapi = r#"from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)
"#;
    let hono = r#"import { Hono } from "hono";
import { cors } from "hono/cors";
import { verify } from "hono/jwt";

const app = new Hono();
app.use("/api/*", cors());
app.get("/api/me", async (c) => {
  const token = c.req.header("Authorization")?.replace("Bearer ", "");
  const payload = await verify(token!, c.env.JWT_SECRET);
  return c.json(payload);
});
"#;
    let findings = check(&[("server/app.ts", express), ("main.py", fastapi), ("worker/index.ts", hono)], "SEC-CORS");
    assert_eq!(findings.len(), 3, "{}", show(&findings));
    let e = one_at(&findings, "server/app.ts", 7);
    assert!(e.message.contains("echoes any request's Origin"), "{}", e.message);
    assert_eq!(e.severity, plumb::checks::Severity::Critical);
    assert!(one_at(&findings, "main.py", 5).message.contains("Allow-Credentials"));
    one_at(&findings, "worker/index.ts", 6);
}

#[test]
fn shared_wildcard_headers_are_reported_where_defined_when_an_authenticated_function_uses_them() {
    let cors = "export const corsHeaders = {\n  \"Access-Control-Allow-Origin\": \"*\",\n  \"Access-Control-Allow-Headers\": \"authorization, x-client-info, apikey, content-type\",\n};\n";
    let me = r#"import { createClient } from "npm:@supabase/supabase-js@2.45.4";
import { corsHeaders } from "../_shared/cors.ts";

Deno.serve(async (req) => {
  if (req.method === "OPTIONS") return new Response("ok", { headers: corsHeaders });
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { Authorization: req.headers.get("Authorization")! } },
  });
  const { data: { user } } = await supabase.auth.getUser();
  return new Response(JSON.stringify(user), { headers: corsHeaders });
});
"#;
    let public = r#"import { corsHeaders } from "../_shared/cors.ts";

Deno.serve(() => new Response(JSON.stringify({ status: "ok" }), { headers: corsHeaders }));
"#;
    let files = [
        ("supabase/functions/_shared/cors.ts", cors),
        ("supabase/functions/me/index.ts", me),
        ("supabase/functions/status/index.ts", public),
    ];
    let findings = check(&files, "SEC-CORS");
    let f = one_at(&findings, "supabase/functions/_shared/cors.ts", 2);
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    assert!(f.message.contains("me"), "{}", f.message);
    assert!(f.evidence.related.iter().any(|r| r.path == "supabase/functions/me/index.ts"));

    // The same headers used only by the public status function: nothing to report.
    none(&check(&[files[0], files[2]], "SEC-CORS"));
}

#[test]
fn explicit_origin_lists_are_not_cors_holes() {
    let express = r#"import cors from "cors";
const allowed = ["https://app.acme.dev", "https://admin.acme.dev"];
app.use(cors({ origin: allowed, credentials: true }));
app.use(cors({
  origin: (origin, callback) => callback(null, !origin || allowed.includes(origin)),
  credentials: true,
}));
"#;
    let fastapi = "app.add_middleware(CORSMiddleware, allow_origins=[\"https://app.acme.dev\"], allow_credentials=True)\n";
    let route = r#"export async function GET(req: Request) {
  const origin = req.headers.get("origin") ?? "";
  const headers = {
    "Access-Control-Allow-Origin": ALLOWED.includes(origin) ? origin : "https://app.acme.dev",
    "Access-Control-Allow-Credentials": "true",
  };
  return new Response("{}", { headers });
}
"#;
    none(&check(&[("server/app.ts", express), ("main.py", fastapi), ("app/api/x/route.ts", route)], "SEC-CORS"));
}

// ---------------------------------------------------------------------------------------
// SEC-INPUT

#[test]
fn request_bodies_written_without_a_schema_are_reported() {
    let express = r#"import express from "express";
import { prisma } from "./prisma";

const router = express.Router();

router.post("/projects", async (req, res) => {
  const { name, ownerId, plan } = req.body;
  const project = await prisma.project.create({ data: { name, ownerId, plan } });
  res.status(201).json(project);
});
"#;
    let next = r#"import { createClient } from "@/lib/supabase/server";

export async function PATCH(request: Request) {
  const supabase = createClient();
  const { data: { user } } = await supabase.auth.getUser();
  const updates = await request.json();
  const { error } = await supabase.from("profiles").update(updates).eq("id", user!.id);
  return Response.json({ ok: !error });
}
"#;
    let flask = r#"from flask import Blueprint, request
from models import db, Customer

bp = Blueprint("customers", __name__)

@bp.route("/customers", methods=["POST"])
def create_customer():
    data = request.get_json()
    customer = Customer(name=data["name"], email=data["email"])
    db.session.add(customer)
    db.session.commit()
    return {"id": customer.id}, 201
"#;
    let fastapi = r#"from fastapi import APIRouter
from db import get_conn

router = APIRouter()

@router.post("/notes")
def create_note(payload: dict):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO notes (title, body) VALUES (%s, %s)", (payload["title"], payload["body"]))
    return {"ok": True}
"#;
    let findings = check(
        &[
            ("server/routes/projects.ts", express),
            ("app/api/profile/route.ts", next),
            ("app/customers.py", flask),
            ("api/notes.py", fastapi),
        ],
        "SEC-INPUT",
    );
    assert_eq!(findings.len(), 4, "{}", show(&findings));
    let e = one_at(&findings, "server/routes/projects.ts", 7);
    assert!(e.message.contains("ownerId") && e.message.contains("prisma.project.create()"), "{}", e.message);
    assert!(one_at(&findings, "app/api/profile/route.ts", 6).message.contains("updates"));
    assert!(one_at(&findings, "app/customers.py", 8).message.contains("data"));
    assert!(one_at(&findings, "api/notes.py", 6).message.contains("written"));
}

#[test]
fn validated_or_verified_bodies_are_not_reported() {
    let zod = r#"import { z } from "zod";
import { prisma } from "@/lib/prisma";

const Body = z.object({ name: z.string().min(1).max(100), plan: z.enum(["free", "pro"]) });

export async function POST(req: Request) {
  const input = Body.parse(await req.json());
  const project = await prisma.project.create({ data: input });
  return Response.json(project);
}
"#;
    let safe_parse = r#"import { z } from "zod";
const Invite = z.object({ email: z.string().email() });

Deno.serve(async (req) => {
  const body = await req.json();
  const parsed = Invite.safeParse(body);
  if (!parsed.success) return new Response("bad request", { status: 400 });
  await supabaseAdmin.from("invites").insert({ email: parsed.data.email });
  return new Response("ok");
});
"#;
    let hono = r#"import { Hono } from "hono";
import { zValidator } from "@hono/zod-validator";

const app = new Hono();
app.post("/todos", zValidator("json", todoSchema), async (c) => {
  const todo = c.req.valid("json");
  await db.insert(todos).values(todo);
  return c.json(todo, 201);
});
"#;
    let fastapi = r#"from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter()

class NoteIn(BaseModel):
    title: str
    body: str

@router.post("/notes")
def create_note(note: NoteIn):
    db.add(Note(title=note.title, body=note.body))
    db.commit()
"#;
    let webhook = r#"import Stripe from "npm:stripe@14.21.0";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);

Deno.serve(async (req) => {
  const body = await req.text();
  const event = await stripe.webhooks.constructEventAsync(body, req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  const session = JSON.parse(body).data.object;
  await supabaseAdmin.from("payments").insert({ session_id: session.id });
  return new Response("ok");
});
"#;
    let logs_only = r#"export async function POST(req: Request) {
  const body = await req.json();
  console.log("feedback", body);
  return Response.json({ received: true });
}
"#;
    none(&check(
        &[
            ("app/api/projects/route.ts", zod),
            ("supabase/functions/invite/index.ts", safe_parse),
            ("src/worker.ts", hono),
            ("api/notes.py", fastapi),
            ("supabase/functions/stripe-webhook/index.ts", webhook),
            ("app/api/feedback/route.ts", logs_only),
        ],
        "SEC-INPUT",
    ));
}

// ---------------------------------------------------------------------------------------
// SEC-RATE

#[test]
fn login_reset_otp_and_ai_endpoints_without_limits_are_reported() {
    let express = r#"import express from "express";
import bcrypt from "bcryptjs";
import { prisma } from "./prisma";

const app = express();

app.post("/api/login", async (req, res) => {
  const { email, password } = req.body;
  const user = await prisma.user.findUnique({ where: { email } });
  if (!user || !(await bcrypt.compare(password, user.passwordHash))) {
    return res.status(401).json({ error: "Invalid credentials" });
  }
  res.json({ token: signToken(user) });
});
"#;
    let otp = r#"from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

router = APIRouter()

class VerifyOtp(BaseModel):
    phone: str
    code: str

@router.post("/otp/verify")
def verify_otp(body: VerifyOtp):
    stored = get_code(body.phone)
    if stored != body.code:
        raise HTTPException(status_code=401)
    return {"ok": True}
"#;
    let ai = r#"import OpenAI from "npm:openai@4.52.0";
const openai = new OpenAI({ apiKey: Deno.env.get("OPENAI_API_KEY") });

Deno.serve(async (req) => {
  const { prompt } = await req.json();
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: prompt }],
  });
  return Response.json({ text: completion.choices[0].message.content });
});
"#;
    let django = r#"from django.contrib.auth import authenticate, login
from django.shortcuts import redirect, render

def login_view(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
        if user:
            login(request, user)
            return redirect("/")
    return render(request, "login.html")
"#;
    let findings = check(
        &[
            ("server/index.ts", express),
            ("api/otp.py", otp),
            ("supabase/functions/generate/index.ts", ai),
            ("accounts/views.py", django),
        ],
        "SEC-RATE",
    );
    assert_eq!(findings.len(), 4, "{}", show(&findings));
    assert!(one_at(&findings, "server/index.ts", 7).message.contains("bcrypt.compare"));
    assert!(one_at(&findings, "api/otp.py", 10).message.contains("code"));
    let ai = one_at(&findings, "supabase/functions/generate/index.ts", 4);
    assert!(ai.message.contains("OpenAI") && ai.message.contains("anyone"), "{}", ai.message);
    one_at(&findings, "accounts/views.py", 4);
}

#[test]
fn limited_platform_and_scheduled_endpoints_are_not_reported() {
    let limited = r#"import express from "express";
import rateLimit from "express-rate-limit";
import bcrypt from "bcryptjs";

const app = express();
const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, max: 10 });

app.post("/api/login", loginLimiter, async (req, res) => {
  const { email, password } = req.body;
  const user = await findUser(email);
  if (!user || !(await bcrypt.compare(password, user.hash))) return res.sendStatus(401);
  res.json({ ok: true });
});
"#;
    let upstash = r#"import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import OpenAI from "openai";

const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(10, "1 m") });
const openai = new OpenAI();

export async function POST(req: Request) {
  const ip = req.headers.get("x-forwarded-for") ?? "anon";
  const { success } = await ratelimit.limit(ip);
  if (!success) return new Response("Too many requests", { status: 429 });
  const { prompt } = await req.json();
  const r = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: prompt }] });
  return Response.json(r.choices[0].message);
}
"#;
    let proxy = r#"import { createClient } from "npm:@supabase/supabase-js@2.45.4";

Deno.serve(async (req) => {
  const { email, password } = await req.json();
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!);
  const { data, error } = await supabase.auth.signInWithPassword({ email, password });
  return Response.json({ session: data.session, error });
})
"#;
    let cron = r#"import { Resend } from "npm:resend@3.2.0";
const resend = new Resend(Deno.env.get("RESEND_API_KEY"));

Deno.serve(async () => {
  const { data: users } = await supabaseAdmin.from("users").select("email").eq("digest", true);
  for (const u of users ?? []) {
    await resend.emails.send({ from: "hi@acme.dev", to: u.email, subject: "Weekly digest", html: "<p>Hi</p>" });
  }
  return new Response("sent");
});
"#;
    let slowapi = r#"from fastapi import APIRouter, Request
from slowapi import Limiter
from slowapi.util import get_remote_address

limiter = Limiter(key_func=get_remote_address)
router = APIRouter()

@router.post("/auth/login")
@limiter.limit("5/minute")
def login(request: Request, body: LoginRequest):
    if not verify_password(body.password, lookup(body.email)):
        raise HTTPException(401)
    return issue_token(body.email)
"#;
    let client = r#"import { supabase } from "@/lib/supabase";

export async function signIn(email: string, password: string) {
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) throw error;
}
"#;
    none(&check(
        &[
            ("server/index.ts", limited),
            ("app/api/chat/route.ts", upstash),
            ("supabase/functions/login/index.ts", proxy),
            ("supabase/functions/digest/index.ts", cron),
            ("api/auth.py", slowapi),
            ("src/lib/auth.ts", client),
        ],
        "SEC-RATE",
    ));
}

#[test]
fn a_limiter_in_the_app_that_mounts_the_router_covers_its_routes() {
    let app = r#"import express from "express";
import rateLimit from "express-rate-limit";
import auth from "./routes/auth";

const app = express();
app.use("/auth", rateLimit({ windowMs: 60_000, max: 5 }), auth);
"#;
    let routes = r#"import { Router } from "express";
import bcrypt from "bcrypt";

const router = Router();
router.post("/login", async (req, res) => {
  const { email, password } = req.body;
  const ok = await bcrypt.compare(password, await hashFor(email));
  res.sendStatus(ok ? 204 : 401);
});
export default router;
"#;
    none(&check(&[("server/app.ts", app), ("server/routes/auth.ts", routes)], "SEC-RATE"));
    let alone = check(&[("server/routes/auth.ts", routes)], "SEC-RATE");
    one_at(&alone, "server/routes/auth.ts", 5);
}

// ---------------------------------------------------------------------------------------
// SEC-DEPS

#[test]
fn unpinned_manifests_urls_and_undeclared_packages_are_reported() {
    let package = "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"react\": \"^18.3.1\",\n    \"left-pad\": \"*\",\n    \"ui-kit\": \"github:acme/ui-kit\"\n  },\n  \"devDependencies\": {\n    \"vitest\": \"latest\"\n  }\n}\n";
    let code = "import React from \"react\";\nimport { motion } from \"framer-motion-pro\";\nimport fs from \"node:fs\";\nimport path from \"path\";\nimport { cn } from \"@/lib/utils\";\n";
    let edge = "import { serve } from \"https://deno.land/std/http/server.ts\";\nimport { Hono } from \"https://deno.land/x/hono/mod.ts\";\nimport OpenAI from \"https://esm.sh/openai\";\nimport Stripe from \"npm:stripe@^14\";\nimport { z } from \"npm:zod@3.23.8\";\n";
    let deno = "{\n  \"imports\": {\n    \"supabase\": \"jsr:@supabase/supabase-js\",\n    \"zod\": \"npm:zod@3.23.8\"\n  }\n}\n";
    let requirements = "# service deps\nfastapi==0.115.0\nsqlalchemy>=2.0\nhttpx\n";
    let findings = check(
        &[
            ("package.json", package),
            ("src/App.tsx", code),
            ("supabase/functions/ai/index.ts", edge),
            ("supabase/functions/deno.json", deno),
            ("worker/requirements.txt", requirements),
        ],
        "SEC-DEPS",
    );
    let lock = one_at(&findings, "package.json", 0);
    assert!(lock.message.contains("no lockfile"), "{}", lock.message);
    assert!(one_at(&findings, "package.json", 5).message.contains("any version"));
    assert!(one_at(&findings, "package.json", 6).message.contains("git branch"));
    assert!(one_at(&findings, "src/App.tsx", 2).message.contains("framer-motion-pro"));
    for line in 1..=4 {
        one_at(&findings, "supabase/functions/ai/index.ts", line);
    }
    assert!(one_at(&findings, "supabase/functions/deno.json", 3).message.contains("jsr:@supabase/supabase-js"));
    let req = one_at(&findings, "worker/requirements.txt", 0);
    assert!(req.message.contains("2 of 3") && req.message.contains("httpx"), "{}", req.message);
    assert_eq!(findings.len(), 10, "{}", show(&findings));
}

#[test]
fn pinned_locked_and_declared_dependencies_are_not_reported() {
    let package = "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"react\": \"^18.3.1\",\n    \"react-dom\": \"^18.3.1\",\n    \"zod\": \"~3.23.8\",\n    \"@acme/ui\": \"workspace:*\"\n  },\n  \"devDependencies\": {\n    \"vitest\": \"latest\",\n    \"@types/lodash\": \"^4.17.0\"\n  }\n}\n";
    let lock = "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/scheduler\": { \"version\": \"0.23.2\" }\n  }\n}\n";
    let code = "import React from \"react\";\nimport { z } from \"zod\";\nimport { Button } from \"@acme/ui/button\";\nimport { createRoot } from \"react-dom/client\";\nimport { unstable_now } from \"scheduler\";\nimport crypto from \"crypto\";\nimport { cn } from \"@/lib/utils\";\nimport \"./index.css\";\n";
    let edge = "import { createClient } from \"https://esm.sh/@supabase/supabase-js@2.45.4\";\nimport Stripe from \"https://esm.sh/stripe@14.21.0?target=deno\";\nimport { serve } from \"https://deno.land/std@0.168.0/http/server.ts\";\nimport { Resend } from \"npm:resend@3.2.0\";\n";
    let locked_edge = "import OpenAI from \"https://esm.sh/openai@4\";\n";
    let deno_lock = "{\n  \"version\": \"3\",\n  \"remote\": {\n    \"https://esm.sh/openai@4\": \"5b1f…\"\n  }\n}\n";
    let requirements = "fastapi==0.115.0\nuvicorn[standard]==0.30.6\n";
    let compiled = "# This file is autogenerated by pip-compile with Python 3.12\nhttpx==0.27.0 \\\n    --hash=sha256:abc\n";
    none(&check(
        &[
            ("package.json", package),
            ("package-lock.json", lock),
            ("src/main.tsx", code),
            ("supabase/functions/pay/index.ts", edge),
            ("edge/ai/index.ts", locked_edge),
            ("edge/deno.lock", deno_lock),
            ("api/requirements.txt", requirements),
            ("worker/requirements.txt", compiled),
        ],
        "SEC-DEPS",
    ));
}

// ---------------------------------------------------------------------------------------
// SEC-CRYPTO

#[test]
fn weak_randomness_hashing_and_unverified_jwts_are_reported() {
    let reset = r#"export function createResetToken() {
  return Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}
"#;
    let otp = r#"import random
import string

def send_login_code(phone: str) -> str:
    code = "".join(random.choices(string.digits, k=6))
    sms.send(phone, f"Your code is {code}")
    return code
"#;
    let hash = r#"import crypto from "crypto";

export function hashPassword(password: string) {
  return crypto.createHash("sha1").update(password).digest("hex");
}
"#;
    let middleware = r#"import jwt from "jsonwebtoken";

export function requireUser(req, res, next) {
  const token = req.headers.authorization?.split(" ")[1];
  const payload = jwt.decode(token);
  if (!payload) return res.sendStatus(401);
  req.user = { id: payload.sub, role: payload.role };
  next();
}
"#;
    let pyjwt = r#"import jwt

def current_user(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})
"#;
    let none_alg = "import jwt from \"jsonwebtoken\";\nexport const check = (t: string) => jwt.verify(t, process.env.JWT_SECRET!, { algorithms: [\"none\", \"HS256\"] });\n";
    let findings = check(
        &[
            ("src/lib/tokens.ts", reset),
            ("app/otp.py", otp),
            ("server/auth/hash.ts", hash),
            ("server/middleware/auth.js", middleware),
            ("api/deps.py", pyjwt),
            ("server/jwt.ts", none_alg),
        ],
        "SEC-CRYPTO",
    );
    assert_eq!(findings.len(), 6, "{}", show(&findings));
    assert!(one_at(&findings, "src/lib/tokens.ts", 2).message.contains("reset token"));
    assert!(one_at(&findings, "app/otp.py", 5).message.contains("one-time code"));
    assert!(one_at(&findings, "server/auth/hash.ts", 4).message.contains("sha1"));
    assert!(one_at(&findings, "server/middleware/auth.js", 5).message.contains("without checking its signature"));
    assert!(one_at(&findings, "api/deps.py", 4).message.contains("signature verification switched off"));
    assert!(one_at(&findings, "server/jwt.ts", 2).message.contains("\"none\""));
}

#[test]
fn harmless_randomness_and_proper_crypto_are_not_reported() {
    let ui = r#"export function InvoiceRows() {
  const newRow = () => ({ key: Math.random().toString(36).slice(2), description: "" });
  const jitter = Math.random() * 300;
  return { newRow, jitter };
}
"#;
    let tokens = r#"import { randomBytes } from "crypto";
import bcrypt from "bcryptjs";
import jwt from "jsonwebtoken";

export const createInviteToken = () => randomBytes(32).toString("hex");
export const sessionId = () => crypto.randomUUID();
export const hashPassword = (password: string) => bcrypt.hash(password, 12);
export const gravatar = (email: string) => crypto.createHash("md5").update(email.trim().toLowerCase()).digest("hex");
export function readUser(token: string) {
  const header = jwt.decode(token, { complete: true });
  return jwt.verify(token, process.env.JWT_SECRET!, { algorithms: ["HS256"] });
}
"#;
    let py = r#"import random
import secrets
import hashlib
import jwt

def otp() -> str:
    return f"{secrets.randbelow(10**6):06d}"

def shuffle_questions(questions):
    random.shuffle(questions)
    return questions

def etag(body: bytes) -> str:
    return hashlib.md5(body).hexdigest()

def user_from(token: str):
    return jwt.decode(token, SECRET, algorithms=["HS256"])
"#;
    let client = r#""use client";
import { jwtDecode } from "jwt-decode";

export function Avatar({ token }: { token: string }) {
  const { name } = jwtDecode<{ name: string }>(token);
  return <span>{name}</span>;
}
"#;
    none(&check(
        &[
            ("src/components/InvoiceForm.tsx", ui),
            ("server/tokens.ts", tokens),
            ("app/security.py", py),
            ("src/components/Avatar.tsx", client),
        ],
        "SEC-CRYPTO",
    ));
}
