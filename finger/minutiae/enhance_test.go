package minutiae

import (
	"math"
	"math/cmplx"
	"math/rand"
	"testing"
)

type fjBlock = [fjEnhSide * fjEnhSide]int32

// fjTestBlocks returns named 32×32 test blocks with values in 0..255.
func fjTestBlocks() []struct {
	name string
	blk  fjBlock
} {
	rng := rand.New(rand.NewSource(7))
	var out []struct {
		name string
		blk  fjBlock
	}
	add := func(name string, f func(x, y int) int32) {
		var b fjBlock
		for y := 0; y < fjEnhSide; y++ {
			for x := 0; x < fjEnhSide; x++ {
				b[y*fjEnhSide+x] = f(x, y)
			}
		}
		out = append(out, struct {
			name string
			blk  fjBlock
		}{name, b})
	}
	for i := 0; i < 4; i++ {
		add("random", func(x, y int) int32 { return int32(rng.Intn(256)) })
	}
	add("zero", func(x, y int) int32 { return 0 })
	add("white", func(x, y int) int32 { return 255 })
	add("checker", func(x, y int) int32 { return 255 * int32((x+y)&1) })
	add("halfplane", func(x, y int) int32 {
		if x+2*y < 40 {
			return 255
		}
		return 0
	})
	add("ridges", func(x, y int) int32 {
		return int32(math.Round(127.5 + 127.5*math.Cos(2*math.Pi*(0.12*float64(x)+0.09*float64(y)))))
	})
	add("ridges+noise", func(x, y int) int32 {
		v := 128 + 90*math.Cos(2*math.Pi*(0.05*float64(x)-0.14*float64(y))) + 30*rng.NormFloat64()
		return int32(min(255, max(0, math.Round(v))))
	})
	return out
}

// fjDFT2 is the standard unnormalised 2-D DFT of a 32×32 real block,
// F(u, v) = Σ x(i, j)·exp(−2πi(u·i + v·j)/32), indexed [v][u].
func fjDFT2(b *fjBlock) (f [fjEnhSide][fjEnhSide]complex128) {
	const n = fjEnhSide
	var rows [n][n]complex128 // rows[y][u]
	for y := 0; y < n; y++ {
		for u := 0; u < n; u++ {
			var s complex128
			for x := 0; x < n; x++ {
				s += complex(float64(b[y*n+x]), 0) * cmplx.Rect(1, -2*math.Pi*float64(u*x%n)/n)
			}
			rows[y][u] = s
		}
	}
	for u := 0; u < n; u++ {
		for v := 0; v < n; v++ {
			var s complex128
			for y := 0; y < n; y++ {
				s += rows[y][u] * cmplx.Rect(1, -2*math.Pi*float64(v*y%n)/n)
			}
			f[v][u] = s
		}
	}
	return f
}

// fjIDFT2Real is the real part of the inverse of fjDFT2, divided by 1024.
func fjIDFT2Real(f *[fjEnhSide][fjEnhSide]complex128) (x [fjEnhSide][fjEnhSide]float64) {
	const n = fjEnhSide
	var cols [n][n]complex128 // cols[y][u]
	for u := 0; u < n; u++ {
		for y := 0; y < n; y++ {
			var s complex128
			for v := 0; v < n; v++ {
				s += f[v][u] * cmplx.Rect(1, 2*math.Pi*float64(v*y%n)/n)
			}
			cols[y][u] = s
		}
	}
	for y := 0; y < n; y++ {
		for xx := 0; xx < n; xx++ {
			var s complex128
			for u := 0; u < n; u++ {
				s += cols[y][u] * cmplx.Rect(1, 2*math.Pi*float64(u*xx%n)/n)
			}
			x[y][xx] = real(s) / (n * n)
		}
	}
	return x
}

