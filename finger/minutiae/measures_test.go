package minutiae

import (
	"encoding/json"
	"image"
	"math"
	"testing"
)

// halves returns a w×h image whose columns left of split are a and the
// rest b.
func halves(w, h, split int, a, b uint8) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := b
			if x < split {
				v = a
			}
			img.Pix[y*img.Stride+x] = v
		}
	}
	return img
}

func TestMeasuresMu(t *testing.T) {
	// Left half 50, right half 200: mean 125, σ 75.
	img := halves(300, 300, 150, 50, 200)
	tests := []struct {
		name string
		x    int
		want float64 // share counted by the Mu test
	}{
		// Block x∈[x−16, x+16): deep left → (125−50)/75 = 1 > 0.5.
		{"dark", 60, 0},
		// Deep right → (125−200)/75 = −1 ≤ 0.
		{"bright", 240, 0},
		// Centred on the edge: mean exactly 125 → 0, not > 0.
		{"edge", 150, 0},
		// 18 dark + 14 bright columns: mean 115.625 → 0.125 ∈ (0, 0.5].
		{"mostly dark", 148, 1},
		// 26 dark + 6 bright: mean 78.125 → 0.625 > 0.5.
		{"too dark", 140, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Measures(img, []Minutia{{X: tc.x, Y: 150}})
			if s.MuQuality2 != tc.want {
				t.Errorf("MuQuality2 = %v, want %v", s.MuQuality2, tc.want)
			}
		})
	}
	// Clipping at the image border: a minutia at (2, 2) uses the block
	// [0, 18)², all dark → not counted; at the right edge all bright.
	s := Measures(img, []Minutia{{X: 2, Y: 2}, {X: 299, Y: 299}, {X: 148, Y: 0}})
	if want := 1.0 / 3; math.Abs(s.MuQuality2-want) > 1e-12 {
		t.Errorf("clipped: MuQuality2 = %v, want %v", s.MuQuality2, want)
	}
}

func TestMeasuresOCL(t *testing.T) {
	stripes := synthRidges(200, 200, 9, 0.4, 100, 100, false, false)
	flat := halves(200, 200, 0, 0, 90)
	// Straight stripes: OCL ≈ 1 everywhere, including blocks shifted back
	// inside at the borders.
	s := Measures(stripes, []Minutia{{X: 100, Y: 100}, {X: 0, Y: 0}, {X: 199, Y: 199}})
	if s.OCLQuality80 != 1 {
		t.Errorf("stripes: OCLQuality80 = %v, want 1", s.OCLQuality80)
	}
	// No gradient: OCL 0.
	s = Measures(flat, []Minutia{{X: 100, Y: 100}})
	if s.OCLQuality80 != 0 {
		t.Errorf("flat: OCLQuality80 = %v, want 0", s.OCLQuality80)
	}
	// Isotropic texture (a checkerboard): OCL 0.
	cb := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range cb.Pix {
		if (i%64/4+i/64/4)%2 == 0 {
			cb.Pix[i] = 200
		}
	}
	if s := Measures(cb, []Minutia{{X: 32, Y: 32}}); s.OCLQuality80 != 0 {
		t.Errorf("checkerboard: OCLQuality80 = %v, want 0", s.OCLQuality80)
	}
}

func TestMeasuresCOMRect(t *testing.T) {
	img := halves(500, 400, 0, 0, 100)
	ms := []Minutia{
		{X: 100, Y: 100}, {X: 300, Y: 100}, // centre of mass of all four:
		{X: 100, Y: 300}, {X: 302, Y: 303}, // (802/4, 803/4) = (200, 200)
	}
	// Rectangle [100, 300]² inclusive: (302, 303) is outside.
	s := Measures(img, ms)
	if s.MinutiaeCount != 4 || s.COMRect200x200 != 3 {
		t.Errorf("got count %v, COM %v; want 4, 3", s.MinutiaeCount, s.COMRect200x200)
	}
	// Clipping at the image border does not matter for minutiae inside.
	s = Measures(img, []Minutia{{X: 0, Y: 0}, {X: 499, Y: 399}, {X: 10, Y: 10}})
	// COM (169, 136): rectangle [69, 269]×[36, 236] holds none of them.
	if s.COMRect200x200 != 0 {
		t.Errorf("COM = %v, want 0", s.COMRect200x200)
	}
	if s := Measures(img, nil); s != (MeasureSet{}) {
		t.Errorf("no minutiae: %+v, want zeros", s)
	}
	m := Measures(img, ms).Map()
	if len(m) != 4 || m[NameMinutiaeCount] != 4 || m[NameCOMRect200x200] != 3 {
		t.Errorf("Map = %v", m)
	}
}

func TestAngles(t *testing.T) {
	tests := []struct {
		rad  float64
		iso  uint8
		deg  float64
		name string
	}{
		{0, 0, 0, "zero"},
		{math.Pi / 2, 64, 90, "up"},
		{math.Pi, 128, 180, "left"},
		{3 * math.Pi / 2, 192, 270, "down"},
		{2*math.Pi - 0.001, 0, 359.94, "wrap"},
		{-math.Pi / 2, 192, 270, "negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := Minutia{Angle: tc.rad}
			if got := m.ISOAngle(); got != tc.iso {
				t.Errorf("ISOAngle = %d, want %d", got, tc.iso)
			}
			if got := m.AngleDegrees(); math.Abs(got-tc.deg) > 0.01 {
				t.Errorf("AngleDegrees = %v, want %v", got, tc.deg)
			}
		})
	}
	for u := 0; u < 256; u++ {
		if got := RadiansToISO(ISOToRadians(uint8(u))); got != uint8(u) {
			t.Fatalf("round trip %d -> %d", u, got)
		}
	}
}

func TestMinutiaJSON(t *testing.T) {
	m := Minutia{X: 12, Y: 34, Angle: math.Pi / 4, Type: Bifurcation, Quality: 77}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"x":12,"y":34,"angle_deg":45,"iso_angle":32,"type":"bifurcation","quality":77}`
	if string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
	var back Minutia
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.X != 12 || back.Y != 34 || back.Type != Bifurcation || back.Quality != 77 || math.Abs(back.Angle-m.Angle) > 1e-9 {
		t.Errorf("round trip = %+v, want %+v", back, m)
	}
	for _, ty := range []Type{Ending, Bifurcation, Other} {
		var got Type
		txt, _ := ty.MarshalText()
		if err := got.UnmarshalText(txt); err != nil || got != ty {
			t.Errorf("%v: text round trip gave %v", ty, got)
		}
	}
	if Type(7).String() != "other" {
		t.Errorf("unknown type should print as other")
	}
}
