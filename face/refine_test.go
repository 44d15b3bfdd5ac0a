package face

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/quality"
)

// TestEyeRefinementGain measures each step of the eye localisation against
// the truth on the clean portraits and their roll12 variants: pigo's
// pupil localiser from a single start, with 31 perturbed starts (pigo's
// own default is 63 random ones), with rotated refinement passes in the
// eye line's frame and the mirrored cascade, and the eye-opening model from
// the eye corners started from either. Preview mode (Assess) is reported
// too. The final configuration must beat the raw localiser.
func TestEyeRefinementGain(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow: full corpus pass per configuration")
	}
	dir := corpus.Dir(t, "face")
	rows := readTruth(t, dir)
	a := newAssessor(t)
	type step struct {
		name    string
		cfg     eyeConfig
		corners bool
	}
	steps := []step{
		{"puploc, 1 start", eyeConfig{perturbs: 1}, false},
		{"puploc, 31 starts (median)", eyeConfig{perturbs: 31}, false},
		{"+ 2 rotated passes", eyeConfig{perturbs: 31, refine: 2}, false},
		{"+ 2 rotated passes + mirror", eyeConfig{perturbs: 31, refine: 2, mirror: true}, false},
		{"rotated+mirror, then corners", eyeConfig{perturbs: 31, refine: 2, mirror: true}, true},
		{"31 starts, then corners", eyeConfig{perturbs: 31}, true},
		{"final: rotated only if |roll|>15°", fullEyes, true},
	}
	errs := make([][]float64, len(steps)+1)
	iedOK := make([]int, len(steps)+1)
	n, nIED := 0, 0
	for _, r := range rows {
		if !r.HasGT || !(r.Category == "portrait" || r.Category == "single_frontal" || r.Category == "portrait_marginal" || r.Category == "roll12") {
			continue
		}
		img, gs := localisationPlane(t, filepath.Join(dir, r.File))
		b := img.Bounds()
		gied := dist(r.L, r.R)
		var det *detection
		for _, d := range a.detect(gs, b.Sub(b.Min), false) {
			f, ok := a.faceFromDetection(gs, d, fullEyes)
			if ok && math.Max(dist(f.RightEye, r.L), dist(f.LeftEye, r.R))/gied < 0.25 {
				det = &d
				break
			}
		}
		if det == nil {
			continue
		}
		n++
		if gied >= 60 {
			nIED++
		}
		record := func(i int, re, le quality.Point) {
			errs[i] = append(errs[i], dist(re, r.L)/gied, dist(le, r.R)/gied)
			if gied >= 60 && math.Abs(dist(re, le)/gied-1) <= 0.03 {
				iedOK[i]++
			}
		}
		for i, s := range steps {
			// The localiser's raw output, even where Assess would drop
			// the detection (maxEyeLineTurn).
			lr, lc, rr, rc := a.findEyes(gs, *det, s.cfg)
			pr, pl := quality.Point{X: lc, Y: lr}, quality.Point{X: rc, Y: rr}
			var lm map[string]quality.Point
			if s.corners {
				lm = a.landmarks(gs, pr, pl, landmarkRuns)
			}
			re, le := eyeCentres(pr, pl, lm)
			record(i, re, le)
		}
		// preview mode, as Assess runs it
		rep, err := a.Assess(img, &AssessOptions{Preview: true})
		if err != nil {
			t.Fatal(err)
		}
		if f, _ := matchFace(rep, r); f != nil {
			record(len(steps), f.RightEye, f.LeftEye)
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%d faces (portrait, single_frontal, portrait_marginal, roll12); per-eye error / true IED\n", n)
	fmt.Fprintf(&sb, "%-30s %8s %7s %7s %12s\n", "step", "median", "<0.05", "<0.10", "IED±3%")
	names := append([]string{}, func() []string {
		var s []string
		for _, st := range steps {
			s = append(s, st.name)
		}
		return s
	}()...)
	names = append(names, "preview mode (Assess)")
	for i, e := range errs {
		s := append([]float64(nil), e...)
		med := math.NaN()
		if len(s) > 0 {
			med = median(s)
		}
		fmt.Fprintf(&sb, "%-30s %8.4f %6.1f%% %6.1f%% %6d/%d\n", names[i], med, 100*shareBelow(e, 0.05), 100*shareBelow(e, 0.10), iedOK[i], nIED)
	}
	t.Log(sb.String())
	if shareBelow(errs[6], 0.05) <= shareBelow(errs[0], 0.05) {
		t.Errorf("final eye model does not beat raw puploc")
	}
}
