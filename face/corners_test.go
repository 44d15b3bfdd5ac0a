package face

import (
	"math"
	"testing"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/quality"
)

// almondEyes draws two eye openings (dark lenses with pointed corners, on
// skin) whose corners are at x = 85, 155 (image-left eye) and 245, 315
// (image-right eye), y = 100.
func almondEyes() *pico.Gray {
	const w, h = 400, 200
	g := &pico.Gray{Pix: make([]uint8, w*h), W: w, H: h, Stride: w}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(180)
			for _, xc := range []float64{120, 280} {
				u := (float64(x) - xc) / 35
				if math.Abs(u) < 1 && math.Abs(float64(y)-100) < 12*(1-u*u) {
					v = 60
				}
			}
			g.Pix[y*w+x] = v
		}
	}
	return g
}

// TestRefinedOuterCornersFindTheCanthus starts the refinement off the
// drawn outer corners by up to 5 px (3 % of the corner midpoints'
// distance) either way: it must end at the lens tip, where the smoothed
// corner response peaks a few pixels inside the sharp drawn tip (the
// constant part of that offset is what the fitted Inward constant
// absorbs), and only along the eye line.
func TestRefinedOuterCornersFindTheCanthus(t *testing.T) {
	g := almondEyes()
	for _, tt := range []struct {
		name  string
		shift float64 // the cascades' error along the eye line, px (+: inwards)
	}{{"5 px outside", -5}, {"2 px outside", -2}, {"exact", 0}, {"5 px inside", 5}, {"8 px inside", 8}} {
		t.Run(tt.name, func(t *testing.T) {
			lm := map[string]quality.Point{
				RightEyeOuter: {X: 85 + tt.shift, Y: 101}, RightEyeInner: {X: 155, Y: 100},
				LeftEyeInner: {X: 245, Y: 100}, LeftEyeOuter: {X: 315 - tt.shift, Y: 101},
			}
			ro, lo := refinedOuterCorners(g, lm)
			// Inward offsets from the drawn tips; the eyes are mirror
			// images, so both must agree.
			in, il := ro.X-85, 315-lo.X
			if in < -1 || in > 5 || il < -1 || il > 5 {
				t.Errorf("refined outer corners %.2f, %.2f px inside the tips; want 0-5 (start %+.0f)", in, il, tt.shift)
			}
			if math.Abs(in-il) > 0.01 {
				t.Errorf("mirror-image eyes refined differently: %.3f and %.3f px inside", in, il)
			}
			if ro.Y != 101 || lo.Y != 101 {
				t.Errorf("refined outer corners y = %.2f, %.2f; want 101 (moves along the eye line only)", ro.Y, lo.Y)
			}
		})
	}
}

func TestRefinedOuterCornersFlatImage(t *testing.T) {
	g := &pico.Gray{Pix: make([]uint8, 200*100), W: 200, H: 100, Stride: 200}
	lm := map[string]quality.Point{
		RightEyeOuter: {X: 40, Y: 50}, RightEyeInner: {X: 80, Y: 50},
		LeftEyeInner: {X: 120, Y: 50}, LeftEyeOuter: {X: 160, Y: 50},
	}
	if ro, lo := refinedOuterCorners(g, lm); ro != lm[RightEyeOuter] || lo != lm[LeftEyeOuter] {
		t.Errorf("flat image moved the corners to %v, %v", ro, lo)
	}
	// Corners at the image's edge and degenerate (coincident) corners.
	lm[RightEyeOuter], lm[LeftEyeOuter] = quality.Point{X: 0, Y: 0}, quality.Point{X: 199, Y: 99}
	refinedOuterCorners(g, lm)
	same := map[string]quality.Point{RightEyeOuter: {X: 5, Y: 5}, RightEyeInner: {X: 5, Y: 5}, LeftEyeInner: {X: 5, Y: 5}, LeftEyeOuter: {X: 5, Y: 5}}
	if ro, _ := refinedOuterCorners(g, same); ro != same[RightEyeOuter] {
		t.Errorf("coincident corners moved to %v", ro)
	}
}

// TestCornerUse checks how eye centres combine pupils and eye corners: the
// corners' midpoints (120, 100) and (280, 100), eye widths 70; pupils that
// agree are blended in, pupils far from corners that make a plausible pair
// of eyes are ignored, and implausible corners are ignored.
func TestCornerUse(t *testing.T) {
	corners := func(ro, ri, li, lo float64) map[string]quality.Point {
		return map[string]quality.Point{
			RightEyeOuter: {X: ro, Y: 100}, RightEyeInner: {X: ri, Y: 100},
			LeftEyeInner: {X: li, Y: 100}, LeftEyeOuter: {X: lo, Y: 100},
		}
	}
	good := corners(85, 155, 245, 315)
	p := eyeParams{PupilWeight: 0.5}
	pt := func(x float64) quality.Point { return quality.Point{X: x, Y: 100} }
	tests := []struct {
		name   string
		re, le quality.Point
		lm     map[string]quality.Point
		want   cornerUse
		wr, wl float64 // expected eye centres' x
	}{
		{"agree", pt(124), pt(276), good, cornersWithPupils, 122, 278},
		{"one pupil off by 0.2", pt(120), pt(250), good, cornersOnly, 120, 280},
		{"no corners", pt(124), pt(276), nil, noCorners, 124, 276},
		{"outer and inner swapped", pt(100), pt(250), corners(155, 85, 245, 315), noCorners, 100, 250},
		{"one eye too narrow", pt(100), pt(250), corners(110, 130, 245, 315), noCorners, 100, 250},
		{"widths differ by more than 1.5", pt(100), pt(250), corners(95, 145, 240, 320), noCorners, 100, 250},
		{"corners twice the pupils' distance", pt(170), pt(250), good, noCorners, 170, 250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cornerUseOf(tt.re, tt.le, tt.lm); got != tt.want {
				t.Fatalf("cornerUseOf = %d, want %d", got, tt.want)
			}
			r, l := p.centres(tt.re, tt.le, tt.lm)
			if math.Abs(r.X-tt.wr) > 1e-9 || math.Abs(l.X-tt.wl) > 1e-9 || r.Y != 100 || l.Y != 100 {
				t.Errorf("centres %v %v, want x %v %v at y 100", r, l, tt.wr, tt.wl)
			}
		})
	}
	// a corner line turned 15° from the pupils' is implausible
	s, c := math.Sin(15*math.Pi/180), math.Cos(15*math.Pi/180)
	turned := map[string]quality.Point{}
	for k, v := range good {
		dx, dy := v.X-200, v.Y-100
		turned[k] = quality.Point{X: 200 + c*dx - s*dy, Y: 100 + s*dx + c*dy}
	}
	if got := cornerUseOf(pt(120), pt(250), turned); got != noCorners {
		t.Errorf("corners turned by 15°: cornerUseOf = %d, want noCorners", got)
	}
}
