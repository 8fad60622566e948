//! Git history, read-only: commits, who made them (a person or a coding agent), which files
//! they changed, per-file statistics, hotspots and change coupling.
//!
//! # Reading
//! [`read_history`] opens the repository with libgit2 (`NO_SEARCH`, libgit2's owner
//! validation left on), walks every commit reachable from `HEAD` newest first (committer
//! time), and diffs each commit's tree against its parent's. It only reads objects: no hook,
//! filter, textconv or fsmonitor is ever involved in a tree-to-tree diff.
//!
//! - **Merges** are diffed against their FIRST parent only, so a merge commit lists what the
//!   merged branch brought in. Those changes are already counted on the branch's own commits,
//!   so per-file statistics and coupling skip merge commits (as `git log --no-merges` and
//!   code-maat do); merges still count in the headline.
//! - **Renames are off**: a rename is a deletion plus an addition, exactly like
//!   `git log --no-renames` and code-maat's recommended log. It costs nothing; the price is
//!   that a moved file's history starts at the move.
//! - **Line counts** (added/removed) are computed only for commits inside the churn window:
//!   a diff with line stats costs about ten times a names-only diff. They are taken in the
//!   same pass, from a window estimated from HEAD's time (see `read_history`).
//! - The **window** is `window_months` counted back from the newest commit's committer time
//!   (never the wall clock), a month being 1/12 of a Gregorian year (2,629,746 s). A commit
//!   is in the window when its committer time is at or after the window start.
//! - Diffs run in parallel, one `Repository` handle per thread (`Repository` is not `Sync`):
//!   the revwalk on the calling thread hands out chunks of consecutive commit ids while it
//!   walks, so a commit's parent and trees are usually still in that thread's caches.
//!   Folders whose tree id did not change are skipped without being read (libgit2's own
//!   tree-to-tree diff visits every entry of both trees, which made it 20x slower here).
//!
//! Nothing short of an unreadable path is an error: a folder without git, an empty
//! repository, a shallow clone (the walk stops at the grafted commits) and missing objects
//! (that commit's diff is skipped) give a valid, possibly empty, [`History`] with
//! [`Diagnostic`]s.
//!
//! Paths are repository-relative with `/` separators; non-UTF-8 bytes are replaced (lossy).

mod coupling;
mod provenance;
mod stats;

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};

use git2::{ErrorClass, ErrorCode, ObjectType, Oid, Repository, Sort, TreeWalkMode, TreeWalkResult};
use serde::Serialize;

pub use coupling::{coupling, sum_of_coupling, CoupledPair, CouplingOptions, FileCoupling};
pub use provenance::{AgentMatch, MatchedBy, Provenance, ProvenanceError};
pub use stats::{file_stats, hotspots, ChangeRef, FileHistory, Headline, Hotspot};

/// Seconds in a month: 1/12 of the mean Gregorian year.
pub const MONTH_SECONDS: i64 = 2_629_746;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryOptions {
    /// Only commits whose committer time is at or after this (seconds since the epoch).
    pub since: Option<i64>,
    /// At most this many commits, newest first (applied after `since`).
    pub max_commits: Option<usize>,
    /// Length of the churn window, counted back from the newest commit.
    pub window_months: u32,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        HistoryOptions { since: None, max_commits: None, window_months: 12 }
    }
}

/// The only failure: the path itself cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot read {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trailer {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

impl ChangeKind {
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "modified",
            ChangeKind::Deleted => "deleted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LineCounts {
    pub added: u32,
    pub removed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChange {
    pub path: String,
    pub kind: ChangeKind,
    /// Only for commits in the window; binary files count 0/0.
    pub lines: Option<LineCounts>,
}

/// Whether a commit's changes are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffStatus {
    Complete,
    /// A shallow clone's boundary commit: its parents are not in the repository, so its
    /// diff would claim every file as added. No changes are recorded.
    ShallowBoundary,
    /// A tree or blob the diff needed is missing; no changes are recorded.
    MissingObject,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    pub id: String,
    /// Author time, seconds since the epoch.
    pub time: i64,
    pub author_name: String,
    pub author_email: String,
    pub committer_time: i64,
    pub summary: String,
    pub trailers: Vec<Trailer>,
    pub parent_count: usize,
    pub agent: Option<AgentMatch>,
    pub in_window: bool,
    pub diff_status: DiffStatus,
    /// Sorted by path. For a merge: the diff against the first parent.
    pub changes: Vec<FileChange>,
}

