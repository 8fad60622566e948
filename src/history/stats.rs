//! Per-file statistics for the files at HEAD, the repository headline and hotspots.
//!
//! Only non-merge commits with a complete diff count (see the module doc of `history`).
//! Authors are told apart by name, as code-maat does. "Newest" means first in the walk
//! (committer time order).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::{DiagnosticKind, History};

/// A reference to the commit that made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRef {
    pub commit: String,
    pub time: i64,
    pub author: String,
    /// The agent, when the commit is attributed to one.
    pub agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileHistory {
    /// Commits touching the file inside the window.
    pub revisions_in_window: u32,
    /// Commits touching the file in all the history that was read.
    pub revisions: u32,
    /// Lines added plus removed inside the window.
    pub churn_in_window: u64,
    pub authors: u32,
    /// The author with most commits to the file; a tie goes to the one who changed it last.
    pub main_author: Option<String>,
    /// Share (0..=1) of the file's commits attributed to agents.
    pub agent_share: f64,
    pub last_change: Option<ChangeRef>,
    pub last_changed_by_agent: bool,
    pub last_agent_change: Option<ChangeRef>,
    /// A person changed the file after the last agent change (false when no agent ever did).
    pub human_since_last_agent: bool,
}

/// Repository-wide figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Headline {
    /// All commits read, merges included.
    pub commits: u32,
    pub merge_commits: u32,
    /// Non-merge commits attributed to an agent.
    pub agent_commits: u32,
    /// `agent_commits` over non-merge commits (0 when there are none).
    pub agent_commit_share: f64,
    pub head_files: u32,
    /// HEAD files whose last recorded change was made by an agent.
    pub files_last_changed_by_agent: u32,
    /// `files_last_changed_by_agent` over HEAD files with a recorded change.
    pub files_last_changed_by_agent_share: f64,
    /// Oldest and newest committer time of the commits read.
    pub first_commit_time: Option<i64>,
    pub last_commit_time: Option<i64>,
    pub missing_objects: u32,
    pub shallow: bool,
}

/// Statistics for every file in HEAD's tree, keyed by path.
pub fn file_stats(history: &History) -> BTreeMap<String, FileHistory> {
    #[derive(Default)]
    struct Acc {
        revisions_in_window: u32,
        revisions: u32,
        churn: u64,
        agent_commits: u32,
        // author -> (commits, walk index of their newest commit)
        authors: HashMap<String, (u32, usize)>,
        last_change: Option<ChangeRef>,
        last_agent_change: Option<ChangeRef>,
        human_before_agent: bool,
    }
    let mut acc: HashMap<&str, Acc> = history.head_files.iter().map(|p| (p.as_str(), Acc::default())).collect();
    for (index, commit) in history.commits.iter().enumerate().filter(|(_, c)| c.counts_for_files()) {
        for change in &commit.changes {
            let Some(file) = acc.get_mut(change.path.as_str()) else { continue };
            let change_ref = || ChangeRef {
                commit: commit.id.clone(),
                time: commit.committer_time,
                author: commit.author_name.clone(),
                agent: commit.agent.as_ref().map(|a| a.agent.clone()),
            };
            file.revisions += 1;
            if commit.in_window {
                file.revisions_in_window += 1;
                file.churn += change.lines.map_or(0, |l| u64::from(l.added) + u64::from(l.removed));
            }
            file.authors.entry(commit.author_name.clone()).or_insert((0, index)).0 += 1;
            if file.last_change.is_none() {
                file.last_change = Some(change_ref());
            }
            if commit.agent.is_some() {
                file.agent_commits += 1;
                if file.last_agent_change.is_none() {
                    file.last_agent_change = Some(change_ref());
                }
            } else if file.last_agent_change.is_none() {
                file.human_before_agent = true;
            }
        }
    }
    acc.into_iter()
        .map(|(path, a)| {
            let main_author = a
                .authors
                .iter()
                .max_by(|x, y| x.1 .0.cmp(&y.1 .0).then(y.1 .1.cmp(&x.1 .1)))
                .map(|(name, _)| name.clone());
            let stats = FileHistory {
                revisions_in_window: a.revisions_in_window,
                revisions: a.revisions,
                churn_in_window: a.churn,
                authors: a.authors.len() as u32,
                main_author,
                agent_share: if a.revisions == 0 { 0.0 } else { f64::from(a.agent_commits) / f64::from(a.revisions) },
                last_changed_by_agent: a.last_change.as_ref().is_some_and(|c| c.agent.is_some()),
                human_since_last_agent: a.last_agent_change.is_some() && a.human_before_agent,
                last_change: a.last_change,
                last_agent_change: a.last_agent_change,
            };
            (path.to_string(), stats)
        })
        .collect()
}

