//! The proposed class of a finding: load-bearing or cosmetic, with one sentence a founder
//! can read. Each catalogue item's `load_bearing_when` is read as a [`Rule`] over where the
//! code sits: test or production, on a money, access or data-write path, an entry point or
//! reachable from one, how central it is in the import graph (PageRank, fan-in), how hot in
//! the history (hotspot rank). Items the engine does not know (a consultant's own) fall back
//! to a rule by severity. The consultant confirms or overrides the class in the triage session.

use super::model::{Class, Exposure, Severity};
use crate::catalogue::{Area, Item};

/// The top of the hotspot ranking counts as "the top hotspots".
pub const TOP_HOTSPOTS: u32 = 10;

/// An item's `load_bearing_when`, as a rule over the finding's exposure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// "Always": load-bearing wherever it is in production code (the detector only reports
    /// the instances that matter, and lowers the severity of the harmless ones).
    Always,
    /// On a money, access or data-write path ("the cycle runs through payment modules").
    CriticalPath,
    /// On a write path; `or_money`: or on a payment path.
    WritePath { or_money: bool },
    /// Reached by requests: an entry point or reachable from one.
    RequestPath,
    /// Server code.
    ServerPath,
    /// Among the top hotspots.
    TopHotspot,
    /// The module is load-bearing: money, access or data writes, or a server entry point.
    LoadBearingModule,
    /// Load-bearing because of whom it affects, which the founder's answers settle; the
    /// engine proposes load-bearing.
    FounderDecides,
    /// Cosmetic unless it sits on critical paths (ERR-INCONSISTENT, KNOW-DOCS).
    MostlyCosmetic,
    /// An item the engine has no rule for: by severity.
    BySeverity,
}

impl Rule {
    /// The rule of a catalogue item.
    pub fn of(item: &Item) -> Rule {
        match item.id.as_str() {
            "DATA-MIGRATIONS"
            | "DATA-CONSTRAINTS"
            | "PAY-WEBHOOK-SIG"
            | "PAY-WEBHOOK-IDEMP"
            | "PAY-IDEMP-KEY"
            | "PAY-FLOAT-MONEY"
            | "INT-PARTIAL"
            | "AUTH-TENANT"
            | "AUTH-RLS"
            | "AUTH-CACHE-KEY"
            | "AUTH-PRIV-KEY"
            | "AUTH-DANGER-ENDPOINT"
            | "SEC-SECRETS"
            | "SEC-SQLI"
            | "SEC-XSS"
            | "SEC-CORS"
            | "SEC-RATE"
            | "SEC-DEPS"
            | "SEC-CRYPTO"
            | "OBS-ERROR-TRACKING"
            | "OBS-HEALTH"
            | "OPS-CONFIG"
            | "OPS-CI"
            | "OPS-TEST-THEATRE"
            | "OPS-DEPLOY"
            | "LIFE-BACKUP" => Rule::Always,
            "DATA-INDEX" | "DATA-UNBOUNDED" | "DATA-NPLUS1" | "INT-TIMEOUT" | "AUTH-ROUTE" => {
                Rule::RequestPath
            }
            "DATA-TXN"
            | "SEC-INPUT"
            | "OPS-TYPES"
            | "ARCH-CYCLE"
            | "ARCH-GOD"
            | "ARCH-HIDDEN-COUPLING"
            | "ARCH-DUP"
            | "ARCH-LAYER"
            | "ARCH-PATTERNS"
            | "ARCH-FAKE-DONE"
            | "TIME-TZ"
            | "KNOW-AI"
            | "KNOW-BUS" => Rule::CriticalPath,
            "ERR-SWALLOW" => Rule::WritePath { or_money: true },
            "ERR-UNHANDLED" => Rule::WritePath { or_money: false },
            "OBS-LOGGING" => Rule::ServerPath,
            "TEST-CRITICAL" => Rule::LoadBearingModule,
            "TEST-HOTSPOT" => Rule::TopHotspot,
            "LIFE-DELETE" => Rule::FounderDecides,
            "ERR-INCONSISTENT" | "KNOW-DOCS" => Rule::MostlyCosmetic,
            _ => Rule::BySeverity,
        }
    }
}

/// Items whose subject is test code or a value that leaks wherever it sits: a finding in a
/// test file is not cosmetic for them.
fn test_code_matters(item: &Item) -> bool {
    matches!(
        item.id.as_str(),
        "OPS-TEST-THEATRE" | "SEC-SECRETS" | "OPS-CI"
    )
}

