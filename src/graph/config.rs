//! Readers for the small configuration files that decide how imports resolve: tsconfig /
//! jsconfig (JSONC, `extends`, `references`), package.json, workspace globs, Vite and
//! SvelteKit aliases, go.mod. Every reader takes text and never fails: a file it cannot
//! understand contributes nothing.

use serde_json::Value;

use super::path::{join, parent_dir};

/// Reads a repository file's text by repo-relative path.
pub type ReadFile<'r> = &'r dyn Fn(&str) -> Option<String>;

/// Parses JSON with comments and trailing commas (tsconfig, jsconfig, package.json).
pub(crate) fn parse_jsonc(text: &str) -> Option<Value> {
    let options = jsonc_parser::ParseOptions::default();
    jsonc_parser::parse_to_serde_value::<Option<Value>>(text, &options).ok().flatten()
}

/// The options of one tsconfig/jsconfig after following its `extends` chain.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TsConfig {
    /// `compilerOptions.baseUrl` as a repo-relative folder.
    pub base_url: Option<String>,
    /// `compilerOptions.paths` with targets made repo-relative (they may contain one `*`).
    pub paths: Vec<PathPattern>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PathPattern {
    pub pattern: String,
    pub targets: Vec<String>,
}

/// Raw options before `paths` targets are anchored: TypeScript resolves `paths` against
/// the effective `baseUrl`, or against the folder of the file that declared `paths`.
#[derive(Default)]
struct RawTsOptions {
    base_url: Option<String>,
    paths: Option<DeclaredPaths>,
    references: Vec<String>,
}

struct DeclaredPaths {
    patterns: Vec<(String, Vec<String>)>,
    declaring_dir: String,
}

const MAX_EXTENDS_DEPTH: usize = 8;

/// Loads `path` (a tsconfig.json or jsconfig.json) with its `extends` chain. When the file
/// itself defines neither `baseUrl` nor `paths` but lists `references` (the "solution" layout
/// of Vite templates: tsconfig.json → tsconfig.app.json), the first referenced config that
/// defines them is used.
pub(crate) fn load_tsconfig(
    path: &str,
    read: ReadFile,
    package_dirs: &dyn Fn(&str) -> Option<String>,
) -> Option<TsConfig> {
    let raw = load_raw_tsconfig(path, read, package_dirs, 0)?;
    let mut config = anchor(&raw);
    if config.base_url.is_none() && config.paths.is_empty() {
        for reference in &raw.references {
            let referenced = load_raw_tsconfig(reference, read, package_dirs, 0).map(|r| anchor(&r));
            if let Some(referenced) = referenced {
                if referenced.base_url.is_some() || !referenced.paths.is_empty() {
                    config = referenced;
                    break;
                }
            }
        }
    }
    Some(config)
}

fn anchor(raw: &RawTsOptions) -> TsConfig {
    let paths = match &raw.paths {
        Some(DeclaredPaths { patterns, declaring_dir }) => {
            let base = raw.base_url.clone().unwrap_or_else(|| declaring_dir.clone());
            patterns
                .iter()
                .map(|(pattern, targets)| PathPattern {
                    pattern: pattern.clone(),
                    targets: targets.iter().filter_map(|t| join(&base, t)).collect(),
                })
                .collect()
        }
        None => Vec::new(),
    };
    TsConfig { base_url: raw.base_url.clone(), paths }
}

