//! The database schema as the repository's migrations leave it: tables, columns, indexes,
//! foreign keys, row-level security and policies, each with the file and line that made it.
//! Data and access checks (DATA-INDEX, DATA-CONSTRAINTS, DATA-MIGRATIONS, AUTH-RLS,
//! PAY-FLOAT-MONEY) read this model instead of raw SQL.
//!
//! ```
//! use plumb::schema::replay;
//! let state = replay(&[
//!     ("supabase/migrations/20240101000000_init.sql", "create table invoices (id uuid primary key, user_id uuid);"),
//!     ("supabase/migrations/20240102000000_idx.sql", "create index on invoices (user_id);"),
//! ]);
//! assert!(state.is_indexed("invoices", "user_id"));
//! ```
//!
//! Replay never fails: statements it cannot read or apply become `diagnostics`.

pub mod prisma;
pub mod sql;

use serde::Serialize;

pub use sql::IndexKey;
use sql::{
    AlterAction, ConstraintKind, ForeignKeyRef, PolicyCommand, QualifiedName, StatementKind,
    TableConstraint,
};

/// Where something was declared: a repository-relative path and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub path: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnRef {
    /// `schema.table` of the referenced table.
    pub table: String,
    /// `None` when the target's primary key is meant.
    pub column: Option<String>,
    pub on_delete: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: String,
    /// Prisma field name, when the column comes from (or was merged with) a Prisma model.
    pub field: Option<String>,
    /// SQL type as normalised by the reader (`numeric(10,2)`), or the Prisma type (`Decimal`).
    pub data_type: String,
    pub nullable: bool,
    /// Derived: the column alone is a unique key (constraint or unique index, partial included).
    pub unique: bool,
    /// Derived: the column is part of the primary key.
    pub primary_key: bool,
    pub default: Option<String>,
    /// Derived from a single-column foreign key.
    pub references: Option<ColumnRef>,
    pub origin: Origin,
}

impl Column {
    /// `real`, `double precision`, `float8`, Prisma `Float`: types that must not hold money.
    pub fn is_floating_point(&self) -> bool {
        is_floating_point_type(&self.data_type)
    }
}

