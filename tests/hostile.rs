//! Hostile repositories: names and contents written to break a viewer, and a git
//! configuration that would run commands if anything obeyed it. Plumb reads them, runs
//! nothing, and shows the names escaped.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

use crate::support::Fixture;

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=Mallory",
            "-c",
            "user.email=m@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(repo)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_hostile_repository_runs_nothing_and_its_names_are_escaped() {
    let f = Fixture::new();
    let repo = f.repo().to_path_buf();
    let marker = |name: &str| f.data().join(format!("marker-{name}"));
    f.create(
        "src/<img src=x onerror=alert(1)>.ts",
        "export const a = 1;\n",
    );
    f.create("src/quote\"and'apostrophe.ts", "export const b = 2;\n");
    f.create("src/new\nline.ts", "export const c = 3;\n");
    f.create(
        "src/app.ts",
        "import { a } from './<img src=x onerror=alert(1)>';\nexport const main = () => a;\n",
    );
    f.create(".gitattributes", "* filter=evil diff=evil\n");
    let invalid = std::ffi::OsStr::from_bytes(b"src/bad-\xff-name.ts");
    std::fs::write(repo.join(invalid), "export const d = 4;\n").unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(
        &repo,
        &["commit", "-q", "-m", "initial <script>alert(1)</script>"],
    );

    // Now make every command hook git knows about write a marker, after the commit (so git
    // itself ran none of them while the fixture was built).
    let touch = |name: &str| format!("touch '{}'", marker(name).display());
    let hooks = repo.join(".git/evil-hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    for hook in [
        "post-checkout",
        "post-merge",
        "pre-commit",
        "post-index-change",
        "reference-transaction",
        "fsmonitor-watchman",
    ] {
        let path = hooks.join(hook);
        std::fs::write(&path, format!("#!/bin/sh\n{}\n", touch(hook))).unwrap();
        Command::new("chmod")
            .args(["+x", path.to_str().unwrap()])
            .status()
            .unwrap();
        std::fs::copy(&path, repo.join(".git/hooks").join(hook)).unwrap();
    }
    let included = f.data().join("evil.gitconfig");
    std::fs::write(
        &included,
        format!(
            "[core]\n\tpager = {}\n[diff]\n\texternal = {}\n",
            touch("pager"),
            touch("diff-external")
        ),
    )
    .unwrap();
    let mut config = std::fs::read_to_string(repo.join(".git/config")).unwrap();
    config.push_str(&format!(
        "[core]\n\tfsmonitor = {}\n\thooksPath = {}\n\tsshCommand = {}\n\teditor = {}\n[filter \"evil\"]\n\tclean = {}\n\tsmudge = {}\n\tprocess = {}\n[diff \"evil\"]\n\ttextconv = {}\n[gpg]\n\tprogram = {}\n[include]\n\tpath = {}\n",
        touch("fsmonitor"),
        hooks.display(),
        touch("ssh"),
        touch("editor"),
        touch("clean"),
        touch("smudge"),
        touch("process"),
        touch("textconv"),
        touch("gpg"),
        included.display(),
    ));
    std::fs::write(repo.join(".git/config"), config).unwrap();

    let tree = |root: &Path| -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut entries: Vec<_> = walk(root)
            .into_iter()
            .map(|p| {
                let modified = std::fs::symlink_metadata(&p).unwrap().modified().unwrap();
                (p, modified)
            })
            .collect();
        entries.sort();
        entries
    };
    let before = tree(&repo);

    let out = f.data().join("plan.html");
    f.plumb_repo("triage", &["--export", out.to_str().unwrap()])
        .ok();
    let files = f.plumb_repo("files", &["--format", "json"]).ok();
    f.plumb_repo("search", &["onerror"]).ok();
    f.plumb_repo("map", &["--format", "json"]).ok();

    let ran: Vec<String> = std::fs::read_dir(f.data())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("marker-"))
        .collect();
    assert!(
        ran.is_empty(),
        "commands from the repository's git configuration ran: {ran:?}"
    );

    // Odd but valid names are indexed; the name that is not UTF-8 is skipped with a reason.
    assert!(
        files.contains("<img src=x onerror=alert(1)>.ts")
            && files.contains("quote\\\"and'apostrophe.ts")
            && files.contains("new\\nline.ts"),
        "{files}"
    );
    let summary = f.plumb_repo("index", &["--format", "json"]).json();
    assert!(
        summary["skipped"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.contains("utf")),
        "{summary}"
    );
    // The export shows every name as text.
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        !html.contains("<img src=x") && !html.contains("<script>alert"),
        "repository text reached the HTML as markup"
    );
    // And nothing was written into the repository, .git included.
    assert_eq!(tree(&repo), before, "the repository changed");

    // The trap was armed: git itself runs the fsmonitor command on `git status`.
    Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert!(
        marker("fsmonitor").exists(),
        "the fixture's fsmonitor hook does not work, so the test proves nothing"
    );
}

