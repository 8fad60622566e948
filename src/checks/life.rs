//! LIFE detectors: no way to delete a customer's data, and no evidence of backups. See the
//! catalogue (`queries/catalogue/life.toml`). Both are mostly absences, so each reports what
//! it searched; the founder's answers settle what the repository cannot show.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::repo::Repo;
use super::source::SourceFile;
use super::{keep, Class, Confidence, Detector, Draft};
use crate::lang::Lang;

pub(super) fn detectors() -> Vec<Box<dyn Detector>> {
    vec![Box::new(Deletion), Box::new(Backups)]
}

const DELETE: &str = "life-delete";

/// Calls that delete an identity at the provider.
const DELETE_CALLS: [&str; 6] = [
    "auth.admin.deleteUser",
    "users.deleteUser",
    "auth().deleteUser",
    "deleteUser",
    "user.delete",
    "account.delete",
];

/// Tables that are (or own) a customer's identity: what deletion starts from.
const IDENTITY_TABLES: [&str; 12] = [
    "users",
    "user",
    "profiles",
    "profile",
    "accounts",
    "account",
    "organizations",
    "organization",
    "orgs",
    "teams",
    "workspaces",
    "tenants",
];

/// Column names that hold personal data.
const PERSONAL_COLUMNS: [&str; 9] = [
    "email",
    "phone",
    "full_name",
    "first_name",
    "last_name",
    "address",
    "date_of_birth",
    "birthday",
    "ip_address",
];

fn deletion_words() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)(?:(?:delete|destroy|erase|purge|anonymi[sz]e)[-_ ]?(?:my[-_ ]?)?(?:account|user|organi[sz]ation|org|workspace|profile|tenant|customer)",
            r"|(?:remove|close|cancel)[-_ ]?(?:my[-_ ]?)?(?:account|organi[sz]ation|workspace|tenant)",
            r"|delete\s+from\s+(?:auth\.)?users)s?(?:\b|_|(?-i:[A-Z]))",
        ))
            .expect("valid regex")
    })
}

/// What a file says about deletion and personal data in logs.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Lifecycle {
    /// Lines that name an account deletion (routes, functions, SQL).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    deletion: Vec<(u32, String)>,
    /// Log calls with personal data: line and what.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pii_logs: Vec<(u32, String)>,
}

struct Deletion;

impl Detector for Deletion {
    fn name(&self) -> &'static str {
        DELETE
    }

    fn items(&self) -> &'static [&'static str] {
        &["LIFE-DELETE"]
    }

    fn scan(&self, file: &SourceFile) -> Option<serde_json::Value> {
        if file.is_test() || !(file.lang.is_parsed() || file.lang == Lang::Sql) {
            return None;
        }
        let mut l = Lifecycle::default();
        for m in deletion_words().find_iter(file.text).take(5) {
            l.deletion.push((
                file.line_of(m.start()),
                m.as_str().chars().take(60).collect(),
            ));
        }
        for m in file.matches("life_logs") {
            let (Some(call), Some(args)) = (m.get("log"), m.get("args")) else {
                continue;
            };
            if let Some(what) = personal_data_in(file.text_of(args)) {
                if l.pii_logs.len() < 20 {
                    l.pii_logs.push((file.lines(call).0, what.to_string()));
                }
            }
        }
        let empty = l.deletion.is_empty() && l.pii_logs.is_empty();
        keep(&l, empty)
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let scans = repo.facts::<Lifecycle>(DELETE);
        // Evidence of a deletion path: named routes, functions, SQL, provider calls, folders.
        let mut found: Vec<String> = Vec::new();
        for (f, l) in &scans {
            if let Some((line, what)) = l.deletion.first() {
                found.push(format!("{}:{line} ({what})", f.path));
            }
        }
        for f in repo.files.iter().filter(|f| !f.roles.test) {
            if deletion_words().is_match(&f.path.replace('/', " ")) {
                found.push(format!("{} (its name)", f.path));
            }
            for d in &f.definitions {
                if deletion_words().is_match(&d.name) {
                    found.push(format!("{}:{} ({})", f.path, d.start_line, d.name));
                }
            }
            for c in DELETE_CALLS {
                if f.traits.calls_ending(c) {
                    found.push(format!("{} (calls {c})", f.path));
                }
            }
        }
        found.sort();
        found.dedup();

        let personal: Vec<String> = repo
            .schema
            .tables
            .iter()
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|c| PERSONAL_COLUMNS.contains(&c.name.to_ascii_lowercase().as_str()))
                    .map(move |c| format!("{}.{}", t.name, c.name))
            })
            .collect();
        let accounts = repo.files.iter().any(|f| f.roles.auth && !f.roles.test);
        if personal.is_empty() && !accounts {
            return; // no sign that the product keeps people's data
        }
        let pii_logs: Vec<(String, u32, String)> = scans
            .iter()
            .filter(|(f, _)| !f.roles.test)
            .flat_map(|(f, l)| {
                l.pii_logs
                    .iter()
                    .map(move |(line, what)| (f.path.clone(), *line, what.clone()))
            })
            .collect();

        if !found.is_empty() {
            // Deletion exists; personal data copied into logs is what it cannot reach.
            if let Some((path, line, what)) = pii_logs.first() {
                let mut d = Draft::new(
                    "LIFE-DELETE",
                    path,
                    *line,
                    *line,
                    format!(
                        "This log line writes {what}: account deletion exists ({}), but copies in logs outlive it.",
                        found[0]
                    ),
                )
                .confidence(Confidence::Medium)
                .anchor(format!("pii log {what}"));
                for (p, l, w) in pii_logs.iter().skip(1).take(10) {
                    d = d.related(p, *l, format!("also logs {w}"));
                }
                out.push(d);
            }
            return;
        }

        let mut d = Draft::absence(
            "LIFE-DELETE",
            format!(
                "No account or organization deletion path: nothing in the code or the migrations deletes a customer's account{}.",
                if personal.is_empty() { String::new() } else { format!(", while the schema keeps personal data ({})", personal.iter().take(4).cloned().collect::<Vec<_>>().join(", ")) }
            ),
            vec![
                "routes, edge functions, handlers and functions named delete/remove/close account, user, organization, profile or workspace".into(),
                format!("calls to {}", DELETE_CALLS.join(", ")),
                "SQL functions and statements deleting from auth.users or users".into(),
                "ON DELETE CASCADE on foreign keys from tables owned by users and organizations".into(),
            ],
        )
        .confidence(Confidence::Medium)
        .anchor("no account deletion");
        for fk in missing_cascades(repo).into_iter().take(12) {
            d = d.fact(fk);
        }
        if !personal.is_empty() {
            d = d.fact(format!("personal data columns: {}", personal.join(", ")));
        }
        for (p, l, w) in pii_logs.iter().take(5) {
            d = d.fact(format!("{p}:{l} logs {w}, which deletion would not reach"));
        }
        if !personal.is_empty() {
            d = d.class(
                Class::LoadBearing,
                "The product keeps customers' personal data with no way to delete it on request, which privacy law in the EU, the UK and California requires; the founder's answers on where customers live can retire it.",
            );
        }
        out.push(d);
    }
}

