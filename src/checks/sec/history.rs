//! Secrets in git history: every distinct blob reachable from any branch, tag or remote ref is
//! read once, so a key deleted from the tree but still in history is found and can be named
//! with the commit that added it.
//!
//! Read-only, with libgit2 object reads only (no checkout, no filters, no hooks). The bound:
//! - commits are walked oldest first and each distinct tree is read once (unchanged folders
//!   are skipped by id), so the walk costs one read per tree object, not per commit × file;
//! - a blob is a candidate at its first path and first commit only (each blob is scanned
//!   once); lockfiles, vendored, generated and binary-looking paths are never read, blobs
//!   over `max_blob_bytes` are read but not scanned (asking a pack for a size first walks the
//!   delta chain: it cost as much as reading);
//! - candidates are chosen config-like paths first (`.env`, JSON, YAML, TOML, …), then newest
//!   first, until `max_blobs`; they are read a path at a time (all its versions, newest first,
//!   so delta bases are cached) in that order until `max_total_bytes`: on a huge history the
//!   recent and the likeliest places are covered and the rest is reported as not scanned;
//! - a blob is inflated, then rejected unless one Aho-Corasick pass finds a secret hint
//!   ([`crate::redact::might_contain_secret`]); only then do the patterns run;
//! - memory holds one set of tree and blob ids seen (about 40 bytes per object) and the
//!   candidates list.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use git2::{ObjectType, Oid, Repository, Sort};

use crate::redact::Found;

#[derive(Debug, Clone)]
pub(super) struct Limits {
    pub max_blob_bytes: u64,
    pub max_total_bytes: u64,
    pub max_blobs: usize,
    pub max_commits: usize,
    /// Tree lookups spent finding the commit that removed each history-only secret.
    pub max_removal_lookups: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_blob_bytes: 1 << 20,
            max_total_bytes: 512 << 20,
            max_blobs: 400_000,
            max_commits: 500_000,
            max_removal_lookups: 200_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CommitInfo {
    pub short: String,
    pub time: i64,
    pub author: String,
}

impl CommitInfo {
    /// `3f2a1b0 (2025-03-18, Maya Chen)`.
    pub fn describe(&self) -> String {
        format!("{} ({}, {})", self.short, date(self.time), self.author)
    }
}

/// `YYYY-MM-DD` (UTC) of seconds since the epoch.
pub(super) fn date(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|_| "?".into())
}

/// One place a secret was seen: the blob that first holds it at a path.
#[derive(Debug, Clone)]
pub(super) struct Sighting<H> {
    pub path: String,
    pub line: u32,
    pub commit: CommitInfo,
    /// The blob is in HEAD's tree (at `head_path`).
    pub head_path: Option<String>,
    /// Redacted lines around the secret, starting at `excerpt_start`.
    pub excerpt: Vec<String>,
    pub excerpt_start: u32,
    /// What the caller's assessment made of it.
    pub hit: H,
    blob: Oid,
    order: usize,
}

#[derive(Debug, Clone)]
pub(super) struct Secret<H> {
    /// Sightings oldest first.
    pub sightings: Vec<Sighting<H>>,
    /// The first commit on HEAD's first-parent line after the last one holding the secret.
    pub removed_in: Option<CommitInfo>,
}

impl<H> Secret<H> {
    pub fn first(&self) -> &Sighting<H> {
        &self.sightings[0]
    }

