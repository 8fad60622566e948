//! DATA detectors: the data layer under growth. See the catalogue (`queries/catalogue/data.toml`)
//! for what each item means.
//!
//! One scan (`access`, over the `data_access` check query) reads every query site, per-item
//! call in a loop, group of writes and read-modify-write of a file; the checks join those
//! with the schema the migrations leave (`repo.schema`) and with where the code runs:
//! - DATA-INDEX: filters and sorts on columns no index leads with, one finding per column at
//!   its most exposed query site, other sites and the table's migration as related places;
//! - DATA-UNBOUNDED: list reads with no limit, range, pagination or single-row key;
//! - DATA-NPLUS1: awaited queries, HTTP, email and SDK calls per item of a loop;
//! - DATA-MIGRATIONS: destructive or locking steps with no backfill, migrations edited after
//!   later ones, and a database queried with no migration history at all;
//! - DATA-TXN: a function's writes in separate steps outside a transaction, and counters
//!   updated from a value read into the application;
//! - DATA-CONSTRAINTS: identity columns without UNIQUE and references without FOREIGN KEY.

mod access;
mod sql;

use std::collections::{BTreeMap, HashMap, HashSet};

use access::{ColumnUse, DataScan, DrizzleTable, Filter, Op, Site};

use super::{keep, Confidence, Detector, Draft, Repo, RepoFile, SourceFile};
use crate::lang::Lang;
use crate::schema::{Column, IndexKey, RiskyKind, Table};

/// The scan key of the shared data-access scan.
const SCAN: &str = "data";

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(DataAccess),
        Box::new(MissingIndex),
        Box::new(UnboundedList),
        Box::new(CallsInLoops),
        Box::new(RiskyMigrations),
        Box::new(NoTransaction),
        Box::new(MissingConstraints),
    ]
}

/// The scan every DATA check reads; it reports nothing itself.
struct DataAccess;

impl Detector for DataAccess {
    fn name(&self) -> &'static str {
        SCAN
    }
    fn items(&self) -> &'static [&'static str] {
        &[]
    }
    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        let scan = access::scan(file);
        keep(&scan, scan.is_empty())
    }
    fn check(&self, _repo: &Repo, _out: &mut Vec<Draft>) {}
}

// ---------------------------------------------------------------------------------------
// Shared helpers.

/// Files whose code runs outside requests: scripts, seeds, one-off jobs and migrations.
fn is_offline_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let in_folder =
        |f: &str| lower.starts_with(&format!("{f}/")) || lower.contains(&format!("/{f}/"));
    [
        "scripts",
        "script",
        "bin",
        "seeds",
        "seed",
        "migrations",
        "alembic",
        "tools",
        "management/commands",
        "prisma/seed",
    ]
    .iter()
    .any(|f| in_folder(f))
        || lower
            .rsplit('/')
            .next()
            .is_some_and(|n| n.starts_with("seed"))
}

fn on_request_path(repo: &Repo, file: &RepoFile) -> bool {
    file.roles.entry.is_some() || repo.reachable_from_entry(&file.path)
}

/// The scans of production files (tests and offline scripts left out).
fn scans(repo: &Repo) -> Vec<(&RepoFile, DataScan)> {
    repo.facts::<DataScan>(SCAN)
        .into_iter()
        .filter(|(f, _)| !f.roles.test && !is_offline_path(&f.path))
        .collect()
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Plural and singular spellings a table of this name could have.
fn name_forms(name: &str) -> Vec<String> {
    let snake = snake_case(name);
    let mut forms = vec![name.to_string(), snake.clone()];
    for base in [name.to_ascii_lowercase(), snake] {
        forms.push(format!("{base}s"));
        forms.push(format!("{base}es"));
        if let Some(stem) = base.strip_suffix('y') {
            forms.push(format!("{stem}ies"));
        }
        if let Some(stem) = base.strip_suffix("ies") {
            forms.push(format!("{stem}y"));
        }
        if let Some(stem) = base.strip_suffix('s') {
            forms.push(stem.to_string());
        }
    }
    forms.dedup();
    forms
}

/// Tables the repository declares, resolving Drizzle variables and model names.
struct Tables<'r> {
    repo: &'r Repo,
    drizzle: HashMap<String, DrizzleTable>,
}

impl<'r> Tables<'r> {
    fn new(repo: &'r Repo, scans: &[(&RepoFile, DataScan)]) -> Tables<'r> {
        let drizzle = scans
            .iter()
            .flat_map(|(_, s)| s.drizzle_tables.iter().cloned())
            .map(|t| (t.var.clone(), t))
            .collect();
        Tables { repo, drizzle }
    }

    fn table(&self, name: &str) -> Option<&'r Table> {
        let schema = &self.repo.schema;
        if let Some(d) = self.drizzle.get(name) {
            return schema.table(&d.table);
        }
        schema.table(name).or_else(|| {
            if name.contains('.') {
                return None;
            }
            name_forms(name).iter().find_map(|n| schema.table(n))
        })
    }

