//! SEC-XSS: HTML built from data and handed to something that renders it unescaped:
//! `dangerouslySetInnerHTML`, `innerHTML`/`outerHTML`, `insertAdjacentHTML`, `document.write`,
//! jQuery `.html()`, HTML e-mail bodies and HTML responses assembled with interpolation,
//! Jinja/Django `|safe`, `Markup()`/`mark_safe()`, Vue `v-html`, Svelte `{@html}`, EJS `<%-`
//! and Handlebars `{{{ }}}`. Constants and sanitised values (DOMPurify, sanitize-html, bleach,
//! an escaping helper) are not findings.

use std::sync::OnceLock;

use regex::Regex;
use tree_sitter::Node;

use super::code::{Code, Sources};
use super::routes::Route;
use super::{distinct, list, Spot};
use crate::catalogue::Confidence;
use crate::checks::SourceFile;
use crate::lang::Lang;

/// Calls whose result is safe HTML (or text): sanitizers and escapers.
const SANITIZERS: [&str; 22] = [
    "DOMPurify.sanitize(", "purify.sanitize(", "sanitize(", "sanitizeHtml(", "sanitizeHTML(", "sanitize_html(", "xss(",
    "filterXSS(", "escapeHtml(", "escapeHTML(", "escape_html(", "escape(", "he.encode(", "he.escape(", "encodeHTML(",
    "bleach.clean(", "clean(", "html.escape(", "markupsafe.escape(", "strip_tags(", "encodeURIComponent(", "textContent",
];

/// Object keys that carry an e-mail's HTML body (Resend, Nodemailer, SendGrid, Postmark,
/// Brevo, Django's `send_mail(html_message=…)`).
const HTML_KEYS: [&str; 7] = ["html", "htmlContent", "htmlBody", "HtmlBody", "html_content", "html_message", "body_html"];

/// Calls that send an HTML string as the response.
const RESPONSES: [&str; 9] = ["send", "write", "end", "html", "HttpResponse", "HTMLResponse", "make_response", "Response", "render_template_string"];

pub(super) fn scan(code: &Code, routes: &[Route]) -> Vec<Spot> {
    let mut out = Vec::new();
    // JSX: dangerouslySetInnerHTML={{ __html: value }}
    for (attr, value) in &code.jsx {
        if *attr != "dangerouslySetInnerHTML" {
            continue;
        }
        let html = code.value_of(*value, "__html").unwrap_or(*value);
        if let Some(spot) = unsafe_html(code, html, "is rendered as raw HTML with dangerouslySetInnerHTML") {
            out.push(Spot { line: code.line(*value), end_line: code.lines(*value).1, ..spot });
        }
    }
    // el.innerHTML = value / el.outerHTML += value
    for d in &code.defs {
        let target = code.compact(d.target);
        let Some(prop) = ["innerHTML", "outerHTML"].into_iter().find(|p| target.ends_with(&format!(".{p}"))) else { continue };
        if let Some(spot) = unsafe_html(code, d.value, &format!("is written to {prop}, which parses it as HTML")) {
            out.push(Spot { line: code.line(d.node), end_line: code.lines(d.node).1, ..spot });
        }
    }
    for call in &code.calls {
        let args = code.positional(call);
        let method = call.method();
        let sink = match method {
            "insertAdjacentHTML" => args.get(1).map(|a| (*a, "is inserted with insertAdjacentHTML, which parses it as HTML")),
            "write" | "writeln" if call.callee.starts_with("document.") => args.first().map(|a| (*a, "is written with document.write")),
            "html" if call.callee.starts_with("$(") || call.callee.starts_with("jQuery(") => {
                args.first().map(|a| (*a, "is set with jQuery .html(), which parses it as HTML"))
            }
            "Markup" | "mark_safe" | "SafeString" => args.first().map(|a| (*a, "is marked safe, so the template engine will not escape it")),
            "render_template_string" => args.first().map(|a| (*a, "is rendered as a template, so it is neither escaped nor safe from template injection")),
            _ => None,
        };
        if let Some((arg, what)) = sink {
            if let Some(spot) = unsafe_html(code, arg, what) {
                out.push(Spot { line: code.line(call.node), end_line: code.lines(call.node).1, ..spot });
            }
        }
    }
    // HTML e-mail bodies: { html: `<p>Hi ${name}</p>` }
    for pair in &code.pairs {
        if !HTML_KEYS.contains(&code.key(pair)) || !code.is_template(pair.value) || !has_tags(code.text(pair.value)) {
            continue;
        }
        let unsafe_subs: Vec<String> = code
            .subs_of(pair.value)
            .into_iter()
            .filter(|s| !safe_interpolation(code, *s))
            .map(|s| code.compact(s).trim_start_matches("${").trim_end_matches('}').to_string())
            .collect();
        if unsafe_subs.is_empty() {
            continue;
        }
        let subs = distinct(unsafe_subs);
        out.push(
            Spot::new(
                code.lines(pair.value),
                format!(
                    "{} {} interpolated unescaped into an HTML e-mail body: a customer who types markup there can inject links and content into mail sent from your domain",
                    list(&subs, 3),
                    if subs.len() == 1 { "is" } else { "are" }
                ),
                Confidence::Medium,
            ),
        );
    }
    // HTML responses built with request data: res.send(`<h1>${req.query.name}</h1>`).
    for call in &code.calls {
        if !RESPONSES.contains(&call.method()) || call.method() == "render_template_string" {
            continue;
        }
        let Some(arg) = code.positional(call).into_iter().next() else { continue };
        if let Some(spot) = reflected(code, routes, arg) {
            out.push(spot);
        }
    }
    if code.python {
        // return f"<h1>Hello {name}</h1>" from a route.
        for r in routes {
            let Some(h) = r.handler else { continue };
            for d in code.returned_templates(h) {
                if let Some(spot) = reflected(code, routes, d) {
                    out.push(spot);
                }
            }
        }
    }
    out.sort_by_key(|s| s.line);
    out.dedup_by_key(|s| s.line);
    out
}