/// Foreign keys into identity-owned tables that block or orphan a deletion (no ON DELETE).
fn missing_cascades(repo: &Repo) -> Vec<String> {
    let base = |t: &str| t.rsplit('.').next().unwrap_or(t).to_ascii_lowercase();
    let mut owned: HashSet<String> = IDENTITY_TABLES.iter().map(|t| t.to_string()).collect();
    // Tables that reference an owned table are owned too (invoices → organizations).
    loop {
        let before = owned.len();
        for t in &repo.schema.tables {
            if t.foreign_keys
                .iter()
                .any(|fk| owned.contains(&base(&fk.references_table)))
            {
                owned.insert(t.name.to_ascii_lowercase());
            }
        }
        if owned.len() == before {
            break;
        }
    }
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for t in &repo.schema.tables {
        for fk in &t.foreign_keys {
            let target = base(&fk.references_table);
            let action = fk
                .on_delete
                .as_deref()
                .unwrap_or("no action")
                .to_ascii_lowercase();
            if owned.contains(&target) && (action == "no action" || action == "restrict") {
                out.insert(
                    format!("{}.{}", t.name, fk.columns.join(",")),
                    format!(
                        "{}.{} references {} without ON DELETE CASCADE ({}:{}): deleting the {} fails or leaves these rows behind",
                        t.name,
                        fk.columns.join(", "),
                        fk.references_table,
                        fk.origin.path,
                        fk.origin.line,
                        target.trim_end_matches('s')
                    ),
                );
            }
        }
    }
    out.into_values().collect()
}

/// The personal data a log call's arguments carry, if any.
fn personal_data_in(args: &str) -> Option<&'static str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)\b(email|e_mail|phone(_?number)?|full_?name|first_?name|last_?name|address|ssn|date_?of_?birth|dob|ip_?address|(user|customer|profile|person|member|contact|client)s?\.name)\b")
            .expect("valid regex")
    });
    let m = re.find(args)?;
    let lower = args.to_ascii_lowercase();
    if ["mask", "redact", "hash", "anonymi"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    let word = m.as_str().to_ascii_lowercase();
    Some(if word.contains("mail") {
        "an email address"
    } else if word.contains("phone") {
        "a phone number"
    } else if word.contains("address") && word.contains("ip") {
        "an IP address"
    } else if word.contains("address") {
        "a postal address"
    } else if word.contains("birth") || word == "dob" {
        "a date of birth"
    } else if word == "ssn" {
        "a social security number"
    } else {
        "a person's name"
    })
}

// ------------------------------------------------------------------------------------------
// LIFE-BACKUP

struct Backups;

/// Words in infrastructure configuration that show backups or restores are set up.
const BACKUP_EVIDENCE: [&str; 22] = [
    "backup_retention_period",
    "point_in_time_recovery",
    "point-in-time",
    "pitr",
    "backup_configuration",
    "aws_backup_plan",
    "aws_backup_vault",
    "backup_window",
    "pg_dump",
    "pg_dumpall",
    "pg_basebackup",
    "mysqldump",
    "mongodump",
    "supabase db dump",
    "wal-g",
    "pgbackrest",
    "barman",
    "litestream",
    "restic",
    "borgbackup",
    "velero",
    "restore drill",
];

