package fpmath

import "math"

// Range-reduction constants: ln 2 and π/2 split so that k*hi is exact for
// the integers k met here (hi has at most 32 significant bits).
const (
	ln2Hi = 6.93147180369123816490e-01 // ln 2, leading bits
	ln2Lo = 1.90821492927058770002e-10 // ln 2 - ln2Hi
	log2e = 1.44269504088896338700e+00 // 1 / ln 2

	pio2Hi  = 1.57079632673412561417e+00 // π/2, leading 33 bits
	pio2Mid = 6.07710050630396597660e-11 // next 33 bits
	pio2Lo  = 2.02226624879595063154e-21 // the rest
	twoOPi  = 6.36619772367581382433e-01 // 2/π
)

// poly evaluates c[0] + x*(c[1] + x*(c[2] + ...)) by Horner's rule with every
// product rounded before it is added.
func poly(x float64, c []float64) float64 {
	p := c[len(c)-1]
	for i := len(c) - 2; i >= 0; i-- {
		p = float64(p*x) + c[i]
	}
	return p
}

// expCoef holds 1/n! for n = 2..13: exp(r) = 1 + r + r²·P(r).
var expCoef = []float64{
	1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320,
	1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800,
}

// Exp returns e**x.
func Exp(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case math.IsInf(x, -1):
		return 0
	case x > 709.8:
		return math.Inf(1)
	case x < -745.2:
		return 0
	}
	// x = k ln2 + r, |r| <= ln2/2.
	k := math.Floor(float64(x*log2e) + 0.5)
	r := (x - float64(k*ln2Hi)) - float64(k*ln2Lo)
	p := float64(float64(r*r)*poly(r, expCoef)) + r
	return math.Ldexp(1+p, int(k))
}

// atanhCoef holds 1/(2n+1) for n = 1..12: log((1+s)/(1-s)) = 2s + 2s·s²·Q(s²).
var atanhCoef = []float64{
	1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9, 1.0 / 11, 1.0 / 13, 1.0 / 15,
	1.0 / 17, 1.0 / 19, 1.0 / 21, 1.0 / 23, 1.0 / 25,
}

// Log returns the natural logarithm of x.
func Log(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	m, e := math.Frexp(x) // x = m 2^e, m in [0.5, 1)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	// m in [√2/2, √2); log m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172.
	f := m - 1
	return logReduced(f, f/(2+f), float64(e))
}

// logReduced returns k ln2 + log(1+f) given s = f/(2+f).
func logReduced(f, s, k float64) float64 {
	z := s * s
	// log(1+f) = f - f²/2 + s(f²/2 + R), R = 2z/3 + 2z²/5 + ... = 2z·Q(z).
	hf := float64(float64(0.5*f) * f)
	r := float64(float64(2*z) * poly(z, atanhCoef))
	t := float64(s*(hf+r)) + float64(k*ln2Lo)
	return float64(k*ln2Hi) + (f - (hf - t))
}

// Log1p returns the natural logarithm of 1+x, accurate also for x near 0.
func Log1p(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case x < -1:
		return math.NaN()
	case x == -1:
		return math.Inf(-1)
	case x == 0:
		return x
	}
	u := 1 + x
	m, e := math.Frexp(u)
	if m < math.Sqrt2/2 {
		m *= 2
		e--
	}
	// The rounding error of u, c = x - (u-1), relative to u, corrects the
	// result: log(1+x) = log(u) + c/u to first order.
	var c float64
	if e < 54 {
		c = (x - (u - 1)) / u
	}
	f := m - 1
	return logReduced(f, f/(2+f), float64(e)) + c
}

// Log2 returns the binary logarithm of x; exact for powers of two.
func Log2(x float64) float64 {
	m, e := math.Frexp(x)
	if m == 0.5 {
		return float64(e - 1)
	}
	return Log(x) * (1 / math.Ln2)
}

// Pow returns x**y, computed as Exp(y*Log(x)) for x > 0: its error grows
// with |y log x| (within 16 units in the last place for x in [0.01, 1] and
// y in [0, 3]). y = 0, y = 1 and x = 1 are exact; for x <= 0 it returns
// x**y by repeated squaring for an integer y, NaN otherwise.
func Pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case y == 1:
		return x
	case math.IsNaN(x) || math.IsNaN(y):
		return math.NaN()
	case x > 0:
		return Exp(y * Log(x))
	}
	if y == math.Trunc(y) && math.Abs(y) < 1<<20 {
		// Repeated squaring: products only, which do not fuse.
		r, b, n := 1.0, x, int64(math.Abs(y))
		for ; n > 0; n >>= 1 {
			if n&1 == 1 {
				r *= b
			}
			b *= b
		}
		if y < 0 {
			return 1 / r
		}
		return r
	}
	return math.NaN()
}

// sinCoef: sin r = r + r³·S(r²); cosCoef: cos r = 1 - r²/2 + r⁴·C(r²).
var (
	sinCoef = []float64{-1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800,
		1.0 / 6227020800, -1.0 / 1307674368000, 1.0 / 355687428096000}
	cosCoef = []float64{1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800, 1.0 / 479001600,
		-1.0 / 87178291200, 1.0 / 20922789888000, -1.0 / 6402373705728000}
)

// reduce returns r = x - kπ/2 with |r| <= π/4 (about) and k mod 4. It is
// accurate for |x| up to about 2^30 radians.
func reduce(x float64) (r float64, q int) {
	k := math.Floor(float64(x*twoOPi) + 0.5)
	r = ((x - float64(k*pio2Hi)) - float64(k*pio2Mid)) - float64(k*pio2Lo)
	return r, int(int64(k) & 3)
}