impl Commit {
    pub fn is_merge(&self) -> bool {
        self.parent_count > 1
    }

    /// Commits whose changes feed per-file statistics and coupling.
    pub(crate) fn counts_for_files(&self) -> bool {
        !self.is_merge() && self.diff_status == DiffStatus::Complete
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    NotARepository,
    /// The repository is owned by another user (libgit2's `safe.directory` check).
    UntrustedOwner,
    EmptyRepository,
    ShallowHistory,
    MissingObject,
    /// The walk stopped early (an unreadable commit); earlier commits are missing.
    TruncatedHistory,
    /// A submodule: another repository, whose history is not read (nor its files, unchecked-out).
    Submodule,
    GitError,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub kind: DiagnosticKind,
    pub commit: Option<String>,
    pub message: String,
}

impl Diagnostic {
    fn new(kind: DiagnosticKind, commit: Option<Oid>, message: impl Into<String>) -> Self {
        Diagnostic { kind, commit: commit.map(|c| c.to_string()), message: message.into() }
    }
}

/// The churn window: committer times in `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// Newest first (committer time, as the revwalk yields them).
    pub commits: Vec<Commit>,
    /// Files (blobs) in HEAD's tree, sorted.
    pub head_files: Vec<String>,
    pub window: Option<Window>,
    pub diagnostics: Vec<Diagnostic>,
    pub headline: Headline,
}

/// Reads the history of the checked-out branch. `progress(done, total)` counts commits and
/// is called on the calling thread.
pub fn read_history(
    repo_root: &Path,
    opts: &HistoryOptions,
    progress: &dyn Fn(usize, usize),
) -> Result<History, HistoryError> {
    std::fs::read_dir(repo_root).map_err(|source| HistoryError::Unreadable { path: repo_root.to_path_buf(), source })?;
    let mut diagnostics = Vec::new();
    let mut history = History {
        commits: Vec::new(),
        head_files: Vec::new(),
        window: None,
        diagnostics: Vec::new(),
        headline: Headline::default(),
    };
    let repo = match open(repo_root) {
        Ok(repo) => repo,
        Err(e) => {
            let kind = match e.code() {
                ErrorCode::NotFound => DiagnosticKind::NotARepository,
                ErrorCode::Owner => DiagnosticKind::UntrustedOwner,
                _ => DiagnosticKind::GitError,
            };
            history.diagnostics.push(Diagnostic::new(kind, None, e.message()));
            return Ok(history);
        }
    };
    let head = match repo.head().and_then(|h| h.peel_to_commit()) {
        Ok(head) => head,
        Err(e) => {
            let kind = match e.code() {
                ErrorCode::UnbornBranch | ErrorCode::NotFound => DiagnosticKind::EmptyRepository,
                _ => DiagnosticKind::GitError,
            };
            history.diagnostics.push(Diagnostic::new(kind, None, format!("no commits to read: {}", e.message())));
            return Ok(history);
        }
    };
    history.head_files = head_files(repo_root, &head, &mut diagnostics);

    let shallow = shallow_boundaries(&repo);
    if !shallow.is_empty() {
        diagnostics.push(Diagnostic::new(
            DiagnosticKind::ShallowHistory,
            None,
            format!("shallow clone: history stops at {} grafted commit(s)", shallow.len()),
        ));
    }
    read_each_object_once();
    // Line counts are taken in the same pass, for commits at or after a provisional window
    // start from HEAD's time. The newest commit is HEAD unless clocks were skewed, and then it
    // is newer, so the true window can only start later: counts are dropped, never missing.
    let months = i64::from(opts.window_months) * MONTH_SECONDS;
    let provisional_start = head.committer().when().seconds() - months;
    let head_id = head.id();
    drop(head);
    let git_dir = repo.path().to_path_buf();

    let provenance = Provenance::builtin();
    let (ids, read) = read_parallel(
        &git_dir,
        &mut |emit| walk(&repo, head_id, opts, &mut diagnostics, emit),
        progress,
        &|reader, id| read_commit(reader, id, &shallow, &provenance, provisional_start),
    );
    drop(repo);
    let mut commits = Vec::with_capacity(ids.len());
    for (id, result) in ids.iter().zip(read) {
        match result {
            Some((commit, diags)) => {
                diagnostics.extend(diags);
                commits.extend(commit);
            }
            None => diagnostics.push(Diagnostic::new(
                DiagnosticKind::GitError,
                Some(*id),
                "could not open the repository on a worker thread",
            )),
        }
    }
    if let Some(end) = commits.iter().map(|c| c.committer_time).max() {
        let window = Window { start: end - months, end };
        history.window = Some(window);
        for commit in &mut commits {
            commit.in_window = commit.committer_time >= window.start;
            if !commit.in_window {
                commit.changes.iter_mut().for_each(|c| c.lines = None);
            }
        }
    }

    history.commits = commits;
    history.diagnostics = diagnostics;
    history.headline = stats::headline(&history);
    Ok(history)
}

