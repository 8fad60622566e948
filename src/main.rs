//! The `plumb` command line: one host of the engine (the desktop app is the other).

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use plumb::index::{IndexOptions, IndexSummary};
use plumb::progress::{Progress, Silent, Stage};
use plumb::workspace::{Workspace, WorkspaceError};

#[derive(Parser)]
#[command(name = "plumb", version, about = "Triage an inherited AI-built codebase: index, map, check, plan.")]
struct Cli {
    /// Plumb's data folder (default: the user's data folder, e.g. ~/.local/share/plumb).
    #[arg(long, global = true, env = "PLUMB_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// A folder of the consultant's own catalogue files (*.toml: items and query rules),
    /// merged over the built-in catalogue.
    #[arg(long, global = true, env = "PLUMB_CATALOGUE_DIR", value_name = "DIR")]
    catalogue: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index a repository: walk, parse, store and build the search index.
    Index {
        repo: PathBuf,
        /// Files larger than this many bytes are not read or parsed.
        #[arg(long, default_value_t = 1024 * 1024)]
        max_file_size: u64,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Full-text search over the repository's code and symbol names.
    Search {
        repo: PathBuf,
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Per-file facts: language, lines of code, complexity, imports, definitions.
    Files {
        repo: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Map the repository: git history (provenance, churn, hotspots, change coupling) and the
    /// import graph (fan-in/out, PageRank, cycles, communities, hidden coupling).
    Map {
        repo: PathBuf,
        #[arg(long, value_enum, default_value_t = MapFormat::Json)]
        format: MapFormat,
        /// Only history since this date (YYYY-MM-DD, UTC).
        #[arg(long, value_parser = parse_date)]
        since: Option<i64>,
        /// At most this many commits, newest first.
        #[arg(long)]
        max_commits: Option<usize>,
    },
    /// Run the triage catalogue's checks (indexes and maps the repository first) and print
    /// the findings.
    Check {
        repo: PathBuf,
        /// Only this catalogue item (repeat for several).
        #[arg(long = "item", value_name = "ID")]
        items: Vec<String>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Triage end to end: index, map and check the repository, record the analysis in the
    /// engagement (verdicts and answers carry over, findings matched by fingerprint), build
    /// the plan and export it (format from the extension: .html .pdf .md .json .sarif).
    Triage {
        repo: PathBuf,
        #[arg(long)]
        client: Option<String>,
        #[arg(long)]
        consultant: Option<String>,
        /// Start a new engagement (a follow-up) instead of re-analysing the current one.
        #[arg(long)]
        new_engagement: bool,
        /// Write the plan here (repeat for several formats).
        #[arg(long, value_name = "FILE")]
        export: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Record the consultant's verdict on a finding (fingerprint or a unique prefix of it), or
    /// many from a file with `--from` (one `<fingerprint> <verdict> [note…]` per line, `-` for
    /// stdin): each is committed on its own and acknowledged on stdout once it is on disk.
    Verdict {
        repo: PathBuf,
        #[arg(required_unless_present = "from")]
        fingerprint: Option<String>,
        #[arg(required_unless_present = "from")]
        verdict: Option<VerdictArg>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with_all = ["fingerprint", "verdict", "note"])]
        from: Option<PathBuf>,
    },
    /// Record the founder's answer to a catalogue item's question.
    Answer {
        repo: PathBuf,
        item: String,
        text: String,
        /// The answer retires the item (e.g. "we take no payments").
        #[arg(long)]
        not_applicable: bool,
    },
    /// The consultant's note on a catalogue item (an empty text removes it).
    Note { repo: PathBuf, item: String, text: String },
    /// Edit a plan line: owner, effort, horizon or position.
    Edit {
        repo: PathBuf,
        fingerprint: String,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long, value_parser = ["S", "M", "L"])]
        effort: Option<String>,
        #[arg(long, value_parser = ["before-spike", "this-quarter", "can-ride"])]
        horizon: Option<String>,
        #[arg(long)]
        position: Option<f64>,
    },
    /// The prioritized remediation plan of the current engagement.
    Plan {
        repo: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write the plan here instead (format from the extension).
        #[arg(long, value_name = "FILE")]
        export: Vec<PathBuf>,
    },
    /// Fixed, new and still-open findings between two engagements (default: the last two).
    Progress {
        repo: PathBuf,
        #[arg(long)]
        from: Option<i64>,
        #[arg(long)]
        to: Option<i64>,
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Build the bundled demo repository (Invoicely, an AI-built SaaS) in the data folder and
    /// triage it.
    Demo {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Time a full index against the floor (walk, read and tree-sitter parse only).
    Bench {
        repo: PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Worker threads for both measurements (0: one per core).
        #[arg(long, default_value_t = 0)]
        threads: usize,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum VerdictArg {
    LoadBearing,
    Cosmetic,
    Dismissed,
    Accepted,
    /// Remove the verdict.
    Clear,
}

impl VerdictArg {
    fn verdict(self) -> Option<plumb::triage::Verdict> {
        use plumb::triage::Verdict;
        match self {
            VerdictArg::LoadBearing => Some(Verdict::LoadBearing),
            VerdictArg::Cosmetic => Some(Verdict::Cosmetic),
            VerdictArg::Dismissed => Some(Verdict::Dismissed),
            VerdictArg::Accepted => Some(Verdict::Accepted),
            VerdictArg::Clear => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MapFormat {
    Json,
    Dot,
}

/// `YYYY-MM-DD` as seconds since the epoch (UTC midnight).
fn parse_date(s: &str) -> Result<i64, String> {
    let bad = || format!("{s:?} is not a date like 2025-01-31");
    let mut parts = s.splitn(3, '-').map(|p| p.parse::<i64>().map_err(|_| bad()));
    let (y, m, d) = (parts.next().ok_or_else(bad)??, parts.next().ok_or_else(bad)??, parts.next().ok_or_else(bad)??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Ok((era * 146_097 + doe - 719_468) * 86_400)
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// An error for the user: one line, and the exit code it deserves.
struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    fn internal(message: impl ToString) -> Failure {
        Failure { message: message.to_string(), code: 1 }
    }

    fn bad_input(message: impl ToString) -> Failure {
        Failure { message: message.to_string(), code: 2 }
    }
}

impl From<WorkspaceError> for Failure {
    fn from(e: WorkspaceError) -> Self {
        Failure { code: if e.is_bad_input() { 2 } else { 1 }, message: e.to_string() }
    }
}

#[global_allocator]
static ALLOCATOR: plumb::MiMalloc = plumb::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let _ = writeln!(std::io::stderr(), "plumb: error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

impl From<plumb::triage::TriageError> for Failure {
    fn from(e: plumb::triage::TriageError) -> Self {
        Failure { code: if e.is_bad_input() { 2 } else { 1 }, message: e.to_string() }
    }
}

impl From<plumb::report::ReportError> for Failure {
    fn from(e: plumb::report::ReportError) -> Self {
        Failure { code: if e.is_bad_input() { 2 } else { 1 }, message: e.to_string() }
    }
}

impl From<plumb::pipeline::AnalyseError> for Failure {
    fn from(e: plumb::pipeline::AnalyseError) -> Self {
        use plumb::pipeline::AnalyseError;
        // A broken catalogue file, or a fingerprint that matches nothing, is the user's input.
        let code = match &e {
            AnalyseError::Catalogue(_) | AnalyseError::Rule(_) => 2,
            AnalyseError::Triage(t) if t.is_bad_input() => 2,
            _ => 1,
        };
        Failure { message: e.to_string(), code }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let data_dir = cli.data_dir.as_deref();
    let loaded = std::cell::OnceCell::new();
    let detectors = || -> Result<&plumb::pipeline::Detectors, Failure> {
        if loaded.get().is_none() {
            let _ = loaded.set(plumb::pipeline::Detectors::load(cli.catalogue.as_deref())?);
        }
        Ok(loaded.get().expect("set above"))
    };
    let default_options = || -> Result<IndexOptions, Failure> { Ok(detectors()?.index_options()) };
    match cli.command {
        Command::Index { repo, max_file_size, format } => {
            let ws = Workspace::open(&repo, data_dir)?;
            let mut options = default_options()?;
            options.walk.max_file_bytes = max_file_size;
            let summary = index_with_progress(&ws, &options, format)?;
            match format {
                Format::Json => print_json(&summary),
                Format::Text => print(&summary_text(&summary)),
            }
        }
        Command::Search { repo, query, limit, format } => {
            let ws = Workspace::open(&repo, data_dir)?;
            index_with_progress(&ws, &default_options()?, format)?;
            let search = plumb::search::SearchIndex::open(&ws.search_dir()).map_err(Failure::internal)?;
            let hits = search.search(&query, limit).map_err(Failure::internal)?;
            match format {
                Format::Json => print_json(&hits),
                Format::Text => {
                    let color = std::io::stdout().is_terminal();
                    let mut out = String::new();
                    for h in &hits {
                        out.push_str(&format!("{}:{}: {}\n", h.path, h.line, highlight(&h.snippet, &h.highlights, color)));
                    }
                    if hits.is_empty() {
                        out.push_str("no matches\n");
                    }
                    print(&out)
                }
            }
        }
        Command::Files { repo, format } => {
            let ws = Workspace::open(&repo, data_dir)?;
            index_with_progress(&ws, &default_options()?, format)?;
            let store = plumb::store::Store::open(&ws.db_path()).map_err(Failure::internal)?;
            let files = store.files().map_err(Failure::internal)?;
            match format {
                Format::Json => print_json(&files),
                Format::Text => {
                    let mut out = format!("{:<60} {:<11} {:>7} {:>6} {:>5} {:>5}\n", "path", "lang", "loc", "cc", "imp", "defs");
                    for f in &files {
                        out.push_str(&format!(
                            "{:<60} {:<11} {:>7} {:>6} {:>5} {:>5}\n",
                            f.path,
                            f.lang.name(),
                            f.loc,
                            f.complexity,
                            f.imports.len(),
                            f.definitions.len()
                        ));
                    }
                    print(&out)
                }
            }
        }
        Command::Map { repo, format, since, max_commits } => {
            let ws = Workspace::open(&repo, data_dir)?;
            index_with_progress(&ws, &default_options()?, Format::Json)?;
            let mut options = plumb::map::MapOptions::default();
            options.history.since = since;
            options.history.max_commits = max_commits;
            let _lock = ws.lock(Duration::from_secs(30))?;
            let map = plumb::map::map(&ws, &options, &Silent).map_err(Failure::internal)?;
            match format {
                MapFormat::Json => print_json(&map),
                MapFormat::Dot => print(&plumb::map::to_dot(&map)),
            }
        }
        Command::Demo { format } => {
            let data = match data_dir {
                Some(d) => d.to_path_buf(),
                None => plumb::workspace::default_data_dir().ok_or_else(|| Failure::from(WorkspaceError::NoDataDir))?,
            };
            let head = plumb::demo::expected_head().map_err(Failure::internal)?;
            let dest = data.join("demo").join(format!("invoicely-{}", &head[..12]));
            let demo = plumb::demo::materialize(&dest).map_err(Failure::internal)?;
            let ws = Workspace::open(&demo.path, data_dir)?;
            let summary = index_with_progress(&ws, &default_options()?, format)?;
            match format {
                Format::Json => print_json(&summary),
                Format::Text => print(&format!(
                    "Demo repository: {} ({} commits)\n{}",
                    demo.path.display(),
                    demo.commits,
                    summary_text(&summary)
                )),
            }
        }
        Command::Check { repo, items, format } => {
            let detectors = detectors()?;
            for id in &items {
                if detectors.catalogue.items().iter().all(|i| !i.id.eq_ignore_ascii_case(id)) {
                    return Err(Failure { message: format!("unknown catalogue item {id:?} (see queries/catalogue or --catalogue)"), code: 2 });
                }
            }
            let ws = Workspace::open(&repo, data_dir)?;
            let _lock = ws.lock(Duration::from_secs(30))?;
            let mut options = plumb::pipeline::AnalyseOptions::default();
            options.checks.items = items;
            let analysis = if std::io::stdout().is_terminal() && format == CheckFormat::Text {
                let bars = Bars::default();
                let r = plumb::pipeline::analyse(&ws, detectors, &options, &bars, now());
                bars.clear();
                r
            } else {
                plumb::pipeline::analyse(&ws, detectors, &options, &Silent, now())
            }?;
            let report = analysis.checks;
            match format {
                CheckFormat::Json => print_json(&report),
                CheckFormat::Sarif => print_json(&plumb::checks::sarif::to_sarif(&report.findings, &detectors.catalogue)),
                CheckFormat::Text => print(&findings_text(&report, &detectors.catalogue)),
            }
        }
        Command::Triage { repo, client, consultant, new_engagement, export, format } => {
            let detectors = detectors()?;
            let ws = Workspace::open(&repo, data_dir)?;
            // A bad export name fails before the long work.
            for out in &export {
                plumb::report::Format::from_path(out)?;
            }
            let _lock = ws.lock(Duration::from_secs(30))?;
            if new_engagement {
                let mut triage = plumb::triage::Triage::open(&ws)?;
                triage.start_engagement(client.as_deref().unwrap_or(""), consultant.as_deref().unwrap_or(""), now())?;
            }
            let options = plumb::pipeline::AnalyseOptions::default();
            let names = (client.as_deref(), consultant.as_deref());
            let run = if std::io::stdout().is_terminal() && format == Format::Text {
                let bars = Bars::default();
                let r = plumb::pipeline::analyse_engagement(&ws, detectors, &options, names, &bars, now());
                bars.clear();
                r
            } else {
                plumb::pipeline::analyse_engagement(&ws, detectors, &options, names, &Silent, now())
            }?;
            let plan = plumb::pipeline::current_plan(&ws, &detectors.catalogue)?;
            let mut written = Vec::new();
            for out in &export {
                let f = plumb::report::export(&plan, &detectors.catalogue, &ws.repo, out)?;
                written.push(format!("{} written to {}", f.name(), out.display()));
            }
            match format {
                Format::Json => print_json(&serde_json::json!({
                    "engagement": run.engagement,
                    "reconciliation": run.reconciliation,
                    "index": run.analysis.index,
                    "plan": plan,
                    "exports": export,
                })),
                Format::Text => {
                    let r = &run.reconciliation;
                    let mut out = format!(
                        "Analysed {} files, {} commits: {} findings ({} new, {} resolved since the last analysis).\n\n",
                        run.analysis.index.files,
                        run.analysis.map.history.commits,
                        r.open,
                        r.new.len(),
                        r.resolved.len()
                    );
                    out.push_str(&plan_text(&plan));
                    for w in written {
                        out.push_str(&format!("\n{w}"));
                    }
                    out.push('\n');
                    print(&out)
                }
            }
        }
        Command::Verdict { repo, fingerprint, verdict, note, from } => {
            let ws = Workspace::open(&repo, data_dir)?;
            let mut triage = plumb::triage::Triage::open(&ws)?;
            let mut record = |fingerprint: &str, verdict: VerdictArg, note: Option<&str>| -> Result<(), Failure> {
                let v = verdict.verdict();
                let full = triage.resolve_fingerprint(fingerprint)?;
                triage.set_verdict(&full, v, note, now())?;
                print(&format!("{}: {}\n", &full, v.map(plumb::triage::Verdict::as_str).unwrap_or("verdict cleared")))
            };
            match (from, fingerprint, verdict) {
                (Some(from), _, _) => {
                    let input: Box<dyn std::io::BufRead> = if from.as_os_str() == "-" {
                        Box::new(std::io::stdin().lock())
                    } else {
                        let file = std::fs::File::open(&from).map_err(|e| Failure::bad_input(format!("cannot read {}: {e}", from.display())))?;
                        Box::new(std::io::BufReader::new(file))
                    };
                    // Line by line, so each verdict is on disk and acknowledged before the next is read.
                    for (n, line) in input.lines().enumerate() {
                        let line = line.map_err(|e| Failure::bad_input(format!("cannot read {}: {e}", from.display())))?;
                        if line.trim().is_empty() {
                            continue;
                        }
                        let mut parts = line.trim().splitn(3, char::is_whitespace);
                        let (fingerprint, verdict) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                        let verdict = VerdictArg::from_str(verdict, true).map_err(|_| {
                            Failure::bad_input(format!("line {}: {verdict:?} is not a verdict (load-bearing, cosmetic, dismissed, accepted, clear)", n + 1))
                        })?;
                        record(fingerprint, verdict, parts.next().map(str::trim))?;
                    }
                    Ok(())
                }
                (None, Some(fingerprint), Some(verdict)) => record(&fingerprint, verdict, note.as_deref()),
                _ => unreachable!("clap requires a fingerprint and a verdict without --from"),
            }
        }
        Command::Answer { repo, item, text, not_applicable } => {
            let item = known_item(detectors()?, &item)?;
            let ws = Workspace::open(&repo, data_dir)?;
            let mut triage = plumb::triage::Triage::open(&ws)?;
            triage.set_answer(&item, &text, not_applicable, now())?;
            print(&format!("{item}: answer recorded{}\n", if not_applicable { " (not applicable)" } else { "" }))
        }
        Command::Note { repo, item, text } => {
            let item = known_item(detectors()?, &item)?;
            let ws = Workspace::open(&repo, data_dir)?;
            let mut triage = plumb::triage::Triage::open(&ws)?;
            triage.set_note(&item, &text, now())?;
            print(&format!("{item}: note recorded\n"))
        }
        Command::Edit { repo, fingerprint, owner, effort, horizon, position } => {
            let ws = Workspace::open(&repo, data_dir)?;
            let mut triage = plumb::triage::Triage::open(&ws)?;
            let full = triage.resolve_fingerprint(&fingerprint)?;
            let mut edit = triage.judgement()?.edits.remove(&full).unwrap_or_default();
            if let Some(o) = owner {
                edit.owner = Some(o).filter(|o| !o.trim().is_empty());
            }
            if let Some(e) = effort {
                edit.effort = plumb::triage::parse_effort(&e);
            }
            if horizon.is_some() {
                edit.horizon = horizon;
            }
            if position.is_some() {
                edit.position = position;
            }
            triage.edit_plan(&full, &edit, now())?;
            print(&format!("{full}: plan line updated\n"))
        }
        Command::Plan { repo, format, export } => {
            let detectors = detectors()?;
            let ws = Workspace::open(&repo, data_dir)?;
            let plan = plumb::pipeline::current_plan(&ws, &detectors.catalogue)?;
            if !export.is_empty() {
                let mut out = String::new();
                for path in &export {
                    let f = plumb::report::export(&plan, &detectors.catalogue, &ws.repo, path)?;
                    out.push_str(&format!("{} written to {}\n", f.name(), path.display()));
                }
                return print(&out);
            }
            match format {
                Format::Json => print_json(&plan),
                Format::Text => print(&plan_text(&plan)),
            }
        }
        Command::Progress { repo, from, to, export, format } => {
            let detectors = detectors()?;
            let ws = Workspace::open(&repo, data_dir)?;
            let triage = plumb::triage::Triage::open(&ws)?;
            let all = triage.engagements()?;
            let pick = |id: Option<i64>, fallback: Option<&plumb::triage::Engagement>| -> Result<plumb::triage::Engagement, Failure> {
                match id {
                    Some(id) => all.iter().find(|e| e.id == id).cloned().ok_or(Failure { message: format!("no engagement {id} (see `plumb progress --format json`)"), code: 2 }),
                    None => fallback.cloned().ok_or(Failure { message: "a progress report needs two engagements: start the follow-up with `plumb triage --new-engagement`".into(), code: 2 }),
                }
            };
            let to = pick(to, all.last())?;
            let from = pick(from, all.iter().rev().find(|e| e.id < to.id))?;
            let (a, b) = (triage.tracked(from.id)?, triage.tracked(to.id)?);
            let report = plumb::plan::progress(&plumb::pipeline::repository_name(&ws), (&from, &a), (&to, &b), &detectors.catalogue);
            if let Some(path) = export {
                let f = plumb::report::export_progress(&report, &ws.repo, &path)?;
                return print(&format!("{} written to {}\n", f.name(), path.display()));
            }
            match format {
                Format::Json => print_json(&report),
                Format::Text => {
                    let mut out = format!("Engagement {} → {}: {} fixed, {} new, {} still open\n", from.id, to.id, report.fixed.len(), report.new.len(), report.still_open.len());
                    for (title, rows) in [("Fixed", &report.fixed), ("New", &report.new), ("Still open", &report.still_open)] {
                        out.push_str(&format!("\n{title}\n"));
                        for r in rows.iter() {
                            out.push_str(&format!("  {:<18} {}  {}\n", r.item, place(&r.path, r.line), r.message));
                        }
                    }
                    print(&out)
                }
            }
        }
        Command::Bench { repo, runs, threads } => {
            let repo = plumb::workspace::validate_repository(&repo)?;
            let report = plumb::bench::index_against_floor(&repo, runs.max(1), threads).map_err(Failure::internal)?;
            print(&report)
        }
    }
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn index_with_progress(ws: &Workspace, options: &IndexOptions, format: Format) -> Result<IndexSummary, Failure> {
    let _lock = ws.lock(Duration::from_secs(30))?;
    let result = if std::io::stdout().is_terminal() && format == Format::Text {
        let bars = Bars::default();
        let r = plumb::index::index(ws, options, &bars, now());
        bars.clear();
        r
    } else {
        plumb::index::index(ws, options, &Silent, now())
    };
    result.map_err(Failure::internal)
}

/// Progress bars on stderr, only when stdout is a terminal.
#[derive(Default)]
struct Bars(Mutex<Option<ProgressBar>>);

impl Bars {
    fn clear(&self) {
        if let Some(bar) = self.0.lock().expect("bar lock").take() {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bars {
    fn start(&self, stage: Stage, total: u64) {
        self.clear();
        let bar = if total > 0 { ProgressBar::new(total) } else { ProgressBar::new_spinner() };
        let template = if total > 0 { "{spinner} {msg:28} [{bar:30}] {pos}/{len} {elapsed}" } else { "{spinner} {msg:28} {elapsed}" };
        bar.set_style(ProgressStyle::with_template(template).expect("valid template").progress_chars("=> "));
        bar.set_message(stage.label());
        bar.enable_steady_tick(Duration::from_millis(120));
        *self.0.lock().expect("bar lock") = Some(bar);
    }
    fn advance(&self, n: u64) {
        if let Some(bar) = &*self.0.lock().expect("bar lock") {
            bar.inc(n);
        }
    }
    fn finish(&self, _: Stage) {
        self.clear();
    }
}

fn summary_text(s: &IndexSummary) -> String {
    let mut out = format!("Indexed {} in {:.2} s\n", s.repository, s.elapsed_ms as f64 / 1000.0);
    let skipped: u64 = s.skipped.values().sum();
    out.push_str(&format!("  {} files: {} parsed, {} text only, {} skipped\n", s.files, s.parsed, s.text_only, skipped));
    out.push_str(&format!("  {:<12} {:>7} {:>7} {:>9}\n", "language", "files", "parsed", "loc"));
    for (lang, c) in &s.by_language {
        out.push_str(&format!("  {:<12} {:>7} {:>7} {:>9}\n", lang, c.files, c.parsed, c.loc));
    }
    if !s.skipped.is_empty() {
        let parts: Vec<String> = s.skipped.iter().map(|(r, n)| format!("{n} {r}")).collect();
        out.push_str(&format!("  skipped files: {}\n", parts.join(", ")));
    }
    if !s.skipped_folders.is_empty() {
        let parts: Vec<String> = s.skipped_folders.iter().map(|(r, n)| format!("{n} {r}")).collect();
        out.push_str(&format!("  skipped folders: {}\n", parts.join(", ")));
    }
    out.push_str(&format!("  this run: {} new or changed, {} unchanged, {} removed\n", s.reparsed, s.unchanged, s.removed));
    if !s.diagnostics.is_empty() {
        out.push_str(&format!("  {} diagnostics:\n", s.diagnostics.len()));
        for d in s.diagnostics.iter().take(20) {
            out.push_str(&format!("    {} ({}): {}\n", d.path, d.stage, d.message));
        }
        if s.diagnostics.len() > 20 {
            out.push_str(&format!("    … and {} more (see --format json)\n", s.diagnostics.len() - 20));
        }
    }
    out
}

fn findings_text(report: &plumb::checks::CheckReport, catalogue: &plumb::catalogue::Catalogue) -> String {
    use plumb::checks::Class;
    let mut out = String::new();
    for class in [Class::LoadBearing, Class::Cosmetic] {
        let of_class: Vec<_> = report.findings.iter().filter(|f| f.class == class).collect();
        out.push_str(&format!("{} ({})\n", if class == Class::LoadBearing { "Load-bearing" } else { "Cosmetic" }, of_class.len()));
        for f in of_class {
            let place = match (f.path.is_empty(), f.line) {
                (true, _) => "(repository)".to_string(),
                (false, 0) => f.path.clone(),
                (false, line) => format!("{}:{line}", f.path),
            };
            let title = catalogue.get(&f.item).map_or("", |i| i.title.as_str());
            let severity = format!("{:?}", f.severity).to_lowercase();
            out.push_str(&format!("  {severity:<8} {:<22} {place}\n           {}\n           {title} [{}]\n", f.item, f.message, f.fingerprint));
        }
        out.push('\n');
    }
    for d in &report.diagnostics {
        out.push_str(&format!("note: {}\n", d.message));
    }
    out
}

fn highlight(snippet: &str, ranges: &[(usize, usize)], color: bool) -> String {
    let line = |s: &str| s.replace(['\n', '\r'], " ");
    if !color {
        return line(snippet.trim());
    }
    let mut out = String::new();
    let mut at = 0;
    for &(s, e) in ranges {
        if s < at || e > snippet.len() || !snippet.is_char_boundary(s) || !snippet.is_char_boundary(e) {
            continue;
        }
        out.push_str(&line(&snippet[at..s]));
        out.push_str("\x1b[1;31m");
        out.push_str(&line(&snippet[s..e]));
        out.push_str("\x1b[0m");
        at = e;
    }
    out.push_str(&line(&snippet[at..]));
    out.trim().to_string()
}

/// The catalogue's spelling of an item id typed by the user.
fn known_item(detectors: &plumb::pipeline::Detectors, id: &str) -> Result<String, Failure> {
    detectors
        .catalogue
        .items()
        .iter()
        .find(|i| i.id.eq_ignore_ascii_case(id))
        .map(|i| i.id.clone())
        .ok_or(Failure { message: format!("unknown catalogue item {id:?} (see queries/catalogue or --catalogue)"), code: 2 })
}

fn place(path: &str, line: u32) -> String {
    match (path.is_empty(), line) {
        (true, _) => "(repository)".to_string(),
        (false, 0) => path.to_string(),
        (false, l) => format!("{path}:{l}"),
    }
}

fn plan_text(plan: &plumb::plan::Plan) -> String {
    let h = &plan.headline;
    let e = &plan.engagement;
    let mut out = format!(
        "Plan for {}{}{} — {} load-bearing, {} cosmetic, {} accepted, {} dismissed\n",
        plan.repository,
        if e.client.is_empty() { String::new() } else { format!(" ({})", e.client) },
        e.commit.as_deref().map(|c| format!(" at {}", &c[..c.len().min(12)])).unwrap_or_default(),
        h.load_bearing,
        h.cosmetic,
        h.accepted,
        h.dismissed
    );
    for horizon in &plan.horizons {
        out.push_str(&format!("\n{} ({} lines, {})\n", horizon.title, horizon.lines.len(), horizon.effort.label()));
        for l in &horizon.lines {
            out.push_str(&format!(
                "{:>3}. {:<18} {}  [{}]\n     {}\n     priority {:.1} = impact {} × (1 + exposure {} + likelihood {}) × confidence {} ÷ effort {} ({}){}{}\n",
                l.rank,
                l.item,
                place(&l.path, l.line),
                &l.fingerprint[..l.fingerprint.len().min(12)],
                l.message,
                l.priority,
                l.factors.impact.score,
                l.factors.exposure.score,
                l.factors.likelihood.score,
                l.factors.confidence.score,
                plumb::triage::effort_name(l.effort),
                l.effort_label(),
                l.verdict.map(|v| format!("; verdict: {}", v.as_str())).unwrap_or_default(),
                l.owner.as_deref().map(|o| format!("; owner: {o}")).unwrap_or_default(),
            ));
        }
    }
    out.push_str("\nWorkstreams\n");
    for w in plan.workstreams.iter().filter(|w| w.lines > 0) {
        out.push_str(&format!("  {:<12} {:>3} lines  {}\n", w.title, w.lines, w.effort.label()));
    }
    out
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(value).map_err(Failure::internal)?;
    text.push('\n');
    print(&text)
}

/// Writes to stdout; a closed pipe (`plumb … | head`) is success, not an error.
fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::internal(e)),
    }
}

