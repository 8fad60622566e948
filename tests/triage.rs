//! The triage session and the plan: the consultant's judgement survives re-analysis, findings
//! are matched by fingerprint across analyses, and the plan's horizons, order and totals follow
//! the catalogue's priority rules.

use plumb::catalogue::{Catalogue, Severity};
use plumb::checks::model::{Class, Finding};
use plumb::plan::{Facts, Horizon, Plan};
use plumb::triage::{PlanEdit, Status, Triage, TriageError, Verdict};

use crate::support::Fixture;

const NOW: i64 = 1_764_000_000;

/// A finding as a detector would report it; `path` empty for a repository-wide one.
fn finding(item: &str, path: &str, class: Class, severity: Severity, money: bool) -> Finding {
    serde_json::from_value(serde_json::json!({
        "fingerprint": blake3::hash(format!("{item}|{path}").as_bytes()).to_hex().to_string(),
        "item": item,
        "path": path,
        "line": if path.is_empty() { 0 } else { 12 },
        "end_line": if path.is_empty() { 0 } else { 14 },
        "class": class,
        "class_reason": "on the payment path",
        "severity": severity,
        "confidence": "high",
        "message": format!("{item} in {path}"),
        "evidence": {},
        "exposure": { "money": money, "auth": false, "data_write": false, "reachable_from_entry": true, "client": false,
                      "test": false, "fan_in": 2, "pagerank": 0.01, "pagerank_percentile": 0.5, "revisions_in_window": 3, "agent_share": 1.0 }
    }))
    .unwrap()
}

fn webhook() -> Finding {
    finding("PAY-WEBHOOK-SIG", "supabase/functions/stripe-webhook/index.ts", Class::LoadBearing, Severity::Critical, true)
}

fn plan_of(triage: &Triage) -> Plan {
    let engagement = triage.current().unwrap();
    let tracked = triage.tracked(engagement.id).unwrap();
    plumb::plan::build("shop", &engagement, &tracked, &triage.judgement().unwrap(), &Catalogue::builtin(), &Facts::default())
}

fn horizon_of(plan: &Plan, fingerprint: &str) -> Option<Horizon> {
    plan.lines().find(|l| l.fingerprint == fingerprint).map(|l| l.horizon)
}

fn open_triage(fx: &Fixture) -> Triage {
    Triage::open(&fx.workspace()).unwrap()
}

#[test]
fn verdicts_survive_reanalysis_and_findings_are_matched_by_fingerprint() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(Some("Invoicely Ltd"), Some("R. Consultant"), NOW).unwrap();
    let fixed = finding("DATA-INDEX", "src/lib/invoices.ts", Class::LoadBearing, Severity::High, false);
    triage.record_analysis(Some("aaaa"), &[webhook(), fixed.clone()], NOW).unwrap();
    triage.set_verdict(&webhook().fingerprint[..10], Some(Verdict::LoadBearing), Some("charges twice on retries"), NOW + 1).unwrap();

    let added = finding("SEC-XSS", "src/components/Note.tsx", Class::LoadBearing, Severity::High, false);
    let r = triage.record_analysis(Some("bbbb"), &[webhook(), added.clone()], NOW + 100).unwrap();
    assert_eq!(r.new, vec![added.fingerprint.clone()]);
    assert_eq!(r.resolved, vec![fixed.fingerprint.clone()]);
    assert_eq!(r.open, 2);

    // A reopened database sees the same state: nothing lived only in memory.
    drop(triage);
    let triage = open_triage(&fx);
    let engagement = triage.current().unwrap();
    assert_eq!((engagement.commit.as_deref(), engagement.analyses, engagement.client.as_str()), (Some("bbbb"), 2, "Invoicely Ltd"));
    let status = |fp: &str| triage.tracked(engagement.id).unwrap().into_iter().find(|t| t.finding.fingerprint == fp).unwrap().status;
    assert_eq!(status(&webhook().fingerprint), Status::Open);
    assert_eq!(status(&fixed.fingerprint), Status::Resolved);
    assert_eq!(status(&added.fingerprint), Status::New);
    let verdict = &triage.judgement().unwrap().verdicts[&webhook().fingerprint];
    assert_eq!((verdict.verdict, verdict.note.as_deref()), (Verdict::LoadBearing, Some("charges twice on retries")));

    let plan = plan_of(&triage);
    assert!(plan.lines().all(|l| l.fingerprint != fixed.fingerprint), "a resolved finding is not planned");
    assert_eq!(plan.resolved.len(), 1);
    assert_eq!((plan.headline.new, plan.headline.resolved), (1, 1));
    assert_eq!(triage.integrity_check().unwrap(), "ok");
}

