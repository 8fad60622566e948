//! Plumb's desktop shell: a Tauri host for the `plumb` engine. Commands deserialize their
//! arguments, call the engine and convert its answer; no analysis happens here.

mod commands;
mod launch;
#[cfg(test)]
mod surface;

use std::sync::{Arc, Mutex};

pub use launch::{Launch, LaunchError, LaunchOptions, USAGE};

/// Opens the main window and blocks until the app quits. `PLUMB_DATA_DIR` overrides the
/// data folder, as for the CLI.
pub fn run(options: LaunchOptions) {
    let data_dir = std::env::var_os("PLUMB_DATA_DIR").map(std::path::PathBuf::from);
    let shell = commands::Shell {
        engine: Arc::new(plumb::api::Engine::new(data_dir)),
        cancel: Mutex::new(None),
        exported: Mutex::new(Vec::new()),
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(options)
        .manage(shell)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::initial_repository,
            commands::recent_repositories,
            commands::open_repository,
            commands::analyse_repository,
            commands::cancel_analysis,
            commands::plan,
            commands::set_verdict,
            commands::set_answer,
            commands::set_note,
            commands::edit_plan_line,
            commands::reorder_plan,
            commands::search,
            commands::repository_map,
            commands::file_history,
            commands::export_plan,
            commands::open_export,
        ])
        .run(tauri::generate_context!())
        .expect("the Tauri event loop failed to start");
}
