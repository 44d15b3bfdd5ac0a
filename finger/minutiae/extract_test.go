package minutiae

import (
	"errors"
	"fmt"
	"image"
	"math"
	"testing"
)

func TestExtractPlantedMinutiae(t *testing.T) {
	const (
		w, h   = 256, 256
		cx, cy = 128, 128
		tol    = 6.0 // pixels
		border = 12  // pixels from the image edge where edge effects are allowed
	)
	cases := []struct{ deg, period float64 }{
		{0, 9}, {30, 9}, {90, 9}, {135, 9}, {200, 9}, {300, 9},
		{60, 7}, {250, 7}, {15, 12}, {170, 12},
	}
	for _, c := range cases {
		deg, period := c.deg, c.period
		for _, tc := range []struct {
			invert bool
			want   Type
		}{{false, Ending}, {true, Bifurcation}} {
			t.Run(fmt.Sprintf("%s-%.0fdeg-T%.0f", tc.want, deg, period), func(t *testing.T) {
				alpha := deg * math.Pi / 180
				img := synthRidges(w, h, period, alpha, cx, cy, true, tc.invert)
				ms, err := Extract(img, nil)
				if err != nil {
					t.Fatal(err)
				}
				var found *Minutia
				others := 0
				for i := range ms {
					m := &ms[i]
					if math.Hypot(float64(m.X-cx), float64(m.Y-cy)) <= tol {
						if found == nil {
							found = m
						}
					} else if m.X >= border && m.X < w-border && m.Y >= border && m.Y < h-border {
						// FingerJetFX's filters run raster-linearly, wrapping
						// across the left and right edges, so ridges cut by
						// the image border can give minutiae there.
						others++
					}
				}
				if found == nil {
					t.Fatalf("no minutia within %.0f px of (%d,%d); got %v", tol, cx, cy, ms)
				}
				if found.Type != tc.want {
					t.Errorf("type = %v, want %v (%+v)", found.Type, tc.want, *found)
				}
				// Both kinds point along alpha (see synthRidges).
				wantAngle := alpha
				if d := angleDiff(found.Angle, wantAngle); d > 30*math.Pi/180 {
					t.Errorf("angle = %.1f°, want %.1f° ± 30°", found.AngleDegrees(), wantAngle*180/math.Pi)
				}
				if found.Quality < 50 {
					t.Errorf("quality = %d, want ≥ 50 on a clean pattern", found.Quality)
				}
				if others > 0 {
					t.Errorf("%d spurious minutiae away from the planted one: %v", others, ms)
				}
			})
		}
	}
}

func TestExtractCleanPatternHasNoMinutiae(t *testing.T) {
	for _, deg := range []float64{0, 45, 100} {
		img := synthRidges(200, 240, 9, deg*math.Pi/180, 100, 120, false, false)
		ms, err := Extract(img, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 0 {
			t.Errorf("%.0f°: %d minutiae on a pattern without any: %v", deg, len(ms), ms)
		}
	}
}

func TestExtractSubImageCoordinates(t *testing.T) {
	img := synthRidges(300, 300, 9, 0.3, 170, 160, true, false)
	sub := img.SubImage(image.Rect(40, 30, 300, 300)).(*image.Gray)
	full, err := Extract(img, nil)
	if err != nil {
		t.Fatal(err)
	}
	part, err := Extract(sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	near := func(ms []Minutia, x, y int) bool {
		for _, m := range ms {
			if math.Hypot(float64(m.X-x), float64(m.Y-y)) <= 6 {
				return true
			}
		}
		return false
	}
	if !near(full, 170, 160) || !near(part, 130, 130) {
		t.Errorf("planted ending not found relative to bounds: full %v, sub %v", full, part)
	}
}

func TestExtractErrors(t *testing.T) {
	tests := []struct {
		name string
		img  *image.Gray
		opts *Options
		want error
	}{
		{"nil", nil, nil, ErrEmpty},
		{"zero", image.NewGray(image.Rect(0, 0, 0, 10)), nil, ErrEmpty},
		{"tiny", image.NewGray(image.Rect(0, 0, 20, 100)), nil, ErrTooSmall},
		{"tiny padded", image.NewGray(image.Rect(0, 0, 20, 20)), &Options{PadTo: image.Pt(196, 196)}, nil},
		{"tiny padded, NFIQ 2", image.NewGray(image.Rect(0, 0, 20, 20)), NFIQ2Options(), ErrFootprintTooSmall},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Extract(tc.img, tc.opts)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var se *SizeError
			if errors.Is(tc.want, ErrTooSmall) && (!errors.As(err, &se) || se.Width != 20) {
				t.Errorf("want *SizeError with the size, got %#v", err)
			}
		})
	}
}

func TestExtractUniformImage(t *testing.T) {
	for _, v := range []uint8{0, 128, 255} {
		img := image.NewGray(image.Rect(0, 0, 100, 120))
		for i := range img.Pix {
			img.Pix[i] = v
		}
		ms, err := Extract(img, nil)
		if err != nil || len(ms) != 0 {
			t.Errorf("uniform %d: got %v, %v; want no minutiae and no error", v, ms, err)
		}
	}
}