/// The id of the checked-out commit, if the folder is a git repository with one.
pub fn head_commit(path: &Path) -> Option<String> {
    let repo = open(path).ok()?;
    let head = repo.head().ok()?.peel_to_commit().ok()?;
    Some(head.id().to_string())
}

fn open(path: &Path) -> Result<Repository, git2::Error> {
    Repository::open_ext(path, git2::RepositoryOpenFlags::NO_SEARCH, &[] as &[&OsStr])
}

/// A commit message's trailers (`Co-authored-by: …`), as git reads them.
pub(crate) fn trailers_of(message: &str) -> Vec<Trailer> {
    git2::message_trailers_strs(message)
        .map(|t| t.iter().map(|(k, v)| Trailer { key: k.to_string(), value: v.to_string() }).collect())
        .unwrap_or_default()
}

fn is_missing(e: &git2::Error) -> bool {
    e.code() == ErrorCode::NotFound || e.class() == ErrorClass::Odb
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn head_files(repo_root: &Path, head: &git2::Commit, diagnostics: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut files = Vec::new();
    let mut submodules = Vec::new();
    let walked = head.tree().and_then(|tree| {
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            let path = format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes()));
            match entry.kind() {
                Some(ObjectType::Blob) => files.push(path),
                Some(ObjectType::Commit) => submodules.push(path),
                _ => {}
            }
            TreeWalkResult::Ok
        })
    });
    for path in submodules {
        let checked_out = std::fs::read_dir(repo_root.join(&path)).is_ok_and(|mut d| d.next().is_some());
        let message = if checked_out {
            format!("submodule {path} is another repository: its history is not read")
        } else {
            format!("submodule {path} is not checked out (uninitialised): neither its files nor its history were read")
        };
        diagnostics.push(Diagnostic::new(DiagnosticKind::Submodule, Some(head.id()), message));
    }
    if let Err(e) = walked {
        let kind = if is_missing(&e) { DiagnosticKind::MissingObject } else { DiagnosticKind::GitError };
        diagnostics.push(Diagnostic::new(kind, Some(head.id()), format!("HEAD's file list is incomplete: {}", e.message())));
    }
    files.sort();
    files
}

/// Commits a shallow clone grafted (listed in `shallow` in the common git dir).
fn shallow_boundaries(repo: &Repository) -> HashSet<Oid> {
    if !repo.is_shallow() {
        return HashSet::new();
    }
    let text = std::fs::read_to_string(repo.commondir().join("shallow")).unwrap_or_default();
    text.lines().filter_map(|line| Oid::from_str(line.trim()).ok()).collect()
}