/// Proposes a class for a finding of `item` with this `severity` and `exposure`.
pub fn propose(item: &Item, severity: Severity, e: &Exposure) -> (Class, String) {
    let (class, reason) = propose_inner(item, severity, e);
    (class, reason.trim().to_string())
}

fn propose_inner(item: &Item, severity: Severity, e: &Exposure) -> (Class, String) {
    let lb = |r: String| (Class::LoadBearing, r);
    let cosmetic = |r: &str| (Class::Cosmetic, r.to_string());
    if e.test && !test_code_matters(item) {
        return cosmetic("It is in test code: no customer ever runs it.");
    }
    let place = Place::of(e);
    let critical = e.money || e.auth || e.data_write;
    match Rule::of(item) {
        Rule::Always if severity == Severity::Low => cosmetic(
            "This instance is minor on its own (a test or public value, or code nothing runs), so it can wait.",
        ),
        Rule::Always => lb(format!(
            "{}{}",
            always_reason(item),
            place.sentence().map(|s| format!(" {s}")).unwrap_or_default()
        )),
        Rule::CriticalPath => {
            if critical {
                lb(format!(
                    "It {}, so {}.",
                    place.what(),
                    consequence(item)
                ))
            } else if severity >= Severity::Medium && place.central && e.reachable_from_entry {
                lb("Much of the product depends on this file, so a problem here spreads to many screens and requests.".into())
            } else {
                cosmetic(cosmetic_reason(item))
            }
        }
        Rule::WritePath { or_money } => {
            if e.data_write || (or_money && e.money) {
                lb(format!(
                    "It {}, where a silent failure loses a customer's money or data.",
                    place.what()
                ))
            } else if place.hot && e.reachable_from_entry {
                lb("It is one of the most-changed files on a request path, where the next change is likely to hide a failure.".into())
            } else {
                cosmetic("No write or payment happens here, so a failure is annoying but loses nothing.")
            }
        }
        Rule::RequestPath => {
            if e.entry.is_some() || e.reachable_from_entry {
                lb(format!(
                    "It {}, so customers feel it as usage grows.",
                    place.what()
                ))
            } else if place.known {
                cosmetic("No entry point reaches this code today, so customers are not exposed to it yet.")
            } else {
                lb(format!("{} It applies to the whole product.", always_reason(item)))
            }
        }
        Rule::ServerPath => {
            if e.entry.as_deref().is_some_and(|k| k != "page") || (!e.client && e.reachable_from_entry) {
                lb(format!(
                    "It {}, where the logs are all you have when something goes wrong.",
                    place.what()
                ))
            } else {
                cosmetic("It runs in the browser or in tooling, where these logs help nobody diagnose production.")
            }
        }
        Rule::TopHotspot => match e.hotspot_rank {
            Some(rank) if rank <= TOP_HOTSPOTS => lb(format!(
                "It is the number {rank} hotspot (changed often and complex), so the next change here is the likeliest to break something unnoticed."
            )),
            _ => cosmetic("It is not among the most-changed complex files, so untested changes here are less likely."),
        },
        Rule::LoadBearingModule => {
            if critical || e.entry.as_deref().is_some_and(|k| k != "page") {
                lb(format!(
                    "It {}, so a change that breaks it reaches customers with nothing to catch it first.",
                    place.what()
                ))
            } else {
                cosmetic("It neither handles money, access or data writes nor answers requests, so a regression here is an inconvenience.")
            }
        }
        Rule::FounderDecides => lb(format!(
            "{} The founder's answers (where customers live, what contracts promise) can retire it.",
            always_reason(item)
        )),
        Rule::MostlyCosmetic => {
            if critical && place.central {
                lb(format!(
                    "It {} and much of the product depends on it, so it blocks safe changes there.",
                    place.what()
                ))
            } else {
                cosmetic(cosmetic_reason(item))
            }
        }
        Rule::BySeverity => by_severity(item, severity, e, &place),
    }
}

/// Where the finding sits, in words.
struct Place<'e> {
    e: &'e Exposure,
    /// The finding names a file (not a repository-wide absence).
    known: bool,
    central: bool,
    hot: bool,
}

