#!/usr/bin/env bash
# Installs what Plumb needs beyond Rust on a fresh Debian 12 machine: the desktop app's system
# libraries (src-tauri), Xvfb and WebKitWebDriver, and the npm packages of ui/.
# Idempotent: apt is skipped when every package is already installed, so repeated CI runs
# cost only the `npm ci`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

apt_packages=(
  libwebkit2gtk-4.1-dev   # WebKitGTK: the webview Tauri renders into
  libgtk-3-dev
  librsvg2-dev
  libayatana-appindicator3-dev
  xvfb                    # a display for running the app headless (CI, screenshots)
  webkit2gtk-driver       # WebKitWebDriver, driven by tauri-driver in e2e tests
  poppler-utils           # pdfinfo, pdftotext, pdftoppm: the PDF export's tests open and render it
)

missing=()
for package in "${apt_packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)"
  if [ "$status" != "installed" ]; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_prefix=()
  if [ "$(id -u)" -ne 0 ]; then sudo_prefix=(sudo); fi
  "${sudo_prefix[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo_prefix[@]}" apt-get install -y --no-install-recommends "${apt_packages[@]}"
else
  echo "install-deps: system packages already installed"
fi

cd "$repo_root"
npm ci --no-audit --no-fund

# tauri-driver: the WebDriver bridge the desktop e2e tests drive the app through.
if ! PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH" command -v tauri-driver >/dev/null; then
  echo "install-deps: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi
