//! The triage catalogue as data: every item of CATALOGUE.md, read from TOML files embedded in
//! the binary (`queries/catalogue/<area>.toml`) and optionally merged with a folder of the
//! consultant's own files, so items and tree-sitter rules can be added without recompiling.
//!
//! A user file uses the same schema as the builtin ones. An item whose id already exists
//! replaces it, a new id is added, and `disabled = true` retires an id:
//!
//! ```toml
//! [[item]]
//! id = "ARCH-PATTERNS"
//! disabled = true
//! ```
//!
//! Every problem in a file is an error naming the file, the line and the field.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use toml::Spanned;

use crate::model::Lang;

static BUILTIN_DIR: Dir = include_dir!("$CARGO_MANIFEST_DIR/queries/catalogue");
/// How builtin files are named in errors (their path in the source tree).
const BUILTIN_PREFIX: &str = "queries/catalogue";

/// The merged catalogue, in catalogue order (by area as in CATALOGUE.md, then file order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalogue {
    items: Vec<Item>,
}

/// One checklist item the consultant walks with the founder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub area: Area,
    pub title: String,
    /// The plain-language question for the founder.
    pub question: String,
    /// How it breaks in production.
    pub why: String,
    /// What the engine looks at.
    pub evidence: String,
    /// When a finding under this item is load-bearing rather than cosmetic.
    pub load_bearing_when: String,
    /// The typical remediation.
    pub fix: String,
    pub effort: Effort,
    pub severity: Severity,
    /// A founder answer that retires the item (e.g. "the product takes no payments").
    pub not_applicable_when: Option<String>,
    /// Tree-sitter query rules added by a consultant; the checks engine runs them.
    pub rules: Vec<Rule>,
}

/// A user-defined detector: a tree-sitter query whose `@match` capture is the finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub lang: Lang,
    pub query: String,
    /// Finding text; `{capture}` placeholders are replaced by the captured source text.
    pub message: String,
    pub confidence: Confidence,
}

/// Languages a rule may target: the ones Plumb parses with tree-sitter.
const RULE_LANGS: [(&str, Lang); 8] = [
    ("typescript", Lang::TypeScript),
    ("tsx", Lang::Tsx),
    ("javascript", Lang::JavaScript),
    ("python", Lang::Python),
    ("go", Lang::Go),
    ("rust", Lang::Rust),
    ("java", Lang::Java),
    ("ruby", Lang::Ruby),
];

/// Catalogue areas, declared in CATALOGUE.md order (which is also their sort order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "UPPERCASE")]
pub enum Area {
    Data,
    Pay,
    Int,
    Auth,
    Sec,
    Err,
    Obs,
    Ops,
    Test,
    Arch,
    Time,
    Know,
    Life,
}

impl Area {
    pub const ALL: [(&'static str, Area); 13] = [
        ("DATA", Area::Data),
        ("PAY", Area::Pay),
        ("INT", Area::Int),
        ("AUTH", Area::Auth),
        ("SEC", Area::Sec),
        ("ERR", Area::Err),
        ("OBS", Area::Obs),
        ("OPS", Area::Ops),
        ("TEST", Area::Test),
        ("ARCH", Area::Arch),
        ("TIME", Area::Time),
        ("KNOW", Area::Know),
        ("LIFE", Area::Life),
    ];

    pub fn as_str(self) -> &'static str {
        name_of(&Self::ALL, self)
    }

    /// The area's heading, for reports and the UI.
    pub fn title(self) -> &'static str {
        match self {
            Area::Data => "The data layer under growth",
            Area::Pay => "Money",
            Area::Int => "Integrations",
            Area::Auth => "Access and tenancy",
            Area::Sec => "Security",
            Area::Err => "Failure handling",
            Area::Obs => "Observability",
            Area::Ops => "Configuration and delivery",
            Area::Test => "Safety net",
            Area::Arch => "Structure and maintainability",
            Area::Time => "Correctness over time and place",
            Area::Know => "Knowledge and provenance",
            Area::Life => "Data lifecycle",
        }
    }
}

/// The nature of an item: ordered so that a more severe value is greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Maintainability.
    Low,
    /// Slow failure, hard diagnosis.
    Medium,
    /// Outage under load, silent corruption.
    High,
    /// Money, data loss, cross-tenant leak, takeover.
    Critical,
}

