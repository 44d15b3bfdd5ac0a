package facemesh

import (
	"image"
	"image/color"
	"image/color/palette"
	"math"
	"testing"
)

// testImage is a 40×30 RGBA image whose pixel (x, y) has R=5x, G=7y,
// B=(x*y)%251.
func testImage() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for y := 0; y < 30; y++ {
		for x := 0; x < 40; x++ {
			img.Set(x, y, color.RGBA{uint8(5 * x), uint8(7 * y), uint8((x * y) % 251), 255})
		}
	}
	return img
}

func TestCropInputIdentity(t *testing.T) {
	img := testImage()
	const size = 10
	dst := make([]float32, size*size*3)
	// Side == size, centre on a pixel corner: samples fall on pixel centres.
	toImage := CropInput(img, 20, 15, size, 0, size, dst)
	for v := 0; v < size; v++ {
		for u := 0; u < size; u++ {
			c := img.RGBAAt(15+u, 10+v)
			for k, want := range []uint8{c.R, c.G, c.B} {
				got := dst[(v*size+u)*3+k]
				if got != float32(float64(want)/255) {
					t.Fatalf("(%d,%d) channel %d = %v, want %v", u, v, k, got, float64(want)/255)
				}
			}
		}
	}
	for _, p := range [][4]float64{{0, 0, 15, 10}, {5, 5, 20, 15}, {10, 10, 25, 20}} {
		x, y := toImage(p[0], p[1])
		if x != p[2] || y != p[3] {
			t.Errorf("toImage(%v, %v) = (%v, %v), want (%v, %v)", p[0], p[1], x, y, p[2], p[3])
		}
	}
}

// TestCropInputRotation: with angle π/2 the crop's x axis runs down the
// image, so crop pixel (u, v) shows image pixel (x0 − v, y0 + u).
func TestCropInputRotation(t *testing.T) {
	img := testImage()
	const size = 8
	dst := make([]float32, size*size*3)
	toImage := CropInput(img, 20, 15, size, math.Pi/2, size, dst)
	for v := 0; v < size; v++ {
		for u := 0; u < size; u++ {
			x, y := toImage(float64(u)+0.5, float64(v)+0.5)
			ix, iy := int(math.Floor(x)), int(math.Floor(y))
			if ix != 23-v || iy != 11+u {
				t.Fatalf("crop (%d,%d) maps to image (%v,%v), want pixel (%d,%d)", u, v, x, y, 23-v, 11+u)
			}
			c := img.RGBAAt(ix, iy)
			for k, want := range []uint8{c.R, c.G, c.B} {
				got := float64(dst[(v*size+u)*3+k]) * 255
				if math.Abs(got-float64(want)) > 1e-3 {
					t.Fatalf("(%d,%d) channel %d = %v, want %v", u, v, k, got, want)
				}
			}
		}
	}
}

func TestCropInputScaleAndBorder(t *testing.T) {
	img := testImage()
	dst := make([]float32, 4*4*3)
	// Side 8 over 4 output pixels: each sample is the mean of a 2×2 block
	// (bilinear at the block's shared corner).
	CropInput(img, 20, 15, 8, 0, 4, dst)
	for v := 0; v < 4; v++ {
		for u := 0; u < 4; u++ {
			x0, y0 := 16+2*u, 11+2*v
			sum := 0.0
			for _, d := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				sum += float64(img.RGBAAt(x0+d[0], y0+d[1]).R)
			}
			if got := float64(dst[(v*4+u)*3]) * 255; math.Abs(got-sum/4) > 1e-4 {
				t.Fatalf("(%d,%d) R = %v, want %v", u, v, got, sum/4)
			}
		}
	}
	// Far outside the image: the nearest border pixel repeats.
	CropInput(img, -100, -100, 4, 0, 4, dst)
	c := img.RGBAAt(0, 0)
	if dst[0] != float32(float64(c.R)/255) || dst[1] != float32(float64(c.G)/255) {
		t.Errorf("outside the image: %v, want the corner pixel %v", dst[:3], c)
	}
	// Non-finite geometry neither panics nor leaves non-finite values.
	for _, g := range [][4]float64{{math.NaN(), 0, 4, 0}, {math.Inf(1), 0, 4, 0}, {5, 5, math.Inf(-1), 0}, {5, 5, 4, math.NaN()}} {
		CropInput(img, g[0], g[1], g[2], g[3], 4, dst)
		for _, v := range dst {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || v < 0 || v > 1 {
				t.Fatalf("geometry %v gave value %v", g, v)
			}
		}
	}
	// An empty image gives zeros.
	for i := range dst {
		dst[i] = 1
	}
	CropInput(image.NewRGBA(image.Rectangle{}), 0, 0, 4, 0, 4, dst)
	for _, v := range dst {
		if v != 0 {
			t.Fatalf("empty image: %v", dst)
		}
	}
}

