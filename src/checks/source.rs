//! One file as a detector's scan sees it: text, language and (for parsed languages) the
//! tree-sitter tree, with line arithmetic and query helpers. Node kinds and grammar details
//! stay in `queries/<lang>/checks/*.scm`; detectors read captures by name.

use streaming_iterator::StreamingIterator;
use tree_sitter::{Node, QueryCursor, Tree};

use crate::extract::FactsCollector;
use crate::lang::{CheckQuerySet, Lang};
use crate::model::FileFacts;

pub struct SourceFile<'a> {
    pub path: &'a str,
    pub lang: Lang,
    pub text: &'a str,
    pub tree: Option<&'a Tree>,
    line_starts: Vec<usize>,
    /// The matches of every check query over the whole tree, by query: one cursor pass when
    /// the file is opened (a pass per query dominated the checks' time).
    whole_file: Vec<Vec<Captures<'a>>>,
    queries: Option<&'static CheckQuerySet>,
}

/// One match of a check query: its pattern index and captures by name.
#[derive(Clone)]
pub struct Captures<'t> {
    pub pattern: usize,
    names: &'static [&'static str],
    captures: Vec<(u32, Node<'t>)>,
}

impl<'t> Captures<'t> {
    /// The first node captured as `name`.
    pub fn get(&self, name: &str) -> Option<Node<'t>> {
        self.all(name).next()
    }

    /// Every node captured as `name`, in match order.
    pub fn all<'s>(&'s self, name: &'s str) -> impl Iterator<Item = Node<'t>> + 's {
        self.captures
            .iter()
            .filter(move |(i, _)| self.names[*i as usize] == name)
            .map(|(_, n)| *n)
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

impl<'a> SourceFile<'a> {
    pub fn new(path: &'a str, lang: Lang, text: &'a str, tree: Option<&'a Tree>) -> SourceFile<'a> {
        Self::open(path, lang, text, tree, None)
    }

    /// The file and, from the same cursor pass, its extraction facts (for a parsed file whose
    /// language has queries; else the facts are `None`).
    pub fn with_facts(path: &'a str, lang: Lang, text: &'a str, tree: Option<&'a Tree>) -> (SourceFile<'a>, Option<FileFacts>) {
        let mut facts = FactsCollector::default();
        let file = Self::open(path, lang, text, tree, Some(&mut facts));
        let facts = file.queries.is_some().then(|| facts.finish(text));
        (file, facts)
    }

    fn open(path: &'a str, lang: Lang, text: &'a str, tree: Option<&'a Tree>, facts: Option<&mut FactsCollector<'a>>) -> SourceFile<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let queries = tree.and_then(|_| lang.check_query_set());
        SourceFile {
            path,
            lang,
            text,
            tree,
            line_starts,
            whole_file: match (tree, queries) {
                (Some(t), Some(set)) => whole_file_matches(set, t, text, facts),
                _ => Vec::new(),
            },
            queries,
        }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, byte: usize) -> u32 {
        self.line_starts.partition_point(|&s| s <= byte) as u32
    }

    /// The text of 1-based line `n` without its line break ("" past the end).
    pub fn line(&self, n: u32) -> &'a str {
        let Some(&start) = self.line_starts.get((n as usize).wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(n as usize)
            .map_or(self.text.len(), |&e| e - 1);
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// 1-based first and last line of a node.
    pub fn lines(&self, node: Node) -> (u32, u32) {
        (
            node.start_position().row as u32 + 1,
            node.end_position().row as u32 + 1,
        )
    }

    pub fn text_of(&self, node: Node) -> &'a str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// Every match of the check query `name` (`queries/<lang>/checks/<name>.scm`) over the whole
    /// tree; empty when the file is not parsed or its language has no such query.
    pub fn matches(&self, name: &str) -> &[Captures<'a>] {
        let Some(set) = self.queries else { return &[] };
        set.names
            .iter()
            .position(|n| n == name)
            .and_then(|id| self.whole_file.get(id))
            .map_or(&[], Vec::as_slice)
    }

    /// Every match of the check query `name` inside `node`.
    pub fn matches_in(&self, name: &str, node: Node<'a>) -> Vec<Captures<'a>> {
        let Some(query) = self.lang.check_query(name) else {
            return Vec::new();
        };
        let names: &'static [&'static str] = query.capture_names();
        let mut cursor = QueryCursor::new();
        let mut it = cursor.matches(query, node, self.text.as_bytes());
        let mut out = Vec::new();
        while let Some(m) = it.next() {
            out.push(Captures {
                pattern: m.pattern_index,
                names,
                captures: m.captures.iter().map(|c| (c.index, c.node)).collect(),
            });
        }
        out
    }

    /// Whether the path looks like a test, a fixture, a story or a mock (tests are not
    /// production paths: most detectors skip them).
    pub fn is_test(&self) -> bool {
        is_test_path(self.path)
    }
}

fn whole_file_matches<'a>(
    set: &'static CheckQuerySet,
    tree: &'a Tree,
    text: &str,
    mut facts: Option<&mut FactsCollector<'a>>,
) -> Vec<Vec<Captures<'a>>> {
    let names: &'static [&'static str] = set.query.capture_names();
    let mut by_query: Vec<Vec<Captures<'a>>> = vec![Vec::new(); set.names.len()];
    let mut cursor = QueryCursor::new();
    let mut it = cursor.matches(&set.query, tree.root_node(), text.as_bytes());
    while let Some(m) = it.next() {
        if m.pattern_index < set.facts_patterns {
            if let Some(facts) = facts.as_deref_mut() {
                facts.add(names, m, text.as_bytes());
            }
            continue;
        }
        let (query, pattern) = set.owner[m.pattern_index - set.facts_patterns];
        by_query[query].push(Captures { pattern, names, captures: m.captures.iter().map(|c| (c.index, c.node)).collect() });
    }
    by_query
}

