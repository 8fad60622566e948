//! The indexing run: walk, read and hash, parse what changed (in parallel, each parse
//! bounded by a deadline), store, and keep the derived search index in step. One bad file
//! never fails a run: it becomes a skipped entry with a reason, or a diagnostic.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::checks::Scanner;
use crate::extract::{self, ExtractError};
use crate::lang::Lang;
use crate::progress::{Progress, Stage};
use crate::search::{SearchError, SearchIndex, SearchWriter};
use crate::store::{Diagnostic, FileUpdate, Known, Store, StoreError};
use crate::walk::{self, SkipReason, WalkOptions, WalkedFile};
use crate::workspace::Workspace;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
    #[error("cancelled")]
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub walk: WalkOptions,
    /// Worker threads for reading and parsing; 0 means one per core.
    pub threads: usize,
    /// Runs the detectors' per-file scans on each changed file while its tree is in memory.
    /// `None` indexes without them (benchmarks measure what the checks cost).
    pub scanner: Option<Arc<Scanner>>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions { walk: WalkOptions::default(), threads: 0, scanner: Some(Arc::new(Scanner::builtin())) }
    }
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct LanguageCount {
    pub files: u64,
    pub parsed: u64,
    pub loc: u64,
}

/// What an indexing run found and did. Totals describe the repository as stored after the
/// run; `reparsed`, `unchanged` and `removed` describe this run's work.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IndexSummary {
    pub repository: String,
    pub files: u64,
    pub by_language: BTreeMap<String, LanguageCount>,
    pub parsed: u64,
    /// Read and searchable, with no grammar (JSON, SQL, Markdown, …).
    pub text_only: u64,
    pub skipped: BTreeMap<String, u64>,
    pub skipped_folders: BTreeMap<String, u64>,
    pub reparsed: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub search_rebuilt: bool,
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed_ms: u64,
    /// Wall time per stage, for `plumb bench` and for finding what is slow.
    pub stage_ms: BTreeMap<String, u64>,
}

/// Files are processed and written in batches so memory stays bounded on huge trees.
const BATCH: usize = 2048;
const PARSE_STACK: usize = 64 * 1024 * 1024;