    fn column(&self, table: &'r Table, written_as: &str, name: &str) -> Option<&'r Column> {
        if let Some(d) = self.drizzle.get(written_as) {
            if let Some((_, column)) = d.fields.iter().find(|(f, _)| f == name) {
                return table.column(column);
            }
        }
        table
            .column(name)
            .or_else(|| table.column(&snake_case(name)))
    }

    /// Each filter of a site with the table it applies to (SQL aliases and qualifiers
    /// resolved; an unqualified SQL column goes to the one table that has it).
    fn resolve<'s>(
        &self,
        site: &'s Site,
        uses: &'s [ColumnUse],
    ) -> Vec<(&'r Table, &'r Column, &'s ColumnUse)> {
        let tables: Vec<(&str, Option<&str>, &'r Table)> = site
            .tables
            .iter()
            .filter_map(|t| {
                self.table(&t.name)
                    .map(|found| (t.name.as_str(), t.alias.as_deref(), found))
            })
            .collect();
        let mut out = Vec::new();
        for u in uses {
            let candidates: Vec<&(&str, Option<&str>, &'r Table)> = match &u.qualifier {
                Some(q) => tables
                    .iter()
                    .filter(|(name, alias, t)| {
                        alias.is_some_and(|a| a == q) || *name == q || t.name == *q
                    })
                    .collect(),
                None => tables.iter().collect(),
            };
            let found: Vec<(&'r Table, &'r Column)> = candidates
                .iter()
                .filter_map(|(written, _, t)| self.column(t, written, &u.column).map(|c| (*t, c)))
                .collect();
            if let [(t, c)] = found.as_slice() {
                out.push((*t, *c, u));
            }
        }
        out
    }
}

/// Columns whose few distinct values make an index on them alone a judgement call.
fn is_low_cardinality(column: &Column) -> bool {
    let name = column.name.to_ascii_lowercase();
    let ty = column.data_type.to_ascii_lowercase();
    ty.starts_with("bool")
        || [
            "status",
            "state",
            "type",
            "kind",
            "role",
            "plan",
            "tier",
            "category",
            "currency",
            "country",
            "locale",
            "language",
            "priority",
            "level",
            "visibility",
            "enabled",
            "active",
            "archived",
            "deleted",
            "published",
            "verified",
        ]
        .contains(&name.as_str())
        || name.starts_with("is_")
        || name.starts_with("has_")
        || name.ends_with("_status")
        || name.ends_with("_type")
}

/// Tables that stay small whatever the traffic.
fn is_small_table(table: &Table) -> bool {
    is_small_table_name(&table.name)
}

fn is_small_table_name(name: &str) -> bool {
    let name = snake_case(name.rsplit('.').next().unwrap_or(name)).to_ascii_lowercase();
    [
        "plans",
        "settings",
        "roles",
        "permissions",
        "currencies",
        "countries",
        "feature_flags",
        "config",
        "configs",
        "tiers",
        "app_settings",
        "plan",
        "role",
        "permission",
        "currency",
        "country",
        "setting",
        "feature_flag",
        "tier",
    ]
    .contains(&name.as_str())
}

/// `name (a, b), …` of a table's indexes (only the unique ones when asked), or `none`.
fn index_list(table: &Table, unique_only: bool) -> String {
    let listed: Vec<String> = table
        .indexes
        .iter()
        .filter(|i| i.unique || !unique_only)
        .map(|i| {
            let keys: Vec<&str> = i
                .columns
                .iter()
                .map(|k| match k {
                    IndexKey::Column(c) => c.as_str(),
                    IndexKey::Expression(e) => e.as_str(),
                })
                .collect();
            format!("{} ({})", i.name, keys.join(", "))
        })
        .collect();
    if listed.is_empty() {
        "none".into()
    } else {
        listed.join(", ")
    }
}

const MONEY_TABLE_WORDS: &[&str] = &[
    "payment",
    "invoice",
    "order",
    "charge",
    "subscription",
    "balance",
    "credit",
    "wallet",
    "transaction",
    "refund",
    "payout",
    "ledger",
    "billing",
    "price",
];

fn touches_money(table: &str) -> bool {
    let lower = table.to_ascii_lowercase();
    MONEY_TABLE_WORDS.iter().any(|w| lower.contains(w))
}

// ---------------------------------------------------------------------------------------
// DATA-INDEX

struct MissingIndex;

struct IndexCandidate<'r> {
    file: &'r RepoFile,
    site: Site,
    table: &'r Table,
    column: &'r Column,
    line: u32,
    filter: Filter,
    /// Other columns of the same query, for the composite index to suggest.
    companions: Vec<String>,
}

impl MissingIndex {
    fn candidates<'r>(
        &self,
        tables: &Tables<'r>,
        file: &'r RepoFile,
        site: &Site,
        out: &mut Vec<IndexCandidate<'r>>,
    ) {
        let filters = tables.resolve(site, &site.filters);
        let sorts = tables.resolve(site, &site.sorts);
        let mut by_table: BTreeMap<String, (&'r Table, Vec<(&'r Column, &ColumnUse)>)> =
            BTreeMap::new();
        for (t, c, u) in &filters {
            by_table
                .entry(t.qualified_name())
                .or_insert((t, Vec::new()))
                .1
                .push((c, u));
        }
        for (_, (table, uses)) in &by_table {
            let filtered: HashSet<&str> = uses
                .iter()
                .filter(|(_, u)| u.filter != Filter::Like)
                .map(|(c, _)| c.name.as_str())
                .collect();
            // Served: an index leads with a filtered column that narrows the rows (a
            // low-cardinality leading column counts only with its second column filtered too).
            let served = table.indexes.iter().any(|i| {
                let lead = match i.columns.first() {
                    Some(IndexKey::Column(c)) if filtered.contains(c.as_str()) => c,
                    _ => return false,
                };
                let selective = table.column(lead).is_none_or(|c| !is_low_cardinality(c)) || i.unique;
                selective || matches!(i.columns.get(1), Some(IndexKey::Column(second)) if filtered.contains(second.as_str()))
            });
            if served {
                continue;
            }
            let unindexed = |(c, u): &&(&'r Column, &ColumnUse)| {
                !table.is_indexed(&c.name) && u.filter != Filter::Like && u.filter != Filter::Null
            };
            let pick = |kinds: &[Filter]| {
                let mut found: Vec<&(&'r Column, &ColumnUse)> = uses
                    .iter()
                    .filter(unindexed)
                    .filter(|(_, u)| kinds.contains(&u.filter))
                    .collect();
                found.sort_by_key(|(c, _)| (is_low_cardinality(c), !c.name.ends_with("_id")));
                found.first().copied().copied()
            };
            let key = pick(&[Filter::Eq, Filter::In, Filter::Join]).or_else(|| {
                let has_equality = uses
                    .iter()
                    .any(|(_, u)| matches!(u.filter, Filter::Eq | Filter::In));
                if has_equality {
                    None
                } else {
                    pick(&[Filter::Range])
                }
            });
            let Some((column, used)) = key else { continue };
            let mut companions: Vec<String> = sorts
                .iter()
                .filter(|(t, _, _)| t.qualified_name() == table.qualified_name())
                .map(|(_, c, _)| c.name.clone())
                .collect();
            companions.retain(|c| *c != column.name);
            companions.dedup();
            out.push(IndexCandidate {
                file,
                site: site.clone(),
                table,
                column,
                line: used.line,
                filter: used.filter,
                companions,
            });
        }
        // A sort over a whole table needs an index on the sort column.
        if site.op == Op::Read && site.filters.is_empty() {
            if let Some((table, column, used)) = sorts.first() {
                if !table.is_indexed(&column.name) {
                    out.push(IndexCandidate {
                        file,
                        site: site.clone(),
                        table,
                        column,
                        line: used.line,
                        filter: Filter::Sort,
                        companions: Vec::new(),
                    });
                }
            }
        }
    }
}

