//! DATA detectors: a true positive and a near-miss negative for every item, in the shapes
//! coding agents write (Supabase edge functions and hooks, Next.js routes with Prisma,
//! Express with pg, FastAPI with SQLAlchemy or psycopg, Django views).

#[allow(unused_imports)]
use super::{analyse_repo, check, none, one_at, show};
use plumb::checks::Confidence;

/// The 1-based line of the first line of `text` containing `needle`.
fn line(text: &str, needle: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in fixture")) as u32
        + 1
}

const INIT: &str = "supabase/migrations/20240101000000_init.sql";

const SCHEMA: &str = r#"create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  stripe_customer_id text unique
);

create table public.projects (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations(id),
  owner_email text,
  status text not null default 'active',
  created_at timestamptz not null default now()
);

create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects(id),
  title text not null,
  due_at timestamptz,
  created_at timestamptz not null default now()
);

create index tasks_project_id_created_at_idx on public.tasks (project_id, created_at);
"#;

// ---------------------------------------------------------------------------------------
// DATA-INDEX

const EDGE_PROJECTS: &str = r#"import { createClient } from "https://esm.sh/@supabase/supabase-js@2";

Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { Authorization: req.headers.get("Authorization")! } },
  });
  const { orgId } = await req.json();
  const { data, error } = await supabase
    .from("projects")
    .select("id, status, created_at")
    .eq("org_id", orgId)
    .order("created_at", { ascending: false })
    .limit(50);
  if (error) return new Response(error.message, { status: 500 });
  return Response.json(data);
});
"#;

