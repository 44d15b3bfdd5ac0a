#!/usr/bin/env bash
# Builds the browser assessor: web/biogate.wasm (GOOS=js GOARCH=wasm, from
# cmd/biogate-wasm), web/wasm_exec.js (copied from the Go release that
# built it; the two must match) and web/models/ (the models only full
# mode uses, which the .wasm does not embed: the face mesh and iris
# weights and pigo's nose and mouth cascades, with their notices; the
# worker fetches them when an assessment first needs them). All are
# gitignored.
# Prints the raw and gzip -9 sizes of the .wasm.
#
# Usage: scripts/build-web.sh [OUT_DIR]   (default: web/)
# Then:  go run ./cmd/biogate web -addr 127.0.0.1:8081   and open http://127.0.0.1:8081/
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out=${1:-web}
mkdir -p "$out"
GOOS=js GOARCH=wasm go build -trimpath -ldflags=-s -o "$out/biogate.wasm" ./cmd/biogate-wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/wasm_exec.js"
mkdir -p "$out/models"
m=face/internal/facemesh/models
cp "$m/facemesh.bin" "$m/iris.bin" "$m/NOTICE" "$m/LICENSE-Apache-2.0" "$m/LICENSE-human-models-MIT" "$m/SOURCES.md" "$out/models/"
c=face/internal/cascade
cp "$c/lp93" "$c/lp84" "$c/lp82" "$c/lp81" "$out/models/"
cp "$c/LICENSE" "$out/models/LICENSE-pigo"
raw=$(wc -c <"$out/biogate.wasm")
gz=$(gzip -9 -c "$out/biogate.wasm" | wc -c)
printf 'build-web: %s/biogate.wasm %d bytes (%.1f MB), gzip -9 %d bytes (%.1f MB)\n' "$out" "$raw" "$(echo "$raw/1000000" | bc -l)" "$gz" "$(echo "$gz/1000000" | bc -l)"
