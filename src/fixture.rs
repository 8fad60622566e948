//! Builds small git repositories in code with fixed authors and timestamps: the test
//! fixtures, the demo repository and the benchmark generators all use it, so no nested
//! `.git` folder is ever checked in.

use std::path::{Path, PathBuf};

use git2::{IndexAddOption, Repository, Signature, Time};

/// A person (or agent) who commits, with a fixed identity.
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub email: String,
}

impl Author {
    pub fn new(name: &str, email: &str) -> Self {
        Author { name: name.to_string(), email: email.to_string() }
    }
}

/// Writes files into a working tree and commits them with git2.
pub struct RepoBuilder {
    root: PathBuf,
    repo: Repository,
}

impl RepoBuilder {
    /// Creates an empty repository at `root` (the folder is created if needed) on branch `main`.
    pub fn init(root: &Path) -> Result<Self, git2::Error> {
        std::fs::create_dir_all(root).map_err(|e| git2::Error::from_str(&e.to_string()))?;
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let repo = Repository::init_opts(root, &opts)?;
        Ok(RepoBuilder { root: root.to_path_buf(), repo })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn repo(&self) -> &Repository {
        &self.repo
    }

    /// Writes `content` at the repository-relative `path`, creating folders.
    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) -> &Self {
        let full = self.root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create fixture folder");
        }
        std::fs::write(&full, content).expect("write fixture file");
        self
    }

    /// Removes a file from the working tree (the next commit records the deletion).
    pub fn remove(&self, path: &str) -> &Self {
        let _ = std::fs::remove_file(self.root.join(path));
        self
    }

    /// Stages everything in the working tree and commits it as `author` at `time`
    /// (seconds since the epoch, UTC). Returns the commit id.
    pub fn commit(&self, author: &Author, time: i64, message: &str) -> Result<git2::Oid, git2::Error> {
        let mut index = self.repo.index()?;
        index.add_all(["*"].iter(), IndexAddOption::DEFAULT, None)?;
        index.update_all(["*"].iter(), None)?;
        index.write()?;
        let tree_id = index.write_tree()?;
        let tree = self.repo.find_tree(tree_id)?;
        let sig = Signature::new(&author.name, &author.email, &Time::new(time, 0))?;
        let parent = match self.repo.head() {
            Ok(head) => Some(head.peel_to_commit()?),
            Err(_) => None,
        };
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        self.repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
    }
}
