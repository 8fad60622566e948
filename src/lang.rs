//! Languages: how a path maps to a language, which tree-sitter grammar parses it, and the
//! compiled queries from `queries/<lang>/`. Language syntax lives in the query files.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{OnceLock, RwLock};

use include_dir::{include_dir, Dir};
use tree_sitter::{Language, Query};

pub use crate::model::Lang;

impl Lang {
    /// Languages with a tree-sitter grammar and extraction queries.
    pub const PARSED: [Lang; 8] = [
        Lang::TypeScript,
        Lang::Tsx,
        Lang::JavaScript,
        Lang::Python,
        Lang::Go,
        Lang::Rust,
        Lang::Java,
        Lang::Ruby,
    ];

    /// Classifies a repository-relative path by its name and extension.
    pub fn from_path(path: &str) -> Lang {
        let name = path.rsplit('/').next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        if matches!(lower.as_str(), "dockerfile" | "makefile" | "gemfile" | "rakefile") {
            return if lower == "gemfile" || lower == "rakefile" { Lang::Ruby } else { Lang::Other };
        }
        let ext = match lower.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => ext,
            _ => return Lang::Other,
        };
        match ext {
            "ts" | "mts" | "cts" => Lang::TypeScript,
            "tsx" => Lang::Tsx,
            "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
            "py" | "pyi" => Lang::Python,
            "go" => Lang::Go,
            "rs" => Lang::Rust,
            "java" => Lang::Java,
            "rb" | "rake" | "gemspec" => Lang::Ruby,
            "sql" => Lang::Sql,
            "prisma" => Lang::Prisma,
            "json" | "jsonc" | "json5" => Lang::Json,
            "yml" | "yaml" => Lang::Yaml,
            "toml" => Lang::Toml,
            "md" | "mdx" | "markdown" => Lang::Markdown,
            "html" | "htm" | "svelte" | "vue" => Lang::Html,
            "css" | "scss" | "sass" | "less" => Lang::Css,
            "sh" | "bash" | "zsh" => Lang::Shell,
            _ => Lang::Other,
        }
    }

    pub fn from_file(path: &Path) -> Lang {
        Lang::from_path(&path.to_string_lossy())
    }

    /// The stable lower-case name used in the store, the CLI and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Lang::TypeScript => "typescript",
            Lang::Tsx => "tsx",
            Lang::JavaScript => "javascript",
            Lang::Python => "python",
            Lang::Go => "go",
            Lang::Rust => "rust",
            Lang::Java => "java",
            Lang::Ruby => "ruby",
            Lang::Sql => "sql",
            Lang::Prisma => "prisma",
            Lang::Json => "json",
            Lang::Yaml => "yaml",
            Lang::Toml => "toml",
            Lang::Markdown => "markdown",
            Lang::Html => "html",
            Lang::Css => "css",
            Lang::Shell => "shell",
            Lang::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<Lang> {
        const ALL: [Lang; 18] = [
            Lang::TypeScript,
            Lang::Tsx,
            Lang::JavaScript,
            Lang::Python,
            Lang::Go,
            Lang::Rust,
            Lang::Java,
            Lang::Ruby,
            Lang::Sql,
            Lang::Prisma,
            Lang::Json,
            Lang::Yaml,
            Lang::Toml,
            Lang::Markdown,
            Lang::Html,
            Lang::Css,
            Lang::Shell,
            Lang::Other,
        ];
        ALL.into_iter().find(|l| l.name() == name)
    }

    pub fn is_parsed(self) -> bool {
        Lang::PARSED.contains(&self)
    }

    /// The tree-sitter grammar, for parsed languages.
    pub fn grammar(self) -> Option<Language> {
        Some(match self {
            Lang::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Lang::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
            Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Lang::Python => tree_sitter_python::LANGUAGE.into(),
            Lang::Go => tree_sitter_go::LANGUAGE.into(),
            Lang::Rust => tree_sitter_rust::LANGUAGE.into(),
            Lang::Java => tree_sitter_java::LANGUAGE.into(),
            Lang::Ruby => tree_sitter_ruby::LANGUAGE.into(),
            _ => return None,
        })
    }

    /// The extraction query: `tags.scm` and `complexity.scm` of the language, compiled as one
    /// query so a file's tree is traversed once.
    pub fn facts_query_source(self) -> Option<String> {
        macro_rules! q {
            ($lang:literal) => {
                concat!(
                    include_str!(concat!("../queries/", $lang, "/tags.scm")),
                    "\n",
                    include_str!(concat!("../queries/", $lang, "/complexity.scm"))
                )
            };
        }
        Some(match self {
            Lang::TypeScript => q!("typescript").to_string(),
            Lang::Tsx => format!("{}\n{}", q!("typescript"), include_str!("../queries/tsx/tags.scm")),
            Lang::JavaScript => q!("javascript").to_string(),
            Lang::Python => q!("python").to_string(),
            Lang::Go => q!("go").to_string(),
            Lang::Rust => q!("rust").to_string(),
            Lang::Java => q!("java").to_string(),
            Lang::Ruby => q!("ruby").to_string(),
            _ => return None,
        })
    }

    /// The compiled extraction query, built once per process and language (a test compiles
    /// them all).
    pub fn facts_query(self) -> Option<&'static Query> {
        static CELLS: [OnceLock<Query>; Lang::PARSED.len()] = [const { OnceLock::new() }; Lang::PARSED.len()];
        let cell = &CELLS[self.parsed_index()?];
        Some(cell.get_or_init(|| {
            compile_facts_query(self).unwrap_or_else(|e| panic!("built-in queries of {} do not compile: {e}", self.name()))
        }))
    }

    /// Position in [`Lang::PARSED`]: one slot per parsed language in the query caches.
    fn parsed_index(self) -> Option<usize> {
        Lang::PARSED.iter().position(|&l| l == self)
    }

    /// Compiles, in parallel, the queries the languages of a run will need. A large query
    /// takes tree-sitter 0.1–0.2 s to compile; compiled on first use instead, the languages
    /// would compile one after the other while the other workers wait.
    pub fn compile_queries(langs: &[Lang], with_checks: bool) {
        use rayon::prelude::*;
        // With the checks, the extraction patterns come with the check set.
        langs.par_iter().filter(|l| l.is_parsed()).for_each(|lang| {
            if with_checks {
                lang.check_query_set();
            } else {
                lang.facts_query();
            }
        });
    }
}

