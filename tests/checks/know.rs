//! KNOW detectors: a true positive and a near-miss negative for every item. The history items
//! build repositories with `RepoBuilder` and run the whole pipeline.

use plumb::checks::Class;
use plumb::fixture::{Author, RepoBuilder};

use super::{analyse_repo, check, none, one_at};

const DAY: i64 = 86_400;
const T0: i64 = 1_740_000_000;

fn lovable() -> Author {
    Author::new(
        "lovable-dev[bot]",
        "lovable-dev[bot]@users.noreply.github.com",
    )
}

fn maya() -> Author {
    Author::new("Maya Chen", "maya@example.com")
}

fn sam() -> Author {
    Author::new("Sam Okafor", "sam@example.com")
}

fn contractor() -> Author {
    Author::new("Dmitri Volkov", "dmitri@contractor.dev")
}

const WEBHOOK: &str = r#"import Stripe from "https://esm.sh/stripe@14.21.0?target=deno";
import { createClient } from "https://esm.sh/@supabase/supabase-js@2.45.4";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
const admin = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_SERVICE_ROLE_KEY")!);
Deno.serve(async (req) => {
  const event = await req.json();
  await admin.from("payments").insert({ event_id: event.id });
  return new Response("ok");
});
"#;

const FORMAT: &str = "export const money = (n: number) => `$${n.toFixed(2)}`;\n";

/// A Lovable-built app: the bot writes the webhook and the badge; the founder writes the
/// formatting helper. `human_fix`: the founder later changes the webhook by hand.
fn lovable_repo(human_fix: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    repo.write("supabase/functions/stripe-webhook/index.ts", WEBHOOK)
        .write(
            "src/components/Badge.tsx",
            "export default function Badge({ s }: { s: string }) { return <span>{s}</span>; }\n",
        );
    repo.commit(&lovable(), T0, "Add Stripe webhook").unwrap();
    repo.write("src/lib/format.ts", FORMAT);
    repo.commit(&maya(), T0 + DAY, "Money formatting").unwrap();
    repo.write(
        "supabase/functions/stripe-webhook/index.ts",
        format!("{WEBHOOK}// log event ids\n"),
    );
    repo.commit(
        &maya(),
        T0 + 2 * DAY,
        "Log Stripe event ids\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
    )
    .unwrap();
    if human_fix {
        repo.write(
            "supabase/functions/stripe-webhook/index.ts",
            format!("{WEBHOOK}// reviewed\n"),
        );
        repo.commit(&maya(), T0 + 3 * DAY, "Review the webhook")
            .unwrap();
    }
    dir
}

#[test]
fn agent_only_payment_code_gets_a_finding_and_the_repository_a_headline() {
    let dir = lovable_repo(false);
    let findings = analyse_repo(dir.path(), "KNOW-AI");
    let headline = one_at(&findings, "", 0);
    assert!(
        headline.message.contains("last changed by a coding agent"),
        "{}",
        headline.message
    );
    assert!(
        headline
            .evidence
            .facts
            .iter()
            .any(|f| f.starts_with("headline:")),
        "{:?}",
        headline.evidence.facts
    );
    assert!(
        headline
            .evidence
            .facts
            .iter()
            .any(|f| f.starts_with("supabase/functions: 100%")),
        "{:?}",
        headline.evidence.facts
    );
    assert!(
        headline
            .evidence
            .facts
            .iter()
            .any(|f| f.starts_with("src/lib: 0%")),
        "{:?}",
        headline.evidence.facts
    );
    assert!(!headline.evidence.searched.is_empty());
    assert_eq!(headline.class, Class::LoadBearing);
    let webhook = one_at(&findings, "supabase/functions/stripe-webhook/index.ts", 0);
    assert!(
        webhook
            .message
            .contains("all 2 of its commits were made by coding agents"),
        "{}",
        webhook.message
    );
    assert!(
        webhook.message.contains("Claude") && webhook.message.contains("Lovable"),
        "{}",
        webhook.message
    );
    assert_eq!(webhook.class, Class::LoadBearing);
    // The badge is agent-only too, but it does nothing load-bearing: the headline counts it.
    assert_eq!(findings.len(), 2, "{}", super::show(&findings));
}

