//! OBS detectors: a true positive and a near-miss negative for every item.

use super::{check, none, one_at};

const EXPRESS_PACKAGE: (&str, &str) = (
    "package.json",
    r#"{ "name": "api", "dependencies": { "express": "^4.19.2", "react": "^18.3.1" } }"#,
);

const EXPRESS_SERVER: (&str, &str) = (
    "server/index.ts",
    r#"import express from "express";
import { ordersRouter } from "./orders";

const app = express();
app.use(express.json());
app.use("/orders", ordersRouter);
app.get("/", (_req, res) => res.send("ok"));
app.listen(process.env.PORT ?? 3000, () => console.log("listening"));
"#,
);

const REACT_MAIN: (&str, &str) = (
    "src/main.tsx",
    r#"import { createRoot } from "react-dom/client";
import App from "./App";
createRoot(document.getElementById("root")!).render(<App />);
"#,
);

// ---------------------------------------------------------------------------------------
// OBS-ERROR-TRACKING

#[test]
fn no_error_tracker_anywhere_is_reported_with_what_was_searched() {
    let f = check(&[EXPRESS_PACKAGE, EXPRESS_SERVER, REACT_MAIN], "OBS-ERROR-TRACKING");
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    assert!(f[0].path.is_empty());
    let searched = f[0].evidence.searched.join(" ");
    for name in ["Sentry", "Bugsnag", "Rollbar", "Honeybadger", "OpenTelemetry", "Datadog", "LogRocket"] {
        assert!(searched.contains(name), "searched: {searched}");
    }
    assert!(searched.contains("package.json"), "{searched}");
}

#[test]
fn sentry_initialised_for_browser_and_server_is_not_reported() {
    let main = r#"import * as Sentry from "@sentry/react";
import { createRoot } from "react-dom/client";
import App from "./App";
Sentry.init({ dsn: import.meta.env.VITE_SENTRY_DSN });
createRoot(document.getElementById("root")!).render(<App />);
"#;
    let instrument = r#"import * as Sentry from "@sentry/node";
Sentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 0.1 });
"#;
    let server = EXPRESS_SERVER.1.replace("import express", "import \"./instrument\";\nimport express");
    none(&check(
        &[EXPRESS_PACKAGE, ("server/index.ts", &server), ("server/instrument.ts", instrument), ("src/main.tsx", main)],
        "OBS-ERROR-TRACKING",
    ));
}

#[test]
fn tracker_only_in_the_browser_leaves_server_entry_points_uncovered() {
    let main = r#"import * as Sentry from "@sentry/react";
import { createRoot } from "react-dom/client";
import App from "./App";
Sentry.init({ dsn: import.meta.env.VITE_SENTRY_DSN });
createRoot(document.getElementById("root")!).render(<App />);
"#;
    let edge = r#"Deno.serve(async (req) => new Response("ok"));
"#;
    let f = check(
        &[("src/main.tsx", main), ("supabase/functions/send-email/index.ts", edge), ("supabase/functions/webhook/index.ts", edge)],
        "OBS-ERROR-TRACKING",
    );
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    assert!(f[0].message.contains("src/main.tsx"), "{}", f[0].message);
    assert!(f[0].message.contains("2 edge functions under supabase/functions"), "{}", f[0].message);
}

#[test]
fn a_tracker_installed_but_never_initialised_is_reported_at_the_manifest() {
    let package = r#"{
  "name": "app",
  "dependencies": {
    "@sentry/nextjs": "^8.0.0",
    "next": "14.2.0"
  }
}
"#;
    let route = r#"export async function GET() { return Response.json({ ok: true }); }
"#;
    let f = check(&[("package.json", package), ("app/api/ping/route.ts", route)], "OBS-ERROR-TRACKING");
    let hit = one_at(&f, "package.json", 4);
    assert!(hit.message.contains("no code initialises it"), "{}", hit.message);
}

// ---------------------------------------------------------------------------------------
// OBS-LOGGING

#[test]
fn credentials_and_emails_in_log_calls_are_named() {
    let route = r#"import { NextResponse } from "next/server";

export async function POST(req: Request) {
  const { email, password } = await req.json();
  console.log("login attempt", { email, password });
  const session = await signIn(email, password);
  console.info(`session for ${email}: ${session.access_token}`);
  return NextResponse.json({ ok: true });
}
"#;
    let f = check(&[("app/api/login/route.ts", route)], "OBS-LOGGING");
    let first = f.iter().filter(|x| x.line == 5).map(|x| x.message.clone()).collect::<Vec<_>>().join(" ");
    assert!(first.contains("`password` (a password)"), "{}", super::show(&f));
    assert!(first.contains("`email` (an email address)"), "{}", super::show(&f));
    let token = f.iter().find(|x| x.line == 7 && x.message.contains("access_token")).expect("access_token");
    assert!(token.message.contains("a token"), "{}", token.message);
}