func TestFjHelpers(t *testing.T) {
	rnd := []struct {
		v    int64
		n    uint
		want int64
	}{
		{3, 1, 2}, {-3, 1, -1}, {-1, 1, 0}, {1, 1, 1}, {2047, 12, 0}, {2048, 12, 1},
		{-2048, 12, 0}, {-2049, 12, -1}, {6143, 12, 1}, {-6144, 12, -1}, {7, 0, 7},
	}
	for _, c := range rnd {
		if got := fjRnd(c.v, c.n); got != c.want {
			t.Errorf("fjRnd(%d, %d) = %d, want %d", c.v, c.n, got, c.want)
		}
		if c.n > 0 {
			if got := int64(fjRnd32(int32(c.v), c.n)); got != c.want {
				t.Errorf("fjRnd32(%d, %d) = %d, want %d", c.v, c.n, got, c.want)
			}
		}
	}
	div := []struct{ a, b, want int64 }{
		{7, 2, 4}, {-7, 2, -4}, {7, -2, -4}, {-7, -2, 4}, {5, 3, 2}, {4, 3, 1}, {-4, 3, -1},
		{0, 5, 0}, {1, 3, 0}, {2, 3, 1}, {-2, 3, -1}, {250, 100, 3}, {249, 100, 2},
	}
	for _, c := range div {
		if got := fjDivR(c.a, c.b); got != c.want {
			t.Errorf("fjDivR(%d, %d) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	oct := []struct{ re, im, want int64 }{
		{0, 0, 0}, {100, 0, 100}, {0, -100, 100}, {3, 4, 5}, {-100, 100, 141}, {1000, 1000, 1414},
		{1000, 300, 1000}, // rnd_8(1300·181) = 919 < 1000: the larger component wins
	}
	for _, c := range oct {
		if got := fjOctAbs(c.re, c.im); got != c.want {
			t.Errorf("fjOctAbs(%d, %d) = %d, want %d", c.re, c.im, got, c.want)
		}
	}
	// The twiddle table is 4096·sin(2πt/32) to within 1.
	for tt := -40; tt < 40; tt++ {
		c, s := fjTw(tt)
		a := 2 * math.Pi * float64(tt) / 32
		if math.Abs(float64(c)-4096*math.Cos(a)) > 1 || math.Abs(float64(s)-4096*math.Sin(a)) > 1 {
			t.Errorf("fjTw(%d) = (%d, %d), want ≈ (%.1f, %.1f)", tt, c, s, 4096*math.Cos(a), 4096*math.Sin(a))
		}
	}
}

// TestFjEnhForwardMatchesDFT: the fixed-point forward transform is the plain
// unnormalised 2-D DFT for u = 0..15, v = 0..31 (§3a). The residual is the
// rounding noise of the rnd_12/rnd_13 steps (about ±0.5 per butterfly output,
// summed over 32 rows by the column FFTs): an RMS of a few units and a
// maximum below 25 on coefficients of up to 2.6·10^5, whereas a wrong twiddle
// sign, index or split term gives errors of the order of the coefficients.
func TestFjEnhForwardMatchesDFT(t *testing.T) {
	for _, tc := range fjTestBlocks() {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.blk
			want := fjDFT2(&tc.blk)
			fjEnhForward(&b)
			worst, sq := 0.0, 0.0
			for v := 0; v < fjEnhSide; v++ {
				for u := 0; u < fjEnhHalf; u++ {
					p := v*fjEnhSide + 2*u
					got := complex(float64(b[p]), float64(b[p+1]))
					d := cmplx.Abs(got - want[v][u])
					worst = max(worst, d)
					sq += d * d
					if d > 24 {
						t.Errorf("V(u=%d, v=%d) = %v, want %v (|diff| %.2f)", u, v, got, want[v][u], d)
					}
				}
			}
			rms := math.Sqrt(sq / (fjEnhSide * fjEnhHalf))
			t.Logf("|fixed − float|: max %.2f, rms %.2f", worst, rms)
			if rms > 6 {
				t.Errorf("rms error %.2f, want ≤ 6", rms)
			}
			// The DC coefficient V(0, 0) is exact: the sum of the block.
			var sum int32
			for _, x := range tc.blk {
				sum += x
			}
			if b[0] != sum || b[1] != 0 {
				t.Errorf("V(0, 0) = (%d, %d), want (%d, 0)", b[0], b[1], sum)
			}
		})
	}
}