/// Indexes the workspace's repository incrementally. `now` is seconds since the epoch.
pub fn index(ws: &Workspace, options: &IndexOptions, progress: &dyn Progress, now: i64) -> Result<IndexSummary, IndexError> {
    let started = Instant::now();
    let mut store = Store::open(&ws.db_path())?;
    let run = store.begin_run("index", now)?;
    let mut diagnostics = Vec::new();

    let mut stage_ms = BTreeMap::new();
    let mut clock = Instant::now();
    let mut lap = |name: &str| {
        stage_ms.insert(name.to_string(), clock.elapsed().as_millis() as u64);
        clock = Instant::now();
    };
    progress.start(Stage::Walk, 0);
    let walked = walk::walk(&ws.repo, &options.walk);
    progress.finish(Stage::Walk);
    lap("walk");
    for (path, message) in &walked.errors {
        diagnostics.push(Diagnostic { path: path.clone(), stage: "walk".into(), message: message.clone() });
    }

    let mut known = store.known_files()?;
    // Scans made by another Plumb (or none at all) are redone: every file is read again.
    let stamp = options.scanner.as_ref().map_or(String::new(), |s| s.stamp().to_string());
    if store.meta("scan_stamp")?.unwrap_or_default() != stamp {
        for k in known.values_mut() {
            k.hash = None;
        }
    }
    let mut seen: HashSet<String> = HashSet::with_capacity(walked.files.len() + walked.skipped.len());

    // Search: incremental when the index reflects the store, otherwise rebuilt from it.
    let search = SearchIndex::open(&ws.search_dir())?;
    let store_generation: u64 = store.meta("search_generation")?.and_then(|g| g.parse().ok()).unwrap_or(0);
    let rebuild = search.generation() != Some(store_generation);
    let mut writer: Option<SearchWriter> = None;
    let new_generation = store_generation + 1;
    let open_writer = |store: &Store, writer: &mut Option<SearchWriter>| -> Result<(), IndexError> {
        if writer.is_none() {
            // Recorded before the index is touched: a crash in between leaves the index
            // behind the store, which the next run detects and repairs.
            store.set_meta("search_generation", &new_generation.to_string())?;
            let mut w = search.writer()?;
            if rebuild {
                w.delete_all()?;
            }
            *writer = Some(w);
        }
        Ok(())
    };
    if rebuild {
        open_writer(&store, &mut writer)?;
    }

    let skipped_updates: Vec<(String, Lang, FileUpdate)> = walked
        .skipped
        .iter()
        .map(|s| (s.path.clone(), s.lang, FileUpdate::Skipped { size: s.size, is_dir: s.is_dir, reason: s.reason }))
        .collect();
    for s in &walked.skipped {
        seen.insert(s.path.clone());
        if s.reason == SkipReason::NonUtf8Path {
            diagnostics.push(Diagnostic { path: s.path.clone(), stage: "walk".into(), message: "file name is not valid UTF-8; shown with replacement characters".into() });
        }
    }
    store.apply(&skipped_updates)?;

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .stack_size(PARSE_STACK)
        .thread_name(|i| format!("plumb-parse-{i}"))
        .build()
        .map_err(|e| IndexError::Threads(e.to_string()))?;

    let mut new_langs: Vec<Lang> = walked.files.iter().filter(|f| !known.contains_key(&f.path)).map(|f| f.lang).collect();
    new_langs.sort_by_key(|l| l.name());
    new_langs.dedup();
    pool.install(|| Lang::compile_queries(&new_langs, options.scanner.is_some()));

    progress.start(Stage::Parse, walked.files.len() as u64);
    let (mut reparsed, mut unchanged) = (0u64, 0u64);
    // On a rebuild, files read this run go straight to the search index; only the unchanged
    // ones are read back from the store afterwards.
    let mut unchanged_files: Vec<(String, Lang)> = Vec::new();
    let mut store_writes = 0u64;
    let store_ms = &mut store_writes;
    for batch in walked.files.chunks(BATCH) {
        if progress.cancelled() {
            return Err(IndexError::Cancelled);
        }
        let updates: Vec<(String, Lang, FileUpdate, Option<Diagnostic>)> = pool.install(|| {
            batch
                .par_iter()
                .map(|file| {
                    let (update, diag) = read_and_parse(file, known.get(&file.path), options);
                    progress.advance(1);
                    (file.path.clone(), file.lang, update, diag)
                })
                .collect()
        });
        for (path, lang, update, diag) in &updates {
            seen.insert(path.clone());
            diagnostics.extend(diag.clone());
            match update {
                FileUpdate::Unchanged => {
                    unchanged += 1;
                    if rebuild {
                        unchanged_files.push((path.clone(), *lang));
                    }
                }
                FileUpdate::Parsed { text, facts, .. } => {
                    reparsed += 1;
                    open_writer(&store, &mut writer)?;
                    let w = writer.as_mut().expect("writer open");
                    w.delete_path(path);
                    let symbols: Vec<(String, u32)> = facts.definitions.iter().map(|d| (d.name.clone(), d.start_line)).collect();
                    w.add_file(path, *lang, text, &symbols)?;
                }
                FileUpdate::Indexed { text, .. } => {
                    reparsed += 1;
                    open_writer(&store, &mut writer)?;
                    let w = writer.as_mut().expect("writer open");
                    w.delete_path(path);
                    w.add_file(path, *lang, text, &[])?;
                }
                FileUpdate::Skipped { .. } => {
                    if known.get(path).is_some_and(|k| k.hash.is_some()) {
                        open_writer(&store, &mut writer)?;
                        writer.as_mut().expect("writer open").delete_path(path);
                    }
                }
            }
        }
        let rows: Vec<(String, Lang, FileUpdate)> = updates.into_iter().map(|(p, l, u, _)| (p, l, u)).collect();
        let write = Instant::now();
        store.apply(&rows)?;
        *store_ms += write.elapsed().as_millis() as u64;
    }
    progress.finish(Stage::Parse);
    lap("read_parse_store");

    let removed: Vec<String> = known.keys().filter(|p| !seen.contains(*p)).cloned().collect();
    if !removed.is_empty() {
        open_writer(&store, &mut writer)?;
        let w = writer.as_mut().expect("writer open");
        for p in &removed {
            w.delete_path(p);
        }
        store.remove(&removed)?;
    }

    if let Some(mut w) = writer {
        progress.start(Stage::Search, 0);
        for (path, lang) in &unchanged_files {
            if let Some(text) = store.content(path)? {
                let symbols = store.definitions_of(path)?;
                w.add_file(path, *lang, &text, &symbols)?;
            }
        }
        w.commit(new_generation)?;
        progress.finish(Stage::Search);
    }
    lap("search_commit");

    store.set_meta("scan_stamp", &stamp)?;
    let mut summary = summarize(&store)?;
    summary.repository = ws.repo.display().to_string();
    summary.reparsed = reparsed;
    summary.unchanged = unchanged;
    summary.removed = removed.len() as u64;
    summary.search_rebuilt = rebuild;
    summary.elapsed_ms = started.elapsed().as_millis() as u64;
    stage_ms.insert("store_writes".into(), store_writes);
    summary.stage_ms = stage_ms;
    diagnostics.sort_by(|a, b| (&a.path, &a.stage).cmp(&(&b.path, &b.stage)));
    summary.diagnostics = diagnostics;
    let json = serde_json::to_string(&summary).unwrap_or_default();
    store.finish_run(run, now, &json, &summary.diagnostics)?;
    Ok(summary)
}

