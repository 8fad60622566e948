//! The consultant's own detectors: tree-sitter query rules written in catalogue files
//! (`[[item.rule]]`), run like built-in detectors without recompiling Plumb. The `@match`
//! capture is the finding; `{name}` in the message is replaced by capture `@name`'s text.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::{Deserialize, Serialize};
use streaming_iterator::StreamingIterator;
use tree_sitter::{Query, QueryCursor};

use super::{keep, Detector, Draft, Repo, SourceFile};
use crate::catalogue::{Catalogue, Confidence};
use crate::lang::Lang;

pub const RULES: &str = "rules";

#[derive(Debug, thiserror::Error)]
#[error("catalogue item {item}: rule for {lang}: the query does not compile: {message}")]
pub struct RuleError {
    pub item: String,
    pub lang: String,
    pub message: String,
}

struct Compiled {
    item: &'static str,
    lang: Lang,
    query: Query,
    message: String,
    confidence: Confidence,
}

pub struct RuleSet {
    rules: Vec<Compiled>,
    stamp: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Hit {
    item: String,
    line: u32,
    end_line: u32,
    message: String,
    confidence: Confidence,
}

impl RuleSet {
    pub fn compile(catalogue: &Catalogue) -> Result<RuleSet, RuleError> {
        let mut hasher = DefaultHasher::new();
        let mut rules = Vec::new();
        for item in catalogue.items() {
            for rule in &item.rules {
                let grammar = rule.lang.grammar().ok_or_else(|| RuleError {
                    item: item.id.clone(),
                    lang: rule.lang.name().into(),
                    message: "language is not parsed".into(),
                })?;
                let query = Query::new(&grammar, &rule.query).map_err(|e| RuleError {
                    item: item.id.clone(),
                    lang: rule.lang.name().into(),
                    message: e.to_string(),
                })?;
                (&item.id, rule.lang.name(), &rule.query, &rule.message).hash(&mut hasher);
                // Items live as long as the process's catalogue; ids are short and few.
                let id: &'static str = Box::leak(item.id.clone().into_boxed_str());
                rules.push(Compiled {
                    item: id,
                    lang: rule.lang,
                    query,
                    message: rule.message.clone(),
                    confidence: rule.confidence,
                });
            }
        }
        Ok(RuleSet {
            rules,
            stamp: hasher.finish(),
        })
    }

    pub fn stamp(&self) -> String {
        format!("{:08x}", self.stamp & 0xffff_ffff)
    }
}

impl Detector for RuleSet {
    fn name(&self) -> &'static str {
        RULES
    }

    fn items(&self) -> &'static [&'static str] {
        &[]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        let tree = file.tree?;
        let mut hits = Vec::new();
        for rule in self.rules.iter().filter(|r| r.lang == file.lang) {
            let names = rule.query.capture_names();
            let Some(target) = rule.query.capture_index_for_name("match") else {
                continue;
            };
            let mut cursor = QueryCursor::new();
            let mut matches = cursor.matches(&rule.query, tree.root_node(), file.text.as_bytes());
            while let Some(m) = matches.next() {
                let Some(node) = m
                    .captures
                    .iter()
                    .find(|c| c.index == target)
                    .map(|c| c.node)
                else {
                    continue;
                };
                let mut message = rule.message.clone();
                for c in m.captures {
                    let text = file.text_of(c.node);
                    let short: String = text.chars().take(80).collect();
                    message = message.replace(&format!("{{{}}}", names[c.index as usize]), &short);
                }
                let (line, end_line) = file.lines(node);
                hits.push(Hit {
                    item: rule.item.to_string(),
                    line,
                    end_line,
                    message,
                    confidence: rule.confidence,
                });
            }
        }
        keep(&hits, hits.is_empty())
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        for (file, hits) in repo.facts::<Vec<Hit>>(RULES) {
            if file.roles.test {
                continue;
            }
            for h in hits {
                out.push(
                    Draft::new(&h.item, &file.path, h.line, h.end_line, h.message)
                        .confidence(h.confidence),
                );
            }
        }
    }
}
