//! A workspace is Plumb's own folder for one repository, in the user's data folder (never in
//! the inspected tree): the SQLite store, the derived search index and a lock file.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("{0}: not a directory")]
    NotADirectory(String),
    #[error("{0}: cannot read the directory: {1}")]
    Unreadable(String, String),
    #[error("{0}: the path is not valid UTF-8")]
    NotUtf8(String),
    #[error("the data folder {0} is inside the repository {1}; Plumb never writes into a repository it inspects")]
    DataInsideRepository(String, String),
    #[error("no data folder: set --data-dir or PLUMB_DATA_DIR (the user's data folder could not be determined)")]
    NoDataDir,
    #[error("cannot create the workspace {0}: {1}")]
    Create(String, String),
    #[error("workspace busy: another Plumb process is working on {0}; try again when it has finished")]
    Busy(String),
}

impl WorkspaceError {
    /// Bad input from the user, as opposed to a problem of Plumb's own folder.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            WorkspaceError::Missing(_) | WorkspaceError::NotADirectory(_) | WorkspaceError::Unreadable(..) | WorkspaceError::NotUtf8(_) | WorkspaceError::DataInsideRepository(..)
        )
    }
}

#[derive(Debug, Clone)]
pub struct Workspace {
    /// The inspected repository, canonical.
    pub repo: PathBuf,
    /// Plumb's folder for it.
    pub dir: PathBuf,
}

/// Checks that `path` is a readable directory with a UTF-8 name and returns it canonical.
pub fn validate_repository(path: &Path) -> Result<PathBuf, WorkspaceError> {
    let shown = path.to_string_lossy().to_string();
    if path.to_str().is_none() {
        return Err(WorkspaceError::NotUtf8(shown));
    }
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => WorkspaceError::Missing(shown.clone()),
        _ => WorkspaceError::Unreadable(shown.clone(), e.to_string()),
    })?;
    if !meta.is_dir() {
        return Err(WorkspaceError::NotADirectory(shown));
    }
    std::fs::read_dir(path).map_err(|e| WorkspaceError::Unreadable(shown.clone(), e.to_string()))?;
    let canonical = path.canonicalize().map_err(|e| WorkspaceError::Unreadable(shown.clone(), e.to_string()))?;
    if canonical.to_str().is_none() {
        return Err(WorkspaceError::NotUtf8(shown));
    }
    Ok(canonical)
}

/// The default data folder: `$XDG_DATA_HOME/plumb` (or the platform's equivalent).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("dev", "plumb", "plumb").map(|d| d.data_dir().to_path_buf())
}

impl Workspace {
    /// Finds (creating if needed) the workspace of `repo` under `data_dir`.
    pub fn open(repo: &Path, data_dir: Option<&Path>) -> Result<Workspace, WorkspaceError> {
        let repo = validate_repository(repo)?;
        let data_dir = match data_dir {
            Some(d) => d.to_path_buf(),
            None => default_data_dir().ok_or(WorkspaceError::NoDataDir)?,
        };
        std::fs::create_dir_all(&data_dir).map_err(|e| WorkspaceError::Create(data_dir.display().to_string(), e.to_string()))?;
        let data_dir = data_dir.canonicalize().map_err(|e| WorkspaceError::Create(data_dir.display().to_string(), e.to_string()))?;
        if data_dir.starts_with(&repo) {
            return Err(WorkspaceError::DataInsideRepository(data_dir.display().to_string(), repo.display().to_string()));
        }
        let dir = data_dir.join("workspaces").join(workspace_name(&repo));
        std::fs::create_dir_all(&dir).map_err(|e| WorkspaceError::Create(dir.display().to_string(), e.to_string()))?;
        // A note for people browsing the data folder; Plumb itself keys on the folder name.
        let _ = std::fs::write(dir.join("repository.txt"), repo.display().to_string());
        Ok(Workspace { repo, dir })
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.join("plumb.db")
    }

    pub fn search_dir(&self) -> PathBuf {
        self.dir.join("search")
    }

    /// Takes the workspace's write lock, waiting up to `wait` for another process to finish.
    pub fn lock(&self, wait: Duration) -> Result<WorkspaceLock, WorkspaceError> {
        let path = self.dir.join("lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| WorkspaceError::Create(path.display().to_string(), e.to_string()))?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(WorkspaceLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => std::thread::sleep(Duration::from_millis(100)),
                Err(std::fs::TryLockError::WouldBlock) => return Err(WorkspaceError::Busy(self.repo.display().to_string())),
                Err(std::fs::TryLockError::Error(e)) => return Err(WorkspaceError::Create(path.display().to_string(), e.to_string())),
            }
        }
    }
}

/// Held while a process writes the workspace; released on drop (or when the process dies).
pub struct WorkspaceLock {
    _file: File,
}

/// `<folder name>-<hash of the canonical path>`: readable and unique per repository.
fn workspace_name(repo: &Path) -> String {
    let base: String = repo
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "root".into())
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(40)
        .collect();
    let hash = blake3::hash(repo.as_os_str().as_encoded_bytes()).to_hex();
    format!("{base}-{}", &hash[..12])
}
