//! The import graph: which file imports which, which external packages the code uses,
//! and the metrics the catalogue's checks read from it (fan-in/out, PageRank, cycles,
//! communities, reachability, hidden coupling).
//!
//! [`build`] takes every file of the repository (code, config and assets alike, so that
//! `import "./styles.css"` and tsconfig/package.json/go.mod files are found) with the
//! imports the extractor found, plus a closure that returns a repository file's text.
//! Resolution rules per language are described in [`resolve`]. Nothing here touches the
//! file system or runs anything from the repository.
//!
//! Node order is the sorted file path order, so every output is deterministic.

pub(crate) mod config;
mod metrics;
mod path;
pub mod resolve;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Import, Lang};
pub use resolve::{Ecosystem, FileId, Resolution, Resolver};

const PAGE_RANK_DAMPING: f64 = 0.85;
const PAGE_RANK_ITERATIONS: usize = 30;

/// One repository file and the imports extracted from it.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// Repo-relative, '/'-separated.
    pub path: &'a str,
    pub lang: Lang,
    pub imports: &'a [Import],
}

/// An import edge, aggregated over all import sites from one file to one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportEdge {
    pub from: String,
    /// A file path, or an external package name when `external` is true.
    pub to: String,
    pub external: bool,
    /// Number of import sites.
    pub count: u32,
    /// The first line that imports it.
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalPackage {
    pub name: String,
    pub ecosystem: Ecosystem,
    /// Number of files importing it.
    pub importers: u32,
}

/// A local import (relative, aliased, workspace package, local Python package) whose
/// target is not in the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnresolvedImport {
    pub path: String,
    pub specifier: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileMetrics {
    pub path: String,
    /// Distinct files importing this file.
    pub fan_in: u32,
    /// Distinct files this file imports.
    pub fan_out: u32,
    /// Distinct external packages this file imports.
    pub external_imports: u32,
    pub pagerank: f64,
    /// Index into [`ImportGraph::cycles`] when the file is part of an import cycle.
    pub cycle: Option<usize>,
    /// Community id, numbered by each community's first file in path order. A file with no
    /// file imports either way is alone in its community.
    pub community: usize,
}

/// Files that import each other in a circle (or one file importing itself), sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportCycle {
    pub id: usize,
    pub files: Vec<String>,
}

/// Everything the graph knows, in one serializable value.
#[derive(Debug, Clone, Serialize)]
pub struct GraphReport {
    pub files: Vec<FileMetrics>,
    pub edges: Vec<ImportEdge>,
    pub external: Vec<ExternalPackage>,
    pub unresolved: Vec<UnresolvedImport>,
    pub cycles: Vec<ImportCycle>,
    /// Imports written in languages without a resolver (anything but JavaScript/TypeScript,
    /// Python, Go, Rust, Java, Ruby), not in the graph.
    pub unsupported_imports: usize,
}

#[derive(Debug, Clone)]
struct Edge {
    from: FileId,
    to: u32,
    count: u32,
    line: u32,
}

/// The resolved import graph of one repository snapshot.
#[derive(Debug, Clone)]
pub struct ImportGraph {
    files: Vec<String>,
    index: HashMap<String, FileId>,
    /// File→file edges (self-imports excluded), sorted by (from, to).
    file_edges: Vec<Edge>,
    /// File→external edges, `to` indexes `externals`; sorted by (from, to).
    external_edges: Vec<Edge>,
    externals: Vec<ExternalPackage>,
    unresolved: Vec<UnresolvedImport>,
    unsupported_imports: usize,
    successors: Vec<Vec<FileId>>,
    predecessors: Vec<Vec<FileId>>,
    pagerank: Vec<f64>,
    cycles: Vec<ImportCycle>,
    cycle_of: Vec<Option<usize>>,
    /// Strongly connected component per file (see `metrics::components`).
    component_of: Vec<u32>,
    community: Vec<usize>,
}

