#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a bounded number of executions.
#   scripts/fuzz.sh [COUNTx]   executions per target: 3000x (the default, CI)
#                              or more for a longer run (scripts/fuzz.sh 200000x)
# Budgets are counts only. A time budget (-fuzztime 10m) reports misleading
# counts: how many inputs ran depends on the machine's load, so the same
# command checks a different amount each time, and Go 1.26's fuzz
# coordinator can end a duration budget with a spurious "context deadline
# exceeded" on a loaded machine (golang/go#75804, fixed in Go 1.27).
# FUZZ_DRY_RUN=1 lists each target with its budget without running it.
# New crashers are written by Go under the package's testdata/fuzz/ and then
# replay as regression seeds in every plain `go test` run: commit them.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-3000x}"
if [[ ! "$count" =~ ^[1-9][0-9]*x$ ]]; then
  echo "fuzz.sh: budget \"$count\" is not a count of executions such as 3000x (time budgets report misleading counts)" >&2
  echo "usage: scripts/fuzz.sh [COUNTx]" >&2
  exit 2
fi
# Targets run two at a time (FUZZ_JOBS): a target spends much of its time
# building and linking its instrumented test binary on one core, so a
# second one keeps the other core busy.
jobs_max="${FUZZ_JOBS:-2}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
status=0
running=0
n=0
while IFS= read -r line; do
  file=${line%%:*}
  name=$(sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"${line#*:}")
  pkg=./$(dirname "$file")
  budget=$count
  # A slow target may cap the CI-sized budget (up to 3000x) with a comment
  # right above it; longer runs give every target the full count:
  #   //fuzz:ci-budget 300x
  if [[ "${count%x}" -le 3000 ]]; then
    cap=$(grep -B1 -E "^func ${name}\(" "$file" | sed -nE 's#^//fuzz:ci-budget ([0-9]+)x#\1#p')
    if [[ -n "$cap" && "$cap" -lt "${count%x}" ]]; then budget="${cap}x"; fi
  fi
  echo "fuzz $pkg $name ($budget)"
  if [[ -n "${FUZZ_DRY_RUN:-}" ]]; then continue; fi
  n=$((n + 1))
  log="$logs/$n.log"
  (go test -run='^$' -fuzz="^${name}\$" -fuzztime="$budget" "$pkg" >"$log" 2>&1 || { cat "$log"; exit 1; }) &
  running=$((running + 1))
  if [ "$running" -ge "$jobs_max" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done < <(git ls-files -co --exclude-standard '*_test.go' | xargs grep -H -E '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' | sort)
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit $status
