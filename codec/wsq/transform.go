package wsq

// The WSQ filter bank is a two-channel biorthogonal filter bank with odd-length
// symmetric filters, applied with whole-sample symmetric extension of the
// signal. Along a line x[0..n) the analysis produces
//
//	L[k] = Σ_j h0[j]·x̃[2k+j]      k = 0 .. ⌈n/2⌉-1
//	H[k] = Σ_j h1[j]·x̃[2k+1+j]    k = 0 .. ⌊n/2⌋-1
//
// (filters indexed from their centre, x̃ the signal mirrored about its first
// and last sample), and the synthesis inverts it with
//
//	x[i] = Σ_k L̃[k]·g0[i-2k] + Σ_k H̃[k]·g1[i-2k-1]
//
// where L̃ and H̃ are the subbands extended by the symmetry the analysis
// induces: the mirror of x maps the even (low-pass) and odd (high-pass)
// sample lattices onto themselves. The synthesis filters are the modulated
// analysis filters: g0[j] = (-1)^j h1[j] and g1[j] = (-1)^j h0[j].

// filterBank holds centred odd-length filters: index c of a slice is tap c
// away from the centre at len/2.
type filterBank struct {
	h0, h1 []float32 // analysis low and high pass
	g0, g1 []float32 // synthesis low and high pass
	// poly[p] lists, for outputs x[2m+p], the synthesis taps as offsets
	// from m into the extended low and high pass subbands.
	poly [2]struct{ lo, hi []tap }
}

// tap is one polyphase synthesis coefficient.
type tap struct {
	dk int
	c  float32
}

// modulate returns f with every odd tap (counted from the centre) negated.
func modulate(f []float32) []float32 {
	c := len(f) / 2
	out := make([]float32, len(f))
	for i, v := range f {
		if (i-c)%2 != 0 {
			v = -v
		}
		out[i] = v
	}
	return out
}

func newFilterBank(h0, h1 []float32) *filterBank {
	fb := &filterBank{h0: h0, h1: h1, g0: modulate(h1), g1: modulate(h0)}
	r0, r1 := len(fb.g0)/2, len(fb.g1)/2
	for p := 0; p < 2; p++ {
		// x[i] = Σ_k L̃[k]·g0[i-2k] + Σ_k H̃[k]·g1[i-2k-1], with i = 2m+p
		// and k = m+dk.
		for dk := -r0; dk <= r0; dk++ {
			if j := p - 2*dk; j >= -r0 && j <= r0 {
				fb.poly[p].lo = append(fb.poly[p].lo, tap{dk, fb.g0[j+r0]})
			}
		}
		for dk := -r1; dk <= r1; dk++ {
			if j := p - 2*dk - 1; j >= -r1 && j <= r1 {
				fb.poly[p].hi = append(fb.poly[p].hi, tap{dk, fb.g1[j+r1]})
			}
		}
	}
	return fb
}

// mirror maps position p of the whole-sample symmetric extension of a line of
// n samples to its index in [0, n).
func mirror(p, n int) int {
	if n == 1 {
		return 0
	}
	period := 2*n - 2
	p %= period
	if p < 0 {
		p += period
	}
	if p >= n {
		p = period - p
	}
	return p
}

// lineBuf is scratch space for filtering one line.
type lineBuf struct {
	x, lo, hi []float32
}

func (b *lineBuf) grow(n, pad int) {
	if cap(b.x) < n+2*pad {
		b.x = make([]float32, n+2*pad)
	}
	if cap(b.lo) < n+2*pad {
		b.lo = make([]float32, n+2*pad)
		b.hi = make([]float32, n+2*pad)
	}
	b.x = b.x[:n+2*pad]
	b.lo = b.lo[:n+2*pad]
	b.hi = b.hi[:n+2*pad]
}

