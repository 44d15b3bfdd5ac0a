//go:build amd64 && !amd64.v3

package finger

import (
	"fmt"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/disintegration/imaging"
)

// TestResizeMatchesImaging holds resizeCatmullRom to the pixels that
// imaging.Resize(…, CatmullRom) gave biogate before (amd64 without FMA,
// where imaging's products are rounded one by one): shrinking, enlarging,
// one side only, tiny and odd sizes, random and ridge images.
func TestResizeMatchesImaging(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 1))
	noise := func(w, h int) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = uint8(rng.IntN(256))
		}
		return g
	}
	tests := []struct {
		src  *image.Gray
		w, h int
	}{
		{ridges(520, 600, 18, 0.3), 260, 300}, // 1000 → 500 ppi
		{ridges(300, 320, 6, 1.1), 500, 533},  // 300 → 500 ppi
		{ridges(413, 390, 11, 2.0), 272, 257}, // 760 → 500 ppi
		{noise(257, 263), 214, 219},           // 600 → 500 ppi
		{noise(97, 101), 161, 168},            // enlarging noise
		{noise(64, 80), 64, 41},               // height only
		{noise(80, 64), 41, 64},               // width only
		{noise(1, 1), 3, 2},                   // a single pixel
		{noise(2, 7), 1, 1},                   // to a single pixel
		{noise(5, 3), 17, 9},                  // strong enlargement
		{noise(333, 41), 37, 40},              // strong shrinking
		{noise(40, 40), 40, 40},               // same size
	}
	for _, c := range resizeCases() { // the golden file's cases too
		tests = append(tests, struct {
			src  *image.Gray
			w, h int
		}{c.src, c.w, c.h})
	}
	for _, tt := range tests {
		sz := tt.src.Rect.Size()
		t.Run(fmt.Sprintf("%dx%d-to-%dx%d", sz.X, sz.Y, tt.w, tt.h), func(t *testing.T) {
			want := toGray(imaging.Resize(tt.src, tt.w, tt.h, imaging.CatmullRom))
			got := resizeCatmullRom(tt.src, tt.w, tt.h)
			if got.Rect != want.Rect {
				t.Fatalf("bounds %v, want %v", got.Rect, want.Rect)
			}
			diff := 0
			for i := range got.Pix {
				if got.Pix[i] != want.Pix[i] {
					if diff == 0 {
						t.Errorf("pixel %d: %d, want %d", i, got.Pix[i], want.Pix[i])
					}
					diff++
				}
			}
			if diff > 0 {
				t.Errorf("%d of %d pixels differ from imaging", diff, len(got.Pix))
			}
		})
	}
}
