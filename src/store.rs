//! The SQLite store: the source of truth for everything Plumb learns about a repository.
//! Migrations are append-only and versioned with `PRAGMA user_version`; WAL mode; foreign
//! keys on; bulk writes in one transaction with cached statements.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use crate::checks::Scan;
use crate::lang::Lang;
use crate::model::{DefKind, Definition, FileFacts, Import, ImportKind};
use crate::walk::SkipReason;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("workspace database {path}: {source}")]
    Sqlite { path: String, source: rusqlite::Error },
    #[error("workspace database {0} was written by a newer Plumb (schema version {1}, this Plumb knows {2})")]
    TooNew(String, i64, i64),
}

type Result<T> = std::result::Result<T, StoreError>;

/// Append-only: never edit a released migration, add a new one.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL,
    size INTEGER NOT NULL,
    hash TEXT,
    status TEXT NOT NULL CHECK (status IN ('parsed', 'indexed', 'skipped')),
    skip_reason TEXT,
    is_dir INTEGER NOT NULL DEFAULT 0,
    loc INTEGER NOT NULL DEFAULT 0,
    comment_lines INTEGER NOT NULL DEFAULT 0,
    complexity INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE contents (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    text TEXT NOT NULL
);
CREATE TABLE imports (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    specifier TEXT NOT NULL,
    line INTEGER NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX imports_by_file ON imports(file_id);
CREATE TABLE definitions (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    exported INTEGER NOT NULL,
    complexity INTEGER NOT NULL
);
CREATE INDEX definitions_by_file ON definitions(file_id);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    summary TEXT
);
CREATE TABLE diagnostics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    stage TEXT NOT NULL,
    message TEXT NOT NULL
);
"#, r#"
CREATE TABLE commits (
    id TEXT PRIMARY KEY,
    time INTEGER NOT NULL,
    author_name TEXT NOT NULL,
    author_email TEXT NOT NULL,
    summary TEXT NOT NULL,
    agent TEXT,
    parent_count INTEGER NOT NULL
);
CREATE TABLE commit_files (
    commit_id TEXT NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    kind TEXT NOT NULL,
    added INTEGER,
    removed INTEGER
);
CREATE INDEX commit_files_by_path ON commit_files(path);
CREATE TABLE file_metrics (
    path TEXT PRIMARY KEY,
    revisions INTEGER NOT NULL,
    revisions_in_window INTEGER NOT NULL,
    churn INTEGER NOT NULL,
    authors INTEGER NOT NULL,
    main_author TEXT,
    agent_share REAL NOT NULL,
    last_changed_by_agent INTEGER NOT NULL,
    human_since_last_agent INTEGER NOT NULL,
    hotspot_score INTEGER NOT NULL,
    hotspot_rank INTEGER,
    fan_in INTEGER NOT NULL,
    fan_out INTEGER NOT NULL,
    pagerank REAL NOT NULL,
    cycle INTEGER,
    community INTEGER NOT NULL
);
CREATE TABLE import_edges (from_path TEXT NOT NULL, to_path TEXT NOT NULL, external INTEGER NOT NULL);
CREATE TABLE coupling (a TEXT NOT NULL, b TEXT NOT NULL, shared INTEGER NOT NULL, degree REAL NOT NULL, hidden INTEGER NOT NULL);
"#, r#"
CREATE TABLE file_scans (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    data TEXT NOT NULL
);
CREATE TABLE findings (
    fingerprint TEXT PRIMARY KEY,
    item TEXT NOT NULL,
    path TEXT NOT NULL,
    line INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX findings_by_item ON findings(item);
"#];

/// What the store remembers of a file from the last run, to decide what to re-read.
#[derive(Debug, Clone)]
pub struct Known {
    pub id: i64,
    pub hash: Option<String>,
}

/// The outcome for one path in an indexing run.
#[derive(Debug)]
pub enum FileUpdate {
    /// Content hash unchanged: nothing to write.
    Unchanged,
    Parsed { size: u64, hash: String, text: String, facts: FileFacts, scan: Scan },
    /// Text kept for search, no grammar (JSON, Markdown, SQL, …) or parse timeout.
    Indexed { size: u64, hash: String, text: String, reason: Option<SkipReason>, scan: Scan },
    Skipped { size: u64, is_dir: bool, reason: SkipReason },
}

/// A file's facts as stored.
#[derive(Debug, Clone, Serialize)]
pub struct FileRecord {
    pub path: String,
    pub lang: Lang,
    pub size: u64,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    pub loc: u32,
    pub comment_lines: u32,
    pub complexity: u32,
    pub imports: Vec<Import>,
    pub definitions: Vec<Definition>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub stage: String,
    pub message: String,
}

/// Why a database could not be opened.
#[derive(Debug)]
pub enum OpenError {
    Sqlite(rusqlite::Error),
    /// Written by a newer Plumb: (its schema version, the one this build knows).
    TooNew(i64, i64),
}

/// Opens a SQLite database with Plumb's settings (WAL, foreign keys, a busy timeout and the
/// given `synchronous` level) and applies the append-only `migrations` it lacks, each in one
/// transaction with its `PRAGMA user_version`.
pub fn open_database(path: &Path, synchronous: &str, migrations: &[&str]) -> std::result::Result<Connection, OpenError> {
    let mut conn = Connection::open(path).map_err(OpenError::Sqlite)?;
    conn.busy_timeout(Duration::from_secs(30)).map_err(OpenError::Sqlite)?;
    conn.pragma_update(None, "journal_mode", "WAL").map_err(OpenError::Sqlite)?;
    conn.pragma_update(None, "synchronous", synchronous).map_err(OpenError::Sqlite)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(OpenError::Sqlite)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(OpenError::Sqlite)?;
    let known = migrations.len() as i64;
    if version > known {
        return Err(OpenError::TooNew(version, known));
    }
    for (i, sql) in migrations.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction().map_err(OpenError::Sqlite)?;
        tx.execute_batch(sql)
            .and_then(|_| tx.pragma_update(None, "user_version", i as i64 + 1))
            .and_then(|_| tx.commit())
            .map_err(OpenError::Sqlite)?;
    }
    Ok(conn)
}

