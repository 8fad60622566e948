//! Reads the models of a `schema.prisma` (line-based, as Prisma's format is) and turns them
//! into the same [`SchemaState`] that SQL migrations replay into.

use serde::Serialize;

use super::{ForeignKey, Index, IndexKey, IndexKind, Origin, SchemaDiagnostic, SchemaState, Table};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrismaRelation {
    pub fields: Vec<String>,
    pub references: Vec<String>,
    /// As written: `Cascade`, `SetNull`, …
    pub on_delete: Option<String>,
    pub map: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrismaField {
    pub name: String,
    /// Base type without `?` or `[]`: `String`, `Decimal`, `Float`, a model or enum name.
    pub field_type: String,
    pub optional: bool,
    pub list: bool,
    pub id: bool,
    pub unique: bool,
    pub default: Option<String>,
    /// `@map("db_name")`.
    pub map: Option<String>,
    /// `@db.Decimal(10, 2)` → `Decimal(10, 2)`.
    pub native_type: Option<String>,
    pub relation: Option<PrismaRelation>,
    pub line: u32,
}

impl PrismaField {
    pub fn column_name(&self) -> &str {
        self.map.as_deref().unwrap_or(&self.name)
    }
}

/// `@@index`, `@@unique` or `@@id`: field names in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockKey {
    pub fields: Vec<String>,
    pub map: Option<String>,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrismaModel {
    pub name: String,
    /// `@@map("table")`.
    pub map: Option<String>,
    /// `@@schema("auth")` (multiSchema).
    pub schema: Option<String>,
    pub line: u32,
    pub fields: Vec<PrismaField>,
    pub id: Option<BlockKey>,
    pub uniques: Vec<BlockKey>,
    pub indexes: Vec<BlockKey>,
}

impl PrismaModel {
    pub fn table_name(&self) -> &str {
        self.map.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrismaError {
    pub line: u32,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PrismaSchema {
    pub models: Vec<PrismaModel>,
    pub enums: Vec<String>,
    pub errors: Vec<PrismaError>,
}

enum Block {
    Outside,
    Model,
    Enum,
    /// datasource, generator, type: skipped.
    Other,
}

/// Reads models and enum names. Lines it cannot read become `errors`; it never fails.
pub fn parse_prisma(source: &str) -> PrismaSchema {
    let mut schema = PrismaSchema::default();
    let mut block = Block::Outside;
    for (index, raw) in source.lines().enumerate() {
        let line = index as u32 + 1;
        let text = strip_comment(raw).trim();
        if text.is_empty() {
            continue;
        }
        match block {
            Block::Outside => {
                let mut words = text.split_whitespace();
                let keyword = words.next().unwrap_or("");
                let name = words.next().unwrap_or("").trim_end_matches('{').to_string();
                if !text.ends_with('{') {
                    schema.errors.push(PrismaError {
                        line,
                        reason: format!("expected a block, found `{text}`"),
                    });
                    continue;
                }
                block = match keyword {
                    "model" | "view" if !name.is_empty() => {
                        schema.models.push(PrismaModel {
                            name,
                            map: None,
                            schema: None,
                            line,
                            fields: Vec::new(),
                            id: None,
                            uniques: Vec::new(),
                            indexes: Vec::new(),
                        });
                        Block::Model
                    }
                    "enum" => {
                        schema.enums.push(name);
                        Block::Enum
                    }
                    _ => Block::Other,
                };
            }
            _ if text.starts_with('}') => block = Block::Outside,
            Block::Model => {
                let Some(model) = schema.models.last_mut() else {
                    continue;
                };
                if text.starts_with("@@") {
                    if let Err(reason) = apply_block_attribute(model, text, line) {
                        schema.errors.push(PrismaError { line, reason });
                    }
                } else {
                    match parse_field(text, line) {
                        Some(field) => model.fields.push(field),
                        None => schema.errors.push(PrismaError {
                            line,
                            reason: format!("unreadable field `{text}`"),
                        }),
                    }
                }
            }
            Block::Enum | Block::Other => {}
        }
    }
    if !matches!(block, Block::Outside) {
        schema.errors.push(PrismaError {
            line: source.lines().count() as u32,
            reason: "unterminated block".into(),
        });
    }
    schema
}

/// Drops a `//` comment that is not inside a string.
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' if previous != '\\' => in_string = !in_string,
            '/' if !in_string && previous == '/' => return &line[..i - 1],
            _ => {}
        }
        previous = c;
    }
    line
}

fn parse_field(text: &str, line: u32) -> Option<PrismaField> {
    let name_end = text.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    let name = &text[..name_end];
    let rest = text[name_end..].trim_start();
    if name.is_empty() || rest.is_empty() {
        return None;
    }
    // The type runs to the first space outside parentheses: `Unsupported("point")?`.
    let mut depth = 0i32;
    let type_end = rest
        .char_indices()
        .find(|&(_, c)| {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            depth <= 0 && (c.is_whitespace() || c == '@')
        })
        .map_or(rest.len(), |(i, _)| i);
    let mut field_type = &rest[..type_end];
    let optional = field_type.ends_with('?');
    field_type = field_type.trim_end_matches('?');
    let list = field_type.ends_with("[]");
    field_type = field_type.trim_end_matches("[]");
    let mut field = PrismaField {
        name: name.to_string(),
        field_type: field_type.to_string(),
        optional,
        list,
        id: false,
        unique: false,
        default: None,
        map: None,
        native_type: None,
        relation: None,
        line,
    };
    for (attribute, args) in attributes(&rest[type_end..]) {
        let args = args.unwrap_or("");
        match attribute {
            "id" => field.id = true,
            "unique" => field.unique = true,
            "default" => field.default = Some(args.trim().to_string()),
            "map" => field.map = positional(args).map(unquote),
            "relation" => {
                field.relation = Some(PrismaRelation {
                    fields: named(args, "fields").map(list_items).unwrap_or_default(),
                    references: named(args, "references")
                        .map(list_items)
                        .unwrap_or_default(),
                    on_delete: named(args, "onDelete").map(str::to_string),
                    map: named(args, "map").map(unquote),
                })
            }
            native if native.starts_with("db.") => {
                let type_name = &native[3..];
                field.native_type = Some(if args.is_empty() {
                    type_name.to_string()
                } else {
                    format!("{type_name}({args})")
                });
            }
            _ => {}
        }
    }
    Some(field)
}

fn apply_block_attribute(model: &mut PrismaModel, text: &str, line: u32) -> Result<(), String> {
    let Some((name, args)) = attributes(text).into_iter().next() else {
        return Err(format!("unreadable attribute `{text}`"));
    };
    let args = args.unwrap_or("");
    let key = || BlockKey {
        fields: positional(args)
            .or_else(|| named(args, "fields"))
            .map(list_items)
            .unwrap_or_default(),
        map: named(args, "map")
            .or_else(|| named(args, "name"))
            .map(unquote),
        line,
    };
    match name {
        "map" => model.map = positional(args).map(unquote),
        "schema" => model.schema = positional(args).map(unquote),
        "id" => model.id = Some(key()),
        "unique" => model.uniques.push(key()),
        "index" => model.indexes.push(key()),
        _ => {}
    }
    Ok(())
}

/// `@name` or `@name(args)` occurrences, with the text inside the parentheses.
fn attributes(text: &str) -> Vec<(&str, Option<&str>)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'@' {
            i += 1;
            continue;
        }
        let name_start = i + 1;
        let mut j = name_start;
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] == b'.')
        {
            j += 1;
        }
        let name = &text[name_start..j];
        let mut args = None;
        if bytes.get(j) == Some(&b'(') {
            let close = matching_paren(bytes, j);
            args = Some(&text[j + 1..close.min(bytes.len())]);
            j = (close + 1).min(bytes.len());
        }
        if !name.is_empty() {
            found.push((name, args));
        }
        i = j.max(i + 1);
    }
    found
}

