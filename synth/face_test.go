package synth_test

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

// dotsImage draws two dark anti-aliased discs of radius r at the eyes on a
// plain 400×500 colour background.
func dotsImage(e synth.Eyes, r float64) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 400, 500))
	const ss = 4 // supersampling
	for y := 0; y < 500; y++ {
		for x := 0; x < 400; x++ {
			cover := 0.0
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := float64(x) + (float64(sx)+0.5)/ss - 0.5
					py := float64(y) + (float64(sy)+0.5)/ss - 0.5
					for _, p := range []quality.Point{e.Right, e.Left} {
						if math.Hypot(px-p.X, py-p.Y) <= r {
							cover++
						}
					}
				}
			}
			v := uint8(math.Round(210 - 180*cover/(ss*ss)))
			img.SetNRGBA(x, y, color.NRGBA{v, v, v, 255})
		}
	}
	return img
}

// darkCentroid returns the darkness-weighted centroid within radius rad of p.
func darkCentroid(img image.Image, p quality.Point, rad float64) quality.Point {
	var sx, sy, sw float64
	b := img.Bounds()
	for y := int(p.Y - rad); y <= int(p.Y+rad)+1; y++ {
		for x := int(p.X - rad); x <= int(p.X+rad)+1; x++ {
			if !image.Pt(x, y).In(b) || math.Hypot(float64(x)-p.X, float64(y)-p.Y) > rad {
				continue
			}
			g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
			w := math.Max(0, 200-float64(g))
			sx += w * float64(x)
			sy += w * float64(y)
			sw += w
		}
	}
	return quality.Point{X: sx / sw, Y: sy / sw}
}

func TestDegradeFaceGeometry(t *testing.T) {
	src := synth.Eyes{Right: quality.Point{X: 140.3, Y: 231.7}, Left: quality.Point{X: 262.9, Y: 238.2}}
	const r = 7.0
	img := dotsImage(src, r)
	tests := []struct {
		name string
		d    synth.FaceDegradation
		// wantRoll, wantIED: NaN means the source's.
		wantRoll, wantIED float64
	}{
		{"none", synth.FaceDegradation{}, math.NaN(), math.NaN()},
		{"roll12", synth.FaceDegradation{Level: true, Roll: 12}, 12, math.NaN()},
		{"roll-9.5", synth.FaceDegradation{Level: true, Roll: -9.5}, -9.5, math.NaN()},
		{"level", synth.FaceDegradation{Level: true}, 0, math.NaN()},
		{"turn20", synth.FaceDegradation{Roll: 20}, src.Roll() + 20, math.NaN()},
		{"ied100", synth.FaceDegradation{IED: 100}, math.NaN(), 100},
		{"ied60", synth.FaceDegradation{IED: 60}, math.NaN(), 60},
		{"ied250", synth.FaceDegradation{IED: 250}, math.NaN(), 250},
		{"shift", synth.FaceDegradation{ShiftX: 0.15, ShiftY: -0.05}, math.NaN(), math.NaN()},
		{"combined", synth.FaceDegradation{IED: 90, Level: true, Roll: -15, ShiftX: -0.1, Blur: 1, Noise: 3, Seed: 4}, -15, 90},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, eyes, jpg, err := synth.DegradeFace(img, src, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if jpg != nil {
				t.Errorf("JPEG bytes without JPEGQuality")
			}
			wantRoll, wantIED := tc.wantRoll, tc.wantIED
			if math.IsNaN(wantRoll) {
				wantRoll = src.Roll()
			}
			if math.IsNaN(wantIED) {
				wantIED = src.IED()
			}
			if got := eyes.Roll(); math.Abs(got-wantRoll) > 0.1 {
				t.Errorf("eye line roll %.4f°, want %.4f° ± 0.1", got, wantRoll)
			}
			if got := eyes.IED(); math.Abs(got-wantIED) > 0.5 {
				t.Errorf("IED %.4f px, want %.4f ± 0.5", got, wantIED)
			}
			// The bookkeeping must follow the pixels: the dark discs are
			// where the output eyes say.
			s := eyes.IED() / src.IED()
			for _, p := range []quality.Point{eyes.Right, eyes.Left} {
				c := darkCentroid(out, p, r*s+3)
				if d := math.Hypot(c.X-p.X, c.Y-p.Y); d > 0.3 {
					t.Errorf("disc centroid (%.2f, %.2f) is %.2f px from the reported eye (%.2f, %.2f)", c.X, c.Y, d, p.X, p.Y)
				}
			}
			w, h, te, err := synth.FaceTransform(400, 500, src, tc.d)
			if err != nil || w != out.Bounds().Dx() || h != out.Bounds().Dy() || te != eyes {
				t.Errorf("FaceTransform = %d×%d %+v %v; DegradeFace gave %v %+v", w, h, te, err, out.Bounds().Size(), eyes)
			}
			if tc.d.ShiftX != 0 {
				dx := eyes.Mid().X - src.Mid().X
				if want := tc.d.ShiftX * float64(out.Bounds().Dx()); tc.d.IED == 0 && !tc.d.Level && math.Abs(dx-want) > 1e-9 {
					t.Errorf("eye midpoint moved %.3f px, want %.3f", dx, want)
				}
			}
		})
	}
}

