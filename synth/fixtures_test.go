package synth_test

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

var update = flag.Bool("update", false, "rewrite the project's testdata/ fixtures from package synth's generators")

// testdataDir is the project's top-level testdata folder.
const testdataDir = "../testdata"

// TestFixtures regenerates the committed fixtures in memory and checks that
// the files under testdata/ are byte-identical, so they cannot drift
// silently. Run with -update to rewrite them after a deliberate change.
func TestFixtures(t *testing.T) {
	if raceEnabled {
		// Regenerates every fixture print and scores it with NFIQ 2:
		// .ci/run's pass without the race detector runs it (-run …Fixture…).
		t.Skip("runs without -race: go test -run TestFixtures ./synth")
	}
	files, err := synth.FixtureFiles()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	total := 0
	for n, b := range files {
		names = append(names, n)
		total += len(b)
	}
	slices.Sort(names)
	if total > 2<<20 {
		t.Errorf("fixtures total %d bytes, want under 2 MiB", total)
	}
	for _, n := range names {
		p := filepath.Join(testdataDir, filepath.FromSlash(n))
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, files[n], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v (run go test ./synth -run TestFixtures -update)", p, err)
			continue
		}
		if !bytes.Equal(got, files[n]) {
			t.Errorf("%s differs from what the generator produces now (%d vs %d bytes): the fixtures drifted; if the change is intended, run go test ./synth -run TestFixtures -update", p, len(got), len(files[n]))
		}
	}
	// No stale generated files may linger in the generated folders.
	dirs := map[string]bool{}
	for _, n := range names {
		dirs[filepath.Dir(filepath.FromSlash(n))] = true
	}
	for d := range dirs {
		ents, err := os.ReadDir(filepath.Join(testdataDir, d))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			rel := filepath.ToSlash(filepath.Join(d, e.Name()))
			if _, ok := files[rel]; !ok {
				t.Errorf("%s is not produced by the generator: remove it or add it to synth's fixtures", filepath.Join(testdataDir, rel))
			}
		}
	}
}

// TestFixtureSidecars checks the committed sidecars describe their images
// and that a good-quality print exists for the README's example.
func TestFixtureSidecars(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(testdataDir, "finger", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no sidecars in %s/finger (err %v)", testdataDir, err)
	}
	good := 0
	for _, p := range paths {
		sc, err := synth.ReadSidecar(p)
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(filepath.Join(filepath.Dir(p), sc.Image))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", sc.Image, err)
		}
		if cfg.Width != sc.Width || cfg.Height != sc.Height || sc.Modality != "finger" || sc.PPI != synth.FingerPPI {
			t.Errorf("%s: sidecar says %d×%d %s %d ppi, image is %d×%d", p, sc.Width, sc.Height, sc.Modality, sc.PPI, cfg.Width, cfg.Height)
		}
		if sc.Level == "good" && slices.Contains(sc.ExpectPass, thresholds.CodeFingerScore) {
			good++
		}
	}
	if good == 0 {
		t.Errorf("no good-quality print (level good, expect_pass %s) in testdata/finger", thresholds.CodeFingerScore)
	}
}

// TestFixtureExpectations runs the real NFIQ 2 assessor and the default
// profile on the committed prints and checks each sidecar's expect_fail
// and expect_pass.
func TestFixtureExpectations(t *testing.T) {
	a := fingerAssessor(t)
	paths, _ := filepath.Glob(filepath.Join(testdataDir, "finger", "*.json"))
	if len(paths) == 0 {
		t.Fatal("no fixtures")
	}
	for _, p := range paths {
		sc, err := synth.ReadSidecar(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(sc.ExpectFail)+len(sc.ExpectPass) == 0 {
			continue // nothing to check
		}
		t.Run(sc.Name, func(t *testing.T) {
			f, err := os.Open(filepath.Join(filepath.Dir(p), sc.Image))
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			prof := thresholds.MustEmbedded(sc.Profile)
			rep, err := a.Assess(img, float64(sc.PPI))
			var d quality.Decision
			score := -1
			if err != nil {
				d = prof.DecideUnscorable(quality.Finger, err)
			} else {
				d = prof.Decide(quality.Finger, rep.Measures)
				score = rep.Score.Value
			}
			t.Logf("%s: NFIQ 2 %d, %s", sc.Name, score, d)
			for _, c := range sc.ExpectFail {
				// An unscorable print fails the score check too.
				if !d.Has(c) && !(c == thresholds.CodeFingerScore && d.Has(thresholds.CodeFingerUnscorable)) {
					t.Errorf("expected %s to fail, decision %s (score %d)", c, d, score)
				}
			}
			for _, c := range sc.ExpectPass {
				if d.Has(c) || d.Has(thresholds.CodeFingerUnscorable) {
					t.Errorf("expected %s to pass, decision %s (score %d)", c, d, score)
				}
			}
		})
	}
}
