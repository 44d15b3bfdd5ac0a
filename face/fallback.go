package face

import (
	"errors"
	"image"
	"math"

	"github.com/biogate/biogate/quality"
)

// Mesh fallback for occluded faces. The face finder (pico cascades and the
// eye localiser) misses many faces whose lower half is covered: on the
// content photographs it found 11 of 19 masked faces and 5 of 8 with a
// hand over the face. When it finds no face in full mode, the face mesh is
// run on a few centred square crops of the image (or of the ROI) and the
// crop on which its face-presence score is highest is taken, if that score
// reaches meshFallbackScore; the eyes are the mesh's eye-contour means and
// the face is then assessed as any other (the mesh runs again on the crop
// set by those eyes). The crops are squares centred on the image, of side
// fallbackSides times its larger and smaller dimensions: a portrait,
// which fills most of its frame, lies in one of them.

// meshFallbackScore is the lowest face-presence score the fallback
// accepts (see TestCorpusOcclusionChecks for the found-rates and the
// fingerprint and object images it must reject).
const meshFallbackScore = 0.9

// fallbackSides are the crop sides, as fractions of the larger and then
// the smaller dimension of the searched rectangle.
var fallbackSides = []struct{ ofMax, ofMin float64 }{{1, 0}, {0, 1}, {0, 0.7}}

// meshFallback looks for one face in rectangle r (absolute image
// coordinates) with the face mesh alone; ok is false when none reaches
// meshFallbackScore or the mesh fails. The error is that of mesh models
// that could not be loaded (ErrModelsUnavailable): then nothing is found.
func (a *Assessor) meshFallback(img image.Image, r image.Rectangle) (f Face, ok bool, err error) {
	if r.Empty() {
		return Face{}, false, nil
	}
	cx, cy := float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2
	w, h := float64(r.Dx()), float64(r.Dy())
	var best *Mesh
	for _, s := range fallbackSides {
		side := float64(s.ofMax*math.Max(w, h)) + float64(s.ofMin*math.Min(w, h))
		m, err := a.meshRun(img, cx, cy, side, 0)
		if errors.Is(err, ErrModelsUnavailable) {
			return Face{}, false, err
		}
		if err != nil {
			return Face{}, false, nil
		}
		if best == nil || m.Score > best.Score {
			best = m
		}
	}
	if best == nil || best.Score < meshFallbackScore {
		return Face{}, false, nil
	}
	c := best.contourMeans()
	if dist(c[0], c[1]) < 1 {
		return Face{}, false, nil
	}
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range best.Points {
		x0, x1 = math.Min(x0, p.X), math.Max(x1, p.X)
		y0, y1 = math.Min(y0, p.Y), math.Max(y1, p.Y)
	}
	return Face{
		Box:        image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1))),
		RightEye:   quality.Point{X: c[0].X, Y: c[0].Y},
		LeftEye:    quality.Point{X: c[1].X, Y: c[1].Y},
		Confidence: best.Score,
	}, true, nil
}
