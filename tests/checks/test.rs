//! TEST detectors: a true positive and a near-miss negative for every item.

use plumb::checks::{Class, Finding};
use plumb::fixture::{Author, RepoBuilder};

use super::{analyse_repo, check, none, one_at};

const STRIPE_WEBHOOK: &str = r#"import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";
import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);

Deno.serve(async (req) => {
  const event = stripe.webhooks.constructEvent(await req.text(), req.headers.get("stripe-signature")!, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  if (event.type === "checkout.session.completed") {
    await supabaseAdmin.from("payments").insert({ invoice_id: event.data.object.metadata.invoice_id });
  }
  return new Response("ok");
});
"#;

const SUPABASE_ADMIN: &str = r#"import { createClient } from "https://esm.sh/@supabase/supabase-js@2.45.4";
export const supabaseAdmin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
"#;

const FORMAT: &str = r#"export function formatCurrency(amount: number) {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(amount);
}
"#;

const FORMAT_TEST: &str = r#"import { expect, it } from "vitest";
import { formatCurrency } from "@/lib/format";
it("formats", () => expect(formatCurrency(1)).toBe("$1.00"));
"#;

fn critical(files: &[(&str, &str)]) -> Vec<Finding> {
    check(files, "TEST-CRITICAL")
}

#[test]
fn an_untested_payment_webhook_is_load_bearing_code_without_tests() {
    let findings = critical(&[
        ("supabase/functions/stripe-webhook/index.ts", STRIPE_WEBHOOK),
        (
            "supabase/functions/_shared/supabaseAdmin.ts",
            SUPABASE_ADMIN,
        ),
        ("src/lib/format.ts", FORMAT),
        ("src/__tests__/format.test.ts", FORMAT_TEST),
    ]);
    let f = one_at(&findings, "supabase/functions/stripe-webhook/index.ts", 0);
    assert!(
        f.message.contains("moves money") && f.message.contains("writes customer data"),
        "{}",
        f.message
    );
    assert!(
        f.evidence
            .searched
            .iter()
            .any(|s| s.contains("1 test files")),
        "{:?}",
        f.evidence.searched
    );
    assert_eq!(f.class, Class::LoadBearing);
    // A client constructor has nothing to test on its own.
    assert!(findings
        .iter()
        .all(|f| f.path != "supabase/functions/_shared/supabaseAdmin.ts"));
    assert_eq!(findings.len(), 1, "{}", super::show(&findings));
}

#[test]
fn a_webhook_whose_handler_a_deno_test_imports_is_exercised() {
    let handler = r#"import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";
export async function handle(event: { type: string; id: string }) {
  await supabaseAdmin.from("payments").insert({ event_id: event.id });
}
"#;
    let index = r#"import { handle } from "./handler.ts";
Deno.serve(async (req) => { await handle(await req.json()); return new Response("ok"); });
"#;
    let test = r#"import { assertEquals } from "jsr:@std/assert";
import { handle } from "../stripe-webhook/handler.ts";
Deno.test("records the payment", async () => { await handle({ type: "checkout.session.completed", id: "evt_1" }); });
"#;
    let invoke = r#"import { supabase } from "./client";
test("webhook answers", async () => {
  const { error } = await supabase.functions.invoke("stripe-webhook", { body: {} });
  expect(error).toBeNull();
});
"#;
    none(&critical(&[
        ("supabase/functions/stripe-webhook/handler.ts", handler),
        ("supabase/functions/stripe-webhook/index.ts", index),
        (
            "supabase/functions/_shared/supabaseAdmin.ts",
            SUPABASE_ADMIN,
        ),
        ("supabase/functions/tests/handler.test.ts", test),
        ("tests/invoke.test.ts", invoke),
    ]));
}

#[test]
fn routes_called_over_http_by_tests_count_as_tested() {
    let route = r#"import Stripe from "stripe";
import { prisma } from "@/lib/db";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export async function POST(req: Request, { params }: { params: { id: string } }) {
  const order = await prisma.order.update({ where: { id: params.id }, data: { status: "refunded" } });
  await stripe.refunds.create({ payment_intent: order.paymentIntent });
  return Response.json(order);
}
"#;
    let e2e = r#"import { test, expect } from "@playwright/test";
test("refund", async ({ request }) => {
  const res = await request.post(`/api/orders/${"ord_1"}/refund`);
  expect(res.ok()).toBeTruthy();
});
"#;
    let files = [
        ("app/api/orders/[id]/refund/route.ts", route),
        ("e2e/refund.spec.ts", e2e),
    ];
    none(&critical(&files));
    // Without the end-to-end test the refund route is reported.
    let findings = critical(&files[..1]);
    let f = one_at(&findings, "app/api/orders/[id]/refund/route.ts", 0);
    assert!(
        f.message.contains("answers requests as an API route"),
        "{}",
        f.message
    );
}

