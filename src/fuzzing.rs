//! Entry points for the cargo-fuzz targets in `fuzz/`: every parser Plumb writes itself, fed
//! untrusted text. Compiled only under `--cfg fuzzing` (cargo-fuzz sets it). Each must return,
//! never panic, whatever the input.

use std::path::Path;

/// tsconfig/jsconfig (JSONC), package.json, pnpm-workspace.yaml, Deno import maps, go.mod and
/// Vite/webpack alias configs.
pub fn configs(text: &str) {
    use crate::graph::config;
    let _ = config::parse_jsonc(text);
    let _ = config::parse_package_json(text);
    let _ = config::parse_pnpm_workspace(text);
    let _ = config::parse_go_mod(text);
    let _ = config::parse_import_map(text, "deno.json", &|_| None);
    for flavor in [config::AliasFlavor::Vite, config::AliasFlavor::SvelteKit] {
        let _ = config::parse_aliases(text, "vite.config.ts", flavor);
    }
}

pub fn prisma(text: &str) {
    let _ = crate::schema::from_prisma("prisma/schema.prisma", text);
}

/// SQL migrations, replayed: the text twice, so a migration meets the state it built.
pub fn sql(text: &str) {
    let _ = crate::schema::replay(&[("supabase/migrations/1_a.sql", text), ("supabase/migrations/2_b.sql", text)]);
}

/// A user's catalogue file merged over the builtin one; errors must name file, line, field.
pub fn catalogue(text: &str) {
    if let Err(e) = crate::catalogue::Catalogue::with_user_file(Path::new("catalogue/extra.toml"), text) {
        assert!(e.to_string().contains("extra.toml"), "error without the file name: {e}");
    }
}

/// A commit message's trailers and the provenance rules over them, and a user's rules file.
pub fn trailers(text: &str) {
    let provenance = crate::history::Provenance::builtin();
    let trailers = crate::history::trailers_of(text);
    let (name, email) = text.split_once('\n').unwrap_or((text, ""));
    let _ = provenance.classify(name, email, &trailers);
    let _ = crate::history::Provenance::from_toml(text);
}
