//! TIME-TZ: naive dates and time zones. See the catalogue (`queries/catalogue/time.toml`).
//!
//! What goes wrong, and what is reported:
//! - `new Date("2025-03-10")` is midnight UTC; read in local time (formatted, `getDate()`) it is
//!   the previous day west of UTC. Reported for date-only literals, and for date-only values
//!   (`due_date`, `startDate`) parsed with `new Date` and then read in local time.
//! - On a server, local-time formatting and calendar arithmetic (`toLocaleDateString()` without
//!   `timeZone`, `setDate(1)`, `getHours()`) use the server's zone, not the customer's.
//! - date-fns `format(new Date(value), "MMM d, yyyy")` shows a calendar date of a parsed string
//!   in local time (the date-only shift above).
//! - Python `datetime.now()` / `today()` / `fromtimestamp()` without a zone, `utcnow()`,
//!   SQLAlchemy `DateTime` columns without `timezone=True`, Django `USE_TZ = False`.
//! - The schema: date columns stored as text, `*_at` columns as `timestamp` without time zone.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::repo::Repo;
use super::source::SourceFile;
use super::{keep, Class, Confidence, Detector, Draft};

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(NaiveDates)]
}

const NAME: &str = "time-dates";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct DateUse {
    line: u32,
    kind: Kind,
    /// The expression, at most 120 characters.
    text: String,
    /// The method or function (`toLocaleDateString`, `now`).
    method: String,
    /// The call passes a time zone.
    #[serde(default)]
    zoned: bool,
    /// The value read is a date-only one (a `YYYY-MM-DD` literal, or named like `due_date`).
    #[serde(default)]
    date_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    DateOnlyLiteral,
    Local,
    Format,
    PythonNaive,
    NaiveColumn,
    UseTzOff,
}

struct NaiveDates;

