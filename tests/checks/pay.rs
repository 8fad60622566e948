//! PAY and INT detectors: a true positive and a near-miss negative for every item, on the
//! stacks coding agents produce (Supabase edge functions, Next.js app and pages routes,
//! Express, FastAPI, Flask, Django, React).

use super::{check, none, one_at};

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line(text: &str, needle: &str) -> u32 {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the fixture"));
    text[..at].matches('\n').count() as u32 + 1
}

// ---------------------------------------------------------------------------------------
// PAY-WEBHOOK-SIG

const NEXT_WEBHOOK_UNVERIFIED: &str = r#"import { NextResponse } from "next/server";
import { prisma } from "@/lib/prisma";

export async function POST(req: Request) {
  const event = await req.json();

  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    await prisma.order.update({
      where: { id: session.metadata.orderId },
      data: { status: "paid" },
    });
  }
  return NextResponse.json({ received: true });
}
"#;

#[test]
fn next_route_webhook_reading_json_without_verification_is_reported() {
    let path = "app/api/webhooks/stripe/route.ts";
    let f = check(&[(path, NEXT_WEBHOOK_UNVERIFIED)], "PAY-WEBHOOK-SIG");
    let finding = one_at(&f, path, line(NEXT_WEBHOOK_UNVERIFIED, "await req.json()"));
    assert!(finding.message.contains("without verifying"), "{}", finding.message);
    assert!(finding.message.contains("Stripe"), "{}", finding.message);
}

const NEXT_WEBHOOK_VERIFIED: &str = r#"import { headers } from "next/headers";
import { NextResponse } from "next/server";
import Stripe from "stripe";
import { prisma } from "@/lib/prisma";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const body = await req.text();
  const signature = headers().get("stripe-signature") as string;

  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch (err: any) {
    return new NextResponse(`Webhook Error: ${err.message}`, { status: 400 });
  }

  const data = JSON.parse(JSON.stringify(event.data.object));
  if (event.type === "checkout.session.completed") {
    await prisma.order.update({ where: { id: data.metadata.orderId }, data: { status: "paid" } });
  }
  return NextResponse.json({ received: true });
}
"#;

#[test]
fn next_route_webhook_verified_before_parsing_is_not_reported() {
    none(&check(
        &[("app/api/webhooks/stripe/route.ts", NEXT_WEBHOOK_VERIFIED)],
        "PAY-WEBHOOK-SIG",
    ));
}

const EXPRESS_FALLBACK: &str = r#"const express = require("express");
const Stripe = require("stripe");
const stripe = Stripe(process.env.STRIPE_SECRET_KEY);
const router = express.Router();

router.post("/api/stripe", express.raw({ type: "application/json" }), async (req, res) => {
  const sig = req.headers["stripe-signature"];
  let event;
  if (process.env.STRIPE_WEBHOOK_SECRET) {
    try {
      event = stripe.webhooks.constructEvent(req.body, sig, process.env.STRIPE_WEBHOOK_SECRET);
    } catch (err) {
      return res.status(400).send(`Webhook Error: ${err.message}`);
    }
  } else {
    // local development: Stripe CLI not running
    event = req.body;
  }
  if (event.type === "invoice.paid") {
    await db.query("UPDATE subscriptions SET status = 'active' WHERE stripe_id = $1", [event.data.object.subscription]);
  }
  res.json({ received: true });
});

router.get("/api/health", (req, res) => res.json({ ok: req.body }));

module.exports = router;
"#;

#[test]
fn express_webhook_with_unverified_fallback_is_reported_with_its_condition() {
    let path = "server/routes/billing.js";
    let f = check(&[(path, EXPRESS_FALLBACK)], "PAY-WEBHOOK-SIG");
    let finding = one_at(&f, path, line(EXPRESS_FALLBACK, "event = req.body;"));
    assert!(
        finding.message.contains("STRIPE_WEBHOOK_SECRET` is false"),
        "{}",
        finding.message
    );
    assert_eq!(f.len(), 1, "the health route is no webhook");
}

const EDGE_REJECTS_MISSING_SECRET: &str = r#"import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";
import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY") as string, {
  httpClient: Stripe.createFetchHttpClient(),
});
const cryptoProvider = Stripe.createSubtleCryptoProvider();

Deno.serve(async (req) => {
  const signature = req.headers.get("stripe-signature");
  const webhookSecret = Deno.env.get("STRIPE_WEBHOOK_SECRET");
  if (!signature || !webhookSecret) {
    return new Response("Missing signature or secret", { status: 400 });
  }
  const body = await req.text();
  let event: Stripe.Event;
  try {
    event = await stripe.webhooks.constructEventAsync(body, signature, webhookSecret, undefined, cryptoProvider);
  } catch (err) {
    return new Response(`Webhook Error: ${err.message}`, { status: 400 });
  }
  const payload = JSON.parse(body);
  await supabaseAdmin.from("stripe_events").insert({ id: event.id, type: event.type, payload });
  return new Response(JSON.stringify({ received: true }), { status: 200 });
});
"#;

#[test]
fn edge_function_that_rejects_a_missing_secret_is_not_reported() {
    none(&check(
        &[("supabase/functions/stripe-webhook/index.ts", EDGE_REJECTS_MISSING_SECRET)],
        "PAY-WEBHOOK-SIG",
    ));
}

