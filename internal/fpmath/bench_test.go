package fpmath

import (
	"math"
	"testing"
)

var sink float64

// BenchmarkFunctions compares each function with math's on the same
// inputs (ns/op per call).
func BenchmarkFunctions(b *testing.B) {
	xs := make([]float64, 1024)
	for i := range xs {
		xs[i] = float64(i)/100 + 0.01
	}
	fns := []struct {
		name string
		f    func(float64) float64
	}{
		{"Exp/fpmath", Exp}, {"Exp/math", math.Exp},
		{"Log/fpmath", Log}, {"Log/math", math.Log},
		{"Sin/fpmath", Sin}, {"Sin/math", math.Sin},
		{"Atan/fpmath", Atan}, {"Atan/math", math.Atan},
		{"Hypot/fpmath", func(x float64) float64 { return Hypot(x, 3) }}, {"Hypot/math", func(x float64) float64 { return math.Hypot(x, 3) }},
	}
	for _, fn := range fns {
		b.Run(fn.name, func(b *testing.B) {
			s := 0.0
			for i := 0; b.Loop(); i++ {
				s += fn.f(xs[i&1023])
			}
			sink = s
		})
	}
}
