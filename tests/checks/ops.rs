//! OPS detectors: a true positive and a near-miss negative for every item.

use super::{check, none, one_at};

// ---------------------------------------------------------------------------------------
// OPS-CONFIG

#[test]
fn production_hosts_and_project_ids_in_code_are_frozen_configuration() {
    let api = r#"export const API_URL = "https://acme-prod.vercel.app/api";
export const firebaseConfig = {
  apiKey: "AIzaSyD-public-web-key",
  authDomain: "acme-prod.firebaseapp.com",
  projectId: "acme-prod",
};
export async function getOrders() {
  return fetch(`${API_URL}/orders`);
}
"#;
    let db = r#"import os
DATABASE_URL = os.getenv("DATABASE_URL") or "postgresql://app:pw@db.internal.acme.io:5432/app"
"#;
    let f = check(
        &[("src/lib/api.ts", api), ("backend/db.py", db), (".env.example", "DATABASE_URL=\n")],
        "OPS-CONFIG",
    );
    let vercel = one_at(&f, "src/lib/api.ts", 1);
    assert!(vercel.message.contains("acme-prod.vercel.app"), "{}", vercel.message);
    one_at(&f, "src/lib/api.ts", 4);
    one_at(&f, "src/lib/api.ts", 5);
    let pg = one_at(&f, "backend/db.py", 2);
    assert!(pg.message.contains("Falls back"), "{}", pg.message);
    assert_eq!(pg.class, plumb::checks::Class::LoadBearing);
}

#[test]
fn env_reads_third_party_apis_links_and_local_defaults_are_not_frozen() {
    let api = r#"export const API_URL = process.env.NEXT_PUBLIC_API_URL ?? "http://localhost:3000/api";
const STRIPE_API = "https://api.stripe.com/v1";
export function Footer() {
  return <a href="https://acme.io/docs">Docs</a>;
}
// https://acme-prod.vercel.app is the production deploy
"#;
    let env = "NEXT_PUBLIC_API_URL=https://acme.io/api\n";
    none(&check(&[("src/components/Footer.tsx", api), (".env.example", env)], "OPS-CONFIG"));
}

#[test]
fn own_domain_from_env_files_is_recognised_in_code() {
    let checkout = r#"export async function startCheckout(stripe: any, id: string) {
  return stripe.checkout.sessions.create({
    success_url: `https://app.acme.io/orders/${id}?paid=1`,
  });
}
"#;
    let f = check(
        &[("src/lib/checkout.ts", checkout), (".env", "APP_URL=https://app.acme.io\n"), (".env.example", "APP_URL=\n")],
        "OPS-CONFIG",
    );
    let hit = one_at(&f, "src/lib/checkout.ts", 3);
    assert!(hit.message.contains("the value of APP_URL in .env, which no code reads"), "{}", hit.message);
}

#[test]
fn env_vars_read_with_no_env_example_or_missing_from_it() {
    let edge = r#"const key = Deno.env.get("RESEND_API_KEY");
const url = Deno.env.get("SUPABASE_URL");
"#;
    let py = "import os\nSECRET = os.environ[\"JWT_SECRET\"]\n";
    let f = check(&[("supabase/functions/mail/index.ts", edge), ("api/auth.py", py)], "OPS-CONFIG");
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    assert!(f[0].path.is_empty());
    assert!(f[0].message.contains("JWT_SECRET") && f[0].message.contains("RESEND_API_KEY"), "{}", f[0].message);
    assert!(!f[0].message.contains("SUPABASE_URL"), "provided by the platform: {}", f[0].message);
    assert!(!f[0].evidence.searched.is_empty());

    let f = check(
        &[("supabase/functions/mail/index.ts", edge), ("api/auth.py", py), (".env.example", "RESEND_API_KEY=re_xxx\n")],
        "OPS-CONFIG",
    );
    let hit = one_at(&f, ".env.example", 0);
    assert!(hit.message.contains("JWT_SECRET") && !hit.message.contains("RESEND_API_KEY"), "{}", hit.message);

    none(&check(
        &[("supabase/functions/mail/index.ts", edge), ("api/auth.py", py), (".env.example", "RESEND_API_KEY=\nJWT_SECRET=\n")],
        "OPS-CONFIG",
    ));
}

// ---------------------------------------------------------------------------------------
// OPS-CI

