package face

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/quality"
)

// TestCorpusEyeLineTurn measures, on every face-corpus image, the angle
// between the eye line localised in each detection and the detector's
// horizontal (what maxEyeLineTurn bounds): on the detections that match an
// annotated face it must stay well below the bound, and the false face on
// dlib/dogs.jpg must exceed it.
func TestCorpusEyeLineTurn(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow: a full corpus pass")
	}
	dir := corpus.Dir(t, "face")
	rows := readTruth(t, dir)
	a := newAssessor(t)
	byFile := map[string][]truthRow{}
	var files []string
	for _, r := range rows {
		if _, ok := byFile[r.File]; !ok {
			files = append(files, r.File)
		}
		byFile[r.File] = append(byFile[r.File], r)
	}
	maxTrue, dog := 0.0, -1.0
	nTrue := 0
	for _, f := range files {
		img, gs := localisationPlane(t, filepath.Join(dir, f))
		dets := a.detect(gs, img.Bounds().Sub(img.Bounds().Min), false)
		smoothFaces(gs, dets)
		for _, d := range dets {
			lr, lc, rr, rc := a.findEyes(gs, d, fullEyes)
			turn := eyeLineTurn(d, lr, lc, rr, rc)
			if f == "dlib/dogs.jpg" {
				dog = math.Max(dog, turn)
			}
			re, le := quality.Point{X: lc, Y: lr}, quality.Point{X: rc, Y: rr}
			for _, r := range byFile[f] {
				if r.HasGT && math.Max(dist(re, r.L), dist(le, r.R))/dist(r.L, r.R) < 0.25 {
					nTrue++
					maxTrue = math.Max(maxTrue, turn)
					break
				}
			}
		}
	}
	t.Logf("eye line turned from the detector's horizontal: at most %.1f° on %d detections of annotated faces; %.1f° on the dog", maxTrue, nTrue, dog)
	if nTrue < 200 {
		t.Fatalf("only %d annotated faces detected", nTrue)
	}
	if maxTrue > maxEyeLineTurn-10 {
		t.Errorf("an annotated face turns %.1f°, within 10° of the bound %v°", maxTrue, maxEyeLineTurn)
	}
	if dog <= maxEyeLineTurn {
		t.Errorf("the false face on dlib/dogs.jpg turns %.1f°, not beyond the bound %v°", dog, maxEyeLineTurn)
	}
}
