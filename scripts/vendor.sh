#!/usr/bin/env bash
# Refresh the vendored browser libraries from the versions pinned in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --ignore-scripts
mkdir -p src/bedside/static/vendor
cp node_modules/htmx.org/dist/htmx.min.js src/bedside/static/vendor/htmx.min.js
echo "vendored: $(ls src/bedside/static/vendor)"
