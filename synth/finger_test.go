package synth_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"math"
	"math/cmplx"
	"testing"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/synth"
)

func TestFingerprintDeterministic(t *testing.T) {
	for c := synth.AnyClass; c <= synth.Whorl; c++ {
		t.Run(c.String(), func(t *testing.T) {
			p := synth.FingerParams{Seed: 42, Class: c, Width: 200, Height: 250}
			a, err := synth.Fingerprint(p)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := synth.Fingerprint(p)
			if !bytes.Equal(a.Pix, b.Pix) {
				t.Fatalf("seed 42 gave different pixels on two runs")
			}
			p.Seed = 43
			o, _ := synth.Fingerprint(p)
			if f := differing(a.Pix, o.Pix, 16); f < 0.3 {
				t.Errorf("seeds 42 and 43 differ in only %.1f %% of pixels (by more than 16 levels)", 100*f)
			}
			d := synth.FingerDegradation{Noise: 20, Dryness: 0.4, PartialContact: 0.3, Rotation: 10}
			x, err := synth.DegradeFinger(a, d, 7)
			if err != nil {
				t.Fatal(err)
			}
			y, _ := synth.DegradeFinger(a, d, 7)
			if !bytes.Equal(x.Pix, y.Pix) {
				t.Errorf("DegradeFinger seed 7 gave different pixels on two runs")
			}
			z, _ := synth.DegradeFinger(a, d, 8)
			if bytes.Equal(x.Pix, z.Pix) {
				t.Errorf("DegradeFinger seeds 7 and 8 gave identical pixels")
			}
		})
	}
}

