//! AUTH-RLS: in a Supabase project the anon key ships in the browser, so every table of an
//! exposed schema is reachable with it. Reads the schema as all migrations leave it: tables
//! without row-level security, and policies that let anyone through (`USING (true)`,
//! `auth.role() = 'authenticated'`) on tables that hold customer data.

use std::collections::HashSet;

use super::words;
use crate::catalogue::Severity;
use crate::checks::{Confidence, Draft, Repo};
use crate::schema::sql::PolicyCommand;
use crate::schema::{Policy, Table};

pub const ITEM: &str = "AUTH-RLS";

/// A policy expression that admits every row: `true`, `auth.role() = 'authenticated'`,
/// `auth.uid() is not null`. Returns how it reads.
pub fn permissive(policy: &Policy) -> Option<&'static str> {
    let open = |expr: &Option<String>| expr.as_deref().and_then(admits_everyone);
    open(&policy.using).or_else(|| open(&policy.with_check))
}

fn admits_everyone(expr: &str) -> Option<&'static str> {
    let e: String = expr
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')')
        .collect();
    let e = e.replace("selectauth.", "auth.");
    match e.as_str() {
        "true" | "1=1" => Some("true"),
        "auth.role='authenticated'" | "auth.jwt->>'role'='authenticated'" => {
            Some("any signed-in user")
        }
        "auth.uidisnotnull" | "auth.uid<>null" => Some("any signed-in user"),
        _ => None,
    }
}

/// The project talks to its database through Supabase, so the anon key is public.
fn supabase_project(repo: &Repo) -> bool {
    repo.files
        .iter()
        .any(|f| f.path.starts_with("supabase/") || f.path.contains("/supabase/migrations/"))
        || repo
            .external
            .iter()
            .flatten()
            .any(|p| p.contains("@supabase/supabase-js") || p.contains("supabase-js"))
}

/// Schemas PostgREST serves (`[api] schemas` in supabase/config.toml; `public` by default).
fn exposed_schemas(repo: &Repo) -> HashSet<String> {
    let mut out: HashSet<String> = ["public".to_string()].into();
    if let Some(text) = repo.content("supabase/config.toml") {
        if let Ok(t) = text.parse::<toml::Table>() {
            if let Some(list) = t
                .get("api")
                .and_then(|a| a.get("schemas"))
                .and_then(|s| s.as_array())
            {
                out.extend(list.iter().filter_map(|v| v.as_str()).map(str::to_string));
            }
        }
    }
    out
}

/// Customer data: rows that belong to a user or tenant, personal data, or a child of such a
/// table (`invoice_items` → `invoices.org_id`).
fn customer_data(table: &Table, tables: &[Table], depth: u8) -> Option<String> {
    for c in &table.columns {
        let t = words::tokens(&c.name);
        if words::is_owner_column(&c.name)
            || t.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "email" | "password" | "phone" | "address" | "ssn" | "iban"
                )
            })
        {
            return Some(format!("column {}", c.name));
        }
        if c.references
            .as_ref()
            .is_some_and(|r| r.table.ends_with("auth.users") || r.table == "auth.users")
        {
            return Some(format!("{} references auth.users", c.name));
        }
    }
    if depth < 3 {
        for fk in &table.foreign_keys {
            let parent = fk
                .references_table
                .rsplit('.')
                .next()
                .unwrap_or(&fk.references_table);
            if let Some(p) = tables
                .iter()
                .find(|t| t.name == parent && t.name != table.name)
            {
                if customer_data(p, tables, depth + 1).is_some() {
                    return Some(format!(
                        "belongs to {} through {}",
                        p.name,
                        fk.columns.join(", ")
                    ));
                }
            }
        }
    }
    None
}

