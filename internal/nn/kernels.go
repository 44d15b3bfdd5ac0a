package nn

import "math"

// Padding is a convolution or pooling padding scheme, as TensorFlow defines
// it.
type Padding int

const (
	// Valid uses only windows that lie wholly inside the input.
	Valid Padding = iota
	// Same pads so that the output has ceil(in/stride) positions; the
	// smaller half of the padding goes before (top, left).
	Same
)

// String returns TensorFlow's name for p.
func (p Padding) String() string {
	if p == Same {
		return "SAME"
	}
	return "VALID"
}

// activation is the activation applied after a fused convolution's bias.
type activation int

const (
	actNone activation = iota
	actRelu
	actRelu6
	actPrelu
)

// window is the geometry of a 2-D sliding-window operation on an NHWC
// tensor with batch 1.
type window struct {
	inH, inW, inC int
	kh, kw        int
	outC          int
	sh, sw        int
	padT, padL    int
	outH, outW    int
}

// outSize returns the output length and the padding before for one spatial
// dimension, following TensorFlow's SAME and VALID rules. ok is false when
// the window does not fit.
func outSize(in, k, s int, p Padding) (out, before int, ok bool) {
	if in <= 0 || k <= 0 || s <= 0 {
		return 0, 0, false
	}
	if p == Same {
		out = (in + s - 1) / s
		total := (out-1)*s + k - in
		if total < 0 {
			total = 0
		}
		return out, total / 2, true
	}
	if in < k {
		return 0, 0, false
	}
	return (in-k)/s + 1, 0, true
}

// newWindow computes a window's geometry; ok is false when it does not fit.
func newWindow(inH, inW, inC, kh, kw, outC, sh, sw int, p Padding) (window, bool) {
	oh, pt, ok1 := outSize(inH, kh, sh, p)
	ow, pl, ok2 := outSize(inW, kw, sw, p)
	if !ok1 || !ok2 {
		return window{}, false
	}
	return window{inH: inH, inW: inW, inC: inC, kh: kh, kw: kw, outC: outC,
		sh: sh, sw: sw, padT: pt, padL: pl, outH: oh, outW: ow}, true
}

// conv2d computes y = act(conv(x, f) + bias) with x of shape
// [inH, inW, inC], f of shape [kh, kw, inC, outC] (HWIO) and y of shape
// [outH, outW, outC]. bias may be nil. Each output is accumulated from zero
// in the order kernel row, kernel column, input channel (padding taps are
// skipped), then the bias is added and the activation applied.
//
//go:norace
func conv2d(y, x, f, bias []float32, g *window, act activation, alpha []float32) {
	ci, co := g.inC, g.outC
	if g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.padT == 0 && g.padL == 0 {
		pointwise(y, x, f, bias, g.outH*g.outW, ci, co, act, alpha)
		return
	}
	for oy := 0; oy < g.outH; oy++ {
		for ox := 0; ox < g.outW; ox++ {
			out := y[(oy*g.outW+ox)*co:][:co]
			clear(out)
			for ky := 0; ky < g.kh; ky++ {
				iy := oy*g.sh - g.padT + ky
				if iy < 0 || iy >= g.inH {
					continue
				}
				ix0 := ox*g.sw - g.padL
				if ix0 >= 0 && ix0+g.kw <= g.inW {
					// The whole kernel row lies inside: its kw pixels and
					// their weights are contiguous, in (kx, channel) order.
					n := g.kw * ci
					accumulate(out, x[(iy*g.inW+ix0)*ci:][:n], f[ky*n*co:][:n*co])
					continue
				}
				for kx := 0; kx < g.kw; kx++ {
					ix := ix0 + kx
					if ix < 0 || ix >= g.inW {
						continue
					}
					xin := x[(iy*g.inW+ix)*ci:][:ci]
					wk := f[(ky*g.kw+kx)*ci*co:][:ci*co]
					accumulate(out, xin, wk)
				}
			}
			finish(out, bias, act, alpha)
		}
	}
}

