//! The demo repository (Invoicely) against `demo/EXPECTED.toml`: every planted finding is
//! reported and no trap is. One test per catalogue area so a regression names its area.
//! A finding the demo really has but EXPECTED.toml lacks belongs in EXPECTED.toml with a note;
//! an unexpected finding that is wrong is a false positive to fix in the detector.

use std::sync::OnceLock;

use plumb::checks::Finding;
use plumb::demo::{Expected, ExpectedFinding, ExpectedTrap};

struct DemoRun {
    findings: Vec<Finding>,
    expected: Expected,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

fn demo() -> &'static DemoRun {
    static RUN: OnceLock<DemoRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let repo_dir = tempfile::tempdir().unwrap();
        let data = tempfile::tempdir().unwrap();
        let demo = plumb::demo::materialize(&repo_dir.path().join("invoicely")).unwrap();
        let ws = plumb::workspace::Workspace::open(&demo.path, Some(data.path())).unwrap();
        let detectors = plumb::pipeline::Detectors::load(None).unwrap();
        let analysis = plumb::pipeline::analyse(
            &ws,
            &detectors,
            &Default::default(),
            &plumb::progress::Silent,
            1_764_000_000,
        )
        .unwrap();
        assert!(
            analysis.checks.diagnostics.is_empty(),
            "check diagnostics: {:?}",
            analysis.checks.diagnostics
        );
        DemoRun {
            findings: analysis.checks.findings,
            expected: plumb::demo::expected().unwrap(),
            _dirs: (repo_dir, data),
        }
    })
}

fn area_of(item: &str) -> &str {
    item.split('-').next().unwrap_or(item)
}

fn matches_expected(f: &Finding, e: &ExpectedFinding) -> bool {
    if f.item != e.item {
        return false;
    }
    if e.path.is_empty() {
        return f.path.is_empty();
    }
    let related = |a: &str, b: &str| f.evidence.related.iter().any(|r| r.path == b) && f.path == a;
    if let Some(other) = &e.related {
        if e.line == 0 {
            return related(&e.path, other) || related(other, &e.path);
        }
    }
    if f.path != e.path {
        return false;
    }
    if e.line == 0 || e.step.is_some() {
        return true;
    }
    f.line.saturating_sub(1) <= e.line && e.line <= f.end_line.max(f.line) + 1
}

fn hits_trap(f: &Finding, t: &ExpectedTrap) -> bool {
    f.item == t.item
        && f.path == t.path
        && (t.line == 0 || (f.line <= t.line && t.line <= f.end_line.max(f.line)))
}

fn check_areas(areas: &[&str]) {
    let run = demo();
    let in_areas = |item: &str| areas.contains(&area_of(item));
    let mut problems = Vec::new();
    for e in run.expected.findings.iter().filter(|e| in_areas(&e.item)) {
        if !run.findings.iter().any(|f| matches_expected(f, e)) {
            problems.push(format!(
                "missed {} at {}:{} ({})",
                e.item, e.path, e.line, e.note
            ));
        }
    }
    for t in run.expected.traps.iter().filter(|t| in_areas(&t.item)) {
        for f in run.findings.iter().filter(|f| hits_trap(f, t)) {
            problems.push(format!(
                "trap flagged: {} at {}:{}: {} (it is fine: {})",
                f.item, f.path, f.line, f.message, t.why_not
            ));
        }
    }
    for f in run.findings.iter().filter(|f| in_areas(&f.item)) {
        if !run.expected.findings.iter().any(|e| matches_expected(f, e)) {
            problems.push(format!(
                "unexpected {} at {}:{}: {}",
                f.item, f.path, f.line, f.message
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "demo repository, areas {areas:?}:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn demo_data_findings() {
    check_areas(&["DATA"]);
}

#[test]
fn demo_pay_and_int_findings() {
    check_areas(&["PAY", "INT"]);
}

#[test]
fn demo_auth_findings() {
    check_areas(&["AUTH"]);
}

#[test]
fn demo_sec_findings() {
    check_areas(&["SEC"]);
}

#[test]
fn demo_err_obs_ops_findings() {
    check_areas(&["ERR", "OBS", "OPS"]);
}

#[test]
fn demo_test_arch_time_findings() {
    check_areas(&["TEST", "ARCH", "TIME"]);
}

#[test]
fn demo_know_life_findings() {
    check_areas(&["KNOW", "LIFE"]);
}

#[test]
fn demo_findings_have_specific_messages_and_reasons() {
    let run = demo();
    let catalogue = plumb::catalogue::Catalogue::builtin();
    for f in &run.findings {
        let item = catalogue.get(&f.item).unwrap();
        assert_ne!(
            f.message, item.title,
            "{} at {}:{} repeats the item title instead of saying what is wrong here",
            f.item, f.path, f.line
        );
        assert!(
            !f.class_reason.is_empty() && f.class_reason.ends_with('.'),
            "{} at {}:{}: class reason {:?}",
            f.item,
            f.path,
            f.line,
            f.class_reason
        );
        assert_eq!(f.fingerprint.len(), 16);
    }
    let mut prints: Vec<&str> = run
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    prints.sort();
    let before = prints.len();
    prints.dedup();
    assert_eq!(before, prints.len(), "fingerprints are unique");
}
