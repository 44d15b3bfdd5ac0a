#!/usr/bin/env bash
# Runs every Go fuzz target in the module for a bounded budget each.
#   scripts/fuzz.sh [BUDGET]   a count of executions (CI: scripts/fuzz.sh 3000x)
#                              or a duration for a longer run (scripts/fuzz.sh 10m)
# Counts are the default because Go 1.26's fuzz coordinator can report a
# spurious "context deadline exceeded" at the end of a duration budget on a
# loaded machine (golang/go#75804, fixed in Go 1.27); a count has no deadline.
# New crashers are written by Go under the package's testdata/fuzz/ and then
# replay as regression seeds in every plain `go test` run: commit them.
set -euo pipefail
cd "$(dirname "$0")/.."
dur="${1:-3000x}"
status=0
while IFS= read -r line; do
  file=${line%%:*}
  name=$(sed -E 's/^func (Fuzz[A-Za-z0-9_]*).*/\1/' <<<"${line#*:}")
  pkg=./$(dirname "$file")
  budget=$dur
  # A slow target may cap the CI budget with a comment right above it:
  #   //fuzz:ci-budget 300x
  if [[ "$dur" == *x ]]; then
    cap=$(grep -B1 -E "^func ${name}\(" "$file" | sed -nE 's#^//fuzz:ci-budget ([0-9]+)x#\1#p')
    if [[ -n "$cap" && "$cap" -lt "${dur%x}" ]]; then budget="${cap}x"; fi
  fi
  echo "fuzz $pkg $name ($budget)"
  if ! go test -run='^$' -fuzz="^${name}\$" -fuzztime="$budget" "$pkg" >/tmp/fuzz.$$.log 2>&1; then
    cat /tmp/fuzz.$$.log
    status=1
  fi
done < <(git ls-files -co --exclude-standard '*_test.go' | xargs grep -H -E '^func Fuzz[A-Za-z0-9_]*\(f \*testing\.F\)' | sort)
rm -f /tmp/fuzz.$$.log
exit $status
