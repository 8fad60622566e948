//! The map of a repository: its git history (provenance, churn, hotspots, change coupling)
//! joined with the import graph. `plumb map` prints it; the store keeps it for the checks,
//! the plan and the desktop app.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::graph::{self, SourceFile};
use crate::history::{self, CouplingOptions, HistoryOptions};
use crate::lang::Lang;
use crate::progress::{Progress, Stage};
use crate::store::{FileRecord, Store, StoreError};
use crate::workspace::Workspace;

#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    History(#[from] history::HistoryError),
}

#[derive(Debug, Clone, Default)]
pub struct MapOptions {
    pub history: HistoryOptions,
    pub coupling: CouplingOptions,
}

/// One file of the map: size and complexity from the index, history from git, position in
/// the import graph.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MapNode {
    pub path: String,
    pub lang: Lang,
    pub loc: u32,
    pub complexity: u32,
    pub fan_in: u32,
    pub fan_out: u32,
    pub pagerank: f64,
    pub revisions: u32,
    pub revisions_in_window: u32,
    pub churn: u64,
    pub authors: u32,
    pub main_author: Option<String>,
    pub agent_share: f64,
    pub last_changed_by_agent: bool,
    pub human_since_last_agent: bool,
    pub hotspot_score: u64,
    pub hotspot_rank: Option<u32>,
    pub community: usize,
    pub cycle: Option<usize>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Link {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExternalLink {
    pub from: String,
    pub package: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Coupling {
    pub a: String,
    pub b: String,
    pub shared: u32,
    pub degree: f64,
    /// No import path joins the two files in either direction.
    pub hidden: bool,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct HistorySummary {
    pub commits: u32,
    pub agent_commits: u32,
    pub agent_commit_share: f64,
    pub files_last_changed_by_agent_share: f64,
    pub first_commit_time: Option<i64>,
    pub last_commit_time: Option<i64>,
    pub window_start: Option<i64>,
    pub missing_objects: u32,
    pub shallow: bool,
    pub diagnostics: Vec<history::Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MapReport {
    pub nodes: Vec<MapNode>,
    pub imports: Vec<Link>,
    pub external: Vec<ExternalLink>,
    pub unresolved: Vec<graph::UnresolvedImport>,
    pub coupling: Vec<Coupling>,
    pub cycles: Vec<Vec<String>>,
    pub history: HistorySummary,
}

/// Maps the workspace's repository. The index must have run (the graph reads its facts).
pub fn map(ws: &Workspace, options: &MapOptions, progress: &dyn Progress) -> Result<MapReport, MapError> {
    let mut store = Store::open(&ws.db_path())?;

    progress.start(Stage::History, 0);
    let done = AtomicUsize::new(0);
    let history = history::read_history(&ws.repo, &options.history, &|d, _total| {
        let before = done.swap(d, Ordering::Relaxed);
        progress.advance(d.saturating_sub(before) as u64);
    })?;
    let stats = history::file_stats(&history);
    let pairs = history::coupling(&history, &options.coupling);
    progress.finish(Stage::History);

    progress.start(Stage::Map, 0);
    // Every stored file takes part in resolution (configs, assets); parsed files are the nodes.
    let all: Vec<FileRecord> = store.files()?;
    let sources: Vec<SourceFile> = all.iter().map(|f| SourceFile { path: &f.path, lang: f.lang, imports: &f.imports }).collect();
    let read = |path: &str| store.content(path).ok().flatten();
    let graph = graph::build(&sources, &read);
    let files: Vec<&FileRecord> = all.iter().filter(|f| f.status == "parsed").collect();
    let report = graph.report();
    let complexity: HashMap<String, u32> = files.iter().map(|f| (f.path.clone(), f.complexity)).collect();
    let hotspots: HashMap<String, history::Hotspot> = history::hotspots(&stats, &complexity).into_iter().map(|h| (h.path.clone(), h)).collect();
    let metrics: HashMap<&str, &graph::FileMetrics> = report.files.iter().map(|m| (m.path.as_str(), m)).collect();

    let nodes: Vec<MapNode> = files
        .iter()
        .map(|f| {
            let m = metrics.get(f.path.as_str());
            let h = stats.get(&f.path);
            let spot = hotspots.get(&f.path);
            MapNode {
                path: f.path.clone(),
                lang: f.lang,
                loc: f.loc,
                complexity: f.complexity,
                fan_in: m.map_or(0, |m| m.fan_in),
                fan_out: m.map_or(0, |m| m.fan_out),
                pagerank: m.map_or(0.0, |m| m.pagerank),
                revisions: h.map_or(0, |h| h.revisions),
                revisions_in_window: h.map_or(0, |h| h.revisions_in_window),
                churn: h.map_or(0, |h| h.churn_in_window),
                authors: h.map_or(0, |h| h.authors),
                main_author: h.and_then(|h| h.main_author.clone()),
                agent_share: h.map_or(0.0, |h| h.agent_share),
                last_changed_by_agent: h.is_some_and(|h| h.last_changed_by_agent),
                human_since_last_agent: h.is_some_and(|h| h.human_since_last_agent),
                hotspot_score: spot.map_or(0, |s| s.score),
                hotspot_rank: spot.map(|s| s.rank),
                community: m.map_or(0, |m| m.community),
                cycle: m.and_then(|m| m.cycle),
            }
        })
        .collect();

    let hidden: std::collections::HashSet<(String, String)> =
        graph.hidden_coupling(&pairs, |p| (p.a.as_str(), p.b.as_str())).into_iter().map(|p| (p.a.clone(), p.b.clone())).collect();
    let coupling: Vec<Coupling> = pairs
        .iter()
        .map(|p| Coupling {
            a: p.a.clone(),
            b: p.b.clone(),
            shared: p.shared_revs,
            degree: p.degree,
            hidden: hidden.contains(&(p.a.clone(), p.b.clone())),
        })
        .collect();
    let (imports, external) = report.edges.iter().fold((Vec::new(), Vec::new()), |(mut i, mut e), edge| {
        if edge.external {
            e.push(ExternalLink { from: edge.from.clone(), package: edge.to.clone() });
        } else {
            i.push(Link { from: edge.from.clone(), to: edge.to.clone() });
        }
        (i, e)
    });
    let h = &history.headline;
    let map = MapReport {
        nodes,
        imports,
        external,
        unresolved: report.unresolved.clone(),
        coupling,
        cycles: report.cycles.iter().map(|c| c.files.clone()).collect(),
        history: HistorySummary {
            commits: h.commits,
            agent_commits: h.agent_commits,
            agent_commit_share: h.agent_commit_share,
            files_last_changed_by_agent_share: h.files_last_changed_by_agent_share,
            first_commit_time: h.first_commit_time,
            last_commit_time: h.last_commit_time,
            window_start: history.window.map(|w| w.start),
            missing_objects: h.missing_objects,
            shallow: h.shallow,
            diagnostics: history.diagnostics.clone(),
        },
    };
    save(&mut store, &map, &history)?;
    progress.finish(Stage::Map);
    Ok(map)
}

/// Replaces the stored map in one transaction.
fn save(store: &mut Store, map: &MapReport, history: &history::History) -> Result<(), StoreError> {
    store.write(|tx| {
        // Rebuilt after the bulk insert: one sort instead of an index update per row.
        tx.execute("DROP INDEX IF EXISTS commit_files_by_path", [])?;
        for table in ["commit_files", "commits", "file_metrics", "import_edges", "coupling"] {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        let mut commit = tx.prepare_cached(
            "INSERT INTO commits(id, time, author_name, author_email, summary, agent, parent_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut change = tx.prepare_cached("INSERT INTO commit_files(commit_id, path, kind, added, removed) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for c in &history.commits {
            let agent = c.agent.as_ref().map(|a| a.agent.clone());
            commit.execute(params![c.id, c.time, c.author_name, c.author_email, c.summary, agent, c.parent_count as i64])?;
            for f in &c.changes {
                change.execute(params![c.id, f.path, f.kind.name(), f.lines.map(|l| l.added), f.lines.map(|l| l.removed)])?;
            }
        }
        tx.execute("CREATE INDEX commit_files_by_path ON commit_files(path)", [])?;
        let mut node = tx.prepare_cached(
            "INSERT INTO file_metrics(path, revisions, revisions_in_window, churn, authors, main_author, agent_share,
               last_changed_by_agent, human_since_last_agent, hotspot_score, hotspot_rank, fan_in, fan_out, pagerank, cycle, community)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?;
        for n in &map.nodes {
            node.execute(params![
                n.path,
                n.revisions,
                n.revisions_in_window,
                n.churn as i64,
                n.authors,
                n.main_author,
                n.agent_share,
                n.last_changed_by_agent,
                n.human_since_last_agent,
                n.hotspot_score as i64,
                n.hotspot_rank,
                n.fan_in,
                n.fan_out,
                n.pagerank,
                n.cycle.map(|c| c as i64),
                n.community as i64
            ])?;
        }
        let mut edge = tx.prepare_cached("INSERT INTO import_edges(from_path, to_path, external) VALUES (?1, ?2, ?3)")?;
        for l in &map.imports {
            edge.execute(params![l.from, l.to, false])?;
        }
        for l in &map.external {
            edge.execute(params![l.from, l.package, true])?;
        }
        let mut pair = tx.prepare_cached("INSERT INTO coupling(a, b, shared, degree, hidden) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for p in &map.coupling {
            pair.execute(params![p.a, p.b, p.shared, p.degree, p.hidden])?;
        }
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('history_summary', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [serde_json::to_string(&map.history).unwrap_or_default()],
        )?;
        Ok(())
    })
}

/// The map as the last run stored it: nodes, internal imports, coupling and cycles.
pub fn load(store: &Store) -> Result<StoredMap, StoreError> {
    store.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT f.path, f.lang, f.loc, f.complexity, m.fan_in, m.fan_out, m.pagerank, m.revisions, m.revisions_in_window,
                    m.churn, m.authors, m.main_author, m.agent_share, m.last_changed_by_agent, m.human_since_last_agent,
                    m.hotspot_score, m.hotspot_rank, m.community, m.cycle
             FROM file_metrics m JOIN files f ON f.path = m.path ORDER BY f.path",
        )?;
        let nodes = stmt
            .query_map([], |r| {
                Ok(MapNode {
                    path: r.get(0)?,
                    lang: Lang::from_name(&r.get::<_, String>(1)?).unwrap_or(Lang::Other),
                    loc: r.get(2)?,
                    complexity: r.get(3)?,
                    fan_in: r.get(4)?,
                    fan_out: r.get(5)?,
                    pagerank: r.get(6)?,
                    revisions: r.get(7)?,
                    revisions_in_window: r.get(8)?,
                    churn: r.get::<_, i64>(9)? as u64,
                    authors: r.get(10)?,
                    main_author: r.get(11)?,
                    agent_share: r.get(12)?,
                    last_changed_by_agent: r.get(13)?,
                    human_since_last_agent: r.get(14)?,
                    hotspot_score: r.get::<_, i64>(15)? as u64,
                    hotspot_rank: r.get(16)?,
                    community: r.get::<_, i64>(17)? as usize,
                    cycle: r.get::<_, Option<i64>>(18)?.map(|c| c as usize),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let imports = conn
            .prepare("SELECT from_path, to_path FROM import_edges WHERE external = 0 ORDER BY from_path, to_path")?
            .query_map([], |r| Ok(Link { from: r.get(0)?, to: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let coupling = conn
            .prepare("SELECT a, b, shared, degree, hidden FROM coupling ORDER BY degree DESC, a, b")?
            .query_map([], |r| Ok(Coupling { a: r.get(0)?, b: r.get(1)?, shared: r.get(2)?, degree: r.get(3)?, hidden: r.get(4)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut cycles: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
        for n in &nodes {
            if let Some(c) = n.cycle {
                cycles.entry(c).or_default().push(n.path.clone());
            }
        }
        Ok(StoredMap { nodes, imports, coupling, cycles: cycles.into_values().collect() })
    })
}

pub struct StoredMap {
    pub nodes: Vec<MapNode>,
    pub imports: Vec<Link>,
    pub coupling: Vec<Coupling>,
    pub cycles: Vec<Vec<String>>,
}

/// The folder node a file belongs to when the map is aggregated: `src/lib/`, or `.` at the root.
pub fn folder_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    if parts.len() <= 1 {
        ".".to_string()
    } else {
        parts[..(parts.len() - 1).min(2)].join("/") + "/"
    }
}

/// Files grouped by folder (two levels deep, e.g. `src/lib`), for repositories too big to
/// draw file by file: sums for sizes and churn, the largest PageRank and hotspot, edges
/// between folders counted once.
pub fn by_folder(nodes: &[MapNode], imports: &[Link], coupling: &[Coupling]) -> (Vec<MapNode>, Vec<Link>, Vec<Coupling>) {
    let folder = folder_of;
    let mut groups: std::collections::BTreeMap<String, MapNode> = Default::default();
    for n in nodes {
        let key = folder(&n.path);
        let g = groups.entry(key.clone()).or_insert_with(|| MapNode {
            path: key,
            lang: n.lang,
            loc: 0,
            complexity: 0,
            fan_in: 0,
            fan_out: 0,
            pagerank: 0.0,
            revisions: 0,
            revisions_in_window: 0,
            churn: 0,
            authors: 0,
            main_author: None,
            agent_share: 0.0,
            last_changed_by_agent: false,
            human_since_last_agent: false,
            hotspot_score: 0,
            hotspot_rank: None,
            community: n.community,
            cycle: None,
        });
        g.loc += n.loc;
        g.complexity += n.complexity;
        g.pagerank += n.pagerank;
        g.revisions += n.revisions;
        g.revisions_in_window += n.revisions_in_window;
        g.churn += n.churn;
        g.authors = g.authors.max(n.authors);
        // Weighted by revisions below; summed here.
        g.agent_share += n.agent_share * n.revisions as f64;
        g.hotspot_score = g.hotspot_score.max(n.hotspot_score);
        g.hotspot_rank = match (g.hotspot_rank, n.hotspot_rank) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        g.cycle = g.cycle.or(n.cycle);
        g.last_changed_by_agent |= n.last_changed_by_agent;
    }
    for g in groups.values_mut() {
        g.agent_share = if g.revisions > 0 { g.agent_share / g.revisions as f64 } else { 0.0 };
    }
    let mut links: std::collections::BTreeSet<(String, String)> = Default::default();
    for l in imports {
        let (a, b) = (folder(&l.from), folder(&l.to));
        if a != b {
            links.insert((a, b));
        }
    }
    for (a, b) in &links {
        if let Some(g) = groups.get_mut(a) {
            g.fan_out += 1;
        }
        if let Some(g) = groups.get_mut(b) {
            g.fan_in += 1;
        }
    }
    let mut pairs: std::collections::BTreeMap<(String, String), Coupling> = Default::default();
    for c in coupling {
        let (a, b) = (folder(&c.a), folder(&c.b));
        if a == b {
            continue;
        }
        let key = if a < b { (a, b) } else { (b, a) };
        let e = pairs.entry(key.clone()).or_insert_with(|| Coupling { a: key.0, b: key.1, shared: 0, degree: 0.0, hidden: true });
        e.shared += c.shared;
        e.degree = e.degree.max(c.degree);
        e.hidden &= c.hidden;
    }
    (
        groups.into_values().collect(),
        links.into_iter().map(|(from, to)| Link { from, to }).collect(),
        pairs.into_values().collect(),
    )
}

/// The import graph and coupling as Graphviz DOT. Every identifier is quoted and escaped:
/// file names come from the inspected repository.
pub fn to_dot(map: &MapReport) -> String {
    let q = |s: &str| {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => {}
                c => out.push(c),
            }
        }
        out.push('"');
        out
    };
    let mut out = String::from("digraph plumb {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n");
    for n in &map.nodes {
        let hot = if n.hotspot_rank.is_some_and(|r| r <= 10) { ", style=filled, fillcolor=\"#fde2e1\"" } else { "" };
        out.push_str(&format!("  {} [community={}{hot}];\n", q(&n.path), n.community));
    }
    for l in &map.imports {
        out.push_str(&format!("  {} -> {};\n", q(&l.from), q(&l.to)));
    }
    for c in &map.coupling {
        let color = if c.hidden { "#d7263d" } else { "#999999" };
        out.push_str(&format!(
            "  {} -> {} [dir=none, style=dashed, color=\"{color}\", label=\"{:.0}%\"];\n",
            q(&c.a),
            q(&c.b),
            c.degree
        ));
    }
    out.push_str("}\n");
    out
}
