//! Stamps the binary with a hash of everything that decides what a file scan produces (the
//! detectors in `src/checks/` and the queries in `queries/`). A workspace whose stored scans
//! carry another stamp is re-scanned, so a new Plumb never reads an old Plumb's facts.
//! The hash also covers the list of files, so `include_dir!` re-embeds added queries.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

fn visit(dir: &Path, hasher: &mut DefaultHasher) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            visit(&path, hasher);
        } else if let Ok(bytes) = std::fs::read(&path) {
            path.to_string_lossy().hash(hasher);
            bytes.hash(hasher);
        }
    }
}

fn main() {
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    for dir in ["src/checks", "queries"] {
        println!("cargo:rerun-if-changed={dir}");
        visit(Path::new(dir), &mut hasher);
    }
    println!("cargo:rustc-env=PLUMB_SCAN_STAMP={:016x}", hasher.finish());
}
