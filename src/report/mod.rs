//! Exports of the plan, all rendered from one `Plan`: HTML (print-ready), PDF, Markdown, JSON
//! and SARIF, plus the progress report between two engagements. Every export is written
//! atomically, and never into the inspected repository.

use std::io::Write;
use std::path::{Path, PathBuf};

mod html;
mod markdown;
mod pdf;

pub use html::escape as escape_html;

use crate::catalogue::Catalogue;
use crate::plan::{Plan, ProgressReport};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot tell the export format from {0:?}: use .html, .pdf, .md, .json or .sarif")]
    UnknownFormat(String),
    #[error("{0} cannot be exported as {1}")]
    Unsupported(&'static str, &'static str),
    #[error("refusing to write {0} inside the inspected repository {1}")]
    InsideRepository(String, String),
    #[error("the folder of {0} does not exist")]
    NoFolder(String),
    #[error("cannot write {0}: {1}")]
    Write(String, String),
    #[error("cannot render the PDF: {0}")]
    Pdf(String),
}

impl ReportError {
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, ReportError::Write(..) | ReportError::Pdf(_))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Html,
    Pdf,
    Markdown,
    Json,
    Sarif,
}

impl Format {
    pub fn from_path(path: &Path) -> Result<Format, ReportError> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("html" | "htm") => Ok(Format::Html),
            Some("pdf") => Ok(Format::Pdf),
            Some("md" | "markdown") => Ok(Format::Markdown),
            Some("json") => Ok(Format::Json),
            Some("sarif") => Ok(Format::Sarif),
            _ => Err(ReportError::UnknownFormat(path.display().to_string())),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "HTML",
            Format::Pdf => "PDF",
            Format::Markdown => "Markdown",
            Format::Json => "JSON",
            Format::Sarif => "SARIF",
        }
    }
}

/// Renders `plan` in the format named by `out`'s extension and writes it there.
pub fn export(plan: &Plan, catalogue: &Catalogue, repo: &Path, out: &Path) -> Result<Format, ReportError> {
    let format = Format::from_path(out)?;
    let target = checked_target(repo, out)?;
    let bytes = render(plan, catalogue, format)?;
    write_atomically(&target, &bytes)?;
    Ok(format)
}

/// The plan in one format, in memory.
pub fn render(plan: &Plan, catalogue: &Catalogue, format: Format) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Json => serde_json::to_vec_pretty(&redacted_json(plan)).expect("the plan serializes"),
        Format::Sarif => serde_json::to_vec_pretty(&crate::checks::sarif::to_sarif(&plan.findings, catalogue)).expect("SARIF serializes"),
        Format::Html => html::render(plan).into_bytes(),
        Format::Markdown => markdown::render(plan).into_bytes(),
        Format::Pdf => pdf::render(plan, "a4")?,
    })
}

/// Writes the progress report between two engagements.
pub fn export_progress(report: &ProgressReport, repo: &Path, out: &Path) -> Result<Format, ReportError> {
    let format = Format::from_path(out)?;
    let target = checked_target(repo, out)?;
    let bytes = match format {
        Format::Json => serde_json::to_vec_pretty(report).expect("the progress report serializes"),
        Format::Markdown => markdown::render_progress(report).into_bytes(),
        _ => return Err(ReportError::Unsupported("the progress report", format.name())),
    };
    write_atomically(&target, &bytes)?;
    Ok(format)
}

/// The absolute path to write, refused when it lies inside the inspected repository.
fn checked_target(repo: &Path, out: &Path) -> Result<PathBuf, ReportError> {
    let shown = out.display().to_string();
    let name = out.file_name().ok_or_else(|| ReportError::NoFolder(shown.clone()))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let folder = parent.canonicalize().map_err(|_| ReportError::NoFolder(shown.clone()))?;
    let repo = repo.canonicalize().unwrap_or_else(|_| repo.to_path_buf());
    if folder.starts_with(&repo) {
        return Err(ReportError::InsideRepository(shown, repo.display().to_string()));
    }
    Ok(folder.join(name))
}

fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let err = |e: std::io::Error| ReportError::Write(target.display().to_string(), e.to_string());
    let folder = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(folder).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(target).map_err(|e| err(e.error))?;
    Ok(())
}

/// The plan as JSON with every string redacted: a second guard behind the detectors' own
/// redaction, for the consultant's notes and answers too.
pub(crate) fn redacted_json(plan: &Plan) -> serde_json::Value {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(r) = crate::redact::redact(s) {
                    *s = r;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(walk),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(plan).expect("the plan serializes");
    walk(&mut value);
    value
}

/// `YYYY-MM-DD` (UTC) of seconds since the epoch.
pub fn date(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()))
        .unwrap_or_default()
}
