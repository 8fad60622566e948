//! TIME detectors: a true positive and a near-miss negative for every shape of TIME-TZ.

use plumb::checks::Class;

use super::{check, none, one_at};

fn tz(files: &[(&str, &str)]) -> Vec<plumb::checks::Finding> {
    check(files, "TIME-TZ")
}

#[test]
fn server_local_formatting_of_a_due_date_in_an_edge_function_email() {
    let function = r#"import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";

Deno.serve(async () => {
  const { data: bookings } = await supabaseAdmin.from("bookings").select("id, email, starts_on");
  for (const b of bookings ?? []) {
    const when = new Date(b.starts_on).toLocaleDateString();
    await fetch("https://api.resend.com/emails", { method: "POST", body: JSON.stringify({ to: b.email, html: `See you on ${when}` }) });
  }
  return new Response("ok");
});
"#;
    let findings = tz(&[("supabase/functions/booking-reminders/index.ts", function)]);
    let f = one_at(
        &findings,
        "supabase/functions/booking-reminders/index.ts",
        6,
    );
    assert!(
        f.message.contains("date-only value") && f.message.contains("server"),
        "{}",
        f.message
    );
    assert_eq!(findings.len(), 1);
}

#[test]
fn month_boundaries_computed_in_server_time_decide_a_report() {
    let route = r#"import { prisma } from "@/lib/db";
export async function GET() {
  const start = new Date();
  start.setDate(1);
  start.setHours(0, 0, 0, 0);
  const paid = await prisma.invoice.aggregate({ _sum: { amount: true }, where: { paidAt: { gte: start } } });
  return Response.json({ paidThisMonth: paid._sum.amount });
}
"#;
    let findings = tz(&[("app/api/stats/monthly/route.ts", route)]);
    assert_eq!(findings.len(), 2, "{}", super::show(&findings));
    let f = one_at(&findings, "app/api/stats/monthly/route.ts", 4);
    assert!(f.message.contains("server's midnight"), "{}", f.message);
    assert_eq!(f.class, Class::LoadBearing, "{}", f.class_reason);
}

#[test]
fn date_fns_format_of_a_parsed_string_and_date_only_literals() {
    let format = r#"import { format } from "date-fns";
export const formatDueDate = (dueDate: string) => format(new Date(dueDate), "MMM d, yyyy");
export const trialEnds = new Date("2025-03-10");
"#;
    let findings = tz(&[("src/lib/dates.ts", format)]);
    assert_eq!(findings.len(), 2, "{}", super::show(&findings));
    one_at(&findings, "src/lib/dates.ts", 2);
    let literal = one_at(&findings, "src/lib/dates.ts", 3);
    assert!(
        literal.message.contains("midnight UTC"),
        "{}",
        literal.message
    );
}

#[test]
fn browser_formatting_of_instants_zoned_server_formatting_and_time_patterns_are_fine() {
    let component = r#"export function Activity({ createdAt }: { createdAt: string }) {
  return <time>{new Date(createdAt).toLocaleString()}</time>;
}
"#;
    let server = r#"Deno.serve(async (req) => {
  const { due_date } = await req.json();
  const shown = new Date(`${due_date}T00:00:00Z`).toLocaleDateString("en-US", { timeZone: "UTC" });
  const stamp = new Date().toISOString();
  return new Response(JSON.stringify({ shown, stamp }));
});
"#;
    let format = r#"import { format } from "date-fns";
export const stamp = (createdAt: string) => format(new Date(createdAt), "PPpp");
export const today = () => format(new Date(), "yyyy-MM-dd");
"#;
    none(&tz(&[
        ("src/components/Activity.tsx", component),
        ("supabase/functions/invoice-preview/index.ts", server),
        ("src/lib/format.ts", format),
        (
            "src/__tests__/dates.test.ts",
            "it(\"parses\", () => expect(new Date(\"2025-03-10\").getUTCDate()).toBe(10));\n",
        ),
    ]));
}

#[test]
fn naive_python_datetimes_and_sqlalchemy_columns_without_zone() {
    let py = r#"from datetime import datetime
from sqlalchemy import Column, DateTime, Integer
from app.db import Base

class Subscription(Base):
    __tablename__ = "subscriptions"
    id = Column(Integer, primary_key=True)
    renews_at = Column(DateTime, nullable=False)

def renew(sub):
    sub.renews_at = datetime.utcnow()
    return {"renewed": datetime.now().isoformat()}
"#;
    let findings = tz(&[("app/billing.py", py)]);
    assert_eq!(findings.len(), 3, "{}", super::show(&findings));
    let column = one_at(&findings, "app/billing.py", 8);
    assert!(
        column.message.contains("timezone=True"),
        "{}",
        column.message
    );
    let utcnow = one_at(&findings, "app/billing.py", 11);
    assert!(utcnow.message.contains("naive"), "{}", utcnow.message);
    one_at(&findings, "app/billing.py", 12);
}

#[test]
fn aware_python_datetimes_and_zoned_columns_are_fine() {
    let py = r#"from datetime import datetime, timezone
from zoneinfo import ZoneInfo
from django.utils import timezone as dj
from sqlalchemy import Column, DateTime

created_at = Column(DateTime(timezone=True), nullable=False)

def stamps():
    return [datetime.now(timezone.utc), datetime.now(tz=ZoneInfo("Europe/Paris")), dj.now(), datetime.fromtimestamp(0, timezone.utc)]
"#;
    none(&tz(&[
        ("app/stamps.py", py),
        ("settings.py", "USE_TZ = True\n"),
    ]));
}

#[test]
fn dates_stored_as_text_and_timestamps_without_zone_in_migrations() {
    let sql = r#"create table public.invoices (
  id uuid primary key default gen_random_uuid(),
  due_date text,
  sent_at timestamp,
  created_at timestamptz not null default now(),
  paid_on date
);
"#;
    let findings = tz(&[("supabase/migrations/20250101000000_invoices.sql", sql)]);
    assert_eq!(findings.len(), 2, "{}", super::show(&findings));
    let due = one_at(
        &findings,
        "supabase/migrations/20250101000000_invoices.sql",
        3,
    );
    assert!(
        due.message
            .contains("invoices.due_date holds dates as text"),
        "{}",
        due.message
    );
    assert_eq!(
        due.class,
        Class::LoadBearing,
        "a due date decides deadlines: {}",
        due.class_reason
    );
    one_at(
        &findings,
        "supabase/migrations/20250101000000_invoices.sql",
        4,
    );
}

#[test]
fn a_text_date_fixed_by_a_later_migration_is_not_reported() {
    let first = "create table public.invoices (id uuid primary key, due_date text);\n";
    let fix = "alter table public.invoices alter column due_date type date using due_date::date;\n";
    none(&tz(&[
        ("supabase/migrations/20250101000000_invoices.sql", first),
        ("supabase/migrations/20250201000000_due_date.sql", fix),
    ]));
}
