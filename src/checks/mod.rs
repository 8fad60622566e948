//! The checks: detectors for the items of the triage catalogue.
//!
//! A detector works in two halves. [`Detector::scan`] runs during indexing on each file whose
//! content changed, while its tree-sitter tree is in memory, and keeps what the detector needs
//! as a small serializable value (stored per file, so an unchanged file is never scanned
//! again). [`Detector::check`] runs once per check over the whole [`Repo`]: every file's scan
//! values, roles, the schema, the import graph and the history, and reports [`Draft`]s. The
//! engine turns drafts into [`Finding`]s: excerpt (secrets redacted), fingerprint, exposure
//! and the proposed class.
//!
//! Syntax lives in `queries/<lang>/checks/*.scm` (see [`SourceFile::matches`]); detectors
//! read captures by name. One module per catalogue area (`data`, `pay`, `auth`, …).
//!
//! ```
//! let report = plumb::checks::check_sources(&[(
//!     "supabase/migrations/20250101000000_init.sql",
//!     "create table notes (id uuid primary key, body text);",
//! )], &["AUTH-RLS"]);
//! assert!(report.findings.iter().all(|f| f.item == "AUTH-RLS"));
//! ```

pub mod classify;
pub mod model;
pub mod repo;
pub mod roles;
pub mod rules;
pub mod sarif;
pub mod source;

mod arch;
mod auth;
mod data;
mod err;
mod know;
mod life;
mod obs;
mod ops;
mod pay;
mod sec;
mod test;
mod time;

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::time::Instant;

use rayon::prelude::*;
use rusqlite::params;
use serde::Serialize;
use tree_sitter::Tree;

pub use model::{
    Class, Confidence, Draft, Evidence, Excerpt, Exposure, Finding, Related, Severity,
};
pub use repo::{MemoryFile, Repo, RepoFile};
pub use source::SourceFile;

use crate::catalogue::{Catalogue, CatalogueError};
use crate::lang::Lang;
use crate::progress::{Progress, Stage};
use crate::store::{Diagnostic, Store, StoreError};
use crate::workspace::Workspace;

/// One file's scan values, by detector name.
pub type Scan = BTreeMap<String, serde_json::Value>;

/// The scan key of the engine's own per-file traits (roles).
pub const TRAITS: &str = "traits";

/// A detector of one or more catalogue items. See the module documentation.
pub trait Detector: Send + Sync {
    /// Stable name, the key of its scan values.
    fn name(&self) -> &'static str;
    /// The catalogue items it reports.
    fn items(&self) -> &'static [&'static str];
    /// Per file, context-free: what the check half needs later. `None` when nothing.
    fn scan(&self, _file: &SourceFile) -> Option<serde_json::Value> {
        None
    }
    /// Over the whole repository.
    fn check(&self, repo: &Repo, out: &mut Vec<Draft>);
}

/// Serializes a scan value, or `None` when it is empty (nothing stored).
pub fn keep<T: Serialize>(value: &T, empty: bool) -> Option<serde_json::Value> {
    if empty {
        None
    } else {
        serde_json::to_value(value).ok()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error("cancelled")]
    Cancelled,
}

/// Every built-in detector, in catalogue order.
fn builtin_detectors() -> Vec<Box<dyn Detector>> {
    let mut all: Vec<Box<dyn Detector>> = Vec::new();
    all.extend(data::detectors());
    all.extend(pay::detectors());
    all.extend(auth::detectors());
    all.extend(sec::detectors());
    all.extend(err::detectors());
    all.extend(obs::detectors());
    all.extend(ops::detectors());
    all.extend(test::detectors());
    all.extend(arch::detectors());
    all.extend(time::detectors());
    all.extend(know::detectors());
    all.extend(life::detectors());
    all
}

/// The detectors of a catalogue: the built-in ones plus the consultant's query rules. Its
/// stamp changes whenever what a scan produces could change, so stale scans are redone.
pub struct Scanner {
    detectors: Vec<Box<dyn Detector>>,
    stamp: String,
    /// Time spent in each detector's scan (nanoseconds, summed over threads), for `plumb bench`.
    scan_nanos: Vec<std::sync::atomic::AtomicU64>,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("detectors", &self.detectors.len())
            .field("stamp", &self.stamp)
            .finish()
    }
}

impl Scanner {
    /// The built-in detectors plus the rules of `catalogue` (compiled here: a rule whose query
    /// does not compile is an error naming the item).
    pub fn new(catalogue: &Catalogue) -> Result<Scanner, rules::RuleError> {
        let mut detectors = builtin_detectors();
        let rule_set = rules::RuleSet::compile(catalogue)?;
        let stamp = format!("{}-{}", env!("PLUMB_SCAN_STAMP"), rule_set.stamp());
        detectors.push(Box::new(rule_set));
        let scan_nanos = detectors.iter().map(|_| Default::default()).collect();
        Ok(Scanner { detectors, stamp, scan_nanos })
    }