// TestFjEnhRoundTrip: forward then inverse with the filter disabled returns
// the block (×1024 then ÷1024), less its horizontal Nyquist component, which
// the forward split discards (bin u = 16); for blocks without that component
// the input itself is returned within ±2.
func TestFjEnhRoundTrip(t *testing.T) {
	for _, tc := range fjTestBlocks() {
		t.Run(tc.name, func(t *testing.T) {
			// Reference: input minus the per-row Nyquist component (−1)^x·Σ x'(−1)^x'/32.
			var want [fjEnhSide * fjEnhSide]float64
			for y := 0; y < fjEnhSide; y++ {
				ny := 0.0
				for x := 0; x < fjEnhSide; x++ {
					ny += float64(tc.blk[y*fjEnhSide+x]) * float64(1-2*(x&1))
				}
				for x := 0; x < fjEnhSide; x++ {
					want[y*fjEnhSide+x] = float64(tc.blk[y*fjEnhSide+x]) - ny/fjEnhSide*float64(1-2*(x&1))
				}
			}
			b := tc.blk
			fjEnhForward(&b)
			fjEnhInverse(&b)
			worst := 0.0
			for i, v := range b {
				d := math.Abs(float64(v) - want[i])
				worst = max(worst, d)
				if d > 2 {
					t.Errorf("pixel (%d, %d) = %d, want %.2f", i%fjEnhSide, i/fjEnhSide, v, want[i])
				}
			}
			t.Logf("worst |round trip − input| = %.2f", worst)
		})
	}
	// Blocks whose rows have no Nyquist component come back as they were.
	rng := rand.New(rand.NewSource(3))
	for trial := 0; trial < 4; trial++ {
		var in fjBlock
		for y := 0; y < fjEnhSide; y++ {
			for x := 0; x < fjEnhSide; x += 2 {
				v := int32(rng.Intn(256))
				in[y*fjEnhSide+x], in[y*fjEnhSide+x+1] = v, v // pairs: Σ x(−1)^x = 0
			}
		}
		b := in
		fjEnhForward(&b)
		fjEnhInverse(&b)
		for i := range b {
			if d := b[i] - in[i]; d < -2 || d > 2 {
				t.Fatalf("trial %d: pixel (%d, %d) = %d, want %d ± 2", trial, i%fjEnhSide, i/fjEnhSide, b[i], in[i])
			}
		}
	}
}

// TestFjEnhFilterMatchesFloat: forward, filter and inverse together match a
// float model V·(1 + |V|oct/4096)/8 on the band 6 < r² < 169 of the plain DFT,
// with the horizontal Nyquist column removed.
func TestFjEnhFilterMatchesFloat(t *testing.T) {
	for _, tc := range fjTestBlocks() {
		t.Run(tc.name, func(t *testing.T) {
			f := fjDFT2(&tc.blk)
			for v := 0; v < fjEnhSide; v++ {
				vv := v
				if vv >= fjEnhHalf {
					vv -= fjEnhSide
				}
				for u := 0; u < fjEnhSide; u++ {
					uu := u
					if uu >= fjEnhHalf {
						uu -= fjEnhSide
					}
					r2 := uu*uu + vv*vv
					if u == 16 || r2 <= 6 || r2 >= 169 { // §3a band, Nyquist column dropped
						f[v][u] = 0
						continue
					}
					re, im := math.Abs(real(f[v][u])), math.Abs(imag(f[v][u]))
					oa := math.Max(math.Max(re, im), (re+im)*181/256)
					f[v][u] *= complex((1+oa/4096)/8, 0)
				}
			}
			want := fjIDFT2Real(&f)
			b := tc.blk
			fjEnhForward(&b)
			fjEnhFilter(&b)
			fjEnhInverse(&b)
			worst, peak := 0.0, 0.0
			for i, v := range b {
				w := want[i/fjEnhSide][i%fjEnhSide]
				peak = max(peak, math.Abs(w))
				d := math.Abs(float64(v) - w)
				worst = max(worst, d)
				if d > 3 {
					t.Errorf("pixel (%d, %d) = %d, want %.2f", i%fjEnhSide, i/fjEnhSide, v, w)
				}
			}
			t.Logf("worst |fixed − float| = %.2f (peak %.1f)", worst, peak)
		})
	}
}

// TestFjEnhWindowSums: the window e(i) sums to 16 on every pixel of an axis
// over the overlapping blocks at −15 + 17i (§3b).
func TestFjEnhWindowSums(t *testing.T) {
	for _, n := range []int{1, 16, 17, 33, 100, 256, 400} {
		sum := make([]int64, n)
		for x0 := -15; x0 < n; x0 += 17 { // §3 block origins
			for i := 0; i < fjEnhSide; i++ {
				if x := x0 + i; x >= 0 && x < n {
					sum[x] += fjEnhWindow[i]
				}
			}
		}
		for x, s := range sum {
			if s != 16 {
				t.Errorf("n = %d: window sum at %d = %d, want 16", n, x, s)
			}
		}
	}
	want := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	for i, e := range want {
		if fjEnhWindow[i] != e {
			t.Errorf("e(%d) = %d, want %d", i, fjEnhWindow[i], e)
		}
	}
}

