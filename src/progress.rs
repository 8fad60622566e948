//! Progress and cancellation for long work. The CLI shows bars (indicatif); the desktop
//! shell forwards events to the UI. The engine only calls this trait.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Walk,
    Parse,
    Store,
    Search,
    History,
    Map,
    Checks,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Walk => "walking files",
            Stage::Parse => "reading and parsing",
            Stage::Store => "storing",
            Stage::Search => "building the search index",
            Stage::History => "reading git history",
            Stage::Map => "mapping imports",
            Stage::Checks => "running checks",
        }
    }
}

pub trait Progress: Sync {
    /// A stage begins; `total` is the number of steps when known (0 when not).
    fn start(&self, stage: Stage, total: u64);
    /// `n` more steps of the current stage are done.
    fn advance(&self, n: u64);
    fn finish(&self, stage: Stage);
    /// Whether the user asked to stop. Work stops at the next safe point.
    fn cancelled(&self) -> bool {
        false
    }
}

/// Reports nothing and never cancels.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: Stage, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self, _: Stage) {}
}

/// A cancellation flag another thread can raise.
#[derive(Default)]
pub struct CancelFlag(AtomicBool);

impl CancelFlag {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed)
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
