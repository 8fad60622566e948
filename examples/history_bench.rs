//! Times history + coupling on a generated repository.
//! `cargo run --release --example history_bench -- [DEST] [COMMITS] [FILES]`
//! (defaults: /tmp/plumb-history-bench 20000 5000). Compare with
//! `git -C DEST log --name-status --no-renames > /dev/null`.

use std::path::PathBuf;
use std::time::Instant;

use plumb::bench_gen::generate_history_repo;
use plumb::history::{coupling, file_stats, read_history, sum_of_coupling, CouplingOptions, HistoryOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dest = PathBuf::from(args.first().map_or("/tmp/plumb-history-bench", String::as_str));
    let commits: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let files: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    if !dest.join(".git").exists() {
        let start = Instant::now();
        let generated = generate_history_repo(&dest, commits, files, 1).expect("generate");
        eprintln!("generated {generated:?} in {:.2?}", start.elapsed());
    }
    let start = Instant::now();
    let window_months: u32 = std::env::var("WINDOW_MONTHS").ok().and_then(|w| w.parse().ok()).unwrap_or(12);
    let opts = HistoryOptions { window_months, ..HistoryOptions::default() };
    let history = read_history(&dest, &opts, &|done, total| {
        if done == total {
            eprintln!("  pass done: {done}/{total} at {:.2?}", start.elapsed());
        }
    })
    .expect("read");
    let read = start.elapsed();
    let pairs = coupling(&history, &CouplingOptions::default());
    let soc = sum_of_coupling(&history, &CouplingOptions::default());
    let stats = file_stats(&history);
    let total = start.elapsed();
    let in_window = history.commits.iter().filter(|c| c.in_window).count();
    println!(
        "commits {} (in window {in_window}), head files {}, pairs {}, soc {}, stats {}, diagnostics {}",
        history.commits.len(),
        history.head_files.len(),
        pairs.len(),
        soc.len(),
        stats.len(),
        history.diagnostics.len()
    );
    println!("history {read:.2?}, history + coupling + stats {total:.2?}");
}
