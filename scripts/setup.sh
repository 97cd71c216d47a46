#!/usr/bin/env bash
# Installs everything VibeSync needs on a fresh Debian machine with Node 20 and npm:
# the engines and browser the tests drive (Debian packages), then the npm dependencies.
# Electron's own binary cannot be downloaded here, so its download is skipped; the `electron`
# package (and its types) still installs, and `npm start` falls back to the headless panel.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(blender chromium)
missing=()
for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "setup: installing npm dependencies (Electron binary download skipped)"
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