    pub fn builtin() -> Scanner {
        Scanner::new(&Catalogue::builtin())
            .expect("the builtin catalogue has no rules that fail to compile")
    }

    pub fn stamp(&self) -> &str {
        &self.stamp
    }

    pub fn detectors(&self) -> &[Box<dyn Detector>] {
        &self.detectors
    }

    /// Scans one file. `tree` is `None` for text-only files (JSON, SQL, .env, …). A detector
    /// that panics loses its value for this file, nothing else.
    pub fn scan(&self, path: &str, lang: Lang, text: &str, tree: Option<&Tree>) -> Scan {
        self.scan_file(&SourceFile::new(path, lang, text, tree))
    }

    /// [`Scanner::scan`] and the file's extraction facts, from one pass over its tree.
    pub fn scan_with_facts(&self, path: &str, lang: Lang, text: &str, tree: &Tree) -> (Scan, Option<crate::model::FileFacts>) {
        let (file, facts) = SourceFile::with_facts(path, lang, text, Some(tree));
        (self.scan_file(&file), facts)
    }

    fn scan_file(&self, file: &SourceFile) -> Scan {
        let mut scan = Scan::new();
        let traits = roles::Traits::scan(file);
        if traits != roles::Traits::default() {
            if let Ok(v) = serde_json::to_value(&traits) {
                scan.insert(TRAITS.to_string(), v);
            }
        }
        for (d, nanos) in self.detectors.iter().zip(&self.scan_nanos) {
            let start = Instant::now();
            let value = std::panic::catch_unwind(AssertUnwindSafe(|| d.scan(file)));
            nanos.fetch_add(start.elapsed().as_nanos() as u64, std::sync::atomic::Ordering::Relaxed);
            if let Ok(Some(v)) = value {
                scan.insert(d.name().to_string(), v);
            }
        }
        scan
    }

    /// Scan time per detector so far (summed over threads), slowest first.
    pub fn scan_times(&self) -> Vec<(&'static str, std::time::Duration)> {
        let mut times: Vec<_> = self
            .detectors
            .iter()
            .zip(&self.scan_nanos)
            .map(|(d, n)| (d.name(), std::time::Duration::from_nanos(n.load(std::sync::atomic::Ordering::Relaxed))))
            .collect();
        times.sort_by(|a, b| b.1.cmp(&a.1));
        times
    }
}

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Only these items (all when empty).
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed_ms: u64,
    /// Check time per detector, slowest first (for `plumb bench`).
    #[serde(skip)]
    pub detector_times: Vec<(&'static str, std::time::Duration)>,
}