/// Test files and folders by the conventions of the common stacks.
pub fn is_test_path(path: &str) -> bool {
    const FOLDERS: [&str; 14] = [
        "__tests__", "__mocks__", "test", "tests", "spec", "specs", "e2e", "cypress",
        "playwright", "fixtures", "__fixtures__", "testdata", "mocks", "stories",
    ];
    let (folders, name) = path.rsplit_once('/').unwrap_or(("", path));
    // Called for every file by most detectors: compared in place, without lowercased copies.
    folders.split('/').any(|f| FOLDERS.iter().any(|t| f.eq_ignore_ascii_case(t)))
        || contains_ignore_case(name, ".test.")
        || contains_ignore_case(name, ".spec.")
        || contains_ignore_case(name, ".stories.")
        || name.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("test_"))
        || ["_test.py", "_test.go", "_spec.rb"].iter().any(|s| ends_with_ignore_case(name, s))
        || name.eq_ignore_ascii_case("conftest.py")
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len() && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based_and_strip_line_breaks() {
        let f = SourceFile::new("a.ts", Lang::TypeScript, "one\r\ntwo\nthree", None);
        assert_eq!(f.line_of(0), 1);
        assert_eq!(f.line_of(5), 2);
        assert_eq!(f.line_of(9), 3);
        assert_eq!(f.line(1), "one");
        assert_eq!(f.line(3), "three");
        assert_eq!(f.line(4), "");
        assert_eq!(f.line(0), "");
    }

    /// The one-pass matching of all check queries finds exactly what each query finds alone.
    #[test]
    fn one_pass_over_all_check_queries_equals_one_pass_per_query() {
        let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/history");
        let files = ["39/supabase/functions/stripe-webhook/index.ts", "23/services/reports/main.py", "17/src/pages/Invoices.tsx"];
        for path in files {
            let text = std::fs::read_to_string(format!("{demo}/{path}")).unwrap();
            let lang = Lang::from_path(path);
            let tree = crate::extract::parse(lang, &text, std::time::Duration::from_secs(5)).unwrap();
            // As indexing opens it: the extraction patterns share the pass.
            let (file, _) = SourceFile::with_facts(path, lang, &text, Some(&tree));
            let set = lang.check_query_set().unwrap();
            let mut found = 0;
            for name in &set.names {
                let key = |m: &Captures| (m.pattern, m.captures.iter().map(|(i, n)| (m.names[*i as usize], n.start_byte(), n.end_byte())).collect::<Vec<_>>());
                let mut together: Vec<_> = file.matches(name).iter().map(key).collect();
                let mut alone: Vec<_> = file.matches_in(name, tree.root_node()).iter().map(key).collect();
                together.sort();
                alone.sort();
                assert_eq!(together, alone, "{path}: query {name}");
                found += alone.len();
            }
            assert!(found > 20, "{path}: the queries match something ({found})");
        }
    }

    /// Facts read in the pass the checks share equal those of extraction's own pass (the check
    /// matches of that pass are held by the test above).
    #[test]
    fn the_shared_pass_reads_the_same_facts_as_extraction() {
        let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/history");
        let files = ["39/supabase/functions/stripe-webhook/index.ts", "23/services/reports/main.py", "17/src/pages/Invoices.tsx"];
        let mut definitions = 0;
        for path in files {
            let text = std::fs::read_to_string(format!("{demo}/{path}")).unwrap();
            let lang = Lang::from_path(path);
            let tree = crate::extract::parse(lang, &text, std::time::Duration::from_secs(5)).unwrap();
            let (_, facts) = SourceFile::with_facts(path, lang, &text, Some(&tree));
            let alone = crate::extract::facts(lang, &text, &tree);
            assert!(alone.loc > 20 && !alone.imports.is_empty(), "{path}: extraction finds something");
            definitions += alone.definitions.len();
            assert_eq!(facts.as_ref(), Some(&alone), "{path}");
        }
        assert!(definitions >= 3, "the files define functions and components ({definitions})");
    }

    #[test]
    fn test_paths_are_recognised() {
        for p in [
            "src/__tests__/pricing.test.ts",
            "tests/test_api.py",
            "app/foo.spec.tsx",
            "pkg/x_test.go",
            "e2e/login.ts",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "src/lib/pricing.ts",
            "src/pages/Testimonials.tsx",
            "services/reports/main.py",
            "src/latest/x.ts",
        ] {
            assert!(!is_test_path(p), "{p}");
        }
    }
}
