//! ERR detectors: a true positive and a near-miss negative for every item.

use super::{check, none, one_at};

const SUPABASE_CLIENT: (&str, &str) = (
    "src/lib/supabase.ts",
    r#"import { createClient } from "@supabase/supabase-js";
export const supabase = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_ANON_KEY);
"#,
);

// ---------------------------------------------------------------------------------------
// ERR-SWALLOW

/// A Supabase edge function creating an order, with `body` after the order is read.
fn edge_function(body: &str) -> String {
    format!(
        r#"import {{ createClient }} from "https://esm.sh/@supabase/supabase-js@2.45.4";

Deno.serve(async (req) => {{
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
  const order = await req.json();
{body}
}});
"#
    )
}

#[test]
fn supabase_insert_whose_error_is_never_read_is_swallowed() {
    let edge = edge_function(
        r#"  const { data } = await supabase.from("orders").insert(order).select().single();
  return new Response(JSON.stringify({ ok: true, id: data?.id }), { status: 200 });"#,
    );
    let f = check(&[("supabase/functions/create-order/index.ts", &edge)], "ERR-SWALLOW");
    let hit = one_at(&f, "supabase/functions/create-order/index.ts", 6);
    assert!(hit.message.contains("insert of `orders`"), "{}", hit.message);
    assert!(hit.exposure.data_write);
}

#[test]
fn supabase_error_that_returns_an_error_response_is_handled() {
    let edge = edge_function(
        r#"  const { data, error: insertError } = await supabase.from("orders").insert(order).select().single();
  if (insertError) {
    console.error("insert failed", insertError);
    return new Response(JSON.stringify({ error: insertError.message }), { status: 500 });
  }
  const { error } = await supabase.from("order_events").insert({ order_id: data.id });
  if (error) throw error;
  const res = await supabase.from("audit").insert({ order_id: data.id });
  return new Response(JSON.stringify({ id: data.id, audited: !res.error }));"#,
    );
    none(&check(&[("supabase/functions/create-order/index.ts", &edge)], "ERR-SWALLOW"));
}

#[test]
fn supabase_error_that_is_only_logged_is_swallowed() {
    let hook = r#"import { supabase } from "@/lib/supabase";

export async function saveProfile(userId: string, name: string) {
  const { error } = await supabase.from("profiles").upsert({ id: userId, full_name: name });
  if (error) console.error("could not save profile", error);
  return true;
}
"#;
    let f = check(&[SUPABASE_CLIENT, ("src/hooks/useProfile.ts", hook)], "ERR-SWALLOW");
    let hit = one_at(&f, "src/hooks/useProfile.ts", 5);
    assert!(hit.message.contains("only logged"), "{}", hit.message);
}

#[test]
fn a_catch_that_only_logs_and_returns_success_is_swallowed() {
    let route = r#"import { NextResponse } from "next/server";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const body = await req.json();
  try {
    await prisma.subscription.update({ where: { id: body.id }, data: { plan: body.plan } });
  } catch (err) {
    console.error("update failed", err);
  }
  return NextResponse.json({ ok: true });
}
"#;
    let f = check(&[("app/api/subscription/route.ts", route)], "ERR-SWALLOW");
    let hit = one_at(&f, "app/api/subscription/route.ts", 8);
    assert!(hit.message.contains("console.error"), "{}", hit.message);
}

#[test]
fn a_catch_that_responds_reports_or_shows_the_error_is_not_swallowed() {
    let route = r#"import { NextResponse } from "next/server";
import * as Sentry from "@sentry/nextjs";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const body = await req.json();
  try {
    await prisma.subscription.update({ where: { id: body.id }, data: { plan: body.plan } });
  } catch (err) {
    console.error("update failed", err);
    return NextResponse.json({ error: "Could not update the plan" }, { status: 500 });
  }
  try {
    await fetch("https://hooks.slack.com/services/T000/B000/XXX", { method: "POST", body: "x" });
  } catch (err) {
    Sentry.captureException(err);
  }
  return NextResponse.json({ ok: true });
}
"#;
    let component = r#"import { useState } from "react";
import { toast } from "sonner";

export function useSave() {
  const [error, setError] = useState<string | null>(null);
  const save = async (values: unknown) => {
    try {
      await fetch("/api/save", { method: "POST", body: JSON.stringify(values) });
    } catch (e) {
      setError((e as Error).message);
    }
    try {
      await fetch("/api/publish", { method: "POST" });
    } catch (e) {
      toast.error("Could not publish");
    }
  };
  const parse = (raw: string) => {
    try {
      return JSON.parse(raw);
    } catch {
      return {};
    }
  };
  return { save, parse, error };
}
"#;
    none(&check(
        &[("app/api/subscription/route.ts", route), ("src/hooks/useSave.ts", component)],
        "ERR-SWALLOW",
    ));
}

