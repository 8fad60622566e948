//! AUTH-CACHE-KEY: responses computed for one caller, cached where the next caller gets them.
//! Server caches (Map/LRU/Redis, Flask-Caching) keyed without the user or tenant, Next.js
//! `unstable_cache` closures over the session with constant key parts, `dynamic =
//! "force-static"` on pages that read the session, `Cache-Control: public` on authenticated
//! responses, and client query caches (React Query, SWR) with constant keys for the caller's
//! data that are never cleared on sign-out.

use std::collections::HashSet;

use super::model::FileScan;
use super::protection::Index;
use super::words;
use crate::catalogue::Severity;
use crate::checks::{Confidence, Draft, RepoFile};

pub const ITEM: &str = "AUTH-CACHE-KEY";

pub fn check(index: &Index, scans: &[(&RepoFile, FileScan)], out: &mut Vec<Draft>) {
    for site in &index.sites {
        let e = site.endpoint;
        let protection = index.protection(site);
        let callers = protection.is_some() || e.user_client;
        if !callers {
            continue;
        }
        let whose = match &protection {
            Some(p) => format!("computed for the caller authenticated by {}", p.by),
            None => "computed under the caller's row-level security (their token)".to_string(),
        };
        let mut seen: HashSet<(String, String)> = HashSet::new();
        for c in &e.caches {
            if words::key_identifies_caller(&c.key)
                || !seen.insert((c.cache.clone(), c.key.clone()))
            {
                continue;
            }
            out.push(
                Draft::new(
                    ITEM,
                    &site.file.path,
                    c.line,
                    c.line,
                    format!(
                        "{}: the response is {whose} but cached in {} under {}, a key with no user or tenant in it: the next caller from any organization gets it",
                        site.label(),
                        c.cache,
                        c.key
                    ),
                )
                .confidence(Confidence::High)
                .anchor(format!("{}:{}:{}", e.name, c.cache, c.key))
                .auth(),
            );
        }
        if let Some(line) = e.public_cache {
            out.push(
                Draft::new(
                    ITEM,
                    &site.file.path,
                    line,
                    line,
                    format!(
                        "{}: the response is {whose} but marked Cache-Control public (shared caches and CDNs may serve it to other users)",
                        site.label()
                    ),
                )
                .confidence(Confidence::High)
                .anchor(format!("{}:cache-control", e.name))
                .auth(),
            );
        }
    }
    let cleared = scans.iter().any(|(_, s)| s.clears_query_cache);
    for (file, scan) in scans {
        if file.roles.test {
            continue;
        }
        for c in &scan.caches {
            out.push(
                Draft::new(
                    ITEM,
                    &file.path,
                    c.line,
                    c.line,
                    format!(
                        "unstable_cache wraps a function that reads the caller's session or ids from the surrounding scope, but its key parts {} do not include them: every user gets the first user's result",
                        c.key
                    ),
                )
                .confidence(Confidence::High)
                .anchor(format!("unstable_cache:{}", c.key))
                .auth(),
            );
        }
        let reads_session = file
            .traits
            .calls
            .iter()
            .any(|c| words::is_auth_callee(c) || c == "cookies" || c == "headers");
        for s in &scan.segment {
            let force_static = s.name == "dynamic" && s.value.contains("force-static");
            if force_static && reads_session {
                out.push(
                    Draft::new(
                        ITEM,
                        &file.path,
                        s.line,
                        s.line,
                        "export const dynamic = \"force-static\" renders this route once and serves it to everyone, but it reads the session or cookies: the response is user-specific".to_string(),
                    )
                    .confidence(Confidence::Medium)
                    .anchor("force-static")
                    .auth(),
                );
            }
        }
        if !cleared {
            for q in &scan.query_keys {
                out.push(
                    Draft::new(
                        ITEM,
                        &file.path,
                        q.line,
                        q.line,
                        format!(
                            "{} caches the caller's data (its fetcher uses {}) under the constant key {}, and nothing clears the query cache on sign-out: the next account signed in on this browser sees it",
                            q.hook, q.identity, q.key
                        ),
                    )
                    .confidence(Confidence::Medium)
                    .severity(Severity::Medium)
                    .anchor(format!("{}:{}", q.hook, q.key))
                    .searched("queryClient.clear/removeQueries/resetQueries and cache.clear calls in the repository")
                    .auth(),
                );
            }
        }
    }
}