/// A finding unless `html` is constant or sanitised.
fn unsafe_html(code: &Code, html: Node, what: &str) -> Option<Spot> {
    if code.is_constant(html) || sanitized(code, html, 0) {
        return None;
    }
    let shown: String = code.compact(html).chars().take(60).collect();
    let markdown = ["marked(", "marked.parse(", "markdown(", "md.render(", "remark", "showdown", "markdown.markdown("]
        .iter()
        .any(|m| shown.contains(m));
    let tail = if markdown {
        ": markdown renderers pass raw HTML through, so whoever writes the text can run script in every reader's browser"
    } else {
        ": whoever can put text there can run script in the browser of everyone who views it"
    };
    Some(Spot::new((0, 0), format!("{shown} {what}{tail}"), Confidence::High))
}

/// Sanitised here or where the variable was bound.
fn sanitized(code: &Code, node: Node, depth: u32) -> bool {
    let text = code.compact(node);
    if SANITIZERS.iter().any(|s| text.contains(s)) {
        return true;
    }
    if depth > 2 {
        return false;
    }
    // A local helper that sanitises: const clean = (s) => DOMPurify.sanitize(s).
    code.names_in(node).any(|name| {
        let lower = name.to_ascii_lowercase();
        ["sanitiz", "escape", "purify"].iter().any(|w| lower.contains(w))
            || code.defs_of(name, node).iter().any(|d| sanitized(code, d.value, depth + 1))
            || code
                .fns
                .iter()
                .filter(|f| code.func_name(f) == Some(name))
                .any(|f| sanitized(code, f.node, depth + 1))
    })
}

/// Interpolations that cannot carry markup: constants, numbers, dates, escaped values.
fn safe_interpolation(code: &Code, sub: Node) -> bool {
    if code.is_constant(sub) || sanitized(code, sub, 0) {
        return true;
    }
    let text = code.compact(sub);
    let inner = text.trim_start_matches("${").trim_start_matches('{').trim_end_matches('}');
    static NUMERIC: OnceLock<Regex> = OnceLock::new();
    let numeric = NUMERIC.get_or_init(|| {
        Regex::new(r"(?i)(?:amount|total|count|price|qty|quantity|cents|_at|date|_id|\.id|\.length|toFixed\([^)]*\)|toLocaleDateString\([^)]*\)|toLocaleString\([^)]*\)|toISOString\(\)|format\w*\([^)]*\))$")
            .expect("numeric regex")
    });
    numeric.is_match(inner) || inner.starts_with("Number(") || inner.starts_with("new Intl.")
}