/// Walks from `head`, newest first, handing each selected commit to `emit` as soon as it is
/// known.
fn walk(
    repo: &Repository,
    head: Oid,
    opts: &HistoryOptions,
    diagnostics: &mut Vec<Diagnostic>,
    emit: &mut dyn FnMut(Oid),
) {
    let mut count = 0;
    let mut last = None;
    let mut walk = match repo.revwalk() {
        Ok(walk) => walk,
        Err(e) => {
            diagnostics.push(Diagnostic::new(DiagnosticKind::GitError, None, e.message()));
            return;
        }
    };
    if let Err(e) = walk.set_sorting(Sort::TIME).and_then(|_| walk.push(head)) {
        diagnostics.push(Diagnostic::new(DiagnosticKind::GitError, Some(head), e.message()));
        return;
    }
    let limit = opts.max_commits.unwrap_or(usize::MAX);
    for next in walk {
        if count >= limit {
            break;
        }
        match next {
            Ok(id) => {
                if let Some(since) = opts.since {
                    match repo.find_commit(id) {
                        Ok(c) if c.committer().when().seconds() < since => continue,
                        _ => {}
                    }
                }
                count += 1;
                last = Some(id);
                emit(id);
            }
            Err(e) => {
                let kind = if is_missing(&e) { DiagnosticKind::MissingObject } else { DiagnosticKind::TruncatedHistory };
                diagnostics.push(Diagnostic::new(
                    kind,
                    last,
                    format!("history walk stopped after {count} commits: {}", e.message()),
                ));
                break;
            }
        }
    }
}

/// Commits handed to a worker at a time: consecutive, so a commit's parent is usually the
/// next id and the reader's caches hit.
const CHUNK: usize = 128;

/// Reads the commits that `produce` emits (on the calling thread, e.g. a revwalk) on one
/// worker thread per core, each with its own `Repository` and [`Reader`], while the walk
/// is still going. Returns the ids in emission order with their results; a result is
/// `None` only if no worker could open the repository.
fn read_parallel<R: Send>(
    git_dir: &Path,
    produce: &mut dyn FnMut(&mut dyn FnMut(Oid)),
    progress: &dyn Fn(usize, usize),
    work: &(dyn Fn(&mut Reader, Oid) -> R + Sync),
) -> (Vec<Oid>, Vec<Option<R>>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (work_tx, work_rx) = mpsc::channel::<(usize, Vec<Oid>)>();
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<Vec<(usize, R)>>();
    let mut ids = Vec::new();
    let mut results: Vec<Option<R>> = Vec::new();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || {
                let Ok(repo) = open(git_dir) else { return };
                let mut reader = Reader::new(&repo);
                loop {
                    // A poisoned lock means another worker panicked; stop taking work.
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((start, chunk)) = next else { return };
                    let done = chunk.into_iter().enumerate().map(|(i, id)| (start + i, work(&mut reader, id))).collect();
                    if done_tx.send(done).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut chunk = Vec::with_capacity(CHUNK);
        produce(&mut |id| {
            ids.push(id);
            chunk.push(id);
            if chunk.len() == CHUNK {
                let _ = work_tx.send((ids.len() - CHUNK, std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))));
            }
        });
        if !chunk.is_empty() {
            let _ = work_tx.send((ids.len() - chunk.len(), chunk));
        }
        drop(work_tx);
        results = (0..ids.len()).map(|_| None).collect();
        let mut done = 0;
        for batch in done_rx {
            done += batch.len();
            for (i, r) in batch {
                results[i] = Some(r);
            }
            progress(done, ids.len());
        }
    });
    (ids, results)
}

/// One thread's view of the repository, with the objects the next commit most likely needs:
/// the last parent commit read and recently used trees. libgit2's object cache
/// is switched off (see `read_history`), so these are the only caches.
struct Reader<'r> {
    repo: &'r Repository,
    parent: Option<git2::Commit<'r>>,
    /// Trees with the commit (generation) that last used them.
    trees: HashMap<Oid, (git2::Tree<'r>, u64)>,
    generation: u64,
    /// Old sides of recent line counts: walking newest first, a file's old blob is the new
    /// blob of the next older commit that touches it.
    pending_blobs: HashMap<Oid, git2::Blob<'r>>,
    pending_bytes: usize,
}

