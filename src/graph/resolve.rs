//! Import resolution: from a raw specifier, as written in one file, to files of the
//! repository or to an external package.
//!
//! Everything is read from the file set and from small configuration files through the
//! caller's `read` closure; nothing touches the file system or runs code.
//!
//! Configuration read (found by name among the files; root-level ones also asked of
//! `read`): tsconfig.json / jsconfig.json (nearest one per file; JSONC; `extends` chains,
//! array form, workspace or `node_modules` package targets; `references` when the file
//! itself has no `baseUrl`/`paths`), package.json (`name`, `exports`, `imports`, `main`,
//! `module`, `source`, `types`, `workspaces`), pnpm-workspace.yaml, vite.config.* and
//! vitest.config.* (`resolve.alias`, literal forms only), svelte.config.js (`$lib` and
//! `kit.alias`), deno.json / deno.jsonc / import_map.json (`imports`, `importMap`), go.mod.
//! Files under `node_modules/` are never configuration.
//!
//! What each language's specifiers are expected to look like:
//! - JavaScript/TypeScript: the module string (`./x`, `@/lib/db`, `react`, `npm:zod@3`).
//!   A `?query` suffix (Vite's `?raw`, `?worker`) is ignored.
//! - Python: the dotted module with leading dots for relative imports: `fastapi`,
//!   `app.models.user`, `..models.user`, `.` for `from . import x` (→ `__init__.py`).
//!   The module with one imported name appended (`.x`, `pkg.mod.func`) works too: when the
//!   full path is no module, the last part is dropped once. A name defined inside
//!   `__init__.py` and written as `.name` is therefore unresolved: emit the module as written.
//! - Rust: the `use` path (`crate::model::Lang`, `super::x`, `serde::Serialize`); a
//!   `{…}` group, `*` or `as` rename is cut off, so `crate::a::{b, c}` links to module `a`.
//! - Java/Kotlin: the imported name (`com.acme.billing.Invoice`, `com.acme.billing.*`,
//!   `static com.acme.Util.format`).
//! - Ruby: the string given to `require` or `require_relative`.
//! - Go: the import path (`github.com/acme/shop/internal/db`, `net/http`). A package import
//!   links to every non-test `.go` file of the package folder, because a Go file depends on
//!   the whole package.

use std::collections::{HashMap, HashSet};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Serialize;
use serde_json::Value;

use super::config::{
    load_tsconfig, parse_aliases, parse_go_mod, parse_import_map, parse_package_json, parse_pnpm_workspace, Alias,
    AliasFlavor, AliasTarget, GoModule, PackageJson, ReadFile, TsConfig,
};
use super::path::{ancestors, is_within, join, parent_dir};
use crate::model::Lang;

/// Index of a file in the sorted file list the resolver was built from.
pub type FileId = u32;

/// Where an external package comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    /// Bare JavaScript specifiers, `npm:` specifiers and `node:` built-ins.
    Npm,
    Jsr,
    /// `https://esm.sh/…`, `https://deno.land/x/…` and other URL imports.
    Url,
    Python,
    Go,
    /// Rust crates (the standard library included, as `std`, `core`, `alloc`).
    Cargo,
    /// Java/Kotlin packages, named by their first two package segments (`org.springframework`).
    Maven,
    /// Ruby gems and the standard library, named by the first path segment required.
    Gem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// One file; every non-test file of the folder for a Go package.
    Files(Vec<FileId>),
    External {
        name: String,
        ecosystem: Ecosystem,
    },
    /// A local import (relative, aliased, workspace package, local Python package) whose
    /// target is not in the repository.
    Unresolved,
    /// The importer's language has no resolver yet.
    Unsupported,
}

/// JavaScript/TypeScript extensions tried after a specifier without one, in TypeScript's order.
const JS_EXTENSIONS: &[&str] = &[".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json"];
/// TypeScript ESM style: the written extension names the compiled file.
const WRITTEN_TO_SOURCE: &[(&str, &[&str])] = &[
    (".d.ts", &[".ts", ".tsx"]),
    (".js", &[".ts", ".tsx", ".d.ts"]),
    (".jsx", &[".tsx"]),
    (".mjs", &[".mts"]),
    (".cjs", &[".cts"]),
];
/// Build output folders that a package.json may point at while only sources are checked in.
const BUILD_FOLDERS: &[&str] = &["dist", "build", "lib", "out", "esm", "cjs", "es", "types"];
const VITE_CONFIGS: &[&str] = &[
    "vite.config.ts",
    "vite.config.js",
    "vite.config.mjs",
    "vite.config.mts",
    "vite.config.cjs",
    "vitest.config.ts",
    "vitest.config.js",
    "vitest.config.mjs",
    "vitest.config.mts",
];
/// Deno configs and import maps (Supabase edge functions keep one per functions folder).
const IMPORT_MAPS: &[&str] = &["deno.json", "deno.jsonc", "import_map.json"];
const PYTHON_PROJECT_MARKERS: &[&str] = &["pyproject.toml", "setup.py", "setup.cfg", "manage.py"];

