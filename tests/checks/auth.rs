//! AUTH detectors: a true positive and a near-miss negative for every item, on the stacks
//! coding agents produce (Supabase edge functions, Next.js app and pages routers, Express,
//! Hono, FastAPI, Django, Flask, React Query).

use super::{check, none, one_at};

const ROUTE: &str = "AUTH-ROUTE";
const TENANT: &str = "AUTH-TENANT";
const RLS: &str = "AUTH-RLS";
const CACHE: &str = "AUTH-CACHE-KEY";
const KEY: &str = "AUTH-PRIV-KEY";
const DANGER: &str = "AUTH-DANGER-ENDPOINT";

const SUPABASE_ADMIN: &str = r#"import { createClient } from "https://esm.sh/@supabase/supabase-js@2";

export const supabaseAdmin = createClient(
  Deno.env.get("SUPABASE_URL")!,
  Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!,
);
"#;

const CONFIG_NO_JWT: &str = "[functions.delete-project]\nverify_jwt = false\n";

const DELETE_PROJECT: &str = r#"import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";
import { corsHeaders } from "../_shared/cors.ts";

Deno.serve(async (req) => {
  if (req.method === "OPTIONS") return new Response("ok", { headers: corsHeaders });
  const { projectId } = await req.json();
  const { error } = await supabaseAdmin.from("projects").delete().eq("id", projectId);
  if (error) return new Response(JSON.stringify({ error: error.message }), { status: 400 });
  return new Response(JSON.stringify({ ok: true }), { headers: corsHeaders });
});
"#;

// ---------------------------------------------------------------- AUTH-ROUTE

#[test]
fn route_edge_function_with_service_role_and_no_auth() {
    let f = check(
        &[
            ("supabase/config.toml", CONFIG_NO_JWT),
            (
                "supabase/functions/_shared/supabaseAdmin.ts",
                SUPABASE_ADMIN,
            ),
            ("supabase/functions/delete-project/index.ts", DELETE_PROJECT),
        ],
        ROUTE,
    );
    let finding = one_at(&f, "supabase/functions/delete-project/index.ts", 4);
    assert!(
        finding.message.contains("delete-project"),
        "{}",
        finding.message
    );
    assert!(
        finding.message.contains("verify_jwt = false"),
        "{}",
        finding.message
    );
    assert!(finding.message.contains("projects"), "{}", finding.message);
    assert_eq!(finding.confidence, plumb::checks::Confidence::High);
    assert!(finding.exposure.data_write);
}

#[test]
fn route_edge_function_that_verifies_the_caller_is_fine() {
    let with_auth = DELETE_PROJECT.replace(
        "  const { projectId } = await req.json();",
        r#"  const token = req.headers.get("Authorization")?.replace("Bearer ", "");
  const { data: { user } } = await supabaseAdmin.auth.getUser(token);
  if (!user) return new Response("Unauthorized", { status: 401 });
  const { projectId } = await req.json();"#,
    );
    none(&check(
        &[
            ("supabase/config.toml", CONFIG_NO_JWT),
            (
                "supabase/functions/_shared/supabaseAdmin.ts",
                SUPABASE_ADMIN,
            ),
            ("supabase/functions/delete-project/index.ts", &with_auth),
        ],
        ROUTE,
    ));
}

#[test]
fn route_edge_function_querying_as_the_caller_is_fine() {
    let user_client = r#"import { createClient } from "https://esm.sh/@supabase/supabase-js@2";

Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { Authorization: req.headers.get("Authorization")! } },
  });
  const { data } = await supabase.from("projects").select("*");
  return new Response(JSON.stringify(data));
});
"#;
    none(&check(
        &[("supabase/functions/list-projects/index.ts", user_client)],
        ROUTE,
    ));
}

#[test]
fn route_edge_function_behind_the_default_gateway_check_is_still_reported() {
    let f = check(
        &[
            (
                "supabase/functions/_shared/supabaseAdmin.ts",
                SUPABASE_ADMIN,
            ),
            ("supabase/functions/delete-project/index.ts", DELETE_PROJECT),
        ],
        ROUTE,
    );
    let finding = one_at(&f, "supabase/functions/delete-project/index.ts", 4);
    assert!(finding.message.contains("anon key"), "{}", finding.message);
    assert_eq!(finding.confidence, plumb::checks::Confidence::Medium);
}

const NEXT_INVOICE_ROUTE: &str = r#"import { NextResponse } from "next/server";
import { prisma } from "@/lib/prisma";

export async function GET(req: Request, { params }: { params: { id: string } }) {
  const invoice = await prisma.invoice.findUnique({
    where: { id: params.id },
    include: { lineItems: true },
  });
  if (!invoice) {
    return NextResponse.json({ error: "Not found" }, { status: 404 });
  }
  return NextResponse.json(invoice);
}
"#;

#[test]
fn route_next_app_route_without_session() {
    let f = check(
        &[("app/api/invoices/[id]/route.ts", NEXT_INVOICE_ROUTE)],
        ROUTE,
    );
    let finding = one_at(&f, "app/api/invoices/[id]/route.ts", 4);
    assert!(
        finding.message.contains("GET /api/invoices/[id]"),
        "{}",
        finding.message
    );
    assert!(finding.message.contains("invoice"), "{}", finding.message);
}

#[test]
fn route_next_app_route_with_next_auth_session_is_fine() {
    let protected = r#"import { NextResponse } from "next/server";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth";
import { prisma } from "@/lib/prisma";

export async function GET(req: Request, { params }: { params: { id: string } }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) {
    return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  }
  const invoice = await prisma.invoice.findFirst({
    where: { id: params.id, userId: session.user.id },
  });
  return NextResponse.json(invoice);
}
"#;
    none(&check(
        &[("app/api/invoices/[id]/route.ts", protected)],
        ROUTE,
    ));
}

#[test]
fn route_next_middleware_matcher_decides() {
    let covering = r#"export { default } from "next-auth/middleware";

export const config = { matcher: ["/dashboard/:path*", "/api/invoices/:path*"] };
"#;
    none(&check(
        &[
            ("middleware.ts", covering),
            ("app/api/invoices/[id]/route.ts", NEXT_INVOICE_ROUTE),
        ],
        ROUTE,
    ));
    let elsewhere = covering.replace(", \"/api/invoices/:path*\"", "");
    let f = check(
        &[
            ("middleware.ts", &elsewhere),
            ("app/api/invoices/[id]/route.ts", NEXT_INVOICE_ROUTE),
        ],
        ROUTE,
    );
    one_at(&f, "app/api/invoices/[id]/route.ts", 4);
}