impl<'e> Place<'e> {
    fn of(e: &'e Exposure) -> Place<'e> {
        Place {
            e,
            known: e.entry.is_some()
                || e.reachable_from_entry
                || e.fan_in > 0
                || e.pagerank > 0.0
                || e.revisions_in_window > 0
                || e.client,
            central: e.pagerank_percentile >= 0.9 && e.fan_in >= 3,
            hot: e.hotspot_rank.is_some_and(|r| r <= TOP_HOTSPOTS),
        }
    }

    /// "is on the payment path (an edge function)" and the like.
    fn what(&self) -> String {
        let e = self.e;
        let what = if e.money {
            "is on the payment path"
        } else if e.auth {
            "decides who can see or change data"
        } else if e.data_write {
            "writes customer data"
        } else if e.entry.is_some() || e.reachable_from_entry {
            "runs on a request path"
        } else {
            "is in production code"
        };
        match &e.entry {
            Some(kind) => format!("{what} ({} {kind})", article(kind)),
            None => what.to_string(),
        }
    }

    /// A sentence on the place, when it adds something.
    fn sentence(&self) -> Option<String> {
        let e = self.e;
        (e.money || e.auth || e.data_write || e.entry.is_some() || e.reachable_from_entry)
            .then(|| format!("It {}.", self.what()))
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'A' | 'E' | 'I' | 'O' | 'U') => "an",
        _ => "a",
    }
}

/// Why an item of the `Always` kind is load-bearing, by area.
fn always_reason(item: &Item) -> &'static str {
    match item.area {
        Area::Pay | Area::Int => "Left as it is, this can lose money or charge customers wrongly.",
        Area::Auth => "Left as it is, this can let someone see or change another customer's data.",
        Area::Sec => "Left as it is, this gives an attacker a way in.",
        Area::Data => "Left as it is, this can lose or corrupt customer data.",
        Area::Obs => "Without it, failures in production go unnoticed until customers complain.",
        Area::Ops => "Without it, a bad change reaches customers with nothing to stop or undo it.",
        Area::Test => "The safety net has a hole exactly where changes are most likely to break things.",
        Area::Life => match item.id.as_str() {
            "LIFE-BACKUP" => "One bad migration or deleted table can lose every customer's data for good if no restore has ever been tried.",
            _ => "Customers' personal data is kept with no way to delete it on request, which privacy law requires.",
        },
        _ => "Left as it is, this can hurt customers directly.",
    }
}

/// What goes wrong on a critical path, per item.
fn consequence(item: &Item) -> &'static str {
    match item.id.as_str() {
        "ARCH-CYCLE" => "load-order bugs and tangled changes land where money or data is at stake",
        "ARCH-GOD" => "every change to this critical logic risks breaking unrelated features",
        "ARCH-HIDDEN-COUPLING" => "changing one file without the other ships a mismatch in critical logic",
        "ARCH-DUP" => "the copies of this rule drift apart and customers get charged or allowed differently in different places",
        "ARCH-LAYER" => "the browser holds rules and access that anyone can bypass",
        "ARCH-PATTERNS" => "the same critical job is done differently in different places and fixes reach only some of them",
        "ARCH-FAKE-DONE" => "a customer relying on it gets made-up behaviour instead of the real thing",
        "TIME-TZ" => "dates that decide money, deadlines or reports shift by hours depending on where the code runs",
        "KNOW-AI" => "nobody can vouch for the assumptions in code that handles money, access or data",
        "KNOW-BUS" => "nobody who can explain this critical code is around when it breaks",
        "DATA-TXN" => "a failure halfway leaves money or records inconsistent",
        "SEC-INPUT" => "unchecked input reaches what is stored or queried",
        "OPS-TYPES" => "type errors in critical code reach customers instead of the compiler",
        _ => "a mistake here costs money or data",
    }
}

/// Why a finding off the critical paths can ride, per item.
fn cosmetic_reason(item: &Item) -> &'static str {
    match item.id.as_str() {
        "KNOW-DOCS" => "Missing docs slow every new person down, but nothing breaks for users until an incident needs a runbook.",
        "TIME-TZ" => "The date is shown or used where an hour's shift does not decide money, deadlines or reports.",
        "ARCH-FAKE-DONE" => "The placeholder is not on a payment, access or data-write path, so it misleads rather than loses anything.",
        "KNOW-AI" | "KNOW-BUS" => "The code does not handle money, access or data writes, so the missing review or owner slows changes but risks little.",
        _ => "It makes the code harder to change, but nothing breaks for users because of it.",
    }
}