impl Severity {
    const ALL: [(&'static str, Severity); 4] = [
        ("critical", Severity::Critical),
        ("high", Severity::High),
        ("medium", Severity::Medium),
        ("low", Severity::Low),
    ];
}

/// Default effort of the typical fix: S under a day, M days, L a week or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
pub enum Effort {
    S,
    M,
    L,
}

impl Effort {
    const ALL: [(&'static str, Effort); 3] = [("S", Effort::S), ("M", Effort::M), ("L", Effort::L)];
}

/// How sure a detector is; ordered so that surer is greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    const ALL: [(&'static str, Confidence); 3] = [
        ("high", Confidence::High),
        ("medium", Confidence::Medium),
        ("low", Confidence::Low),
    ];
}

fn name_of<T: Copy + PartialEq>(names: &[(&'static str, T)], value: T) -> &'static str {
    names
        .iter()
        .find(|(_, v)| *v == value)
        .map(|(name, _)| *name)
        .unwrap_or("?")
}

/// Looks `text` up in `names`, or explains what was expected: `unknown value "XL" (expected S, M or L)`.
fn parse_named<T: Copy>(text: &str, names: &[(&str, T)]) -> Result<T, String> {
    if let Some((_, value)) = names.iter().find(|(name, _)| *name == text) {
        return Ok(*value);
    }
    let listed: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
    let expected = match listed.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    Err(format!("unknown value \"{text}\" (expected {expected})"))
}

/// Deserialized through `parse_named`, so a bad value names the ones allowed.
macro_rules! deserialize_named {
    ($($name:ident),*) => {$(
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                parse_named(&text, &$name::ALL).map_err(serde::de::Error::custom)
            }
        }
    )*};
}

deserialize_named!(Area, Severity, Effort, Confidence);

/// A catalogue file that cannot be read or is not valid.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("{}: cannot read: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A syntax, schema or validation error at one place in a file.
    #[error("{}:{line}: {}{message}", .path.display(), ItemPrefix(.item.as_deref()))]
    Invalid {
        path: PathBuf,
        line: usize,
        item: Option<String>,
        message: String,
    },
    #[error(
        "{}:{line}: item \"{id}\" is already defined in {}:{first_line}",
        .path.display(), .first_path.display()
    )]
    DuplicateId {
        id: String,
        path: PathBuf,
        line: usize,
        first_path: PathBuf,
        first_line: usize,
    },
}

/// Displays `item "ID": ` when the error belongs to a known item, nothing otherwise.
struct ItemPrefix<'a>(Option<&'a str>);

impl fmt::Display for ItemPrefix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(id) => write!(f, "item \"{id}\": "),
            None => Ok(()),
        }
    }
}

impl Catalogue {
    /// The catalogue embedded in the binary.
    pub fn builtin() -> Catalogue {
        Self::load(None).expect("the builtin catalogue is valid (checked by its unit tests)")
    }

    /// The builtin catalogue with the `*.toml` files of `user_dir` (if any) merged over it.
    pub fn load(user_dir: Option<&Path>) -> Result<Catalogue, CatalogueError> {
        let mut builtin: Vec<(PathBuf, String)> = BUILTIN_DIR
            .files()
            .filter(|file| file.path().extension().is_some_and(|ext| ext == "toml"))
            .map(|file| {
                let path = Path::new(BUILTIN_PREFIX).join(file.path());
                (path, file.contents_utf8().unwrap_or_default().to_owned())
            })
            .collect();
        builtin.sort();
        let mut items = Vec::new();
        merge_layer(&mut items, &builtin)?;
        if let Some(dir) = user_dir {
            merge_layer(&mut items, &read_user_files(dir)?)?;
        }
        // Stable: inside an area, items keep file order and user additions come last.
        items.sort_by_key(|item| item.area);
        Ok(Catalogue { items })
    }

    /// The builtin catalogue with one user file merged over it.
    #[cfg(fuzzing)]
    pub(crate) fn with_user_file(path: &Path, text: &str) -> Result<Catalogue, CatalogueError> {
        let mut items = Self::builtin().items;
        merge_layer(&mut items, &[(path.to_path_buf(), text.to_string())])?;
        Ok(Catalogue { items })
    }

