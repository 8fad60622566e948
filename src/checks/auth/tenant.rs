//! AUTH-TENANT: a signed-in caller selects a record by an id (or a tenant id) from the request,
//! and nothing ties the record to them: no owner filter in the query, no ownership comparison
//! after it, no membership lookup, and either a client that bypasses row-level security or a
//! table without it.

use super::model::Store;
use super::protection::Index;
use super::words;
use crate::checks::{Confidence, Draft};
use crate::schema::Table;

pub const ITEM: &str = "AUTH-TENANT";

/// Row-level security that actually scopes rows: enabled, with at least one policy that is
/// not `true` for everyone.
fn rls_scopes(table: &Table) -> bool {
    table.rls_enabled
        && !table.policies.is_empty()
        && !table
            .policies
            .iter()
            .any(|p| super::rls::permissive(p).is_some())
}

pub fn check(index: &Index, out: &mut Vec<Draft>) {
    for site in &index.sites {
        let e = site.endpoint;
        let Some(protection) = index.protection(site) else {
            continue;
        };
        for r in &e.records {
            if r.owner_filter || r.membership {
                continue;
            }
            let checked_after = e.owner_checks.iter().any(|&l| !r.write || l < r.line);
            if checked_after {
                continue;
            }
            let table = index.repo.schema.table(&r.table);
            let (why, confidence, related) = match r.store {
                Store::Supabase if index.privileged(site, &r.client) => (
                    format!(
                        "through {}, the service-role client that bypasses row-level security",
                        r.client
                    ),
                    Confidence::High,
                    None,
                ),
                Store::Supabase => match table {
                    Some(t) if !rls_scopes(t) => (
                        format!(
                            "and {} has no row-level security policy that scopes it",
                            t.name
                        ),
                        Confidence::Medium,
                        Some(t),
                    ),
                    _ => continue,
                },
                Store::Orm | Store::Sql => (
                    "with the server's own database credentials (no row-level security)"
                        .to_string(),
                    Confidence::High,
                    None,
                ),
            };
            let tenant_column = words::is_owner_column(&r.column);
            let message = if tenant_column {
                format!(
                    "{}: {} is filtered by {} taken from the request ({}) instead of the signed-in caller, {why}: any signed-in user can pass another tenant's {}",
                    site.label(),
                    r.table,
                    r.column,
                    r.value,
                    r.column
                )
            } else {
                format!(
                    "{}: {} is {} by {} from the request ({}) with no owner or tenant filter, {why}: any signed-in user can {} another customer's record by changing the id",
                    site.label(),
                    r.table,
                    if r.write { "changed" } else { "read" },
                    r.column,
                    r.value,
                    if r.write { "change" } else { "read" }
                )
            };
            let mut d = Draft::new(ITEM, &site.file.path, r.line, r.end_line, message)
                .confidence(confidence)
                .anchor(format!("{}:{}.{}", e.name, r.table, r.column))
                .fact(format!("caller authenticated by {}", protection.by))
                .searched("owner/tenant filters in the query (user_id, org_id, owner…), ownership comparisons after it, membership lookups, row-level security on the table")
                .auth();
            if r.write {
                d = d.data_write();
            }
            if let Some(t) = related.or(table) {
                d = d.related(
                    &t.origin.path,
                    t.origin.line,
                    format!("{} is created here", t.name),
                );
            }
            out.push(d);
        }
    }
}