const PACKAGE: (&str, &str) = (
    "package.json",
    r#"{ "name": "app", "scripts": { "build": "vite build", "typecheck": "tsc --noEmit", "lint": "eslint .", "test": "vitest run" } }"#,
);
const APP: (&str, &str) = ("src/main.ts", "export const x = 1;\n");

#[test]
fn no_ci_configuration_is_an_absence_with_what_was_searched() {
    let f = check(&[PACKAGE, APP], "OPS-CI");
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    assert!(f[0].path.is_empty());
    assert!(f[0].evidence.searched[0].contains(".github/workflows"));
}

#[test]
fn ci_that_only_builds_misses_tests_types_and_lint() {
    let wf = r#"name: Deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm run build
      - run: npx vercel deploy --prod --token ${{ secrets.VERCEL_TOKEN }}
"#;
    let f = check(&[PACKAGE, APP, (".github/workflows/deploy.yml", wf)], "OPS-CI");
    let hit = one_at(&f, ".github/workflows/deploy.yml", 11);
    assert!(hit.message.contains("no tests, no type check, no lint"), "{}", hit.message);
    assert!(hit.message.contains("deploys anyway"), "{}", hit.message);
    assert!(hit.evidence.facts.iter().any(|x| x.contains("\"test\": \"vitest run\"")), "{:?}", hit.evidence.facts);
}

#[test]
fn ci_that_runs_scripts_which_test_type_check_and_lint_passes() {
    let wf = r#"name: CI
on: [pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: |
          npm run lint
          npm run typecheck
      - run: npm test
"#;
    none(&check(&[PACKAGE, APP, (".github/workflows/ci.yml", wf)], "OPS-CI"));
    let gitlab = r#"test:
  image: python:3.12
  script:
    - pip install -r requirements.txt
    - ruff check .
    - mypy app
    - pytest -q
"#;
    none(&check(&[("app/main.py", "x = 1\n"), ("requirements.txt", "fastapi\n"), (".gitlab-ci.yml", gitlab)], "OPS-CI"));
}

// ---------------------------------------------------------------------------------------
// OPS-TEST-THEATRE

#[test]
fn skipped_focused_and_assertion_free_tests_are_reported() {
    let spec = r#"import { describe, it, expect } from "vitest";
import { total } from "../lib/cart";

describe("cart", () => {
  it.only("adds tax", () => {
    expect(total([1], 0.2)).toBe(1.2);
  });
  xit("rounds", () => {
    expect(total([0.1, 0.2], 0)).toBe(0.3);
  });
  it("handles discounts", () => {
    const t = total([10], 0, 5);
    console.log(t);
  });
  it.todo("handles refunds");
  it("checks the empty cart", () => {
    expect(total([], 0)).toBe(0);
  });
});
"#;
    let py = r#"import pytest


@pytest.mark.skip(reason="flaky")
def test_charge():
    assert charge(100) == 100


@pytest.mark.skipif(sys.platform == "win32", reason="posix only")
def test_paths():
    assert paths() == []


def test_refund_runs():
    refund(100)


def test_refund_raises():
    with pytest.raises(ValueError):
        refund(-1)


def check_total(cart, expected):
    assert total(cart) == expected


def test_total_via_helper():
    check_total([1, 2], 3)


def test_suite():
    return unittest.TestLoader().loadTestsFromName(__name__)
"#;
    let f = check(&[("src/__tests__/cart.test.ts", spec), ("tests/test_billing.py", py)], "OPS-TEST-THEATRE");
    one_at(&f, "src/__tests__/cart.test.ts", 5);
    one_at(&f, "src/__tests__/cart.test.ts", 8);
    let hollow = one_at(&f, "src/__tests__/cart.test.ts", 12);
    assert!(hollow.message.contains("asserts nothing"), "{}", hollow.message);
    one_at(&f, "tests/test_billing.py", 4);
    one_at(&f, "tests/test_billing.py", 14);
    assert_eq!(f.len(), 5, "{}", super::show(&f));
}

fn app_sources() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for dir in ["lib", "hooks", "pages", "components"] {
        for i in 0..3 {
            v.push((format!("src/{dir}/m{i}.ts"), format!("export const v{i} = {i};\n")));
        }
    }
    v
}