#[test]
fn verdicts_and_answers_decide_what_the_plan_contains() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(None, None, NOW).unwrap();
    let cosmetic = finding("ARCH-GOD", "src/pages/Dashboard.tsx", Class::Cosmetic, Severity::Low, false);
    let xss = finding("SEC-XSS", "src/components/Note.tsx", Class::LoadBearing, Severity::High, false);
    let cors = finding("SEC-CORS", "supabase/functions/api/index.ts", Class::LoadBearing, Severity::High, false);
    triage.record_analysis(None, &[webhook(), cosmetic.clone(), xss.clone(), cors.clone()], NOW).unwrap();

    let plan = plan_of(&triage);
    assert_eq!(horizon_of(&plan, &webhook().fingerprint), Some(Horizon::BeforeSpike));
    assert_eq!(horizon_of(&plan, &cosmetic.fingerprint), Some(Horizon::CanRide));

    // The consultant's class wins over the engine's proposal.
    triage.set_verdict(&cosmetic.fingerprint, Some(Verdict::LoadBearing), None, NOW).unwrap();
    triage.set_verdict(&xss.fingerprint, Some(Verdict::Dismissed), Some("React escapes it"), NOW).unwrap();
    triage.set_verdict(&cors.fingerprint, Some(Verdict::Accepted), Some("public API by design"), NOW).unwrap();
    let plan = plan_of(&triage);
    assert_ne!(horizon_of(&plan, &cosmetic.fingerprint), Some(Horizon::CanRide));
    assert_eq!(horizon_of(&plan, &xss.fingerprint), None);
    assert_eq!(plan.dismissed[0].reason, "React escapes it");
    assert_eq!(plan.accepted[0].reason, "public API by design");
    assert_eq!((plan.headline.dismissed, plan.headline.accepted), (1, 1));

    // "We take no payments" retires the payment items.
    triage.set_answer("PAY-WEBHOOK-SIG", "Stripe was removed in March", true, NOW).unwrap();
    let plan = plan_of(&triage);
    assert_eq!(horizon_of(&plan, &webhook().fingerprint), None);
    assert!(plan.not_applicable[0].reason.contains("Stripe was removed"));
    let entry = plan.checklist.iter().flat_map(|a| &a.items).find(|i| i.id == "PAY-WEBHOOK-SIG").unwrap();
    assert!(entry.not_applicable);
    assert_eq!(entry.answer.as_deref(), Some("Stripe was removed in March"));

    // Clearing a verdict brings the engine's proposal back.
    triage.set_verdict(&xss.fingerprint, None, None, NOW).unwrap();
    assert_eq!(horizon_of(&plan_of(&triage), &xss.fingerprint), Some(Horizon::ThisQuarter), "high, off the sensitive paths");
}

