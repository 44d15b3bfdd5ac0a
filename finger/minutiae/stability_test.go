package minutiae

import (
	"image"
	"math"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/finger/internal/nfiq2"
)

// translate returns g moved right by dx and down by dy inside the same
// frame: the uncovered top and left strips are white (paper), the bottom and
// right strips that leave the frame are dropped.
func translate(g *image.Gray, dx, dy int) *image.Gray {
	b := g.Bounds()
	o := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for i := range o.Pix {
		o.Pix[i] = 255
	}
	for y := 0; y+dy < b.Dy(); y++ {
		src := g.Pix[y*g.Stride : y*g.Stride+b.Dx()-dx]
		copy(o.Pix[(y+dy)*o.Stride+dx:], src)
	}
	return o
}

// TestCorpusTranslationStability measures how far the four NFIQ 2 minutiae
// measures move, with the tolerances of the corpus comparison (counts ±10 %,
// shares ±0.05), when the image is translated by one pixel. FingerJetFX
// (which Find reproduces) works on fixed grids (the 2/3 resampling, 4×4
// orientation blocks, 32×32 enhancement blocks every 17 px, 3×3 candidate
// tiles, a top-N cut), so a one-pixel move of the finger changes which
// borderline minutiae pass: this is a property of NFIQ 2's minutiae
// measures themselves, which a capture workstation sees as scatter between
// attempts.
//
// The floors guard the stability against regressions.
func TestCorpusTranslationStability(t *testing.T) {
	dir, rows := corpusRows(t)
	shifts := [][2]int{{1, 0}, {0, 1}, {1, 1}}
	type result struct {
		base  MeasureSet
		moved [3]MeasureSet
		err   error
	}
	res := make([]result, len(rows))
	// Every image here is scored by NIST; neither it nor its moved copies
	// may be refused.
	forEach(len(rows), func(i int) {
		g, err := loadGray(filepath.Join(dir, "images", rows[i].file))
		if err == nil {
			g, err = nfiq2.CropNearWhiteFrame(g)
		}
		if err == nil {
			res[i].base, err = extractMeasures(g)
		}
		for k, s := range shifts {
			if err != nil {
				break
			}
			res[i].moved[k], err = extractMeasures(translate(g, s[0], s[1]))
		}
		if err != nil {
			t.Errorf("%s: %v", rows[i].file, err)
		}
		res[i].err = err
	})

	type field struct {
		name  string
		get   func(MeasureSet) float64
		ok    func(a, b float64) bool
		floor float64
	}
	relOK := func(a, b float64) bool { return math.Abs(a-b) <= 0.1*a }
	absOK := func(a, b float64) bool { return math.Abs(a-b) <= 0.05 }
	fields := []field{
		{NameMinutiaeCount, func(s MeasureSet) float64 { return s.MinutiaeCount }, relOK, 0.82},
		{NameCOMRect200x200, func(s MeasureSet) float64 { return s.COMRect200x200 }, relOK, 0.65},
		{NameMuQuality2, func(s MeasureSet) float64 { return s.MuQuality2 }, absOK, 0.78},
		{NameOCLQuality80, func(s MeasureSet) float64 { return s.OCLQuality80 }, absOK, 0.88},
	}
	for _, f := range fields {
		ok, n := 0, 0
		var withNIST, nNIST int
		for i, r := range res {
			if r.err != nil {
				continue
			}
			if f.ok(f.get(rows[i].want), f.get(r.base)) {
				withNIST++
			}
			nNIST++
			for k := range shifts {
				if f.ok(f.get(r.base), f.get(r.moved[k])) {
					ok++
				}
				n++
			}
		}
		if n == 0 {
			t.Fatal("no image compared")
		}
		share := float64(ok) / float64(n)
		t.Logf("%-40s within tolerance of itself after a 1-px move: %3d/%3d = %5.1f%%  (of NIST's value: %5.1f%%)",
			f.name, ok, n, 100*share, 100*float64(withNIST)/float64(nNIST))
		floor := f.floor
		if testing.Short() || raceEnabled {
			floor -= 0.10 // the subset is small
		}
		if share < floor {
			t.Errorf("%s: self-agreement after a 1-px move %.1f%%, floor %.0f%%", f.name, 100*share, 100*floor)
		}
	}
}
