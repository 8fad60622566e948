//! Histories built in code with fixed authors and times.

use std::cell::RefCell;
use std::path::Path;

use git2::{Oid, Repository, Signature, Time};

use super::*;
use crate::fixture::{Author, RepoBuilder};

const DAY: i64 = 86_400;
/// 2024-06-01T00:00:00Z
const T: i64 = 1_717_200_000;

fn maya() -> Author {
    Author::new("Maya Chen", "maya@acme.io")
}
fn claudia() -> Author {
    Author::new("Claudia Ferreira", "claudia@acme.io")
}
fn lovable() -> Author {
    Author::new("gpt-engineer-app[bot]", "159125892+gpt-engineer-app[bot]@users.noreply.github.com")
}

fn read(root: &Path) -> History {
    read_with(root, &HistoryOptions::default())
}

fn read_with(root: &Path, opts: &HistoryOptions) -> History {
    read_history(root, opts, &|_, _| {}).expect("history reads")
}

/// Commits `paths` (each rewritten with fresh content) as Maya at `time`.
fn touch(repo: &RepoBuilder, paths: &[&str], time: i64) -> Oid {
    for p in paths {
        repo.write(p, format!("export const changedAt = {time};\n"));
    }
    repo.commit(&maya(), time, &format!("touch {}", paths.join(", "))).unwrap()
}

fn loose_object_path(repo: &Repository, id: Oid) -> std::path::PathBuf {
    let hex = id.to_string();
    repo.path().join("objects").join(&hex[..2]).join(&hex[2..])
}

fn kinds(history: &History) -> Vec<DiagnosticKind> {
    history.diagnostics.iter().map(|d| d.kind).collect()
}

fn no_filters() -> CouplingOptions {
    CouplingOptions { min_revs: 1, min_shared_revs: 1, min_coupling: 0.0, max_changeset_size: 30 }
}

#[test]
fn coupling_degrees_match_hand_computed_values() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    let (a, b, c) = ("src/api/orders.ts", "src/db/orders.sql", "src/ui/OrderList.tsx");
    touch(&repo, &[a, b], T - 5 * DAY); // c1
    touch(&repo, &[a, b], T - 4 * DAY); // c2
    touch(&repo, &[a, b, c], T - 3 * DAY); // c3
    touch(&repo, &[a], T - 2 * DAY); // c4
    touch(&repo, &[b, c], T - DAY); // c5
    let history = read(dir.path());

    // revs: a = c1 c2 c3 c4 = 4; b = c1 c2 c3 c5 = 4; c = c3 c5 = 2.
    // (a,b): shared 3 (c1 c2 c3), average (4+4)/2 = 4, degree 3/4 = 75 %.
    // (b,c): shared 2 (c3 c5),    average (4+2)/2 = 3, degree 2/3 = 66.67 %.
    // (a,c): shared 1 (c3),       average (4+2)/2 = 3, degree 1/3 = 33.33 %.
    let pairs = coupling(&history, &no_filters());
    let got: Vec<(&str, &str, u32, u32, u32)> =
        pairs.iter().map(|p| (p.a.as_str(), p.b.as_str(), p.shared_revs, p.revs_a, p.revs_b)).collect();
    assert_eq!(got, vec![(a, b, 3, 4, 4), (b, c, 2, 4, 2), (a, c, 1, 4, 2)]);
    let degrees: Vec<f64> = pairs.iter().map(|p| p.degree).collect();
    assert!((degrees[0] - 75.0).abs() < 1e-9);
    assert!((degrees[1] - 200.0 / 3.0).abs() < 1e-9);
    assert!((degrees[2] - 100.0 / 3.0).abs() < 1e-9);
    assert_eq!(pairs[1].average_revs, 3.0);

    // soc = sum over commits touching the file of (change set size - 1):
    // a: c1 1 + c2 1 + c3 2 + c4 0 = 4; b: 1 + 1 + 2 + c5 1 = 5; c: c3 2 + c5 1 = 3.
    let soc = sum_of_coupling(&history, &no_filters());
    let soc: Vec<(&str, u64)> = soc.iter().map(|f| (f.path.as_str(), f.soc)).collect();
    assert_eq!(soc, vec![(b, 5), (a, 4), (c, 3)]);
}