// fjFlatExpected is the exact §3 output for a pixel at (x, y) covered only by
// blocks whose input is constant: every block is zero after the filter, so
// mn = −8, range = 16 and each contributes div_r(8·251·e·e, 4096).
func fjFlatExpected(x, y, w, h int) uint8 {
	var acc uint8
	for y0 := fjEnhOrigin; y0 < h; y0 += fjEnhSpacing {
		for x0 := fjEnhOrigin; x0 < w; x0 += fjEnhSpacing {
			if x < x0 || x >= x0+fjEnhSide || y < y0 || y >= y0+fjEnhSide {
				continue
			}
			acc += uint8(fjDivR(8*251*fjEnhWindow[x-x0]*fjEnhWindow[y-y0], 16*256))
		}
	}
	return 255 - acc
}

func TestFjEnhanceFlat(t *testing.T) {
	for _, tc := range []struct {
		name     string
		w, h     int
		val      uint8
		interior int // border excluded from the exact check
	}{
		{"white", 60, 70, 255, 0}, // outside counts as white: every block is flat
		{"grey", 120, 100, 128, 48},
		{"black", 100, 120, 0, 48},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := make([]uint8, tc.w*tc.h)
			for i := range img {
				img[i] = tc.val
			}
			out := fjEnhance(img, tc.w, tc.h)
			if len(out) != tc.w*tc.h {
				t.Fatalf("len = %d, want %d", len(out), tc.w*tc.h)
			}
			for y := tc.interior; y < tc.h-tc.interior; y++ {
				for x := tc.interior; x < tc.w-tc.interior; x++ {
					want := fjFlatExpected(x, y, tc.w, tc.h)
					if got := out[y*tc.w+x]; got != want {
						t.Fatalf("(%d, %d) = %d, want %d", x, y, got, want)
					}
					if want < 126 || want > 134 {
						t.Fatalf("(%d, %d): flat output %d not mid-grey", x, y, want)
					}
				}
			}
		})
	}
}

// fjRidgePlane is a sinusoidal ridge pattern (dark ridges) of the given
// period and angle with optional Gaussian noise.
func fjRidgePlane(w, h int, period, angle, noise float64, seed int64) (img []uint8, clean []float64) {
	rng := rand.New(rand.NewSource(seed))
	img = make([]uint8, w*h)
	clean = make([]float64, w*h)
	c, s := math.Cos(angle), math.Sin(angle)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 128 + 100*math.Cos(2*math.Pi*(float64(x)*c+float64(y)*s)/period)
			clean[y*w+x] = v
			img[y*w+x] = uint8(min(255, max(0, math.Round(v+noise*rng.NormFloat64()))))
		}
	}
	return img, clean
}

func fjCorrelation(a []float64, b []uint8, w, h, border int) float64 {
	var sa, sb, saa, sbb, sab, n float64
	for y := border; y < h-border; y++ {
		for x := border; x < w-border; x++ {
			p, q := a[y*w+x], float64(b[y*w+x])
			sa += p
			sb += q
			saa += p * p
			sbb += q * q
			sab += p * q
			n++
		}
	}
	cov := sab/n - sa/n*sb/n
	return cov / math.Sqrt((saa/n-sa/n*sa/n)*(sbb/n-sb/n*sb/n))
}

func TestFjEnhanceRidges(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		period, angle, noise float64
	}{
		{"p7-a0", 7, 0, 0},
		{"p6-a30", 6, math.Pi / 6, 0},
		{"p8-a100", 8, 100 * math.Pi / 180, 0},
		{"p5.5-a45", 5.5, math.Pi / 4, 0},
		{"p7-a60-noisy", 7, math.Pi / 3, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const w, h = 160, 144
			img, clean := fjRidgePlane(w, h, tc.period, tc.angle, tc.noise, 11)
			out := fjEnhance(img, w, h)
			r := fjCorrelation(clean, out, w, h, 24)
			lo, hi := uint8(255), uint8(0)
			for y := 24; y < h-24; y++ {
				for x := 24; x < w-24; x++ {
					lo, hi = min(lo, out[y*w+x]), max(hi, out[y*w+x])
				}
			}
			t.Logf("correlation %.3f, interior range %d..%d", r, lo, hi)
			if r < 0.8 {
				t.Errorf("correlation with the clean ridges = %.3f, want > 0.8", r)
			}
			if int(hi)-int(lo) < 150 {
				t.Errorf("interior range %d..%d too narrow for a stretched ridge pattern", lo, hi)
			}
		})
	}
}

func BenchmarkFjEnhance(b *testing.B) {
	const w, h = 256, 400
	img, _ := fjRidgePlane(w, h, 7, 0.4, 20, 5)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		fjEnhance(img, w, h)
	}
}