/// Resolves specifiers against one repository snapshot. Build once, then resolve from many
/// threads (it is `Sync`).
pub struct Resolver<'a> {
    paths: &'a [String],
    index: HashMap<&'a str, FileId>,
    /// tsconfig.json (or jsconfig.json) by folder.
    tsconfigs: HashMap<String, TsConfig>,
    packages: HashMap<String, PackageJson>,
    /// Workspace package name → folder.
    workspace_packages: HashMap<String, String>,
    /// Vite / SvelteKit aliases by the folder of their config.
    aliases: HashMap<String, Vec<Alias>>,
    /// (folder of go.mod, module), longest module path first.
    go_modules: Vec<(String, GoModule)>,
    /// Required module paths from every go.mod, longest first.
    go_requires: Vec<String>,
    go_packages: HashMap<&'a str, Vec<FileId>>,
    /// Java/Kotlin files by class name (file stem).
    jvm_classes: HashMap<&'a str, Vec<FileId>>,
    /// Folders with Java/Kotlin files by their last segment, for `import a.b.*`.
    jvm_dirs: HashMap<&'a str, Vec<&'a str>>,
    jvm_dir_files: HashMap<&'a str, Vec<FileId>>,
    /// `a.b` for every pair of adjacent folder names above Java/Kotlin files.
    jvm_local_prefixes: HashSet<String>,
    /// Folders holding a Cargo.toml with a `[package]`.
    rust_crates: HashMap<String, ()>,
    /// Crate name (as written in code: `-` → `_`) → folder.
    rust_crates_by_name: HashMap<String, String>,
    /// Dotted module name → (source root, file), in file order.
    python_modules: HashMap<String, Vec<(&'a str, FileId)>>,
    python_top_level: HashSet<String>,
    python_package_dirs: HashSet<&'a str>,
}

impl<'a> Resolver<'a> {
    /// `paths` must be sorted and free of duplicates; a path's position is its [`FileId`].
    /// Config files are found by name among `paths`; root-level ones are also asked of `read`
    /// so that a caller passing only source files still gets them.
    pub fn new(paths: &'a [String], read: ReadFile) -> Self {
        let index: HashMap<&str, FileId> = paths.iter().enumerate().map(|(i, p)| (p.as_str(), i as FileId)).collect();
        let mut config_paths: Vec<String> = paths
            .iter()
            .filter(|p| !p.split('/').any(|segment| segment == "node_modules"))
            .filter(|p| is_config_name(file_name(p)))
            .cloned()
            .collect();
        for name in [
            "Cargo.toml",
            "package.json",
            "tsconfig.json",
            "jsconfig.json",
            "pnpm-workspace.yaml",
            "go.mod",
            "svelte.config.js",
        ]
        .iter()
        .chain(VITE_CONFIGS)
        .chain(IMPORT_MAPS)
        {
            if !index.contains_key(name) && read(name).is_some() {
                config_paths.push(name.to_string());
            }
        }
        config_paths.sort();

        let mut resolver = Resolver {
            paths,
            index,
            tsconfigs: HashMap::new(),
            packages: HashMap::new(),
            workspace_packages: HashMap::new(),
            aliases: HashMap::new(),
            go_modules: Vec::new(),
            go_requires: Vec::new(),
            go_packages: HashMap::new(),
            python_modules: HashMap::new(),
            python_top_level: HashSet::new(),
            python_package_dirs: HashSet::new(),
            rust_crates: HashMap::new(),
            rust_crates_by_name: HashMap::new(),
            jvm_classes: HashMap::new(),
            jvm_dirs: HashMap::new(),
            jvm_dir_files: HashMap::new(),
            jvm_local_prefixes: HashSet::new(),
        };
        resolver.read_configs(&config_paths, read);
        resolver.index_go();
        resolver.index_python();
        resolver.index_jvm();
        resolver
    }

    fn read_configs(&mut self, config_paths: &[String], read: ReadFile) {
        let mut workspace_globs: Vec<(String, String)> = Vec::new();
        for path in config_paths {
            let dir = parent_dir(path).to_string();
            match file_name(path) {
                "package.json" => {
                    if let Some(package) = read(path).as_deref().and_then(parse_package_json) {
                        workspace_globs.extend(package.workspaces.iter().map(|g| (dir.clone(), g.clone())));
                        self.packages.insert(dir, package);
                    }
                }
                "pnpm-workspace.yaml" => {
                    if let Some(text) = read(path) {
                        workspace_globs.extend(parse_pnpm_workspace(&text).into_iter().map(|g| (dir.clone(), g)));
                    }
                }
                "Cargo.toml" => {
                    if let Some(name) = read(path).as_deref().and_then(parse_cargo_crate_name) {
                        self.rust_crates_by_name.entry(name).or_insert_with(|| dir.clone());
                        self.rust_crates.insert(dir, ());
                    }
                }
                "go.mod" => {
                    if let Some(module) = read(path).as_deref().and_then(parse_go_mod) {
                        self.go_requires.extend(module.requires.iter().cloned());
                        self.go_modules.push((dir, module));
                    }
                }
                "svelte.config.js" => {
                    if let Some(text) = read(path) {
                        let mut aliases = parse_aliases(&text, path, AliasFlavor::SvelteKit);
                        // SvelteKit's built-in alias.
                        aliases.push(Alias {
                            find: "$lib".into(),
                            target: AliasTarget::Local(join(&dir, "src/lib").unwrap_or_default()),
                        });
                        self.aliases.entry(dir).or_default().extend(aliases);
                    }
                }
                name if IMPORT_MAPS.contains(&name) => {
                    if let Some(text) = read(path) {
                        let aliases = parse_import_map(&text, path, read);
                        self.aliases.entry(dir).or_default().extend(aliases);
                    }
                }
                name if VITE_CONFIGS.contains(&name) => {
                    if let Some(text) = read(path) {
                        let aliases = parse_aliases(&text, path, AliasFlavor::Vite);
                        self.aliases.entry(dir).or_default().extend(aliases);
                    }
                }
                _ => {}
            }
        }
        self.workspace_packages = workspace_members(&workspace_globs, &self.packages);
        self.go_modules.sort_by(|a, b| b.1.module_path.len().cmp(&a.1.module_path.len()).then(a.0.cmp(&b.0)));
        self.go_requires.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        self.go_requires.dedup();

        // tsconfig after workspaces: `extends` may name a workspace package.
        let workspace_packages = &self.workspace_packages;
        let package_dir = |name: &str| workspace_packages.get(name).cloned();
        for path in config_paths {
            let name = file_name(path);
            if name != "tsconfig.json" && name != "jsconfig.json" {
                continue;
            }
            let dir = parent_dir(path).to_string();
            // tsconfig.json wins over jsconfig.json in the same folder (sorted: j < t).
            if let Some(config) = load_tsconfig(path, read, &package_dir) {
                self.tsconfigs.insert(dir, config);
            }
        }
    }

