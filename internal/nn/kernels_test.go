package nn

import (
	"fmt"
	"math"
	"testing"
)

// naiveConv is the defining loop of conv2d: for each output, products
// added from zero in (ky, kx, c) order with float32 rounding after each
// product and each sum, then bias and activation.
func naiveConv(x, f, bias []float32, g *window, act activation, alpha []float32) []float32 {
	y := make([]float32, g.outH*g.outW*g.outC)
	for oy := 0; oy < g.outH; oy++ {
		for ox := 0; ox < g.outW; ox++ {
			for o := 0; o < g.outC; o++ {
				var s float32
				for ky := 0; ky < g.kh; ky++ {
					for kx := 0; kx < g.kw; kx++ {
						iy, ix := oy*g.sh-g.padT+ky, ox*g.sw-g.padL+kx
						if iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW {
							continue
						}
						for c := 0; c < g.inC; c++ {
							p := x[(iy*g.inW+ix)*g.inC+c] * f[((ky*g.kw+kx)*g.inC+c)*g.outC+o]
							s = float32(p) + s
						}
					}
				}
				if bias != nil {
					s += bias[o]
				}
				switch act {
				case actRelu:
					s = max(s, 0)
				case actPrelu:
					if s < 0 {
						s = alpha[o] * s
					}
				}
				y[(oy*g.outW+ox)*g.outC+o] = s
			}
		}
	}
	return y
}

func naiveDepthwise(x, f []float32, g *window) []float32 {
	c := g.inC
	y := make([]float32, g.outH*g.outW*c)
	for oy := 0; oy < g.outH; oy++ {
		for ox := 0; ox < g.outW; ox++ {
			for ch := 0; ch < c; ch++ {
				var s float32
				for ky := 0; ky < g.kh; ky++ {
					for kx := 0; kx < g.kw; kx++ {
						iy, ix := oy*g.sh-g.padT+ky, ox*g.sw-g.padL+kx
						if iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW {
							continue
						}
						s = float32(x[(iy*g.inW+ix)*c+ch]*f[(ky*g.kw+kx)*c+ch]) + s
					}
				}
				y[(oy*g.outW+ox)*c+ch] = s
			}
		}
	}
	return y
}

func randSlice(n int, seed uint32, lo, hi float64) []float32 {
	next := xorshift32(seed)
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(lo + float64((hi-lo)*next()))
	}
	return out
}

func sameBits(a, b []float32) (int, bool) {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) && !(a[i] == 0 && b[i] == 0) {
			return i, false
		}
	}
	return 0, true
}

// TestKernelsMatchDefinition checks that the fast paths (pointwise pairs,
// whole kernel rows, the 3×3 depthwise interior) give exactly the bits of
// the defining loops, so the accumulation order is what the package doc
// promises. Zeros may differ in sign only.
func TestKernelsMatchDefinition(t *testing.T) {
	convs := []struct {
		h, w, ci, k, co, s int
		p                  Padding
		act                activation
	}{
		{5, 7, 16, 1, 24, 1, Valid, actNone}, // pointwise, odd pixel count
		{4, 4, 7, 1, 5, 1, Valid, actPrelu},  // pointwise, channel tail
		{9, 9, 3, 3, 16, 2, Same, actPrelu},  // first-layer shape
		{8, 8, 12, 2, 6, 2, Valid, actPrelu}, // 2×2 stride 2
		{6, 6, 8, 3, 10, 3, Valid, actNone},  // 3×3 stride 3 head
		{7, 5, 5, 3, 4, 1, Same, actRelu},    // borders on every side
		{6, 6, 4, 1, 3, 2, Valid, actNone},   // 1×1 stride 2: general path
	}
	for i, tc := range convs {
		t.Run(fmt.Sprintf("conv%d_%dx%dx%d_k%d_s%d", i, tc.h, tc.w, tc.ci, tc.k, tc.s), func(t *testing.T) {
			g, ok := newWindow(tc.h, tc.w, tc.ci, tc.k, tc.k, tc.co, tc.s, tc.s, tc.p)
			if !ok {
				t.Fatal("window")
			}
			x := randSlice(tc.h*tc.w*tc.ci, uint32(10+i), -1, 1)
			f := randSlice(tc.k*tc.k*tc.ci*tc.co, uint32(30+i), -0.5, 0.5)
			b := randSlice(tc.co, uint32(50+i), -0.2, 0.2)
			a := randSlice(tc.co, uint32(70+i), -0.5, 0.5)
			y := make([]float32, g.outH*g.outW*tc.co)
			conv2d(y, x, f, b, &g, tc.act, a)
			want := naiveConv(x, f, b, &g, tc.act, a)
			if j, ok := sameBits(y, want); !ok {
				t.Fatalf("value %d: %v, definition gives %v", j, y[j], want[j])
			}
		})
	}
	dws := []struct{ h, w, c, s int }{{7, 7, 16, 1}, {8, 8, 6, 2}, {7, 9, 5, 2}, {3, 3, 4, 1}}
	for i, tc := range dws {
		t.Run(fmt.Sprintf("depthwise%d_%dx%dx%d_s%d", i, tc.h, tc.w, tc.c, tc.s), func(t *testing.T) {
			g, ok := newWindow(tc.h, tc.w, tc.c, 3, 3, tc.c, tc.s, tc.s, Same)
			if !ok {
				t.Fatal("window")
			}
			x := randSlice(tc.h*tc.w*tc.c, uint32(90+i), -1, 1)
			f := randSlice(9*tc.c, uint32(110+i), -0.5, 0.5)
			y := make([]float32, g.outH*g.outW*tc.c)
			depthwise(y, x, f, &g)
			want := naiveDepthwise(x, f, &g)
			if j, ok := sameBits(y, want); !ok {
				t.Fatalf("value %d: %v, definition gives %v", j, y[j], want[j])
			}
		})
	}
}