/// An HTML string with request data in it, sent as a response from a handler.
fn reflected(code: &Code, routes: &[Route], node: Node) -> Option<Spot> {
    if !code.is_template(node) || !has_tags(code.text(node)) {
        return None;
    }
    let seeds: Vec<&str> = routes
        .iter()
        .filter(|r| r.handler.is_some_and(|h| h.byte_range().contains(&node.start_byte())))
        .flat_map(|r| r.seeds.iter().copied())
        .collect();
    let tainted = code.request_names(node, Sources::Any, &seeds);
    let reqs = code.request_objects(node);
    let from_request: Vec<String> = code
        .subs_of(node)
        .into_iter()
        .filter(|s| !sanitized(code, *s, 0))
        .filter(|s| code.is_request_source(*s, Sources::Any, &reqs) || code.names_in(*s).any(|n| tainted.contains(n)))
        .map(|s| code.compact(s).trim_start_matches("${").trim_start_matches('{').trim_end_matches('}').to_string())
        .collect();
    if from_request.is_empty() {
        return None;
    }
    let names = distinct(from_request);
    Some(Spot::new(
        code.lines(node),
        format!(
            "{} from the request {} echoed into an HTML response unescaped: a link with script in it runs in the victim's browser (reflected XSS)",
            list(&names, 3),
            if names.len() == 1 { "is" } else { "are" }
        ),
        Confidence::High,
    ))
}

fn has_tags(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?>").expect("tag regex")).is_match(text)
}

/// Templates Plumb does not parse (Vue, Svelte, Jinja, Django, EJS, Handlebars), by regex:
/// the unescaped-output forms of each.
pub(super) fn scan_template(file: &SourceFile) -> Vec<Spot> {
    let lower = file.path.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let kind = match ext {
        "vue" => "vue",
        "svelte" => "svelte",
        "html" | "htm" | "jinja" | "jinja2" | "j2" | "njk" | "twig" => "jinja",
        "ejs" => "ejs",
        "hbs" | "handlebars" | "mustache" => "handlebars",
        _ => return Vec::new(),
    };
    if file.lang != Lang::Html && file.lang != Lang::Other {
        return Vec::new();
    }
    static PATTERNS: OnceLock<Vec<(&'static str, Regex, &'static str)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            ("vue", r#"v-html\s*=\s*"([^"]*)""#, "is rendered as raw HTML with v-html"),
            ("svelte", r"\{@html\s+([^}]*)\}", "is rendered as raw HTML with {@html}"),
            ("jinja", r"\{\{\s*([^}]*?)\|\s*safe\s*\}\}", "is marked |safe, so it is not escaped"),
            ("jinja", r"\{%-?\s*autoescape\s+(false|off)\s*-?%\}", "switches autoescaping off for the block"),
            ("ejs", r"<%-\s*([^%]*?)\s*-?%>", "is output unescaped with <%-"),
            ("handlebars", r"\{\{\{\s*([^}]*?)\s*\}\}\}", "is output unescaped with {{{ }}}"),
        ]
        .into_iter()
        .map(|(k, re, what)| (k, Regex::new(re).expect("template regex"), what))
        .collect()
    });
    let mut out = Vec::new();
    for (k, re, what) in patterns.iter() {
        // Vue and Svelte files hold HTML too: Jinja's rules do not apply to them.
        if *k != kind {
            continue;
        }
        for caps in re.captures_iter(file.text) {
            let expr = caps.get(1).map_or("", |m| m.as_str()).trim();
            let constant = (expr.starts_with('\'') || expr.starts_with('"')) && !expr.contains('+');
            let clean = ["sanitize", "purify", "escape", "bleach", "clean", "striptags"].iter().any(|s| expr.to_ascii_lowercase().contains(s));
            if constant || clean {
                continue;
            }
            let start = caps.get(0).map_or(0, |m| m.start());
            let line = file.line_of(start);
            let shown: String = expr.chars().take(60).collect();
            let message = if expr == "false" || expr == "off" {
                format!("autoescape {expr} {what}: every variable in it is output as raw HTML")
            } else {
                format!("{shown} {what}: whoever can put text there can run script in the browser of everyone who views it")
            };
            out.push(Spot::new((line, line), message, Confidence::High));
        }
    }
    out
}