    /// All items in catalogue order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    pub fn get(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id == id)
    }

    /// The items grouped by area, areas in catalogue order; areas with no item are left out.
    pub fn by_area(&self) -> impl Iterator<Item = (Area, &[Item])> {
        self.items
            .chunk_by(|a, b| a.area == b.area)
            .map(|group| (group[0].area, group))
    }
}

fn read_user_files(dir: &Path) -> Result<Vec<(PathBuf, String)>, CatalogueError> {
    let read_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CatalogueError::Read { path, source }
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error(dir))? {
        let path = entry.map_err(read_error(dir))?.path();
        if path.is_file() && path.extension().is_some_and(|ext| ext == "toml") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(read_error(&path))?;
            Ok((path, text))
        })
        .collect()
}

/// What one `[[item]]` entry of a file asks for.
enum Entry {
    Define(Box<Item>),
    Disable,
}

/// Applies one layer (builtin, or the user's folder) of files to `items`. Inside a layer an id
/// may appear once; across layers the later one replaces or retires the earlier.
fn merge_layer(items: &mut Vec<Item>, files: &[(PathBuf, String)]) -> Result<(), CatalogueError> {
    let mut seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for (path, text) in files {
        for (line, id, entry) in parse_file(path, text)? {
            if let Some((first_path, first_line)) = seen.get(&id) {
                return Err(CatalogueError::DuplicateId {
                    id,
                    path: path.clone(),
                    line,
                    first_path: first_path.clone(),
                    first_line: *first_line,
                });
            }
            seen.insert(id.clone(), (path.clone(), line));
            let existing = items.iter().position(|item| item.id == id);
            match (entry, existing) {
                (Entry::Define(item), Some(index)) => items[index] = *item,
                (Entry::Define(item), None) => items.push(*item),
                (Entry::Disable, Some(index)) => {
                    items.remove(index);
                }
                (Entry::Disable, None) => {
                    return Err(invalid(
                        path,
                        line,
                        Some(&id),
                        "disabled, but no catalogue item has this id",
                    ));
                }
            }
        }
    }
    Ok(())
}

fn invalid(
    path: &Path,
    line: usize,
    item: Option<&str>,
    message: impl Into<String>,
) -> CatalogueError {
    CatalogueError::Invalid {
        path: path.to_path_buf(),
        line,
        item: item.map(str::to_owned),
        message: message.into(),
    }
}

/// The file schema. Text fields are optional here so that a disabling entry needs only its
/// id; `validate_item` requires them for every other entry.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    item: Vec<Spanned<ItemDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemDoc {
    id: Spanned<String>,
    #[serde(default)]
    disabled: bool,
    area: Option<Area>,
    title: Option<String>,
    question: Option<String>,
    why: Option<String>,
    evidence: Option<String>,
    load_bearing_when: Option<String>,
    fix: Option<String>,
    effort: Option<Effort>,
    severity: Option<Severity>,
    not_applicable_when: Option<String>,
    #[serde(default)]
    rule: Vec<Spanned<RuleDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDoc {
    lang: Spanned<String>,
    query: Spanned<String>,
    message: Spanned<String>,
    confidence: Confidence,
}

/// Just enough of an item to name it when the strict parse fails inside it.
#[derive(Deserialize)]
struct LooseDoc {
    #[serde(default)]
    item: Vec<Spanned<LooseItem>>,
}

#[derive(Deserialize)]
struct LooseItem {
    id: Option<String>,
}

fn parse_file(path: &Path, text: &str) -> Result<Vec<(usize, String, Entry)>, CatalogueError> {
    let doc: FileDoc = toml::from_str(text).map_err(|error| {
        let offset = error.span().map_or(0, |span| span.start);
        // toml puts hints on further lines; an error is one line.
        let mut message = error.message().trim().replace('\n', "; ");
        if let Some(key) = key_at(text, offset).filter(|_| !message.contains("field `")) {
            message = format!("field `{key}`: {message}");
        }
        invalid(
            path,
            line_of(text, offset),
            item_at(text, offset).as_deref(),
            message,
        )
    })?;
    doc.item
        .into_iter()
        .map(|item| {
            let line = line_of(text, item.span().start);
            let item = item.into_inner();
            let id = item.id.get_ref().clone();
            let entry = validate_item(item).map_err(|(offset, message)| {
                let line = offset.map_or(line, |offset| line_of(text, offset));
                invalid(path, line, Some(&id), message)
            })?;
            Ok((line, id, entry))
        })
        .collect()
}

