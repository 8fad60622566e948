//! Who wrote a commit: a person or a coding agent. The agent identities are data
//! (`queries/provenance.toml`), compiled in with `include_str!`.
//!
//! Patterns are case-insensitive and match the whole name or email; `*` matches any run of
//! characters and a pattern without `*` is an exact match. Whole-string matching (rather
//! than substring) is what keeps "Claudia" or "Devin Smith" from being taken for an agent.

use serde::{Deserialize, Serialize};

use super::Trailer;

const BUILTIN: &str = include_str!("../../queries/provenance.toml");

#[derive(Debug, thiserror::Error)]
pub enum ProvenanceError {
    #[error("provenance table is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
}

/// Why a commit is attributed to an agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    AuthorName,
    AuthorEmail,
    /// A co-author trailer (`Co-authored-by:` and the other keys of the table).
    Trailer,
}

/// The agent a commit is attributed to, and the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentMatch {
    /// The agent's name from the table, e.g. "Lovable".
    pub agent: String,
    pub matched_by: MatchedBy,
    /// The text that matched: the author name or email, or the whole trailer line.
    pub evidence: String,
}

#[derive(Debug, Deserialize)]
struct Table {
    coauthor_trailer_keys: Vec<String>,
    agent: Vec<AgentEntry>,
}

#[derive(Debug, Deserialize)]
struct AgentEntry {
    name: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    emails: Vec<String>,
}

/// Compiled agent identities.
#[derive(Debug, Clone)]
pub struct Provenance {
    trailer_keys: Vec<String>,
    agents: Vec<Agent>,
}

#[derive(Debug, Clone)]
struct Agent {
    name: String,
    names: Vec<String>,
    emails: Vec<String>,
}

impl Provenance {
    /// The table shipped in `queries/provenance.toml`.
    pub fn builtin() -> Self {
        // The table is compiled in and covered by a test, so it always parses.
        Self::from_toml(BUILTIN).expect("queries/provenance.toml is valid")
    }

    pub fn from_toml(text: &str) -> Result<Self, ProvenanceError> {
        let table: Table = toml::from_str(text)?;
        let lower = |v: Vec<String>| v.into_iter().map(|s| s.trim().to_lowercase()).collect();
        Ok(Provenance {
            trailer_keys: lower(table.coauthor_trailer_keys),
            agents: table
                .agent
                .into_iter()
                .map(|a| Agent { name: a.name, names: lower(a.names), emails: lower(a.emails) })
                .collect(),
        })
    }

    /// Names of all agents in the table, in table order.
    pub fn agent_names(&self) -> impl Iterator<Item = &str> {
        self.agents.iter().map(|a| a.name.as_str())
    }

    /// Attributes a commit: its author first, then its co-author trailers in order.
    pub fn classify(&self, author_name: &str, author_email: &str, trailers: &[Trailer]) -> Option<AgentMatch> {
        if let Some(agent) = self.match_name(author_name) {
            return Some(AgentMatch {
                agent: agent.to_string(),
                matched_by: MatchedBy::AuthorName,
                evidence: author_name.to_string(),
            });
        }
        if let Some(agent) = self.match_email(author_email) {
            return Some(AgentMatch {
                agent: agent.to_string(),
                matched_by: MatchedBy::AuthorEmail,
                evidence: author_email.to_string(),
            });
        }
        trailers
            .iter()
            .filter(|t| self.trailer_keys.iter().any(|k| t.key.trim().eq_ignore_ascii_case(k)))
            .find_map(|t| {
                let (name, email) = split_identity(&t.value);
                let agent = self.match_name(name).or_else(|| email.and_then(|e| self.match_email(e)))?;
                Some(AgentMatch {
                    agent: agent.to_string(),
                    matched_by: MatchedBy::Trailer,
                    evidence: format!("{}: {}", t.key, t.value),
                })
            })
    }

    fn match_name(&self, name: &str) -> Option<&str> {
        let name = name.trim().to_lowercase();
        if name.is_empty() {
            return None;
        }
        self.agents.iter().find(|a| a.names.iter().any(|p| glob_match(p, &name))).map(|a| a.name.as_str())
    }

    fn match_email(&self, email: &str) -> Option<&str> {
        let email = email.trim().to_lowercase();
        if email.is_empty() {
            return None;
        }
        self.agents.iter().find(|a| a.emails.iter().any(|p| glob_match(p, &email))).map(|a| a.name.as_str())
    }
}