// analyze splits the n samples data[off], data[off+step], ... into the low
// and high pass subbands and writes them back in place: low pass first, or
// high pass first when inv is set.
func (fb *filterBank) analyze(data []float32, off, step, n int, inv bool, b *lineBuf) {
	if n < 2 {
		if n == 1 {
			// A single sample is its own low pass band: x̃ is constant.
			var s float32
			for _, f := range fb.h0 {
				s += f
			}
			data[off] *= s
		}
		return
	}
	r0, r1 := len(fb.h0)/2, len(fb.h1)/2
	pad := max(r0, r1) + 1
	b.grow(n, pad)
	x := b.x
	for i := 0; i < n; i++ {
		x[i+pad] = data[off+i*step]
	}
	for i := 1; i <= pad; i++ {
		x[pad-i] = x[pad+mirror(-i, n)]
		x[pad+n-1+i] = x[pad+mirror(n-1+i, n)]
	}
	nl, nh := (n+1)/2, n/2
	lo0, hi0 := off, off+nl*step
	if inv {
		hi0, lo0 = off, off+nh*step
	}
	for k := 0; k < nl; k++ {
		c := 2*k + pad
		var s float32
		for j, f := range fb.h0 {
			s += float32(f * x[c+j-r0])
		}
		b.lo[k] = s
	}
	for k := 0; k < nh; k++ {
		c := 2*k + 1 + pad
		var s float32
		for j, f := range fb.h1 {
			s += float32(f * x[c+j-r1])
		}
		b.hi[k] = s
	}
	for k := 0; k < nl; k++ {
		data[lo0+k*step] = b.lo[k]
	}
	for k := 0; k < nh; k++ {
		data[hi0+k*step] = b.hi[k]
	}
}

// synthesize is the inverse of analyze.
func (fb *filterBank) synthesize(data []float32, off, step, n int, inv bool, b *lineBuf) {
	if n < 2 {
		if n == 1 {
			// Only the low pass sample exists; H̃ ≡ 0 and Σ g0[even] = 1/Σ h0.
			var s float32
			c := len(fb.g0) / 2
			for i, f := range fb.g0 {
				if (i-c)%2 == 0 {
					s += f
				}
			}
			data[off] *= s
		}
		return
	}
	r0, r1 := len(fb.g0)/2, len(fb.g1)/2
	pad := max(r0, r1)/2 + 2
	b.grow(n, pad)
	nl, nh := (n+1)/2, n/2
	lo0, hi0 := off, off+nl*step
	if inv {
		hi0, lo0 = off, off+nh*step
	}
	// Extended subbands: L̃[k] sits at signal position 2k, H̃[k] at 2k+1.
	lo, hi := b.lo, b.hi
	for k := 0; k < nl; k++ {
		lo[k+pad] = data[lo0+k*step]
	}
	for k := 0; k < nh; k++ {
		hi[k+pad] = data[hi0+k*step]
	}
	for k := 1; k <= pad; k++ {
		lo[pad-k] = lo[pad+mirror(-2*k, n)/2]
		lo[pad+nl-1+k] = lo[pad+mirror(2*(nl-1+k), n)/2]
		hi[pad-k] = hi[pad+(mirror(-2*k+1, n)-1)/2]
		hi[pad+nh-1+k] = hi[pad+(mirror(2*(nh-1+k)+1, n)-1)/2]
	}
	for i := 0; i < n; i++ {
		var s float32
		m := i>>1 + pad
		ph := &fb.poly[i&1]
		for _, t := range ph.lo {
			s += float32(lo[m+t.dk] * t.c)
		}
		for _, t := range ph.hi {
			s += float32(hi[m+t.dk] * t.c)
		}
		b.x[i] = s
	}
	for i := 0; i < n; i++ {
		data[off+i*step] = b.x[i]
	}
}

// decompose applies the analysis of every node of the wavelet tree in order,
// rows then columns, to the width-wide coefficient image data.
func (fb *filterBank) decompose(data []float32, width int, t *trees) {
	var b lineBuf
	for _, nd := range t.w {
		for r := 0; r < nd.h; r++ {
			fb.analyze(data, (nd.y+r)*width+nd.x, 1, nd.w, nd.invRow, &b)
		}
		for c := 0; c < nd.w; c++ {
			fb.analyze(data, nd.y*width+nd.x+c, width, nd.h, nd.invCol, &b)
		}
	}
}

// reconstruct inverts decompose: nodes in reverse order, columns then rows.
func (fb *filterBank) reconstruct(data []float32, width int, t *trees) {
	var b lineBuf
	for i := len(t.w) - 1; i >= 0; i-- {
		nd := t.w[i]
		for c := 0; c < nd.w; c++ {
			fb.synthesize(data, nd.y*width+nd.x+c, width, nd.h, nd.invCol, &b)
		}
		for r := 0; r < nd.h; r++ {
			fb.synthesize(data, (nd.y+r)*width+nd.x, 1, nd.w, nd.invRow, &b)
		}
	}
}
