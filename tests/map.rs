//! `plumb map`: history, provenance, hotspots, coupling and the import graph, end to end.

use plumb::fixture::{Author, RepoBuilder};

use crate::support::Fixture;

const DAY: i64 = 86_400;

/// Six commits change billing.ts and invoice-badge.tsx together; they never import each
/// other. checkout.ts imports billing.ts. An agent writes most of it.
fn coupled_repo(f: &Fixture) {
    let repo = RepoBuilder::init(f.repo()).unwrap();
    let agent = Author::new("lovable-dev[bot]", "lovable-dev[bot]@users.noreply.github.com");
    let founder = Author::new("Maya Chen", "maya@example.com");
    let t0 = 1_735_689_600; // 2025-01-01
    repo.write("tsconfig.json", r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./src/*"] } } }"#);
    repo.write("src/checkout.ts", "import { price } from '@/billing'\nexport const total = (n: number) => price(n)\n");
    for i in 0..6 {
        repo.write("src/billing.ts", format!("export function price(n: number) {{\n  if (n > {i}) return n * 2\n  return n\n}}\n"));
        repo.write("src/invoice-badge.tsx", format!("export const Badge = () => <span>{i}</span>\n"));
        let who = if i == 5 { &founder } else { &agent };
        repo.commit(who, t0 + i * DAY, &format!("Update pricing {i}")).unwrap();
    }
    repo.write("src/\"quoted\".ts", "export const q = 1\n");
    repo.commit(&founder, t0 + 7 * DAY, "Add a file with an awkward name\n\nCo-authored-by: Claude <noreply@anthropic.com>\n").unwrap();
}

#[test]
fn map_json_joins_history_and_imports() {
    let f = Fixture::new();
    coupled_repo(&f);
    let map = f.plumb_repo("map", &["--format", "json"]).json();

    let history = &map["history"];
    assert_eq!(history["commits"], 7);
    assert_eq!(history["agent_commits"], 6, "5 bot commits plus one with a Claude trailer");

    let coupling = map["coupling"].as_array().unwrap();
    assert_eq!(coupling.len(), 1, "{coupling:?}");
    let pair = &coupling[0];
    assert_eq!((pair["a"].as_str().unwrap(), pair["b"].as_str().unwrap()), ("src/billing.ts", "src/invoice-badge.tsx"));
    // Six shared revisions, six each: 6 / ((6 + 6) / 2) × 100 = 100 %.
    assert_eq!((pair["shared"].as_u64(), pair["degree"].as_f64()), (Some(6), Some(100.0)));
    assert_eq!(pair["hidden"], true, "no import joins them");

    let imports = map["imports"].as_array().unwrap();
    assert!(imports.iter().any(|e| e["from"] == "src/checkout.ts" && e["to"] == "src/billing.ts"), "the @/ alias resolves: {imports:?}");

    let nodes = map["nodes"].as_array().unwrap();
    let billing = nodes.iter().find(|n| n["path"] == "src/billing.ts").unwrap();
    assert_eq!((billing["revisions"].as_u64(), billing["fan_in"].as_u64(), billing["hotspot_rank"].as_u64()), (Some(6), Some(1), Some(1)));
    assert_eq!(billing["main_author"], "lovable-dev[bot]");
    assert!((billing["agent_share"].as_f64().unwrap() - 5.0 / 6.0).abs() < 1e-9);
    let checkout = nodes.iter().find(|n| n["path"] == "src/checkout.ts").unwrap();
    assert!(billing["pagerank"].as_f64() > checkout["pagerank"].as_f64());
}

#[test]
fn map_dot_escapes_file_names() {
    let f = Fixture::new();
    coupled_repo(&f);
    let dot = f.plumb_repo("map", &["--format", "dot"]).ok();
    assert!(dot.starts_with("digraph plumb {"));
    assert!(dot.contains(r#""src/\"quoted\".ts""#), "{dot}");
    assert!(dot.contains(r#""src/checkout.ts" -> "src/billing.ts";"#));
}

#[test]
fn map_works_on_a_folder_without_git() {
    let f = Fixture::new();
    f.create("app/main.py", "from .db import session\n");
    f.create("app/db.py", "session = None\n");
    f.create("app/__init__.py", "");
    let map = f.plumb_repo("map", &[]).json();
    assert_eq!(map["history"]["commits"], 0);
    assert!(map["history"]["diagnostics"].as_array().unwrap().iter().any(|d| d["kind"] == "not_a_repository"));
    assert!(map["imports"].as_array().unwrap().iter().any(|e| e["from"] == "app/main.py" && e["to"] == "app/db.py"));
}

#[test]
fn since_takes_a_date_and_rejects_nonsense() {
    let f = Fixture::new();
    coupled_repo(&f);
    let map = f.plumb_repo("map", &["--since", "2025-01-04"]).json();
    assert_eq!(map["history"]["commits"], 4);
    let run = f.plumb_repo("map", &["--since", "yesterday"]);
    assert_eq!(run.code(), 2);
}