#[test]
fn empty_catch_callbacks_swallow_and_handling_callbacks_do_not() {
    let hook = r#"import { useEffect, useState } from "react";

export function useInvoices() {
  const [items, setItems] = useState([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch("/api/invoices").then((r) => r.json()).then(setItems).catch(() => {});
    fetch("/api/customers").then((r) => r.json()).then(setItems).catch(console.error);
    fetch("/api/payments").then((r) => r.json()).then(setItems).catch((e) => setError(e.message));
  }, []);
  return { items, error };
}
"#;
    let f = check(&[("src/hooks/useInvoices.ts", hook)], "ERR-SWALLOW");
    one_at(&f, "src/hooks/useInvoices.ts", 7);
    one_at(&f, "src/hooks/useInvoices.ts", 8);
    assert_eq!(f.len(), 2, "{}", super::show(&f));
}

#[test]
fn python_except_pass_and_log_and_continue_are_swallowed() {
    let py = r#"import logging
from fastapi import FastAPI, HTTPException
from sqlalchemy.orm import Session

app = FastAPI()
logger = logging.getLogger(__name__)


@app.post("/orders/{order_id}/ship")
def ship(order_id: int, db: Session):
    order = db.get(Order, order_id)
    order.status = "shipped"
    try:
        db.commit()
    except Exception:
        pass
    for item in order.items:
        try:
            requests.post(WAREHOUSE_URL, json={"sku": item.sku}, timeout=5)
        except Exception as e:
            logger.exception("warehouse call failed: %s", e)
            continue
    return {"ok": True}
"#;
    let f = check(&[("api/orders.py", py)], "ERR-SWALLOW");
    let pass = one_at(&f, "api/orders.py", 15);
    assert!(pass.message.contains("pass"), "{}", pass.message);
    let logged = one_at(&f, "api/orders.py", 20);
    assert!(logged.message.contains("logger.exception"), "{}", logged.message);
}

#[test]
fn python_except_that_raises_or_guards_a_local_parse_is_not_swallowed() {
    let py = r#"import logging
from fastapi import FastAPI, HTTPException

app = FastAPI()
logger = logging.getLogger(__name__)


@app.post("/orders/{order_id}/ship")
def ship(order_id: int, page: str = "1"):
    try:
        page_number = int(page)
    except ValueError:
        page_number = 1
    try:
        os.remove(f"/tmp/export-{order_id}.csv")
    except OSError:
        pass
    try:
        db.commit()
    except Exception as e:
        logger.exception("commit failed")
        raise HTTPException(status_code=500, detail="Could not ship the order") from e
    return {"ok": True, "page": page_number}
"#;
    none(&check(&[("api/orders.py", py)], "ERR-SWALLOW"));
}

// ---------------------------------------------------------------------------------------
// ERR-UNHANDLED

#[test]
fn un_awaited_supabase_write_never_runs() {
    let page = r#"import { supabase } from "@/lib/supabase";
import { toast } from "sonner";

export default function Project({ id }: { id: string }) {
  const archive = () => {
    supabase.from("projects").update({ archived: true }).eq("id", id);
    toast.success("Archived");
  };
  const restore = async () => {
    const { error } = await supabase.from("projects").update({ archived: false }).eq("id", id);
    if (error) toast.error(error.message);
  };
  return <button onClick={archive}>Archive</button>;
}
"#;
    let f = check(&[SUPABASE_CLIENT, ("src/pages/Project.tsx", page)], "ERR-UNHANDLED");
    let hit = one_at(&f, "src/pages/Project.tsx", 6);
    assert!(hit.message.contains("never awaited"), "{}", hit.message);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
}

#[test]
fn floating_post_and_then_without_catch_are_unhandled_but_handled_chains_are_not() {
    let hook = r#"import { useEffect, useState } from "react";

export function useCart(userId: string) {
  const [cart, setCart] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    fetch(`/api/cart/${userId}`).then((r) => r.json()).then(setCart);
    fetch(`/api/prices`).then((r) => r.json()).then(setCart, (e) => setError(e));
    fetch(`/api/stock`).then((r) => r.json()).then(setCart).catch((e) => setError(e));
  }, [userId]);
  const track = (event: string) => {
    fetch("/api/events", { method: "POST", body: JSON.stringify({ event }) });
    fetch("/api/ping");
  };
  const checkout = async () => {
    await fetch("/api/checkout", { method: "POST" });
  };
  return { cart, error, track, checkout };
}
"#;
    let f = check(&[("src/hooks/useCart.ts", hook)], "ERR-UNHANDLED");
    one_at(&f, "src/hooks/useCart.ts", 7);
    one_at(&f, "src/hooks/useCart.ts", 12);
    assert_eq!(f.len(), 2, "{}", super::show(&f));
}