#[test]
fn every_line_shows_its_priority_factors_and_ranks_follow_them() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(None, None, NOW).unwrap();
    let medium = finding("DATA-UNBOUNDED", "src/lib/reports.ts", Class::LoadBearing, Severity::High, true);
    triage.record_analysis(None, &[medium.clone(), webhook()], NOW).unwrap();
    let plan = plan_of(&triage);
    let lines: Vec<_> = plan.horizons[0].lines.iter().collect();
    assert_eq!(lines[0].fingerprint, webhook().fingerprint, "critical on the money path comes first");
    let top = lines[0];
    assert_eq!(top.factors.impact.score, 5.0);
    assert!(top.factors.impact.why.contains("money"), "{}", top.factors.impact.why);
    let expected = top.factors.impact.score * (1.0 + top.factors.exposure.score + top.factors.likelihood.score) * top.factors.confidence.score / top.factors.effort.score;
    assert!((top.priority - expected).abs() < 0.06, "{} vs {expected}", top.priority);
    assert!(lines[0].priority > lines[1].priority);
    assert_eq!((lines[0].rank, lines[1].rank), (1, 2));
    let payments = plan.workstreams.iter().find(|w| w.title == "Payments").unwrap();
    assert_eq!(payments.lines, 1);
    assert!(payments.effort.low > 0.0 && payments.effort.high >= payments.effort.low);
}

#[test]
fn observability_and_tests_come_before_load_bearing_changes() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(None, None, NOW).unwrap();
    let tracking = finding("OBS-ERROR-TRACKING", "", Class::Cosmetic, Severity::Medium, false);
    let test_gap = finding("TEST-CRITICAL", "supabase/functions/stripe-webhook/index.ts", Class::Cosmetic, Severity::Medium, false);
    let unrelated = finding("TEST-CRITICAL", "src/lib/format.ts", Class::Cosmetic, Severity::Medium, false);
    triage.record_analysis(None, &[webhook(), tracking.clone(), test_gap.clone(), unrelated.clone()], NOW).unwrap();
    let plan = plan_of(&triage);
    let spike: Vec<&str> = plan.horizons[0].lines.iter().map(|l| l.fingerprint.as_str()).collect();
    let at = |fp: &str| spike.iter().position(|f| *f == fp);
    let webhook_at = at(&webhook().fingerprint).unwrap();
    assert!(at(&tracking.fingerprint).unwrap() < webhook_at, "error tracking before the webhook fix: {spike:?}");
    assert!(at(&test_gap.fingerprint).unwrap() < webhook_at, "the webhook's tests before its fix");
    assert_eq!(horizon_of(&plan, &unrelated.fingerprint), Some(Horizon::CanRide), "a test gap elsewhere is not promoted");
    let line = plan.lines().find(|l| l.fingerprint == webhook().fingerprint).unwrap();
    assert_eq!(line.after.len(), 2);
    assert!(line.after_reason.as_deref().unwrap().contains("safety net"));
    let promoted = plan.lines().find(|l| l.fingerprint == tracking.fingerprint).unwrap();
    assert!(promoted.horizon_reason.as_deref().unwrap().contains("promoted"));
}

#[test]
fn plan_edits_reorder_move_and_resize_lines() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(None, None, NOW).unwrap();
    let a = finding("DATA-UNBOUNDED", "src/lib/a.ts", Class::LoadBearing, Severity::Critical, false);
    let b = finding("DATA-UNBOUNDED", "src/lib/b.ts", Class::LoadBearing, Severity::Critical, false);
    triage.record_analysis(None, &[webhook(), a.clone(), b.clone()], NOW).unwrap();
    let order = vec![b.fingerprint.clone(), a.fingerprint.clone(), webhook().fingerprint];
    triage.reorder("before-spike", &order, NOW).unwrap();
    let plan = plan_of(&triage);
    let got: Vec<String> = plan.horizons[0].lines.iter().map(|l| l.fingerprint.clone()).collect();
    assert_eq!(got, order);

    triage
        .edit_plan(&a.fingerprint, &PlanEdit { effort: Some(plumb::catalogue::Effort::L), owner: Some("Dana".into()), horizon: Some("this-quarter".into()), ..triage.judgement().unwrap().edits[&a.fingerprint].clone() }, NOW)
        .unwrap();
    let plan = plan_of(&triage);
    let line = plan.lines().find(|l| l.fingerprint == a.fingerprint).unwrap();
    assert_eq!((line.horizon, line.owner.as_deref(), line.effort_days.low), (Horizon::ThisQuarter, Some("Dana"), 5.0));
    assert!(line.factors.effort.why.contains("consultant"));
    let f = &line.factors;
    let expected = f.impact.score * (1.0 + f.exposure.score + f.likelihood.score) * f.confidence.score / 2.0;
    assert!((line.priority - expected).abs() < 0.06, "the priority follows the consultant's effort: {} vs {expected}", line.priority);
    assert_eq!(plan.horizons[1].effort.high, 10.0, "totals follow the edit");

    assert!(matches!(triage.reorder("someday", &order, NOW), Err(TriageError::Invalid(_))));
    assert!(matches!(triage.set_verdict("ffffffffffff", Some(Verdict::Cosmetic), None, NOW), Err(TriageError::UnknownFinding(_))));
    assert!(matches!(triage.set_note("PAY-WEBHOOK-SIG", "bad \u{7} bell", NOW), Err(TriageError::Invalid(_))));
}

