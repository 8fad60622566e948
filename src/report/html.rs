//! One self-contained, print-ready HTML file: no scripts, no external requests, every string
//! from the repository escaped.

use std::fmt::Write;

use crate::checks::model::Finding;
use crate::plan::{Plan, PlanLine};
use crate::redact::redact;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn e(text: &str) -> String {
    escape(&redact(text))
}

const STYLE: &str = r#"
@page { margin: 18mm 16mm 20mm; }
@page { @bottom-right { content: counter(page); font-size: 8pt; color: #5b6475; } }
@media print { section { break-before: page; } .line, figure { break-inside: avoid; } }
:root { color-scheme: light; }
body { font: 10.5pt/1.5 "Libertinus Serif", "Linux Libertine O", Georgia, "Times New Roman", serif; color: #1d2433; max-width: 180mm; margin: 0 auto; padding: 12mm 0; }
h1 { font-size: 26pt; margin: 0 0 4mm; letter-spacing: -0.02em; } h2 { font-size: 16pt; border-bottom: 1px solid #d5dae3; padding-bottom: 2mm; margin-top: 10mm; }
h3 { font-size: 12pt; margin: 6mm 0 2mm; } .muted { color: #5b6475; } .cover { min-height: 200mm; display: flex; flex-direction: column; justify-content: center; }
.running { font-size: 8.5pt; color: #5b6475; border-bottom: 1px solid #e4e7ee; padding-bottom: 1mm; margin-bottom: 6mm; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; } .figures div { background: #f4f6fa; border-radius: 2mm; padding: 3mm; } .figures b { display: block; font-size: 15pt; }
.line { border-left: 3px solid #c9ced8; padding: 1mm 0 1mm 4mm; margin: 5mm 0; } .line.load-bearing { border-color: #b42318; }
.head { display: flex; gap: 2mm; align-items: baseline; } .effort { margin-left: auto; font-size: 8.5pt; color: #5b6475; } .small { font-size: 8.5pt; }
.factors { display: grid; grid-template-columns: repeat(5, 1fr); gap: 2.5mm; font-size: 8pt; margin-top: 1.5mm; } .fname { font-size: 7.5pt; text-transform: uppercase; letter-spacing: .04em; color: #5b6475; }
@media print { body { padding: 0; } tr.row { break-inside: avoid; } }
.tag { font-size: 8pt; text-transform: uppercase; letter-spacing: .05em; padding: .3mm 1.5mm; border-radius: 1mm; background: #eef0f4; } .tag.load-bearing { background: #fde8e6; color: #8a1c12; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; } td, th { text-align: left; padding: 1mm 2mm; border-bottom: 1px solid #e4e7ee; vertical-align: top; }
pre { font: 7.5pt/1.3 "DejaVu Sans Mono", Menlo, monospace; background: #f7f8fa; padding: 2mm; overflow-wrap: anywhere; white-space: pre-wrap; } .focus { background: #fff1c2; } .ln { color: #8a92a3; user-select: none; }
figure { margin: 5mm 0 0; } figure h3 { margin: 0 0 1mm; font-size: 10.5pt; } figure p { margin: 1mm 0; } figure pre { margin: 1.5mm 0; }
code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 9pt; }
"#;

fn place(path: &str, line: u32) -> String {
    match (path.is_empty(), line) {
        (true, _) => "whole product".to_string(),
        (false, 0) => e(path),
        (false, l) => format!("{}:{l}", e(path)),
    }
}

fn effort_html(l: &PlanLine) -> String {
    format!("{}{}", e(&l.effort_label()), l.owner.as_deref().map(|o| format!(" · {}", e(o))).unwrap_or_default())
}

/// A line of the first horizon, in full: what, where, the fix and the factors of its priority.
fn line_html(out: &mut String, l: &PlanLine) {
    let f = &l.factors;
    let factor = |name: &str, x: &crate::plan::Factor| format!(r#"<div><span class="fname">{name}</span> <b>{}</b><br>{}</div>"#, score(x.score), e(&x.why));
    let _ = write!(
        out,
        r#"<div class="line {cls}"><div class="head"><b>{rank}. {title}</b> <span class="tag {cls}">{cls}</span><span class="effort">{effort}</span></div>
<div class="muted small">{item} · <code>{place}</code> · priority {priority}</div><div>{message}</div><div class="muted">Fix: {fix}</div>{after}<div class="factors">{fi}{fx}{fl}{fc}{fe}</div></div>"#,
        cls = l.class.as_str(),
        rank = l.rank,
        title = e(&l.title),
        effort = effort_html(l),
        item = e(&l.item),
        place = place(&l.path, l.line),
        priority = score(l.priority),
        message = e(&l.message),
        fix = e(&l.fix),
        after = l.after_reason.as_deref().map(|a| format!(r#"<div class="muted small">{}</div>"#, e(a))).unwrap_or_default(),
        fi = factor("impact", &f.impact),
        fx = factor("exposure", &f.exposure),
        fl = factor("likelihood", &f.likelihood),
        fc = factor("confidence", &f.confidence),
        fe = factor("effort", &f.effort),
    );
}

/// The later horizons, one table row a line (the factors are in the JSON export).
fn lines_table(out: &mut String, lines: &[PlanLine]) {
    out.push_str("<table><tr><th>#</th><th>Finding</th><th>Priority</th><th>Effort</th></tr>");
    for l in lines {
        let _ = write!(
            out,
            r#"<tr class="row"><td>{}</td><td><b>{}</b> <span class="tag {cls}">{cls}</span><br>{}<br><span class="muted small">{} · <code>{}</code></span></td><td>{}</td><td>{}</td></tr>"#,
            l.rank,
            e(&l.title),
            e(&l.message),
            e(&l.item),
            place(&l.path, l.line),
            score(l.priority),
            effort_html(l),
            cls = l.class.as_str(),
        );
    }
    out.push_str("</table>");
}

fn score(x: f64) -> String {
    if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{}", (x * 100.0).round() / 100.0) }
}

fn evidence_html(out: &mut String, f: &Finding) {
    let _ = write!(out, "<figure><h3>{} · <code>{}</code></h3><p>{}</p>", e(&f.item), place(&f.path, f.line), e(&f.message));
    if let Some(x) = &f.evidence.excerpt {
        out.push_str("<pre>");
        for (i, text) in x.lines.iter().enumerate() {
            let n = x.start_line + i as u32;
            let focus = n >= x.focus.0 && n <= x.focus.1;
            let _ = writeln!(out, r#"<span class="{}"><span class="ln">{n:>4}</span>  {}</span>"#, if focus { "focus" } else { "" }, e(text));
        }
        out.push_str("</pre>");
    }
    for r in &f.evidence.related {
        let _ = write!(out, "<p class=\"muted\">Related: <code>{}</code> — {}</p>", place(&r.path, r.line), e(&r.note));
    }
    for s in &f.evidence.searched {
        let _ = write!(out, "<p class=\"muted\">Searched: {}</p>", e(s));
    }
    out.push_str("</figure>");
}

pub fn render(plan: &Plan) -> String {
    let h = &plan.headline;
    let eng = &plan.engagement;
    let date = crate::report::date(eng.analysed_at.unwrap_or(eng.started_at));
    let client = if eng.client.is_empty() { plan.repository.clone() } else { eng.client.clone() };
    let head = format!("{} · remediation plan · {}", client, date);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>{STYLE}@page {{ @top-left {{ content: "{head_css}"; font-size: 8pt; color: #5b6475; }} }} @media print {{ .running {{ display: none; }} }}</style></head><body>"#,
        title = e(&head),
        // A CSS string: only characters that cannot end it or the style element.
        head_css = head.chars().filter(|c| c.is_alphanumeric() || " .,·-_:()".contains(*c)).collect::<String>(),
    );
    let _ = write!(
        out,
        r#"<div class="cover"><p class="muted">Remediation plan</p><h1>{client}</h1><p>Repository <b>{repo}</b>{commit}</p><p>Prepared by {consultant} · {date}</p></div>"#,
        client = e(&client),
        repo = e(&plan.repository),
        commit = eng.commit.as_deref().map(|c| format!(" at commit <code>{}</code>", e(&c[..c.len().min(12)]))).unwrap_or_default(),
        consultant = if eng.consultant.is_empty() { "the consultant".to_string() } else { e(&eng.consultant) },
    );
    let _ = write!(out, r#"<section><div class="running">{}</div><h2>Executive summary</h2>"#, e(&head));
    let spike = &plan.horizons[0];
    let _ = write!(
        out,
        "<p>We found <b>{}</b> load-bearing problems — places where the product can lose money, leak one customer's data to another, let someone in, or fall over under growth — and <b>{}</b> cosmetic ones that make the code harder to live with but break nothing for users. <b>{}</b> must change before the next traffic spike ({}).</p>",
        h.load_bearing,
        h.cosmetic,
        spike.lines.len(),
        spike.effort.label()
    );
    let _ = write!(
        out,
        r#"<div class="figures"><div><b>{}</b>files, {} lines</div><div><b>{:.0} %</b>of commits by AI agents</div><div><b>{}</b>load-bearing</div><div><b>{}</b>can ride</div></div>"#,
        h.files,
        h.loc,
        h.agent_commit_share * 100.0,
        h.load_bearing,
        plan.horizons[2].lines.len()
    );
    out.push_str("<h3>Top risks</h3>");
    if plan.top_risks(1).is_empty() {
        out.push_str("<p>Nothing must change before the next traffic spike: the open findings are planned for this quarter or can ride.</p>");
    }
    out.push_str("<ol>");
    for l in plan.top_risks(5) {
        let _ = write!(out, "<li><b>{}</b> — {} <span class=\"muted\">(<code>{}</code>)</span></li>", e(&l.title), e(&l.class_reason), place(&l.path, l.line));
    }
    out.push_str("</ol>");
    if !h.hotspots.is_empty() {
        out.push_str("<h3>Hotspots</h3><table><tr><th>File</th><th>Changes in the last year</th><th>Complexity</th></tr>");
        for s in &h.hotspots {
            let _ = write!(out, "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>", e(&s.path), s.revisions, s.complexity);
        }
        out.push_str("</table>");
    }
    if !h.not_read.is_empty() {
        out.push_str("<h3>What this analysis could not read</h3><ul>");
        for sentence in &h.not_read {
            let _ = write!(out, "<li>{}</li>", e(sentence));
        }
        out.push_str("</ul>");
    }
    out.push_str("<h3>Workstreams</h3><table><tr><th>Workstream</th><th>Lines</th><th>Effort</th><th>Before the spike</th></tr>");
    for w in plan.workstreams.iter().filter(|w| w.lines > 0) {
        let _ = write!(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", w.title, w.lines, w.effort.label(), w.before_spike.label());
    }
    out.push_str("</table></section>");
    for horizon in &plan.horizons {
        let _ = write!(out, r#"<section><div class="running">{}</div><h2>{} <span class="muted">· {} lines · {}</span></h2>"#, e(&head), horizon.title, horizon.lines.len(), horizon.effort.label());
        if horizon.lines.is_empty() {
            out.push_str("<p class=\"muted\">Nothing here.</p>");
        }
        if horizon.horizon == crate::plan::Horizon::BeforeSpike && !horizon.lines.is_empty() {
            out.push_str("<p>Each line shows the factors of its priority: impact × (1 + exposure + likelihood) × confidence ÷ effort. Tests and observability around a module come before the change to it.</p>");
            for l in &horizon.lines {
                line_html(&mut out, l);
            }
        } else if !horizon.lines.is_empty() {
            lines_table(&mut out, &horizon.lines);
        }
        out.push_str("</section>");
    }
    let _ = write!(out, r#"<section><div class="running">{}</div><h2>Appendix: evidence</h2>"#, e(&head));
    for f in &plan.findings {
        evidence_html(&mut out, f);
    }
    out.push_str("</section>");
    let _ = write!(out, r#"<section><div class="running">{}</div><h2>Appendix: the checklist</h2>"#, e(&head));
    for area in &plan.checklist {
        let _ = write!(out, "<h3>{}</h3><table>", e(&area.title));
        for i in &area.items {
            let answer = match (&i.answer, i.not_applicable) {
                (Some(a), true) => format!("Not applicable: {}", e(a)),
                (Some(a), false) => e(a),
                (None, true) => "Not applicable".into(),
                (None, false) => "<span class=\"muted\">not answered</span>".into(),
            };
            let _ = write!(out, "<tr><td><b>{}</b><br><span class=\"muted\">{}</span></td><td>{}</td><td>{} findings</td></tr>", e(&i.id), e(&i.question), answer, i.findings);
        }
        out.push_str("</table>");
    }
    out.push_str("</section></body></html>\n");
    out
}
