//! AUTH detectors: who can reach what. See the catalogue (`queries/catalogue/auth.toml`) for
//! what each item means.
//!
//! One scan reads every server file's endpoints ([`model::FileScan`]: handlers with the
//! authentication, data access, record lookups and caches found in each, router guards and
//! mounts, helpers, clients, Next.js middleware). The check half joins them across files
//! ([`protection::Index`]: helpers in imported files, routers mounted behind middleware,
//! `middleware.ts` matchers, Supabase `verify_jwt`) and reports AUTH-ROUTE, AUTH-TENANT,
//! AUTH-CACHE-KEY and AUTH-DANGER-ENDPOINT. AUTH-RLS reads the replayed schema; AUTH-PRIV-KEY
//! has its own scan of keys and client-exposed variables and follows imports into the bundle.

mod analysis;
mod cache;
mod js;
mod keys;
mod model;
mod protection;
mod python;
mod rls;
mod route;
mod tenant;
mod text;
mod words;

use super::{keep, Detector, Draft, Repo, RepoFile, SourceFile};
use crate::lang::Lang;

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(Endpoints),
        Box::new(RowLevelSecurity),
        Box::new(keys::PrivilegedKeys),
    ]
}

struct Endpoints;

impl Detector for Endpoints {
    fn name(&self) -> &'static str {
        "auth-endpoints"
    }

    fn items(&self) -> &'static [&'static str] {
        &[route::ROUTE, tenant::ITEM, cache::ITEM, route::DANGER]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test() || file.tree.is_none() {
            return None;
        }
        let scan = match file.lang {
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript => js::scan(file),
            Lang::Python => python::scan(file),
            _ => None,
        }?;
        keep(&scan, scan.is_empty())
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let scans: Vec<(&RepoFile, model::FileScan)> = repo.facts(self.name());
        let index = protection::Index::new(repo, &scans);
        route::check_routes(&index, out);
        route::check_danger(&index, out);
        tenant::check(&index, out);
        cache::check(&index, &scans, out);
    }
}

struct RowLevelSecurity;

impl Detector for RowLevelSecurity {
    fn name(&self) -> &'static str {
        "auth-rls"
    }

    fn items(&self) -> &'static [&'static str] {
        &[rls::ITEM]
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        rls::check(repo, out);
    }
}