// differing returns the fraction of positions where a and b differ by
// more than tol.
func differing(a, b []uint8, tol int) float64 {
	n := 0
	for i := range a {
		if d := int(a[i]) - int(b[i]); d > tol || d < -tol {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

func TestFingerprintRidges(t *testing.T) {
	tests := []struct {
		class  synth.FingerClass
		period float64
	}{
		{synth.Arch, 7}, {synth.TentedArch, 9}, {synth.LeftLoop, 12}, {synth.RightLoop, 9}, {synth.Whorl, 10},
	}
	for _, tc := range tests {
		c, period := tc.class, tc.period
		{
			t.Run(fmt.Sprintf("%s/period%g", c, period), func(t *testing.T) {
				img, err := synth.Fingerprint(synth.FingerParams{Seed: 5, Class: c, RidgePeriod: period})
				if err != nil {
					t.Fatal(err)
				}
				if img.Rect != image.Rect(0, 0, 400, 500) {
					t.Fatalf("size %v, want 400×500", img.Rect)
				}
				// White background in the top corners, dark ridges inside.
				for _, p := range []image.Point{{2, 2}, {397, 2}} {
					if v := img.GrayAt(p.X, p.Y).Y; v < 240 {
						t.Errorf("corner %v = %d, want white background", p, v)
					}
				}
				// The dominant spatial period of a block below the centre
				// is the requested one, within 20 % (the period map varies by
				// up to 15 % and the DFT bins are coarse).
				got := dominantPeriod(img, image.Rect(168, 300, 232, 364))
				if math.Abs(got-period)/period > 0.2 {
					t.Errorf("dominant period %.2f px, want %g ± 20 %%", got, period)
				}
				dark := 0
				for _, v := range img.Pix {
					if v < 128 {
						dark++
					}
				}
				if f := float64(dark) / float64(len(img.Pix)); f < 0.2 || f > 0.5 {
					t.Errorf("%.1f %% of pixels are ridges (<128), want 20-50 %%", 100*f)
				}
			})
		}
	}
}

// dominantPeriod returns the period in pixels of the strongest non-DC
// frequency of a block, by direct DFT over periods of 4-20 px.
func dominantPeriod(img *image.Gray, r image.Rectangle) float64 {
	n := r.Dx()
	var mean float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			mean += float64(img.GrayAt(x, y).Y)
		}
	}
	mean /= float64(n * n)
	best, bestP := 0.0, 0.0
	for u := -n / 4; u <= n/4; u++ {
		for v := 0; v <= n/4; v++ {
			f := math.Hypot(float64(u), float64(v)) / float64(n)
			if f < 1.0/20 || f > 1.0/4 {
				continue
			}
			var s complex128
			for y := 0; y < n; y++ {
				for x := 0; x < n; x++ {
					a := -2 * math.Pi * float64(u*x+v*y) / float64(n)
					s += complex(float64(img.GrayAt(r.Min.X+x, r.Min.Y+y).Y)-mean, 0) * cmplx.Rect(1, a)
				}
			}
			if p := cmplx.Abs(s); p > best {
				best, bestP = p, 1/f
			}
		}
	}
	return bestP
}

func TestFingerprintInvalid(t *testing.T) {
	tests := []synth.FingerParams{
		{Width: 50}, {Height: 3000}, {RidgePeriod: 2}, {RidgePeriod: math.NaN()}, {Iterations: 100}, {Class: 99},
	}
	for _, p := range tests {
		if _, err := synth.Fingerprint(p); !errors.Is(err, synth.ErrInvalid) {
			t.Errorf("Fingerprint(%+v) err = %v, want ErrInvalid", p, err)
		}
	}
	bad := []synth.FingerDegradation{
		{Scale: 3}, {Rotation: 200}, {PartialContact: 1}, {Dryness: -1}, {Wetness: 2}, {Contrast: 0.01}, {Blur: 11}, {Noise: math.Inf(1)},
	}
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	for _, d := range bad {
		if _, err := synth.DegradeFinger(img, d, 1); !errors.Is(err, synth.ErrInvalid) {
			t.Errorf("DegradeFinger(%+v) err = %v, want ErrInvalid", d, err)
		}
	}
	if _, err := synth.DegradeFinger(nil, synth.FingerDegradation{}, 1); !errors.Is(err, synth.ErrInvalid) {
		t.Errorf("DegradeFinger(nil) err = %v, want ErrInvalid", err)
	}
}

// TestDegradeFingerEffects checks each degradation does what it says on
// the pixels, without any assessor.
func TestDegradeFingerEffects(t *testing.T) {
	src, err := synth.Fingerprint(synth.FingerParams{Seed: 11, Class: synth.Whorl})
	if err != nil {
		t.Fatal(err)
	}
	fg := foreground(src)
	tests := []struct {
		name  string
		d     synth.FingerDegradation
		check func(out *image.Gray) error
	}{
		{"none", synth.FingerDegradation{}, func(out *image.Gray) error {
			if !bytes.Equal(out.Pix, src.Pix) {
				return errors.New("zero degradation changed pixels")
			}
			return nil
		}},
		{"contrast", synth.FingerDegradation{Contrast: 0.4}, func(out *image.Gray) error {
			if a, b := inkMean(out), inkMean(src); math.Abs(a-0.4*b) > 1 {
				return fmt.Errorf("ink %.1f, want 0.4 × %.1f", a, b)
			}
			return nil
		}},
		{"partial contact", synth.FingerDegradation{PartialContact: 0.4}, func(out *image.Gray) error {
			if f := foreground(out) / fg; math.Abs(f-0.6) > 0.06 {
				return fmt.Errorf("%.2f of the foreground kept, want 0.60 ± 0.06", f)
			}
			return nil
		}},
		{"dryness", synth.FingerDegradation{Dryness: 0.7}, func(out *image.Gray) error {
			if a, b := inkMean(out), inkMean(src); a > 0.8*b {
				return fmt.Errorf("ink %.1f, want well below %.1f", a, b)
			}
			return nil
		}},
		{"wetness", synth.FingerDegradation{Wetness: 0.7}, func(out *image.Gray) error {
			if a, b := inkMean(out), inkMean(src); a < 1.1*b {
				return fmt.Errorf("ink %.1f, want well above %.1f", a, b)
			}
			return nil
		}},
		{"scale", synth.FingerDegradation{Scale: 0.7}, func(out *image.Gray) error {
			if f := foreground(out) / fg; math.Abs(f-0.49) > 0.08 {
				return fmt.Errorf("foreground scaled by %.2f, want 0.49 ± 0.08", f)
			}
			return nil
		}},
		{"rotation", synth.FingerDegradation{Rotation: 90}, func(out *image.Gray) error {
			// A portrait-shaped finger turned 90° becomes wider than tall.
			b := inkBox(out)
			if b.Dx() <= b.Dy() {
				return fmt.Errorf("foreground box %v is not wider than tall", b)
			}
			return nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := synth.DegradeFinger(src, tc.d, 3)
			if err != nil {
				t.Fatal(err)
			}
			if out.Rect != src.Rect {
				t.Fatalf("size %v, want %v", out.Rect, src.Rect)
			}
			if err := tc.check(out); err != nil {
				t.Error(err)
			}
		})
	}
	// Monotonic: more blur lowers the gradient energy, more noise raises
	// the background's spread.
	var prevGrad, prevNoise float64 = math.Inf(1), -1
	for _, s := range []float64{0.5, 1, 2, 4} {
		out, _ := synth.DegradeFinger(src, synth.FingerDegradation{Blur: s}, 1)
		g := gradEnergy(out)
		if g >= prevGrad {
			t.Errorf("blur σ %g: gradient energy %.1f not below %.1f", s, g, prevGrad)
		}
		prevGrad = g
		out, _ = synth.DegradeFinger(src, synth.FingerDegradation{Noise: 4 * s}, 1)
		n := cornerStd(out)
		if n <= prevNoise {
			t.Errorf("noise σ %g: corner spread %.2f not above %.2f", 4*s, n, prevNoise)
		}
		prevNoise = n
	}
}

func foreground(img *image.Gray) float64 {
	n := 0
	for _, v := range img.Pix {
		if v < 200 {
			n++
		}
	}
	return float64(n)
}

func inkMean(img *image.Gray) float64 {
	var s float64
	for _, v := range img.Pix {
		s += 255 - float64(v)
	}
	return s / float64(len(img.Pix))
}

func inkBox(img *image.Gray) image.Rectangle {
	var r image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.GrayAt(x, y).Y < 160 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

func gradEnergy(img *image.Gray) float64 {
	var s float64
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y-1; y++ {
		for x := b.Min.X; x < b.Max.X-1; x++ {
			dx := float64(img.GrayAt(x+1, y).Y) - float64(img.GrayAt(x, y).Y)
			dy := float64(img.GrayAt(x, y+1).Y) - float64(img.GrayAt(x, y).Y)
			s += dx*dx + dy*dy
		}
	}
	return s / float64(b.Dx()*b.Dy())
}

// cornerStd is the standard deviation of the top-left 20×20 corner (plain
// background in a synthetic print).
func cornerStd(img *image.Gray) float64 {
	var s, s2 float64
	for y := 0; y < 20; y++ {
		for x := 0; x < 20; x++ {
			v := float64(img.GrayAt(x, y).Y)
			s += v
			s2 += v * v
		}
	}
	m := s / 400
	return math.Sqrt(math.Max(0, s2/400-m*m))
}

// fingerAssessor returns the NFIQ 2 assessor with the embedded model. A
// panic in it is a failure of the test that called it, never a skip.
func fingerAssessor(t *testing.T) *finger.Assessor {
	t.Helper()
	return finger.New(nil)
}

// TestNoiseLowersNFIQ2 checks that more noise lowers the NFIQ 2 score on
// average across seeds.
func TestNoiseLowersNFIQ2(t *testing.T) {
	a := fingerAssessor(t)
	noises := []float64{0, 50, 100}
	seeds := []uint64{1, 2, 3, 4}
	if testing.Short() || raceEnabled {
		seeds = seeds[:2]
	}
	mean := make([]float64, len(noises))
	for _, s := range seeds {
		src, err := synth.Fingerprint(synth.FingerParams{Seed: s})
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range noises {
			img, err := synth.DegradeFinger(src, synth.FingerDegradation{Noise: n}, s)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := a.Assess(img, 500)
			score := 0.0
			switch {
			case err == nil:
				score = float64(rep.Score.Value)
			case errors.Is(err, finger.ErrUnscorable) && n > 0:
				// An unscorable noisy print counts as score 0.
			default:
				t.Fatalf("seed %d noise %g: %v", s, n, err)
			}
			mean[i] += score / float64(len(seeds))
		}
	}
	t.Logf("mean NFIQ 2 over seeds %v at noise σ %v: %.1f", seeds, noises, mean)
	for i := 1; i < len(mean); i++ {
		if mean[i] >= mean[i-1] {
			t.Errorf("mean score %.1f at noise σ %g is not below %.1f at σ %g", mean[i], noises[i], mean[i-1], noises[i-1])
		}
	}
}

// TestConcurrent generates from several goroutines at once (run with -race).
func TestConcurrent(t *testing.T) {
	p := synth.FingerParams{Seed: 77, Width: 160, Height: 200}
	want, err := synth.Fingerprint(p)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := synth.Fingerprint(p)
			if err == nil && !bytes.Equal(got.Pix, want.Pix) {
				err = errors.New("concurrent generation gave different pixels")
			}
			if err == nil {
				_, err = synth.DegradeFinger(got, synth.FingerDegradation{Noise: 5, Dryness: 0.3}, 1)
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