#[test]
fn a_follow_up_engagement_gives_a_progress_report() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(Some("Invoicely"), None, NOW).unwrap();
    let fixed = finding("DATA-INDEX", "src/lib/invoices.ts", Class::LoadBearing, Severity::High, false);
    triage.record_analysis(Some("aaaa"), &[webhook(), fixed.clone()], NOW).unwrap();
    let first = triage.current().unwrap();
    let second = triage.start_engagement("Invoicely", "", NOW + 86_400 * 90).unwrap();
    assert_ne!(first.id, second.id);
    let added = finding("SEC-XSS", "src/components/Note.tsx", Class::LoadBearing, Severity::High, false);
    triage.record_analysis(Some("cccc"), &[webhook(), added], NOW + 86_400 * 90).unwrap();
    let report = plumb::plan::progress(
        "shop",
        (&first, &triage.tracked(first.id).unwrap()),
        (&second, &triage.tracked(second.id).unwrap()),
        &Catalogue::builtin(),
    );
    assert_eq!((report.fixed.len(), report.new.len(), report.still_open.len()), (1, 1, 1));
    assert_eq!(report.fixed[0].path, "src/lib/invoices.ts");
    assert_eq!(report.still_open[0].item, "PAY-WEBHOOK-SIG");
}

#[test]
fn the_cli_triages_records_verdicts_and_answers_and_prints_the_plan() {
    let fx = Fixture::new();
    fx.create(
        "supabase/functions/stripe-webhook/index.ts",
        r#"import Stripe from "https://esm.sh/stripe@14";
const stripe = new Stripe(Deno.env.get("STRIPE_SECRET_KEY")!);
Deno.serve(async (req) => {
  const event = JSON.parse(await req.text());
  if (event.type === "checkout.session.completed") {
    await fetch("https://api.example.com/credit", { method: "POST", body: JSON.stringify(event.data) });
  }
  return new Response("ok");
});
"#,
    );
    let out = fx.plumb_repo("triage", &["--client", "Acme <Pets>", "--format", "json"]);
    let json = out.json();
    let plan = &json["plan"];
    assert_eq!(plan["engagement"]["client"], "Acme <Pets>");
    let line = plan["horizons"].as_array().unwrap().iter().flat_map(|h| h["lines"].as_array().unwrap()).find(|l| l["item"] == "PAY-WEBHOOK-SIG").expect("the unverified webhook is planned").clone();
    let fingerprint = line["fingerprint"].as_str().unwrap();

    fx.plumb_repo("verdict", &[&fingerprint[..12], "accepted", "--note", "test mode only"]).ok();
    fx.plumb_repo("answer", &["pay-idemp-key", "We use Stripe Checkout only"]).ok();
    let plan = fx.plumb_repo("plan", &["--format", "json"]).json();
    assert_eq!(plan["accepted"][0]["reason"], "test mode only");
    let entry = plan["checklist"].as_array().unwrap().iter().flat_map(|a| a["items"].as_array().unwrap()).find(|i| i["id"] == "PAY-IDEMP-KEY").unwrap().clone();
    assert_eq!(entry["answer"], "We use Stripe Checkout only");

    // Re-analysis keeps the verdict.
    fx.plumb_repo("triage", &["--format", "json"]).ok();
    let plan = fx.plumb_repo("plan", &["--format", "json"]).json();
    assert_eq!(plan["accepted"][0]["fingerprint"], fingerprint);
    assert!(fx.plumb_repo("plan", &[]).ok().contains("Before the next traffic spike"));

    let bad = fx.plumb_repo("verdict", &["0000000000", "cosmetic"]);
    assert_eq!(bad.code(), 2);
    assert!(bad.stderr().contains("no finding with fingerprint"), "{}", bad.stderr());
    let bad = fx.plumb_repo("answer", &["NOPE-1", "x"]);
    assert_eq!(bad.code(), 2);
    let bad = fx.plumb_repo("triage", &["--export", "plan.docx"]);
    assert_eq!(bad.code(), 2);
    assert!(bad.stderr().contains(".html"), "{}", bad.stderr());
}

