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
fn high_risks_on_a_busy_sensitive_path_come_before_the_spike_and_one_fix_carries_the_effort() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(None, None, NOW).unwrap();
    let busy = |line: u32| {
        let mut f = finding("ERR-SWALLOW", "supabase/functions/stripe-webhook/index.ts", Class::LoadBearing, Severity::High, true);
        f.exposure.hotspot_rank = Some(2);
        f.exposure.revisions_in_window = 9;
        f.line = line;
        f.fingerprint = format!("{}{line}", f.fingerprint);
        f
    };
    triage.record_analysis(None, &[busy(40), busy(71), webhook()], NOW).unwrap();
    let plan = plan_of(&triage);
    let spike = &plan.horizons[0];
    assert_eq!(spike.lines.len(), 3, "{:?}", plan.lines().map(|l| (&l.item, l.horizon, &l.factors.likelihood)).collect::<Vec<_>>());
    let swallowed: Vec<_> = spike.lines.iter().filter(|l| l.item == "ERR-SWALLOW").collect();
    assert_eq!(swallowed[0].shares_fix_with, None);
    assert_eq!(swallowed[1].shares_fix_with, Some(swallowed[0].rank), "two catches in one file are one change");
    assert_eq!(swallowed[1].effort_label(), format!("with line {}", swallowed[0].rank));
    let counted: f64 = spike.lines.iter().filter(|l| l.shares_fix_with.is_none()).map(|l| l.effort_days.low).sum();
    assert_eq!(spike.effort.low, counted);
    let top = plan.top_risks(5);
    assert_eq!(top[0].fingerprint, webhook().fingerprint, "the gravest risk leads the summary");
}

#[test]
fn every_line_shows_its_priority_factors_and_ranks_follow_them() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(None, None, NOW).unwrap();
    let medium = finding("DATA-UNBOUNDED", "src/lib/reports.ts", Class::LoadBearing, Severity::High, true);
    triage.record_analysis(None, &[medium.clone(), webhook()], NOW).unwrap();
    let plan = plan_of(&triage);
    let lines: Vec<_> = plan.lines().collect();
    assert_eq!(lines[0].fingerprint, webhook().fingerprint, "critical on the money path comes first");
    assert_eq!(lines[0].horizon, Horizon::BeforeSpike);
    // High on a money path but quiet (reachable, rarely changed): this quarter, not before the spike.
    assert_eq!(lines[1].horizon, Horizon::ThisQuarter, "{:?}", lines[1].factors);
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

    let out = tempfile::tempdir().unwrap();
    let md = out.path().join("progress.md");
    assert_eq!(plumb::report::export_progress(&report, fx.repo(), &md).unwrap(), plumb::report::Format::Markdown);
    let md = std::fs::read_to_string(md).unwrap();
    assert!(md.contains("**1** fixed, **1** new, **1** still open"), "{md}");
    let fixed_at = md.find("## Fixed").unwrap();
    let new_at = md.find("## New").unwrap();
    assert!(md[fixed_at..new_at].contains("src/lib/invoices.ts"), "{md}");
    assert!(matches!(plumb::report::export_progress(&report, fx.repo(), &fx.repo().join("p.md")), Err(plumb::report::ReportError::InsideRepository(..))));
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

