//! The triage session: the consultant's judgement, which is the most valuable data Plumb holds.
//! Engagements (client, consultant, analysed commits), verdicts per finding, the founder's
//! answers, notes per item and plan edits live in their own SQLite database in the workspace
//! (`triage.db`, `synchronous=FULL`): every change is one transaction, acknowledged only once
//! it is durable, and none of it is touched by re-indexing or re-analysis. Findings are matched
//! across analyses by fingerprint: the ones that disappear are resolved, the others new or open.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalogue::Effort;
use crate::checks::model::Finding;
use crate::store::{open_database, OpenError};
use crate::workspace::Workspace;

#[derive(Debug, thiserror::Error)]
pub enum TriageError {
    #[error("triage database {path}: {source}")]
    Sqlite { path: String, source: rusqlite::Error },
    #[error("triage database {0} was written by a newer Plumb (schema {1}, this build knows {2})")]
    TooNew(String, i64, i64),
    #[error("no engagement yet: run `plumb triage` (or open the repository in the app) first")]
    NoEngagement,
    #[error("no finding with fingerprint {0} in the current analysis")]
    UnknownFinding(String),
    #[error("fingerprint prefix {0} matches {1} findings: give more characters")]
    AmbiguousFinding(String, usize),
    #[error("unknown catalogue item {0}")]
    UnknownItem(String),
    #[error("{0}")]
    Invalid(String),
}

impl TriageError {
    /// Errors caused by what the user typed rather than by the machine.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            TriageError::UnknownFinding(_) | TriageError::AmbiguousFinding(..) | TriageError::UnknownItem(_) | TriageError::Invalid(_) | TriageError::NoEngagement
        )
    }
}

type Result<T> = std::result::Result<T, TriageError>;

/// The consultant's decision about one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    LoadBearing,
    Cosmetic,
    /// A false positive: it is not what the detector thinks.
    Dismissed,
    /// Real, understood, and deliberately left as it is.
    Accepted,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [Verdict::LoadBearing, Verdict::Cosmetic, Verdict::Dismissed, Verdict::Accepted];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::LoadBearing => "load-bearing",
            Verdict::Cosmetic => "cosmetic",
            Verdict::Dismissed => "dismissed",
            Verdict::Accepted => "accepted",
        }
    }

    pub fn parse(text: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Engagement {
    pub id: i64,
    pub client: String,
    pub consultant: String,
    /// Seconds since the epoch.
    pub started_at: i64,
    /// The commit of the latest analysis (None for a folder without git or before any).
    pub commit: Option<String>,
    pub analysed_at: Option<i64>,
    pub analyses: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// First seen in the latest analysis, after an earlier one.
    New,
    Open,
    /// Seen before, gone from the latest analysis.
    Resolved,
}

/// A finding as the engagement knows it, with its history across analyses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tracked {
    pub finding: Finding,
    pub status: Status,
    pub first_seen: i64,
    pub last_seen: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictRecord {
    pub fingerprint: String,
    pub verdict: Verdict,
    pub note: Option<String>,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub item: String,
    pub text: String,
    /// The answer retires the item (e.g. "we take no payments").
    pub not_applicable: bool,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub item: String,
    pub text: String,
    pub at: i64,
}

/// The consultant's changes to one plan line; `None` leaves the computed value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanEdit {
    pub position: Option<f64>,
    pub effort: Option<Effort>,
    pub owner: Option<String>,
    /// `before-spike`, `this-quarter` or `can-ride` (see `plan::Horizon`).
    pub horizon: Option<String>,
}

/// What an analysis changed in the engagement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub new: Vec<String>,
    pub resolved: Vec<String>,
    pub open: usize,
}

/// Everything the consultant has decided, read in one go for the plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Judgement {
    pub verdicts: HashMap<String, VerdictRecord>,
    pub answers: HashMap<String, Answer>,
    pub notes: HashMap<String, Note>,
    pub edits: HashMap<String, PlanEdit>,
}