#[test]
fn route_clerk_middleware_protects_only_what_it_protects() {
    let protecting = r#"import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";

const isPublicRoute = createRouteMatcher(["/", "/sign-in(.*)", "/api/webhooks(.*)"]);

export default clerkMiddleware(async (auth, req) => {
  if (!isPublicRoute(req)) {
    await auth.protect();
  }
});

export const config = {
  matcher: ["/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)", "/(api|trpc)(.*)"],
};
"#;
    none(&check(
        &[
            ("src/middleware.ts", protecting),
            ("src/app/api/invoices/[id]/route.ts", NEXT_INVOICE_ROUTE),
        ],
        ROUTE,
    ));
    // clerkMiddleware() alone makes every route public until a route calls auth().
    let passive = "import { clerkMiddleware } from \"@clerk/nextjs/server\";\n\nexport default clerkMiddleware();\n\nexport const config = { matcher: [\"/(api|trpc)(.*)\"] };\n";
    let f = check(
        &[
            ("src/middleware.ts", passive),
            ("src/app/api/invoices/[id]/route.ts", NEXT_INVOICE_ROUTE),
        ],
        ROUTE,
    );
    one_at(&f, "src/app/api/invoices/[id]/route.ts", 4);
}

#[test]
fn route_clerk_auth_in_the_handler_is_fine() {
    let clerk = r#"import { auth } from "@clerk/nextjs/server";
import { db } from "@/server/db";

export async function DELETE(req: Request, { params }: { params: { id: string } }) {
  const { userId } = await auth();
  if (!userId) return new Response("Unauthorized", { status: 401 });
  await db.invoice.deleteMany({ where: { id: params.id, ownerId: userId } });
  return new Response(null, { status: 204 });
}
"#;
    none(&check(
        &[("src/app/api/invoices/[id]/route.ts", clerk)],
        ROUTE,
    ));
}

const EXPRESS_ROUTES: &str = r#"import { Router } from "express";
import { pool } from "../db";

const router = Router();

router.get("/:id", async (req, res) => {
  const { rows } = await pool.query("SELECT * FROM invoices WHERE id = $1", [req.params.id]);
  res.json(rows[0]);
});

export default router;
"#;

#[test]
fn route_express_router_mounted_behind_auth_middleware_is_fine() {
    let server = r#"import express from "express";
import { requireAuth } from "./middleware/auth";
import invoicesRouter from "./routes/invoices";

const app = express();
app.use(express.json());
app.use("/api/invoices", requireAuth, invoicesRouter);
app.listen(3000);
"#;
    none(&check(
        &[
            ("src/server.ts", server),
            ("src/routes/invoices.ts", EXPRESS_ROUTES),
            (
                "src/db.ts",
                "import { Pool } from \"pg\";\nexport const pool = new Pool();\n",
            ),
        ],
        ROUTE,
    ));
}

#[test]
fn route_express_router_mounted_without_auth_is_reported() {
    let server = r#"import express from "express";
import invoicesRouter from "./routes/invoices";

const app = express();
app.use(express.json());
app.use("/api/invoices", invoicesRouter);
app.listen(3000);
"#;
    let f = check(
        &[
            ("src/server.ts", server),
            ("src/routes/invoices.ts", EXPRESS_ROUTES),
            (
                "src/db.ts",
                "import { Pool } from \"pg\";\nexport const pool = new Pool();\n",
            ),
        ],
        ROUTE,
    );
    let finding = one_at(&f, "src/routes/invoices.ts", 6);
    assert!(finding.message.contains("GET /:id"), "{}", finding.message);
}

#[test]
fn route_express_router_use_before_routes_is_fine() {
    let guarded = EXPRESS_ROUTES.replace(
        "const router = Router();\n",
        "const router = Router();\nrouter.use(authenticate);\n",
    )
    .replace("import { pool } from \"../db\";", "import { pool } from \"../db\";\nimport { authenticate } from \"../middleware/authenticate\";");
    none(&check(&[("src/routes/invoices.ts", &guarded)], ROUTE));
}

#[test]
fn route_hono_jwt_middleware_covers_its_prefix() {
    let hono = r#"import { Hono } from "hono";
import { jwt } from "hono/jwt";
import { db } from "./db";

const app = new Hono();

app.use("/api/*", jwt({ secret: process.env.JWT_SECRET! }));

app.get("/api/projects/:id", async (c) => {
  const project = await db.query.projects.findFirst({ where: (p, { eq }) => eq(p.id, c.req.param("id")) });
  return c.json(project);
});

app.get("/v1/projects/:id", async (c) => {
  const project = await db.query.projects.findFirst({ where: (p, { eq }) => eq(p.id, c.req.param("id")) });
  return c.json(project);
});

export default app;
"#;
    let f = check(&[("src/index.ts", hono)], ROUTE);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    one_at(&f, "src/index.ts", 14);
}

const FASTAPI_APP: &str = r#"from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy.orm import Session

from .auth import get_current_user
from .database import get_db
from .models import Project

app = FastAPI()


@app.get("/projects/{project_id}")
def read_project(project_id: int, db: Session = Depends(get_db)):
    project = db.query(Project).filter(Project.id == project_id).first()
    if project is None:
        raise HTTPException(status_code=404, detail="Project not found")
    return project


@app.get("/health")
def health():
    return {"status": "ok"}
"#;

#[test]
fn route_fastapi_without_a_user_dependency() {
    let f = check(&[("app/main.py", FASTAPI_APP)], ROUTE);
    let finding = one_at(&f, "app/main.py", 12);
    assert!(
        finding.message.contains("/projects/{project_id}"),
        "{}",
        finding.message
    );
}

