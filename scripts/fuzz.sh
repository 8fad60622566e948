#!/usr/bin/env bash
# Runs every cargo-fuzz target (fuzz/fuzz_targets: the parsers Plumb writes itself) for a
# bounded time each. New interesting inputs are kept in fuzz/corpus/<target> (commit them);
# fuzz/seeds/<target> holds hand-written starting inputs, and the project's own files of each
# kind (the demo's migrations and configs, the catalogue, the provenance rules) are added as
# seeds too; crashes land in fuzz/artifacts.
#   scripts/fuzz.sh [TARGET...]      FUZZ_SECONDS=60 by default
# Needs the nightly toolchain (cargo-fuzz instruments with sanitizers); installs cargo-fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(configs prisma sql catalogue trailers)
command -v cargo-fuzz >/dev/null || [ -x "$HOME/.cargo/bin/cargo-fuzz" ] || cargo install cargo-fuzz --locked
export PATH="$HOME/.cargo/bin:$PATH"
project_seeds="$(mktemp -d)"
trap 'rm -rf "$project_seeds"' EXIT
mkdir -p "$project_seeds"/{configs,prisma,sql,catalogue,trailers}
cp demo/repo/tsconfig.json demo/repo/package.json demo/repo/vite.config.ts "$project_seeds/configs/"
cp demo/repo/supabase/migrations/*.sql "$project_seeds/sql/"
cp queries/catalogue/*.toml "$project_seeds/catalogue/"
cp queries/provenance.toml "$project_seeds/trailers/"
failed=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target"
  echo "== fuzz $target for ${seconds}s"
  if ! cargo +nightly fuzz run ${FUZZ_BUILD_FLAGS:-} "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" "$project_seeds/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1; then
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each, no failures"
