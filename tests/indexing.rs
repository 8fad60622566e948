//! Indexing: incremental re-indexing, what is skipped and why, the derived search index,
//! and never touching the inspected repository.

use std::collections::BTreeMap;
use std::path::Path;

use plumb::index::{index, IndexOptions};
use plumb::progress::Silent;
use plumb::search::SearchIndex;

use crate::support::Fixture;

fn run(f: &Fixture) -> plumb::index::IndexSummary {
    index(&f.workspace(), &IndexOptions::default(), &Silent, 1_700_000_000).unwrap()
}

/// Every path under `root` with its size and modification time.
fn tree_state(root: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            }
            out.insert(e.path().display().to_string(), (meta.len(), meta.modified().unwrap()));
        }
    }
    out
}

#[test]
fn unchanged_files_are_not_parsed_again_and_deleted_files_disappear() {
    let f = Fixture::new();
    f.create("src/a.ts", "export const a = () => 1\n");
    f.create("src/b.ts", "export function b() { return 2 }\n");
    f.create("README.md", "# app\n");
    let first = run(&f);
    assert_eq!((first.parsed, first.text_only, first.reparsed, first.unchanged), (2, 1, 3, 0));

    let second = run(&f);
    assert_eq!((second.reparsed, second.unchanged, second.removed), (0, 3, 0));
    assert!(!second.search_rebuilt);

    f.create("src/b.ts", "export function b() { return 3 }\nexport function c() {}\n");
    f.remove("src/a.ts");
    let third = run(&f);
    assert_eq!((third.reparsed, third.unchanged, third.removed, third.parsed), (1, 1, 1, 1));
    let store = plumb::store::Store::open(&f.workspace().db_path()).unwrap();
    let files = store.files().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["README.md", "src/b.ts"]);
    let b = &files[1];
    assert_eq!(b.definitions.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["b", "c"]);
    let search = SearchIndex::open(&f.workspace().search_dir()).unwrap();
    assert!(search.search("a", 10).unwrap().iter().all(|h| h.path != "src/a.ts"));
    assert_eq!(search.search("return 3", 10).unwrap()[0].path, "src/b.ts");
}

#[test]
fn skipped_files_are_counted_with_their_reason() {
    let f = Fixture::new();
    f.create("src/app.js", "const x = require('./lib')\nmodule.exports = x\n");
    f.create("node_modules/react/index.js", "module.exports = {}\n");
    f.create("web/dist/bundle.js", "var a=1\n");
    f.create("public/vendor.min.js", "var a=1;");
    f.create("yarn.lock", "# yarn lockfile v1\n");
    f.create("assets/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    f.create("data/latin1.txt", b"caf\xe9 au lait\n");
    f.create("big.ts", format!("export const big = '{}'\n", "x".repeat(300)).repeat(4000));
    f.create("bundle.js", format!("{}\n", "a+b;".repeat(2000)));
    f.create(".gitignore", "secret-build/\n");
    f.create("secret-build/out.js", "ignored()\n");
    let s = run(&f);
    let skipped: Vec<(&str, u64)> = s.skipped.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(skipped, [("binary", 1), ("invalid_utf8", 1), ("lockfile", 1), ("minified", 2), ("too_large", 1)]);
    assert_eq!(s.skipped_folders.get("vendored"), Some(&1));
    assert_eq!(s.skipped_folders.get("generated"), Some(&1));
    assert_eq!(s.parsed, 1, "only src/app.js is parsed");
    let store = plumb::store::Store::open(&f.workspace().db_path()).unwrap();
    assert!(store.files().unwrap().iter().all(|x| !x.path.starts_with("secret-build")), "gitignored files are not walked");
}

#[test]
fn the_size_limit_is_configurable() {
    let f = Fixture::new();
    f.create("a.py", format!("x = 1\n{}", "# pad\n".repeat(100)));
    let ws = f.workspace();
    let mut options = IndexOptions::default();
    options.walk.max_file_bytes = 100;
    let s = index(&ws, &options, &Silent, 0).unwrap();
    assert_eq!(s.skipped.get("too_large"), Some(&1));
    let s = index(&ws, &IndexOptions::default(), &Silent, 0).unwrap();
    assert_eq!((s.parsed, s.skipped.get("too_large")), (1, None));
}

#[cfg(unix)]
#[test]
fn symlinks_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.ts"), "export const leaked = 'outside'\n").unwrap();
    let f = Fixture::new();
    f.create("src/ok.ts", "export const ok = 1\n");
    std::os::unix::fs::symlink(outside.path(), f.repo().join("escape")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.ts"), f.repo().join("src/link.ts")).unwrap();
    std::os::unix::fs::symlink(f.repo(), f.repo().join("src/loop")).unwrap();
    let s = run(&f);
    assert_eq!(s.skipped.get("symlink"), Some(&3));
    let search = SearchIndex::open(&f.workspace().search_dir()).unwrap();
    assert!(search.search("leaked", 10).unwrap().is_empty());
}

#[test]
fn a_parse_that_runs_past_its_deadline_is_reported_not_fatal() {
    let f = Fixture::new();
    f.create("src/fine.ts", "export const fine = 1\n");
    // Random punctuation: tree-sitter's error recovery explodes on it without a deadline.
    let mut seed = 7u64;
    let junk: String = (0..600_000)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if i % 90 == 89 { '\n' } else { b"({[<`'\"/\\*+-=!?:;,.)}]>"[(seed % 23) as usize] as char }
        })
        .collect();
    f.create("src/junk.js", junk);
    let s = run(&f);
    assert_eq!(s.parsed, 1);
    assert_eq!(s.skipped.get("parse_timeout"), Some(&1));
    assert!(s.diagnostics.iter().any(|d| d.path == "src/junk.js" && d.stage == "parse"), "{:?}", s.diagnostics);
}