func sinr(r float64) float64 {
	z := r * r
	return float64(float64(r*z)*poly(z, sinCoef)) + r
}

func cosr(r float64) float64 {
	z := r * r
	hz := 0.5 * z
	w := 1 - hz
	// 1 - z/2 loses the bits of z/2 below w's last place: add them back.
	return w + (((1 - w) - hz) + float64(float64(z*z)*poly(z, cosCoef)))
}

// Sin returns the sine of x (radians).
func Sin(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.NaN()
	}
	r, q := reduce(x)
	switch q {
	case 0:
		return sinr(r)
	case 1:
		return cosr(r)
	case 2:
		return -sinr(r)
	}
	return -cosr(r)
}

// Cos returns the cosine of x (radians).
func Cos(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return math.NaN()
	}
	r, q := reduce(x)
	switch q {
	case 0:
		return cosr(r)
	case 1:
		return -sinr(r)
	case 2:
		return -cosr(r)
	}
	return sinr(r)
}

// atanCoef: atan u = u + u³·A(u²) for |u| <= 2-√3, the Taylor series
// -1/3, 1/5, -1/7, ...
var atanCoef = []float64{
	-1.0 / 3, 1.0 / 5, -1.0 / 7, 1.0 / 9, -1.0 / 11, 1.0 / 13, -1.0 / 15, 1.0 / 17,
	-1.0 / 19, 1.0 / 21, -1.0 / 23, 1.0 / 25, -1.0 / 27, 1.0 / 29, -1.0 / 31,
}

const (
	pi6Hi = 5.23598775598298815659e-01 // π/6
	pi6Lo = 5.3604547811837287e-17     // π/6 - pi6Hi
	pi2Hi = 1.57079632679489655800e+00 // π/2
	pi2Lo = 6.12323399573676603587e-17 // π/2 - pi2Hi
	sqrt3 = 1.73205080756887719318e+00
	tan15 = 2.67949192431122696e-01 // 2-√3 = tan(π/12)
)

// Atan returns the arctangent of x, in [-π/2, π/2].
func Atan(x float64) float64 {
	switch {
	case math.IsNaN(x) || x == 0:
		return x
	case x < 0:
		return -Atan(-x)
	case math.IsInf(x, 1):
		return pi2Hi
	}
	if x > 1 {
		// atan x = π/2 - atan(1/x).
		return pi2Hi - (atan01(1/x) - pi2Lo)
	}
	return atan01(x)
}

// atan01 is atan x for x in [0, 1].
func atan01(x float64) float64 {
	if x <= tan15 {
		return atanSeries(x)
	}
	// atan x = π/6 + atan((x√3 - 1)/(x + √3)), the argument in [-tan15, tan15].
	u := (float64(x*sqrt3) - 1) / (x + sqrt3)
	return pi6Hi + (atanSeries(u) + pi6Lo)
}

func atanSeries(u float64) float64 {
	z := u * u
	return float64(float64(u*z)*poly(z, atanCoef)) + u
}

// Atan2 returns the arctangent of y/x, using the signs of both to choose
// the quadrant, in [-π, π]; the special cases follow math.Atan2.
func Atan2(y, x float64) float64 {
	switch {
	case math.IsNaN(y) || math.IsNaN(x):
		return math.NaN()
	case y == 0:
		if x >= 0 && !math.Signbit(x) {
			return math.Copysign(0, y)
		}
		return math.Copysign(math.Pi, y)
	case x == 0:
		return math.Copysign(math.Pi/2, y)
	case math.IsInf(x, 0) || math.IsInf(y, 0):
		return math.Atan2(y, x) // exact constants only
	}
	ay, ax := math.Abs(y), math.Abs(x)
	var a float64
	if ay <= ax {
		a = atan01(ay / ax)
	} else {
		a = pi2Hi - (atan01(ax/ay) - pi2Lo)
	}
	if x < 0 {
		a = 2*pi2Hi - (a - 2*pi2Lo)
	}
	return math.Copysign(a, y)
}

// Hypot returns Sqrt(p*p + q*q), avoiding overflow and underflow.
func Hypot(p, q float64) float64 {
	p, q = math.Abs(p), math.Abs(q)
	switch {
	case math.IsInf(p, 1) || math.IsInf(q, 1):
		return math.Inf(1)
	case math.IsNaN(p) || math.IsNaN(q):
		return math.NaN()
	}
	if p < q {
		p, q = q, p
	}
	if p == 0 {
		return 0
	}
	if p < 1e150 && q > 1e-150 {
		return math.Sqrt(float64(p*p) + float64(q*q))
	}
	q = q / p
	return p * math.Sqrt(1+float64(q*q))
}

// Cbrt returns the cube root of x; Cbrt(±0), Cbrt(±Inf) and Cbrt(NaN)
// return x. It scales x to m·2^(3k) with m in [0.5, 4) and refines a
// linear first guess of m's cube root by Newton's iteration, y ← y − (y −
// m/y²)/3, a fixed number of times (no product is added unrounded).
func Cbrt(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	neg := x < 0
	x = math.Abs(x)
	m, e := math.Frexp(x) // x = m·2^e, m in [0.5, 1)
	r := e % 3
	if r < 0 {
		r += 3
	}
	m = math.Ldexp(m, r) // m in [0.5, 4); e − r is a multiple of 3
	y := float64(0.25*m) + 0.7
	for range 7 {
		y -= (y - m/float64(y*y)) / 3
	}
	y = math.Ldexp(y, (e-r)/3)
	if neg {
		return -y
	}
	return y
}