#[test]
fn route_fastapi_with_depends_get_current_user_is_fine() {
    let with_user = FASTAPI_APP.replace(
        "def read_project(project_id: int, db: Session = Depends(get_db)):",
        "def read_project(project_id: int, db: Session = Depends(get_db), current_user: User = Depends(get_current_user)):",
    );
    none(&check(&[("app/main.py", &with_user)], ROUTE));
}

#[test]
fn route_fastapi_router_dependencies_cover_every_route() {
    let router = r#"from fastapi import APIRouter, Depends

from app.deps import get_current_active_user, get_db
from app.models import Invoice

router = APIRouter(prefix="/invoices", tags=["invoices"], dependencies=[Depends(get_current_active_user)])


@router.get("/")
def list_invoices(db=Depends(get_db)):
    return db.query(Invoice).all()
"#;
    none(&check(&[("app/routers/invoices.py", router)], ROUTE));
    let unguarded = router.replace(", dependencies=[Depends(get_current_active_user)]", "");
    let main = r#"from fastapi import Depends, FastAPI

from app.deps import get_current_active_user
from app.routers import invoices

app = FastAPI()
app.include_router(invoices.router, dependencies=[Depends(get_current_active_user)])
"#;
    none(&check(
        &[
            ("app/main.py", main),
            ("app/routers/invoices.py", &unguarded),
        ],
        ROUTE,
    ));
    let open_main = main.replace(", dependencies=[Depends(get_current_active_user)]", "");
    let f = check(
        &[
            ("app/main.py", &open_main),
            ("app/routers/invoices.py", &unguarded),
        ],
        ROUTE,
    );
    one_at(&f, "app/routers/invoices.py", 10);
}

const DJANGO_VIEWS: &str = r#"from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Invoice


def invoice_detail(request, pk):
    invoice = get_object_or_404(Invoice, pk=pk)
    return JsonResponse({"id": invoice.pk, "total": str(invoice.total)})
"#;

#[test]
fn route_django_view_without_login_required() {
    let f = check(&[("billing/views.py", DJANGO_VIEWS)], ROUTE);
    one_at(&f, "billing/views.py", 8);
}

#[test]
fn route_django_login_required_and_drf_permissions_are_fine() {
    let decorated = DJANGO_VIEWS.replace(
        "\ndef invoice_detail",
        "\n@login_required\ndef invoice_detail",
    );
    none(&check(&[("billing/views.py", &decorated)], ROUTE));
    let drf = r#"from rest_framework import permissions, viewsets

from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceViewSet(viewsets.ModelViewSet):
    serializer_class = InvoiceSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Invoice.objects.filter(owner=self.request.user)
"#;
    none(&check(&[("billing/views.py", drf)], ROUTE));
}

#[test]
fn route_flask_login_required() {
    let flask = r#"from flask import Blueprint, jsonify
from flask_login import login_required, current_user

from .models import Invoice, db

bp = Blueprint("invoices", __name__)


@bp.route("/invoices/<int:invoice_id>")
def get_invoice(invoice_id):
    invoice = db.session.get(Invoice, invoice_id)
    return jsonify(invoice.to_dict())
"#;
    let f = check(&[("app/invoices.py", flask)], ROUTE);
    one_at(&f, "app/invoices.py", 10);
    let protected = flask.replace(
        "@bp.route(\"/invoices/<int:invoice_id>\")\n",
        "@bp.route(\"/invoices/<int:invoice_id>\")\n@login_required\n",
    );
    none(&check(&[("app/invoices.py", &protected)], ROUTE));
}

#[test]
fn route_public_by_design_endpoints_are_not_reported() {
    let webhook = r#"import Stripe from "stripe";
import { prisma } from "@/lib/prisma";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const body = await req.text();
  const signature = req.headers.get("stripe-signature")!;
  const event = stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!);
  if (event.type === "checkout.session.completed") {
    await prisma.order.update({ where: { id: event.data.object.metadata.orderId }, data: { status: "paid" } });
  }
  return new Response("ok");
}
"#;
    let login = r#"import { prisma } from "@/lib/prisma";
import bcrypt from "bcryptjs";

export async function POST(req: Request) {
  const { email, password } = await req.json();
  const user = await prisma.user.findUnique({ where: { email } });
  const ok = user && (await bcrypt.compare(password, user.passwordHash));
  return Response.json({ ok });
}
"#;
    let health = "import { prisma } from \"@/lib/prisma\";\n\nexport async function GET() {\n  await prisma.$queryRaw`SELECT 1`;\n  return Response.json({ ok: true });\n}\n";
    none(&check(
        &[
            ("app/api/stripe/webhook/route.ts", webhook),
            ("app/api/auth/login/route.ts", login),
            ("app/api/health/route.ts", health),
        ],
        ROUTE,
    ));
}

#[test]
fn route_pages_api_and_server_actions() {
    let pages = r#"import type { NextApiRequest, NextApiResponse } from "next";
import { prisma } from "@/lib/prisma";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const projects = await prisma.project.findMany({ where: { teamId: req.query.teamId as string } });
  res.status(200).json(projects);
}
"#;
    let f = check(&[("pages/api/projects.ts", pages)], ROUTE);
    one_at(&f, "pages/api/projects.ts", 4);
    let action = r#""use server";

import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";

export async function deleteProject(id: string) {
  await db.project.delete({ where: { id } });
  revalidatePath("/projects");
}
"#;
    let f = check(&[("app/projects/actions.ts", action)], ROUTE);
    let finding = one_at(&f, "app/projects/actions.ts", 6);
    assert!(
        finding.message.contains("deleteProject"),
        "{}",
        finding.message
    );
    let with_auth = action.replace(
        "export async function deleteProject(id: string) {\n",
        "export async function deleteProject(id: string) {\n  const session = await auth();\n  if (!session) throw new Error(\"Unauthorized\");\n",
    );
    none(&check(&[("app/projects/actions.ts", &with_auth)], ROUTE));
}

#[test]
fn route_auth_helper_in_another_file_counts() {
    let helper = r#"import { getServerSession } from "next-auth";
import { authOptions } from "./auth-options";

export async function requireUser() {
  const session = await getServerSession(authOptions);
  if (!session?.user) throw new Response("Unauthorized", { status: 401 });
  return session.user;
}
"#;
    let route = r#"import { requireUser } from "@/lib/session";
import { prisma } from "@/lib/prisma";

export async function GET() {
  const user = await requireUser();
  const projects = await prisma.project.findMany({ where: { ownerId: user.id } });
  return Response.json(projects);
}
"#;
    none(&check(
        &[
            (
                "tsconfig.json",
                "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./src/*\"] } } }",
            ),
            ("src/lib/session.ts", helper),
            ("src/app/api/projects/route.ts", route),
        ],
        ROUTE,
    ));
}

