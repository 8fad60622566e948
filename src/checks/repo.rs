//! The repository as the check phase sees it: every stored file with its facts, roles and
//! scan results, the schema the migrations leave, the import graph and the history. Built
//! from a workspace's store (after `index` and `map`) or, for tests, from sources in memory.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Mutex;

use rusqlite::params;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::roles::{self, EntryKind, Roles, Traits};
use super::Scan;
use crate::catalogue::Catalogue;
use crate::lang::Lang;
use crate::map::HistorySummary;
use crate::model::{Definition, Import};
use crate::schema::{self, SchemaState};
use crate::store::{Store, StoreError};

/// One file of the repository.
#[derive(Debug, Clone)]
pub struct RepoFile {
    pub path: String,
    pub lang: Lang,
    /// `parsed`, `indexed` (text only) or `skipped`.
    pub status: String,
    pub skip_reason: Option<String>,
    pub loc: u32,
    pub complexity: u32,
    pub imports: Vec<Import>,
    pub definitions: Vec<Definition>,
    pub traits: Traits,
    pub roles: Roles,
}

impl RepoFile {
    /// Has text Plumb read (parsed or kept for search).
    pub fn has_text(&self) -> bool {
        self.status != "skipped"
    }
}

/// A file's place in the maps (zero when `map` has not run).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    pub fan_in: u32,
    pub fan_out: u32,
    pub pagerank: f64,
    pub pagerank_percentile: f64,
    pub revisions: u32,
    pub revisions_in_window: u32,
    pub churn: u64,
    pub authors: u32,
    pub main_author: Option<String>,
    pub agent_share: f64,
    pub last_changed_by_agent: bool,
    pub human_since_last_agent: bool,
    pub hotspot_rank: Option<u32>,
    pub cycle: Option<u32>,
    pub community: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommitRow {
    pub id: String,
    pub time: i64,
    pub author_name: String,
    pub author_email: String,
    pub summary: String,
    /// The coding agent the commit is attributed to.
    pub agent: Option<String>,
    pub parent_count: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub commit: usize,
    pub kind: String,
    pub added: Option<u32>,
    pub removed: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CouplingRow {
    pub a: String,
    pub b: String,
    pub shared: u32,
    pub degree: f64,
    pub hidden: bool,
}

/// What the history read left in the store.
#[derive(Debug, Default)]
pub struct HistoryView {
    /// Newest first.
    pub commits: Vec<CommitRow>,
    /// Per path, the changes in commit order (newest first).
    pub changes: HashMap<String, Vec<ChangeRow>>,
    pub summary: Option<HistorySummary>,
}

enum Contents {
    Memory(HashMap<String, String>),
    Store(Mutex<Store>),
}

pub struct Repo {
    /// The repository folder, when the check runs on one (history and blob scans need it).
    pub root: Option<PathBuf>,
    pub files: Vec<RepoFile>,
    index: HashMap<String, usize>,
    scans: Vec<Scan>,
    metrics: Vec<Metrics>,
    successors: Vec<Vec<usize>>,
    predecessors: Vec<Vec<usize>>,
    /// Per file, the external packages it imports.
    pub external: Vec<Vec<String>>,
    reachable: Vec<bool>,
    pub schema: SchemaState,
    pub coupling: Vec<CouplingRow>,
    pub history: HistoryView,
    pub catalogue: Catalogue,
    /// The repository's package.json depends on Vite.
    pub vite_app: bool,
    /// The repository's package.json depends on Next.js.
    pub next_app: bool,
    contents: Contents,
    /// Whether `map` ran (graph and history are known).
    pub mapped: bool,
}

/// A file as the in-memory constructor takes it.
pub struct MemoryFile {
    pub path: String,
    pub lang: Lang,
    pub text: String,
    pub facts: Option<crate::model::FileFacts>,
    pub scan: Scan,
}

impl Repo {
    pub fn file(&self, path: &str) -> Option<&RepoFile> {
        self.index.get(path).map(|&i| &self.files[i])
    }

    fn id(&self, path: &str) -> Option<usize> {
        self.index.get(path).copied()
    }

    /// The stored text of a file (parsed or text-only), if Plumb read it.
    pub fn content(&self, path: &str) -> Option<String> {
        match &self.contents {
            Contents::Memory(m) => m.get(path).cloned(),
            Contents::Store(s) => s
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .content(path)
                .ok()
                .flatten(),
        }
    }

    /// This detector's scan results, per file that has any, in path order.
    pub fn facts<T: DeserializeOwned>(&self, detector: &str) -> Vec<(&RepoFile, T)> {
        self.files
            .iter()
            .zip(&self.scans)
            .filter_map(|(f, scan)| {
                scan.get(detector)
                    .and_then(|v| T::deserialize(v).ok())
                    .map(|t| (f, t))
            })
            .collect()
    }

    /// One file's scan result of this detector.
    pub fn facts_of<T: DeserializeOwned>(&self, detector: &str, path: &str) -> Option<T> {
        let i = self.id(path)?;
        self.scans[i]
            .get(detector)
            .and_then(|v| T::deserialize(v).ok())
    }

    pub fn metrics(&self, path: &str) -> Metrics {
        self.id(path)
            .map(|i| self.metrics[i].clone())
            .unwrap_or_default()
    }

    /// Files `path` imports (repository files only).
    pub fn imports_of(&self, path: &str) -> Vec<&str> {
        self.id(path)
            .map(|i| {
                self.successors[i]
                    .iter()
                    .map(|&j| self.files[j].path.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The external packages `path` imports (`stripe`, `@supabase/supabase-js`, `requests`).
    pub fn external_of(&self, path: &str) -> &[String] {
        self.id(path).map_or(&[], |i| &self.external[i])
    }

    /// Files that import `path`.
    pub fn importers_of(&self, path: &str) -> Vec<&str> {
        self.id(path)
            .map(|i| {
                self.predecessors[i]
                    .iter()
                    .map(|&j| self.files[j].path.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The file is an entry point or is imported, directly or not, by one.
    pub fn reachable_from_entry(&self, path: &str) -> bool {
        self.id(path).is_some_and(|i| self.reachable[i])
    }

    /// Files reachable by imports from `starts` (starts included).
    pub fn reachable_from<'s>(&self, starts: impl IntoIterator<Item = &'s str>) -> Vec<&str> {
        let ids: Vec<usize> = starts.into_iter().filter_map(|s| self.id(s)).collect();
        reach(&self.successors, &ids)
            .into_iter()
            .enumerate()
            .filter(|(_, r)| *r)
            .map(|(i, _)| self.files[i].path.as_str())
            .collect()
    }

    /// The entry points that reach `path` through imports (itself included when it is one).
    pub fn entries_reaching(&self, path: &str) -> Vec<&str> {
        let Some(i) = self.id(path) else {
            return Vec::new();
        };
        reach(&self.predecessors, &[i])
            .into_iter()
            .enumerate()
            .filter(|(j, r)| *r && self.files[*j].roles.entry.is_some())
            .map(|(j, _)| self.files[j].path.as_str())
            .collect()
    }

    /// Files whose text Plumb has, in path order.
    pub fn text_files(&self) -> impl Iterator<Item = &RepoFile> {
        self.files.iter().filter(|f| f.has_text())
    }

    /// Builds the check context from a workspace store. `root` is the repository folder.
    pub fn from_store(
        store: Store,
        root: Option<PathBuf>,
        catalogue: Catalogue,
    ) -> Result<Repo, StoreError> {
        let records = store.files()?;
        let conn = store.connection();
        let err = |e| StoreError::Sqlite {
            path: "workspace".into(),
            source: e,
        };

        let mut scans_by_path: HashMap<String, Scan> = HashMap::new();
        {
            let mut stmt = conn
                .prepare("SELECT f.path, s.data FROM file_scans s JOIN files f ON f.id = s.file_id")
                .map_err(err)?;
            let mut rows = stmt.query([]).map_err(err)?;
            while let Some(r) = rows.next().map_err(err)? {
                let path: String = r.get(0).map_err(err)?;
                let data: String = r.get(1).map_err(err)?;
                if let Ok(scan) = serde_json::from_str::<Scan>(&data) {
                    scans_by_path.insert(path, scan);
                }
            }
        }

        let mut metrics_by_path: HashMap<String, Metrics> = HashMap::new();
        {
            let mut stmt = conn
                .prepare(
                    "SELECT path, fan_in, fan_out, pagerank, revisions, revisions_in_window, churn, authors, main_author, agent_share,
                            last_changed_by_agent, human_since_last_agent, hotspot_rank, cycle, community FROM file_metrics",
                )
                .map_err(err)?;
            let mut rows = stmt.query([]).map_err(err)?;
            while let Some(r) = rows.next().map_err(err)? {
                let m = Metrics {
                    fan_in: r.get(1).map_err(err)?,
                    fan_out: r.get(2).map_err(err)?,
                    pagerank: r.get(3).map_err(err)?,
                    pagerank_percentile: 0.0,
                    revisions: r.get(4).map_err(err)?,
                    revisions_in_window: r.get(5).map_err(err)?,
                    churn: r.get::<_, i64>(6).map_err(err)? as u64,
                    authors: r.get(7).map_err(err)?,
                    main_author: r.get(8).map_err(err)?,
                    agent_share: r.get(9).map_err(err)?,
                    last_changed_by_agent: r.get(10).map_err(err)?,
                    human_since_last_agent: r.get(11).map_err(err)?,
                    hotspot_rank: r.get(12).map_err(err)?,
                    cycle: r.get(13).map_err(err)?,
                    community: r.get(14).map_err(err)?,
                };
                metrics_by_path.insert(r.get(0).map_err(err)?, m);
            }
        }
        let mapped = !metrics_by_path.is_empty() || store.meta("history_summary")?.is_some();

        let mut edges: Vec<(String, String, bool)> = Vec::new();
        {
            let mut stmt = conn
                .prepare("SELECT from_path, to_path, external FROM import_edges")
                .map_err(err)?;
            let mut rows = stmt.query([]).map_err(err)?;
            while let Some(r) = rows.next().map_err(err)? {
                edges.push((
                    r.get(0).map_err(err)?,
                    r.get(1).map_err(err)?,
                    r.get(2).map_err(err)?,
                ));
            }
        }

        let mut coupling = Vec::new();
        {
            let mut stmt = conn
                .prepare("SELECT a, b, shared, degree, hidden FROM coupling")
                .map_err(err)?;
            let mut rows = stmt.query([]).map_err(err)?;
            while let Some(r) = rows.next().map_err(err)? {
                coupling.push(CouplingRow {
                    a: r.get(0).map_err(err)?,
                    b: r.get(1).map_err(err)?,
                    shared: r.get(2).map_err(err)?,
                    degree: r.get(3).map_err(err)?,
                    hidden: r.get(4).map_err(err)?,
                });
            }
        }

        let mut history = HistoryView::default();
        {
            let mut stmt = conn
                .prepare("SELECT id, time, author_name, author_email, summary, agent, parent_count FROM commits ORDER BY rowid")
                .map_err(err)?;
            let mut rows = stmt.query([]).map_err(err)?;
            let mut ids: HashMap<String, usize> = HashMap::new();
            while let Some(r) = rows.next().map_err(err)? {
                let c = CommitRow {
                    id: r.get(0).map_err(err)?,
                    time: r.get(1).map_err(err)?,
                    author_name: r.get(2).map_err(err)?,
                    author_email: r.get(3).map_err(err)?,
                    summary: r.get(4).map_err(err)?,
                    agent: r.get(5).map_err(err)?,
                    parent_count: r.get(6).map_err(err)?,
                };
                ids.insert(c.id.clone(), history.commits.len());
                history.commits.push(c);
            }
            let mut stmt = conn
                .prepare(
                    "SELECT commit_id, path, kind, added, removed FROM commit_files ORDER BY rowid",
                )
                .map_err(err)?;
            let mut rows = stmt.query([]).map_err(err)?;
            while let Some(r) = rows.next().map_err(err)? {
                let id: String = r.get(0).map_err(err)?;
                let Some(&commit) = ids.get(&id) else {
                    continue;
                };
                let path: String = r.get(1).map_err(err)?;
                history.changes.entry(path).or_default().push(ChangeRow {
                    commit,
                    kind: r.get(2).map_err(err)?,
                    added: r.get(3).map_err(err)?,
                    removed: r.get(4).map_err(err)?,
                });
            }
            history.summary = store
                .meta("history_summary")?
                .and_then(|s| serde_json::from_str(&s).ok());
        }

        // The schema: every SQL migration in order, then Prisma schemas.
        let texts: Vec<(String, Lang)> = records
            .iter()
            .filter(|f| f.status != "skipped")
            .map(|f| (f.path.clone(), f.lang))
            .collect();
        let schema = replay_schema(&texts, &|p| store.content(p).ok().flatten());
        let vite_app = package_json_has(&|p| store.content(p).ok().flatten(), "vite");
        let next_app = package_json_has(&|p| store.content(p).ok().flatten(), "next");
        let stack = roles::Stack { vite: vite_app, next: next_app };

        let files: Vec<RepoFile> = records
            .into_iter()
            .map(|r| {
                let traits = scans_by_path
                    .get(&r.path)
                    .and_then(|s| s.get(super::TRAITS))
                    .and_then(|v| Traits::deserialize(v).ok())
                    .unwrap_or_default();
                let roles = roles::roles(&r.path, r.lang, &r.imports, &traits, stack);
                RepoFile {
                    path: r.path,
                    lang: r.lang,
                    status: r.status,
                    skip_reason: r.skip_reason,
                    loc: r.loc,
                    complexity: r.complexity,
                    imports: r.imports,
                    definitions: r.definitions,
                    traits,
                    roles,
                }
            })
            .collect();
        let scans: Vec<Scan> = files
            .iter()
            .map(|f| scans_by_path.remove(&f.path).unwrap_or_default())
            .collect();
        let metrics: Vec<Metrics> = files
            .iter()
            .map(|f| metrics_by_path.remove(&f.path).unwrap_or_default())
            .collect();
        let mut repo = Repo::assemble(
            files,
            scans,
            metrics,
            &edges,
            schema,
            coupling,
            history,
            catalogue,
            stack,
            Contents::Store(Mutex::new(store)),
        );
        repo.root = root;
        repo.mapped = mapped;
        Ok(repo)
    }

    /// Builds the check context from files in memory (no history): the import graph is
    /// resolved here, the schema replayed from the `.sql` and `.prisma` files given.
    pub fn from_memory(files: Vec<MemoryFile>, catalogue: Catalogue) -> Repo {
        let mut files = files;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let texts: HashMap<String, String> = files
            .iter()
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect();
        let read = |p: &str| texts.get(p).cloned();
        let vite_app = package_json_has(&read, "vite");
        let next_app = package_json_has(&read, "next");
        let stack = roles::Stack { vite: vite_app, next: next_app };
        let empty: Vec<Import> = Vec::new();
        let sources: Vec<crate::graph::SourceFile> = files
            .iter()
            .map(|f| crate::graph::SourceFile {
                path: &f.path,
                lang: f.lang,
                imports: f.facts.as_ref().map_or(&empty[..], |x| &x.imports[..]),
            })
            .collect();
        let graph = crate::graph::build(&sources, &read);
        let mut metrics_by_path: HashMap<String, Metrics> = graph
            .metrics()
            .into_iter()
            .map(|m| {
                (
                    m.path.clone(),
                    Metrics {
                        fan_in: m.fan_in,
                        fan_out: m.fan_out,
                        pagerank: m.pagerank,
                        cycle: m.cycle.map(|c| c as u32),
                        community: m.community as u32,
                        ..Metrics::default()
                    },
                )
            })
            .collect();
        let edges: Vec<(String, String, bool)> = graph
            .edges()
            .into_iter()
            .map(|e| (e.from, e.to, e.external))
            .collect();
        let list: Vec<(String, Lang)> = files.iter().map(|f| (f.path.clone(), f.lang)).collect();
        let schema = replay_schema(&list, &read);
        let mut scans = Vec::new();
        let mut repo_files = Vec::new();
        for f in files {
            let facts = f.facts.unwrap_or_default();
            let traits = f
                .scan
                .get(super::TRAITS)
                .and_then(|v| Traits::deserialize(v).ok())
                .unwrap_or_default();
            let roles = roles::roles(&f.path, f.lang, &facts.imports, &traits, stack);
            let status = if f.lang.is_parsed() {
                "parsed"
            } else {
                "indexed"
            };
            repo_files.push(RepoFile {
                path: f.path,
                lang: f.lang,
                status: status.into(),
                skip_reason: None,
                loc: facts.loc,
                complexity: facts.complexity,
                imports: facts.imports,
                definitions: facts.definitions,
                traits,
                roles,
            });
            scans.push(f.scan);
        }
        let metrics: Vec<Metrics> = repo_files
            .iter()
            .map(|f| metrics_by_path.remove(&f.path).unwrap_or_default())
            .collect();
        let mut repo = Repo::assemble(
            repo_files,
            scans,
            metrics,
            &edges,
            schema,
            Vec::new(),
            HistoryView::default(),
            catalogue,
            stack,
            Contents::Memory(texts),
        );
        repo.mapped = true;
        repo
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        files: Vec<RepoFile>,
        scans: Vec<Scan>,
        mut metrics: Vec<Metrics>,
        edges: &[(String, String, bool)],
        schema: SchemaState,
        coupling: Vec<CouplingRow>,
        history: HistoryView,
        catalogue: Catalogue,
        stack: roles::Stack,
        contents: Contents,
    ) -> Repo {
        let index: HashMap<String, usize> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.clone(), i))
            .collect();
        let n = files.len();
        let mut successors = vec![Vec::new(); n];
        let mut predecessors = vec![Vec::new(); n];
        let mut external = vec![Vec::new(); n];
        for (from, to, is_external) in edges {
            let Some(&a) = index.get(from) else { continue };
            if *is_external {
                external[a].push(to.clone());
            } else if let Some(&b) = index.get(to) {
                successors[a].push(b);
                predecessors[b].push(a);
            }
        }
        // PageRank percentile among parsed files.
        let mut ranks: Vec<f64> = metrics
            .iter()
            .zip(&files)
            .filter(|(_, f)| f.status == "parsed")
            .map(|(m, _)| m.pagerank)
            .collect();
        ranks.sort_by(|a, b| a.total_cmp(b));
        if !ranks.is_empty() {
            for m in metrics.iter_mut() {
                m.pagerank_percentile =
                    ranks.partition_point(|r| *r < m.pagerank) as f64 / ranks.len() as f64;
            }
        }
        let entries: Vec<usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.roles.entry.is_some())
            .map(|(i, _)| i)
            .collect();
        let reachable = reach(&successors, &entries);
        Repo {
            root: None,
            files,
            index,
            scans,
            metrics,
            successors,
            predecessors,
            external,
            reachable,
            schema,
            coupling,
            history,
            catalogue,
            vite_app: stack.vite,
            next_app: stack.next,
            contents,
            mapped: false,
        }
    }

    /// Entry points by kind, for messages and the report.
    pub fn entries(&self) -> BTreeMap<&str, EntryKind> {
        self.files
            .iter()
            .filter_map(|f| f.roles.entry.map(|e| (f.path.as_str(), e)))
            .collect()
    }
}

fn reach(successors: &[Vec<usize>], starts: &[usize]) -> Vec<bool> {
    let mut seen = vec![false; successors.len()];
    let mut stack: Vec<usize> = Vec::new();
    for &s in starts {
        if !seen[s] {
            seen[s] = true;
            stack.push(s);
        }
    }
    while let Some(n) = stack.pop() {
        for &m in &successors[n] {
            if !seen[m] {
                seen[m] = true;
                stack.push(m);
            }
        }
    }
    seen
}

/// Replays the SQL migrations (in migration order) and merges the Prisma schemas.
fn replay_schema(files: &[(String, Lang)], read: &dyn Fn(&str) -> Option<String>) -> SchemaState {
    let sql: Vec<&str> = files
        .iter()
        .filter(|(p, l)| *l == Lang::Sql && is_migration_path(p))
        .map(|(p, _)| p.as_str())
        .collect();
    let ordered = schema::migration_order(&sql);
    let texts: Vec<(String, String)> = ordered
        .iter()
        .filter_map(|p| read(p).map(|t| (p.to_string(), t)))
        .collect();
    let pairs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let mut state = schema::replay(&pairs);
    for (path, lang) in files {
        if *lang == Lang::Prisma {
            if let Some(text) = read(path) {
                state.merge(schema::from_prisma(path, &text));
            }
        }
    }
    state
}

/// SQL files that describe the schema: migrations (drizzle-kit writes them to `drizzle/`) and
/// schema dumps, not seeds or queries.
pub fn is_migration_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    !name.contains("seed")
        && (lower.contains("migration")
            || name == "schema.sql"
            || name.ends_with("_schema.sql")
            || lower.contains("/schema/")
            || lower.starts_with("drizzle/")
            || lower.contains("/drizzle/"))
}

/// Whether any package.json (not under node_modules) lists `package` as a dependency.
fn package_json_has(read: &dyn Fn(&str) -> Option<String>, package: &str) -> bool {
    let Some(text) = read("package.json") else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    ["dependencies", "devDependencies"]
        .iter()
        .any(|k| json.get(k).and_then(|d| d.get(package)).is_some())
}

/// Stores scans of one batch of files (by file id), replacing earlier ones.
pub(crate) fn write_scan(
    tx: &rusqlite::Transaction,
    path: &str,
    scan: &Scan,
) -> rusqlite::Result<()> {
    let data = serde_json::to_string(scan).unwrap_or_else(|_| "{}".into());
    tx.prepare_cached(
        "INSERT INTO file_scans(file_id, data) SELECT id, ?2 FROM files WHERE path = ?1
         ON CONFLICT(file_id) DO UPDATE SET data = excluded.data",
    )?
    .execute(params![path, data])?;
    Ok(())
}
