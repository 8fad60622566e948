//! The PDF, typeset directly by typst (no browser) from the same plan model as the HTML. The
//! template reads the redacted plan as JSON data, so repository text is only ever shown as
//! text and never parsed as markup. Fonts are embedded (typst-assets), so the document looks
//! the same on every machine and the render reads nothing from the file system.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst_layout::PagedDocument;
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::plan::Plan;
use crate::report::ReportError;

const TEMPLATE: &str = include_str!("plan.typ");

/// Typesets `plan` on `paper` ("a4" or "us-letter").
pub fn render(plan: &Plan, paper: &str) -> Result<Vec<u8>, ReportError> {
    let eng = &plan.engagement;
    let seconds = eng.analysed_at.unwrap_or(eng.started_at);
    let data = serde_json::json!({
        "plan": crate::report::redacted_json(plan),
        "date": crate::report::date(seconds),
        "paper": paper,
        "top_risks": plan.top_risks(5).iter().map(|l| l.rank).collect::<Vec<_>>(),
    });
    let world = ReportWorld::new(serde_json::to_vec(&data).expect("the plan serializes"), seconds);
    let document = typst::compile::<PagedDocument>(&world).output.map_err(|errors| failure(&errors))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(format!("plumb-{}", plan.repository)),
        timestamp: None,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| failure(&errors))
}

fn failure(errors: &[typst::diag::SourceDiagnostic]) -> ReportError {
    ReportError::Pdf(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
}

struct ReportWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

fn project_file(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("a valid virtual path")).intern()
}

/// The standard library, the embedded fonts and their book, loaded once per process.
fn shared() -> &'static (LazyHash<Library>, LazyHash<FontBook>, Vec<Font>) {
    static SHARED: OnceLock<(LazyHash<Library>, LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
        let book = FontBook::from_fonts(&fonts);
        (LazyHash::new(Library::default()), LazyHash::new(book), fonts)
    })
}

impl ReportWorld {
    fn new(data: Vec<u8>, seconds: i64) -> ReportWorld {
        let today = time::OffsetDateTime::from_unix_timestamp(seconds)
            .ok()
            .and_then(|t| Datetime::from_ymd(t.year(), u8::from(t.month()), t.day()));
        ReportWorld {
            main: Source::new(project_file("/plan.typ"), TEMPLATE.to_string()),
            data_id: project_file("/plan.json"),
            data: Bytes::new(data),
            today,
        }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().0
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shared().1
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        match id {
            id if id == self.data_id => Ok(self.data.clone()),
            id if id == self.main.id() => Ok(Bytes::from_string(self.main.clone())),
            _ => Err(FileError::AccessDenied),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        shared().2.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