#[test]
fn a_deleted_or_torn_search_index_is_rebuilt_from_the_store() {
    let f = Fixture::new();
    f.create("api/handler.py", "def charge_customer(amount):\n    return stripe.PaymentIntent.create(amount=amount)\n");
    run(&f);
    let ws = f.workspace();
    std::fs::remove_dir_all(ws.search_dir()).unwrap();
    let s = run(&f);
    assert!(s.search_rebuilt);
    let hits = SearchIndex::open(&ws.search_dir()).unwrap().search("PaymentIntent", 5).unwrap();
    assert_eq!((hits[0].path.as_str(), hits[0].line), ("api/handler.py", 2));

    // An index committed at another generation (a crash between store and index) is torn.
    let store = plumb::store::Store::open(&ws.db_path()).unwrap();
    store.set_meta("search_generation", "999").unwrap();
    drop(store);
    let s = run(&f);
    assert!(s.search_rebuilt);
    let hits = SearchIndex::open(&ws.search_dir()).unwrap().search("charge customer", 5).unwrap();
    assert!(hits.iter().any(|h| h.kind == "symbol" && h.line == 1), "{hits:?}");
    assert!(!run(&f).search_rebuilt);
}

#[test]
fn indexing_never_writes_into_the_repository() {
    let f = Fixture::new();
    let builder = plumb::fixture::RepoBuilder::init(f.repo()).unwrap();
    builder.write("src/index.ts", "import './a'\n").write("src/a.ts", "export {}\n").write(".gitignore", "dist/\n");
    builder.commit(&plumb::fixture::Author::new("Dev", "dev@example.com"), 1_700_000_000, "init").unwrap();
    let before = tree_state(f.repo());
    run(&f);
    f.plumb_repo("search", &["a"]).ok();
    f.plumb_repo("files", &["--format", "json"]).ok();
    assert_eq!(before, tree_state(f.repo()));
}

#[test]
fn workspace_schema_is_versioned_and_intact() {
    let f = Fixture::new();
    f.create("a.go", "package main\n\nfunc main() {}\n");
    run(&f);
    let store = plumb::store::Store::open(&f.workspace().db_path()).unwrap();
    assert!(store.schema_version() >= 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_triage_killed_at_any_point_leaves_a_workspace_the_next_run_completes() {
    use std::process::{Command, Stdio};
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let repo = plumb::demo::materialize(&dir.path().join("invoicely")).unwrap().path;
    let triage = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_plumb"));
        command.args(["triage", repo.to_str().unwrap()]).env("PLUMB_DATA_DIR", data.path()).stdout(Stdio::null()).stderr(Stdio::null());
        command
    };
    // Kills land in walking, parsing, storing, history, the map and the checks (the whole run
    // takes well under a second in a debug build); each round starts from what the previous left.
    let mut killed_mid_run = 0;
    for (round, delay_ms) in [15u64, 40, 80, 130, 200, 300, 450, 25, 100].into_iter().enumerate() {
        let mut child = triage().spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        if round % 3 == 2 {
            // Every third round, the next run must finish and leave everything intact.
            let status = triage().status().unwrap();
            assert!(status.success(), "round {round}: the run after a kill failed: {status}");
        }
    }
    assert!(killed_mid_run >= 5, "only {killed_mid_run} kills landed mid-run");
    assert!(triage().status().unwrap().success());

    let ws = plumb::workspace::Workspace::open(&repo, Some(data.path())).unwrap();
    assert_eq!(plumb::store::Store::open(&ws.db_path()).unwrap().integrity_check().unwrap(), "ok");
    let judged = plumb::triage::Triage::open(&ws).unwrap();
    assert_eq!(judged.integrity_check().unwrap(), "ok");
    assert!(judged.tracked(judged.current().unwrap().id).unwrap().len() > 20);
    let hits = SearchIndex::open(&ws.search_dir()).unwrap().search("stripe", 5).unwrap();
    assert!(!hits.is_empty(), "the search index works after the kills");
    // Nothing was written into the repository, even by a killed run.
    assert!(!repo.join(".plumb").exists());
    let status = Command::new("git").args(["status", "--porcelain"]).current_dir(&repo).output().unwrap();
    assert!(status.stdout.is_empty(), "{}", String::from_utf8_lossy(&status.stdout));
}