/// Trees unused for this many commits leave `Reader::trees`. Nearby commits often touch
/// the same folders, so keeping a few generations saves most tree reads.
const TREE_GENERATIONS: u64 = 16;

/// Bound on `Reader::pending_blobs`, per thread.
const PENDING_BLOB_BYTES: usize = 32 << 20;

impl<'r> Reader<'r> {
    fn new(repo: &'r Repository) -> Self {
        Reader {
            repo,
            parent: None,
            trees: HashMap::new(),
            generation: 0,
            pending_blobs: HashMap::new(),
            pending_bytes: 0,
        }
    }

    fn commit(&mut self, id: Oid) -> Result<git2::Commit<'r>, git2::Error> {
        match self.parent.take() {
            Some(parent) if parent.id() == id => Ok(parent),
            _ => self.repo.find_commit(id),
        }
    }

    /// Starts a new commit; now and then lets go of trees unused for a while.
    fn next_generation(&mut self) {
        self.generation += 1;
        if self.generation % TREE_GENERATIONS == 0 {
            let oldest = self.generation - TREE_GENERATIONS;
            self.trees.retain(|_, (_, used)| *used >= oldest);
        }
    }

    fn tree(&mut self, id: Oid) -> Result<git2::Tree<'r>, git2::Error> {
        if let Some((tree, used)) = self.trees.get_mut(&id) {
            *used = self.generation;
            return Ok(tree.clone());
        }
        let tree = self.repo.find_tree(id)?;
        self.trees.insert(id, (tree.clone(), self.generation));
        Ok(tree)
    }

    fn new_blob(&mut self, id: Oid) -> Result<git2::Blob<'r>, git2::Error> {
        match self.pending_blobs.remove(&id) {
            Some(blob) => {
                self.pending_bytes -= blob.size();
                Ok(blob)
            }
            None => self.repo.find_blob(id),
        }
    }

    fn old_blob(&mut self, id: Oid) -> Result<git2::Blob<'r>, git2::Error> {
        let blob = self.repo.find_blob(id)?;
        if self.pending_bytes + blob.size() > PENDING_BLOB_BYTES {
            self.pending_blobs.clear();
            self.pending_bytes = 0;
        }
        if self.pending_blobs.insert(id, blob.clone()).is_none() {
            self.pending_bytes += blob.size();
        }
        Ok(blob)
    }

    /// What `commit` changed against its first parent, sorted by path.
    fn changes(&mut self, commit: &git2::Commit<'r>) -> Result<Vec<TreeChange>, git2::Error> {
        self.next_generation();
        let tree = self.tree(commit.tree_id())?;
        let parent_tree = if commit.parent_count() == 0 {
            None
        } else {
            let parent = self.repo.find_commit(commit.parent_id(0)?)?;
            let parent_tree = self.tree(parent.tree_id())?;
            self.parent = Some(parent);
            Some(parent_tree)
        };
        let mut changes = Vec::new();
        self.diff_trees(parent_tree.as_ref(), Some(&tree), "", &mut changes)?;
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(changes)
    }
}

