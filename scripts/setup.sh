#!/usr/bin/env bash
# Installs everything VibeSync needs on a fresh Debian machine with Node 20 and npm:
# the engines and browser the tests drive (Debian packages), then the npm dependencies.
# Electron's own binary cannot be downloaded here, so its download is skipped; the `electron`
# package (and its types) still installs, and `npm start` falls back to the headless panel.
set -euo pipefail
cd "$(dirname "$0")/.."

# blender: the Blender add-on's tests; godot3-server: the Godot add-on's (Godot 4 is not packaged);
# mono-*/nunit: the Unity package's C# core, host and NUnit tests; python3-numpy: Blender's glTF
# importer; assimp-testmodels: real 3D models made by others, imported in the content tests.
apt_packages=(blender chromium godot3-server mono-mcs mono-devel libnunit-cil-dev nunit-console python3-numpy assimp-testmodels)
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

# The panel (browser view and desktop bundles): built here so `npm start` serves it at once.
echo "setup: building the panel (dist/renderer, dist/electron)"
node bin/vibesync.mjs build-panel
