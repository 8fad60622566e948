//! Plumb's desktop shell: a Tauri host for the `plumb` engine. Commands deserialize their
//! arguments, call the engine and convert its answer; no analysis happens here.

mod commands;
mod launch;

pub use launch::{Launch, LaunchError, LaunchOptions, USAGE};

/// Opens the main window and blocks until the app quits.
pub fn run(options: LaunchOptions) {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(options)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::initial_repository
        ])
        .run(tauri::generate_context!())
        .expect("the Tauri event loop failed to start");
}
