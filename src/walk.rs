//! Walking a repository: gitignore-aware (the `ignore` crate), never following symlinks,
//! classifying every file by language and deciding what is parsed, what is only indexed for
//! search, and what is skipped and why.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use serde::Serialize;

use crate::lang::Lang;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Files larger than this are not read (default 1 MiB).
    pub max_file_bytes: u64,
    /// Text whose average line is at least this long is treated as minified.
    pub max_average_line: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions { max_file_bytes: 1024 * 1024, max_average_line: 255 }
    }
}

/// Why a file or folder was not parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Third-party code checked into the tree (node_modules, vendor, virtualenvs).
    Vendored,
    /// Build output or generated code (dist, build, .next, *.pb.go, …).
    Generated,
    /// Dependency lockfiles: recorded (their presence matters) but not read.
    Lockfile,
    /// `*.min.js` or text with very long average lines.
    Minified,
    Binary,
    TooLarge,
    InvalidUtf8,
    /// Symbolic links are never followed, inside or outside the repository.
    Symlink,
    Unreadable,
    /// The parser did not finish within its deadline.
    ParseTimeout,
    /// A path that is not valid UTF-8 (kept with replacement characters).
    NonUtf8Path,
}

impl SkipReason {
    pub fn name(self) -> &'static str {
        match self {
            SkipReason::Vendored => "vendored",
            SkipReason::Generated => "generated",
            SkipReason::Lockfile => "lockfile",
            SkipReason::Minified => "minified",
            SkipReason::Binary => "binary",
            SkipReason::TooLarge => "too_large",
            SkipReason::InvalidUtf8 => "invalid_utf8",
            SkipReason::Symlink => "symlink",
            SkipReason::Unreadable => "unreadable",
            SkipReason::ParseTimeout => "parse_timeout",
            SkipReason::NonUtf8Path => "non_utf8_path",
        }
    }

    pub fn from_name(name: &str) -> Option<SkipReason> {
        use SkipReason::*;
        [Vendored, Generated, Lockfile, Minified, Binary, TooLarge, InvalidUtf8, Symlink, Unreadable, ParseTimeout, NonUtf8Path]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// A file the walk found and may read.
#[derive(Debug, Clone)]
pub struct WalkedFile {
    /// Repository-relative, `/`-separated.
    pub path: String,
    pub abs: PathBuf,
    pub size: u64,
    pub lang: Lang,
}

/// Something the walk decided not to read: a file or a whole folder.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: String,
    pub is_dir: bool,
    pub size: u64,
    pub lang: Lang,
    pub reason: SkipReason,
}

#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<WalkedFile>,
    pub skipped: Vec<Skipped>,
    /// Problems reading folders (permission denied, loops): path and message.
    pub errors: Vec<(String, String)>,
}

const VENDORED_DIRS: &[&str] = &["node_modules", "bower_components", "vendor", ".venv", "venv", "site-packages", "jspm_packages", ".yarn"];
const GENERATED_DIRS: &[&str] = &[
    "dist", "build", "out", ".next", ".nuxt", ".svelte-kit", ".output", ".vercel", ".turbo", "coverage", "__pycache__",
    ".pytest_cache", ".mypy_cache", "target", ".gradle", ".parcel-cache", ".cache",
];
const LOCKFILES: &[&str] = &[
    "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock", "npm-shrinkwrap.json", "Cargo.lock",
    "poetry.lock", "Pipfile.lock", "uv.lock", "Gemfile.lock", "composer.lock", "go.sum", "deno.lock",
];

/// Classifies a folder by name: vendored and generated folders are skipped whole.
pub fn folder_reason(name: &str) -> Option<SkipReason> {
    if VENDORED_DIRS.contains(&name) {
        Some(SkipReason::Vendored)
    } else if GENERATED_DIRS.contains(&name) {
        Some(SkipReason::Generated)
    } else {
        None
    }
}

/// Classifies a file by name alone, before reading it.
pub fn name_reason(path: &str) -> Option<SkipReason> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if LOCKFILES.contains(&name) {
        Some(SkipReason::Lockfile)
    } else if lower.ends_with(".min.js") || lower.ends_with(".min.css") || lower.ends_with(".min.mjs") || lower.ends_with(".bundle.js") {
        Some(SkipReason::Minified)
    } else if lower.ends_with(".pb.go") || lower.ends_with("_pb2.py") || lower.ends_with(".generated.ts") || lower.ends_with(".gen.go") || lower.ends_with(".d.ts.map") || lower.ends_with(".js.map") {
        Some(SkipReason::Generated)
    } else {
        None
    }
}