#[test]
fn coupling_filters_follow_code_maat_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    let cart = "src/checkout/cart.ts";
    let cart_test = "src/checkout/cart.test.ts";
    let tax = "src/checkout/tax.ts";
    let mut time = T - 100 * DAY;
    let mut next = || {
        time += DAY;
        time
    };
    for _ in 0..6 {
        touch(&repo, &[cart, cart_test], next());
    }
    for _ in 0..2 {
        touch(&repo, &[cart_test], next());
    }
    for _ in 0..4 {
        touch(&repo, &[cart, tax], next());
    }
    // A formatting sweep over 31 files: more than max_changeset_size (30), so ignored.
    let sweep: Vec<String> = (0..29).map(|i| format!("src/components/Widget{i:02}.tsx")).collect();
    let mut big: Vec<&str> = sweep.iter().map(String::as_str).collect();
    big.extend([cart, cart_test]);
    touch(&repo, &big, next());
    let history = read(dir.path());

    // Without the sweep: revs cart = 6 + 4 = 10, cart.test = 6 + 2 = 8, tax = 4.
    // (cart.test, cart): shared 6, average 9, degree 66.67 % -> kept.
    // (cart, tax): shared 4 < min_shared_revs 5 -> dropped.
    let pairs = coupling(&history, &CouplingOptions::default());
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert_eq!((pairs[0].a.as_str(), pairs[0].b.as_str()), (cart_test, cart));
    assert_eq!((pairs[0].shared_revs, pairs[0].revs_a, pairs[0].revs_b), (6, 8, 10));
    assert!((pairs[0].degree - 600.0 / 9.0).abs() < 1e-9);

    // min_shared_revs 4 lets (cart, tax) in: shared 4, average (10+4)/2 = 7, 57.14 %.
    let loose = CouplingOptions { min_shared_revs: 4, ..CouplingOptions::default() };
    let pairs = coupling(&history, &loose);
    assert_eq!(pairs.len(), 2);
    assert_eq!((pairs[1].a.as_str(), pairs[1].b.as_str(), pairs[1].shared_revs), (cart, tax, 4));
    assert!((pairs[1].degree - 400.0 / 7.0).abs() < 1e-9);

    // min_revs compares the pair's average revisions: 9 < 10.
    assert!(coupling(&history, &CouplingOptions { min_revs: 10, ..CouplingOptions::default() }).is_empty());
    // min_coupling: 66.67 % < 70 %.
    assert!(coupling(&history, &CouplingOptions { min_coupling: 70.0, ..CouplingOptions::default() }).is_empty());

    // Allowing 31-file change sets counts the sweep: shared 7, revs 9 and 11, average 10, 70 %.
    let wide = CouplingOptions { max_changeset_size: 31, min_coupling: 70.0, ..CouplingOptions::default() };
    let pairs = coupling(&history, &wide);
    let top = pairs.iter().find(|p| p.a == cart_test && p.b == cart).expect("cart pair");
    assert_eq!((top.shared_revs, top.revs_a, top.revs_b), (7, 9, 11));
    assert!((top.degree - 70.0).abs() < 1e-9);
}