/// Index of the `)` that closes the `(` at `open`, skipping strings; the input's end if none.
fn matching_paren(bytes: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'(' if !in_string => depth += 1,
            b')' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Splits arguments on commas outside brackets, parentheses and strings.
fn split_args(args: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut in_string = false;
    let mut start = 0;
    for (i, c) in args.char_indices() {
        match c {
            '"' => in_string = !in_string,
            '(' | '[' if !in_string => depth += 1,
            ')' | ']' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                parts.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(args[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

fn named_split(arg: &str) -> Option<(&str, &str)> {
    let (key, value) = arg.split_once(':')?;
    let key = key.trim();
    (!key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then_some((key, value.trim()))
}

fn named<'a>(args: &'a str, key: &str) -> Option<&'a str> {
    split_args(args)
        .into_iter()
        .find_map(|arg| named_split(arg).filter(|(k, _)| *k == key).map(|(_, v)| v))
}

fn positional(args: &str) -> Option<&str> {
    split_args(args)
        .into_iter()
        .find(|arg| named_split(arg).is_none())
}

fn unquote(value: &str) -> String {
    value.trim().trim_matches('"').to_string()
}

/// `[a, b(sort: Desc)]` → `["a", "b"]`.
fn list_items(value: &str) -> Vec<String> {
    let inner = value.trim().trim_start_matches('[').trim_end_matches(']');
    split_args(inner)
        .into_iter()
        .map(|item| {
            item.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|item| !item.is_empty())
        .collect()
}

/// Prisma's referential actions in SQL spelling.
fn sql_action(action: &str) -> String {
    match action {
        "SetNull" => "set null".to_string(),
        "SetDefault" => "set default".to_string(),
        "NoAction" => "no action".to_string(),
        other => other.to_ascii_lowercase(),
    }
}

/// Builds tables from models. Relation fields (typed by another model) are not columns; the
/// side with `@relation(fields: …)` becomes a foreign key. Constraint names follow Prisma's
/// defaults (`User_pkey`, `User_email_key`, `Post_authorId_idx`, `Post_authorId_fkey`).
pub fn to_schema_state(path: &str, schema: &PrismaSchema) -> SchemaState {
    let mut state = SchemaState::default();
    let origin = |line: u32| Origin {
        path: path.to_string(),
        line,
    };
    for error in &schema.errors {
        state.diagnostics.push(SchemaDiagnostic {
            path: path.to_string(),
            line: error.line,
            reason: error.reason.clone(),
        });
    }
    let model_named = |name: &str| schema.models.iter().find(|m| m.name == name);
    let schema_name =
        |model: &PrismaModel| model.schema.clone().unwrap_or_else(|| "public".to_string());
    for model in &schema.models {
        let table_name = model.table_name().to_string();
        let mut table = Table::new(schema_name(model), table_name.clone(), origin(model.line));
        table.model = Some(model.name.clone());
        let column_of = |field_name: &str| {
            model
                .fields
                .iter()
                .find(|f| f.name == field_name)
                .map(|f| f.column_name().to_string())
        };
        let mut diagnose = |line: u32, reason: String| {
            state.diagnostics.push(SchemaDiagnostic {
                path: path.to_string(),
                line,
                reason,
            });
        };
        let block_index = |key: &BlockKey,
                           kind: IndexKind,
                           suffix: &str,
                           diagnose: &mut dyn FnMut(u32, String)| {
            let mut columns = Vec::new();
            for field in &key.fields {
                match column_of(field) {
                    Some(column) => columns.push(column),
                    None => diagnose(key.line, format!("{}.{field} is not a field", model.name)),
                }
            }
            let name = key
                .map
                .clone()
                .unwrap_or_else(|| format!("{table_name}_{}_{suffix}", columns.join("_")));
            let name = if kind == IndexKind::PrimaryKey {
                key.map
                    .clone()
                    .unwrap_or_else(|| format!("{table_name}_pkey"))
            } else {
                name
            };
            Index {
                name,
                kind,
                unique: kind != IndexKind::Index,
                columns: columns.into_iter().map(IndexKey::Column).collect(),
                predicate: None,
                origin: origin(key.line),
            }
        };
        for field in &model.fields {
            if let Some(target) = model_named(&field.field_type) {
                if let Some(relation) = field.relation.as_ref().filter(|r| !r.fields.is_empty()) {
                    let columns: Vec<String> = relation
                        .fields
                        .iter()
                        .map(|f| column_of(f).unwrap_or_else(|| f.clone()))
                        .collect();
                    let references_columns = relation
                        .references
                        .iter()
                        .map(|r| {
                            target
                                .fields
                                .iter()
                                .find(|f| f.name == *r)
                                .map_or_else(|| r.clone(), |f| f.column_name().to_string())
                        })
                        .collect();
                    table.foreign_keys.push(ForeignKey {
                        name: relation
                            .map
                            .clone()
                            .unwrap_or_else(|| format!("{table_name}_{}_fkey", columns.join("_"))),
                        columns,
                        references_table: format!(
                            "{}.{}",
                            schema_name(target),
                            target.table_name()
                        ),
                        references_columns,
                        on_delete: relation.on_delete.as_deref().map(sql_action),
                        origin: origin(field.line),
                    });
                }
                continue;
            }
            let column = field.column_name().to_string();
            let mut data_type = field.field_type.clone();
            if field.list {
                data_type.push_str("[]");
            }
            if let Some(native) = &field.native_type {
                data_type = format!("{data_type} @db.{native}");
            }
            let key = BlockKey {
                fields: vec![field.name.clone()],
                map: None,
                line: field.line,
            };
            if field.id {
                table.indexes.push(block_index(
                    &key,
                    IndexKind::PrimaryKey,
                    "pkey",
                    &mut diagnose,
                ));
            }
            if field.unique {
                table.indexes.push(block_index(
                    &key,
                    IndexKind::UniqueConstraint,
                    "key",
                    &mut diagnose,
                ));
            }
            table.columns.push(super::Column {
                name: column,
                field: Some(field.name.clone()),
                data_type,
                nullable: field.optional,
                unique: false,
                primary_key: false,
                default: field.default.clone(),
                references: None,
                origin: origin(field.line),
            });
        }
        if let Some(id) = &model.id {
            table.indexes.push(block_index(
                id,
                IndexKind::PrimaryKey,
                "pkey",
                &mut diagnose,
            ));
        }
        for unique in &model.uniques {
            table.indexes.push(block_index(
                unique,
                IndexKind::UniqueConstraint,
                "key",
                &mut diagnose,
            ));
        }
        for index in &model.indexes {
            table
                .indexes
                .push(block_index(index, IndexKind::Index, "idx", &mut diagnose));
        }
        table.refresh_column_flags();
        state.tables.push(table);
    }
    state
}
