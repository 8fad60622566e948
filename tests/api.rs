//! The desktop's view of the engine (`plumb::api::Engine`) on the demo repository: what the
//! screens show, the errors they branch on, and that a write waits for (then refuses) a
//! workspace another process holds.

use std::time::{Duration, Instant};

use plumb::api::{Engine, ErrorCode, LineEdit};
use plumb::plan::Horizon;
use plumb::progress::Silent;
use plumb::triage::Verdict;
use plumb::workspace::Workspace;

#[test]
fn the_desktop_api_opens_analyses_judges_reorders_and_refuses_a_busy_workspace() {
    let repo_dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let info = plumb::demo::materialize(&repo_dir.path().join("invoicely")).unwrap();
    let repo = info.path.to_string_lossy().to_string();
    let engine = Engine::new(Some(data.path().to_path_buf()));

    // Unknown paths and unanalysed repositories get codes the UI branches on.
    assert_eq!(
        engine.open("/no/such/folder").unwrap_err().code,
        ErrorCode::BadInput
    );
    assert_eq!(engine.open(&repo).unwrap().analysed_at, None);
    assert_eq!(engine.plan(&repo).unwrap_err().code, ErrorCode::NotAnalysed);
    assert_eq!(
        engine.search(&repo, "stripe", 10).unwrap_err().code,
        ErrorCode::NotAnalysed
    );

    let summary = engine.analyse(&repo, &Silent).unwrap();
    assert!(
        summary.files > 40 && summary.commits > 10 && summary.findings > 20,
        "{summary:?}"
    );
    let opened = engine.open(&repo).unwrap();
    assert!(opened.analysed_at.is_some());
    assert_eq!(
        engine
            .recent()
            .unwrap()
            .iter()
            .map(|r| r.path.clone())
            .collect::<Vec<_>>(),
        vec![opened.path.clone()]
    );

    let view = engine.plan(&repo).unwrap();
    assert_eq!(view.top_risks.len(), 6);
    let lines: Vec<_> = view.plan.horizons.iter().flat_map(|h| &h.lines).collect();
    assert!(view
        .top_risks
        .iter()
        .all(|f| lines.iter().any(|l| &l.fingerprint == f)));
    // The webhook without signature verification is a top risk of the demo.
    assert!(view.top_risks.iter().any(|f| lines
        .iter()
        .any(|l| &l.fingerprint == f && l.item == "PAY-WEBHOOK-SIG")));
    // Nothing the app shows carries a whole secret.
    let shown = serde_json::to_string(&view).unwrap();
    let mut secrets = Vec::new();
    for (_, bytes) in plumb::demo::final_files() {
        let text = String::from_utf8_lossy(bytes);
        secrets.extend(
            plumb::redact::find(&text)
                .iter()
                .map(|f| f.text(&text).to_string()),
        );
    }
    assert!(secrets.len() >= 2, "the demo plants secrets");
    for secret in &secrets {
        assert!(!shown.contains(secret.as_str()), "the plan shows a secret");
    }

    // A verdict, an owner and a new order are stored and come back in the plan.
    let first = view.plan.horizons[0].lines[0].fingerprint.clone();
    let second = view.plan.horizons[0].lines[1].fingerprint.clone();
    engine
        .set_verdict(
            &repo,
            &first,
            Some(Verdict::LoadBearing),
            Some("founder agrees"),
        )
        .unwrap();
    engine
        .edit_line(
            &repo,
            &first,
            &LineEdit {
                effort: None,
                owner: Some("Ada".into()),
            },
        )
        .unwrap();
    let order: Vec<String> = view.plan.horizons[0]
        .lines
        .iter()
        .map(|l| l.fingerprint.clone())
        .collect();
    let mut swapped = order.clone();
    swapped.swap(0, 1);
    engine
        .reorder(&repo, Horizon::BeforeSpike, &swapped)
        .unwrap();
    let after = engine.plan(&repo).unwrap();
    let before_spike = &after.plan.horizons[0].lines;
    assert_eq!(
        (
            before_spike[0].fingerprint.as_str(),
            before_spike[1].fingerprint.as_str()
        ),
        (second.as_str(), first.as_str())
    );
    assert_eq!(before_spike[1].verdict, Some(Verdict::LoadBearing));
    assert_eq!(before_spike[1].owner.as_deref(), Some("Ada"));
    assert_eq!(
        engine
            .set_verdict(&repo, "feedface", Some(Verdict::Cosmetic), None)
            .unwrap_err()
            .code,
        ErrorCode::BadInput
    );

    // Search: segments join back to a snippet, with the query marked.
    let hits = engine.search(&repo, "stripe", 20).unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().any(|h| h
        .segments
        .iter()
        .any(|s| s.hit && s.text.eq_ignore_ascii_case("stripe"))));

    // Map and history from the store.
    let map = engine.map(&repo).unwrap();
    assert!(!map.aggregated && map.nodes.len() > 30 && !map.imports.is_empty());
    let webhook = "supabase/functions/stripe-webhook/index.ts";
    assert!(map
        .nodes
        .iter()
        .any(|n| n.path == webhook && n.revisions > 0));
    let webhook_risk = map.risks.iter().find(|r| r.path == webhook).expect("the webhook has open findings");
    assert_eq!(webhook_risk.worst, plumb::catalogue::Severity::Critical);
    assert!(!engine.file_history(&repo, webhook, 5).unwrap().is_empty());

    // Export: written outside the repository, refused inside it.
    let out = data.path().join("plan.html");
    let exported = engine.export(&repo, out.to_str().unwrap()).unwrap();
    assert!(exported.bytes > 10_000);
    let inside = format!("{repo}/plan.html");
    assert_eq!(
        engine.export(&repo, &inside).unwrap_err().code,
        ErrorCode::BadInput
    );
    assert!(!std::path::Path::new(&inside).exists());

    // Another process (here: a held lock) writing the workspace: the app waits, then says busy.
    let ws = Workspace::open(&info.path, Some(data.path())).unwrap();
    let held = ws.lock(Duration::from_secs(1)).unwrap();
    let started = Instant::now();
    let busy = engine.set_verdict(&repo, &first, None, None).unwrap_err();
    assert_eq!(busy.code, ErrorCode::Busy, "{busy}");
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "gave up after {:?}",
        started.elapsed()
    );
    drop(held);
    engine.set_verdict(&repo, &first, None, None).unwrap();
}
