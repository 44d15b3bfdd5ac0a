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