const EDGE_SWALLOWS_FAILED_CHECK: &str = r#"import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY") as string);

Deno.serve(async (req) => {
  const body = await req.text();
  const signature = req.headers.get("stripe-signature")!;
  try {
    await stripe.webhooks.constructEventAsync(body, signature, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  } catch (err) {
    console.error("signature check failed", err);
  }
  const event = JSON.parse(body);
  console.log(event.type);
  return new Response("ok");
});
"#;

#[test]
fn edge_function_that_logs_a_failed_check_and_goes_on_is_reported() {
    let path = "supabase/functions/payments-hook/index.ts";
    let f = check(&[(path, EDGE_SWALLOWS_FAILED_CHECK)], "PAY-WEBHOOK-SIG");
    one_at(&f, path, line(EDGE_SWALLOWS_FAILED_CHECK, "JSON.parse(body)"));
}

const LEMON_HMAC_IGNORED: &str = r#"import crypto from "crypto";
import type { NextApiRequest, NextApiResponse } from "next";
import getRawBody from "raw-body";

export const config = { api: { bodyParser: false } };

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const rawBody = (await getRawBody(req)).toString("utf8");
  const hmac = crypto.createHmac("sha256", process.env.LEMONSQUEEZY_WEBHOOK_SECRET!);
  const digest = Buffer.from(hmac.update(rawBody).digest("hex"), "utf8");
  const signature = Buffer.from((req.headers["x-signature"] as string) ?? "", "utf8");
  if (!crypto.timingSafeEqual(digest, signature)) {
    console.warn("Invalid signature");
  }
  const payload = JSON.parse(rawBody);
  await grantLicense(payload.meta.custom_data.user_id);
  res.status(200).json({ ok: true });
}
"#;

const LEMON_HMAC_CHECKED: &str = r#"import crypto from "crypto";
import type { NextApiRequest, NextApiResponse } from "next";
import getRawBody from "raw-body";

export const config = { api: { bodyParser: false } };

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const rawBody = (await getRawBody(req)).toString("utf8");
  const hmac = crypto.createHmac("sha256", process.env.LEMONSQUEEZY_WEBHOOK_SECRET!);
  const digest = Buffer.from(hmac.update(rawBody).digest("hex"), "utf8");
  const signature = Buffer.from((req.headers["x-signature"] as string) ?? "", "utf8");
  if (digest.length !== signature.length || !crypto.timingSafeEqual(digest, signature)) {
    return res.status(401).json({ error: "Invalid signature" });
  }
  const payload = JSON.parse(rawBody);
  await grantLicense(payload.meta.custom_data.user_id);
  res.status(200).json({ ok: true });
}
"#;

#[test]
fn hmac_comparison_whose_result_is_ignored_is_reported_and_one_that_rejects_is_not() {
    let path = "pages/api/lemonsqueezy/webhook.ts";
    let f = check(&[(path, LEMON_HMAC_IGNORED)], "PAY-WEBHOOK-SIG");
    one_at(&f, path, line(LEMON_HMAC_IGNORED, "JSON.parse(rawBody)"));
    none(&check(&[(path, LEMON_HMAC_CHECKED)], "PAY-WEBHOOK-SIG"));
}

const GITHUB_SVIX_HELPER_ROUTE: &str = r#"import { NextResponse } from "next/server";
import { readEvent } from "@/lib/webhooks";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const evt = await readEvent(req);
  await db.insert(installations).values({ id: evt.data.id });
  return NextResponse.json({ ok: true });
}
"#;

const SVIX_HELPER: &str = r#"import { Webhook } from "svix";

export async function readEvent(req: Request) {
  const payload = await req.text();
  const headers = Object.fromEntries(req.headers);
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SECRET!);
  return wh.verify(payload, headers) as { type: string; data: any };
}
"#;

#[test]
fn verification_in_a_helper_of_another_file_counts() {
    let route = "app/api/webhooks/clerk/route.ts";
    none(&check(
        &[(route, GITHUB_SVIX_HELPER_ROUTE), ("lib/webhooks.ts", SVIX_HELPER)],
        "PAY-WEBHOOK-SIG",
    ));
    // Without the helper's verification the same route acts on an unverified event.
    let unverifying = SVIX_HELPER.replace("return wh.verify(payload, headers)", "return JSON.parse(payload)");
    let f = check(
        &[(route, GITHUB_SVIX_HELPER_ROUTE), ("lib/webhooks.ts", &unverifying)],
        "PAY-WEBHOOK-SIG",
    );
    one_at(&f, route, line(GITHUB_SVIX_HELPER_ROUTE, "export async function POST"));
}

const FASTAPI_UNVERIFIED: &str = r#"from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from .db import SessionLocal
from .models import Subscription

router = APIRouter()


@router.post("/webhooks/stripe")
async def stripe_webhook(request: Request):
    payload = await request.json()
    if payload["type"] == "customer.subscription.deleted":
        db: Session = SessionLocal()
        sub = db.query(Subscription).filter_by(stripe_id=payload["data"]["object"]["id"]).first()
        sub.status = "canceled"
        db.commit()
    return {"received": True}
"#;

const FASTAPI_VERIFIED: &str = r#"import os

import stripe
from fastapi import APIRouter, Header, HTTPException, Request

router = APIRouter()


