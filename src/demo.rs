//! The bundled demo repository: "Invoicely", a small invoicing SaaS built the way coding
//! agents build them, with a known set of planted problems and look-alike traps.
//!
//! Everything is embedded in the binary from `demo/`:
//! - `demo/repo/` is the final working tree;
//! - `demo/history.toml` lists the commits (authors, fixed dates, messages, files written);
//! - `demo/history/<step>/<path>` holds earlier versions of files;
//! - `demo/EXPECTED.toml` lists the planted findings and the traps (see [`expected`]).
//!
//! [`materialize`] replays the history into a real git repository with fixed identities and
//! timestamps, so the commit ids are the same on every machine.
//!
//! `include_dir` tracks edits to embedded files, but not added or removed files: touch this
//! file after adding or removing a file under `demo/`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use git2::{Oid, Repository, Signature, Time};
use include_dir::{include_dir, Dir};
use serde::Deserialize;

use crate::fixture::{Author, RepoBuilder};

static DEMO: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/demo");

const FINAL_TREE: &str = "repo";
const EARLIER_VERSIONS: &str = "history";

/// What [`materialize`] left at the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInfo {
    /// The repository's working tree.
    pub path: PathBuf,
    /// The final commit id (hex); the same on every machine.
    pub head: String,
    /// Number of commits in the history.
    pub commits: usize,
    /// False when the destination already held the demo and nothing was written.
    pub created: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The embedded data is inconsistent (a bug in `demo/`, caught by the tests).
    #[error("the embedded demo history is invalid: {0}")]
    History(String),
    /// The destination holds something other than this version of the demo.
    #[error("{} is not empty and does not hold this version of the demo repository", path.display())]
    DestinationOccupied { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryFile {
    format: u32,
    authors: BTreeMap<String, AuthorEntry>,
    commit: Vec<CommitEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorEntry {
    name: String,
    email: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitEntry {
    step: String,
    author: String,
    date: toml::value::Datetime,
    message: String,
    #[serde(default)]
    write: Vec<String>,
    #[serde(default)]
    delete: Vec<String>,
}

/// One commit of the demo history, resolved against the embedded files.
#[derive(Debug, Clone)]
pub struct DemoCommit {
    pub step: String,
    pub author: Author,
    /// Seconds since the epoch, UTC.
    pub time: i64,
    pub message: String,
    /// Files written by this commit with their content at this commit.
    pub writes: Vec<(String, &'static [u8])>,
    pub deletes: Vec<String>,
}

/// The demo history, oldest commit first, validated against the embedded files.
pub fn history() -> Result<Vec<DemoCommit>, DemoError> {
    let text = DEMO
        .get_file("history.toml")
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| DemoError::History("history.toml is missing or not UTF-8".into()))?;
    let parsed: HistoryFile =
        toml::from_str(text).map_err(|e| DemoError::History(format!("history.toml: {e}")))?;
    if parsed.format != 1 {
        return Err(DemoError::History(format!(
            "unsupported history format {}",
            parsed.format
        )));
    }

    let mut commits = Vec::with_capacity(parsed.commit.len());
    let mut previous_time = i64::MIN;
    for entry in parsed.commit {
        let who = parsed.authors.get(&entry.author).ok_or_else(|| {
            DemoError::History(format!(
                "step {}: unknown author {:?}",
                entry.step, entry.author
            ))
        })?;
        let time = epoch_seconds(&entry.date).ok_or_else(|| {
            DemoError::History(format!(
                "step {}: date needs a date, a time and an offset",
                entry.step
            ))
        })?;
        if time < previous_time {
            return Err(DemoError::History(format!(
                "step {}: dates must not go backwards",
                entry.step
            )));
        }
        previous_time = time;

        let mut writes = Vec::with_capacity(entry.write.len());
        for path in &entry.write {
            check_relative(path)?;
            let earlier = format!("{EARLIER_VERSIONS}/{}/{path}", entry.step);
            let final_version = format!("{FINAL_TREE}/{path}");
            let file = DEMO
                .get_file(&earlier)
                .or_else(|| DEMO.get_file(&final_version))
                .ok_or_else(|| {
                    DemoError::History(format!("step {}: no content for {path}", entry.step))
                })?;
            writes.push((path.clone(), file.contents()));
        }
        for path in &entry.delete {
            check_relative(path)?;
        }
        commits.push(DemoCommit {
            step: entry.step,
            author: Author::new(&who.name, &who.email),
            time,
            // Like `git commit`, which ends every message with a newline.
            message: format!("{}\n", entry.message.trim_end()),
            writes,
            deletes: entry.delete,
        });
    }
    if commits.is_empty() {
        return Err(DemoError::History("no commits".into()));
    }
    Ok(commits)
}

/// The final working tree: repository-relative path (with `/`) and content, sorted by path.
pub fn final_files() -> Vec<(String, &'static [u8])> {
    let mut files = Vec::new();
    if let Some(root) = DEMO.get_dir(FINAL_TREE) {
        collect_files(root, &mut files);
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn collect_files(dir: &Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        if let Ok(rel) = file.path().strip_prefix(FINAL_TREE) {
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, file.contents()));
        }
    }
    for sub in dir.dirs() {
        collect_files(sub, out);
    }
}

/// The id of the demo's final commit, computed in memory without touching the disk.
pub fn expected_head() -> Result<String, DemoError> {
    Ok(replay_in_memory(&history()?)?.to_string())
}

/// Builds the demo git repository at `dest` (created if needed) and returns where it is.
///
/// Idempotent: when `dest` already holds the demo (branch `main` at the same final commit)
/// nothing is written. A `dest` that holds anything else (other files, another repository,
/// an older demo) is left alone and reported as [`DemoError::DestinationOccupied`].
pub fn materialize(dest: &Path) -> Result<DemoInfo, DemoError> {
    let commits = history()?;
    let expected = replay_in_memory(&commits)?;
    let info = |created| DemoInfo {
        path: dest.to_path_buf(),
        head: expected.to_string(),
        commits: commits.len(),
        created,
    };

    if dest.exists() {
        if let Ok(repo) = Repository::open(dest) {
            // The branch, not HEAD: the user may have checked out an older commit to look around.
            let main = repo
                .find_reference("refs/heads/main")
                .ok()
                .and_then(|r| r.target());
            if main == Some(expected) {
                return Ok(info(false));
            }
        }
        let mut entries = std::fs::read_dir(dest).map_err(|source| DemoError::Io {
            path: dest.to_path_buf(),
            source,
        })?;
        if entries.next().is_some() {
            return Err(DemoError::DestinationOccupied {
                path: dest.to_path_buf(),
            });
        }
    }

    // Build beside the destination and move it into place, so an interrupted run never
    // leaves a half-built demo where the next run would refuse it.
    let staging = staging_path(dest);
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|source| DemoError::Io {
            path: staging.clone(),
            source,
        })?;
    }
    let head = match replay_on_disk(&commits, &staging) {
        Ok(head) => head,
        Err(err) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(err);
        }
    };
    if head != expected {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(DemoError::History(format!(
            "replay produced commit {head}, expected {expected}"
        )));
    }
    if dest.exists() {
        // Empty, checked above.
        std::fs::remove_dir(dest).map_err(|source| DemoError::Io {
            path: dest.to_path_buf(),
            source,
        })?;
    }
    std::fs::rename(&staging, dest).map_err(|source| DemoError::Io {
        path: dest.to_path_buf(),
        source,
    })?;
    Ok(info(true))
}

