#!/usr/bin/env bash
# Browser check of biogate's HTML report (issue 8).
#
# Renders an HTML report from synthetic data (no real biometric images) with
# `biogate report`, opens it in headless Chromium at 1280 px wide, and checks:
#   - the page is no wider than 1280 px, sorting the sample table by NFIQ 2
#     works, and both histograms are there (a probe script, read back from
#     the DOM Chromium dumps);
#   - the screenshot (1280x2000 PNG) exists and is not blank.
# Installs Debian's chromium when it is missing (needs root and apt).
#
# Usage: scripts/html-screenshot.sh [OUT_DIR]
#   OUT_DIR keeps report.html and report.png (default: a temporary folder,
#   removed at the end unless KEEP=1).
# Exit status: 0 when every check passes, non-zero otherwise.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

keep=${KEEP:-0}
if [[ $# -gt 0 ]]; then
	out=$1
	keep=1
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
else
	out=$(mktemp -d)
fi
profile_dir=$(mktemp -d)
cleanup() {
	rm -rf "$profile_dir"
	if [[ "$keep" != 1 ]]; then rm -rf "$out"; fi
}
trap cleanup EXIT

chromium=$(command -v chromium || true)
if [[ -z "$chromium" ]]; then
	echo "html-screenshot: installing Debian's chromium"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq chromium >/dev/null
	chromium=$(command -v chromium)
fi

bin="$out/bin"
mkdir -p "$bin"
go build -o "$bin/biogate" ./cmd/biogate
go build -o "$bin/htmlcheck" ./scripts/htmlcheck

data="$out/data"
rm -rf "$data"
mkdir -p "$data"
"$bin/htmlcheck" demo "$data"

html="$out/report.html"
rm -f "$html"
if "$bin/biogate" report -h >/dev/null 2>&1; then
	"$bin/biogate" report -root "$data" -o "$html" "$data/results.json"
else
	# The CLI does not dispatch 'report' yet: render with the library.
	echo "html-screenshot: 'biogate report' not available, rendering with report.WriteHTML"
	"$bin/htmlcheck" html "$data" "$html"
fi
if grep -Eq '(src|href)="(https?:)?//' "$html"; then
	echo "html-screenshot: FAIL: the report refers to external assets" >&2
	exit 1
fi

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
	--disable-background-networking --disable-component-update --disable-sync
	--hide-scrollbars --user-data-dir="$profile_dir" --window-size=1280,2000)

# 1. Layout and behaviour, read back from the DOM after the probe ran.
"$bin/htmlcheck" probe "$html" "$out/probe.html"
timeout 45 "$chromium" "${flags[@]}" --run-all-compositor-stages-before-draw \
	--virtual-time-budget=5000 --dump-dom "file://$out/probe.html" >"$out/dom.html" 2>"$out/chromium-dom.log" || {
	echo "html-screenshot: chromium --dump-dom failed:" >&2
	tail -5 "$out/chromium-dom.log" >&2
	exit 1
}
"$bin/htmlcheck" dom "$out/dom.html"

# 2. The screenshot a person would see.
png="$out/report.png"
rm -f "$png"
timeout 45 "$chromium" "${flags[@]}" --run-all-compositor-stages-before-draw \
	--virtual-time-budget=5000 --screenshot="$png" "file://$html" >"$out/chromium-shot.log" 2>&1 || {
	echo "html-screenshot: chromium --screenshot failed:" >&2
	tail -5 "$out/chromium-shot.log" >&2
	exit 1
}
[[ -s "$png" ]] || { echo "html-screenshot: FAIL: no screenshot written" >&2; exit 1; }
"$bin/htmlcheck" png "$png" 1280
echo "html-screenshot: ok ($png)"