pub(super) fn headline(history: &History) -> Headline {
    let commits = &history.commits;
    let merge_commits = commits.iter().filter(|c| c.is_merge()).count() as u32;
    let agent_commits = commits.iter().filter(|c| !c.is_merge() && c.agent.is_some()).count() as u32;
    let non_merge = commits.len() as u32 - merge_commits;
    let stats = file_stats(history);
    let changed = stats.values().filter(|s| s.last_change.is_some()).count() as u32;
    let by_agent = stats.values().filter(|s| s.last_changed_by_agent).count() as u32;
    let ratio = |a: u32, b: u32| if b == 0 { 0.0 } else { f64::from(a) / f64::from(b) };
    // Each missing object is reported once per commit that needed it.
    let missing: HashSet<(&Option<String>, &str)> = history
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::MissingObject)
        .map(|d| (&d.commit, d.message.as_str()))
        .collect();
    Headline {
        commits: commits.len() as u32,
        merge_commits,
        agent_commits,
        agent_commit_share: ratio(agent_commits, non_merge),
        head_files: history.head_files.len() as u32,
        files_last_changed_by_agent: by_agent,
        files_last_changed_by_agent_share: ratio(by_agent, changed),
        first_commit_time: commits.iter().map(|c| c.committer_time).min(),
        last_commit_time: commits.iter().map(|c| c.committer_time).max(),
        missing_objects: missing.len() as u32,
        shallow: history.diagnostics.iter().any(|d| d.kind == DiagnosticKind::ShallowHistory),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hotspot {
    /// 1 = hottest.
    pub rank: u32,
    pub path: String,
    pub revisions_in_window: u32,
    pub complexity: u32,
    /// `revisions_in_window × complexity`.
    pub score: u64,
}

/// Ranks files by revisions in the window × complexity (from the caller, keyed by path),
/// highest first, then by path. Files without a complexity entry or with a zero score are
/// left out.
pub fn hotspots(stats: &BTreeMap<String, FileHistory>, complexity: &HashMap<String, u32>) -> Vec<Hotspot> {
    let mut spots: Vec<Hotspot> = stats
        .iter()
        .filter_map(|(path, s)| {
            let complexity = *complexity.get(path)?;
            let score = u64::from(s.revisions_in_window) * u64::from(complexity);
            (score > 0).then(|| Hotspot {
                rank: 0,
                path: path.clone(),
                revisions_in_window: s.revisions_in_window,
                complexity,
                score,
            })
        })
        .collect();
    spots.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.path.cmp(&b.path)));
    for (i, spot) in spots.iter_mut().enumerate() {
        spot.rank = i as u32 + 1;
    }
    spots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(path: &str, revisions_in_window: u32) -> (String, FileHistory) {
        let s = FileHistory {
            revisions_in_window,
            revisions: revisions_in_window,
            churn_in_window: 0,
            authors: 1,
            main_author: None,
            agent_share: 0.0,
            last_change: None,
            last_changed_by_agent: false,
            last_agent_change: None,
            human_since_last_agent: false,
        };
        (path.to_string(), s)
    }

    #[test]
    fn hotspots_rank_by_score_then_path() {
        let all: BTreeMap<String, FileHistory> =
            [stats("src/a.ts", 10), stats("src/b.ts", 4), stats("src/c.ts", 20), stats("src/d.ts", 0), stats("README.md", 50)]
                .into_iter()
                .collect();
        let complexity: HashMap<String, u32> =
            [("src/a.ts", 4), ("src/b.ts", 10), ("src/c.ts", 3), ("src/d.ts", 9)].map(|(p, c)| (p.to_string(), c)).into_iter().collect();
        let spots = hotspots(&all, &complexity);
        let ranked: Vec<(u32, &str, u64)> = spots.iter().map(|h| (h.rank, h.path.as_str(), h.score)).collect();
        // c: 20×3 = 60; a: 10×4 = 40 and b: 4×10 = 40 tie, so path order; d scores 0; README has no complexity.
        assert_eq!(ranked, vec![(1, "src/c.ts", 60), (2, "src/a.ts", 40), (3, "src/b.ts", 40)]);
    }
}
