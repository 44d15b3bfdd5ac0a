package face

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/biogate/biogate/face/internal/pico"
)

// The definitions of the row kernels, bilinear, downscale and the RGBA luma
// loop as they were before they were unrolled or given fast paths (git
// 157c8b7): the tests below check the faster code against them bit for bit.

func refAddConst32(dst []float32, v float32) {
	for x := range dst {
		dst[x] += v
	}
}

func refAddScaledBytes(dst []float32, src []uint8, k float32) {
	src = src[:len(dst)]
	for x, s := range src {
		dst[x] += float32(k * float32(int32(s)))
	}
}

func refAddScaled32(dst, src []float32, k float32) {
	src = src[:len(dst)]
	for x, s := range src {
		dst[x] += float32(k * s)
	}
}

func refRoundBytes(dst []uint8, src []float32) {
	dst = dst[:len(src)]
	for x, v := range src {
		v += 0.5
		if v > 255 {
			v = 255
		}
		dst[x] = uint8(v)
	}
}

func refAddConst64(dst []float64, v float64) {
	for x := range dst {
		dst[x] += v
	}
}

func refAddScaled64(dst, src []float64, k float64) {
	src = src[:len(dst)]
	for x, s := range src {
		dst[x] += float64(k * s)
	}
}

func refBilinear(g *pico.Gray, x, y float64) float64 {
	x -= 0.5
	y -= 0.5
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	p := func(i, j int) float64 {
		i = min(max(i, 0), g.W-1)
		j = min(max(j, 0), g.H-1)
		return float64(g.Pix[j*g.Stride+i])
	}
	return float64((float64(p(ix, iy)*(1-fx))+float64(p(ix+1, iy)*fx))*(1-fy)) + float64((float64(p(ix, iy+1)*(1-fx))+float64(p(ix+1, iy+1)*fx))*fy)
}

func refDownscale(g *pico.Gray, k int) *pico.Gray {
	w, h := g.W/k, g.H/k
	d := &pico.Gray{Pix: make([]uint8, w*h), W: w, H: h, Stride: w}
	kk := uint32(k * k)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s uint32
			for j := 0; j < k; j++ {
				row := g.Pix[(y*k+j)*g.Stride+x*k:]
				for i := 0; i < k; i++ {
					s += uint32(row[i])
				}
			}
			d.Pix[y*w+x] = uint8((s + kk/2) / kk)
		}
	}
	return d
}

func randFloats32(rng *rand.Rand, n int, lo, hi float32) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = lo + (hi-lo)*rng.Float32()
	}
	return v
}

func randFloats64(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1000 * rng.NormFloat64()
	}
	return v
}

func randBytes(rng *rand.Rand, n int) []uint8 {
	v := make([]uint8, n)
	for i := range v {
		v[i] = uint8(rng.UintN(256))
	}
	return v
}

func sameBits32(a, b []float32) bool {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}

func sameBits64(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}

// TestRowKernelsMatchDefinition checks the unrolled row kernels against
// their loop definitions, bit for bit, on every length 0-41 (the unrolled
// part and the tail).
func TestRowKernelsMatchDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 5))
	for n := 0; n <= 41; n++ {
		for rep := 0; rep < 20; rep++ {
			k32, k64 := float32(rng.NormFloat64()), rng.NormFloat64()
			d32 := randFloats32(rng, n, -300, 300)
			a, b := append([]float32(nil), d32...), append([]float32(nil), d32...)
			addConst32(a, k32)
			refAddConst32(b, k32)
			if !sameBits32(a, b) {
				t.Fatalf("addConst32 n=%d: %v, definition %v", n, a, b)
			}
			src8 := randBytes(rng, n+3)
			addScaledBytes(a, src8, k32)
			refAddScaledBytes(b, src8, k32)
			if !sameBits32(a, b) {
				t.Fatalf("addScaledBytes n=%d: %v, definition %v", n, a, b)
			}
			src32 := randFloats32(rng, n+2, -300, 300)
			addScaled32(a, src32, k32)
			refAddScaled32(b, src32, k32)
			if !sameBits32(a, b) {
				t.Fatalf("addScaled32 n=%d: %v, definition %v", n, a, b)
			}
			// Values around and beyond 0-255, and exact halves.
			r := randFloats32(rng, n, -20, 300)
			for i := range r {
				if i%5 == 0 {
					r[i] = float32(int(r[i])) + 0.5
				}
				if i%7 == 0 {
					r[i] = []float32{254.5, 255, 254.49998, 255.5, 0, -0.5, -0.25}[i%7]
				}
			}
			ga, gb := make([]uint8, n), make([]uint8, n)
			roundBytes(ga, r)
			refRoundBytes(gb, r)
			if string(ga) != string(gb) {
				t.Fatalf("roundBytes n=%d on %v: %v, definition %v", n, r, ga, gb)
			}
			d64 := randFloats64(rng, n)
			c, d := append([]float64(nil), d64...), append([]float64(nil), d64...)
			addConst64(c, k64)
			refAddConst64(d, k64)
			if !sameBits64(c, d) {
				t.Fatalf("addConst64 n=%d", n)
			}
			src64 := randFloats64(rng, n+1)
			addScaled64(c, src64, k64)
			refAddScaled64(d, src64, k64)
			if !sameBits64(c, d) {
				t.Fatalf("addScaled64 n=%d", n)
			}
		}
	}
}

