//! Plumb's engine: walk, parse, store and search a repository, map its history and imports,
//! run the triage catalogue's checks and shape a remediation plan. The CLI (`src/main.rs`)
//! and the desktop shell (`src-tauri`) are two hosts of this library.

pub mod bench_gen;
pub mod fixture;
pub mod history;
pub mod model;
pub mod walk;