impl Detector for Backups {
    fn name(&self) -> &'static str {
        "life-backup"
    }

    fn items(&self) -> &'static [&'static str] {
        &["LIFE-BACKUP"]
    }

    fn check(&self, repo: &Repo, out: &mut Vec<Draft>) {
        let database = !repo.schema.tables.is_empty()
            || repo.files.iter().any(|f| f.roles.data_write)
            || repo.files.iter().any(|f| f.path.starts_with("supabase/"));
        if !database {
            return;
        }
        let mut looked: BTreeSet<&str> = BTreeSet::new();
        let mut evidence: Vec<String> = Vec::new();
        for f in repo.text_files() {
            let lower = f.path.to_ascii_lowercase();
            let name = lower.rsplit('/').next().unwrap_or(&lower);
            let kind = infra_kind(&lower, name);
            let Some(kind) = kind else { continue };
            looked.insert(kind);
            if name.contains("backup") || name.contains("restore") {
                evidence.push(format!("{} (its name)", f.path));
                continue;
            }
            let Some(text) = repo.content(&f.path) else {
                continue;
            };
            let text = text.to_ascii_lowercase();
            if let Some(word) = BACKUP_EVIDENCE.iter().find(|w| text.contains(*w)) {
                evidence.push(format!("{} ({word})", f.path));
            }
        }
        if !evidence.is_empty() {
            return;
        }
        let supabase = repo.files.iter().any(|f| {
            f.path == "supabase/config.toml" || f.path.starts_with("supabase/migrations/")
        });
        let mut d = Draft::absence(
            "LIFE-BACKUP",
            "No evidence of database backups or a restore ever being tried: nothing in the repository's infrastructure, CI or scripts backs up or restores the database.",
            vec![
                format!(
                    "infrastructure and CI files ({})",
                    if looked.is_empty() { "none found".to_string() } else { looked.into_iter().collect::<Vec<_>>().join(", ") }
                ),
                format!("for {}", BACKUP_EVIDENCE.join(", ")),
                "file names containing backup or restore".into(),
            ],
        )
        .confidence(Confidence::Low)
        .anchor("no backups");
        if supabase {
            d = d.fact("the database is Supabase: paid plans keep daily backups (and optional point-in-time recovery) outside the repository, so ask the founder which plan and when a restore was last tried");
        }
        d = d.fact("the founder's answer settles this: a managed backup that has never been restored is still unproven");
        out.push(d);
    }
}

/// Which kind of infrastructure or operations file a path is, if any.
fn infra_kind(lower: &str, name: &str) -> Option<&'static str> {
    Some(
        if lower.ends_with(".tf") || lower.ends_with(".tf.json") || lower.ends_with(".hcl") {
            "Terraform"
        } else if lower.starts_with(".github/workflows/")
            || lower.starts_with(".gitlab-ci")
            || lower.starts_with(".circleci/")
        {
            "CI workflows"
        } else if name.starts_with("docker-compose")
            || name.starts_with("compose.")
            || name == "dockerfile"
        {
            "Docker"
        } else if lower.contains("k8s/")
            || lower.contains("kubernetes/")
            || lower.contains("helm/")
            || lower.contains("charts/")
        {
            "Kubernetes"
        } else if [
            "fly.toml",
            "render.yaml",
            "railway.json",
            "railway.toml",
            "vercel.json",
            "netlify.toml",
            "app.yaml",
            "serverless.yml",
            "procfile",
        ]
        .contains(&name)
        {
            "platform config"
        } else if lower.ends_with(".sh") || name == "makefile" || lower.starts_with("scripts/") {
            "scripts"
        } else if name == "config.toml" && lower.starts_with("supabase/") {
            "Supabase config"
        } else if (lower.ends_with(".md") || lower.ends_with(".mdx"))
            && !lower.contains("node_modules/")
        {
            "docs"
        } else {
            return None;
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_names() {
        for s in [
            "deleteAccount",
            "delete_user",
            "supabase functions delete-account index.ts",
            "DELETE FROM auth.users",
            "handleDeleteOrganization",
            "closeAccount",
        ] {
            assert!(deletion_words().is_match(s), "{s}");
        }
        for s in [
            "deleteInvoice",
            "removeItem",
            "delete_comment",
            "user deleted the file",
        ] {
            assert!(!deletion_words().is_match(s), "{s}");
        }
    }

    #[test]
    fn personal_data_in_log_arguments() {
        assert_eq!(
            personal_data_in("(\"signup\", user.email)"),
            Some("an email address")
        );
        assert_eq!(
            personal_data_in("(f\"welcome {customer.name}\")"),
            Some("a person's name")
        );
        assert_eq!(personal_data_in("(\"failed\", error.name)"), None);
        assert_eq!(personal_data_in("(\"sent\", maskEmail(email))"), None);
        assert_eq!(
            personal_data_in("(\"Stripe event\", event.type, event.id)"),
            None
        );
    }
}