/// The id of the `[[item]]` that `offset` falls in, if the file parses loosely. toml spans
/// an array-of-tables entry by its header only, so that is the last header before `offset`.
fn item_at(text: &str, offset: usize) -> Option<String> {
    let doc: LooseDoc = toml::from_str(text).ok()?;
    doc.item
        .into_iter()
        .take_while(|item| item.span().start <= offset)
        .last()?
        .into_inner()
        .id
}

/// The key `offset` belongs to, for errors that carry a span but not the key's name: the key
/// right before it (`effort` in `effort = 3`), else the key the line starts with (a syntax
/// error inside a value).
fn key_at(text: &str, offset: usize) -> Option<&str> {
    fn is_key_char(c: char) -> bool {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"')
    }
    fn last_key(lhs: &str) -> &str {
        let lhs = lhs.trim_end();
        lhs[lhs.rfind(|c| !is_key_char(c)).map_or(0, |index| index + 1)..].trim_matches('"')
    }
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let key = match before[line_start..].trim_end().strip_suffix('=') {
        Some(lhs) => last_key(lhs),
        None => {
            let line = text[line_start..].lines().next().unwrap_or_default();
            let lhs = line.split_once('=')?.0.trim();
            Some(lhs)
                .filter(|lhs| lhs.chars().all(is_key_char))?
                .trim_matches('"')
        }
    };
    Some(key).filter(|key| !key.is_empty())
}

/// Checks an entry and builds its item. Errors carry the byte offset of the culprit, if
/// known (otherwise the item's own line is used).
fn validate_item(doc: ItemDoc) -> Result<Entry, (Option<usize>, String)> {
    let id_offset = Some(doc.id.span().start);
    let id = doc.id.into_inner();
    if !is_valid_id(&id) {
        let message = "is not of the form AREA-NAME (capital letters, digits and dashes)";
        return Err((id_offset, format!("field `id`: \"{id}\" {message}")));
    }
    if doc.disabled {
        return Ok(Entry::Disable);
    }
    fn required<T>(value: Option<T>, field: &str) -> Result<T, (Option<usize>, String)> {
        value.ok_or_else(|| (None, format!("missing field `{field}`")))
    }
    fn required_text(
        value: Option<String>,
        field: &str,
    ) -> Result<String, (Option<usize>, String)> {
        let value = required(value, field)?;
        if value.trim().is_empty() {
            return Err((None, format!("field `{field}` is empty")));
        }
        Ok(value.trim().to_owned())
    }
    let item = Item {
        id,
        area: required(doc.area, "area")?,
        title: required_text(doc.title, "title")?,
        question: required_text(doc.question, "question")?,
        why: required_text(doc.why, "why")?,
        evidence: required_text(doc.evidence, "evidence")?,
        load_bearing_when: required_text(doc.load_bearing_when, "load_bearing_when")?,
        fix: required_text(doc.fix, "fix")?,
        effort: required(doc.effort, "effort")?,
        severity: required(doc.severity, "severity")?,
        not_applicable_when: doc.not_applicable_when.map(|text| text.trim().to_owned()),
        rules: doc
            .rule
            .into_iter()
            .enumerate()
            .map(|(index, rule)| validate_rule(rule.into_inner(), index + 1))
            .collect::<Result<_, _>>()?,
    };
    Ok(Entry::Define(Box::new(item)))
}

fn validate_rule(doc: RuleDoc, number: usize) -> Result<Rule, (Option<usize>, String)> {
    let at = |span: Range<usize>, message: String| {
        (Some(span.start), format!("rule {number}: {message}"))
    };
    let lang = parse_named(doc.lang.get_ref(), &RULE_LANGS)
        .map_err(|message| at(doc.lang.span(), format!("field `lang`: {message}")))?;
    let captures = captures(doc.query.get_ref());
    if !captures.contains("match") {
        return Err(at(
            doc.query.span(),
            "field `query` must capture the finding's node as @match".into(),
        ));
    }
    if let Some(unknown) = placeholders(doc.message.get_ref()).find(|name| !captures.contains(name))
    {
        return Err(at(
            doc.message.span(),
            format!("field `message`: {{{unknown}}} names no capture of the query"),
        ));
    }
    Ok(Rule {
        lang,
        query: doc.query.into_inner(),
        message: doc.message.into_inner(),
        confidence: doc.confidence,
    })
}

