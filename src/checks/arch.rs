//! ARCH detectors: import cycles, god files, hidden coupling, duplicated rules, UI code that
//! talks to the database or secrets, competing libraries, and placeholder behaviour. See the
//! catalogue (`queries/catalogue/arch.toml`) for what each item means.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use tree_sitter::Node;

use super::repo::{Repo, RepoFile};
use super::roles::{is_data_write_callee, normalize_callee, EntryKind};
use super::source::SourceFile;
use super::{keep, Confidence, Detector, Draft, Severity};
use crate::graph::{Resolution, Resolver};
use crate::lang::Lang;
use crate::model::{DefKind, ImportKind};

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(Cycles),
        Box::new(GodFiles),
        Box::new(HiddenCoupling),
        Box::new(Duplicates),
        Box::new(Layers),
        Box::new(Patterns),
        Box::new(FakeDone),
    ]
}

fn is_js(lang: Lang) -> bool {
    matches!(lang, Lang::TypeScript | Lang::Tsx | Lang::JavaScript)
}

/// Vendored or generated code nobody in the team wrote (shadcn/ui copies, generated clients).
fn is_vendored(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        "node_modules/",
        "vendor/",
        "components/ui/",
        "generated/",
        "__generated__/",
        "dist/",
        "build/",
    ]
    .iter()
    .any(|d| lower.starts_with(d) || lower.contains(&format!("/{d}")))
        || lower.contains(".generated.")
        || lower.ends_with(".min.js")
}

fn short(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

// ------------------------------------------------------------------------------------------
// Import sites: which line of a file imports which repository file.

/// Resolves import specifiers to repository files (the same resolver the map uses).
struct Sites<'r> {
    repo: &'r Repo,
    paths: Vec<String>,
}

impl<'r> Sites<'r> {
    fn new(repo: &'r Repo) -> Sites<'r> {
        let mut paths: Vec<String> = repo.files.iter().map(|f| f.path.clone()).collect();
        paths.sort();
        paths.dedup();
        Sites { repo, paths }
    }

    /// Runs `f` with a resolver over the repository.
    fn with<T>(&self, f: impl FnOnce(&SiteResolver) -> T) -> T {
        let read = |p: &str| self.repo.content(p);
        let resolver = Resolver::new(&self.paths, &read);
        f(&SiteResolver {
            resolver,
            paths: &self.paths,
        })
    }
}

struct SiteResolver<'a> {
    resolver: Resolver<'a>,
    paths: &'a [String],
}

/// One import line of a file that resolves to a repository file.
struct Site {
    line: u32,
    target: String,
    specifier: String,
    kind: ImportKind,
}

impl SiteResolver<'_> {
    fn sites(&self, file: &RepoFile) -> Vec<Site> {
        let mut out = Vec::new();
        for imp in &file.imports {
            if let Resolution::Files(ids) =
                self.resolver.resolve(&file.path, file.lang, &imp.specifier)
            {
                for id in ids {
                    if let Some(target) = self.paths.get(id as usize) {
                        out.push(Site {
                            line: imp.line,
                            target: target.clone(),
                            specifier: imp.specifier.clone(),
                            kind: imp.kind,
                        });
                    }
                }
            }
        }
        out
    }
}

/// Whether an import runs when the module loads (not `import type`, not `import()`, not a
/// Python import inside a function).
fn loads_at_startup(site: &Site, line_text: &str) -> bool {
    let t = line_text.trim_start();
    site.kind != ImportKind::Dynamic
        && !t.starts_with("import type")
        && !t.starts_with("export type")
        && !(line_text.starts_with([' ', '\t'])
            && (t.starts_with("from ") || t.starts_with("import ")))
}

// ------------------------------------------------------------------------------------------
// ARCH-CYCLE

struct Cycles;

