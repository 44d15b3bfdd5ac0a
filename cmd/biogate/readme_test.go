package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/thresholds"
)

// readme returns the module's README.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	return string(b)
}

// readmeSection returns the README's section under the "## title" heading.
func readmeSection(t *testing.T, title string) string {
	t.Helper()
	s := readme(t)
	i := strings.Index(s, "\n## "+title+"\n")
	require.GreaterOrEqual(t, i, 0, "README has no section %q", title)
	s = s[i+len(title)+5:]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s
}

// commandNames returns the subcommands listed in text, one a line
// starting with "biogate NAME".
func commandNames(text string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?m)^\s*biogate ([a-z]+)`).FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// TestREADMECommandList checks that the README's command list names the
// commands of the usage text: it lacked report, diff and synth.
func TestREADMECommandList(t *testing.T) {
	block := readmeSection(t, "The command line")
	block = block[:strings.Index(block, "```\n\n")]
	want := commandNames(usage)
	require.NotEmpty(t, want)
	assert.Equal(t, want, commandNames(block))
}

// TestREADMECheckFlags checks that every flag 'biogate check -h' prints is
// described in the README's command-line section.
func TestREADMECheckFlags(t *testing.T) {
	code, _, help := runCLI(t, "check", "-h")
	require.Equal(t, exitAccepted, code)
	flags := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`).FindAllStringSubmatch(help, -1)
	require.Greater(t, len(flags), 10, help)
	section := readmeSection(t, "The command line")
	for _, f := range flags {
		assert.Contains(t, section, "`-"+f[1], "the README does not describe -%s", f[1])
	}
}

// TestREADMEGoVersion checks that the README asks for the Go version
// go.mod needs (it said 1.26; go.mod says 1.26.8).
func TestREADMEGoVersion(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	require.NoError(t, err)
	want := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(string(mod))
	require.NotNil(t, want)
	got := regexp.MustCompile(`Go ≥ (\S+)`).FindAllStringSubmatch(readme(t), -1)
	require.NotEmpty(t, got)
	for _, g := range got {
		assert.Equal(t, want[1], g[1])
	}
}

// TestREADMEReasonCodes checks that the README's decision table names the
// reason codes the gate gives.
func TestREADMEReasonCodes(t *testing.T) {
	section := readmeSection(t, "Decisions")
	for _, code := range []string{
		thresholds.CodeUnreadable, thresholds.CodeTooSmall, thresholds.CodeWrongModality,
		thresholds.CodeFingerScore, thresholds.CodeFingerScoreZero, thresholds.CodeFingerUnscorable,
		thresholds.CodeFaceNone,
	} {
		assert.Contains(t, section, "`"+code+"`")
	}
}

// words are the counts the README spells out.
var words = map[string]int{"no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

// TestREADMEQuickStartFixture runs the quick start's first command on the
// project's fixture prints and checks the counts and exit code the README
// gives for it. NFIQ 2 on 11 prints takes about 2 min under -race on a
// loaded 2-core machine, so it runs in .ci/run's pass without the race
// detector (-run '…|Fixture').
func TestREADMEQuickStartFixture(t *testing.T) {
	if readmeRace {
		t.Skip("runs without -race: go test -run READMEQuickStartFixture ./cmd/biogate")
	}
	s := regexp.MustCompile(`#\s+the project's synthetic prints; (\w+) need a recapture and (\w+) \(blurred\s+#\s+beyond use\) the operator's attention, so it exits (\d)\.\s+go run \./cmd/biogate check (\S+)`).FindStringSubmatch(readme(t))
	require.NotNil(t, s, "the quick start's sentence changed: update this test")
	code, out, errOut := runCLI(t, "check", "-q", "-format", "json", filepath.Join("..", "..", s[4]))
	var b report.Batch
	require.NoError(t, json.Unmarshal([]byte(out), &b), errOut)
	assert.Equal(t, words[s[1]], b.Summary.Recapture, "recaptures")
	assert.Equal(t, words[s[2]], b.Summary.WarnOperator, "operator's attention")
	assert.Equal(t, s[3], strconv.Itoa(code), "exit code")
}

// TestCorpusREADMERecordScores checks the README's scores of the JPEG 2000
// print of records/info_jp2: resampled from its own 1000 ppi, and at the
// 500 ppi of its ISO/IEC 19794-4 record (the README said 72, the command
// printed 71).
func TestCorpusREADMERecordScores(t *testing.T) {
	dir := corpus.Dir(t, "finger", "records")
	m := regexp.MustCompile(`(\d+)\s+resampled, (\d+) at the 500 ppi its record declares`).FindStringSubmatch(readme(t))
	require.NotNil(t, m, "the README's sentence changed: update this test")
	for file, want := range map[string]string{"info_jp2.jp2": m[1], "info_jp2.iso": m[2]} {
		_, out, errOut := runCLI(t, "check", "-q", "-format", "json", filepath.Join(dir, file))
		var b report.Batch
		require.NoError(t, json.Unmarshal([]byte(out), &b), errOut)
		require.Len(t, b.Samples, 1)
		require.NotNil(t, b.Samples[0].Score, file)
		assert.Equal(t, want, strconv.Itoa(b.Samples[0].Score.Value), file)
	}
}

// timeFigure matches a measured duration or rate as README writes them:
// "12.6 CPU-ms", "62.2 ms", "81.4 req/s", "5 min 51 s".
var timeFigure = regexp.MustCompile(`\b\d+(?:\.\d+)?(?:[–-]\d+(?:\.\d+)?)?\s*(?:CPU-ms|cpu-ms|ms|µs|req/s|min \d+ s)\b`)

// recordedTimes lists README blocks (by a phrase they hold) whose times
// are not measured here but quoted from a reference, so no load applies.
var recordedTimes = []string{
	"NIST's times are the `ms_per_image` column",
}

// TestREADMETimingsStateLoad checks that every README paragraph, list or
// table that states a measured time also states the load it was measured
// under ("load" or "idle"; a table may say it in the paragraph just before
// it): this machine is shared, and a time without its load cannot be
// compared with a rerun (issue 29, item 2).
func TestREADMETimingsStateLoad(t *testing.T) {
	blocks := regexp.MustCompile(`\n[ \t]*\n`).Split(readme(t), -1)
	states := func(b string) bool { return strings.Contains(b, "load") || strings.Contains(b, "idle") }
	inFence, checked := false, 0
	for i, b := range blocks {
		if strings.Count(b, "```")%2 == 1 {
			inFence = !inFence
			continue
		}
		if inFence || strings.HasPrefix(strings.TrimSpace(b), "```") {
			continue
		}
		m := timeFigure.FindString(b)
		if m == "" || slices.ContainsFunc(recordedTimes, func(p string) bool { return strings.Contains(b, p) }) {
			continue
		}
		checked++
		if states(b) {
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(b), "|") && i > 0 && states(blocks[i-1]) {
			continue
		}
		first, _, _ := strings.Cut(strings.TrimSpace(b), "\n")
		t.Errorf("README block starting %q states a time (%q) but not the load it was measured under", first, m)
	}
	require.GreaterOrEqual(t, checked, 10, "too few timed blocks found: is the pattern still README's?")
}