#[test]
fn exports_escape_repository_text_stay_self_contained_and_never_land_in_the_repository() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(Some("Acme & <Sons>"), Some("R. Consultant"), NOW).unwrap();
    let mut hostile = finding("SEC-XSS", "src/<script>alert(1)</script>.tsx", Class::LoadBearing, Severity::High, false);
    hostile.message = "innerHTML gets <img src=x onerror=alert(1)> from `user` *input*".into();
    hostile.evidence.excerpt = Some(plumb::checks::model::Excerpt {
        path: hostile.path.clone(),
        start_line: 11,
        lines: vec!["const key = 'sk_live_51HxQmR8Z2dLkWcP9aBcDeFgHiJkLmNoPq';".into(), "el.innerHTML = `</pre><script>x()</script>`;".into()],
        focus: (12, 12),
    });
    triage.record_analysis(Some("abcdef123456"), &[webhook(), hostile], NOW).unwrap();
    let plan = plan_of(&triage);
    let out = tempfile::tempdir().unwrap();
    let catalogue = Catalogue::builtin();

    let html_path = out.path().join("plan.html");
    assert_eq!(plumb::report::export(&plan, &catalogue, fx.repo(), &html_path).unwrap(), plumb::report::Format::Html);
    let html = std::fs::read_to_string(&html_path).unwrap();
    for needle in ["Executive summary", "Before the next traffic spike", "This quarter", "Can ride", "Appendix: evidence", "Appendix: the checklist", "Acme &amp; &lt;Sons&gt;"] {
        assert!(html.contains(needle), "missing {needle}");
    }
    assert!(!html.contains("<script"), "repository text must be escaped");
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("sk_live_51HxQmR8Z2dLkWcP9aBcDeFgHiJkLmNoPq"), "secrets are redacted in exports");
    for external in ["http://", "https://", "@import", "src=\"//", "href="] {
        assert!(!html.contains(external), "external reference {external}");
    }

    let md_path = out.path().join("plan.md");
    plumb::report::export(&plan, &catalogue, fx.repo(), &md_path).unwrap();
    let md = std::fs::read_to_string(&md_path).unwrap();
    assert!(md.contains("## Before the next traffic spike"));
    // Fenced code is inert by the CommonMark spec; everything outside it must be escaped.
    let prose: String = md.split("```").step_by(2).collect();
    assert!(!prose.contains("<img") && !prose.contains("<script"), "{md}");
    assert!(md.contains("```\n  11  "), "code excerpts are fenced with line numbers");
    assert!(!md.contains("sk_live_51HxQmR8Z2dLkWcP9aBcDeFgHiJkLmNoPq"));

    let json_path = out.path().join("plan.json");
    plumb::report::export(&plan, &catalogue, fx.repo(), &json_path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(json["engagement"]["client"], "Acme & <Sons>");

    let inside = fx.repo().join("plan.html");
    assert!(matches!(plumb::report::export(&plan, &catalogue, fx.repo(), &inside), Err(plumb::report::ReportError::InsideRepository(..))));
    assert!(!inside.exists());
    assert!(matches!(plumb::report::export(&plan, &catalogue, fx.repo(), &out.path().join("plan.docx")), Err(plumb::report::ReportError::UnknownFormat(_))));
}