@router.post("/webhooks/stripe")
async def stripe_webhook(request: Request, stripe_signature: str = Header(None)):
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(payload, stripe_signature, os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError):
        raise HTTPException(status_code=400, detail="Invalid signature")
    data = await request.json()
    return {"received": True, "type": event["type"], "id": data["id"]}
"#;

#[test]
fn fastapi_webhook_without_construct_event_is_reported_and_with_it_is_not() {
    let path = "app/routers/billing.py";
    let f = check(&[(path, FASTAPI_UNVERIFIED)], "PAY-WEBHOOK-SIG");
    one_at(&f, path, line(FASTAPI_UNVERIFIED, "await request.json()"));
    none(&check(&[(path, FASTAPI_VERIFIED)], "PAY-WEBHOOK-SIG"));
}

const FLASK_FALLBACK: &str = r#"import json
import os

import stripe
from flask import Flask, request

app = Flask(__name__)
endpoint_secret = os.environ.get("STRIPE_WEBHOOK_SECRET")


@app.route("/webhook", methods=["POST"])
def webhook():
    payload = request.data
    if endpoint_secret:
        sig_header = request.headers.get("stripe-signature")
        try:
            event = stripe.Webhook.construct_event(payload, sig_header, endpoint_secret)
        except stripe.error.SignatureVerificationError:
            return "Invalid signature", 400
    else:
        event = json.loads(payload)
    handle(event)
    return "", 200
"#;

#[test]
fn flask_webhook_with_unverified_fallback_is_reported() {
    let path = "app.py";
    let f = check(&[(path, FLASK_FALLBACK)], "PAY-WEBHOOK-SIG");
    let finding = one_at(&f, path, line(FLASK_FALLBACK, "json.loads(payload)"));
    assert!(finding.message.contains("endpoint_secret"), "{}", finding.message);
}

const EXPRESS_NAMED_HANDLER: &str = r#"import express from "express";
import { handleCheckout } from "./billing";

const app = express();

async function stripeWebhook(req, res) {
  const event = req.body;
  if (event.type === "checkout.session.completed") {
    await handleCheckout(event.data.object);
  }
  res.sendStatus(200);
}

app.post("/webhooks/stripe", express.json(), stripeWebhook);
app.listen(3000);
"#;

#[test]
fn express_webhook_registered_by_name_is_reported() {
    let path = "src/server.ts";
    let f = check(&[(path, EXPRESS_NAMED_HANDLER)], "PAY-WEBHOOK-SIG");
    let finding = one_at(&f, path, line(EXPRESS_NAMED_HANDLER, "const event = req.body;"));
    assert!(finding.message.contains("/webhooks/stripe"), "{}", finding.message);
}

#[test]
fn netlify_function_parsing_the_event_unverified_is_reported() {
    let src = r#"const { createClient } = require("@supabase/supabase-js");
const supabase = createClient(process.env.SUPABASE_URL, process.env.SUPABASE_SERVICE_ROLE_KEY);

exports.handler = async (event) => {
  const payload = JSON.parse(event.body);
  if (payload.meta.event_name === "order_created") {
    await supabase.from("licenses").insert({ email: payload.data.attributes.user_email });
  }
  return { statusCode: 200, body: "ok" };
};
"#;
    let path = "netlify/functions/lemon-webhook.js";
    let f = check(&[(path, src)], "PAY-WEBHOOK-SIG");
    one_at(&f, path, line(src, "JSON.parse(event.body)"));
}

const DB_WEBHOOK_SHARED_SECRET: &str = r#"Deno.serve(async (req) => {
  const secret = req.headers.get("x-webhook-secret");
  if (secret !== Deno.env.get("DB_WEBHOOK_SECRET")) {
    return new Response("unauthorized", { status: 401 });
  }
  const { record } = await req.json();
  await fetch(Deno.env.get("SLACK_URL")!, { method: "POST", body: JSON.stringify({ text: record.email }), signal: AbortSignal.timeout(5000) });
  return new Response("ok");
});
"#;

#[test]
fn shared_secret_comparison_counts_and_a_presence_check_does_not() {
    let path = "supabase/functions/on-signup-webhook/index.ts";
    none(&check(&[(path, DB_WEBHOOK_SHARED_SECRET)], "PAY-WEBHOOK-SIG"));
    let presence_only = DB_WEBHOOK_SHARED_SECRET.replace(
        "if (secret !== Deno.env.get(\"DB_WEBHOOK_SECRET\")) {",
        "if (secret === null) {",
    );
    let f = check(&[(path, &presence_only)], "PAY-WEBHOOK-SIG");
    one_at(&f, path, line(&presence_only, "await req.json()"));
}

#[test]
fn event_handlers_called_after_verification_are_not_webhook_handlers() {
    let src = r#"import Stripe from "stripe";
import { prisma } from "@/lib/prisma";

export async function handleCheckoutCompleted(session: Stripe.Checkout.Session) {
  const order = JSON.parse(session.metadata!.order);
  await prisma.order.create({ data: { id: order.id, status: "paid" } });
}
"#;
    none(&check(&[("lib/stripe/webhook-handlers.ts", src)], "PAY-WEBHOOK-SIG"));
}

// ---------------------------------------------------------------------------------------
// PAY-WEBHOOK-IDEMP

