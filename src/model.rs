//! Plain domain types shared by the engine's stages. No serialization concerns beyond serde
//! derives; the IPC surface lives in `api`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Languages Plumb recognises. Only some are parsed with tree-sitter; see `lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    TypeScript,
    Tsx,
    JavaScript,
    Python,
    Go,
    Rust,
    Java,
    Ruby,
    Sql,
    Prisma,
    Json,
    Yaml,
    Toml,
    Markdown,
    Html,
    Css,
    Shell,
    Other,
}

/// How an import was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// `import x from "y"`, `export … from`, Python `import`, Go/Java/Rust `use`.
    Static,
    /// `import("y")`.
    Dynamic,
    /// `require("y")`, Ruby `require`.
    Require,
}

/// One import site with its raw specifier, exactly as written (quotes removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    pub specifier: String,
    pub line: u32,
    pub kind: ImportKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefKind {
    Function,
    Method,
    Class,
    /// A function or class whose name starts with a capital letter and that returns JSX.
    Component,
    Interface,
    Type,
    Module,
    Variable,
}

/// A definition with its 1-based inclusive line range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub name: String,
    pub kind: DefKind,
    pub start_line: u32,
    pub end_line: u32,
    pub exported: bool,
    /// Cyclomatic complexity (1 + decision points) for functions and methods, 0 otherwise.
    pub complexity: u32,
}

/// What extraction learns about one parsed file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FileFacts {
    pub loc: u32,
    pub comment_lines: u32,
    /// Sum of the cyclomatic complexity of the file's functions (at least 1 for a parsed file).
    pub complexity: u32,
    pub imports: Vec<Import>,
    pub definitions: Vec<Definition>,
}
