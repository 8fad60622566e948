//! ARCH detectors: a true positive and a near-miss negative for every item.

use plumb::checks::{Class, Severity};
use plumb::fixture::{Author, RepoBuilder};

use super::{analyse_repo, check, none, one_at};

fn agent() -> Author {
    Author::new(
        "lovable-dev[bot]",
        "lovable-dev[bot]@users.noreply.github.com",
    )
}

fn founder() -> Author {
    Author::new("Maya Chen", "maya@example.com")
}

const DAY: i64 = 86_400;
const T0: i64 = 1_740_000_000;

// ------------------------------------------------------------------------------ ARCH-CYCLE

const API: &str = r#"import axios from "axios";
import { getAccessToken, signOut } from "./auth";

const client = axios.create({ baseURL: "/functions/v1" });
client.interceptors.request.use(async (config) => {
  config.headers.Authorization = `Bearer ${await getAccessToken()}`;
  return config;
});
export const apiPost = (path: string, body: unknown) => client.post(path, body).then((r) => r.data);
export { signOut };
"#;

const AUTH: &str = r#"import { supabase } from "./supabase";
import { apiPost } from "./api";

export async function getAccessToken() {
  return (await supabase.auth.getSession()).data.session?.access_token;
}
export async function signOut() { await supabase.auth.signOut(); }
export const acceptInvite = (token: string) => apiPost("/accept-invite", { token });
"#;

const SUPABASE: &str = "import { createClient } from \"@supabase/supabase-js\";\nexport const supabase = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_ANON_KEY);\n";

#[test]
fn two_modules_importing_each_other_are_one_cycle() {
    let findings = check(
        &[
            ("src/lib/api.ts", API),
            ("src/lib/auth.ts", AUTH),
            ("src/lib/supabase.ts", SUPABASE),
        ],
        "ARCH-CYCLE",
    );
    assert_eq!(findings.len(), 1, "{}", super::show(&findings));
    let f = &findings[0];
    assert_eq!(f.line, 2, "at the import line: {}:{}", f.path, f.line);
    let other = if f.path == "src/lib/api.ts" {
        "src/lib/auth.ts"
    } else {
        "src/lib/api.ts"
    };
    assert!(
        f.evidence
            .related
            .iter()
            .any(|r| r.path == other && r.line == 2),
        "{:?}",
        f.evidence.related
    );
    assert!(
        f.message.contains("import cycle of 2 files"),
        "{}",
        f.message
    );
}

#[test]
fn a_cycle_of_type_imports_or_lazy_python_imports_is_not_a_runtime_cycle() {
    let types_a = "import type { Session } from \"./session\";\nexport function user(s: Session) { return s.user; }\n";
    let types_b = "import { user } from \"./user\";\nexport interface Session { user: string }\nexport const who = (s: Session) => user(s);\n";
    let models = "from app.services import price\n\nclass Order:\n    def total(self):\n        return price(self)\n";
    let services = "def price(order):\n    from app.models import Order\n    return 0 if not isinstance(order, Order) else 1\n";
    none(&check(
        &[
            ("src/lib/user.ts", types_a),
            ("src/lib/session.ts", types_b),
            ("app/__init__.py", ""),
            ("app/models.py", models),
            ("app/services.py", services),
        ],
        "ARCH-CYCLE",
    ));
}

#[test]
fn the_import_added_last_closes_the_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    repo.write("src/lib/supabase.ts", SUPABASE)
        .write("src/lib/auth.ts", AUTH)
        .write("src/lib/api.ts", "import axios from \"axios\";\nexport const apiPost = (p: string, b: unknown) => axios.post(p, b);\n");
    repo.commit(&agent(), T0, "Team invites").unwrap();
    repo.write("src/lib/api.ts", API);
    repo.commit(&founder(), T0 + DAY, "Sign out when the API returns 401")
        .unwrap();
    let findings = analyse_repo(dir.path(), "ARCH-CYCLE");
    let f = one_at(&findings, "src/lib/api.ts", 2);
    assert!(
        f.message.contains("closed by this import") && f.message.contains("Maya Chen"),
        "{}",
        f.message
    );
    assert!(f
        .evidence
        .related
        .iter()
        .any(|r| r.path == "src/lib/auth.ts"));
    assert_eq!(
        f.class,
        Class::LoadBearing,
        "the cycle runs through the auth module: {}",
        f.class_reason
    );
}

// ------------------------------------------------------------------------------ ARCH-GOD