/// True for binary floating-point SQL or Prisma types.
pub fn is_floating_point_type(data_type: &str) -> bool {
    let lowered = data_type.trim().to_ascii_lowercase();
    let first = lowered
        .split(|c: char| c.is_whitespace() || c == '(' || c == '[')
        .next()
        .unwrap_or("");
    matches!(first, "real" | "float" | "float4" | "float8" | "double")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKind {
    PrimaryKey,
    /// A UNIQUE constraint (Postgres backs it with an index).
    UniqueConstraint,
    /// `CREATE [UNIQUE] INDEX`, Prisma `@@index`.
    Index,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Index {
    /// The declared name or the name Postgres would give it (`invoices_pkey`, `t_a_b_key`, `t_a_idx`).
    pub name: String,
    pub kind: IndexKind,
    pub columns: Vec<IndexKey>,
    pub unique: bool,
    /// `WHERE …` of a partial index.
    pub predicate: Option<String>,
    pub origin: Origin,
}

impl Index {
    fn leading_column(&self) -> Option<&str> {
        match self.columns.first() {
            Some(IndexKey::Column(name)) => Some(name),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    /// `schema.table`.
    pub references_table: String,
    pub references_columns: Vec<String>,
    pub on_delete: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub name: String,
    pub command: PolicyCommand,
    pub permissive: bool,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// `public` unless the migration names another schema.
    pub schema: String,
    pub name: String,
    /// Prisma model name, when known.
    pub model: Option<String>,
    pub origin: Origin,
    pub columns: Vec<Column>,
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub policies: Vec<Policy>,
}

impl Table {
    fn new(schema: String, name: String, origin: Origin) -> Self {
        Table {
            schema,
            name,
            model: None,
            origin,
            columns: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            rls_enabled: false,
            rls_forced: false,
            policies: Vec::new(),
        }
    }

    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.schema, self.name)
    }

    /// By column name, or by Prisma field name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name).or_else(|| {
            self.columns
                .iter()
                .find(|c| c.field.as_deref() == Some(name))
        })
    }

    fn column_name(&self, name: &str) -> Option<String> {
        self.column(name).map(|c| c.name.clone())
    }

    fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// True when `column` leads an index, the primary key or a unique constraint. Expression
    /// indexes (`lower(email)`) do not count: an equality filter on the raw column cannot use them.
    pub fn is_indexed(&self, column: &str) -> bool {
        let Some(name) = self.column_name(column) else {
            return false;
        };
        self.indexes
            .iter()
            .any(|i| i.leading_column() == Some(name.as_str()))
    }

    /// True when `column` alone is unique: a single-column primary key, unique constraint or
    /// unique index (partial ones included, as soft-delete tables use them), or a unique
    /// single-expression index on it such as `lower(email)`.
    pub fn has_unique(&self, column: &str) -> bool {
        let Some(name) = self.column_name(column) else {
            return false;
        };
        self.indexes.iter().any(|i| {
            i.unique
                && match i.columns.as_slice() {
                    [IndexKey::Column(c)] => *c == name,
                    [IndexKey::Expression(e)] => expression_mentions(e, &name),
                    _ => false,
                }
        })
    }

    /// True when `column` is part of any unique key, composite ones included (`unique (org_id, email)`).
    pub fn in_unique(&self, column: &str) -> bool {
        let Some(name) = self.column_name(column) else {
            return false;
        };
        self.indexes.iter().any(|i| {
            i.unique
                && i.columns
                    .iter()
                    .any(|k| matches!(k, IndexKey::Column(c) if *c == name))
        })
    }

    /// Recomputes the per-column flags from the indexes and foreign keys, their single source.
    fn refresh_column_flags(&mut self) {
        let mut flags = Vec::with_capacity(self.columns.len());
        for column in &self.columns {
            let primary_key = self.indexes.iter().any(|i| {
                i.kind == IndexKind::PrimaryKey
                    && i.columns
                        .iter()
                        .any(|k| matches!(k, IndexKey::Column(c) if *c == column.name))
            });
            let unique = self.indexes.iter().any(|i| {
                i.unique
                    && matches!(i.columns.as_slice(), [IndexKey::Column(c)] if *c == column.name)
            });
            let references = self
                .foreign_keys
                .iter()
                .find(|f| f.columns == [column.name.clone()])
                .map(|f| ColumnRef {
                    table: f.references_table.clone(),
                    column: f.references_columns.first().cloned(),
                    on_delete: f.on_delete.clone(),
                });
            flags.push((primary_key, unique, references));
        }
        for (column, (primary_key, unique, references)) in self.columns.iter_mut().zip(flags) {
            column.primary_key = primary_key;
            column.unique = unique;
            column.references = references;
            if primary_key {
                column.nullable = false;
            }
        }
    }
}

