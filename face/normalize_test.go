package face

import (
	"testing"

	"github.com/biogate/biogate/face/internal/pico"
)

func TestLocalNormalize(t *testing.T) {
	fill := func(w, h int, f func(x, y int) uint8) *pico.Gray {
		g := &pico.Gray{Pix: make([]uint8, w*h), W: w, H: h, Stride: w}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				g.Pix[y*w+x] = f(x, y)
			}
		}
		return g
	}
	tests := []struct {
		name  string
		g     *pico.Gray
		check func(t *testing.T, g *pico.Gray)
	}{
		{"uniform stays mid-grey", fill(200, 150, func(x, y int) uint8 { return 30 }), func(t *testing.T, g *pico.Gray) {
			for i, v := range g.Pix {
				if v != 128 {
					t.Fatalf("pixel %d = %d, want 128", i, v)
				}
			}
		}},
		{"faint dark edge is amplified", fill(200, 150, func(x, y int) uint8 {
			if x < 100 {
				return 10
			}
			return 20
		}), func(t *testing.T, g *pico.Gray) {
			l, r := g.Pix[75*200+95], g.Pix[75*200+105]
			if int(r)-int(l) < 60 {
				t.Errorf("edge %d -> %d: contrast not amplified", l, r)
			}
		}},
		{"tiny image", fill(1, 1, func(x, y int) uint8 { return 7 }), func(t *testing.T, g *pico.Gray) {}},
		{"thin image", fill(3, 200, func(x, y int) uint8 { return uint8(y) }), func(t *testing.T, g *pico.Gray) {}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cp := &pico.Gray{Pix: append([]uint8(nil), tc.g.Pix...), W: tc.g.W, H: tc.g.H, Stride: tc.g.Stride}
			localNormalize(tc.g, max(1, min(tc.g.W, tc.g.H)/localRadiusDiv))
			localNormalize(cp, max(1, min(cp.W, cp.H)/localRadiusDiv))
			for i := range cp.Pix {
				if cp.Pix[i] != tc.g.Pix[i] {
					t.Fatalf("not deterministic at %d", i)
				}
			}
			tc.check(t, tc.g)
		})
	}
}