fn load_raw_tsconfig(
    path: &str,
    read: ReadFile,
    package_dirs: &dyn Fn(&str) -> Option<String>,
    depth: usize,
) -> Option<RawTsOptions> {
    if depth > MAX_EXTENDS_DEPTH {
        return None;
    }
    let value = parse_jsonc(&read(path)?)?;
    let dir = parent_dir(path);
    let mut options = RawTsOptions::default();

    // Parents first; later entries of an `extends` array override earlier ones.
    let extends: Vec<&str> = match value.get("extends") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    for parent in extends {
        let parent_path = extends_target(dir, parent, read, package_dirs);
        if let Some(parent) = parent_path.and_then(|p| load_raw_tsconfig(&p, read, package_dirs, depth + 1)) {
            if parent.base_url.is_some() {
                options.base_url = parent.base_url;
            }
            if parent.paths.is_some() {
                options.paths = parent.paths;
            }
        }
    }

    if let Some(compiler) = value.get("compilerOptions") {
        if let Some(base) = compiler.get("baseUrl").and_then(Value::as_str) {
            options.base_url = join(dir, base);
        }
        if let Some(Value::Object(paths)) = compiler.get("paths") {
            let patterns = paths
                .iter()
                .map(|(pattern, targets)| {
                    let targets = match targets {
                        Value::Array(items) => items.iter().filter_map(Value::as_str).map(String::from).collect(),
                        Value::String(s) => vec![s.clone()],
                        _ => Vec::new(),
                    };
                    (pattern.clone(), targets)
                })
                .collect();
            options.paths = Some(DeclaredPaths { patterns, declaring_dir: dir.to_string() });
        }
    }
    if let Some(Value::Array(references)) = value.get("references") {
        for reference in references {
            if let Some(target) = reference.get("path").and_then(Value::as_str).and_then(|p| join(dir, p)) {
                let file = if target.ends_with(".json") { target } else { format!("{target}/tsconfig.json") };
                options.references.push(file.trim_start_matches('/').to_string());
            }
        }
    }
    Some(options)
}

/// Where an `extends` entry points: a relative file (with or without `.json`), or a file
/// inside a workspace package or a checked-in `node_modules` package.
fn extends_target(
    dir: &str,
    spec: &str,
    read: ReadFile,
    package_dirs: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let candidates: Vec<String> = if spec.starts_with('.') {
        let base = join(dir, spec)?;
        vec![base.clone(), format!("{base}.json"), format!("{base}/tsconfig.json")]
    } else {
        let name = super::resolve::package_name(spec);
        let subpath = spec[name.len()..].trim_start_matches('/');
        let mut roots = Vec::new();
        if let Some(package_dir) = package_dirs(name) {
            roots.push(package_dir);
        }
        roots.push(join("", &format!("node_modules/{name}"))?);
        roots
            .into_iter()
            .flat_map(|root| {
                if subpath.is_empty() {
                    vec![join(&root, "tsconfig.json").unwrap_or_default()]
                } else {
                    let base = join(&root, subpath).unwrap_or_default();
                    vec![base.clone(), format!("{base}.json")]
                }
            })
            .collect()
    };
    candidates.into_iter().find(|c| !c.is_empty() && read(c).is_some())
}

/// The fields of a package.json that resolution uses.
#[derive(Debug, Clone, Default)]
pub(crate) struct PackageJson {
    pub name: Option<String>,
    /// `source`, `module`, `main`, `types`, `typings` in that order of preference.
    pub entry_fields: Vec<String>,
    pub exports: Option<Value>,
    pub imports: Option<Value>,
    /// `workspaces` globs (array or `{ packages: [...] }`).
    pub workspaces: Vec<String>,
}

pub(crate) fn parse_package_json(text: &str) -> Option<PackageJson> {
    let value = parse_jsonc(text)?;
    let field = |key: &str| value.get(key).and_then(Value::as_str).map(String::from);
    let workspaces = match value.get("workspaces") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(String::from).collect(),
        Some(Value::Object(map)) => match map.get("packages") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(String::from).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    Some(PackageJson {
        name: field("name"),
        entry_fields: ["source", "module", "main", "types", "typings"].iter().filter_map(|key| field(key)).collect(),
        exports: value.get("exports").cloned(),
        imports: value.get("imports").cloned(),
        workspaces,
    })
}

/// The `packages:` list of a pnpm-workspace.yaml. A line matcher rather than a YAML parser:
/// the file is a flat list of quoted or bare globs in practice.
pub(crate) fn parse_pnpm_workspace(text: &str) -> Vec<String> {
    let mut globs = Vec::new();
    let mut in_packages = false;
    for line in text.lines() {
        let without_comment = line.split(" #").next().unwrap_or("");
        let trimmed = without_comment.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indented = line.starts_with(' ') || line.starts_with('\t');
        if !indented && !trimmed.starts_with('-') {
            in_packages = trimmed.starts_with("packages:");
            // Flow style: packages: ['apps/*', 'packages/*']
            if let Some(flow) = trimmed.strip_prefix("packages:").map(str::trim) {
                if let Some(inner) = flow.strip_prefix('[').and_then(|f| f.strip_suffix(']')) {
                    globs.extend(inner.split(',').map(unquote).filter(|g| !g.is_empty()));
                }
            }
            continue;
        }
        if in_packages {
            if let Some(item) = trimmed.strip_prefix('-') {
                let glob = unquote(item);
                if !glob.is_empty() {
                    globs.push(glob);
                }
            }
        }
    }
    globs
}