#[test]
fn window_is_counted_back_from_the_last_commit() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    let ten_lines: String = (1..=10).map(|i| format!("line {i}\n")).collect();
    repo.write("src/app.ts", &ten_lines);
    repo.commit(&maya(), T - 900 * DAY, "scaffold").unwrap(); // long before the window
    let changed = ten_lines.replace("line 3\n", "line three\nline 3a\nline 3b\n");
    repo.write("src/app.ts", &changed); // +3 -1
    repo.commit(&maya(), T - 100 * DAY, "expand line 3").unwrap();
    repo.write("src/app.ts", changed.replace("line 7\n", "")); // -1
    repo.commit(&maya(), T, "drop line 7").unwrap();

    let history = read(dir.path());
    let window = history.window.unwrap();
    assert_eq!(window.end, T, "the newest commit, not the wall clock");
    assert_eq!(window.start, T - 12 * MONTH_SECONDS);
    let in_window: Vec<bool> = history.commits.iter().map(|c| c.in_window).collect();
    assert_eq!(in_window, vec![true, true, false]);
    assert_eq!(history.commits[2].changes[0].lines, None, "no line stats outside the window");
    assert_eq!(history.commits[1].changes[0].lines, Some(LineCounts { added: 3, removed: 1 }));

    let stats = file_stats(&history);
    let app = &stats["src/app.ts"];
    assert_eq!((app.revisions, app.revisions_in_window), (3, 2));
    assert_eq!(app.churn_in_window, 3 + 1 + 1);

    // A 36-month window takes in the scaffold commit and its 10 added lines.
    let long = read_with(dir.path(), &HistoryOptions { window_months: 36, ..HistoryOptions::default() });
    assert_eq!(file_stats(&long)["src/app.ts"].churn_in_window, 15);
}

#[test]
fn agent_authorship_per_file_and_headline() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    repo.write("src/pages/Dashboard.tsx", "export default function Dashboard() { return null }\n");
    repo.write("src/lib/supabase.ts", "export const supabase = createClient(url, key)\n");
    repo.commit(&lovable(), T - 3 * DAY, "Use tools: Dashboard page").unwrap();
    repo.write("src/pages/Dashboard.tsx", "export default function Dashboard() { return <main /> }\n");
    repo.write("src/lib/supabase.ts", "export const supabase = createClient(env.url, env.key)\n");
    repo.commit(&claudia(), T - 2 * DAY, "Read Supabase keys from env\n\nCo-authored-by: Claudia Ferreira <claudia@acme.io>\n").unwrap();
    repo.write("src/pages/Dashboard.tsx", "export default function Dashboard() { return <main>hi</main> }\n");
    repo.commit(&maya(), T - DAY, "Greet on dashboard\n\nCo-authored-by: Claude <noreply@anthropic.com>\n").unwrap();

    let history = read(dir.path());
    let agents: Vec<Option<(&str, MatchedBy)>> =
        history.commits.iter().map(|c| c.agent.as_ref().map(|a| (a.agent.as_str(), a.matched_by))).collect();
    assert_eq!(agents, vec![Some(("Claude", MatchedBy::Trailer)), None, Some(("Lovable", MatchedBy::AuthorName))]);
    assert_eq!(history.commits[0].trailers, vec![Trailer { key: "Co-authored-by".into(), value: "Claude <noreply@anthropic.com>".into() }]);
    assert_eq!(history.commits[0].summary, "Greet on dashboard");

    let stats = file_stats(&history);
    let dashboard = &stats["src/pages/Dashboard.tsx"];
    assert_eq!(dashboard.revisions, 3);
    assert!((dashboard.agent_share - 2.0 / 3.0).abs() < 1e-9);
    assert!(dashboard.last_changed_by_agent);
    assert_eq!(dashboard.last_agent_change.as_ref().unwrap().agent.as_deref(), Some("Claude"));
    assert!(!dashboard.human_since_last_agent);
    assert_eq!(dashboard.authors, 3);

    let supabase = &stats["src/lib/supabase.ts"];
    assert!(!supabase.last_changed_by_agent);
    assert!(supabase.human_since_last_agent, "Claudia changed it after Lovable");
    assert_eq!(supabase.last_agent_change.as_ref().unwrap().agent.as_deref(), Some("Lovable"));
    assert_eq!(supabase.agent_share, 0.5);
    // One commit each: the tie goes to the most recent author.
    assert_eq!(supabase.main_author.as_deref(), Some("Claudia Ferreira"));

    let h = &history.headline;
    assert_eq!((h.commits, h.merge_commits, h.agent_commits), (3, 0, 2));
    assert!((h.agent_commit_share - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!((h.head_files, h.files_last_changed_by_agent), (2, 1));
    assert_eq!(h.files_last_changed_by_agent_share, 0.5);
    assert_eq!((h.first_commit_time, h.last_commit_time), (Some(T - 3 * DAY), Some(T - DAY)));
}

#[test]
fn main_author_is_the_one_with_most_commits() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    for (i, who) in [maya(), maya(), claudia()].iter().enumerate() {
        repo.write("billing.py", format!("PRICE = {i}\n"));
        repo.commit(who, T + i as i64, "price").unwrap();
    }
    let stats = file_stats(&read(dir.path()));
    assert_eq!(stats["billing.py"].main_author.as_deref(), Some("Maya Chen"));
    assert_eq!(stats["billing.py"].authors, 2);
}