impl Detector for MissingIndex {
    fn name(&self) -> &'static str {
        "data-index"
    }
    fn items(&self) -> &'static [&'static str] {
        &["DATA-INDEX"]
    }
    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        if repo.schema.tables.is_empty() {
            return;
        }
        let scans = scans(repo);
        let tables = Tables::new(repo, &scans);
        let mut candidates = Vec::new();
        for (file, scan) in &scans {
            for site in &scan.sites {
                self.candidates(&tables, file, site, &mut candidates);
            }
        }
        let mut by_column: BTreeMap<(String, String), Vec<IndexCandidate>> = BTreeMap::new();
        for c in candidates {
            by_column
                .entry((c.table.qualified_name(), c.column.name.clone()))
                .or_default()
                .push(c);
        }
        for ((_, _), mut sites) in by_column {
            // The most exposed site leads: on a request path, then most depended upon.
            sites.sort_by(|a, b| {
                let rank = |c: &IndexCandidate| {
                    let m = repo.metrics(&c.file.path);
                    (
                        on_request_path(repo, c.file),
                        m.fan_in,
                        (m.pagerank * 1e9) as u64,
                    )
                };
                rank(b)
                    .cmp(&rank(a))
                    .then_with(|| (&a.file.path, a.line).cmp(&(&b.file.path, b.line)))
            });
            let lead = &sites[0];
            let (table, column) = (lead.table, lead.column);
            let how = match lead.filter {
                Filter::Sort => "sorted on",
                Filter::Join => "joined on",
                Filter::Range => "filtered by range on",
                _ => "filtered on",
            };
            let mut suggestion: Vec<&str> = vec![column.name.as_str()];
            suggestion.extend(lead.companions.iter().map(String::as_str));
            let whole_table = lead.filter == Filter::Sort;
            let mut message = format!(
                "{}.{} is {how} here ({}{}) but no index leads with it: {}",
                table.name,
                column.name,
                lead.site.api.as_str(),
                if lead.site.op.is_write() {
                    format!(" {}", lead.site.op.as_str())
                } else {
                    String::new()
                },
                if whole_table {
                    "every request sorts the whole table".to_string()
                } else {
                    format!("each call scans {} as it grows", table.name)
                },
            );
            message.push_str(&format!(
                "; an index on {} ({}) would serve it",
                table.name,
                suggestion.join(", ")
            ));
            if sites.len() > 1 {
                message.push_str(&format!(
                    ", and the {} other place(s) that filter on it",
                    sites.len() - 1
                ));
            }
            message.push('.');
            let low = is_low_cardinality(column) || is_small_table(table);
            let confidence = if low {
                Confidence::Low
            } else if column.name.ends_with("_id")
                || column.unique
                || column.name.contains("email")
                || lead.filter == Filter::Join
            {
                if on_request_path(repo, lead.file) {
                    Confidence::High
                } else {
                    Confidence::Medium
                }
            } else {
                Confidence::Medium
            };
            let mut d = Draft::new("DATA-INDEX", &lead.file.path, lead.line, lead.line, message)
                .confidence(confidence)
                .anchor(format!("{}.{}", table.qualified_name(), column.name))
                .fact(format!(
                    "{} indexes: {}",
                    table.name,
                    index_list(table, false)
                ))
                .related(
                    &table.origin.path,
                    table.origin.line,
                    format!("{} is created here", table.name),
                );
            if low {
                d = d.fact(format!(
                    "judgement call: {} looks {}; an index may not pay for itself",
                    if is_small_table(table) {
                        table.name.clone()
                    } else {
                        format!("{}.{}", table.name, column.name)
                    },
                    if is_small_table(table) {
                        "small whatever the traffic"
                    } else {
                        "low-cardinality"
                    }
                ));
            }
            if column.origin.path != table.origin.path {
                d = d.related(
                    &column.origin.path,
                    column.origin.line,
                    format!("{}.{} is added here", table.name, column.name),
                );
            }
            for policy in &table.policies {
                let text = format!(
                    "{} {}",
                    policy.using.as_deref().unwrap_or(""),
                    policy.with_check.as_deref().unwrap_or("")
                );
                if crate::schema::sql::tokenize(&text)
                    .iter()
                    .any(|t| t.text == column.name)
                {
                    d = d.related(
                        &policy.origin.path,
                        policy.origin.line,
                        format!(
                            "the row-level security policy \"{}\" filters on {} for every query",
                            policy.name, column.name
                        ),
                    );
                    break;
                }
            }
            for other in sites.iter().skip(1).take(5) {
                d = d.related(
                    &other.file.path,
                    other.line,
                    format!(
                        "also {} {}.{} ({})",
                        match other.filter {
                            Filter::Sort => "sorted on",
                            Filter::Join => "joined on",
                            _ => "filtered on",
                        },
                        table.name,
                        column.name,
                        other.site.api.as_str()
                    ),
                );
            }
            if lead.site.op.is_write() {
                d = d.data_write();
            }
            out.push(d);
        }
    }
}