#[test]
fn verdicts_acknowledged_before_a_sigkill_survive_it() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};

    let fx = Fixture::new();
    let findings: Vec<Finding> = (0..120)
        .map(|i| finding("DATA-INDEX", &format!("src/lib/table_{i:03}.ts"), Class::LoadBearing, Severity::High, false))
        .collect();
    {
        let mut triage = open_triage(&fx);
        triage.ensure_engagement(Some("Invoicely"), None, NOW).unwrap();
        triage.record_analysis(Some("aaaa"), &findings, NOW).unwrap();
    }
    let verdicts = ["load-bearing", "cosmetic", "dismissed", "accepted"];
    // The last acknowledged (verdict, note) of each fingerprint.
    let mut acknowledged: std::collections::HashMap<String, (String, String)> = Default::default();
    for round in 0..6usize {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plumb"))
            .args(["verdict", fx.repo().to_str().unwrap(), "--from", "-"])
            .env("PLUMB_DATA_DIR", fx.data())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let wanted: Vec<(String, String, String)> = findings
            .iter()
            .map(|f| (f.fingerprint.clone(), verdicts[round % 4].to_string(), format!("round {round}: checked with the founder")))
            .collect();
        // Far more writes than are read before the kill, so the process is always mid-run.
        let input: String = wanted.iter().cycle().take(wanted.len() * 20).map(|(fp, v, note)| format!("{fp} {v} {note}\n")).collect();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(input.as_bytes());
        });
        // Kill it mid-run, after a different number of acknowledged writes each round.
        let kill_after = 10 + round * 17;
        let mut acks = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut this_round = std::collections::HashSet::new();
        for _ in 0..kill_after {
            let line = acks.next().expect("an acknowledgement").unwrap();
            let fingerprint = line.split(':').next().unwrap().to_string();
            let (_, v, note) = wanted.iter().find(|(fp, ..)| *fp == fingerprint).expect("acknowledged what was asked");
            assert!(line.ends_with(v.as_str()), "{line}");
            acknowledged.insert(fingerprint.clone(), (v.clone(), note.clone()));
            this_round.insert(fingerprint);
        }
        assert!(child.try_wait().unwrap().is_none(), "round {round}: the run ended before the kill");
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let _ = writer.join();

        let triage = open_triage(&fx);
        assert_eq!(triage.integrity_check().unwrap(), "ok", "round {round}");
        let judgement = triage.judgement().unwrap();
        for (fingerprint, (verdict, note)) in &acknowledged {
            let stored = judgement.verdicts.get(fingerprint).unwrap_or_else(|| panic!("round {round}: acknowledged verdict on {fingerprint} lost"));
            let stored = (stored.verdict.as_str().to_string(), stored.note.clone().unwrap_or_default());
            // A write that committed but was killed before its acknowledgement may be newer.
            let in_flight = (verdicts[round % 4].to_string(), format!("round {round}: checked with the founder"));
            assert!(stored == (verdict.clone(), note.clone()) || (!this_round.contains(fingerprint) && stored == in_flight), "round {round}: {fingerprint} holds {stored:?}, acknowledged {verdict} / {note}");
        }
    }
    assert!(acknowledged.len() >= 10 + 5 * 17);
}

#[test]
fn the_pdf_opens_renders_and_holds_every_section_with_repository_text_shown_as_text() {
    let fx = Fixture::new();
    let mut triage = open_triage(&fx);
    triage.ensure_engagement(Some("Acme & <Sons> #strong[x]"), Some("R. Consultant"), NOW).unwrap();
    let mut hostile = finding("SEC-XSS", "src/$x$ #eval(\"1\").tsx", Class::LoadBearing, Severity::High, false);
    hostile.message = "innerHTML gets *user* input #read(\"/etc/passwd\") ]\\ [".into();
    hostile.evidence.excerpt = Some(plumb::checks::model::Excerpt {
        path: hostile.path.clone(),
        start_line: 11,
        lines: vec!["const key = 'sk_live_51HxQmR8Z2dLkWcP9aBcDeFgHiJkLmNoPq';".into(), "el.innerHTML = `${user}`; // #set page(width: 1pt)".into()],
        focus: (12, 12),
    });
    let cosmetic = finding("ARCH-DUP", "src/lib/format.ts", Class::Cosmetic, Severity::Low, false);
    triage.record_analysis(Some("abcdef123456"), &[webhook(), hostile, cosmetic], NOW).unwrap();
    triage.set_answer("PAY-IDEMP-KEY", "We use Stripe Checkout only", false, NOW).unwrap();
    let plan = plan_of(&triage);
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("plan.pdf");
    assert_eq!(plumb::report::export(&plan, &Catalogue::builtin(), fx.repo(), &pdf).unwrap(), plumb::report::Format::Pdf);

    let info = std::process::Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo (poppler-utils) is installed");
    assert!(info.status.success(), "pdfinfo: {}", String::from_utf8_lossy(&info.stderr));
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let pages: u32 = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages >= 5, "cover, summary, horizons and appendices: {info}");
    assert!(info.contains("A4"), "{info}");
    assert!(info.contains("Acme & <Sons> #strong[x]"), "the title is the client's name as text: {info}");

    let png = out.path().join("page");
    let render = std::process::Command::new("pdftoppm").args(["-r", "30", "-png", "-f", "1", "-l", "2"]).arg(&pdf).arg(&png).status().unwrap();
    assert!(render.success());
    assert!(std::fs::metadata(out.path().join("page-1.png")).unwrap().len() > 1000, "the cover renders");

    let text = std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    for needle in ["Executive summary", "Before the next traffic spike", "This quarter", "Can ride", "Appendix: evidence", "Appendix: the checklist", "We use Stripe Checkout only", "IMPACT", "Acme & <Sons> #strong[x]"] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    // Markup in repository text is shown, not run.
    assert!(text.contains("#read(\"/etc/passwd\")"), "{text}");
    assert!(text.contains("#set page(width: 1pt)"), "{text}");
    assert!(!text.contains("sk_live_51HxQmR8Z2dLkWcP9aBcDeFgHiJkLmNoPq"), "secrets are redacted in the PDF");
}