fn signature(author: &Author, time: i64) -> Signature<'static> {
    Signature::new(&author.name, &author.email, &Time::new(time, 0)).unwrap()
}

#[test]
fn merges_are_diffed_against_the_first_parent_and_not_double_counted() {
    let dir = tempfile::tempdir().unwrap();
    let builder = RepoBuilder::init(dir.path()).unwrap();
    builder.write("a.ts", "a1\n").write("b.ts", "b1\n");
    let c1 = builder.commit(&maya(), T - 3 * DAY, "start").unwrap();
    builder.write("a.ts", "a2\n");
    let c2 = builder.commit(&maya(), T - DAY, "main work").unwrap();

    let repo = builder.repo();
    let c1 = repo.find_commit(c1).unwrap();
    let c2 = repo.find_commit(c2).unwrap();
    // Side branch from c1 (an agent's pull request) changes b.ts.
    let b2 = repo.blob(b"b2\n").unwrap();
    let mut side_tree = repo.treebuilder(Some(&c1.tree().unwrap())).unwrap();
    side_tree.insert("b.ts", b2, 0o100644).unwrap();
    let side_tree = repo.find_tree(side_tree.write().unwrap()).unwrap();
    let copilot = Author::new("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com");
    let sig = signature(&copilot, T - 2 * DAY);
    let side = repo.commit(None, &sig, &sig, "Fix b", &side_tree, &[&c1]).unwrap();
    let side = repo.find_commit(side).unwrap();
    // The merge takes a.ts from main and b.ts from the branch.
    let mut merged = repo.treebuilder(Some(&c2.tree().unwrap())).unwrap();
    merged.insert("b.ts", b2, 0o100644).unwrap();
    let merged = repo.find_tree(merged.write().unwrap()).unwrap();
    let sig = signature(&maya(), T);
    repo.commit(Some("HEAD"), &sig, &sig, "Merge pull request #7 from copilot/fix-b", &merged, &[&c2, &side]).unwrap();

    let history = read(dir.path());
    assert_eq!(history.commits.len(), 4);
    let merge = &history.commits[0];
    assert!(merge.is_merge());
    let paths: Vec<(&str, ChangeKind)> = merge.changes.iter().map(|c| (c.path.as_str(), c.kind)).collect();
    assert_eq!(paths, vec![("b.ts", ChangeKind::Modified)], "first-parent diff: only what the branch brought");

    let stats = file_stats(&history);
    assert_eq!(stats["b.ts"].revisions, 2, "c1 and the branch commit; the merge is not counted again");
    assert!(stats["b.ts"].last_changed_by_agent);
    assert_eq!(history.headline.merge_commits, 1);
    assert_eq!(history.headline.agent_commits, 1);
    assert!((history.headline.agent_commit_share - 1.0 / 3.0).abs() < 1e-9);
}