/// Classifies file content once read: binary, invalid UTF-8 or minified text.
pub fn content_reason(bytes: &[u8], options: &WalkOptions) -> Option<SkipReason> {
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Some(SkipReason::Binary);
    }
    if std::str::from_utf8(bytes).is_err() {
        return Some(SkipReason::InvalidUtf8);
    }
    let lines = bytecount_lines(bytes);
    if bytes.len() >= 1024 && bytes.len() / lines >= options.max_average_line {
        return Some(SkipReason::Minified);
    }
    None
}

fn bytecount_lines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count() + usize::from(!bytes.ends_with(b"\n"))
}

/// Walks `root`, honouring .gitignore (also outside git), .ignore and git's exclude files.
/// How git itself recognises a git directory: `HEAD`, `objects/` and `refs/`, with no `.git`.
fn is_bare_repository(root: &Path) -> bool {
    root.join("HEAD").is_file() && root.join("objects").is_dir() && root.join("refs").is_dir() && !root.join(".git").exists()
}

pub fn walk(root: &Path, options: &WalkOptions) -> Walk {
    let mut out = Walk::default();
    if is_bare_repository(root) {
        // Its top level is git's own database (objects, refs, hooks), not the project's files.
        out.errors.push((
            String::new(),
            "a bare git repository has no checked-out files: only its history was read. To triage the code, \
             clone it (git clone <this folder> <new folder>) and open the clone"
                .into(),
        ));
        return out;
    }
    // Vendored and generated folders are pruned, not walked, and reported once.
    let pruned = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let pruned_in_filter = pruned.clone();
    let root_in_filter = root.to_path_buf();
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .parents(false)
        .git_global(false)
        .filter_entry(move |entry| {
            if entry.file_name() == ".git" {
                return false;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir && entry.depth() > 0 {
                if let Some(reason) = entry.file_name().to_str().and_then(folder_reason) {
                    let path = relative(&root_in_filter, entry.path()).0;
                    pruned_in_filter.lock().expect("walk lock").push(Skipped { path, is_dir: true, size: 0, lang: Lang::Other, reason });
                    return false;
                }
            }
            true
        })
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => relative(root, path).0,
                    _ => String::new(),
                };
                out.errors.push((path, err.to_string()));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let (path, utf8) = relative(root, entry.path());
        let Some(file_type) = entry.file_type() else { continue };
        let lang = Lang::from_path(&path);
        if file_type.is_symlink() {
            out.skipped.push(Skipped { path, is_dir: false, size: 0, lang, reason: SkipReason::Symlink });
            continue;
        }
        if file_type.is_dir() {
            continue;
        }
        if !file_type.is_file() {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        let reason = if !utf8 {
            Some(SkipReason::NonUtf8Path)
        } else if let Some(reason) = name_reason(&path) {
            Some(reason)
        } else if size > options.max_file_bytes {
            Some(SkipReason::TooLarge)
        } else {
            None
        };
        match reason {
            Some(reason) => out.skipped.push(Skipped { path, is_dir: false, size, lang, reason }),
            None => out.files.push(WalkedFile { path, abs: entry.path().to_path_buf(), size, lang }),
        }
    }
    let mut pruned = std::mem::take(&mut *pruned.lock().expect("walk lock"));
    out.skipped.append(&mut pruned);
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn relative(root: &Path, path: &Path) -> (String, bool) {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let utf8 = rel.to_str().is_some();
    let s = rel.to_string_lossy().replace('\\', "/");
    (s, utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_and_binary_content_is_recognised() {
        let opts = WalkOptions::default();
        let long_line = "a".repeat(5000);
        assert_eq!(content_reason(long_line.as_bytes(), &opts), Some(SkipReason::Minified));
        assert_eq!(content_reason(b"PNG\0\x01\x02", &opts), Some(SkipReason::Binary));
        assert_eq!(content_reason(b"ok \xff\xfe", &opts), Some(SkipReason::InvalidUtf8));
        assert_eq!(content_reason(b"const a = 1;\nconst b = 2;\n", &opts), None);
    }

    #[test]
    fn names_classify_lockfiles_and_generated_code() {
        assert_eq!(name_reason("package-lock.json"), Some(SkipReason::Lockfile));
        assert_eq!(name_reason("public/vendor.min.js"), Some(SkipReason::Minified));
        assert_eq!(name_reason("api/user.pb.go"), Some(SkipReason::Generated));
        assert_eq!(name_reason("src/App.tsx"), None);
        assert_eq!(folder_reason("node_modules"), Some(SkipReason::Vendored));
        assert_eq!(folder_reason("dist"), Some(SkipReason::Generated));
        assert_eq!(folder_reason("distance"), None);
    }
}
