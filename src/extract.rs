//! Extraction: parse one file with tree-sitter (bounded by a deadline) and read its facts
//! through the language's queries: imports, definitions, comment lines, lines of code and
//! cyclomatic complexity.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, ParseOptions, Parser, QueryCursor, QueryMatch, Tree};

use crate::lang::Lang;
use crate::model::{DefKind, Definition, FileFacts, Import, ImportKind};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("{0} is not parsed by Plumb")]
    NotParsed(&'static str),
    #[error("parse did not finish within {0} ms")]
    Timeout(u64),
}

/// The parse deadline for a file of `len` bytes: max(250 ms, size / 5 MB/s), capped at 2 s.
pub fn parse_budget(len: usize) -> Duration {
    let proportional = Duration::from_micros(len as u64 / 5);
    proportional.clamp(Duration::from_millis(250), Duration::from_secs(2))
}

thread_local! {
    static PARSERS: RefCell<HashMap<Lang, Parser>> = RefCell::new(HashMap::new());
}

/// Parses `source` as `lang`, giving up at the deadline. One parser per language per thread.
pub fn parse(lang: Lang, source: &str, budget: Duration) -> Result<Tree, ExtractError> {
    let grammar = lang.grammar().ok_or(ExtractError::NotParsed(lang.name()))?;
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let parser = parsers.entry(lang).or_insert_with(|| {
            let mut p = Parser::new();
            p.set_language(&grammar).expect("grammar matches the tree-sitter version");
            p
        });
        let deadline = Instant::now() + budget;
        let bytes = source.as_bytes();
        let mut read = |offset: usize, _| -> &[u8] { bytes.get(offset..).unwrap_or(&[]) };
        let mut past_deadline = |_: &tree_sitter::ParseState| Instant::now() >= deadline;
        let options = ParseOptions::new().progress_callback(&mut past_deadline);
        let tree = parser.parse_with_options(&mut read, None, Some(options));
        // A cancelled parse leaves state behind; the next file must start clean.
        parser.reset();
        tree.ok_or(ExtractError::Timeout(budget.as_millis() as u64))
    })
}

/// Parses and extracts one file's facts.
pub fn extract(lang: Lang, source: &str) -> Result<FileFacts, ExtractError> {
    let tree = parse(lang, source, parse_budget(source.len()))?;
    Ok(facts(lang, source, &tree))
}

/// Reads a parsed tree's facts through the language's queries.
pub fn facts(lang: Lang, source: &str, tree: &Tree) -> FileFacts {
    let query = lang.facts_query().expect("parsed language has queries");
    let mut facts = FactsCollector::default();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, tree.root_node(), source.as_bytes());
    while let Some(m) = matches.next() {
        facts.add(query.capture_names(), m, source.as_bytes());
    }
    facts.finish(source)
}

/// Gathers a file's facts from the matches of the extraction query's patterns, wherever the
/// matches come from: its own cursor pass, or the one pass the checks share with it.
#[derive(Default)]
pub struct FactsCollector<'t> {
    imports: Vec<Import>,
    comments: Vec<(usize, usize)>,
    jsx: Vec<(usize, usize)>,
    exported_nodes: HashSet<usize>,
    exported_names: HashSet<String>,
    /// Definition node id -> (kind, name node, node); the most specific kind wins.
    defs: HashMap<usize, (DefKind, Node<'t>, Node<'t>)>,
    scopes: Vec<(usize, usize)>,
    branches: Vec<usize>,
}

impl<'t> FactsCollector<'t> {
    /// One match of a facts pattern; `names` are the capture names of the query it came from.
    pub fn add(&mut self, names: &[&str], m: &QueryMatch<'_, 't>, bytes: &[u8]) {
        let mut def: Option<(DefKind, Node)> = None;
        let mut name: Option<Node> = None;
        for cap in m.captures {
            let node = cap.node;
            match names[cap.index as usize] {
                "name" => name = Some(node),
                "exported" => {
                    self.exported_nodes.insert(node.id());
                }
                "export.name" => {
                    self.exported_names.insert(text(node, bytes).to_string());
                }
                "comment" => self.comments.push((node.start_byte(), node.end_byte())),
                "jsx" => self.jsx.push((node.start_byte(), node.end_byte())),
                "scope" => self.scopes.push((node.start_byte(), node.end_byte())),
                "branch" => self.branches.push(node.start_byte()),
                "import.source" | "import.dynamic" | "import.require" => {
                    let kind = match names[cap.index as usize] {
                        "import.dynamic" => ImportKind::Dynamic,
                        "import.require" => ImportKind::Require,
                        _ => ImportKind::Static,
                    };
                    self.imports.push(Import {
                        specifier: text(node, bytes).to_string(),
                        line: node.start_position().row as u32 + 1,
                        kind,
                    });
                }
                other => {
                    if let Some(kind) = other.strip_prefix("definition.").and_then(def_kind) {
                        def = Some((kind, node));
                    }
                }
            }
        }
        if let (Some((kind, node)), Some(name)) = (def, name) {
            let entry = self.defs.entry(node.id()).or_insert((kind, name, node));
            if specificity(kind) > specificity(entry.0) {
                entry.0 = kind;
            }
        }
    }