    pub fn in_head(&self) -> Option<&Sighting<H>> {
        self.sightings.iter().rev().find(|s| s.head_path.is_some())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Stats {
    pub commits: usize,
    pub blobs_scanned: usize,
    pub bytes_scanned: u64,
    /// Candidate blobs left unread because of the byte or blob budget.
    pub blobs_not_scanned: usize,
    pub blobs_too_large: usize,
    /// Why the history could not be read (not a repository, untrusted owner, …).
    pub unreadable: Option<String>,
    pub commits_truncated: bool,
}

impl Stats {
    /// One line for `searched`.
    pub fn describe(&self) -> String {
        if let Some(why) = &self.unreadable {
            return format!("git history not read: {why}");
        }
        let mut s = format!(
            "git history: {} commits, {} distinct blobs ({} KiB) scanned",
            self.commits,
            self.blobs_scanned,
            self.bytes_scanned / 1024
        );
        if self.blobs_too_large > 0 {
            s.push_str(&format!(", {} blobs over 1 MiB skipped", self.blobs_too_large));
        }
        if self.blobs_not_scanned > 0 {
            s.push_str(&format!(
                ", {} older blobs not scanned (budget reached)",
                self.blobs_not_scanned
            ));
        }
        if self.commits_truncated {
            s.push_str(", walk stopped at the commit limit");
        }
        s
    }
}

pub(super) struct HistoryScan<H> {
    /// Grouped by the key the assessment gives (e.g. a digest of the secret).
    pub secrets: Vec<Secret<H>>,
    pub stats: Stats,
}

/// What the caller decides about a secret found in a blob: `None` to ignore it, else its
/// grouping key and whatever the caller wants back.
pub(super) type Assess<'a, H> = dyn Fn(&str, &str, &Found) -> Option<(String, H)> + Sync + 'a;

#[derive(Clone, Copy)]
struct Candidate {
    blob: Oid,
    path: u32,
    commit: u32,
    config: bool,
}

fn open(root: &Path) -> Result<Repository, git2::Error> {
    Repository::open_ext(root, git2::RepositoryOpenFlags::NO_SEARCH, &[] as &[&OsStr])
}

/// Scans the history of the repository at `root`.
pub(super) fn scan<H: Clone + Send>(
    root: &Path,
    limits: &Limits,
    assess: &Assess<H>,
) -> HistoryScan<H> {
    let mut stats = Stats::default();
    crate::history::read_each_object_once();
    let repo = match open(root) {
        Ok(r) => r,
        Err(e) => {
            stats.unreadable = Some(e.message().to_string());
            return HistoryScan { secrets: Vec::new(), stats };
        }
    };
    let commits = walk(&repo, limits, &mut stats);
    if commits.is_empty() {
        return HistoryScan { secrets: Vec::new(), stats };
    }

    // Every distinct blob at its first path and commit.
    let mut paths: Vec<String> = Vec::new();
    let mut path_ids: HashMap<String, u32> = HashMap::new();
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    for (order, id) in commits.iter().enumerate() {
        let Ok(commit) = repo.find_commit(*id) else { continue };
        let mut stack = vec![(commit.tree_id(), String::new())];
        while let Some((tree_id, prefix)) = stack.pop() {
            if !seen_trees.insert(tree_id) {
                continue;
            }
            let Ok(tree) = repo.find_tree(tree_id) else { continue };
            for entry in tree.iter() {
                let name = String::from_utf8_lossy(entry.name_bytes());
                match entry.kind() {
                    Some(ObjectType::Tree) => {
                        if crate::walk::folder_reason(&name).is_none() && name != ".git" {
                            stack.push((entry.id(), format!("{prefix}{name}/")));
                        }
                    }
                    // Regular files only: symlinks hold a path, submodules a commit.
                    Some(ObjectType::Blob) if matches!(entry.filemode(), 0o100644 | 0o100755 | 0o100664) => {
                        if !seen_blobs.insert(entry.id()) {
                            continue;
                        }
                        let path = format!("{prefix}{name}");
                        if !worth_reading(&path) {
                            continue;
                        }
                        let next = paths.len() as u32;
                        let path_id = *path_ids.entry(path.clone()).or_insert_with(|| {
                            paths.push(path.clone());
                            next
                        });
                        candidates.push(Candidate {
                            blob: entry.id(),
                            path: path_id,
                            commit: order as u32,
                            config: is_config_like(&path),
                        });
                    }
                    _ => {}
                }
            }
        }
    }
    drop(seen_trees);
    drop(seen_blobs);

    candidates.sort_by_key(|c| (!c.config, std::cmp::Reverse(c.commit), c.path));
    let chosen = candidates.len().min(limits.max_blobs);
    stats.blobs_not_scanned = candidates.len() - chosen;
    candidates.truncate(chosen);
    in_reading_order(&mut candidates);

    let found = read_blobs(root, &candidates, &paths, limits, assess, &mut stats);
    let head = head_blobs(&repo);
    let mut by_key: HashMap<String, Vec<Sighting<H>>> = HashMap::new();
    let mut infos: HashMap<u32, CommitInfo> = HashMap::new();
    for (key, c, line, excerpt_start, excerpt, hit) in found {
        let commit = infos
            .entry(c.commit)
            .or_insert_with(|| commit_info(&repo, commits[c.commit as usize]))
            .clone();
        by_key.entry(key).or_default().push(Sighting {
            path: paths[c.path as usize].clone(),
            line,
            commit,
            head_path: head.get(&c.blob).cloned(),
            excerpt,
            excerpt_start,
            hit,
            blob: c.blob,
            order: c.commit as usize,
        });
    }
    let mut secrets: Vec<Secret<H>> = by_key
        .into_values()
        .map(|mut sightings| {
            sightings.sort_by(|a, b| (a.order, &a.path, a.line).cmp(&(b.order, &b.path, b.line)));
            Secret { sightings, removed_in: None }
        })
        .collect();
    secrets.sort_by(|a, b| {
        let (x, y) = (a.first(), b.first());
        (x.order, &x.path, x.line).cmp(&(y.order, &y.path, y.line))
    });
    find_removals(&repo, &mut secrets, limits);
    HistoryScan { secrets, stats }
}

/// Commit ids reachable from HEAD and every branch, tag and remote, oldest first.
fn walk(repo: &Repository, limits: &Limits, stats: &mut Stats) -> Vec<Oid> {
    let Ok(mut walk) = repo.revwalk() else { return Vec::new() };
    if walk
        .set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)
        .is_err()
    {
        return Vec::new();
    }
    let _ = walk.push_head();
    for glob in ["heads", "tags", "remotes"] {
        let _ = walk.push_glob(glob);
    }
    let mut ids = Vec::new();
    for id in walk {
        let Ok(id) = id else { break };
        if ids.len() >= limits.max_commits {
            stats.commits_truncated = true;
            break;
        }
        ids.push(id);
    }
    stats.commits = ids.len();
    ids
}

/// Groups the chosen candidates by path, paths in the order of their likeliest blob and each
/// path's blobs newest first: a blob is usually stored as a delta on another version of the
/// same file, so reading a file's versions together finds the base in the packs' delta cache
/// instead of inflating the whole chain again (3× fewer inflations on a deep history). The byte
/// budget then covers the likeliest paths whole.
fn in_reading_order(candidates: &mut [Candidate]) {
    let mut rank: HashMap<u32, usize> = HashMap::new();
    for (i, c) in candidates.iter().enumerate() {
        rank.entry(c.path).or_insert(i);
    }
    candidates.sort_by_key(|c| (rank[&c.path], std::cmp::Reverse(c.commit)));
}

/// Candidates a reader takes at a time: consecutive versions of a file stay on one thread.
const READ_CHUNK: usize = 32;

type Read<H> = (String, Candidate, u32, u32, Vec<String>, H);

/// Reads the candidates on one thread per core (one `Repository` each).
fn read_blobs<H: Clone + Send>(
    root: &Path,
    candidates: &[Candidate],
    paths: &[String],
    limits: &Limits,
    assess: &Assess<H>,
    stats: &mut Stats,
) -> Vec<Read<H>> {
    let next = AtomicUsize::new(0);
    let attempted = AtomicUsize::new(0);
    let too_large = AtomicUsize::new(0);
    let read_bytes = std::sync::atomic::AtomicU64::new(0);
    let out: Mutex<Vec<Read<H>>> = Mutex::new(Vec::new());
    let scanned = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let Ok(repo) = open(root) else { return };
                let mut local = Vec::new();
                'chunks: loop {
                    let first = next.fetch_add(READ_CHUNK, Ordering::Relaxed);
                    let Some(chunk) = candidates.get(first..) else { break };
                    for c in chunk.iter().take(READ_CHUNK) {
                        if read_bytes.load(Ordering::Relaxed) >= limits.max_total_bytes {
                            break 'chunks;
                        }
                        attempted.fetch_add(1, Ordering::Relaxed);
                        let Ok(blob) = repo.find_blob(c.blob) else { continue };
                        read_bytes.fetch_add(blob.size() as u64, Ordering::Relaxed);
                        if blob.size() as u64 > limits.max_blob_bytes {
                            too_large.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        let content = blob.content();
                        scanned.fetch_add(1, Ordering::Relaxed);
                        bytes.fetch_add(content.len(), Ordering::Relaxed);
                        let path = &paths[c.path as usize];
                        for (key, line, start, excerpt, hit) in secrets_in(content, path, assess) {
                            local.push((key, *c, line, start, excerpt, hit));
                        }
                    }
                }
                out.lock().unwrap_or_else(|e| e.into_inner()).extend(local);
            });
        }
    });
    // Candidates never read because the byte budget ran out.
    stats.blobs_not_scanned += candidates.len().saturating_sub(attempted.into_inner());
    stats.blobs_too_large = too_large.into_inner();
    stats.blobs_scanned = scanned.into_inner();
    stats.bytes_scanned = bytes.into_inner() as u64;
    let mut out = out.into_inner().unwrap_or_else(|e| e.into_inner());
    out.sort_by(|a, b| (a.1.commit, a.1.path, a.2, &a.0).cmp(&(b.1.commit, b.1.path, b.2, &b.0)));
    out
}