const CREDITS_WEBHOOK: &str = r#"import Stripe from "stripe";
import { createClient } from "@supabase/supabase-js";
import { Resend } from "resend";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);
const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const body = await req.text();
  const sig = req.headers.get("stripe-signature")!;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, sig, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return new Response("bad signature", { status: 400 });
  }

  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object as Stripe.Checkout.Session;
      const userId = session.client_reference_id!;
      await supabase.rpc("increment_credits", { user_id: userId, amount: 100 });
      await resend.emails.send({
        from: "billing@acme.dev",
        to: session.customer_details!.email!,
        subject: "Your credits are ready",
        html: "<p>Thanks!</p>",
      });
      break;
    }
  }
  return new Response("ok");
}
"#;

#[test]
fn webhook_granting_credits_without_remembering_the_event_is_reported() {
    let path = "app/api/stripe/webhook/route.ts";
    let f = check(&[(path, CREDITS_WEBHOOK)], "PAY-WEBHOOK-IDEMP");
    let finding = one_at(&f, path, line(CREDITS_WEBHOOK, "supabase.rpc(\"increment_credits\""));
    assert!(finding.message.contains("never records or checks"), "{}", finding.message);
    assert!(
        finding.evidence.related.iter().any(|r| r.note.contains("resend.emails.send")),
        "{:?}",
        finding.evidence.related
    );
}

#[test]
fn webhook_that_records_the_event_id_first_is_not_reported() {
    let recorded = CREDITS_WEBHOOK.replace(
        "  switch (event.type) {",
        r#"  const { error: seen } = await supabase.from("stripe_events").insert({ id: event.id });
  if (seen) return new Response("already processed", { status: 200 });

  switch (event.type) {"#,
    );
    none(&check(&[("app/api/stripe/webhook/route.ts", &recorded)], "PAY-WEBHOOK-IDEMP"));
}

const PAYMENTS_WEBHOOK: &str = r#"import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";
import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);

Deno.serve(async (req) => {
  const body = await req.text();
  const signature = req.headers.get("stripe-signature");
  if (!signature) return new Response("missing signature", { status: 400 });
  let event: Stripe.Event;
  try {
    event = await stripe.webhooks.constructEventAsync(body, signature, Deno.env.get("STRIPE_WEBHOOK_SECRET")!);
  } catch (err) {
    return new Response(err.message, { status: 400 });
  }
  if (event.type === "payment_intent.succeeded") {
    const pi = event.data.object as Stripe.PaymentIntent;
    await supabaseAdmin.from("orders").update({ status: "paid" }).eq("id", pi.metadata.order_id);
    await supabaseAdmin.from("payments").insert({ order_id: pi.metadata.order_id, stripe_payment_intent_id: pi.id, amount_cents: pi.amount });
  }
  return new Response("ok");
});
"#;

const PAYMENTS_TABLE: &str = "create table public.payments (
  id uuid primary key default gen_random_uuid(),
  order_id uuid not null,
  stripe_payment_intent_id text not null,
  amount_cents integer not null
);
";

#[test]
fn insert_repeated_on_redelivery_is_reported_unless_a_unique_constraint_stops_it() {
    let path = "supabase/functions/stripe-webhook/index.ts";
    let migration = "supabase/migrations/20250101000000_payments.sql";
    let f = check(&[(path, PAYMENTS_WEBHOOK), (migration, PAYMENTS_TABLE)], "PAY-WEBHOOK-IDEMP");
    let finding = one_at(&f, path, line(PAYMENTS_WEBHOOK, "from(\"payments\").insert"));
    assert!(finding.message.contains("insert into payments"), "{}", finding.message);
    assert!(finding.evidence.related.iter().any(|r| r.path == migration));

    let unique = PAYMENTS_TABLE.replace("stripe_payment_intent_id text not null", "stripe_payment_intent_id text not null unique");
    none(&check(&[(path, PAYMENTS_WEBHOOK), (migration, &unique)], "PAY-WEBHOOK-IDEMP"));
}

#[test]
fn webhook_doing_only_idempotent_updates_is_not_reported() {
    let updates_only = PAYMENTS_WEBHOOK.replace(
        "    await supabaseAdmin.from(\"payments\").insert({ order_id: pi.metadata.order_id, stripe_payment_intent_id: pi.id, amount_cents: pi.amount });\n",
        "    await supabaseAdmin.from(\"payments\").upsert({ stripe_payment_intent_id: pi.id, amount_cents: pi.amount }, { onConflict: \"stripe_payment_intent_id\" });\n",
    );
    none(&check(
        &[("supabase/functions/stripe-webhook/index.ts", &updates_only)],
        "PAY-WEBHOOK-IDEMP",
    ));
}

const DJANGO_WEBHOOK: &str = r#"import stripe
from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .models import Order, ProcessedEvent


@csrf_exempt
def stripe_webhook(request):
    try:
        event = stripe.Webhook.construct_event(
            request.body, request.META["HTTP_STRIPE_SIGNATURE"], settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.error.SignatureVerificationError):
        return HttpResponse(status=400)
    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        Order.objects.create(user_id=session["client_reference_id"], total_cents=session["amount_total"])
    return HttpResponse(status=200)
"#;