/// `<parent>/.<name>.plumb-partial`: the folder a demo is built in before it is moved.
fn staging_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "demo".to_string());
    let parent = dest.parent().unwrap_or_else(|| Path::new(""));
    parent.join(format!(".{name}.plumb-partial"))
}

/// Replays the history with [`RepoBuilder`] into a new repository at `root`.
fn replay_on_disk(commits: &[DemoCommit], root: &Path) -> Result<Oid, DemoError> {
    let builder = RepoBuilder::init(root)?;
    // Byte-exact blobs whatever the user's global git settings say.
    let mut config = builder.repo().config()?;
    config.set_bool("core.autocrlf", false)?;
    config.set_bool("core.safecrlf", false)?;

    for commit in commits {
        let mut index = builder.repo().index()?;
        for (path, content) in &commit.writes {
            let full = root.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).map_err(|source| DemoError::Io {
                    path: parent.to_path_buf(),
                    source,
                })?;
            }
            std::fs::write(&full, content).map_err(|source| DemoError::Io {
                path: full.clone(),
                source,
            })?;
            // Staged explicitly so a global excludes file (e.g. one that lists `.env`)
            // cannot drop a file from the demo.
            index.add_path(Path::new(path))?;
        }
        for path in &commit.deletes {
            builder.remove(path);
            index.remove_path(Path::new(path))?;
        }
        index.write()?;
        builder.commit(&commit.author, commit.time, &commit.message)?;
    }
    let head = builder.repo().head()?.peel_to_commit()?.id();
    Ok(head)
}