fn read_commit(
    reader: &mut Reader,
    id: Oid,
    shallow: &HashSet<Oid>,
    provenance: &Provenance,
    lines_since: i64,
) -> (Option<Commit>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let commit = match reader.commit(id) {
        Ok(c) => c,
        Err(e) => {
            let kind = if is_missing(&e) { DiagnosticKind::MissingObject } else { DiagnosticKind::GitError };
            diags.push(Diagnostic::new(kind, Some(id), format!("commit unreadable: {}", e.message())));
            return (None, diags);
        }
    };
    let author = commit.author();
    let message = lossy(commit.message_bytes());
    let trailers = trailers_of(&message);
    let author_name = lossy(author.name_bytes());
    let author_email = lossy(author.email_bytes());
    let agent = provenance.classify(&author_name, &author_email, &trailers);
    let mut out = Commit {
        id: id.to_string(),
        time: author.when().seconds(),
        author_name,
        author_email,
        committer_time: commit.committer().when().seconds(),
        summary: commit.summary_bytes().map(lossy).unwrap_or_default(),
        trailers,
        parent_count: commit.parent_count(),
        agent,
        in_window: false,
        diff_status: DiffStatus::Complete,
        changes: Vec::new(),
    };
    if shallow.contains(&id) {
        out.diff_status = DiffStatus::ShallowBoundary;
        return (Some(out), diags);
    }
    let changes = match reader.changes(&commit) {
        Ok(changes) => changes,
        Err(e) => {
            out.diff_status = DiffStatus::MissingObject;
            let kind = if is_missing(&e) { DiagnosticKind::MissingObject } else { DiagnosticKind::GitError };
            diags.push(Diagnostic::new(kind, Some(id), format!("changes skipped: {}", e.message())));
            return (Some(out), diags);
        }
    };
    let lines = if out.committer_time >= lines_since {
        match line_counts(reader, &changes) {
            Ok(lines) => lines.into_iter().map(Some).collect(),
            Err(e) => {
                let kind = if is_missing(&e) { DiagnosticKind::MissingObject } else { DiagnosticKind::GitError };
                diags.push(Diagnostic::new(kind, Some(id), format!("line counts skipped: {}", e.message())));
                vec![None; changes.len()]
            }
        }
    } else {
        vec![None; changes.len()]
    };
    out.changes = changes
        .into_iter()
        .zip(lines)
        .map(|(c, lines)| FileChange { path: c.path, kind: c.kind, lines })
        .collect();
    (Some(out), diags)
}

/// A changed file with the blobs on each side (for line counts).
struct TreeChange {
    path: String,
    kind: ChangeKind,
    old: Option<Oid>,
    new: Option<Oid>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Folder,
    /// Submodule pointers and anything unknown: not files.
    Other,
}

fn entry_kind(entry: &git2::TreeEntry) -> EntryKind {
    match entry.filemode() {
        0o040000 => EntryKind::Folder,
        0o100644 | 0o100755 | 0o100664 | 0o120000 => EntryKind::File,
        _ => EntryKind::Other,
    }
}

/// Tree entry order as git stores it: names compared bytewise, a folder's name as if it
/// ended in `/`.
fn git_order(a: &[u8], a_folder: bool, b: &[u8], b_folder: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n]).then_with(|| {
        let next = |name: &[u8], folder: bool| name.get(n).copied().or(folder.then_some(b'/'));
        next(a, a_folder).cmp(&next(b, b_folder))
    })
}

/// Compares two trees like `git diff-tree -r --no-renames`: folders with the same id are
/// skipped without being read, which is what makes names-only diffs cheap (libgit2's own
/// tree diff walks every entry of both trees).
impl<'r> Reader<'r> {
fn diff_trees(
    &mut self,
    old: Option<&git2::Tree>,
    new: Option<&git2::Tree>,
    prefix: &str,
    out: &mut Vec<TreeChange>,
) -> Result<(), git2::Error> {
    let mut old_entries = old.map(|t| t.iter()).into_iter().flatten().peekable();
    let mut new_entries = new.map(|t| t.iter()).into_iter().flatten().peekable();
    loop {
        let order = match (old_entries.peek(), new_entries.peek()) {
            (None, None) => return Ok(()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(o), Some(n)) => git_order(
                o.name_bytes(),
                entry_kind(o) == EntryKind::Folder,
                n.name_bytes(),
                entry_kind(n) == EntryKind::Folder,
            ),
        };
        let (old_entry, new_entry) = match order {
            std::cmp::Ordering::Less => (old_entries.next(), None),
            std::cmp::Ordering::Greater => (None, new_entries.next()),
            std::cmp::Ordering::Equal => (old_entries.next(), new_entries.next()),
        };
        if let (Some(o), Some(n)) = (&old_entry, &new_entry) {
            if o.id() == n.id() && o.filemode() == n.filemode() {
                continue;
            }
        }
        let entry = new_entry.as_ref().or(old_entry.as_ref()).expect("one side has an entry");
        let path = format!("{prefix}{}", String::from_utf8_lossy(entry.name_bytes()));
        match entry_kind(entry) {
            EntryKind::Folder => {
                let old_tree = old_entry.map(|e| self.tree(e.id())).transpose()?;
                let new_tree = new_entry.map(|e| self.tree(e.id())).transpose()?;
                self.diff_trees(old_tree.as_ref(), new_tree.as_ref(), &format!("{path}/"), out)?;
            }
            EntryKind::File => {
                let kind = match (&old_entry, &new_entry) {
                    (Some(_), Some(_)) => ChangeKind::Modified,
                    (None, _) => ChangeKind::Added,
                    (_, None) => ChangeKind::Deleted,
                };
                out.push(TreeChange { path, kind, old: old_entry.map(|e| e.id()), new: new_entry.map(|e| e.id()) });
            }
            EntryKind::Other => {}
        }
    }
}

}

