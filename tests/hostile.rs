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