#[test]
fn shallow_clone_stops_at_the_grafted_commit() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    touch(&repo, &["src/index.ts", "src/old.ts"], T - 3 * DAY);
    let grafted = touch(&repo, &["src/index.ts"], T - 2 * DAY);
    touch(&repo, &["src/index.ts"], T - DAY);
    // How git marks a shallow clone's boundary.
    std::fs::write(dir.path().join(".git/shallow"), format!("{grafted}\n")).unwrap();

    let history = read(dir.path());
    assert_eq!(history.commits.len(), 2, "the commit behind the graft is not reachable");
    assert_eq!(history.commits[1].id, grafted.to_string());
    assert_eq!(history.commits[1].diff_status, DiffStatus::ShallowBoundary);
    assert!(history.commits[1].changes.is_empty(), "a grafted root must not claim every file as added");
    assert!(kinds(&history).contains(&DiagnosticKind::ShallowHistory));
    assert!(history.headline.shallow);
    assert_eq!(file_stats(&history)["src/index.ts"].revisions, 1);
}

#[test]
fn missing_tree_skips_the_commits_that_need_it() {
    let dir = tempfile::tempdir().unwrap();
    let builder = RepoBuilder::init(dir.path()).unwrap();
    touch(&builder, &["README.md"], T - 3 * DAY);
    let broken = touch(&builder, &["lib/util.ts"], T - 2 * DAY);
    let after = touch(&builder, &["README.md"], T - DAY);
    let tree = builder.repo().find_commit(broken).unwrap().tree_id();
    std::fs::remove_file(loose_object_path(builder.repo(), tree)).unwrap();

    let history = read(dir.path());
    assert_eq!(history.commits.len(), 3, "the run completes");
    let status: Vec<DiffStatus> = history.commits.iter().map(|c| c.diff_status).collect();
    // `after` is diffed against the missing tree too.
    assert_eq!(status, vec![DiffStatus::MissingObject, DiffStatus::MissingObject, DiffStatus::Complete]);
    let missing: Vec<&str> = history
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::MissingObject)
        .filter_map(|d| d.commit.as_deref())
        .collect();
    assert_eq!(missing, vec![after.to_string(), broken.to_string()]);
    assert_eq!(history.headline.missing_objects, 2);
    assert_eq!(file_stats(&history)["README.md"].revisions, 1);
}

#[test]
fn missing_blob_skips_line_counts_but_keeps_names() {
    let dir = tempfile::tempdir().unwrap();
    let builder = RepoBuilder::init(dir.path()).unwrap();
    builder.write("src/pay.ts", "charge()\n");
    builder.commit(&maya(), T - DAY, "pay").unwrap();
    builder.write("src/pay.ts", "charge()\nrefund()\n");
    let refund = builder.commit(&maya(), T, "refund").unwrap();
    let blob = builder.repo().find_commit(refund).unwrap().tree().unwrap().get_path(Path::new("src/pay.ts")).unwrap().id();
    std::fs::remove_file(loose_object_path(builder.repo(), blob)).unwrap();

    let history = read(dir.path());
    assert_eq!(history.commits[0].diff_status, DiffStatus::Complete);
    assert_eq!(history.commits[0].changes[0].path, "src/pay.ts");
    assert_eq!(history.commits[0].changes[0].lines, None);
    assert_eq!(history.commits[1].changes[0].lines, Some(LineCounts { added: 1, removed: 0 }));
    let diag = history.diagnostics.iter().find(|d| d.kind == DiagnosticKind::MissingObject).expect("diagnostic");
    assert_eq!(diag.commit.as_deref(), Some(refund.to_string().as_str()));
    assert_eq!(file_stats(&history)["src/pay.ts"].revisions, 2);
}

#[test]
fn empty_repository_gives_an_empty_history() {
    let dir = tempfile::tempdir().unwrap();
    RepoBuilder::init(dir.path()).unwrap();
    let history = read(dir.path());
    assert!(history.commits.is_empty() && history.head_files.is_empty() && history.window.is_none());
    assert_eq!(kinds(&history), vec![DiagnosticKind::EmptyRepository]);
    assert_eq!(history.headline.commits, 0);
}

#[test]
fn folder_without_git_gives_an_empty_history() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.js"), "console.log(1)\n").unwrap();
    let history = read(dir.path());
    assert!(history.commits.is_empty());
    assert_eq!(kinds(&history), vec![DiagnosticKind::NotARepository]);
}