/// The secrets the assessment keeps in one blob: key, line, excerpt start, excerpt, hit.
fn secrets_in<H>(content: &[u8], path: &str, assess: &Assess<H>) -> Vec<(String, u32, u32, Vec<String>, H)> {
    if memchr::memchr(0, &content[..content.len().min(8192)]).is_some()
        || !crate::redact::might_contain_secret(content)
    {
        return Vec::new();
    }
    let Ok(text) = std::str::from_utf8(content) else { return Vec::new() };
    let mut out = Vec::new();
    for f in crate::redact::find(text) {
        let Some((key, hit)) = assess(path, text, &f) else { continue };
        let line = 1 + memchr::memchr_iter(b'\n', &content[..f.start]).count() as u32;
        let (start, excerpt) = excerpt_around(text, line);
        out.push((key, line, start, excerpt, hit));
    }
    out
}

/// Line `line` with one line either side, each redacted and cut to 200 characters.
fn excerpt_around(text: &str, line: u32) -> (u32, Vec<String>) {
    let start = line.saturating_sub(1).max(1);
    let lines = text
        .lines()
        .skip(start as usize - 1)
        .take((line + 1 - start + 1) as usize)
        .map(|l| {
            let shown = crate::redact::redact(l);
            shown.chars().take(200).collect()
        })
        .collect();
    (start, lines)
}

