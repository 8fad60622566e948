//! The check engine itself, through the CLI: a consultant's query rule runs without
//! recompiling, fingerprints survive line shifts, excerpts are redacted, JSON and SARIF have
//! their documented shape, and bad input is a clear error.

use crate::support::Fixture;

const EVAL_RULE: &str = r#"
[[item]]
id = "SEC-EVAL"
area = "SEC"
title = "eval on request data"
question = "Could someone make your server run their own code?"
why = "eval runs whatever string it is given."
evidence = "eval calls"
load_bearing_when = "Always."
fix = "Remove eval."
effort = "S"
severity = "critical"

[[item.rule]]
lang = "typescript"
query = '''(call_expression function: (identifier) @fn (#eq? @fn "eval")) @match'''
message = "{fn}() runs {match}"
confidence = "high"
"#;

fn with_rule() -> (Fixture, tempfile::TempDir) {
    let f = Fixture::new();
    let catalogue = tempfile::tempdir().unwrap();
    std::fs::write(catalogue.path().join("eval.toml"), EVAL_RULE).unwrap();
    (f, catalogue)
}

fn check_json(f: &Fixture, catalogue: &std::path::Path, format: &str) -> serde_json::Value {
    let cat = catalogue.to_str().unwrap().to_string();
    f.plumb_repo(
        "check",
        &[
            "--catalogue",
            &cat,
            "--item",
            "SEC-EVAL",
            "--format",
            format,
        ],
    )
    .json()
}

#[test]
fn a_consultant_rule_reports_with_a_redacted_excerpt() {
    let (f, cat) = with_rule();
    f.create(
        "src/handler.ts",
        "const key = \"sk_live_51QvX8kL9qEwjky40UVsWmflzdE1F8RePFkThf4Vu\";\nexport function run(body: string) {\n  return eval(body);\n}\n",
    );
    let json = check_json(&f, cat.path(), "json");
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json:#}");
    let finding = &findings[0];
    assert_eq!(finding["item"], "SEC-EVAL");
    assert_eq!(finding["path"], "src/handler.ts");
    assert_eq!(finding["line"], 3);
    assert_eq!(finding["message"], "eval() runs eval(body)");
    assert_eq!(finding["confidence"], "high");
    assert_eq!(finding["severity"], "critical");
    assert_eq!(finding["class"], "load-bearing");
    let excerpt = finding["evidence"]["excerpt"].to_string();
    assert!(excerpt.contains("sk_live_51Q"), "{excerpt}");
    assert!(
        !excerpt.contains("RePFkThf4Vu"),
        "the whole key leaked into the excerpt: {excerpt}"
    );
    assert!(json["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn fingerprints_survive_line_shifts_and_unrelated_edits() {
    let (f, cat) = with_rule();
    f.create(
        "src/a.ts",
        "export function run(body: string) {\n  return eval(body);\n}\n",
    );
    let before = check_json(&f, cat.path(), "json")["findings"][0]["fingerprint"].clone();
    f.create("src/a.ts", "import { log } from \"./log\";\n\n// Runs a user script.\nexport function run(body: string) {\n  log(body);\n  return eval(body);\n}\n");
    let after = check_json(&f, cat.path(), "json");
    assert_eq!(after["findings"][0]["line"], 6);
    assert_eq!(after["findings"][0]["fingerprint"], before);
}

#[test]
fn sarif_is_2_1_0_with_rules_and_fingerprints() {
    let (f, cat) = with_rule();
    f.create("src/a.ts", "export const run = (s: string) => eval(s);\n");
    let sarif = check_json(&f, cat.path(), "sarif");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "Plumb");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "SEC-EVAL"));
    assert!(
        rules.iter().any(|r| r["id"] == "PAY-WEBHOOK-SIG"),
        "every catalogue item is a rule"
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "SEC-EVAL");
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "SEC-EVAL"
    );
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/a.ts"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert_eq!(
        result["partialFingerprints"]["plumb/v1"]
            .as_str()
            .unwrap()
            .len(),
        16
    );
}

#[test]
fn unknown_items_and_broken_rules_are_bad_input() {
    let f = Fixture::new();
    f.create("a.ts", "export {};\n");
    let run = f.plumb_repo("check", &["--item", "NOPE-1"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr()
            .starts_with("plumb: error: unknown catalogue item \"NOPE-1\""),
        "{}",
        run.stderr()
    );

    let cat = tempfile::tempdir().unwrap();
    std::fs::write(
        cat.path().join("bad.toml"),
        EVAL_RULE.replace("(call_expression function:", "(call_expresion function:"),
    )
    .unwrap();
    let run = f.plumb_repo("check", &["--catalogue", cat.path().to_str().unwrap()]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("SEC-EVAL"), "{}", run.stderr());
    assert_eq!(run.stderr().lines().count(), 1, "{}", run.stderr());
}

#[test]
fn check_text_groups_findings_by_class() {
    let (f, cat) = with_rule();
    f.create("src/a.ts", "export const run = (s: string) => eval(s);\n");
    let out = f
        .plumb_repo(
            "check",
            &[
                "--catalogue",
                cat.path().to_str().unwrap(),
                "--item",
                "SEC-EVAL",
            ],
        )
        .ok();
    assert!(out.starts_with("Load-bearing (1)\n"), "{out}");
    assert!(out.contains("SEC-EVAL"), "{out}");
    assert!(out.contains("src/a.ts:1"), "{out}");
    assert!(out.contains("Cosmetic (0)"), "{out}");
}
