//! `plumb bench`: a full, cold index against the floor on the same files and thread count
//! (walk, read every file, tree-sitter parse only), and what the checks add to it (the
//! detectors' per-file scans during indexing plus the check phase). Runs alternate so drift
//! hits every figure.

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::extract;
use crate::index::{self, IndexOptions};
use crate::progress::Silent;
use crate::walk::{self, WalkOptions};
use crate::workspace::Workspace;

pub fn index_against_floor(repo: &Path, runs: usize, threads: usize) -> anyhow::Result<String> {
    let threads = if threads == 0 { std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) } else { threads };
    let mut floor = Vec::new();
    let mut extraction = Vec::new();
    let mut full = Vec::new();
    let mut checked = Vec::new();
    let mut check_phase = Vec::new();
    let mut detector_times = Vec::new();
    let scanner = std::sync::Arc::new(crate::checks::Scanner::builtin());
    let catalogue = crate::catalogue::Catalogue::builtin();
    let mut files = 0;
    let mut bytes = 0;
    for _ in 0..runs {
        let (t, n, b) = floor_once(repo, threads, false)?;
        floor.push(t);
        extraction.push(floor_once(repo, threads, true)?.0);
        files = n;
        bytes = b;
        let data = tempfile::tempdir()?;
        let ws = Workspace::open(repo, Some(data.path()))?;
        let start = Instant::now();
        index::index(&ws, &IndexOptions { threads, scanner: None, ..IndexOptions::default() }, &Silent, 0)?;
        full.push(start.elapsed());

        let data = tempfile::tempdir()?;
        let ws = Workspace::open(repo, Some(data.path()))?;
        let start = Instant::now();
        index::index(&ws, &IndexOptions { threads, scanner: Some(scanner.clone()), ..IndexOptions::default() }, &Silent, 0)?;
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
        let check_start = Instant::now();
        let report = pool.install(|| crate::checks::check(&ws, &scanner, &catalogue, &Default::default(), &Silent))?;
        check_phase.push(check_start.elapsed());
        checked.push(start.elapsed());
        detector_times = report.detector_times;
    }
    let (f, x, i, c) = (median(&mut floor), median(&mut extraction), median(&mut full), median(&mut checked));
    let phase = median(&mut check_phase);
    let slowest = |times: &[(&str, Duration)], per: f64| -> String {
        times.iter().take(6).map(|(name, t)| format!("{name} {:.3} s", t.as_secs_f64() / per)).collect::<Vec<_>>().join(", ")
    };
    let scans = slowest(&scanner.scan_times(), runs as f64);
    let checks = slowest(&detector_times, 1.0);
    let ratio = i.as_secs_f64() / f.as_secs_f64().max(1e-9);
    let check_ratio = c.as_secs_f64() / i.as_secs_f64().max(1e-9);
    Ok(format!(
        "repository: {}\nfiles parsed by the floor: {files} ({:.1} MB), threads: {threads}, runs: {runs}\n\
         floor (walk + read + tree-sitter parse only): median {:.3} s\n\
         walk + read + parse + query extraction (no store, no search): median {:.3} s\n\
         full index (cold: walk, read, hash, parse, extract, store, search index): median {:.3} s\n\
         ratio full / floor: {ratio:.2}x\n\
         index with the detectors' scans, then the checks (git history included): median {:.3} s\n\
         ratio with checks / full index: {check_ratio:.2}x\n\
         of which the check phase: median {:.3} s, the SEC-SECRETS check in it (it reads the whole git history): {:.3} s (last run)\n\
         slowest scans (CPU per run): {scans}\n\
         slowest checks (last run): {checks}\n",
        repo.display(),
        bytes as f64 / 1e6,
        f.as_secs_f64(),
        x.as_secs_f64(),
        i.as_secs_f64(),
        c.as_secs_f64(),
        phase.as_secs_f64(),
        detector_times.iter().find(|(name, _)| *name == "sec-secrets").map_or(0.0, |(_, t)| t.as_secs_f64()),
    ))
}

fn floor_once(repo: &Path, threads: usize, with_queries: bool) -> anyhow::Result<(Duration, usize, usize)> {
    let options = WalkOptions::default();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).stack_size(64 << 20).build()?;
    let start = Instant::now();
    let walked = walk::walk(repo, &options);
    let (count, bytes) = pool.install(|| {
        walked
            .files
            .par_iter()
            .map(|f| {
                let mut buf = Vec::new();
                let ok = std::fs::File::open(&f.abs).and_then(|h| h.take(options.max_file_bytes + 1).read_to_end(&mut buf)).is_ok();
                if !ok || !f.lang.is_parsed() || walk::content_reason(&buf, &options).is_some() {
                    return (0, 0);
                }
                let text = String::from_utf8(buf).unwrap_or_default();
                let parsed = if with_queries {
                    extract::extract(f.lang, &text).is_ok()
                } else {
                    extract::parse(f.lang, &text, extract::parse_budget(text.len())).is_ok()
                };
                (usize::from(parsed), text.len())
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    Ok((start.elapsed(), count, bytes))
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}
