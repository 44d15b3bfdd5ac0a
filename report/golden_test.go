package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/biogate/biogate/gate"
	synth "github.com/biogate/biogate/report/reporttest"
	"github.com/biogate/biogate/thresholds"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ instead of comparing with them")

// goldenProfile is the embedded ees-usk profile, optionally with overrides
// (KEY=VALUE) applied and recorded in its reference.
func goldenProfile(t testing.TB, overrides ...string) (*thresholds.Profile, thresholds.Ref) {
	t.Helper()
	p := thresholds.MustEmbedded("ees-usk")
	for _, o := range overrides {
		k, v, _ := strings.Cut(o, "=")
		if err := p.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	ref := p.Ref()
	ref.Overrides = overrides
	return p, ref
}

// goldenBatch is the synthetic batch every golden file is written from.
func goldenBatch(t testing.TB) Batch {
	p, ref := goldenProfile(t)
	samples := synth.Samples(p)
	return Batch{
		Tool: "biogate", Version: "0.0.0-test", Profile: ref, Thresholds: p,
		Started: time.Date(2026, 11, 23, 12, 30, 0, 0, time.UTC),
		Summary: Summarize(samples), Samples: samples,
	}
}

// render writes b through a Writer of format f, sample by sample.
func render(t testing.TB, f Format, b Batch) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, f, b)
	for _, s := range b.Samples {
		if err := w.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run 'go test ./report -run Golden -update' to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs from the golden file at line %d:\n got: %q\nwant: %q\n(run with -update if the change is intended)", path, i+1, g, w)
		}
	}
	t.Fatalf("%s differs from the golden file", path)
}

func TestGoldenFormats(t *testing.T) {
	b := goldenBatch(t)
	for _, tc := range []struct {
		f    Format
		file string
	}{
		{Table, "batch.table.golden"},
		{JSON, "batch.json.golden"},
		{JSONL, "batch.jsonl.golden"},
		{CSV, "batch.csv.golden"},
		{JUnit, "batch.junit.golden"},
	} {
		t.Run(string(tc.f), func(t *testing.T) {
			checkGolden(t, tc.file, render(t, tc.f, b))
		})
	}
}

// diffBatches returns a baseline and a current batch: the current one runs
// with finger.recapture_below raised to 20 (so scores 15-19 flip), one
// face moved closer (IED +30 px, sharpness component -10), one fingerprint
// rescored within tolerance, one sample removed and one added.
func diffBatches(t testing.TB) (base, cur Batch) {
	base = goldenBatch(t)
	p, ref := goldenProfile(t, "finger.recapture_below=20")
	var samples []gate.Report
	for _, s := range synth.Samples(p) {
		switch s.Path {
		case "finger/subject01_right_index.png":
			s = synth.Finger(p, s.Path, 73) // within tolerance
		case "face/portrait_03.png":
			s = synth.Face(p, s.Path, 161, 0.5, 48) // moved
		case "finger/subject12_right_index.png":
			continue // removed
		}
		samples = append(samples, s)
	}
	samples = append(samples, synth.Finger(p, "finger/subject17_right_ring.png", 44))
	cur = Batch{Tool: "biogate", Version: "0.0.0-test", Profile: ref, Thresholds: p, Samples: samples, Summary: Summarize(samples)}
	return base, cur
}

func TestGoldenDiff(t *testing.T) {
	base, cur := diffBatches(t)
	d := Diff(base, cur, DiffOptions{Tolerance: DefaultTolerance, Measures: []string{"Sharpness"}})
	var tbl, js bytes.Buffer
	if err := WriteDiffTable(&tbl, d); err != nil {
		t.Fatal(err)
	}
	if err := WriteDiffJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "diff.table.golden", tbl.Bytes())
	checkGolden(t, "diff.json.golden", js.Bytes())
	if d.ExitCode() != 1 {
		t.Errorf("ExitCode = %d, want 1 (decisions flipped)", d.ExitCode())
	}
}
