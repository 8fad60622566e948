//! The whole analysis of a repository in one call: index (with the detectors' scans), map
//! (history and import graph), then the checks. Both hosts (CLI and desktop) run this; the
//! caller holds the workspace lock.

use std::path::Path;
use std::sync::Arc;

use crate::catalogue::{Catalogue, CatalogueError};
use crate::checks::{self, CheckError, CheckOptions, CheckReport, Scanner};
use crate::index::{self, IndexError, IndexOptions, IndexSummary};
use crate::map::{self, MapError, MapOptions, MapReport};
use crate::plan::{self, Plan};
use crate::progress::Progress;
use crate::store::{Store, StoreError};
use crate::triage::{Engagement, Reconciliation, Triage, TriageError};
use crate::workspace::Workspace;

#[derive(Debug, thiserror::Error)]
pub enum AnalyseError {
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    #[error(transparent)]
    Rule(#[from] checks::rules::RuleError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Map(#[from] MapError),
    #[error(transparent)]
    Check(#[from] CheckError),
    #[error(transparent)]
    Triage(#[from] TriageError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cancelled")]
    Cancelled,
}

/// The catalogue and its detectors, loaded once per process.
pub struct Detectors {
    pub catalogue: Catalogue,
    pub scanner: Arc<Scanner>,
}

impl Detectors {
    /// The built-in catalogue merged with the consultant's folder, if any.
    pub fn load(user_catalogue: Option<&Path>) -> Result<Detectors, AnalyseError> {
        let catalogue = Catalogue::load(user_catalogue)?;
        let scanner = Arc::new(Scanner::new(&catalogue)?);
        Ok(Detectors { catalogue, scanner })
    }

    pub fn index_options(&self) -> IndexOptions {
        IndexOptions {
            scanner: Some(self.scanner.clone()),
            ..IndexOptions::default()
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AnalyseOptions {
    pub map: MapOptions,
    pub checks: CheckOptions,
    pub max_file_bytes: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Analysis {
    pub index: IndexSummary,
    pub map: MapReport,
    pub checks: CheckReport,
}

/// Indexes, maps and checks. `now` is seconds since the epoch.
pub fn analyse(
    ws: &Workspace,
    detectors: &Detectors,
    options: &AnalyseOptions,
    progress: &dyn Progress,
    now: i64,
) -> Result<Analysis, AnalyseError> {
    let mut index_options = detectors.index_options();
    if let Some(max) = options.max_file_bytes {
        index_options.walk.max_file_bytes = max;
    }
    let index = index::index(ws, &index_options, progress, now)?;
    if progress.cancelled() {
        return Err(AnalyseError::Cancelled);
    }
    let map = map::map(ws, &options.map, progress)?;
    if progress.cancelled() {
        return Err(AnalyseError::Cancelled);
    }
    let checks = checks::check(
        ws,
        &detectors.scanner,
        &detectors.catalogue,
        &options.checks,
        progress,
    )?;
    Ok(Analysis { index, map, checks })
}

/// An analysis recorded in the engagement: what changed since the previous one.
#[derive(Debug, Clone)]
pub struct EngagementRun {
    pub analysis: Analysis,
    pub engagement: Engagement,
    pub reconciliation: Reconciliation,
}

/// Analyses the repository and records the result in the current engagement (created when
/// there is none), matching findings with the earlier analyses by fingerprint.
pub fn analyse_engagement(
    ws: &Workspace,
    detectors: &Detectors,
    options: &AnalyseOptions,
    names: (Option<&str>, Option<&str>),
    progress: &dyn Progress,
    now: i64,
) -> Result<EngagementRun, AnalyseError> {
    // Opened first so that a broken triage database stops the run before the long work.
    let mut triage = Triage::open(ws)?;
    let analysis = analyse(ws, detectors, options, progress, now)?;
    let engagement = triage.ensure_engagement(names.0, names.1, now)?;
    let commit = crate::history::head_commit(&ws.repo);
    let reconciliation = triage.record_analysis(commit.as_deref(), &analysis.checks.findings, now)?;
    let engagement = triage.current().unwrap_or(engagement);
    Ok(EngagementRun { analysis, engagement, reconciliation })
}

/// The plan of the current engagement, from the stored analysis and the consultant's judgement.
pub fn current_plan(ws: &Workspace, catalogue: &Catalogue) -> Result<Plan, AnalyseError> {
    let triage = Triage::open(ws)?;
    let engagement = triage.current()?;
    let tracked = triage.tracked(engagement.id)?;
    let judgement = triage.judgement()?;
    let store = Store::open(&ws.db_path())?;
    let facts = plan::Facts::from_store(&store)?;
    Ok(plan::build(&repository_name(ws), &engagement, &tracked, &judgement, catalogue, &facts))
}

/// The repository's folder name, as reports show it.
pub fn repository_name(ws: &Workspace) -> String {
    ws.repo.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| ws.repo.display().to_string())
}