/// Every file under `queries/`, embedded; detectors read `<lang>/checks/<name>.scm` from it.
static QUERIES: Dir = include_dir!("$CARGO_MANIFEST_DIR/queries");

impl Lang {
    /// Where a language's check queries are looked up, most specific first: TSX falls back to
    /// TypeScript, and TypeScript, TSX and JavaScript to `ecmascript/` (node kinds the three
    /// grammars share, so one query serves all of them).
    fn query_dirs(self) -> &'static [&'static str] {
        match self {
            Lang::Tsx => &["tsx", "typescript", "ecmascript"],
            Lang::TypeScript => &["typescript", "ecmascript"],
            Lang::JavaScript => &["javascript", "ecmascript"],
            Lang::Python => &["python"],
            Lang::Go => &["go"],
            Lang::Rust => &["rust"],
            Lang::Java => &["java"],
            Lang::Ruby => &["ruby"],
            _ => &[],
        }
    }

    /// The source of the check query `name` for this language (`queries/<dir>/checks/<name>.scm`).
    pub fn check_query_source(self, name: &str) -> Option<(String, &'static str)> {
        self.query_dirs().iter().find_map(|dir| {
            let path = format!("{dir}/checks/{name}.scm");
            QUERIES.get_file(&path).and_then(|f| f.contents_utf8()).map(|text| (format!("queries/{path}"), text))
        })
    }

    /// The compiled check query `name`, or `None` when the language has none by that name.
    /// Compiled once per process; a test compiles every built-in check query.
    pub fn check_query(self, name: &str) -> Option<&'static Query> {
        // Looked up per node by some detectors: a shared read without allocating on a hit.
        static CACHE: OnceLock<RwLock<HashMap<Lang, HashMap<String, Option<&'static Query>>>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(hit) = cache.read().unwrap_or_else(|e| e.into_inner()).get(&self).and_then(|m| m.get(name)) {
            return *hit;
        }
        let mut cache = cache.write().unwrap_or_else(|e| e.into_inner());
        *cache.entry(self).or_default().entry(name.to_string()).or_insert_with(|| {
            let (path, source) = self.check_query_source(name)?;
            let grammar = self.grammar()?;
            match Query::new(&grammar, source) {
                Ok(q) => Some(&*Box::leak(Box::new(q))),
                Err(e) => panic!("{path} does not compile for {}: {e}", self.name()),
            }
        })
    }
}

/// The extraction query and every check query of a language compiled into one, so that a
/// file is matched in a single cursor pass instead of one pass per query (the passes dominated
/// the checks' time).
pub struct CheckQuerySet {
    pub query: Query,
    /// Patterns `0..facts_patterns` are the extraction query's, in its order.
    pub facts_patterns: usize,
    /// Per later pattern of `query` (`facts_patterns` on): the check query it came from (an
    /// index into `names`) and its pattern index there.
    pub owner: Vec<(usize, usize)>,
    pub names: Vec<String>,
}

