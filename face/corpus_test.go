package face

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// corpusRun holds the reports of one pass over the face corpus, shared by
// the corpus tests (one Assess per file).
type corpusRun struct {
	rows    []truthRow
	reports map[string]*Report
	sampled bool // only a subset of files was assessed (race detector)
}

var (
	corpusOnce sync.Once
	corpusRes  *corpusRun
	corpusErr  error
)

func runCorpus(t *testing.T) *corpusRun {
	t.Helper()
	dir := corpus.Dir(t, "face")
	corpusOnce.Do(func() {
		rows := readTruth(t, dir)
		a, err := New(nil)
		if err != nil {
			corpusErr = err
			return
		}
		var files []string
		seen := map[string]bool{}
		for _, r := range rows {
			if !seen[r.File] {
				seen[r.File] = true
				files = append(files, r.File)
			}
		}
		res := &corpusRun{rows: rows, reports: map[string]*Report{}}
		if raceEnabled {
			// The race detector is 5-10× slower: assess every 32nd file
			// (the face package is the longest of the race pass; the
			// whole corpus runs without -race in .ci/run's second pass).
			var sub []string
			for i, f := range files {
				if i%32 == 0 {
					sub = append(sub, f)
				}
			}
			files, res.sampled = sub, true
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		work := make(chan string)
		for w := 0; w < 2; w++ { // the Assessor is shared by both workers
			wg.Add(1)
			go func() {
				defer wg.Done()
				for f := range work {
					img, jb := loadImage(t, filepath.Join(dir, f))
					rep, err := a.Assess(img, &AssessOptions{JPEG: jb})
					mu.Lock()
					if err != nil && corpusErr == nil {
						corpusErr = fmt.Errorf("%s: %w", f, err)
					}
					res.reports[f] = rep
					mu.Unlock()
				}
			}()
		}
		for _, f := range files {
			work <- f
		}
		close(work)
		wg.Wait()
		corpusRes = res
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusRes
}

// cleanCategories hold clean frontal faces (and their geometric or
// photometric variants) that must all be found.
var cleanCategories = map[string]bool{
	"portrait": true, "single_frontal": true, "portrait_marginal": true,
	"ied100": true, "roll12": true, "underexposed": true, "jpeg_q10": true,
}

type catStats struct {
	faces, detected int
	eyeErr          []float64 // per eye, normalised by the true IED
	iedN, iedOK     int       // faces with true IED >= 60 px, and within ±3 %
}

// matchFace returns the detected face nearest to the truth row (error =
// larger of the two eye errors over the true IED), or nil when none is
// within 0.25 IED.
func matchFace(rep *Report, r truthRow) (*Face, float64) {
	gied := dist(r.L, r.R)
	var best *Face
	be := 0.25
	for i := range rep.Faces {
		f := &rep.Faces[i]
		e := math.Max(dist(f.RightEye, r.L), dist(f.LeftEye, r.R)) / gied
		if e < be {
			best, be = f, e
		}
	}
	return best, be
}

// TestCorpusEyes prints, per category of eyes.csv, the detection rate and
// the eye-centre error normalised by the true inter-eye distance, and
// asserts the levels reached as regression floors.
//
// Ground truth: dlib's 68-point model, eye centre = mean of the six
// eye-contour points (about 1-2 px below the pupil centre), hand
// annotation for single_frontal; the package reports the centre of the eye
// opening, which matches that definition.
func TestCorpusEyes(t *testing.T) {
	t.Parallel() // a long corpus test: its single-threaded stretches overlap another's
	run := runCorpus(t)
	stats := map[string]*catStats{}
	for _, r := range run.rows {
		rep, ok := run.reports[r.File]
		if !ok || !r.HasGT {
			continue
		}
		s := stats[r.Category]
		if s == nil {
			s = &catStats{}
			stats[r.Category] = s
		}
		s.faces++
		f, _ := matchFace(rep, r)
		if f == nil {
			if cleanCategories[r.Category] {
				t.Logf("missed clean face: %s (%s)", r.File, r.Category)
			}
			continue
		}
		s.detected++
		gied := dist(r.L, r.R)
		s.eyeErr = append(s.eyeErr, dist(f.RightEye, r.L)/gied, dist(f.LeftEye, r.R)/gied)
		if gied >= 60 {
			s.iedN++
			if math.Abs(f.InterEyeDistance()-gied) <= 0.03*gied {
				s.iedOK++
			}
		}
	}
	var cats []string
	for c := range stats {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-18s %6s %9s %8s %7s %7s %12s\n", "category", "faces", "detected", "median", "<0.05", "<0.10", "IED±3%(≥60)")
	total := &catStats{}
	clean := &catStats{}
	for _, c := range cats {
		s := stats[c]
		fmt.Fprintf(&b, "%-18s %s\n", c, s.row())
		for _, agg := range []*catStats{total, clean} {
			if agg == clean && !cleanCategories[c] {
				continue
			}
			agg.faces += s.faces
			agg.detected += s.detected
			agg.eyeErr = append(agg.eyeErr, s.eyeErr...)
			agg.iedN += s.iedN
			agg.iedOK += s.iedOK
		}
	}
	fmt.Fprintf(&b, "%-18s %s\n", "ALL", total.row())
	fmt.Fprintf(&b, "%-18s %s\n", "CLEAN+VARIANTS", clean.row())
	t.Log(b.String())
	if run.sampled {
		t.Log("race detector: every eighth file only; floors not asserted")
		return
	}

	// Regression floors at the levels reached (see the report).
	// Every clean frontal face (and variant) is found (issue 5).
	if clean.detected != clean.faces {
		t.Errorf("clean faces detected %d/%d, all must be found", clean.detected, clean.faces)
	}
	if got := shareBelow(clean.eyeErr, 0.05); got < 0.975 {
		t.Errorf("clean eyes under 0.05 IED %.3f, floor 0.975", got)
	}
	if got := shareBelow(clean.eyeErr, 0.10); got < 0.98 {
		t.Errorf("clean eyes under 0.10 IED %.3f, floor 0.98", got)
	}
	// The target is ±3 % for every face; reached: 0.88 (134/152; the dlib
	// truth itself scatters by about 1.5 px per eye, and the misses are
	// mostly whole faces, failing in several of their variants; small
	// changes to the localisation move this count by ±3 faces). These are
	// in-sample figures: TestCorpusEyeCrossValidation reports and asserts
	// the held-out ones.
	if got := frac(clean.iedOK, clean.iedN); got < 0.81 {
		t.Errorf("clean IED within ±3 %% %.3f, floor 0.81", got)
	}
	if s := stats["single_frontal"]; s == nil || s.detected != s.faces {
		t.Errorf("single_frontal: every face must be found")
	}
	// All categories together, small faces in the wild included: a floor
	// a little under the level reached (found 250/284 before the mesh).
	if got := frac(total.detected, total.faces); got < 0.85 {
		t.Errorf("all categories: faces found %d/%d (%.3f), floor 0.85", total.detected, total.faces, got)
	}
}

func (s *catStats) row() string {
	e := append([]float64(nil), s.eyeErr...)
	sort.Float64s(e)
	med := math.NaN()
	if len(e) > 0 {
		med = e[len(e)/2]
	}
	ied := "-"
	if s.iedN > 0 {
		ied = fmt.Sprintf("%d/%d", s.iedOK, s.iedN)
	}
	return fmt.Sprintf("%6d %4d %3.0f%% %8.4f %6.1f%% %6.1f%% %12s", s.faces, s.detected, 100*frac(s.detected, s.faces),
		med, 100*shareBelow(s.eyeErr, 0.05), 100*shareBelow(s.eyeErr, 0.10), ied)
}

func frac(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func shareBelow(v []float64, lim float64) float64 {
	if len(v) == 0 {
		return 0
	}
	n := 0
	for _, x := range v {
		if x < lim {
			n++
		}
	}
	return float64(n) / float64(len(v))
}

// TestCorpusVariants checks that degraded variants fail the right check of
// the ees-usk profile, and that their clean originals do not.
func TestCorpusVariants(t *testing.T) {
	run := runCorpus(t)
	p, err := thresholds.Embedded("ees-usk")
	if err != nil {
		t.Fatal(err)
	}
	type group struct {
		name, code string
		cats       []string
		floor      float64
	}
	groups := []group{
		{"roll (all)", "face." + quality.HeadPoseRoll, []string{"roll", "roll12"}, 0},
		{"roll (true |roll| > 9°)", "face." + quality.HeadPoseRoll, []string{"roll", "roll12"}, 0.90},
		{"exposure (dark, underexposed)", "face." + quality.UnderExposurePrevention, []string{"dark", "underexposed"}, 0.90},
		{"IED (small, ied100)", "face." + quality.InterEyeDistance, []string{"small", "ied100"}, 0},
		{"IED (ied100)", "face." + quality.InterEyeDistance, []string{"ied100"}, 0.90},
		{"compression (jpeg q5, jpeg_q10)", "face." + quality.CompressionArtifacts, []string{"jpeg", "jpeg_q10"}, 0.90},
	}
	// primary truth face per file: the largest true IED
	primary := map[string]truthRow{}
	for _, r := range run.rows {
		if !r.HasGT {
			continue
		}
		if q, ok := primary[r.File]; !ok || dist(r.L, r.R) > dist(q.L, q.R) {
			primary[r.File] = r
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-34s %-30s %8s %8s %10s\n", "variant group", "reason code", "files", "failing", "clean false fails")
	for _, g := range groups {
		n, fail := 0, 0
		for file, r := range primary {
			rep, ok := run.reports[file]
			if !ok || !contains(g.cats, r.Category) {
				continue
			}
			if strings.Contains(g.name, "true |roll|") {
				if math.Abs(math.Atan2(-(r.R.Y-r.L.Y), r.R.X-r.L.X)*180/math.Pi) <= 9 {
					continue
				}
			}
			n++
			if p.Decide(quality.Face, rep.Measures).Has(g.code) {
				fail++
			}
		}
		// false rejects on clean portraits for the same code, among those
		// whose true value passes with a margin
		cn, cf := 0, 0
		for file, r := range primary {
			rep, ok := run.reports[file]
			if !ok || (r.Category != "portrait" && r.Category != "single_frontal") {
				continue
			}
			if g.code == "face."+quality.InterEyeDistance && dist(r.L, r.R) < 126 {
				continue
			}
			if g.code == "face."+quality.HeadPoseRoll && math.Abs(math.Atan2(-(r.R.Y-r.L.Y), r.R.X-r.L.X)*180/math.Pi) > 7 {
				continue
			}
			cn++
			if p.Decide(quality.Face, rep.Measures).Has(g.code) {
				cf++
			}
		}
		fmt.Fprintf(&b, "%-34s %-30s %8d %7.1f%% %5d/%d\n", g.name, g.code, n, 100*frac(fail, n), cf, cn)
		if !run.sampled && g.floor > 0 && frac(fail, n) < g.floor {
			t.Errorf("%s: %d/%d variants fail %s, floor %.0f%%", g.name, fail, n, g.code, 100*g.floor)
		}
		// README: "with no clean portrait wrongly failing those checks".
		if !run.sampled && cf > 0 {
			t.Errorf("%s: %d/%d clean portraits wrongly fail %s, want none", g.name, cf, cn, g.code)
		}
	}
	t.Log(b.String())
	t.Log(componentTable(run))
}

// componentTable prints, per measure, the 10th/50th/90th percentiles of the
// native value and the component on clean portraits and on each degraded
// variant category, the evidence for the profile limits.
func componentTable(run *corpusRun) string {
	groups := []struct {
		name string
		cats []string
	}{
		{"clean", []string{"portrait", "single_frontal", "portrait_marginal"}},
		{"roll", []string{"roll", "roll12"}},
		{"blur", []string{"blur"}},
		{"dark", []string{"dark", "underexposed"}},
		{"overexp", []string{"overexposed"}},
		{"lowcontr", []string{"lowcontrast"}},
		{"jpeg", []string{"jpeg", "jpeg_q10"}},
		{"noise", []string{"noise"}},
	}
	names := []string{quality.HeadPoseRoll, quality.HeadPoseYaw, quality.HeadPosePitch, quality.HorizontalCentring,
		quality.LuminanceMean, quality.UnderExposurePrevention, quality.OverExposurePrevention, quality.DynamicRange,
		quality.Sharpness, quality.IlluminationUniformity, quality.NaturalColour, quality.BackgroundUniformity, quality.CompressionArtifacts}
	var b strings.Builder
	fmt.Fprintf(&b, "\nnative p10/p50/p90 | component p10/p50/p90, primary face per file\n%-24s", "measure")
	for _, g := range groups {
		fmt.Fprintf(&b, " %-34s", g.name)
	}
	b.WriteByte('\n')
	for _, n := range names {
		fmt.Fprintf(&b, "%-24s", n)
		for _, g := range groups {
			var v, c []float64
			seen := map[string]bool{}
			for _, r := range run.rows {
				rep, ok := run.reports[r.File]
				if !ok || seen[r.File] || !contains(g.cats, r.Category) {
					continue
				}
				seen[r.File] = true
				if m, ok := rep.Measures.Get(n); ok {
					v = append(v, m.Value)
					c = append(c, m.Component)
				}
			}
			if len(v) == 0 {
				fmt.Fprintf(&b, " %-34s", "-")
				continue
			}
			sort.Float64s(v)
			sort.Float64s(c)
			p := func(s []float64, q float64) float64 { return s[int(q*float64(len(s)-1)+0.5)] }
			fmt.Fprintf(&b, " %-34s", fmt.Sprintf("%.3g/%.3g/%.3g|%.0f/%.0f/%.0f", p(v, .1), p(v, .5), p(v, .9), p(c, .1), p(c, .5), p(c, .9)))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestCorpusNegatives counts the faces found in the corpus images that hold
// none (a cat, a coffee cup, a rocket, two dogs): none. The face finder
// fires on one dog (dlib/dogs.jpg), whose "eyes" are then found one above
// the other; maxEyeLineTurn drops it.
func TestCorpusNegatives(t *testing.T) {
	run := runCorpus(t)
	var b strings.Builder
	n, falseFaces := 0, 0
	for _, r := range run.rows {
		if r.Category != "no_face" {
			continue
		}
		rep := run.reports[r.File]
		if rep == nil {
			continue // not in the race detector's sample
		}
		n++
		falseFaces += len(rep.Faces)
		fmt.Fprintf(&b, "\n%-24s %d face(s)", r.File, len(rep.Faces))
	}
	t.Log(b.String())
	if n == 0 && !run.sampled {
		t.Fatal("no negative images in eyes.csv")
	}
	if falseFaces > 0 {
		t.Errorf("%d faces found on %d images without a face, want none", falseFaces, n)
	}
}