    fn index_go(&mut self) {
        for (id, path) in self.paths.iter().enumerate() {
            if path.ends_with(".go") && !path.ends_with("_test.go") {
                self.go_packages.entry(parent_dir(path)).or_default().push(id as FileId);
            }
        }
    }

    /// Source roots are the repository root, the parents of top-level packages (so `src/`
    /// layouts work) and folders holding a Python project file (and their `src/`).
    fn index_python(&mut self) {
        let python_files: Vec<(FileId, &'a str)> = self
            .paths
            .iter()
            .enumerate()
            .filter(|(_, p)| p.ends_with(".py") || p.ends_with(".pyi"))
            .map(|(i, p)| (i as FileId, p.as_str()))
            .collect();
        if python_files.is_empty() {
            return;
        }
        for (_, path) in &python_files {
            if matches!(file_name(path), "__init__.py" | "__init__.pyi") {
                self.python_package_dirs.insert(parent_dir(path));
            }
        }
        let mut roots: HashSet<&str> = HashSet::from([""]);
        for dir in &self.python_package_dirs {
            let parent = parent_dir(dir);
            if !dir.is_empty() && !self.python_package_dirs.contains(parent) {
                roots.insert(parent);
            }
        }
        let mut dirs_with_python: HashSet<&str> = HashSet::new();
        for (_, path) in &python_files {
            dirs_with_python.extend(ancestors(parent_dir(path)));
        }
        for path in self.paths {
            if PYTHON_PROJECT_MARKERS.contains(&file_name(path)) {
                let dir = parent_dir(path);
                roots.insert(dir);
                let src = if dir.is_empty() { "src".to_string() } else { format!("{dir}/src") };
                if let Some(src) = dirs_with_python.get(src.as_str()) {
                    roots.insert(src);
                }
            }
        }
        for (id, path) in python_files {
            for root in ancestors(parent_dir(path)).filter(|dir| roots.contains(dir)) {
                let relative = if root.is_empty() { path } else { &path[root.len() + 1..] };
                let stem = relative.strip_suffix(".py").or_else(|| relative.strip_suffix(".pyi")).unwrap_or(relative);
                let module = stem.strip_suffix("/__init__").unwrap_or(stem);
                if module == "__init__" {
                    continue;
                }
                let dotted = module.replace('/', ".");
                if let Some(top) = dotted.split('.').next() {
                    self.python_top_level.insert(top.to_string());
                }
                self.python_modules.entry(dotted).or_default().push((root, id));
            }
        }
    }

    /// Resolves one specifier written in `importer`.
    pub fn resolve(&self, importer: &str, lang: Lang, specifier: &str) -> Resolution {
        let specifier = specifier.trim();
        match lang {
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript => self.resolve_js(importer, specifier),
            Lang::Python => self.resolve_python(importer, specifier),
            Lang::Go => self.resolve_go(importer, specifier),
            Lang::Rust => self.resolve_rust(importer, specifier),
            Lang::Java => self.resolve_jvm(specifier),
            Lang::Ruby => self.resolve_ruby(importer, specifier),
            _ => Resolution::Unsupported,
        }
    }

    // ---------------------------------------------------------------- JavaScript / TypeScript

    /// In order: URL / `npm:` / `jsr:` / `node:` → external; relative and `/`-rooted paths;
    /// Vite, SvelteKit and Deno aliases of the nearest config; the nearest tsconfig's `paths`
    /// then `baseUrl`; `#subpath` imports of the nearest package.json; workspace packages by
    /// name; anything else is an external package.
    fn resolve_js(&self, importer: &str, raw: &str) -> Resolution {
        let specifier = strip_query(raw);
        if specifier.is_empty() {
            return Resolution::Unresolved;
        }
        if let Some(external) = js_scheme_external(specifier) {
            return external;
        }
        let dir = parent_dir(importer);
        if is_relative(specifier) {
            return self.files_or_unresolved(join(dir, specifier).and_then(|p| self.probe(&p)));
        }
        if let Some(rooted) = specifier.strip_prefix('/') {
            // Vite serves `/src/main.ts` from the project root.
            let root = self
                .nearest(dir, &self.aliases)
                .map(|(d, _)| d)
                .or_else(|| self.nearest(dir, &self.packages).map(|(d, _)| d))
                .unwrap_or("");
            return self.files_or_unresolved(join(root, rooted).and_then(|p| self.probe(&p)));
        }

        let mut specifier = specifier.to_string();
        if let Some((_, aliases)) = self.nearest(dir, &self.aliases) {
            if let Some((alias, rest)) = best_alias(aliases, &specifier) {
                match &alias.target {
                    AliasTarget::Local(target) => {
                        return self.files_or_unresolved(join(target, rest).and_then(|p| self.probe(&p)));
                    }
                    AliasTarget::Bare(bare) => specifier = format!("{bare}{rest}"),
                }
                if let Some(external) = js_scheme_external(&specifier) {
                    return external;
                }
            }
        }

        if let Some((_, tsconfig)) = self.nearest_tsconfig(dir) {
            if let Some((pattern, captured)) = best_path_pattern(&tsconfig.paths, &specifier) {
                for target in &pattern.targets {
                    let candidate = target.replacen('*', captured, 1);
                    if let Some(id) = self.probe(&candidate) {
                        return Resolution::Files(vec![id]);
                    }
                }
                // A catch-all `*`, or a mapping into node_modules (type shims), lets packages
                // through; any other alias is local.
                let into_packages = pattern.targets.iter().all(|t| t.split('/').any(|s| s == "node_modules"));
                if pattern.pattern != "*" && !into_packages {
                    return Resolution::Unresolved;
                }
            }
            if let Some(base) = &tsconfig.base_url {
                if let Some(id) = join(base, &specifier).and_then(|p| self.probe(&p)) {
                    return Resolution::Files(vec![id]);
                }
            }
        }

        if specifier.starts_with('#') {
            // package.json `imports` (subpath imports) of the nearest package.
            let resolved = self.nearest(dir, &self.packages).and_then(|(package_dir, package)| {
                let imports = package.imports.as_ref()?;
                subpath_targets(imports, &specifier)
                    .iter()
                    .find_map(|target| self.probe_package_target(package_dir, target))
            });
            return self.files_or_unresolved(resolved);
        }

        let name = package_name(&specifier);
        if let Some(package_dir) = self.workspace_packages.get(name) {
            let subpath = specifier[name.len()..].trim_start_matches('/');
            let resolved = self
                .packages
                .get(package_dir)
                .and_then(|package| self.resolve_package_entry(package_dir, package, subpath));
            return self.files_or_unresolved(resolved);
        }
        Resolution::External { name: name.to_string(), ecosystem: Ecosystem::Npm }
    }

    fn files_or_unresolved(&self, id: Option<FileId>) -> Resolution {
        id.map_or(Resolution::Unresolved, |id| Resolution::Files(vec![id]))
    }

    /// The nearest folder at or above `dir` with an entry in `by_dir`.
    fn nearest<'m, T>(&self, dir: &str, by_dir: &'m HashMap<String, T>) -> Option<(&'m str, &'m T)> {
        ancestors(dir).find_map(|d| by_dir.get_key_value(d).map(|(k, v)| (k.as_str(), v)))
    }