/// Blobs larger than this are counted like binaries (0/0), not diffed, as git does above
/// `core.bigFileThreshold`: a 200 MB dump's line churn says nothing and a diff costs a lot.
/// (Asking the pack for sizes first costs a delta-chain walk per blob: a fifth of the run.)
const MAX_DIFF_BLOB_BYTES: usize = 8 << 20;

/// Added and removed lines per change, as `git diff --numstat` counts them (binary and huge
/// files count 0/0). Lines are compared with imara-diff's Myers algorithm, which like git's gives a
/// minimal diff outside pathological inputs, and a minimal diff fixes both counts. (libgit2's
/// patch API would also look up `.gitattributes` in the work tree for every blob pair.)
fn line_counts(reader: &mut Reader, changes: &[TreeChange]) -> Result<Vec<LineCounts>, git2::Error> {
    changes
        .iter()
        .map(|change| match (change.old, change.new) {
            (Some(old), Some(new)) => {
                // The new side is read first (it must be anyway): a huge one spares reading the old.
                let new = reader.new_blob(new)?;
                if new.size() > MAX_DIFF_BLOB_BYTES {
                    return Ok(LineCounts::default());
                }
                let old = reader.old_blob(old)?;
                if old.size() > MAX_DIFF_BLOB_BYTES || is_binary(old.content()) || is_binary(new.content()) {
                    return Ok(LineCounts::default());
                }
                let input = imara_diff::InternedInput::new(old.content(), new.content());
                let diff = imara_diff::Diff::compute(imara_diff::Algorithm::Myers, &input);
                Ok(LineCounts { added: diff.count_additions(), removed: diff.count_removals() })
            }
            (None, Some(new)) => Ok(LineCounts { added: text_lines(reader.new_blob(new)?.content()), removed: 0 }),
            (Some(old), None) => Ok(LineCounts { added: 0, removed: text_lines(reader.old_blob(old)?.content()) }),
            (None, None) => Ok(LineCounts::default()),
        })
        .collect()
}

/// git's rule: a NUL byte in the first 8000 bytes.
fn is_binary(content: &[u8]) -> bool {
    memchr::memchr(0, &content[..content.len().min(8000)]).is_some()
}

/// Lines of a text blob (a last line without a newline counts); 0 for binary content.
fn text_lines(content: &[u8]) -> u32 {
    if is_binary(content) {
        return 0;
    }
    let newlines = memchr::memchr_iter(b'\n', content).count();
    (newlines + usize::from(content.last().is_some_and(|&b| b != b'\n'))) as u32
}

#[cfg(test)]
mod tests;

/// Process-wide libgit2 settings for reading a whole history once:
/// - no re-hash of every object read (a sixth of the run; it guards against disk corruption,
///   not against the repository);
/// - no object cache: each object is read about once, readers keep what they need next, and
///   the cache would grow to 256 MB per thread. (The packs' delta-base cache stays.)
pub(crate) fn read_each_object_once() {
    git2::opts::strict_hash_verification(false);
    git2::opts::enable_caching(false);
}
