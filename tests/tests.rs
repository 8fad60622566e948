//! Plumb's integration tests: one binary, one module per behaviour.

mod support;

mod checks;
mod cli;
mod extraction;
mod hostile;
mod api;
mod indexing;
mod ipc_types;
mod map;
mod triage;