// TestCropInputImageTypes: every pixel reader gives what image.Image.At
// gives.
func TestCropInputImageTypes(t *testing.T) {
	src := testImage()
	b := src.Bounds()
	nrgba := image.NewNRGBA(b)
	gray := image.NewGray(b)
	pal := image.NewPaletted(b, palette.Plan9)
	ycc := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := src.At(x, y)
			nrgba.Set(x, y, c)
			gray.Set(x, y, c)
			pal.Set(x, y, c)
			r, g, bl, _ := c.RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			ycc.Y[ycc.YOffset(x, y)] = yy
			ci := ycc.COffset(x, y)
			ycc.Cb[ci], ycc.Cr[ci] = cb, cr
		}
	}
	for _, tc := range []struct {
		name string
		img  image.Image
	}{{"RGBA", src}, {"NRGBA", nrgba}, {"Gray", gray}, {"YCbCr", ycc}, {"Paletted", pal}} {
		t.Run(tc.name, func(t *testing.T) {
			dst := make([]float32, 6*6*3)
			CropInput(tc.img, 17.3, 12.9, 9.7, 0.3, 6, dst)
			// The same crop through the generic reader.
			want := make([]float32, len(dst))
			CropInput(struct{ image.Image }{tc.img}, 17.3, 12.9, 9.7, 0.3, 6, want)
			for i := range dst {
				if dst[i] != want[i] {
					t.Fatalf("value %d = %v, generic reader %v", i, dst[i], want[i])
				}
			}
		})
	}
}

func TestFlipHorizontal(t *testing.T) {
	const size = 5
	in := make([]float32, size*size*3)
	for i := range in {
		in[i] = float32(i)
	}
	got := append([]float32(nil), in...)
	FlipHorizontal(got, size)
	for v := 0; v < size; v++ {
		for u := 0; u < size; u++ {
			for k := 0; k < 3; k++ {
				if got[(v*size+u)*3+k] != in[(v*size+size-1-u)*3+k] {
					t.Fatalf("(%d,%d,%d) = %v", u, v, k, got[(v*size+u)*3+k])
				}
			}
		}
	}
	FlipHorizontal(got, size)
	for i := range got {
		if got[i] != in[i] {
			t.Fatal("flipping twice is not the identity")
		}
	}
}

func TestCropInputPanicsOnBadDst(t *testing.T) {
	for _, tc := range []struct {
		size, n int
	}{{4, 47}, {0, 0}, {-1, 3}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("size %d, dst %d: no panic", tc.size, tc.n)
				}
			}()
			CropInput(testImage(), 1, 1, 4, 0, tc.size, make([]float32, tc.n))
		}()
	}
}

func TestSinCos(t *testing.T) {
	for a := -40.0; a <= 40; a += 0.0137 {
		s, c := sincos(a)
		if math.Abs(s-math.Sin(a)) > 4e-15 || math.Abs(c-math.Cos(a)) > 4e-15 {
			t.Fatalf("sincos(%v) = %v, %v; math gives %v, %v", a, s, c, math.Sin(a), math.Cos(a))
		}
	}
	if s, c := sincos(0); s != 0 || c != 1 {
		t.Errorf("sincos(0) = %v, %v", s, c)
	}
	if s, _ := sincos(math.Inf(1)); !math.IsNaN(s) {
		t.Errorf("sincos(Inf) = %v", s)
	}
}