impl Detector for Cycles {
    fn name(&self) -> &'static str {
        "arch-cycle"
    }

    fn items(&self) -> &'static [&'static str] {
        &["ARCH-CYCLE"]
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let members: Vec<&RepoFile> = repo
            .files
            .iter()
            .filter(|f| repo.metrics(&f.path).cycle.is_some() && !f.roles.test)
            .collect();
        if members.is_empty() {
            return;
        }
        let sites = Sites::new(repo);
        // Runtime import edges among files the map put in a cycle.
        let in_cycle: HashSet<&str> = members.iter().map(|f| f.path.as_str()).collect();
        let mut edges: Vec<Edge> = Vec::new();
        sites.with(|r| {
            for f in &members {
                let text = repo.content(&f.path).unwrap_or_default();
                let lines: Vec<&str> = text.lines().collect();
                for s in r.sites(f) {
                    let line_text = lines
                        .get(s.line.saturating_sub(1) as usize)
                        .copied()
                        .unwrap_or("");
                    if in_cycle.contains(s.target.as_str()) && loads_at_startup(&s, line_text) {
                        edges.push(Edge {
                            from: f.path.clone(),
                            to: s.target,
                            line: s.line,
                            specifier: s.specifier,
                        });
                    }
                }
            }
        });
        edges.sort_by(|a, b| (&a.from, a.line, &a.to).cmp(&(&b.from, b.line, &b.to)));
        edges.dedup_by(|a, b| a.from == b.from && a.to == b.to);
        let mut history = BlobHistory::open(repo);
        for component in strongly_connected(&edges) {
            let inner: Vec<&Edge> = edges
                .iter()
                .filter(|e| component.contains(&e.from) && component.contains(&e.to))
                .collect();
            if inner.is_empty() {
                continue;
            }
            // The import added last is the one that closed the cycle.
            let dated: Vec<(&Edge, Option<Added>)> =
                inner.iter().map(|e| (*e, history.added(repo, e))).collect();
            let known = dated.iter().all(|(_, a)| a.is_some());
            let (closing, added) = dated
                .iter()
                .max_by(|(a, ta), (b, tb)| {
                    let ka = ta.as_ref().map(|t| t.time);
                    let kb = tb.as_ref().map(|t| t.time);
                    ka.cmp(&kb)
                        .then_with(|| (&b.from, b.line).cmp(&(&a.from, a.line)))
                })
                .map(|(e, a)| (*e, a.clone()))
                .expect("a cycle has edges");
            let ring = ring_through(closing, &inner);
            let mut names: Vec<&str> = ring.iter().map(|e| e.from.as_str()).collect();
            names.push(closing.from.as_str());
            let mut d = Draft::new(
                "ARCH-CYCLE",
                &closing.from,
                closing.line,
                closing.line,
                format!(
                    "{} imports {}, which {}imports {} back: an import cycle of {} files{}.",
                    closing.from,
                    closing.to,
                    if ring.len() > 2 {
                        "through other modules "
                    } else {
                        ""
                    },
                    short(&closing.from),
                    component.len(),
                    match (&added, known) {
                        (Some(a), true) => format!(
                            ", closed by this import ({} by {})",
                            super::know::date_of(a.time),
                            a.author
                        ),
                        _ => String::new(),
                    }
                ),
            )
            .confidence(Confidence::High)
            .anchor(format!(
                "cycle {}",
                component.iter().cloned().collect::<Vec<_>>().join(" ")
            ))
            .fact(format!("cycle: {}", names.join(" → ")));
            if !known {
                d = d.fact("the history does not date every import, so the import shown is the last one added as far as it knows (or the first in path order)");
            }
            for e in ring.iter().skip(1) {
                d = d.related(&e.from, e.line, format!("imports {}", e.to));
            }
            let others: Vec<&String> = component
                .iter()
                .filter(|p| !ring.iter().any(|e| &e.from == *p))
                .collect();
            if !others.is_empty() {
                d = d.fact(format!(
                    "{} more files in the same cycle: {}",
                    others.len(),
                    others
                        .iter()
                        .take(10)
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            // The cycle is load-bearing when it runs through critical modules.
            for p in &component {
                if let Some(f) = repo.file(p) {
                    d.money |= f.roles.money;
                    d.auth |= f.roles.auth;
                    d.data_write |= f.roles.data_write;
                }
            }
            out.push(d);
        }
    }
}

#[derive(Debug, Clone)]
struct Edge {
    from: String,
    to: String,
    line: u32,
    specifier: String,
}

/// Strongly connected components with more than one file (or a file importing itself).
fn strongly_connected(edges: &[Edge]) -> Vec<BTreeSet<String>> {
    let mut graph = petgraph::graph::DiGraph::<&str, ()>::new();
    let mut ids = BTreeMap::new();
    for e in edges {
        for p in [&e.from, &e.to] {
            if !ids.contains_key(p.as_str()) {
                ids.insert(p.as_str(), graph.add_node(p.as_str()));
            }
        }
    }
    for e in edges {
        graph.add_edge(ids[e.from.as_str()], ids[e.to.as_str()], ());
    }
    let mut out: Vec<BTreeSet<String>> = petgraph::algo::tarjan_scc(&graph)
        .into_iter()
        .filter(|c| {
            c.len() > 1
                || edges
                    .iter()
                    .any(|e| e.from == e.to && graph[c[0]] == e.from)
        })
        .map(|c| c.into_iter().map(|n| graph[n].to_string()).collect())
        .collect();
    out.sort();
    out
}

/// A shortest way round the cycle starting with `closing` (its edges in order).
fn ring_through<'e>(closing: &'e Edge, inner: &[&'e Edge]) -> Vec<&'e Edge> {
    // Breadth-first from the closing edge's target back to its source.
    let mut previous: HashMap<&str, &Edge> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([closing.to.as_str()]);
    let mut seen: HashSet<&str> = HashSet::from([closing.to.as_str()]);
    while let Some(n) = queue.pop_front() {
        if n == closing.from {
            break;
        }
        for e in inner.iter().filter(|e| e.from == n) {
            if seen.insert(e.to.as_str()) {
                previous.insert(e.to.as_str(), e);
                queue.push_back(e.to.as_str());
            }
        }
    }
    let mut path = Vec::new();
    let mut at = closing.from.as_str();
    while at != closing.to {
        let Some(e) = previous.get(at) else { break };
        path.push(*e);
        at = e.from.as_str();
    }
    path.reverse();
    let mut ring = vec![closing];
    ring.extend(path);
    ring
}

#[derive(Debug, Clone)]
struct Added {
    time: i64,
    author: String,
}

/// When an import line appeared, from the file's blobs in the history (read-only git2).
struct BlobHistory {
    git: Option<git2::Repository>,
}

impl BlobHistory {
    fn open(repo: &Repo) -> BlobHistory {
        let git = repo
            .root
            .as_ref()
            .filter(|_| !repo.history.commits.is_empty())
            .and_then(|root| git2::Repository::open(root).ok());
        BlobHistory { git }
    }

    /// The commit that added `edge`'s import: the oldest of the newest run of the file's
    /// versions that contain it. At most 60 versions are read.
    fn added(&mut self, repo: &Repo, edge: &Edge) -> Option<Added> {
        let git = self.git.as_ref()?;
        let changes = repo.history.changes.get(&edge.from)?;
        let quoted = [
            format!("\"{}\"", edge.specifier),
            format!("'{}'", edge.specifier),
            format!("`{}`", edge.specifier),
        ];
        let python = [
            format!("from {} import", edge.specifier),
            format!("import {}", edge.specifier),
        ];
        let mut added = None;
        for change in changes.iter().take(60) {
            let commit = repo.history.commits.get(change.commit)?;
            let present = git2::Oid::from_str(&commit.id)
                .ok()
                .and_then(|oid| git.find_commit(oid).ok())
                .and_then(|c| c.tree().ok())
                .and_then(|t| t.get_path(std::path::Path::new(&edge.from)).ok())
                .and_then(|entry| git.find_blob(entry.id()).ok())
                .map(|blob| {
                    let text = String::from_utf8_lossy(blob.content());
                    quoted
                        .iter()
                        .chain(python.iter())
                        .any(|q| text.contains(q.as_str()))
                })
                .unwrap_or(false);
            if !present {
                break;
            }
            added = Some(Added {
                time: commit.time,
                author: commit.author_name.clone(),
            });
        }
        added
    }
}

// ------------------------------------------------------------------------------------------
// ARCH-GOD

struct GodFiles;

/// Thresholds for a god file: imported by many, large, full of functions, changed often.
const GOD_FAN_IN: u32 = 8;
const GOD_LOC: u32 = 400;
const GOD_FUNCTIONS: usize = 12;
const GOD_REVISIONS: u32 = 6;

impl Detector for GodFiles {
    fn name(&self) -> &'static str {
        "arch-god"
    }

    fn items(&self) -> &'static [&'static str] {
        &["ARCH-GOD"]
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let history = !repo.history.commits.is_empty();
        for f in &repo.files {
            if f.roles.test || !f.lang.is_parsed() || is_vendored(&f.path) || is_type_module(f) {
                continue;
            }
            let m = repo.metrics(&f.path);
            let functions = f
                .definitions
                .iter()
                .filter(|d| {
                    matches!(
                        d.kind,
                        DefKind::Function | DefKind::Method | DefKind::Component
                    )
                })
                .count();
            // Without history, churn is unknown: only a much larger file qualifies.
            let (loc_bar, fan_bar) = if history {
                (GOD_LOC, GOD_FAN_IN)
            } else {
                (GOD_LOC * 2, GOD_FAN_IN + 4)
            };
            if m.fan_in < fan_bar || f.loc < loc_bar || functions < GOD_FUNCTIONS {
                continue;
            }
            if history && m.revisions_in_window < GOD_REVISIONS {
                continue;
            }
            let mut d = Draft::new(
                "ARCH-GOD",
                &f.path,
                0,
                0,
                format!(
                    "{} is imported by {} files, holds {} lines in {} functions{}: every feature passes through it.",
                    f.path,
                    m.fan_in,
                    f.loc,
                    functions,
                    if history { format!(" and changed in {} commits in the last year", m.revisions_in_window) } else { String::new() }
                ),
            )
            .confidence(if history { Confidence::High } else { Confidence::Medium })
            .anchor(format!("god {}", f.path))
            .fact(format!("fan-in {}, {} lines, {} functions", m.fan_in, f.loc, functions))
            .fact(format!("PageRank percentile {:.0}", m.pagerank_percentile * 100.0));
            if history {
                d = d.fact(format!(
                    "{} commits in the last year by {} authors",
                    m.revisions_in_window, m.authors
                ));
            } else {
                d = d.fact("no history was read: size and fan-in only");
            }
            out.push(d);
        }
    }
}

/// A module of declarations only (types, generated database types): large and imported by
/// everything, but no behaviour to split.
fn is_type_module(f: &RepoFile) -> bool {
    let name = short(&f.path).to_ascii_lowercase();
    name.ends_with(".d.ts")
        || name.starts_with("types.")
        || name.contains(".types.")
        || name.contains("database.types")
        || f.complexity <= 1
}

// ------------------------------------------------------------------------------------------
// ARCH-HIDDEN-COUPLING

struct HiddenCoupling;

/// A pair is coupled when at least this many commits change both…
const COUPLING_MIN_SHARED: u32 = 3;
/// …and they are at least this share of the less-changed file's commits.
const COUPLING_MIN_SHARE: f64 = 0.75;
/// Commits that touch more files than this are sweeping changes (formatting, renames).
const COUPLING_MAX_CHANGESET: usize = 30;

impl Detector for HiddenCoupling {
    fn name(&self) -> &'static str {
        "arch-hidden-coupling"
    }

    fn items(&self) -> &'static [&'static str] {
        &["ARCH-HIDDEN-COUPLING"]
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let window_start = repo
            .history
            .summary
            .as_ref()
            .and_then(|s| s.window_start)
            .unwrap_or(i64::MIN);
        // Change sets of the commits in the window, over production source files at HEAD.
        let mut sets: HashMap<usize, Vec<&str>> = HashMap::new();
        for f in &repo.files {
            if f.roles.test || !f.lang.is_parsed() || is_vendored(&f.path) {
                continue;
            }
            for c in repo.history.changes.get(&f.path).into_iter().flatten() {
                let Some(commit) = repo.history.commits.get(c.commit) else {
                    continue;
                };
                if commit.time >= window_start && commit.parent_count <= 1 {
                    sets.entry(c.commit).or_default().push(&f.path);
                }
            }
        }
        let mut revisions: HashMap<&str, u32> = HashMap::new();
        let mut shared: BTreeMap<(&str, &str), u32> = BTreeMap::new();
        for set in sets.values_mut() {
            set.sort();
            for (i, a) in set.iter().enumerate() {
                *revisions.entry(a).or_default() += 1;
                if set.len() > COUPLING_MAX_CHANGESET {
                    continue;
                }
                for b in &set[i + 1..] {
                    *shared.entry((a, b)).or_default() += 1;
                }
            }
        }
        for ((a, b), n) in shared {
            if n < COUPLING_MIN_SHARED {
                continue;
            }
            let (ra, rb) = (revisions[a], revisions[b]);
            // Report at the file whose changes almost always drag the other one along.
            let (path, other, rp, ro) = if (ra, a) <= (rb, b) {
                (a, b, ra, rb)
            } else {
                (b, a, rb, ra)
            };
            let share = f64::from(n) / f64::from(rp);
            if share < COUPLING_MIN_SHARE {
                continue;
            }
            if linked(repo, a, b) {
                continue;
            }
            let degree = f64::from(n) / (f64::from(ra + rb) / 2.0) * 100.0;
            let mut d = Draft::new(
                "ARCH-HIDDEN-COUPLING",
                path,
                0,
                0,
                format!(
                    "{} changed together with {} in {} of its {} commits, yet neither imports the other: whatever ties them is only in people's heads.",
                    path, other, n, rp
                ),
            )
            .confidence(if n >= 5 { Confidence::High } else { Confidence::Medium })
            .anchor(format!("coupled {path} {other}"))
            .related(other, 0, format!("changed in {n} of the same commits ({ro} commits in all)"))
            .fact(format!("{n} shared commits; {:.0}% of {}'s commits, coupling degree {degree:.0}%", share * 100.0, short(path)))
            .fact("no import path between them in either direction, and no file imports both");
            for p in [path, other] {
                if let Some(f) = repo.file(p) {
                    d.money |= f.roles.money;
                    d.auth |= f.roles.auth;
                    d.data_write |= f.roles.data_write;
                }
            }
            out.push(d);
        }
    }
}

