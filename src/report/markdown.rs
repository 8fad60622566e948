//! Markdown to paste into an issue tracker: repository text escaped, code in fences longer
//! than any backtick run inside.

use std::fmt::Write;

use crate::plan::Plan;
use crate::redact::redact;

/// Escapes Markdown and inline HTML so repository text renders as text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in redact(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

pub fn render(plan: &Plan) -> String {
    let eng = &plan.engagement;
    let h = &plan.headline;
    let mut out = String::new();
    let client = if eng.client.is_empty() { &plan.repository } else { &eng.client };
    let _ = writeln!(out, "# Remediation plan: {}\n", escape(client));
    let _ = writeln!(
        out,
        "{} files, {} lines; {:.0} % of commits by AI agents. **{}** load-bearing and **{}** cosmetic findings; {} accepted, {} dismissed.\n",
        h.files,
        h.loc,
        h.agent_commit_share * 100.0,
        h.load_bearing,
        h.cosmetic,
        h.accepted,
        h.dismissed
    );
    if !h.not_read.is_empty() {
        let _ = writeln!(out, "What this analysis could not read:\n");
        for sentence in &h.not_read {
            let _ = writeln!(out, "- {}", escape(sentence));
        }
        out.push('\n');
    }
    for horizon in &plan.horizons {
        let _ = writeln!(out, "## {} ({} lines, {})\n", horizon.title, horizon.lines.len(), horizon.effort.label());
        for l in &horizon.lines {
            let place = if l.path.is_empty() { "whole product".to_string() } else if l.line == 0 { escape(&l.path) } else { format!("{}:{}", escape(&l.path), l.line) };
            let _ = writeln!(
                out,
                "- [ ] **{}. {}** ({}, {}) — {} — {}  \n  priority {:.1}: impact {} ({}), exposure {} ({}), likelihood {} ({}), confidence {}, effort {}{}",
                l.rank,
                escape(&l.title),
                l.class.as_str(),
                l.effort_label(),
                place,
                escape(&l.message),
                l.priority,
                l.factors.impact.score,
                escape(&l.factors.impact.why),
                l.factors.exposure.score,
                escape(&l.factors.exposure.why),
                l.factors.likelihood.score,
                escape(&l.factors.likelihood.why),
                l.factors.confidence.score,
                escape(&l.factors.effort.why),
                l.owner.as_deref().map(|o| format!("; owner {}", escape(o))).unwrap_or_default()
            );
        }
        out.push('\n');
    }
    out.push_str("## Evidence\n\n");
    for f in &plan.findings {
        let _ = writeln!(out, "### {} — {}\n\n{}\n", escape(&f.item), escape(&f.path), escape(&f.message));
        if let Some(x) = &f.evidence.excerpt {
            let body: String = x.lines.iter().enumerate().map(|(i, t)| format!("{:>4}  {}\n", x.start_line + i as u32, redact(t))).collect();
            let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat((longest + 1).max(3));
            let _ = writeln!(out, "{fence}\n{body}{fence}\n");
        }
    }
    out
}

/// The progress report between two engagements: fixed, new, still open.
pub fn render_progress(report: &crate::plan::ProgressReport) -> String {
    let date = |e: &crate::triage::Engagement| crate::report::date(e.analysed_at.unwrap_or(e.started_at));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Progress on {}\n\nFrom the engagement of {} to the one of {}: **{}** fixed, **{}** new, **{}** still open.\n",
        escape(&report.repository),
        date(&report.from),
        date(&report.to),
        report.fixed.len(),
        report.new.len(),
        report.still_open.len()
    );
    for (title, rows) in [("Fixed", &report.fixed), ("New", &report.new), ("Still open", &report.still_open)] {
        let _ = writeln!(out, "## {title}\n");
        if rows.is_empty() {
            out.push_str("Nothing.\n\n");
        }
        for r in rows {
            let place = if r.path.is_empty() { "whole product".to_string() } else if r.line == 0 { escape(&r.path) } else { format!("{}:{}", escape(&r.path), r.line) };
            let _ = writeln!(out, "- **{}** ({}) at `{}`: {}", escape(&r.title), escape(&r.item), place.replace('`', "'"), escape(&r.message));
        }
        out.push('\n');
    }
    out
}
