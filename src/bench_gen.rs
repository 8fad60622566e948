//! Generates large, realistic-looking git histories for benchmarks, fast and deterministically.
//!
//! Objects go into an in-memory object database (libgit2's mempack): blobs for changed files
//! and trees for the touched folders only, built with `TreeBuilder` from an in-memory model of
//! the tree, never from a work tree. At the end the objects are written as one packfile, the
//! branch is pointed at the last commit and HEAD is checked out once.
//!
//! The shape: files live in module folders (`src/<module>/<file>.ts`); a commit changes 1–8
//! files, mostly from one module (so coupling exists), often with one of a few hot files; about
//! one commit in 150 is a large sweep; files appear over time (30 % in the first commit);
//! some work arrives through pull requests merged with merge commits; authors are several
//! people and coding agents (bot authors and `Co-authored-by:` trailers).

use std::io::Write;
use std::path::Path;

use git2::{Oid, Repository, RepositoryInitOptions, Signature, Time};

/// 2023-01-01T00:00:00Z.
const START_TIME: i64 = 1_672_531_200;
const FILES_PER_MODULE: usize = 50;
const GROUP_MODULES: usize = 100;

const MODULES: [&str; 20] = [
    "auth", "billing", "checkout", "dashboard", "orders", "users", "api", "db", "ui", "settings",
    "notifications", "search", "reports", "admin", "onboarding", "payments", "inventory",
    "analytics", "email", "storage",
];
const FILE_NAMES: [&str; 20] = [
    "index", "service", "types", "utils", "hooks", "store", "client", "schema", "handlers", "routes",
    "view", "form", "table", "modal", "api", "helpers", "constants", "model", "controller", "validation",
];
const VERBS: [&str; 8] = ["Fix", "Add", "Update", "Refactor", "Handle", "Clean up", "Improve", "Use"];

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedRepo {
    pub head: String,
    pub commits: usize,
    pub files_at_head: usize,
}

/// xorshift64*: tiny, deterministic, good enough for shaping test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng((seed ^ 0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// 0..n, skewed towards 0.
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * n as f64) as usize).min(n.saturating_sub(1))
    }
}

struct File {
    module: usize,
    name: String,
    /// (line id, version) pairs; the content is rendered from them.
    lines: Vec<(u32, u32)>,
    blob: Option<Oid>,
}

impl File {
    fn render(&self) -> String {
        let mut out = format!("// {}/{}\n", MODULES[self.module % MODULES.len()], self.name);
        for (id, version) in &self.lines {
            out.push_str(&format!("export const value{id} = {version};\n"));
        }
        out
    }
}

struct Person {
    name: &'static str,
    email: &'static str,
    agent: bool,
}

const PEOPLE: [Person; 8] = [
    Person { name: "Maya Chen", email: "maya@acme.io", agent: false },
    Person { name: "Tom Okafor", email: "tom@acme.io", agent: false },
    Person { name: "Priya Raman", email: "priya@acme.io", agent: false },
    Person { name: "Lukas Weber", email: "lukas@contractor.dev", agent: false },
    Person { name: "gpt-engineer-app[bot]", email: "159125892+gpt-engineer-app[bot]@users.noreply.github.com", agent: true },
    Person { name: "copilot-swe-agent[bot]", email: "198982749+Copilot@users.noreply.github.com", agent: true },
    Person { name: "Cursor Agent", email: "cursoragent@cursor.com", agent: true },
    Person { name: "devin-ai-integration[bot]", email: "158243242+devin-ai-integration[bot]@users.noreply.github.com", agent: true },
];

/// Author weights at `progress` (0 = first commit, 1 = last): an app scaffolded by an agent,
/// taken over by people who use agents more and more.
fn author_weights(progress: f64) -> [f64; 8] {
    [3.0, 2.0, 2.0 * progress, 1.0, 6.0 * (1.0 - progress) + 0.5, 1.5 * progress, 1.0, 0.5]
}

