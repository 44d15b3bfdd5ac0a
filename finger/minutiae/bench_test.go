package minutiae

import (
	"fmt"
	"math"
	"testing"
)

func BenchmarkExtract(b *testing.B) {
	for _, sz := range []struct{ w, h int }{{256, 256}, {400, 500}, {384, 600}, {800, 750}} {
		img := synthRidges(sz.w, sz.h, 9, 0.5, sz.w/2, sz.h/2, true, false)
		b.Run(fmt.Sprintf("500ppi-%dx%d", sz.w, sz.h), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(sz.w * sz.h))
			for b.Loop() {
				if _, err := Extract(img, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMeasures(b *testing.B) {
	img := synthRidges(400, 500, 9, 0.5, 200, 250, false, false)
	ms := make([]Minutia, 100)
	for i := range ms {
		ms[i] = Minutia{X: 20 + int(360*math.Mod(float64(i)*0.618, 1)), Y: 20 + 4*i}
	}
	b.ReportAllocs()
	for b.Loop() {
		Measures(img, ms)
	}
}
