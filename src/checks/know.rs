//! KNOW detectors: code no person has read since an agent wrote it, knowledge held by one
//! person or by people who left, and the missing written map. See the catalogue
//! (`queries/catalogue/know.toml`) for what each item means.
//!
//! History items need `map` to have read the history; without it they report nothing (the
//! check run carries a diagnostic saying so).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::arch::count;
use super::repo::{CommitRow, Repo, RepoFile};
use super::test::{load_bearing_module, Weight};
use super::{Class, Confidence, Detector, Draft};

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(AgentCode), Box::new(BusFactor), Box::new(Docs)]
}

/// A person is still active when they committed within this long of the newest commit.
const ACTIVE_DAYS: i64 = 90;

/// Folders that hold areas rather than being one: `src/lib`, `supabase/functions`.
const CONTAINERS: [&str; 12] = [
    "src", "app", "apps", "packages", "services", "lib", "supabase", "server", "backend",
    "frontend", "web", "modules",
];

/// The area of a path: its top folder, or the first two levels under a container folder.
pub(super) fn area_of(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.len() {
        1 => "(root)".into(),
        2 => parts[0].into(),
        _ if CONTAINERS.contains(&parts[0]) => format!("{}/{}", parts[0], parts[1]),
        _ => parts[0].into(),
    }
}

/// Source code whose provenance and ownership matter: parsed, production, written by the team.
fn is_team_code(f: &RepoFile) -> bool {
    f.lang.is_parsed() && !f.roles.test && !f.roles.migration && !is_generated(&f.path)
}

fn is_generated(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.contains("node_modules/")
        || lower.contains("/vendor/")
        || lower.contains("components/ui/")
        || lower.ends_with(".d.ts")
        || lower.contains(".generated.")
        || lower.contains("database.types")
}

/// One file's history: who changed it, oldest first of nothing, newest first as stored.
struct FileLife<'r> {
    commits: Vec<&'r CommitRow>,
}