fn walk(root: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

/// Deterministic bytes for generated content (xorshift64).
fn noise(len: usize, alphabet: &[u8]) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    (0..len)
        .map(|i| {
            if i % 120 == 119 {
                return b'\n';
            }
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            alphabet[(state % alphabet.len() as u64) as usize]
        })
        .collect()
}

#[test]
fn huge_minified_noisy_and_deeply_nested_files_are_skipped_or_bounded_and_reported() {
    use std::io::Write;
    let f = Fixture::new();
    let builder = plumb::fixture::RepoBuilder::init(f.repo()).unwrap();
    let dev = plumb::fixture::Author::new("Dev", "dev@example.com");
    let write_dump = |extra: &str| {
        let path = f.repo().join("data/dump.sql");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        let line = b"INSERT INTO events (id, payload) VALUES (1, '{\"kind\": \"page_view\"}');\n";
        for _ in 0..(200 << 20) / line.len() + 1 {
            out.write_all(line).unwrap();
        }
        out.write_all(extra.as_bytes()).unwrap();
    };
    write_dump("");
    let bundle: String = "var a=function(b){return b+1};".repeat(5 * (1 << 20) / 30 + 1);
    builder.write("public/assets/index-4f2a.js", &bundle);
    builder.write("src/noise.js", noise(1_000_000, b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));
    let depth = 3_000;
    let mut nested = String::from("export function deep(x: number) {\n");
    for i in 0..depth {
        nested.push_str(&format!("if (x > {i}) {{\n"));
    }
    nested.push_str("return x;\n");
    nested.push_str(&"}\n".repeat(depth + 1));
    builder.write("src/deep.ts", &nested);
    builder.write("app/deep.py", format!("rows = {}1{}\n", "[\n".repeat(depth), "]\n".repeat(depth)));
    builder.write("src/ok.ts", "export function ok(a: number) {\n  return a > 1 ? a : 0;\n}\n");
    builder.commit(&dev, 1_700_000_000, "Initial import").unwrap();
    // A second commit changes the huge file, so history's line counts meet it too.
    write_dump("INSERT INTO events (id, payload) VALUES (2, '{}');\n");
    builder.write("src/ok.ts", "export function ok(a: number) {\n  return a > 2 ? a : 0;\n}\n");
    builder.commit(&dev, 1_700_086_400, "Update dump").unwrap();

    let run = f.plumb_repo("triage", &["--format", "json"]).json();
    let index = &run["index"];
    assert_eq!(index["skipped"]["too_large"], 2, "the dump and the 5 MB bundle: {index}");
    let not_read = run["plan"]["headline"]["not_read"].to_string();
    assert!(not_read.contains("2 files too large to read: data/dump.sql, public/assets/index-4f2a.js."), "the plan says what it did not read: {not_read}");
    let files = f.plumb_repo("files", &["--format", "json"]).json();
    let file = |path: &str| {
        files.as_array().unwrap().iter().find(|r| r["path"] == path).unwrap_or_else(|| panic!("{path} not listed")).clone()
    };
    assert_eq!(file("data/dump.sql")["skip_reason"], "too_large");
    assert_eq!(file("public/assets/index-4f2a.js")["skip_reason"], "too_large");
    assert_eq!(file("src/ok.ts")["status"], "parsed");
    // Noise and deep nesting either parse (bounded by the parse deadline) or are reported
    // as timed out; either way they are listed, searchable and the run completed.
    for path in ["src/noise.js", "src/deep.ts", "app/deep.py"] {
        let record = file(path);
        let parsed = record["status"] == "parsed";
        let timed_out = record["skip_reason"] == "parse_timeout";
        assert!(parsed || timed_out, "{path}: {record}");
        if timed_out {
            let reported = index["diagnostics"].as_array().unwrap().iter().any(|d| d["path"] == path);
            assert!(reported, "{path} timed out without a diagnostic: {index}");
        }
    }
    let deep = file("src/deep.ts");
    if deep["status"] == "parsed" {
        assert_eq!(deep["complexity"], depth + 1, "one branch per level plus the function: {deep}");
    }
    // History read both commits, the huge blob included (counted, not diffed).
    let map = f.plumb_repo("map", &["--format", "json"]).json();
    assert_eq!(map["history"]["commits"], 2, "{}", map["history"]);
    let ok = map["nodes"].as_array().unwrap().iter().find(|n| n["path"] == "src/ok.ts").unwrap();
    assert_eq!((ok["revisions"].as_u64(), ok["churn"].as_u64()), (Some(2), Some(5)), "{ok}");
}

