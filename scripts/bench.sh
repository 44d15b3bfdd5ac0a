#!/usr/bin/env bash
# The README's benchmark command: runs the Go benchmarks behind every time
# and memory figure of README's "Speed and memory" section, one core each
# (-cpu 1), and prints them with what they depend on: the date, the Go
# version, the CPU model and the load average before and after, so that a
# figure copied into README says where it came from.
#
#   scripts/bench.sh            every benchmark of the table (49 s idle, warm build cache)
#   scripts/bench.sh finger     only the fingerprint rows (AssessCorpus, Assess)
#   scripts/bench.sh face       only the face rows
#
# This machine is shared and noisy: compare ratios within one run (e.g.
# BenchmarkAssessCorpus prints its ratio to NIST's recorded time) and quote
# the load average with any absolute figure.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
case "$what" in all | finger | face) ;; *) echo "usage: $0 [all|finger|face]" >&2; exit 2 ;; esac

echo "# date:  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# go:    $(go version)"
echo "# cpu:   $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //') × $(nproc) cores"
echo "# load:  $(cut -d' ' -f1-3 /proc/loadavg) (before)"

failed=0
bench() { # bench PATTERN BENCHTIME COUNT PACKAGES...
  local pattern=$1 benchtime=$2 count=$3
  shift 3
  go test -run '^$' -bench "$pattern" -benchmem -benchtime "$benchtime" -count "$count" -cpu 1 "$@" >"$tmp" 2>&1 || failed=1
  grep -E '^(Benchmark|ok|FAIL|---|    )' "$tmp" || true
}
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT

if [ "$what" = all ] || [ "$what" = finger ]; then
  bench 'AssessCorpus' 2x 4 ./finger
  bench 'Assess$' 20x 2 ./finger
fi
if [ "$what" = all ] || [ "$what" = face ]; then
  bench 'Assess$' 20x 2 ./face
  bench '.' 20x 2 ./face/internal/facemesh
fi
if [ "$what" = all ]; then
  bench 'AssessMemory' 3x 1 ./gate
  bench 'RidgeShare' 20x 1 ./finger
  bench '.' 10x 1 ./codec/wsq ./codec/jpeg2000 ./finger/internal/nfiq2
fi
echo "# load:  $(cut -d' ' -f1-3 /proc/loadavg) (after)"
if [ "$failed" = 1 ]; then echo "bench: a benchmark failed (see FAIL above)" >&2; exit 1; fi
