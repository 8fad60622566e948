//! LIFE detectors: a true positive and a near-miss negative for every item.

use plumb::checks::{Class, Severity};

use super::{check, none, one_at};

const SCHEMA: &str = r#"create table public.organizations (id uuid primary key, name text not null);
create table public.profiles (
  id uuid primary key references auth.users(id) on delete cascade,
  org_id uuid references public.organizations(id),
  email text not null,
  full_name text
);
create table public.projects (
  id uuid primary key,
  org_id uuid not null references public.organizations(id),
  name text
);
create table public.tasks (
  id uuid primary key,
  project_id uuid not null references public.projects(id) on delete cascade
);
"#;

const SETTINGS_PAGE: &str = r#"import { supabase } from "@/lib/supabase";
export default function Settings() {
  const save = async (name: string) => { await supabase.from("profiles").update({ full_name: name }).eq("id", "me"); };
  return <button onClick={() => save("x")}>Save</button>;
}
"#;

#[test]
fn personal_data_with_no_deletion_path_is_a_repository_level_finding() {
    let findings = check(
        &[
            ("supabase/migrations/20250101000000_init.sql", SCHEMA),
            ("src/pages/Settings.tsx", SETTINGS_PAGE),
        ],
        "LIFE-DELETE",
    );
    let f = one_at(&findings, "", 0);
    assert!(f.message.contains("profiles.email"), "{}", f.message);
    assert!(
        f.evidence
            .searched
            .iter()
            .any(|s| s.contains("auth.admin.deleteUser")),
        "{:?}",
        f.evidence.searched
    );
    let facts = f.evidence.facts.join("\n");
    assert!(
        facts.contains("projects.org_id references public.organizations without ON DELETE CASCADE"),
        "{facts}"
    );
    assert!(facts.contains("profiles.org_id"), "{facts}");
    // Cascades that exist are not reported.
    assert!(
        !facts.contains("tasks.project_id") && !facts.contains("profiles.id"),
        "{facts}"
    );
    assert_eq!(f.class, Class::LoadBearing);
}

#[test]
fn an_edge_function_deleting_the_auth_user_is_a_deletion_path() {
    let delete_account = r#"import { supabaseAdmin } from "../_shared/supabaseAdmin.ts";
Deno.serve(async (req) => {
  const { data: { user } } = await supabaseAdmin.auth.getUser(req.headers.get("Authorization")!.replace("Bearer ", ""));
  if (!user) return new Response("unauthorized", { status: 401 });
  await supabaseAdmin.auth.admin.deleteUser(user.id);
  return new Response(null, { status: 204 });
});
"#;
    none(&check(
        &[
            ("supabase/migrations/20250101000000_init.sql", SCHEMA),
            ("supabase/functions/delete-account/index.ts", delete_account),
            ("src/pages/Settings.tsx", SETTINGS_PAGE),
        ],
        "LIFE-DELETE",
    ));
}

#[test]
fn a_django_view_deleting_the_user_is_a_deletion_path() {
    let views = r#"from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

@login_required
def close_account(request):
    request.user.delete()
    return redirect("/")
"#;
    let models = "from django.db import models\n\nclass Profile(models.Model):\n    email = models.EmailField()\n";
    let files = [
        ("accounts/views.py", views),
        ("accounts/models.py", models),
        ("db/migrations/0001_init.sql", SCHEMA),
    ];
    none(&check(&files, "LIFE-DELETE"));
    // The same project without the view has no deletion path.
    one_at(&check(&files[1..], "LIFE-DELETE"), "", 0);
}

#[test]
fn personal_data_in_logs_outlives_an_account_deletion() {
    let signup = r#"import { supabase } from "@/lib/supabase";
export async function signUp(email: string, password: string, fullName: string) {
  const { data, error } = await supabase.auth.signUp({ email, password });
  console.log("new signup", { email, fullName });
  if (error) throw error;
  return data.user;
}
export async function deleteAccount() {
  await supabase.rpc("delete_my_account");
}
"#;
    let findings = check(
        &[
            ("supabase/migrations/20250101000000_init.sql", SCHEMA),
            ("src/lib/auth.ts", signup),
        ],
        "LIFE-DELETE",
    );
    let f = one_at(&findings, "src/lib/auth.ts", 4);
    assert!(
        f.message.contains("an email address") && f.message.contains("deletion exists"),
        "{}",
        f.message
    );
}

#[test]
fn logs_of_ids_and_masked_emails_are_not_personal_data() {
    let signup = r#"import { supabase } from "@/lib/supabase";
const maskEmail = (e: string) => e.replace(/^(.).*@/, "$1***@");
export async function signUp(email: string, password: string) {
  const { data } = await supabase.auth.signUp({ email, password });
  console.log("new signup", data.user?.id);
  console.info("welcome sent", maskEmail(email));
  return data.user;
}
export async function deleteAccount() {
  await supabase.rpc("delete_my_account");
}
"#;
    none(&check(
        &[
            ("supabase/migrations/20250101000000_init.sql", SCHEMA),
            ("src/lib/auth.ts", signup),
        ],
        "LIFE-DELETE",
    ));
}

#[test]
fn a_database_with_no_backup_configuration_is_an_absence_with_what_was_searched() {
    let findings = check(
        &[
            ("supabase/migrations/20250101000000_init.sql", SCHEMA),
            ("supabase/config.toml", "project_id = \"abc\"\n"),
            (".github/workflows/ci.yml", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm ci && npm run build\n"),
        ],
        "LIFE-BACKUP",
    );
    let f = one_at(&findings, "", 0);
    assert_eq!(f.severity, Severity::Critical);
    assert!(
        f.evidence
            .searched
            .iter()
            .any(|s| s.contains("CI workflows") && s.contains("Supabase config")),
        "{:?}",
        f.evidence.searched
    );
    assert!(
        f.evidence.facts.iter().any(|x| x.contains("Supabase")),
        "{:?}",
        f.evidence.facts
    );
}

#[test]
fn a_nightly_dump_workflow_or_terraform_retention_is_evidence_of_backups() {
    let workflow = "on:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n  dump:\n    runs-on: ubuntu-latest\n    steps:\n      - run: supabase db dump --db-url \"$DB_URL\" -f dump.sql\n";
    none(&check(
        &[
            ("supabase/migrations/20250101000000_init.sql", SCHEMA),
            (".github/workflows/nightly.yml", workflow),
        ],
        "LIFE-BACKUP",
    ));
    let terraform = "resource \"aws_db_instance\" \"main\" {\n  engine = \"postgres\"\n  backup_retention_period = 14\n}\n";
    none(&check(
        &[
            ("supabase/migrations/20250101000000_init.sql", SCHEMA),
            ("infra/db.tf", terraform),
        ],
        "LIFE-BACKUP",
    ));
    // A static site keeps no data to back up.
    none(&check(
        &[("src/main.ts", "document.body.textContent = \"hello\";\n")],
        "LIFE-BACKUP",
    ));
}