struct Generator<'r> {
    repo: &'r Repository,
    rng: Rng,
    files: Vec<File>,
    module_files: Vec<Vec<usize>>,
    module_trees: Vec<Option<Oid>>,
    group_trees: Vec<Option<Oid>>,
    hot: usize,
    present: usize,
    /// Files are created in order: the next one not created yet.
    next_new: usize,
    next_line_id: u32,
    readme: Oid,
    time: i64,
    /// Objects written since the last flush: exactly what the next packfile must hold.
    created: Vec<Oid>,
}

impl<'r> Generator<'r> {
    fn new(repo: &'r Repository, files: usize, seed: u64) -> Result<Self, git2::Error> {
        let modules = files.div_ceil(FILES_PER_MODULE).max(1);
        let mut module_files = vec![Vec::new(); modules];
        let files: Vec<File> = (0..files)
            .map(|i| {
                let (module, local) = (i % modules, i / modules);
                module_files[module].push(i);
                let suffix = if local >= FILE_NAMES.len() { (local / FILE_NAMES.len()).to_string() } else { String::new() };
                let ext = if local % 3 == 1 { "tsx" } else { "ts" };
                File { module, name: format!("{}{suffix}.{ext}", FILE_NAMES[local % FILE_NAMES.len()]), lines: Vec::new(), blob: None }
            })
            .collect();
        let readme = repo.blob(b"# Acme app\n\nGenerated for benchmarks.\n")?;
        Ok(Generator {
            repo,
            rng: Rng::new(seed),
            hot: (files.len() / 100).max(3).min(files.len()),
            files,
            module_files,
            module_trees: vec![None; modules],
            group_trees: Vec::new(),
            present: 0,
            next_new: 0,
            next_line_id: 0,
            readme,
            time: START_TIME,
            created: vec![readme],
        })
    }

    fn module_name(&self, module: usize) -> String {
        let base = MODULES[module % MODULES.len()];
        match module / MODULES.len() {
            0 => base.to_string(),
            n => format!("{base}{n}"),
        }
    }

    fn create(&mut self, index: usize) {
        let count = 8 + self.rng.below(50);
        let lines = (0..count)
            .map(|_| {
                self.next_line_id += 1;
                (self.next_line_id, 0)
            })
            .collect();
        self.files[index].lines = lines;
        self.present += 1;
    }

    fn edit(&mut self, index: usize) {
        let edits = 1 + self.rng.below(4);
        for _ in 0..edits {
            let len = self.files[index].lines.len();
            let at = self.rng.below(len);
            self.files[index].lines[at].1 += 1;
        }
        if self.rng.chance(0.3) {
            self.next_line_id += 1;
            let at = self.rng.below(self.files[index].lines.len() + 1);
            self.files[index].lines.insert(at, (self.next_line_id, 0));
        }
        if self.rng.chance(0.15) && self.files[index].lines.len() > 5 {
            let at = self.rng.below(self.files[index].lines.len());
            self.files[index].lines.remove(at);
        }
    }

    fn random_present(&mut self, among: &[usize]) -> Option<usize> {
        let candidates: Vec<usize> = among.iter().copied().filter(|&i| self.files[i].blob.is_some()).collect();
        (!candidates.is_empty()).then(|| candidates[self.rng.below(candidates.len())])
    }

    /// A random present file of the whole repository: sampled, not filtered (a filter over
    /// 100,000 files per commit made large histories quadratic).
    fn any_present(&mut self) -> Option<usize> {
        (0..64).map(|_| self.rng.below(self.files.len())).find(|&i| self.files[i].blob.is_some())
    }

