//! AUTH-ROUTE (endpoints that touch customer data with no authentication) and
//! AUTH-DANGER-ENDPOINT (admin, bootstrap, debug, seed, simulate, test endpoints left deployed).

use super::model::Kind;
use super::protection::{Index, Site};
use super::words;
use crate::checks::{Confidence, Draft};

pub const ROUTE: &str = "AUTH-ROUTE";
pub const DANGER: &str = "AUTH-DANGER-ENDPOINT";

const SEARCHED: &str = "auth calls in the handler and the helpers it calls (Supabase auth.getUser/getSession, getServerSession/auth(), Clerk auth()/currentUser, jwt.verify/jwtVerify, FastAPI Depends, Django/Flask decorators, 401/403 answers), middleware on its router and on the routers that mount it, Next.js middleware.ts matchers, Django settings";

fn public_reason(site: &Site) -> Option<&'static str> {
    if site.endpoint.signature {
        return Some("a webhook that checks a signature");
    }
    site.names().iter().find_map(|n| words::public_by_design(n))
}

fn gateway_note(index: &Index, site: &Site) -> Option<&'static str> {
    if site.endpoint.kind != Some(Kind::Serve) || !site.file.path.contains("supabase/functions/") {
        return None;
    }
    Some(if index.verify_jwt_off(site) {
        "supabase/config.toml sets verify_jwt = false for it, so the gateway checks nothing either"
    } else {
        "the gateway's verify_jwt accepts the public anon key, which is not a user"
    })
}

pub fn check_routes(index: &Index, out: &mut Vec<Draft>) {
    for site in &index.sites {
        let e = site.endpoint;
        if public_reason(site).is_some()
            || index.protection(site).is_some()
            || index.runs_as_caller(site)
        {
            continue;
        }
        let data = index.data(site);
        if data.is_empty() {
            continue;
        }
        let gateway = gateway_note(index, site);
        let mut message = format!(
            "{} {} with no authentication check",
            site.label(),
            summary(index, site)
        );
        match gateway {
            Some(note) => message.push_str(&format!("; {note}: anyone can call it")),
            None => message.push_str(": anyone who finds the URL can call it"),
        }
        let confidence = if gateway.is_some() && !index.verify_jwt_off(site) {
            Confidence::Medium
        } else {
            Confidence::High
        };
        let mut d = Draft::new(ROUTE, &site.file.path, e.head, e.head, message)
            .confidence(confidence)
            .anchor(format!("{}:{}", site.file.path, e.name))
            .searched(SEARCHED)
            .auth();
        for fact in data.iter().take(4) {
            d = d.fact(fact.clone());
        }
        if index.writes(site) {
            d = d.data_write();
        }
        out.push(d);
    }
}

/// "reads and writes invoices through supabaseAdmin (service role)".
fn summary(index: &Index, site: &Site) -> String {
    let e = site.endpoint;
    let mut tables: Vec<&str> = Vec::new();
    let mut effects: Vec<&str> = Vec::new();
    for d in &e.data {
        if d.what.contains(' ') {
            if !effects.contains(&d.what.as_str()) {
                effects.push(&d.what);
            }
        } else if !tables.contains(&d.what.as_str()) && !d.what.is_empty() {
            tables.push(&d.what);
        }
    }
    let reads = e.data.iter().any(|d| !d.write && !d.what.contains(' '));
    let writes = e.data.iter().any(|d| d.write && !d.what.contains(' '));
    let verb = match (reads, writes) {
        (true, true) => "reads and writes",
        (false, true) => "writes",
        _ => "reads",
    };
    let privileged: Vec<&str> = e
        .data
        .iter()
        .filter(|d| index.privileged(site, &d.client))
        .map(|d| d.client.as_str())
        .collect();
    let mut parts = Vec::new();
    if !tables.is_empty() {
        let mut s = format!(
            "{verb} {}",
            tables
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(c) = privileged.first() {
            s.push_str(&format!(" through {c} (service role, RLS bypassed)"));
        }
        parts.push(s);
    }
    parts.extend(effects.iter().take(2).map(|s| s.to_string()));
    if parts.is_empty() {
        let helpers: Vec<&str> = e
            .calls
            .iter()
            .filter(|c| index.helper(&site.file.path, c, false).is_some())
            .map(String::as_str)
            .collect();
        parts.push(format!(
            "calls {} which query the database",
            helpers.join(", ")
        ));
    }
    parts.join(" and ")
}

pub fn check_danger(index: &Index, out: &mut Vec<Draft>) {
    for site in &index.sites {
        let e = site.endpoint;
        if e.env_gated || e.role_check {
            continue;
        }
        let word = site.names().iter().find_map(|n| words::danger_word(n));
        let protection = index.protection(site);
        if protection.as_ref().is_some_and(|p| p.strong) {
            continue;
        }
        let body = e.danger.first();
        if word.is_none() && (body.is_none() || protection.is_some()) {
            continue;
        }
        if word.is_some()
            && body.is_none()
            && index.data(site).is_empty()
            && !matches!(word.as_deref(), Some("debug" | "seed" | "test" | "reset"))
        {
            continue;
        }
        let reach = match &protection {
            Some(p) => format!("any signed-in user can call it ({} checks who they are, not that they are an admin)", p.by),
            None => "it has no authentication at all".to_string(),
        };
        let what = match (body, &word) {
            (Some(b), Some(w)) => format!(
                "{} looks like a {w} endpoint and {} (line {})",
                site.label(),
                b.what,
                b.line
            ),
            (Some(b), None) => format!("{} {} (line {})", site.label(), b.what, b.line),
            (None, Some(w)) => format!("{} is a {w} endpoint deployed with the app", site.label()),
            (None, None) => continue,
        };
        let line = body.map(|b| b.line).unwrap_or(e.head);
        let confidence = if protection.is_none() && (body.is_some() || word.is_some()) {
            Confidence::High
        } else {
            Confidence::Medium
        };
        out.push(
            Draft::new(DANGER, &site.file.path, line, line, format!("{what}; {reach}"))
                .confidence(confidence)
                .anchor(format!("{}:{}", site.file.path, e.name))
                .searched("role checks (role === \"admin\", is_staff, requireAdmin, permission decorators), shared-secret headers, NODE_ENV/DEBUG gates")
                .auth(),
        );
    }
}
