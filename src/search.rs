//! Full-text search with tantivy over file contents and symbol names. The index is derived
//! from the store: its commit payload carries the store's search generation, and an index
//! that is missing, torn or behind is rebuilt from the store.

use std::path::Path;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexWriter, TantivyDocument, Term};

use crate::lang::Lang;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
}

type Result<T> = std::result::Result<T, SearchError>;

/// Lines per indexed chunk: small enough that a hit's line is close, large enough to rank.
const CHUNK_LINES: usize = 40;
const WRITER_BUDGET: usize = 128 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub path: String,
    pub line: u32,
    pub lang: Lang,
    /// `code` for a match in the text, `symbol` for a definition's name.
    pub kind: String,
    /// The matching text (one or a few lines), untrusted: escape before showing as HTML.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched the query.
    pub highlights: Vec<(usize, usize)>,
    pub score: f32,
}

#[derive(Clone, Copy)]
struct Fields {
    path: Field,
    path_text: Field,
    lang: Field,
    kind: Field,
    line: Field,
    body: Field,
}

pub struct SearchIndex {
    index: Index,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer("default").set_index_option(IndexRecordOption::WithFreqsAndPositions))
        .set_stored();
    let fields = Fields {
        path: b.add_text_field("path", STRING | STORED),
        path_text: b.add_text_field("path_text", TextOptions::default().set_indexing_options(TextFieldIndexing::default().set_tokenizer("default"))),
        lang: b.add_text_field("lang", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED),
        line: b.add_u64_field("line", STORED),
        body: b.add_text_field("body", text),
    };
    (b.build(), fields)
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates an empty one. An unreadable index is replaced by
    /// an empty one (it is derived data; the caller rebuilds it when the generation differs).
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(dir)?;
        let index = match Index::open_in_dir(dir) {
            Ok(index) if index.schema() == schema => index,
            _ => {
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Index::create_in_dir(dir, schema)?
            }
        };
        Ok(SearchIndex { index, fields })
    }

    /// The store generation the index was last committed at.
    pub fn generation(&self) -> Option<u64> {
        self.index.load_metas().ok()?.payload?.parse().ok()
    }

    pub fn writer(&self) -> Result<SearchWriter> {
        let writer = self.index.writer(WRITER_BUDGET)?;
        Ok(SearchWriter { writer, fields: self.fields })
    }

    /// Searches code and symbols; results are ordered by score, then path and line.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>> {
        let reader = self.index.reader()?;
        let searcher = reader.searcher();
        let f = self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.body, f.path_text]);
        parser.set_conjunction_by_default();
        let (query, _errors) = parser.parse_query_lenient(query);
        let mut snippets = SnippetGenerator::create(&searcher, &*query, f.body)?;
        snippets.set_max_num_chars(160);
        let top = searcher.search(&*query, &TopDocs::with_limit(limit.max(1)))?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get_str = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let body = get_str(f.body);
            let start_line = doc.get_first(f.line).and_then(|v| v.as_u64()).unwrap_or(1) as u32;
            let kind = get_str(f.kind);
            let snippet = snippets.snippet(&body);
            // Which bytes of the body to show, and which of those matched.
            let (window, highlights, line) = if kind == "symbol" {
                let name = body.split(' ').next().unwrap_or("");
                ((0, name.len()), vec![(0, name.len())], start_line)
            } else if snippet.is_empty() {
                // Matched on the path only: show the chunk's first non-blank line.
                let first = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
                let at = first.as_ptr() as usize - body.as_ptr() as usize;
                ((at, at + first.len()), Vec::new(), start_line)
            } else {
                let fragment = snippet.fragment();
                let offset = body.find(fragment).unwrap_or(0);
                let first_hit = snippet.highlighted().first().map(|r| r.start).unwrap_or(0);
                let line = start_line + body[..(offset + first_hit).min(body.len())].matches('\n').count() as u32;
                let ranges = snippet.highlighted().iter().map(|r| (r.start, r.end)).collect();
                ((offset, offset + fragment.len()), ranges, line)
            };
            // Secrets are masked in every snippet, even one the window cuts in half.
            let (text, highlights) = crate::redact::redact_window(&body, window, &highlights);
            hits.push(Hit {
                path: get_str(f.path),
                line,
                lang: Lang::from_name(&get_str(f.lang)).unwrap_or(Lang::Other),
                kind,
                snippet: text,
                highlights,
                score,
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| (&a.path, a.line).cmp(&(&b.path, b.line))));
        Ok(hits)
    }
}