/// Resolves every import and computes the graph's metrics.
pub fn build(files: &[SourceFile], read: &dyn Fn(&str) -> Option<String>) -> ImportGraph {
    let mut sorted: Vec<&SourceFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(b.path));
    sorted.dedup_by(|a, b| a.path == b.path);
    let paths: Vec<String> = sorted.iter().map(|f| f.path.to_string()).collect();

    let resolver = Resolver::new(&paths, read);
    let resolutions: Vec<Vec<Resolution>> = sorted
        .par_iter()
        .map(|file| file.imports.iter().map(|i| resolver.resolve(file.path, file.lang, &i.specifier)).collect())
        .collect();

    let mut file_edges: BTreeMap<(FileId, FileId), SiteCount> = BTreeMap::new();
    let mut external_sites: BTreeMap<(FileId, ExternalKey), SiteCount> = BTreeMap::new();
    let mut self_imports: BTreeSet<FileId> = BTreeSet::new();
    let mut unresolved = Vec::new();
    let mut unsupported_imports = 0;
    for (from, (file, resolved)) in sorted.iter().zip(&resolutions).enumerate() {
        let from = from as FileId;
        for (import, resolution) in file.imports.iter().zip(resolved) {
            match resolution {
                Resolution::Files(targets) => {
                    for &to in targets {
                        if to == from {
                            self_imports.insert(from);
                            continue;
                        }
                        count_site(file_edges.entry((from, to)).or_insert((0, u32::MAX)), import.line);
                    }
                }
                Resolution::External { name, ecosystem } => {
                    let key = (from, (name.as_str(), *ecosystem));
                    count_site(external_sites.entry(key).or_insert((0, u32::MAX)), import.line);
                }
                Resolution::Unresolved => unresolved.push(UnresolvedImport {
                    path: file.path.to_string(),
                    specifier: import.specifier.clone(),
                    line: import.line,
                }),
                Resolution::Unsupported => unsupported_imports += 1,
            }
        }
    }
    unresolved.sort_by(|a, b| (&a.path, a.line, &a.specifier).cmp(&(&b.path, b.line, &b.specifier)));

    let mut external_ids: BTreeMap<ExternalKey, u32> = BTreeMap::new();
    for (_, key) in external_sites.keys() {
        external_ids.entry(*key).or_insert(0);
    }
    let mut externals: Vec<ExternalPackage> = Vec::with_capacity(external_ids.len());
    for (id, ((name, ecosystem), slot)) in external_ids.iter_mut().enumerate() {
        *slot = id as u32;
        externals.push(ExternalPackage { name: name.to_string(), ecosystem: *ecosystem, importers: 0 });
    }
    let mut external_edges: Vec<Edge> = external_sites
        .iter()
        .map(|(&(from, key), &(count, line))| Edge { from, to: external_ids[&key], count, line })
        .collect();
    external_edges.sort_by_key(|e| (e.from, e.to));
    for edge in &external_edges {
        externals[edge.to as usize].importers += 1;
    }

    let node_count = paths.len();
    let mut successors = vec![Vec::new(); node_count];
    let mut predecessors = vec![Vec::new(); node_count];
    let file_edges: Vec<Edge> = file_edges
        .into_iter()
        .map(|((from, to), (count, line))| {
            successors[from as usize].push(to);
            predecessors[to as usize].push(from);
            Edge { from, to, count, line }
        })
        .collect();

    let pagerank = metrics::page_rank(&successors, PAGE_RANK_DAMPING, PAGE_RANK_ITERATIONS);
    let self_imports: Vec<FileId> = self_imports.into_iter().collect();
    let component_of = metrics::components(&successors);
    let mut cycle_of = vec![None; node_count];
    let cycles: Vec<ImportCycle> = metrics::cycles(&component_of, &self_imports)
        .into_iter()
        .enumerate()
        .map(|(id, members)| {
            for &member in &members {
                cycle_of[member as usize] = Some(id);
            }
            ImportCycle { id, files: members.iter().map(|&m| paths[m as usize].clone()).collect() }
        })
        .collect();
    let undirected: Vec<(u32, u32, f64)> = file_edges.iter().map(|e| (e.from, e.to, 1.0)).collect();
    let community = metrics::communities(node_count, &undirected);

    let index = paths.iter().enumerate().map(|(i, p)| (p.clone(), i as FileId)).collect();
    ImportGraph {
        files: paths,
        index,
        file_edges,
        external_edges,
        externals,
        unresolved,
        unsupported_imports,
        successors,
        predecessors,
        pagerank,
        cycles,
        cycle_of,
        component_of,
        community,
    }
}

/// (number of import sites, first line).
type SiteCount = (u32, u32);
type ExternalKey<'a> = (&'a str, Ecosystem);

fn count_site(slot: &mut SiteCount, line: u32) {
    slot.0 += 1;
    slot.1 = slot.1.min(line);
}

impl ImportGraph {
    /// All files, sorted; a file's position is its [`FileId`].
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// Per-file metrics in path order.
    pub fn metrics(&self) -> Vec<FileMetrics> {
        let mut external_imports = vec![0u32; self.files.len()];
        for edge in &self.external_edges {
            external_imports[edge.from as usize] += 1;
        }
        self.files
            .iter()
            .enumerate()
            .map(|(id, path)| FileMetrics {
                path: path.clone(),
                fan_in: self.predecessors[id].len() as u32,
                fan_out: self.successors[id].len() as u32,
                external_imports: external_imports[id],
                pagerank: self.pagerank[id],
                cycle: self.cycle_of[id],
                community: self.community[id],
            })
            .collect()
    }