#[test]
fn subfolder_of_a_repository_is_not_searched_upwards() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    touch(&repo, &["web/app.ts"], T);
    assert_eq!(kinds(&read(&dir.path().join("web"))), vec![DiagnosticKind::NotARepository]);
}

#[test]
fn unreadable_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_history(&dir.path().join("nope"), &HistoryOptions::default(), &|_, _| {}).unwrap_err();
    assert!(matches!(err, HistoryError::Unreadable { .. }));
}

#[test]
fn since_and_max_commits_limit_the_walk() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    for day in 0..5 {
        touch(&repo, &["a.ts"], T + day * DAY);
    }
    let since = read_with(dir.path(), &HistoryOptions { since: Some(T + 2 * DAY), ..HistoryOptions::default() });
    let times: Vec<i64> = since.commits.iter().map(|c| c.committer_time).collect();
    assert_eq!(times, vec![T + 4 * DAY, T + 3 * DAY, T + 2 * DAY]);
    let both = read_with(dir.path(), &HistoryOptions { since: Some(T + 2 * DAY), max_commits: Some(2), window_months: 12 });
    assert_eq!(both.commits.len(), 2);
    assert_eq!(both.commits[1].committer_time, T + 3 * DAY);
}

#[test]
fn progress_reaches_the_total_and_deletions_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    touch(&repo, &["keep.ts", "gone.ts"], T - DAY);
    repo.remove("gone.ts");
    repo.commit(&maya(), T, "remove gone.ts").unwrap();
    let calls = RefCell::new(Vec::new());
    let history = read_history(dir.path(), &HistoryOptions::default(), &|done, total| calls.borrow_mut().push((done, total))).unwrap();
    assert_eq!(calls.borrow().last(), Some(&(2, 2)), "{:?}", calls.borrow());
    let deleted: Vec<(&str, ChangeKind)> = history.commits[0].changes.iter().map(|c| (c.path.as_str(), c.kind)).collect();
    assert_eq!(deleted, vec![("gone.ts", ChangeKind::Deleted)]);
    assert_eq!(history.head_files, vec!["keep.ts".to_string()]);
    assert!(!file_stats(&history).contains_key("gone.ts"), "stats cover HEAD's files only");
}

#[test]
fn history_serializes_to_json() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    touch(&repo, &["a.ts"], T);
    let json = serde_json::to_value(read(dir.path())).unwrap();
    assert_eq!(json["commits"][0]["changes"][0]["kind"], "added");
    assert_eq!(json["headline"]["commits"], 1);
}

#[test]
fn line_counts_follow_numstat_rules() {
    let dir = tempfile::tempdir().unwrap();
    let repo = RepoBuilder::init(dir.path()).unwrap();
    repo.write("public/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    repo.write("src/no_newline.ts", "a\nb");
    repo.write("src/edit.ts", "one\ntwo\nthree\n");
    repo.commit(&maya(), T - DAY, "add").unwrap();
    repo.write("public/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR2");
    repo.write("src/edit.ts", "one\n2\nthree\nfour\n");
    repo.remove("src/no_newline.ts");
    repo.commit(&maya(), T, "edit").unwrap();
    let history = read(dir.path());
    let lines = |c: &Commit| -> Vec<(String, Option<LineCounts>)> { c.changes.iter().map(|f| (f.path.clone(), f.lines)).collect() };
    let counts = |added, removed| Some(LineCounts { added, removed });
    assert_eq!(
        lines(&history.commits[1]),
        vec![
            ("public/logo.png".to_string(), counts(0, 0)),
            ("src/edit.ts".to_string(), counts(3, 0)),
            ("src/no_newline.ts".to_string(), counts(2, 0)),
        ]
    );
    assert_eq!(
        lines(&history.commits[0]),
        vec![
            ("public/logo.png".to_string(), counts(0, 0)),
            ("src/edit.ts".to_string(), counts(2, 1)),
            ("src/no_newline.ts".to_string(), counts(0, 2)),
        ]
    );
}
