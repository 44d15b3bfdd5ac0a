package nn

import (
	"fmt"
	"testing"
)

// BenchmarkConv2D times the convolution shapes that dominate Face Mesh and
// Iris. MB/s counts output bytes.
func BenchmarkConv2D(b *testing.B) {
	for _, tc := range []struct{ h, ci, k, co, s int }{
		{24, 64, 1, 64, 1},  // pointwise, mesh middle
		{32, 64, 1, 32, 1},  // pointwise, iris
		{192, 3, 3, 16, 2},  // mesh first layer
		{16, 128, 2, 64, 2}, // iris 2×2 stride 2
	} {
		b.Run(fmt.Sprintf("%dx%d-%dx%dx%d-%d-s%d", tc.k, tc.k, tc.h, tc.h, tc.ci, tc.co, tc.s), func(b *testing.B) {
			p := Valid
			if tc.k == 3 {
				p = Same
			}
			g, _ := newWindow(tc.h, tc.h, tc.ci, tc.k, tc.k, tc.co, tc.s, tc.s, p)
			x := randSlice(tc.h*tc.h*tc.ci, 1, -1, 1)
			f := randSlice(tc.k*tc.k*tc.ci*tc.co, 2, -1, 1)
			bias := randSlice(tc.co, 3, -1, 1)
			alpha := randSlice(tc.co, 4, -1, 1)
			y := make([]float32, g.outH*g.outW*tc.co)
			b.SetBytes(int64(len(y) * 4))
			for b.Loop() {
				conv2d(y, x, f, bias, &g, actPrelu, alpha)
			}
		})
	}
}

// BenchmarkDepthwise times a 3×3 depthwise convolution.
func BenchmarkDepthwise(b *testing.B) {
	for _, tc := range []struct{ h, c, s int }{{96, 16, 1}, {24, 64, 1}, {48, 32, 2}} {
		b.Run(fmt.Sprintf("3x3-%dx%dx%d-s%d", tc.h, tc.h, tc.c, tc.s), func(b *testing.B) {
			g, _ := newWindow(tc.h, tc.h, tc.c, 3, 3, tc.c, tc.s, tc.s, Same)
			x := randSlice(tc.h*tc.h*tc.c, 1, -1, 1)
			f := randSlice(9*tc.c, 2, -1, 1)
			y := make([]float32, g.outH*g.outW*tc.c)
			b.SetBytes(int64(len(y) * 4))
			for b.Loop() {
				depthwise(y, x, f, &g)
			}
		})
	}
}
