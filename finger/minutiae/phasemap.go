package minutiae

import "sync"

// int32Pool recycles large int32 scratch slices between extractions; a
// slice from get holds arbitrary values, which its user writes before
// reading.
type int32Pool struct{ p sync.Pool }

// int32Bufs holds the phase map's scratch planes.
var int32Bufs int32Pool

// fjTaps9 are the taps t0…t4 of a 9-tap filter for offsets 0, ±1 … ±4:
// symmetric when t0 ≠ 0, antisymmetric (x[+k] − x[−k], +k right or down)
// when t0 = 0.
type fjTaps9 [5]int32

// The separable bases of FingerJetFX's steerable G2/H2 quadrature pair.
var (
	fjF20 = fjTaps9{-112, -7, 48, 14, 1}
	fjF22 = fjTaps9{122, 78, 20, 2, 0} // also F33
	fjF21 = fjTaps9{0, 71, 37, 6, 0}
	fjF30 = fjTaps9{0, -92, -12, 8, 1}
	fjF32 = fjTaps9{0, 52, 27, 4, 0}
	fjF31 = fjTaps9{-90, -23, 21, 7, 1}
)

// filter applies the taps along a line of samples: out[i] is centred on
// in[i+4·step], for every i with i+8·step < len(in).
func (t *fjTaps9) filter(out, in []int32, step int) {
	n := len(in) - 8*step
	if n > len(out) {
		n = len(out)
	}
	s1, s2, s3, s4 := step, 2*step, 3*step, 4*step
	if t[0] != 0 {
		t0, t1, t2, t3, t4 := t[0], t[1], t[2], t[3], t[4]
		for i := 0; i < n; i++ {
			c := i + s4
			out[i] = t0*in[c] + t1*(in[c+s1]+in[c-s1]) + t2*(in[c+s2]+in[c-s2]) +
				t3*(in[c+s3]+in[c-s3]) + t4*(in[c+s4]+in[c-s4])
		}
		return
	}
	t1, t2, t3, t4 := t[1], t[2], t[3], t[4]
	for i := 0; i < n; i++ {
		c := i + s4
		out[i] = t1*(in[c+s1]-in[c-s1]) + t2*(in[c+s2]-in[c-s2]) +
			t3*(in[c+s3]-in[c-s3]) + t4*(in[c+s4]-in[c-s4])
	}
}

// fjVert6 is (*fjTaps9).filter with the six bases at once (F22, F21, F20,
// F32, F31, F30; F22, F20 and F31 symmetric, the others antisymmetric),
// sharing the sums and differences of the samples: out[i] is centred on
// in[i+4·step], for every i with i+8·step < len(in). Integer sums group
// freely, so the values are filter's.
func fjVert6(o22, o21, o20, o32, o31, o30, in []int32, step int) {
	n := min(len(in)-8*step, len(o22))
	o21, o20, o32, o31, o30 = o21[:n], o20[:n], o32[:n], o31[:n], o30[:n]
	s1, s2, s3, s4 := step, 2*step, 3*step, 4*step
	for i := 0; i < n; i++ {
		c := i + s4
		x0 := in[c]
		a1, b1 := in[c+s1], in[c-s1]
		a2, b2 := in[c+s2], in[c-s2]
		a3, b3 := in[c+s3], in[c-s3]
		a4, b4 := in[c+s4], in[c-s4]
		p1, p2, p3, p4 := a1+b1, a2+b2, a3+b3, a4+b4
		m1, m2, m3, m4 := a1-b1, a2-b2, a3-b3, a4-b4
		// The taps of fjF22, fjF20, fjF31, fjF21, fjF32, fjF30 written
		// out (TestVert6MatchesFilter), zero taps dropped.
		o22[i] = 122*x0 + 78*p1 + 20*p2 + 2*p3
		o20[i] = -112*x0 - 7*p1 + 48*p2 + 14*p3 + p4
		o31[i] = -90*x0 - 23*p1 + 21*p2 + 7*p3 + p4
		o21[i] = 71*m1 + 37*m2 + 6*m3
		o32[i] = 52*m1 + 27*m2 + 4*m3
		o30[i] = -92*m1 - 12*m2 + 8*m3 + m4
	}
}