// ---------------------------------------------------------------- AUTH-TENANT

#[test]
fn tenant_prisma_lookup_by_id_without_owner() {
    let route = r#"import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";

export async function GET(req: Request, { params }: { params: { id: string } }) {
  const session = await auth();
  if (!session?.user) return Response.json({ error: "Unauthorized" }, { status: 401 });

  const invoice = await prisma.invoice.findUnique({
    where: { id: params.id },
  });
  return Response.json(invoice);
}
"#;
    let f = check(&[("app/api/invoices/[id]/route.ts", route)], TENANT);
    let finding = one_at(&f, "app/api/invoices/[id]/route.ts", 9);
    assert!(finding.message.contains("invoice"), "{}", finding.message);
    assert!(finding.message.contains("params.id"), "{}", finding.message);
}

#[test]
fn tenant_prisma_scoped_by_owner_or_checked_after_is_fine() {
    let scoped = r#"import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";

export async function GET(req: Request, { params }: { params: { id: string } }) {
  const session = await auth();
  if (!session?.user) return Response.json({ error: "Unauthorized" }, { status: 401 });
  const invoice = await prisma.invoice.findFirst({ where: { id: params.id, userId: session.user.id } });
  return Response.json(invoice);
}
"#;
    none(&check(
        &[("app/api/invoices/[id]/route.ts", scoped)],
        TENANT,
    ));
    let checked = r#"import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";

export async function GET(req: Request, { params }: { params: { id: string } }) {
  const session = await auth();
  if (!session?.user) return Response.json({ error: "Unauthorized" }, { status: 401 });
  const invoice = await prisma.invoice.findUnique({ where: { id: params.id } });
  if (!invoice || invoice.userId !== session.user.id) {
    return Response.json({ error: "Not found" }, { status: 404 });
  }
  return Response.json(invoice);
}
"#;
    none(&check(
        &[("app/api/invoices/[id]/route.ts", checked)],
        TENANT,
    ));
}

const PROJECTS_SQL: &str = r#"create table public.projects (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references auth.users(id),
  name text not null
);
"#;
const PROJECTS_RLS: &str = r#"alter table public.projects enable row level security;
create policy "Owners read their projects" on public.projects for select using (auth.uid() = owner_id);
"#;
const USER_CLIENT_FUNCTION: &str = r#"import { createClient } from "https://esm.sh/@supabase/supabase-js@2";

Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { Authorization: req.headers.get("Authorization")! } },
  });
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) return new Response("Unauthorized", { status: 401 });
  const { projectId } = await req.json();
  const { data } = await supabase.from("projects").select("*").eq("id", projectId).single();
  return new Response(JSON.stringify(data));
});
"#;

#[test]
fn tenant_user_client_depends_on_the_tables_rls() {
    none(&check(
        &[
            (
                "supabase/migrations/20250101000000_projects.sql",
                PROJECTS_SQL,
            ),
            (
                "supabase/migrations/20250102000000_projects_rls.sql",
                PROJECTS_RLS,
            ),
            (
                "supabase/functions/get-project/index.ts",
                USER_CLIENT_FUNCTION,
            ),
        ],
        TENANT,
    ));
    let f = check(
        &[
            (
                "supabase/migrations/20250101000000_projects.sql",
                PROJECTS_SQL,
            ),
            (
                "supabase/functions/get-project/index.ts",
                USER_CLIENT_FUNCTION,
            ),
        ],
        TENANT,
    );
    let finding = one_at(&f, "supabase/functions/get-project/index.ts", 10);
    assert!(
        finding.message.contains("row-level security"),
        "{}",
        finding.message
    );
    assert_eq!(
        finding.evidence.related[0].path,
        "supabase/migrations/20250101000000_projects.sql"
    );
}

#[test]
fn tenant_mongoose_find_by_id_in_express() {
    let route = r#"const express = require("express");
const Invoice = require("../models/Invoice");
const { protect } = require("../middleware/auth");

const router = express.Router();

router.get("/:id", protect, async (req, res) => {
  const invoice = await Invoice.findById(req.params.id);
  res.json(invoice);
});

router.get("/mine/:id", protect, async (req, res) => {
  const invoice = await Invoice.findOne({ _id: req.params.id, owner: req.user.id });
  res.json(invoice);
});

module.exports = router;
"#;
    let f = check(&[("routes/invoices.js", route)], TENANT);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    one_at(&f, "routes/invoices.js", 8);
}

#[test]
fn tenant_fastapi_sqlalchemy() {
    let app = r#"from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from app.deps import get_current_user, get_db
from app.models import Document, User

router = APIRouter()


@router.get("/documents/{document_id}")
def read_document(document_id: int, db: Session = Depends(get_db), current_user: User = Depends(get_current_user)):
    document = db.get(Document, document_id)
    if document is None:
        raise HTTPException(status_code=404)
    return document


@router.delete("/documents/{document_id}")
def delete_document(document_id: int, db: Session = Depends(get_db), current_user: User = Depends(get_current_user)):
    document = db.query(Document).filter(Document.id == document_id, Document.owner_id == current_user.id).first()
    db.delete(document)
    db.commit()
"#;
    let f = check(&[("app/routers/documents.py", app)], TENANT);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    let finding = one_at(&f, "app/routers/documents.py", 12);
    assert!(finding.message.contains("Document"), "{}", finding.message);
}

#[test]
fn tenant_django_get_object_or_404() {
    let views = r#"from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Invoice


@login_required
def invoice_detail(request, pk):
    invoice = get_object_or_404(Invoice, pk=pk)
    return render(request, "invoices/detail.html", {"invoice": invoice})


@login_required
def my_invoice(request, pk):
    invoice = get_object_or_404(Invoice, pk=pk, owner=request.user)
    return render(request, "invoices/detail.html", {"invoice": invoice})
"#;
    let f = check(&[("invoices/views.py", views)], TENANT);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    one_at(&f, "invoices/views.py", 9);
}