#[test]
fn index_filter_on_unindexed_foreign_key_names_the_table_migration() {
    let path = "supabase/functions/list-projects/index.ts";
    let findings = check(&[(INIT, SCHEMA), (path, EDGE_PROJECTS)], "DATA-INDEX");
    let f = one_at(&findings, path, line(EDGE_PROJECTS, r#".eq("org_id""#));
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    assert!(f.message.contains("projects.org_id"), "{}", f.message);
    assert!(
        f.message.contains("(org_id, created_at)"),
        "suggests the composite index: {}",
        f.message
    );
    assert_eq!(f.confidence, Confidence::High);
    let related = &f.evidence.related[0];
    assert_eq!(
        (related.path.as_str(), related.line),
        (INIT, line(SCHEMA, "create table public.projects"))
    );
}

#[test]
fn index_added_by_a_later_migration_or_leading_a_composite_index_is_enough() {
    let path = "supabase/functions/list-projects/index.ts";
    let later = "supabase/migrations/20240301000000_project_indexes.sql";
    none(&check(
        &[(INIT, SCHEMA), (later, "create index projects_org_id_created_at_idx on public.projects (org_id, created_at desc);"), (path, EDGE_PROJECTS)],
        "DATA-INDEX",
    ));
    // A composite index serves only its leading column.
    let second = check(
        &[(INIT, SCHEMA), (later, "create index projects_created_at_org_id_idx on public.projects (created_at, org_id);"), (path, EDGE_PROJECTS)],
        "DATA-INDEX",
    );
    one_at(&second, path, line(EDGE_PROJECTS, r#".eq("org_id""#));
}

#[test]
fn index_dropped_or_renamed_by_later_migrations_is_replayed() {
    let path = "supabase/functions/list-projects/index.ts";
    let add = "supabase/migrations/20240201000000_idx.sql";
    let drop = "supabase/migrations/20240301000000_drop_idx.sql";
    let dropped = check(
        &[
            (INIT, SCHEMA),
            (
                add,
                "create index projects_org_idx on public.projects (org_id);",
            ),
            (drop, "drop index public.projects_org_idx;"),
            (path, EDGE_PROJECTS),
        ],
        "DATA-INDEX",
    );
    one_at(&dropped, path, line(EDGE_PROJECTS, r#".eq("org_id""#));
    // The index follows a renamed column, and the query uses the new name.
    let renamed_query = EDGE_PROJECTS.replace(
        r#".eq("org_id", orgId)"#,
        r#".eq("organization_id", orgId)"#,
    );
    none(&check(
        &[
            (INIT, SCHEMA),
            (
                add,
                "create index projects_org_idx on public.projects (org_id);",
            ),
            (
                drop,
                "alter table public.projects rename column org_id to organization_id;",
            ),
            (path, &renamed_query),
        ],
        "DATA-INDEX",
    ));
}

#[test]
fn index_ignores_unknown_tables_primary_keys_and_unique_lookups() {
    let path = "supabase/functions/lookups/index.ts";
    let code = r#"import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

Deno.serve(async (req) => {
  const { id, customer } = await req.json();
  const { data: project } = await supabaseAdmin.from("projects").select("*").eq("id", id).single();
  const { data: org } = await supabaseAdmin.from("organizations").select("id").eq("stripe_customer_id", customer).maybeSingle();
  const { data: events } = await supabaseAdmin.from("events").select("*").eq("kind", "signup").limit(10);
  const { data: tasks } = await supabaseAdmin.from("tasks").select("*").eq("project_id", id).order("created_at").limit(20);
  return Response.json({ project, org, events, tasks });
});
"#;
    none(&check(&[(INIT, SCHEMA), (path, code)], "DATA-INDEX"));
}

#[test]
fn index_prisma_where_and_order_by_in_a_next_route() {
    let schema = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Order {
  id         String   @id @default(cuid())
  customerId String
  status     String
  total      Decimal
  createdAt  DateTime @default(now())
}
"#;
    let route = r#"import { NextResponse } from "next/server";
import { prisma } from "@/lib/prisma";

export async function GET(req: Request) {
  const customerId = new URL(req.url).searchParams.get("customer")!;
  const orders = await prisma.order.findMany({
    where: { customerId },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return NextResponse.json(orders);
}
"#;
    let path = "app/api/orders/route.ts";
    let findings = check(
        &[("prisma/schema.prisma", schema), (path, route)],
        "DATA-INDEX",
    );
    let f = one_at(&findings, path, line(route, "where: { customerId }"));
    assert!(
        f.message.contains("customerId")
            || f.message.contains("customer_id")
            || f.message.contains("Order.customerId"),
        "{}",
        f.message
    );
    let indexed = schema.replace(
        "  createdAt  DateTime @default(now())\n}",
        "  createdAt  DateTime @default(now())\n\n  @@index([customerId, createdAt])\n}",
    );
    none(&check(
        &[("prisma/schema.prisma", &indexed), (path, route)],
        "DATA-INDEX",
    ));
}

#[test]
fn index_raw_sql_in_express_and_low_cardinality_is_a_judgement_call() {
    let server = r#"import express from "express";
import { pool } from "./db";

const app = express();

app.get("/projects/:email", async (req, res) => {
  const { rows } = await pool.query(
    `SELECT id, status FROM projects
     WHERE owner_email = $1
     ORDER BY created_at DESC LIMIT 20`,
    [req.params.email],
  );
  res.json(rows);
});

app.get("/archived", async (_req, res) => {
  const { rows } = await pool.query("SELECT id FROM projects WHERE status = $1 LIMIT 100", ["archived"]);
  res.json(rows);
});

app.listen(3000);
"#;
    let path = "server/index.ts";
    let findings = check(&[(INIT, SCHEMA), (path, server)], "DATA-INDEX");
    let email = one_at(&findings, path, line(server, "WHERE owner_email"));
    assert!(
        email.message.contains("projects.owner_email"),
        "{}",
        email.message
    );
    let status = one_at(&findings, path, line(server, "WHERE status = $1"));
    assert_eq!(
        status.confidence,
        Confidence::Low,
        "status has a handful of values: {}",
        status.message
    );
    assert!(
        status
            .evidence
            .facts
            .iter()
            .any(|f| f.contains("judgement call")),
        "{:?}",
        status.evidence.facts
    );
}

#[test]
fn index_one_finding_per_column_with_the_other_sites_related() {
    let hook = r#"import { useQuery } from "@tanstack/react-query";
import { supabase } from "../lib/supabase";

export function useProjects(orgId: string) {
  return useQuery({
    queryKey: ["projects", orgId],
    queryFn: async () => {
      const { data, error } = await supabase.from("projects").select("*").eq("org_id", orgId).range(0, 49);
      if (error) throw error;
      return data;
    },
  });
}

export function useProjectCount(orgId: string) {
  return useQuery({
    queryKey: ["project-count", orgId],
    queryFn: async () => {
      const { count } = await supabase.from("projects").select("id", { count: "exact", head: true }).eq("org_id", orgId);
      return count ?? 0;
    },
  });
}
"#;
    let path = "src/hooks/useProjects.ts";
    let findings = check(&[(INIT, SCHEMA), (path, hook)], "DATA-INDEX");
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    let f = &findings[0];
    assert!(
        f.evidence
            .related
            .iter()
            .any(|r| r.path == path && r.note.contains("also filtered")),
        "{:?}",
        f.evidence.related
    );
}

#[test]
fn index_sqlalchemy_select_in_a_fastapi_handler() {
    let api = r#"from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_session
from .models import Task

router = APIRouter()


@router.get("/tasks/due")
async def due_tasks(before: str, session: AsyncSession = Depends(get_session)):
    stmt = select(Task).where(Task.due_at < before).limit(100)
    result = await session.execute(stmt)
    return result.scalars().all()
"#;
    let path = "app/routers/tasks.py";
    let findings = check(&[(INIT, SCHEMA), (path, api)], "DATA-INDEX");
    let f = one_at(&findings, path, line(api, "Task.due_at < before"));
    assert!(f.message.contains("tasks.due_at"), "{}", f.message);
}

const DRIZZLE_SCHEMA: &str = r#"import { pgTable, uuid, text, timestamp } from "drizzle-orm/pg-core";

export const invoices = pgTable("invoices", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull(),
  number: text("number").notNull(),
  createdAt: timestamp("created_at").defaultNow().notNull(),
});
"#;

const DRIZZLE_MIGRATION: &str = r#"CREATE TABLE IF NOT EXISTS "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"number" text NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL
);
"#;

const DRIZZLE_ROUTE: &str = r#"import { NextResponse } from "next/server";
import { desc, eq } from "drizzle-orm";
import { db } from "@/db";
import { invoices } from "@/db/schema";

export async function GET(req: Request) {
  const orgId = req.headers.get("x-org-id")!;
  const rows = await db
    .select()
    .from(invoices)
    .where(eq(invoices.orgId, orgId))
    .orderBy(desc(invoices.createdAt));
  return NextResponse.json(rows);
}
"#;

#[test]
fn index_and_unbounded_through_drizzle_field_names() {
    let files = [
        ("src/db/schema.ts", DRIZZLE_SCHEMA),
        ("drizzle/0000_init.sql", DRIZZLE_MIGRATION),
        ("app/api/invoices/route.ts", DRIZZLE_ROUTE),
    ];
    let path = "app/api/invoices/route.ts";
    let index = check(&files, "DATA-INDEX");
    let f = one_at(&index, path, line(DRIZZLE_ROUTE, "eq(invoices.orgId"));
    assert!(
        f.message.contains("invoices.org_id") && f.message.contains("(org_id, created_at)"),
        "{}",
        f.message
    );
    one_at(
        &check(&files, "DATA-UNBOUNDED"),
        path,
        line(DRIZZLE_ROUTE, ".from(invoices)"),
    );

    let indexed = format!("{DRIZZLE_MIGRATION}CREATE INDEX IF NOT EXISTS \"invoices_org_idx\" ON \"invoices\" USING btree (\"org_id\",\"created_at\");\n");
    let limited = DRIZZLE_ROUTE.replace(
        ".orderBy(desc(invoices.createdAt));",
        ".orderBy(desc(invoices.createdAt))\n    .limit(50);",
    );
    let fixed = [
        ("src/db/schema.ts", DRIZZLE_SCHEMA),
        ("drizzle/0000_init.sql", indexed.as_str()),
        (path, limited.as_str()),
    ];
    none(&check(&fixed, "DATA-INDEX"));
    none(&check(&fixed, "DATA-UNBOUNDED"));
}

#[test]
fn index_and_unbounded_through_knex_in_express() {
    let server = r#"const express = require("express");
const knex = require("knex")(require("./knexfile"));

const app = express();

app.get("/orders", async (req, res) => {
  const orders = await knex("orders").where({ user_id: req.user.id }).orderBy("created_at", "desc");
  res.json(orders);
});

app.get("/orders/:id", async (req, res) => {
  const order = await knex("orders").where({ id: req.params.id, user_id: req.user.id }).first();
  res.json(order);
});

app.listen(3000);
"#;
    let migration = "migrations/20240101_orders.sql";
    let sql = "create table orders (id uuid primary key, user_id uuid not null, total numeric(12,2), created_at timestamptz default now());\n";
    let path = "server.js";
    let files = [(migration, sql), (path, server)];
    let lists = check(&files, "DATA-UNBOUNDED");
    one_at(&lists, path, line(server, "const orders = await knex"));
    assert_eq!(
        lists.len(),
        1,
        "the lookup by id is one row: {}",
        show(&lists)
    );
    let index = check(&files, "DATA-INDEX");
    let f = one_at(&index, path, line(server, "const orders = await knex"));
    assert!(f.message.contains("orders.user_id"), "{}", f.message);
}

// ---------------------------------------------------------------------------------------
// DATA-UNBOUNDED

const HOOK: &str = r#"import { useQuery } from "@tanstack/react-query";
import { supabase } from "@/integrations/supabase/client";

export function useTasks(projectId: string, search?: string) {
  return useQuery({
    queryKey: ["tasks", projectId, search],
    queryFn: async () => {
      let query = supabase
        .from("tasks")
        .select("*")
        .eq("project_id", projectId)
        .order("created_at", { ascending: false });
      if (search) query = query.ilike("title", `%${search}%`);
      const { data, error } = await query;
      if (error) throw error;
      return data;
    },
  });
}
"#;

#[test]
fn unbounded_supabase_list_in_a_react_query_hook() {
    let path = "src/hooks/useTasks.ts";
    let findings = check(&[(INIT, SCHEMA), (path, HOOK)], "DATA-UNBOUNDED");
    let f = one_at(&findings, path, line(HOOK, r#".select("*")"#));
    assert!(
        f.message.contains("tasks") && f.message.contains("project_id"),
        "{}",
        f.message
    );
    assert!(f.message.contains(".range("), "{}", f.message);
}

#[test]
fn unbounded_not_when_paginated_later_or_a_single_row_or_a_count() {
    let path = "src/hooks/useTasks.ts";
    let paged = HOOK.replace("      const { data, error } = await query;", "      query = query.range(page * 50, page * 50 + 49);\n      const { data, error } = await query;");
    none(&check(&[(INIT, SCHEMA), (path, &paged)], "DATA-UNBOUNDED"));
    let single = r#"import { supabase } from "@/lib/supabase";

export async function getProject(id: string) {
  const { data } = await supabase.from("projects").select("*, tasks(*)").eq("id", id);
  return data?.[0];
}

export async function getOrgByCustomer(customer: string) {
  return supabase.from("organizations").select("id, name").eq("stripe_customer_id", customer);
}

export async function countTasks(projectId: string) {
  const { count } = await supabase.from("tasks").select("*", { count: "exact", head: true }).eq("project_id", projectId);
  return count;
}

export async function firstTask(projectId: string) {
  return supabase.from("tasks").select("*").eq("project_id", projectId).order("created_at").limit(1).maybeSingle();
}

export async function projectsByIds(ids: string[]) {
  return supabase.from("projects").select("id, status").in("id", ids);
}

export async function plans() {
  return supabase.from("plans").select("*").order("price");
}
"#;
    none(&check(
        &[(INIT, SCHEMA), ("src/lib/projects.ts", single)],
        "DATA-UNBOUNDED",
    ));
}

#[test]
fn unbounded_prisma_find_many_without_take_in_a_pages_api_route() {
    let route = r#"import type { NextApiRequest, NextApiResponse } from "next";
import prisma from "../../lib/prisma";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const orders = await prisma.order.findMany({
    where: { status: "paid" },
    include: { items: true },
  });
  const latest = await prisma.order.findMany({ orderBy: { createdAt: "desc" }, take: 10 });
  const one = await prisma.order.findUnique({ where: { id: String(req.query.id) } });
  res.json({ orders, latest, one });
}
"#;
    let path = "pages/api/orders.ts";
    let findings = check(&[(path, route)], "DATA-UNBOUNDED");
    let f = one_at(&findings, path, line(route, "prisma.order.findMany({"));
    assert!(f.message.contains("take"), "{}", f.message);
    assert_eq!(findings.len(), 1, "{}", show(&findings));
}

#[test]
fn unbounded_sqlalchemy_and_psycopg_in_fastapi() {
    let api = r#"from fastapi import FastAPI, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import get_db, get_conn
from models import Invoice

app = FastAPI()


@app.get("/invoices")
def list_invoices(org_id: str, db: Session = Depends(get_db)):
    return db.query(Invoice).filter(Invoice.org_id == org_id).order_by(Invoice.created_at.desc()).all()


@app.get("/invoices/recent")
def recent_invoices(org_id: str, db: Session = Depends(get_db)):
    return db.query(Invoice).filter(Invoice.org_id == org_id).limit(20).all()


@app.get("/invoices/{invoice_id}")
def get_invoice(invoice_id: str, db: Session = Depends(get_db)):
    return db.query(Invoice).filter(Invoice.id == invoice_id).first()


@app.get("/v2/invoices")
async def list_invoices_v2(org_id: str, session=Depends(get_db)):
    result = await session.execute(select(Invoice).where(Invoice.org_id == org_id))
    return result.scalars().all()


@app.get("/events")
def events(org_id: str):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute("SELECT id, kind, created_at FROM events WHERE org_id = %s ORDER BY created_at", (org_id,))
        return cur.fetchall()


@app.get("/events/latest")
def latest_event(org_id: str):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute("SELECT id, kind FROM events WHERE org_id = %s ORDER BY created_at DESC", (org_id,))
        return cur.fetchone()


@app.get("/events/count")
def count_events(org_id: str):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM events WHERE org_id = %s", (org_id,))
        return cur.fetchone()[0]
"#;
    let path = "api/main.py";
    let findings = check(&[(path, api)], "DATA-UNBOUNDED");
    one_at(
        &findings,
        path,
        line(
            api,
            "return db.query(Invoice).filter(Invoice.org_id == org_id).order_by",
        ),
    );
    one_at(
        &findings,
        path,
        line(api, "await session.execute(select(Invoice)"),
    );
    one_at(
        &findings,
        path,
        line(api, "ORDER BY created_at\", (org_id,))"),
    );
    assert_eq!(findings.len(), 3, "{}", show(&findings));
}

#[test]
fn unbounded_supabase_py_in_fastapi() {
    let api = r#"import os

from fastapi import FastAPI
from supabase import create_client

app = FastAPI()
supabase = create_client(os.environ["SUPABASE_URL"], os.environ["SUPABASE_SERVICE_ROLE_KEY"])


@app.get("/projects")
def projects(org_id: str):
    res = supabase.table("projects").select("*").eq("org_id", org_id).execute()
    return res.data


@app.get("/projects/recent")
def recent_projects(org_id: str):
    return supabase.table("projects").select("*").eq("org_id", org_id).order("created_at", desc=True).limit(20).execute().data
"#;
    let path = "api/main.py";
    let findings = check(&[(INIT, SCHEMA), (path, api)], "DATA-UNBOUNDED");
    one_at(&findings, path, line(api, "res = supabase.table"));
    assert_eq!(findings.len(), 1, "{}", show(&findings));
}

#[test]
fn unbounded_django_queryset_returned_whole_but_not_sliced_or_paginated() {
    let views = r#"from django.core.paginator import Paginator
from django.http import JsonResponse

from .models import Order


def order_list(request):
    orders = Order.objects.filter(customer=request.user).order_by("-created_at")
    return JsonResponse({"orders": list(orders.values("id", "total"))})


def recent_orders(request):
    orders = Order.objects.filter(customer=request.user).order_by("-created_at")[:20]
    return JsonResponse({"orders": list(orders.values("id", "total"))})


def paged_orders(request):
    orders = Order.objects.filter(customer=request.user).order_by("-created_at")
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    return JsonResponse({"orders": [o.id for o in page]})


def order_detail(request, pk):
    order = Order.objects.get(pk=pk, customer=request.user)
    return JsonResponse({"id": order.id})
"#;
    let path = "shop/views.py";
    let findings = check(&[(path, views)], "DATA-UNBOUNDED");
    one_at(&findings, path, line(views, "def order_list") + 1);
    assert_eq!(findings.len(), 1, "{}", show(&findings));
}

#[test]
fn unbounded_skips_scripts_seeds_and_tests() {
    let dump = r#"import { createClient } from "@supabase/supabase-js";
const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
const { data } = await supabase.from("projects").select("*");
console.log(JSON.stringify(data));
"#;
    none(&check(
        &[
            ("scripts/export-projects.ts", dump),
            ("supabase/seed.ts", dump),
            ("src/__tests__/projects.test.ts", dump),
        ],
        "DATA-UNBOUNDED",
    ));
}

// ---------------------------------------------------------------------------------------
// DATA-NPLUS1

#[test]
fn nplus1_awaited_update_per_row_in_an_edge_function() {
    let code = r#"import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

Deno.serve(async () => {
  const { data: projects } = await supabaseAdmin.from("projects").select("id, org_id").eq("status", "active").limit(500);
  for (const project of projects ?? []) {
    const { count } = await supabaseAdmin
      .from("tasks")
      .select("*", { count: "exact", head: true })
      .eq("project_id", project.id);
    await supabaseAdmin.from("projects").update({ task_count: count }).eq("id", project.id);
  }
  return new Response("ok");
});
"#;
    let path = "supabase/functions/recount/index.ts";
    let findings = check(&[(path, code)], "DATA-NPLUS1");
    let f = one_at(
        &findings,
        path,
        line(code, "const { count } = await supabaseAdmin"),
    );
    assert!(
        f.end_line >= line(code, r#"update({ task_count"#),
        "both calls are in the finding: {f:?}"
    );
    assert!(f.message.contains("projects ?? []"), "{}", f.message);
    assert_eq!(findings.len(), 1, "{}", show(&findings));
}

#[test]
fn nplus1_promise_all_over_per_row_prisma_queries() {
    let route = r#"import { NextResponse } from "next/server";
import { prisma } from "@/lib/prisma";

export async function GET() {
  const orders = await prisma.order.findMany({ take: 50 });
  const withPayments = await Promise.all(
    orders.map((order) => prisma.payment.findFirst({ where: { orderId: order.id } })),
  );
  return NextResponse.json(withPayments);
}
"#;
    let path = "app/api/orders/route.ts";
    let findings = check(&[(path, route)], "DATA-NPLUS1");
    let f = one_at(&findings, path, line(route, "prisma.payment.findFirst"));
    assert!(f.message.contains("all started at once"), "{}", f.message);
}

#[test]
fn nplus1_python_loop_with_query_and_http_call() {
    let api = r#"import requests
from fastapi import FastAPI

from db import get_conn

app = FastAPI()


@app.post("/sync")
def sync(org_id: str):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute("SELECT id, email FROM customers WHERE org_id = %s LIMIT 1000", (org_id,))
        for customer_id, email in cur.fetchall():
            requests.post("https://crm.example.com/contacts", json={"email": email}, timeout=5)
            cur.execute("UPDATE customers SET synced_at = now() WHERE id = %s", (customer_id,))
    return {"ok": True}
"#;
    let path = "api/main.py";
    let findings = check(&[(path, api)], "DATA-NPLUS1");
    let f = one_at(&findings, path, line(api, "requests.post("));
    assert!(
        f.message.contains("HTTP request") && f.message.contains("database query"),
        "{}",
        f.message
    );
}

#[test]
fn nplus1_django_saves_and_lookups_per_row() {
    let views = r#"from django.http import JsonResponse

from .models import Order, Payment


def reconcile(request):
    for order in Order.objects.filter(status="pending")[:500]:
        payment = Payment.objects.filter(order=order).first()
        order.status = "paid" if payment else "pending"
        order.save()
    return JsonResponse({"ok": True})


def totals(request):
    orders = list(Order.objects.filter(customer=request.user)[:100])
    return JsonResponse({"total": sum(o.total for o in orders)})
"#;
    let path = "shop/views.py";
    let findings = check(&[(path, views)], "DATA-NPLUS1");
    let f = one_at(&findings, path, line(views, "payment = Payment.objects"));
    assert!(f.end_line >= line(views, "order.save()"), "{f:?}");
    assert_eq!(
        findings.len(),
        1,
        "summing in memory is no query: {}",
        show(&findings)
    );
}

#[test]
fn nplus1_not_for_constant_lists_retries_in_memory_loops_or_handlers() {
    let code = r#"import { useEffect, useState } from "react";
import { supabase } from "@/lib/supabase";

const REGIONS = ["us-east-1", "eu-west-1"];

export async function warmCaches() {
  for (const region of REGIONS) {
    await fetch(`https://${region}.example.com/warm`);
  }
  for (const kind of ["daily", "weekly"]) {
    await fetch(`/api/reports/${kind}`);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await fetch("/api/health");
    if (res.ok) break;
  }
}

export function Tasks({ tasks }: { tasks: { id: string; done: boolean }[] }) {
  const [done, setDone] = useState(0);
  useEffect(() => setDone(tasks.filter((t) => t.done).length), [tasks]);
  const toggle = async (id: string) => {
    await supabase.from("tasks").update({ done: true }).eq("id", id);
  };
  return (
    <ul>
      {tasks.map((t) => (
        <li key={t.id} onClick={() => toggle(t.id)}>{t.id}</li>
      ))}
      <span>{done}</span>
    </ul>
  );
}

export async function drain(cursor: string | null) {
  while (cursor) {
    const res = await fetch(`/api/items?cursor=${cursor}`);
    cursor = (await res.json()).next;
  }
}
"#;
    none(&check(&[("src/components/Tasks.tsx", code)], "DATA-NPLUS1"));
}

// ---------------------------------------------------------------------------------------
// DATA-MIGRATIONS

#[test]
fn migrations_drop_column_without_backfill_and_rename_and_type_change() {
    let m2 = "supabase/migrations/20240401000000_cleanup.sql";
    let cleanup = r#"alter table public.projects drop column owner_email;
alter table public.tasks rename column title to name;
alter table public.tasks alter column due_at type date;
alter table public.projects add column archived_at timestamptz;
"#;
    let findings = check(&[(INIT, SCHEMA), (m2, cleanup)], "DATA-MIGRATIONS");
    let drop = one_at(&findings, m2, 1);
    assert!(
        drop.message.contains("projects.owner_email") && drop.message.contains("no backfill"),
        "{}",
        drop.message
    );
    assert_eq!(drop.confidence, Confidence::High);
    one_at(&findings, m2, 2);
    let retype = one_at(&findings, m2, 3);
    assert!(retype.message.contains("lock"), "{}", retype.message);
    assert_eq!(
        findings.len(),
        3,
        "the added nullable column is safe: {}",
        show(&findings)
    );
}

#[test]
fn migrations_backfilled_drop_fresh_table_and_widening_are_fine() {
    let m2 = "supabase/migrations/20240401000000_owners.sql";
    let backfill = r#"alter table public.projects add column owner_id uuid references auth.users(id);
update public.projects p set owner_id = u.id from auth.users u where u.email = p.owner_email;
"#;
    let m3 = "supabase/migrations/20240402000000_drop_owner_email.sql";
    let m4 = "supabase/migrations/20240403000000_scratch.sql";
    let scratch = r#"create table public.scratch (id uuid primary key, note varchar(50));
alter table public.scratch rename column note to body;
alter table public.tasks add column summary varchar(80);
"#;
    let m5 = "supabase/migrations/20240404000000_widen.sql";
    none(&check(
        &[
            (INIT, SCHEMA),
            (m2, backfill),
            (m3, "alter table public.projects drop column owner_email;"),
            (m4, scratch),
            (
                m5,
                "alter table public.tasks alter column summary type text;",
            ),
        ],
        "DATA-MIGRATIONS",
    ));
}

const EXPRESS_PG: &str = r#"import express from "express";
import { Pool } from "pg";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();

app.get("/users/:id", async (req, res) => {
  const { rows } = await pool.query("SELECT id, email FROM users WHERE id = $1", [req.params.id]);
  res.json(rows[0]);
});

app.listen(3000);
"#;

#[test]
fn migrations_absent_while_the_code_queries_a_database() {
    let findings = check(
        &[
            ("src/server.ts", EXPRESS_PG),
            (
                "package.json",
                r#"{"dependencies":{"express":"^4","pg":"^8"}}"#,
            ),
        ],
        "DATA-MIGRATIONS",
    );
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    let f = &findings[0];
    assert!(
        f.path.is_empty() && f.line == 0,
        "a repository-wide finding: {f:?}"
    );
    assert!(f.message.contains("src/server.ts:8"), "{}", f.message);
    assert!(
        f.evidence
            .searched
            .iter()
            .any(|s| s.contains("prisma/migrations")),
        "{:?}",
        f.evidence.searched
    );

    let prisma_only = check(&[("prisma/schema.prisma", "model User {\n  id String @id\n}\n"), ("src/users.ts", "import { prisma } from './db';\nexport const users = () => prisma.user.findMany({ take: 10 });\n")], "DATA-MIGRATIONS");
    assert_eq!(prisma_only.len(), 1, "{}", show(&prisma_only));
    assert!(
        prisma_only[0].message.contains("db push"),
        "{}",
        prisma_only[0].message
    );
}

#[test]
fn migrations_present_in_any_tool_or_no_database_at_all_is_fine() {
    none(&check(
        &[
            ("src/server.ts", EXPRESS_PG),
            (
                "migrations/0001_users.sql",
                "create table users (id uuid primary key, email text unique);",
            ),
        ],
        "DATA-MIGRATIONS",
    ));
    none(&check(
        &[
            ("src/server.ts", EXPRESS_PG),
            (
                "prisma/migrations/20240101_init/migration.sql",
                "create table users (id uuid primary key);",
            ),
        ],
        "DATA-MIGRATIONS",
    ));
    none(&check(&[("app/views.py", "from .models import Order\n\ndef index(request):\n    return Order.objects.filter(user=request.user)[:10]\n"), ("app/migrations/0001_initial.py", "from django.db import migrations\n")], "DATA-MIGRATIONS"));
    none(&check(
        &[(
            "src/format.ts",
            "export const money = (n: number) => n.toFixed(2);\n",
        )],
        "DATA-MIGRATIONS",
    ));
}

#[test]
fn migrations_edited_after_later_ones_were_added() {
    let dir = tempfile::tempdir().unwrap();
    let repo = plumb::fixture::RepoBuilder::init(&dir.path().join("app")).unwrap();
    let dev = plumb::fixture::Author::new("Dev", "dev@example.com");
    let one = "supabase/migrations/20240101000000_init.sql";
    let two = "supabase/migrations/20240201000000_tasks.sql";
    let three = "supabase/migrations/20240301000000_due.sql";
    repo.write(one, "create table projects (id uuid primary key);\n");
    repo.commit(&dev, 1_704_067_200, "init").unwrap();
    // Editing the newest migration before another exists is normal.
    repo.write(
        one,
        "create table projects (id uuid primary key, name text);\n",
    );
    repo.commit(&dev, 1_704_153_600, "name").unwrap();
    repo.write(
        two,
        "create table tasks (id uuid primary key, project_id uuid references projects(id));\n",
    );
    repo.commit(&dev, 1_706_745_600, "tasks").unwrap();
    repo.write(three, "alter table tasks add column due_at timestamptz;\n");
    repo.commit(&dev, 1_709_251_200, "due").unwrap();
    repo.write(
        one,
        "create table projects (id uuid primary key, name text, archived boolean);\n",
    );
    repo.commit(&dev, 1_709_337_600, "add archived to init")
        .unwrap();
    let findings = analyse_repo(repo.root(), "DATA-MIGRATIONS");
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    assert_eq!(findings[0].path, one);
    assert!(
        findings[0].message.contains("add archived to init"),
        "{}",
        findings[0].message
    );
}

// ---------------------------------------------------------------------------------------
// DATA-TXN

#[test]
fn txn_two_prisma_writes_in_a_route_handler() {
    let route = r#"import { NextResponse } from "next/server";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const { productId, quantity, userId } = await req.json();
  const order = await prisma.order.create({ data: { userId, productId, quantity } });
  await prisma.product.update({ where: { id: productId }, data: { stock: { decrement: quantity } } });
  return NextResponse.json(order);
}
"#;
    let path = "app/api/orders/route.ts";
    let findings = check(&[(path, route)], "DATA-TXN");
    let f = one_at(&findings, path, line(route, "prisma.order.create"));
    assert!(f.end_line >= line(route, "prisma.product.update"), "{f:?}");
    assert!(
        f.message.contains("order") && f.message.contains("product"),
        "{}",
        f.message
    );
    assert!(f.exposure.money, "orders touch money");
}

#[test]
fn txn_not_inside_a_transaction_callback_or_array() {
    let route = r#"import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const { productId, quantity, userId } = await req.json();
  const order = await prisma.$transaction(async (tx) => {
    const created = await tx.order.create({ data: { userId, productId, quantity } });
    await tx.product.update({ where: { id: productId }, data: { stock: { decrement: quantity } } });
    return created;
  });
  await prisma.$transaction([
    prisma.cart.deleteMany({ where: { userId } }),
    prisma.user.update({ where: { id: userId }, data: { lastOrderAt: new Date() } }),
  ]);
  return Response.json(order);
}
"#;
    none(&check(&[("app/api/orders/route.ts", route)], "DATA-TXN"));
}

#[test]
fn txn_pg_queries_without_begin_but_not_with_it() {
    let without = r#"import express from "express";
import { pool } from "./db";

const app = express();

app.post("/transfer", async (req, res) => {
  const { from, to, amount } = req.body;
  await pool.query("UPDATE accounts SET balance = balance - $1 WHERE id = $2", [amount, from]);
  await pool.query("UPDATE accounts SET balance = balance + $1 WHERE id = $2", [amount, to]);
  res.sendStatus(204);
});
"#;
    let path = "server/transfer.ts";
    let findings = check(&[(path, without)], "DATA-TXN");
    one_at(&findings, path, line(without, "balance - $1"));
    let with = without
        .replace("  await pool.query(\"UPDATE accounts SET balance = balance - $1", "  const client = await pool.connect();\n  await client.query(\"BEGIN\");\n  await client.query(\"UPDATE accounts SET balance = balance - $1")
        .replace("  await pool.query(\"UPDATE accounts SET balance = balance + $1 WHERE id = $2\", [amount, to]);", "  await client.query(\"UPDATE accounts SET balance = balance + $1 WHERE id = $2\", [amount, to]);\n  await client.query(\"COMMIT\");");
    none(&check(&[(path, &with)], "DATA-TXN"));
}

#[test]
fn txn_exclusive_branches_audit_logs_compensation_and_lazy_builders_are_fine() {
    let webhook = r#"import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

Deno.serve(async (req) => {
  const event = await req.json();
  switch (event.type) {
    case "invoice.paid":
      await supabaseAdmin.from("invoices").update({ status: "paid" }).eq("id", event.id);
      break;
    case "invoice.voided":
      await supabaseAdmin.from("invoices").update({ status: "void" }).eq("id", event.id);
      break;
  }
  await supabaseAdmin.from("audit_log").insert({ action: event.type });
  return new Response("ok");
});

export async function touch(event: { project?: string }) {
  if (event.project) {
    await supabaseAdmin.from("projects").update({ touched_at: new Date().toISOString() }).eq("id", event.project);
  } else {
    await supabaseAdmin.from("orphans").insert({ payload: event });
  }
}
"#;
    none(&check(
        &[("supabase/functions/webhook/index.ts", webhook)],
        "DATA-TXN",
    ));
    let compensated = r#"import { supabase } from "@/lib/supabase";

export async function createProject(orgId: string, name: string) {
  const { data: project, error } = await supabase.from("projects").insert({ org_id: orgId, name }).select().single();
  if (error) throw error;
  try {
    const { error: taskError } = await supabase.from("tasks").insert({ project_id: project.id, title: "Welcome" });
    if (taskError) throw taskError;
  } catch (e) {
    await supabase.from("projects").delete().eq("id", project.id);
    throw e;
  }
  return project;
}

export function markDone(id: string) {
  supabase.from("tasks").update({ done: true }).eq("id", id);
  supabase.from("projects").update({ touched_at: new Date().toISOString() }).eq("id", id);
}
"#;
    none(&check(&[("src/lib/projects.ts", compensated)], "DATA-TXN"));
}

#[test]
fn txn_read_modify_write_of_stock_but_not_an_atomic_rpc() {
    let code = r#"import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

Deno.serve(async (req) => {
  const { productId, quantity } = await req.json();
  const { data: product } = await supabaseAdmin.from("products").select("id, stock").eq("id", productId).single();
  if (!product || product.stock < quantity) return new Response("sold out", { status: 409 });
  await supabaseAdmin.from("products").update({ stock: product.stock - quantity }).eq("id", productId);
  return new Response("ok");
});
"#;
    let path = "supabase/functions/reserve/index.ts";
    let findings = check(&[(path, code)], "DATA-TXN");
    let f = one_at(
        &findings,
        path,
        line(code, "stock: product.stock - quantity"),
    );
    assert!(f.message.contains("products.stock"), "{}", f.message);
    let atomic = code.replace(
        r#"await supabaseAdmin.from("products").update({ stock: product.stock - quantity }).eq("id", productId);"#,
        r#"await supabaseAdmin.rpc("reserve_stock", { product_id: productId, qty: quantity });"#,
    );
    none(&check(&[(path, &atomic)], "DATA-TXN"));
}

#[test]
fn txn_django_view_writes_and_balance_updates() {
    let views = r#"from django.db import transaction
from django.db.models import F
from django.http import JsonResponse

from .models import Account, Order, Payment


def pay(request, order_id):
    order = Order.objects.get(pk=order_id, customer=request.user)
    order.status = "paid"
    order.save()
    Payment.objects.create(order=order, amount=order.total)
    return JsonResponse({"ok": True})


@transaction.atomic
def pay_atomic(request, order_id):
    order = Order.objects.get(pk=order_id, customer=request.user)
    order.save()
    Payment.objects.create(order=order, amount=order.total)
    return JsonResponse({"ok": True})


def pay_with_block(request, order_id):
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        order.save()
        Payment.objects.create(order=order, amount=order.total)
    return JsonResponse({"ok": True})


def withdraw(request, amount):
    account = Account.objects.get(user=request.user)
    account.balance -= amount
    account.save()
    return JsonResponse({"balance": account.balance})


def withdraw_atomic(request, amount):
    Account.objects.filter(user=request.user).update(balance=F("balance") - amount)
    return JsonResponse({"ok": True})
"#;
    let path = "billing/views.py";
    let findings = check(&[(path, views)], "DATA-TXN");
    one_at(&findings, path, line(views, "    order.save()"));
    one_at(&findings, path, line(views, "account.balance -= amount"));
    assert_eq!(findings.len(), 2, "{}", show(&findings));
}

#[test]
fn txn_psycopg_commits_once_is_one_transaction_twice_is_two() {
    let once = r#"from fastapi import FastAPI

from db import get_conn

app = FastAPI()


@app.post("/orders")
def create_order(user_id: str, total: int):
    conn = get_conn()
    cur = conn.cursor()
    cur.execute("INSERT INTO orders (user_id, total) VALUES (%s, %s)", (user_id, total))
    cur.execute("UPDATE users SET order_count = order_count + 1 WHERE id = %s", (user_id,))
    conn.commit()
    return {"ok": True}
"#;
    let path = "api/orders.py";
    none(&check(&[(path, once)], "DATA-TXN"));
    let twice = once.replace(
        "    cur.execute(\"UPDATE users",
        "    conn.commit()\n    cur.execute(\"UPDATE users",
    );
    let findings = check(&[(path, &twice)], "DATA-TXN");
    assert_eq!(findings.len(), 1, "{}", show(&findings));
    assert!(
        findings[0].message.contains("commits 2 times"),
        "{}",
        findings[0].message
    );
}

// ---------------------------------------------------------------------------------------
// DATA-CONSTRAINTS

#[test]
fn constraints_identity_columns_without_unique() {
    let m = "db/migrations/001_init.sql";
    let sql = r#"create table users (
  id bigserial primary key,
  email text not null,
  password_hash text not null
);

create table subscriptions (
  id bigserial primary key,
  user_id bigint not null references users(id),
  stripe_subscription_id text not null,
  stripe_price_id text not null
);

create table stripe_events (
  id bigserial primary key,
  stripe_event_id text not null,
  processed_at timestamptz
);
"#;
    let findings = check(&[(m, sql)], "DATA-CONSTRAINTS");
    one_at(&findings, m, line(sql, "email text not null"));
    one_at(&findings, m, line(sql, "stripe_subscription_id"));
    one_at(&findings, m, line(sql, "stripe_event_id"));
    assert_eq!(
        findings.len(),
        3,
        "a price is shared by many subscriptions: {}",
        show(&findings)
    );
}

#[test]
fn constraints_unique_in_any_form_and_profile_mirrors_are_fine() {
    let m = "supabase/migrations/20240101000000_init.sql";
    let sql = r#"create table public.users (
  id uuid primary key,
  email text not null
);
create unique index users_email_lower_idx on public.users (lower(email));

create table public.members (
  id uuid primary key,
  org_id uuid not null,
  email text not null,
  unique (org_id, email)
);

create table public.profiles (
  id uuid primary key references auth.users(id) on delete cascade,
  email text
);

create table public.customers (
  id uuid primary key,
  email text,
  stripe_customer_id text
);
alter table public.customers add constraint customers_stripe_customer_id_key unique (stripe_customer_id);
"#;
    none(&check(&[(m, sql)], "DATA-CONSTRAINTS"));
}

#[test]
fn constraints_references_without_foreign_keys() {
    let m = "supabase/migrations/20240101000000_init.sql";
    let sql = r#"create table public.posts (
  id uuid primary key,
  title text not null
);

create table public.comments (
  id uuid primary key,
  post_id uuid not null,
  body text not null
);

create table public.reactions (
  id uuid primary key,
  post_id uuid not null references public.posts(id) on delete cascade,
  entity_id uuid not null,
  entity_type text not null,
  session_id text
);
"#;
    let findings = check(&[(m, sql)], "DATA-CONSTRAINTS");
    let f = one_at(&findings, m, line(sql, "post_id uuid not null,"));
    assert!(
        f.message.contains("comments.post_id") && f.message.contains("FOREIGN KEY"),
        "{}",
        f.message
    );
    assert_eq!(findings.len(), 1, "{}", show(&findings));
}

#[test]
fn constraints_supabase_user_id_without_a_reference_to_auth_users() {
    let m = "supabase/migrations/20240101000000_init.sql";
    let sql = r#"create table public.profiles (
  id uuid primary key references auth.users(id) on delete cascade,
  full_name text
);

create table public.notes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  body text
);

create table public.likes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade
);
"#;
    let findings = check(&[(m, sql)], "DATA-CONSTRAINTS");
    let f = one_at(&findings, m, line(sql, "user_id uuid not null,"));
    assert!(f.message.contains("auth.users"), "{}", f.message);
    assert_eq!(findings.len(), 1, "{}", show(&findings));
}

#[test]
fn constraints_from_a_prisma_schema() {
    let schema = r#"model User {
  id    String @id @default(cuid())
  email String
  posts Post[]
}

model Post {
  id       String @id @default(cuid())
  author   User   @relation(fields: [authorId], references: [id])
  authorId String
  userId   String
}
"#;
    let path = "prisma/schema.prisma";
    let findings = check(&[(path, schema)], "DATA-CONSTRAINTS");
    one_at(&findings, path, line(schema, "email String"));
    one_at(&findings, path, line(schema, "userId   String"));
    assert_eq!(findings.len(), 2, "{}", show(&findings));
    let fixed = schema
        .replace("email String", "email String @unique")
        .replace("  userId   String\n", "");
    none(&check(&[(path, &fixed)], "DATA-CONSTRAINTS"));
}
