//! The IPC surface the UI calls. Each command is a thin wrapper over `plumb::api::Engine`
//! run off the main thread; a new one must also be listed in build.rs and granted in
//! capabilities/default.json.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plumb::api::{
    AnalysisSummary, ApiError, ApiResult, Engine, ErrorCode, ExportResult, FileCommit, LineEdit,
    MapView, PlanView, ProgressEvent, Repository, SearchResult,
};
use plumb::plan::Horizon;
use plumb::progress::{CancelFlag, Progress, Stage};
use plumb::triage::Verdict;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::launch::LaunchOptions;

/// What the commands share: the engine and the flag that cancels the running analysis.
pub struct Shell {
    pub engine: Arc<Engine>,
    pub cancel: Mutex<Option<Arc<CancelFlag>>>,
    /// Files this session exported: the only ones `open_export` may hand to the system.
    pub exported: Mutex<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    AppInfo {
        version: plumb::VERSION,
    }
}

/// The repository named on the command line (`plumb-desktop PATH`), made absolute.
#[tauri::command]
pub fn initial_repository(options: State<'_, LaunchOptions>) -> Option<String> {
    options.repository.clone()
}

/// Runs engine work on the blocking pool so the window never freezes.
async fn blocking<T: Send + 'static>(
    shell: &Shell,
    work: impl FnOnce(&Engine) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let engine = shell.engine.clone();
    tauri::async_runtime::spawn_blocking(move || work(&engine))
        .await
        .unwrap_or_else(|e| {
            Err(ApiError {
                code: ErrorCode::Internal,
                message: format!("the engine stopped unexpectedly: {e}"),
            })
        })
}

#[tauri::command]
pub async fn recent_repositories(shell: State<'_, Shell>) -> ApiResult<Vec<Repository>> {
    blocking(&shell, |e| e.recent()).await
}

#[tauri::command]
pub async fn open_repository(shell: State<'_, Shell>, path: String) -> ApiResult<Repository> {
    blocking(&shell, move |e| e.open(&path)).await
}

/// Analyses the repository, streaming progress on `progress`; `cancel_analysis` stops it.
#[tauri::command]
pub async fn analyse_repository(
    shell: State<'_, Shell>,
    path: String,
    progress: Channel<ProgressEvent>,
) -> ApiResult<AnalysisSummary> {
    let cancel = Arc::new(CancelFlag::default());
    *shell.cancel.lock().expect("cancel lock") = Some(cancel.clone());
    let reporter = ChannelProgress {
        channel: progress,
        cancel,
        state: Mutex::new(StageState::default()),
    };
    let result = blocking(&shell, move |e| e.analyse(&path, &reporter)).await;
    *shell.cancel.lock().expect("cancel lock") = None;
    result
}

#[tauri::command]
pub fn cancel_analysis(shell: State<'_, Shell>) {
    if let Some(flag) = shell.cancel.lock().expect("cancel lock").as_ref() {
        flag.cancel();
    }
}

#[tauri::command]
pub async fn plan(shell: State<'_, Shell>, path: String) -> ApiResult<PlanView> {
    blocking(&shell, move |e| e.plan(&path)).await
}

