//! The `plumb` command line: one host of the engine (the desktop app is the other).

use std::io::{IsTerminal, Write};
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
}

impl From<WorkspaceError> for Failure {
    fn from(e: WorkspaceError) -> Self {
        Failure { code: if e.is_bad_input() { 2 } else { 1 }, message: e.to_string() }
    }
}

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

impl From<plumb::pipeline::AnalyseError> for Failure {
    fn from(e: plumb::pipeline::AnalyseError) -> Self {
        use plumb::pipeline::AnalyseError;
        // A broken catalogue file is the user's input.
        let code = if matches!(e, AnalyseError::Catalogue(_) | AnalyseError::Rule(_)) { 2 } else { 1 };
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