#[test]
fn tenant_drf_viewset_over_all_rows() {
    let open = r#"from rest_framework import permissions, viewsets

from .models import Invoice
from .serializers import InvoiceSerializer


class InvoiceViewSet(viewsets.ModelViewSet):
    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    permission_classes = [permissions.IsAuthenticated]
"#;
    let f = check(&[("invoices/views.py", open)], TENANT);
    one_at(&f, "invoices/views.py", 8);
    let scoped = open.replace(
        "    permission_classes = [permissions.IsAuthenticated]\n",
        "    permission_classes = [permissions.IsAuthenticated]\n\n    def get_queryset(self):\n        return Invoice.objects.filter(owner=self.request.user)\n",
    );
    none(&check(&[("invoices/views.py", &scoped)], TENANT));
}

#[test]
fn tenant_id_from_the_request_and_membership_checks() {
    let from_body = r#"import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

Deno.serve(async (req) => {
  const token = req.headers.get("Authorization")!.replace("Bearer ", "");
  const { data: { user } } = await supabaseAdmin.auth.getUser(token);
  if (!user) return new Response("Unauthorized", { status: 401 });
  const { orgId } = await req.json();
  const { data } = await supabaseAdmin.from("invoices").select("*").eq("org_id", orgId);
  return new Response(JSON.stringify(data));
});
"#;
    let f = check(
        &[
            (
                "supabase/functions/_shared/supabaseAdmin.ts",
                SUPABASE_ADMIN,
            ),
            ("supabase/functions/org-invoices/index.ts", from_body),
        ],
        TENANT,
    );
    let finding = one_at(&f, "supabase/functions/org-invoices/index.ts", 8);
    assert!(
        finding.message.contains("org_id taken from the request"),
        "{}",
        finding.message
    );
    let with_membership = from_body.replace(
        "  const { data } = await supabaseAdmin",
        "  const { data: member } = await supabaseAdmin.from(\"memberships\").select(\"id\").eq(\"user_id\", user.id).eq(\"org_id\", orgId).single();\n  if (!member) return new Response(\"Forbidden\", { status: 403 });\n  const { data } = await supabaseAdmin",
    );
    none(&check(
        &[
            (
                "supabase/functions/_shared/supabaseAdmin.ts",
                SUPABASE_ADMIN,
            ),
            ("supabase/functions/org-invoices/index.ts", &with_membership),
        ],
        TENANT,
    ));
}

#[test]
fn tenant_unauthenticated_routes_are_left_to_auth_route() {
    none(&check(
        &[("app/api/invoices/[id]/route.ts", NEXT_INVOICE_ROUTE)],
        TENANT,
    ));
}

// ---------------------------------------------------------------- AUTH-RLS

const NOTES: &str = r#"create table public.notes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade,
  body text not null
);
"#;

#[test]
fn rls_missing_on_a_customer_table() {
    let f = check(
        &[("supabase/migrations/20250101000000_notes.sql", NOTES)],
        RLS,
    );
    let finding = one_at(&f, "supabase/migrations/20250101000000_notes.sql", 1);
    assert!(
        finding.message.contains("public.notes"),
        "{}",
        finding.message
    );
}

#[test]
fn rls_enabled_in_a_later_migration_with_scoped_policies_is_fine() {
    let later = "alter table public.notes enable row level security;\n\ncreate policy \"Users manage their notes\" on public.notes\n  for all using (auth.uid() = user_id) with check (auth.uid() = user_id);\n";
    none(&check(
        &[
            ("supabase/migrations/20250101000000_notes.sql", NOTES),
            ("supabase/migrations/20250201000000_notes_rls.sql", later),
        ],
        RLS,
    ));
}

#[test]
fn rls_permissive_policies_on_customer_data() {
    let open = "alter table public.notes enable row level security;\n\ncreate policy \"Enable read access for all users\" on public.notes\n  for select using (true);\n\ncreate policy \"Authenticated users can update\" on public.notes\n  for update to authenticated using (auth.role() = 'authenticated');\n";
    let f = check(
        &[
            ("supabase/migrations/20250101000000_notes.sql", NOTES),
            ("supabase/migrations/20250201000000_notes_rls.sql", open),
        ],
        RLS,
    );
    assert_eq!(f.len(), 2, "{}", super::show(&f));
    one_at(&f, "supabase/migrations/20250201000000_notes_rls.sql", 3);
    let update = one_at(&f, "supabase/migrations/20250201000000_notes_rls.sql", 6);
    assert!(update.message.contains("signed-in"), "{}", update.message);
}

#[test]
fn rls_open_policy_dropped_later_and_public_catalogue_tables_are_fine() {
    let open = "alter table public.notes enable row level security;\ncreate policy \"Enable read access for all users\" on public.notes for select using (true);\n";
    let fixed = "drop policy \"Enable read access for all users\" on public.notes;\ncreate policy \"Users read their notes\" on public.notes for select using (auth.uid() = user_id);\n";
    let plans = "create table public.plans (id text primary key, name text not null, price_cents integer not null);\nalter table public.plans enable row level security;\ncreate policy \"Plans are public\" on public.plans for select using (true);\n";
    none(&check(
        &[
            ("supabase/migrations/20250101000000_notes.sql", NOTES),
            ("supabase/migrations/20250201000000_notes_rls.sql", open),
            ("supabase/migrations/20250301000000_fix.sql", fixed),
            ("supabase/migrations/20250401000000_plans.sql", plans),
        ],
        RLS,
    ));
}

#[test]
fn rls_is_not_asked_of_a_database_only_the_server_reaches() {
    none(&check(&[("db/migrations/001_notes.sql", NOTES)], RLS));
}

// ---------------------------------------------------------------- AUTH-CACHE-KEY

