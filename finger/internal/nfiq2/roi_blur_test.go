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

// isBinary reports whether every pixel is 0 or 255.
func isBinary(g gray) bool {
	for _, v := range g.p {
		if v != 0 && v != 255 {
			return false
		}
	}
	return true
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
		"binary noise": func(w, h int) gray {
			g := gray{w: w, h: h, p: make([]uint8, w*h)}
			for i := range g.p {
				g.p[i] = uint8(255 * rng.IntN(2))
			}
			return g
		},
		"black": func(w, h int) gray {
			return gray{w: w, h: h, p: make([]uint8, w*h)}
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
	if raceEnabled {
		// The naive definitions on 130×101 take minutes under the race
		// detector; .ci/run's pass without it runs every size.
		sizes = sizes[:len(sizes)-1]
	}
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
				if isBinary(g) {
					got, want := gaussianBlurBinary(g, 91), naiveBlur8(g, 91)
					for i := range want.p {
						if got.p[i] != want.p[i] {
							t.Fatalf("binary blur 91: pixel (%d,%d) = %d, want %d", i%g.w, i/g.w, got.p[i], want.p[i])
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

// naiveLabelComponents is the plain definition labelComponents must
// equal: a pixel-by-pixel flood fill from each unlabelled pixel in raster
// order.
func naiveLabelComponents(g gray, val uint8) ([]compInfo, []int32) {
	w, h := g.w, g.h
	labels := make([]int32, len(g.p))
	var comps []compInfo
	for start := range g.p {
		if labels[start] != 0 || g.p[start] != val {
			continue
		}
		id := int32(len(comps) + 1)
		ci := compInfo{minX: w, minY: h, maxX: -1, maxY: -1}
		queue := []int{start}
		labels[start] = id
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			x, y := p%w, p/w
			ci.minX, ci.maxX = min(ci.minX, x), max(ci.maxX, x)
			ci.minY, ci.maxY = min(ci.minY, y), max(ci.maxY, y)
			ci.border = ci.border || x == 0 || y == 0 || x == w-1 || y == h-1
			for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= w || ny >= h {
					continue
				}
				if q := ny*w + nx; labels[q] == 0 && g.p[q] == val {
					labels[q] = id
					queue = append(queue, q)
				}
			}
		}
		comps = append(comps, ci)
	}
	return comps, labels
}

func TestLabelComponentsMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		w, h int
		p    float64 // share of set pixels
	}{{1, 1, 0.5}, {7, 1, 0.5}, {1, 9, 0.5}, {16, 16, 0.3}, {40, 30, 0.5}, {40, 30, 0.6}, {97, 61, 0.55}, {97, 61, 0.9}} {
		g := gray{w: tc.w, h: tc.h, p: make([]uint8, tc.w*tc.h)}
		for i := range g.p {
			if rng.Float64() < tc.p {
				g.p[i] = 255
			}
		}
		for _, val := range []uint8{0, 255} {
			wantC, wantL := naiveLabelComponents(g, val)
			labels := make([]int32, len(g.p))
			gotC, _ := labelComponents(g, val, labels, nil)
			if len(gotC) != len(wantC) {
				t.Fatalf("%dx%d p=%.2f val %d: %d components, want %d", tc.w, tc.h, tc.p, val, len(gotC), len(wantC))
			}
			for i := range wantC {
				if gotC[i] != wantC[i] {
					t.Fatalf("%dx%d val %d: component %d = %+v, want %+v", tc.w, tc.h, val, i, gotC[i], wantC[i])
				}
			}
			for i := range wantL {
				if labels[i] != wantL[i] {
					t.Fatalf("%dx%d val %d: label at (%d,%d) = %d, want %d", tc.w, tc.h, val, i%tc.w, i/tc.w, labels[i], wantL[i])
				}
			}
		}
	}
}

// TestBlurHistogramsAndThreshold checks the ROI's fused steps against the
// separate ones: the blurs' grey-level counts against the histogram of
// their output, Otsu's threshold from those counts, and the blur of the
// image binarized at a threshold against binarizing then blurring.
func TestBlurHistogramsAndThreshold(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sz := range [][2]int{{1, 1}, {4, 7}, {33, 20}, {130, 101}, {257, 190}} {
		w, h := sz[0], sz[1]
		g := gray{w: w, h: h, p: make([]uint8, w*h)}
		for i := range g.p {
			g.p[i] = uint8(rng.IntN(256))
		}
		count := func(o gray) (c [256]int) {
			for _, v := range o.p {
				c[v]++
			}
			return c
		}
		var h1 [256]int
		b1 := gaussianBlur8Hist(g, 41, &h1)
		if h1 != count(b1) {
			t.Fatalf("%dx%d: the blur's counts differ from its histogram", w, h)
		}
		if got, want := otsuHist(&h1, len(b1.p)), otsu(b1); got != want {
			t.Fatalf("%dx%d: otsuHist %d, otsu %d", w, h, got, want)
		}
		for _, thr := range []int{0, 1, 100, 127, 254, 255} {
			bin := gray{w: w, h: h, p: append([]uint8(nil), g.p...)}
			binarize(bin, thr)
			var h2 [256]int
			got, want := gaussianBlurAbove(g, 91, thr, &h2), gaussianBlurBinary(bin, 91)
			for i := range want.p {
				if got.p[i] != want.p[i] {
					t.Fatalf("%dx%d, threshold %d: pixel (%d,%d) = %d, want %d", w, h, thr, i%w, i/w, got.p[i], want.p[i])
				}
			}
			if h2 != count(got) {
				t.Fatalf("%dx%d, threshold %d: the binary blur's counts differ from its histogram", w, h, thr)
			}
		}
	}
}