#[test]
fn django_webhook_creating_orders_is_reported_and_get_or_create_on_the_event_is_not() {
    let path = "shop/views.py";
    let f = check(&[(path, DJANGO_WEBHOOK)], "PAY-WEBHOOK-IDEMP");
    one_at(&f, path, line(DJANGO_WEBHOOK, "Order.objects.create("));
    let deduplicated = DJANGO_WEBHOOK.replace(
        "    if event[\"type\"] == \"checkout.session.completed\":",
        "    _, created = ProcessedEvent.objects.get_or_create(event_id=event[\"id\"])\n    if not created:\n        return HttpResponse(status=200)\n    if event[\"type\"] == \"checkout.session.completed\":",
    );
    none(&check(&[(path, &deduplicated)], "PAY-WEBHOOK-IDEMP"));
}

// ---------------------------------------------------------------------------------------
// PAY-IDEMP-KEY

const NEXT_PAYMENT_INTENT: &str = r#"import Stripe from "stripe";
import { NextResponse } from "next/server";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!, { apiVersion: "2024-06-20" });

export async function POST(req: Request) {
  const { orderId, amount } = await req.json();
  const paymentIntent = await stripe.paymentIntents.create({
    amount,
    currency: "usd",
    metadata: { orderId },
  });
  return NextResponse.json({ clientSecret: paymentIntent.client_secret });
}
"#;

#[test]
fn payment_intent_without_idempotency_key_is_reported() {
    let path = "app/api/payment-intent/route.ts";
    let f = check(&[(path, NEXT_PAYMENT_INTENT)], "PAY-IDEMP-KEY");
    let finding = one_at(&f, path, line(NEXT_PAYMENT_INTENT, "stripe.paymentIntents.create"));
    assert!(finding.message.contains("no idempotency key"), "{}", finding.message);
}

#[test]
fn payment_intent_keyed_by_the_order_is_not_reported_and_a_random_key_is() {
    let path = "app/api/payment-intent/route.ts";
    let keyed = NEXT_PAYMENT_INTENT.replace(
        "    metadata: { orderId },\n  });",
        "    metadata: { orderId },\n  }, { idempotencyKey: `pi-${orderId}` });",
    );
    none(&check(&[(path, &keyed)], "PAY-IDEMP-KEY"));
    let random = NEXT_PAYMENT_INTENT.replace(
        "    metadata: { orderId },\n  });",
        "    metadata: { orderId },\n  }, { idempotencyKey: crypto.randomUUID() });",
    );
    let f = check(&[(path, &random)], "PAY-IDEMP-KEY");
    let finding = one_at(&f, path, line(&random, "stripe.paymentIntents.create"));
    assert!(finding.message.contains("fresh idempotency key"), "{}", finding.message);
}

const EXPRESS_REFUND: &str = r#"import express from "express";
import Stripe from "stripe";
import { prisma } from "./prisma";

const app = express();
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY as string);

app.post("/api/orders/:id/refund", async (req, res) => {
  const order = await prisma.order.findUnique({ where: { id: req.params.id } });
  const refund = await stripe.refunds.create({ payment_intent: order!.paymentIntentId });
  const opts = buildOptions(order);
  await stripe.refunds.create({ payment_intent: order!.paymentIntentId }, opts);
  await prisma.subscriptions.create({ data: { orderId: order!.id } });
  await stripe.billingPortal.sessions.create({ customer: order!.customerId });
  res.json(refund);
});
"#;

#[test]
fn express_refund_without_key_is_reported_and_options_built_elsewhere_or_non_stripe_calls_are_not() {
    let path = "server/index.ts";
    let f = check(&[(path, EXPRESS_REFUND)], "PAY-IDEMP-KEY");
    one_at(&f, path, line(EXPRESS_REFUND, "const refund = await stripe.refunds.create"));
    assert_eq!(f.len(), 1, "{f:#?}");
}

const PY_CHARGE: &str = r#"import stripe
from fastapi import FastAPI

app = FastAPI()


@app.post("/subscribe")
def subscribe(body: SubscribeIn):
    sub = stripe.Subscription.create(customer=body.customer_id, items=[{"price": body.price_id}])
    intent = stripe.PaymentIntent.create(
        amount=body.amount_cents,
        currency="eur",
        customer=body.customer_id,
        idempotency_key=f"intent-{body.order_id}",
    )
    return {"subscription": sub.id, "intent": intent.id}
"#;

#[test]
fn python_stripe_calls_need_idempotency_key_keyword() {
    let path = "api/main.py";
    let f = check(&[(path, PY_CHARGE)], "PAY-IDEMP-KEY");
    one_at(&f, path, line(PY_CHARGE, "stripe.Subscription.create"));
    assert_eq!(f.len(), 1, "the payment intent has a key: {f:#?}");
}

// ---------------------------------------------------------------------------------------
// PAY-FLOAT-MONEY

const CART_HOOK: &str = r#"import { useMemo } from "react";
import type { CartItem } from "@/types";

export function useCartTotals(items: CartItem[], taxRate: number) {
  return useMemo(() => {
    const subtotal = items.reduce((sum, item) => sum + parseFloat(item.price) * item.quantity, 0);
    const tax = subtotal * taxRate;
    return { subtotal, tax, total: (subtotal + tax).toFixed(2) };
  }, [items, taxRate]);
}
"#;