impl Detector for NaiveDates {
    fn name(&self) -> &'static str {
        NAME
    }

    fn items(&self) -> &'static [&'static str] {
        &["TIME-TZ"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test() || file.tree.is_none() {
            return None;
        }
        let mut uses: Vec<DateUse> = Vec::new();
        let clip = |s: &str| -> String {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(120)
                .collect()
        };
        for m in file.matches("time_dates") {
            let use_of = |node, kind, method: &str, zoned, date_only| DateUse {
                line: file.lines(node).0,
                kind,
                text: clip(file.text_of(node)),
                method: method.to_string(),
                zoned,
                date_only,
            };
            if let (Some(parse), Some(arg)) = (m.get("parse"), m.get("arg")) {
                let a = file.text_of(arg).trim_matches(['"', '\'', '`']);
                if is_date_only_literal(a) {
                    uses.push(use_of(
                        parse,
                        Kind::DateOnlyLiteral,
                        "new Date",
                        false,
                        true,
                    ));
                }
            } else if let (Some(call), Some(method), Some(object), Some(args)) = (
                m.get("local"),
                m.get("method"),
                m.get("object"),
                m.get("args"),
            ) {
                let object = file.text_of(object);
                let zoned = file.text_of(args).contains("timeZone");
                let date_only = parsed_argument(object).is_some_and(|a| is_date_only_value(a));
                uses.push(use_of(
                    call,
                    Kind::Local,
                    file.text_of(method),
                    zoned,
                    date_only,
                ));
            } else if let (Some(call), Some(value), Some(pattern)) =
                (m.get("formatted"), m.get("value"), m.get("pattern"))
            {
                let value = file.text_of(value);
                let Some(arg) = parsed_argument(value) else {
                    continue;
                };
                if is_date_only_pattern(file.text_of(pattern)) && !looks_like_instant(arg) {
                    uses.push(use_of(
                        call,
                        Kind::Format,
                        "format",
                        false,
                        is_date_only_value(arg),
                    ));
                }
            } else if let (Some(call), Some(method), Some(object), Some(args)) = (
                m.get("naive"),
                m.get("method"),
                m.get("object"),
                m.get("args"),
            ) {
                let object = file.text_of(object);
                let method = file.text_of(method);
                let args = file.text_of(args);
                let zoned = ["tz", "timezone", "utc", "zoneinfo", "pytz"]
                    .iter()
                    .any(|z| args.to_ascii_lowercase().contains(z));
                let is_datetime = object == "datetime"
                    || object.ends_with(".datetime")
                    || (object == "date" && method == "today");
                let naive = match method {
                    "utcnow" | "utcfromtimestamp" => true,
                    "fromtimestamp" => !zoned && !args.contains(','),
                    _ => !zoned,
                };
                if is_datetime && naive {
                    uses.push(use_of(call, Kind::PythonNaive, method, false, false));
                }
            } else if let Some(col) = m.get("datetime_column") {
                uses.push(use_of(col, Kind::NaiveColumn, "DateTime", false, false));
            } else if let (Some(call), Some(args)) = (m.get("datetime_call"), m.get("args")) {
                if !file
                    .text_of(args)
                    .replace(' ', "")
                    .contains("timezone=True")
                {
                    uses.push(use_of(call, Kind::NaiveColumn, "DateTime", false, false));
                }
            } else if let Some(setting) = m.get("use_tz") {
                uses.push(use_of(setting, Kind::UseTzOff, "USE_TZ", false, false));
            }
        }
        let empty = uses.is_empty();
        keep(&uses, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        for (file, uses) in repo.facts::<Vec<DateUse>>(NAME) {
            if file.roles.test {
                continue;
            }
            let server = file.roles.server && !file.roles.client;
            let date_fns = file.imports.iter().any(|i| {
                i.specifier == "date-fns"
                    || i.specifier.starts_with("date-fns/")
                    || i.specifier.contains("/date-fns@")
            });
            let sqlalchemy = file.imports.iter().any(|i| {
                i.specifier.starts_with("sqlalchemy") || i.specifier.starts_with("flask_sqlalchemy")
            });
            let mut seen_lines = std::collections::HashSet::new();
            for u in uses {
                let message = match u.kind {
                    Kind::DateOnlyLiteral => format!(
                        "{} parses a date-only string as midnight UTC: read in local time it is the previous day west of UTC.",
                        u.text
                    ),
                    Kind::Local if u.date_only => format!(
                        "{} reads a date-only value in local time: new Date parses it as midnight UTC, so it shows or counts as the previous day west of UTC{}.",
                        u.text,
                        if server { " (and on this server it is the server's zone)" } else { "" }
                    ),
                    Kind::Local if server && !u.zoned => format!(
                        "{} runs on a server, so {}() uses the server's time zone, not the customer's: {}.",
                        u.text,
                        u.method,
                        if u.method.starts_with("set") || u.method.starts_with("get") {
                            "day and month boundaries fall at the server's midnight"
                        } else {
                            "dates shown or sent to customers depend on where the code runs"
                        }
                    ),
                    Kind::Format if date_fns => format!(
                        "{} formats a parsed string as a calendar date in local time: a date-only value (\"2025-03-10\") is midnight UTC and shows as the previous day west of UTC.",
                        u.text
                    ),
                    Kind::PythonNaive => match u.method.as_str() {
                        "utcnow" | "utcfromtimestamp" => format!(
                            "{} returns a naive datetime (no zone attached): compared with aware ones it fails, formatted it looks local. Use datetime.now(timezone.utc).",
                            u.text
                        ),
                        _ => format!(
                            "{} returns the server's local time with no zone attached: the value changes with where the code runs.",
                            u.text
                        ),
                    },
                    Kind::NaiveColumn if sqlalchemy => format!(
                        "{} stores timestamps without a time zone (DateTime without timezone=True): values written from different zones cannot be told apart.",
                        u.text
                    ),
                    Kind::UseTzOff => "USE_TZ = False: Django stores and compares naive local times.".to_string(),
                    _ => continue,
                };
                if !seen_lines.insert(u.line) {
                    continue;
                }
                let context = repo
                    .content(&file.path)
                    .and_then(|t| {
                        t.lines()
                            .nth(u.line.saturating_sub(1) as usize)
                            .map(str::to_string)
                    })
                    .unwrap_or_default();
                let mut d = Draft::new("TIME-TZ", &file.path, u.line, u.line, message)
                    .confidence(match u.kind {
                        Kind::Format if !u.date_only => Confidence::Medium,
                        _ => Confidence::High,
                    })
                    .anchor(format!("{:?} {}", u.kind, u.text));
                // `setDate(1)` is the start of a month: a monthly period.
                let month_start = u.text.replace(' ', "").ends_with("setDate(1)");
                let what = if month_start {
                    Some("monthly periods")
                } else {
                    decides(&format!("{} {context} {}", u.text, file.path))
                };
                if let Some(what) = what {
                    d = d.class(
                        Class::LoadBearing,
                        format!("The date decides {what}, so a shift of a few hours moves money, deadlines or report totals."),
                    );
                }
                out.push(d);
            }
        }
        // The schema: dates as text, instants without a time zone.
        for table in &repo.schema.tables {
            for c in &table.columns {
                if c.origin.path.ends_with(".prisma") {
                    continue;
                }
                let t = c.data_type.to_ascii_lowercase();
                let name = c.name.to_ascii_lowercase();
                let message = if is_text_type(&t) && is_date_column(&name) {
                    format!(
                        "{}.{} holds dates as {}: nothing stops \"03/10/2025\" next to \"2025-10-03\", and sorting or comparing them is string order.",
                        table.name, c.name, c.data_type
                    )
                } else if is_naive_timestamp(&t)
                    && (name.ends_with("_at") || name.ends_with("_time"))
                {
                    format!(
                        "{}.{} is {} (without time zone): the instant depends on the session's zone when it was written.",
                        table.name, c.name, c.data_type
                    )
                } else {
                    continue;
                };
                let mut d = Draft::new(
                    "TIME-TZ",
                    &c.origin.path,
                    c.origin.line,
                    c.origin.line,
                    message,
                )
                .confidence(Confidence::High)
                .anchor(format!("{}.{} {}", table.name, c.name, c.data_type));
                if let Some(what) = decides(&name) {
                    d = d.class(
                        Class::LoadBearing,
                        format!("The date decides {what}, so a shift of a few hours moves money, deadlines or report totals."),
                    );
                }
                out.push(d);
            }
        }
    }
}

/// What a date decides, from the words around it (due dates, billing periods, reports).
fn decides(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    [
        ("due", "due dates"),
        ("deadline", "deadlines"),
        ("expir", "expiry"),
        ("renew", "renewals"),
        ("billing", "billing periods"),
        ("period", "billing periods"),
        ("month", "monthly totals"),
        ("trial", "trial ends"),
        ("booking", "bookings"),
        ("appointment", "bookings"),
        ("schedul", "schedules"),
        ("subscription", "subscriptions"),
    ]
    .iter()
    .find(|(w, _)| lower.contains(w))
    .map(|(_, what)| *what)
}

/// `new Date(x)` → `x`.
fn parsed_argument(expr: &str) -> Option<&str> {
    let inner = expr
        .trim()
        .strip_prefix("new Date(")?
        .strip_suffix(')')?
        .trim();
    (!inner.is_empty()).then_some(inner)
}

fn is_date_only_literal(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\d{4}-\d{2}-\d{2}$").expect("valid regex"))
        .is_match(s)
}

/// A value named like a calendar date (`due_date`, `dueDate`, `birthday`, `start_on`).
fn is_date_only_value(expr: &str) -> bool {
    let t = expr.trim_matches(['"', '\'', '`']);
    if is_date_only_literal(t) {
        return true;
    }
    let name = expr
        .rsplit(['.', '[', ' '])
        .next()
        .unwrap_or(expr)
        .trim_matches([']', '"', '\'', ')']);
    let lower = name.to_ascii_lowercase();
    (lower == "date"
        || lower.ends_with("_date")
        || (name.ends_with("Date") && name.len() > 4)
        || lower.ends_with("_on")
        || lower == "birthday"
        || lower == "dob"
        || lower == "day")
        && !looks_like_instant(name)
}

/// Named like an instant (`created_at`, `updatedAt`, `timestamp`, `Date.now()`), not a date.
fn looks_like_instant(expr: &str) -> bool {
    let lower = expr.to_ascii_lowercase();
    lower.ends_with("_at")
        || expr.ends_with("At")
        || lower.contains("time")
        || lower.contains("now")
        || lower.ends_with("ms")
        || lower.chars().all(|c| c.is_ascii_digit() || c == '_')
}

/// A date-fns pattern with no time of day in it (`MMM d, yyyy`, `PP`).
fn is_date_only_pattern(pattern: &str) -> bool {
    // Quoted text ('at') is literal; time tokens are H h k K m s S a b B p (long forms too).
    let mut quoted = false;
    for c in pattern.chars() {
        if c == '\'' {
            quoted = !quoted;
        } else if !quoted && "HhkKmsSaBbpzOXx".contains(c) {
            return false;
        }
    }
    true
}

fn is_text_type(t: &str) -> bool {
    t == "text"
        || t.starts_with("varchar")
        || t.starts_with("character varying")
        || t.starts_with("char")
}

fn is_date_column(name: &str) -> bool {
    name == "date"
        || name.ends_with("_date")
        || name.ends_with("_at")
        || name.ends_with("_on")
        || ["dob", "birthday", "deadline", "expires", "due"].contains(&name)
}

fn is_naive_timestamp(t: &str) -> bool {
    (t.starts_with("timestamp") && !t.contains("with time zone") && !t.starts_with("timestamptz"))
        || t == "datetime"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_only_values_and_patterns() {
        assert!(is_date_only_value("invoice.due_date"));
        assert!(is_date_only_value("dueDate"));
        assert!(is_date_only_value("\"2025-03-10\""));
        assert!(!is_date_only_value("invoice.created_at"));
        assert!(!is_date_only_value("updatedAt"));
        assert!(!is_date_only_value("value"));
        assert!(is_date_only_pattern("MMM d, yyyy"));
        assert!(is_date_only_pattern("yyyy-MM-dd"));
        assert!(!is_date_only_pattern("MMM d, yyyy HH:mm"));
        assert!(!is_date_only_pattern("p"));
        assert!(is_date_only_pattern("EEEE 'the' do"));
        assert_eq!(parsed_argument("new Date(value)"), Some("value"));
        assert_eq!(parsed_argument("new Date()"), None);
    }

    #[test]
    fn schema_types() {
        assert!(is_naive_timestamp("timestamp"));
        assert!(is_naive_timestamp("timestamp without time zone"));
        assert!(!is_naive_timestamp("timestamp with time zone"));
        assert!(!is_naive_timestamp("timestamptz"));
        assert!(is_text_type("varchar(20)"));
        assert!(is_date_column("due_date") && !is_date_column("update"));
    }
}