#[test]
fn supabase_then_without_catch_is_not_an_unhandled_rejection() {
    let hook = r#"import { useEffect, useState } from "react";
import { supabase } from "@/lib/supabase";

export function useTeams() {
  const [teams, setTeams] = useState([]);
  useEffect(() => {
    supabase.from("teams").select("*").then(({ data }) => setTeams(data ?? []));
  }, []);
  return teams;
}
"#;
    none(&check(&[SUPABASE_CLIENT, ("src/hooks/useTeams.ts", hook)], "ERR-UNHANDLED"));
}

#[test]
fn async_writer_from_another_file_called_without_await_is_unhandled() {
    let lib = r#"import { supabase } from "@/lib/supabase";

export async function recordPayment(invoiceId: string, amount: number) {
  const { error } = await supabase.from("payments").insert({ invoice_id: invoiceId, amount });
  if (error) throw error;
}

export async function loadInvoices() {
  const { data, error } = await supabase.from("invoices").select("*").limit(50);
  if (error) throw error;
  return data;
}
"#;
    let page = r#"import { recordPayment, loadInvoices } from "@/lib/payments";

export function PayButton({ invoiceId }: { invoiceId: string }) {
  const pay = () => {
    recordPayment(invoiceId, 100);
    loadInvoices();
  };
  const payAndWait = async () => {
    await recordPayment(invoiceId, 100);
  };
  return <button onClick={pay}>Pay</button>;
}
"#;
    let tsconfig = r#"{ "compilerOptions": { "strict": true, "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }"#;
    let f = check(
        &[
            SUPABASE_CLIENT,
            ("tsconfig.json", tsconfig),
            ("src/lib/payments.ts", lib),
            ("src/components/PayButton.tsx", page),
        ],
        "ERR-UNHANDLED",
    );
    let hit = one_at(&f, "src/components/PayButton.tsx", 5);
    assert!(hit.message.contains("recordPayment"), "{}", hit.message);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
}

#[test]
fn react_query_mutation_without_on_error_anywhere_is_unhandled() {
    let hook = r#"import { useMutation, useQueryClient } from "@tanstack/react-query";
import { supabase } from "@/lib/supabase";

export function useUpdatePlan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (plan: string) => {
      const { error } = await supabase.from("subscriptions").update({ plan }).eq("id", 1);
      if (error) throw error;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["subscription"] }),
  });
}
"#;
    let page = r#"import { useUpdatePlan } from "@/hooks/useUpdatePlan";

export default function Billing() {
  const updatePlan = useUpdatePlan();
  return <button onClick={() => updatePlan.mutate("pro")}>Upgrade</button>;
}
"#;
    let f = check(
        &[SUPABASE_CLIENT, ("src/hooks/useUpdatePlan.ts", hook), ("src/pages/Billing.tsx", page)],
        "ERR-UNHANDLED",
    );
    let hit = one_at(&f, "src/hooks/useUpdatePlan.ts", 6);
    assert!(hit.message.contains("useUpdatePlan"), "{}", hit.message);
    assert_eq!(hit.evidence.related[0].path, "src/pages/Billing.tsx");
}

#[test]
fn react_query_mutation_handled_at_the_call_site_or_by_default_is_not_flagged() {
    let hook = r#"import { useMutation } from "@tanstack/react-query";

export function useUpdatePlan() {
  return useMutation({
    mutationFn: (plan: string) => fetch("/api/plan", { method: "POST", body: plan }),
  });
}
"#;
    let page = r#"import { toast } from "sonner";
import { useUpdatePlan } from "@/hooks/useUpdatePlan";

export default function Billing() {
  const updatePlan = useUpdatePlan();
  const upgrade = async () => {
    try {
      await updatePlan.mutateAsync("pro");
    } catch (e) {
      toast.error("Upgrade failed");
    }
  };
  return <button onClick={() => updatePlan.mutate("pro", { onError: () => toast.error("failed") })}>Upgrade</button>;
}
"#;
    none(&check(&[("src/hooks/useUpdatePlan.ts", hook), ("src/pages/Billing.tsx", page)], "ERR-UNHANDLED"));
    let local = r#"import { useMutation, QueryClient, MutationCache } from "@tanstack/react-query";
import { toast } from "sonner";

export const queryClient = new QueryClient({
  mutationCache: new MutationCache({ onError: (e) => toast.error(e.message) }),
});

export function Rename() {
  const rename = useMutation({ mutationFn: (name: string) => fetch("/api/rename", { method: "POST", body: name }) });
  return <button onClick={() => rename.mutate("x")}>Rename</button>;
}
"#;
    none(&check(&[("src/components/Rename.tsx", local)], "ERR-UNHANDLED"));
}

