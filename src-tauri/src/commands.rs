//! The IPC surface the UI calls. Each command is a thin wrapper; a new one must also be
//! listed in build.rs and granted in capabilities/default.json.

use serde::Serialize;

use crate::launch::LaunchOptions;

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
pub fn initial_repository(options: tauri::State<'_, LaunchOptions>) -> Option<String> {
    options.repository.clone()
}