#[test]
fn react_cart_parsing_prices_as_floats_is_reported_once_per_file() {
    let path = "src/hooks/useCartTotals.ts";
    let f = check(&[(path, CART_HOOK)], "PAY-FLOAT-MONEY");
    let finding = one_at(&f, path, line(CART_HOOK, "parseFloat(item.price)"));
    assert!(finding.message.contains("price is parsed into a float"), "{}", finding.message);
    assert!(!finding.evidence.related.is_empty(), "toFixed and the tax are related");
    assert_eq!(f.len(), 1);
}

const CENTS_CART: &str = r#"import { useMemo } from "react";
import Big from "big.js";
import { formatCurrency } from "@/lib/format";

export function useCartTotals(items: { priceCents: number; quantity: number }[], taxRate: number) {
  return useMemo(() => {
    const subtotalCents = items.reduce((sum, item) => sum + item.priceCents * Number(item.quantity), 0);
    const taxCents = Math.round(subtotalCents * taxRate);
    const total = new Big(subtotalCents).plus(taxCents);
    return { subtotalCents, taxCents, total, label: formatCurrency(subtotalCents / 100) };
  }, [items, taxRate]);
}

export function PriceTag({ amountCents }: { amountCents: number }) {
  return <span>{(amountCents / 100).toFixed(2)}</span>;
}
"#;

#[test]
fn integer_cents_big_js_and_display_formatting_are_not_reported() {
    none(&check(&[("src/hooks/useCartTotals.tsx", CENTS_CART)], "PAY-FLOAT-MONEY"));
}

#[test]
fn float_money_columns_in_sql_and_prisma_are_reported_and_cents_or_numeric_are_not() {
    let sql = "create table public.orders (
  id uuid primary key,
  total double precision not null,
  shipping_fee real,
  tax_rate real not null default 0,
  amount_cents integer not null,
  price numeric(12,2) not null
);
";
    let prisma = r#"model Product {
  id        String  @id @default(cuid())
  price     Float
  weight    Float
  salePrice Decimal @db.Decimal(10, 2)
}
"#;
    let migration = "supabase/migrations/20250101000000_orders.sql";
    let f = check(&[(migration, sql), ("prisma/schema.prisma", prisma)], "PAY-FLOAT-MONEY");
    one_at(&f, migration, line(sql, "total double precision"));
    one_at(&f, migration, line(sql, "shipping_fee real"));
    one_at(&f, "prisma/schema.prisma", line(prisma, "price     Float"));
    assert_eq!(f.len(), 3, "tax_rate, weight, cents and numeric(12,2) are fine:\n{f:#?}");
}

const PY_FLOAT_MONEY: &str = r#"from django.db import models
from pydantic import BaseModel


class Invoice(models.Model):
    number = models.CharField(max_length=20)
    total = models.FloatField(default=0)


class RefundIn(BaseModel):
    invoice_id: int
    amount: float
    reason: str


def refund_amount(data: dict) -> float:
    amount = float(data["amount"])
    return round(amount * 0.97, 2)
"#;

#[test]
fn python_float_fields_and_float_parsing_are_reported() {
    let path = "billing/models.py";
    let f = check(&[(path, PY_FLOAT_MONEY)], "PAY-FLOAT-MONEY");
    let finding = one_at(&f, path, line(PY_FLOAT_MONEY, "total = models.FloatField"));
    assert_eq!(finding.evidence.related.len(), 3, "{:#?}", finding.evidence.related);
}

#[test]
fn python_decimal_money_is_not_reported() {
    let src = r#"from decimal import Decimal, ROUND_HALF_UP

from django.db import models
from pydantic import BaseModel


class Invoice(models.Model):
    total = models.DecimalField(max_digits=12, decimal_places=2)
    exchange_rate = models.FloatField(default=1.0)


class RefundIn(BaseModel):
    amount: Decimal
    weight: float


def refund_amount(data: dict) -> Decimal:
    amount = Decimal(str(data["amount"]))
    ratio = float(data["ratio"])
    return (amount * Decimal("0.97")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
"#;
    none(&check(&[("billing/models.py", src)], "PAY-FLOAT-MONEY"));
}

// ---------------------------------------------------------------------------------------
// INT-TIMEOUT

const NEXT_OPENAI_FETCH: &str = r#"import { NextResponse } from "next/server";

export async function POST(req: Request) {
  const { prompt } = await req.json();
  const res = await fetch("https://api.openai.com/v1/chat/completions", {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: prompt }] }),
  });
  return NextResponse.json(await res.json());
}
"#;

#[test]
fn next_route_fetch_without_signal_is_reported() {
    let path = "app/api/generate/route.ts";
    let f = check(&[(path, NEXT_OPENAI_FETCH)], "INT-TIMEOUT");
    let finding = one_at(&f, path, line(NEXT_OPENAI_FETCH, "await fetch("));
    assert!(finding.message.contains("api.openai.com"), "{}", finding.message);
}

#[test]
fn fetch_with_an_abort_signal_or_in_the_browser_is_not_reported() {
    let bounded = NEXT_OPENAI_FETCH.replace(
        "    method: \"POST\",",
        "    method: \"POST\",\n    signal: AbortSignal.timeout(15_000),",
    );
    none(&check(&[("app/api/generate/route.ts", &bounded)], "INT-TIMEOUT"));
    let hook = r#""use client";
import { useQuery } from "@tanstack/react-query";

export function useRates() {
  return useQuery({ queryKey: ["rates"], queryFn: () => fetch("https://api.exchangerate.host/latest").then((r) => r.json()) });
}
"#;
    none(&check(&[("src/hooks/useRates.ts", hook)], "INT-TIMEOUT"));
}