pub struct Store {
    conn: Connection,
    path: String,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let display = path.display().to_string();
        let conn = open_database(path, "NORMAL", MIGRATIONS).map_err(|e| match e {
            OpenError::Sqlite(source) => StoreError::Sqlite { path: display.clone(), source },
            OpenError::TooNew(version, known) => StoreError::TooNew(display.clone(), version, known),
        })?;
        Ok(Store { conn, path: display })
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite { path: self.path.clone(), source }
    }

    pub fn schema_version(&self) -> i64 {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap_or(0)
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute("INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Every stored path with its id and content hash.
    pub fn known_files(&self) -> Result<HashMap<String, Known>> {
        let mut stmt = self.conn.prepare("SELECT path, id, hash FROM files").map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, Known { id: r.get(1)?, hash: r.get(2)? })))
            .map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Starts a run record; `now` is seconds since the epoch, passed in.
    pub fn begin_run(&self, kind: &str, now: i64) -> Result<i64> {
        self.conn
            .execute("INSERT INTO runs(kind, started_at) VALUES (?1, ?2)", params![kind, now])
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn finish_run(&self, run: i64, now: i64, summary: &str, diagnostics: &[Diagnostic]) -> Result<()> {
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        tx.execute("UPDATE runs SET finished_at = ?2, summary = ?3 WHERE id = ?1", params![run, now, summary])
            .map_err(|e| self.err(e))?;
        {
            let mut stmt = tx
                .prepare_cached("INSERT INTO diagnostics(run_id, path, stage, message) VALUES (?1, ?2, ?3, ?4)")
                .map_err(|e| self.err(e))?;
            for d in diagnostics {
                stmt.execute(params![run, d.path, d.stage, d.message]).map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Repository-wide notes of the last index run (a diagnostic with no path, e.g. a bare
    /// repository's), for the plan's "could not read".
    pub fn last_index_notes(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT message FROM diagnostics WHERE path = '' AND run_id =
                   (SELECT max(id) FROM runs WHERE kind = 'index' AND finished_at IS NOT NULL) ORDER BY rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Writes one batch of per-file outcomes in a single transaction.
    pub fn apply(&mut self, updates: &[(String, Lang, FileUpdate)]) -> Result<()> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(err)?;
        for (path, lang, update) in updates {
            write_update(&tx, path, *lang, update).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Runs `f` in one transaction (committed when it returns Ok).
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction) -> rusqlite::Result<T>) -> Result<T> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(err)?;
        let value = f(&tx).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(value)
    }

    /// Runs read-only queries, naming the database in any error.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        f(&self.conn).map_err(|source| StoreError::Sqlite { path: self.path.clone(), source })
    }

    /// Removes files that no longer exist; their facts and contents cascade.
    pub fn remove(&mut self, paths: &[String]) -> Result<()> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite { path: path.clone(), source };
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut stmt = tx.prepare_cached("DELETE FROM files WHERE path = ?1").map_err(err)?;
            for p in paths {
                stmt.execute([p]).map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// All files with their facts, ordered by path.
    pub fn files(&self) -> Result<Vec<FileRecord>> {
        let mut imports: HashMap<i64, Vec<Import>> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT file_id, specifier, line, kind FROM imports ORDER BY file_id, line, specifier").map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let kind: String = r.get(3).map_err(|e| self.err(e))?;
            imports.entry(r.get(0).map_err(|e| self.err(e))?).or_default().push(Import {
                specifier: r.get(1).map_err(|e| self.err(e))?,
                line: r.get(2).map_err(|e| self.err(e))?,
                kind: import_kind(&kind),
            });
        }
        let mut definitions: HashMap<i64, Vec<Definition>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT file_id, name, kind, start_line, end_line, exported, complexity FROM definitions ORDER BY file_id, start_line, end_line, name")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let kind: String = r.get(2).map_err(|e| self.err(e))?;
            definitions.entry(r.get(0).map_err(|e| self.err(e))?).or_default().push(Definition {
                name: r.get(1).map_err(|e| self.err(e))?,
                kind: def_kind(&kind),
                start_line: r.get(3).map_err(|e| self.err(e))?,
                end_line: r.get(4).map_err(|e| self.err(e))?,
                exported: r.get(5).map_err(|e| self.err(e))?,
                complexity: r.get(6).map_err(|e| self.err(e))?,
            });
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id, path, lang, size, status, skip_reason, loc, comment_lines, complexity FROM files WHERE is_dir = 0 ORDER BY path")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                let id: i64 = r.get(0)?;
                let lang: String = r.get(2)?;
                Ok(FileRecord {
                    path: r.get(1)?,
                    lang: Lang::from_name(&lang).unwrap_or(Lang::Other),
                    size: r.get(3)?,
                    status: r.get(4)?,
                    skip_reason: r.get(5)?,
                    loc: r.get(6)?,
                    comment_lines: r.get(7)?,
                    complexity: r.get(8)?,
                    imports: imports.remove(&id).unwrap_or_default(),
                    definitions: definitions.remove(&id).unwrap_or_default(),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The stored text of one file, if it was read.
    pub fn content(&self, path: &str) -> Result<Option<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT c.text FROM contents c JOIN files f ON f.id = c.file_id WHERE f.path = ?1")
            .map_err(|e| self.err(e))?;
        stmt.query_row([path], |r| r.get(0)).optional().map_err(|e| self.err(e))
    }

    /// A file's symbols for the search index: (name, line).
    pub fn definitions_of(&self, path: &str) -> Result<Vec<(String, u32)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT d.name, d.start_line FROM definitions d JOIN files f ON f.id = d.file_id WHERE f.path = ?1 ORDER BY d.start_line")
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([path], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| self.err(e))?;
        rows.collect::<std::result::Result<_, _>>().map_err(|e| self.err(e))
    }

    pub fn integrity_check(&self) -> Result<String> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| self.err(e))
    }
}

fn write_update(tx: &Transaction, path: &str, lang: Lang, update: &FileUpdate) -> rusqlite::Result<()> {
    let (size, hash, status, reason, is_dir, facts, text) = match update {
        FileUpdate::Unchanged => return Ok(()),
        FileUpdate::Parsed { size, hash, text, facts, .. } => (*size, Some(hash), "parsed", None, false, Some(facts), Some(text)),
        FileUpdate::Indexed { size, hash, text, reason, .. } => (*size, Some(hash), "indexed", *reason, false, None, Some(text)),
        FileUpdate::Skipped { size, is_dir, reason } => (*size, None, "skipped", Some(*reason), *is_dir, None, None),
    };
    let scan = match update {
        FileUpdate::Parsed { scan, .. } | FileUpdate::Indexed { scan, .. } => Some(scan),
        _ => None,
    };
    // Text without a grammar still gets a line count: non-blank lines.
    let default = FileFacts { loc: text.map_or(0, |t| t.lines().filter(|l| !l.trim().is_empty()).count() as u32), ..FileFacts::default() };
    let f = facts.unwrap_or(&default);
    let id: i64 = tx
        .prepare_cached(
            "INSERT INTO files(path, lang, size, hash, status, skip_reason, is_dir, loc, comment_lines, complexity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(path) DO UPDATE SET lang = excluded.lang, size = excluded.size, hash = excluded.hash,
               status = excluded.status, skip_reason = excluded.skip_reason, is_dir = excluded.is_dir, loc = excluded.loc,
               comment_lines = excluded.comment_lines, complexity = excluded.complexity
             RETURNING id",
        )?
        .query_row(
            params![path, lang.name(), size, hash, status, reason.map(SkipReason::name), is_dir, f.loc, f.comment_lines, f.complexity],
            |r| r.get(0),
        )?;
    tx.prepare_cached("DELETE FROM imports WHERE file_id = ?1")?.execute([id])?;
    tx.prepare_cached("DELETE FROM definitions WHERE file_id = ?1")?.execute([id])?;
    match text {
        Some(text) => {
            tx.prepare_cached("INSERT INTO contents(file_id, text) VALUES (?1, ?2) ON CONFLICT(file_id) DO UPDATE SET text = excluded.text")?
                .execute(params![id, text])?;
        }
        None => {
            tx.prepare_cached("DELETE FROM contents WHERE file_id = ?1")?.execute([id])?;
        }
    }
    let mut stmt = tx.prepare_cached("INSERT INTO imports(file_id, specifier, line, kind) VALUES (?1, ?2, ?3, ?4)")?;
    for i in &f.imports {
        stmt.execute(params![id, i.specifier, i.line, import_kind_name(i.kind)])?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO definitions(file_id, name, kind, start_line, end_line, exported, complexity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for d in &f.definitions {
        stmt.execute(params![id, d.name, def_kind_name(d.kind), d.start_line, d.end_line, d.exported, d.complexity])?;
    }
    match scan {
        Some(scan) if !scan.is_empty() => crate::checks::repo::write_scan(tx, path, scan)?,
        _ => {
            tx.prepare_cached("DELETE FROM file_scans WHERE file_id = ?1")?.execute([id])?;
        }
    }
    Ok(())
}

fn import_kind_name(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Static => "static",
        ImportKind::Dynamic => "dynamic",
        ImportKind::Require => "require",
    }
}

fn import_kind(name: &str) -> ImportKind {
    match name {
        "dynamic" => ImportKind::Dynamic,
        "require" => ImportKind::Require,
        _ => ImportKind::Static,
    }
}

const DEF_KINDS: [(DefKind, &str); 8] = [
    (DefKind::Function, "function"),
    (DefKind::Method, "method"),
    (DefKind::Class, "class"),
    (DefKind::Component, "component"),
    (DefKind::Interface, "interface"),
    (DefKind::Type, "type"),
    (DefKind::Module, "module"),
    (DefKind::Variable, "variable"),
];

fn def_kind_name(kind: DefKind) -> &'static str {
    DEF_KINDS.iter().find(|(k, _)| *k == kind).map(|(_, n)| *n).unwrap_or("function")
}

fn def_kind(name: &str) -> DefKind {
    DEF_KINDS.iter().find(|(_, n)| *n == name).map(|(k, _)| *k).unwrap_or(DefKind::Function)
}
