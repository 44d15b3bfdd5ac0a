package facemesh

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// rgbImage turns an 8-bit RGB fixture into an image, mirrored left to
// right when mirror is set.
func rgbImage(t *testing.T, name string, size int, mirror bool) *image.RGBA {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			sx := x
			if mirror {
				sx = size - 1 - x
			}
			p := b[(y*size+sx)*3:]
			img.SetRGBA(x, y, color.RGBA{p[0], p[1], p[2], 255})
		}
	}
	return img
}

// TestRunEyeMirror: the subject's right eye of the synthetic face, and the
// same eye in the mirrored image run as a subject's left eye, must give
// mirrored points (x → 192 − x), because RunEye mirrors that crop back.
func TestRunEyeMirror(t *testing.T) {
	iris, err := LoadIris()
	if err != nil {
		t.Fatal(err)
	}
	const w = 192
	// gen.mjs draws the image-left eye centred at (0.36, 0.47)·192 with
	// half-width 0.07·192.
	cx, cy, hw := 0.36*w, 0.47*w, 0.07*w
	a, err := iris.RunEye(rgbImage(t, "face192.rgb", w, false), cx-hw, cy, cx+hw, cy, false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := iris.RunEye(rgbImage(t, "face192.rgb", w, true), w-(cx-hw), cy, w-(cx+hw), cy, true)
	if err != nil {
		t.Fatal(err)
	}
	maxd := 0.0
	for i := range a.Contour {
		maxd = math.Max(maxd, math.Hypot(a.Contour[i][0]-(w-b.Contour[i][0]), a.Contour[i][1]-b.Contour[i][1]))
	}
	for i := range a.Iris {
		maxd = math.Max(maxd, math.Hypot(a.Iris[i][0]-(w-b.Iris[i][0]), a.Iris[i][1]-b.Iris[i][1]))
	}
	t.Logf("max mirror mismatch %.2g px; iris centre (%.2f, %.2f), drawn at (%.2f, %.2f)", maxd, a.Iris[0][0], a.Iris[0][1], cx, cy)
	if maxd > 1e-3 {
		t.Errorf("mirrored runs differ by %.3g px (tolerance 1e-3)", maxd)
	}
	// The drawn iris (radius 0.03·192 ≈ 5.8 px) must contain the centre.
	if d := math.Hypot(a.Iris[0][0]-cx, a.Iris[0][1]-cy); d > 3 {
		t.Errorf("iris centre %.1f px from the drawn centre", d)
	}
	// Index 0 is the outer corner (left here), 8 the inner corner.
	if a.Contour[0][0] >= a.Contour[8][0] {
		t.Errorf("contour 0 at x=%.1f is not left of contour 8 at x=%.1f", a.Contour[0][0], a.Contour[8][0])
	}
}
