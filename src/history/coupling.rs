//! Change coupling (logical coupling) with code-maat's semantics
//! (`code-maat.analysis.logical-coupling`, `coupling-algos` and `sum-of-coupling`):
//!
//! - The input is the change set (files touched) of each non-merge commit with a complete
//!   diff inside the window (see `history`'s module doc). Coupling describes how the code
//!   changes now, not how it changed years ago.
//! - Change sets with more than `max_changeset_size` files are dropped first (bulk formatting,
//!   renames, scaffolding), and dropped from the revision counts too.
//! - `revs(f)`: remaining commits touching `f` (a one-file commit counts).
//!   `shared(a, b)`: remaining commits touching both.
//! - `degree = shared / ((revs(a) + revs(b)) / 2) × 100`.
//! - A pair is reported when `average revs >= min_revs`, `shared >= min_shared_revs` and
//!   `degree >= min_coupling` (the exact percentage; code-maat prints it truncated to an
//!   integer, here it stays a float).
//! - Sum of coupling (code-maat's `soc`): for each file, the sum over the remaining commits
//!   that touch it of (change set size − 1), i.e. the sum of its shared revisions with every
//!   other file. Like code-maat, no threshold other than `max_changeset_size` applies to it.
//!
//! Deleted files count like any other path, as in code-maat; callers that only want HEAD's
//! files filter the pairs with `History::head_files`.

use std::collections::HashMap;

use serde::Serialize;

use super::History;

#[derive(Debug, Clone, PartialEq)]
pub struct CouplingOptions {
    pub min_revs: u32,
    pub min_shared_revs: u32,
    /// Percent.
    pub min_coupling: f64,
    pub max_changeset_size: usize,
}

impl Default for CouplingOptions {
    fn default() -> Self {
        CouplingOptions { min_revs: 5, min_shared_revs: 5, min_coupling: 30.0, max_changeset_size: 30 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoupledPair {
    /// `a < b` by path.
    pub a: String,
    pub b: String,
    pub shared_revs: u32,
    pub revs_a: u32,
    pub revs_b: u32,
    pub average_revs: f64,
    /// Percent, 0..=100.
    pub degree: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileCoupling {
    pub path: String,
    pub soc: u64,
}

/// Interned change sets of the commits that take part in coupling.
struct ChangeSets<'h> {
    paths: Vec<&'h str>,
    sets: Vec<Vec<u32>>,
}

fn change_sets<'h>(history: &'h History, opts: &CouplingOptions) -> ChangeSets<'h> {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut paths = Vec::new();
    let mut sets = Vec::new();
    for commit in history.commits.iter().filter(|c| c.in_window && c.counts_for_files()) {
        if commit.changes.is_empty() || commit.changes.len() > opts.max_changeset_size {
            continue;
        }
        let set = commit
            .changes
            .iter()
            .map(|change| {
                *ids.entry(change.path.as_str()).or_insert_with(|| {
                    paths.push(change.path.as_str());
                    paths.len() as u32 - 1
                })
            })
            .collect();
        sets.push(set);
    }
    ChangeSets { paths, sets }
}

/// Coupled pairs over the window, sorted by degree (desc), shared revisions (desc), then paths.
pub fn coupling(history: &History, opts: &CouplingOptions) -> Vec<CoupledPair> {
    let ChangeSets { paths, sets } = change_sets(history, opts);
    let mut revs = vec![0u32; paths.len()];
    let mut shared: HashMap<(u32, u32), u32> = HashMap::new();
    for set in &sets {
        for (i, &x) in set.iter().enumerate() {
            revs[x as usize] += 1;
            for &y in &set[i + 1..] {
                let key = if paths[x as usize] < paths[y as usize] { (x, y) } else { (y, x) };
                *shared.entry(key).or_insert(0) += 1;
            }
        }
    }
    let mut pairs: Vec<CoupledPair> = shared
        .into_iter()
        .filter_map(|((a, b), shared_revs)| {
            let (revs_a, revs_b) = (revs[a as usize], revs[b as usize]);
            let average_revs = f64::from(revs_a + revs_b) / 2.0;
            let degree = f64::from(shared_revs) / average_revs * 100.0;
            let keep = average_revs >= f64::from(opts.min_revs)
                && shared_revs >= opts.min_shared_revs
                && degree >= opts.min_coupling;
            keep.then(|| CoupledPair {
                a: paths[a as usize].to_string(),
                b: paths[b as usize].to_string(),
                shared_revs,
                revs_a,
                revs_b,
                average_revs,
                degree,
            })
        })
        .collect();
    pairs.sort_by(|x, y| {
        y.degree
            .total_cmp(&x.degree)
            .then(y.shared_revs.cmp(&x.shared_revs))
            .then_with(|| x.a.cmp(&y.a))
            .then_with(|| x.b.cmp(&y.b))
    });
    pairs
}

/// Sum of coupling per file over the window, highest first, then by path; files with 0 are
/// left out.
pub fn sum_of_coupling(history: &History, opts: &CouplingOptions) -> Vec<FileCoupling> {
    let ChangeSets { paths, sets } = change_sets(history, opts);
    let mut soc = vec![0u64; paths.len()];
    for set in &sets {
        for &x in set {
            soc[x as usize] += set.len() as u64 - 1;
        }
    }
    let mut out: Vec<FileCoupling> = paths
        .iter()
        .zip(soc)
        .filter(|(_, soc)| *soc > 0)
        .map(|(path, soc)| FileCoupling { path: path.to_string(), soc })
        .collect();
    out.sort_by(|x, y| y.soc.cmp(&x.soc).then_with(|| x.path.cmp(&y.path)));
    out
}