/// Splits `Name <email>` into its parts; a value without `<…>` is all name.
fn split_identity(value: &str) -> (&str, Option<&str>) {
    match (value.find('<'), value.rfind('>')) {
        (Some(open), Some(close)) if open < close => (value[..open].trim(), Some(value[open + 1..close].trim())),
        _ => (value.trim(), None),
    }
}

/// Whole-string match where `*` matches any run of characters (both sides already lowercase).
fn glob_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    if !pattern.contains('*') {
        return pattern == text;
    }
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let middle: Vec<&str> = parts.collect();
    let (last, middle) = middle.split_last().expect("pattern has a '*', so a part follows it");
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trailer(key: &str, value: &str) -> Trailer {
        Trailer { key: key.to_string(), value: value.to_string() }
    }

    fn agent_of(name: &str, email: &str, trailers: &[Trailer]) -> Option<(String, MatchedBy)> {
        Provenance::builtin().classify(name, email, trailers).map(|m| (m.agent, m.matched_by))
    }

    #[test]
    fn builtin_table_parses_and_names_the_common_agents() {
        let prov = Provenance::builtin();
        let names: Vec<&str> = prov.agent_names().collect();
        for expected in ["Lovable", "Devin", "GitHub Copilot", "Cursor", "Claude", "Codex", "Jules", "Gemini", "Aider"] {
            assert!(names.contains(&expected), "{expected} missing from {names:?}");
        }
    }

    #[test]
    fn bot_authors_are_agents() {
        assert_eq!(
            agent_of("gpt-engineer-app[bot]", "159125892+gpt-engineer-app[bot]@users.noreply.github.com", &[]),
            Some(("Lovable".to_string(), MatchedBy::AuthorName))
        );
        assert_eq!(
            agent_of("Copilot-SWE-Agent[bot]", "198982749+Copilot@users.noreply.github.com", &[]),
            Some(("GitHub Copilot".to_string(), MatchedBy::AuthorName))
        );
        assert_eq!(
            agent_of("Some Renamed Bot", "cursoragent@cursor.com", &[]),
            Some(("Cursor".to_string(), MatchedBy::AuthorEmail))
        );
        assert_eq!(agent_of("Maya (aider)", "maya@acme.io", &[]), Some(("Aider".to_string(), MatchedBy::AuthorName)));
    }

    #[test]
    fn co_authored_by_trailer_names_the_agent() {
        let trailers = [
            trailer("Signed-off-by", "Maya Chen <maya@acme.io>"),
            trailer("Co-Authored-By", "Claude <noreply@anthropic.com>"),
        ];
        let m = Provenance::builtin().classify("Maya Chen", "maya@acme.io", &trailers).unwrap();
        assert_eq!(m.agent, "Claude");
        assert_eq!(m.matched_by, MatchedBy::Trailer);
        assert_eq!(m.evidence, "Co-Authored-By: Claude <noreply@anthropic.com>");
        assert_eq!(
            agent_of("Maya Chen", "maya@acme.io", &[trailer("Co-authored-by", "aider (openai/gpt-4o) <noreply@aider.chat>")]),
            Some(("Aider".to_string(), MatchedBy::Trailer))
        );
    }

    #[test]
    fn people_and_ordinary_bots_are_not_agents() {
        // A person whose name starts like an agent's, co-authored by another person.
        assert_eq!(agent_of("Claudia Ferreira", "claudia@acme.io", &[trailer("Co-authored-by", "Claudia <c@x.io>")]), None);
        // First names shared with agents.
        assert_eq!(agent_of("Claude", "claude.monet@giverny.fr", &[]), None);
        assert_eq!(agent_of("Devin", "devin.smith@acme.io", &[]), None);
        // Dependency bots are bots, not coding agents.
        assert_eq!(agent_of("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", &[]), None);
        // An agent named in a trailer whose key is not a co-author key.
        assert_eq!(agent_of("Maya Chen", "maya@acme.io", &[trailer("Reviewed-by", "Claude <noreply@anthropic.com>")]), None);
    }

    #[test]
    fn glob_matches_whole_strings_only() {
        assert!(glob_match("*+copilot@users.noreply.github.com", "175728472+copilot@users.noreply.github.com"));
        assert!(!glob_match("*+copilot@users.noreply.github.com", "175728472+copilotx@users.noreply.github.com"));
        assert!(glob_match("aider (*)", "aider (gpt-4o)"));
        assert!(!glob_match("aider (*)", "aider"));
        assert!(glob_match("a*b*c", "abc"));
        assert!(!glob_match("a*bc*c", "abc"));
        assert!(!glob_match("claude", "claudia"));
    }
}
