//! Fixture repositories as in-memory file maps. Imports are read from the fixture source
//! by a deliberately small line scanner (the real extractor uses tree-sitter), so the
//! fixtures read like the code they stand for.

use super::*;
use crate::model::ImportKind;

fn lang_of(path: &str) -> Lang {
    match path.rsplit('.').next().unwrap_or("") {
        "ts" | "mts" | "cts" => Lang::TypeScript,
        "tsx" => Lang::Tsx,
        "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
        "py" => Lang::Python,
        "go" => Lang::Go,
        "rs" => Lang::Rust,
        "java" => Lang::Java,
        "rb" => Lang::Ruby,
        "sql" => Lang::Sql,
        "json" => Lang::Json,
        "yaml" | "yml" => Lang::Yaml,
        "css" => Lang::Css,
        _ => Lang::Other,
    }
}

fn quoted_after(line: &str, keyword: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in line.match_indices(keyword) {
        let rest = line[at + keyword.len()..].trim_start();
        if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) {
            if let Some(end) = rest[1..].find(quote) {
                found.push(rest[1..1 + end].to_string());
            }
        }
    }
    found
}

/// Import specifiers in the shape the extractor produces (see `resolve`'s module docs).
fn scan_imports(lang: Lang, text: &str) -> Vec<Import> {
    let mut imports = Vec::new();
    let mut in_go_block = false;
    for (index, line) in text.lines().enumerate() {
        let mut push = |specifier: String, kind: ImportKind| {
            imports.push(Import { specifier, line: index as u32 + 1, kind });
        };
        let trimmed = line.trim();
        match lang {
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript => {
                for s in quoted_after(line, "from ").into_iter().chain(quoted_after(line, "import ")) {
                    push(s, ImportKind::Static);
                }
                for s in quoted_after(line, "import(") {
                    push(s, ImportKind::Dynamic);
                }
                for s in quoted_after(line, "require(") {
                    push(s, ImportKind::Require);
                }
            }
            Lang::Python => {
                if let Some(rest) = trimmed.strip_prefix("from ") {
                    if let Some((module, _)) = rest.split_once(" import ") {
                        push(module.trim().to_string(), ImportKind::Static);
                    }
                } else if let Some(rest) = trimmed.strip_prefix("import ") {
                    for module in rest.split(',') {
                        let module = module.split(" as ").next().unwrap_or("").trim();
                        push(module.to_string(), ImportKind::Static);
                    }
                }
            }
            Lang::Rust => {
                let after_pub = trimmed.strip_prefix("pub ").unwrap_or(trimmed);
                if let Some(path) = after_pub.strip_prefix("use ") {
                    push(path.trim_end_matches(';').to_string(), ImportKind::Static);
                }
            }
            Lang::Java => {
                if let Some(name) = trimmed.strip_prefix("import ") {
                    push(name.trim_end_matches(';').to_string(), ImportKind::Static);
                }
            }
            Lang::Go => {
                if trimmed == "import (" {
                    in_go_block = true;
                } else if in_go_block && trimmed == ")" {
                    in_go_block = false;
                } else if in_go_block || trimmed.starts_with("import ") {
                    if let Some(s) = quoted_after(&format!(" {trimmed}"), " ").into_iter().next() {
                        push(s, ImportKind::Static);
                    }
                }
            }
            _ => {}
        }
    }
    imports
}

struct Fixture {
    files: Vec<(String, Lang, Vec<Import>)>,
    text: HashMap<String, String>,
}

impl Fixture {
    fn new(files: &[(&str, &str)]) -> Self {
        let text: HashMap<String, String> = files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        let files = files
            .iter()
            .map(|(path, source)| {
                let lang = lang_of(path);
                (path.to_string(), lang, scan_imports(lang, source))
            })
            .collect();
        Fixture { files, text }
    }

    fn graph(&self) -> ImportGraph {
        let sources: Vec<SourceFile> =
            self.files.iter().map(|(path, lang, imports)| SourceFile { path, lang: *lang, imports }).collect();
        build(&sources, &|p: &str| self.text.get(p).cloned())
    }
}

fn graph_of(files: &[(&str, &str)]) -> ImportGraph {
    Fixture::new(files).graph()
}

/// What `from` imports: file paths, and `pkg:name` for external packages.
fn imports(graph: &ImportGraph, from: &str) -> Vec<String> {
    let mut targets: Vec<String> = graph
        .edges()
        .into_iter()
        .filter(|e| e.from == from)
        .map(|e| if e.external { format!("pkg:{}", e.to) } else { e.to })
        .collect();
    targets.sort();
    targets
}

fn unresolved(graph: &ImportGraph) -> Vec<(String, String)> {
    graph.unresolved().iter().map(|u| (u.path.clone(), u.specifier.clone())).collect()
}