#[test]
fn coverage_narrowed_to_a_few_files_reports_the_share_measured() {
    let jest = r#"module.exports = {
  testEnvironment: "node",
  collectCoverageFrom: ["src/lib/m0.ts", "src/lib/m1.ts"],
  coverageThreshold: { global: { lines: 90 } },
};
"#;
    let mut files = app_sources();
    files.push(("jest.config.js".into(), jest.into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let f = check(&refs, "OPS-TEST-THEATRE");
    let hit = one_at(&f, "jest.config.js", 3);
    assert!(hit.message.contains("2 of 12 source files (17%)"), "{}", hit.message);
    assert!(hit.message.contains("90% lines"), "{}", hit.message);
    assert!(hit.evidence.facts.iter().any(|x| x == "measured share: 2/12 source files (17%)"));
}

#[test]
fn coverage_over_all_sources_with_test_excludes_is_fine() {
    let vitest = r#"import { defineConfig } from "vitest/config";
export default defineConfig({
  test: {
    coverage: {
      include: ["src/**/*.{ts,tsx}"],
      exclude: ["src/**/*.test.ts", "src/**/*.d.ts"],
    },
  },
});
"#;
    let mut files = app_sources();
    files.push(("vitest.config.ts".into(), vitest.into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    none(&check(&refs, "OPS-TEST-THEATRE"));
}

#[test]
fn python_coverage_source_limited_to_one_package() {
    let mut files: Vec<(String, String)> = Vec::new();
    for pkg in ["billing", "accounts", "reports", "utils"] {
        for i in 0..2 {
            files.push((format!("app/{pkg}/m{i}.py"), "x = 1\n".into()));
        }
    }
    let narrow = "[run]\nsource = app/utils\nbranch = True\n\n[report]\nfail_under = 85\n";
    let mut with = files.clone();
    with.push((".coveragerc".into(), narrow.into()));
    let refs: Vec<(&str, &str)> = with.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let f = check(&refs, "OPS-TEST-THEATRE");
    let hit = one_at(&f, ".coveragerc", 2);
    assert!(hit.message.contains("2 of 8 source files (25%)"), "{}", hit.message);
    assert!(hit.message.contains("85%"), "{}", hit.message);

    let wide = "[tool.coverage.run]\nsource = [\"app\"]\nomit = [\"app/**/migrations/*\"]\n";
    let mut with = files.clone();
    with.push(("pyproject.toml".into(), wide.into()));
    let refs: Vec<(&str, &str)> = with.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    none(&check(&refs, "OPS-TEST-THEATRE"));
}

// ---------------------------------------------------------------------------------------
// OPS-TYPES

#[test]
fn strict_off_in_a_referenced_tsconfig_is_found() {
    let root = r#"{ "files": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.node.json" }] }"#;
    let app = r#"{
  // Vite + React
  "compilerOptions": {
    "target": "ES2020",
    "strict": false,
    "noImplicitAny": false,
  },
  "include": ["src"]
}
"#;
    let node = r#"{ "compilerOptions": { "strict": true }, "include": ["vite.config.ts"] }"#;
    let f = check(
        &[("tsconfig.json", root), ("tsconfig.app.json", app), ("tsconfig.node.json", node), ("src/lib/billing.ts", "export const charge = (x: number) => x;\n")],
        "OPS-TYPES",
    );
    let hit = one_at(&f, "tsconfig.app.json", 5);
    assert!(hit.message.contains("strict: false and noImplicitAny: false"), "{}", hit.message);
    assert_eq!(hit.end_line, 6);
    assert_eq!(hit.class, plumb::checks::Class::LoadBearing, "covers billing code");
}

#[test]
fn strict_from_a_base_or_a_preset_is_fine_and_a_few_catch_anys_are_too() {
    let base = r#"{ "compilerOptions": { "strict": true } }"#;
    let root = r#"{ "extends": "./tsconfig.base.json", "compilerOptions": { "jsx": "react-jsx" } }"#;
    let page = r#"export async function save() {
  try { await fetch("/x"); } catch (err: any) { console.error(err.message); }
  try { await fetch("/y"); } catch (err: any) { console.error(err.message); }
}
"#;
    none(&check(&[("tsconfig.json", root), ("tsconfig.base.json", base), ("src/pages/x.ts", page)], "OPS-TYPES"));
    let preset = r#"{ "extends": "@tsconfig/strictest/tsconfig.json" }"#;
    none(&check(&[("tsconfig.json", preset), ("src/pages/x.ts", page)], "OPS-TYPES"));
}

#[test]
fn ts_nocheck_ts_ignore_type_ignore_and_dense_any_are_bypasses() {
    let webhook = r#"// @ts-nocheck
import Stripe from "stripe";
export async function handle(event: any, db: any, stripe: any, log: any) {
  // @ts-ignore
  const session = event.data.object as any;
  await db.payments.insert({ amount: session.amount_total as any });
}
"#;
    let py = "from app.db import Session  # type: ignore\n\ndef f(x):\n    return x.y  # type: ignore[attr-defined]\n";
    let declarations = "export declare function a(x: any): any;\nexport declare function b(x: any): any;\nexport declare function c(x: any): any;\nexport declare function d(x: any): any;\nexport declare const e: any;\n";
    let tsconfig = r#"{ "compilerOptions": { "strict": true } }"#;
    let f = check(
        &[("tsconfig.json", tsconfig), ("src/lib/stripe-webhook.ts", webhook), ("app/billing.py", py), ("src/types/vendor.d.ts", declarations)],
        "OPS-TYPES",
    );
    assert!(!f.iter().any(|x| x.path.ends_with(".d.ts")), "{}", super::show(&f));
    let nocheck = one_at(&f, "src/lib/stripe-webhook.ts", 1);
    assert!(nocheck.message.contains("whole file"), "{}", nocheck.message);
    let any = one_at(&f, "src/lib/stripe-webhook.ts", 3);
    assert!(any.message.contains("6 explicit `any`"), "{}", any.message);
    one_at(&f, "src/lib/stripe-webhook.ts", 4);
    let py_hit = one_at(&f, "app/billing.py", 1);
    assert!(py_hit.message.contains("2 `# type: ignore`"), "{}", py_hit.message);
}

// ---------------------------------------------------------------------------------------
// OPS-DEPLOY

#[test]
fn a_dockerfile_with_nothing_that_deploys_it_is_no_deploy() {
    let f = check(
        &[
            ("api/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
            ("api/Dockerfile", "FROM python:3.12\nCOPY . .\nCMD [\"uvicorn\", \"main:app\"]\n"),
            ("README.md", "# API\n\n## Deploy\n\nSSH to the box and run docker compose up.\n"),
        ],
        "OPS-DEPLOY",
    );
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    assert!(f[0].message.starts_with("No deploy configuration"), "{}", f[0].message);
    assert!(f[0].evidence.facts.iter().any(|x| x.contains("api/Dockerfile builds an image")), "{:?}", f[0].evidence.facts);
    assert!(f[0].evidence.facts.iter().any(|x| x.contains("SSH to the box")), "{:?}", f[0].evidence.facts);
    assert!(f[0].evidence.searched.iter().any(|s| s.contains("fly.toml")));
}

#[test]
fn a_platform_deploy_with_migrations_in_the_workflow_is_reproducible() {
    let wf = r#"name: Deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: supabase/setup-cli@v1
      - run: supabase db push
      - run: supabase functions deploy --project-ref ${{ secrets.PROJECT_REF }}
"#;
    none(&check(
        &[
            ("src/main.ts", "export {};\n"),
            ("vercel.json", "{}\n"),
            ("supabase/migrations/20250101000000_init.sql", "create table notes (id uuid primary key);\n"),
            (".github/workflows/deploy.yml", wf),
        ],
        "OPS-DEPLOY",
    ));
}

#[test]
fn a_platform_deploy_whose_migrations_run_by_hand_is_reported() {
    let f = check(
        &[
            ("src/server.ts", "export {};\n"),
            ("fly.toml", "app = \"acme\"\n[http_service]\ninternal_port = 8080\n"),
            ("prisma/migrations/20250101_init/migration.sql", "create table notes (id uuid primary key);\n"),
        ],
        "OPS-DEPLOY",
    );
    assert_eq!(f.len(), 1, "{}", super::show(&f));
    assert!(f[0].message.contains("prisma/migrations"), "{}", f[0].message);
    assert!(f[0].evidence.facts.iter().any(|x| x == "Fly.io: fly.toml"), "{:?}", f[0].evidence.facts);
}