impl<'r> FileLife<'r> {
    fn of(repo: &'r Repo, path: &str) -> FileLife<'r> {
        let commits = repo
            .history
            .changes
            .get(path)
            .into_iter()
            .flatten()
            .filter_map(|c| repo.history.commits.get(c.commit))
            .filter(|c| c.parent_count <= 1)
            .collect();
        FileLife { commits }
    }

    fn human_ever(&self) -> bool {
        self.commits.iter().any(|c| c.agent.is_none())
    }

    fn last_by_agent(&self) -> bool {
        self.commits.first().is_some_and(|c| c.agent.is_some())
    }

    /// "lovable-dev[bot] ×5, Cursor ×1, Claude ×2".
    fn agents(&self) -> String {
        let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
        for c in &self.commits {
            if let Some(a) = &c.agent {
                *counts.entry(a.as_str()).or_default() += 1;
            }
        }
        counts
            .iter()
            .map(|(a, n)| format!("{a} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

// ------------------------------------------------------------------------------------------
// KNOW-AI

struct AgentCode;

impl Detector for AgentCode {
    fn name(&self) -> &'static str {
        "know-ai"
    }

    fn items(&self) -> &'static [&'static str] {
        &["KNOW-AI"]
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        if repo.history.commits.is_empty() {
            return;
        }
        #[derive(Default)]
        struct Tally {
            files: u32,
            loc: u64,
            agent_last_files: u32,
            agent_last_loc: u64,
            never_human_loc: u64,
        }
        let mut total = Tally::default();
        let mut areas: BTreeMap<String, Tally> = BTreeMap::new();
        let mut unreviewed: Vec<(&RepoFile, Weight, FileLife)> = Vec::new();
        for f in repo.files.iter().filter(|f| is_team_code(f)) {
            let life = FileLife::of(repo, &f.path);
            if life.commits.is_empty() {
                continue;
            }
            let loc = u64::from(f.loc.max(1));
            let area = areas.entry(area_of(&f.path)).or_default();
            for t in [&mut total, area] {
                t.files += 1;
                t.loc += loc;
                if life.last_by_agent() {
                    t.agent_last_files += 1;
                    t.agent_last_loc += loc;
                }
                if !life.human_ever() {
                    t.never_human_loc += loc;
                }
            }
            if !life.human_ever() {
                if let Some(w) = load_bearing_module(repo, f) {
                    unreviewed.push((f, w, life));
                }
            }
        }
        let agent_commits = repo
            .history
            .commits
            .iter()
            .filter(|c| c.agent.is_some() && c.parent_count <= 1)
            .count();
        if total.loc == 0 || agent_commits == 0 {
            return;
        }
        let pct = |a: u64, b: u64| {
            if b == 0 {
                0.0
            } else {
                a as f64 * 100.0 / b as f64
            }
        };
        let mut by_agent: BTreeMap<&str, u32> = BTreeMap::new();
        for c in &repo.history.commits {
            if let Some(a) = &c.agent {
                *by_agent.entry(a.as_str()).or_default() += 1;
            }
        }
        let commits = repo
            .history
            .commits
            .iter()
            .filter(|c| c.parent_count <= 1)
            .count();
        let mut d = Draft::new(
            "KNOW-AI",
            "",
            0,
            0,
            format!(
                "{:.0}% of the code ({} of {} lines, {} of {} files) was last changed by a coding agent with no person changing it since; {:.0}% has never been changed by a person at all.",
                pct(total.agent_last_loc, total.loc),
                total.agent_last_loc,
                total.loc,
                total.agent_last_files,
                total.files,
                pct(total.never_human_loc, total.loc)
            ),
        )
        .confidence(Confidence::High)
        .anchor("agent share headline")
        .fact(format!(
            "headline: {:.0}% of the code last changed by agents, unreviewed by a person since",
            pct(total.agent_last_loc, total.loc)
        ))
        .fact(format!(
            "{agent_commits} of {commits} commits are attributed to agents: {}",
            by_agent.iter().map(|(a, n)| format!("{a} {n}")).collect::<Vec<_>>().join(", ")
        ));
        let mut ranked: Vec<(&String, &Tally)> = areas.iter().collect();
        ranked.sort_by(|a, b| {
            pct(b.1.agent_last_loc, b.1.loc)
                .total_cmp(&pct(a.1.agent_last_loc, a.1.loc))
                .then(a.0.cmp(b.0))
        });
        for (area, t) in ranked {
            d = d.fact(format!(
                "{area}: {:.0}% last changed by agents ({} of {} lines, {} of {}), {:.0}% never changed by a person",
                pct(t.agent_last_loc, t.loc),
                t.agent_last_loc,
                t.loc,
                t.agent_last_files,
                count(t.files as usize, "file"),
                pct(t.never_human_loc, t.loc)
            ));
        }
        d.searched = vec![
            format!("authors, committer emails and Co-authored-by trailers of {commits} commits"),
            "source files at HEAD (tests, migrations and generated code left out), weighted by lines".into(),
        ];
        d = if unreviewed.is_empty() {
            d.class(Class::Cosmetic, "No file that handles money, access or data writes is agent-only, so the unreviewed code risks little on its own.")
        } else {
            d.fact(format!("{} load-bearing files have never been changed by a person (each is its own finding)", unreviewed.len()))
                .class(
                    Class::LoadBearing,
                    format!(
                        "{} files that handle money, access, data writes or requests have never been changed by a person, so nobody can vouch for them.",
                        unreviewed.len()
                    ),
                )
        };
        out.push(d);

        for (f, w, life) in unreviewed {
            let last = life.commits[0];
            let mut d = Draft::new(
                "KNOW-AI",
                &f.path,
                0,
                0,
                format!(
                    "{} {}, and {} ({}): no person has changed it on their own.",
                    f.path,
                    w.describe(),
                    if life.commits.len() == 1 {
                        "its only commit was made by a coding agent".to_string()
                    } else {
                        format!(
                            "all {} of its commits were made by coding agents",
                            life.commits.len()
                        )
                    },
                    life.agents()
                ),
            )
            .confidence(Confidence::High)
            .anchor(format!("agent-only {}", f.path))
            .fact(format!(
                "last changed {} by {} ({})",
                date_of(last.time),
                last.author_name,
                last.agent.as_deref().unwrap_or("agent")
            ))
            .fact(format!("why it matters: it {}", w.describe()));
            d.money |= w.money;
            d.auth |= w.auth || w.privileged;
            d.data_write |= w.write;
            out.push(d);
        }
    }
}

// ------------------------------------------------------------------------------------------
// KNOW-BUS

struct BusFactor;

/// Departed people made more than this share of a file's commits.
const DEPARTED_SHARE: f64 = 0.5;
/// A file needs this many commits before one active owner is a concentration worth reporting.
const SOLE_OWNER_MIN_COMMITS: usize = 3;

impl Detector for BusFactor {
    fn name(&self) -> &'static str {
        "know-bus"
    }

    fn items(&self) -> &'static [&'static str] {
        &["KNOW-BUS"]
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let Some(newest) = repo.history.commits.iter().map(|c| c.time).max() else {
            return;
        };
        // People (not agents) and their newest commit.
        let mut last_seen: HashMap<&str, i64> = HashMap::new();
        for c in repo.history.commits.iter().filter(|c| c.agent.is_none()) {
            let t = last_seen.entry(c.author_name.as_str()).or_insert(c.time);
            *t = (*t).max(c.time);
        }
        let active = |who: &str| {
            last_seen
                .get(who)
                .is_some_and(|t| newest - t <= ACTIVE_DAYS * 86_400)
        };
        let active_people = last_seen.keys().filter(|p| active(p)).count();

        // Files whose knowledge left with people who are gone, grouped by owners and folder.
        let mut departed: BTreeMap<(Vec<&str>, String), Vec<(&RepoFile, usize, usize)>> =
            BTreeMap::new();
        // A file of a few lines (an empty `__init__.py`) holds no knowledge to lose.
        for f in repo.files.iter().filter(|f| is_team_code(f) && f.loc >= 3) {
            let life = FileLife::of(repo, &f.path);
            let people: BTreeSet<&str> = life
                .commits
                .iter()
                .filter(|c| c.agent.is_none())
                .map(|c| c.author_name.as_str())
                .collect();
            if people.is_empty() {
                continue; // agent-only code is KNOW-AI's
            }
            let by_people = life.commits.iter().filter(|c| c.agent.is_none()).count();
            let share = by_people as f64 / life.commits.len() as f64;
            if people.iter().all(|p| !active(p)) {
                if share > DEPARTED_SHARE {
                    let folder = f
                        .path
                        .rsplit_once('/')
                        .map_or(String::new(), |(d, _)| d.to_string());
                    departed
                        .entry((people.into_iter().collect(), folder))
                        .or_default()
                        .push((f, by_people, life.commits.len()));
                }
                continue;
            }
            // One active person among several holds a load-bearing file alone.
            if active_people >= 2
                && people.len() == 1
                && life.commits.len() >= SOLE_OWNER_MIN_COMMITS
                && share == 1.0
            {
                if let Some(w) = load_bearing_module(repo, f) {
                    let owner = people.iter().next().copied().unwrap_or_default();
                    let mut d = Draft::new(
                        "KNOW-BUS",
                        &f.path,
                        0,
                        0,
                        format!(
                            "Only {owner} has ever changed {} ({} commits), though {active_people} people are active: if they are away, nobody else knows how it {}.",
                            f.path,
                            life.commits.len(),
                            w.describe()
                        ),
                    )
                    .confidence(Confidence::Medium)
                    .anchor(format!("sole owner {}", f.path))
                    .fact(format!("{active_people} people committed in the last {ACTIVE_DAYS} days of history"));
                    d.money |= w.money;
                    d.auth |= w.auth;
                    d.data_write |= w.write;
                    out.push(d);
                }
            }
        }
        for ((people, folder), files) in departed {
            let names = people.join(" and ");
            let last = people
                .iter()
                .filter_map(|p| last_seen.get(p))
                .max()
                .copied()
                .unwrap_or(newest);
            let months = (newest - last) / (30 * 86_400);
            // The folder's entry point or most-changed file speaks for a group.
            let mut files = files;
            files.sort_by_key(|(f, _, n)| {
                (
                    f.roles.entry.is_none(),
                    std::cmp::Reverse(*n),
                    std::cmp::Reverse(repo.metrics(&f.path).fan_in),
                    f.path.clone(),
                )
            });
            let whole_folder = files.len() >= 2
                && repo
                    .files
                    .iter()
                    .filter(|f| {
                        is_team_code(f)
                            && f.loc >= 3
                            && f.path.rsplit_once('/').map(|(d, _)| d) == Some(folder.as_str())
                    })
                    .count()
                    == files.len();
            if !whole_folder {
                for (f, n, all) in &files {
                    let mut d = Draft::new(
                        "KNOW-BUS",
                        &f.path,
                        0,
                        0,
                        format!(
                            "{} was written by {names} ({n} of its {all} commits), whose last commit was on {} ({months} months before the newest commit): nobody active has changed it.",
                            f.path,
                            date_of(last)
                        ),
                    )
                    .confidence(Confidence::High)
                    .anchor(format!("departed {} {}", people.join(","), f.path))
                    .fact(format!("{} committed in the last {ACTIVE_DAYS} days of history", count(active_people, "person").replace("persons", "people")));
                    d.money |= f.roles.money && f.roles.data_write;
                    d.auth |= f.roles.auth && f.roles.server;
                    d.data_write |= f.roles.data_write;
                    out.push(d);
                }
                continue;
            }
            let main = files[0].0;
            let mut d = Draft::new(
                "KNOW-BUS",
                &main.path,
                0,
                0,
                format!(
                    "All of {folder}/ ({} files) was written by {names}, whose last commit was on {} ({months} months before the newest commit): nobody active knows this code.",
                    files.len(),
                    date_of(last)
                ),
            )
            .confidence(Confidence::High)
            .anchor(format!("departed {} {folder}", people.join(",")))
            .fact(format!("{} committed in the last {ACTIVE_DAYS} days of history", count(active_people, "person").replace("persons", "people")));
            for (f, n, all) in files.iter().skip(1).take(20) {
                d = d.related(&f.path, 0, format!("{n} of {all} commits by {names}"));
            }
            for (f, _, _) in &files {
                d.money |= f.roles.money && f.roles.data_write;
                d.auth |= f.roles.auth && f.roles.server;
                d.data_write |= f.roles.data_write;
            }
            out.push(d);
        }
    }
}

// ------------------------------------------------------------------------------------------
// KNOW-DOCS

struct Docs;

/// Phrases of the READMEs that scaffolding tools write.
const TEMPLATES: [(&str, &str); 14] = [
    ("Welcome to your Lovable project", "Lovable"),
    ("lovable.dev/projects", "Lovable"),
    (
        "This template provides a minimal setup to get React working in Vite",
        "Vite",
    ),
    ("# React + TypeScript + Vite", "Vite"),
    (
        "This project was bootstrapped with [Create React App]",
        "Create React App",
    ),
    (
        "# Getting Started with Create React App",
        "Create React App",
    ),
    ("bootstrapped with [`create-next-app`]", "Next.js"),
    ("This is a [Next.js](https://nextjs.org) project", "Next.js"),
    ("# Create T3 App", "create-t3-app"),
    ("Welcome to Remix", "Remix"),
    ("Everything you need to build a Svelte project", "SvelteKit"),
    (
        "This project was generated with [Angular CLI]",
        "Angular CLI",
    ),
    ("Welcome to your Expo app", "Expo"),
    ("bolt.new", "Bolt"),
];

const ARCHITECTURE_NAMES: [&str; 5] = ["architecture", "design", "adr", "overview", "system"];
const RUNBOOK_NAMES: [&str; 6] = [
    "runbook",
    "playbook",
    "operations",
    "oncall",
    "on-call",
    "incident",
];

impl Detector for Docs {
    fn name(&self) -> &'static str {
        "know-docs"
    }