#[test]
fn a_person_changing_the_webhook_by_hand_takes_it_off_the_list() {
    let dir = lovable_repo(true);
    let findings = analyse_repo(dir.path(), "KNOW-AI");
    assert!(
        findings
            .iter()
            .all(|f| f.path != "supabase/functions/stripe-webhook/index.ts"),
        "{}",
        super::show(&findings)
    );
    let headline = one_at(&findings, "", 0);
    assert_eq!(headline.class, Class::Cosmetic, "{}", headline.class_reason);
}

#[test]
fn a_repository_without_agent_commits_has_no_agent_finding() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    repo.write("supabase/functions/stripe-webhook/index.ts", WEBHOOK)
        .write("src/lib/format.ts", FORMAT);
    repo.commit(&maya(), T0, "Webhook").unwrap();
    none(&analyse_repo(dir.path(), "KNOW-AI"));
}

const REPORTS_MAIN: &str = r#"from fastapi import FastAPI
from .db import get_conn

app = FastAPI()

@app.get("/reports/revenue")
def revenue(org_id: str):
    with get_conn() as conn, conn.cursor() as cur:
        cur.execute("select sum(amount) from invoices where org_id = %s", (org_id,))
        return {"revenue": cur.fetchone()[0]}
"#;

/// A contractor writes the reports service and leaves; the founder keeps working elsewhere.
/// `founder_touches`: the founder later edits the service's main module.
fn contractor_repo(founder_touches: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    repo.write("services/reports/main.py", REPORTS_MAIN)
        .write(
            "services/reports/db.py",
            "import psycopg2\n\ndef get_conn():\n    return psycopg2.connect('')\n",
        )
        .write("services/reports/__init__.py", "");
    repo.commit(&contractor(), T0, "Reports service").unwrap();
    repo.write(
        "services/reports/main.py",
        format!("{REPORTS_MAIN}\n# top customers\n"),
    );
    repo.commit(&contractor(), T0 + DAY, "Top customers")
        .unwrap();
    for n in 0..4 {
        repo.write("src/lib/format.ts", format!("{FORMAT}// {n}\n"));
        repo.commit(&maya(), T0 + (200 + n) * DAY, &format!("Formatting {n}"))
            .unwrap();
    }
    if founder_touches {
        repo.write("services/reports/main.py", format!("{REPORTS_MAIN}\n# reviewed by Maya\n"))
            .write("services/reports/db.py", "import os\nimport psycopg2\n\ndef get_conn():\n    return psycopg2.connect(os.environ['DATABASE_URL'])\n");
        repo.commit(&maya(), T0 + 210 * DAY, "Read the DSN from the environment")
            .unwrap();
    }
    dir
}

#[test]
fn a_service_written_only_by_a_departed_contractor_is_one_area_finding() {
    let dir = contractor_repo(false);
    let findings = analyse_repo(dir.path(), "KNOW-BUS");
    assert_eq!(findings.len(), 1, "{}", super::show(&findings));
    let f = one_at(&findings, "services/reports/main.py", 0);
    assert!(
        f.message.contains("All of services/reports/") && f.message.contains("Dmitri Volkov"),
        "{}",
        f.message
    );
    // The contractor's last commit, T0 + 1 day: 2025-02-20 (UTC).
    assert!(f.message.contains("2025-02-20"), "{}", f.message);
    assert!(f
        .evidence
        .related
        .iter()
        .any(|r| r.path == "services/reports/db.py"));
}

#[test]
fn a_departed_contractors_code_the_founder_has_since_changed_is_known_again() {
    let dir = contractor_repo(true);
    none(&analyse_repo(dir.path(), "KNOW-BUS"));
}