// accumulate adds xin·wk to out: for each input channel c in order,
// out[o] += xin[c]*wk[c*len(out)+o]. Four input channels are handled per
// pass over out; the additions still happen in channel order.
//
//go:norace
func accumulate(out, xin, wk []float32) {
	co := len(out)
	c := 0
	for ; c+4 <= len(xin); c += 4 {
		a0, a1, a2, a3 := xin[c], xin[c+1], xin[c+2], xin[c+3]
		w0 := wk[c*co:][:co]
		w1 := wk[(c+1)*co:][:co]
		w2 := wk[(c+2)*co:][:co]
		w3 := wk[(c+3)*co:][:co]
		for o := range out {
			s := float32(a0*w0[o]) + out[o]
			s = float32(a1*w1[o]) + s
			s = float32(a2*w2[o]) + s
			out[o] = float32(a3*w3[o]) + s
		}
	}
	for ; c < len(xin); c++ {
		a := xin[c]
		w := wk[c*co:][:co]
		for o := range out {
			out[o] = float32(a*w[o]) + out[o]
		}
	}
}

// pointwise is conv2d for a 1×1 kernel with stride 1: each output pixel is
// its input pixel times the [ci, co] weight matrix. Pixels are taken in
// pairs so each weight loaded serves two outputs; every output is still
// accumulated from zero in input-channel order, exactly as accumulate does.
//
//go:norace
func pointwise(y, x, f, bias []float32, npix, ci, co int, act activation, alpha []float32) {
	f = f[:ci*co]
	p := 0
	for ; p+2 <= npix; p += 2 {
		o0 := y[p*co:][:co]
		o1 := y[(p+1)*co:][:co]
		x0 := x[p*ci:][:ci]
		x1 := x[(p+1)*ci:][:ci]
		clear(o0)
		clear(o1)
		c := 0
		for ; c+4 <= ci; c += 4 {
			a0, a1, a2, a3 := x0[c], x0[c+1], x0[c+2], x0[c+3]
			b0, b1, b2, b3 := x1[c], x1[c+1], x1[c+2], x1[c+3]
			w0 := f[c*co:][:co]
			w1 := f[(c+1)*co:][:co]
			w2 := f[(c+2)*co:][:co]
			w3 := f[(c+3)*co:][:co]
			o1 := o1[:len(o0)]
			for o := range o0 {
				v0, v1, v2, v3 := w0[o], w1[o], w2[o], w3[o]
				s := float32(a0*v0) + o0[o]
				s = float32(a1*v1) + s
				s = float32(a2*v2) + s
				o0[o] = float32(a3*v3) + s
				t := float32(b0*v0) + o1[o]
				t = float32(b1*v1) + t
				t = float32(b2*v2) + t
				o1[o] = float32(b3*v3) + t
			}
		}
		for ; c < ci; c++ {
			a, b := x0[c], x1[c]
			w := f[c*co:][:co]
			o1 := o1[:len(o0)]
			for o := range o0 {
				o0[o] = float32(a*w[o]) + o0[o]
				o1[o] = float32(b*w[o]) + o1[o]
			}
		}
		finish(o0, bias, act, alpha)
		finish(o1, bias, act, alpha)
	}
	for ; p < npix; p++ {
		out := y[p*co:][:co]
		clear(out)
		accumulate(out, x[p*ci:][:ci], f)
		finish(out, bias, act, alpha)
	}
}

// finish adds the bias and applies the activation to one output row.
//
//go:norace
func finish(out, bias []float32, act activation, alpha []float32) {
	if bias != nil {
		bias = bias[:len(out)]
		for o := range out {
			out[o] += bias[o]
		}
	}
	switch act {
	case actRelu:
		relu(out, out)
	case actRelu6:
		relu6(out, out)
	case actPrelu:
		prelu(out, out, alpha)
	}
}

