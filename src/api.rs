//! What the desktop app asks the engine, and the answers, as serializable types whose
//! TypeScript is generated into `ui/src/lib/api/` (see `export_typescript`). Each call opens
//! what it needs, takes the workspace lock only while it writes, and returns redacted text.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalogue::{Effort, Severity};
use crate::map::{Coupling, Link, MapNode};
use crate::pipeline::{self, AnalyseError, AnalyseOptions, Detectors};
use crate::plan::{Horizon, Plan};
use crate::progress::{Progress, Stage};
use crate::report::{self, Format, ReportError};
use crate::search::{SearchError, SearchIndex};
use crate::store::{Store, StoreError};
use crate::triage::{PlanEdit, Triage, TriageError, Verdict};
use crate::workspace::{Workspace, WorkspaceError};

/// How long a write waits for another Plumb process (the CLI) before saying "busy".
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// What the UI branches on; the message is for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The path, the query or a value the user gave is not usable.
    BadInput,
    /// Another Plumb process is writing this workspace.
    Busy,
    /// The repository has not been analysed yet.
    NotAnalysed,
    Cancelled,
    /// Something went wrong on this machine (disk, database); the message says what.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    fn new(code: ErrorCode, message: impl std::fmt::Display) -> ApiError {
        // Error messages quote paths and values from the repository: redact them too.
        ApiError {
            code,
            message: crate::redact::redact(&message.to_string()).into_owned(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<WorkspaceError> for ApiError {
    fn from(e: WorkspaceError) -> ApiError {
        let code = match &e {
            WorkspaceError::Busy(_) => ErrorCode::Busy,
            e if e.is_bad_input() => ErrorCode::BadInput,
            _ => ErrorCode::Internal,
        };
        ApiError::new(code, e)
    }
}

impl From<TriageError> for ApiError {
    fn from(e: TriageError) -> ApiError {
        let code = match &e {
            TriageError::NoEngagement => ErrorCode::NotAnalysed,
            e if e.is_bad_input() => ErrorCode::BadInput,
            _ => ErrorCode::Internal,
        };
        ApiError::new(code, e)
    }
}

impl From<AnalyseError> for ApiError {
    fn from(e: AnalyseError) -> ApiError {
        match e {
            AnalyseError::Cancelled => ApiError::new(
                ErrorCode::Cancelled,
                "analysis cancelled; nothing was changed",
            ),
            AnalyseError::Triage(e) => e.into(),
            e => ApiError::new(ErrorCode::Internal, e),
        }
    }
}

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> ApiError {
        let code = if e.is_bad_input() {
            ErrorCode::BadInput
        } else {
            ErrorCode::Internal
        };
        ApiError::new(code, e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::new(ErrorCode::Internal, e)
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> ApiError {
        ApiError::new(ErrorCode::Internal, e)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A repository Plumb has a workspace for.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Repository {
    /// Absolute, canonical path.
    pub path: String,
    pub name: String,
    pub client: Option<String>,
    /// Seconds since the epoch of the latest analysis; None when never analysed.
    #[ts(type = "number | null")]
    pub analysed_at: Option<i64>,
    pub findings: u32,
}

/// One step of a long analysis, sent to the UI as it happens.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ProgressEvent {
    pub stage: Stage,
    pub label: String,
    /// Steps done in this stage and the total when known (0 when not).
    pub done: u32,
    pub total: u32,
    pub finished: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AnalysisSummary {
    pub files: u32,
    pub parsed: u32,
    pub skipped: u32,
    pub commits: u32,
    pub findings: u32,
    /// Findings not in the previous analysis, and earlier ones no longer found.
    pub new: u32,
    pub resolved: u32,
    pub elapsed_ms: u32,
}

/// The plan with what the overview leads with.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub plan: Plan,
    /// Fingerprints of the gravest open lines (severity, then priority), as the report's summary.
    pub top_risks: Vec<String>,
}

/// A piece of a search snippet: matched or not. Secrets are already masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchResult {
    pub path: String,
    pub line: u32,
    pub lang: crate::model::Lang,
    /// `code` or `symbol`.
    pub kind: String,
    pub segments: Vec<Segment>,
}

/// The map screen's data. Above `MAP_FILE_LIMIT` files, folders stand for their files.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MapView {
    pub nodes: Vec<MapNode>,
    pub imports: Vec<Link>,
    pub coupling: Vec<Coupling>,
    pub cycles: Vec<Vec<String>>,
    /// True when nodes are folders (a big repository), not files.
    pub aggregated: bool,
    /// Open findings per node (file or folder), for colouring by risk.
    pub risks: Vec<NodeRisk>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NodeRisk {
    pub path: String,
    pub findings: u32,
    pub worst: Severity,
}

/// A commit that changed a file, for the map's file panel.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FileCommit {
    pub id: String,
    #[ts(type = "number")]
    pub time: i64,
    pub author: String,
    pub summary: String,
    /// The coding agent that made it, if one did.
    pub agent: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Html,
    Pdf,
    Markdown,
    Json,
    Sarif,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportResult {
    pub path: String,
    pub format: ExportFormat,
    pub bytes: u32,
}

/// The consultant's change to one plan line: `None` keeps the current value; an empty owner
/// clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
pub struct LineEdit {
    pub effort: Option<Effort>,
    pub owner: Option<String>,
}

/// The engine as one host holds it: the data folder and the detectors, loaded once.
pub struct Engine {
    data_dir: Option<PathBuf>,
    detectors: OnceLock<Detectors>,
}

/// Above this many files the map shows folders: a graph a person can read and a UI that stays smooth.
pub const MAP_FILE_LIMIT: usize = 3000;

impl Engine {
    /// `data_dir`: Plumb's data folder; None for the user's default.
    pub fn new(data_dir: Option<PathBuf>) -> Engine {
        Engine {
            data_dir,
            detectors: OnceLock::new(),
        }
    }

    fn detectors(&self) -> ApiResult<&Detectors> {
        if let Some(d) = self.detectors.get() {
            return Ok(d);
        }
        let loaded = Detectors::load(None).map_err(|e| ApiError::new(ErrorCode::Internal, e))?;
        Ok(self.detectors.get_or_init(|| loaded))
    }

    fn workspace(&self, repo: &str) -> ApiResult<Workspace> {
        Ok(Workspace::open(Path::new(repo), self.data_dir.as_deref())?)
    }

    /// The repositories with a workspace, most recently analysed first.
    pub fn recent(&self) -> ApiResult<Vec<Repository>> {
        let Some(data_dir) = self
            .data_dir
            .clone()
            .or_else(crate::workspace::default_data_dir)
        else {
            return Ok(Vec::new());
        };
        let Ok(entries) = std::fs::read_dir(data_dir.join("workspaces")) else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for entry in entries.flatten() {
            let Ok(path) = std::fs::read_to_string(entry.path().join("repository.txt")) else {
                continue;
            };
            // A repository moved or deleted since is not offered.
            if let Ok(ws) = self.workspace(path.trim()) {
                found.push(describe(&ws));
            }
        }
        found.sort_by(|a, b| {
            b.analysed_at
                .cmp(&a.analysed_at)
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(found)
    }

    /// The repository at `path`, validated; whether it has been analysed.
    pub fn open(&self, path: &str) -> ApiResult<Repository> {
        Ok(describe(&self.workspace(path)?))
    }

    /// Indexes, maps and checks the repository and records the analysis in its engagement.
    pub fn analyse(&self, path: &str, progress: &dyn Progress) -> ApiResult<AnalysisSummary> {
        let detectors = self.detectors()?;
        let ws = self.workspace(path)?;
        let _lock = ws.lock(LOCK_WAIT)?;
        let run = pipeline::analyse_engagement(
            &ws,
            detectors,
            &AnalyseOptions::default(),
            (None, None),
            progress,
            now(),
        )?;
        let a = &run.analysis;
        Ok(AnalysisSummary {
            files: a.index.files as u32,
            parsed: a.index.parsed as u32,
            skipped: a.index.skipped.values().sum::<u64>() as u32,
            commits: a.map.history.commits,
            findings: a.checks.findings.len() as u32,
            new: run.reconciliation.new.len() as u32,
            resolved: run.reconciliation.resolved.len() as u32,
            elapsed_ms: (a.index.elapsed_ms + a.checks.elapsed_ms) as u32,
        })
    }

    /// The plan of the current engagement, every string redacted.
    pub fn plan(&self, path: &str) -> ApiResult<PlanView> {
        let ws = self.workspace(path)?;
        let plan = pipeline::current_plan(&ws, &self.detectors()?.catalogue)?;
        let top_risks = plan
            .top_risks(6)
            .iter()
            .map(|l| l.fingerprint.clone())
            .collect();
        let plan = serde_json::from_value(report::redacted_json(&plan))
            .map_err(|e| ApiError::new(ErrorCode::Internal, e))?;
        Ok(PlanView { plan, top_risks })
    }

    pub fn set_verdict(
        &self,
        path: &str,
        fingerprint: &str,
        verdict: Option<Verdict>,
        note: Option<&str>,
    ) -> ApiResult<()> {
        self.write(path, |t| t.set_verdict(fingerprint, verdict, note, now()))
    }

    pub fn set_answer(
        &self,
        path: &str,
        item: &str,
        text: &str,
        not_applicable: bool,
    ) -> ApiResult<()> {
        self.write(path, |t| t.set_answer(item, text, not_applicable, now()))
    }

    pub fn set_note(&self, path: &str, item: &str, text: &str) -> ApiResult<()> {
        self.write(path, |t| t.set_note(item, text, now()))
    }

    /// Changes a line's effort or owner, keeping its place and horizon.
    pub fn edit_line(&self, path: &str, fingerprint: &str, edit: &LineEdit) -> ApiResult<()> {
        self.write(path, |t| {
            let fingerprint = t.resolve_fingerprint(fingerprint)?;
            let mut current: PlanEdit = t
                .judgement()?
                .edits
                .get(&fingerprint)
                .cloned()
                .unwrap_or_default();
            if edit.effort.is_some() {
                current.effort = edit.effort;
            }
            if let Some(owner) = &edit.owner {
                current.owner = Some(owner.clone());
            }
            t.edit_plan(&fingerprint, &current, now())
        })
    }

    /// The new order of a horizon's lines (lines dragged in from another horizon move to it).
    pub fn reorder(&self, path: &str, horizon: Horizon, fingerprints: &[String]) -> ApiResult<()> {
        self.write(path, |t| t.reorder(horizon.as_str(), fingerprints, now()))
    }

    fn write(
        &self,
        path: &str,
        change: impl FnOnce(&mut Triage) -> Result<(), TriageError>,
    ) -> ApiResult<()> {
        let ws = self.workspace(path)?;
        let _lock = ws.lock(LOCK_WAIT)?;
        let mut triage = Triage::open(&ws)?;
        triage.current()?;
        Ok(change(&mut triage)?)
    }

    /// Full-text and symbol search; snippets split into matched and unmatched pieces.
    pub fn search(&self, path: &str, query: &str, limit: usize) -> ApiResult<Vec<SearchResult>> {
        let ws = self.workspace(path)?;
        if !ws.search_dir().exists() {
            return Err(ApiError::new(
                ErrorCode::NotAnalysed,
                "no search index yet: analyse the repository first",
            ));
        }
        let hits = SearchIndex::open(&ws.search_dir())?.search(query, limit.clamp(1, 500))?;
        Ok(hits
            .into_iter()
            .map(|h| SearchResult {
                segments: segments(&h.snippet, &h.highlights),
                path: h.path,
                line: h.line,
                lang: h.lang,
                kind: h.kind,
            })
            .collect())
    }

    /// The stored import graph, coupling and cycles.
    pub fn map(&self, path: &str) -> ApiResult<MapView> {
        let ws = self.workspace(path)?;
        let store = Store::open(&ws.db_path())?;
        let map = crate::map::load(&store)?;
        let aggregated = map.nodes.len() > MAP_FILE_LIMIT;
        let (nodes, imports, coupling) = if aggregated {
            crate::map::by_folder(&map.nodes, &map.imports, &map.coupling)
        } else {
            (map.nodes, map.imports, map.coupling)
        };
        // The plan's open findings (set-aside ones excluded); none before the first analysis.
        let mut risks: std::collections::BTreeMap<String, NodeRisk> = Default::default();
        if let Ok(plan) = pipeline::current_plan(&ws, &self.detectors()?.catalogue) {
            for f in plan.findings.iter().filter(|f| !f.path.is_empty()) {
                let key = if aggregated { crate::map::folder_of(&f.path) } else { f.path.clone() };
                let risk = risks.entry(key.clone()).or_insert(NodeRisk { path: key, findings: 0, worst: f.severity });
                risk.findings += 1;
                risk.worst = risk.worst.max(f.severity);
            }
        }
        Ok(MapView {
            nodes,
            imports,
            coupling,
            cycles: map.cycles,
            aggregated,
            risks: risks.into_values().collect(),
        })
    }

    /// The latest commits that changed `file`, newest first.
    pub fn file_history(&self, path: &str, file: &str, limit: usize) -> ApiResult<Vec<FileCommit>> {
        let ws = self.workspace(path)?;
        let store = Store::open(&ws.db_path())?;
        let rows = store.read(|conn| {
            conn.prepare_cached(
                "SELECT c.id, c.time, c.author_name, c.summary, c.agent FROM commit_files f JOIN commits c ON c.id = f.commit_id
                 WHERE f.path = ?1 ORDER BY c.time DESC LIMIT ?2",
            )?
            .query_map(rusqlite::params![file, limit as i64], |r| {
                Ok(FileCommit { id: r.get(0)?, time: r.get(1)?, author: r.get(2)?, summary: r.get(3)?, agent: r.get(4)? })
            })?
            .collect::<Result<Vec<_>, _>>()
        })?;
        Ok(rows
            .into_iter()
            .map(|c| FileCommit {
                summary: crate::redact::redact(&c.summary).into_owned(),
                ..c
            })
            .collect())
    }

    /// Writes the plan to `out` (never inside the repository); the format comes from the extension.
    pub fn export(&self, path: &str, out: &str) -> ApiResult<ExportResult> {
        let ws = self.workspace(path)?;
        let detectors = self.detectors()?;
        let plan = pipeline::current_plan(&ws, &detectors.catalogue)?;
        let out_path = Path::new(out);
        let format = report::export(&plan, &detectors.catalogue, &ws.repo, out_path)?;
        let bytes = std::fs::metadata(out_path).map(|m| m.len()).unwrap_or(0) as u32;
        let format = match format {
            Format::Html => ExportFormat::Html,
            Format::Pdf => ExportFormat::Pdf,
            Format::Markdown => ExportFormat::Markdown,
            Format::Json => ExportFormat::Json,
            Format::Sarif => ExportFormat::Sarif,
        };
        Ok(ExportResult {
            path: out.to_string(),
            format,
            bytes,
        })
    }
}

fn describe(ws: &Workspace) -> Repository {
    let engagement = Triage::open(ws)
        .ok()
        .and_then(|t| t.engagement().ok().flatten().map(|e| (t, e)));
    let findings = engagement
        .as_ref()
        .and_then(|(t, e)| t.tracked(e.id).ok())
        .map_or(0, |tracked| {
            tracked
                .iter()
                .filter(|t| t.status != crate::triage::Status::Resolved)
                .count() as u32
        });
    let engagement = engagement.map(|(_, e)| e);
    Repository {
        path: ws.repo.display().to_string(),
        name: pipeline::repository_name(ws),
        client: engagement
            .as_ref()
            .map(|e| e.client.clone())
            .filter(|c| !c.is_empty()),
        analysed_at: engagement.as_ref().and_then(|e| e.analysed_at),
        findings,
    }
}

/// `snippet` cut at its highlights (byte ranges, ordered, on character boundaries).
fn segments(snippet: &str, highlights: &[(usize, usize)]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end) in highlights {
        let (start, end) = (start.max(at).min(snippet.len()), end.min(snippet.len()));
        if start >= end || !snippet.is_char_boundary(start) || !snippet.is_char_boundary(end) {
            continue;
        }
        if at < start {
            out.push(Segment {
                text: snippet[at..start].to_string(),
                hit: false,
            });
        }
        out.push(Segment {
            text: snippet[start..end].to_string(),
            hit: true,
        });
        at = end;
    }
    if at < snippet.len() {
        out.push(Segment {
            text: snippet[at..].to_string(),
            hit: false,
        });
    }
    out
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Stage labels for progress events, so the UI shows the engine's words.
pub fn progress_event(stage: Stage, done: u64, total: u64, finished: bool) -> ProgressEvent {
    ProgressEvent {
        stage,
        label: stage.label().to_string(),
        done: done as u32,
        total: total as u32,
        finished,
    }
}

/// Writes the TypeScript of every type the UI receives or sends into `dir` (one file per type).
pub fn export_typescript(dir: &Path) -> Result<(), ts_rs::ExportError> {
    let cfg = ts_rs::Config::new()
        .with_large_int("number")
        .with_out_dir(dir);
    Plan::export_all(&cfg)?;
    PlanView::export_all(&cfg)?;
    Repository::export_all(&cfg)?;
    ProgressEvent::export_all(&cfg)?;
    AnalysisSummary::export_all(&cfg)?;
    SearchResult::export_all(&cfg)?;
    MapView::export_all(&cfg)?;
    FileCommit::export_all(&cfg)?;
    ExportResult::export_all(&cfg)?;
    LineEdit::export_all(&cfg)?;
    ApiError::export_all(&cfg)?;
    Verdict::export_all(&cfg)?;
    Ok(())
}