/// An import path between the two files in either direction, or a file that imports both
/// (the parent that wires them together makes the dependency visible).
fn linked(repo: &Repo, a: &str, b: &str) -> bool {
    if repo.reachable_from([a]).contains(&b) || repo.reachable_from([b]).contains(&a) {
        return true;
    }
    let parents_a: HashSet<&str> = repo.importers_of(a).into_iter().collect();
    repo.importers_of(b).iter().any(|p| parents_a.contains(p))
}

// ------------------------------------------------------------------------------------------
// ARCH-DUP

const DUP: &str = "arch-dup";
/// Functions shorter than this (normalised tokens in the body) are too small to matter.
const DUP_MIN_TOKENS: usize = 40;
const SKETCH: usize = 16;
/// Sketch values that must agree for a near duplicate (an estimated similarity of 0.8).
const SKETCH_AGREE: usize = 13;
const TAG_MONEY: u8 = 1;
const TAG_PERMISSION: u8 = 2;
const TAG_WRITE: u8 = 4;

/// A function's body as a shape: identifiers and literals abstracted to their kind.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Shape {
    name: String,
    line: u32,
    end: u32,
    tokens: u32,
    /// Hash of the whole normalised token sequence.
    hash: String,
    /// MinHash of token 5-grams, for near duplicates.
    sketch: Vec<u32>,
    #[serde(default, skip_serializing_if = "is_zero")]
    tags: u8,
}

fn is_zero(t: &u8) -> bool {
    *t == 0
}

struct Duplicates;