fn unquote(s: &str) -> String {
    s.trim().trim_matches(|c| c == '\'' || c == '"').trim().to_string()
}

/// The `imports` of a Deno config or import map as aliases, following a deno.json's
/// `importMap` reference one level. Keys ending in `/` map prefixes, as in import maps.
pub(crate) fn parse_import_map(text: &str, path: &str, read: ReadFile) -> Vec<Alias> {
    import_map_aliases(text, path, Some(read))
}

fn import_map_aliases(text: &str, path: &str, follow: Option<ReadFile>) -> Vec<Alias> {
    let Some(value) = parse_jsonc(text) else {
        return Vec::new();
    };
    let dir = parent_dir(path);
    let mut aliases = Vec::new();
    if let Some(Value::Object(imports)) = value.get("imports") {
        for (find, target) in imports {
            let Some(target) = target.as_str() else {
                continue;
            };
            let target = if target.starts_with("./") || target.starts_with("../") || target.starts_with('/') {
                match join(dir, target.trim_start_matches('/')) {
                    Some(local) => AliasTarget::Local(local),
                    None => continue,
                }
            } else {
                AliasTarget::Bare(target.to_string())
            };
            aliases.push(Alias { find: find.clone(), target });
        }
    }
    let referenced = value.get("importMap").and_then(Value::as_str).and_then(|p| join(dir, p));
    if let (Some(read), Some(map_path)) = (follow, referenced) {
        if let Some(map_text) = read(&map_path) {
            aliases.extend(import_map_aliases(&map_text, &map_path, None));
        }
    }
    aliases
}

/// A Go module declared by a go.mod: its path and the modules it requires.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct GoModule {
    pub module_path: String,
    pub requires: Vec<String>,
}