#[test]
fn cache_server_cache_key_without_user() {
    let route = r#"import { Router } from "express";
import { LRUCache } from "lru-cache";
import { requireAuth } from "../middleware/requireAuth";
import { db } from "../db";

const cache = new LRUCache<string, unknown>({ max: 500, ttl: 60_000 });
const router = Router();

router.get("/dashboard", requireAuth, async (req, res) => {
  const hit = cache.get("dashboard");
  if (hit) return res.json(hit);
  const stats = await db.query("SELECT count(*) FROM orders WHERE account_id = $1", [req.user.accountId]);
  cache.set("dashboard", stats.rows);
  res.json(stats.rows);
});

router.get("/dashboard/v2", requireAuth, async (req, res) => {
  const key = `dashboard:${req.user.accountId}`;
  const hit = cache.get(key);
  if (hit) return res.json(hit);
  const stats = await db.query("SELECT count(*) FROM orders WHERE account_id = $1", [req.user.accountId]);
  cache.set(key, stats.rows);
  res.json(stats.rows);
});

export default router;
"#;
    let f = check(&[("src/routes/dashboard.ts", route)], CACHE);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    let finding = one_at(&f, "src/routes/dashboard.ts", 10);
    assert!(
        finding.message.contains("\"dashboard\""),
        "{}",
        finding.message
    );
}

#[test]
fn cache_redis_in_a_next_route() {
    let route = r#"import { Redis } from "@upstash/redis";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth";
import { prisma } from "@/lib/prisma";

const redis = Redis.fromEnv();

export async function GET() {
  const session = await getServerSession(authOptions);
  if (!session) return new Response("Unauthorized", { status: 401 });
  const cached = await redis.get("usage-summary");
  if (cached) return Response.json(cached);
  const usage = await prisma.usage.aggregate({ where: { teamId: session.user.teamId }, _sum: { tokens: true } });
  await redis.set("usage-summary", usage, { ex: 300 });
  return Response.json(usage);
}
"#;
    let f = check(&[("app/api/usage/route.ts", route)], CACHE);
    one_at(&f, "app/api/usage/route.ts", 11);
    let keyed = route.replace("\"usage-summary\"", "`usage:${session.user.teamId}`");
    none(&check(&[("app/api/usage/route.ts", &keyed)], CACHE));
}

#[test]
fn cache_public_cache_control_on_an_authenticated_response() {
    let route = r#"import { auth } from "@/auth";
import { db } from "@/lib/db";

export async function GET() {
  const session = await auth();
  if (!session) return new Response("Unauthorized", { status: 401 });
  const invoices = await db.invoice.findMany({ where: { userId: session.user.id } });
  return Response.json(invoices, {
    headers: { "Cache-Control": "public, s-maxage=60, stale-while-revalidate=300" },
  });
}
"#;
    let f = check(&[("app/api/invoices/route.ts", route)], CACHE);
    one_at(&f, "app/api/invoices/route.ts", 9);
    let private = route.replace(
        "public, s-maxage=60, stale-while-revalidate=300",
        "private, no-store",
    );
    none(&check(&[("app/api/invoices/route.ts", &private)], CACHE));
    let pricing = "import { db } from \"@/lib/db\";\n\nexport async function GET() {\n  const plans = await db.plan.findMany();\n  return Response.json(plans, { headers: { \"Cache-Control\": \"public, s-maxage=3600\" } });\n}\n";
    none(&check(&[("app/api/plans/route.ts", pricing)], CACHE));
}

#[test]
fn cache_unstable_cache_closing_over_the_session() {
    let page = r#"import { unstable_cache } from "next/cache";
import { auth } from "@/auth";
import { db } from "@/lib/db";

export default async function DashboardPage() {
  const session = await auth();
  const getStats = unstable_cache(
    async () => db.invoice.count({ where: { userId: session!.user.id } }),
    ["dashboard-stats"],
    { revalidate: 60 },
  );
  const stats = await getStats();
  return <p>{stats} invoices</p>;
}
"#;
    let f = check(&[("app/dashboard/page.tsx", page)], CACHE);
    one_at(&f, "app/dashboard/page.tsx", 7);
    let with_args = r#"import { unstable_cache } from "next/cache";
import { auth } from "@/auth";
import { db } from "@/lib/db";

const getStats = unstable_cache(
  async (userId: string) => db.invoice.count({ where: { userId } }),
  ["dashboard-stats"],
  { revalidate: 60 },
);

export default async function DashboardPage() {
  const session = await auth();
  const stats = await getStats(session!.user.id);
  return <p>{stats} invoices</p>;
}
"#;
    none(&check(&[("app/dashboard/page.tsx", with_args)], CACHE));
}

#[test]
fn cache_force_static_on_a_page_that_reads_the_session() {
    let page = "import { auth } from \"@/auth\";\n\nexport const dynamic = \"force-static\";\n\nexport default async function Account() {\n  const session = await auth();\n  return <p>{session?.user?.email}</p>;\n}\n";
    let f = check(&[("app/account/page.tsx", page)], CACHE);
    one_at(&f, "app/account/page.tsx", 3);
    let marketing = "export const dynamic = \"force-static\";\n\nexport default function Pricing() {\n  return <h1>Pricing</h1>;\n}\n";
    none(&check(&[("app/pricing/page.tsx", marketing)], CACHE));
}

const PROFILE_HOOK: &str = r#"import { useQuery } from "@tanstack/react-query";
import { supabase } from "@/integrations/supabase/client";

export function useProfile() {
  return useQuery({
    queryKey: ["profile"],
    queryFn: async () => {
      const { data: { user } } = await supabase.auth.getUser();
      const { data } = await supabase.from("profiles").select("*").eq("id", user!.id).single();
      return data;
    },
  });
}
"#;

#[test]
fn cache_react_query_constant_key_for_the_callers_data() {
    let f = check(&[("src/hooks/useProfile.ts", PROFILE_HOOK)], CACHE);
    let finding = one_at(&f, "src/hooks/useProfile.ts", 5);
    assert_eq!(finding.severity, plumb::checks::Severity::Medium);
}

