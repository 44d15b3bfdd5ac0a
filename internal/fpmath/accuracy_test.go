package fpmath

import (
	"math"
	"testing"
)

// ulps returns the distance between a and b in units in the last place.
func ulps(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Abs(math.Nextafter(b, math.Inf(1))-b)
}

// TestAccuracy compares each function with math's on the domains the
// measures use: the largest error must stay within a few units in the last
// place (math itself is within one).
func TestAccuracy(t *testing.T) {
	tests := []struct {
		name   string
		f, ref func(a, b float64) float64
		lo, hi float64
		maxULP float64
	}{
		{"Exp", func(a, _ float64) float64 { return Exp(a) }, func(a, _ float64) float64 { return math.Exp(a) }, -40, 40, 2},
		{"Log", func(a, _ float64) float64 { return Log(a) }, func(a, _ float64) float64 { return math.Log(a) }, 1e-6, 1e6, 2},
		{"Log near 1", func(a, _ float64) float64 { return Log(a) }, func(a, _ float64) float64 { return math.Log(a) }, 0.9, 1.1, 2},
		{"Log1p", func(a, _ float64) float64 { return Log1p(a) }, func(a, _ float64) float64 { return math.Log1p(a) }, -0.99, 100, 2},
		{"Log1p small", func(a, _ float64) float64 { return Log1p(a) }, func(a, _ float64) float64 { return math.Log1p(a) }, -1e-6, 1e-6, 2},
		{"Log2", func(a, _ float64) float64 { return Log2(a) }, func(a, _ float64) float64 { return math.Log2(a) }, 1e-6, 1, 3},
		{"Pow", func(a, b float64) float64 { return Pow(a, 3*b) }, func(a, b float64) float64 { return math.Pow(a, 3*b) }, 0.01, 1, 16},
		{"Sin", func(a, _ float64) float64 { return Sin(a) }, func(a, _ float64) float64 { return math.Sin(a) }, -10, 10, 2},
		{"Cos", func(a, _ float64) float64 { return Cos(a) }, func(a, _ float64) float64 { return math.Cos(a) }, -10, 10, 2},
		{"Atan", func(a, _ float64) float64 { return Atan(a) }, func(a, _ float64) float64 { return math.Atan(a) }, -50, 50, 2},
		{"Atan2", func(a, b float64) float64 { return Atan2(a, 200*b-100) }, func(a, b float64) float64 { return math.Atan2(a, 200*b-100) }, -100, 100, 3},
		{"Hypot", func(a, b float64) float64 { return Hypot(a, 200*b-100) }, func(a, b float64) float64 { return math.Hypot(a, 200*b-100) }, -100, 100, 2},
		{"Cbrt", func(a, _ float64) float64 { return Cbrt(a) }, func(a, _ float64) float64 { return math.Cbrt(a) }, -1e3, 1e3, 1},
		{"Cbrt CIELAB", func(a, _ float64) float64 { return Cbrt(a) }, func(a, _ float64) float64 { return math.Cbrt(a) }, 0.008856, 1.1, 1},
		{"Cbrt small", func(a, _ float64) float64 { return Cbrt(a) }, func(a, _ float64) float64 { return math.Cbrt(a) }, 1e-300, 1e-290, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := uint64(88172645463325252)
			rnd := func() float64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return float64(s>>11) / (1 << 53) }
			worst, at, exact := 0.0, 0.0, 0
			const n = 100000
			for range n {
				a := tc.lo + float64(rnd()*(tc.hi-tc.lo))
				b := rnd()
				got, want := tc.f(a, b), tc.ref(a, b)
				u := ulps(got, want)
				if u == 0 {
					exact++
				}
				if u > worst {
					worst, at = u, a
				}
			}
			t.Logf("max %.2f ulp (at %g), %d of %d equal to math's", worst, at, exact, n)
			if worst > tc.maxULP {
				t.Errorf("max error %.2f ulp at %g, want <= %g", worst, at, tc.maxULP)
			}
		})
	}
}

// TestSpecialCases checks the values at the edges of each domain.
func TestSpecialCases(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	tests := []struct {
		name      string
		got, want float64
	}{
		{"Exp(0)", Exp(0), 1},
		{"Exp(-Inf)", Exp(-inf), 0},
		{"Exp(Inf)", Exp(inf), inf},
		{"Exp(1000)", Exp(1000), inf},
		{"Exp(-1000)", Exp(-1000), 0},
		{"Log(1)", Log(1), 0},
		{"Log(0)", Log(0), -inf},
		{"Log(-1)", Log(-1), nan},
		{"Log(Inf)", Log(inf), inf},
		{"Log1p(0)", Log1p(0), 0},
		{"Log1p(-1)", Log1p(-1), -inf},
		{"Log2(8)", Log2(8), 3},
		{"Log2(0.25)", Log2(0.25), -2},
		{"Pow(2,10)", Pow(2, 10), 1024},
		{"Pow(-2,3)", Pow(-2, 3), -8},
		{"Pow(-2,0.5)", Pow(-2, 0.5), nan},
		{"Pow(x,0)", Pow(123, 0), 1},
		{"Sin(0)", Sin(0), 0},
		{"Cos(0)", Cos(0), 1},
		{"Sin(NaN)", Sin(nan), nan},
		{"Atan(0)", Atan(0), 0},
		{"Atan(Inf)", Atan(inf), math.Pi / 2},
		{"Atan(1)", Atan(1), math.Pi / 4},
		{"Atan2(0,-1)", Atan2(0, -1), math.Pi},
		{"Atan2(1,0)", Atan2(1, 0), math.Pi / 2},
		{"Atan2(-1,-1)", Atan2(-1, -1), -3 * math.Pi / 4},
		{"Hypot(3,4)", Hypot(3, 4), 5},
		{"Hypot(3e300,4e300)", Hypot(3e300, 4e300), 5e300},
		{"Hypot(0,0)", Hypot(0, 0), 0},
		{"Cbrt(27)", Cbrt(27), 3},
		{"Cbrt(-8)", Cbrt(-8), -2},
		{"Cbrt(0.001)", Cbrt(0.001), 0.1},
		{"Cbrt(1)", Cbrt(1), 1},
		{"Cbrt(0)", Cbrt(0), 0},
		{"Cbrt(Inf)", Cbrt(inf), inf},
		{"Cbrt(-Inf)", Cbrt(-inf), -inf},
		{"Cbrt(NaN)", Cbrt(nan), nan},
		{"Cbrt(MaxFloat64)", Cbrt(math.MaxFloat64), math.Cbrt(math.MaxFloat64)},
		{"Cbrt(SmallestNonzero)", Cbrt(math.SmallestNonzeroFloat64), math.Cbrt(math.SmallestNonzeroFloat64)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if math.IsNaN(tc.want) {
				if !math.IsNaN(tc.got) {
					t.Errorf("got %v, want NaN", tc.got)
				}
				return
			}
			if ulps(tc.got, tc.want) > 1 {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}
