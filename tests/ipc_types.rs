//! The UI's TypeScript types are generated from the engine's API types (ts-rs) and committed
//! in ui/src/lib/api/. This test fails when they are stale; to refresh them run
//! `PLUMB_UPDATE_TYPES=1 cargo test ipc_types`.

use std::collections::BTreeMap;
use std::path::Path;

fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().to_string(),
                        std::fs::read_to_string(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn generated_typescript_types_are_up_to_date() {
    let generated = tempfile::tempdir().unwrap();
    plumb::api::export_typescript(generated.path()).unwrap();
    let fresh = files(generated.path());
    assert!(
        fresh.contains_key("Plan.ts") && fresh.contains_key("ProgressEvent.ts"),
        "{:?}",
        fresh.keys()
    );
    let committed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/api");
    if std::env::var_os("PLUMB_UPDATE_TYPES").is_some() {
        let _ = std::fs::remove_dir_all(&committed_dir);
        std::fs::create_dir_all(&committed_dir).unwrap();
        for (name, text) in &fresh {
            std::fs::write(committed_dir.join(name), text).unwrap();
        }
    }
    let committed = files(&committed_dir);
    let stale: Vec<&String> = fresh
        .keys()
        .filter(|name| committed.get(*name) != fresh.get(*name))
        .collect();
    let extra: Vec<&String> = committed
        .keys()
        .filter(|name| !fresh.contains_key(*name))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "ui/src/lib/api is stale (changed or missing: {stale:?}; no longer generated: {extra:?}): run PLUMB_UPDATE_TYPES=1 cargo test ipc_types"
    );
}