// ---------------------------------------------------------------------------------------
// DATA-UNBOUNDED

struct UnboundedList;

impl UnboundedList {
    /// An equality on a primary key or unique column returns one row at most, and `in` on
    /// one as many rows as the list it is given.
    fn single_row(tables: &Tables, site: &Site) -> bool {
        let keyed = |u: &ColumnUse| matches!(u.filter, Filter::Eq | Filter::In);
        if tables
            .resolve(site, &site.filters)
            .iter()
            .any(|(t, c, u)| keyed(u) && (c.primary_key || t.has_unique(&c.name)))
        {
            return true;
        }
        // Tables the schema does not describe: `id` is the key by convention.
        let known = site.tables.iter().any(|t| tables.table(&t.name).is_some());
        !known && site.filters.iter().any(|u| keyed(u) && u.column == "id")
    }

    fn advice(site: &Site) -> &'static str {
        match site.api {
            access::Api::Supabase => "add .range(from, to) or .limit(n)",
            access::Api::Prisma => "add take (with skip or a cursor)",
            access::Api::Drizzle | access::Api::Knex | access::Api::Sqlalchemy => {
                "add .limit(n) with an offset or a keyset cursor"
            }
            access::Api::Sql => "add LIMIT with keyset or offset pagination",
            access::Api::Django => "slice the queryset or use a Paginator",
        }
    }
}

