//! Test support: fixture folders written in code and a wrapper around the `plumb` binary.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

/// A temporary repository folder plus a separate data folder for Plumb's workspace.
pub struct Fixture {
    repo: TempDir,
    data: TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture { repo: tempfile::tempdir().unwrap(), data: tempfile::tempdir().unwrap() }
    }

    pub fn repo(&self) -> &Path {
        self.repo.path()
    }

    pub fn data(&self) -> &Path {
        self.data.path()
    }

    /// Writes a file (creating folders) and returns the fixture for chaining.
    pub fn create(&self, path: &str, content: impl AsRef<[u8]>) -> &Fixture {
        let full = self.repo.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
        self
    }

    pub fn remove(&self, path: &str) -> &Fixture {
        std::fs::remove_file(self.repo.path().join(path)).unwrap();
        self
    }

    /// Runs `plumb <args>` with this fixture's data folder.
    pub fn plumb(&self, args: &[&str]) -> Run {
        plumb_in(self.data.path(), args)
    }

    /// Runs `plumb <command> <repo> <rest…>`.
    pub fn plumb_repo(&self, command: &str, rest: &[&str]) -> Run {
        let repo = self.repo.path().to_str().unwrap().to_string();
        let mut args = vec![command, repo.as_str()];
        args.extend_from_slice(rest);
        plumb_in(self.data.path(), &args)
    }

    pub fn workspace(&self) -> plumb::workspace::Workspace {
        plumb::workspace::Workspace::open(self.repo(), Some(self.data())).unwrap()
    }
}

pub fn plumb_in(data: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_plumb"))
        .args(args)
        .env("PLUMB_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .output()
        .expect("run plumb");
    Run { output }
}

pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts success and returns stdout.
    pub fn ok(&self) -> String {
        assert_eq!(self.code(), 0, "plumb failed\nstdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self.stdout()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok()).expect("stdout is JSON")
    }
}

