//go:build unix

package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/report"
)

// TestCheckUnreadablePathsInEveryFormat checks that every path given or
// found that cannot be read (a missing file, a pattern matching nothing, a
// broken symbolic link in a folder, an empty folder) is a sample with
// reject / input.unreadable in every format: they used to vanish from the
// reports ('-format junit /no/such/file.png x.png' said tests="1").
func TestCheckUnreadablePathsInEveryFormat(t *testing.T) {
	dir := t.TempDir()
	// One readable sample, quick to assess (NFIQ 2 cannot score it:
	// warn_operator).
	folder := smallFolder(t, 1)
	require.NoError(t, os.Rename(filepath.Join(folder, "s00.png"), filepath.Join(folder, "a.png")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "gone.png"), filepath.Join(folder, "b.png")))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "empty"), 0o755))
	args := []string{filepath.Join(dir, "missing.png"), folder, filepath.Join(dir, "none*.wsq"), filepath.Join(dir, "empty")}
	unreadable := []string{filepath.Join(dir, "missing.png"), filepath.Join(folder, "b.png"), filepath.Join(dir, "none*.wsq"), filepath.Join(dir, "empty")}
	const total = 5

	for _, format := range []string{"table", "json", "jsonl", "csv", "junit"} {
		t.Run(format, func(t *testing.T) {
			page := filepath.Join(t.TempDir(), "r.html")
			code, out, errOut := runCLI(t, append([]string{"check", "-q", "-j", "2", "-format", format, "-html", page, "-no-thumbnails"}, args...)...)
			assert.Equal(t, exitError, code, errOut)
			switch format {
			case "table":
				lines := strings.Split(strings.TrimSpace(out), "\n")
				require.Len(t, lines, total+1, out)
				assert.Equal(t, "5 samples: 0 accept, 0 recapture, 1 warn_operator, 4 reject (profile ees-usk 1.0.0)", lines[total])
				for _, p := range unreadable {
					re := regexp.MustCompile(`(?m)^reject\s+unknown\s+-\s+` + regexp.QuoteMeta(p) + `\s+The file cannot be assessed: .+$`)
					line := re.FindString(out)
					if assert.NotEmpty(t, line, "no reject line for %s", p) {
						assert.Equal(t, 1, strings.Count(line, p), "the line repeats the path: %q", line)
					}
				}
				assert.Empty(t, errOut, "the table shows the unreadable paths; standard error does not repeat them")
			case "json", "jsonl":
				b, err := report.ReadBatch(strings.NewReader(out))
				require.NoError(t, err)
				assert.Equal(t, total, b.Summary.Total)
				assert.Equal(t, 4, b.Summary.Reasons["input.unreadable"])
				if format == "json" {
					var raw map[string]any
					require.NoError(t, json.Unmarshal([]byte(out), &raw))
				}
			case "csv":
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				require.NoError(t, err)
				require.Len(t, rows, total+1)
				for _, p := range unreadable {
					assert.Contains(t, out, p+",unknown,reject")
				}
			case "junit":
				assert.Contains(t, out, `tests="5" failures="1" errors="4"`)
			}
			html, err := os.ReadFile(page)
			require.NoError(t, err)
			assert.Equal(t, total, strings.Count(string(html), `<tr data-outcome=`))
			for _, p := range unreadable {
				assert.Contains(t, string(html), p)
			}
			if format != "table" {
				for _, p := range unreadable {
					assert.Contains(t, errOut, p)
				}
			}
		})
	}
}
