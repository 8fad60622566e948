#!/usr/bin/env bash
# Runs every test of Plumb on a fresh Debian/Ubuntu machine: installs what is missing
# (system packages and npm packages; crates come with cargo), then the engine and CLI tests,
# the UI type check and unit tests, and the desktop shell's build and tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v cargo >/dev/null || { echo "test: cargo not found: install Rust with rustup first" >&2; exit 1; }
scripts/install-deps.sh

echo "== engine and CLI"
cargo test --locked

echo "== UI: type check and unit tests"
npm run check:ui
npm run test:ui

echo "== desktop shell"
npm run build:ui
cargo test --locked -p plumb-desktop