/// Runs the detectors over a workspace that has been indexed (with this scanner) and,
/// ideally, mapped; stores and returns the findings.
pub fn check(
    ws: &Workspace,
    scanner: &Scanner,
    catalogue: &Catalogue,
    options: &CheckOptions,
    progress: &dyn Progress,
) -> Result<CheckReport, CheckError> {
    let started = Instant::now();
    progress.start(Stage::Checks, scanner.detectors().len() as u64);
    let store = Store::open(&ws.db_path())?;
    let repo = Repo::from_store(store, Some(ws.repo.clone()), catalogue.clone())?;
    let mut report = check_repo(&repo, scanner, options, progress);
    if !repo.mapped {
        report.diagnostics.push(Diagnostic {
            path: String::new(),
            stage: "check".into(),
            message: "the repository was not mapped: checks that need history or the import graph ran without them".into(),
        });
    }
    drop(repo);
    if progress.cancelled() {
        return Err(CheckError::Cancelled);
    }
    let mut store = Store::open(&ws.db_path())?;
    save(&mut store, &report.findings, options)?;
    progress.finish(Stage::Checks);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Runs the detectors over a repository context. Never fails: a detector that panics becomes
/// a diagnostic.
pub fn check_repo(
    repo: &Repo,
    scanner: &Scanner,
    options: &CheckOptions,
    progress: &dyn Progress,
) -> CheckReport {
    let wanted = |item: &str| {
        options.items.is_empty() || options.items.iter().any(|i| i.eq_ignore_ascii_case(item))
    };
    let results: Vec<(&'static str, std::time::Duration, Result<Vec<Draft>, String>)> = scanner
        .detectors()
        .par_iter()
        .filter(|d| d.items().iter().any(|i| wanted(i)) || d.name() == rules::RULES)
        .map(|d| {
            let mut out = Vec::new();
            let start = Instant::now();
            let r = std::panic::catch_unwind(AssertUnwindSafe(|| d.check(repo, &mut out)));
            progress.advance(1);
            (d.name(), start.elapsed(), r.map(|_| out).map_err(|e| panic_message(&e)))
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut drafts = Vec::new();
    let mut detector_times: Vec<_> = results.iter().map(|(name, took, _)| (*name, *took)).collect();
    detector_times.sort_by(|a, b| b.1.cmp(&a.1));
    for (name, _, r) in results {
        match r {
            Ok(d) => drafts.extend(d),
            Err(message) => diagnostics.push(Diagnostic {
                path: String::new(),
                stage: "check".into(),
                message: format!("detector {name} failed: {message}"),
            }),
        }
    }
    let findings = finalize(
        repo,
        drafts.into_iter().filter(|d| wanted(&d.item)).collect(),
    );
    CheckReport {
        findings,
        diagnostics,
        elapsed_ms: 0,
        detector_times,
    }
}

fn panic_message(e: &Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| e.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Parses and scans files given in memory, then checks them (no history): the test helper
/// for detectors. `items` empty means all.
pub fn check_sources(files: &[(&str, &str)], items: &[&str]) -> CheckReport {
    let scanner = Scanner::builtin();
    let repo = memory_repo(files, &scanner, Catalogue::builtin());
    check_repo(
        &repo,
        &scanner,
        &CheckOptions {
            items: items.iter().map(|s| s.to_string()).collect(),
        },
        &crate::progress::Silent,
    )
}

/// The check context of files given in memory, parsed and scanned as indexing would.
pub fn memory_repo(files: &[(&str, &str)], scanner: &Scanner, catalogue: Catalogue) -> Repo {
    let memory: Vec<MemoryFile> = files
        .iter()
        .map(|(path, text)| {
            let lang = Lang::from_path(path);
            let parsed = if lang.is_parsed() {
                crate::extract::parse(lang, text, crate::extract::parse_budget(text.len())).ok()
            } else {
                None
            };
            let (scan, facts) = match &parsed {
                Some(tree) => {
                    let (scan, facts) = scanner.scan_with_facts(path, lang, text, tree);
                    (scan, Some(facts.unwrap_or_else(|| crate::extract::facts(lang, text, tree))))
                }
                None => (scanner.scan(path, lang, text, None), None),
            };
            MemoryFile {
                path: path.to_string(),
                lang,
                text: text.to_string(),
                facts,
                scan,
            }
        })
        .collect();
    Repo::from_memory(memory, catalogue)
}

/// Drafts to findings: severity, excerpt, exposure, class and fingerprint; sorted most
/// severe first, then by place.
fn finalize(repo: &Repo, drafts: Vec<Draft>) -> Vec<Finding> {
    let mut texts: HashMap<String, Option<Vec<String>>> = HashMap::new();
    let mut lines_of = |path: &str| -> Option<Vec<String>> {
        texts
            .entry(path.to_string())
            .or_insert_with(|| {
                repo.content(path)
                    .map(|t| t.lines().map(str::to_string).collect())
            })
            .clone()
    };
    let mut findings: Vec<(Finding, String)> = Vec::new();
    for d in drafts {
        let Some(item) = repo.catalogue.get(&d.item) else {
            continue;
        };
        let lines = if d.path.is_empty() {
            None
        } else {
            lines_of(&d.path)
        };
        let main_excerpt = lines
            .as_ref()
            .filter(|_| d.line > 0)
            .map(|l| excerpt(&d.path, l, d.line, d.end_line, 3));
        let anchor = d.anchor.clone().unwrap_or_else(|| match &lines {
            Some(l) if d.line > 0 => normalize_anchor(l, d.line, d.end_line),
            _ => d.message.clone(),
        });
        let related = d
            .related
            .iter()
            .map(|r| {
                let mut r = r.clone();
                if r.excerpt.is_none() && r.line > 0 {
                    if let Some(l) = lines_of(&r.path) {
                        r.excerpt = Some(excerpt(&r.path, &l, r.line, r.end_line, 1));
                    }
                }
                r.note = crate::redact::redact(&r.note).into_owned();
                r
            })
            .collect();
        let exposure = exposure(repo, &d);
        let severity = d.severity.unwrap_or(item.severity);
        let (class, class_reason) = match &d.class {
            Some((c, r)) => (*c, r.clone()),
            None => classify::propose(item, severity, &exposure),
        };
        let finding = Finding {
            fingerprint: String::new(),
            item: d.item.clone(),
            path: d.path.clone(),
            line: d.line,
            end_line: d.end_line,
            class,
            class_reason,
            severity,
            confidence: d.confidence,
            message: crate::redact::redact(&d.message).into_owned(),
            evidence: Evidence {
                excerpt: main_excerpt,
                related,
                searched: d.searched.clone(),
                facts: d
                    .facts
                    .iter()
                    .map(|f| crate::redact::redact(f).into_owned())
                    .collect(),
            },
            exposure,
        };
        findings.push((finding, anchor));
    }
    findings.sort_by(|(a, _), (b, _)| {
        (&a.item, &a.path, a.line, &a.message).cmp(&(&b.item, &b.path, b.line, &b.message))
    });
    // Duplicates (two detectors, or one reporting a place twice) collapse into the first.
    findings.dedup_by(|(a, _), (b, _)| {
        a.item == b.item && a.path == b.path && a.line == b.line && a.end_line == b.end_line
    });
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut out: Vec<Finding> = findings
        .into_iter()
        .map(|(mut f, anchor)| {
            let key = format!("{}\u{0}{}\u{0}{}", f.item, f.path, anchor);
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            f.fingerprint =
                blake3::hash(format!("{key}\u{0}{n}").as_bytes()).to_hex()[..16].to_string();
            f
        })
        .collect();
    out.sort_by(|a, b| {
        (b.class == Class::LoadBearing, b.severity, b.confidence)
            .cmp(&(a.class == Class::LoadBearing, a.severity, a.confidence))
            .then_with(|| (&a.path, a.line, &a.item).cmp(&(&b.path, b.line, &b.item)))
    });
    out
}

/// The flagged lines with whitespace collapsed (at most five lines), secrets redacted.
fn normalize_anchor(lines: &[String], line: u32, end_line: u32) -> String {
    let from = line.saturating_sub(1) as usize;
    let to = (end_line.max(line) as usize).min(from + 5).min(lines.len());
    let text = lines.get(from..to).map(|l| l.join(" ")).unwrap_or_default();
    crate::redact::redact(&text.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

/// Lines `line..=end_line` with `context` lines around (focus capped at 20 lines), redacted.
pub fn excerpt(path: &str, lines: &[String], line: u32, end_line: u32, context: u32) -> Excerpt {
    let end_line = end_line.max(line).min(line + 19);
    let start = line.saturating_sub(context).max(1);
    let end = (end_line + context).min(lines.len() as u32).max(start);
    let text: Vec<String> = (start..=end)
        .filter_map(|n| lines.get(n as usize - 1))
        .map(|l| crate::redact::redact(l).into_owned())
        .collect();
    Excerpt {
        path: path.to_string(),
        start_line: start,
        lines: text,
        focus: (line, end_line),
    }
}

fn exposure(repo: &Repo, d: &Draft) -> Exposure {
    let file = repo.file(&d.path);
    let roles = file.map(|f| f.roles.clone()).unwrap_or_default();
    let m = repo.metrics(&d.path);
    Exposure {
        money: d.money || roles.money,
        auth: d.auth || roles.auth,
        data_write: d.data_write || roles.data_write,
        entry: roles.entry.map(|e| e.as_str().to_string()),
        reachable_from_entry: repo.reachable_from_entry(&d.path),
        client: roles.client,
        test: roles.test,
        fan_in: m.fan_in,
        pagerank: m.pagerank,
        pagerank_percentile: m.pagerank_percentile,
        hotspot_rank: m.hotspot_rank,
        revisions_in_window: m.revisions_in_window,
        agent_share: m.agent_share,
    }
}

/// Replaces the stored findings with this run's, in one transaction. A run limited to some
/// items replaces only those items' findings.
fn save(store: &mut Store, findings: &[Finding], options: &CheckOptions) -> Result<(), StoreError> {
    store.write(|tx| {
        if options.items.is_empty() {
            tx.execute("DELETE FROM findings", [])?;
        } else {
            for item in &options.items {
                tx.execute("DELETE FROM findings WHERE item = ?1 COLLATE NOCASE", [item])?;
            }
        }
        let mut stmt = tx.prepare_cached("INSERT OR REPLACE INTO findings(fingerprint, item, path, line, data) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for f in findings {
            stmt.execute(params![f.fingerprint, f.item, f.path, f.line, serde_json::to_string(f).unwrap_or_default()])?;
        }
        Ok(())
    })
}

/// The findings of the last check run, in report order.
pub fn stored_findings(store: &Store) -> Result<Vec<Finding>, StoreError> {
    let err = |e| StoreError::Sqlite {
        path: "workspace".into(),
        source: e,
    };
    let mut stmt = store
        .connection()
        .prepare("SELECT data FROM findings")
        .map_err(err)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(err)?;
    let mut out: Vec<Finding> = Vec::new();
    for r in rows {
        if let Ok(f) = serde_json::from_str::<Finding>(&r.map_err(err)?) {
            out.push(f);
        }
    }
    out.sort_by(|a, b| {
        (b.class == Class::LoadBearing, b.severity, b.confidence)
            .cmp(&(a.class == Class::LoadBearing, a.severity, a.confidence))
            .then_with(|| (&a.path, a.line, &a.item).cmp(&(&b.path, b.line, &b.item)))
    });
    Ok(out)
}