    /// Applies one commit's worth of changes to the model; returns (touched modules, summary).
    fn change(&mut self, index: usize, total: usize) -> Result<(Vec<usize>, String), git2::Error> {
        let mut touched: Vec<usize> = Vec::new();
        let progress = index as f64 / (total.max(2) - 1) as f64;
        let target = (self.files.len() as f64 * (0.3 + 0.7 * progress)).ceil() as usize;
        while self.present < target.min(self.files.len()) {
            if self.next_new >= self.files.len() {
                break;
            }
            let next = self.next_new;
            self.next_new += 1;
            self.create(next);
            touched.push(next);
            if index > 0 && touched.len() >= 3 {
                break; // spread creations over commits after the scaffold
            }
        }
        let module = self.rng.skewed(self.module_files.len());
        if index > 0 {
            let picks = if self.rng.chance(1.0 / 150.0) { 20 + self.rng.below(41) } else { 1 + self.rng.skewed(8) };
            for _ in 0..picks {
                let pick = if self.rng.chance(0.25) {
                    let hot: Vec<usize> = (0..self.hot).collect();
                    self.random_present(&hot)
                } else if picks > 8 {
                    self.any_present()
                } else {
                    let in_module = self.module_files[module].clone();
                    self.random_present(&in_module).or_else(|| self.any_present())
                };
                if let Some(pick) = pick.filter(|p| !touched.contains(p)) {
                    self.edit(pick);
                    touched.push(pick);
                }
            }
            if self.rng.chance(1.0 / 400.0) {
                let cold: Vec<usize> = (self.hot..self.files.len()).filter(|i| !touched.contains(i)).collect();
                if let Some(gone) = self.random_present(&cold) {
                    self.files[gone].lines.clear();
                    self.files[gone].blob = None;
                    self.present -= 1;
                    touched.push(gone);
                }
            }
        }
        let mut modules: Vec<usize> = Vec::new();
        for &i in &touched {
            if !self.files[i].lines.is_empty() {
                let blob = self.repo.blob(self.files[i].render().as_bytes())?;
                self.created.push(blob);
                self.files[i].blob = Some(blob);
            }
            if !modules.contains(&self.files[i].module) {
                modules.push(self.files[i].module);
            }
        }
        let verb = VERBS[self.rng.below(VERBS.len())];
        let summary = match touched.first() {
            Some(&first) if index > 0 => format!("{verb} {} in {}", self.files[first].name, self.module_name(module)),
            _ => "Initial scaffold".to_string(),
        };
        Ok((modules, summary))
    }

    fn write_tree(&mut self, touched_modules: &[usize]) -> Result<Oid, git2::Error> {
        for &m in touched_modules {
            let mut builder = self.repo.treebuilder(None)?;
            for &i in &self.module_files[m] {
                if let Some(blob) = self.files[i].blob {
                    builder.insert(&self.files[i].name, blob, 0o100644)?;
                }
            }
            self.module_trees[m] = if builder.is_empty() { None } else { Some(self.made(builder.write()?)) };
        }
        // Above GROUP_MODULES modules they sit in group folders (`src/g7/orders12/`): a folder of
        // 2,000 entries rewritten on every commit made large histories slow and huge.
        let src = if self.module_trees.len() <= GROUP_MODULES {
            let mut src = self.repo.treebuilder(None)?;
            for (m, tree) in self.module_trees.iter().enumerate() {
                if let Some(tree) = tree {
                    src.insert(self.module_name(m), *tree, 0o040000)?;
                }
            }
            self.made(src.write()?)
        } else {
            let mut groups: Vec<usize> = touched_modules.iter().map(|m| m / GROUP_MODULES).collect();
            groups.sort_unstable();
            groups.dedup();
            for g in groups {
                let mut group = self.repo.treebuilder(None)?;
                let end = ((g + 1) * GROUP_MODULES).min(self.module_trees.len());
                for m in g * GROUP_MODULES..end {
                    if let Some(tree) = self.module_trees[m] {
                        group.insert(self.module_name(m), tree, 0o040000)?;
                    }
                }
                self.group_trees.resize(self.module_trees.len().div_ceil(GROUP_MODULES), None);
                self.group_trees[g] = if group.is_empty() { None } else { Some(self.made(group.write()?)) };
            }
            let mut src = self.repo.treebuilder(None)?;
            for (g, tree) in self.group_trees.iter().enumerate() {
                if let Some(tree) = tree {
                    src.insert(format!("g{g}"), *tree, 0o040000)?;
                }
            }
            self.made(src.write()?)
        };
        let mut root = self.repo.treebuilder(None)?;
        root.insert("README.md", self.readme, 0o100644)?;
        root.insert("src", src, 0o040000)?;
        let root = root.write()?;
        Ok(self.made(root))
    }