// TestBilinearMatchesDefinition checks bilinear's in-image fast path and
// its clamped path against the definition at positions inside, on and
// beyond every border.
func TestBilinearMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 6))
	g := &pico.Gray{W: 23, H: 17, Stride: 26}
	g.Pix = randBytes(rng, g.Stride*g.H)
	pts := [][2]float64{{0, 0}, {0.5, 0.5}, {22.5, 16.5}, {23, 17}, {22.49, 16.49}, {-3, 5}, {5, -3}, {40, 8}, {8, 40}, {math.NaN(), 3}, {1e300, 2}}
	for i := 0; i < 20000; i++ {
		pts = append(pts, [2]float64{-2 + 27*rng.Float64(), -2 + 21*rng.Float64()})
	}
	for _, p := range pts {
		a, b := bilinear(g, p[0], p[1]), refBilinear(g, p[0], p[1])
		if math.Float64bits(a) != math.Float64bits(b) && !(math.IsNaN(a) && math.IsNaN(b)) {
			t.Fatalf("bilinear(%v, %v) = %v, definition %v", p[0], p[1], a, b)
		}
	}
}

// TestDownscaleMatchesDefinition checks downscale (k = 2's own loop and
// the general one) against the definition, odd sizes and a wide stride
// included.
func TestDownscaleMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 7))
	for _, sz := range [][3]int{{2, 2, 2}, {9, 7, 11}, {64, 48, 64}, {65, 49, 70}, {3, 1, 3}} {
		g := &pico.Gray{W: sz[0], H: sz[1], Stride: sz[2]}
		g.Pix = randBytes(rng, g.Stride*g.H)
		for _, k := range []int{1, 2, 3} {
			want := refDownscale(g, k)
			got := downscale(g, k, make([]uint8, (g.W/k)*(g.H/k)))
			if got.W != want.W || got.H != want.H || string(got.Pix) != string(want.Pix) {
				t.Fatalf("downscale %v by %d differs from the definition", sz, k)
			}
		}
	}
}

// TestLumaRGBAMatchesDefinition checks luma's RGBA loop against yOf pixel
// by pixel, on a sub-image (offset bounds, wider stride).
func TestLumaRGBAMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 8))
	img := image.NewRGBA(image.Rect(0, 0, 37, 21))
	copy(img.Pix, randBytes(rng, len(img.Pix)))
	sub := img.SubImage(image.Rect(3, 2, 30, 19)).(*image.RGBA)
	g := luma(sub, make([]uint8, 27*17))
	for y := 0; y < 17; y++ {
		for x := 0; x < 27; x++ {
			c := img.RGBAAt(3+x, 2+y)
			if want := yOf(uint32(c.R), uint32(c.G), uint32(c.B)); g.Pix[y*g.Stride+x] != want {
				t.Fatalf("luma at (%d,%d) = %d, want %d", x, y, g.Pix[y*g.Stride+x], want)
			}
		}
	}
}
