#!/usr/bin/env bash
# Rebuild the vendored YASGUI: install the locked npm package, then copy its built JS and CSS (and
# its licence) into the package's static files. The service never fetches it at run time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../../src/policygraph/web/static/yasgui"
cd "$here"
npm ci --no-audit --no-fund --ignore-scripts
build="node_modules/@zazuko/yasgui/build"
mkdir -p "$target"
cp "$build/yasgui.min.js" "$build/yasgui.min.css" "$target/"
version="$(node -p 'require("./node_modules/@zazuko/yasgui/package.json").version')"
{
    echo "@zazuko/yasgui $version, from the npm registry (MIT licence, (c) Triply and Zazuko)."
    echo "Rebuilt by 'make vendor-yasgui' from tools/yasgui/package-lock.json; do not edit."
} > "$target/VERSION"
echo "vendored @zazuko/yasgui $version into $target"
