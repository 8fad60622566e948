//! Findings as SARIF 2.1.0, the format code-scanning tools (GitHub code scanning, Azure
//! DevOps, IDE viewers) accept: one run, the catalogue items as rules, one result per finding
//! with its fingerprint as `partialFingerprints`. All text is the finding's own (redacted).

use serde_json::{json, Value};

use super::model::{Class, Finding, Severity};
use crate::catalogue::Catalogue;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity, class: Class) -> &'static str {
    match (severity, class) {
        (Severity::Critical | Severity::High, Class::LoadBearing) => "error",
        (Severity::Low, Class::Cosmetic) => "note",
        _ => "warning",
    }
}

/// `findings` as one SARIF log.
pub fn to_sarif(findings: &[Finding], catalogue: &Catalogue) -> Value {
    let items = catalogue.items();
    let rules: Vec<Value> = items
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "name": i.id.replace('-', ""),
                "shortDescription": { "text": i.title },
                "fullDescription": { "text": i.why },
                "help": { "text": format!("{}\n\nTypical fix: {}", i.question, i.fix) },
                "properties": { "area": i.area.as_str(), "severity": format!("{:?}", i.severity).to_lowercase(), "tags": [i.area.as_str()] },
                "defaultConfiguration": { "level": level(i.severity, Class::LoadBearing) },
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let rule_index = items.iter().position(|i| i.id == f.item);
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&f.path), "uriBaseId": "SRCROOT" },
                }
            });
            if f.line > 0 {
                location["physicalLocation"]["region"] = json!({ "startLine": f.line, "endLine": f.end_line.max(f.line) });
                if let Some(e) = &f.evidence.excerpt {
                    let snippet: Vec<&str> = e.lines.iter().enumerate().filter(|(k, _)| {
                        let n = e.start_line + *k as u32;
                        n >= e.focus.0 && n <= e.focus.1
                    }).map(|(_, l)| l.as_str()).collect();
                    location["physicalLocation"]["region"]["snippet"] = json!({ "text": snippet.join("\n") });
                }
            }
            let mut result = json!({
                "ruleId": f.item,
                "level": level(f.severity, f.class),
                "message": { "text": f.message },
                "partialFingerprints": { "plumb/v1": f.fingerprint },
                "properties": {
                    "class": f.class.as_str(),
                    "classReason": f.class_reason,
                    "severity": format!("{:?}", f.severity).to_lowercase(),
                    "confidence": format!("{:?}", f.confidence).to_lowercase(),
                },
            });
            if let Some(i) = rule_index {
                result["ruleIndex"] = json!(i);
            }
            if !f.path.is_empty() {
                result["locations"] = json!([location]);
            }
            let related: Vec<Value> = f
                .evidence
                .related
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let mut l = json!({
                        "id": k,
                        "physicalLocation": { "artifactLocation": { "uri": uri(&r.path), "uriBaseId": "SRCROOT" } },
                        "message": { "text": r.note },
                    });
                    if r.line > 0 {
                        l["physicalLocation"]["region"] = json!({ "startLine": r.line, "endLine": r.end_line.max(r.line) });
                    }
                    l
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "Plumb",
                "version": crate::VERSION,
                "informationUri": "https://github.com/plumb-dev/plumb",
                "rules": rules,
            } },
            "originalUriBaseIds": { "SRCROOT": { "description": { "text": "The root of the inspected repository." } } },
            "results": results,
        }],
    })
}

/// A repository-relative path as a URI reference: each segment percent-encoded, so names
/// with spaces, `#`, `?` or non-ASCII characters stay one valid relative reference.
fn uri(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            let mut out = String::new();
            for b in seg.bytes() {
                if b.is_ascii_alphanumeric() || b"-._~@+,;=!$&'()*".contains(&b) {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("/")
}