/// Replays the history into an in-memory object database and returns the final commit id.
fn replay_in_memory(commits: &[DemoCommit]) -> Result<Oid, DemoError> {
    let odb = git2::Odb::new()?;
    odb.add_new_mempack_backend(1)?;
    let repo = Repository::from_odb(odb)?;

    let mut tree_files: BTreeMap<&str, Oid> = BTreeMap::new();
    let mut parent: Option<Oid> = None;
    for commit in commits {
        for (path, content) in &commit.writes {
            tree_files.insert(path, repo.blob(content)?);
        }
        for path in &commit.deletes {
            if tree_files.remove(path.as_str()).is_none() {
                return Err(DemoError::History(format!(
                    "step {}: deletes missing {path}",
                    commit.step
                )));
            }
        }
        let mut index = git2::Index::new()?;
        for (path, id) in &tree_files {
            index.add(&index_entry(path, *id))?;
        }
        let tree = repo.find_tree(index.write_tree_to(&repo)?)?;
        let sig = Signature::new(
            &commit.author.name,
            &commit.author.email,
            &Time::new(commit.time, 0),
        )?;
        let parents = match parent {
            Some(id) => vec![repo.find_commit(id)?],
            None => Vec::new(),
        };
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        parent = Some(repo.commit(None, &sig, &sig, &commit.message, &tree, &parent_refs)?);
    }
    parent.ok_or_else(|| DemoError::History("no commits".into()))
}

fn index_entry(path: &str, id: Oid) -> git2::IndexEntry {
    let zero = git2::IndexTime::new(0, 0);
    git2::IndexEntry {
        ctime: zero,
        mtime: zero,
        dev: 0,
        ino: 0,
        mode: 0o100644,
        uid: 0,
        gid: 0,
        file_size: 0,
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// Paths from the embedded history are written to disk: keep them inside the destination.
fn check_relative(path: &str) -> Result<(), DemoError> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(part) if part != ".git"));
    if ok {
        Ok(())
    } else {
        Err(DemoError::History(format!("unsafe path {path:?}")))
    }
}

/// Seconds since the epoch of a TOML offset date-time.
fn epoch_seconds(dt: &toml::value::Datetime) -> Option<i64> {
    let date = dt.date?;
    let time = dt.time?;
    let offset_minutes = match dt.offset? {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => i64::from(minutes),
    };
    let days = days_from_civil(
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    );
    let local = days * 86_400
        + i64::from(time.hour) * 3_600
        + i64::from(time.minute) * 60
        + i64::from(time.second);
    Some(local - offset_minutes * 60)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A planted problem the engine should report on the demo.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    /// Catalogue item id, e.g. `PAY-WEBHOOK-SIG`.
    pub item: String,
    /// Repository-relative path; empty for a repository-wide finding (an absence).
    pub path: String,
    /// 1-based line of the offending code; 0 for whole-file or repository-wide findings.
    pub line: u32,
    /// Text that appears on `line` (checked by the tests), to re-anchor after edits.
    #[serde(default)]
    pub snippet: Option<String>,
    /// For history findings: the step (see `history.toml`) where the evidence lives.
    #[serde(default)]
    pub step: Option<String>,
    /// For pair findings (hidden coupling, duplicates): the other file.
    #[serde(default)]
    pub related: Option<String>,
    pub note: String,
}