    fn nearest_tsconfig(&self, dir: &str) -> Option<(&str, &TsConfig)> {
        self.nearest(dir, &self.tsconfigs)
    }

    /// The file a JavaScript module path denotes: exact, TypeScript source for a written
    /// `.js`, with an extension added, or a folder's index file.
    fn probe(&self, path: &str) -> Option<FileId> {
        let lookup = |candidate: &str| self.index.get(candidate).copied();
        if !path.is_empty() {
            if let Some(id) = lookup(path) {
                return Some(id);
            }
            for (written, sources) in WRITTEN_TO_SOURCE {
                if let Some(stem) = path.strip_suffix(written) {
                    if let Some(id) = sources.iter().find_map(|ext| lookup(&format!("{stem}{ext}"))) {
                        return Some(id);
                    }
                }
            }
            let mut candidate = String::with_capacity(path.len() + 12);
            for ext in JS_EXTENSIONS {
                candidate.clear();
                candidate.push_str(path);
                candidate.push_str(ext);
                if let Some(id) = lookup(&candidate) {
                    return Some(id);
                }
            }
        }
        let prefix = if path.is_empty() { String::new() } else { format!("{path}/") };
        JS_EXTENSIONS.iter().find_map(|ext| lookup(&format!("{prefix}index{ext}")))
    }

    /// Entry of a workspace package (`subpath` empty) or a file inside it.
    fn resolve_package_entry(&self, dir: &str, package: &PackageJson, subpath: &str) -> Option<FileId> {
        let key = if subpath.is_empty() { ".".to_string() } else { format!("./{subpath}") };
        if let Some(exports) = &package.exports {
            let found = subpath_targets(exports, &key).iter().find_map(|t| self.probe_package_target(dir, t));
            if found.is_some() {
                return found;
            }
        }
        if subpath.is_empty() {
            package
                .entry_fields
                .iter()
                .find_map(|field| self.probe_package_target(dir, field))
                .or_else(|| self.probe(&join(dir, "src")?))
                .or_else(|| self.probe(dir))
        } else {
            self.probe(&join(dir, subpath)?).or_else(|| self.probe(&join(dir, &format!("src/{subpath}"))?))
        }
    }

    /// A package.json target, or its source when it names an unbuilt `dist/…` file.
    fn probe_package_target(&self, dir: &str, target: &str) -> Option<FileId> {
        let path = join(dir, target)?;
        if let Some(id) = self.probe(&path) {
            return Some(id);
        }
        let relative = join("", target)?;
        let mut segments: Vec<&str> = relative.split('/').collect();
        let build_prefix = segments.iter().take_while(|s| BUILD_FOLDERS.contains(s)).count();
        if build_prefix == 0 || build_prefix == segments.len() {
            return None;
        }
        segments.drain(..build_prefix);
        self.probe(&join(dir, &format!("src/{}", segments.join("/")))?)
    }

    // ---------------------------------------------------------------- Python

