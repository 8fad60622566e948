#!/usr/bin/env bash
# End-to-end tests of the desktop app: builds it (with the UI) and the demo repository, then
# drives the real app over WebDriver under Xvfb. Screenshots land in target/e2e/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# tauri-driver is installed with `cargo install` (scripts/install-deps.sh).
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

out="target/e2e"
rm -rf "$out" && mkdir -p "$out"
data="$(mktemp -d)"
trap 'rm -rf "$data"; [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true' EXIT

npm run build:ui >/dev/null
cargo build --locked -p plumb -p plumb-desktop
# The demo repository, copied out of the build's data folder so the app meets it unanalysed.
target/debug/plumb demo --data-dir "$data/build" >/dev/null
repo="$data/invoicely"
cp -a "$data/build/demo/"invoicely-* "$repo"

if [ -z "${DISPLAY:-}" ]; then
  Xvfb :99 -screen 0 1400x900x24 >/dev/null 2>&1 &
  xvfb_pid=$!
  export DISPLAY=:99
  sleep 1
fi
node ui/e2e/desktop.e2e.mjs "$PWD/target/debug/plumb-desktop" "$repo" "$data/app" "$out"
