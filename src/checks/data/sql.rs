//! What a SQL string in application code does: its operation, the tables it reads or writes
//! (with aliases), the columns its WHERE and JOIN conditions compare, its ORDER BY columns and
//! whether it is bounded (LIMIT) or an aggregate. Tolerant like the migration reader it
//! shares a tokenizer with: whatever it cannot follow is left out, never an error.

use crate::schema::sql::{split_statements, tokenize, Token, TokenKind};

use super::access::{ColumnUse, Filter, Op, TableRef};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SqlShape {
    pub op: Option<Op>,
    pub tables: Vec<TableRef>,
    pub filters: Vec<ColumnUse>,
    pub sorts: Vec<ColumnUse>,
    pub limit: bool,
    pub aggregate: bool,
    /// `BEGIN`, `START TRANSACTION` or `COMMIT` in the text.
    pub transaction: bool,
}

/// Words that are never column names in a condition or an ORDER BY item.
const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "null",
    "true",
    "false",
    "select",
    "from",
    "where",
    "order",
    "by",
    "group",
    "having",
    "limit",
    "offset",
    "join",
    "on",
    "as",
    "in",
    "is",
    "like",
    "ilike",
    "between",
    "case",
    "when",
    "then",
    "else",
    "end",
    "exists",
    "any",
    "all",
    "asc",
    "desc",
    "nulls",
    "first",
    "last",
    "distinct",
    "left",
    "right",
    "inner",
    "outer",
    "full",
    "cross",
    "using",
    "set",
    "values",
    "returning",
    "interval",
    "current_date",
    "current_timestamp",
    "now",
    "lateral",
    "union",
    "except",
    "intersect",
    "fetch",
    "for",
    "update",
    "with",
];
const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "array_agg",
    "string_agg",
    "json_agg",
    "jsonb_agg",
    "bool_and",
    "bool_or",
];
const CLAUSE_ENDS: &[&str] = &[
    "group",
    "order",
    "limit",
    "offset",
    "having",
    "fetch",
    "for",
    "returning",
    "union",
    "window",
    "except",
    "intersect",
];

/// Whether `text` reads like a SQL statement rather than prose ("Select a plan from…").
pub fn looks_like_sql(text: &str) -> bool {
    let lower: String = text
        .trim_start()
        .chars()
        .take(400)
        .collect::<String>()
        .to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '*')
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    match words.first().copied() {
        Some("select") => {
            has("from")
                && (lower.contains('*')
                    || lower.contains(',')
                    || has("where")
                    || lower.contains('$')
                    || lower.contains('%')
                    || lower.contains('?')
                    || has("limit")
                    || has("order"))
        }
        Some("with") => has("as") && has("select"),
        Some("insert") => has("into"),
        Some("update") => has("set"),
        Some("delete") => has("from"),
        Some("begin") | Some("commit") => words.len() <= 3,
        Some("start") => has("transaction"),
        _ => false,
    }
}

/// Reads every statement of `text`; `first_line` is the line the text starts on.
pub fn shape(text: &str, first_line: u32) -> SqlShape {
    let tokens = tokenize(text);
    let mut out = SqlShape::default();
    for statement in split_statements(&tokens) {
        read_statement(statement, first_line, &mut out);
    }
    out
}

fn is_word(t: Option<&Token>, w: &str) -> bool {
    t.is_some_and(|t| t.kind == TokenKind::Word && t.text == w)
}

fn is_punct(t: Option<&Token>, p: &str) -> bool {
    t.is_some_and(|t| t.kind == TokenKind::Punct && t.text == p)
}

fn is_name(t: &Token) -> bool {
    matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent)
        && !KEYWORDS.contains(&t.text.as_str())
}

/// Depth of every token (parentheses), and the end of each subquery `(select …)` to skip.
fn depths(tokens: &[Token]) -> Vec<usize> {
    let mut depth = 0usize;
    tokens
        .iter()
        .map(|t| {
            if t.kind == TokenKind::Punct && t.text == "(" {
                depth += 1;
                depth - 1
            } else if t.kind == TokenKind::Punct && t.text == ")" {
                depth = depth.saturating_sub(1);
                depth
            } else {
                depth
            }
        })
        .collect()
}