impl Detector for UnboundedList {
    fn name(&self) -> &'static str {
        "data-unbounded"
    }
    fn items(&self) -> &'static [&'static str] {
        &["DATA-UNBOUNDED"]
    }
    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let scans = scans(repo);
        let tables = Tables::new(repo, &scans);
        for (file, scan) in &scans {
            for site in &scan.sites {
                if site.op != Op::Read || site.bound.is_some() || Self::single_row(&tables, site) {
                    continue;
                }
                let Some(first) = site.tables.first() else {
                    continue;
                };
                let table = tables.table(&first.name);
                // Plans, roles, countries: lists that stay short whatever the traffic.
                if table.is_some_and(is_small_table) || is_small_table_name(&first.name) {
                    continue;
                }
                let name = table.map_or(first.name.clone(), |t| t.name.clone());
                let mut filters: Vec<String> =
                    site.filters.iter().map(|f| f.column.clone()).collect();
                filters.dedup();
                let scope = if filters.is_empty() {
                    format!("every row of {name}")
                } else {
                    format!("every {name} row matching {}", filters.join(", "))
                };
                let request = on_request_path(repo, file);
                let message = format!(
                    "This {} read returns {scope} with no limit or pagination{}: the response and its memory grow with the data; {}.",
                    site.api.as_str(),
                    if request { " on a request path" } else { "" },
                    Self::advice(site),
                );
                let mut d = Draft::new("DATA-UNBOUNDED", &file.path, site.at, site.at, message)
                    .confidence(if request {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    })
                    .fact(format!("query at lines {}-{}", site.line, site.end_line));
                if let Some(t) = table {
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
}

// ---------------------------------------------------------------------------------------
// DATA-NPLUS1

struct CallsInLoops;

impl Detector for CallsInLoops {
    fn name(&self) -> &'static str {
        "data-nplus1"
    }
    fn items(&self) -> &'static [&'static str] {
        &["DATA-NPLUS1"]
    }
    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        for (file, scan) in scans(repo) {
            for lp in &scan.loops {
                let kinds: Vec<&str> = {
                    let mut k: Vec<&str> = lp.calls.iter().map(|c| c.kind.as_str()).collect();
                    k.sort();
                    k.dedup();
                    k
                };
                let what = |kind: &str| match kind {
                    "query" => "database query",
                    "http" => "HTTP request",
                    "email" => "email send",
                    _ => "SDK call",
                };
                let calls: Vec<String> = lp
                    .calls
                    .iter()
                    .take(4)
                    .map(|c| format!("{} (line {})", c.callee, c.line))
                    .collect();
                let over = if lp.over.is_empty() {
                    "the loop".to_string()
                } else {
                    format!("`{}`", lp.over)
                };
                let message = format!(
                    "{} per item of {over}{}: {}. The time grows with the number of items{}; batch it ({}).",
                    kinds.iter().map(|k| what(k)).collect::<Vec<_>>().join(" and "),
                    if lp.parallel { ", all started at once" } else { ", one after another" },
                    calls.join(", "),
                    if lp.parallel { " and each request opens as many connections" } else { " until the request or function times out" },
                    if kinds.contains(&"query") { "one query with .in()/IN (…) or a bulk write" } else { "a bulk API, a queue, or bounded concurrency" },
                );
                let request = on_request_path(repo, file);
                let line = lp.calls[0].line;
                let end = lp.calls.iter().map(|c| c.end_line).max().unwrap_or(line);
                let mut d = Draft::new("DATA-NPLUS1", &file.path, line, end, message)
                    .confidence(if request {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    })
                    .anchor(format!(
                        "{} {}",
                        lp.over,
                        lp.calls
                            .iter()
                            .map(|c| c.callee.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    ))
                    .fact(format!("loop at lines {}-{}", lp.line, lp.end_line));
                if lp.calls.iter().any(|c| {
                    c.callee.contains(".insert")
                        || c.callee.contains(".update")
                        || c.callee.contains(".create")
                }) {
                    d = d.data_write();
                }
                out.push(d);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// DATA-MIGRATIONS

struct RiskyMigrations;

/// What a migration file does besides shaping tables: backfills and the tables and columns
/// it creates.
#[derive(Default)]
struct MigrationFacts {
    /// (line, words) of UPDATE and INSERT statements.
    data_steps: Vec<(u32, HashSet<String>)>,
    created_tables: HashSet<String>,
    added_columns: HashSet<(String, String)>,
}

fn migration_facts(text: &str) -> MigrationFacts {
    use crate::schema::sql::{
        parse_sql, split_statements, tokenize, AlterAction, StatementKind, TokenKind,
    };
    let mut facts = MigrationFacts::default();
    let tokens = tokenize(text);
    for statement in split_statements(&tokens) {
        let first = statement[0].text.as_str();
        if statement[0].kind == TokenKind::Word && matches!(first, "update" | "insert" | "with") {
            let words = statement
                .iter()
                .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent))
                .map(|t| t.text.clone())
                .collect();
            facts.data_steps.push((statement[0].line, words));
        }
    }
    for s in parse_sql(text).statements {
        match s.kind {
            StatementKind::CreateTable(c) => {
                facts.created_tables.insert(c.name.name.clone());
            }
            StatementKind::AlterTable(a) => {
                for action in a.actions {
                    if let AlterAction::AddColumn { column, .. } = action {
                        facts
                            .added_columns
                            .insert((a.name.name.clone(), column.name));
                    }
                }
            }
            _ => {}
        }
    }
    facts
}

impl RiskyMigrations {
    fn risky_steps(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let paths: Vec<&str> = repo
            .files
            .iter()
            .filter(|f| f.lang == Lang::Sql && super::repo::is_migration_path(&f.path))
            .map(|f| f.path.as_str())
            .collect();
        let ordered = crate::schema::migration_order(&paths);
        let position: HashMap<&str, usize> =
            ordered.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let facts: Vec<MigrationFacts> = ordered
            .iter()
            .map(|p| {
                repo.content(p)
                    .map(|t| migration_facts(&t))
                    .unwrap_or_default()
            })
            .collect();
        let bare = |t: &str| t.rsplit('.').next().unwrap_or(t).to_string();
        for change in &repo.schema.risky {
            let Some(&at) = position.get(change.origin.path.as_str()) else {
                continue;
            };
            let table = bare(&change.table);
            let here = &facts[at];
            // Steps on what this same migration created lose nothing.
            let fresh = here.created_tables.contains(&table)
                || change
                    .column
                    .as_ref()
                    .is_some_and(|c| here.added_columns.contains(&(table.clone(), c.clone())));
            if fresh {
                continue;
            }
            let before = |f: usize, line: u32| f < at || (f == at && line < change.origin.line);
            let backfilled = |needle: &str| {
                facts.iter().enumerate().any(|(f, m)| {
                    m.data_steps.iter().any(|(line, words)| {
                        before(f, *line) && words.contains(needle) && words.contains(&table)
                    })
                })
            };
            let (message, confidence) = match change.kind {
                RiskyKind::DropColumn => {
                    let column = change.column.clone().unwrap_or_default();
                    if backfilled(&column) {
                        continue;
                    }
                    (format!("Drops {table}.{column} with no backfill in this or an earlier migration: its data is gone for every existing row, and code still deployed that reads it fails until it is updated."), Confidence::High)
                }
                RiskyKind::DropTable => {
                    if backfilled(&table) {
                        continue;
                    }
                    (format!("Drops table {table} with no copy of its rows in this or an earlier migration: its data is gone, and running code that reads it fails."), Confidence::High)
                }
                RiskyKind::Truncate => (format!("Truncates {table} in a migration: every environment it runs on loses the table's rows."), Confidence::High),
                RiskyKind::AlterColumnType => {
                    if is_widening(&change.detail) {
                        continue;
                    }
                    (format!("Changes the type of {table}.{} in place ({}): Postgres rewrites the table under an exclusive lock, blocking reads and writes for its duration, and the migration fails on any row that does not convert. Add a new column, backfill it, then switch.", change.column.as_deref().unwrap_or(""), type_change(&change.detail)), Confidence::Medium)
                }
                RiskyKind::RenameColumn => (format!("{}: the deployed code still uses the old name and breaks the moment this runs, until every client reloads. Add the new column, write both, then drop the old one (expand and contract).", capitalise(&change.detail)), Confidence::Medium),
                RiskyKind::RenameTable => (format!("{}: running code that uses the old name breaks the moment this runs; a view under the old name, or expand and contract, avoids the outage.", capitalise(&change.detail)), Confidence::Medium),
                RiskyKind::AlterType => (format!("{}: values in use can become invalid and code that sends them fails; add a value, migrate the rows, then remove the old one.", capitalise(&change.detail)), Confidence::Medium),
            };
            out.push(
                Draft::new(
                    "DATA-MIGRATIONS",
                    &change.origin.path,
                    change.origin.line,
                    change.origin.line,
                    message,
                )
                .confidence(confidence)
                .anchor(change.detail.clone())
                .data_write(),
            );
        }
    }

    /// Migrations changed after a later migration was added: environments that already ran
    /// them never get the change.
    fn edited_in_place(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let paths: Vec<&str> = repo
            .files
            .iter()
            .filter(|f| f.lang == Lang::Sql && super::repo::is_migration_path(&f.path))
            .map(|f| f.path.as_str())
            .collect();
        let ordered = crate::schema::migration_order(&paths);
        // Commit index of each migration's first appearance (commits are newest first).
        let added: Vec<Option<usize>> = ordered
            .iter()
            .map(|p| {
                repo.history.changes.get(*p).and_then(|c| {
                    c.iter()
                        .filter(|c| c.kind == "added")
                        .map(|c| c.commit)
                        .max()
                })
            })
            .collect();
        for (i, path) in ordered.iter().enumerate() {
            let Some(changes) = repo.history.changes.get(*path) else {
                continue;
            };
            let later_added: Vec<usize> = added[i + 1..].iter().flatten().copied().collect();
            let Some(&first_later) = later_added.iter().max() else {
                continue;
            };
            // An edit newer (smaller index) than the oldest later migration.
            let edits: Vec<usize> = changes
                .iter()
                .filter(|c| c.kind == "modified" && c.commit < first_later)
                .map(|c| c.commit)
                .collect();
            let Some(&last_edit) = edits.iter().min() else {
                continue;
            };
            let Some(commit) = repo.history.commits.get(last_edit) else {
                continue;
            };
            out.push(
                Draft::new(
                    "DATA-MIGRATIONS",
                    *path,
                    0,
                    0,
                    format!(
                        "This migration was edited after later migrations were added ({} edit(s), last in {} \"{}\"): databases that already ran it never get the change, so environments drift apart. Put the change in a new migration.",
                        edits.len(),
                        &commit.id[..commit.id.len().min(8)],
                        commit.summary
                    ),
                )
                .confidence(Confidence::Medium)
                .anchor(format!("edited {path}")),
            );
        }
    }

    fn no_history(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let queries: Vec<(String, u32)> = scans(repo)
            .iter()
            .flat_map(|(f, s)| s.sites.iter().map(|site| (f.path.clone(), site.at)))
            .collect();
        if queries.is_empty() {
            return;
        }
        let lower: Vec<String> = repo
            .files
            .iter()
            .map(|f| f.path.to_ascii_lowercase())
            .collect();
        let has_migrations = lower.iter().any(|p| {
            let in_folder =
                |f: &str| p.starts_with(&format!("{f}/")) || p.contains(&format!("/{f}/"));
            (in_folder("migrations")
                || in_folder("migrate")
                || in_folder("alembic/versions")
                || p.starts_with("drizzle/")
                || p.contains("/drizzle/"))
                && !is_test_path_like(p)
        }) || repo
            .files
            .iter()
            .any(|f| f.lang == Lang::Sql && super::repo::is_migration_path(&f.path));
        if has_migrations {
            return;
        }
        let prisma = repo
            .files
            .iter()
            .find(|f| f.lang == Lang::Prisma)
            .map(|f| f.path.clone());
        let (example_path, example_line) = &queries[0];
        let message = match &prisma {
            Some(schema) => format!("{schema} declares the schema but there is no prisma/migrations folder: the database is changed with `db push`, so no change can be reviewed, replayed or rolled back, and the code's {} query site(s) (e.g. {example_path}:{example_line}) run against whatever the database happens to hold.", queries.len()),
            None => format!("The code queries a database ({} query site(s), e.g. {example_path}:{example_line}) but the repository holds no migration history: the schema lives only in the database, so it cannot be reviewed, recreated for staging or rolled back.", queries.len()),
        };
        out.push(
            Draft::absence(
                "DATA-MIGRATIONS",
                message,
                vec![
                    "SQL migrations (supabase/migrations, migrations/, db/migrate, *_schema.sql)"
                        .into(),
                    "prisma/migrations".into(),
                    "Django and Alembic migrations (*/migrations/*.py, alembic/versions)".into(),
                    "Drizzle and Knex migrations (drizzle/, migrations/)".into(),
                ],
            )
            .confidence(Confidence::High)
            .anchor("no migration history"),
        );
    }
}

fn is_test_path_like(path: &str) -> bool {
    super::source::is_test_path(path)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// `alter column t.c type text → date` → `text → date`.
fn type_change(detail: &str) -> &str {
    detail.split_once(" type ").map_or(detail, |(_, t)| t)
}

/// `varchar(n)` to `text` or a longer `varchar`, and `numeric(p,s)` to a wider precision, do not
/// rewrite the table.
fn is_widening(detail: &str) -> bool {
    let Some((from, to)) = type_change(detail).split_once(" → ") else {
        return false;
    };
    let (from, to) = (
        from.trim().to_ascii_lowercase(),
        to.trim().to_ascii_lowercase(),
    );
    let length = |t: &str, prefix: &str| {
        t.strip_prefix(prefix).and_then(|r| {
            r.trim_start_matches('(')
                .trim_end_matches(')')
                .parse::<u32>()
                .ok()
        })
    };
    let varchar = |t: &str| length(t, "varchar").or_else(|| length(t, "character varying"));
    match (varchar(&from), varchar(&to)) {
        (Some(_), None) => to == "text" || to == "varchar" || to == "character varying",
        (Some(a), Some(b)) => b >= a,
        _ => false,
    }
}

impl Detector for RiskyMigrations {
    fn name(&self) -> &'static str {
        "data-migrations"
    }
    fn items(&self) -> &'static [&'static str] {
        &["DATA-MIGRATIONS"]
    }
    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        self.risky_steps(repo, out);
        self.edited_in_place(repo, out);
        self.no_history(repo, out);
    }
}