#[test]
fn ids_counts_and_flags_in_log_calls_are_not_leaks() {
    let route = r#"export async function POST(req: Request) {
  const { prompt } = await req.json();
  const completion = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });
  console.log("completion", { userId: user.id, tokens_used: completion.usage.total_tokens, hasToken: !!token });
  console.log("token refreshed for", user.id, token.length);
  console.error("password reset failed", err.message);
  return Response.json({ ok: true });
}
"#;
    none(&check(&[("app/api/chat/route.ts", route)], "OBS-LOGGING"));
}

#[test]
fn python_log_calls_with_tokens_are_leaks() {
    let py = r#"import logging
from fastapi import APIRouter

router = APIRouter()
logger = logging.getLogger(__name__)


@router.post("/password-reset")
def reset(body: ResetIn):
    token = make_reset_token(body.email)
    logger.info(f"reset requested, token={token}")
    logger.info("reset requested for user %s", body.user_id)
    return {"ok": True}
"#;
    let f = check(&[("app/routes/auth.py", py)], "OBS-LOGGING");
    let hit = one_at(&f, "app/routes/auth.py", 11);
    assert!(hit.message.contains("`token`"), "{}", hit.message);
    assert_eq!(f.len(), 1, "{}", super::show(&f));
}

#[test]
fn a_long_running_server_that_only_prints_has_no_logger() {
    let orders = r#"import { Router } from "express";
export const ordersRouter = Router();
ordersRouter.post("/", async (req, res) => {
  console.log("new order", req.body.sku);
  res.json({ ok: true });
});
"#;
    let f = check(&[EXPRESS_PACKAGE, EXPRESS_SERVER, ("server/orders.ts", orders)], "OBS-LOGGING");
    let hit = one_at(&f, "server/orders.ts", 4);
    assert!(hit.message.contains("no request ids"), "{}", hit.message);
    one_at(&f, "server/index.ts", 8);
}

#[test]
fn a_server_with_a_logger_or_serverless_console_logs_are_fine() {
    let package = r#"{ "name": "api", "dependencies": { "express": "^4.19.2", "pino": "^9.0.0", "pino-http": "^10.0.0" } }"#;
    let logger = r#"import pino from "pino";
export const logger = pino({ level: "info" });
"#;
    let server = EXPRESS_SERVER.1.replace("import express", "import { logger } from \"./logger\";\nimport express");
    let edge = r#"Deno.serve(async (req) => {
  console.log("reminder run", new Date().toISOString());
  return new Response("ok");
});
"#;
    none(&check(
        &[("package.json", package), ("server/index.ts", &server), ("server/logger.ts", logger), ("supabase/functions/reminders/index.ts", edge)],
        "OBS-LOGGING",
    ));
}

// ---------------------------------------------------------------------------------------
// OBS-HEALTH

const DOCKERFILE: (&str, &str) = (
    "Dockerfile",
    "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"dist/server/index.js\"]\n",
);

#[test]
fn a_deployed_express_server_without_health_route_is_reported() {
    let f = check(&[EXPRESS_PACKAGE, EXPRESS_SERVER, DOCKERFILE], "OBS-HEALTH");
    let hit = one_at(&f, "server/index.ts", 4);
    assert!(hit.message.contains("Express"), "{}", hit.message);
    assert!(hit.message.contains("Dockerfile"), "{}", hit.message);
    assert!(hit.evidence.searched.iter().any(|s| s.contains("/healthz")));
}

#[test]
fn a_health_route_or_a_platform_check_satisfies_it() {
    let with_route = EXPRESS_SERVER.1.replace(
        "app.get(\"/\",",
        "app.get(\"/healthz\", (_req, res) => res.json({ ok: true }));\napp.get(\"/\",",
    );
    none(&check(&[EXPRESS_PACKAGE, ("server/index.ts", &with_route), DOCKERFILE], "OBS-HEALTH"));

    let flask = r#"from flask import Flask

app = Flask(__name__)


@app.route("/reports")
def reports():
    return {"ok": True}
"#;
    let docker = "FROM python:3.12-slim\nCOPY . .\nHEALTHCHECK CMD curl -f http://localhost:8000/reports || exit 1\nCMD [\"gunicorn\", \"app:app\"]\n";
    none(&check(
        &[("reports/app.py", flask), ("reports/requirements.txt", "flask\n"), ("reports/Dockerfile", docker)],
        "OBS-HEALTH",
    ));
}

#[test]
fn serverless_functions_need_no_health_route() {
    let route = r#"export async function GET() { return Response.json({ ok: true }); }
"#;
    let edge = r#"Deno.serve(async (req) => new Response("ok"));
"#;
    none(&check(
        &[("app/api/orders/route.ts", route), ("supabase/functions/webhook/index.ts", edge)],
        "OBS-HEALTH",
    ));
}