pub struct SearchWriter {
    writer: IndexWriter,
    fields: Fields,
}

impl SearchWriter {
    pub fn delete_all(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    pub fn delete_path(&mut self, path: &str) {
        self.writer.delete_term(Term::from_field_text(self.fields.path, path));
    }

    /// Adds a file's text in chunks of lines, and its symbols.
    pub fn add_file(&mut self, path: &str, lang: Lang, text: &str, symbols: &[(String, u32)]) -> Result<()> {
        let f = self.fields;
        let mut line = 1usize;
        let mut lines = text.split_inclusive('\n').peekable();
        while lines.peek().is_some() {
            let chunk: String = lines.by_ref().take(CHUNK_LINES).collect();
            self.writer.add_document(doc!(
                f.path => path, f.path_text => path, f.lang => lang.name(), f.kind => "code",
                f.line => line as u64, f.body => chunk,
            ))?;
            line += CHUNK_LINES;
        }
        for (name, line) in symbols {
            // The name, then its words, so "checkout" finds createCheckoutSession.
            let body = format!("{name} {}", split_identifier(name));
            self.writer.add_document(doc!(
                f.path => path, f.path_text => path, f.lang => lang.name(), f.kind => "symbol",
                f.line => *line as u64, f.body => body,
            ))?;
        }
        Ok(())
    }

    /// Commits once, recording the store generation this index now reflects.
    pub fn commit(mut self, generation: u64) -> Result<()> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&generation.to_string());
        prepared.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

/// `createCheckoutSession` and `create_checkout_session` become `create checkout session`.
fn split_identifier(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut prev_lower = false;
    for c in name.chars() {
        if c == '_' || c == '-' {
            out.push(' ');
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_split_into_words() {
        assert_eq!(split_identifier("createCheckoutSession"), "create checkout session");
        assert_eq!(split_identifier("get_current_user"), "get current user");
        assert_eq!(split_identifier("HTTPServer"), "httpserver");
    }

    #[test]
    fn hits_carry_path_line_and_highlights() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut w = index.writer().unwrap();
        let text = "import x from 'y'\n\nexport async function handler(req) {\n  const event = stripe.webhooks.constructEvent(body, sig, secret)\n}\n";
        w.add_file("supabase/functions/stripe-webhook/index.ts", Lang::TypeScript, text, &[("handler".into(), 3)]).unwrap();
        w.commit(7).unwrap();
        assert_eq!(index.generation(), Some(7));
        let hits = index.search("constructEvent", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].path.as_str(), hits[0].line, hits[0].kind.as_str()), ("supabase/functions/stripe-webhook/index.ts", 4, "code"));
        let (s, e) = hits[0].highlights[0];
        assert_eq!(&hits[0].snippet[s..e], "constructEvent");
        let hits = index.search("handler", 10).unwrap();
        assert!(hits.iter().any(|h| h.kind == "symbol" && h.line == 3));
    }

    #[test]
    fn snippets_never_show_a_secret() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut w = index.writer().unwrap();
        let key = ["sk_live_", "51H8dKJ2eZvKYlo2C0aBcDeFgHiJkLmNoPqRsTuV"].concat();
        let text = format!("import Stripe from 'stripe'\n\nexport const stripe = new Stripe('{key}', {{ apiVersion: '2024-06-20' }})\n");
        w.add_file("src/lib/stripe.ts", Lang::TypeScript, &text, &[]).unwrap();
        w.commit(1).unwrap();
        for query in ["Stripe", "apiVersion", "sk_live_51H8dKJ2eZvKYlo2C0aBcDeFgHiJkLmNoPqRsTuV", "lib"] {
            let hits = index.search(query, 10).unwrap();
            assert!(!hits.is_empty(), "{query}");
            for hit in hits {
                assert!(!hit.snippet.contains("51H8dKJ2eZvKYlo2C0"), "{query}: {}", hit.snippet);
                for (start, end) in hit.highlights {
                    assert!(start < end && end <= hit.snippet.len() && hit.snippet.is_char_boundary(start) && hit.snippet.is_char_boundary(end));
                }
            }
        }
    }
}