fn read_statement(tokens: &[Token], first_line: u32, out: &mut SqlShape) {
    let depth = depths(tokens);
    let line = |t: &Token| first_line + t.line - 1;
    match tokens.first().map(|t| t.text.as_str()) {
        Some("begin") | Some("commit") | Some("start") => {
            out.transaction = true;
            return;
        }
        _ => {}
    }
    // The main statement: the first SELECT/INSERT/UPDATE/DELETE at depth 0 (after any CTEs).
    let Some(main) = tokens.iter().enumerate().position(|(i, t)| {
        depth[i] == 0
            && t.kind == TokenKind::Word
            && matches!(t.text.as_str(), "select" | "insert" | "update" | "delete")
    }) else {
        return;
    };
    let top = |i: usize| depth[i] == 0;
    let word_at =
        |w: &str, from: usize| (from..tokens.len()).find(|&i| top(i) && is_word(tokens.get(i), w));
    let op = match tokens[main].text.as_str() {
        "select" => Op::Read,
        "insert" => Op::Insert,
        "update" => Op::Update,
        _ => Op::Delete,
    };
    if out.op.is_none() || out.op == Some(Op::Read) && op != Op::Read {
        out.op = Some(op);
    }
    let mut conditions: Vec<(usize, usize, Filter)> = Vec::new();
    match op {
        Op::Read => {
            let from = word_at("from", main).unwrap_or(tokens.len());
            let list_has_aggregate = (main..from).any(|i| {
                AGGREGATES.contains(&tokens[i].text.as_str()) && is_punct(tokens.get(i + 1), "(")
            });
            out.aggregate |= list_has_aggregate;
            let mut i = from + 1;
            i = read_table_list(tokens, &depth, i, out);
            // Joins and their ON conditions, then WHERE.
            while i < tokens.len() && top(i) {
                let t = &tokens[i];
                if t.kind == TokenKind::Word && t.text == "join" {
                    i = read_table(tokens, i + 1, out);
                    if is_word(tokens.get(i), "on") {
                        let end = (i + 1..tokens.len())
                            .find(|&j| {
                                top(j)
                                    && tokens[j].kind == TokenKind::Word
                                    && (matches!(
                                        tokens[j].text.as_str(),
                                        "join"
                                            | "where"
                                            | "left"
                                            | "right"
                                            | "inner"
                                            | "full"
                                            | "cross"
                                    ) || CLAUSE_ENDS.contains(&tokens[j].text.as_str()))
                            })
                            .unwrap_or(tokens.len());
                        conditions.push((i + 1, end, Filter::Join));
                        i = end;
                    }
                    continue;
                }
                if t.kind == TokenKind::Word
                    && (t.text == "where" || CLAUSE_ENDS.contains(&t.text.as_str()))
                {
                    break;
                }
                i += 1;
            }
            if let Some(w) = (i..tokens.len()).find(|&j| top(j) && is_word(tokens.get(j), "where"))
            {
                let end = (w + 1..tokens.len())
                    .find(|&j| {
                        top(j)
                            && tokens[j].kind == TokenKind::Word
                            && CLAUSE_ENDS.contains(&tokens[j].text.as_str())
                    })
                    .unwrap_or(tokens.len());
                conditions.push((w + 1, end, Filter::Eq));
            }
            if let Some(o) = (main..tokens.len()).find(|&j| {
                top(j) && is_word(tokens.get(j), "order") && is_word(tokens.get(j + 1), "by")
            }) {
                read_order_by(tokens, &depth, o + 2, first_line, out);
            }
            out.limit |= (main..tokens.len()).any(|j| {
                top(j)
                    && (is_word(tokens.get(j), "limit")
                        || (is_word(tokens.get(j), "fetch")
                            && (is_word(tokens.get(j + 1), "first")
                                || is_word(tokens.get(j + 1), "next"))))
            });
        }
        Op::Update => {
            let i = read_table(tokens, main + 1, out);
            let _ = i;
            if let Some(w) = word_at("where", main) {
                let end = (w + 1..tokens.len())
                    .find(|&j| top(j) && is_word(tokens.get(j), "returning"))
                    .unwrap_or(tokens.len());
                conditions.push((w + 1, end, Filter::Eq));
            }
        }
        Op::Delete => {
            if is_word(tokens.get(main + 1), "from") {
                read_table(tokens, main + 2, out);
            }
            if let Some(w) = word_at("where", main) {
                let end = (w + 1..tokens.len())
                    .find(|&j| top(j) && is_word(tokens.get(j), "returning"))
                    .unwrap_or(tokens.len());
                conditions.push((w + 1, end, Filter::Eq));
            }
        }
        Op::Insert => {
            if is_word(tokens.get(main + 1), "into") {
                read_table(tokens, main + 2, out);
            }
        }
        _ => {}
    }
    for (from, to, kind) in conditions {
        read_conditions(&tokens[from..to.min(tokens.len())], kind, &line, out);
    }
}

