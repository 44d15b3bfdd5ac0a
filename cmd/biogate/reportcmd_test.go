package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/report/reporttest"
	"github.com/biogate/biogate/thresholds"
)

// writeBatch writes samples as 'biogate check -format json' would and
// returns the file's path.
func rcWriteBatch(t *testing.T, dir, name string, p *thresholds.Profile, samples ...gate.Report) string {
	t.Helper()
	var buf bytes.Buffer
	w := report.NewWriter(&buf, report.JSON, report.Batch{Tool: "biogate", Version: Version, Profile: p.Ref(), Thresholds: p})
	for _, s := range samples {
		if err := w.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func rcCall(f func([]string, *bytes.Buffer, *bytes.Buffer) int, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := f(args, &out, &errb)
	return code, out.String(), errb.String()
}

func rcReport(args []string, out, errb *bytes.Buffer) int { return runReport(args, out, errb) }
func rcDiff(args []string, out, errb *bytes.Buffer) int   { return runDiff(args, out, errb) }

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	p := thresholds.MustEmbedded("ees-usk")
	samples := []gate.Report{reporttest.Finger(p, "finger/a.png", 12), reporttest.Face(p, "face/b.png", 131, 0, 60)}
	if err := reporttest.WriteImages(dir, samples); err != nil {
		t.Fatal(err)
	}
	results := rcWriteBatch(t, dir, "results.json", p, samples...)
	out := filepath.Join(dir, "out.html")

	code, _, stderr := rcCall(rcReport, "-root", dir, "-o", out, results)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("data:image/jpeg")) || bytes.Count(page, []byte("<svg")) != 2 {
		t.Error("page lacks previews or plots")
	}

	// An existing file is not replaced without -force; flags may follow the file.
	if code, _, stderr := rcCall(rcReport, results, "-o", out); code != 2 || !strings.Contains(stderr, "exists") {
		t.Errorf("overwrite without -force: exit %d, %q", code, stderr)
	}
	if code, _, stderr := rcCall(rcReport, results, "-o", out, "-force", "-no-thumbnails", "-root", dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page, _ = os.ReadFile(out)
	if bytes.Contains(page, []byte("data:image")) {
		t.Error("-no-thumbnails page holds image data")
	}

	// Standard output, and thresholds from another profile.
	code, stdout, _ := rcCall(rcReport, "-no-thumbnails", "-profile", "icao", results)
	if code != 0 || !strings.Contains(stdout, "<!DOCTYPE html>") || !strings.Contains(stdout, "from the profile given for this page") {
		t.Errorf("stdout report: exit %d", code)
	}
}

func TestReportCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("[1, 2"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"no file":       {},
		"two files":     {bad, bad},
		"missing file":  {filepath.Join(dir, "nope.json")},
		"not a batch":   {bad},
		"bad profile":   {"-profile", "nope", bad},
		"unknown flag":  {"-frobnicate", bad},
		"unwritable -o": {"-o", filepath.Join(dir, "no", "such", "dir.html"), bad},
	} {
		t.Run(name, func(t *testing.T) {
			if code, _, _ := rcCall(rcReport, args...); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
		})
	}
	if code, _, _ := rcCall(rcReport, "-h"); code != 0 {
		t.Errorf("-h: exit %d, want 0", code)
	}
}