#[test]
fn cache_react_query_cleared_on_sign_out_or_keyed_by_user_is_fine() {
    let sign_out = r#"import { supabase } from "@/integrations/supabase/client";
import { queryClient } from "@/lib/queryClient";

export async function signOut() {
  await supabase.auth.signOut();
  queryClient.clear();
}
"#;
    none(&check(
        &[
            ("src/hooks/useProfile.ts", PROFILE_HOOK),
            ("src/lib/auth.ts", sign_out),
        ],
        CACHE,
    ));
    let keyed = r#"import { useQuery } from "@tanstack/react-query";
import { supabase } from "@/integrations/supabase/client";
import { useAuth } from "@/hooks/useAuth";

export function useProfile() {
  const { user } = useAuth();
  return useQuery({
    queryKey: ["profile", user?.id],
    queryFn: async () => {
      const { data } = await supabase.from("profiles").select("*").eq("id", user!.id).single();
      return data;
    },
  });
}
"#;
    none(&check(&[("src/hooks/useProfile.ts", keyed)], CACHE));
}

#[test]
fn cache_flask_cached_view_of_the_current_user() {
    let flask = r#"from flask import Blueprint, jsonify
from flask_login import current_user, login_required

from .extensions import cache
from .models import Invoice

bp = Blueprint("dashboard", __name__)


@bp.route("/api/dashboard")
@login_required
@cache.cached(timeout=60)
def dashboard():
    invoices = Invoice.query.filter_by(owner_id=current_user.id).all()
    return jsonify([i.to_dict() for i in invoices])
"#;
    let f = check(&[("app/dashboard.py", flask)], CACHE);
    one_at(&f, "app/dashboard.py", 12);
    let keyed = flask.replace(
        "@cache.cached(timeout=60)",
        "@cache.cached(timeout=60, make_cache_key=lambda: f\"dash:{current_user.id}\")",
    );
    none(&check(&[("app/dashboard.py", &keyed)], CACHE));
}

// ---------------------------------------------------------------- AUTH-PRIV-KEY

const SERVICE_JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6a3ZibWx4d2hydHBmb3lqY2RhIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImlhdCI6MTc0MTAwMzIwMCwiZXhwIjoyMDU2NTc5MjAwfQ.oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg";
const ANON_JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF6a3ZibWx4d2hydHBmb3lqY2RhIiwicm9sZSI6ImFub24iLCJpYXQiOjE3NDEwMDMyMDAsImV4cCI6MjA1NjU3OTIwMH0.UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA_TkB_yOaE";
const VITE_PACKAGE: &str = "{ \"dependencies\": { \"react\": \"^18.3.1\" }, \"devDependencies\": { \"vite\": \"^5.4.1\" } }";

fn client_file(key: &str) -> String {
    format!(
        "import {{ createClient }} from \"@supabase/supabase-js\";\n\nconst SUPABASE_URL = \"https://abcdefghijklmnop.supabase.co\";\nconst SUPABASE_KEY =\n  \"{key}\";\n\nexport const supabase = createClient(SUPABASE_URL, SUPABASE_KEY);\n"
    )
}

#[test]
fn priv_key_service_role_jwt_in_client_code() {
    let file = client_file(SERVICE_JWT);
    let f = check(
        &[
            ("package.json", VITE_PACKAGE),
            ("src/integrations/supabase/client.ts", &file),
        ],
        KEY,
    );
    let finding = one_at(&f, "src/integrations/supabase/client.ts", 5);
    assert!(
        finding.message.contains("service_role"),
        "{}",
        finding.message
    );
    assert!(!finding.message.contains(SERVICE_JWT) && !finding.message.contains("oJXyD5OVZQz5"));
    let excerpt = finding.evidence.excerpt.as_ref().unwrap().lines.join("\n");
    assert!(
        !excerpt.contains("oJXyD5OVZQz5OAuO2yJKaySKHpJOj9CuLhqUkqMwXxg"),
        "{excerpt}"
    );
}

#[test]
fn priv_key_anon_key_in_client_code_is_expected() {
    let file = client_file(ANON_JWT);
    none(&check(
        &[
            ("package.json", VITE_PACKAGE),
            ("src/integrations/supabase/client.ts", &file),
        ],
        KEY,
    ));
}

#[test]
fn priv_key_stripe_keys_in_a_client_component() {
    let checkout = r#""use client";

import { loadStripe } from "@stripe/stripe-js";
import Stripe from "stripe";

const stripePromise = loadStripe("pk_live_51QvX8kLc2RrT7yWmZpA4dHs9uEoNq1BxKfJ3gVtY6iLhM0wCeSaDnUbPXjO8zlIk");
const stripe = new Stripe("sk_live_51QvX8kLjtEkDnNfribxUdl7dXTPyLsxHgaKwVJ7faC2sqEDusTpkr0c");

export function CheckoutButton() {
  return <button onClick={() => stripePromise}>Pay</button>;
}
"#;
    let f = check(&[("components/CheckoutButton.tsx", checkout)], KEY);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    let finding = one_at(&f, "components/CheckoutButton.tsx", 7);
    assert!(
        finding.message.contains("Stripe live secret key"),
        "{}",
        finding.message
    );
}

#[test]
fn priv_key_secret_in_a_server_route_is_not_a_client_leak() {
    let route = "import Stripe from \"stripe\";\n\nconst stripe = new Stripe(\"sk_live_51QvX8kLjtEkDnNfribxUdl7dXTPyLsxHgaKwVJ7faC2sqEDusTpkr0c\");\n\nexport async function POST() {\n  return Response.json(await stripe.balance.retrieve());\n}\n";
    none(&check(&[("app/api/balance/route.ts", route)], KEY));
}

#[test]
fn priv_key_public_prefixed_secrets() {
    let env = "VITE_SUPABASE_URL=https://abcdefghijklmnop.supabase.co\nVITE_SUPABASE_ANON_KEY=anon-key-here\nVITE_SUPABASE_SERVICE_ROLE_KEY=service-role-key-here\n";
    let f = check(&[("package.json", VITE_PACKAGE), (".env.local", env)], KEY);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    one_at(&f, ".env.local", 3);
    let component = "\"use client\";\n\nimport Stripe from \"stripe\";\n\nexport const stripe = new Stripe(process.env.NEXT_PUBLIC_STRIPE_SECRET_KEY!);\n";
    let f = check(&[("components/billing/stripe.ts", component), ("components/billing/Pay.tsx", "\"use client\";\nimport { stripe } from \"./stripe\";\nexport function Pay() { return <button onClick={() => stripe}>Pay</button>; }\n")], KEY);
    let finding = one_at(&f, "components/billing/stripe.ts", 5);
    assert!(
        finding.message.contains("NEXT_PUBLIC_STRIPE_SECRET_KEY"),
        "{}",
        finding.message
    );
    let publishable = "\"use client\";\n\nimport { loadStripe } from \"@stripe/stripe-js\";\n\nexport const stripePromise = loadStripe(process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY!);\n";
    none(&check(
        &[("components/billing/stripe.ts", publishable)],
        KEY,
    ));
}