#[test]
fn python_coroutine_called_without_await_never_runs() {
    let py = r#"import asyncio
from fastapi import FastAPI

app = FastAPI()


async def send_receipt(email: str, order_id: int) -> None:
    await mailer.send(to=email, template="receipt", order_id=order_id)


@app.post("/orders")
async def create_order(order: OrderIn):
    saved = await repo.save(order)
    send_receipt(order.email, saved.id)
    asyncio.create_task(sync_crm(saved.id))
    return saved


@app.post("/orders/{order_id}/resend")
async def resend(order_id: int):
    await send_receipt("a@b.c", order_id)
    task = asyncio.create_task(sync_crm(order_id))
    await task
    return {"ok": True}
"#;
    let f = check(&[("app/main.py", py)], "ERR-UNHANDLED");
    let hit = one_at(&f, "app/main.py", 14);
    assert!(hit.message.contains("send_receipt"), "{}", hit.message);
    one_at(&f, "app/main.py", 15);
    assert_eq!(f.len(), 2, "{}", super::show(&f));
}

// ---------------------------------------------------------------------------------------
// ERR-INCONSISTENT

fn throwing_hook(name: &str) -> String {
    format!(
        r#"import {{ supabase }} from "@/lib/supabase";
export async function {name}(id: string) {{
  const {{ data, error }} = await supabase.from("{name}").select("*").eq("id", id).single();
  if (error) throw error;
  if (!data) throw new Error("not found");
  return data;
}}
"#
    )
}

#[test]
fn mixed_throw_result_and_swallow_styles_are_inconsistent() {
    let result_api = r#"export async function createTeam(name: string) {
  const res = await fetch("/api/teams", { method: "POST", body: name });
  if (!res.ok) return { error: "Could not create the team" };
  return { ok: true };
}
export async function renameTeam(id: string, name: string) {
  const res = await fetch(`/api/teams/${id}`, { method: "PATCH", body: name });
  if (!res.ok) return { error: "Could not rename" };
  return { ok: true };
}
"#;
    let result_api2 = result_api.replace("createTeam", "createOrg").replace("renameTeam", "renameOrg");
    let swallow = r#"export async function syncAll() {
  try { await fetch("/api/sync", { method: "POST" }); } catch (e) { console.log(e); }
  try { await fetch("/api/sync2", { method: "POST" }); } catch (e) { console.log(e); }
}
"#;
    let swallow2 = swallow.replace("syncAll", "syncMore");
    let files: Vec<(String, String)> = vec![
        ("src/hooks/useA.ts".into(), throwing_hook("projects")),
        ("src/hooks/useB.ts".into(), throwing_hook("tasks")),
        ("src/lib/teams.ts".into(), result_api.to_string()),
        ("src/lib/orgs.ts".into(), result_api2),
        ("src/jobs/sync.ts".into(), swallow.to_string()),
        ("src/jobs/sync2.ts".into(), swallow2),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let f = check(&refs, "ERR-INCONSISTENT");
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    assert!(f[0].path.is_empty());
    assert!(f[0].message.contains("3 different ways"), "{}", f[0].message);
    assert!(
        f[0].evidence.facts.iter().any(|x| x.starts_with("throw: 4 site(s) in 2 file(s)")),
        "{:?}",
        f[0].evidence.facts
    );
    assert!(f[0].evidence.facts.iter().any(|x| x.contains("share of signalling sites")));
}

#[test]
fn throwing_everywhere_with_error_responses_at_the_boundary_is_consistent() {
    let route = r#"import { NextResponse } from "next/server";
import { getProject } from "@/lib/projects";
export async function GET(req: Request) {
  try {
    return NextResponse.json(await getProject("1"));
  } catch (e) {
    return NextResponse.json({ error: "Not found" }, { status: 404 });
  }
}
"#;
    let single_swallow = r#"export async function warm() {
  try { await fetch("/api/warm"); } catch { }
}
"#;
    let files: Vec<(String, String)> = vec![
        ("src/lib/projects.ts".into(), throwing_hook("projects")),
        ("src/lib/tasks.ts".into(), throwing_hook("tasks")),
        ("src/lib/users.ts".into(), throwing_hook("users")),
        ("app/api/projects/route.ts".into(), route.to_string()),
        ("src/lib/warm.ts".into(), single_swallow.to_string()),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    none(&check(&refs, "ERR-INCONSISTENT"));
}