fn big_module(functions: usize) -> String {
    let mut s = String::from("import { supabase } from \"./supabase\";\n\n");
    for i in 0..functions {
        s.push_str(&format!(
            "export async function step{i}(orgId: string, input: Record<string, number>) {{\n  const rows = await supabase.from(\"t{i}\").select(\"*\").eq(\"org_id\", orgId);\n  let total = 0;\n  for (const r of rows.data ?? []) {{\n    if (r.kind === \"a\") total += input.a ?? 0;\n    else if (r.kind === \"b\") total -= input.b ?? 0;\n    else total *= 2;\n  }}\n  if (total > 100) {{\n    return {{ total, capped: true }};\n  }}\n  return {{ total, capped: false }};\n}}\n\n"
        ));
    }
    s
}

fn god_repo(path: &str, content: &dyn Fn(usize) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    let module = path.rsplit('/').next().unwrap().trim_end_matches(".ts");
    repo.write("src/lib/supabase.ts", SUPABASE);
    for i in 0..9 {
        repo.write(
            &format!("src/pages/Page{i}.tsx"),
            format!("import {{ step0 }} from \"../lib/{module}\";\nimport type {{ Database }} from \"../lib/{module}\";\nexport default function Page{i}() {{ return <button onClick={{() => step0(\"o\", {{}})}}>Go</button>; }}\n"),
        );
    }
    for n in 0..7 {
        repo.write(path, content(30 + n));
        repo.commit(&agent(), T0 + n as i64 * DAY, &format!("Feature {n}"))
            .unwrap();
    }
    dir
}

#[test]
fn a_large_module_everything_imports_and_every_change_touches_is_a_god_file() {
    let dir = god_repo("src/lib/app.ts", &|n| big_module(n));
    let findings = analyse_repo(dir.path(), "ARCH-GOD");
    let f = one_at(&findings, "src/lib/app.ts", 0);
    assert!(
        f.message.contains("imported by 9 files") && f.message.contains("7 commits"),
        "{}",
        f.message
    );
}

#[test]
fn generated_database_types_are_large_and_central_but_not_a_god_file() {
    let types = |n: usize| {
        let mut s = String::from("export type Json = string | number | boolean | null;\nexport interface Database {\n  public: {\n    Tables: {\n");
        for i in 0..n * 5 {
            s.push_str(&format!("      t{i}: {{\n        Row: {{ id: string; org_id: string; amount: number; created_at: string }};\n        Insert: {{ id?: string; org_id: string }};\n      }};\n"));
        }
        s.push_str("    };\n  };\n}\nexport const step0 = (a: string, b: unknown) => [a, b];\n");
        s
    };
    let dir = god_repo("src/lib/database.types.ts", &types);
    none(&analyse_repo(dir.path(), "ARCH-GOD"));
}

// ------------------------------------------------------------------------------ ARCH-HIDDEN-COUPLING

const BADGE: &str = "import type { InvoiceStatus } from \"@/types\";\nexport default function Badge({ status }: { status: InvoiceStatus }) { return <span>{status}</span>; }\n";
const WEBHOOK: &str =
    "Deno.serve(async (req) => { const e = await req.json(); return new Response(e.type); });\n";

#[test]
fn files_that_always_change_together_with_no_import_are_hidden_coupling() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    repo.write(
        "src/types/index.ts",
        "export type InvoiceStatus = \"draft\" | \"paid\";\n",
    )
    .write("src/components/InvoiceStatusBadge.tsx", BADGE)
    .write("supabase/functions/stripe-webhook/index.ts", WEBHOOK);
    repo.commit(&agent(), T0, "Invoices").unwrap();
    for n in 1..5 {
        repo.write(
            "src/components/InvoiceStatusBadge.tsx",
            format!("{BADGE}// status {n}\n"),
        )
        .write(
            "supabase/functions/stripe-webhook/index.ts",
            format!("{WEBHOOK}// status {n}\n"),
        );
        repo.commit(&agent(), T0 + n * DAY, &format!("Add status {n}"))
            .unwrap();
    }
    let findings = analyse_repo(dir.path(), "ARCH-HIDDEN-COUPLING");
    assert_eq!(findings.len(), 1, "{}", super::show(&findings));
    let f = &findings[0];
    let paths = [f.path.as_str(), f.evidence.related[0].path.as_str()];
    assert!(
        paths.contains(&"src/components/InvoiceStatusBadge.tsx")
            && paths.contains(&"supabase/functions/stripe-webhook/index.ts"),
        "{paths:?}"
    );
    assert!(
        f.evidence
            .facts
            .iter()
            .any(|x| x.contains("shared commits") && x.contains("degree")),
        "{:?}",
        f.evidence.facts
    );
}

