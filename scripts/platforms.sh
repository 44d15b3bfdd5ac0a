#!/usr/bin/env bash
# Same bits on every platform: builds `biogate digest` for amd64 (GOAMD64=v1
# and v3), arm64 (run under qemu-aarch64) and js/wasm (run under Node), runs
# each on the reference corpus and testdata, and fails unless every digest
# (the SHA-256 of the exact bits of every measure, minutia, face point,
# score, check and decision) is the same.
#
#   scripts/platforms.sh        CI: GOAMD64=v3, arm64 and wasm (emulated,
#                               slow) against v1 on the fixed subset listed
#                               in scripts/platforms-subset.txt (v1 and v3 on
#                               the whole corpus took 2 x 138 CPU-s, more
#                               than CI's budget holds beside the rest)
#   scripts/platforms.sh full   every target on the whole corpus and testdata
#                               (outside CI: about 25 min of CPU under emulation)
#
# Installs Debian's qemu-user and nodejs when missing. The dumps are kept in
# $PLATFORMS_OUT (default: a temporary folder, removed on success) so that a
# failure shows which values differ.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-ci}"
case "$mode" in ci | full) ;; *) echo "usage: $0 [full]" >&2; exit 2 ;; esac

corpus="${BIOGATE_CORPUS:-$(cd .. && pwd)/shared/corpus}"
if [ ! -d "$corpus" ]; then
  if [ "${BIOGATE_CORPUS_REQUIRED:-}" = 1 ]; then echo "platforms: corpus not found at $corpus" >&2; exit 1; fi
  echo "platforms: corpus not found at $corpus; checking testdata only"
  corpus=""
fi
corpus="${corpus:+$(cd "$corpus" && pwd)}"

need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return
  echo "platforms: installing $2"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq "$2" >/dev/null; fi
}
need qemu-aarch64 qemu-user
need node nodejs

out="${PLATFORMS_OUT:-$(mktemp -d)}"
mkdir -p "$out"
echo "platforms: building (dumps in $out)"
GOAMD64=v1 go build -o "$out/biogate-v1" ./cmd/biogate
GOAMD64=v3 go build -o "$out/biogate-v3" ./cmd/biogate
GOARCH=arm64 go build -o "$out/biogate-arm64" ./cmd/biogate
GOOS=js GOARCH=wasm go build -o "$out/biogate.wasm" ./cmd/biogate
wasmexec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec"
# The js/wasm build holds no full-mode face models: it reads them from here.
export BIOGATE_FACE_MODELS="$PWD/face/internal/facemesh/models:$PWD/face/internal/cascade"

# Unit tests of exact bits: the finder of fusable products, the golden bits
# of internal/fpmath, of NFIQ 2's measures on testdata and of the finger
# resizer, built with FMA (GOAMD64=v3), and fpmath's and the resizer's
# golden bits on arm64 and js/wasm.
t0=$SECONDS
GOAMD64=v3 go test -count=1 -run 'TestDir|TestNoFusableProducts|TestGolden|TestPlatformGolden|TestResizeGolden' \
  ./internal/fpcheck ./internal/fpmath ./finger/internal/nfiq2 ./finger
GOARCH=arm64 go test -c -o "$out/fpmath-arm64.test" ./internal/fpmath
GOOS=js GOARCH=wasm go test -c -o "$out/fpmath-wasm.test" ./internal/fpmath
GOARCH=arm64 go test -c -o "$out/finger-arm64.test" ./finger
GOOS=js GOARCH=wasm go test -c -o "$out/finger-wasm.test" ./finger
(cd internal/fpmath && qemu-aarch64 "$out/fpmath-arm64.test" -test.run 'TestGolden' && "$wasmexec" "$out/fpmath-wasm.test" -test.run 'TestGolden')
(cd finger && qemu-aarch64 "$out/finger-arm64.test" -test.run 'TestResizeGolden' && "$wasmexec" "$out/finger-wasm.test" -test.run 'TestResizeGolden')
echo "platforms: unit tests passed ($((SECONDS - t0)) s)"

# Every file is named by its path under the corpus's parent ("corpus/...")
# or under the module ("testdata/..."), whatever the target and the subset.
all=(testdata)
subset=(testdata)
base=""
if [ -n "$corpus" ]; then
  all+=("$corpus")
  base="$(dirname "$corpus")"
  while read -r f; do
    [ -n "$f" ] && subset+=("$corpus/$f")
  done <scripts/platforms-subset.txt
fi

run() { # run NAME all|subset COMMAND...: writes $out/NAME.txt
  local name=$1 set=$2
  shift 2
  local -a files
  if [ "$set" = all ]; then files=("${all[@]}"); else files=("${subset[@]}"); fi
  local t0=$SECONDS
  "$@" digest -j 1 ${base:+-base "$base"} "${files[@]}" >"$out/$name.txt"
  echo "platforms: $name: $(tail -n 2 "$out/$name.txt" | tr '\n' ' ')($((SECONDS - t0)) s)"
}

pids=()
if [ "$mode" = full ]; then
  run v1 all "$out/biogate-v1" & pids+=($!)
  run v3 all "$out/biogate-v3" & pids+=($!)
  run arm64 all qemu-aarch64 "$out/biogate-arm64" & pids+=($!)
  run wasm all "$wasmexec" "$out/biogate.wasm" & pids+=($!)
  ref=v1 others="v3 arm64 wasm"
else
  run v1-subset subset "$out/biogate-v1" & pids+=($!)
  run v3-subset subset "$out/biogate-v3" & pids+=($!)
  run arm64-subset subset qemu-aarch64 "$out/biogate-arm64" & pids+=($!)
  run wasm-subset subset "$wasmexec" "$out/biogate.wasm" & pids+=($!)
fi
for p in "${pids[@]}"; do wait "$p"; done

fail=0
compare() { # compare REF OTHER
  if [ "$(tail -n 1 "$out/$1.txt")" != "$(tail -n 1 "$out/$2.txt")" ]; then
    echo "platforms: $2 differs from $1; first differing lines:"
    diff "$out/$1.txt" "$out/$2.txt" | head -n 20
    fail=1
  fi
}
if [ "$mode" = full ]; then
  for o in v3 arm64 wasm; do compare v1 "$o"; done
else
  compare v1-subset v3-subset
  compare v1-subset arm64-subset
  compare v1-subset wasm-subset
fi
if [ "$fail" = 1 ]; then
  echo "platforms: FAILED (dumps kept in $out)"
  exit 1
fi
# README states the size of the whole-corpus check: hold it to what was
# counted (a figure that drifts fails here, not silently).
counts=""
if [ "$mode" = full ]; then
  counts="$(sed -n 's/^# \([0-9]*\) samples, \([0-9]*\) values$/\1 \2/p' "$out/v1.txt")"
fi
if [ -n "$corpus" ] && [ -n "$counts" ]; then
  read -r ns nv <<<"$counts"
  nv="$(echo "$nv" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')"
  if ! tr -s ' \n' ' ' <README.md | grep -qF "($ns samples, $nv values)"; then
    echo "platforms: README.md does not say \"($ns samples, $nv values)\", which is what this run counted: update the README"
    exit 1
  fi
fi
[ -z "${PLATFORMS_OUT:-}" ] && rm -rf "$out"
echo "platforms: all digests equal"
