//! The proposed class of a finding: load-bearing or cosmetic, with one sentence a founder
//! can read. The item's nature (severity) sets the bar; where the code sits (test or
//! production, on a money, access or data-write path, reachable from an entry point, how
//! central it is in the import graph, how hot in the history) decides. The consultant
//! confirms or overrides it in the triage session.

use super::model::{Class, Exposure, Severity};
use crate::catalogue::Item;

/// Proposes a class for a finding of `item` with this `severity` and `exposure`.
pub fn propose(item: &Item, severity: Severity, e: &Exposure) -> (Class, String) {
    if e.test {
        return (
            Class::Cosmetic,
            "It is in test code: no customer ever runs it.".into(),
        );
    }
    let path = path_phrase(e);
    let central = e.pagerank_percentile >= 0.9 && e.fan_in >= 3;
    let hot = e.hotspot_rank.is_some_and(|r| r <= 10);
    match severity {
        Severity::Critical => (
            Class::LoadBearing,
            format!(
                "{} {}",
                critical_reason(item),
                path.map(|p| format!("It {p}.")).unwrap_or_default()
            )
            .trim()
            .to_string(),
        ),
        Severity::High => {
            if let Some(p) = path {
                (
                    Class::LoadBearing,
                    format!("It {p}, so this breaks for real customers as usage grows."),
                )
            } else if central || hot {
                (
                    Class::LoadBearing,
                    "Much of the product depends on this code, so a failure here spreads.".into(),
                )
            } else if !e.reachable_from_entry && e.entry.is_none() {
                (Class::Cosmetic, "No entry point reaches this code today, so customers are not exposed to it yet.".into())
            } else {
                (
                    Class::LoadBearing,
                    "Real requests reach this code, so it breaks for customers under load.".into(),
                )
            }
        }
        Severity::Medium => {
            if let Some(p) = path.filter(|_| e.money || e.auth || e.data_write) {
                (
                    Class::LoadBearing,
                    format!("It {p}, where a quiet failure costs money or data."),
                )
            } else if hot && e.reachable_from_entry {
                (Class::LoadBearing, "It is one of the most-changed files on a request path, where the next change is likely to break it.".into())
            } else {
                (Class::Cosmetic, "It makes failures slower to diagnose, but nothing breaks for users because of it alone.".into())
            }
        }
        Severity::Low => {
            if (e.money || e.auth) && (central || hot) {
                (Class::LoadBearing, "It sits in central, often-changed code that handles money or access, so it blocks safe changes there.".into())
            } else {
                (
                    Class::Cosmetic,
                    "It makes the code harder to change, but nothing breaks for users.".into(),
                )
            }
        }
    }
}

/// Why an item of critical nature is load-bearing wherever it is.
fn critical_reason(item: &Item) -> &'static str {
    match item.area {
        crate::catalogue::Area::Pay | crate::catalogue::Area::Int => {
            "Left as it is, this can lose money or charge customers wrongly."
        }
        crate::catalogue::Area::Auth => {
            "Left as it is, this can let someone see or change another customer's data."
        }
        crate::catalogue::Area::Sec => "Left as it is, this gives an attacker a way in.",
        crate::catalogue::Area::Data => "Left as it is, this can lose or corrupt customer data.",
        _ => "Left as it is, this can hurt customers directly.",
    }
}

/// "is on the payment path (edge function)" and the like, or `None` when nothing is known.
fn path_phrase(e: &Exposure) -> Option<String> {
    let what = if e.money {
        "is on the payment path"
    } else if e.auth {
        "decides who can see or change data"
    } else if e.data_write {
        "writes customer data"
    } else if e.entry.is_some() || e.reachable_from_entry {
        "runs on a request path"
    } else {
        return None;
    };
    Some(match &e.entry {
        Some(kind) => format!("{what} (an {kind})")
            .replace("an page", "a page")
            .replace("an server", "a server")
            .replace("an edge", "an edge"),
        None => what.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    #[test]
    fn test_code_is_cosmetic_and_critical_items_are_load_bearing() {
        let c = Catalogue::builtin();
        let item = c.get("PAY-WEBHOOK-SIG").unwrap();
        let test = Exposure {
            test: true,
            ..Exposure::default()
        };
        assert_eq!(propose(item, Severity::Critical, &test).0, Class::Cosmetic);
        let edge = Exposure {
            money: true,
            entry: Some("edge function".into()),
            reachable_from_entry: true,
            ..Exposure::default()
        };
        let (class, reason) = propose(item, Severity::Critical, &edge);
        assert_eq!(class, Class::LoadBearing);
        assert!(
            reason.contains("payment path (an edge function)"),
            "{reason}"
        );
    }

    #[test]
    fn unreachable_high_findings_can_ride() {
        let c = Catalogue::builtin();
        let item = c.get("DATA-UNBOUNDED").unwrap();
        assert_eq!(
            propose(item, Severity::High, &Exposure::default()).0,
            Class::Cosmetic
        );
        let reached = Exposure {
            reachable_from_entry: true,
            ..Exposure::default()
        };
        assert_eq!(
            propose(item, Severity::High, &reached).0,
            Class::LoadBearing
        );
    }
}