impl Lang {
    /// Names of this language's check queries, the first folder's file winning.
    fn check_query_names(self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for dir in self.query_dirs() {
            if let Some(checks) = QUERIES.get_dir(format!("{dir}/checks")) {
                for f in checks.files() {
                    if f.path().extension().is_some_and(|e| e == "scm") {
                        let name = f.path().file_stem().unwrap_or_default().to_string_lossy().to_string();
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    }
                }
            }
        }
        names.sort();
        names
    }

    /// All check queries of this language in one compiled query; compiled once per process.
    pub fn check_query_set(self) -> Option<&'static CheckQuerySet> {
        static CELLS: [OnceLock<Option<CheckQuerySet>>; Lang::PARSED.len()] =
            [const { OnceLock::new() }; Lang::PARSED.len()];
        let cell = &CELLS[self.parsed_index()?];
        cell.get_or_init(|| {
            let grammar = self.grammar()?;
            // The extraction patterns first, so that indexing with the checks walks a tree once.
            let mut source = self.facts_query_source()?;
            source.push('\n');
            let facts_end = source.len();
            let (mut starts, mut names) = (Vec::new(), Vec::new());
            for name in self.check_query_names() {
                let Some((_, text)) = self.check_query_source(&name) else { continue };
                starts.push(source.len());
                names.push(name);
                source.push_str(text);
                source.push('\n');
            }
            let query = Query::new(&grammar, &source).unwrap_or_else(|e| panic!("the check queries of {} do not compile together: {e}", self.name()));
            // A pattern belongs to the file whose text it starts in; its index there counts
            // the earlier patterns of the same file.
            let facts_patterns = (0..query.pattern_count()).take_while(|&p| query.start_byte_for_pattern(p) < facts_end).count();
            let mut owner: Vec<(usize, usize)> = Vec::with_capacity(query.pattern_count() - facts_patterns);
            for p in facts_patterns..query.pattern_count() {
                let file = starts.partition_point(|&s| s <= query.start_byte_for_pattern(p)) - 1;
                let local = owner.iter().rev().take_while(|(f, _)| *f == file).count();
                owner.push((file, local));
            }
            Some(CheckQuerySet { query, facts_patterns, owner, names })
        })
        .as_ref()
    }
}

/// Every built-in check query as (language, name, path), for the test that compiles them all.
pub fn builtin_check_queries() -> Vec<(Lang, String, String)> {
    let mut out = Vec::new();
    for lang in Lang::PARSED {
        for name in lang.check_query_names() {
            if let Some((path, _)) = lang.check_query_source(&name) {
                out.push((lang, name, path));
            }
        }
    }
    out
}

/// Compiles a language's extraction query against its grammar.
pub fn compile_facts_query(lang: Lang) -> Result<Query, tree_sitter::QueryError> {
    let grammar = lang.grammar().expect("parsed language has a grammar");
    let source = lang.facts_query_source().expect("parsed language has queries");
    Query::new(&grammar, &source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_query_compiles_against_its_grammar() {
        for lang in Lang::PARSED {
            if let Err(e) = compile_facts_query(lang) {
                panic!("queries/{}: {e}", lang.name());
            }
        }
    }

    #[test]
    fn every_builtin_check_query_compiles_against_its_grammar() {
        let all = builtin_check_queries();
        assert!(all.iter().any(|(l, n, _)| *l == Lang::Tsx && n == "traits"), "tsx falls back to ecmascript");
        for (lang, name, path) in all {
            let grammar = lang.grammar().unwrap();
            let (_, source) = lang.check_query_source(&name).unwrap();
            if let Err(e) = Query::new(&grammar, source) {
                panic!("{path} ({}): {e}", lang.name());
            }
        }
    }

    #[test]
    fn paths_map_to_languages() {
        assert_eq!(Lang::from_path("src/App.tsx"), Lang::Tsx);
        assert_eq!(Lang::from_path("supabase/functions/x/index.ts"), Lang::TypeScript);
        assert_eq!(Lang::from_path("a/b.mjs"), Lang::JavaScript);
        assert_eq!(Lang::from_path("main.py"), Lang::Python);
        assert_eq!(Lang::from_path("Gemfile"), Lang::Ruby);
        assert_eq!(Lang::from_path(".env"), Lang::Other);
        assert_eq!(Lang::from_path("supabase/migrations/2024_init.sql"), Lang::Sql);
        for lang in Lang::PARSED {
            assert_eq!(Lang::from_name(lang.name()), Some(lang));
        }
    }
}