    fn resolve_python(&self, importer: &str, specifier: &str) -> Resolution {
        let dir = parent_dir(importer);
        let dots = specifier.chars().take_while(|&c| c == '.').count();
        if dots > 0 {
            let mut base = Some(dir);
            for _ in 1..dots {
                base = base.filter(|b| !b.is_empty()).map(parent_dir);
            }
            let Some(base) = base else {
                return Resolution::Unresolved;
            };
            let parts: Vec<&str> = specifier[dots..].split('.').filter(|p| !p.is_empty()).collect();
            let found = name_lengths(parts.len()).find_map(|n| {
                let module_path = join(base, &parts[..n].join("/"))?;
                self.probe_python(&module_path)
            });
            return self.files_or_unresolved(found);
        }

        let parts: Vec<&str> = specifier.split('.').filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            return Resolution::Unresolved;
        }
        // A script folder (no __init__.py) is on sys.path when the script runs.
        if !self.python_package_dirs.contains(dir) {
            let sibling = name_lengths(parts.len()).find_map(|n| self.probe_python(&join(dir, &parts[..n].join("/"))?));
            if let Some(id) = sibling {
                return Resolution::Files(vec![id]);
            }
        }
        for n in name_lengths(parts.len()) {
            if let Some(candidates) = self.python_modules.get(&parts[..n].join(".")) {
                let in_own_root = candidates
                    .iter()
                    .filter(|(root, _)| is_within(dir, root))
                    .max_by_key(|(root, id)| (root.len(), std::cmp::Reverse(*id)));
                let (_, id) = in_own_root.unwrap_or(&candidates[0]);
                return Resolution::Files(vec![*id]);
            }
        }
        if self.python_top_level.contains(parts[0]) {
            Resolution::Unresolved
        } else {
            Resolution::External { name: parts[0].to_string(), ecosystem: Ecosystem::Python }
        }
    }

    /// `a/b` → `a/b.py`, `a/b.pyi`, `a/b/__init__.py`.
    fn probe_python(&self, module_path: &str) -> Option<FileId> {
        let lookup = |candidate: String| self.index.get(candidate.as_str()).copied();
        if module_path.is_empty() {
            return lookup("__init__.py".into());
        }
        lookup(format!("{module_path}.py"))
            .or_else(|| lookup(format!("{module_path}.pyi")))
            .or_else(|| lookup(format!("{module_path}/__init__.py")))
            .or_else(|| lookup(format!("{module_path}/__init__.pyi")))
    }

    // ---------------------------------------------------------------- Java / Kotlin

    fn index_jvm(&mut self) {
        for (id, path) in self.paths.iter().enumerate() {
            let Some(stem) = path.strip_suffix(".java").or_else(|| path.strip_suffix(".kt")) else {
                continue;
            };
            let dir = parent_dir(path);
            self.jvm_classes.entry(file_name(stem)).or_default().push(id as FileId);
            let files = self.jvm_dir_files.entry(dir).or_default();
            if files.is_empty() {
                self.jvm_dirs.entry(file_name(dir)).or_default().push(dir);
                let segments: Vec<&str> = dir.split('/').collect();
                self.jvm_local_prefixes.extend(segments.windows(2).map(|w| format!("{}.{}", w[0], w[1])));
            }
            files.push(id as FileId);
        }
    }

    /// `import a.b.C` → the file `…/a/b/C.java` (or `.kt`); `a.b.C.Inner` and static
    /// imports fall back to `C`; `a.b.*` links to every file of the package folder.
    fn resolve_jvm(&self, specifier: &str) -> Resolution {
        let specifier = specifier.trim().trim_start_matches("static ").trim_end_matches(';').trim();
        let segments: Vec<&str> = specifier.split('.').filter(|s| !s.is_empty()).collect();
        if segments.last() == Some(&"*") {
            let package = &segments[..segments.len() - 1];
            let suffix = package.join("/");
            let dirs = package.last().and_then(|last| self.jvm_dirs.get(last));
            let dir = dirs.and_then(|dirs| dirs.iter().find(|d| d.ends_with(&suffix) && is_segment_suffix(d, &suffix)));
            if let Some(files) = dir.and_then(|d| self.jvm_dir_files.get(d)) {
                return Resolution::Files(files.clone());
            }
        } else {
            for n in (1..=segments.len()).rev().take(3) {
                let suffix = segments[..n].join("/");
                let found = self.jvm_classes.get(segments[n - 1]).and_then(|files| {
                    files.iter().find(|&&id| {
                        let path = &self.paths[id as usize];
                        let stem = path.rsplit_once('.').map_or(path.as_str(), |(stem, _)| stem);
                        is_segment_suffix(stem, &suffix)
                    })
                });
                if let Some(&id) = found {
                    return Resolution::Files(vec![id]);
                }
            }
        }
        let package: Vec<&str> =
            segments.iter().copied().take_while(|s| s.starts_with(|c: char| c.is_ascii_lowercase())).collect();
        if package.len() >= 2 && self.jvm_local_prefixes.contains(&format!("{}.{}", package[0], package[1])) {
            return Resolution::Unresolved;
        }
        let name = if package.is_empty() {
            segments.first().copied().unwrap_or_default().to_string()
        } else {
            package[..package.len().min(2)].join(".")
        };
        Resolution::External { name, ecosystem: Ecosystem::Maven }
    }

    // ---------------------------------------------------------------- Ruby

    /// `require_relative 'x'` and `require 'x'` arrive alike: the importer's folder first,
    /// then `lib/` and the folder itself of each ancestor (the usual load path), else a gem.
    fn resolve_ruby(&self, importer: &str, specifier: &str) -> Resolution {
        let specifier = specifier.trim();
        let stem = specifier.strip_suffix(".rb").unwrap_or(specifier);
        let probe = |folder: &str, relative: &str| {
            let path = join(folder, relative)?;
            self.index.get(format!("{path}.rb").as_str()).copied()
        };
        let dir = parent_dir(importer);
        if let Some(id) = probe(dir, stem) {
            return Resolution::Files(vec![id]);
        }
        if is_relative(stem) {
            return Resolution::Unresolved;
        }
        let on_load_path = ancestors(dir)
            .find_map(|folder| probe(&join(folder, "lib").unwrap_or_default(), stem).or_else(|| probe(folder, stem)));
        match on_load_path {
            Some(id) => Resolution::Files(vec![id]),
            None => Resolution::External {
                name: stem.split('/').next().unwrap_or(stem).to_string(),
                ecosystem: Ecosystem::Gem,
            },
        }
    }

    // ---------------------------------------------------------------- Rust

    /// `use` paths: `crate::`, `self::`, `super::` and paths relative to the current module
    /// map to module files (`a/b.rs`, `a/b/mod.rs`; trailing item names are dropped); a
    /// workspace crate's name maps into that crate; anything else is an external crate.
    fn resolve_rust(&self, importer: &str, specifier: &str) -> Resolution {
        let path = rust_use_path(specifier);
        let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let Some(&first) = segments.first() else {
            return Resolution::Unresolved;
        };
        let crate_dir = self.nearest(parent_dir(importer), &self.rust_crates).map(|(dir, _)| dir);
        let module = crate_dir.map(|dir| rust_module_of(importer, dir)).unwrap_or_default();
        // The longest module prefix of base + rest, keeping at least `keep` segments.
        let find = |base: &[&str], rest: &[&str], keep: usize| {
            let full: Vec<&str> = base.iter().chain(rest).copied().collect();
            self.rust_module_file(crate_dir?, &full, keep)
        };
        match first {
            "crate" => self.files_or_unresolved(find(&[], &segments[1..], 0)),
            "self" => self.files_or_unresolved(find(&module, &segments[1..], module.len())),
            "super" => {
                let supers = segments.iter().take_while(|s| **s == "super").count();
                match module.len().checked_sub(supers) {
                    Some(depth) => self.files_or_unresolved(find(&module[..depth], &segments[supers..], depth)),
                    None => Resolution::Unresolved,
                }
            }
            _ => {
                // 2018 uniform paths: a child module of the current one comes first.
                if let Some(id) = find(&module, &segments, module.len() + 1) {
                    return Resolution::Files(vec![id]);
                }
                if let Some(dir) = self.rust_crates_by_name.get(first) {
                    return self.files_or_unresolved(self.rust_module_file(dir, &segments[1..], 0));
                }
                Resolution::External { name: first.to_string(), ecosystem: Ecosystem::Cargo }
            }
        }
    }

    /// The file of the longest module prefix of `segments` (at least `keep` segments) in
    /// the crate at `crate_dir`.
    fn rust_module_file(&self, crate_dir: &str, segments: &[&str], keep: usize) -> Option<FileId> {
        let src = join(crate_dir, "src")?;
        let lookup = |candidate: String| self.index.get(candidate.as_str()).copied();
        (keep..=segments.len()).rev().find_map(|n| {
            if n == 0 {
                return lookup(format!("{src}/lib.rs")).or_else(|| lookup(format!("{src}/main.rs")));
            }
            let module = segments[..n].join("/");
            lookup(format!("{src}/{module}.rs")).or_else(|| lookup(format!("{src}/{module}/mod.rs")))
        })
    }

    // ---------------------------------------------------------------- Go

    fn resolve_go(&self, importer: &str, specifier: &str) -> Resolution {
        let package_files = |dir: Option<String>| match dir.and_then(|d| self.go_packages.get(d.as_str())) {
            Some(files) => Resolution::Files(files.clone()),
            None => Resolution::Unresolved,
        };
        if is_relative(specifier) {
            return package_files(join(parent_dir(importer), specifier));
        }
        for (dir, module) in &self.go_modules {
            let path = &module.module_path;
            if specifier == path {
                return package_files(Some(dir.clone()));
            }
            if let Some(rest) = specifier.strip_prefix(path.as_str()).and_then(|r| r.strip_prefix('/')) {
                return package_files(join(dir, rest));
            }
        }
        let required = self
            .go_requires
            .iter()
            .find(|module| specifier == module.as_str() || specifier.starts_with(&format!("{module}/")));
        let name = match required {
            Some(module) => module.clone(),
            None => go_module_guess(specifier),
        };
        Resolution::External { name, ecosystem: Ecosystem::Go }
    }
}

