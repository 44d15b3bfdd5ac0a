package finger

import (
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/fpmath"
)

// TestRidgeMapMatchesDefinition checks ridgeMapAt, whose per-pixel loops
// moved into blockMoments and binProfile, against its definition as it
// was (refRidgeMapAt, git 157c8b7), bit for bit, on the synthetic prints
// of testdata and a noise image, at several scales.
func TestRidgeMapMatchesDefinition(t *testing.T) {
	var imgs []*image.Gray
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "finger", "*.png"))
	if len(paths) == 0 {
		t.Fatal("no prints in testdata/finger")
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		b := img.Bounds()
		g := image.NewGray(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				g.Set(x, y, img.At(x, y))
			}
		}
		imgs = append(imgs, g)
	}
	rng := rand.New(rand.NewPCG(26, 9))
	noise := image.NewGray(image.Rect(0, 0, 150, 130))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.UintN(256))
	}
	imgs = append(imgs, noise, noise.SubImage(image.Rect(7, 5, 140, 120)).(*image.Gray))
	ridges := 0
	for i, g := range imgs {
		for _, scale := range []float64{0.6, 1, 1.37, 2} {
			got, want := ridgeMapAt(g, scale), refRidgeMapAt(g, scale)
			if got.cols != want.cols || got.rows != want.rows || got.ridges != want.ridges || got.textured != want.textured || len(got.theta) != len(want.theta) {
				t.Fatalf("image %d scale %v: %d×%d, %d ridges, %d textured; definition %d×%d, %d, %d", i, scale, got.cols, got.rows, got.ridges, got.textured, want.cols, want.rows, want.ridges, want.textured)
			}
			for k := range got.theta {
				if math.Float64bits(got.theta[k]) != math.Float64bits(want.theta[k]) {
					t.Fatalf("image %d scale %v block %d: θ %v, definition %v", i, scale, k, got.theta[k], want.theta[k])
				}
			}
			ridges += got.ridges
		}
	}
	if ridges == 0 {
		t.Error("no ridge block: the profile binning went untested")
	}
}

func refRidgeMapAt(g *image.Gray, scale float64) ridgeMap {
	bs := max(8, min(64, int(math.Round(ridgeBlock500*scale))))
	pmin, pmax := ridgeMinPeriod*scale, ridgeMaxPeriod*scale
	w, h := g.Rect.Dx(), g.Rect.Dy()
	at := func(x, y int) float64 { return float64(g.Pix[y*g.Stride+x]) }
	// Profile bins along the block's normal, 1 px wide, offset by bs.
	sum := make([]float64, 2*bs+2)
	cnt := make([]float64, 2*bs+2)
	var m ridgeMap
	m.cols, m.rows = max(0, (w-2)/bs), max(0, (h-2)/bs)
	m.theta = make([]float64, m.cols*m.rows)
	for i := range m.theta {
		m.theta[i] = math.NaN()
	}
	for by := 0; by < m.rows; by++ {
		y0 := 1 + by*bs
		for bx := 0; bx < m.cols; bx++ {
			x0 := 1 + bx*bs
			var gxx, gyy, gxy, s, s2 float64
			for y := y0; y < y0+bs; y++ {
				for x := x0; x < x0+bs; x++ {
					gx := at(x+1, y) - at(x-1, y)
					gy := at(x, y+1) - at(x, y-1)
					gxx += float64(gx * gx)
					gyy += float64(gy * gy)
					gxy += float64(gx * gy)
					v := at(x, y)
					s += v
					s2 += float64(v * v)
				}
			}
			n := float64(bs * bs)
			if (gxx+gyy)/n < ridgeMinEnergy {
				continue
			}
			m.textured++
			if fpmath.Hypot(gxx-gyy, 2*gxy) < ridgeMinCoherence*(gxx+gyy) {
				continue
			}
			mean := s / n
			total := s2 - float64(n*mean*mean)
			if total <= 0 {
				continue
			}
			th := 0.5 * fpmath.Atan2(2*gxy, gxx-gyy) // gradient axis = ridge normal
			nx, ny := fpmath.Cos(th), fpmath.Sin(th)
			cx, cy := float64(x0)+float64(bs-1)/2, float64(y0)+float64(bs-1)/2
			clear(sum)
			clear(cnt)
			for y := y0; y < y0+bs; y++ {
				for x := x0; x < x0+bs; x++ {
					k := int(math.Floor(float64((float64(x)-cx)*nx) + float64((float64(y)-cy)*ny) + float64(bs)))
					sum[k] += at(x, y)
					cnt[k]++
				}
			}
			if isRidgeProfile(sum, cnt, mean, total, pmin, pmax) {
				m.ridges++
				m.theta[by*m.cols+bx] = th
			}
		}
	}
	return m
}
