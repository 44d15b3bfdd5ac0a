package nfiq2

import (
	"math/rand/v2"
	"testing"
)

// TestMinBytes8 checks the bytewise minimum on every pair of byte values,
// in every lane, next to lanes holding other values.
func TestMinBytes8(t *testing.T) {
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			lane := (a*7 + b) % 8
			x := uint64(0x00ff7f80017e81fe)&^(0xff<<(8*lane)) | uint64(a)<<(8*lane)
			y := uint64(0xff00807f7e01fe81)&^(0xff<<(8*lane)) | uint64(b)<<(8*lane)
			got := minBytes8(x, y)
			for i := 0; i < 8; i++ {
				xi, yi := uint8(x>>(8*i)), uint8(y>>(8*i))
				if g := uint8(got >> (8 * i)); g != min(xi, yi) {
					t.Fatalf("minBytes8(%#x, %#x) byte %d = %d, want %d", x, y, i, g, min(xi, yi))
				}
			}
		}
	}
}

// TestFillHolesMatchesLabelling checks fillHoles against labelling the
// white components and clearing those that do not reach the border.
func TestFillHolesMatchesLabelling(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, sz := range [][2]int{{1, 1}, {2, 5}, {9, 7}, {40, 33}, {120, 90}} {
		for trial := 0; trial < 20; trial++ {
			w, h := sz[0], sz[1]
			g := gray{w: w, h: h, p: make([]uint8, w*h)}
			for i := range g.p {
				if r.IntN(100) < 30+trial*2 {
					g.p[i] = 255
				}
			}
			want := gray{w: w, h: h, p: append([]uint8(nil), g.p...)}
			labels := make([]int32, w*h)
			comps, _ := labelComponents(want, 255, labels, nil)
			for i, l := range labels {
				if l != 0 && !comps[l-1].border {
					want.p[i] = 0
				}
			}
			fillHoles(g, nil)
			for i := range g.p {
				if g.p[i] != want.p[i] {
					t.Fatalf("%dx%d trial %d: pixel %d = %d, want %d", w, h, trial, i, g.p[i], want.p[i])
				}
			}
		}
	}
}

// covCenteredRef is covCentered column by column with the edge cases
// inside the loop, as diffGrad defines them.
func covCenteredRef(g gray, x0, y0, w, h int) (a, b, c float64) {
	var sa, sb, sc int
	at := func(x, y int) int { return int(g.p[(y0+y)*g.w+x0+x]) }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch x {
			case 0:
				dx = 2 * (at(1, y) - at(0, y))
			case w - 1:
				dx = 2 * (at(w-1, y) - at(w-2, y))
			default:
				dx = at(x+1, y) - at(x-1, y)
			}
			switch y {
			case 0:
				dy = 2 * (at(x, 1) - at(x, 0))
			case h - 1:
				dy = 2 * (at(x, h-1) - at(x, h-2))
			default:
				dy = at(x, y+1) - at(x, y-1)
			}
			sa += dx * dx
			sb += dy * dy
			sc += dx * dy
		}
	}
	inv := 1.0 / float64(w*h)
	return float64(sa) / 4 * inv, float64(sb) / 4 * inv, float64(sc) / 4 * inv
}

// TestCovCenteredMatchesDefinition checks covCentered against the
// definition on random blocks of several sizes and places.
func TestCovCenteredMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	g := gray{w: 70, h: 60, p: make([]uint8, 70*60)}
	for i := range g.p {
		g.p[i] = uint8(rng.IntN(256))
	}
	for i := 0; i < 500; i++ {
		w, h := 2+rng.IntN(40), 2+rng.IntN(40)
		x0, y0 := rng.IntN(g.w-w+1), rng.IntN(g.h-h+1)
		a, b, c := covCentered(g, x0, y0, w, h)
		ra, rb, rc := covCenteredRef(g, x0, y0, w, h)
		if a != ra || b != rb || c != rc {
			t.Fatalf("%dx%d block at (%d,%d): (%v, %v, %v), want (%v, %v, %v)", w, h, x0, y0, a, b, c, ra, rb, rc)
		}
	}
}