// ---------------------------------------------------------------------------------------
// DATA-TXN

struct NoTransaction;

impl Detector for NoTransaction {
    fn name(&self) -> &'static str {
        "data-txn"
    }
    fn items(&self) -> &'static [&'static str] {
        &["DATA-TXN"]
    }
    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        for (file, scan) in scans(repo) {
            for group in &scan.write_groups {
                let steps: Vec<String> = group
                    .writes
                    .iter()
                    .map(|w| match &w.table {
                        Some(t) => format!("{} {t} (line {})", w.what, w.line),
                        None => format!("{} (line {})", w.what, w.line),
                    })
                    .collect();
                let mut tables: Vec<&str> = group
                    .writes
                    .iter()
                    .filter_map(|w| w.table.as_deref())
                    .collect();
                tables.sort();
                tables.dedup();
                let commits = group.writes.iter().all(|w| w.what.ends_with(".commit()"));
                let message = if commits {
                    format!("This function commits {} times ({}): a failure after the first commit leaves the earlier steps saved and the rest undone; make it one transaction.", group.writes.len(), steps.join(", "))
                } else {
                    format!(
                        "{} writes in separate steps with no transaction or rpc: {}. If the request fails after the first, the data is left half-written; wrap them in a transaction or one database function.",
                        group.writes.len(),
                        steps.join(", then ")
                    )
                };
                let mut d = Draft::new("DATA-TXN", &file.path, group.line, group.end_line, message)
                    .confidence(if tables.len() >= 2 || commits {
                        Confidence::High
                    } else {
                        Confidence::Medium
                    })
                    .anchor(format!(
                        "writes {}",
                        group
                            .writes
                            .iter()
                            .map(|w| format!("{}:{}", w.what, w.table.as_deref().unwrap_or("")))
                            .collect::<Vec<_>>()
                            .join(" ")
                    ))
                    .data_write();
                if tables.iter().any(|t| touches_money(t)) {
                    d = d.money();
                }
                if tables.contains(&"auth.users") {
                    d = d.auth();
                }
                out.push(d);
            }
            for rmw in &scan.read_modify_writes {
                let target = match &rmw.table {
                    Some(t) => format!("{t}.{}", rmw.field),
                    None => rmw.field.clone(),
                };
                let mut d = Draft::new(
                    "DATA-TXN",
                    &file.path,
                    rmw.line,
                    rmw.line,
                    format!("{target} is set from a value the application read and changed: two requests at once both read the same {} and one change is lost. Let the database do it atomically (an increment, UPDATE … SET {f} = {f} - $1 with a check, F(), or an rpc).", rmw.field, f = rmw.field),
                )
                .confidence(Confidence::High)
                .anchor(format!("read-modify-write {target}"))
                .data_write();
                if touches_money(&target)
                    || [
                        "balance",
                        "credits",
                        "amount",
                        "stock",
                        "inventory",
                        "quantity",
                    ]
                    .iter()
                    .any(|w| rmw.field.to_ascii_lowercase().contains(w))
                {
                    d = d.money();
                }
                out.push(d);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// DATA-CONSTRAINTS

struct MissingConstraints;

/// Providers whose object ids identify a row they are stored on.
const PROVIDERS: &[&str] = &[
    "stripe",
    "paddle",
    "lemonsqueezy",
    "lemon_squeezy",
    "paypal",
    "braintree",
    "github",
    "google",
    "apple",
    "auth0",
    "clerk",
    "firebase",
    "shopify",
    "slack",
    "discord",
    "twilio",
    "plaid",
    "hubspot",
    "salesforce",
    "intercom",
    "revenuecat",
    "chargebee",
    "polar",
];
/// Provider objects shared by many rows (a price, a product): not identities.
const SHARED_OBJECTS: &[&str] = &[
    "price",
    "product",
    "plan",
    "coupon",
    "tax_rate",
    "promotion_code",
    "account",
    "connected_account",
    "team",
    "org",
    "organization",
    "workspace",
    "channel",
    "repo",
    "repository",
    "installation",
];
/// Account tables: one row per person, so their email identifies them.
const ACCOUNT_TABLES: &[&str] = &[
    "users",
    "user",
    "accounts",
    "account",
    "members",
    "member",
    "admins",
    "admin",
    "app_users",
    "employees",
    "staff",
];
const PASSWORD_COLUMNS: &[&str] = &[
    "password",
    "password_hash",
    "hashed_password",
    "encrypted_password",
    "passwordhash",
    "password_digest",
];

fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if let Some(s) = lower.strip_suffix("ies") {
        format!("{s}y")
    } else if let Some(s) = lower.strip_suffix("ses") {
        format!("{s}s")
    } else if let Some(s) = lower.strip_suffix('s') {
        s.to_string()
    } else {
        lower
    }
}

impl MissingConstraints {
    /// Why a column identifies its row, when it does.
    fn identity(table: &Table, column: &Column) -> Option<String> {
        let name = snake_case(&column.name).to_ascii_lowercase();
        if column.primary_key {
            return None;
        }
        let is_account_table = ACCOUNT_TABLES.contains(&table.name.to_ascii_lowercase().as_str())
            || table.columns.iter().any(|c| {
                PASSWORD_COLUMNS.contains(&snake_case(&c.name).to_ascii_lowercase().as_str())
            });
        // Supabase profiles mirror auth.users, which holds the identity.
        let mirrors_auth = table.foreign_keys.iter().any(|f| {
            f.references_table == "auth.users"
                && f.columns.iter().any(|c| {
                    table.indexes.iter().any(|i| {
                        i.kind == crate::schema::IndexKind::PrimaryKey
                            && i.columns.contains(&IndexKey::Column(c.clone()))
                    })
                })
        });
        if (name == "email" || name == "username") && is_account_table && !mirrors_auth {
            return Some(format!(
                "{} is how a {} account is found",
                name,
                singular(&table.name)
            ));
        }
        if name == "external_id" || name.ends_with("_external_id") || name == "idempotency_key" {
            return Some(format!("{name} is the row's identity in another system"));
        }
        let provider = PROVIDERS
            .iter()
            .find(|p| name.starts_with(&format!("{p}_")))?;
        let object = name[provider.len() + 1..].trim_end_matches("_id");
        if object.is_empty() {
            return None;
        }
        let table_stem = singular(&table.name);
        let is_event = object == "event" || object.ends_with("_event");
        let names_row = table_stem.contains(object)
            || object.contains(&table_stem)
            || object
                .split('_')
                .next()
                .is_some_and(|w| table_stem.contains(w));
        let owner_tables = [
            "organization",
            "organisation",
            "org",
            "team",
            "workspace",
            "account",
            "user",
            "profile",
            "customer",
            "company",
            "tenant",
            "member",
        ];
        let customer_on_owner =
            object == "customer" && owner_tables.iter().any(|o| table_stem.contains(o));
        if SHARED_OBJECTS.contains(&object) && !names_row {
            return None;
        }
        if is_event || names_row || customer_on_owner {
            return Some(format!(
                "each {} stands for one {provider} {}",
                singular(&table.name),
                object.replace('_', " ")
            ));
        }
        None
    }

    /// The table a `*_id` column points at by its name, when the schema has one.
    fn referenced<'r>(repo: &'r Repo, table: &Table, column: &Column) -> Option<String> {
        let name = snake_case(&column.name).to_ascii_lowercase();
        let stem = name.strip_suffix("_id")?;
        if stem.is_empty()
            || column.primary_key
            || column.references.is_some()
            || table
                .foreign_keys
                .iter()
                .any(|f| f.columns.contains(&column.name))
        {
            return None;
        }
        // Polymorphic references (`entity_id` with `entity_type`) cannot have a foreign key.
        if table
            .columns
            .iter()
            .any(|c| snake_case(&c.name).to_ascii_lowercase() == format!("{stem}_type"))
        {
            return None;
        }
        let target = name_forms(stem).iter().find_map(|n| {
            repo.schema
                .table(n)
                .filter(|t| t.schema == table.schema || t.schema == "public")
        });
        match target {
            Some(t) if t.qualified_name() == table.qualified_name() => None,
            Some(t) => Some(t.name.clone()),
            // Supabase keeps its users in auth.users; a project whose other tables reference
            // it means the same by `user_id`.
            None if stem == "user" && references_auth_users(repo) => Some("auth.users".into()),
            None => None,
        }
    }
}