    /// File→file edges, then file→external edges, each sorted by (from, to).
    pub fn edges(&self) -> Vec<ImportEdge> {
        let files = self.file_edges.iter().map(|e| ImportEdge {
            from: self.files[e.from as usize].clone(),
            to: self.files[e.to as usize].clone(),
            external: false,
            count: e.count,
            line: e.line,
        });
        let externals = self.external_edges.iter().map(|e| ImportEdge {
            from: self.files[e.from as usize].clone(),
            to: self.externals[e.to as usize].name.clone(),
            external: true,
            count: e.count,
            line: e.line,
        });
        files.chain(externals).collect()
    }

    /// External packages sorted by (name, ecosystem).
    pub fn external(&self) -> &[ExternalPackage] {
        &self.externals
    }

    /// Unresolved local imports sorted by (path, line).
    pub fn unresolved(&self) -> &[UnresolvedImport] {
        &self.unresolved
    }

    pub fn cycles(&self) -> &[ImportCycle] {
        &self.cycles
    }

    /// Imports skipped because their language has no resolver.
    pub fn unsupported_imports(&self) -> usize {
        self.unsupported_imports
    }

    /// Files `path` imports directly, in path order.
    pub fn imports_of(&self, path: &str) -> Vec<&str> {
        self.neighbours(path, &self.successors)
    }

    /// Files importing `path` directly, in path order.
    pub fn importers_of(&self, path: &str) -> Vec<&str> {
        self.neighbours(path, &self.predecessors)
    }

    fn neighbours(&self, path: &str, lists: &[Vec<FileId>]) -> Vec<&str> {
        match self.index.get(path) {
            Some(&id) => lists[id as usize].iter().map(|&n| self.files[n as usize].as_str()).collect(),
            None => Vec::new(),
        }
    }

    /// Files reachable by following imports from `entries` (entries included; unknown
    /// paths ignored).
    pub fn reachable_from<I>(&self, entries: I) -> BTreeSet<String>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let starts: Vec<FileId> = entries.into_iter().filter_map(|e| self.index.get(e.as_ref()).copied()).collect();
        let seen = self.reach(&starts);
        seen.iter().enumerate().filter(|(_, &reached)| reached).map(|(id, _)| self.files[id].clone()).collect()
    }

    fn reach(&self, starts: &[FileId]) -> Vec<bool> {
        let mut seen = vec![false; self.files.len()];
        let mut stack: Vec<FileId> = Vec::new();
        for &start in starts {
            if !seen[start as usize] {
                seen[start as usize] = true;
                stack.push(start);
            }
        }
        while let Some(node) = stack.pop() {
            for &next in &self.successors[node as usize] {
                if !seen[next as usize] {
                    seen[next as usize] = true;
                    stack.push(next);
                }
            }
        }
        seen
    }

    /// Whether `a` imports `b` or `b` imports `a`, directly or through other files.
    pub fn has_import_path(&self, a: &str, b: &str) -> bool {
        match (self.index.get(a), self.index.get(b)) {
            (Some(&a), Some(&b)) => a == b || self.reach(&[a])[b as usize] || self.reach(&[b])[a as usize],
            _ => false,
        }
    }

    /// The change-coupled pairs with no import path between them in either direction, in
    /// input order. Pairs naming a file not in the graph are left out (nothing to judge),
    /// and so are two Go files of one package folder (they share a namespace without imports).
    pub fn hidden_coupling<'p, P>(&self, pairs: &'p [P], ends: impl Fn(&P) -> (&str, &str)) -> Vec<&'p P> {
        let mut judged: Vec<(&'p P, (FileId, FileId))> = Vec::new();
        for pair in pairs {
            let (a, b) = ends(pair);
            if let (Some(&ia), Some(&ib)) = (self.index.get(a), self.index.get(b)) {
                if ia != ib && !same_go_package(a, b) {
                    judged.push((pair, (ia, ib)));
                }
            }
        }
        let ids: Vec<(FileId, FileId)> = judged.iter().map(|(_, ids)| *ids).collect();
        let linked = metrics::linked_pairs(&self.successors, &self.component_of, &ids);
        judged.into_iter().zip(linked).filter(|(_, linked)| !linked).map(|((pair, _), _)| pair).collect()
    }

    pub fn report(&self) -> GraphReport {
        GraphReport {
            files: self.metrics(),
            edges: self.edges(),
            external: self.externals.clone(),
            unresolved: self.unresolved.clone(),
            cycles: self.cycles.clone(),
            unsupported_imports: self.unsupported_imports,
        }
    }
}

fn same_go_package(a: &str, b: &str) -> bool {
    a.ends_with(".go") && b.ends_with(".go") && path::parent_dir(a) == path::parent_dir(b)
}

#[cfg(test)]
mod tests;