fn is_capture_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// The capture names (`@name`) mentioned in a tree-sitter query.
fn captures(query: &str) -> BTreeSet<&str> {
    query
        .split('@')
        .skip(1)
        .map(|rest| &rest[..rest.find(|c| !is_capture_char(c)).unwrap_or(rest.len())])
        .filter(|name| !name.is_empty())
        .collect()
}

/// The `{name}` placeholders of a rule message.
fn placeholders(message: &str) -> impl Iterator<Item = &str> {
    message.split('{').skip(1).filter_map(|rest| {
        let name = &rest[..rest.find('}')?];
        (!name.is_empty() && name.chars().all(is_capture_char)).then_some(name)
    })
}

/// `^[A-Z]+(-[A-Z0-9]+)+$`
fn is_valid_id(id: &str) -> bool {
    let mut parts = id.split('-');
    let area = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    !area.is_empty()
        && area.chars().all(|c| c.is_ascii_uppercase())
        && !rest.is_empty()
        && rest.iter().all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every id of CATALOGUE.md, in its order.
    #[rustfmt::skip]
    const CATALOGUE_IDS: [&str; 52] = [
        "DATA-INDEX", "DATA-UNBOUNDED", "DATA-NPLUS1", "DATA-MIGRATIONS", "DATA-TXN", "DATA-CONSTRAINTS",
        "PAY-WEBHOOK-SIG", "PAY-WEBHOOK-IDEMP", "PAY-IDEMP-KEY", "PAY-FLOAT-MONEY",
        "INT-TIMEOUT", "INT-PARTIAL",
        "AUTH-ROUTE", "AUTH-TENANT", "AUTH-RLS", "AUTH-CACHE-KEY", "AUTH-PRIV-KEY", "AUTH-DANGER-ENDPOINT",
        "SEC-SECRETS", "SEC-SQLI", "SEC-XSS", "SEC-CORS", "SEC-INPUT", "SEC-RATE", "SEC-DEPS", "SEC-CRYPTO",
        "ERR-SWALLOW", "ERR-UNHANDLED", "ERR-INCONSISTENT",
        "OBS-ERROR-TRACKING", "OBS-LOGGING", "OBS-HEALTH",
        "OPS-CONFIG", "OPS-CI", "OPS-TEST-THEATRE", "OPS-TYPES", "OPS-DEPLOY",
        "TEST-CRITICAL", "TEST-HOTSPOT",
        "ARCH-CYCLE", "ARCH-GOD", "ARCH-HIDDEN-COUPLING", "ARCH-DUP", "ARCH-LAYER", "ARCH-PATTERNS", "ARCH-FAKE-DONE",
        "TIME-TZ",
        "KNOW-AI", "KNOW-BUS", "KNOW-DOCS",
        "LIFE-DELETE", "LIFE-BACKUP",
    ];

    fn ids(catalogue: &Catalogue) -> Vec<&str> {
        catalogue
            .items()
            .iter()
            .map(|item| item.id.as_str())
            .collect()
    }

    /// A user folder holding `files`.
    fn user_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    /// Loads the builtin catalogue with `files` as the user folder and returns the error's
    /// Display, with the folder's path written as `<user>`.
    fn load_error(files: &[(&str, &str)]) -> String {
        let dir = user_dir(files);
        let error = Catalogue::load(Some(dir.path())).expect_err("the files are invalid");
        error
            .to_string()
            .replace(&dir.path().display().to_string(), "<user>")
    }

    const NEW_ITEM: &str = r#"
[[item]]
id = "SEC-EVAL"
area = "SEC"
title = "eval on request data"
question = "Could someone make your server run their own code?"
why = "eval runs whatever string it is given."
evidence = "eval calls"
load_bearing_when = "Always."
fix = "Remove eval."
effort = "S"
severity = "critical"

[[item.rule]]
lang = "typescript"
query = '''(call_expression function: (identifier) @fn (#eq? @fn "eval")) @match'''
message = "{fn}() on {match}"
confidence = "medium"
"#;

    #[test]
    fn builtin_holds_every_catalogue_item_in_order() {
        let catalogue = Catalogue::builtin();
        assert_eq!(ids(&catalogue), CATALOGUE_IDS);
    }

    #[test]
    fn builtin_items_are_written_out() {
        for item in Catalogue::builtin().items() {
            for (field, text) in [
                ("title", &item.title),
                ("question", &item.question),
                ("why", &item.why),
                ("evidence", &item.evidence),
                ("load_bearing_when", &item.load_bearing_when),
                ("fix", &item.fix),
            ] {
                assert!(!text.trim().is_empty(), "{} has an empty {field}", item.id);
            }
            assert!(
                item.question.ends_with('?'),
                "{}: the founder question is a question",
                item.id
            );
            let prefix = item.id.split('-').next().unwrap();
            assert_eq!(
                prefix,
                item.area.as_str(),
                "{} sits in area {:?}",
                item.id,
                item.area
            );
            assert!(
                item.rules.is_empty(),
                "builtin detectors live in the checks engine"
            );
        }
    }

    #[test]
    fn builtin_severities_follow_the_catalogue() {
        let catalogue = Catalogue::builtin();
        let severity = |id| catalogue.get(id).unwrap().severity;
        assert_eq!(severity("PAY-WEBHOOK-SIG"), Severity::Critical);
        assert_eq!(severity("AUTH-TENANT"), Severity::Critical);
        assert_eq!(severity("DATA-INDEX"), Severity::High);
        assert_eq!(severity("OBS-ERROR-TRACKING"), Severity::Medium);
        assert_eq!(severity("ARCH-CYCLE"), Severity::Low);
        assert!(Severity::Critical > Severity::Low);
        assert_eq!(catalogue.get("PAY-IDEMP-KEY").unwrap().effort, Effort::S);
        assert!(catalogue.get("NOPE-NOPE").is_none());
    }

    #[test]
    fn by_area_groups_in_catalogue_order() {
        let catalogue = Catalogue::builtin();
        let areas: Vec<Area> = catalogue.by_area().map(|(area, _)| area).collect();
        let all: Vec<Area> = Area::ALL.iter().map(|(_, area)| *area).collect();
        assert_eq!(areas, all);
        let (area, pay) = catalogue.by_area().nth(1).unwrap();
        assert_eq!(area, Area::Pay);
        assert_eq!(pay.len(), 4);
        assert_eq!(
            catalogue
                .by_area()
                .map(|(_, items)| items.len())
                .sum::<usize>(),
            52
        );
    }

    #[test]
    fn user_folder_overrides_adds_and_disables() {
        let override_fix = r#"
[[item]]
id = "DATA-INDEX"
area = "DATA"
title = "Missing indexes"
question = "Which screens get slower?"
why = "Full scans."
evidence = "schema"
load_bearing_when = "Big tables."
fix = "Add the index, with the DBA."
effort = "M"
severity = "medium"

[[item]]
id = "ARCH-PATTERNS"
disabled = true
"#;
        let dir = user_dir(&[
            ("acme.toml", override_fix),
            ("eval.toml", NEW_ITEM),
            ("notes.md", "not a catalogue file"),
        ]);
        let catalogue = Catalogue::load(Some(dir.path())).unwrap();

        let index = catalogue.get("DATA-INDEX").unwrap();
        assert_eq!(index.fix, "Add the index, with the DBA.");
        assert_eq!(index.effort, Effort::M);
        assert!(catalogue.get("ARCH-PATTERNS").is_none());

        let eval = catalogue.get("SEC-EVAL").unwrap();
        assert_eq!(
            eval.rules,
            [Rule {
                lang: Lang::TypeScript,
                query: r#"(call_expression function: (identifier) @fn (#eq? @fn "eval")) @match"#
                    .into(),
                message: "{fn}() on {match}".into(),
                confidence: Confidence::Medium,
            }]
        );

        let ids = ids(&catalogue);
        assert_eq!(ids.len(), 52, "one added, one disabled");
        assert_eq!(ids[0], "DATA-INDEX", "an override keeps its place");
        let crypto = ids.iter().position(|id| *id == "SEC-CRYPTO").unwrap();
        assert_eq!(
            ids[crypto + 1],
            "SEC-EVAL",
            "an addition comes last in its area"
        );
    }

    #[test]
    fn no_user_folder_means_builtin() {
        assert_eq!(Catalogue::load(None).unwrap(), Catalogue::builtin());
    }

    #[test]
    fn missing_user_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope");
        let error = Catalogue::load(Some(&missing)).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("{}: cannot read: ", missing.display())),
            "{error}"
        );
    }

    #[test]
    fn builtin_file_errors_name_the_source_path() {
        let pay = BUILTIN_DIR
            .get_file("pay.toml")
            .unwrap()
            .contents_utf8()
            .unwrap();
        let broken = pay.replacen("effort = \"S\"\nseverity = \"critical\"\nnot_applicable_when = \"The product takes no payments.\"", "severity = \"critical\"", 1);
        // The first PAY item to lose its effort is PAY-IDEMP-KEY (the webhooks' NA differs).
        let path = Path::new(BUILTIN_PREFIX).join("pay.toml");
        let Err(error) = parse_file(&path, &broken) else {
            panic!("effort is missing")
        };
        let line = line_of(&broken, broken.find("id = \"PAY-IDEMP-KEY\"").unwrap()) - 1;
        assert_eq!(
            error.to_string(),
            format!(
                "queries/catalogue/pay.toml:{line}: item \"PAY-IDEMP-KEY\": missing field `effort`"
            )
        );
    }

    #[test]
    fn toml_syntax_error_names_file_and_line() {
        let text = "[[item]]\nid = \"DATA-INDEX\"\ntitle = \"unterminated\n";
        let error = load_error(&[("bad.toml", text)]);
        assert_eq!(
            error,
            "<user>/bad.toml:3: field `title`: invalid basic string, expected `\"`"
        );
    }

    #[test]
    fn misspelt_table_is_an_unknown_field() {
        let text = "[[itme]]\nid = \"ARCH-PATTERNS\"\ndisabled = true\n";
        let error = load_error(&[("retire.toml", text)]);
        assert_eq!(
            error,
            "<user>/retire.toml:1: unknown field `itme`, expected `item`"
        );
    }

    #[test]
    fn missing_field_names_item_and_field() {
        let text = NEW_ITEM.replace("fix = \"Remove eval.\"\n", "");
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:2: item \"SEC-EVAL\": missing field `fix`"
        );
    }

    #[test]
    fn unknown_field_is_a_typo() {
        let text = NEW_ITEM.replace("fix = ", "fxi = ");
        let error = load_error(&[("eval.toml", &text)]);
        assert!(
            error.starts_with(
                "<user>/eval.toml:10: item \"SEC-EVAL\": unknown field `fxi`, expected one of"
            ),
            "{error}"
        );
    }

    #[test]
    fn bad_effort_lists_the_choices() {
        let text = NEW_ITEM.replace("effort = \"S\"", "effort = \"XL\"");
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:11: item \"SEC-EVAL\": field `effort`: unknown value \"XL\" (expected S, M or L)"
        );
    }

    #[test]
    fn wrong_value_type_names_the_field() {
        let text = NEW_ITEM.replace("effort = \"S\"", "effort = 3");
        let error = load_error(&[("eval.toml", &text)]);
        assert!(
            error.starts_with(
                "<user>/eval.toml:11: item \"SEC-EVAL\": field `effort`: invalid type: integer `3`"
            ),
            "{error}"
        );
    }

    #[test]
    fn bad_severity_and_area_list_the_choices() {
        let text = NEW_ITEM.replace("severity = \"critical\"", "severity = \"urgent\"");
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:12: item \"SEC-EVAL\": field `severity`: unknown value \"urgent\" (expected critical, high, medium or low)"
        );
        let text = NEW_ITEM.replace("area = \"SEC\"", "area = \"sec\"");
        let error = load_error(&[("eval.toml", &text)]);
        assert!(
            error.starts_with(
                "<user>/eval.toml:4: item \"SEC-EVAL\": field `area`: unknown value \"sec\" (expected DATA, PAY, "
            ),
            "{error}"
        );
    }

    #[test]
    fn duplicate_id_across_user_files_names_both() {
        assert_eq!(
            load_error(&[("a.toml", NEW_ITEM), ("b.toml", NEW_ITEM)]),
            "<user>/b.toml:2: item \"SEC-EVAL\" is already defined in <user>/a.toml:2"
        );
    }

    #[test]
    fn duplicate_id_in_one_file_names_both_lines() {
        let text = format!("{NEW_ITEM}{NEW_ITEM}");
        assert_eq!(
            load_error(&[("a.toml", &text)]),
            "<user>/a.toml:20: item \"SEC-EVAL\" is already defined in <user>/a.toml:2"
        );
    }

    #[test]
    fn bad_rule_lang_names_rule_and_field() {
        let text = NEW_ITEM.replace("lang = \"typescript\"", "lang = \"typscript\"");
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:15: item \"SEC-EVAL\": rule 1: field `lang`: unknown value \"typscript\" \
             (expected typescript, tsx, javascript, python, go, rust, java or ruby)"
        );
    }

    #[test]
    fn rule_query_must_capture_match() {
        let text = NEW_ITEM
            .replace(") @match'''", ") @matches'''")
            .replace(" on {match}", "");
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:16: item \"SEC-EVAL\": rule 1: field `query` must capture the finding's node as @match"
        );
    }

    #[test]
    fn rule_message_placeholders_name_captures() {
        let text = NEW_ITEM.replace("{fn}() on", "{func}() on");
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:17: item \"SEC-EVAL\": rule 1: field `message`: {func} names no capture of the query"
        );
    }

    #[test]
    fn rule_fields_are_checked_like_item_fields() {
        let text = NEW_ITEM.replace("confidence = \"medium\"", "confidence = \"sure\"");
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:18: item \"SEC-EVAL\": field `confidence`: unknown value \"sure\" (expected high, medium or low)"
        );
        let text = NEW_ITEM.replace("confidence = \"medium\"\n", "");
        let error = load_error(&[("eval.toml", &text)]);
        assert!(
            error.starts_with("<user>/eval.toml:14: item \"SEC-EVAL\": missing field `confidence`"),
            "{error}"
        );
    }

    #[test]
    fn missing_id_and_empty_text_are_located() {
        let text = NEW_ITEM.replace("id = \"SEC-EVAL\"\n", "");
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:2: missing field `id`"
        );
        let text = NEW_ITEM.replace(
            "why = \"eval runs whatever string it is given.\"",
            "why = \"  \"",
        );
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:2: item \"SEC-EVAL\": field `why` is empty"
        );
    }

    #[test]
    fn ids_must_be_area_dash_name() {
        let text = NEW_ITEM.replace("id = \"SEC-EVAL\"", "id = \"sec-eval\"");
        assert_eq!(
            load_error(&[("eval.toml", &text)]),
            "<user>/eval.toml:3: item \"sec-eval\": field `id`: \"sec-eval\" is not of the form AREA-NAME \
             (capital letters, digits and dashes)"
        );
        for good in ["DATA-NPLUS1", "A-B", "PAY-WEBHOOK-SIG"] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in [
            "DATA", "DATA-", "-DATA", "DATA--X", "DATA-x", "D1-X", "DATA-X Y", "",
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn disabling_an_unknown_id_is_a_typo() {
        let text = "[[item]]\nid = \"ARCH-PATTERN\"\ndisabled = true\n";
        assert_eq!(
            load_error(&[("retire.toml", text)]),
            "<user>/retire.toml:1: item \"ARCH-PATTERN\": disabled, but no catalogue item has this id"
        );
    }

    #[test]
    fn items_serialize_with_catalogue_spelling() {
        let dir = user_dir(&[("eval.toml", NEW_ITEM)]);
        let catalogue = Catalogue::load(Some(dir.path())).unwrap();
        let json = serde_json::to_value(catalogue.get("SEC-EVAL").unwrap()).unwrap();
        assert_eq!(json["area"], "SEC");
        assert_eq!(json["effort"], "S");
        assert_eq!(json["severity"], "critical");
        assert_eq!(json["not_applicable_when"], serde_json::Value::Null);
        assert_eq!(json["rules"][0]["lang"], "typescript");
        assert_eq!(json["rules"][0]["confidence"], "medium");
    }
}