#[test]
fn vite_app_resolves_the_at_alias_and_leaves_scoped_packages_external() {
    let graph = graph_of(&[
        ("package.json", r#"{ "name": "dashboard", "private": true, "type": "module" }"#),
        (
            "vite.config.ts",
            r#"import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import path from 'path'

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@': path.resolve(__dirname, './src'),
    },
  },
})
"#,
        ),
        ("tsconfig.json", r#"{ "files": [], "references": [{ "path": "./tsconfig.app.json" }] }"#),
        ("tsconfig.app.json", r#"{ "compilerOptions": { "jsx": "react-jsx" }, "include": ["src"] }"#),
        (
            "src/main.tsx",
            "import React from 'react'\nimport ReactDOM from 'react-dom/client'\nimport App from './App'\nimport './index.css'\n",
        ),
        ("src/index.css", "body { margin: 0 }"),
        (
            "src/App.tsx",
            r#"import { QueryClient } from '@tanstack/react-query'
import { Header } from '@/components/Header'
import { supabase } from '@/lib/supabase'
import { useAuth } from '@/hooks/useAuth'
const Settings = lazy(() => import('@/pages/Settings'))
"#,
        ),
        ("src/components/Header.tsx", "import logo from '@/assets/logo.svg'\n"),
        ("src/assets/logo.svg", "<svg/>"),
        ("src/lib/supabase.ts", "import { createClient } from '@supabase/supabase-js'\n"),
        ("src/pages/Settings.tsx", "export default function Settings() {}\n"),
    ]);
    assert_eq!(
        imports(&graph, "src/App.tsx"),
        vec!["pkg:@tanstack/react-query", "src/components/Header.tsx", "src/lib/supabase.ts", "src/pages/Settings.tsx",]
    );
    assert_eq!(imports(&graph, "src/main.tsx"), vec!["pkg:react", "pkg:react-dom", "src/App.tsx", "src/index.css"]);
    assert_eq!(imports(&graph, "src/components/Header.tsx"), vec!["src/assets/logo.svg"]);
    // The alias names a local folder: a missing target is unresolved, not a package "@".
    assert_eq!(unresolved(&graph), vec![("src/App.tsx".to_string(), "@/hooks/useAuth".to_string())]);
    assert!(graph.external().iter().all(|p| p.name != "@"));
}

#[test]
fn nextjs_tsconfig_paths_through_extends_with_comments_and_trailing_commas() {
    let graph = graph_of(&[
        (
            "tsconfig.base.json",
            r#"{
  // Shared by the app and the scripts.
  "compilerOptions": {
    "strict": true,
    /* aliases */
    "paths": {
      "@/*": ["./src/*"],
      "@emails/*": ["./emails/*", "./src/emails/*"],
      "react": ["./node_modules/@types/react"],
    },
  },
}"#,
        ),
        (
            "tsconfig.json",
            r#"{
  "extends": "./tsconfig.base.json",
  "compilerOptions": { "plugins": [{ "name": "next" }] },
  "include": ["next-env.d.ts", "**/*.ts", "**/*.tsx"],
}"#,
        ),
        (
            "src/app/page.tsx",
            r#"import Link from 'next/link'
import { Button } from '@/components/ui/button'
import { db } from '@/lib/db'
import { WelcomeEmail } from '@emails/welcome'
import { useState } from 'react'
"#,
        ),
        ("src/components/ui/button.tsx", "import { cn } from '@/lib/utils'\n"),
        ("src/lib/utils.ts", "import { clsx } from 'clsx'\n"),
        ("src/lib/db/index.ts", "import { PrismaClient } from '@prisma/client'\n"),
        ("src/emails/welcome.tsx", "export function WelcomeEmail() {}\n"),
    ]);
    assert_eq!(
        imports(&graph, "src/app/page.tsx"),
        vec!["pkg:next", "pkg:react", "src/components/ui/button.tsx", "src/emails/welcome.tsx", "src/lib/db/index.ts"]
    );
    assert_eq!(imports(&graph, "src/components/ui/button.tsx"), vec!["src/lib/utils.ts"]);
    assert_eq!(imports(&graph, "src/lib/db/index.ts"), vec!["pkg:@prisma/client"]);
    assert!(graph.unresolved().is_empty());
}

