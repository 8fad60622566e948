//! Detector tests: for every item a true positive and a near-miss negative, written as small
//! code in the style coding agents produce. `check` runs the real scan and check phases over
//! files given in memory (no git history); history-dependent items build a repository with
//! `plumb::fixture::RepoBuilder` and run the whole pipeline (`analyse_repo`).

#![allow(dead_code)]

use plumb::checks::Finding;

mod demo;
mod engine;

mod arch;
mod auth;
mod data;
mod err;
mod know;
mod life;
mod obs;
mod ops;
mod pay;
mod sec;
mod test;
mod time;

/// The findings of `item` over `files` (path, text).
pub fn check(files: &[(&str, &str)], item: &str) -> Vec<Finding> {
    let report = plumb::checks::check_sources(files, &[item]);
    assert!(
        report.diagnostics.is_empty(),
        "detector diagnostics: {:?}",
        report.diagnostics
    );
    report.findings
}

/// Asserts exactly one finding of `item` at `path` covering `line`, and returns it.
#[track_caller]
pub fn one_at(findings: &[Finding], path: &str, line: u32) -> Finding {
    let at: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.path == path && f.line <= line && line <= f.end_line.max(f.line))
        .collect();
    assert_eq!(
        at.len(),
        1,
        "expected one finding at {path}:{line}, got:\n{}",
        show(findings)
    );
    at[0].clone()
}

/// Asserts there are no findings.
#[track_caller]
pub fn none(findings: &[Finding]) {
    assert!(
        findings.is_empty(),
        "expected no findings, got:\n{}",
        show(findings)
    );
}

pub fn show(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "  {} {}:{}-{} {}\n",
                f.item, f.path, f.line, f.end_line, f.message
            )
        })
        .collect()
}

/// Runs index, map and checks over a real repository folder (e.g. built with `RepoBuilder`)
/// in a fresh data folder, and returns the findings of `item`.
pub fn analyse_repo(repo: &std::path::Path, item: &str) -> Vec<Finding> {
    let data = tempfile::tempdir().unwrap();
    let ws = plumb::workspace::Workspace::open(repo, Some(data.path())).unwrap();
    let detectors = plumb::pipeline::Detectors::load(None).unwrap();
    let mut options = plumb::pipeline::AnalyseOptions::default();
    options.checks.items = vec![item.to_string()];
    let analysis = plumb::pipeline::analyse(
        &ws,
        &detectors,
        &options,
        &plumb::progress::Silent,
        1_760_000_000,
    )
    .unwrap();
    analysis.checks.findings
}