const EXPRESS_AXIOS: &str = r#"import express from "express";
import axios from "axios";

const app = express();
const shipping = axios.create({ baseURL: "https://api.shippo.com", headers: { Authorization: `ShippoToken ${process.env.SHIPPO_TOKEN}` } });
const crm = axios.create({ baseURL: "https://api.hubapi.com", timeout: 5000 });

app.post("/api/orders", async (req, res) => {
  const rate = await shipping.post("/rates", req.body);
  await crm.post("/contacts", { email: req.body.email });
  await axios.post("https://hooks.zapier.com/hooks/catch/123/abc", req.body);
  await axios.post("https://api.segment.io/v1/track", req.body, { timeout: 3000 });
  res.json(rate.data);
});

app.listen(3000);
"#;

#[test]
fn express_axios_without_timeouts_is_reported_with_each_call() {
    let path = "server.ts";
    let f = check(&[(path, EXPRESS_AXIOS)], "INT-TIMEOUT");
    let finding = one_at(&f, path, line(EXPRESS_AXIOS, "const shipping = axios.create("));
    assert_eq!(finding.evidence.related.len(), 1, "{:#?}", finding.evidence.related);
    assert_eq!(
        finding.evidence.related[0].line,
        line(EXPRESS_AXIOS, "await axios.post(\"https://hooks.zapier.com")
    );
}

#[test]
fn axios_with_a_default_timeout_set_once_is_not_reported() {
    let src = r#"import express from "express";
import axios from "axios";

axios.defaults.timeout = 10_000;
const app = express();

app.post("/api/orders", async (req, res) => {
  await axios.post("https://hooks.zapier.com/hooks/catch/123/abc", req.body);
  res.sendStatus(204);
});
"#;
    none(&check(&[("server.ts", src)], "INT-TIMEOUT"));
}

const FASTAPI_REQUESTS: &str = r#"import httpx
import requests
from fastapi import FastAPI

app = FastAPI()
session = requests.Session()


@app.get("/weather/{city}")
def weather(city: str):
    r = requests.get(f"https://api.weatherapi.com/v1/current.json?q={city}")
    forecast = session.get("https://api.weatherapi.com/v1/forecast.json", params={"q": city})
    alerts = httpx.get("https://api.weather.gov/alerts", timeout=None)
    ok = requests.get("https://status.weatherapi.com", timeout=5)
    client = httpx.Client()
    return {"now": r.json(), "forecast": forecast.json(), "alerts": alerts.json(), "ok": ok.ok}
"#;

#[test]
fn fastapi_requests_without_timeout_and_httpx_timeout_none_are_reported() {
    let path = "app/main.py";
    let f = check(&[(path, FASTAPI_REQUESTS)], "INT-TIMEOUT");
    let finding = one_at(&f, path, line(FASTAPI_REQUESTS, "r = requests.get("));
    let related: Vec<u32> = finding.evidence.related.iter().map(|r| r.line).collect();
    assert_eq!(
        related,
        vec![line(FASTAPI_REQUESTS, "session.get("), line(FASTAPI_REQUESTS, "httpx.get(")],
        "requests with timeout=5 and httpx's default 5 s timeout are bounded"
    );
}

#[test]
fn sdk_clients_with_bounded_defaults_and_scheduled_jobs_are_not_reported() {
    let route = r#"import Stripe from "stripe";
import OpenAI from "openai";
import { createClient } from "@supabase/supabase-js";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const openai = new OpenAI();
const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);

export async function POST(req: Request) {
  const { customerId } = await req.json();
  const portal = await stripe.billingPortal.sessions.create({ customer: customerId });
  const summary = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [] });
  await supabase.from("events").insert({ kind: "portal" });
  return Response.json({ url: portal.url, summary });
}
"#;
    none(&check(&[("app/api/portal/route.ts", route)], "INT-TIMEOUT"));
    let cron = r#"Deno.serve(async () => {
  await fetch(Deno.env.get("HEALTHCHECK_URL")!);
  return new Response("ok");
});
"#;
    none(&check(&[("supabase/functions/nightly-ping/index.ts", cron)], "INT-TIMEOUT"));
}

#[test]
fn resend_on_a_request_path_is_reported() {
    let src = r#"import { Resend } from "resend";

const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(req: Request) {
  const { email } = await req.json();
  await resend.emails.send({ from: "hi@acme.dev", to: email, subject: "Welcome", html: "<p>Hi</p>" });
  return Response.json({ ok: true });
}
"#;
    let path = "app/api/welcome/route.ts";
    let f = check(&[(path, src)], "INT-TIMEOUT");
    one_at(&f, path, line(src, "resend.emails.send"));
}

// ---------------------------------------------------------------------------------------
// INT-PARTIAL

const NEXT_CHARGE_THEN_ORDER: &str = r#"import Stripe from "stripe";
import { prisma } from "@/lib/prisma";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function POST(req: Request) {
  const { cartId, paymentMethodId, customerId, amount } = await req.json();
  const intent = await stripe.paymentIntents.create({
    amount,
    currency: "usd",
    customer: customerId,
    payment_method: paymentMethodId,
    confirm: true,
  });
  const order = await prisma.order.create({
    data: { cartId, paymentIntentId: intent.id, status: "paid" },
  });
  return Response.json(order);
}
"#;

