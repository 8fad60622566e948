//! The CLI contract: bad input gets one clear line and exit code 2; JSON goes alone to stdout.

use crate::support::{plumb_in, Fixture};

fn assert_bad_input(run: &crate::support::Run, needle: &str) {
    assert_eq!(run.code(), 2, "stderr: {}", run.stderr());
    let stderr = run.stderr();
    assert_eq!(stderr.lines().count(), 1, "one line expected, got: {stderr}");
    assert!(stderr.starts_with("plumb: error: "), "{stderr}");
    assert!(stderr.contains(needle), "{stderr} should mention {needle}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"));
    assert!(run.stdout().is_empty());
}

#[test]
fn missing_repository_path_is_bad_input() {
    let f = Fixture::new();
    let missing = f.repo().join("nope");
    for command in ["index", "files"] {
        let run = plumb_in(f.data(), &[command, missing.to_str().unwrap()]);
        assert_bad_input(&run, "no such file or directory");
    }
    let run = plumb_in(f.data(), &["search", missing.to_str().unwrap(), "x"]);
    assert_bad_input(&run, "no such file or directory");
}

#[test]
fn a_file_is_not_a_repository() {
    let f = Fixture::new();
    f.create("README.md", "# hi\n");
    let run = plumb_in(f.data(), &["index", f.repo().join("README.md").to_str().unwrap()]);
    assert_bad_input(&run, "not a directory");
}

#[cfg(unix)]
#[test]
fn unreadable_repository_is_bad_input() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    let locked = f.repo().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read_dir(&locked).is_ok(); // root ignores permissions
    let run = plumb_in(f.data(), &["index", locked.to_str().unwrap()]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    if readable_anyway {
        assert_eq!(run.code(), 0, "{}", run.stderr());
    } else {
        assert_bad_input(&run, "cannot read");
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_repository_path_is_bad_input() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::new();
    let name = OsStr::from_bytes(b"repo-\xff\xfe");
    let dir = f.repo().join(name);
    std::fs::create_dir(&dir).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_plumb"))
        .arg("index")
        .arg(&dir)
        .env("PLUMB_DATA_DIR", f.data())
        .output()
        .unwrap();
    let run = crate::support::Run { output };
    assert_bad_input(&run, "not valid UTF-8");
}

#[test]
fn data_folder_inside_the_repository_is_refused() {
    let f = Fixture::new();
    f.create("a.ts", "export const a = 1\n");
    let inside = f.repo().join(".plumb");
    let run = plumb_in(&inside, &["index", f.repo().to_str().unwrap()]);
    assert_bad_input(&run, "never writes into a repository");
}

#[test]
fn unknown_subcommand_and_missing_arguments_exit_2() {
    let f = Fixture::new();
    assert_eq!(f.plumb(&["frobnicate"]).code(), 2);
    assert_eq!(f.plumb(&["search"]).code(), 2);
}

#[test]
fn json_output_is_only_json() {
    let f = Fixture::new();
    f.create("src/a.ts", "import { b } from './b'\nexport function a() { return b() }\n");
    f.create("src/b.ts", "export const b = () => 1\n");
    let index = f.plumb_repo("index", &["--format", "json"]).json();
    assert_eq!(index["parsed"], 2);
    let files = f.plumb_repo("files", &["--format", "json"]).json();
    let a = files.as_array().unwrap().iter().find(|x| x["path"] == "src/a.ts").unwrap();
    assert_eq!(a["lang"], "typescript");
    assert_eq!(a["imports"][0]["specifier"], "./b");
    assert_eq!(a["definitions"][0]["name"], "a");
    let hits = f.plumb_repo("search", &["b", "--format", "json"]).json();
    assert!(hits.as_array().unwrap().iter().any(|h| h["path"] == "src/b.ts"));
}

#[test]
fn text_summary_names_languages_and_skip_reasons() {
    let f = Fixture::new();
    f.create("app.py", "def main():\n    return 1\n");
    f.create("package-lock.json", "{}");
    f.create("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let out = f.plumb_repo("index", &[]).ok();
    assert!(out.contains("python"), "{out}");
    assert!(out.contains("1 lockfile") && out.contains("1 binary"), "{out}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let f = Fixture::new();
    for i in 0..200 {
        f.create(&format!("src/m{i}.ts"), format!("export function f{i}() {{ return {i} }}\n"));
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_plumb"))
        .args(["files", f.repo().to_str().unwrap(), "--format", "json"])
        .env("PLUMB_DATA_DIR", f.data())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away, like `| head -0`
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}