func TestDegradeFacePhotometric(t *testing.T) {
	src := synth.Eyes{Right: quality.Point{X: 140, Y: 230}, Left: quality.Point{X: 260, Y: 230}}
	img := dotsImage(src, 7)
	mean := func(m image.Image, x0, x1 int) float64 {
		var s, n float64
		for y := 0; y < 500; y++ {
			for x := x0; x < x1; x++ {
				s += float64(color.GrayModel.Convert(m.At(x, y)).(color.Gray).Y)
				n++
			}
		}
		return s / n
	}
	base := mean(img, 0, 400)
	run := func(d synth.FaceDegradation) (image.Image, []byte) {
		t.Helper()
		out, _, jpg, err := synth.DegradeFace(img, src, d)
		if err != nil {
			t.Fatal(err)
		}
		return out, jpg
	}
	if out, _ := run(synth.FaceDegradation{Gain: 0.2}); math.Abs(mean(out, 0, 400)-0.2*base) > 1 {
		t.Errorf("gain 0.2: mean %.1f, want %.1f", mean(out, 0, 400), 0.2*base)
	}
	if out, _ := run(synth.FaceDegradation{Uneven: 0.5}); mean(out, 300, 400) < 1.5*mean(out, 0, 100) {
		t.Errorf("uneven 0.5: right side %.1f not much brighter than left %.1f", mean(out, 300, 400), mean(out, 0, 100))
	}
	if out, _ := run(synth.FaceDegradation{Greyscale: true}); out.ColorModel() != color.GrayModel {
		t.Errorf("greyscale gave %T", out)
	}
	out, jpg := run(synth.FaceDegradation{JPEGQuality: 10})
	if len(jpg) < 100 || jpg[0] != 0xFF || jpg[1] != 0xD8 {
		t.Fatalf("JPEG bytes missing or not a JPEG")
	}
	if _, ok := out.(*image.YCbCr); !ok {
		t.Errorf("JPEG variant image is %T, want the decoded *image.YCbCr", out)
	}
	// Clutter leaves the head and shoulders alone and changes the background.
	out, _ = run(synth.FaceDegradation{Clutter: 1, Seed: 3})
	changed := func(x0, y0, x1, y1 int) float64 {
		n, c := 0, 0
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				n++
				r1, g1, b1, _ := out.At(x, y).RGBA()
				r2, g2, b2, _ := img.At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 {
					c++
				}
			}
		}
		return float64(c) / float64(n)
	}
	if f := changed(150, 200, 250, 300); f != 0 {
		t.Errorf("clutter changed %.1f %% of the face", 100*f)
	}
	if f := changed(0, 0, 60, 500); f < 0.2 {
		t.Errorf("clutter changed only %.1f %% of the left background", 100*f)
	}
}