/// `a [as] x, b y` up to the first keyword; returns the index after it.
fn read_table_list(tokens: &[Token], depth: &[usize], mut i: usize, out: &mut SqlShape) -> usize {
    loop {
        if is_punct(tokens.get(i), "(") {
            // A subquery in FROM: skip it and its alias.
            let d = depth[i];
            i += 1;
            while i < tokens.len() && !(depth[i] == d && is_punct(tokens.get(i), ")")) {
                i += 1;
            }
            i += 1;
            if is_word(tokens.get(i), "as") {
                i += 1;
            }
            if tokens.get(i).is_some_and(is_name) {
                i += 1;
            }
        } else {
            i = read_table(tokens, i, out);
        }
        if is_punct(tokens.get(i), ",") {
            i += 1;
        } else {
            return i;
        }
    }
}

/// `[schema.]name [[as] alias]`; returns the index after it.
fn read_table(tokens: &[Token], mut i: usize, out: &mut SqlShape) -> usize {
    if is_word(tokens.get(i), "only") || is_word(tokens.get(i), "lateral") {
        i += 1;
    }
    let Some(first) = tokens
        .get(i)
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent))
    else {
        return i;
    };
    let mut name = first.text.clone();
    i += 1;
    if is_punct(tokens.get(i), ".") {
        if let Some(t) = tokens
            .get(i + 1)
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent))
        {
            name = format!("{name}.{}", t.text);
            i += 2;
        }
    }
    if is_punct(tokens.get(i), "(") {
        return i; // a function call (`generate_series(…)`), not a table
    }
    if is_word(tokens.get(i), "as") {
        i += 1;
    }
    let alias = tokens
        .get(i)
        .filter(|t| is_name(t) && !matches!(t.text.as_str(), "natural" | "tablesample"))
        .map(|t| t.text.clone());
    if alias.is_some() {
        i += 1;
    }
    if !out
        .tables
        .iter()
        .any(|t| t.name == name && t.alias == alias)
    {
        out.tables.push(TableRef { name, alias });
    }
    i
}

/// Column references compared in a condition: `[q.]col <op> …`, and both sides of a join.
fn read_conditions(
    tokens: &[Token],
    kind: Filter,
    line: &dyn Fn(&Token) -> u32,
    out: &mut SqlShape,
) {
    let depth = depths(tokens);
    let mut skip_to: Option<usize> = None;
    let mut i = 0;
    while i < tokens.len() {
        if let Some(d) = skip_to {
            if depth[i] < d || (depth[i] == d && is_punct(tokens.get(i), ")")) {
                skip_to = None;
            }
            i += 1;
            continue;
        }
        // `(select …)`: a subquery's columns belong to another table.
        if is_punct(tokens.get(i), "(") && is_word(tokens.get(i + 1), "select") {
            skip_to = Some(depth[i]);
            i += 1;
            continue;
        }
        let Some((qualifier, column, next)) = column_ref(tokens, i) else {
            i += 1;
            continue;
        };
        let previous_is_operator = i > 0 && matches!(tokens[i - 1].text.as_str(), "=" | "<" | ">");
        let filter = comparison(tokens, next).map(|f| {
            if kind == Filter::Join {
                Filter::Join
            } else {
                f
            }
        });
        let joined = kind == Filter::Join && previous_is_operator && qualifier.is_some();
        if let Some(filter) = filter.or(joined.then_some(Filter::Join)) {
            out.filters.push(ColumnUse {
                column,
                qualifier,
                line: line(&tokens[i]),
                filter,
            });
        }
        i = next;
    }
}

/// `col` or `q.col` (not a function call); returns (qualifier, column, index after).
fn column_ref(tokens: &[Token], i: usize) -> Option<(Option<String>, String, usize)> {
    let t = tokens.get(i)?;
    if !is_name(t) || (i > 0 && is_punct(tokens.get(i - 1), ".")) {
        return None;
    }
    if is_punct(tokens.get(i + 1), ".") {
        let c = tokens
            .get(i + 2)
            .filter(|c| matches!(c.kind, TokenKind::Word | TokenKind::QuotedIdent))?;
        if is_punct(tokens.get(i + 3), "(") || is_punct(tokens.get(i + 3), ".") {
            return None;
        }
        return Some((Some(t.text.clone()), c.text.clone(), i + 3));
    }
    if is_punct(tokens.get(i + 1), "(") {
        return None;
    }
    Some((None, t.text.clone(), i + 1))
}