/// `revoke all on table x from anon, authenticated` in any migration.
fn revoked(repo: &Repo, table: &Table) -> bool {
    let needle = table.name.to_ascii_lowercase();
    repo.files
        .iter()
        .filter(|f| f.roles.migration)
        .filter_map(|f| repo.content(&f.path))
        .any(|text| {
            text.to_ascii_lowercase().split(';').any(|stmt| {
                let s = stmt.split_whitespace().collect::<Vec<_>>().join(" ");
                s.starts_with("revoke") && s.contains(&needle) && s.contains("anon")
            })
        })
}

pub fn check(repo: &Repo, out: &mut Vec<Draft>) {
    if !supabase_project(repo) {
        return;
    }
    let schemas = exposed_schemas(repo);
    let tables = &repo.schema.tables;
    for t in tables
        .iter()
        .filter(|t| schemas.contains(&t.schema) && !t.origin.path.ends_with(".prisma"))
    {
        let data = customer_data(t, tables, 0);
        if !t.rls_enabled {
            if revoked(repo, t) {
                continue;
            }
            let (message, severity) = match &data {
                Some(why) => (
                    format!(
                        "{} never gets ENABLE ROW LEVEL SECURITY in any migration: with the public anon key anyone can read, change and delete every row ({why})",
                        t.qualified_name()
                    ),
                    None,
                ),
                None => (
                    format!(
                        "{} never gets ENABLE ROW LEVEL SECURITY: anyone with the public anon key can change or delete its rows",
                        t.qualified_name()
                    ),
                    Some(Severity::Medium),
                ),
            };
            let mut d = Draft::new(ITEM, &t.origin.path, t.origin.line, t.origin.line, message)
                .confidence(Confidence::High)
                .anchor(format!("{}:no-rls", t.qualified_name()))
                .searched("ALTER TABLE … ENABLE ROW LEVEL SECURITY and REVOKE … FROM anon in every migration, in order")
                .auth();
            if let Some(s) = severity {
                d = d.severity(s);
            }
            out.push(d);
            continue;
        }
        let Some(why) = data else { continue };
        for p in &t.policies {
            let Some(reads_as) = permissive(p) else {
                continue;
            };
            let roles_open = p.roles.is_empty()
                || p.roles
                    .iter()
                    .any(|r| matches!(r.as_str(), "public" | "anon" | "authenticated"));
            if !p.permissive || !roles_open {
                continue;
            }
            let insert_only = p.command == PolicyCommand::Insert;
            if insert_only && !t.columns.iter().any(|c| words::is_owner_column(&c.name)) {
                continue; // an open insert into a public form table (waitlist, contact) is by design
            }
            let who = if reads_as == "true" {
                if p.roles.iter().all(|r| r == "authenticated") && !p.roles.is_empty() {
                    "every signed-in user"
                } else {
                    "anyone with the anon key"
                }
            } else {
                "every signed-in user of every tenant"
            };
            let verb = match p.command {
                PolicyCommand::Select => "read",
                PolicyCommand::Insert => "insert",
                PolicyCommand::Update => "update",
                PolicyCommand::Delete => "delete",
                PolicyCommand::All => "read and change",
            };
            out.push(
                Draft::new(
                    ITEM,
                    &p.origin.path,
                    p.origin.line,
                    p.origin.line,
                    format!(
                        "Policy \"{}\" on {} admits {reads_as}: {who} can {verb} every row, across tenants ({why})",
                        p.name,
                        t.qualified_name()
                    ),
                )
                .confidence(Confidence::High)
                .anchor(format!("{}:policy:{}", t.qualified_name(), p.name))
                .related(&t.origin.path, t.origin.line, format!("{} is created here", t.name))
                .auth(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_expressions() {
        assert_eq!(admits_everyone("true"), Some("true"));
        assert_eq!(admits_everyone("( true )"), Some("true"));
        assert_eq!(
            admits_everyone("auth.role() = 'authenticated'"),
            Some("any signed-in user")
        );
        assert_eq!(
            admits_everyone("(select auth.uid()) is not null"),
            Some("any signed-in user")
        );
        assert_eq!(admits_everyone("auth.uid() = user_id"), None);
    }
}