/// Blobs of HEAD's tree with their paths.
fn head_blobs(repo: &Repository) -> HashMap<Oid, String> {
    let mut out = HashMap::new();
    let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) else { return out };
    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(ObjectType::Blob) {
            out.entry(entry.id())
                .or_insert_with(|| format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes())));
        }
        git2::TreeWalkResult::Ok
    });
    out
}

fn commit_info(repo: &Repository, id: Oid) -> CommitInfo {
    let fallback = || CommitInfo { short: id.to_string()[..7].to_string(), time: 0, author: "?".into() };
    let Ok(commit) = repo.find_commit(id) else { return fallback() };
    let short = commit
        .as_object()
        .short_id()
        .ok()
        .and_then(|b| b.as_str().map(str::to_string))
        .unwrap_or_else(|| id.to_string()[..7].to_string());
    let author = commit.author();
    let info = CommitInfo {
        short,
        time: author.when().seconds(),
        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
    };
    info
}

/// For secrets no longer in HEAD: the first commit of HEAD's first-parent line after the
/// newest one still holding a blob with the secret at one of its paths.
fn find_removals<H>(repo: &Repository, secrets: &mut [Secret<H>], limits: &Limits) {
    let mut chain: Vec<Oid> = Vec::new();
    let mut at = repo.head().and_then(|h| h.peel_to_commit()).ok();
    while let Some(c) = at {
        chain.push(c.id());
        at = c.parent(0).ok();
        if chain.len() >= limits.max_commits {
            break;
        }
    }
    let mut lookups = 0usize;
    let mut children: HashMap<(Oid, String), Option<(Oid, i32)>> = HashMap::new();
    for secret in secrets.iter_mut().filter(|s| s.in_head().is_none()) {
        let blobs: HashSet<Oid> = secret.sightings.iter().map(|s| s.blob).collect();
        let mut wanted: Vec<&str> = secret.sightings.iter().map(|s| s.path.as_str()).collect();
        wanted.sort();
        wanted.dedup();
        // Newest first: the first commit holding it; the one after it (newer) removed it.
        for (i, id) in chain.iter().enumerate() {
            if lookups >= limits.max_removal_lookups {
                return;
            }
            lookups += 1;
            let Ok(commit) = repo.find_commit(*id) else { break };
            let holds = wanted.iter().any(|p| {
                lookup(repo, commit.tree_id(), p, &mut children).is_some_and(|b| blobs.contains(&b))
            });
            if holds {
                if i > 0 {
                    secret.removed_in = Some(commit_info(repo, chain[i - 1]));
                }
                break;
            }
        }
    }
}