#[test]
fn a_component_changing_with_the_hook_it_imports_or_a_sibling_wired_by_one_page_is_visible_coupling(
) {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    let hook = "import { useQuery } from \"@tanstack/react-query\";\nexport const useInvoices = () => useQuery({ queryKey: [\"i\"], queryFn: async () => [] });\n";
    let list = "import { useInvoices } from \"../hooks/useInvoices\";\nexport default function List() { const { data } = useInvoices(); return <ul>{data?.length}</ul>; }\n";
    let table = "export default function Table({ rows }: { rows: unknown[] }) { return <table>{rows.length}</table>; }\n";
    let page = "import Table from \"../components/Table\";\nimport { useInvoices } from \"../hooks/useInvoices\";\nexport default function Page() { const { data = [] } = useInvoices(); return <Table rows={data} />; }\n";
    repo.write("src/hooks/useInvoices.ts", hook)
        .write("src/components/List.tsx", list)
        .write("src/components/Table.tsx", table)
        .write("src/pages/Invoices.tsx", page);
    repo.commit(&agent(), T0, "Invoices").unwrap();
    // The list changes with the hook it imports; the table with the hook its page wires to it.
    for n in 1..7 {
        let other = if n % 2 == 0 {
            ("src/components/List.tsx", list)
        } else {
            ("src/components/Table.tsx", table)
        };
        repo.write("src/hooks/useInvoices.ts", format!("{hook}// column {n}\n"))
            .write(other.0, format!("{}// column {n}\n", other.1));
        repo.commit(&agent(), T0 + n * DAY, &format!("Add column {n}"))
            .unwrap();
    }
    none(&analyse_repo(dir.path(), "ARCH-HIDDEN-COUPLING"));
}

// ------------------------------------------------------------------------------ ARCH-DUP

const PRICING: &str = r#"import type { LineItem } from "@/types";

export function calculateOrderTotal(items: LineItem[], taxRate: number, discountPercent = 0) {
  const subtotal = items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
  const discount = subtotal * (discountPercent / 100);
  const taxable = subtotal - discount;
  const tax = taxable * (taxRate / 100);
  const total = Math.round((taxable + tax) * 100) / 100;
  return { subtotal, discount, tax, total };
}
"#;

const CART: &str = r#"import { useState } from "react";
import type { LineItem } from "@/types";

const getCartTotals = (lines: LineItem[], vat: number, promo = 0) => {
  const subtotal = lines.reduce((acc, l) => acc + l.quantity * l.unitPrice, 0);
  const discount = subtotal * (promo / 100);
  const net = subtotal - discount;
  const tax = net * (vat / 100);
  const total = Math.round((net + tax) * 100) / 100;
  return { subtotal, discount, tax, total };
};

export default function Cart({ lines }: { lines: LineItem[] }) {
  const [vat] = useState(20);
  return <p>{getCartTotals(lines, vat).total}</p>;
}
"#;

#[test]
fn a_price_rule_copied_into_a_component_is_a_money_duplicate() {
    let findings = check(
        &[
            ("src/lib/pricing.ts", PRICING),
            ("src/components/Cart.tsx", CART),
            ("src/hooks/useCheckout.ts", "import { calculateOrderTotal } from \"@/lib/pricing\";\nexport const useTotal = (i: never[]) => calculateOrderTotal(i, 20);\n"),
        ],
        "ARCH-DUP",
    );
    let f = one_at(&findings, "src/lib/pricing.ts", 3);
    assert!(
        f.message
            .contains("getCartTotals in src/components/Cart.tsx")
            && f.message.contains("money"),
        "{}",
        f.message
    );
    assert!(f
        .evidence
        .related
        .iter()
        .any(|r| r.path == "src/components/Cart.tsx" && r.line == 4));
    assert_eq!(f.severity, Severity::Medium, "money rules rank first");
    assert_eq!(f.class, Class::LoadBearing);
    assert_eq!(findings.len(), 1);
}