/// `pub use crate::a::{b, c as d};` → `crate::a`; `self::x::*` → `self::x`.
fn rust_use_path(specifier: &str) -> &str {
    let mut path = specifier.trim().trim_end_matches(';').trim();
    for prefix in ["pub(crate) ", "pub ", "use "] {
        path = path.strip_prefix(prefix).unwrap_or(path).trim_start();
    }
    let path = path.split(['{', ' ']).next().unwrap_or(path);
    path.trim_start_matches("::").trim_end_matches('*').trim_end_matches("::")
}

/// The module path of a file inside a crate: `src/a/b.rs` → `[a, b]`, `src/a/mod.rs` →
/// `[a]`; `src/lib.rs`, `src/main.rs`, `src/bin/*` and files outside `src/` are crate roots.
fn rust_module_of<'p>(importer: &'p str, crate_dir: &str) -> Vec<&'p str> {
    let src = if crate_dir.is_empty() { "src/".to_string() } else { format!("{crate_dir}/src/") };
    let Some(relative) = importer.strip_prefix(src.as_str()).and_then(|r| r.strip_suffix(".rs")) else {
        return Vec::new();
    };
    let mut segments: Vec<&str> = relative.split('/').collect();
    if matches!(segments.as_slice(), ["lib"] | ["main"]) || segments.first() == Some(&"bin") {
        return Vec::new();
    }
    if segments.last() == Some(&"mod") {
        segments.pop();
    }
    segments
}

/// The crate name code uses for a Cargo.toml: `[lib] name`, else `[package] name`, with
/// `-` as `_`. `None` for a virtual workspace manifest.
fn parse_cargo_crate_name(text: &str) -> Option<String> {
    let mut section = "";
    let (mut package, mut lib) = (None, None);
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let Some(value) = line.strip_prefix("name").map(str::trim_start).and_then(|r| r.strip_prefix('=')) else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_string();
        match section {
            "[package]" => package = Some(value),
            "[lib]" => lib = Some(value),
            _ => {}
        }
    }
    lib.or(package).map(|name| name.replace('-', "_"))
}