#[tauri::command]
pub async fn set_verdict(
    shell: State<'_, Shell>,
    path: String,
    fingerprint: String,
    verdict: Option<Verdict>,
    note: Option<String>,
) -> ApiResult<()> {
    blocking(&shell, move |e| {
        e.set_verdict(&path, &fingerprint, verdict, note.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn set_answer(
    shell: State<'_, Shell>,
    path: String,
    item: String,
    text: String,
    not_applicable: bool,
) -> ApiResult<()> {
    blocking(&shell, move |e| {
        e.set_answer(&path, &item, &text, not_applicable)
    })
    .await
}

#[tauri::command]
pub async fn set_note(
    shell: State<'_, Shell>,
    path: String,
    item: String,
    text: String,
) -> ApiResult<()> {
    blocking(&shell, move |e| e.set_note(&path, &item, &text)).await
}

#[tauri::command]
pub async fn edit_plan_line(
    shell: State<'_, Shell>,
    path: String,
    fingerprint: String,
    edit: LineEdit,
) -> ApiResult<()> {
    blocking(&shell, move |e| e.edit_line(&path, &fingerprint, &edit)).await
}

#[tauri::command]
pub async fn reorder_plan(
    shell: State<'_, Shell>,
    path: String,
    horizon: Horizon,
    fingerprints: Vec<String>,
) -> ApiResult<()> {
    blocking(&shell, move |e| e.reorder(&path, horizon, &fingerprints)).await
}

#[tauri::command]
pub async fn search(
    shell: State<'_, Shell>,
    path: String,
    query: String,
    limit: usize,
) -> ApiResult<Vec<SearchResult>> {
    blocking(&shell, move |e| e.search(&path, &query, limit)).await
}

#[tauri::command]
pub async fn repository_map(shell: State<'_, Shell>, path: String) -> ApiResult<MapView> {
    blocking(&shell, move |e| e.map(&path)).await
}

#[tauri::command]
pub async fn file_history(
    shell: State<'_, Shell>,
    path: String,
    file: String,
) -> ApiResult<Vec<FileCommit>> {
    blocking(&shell, move |e| e.file_history(&path, &file, 20)).await
}

#[tauri::command]
pub async fn export_plan(
    shell: State<'_, Shell>,
    path: String,
    out: String,
) -> ApiResult<ExportResult> {
    let result = blocking(&shell, move |e| e.export(&path, &out)).await?;
    shell
        .exported
        .lock()
        .expect("exported lock")
        .push(result.path.clone());
    Ok(result)
}

/// Opens an exported file in the system's viewer. Only files this session exported: the UI
/// cannot ask the system to open anything else.
#[tauri::command]
pub fn open_export(app: tauri::AppHandle, shell: State<'_, Shell>, path: String) -> ApiResult<()> {
    use tauri_plugin_opener::OpenerExt;
    if !shell
        .exported
        .lock()
        .expect("exported lock")
        .contains(&path)
    {
        return Err(ApiError {
            code: ErrorCode::BadInput,
            message: format!("{path} was not exported in this session"),
        });
    }
    app.opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| ApiError {
            code: ErrorCode::Internal,
            message: format!("cannot open {path}: {e}"),
        })
}

#[derive(Default)]
struct StageState {
    stage: Option<Stage>,
    done: u64,
    total: u64,
    sent_at: Option<Instant>,
}

/// Forwards the engine's progress to the UI, at most every 50 ms within a stage.
struct ChannelProgress {
    channel: Channel<ProgressEvent>,
    cancel: Arc<CancelFlag>,
    state: Mutex<StageState>,
}

const EVERY: Duration = Duration::from_millis(50);

impl ChannelProgress {
    fn send(&self, state: &mut StageState, finished: bool) {
        if let Some(stage) = state.stage {
            state.sent_at = Some(Instant::now());
            // A closed window is not the engine's problem: the analysis carries on.
            let _ = self.channel.send(plumb::api::progress_event(
                stage,
                state.done,
                state.total,
                finished,
            ));
        }
    }
}

impl Progress for ChannelProgress {
    fn start(&self, stage: Stage, total: u64) {
        let mut state = self.state.lock().expect("progress lock");
        *state = StageState {
            stage: Some(stage),
            done: 0,
            total,
            sent_at: None,
        };
        self.send(&mut state, false);
    }

    fn advance(&self, n: u64) {
        let mut state = self.state.lock().expect("progress lock");
        state.done += n;
        if state.sent_at.is_none_or(|at| at.elapsed() >= EVERY) {
            self.send(&mut state, false);
        }
    }

    fn finish(&self, stage: Stage) {
        let mut state = self.state.lock().expect("progress lock");
        state.stage = Some(stage);
        self.send(&mut state, true);
    }

    fn cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }
}
