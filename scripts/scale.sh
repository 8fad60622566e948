#!/usr/bin/env bash
# Scale check (issue 8): generates a monorepo with 100,000 files and 50,000 commits (once, in
# $SCALE_REPO), then runs the full triage on it with a fresh workspace and reports the time and
# peak memory. Fails when the peak RSS exceeds $MAX_RSS_MB (default 4096).
#   scripts/scale.sh            FILES=100000 COMMITS=50000 by default
#   SCALE_UI=1 scripts/scale.sh  then opens the analysed repository in the desktop app (Xvfb,
#                               WebDriver) and times Overview, Map, Findings and Plan, with
#                               screenshots in target/scale-ui/
set -euo pipefail
cd "$(dirname "$0")/.."
files="${FILES:-100000}"
commits="${COMMITS:-50000}"
repo="${SCALE_REPO:-/tmp/plumb-scale-${commits}x${files}}"
max_rss_mb="${MAX_RSS_MB:-4096}"
cargo build --release --locked --bin plumb --example history_bench
if [ ! -d "$repo/.git" ]; then
  echo "scale: generating $commits commits over $files files in $repo"
  /usr/bin/time -f "scale: generated in %e s, peak %M KB" target/release/examples/history_bench "$repo" "$commits" "$files" >/dev/null
fi
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
/usr/bin/time -f "%e %M" -o "$data/time" target/release/plumb triage "$repo" --data-dir "$data/ws" --format json >"$data/out.json"
read -r seconds peak_kb <"$data/time"
python3 - "$data/out.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
index, plan = run["index"], run["plan"]
print(f"scale: {index['files']} files ({index['parsed']} parsed), {plan['headline']['commits']} commits, "
      f"{len(plan['findings'])} open findings")
PY
echo "scale: triage took ${seconds} s, peak RSS $((peak_kb / 1024)) MB (bound ${max_rss_mb} MB)"
[ "$((peak_kb / 1024))" -le "$max_rss_mb" ] || { echo "scale: peak RSS over the bound" >&2; exit 1; }
if [ "${SCALE_UI:-0}" = 1 ]; then
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  npm run build:ui >/dev/null
  cargo build --locked -p plumb-desktop
  mkdir -p target/scale-ui
  if [ -z "${DISPLAY:-}" ]; then
    Xvfb :97 -screen 0 1400x900x24 >/dev/null 2>&1 &
    xvfb_pid=$!
    trap 'rm -rf "$data"; kill "$xvfb_pid" 2>/dev/null || true' EXIT
    export DISPLAY=:97
    sleep 1
  fi
  node ui/e2e/scale.e2e.mjs "$PWD/target/debug/plumb-desktop" "$repo" "$data/ws" "$PWD/target/scale-ui"
fi