/// Reads one file (bounded), classifies its content and parses it when its hash changed.
fn read_and_parse(file: &WalkedFile, known: Option<&Known>, index_options: &IndexOptions) -> (FileUpdate, Option<Diagnostic>) {
    let options = &index_options.walk;
    let scan = |text: &str, tree: Option<&tree_sitter::Tree>| {
        index_options.scanner.as_ref().map(|s| s.scan(&file.path, file.lang, text, tree)).unwrap_or_default()
    };
    let diag = |message: String| Some(Diagnostic { path: file.path.clone(), stage: "read".into(), message });
    let mut bytes = Vec::with_capacity(file.size as usize);
    let read = std::fs::File::open(&file.abs).and_then(|f| f.take(options.max_file_bytes + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return (FileUpdate::Skipped { size: file.size, is_dir: false, reason: SkipReason::Unreadable }, diag(e.to_string()));
    }
    let size = bytes.len() as u64;
    if size > options.max_file_bytes {
        return (FileUpdate::Skipped { size, is_dir: false, reason: SkipReason::TooLarge }, None);
    }
    if let Some(reason) = walk::content_reason(&bytes, options) {
        return (FileUpdate::Skipped { size, is_dir: false, reason }, None);
    }
    let hash = blake3::hash(&bytes).to_hex()[..32].to_string();
    if known.is_some_and(|k| k.hash.as_deref() == Some(hash.as_str())) {
        return (FileUpdate::Unchanged, None);
    }
    let text = String::from_utf8(bytes).expect("content_reason checked UTF-8");
    if !file.lang.is_parsed() {
        let scan = scan(&text, None);
        return (FileUpdate::Indexed { size, hash, text, reason: None, scan }, None);
    }
    match extract::parse(file.lang, &text, extract::parse_budget(text.len())) {
        Ok(tree) => {
            let (scan, facts) = match &index_options.scanner {
                Some(scanner) => scanner.scan_with_facts(&file.path, file.lang, &text, &tree),
                None => (Default::default(), None),
            };
            let facts = facts.unwrap_or_else(|| extract::facts(file.lang, &text, &tree));
            (FileUpdate::Parsed { size, hash, text, facts, scan }, None)
        }
        Err(e @ ExtractError::Timeout(_)) => {
            let d = Some(Diagnostic { path: file.path.clone(), stage: "parse".into(), message: e.to_string() });
            let scan = scan(&text, None);
            (FileUpdate::Indexed { size, hash, text, reason: Some(SkipReason::ParseTimeout), scan }, d)
        }
        Err(e) => {
            let scan = scan(&text, None);
            (FileUpdate::Indexed { size, hash, text, reason: None, scan }, diag(e.to_string()))
        }
    }
}

fn summarize(store: &Store) -> Result<IndexSummary, StoreError> {
    let mut summary = IndexSummary::default();
    let conn = store.connection();
    let err = |e| StoreError::Sqlite { path: "workspace".into(), source: e };
    let mut stmt = conn
        .prepare("SELECT lang, status, skip_reason, is_dir, count(*), sum(loc) FROM files GROUP BY lang, status, skip_reason, is_dir")
        .map_err(err)?;
    let mut rows = stmt.query([]).map_err(err)?;
    let mut langs: HashMap<String, LanguageCount> = HashMap::new();
    while let Some(r) = rows.next().map_err(err)? {
        let lang: String = r.get(0).map_err(err)?;
        let status: String = r.get(1).map_err(err)?;
        let reason: Option<String> = r.get(2).map_err(err)?;
        let is_dir: bool = r.get(3).map_err(err)?;
        let count: u64 = r.get(4).map_err(err)?;
        let loc: u64 = r.get::<_, Option<u64>>(5).map_err(err)?.unwrap_or(0);
        if is_dir {
            *summary.skipped_folders.entry(reason.unwrap_or_default()).or_default() += count;
            continue;
        }
        summary.files += count;
        let entry = langs.entry(lang).or_default();
        entry.files += count;
        entry.loc += loc;
        match (status.as_str(), reason) {
            ("parsed", _) => {
                summary.parsed += count;
                entry.parsed += count;
            }
            ("indexed", None) => summary.text_only += count,
            (_, Some(reason)) => *summary.skipped.entry(reason).or_default() += count,
            _ => {}
        }
    }
    summary.by_language = langs.into_iter().collect();
    Ok(summary)
}