#[test]
fn express_apps_tested_with_supertest_and_fastapi_with_testclient_are_exercised() {
    let express = r#"import express from "express";
import { db } from "./db";
export const app = express();
app.post("/orders", async (req, res) => {
  const order = await db.order.create({ data: req.body });
  res.json(order);
});
"#;
    let supertest = r#"import request from "supertest";
import { app } from "../src/app";
it("creates an order", async () => { await request(app).post("/orders").send({}).expect(200); });
"#;
    let fastapi = r#"from fastapi import FastAPI
from .db import SessionLocal, Order

app = FastAPI()

@app.post("/orders")
def create_order(body: dict):
    session = SessionLocal()
    session.add(Order(**body))
    session.commit()
    return {"ok": True}
"#;
    let pytest = r#"from fastapi.testclient import TestClient
from api.main import app

client = TestClient(app)

def test_create_order():
    assert client.post("/orders", json={}).status_code == 200
"#;
    none(&critical(&[
        ("src/app.ts", express),
        ("src/db.ts", "export const db = {} as any;\n"),
        ("tests/app.test.ts", supertest),
        ("api/__init__.py", ""),
        ("api/main.py", fastapi),
        ("api/db.py", "SessionLocal = None\nOrder = None\n"),
        ("tests/test_main.py", pytest),
    ]));
    let findings = critical(&[
        ("api/__init__.py", ""),
        ("api/main.py", fastapi),
        ("api/db.py", "SessionLocal = None\nOrder = None\n"),
    ]);
    let f = one_at(&findings, "api/main.py", 0);
    assert!(f.message.contains("server route"), "{}", f.message);
}

#[test]
fn a_component_named_after_money_is_not_load_bearing_by_its_name() {
    let badge = r#"export default function InvoiceStatusBadge({ status }: { status: string }) {
  return <span className={status === "paid" ? "text-green-700" : "text-gray-700"}>{status}</span>;
}
"#;
    let hook = r#"import { useQuery } from "@tanstack/react-query";
import { supabase } from "@/lib/supabase";
export function usePayments(invoiceId: string) {
  return useQuery({ queryKey: ["payments", invoiceId], queryFn: async () => (await supabase.from("payments").select("*").eq("invoice_id", invoiceId).limit(50)).data });
}
"#;
    none(&critical(&[
        ("src/components/InvoiceStatusBadge.tsx", badge),
        ("src/hooks/usePayments.ts", hook),
        ("src/lib/supabase.ts", "import { createClient } from \"@supabase/supabase-js\";\nexport const supabase = createClient(\"u\", \"k\");\n"),
    ]));
}

fn hotspot_repo(tested: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    let dev = Author::new("Maya Chen", "maya@example.com");
    let page = |n: usize| {
        let mut s = String::from("import { useState } from \"react\";\nimport { formatCurrency } from \"@/lib/format\";\n\nexport default function Checkout({ items }: { items: { price: number; qty: number }[] }) {\n  const [coupon, setCoupon] = useState(\"\");\n");
        for i in 0..n {
            s.push_str(&format!(
                "  if (coupon === \"C{i}\" && items.length > {i}) {{ setCoupon(\"\"); }}\n"
            ));
        }
        s.push_str("  return <p>{formatCurrency(items.reduce((t, i) => t + i.price * i.qty, 0))}</p>;\n}\n");
        s
    };
    repo.write("src/lib/format.ts", FORMAT)
        .write("src/pages/Checkout.tsx", page(1))
        .write(
            "src/pages/About.tsx",
            "export default function About() { return <p>About</p>; }\n",
        );
    repo.write("package.json", r#"{"dependencies":{"vite":"5"}}"#);
    repo.commit(&dev, 1_700_000_000, "Start").unwrap();
    for n in 2..8 {
        repo.write("src/pages/Checkout.tsx", page(n));
        repo.commit(
            &dev,
            1_700_000_000 + n as i64 * 86_400,
            &format!("Checkout coupons {n}"),
        )
        .unwrap();
    }
    if tested {
        repo.write(
            "src/pages/Checkout.test.tsx",
            "import { render } from \"@testing-library/react\";\nimport Checkout from \"./Checkout\";\nit(\"renders\", () => { render(<Checkout items={[]} />); });\n",
        );
        repo.commit(&dev, 1_700_900_000, "Test the checkout page")
            .unwrap();
    }
    dir
}

#[test]
fn the_top_hotspot_without_a_test_is_reported() {
    let dir = hotspot_repo(false);
    let findings = analyse_repo(dir.path(), "TEST-HOTSPOT");
    let f = one_at(&findings, "src/pages/Checkout.tsx", 0);
    assert!(
        f.message.contains("hotspot number 1") && f.message.contains("7 commits"),
        "{}",
        f.message
    );
    assert_eq!(f.class, Class::LoadBearing);
    // Files changed once are not hotspots, however few files there are.
    assert_eq!(findings.len(), 1, "{}", super::show(&findings));
}

#[test]
fn a_hotspot_a_component_test_renders_is_not_reported() {
    let dir = hotspot_repo(true);
    none(&analyse_repo(dir.path(), "TEST-HOTSPOT"));
}