#[test]
fn a_permission_check_written_in_two_python_services_is_a_duplicate() {
    let a = "def can_edit(user, document):\n    if user.role == \"admin\":\n        return True\n    if document.owner_id == user.id and not document.locked:\n        return True\n    for member in document.members:\n        if member.user_id == user.id and member.role in (\"editor\", \"owner\"):\n            return True\n    return False\n";
    let b = a
        .replace("can_edit", "user_may_edit")
        .replace("document", "doc");
    let findings = check(
        &[("api/permissions.py", a), ("worker/access.py", &b)],
        "ARCH-DUP",
    );
    assert_eq!(findings.len(), 1, "{}", super::show(&findings));
    assert!(
        findings[0].message.contains("permission rule"),
        "{}",
        findings[0].message
    );
}

#[test]
fn small_wrappers_different_logic_and_test_copies_are_not_duplicates() {
    let wrappers = r#"import axios from "axios";
export async function apiGet<T>(path: string): Promise<T> {
  const { data } = await axios.get(path);
  return data;
}
"#;
    let wrappers2 = r#"import axios from "axios";
export async function apiPost<T>(path: string, body: unknown): Promise<T> {
  const { data } = await axios.post(path, body);
  return data;
}
"#;
    let other = r#"export function summarize(events: { type: string; at: string }[]) {
  const byType = new Map<string, number>();
  for (const e of events) {
    byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  }
  const latest = events.map((e) => e.at).sort().at(-1) ?? null;
  if (!latest) throw new Error("no events");
  return { count: events.length, types: Object.fromEntries(byType), latest };
}
"#;
    none(&check(
        &[
            ("src/lib/get.ts", wrappers),
            ("src/lib/post.ts", wrappers2),
            ("src/lib/pricing.ts", PRICING),
            ("src/lib/events.ts", other),
            (
                "src/__tests__/pricing.test.ts",
                &PRICING.replace("calculateOrderTotal", "expectedTotal"),
            ),
        ],
        "ARCH-DUP",
    ));
}

// ------------------------------------------------------------------------------ ARCH-LAYER

#[test]
fn a_client_page_writing_through_supabase_is_ui_talking_to_the_database() {
    let page = r#""use client";
import { supabase } from "@/lib/supabase";

export default function NewProject() {
  const create = async (name: string) => {
    await supabase.from("projects").insert({ name });
  };
  return <button onClick={() => create("x")}>Create</button>;
}
"#;
    let findings = check(
        &[
            ("app/projects/new/page.tsx", page),
            ("src/lib/supabase.ts", SUPABASE),
        ],
        "ARCH-LAYER",
    );
    let f = one_at(&findings, "app/projects/new/page.tsx", 6);
    assert!(
        f.message.contains("supabase.from().insert"),
        "{}",
        f.message
    );
    assert_eq!(f.class, Class::LoadBearing);
}