// depthwise computes a depthwise convolution with channel multiplier 1:
// x [inH, inW, C], f [kh, kw, C, 1], y [outH, outW, C], accumulated from
// zero in the order kernel row, kernel column.
//
//go:norace
func depthwise(y, x, f []float32, g *window) {
	c := g.inC
	for oy := 0; oy < g.outH; oy++ {
		for ox := 0; ox < g.outW; ox++ {
			out := y[(oy*g.outW+ox)*c:][:c]
			ix0 := ox*g.sw - g.padL
			iy0 := oy*g.sh - g.padT
			if g.kh == 3 && g.kw == 3 && ix0 >= 0 && ix0+3 <= g.inW && iy0 >= 0 && iy0+3 <= g.inH {
				depthwise3x3(out, x, f, iy0, ix0, g.inW, c)
				continue
			}
			clear(out)
			for ky := 0; ky < g.kh; ky++ {
				iy := oy*g.sh - g.padT + ky
				if iy < 0 || iy >= g.inH {
					continue
				}
				row := x[iy*g.inW*c:][:g.inW*c]
				wrow := f[ky*g.kw*c:][:g.kw*c]
				if g.kw == 3 && ix0 >= 0 && ix0+3 <= g.inW {
					x0 := row[ix0*c:][:c]
					x1 := row[(ix0+1)*c:][:c]
					x2 := row[(ix0+2)*c:][:c]
					w0 := wrow[:c]
					w1 := wrow[c:][:c]
					w2 := wrow[2*c:][:c]
					for i := range out {
						s := float32(x0[i]*w0[i]) + out[i]
						s = float32(x1[i]*w1[i]) + s
						out[i] = float32(x2[i]*w2[i]) + s
					}
					continue
				}
				for kx := 0; kx < g.kw; kx++ {
					ix := ix0 + kx
					if ix < 0 || ix >= g.inW {
						continue
					}
					xin := row[ix*c:][:c]
					wk := wrow[kx*c:][:c]
					for i := range out {
						out[i] = float32(xin[i]*wk[i]) + out[i]
					}
				}
			}
		}
	}
}

// depthwise3x3 computes one output pixel of a 3×3 depthwise convolution
// whose window lies inside the input, top-left tap at (iy0, ix0): the nine
// products are added in row-major tap order, starting from zero, as the
// general loop does.
//
//go:norace
func depthwise3x3(out, x, f []float32, iy0, ix0, inW, c int) {
	r0 := x[(iy0*inW+ix0)*c:][:3*c]
	r1 := x[((iy0+1)*inW+ix0)*c:][:3*c]
	r2 := x[((iy0+2)*inW+ix0)*c:][:3*c]
	f = f[:9*c]
	for i := range out {
		s := float32(r0[i]*f[i]) + 0
		s = float32(r0[c+i]*f[c+i]) + s
		s = float32(r0[2*c+i]*f[2*c+i]) + s
		s = float32(r1[i]*f[3*c+i]) + s
		s = float32(r1[c+i]*f[4*c+i]) + s
		s = float32(r1[2*c+i]*f[5*c+i]) + s
		s = float32(r2[i]*f[6*c+i]) + s
		s = float32(r2[c+i]*f[7*c+i]) + s
		out[i] = float32(r2[2*c+i]*f[8*c+i]) + s
	}
}

// maxPool computes the maximum over each window, ignoring padded taps.
//
//go:norace
func maxPool(y, x []float32, g *window) {
	c := g.inC
	inf := float32(math.Inf(-1))
	for oy := 0; oy < g.outH; oy++ {
		for ox := 0; ox < g.outW; ox++ {
			out := y[(oy*g.outW+ox)*c:][:c]
			for i := range out {
				out[i] = inf
			}
			for ky := 0; ky < g.kh; ky++ {
				iy := oy*g.sh - g.padT + ky
				if iy < 0 || iy >= g.inH {
					continue
				}
				for kx := 0; kx < g.kw; kx++ {
					ix := ox*g.sw - g.padL + kx
					if ix < 0 || ix >= g.inW {
						continue
					}
					xin := x[(iy*g.inW+ix)*c:][:c]
					for i, v := range xin {
						out[i] = max(out[i], v)
					}
				}
			}
		}
	}
}