#[test]
fn npm_workspace_packages_resolve_by_name_to_their_sources() {
    let graph = graph_of(&[
        ("package.json", r#"{ "name": "acme", "private": true, "workspaces": ["apps/*", "packages/*"] }"#),
        (
            "packages/ui/package.json",
            r#"{
  "name": "@acme/ui",
  "main": "./dist/index.js",
  "exports": {
    ".": { "types": "./dist/index.d.ts", "import": "./dist/index.mjs" },
    "./button": "./src/button.tsx"
  }
}"#,
        ),
        ("packages/ui/src/index.ts", "export * from './button'\nexport * from './card'\n"),
        ("packages/ui/src/button.tsx", "import * as React from 'react'\n"),
        ("packages/ui/src/card.tsx", "import * as React from 'react'\n"),
        ("packages/utils/package.json", r#"{ "name": "@acme/utils", "main": "dist/index.js" }"#),
        ("packages/utils/src/index.ts", "export const formatPrice = () => {}\n"),
        // Outside the workspace globs: importing it by name is an external package.
        ("tools/codegen/package.json", r#"{ "name": "@acme/codegen", "main": "index.js" }"#),
        ("tools/codegen/index.js", "module.exports = {}\n"),
        ("apps/web/package.json", r#"{ "name": "@acme/web", "dependencies": { "@acme/ui": "*" } }"#),
        (
            "apps/web/app/page.tsx",
            r#"import { Card } from '@acme/ui'
import { Button } from '@acme/ui/button'
import { formatPrice } from '@acme/utils'
import { generate } from '@acme/codegen'
import { Badge } from '@acme/ui/badge'
"#,
        ),
    ]);
    assert_eq!(
        imports(&graph, "apps/web/app/page.tsx"),
        vec![
            "packages/ui/src/button.tsx",
            "packages/ui/src/index.ts",
            "packages/utils/src/index.ts",
            "pkg:@acme/codegen",
        ]
    );
    assert_eq!(unresolved(&graph), vec![("apps/web/app/page.tsx".to_string(), "@acme/ui/badge".to_string())]);
}

#[test]
fn pnpm_workspace_globs_map_package_names() {
    let graph = graph_of(&[
        ("package.json", r#"{ "name": "root", "private": true }"#),
        ("pnpm-workspace.yaml", "packages:\n  - 'apps/*'\n  - 'packages/*'\n"),
        ("packages/db/package.json", r#"{ "name": "@repo/db", "exports": { ".": "./src/client.ts" } }"#),
        ("packages/db/src/client.ts", "import { drizzle } from 'drizzle-orm/postgres-js'\n"),
        ("apps/api/src/routes/orders.ts", "import { db } from '@repo/db'\n"),
    ]);
    assert_eq!(imports(&graph, "apps/api/src/routes/orders.ts"), vec!["packages/db/src/client.ts"]);
    assert_eq!(imports(&graph, "packages/db/src/client.ts"), vec!["pkg:drizzle-orm"]);
}

#[test]
fn esm_js_specifiers_map_to_typescript_sources() {
    let graph = graph_of(&[
        (
            "src/server.ts",
            r#"import { usersRouter } from './routes/users.js'
import { pool } from './db.js'
import type { Config } from './config.js'
"#,
        ),
        ("src/routes/users.ts", "import { Router } from 'express'\n"),
        // A real JavaScript file stays itself.
        ("src/db.js", "const { Pool } = require('pg')\n"),
        ("src/config.d.ts", "export interface Config {}\n"),
    ]);
    assert_eq!(imports(&graph, "src/server.ts"), vec!["src/config.d.ts", "src/db.js", "src/routes/users.ts"]);
    assert_eq!(imports(&graph, "src/db.js"), vec!["pkg:pg"]);
}

#[test]
fn relative_import_to_a_missing_file_is_unresolved_not_external() {
    let graph = graph_of(&[("src/index.ts", "import { helper } from './utils/helper'\nimport lodash from 'lodash'\n")]);
    assert_eq!(unresolved(&graph), vec![("src/index.ts".to_string(), "./utils/helper".to_string())]);
    assert_eq!(graph.unresolved()[0].line, 1);
    assert_eq!(imports(&graph, "src/index.ts"), vec!["pkg:lodash"]);
}

#[test]
fn python_package_with_relative_and_absolute_imports() {
    let graph = graph_of(&[
        ("backend/pyproject.toml", "[project]\nname = \"shop-api\"\n"),
        ("backend/app/__init__.py", ""),
        (
            "backend/app/main.py",
            r#"from fastapi import FastAPI
from .routers import users
from app.core.config import settings
from . import models
import os.path
"#,
        ),
        ("backend/app/routers/__init__.py", ""),
        (
            "backend/app/routers/users.py",
            r#"from fastapi import APIRouter, Depends
import sqlalchemy.orm
from ..models.user import User
from ..db import get_session
from app.services import billing
"#,
        ),
        ("backend/app/models/__init__.py", "from .user import User\n"),
        ("backend/app/models/user.py", "from sqlalchemy.orm import Mapped\n"),
        ("backend/app/core/config.py", "from pydantic_settings import BaseSettings\n"),
        ("backend/app/services/__init__.py", ""),
        ("backend/app/services/billing.py", "import stripe\n"),
        ("backend/scripts/seed.py", "import helpers\nfrom app.models.user import User\n"),
        ("backend/scripts/helpers.py", "import random\n"),
    ]);
    assert_eq!(
        imports(&graph, "backend/app/main.py"),
        vec![
            "backend/app/__init__.py",
            "backend/app/core/config.py",
            "backend/app/routers/__init__.py",
            "pkg:fastapi",
            "pkg:os",
        ]
    );
    assert_eq!(
        imports(&graph, "backend/app/routers/users.py"),
        vec!["backend/app/models/user.py", "backend/app/services/__init__.py", "pkg:fastapi", "pkg:sqlalchemy"]
    );
    assert_eq!(imports(&graph, "backend/app/models/__init__.py"), vec!["backend/app/models/user.py"]);
    assert_eq!(
        imports(&graph, "backend/scripts/seed.py"),
        vec!["backend/app/models/user.py", "backend/scripts/helpers.py"]
    );
    assert_eq!(unresolved(&graph), vec![("backend/app/routers/users.py".to_string(), "..db".to_string())]);
    let python: Vec<&str> =
        graph.external().iter().filter(|p| p.ecosystem == Ecosystem::Python).map(|p| p.name.as_str()).collect();
    assert_eq!(python, vec!["fastapi", "os", "pydantic_settings", "random", "sqlalchemy", "stripe"]);
}

#[test]
fn python_src_layout_and_dotted_name_forms() {
    let graph = graph_of(&[
        ("pyproject.toml", "[project]\nname = \"ledger\"\n"),
        ("src/ledger/__init__.py", ""),
        ("src/ledger/accounts.py", "from ledger.money import Money\nfrom .money import round_half_even\n"),
        ("src/ledger/money.py", "from decimal import Decimal\n"),
        ("tests/test_accounts.py", "from ledger.accounts import open_account\nimport pytest\n"),
    ]);
    assert_eq!(imports(&graph, "src/ledger/accounts.py"), vec!["src/ledger/money.py"]);
    assert_eq!(imports(&graph, "tests/test_accounts.py"), vec!["pkg:pytest", "src/ledger/accounts.py"]);

    // `from . import money` may arrive as `.` or as `.money`; the imported name may be appended.
    let paths = vec!["src/ledger/__init__.py".to_string(), "src/ledger/money.py".to_string()];
    let resolver = Resolver::new(&paths, &|_| None);
    let files = |r: Resolution| match r {
        Resolution::Files(ids) => ids.iter().map(|&i| paths[i as usize].clone()).collect::<Vec<_>>(),
        other => panic!("expected files, got {other:?}"),
    };
    let from = "src/ledger/accounts.py";
    assert_eq!(files(resolver.resolve(from, Lang::Python, ".")), vec!["src/ledger/__init__.py"]);
    assert_eq!(files(resolver.resolve(from, Lang::Python, ".money")), vec!["src/ledger/money.py"]);
    assert_eq!(files(resolver.resolve(from, Lang::Python, ".money.Money")), vec!["src/ledger/money.py"]);
    assert_eq!(files(resolver.resolve(from, Lang::Python, "ledger.money.Money")), vec!["src/ledger/money.py"]);
    assert_eq!(resolver.resolve("src/x.py", Lang::Python, "...too.far"), Resolution::Unresolved);
}

#[test]
fn go_module_imports_link_to_every_file_of_the_package() {
    let graph = graph_of(&[
        (
            "go.mod",
            "module github.com/acme/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/jackc/pgx/v5 v5.5.0\n)\n",
        ),
        (
            "cmd/api/main.go",
            r#"package main

import (
	"log"
	"net/http"

	"github.com/acme/shop/internal/store"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/acme/shop/internal/payments"
)
"#,
        ),
        ("internal/store/store.go", "package store\n\nimport \"github.com/jackc/pgx/v5/pgxpool\"\n"),
        ("internal/store/orders.go", "package store\n"),
        ("internal/store/orders_test.go", "package store\n\nimport \"testing\"\n"),
    ]);
    assert_eq!(
        imports(&graph, "cmd/api/main.go"),
        vec![
            "internal/store/orders.go",
            "internal/store/store.go",
            "pkg:github.com/go-chi/chi/v5",
            "pkg:log",
            "pkg:net/http",
        ]
    );
    assert_eq!(imports(&graph, "internal/store/store.go"), vec!["pkg:github.com/jackc/pgx/v5"]);
    assert_eq!(
        unresolved(&graph),
        vec![("cmd/api/main.go".to_string(), "github.com/acme/shop/internal/payments".to_string())]
    );
}

#[test]
fn deno_url_npm_and_jsr_specifiers_become_external_packages() {
    let graph = graph_of(&[
        (
            "supabase/functions/checkout/index.ts",
            r#"import { serve } from 'https://deno.land/std@0.168.0/http/server.ts'
import Stripe from 'https://esm.sh/stripe@14.10.0?target=deno'
import { createClient } from 'npm:@supabase/supabase-js@2.39.3'
import { join } from 'jsr:@std/path@^1.0.0'
import { Buffer } from 'node:buffer'
import { corsHeaders } from '../_shared/cors.ts'
"#,
        ),
        ("supabase/functions/_shared/cors.ts", "export const corsHeaders = {}\n"),
    ]);
    assert_eq!(
        imports(&graph, "supabase/functions/checkout/index.ts"),
        vec![
            "pkg:@std/path",
            "pkg:@supabase/supabase-js",
            "pkg:node:buffer",
            "pkg:std",
            "pkg:stripe",
            "supabase/functions/_shared/cors.ts",
        ]
    );
    let ecosystem = |name: &str| graph.external().iter().find(|p| p.name == name).map(|p| p.ecosystem);
    assert_eq!(ecosystem("stripe"), Some(Ecosystem::Url));
    assert_eq!(ecosystem("@std/path"), Some(Ecosystem::Jsr));
    assert_eq!(ecosystem("@supabase/supabase-js"), Some(Ecosystem::Npm));
}

#[test]
fn import_cycle_is_reported_and_files_outside_it_are_not() {
    let graph = graph_of(&[
        ("src/store/cart.ts", "import { applyDiscount } from './pricing'\n"),
        ("src/store/pricing.ts", "import { getUser } from './session'\n"),
        ("src/store/session.ts", "import { clearCart } from './cart'\n"),
        ("src/pages/checkout.ts", "import { cart } from '../store/cart'\n"),
        ("src/legacy/self.js", "const self = require('./self')\n"),
    ]);
    let cycles: Vec<Vec<String>> = graph.cycles().iter().map(|c| c.files.clone()).collect();
    assert_eq!(
        cycles,
        vec![
            vec!["src/legacy/self.js".to_string()],
            vec![
                "src/store/cart.ts".to_string(),
                "src/store/pricing.ts".to_string(),
                "src/store/session.ts".to_string()
            ],
        ]
    );
    let metrics = graph.metrics();
    let cycle_of = |path: &str| metrics.iter().find(|m| m.path == path).unwrap().cycle;
    assert_eq!(cycle_of("src/store/pricing.ts"), Some(1));
    assert_eq!(cycle_of("src/pages/checkout.ts"), None);
    // A self-import is a cycle but not fan-in.
    assert_eq!(metrics.iter().find(|m| m.path == "src/legacy/self.js").unwrap().fan_in, 0);
}

#[test]
fn pagerank_puts_the_shared_client_first_and_sums_to_one() {
    let mut files = vec![("src/lib/db.ts", "import { Pool } from 'pg'\n")];
    let routes = ["users", "orders", "invoices", "products", "webhooks", "reports"];
    let sources: Vec<(String, String)> = routes
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // Every route uses the database; only half of them log.
            let log = if i % 2 == 0 { "import { log } from '../lib/log'\n" } else { "" };
            (format!("src/routes/{r}.ts"), format!("import {{ db }} from '../lib/db'\n{log}"))
        })
        .collect();
    files.extend(sources.iter().map(|(p, s)| (p.as_str(), s.as_str())));
    files.push(("src/lib/log.ts", "import pino from 'pino'\n"));
    files.push(("src/index.ts", "import users from './routes/users'\n"));
    let graph = graph_of(&files);
    let metrics = graph.metrics();
    let sum: f64 = metrics.iter().map(|m| m.pagerank).sum();
    assert!((sum - 1.0).abs() < 1e-6, "ranks sum to {sum}");
    let mut by_rank = metrics.clone();
    by_rank.sort_by(|a, b| b.pagerank.total_cmp(&a.pagerank));
    assert_eq!(by_rank[0].path, "src/lib/db.ts");
    let db = metrics.iter().find(|m| m.path == "src/lib/db.ts").unwrap();
    assert_eq!((db.fan_in, db.fan_out, db.external_imports), (6, 0, 1));
    let users = metrics.iter().find(|m| m.path == "src/routes/users.ts").unwrap();
    assert_eq!((users.fan_in, users.fan_out), (1, 2));
    let log = metrics.iter().find(|m| m.path == "src/lib/log.ts").unwrap();
    assert!(db.pagerank > log.pagerank && log.pagerank > users.pagerank);
}

#[test]
fn communities_split_two_features_joined_by_one_import() {
    let graph = graph_of(&[
        ("src/billing/invoice.ts", "import { tax } from './tax'\nimport { money } from './money'\n"),
        ("src/billing/tax.ts", "import { money } from './money'\nimport { rates } from './rates'\n"),
        ("src/billing/money.ts", "import { rates } from './rates'\n"),
        ("src/billing/rates.ts", "import { currentUser } from '../auth/session'\n"),
        ("src/auth/session.ts", "import { token } from './token'\nimport { cookie } from './cookie'\n"),
        ("src/auth/token.ts", "import { cookie } from './cookie'\nimport { keys } from './keys'\n"),
        ("src/auth/cookie.ts", "import { keys } from './keys'\n"),
        ("src/auth/keys.ts", ""),
    ]);
    let metrics = graph.metrics();
    let community = |path: &str| metrics.iter().find(|m| m.path == path).unwrap().community;
    let billing: BTreeSet<usize> =
        ["invoice", "tax", "money", "rates"].iter().map(|f| community(&format!("src/billing/{f}.ts"))).collect();
    let auth: BTreeSet<usize> =
        ["session", "token", "cookie", "keys"].iter().map(|f| community(&format!("src/auth/{f}.ts"))).collect();
    assert_eq!(billing.len(), 1, "billing stays together");
    assert_eq!(auth.len(), 1, "auth stays together");
    assert_ne!(billing, auth);
}

#[test]
fn hidden_coupling_keeps_only_pairs_without_any_import_path() {
    let graph = graph_of(&[
        ("src/api/orders.ts", "import { createOrder } from '../services/orders'\n"),
        ("src/services/orders.ts", "import { db } from '../db/client'\n"),
        ("src/db/client.ts", ""),
        ("src/emails/receipt.ts", "import { render } from '@react-email/render'\n"),
        ("prisma/schema.prisma", "model Order { id Int @id }\n"),
        ("internal/store/store.go", "package store\n"),
        ("internal/store/orders.go", "package store\n"),
    ]);
    let pairs = vec![
        ("src/api/orders.ts", "src/db/client.ts", 0.9), // linked through the service
        ("src/db/client.ts", "src/api/orders.ts", 0.9), // same, other direction
        ("src/api/orders.ts", "src/emails/receipt.ts", 0.8), // hidden
        ("src/db/client.ts", "prisma/schema.prisma", 0.7), // hidden: schema is not imported
        ("src/api/orders.ts", "src/api/deleted.ts", 0.6), // no longer in the tree
        ("internal/store/store.go", "internal/store/orders.go", 0.9), // one Go package
    ];
    let hidden = graph.hidden_coupling(&pairs, |p| (p.0, p.1));
    let hidden: Vec<(&str, &str)> = hidden.iter().map(|p| (p.0, p.1)).collect();
    assert_eq!(
        hidden,
        vec![("src/api/orders.ts", "src/emails/receipt.ts"), ("src/db/client.ts", "prisma/schema.prisma")]
    );
    assert!(graph.has_import_path("src/db/client.ts", "src/api/orders.ts"));
    assert!(!graph.has_import_path("src/emails/receipt.ts", "src/db/client.ts"));
}

#[test]
fn reachable_from_entry_points_follows_imports_transitively() {
    let graph = graph_of(&[
        ("src/main.ts", "import { app } from './app'\n"),
        ("src/app.ts", "import { router } from './router'\nimport express from 'express'\n"),
        ("src/router.ts", ""),
        ("src/unused/old-router.ts", "import { router } from '../router'\n"),
    ]);
    let reached = graph.reachable_from(["src/main.ts", "src/not-a-file.ts"]);
    let expected: BTreeSet<String> =
        ["src/app.ts", "src/main.ts", "src/router.ts"].iter().map(|s| s.to_string()).collect();
    assert_eq!(reached, expected);
    assert_eq!(graph.importers_of("src/router.ts"), vec!["src/app.ts", "src/unused/old-router.ts"]);
}

#[test]
fn edges_are_deduplicated_with_a_count_and_the_first_line() {
    let graph = graph_of(&[
        (
            "src/page.tsx",
            "import { a } from './util'\nimport type { B } from './util'\nimport React from 'react'\nconst u = await import('./util')\n",
        ),
        ("src/util.ts", ""),
    ]);
    let edges = graph.edges();
    let util = edges.iter().find(|e| e.to == "src/util.ts").unwrap();
    assert_eq!((util.count, util.line), (3, 1));
    assert_eq!(edges.len(), 2);
    assert_eq!(graph.external()[0], ExternalPackage { name: "react".into(), ecosystem: Ecosystem::Npm, importers: 1 });
}

#[test]
fn output_does_not_depend_on_input_order() {
    let files = [
        ("src/a.ts", "import { b } from './b'\nimport x from 'x'\n"),
        ("src/b.ts", "import { c } from './c'\n"),
        ("src/c.ts", "import { a } from './a'\nimport { gone } from './gone'\n"),
        ("src/d.ts", "import { a } from './a'\n"),
    ];
    let mut reversed = files;
    reversed.reverse();
    let forward = serde_json::to_string(&graph_of(&files).report()).unwrap();
    let backward = serde_json::to_string(&graph_of(&reversed).report()).unwrap();
    assert_eq!(forward, backward);
}

#[test]
fn rust_use_paths_map_to_module_files_and_workspace_crates() {
    let graph = graph_of(&[
        ("Cargo.toml", "[workspace]\nmembers = [\".\", \"crates/*\"]\n\n[package]\nname = \"plumb-cli\"\n\n[lib]\nname = \"plumb\"\n"),
        ("src/lib.rs", "pub mod graph;\npub mod model;\npub mod walk;\n"),
        ("src/main.rs", "use plumb::graph::build;\nuse clap::Parser;\n"),
        ("src/model.rs", "use serde::{Deserialize, Serialize};\n"),
        ("src/walk.rs", ""),
        (
            "src/graph/mod.rs",
            "use std::collections::HashMap;\n\nuse crate::model::{Import, Lang};\nuse self::resolve::Resolver;\nuse acme_core::ledger::Entry;\npub use resolve::Ecosystem;\n",
        ),
        ("src/graph/resolve.rs", "use super::path::join;\nuse super::super::walk::*;\nuse crate::missing::Thing;\n"),
        ("src/graph/path.rs", ""),
        ("crates/core/Cargo.toml", "[package]\nname = \"acme-core\"\nversion = \"0.1.0\"\n"),
        ("crates/core/src/lib.rs", "pub mod ledger;\n"),
        ("crates/core/src/ledger.rs", "use crate::Error;\n"),
    ]);
    assert_eq!(imports(&graph, "src/main.rs"), vec!["pkg:clap", "src/graph/mod.rs"]);
    assert_eq!(
        imports(&graph, "src/graph/mod.rs"),
        vec!["crates/core/src/ledger.rs", "pkg:std", "src/graph/resolve.rs", "src/model.rs"]
    );
    // A trailing item falls back to its module; a missing module falls back to the crate root.
    assert_eq!(imports(&graph, "src/graph/resolve.rs"), vec!["src/graph/path.rs", "src/lib.rs", "src/walk.rs"]);
    assert_eq!(imports(&graph, "crates/core/src/ledger.rs"), vec!["crates/core/src/lib.rs"]);
    let cargo = graph.external().iter().find(|p| p.name == "serde").map(|p| p.ecosystem);
    assert_eq!(cargo, Some(Ecosystem::Cargo));
}

#[test]
fn ruby_requires_resolve_relative_then_load_path_then_gems() {
    let mut fixture = Fixture::new(&[
        ("lib/billing/invoice.rb", ""),
        ("lib/billing/tax.rb", ""),
        ("app/services/checkout.rb", ""),
        ("app/services/cart.rb", ""),
    ]);
    let require = |specifier: &str, line: u32| Import { specifier: specifier.into(), line, kind: ImportKind::Require };
    fixture.files[2].2 =
        vec![require("cart", 1), require("billing/invoice", 2), require("stripe", 3), require("json", 4)];
    fixture.files[0].2 = vec![require("./tax", 1), require("../missing", 2)];
    let graph = fixture.graph();
    assert_eq!(
        imports(&graph, "app/services/checkout.rb"),
        vec!["app/services/cart.rb", "lib/billing/invoice.rb", "pkg:json", "pkg:stripe"]
    );
    assert_eq!(imports(&graph, "lib/billing/invoice.rb"), vec!["lib/billing/tax.rb"]);
    assert_eq!(unresolved(&graph), vec![("lib/billing/invoice.rb".to_string(), "../missing".to_string())]);
}

#[test]
fn languages_without_a_resolver_are_counted_not_guessed() {
    let mut fixture = Fixture::new(&[("db/migrate/001_users.sql", "")]);
    fixture.files[0].2 = vec![Import { specifier: "users".into(), line: 1, kind: ImportKind::Static }];
    let graph = fixture.graph();
    assert_eq!(graph.unsupported_imports(), 1);
    assert!(graph.external().is_empty() && graph.unresolved().is_empty());
}

#[test]
fn sveltekit_lib_alias_and_jsconfig_base_url() {
    let graph = graph_of(&[
        (
            "svelte.config.js",
            "import adapter from '@sveltejs/adapter-auto'\nexport default { kit: { adapter: adapter() } }\n",
        ),
        ("src/routes/+page.ts", "import { load } from '$lib/server/db'\nimport { browser } from '$app/environment'\n"),
        ("src/lib/server/db.ts", ""),
        ("legacy/jsconfig.json", r#"{ "compilerOptions": { "baseUrl": "src" } }"#),
        ("legacy/src/App.js", "import Nav from 'components/Nav'\nimport axios from 'axios'\n"),
        ("legacy/src/components/Nav.jsx", ""),
    ]);
    assert_eq!(imports(&graph, "src/routes/+page.ts"), vec!["pkg:$app", "src/lib/server/db.ts"]);
    assert_eq!(imports(&graph, "legacy/src/App.js"), vec!["legacy/src/components/Nav.jsx", "pkg:axios"]);
}

#[test]
fn a_large_repository_builds_with_linear_work() {
    // 30,000 files in 300 feature folders: each file imports its neighbour, the shared
    // client and a package. Quadratic resolution or PageRank would not finish here.
    let mut owned: Vec<(String, String)> = vec![("src/lib/client.ts".into(), String::new())];
    for feature in 0..300 {
        for file in 0..100 {
            let next = (file + 1) % 100;
            owned.push((
                format!("src/features/f{feature}/m{file}.ts"),
                format!("import {{ n }} from './m{next}'\nimport {{ c }} from '@/lib/client'\nimport z from 'zod'\n"),
            ));
        }
    }
    owned.push(("tsconfig.json".into(), r#"{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }"#.into()));
    let files: Vec<(&str, &str)> = owned.iter().map(|(p, s)| (p.as_str(), s.as_str())).collect();
    let graph = graph_of(&files);
    assert_eq!(graph.cycles().len(), 300);
    let metrics = graph.metrics();
    assert_eq!(metrics.iter().find(|m| m.path == "src/lib/client.ts").unwrap().fan_in, 30_000);
    assert_eq!(graph.external().len(), 1);
}

#[test]
fn deno_import_map_and_package_subpath_imports() {
    let graph = graph_of(&[
        (
            "supabase/functions/deno.json",
            r#"{
  "imports": {
    "@shared/": "./_shared/",
    "stripe": "npm:stripe@14.10.0",
    "std/": "https://deno.land/std@0.224.0/",
  },
}"#,
        ),
        (
            "supabase/functions/stripe-webhook/index.ts",
            "import Stripe from 'stripe'\nimport { cors } from '@shared/cors.ts'\nimport { serve } from 'std/http/server.ts'\n",
        ),
        ("supabase/functions/_shared/cors.ts", ""),
        (
            "package.json",
            r##"{ "name": "api", "type": "module", "imports": { "#db": "./src/db/index.js", "#lib/*": "./src/lib/*.js" } }"##,
        ),
        ("src/server.ts", "import { db } from '#db'\nimport { sign } from '#lib/jwt'\nimport { nope } from '#missing'\n"),
        ("src/db/index.ts", ""),
        ("src/lib/jwt.ts", ""),
    ]);
    assert_eq!(
        imports(&graph, "supabase/functions/stripe-webhook/index.ts"),
        vec!["pkg:std", "pkg:stripe", "supabase/functions/_shared/cors.ts"]
    );
    let stripe = graph.external().iter().find(|p| p.name == "stripe").unwrap();
    assert_eq!(stripe.ecosystem, Ecosystem::Npm);
    assert_eq!(imports(&graph, "src/server.ts"), vec!["src/db/index.ts", "src/lib/jwt.ts"]);
    assert_eq!(unresolved(&graph), vec![("src/server.ts".to_string(), "#missing".to_string())]);
}

#[test]
fn java_imports_map_to_class_files_and_package_folders() {
    let graph = graph_of(&[
        (
            "src/main/java/com/acme/shop/ShopApplication.java",
            r#"package com.acme.shop;

import java.util.List;
import lombok.Data;
import org.springframework.boot.SpringApplication;
import com.acme.shop.orders.OrderService;
import com.acme.shop.billing.*;
import static com.acme.shop.util.Money.format;
import com.acme.shop.missing.Gone;
"#,
        ),
        ("src/main/java/com/acme/shop/orders/OrderService.java", "package com.acme.shop.orders;\n"),
        ("src/main/java/com/acme/shop/billing/Invoice.java", "package com.acme.shop.billing;\n"),
        ("src/main/java/com/acme/shop/billing/Tax.java", "package com.acme.shop.billing;\n"),
        ("src/main/java/com/acme/shop/util/Money.java", "package com.acme.shop.util;\n"),
        // Same class name in another package: not a match for com.acme.shop.orders.OrderService.
        ("src/main/java/com/acme/legacy/OrderService.java", "package com.acme.legacy;\n"),
    ]);
    assert_eq!(
        imports(&graph, "src/main/java/com/acme/shop/ShopApplication.java"),
        vec![
            "pkg:java.util",
            "pkg:lombok",
            "pkg:org.springframework",
            "src/main/java/com/acme/shop/billing/Invoice.java",
            "src/main/java/com/acme/shop/billing/Tax.java",
            "src/main/java/com/acme/shop/orders/OrderService.java",
            "src/main/java/com/acme/shop/util/Money.java",
        ]
    );
    assert_eq!(
        unresolved(&graph),
        vec![(
            "src/main/java/com/acme/shop/ShopApplication.java".to_string(),
            "com.acme.shop.missing.Gone".to_string()
        )]
    );
}