/// Two active people; the founder alone has ever changed the billing webhook.
fn team_repo(sam_helps: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    for n in 0..3 {
        repo.write(
            "supabase/functions/stripe-webhook/index.ts",
            format!("{WEBHOOK}// {n}\n"),
        );
        repo.commit(&maya(), T0 + n * DAY, &format!("Webhook {n}"))
            .unwrap();
    }
    for n in 0..3 {
        repo.write("src/lib/format.ts", format!("{FORMAT}// {n}\n"));
        repo.commit(&sam(), T0 + (5 + n) * DAY, &format!("Format {n}"))
            .unwrap();
    }
    if sam_helps {
        repo.write(
            "supabase/functions/stripe-webhook/index.ts",
            format!("{WEBHOOK}// paired\n"),
        );
        repo.commit(&sam(), T0 + 9 * DAY, "Pair on the webhook")
            .unwrap();
    }
    dir
}

#[test]
fn payment_code_only_one_of_two_active_people_has_changed_is_a_bus_factor_of_one() {
    let dir = team_repo(false);
    let findings = analyse_repo(dir.path(), "KNOW-BUS");
    let f = one_at(&findings, "supabase/functions/stripe-webhook/index.ts", 0);
    assert!(
        f.message.contains("Only Maya Chen has ever changed"),
        "{}",
        f.message
    );
    assert_eq!(f.class, Class::LoadBearing);
    // format.ts is Sam's alone too, but it is not load-bearing.
    assert_eq!(findings.len(), 1, "{}", super::show(&findings));
}

#[test]
fn a_second_person_on_the_webhook_or_a_solo_founder_is_not_a_bus_finding() {
    none(&analyse_repo(team_repo(true).path(), "KNOW-BUS"));
    // A solo founder owns everything: that is the company, not a finding per file.
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    for n in 0..4 {
        repo.write(
            "supabase/functions/stripe-webhook/index.ts",
            format!("{WEBHOOK}// {n}\n"),
        );
        repo.commit(&maya(), T0 + n * DAY, &format!("Webhook {n}"))
            .unwrap();
    }
    none(&analyse_repo(dir.path(), "KNOW-BUS"));
}

const LOVABLE_README: &str = "# Welcome to your Lovable project\n\n## Project info\n\n**URL**: https://lovable.dev/projects/0000\n\n## How can I edit this code?\n";

#[test]
fn a_readme_still_the_lovable_or_cra_template_is_no_written_map() {
    let findings = check(
        &[
            ("README.md", LOVABLE_README),
            ("src/main.tsx", "console.log(1);\n"),
        ],
        "KNOW-DOCS",
    );
    let f = one_at(&findings, "README.md", 1);
    assert!(
        f.message.contains("Lovable template")
            && f.message.contains("no architecture notes")
            && f.message.contains("no runbook"),
        "{}",
        f.message
    );
    assert!(!f.evidence.searched.is_empty());
    let cra = "# Getting Started with Create React App\n\nThis project was bootstrapped with [Create React App](https://github.com/facebook/create-react-app).\n";
    let findings = check(
        &[
            ("README.md", cra),
            ("docs/ARCHITECTURE.md", "# How it fits together\n"),
        ],
        "KNOW-DOCS",
    );
    let f = one_at(&findings, "README.md", 1);
    assert!(
        f.message.contains("Create React App template") && !f.message.contains("architecture"),
        "{}",
        f.message
    );
}

#[test]
fn no_readme_at_all_is_a_repository_level_finding_with_what_was_searched() {
    let findings = check(&[("src/main.tsx", "console.log(1);\n")], "KNOW-DOCS");
    let f = one_at(&findings, "", 0);
    assert!(f.message.contains("there is no README"), "{}", f.message);
    assert!(
        f.evidence
            .searched
            .iter()
            .any(|s| s.contains("documentation files")),
        "{:?}",
        f.evidence.searched
    );
}

#[test]
fn a_written_readme_with_architecture_notes_and_a_runbook_is_a_map() {
    let readme = "# Invoicely\n\nInvoicing for small agencies.\n\n## Running locally\n\n`npm i && npm run dev`\n\n## Architecture\n\nReact client, Supabase functions, a FastAPI reports service.\n";
    none(&check(
        &[
            ("README.md", readme),
            ("docs/runbook.md", "# Runbook\n\n## Rollback\n"),
            ("src/main.tsx", "console.log(1);\n"),
        ],
        "KNOW-DOCS",
    ));
}