fn references_auth_users(repo: &Repo) -> bool {
    repo.schema.tables.iter().any(|t| {
        t.foreign_keys
            .iter()
            .any(|f| f.references_table == "auth.users")
    })
}

impl Detector for MissingConstraints {
    fn name(&self) -> &'static str {
        "data-constraints"
    }
    fn items(&self) -> &'static [&'static str] {
        &["DATA-CONSTRAINTS"]
    }
    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let scans = scans(repo);
        let tables = Tables::new(repo, &scans);
        // Where the code looks rows up by a column, for the evidence.
        let mut lookups: HashMap<(String, String), (String, u32)> = HashMap::new();
        for (file, scan) in &scans {
            for site in &scan.sites {
                for (t, c, u) in tables.resolve(site, &site.filters) {
                    lookups
                        .entry((t.qualified_name(), c.name.clone()))
                        .or_insert((file.path.clone(), u.line));
                }
            }
        }
        for table in &repo.schema.tables {
            for column in &table.columns {
                if let Some(why) = Self::identity(table, column) {
                    if table.in_unique(&column.name) || table.has_unique(&column.name) {
                        continue;
                    }
                    let mut d = Draft::new(
                        "DATA-CONSTRAINTS",
                        &column.origin.path,
                        column.origin.line,
                        column.origin.line,
                        format!("{}.{} has no UNIQUE constraint, yet {why}: two rows can claim the same value, so a lookup by it picks one at random and a retried write creates a duplicate.", table.name, column.name),
                    )
                    .confidence(Confidence::High)
                    .anchor(format!("unique {}.{}", table.qualified_name(), column.name))
                    .fact(format!("{} unique keys: {}", table.name, index_list(table, true)));
                    if let Some((path, line)) =
                        lookups.get(&(table.qualified_name(), column.name.clone()))
                    {
                        d = d.related(
                            path,
                            *line,
                            format!("the code looks {} up by {} here", table.name, column.name),
                        );
                    }
                    if touches_money(&column.name)
                        || PROVIDERS[..9].iter().any(|p| column.name.starts_with(p))
                    {
                        d = d.money();
                    }
                    out.push(d);
                } else if let Some(target) = Self::referenced(repo, table, column) {
                    out.push(
                        Draft::new(
                            "DATA-CONSTRAINTS",
                            &column.origin.path,
                            column.origin.line,
                            column.origin.line,
                            format!("{}.{} points at {target} by its name but has no FOREIGN KEY: rows can reference a {} that does not exist or was deleted, and nothing cascades.", table.name, column.name, singular(&target)),
                        )
                        .confidence(Confidence::Medium)
                        .anchor(format!("foreign key {}.{}", table.qualified_name(), column.name)),
                    );
                }
            }
        }
    }
}
