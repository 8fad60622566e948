//! A tolerant reader for Postgres (and Supabase) migrations: a tokenizer that understands
//! comments, strings and dollar-quoted bodies, a splitter on `;`, and an extractor for the
//! statements that shape a schema. It never fails as a whole: a statement it cannot read
//! becomes an error entry with its line, and every other statement is still returned.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Keyword or unquoted identifier; `text` is ASCII-lowercased as Postgres folds it.
    Word,
    /// `"Name"` (or MySQL `` `name` ``); `text` is the name as written.
    QuotedIdent,
    /// `'…'` or `E'…'`; `text` is the unescaped value.
    String,
    /// `$$…$$` or `$tag$…$tag$`; `text` is the body.
    DollarString,
    Number,
    /// `$1`
    Param,
    /// Any other single character.
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    pub kind: TokenKind,
    pub text: String,
    /// Byte range in the source; always on character boundaries.
    pub start: usize,
    pub end: usize,
    /// 1-based line of the first character.
    pub line: u32,
}

impl Token {
    fn is_word(&self, word: &str) -> bool {
        self.kind == TokenKind::Word && self.text == word
    }
    fn is_punct(&self, c: char) -> bool {
        self.kind == TokenKind::Punct && self.text.len() == c.len_utf8() && self.text.starts_with(c)
    }
    fn is_ident(&self) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::QuotedIdent)
    }
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_word_continue(b: u8) -> bool {
    is_word_start(b) || b.is_ascii_digit() || b == b'$'
}

/// Splits Postgres SQL into tokens, dropping whitespace and comments. Unterminated strings,
/// comments and bodies run to the end of the input. Token boundaries only ever fall on ASCII
/// bytes, so slicing the source with them is always valid.
pub fn tokenize(source: &str) -> Vec<Token> {
    let bytes = source.as_bytes();
    let len = bytes.len();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut line = 1u32;
    while i < len {
        let start = i;
        let b = bytes[i];
        let token = match b {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(len, |n| i + n);
                None
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let mut depth = 1usize;
                i += 2;
                while i < len && depth > 0 {
                    if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
                None
            }
            _ if b.is_ascii_whitespace() => {
                i += 1;
                None
            }
            b'\'' => {
                let (text, end) = scan_quoted(bytes, i, b'\'', false);
                i = end;
                Some((TokenKind::String, text))
            }
            b'"' | b'`' => {
                let (text, end) = scan_quoted(bytes, i, b, false);
                i = end;
                Some((TokenKind::QuotedIdent, text))
            }
            b'$' => {
                let (kind, text, end) = scan_dollar(source, i);
                i = end;
                Some((kind, text))
            }
            b'0'..=b'9' => {
                while i < len
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.' || bytes[i] == b'_')
                {
                    i += 1;
                }
                Some((TokenKind::Number, source[start..i].to_string()))
            }
            _ if is_word_start(b) => {
                while i < len && is_word_continue(bytes[i]) {
                    i += 1;
                }
                let word = &source[start..i];
                if word.eq_ignore_ascii_case("e") && bytes.get(i) == Some(&b'\'') {
                    let (text, end) = scan_quoted(bytes, i, b'\'', true);
                    i = end;
                    Some((TokenKind::String, text))
                } else {
                    Some((TokenKind::Word, word.to_ascii_lowercase()))
                }
            }
            _ => {
                i += 1;
                Some((TokenKind::Punct, source[start..i].to_string()))
            }
        };
        if let Some((kind, text)) = token {
            tokens.push(Token {
                kind,
                text,
                start,
                end: i,
                line,
            });
        }
        line += bytes[start..i].iter().filter(|&&c| c == b'\n').count() as u32;
    }
    tokens
}

/// Reads a quoted run starting at the opening quote; a doubled quote is an escaped quote.
/// Returns the unescaped value and the index after the closing quote (or the input's end).
fn scan_quoted(bytes: &[u8], open: usize, quote: u8, backslash_escapes: bool) -> (String, usize) {
    let mut value = Vec::new();
    let mut j = open + 1;
    while j < bytes.len() {
        let b = bytes[j];
        if b == quote {
            if bytes.get(j + 1) == Some(&quote) {
                value.push(quote);
                j += 2;
                continue;
            }
            return (String::from_utf8_lossy(&value).into_owned(), j + 1);
        }
        if backslash_escapes && b == b'\\' && j + 1 < bytes.len() {
            value.push(bytes[j + 1]);
            j += 2;
            continue;
        }
        value.push(b);
        j += 1;
    }
    (String::from_utf8_lossy(&value).into_owned(), bytes.len())
}

/// At a `$`: a positional parameter (`$1`), a dollar-quoted body, or a lone `$`.
fn scan_dollar(source: &str, open: usize) -> (TokenKind, String, usize) {
    let bytes = source.as_bytes();
    let mut j = open + 1;
    if bytes.get(j).is_some_and(u8::is_ascii_digit) {
        while bytes.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        return (TokenKind::Param, source[open..j].to_string(), j);
    }
    while j < bytes.len() && bytes[j] != b'$' && is_word_continue(bytes[j]) {
        j += 1;
    }
    if bytes.get(j) != Some(&b'$') {
        return (TokenKind::Punct, "$".to_string(), open + 1);
    }
    let delimiter = &source[open..=j];
    let body_start = j + 1;
    match source[body_start..].find(delimiter) {
        Some(n) => (
            TokenKind::DollarString,
            source[body_start..body_start + n].to_string(),
            body_start + n + delimiter.len(),
        ),
        None => (
            TokenKind::DollarString,
            source[body_start..].to_string(),
            source.len(),
        ),
    }
}

/// Splits tokens into statements on `;`. Strings and bodies are single tokens already, so
/// only SQL-standard function bodies (`BEGIN ATOMIC … END`) need tracking.
pub fn split_statements(tokens: &[Token]) -> Vec<&[Token]> {
    let mut statements = Vec::new();
    let mut start = 0;
    let mut atomic_depth = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        if token.kind == TokenKind::Word {
            let opens_atomic = token.text == "atomic" && i > 0 && tokens[i - 1].is_word("begin");
            if opens_atomic || (atomic_depth > 0 && token.text == "case") {
                atomic_depth += 1;
            } else if atomic_depth > 0 && token.text == "end" {
                atomic_depth -= 1;
            }
        }
        if atomic_depth == 0 && token.is_punct(';') {
            if i > start {
                statements.push(&tokens[start..i]);
            }
            start = i + 1;
        }
    }
    if start < tokens.len() {
        statements.push(&tokens[start..]);
    }
    statements
}

// ---------------------------------------------------------------------------------------
// Statement model