#[test]
fn charge_before_the_order_is_recorded_is_reported() {
    let path = "app/api/checkout/route.ts";
    let f = check(&[(path, NEXT_CHARGE_THEN_ORDER)], "INT-PARTIAL");
    let finding = one_at(&f, path, line(NEXT_CHARGE_THEN_ORDER, "stripe.paymentIntents.create"));
    assert_eq!(
        finding.evidence.related[0].line,
        line(NEXT_CHARGE_THEN_ORDER, "prisma.order.create")
    );
}

#[test]
fn pending_order_first_and_keyed_charge_are_not_reported() {
    let path = "app/api/checkout/route.ts";
    let pending = NEXT_CHARGE_THEN_ORDER
        .replace(
            "  const intent = await stripe.paymentIntents.create({",
            "  const pending = await prisma.order.create({ data: { cartId, status: \"pending\" } });\n  const intent = await stripe.paymentIntents.create({",
        )
        .replace(
            "  const order = await prisma.order.create({\n    data: { cartId, paymentIntentId: intent.id, status: \"paid\" },\n  });",
            "  const order = await prisma.order.update({ where: { id: pending.id }, data: { paymentIntentId: intent.id, status: \"paid\" } });",
        );
    none(&check(&[(path, &pending)], "INT-PARTIAL"));
    let keyed = NEXT_CHARGE_THEN_ORDER.replace(
        "    confirm: true,\n  });",
        "    confirm: true,\n  }, { idempotencyKey: `cart-${cartId}` });",
    );
    none(&check(&[(path, &keyed)], "INT-PARTIAL"));
}

const EXPRESS_EMAIL_THEN_UPDATE: &str = r#"import express from "express";
import sgMail from "@sendgrid/mail";
import { pool } from "./db";

const app = express();

app.post("/api/invoices/:id/send", async (req, res) => {
  const { rows } = await pool.query("SELECT * FROM invoices WHERE id = $1", [req.params.id]);
  await sgMail.send({ to: rows[0].email, from: "billing@acme.dev", subject: "Your invoice", html: rows[0].html });
  await pool.query("UPDATE invoices SET sent_at = now() WHERE id = $1", [req.params.id]);
  res.sendStatus(204);
});
"#;

#[test]
fn email_sent_before_the_write_that_records_it_is_reported_unless_compensated() {
    let path = "server/invoices.ts";
    let f = check(&[(path, EXPRESS_EMAIL_THEN_UPDATE)], "INT-PARTIAL");
    let finding = one_at(&f, path, line(EXPRESS_EMAIL_THEN_UPDATE, "sgMail.send"));
    assert!(finding.message.contains("update of invoices"), "{}", finding.message);
    // Sending from the branch that runs only when the write failed is not a split effect.
    let only_email = EXPRESS_EMAIL_THEN_UPDATE.replace(
        "  await pool.query(\"UPDATE invoices SET sent_at = now() WHERE id = $1\", [req.params.id]);\n",
        "",
    );
    none(&check(&[(path, &only_email)], "INT-PARTIAL"));
}

const FASTAPI_CHARGE: &str = r#"import stripe
from fastapi import Depends, FastAPI
from sqlalchemy.orm import Session

from .db import get_db
from .models import Order

app = FastAPI()


@app.post("/orders")
def create_order(body: OrderIn, db: Session = Depends(get_db)):
    charge = stripe.PaymentIntent.create(amount=body.amount_cents, currency="usd", customer=body.customer_id, confirm=True)
    order = Order(customer_id=body.customer_id, payment_intent=charge.id, status="paid")
    db.add(order)
    db.commit()
    return {"id": order.id}
"#;

#[test]
fn fastapi_charge_then_insert_is_reported_and_a_refund_in_the_except_is_not() {
    let path = "app/main.py";
    let f = check(&[(path, FASTAPI_CHARGE)], "INT-PARTIAL");
    one_at(&f, path, line(FASTAPI_CHARGE, "stripe.PaymentIntent.create"));
    let compensated = FASTAPI_CHARGE.replace(
        "    db.add(order)\n    db.commit()\n",
        "    try:\n        db.add(order)\n        db.commit()\n    except Exception:\n        stripe.Refund.create(payment_intent=charge.id)\n        raise\n",
    );
    none(&check(&[(path, &compensated)], "INT-PARTIAL"));
}

#[test]
fn marking_paid_before_charging_is_reported() {
    let src = r#"import Stripe from "stripe";
import { createClient } from "@supabase/supabase-js";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
const supabase = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);

export async function POST(req: Request) {
  const { invoiceId, customerId, amountCents } = await req.json();
  await supabase.from("invoices").update({ status: "paid" }).eq("id", invoiceId);
  await stripe.paymentIntents.create({ amount: amountCents, currency: "usd", customer: customerId, confirm: true, off_session: true });
  return Response.json({ ok: true });
}
"#;
    let path = "app/api/invoices/charge/route.ts";
    let f = check(&[(path, src)], "INT-PARTIAL");
    let finding = one_at(&f, path, line(src, "stripe.paymentIntents.create"));
    assert!(finding.message.contains("records the outcome before"), "{}", finding.message);
}