func TestDegradeFaceErrors(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 100, 100))
	good := synth.Eyes{Right: quality.Point{X: 30, Y: 50}, Left: quality.Point{X: 70, Y: 50}}
	tests := []struct {
		name string
		img  image.Image
		eyes synth.Eyes
		d    synth.FaceDegradation
	}{
		{"nil image", nil, good, synth.FaceDegradation{}},
		{"empty image", image.NewGray(image.Rectangle{}), good, synth.FaceDegradation{}},
		{"swapped eyes", img, synth.Eyes{Right: good.Left, Left: good.Right}, synth.FaceDegradation{}},
		{"NaN eye", img, synth.Eyes{Right: quality.Point{X: math.NaN()}, Left: good.Left}, synth.FaceDegradation{}},
		{"roll", img, good, synth.FaceDegradation{Roll: 120}},
		{"ied", img, good, synth.FaceDegradation{IED: 2}},
		{"huge", img, synth.Eyes{Right: quality.Point{X: 30, Y: 50}, Left: quality.Point{X: 34, Y: 50}}, synth.FaceDegradation{IED: 1000}},
		{"jpeg", img, good, synth.FaceDegradation{JPEGQuality: 101}},
		{"gain NaN", img, good, synth.FaceDegradation{Gain: math.NaN()}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, _, err := synth.DegradeFace(tc.img, tc.eyes, tc.d); !errors.Is(err, synth.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestDegradeFaceDeterministic(t *testing.T) {
	src := synth.Eyes{Right: quality.Point{X: 140, Y: 230}, Left: quality.Point{X: 260, Y: 236}}
	img := dotsImage(src, 7)
	d := synth.FaceDegradation{Seed: 9, Level: true, Roll: 7, Noise: 12, Clutter: 0.5, JPEGQuality: 50}
	_, _, a, err := synth.DegradeFace(img, src, d)
	if err != nil {
		t.Fatal(err)
	}
	_, _, b, _ := synth.DegradeFace(img, src, d)
	if string(a) != string(b) {
		t.Errorf("same seed gave different JPEG bytes")
	}
	d.Seed = 10
	_, _, c, _ := synth.DegradeFace(img, src, d)
	if string(a) == string(c) {
		t.Errorf("different seeds gave identical JPEG bytes")
	}
}

// TestBlurLowersFaceSharpness degrades real portraits with more and more
// blur and checks that the face assessor's Sharpness component falls.
func TestBlurLowersFaceSharpness(t *testing.T) {
	n, sigmas := 3, []float64{0, 1.5, 3, 6}
	if testing.Short() || raceEnabled {
		n, sigmas = 2, []float64{0, 3, 6}
	}
	ps := portraits(t, n)
	a, err := face.New(nil)
	if err != nil {
		t.Fatalf("face.New: %v", err)
	}
	for _, p := range ps {
		var comps []float64
		for _, s := range sigmas {
			img, eyes, _, err := synth.DegradeFace(p.img, p.eyes, synth.FaceDegradation{Blur: s})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := a.Assess(img, &face.AssessOptions{Landmarks: &face.Landmarks{RightEye: eyes.Right, LeftEye: eyes.Left}})
			if err != nil {
				t.Fatalf("%s blur %g: %v", p.name, s, err)
			}
			m, ok := rep.Measures.Get(quality.Sharpness)
			if !ok || !m.HasComponent {
				t.Fatalf("the face assessor reports no %s component (measures: %d)", quality.Sharpness, len(rep.Measures))
			}
			comps = append(comps, m.Component)
		}
		t.Logf("%s: Sharpness component at blur σ %v: %.1f", p.name, sigmas, comps)
		for i := 1; i < len(comps); i++ {
			if comps[i] > comps[i-1] {
				t.Errorf("%s: Sharpness rose from %.1f to %.1f when blur σ went from %g to %g px", p.name, comps[i-1], comps[i], sigmas[i-1], sigmas[i])
			}
		}
		if comps[len(comps)-1] >= comps[0] {
			t.Errorf("%s: Sharpness %.1f at σ %g px is not below %.1f unblurred", p.name, comps[len(comps)-1], sigmas[len(sigmas)-1], comps[0])
		}
	}
}

// TestFaceVariantsAgainstAssessor runs the real face assessor (with its own
// detection) and the default profile on variants of corpus portraits, and
// checks each sidecar's expect_fail and expect_pass.
func TestFaceVariantsAgainstAssessor(t *testing.T) {
	n, variants := 2, []string{"roll12", "roll-14", "level", "level+ied100", "level+dark", "level+q10", "level+q95"}
	if testing.Short() || raceEnabled {
		n, variants = 1, []string{"roll12", "level+ied100", "level+dark", "level+q10"}
	}
	ps := portraits(t, n)
	a, err := face.New(nil)
	if err != nil {
		t.Fatalf("face.New: %v", err)
	}
	prof := thresholds.MustEmbedded(thresholds.Default)
	for _, p := range ps {
		for _, v := range variants {
			s, err := synth.FaceSample("v", p.img, p.name, p.eyes, v, 1, prof)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := a.Assess(s.Image, &face.AssessOptions{JPEG: s.JPEG})
			if err != nil {
				t.Fatalf("%s %s: %v", p.name, v, err)
			}
			d := prof.Decide(quality.Face, rep.Measures)
			var got string
			if len(rep.Faces) > 0 {
				f := rep.Faces[0]
				got = fmt.Sprintf("eyes (%.1f,%.1f) (%.1f,%.1f) vs truth (%.1f,%.1f) (%.1f,%.1f)", f.RightEye.X, f.RightEye.Y, f.LeftEye.X, f.LeftEye.Y,
					s.Sidecar.Eyes.Right.X, s.Sidecar.Eyes.Right.Y, s.Sidecar.Eyes.Left.X, s.Sidecar.Eyes.Left.Y)
			}
			t.Logf("%s %s: %s; %s", p.name, v, d, got)
			for _, c := range s.Sidecar.ExpectFail {
				if !d.Has(c) {
					t.Errorf("%s %s: expected %s to fail; decision %s", p.name, v, c, d)
				}
			}
			for _, c := range s.Sidecar.ExpectPass {
				if d.Has(c) {
					t.Errorf("%s %s: expected %s to pass; decision %s", p.name, v, c, d)
				}
			}
		}
	}
}