/// Items without a rule: the item's severity sets the bar, the place decides.
fn by_severity(item: &Item, severity: Severity, e: &Exposure, place: &Place) -> (Class, String) {
    match severity {
        Severity::Critical => (
            Class::LoadBearing,
            format!(
                "{} {}",
                always_reason(item),
                place.sentence().unwrap_or_default()
            ),
        ),
        Severity::High => {
            if e.money || e.auth || e.data_write {
                (
                    Class::LoadBearing,
                    format!(
                        "It {}, so this breaks for real customers as usage grows.",
                        place.what()
                    ),
                )
            } else if place.central || place.hot {
                (
                    Class::LoadBearing,
                    "Much of the product depends on this code, so a failure here spreads.".into(),
                )
            } else if place.known && !e.reachable_from_entry && e.entry.is_none() {
                (Class::Cosmetic, "No entry point reaches this code today, so customers are not exposed to it yet.".into())
            } else {
                (
                    Class::LoadBearing,
                    "Real requests reach this code, so it breaks for customers under load.".into(),
                )
            }
        }
        Severity::Medium => {
            if e.money || e.auth || e.data_write {
                (
                    Class::LoadBearing,
                    format!(
                        "It {}, where a quiet failure costs money or data.",
                        place.what()
                    ),
                )
            } else if place.hot && e.reachable_from_entry {
                (Class::LoadBearing, "It is one of the most-changed files on a request path, where the next change is likely to break it.".into())
            } else {
                (Class::Cosmetic, "It makes failures slower to diagnose, but nothing breaks for users because of it alone.".into())
            }
        }
        Severity::Low => {
            if (e.money || e.auth) && (place.central || place.hot) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    fn propose_for(id: &str, e: &Exposure) -> (Class, String) {
        let c = Catalogue::builtin();
        let item = c.get(id).unwrap();
        propose(item, item.severity, e)
    }

    fn edge_money() -> Exposure {
        Exposure {
            money: true,
            data_write: true,
            entry: Some("edge function".into()),
            reachable_from_entry: true,
            ..Exposure::default()
        }
    }

    fn ui_component() -> Exposure {
        Exposure {
            client: true,
            reachable_from_entry: true,
            fan_in: 1,
            pagerank: 0.01,
            pagerank_percentile: 0.4,
            ..Exposure::default()
        }
    }

    #[test]
    fn every_builtin_item_has_a_rule() {
        for item in Catalogue::builtin().items() {
            assert_ne!(
                Rule::of(item),
                Rule::BySeverity,
                "{} has no class rule",
                item.id
            );
        }
    }

    #[test]
    fn every_reason_is_one_readable_sentence() {
        let places = [
            Exposure::default(),
            edge_money(),
            ui_component(),
            Exposure {
                test: true,
                ..Exposure::default()
            },
            Exposure {
                hotspot_rank: Some(2),
                reachable_from_entry: true,
                fan_in: 1,
                ..Exposure::default()
            },
        ];
        for item in Catalogue::builtin().items() {
            for e in &places {
                for severity in [Severity::Low, item.severity] {
                    let (_, reason) = propose(item, severity, e);
                    assert!(reason.ends_with('.'), "{}: {reason:?}", item.id);
                    assert!(
                        !reason.contains("  ") && !reason.contains(" ."),
                        "{}: {reason:?}",
                        item.id
                    );
                    assert!(reason.len() < 260, "{}: {reason:?}", item.id);
                    assert!(
                        !reason.contains("a edge") && !reason.contains("an page"),
                        "{reason}"
                    );
                }
            }
        }
    }

    #[test]
    fn test_code_is_cosmetic_except_where_tests_are_the_subject() {
        let test = Exposure {
            test: true,
            ..Exposure::default()
        };
        assert_eq!(propose_for("PAY-WEBHOOK-SIG", &test).0, Class::Cosmetic);
        assert_eq!(propose_for("ARCH-DUP", &test).0, Class::Cosmetic);
        assert_eq!(propose_for("OPS-TEST-THEATRE", &test).0, Class::LoadBearing);
        assert_eq!(propose_for("SEC-SECRETS", &test).0, Class::LoadBearing);
    }

    #[test]
    fn always_items_are_load_bearing_unless_the_detector_rated_them_low() {
        let c = Catalogue::builtin();
        let item = c.get("PAY-WEBHOOK-SIG").unwrap();
        let (class, reason) = propose(item, Severity::Critical, &edge_money());
        assert_eq!(class, Class::LoadBearing);
        assert!(
            reason.contains("payment path (an edge function)"),
            "{reason}"
        );
        let secrets = c.get("SEC-SECRETS").unwrap();
        assert_eq!(
            propose(secrets, Severity::Low, &ui_component()).0,
            Class::Cosmetic
        );
        // Repository-wide absences have no place: the reason stands on its own.
        let (class, reason) = propose_for("LIFE-BACKUP", &Exposure::default());
        assert_eq!(class, Class::LoadBearing);
        assert!(reason.contains("restore"), "{reason}");
    }

    #[test]
    fn arch_and_know_items_are_load_bearing_only_on_critical_paths() {
        for id in [
            "ARCH-CYCLE",
            "ARCH-DUP",
            "ARCH-HIDDEN-COUPLING",
            "KNOW-AI",
            "KNOW-BUS",
            "ARCH-FAKE-DONE",
        ] {
            assert_eq!(propose_for(id, &edge_money()).0, Class::LoadBearing, "{id}");
            assert_eq!(propose_for(id, &ui_component()).0, Class::Cosmetic, "{id}");
        }
        let (_, reason) = propose_for("ARCH-DUP", &edge_money());
        assert!(reason.contains("charged"), "{reason}");
        // A central shared module off the money paths: medium items are load-bearing, low ones ride.
        let central = Exposure {
            reachable_from_entry: true,
            fan_in: 12,
            pagerank_percentile: 0.97,
            ..Exposure::default()
        };
        assert_eq!(propose_for("KNOW-AI", &central).0, Class::LoadBearing);
        assert_eq!(propose_for("ARCH-CYCLE", &central).0, Class::Cosmetic);
    }

    #[test]
    fn request_path_items_ride_when_nothing_reaches_them() {
        let dead = Exposure {
            fan_in: 0,
            pagerank: 0.001,
            ..Exposure::default()
        };
        assert_eq!(propose_for("DATA-UNBOUNDED", &dead).0, Class::Cosmetic);
        assert_eq!(
            propose_for("DATA-UNBOUNDED", &ui_component()).0,
            Class::LoadBearing
        );
        assert_eq!(
            propose_for("INT-TIMEOUT", &edge_money()).0,
            Class::LoadBearing
        );
    }

    #[test]
    fn test_items_follow_module_weight_and_hotspot_rank() {
        assert_eq!(
            propose_for("TEST-CRITICAL", &edge_money()).0,
            Class::LoadBearing
        );
        assert_eq!(
            propose_for("TEST-CRITICAL", &ui_component()).0,
            Class::Cosmetic
        );
        let top = Exposure {
            hotspot_rank: Some(3),
            ..ui_component()
        };
        let (class, reason) = propose_for("TEST-HOTSPOT", &top);
        assert_eq!(class, Class::LoadBearing);
        assert!(reason.contains("number 3 hotspot"), "{reason}");
        let cold = Exposure {
            hotspot_rank: Some(40),
            ..ui_component()
        };
        assert_eq!(propose_for("TEST-HOTSPOT", &cold).0, Class::Cosmetic);
    }

    #[test]
    fn write_path_items_need_a_write_or_payment() {
        assert_eq!(
            propose_for("ERR-SWALLOW", &edge_money()).0,
            Class::LoadBearing
        );
        let money_read = Exposure {
            money: true,
            reachable_from_entry: true,
            ..Exposure::default()
        };
        assert_eq!(
            propose_for("ERR-SWALLOW", &money_read).0,
            Class::LoadBearing
        );
        assert_eq!(propose_for("ERR-UNHANDLED", &money_read).0, Class::Cosmetic);
        assert_eq!(
            propose_for("ERR-SWALLOW", &ui_component()).0,
            Class::Cosmetic
        );
    }

    #[test]
    fn logging_matters_on_servers_and_docs_ride() {
        let server = Exposure {
            entry: Some("server route".into()),
            reachable_from_entry: true,
            ..Exposure::default()
        };
        assert_eq!(propose_for("OBS-LOGGING", &server).0, Class::LoadBearing);
        assert_eq!(
            propose_for("OBS-LOGGING", &ui_component()).0,
            Class::Cosmetic
        );
        assert_eq!(
            propose_for("KNOW-DOCS", &Exposure::default()).0,
            Class::Cosmetic
        );
        assert_eq!(
            propose_for("LIFE-DELETE", &Exposure::default()).0,
            Class::LoadBearing
        );
    }

    #[test]
    fn unknown_items_fall_back_to_severity() {
        let mut item = Catalogue::builtin().get("DATA-UNBOUNDED").unwrap().clone();
        item.id = "CUSTOM-ONE".into();
        assert_eq!(Rule::of(&item), Rule::BySeverity);
        assert_eq!(
            propose(&item, Severity::High, &Exposure::default()).0,
            Class::LoadBearing
        );
        assert_eq!(
            propose(&item, Severity::Low, &ui_component()).0,
            Class::Cosmetic
        );
    }
}
