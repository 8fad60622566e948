fn main() {
    // Listing the app's commands makes each one a permission (`allow-app-info`, ...) that a
    // capability must grant: a command nobody granted cannot be invoked from the webview.
    let commands = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "initial_repository",
        "recent_repositories",
        "open_repository",
        "analyse_repository",
        "cancel_analysis",
        "plan",
        "set_verdict",
        "set_answer",
        "set_note",
        "edit_plan_line",
        "reorder_plan",
        "search",
        "repository_map",
        "file_history",
        "export_plan",
        "open_export",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(commands))
        .expect("tauri-build failed");
}
