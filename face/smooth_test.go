package face

import (
	"bytes"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/internal/fpmath"
)

// smoothRegionPerPixel and gaussSmoothPerPixel are the filters as a loop
// over the taps for each pixel, the straightforward form of the sums:
// smoothRegion and gaussSmooth, written along rows for speed in
// WebAssembly, must give the same bits.
func smoothRegionPerPixel(g *pico.Gray, r image.Rectangle, sigma float64) {
	r = r.Intersect(image.Rect(0, 0, g.W, g.H))
	if sigma < 0.25 || r.Empty() {
		return
	}
	rad := int(math.Ceil(3 * sigma))
	var k [32]float32
	rad = min(rad, len(k)/2-1)
	var sum float32
	for i := -rad; i <= rad; i++ {
		k[i+rad] = float32(fpmath.Exp(-float64(i*i) / (2 * sigma * sigma)))
		sum += k[i+rad]
	}
	for i := 0; i <= 2*rad; i++ {
		k[i] /= sum
	}
	w, h := r.Dx(), r.Dy()
	tmp := make([]float32, w*h)
	for y := 0; y < h; y++ {
		row := g.Pix[(r.Min.Y+y)*g.Stride+r.Min.X : (r.Min.Y+y)*g.Stride+r.Max.X]
		for x := 0; x < w; x++ {
			var v float32
			for i := -rad; i <= rad; i++ {
				v += float32(k[i+rad] * float32(row[min(max(x+i, 0), w-1)]))
			}
			tmp[y*w+x] = v
		}
	}
	for y := 0; y < h; y++ {
		row := g.Pix[(r.Min.Y+y)*g.Stride+r.Min.X : (r.Min.Y+y)*g.Stride+r.Max.X]
		for x := range row {
			var v float32
			for i := -rad; i <= rad; i++ {
				v += float32(k[i+rad] * tmp[min(max(y+i, 0), h-1)*w+x])
			}
			row[x] = uint8(min(v+0.5, 255))
		}
	}
}

func gaussSmoothPerPixel(f []float64, n int, s float64) {
	if s < 0.3 {
		return
	}
	r := int(math.Ceil(3 * s))
	k := make([]float64, 2*r+1)
	var sum float64
	for i := range k {
		x := float64(i - r)
		k[i] = fpmath.Exp(-x * x / (2 * s * s))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float64, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var v float64
			for j, w := range k {
				v += float64(w * f[y*n+min(max(x+j-r, 0), n-1)])
			}
			tmp[y*n+x] = v
		}
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var v float64
			for j, w := range k {
				v += float64(w * tmp[min(max(y+j-r, 0), n-1)*n+x])
			}
			f[y*n+x] = v
		}
	}
}

func TestSmoothRegionSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := &pico.Gray{W: 97, H: 61, Stride: 101, Pix: make([]uint8, 101*61)}
	for i := range base.Pix {
		base.Pix[i] = uint8(rng.IntN(256))
	}
	cases := []struct {
		r     image.Rectangle
		sigma float64
	}{
		{image.Rect(10, 5, 80, 50), 0.3},
		{image.Rect(10, 5, 80, 50), 1.7},
		{image.Rect(0, 0, 97, 61), 4},
		{image.Rect(-5, -5, 200, 200), 12}, // clipped; the kernel capped at 15 px
		{image.Rect(3, 3, 4, 4), 2},        // one pixel, a kernel wider than it
		{image.Rect(40, 20, 42, 23), 1},    // narrower than the kernel
		{image.Rect(90, 50, 97, 61), 0.9},  // at the corner
		{image.Rect(10, 5, 80, 50), 0.2},   // below 0.25: unchanged
	}
	for _, c := range cases {
		got := &pico.Gray{W: base.W, H: base.H, Stride: base.Stride, Pix: slices.Clone(base.Pix)}
		want := &pico.Gray{W: base.W, H: base.H, Stride: base.Stride, Pix: slices.Clone(base.Pix)}
		smoothRegion(got, c.r, c.sigma)
		smoothRegionPerPixel(want, c.r, c.sigma)
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("smoothRegion(%v, σ %g) differs from the per-pixel sums", c.r, c.sigma)
		}
		if c.sigma >= 0.25 && bytes.Equal(got.Pix, base.Pix) && c.r.Dx() > 1 {
			t.Errorf("smoothRegion(%v, σ %g) left the image unchanged", c.r, c.sigma)
		}
	}
}

func TestGaussSmoothSameBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range []struct {
		n int
		s float64
	}{{1, 1}, {2, 0.5}, {5, 3}, {17, 0.3}, {17, 1.4}, {40, 2.5}, {9, 0.29}} {
		f := make([]float64, c.n*c.n)
		for i := range f {
			f[i] = rng.NormFloat64() * 100
		}
		want := slices.Clone(f)
		gaussSmooth(f, make([]float64, c.n*c.n), c.n, c.s)
		gaussSmoothPerPixel(want, c.n, c.s)
		for i := range f {
			if math.Float64bits(f[i]) != math.Float64bits(want[i]) {
				t.Errorf("gaussSmooth(n %d, σ %g)[%d] = %v, per-pixel sums %v", c.n, c.s, i, f[i], want[i])
				break
			}
		}
	}
}

// BenchmarkSmoothRegion times smoothRegion against the per-pixel form on a
// 320×300 region at the σ a preview frame's face gets; run it also with
// GOOS=js GOARCH=wasm under Node, where the per-pixel form is the slower.
func BenchmarkSmoothRegion(b *testing.B) {
	g := &pico.Gray{W: 640, H: 480, Stride: 640, Pix: make([]uint8, 640*480)}
	for i := range g.Pix {
		g.Pix[i] = uint8(i*7 + i/640*13)
	}
	r := image.Rect(100, 50, 420, 350)
	for _, c := range []struct {
		name string
		f    func(*pico.Gray, image.Rectangle, float64)
	}{{"rows", smoothRegion}, {"per-pixel", smoothRegionPerPixel}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.f(g, r, 0.3)
			}
		})
	}
}