pub(crate) fn parse_go_mod(text: &str) -> Option<GoModule> {
    let mut module = GoModule::default();
    let mut in_require = false;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        if in_require {
            if line.starts_with(')') {
                in_require = false;
            } else if let Some(path) = line.split_whitespace().next() {
                module.requires.push(path.to_string());
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("module ") {
            module.module_path = unquote(rest);
        } else if let Some(rest) = line.strip_prefix("require") {
            let rest = rest.trim();
            if rest.starts_with('(') {
                in_require = true;
            } else if let Some(path) = rest.split_whitespace().next() {
                module.requires.push(path.to_string());
            }
        }
    }
    (!module.module_path.is_empty()).then_some(module)
}

/// Where an alias points: a repo-relative folder or file, or another bare specifier
/// (`vue` → `vue/dist/vue.esm-bundler.js`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AliasTarget {
    Local(String),
    Bare(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alias {
    pub find: String,
    pub target: AliasTarget,
}

/// How plain string replacements are read: Vite treats `'src/x'` as a bare specifier and
/// `'/src'` as project-rooted; SvelteKit's `kit.alias` values are project-relative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AliasFlavor {
    Vite,
    SvelteKit,
}

/// Reads `alias` entries of a vite.config / svelte.config file textually. Literal-only:
/// string keys, and values that are string literals, `path.resolve(__dirname, '…')`,
/// `path.join(…)`, `resolve(process.cwd(), '…')` or
/// `fileURLToPath(new URL('…', import.meta.url))`. Anything computed (variables, regex
/// `find`s, spreads) is skipped.
pub(crate) fn parse_aliases(text: &str, config_path: &str, flavor: AliasFlavor) -> Vec<Alias> {
    let tokens = tokenize(text);
    let dir = parent_dir(config_path);
    let mut aliases = Vec::new();
    let mut i = 0;
    while i + 2 < tokens.len() {
        if tokens[i] == Token::Ident("alias".into()) && tokens[i + 1] == Token::Punct(':') {
            let start = i + 2;
            let end = matching_close(&tokens, start).unwrap_or(tokens.len());
            match tokens[start] {
                Token::Punct('{') => {
                    for entry in split_top_level(&tokens[start + 1..end]) {
                        if let Some(alias) = object_entry(entry, dir, flavor) {
                            aliases.push(alias);
                        }
                    }
                }
                Token::Punct('[') => {
                    for item in split_top_level(&tokens[start + 1..end]) {
                        if let Some(alias) = find_replacement_entry(item, dir, flavor) {
                            aliases.push(alias);
                        }
                    }
                }
                _ => {}
            }
            i = end;
        }
        i += 1;
    }
    aliases
}

fn object_entry(entry: &[Token], dir: &str, flavor: AliasFlavor) -> Option<Alias> {
    let (key, rest) = match entry {
        [Token::Str(key), Token::Punct(':'), rest @ ..] => (key.clone(), rest),
        [Token::Ident(key), Token::Punct(':'), rest @ ..] => (key.clone(), rest),
        _ => return None,
    };
    Some(Alias { find: key, target: evaluate(rest, dir, flavor)? })
}

fn find_replacement_entry(item: &[Token], dir: &str, flavor: AliasFlavor) -> Option<Alias> {
    let [Token::Punct('{'), inner @ .., Token::Punct('}')] = item else {
        return None;
    };
    let mut find = None;
    let mut target = None;
    for field in split_top_level(inner) {
        match field {
            [Token::Ident(key), Token::Punct(':'), Token::Str(value)] if key == "find" => find = Some(value.clone()),
            [Token::Ident(key), Token::Punct(':'), rest @ ..] if key == "replacement" => {
                target = evaluate(rest, dir, flavor)
            }
            _ => {}
        }
    }
    Some(Alias { find: find?, target: target? })
}

/// Evaluates the literal forms of an alias replacement.
fn evaluate(expr: &[Token], dir: &str, flavor: AliasFlavor) -> Option<AliasTarget> {
    if let [Token::Str(value)] = expr {
        return Some(if let Some(rooted) = value.strip_prefix('/') {
            AliasTarget::Local(join(dir, rooted)?)
        } else if value.starts_with('.') || flavor == AliasFlavor::SvelteKit {
            AliasTarget::Local(join(dir, value)?)
        } else {
            AliasTarget::Bare(value.clone())
        });
    }
    // `new URL('./src', import.meta.url).pathname`
    if let [Token::Ident(new), Token::Ident(url), rest @ ..] = expr {
        if new == "new" && url == "URL" {
            let (close, url_args) = call_args(rest)?;
            let tail = &rest[close + 1..];
            let is_pathname = matches!(tail, [Token::Punct('.'), Token::Ident(p)] if p == "pathname");
            return if is_pathname { url_relative_to_config(url_args, dir) } else { None };
        }
    }
    // Drop a namespace (`path.`, `url.`, `node_path.`) before the function name.
    let expr = match expr {
        [Token::Ident(_), Token::Punct('.'), rest @ ..] if matches!(rest.first(), Some(Token::Ident(_))) => rest,
        _ => expr,
    };
    let (function, args) = call(expr)?;
    match function {
        "resolve" | "join" => {
            let mut folder = dir.to_string();
            for (index, arg) in split_top_level(args).into_iter().enumerate() {
                if index == 0 && is_config_dir(arg) {
                    continue;
                }
                match arg {
                    [Token::Str(segment)] if !segment.starts_with('/') => folder = join(&folder, segment)?,
                    _ => return None,
                }
            }
            Some(AliasTarget::Local(folder))
        }
        "fileURLToPath" => match args {
            [Token::Ident(new), Token::Ident(url), rest @ ..] if new == "new" && url == "URL" => {
                let (close, url_args) = call_args(rest)?;
                if close + 1 != rest.len() {
                    return None;
                }
                url_relative_to_config(url_args, dir)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The arguments of `new URL('./src', import.meta.url)` as a folder beside the config.
fn url_relative_to_config(url_args: &[Token], dir: &str) -> Option<AliasTarget> {
    match split_top_level(url_args).as_slice() {
        [[Token::Str(relative)], base] if is_import_meta_url(base) => Some(AliasTarget::Local(join(dir, relative)?)),
        _ => None,
    }
}

fn is_config_dir(arg: &[Token]) -> bool {
    let idents: Vec<&str> = arg
        .iter()
        .filter_map(|t| match t {
            Token::Ident(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    matches!(idents.as_slice(), ["__dirname"] | ["process", "cwd"] | ["import", "meta", "dirname"])
}

fn is_import_meta_url(arg: &[Token]) -> bool {
    let idents: Vec<&str> = arg
        .iter()
        .filter_map(|t| match t {
            Token::Ident(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    idents == ["import", "meta", "url"]
}

/// `name( args )` → (name, args).
fn call(expr: &[Token]) -> Option<(&str, &[Token])> {
    match expr {
        [Token::Ident(name), rest @ ..] => {
            let (close, args) = call_args(rest)?;
            (close == rest.len() - 1).then_some((name.as_str(), args))
        }
        _ => None,
    }
}

/// `( args )` at the start of `tokens` → (index of the closing paren, args).
fn call_args(tokens: &[Token]) -> Option<(usize, &[Token])> {
    if tokens.first() != Some(&Token::Punct('(')) {
        return None;
    }
    let close = matching_close(tokens, 0)?;
    Some((close, &tokens[1..close]))
}

fn matching_close(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, token) in tokens.iter().enumerate().skip(open) {
        match token {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits on commas outside brackets, dropping empty pieces (trailing commas).
fn split_top_level(tokens: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (index, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') => depth -= 1,
            Token::Punct(',') if depth == 0 => {
                parts.push(&tokens[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&tokens[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Str(String),
    Punct(char),
    /// Numbers, regexes, template literals with substitutions: opaque.
    Other,
}

/// A tolerant JavaScript tokenizer: enough to walk object literals in a config file.
fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '/' && regex_allowed(tokens.last()) {
            i += 1;
            let mut in_class = false;
            while i < chars.len() && chars[i] != '\n' {
                match chars[i] {
                    '\\' => i += 1,
                    '[' => in_class = true,
                    ']' => in_class = false,
                    '/' if !in_class => break,
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            tokens.push(Token::Other);
        } else if c == '\'' || c == '"' || c == '`' {
            let quote = c;
            let mut value = String::new();
            let mut substituted = false;
            i += 1;
            while i < chars.len() && chars[i] != quote {
                if chars[i] == '\\' {
                    i += 1;
                    if let Some(&escaped) = chars.get(i) {
                        value.push(escaped);
                    }
                } else {
                    if quote == '`' && chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
                        substituted = true;
                    }
                    value.push(chars[i]);
                }
                i += 1;
            }
            i += 1;
            tokens.push(if substituted { Token::Other } else { Token::Str(value) });
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            tokens.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            tokens.push(Token::Other);
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

fn regex_allowed(previous: Option<&Token>) -> bool {
    match previous {
        None => true,
        Some(Token::Punct(p)) => matches!(p, '(' | ',' | ':' | '=' | '[' | '{' | '!' | '&' | '|' | '?' | ';'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn local(path: &str) -> AliasTarget {
        AliasTarget::Local(path.to_string())
    }

    #[test]
    fn vite_object_aliases_with_path_resolve_and_rooted_strings() {
        let config = r#"
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import path from 'path'

// https://vitejs.dev/config/
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@': path.resolve(__dirname, './src'),
      '@components': path.resolve(__dirname, 'src', 'components'),
      '~assets': '/src/assets',
      vue: 'vue/dist/vue.esm-bundler.js',
      '#computed': someVariable,
    },
  },
  server: { port: 3000 },
})
"#;
        let aliases = parse_aliases(config, "web/vite.config.ts", AliasFlavor::Vite);
        assert_eq!(
            aliases,
            vec![
                Alias { find: "@".into(), target: local("web/src") },
                Alias { find: "@components".into(), target: local("web/src/components") },
                Alias { find: "~assets".into(), target: local("web/src/assets") },
                Alias { find: "vue".into(), target: AliasTarget::Bare("vue/dist/vue.esm-bundler.js".into()) },
            ]
        );
    }

    #[test]
    fn vite_array_aliases_and_file_url_form() {
        let config = r#"
import { fileURLToPath, URL } from 'node:url'
export default defineConfig({
  resolve: {
    alias: [
      { find: '@', replacement: fileURLToPath(new URL('./src', import.meta.url)) },
      { find: /^~\/(.*)$/, replacement: '/src/$1' },
      { find: 'lib', replacement: resolve(process.cwd(), 'src/lib') },
      { find: '~', replacement: new URL('./src/', import.meta.url).pathname },
      { find: 'x', replacement: new URL('./x', import.meta.url).href },
    ],
  },
})
"#;
        let aliases = parse_aliases(config, "vite.config.mjs", AliasFlavor::Vite);
        assert_eq!(
            aliases,
            vec![
                Alias { find: "@".into(), target: local("src") },
                Alias { find: "lib".into(), target: local("src/lib") },
                Alias { find: "~".into(), target: local("src") },
            ]
        );
    }

    #[test]
    fn tsconfig_paths_follow_extends_and_anchor_at_the_declaring_file() {
        let files: HashMap<&str, &str> = HashMap::from([
            (
                "tsconfig.base.json",
                r#"{
  // shared options
  "compilerOptions": {
    "strict": true,
    "paths": { "@shared/*": ["packages/shared/src/*"], },
  },
}"#,
            ),
            ("apps/admin/tsconfig.json", r#"{ "extends": "../../tsconfig.base.json", "include": ["src"] }"#),
            (
                "apps/web/tsconfig.json",
                r#"{ "extends": "../../tsconfig.base.json", "compilerOptions": { "baseUrl": "." } }"#,
            ),
        ]);
        let read = |p: &str| files.get(p).map(|s| s.to_string());
        let config = load_tsconfig("apps/admin/tsconfig.json", &read, &|_| None).unwrap();
        assert_eq!(config.base_url, None);
        assert_eq!(
            config.paths,
            vec![PathPattern { pattern: "@shared/*".into(), targets: vec!["packages/shared/src/*".into()] }]
        );
        // TypeScript anchors inherited `paths` at the effective baseUrl: a child's baseUrl moves them.
        let config = load_tsconfig("apps/web/tsconfig.json", &read, &|_| None).unwrap();
        assert_eq!(config.base_url.as_deref(), Some("apps/web"));
        assert_eq!(config.paths[0].targets, vec!["apps/web/packages/shared/src/*"]);
    }

    #[test]
    fn tsconfig_extends_cycle_terminates() {
        let files: HashMap<&str, &str> = HashMap::from([
            ("a.json", r#"{ "extends": "./b.json", "compilerOptions": { "baseUrl": "src" } }"#),
            ("b.json", r#"{ "extends": "./a.json" }"#),
        ]);
        let read = |p: &str| files.get(p).map(|s| s.to_string());
        let config = load_tsconfig("a.json", &read, &|_| None).unwrap();
        assert_eq!(config.base_url.as_deref(), Some("src"));
    }

    #[test]
    fn pnpm_workspace_block_and_flow_lists() {
        let block = "packages:\n  - 'apps/*'\n  - \"packages/*\" # shared\n  - '!**/test/**'\ncatalog:\n  react: ^18\n";
        assert_eq!(parse_pnpm_workspace(block), vec!["apps/*", "packages/*", "!**/test/**"]);
        assert_eq!(parse_pnpm_workspace("packages: ['libs/*', tools]\n"), vec!["libs/*", "tools"]);
    }

    #[test]
    fn go_mod_module_and_requires() {
        let text = "module github.com/acme/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgolang.org/x/sync v0.7.0 // indirect\n)\nrequire github.com/lib/pq v1.10.9\n";
        let module = parse_go_mod(text).unwrap();
        assert_eq!(module.module_path, "github.com/acme/shop");
        assert_eq!(module.requires, vec!["github.com/go-chi/chi/v5", "golang.org/x/sync", "github.com/lib/pq"]);
    }
}
