//! Languages: how a path maps to a language, which tree-sitter grammar parses it, and the
//! compiled queries from `queries/<lang>/`. Language syntax lives in the query files.

use std::path::Path;
use std::sync::OnceLock;

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

    /// Source text of the language's query files, keyed by purpose (`tags`, `complexity`).
    pub fn query_source(self, purpose: QueryPurpose) -> Option<String> {
        macro_rules! q {
            ($lang:literal) => {
                match purpose {
                    QueryPurpose::Tags => include_str!(concat!("../queries/", $lang, "/tags.scm")).to_string(),
                    QueryPurpose::Complexity => include_str!(concat!("../queries/", $lang, "/complexity.scm")).to_string(),
                }
            };
        }
        Some(match self {
            Lang::TypeScript => q!("typescript"),
            Lang::Tsx => match purpose {
                QueryPurpose::Tags => format!("{}\n{}", q!("typescript"), include_str!("../queries/tsx/tags.scm")),
                QueryPurpose::Complexity => q!("typescript"),
            },
            Lang::JavaScript => q!("javascript"),
            Lang::Python => q!("python"),
            Lang::Go => q!("go"),
            Lang::Rust => q!("rust"),
            Lang::Java => q!("java"),
            Lang::Ruby => q!("ruby"),
            _ => return None,
        })
    }

    /// The compiled query, built once per process. Built-in queries are tested to compile.
    pub fn query(self, purpose: QueryPurpose) -> Option<&'static Query> {
        static CACHE: OnceLock<Vec<((Lang, QueryPurpose), Query)>> = OnceLock::new();
        let all = CACHE.get_or_init(|| {
            let mut out = Vec::new();
            for lang in Lang::PARSED {
                for purpose in [QueryPurpose::Tags, QueryPurpose::Complexity] {
                    match compile(lang, purpose) {
                        Ok(q) => out.push(((lang, purpose), q)),
                        Err(e) => panic!("built-in query queries/{}/{:?} does not compile: {e}", lang.name(), purpose),
                    }
                }
            }
            out
        });
        all.iter().find(|(k, _)| *k == (self, purpose)).map(|(_, q)| q)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryPurpose {
    Tags,
    Complexity,
}

/// Compiles one of a language's built-in queries against its grammar.
pub fn compile(lang: Lang, purpose: QueryPurpose) -> Result<Query, tree_sitter::QueryError> {
    let grammar = lang.grammar().expect("parsed language has a grammar");
    let source = lang.query_source(purpose).expect("parsed language has queries");
    Query::new(&grammar, &source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_query_compiles_against_its_grammar() {
        for lang in Lang::PARSED {
            for purpose in [QueryPurpose::Tags, QueryPurpose::Complexity] {
                if let Err(e) = compile(lang, purpose) {
                    panic!("queries/{}/{:?}: {e}", lang.name(), purpose);
                }
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