    fn items(&self) -> &'static [&'static str] {
        &["KNOW-DOCS"]
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let docs: Vec<&RepoFile> = repo
            .files
            .iter()
            .filter(|f| {
                let lower = f.path.to_ascii_lowercase();
                (lower.ends_with(".md")
                    || lower.ends_with(".mdx")
                    || lower.ends_with(".rst")
                    || lower.ends_with(".txt"))
                    && !lower.contains("node_modules/")
                    && !lower.starts_with(".github/")
            })
            .collect();
        let readme = repo
            .files
            .iter()
            .filter(|f| {
                let name = f.path.to_ascii_lowercase();
                name == "readme.md"
                    || name == "readme"
                    || name == "readme.rst"
                    || name == "readme.txt"
            })
            .map(|f| f.path.clone())
            .next();
        let readme_text = readme
            .as_deref()
            .and_then(|p| repo.content(p))
            .unwrap_or_default();
        // The template phrase nearest the top is where the finding points.
        let template = TEMPLATES
            .iter()
            .filter_map(|t| {
                readme_text
                    .lines()
                    .position(|l| l.contains(t.0))
                    .map(|line| (line, t))
            })
            .min_by_key(|(line, _)| *line)
            .map(|(_, t)| t);
        let named = |names: &[&str], f: &RepoFile| {
            let lower = f.path.to_ascii_lowercase();
            let stem = lower.rsplit('/').next().unwrap_or(&lower);
            names.iter().any(|n| stem.contains(n))
                || (names.contains(&"adr") && lower.contains("/adr/"))
        };
        let headed = |text: &str, words: &[&str]| {
            text.lines().filter(|l| l.starts_with('#')).any(|l| {
                let l = l.to_ascii_lowercase();
                words.iter().any(|w| l.contains(w))
            })
        };
        let architecture = docs.iter().any(|f| named(&ARCHITECTURE_NAMES, f))
            || headed(
                &readme_text,
                &["architecture", "how it works", "overview", "structure"],
            );
        let runbook = docs.iter().any(|f| named(&RUNBOOK_NAMES, f))
            || headed(
                &readme_text,
                &[
                    "runbook",
                    "deploy",
                    "rollback",
                    "operations",
                    "incident",
                    "troubleshoot",
                ],
            ) && template.is_none();
        // A real README with architecture notes or a runbook is a map to start from.
        if template.is_none() && readme.is_some() && (architecture || runbook) {
            return;
        }
        let mut missing: Vec<String> = Vec::new();
        match (template, &readme) {
            (Some((_, tool)), _) => {
                missing.push(format!("the README is still the {tool} template"))
            }
            (None, None) => missing.push("there is no README".into()),
            _ => {}
        }
        if !architecture {
            missing.push("no architecture notes".into());
        }
        if !runbook {
            missing.push("no runbook".into());
        }
        let searched = vec![
            format!(
                "{} documentation files (*.md, *.mdx, *.rst, *.txt)",
                docs.len()
            ),
            format!(
                "README headings and known template phrases ({})",
                TEMPLATES
                    .iter()
                    .map(|(_, t)| *t)
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "file names with {}",
                ARCHITECTURE_NAMES
                    .iter()
                    .chain(RUNBOOK_NAMES.iter())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ];
        let message = format!("No written map of the system: {}.", missing.join(", "));
        let mut d = match (&readme, template) {
            (Some(path), Some((phrase, _))) => {
                let line = readme_text
                    .lines()
                    .position(|l| l.contains(phrase))
                    .map_or(1, |i| i as u32 + 1);
                Draft::new("KNOW-DOCS", path, line, line, message).anchor("readme template")
            }
            _ => Draft::absence("KNOW-DOCS", message, Vec::new()).anchor("no docs"),
        };
        d.searched = searched;
        d.confidence = Confidence::High;
        for m in &missing {
            d = d.fact(m.clone());
        }
        out.push(d);
    }
}

/// `2025-07-24` for a time in seconds since the epoch (UTC; the civil-from-days algorithm).
pub(super) fn date_of(time: i64) -> String {
    let days = time.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(1_753_376_611), "2025-07-24");
        assert_eq!(date_of(951_782_400), "2000-02-29");
    }

    #[test]
    fn areas_are_folders_or_their_second_level() {
        assert_eq!(
            area_of("supabase/functions/stripe-webhook/index.ts"),
            "supabase/functions"
        );
        assert_eq!(area_of("src/lib/api.ts"), "src/lib");
        assert_eq!(area_of("src/App.tsx"), "src");
        assert_eq!(area_of("scripts/deploy/run.sh"), "scripts");
        assert_eq!(area_of("main.py"), "(root)");
    }
}