#[test]
fn a_component_importing_the_service_role_client_is_reported_at_the_import() {
    let admin = "import { createClient } from \"@supabase/supabase-js\";\nexport const supabaseAdmin = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_SERVICE_ROLE_KEY);\n";
    let panel = r#"import { useEffect, useState } from "react";
import { supabaseAdmin } from "@/lib/supabaseAdmin";

export function UsersPanel() {
  const [users, setUsers] = useState<unknown[]>([]);
  useEffect(() => { supabaseAdmin.from("profiles").select("*").then(({ data }) => setUsers(data ?? [])); }, []);
  return <ul>{users.length}</ul>;
}
"#;
    let findings = check(
        &[
            ("src/components/admin/UsersPanel.tsx", panel),
            ("src/lib/supabaseAdmin.ts", admin),
            (
                "tsconfig.json",
                r#"{"compilerOptions":{"baseUrl":".","paths":{"@/*":["./src/*"]}}}"#,
            ),
            ("package.json", r#"{"dependencies":{"vite":"5"}}"#),
        ],
        "ARCH-LAYER",
    );
    let f = one_at(&findings, "src/components/admin/UsersPanel.tsx", 2);
    assert!(f.message.contains("service-role"), "{}", f.message);
    assert!(f
        .evidence
        .related
        .iter()
        .any(|r| r.path == "src/lib/supabaseAdmin.ts"));
}

#[test]
fn server_components_hooks_and_components_using_hooks_are_the_right_layers() {
    let server_page = r#"import { prisma } from "@/lib/db";
export default async function Page() {
  await prisma.visit.create({ data: { at: new Date() } });
  return <p>Thanks</p>;
}
"#;
    let hook = r#"import { useMutation } from "@tanstack/react-query";
import { supabase } from "@/lib/supabase";
export const useCreateProject = () => useMutation({ mutationFn: async (name: string) => supabase.from("projects").insert({ name }) });
"#;
    let component = r#"import { useCreateProject } from "@/hooks/useCreateProject";
export default function NewProject() {
  const create = useCreateProject();
  return <button onClick={() => create.mutate("x")}>Create</button>;
}
"#;
    none(&check(
        &[
            ("app/visits/page.tsx", server_page),
            ("src/lib/db.ts", "import { PrismaClient } from \"@prisma/client\";\nexport const prisma = new PrismaClient();\n"),
            ("src/hooks/useCreateProject.ts", hook),
            ("src/components/NewProject.tsx", component),
            ("src/lib/supabase.ts", SUPABASE),
        ],
        "ARCH-LAYER",
    ));
}

// ------------------------------------------------------------------------------ ARCH-PATTERNS

#[test]
fn two_http_clients_and_two_validation_libraries_are_reported_once_each() {
    let axios_client =
        "import axios from \"axios\";\nexport const http = axios.create({ baseURL: \"/api\" });\n";
    let users =
        "import { http } from \"./http\";\nexport const getUsers = () => http.get(\"/users\");\n";
    let orders =
        "import { http } from \"./http\";\nexport const getOrders = () => http.get(\"/orders\");\n";
    let ky_client =
        "import ky from \"ky\";\nexport const getReport = () => ky.get(\"/api/report\").json();\n";
    let zod = "import { z } from \"zod\";\nexport const Signup = z.object({ email: z.string().email() });\n";
    let yup = "import * as yup from \"yup\";\nexport const Profile = yup.object({ name: yup.string().required() });\n";
    let findings = check(
        &[
            ("src/lib/http.ts", axios_client),
            ("src/lib/users.ts", users),
            ("src/lib/orders.ts", orders),
            ("src/lib/report.ts", ky_client),
            ("src/schemas/signup.ts", zod),
            ("src/schemas/profile.ts", yup),
        ],
        "ARCH-PATTERNS",
    );
    assert_eq!(findings.len(), 2, "{}", super::show(&findings));
    let http = one_at(&findings, "src/lib/report.ts", 1);
    assert!(
        http.message.contains("uses ky")
            && http.message.contains("axios")
            && http.message.contains("HTTP clients"),
        "{}",
        http.message
    );
    assert!(http
        .evidence
        .related
        .iter()
        .any(|r| r.path == "src/lib/http.ts" && r.line == 1));
    assert!(findings
        .iter()
        .any(|f| f.message.contains("validation libraries")));
}

#[test]
fn react_query_next_to_hand_written_effect_fetching_is_two_styles() {
    let rq = "import { useQuery } from \"@tanstack/react-query\";\nexport const useOrders = () => useQuery({ queryKey: [\"orders\"], queryFn: () => fetch(\"/api/orders\").then((r) => r.json()) });\n";
    let rq2 = "import { useQuery } from \"@tanstack/react-query\";\nexport const useUsers = () => useQuery({ queryKey: [\"users\"], queryFn: () => fetch(\"/api/users\").then((r) => r.json()) });\n";
    let effect = r#"import { useEffect, useState } from "react";
export function useStats() {
  const [stats, setStats] = useState(null);
  useEffect(() => {
    fetch("/api/stats").then((r) => r.json()).then(setStats);
  }, []);
  return stats;
}
"#;
    let findings = check(
        &[
            ("src/hooks/useOrders.ts", rq),
            ("src/hooks/useUsers.ts", rq2),
            ("src/hooks/useStats.ts", effect),
        ],
        "ARCH-PATTERNS",
    );
    let f = one_at(&findings, "src/hooks/useStats.ts", 1);
    assert!(
        f.message.contains("useEffect + useState") && f.message.contains("React Query"),
        "{}",
        f.message
    );
}

#[test]
fn one_family_per_concern_per_language_and_effect_subscriptions_are_not_competing_patterns() {
    let fns = "import { format } from \"date-fns\";\nexport const day = (d: Date) => format(d, \"PP\");\n";
    let tz = "import { formatInTimeZone } from \"date-fns-tz\";\nexport const local = (d: Date, tz: string) => formatInTimeZone(d, tz, \"PP\");\n";
    let zod =
        "import { z } from \"zod\";\nexport const Signup = z.object({ email: z.string() });\n";
    let pydantic = "from pydantic import BaseModel\n\nclass Signup(BaseModel):\n    email: str\n";
    let rq = "import { useQuery } from \"@tanstack/react-query\";\nexport const useOrders = () => useQuery({ queryKey: [\"o\"], queryFn: () => fetch(\"/api/orders\").then((r) => r.json()) });\n";
    let auth = r#"import { useEffect, useState } from "react";
import { supabase } from "@/lib/supabase";
export function useSession() {
  const [session, setSession] = useState(null);
  useEffect(() => {
    const { data } = supabase.auth.onAuthStateChange((_e, s) => {
      setSession(s);
      supabase.from("profiles").select("*").eq("id", s?.user.id);
    });
    return () => data.subscription.unsubscribe();
  }, []);
  return session;
}
"#;
    none(&check(
        &[
            ("src/lib/dates.ts", fns),
            ("src/lib/tz.ts", tz),
            ("src/schemas/signup.ts", zod),
            ("api/schemas.py", pydantic),
            ("src/hooks/useOrders.ts", rq),
            ("src/hooks/useSession.ts", auth),
            ("src/lib/supabase.ts", SUPABASE),
        ],
        "ARCH-PATTERNS",
    ));
}

// ------------------------------------------------------------------------------ ARCH-FAKE-DONE

#[test]
fn a_simulated_payment_on_a_page_path_is_placeholder_behaviour() {
    let payments = r#"export async function chargeCard(amount: number) {
  // Simulate API call to the payment provider
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return { success: true, transactionId: "txn_123" };
}
"#;
    let page = "import { chargeCard } from \"../lib/payments\";\nexport default function Checkout() { return <button onClick={() => chargeCard(10)}>Pay</button>; }\n";
    let findings = check(
        &[
            ("src/lib/payments.ts", payments),
            ("src/pages/Checkout.tsx", page),
        ],
        "ARCH-FAKE-DONE",
    );
    let f = one_at(&findings, "src/lib/payments.ts", 2);
    assert_eq!(f.severity, Severity::High);
    assert!(
        f.message.contains("Simulate API call") && f.message.contains("src/pages/Checkout.tsx"),
        "{}",
        f.message
    );
    assert_eq!(f.class, Class::LoadBearing, "{}", f.class_reason);
}

