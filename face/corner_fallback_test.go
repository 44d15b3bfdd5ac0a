package face

import (
	"image"
	"math"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
)

// TestCorpusCornerFallback measures the grounds of cornerUseOf on the
// annotated corpus faces with a reference IED of at least 40 px: the range
// of the pupils' distance and of the corner midpoints' distance over the
// reference IED (the corners scatter less), and, on every face where the
// corners disagree with the pupils but are plausible by themselves, that
// the eyes from the corners alone are nearer the reference than the
// pupils' (the larger eye error of the two, over the reference IED).
func TestCorpusCornerFallback(t *testing.T) {
	t.Parallel() // a long corpus test: its single-threaded stretches overlap another's
	if raceEnabled {
		t.Skip("race detector: too slow for the corpus pass")
	}
	dir := corpus.Dir(t, "face")
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	pupil, corner := [2]float64{math.Inf(1), math.Inf(-1)}, [2]float64{math.Inf(1), math.Inf(-1)}
	widen := func(r *[2]float64, v float64) { r[0], r[1] = math.Min(r[0], v), math.Max(r[1], v) }
	var faces, fallbacks int
	for _, r := range readTruth(t, dir) {
		gied := dist(r.L, r.R)
		if !r.HasGT || gied < 40 {
			continue
		}
		img, _ := loadImage(t, filepath.Join(dir, r.File))
		b := img.Bounds()
		g := luma(img, make([]uint8, b.Dx()*b.Dy()))
		dets := a.detect(g, image.Rect(0, 0, b.Dx(), b.Dy()), false)
		smoothFaces(g, dets)
		for _, d := range dets {
			f, ok := a.faceFromDetection(g, d, fullEyes)
			if !ok || math.Max(dist(f.RightEye, r.L), dist(f.LeftEye, r.R)) > 0.4*gied {
				continue
			}
			faces++
			pr, pl := f.RightEye, f.LeftEye
			lm := a.landmarks(g, pr, pl, landmarkRuns)
			nr, nl := mid(lm[RightEyeOuter], lm[RightEyeInner]), mid(lm[LeftEyeOuter], lm[LeftEyeInner])
			widen(&pupil, dist(pr, pl)/gied)
			widen(&corner, dist(nr, nl)/gied)
			if u := cornerUseOf(pr, pl, lm); u != cornersWithPupils {
				t.Logf("%s: corners disagree with the pupils (use %d: 0 pupils alone, 1 corners alone); lines %.1f° apart, spacing ratio %.2f", r.File, u, math.Abs(math.Remainder(math.Atan2(nl.Y-nr.Y, nl.X-nr.X)-math.Atan2(pl.Y-pr.Y, pl.X-pr.X), 2*math.Pi))*180/math.Pi, dist(nr, nl)/dist(pr, pl))
			}
			if cornerUseOf(pr, pl, lm) == cornersOnly {
				fallbacks++
				ce, cl := eyeCentres(pr, pl, lm)
				pe, pq := eyeCentres(pr, pl, nil)
				withCorners := math.Max(dist(ce, r.L), dist(cl, r.R)) / gied
				pupilsAlone := math.Max(dist(pe, r.L), dist(pq, r.R)) / gied
				t.Logf("%s: corners used alone, eye error %.3f IED (pupils alone %.3f)", r.File, withCorners, pupilsAlone)
				if withCorners >= pupilsAlone {
					t.Errorf("%s: the corners alone (eye error %.3f IED) are not nearer the reference than the pupils (%.3f)", r.File, withCorners, pupilsAlone)
				}
			}
			break
		}
	}
	t.Logf("%d faces: pupils' distance %.2f-%.2f of the reference IED, corner midpoints' %.2f-%.2f; corners used alone on %d",
		faces, pupil[0], pupil[1], corner[0], corner[1], fallbacks)
	if faces < 180 || fallbacks < 1 {
		t.Errorf("%d annotated faces with IED ≥ 40 px found (want at least 180), corners used alone on %d (want at least 1)", faces, fallbacks)
	}
}