    pub fn finish(self, source: &str) -> FileFacts {
        let FactsCollector { mut imports, mut comments, jsx, exported_nodes, exported_names, defs, scopes, branches } = self;
        let bytes = source.as_bytes();
        let (scopes, function_complexity, file_complexity) = complexity(scopes, branches);

        let mut definitions: Vec<Definition> = defs
            .into_values()
            .map(|(mut kind, name_node, node)| {
                let name = text(name_node, bytes).to_string();
                let range = (node.start_byte(), node.end_byte());
                if matches!(kind, DefKind::Function | DefKind::Class)
                    && name.starts_with(|c: char| c.is_ascii_uppercase())
                    && jsx.iter().any(|j| j.0 >= range.0 && j.1 <= range.1)
                {
                    kind = DefKind::Component;
                }
                let exported = exported_nodes.contains(&node.id())
                    || node.parent().is_some_and(|p| exported_nodes.contains(&p.id()))
                    || (node.parent().is_some_and(|p| p.parent().is_none()) && exported_names.contains(&name));
                let complexity = if matches!(kind, DefKind::Function | DefKind::Method | DefKind::Component) {
                    // The definition's own function is the outermost scope inside its range.
                    scopes
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.0 >= range.0 && s.1 <= range.1)
                        .max_by_key(|(_, s)| (s.1 - s.0, std::cmp::Reverse(s.0)))
                        .map(|(i, _)| function_complexity[i])
                        .unwrap_or(1)
                } else {
                    0
                };
                Definition {
                    name,
                    kind,
                    start_line: node.start_position().row as u32 + 1,
                    end_line: node.end_position().row as u32 + 1,
                    exported,
                    complexity,
                }
            })
            .collect();
        definitions.sort_by(|a, b| (a.start_line, a.end_line, &a.name).cmp(&(b.start_line, b.end_line, &b.name)));
        imports.sort_by(|a, b| (a.line, &a.specifier).cmp(&(b.line, &b.specifier)));
        imports.dedup();

        let (loc, comment_lines) = count_lines(source, &mut comments);
        FileFacts { loc, comment_lines, complexity: file_complexity, imports, definitions }
    }
}

fn def_kind(name: &str) -> Option<DefKind> {
    Some(match name {
        "function" => DefKind::Function,
        "method" => DefKind::Method,
        "class" => DefKind::Class,
        "interface" => DefKind::Interface,
        "type" => DefKind::Type,
        "module" => DefKind::Module,
        _ => return None,
    })
}

fn specificity(kind: DefKind) -> u8 {
    match kind {
        DefKind::Method => 2,
        DefKind::Function => 1,
        _ => 0,
    }
}

fn text<'a>(node: Node, bytes: &'a [u8]) -> &'a str {
    std::str::from_utf8(&bytes[node.byte_range()]).unwrap_or("")
}

/// Returns the scopes (byte ranges, in start order), each scope's cyclomatic complexity
/// (1 + its own branches) and the file's total (all scopes plus module-level branches).
fn complexity(mut scopes: Vec<(usize, usize)>, branches: Vec<usize>) -> (Vec<(usize, usize)>, Vec<u32>, u32) {
    scopes.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
    scopes.dedup();
    let mut own = vec![1u32; scopes.len()];
    let mut module_level = 0u32;
    for b in branches {
        // Innermost scope containing the branch: the last-starting scope that still covers it.
        let upto = scopes.partition_point(|s| s.0 <= b);
        match scopes[..upto].iter().rposition(|s| s.1 > b) {
            Some(i) => own[i] += 1,
            None => module_level += 1,
        }
    }
    let total = (own.iter().sum::<u32>() + module_level).max(1);
    (scopes, own, total)
}

/// Counts lines of code (non-blank, not only comment) and comment lines (lines that hold
/// only comment text).
fn count_lines(source: &str, comments: &mut [(usize, usize)]) -> (u32, u32) {
    comments.sort_unstable();
    let mut loc = 0;
    let mut comment_lines = 0;
    let mut offset = 0;
    let mut ci = 0;
    for line in source.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let first = start + (line.len() - line.trim_start().len());
        let last = start + line.trim_end().len();
        while ci < comments.len() && comments[ci].1 <= first {
            ci += 1;
        }
        // The line is comment-only when comments cover every non-blank byte of it.
        let mut pos = first;
        let mut j = ci;
        while j < comments.len() && comments[j].0 <= pos && pos < last {
            pos = pos.max(comments[j].1);
            j += 1;
            while pos < last && source.as_bytes()[pos].is_ascii_whitespace() {
                pos += 1;
            }
        }
        if pos >= last {
            comment_lines += 1;
        } else {
            loc += 1;
        }
    }
    (loc, comment_lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_code_and_comment_lines() {
        let src = "// header\nconst a = 1; // trailing\n\n/* block\n   more */\nfoo();\n";
        let facts = extract(Lang::JavaScript, src).unwrap();
        assert_eq!((facts.loc, facts.comment_lines), (2, 3));
    }

    #[test]
    fn complexity_counts_branches_per_function_not_callbacks() {
        let src = "export function f(a, b) {\n  if (a && b) { return 1 }\n  return [1].map(x => x ? 1 : 2)\n}\n";
        let facts = extract(Lang::TypeScript, src).unwrap();
        let f = &facts.definitions[0];
        assert_eq!((f.name.as_str(), f.complexity, f.exported), ("f", 3, true));
        // f (1 + if + &&) plus the arrow callback (1 + ternary).
        assert_eq!(facts.complexity, 5);
    }

    #[test]
    fn parse_gives_up_at_the_deadline() {
        let src: String = (0..400_000).map(|i| ['(', '{', '[', '<', '"', '`'][i % 6]).collect();
        let err = parse(Lang::JavaScript, &src, Duration::from_millis(5));
        assert_eq!(err.unwrap_err(), ExtractError::Timeout(5));
        // The thread's parser is usable again afterwards.
        assert!(extract(Lang::JavaScript, "let a = 1").is_ok());
    }
}