    fn made(&mut self, id: Oid) -> Oid {
        self.created.push(id);
        id
    }

    fn pick_author(&mut self, progress: f64) -> &'static Person {
        let weights = author_weights(progress);
        let mut roll = self.rng.unit() * weights.iter().sum::<f64>();
        for (person, weight) in PEOPLE.iter().zip(weights) {
            if roll < weight {
                return person;
            }
            roll -= weight;
        }
        &PEOPLE[0]
    }

    fn commit(&mut self, tree: Oid, parents: &[Oid], person: &Person, message: &str) -> Result<Oid, git2::Error> {
        self.time += 300 + self.rng.below(2 * 3600) as i64;
        let sig = Signature::new(person.name, person.email, &Time::new(self.time, 0))?;
        let tree = self.repo.find_tree(tree)?;
        let parents: Vec<git2::Commit> = parents.iter().map(|p| self.repo.find_commit(*p)).collect::<Result<_, _>>()?;
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        let id = self.repo.commit(None, &sig, &sig, message, &tree, &parent_refs)?;
        Ok(self.made(id))
    }

    /// One ordinary commit on top of `parent`.
    fn change_commit(&mut self, index: usize, total: usize, parent: Option<Oid>) -> Result<Oid, git2::Error> {
        let (modules, summary) = self.change(index, total)?;
        let tree = self.write_tree(&modules)?;
        let person = self.pick_author(index as f64 / total as f64);
        let message = if !person.agent && self.rng.chance(0.3) {
            format!("{summary}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
        } else {
            format!("{summary}\n")
        };
        let parents: Vec<Oid> = parent.into_iter().collect();
        self.commit(tree, &parents, person, &message)
    }
}

/// Commits kept in memory before their objects are written out as a packfile (memory stays
/// bounded on 50,000-commit histories).
const FLUSH_COMMITS: usize = 5_000;

/// Writes the objects created since the last flush as one packfile and empties the mempack.
/// (`Mempack::dump` would walk every commit's whole tree: quadratic on a 100,000-file tree.)
fn flush(repo: &Repository, odb: &git2::Odb, mempack: &git2::Mempack, created: &mut Vec<Oid>) -> Result<(), git2::Error> {
    let mut builder = repo.packbuilder()?;
    for id in created.drain(..) {
        builder.insert_object(id, None)?;
    }
    let mut pack = git2::Buf::new();
    builder.write_buf(&mut pack)?;
    drop(builder);
    let mut writer = odb.packwriter()?;
    writer.write_all(&pack).map_err(|e| git2::Error::from_str(&e.to_string()))?;
    writer.commit()?;
    drop(writer);
    mempack.reset()
}