func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	p := thresholds.MustEmbedded("ees-usk")
	base := rcWriteBatch(t, dir, "base.json", p,
		reporttest.Finger(p, "a.png", 15), reporttest.Finger(p, "b.png", 40), reporttest.Face(p, "c.png", 150, 0, 60))
	same := rcWriteBatch(t, dir, "same.json", p,
		reporttest.Finger(p, "a.png", 16), reporttest.Finger(p, "b.png", 40), reporttest.Face(p, "c.png", 150, 0, 60))
	moved := rcWriteBatch(t, dir, "moved.json", p,
		reporttest.Finger(p, "a.png", 15), reporttest.Finger(p, "b.png", 30), reporttest.Face(p, "c.png", 150, 0, 60))
	flipped := rcWriteBatch(t, dir, "flipped.json", p,
		reporttest.Finger(p, "a.png", 14), reporttest.Finger(p, "b.png", 40), reporttest.Face(p, "c.png", 150, 0, 60))

	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"within tolerance", []string{base, same}, 0, `0 flipped, 0 moved`},
		{"zero tolerance", []string{"-tolerance", "0", base, same}, 0, `0 flipped, 1 moved`},
		{"moved", []string{base, moved}, 0, `moved\s+b\.png\s+accept\s+accept\s+score 40\.0 -> 30\.0`},
		{"moved strict", []string{"-strict", base, moved}, 1, `1 moved`},
		{"moved per-measure tolerance", []string{"-measure", "score=20", base, moved}, 0, `0 moved`},
		{"flipped", []string{base, flipped}, 1, `flipped\s+a\.png\s+accept\s+recapture`},
		{"flipped json", []string{"-format", "json", base, flipped}, 1, `"kind": "flipped"`},
		{"flags after files", []string{base, flipped, "-format", "json"}, 1, `"flipped": 1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := rcCall(rcDiff, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			if !regexp.MustCompile(tc.out).MatchString(stdout) {
				t.Errorf("output lacks %q:\n%s", tc.out, stdout)
			}
		})
	}
	_, stdout, _ := rcCall(rcDiff, "-format", "json", base, flipped)
	var d report.DiffResult
	if err := json.Unmarshal([]byte(stdout), &d); err != nil || d.Flipped != 1 || d.Compared != 3 {
		t.Errorf("json output: %v %+v", err, d)
	}
}

func TestDiffCommandErrors(t *testing.T) {
	dir := t.TempDir()
	p := thresholds.MustEmbedded("ees-usk")
	ok := rcWriteBatch(t, dir, "ok.json", p, reporttest.Finger(p, "a.png", 40))
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("nope"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"no files":           {},
		"one file":           {ok},
		"three files":        {ok, ok, ok},
		"missing baseline":   {filepath.Join(dir, "x.json"), ok},
		"bad current":        {ok, bad},
		"negative tolerance": {"-tolerance", "-1", ok, ok},
		"bad format":         {"-format", "xml", ok, ok},
		"bad measure":        {"-measure", "Sharpness=abc", ok, ok},
	} {
		t.Run(name, func(t *testing.T) {
			if code, _, _ := rcCall(rcDiff, args...); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
		})
	}
}

// TestDiffHeaderNamesOverrides checks that the profile overrides given to
// check with -set reach the batch header and so the diff's header (they
// were recorded per sample only, and "current: ees-usk 1.0.0" hid them).
func TestDiffHeaderNamesOverrides(t *testing.T) {
	in := smallFolder(t, 2)
	dir := t.TempDir()
	base, cur := filepath.Join(dir, "base.json"), filepath.Join(dir, "cur.json")
	runCLI(t, "check", "-q", "-format", "json", "-o", base, in)
	runCLI(t, "check", "-q", "-format", "json", "-set", "face.min_inter_eye_px=100", "-set", "finger.recapture_below=20", "-o", cur, in)
	b, err := readBatchFile(cur, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"face.min_inter_eye_px=100", "finger.recapture_below=20"}; strings.Join(b.Profile.Overrides, " ") != strings.Join(want, " ") {
		t.Errorf("batch header overrides %q, want %q", b.Profile.Overrides, want)
	}
	tests := []struct {
		format, want string
	}{
		{"table", "baseline: ees-usk 1.0.0\ncurrent:  ees-usk 1.0.0 (overrides: face.min_inter_eye_px=100, finger.recapture_below=20)\n"},
		{"json", `"overrides": [`},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			code, stdout, stderr := rcCall(rcDiff, "-format", tc.format, base, cur)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(stdout, tc.want) {
				t.Errorf("diff output lacks %q:\n%s", tc.want, stdout)
			}
		})
	}
}
