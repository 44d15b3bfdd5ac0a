package face

import (
	"fmt"
	"image"
	"os"
	"path/filepath"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/cputime"
	"github.com/disintegration/imaging"
	"image/color"
	"math"
	"testing"
)

// benchImage draws a synthetic portrait-like scene of the given size: a
// grey background, a skin-toned ellipse with dark eyes, brows and mouth.
// (Detection may or may not fire on it; the benchmarks below that need a
// real face use the corpus when available.)
func benchImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)*0.45
	fw, fh := float64(min(w, h))*0.22, float64(min(w, h))*0.3
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{150, 160, 170, 255}
			dx, dy := (float64(x)-cx)/fw, (float64(y)-cy)/fh
			if dx*dx+dy*dy < 1 {
				c = color.RGBA{220, 180, 150, 255}
				for _, ex := range []float64{-0.4, 0.4} {
					if math.Hypot(dx-ex, (dy+0.15)*1.6) < 0.12 {
						c = color.RGBA{40, 30, 30, 255}
					}
				}
				if math.Abs(dx) < 0.3 && math.Abs(dy-0.45) < 0.04 {
					c = color.RGBA{140, 60, 60, 255}
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func BenchmarkAssess(b *testing.B) {
	a, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	// A real portrait scaled to each size when the corpus is present (the
	// drawn stand-in otherwise: the timing then covers the search only).
	var portrait image.Image
	if p := corpus.Path(); p != "" {
		if img, err := loadFile(filepath.Join(p, "face", "portraits", "face_recognition", "obama.jpg")); err == nil {
			portrait = img
		}
	}
	for _, sz := range []struct {
		name    string
		w, h    int
		preview bool
		noFace  bool // a plain grey frame (preview's rotated fallback search runs)
	}{
		{"preview-640x480", 640, 480, true, false},
		{"preview-640x480-noface", 640, 480, true, true},
		{"full-640x480-noface", 640, 480, false, true}, // the mesh fallback runs
		{"full-640x480", 640, 480, false, false},
		{"full-1200x1600", 1200, 1600, false, false},
		{"preview-1200x1600", 1200, 1600, true, false},
	} {
		var img image.Image = benchImage(sz.w, sz.h)
		switch {
		case sz.noFace:
			img = imaging.New(sz.w, sz.h, color.NRGBA{128, 128, 128, 255})
		case portrait != nil:
			canvas := imaging.New(sz.w, sz.h, color.NRGBA{128, 128, 128, 255})
			img = imaging.PasteCenter(canvas, imaging.Fit(portrait, sz.w, sz.h, imaging.Linear))
		}
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(sz.w * sz.h * 4))
			opts := &AssessOptions{Preview: sz.preview}
			var faces int
			c0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				rep, err := a.Assess(img, opts)
				if err != nil {
					b.Fatal(err)
				}
				faces = len(rep.Faces)
			}
			b.ReportMetric(float64(faces), "faces")
			b.ReportMetric(float64(cputime.Process()-c0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

var _ = fmt.Sprint

func loadFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	return img, err
}
