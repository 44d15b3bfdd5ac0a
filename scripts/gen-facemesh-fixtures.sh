#!/bin/sh
# Regenerates the TensorFlow.js reference fixtures for internal/nn and
# face/internal/facemesh (see face/internal/facemesh/testdata/gen/gen.mjs).
# Installs the pinned @tensorflow packages (pure JS, CPU backend) into a
# temporary directory; nothing is installed into the repository.
set -eu
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
gen="$root/face/internal/facemesh/testdata/gen"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$gen/package.json" "$gen/gen.mjs" "$tmp/"
(cd "$tmp" && npm install --silent --no-audit --no-fund --ignore-scripts >/dev/null)
FACEMESH_DIR="$root/face/internal/facemesh" node "$tmp/gen.mjs"
