#!/usr/bin/env bash
# Runs every test of Plumb on a fresh Debian/Ubuntu machine: installs what is missing
# (system packages, npm packages; Rust crates come with cargo), then the engine and CLI
# tests, the UI unit tests, and builds the desktop shell.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v cargo >/dev/null || { echo "test: cargo not found: install Rust with rustup (https://rustup.rs) first" >&2; exit 1; }
scripts/install-deps.sh

echo "== engine and CLI (cargo test)"
cargo test --locked

echo "== UI unit tests (vitest)"
npm run test:ui

echo "== desktop shell builds"
npm run build:ui
cargo build --locked -p plumb-desktop