/// Code that looks like a problem but is correct: the engine must not report it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedTrap {
    pub item: String,
    pub path: String,
    pub line: u32,
    #[serde(default)]
    pub snippet: Option<String>,
    pub why_not: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    #[serde(rename = "finding")]
    pub findings: Vec<ExpectedFinding>,
    #[serde(rename = "trap")]
    pub traps: Vec<ExpectedTrap>,
}

/// The planted findings and traps from `demo/EXPECTED.toml`.
pub fn expected() -> Result<Expected, DemoError> {
    let text = DEMO
        .get_file("EXPECTED.toml")
        .and_then(|f| f.contents_utf8())
        .ok_or_else(|| DemoError::History("EXPECTED.toml is missing or not UTF-8".into()))?;
    toml::from_str(text).map_err(|e| DemoError::History(format!("EXPECTED.toml: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const HISTORY_ONLY_SECRET: &str = "sk_live_51QvX8kL9qEwjky40UVsWmflzdE1F8RePFkThf4VucSmEHn3YpW";

    fn commits_oldest_first(repo: &Repository) -> Vec<git2::Commit<'_>> {
        let mut walk = repo.revwalk().unwrap();
        walk.push_head().unwrap();
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
            .unwrap();
        walk.map(|id| repo.find_commit(id.unwrap()).unwrap())
            .collect()
    }

    fn tree_files(repo: &Repository, tree: &git2::Tree) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                let blob = repo.find_blob(entry.id()).unwrap();
                files.insert(
                    format!("{dir}{}", entry.name().unwrap()),
                    blob.content().to_vec(),
                );
            }
            git2::TreeWalkResult::Ok
        })
        .unwrap();
        files
    }

    #[test]
    fn materialized_history_has_the_planned_commits_and_authors() {
        let dir = tempfile::tempdir().unwrap();
        let info = materialize(dir.path()).unwrap();
        assert!(info.created);
        assert_eq!(info.commits, history().unwrap().len());
        assert!(
            (40..=80).contains(&info.commits),
            "{} commits",
            info.commits
        );

        let repo = Repository::open(dir.path()).unwrap();
        let commits = commits_oldest_first(&repo);
        assert_eq!(commits.len(), info.commits);
        assert_eq!(commits.last().unwrap().id().to_string(), info.head);

        let authors: BTreeSet<String> = commits
            .iter()
            .map(|c| c.author().name().unwrap().to_string())
            .collect();
        for name in [
            "gpt-engineer-app[bot]",
            "lovable-dev[bot]",
            "Maya Chen",
            "Dmitri Volkov",
            "Cursor Agent",
        ] {
            assert!(authors.contains(name), "missing author {name}: {authors:?}");
        }
        let claude = commits
            .iter()
            .filter(|c| {
                c.message()
                    .unwrap()
                    .contains("Co-Authored-By: Claude <noreply@anthropic.com>")
            })
            .count();
        assert!(claude >= 3, "{claude} Claude-co-authored commits");

        let first = commits.first().unwrap().time().seconds();
        let last = commits.last().unwrap().time().seconds();
        let months = (last - first) / (30 * 86_400);
        assert!((9..=12).contains(&months), "history spans {months} months");
    }

    #[test]
    fn head_tree_equals_the_embedded_final_tree() {
        let dir = tempfile::tempdir().unwrap();
        materialize(dir.path()).unwrap();
        let repo = Repository::open(dir.path()).unwrap();
        let tree = repo.head().unwrap().peel_to_tree().unwrap();
        let in_git = tree_files(&repo, &tree);
        let embedded: BTreeMap<String, Vec<u8>> = final_files()
            .into_iter()
            .map(|(p, c)| (p, c.to_vec()))
            .collect();
        assert_eq!(
            in_git.keys().collect::<Vec<_>>(),
            embedded.keys().collect::<Vec<_>>()
        );
        assert!(in_git == embedded, "file contents differ from demo/repo");
        assert!(
            in_git.contains_key(".env"),
            "the committed .env is part of the demo"
        );
        // The working tree is clean: nothing differs from HEAD.
        let statuses = repo.statuses(None).unwrap();
        assert_eq!(statuses.len(), 0);
    }

    #[test]
    fn commit_ids_are_the_same_every_time() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let first = materialize(a.path()).unwrap();
        let second = materialize(b.path()).unwrap();
        assert_eq!(first.head, second.head);
        assert_eq!(first.head, expected_head().unwrap());
    }

    #[test]
    fn materializing_again_at_the_same_commit_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let first = materialize(dir.path()).unwrap();
        let marker = dir.path().join("README.md");
        let before = std::fs::metadata(&marker).unwrap().modified().unwrap();
        let again = materialize(dir.path()).unwrap();
        assert!(!again.created);
        assert_eq!(again.head, first.head);
        assert_eq!(
            std::fs::metadata(&marker).unwrap().modified().unwrap(),
            before
        );
        // Still the demo after the user checks out an older commit.
        let repo = Repository::open(dir.path()).unwrap();
        let older = commits_oldest_first(&repo)[10].id();
        repo.set_head_detached(older).unwrap();
        assert!(!materialize(dir.path()).unwrap().created);
    }

    #[test]
    fn a_leftover_from_an_interrupted_run_is_replaced() {
        let parent = tempfile::tempdir().unwrap();
        let dest = parent.path().join("invoicely");
        let leftover = staging_path(&dest);
        std::fs::create_dir_all(leftover.join("src")).unwrap();
        std::fs::write(leftover.join("src/half.ts"), "export {}").unwrap();
        let info = materialize(&dest).unwrap();
        assert!(info.created);
        assert!(!leftover.exists());
        assert!(!dest.join("src/half.ts").exists());
        assert_eq!(
            Repository::open(&dest)
                .unwrap()
                .head()
                .unwrap()
                .target()
                .unwrap()
                .to_string(),
            info.head
        );
        let siblings: Vec<_> = std::fs::read_dir(parent.path()).unwrap().collect();
        assert_eq!(
            siblings.len(),
            1,
            "only the demo is left in the parent folder"
        );
    }

    #[test]
    fn refuses_a_destination_that_holds_something_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = materialize(dir.path()).unwrap_err();
        assert!(
            matches!(err, DemoError::DestinationOccupied { .. }),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
            "mine"
        );

        let other = tempfile::tempdir().unwrap();
        let builder = RepoBuilder::init(other.path()).unwrap();
        builder.write("a.txt", "x");
        builder
            .commit(&Author::new("A", "a@example.com"), 1_700_000_000, "other")
            .unwrap();
        assert!(matches!(
            materialize(other.path()),
            Err(DemoError::DestinationOccupied { .. })
        ));
    }

    #[test]
    fn history_only_secret_is_in_an_earlier_commit_but_not_in_head() {
        let dir = tempfile::tempdir().unwrap();
        materialize(dir.path()).unwrap();
        let repo = Repository::open(dir.path()).unwrap();
        let commits = commits_oldest_first(&repo);
        let holds_secret = |commit: &git2::Commit| {
            tree_files(&repo, &commit.tree().unwrap())
                .values()
                .any(|content| String::from_utf8_lossy(content).contains(HISTORY_ONLY_SECRET))
        };
        let with_secret: Vec<usize> = (0..commits.len())
            .filter(|&i| holds_secret(&commits[i]))
            .collect();
        assert!(
            !with_secret.is_empty(),
            "the secret never appears in history"
        );
        assert!(
            !holds_secret(commits.last().unwrap()),
            "the secret is still in HEAD"
        );
        let introduced = &commits[with_secret[0]];
        let checkout = introduced
            .tree()
            .unwrap()
            .get_path(Path::new("supabase/functions/create-checkout/index.ts"))
            .unwrap();
        let content = repo.find_blob(checkout.id()).unwrap();
        assert!(String::from_utf8_lossy(content.content()).contains(HISTORY_ONLY_SECRET));
    }

    #[test]
    fn every_commit_changes_the_tree() {
        let commits = history().unwrap();
        let mut tree: BTreeMap<String, &[u8]> = BTreeMap::new();
        for commit in &commits {
            let before = tree.clone();
            for (path, content) in &commit.writes {
                tree.insert(path.clone(), content);
            }
            for path in &commit.deletes {
                assert!(
                    tree.remove(path).is_some(),
                    "step {} deletes missing {path}",
                    commit.step
                );
            }
            assert_ne!(before, tree, "step {} changes nothing", commit.step);
        }
    }

    #[test]
    fn coupled_files_change_together_without_importing_each_other() {
        let commits = history().unwrap();
        let changed =
            |commit: &DemoCommit, path: &str| commit.writes.iter().any(|(p, _)| p == path);
        let pairs = [
            (
                "src/components/InvoiceStatusBadge.tsx",
                "supabase/functions/stripe-webhook/index.ts",
            ),
            ("src/lib/pricing.ts", "src/components/InvoiceForm.tsx"),
        ];
        let files: BTreeMap<String, &[u8]> = final_files().into_iter().collect();
        for (a, b) in pairs {
            let together = commits
                .iter()
                .filter(|c| changed(c, a) && changed(c, b))
                .count();
            assert!(
                together >= 4,
                "{a} and {b} change together {together} times"
            );
            let text_a = String::from_utf8_lossy(files[a]);
            let text_b = String::from_utf8_lossy(files[b]);
            let stem = |p: &str| {
                Path::new(p)
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .to_string()
            };
            assert!(
                !text_a.contains(&format!("/{}\"", stem(b))),
                "{a} imports {b}"
            );
            assert!(
                !text_b.contains(&format!("/{}\"", stem(a))),
                "{b} imports {a}"
            );
        }
    }

    #[test]
    fn client_imports_resolve() {
        let files: BTreeMap<String, &[u8]> = final_files().into_iter().collect();
        let resolves = |base: &str| {
            ["", ".ts", ".tsx", "/index.ts", "/index.tsx"]
                .iter()
                .any(|ext| files.contains_key(&format!("{base}{ext}")))
        };
        let mut checked = 0;
        for (path, content) in &files {
            if !(path.ends_with(".ts") || path.ends_with(".tsx")) {
                continue;
            }
            let text = String::from_utf8_lossy(content);
            for line in text
                .lines()
                .filter(|l| l.trim_start().starts_with("import ") || l.contains("} from \""))
            {
                let Some(spec) = line
                    .rsplit("from \"")
                    .next()
                    .and_then(|s| s.split('"').next())
                else {
                    continue;
                };
                let target = if let Some(rest) = spec.strip_prefix("@/") {
                    format!("src/{rest}")
                } else if spec.starts_with('.') {
                    let dir = Path::new(path).parent().unwrap();
                    normalize(&dir.join(spec))
                } else {
                    continue;
                };
                assert!(
                    resolves(&target),
                    "{path}: import {spec:?} does not resolve"
                );
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} imports checked");
    }

    fn normalize(path: &Path) -> String {
        let mut parts: Vec<String> = Vec::new();
        for c in path.components() {
            match c {
                Component::ParentDir => {
                    parts.pop();
                }
                Component::Normal(p) => parts.push(p.to_string_lossy().to_string()),
                _ => {}
            }
        }
        parts.join("/")
    }

    #[test]
    fn tables_the_client_queries_exist_in_migrations() {
        let files = final_files();
        let migrations: String = files
            .iter()
            .filter(|(p, _)| p.starts_with("supabase/migrations/"))
            .map(|(_, c)| String::from_utf8_lossy(c).to_string())
            .collect();
        for (path, content) in &files {
            if !(path.starts_with("src/") || path.starts_with("supabase/functions/")) {
                continue;
            }
            let text = String::from_utf8_lossy(content);
            for piece in text.split(".from(\"").skip(1) {
                let table = piece.split('"').next().unwrap();
                assert!(
                    migrations.contains(&format!("create table public.{table} (")),
                    "{path} queries table {table} that no migration creates"
                );
            }
        }
    }

    #[test]
    fn migrations_have_timestamped_names_in_order() {
        let names: Vec<String> = final_files()
            .into_iter()
            .filter_map(|(p, _)| p.strip_prefix("supabase/migrations/").map(str::to_string))
            .collect();
        assert!(
            (6..=10).contains(&names.len()),
            "{} migrations",
            names.len()
        );
        for name in &names {
            let (stamp, rest) = name.split_once('_').unwrap();
            assert!(
                stamp.len() == 14 && stamp.bytes().all(|b| b.is_ascii_digit()),
                "{name}"
            );
            assert!(rest.ends_with(".sql"), "{name}");
        }
    }

    /// Every item id of CATALOGUE.md (v1).
    const CATALOGUE_IDS: &[&str] = &[
        "DATA-INDEX",
        "DATA-UNBOUNDED",
        "DATA-NPLUS1",
        "DATA-MIGRATIONS",
        "DATA-TXN",
        "DATA-CONSTRAINTS",
        "PAY-WEBHOOK-SIG",
        "PAY-WEBHOOK-IDEMP",
        "PAY-IDEMP-KEY",
        "PAY-FLOAT-MONEY",
        "INT-TIMEOUT",
        "INT-PARTIAL",
        "AUTH-ROUTE",
        "AUTH-TENANT",
        "AUTH-RLS",
        "AUTH-CACHE-KEY",
        "AUTH-PRIV-KEY",
        "AUTH-DANGER-ENDPOINT",
        "SEC-SECRETS",
        "SEC-SQLI",
        "SEC-XSS",
        "SEC-CORS",
        "SEC-INPUT",
        "SEC-RATE",
        "SEC-DEPS",
        "SEC-CRYPTO",
        "ERR-SWALLOW",
        "ERR-UNHANDLED",
        "ERR-INCONSISTENT",
        "OBS-ERROR-TRACKING",
        "OBS-LOGGING",
        "OBS-HEALTH",
        "OPS-CONFIG",
        "OPS-CI",
        "OPS-TEST-THEATRE",
        "OPS-TYPES",
        "OPS-DEPLOY",
        "TEST-CRITICAL",
        "TEST-HOTSPOT",
        "ARCH-CYCLE",
        "ARCH-GOD",
        "ARCH-HIDDEN-COUPLING",
        "ARCH-DUP",
        "ARCH-LAYER",
        "ARCH-PATTERNS",
        "ARCH-FAKE-DONE",
        "TIME-TZ",
        "KNOW-AI",
        "KNOW-BUS",
        "KNOW-DOCS",
        "LIFE-DELETE",
        "LIFE-BACKUP",
    ];

    /// The file's text at `step` (its earlier version when one exists), else in the final tree.
    fn text_at(path: &str, step: Option<&str>) -> Option<String> {
        let earlier = step.and_then(|s| DEMO.get_file(format!("{EARLIER_VERSIONS}/{s}/{path}")));
        let file = earlier.or_else(|| DEMO.get_file(format!("{FINAL_TREE}/{path}")))?;
        file.contents_utf8().map(str::to_string)
    }

    fn check_anchor(
        kind: &str,
        item: &str,
        path: &str,
        line: u32,
        snippet: Option<&str>,
        step: Option<&str>,
    ) {
        assert!(
            CATALOGUE_IDS.contains(&item),
            "{kind} {item}: not a catalogue id"
        );
        if path.is_empty() {
            assert_eq!(line, 0, "{kind} {item}: a repository-wide entry has line 0");
            return;
        }
        let text = text_at(path, step).unwrap_or_else(|| panic!("{kind} {item}: no file {path}"));
        match (line, snippet) {
            (0, None) => {}
            (0, Some(_)) | (_, None) => {
                panic!("{kind} {item} {path}: a line needs a snippet and vice versa")
            }
            (n, Some(snippet)) => {
                let at = text
                    .lines()
                    .nth(n as usize - 1)
                    .unwrap_or_else(|| panic!("{kind} {item} {path}:{n}: past the end"));
                assert!(
                    at.contains(snippet),
                    "{kind} {item} {path}:{n} is {at:?}, expected {snippet:?}"
                );
            }
        }
    }

    #[test]
    fn expected_findings_point_at_the_planted_code() {
        let expected = expected().unwrap();
        for f in &expected.findings {
            check_anchor(
                "finding",
                &f.item,
                &f.path,
                f.line,
                f.snippet.as_deref(),
                f.step.as_deref(),
            );
            assert!(
                !f.note.trim().is_empty(),
                "{} {}: empty note",
                f.item,
                f.path
            );
            if let Some(related) = &f.related {
                assert!(
                    text_at(related, None).is_some(),
                    "{} {}: related {related} is missing",
                    f.item,
                    f.path
                );
            }
            if let Some(step) = &f.step {
                assert!(
                    history().unwrap().iter().any(|c| &c.step == step),
                    "{}: unknown step {step}",
                    f.item
                );
            }
        }
        let items: BTreeSet<&str> = expected.findings.iter().map(|f| f.item.as_str()).collect();
        assert!(
            items.len() >= 35,
            "planted findings cover only {} catalogue items",
            items.len()
        );
    }

    #[test]
    fn expected_traps_point_at_correct_code_that_is_not_also_a_finding() {
        let expected = expected().unwrap();
        assert!(expected.traps.len() >= 10, "{} traps", expected.traps.len());
        let planted: BTreeSet<(&str, &str, u32)> = expected
            .findings
            .iter()
            .map(|f| (f.item.as_str(), f.path.as_str(), f.line))
            .collect();
        for t in &expected.traps {
            check_anchor("trap", &t.item, &t.path, t.line, t.snippet.as_deref(), None);
            assert!(
                t.line > 0,
                "trap {} {}: a trap points at a line",
                t.item,
                t.path
            );
            assert!(!t.why_not.trim().is_empty());
            assert!(
                !planted.contains(&(t.item.as_str(), t.path.as_str(), t.line)),
                "trap {} {}:{} is also planted",
                t.item,
                t.path,
                t.line
            );
        }
    }

    #[test]
    fn jwt_traps_and_findings_decode_to_the_roles_they_claim() {
        let role_of = |path: &str| {
            let text = text_at(path, None).unwrap();
            let token = text
                .split('"')
                .find(|s| s.starts_with("eyJ") && s.matches('.').count() == 2)
                .unwrap()
                .to_string();
            let payload = token.split('.').nth(1).unwrap();
            let json = decode_base64url(payload);
            let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
            assert_eq!(value["iss"], "supabase");
            value["role"].as_str().unwrap().to_string()
        };
        assert_eq!(role_of("src/lib/supabase.ts"), "anon");
        assert_eq!(role_of("src/lib/supabaseAdmin.ts"), "service_role");
    }

    /// Minimal base64url decoding for the test (no padding), to avoid a dependency.
    fn decode_base64url(input: &str) -> Vec<u8> {
        let value = |c: u8| match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {c}"),
        };
        let mut out = Vec::new();
        let mut buffer = 0u32;
        let mut bits = 0;
        for &c in input.as_bytes() {
            buffer = (buffer << 6) | u32::from(value(c));
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        out
    }

    #[test]
    fn epoch_conversion_matches_known_dates() {
        let parse = |s: &str| epoch_seconds(&s.parse::<toml::value::Datetime>().unwrap()).unwrap();
        assert_eq!(parse("1970-01-01T00:00:00Z"), 0);
        assert_eq!(parse("2025-03-10T09:14:02Z"), 1_741_598_042);
        assert_eq!(parse("2024-02-29T12:00:00+02:00"), 1_709_200_800);
        assert!(epoch_seconds(&"2025-03-10".parse().unwrap()).is_none());
    }

    #[test]
    fn unsafe_history_paths_are_rejected() {
        for bad in ["../escape", "/etc/passwd", ".git/config", "a/../../b", ""] {
            assert!(check_relative(bad).is_err(), "{bad}");
        }
        assert!(check_relative("src/lib/supabase.ts").is_ok());
        assert!(check_relative(".github/workflows/ci.yml").is_ok());
    }
}