/// The comparison that follows a column, if any.
fn comparison(tokens: &[Token], i: usize) -> Option<Filter> {
    let t = tokens.get(i)?;
    match (t.kind, t.text.as_str()) {
        (TokenKind::Punct, "=") => Some(Filter::Eq),
        (TokenKind::Punct, "<") | (TokenKind::Punct, ">") => {
            if is_punct(tokens.get(i + 1), ">") && t.text == "<" {
                None // <>
            } else {
                Some(Filter::Range)
            }
        }
        (TokenKind::Word, "in") => Some(Filter::In),
        (TokenKind::Word, "between") => Some(Filter::Range),
        (TokenKind::Word, "like") | (TokenKind::Word, "ilike") => Some(Filter::Like),
        (TokenKind::Word, "is") => Some(Filter::Null),
        _ => None,
    }
}

fn read_order_by(
    tokens: &[Token],
    depth: &[usize],
    mut i: usize,
    first_line: u32,
    out: &mut SqlShape,
) {
    let base = depth.get(i).copied().unwrap_or(0);
    let mut item_start = true;
    while i < tokens.len() {
        let t = &tokens[i];
        if depth[i] == base
            && t.kind == TokenKind::Word
            && matches!(t.text.as_str(), "limit" | "offset" | "fetch" | "for")
        {
            break;
        }
        if depth[i] == base && is_punct(Some(t), ")") {
            break;
        }
        if item_start {
            if let Some((qualifier, column, next)) = column_ref(tokens, i) {
                let ends_item = next >= tokens.len()
                    || is_punct(tokens.get(next), ",")
                    || tokens[next].kind == TokenKind::Word
                        && matches!(
                            tokens[next].text.as_str(),
                            "asc" | "desc" | "nulls" | "limit" | "offset" | "fetch" | "for"
                        );
                if ends_item {
                    out.sorts.push(ColumnUse {
                        column,
                        qualifier,
                        line: first_line + t.line - 1,
                        filter: Filter::Sort,
                    });
                }
            }
            item_start = false;
        }
        if depth[i] == base && is_punct(Some(t), ",") {
            item_start = true;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(uses: &[ColumnUse]) -> Vec<String> {
        uses.iter()
            .map(|u| match &u.qualifier {
                Some(q) => format!("{q}.{}", u.column),
                None => u.column.clone(),
            })
            .collect()
    }

    #[test]
    fn select_with_filters_sort_and_no_limit() {
        let s = shape("SELECT id, number FROM invoices WHERE org_id = %s AND status IN ('a','b') ORDER BY created_at DESC", 10);
        assert_eq!(s.op, Some(Op::Read));
        assert_eq!(
            s.tables,
            vec![TableRef {
                name: "invoices".into(),
                alias: None
            }]
        );
        assert_eq!(cols(&s.filters), ["org_id", "status"]);
        assert_eq!(s.filters[1].filter, Filter::In);
        assert_eq!(cols(&s.sorts), ["created_at"]);
        assert!(!s.limit && !s.aggregate);
        assert_eq!(s.filters[0].line, 10);
    }

    #[test]
    fn joins_aliases_subqueries_and_limits() {
        let s = shape(
            "SELECT c.id, sum(i.amount) AS billed\nFROM customers c JOIN invoices i ON i.customer_id = c.id\nWHERE c.org_id = $1 AND c.id NOT IN (SELECT customer_id FROM blocked WHERE reason = 'x')\nGROUP BY c.id ORDER BY billed DESC LIMIT $2",
            1,
        );
        assert_eq!(s.tables.len(), 2);
        assert_eq!(
            s.tables[1],
            TableRef {
                name: "invoices".into(),
                alias: Some("i".into())
            }
        );
        assert_eq!(cols(&s.filters), ["i.customer_id", "c.id", "c.org_id"]);
        assert_eq!(s.filters[0].line, 2);
        assert_eq!(s.filters[2].line, 3);
        assert!(s.limit && s.aggregate);
    }

    #[test]
    fn writes_and_transactions() {
        let s = shape(
            "UPDATE public.accounts SET balance = balance - $1 WHERE id = $2",
            1,
        );
        assert_eq!(s.op, Some(Op::Update));
        assert_eq!(s.tables[0].name, "public.accounts");
        assert_eq!(cols(&s.filters), ["id"]);
        assert!(shape("BEGIN", 1).transaction);
        assert_eq!(
            shape("insert into events (id) values ($1)", 1).op,
            Some(Op::Insert)
        );
    }

    #[test]
    fn prose_is_not_sql() {
        assert!(!looks_like_sql("Select a plan from the list below"));
        assert!(looks_like_sql("select * from invoices"));
        assert!(looks_like_sql("\n  SELECT id FROM t WHERE a = $1"));
        assert!(!looks_like_sql("update your password"));
    }
}
