//! Plumb's engine: walk, parse, store and search a repository, map its history and imports,
//! run the triage catalogue's checks and shape a remediation plan. The CLI (`src/main.rs`)
//! and the desktop shell (`src-tauri`) are two hosts of this library.

/// Plumb's version, shown by both hosts.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The allocator Plumb's binaries use: indexing makes millions of small allocations
/// (tree-sitter matches, search tokens), which mimalloc serves faster than the system's.
pub use mimalloc::MiMalloc;

pub mod api;
pub mod bench;
pub mod bench_gen;
pub mod catalogue;
pub mod checks;
pub mod demo;
pub mod extract;
pub mod fixture;
#[cfg(fuzzing)]
pub mod fuzzing;
pub mod graph;
pub mod history;
pub mod index;
pub mod lang;
pub mod map;
pub mod model;
pub mod pipeline;
pub mod plan;
pub mod progress;
pub mod redact;
pub mod report;
pub mod schema;
pub mod search;
pub mod store;
pub mod triage;
pub mod walk;
pub mod workspace;
