package nfiq2

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// naiveBlur8 is the plain definition gaussianBlur8 must equal: the exact
// 2-D sum of the 8-bit fixed-point separable kernel over the
// BORDER_REFLECT_101 image, rounded from 16 fractional bits.
func naiveBlur8(g gray, n int) gray {
	k := gaussKernel8(n)
	out := gray{w: g.w, h: g.h, p: make([]uint8, len(g.p))}
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			var s uint64
			for j := 0; j < n; j++ {
				yy := reflect101(y+j-n/2, g.h)
				var row uint64
				for i := 0; i < n; i++ {
					row += uint64(k[i]) * uint64(g.p[yy*g.w+reflect101(x+i-n/2, g.w)])
				}
				s += uint64(k[j]) * row
			}
			out.p[y*g.w+x] = uint8(min((s+1<<15)>>16, 255))
		}
	}
	return out
}

// naiveErode5 is the plain definition of erode5.
func naiveErode5(g gray) gray {
	out := gray{w: g.w, h: g.h, p: make([]uint8, len(g.p))}
	for y := 0; y < g.h; y++ {
		for x := 0; x < g.w; x++ {
			m := uint8(255)
			for yy := max(y-2, 0); yy <= min(y+2, g.h-1); yy++ {
				for xx := max(x-2, 0); xx <= min(x+2, g.w-1); xx++ {
					m = min(m, g.p[yy*g.w+xx])
				}
			}
			out.p[y*g.w+x] = m
		}
	}
	return out
}

func TestBlurAndErodeMatchDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	images := map[string]func(w, h int) gray{
		"noise": func(w, h int) gray {
			g := gray{w: w, h: h, p: make([]uint8, w*h)}
			for i := range g.p {
				g.p[i] = uint8(rng.IntN(256))
			}
			return g
		},
		"white": func(w, h int) gray {
			g := gray{w: w, h: h, p: make([]uint8, w*h)}
			for i := range g.p {
				g.p[i] = 255
			}
			return g
		},
		"binary blob": func(w, h int) gray {
			g := gray{w: w, h: h, p: make([]uint8, w*h)}
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					dx, dy := float64(x-w/2)/float64(w), float64(y-h/2)/float64(h)
					if dx*dx+dy*dy > 0.1 {
						g.p[y*w+x] = 255
					}
				}
			}
			return g
		},
	}
	sizes := [][2]int{{1, 1}, {2, 3}, {5, 4}, {7, 9}, {33, 20}, {61, 47}, {130, 101}}
	for name, mk := range images {
		for _, sz := range sizes {
			g := mk(sz[0], sz[1])
			t.Run(fmt.Sprintf("%s-%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
				for _, n := range []int{3, 5, 41, 91} {
					got, want := gaussianBlur8(g, n), naiveBlur8(g, n)
					for i := range want.p {
						if got.p[i] != want.p[i] {
							t.Fatalf("blur %d: pixel (%d,%d) = %d, want %d", n, i%g.w, i/g.w, got.p[i], want.p[i])
						}
					}
				}
				got, want := erode5(g), naiveErode5(g)
				for i := range want.p {
					if got.p[i] != want.p[i] {
						t.Fatalf("erode: pixel (%d,%d) = %d, want %d", i%g.w, i/g.w, got.p[i], want.p[i])
					}
				}
			})
		}
	}
}