const ADMIN_MODULE: &str = r#"import { createClient } from "@supabase/supabase-js";

export const supabaseAdmin = createClient(
  process.env.NEXT_PUBLIC_SUPABASE_URL!,
  process.env.SUPABASE_SERVICE_ROLE_KEY!,
);
"#;

#[test]
fn priv_key_service_role_client_imported_by_client_code() {
    let panel = "\"use client\";\n\nimport { supabaseAdmin } from \"@/lib/supabase-admin\";\n\nexport function UsersPanel() {\n  const load = () => supabaseAdmin.from(\"profiles\").select(\"*\");\n  return <button onClick={load}>Load</button>;\n}\n";
    let f = check(
        &[
            (
                "tsconfig.json",
                "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./src/*\"] } } }",
            ),
            ("src/lib/supabase-admin.ts", ADMIN_MODULE),
            ("src/components/UsersPanel.tsx", panel),
        ],
        KEY,
    );
    let finding = one_at(&f, "src/lib/supabase-admin.ts", 3);
    assert_eq!(
        finding.evidence.related[0].path,
        "src/components/UsersPanel.tsx"
    );
    assert_eq!(finding.evidence.related[0].line, 3);
}

#[test]
fn priv_key_service_role_client_used_by_server_code_only_is_fine() {
    let route = "import { supabaseAdmin } from \"@/lib/supabase-admin\";\n\nexport async function GET() {\n  const { data } = await supabaseAdmin.from(\"profiles\").select(\"id\");\n  return Response.json(data);\n}\n";
    let page = "import { supabaseAdmin } from \"@/lib/supabase-admin\";\n\nexport default async function AdminPage() {\n  const { data } = await supabaseAdmin.from(\"profiles\").select(\"id\");\n  return <pre>{JSON.stringify(data)}</pre>;\n}\n";
    none(&check(
        &[
            (
                "package.json",
                "{ \"dependencies\": { \"next\": \"14.2.3\", \"react\": \"^18\" } }",
            ),
            (
                "tsconfig.json",
                "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./src/*\"] } } }",
            ),
            ("src/lib/supabase-admin.ts", ADMIN_MODULE),
            ("src/app/api/users/route.ts", route),
            ("src/app/admin/page.tsx", page),
        ],
        KEY,
    ));
}

// ---------------------------------------------------------------- AUTH-DANGER-ENDPOINT

#[test]
fn danger_make_admin_route_any_user_can_call() {
    let route = r#"import { auth } from "@/auth";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const session = await auth();
  if (!session?.user) return new Response("Unauthorized", { status: 401 });
  const { email } = await req.json();
  await prisma.user.update({ where: { email }, data: { role: "admin" } });
  return Response.json({ ok: true });
}
"#;
    let f = check(&[("app/api/make-admin/route.ts", route)], DANGER);
    let finding = one_at(&f, "app/api/make-admin/route.ts", 8);
    assert!(
        finding.message.contains("any signed-in user"),
        "{}",
        finding.message
    );
    let checked = route.replace(
        "  const { email } = await req.json();",
        "  if (session.user.role !== \"admin\") return new Response(\"Forbidden\", { status: 403 });\n  const { email } = await req.json();",
    );
    none(&check(&[("app/api/make-admin/route.ts", &checked)], DANGER));
}

#[test]
fn danger_debug_endpoint_returning_the_environment() {
    let route = "export async function GET() {\n  return Response.json({ env: process.env, now: Date.now() });\n}\n";
    let f = check(&[("app/api/debug/route.ts", route)], DANGER);
    one_at(&f, "app/api/debug/route.ts", 1);
    let gated = "import { notFound } from \"next/navigation\";\n\nexport async function GET() {\n  if (process.env.NODE_ENV === \"production\") notFound();\n  return Response.json({ env: process.env });\n}\n";
    none(&check(&[("app/api/debug/route.ts", gated)], DANGER));
}

#[test]
fn danger_seed_and_simulate_endpoints() {
    let fastapi = r#"from fastapi import APIRouter, Depends

from app.deps import get_db, require_admin
from app.models import Invoice

router = APIRouter()


@router.post("/dev/seed")
def seed(db=Depends(get_db)):
    for i in range(50):
        db.add(Invoice(number=f"INV-{i}", total=100))
    db.commit()
    return {"seeded": 50}


@router.post("/admin/reindex")
def reindex(db=Depends(get_db), admin=Depends(require_admin)):
    db.execute("REINDEX TABLE invoices")
    return {"ok": True}
"#;
    let f = check(&[("app/routers/dev.py", fastapi)], DANGER);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    one_at(&f, "app/routers/dev.py", 10);
    let express = r#"import { Router } from "express";
import { db } from "../db";

export const router = Router();

router.post("/simulate-payment", async (req, res) => {
  await db.query("UPDATE invoices SET status = 'paid' WHERE id = $1", [req.body.invoiceId]);
  res.json({ ok: true });
});
"#;
    let f = check(&[("src/routes/payments.ts", express)], DANGER);
    one_at(&f, "src/routes/payments.ts", 6);
}

#[test]
fn danger_ordinary_and_public_endpoints_are_fine() {
    let reset = r#"import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const { email } = await req.json();
  await prisma.passwordReset.create({ data: { email, token: crypto.randomUUID() } });
  return Response.json({ ok: true });
}
"#;
    let latest = "import { auth } from \"@/auth\";\nimport { db } from \"@/lib/db\";\n\nexport async function GET() {\n  const session = await auth();\n  if (!session) return new Response(null, { status: 401 });\n  return Response.json(await db.invoice.findMany({ where: { userId: session.user.id }, take: 5 }));\n}\n";
    none(&check(
        &[
            ("app/api/reset-password/route.ts", reset),
            ("app/api/invoices/latest/route.ts", latest),
        ],
        DANGER,
    ));
}