impl Detector for Duplicates {
    fn name(&self) -> &'static str {
        DUP
    }

    fn items(&self) -> &'static [&'static str] {
        &["ARCH-DUP"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test() || is_vendored(file.path) {
            return None;
        }
        let mut shapes: Vec<Shape> = Vec::new();
        for m in file.matches("arch_functions") {
            let (Some(body), Some(func)) = (m.get("body"), m.get("function")) else {
                continue;
            };
            if shapes.len() >= 400 {
                break;
            }
            if let Some(shape) = shape_of(file, body, func, m.get("name")) {
                shapes.push(shape);
            }
        }
        let empty = shapes.is_empty();
        keep(&shapes, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let all: Vec<(&RepoFile, Shape)> = repo
            .facts::<Vec<Shape>>(DUP)
            .into_iter()
            .filter(|(f, _)| !f.roles.test)
            .flat_map(|(f, shapes)| shapes.into_iter().map(move |s| (f, s)))
            .collect();
        // Candidates: the same hash, or a shared band of the sketch (4 bands of 4).
        let mut buckets: HashMap<(u8, u64), Vec<usize>> = HashMap::new();
        for (i, (_, s)) in all.iter().enumerate() {
            buckets
                .entry((255, hash64(s.hash.as_bytes())))
                .or_default()
                .push(i);
            for band in 0..SKETCH / 4 {
                let key = s
                    .sketch
                    .get(band * 4..band * 4 + 4)
                    .map(|b| hash64(&b.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<_>>()));
                if let Some(k) = key {
                    buckets.entry((band as u8, k)).or_default().push(i);
                }
            }
        }
        let mut groups = UnionFind::new(all.len());
        for members in buckets.values() {
            if members.len() < 2 || members.len() > 200 {
                continue;
            }
            for (x, &i) in members.iter().enumerate() {
                for &j in &members[x + 1..] {
                    let ((fa, a), (fb, b)) = (&all[i], &all[j]);
                    if fa.path == fb.path {
                        continue;
                    }
                    if a.hash == b.hash {
                        groups.union(i, j);
                    } else if similar(a, b) {
                        groups.union(i, j);
                    }
                }
            }
        }
        let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..all.len() {
            by_root.entry(groups.find(i)).or_default().push(i);
        }
        for members in by_root.values() {
            let files: BTreeSet<&str> = members.iter().map(|&i| all[i].0.path.as_str()).collect();
            if files.len() < 2 {
                continue;
            }
            // The copy most of the code depends on is the one to keep; the others are related.
            let mut ordered = members.clone();
            ordered.sort_by_key(|&i| {
                let f = all[i].0;
                (
                    std::cmp::Reverse(repo.metrics(&f.path).fan_in),
                    f.roles.client,
                    f.path.clone(),
                    all[i].1.line,
                )
            });
            let (keep_file, kept) = (&all[ordered[0]].0, &all[ordered[0]].1);
            let tags = members.iter().fold(0u8, |t, &i| t | all[i].1.tags);
            let identical = ordered[1..].iter().all(|&j| all[j].1.hash == kept.hash);
            let others: Vec<String> = ordered[1..]
                .iter()
                .map(|&j| format!("{} in {}", all[j].1.name, all[j].0.path))
                .collect();
            let what = match (
                tags & TAG_MONEY != 0,
                tags & TAG_PERMISSION != 0,
                tags & TAG_WRITE != 0,
            ) {
                (true, _, _) => " (money: prices, totals or amounts)",
                (_, true, _) => " (a permission rule)",
                (_, _, true) => " (a data write)",
                _ => "",
            };
            let mut d = Draft::new(
                "ARCH-DUP",
                &keep_file.path,
                kept.line,
                kept.end,
                format!(
                    "{} here and {} are the same logic{}{}: a change to one will not reach the other.",
                    kept.name,
                    join_and(&others),
                    what,
                    if identical { ", identical once names and literals are set aside" } else { ", nearly identical in shape" }
                ),
            )
            .confidence(if identical { Confidence::High } else { Confidence::Medium })
            .anchor(format!("dup {} {}", kept.name, kept.hash))
            .fact(format!("{} copies of about {} tokens each", members.len(), kept.tokens));
            for &j in ordered[1..].iter().take(10) {
                let (f, s) = &all[j];
                d = d.related(&f.path, s.line, format!("{}: the same shape", s.name));
            }
            if tags & (TAG_MONEY | TAG_PERMISSION) != 0 {
                // Copies of a price or permission rule drift into wrong charges and access.
                d = d.severity(Severity::Medium);
            }
            d.money = tags & TAG_MONEY != 0;
            d.auth = tags & TAG_PERMISSION != 0;
            d.data_write = tags & TAG_WRITE != 0;
            out.push(d);
        }
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn similar(a: &Shape, b: &Shape) -> bool {
    let (x, y) = (a.tokens.min(b.tokens) as f64, a.tokens.max(b.tokens) as f64);
    x / y >= 0.8
        && a.sketch.len() == SKETCH
        && b.sketch.len() == SKETCH
        && a.sketch
            .iter()
            .zip(&b.sketch)
            .filter(|(p, q)| p == q)
            .count()
            >= SKETCH_AGREE
}

/// The shape of one function body: every leaf token by kind (so `a.total` and `b.sum` are
/// the same), comments left out.
fn shape_of(file: &SourceFile, body: Node, func: Node, name: Option<Node>) -> Option<Shape> {
    let mut tokens: Vec<u64> = Vec::new();
    let mut tags = 0u8;
    let mut previous_dot = false;
    let mut cursor = body.walk();
    let mut visited = 0usize;
    'walk: loop {
        let node = cursor.node();
        visited += 1;
        if visited > 20_000 {
            return None;
        }
        if node.child_count() == 0 && !node.is_extra() {
            let kind = node.kind();
            tokens.push(hash64(kind.as_bytes()));
            if node.is_named() {
                let text = file.text_of(node).to_ascii_lowercase();
                tags |= word_tags(&text, previous_dot);
            }
            previous_dot = kind == ".";
        }
        if !node.is_extra() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == body {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    if tokens.len() < DUP_MIN_TOKENS {
        return None;
    }
    let hash = blake3::hash(
        &tokens
            .iter()
            .flat_map(|t| t.to_le_bytes())
            .collect::<Vec<_>>(),
    )
    .to_hex()[..16]
        .to_string();
    let mut sketch = vec![u32::MAX; SKETCH];
    for window in tokens.windows(5) {
        let shingle = window.iter().fold(0u64, |h, t| mix(h ^ t));
        for (i, slot) in sketch.iter_mut().enumerate() {
            let v = (mix(shingle ^ SEEDS[i]) >> 32) as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
    let (line, end) = file.lines(func);
    Some(Shape {
        name: name
            .map(|n| file.text_of(n).chars().take(80).collect())
            .unwrap_or_else(|| "(anonymous)".into()),
        line,
        end,
        tokens: tokens.len() as u32,
        hash,
        sketch,
        tags,
    })
}

/// What an identifier or literal says the function handles.
fn word_tags(text: &str, after_dot: bool) -> u8 {
    const MONEY: [&str; 16] = [
        "price", "total", "tax", "discount", "amount", "fee", "cost", "charge", "refund",
        "invoice", "payment", "balance", "currency", "cents", "vat", "payout",
    ];
    const PERMISSION: [&str; 10] = [
        "role",
        "admin",
        "permission",
        "authorize",
        "allowed",
        "isowner",
        "can_",
        "owner",
        "scope",
        "policy",
    ];
    const WRITES: [&str; 7] = [
        "insert",
        "update",
        "upsert",
        "delete",
        "save",
        "destroy",
        "bulk_create",
    ];
    let mut t = 0;
    if MONEY.iter().any(|w| text.contains(w)) {
        t |= TAG_MONEY;
    }
    if PERMISSION.iter().any(|w| text.contains(w)) || (text.starts_with("can") && text.len() > 3) {
        t |= TAG_PERMISSION;
    }
    if after_dot && WRITES.contains(&text) {
        t |= TAG_WRITE;
    }
    t
}

const SEEDS: [u64; SKETCH] = [
    0x9e37_79b9_7f4a_7c15,
    0xbf58_476d_1ce4_e5b9,
    0x94d0_49bb_1331_11eb,
    0x2545_f491_4f6c_dd1d,
    0x1405_7b7e_f767_814f,
    0x6a09_e667_f3bc_c909,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
    0xcbbb_9d5d_c105_9ed8,
    0x629a_292a_367c_d507,
    0x9159_015a_3070_dd17,
];

/// splitmix64's finaliser: a fast, well-mixed 64-bit hash step.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a, for token kinds (stable across runs, unlike `DefaultHasher`'s seed).
fn hash64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

// ------------------------------------------------------------------------------------------
// ARCH-LAYER

const LAYER: &str = "arch-layer";

/// What a module can reach: privileged access (why), and its own writes through data clients.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Access {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    privileged: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    writes: Vec<(String, u32)>,
}

/// Server SDKs that carry full access when imported (never meant for a browser bundle).
const PRIVILEGED_PACKAGES: [&str; 3] = ["firebase-admin", "stripe", "@clerk/backend"];

/// Whether a module holds privileged access: the service-role key, a live secret, an admin SDK.
pub(super) fn is_privileged(repo: &Repo, path: &str) -> bool {
    privilege_of(repo, path).is_some()
}

fn privilege_of(repo: &Repo, path: &str) -> Option<String> {
    repo.facts_of::<Access>(LAYER, path)
        .and_then(|a| a.privileged)
        .or_else(|| {
            repo.external_of(path)
                .iter()
                .find(|p| PRIVILEGED_PACKAGES.contains(&p.as_str()))
                .map(|p| format!("imports the {p} server SDK"))
        })
}

struct Layers;

impl Detector for Layers {
    fn name(&self) -> &'static str {
        LAYER
    }

    fn items(&self) -> &'static [&'static str] {
        &["ARCH-LAYER"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test() || file.tree.is_none() {
            return None;
        }
        let mut a = Access {
            privileged: privilege_in_text(file.text),
            ..Access::default()
        };
        if is_js(file.lang) {
            for m in file.matches("traits") {
                let (Some(callee), Some(call)) = (m.get("callee"), m.get("call")) else {
                    continue;
                };
                let name = normalize_callee(file.text_of(callee));
                if is_data_write_callee(&name) && a.writes.len() < 20 {
                    a.writes.push((name, file.lines(call).0));
                }
            }
        }
        let empty = a.privileged.is_none() && a.writes.is_empty();
        keep(&a, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let views: Vec<&RepoFile> = repo.files.iter().filter(|f| is_view(f)).collect();
        if views.is_empty() {
            return;
        }
        let sites = Sites::new(repo);
        sites.with(|r| {
            for view in views {
                let own = repo.facts_of::<Access>(LAYER, &view.path).unwrap_or_default();
                let mut reported = false;
                for site in r.sites(view) {
                    let Some(why) = privilege_of(repo, &site.target) else { continue };
                    let mut d = Draft::new(
                        "ARCH-LAYER",
                        &view.path,
                        site.line,
                        site.line,
                        format!(
                            "{} imports {}, which {}: the browser gets access meant for the server{}.",
                            view.path,
                            site.target,
                            why,
                            if own.writes.is_empty() { String::new() } else { " and writes through it".into() }
                        ),
                    )
                    .confidence(Confidence::High)
                    .anchor(format!("ui privileged {} {}", view.path, site.target))
                    .related(&site.target, 0, format!("the privileged module: {why}"))
                    .auth();
                    for (callee, line) in own.writes.iter().take(5) {
                        d = d.fact(format!("writes with {callee} at line {line}"));
                    }
                    if !own.writes.is_empty() {
                        d = d.data_write();
                    }
                    out.push(d);
                    reported = true;
                }
                if reported {
                    continue;
                }
                if let Some((callee, line)) = own.writes.first() {
                    let mut d = Draft::new(
                        "ARCH-LAYER",
                        &view.path,
                        *line,
                        *line,
                        format!(
                            "{} writes to the database itself ({callee}): the rules for this write live in the browser, where they can be skipped, instead of behind a hook, server action or API.",
                            view.path
                        ),
                    )
                    .confidence(Confidence::High)
                    .anchor(format!("ui writes {} {callee}", view.path))
                    .data_write();
                    for (c, l) in own.writes.iter().skip(1).take(5) {
                        d = d.fact(format!("also writes with {c} at line {l}"));
                    }
                    out.push(d);
                }
            }
        });
    }
}

/// UI code: a page or component that runs in the browser (not a hook, a client library or a
/// Next.js server component).
pub(super) fn is_view(f: &RepoFile) -> bool {
    if f.roles.test || !f.roles.client || !is_js(f.lang) {
        return false;
    }
    let lower = f.path.to_ascii_lowercase();
    let in_dir = |d: &str| lower.starts_with(&format!("{d}/")) || lower.contains(&format!("/{d}/"));
    if [
        "hooks",
        "lib",
        "services",
        "api",
        "store",
        "stores",
        "utils",
        "integrations",
        "server",
        "actions",
    ]
    .iter()
    .any(|d| in_dir(d))
    {
        return false;
    }
    // App-router files are server components unless they opt into the client.
    if in_dir("app") && !f.traits.directives.contains("use client") {
        return false;
    }
    f.roles.entry == Some(EntryKind::Page)
        || ["pages", "components", "views", "screens", "routes", "app"]
            .iter()
            .any(|d| in_dir(d))
        || f.definitions.iter().any(|d| d.kind == DefKind::Component)
}

/// The service-role key or a live secret in a module's own text.
fn privilege_in_text(text: &str) -> Option<String> {
    let lower_has =
        |needle: &str| memchr::memmem::find(text.as_bytes(), needle.as_bytes()).is_some();
    if lower_has("SERVICE_ROLE") || lower_has("service_role") || lower_has("serviceRole") {
        return Some("uses the service-role key".into());
    }
    if jwt_roles(text).iter().any(|r| r == "service_role") {
        return Some("holds a service-role key (a JWT whose role is service_role)".into());
    }
    crate::redact::find(text)
        .into_iter()
        .find(|f| f.live && f.pattern != "jwt")
        .map(|f| format!("holds a {}", f.title.to_ascii_lowercase()))
}

/// The `role` claims of the JWTs written in a text.
fn jwt_roles(text: &str) -> Vec<String> {
    static JWT: OnceLock<Regex> = OnceLock::new();
    let re = JWT.get_or_init(|| {
        Regex::new(r"eyJ[A-Za-z0-9_-]{8,}\.(eyJ[A-Za-z0-9_-]{8,})\.[A-Za-z0-9_-]*")
            .expect("valid regex")
    });
    re.captures_iter(text)
        .filter_map(|c| c.get(1))
        .filter_map(|m| decode_base64url(m.as_str()))
        .filter_map(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .filter_map(|v| v.get("role").and_then(|r| r.as_str()).map(str::to_string))
        .collect()
}

fn decode_base64url(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in input.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

// ------------------------------------------------------------------------------------------
// ARCH-PATTERNS

const PATTERNS: &str = "arch-patterns";

/// Libraries by concern and family (a family's companion packages count as one library).
const LIBRARIES: &[(&str, &str, &[&str])] = &[
    ("HTTP client", "axios", &["axios"]),
    ("HTTP client", "ky", &["ky"]),
    ("HTTP client", "got", &["got"]),
    ("HTTP client", "superagent", &["superagent"]),
    (
        "HTTP client",
        "node-fetch",
        &["node-fetch", "cross-fetch", "isomorphic-fetch"],
    ),
    ("HTTP client", "undici", &["undici"]),
    ("HTTP client", "ofetch", &["ofetch"]),
    ("HTTP client", "wretch", &["wretch"]),
    ("HTTP client", "requests", &["requests"]),
    ("HTTP client", "httpx", &["httpx"]),
    ("HTTP client", "aiohttp", &["aiohttp"]),
    ("HTTP client", "urllib3", &["urllib3"]),
    (
        "date library",
        "date-fns",
        &["date-fns", "date-fns-tz", "@date-fns/tz", "@date-fns/utc"],
    ),
    ("date library", "dayjs", &["dayjs"]),
    ("date library", "moment", &["moment", "moment-timezone"]),
    ("date library", "luxon", &["luxon"]),
    ("date library", "js-joda", &["@js-joda/core"]),
    ("date library", "arrow", &["arrow"]),
    ("date library", "pendulum", &["pendulum"]),
    (
        "state manager",
        "redux",
        &["redux", "@reduxjs/toolkit", "react-redux"],
    ),
    ("state manager", "zustand", &["zustand"]),
    ("state manager", "jotai", &["jotai"]),
    ("state manager", "recoil", &["recoil"]),
    (
        "state manager",
        "mobx",
        &["mobx", "mobx-react", "mobx-react-lite"],
    ),
    ("state manager", "valtio", &["valtio"]),
    ("state manager", "xstate", &["xstate", "@xstate/react"]),
    ("state manager", "pinia", &["pinia"]),
    ("state manager", "vuex", &["vuex"]),
    (
        "state manager",
        "nanostores",
        &["nanostores", "@nanostores/react"],
    ),
    ("database library", "Prisma", &["@prisma/client"]),
    ("database library", "Drizzle", &["drizzle-orm"]),
    ("database library", "TypeORM", &["typeorm"]),
    ("database library", "Sequelize", &["sequelize"]),
    ("database library", "Mongoose", &["mongoose"]),
    ("database library", "Knex", &["knex"]),
    ("database library", "Kysely", &["kysely"]),
    (
        "database library",
        "raw SQL driver",
        &[
            "pg",
            "postgres",
            "mysql2",
            "better-sqlite3",
            "@neondatabase/serverless",
        ],
    ),
    (
        "database library",
        "SQLAlchemy",
        &["sqlalchemy", "sqlmodel", "flask_sqlalchemy"],
    ),
    ("database library", "Django ORM", &["django"]),
    ("database library", "Peewee", &["peewee"]),
    ("database library", "Tortoise", &["tortoise"]),
    (
        "database library",
        "raw SQL driver (Python)",
        &["psycopg2", "psycopg", "asyncpg", "pymysql", "sqlite3"],
    ),
    ("validation library", "zod", &["zod"]),
    ("validation library", "yup", &["yup"]),
    ("validation library", "joi", &["joi"]),
    ("validation library", "valibot", &["valibot"]),
    ("validation library", "superstruct", &["superstruct"]),
    ("validation library", "ajv", &["ajv"]),
    (
        "validation library",
        "class-validator",
        &["class-validator"],
    ),
    ("validation library", "io-ts", &["io-ts"]),
    ("validation library", "typebox", &["@sinclair/typebox"]),
    ("validation library", "pydantic", &["pydantic"]),
    ("validation library", "marshmallow", &["marshmallow"]),
    ("validation library", "cerberus", &["cerberus"]),
];

/// Data-fetching libraries: a file counts when it calls one of the hooks.
const FETCHING: &[(&str, &[&str], &[&str])] = &[
    (
        "React Query",
        &["@tanstack/react-query", "react-query"],
        &[
            "useQuery",
            "useMutation",
            "useInfiniteQuery",
            "useSuspenseQuery",
            "useQueries",
        ],
    ),
    (
        "SWR",
        &["swr"],
        &["useSWR", "useSWRMutation", "useSWRInfinite"],
    ),
    (
        "Apollo",
        &["@apollo/client"],
        &["useQuery", "useMutation", "useLazyQuery"],
    ),
    ("urql", &["urql"], &["useQuery", "useMutation"]),
    (
        "RTK Query",
        &["@reduxjs/toolkit/query", "@reduxjs/toolkit/query/react"],
        &["createApi"],
    ),
];
const HAND_FETCH: &str = "useEffect + useState";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Effects {
    /// The first effect whose own statements fetch data.
    fetch_line: u32,
}

struct Patterns;

impl Detector for Patterns {
    fn name(&self) -> &'static str {
        PATTERNS
    }

    fn items(&self) -> &'static [&'static str] {
        &["ARCH-PATTERNS"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test() || !is_js(file.lang) || !file.text.contains("useEffect") {
            return None;
        }
        for m in file.matches("arch_effects") {
            let Some(body) = m.get("body") else { continue };
            let nested: Vec<std::ops::Range<usize>> = file
                .matches_in("arch_nested", body)
                .iter()
                .filter_map(|c| c.get("function"))
                .map(|n| n.byte_range())
                .collect();
            for c in file.matches_in("arch_nested", body) {
                let (Some(callee), Some(call)) = (c.get("callee"), c.get("call")) else {
                    continue;
                };
                let inside_nested = nested
                    .iter()
                    .any(|r| r.start <= call.start_byte() && call.end_byte() <= r.end);
                if !inside_nested && fetches_data(&normalize_callee(file.text_of(callee))) {
                    return keep(
                        &Effects {
                            fetch_line: file.lines(call).0,
                        },
                        false,
                    );
                }
            }
        }
        None
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        // (ecosystem, concern) → family → files using it (with the import line).
        let mut usage: BTreeMap<(&str, &str), BTreeMap<&str, Vec<(&RepoFile, u32)>>> =
            BTreeMap::new();
        for f in &repo.files {
            if f.roles.test || !f.lang.is_parsed() || is_vendored(&f.path) {
                continue;
            }
            let ecosystem = if is_js(f.lang) {
                "JavaScript"
            } else {
                f.lang.name()
            };
            let line_of = |pkgs: &[&str]| {
                f.imports
                    .iter()
                    .find(|i| pkgs.iter().any(|p| package_matches(&i.specifier, p)))
                    .map(|i| i.line)
            };
            for (concern, family, pkgs) in LIBRARIES {
                if let Some(line) = line_of(pkgs) {
                    usage
                        .entry((ecosystem, concern))
                        .or_default()
                        .entry(family)
                        .or_default()
                        .push((f, line));
                }
            }
            if is_js(f.lang) {
                for (family, pkgs, hooks) in FETCHING {
                    if let Some(line) = line_of(pkgs) {
                        if hooks.iter().any(|h| f.traits.calls.contains(*h)) {
                            usage
                                .entry((ecosystem, "data-fetching style"))
                                .or_default()
                                .entry(family)
                                .or_default()
                                .push((f, line));
                        }
                    }
                }
                if let Some(e) = repo.facts_of::<Effects>(PATTERNS, &f.path) {
                    let line = line_of(&["react"]).unwrap_or(e.fetch_line);
                    usage
                        .entry((ecosystem, "data-fetching style"))
                        .or_default()
                        .entry(HAND_FETCH)
                        .or_default()
                        .push((f, line));
                }
            }
        }
        for ((ecosystem, concern), families) in usage {
            if families.len() < 2 {
                continue;
            }
            // The odd one out: the family the least code depends on.
            let weight = |files: &[(&RepoFile, u32)]| {
                let mut reach: HashSet<&str> = HashSet::new();
                for (f, _) in files {
                    reach.insert(&f.path);
                    reach.extend(repo.importers_of(&f.path));
                }
                reach.len()
            };
            let mut ranked: Vec<(&str, &Vec<(&RepoFile, u32)>, usize)> = families
                .iter()
                .map(|(fam, files)| (*fam, files, weight(files)))
                .collect();
            ranked.sort_by(|a, b| {
                a.2.cmp(&b.2)
                    .then(a.1.len().cmp(&b.1.len()))
                    .then(a.0.cmp(b.0))
            });
            let (odd, odd_files, _) = ranked[0];
            let (first, line) = odd_files[0];
            let names: Vec<String> = ranked
                .iter()
                .map(|(fam, files, _)| format!("{fam} ({})", count(files.len(), "file")))
                .collect();
            let mut d = Draft::new(
                "ARCH-PATTERNS",
                &first.path,
                line,
                line,
                format!(
                    "{} uses {odd} while the rest of the {ecosystem} code uses {}: {} {} in one codebase, so every change has to know each of them.",
                    first.path,
                    join_and(&ranked[1..].iter().map(|(fam, _, _)| fam.to_string()).collect::<Vec<_>>()),
                    families.len(),
                    plural(concern)
                ),
            )
            .confidence(Confidence::High)
            .anchor(format!("{concern} {ecosystem} {odd}"))
            .fact(format!("{} in use: {}", plural(concern), names.join(", ")));
            for (fam, files, _) in &ranked {
                let listed: Vec<&str> =
                    files.iter().take(8).map(|(f, _)| f.path.as_str()).collect();
                d = d.fact(format!(
                    "{fam}: {}{}",
                    listed.join(", "),
                    if files.len() > listed.len() {
                        format!(" and {} more", files.len() - listed.len())
                    } else {
                        String::new()
                    }
                ));
            }
            for (fam, files, _) in &ranked[1..] {
                let main = files
                    .iter()
                    .max_by_key(|(f, _)| {
                        (
                            repo.importers_of(&f.path).len(),
                            std::cmp::Reverse(f.path.clone()),
                        )
                    })
                    .expect("a family has files");
                d = d.related(&main.0.path, main.1, format!("uses {fam}"));
            }
            // Load-bearing when the odd pattern itself writes customer data.
            let writers: Vec<&str> = odd_files
                .iter()
                .filter(|(f, _)| f.roles.data_write)
                .map(|(f, _)| f.path.as_str())
                .collect();
            if !writers.is_empty() {
                d = d.class(
                    crate::checks::Class::LoadBearing,
                    format!(
                        "The odd way ({odd}) also sits in code that writes customer data ({}), so a fix made to one pattern misses the writes done the other way.",
                        writers.iter().take(3).copied().collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            out.push(d);
        }
    }
}

fn plural(concern: &str) -> String {
    match concern.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{concern}s"),
    }
}

/// "1 file", "3 files".
pub(super) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `dayjs/plugin/utc` and `npm:zod@3` are the packages `dayjs` and `zod`.
fn package_matches(specifier: &str, package: &str) -> bool {
    let s = specifier
        .trim_start_matches("npm:")
        .trim_start_matches("jsr:");
    let s = if s.starts_with("https://") {
        // esm.sh/zod@3.22.4, deno.land/x/zod@v3/mod.ts
        s.splitn(4, '/')
            .nth(3)
            .unwrap_or("")
            .trim_start_matches("x/")
            .trim_start_matches("v1/")
    } else {
        s
    };
    s == package
        || s.starts_with(&format!("{package}/"))
        || s.starts_with(&format!("{package}@"))
        || s.starts_with(&format!("{package}."))
}

/// A call that loads data: fetch, axios, an API helper, a Supabase query.
fn fetches_data(callee: &str) -> bool {
    let last = callee.rsplit('.').next().unwrap_or(callee);
    callee == "fetch"
        || callee.starts_with("axios")
        || callee.contains("from()")
        || callee.contains(".rpc")
        || callee.contains("functions.invoke")
        || (last.starts_with("api") && last.len() > 3)
        || (last.starts_with("fetch") && last.len() > 5)
        || (["get", "post", "put", "patch", "request"].contains(&last)
            && ["api", "client", "http", "axios", "instance"]
                .iter()
                .any(|r| callee.to_ascii_lowercase().contains(r)))
}

// ------------------------------------------------------------------------------------------
// ARCH-FAKE-DONE

const FAKE: &str = "arch-fake";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Placeholder {
    line: u32,
    end: u32,
    /// What gives it away, quoted (at most 100 characters).
    what: String,
    /// comment, data, value
    kind: String,
    strong: bool,
}

struct FakeDone;

fn strong_marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(mock(ed|s)?|fake[ds]?|dummy|simulat(e|es|ed|ing|ion)|stub(bed)?|lorem ipsum|sample data|demo (data|users?|accounts?|values?|mode|credentials))\b")
            .expect("valid regex")
    })
}

fn weak_marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b(todo|fixme|for now|temporar(y|ily)|hack|xxx|not (yet )?implemented|hard-?coded|placeholder)\b").expect("valid regex")
    })
}

fn demo_value() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^((john|jane) (doe|smith)|lorem ipsum.*|(demo|test|fake|dummy|john|jane)@[a-z0-9.-]+|[a-z0-9._-]+@example\.(com|org|net)|acme( inc\.?| corp\.?)?|(demo|test)[-_ ]?(user|account|password|token))$")
            .expect("valid regex")
    })
}