const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE engagements (
    id INTEGER PRIMARY KEY,
    client TEXT NOT NULL,
    consultant TEXT NOT NULL,
    started_at INTEGER NOT NULL
);
CREATE TABLE analyses (
    id INTEGER PRIMARY KEY,
    engagement_id INTEGER NOT NULL REFERENCES engagements(id),
    commit_id TEXT,
    analysed_at INTEGER NOT NULL
);
CREATE TABLE tracked (
    engagement_id INTEGER NOT NULL REFERENCES engagements(id),
    fingerprint TEXT NOT NULL,
    first_analysis INTEGER NOT NULL REFERENCES analyses(id),
    last_analysis INTEGER NOT NULL REFERENCES analyses(id),
    data TEXT NOT NULL,
    PRIMARY KEY (engagement_id, fingerprint)
);
CREATE TABLE verdicts (
    fingerprint TEXT PRIMARY KEY,
    verdict TEXT NOT NULL CHECK (verdict IN ('load-bearing', 'cosmetic', 'dismissed', 'accepted')),
    note TEXT,
    at INTEGER NOT NULL
);
CREATE TABLE verdict_log (
    id INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    verdict TEXT,
    note TEXT,
    at INTEGER NOT NULL
);
CREATE TABLE answers (
    item TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    not_applicable INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE notes (
    item TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE plan_edits (
    fingerprint TEXT PRIMARY KEY,
    position REAL,
    effort TEXT CHECK (effort IN ('S', 'M', 'L')),
    owner TEXT,
    horizon TEXT CHECK (horizon IN ('before-spike', 'this-quarter', 'can-ride')),
    at INTEGER NOT NULL
);
"#];

/// Longest text accepted for a note, an answer or an owner: a founder's paragraph, not a file.
const MAX_TEXT: usize = 20_000;

pub struct Triage {
    conn: Connection,
    path: String,
}

impl Triage {
    pub fn path_in(ws: &Workspace) -> PathBuf {
        ws.dir.join("triage.db")
    }

    pub fn open(ws: &Workspace) -> Result<Triage> {
        Triage::open_path(&Triage::path_in(ws))
    }

    pub fn open_path(path: &Path) -> Result<Triage> {
        let shown = path.display().to_string();
        // FULL: the consultant's work is on disk before it is acknowledged.
        let conn = open_database(path, "FULL", MIGRATIONS).map_err(|e| match e {
            OpenError::Sqlite(source) => TriageError::Sqlite { path: shown.clone(), source },
            OpenError::TooNew(version, known) => TriageError::TooNew(shown.clone(), version, known),
        })?;
        Ok(Triage { conn, path: shown })
    }

    fn err(&self, source: rusqlite::Error) -> TriageError {
        TriageError::Sqlite { path: self.path.clone(), source }
    }

    /// One transaction: committed (and durable) when this returns Ok.
    fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> rusqlite::Result<T>) -> Result<T> {
        let path = self.path.clone();
        let err = |source| TriageError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(err)?;
        let value = f(&tx).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(value)
    }

    pub fn integrity_check(&self) -> Result<String> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| self.err(e))
    }

    /// All engagements, oldest first.
    pub fn engagements(&self) -> Result<Vec<Engagement>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT e.id, e.client, e.consultant, e.started_at,
                        (SELECT commit_id FROM analyses a WHERE a.engagement_id = e.id ORDER BY a.id DESC LIMIT 1),
                        (SELECT analysed_at FROM analyses a WHERE a.engagement_id = e.id ORDER BY a.id DESC LIMIT 1),
                        (SELECT COUNT(*) FROM analyses a WHERE a.engagement_id = e.id)
                 FROM engagements e ORDER BY e.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Engagement {
                    id: r.get(0)?,
                    client: r.get(1)?,
                    consultant: r.get(2)?,
                    started_at: r.get(3)?,
                    commit: r.get(4)?,
                    analysed_at: r.get(5)?,
                    analyses: r.get(6)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// The current (latest) engagement.
    pub fn engagement(&self) -> Result<Option<Engagement>> {
        Ok(self.engagements()?.pop())
    }

    pub fn current(&self) -> Result<Engagement> {
        self.engagement()?.ok_or(TriageError::NoEngagement)
    }

    /// Starts a new engagement (e.g. a follow-up three months later). Verdicts, answers and
    /// notes belong to the repository and carry over; the new engagement tracks its own findings.
    pub fn start_engagement(&mut self, client: &str, consultant: &str, now: i64) -> Result<Engagement> {
        let client = clean_text(client, "client")?;
        let consultant = clean_text(consultant, "consultant")?;
        self.write(|tx| tx.execute("INSERT INTO engagements(client, consultant, started_at) VALUES (?1, ?2, ?3)", params![client, consultant, now]))?;
        self.current()
    }

    /// The current engagement, created when there is none; names given replace the stored ones.
    pub fn ensure_engagement(&mut self, client: Option<&str>, consultant: Option<&str>, now: i64) -> Result<Engagement> {
        let Some(current) = self.engagement()? else {
            return self.start_engagement(client.unwrap_or(""), consultant.unwrap_or(""), now);
        };
        let client = client.map(|c| clean_text(c, "client")).transpose()?;
        let consultant = consultant.map(|c| clean_text(c, "consultant")).transpose()?;
        if client.is_some() || consultant.is_some() {
            let id = current.id;
            self.write(|tx| {
                if let Some(c) = &client {
                    tx.execute("UPDATE engagements SET client = ?1 WHERE id = ?2", params![c, id])?;
                }
                if let Some(c) = &consultant {
                    tx.execute("UPDATE engagements SET consultant = ?1 WHERE id = ?2", params![c, id])?;
                }
                Ok(())
            })?;
        }
        self.current()
    }

    /// Records an analysis of the current engagement at `commit` and matches its findings with
    /// the earlier ones by fingerprint.
    pub fn record_analysis(&mut self, commit: Option<&str>, findings: &[Finding], now: i64) -> Result<Reconciliation> {
        let current = self.current()?;
        let engagement = current.id;
        let before: HashSet<String> = self.open_fingerprints(engagement)?;
        let rows: Vec<(String, String)> = findings
            .iter()
            .map(|f| (f.fingerprint.clone(), serde_json::to_string(f).unwrap_or_default()))
            .collect();
        let had_analysis = current.analyses > 0;
        self.write(|tx| {
            tx.execute("INSERT INTO analyses(engagement_id, commit_id, analysed_at) VALUES (?1, ?2, ?3)", params![engagement, commit, now])?;
            let analysis = tx.last_insert_rowid();
            let mut upsert = tx.prepare_cached(
                "INSERT INTO tracked(engagement_id, fingerprint, first_analysis, last_analysis, data) VALUES (?1, ?2, ?3, ?3, ?4)
                 ON CONFLICT(engagement_id, fingerprint) DO UPDATE SET last_analysis = excluded.last_analysis, data = excluded.data",
            )?;
            for (fingerprint, data) in &rows {
                upsert.execute(params![engagement, fingerprint, analysis, data])?;
            }
            Ok(())
        })?;
        let now_open: HashSet<&str> = findings.iter().map(|f| f.fingerprint.as_str()).collect();
        let new: Vec<String> = if had_analysis {
            findings.iter().filter(|f| !before.contains(&f.fingerprint)).map(|f| f.fingerprint.clone()).collect()
        } else {
            Vec::new()
        };
        let mut resolved: Vec<String> = before.into_iter().filter(|f| !now_open.contains(f.as_str())).collect();
        resolved.sort();
        Ok(Reconciliation { new, resolved, open: now_open.len() })
    }

    fn latest_analysis(&self, engagement: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT MAX(id) FROM analyses WHERE engagement_id = ?1", [engagement], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    fn open_fingerprints(&self, engagement: i64) -> Result<HashSet<String>> {
        let Some(latest) = self.latest_analysis(engagement)? else {
            return Ok(HashSet::new());
        };
        let mut stmt = self
            .conn
            .prepare("SELECT fingerprint FROM tracked WHERE engagement_id = ?1 AND last_analysis = ?2")
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![engagement, latest], |r| r.get(0)).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>().map_err(|e| self.err(e))
    }

    /// The engagement's findings: open and new ones from the latest analysis, then resolved ones.
    pub fn tracked(&self, engagement: i64) -> Result<Vec<Tracked>> {
        let Some(latest) = self.latest_analysis(engagement)? else {
            return Ok(Vec::new());
        };
        let first: i64 = self
            .conn
            .query_row("SELECT MIN(id) FROM analyses WHERE engagement_id = ?1", [engagement], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT t.data, t.first_analysis, t.last_analysis, a1.analysed_at, a2.analysed_at
                 FROM tracked t JOIN analyses a1 ON a1.id = t.first_analysis JOIN analyses a2 ON a2.id = t.last_analysis
                 WHERE t.engagement_id = ?1 ORDER BY t.rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([engagement], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?)))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (data, first_analysis, last_analysis, first_seen, last_seen) = row.map_err(|e| self.err(e))?;
            let Ok(finding) = serde_json::from_str::<Finding>(&data) else { continue };
            let status = if last_analysis < latest {
                Status::Resolved
            } else if first_analysis == latest && latest != first {
                Status::New
            } else {
                Status::Open
            };
            out.push(Tracked { finding, status, first_seen, last_seen });
        }
        Ok(out)
    }

    /// The full fingerprint of an open finding from a unique prefix (at least 6 characters).
    pub fn resolve_fingerprint(&self, prefix: &str) -> Result<String> {
        let prefix = prefix.trim();
        let engagement = self.current()?.id;
        let open = self.open_fingerprints(engagement)?;
        if open.contains(prefix) {
            return Ok(prefix.to_string());
        }
        if prefix.len() < 6 {
            return Err(TriageError::UnknownFinding(prefix.to_string()));
        }
        let matches: Vec<&String> = open.iter().filter(|f| f.starts_with(prefix)).collect();
        match matches.len() {
            0 => Err(TriageError::UnknownFinding(prefix.to_string())),
            1 => Ok(matches[0].clone()),
            n => Err(TriageError::AmbiguousFinding(prefix.to_string(), n)),
        }
    }

    /// Sets (or with `None`, clears) the verdict on an open finding of the current engagement.
    pub fn set_verdict(&mut self, fingerprint: &str, verdict: Option<Verdict>, note: Option<&str>, now: i64) -> Result<()> {
        let fingerprint = self.resolve_fingerprint(fingerprint)?;
        let note = note.map(|n| clean_text(n, "note")).transpose()?.filter(|n| !n.is_empty());
        self.write(|tx| {
            match verdict {
                Some(v) => tx.execute(
                    "INSERT INTO verdicts(fingerprint, verdict, note, at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(fingerprint) DO UPDATE SET verdict = excluded.verdict, note = excluded.note, at = excluded.at",
                    params![fingerprint, v.as_str(), note, now],
                )?,
                None => tx.execute("DELETE FROM verdicts WHERE fingerprint = ?1", [&fingerprint])?,
            };
            tx.execute(
                "INSERT INTO verdict_log(fingerprint, verdict, note, at) VALUES (?1, ?2, ?3, ?4)",
                params![fingerprint, verdict.map(Verdict::as_str), note, now],
            )?;
            Ok(())
        })
    }

    /// Records the founder's answer to an item's question; an empty text removes it.
    pub fn set_answer(&mut self, item: &str, text: &str, not_applicable: bool, now: i64) -> Result<()> {
        let text = clean_text(text, "answer")?;
        self.write(|tx| {
            if text.is_empty() && !not_applicable {
                tx.execute("DELETE FROM answers WHERE item = ?1", [item])?;
            } else {
                tx.execute(
                    "INSERT INTO answers(item, text, not_applicable, at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(item) DO UPDATE SET text = excluded.text, not_applicable = excluded.not_applicable, at = excluded.at",
                    params![item, text, not_applicable, now],
                )?;
            }
            Ok(())
        })
    }

    /// The consultant's note on an item; an empty text removes it.
    pub fn set_note(&mut self, item: &str, text: &str, now: i64) -> Result<()> {
        let text = clean_text(text, "note")?;
        self.write(|tx| {
            if text.is_empty() {
                tx.execute("DELETE FROM notes WHERE item = ?1", [item])?;
            } else {
                tx.execute(
                    "INSERT INTO notes(item, text, at) VALUES (?1, ?2, ?3) ON CONFLICT(item) DO UPDATE SET text = excluded.text, at = excluded.at",
                    params![item, text, now],
                )?;
            }
            Ok(())
        })
    }

    /// Replaces the plan edit of one line.
    pub fn edit_plan(&mut self, fingerprint: &str, edit: &PlanEdit, now: i64) -> Result<()> {
        let fingerprint = self.resolve_fingerprint(fingerprint)?;
        self.write_edits(&[(fingerprint, edit.clone())], now)
    }

    /// Sets the manual order of lines (e.g. one horizon after a drag), all in one transaction.
    pub fn reorder(&mut self, horizon: &str, fingerprints: &[String], now: i64) -> Result<()> {
        if !["before-spike", "this-quarter", "can-ride"].contains(&horizon) {
            return Err(TriageError::Invalid(format!("unknown horizon {horizon}")));
        }
        let existing = self.judgement()?.edits;
        let mut edits = Vec::new();
        for (i, f) in fingerprints.iter().enumerate() {
            let fingerprint = self.resolve_fingerprint(f)?;
            let mut edit = existing.get(&fingerprint).cloned().unwrap_or_default();
            edit.position = Some(i as f64);
            edit.horizon = Some(horizon.to_string());
            edits.push((fingerprint, edit));
        }
        self.write_edits(&edits, now)
    }

    fn write_edits(&mut self, edits: &[(String, PlanEdit)], now: i64) -> Result<()> {
        for (_, edit) in edits {
            if let Some(owner) = &edit.owner {
                clean_text(owner, "owner")?;
            }
            if let Some(h) = &edit.horizon {
                if !["before-spike", "this-quarter", "can-ride"].contains(&h.as_str()) {
                    return Err(TriageError::Invalid(format!("unknown horizon {h}")));
                }
            }
            if edit.position.is_some_and(|p| !p.is_finite()) {
                return Err(TriageError::Invalid("position must be a finite number".into()));
            }
        }
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO plan_edits(fingerprint, position, effort, owner, horizon, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(fingerprint) DO UPDATE SET position = excluded.position, effort = excluded.effort,
                     owner = excluded.owner, horizon = excluded.horizon, at = excluded.at",
            )?;
            for (fingerprint, edit) in edits {
                let effort = edit.effort.map(effort_name);
                let owner = edit.owner.as_deref().map(str::trim).filter(|o| !o.is_empty());
                stmt.execute(params![fingerprint, edit.position, effort, owner, edit.horizon, now])?;
            }
            Ok(())
        })
    }

    /// Every verdict, answer, note and plan edit.
    pub fn judgement(&self) -> Result<Judgement> {
        let mut j = Judgement::default();
        let err = |e| self.err(e);
        let mut stmt = self.conn.prepare("SELECT fingerprint, verdict, note, at FROM verdicts").map_err(err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, i64>(3)?)))
            .map_err(err)?;
        for row in rows {
            let (fingerprint, verdict, note, at) = row.map_err(err)?;
            if let Some(verdict) = Verdict::parse(&verdict) {
                j.verdicts.insert(fingerprint.clone(), VerdictRecord { fingerprint, verdict, note, at });
            }
        }
        let mut stmt = self.conn.prepare("SELECT item, text, not_applicable, at FROM answers").map_err(err)?;
        let rows = stmt
            .query_map([], |r| Ok(Answer { item: r.get(0)?, text: r.get(1)?, not_applicable: r.get(2)?, at: r.get(3)? }))
            .map_err(err)?;
        for row in rows {
            let a = row.map_err(err)?;
            j.answers.insert(a.item.clone(), a);
        }
        let mut stmt = self.conn.prepare("SELECT item, text, at FROM notes").map_err(err)?;
        let rows = stmt.query_map([], |r| Ok(Note { item: r.get(0)?, text: r.get(1)?, at: r.get(2)? })).map_err(err)?;
        for row in rows {
            let n = row.map_err(err)?;
            j.notes.insert(n.item.clone(), n);
        }
        let mut stmt = self.conn.prepare("SELECT fingerprint, position, effort, owner, horizon FROM plan_edits").map_err(err)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    PlanEdit {
                        position: r.get(1)?,
                        effort: r.get::<_, Option<String>>(2)?.and_then(|e| parse_effort(&e)),
                        owner: r.get(3)?,
                        horizon: r.get(4)?,
                    },
                ))
            })
            .map_err(err)?;
        for row in rows {
            let (fingerprint, edit) = row.map_err(err)?;
            j.edits.insert(fingerprint, edit);
        }
        Ok(j)
    }

    /// The finding data the current engagement holds for `fingerprint`, if any.
    pub fn finding(&self, fingerprint: &str) -> Result<Option<Finding>> {
        let engagement = self.current()?.id;
        let data: Option<String> = self
            .conn
            .query_row("SELECT data FROM tracked WHERE engagement_id = ?1 AND fingerprint = ?2", params![engagement, fingerprint], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(data.and_then(|d| serde_json::from_str(&d).ok()))
    }
}

pub fn effort_name(effort: Effort) -> &'static str {
    match effort {
        Effort::S => "S",
        Effort::M => "M",
        Effort::L => "L",
    }
}

pub fn parse_effort(text: &str) -> Option<Effort> {
    match text.trim().to_ascii_uppercase().as_str() {
        "S" => Some(Effort::S),
        "M" => Some(Effort::M),
        "L" => Some(Effort::L),
        _ => None,
    }
}

/// Trims, rejects control characters other than newlines and tabs, and bounds the length.
fn clean_text(text: &str, what: &str) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > MAX_TEXT {
        return Err(TriageError::Invalid(format!("the {what} is longer than {MAX_TEXT} characters")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(TriageError::Invalid(format!("the {what} contains control characters")));
    }
    Ok(text.to_string())
}