/// `[schema.]name`; unquoted parts are lowercased, quoted parts kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualifiedName {
    pub schema: Option<String>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForeignKeyRef {
    pub table: QualifiedName,
    /// Empty when the target's primary key is meant (`references auth.users`).
    pub columns: Vec<String>,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnDef {
    pub name: String,
    /// Normalised type text: `uuid`, `numeric(10,2)`, `timestamp with time zone`, `text[]`.
    pub data_type: String,
    pub not_null: bool,
    pub primary_key: bool,
    pub unique: bool,
    /// Expression text as written.
    pub default: Option<String>,
    pub references: Option<ForeignKeyRef>,
    /// `GENERATED … AS IDENTITY`, `serial` and friends.
    pub identity: bool,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ConstraintKind {
    PrimaryKey {
        columns: Vec<String>,
    },
    Unique {
        columns: Vec<String>,
    },
    ForeignKey {
        columns: Vec<String>,
        references: ForeignKeyRef,
    },
    Check {
        expression: String,
    },
    /// MySQL's inline `INDEX name (cols)` inside CREATE TABLE.
    Index {
        columns: Vec<String>,
    },
    Exclude,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableConstraint {
    pub name: Option<String>,
    pub kind: ConstraintKind,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateTable {
    pub name: QualifiedName,
    pub if_not_exists: bool,
    pub columns: Vec<ColumnDef>,
    pub constraints: Vec<TableConstraint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum AlterAction {
    AddColumn {
        column: ColumnDef,
        if_not_exists: bool,
    },
    DropColumn {
        name: String,
        if_exists: bool,
    },
    RenameColumn {
        from: String,
        to: String,
    },
    RenameTable {
        to: String,
    },
    RenameConstraint {
        from: String,
        to: String,
    },
    AlterColumnType {
        column: String,
        data_type: String,
    },
    SetNotNull {
        column: String,
    },
    DropNotNull {
        column: String,
    },
    SetDefault {
        column: String,
        default: String,
    },
    DropDefault {
        column: String,
    },
    AddConstraint {
        constraint: TableConstraint,
    },
    DropConstraint {
        name: String,
        if_exists: bool,
    },
    EnableRowLevelSecurity,
    DisableRowLevelSecurity,
    ForceRowLevelSecurity,
    NoForceRowLevelSecurity,
    /// Anything else (`OWNER TO`, `SET SCHEMA`, …), by its leading words.
    Other {
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlterTable {
    pub name: QualifiedName,
    pub if_exists: bool,
    pub actions: Vec<AlterAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKey {
    Column(String),
    /// `lower(email)`, `(data->>'id')`: text as written.
    Expression(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreateIndex {
    pub name: Option<String>,
    pub table: QualifiedName,
    pub unique: bool,
    pub concurrently: bool,
    pub if_not_exists: bool,
    pub method: Option<String>,
    pub keys: Vec<IndexKey>,
    /// `WHERE …` of a partial index.
    pub predicate: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyCommand {
    All,
    Select,
    Insert,
    Update,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatePolicy {
    pub name: String,
    pub table: QualifiedName,
    pub permissive: bool,
    pub command: PolicyCommand,
    /// `public` when no `TO` clause is given, as Postgres defaults.
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlterPolicy {
    pub name: String,
    pub table: QualifiedName,
    pub rename_to: Option<String>,
    pub roles: Option<Vec<String>>,
    pub using: Option<String>,
    pub with_check: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "statement")]
pub enum StatementKind {
    CreateTable(CreateTable),
    AlterTable(AlterTable),
    CreateIndex(CreateIndex),
    DropTable {
        names: Vec<QualifiedName>,
        if_exists: bool,
    },
    DropIndex {
        names: Vec<QualifiedName>,
        if_exists: bool,
    },
    CreatePolicy(CreatePolicy),
    AlterPolicy(AlterPolicy),
    DropPolicy {
        name: String,
        table: QualifiedName,
        if_exists: bool,
    },
    AlterType {
        name: QualifiedName,
        action: String,
    },
    Truncate {
        tables: Vec<QualifiedName>,
    },
    /// Any other statement, by its first keywords (`create function`, `grant`, `do`).
    Other {
        keywords: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub line: u32,
    pub kind: StatementKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SqlError {
    pub line: u32,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParsedSql {
    pub statements: Vec<Statement>,
    pub errors: Vec<SqlError>,
}

/// Reads every statement of a migration. Statements that cannot be read are reported in
/// `errors` with their line; the rest are still returned, in order. An unreadable column or
/// ALTER action is reported on its own line and skipped, keeping the rest of its statement.
pub fn parse_sql(source: &str) -> ParsedSql {
    let tokens = tokenize(source);
    let mut parsed = ParsedSql::default();
    for tokens in split_statements(&tokens) {
        let line = tokens[0].line;
        match parse_statement(source, tokens, &mut parsed.errors) {
            Ok(kind) => parsed.statements.push(Statement { line, kind }),
            Err(reason) => parsed.errors.push(SqlError { line, reason }),
        }
    }
    parsed
}

// ---------------------------------------------------------------------------------------
// Extraction

type Parse<T> = Result<T, String>;

/// Words that end a column's type and start its constraints.
const COLUMN_CONSTRAINT_WORDS: &[&str] = &[
    "constraint",
    "not",
    "null",
    "primary",
    "unique",
    "references",
    "default",
    "check",
    "generated",
    "collate",
    "auto_increment",
    "autoincrement",
];

struct Cursor<'t> {
    source: &'t str,
    tokens: &'t [Token],
    pos: usize,
}

impl<'t> Cursor<'t> {
    fn new(source: &'t str, tokens: &'t [Token]) -> Self {
        Cursor {
            source,
            tokens,
            pos: 0,
        }
    }
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.pos)
    }
    fn peek_at(&self, offset: usize) -> Option<&'t Token> {
        self.tokens.get(self.pos + offset)
    }
    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }
    fn bump(&mut self) -> Option<&'t Token> {
        let token = self.tokens.get(self.pos);
        if token.is_some() {
            self.pos += 1;
        }
        token
    }
    fn is_word(&self, word: &str) -> bool {
        self.peek().is_some_and(|t| t.is_word(word))
    }
    fn eat_word(&mut self, word: &str) -> bool {
        let hit = self.is_word(word);
        if hit {
            self.pos += 1;
        }
        hit
    }
    /// Eats the whole sequence or nothing.
    fn eat_words(&mut self, words: &[&str]) -> bool {
        let hit = words
            .iter()
            .enumerate()
            .all(|(n, w)| self.peek_at(n).is_some_and(|t| t.is_word(w)));
        if hit {
            self.pos += words.len();
        }
        hit
    }
    fn is_punct(&self, c: char) -> bool {
        self.peek().is_some_and(|t| t.is_punct(c))
    }
    fn eat_punct(&mut self, c: char) -> bool {
        let hit = self.is_punct(c);
        if hit {
            self.pos += 1;
        }
        hit
    }
    fn ident(&mut self) -> Option<String> {
        let token = self.peek().filter(|t| t.is_ident())?;
        self.pos += 1;
        Some(token.text.clone())
    }
    fn expect_ident(&mut self, what: &str) -> Parse<String> {
        self.ident().ok_or_else(|| format!("expected {what}"))
    }
    /// `name`, `schema.name` or `db.schema.name` (the database part is dropped).
    fn qualified_name(&mut self) -> Option<QualifiedName> {
        let mut parts = vec![self.ident()?];
        while parts.len() < 3 && self.is_punct('.') && self.peek_at(1).is_some_and(Token::is_ident)
        {
            self.pos += 1;
            parts.extend(self.ident());
        }
        let name = parts.pop()?;
        Some(QualifiedName {
            schema: parts.pop(),
            name,
        })
    }
    fn expect_qualified_name(&mut self, what: &str) -> Parse<QualifiedName> {
        self.qualified_name()
            .ok_or_else(|| format!("expected {what}"))
    }
    /// At `(`: returns the tokens inside the balanced group and moves past its `)`.
    fn paren_group(&mut self) -> Option<&'t [Token]> {
        if !self.is_punct('(') {
            return None;
        }
        let open = self.pos;
        let mut depth = 0usize;
        while let Some(token) = self.bump() {
            if token.is_punct('(') {
                depth += 1;
            } else if token.is_punct(')') {
                depth -= 1;
                if depth == 0 {
                    return Some(&self.tokens[open + 1..self.pos - 1]);
                }
            }
        }
        Some(&self.tokens[open + 1..])
    }
    fn rest(&self) -> &'t [Token] {
        self.tokens.get(self.pos..).unwrap_or(&[])
    }
    fn text(&self, tokens: &[Token]) -> String {
        raw_text(self.source, tokens)
    }
}

/// The source text spanned by `tokens`, as written.
fn raw_text(source: &str, tokens: &[Token]) -> String {
    match (tokens.first(), tokens.last()) {
        (Some(first), Some(last)) => source
            .get(first.start..last.end)
            .unwrap_or("")
            .trim()
            .to_string(),
        _ => String::new(),
    }
}

/// Type text with keywords lowercased and spaces only between words: `numeric(10,2)`.
fn render_type(tokens: &[Token]) -> String {
    let mut out = String::new();
    let mut previous_was_word = false;
    for token in tokens {
        let is_word = token.kind != TokenKind::Punct;
        if is_word && previous_was_word {
            out.push(' ');
        }
        out.push_str(&token.text);
        previous_was_word = is_word;
    }
    out
}

/// Splits on commas outside parentheses and brackets.
fn split_commas(tokens: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.is_punct('(') || token.is_punct('[') {
            depth += 1;
        } else if token.is_punct(')') || token.is_punct(']') {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && token.is_punct(',') {
            parts.push(&tokens[start..i]);
            start = i + 1;
        }
    }
    parts.push(&tokens[start..]);
    parts.retain(|p| !p.is_empty());
    parts
}

/// `(a, b DESC, "C")` → the leading identifier of each entry.
fn ident_list(tokens: &[Token]) -> Vec<String> {
    split_commas(tokens)
        .into_iter()
        .filter_map(|part| {
            part.first()
                .filter(|t| t.is_ident())
                .map(|t| t.text.clone())
        })
        .collect()
}

fn leading_keywords(tokens: &[Token]) -> String {
    let words: Vec<&str> = tokens
        .iter()
        .take_while(|t| t.kind == TokenKind::Word)
        .take(4)
        .map(|t| t.text.as_str())
        .collect();
    let count = if words.get(1) == Some(&"or") { 4 } else { 2 };
    words
        .iter()
        .take(count)
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_statement(
    source: &str,
    tokens: &[Token],
    errors: &mut Vec<SqlError>,
) -> Parse<StatementKind> {
    let mut c = Cursor::new(source, tokens);
    let other = || StatementKind::Other {
        keywords: leading_keywords(tokens),
    };
    if c.eat_word("create") {
        c.eat_words(&["or", "replace"]);
        let checkpoint = c.pos;
        for modifier in ["global", "local", "temp", "temporary", "unlogged"] {
            c.eat_word(modifier);
        }
        if c.eat_word("table") {
            return parse_create_table(&mut c, errors);
        }
        c.pos = checkpoint;
        let unique = c.eat_word("unique");
        if c.eat_word("index") {
            return parse_create_index(&mut c, unique);
        }
        if c.eat_word("policy") {
            return parse_create_policy(&mut c);
        }
        return Ok(other());
    }
    if c.eat_word("alter") {
        if c.eat_word("table") {
            return parse_alter_table(&mut c, errors);
        }
        if c.eat_word("policy") {
            return parse_alter_policy(&mut c);
        }
        if c.eat_word("type") {
            let name = c.expect_qualified_name("a type name after ALTER TYPE")?;
            return Ok(StatementKind::AlterType {
                name,
                action: c.text(c.rest()),
            });
        }
        return Ok(other());
    }
    if c.eat_word("drop") {
        if c.eat_word("table") {
            let if_exists = c.eat_words(&["if", "exists"]);
            let names = name_list(&mut c, "a table name after DROP TABLE")?;
            return Ok(StatementKind::DropTable { names, if_exists });
        }
        if c.eat_word("index") {
            c.eat_word("concurrently");
            let if_exists = c.eat_words(&["if", "exists"]);
            let names = name_list(&mut c, "an index name after DROP INDEX")?;
            return Ok(StatementKind::DropIndex { names, if_exists });
        }
        if c.eat_word("policy") {
            let if_exists = c.eat_words(&["if", "exists"]);
            let name = c.expect_ident("a policy name after DROP POLICY")?;
            if !c.eat_word("on") {
                return Err("expected ON after the policy name".into());
            }
            let table = c.expect_qualified_name("a table name after ON")?;
            return Ok(StatementKind::DropPolicy {
                name,
                table,
                if_exists,
            });
        }
        return Ok(other());
    }
    if c.eat_word("truncate") {
        c.eat_word("table");
        c.eat_word("only");
        let tables = name_list(&mut c, "a table name after TRUNCATE")?;
        return Ok(StatementKind::Truncate { tables });
    }
    Ok(other())
}

fn name_list(c: &mut Cursor, what: &str) -> Parse<Vec<QualifiedName>> {
    let mut names = vec![c.expect_qualified_name(what)?];
    while c.eat_punct(',') {
        names.push(c.expect_qualified_name(what)?);
    }
    Ok(names)
}

fn parse_create_table(c: &mut Cursor, errors: &mut Vec<SqlError>) -> Parse<StatementKind> {
    let if_not_exists = c.eat_words(&["if", "not", "exists"]);
    let name = c.expect_qualified_name("a table name after CREATE TABLE")?;
    let mut table = CreateTable {
        name,
        if_not_exists,
        columns: Vec::new(),
        constraints: Vec::new(),
    };
    // `AS SELECT …` and `PARTITION OF …` create a table whose columns we cannot see.
    let Some(body) = c.paren_group() else {
        if c.is_word("as") || c.is_word("partition") || c.is_word("of") {
            return Ok(StatementKind::CreateTable(table));
        }
        return Err(format!("expected ( after CREATE TABLE {}", table.name.name));
    };
    for element in split_commas(body) {
        let mut e = Cursor::new(c.source, element);
        if e.is_word("like") {
            continue;
        }
        let parsed = match parse_table_constraint(&mut e) {
            Ok(Some(constraint)) => {
                table.constraints.push(constraint);
                Ok(())
            }
            Ok(None) => parse_column(&mut e).map(|column| table.columns.push(column)),
            Err(reason) => Err(reason),
        };
        if let Err(reason) = parsed {
            errors.push(SqlError {
                line: element[0].line,
                reason,
            });
        }
    }
    Ok(StatementKind::CreateTable(table))
}

/// A table-level constraint, or `None` when the element is a column definition.
fn parse_table_constraint(c: &mut Cursor) -> Parse<Option<TableConstraint>> {
    let line = c.peek().map_or(0, |t| t.line);
    let start = c.pos;
    let name = if c.eat_word("constraint") {
        Some(c.expect_ident("a constraint name")?)
    } else {
        None
    };
    let kind = if c.eat_words(&["primary", "key"]) {
        ConstraintKind::PrimaryKey {
            columns: ident_list(c.paren_group().unwrap_or_default()),
        }
    } else if c.is_word("unique")
        && !c.peek_at(1).is_some_and(|t| {
            t.is_word("index")
                || t.is_word("key")
                || t.is_punct('(')
                || t.is_word("nulls")
                || t.is_word("using")
        })
    {
        // `unique text` would be a column named "unique"; let the column parser have it.
        c.pos = start;
        return Ok(None);
    } else if c.eat_word("unique") {
        let mysql_named = c.eat_word("index") || c.eat_word("key");
        if c.eat_word("nulls") {
            c.eat_word("not");
            c.eat_word("distinct");
        }
        let mysql_name = if mysql_named && !c.is_punct('(') {
            c.ident()
        } else {
            None
        };
        let columns = if c.eat_words(&["using", "index"]) {
            Vec::new()
        } else {
            ident_list(c.paren_group().unwrap_or_default())
        };
        return Ok(Some(TableConstraint {
            name: name.or(mysql_name),
            kind: ConstraintKind::Unique { columns },
            line,
        }));
    } else if c.eat_words(&["foreign", "key"]) {
        let columns = ident_list(c.paren_group().unwrap_or_default());
        if !c.eat_word("references") {
            return Err("expected REFERENCES after FOREIGN KEY (…)".into());
        }
        ConstraintKind::ForeignKey {
            columns,
            references: parse_reference(c)?,
        }
    } else if c.eat_word("check") {
        ConstraintKind::Check {
            expression: c.paren_group().map(|g| c.text(g)).unwrap_or_default(),
        }
    } else if c.eat_word("exclude") {
        ConstraintKind::Exclude
    } else if name.is_none()
        && (c.is_word("index") || c.is_word("key"))
        && (c.peek_at(1).is_some_and(|t| t.is_punct('('))
            || (c
                .peek_at(1)
                .is_some_and(|t| t.kind == TokenKind::QuotedIdent)
                && c.peek_at(2).is_some_and(|t| t.is_punct('('))))
    {
        c.pos += 1;
        let index_name = if c.is_punct('(') { None } else { c.ident() };
        let columns = ident_list(c.paren_group().unwrap_or_default());
        return Ok(Some(TableConstraint {
            name: index_name,
            kind: ConstraintKind::Index { columns },
            line,
        }));
    } else if name.is_some() {
        return Err(format!(
            "unknown constraint after CONSTRAINT {}",
            name.unwrap_or_default()
        ));
    } else {
        c.pos = start;
        return Ok(None);
    };
    Ok(Some(TableConstraint { name, kind, line }))
}

/// After `REFERENCES`: `table [(cols)] [MATCH …] [ON DELETE …] [ON UPDATE …] [DEFERRABLE …]`.
fn parse_reference(c: &mut Cursor) -> Parse<ForeignKeyRef> {
    let table = c.expect_qualified_name("a table name after REFERENCES")?;
    let columns = c.paren_group().map(ident_list).unwrap_or_default();
    let mut reference = ForeignKeyRef {
        table,
        columns,
        on_delete: None,
        on_update: None,
    };
    loop {
        if c.eat_words(&["on", "delete"]) {
            reference.on_delete = Some(referential_action(c));
        } else if c.eat_words(&["on", "update"]) {
            reference.on_update = Some(referential_action(c));
        } else if c.eat_word("match") {
            c.bump();
        } else if c.eat_word("deferrable") || c.eat_words(&["not", "deferrable"]) {
        } else if c.eat_word("initially") {
            c.bump();
        } else {
            return Ok(reference);
        }
    }
}

fn referential_action(c: &mut Cursor) -> String {
    let action = if c.eat_words(&["set", "null"]) {
        "set null".to_string()
    } else if c.eat_words(&["set", "default"]) {
        "set default".to_string()
    } else if c.eat_words(&["no", "action"]) {
        "no action".to_string()
    } else {
        c.bump()
            .map(|t| t.text.to_ascii_lowercase())
            .unwrap_or_default()
    };
    c.paren_group(); // `SET NULL (col)` (Postgres 15)
    action
}

fn parse_column(c: &mut Cursor) -> Parse<ColumnDef> {
    let line = c.peek().map_or(0, |t| t.line);
    let name = c.expect_ident("a column name")?;
    let type_start = c.pos;
    let mut depth = 0usize;
    while let Some(token) = c.peek() {
        if depth == 0
            && token.kind == TokenKind::Word
            && COLUMN_CONSTRAINT_WORDS.contains(&token.text.as_str())
        {
            break;
        }
        if token.is_punct('(') {
            depth += 1;
        } else if token.is_punct(')') {
            depth = depth.saturating_sub(1);
        }
        c.pos += 1;
    }
    let data_type = render_type(&c.tokens[type_start..c.pos]);
    let identity = matches!(
        data_type.as_str(),
        "serial" | "bigserial" | "smallserial" | "serial4" | "serial8"
    );
    let mut column = ColumnDef {
        name,
        data_type,
        not_null: identity,
        primary_key: false,
        unique: false,
        default: None,
        references: None,
        identity,
        line,
    };
    while !c.at_end() {
        if c.eat_word("constraint") {
            c.ident();
        } else if c.eat_words(&["not", "null"]) {
            column.not_null = true;
        } else if c.eat_words(&["primary", "key"]) {
            column.primary_key = true;
            column.not_null = true;
        } else if c.eat_word("unique") {
            column.unique = true;
            if c.eat_word("nulls") {
                c.eat_word("not");
                c.eat_word("distinct");
            }
        } else if c.eat_word("references") {
            column.references = Some(parse_reference(c)?);
        } else if c.eat_word("default") {
            let start = c.pos;
            let mut depth = 0usize;
            while let Some(token) = c.peek() {
                if depth == 0
                    && token.kind == TokenKind::Word
                    && COLUMN_CONSTRAINT_WORDS.contains(&token.text.as_str())
                    && c.pos > start
                {
                    break;
                }
                if token.is_punct('(') {
                    depth += 1;
                } else if token.is_punct(')') {
                    depth = depth.saturating_sub(1);
                }
                c.pos += 1;
            }
            column.default = Some(c.text(&c.tokens[start..c.pos]));
        } else if c.eat_word("generated") {
            while !c.at_end() && !c.is_word("as") {
                c.pos += 1;
            }
            c.eat_word("as");
            if c.eat_word("identity") {
                column.identity = true;
                column.not_null = true;
            }
            c.paren_group();
            c.eat_word("stored");
        } else if c.eat_word("check") {
            c.paren_group();
        } else if c.eat_word("collate") {
            c.qualified_name();
        } else if c.eat_word("auto_increment") || c.eat_word("autoincrement") {
            column.identity = true;
        } else {
            c.pos += 1;
        }
    }
    Ok(column)
}

fn parse_create_index(c: &mut Cursor, unique: bool) -> Parse<StatementKind> {
    let concurrently = c.eat_word("concurrently");
    let if_not_exists = c.eat_words(&["if", "not", "exists"]);
    let name = if c.is_word("on") {
        None
    } else {
        c.qualified_name().map(|n| n.name)
    };
    if !c.eat_word("on") {
        return Err("expected ON in CREATE INDEX".into());
    }
    c.eat_word("only");
    let table = c.expect_qualified_name("a table name after ON")?;
    let method = if c.eat_word("using") { c.ident() } else { None };
    let group = c
        .paren_group()
        .ok_or("expected ( with the indexed columns")?;
    let keys = split_commas(group)
        .into_iter()
        .map(|element| index_key(c.source, element))
        .collect();
    let mut predicate = None;
    while let Some(token) = c.bump() {
        if token.is_word("where") {
            predicate = Some(c.text(c.rest()));
            break;
        }
    }
    Ok(StatementKind::CreateIndex(CreateIndex {
        name,
        table,
        unique,
        concurrently,
        if_not_exists,
        method,
        keys,
        predicate,
    }))
}

/// One index element: a column (with optional opclass, order, nulls) or an expression.
fn index_key(source: &str, element: &[Token]) -> IndexKey {
    let mut c = Cursor::new(source, element);
    if c.is_punct('(') {
        let inner = c.paren_group().unwrap_or_default();
        return IndexKey::Expression(raw_text(source, inner));
    }
    let start = c.pos;
    let ident = c.ident();
    match ident {
        Some(_) if c.is_punct('(') || c.is_punct('.') => {
            c.qualified_name();
            c.paren_group();
            IndexKey::Expression(raw_text(source, &element[start..c.pos]))
        }
        Some(name) if c.at_end() || c.peek().is_some_and(|t| t.is_ident()) => {
            IndexKey::Column(name)
        }
        _ => IndexKey::Expression(raw_text(source, element)),
    }
}

fn parse_alter_table(c: &mut Cursor, errors: &mut Vec<SqlError>) -> Parse<StatementKind> {
    let if_exists = c.eat_words(&["if", "exists"]);
    c.eat_word("only");
    let name = c.expect_qualified_name("a table name after ALTER TABLE")?;
    c.eat_punct('*');
    let mut actions = Vec::new();
    for part in split_commas(c.rest()) {
        let mut a = Cursor::new(c.source, part);
        match parse_alter_action(&mut a) {
            Ok(action) => actions.push(action),
            Err(reason) => errors.push(SqlError {
                line: part[0].line,
                reason,
            }),
        }
    }
    if actions.is_empty() {
        return Err(format!("ALTER TABLE {} has no readable action", name.name));
    }
    Ok(StatementKind::AlterTable(AlterTable {
        name,
        if_exists,
        actions,
    }))
}

fn parse_alter_action(c: &mut Cursor) -> Parse<AlterAction> {
    if c.eat_word("add") {
        if c.eat_word("column") {
            let if_not_exists = c.eat_words(&["if", "not", "exists"]);
            return Ok(AlterAction::AddColumn {
                column: parse_column(c)?,
                if_not_exists,
            });
        }
        let if_not_exists = c.eat_words(&["if", "not", "exists"]);
        if let Some(constraint) = parse_table_constraint(c)? {
            return Ok(AlterAction::AddConstraint { constraint });
        }
        return Ok(AlterAction::AddColumn {
            column: parse_column(c)?,
            if_not_exists,
        });
    }
    if c.eat_word("drop") {
        if c.eat_word("constraint") {
            let if_exists = c.eat_words(&["if", "exists"]);
            return Ok(AlterAction::DropConstraint {
                name: c.expect_ident("a constraint name")?,
                if_exists,
            });
        }
        if c.is_word("column") || c.peek().is_some_and(|t| t.is_ident()) && !c.is_word("default") {
            c.eat_word("column");
            let if_exists = c.eat_words(&["if", "exists"]);
            return Ok(AlterAction::DropColumn {
                name: c.expect_ident("a column name after DROP COLUMN")?,
                if_exists,
            });
        }
    }
    if c.eat_word("rename") {
        if c.eat_word("to") {
            return Ok(AlterAction::RenameTable {
                to: c.expect_ident("a new table name")?,
            });
        }
        if c.eat_word("constraint") {
            let from = c.expect_ident("a constraint name")?;
            c.eat_word("to");
            return Ok(AlterAction::RenameConstraint {
                from,
                to: c.expect_ident("a new constraint name")?,
            });
        }
        c.eat_word("column");
        let from = c.expect_ident("a column name after RENAME")?;
        if !c.eat_word("to") {
            return Err("expected TO in RENAME COLUMN".into());
        }
        return Ok(AlterAction::RenameColumn {
            from,
            to: c.expect_ident("a new column name")?,
        });
    }
    if c.eat_word("alter") {
        c.eat_word("column");
        let column = c.expect_ident("a column name after ALTER COLUMN")?;
        if c.eat_words(&["set", "data", "type"]) || c.eat_word("type") {
            let start = c.pos;
            while !c.at_end() && !c.is_word("using") && !c.is_word("collate") {
                c.pos += 1;
            }
            return Ok(AlterAction::AlterColumnType {
                column,
                data_type: render_type(&c.tokens[start..c.pos]),
            });
        }
        if c.eat_words(&["set", "not", "null"]) {
            return Ok(AlterAction::SetNotNull { column });
        }
        if c.eat_words(&["drop", "not", "null"]) {
            return Ok(AlterAction::DropNotNull { column });
        }
        if c.eat_words(&["set", "default"]) {
            return Ok(AlterAction::SetDefault {
                column,
                default: c.text(c.rest()),
            });
        }
        if c.eat_words(&["drop", "default"]) {
            return Ok(AlterAction::DropDefault { column });
        }
        return Ok(AlterAction::Other {
            text: format!("alter column {column} {}", leading_keywords(c.rest())),
        });
    }
    if c.eat_words(&["enable", "row", "level", "security"]) {
        return Ok(AlterAction::EnableRowLevelSecurity);
    }
    if c.eat_words(&["disable", "row", "level", "security"]) {
        return Ok(AlterAction::DisableRowLevelSecurity);
    }
    if c.eat_words(&["force", "row", "level", "security"]) {
        return Ok(AlterAction::ForceRowLevelSecurity);
    }
    if c.eat_words(&["no", "force", "row", "level", "security"]) {
        return Ok(AlterAction::NoForceRowLevelSecurity);
    }
    Ok(AlterAction::Other {
        text: leading_keywords(c.tokens),
    })
}

/// `[AS PERMISSIVE|RESTRICTIVE] [FOR cmd] [TO roles] [USING (…)] [WITH CHECK (…)]`, in any order.
struct PolicyClauses {
    permissive: bool,
    command: PolicyCommand,
    roles: Option<Vec<String>>,
    using: Option<String>,
    with_check: Option<String>,
    rename_to: Option<String>,
}

fn parse_policy_clauses(c: &mut Cursor) -> Parse<PolicyClauses> {
    let mut clauses = PolicyClauses {
        permissive: true,
        command: PolicyCommand::All,
        roles: None,
        using: None,
        with_check: None,
        rename_to: None,
    };
    while !c.at_end() {
        if c.eat_words(&["rename", "to"]) {
            clauses.rename_to = Some(c.expect_ident("a new policy name")?);
        } else if c.eat_word("as") {
            clauses.permissive = !c.eat_word("restrictive");
            c.eat_word("permissive");
        } else if c.eat_word("for") {
            clauses.command = match c.bump().map(|t| t.text.as_str()) {
                Some("all") => PolicyCommand::All,
                Some("select") => PolicyCommand::Select,
                Some("insert") => PolicyCommand::Insert,
                Some("update") => PolicyCommand::Update,
                Some("delete") => PolicyCommand::Delete,
                other => {
                    return Err(format!(
                        "unknown policy command {}",
                        other.unwrap_or("(end)")
                    ))
                }
            };
        } else if c.eat_word("to") {
            let mut roles = vec![c.expect_ident("a role after TO")?];
            while c.eat_punct(',') {
                roles.push(c.expect_ident("a role")?);
            }
            clauses.roles = Some(roles);
        } else if c.eat_word("using") {
            let group = c.paren_group().ok_or("expected ( after USING")?;
            clauses.using = Some(c.text(group));
        } else if c.eat_words(&["with", "check"]) {
            let group = c.paren_group().ok_or("expected ( after WITH CHECK")?;
            clauses.with_check = Some(c.text(group));
        } else {
            let found = c.peek().map(|t| t.text.clone()).unwrap_or_default();
            return Err(format!("unexpected `{found}` in policy"));
        }
    }
    Ok(clauses)
}

fn policy_head(c: &mut Cursor, verb: &str) -> Parse<(String, QualifiedName)> {
    // A single-quoted name is invalid Postgres but common in generated code; read it anyway.
    let name = match c.peek() {
        Some(t) if t.kind == TokenKind::String => {
            c.bump().map(|t| t.text.clone()).unwrap_or_default()
        }
        _ => c.expect_ident(&format!("a policy name after {verb} POLICY"))?,
    };
    if !c.eat_word("on") {
        return Err("expected ON after the policy name".into());
    }
    Ok((name, c.expect_qualified_name("a table name after ON")?))
}

fn parse_create_policy(c: &mut Cursor) -> Parse<StatementKind> {
    let (name, table) = policy_head(c, "CREATE")?;
    let clauses = parse_policy_clauses(c)?;
    Ok(StatementKind::CreatePolicy(CreatePolicy {
        name,
        table,
        permissive: clauses.permissive,
        command: clauses.command,
        roles: clauses.roles.unwrap_or_else(|| vec!["public".to_string()]),
        using: clauses.using,
        with_check: clauses.with_check,
    }))
}

fn parse_alter_policy(c: &mut Cursor) -> Parse<StatementKind> {
    let (name, table) = policy_head(c, "ALTER")?;
    let clauses = parse_policy_clauses(c)?;
    Ok(StatementKind::AlterPolicy(AlterPolicy {
        name,
        table,
        rename_to: clauses.rename_to,
        roles: clauses.roles,
        using: clauses.using,
        with_check: clauses.with_check,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(TokenKind, String)> {
        tokenize(source)
            .into_iter()
            .map(|t| (t.kind, t.text))
            .collect()
    }

    fn one(source: &str) -> StatementKind {
        let parsed = parse_sql(source);
        assert!(parsed.errors.is_empty(), "errors: {:?}", parsed.errors);
        assert_eq!(parsed.statements.len(), 1, "{:?}", parsed.statements);
        parsed
            .statements
            .into_iter()
            .next()
            .map(|s| s.kind)
            .unwrap_or(StatementKind::Other {
                keywords: String::new(),
            })
    }

    fn qn(schema: Option<&str>, name: &str) -> QualifiedName {
        QualifiedName {
            schema: schema.map(str::to_string),
            name: name.to_string(),
        }
    }

    #[test]
    fn tokenizer_skips_comments_including_nested_block_comments() {
        let tokens = kinds("select /* outer /* inner */ still comment */ 1 -- trailing\n, 2");
        assert_eq!(
            tokens,
            vec![
                (TokenKind::Word, "select".into()),
                (TokenKind::Number, "1".into()),
                (TokenKind::Punct, ",".into()),
                (TokenKind::Number, "2".into()),
            ]
        );
    }

    #[test]
    fn tokenizer_reads_strings_identifiers_and_dollar_bodies() {
        let tokens = kinds(r#"'it''s' E'a\'b' "My ""Table""" $$ a; b $$ $fn$ x $$ y $fn$ $1"#);
        assert_eq!(
            tokens,
            vec![
                (TokenKind::String, "it's".into()),
                (TokenKind::String, "a'b".into()),
                (TokenKind::QuotedIdent, "My \"Table\"".into()),
                (TokenKind::DollarString, " a; b ".into()),
                (TokenKind::DollarString, " x $$ y ".into()),
                (TokenKind::Param, "$1".into()),
            ]
        );
    }

    #[test]
    fn tokenizer_counts_lines_through_multiline_tokens() {
        let tokens = tokenize("/* a\nb */ one\n'x\ny' two\n$$\n$$ three");
        let lines: Vec<(String, u32)> = tokens.iter().map(|t| (t.text.clone(), t.line)).collect();
        assert_eq!(lines[0], ("one".to_string(), 2));
        assert_eq!(lines[2], ("two".to_string(), 4));
        assert_eq!(lines[4], ("three".to_string(), 6));
    }

    #[test]
    fn splitter_ignores_semicolons_in_bodies_and_begin_atomic() {
        let source = "create function f() returns int language sql begin atomic select 1; select case when true then 2 end; end;\n\
                      select 'a;b'; do $$ begin perform 1; end $$;";
        let tokens = tokenize(source);
        let statements = split_statements(&tokens);
        assert_eq!(statements.len(), 3);
        assert_eq!(statements[1][0].text, "select");
        assert_eq!(statements[2][0].text, "do");
    }

    #[test]
    fn create_table_with_column_and_table_constraints() {
        let kind = one("create table if not exists public.invoices (
               id uuid primary key default gen_random_uuid(),
               user_id uuid not null references auth.users (id) on delete cascade,
               number text unique,
               amount numeric(12, 2) not null default 0,
               created_at timestamp with time zone default now() not null,
               org_id uuid,
               constraint invoices_org_fk foreign key (org_id) references orgs on delete set null,
               unique (org_id, number),
               check (amount >= 0)
             );");
        let StatementKind::CreateTable(table) = kind else {
            panic!("not a table: {kind:?}")
        };
        assert_eq!(table.name, qn(Some("public"), "invoices"));
        assert!(table.if_not_exists);
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["id", "user_id", "number", "amount", "created_at", "org_id"]
        );
        let id = &table.columns[0];
        assert!(id.primary_key && id.not_null);
        assert_eq!(id.default.as_deref(), Some("gen_random_uuid()"));
        let user_id = &table.columns[1];
        let reference = user_id
            .references
            .as_ref()
            .expect("user_id references auth.users");
        assert_eq!(reference.table, qn(Some("auth"), "users"));
        assert_eq!(reference.columns, ["id"]);
        assert_eq!(reference.on_delete.as_deref(), Some("cascade"));
        assert!(table.columns[2].unique);
        assert_eq!(table.columns[3].data_type, "numeric(12,2)");
        assert_eq!(table.columns[3].default.as_deref(), Some("0"));
        assert_eq!(table.columns[4].data_type, "timestamp with time zone");
        assert_eq!(table.columns[4].default.as_deref(), Some("now()"));
        assert!(table.columns[4].not_null);
        assert_eq!(table.columns[4].line, 6);
        assert_eq!(table.constraints.len(), 3);
        assert!(
            matches!(&table.constraints[0].kind, ConstraintKind::ForeignKey { columns, references }
            if columns == &["org_id"] && references.on_delete.as_deref() == Some("set null") && references.columns.is_empty())
        );
        assert_eq!(
            table.constraints[0].name.as_deref(),
            Some("invoices_org_fk")
        );
        assert!(
            matches!(&table.constraints[1].kind, ConstraintKind::Unique { columns } if columns == &["org_id", "number"])
        );
    }

    #[test]
    fn quoted_names_keep_case_and_schema() {
        let kind = one(
            r#"CREATE TABLE "public"."Invoice" ("Id" TEXT NOT NULL, "amountCents" INTEGER, CONSTRAINT "Invoice_pkey" PRIMARY KEY ("Id"))"#,
        );
        let StatementKind::CreateTable(table) = kind else {
            panic!()
        };
        assert_eq!(table.name, qn(Some("public"), "Invoice"));
        assert_eq!(table.columns[0].name, "Id");
        assert_eq!(table.columns[0].data_type, "text");
        assert!(
            matches!(&table.constraints[0].kind, ConstraintKind::PrimaryKey { columns } if columns == &["Id"])
        );
    }

    #[test]
    fn alter_table_actions() {
        let kind = one("ALTER TABLE IF EXISTS ONLY public.profiles
               ADD COLUMN IF NOT EXISTS email text not null,
               DROP COLUMN legacy_id,
               ALTER COLUMN price TYPE numeric(10,2) USING price::numeric,
               ADD CONSTRAINT profiles_email_key UNIQUE (email),
               ENABLE ROW LEVEL SECURITY");
        let StatementKind::AlterTable(alter) = kind else {
            panic!()
        };
        assert_eq!(alter.name, qn(Some("public"), "profiles"));
        assert!(alter.if_exists);
        assert!(
            matches!(&alter.actions[0], AlterAction::AddColumn { column, if_not_exists: true } if column.name == "email" && column.not_null)
        );
        assert!(
            matches!(&alter.actions[1], AlterAction::DropColumn { name, .. } if name == "legacy_id")
        );
        assert!(
            matches!(&alter.actions[2], AlterAction::AlterColumnType { column, data_type } if column == "price" && data_type == "numeric(10,2)")
        );
        assert!(
            matches!(&alter.actions[3], AlterAction::AddConstraint { constraint } if constraint.name.as_deref() == Some("profiles_email_key"))
        );
        assert_eq!(alter.actions[4], AlterAction::EnableRowLevelSecurity);
    }

    #[test]
    fn alter_table_renames_and_rls_forms() {
        let renames = parse_sql(
            "alter table invoices rename column total to amount;
             alter table invoices rename to bills;
             alter table bills force row level security;
             alter table bills owner to postgres;",
        );
        let actions: Vec<AlterAction> = renames
            .statements
            .into_iter()
            .filter_map(|s| match s.kind {
                StatementKind::AlterTable(a) => a.actions.into_iter().next(),
                _ => None,
            })
            .collect();
        assert_eq!(
            actions,
            vec![
                AlterAction::RenameColumn {
                    from: "total".into(),
                    to: "amount".into()
                },
                AlterAction::RenameTable { to: "bills".into() },
                AlterAction::ForceRowLevelSecurity,
                AlterAction::Other {
                    text: "owner to".into()
                },
            ]
        );
    }

    #[test]
    fn create_index_forms() {
        let kind = one("create unique index concurrently if not exists idx_users_email on only public.users using btree (lower(email), org_id desc nulls last) where deleted_at is null");
        let StatementKind::CreateIndex(index) = kind else {
            panic!()
        };
        assert!(index.unique && index.concurrently && index.if_not_exists);
        assert_eq!(index.name.as_deref(), Some("idx_users_email"));
        assert_eq!(index.table, qn(Some("public"), "users"));
        assert_eq!(index.method.as_deref(), Some("btree"));
        assert_eq!(
            index.keys,
            vec![
                IndexKey::Expression("lower(email)".into()),
                IndexKey::Column("org_id".into())
            ]
        );
        assert_eq!(index.predicate.as_deref(), Some("deleted_at is null"));

        let StatementKind::CreateIndex(unnamed) =
            one(r#"CREATE INDEX ON "Post"("authorId", ((data->>'slug')))"#)
        else {
            panic!()
        };
        assert_eq!(unnamed.name, None);
        assert_eq!(
            unnamed.keys,
            vec![
                IndexKey::Column("authorId".into()),
                IndexKey::Expression("(data->>'slug')".into())
            ]
        );
    }

    #[test]
    fn policies_with_quoted_names_and_clauses() {
        let kind = one(
            r#"create policy "Users can view own invoices" on public.invoices as permissive for select to authenticated, anon using (auth.uid() = user_id);"#,
        );
        let StatementKind::CreatePolicy(policy) = kind else {
            panic!()
        };
        assert_eq!(policy.name, "Users can view own invoices");
        assert_eq!(policy.table, qn(Some("public"), "invoices"));
        assert_eq!(policy.command, PolicyCommand::Select);
        assert_eq!(policy.roles, ["authenticated", "anon"]);
        assert_eq!(policy.using.as_deref(), Some("auth.uid() = user_id"));
        assert!(policy.permissive);

        let StatementKind::CreatePolicy(insert) =
            one("create policy insert_own on invoices as restrictive for insert with check ((select auth.uid()) = user_id)")
        else {
            panic!()
        };
        assert!(!insert.permissive);
        assert_eq!(insert.roles, ["public"]);
        assert_eq!(
            insert.with_check.as_deref(),
            Some("(select auth.uid()) = user_id")
        );
        assert_eq!(insert.using, None);

        assert_eq!(
            one(r#"drop policy if exists "Users can view own invoices" on public.invoices"#),
            StatementKind::DropPolicy {
                name: "Users can view own invoices".into(),
                table: qn(Some("public"), "invoices"),
                if_exists: true
            }
        );
    }

    #[test]
    fn drops_truncate_alter_type_and_others() {
        let parsed = parse_sql(
            "drop table if exists a, public.b cascade;
             drop index concurrently if exists public.idx_a;
             truncate table only audit_log;
             alter type invoice_status add value 'void';
             create or replace function public.touch() returns trigger as $$ begin return new; end $$ language plpgsql;
             grant select on invoices to anon;",
        );
        assert!(parsed.errors.is_empty());
        let kinds: Vec<StatementKind> = parsed.statements.into_iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds[0],
            StatementKind::DropTable {
                names: vec![qn(None, "a"), qn(Some("public"), "b")],
                if_exists: true
            }
        );
        assert_eq!(
            kinds[1],
            StatementKind::DropIndex {
                names: vec![qn(Some("public"), "idx_a")],
                if_exists: true
            }
        );
        assert_eq!(
            kinds[2],
            StatementKind::Truncate {
                tables: vec![qn(None, "audit_log")]
            }
        );
        assert_eq!(
            kinds[3],
            StatementKind::AlterType {
                name: qn(None, "invoice_status"),
                action: "add value 'void'".into()
            }
        );
        assert_eq!(
            kinds[4],
            StatementKind::Other {
                keywords: "create or replace function".into()
            }
        );
        assert_eq!(
            kinds[5],
            StatementKind::Other {
                keywords: "grant select".into()
            }
        );
    }

    #[test]
    fn bad_statement_is_reported_with_its_line_and_the_rest_still_parse() {
        let parsed = parse_sql("create table a (id int);\n\ncreate table;\ncreate index on t;\ncreate table b (id int);");
        assert_eq!(parsed.statements.len(), 2);
        assert_eq!(
            parsed.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            [3, 4]
        );
        assert!(
            parsed.errors[0].reason.contains("table name"),
            "{}",
            parsed.errors[0].reason
        );
    }

    #[test]
    fn unreadable_column_or_action_is_reported_and_the_statement_kept() {
        let parsed = parse_sql("create table c (\n  id int,\n  constraint weird sparkle,\n  name text\n);\nalter table c add column email text, frobnicate, drop column name;");
        assert_eq!(
            parsed.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            [3]
        );
        let StatementKind::CreateTable(table) = &parsed.statements[0].kind else {
            panic!()
        };
        assert_eq!(
            table
                .columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["id", "name"]
        );
        let StatementKind::AlterTable(alter) = &parsed.statements[1].kind else {
            panic!()
        };
        assert_eq!(
            alter.actions.len(),
            3,
            "unknown actions are kept as Other: {:?}",
            alter.actions
        );
    }

    #[test]
    fn mysql_inline_indexes_from_prisma_migrations() {
        let kind = one("CREATE TABLE `User` (`id` INTEGER NOT NULL AUTO_INCREMENT, `email` VARCHAR(191) NOT NULL, `key` VARCHAR(20), UNIQUE INDEX `User_email_key`(`email`), INDEX `User_key_idx`(`key`), PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4");
        let StatementKind::CreateTable(table) = kind else {
            panic!()
        };
        assert_eq!(table.columns.len(), 3);
        assert!(table.columns[0].identity);
        assert_eq!(table.columns[2].name, "key");
        assert_eq!(table.constraints.len(), 3);
        assert!(
            matches!(&table.constraints[1].kind, ConstraintKind::Index { columns } if columns == &["key"])
        );
    }

    /// A tiny deterministic generator so the test needs no dependency.
    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn never_panics_on_random_bytes_or_truncated_statements() {
        let sample = "create table public.t (id uuid primary key default gen_random_uuid(), x numeric(10,2) references u(id) on delete cascade, unique (x));\n\
                      alter table only \"public\".\"t\" add constraint c foreign key (x) references u; create unique index concurrently i on t using gin ((d->>'k'));\n\
                      create policy \"p\" on t for select to authenticated using (auth.uid() = id) with check (true); drop policy p on t;\n\
                      create function f() returns trigger as $body$ begin /* nested /* c */ */ return 'it''s'; end $body$ language plpgsql; E'\\'' $1 é \"ü\"";
        for end in 0..=sample.len() {
            if sample.is_char_boundary(end) {
                let _ = parse_sql(&sample[..end]);
            }
        }
        let alphabet: &[u8] = b"();,.'\"$/*-\n aceilnprtuxE0123456789[]\\`";
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            let length = (xorshift(&mut state) % 200) as usize;
            let bytes: Vec<u8> = (0..length)
                .map(|_| alphabet[(xorshift(&mut state) % alphabet.len() as u64) as usize])
                .collect();
            let _ = parse_sql(&String::from_utf8_lossy(&bytes));
            let raw: Vec<u8> = (0..length).map(|_| xorshift(&mut state) as u8).collect();
            let _ = parse_sql(&String::from_utf8_lossy(&raw));
        }
    }
}