// prelu computes y = x for x ≥ 0 and alpha[c]·x for x < 0, with alpha
// indexed by the innermost (channel) dimension. It is written
// max(x, 0) + alpha·min(x, 0), which gives the same values without a
// data-dependent branch (the sign of a zero result may differ, which no
// later operation can see).
//
//go:norace
func prelu(y, x, alpha []float32) {
	c := len(alpha)
	for i := 0; i+c <= len(x); i += c {
		xs := x[i:][:c]
		ys := y[i:][:c]
		for j, v := range xs {
			ys[j] = max(v, 0) + float32(alpha[j]*min(v, 0))
		}
	}
}

//go:norace
func relu(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		if v < 0 {
			v = 0
		}
		y[i] = v
	}
}

//go:norace
func relu6(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		if v < 0 {
			v = 0
		} else if v > 6 {
			v = 6
		}
		y[i] = v
	}
}

//go:norace
func add(y, a, b []float32) {
	y = y[:len(a)]
	b = b[:len(a)]
	for i := range a {
		y[i] = a[i] + b[i]
	}
}

// addPrelu computes prelu(a + b) in one pass, alpha per channel (the
// innermost dimension); the same values as add then prelu.
//
//go:norace
func addPrelu(y, a, b, alpha []float32) {
	c := len(alpha)
	for i := 0; i+c <= len(a); i += c {
		as := a[i:][:c]
		bs := b[i:][:c]
		ys := y[i:][:c]
		for j := range as {
			v := as[j] + bs[j]
			ys[j] = max(v, 0) + float32(alpha[j]*min(v, 0))
		}
	}
}

// sigmoid computes 1/(1+exp(−x)) in float64 and rounds to float32, as the
// TensorFlow.js CPU backend does, with this package's own exp so the result
// does not depend on a platform's assembly.
//
//go:norace
func sigmoid(y, x []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] = float32(1 / (1 + exp(-float64(v))))
	}
}

// exp returns e**x to within about 1 ulp, in plain float64 arithmetic with
// no fused multiply-adds: x = k·ln2 + r with |r| ≤ ln2/2, exp(r) from its
// Taylor series to degree 14 (truncation error below 2e-17), then scaled
// by 2**k.
func exp(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return x
	case x > 709.78:
		return math.Inf(1)
	case x < -745.2:
		return 0
	}
	const (
		ln2Hi = 6.93147180369123816490e-01
		ln2Lo = 1.90821492927058770002e-10
	)
	k := math.Floor(float64(x*math.Log2E) + 0.5)
	r := float64(x-float64(k*ln2Hi)) - float64(k*ln2Lo)
	// Horner: sum_{n=0}^{14} r^n/n!
	s := 1.0 / 87178291200 // 1/14!
	for n := 13; n >= 0; n-- {
		s = float64(s*r) + invFact[n]
	}
	return math.Ldexp(s, int(k))
}

var invFact = [14]float64{
	1, 1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
	1.0 / 40320, 1.0 / 362880, 1.0 / 3628800, 1.0 / 39916800,
	1.0 / 479001600, 1.0 / 6227020800,
}

// pad4 copies x [n,h,w,c] into y with before/after zero padding per
// dimension (pads[d] = {before, after}).
func pad4(y, x []float32, in [4]int, pads [4][2]int) {
	clear(y)
	oh := in[1] + pads[1][0] + pads[1][1]
	ow := in[2] + pads[2][0] + pads[2][1]
	oc := in[3] + pads[3][0] + pads[3][1]
	for n := 0; n < in[0]; n++ {
		for h := 0; h < in[1]; h++ {
			for w := 0; w < in[2]; w++ {
				src := x[((n*in[1]+h)*in[2]+w)*in[3]:][:in[3]]
				dst := y[(((n+pads[0][0])*oh+h+pads[1][0])*ow+w+pads[2][0])*oc+pads[3][0]:][:in[3]]
				copy(dst, src)
			}
		}
	}
}

// concat joins inputs along an axis: outer is the product of the dimensions
// before the axis, and chunks[i] the product of input i's dimensions from
// the axis on.
func concat(y []float32, xs [][]float32, outer int, chunks []int) {
	off := 0
	for o := 0; o < outer; o++ {
		for i, x := range xs {
			n := chunks[i]
			copy(y[off:off+n], x[o*n:(o+1)*n])
			off += n
		}
	}
}