/// Whether an index expression reads `column` (as a bare word, not a function name).
fn expression_mentions(expression: &str, column: &str) -> bool {
    let tokens = sql::tokenize(expression);
    tokens.iter().enumerate().any(|(i, t)| {
        matches!(t.kind, sql::TokenKind::Word | sql::TokenKind::QuotedIdent)
            && t.text == column
            && !tokens
                .get(i + 1)
                .is_some_and(|n| n.kind == sql::TokenKind::Punct && n.text == "(")
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskyKind {
    DropTable,
    DropColumn,
    AlterColumnType,
    RenameTable,
    RenameColumn,
    Truncate,
    /// `ALTER TYPE … RENAME VALUE`, `DROP ATTRIBUTE`, …: anything but adding an enum value.
    AlterType,
}

/// A migration step that can lose data or break running code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskyChange {
    pub kind: RiskyKind,
    pub table: String,
    pub column: Option<String>,
    pub detail: String,
    pub origin: Origin,
}

/// A statement that could not be read or applied. Never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemaDiagnostic {
    pub path: String,
    pub line: u32,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SchemaState {
    /// In order of creation.
    pub tables: Vec<Table>,
    pub risky: Vec<RiskyChange>,
    pub diagnostics: Vec<SchemaDiagnostic>,
}

fn schema_of(name: &QualifiedName) -> String {
    name.schema.clone().unwrap_or_else(|| "public".to_string())
}

fn display_name(name: &QualifiedName) -> String {
    format!("{}.{}", schema_of(name), name.name)
}

fn key_columns(keys: &[IndexKey]) -> String {
    keys.iter()
        .map(|k| match k {
            IndexKey::Column(c) => c.as_str(),
            IndexKey::Expression(_) => "expr",
        })
        .collect::<Vec<_>>()
        .join("_")
}

fn column_keys(columns: &[String]) -> Vec<IndexKey> {
    columns.iter().cloned().map(IndexKey::Column).collect()
}

impl SchemaState {
    /// A table by `name`, `schema.name`, or Prisma model name; `public` wins a bare-name tie,
    /// and an exact match wins over a case-insensitive one (`prisma.user` → model `User`).
    pub fn table(&self, name: &str) -> Option<&Table> {
        let (schema, bare) = match name.split_once('.') {
            Some((schema, bare)) => (Some(schema), bare),
            None => (None, name),
        };
        let schema_ok = |t: &&Table| schema.is_none_or(|s| t.schema == s);
        let exact =
            |t: &&Table| schema_ok(t) && (t.name == bare || t.model.as_deref() == Some(bare));
        let folded = |t: &&Table| {
            schema_ok(t)
                && (t.name.eq_ignore_ascii_case(bare)
                    || t.model
                        .as_deref()
                        .is_some_and(|m| m.eq_ignore_ascii_case(bare)))
        };
        let public_first = |matches: &dyn Fn(&&Table) -> bool| {
            self.tables
                .iter()
                .filter(|t| matches(t))
                .min_by_key(|t| t.schema != "public")
        };
        public_first(&exact).or_else(|| public_first(&folded))
    }

    /// See [`Table::is_indexed`]; false for an unknown table or column.
    pub fn is_indexed(&self, table: &str, column: &str) -> bool {
        self.table(table).is_some_and(|t| t.is_indexed(column))
    }

    /// See [`Table::has_unique`]; false for an unknown table or column.
    pub fn has_unique(&self, table: &str, column: &str) -> bool {
        self.table(table).is_some_and(|t| t.has_unique(column))
    }

    fn position(&self, name: &QualifiedName) -> Option<usize> {
        let schema = schema_of(name);
        self.tables
            .iter()
            .position(|t| t.schema == schema && t.name == name.name)
    }

    fn diagnose(&mut self, origin: &Origin, reason: String) {
        self.diagnostics.push(SchemaDiagnostic {
            path: origin.path.clone(),
            line: origin.line,
            reason,
        });
    }

    fn risky(
        &mut self,
        kind: RiskyKind,
        table: &str,
        column: Option<&str>,
        detail: String,
        origin: &Origin,
    ) {
        self.risky.push(RiskyChange {
            kind,
            table: table.to_string(),
            column: column.map(str::to_string),
            detail,
            origin: origin.clone(),
        });
    }

    /// The table a statement acts on, or a diagnostic when it is unknown. Schemas no
    /// migration creates tables in (Supabase `auth`, `storage`) belong to the platform:
    /// policies on `storage.objects` are normal and not worth a diagnostic.
    fn target(&mut self, name: &QualifiedName, origin: &Origin) -> Option<usize> {
        let found = self.position(name);
        let schema = schema_of(name);
        let owned_schema = schema == "public" || self.tables.iter().any(|t| t.schema == schema);
        if found.is_none() && owned_schema {
            self.diagnose(
                origin,
                format!(
                    "table {} is not created by any earlier migration",
                    name.name
                ),
            );
        }
        found
    }

    /// Applies one migration file. In single-file up/down formats (dbmate `-- migrate:down`,
    /// goose `-- +goose Down`, sql-migrate `-- +migrate Down`) only the up part is applied.
    pub fn apply_sql(&mut self, path: &str, source: &str) {
        let first_new_diagnostic = self.diagnostics.len();
        let parsed = sql::parse_sql(up_section(source));
        for error in parsed.errors {
            self.diagnostics.push(SchemaDiagnostic {
                path: path.to_string(),
                line: error.line,
                reason: error.reason,
            });
        }
        for statement in parsed.statements {
            let origin = Origin {
                path: path.to_string(),
                line: statement.line,
            };
            self.apply_statement(statement.kind, &origin);
        }
        self.diagnostics[first_new_diagnostic..].sort_by_key(|d| d.line);
    }

    fn apply_statement(&mut self, statement: StatementKind, origin: &Origin) {
        match statement {
            StatementKind::CreateTable(create) => {
                if self.position(&create.name).is_some() {
                    if !create.if_not_exists {
                        self.diagnose(
                            origin,
                            format!(
                                "table {} is created twice; the first definition is kept",
                                create.name.name
                            ),
                        );
                    }
                    return;
                }
                let mut table = Table::new(
                    schema_of(&create.name),
                    create.name.name.clone(),
                    origin.clone(),
                );
                for column in create.columns {
                    add_column(&mut table, column, &origin.path);
                }
                for constraint in create.constraints {
                    if let Err(reason) = add_constraint(&mut table, constraint, &origin.path) {
                        self.diagnose(origin, reason);
                    }
                }
                table.refresh_column_flags();
                self.tables.push(table);
            }
            StatementKind::AlterTable(alter) => {
                let Some(at) = self.target(&alter.name, origin) else {
                    return;
                };
                for action in alter.actions {
                    self.apply_alter(at, action, origin);
                }
                if let Some(table) = self.tables.get_mut(at) {
                    table.refresh_column_flags();
                }
            }
            StatementKind::CreateIndex(create) => {
                let Some(at) = self.target(&create.table, origin) else {
                    return;
                };
                let table = &mut self.tables[at];
                let name = create
                    .name
                    .unwrap_or_else(|| format!("{}_{}_idx", table.name, key_columns(&create.keys)));
                if table.indexes.iter().any(|i| i.name == name) {
                    if !create.if_not_exists {
                        self.diagnose(origin, format!("index {name} is created twice"));
                    }
                    return;
                }
                table.indexes.push(Index {
                    name,
                    kind: IndexKind::Index,
                    columns: create.keys,
                    unique: create.unique,
                    predicate: create.predicate,
                    origin: origin.clone(),
                });
                table.refresh_column_flags();
            }
            StatementKind::DropTable { names, if_exists } => {
                for name in names {
                    match self.position(&name) {
                        Some(at) => {
                            let table = self.tables.remove(at);
                            self.risky(
                                RiskyKind::DropTable,
                                &table.name,
                                None,
                                format!("drop table {}", table.name),
                                origin,
                            );
                        }
                        None if !if_exists => {
                            self.diagnose(origin, format!("drop of unknown table {}", name.name))
                        }
                        None => {}
                    }
                }
            }
            StatementKind::DropIndex { names, if_exists } => {
                for name in names {
                    let dropped = self.tables.iter_mut().any(|table| {
                        let before = table.indexes.len();
                        table.indexes.retain(|i| i.name != name.name);
                        let hit = table.indexes.len() != before;
                        if hit {
                            table.refresh_column_flags();
                        }
                        hit
                    });
                    if !dropped && !if_exists {
                        self.diagnose(origin, format!("drop of unknown index {}", name.name));
                    }
                }
            }
            StatementKind::CreatePolicy(create) => {
                let Some(at) = self.target(&create.table, origin) else {
                    return;
                };
                let policies = &mut self.tables[at].policies;
                policies.retain(|p| p.name != create.name);
                policies.push(Policy {
                    name: create.name,
                    command: create.command,
                    permissive: create.permissive,
                    roles: create.roles,
                    using: create.using,
                    with_check: create.with_check,
                    origin: origin.clone(),
                });
            }
            StatementKind::AlterPolicy(alter) => {
                let Some(at) = self.target(&alter.table, origin) else {
                    return;
                };
                let Some(policy) = self.tables[at]
                    .policies
                    .iter_mut()
                    .find(|p| p.name == alter.name)
                else {
                    self.diagnose(origin, format!("alter of unknown policy {}", alter.name));
                    return;
                };
                if let Some(to) = alter.rename_to {
                    policy.name = to;
                }
                if let Some(roles) = alter.roles {
                    policy.roles = roles;
                }
                if alter.using.is_some() {
                    policy.using = alter.using;
                }
                if alter.with_check.is_some() {
                    policy.with_check = alter.with_check;
                }
                policy.origin = origin.clone();
            }
            StatementKind::DropPolicy {
                name,
                table,
                if_exists,
            } => {
                let Some(at) = self.target(&table, origin) else {
                    return;
                };
                let policies = &mut self.tables[at].policies;
                let before = policies.len();
                policies.retain(|p| p.name != name);
                if policies.len() == before && !if_exists {
                    self.diagnose(origin, format!("drop of unknown policy {name}"));
                }
            }
            StatementKind::Truncate { tables } => {
                for name in tables {
                    self.risky(
                        RiskyKind::Truncate,
                        &name.name,
                        None,
                        format!("truncate {}", name.name),
                        origin,
                    );
                }
            }
            StatementKind::AlterType { name, action } => {
                let harmless = ["add value", "owner to", "set schema"]
                    .iter()
                    .any(|p| action.to_ascii_lowercase().starts_with(p));
                if !harmless {
                    self.risky(
                        RiskyKind::AlterType,
                        &name.name,
                        None,
                        format!("alter type {} {action}", name.name),
                        origin,
                    );
                }
            }
            StatementKind::Other { .. } => {}
        }
    }

    fn apply_alter(&mut self, at: usize, action: AlterAction, origin: &Origin) {
        let Some(table) = self.tables.get_mut(at) else {
            return;
        };
        let table_name = table.name.clone();
        let missing_column = |column: &str| format!("column {table_name}.{column} does not exist");
        match action {
            AlterAction::AddColumn {
                column,
                if_not_exists,
            } => {
                if table.column_mut(&column.name).is_some() {
                    if !if_not_exists {
                        let reason = format!("column {table_name}.{} is added twice", column.name);
                        self.diagnose(origin, reason);
                    }
                    return;
                }
                add_column(table, column, &origin.path);
            }
            AlterAction::DropColumn { name, if_exists } => {
                let Some(index) = table.columns.iter().position(|c| c.name == name) else {
                    if !if_exists {
                        self.diagnose(origin, missing_column(&name));
                    }
                    return;
                };
                table.columns.remove(index);
                // Postgres drops the indexes and constraints that use the column.
                table.indexes.retain(|i| {
                    !i.columns
                        .iter()
                        .any(|k| matches!(k, IndexKey::Column(c) if *c == name))
                });
                table.foreign_keys.retain(|f| !f.columns.contains(&name));
                self.risky(
                    RiskyKind::DropColumn,
                    &table_name,
                    Some(&name),
                    format!("drop column {table_name}.{name}"),
                    origin,
                );
            }
            AlterAction::RenameColumn { from, to } => {
                let Some(column) = table.column_mut(&from) else {
                    self.diagnose(origin, missing_column(&from));
                    return;
                };
                column.name = to.clone();
                for index in &mut table.indexes {
                    for key in &mut index.columns {
                        if matches!(key, IndexKey::Column(c) if *c == from) {
                            *key = IndexKey::Column(to.clone());
                        }
                    }
                }
                for fk in &mut table.foreign_keys {
                    fk.columns
                        .iter_mut()
                        .filter(|c| **c == from)
                        .for_each(|c| *c = to.clone());
                }
                let qualified = table.qualified_name();
                for other in &mut self.tables {
                    for fk in &mut other.foreign_keys {
                        if fk.references_table == qualified {
                            fk.references_columns
                                .iter_mut()
                                .filter(|c| **c == from)
                                .for_each(|c| *c = to.clone());
                        }
                    }
                    other.refresh_column_flags();
                }
                self.risky(
                    RiskyKind::RenameColumn,
                    &table_name,
                    Some(&to),
                    format!("rename column {table_name}.{from} to {to}"),
                    origin,
                );
            }
            AlterAction::RenameTable { to } => {
                let old = table.qualified_name();
                table.name = to.clone();
                let new = table.qualified_name();
                for other in &mut self.tables {
                    for fk in &mut other.foreign_keys {
                        if fk.references_table == old {
                            fk.references_table = new.clone();
                        }
                    }
                    other.refresh_column_flags();
                }
                self.risky(
                    RiskyKind::RenameTable,
                    &to,
                    None,
                    format!("rename table {table_name} to {to}"),
                    origin,
                );
            }
            AlterAction::RenameConstraint { from, to } => {
                for index in table.indexes.iter_mut().filter(|i| i.name == from) {
                    index.name = to.clone();
                }
                for fk in table.foreign_keys.iter_mut().filter(|f| f.name == from) {
                    fk.name = to.clone();
                }
            }
            AlterAction::AlterColumnType { column, data_type } => {
                let Some(existing) = table.column_mut(&column) else {
                    self.diagnose(origin, missing_column(&column));
                    return;
                };
                let detail = format!(
                    "alter column {table_name}.{column} type {} → {data_type}",
                    existing.data_type
                );
                existing.data_type = data_type;
                self.risky(
                    RiskyKind::AlterColumnType,
                    &table_name,
                    Some(&column),
                    detail,
                    origin,
                );
            }
            AlterAction::SetNotNull { column } => match table.column_mut(&column) {
                Some(c) => c.nullable = false,
                None => self.diagnose(origin, missing_column(&column)),
            },
            AlterAction::DropNotNull { column } => match table.column_mut(&column) {
                Some(c) => c.nullable = true,
                None => self.diagnose(origin, missing_column(&column)),
            },
            AlterAction::SetDefault { column, default } => match table.column_mut(&column) {
                Some(c) => c.default = Some(default),
                None => self.diagnose(origin, missing_column(&column)),
            },
            AlterAction::DropDefault { column } => {
                if let Some(c) = table.column_mut(&column) {
                    c.default = None;
                }
            }
            AlterAction::AddConstraint { constraint } => {
                if let Err(reason) = add_constraint(table, constraint, &origin.path) {
                    self.diagnose(origin, reason);
                }
            }
            // CHECK constraints are not modelled, so dropping an unknown name is not an error.
            AlterAction::DropConstraint { name, .. } => {
                table
                    .indexes
                    .retain(|i| i.kind == IndexKind::Index || i.name != name);
                table.foreign_keys.retain(|f| f.name != name);
            }
            AlterAction::EnableRowLevelSecurity => table.rls_enabled = true,
            AlterAction::DisableRowLevelSecurity => table.rls_enabled = false,
            AlterAction::ForceRowLevelSecurity => table.rls_forced = true,
            AlterAction::NoForceRowLevelSecurity => table.rls_forced = false,
            AlterAction::Other { .. } => {}
        }
    }

    /// Adds what `other` knows and `self` lacks: whole tables, and for shared tables the
    /// missing columns, indexes and foreign keys, plus Prisma model and field names. `self`
    /// wins where both describe the same thing (replayed migrations are what the database ran).
    pub fn merge(&mut self, other: SchemaState) {
        for incoming in other.tables {
            let Some(existing) = self
                .tables
                .iter_mut()
                .find(|t| t.schema == incoming.schema && t.name == incoming.name)
            else {
                self.tables.push(incoming);
                continue;
            };
            existing.model = existing.model.take().or(incoming.model);
            for column in incoming.columns {
                match existing.column_mut(&column.name) {
                    Some(known) => known.field = known.field.take().or(column.field),
                    None => existing.columns.push(column),
                }
            }
            for index in incoming.indexes {
                let known = existing.indexes.iter().any(|i| {
                    i.name == index.name || (i.columns == index.columns && i.unique == index.unique)
                });
                if !known {
                    existing.indexes.push(index);
                }
            }
            for fk in incoming.foreign_keys {
                if !existing
                    .foreign_keys
                    .iter()
                    .any(|f| f.name == fk.name || f.columns == fk.columns)
                {
                    existing.foreign_keys.push(fk);
                }
            }
            existing.refresh_column_flags();
        }
        self.risky.extend(other.risky);
        self.diagnostics.extend(other.diagnostics);
    }
}

fn up_section(source: &str) -> &str {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let marker = line.trim().to_ascii_lowercase();
        let marker: String = marker.split_whitespace().collect::<Vec<_>>().join(" ");
        if ["-- migrate:down", "-- +goose down", "-- +migrate down"]
            .iter()
            .any(|m| marker.starts_with(m))
        {
            return &source[..offset];
        }
        offset += line.len();
    }
    source
}

fn add_column(table: &mut Table, column: sql::ColumnDef, path: &str) {
    let origin = Origin {
        path: path.to_string(),
        line: column.line,
    };
    if column.primary_key {
        table.indexes.push(Index {
            name: format!("{}_pkey", table.name),
            kind: IndexKind::PrimaryKey,
            columns: vec![IndexKey::Column(column.name.clone())],
            unique: true,
            predicate: None,
            origin: origin.clone(),
        });
    }
    if column.unique {
        table.indexes.push(Index {
            name: format!("{}_{}_key", table.name, column.name),
            kind: IndexKind::UniqueConstraint,
            columns: vec![IndexKey::Column(column.name.clone())],
            unique: true,
            predicate: None,
            origin: origin.clone(),
        });
    }
    if let Some(reference) = &column.references {
        table.foreign_keys.push(foreign_key(
            format!("{}_{}_fkey", table.name, column.name),
            vec![column.name.clone()],
            reference,
            origin.clone(),
        ));
    }
    table.columns.push(Column {
        name: column.name,
        field: None,
        data_type: column.data_type,
        nullable: !column.not_null,
        unique: false,
        primary_key: false,
        default: column.default,
        references: None,
        origin,
    });
}

fn foreign_key(
    name: String,
    columns: Vec<String>,
    reference: &ForeignKeyRef,
    origin: Origin,
) -> ForeignKey {
    ForeignKey {
        name,
        columns,
        references_table: display_name(&reference.table),
        references_columns: reference.columns.clone(),
        on_delete: reference.on_delete.clone(),
        origin,
    }
}

fn add_constraint(
    table: &mut Table,
    constraint: TableConstraint,
    path: &str,
) -> Result<(), String> {
    let origin = Origin {
        path: path.to_string(),
        line: constraint.line,
    };
    for column in constraint_columns(&constraint.kind) {
        if table.column_mut(column).is_none() {
            return Err(format!(
                "constraint on {}.{column}, which does not exist",
                table.name
            ));
        }
    }
    let joined = |columns: &[String]| columns.join("_");
    let (name, kind, columns, unique) = match constraint.kind {
        ConstraintKind::PrimaryKey { columns } => {
            for column in &columns {
                if let Some(c) = table.column_mut(column) {
                    c.nullable = false;
                }
            }
            (
                constraint
                    .name
                    .unwrap_or_else(|| format!("{}_pkey", table.name)),
                IndexKind::PrimaryKey,
                columns,
                true,
            )
        }
        ConstraintKind::Unique { columns } => {
            let name = constraint
                .name
                .unwrap_or_else(|| format!("{}_{}_key", table.name, joined(&columns)));
            (name, IndexKind::UniqueConstraint, columns, true)
        }
        ConstraintKind::Index { columns } => {
            let name = constraint
                .name
                .unwrap_or_else(|| format!("{}_{}_idx", table.name, joined(&columns)));
            (name, IndexKind::Index, columns, false)
        }
        ConstraintKind::ForeignKey {
            columns,
            references,
        } => {
            let name = constraint
                .name
                .unwrap_or_else(|| format!("{}_{}_fkey", table.name, joined(&columns)));
            table
                .foreign_keys
                .push(foreign_key(name, columns, &references, origin));
            return Ok(());
        }
        ConstraintKind::Check { .. } | ConstraintKind::Exclude => return Ok(()),
    };
    if columns.is_empty() {
        return Ok(()); // `UNIQUE USING INDEX idx`: the index is already modelled.
    }
    table.indexes.push(Index {
        name,
        kind,
        columns: column_keys(&columns),
        unique,
        predicate: None,
        origin,
    });
    Ok(())
}

fn constraint_columns(kind: &ConstraintKind) -> &[String] {
    match kind {
        ConstraintKind::PrimaryKey { columns }
        | ConstraintKind::Unique { columns }
        | ConstraintKind::Index { columns }
        | ConstraintKind::ForeignKey { columns, .. } => columns,
        ConstraintKind::Check { .. } | ConstraintKind::Exclude => &[],
    }
}

/// Replays migrations in the given order (see [`migration_order`]) and returns the schema
/// they leave behind. Never fails; problems are in `diagnostics`.
pub fn replay(migrations: &[(&str, &str)]) -> SchemaState {
    let mut state = SchemaState::default();
    for (path, source) in migrations {
        state.apply_sql(path, source);
    }
    state
}

/// The schema a `schema.prisma` declares.
pub fn from_prisma(path: &str, source: &str) -> SchemaState {
    prisma::to_schema_state(path, &prisma::parse_prisma(source))
}

/// Orders migration files the way their tools apply them and leaves out down migrations.
///
/// The ordering key is the migration's name: the file name, or the folder name when the file
/// has a generic name (`prisma/migrations/20240101120000_init/migration.sql`,
/// `migrations/0001_init/up.sql`). Names starting with a number (Supabase and Prisma
/// timestamps, `0001_`, Rails `20240101120000_`) sort numerically, so `2_x` comes before
/// `10_x`; names without one follow, alphabetically.
pub fn migration_order<'a>(paths: &[&'a str]) -> Vec<&'a str> {
    let mut ordered: Vec<&'a str> = paths
        .iter()
        .copied()
        .filter(|p| !is_down_migration(p))
        .collect();
    ordered.sort_by(|a, b| {
        migration_key(a)
            .cmp(&migration_key(b))
            .then_with(|| a.cmp(b))
    });
    ordered
}

fn is_down_migration(path: &str) -> bool {
    let file = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    file == "down.sql" || file.ends_with(".down.sql") || file.ends_with("_down.sql")
}

/// (has no number, number without leading zeros by length then digits, rest of the name).
fn migration_key(path: &str) -> (bool, usize, String, String) {
    let mut parts = path.rsplit(['/', '\\']);
    let file = parts.next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    let name = if matches!(
        stem.to_ascii_lowercase().as_str(),
        "migration" | "up" | "schema"
    ) {
        parts.next().unwrap_or(stem)
    } else {
        stem
    };
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0').to_string();
    let rest = name[digits.len()..].to_string();
    (digits.is_empty(), significant.len(), significant, rest)
}

#[cfg(test)]
mod tests;