// phaseMap is §5: every pixel is filtered with the seven separable bases,
// steered with its block's orientation, and the phase of the quadrature
// pair (x2 even, x3 odd) is quantised to 16 levels of 127 − 127·cos
// (0, 16, …, 240); pixels without orientation and the last 8 rows get the
// filler 127. Phase-map pixel (c, r) is centred on plane pixel (c, r + 4);
// horizontal neighbours run raster-linearly across row ends, and the very
// first samples see zeros on their left, as in FingerJetFX's stream. The
// phase map replaces the plane.
func (p *fjWork) phaseMap() {
	W, H := p.w, p.h
	n := W * H
	end := (H - 8) * W
	pm := make([]uint8, n)
	if end > 0 {
		// src[j] is plane sample j+4 (the top of the vertical support of
		// stream step j), with the bytes past the plane's end.
		buf := int32Bufs.get(7*(end+8) + 8*W)
		defer int32Bufs.put(buf)
		src, buf := buf[:end+8*W], buf[end+8*W:]
		for j := range src {
			if k := j + 4; k < n {
				src[j] = int32(p.img[k])
			} else {
				src[j] = int32(p.tailAt(k))
			}
		}
		// Vertical responses of stream step m stored at index m+8, with
		// 8 zeros in front: the horizontal filter of output k then reads
		// indices k…k+8, centred on k+4 (= step k−4).
		var vs [6][]int32
		for i := range vs {
			vs[i] = buf[:end+8]
			buf = buf[end+8:]
			clear(vs[i][:8])
		}
		v22, v21, v20, v32, v31, v30 := vs[0], vs[1], vs[2], vs[3], vs[4], vs[5]
		fjVert6(v22[8:], v21[8:], v20[8:], v32[8:], v31[8:], v30[8:], src, W) // writes v[8:]
		// The seven responses (horizontal ∘ vertical), steered, at the
		// pixels that have an orientation.
		q := func(x int64) int64 { return (x + 64) >> 7 }
		// The steering coefficients of the block, recomputed when the
		// block changes.
		lastB := -1
		var a10, a11, a20, a21, a22, a30, a31, a32, a33 int64
		for k, c, r := 0, 0, 0; k < end; k, c = k+1, c+1 {
			if c == W { // k = r·W + c
				c, r = 0, r+1
			}
			if b := (r/fjOriBlock+1)*p.ow + c/fjOriBlock; b != lastB {
				lastB = b
				a10, a11 = int64(p.ore[b]), int64(p.oim[b])
				a20, a21, a22 = q(a10*a10), q(2*a10*a11), q(a11*a11)
				a30, a31, a32, a33 = q(a10*a20), q(3*a20*a11), q(3*a22*a10), q(a11*a22)
			}
			if a10 == 0 && a11 == 0 {
				pm[k] = fjFiller
				continue
			}
			// The horizontal filters centred on k+4 (fjSym9, fjAnti9 with
			// the taps written out; TestPhaseMapMatchesTables).
			h22, h21, h20 := v22[k:k+9:k+9], v21[k:k+9:k+9], v20[k:k+9:k+9]
			f20 := -112*h22[4] - 7*(h22[5]+h22[3]) + 48*(h22[6]+h22[2]) + 14*(h22[7]+h22[1]) + (h22[8] + h22[0])
			f21 := 71*(h21[5]-h21[3]) + 37*(h21[6]-h21[2]) + 6*(h21[7]-h21[1])
			f22 := 122*h20[4] + 78*(h20[5]+h20[3]) + 20*(h20[6]+h20[2]) + 2*(h20[7]+h20[1])
			x2 := (a20*int64(f20) + a21*int64(f21) + a22*int64(f22) + 1024) >> 11
			if x2 == 0 {
				pm[k] = fjFiller
				continue
			}
			h32, h31, h30 := v32[k:k+9:k+9], v31[k:k+9:k+9], v30[k:k+9:k+9]
			f30 := -92*(h22[5]-h22[3]) - 12*(h22[6]-h22[2]) + 8*(h22[7]-h22[1]) + (h22[8] - h22[0])
			f31 := -90*h32[4] - 23*(h32[5]+h32[3]) + 21*(h32[6]+h32[2]) + 7*(h32[7]+h32[1]) + (h32[8] + h32[0])
			f32 := 52*(h31[5]-h31[3]) + 27*(h31[6]-h31[2]) + 4*(h31[7]-h31[1])
			f33 := 122*h30[4] + 78*(h30[5]+h30[3]) + 20*(h30[6]+h30[2]) + 2*(h30[7]+h30[1])
			x3 := (a30*int64(f30) + a31*int64(f31) + a32*int64(f32) + a33*int64(f33) + 1024) >> 11
			re, _ := fjOctSign(x2, x3, 0)
			pm[k] = uint8(127-int(re)) & 0xF0
		}
	}
	for k := max(end, 0); k < n; k++ {
		pm[k] = fjFiller
	}
	p.img = pm
}

// fjSym9 is the symmetric filter t centred on in[c].
func fjSym9(t *fjTaps9, in []int32, c int) int32 {
	v := in[c-4 : c+5 : c+5]
	return t[0]*v[4] + t[1]*(v[5]+v[3]) + t[2]*(v[6]+v[2]) + t[3]*(v[7]+v[1]) + t[4]*(v[8]+v[0])
}

// fjAnti9 is the antisymmetric filter t (t[0] = 0) centred on in[c].
func fjAnti9(t *fjTaps9, in []int32, c int) int32 {
	v := in[c-4 : c+5 : c+5]
	return t[1]*(v[5]-v[3]) + t[2]*(v[6]-v[2]) + t[3]*(v[7]-v[1]) + t[4]*(v[8]-v[0])
}

func (b *int32Pool) get(n int) []int32 {
	if v, ok := b.p.Get().(*[]int32); ok && cap(*v) >= n {
		return (*v)[:n]
	}
	return make([]int32, n)
}

func (b *int32Pool) put(s []int32) { b.p.Put(&s) }