/// How many dotted parts of a Python specifier to try: all of them, then all but the last
/// (an imported name appended to the module), but never none, so that a missing
/// `from ..db import x` stays unresolved instead of landing on `../__init__.py`.
fn name_lengths(parts: usize) -> impl Iterator<Item = usize> {
    let shortest = if parts > 1 { parts - 1 } else { parts };
    (shortest..=parts).rev()
}

/// Whether `path` equals `suffix` or ends with `/` + `suffix`.
fn is_segment_suffix(path: &str, suffix: &str) -> bool {
    path == suffix || (path.ends_with(suffix) && path.as_bytes().get(path.len() - suffix.len() - 1) == Some(&b'/'))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_config_name(name: &str) -> bool {
    matches!(
        name,
        "package.json"
            | "tsconfig.json"
            | "jsconfig.json"
            | "pnpm-workspace.yaml"
            | "go.mod"
            | "svelte.config.js"
            | "Cargo.toml"
    ) || VITE_CONFIGS.contains(&name)
        || IMPORT_MAPS.contains(&name)
}

fn is_relative(specifier: &str) -> bool {
    specifier == "." || specifier == ".." || specifier.starts_with("./") || specifier.starts_with("../")
}

fn strip_query(specifier: &str) -> &str {
    specifier.split('?').next().unwrap_or(specifier)
}

/// The package a bare specifier names: `@scope/name` or `name`, without a subpath.
pub(crate) fn package_name(specifier: &str) -> &str {
    let mut slashes = specifier.match_indices('/').map(|(i, _)| i);
    let end = if specifier.starts_with('@') { slashes.nth(1) } else { slashes.next() };
    end.map_or(specifier, |i| &specifier[..i])
}

/// `name@1.2.3/sub` → `name`; `@scope/name@^2` → `@scope/name`.
fn package_name_without_version(specifier: &str) -> String {
    let specifier = specifier.trim_start_matches('/');
    let name = package_name(specifier);
    let (scope, rest) = match name.split_once('/') {
        Some((scope, rest)) if scope.starts_with('@') => (Some(scope), rest),
        _ => (None, name),
    };
    let unversioned = rest.split('@').next().unwrap_or(rest);
    match scope {
        Some(scope) => format!("{scope}/{unversioned}"),
        None => unversioned.to_string(),
    }
}

/// URL, `npm:`, `jsr:` and `node:` specifiers.
fn js_scheme_external(specifier: &str) -> Option<Resolution> {
    let (name, ecosystem) = if specifier.starts_with("https://") || specifier.starts_with("http://") {
        (url_package_name(specifier), Ecosystem::Url)
    } else if let Some(rest) = specifier.strip_prefix("npm:") {
        (package_name_without_version(rest), Ecosystem::Npm)
    } else if let Some(rest) = specifier.strip_prefix("jsr:") {
        (package_name_without_version(rest), Ecosystem::Jsr)
    } else if specifier.starts_with("node:") {
        (package_name(specifier).to_string(), Ecosystem::Npm)
    } else {
        return None;
    };
    Some(Resolution::External { name, ecosystem })
}

/// The package a CDN URL serves: `https://esm.sh/@supabase/supabase-js@2` →
/// `@supabase/supabase-js`, `https://deno.land/x/oak@v12/mod.ts` → `oak`,
/// `https://deno.land/std@0.200.0/http/server.ts` → `std`; the host when the path names none.
fn url_package_name(url: &str) -> String {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let without_query = without_scheme.split(['?', '#']).next().unwrap_or(without_scheme);
    let mut segments = without_query.split('/');
    let host = segments.next().unwrap_or_default();
    let mut path: Vec<&str> = segments.filter(|s| !s.is_empty()).collect();
    while path.len() > 1 {
        let first = path[0];
        let cdn_prefix = matches!(first, "x" | "npm" | "gh" | "stable" | "pin")
            || (first.len() > 1 && first.starts_with('v') && first[1..].chars().all(|c| c.is_ascii_digit()));
        if !cdn_prefix {
            break;
        }
        path.remove(0);
    }
    if path.is_empty() {
        return host.to_string();
    }
    package_name_without_version(&path.join("/"))
}

/// A Go module path guess for an import not listed in any go.mod: the standard library
/// package as written; `host/owner/repo` for the big forges; `host/name` otherwise.
fn go_module_guess(specifier: &str) -> String {
    let segments: Vec<&str> = specifier.split('/').collect();
    let first = segments[0];
    if !first.contains('.') {
        return specifier.to_string();
    }
    let keep = if matches!(first, "github.com" | "gitlab.com" | "bitbucket.org" | "golang.org") { 3 } else { 2 };
    segments[..keep.min(segments.len())].join("/")
}

/// The alias matching `specifier` with the longest `find`, and the rest after it.
fn best_alias<'s>(aliases: &'s [Alias], specifier: &'s str) -> Option<(&'s Alias, &'s str)> {
    aliases
        .iter()
        .filter_map(|alias| {
            let find = alias.find.as_str();
            let rest = specifier.strip_prefix(find)?;
            let matches = rest.is_empty() || rest.starts_with('/') || find.ends_with('/');
            matches.then_some((alias, rest))
        })
        .max_by_key(|(alias, _)| alias.find.len())
}

