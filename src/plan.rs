//! The remediation plan: one model that every export and the UI render. Each line carries the
//! factors of its priority (CATALOGUE.md, "Priority") so a founder can see why it is first;
//! horizons follow the effective class (the consultant's verdict over the engine's proposal);
//! order inside a horizon respects prerequisites: observability and tests around a
//! load-bearing module come before changing it.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalogue::{Area, Catalogue, Confidence, Effort, Item, Severity};
use crate::checks::model::{Class, Finding};
use crate::map::HistorySummary;
use crate::store::Store;
use crate::walk::SkipReason;
use crate::triage::{Engagement, Judgement, Status, Tracked, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Horizon {
    BeforeSpike,
    ThisQuarter,
    CanRide,
}

impl Horizon {
    pub const ALL: [Horizon; 3] = [Horizon::BeforeSpike, Horizon::ThisQuarter, Horizon::CanRide];

    pub fn as_str(self) -> &'static str {
        match self {
            Horizon::BeforeSpike => "before-spike",
            Horizon::ThisQuarter => "this-quarter",
            Horizon::CanRide => "can-ride",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Horizon::BeforeSpike => "Before the next traffic spike",
            Horizon::ThisQuarter => "This quarter",
            Horizon::CanRide => "Can ride",
        }
    }

    pub fn parse(text: &str) -> Option<Horizon> {
        Horizon::ALL.into_iter().find(|h| h.as_str() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Workstream {
    Payments,
    Access,
    Data,
    Operability,
    Structure,
}

impl Workstream {
    pub const ALL: [Workstream; 5] = [Workstream::Payments, Workstream::Access, Workstream::Data, Workstream::Operability, Workstream::Structure];

    pub fn of(area: Area) -> Workstream {
        match area {
            Area::Pay => Workstream::Payments,
            Area::Auth | Area::Sec => Workstream::Access,
            Area::Data | Area::Life | Area::Time => Workstream::Data,
            Area::Int | Area::Err | Area::Obs | Area::Ops => Workstream::Operability,
            Area::Test | Area::Arch | Area::Know => Workstream::Structure,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Workstream::Payments => "Payments",
            Workstream::Access => "Access",
            Workstream::Data => "Data",
            Workstream::Operability => "Operability",
            Workstream::Structure => "Structure",
        }
    }
}

/// Working days, low and high estimate; serialized with its label for the exports and the UI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
pub struct DayRange {
    pub low: f64,
    pub high: f64,
}

impl DayRange {
    pub fn of(effort: Effort) -> DayRange {
        match effort {
            Effort::S => DayRange { low: 0.5, high: 1.0 },
            Effort::M => DayRange { low: 2.0, high: 4.0 },
            Effort::L => DayRange { low: 5.0, high: 10.0 },
        }
    }

    fn add(&mut self, other: DayRange) {
        self.low += other.low;
        self.high += other.high;
    }

    /// "2–4 days", "½–1 day".
    pub fn label(self) -> String {
        let n = |d: f64| if d == 0.5 { "½".to_string() } else if d.fract() == 0.0 { format!("{d:.0}") } else { format!("{d:.1}") };
        let unit = if self.high <= 1.0 { "day" } else { "days" };
        if self.high == 0.0 {
            "no work".to_string()
        } else if self.low == self.high {
            format!("{} {unit}", n(self.low))
        } else {
            format!("{}–{} {unit}", n(self.low), n(self.high))
        }
    }
}

impl PlanLine {
    /// The effort as shown: its day range, or the line whose fix covers it.
    pub fn effort_label(&self) -> String {
        match self.shares_fix_with {
            Some(rank) => format!("with line {rank}"),
            None => self.effort_days.label(),
        }
    }
}

/// The JSON of a `DayRange` (its serializer adds the label), for the generated TypeScript.
#[derive(TS)]
#[ts(rename = "DayRange")]
#[allow(dead_code)]
struct DayRangeJson {
    low: f64,
    high: f64,
    label: String,
}

impl Serialize for DayRange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("DayRange", 3)?;
        s.serialize_field("low", &self.low)?;
        s.serialize_field("high", &self.high)?;
        s.serialize_field("label", &self.label())?;
        s.end()
    }
}

/// One factor of a line's priority: its score and the sentence that explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Factor {
    pub score: f64,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Factors {
    /// 1–5: the item's severity, raised on a money, auth or data-write path.
    pub impact: Factor,
    /// 0–3: how much of the product depends on the code.
    pub exposure: Factor,
    /// 0–3: traffic and change.
    pub likelihood: Factor,
    /// 0.5–1: the detector's confidence, 1 once the consultant confirmed it.
    pub confidence: Factor,
    /// The effort that divides the score (S 1, M 1.5, L 2).
    pub effort: Factor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanLine {
    pub fingerprint: String,
    pub item: String,
    pub title: String,
    pub area: Area,
    pub workstream: Workstream,
    pub path: String,
    pub line: u32,
    pub message: String,
    pub fix: String,
    /// The engine's proposal and the class the plan uses (the verdict's, once given).
    pub proposed: Class,
    pub class: Class,
    pub class_reason: String,
    pub verdict: Option<Verdict>,
    pub verdict_note: Option<String>,
    pub status: Status,
    pub severity: Severity,
    pub confidence: Confidence,
    pub horizon: Horizon,
    /// Why the line sits in its horizon, when something other than its class put it there.
    pub horizon_reason: Option<String>,
    pub priority: f64,
    pub factors: Factors,
    pub effort: Effort,
    #[ts(as = "DayRangeJson")]
    pub effort_days: DayRange,
    /// The rank of the line whose fix also fixes this one (same item, same file): its effort
    /// is counted there.
    #[serde(default)]
    pub shares_fix_with: Option<u32>,
    pub owner: Option<String>,
    /// Lines that must be done first (fingerprints), with the reason.
    pub after: Vec<String>,
    pub after_reason: Option<String>,
    /// 1-based position in the whole plan.
    pub rank: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HorizonPlan {
    pub horizon: Horizon,
    pub title: String,
    pub lines: Vec<PlanLine>,
    #[ts(as = "DayRangeJson")]
    pub effort: DayRange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkstreamTotal {
    pub workstream: Workstream,
    pub title: String,
    pub lines: u32,
    #[ts(as = "DayRangeJson")]
    pub effort: DayRange,
    /// Effort of the lines in "Before the next traffic spike".
    #[ts(as = "DayRangeJson")]
    pub before_spike: DayRange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Hotspot {
    pub path: String,
    pub rank: u32,
    pub revisions: u32,
    pub complexity: u32,
    pub agent_share: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Headline {
    pub files: u32,
    pub loc: u64,
    /// Lines of code per language, largest first.
    pub languages: Vec<(String, u64)>,
    pub commits: u32,
    pub agent_commit_share: f64,
    pub agent_file_share: f64,
    pub hotspots: Vec<Hotspot>,
    pub load_bearing: u32,
    pub cosmetic: u32,
    pub dismissed: u32,
    pub accepted: u32,
    pub resolved: u32,
    pub new: u32,
    pub not_applicable_items: u32,
    /// What the analysis could not read, one sentence each (empty when it read everything).
    #[serde(default)]
    pub not_read: Vec<String>,
}

/// A finding that left the plan: resolved by a change, dismissed, accepted or retired by an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SetAside {
    pub fingerprint: String,
    pub item: String,
    pub title: String,
    pub path: String,
    pub line: u32,
    pub message: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChecklistEntry {
    pub id: String,
    pub title: String,
    pub question: String,
    pub why: String,
    pub load_bearing_when: String,
    pub fix: String,
    pub answer: Option<String>,
    pub not_applicable: bool,
    pub note: Option<String>,
    /// Open findings of the item, by class.
    pub load_bearing: u32,
    pub cosmetic: u32,
    /// Findings with a verdict, of all open ones.
    pub decided: u32,
    pub findings: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChecklistArea {
    pub area: Area,
    pub title: String,
    pub items: Vec<ChecklistEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Plan {
    pub repository: String,
    pub engagement: Engagement,
    pub headline: Headline,
    pub horizons: Vec<HorizonPlan>,
    pub workstreams: Vec<WorkstreamTotal>,
    pub accepted: Vec<SetAside>,
    pub dismissed: Vec<SetAside>,
    pub not_applicable: Vec<SetAside>,
    pub resolved: Vec<SetAside>,
    pub checklist: Vec<ChecklistArea>,
    /// Every open finding with its evidence, in plan order (the appendix).
    pub findings: Vec<Finding>,
}

impl Plan {
    pub fn lines(&self) -> impl Iterator<Item = &PlanLine> {
        self.horizons.iter().flat_map(|h| h.lines.iter())
    }

    /// The executive summary's top risks: the gravest lines before the spike (impact, then
    /// priority), not the safety nets that are scheduled first.
    pub fn top_risks(&self, n: usize) -> Vec<&PlanLine> {
        let mut lines: Vec<&PlanLine> = self.horizons.iter().filter(|h| h.horizon == Horizon::BeforeSpike).flat_map(|h| h.lines.iter()).collect();
        lines.sort_by(|a, b| b.factors.impact.score.total_cmp(&a.factors.impact.score).then(b.priority.total_cmp(&a.priority)).then(a.rank.cmp(&b.rank)));
        lines.truncate(n);
        lines
    }
}

/// What the plan reads besides the triage state: per-file facts and the map's headline.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub loc: HashMap<String, u32>,
    pub headline: Headline,
}

impl Facts {
    /// Reads file sizes, languages, history headline and hotspots from the store.
    pub fn from_store(store: &Store) -> Result<Facts, crate::store::StoreError> {
        let mut facts = Facts::default();
        let mut languages: BTreeMap<String, u64> = BTreeMap::new();
        let mut unread: BTreeMap<SkipReason, Vec<String>> = BTreeMap::new();
        for f in store.files()? {
            if let Some(reason) = f.skip_reason.as_deref().and_then(SkipReason::from_name) {
                unread.entry(reason).or_default().push(f.path.clone());
            }
            if f.status != "parsed" {
                continue;
            }
            facts.headline.files += 1;
            facts.headline.loc += f.loc as u64;
            *languages.entry(f.lang.name().to_string()).or_default() += f.loc as u64;
            facts.loc.insert(f.path, f.loc);
        }
        let mut languages: Vec<(String, u64)> = languages.into_iter().collect();
        languages.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        facts.headline.languages = languages;
        facts.headline.not_read = unread_files(&unread);
        facts.headline.not_read.extend(store.last_index_notes()?);
        if let Some(summary) = store.meta("history_summary")?.and_then(|s| serde_json::from_str::<HistorySummary>(&s).ok()) {
            facts.headline.not_read.extend(unread_history(&summary.diagnostics));
            facts.headline.commits = summary.commits;
            facts.headline.agent_commit_share = summary.agent_commit_share;
            facts.headline.agent_file_share = summary.files_last_changed_by_agent_share;
        }
        let conn = store.connection();
        let hotspots = conn
            .prepare(
                "SELECT m.path, m.hotspot_rank, m.revisions_in_window, COALESCE(f.complexity, 0), m.agent_share
                 FROM file_metrics m LEFT JOIN files f ON f.path = m.path
                 WHERE m.hotspot_rank IS NOT NULL ORDER BY m.hotspot_rank LIMIT 5",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |r| {
                    Ok(Hotspot { path: r.get(0)?, rank: r.get(1)?, revisions: r.get(2)?, complexity: r.get(3)?, agent_share: r.get(4)? })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            });
        facts.headline.hotspots = hotspots.unwrap_or_default();
        Ok(facts)
    }
}

/// Files the analysis could not read, by reason, with a few examples. Exclusions by design
/// (vendored, generated, lockfiles, minified, binaries, symlinks) are not gaps and are not listed.
fn unread_files(unread: &BTreeMap<SkipReason, Vec<String>>) -> Vec<String> {
    unread
        .iter()
        .filter_map(|(reason, paths)| {
            let n = paths.len();
            let what = match reason {
                SkipReason::TooLarge => format!("{} too large to read", files(n)),
                SkipReason::ParseTimeout => format!("{} too slow to parse in time: searched, but their code was not analysed", files(n)),
                SkipReason::Unreadable => format!("{} could not be opened", files(n)),
                SkipReason::InvalidUtf8 => format!("{} not UTF-8 text", files(n)),
                SkipReason::NonUtf8Path => format!("{} with names that are not UTF-8", files(n)),
                _ => return None,
            };
            let shown: Vec<&str> = paths.iter().take(3).map(String::as_str).collect();
            let more = if n > shown.len() { format!(" and {} more", n - shown.len()) } else { String::new() };
            Some(format!("{what}: {}{more}.", shown.join(", ")))
        })
        .collect()
}

fn files(n: usize) -> String {
    if n == 1 { "1 file".into() } else { format!("{n} files") }
}

/// History gaps, one sentence per kind (a partial clone can miss thousands of objects).
fn unread_history(diagnostics: &[crate::history::Diagnostic]) -> Vec<String> {
    use crate::history::DiagnosticKind as Kind;
    let mut count: HashMap<Kind, usize> = HashMap::new();
    for d in diagnostics {
        *count.entry(d.kind).or_default() += 1;
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for d in diagnostics {
        // One sentence per kind, except submodules: each names its own folder.
        if d.kind != Kind::Submodule && !seen.insert(d.kind) {
            continue;
        }
        let n = count[&d.kind];
        out.push(match d.kind {
            Kind::MissingObject => format!("History: {n} commits could not be fully read (objects missing, as in a partial or pruned clone); their changes are not counted."),
            Kind::ShallowHistory => "History: a shallow clone, so commits before its boundary are not counted.".into(),
            Kind::TruncatedHistory => format!("History: the walk stopped early ({}); older commits are not counted.", d.message),
            Kind::NotARepository => "History: the folder is not a git repository, so there is no history, coupling or provenance.".into(),
            Kind::EmptyRepository => "History: the repository has no commits yet.".into(),
            Kind::UntrustedOwner | Kind::GitError => format!("History could not be read: {}.", d.message.trim_end_matches('.')),
            Kind::Submodule => format!("History: {}.", d.message),
        });
    }
    out
}

/// Areas whose findings make a load-bearing change safe: done first, around the same code.
const PREREQUISITE_AREAS: [Area; 2] = [Area::Obs, Area::Test];

/// Builds the plan from the engagement's findings, the consultant's judgement and the facts.
pub fn build(repository: &str, engagement: &Engagement, tracked: &[Tracked], judgement: &Judgement, catalogue: &Catalogue, facts: &Facts) -> Plan {
    let items: HashMap<&str, &Item> = catalogue.items().iter().map(|i| (i.id.as_str(), i)).collect();
    let not_applicable: HashSet<&str> = judgement.answers.values().filter(|a| a.not_applicable).map(|a| a.item.as_str()).collect();
    let mut headline = facts.headline.clone();
    headline.not_applicable_items = not_applicable.len() as u32;

    let mut lines: Vec<PlanLine> = Vec::new();
    let (mut accepted, mut dismissed, mut retired, mut resolved) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut open_findings: Vec<&Finding> = Vec::new();
    for t in tracked {
        let f = &t.finding;
        let Some(item) = items.get(f.item.as_str()) else { continue };
        let verdict = judgement.verdicts.get(&f.fingerprint);
        let aside = |reason: String| SetAside {
            fingerprint: f.fingerprint.clone(),
            item: f.item.clone(),
            title: item.title.clone(),
            path: f.path.clone(),
            line: f.line,
            message: f.message.clone(),
            reason,
        };
        if t.status == Status::Resolved {
            headline.resolved += 1;
            resolved.push(aside("no longer found at the analysed commit".into()));
            continue;
        }
        if not_applicable.contains(f.item.as_str()) {
            let answer = judgement.answers.get(&f.item).map(|a| a.text.clone()).unwrap_or_default();
            retired.push(aside(format!("not applicable: {answer}")));
            continue;
        }
        match verdict.map(|v| v.verdict) {
            Some(Verdict::Dismissed) => {
                headline.dismissed += 1;
                dismissed.push(aside(verdict.and_then(|v| v.note.clone()).unwrap_or_else(|| "dismissed as a false positive".into())));
                continue;
            }
            Some(Verdict::Accepted) => {
                headline.accepted += 1;
                accepted.push(aside(verdict.and_then(|v| v.note.clone()).unwrap_or_else(|| "accepted risk".into())));
                continue;
            }
            _ => {}
        }
        if t.status == Status::New {
            headline.new += 1;
        }
        open_findings.push(f);
        lines.push(line_for(f, item, t.status, judgement, facts));
    }
    headline.load_bearing = lines.iter().filter(|l| l.class == Class::LoadBearing).count() as u32;
    headline.cosmetic = lines.iter().filter(|l| l.class == Class::Cosmetic).count() as u32;

    link_prerequisites(&mut lines);
    apply_edits(&mut lines, judgement);

    let mut horizons: Vec<HorizonPlan> = Horizon::ALL
        .into_iter()
        .map(|h| HorizonPlan { horizon: h, title: h.title().to_string(), lines: Vec::new(), effort: DayRange::default() })
        .collect();
    for line in lines {
        let i = Horizon::ALL.iter().position(|h| *h == line.horizon).unwrap_or(2);
        horizons[i].lines.push(line);
    }
    let mut rank = 0;
    for h in &mut horizons {
        h.lines = order(std::mem::take(&mut h.lines), judgement);
        // Several findings of one item in one file are one change: the first line carries the effort.
        let mut leads: HashMap<(String, String), u32> = HashMap::new();
        for line in &mut h.lines {
            rank += 1;
            line.rank = rank;
            let effort_set = judgement.edits.get(&line.fingerprint).is_some_and(|e| e.effort.is_some());
            if !line.path.is_empty() && !effort_set {
                match leads.entry((line.item.clone(), line.path.clone())) {
                    std::collections::hash_map::Entry::Occupied(lead) => {
                        line.shares_fix_with = Some(*lead.get());
                        line.effort_days = DayRange::default();
                        line.factors.effort.why = format!("{}; done with line {}, the same fix in the same file", line.factors.effort.why, lead.get());
                    }
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(rank);
                    }
                }
            }
            h.effort.add(line.effort_days);
        }
    }

    let workstreams = Workstream::ALL
        .into_iter()
        .map(|w| {
            let mut total = WorkstreamTotal { workstream: w, title: w.title().to_string(), lines: 0, effort: DayRange::default(), before_spike: DayRange::default() };
            for (h, line) in horizons.iter().flat_map(|h| h.lines.iter().map(move |l| (h.horizon, l))) {
                if line.workstream == w {
                    total.lines += 1;
                    total.effort.add(line.effort_days);
                    if h == Horizon::BeforeSpike {
                        total.before_spike.add(line.effort_days);
                    }
                }
            }
            total
        })
        .collect();

    let order_of: HashMap<&str, u32> = horizons.iter().flat_map(|h| h.lines.iter()).map(|l| (l.fingerprint.as_str(), l.rank)).collect();
    let mut findings: Vec<Finding> = open_findings.into_iter().cloned().collect();
    findings.sort_by_key(|f| order_of.get(f.fingerprint.as_str()).copied().unwrap_or(u32::MAX));

    let checklist = checklist(catalogue, tracked, judgement, &horizons);
    Plan {
        repository: repository.to_string(),
        engagement: engagement.clone(),
        headline,
        horizons,
        workstreams,
        accepted,
        dismissed,
        not_applicable: retired,
        resolved,
        checklist,
        findings,
    }
}

fn line_for(f: &Finding, item: &Item, status: Status, judgement: &Judgement, facts: &Facts) -> PlanLine {
    let verdict = judgement.verdicts.get(&f.fingerprint);
    let class = match verdict.map(|v| v.verdict) {
        Some(Verdict::LoadBearing) => Class::LoadBearing,
        Some(Verdict::Cosmetic) => Class::Cosmetic,
        _ => f.class,
    };
    let confirmed = verdict.is_some();
    let (effort, effort_why) = adjusted_effort(f, item, facts);
    let factors = factors(f, class, confirmed, effort, effort_why);
    let priority = priority_of(&factors);
    // Critical, or high on a money, auth or data-write path that is busy (exposure + likelihood
    // at least 3 of 6), and sure enough to act on: the short list a founder can fund before
    // the next spike.
    let busy = factors.exposure.score + factors.likelihood.score >= 3.0;
    let grave = f.severity == Severity::Critical || (factors.impact.score >= 4.0 && busy);
    let high_risk = grave && factors.confidence.score >= 0.75;
    let (horizon, horizon_reason) = match class {
        Class::LoadBearing if high_risk => (Horizon::BeforeSpike, None),
        Class::LoadBearing => (Horizon::ThisQuarter, Some("load-bearing, but a lower risk than the lines before the traffic spike".to_string())),
        Class::Cosmetic => (Horizon::CanRide, None),
    };
    PlanLine {
        fingerprint: f.fingerprint.clone(),
        item: f.item.clone(),
        title: item.title.clone(),
        area: item.area,
        workstream: Workstream::of(item.area),
        path: f.path.clone(),
        line: f.line,
        message: f.message.clone(),
        fix: item.fix.clone(),
        proposed: f.class,
        class,
        class_reason: match verdict {
            Some(v) => v.note.clone().unwrap_or_else(|| format!("confirmed {} by the consultant", class.as_str())),
            None => f.class_reason.clone(),
        },
        verdict: verdict.map(|v| v.verdict),
        verdict_note: verdict.and_then(|v| v.note.clone()),
        status,
        severity: f.severity,
        confidence: f.confidence,
        horizon,
        horizon_reason,
        priority,
        factors,
        effort,
        effort_days: DayRange::of(effort),
        shares_fix_with: None,
        owner: None,
        after: Vec::new(),
        after_reason: None,
        rank: 0,
    }
}

fn factors(f: &Finding, class: Class, confirmed: bool, effort: Effort, effort_why: String) -> Factors {
    let x = &f.exposure;
    let base = match f.severity {
        Severity::Critical => 4.0,
        Severity::High => 3.0,
        Severity::Medium => 2.0,
        Severity::Low => 1.0,
    };
    let paths: Vec<&str> = [(x.money, "money"), (x.auth, "auth"), (x.data_write, "data-write")].into_iter().filter(|(on, _)| *on).map(|(_, n)| n).collect();
    let raised = !paths.is_empty() && class == Class::LoadBearing;
    let impact = Factor {
        score: if raised { base + 1.0 } else { base },
        why: if raised {
            let article = if paths[0].starts_with('a') { "an" } else { "a" };
            format!("{} severity, raised: on {article} {} path", severity_name(f.severity), paths.join(" and "))
        } else {
            format!("{} severity", severity_name(f.severity))
        },
    };

    let mut exposure_score: f64 = 0.0;
    let mut exposure_why = Vec::new();
    if x.reachable_from_entry {
        exposure_score += 1.0;
        exposure_why.push(match &x.entry {
            Some(e) => format!("reachable from the {e}"),
            None => "reachable from an entry point".to_string(),
        });
    }
    if x.pagerank_percentile >= 0.9 || x.fan_in >= 10 {
        exposure_score += 2.0;
        exposure_why.push(format!("{} (PageRank top {:.0} %)", imported_by(x.fan_in), (100.0 - x.pagerank_percentile * 100.0).max(1.0)));
    } else if x.pagerank_percentile >= 0.7 || x.fan_in >= 3 {
        exposure_score += 1.0;
        exposure_why.push(imported_by(x.fan_in));
    }
    if f.path.is_empty() {
        exposure_score = 2.0;
        exposure_why = vec!["concerns the whole product".to_string()];
    }
    let exposure = Factor {
        score: exposure_score.min(3.0),
        why: if exposure_why.is_empty() { "few places depend on this code".to_string() } else { exposure_why.join("; ") },
    };

    let mut likelihood_score: f64 = 0.0;
    let mut likelihood_why = Vec::new();
    if let Some(rank) = x.hotspot_rank {
        if rank <= 10 {
            likelihood_score += 2.0;
            likelihood_why.push(format!("hotspot #{rank}"));
        } else if rank <= 50 {
            likelihood_score += 1.0;
            likelihood_why.push(format!("hotspot #{rank}"));
        }
    }
    if x.revisions_in_window >= 10 {
        likelihood_score += 1.0;
        likelihood_why.push(format!("changed {} times in the last year", x.revisions_in_window));
    }
    if x.entry.as_deref().is_some_and(|e| e.contains("webhook") || e.contains("route") || e.contains("handler") || e.contains("function")) {
        likelihood_score += 1.0;
        likelihood_why.push("runs on every request to it".to_string());
    }
    let likelihood = Factor {
        score: likelihood_score.min(3.0),
        why: if likelihood_why.is_empty() { "rarely changed, not on a hot path".to_string() } else { likelihood_why.join("; ") },
    };

    let confidence = if confirmed {
        Factor { score: 1.0, why: "confirmed by the consultant".to_string() }
    } else {
        let (score, name) = match f.confidence {
            Confidence::High => (1.0, "high"),
            Confidence::Medium => (0.75, "medium"),
            Confidence::Low => (0.5, "low"),
        };
        Factor { score, why: format!("detector confidence {name}, not yet confirmed") }
    };

    let effort = Factor { score: effort_weight(effort), why: effort_why };
    Factors { impact, exposure, likelihood, confidence, effort }
}

fn imported_by(files: u32) -> String {
    match files {
        0 => "imported by no other file".to_string(),
        1 => "imported by 1 file".to_string(),
        n => format!("imported by {n} files"),
    }
}

/// The item's default effort, one step larger when the code to change is big or widely used,
/// one step smaller for a week-long fix of a small module few files use.
fn adjusted_effort(f: &Finding, item: &Item, facts: &Facts) -> (Effort, String) {
    let loc = facts.loc.get(&f.path).copied().unwrap_or(0);
    let big = loc >= 800;
    let wide = f.exposure.fan_in >= 15;
    let small = loc > 0 && loc < 150 && f.exposure.fan_in < 3;
    let name = crate::triage::effort_name(item.effort);
    if small && item.effort == Effort::L {
        (Effort::M, format!("{name} by default, M here: {loc} lines of code, {}", imported_by(f.exposure.fan_in)))
    } else if (big || wide) && item.effort != Effort::L {
        let bumped = if item.effort == Effort::S { Effort::M } else { Effort::L };
        let why = if big { format!("{loc} lines of code to change") } else { format!("{} files import it", f.exposure.fan_in) };
        (bumped, format!("{name} by default, {} here: {why}", crate::triage::effort_name(bumped)))
    } else {
        (item.effort, format!("{name}: the typical fix"))
    }
}

/// Impact × (1 + exposure + likelihood) × confidence ÷ effort, to one decimal.
fn priority_of(f: &Factors) -> f64 {
    let p = f.impact.score * (1.0 + f.exposure.score + f.likelihood.score) * f.confidence.score / f.effort.score;
    (p * 10.0).round() / 10.0
}

/// What effort divides the priority by: a cheap fix of the same risk comes first.
fn effort_weight(effort: Effort) -> f64 {
    match effort {
        Effort::S => 1.0,
        Effort::M => 1.5,
        Effort::L => 2.0,
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
    }
}

/// Observability and test lines around the code of a load-bearing line come before it, and
/// are promoted to its horizon when they would otherwise come later.
fn link_prerequisites(lines: &mut [PlanLine]) {
    let prereqs: Vec<(usize, String, String, Horizon)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| PREREQUISITE_AREAS.contains(&l.area))
        .map(|(i, l)| (i, l.fingerprint.clone(), l.path.clone(), l.horizon))
        .collect();
    if prereqs.is_empty() {
        return;
    }
    let mut promote: HashMap<usize, Horizon> = HashMap::new();
    for line in lines.iter_mut() {
        if line.class != Class::LoadBearing || PREREQUISITE_AREAS.contains(&line.area) {
            continue;
        }
        let mut reasons = Vec::new();
        for (i, fingerprint, path, horizon) in &prereqs {
            // Repository-wide gaps (no error tracking, no tests in CI) come before every
            // urgent change; file-level ones before changes to that file.
            let applies = (path.is_empty() && line.horizon == Horizon::BeforeSpike) || (!path.is_empty() && *path == line.path);
            if !applies {
                continue;
            }
            line.after.push(fingerprint.clone());
            reasons.push(if path.is_empty() { "a product-wide safety net" } else { "the safety net around this file" });
            if *horizon > line.horizon {
                let e = promote.entry(*i).or_insert(line.horizon);
                *e = (*e).min(line.horizon);
            }
        }
        if !reasons.is_empty() {
            reasons.dedup();
            line.after_reason = Some(format!("after {}: see it fail before changing it", reasons.join(" and ")));
        }
    }
    for (i, h) in promote {
        lines[i].horizon = h;
        lines[i].horizon_reason = Some(format!("promoted to {}: load-bearing work depends on it", h.title().to_lowercase()));
    }
}

fn apply_edits(lines: &mut [PlanLine], judgement: &Judgement) {
    for line in lines {
        let Some(edit) = judgement.edits.get(&line.fingerprint) else { continue };
        if let Some(effort) = edit.effort {
            if effort != line.effort {
                line.factors.effort.why = format!("set to {} by the consultant", crate::triage::effort_name(effort));
                line.factors.effort.score = effort_weight(effort);
                line.priority = priority_of(&line.factors);
                line.effort = effort;
                line.effort_days = DayRange::of(effort);
            }
        }
        line.owner = edit.owner.clone();
        if let Some(h) = edit.horizon.as_deref().and_then(Horizon::parse) {
            if h != line.horizon {
                line.horizon = h;
                line.horizon_reason = Some("moved by the consultant".to_string());
            }
        }
    }
}

/// Manual positions first (in their order), then by priority; each line after its
/// prerequisites in the same horizon.
fn order(mut lines: Vec<PlanLine>, judgement: &Judgement) -> Vec<PlanLine> {
    let position = |l: &PlanLine| judgement.edits.get(&l.fingerprint).and_then(|e| e.position);
    lines.sort_by(|a, b| match (position(a), position(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => b.priority.total_cmp(&a.priority).then_with(|| (&a.path, a.line, &a.item).cmp(&(&b.path, b.line, &b.item))),
    });
    let index: HashMap<String, usize> = lines.iter().enumerate().map(|(i, l)| (l.fingerprint.clone(), i)).collect();
    let mut placed = vec![false; lines.len()];
    let mut sequence = Vec::with_capacity(lines.len());
    fn place(i: usize, lines: &[PlanLine], index: &HashMap<String, usize>, placed: &mut [bool], sequence: &mut Vec<usize>) {
        if placed[i] {
            return;
        }
        placed[i] = true;
        for before in &lines[i].after {
            if let Some(&j) = index.get(before) {
                place(j, lines, index, placed, sequence);
            }
        }
        sequence.push(i);
    }
    for i in 0..lines.len() {
        place(i, &lines, &index, &mut placed, &mut sequence);
    }
    let mut slots: Vec<Option<PlanLine>> = lines.into_iter().map(Some).collect();
    sequence.into_iter().filter_map(|i| slots[i].take()).collect()
}

fn checklist(catalogue: &Catalogue, tracked: &[Tracked], judgement: &Judgement, horizons: &[HorizonPlan]) -> Vec<ChecklistArea> {
    let class_of: HashMap<&str, Class> = horizons.iter().flat_map(|h| h.lines.iter()).map(|l| (l.fingerprint.as_str(), l.class)).collect();
    let mut areas: Vec<ChecklistArea> = Vec::new();
    for item in catalogue.items() {
        let open: Vec<&Tracked> = tracked.iter().filter(|t| t.finding.item == item.id && t.status != Status::Resolved).collect();
        let answer = judgement.answers.get(&item.id);
        let entry = ChecklistEntry {
            id: item.id.clone(),
            title: item.title.clone(),
            question: item.question.clone(),
            why: item.why.clone(),
            load_bearing_when: item.load_bearing_when.clone(),
            fix: item.fix.clone(),
            answer: answer.map(|a| a.text.clone()).filter(|t| !t.is_empty()),
            not_applicable: answer.is_some_and(|a| a.not_applicable),
            note: judgement.notes.get(&item.id).map(|n| n.text.clone()),
            load_bearing: open.iter().filter(|t| class_of.get(t.finding.fingerprint.as_str()) == Some(&Class::LoadBearing)).count() as u32,
            cosmetic: open.iter().filter(|t| class_of.get(t.finding.fingerprint.as_str()) == Some(&Class::Cosmetic)).count() as u32,
            decided: open.iter().filter(|t| judgement.verdicts.contains_key(&t.finding.fingerprint)).count() as u32,
            findings: open.len() as u32,
        };
        match areas.last_mut() {
            Some(a) if a.area == item.area => a.items.push(entry),
            _ => areas.push(ChecklistArea { area: item.area, title: item.area.title().to_string(), items: vec![entry] }),
        }
    }
    areas
}

/// Fixed, new and still-open findings between two engagements of the same repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressReport {
    pub repository: String,
    pub from: Engagement,
    pub to: Engagement,
    pub fixed: Vec<SetAside>,
    pub new: Vec<SetAside>,
    pub still_open: Vec<SetAside>,
}

/// Compares the findings open at the end of `from` with those open at the end of `to`.
pub fn progress(repository: &str, from: (&Engagement, &[Tracked]), to: (&Engagement, &[Tracked]), catalogue: &Catalogue) -> ProgressReport {
    let title = |id: &str| catalogue.items().iter().find(|i| i.id == id).map(|i| i.title.clone()).unwrap_or_default();
    let row = |f: &Finding, reason: &str| SetAside {
        fingerprint: f.fingerprint.clone(),
        item: f.item.clone(),
        title: title(&f.item),
        path: f.path.clone(),
        line: f.line,
        message: f.message.clone(),
        reason: reason.to_string(),
    };
    let open = |t: &[Tracked]| -> Vec<Finding> { t.iter().filter(|t| t.status != Status::Resolved).map(|t| t.finding.clone()).collect() };
    let before = open(from.1);
    let after = open(to.1);
    let before_set: HashSet<&str> = before.iter().map(|f| f.fingerprint.as_str()).collect();
    let after_set: HashSet<&str> = after.iter().map(|f| f.fingerprint.as_str()).collect();
    ProgressReport {
        repository: repository.to_string(),
        from: from.0.clone(),
        to: to.0.clone(),
        fixed: before.iter().filter(|f| !after_set.contains(f.fingerprint.as_str())).map(|f| row(f, "fixed")).collect(),
        new: after.iter().filter(|f| !before_set.contains(f.fingerprint.as_str())).map(|f| row(f, "new")).collect(),
        still_open: after.iter().filter(|f| before_set.contains(f.fingerprint.as_str())).map(|f| row(f, "still open")).collect(),
    }
}
