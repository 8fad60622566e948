//! The desktop surface, checked from the files that define it: the CSP forbids inline
//! scripts and remote origins, and the capability grants exactly the commands the UI calls.

use std::collections::BTreeSet;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn directives(csp: &str) -> Vec<(String, Vec<String>)> {
    csp.split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace().map(str::to_string);
            Some((words.next()?, words.collect()))
        })
        .collect()
}

#[test]
fn the_csp_allows_no_inline_script_and_no_remote_origin() {
    let config: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let csp = config["app"]["security"]["csp"]
        .as_str()
        .expect("a CSP is set");
    let directives = directives(csp);
    let get = |name: &str| {
        directives
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("default-src"), Some(vec!["'self'".to_string()]));
    assert_eq!(get("script-src"), Some(vec!["'self'".to_string()]));
    assert_eq!(get("object-src"), Some(vec!["'none'".to_string()]));
    for (name, sources) in &directives {
        for source in sources {
            assert!(!source.contains("unsafe"), "{name} allows {source}");
            let remote = source.starts_with("http")
                || source.starts_with("ws")
                || source == "*"
                || source.ends_with(':') && source != "data:" && source != "ipc:";
            // The only origin besides the app's own is Tauri's IPC endpoint.
            assert!(
                !remote || source == "http://ipc.localhost",
                "{name} allows the remote origin {source}"
            );
        }
    }
}

#[test]
fn the_capability_grants_exactly_the_commands_the_ui_calls() {
    let capability: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let own: BTreeSet<String> = granted
        .iter()
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|c| c.replace('-', "_"))
        .collect();
    let plugins: BTreeSet<&str> = granted
        .iter()
        .filter(|p| !p.starts_with("allow-"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        plugins,
        BTreeSet::from(["dialog:allow-open", "dialog:allow-save"]),
        "only the open and save dialogs"
    );

    // Every command the UI calls (ui/src/lib/ipc.ts), and no other, is granted.
    let ipc = read("../ui/src/lib/ipc.ts");
    let called: BTreeSet<String> = ipc
        .match_indices("call<")
        .filter_map(|(at, _)| {
            let rest = &ipc[at..];
            let start = rest.find('\'')? + 1;
            let end = start + rest[start..].find('\'')?;
            Some(rest[start..end].to_string())
        })
        .collect();
    assert_eq!(
        called, own,
        "granted commands differ from the ones ui/src/lib/ipc.ts calls"
    );

    // And every granted command is registered with the app (build.rs lists them).
    let build = read("build.rs");
    for command in &own {
        assert!(
            build.contains(&format!("\"{command}\"")),
            "{command} is granted but not in build.rs"
        );
    }
}