/// TypeScript's pattern choice: an exact pattern, else the wildcard pattern with the longest prefix.
fn best_path_pattern<'p, 's>(
    patterns: &'p [super::config::PathPattern],
    specifier: &'s str,
) -> Option<(&'p super::config::PathPattern, &'s str)> {
    if let Some(exact) = patterns.iter().find(|p| p.pattern == specifier) {
        return Some((exact, ""));
    }
    patterns
        .iter()
        .filter_map(|p| {
            let (prefix, suffix) = p.pattern.split_once('*')?;
            let middle = specifier.strip_prefix(prefix)?.strip_suffix(suffix)?;
            Some((p, middle, prefix.len()))
        })
        .max_by_key(|(_, _, prefix_len)| *prefix_len)
        .map(|(p, middle, _)| (p, middle))
}

/// Targets of package.json `exports` / `imports` for `key` (`.`, `./sub`, `#internal`),
/// conditions in a source-first order.
fn subpath_targets(map: &Value, key: &str) -> Vec<String> {
    let entries = match map {
        Value::Object(object) if object.keys().any(|k| k.starts_with('.') || k.starts_with('#')) => object,
        // Sugar: `"exports": "./index.js"` or a conditions object means `{ ".": … }`.
        other => {
            return if key == "." { condition_targets(other) } else { Vec::new() };
        }
    };
    if let Some(value) = entries.get(key) {
        return condition_targets(value);
    }
    let best = entries
        .iter()
        .filter_map(|(pattern, value)| {
            let (prefix, suffix) = pattern.split_once('*')?;
            let middle = key.strip_prefix(prefix)?.strip_suffix(suffix)?;
            Some((prefix.len(), middle, value))
        })
        .max_by_key(|(prefix_len, _, _)| *prefix_len);
    match best {
        Some((_, middle, value)) => condition_targets(value).into_iter().map(|t| t.replace('*', middle)).collect(),
        None => Vec::new(),
    }
}

fn condition_targets(value: &Value) -> Vec<String> {
    const PREFERRED: &[&str] = &["source", "import", "module", "default", "require", "node", "browser", "types"];
    match value {
        Value::String(target) => vec![target.clone()],
        Value::Array(items) => items.iter().flat_map(condition_targets).collect(),
        Value::Object(conditions) => {
            let mut keys: Vec<&String> = conditions.keys().collect();
            keys.sort_by_key(|k| (PREFERRED.iter().position(|p| p == k).unwrap_or(PREFERRED.len()), k.to_string()));
            keys.into_iter().flat_map(|k| condition_targets(&conditions[k])).collect()
        }
        _ => Vec::new(),
    }
}

/// Workspace package name → folder, for package.json files matched by the workspace globs.
fn workspace_members(globs: &[(String, String)], packages: &HashMap<String, PackageJson>) -> HashMap<String, String> {
    let mut members = HashMap::new();
    if globs.is_empty() {
        return members;
    }
    let build = |negated: bool| {
        let mut builder = GlobSetBuilder::new();
        for (dir, glob) in globs {
            let (is_negated, pattern) = match glob.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, glob.as_str()),
            };
            if is_negated != negated {
                continue;
            }
            let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
            let anchored = if dir.is_empty() { pattern.to_string() } else { format!("{dir}/{pattern}") };
            if let Ok(glob) = GlobBuilder::new(&anchored).literal_separator(true).build() {
                builder.add(glob);
            }
        }
        builder.build().unwrap_or_else(|_| GlobSet::empty())
    };
    let (included, excluded) = (build(false), build(true));
    let mut dirs: Vec<&String> = packages.keys().collect();
    dirs.sort();
    for dir in dirs {
        if included.is_match(dir.as_str()) && !excluded.is_match(dir.as_str()) {
            if let Some(name) = &packages[dir].name {
                members.entry(name.clone()).or_insert_with(|| dir.clone());
            }
        }
    }
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_from_specifiers_and_urls() {
        assert_eq!(package_name("@supabase/supabase-js/dist/module/index"), "@supabase/supabase-js");
        assert_eq!(package_name("react-dom/client"), "react-dom");
        assert_eq!(package_name("lodash"), "lodash");
        assert_eq!(url_package_name("https://esm.sh/@supabase/supabase-js@2.39.0"), "@supabase/supabase-js");
        assert_eq!(url_package_name("https://esm.sh/v135/stripe@14.0.0?target=deno"), "stripe");
        assert_eq!(url_package_name("https://deno.land/std@0.168.0/http/server.ts"), "std");
        assert_eq!(url_package_name("https://deno.land/x/oak@v12.6.1/mod.ts"), "oak");
        assert_eq!(url_package_name("https://cdn.jsdelivr.net/npm/lodash@4.17.21/lodash.min.js"), "lodash");
        assert_eq!(url_package_name("https://example.com/"), "example.com");
        assert_eq!(package_name_without_version("@std/path@^1.0.0/join"), "@std/path");
    }

    #[test]
    fn go_module_guesses() {
        assert_eq!(go_module_guess("net/http"), "net/http");
        assert_eq!(go_module_guess("github.com/stretchr/testify/assert"), "github.com/stretchr/testify");
        assert_eq!(go_module_guess("go.uber.org/zap/zapcore"), "go.uber.org/zap");
    }

    #[test]
    fn exports_conditions_prefer_sources_and_patterns_substitute() {
        let exports: Value = serde_json::json!({
            ".": { "types": "./dist/index.d.ts", "import": "./dist/index.mjs", "require": "./dist/index.cjs" },
            "./components/*": "./src/components/*.tsx",
            "./package.json": "./package.json"
        });
        assert_eq!(subpath_targets(&exports, "."), vec!["./dist/index.mjs", "./dist/index.cjs", "./dist/index.d.ts"]);
        assert_eq!(subpath_targets(&exports, "./components/Button"), vec!["./src/components/Button.tsx"]);
        assert!(subpath_targets(&exports, "./missing").is_empty());
        assert_eq!(subpath_targets(&serde_json::json!("./index.js"), "."), vec!["./index.js"]);
    }
}