/// The blob at `path` in a tree, with folder lookups cached by tree id.
fn lookup(
    repo: &Repository,
    root: Oid,
    path: &str,
    cache: &mut HashMap<(Oid, String), Option<(Oid, i32)>>,
) -> Option<Oid> {
    let mut tree = root;
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        let key = (tree, part.to_string());
        let entry = match cache.get(&key) {
            Some(e) => *e,
            None => {
                let e = repo
                    .find_tree(tree)
                    .ok()
                    .and_then(|t| t.get_name(part).map(|e| (e.id(), e.filemode())));
                cache.insert(key, e);
                e
            }
        }?;
        if parts.peek().is_none() {
            return Some(entry.0);
        }
        tree = entry.0;
    }
    None
}

/// Paths whose content could hold a secret: not lockfiles, generated or minified files, not
/// binary formats.
fn worth_reading(path: &str) -> bool {
    if crate::walk::name_reason(path).is_some() {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    !matches!(
        ext,
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "ico" | "bmp" | "tiff" | "psd" | "avif" | "heic"
            | "pdf" | "zip" | "gz" | "tgz" | "bz2" | "xz" | "7z" | "rar" | "jar" | "war" | "class"
            | "so" | "dylib" | "dll" | "exe" | "bin" | "o" | "a" | "wasm" | "pyc" | "woff"
            | "woff2" | "ttf" | "otf" | "eot" | "mp3" | "mp4" | "mov" | "avi" | "wav" | "ogg"
            | "webm" | "flac" | "sqlite" | "db" | "parquet" | "map" | "snap" | "svg"
    )
}

/// Files that usually hold configuration (and so most secrets): read first.
fn is_config_like(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    name.starts_with(".env")
        || name.ends_with(".env")
        || name.contains("config")
        || name.contains("secret")
        || name.contains("credential")
        || [
            ".json", ".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".properties", ".xml",
            ".tf", ".tfvars", ".pem", ".key", ".npmrc", ".pypirc", ".netrc",
        ]
        .iter()
        .any(|e| name.ends_with(e))
        || !name.contains('.')
}
