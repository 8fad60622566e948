#!/usr/bin/env bash
# Plumb's main job on the bundled demo repository: installs what is missing, builds, builds
# the demo repository in the data folder, and triages it. With a display it opens the
# desktop app on it; headless (or with PLUMB_HEADLESS=1) it prints the CLI triage.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v cargo >/dev/null || { echo "demo: cargo not found: install Rust with rustup first" >&2; exit 1; }
scripts/install-deps.sh >/dev/null

cargo build --locked --release -p plumb
target/release/plumb demo

if [ -n "${DISPLAY:-}" ] && [ -z "${PLUMB_HEADLESS:-}" ]; then
  npm run build:ui >/dev/null
  cargo build --locked --release -p plumb-desktop
  demo_path="$(target/release/plumb demo --format json | sed -n 's/^  "repository": "\(.*\)",$/\1/p')"
  exec target/release/plumb-desktop "$demo_path"
fi
