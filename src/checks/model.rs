//! The finding model: what a check reports, with the evidence and the factors the plan and
//! the reports show. Plain data; `Finding` is also what JSON output and the store carry.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::catalogue::{Confidence, Severity};

/// The engine's proposal: load-bearing findings lose money or data, leak one customer's data to
/// another, let someone in, or take the product down under growth; cosmetic ones make the code
/// harder to live with but nothing breaks for users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    LoadBearing,
    Cosmetic,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::LoadBearing => "load-bearing",
            Class::Cosmetic => "cosmetic",
        }
    }
}

/// Lines of one file, secrets redacted, numbered from `start_line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Excerpt {
    pub path: String,
    pub start_line: u32,
    pub lines: Vec<String>,
    /// The lines the finding is about (inclusive), inside the excerpt.
    pub focus: (u32, u32),
}

/// Another place that explains the finding: the migration that created the table, the other
/// file of a coupled pair, the commit that added a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Related {
    pub path: String,
    pub line: u32,
    pub end_line: u32,
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub excerpt: Option<Excerpt>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub excerpt: Option<Excerpt>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<Related>>")]
    pub related: Vec<Related>,
    /// For absences ("no error tracking"): what was searched, so a reader can trust the
    /// "not found".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub searched: Vec<String>,
    /// Short facts behind the finding ("invoices.org_id: no index in 10 migrations").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub facts: Vec<String>,
}

/// Where the finding sits, from the file's roles and the maps: the factors the class, the
/// priority and the plan read. Stored with the finding so every number can be explained.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Exposure {
    /// The code handles payments, charges or invoices.
    pub money: bool,
    /// The code decides who someone is or what they may do.
    pub auth: bool,
    /// The code writes customer data.
    pub data_write: bool,
    /// The file is an entry point (route handler, edge function, page, server main).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub entry: Option<String>,
    /// The file is an entry point or reachable from one through imports.
    pub reachable_from_entry: bool,
    /// The file runs in the browser.
    pub client: bool,
    pub test: bool,
    pub fan_in: u32,
    pub pagerank: f64,
    /// 0..=1: share of files with a lower PageRank.
    pub pagerank_percentile: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hotspot_rank: Option<u32>,
    pub revisions_in_window: u32,
    /// Share of the file's commits made by coding agents.
    pub agent_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Finding {
    /// Stable across line shifts and unrelated edits: item, path and the normalised evidence.
    pub fingerprint: String,
    pub item: String,
    /// Repository-relative path; empty for a repository-wide finding (an absence).
    pub path: String,
    /// 1-based inclusive line range; 0 for whole-file or repository-wide findings.
    pub line: u32,
    pub end_line: u32,
    pub class: Class,
    /// One sentence a founder can read: why this class.
    pub class_reason: String,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Specific to this code, not the item's generic title.
    pub message: String,
    pub evidence: Evidence,
    pub exposure: Exposure,
}

/// What a detector reports; the engine adds the excerpt, the fingerprint, the exposure and
/// (unless the detector decided) the class.
#[derive(Debug, Clone)]
pub struct Draft {
    pub item: String,
    pub path: String,
    pub line: u32,
    pub end_line: u32,
    pub message: String,
    pub confidence: Confidence,
    /// The stable part of the evidence for the fingerprint (e.g. `invoices.org_id`). Default:
    /// the flagged lines with whitespace collapsed.
    pub anchor: Option<String>,
    /// Overrides the item's severity (e.g. a test key is less severe than a live one).
    pub severity: Option<Severity>,
    /// The detector's own proposal, when it knows better than the generic rule.
    pub class: Option<(Class, String)>,
    pub related: Vec<Related>,
    pub searched: Vec<String>,
    pub facts: Vec<String>,
    /// Exposure flags the detector knows beyond the file's roles (this call charges money).
    pub money: bool,
    pub auth: bool,
    pub data_write: bool,
}

impl Draft {
    /// A finding of `item` at `path`, lines `line..=end_line`.
    pub fn new(
        item: &str,
        path: impl Into<String>,
        line: u32,
        end_line: u32,
        message: impl Into<String>,
    ) -> Draft {
        Draft {
            item: item.to_string(),
            path: path.into(),
            line,
            end_line: end_line.max(line),
            message: message.into(),
            confidence: Confidence::Medium,
            anchor: None,
            severity: None,
            class: None,
            related: Vec::new(),
            searched: Vec::new(),
            facts: Vec::new(),
            money: false,
            auth: false,
            data_write: false,
        }
    }

    /// A repository-wide finding (an absence), with what was searched.
    pub fn absence(item: &str, message: impl Into<String>, searched: Vec<String>) -> Draft {
        let mut d = Draft::new(item, "", 0, 0, message);
        d.searched = searched;
        d.confidence = Confidence::Medium;
        d
    }

    pub fn confidence(mut self, c: Confidence) -> Draft {
        self.confidence = c;
        self
    }

    pub fn anchor(mut self, anchor: impl Into<String>) -> Draft {
        self.anchor = Some(anchor.into());
        self
    }

    pub fn severity(mut self, s: Severity) -> Draft {
        self.severity = Some(s);
        self
    }

    pub fn class(mut self, class: Class, reason: impl Into<String>) -> Draft {
        self.class = Some((class, reason.into()));
        self
    }

    /// Adds a related place; its excerpt is filled in by the engine when the file is known.
    pub fn related(mut self, path: impl Into<String>, line: u32, note: impl Into<String>) -> Draft {
        self.related.push(Related {
            path: path.into(),
            line,
            end_line: line,
            note: note.into(),
            excerpt: None,
        });
        self
    }

    pub fn fact(mut self, fact: impl Into<String>) -> Draft {
        self.facts.push(fact.into());
        self
    }

    pub fn searched(mut self, what: impl Into<String>) -> Draft {
        self.searched.push(what.into());
        self
    }

    pub fn money(mut self) -> Draft {
        self.money = true;
        self
    }

    pub fn auth(mut self) -> Draft {
        self.auth = true;
        self
    }

    pub fn data_write(mut self) -> Draft {
        self.data_write = true;
        self
    }
}