#[test]
fn mock_data_and_todo_returns_in_production_code_are_reported_and_ranked_by_reach() {
    let orders = r#"const mockOrders = [
  { id: "1", customer: "Acme", total: 120 },
  { id: "2", customer: "Globex", total: 80 },
];
export default function Orders() { return <ul>{mockOrders.length}</ul>; }
"#;
    let py = "def refund(order_id: str):\n    # TODO: call Stripe for real\n    return {\"status\": \"refunded\"}\n";
    let findings = check(
        &[
            ("src/pages/Orders.tsx", orders),
            ("services/billing/refunds.py", py),
        ],
        "ARCH-FAKE-DONE",
    );
    let page = one_at(&findings, "src/pages/Orders.tsx", 1);
    assert!(page.message.contains("mockOrders"), "{}", page.message);
    let refund = one_at(&findings, "services/billing/refunds.py", 2);
    assert!(
        refund.message.contains("TODO: call Stripe for real"),
        "{}",
        refund.message
    );
    assert_eq!(
        refund.severity,
        Severity::Low,
        "nothing imports the refund module: it ranks last"
    );
    assert_eq!(findings.len(), 2, "{}", super::show(&findings));
}

#[test]
fn input_placeholders_honest_limits_not_implemented_errors_and_test_mocks_are_fine() {
    let form = r#"export default function Signup() {
  // for now, only USD is supported
  const currency = "usd";
  if (currency !== "usd") throw new Error("Unsupported currency");
  return <input type="email" placeholder="you@example.com" />;
}
"#;
    let unimplemented = "export function exportPdf() {\n  // Not implemented yet: fail loudly instead of pretending.\n  throw new Error(\"PDF export is not implemented\");\n}\n";
    let mock = "export const mockOrders = [{ id: \"1\", total: 10 }];\n";
    let options = "export const fields = [{ name: \"email\", placeholder: \"jane@example.com\", label: \"Email\" }];\n";
    none(&check(
        &[
            ("src/pages/Signup.tsx", form),
            ("src/lib/pdf.ts", unimplemented),
            ("src/__mocks__/orders.ts", mock),
            ("src/components/fields.ts", options),
            ("src/pages/Orders.test.tsx", "import { mockOrders } from \"../__mocks__/orders\";\nit(\"renders\", () => expect(mockOrders).toHaveLength(1));\n"),
        ],
        "ARCH-FAKE-DONE",
    ));
}
