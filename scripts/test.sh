#!/usr/bin/env bash
# Runs every test of Plumb on a fresh Debian/Ubuntu machine: installs what is missing
# (system packages and npm packages; crates come with cargo), then the UI type check, unit tests
# and build, and the tests of the engine, the CLI and the desktop shell. Ends with one
# line counting every test that ran.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v cargo >/dev/null || { echo "test: cargo not found: install Rust with rustup first" >&2; exit 1; }
scripts/install-deps.sh

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
step() { echo "== $1"; shift; "$@" 2>&1 | tee -a "$log"; }

step "UI type check" npm run check:ui
step "UI unit tests" npm run test:ui
step "UI build" npm run build:ui
# One cargo run for the engine, the CLI and the desktop shell (it embeds the built UI): the
# workspace's features unify, so no dependency is compiled twice.
step "engine, CLI and desktop shell" cargo test --locked --workspace
# The real desktop app on the demo repository, over WebDriver under Xvfb (screenshots in target/e2e/).
step "desktop end-to-end" scripts/e2e.sh

# cargo: "test result: ok. N passed; M failed"; vitest: "Tests  N passed (N)"; e2e: "e2e: N passed, M failed".
passed=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /^test result:/ { for (i = 1; i <= NF; i++) if ($(i) ~ /^passed;?$/) p += $(i-1) }
  /^ *Tests +[0-9]+ passed/ { p += $2 }
  /^e2e: [0-9]+ passed/ { p += $2 }
  END { print p + 0 }')
failed=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  /^test result:/ { for (i = 1; i <= NF; i++) if ($(i) ~ /^failed;?$/) f += $(i-1) }
  /^e2e: [0-9]+ passed, [0-9]+ failed/ { f += $4 }
  END { print f + 0 }')
echo "total: ${passed} passed, ${failed} failed"