#[test]
fn a_bare_repository_completes_and_says_its_files_were_not_read() {
    let f = Fixture::new();
    let source = f.data().join("source");
    let builder = plumb::fixture::RepoBuilder::init(&source).unwrap();
    builder.write("src/app.ts", "export const app = 1;\n");
    builder.commit(&plumb::fixture::Author::new("Dev", "dev@example.com"), 1_700_000_000, "Initial").unwrap();
    let status = Command::new("git")
        .args(["clone", "-q", "--bare", source.to_str().unwrap(), f.repo().join("app.git").to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    let bare = f.repo().join("app.git");
    let bare = bare.to_str().unwrap();

    let run = f.plumb(&["triage", bare, "--format", "json"]).json();
    let index = &run["index"];
    assert_eq!(index["files"], 0, "git's own files are not the project's: {index}");
    let said = index["diagnostics"].to_string();
    assert!(said.contains("bare git repository") && said.contains("git clone"), "{said}");
    let not_read = run["plan"]["headline"]["not_read"].to_string();
    assert!(not_read.contains("bare git repository"), "the plan says so too: {not_read}");
    let map = f.plumb(&["map", bare, "--format", "json"]).json();
    assert_eq!(map["history"]["commits"], 1, "its history is still read: {}", map["history"]);
}

#[test]
fn an_uninitialised_submodule_completes_and_is_reported() {
    let f = Fixture::new();
    let repo = f.repo();
    f.create("src/app.ts", "export const app = 1;\n");
    f.create(".gitmodules", "[submodule \"shared\"]\n\tpath = libs/shared\n\turl = ../shared.git\n");
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    // A gitlink to a commit this repository does not have, as a fresh clone without
    // `--recurse-submodules` leaves it: an empty folder.
    git(repo, &["update-index", "--add", "--cacheinfo", "160000,1111111111111111111111111111111111111111,libs/shared"]);
    git(repo, &["commit", "-q", "-m", "Add the shared submodule"]);
    std::fs::create_dir_all(repo.join("libs/shared")).unwrap();

    let html = f.data().join("plan.html");
    let run = f.plumb_repo("triage", &["--format", "json", "--export", html.to_str().unwrap()]).json();
    let not_read = run["plan"]["headline"]["not_read"].to_string();
    assert!(not_read.contains("History: submodule libs/shared is not checked out"), "{not_read}");
    let html = std::fs::read_to_string(html).unwrap();
    assert!(html.contains("What this analysis could not read") && html.contains("submodule libs/shared is not checked out"), "the report says so");
    let map = f.plumb_repo("map", &["--format", "json"]).json();
    let history = &map["history"];
    assert_eq!(history["commits"], 1, "{history}");
    assert_eq!(history["missing_objects"], 0, "a gitlink is not a missing object: {history}");
    let said = history["diagnostics"].to_string();
    assert!(said.contains("submodule libs/shared is not checked out"), "{said}");
}