func TestExtractOptions(t *testing.T) {
	// Several planted endings: a grid of truncated ridges.
	img := synthRidges(320, 320, 9, 0, 160, 160, true, false)
	all, err := Extract(img, &Options{MaxMinutiae: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no minutiae")
	}
	one, err := Extract(img, &Options{MaxMinutiae: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || one[0] != all[0] {
		t.Errorf("MaxMinutiae 1 = %v, want the best of %v", one, all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Quality > all[i-1].Quality {
			t.Errorf("not sorted by quality: %v", all)
		}
	}
	none, err := Extract(img, &Options{MinQuality: 101})
	if err != nil || len(none) != 0 {
		t.Errorf("MinQuality 101 = %v, %v; want none", none, err)
	}
	// A window away from the planted ending finds nothing there, and keeps
	// full-image coordinates.
	win, err := Extract(img, &Options{Window: image.Pt(64, 64)})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range win {
		if m.X < 128 || m.X >= 192 || m.Y < 128 || m.Y >= 192 {
			t.Errorf("minutia %v outside the centred 64×64 window", m)
		}
	}
}

func TestExtractConcurrent(t *testing.T) {
	img := synthRidges(200, 200, 9, 1, 100, 100, true, true)
	want, err := Extract(img, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []Minutia)
	for range 4 {
		go func() {
			got, _ := Extract(img, nil)
			done <- got
		}()
	}
	for range 4 {
		got := <-done
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("concurrent result differs: %v vs %v", got, want)
		}
	}
}

func TestExtractNoiseDoesNotPanic(t *testing.T) {
	rng := uint32(1)
	for _, sz := range []image.Point{{32, 32}, {33, 500}, {500, 33}, {97, 131}, {257, 199}} {
		img := image.NewGray(image.Rect(0, 0, sz.X, sz.Y))
		for i := range img.Pix {
			rng = rng*1664525 + 1013904223
			img.Pix[i] = uint8(rng >> 24)
		}
		ms, err := Extract(img, nil)
		if err != nil {
			t.Fatalf("%v: %v", sz, err)
		}
		for _, m := range ms {
			if m.X < 0 || m.Y < 0 || m.X >= sz.X || m.Y >= sz.Y || m.Quality < 0 || m.Quality > 100 ||
				m.Angle < 0 || m.Angle >= 2*math.Pi {
				t.Errorf("%v: invalid minutia %+v", sz, m)
			}
		}
	}
}

func TestExtractFootprintRefusal(t *testing.T) {
	// A fingertip: a small patch of ridges on a white image.
	tip := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range tip.Pix {
		tip.Pix[i] = 255
	}
	patch := synthRidges(70, 70, 9, 0.5, 35, 35, true, false)
	for y := 0; y < 70; y++ {
		copy(tip.Pix[(y+40)*tip.Stride+40:], patch.Pix[y*patch.Stride:y*patch.Stride+70])
	}
	// Ridges over the whole image with a single planted ending: ample
	// area, too few minutiae.
	one := synthRidges(300, 300, 9, 0.5, 150, 150, true, false)
	// Ridges over the whole image with many minutiae: four quadrants of
	// differently oriented ridges, each with a planted ending.
	many := image.NewGray(image.Rect(0, 0, 300, 300))
	for q := range 4 {
		ox, oy := 150*(q%2), 150*(q/2)
		sub := synthRidges(150, 150, 9, 0.4+0.7*float64(q), 75, 75, true, q%2 == 1)
		for y := 0; y < 150; y++ {
			copy(many.Pix[(y+oy)*many.Stride+ox:], sub.Pix[y*sub.Stride:y*sub.Stride+150])
		}
	}
	tests := []struct {
		name    string
		img     *image.Gray
		refused bool
	}{
		{"blank", image.NewGray(image.Rect(0, 0, 300, 300)), true},
		{"fingertip", tip, true},
		{"one minutia", one, true},
		{"many minutiae", many, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plain := *NFIQ2Options()
			plain.RefuseSmallFootprint = false
			r, err := Find(tc.img, &plain)
			if err != nil {
				t.Fatalf("without RefuseSmallFootprint: %v", err)
			}
			_, err = Find(tc.img, NFIQ2Options())
			if !tc.refused {
				if r.Count < 6 || err != nil {
					t.Fatalf("%d minutiae: err = %v, want accepted with at least 6", r.Count, err)
				}
				return
			}
			var fe *FootprintError
			if !errors.Is(err, ErrFootprintTooSmall) || !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FootprintError wrapping ErrFootprintTooSmall", err)
			}
			if fe.Minutiae != r.Count || fe.MinMinutiae != 6 || fe.Minutiae >= 6 {
				t.Errorf("%+v: want %d (< 6) minutiae, minimum 6", *fe, r.Count)
			}
			if fe.Result == nil || fe.Result.Count != r.Count || fe.Area != r.FootprintArea {
				t.Errorf("%+v: the error does not carry the result", *fe)
			}
		})
	}
}

func TestExtractAngleAccuracy(t *testing.T) {
	// Straight ridges: the direction traced along the ridge (or valley)
	// leaving the minutia is close to the planted one.
	var sum, worst float64
	n := 0
	for deg := 5.0; deg < 360; deg += 30 {
		for _, inv := range []bool{false, true} {
			a := deg * math.Pi / 180
			ms, err := Extract(synthRidges(256, 256, 9, a, 128, 128, true, inv), nil)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, m := range ms {
				if math.Hypot(float64(m.X-128), float64(m.Y-128)) <= 6 {
					e := angleDiff(m.Angle, a) * 180 / math.Pi
					sum += e
					worst = math.Max(worst, e)
					n++
					found = true
					break
				}
			}
			if !found {
				t.Errorf("%.0f° (inverted %v): planted minutia not found", deg, inv)
			}
		}
	}
	if n == 0 {
		t.Fatal("no minutia found")
	}
	mean := sum / float64(n)
	t.Logf("%d minutiae: mean angle error %.2f°, worst %.2f°", n, mean, worst)
	if mean > 2 || worst > 5 {
		t.Errorf("mean angle error %.2f°, worst %.2f°; want ≤ 2° and ≤ 5°", mean, worst)
	}
}