/// Writes a repository with `commits` commits (merges included) over about `files` files at
/// `dest` (created if needed; must not already hold a repository), deterministically from
/// `seed`, and checks out HEAD.
pub fn generate_history_repo(dest: &Path, commits: usize, files: usize, seed: u64) -> Result<GeneratedRepo, git2::Error> {
    let mut init = RepositoryInitOptions::new();
    init.initial_head("main");
    let repo = Repository::init_opts(dest, &init)?;
    let odb = repo.odb()?;
    let mempack = odb.add_new_mempack_backend(1000)?;
    let files = files.max(1);
    let mut generator = Generator::new(&repo, files, seed)?;
    let mut head: Option<Oid> = None;
    let mut made = 0;
    let mut pull_request = 0;
    while made < commits {
        let remaining = commits - made;
        if made > 0 && remaining >= 3 && generator.rng.chance(0.08) {
            // A pull request: 1-3 commits on a branch from `head`, then a merge commit.
            let length = 1 + generator.rng.below(3.min(remaining - 1));
            let base = head.expect("made > 0");
            let mut tip = base;
            for _ in 0..length {
                tip = generator.change_commit(made, commits, Some(tip))?;
                made += 1;
            }
            pull_request += 1;
            let tree = repo.find_commit(tip)?.tree_id();
            let message = format!("Merge pull request #{pull_request} from acme/feature-{pull_request}\n");
            head = Some(generator.commit(tree, &[base, tip], &PEOPLE[0], &message)?);
        } else {
            head = Some(generator.change_commit(made, commits, head)?);
        }
        made += 1;
        if made % FLUSH_COMMITS == 0 {
            flush(&repo, &odb, &mempack, &mut generator.created)?;
        }
    }
    flush(&repo, &odb, &mempack, &mut generator.created)?;

    let files_at_head = generator.files.iter().filter(|f| f.blob.is_some()).count();
    let head_text = match head {
        Some(head) => {
            repo.reference("refs/heads/main", head, true, "generate history")?;
            repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
            head.to_string()
        }
        None => String::new(),
    };
    Ok(GeneratedRepo { head: head_text, commits, files_at_head })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{coupling, file_stats, read_history, CouplingOptions, HistoryOptions};

    #[test]
    fn same_seed_gives_the_same_repository() {
        let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let first = generate_history_repo(a.path(), 300, 200, 7).unwrap();
        let second = generate_history_repo(b.path(), 300, 200, 7).unwrap();
        let other = generate_history_repo(c.path(), 300, 200, 8).unwrap();
        assert_eq!(first, second);
        assert_ne!(first.head, other.head);
        assert_eq!(first.commits, 300);
    }

    #[test]
    fn generated_history_has_the_intended_shape() {
        let dir = tempfile::tempdir().unwrap();
        let generated = generate_history_repo(dir.path(), 600, 300, 42).unwrap();
        assert!(dir.path().join("README.md").is_file(), "HEAD is checked out");

        let history = read_history(dir.path(), &HistoryOptions::default(), &|_, _| {}).unwrap();
        assert!(history.diagnostics.is_empty(), "{:?}", history.diagnostics);
        assert_eq!(history.commits.len(), 600);
        assert_eq!(history.head_files.len(), generated.files_at_head + 1, "plus README.md");
        assert_eq!(history.commits.last().unwrap().changes.len(), 90 + 1, "30 % of 300 files, plus README.md, in the scaffold");
        let h = &history.headline;
        assert!(h.merge_commits > 10, "pull requests are merged: {h:?}");
        assert!(h.agent_commits > 100 && h.agent_commit_share < 0.9, "{h:?}");
        let sizes: Vec<usize> = history.commits.iter().filter(|c| !c.is_merge()).map(|c| c.changes.len()).collect();
        let small = sizes.iter().filter(|&&n| (1..=8).contains(&n)).count();
        assert!(small * 10 >= sizes.len() * 9, "most commits change 1-8 files");
        assert!(history.commits.iter().any(|c| c.trailers.iter().any(|t| t.value.contains("anthropic"))));

        // Hot files and module clustering show up as skewed revisions and coupling.
        let stats = file_stats(&history);
        let mut revisions: Vec<u32> = stats.values().map(|s| s.revisions).collect();
        revisions.sort_unstable_by(|a, b| b.cmp(a));
        assert!(revisions[0] >= 5 * revisions[revisions.len() / 2].max(1), "{:?}", &revisions[..10]);
        let loose = CouplingOptions { min_revs: 3, min_shared_revs: 3, ..CouplingOptions::default() };
        assert!(!coupling(&history, &loose).is_empty());
    }
}