/// Mock names: `mockInvoices`, `FAKE_USERS`, `dummy_data`, `sampleOrders`.
fn is_mock_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "mock",
        "fake",
        "dummy",
        "sample",
        "demo",
        "placeholder",
        "stub",
    ]
    .iter()
    .any(|p| {
        lower.starts_with(p)
            && name[p.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
    }) || lower.ends_with("_mock")
        || lower.ends_with("mockdata")
        || lower.ends_with("_fake")
}

impl Detector for FakeDone {
    fn name(&self) -> &'static str {
        FAKE
    }

    fn items(&self) -> &'static [&'static str] {
        &["ARCH-FAKE-DONE"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test() || is_vendored(file.path) || file.tree.is_none() {
            return None;
        }
        let mut comments: Vec<(u32, u32, String)> = Vec::new();
        let mut literals: Vec<(u32, u32)> = Vec::new();
        let mut found: Vec<Placeholder> = Vec::new();
        for m in file.matches("arch_fake") {
            if let Some(c) = m.get("comment") {
                let (l, e) = file.lines(c);
                comments.push((l, e, file.text_of(c).to_string()));
            } else if let Some(lit) = m.get("literal") {
                let stmt = m
                    .get("return")
                    .or_else(|| m.get("declaration"))
                    .unwrap_or(lit);
                let (l, e) = file.lines(stmt);
                literals.push((l, e));
                if let Some(name) = m.get("name") {
                    let name = file.text_of(name);
                    if is_mock_name(name) {
                        found.push(Placeholder {
                            line: l,
                            end: e,
                            what: format!("{name} holds literal data"),
                            kind: "data".into(),
                            strong: true,
                        });
                    }
                }
            } else if let Some(v) = m.get("value") {
                let text = file.text_of(v).trim();
                let key = m
                    .get("key")
                    .map(|k| {
                        file.text_of(k)
                            .trim_matches(['"', '\''])
                            .to_ascii_lowercase()
                    })
                    .unwrap_or_default();
                let label = [
                    "placeholder",
                    "label",
                    "hint",
                    "example",
                    "description",
                    "helpertext",
                    "title",
                ]
                .contains(&key.as_str());
                if !label && text.len() <= 100 && demo_value().is_match(text) {
                    let (l, e) = file.lines(v);
                    found.push(Placeholder {
                        line: l,
                        end: e,
                        what: format!("\"{text}\""),
                        kind: "value".into(),
                        strong: false,
                    });
                }
            }
        }
        for (l, e, text) in comments {
            let lower = text.to_ascii_lowercase();
            if lower.contains("test") || lower.contains("storybook") || lower.contains("eslint") {
                continue;
            }
            let strong = strong_marker().is_match(&text);
            if !strong && !weak_marker().is_match(&text) {
                continue;
            }
            // The literal right after (or on the same line as) the comment is what it excuses.
            let literal = literals
                .iter()
                .find(|(ll, _)| *ll >= l && *ll <= e + 2)
                .copied();
            if !strong && literal.is_none() {
                continue;
            }
            let end = literal.map_or(e, |(_, le)| le.max(e));
            let what: String = text
                .trim_start_matches(['/', '*', '#', ' '])
                .trim_end_matches(['*', '/', ' '])
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(100)
                .collect();
            found.push(Placeholder {
                line: l,
                end,
                what: format!("\"{what}\""),
                kind: "comment".into(),
                strong: strong && literal.is_some(),
            });
        }
        found.sort_by_key(|p| (p.line, p.end));
        // A mock-named literal under a marker comment is one placeholder.
        found.dedup_by(|b, a| b.line <= a.end && b.line >= a.line);
        let empty = found.is_empty();
        keep(&found, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        for (f, found) in repo.facts::<Vec<Placeholder>>(FAKE) {
            if f.roles.test {
                continue;
            }
            let reached = f.roles.entry.is_some() || repo.reachable_from_entry(&f.path);
            let entries = repo.entries_reaching(&f.path);
            for p in found {
                let message = match p.kind.as_str() {
                    "data" => format!(
                        "{} in production code: {}",
                        p.what,
                        reach_phrase(reached, &entries)
                    ),
                    "value" => format!(
                        "A hard-coded demo value {} in production code: {}",
                        p.what,
                        reach_phrase(reached, &entries)
                    ),
                    _ => format!(
                        "Placeholder left in production code, {}: {}",
                        p.what,
                        reach_phrase(reached, &entries)
                    ),
                };
                let mut d = Draft::new("ARCH-FAKE-DONE", &f.path, p.line, p.end, message)
                    .confidence(if p.strong {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    });
                if !reached {
                    d = d
                        .severity(Severity::Low)
                        .fact("no entry point imports this file today");
                } else if !entries.is_empty() {
                    d = d.fact(format!(
                        "reached from {} entry points: {}",
                        entries.len(),
                        entries
                            .iter()
                            .take(5)
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                out.push(d);
            }
        }
        // Production code that imports mock modules.
        for f in &repo.files {
            if f.roles.test || !f.lang.is_parsed() {
                continue;
            }
            for imp in &f.imports {
                let last = imp.specifier.rsplit('/').next().unwrap_or(&imp.specifier);
                let stem = last.split('.').next().unwrap_or(last);
                let mock_module = [
                    "mock",
                    "mocks",
                    "mockdata",
                    "mock-data",
                    "mock_data",
                    "fakedata",
                    "fake-data",
                    "dummydata",
                    "dummy-data",
                    "sampledata",
                    "sample-data",
                ]
                .contains(&stem.to_ascii_lowercase().as_str())
                    || is_mock_name(stem);
                if !mock_module || imp.specifier.contains("__mocks__") {
                    continue;
                }
                let reached = f.roles.entry.is_some() || repo.reachable_from_entry(&f.path);
                let entries = repo.entries_reaching(&f.path);
                let mut d = Draft::new(
                    "ARCH-FAKE-DONE",
                    &f.path,
                    imp.line,
                    imp.line,
                    format!(
                        "Production code imports mock data from \"{}\": {}",
                        imp.specifier,
                        reach_phrase(reached, &entries)
                    ),
                )
                .confidence(Confidence::High);
                if !reached {
                    d = d.severity(Severity::Low);
                }
                out.push(d);
            }
        }
    }
}

fn reach_phrase(reached: bool, entries: &[&str]) -> String {
    match (reached, entries.len()) {
        (false, _) => "nothing reaches it today, but it ships with the code.".into(),
        (true, 0) => "customers see made-up behaviour here.".into(),
        (true, 1) => format!("customers reach it through {}.", entries[0]),
        (true, n) => format!(
            "customers reach it through {n} entry points ({}…).",
            entries[0]
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_roles_are_decoded() {
        let anon =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJvbGUiOiJhbm9uIn0.sig";
        assert_eq!(jwt_roles(anon), vec!["anon".to_string()]);
        let service = "x = \"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.abc\"";
        assert_eq!(jwt_roles(service), vec!["service_role".to_string()]);
        assert!(privilege_in_text(service).is_some());
        assert!(privilege_in_text(anon).is_none());
    }

    #[test]
    fn packages_match_through_urls_and_subpaths() {
        assert!(package_matches("dayjs/plugin/utc", "dayjs"));
        assert!(package_matches("npm:zod@3", "zod"));
        assert!(package_matches("https://esm.sh/zod@3.22.4", "zod"));
        assert!(!package_matches("zodiac", "zod"));
        assert!(package_matches("sqlalchemy.orm", "sqlalchemy"));
    }

    #[test]
    fn mock_names_and_markers() {
        assert!(is_mock_name("mockInvoices"));
        assert!(is_mock_name("FAKE_USERS"));
        assert!(is_mock_name("sample_orders"));
        assert!(!is_mock_name("mockingbird"));
        assert!(!is_mock_name("demographics"));
        assert!(strong_marker().is_match("// Simulate API call"));
        assert!(!strong_marker().is_match("// simply render the list"));
        assert!(demo_value().is_match("john@example.com"));
        assert!(!demo_value().is_match("billing@invoicely.io"));
    }

    #[test]
    fn data_fetches_are_told_from_other_calls() {
        for c in [
            "fetch",
            "axios.get",
            "supabase.from().select().eq",
            "apiGet",
            "fetchInvoices",
            "client.get",
        ] {
            assert!(fetches_data(c), "{c}");
        }
        for c in [
            "setStats",
            "console.log",
            "window.addEventListener",
            "map.get",
            "supabase.auth.onAuthStateChange",
        ] {
            assert!(!fetches_data(c), "{c}");
        }
    }
}
