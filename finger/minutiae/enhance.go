package minutiae

import "math"

// Integer-exact FFT enhancement of FingerJetFX OSE (§3 of the stage-by-stage
// description the extractor follows, §3a and §3b), plus the integer helpers
// of its notation that it needs
// (rnd_n, div_r, oct_abs).
//
// Arithmetic types: the block is held as complex int32 values and every
// product of the transforms (butterflies, real-FFT split) is an int32 product
// as the spec states ("complex int32 product, no rounding"); Go's int32
// arithmetic wraps on overflow like the two's-complement C code does, and
// for 0..255 input no forward product comes near 2^31. The spectral filter
// and the normalisation compute in int64; for any realistic block the
// values stay far below 2^31, so this is identical to int32 arithmetic.

// Geometry of §3: enh_block_bits = 5 (32×32 blocks), spacing 17, first block
// origin −15 on both axes.
const (
	fjEnhSide    = 32  // block side (1 << enh_block_bits)
	fjEnhHalf    = 16  // complex elements per row = real-FFT bins kept per row (u = 0..15)
	fjEnhSpacing = 17  // distance between block origins
	fjEnhOrigin  = -15 // x0 and y0 of the first block
	fjEnhStretch = 251 // grey-level stretch of the normalisation (§3b)
	fjEnhFloor   = 16  // smallest range of a block (§3b)
	fjEnhBandLo2 = 6   // r² ≤ this is zeroed by the spectral filter
	fjEnhBandHi2 = 169 // r² ≥ this is zeroed by the spectral filter
)

// fjTwSin is the twiddle table of §3a: s(t) for t = 0..31 in a 32-per-turn
// table with amplitude 4096 (entries 16..31 are entries 0..15 negated).
var fjTwSin = [32]int32{
	0, 799, 1567, 2276, 2896, 3406, 3784, 4017, 4096, 4017, 3784, 3406, 2896, 2276, 1567, 799,
	0, -799, -1567, -2276, -2896, -3406, -3784, -4017, -4096, -4017, -3784, -3406, -2896, -2276, -1567, -799,
}

// fjEnhWindow is the overlap-add window of §3b: e(i) = min(i+1, 32−i, 16).
var fjEnhWindow = func() (e [fjEnhSide]int64) {
	for i := range e {
		e[i] = int64(min(i+1, fjEnhSide-i, 16))
	}
	return e
}()

// fjBitRev16 and fjBitRev32 are the bit-reversal permutations that precede
// the radix-2 decimation-in-time FFT of §3a (4 and 5 bits).
var fjBitRev16, fjBitRev32 = [16]uint8(fjBitRevTable(4)), [32]uint8(fjBitRevTable(5))

// fjBitRevTable returns the bit-reversal permutation of 0..2^bits−1 (§3a,
// "after bit-reversal permutation of the complex elements").
func fjBitRevTable(bits uint) []uint8 {
	n := 1 << bits
	t := make([]uint8, n)
	for i := 0; i < n; i++ {
		r := 0
		for b := uint(0); b < bits; b++ {
			if i&(1<<b) != 0 {
				r |= 1 << (bits - 1 - b)
			}
		}
		t[i] = uint8(r)
	}
	return t
}

// fjRnd is the spec's rnd_n (FingerJetFX's reduce): (v + 2^(n−1)) >> n with
// an arithmetic (floor) shift. rnd_0 is the identity.
func fjRnd(v int64, n uint) int64 {
	if n == 0 {
		return v
	}
	return (v + 1<<(n-1)) >> n
}

// fjRnd32 is rnd_n (see fjRnd) on int32 values, as used inside the
// fixed-point FFT of §3a; n must be ≥ 1.
func fjRnd32(v int32, n uint) int32 {
	return (v + 1<<(n-1)) >> n
}

// fjDivR is the spec's div_r (FingerJetFX's divide/muldiv): rounded division
// (|a| + |b|/2) / |b| with truncating integer division, carrying the sign of
// a·b. b must not be 0.
func fjDivR(a, b int64) int64 {
	neg := (a < 0) != (b < 0)
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	q := (a + b/2) / b
	if neg {
		return -q
	}
	return q
}

// fjDivRPos is fjDivR(a, b) for a ≥ 0 and 0 < b (a + b < 2^53), given
// inv = 1/b: the quotient from the reciprocal, corrected to the exact
// integer one, without a division.
func fjDivRPos(a, b int64, inv float64) int64 {
	n := a + b/2
	q := int64(float64(n) * inv)
	for q*b > n {
		q--
	}
	for (q+1)*b <= n {
		q++
	}
	return q
}

// fjOctAbs is the spec's oct_abs (complex.h), an octagonal approximation of
// |z| for z = (re, im): max(max(|re|,|im|), rnd_8((|re| + |im|)·181)).
func fjOctAbs(re, im int64) int64 {
	if re < 0 {
		re = -re
	}
	if im < 0 {
		im = -im
	}
	return max(re, im, fjRnd((re+im)*181, 8))
}

// fjTw returns the twiddle (cos(t), sin(t)) of the 32-per-turn table of §3a:
// cos(t) = s(t + 8); t is taken modulo 32 through its low five bits, so
// negative t work in two's complement.
func fjTw(t int) (c, s int32) {
	return fjTwSin[(t+8)&31], fjTwSin[t&31]
}

// fjBfly is one radix-2 butterfly of the FFT of §3a: element indices a and
// b (of the interleaved re/im array, i.e. 2·j) and the twiddle w = (wr, wi).
type fjBfly struct {
	a, b   int32
	wr, wi int32
	kind   uint8 // fjTwGeneral, or a twiddle of ±4096 on one axis
}

// Twiddles of a butterfly: with w = (4096, 0), (0, −4096) or (0, 4096) the
// int32 product w·b is b's components shifted by 12 bits (negated or
// swapped), which wraps exactly as the product does, so the butterfly is
// computed without multiplications and gives the same bits.
const (
	fjTwGeneral = iota
	fjTwOne     // (4096, 0)
	fjTwMinusI  // (0, −4096)
	fjTwPlusI   // (0, 4096)
)

// fjTwKind classifies the twiddle (wr, wi).
func fjTwKind(wr, wi int32) uint8 {
	switch {
	case wr == 4096 && wi == 0:
		return fjTwOne
	case wr == 0 && wi == -4096:
		return fjTwMinusI
	case wr == 0 && wi == 4096:
		return fjTwPlusI
	}
	return fjTwGeneral
}

// fjTwMul is rnd_12(w·(br, bi)) per component, int32 products, as the
// butterflies compute it, using the twiddle's kind.
func fjTwMul(kind uint8, wr, wi, br, bi int32) (tr, ti int32) {
	switch kind {
	case fjTwOne:
		return (br<<12 + 1<<11) >> 12, (bi<<12 + 1<<11) >> 12
	case fjTwMinusI: // (0·br + 4096·bi, 0·bi − 4096·br)
		return (bi<<12 + 1<<11) >> 12, (-(br << 12) + 1<<11) >> 12
	case fjTwPlusI: // (0·br − 4096·bi, 0·bi + 4096·br)
		return (-(bi << 12) + 1<<11) >> 12, (br<<12 + 1<<11) >> 12
	}
	return (wr*br - wi*bi + 1<<11) >> 12, (wr*bi + wi*br + 1<<11) >> 12
}

// fjEnhSchedule lists, in execution order, the butterflies of the n-point
// radix-2 decimation-in-time FFT of §3a: stages h = 1, 2, …, n/2; within a
// stage m = 0..h−1, then the groups j = m, m + 2h, …; twiddle index
// t = sign·(32/(2h))·m (sign −1 forward, +1 inverse).
func fjEnhSchedule(n, sign int) []fjBfly {
	var s []fjBfly
	for h := 1; h < n; h <<= 1 {
		step := fjEnhHalf / h // 32/(2h)
		for m := 0; m < h; m++ {
			wr, wi := fjTw(sign * step * m)
			for j := m; j < n; j += 2 * h {
				s = append(s, fjBfly{int32(2 * j), int32(2 * (j + h)), wr, wi, fjTwKind(wr, wi)})
			}
		}
	}
	return s
}

// Butterfly schedules of the 16-point (row) and 32-point (column) FFTs.
// The row transforms run as the straight-line fjFFT16Fwd and fjFFT16Inv,
// generated from the 16-point schedules by gen_fft16.go.
//
//go:generate go run gen_fft16.go
var (
	fjSched16Fwd, fjSched16Inv = fjEnhSchedule(fjEnhHalf, -1), fjEnhSchedule(fjEnhHalf, 1)
	fjSched32Fwd, fjSched32Inv = fjEnhSchedule(fjEnhSide, -1), fjEnhSchedule(fjEnhSide, 1)
)

// fjEnhRowFFTs is the 16-point complex FFT of §3a (`fft`) applied to each of
// the 32 rows of the block (16 complex elements per row, element j at
// indices 2j, 2j+1): bit-reversal permutation, then in-place radix-2
// decimation in time following sched16 (fjEnhSchedule): per butterfly
// t = rnd_12(w·b) per component (int32 products), b ← a − t, a ← a + t; no
// per-stage scaling. The rows are independent, so they are processed side
// by side, one butterfly of the schedule at a time.
func fjEnhRowFFTs(blk *[fjEnhSide * fjEnhSide]int32, sched []fjBfly) {
	for i, r := range fjBitRev16 {
		if j := int(r); j > i {
			for y := 0; y < fjEnhSide*fjEnhSide; y += fjEnhSide {
				pi, pj := (y+2*i)&1022, (y+2*j)&1022
				blk[pi], blk[pj] = blk[pj], blk[pi]
				blk[pi|1], blk[pj|1] = blk[pj|1], blk[pi|1]
			}
		}
	}
	for _, f := range sched {
		wr, wi := f.wr, f.wi
		if f.kind == fjTwOne {
			for y := 0; y < fjEnhSide*fjEnhSide; y += fjEnhSide {
				pa, pb := (y+int(f.a))&1022, (y+int(f.b))&1022
				tr, ti := (blk[pb]<<12+1<<11)>>12, (blk[pb|1]<<12+1<<11)>>12
				ar, ai := blk[pa], blk[pa|1]
				blk[pb], blk[pb|1] = ar-tr, ai-ti
				blk[pa], blk[pa|1] = ar+tr, ai+ti
			}
			continue
		}
		for y := 0; y < fjEnhSide*fjEnhSide; y += fjEnhSide {
			pa, pb := (y+int(f.a))&1022, (y+int(f.b))&1022
			br, bi := blk[pb], blk[pb|1]
			tr, ti := fjTwMul(f.kind, wr, wi, br, bi) // rnd_12
			ar, ai := blk[pa], blk[pa|1]
			blk[pb], blk[pb|1] = ar-tr, ai-ti
			blk[pa], blk[pa|1] = ar+tr, ai+ti
		}
	}
}

// fjEnhBandCols is the number of int32 per row (13 complex columns,
// u = 0..12) that the spectral filter can leave non-zero: r² ≥ 169 for
// every u ≥ 13. The enhancement transforms only these columns; the others
// are zeroed by the filter (forward) or already zero (inverse), exactly
// as if transformed.
const fjEnhBandCols = 26

// fjEnhColumnFFTsIn is the 32-point complex FFT of §3a (`fft`, as in
// fjEnhRowFFTs) applied to the complex columns of the block (element v of
// column u at row v, indices 32v + 2u, +1) held in the first cols int32 of
// each row (all 16 columns for cols = 32), following sched32; the other
// columns are left as they are. The columns are processed side by side:
// the bit-reversal permutation swaps rows and each butterfly of the
// schedule runs over all the columns.
func fjEnhColumnFFTsIn(blk *[fjEnhSide * fjEnhSide]int32, sched []fjBfly, cols int) {
	for i, r := range fjBitRev32 {
		if j := int(r); j > i {
			ri := blk[i*fjEnhSide : i*fjEnhSide+cols]
			rj := blk[j*fjEnhSide : j*fjEnhSide+cols]
			for k := range ri {
				ri[k], rj[k] = rj[k], ri[k]
			}
		}
	}
	fjEnhColumnStage(blk, sched, cols)
}

// fjEnhColumnStage runs the butterflies of sched (a part of a 32-point
// schedule) over the first cols int32 of the block's rows, as
// fjEnhColumnFFTsIn does after the bit-reversal permutation.
func fjEnhColumnStage(blk *[fjEnhSide * fjEnhSide]int32, sched []fjBfly, cols int) {
	for _, f := range sched {
		wr, wi := f.wr, f.wi
		ra := (*[fjEnhSide]int32)(blk[int(f.a)/2*fjEnhSide:])
		rb := (*[fjEnhSide]int32)(blk[int(f.b)/2*fjEnhSide:])
		switch f.kind { // the same bits as the general loop (fjTwMul)
		case fjTwOne:
			for u := 0; u < cols; u += 2 {
				tr, ti := (rb[u]<<12+1<<11)>>12, (rb[u+1]<<12+1<<11)>>12
				ar, ai := ra[u], ra[u+1]
				rb[u], rb[u+1] = ar-tr, ai-ti
				ra[u], ra[u+1] = ar+tr, ai+ti
			}
			continue
		case fjTwMinusI:
			for u := 0; u < cols; u += 2 {
				br, bi := rb[u], rb[u+1]
				tr, ti := (bi<<12+1<<11)>>12, (-(br<<12)+1<<11)>>12
				ar, ai := ra[u], ra[u+1]
				rb[u], rb[u+1] = ar-tr, ai-ti
				ra[u], ra[u+1] = ar+tr, ai+ti
			}
			continue
		case fjTwPlusI:
			for u := 0; u < cols; u += 2 {
				br, bi := rb[u], rb[u+1]
				tr, ti := (-(bi<<12)+1<<11)>>12, (br<<12+1<<11)>>12
				ar, ai := ra[u], ra[u+1]
				rb[u], rb[u+1] = ar-tr, ai-ti
				ra[u], ra[u+1] = ar+tr, ai+ti
			}
			continue
		}
		for u := 0; u < cols; u += 2 {
			br, bi := rb[u], rb[u+1]
			tr := (wr*br - wi*bi + 1<<11) >> 12 // rnd_12
			ti := (wr*bi + wi*br + 1<<11) >> 12
			ar, ai := ra[u], ra[u+1]
			rb[u], rb[u+1] = ar-tr, ai-ti
			ra[u], ra[u+1] = ar+tr, ai+ti
		}
	}
}

// fjEnhSplit is the real-FFT split of §3a on the 16 complex elements of row
// (starting at row·32), for k = 1..8 with A = Z[k], B = Z[16−k] and
// W = (cos(t), sin(t)), t = t0 + sign·k:
//
//	h1 = 4096·(A + conj B), h2 = W·(−i)·(A − conj B)   (int32, no rounding)
//	X[k] = rnd_s(h1 + h2), X[16−k] = rnd_s(conj(h1 − h2))
//
// written in this order, so for k = 8 the second write wins. The forward
// split uses t0 = 0 with W = W_{−k} (sign −1) and s = 13; the inverse split
// uses t = k + 16 (sign +1, t0 = 16) and s = 12. Bin 0 is not touched here.
func fjEnhSplit(blk *[fjEnhSide * fjEnhSide]int32, row int, sign, t0 int, s uint) {
	base := row * fjEnhSide
	for k := 1; k <= fjEnhHalf/2; k++ {
		pa := base + 2*k
		pb := base + 2*(fjEnhHalf-k)
		ar, ai := blk[pa], blk[pa+1]
		br, bi := blk[pb], blk[pb+1]
		// h1 = 4096·(A + conj B)
		h1r := 4096 * (ar + br)
		h1i := 4096 * (ai - bi)
		// D = A − conj B; (−i)·D = (D.im, −D.re)
		pr := ai + bi
		pi := -(ar - br)
		wr, wi := fjTw(t0 + sign*k)
		h2r := wr*pr - wi*pi
		h2i := wr*pi + wi*pr
		blk[pa] = fjRnd32(h1r+h2r, s)
		blk[pa+1] = fjRnd32(h1i+h2i, s)
		blk[pb] = fjRnd32(h1r-h2r, s)
		blk[pb+1] = fjRnd32(h2i-h1i, s) // conj(h1 − h2).im = −(h1i − h2i)
	}
}

// fjEnhForward is the forward 2-D transform of §3a, step 1 and 2, in place
// on the 32×32 real block (row-major). Step 1, per row: the 32 reals are the
// 16 complex z_k = x_2k + i·x_2k+1, 16-point forward FFT, real-FFT split
// (rnd_13), bin 0 = (Z0.re + Z0.im, 0) with the Nyquist bin discarded; the
// row then holds bins u = 0..15 of the plain unnormalised DFT, complex u at
// indices 2u, 2u+1. Step 2: 32-point forward FFT of each of the 16 complex
// columns, so V(u, v) ends up at row v, complex index u.
func fjEnhForward(blk *[fjEnhSide * fjEnhSide]int32) { fjEnhForwardIn(blk, fjEnhSide) }

// fjEnhForwardIn is fjEnhForward with the column transforms limited to
// the first cols int32 of each row (fjEnhColumnFFTsIn).
func fjEnhForwardIn(blk *[fjEnhSide * fjEnhSide]int32, cols int) {
	// Per row: the 16-point FFT (fjEnhRowFFTs with fjSched16Fwd) and the
	// split, as straight-line code, and bin 0.
	for y := 0; y < fjEnhSide; y++ {
		row := (*[fjEnhSide]int32)(blk[y*fjEnhSide:])
		fjFFT16Fwd(row)
		fjSplitFwd(row) // fjEnhSplit(blk, y, -1, 0, 13)
		row[0] += row[1]
		row[1] = 0
	}
	fjColumnFFTs(blk, -1, cols) // fjEnhColumnFFTsIn(blk, fjSched32Fwd, cols)
}

// fjEnhFilter is the spectral filter of §3a on the half spectrum produced by
// fjEnhForward: for u = 0..15 and v' = v (v < 16) or v − 32, r² = u² + v'²;
// r² ≤ 6 or r² ≥ 169 is zeroed, otherwise a = rnd_5(oct_abs(V)),
// V1 = rnd_7(V·a) per component and V ← rnd_3(V + V1).
func fjEnhFilter(blk *[fjEnhSide * fjEnhSide]int32) {
	for v := 0; v < fjEnhSide; v++ {
		row := (*[fjEnhSide]int32)(blk[v*fjEnhSide:])
		// The pass band of row v is u in [lo, hi) (fjEnhBand).
		lo, hi := int(fjEnhBand[v][0]), int(fjEnhBand[v][1])
		clear(row[:2*lo])
		clear(row[2*hi:])
		for p := 2 * lo; p < 2*hi; p += 2 {
			re, im := int64(row[p]), int64(row[p+1])
			a := fjRnd(fjOctAbs(re, im), 5)
			row[p] = int32(fjRnd(re+fjRnd(re*a, 7), 3))
			row[p+1] = int32(fjRnd(im+fjRnd(im*a, 7), 3))
		}
	}
}

// fjEnhBand holds, per row v of the half spectrum, the range [lo, hi) of
// the u = 0..15 that the spectral filter keeps: 6 < u² + v'² < 169 with
// v' = v (v < 16) or v − 32. For a given v' the kept u are consecutive
// (u² grows with u); a row with none has lo = hi.
var fjEnhBand = func() (b [fjEnhSide][2]uint8) {
	for v := range b {
		vv := v
		if vv >= fjEnhHalf {
			vv -= fjEnhSide
		}
		lo, hi := -1, -1
		for u := 0; u < fjEnhHalf; u++ {
			if r2 := u*u + vv*vv; r2 > fjEnhBandLo2 && r2 < fjEnhBandHi2 {
				if lo < 0 {
					lo = u
				}
				hi = u + 1
			}
		}
		if lo < 0 {
			lo, hi = 0, 0
		}
		b[v] = [2]uint8{uint8(lo), uint8(hi)}
	}
	return b
}()

// fjEnhInverse is the inverse 2-D transform of §3a, in place: 32-point
// inverse FFT (twiddle sign +) of each complex column; then per row the
// inverse split (W = (cos(k+16), sin(k+16)), rnd_12), bin 0 from the old bin
// 0 (tr, ti) as re0 = tr + ti, im0 = tr − ti, and the 16-point inverse FFT;
// finally every value is rnd_10 (÷1024 = 32·16·2).
func fjEnhInverse(blk *[fjEnhSide * fjEnhSide]int32) { fjEnhInverseIn(blk, fjEnhSide) }

// fjEnhInverseIn is fjEnhInverse with the column transforms limited to
// the first cols int32 of each row, the others being zero.
func fjEnhInverseIn(blk *[fjEnhSide * fjEnhSide]int32, cols int) { fjEnhInverseRange(blk, cols) }

// fjEnhInverseRange is fjEnhInverseIn that also returns the smallest and
// largest value of the result, found row by row as it is written.
func fjEnhInverseRange(blk *[fjEnhSide * fjEnhSide]int32, cols int) (mn, mx int32) {
	fjColumnFFTs(blk, 1, cols) // fjEnhColumnFFTsIn(blk, fjSched32Inv, cols)
	mn, mx = math.MaxInt32, math.MinInt32
	// Per row: the split, bin 0 and the 16-point inverse FFT
	// (fjEnhRowFFTs with fjSched16Inv), as straight-line code.
	for y := 0; y < fjEnhSide; y++ {
		row := (*[fjEnhSide]int32)(blk[y*fjEnhSide:])
		fjSplitInv(row) // fjEnhSplit(blk, y, 1, fjEnhHalf, 12)
		tr, ti := row[0], row[1]
		row[0], row[1] = tr+ti, tr-ti
		fjFFT16Inv(row)
		for i, v := range row {
			v = fjRnd32(v, 10)
			row[i] = v
			mn, mx = min(mn, v), max(mx, v)
		}
	}
	return mn, mx
}

// fjEnhLoad fills the block with the §3 block input for the block at
// (x0, y0): 255 − pixel inside the W×H plane, 0 outside.
func fjEnhLoad(blk *[fjEnhSide * fjEnhSide]int32, img []uint8, w, h, x0, y0 int) {
	for y := 0; y < fjEnhSide; y++ {
		row := blk[y*fjEnhSide : (y+1)*fjEnhSide]
		py := y0 + y
		if py < 0 || py >= h {
			clear(row)
			continue
		}
		src := img[py*w : py*w+w]
		if x0 >= 0 && x0+fjEnhSide <= w {
			for x, v := range src[x0 : x0+fjEnhSide] {
				row[x] = 255 - int32(v)
			}
			continue
		}
		for x := range row {
			px := x0 + x
			if px >= 0 && px < w {
				row[x] = 255 - int32(src[px])
			} else {
				row[x] = 0
			}
		}
	}
}

// fjEnhAccumulate is §3b for one inverse-transformed block at (x0, y0):
// mn, mx over the 1024 values, range = mx − mn (if below 16: mn −= (16 −
// range)/2, range = 16); each value becomes
// div_r((v − mn)·251·e(x)·e(y), range·256) and is added as uint8, wrapping,
// to the accumulator pixel if it lies in the plane.
func fjEnhAccumulate(blk *[fjEnhSide * fjEnhSide]int32, acc []uint8, w, h, x0, y0 int) {
	mn, mx := blk[0], blk[0]
	for _, v := range blk {
		mn = min(mn, v)
		mx = max(mx, v)
	}
	fjEnhAccumulateRange(blk, mn, mx, acc, w, h, x0, y0)
}

// fjEnhAccumulateRange is fjEnhAccumulate given the block's smallest and
// largest values mn, mx.
func fjEnhAccumulateRange(blk *[fjEnhSide * fjEnhSide]int32, mn, mx int32, acc []uint8, w, h, x0, y0 int) {
	rng := mx - mn
	if rng < fjEnhFloor {
		mn -= (fjEnhFloor - rng) / 2
		rng = fjEnhFloor
	}
	den := int64(rng) * 256
	// v − mn ≥ 0 and den > 0, so div_r is (a + den/2) / den, found from
	// the reciprocal and corrected to the exact integer quotient.
	inv := 1 / float64(den)
	// The block's columns inside the plane: xa ≤ x < xb.
	xa, xb := max(-x0, 0), min(w-x0, fjEnhSide)
	if xa >= xb {
		return
	}
	for y := max(-y0, 0); y < min(h-y0, fjEnhSide); y++ {
		ey := fjEnhStretch * fjEnhWindow[y]
		row := blk[y*fjEnhSide+xa : y*fjEnhSide+xb]
		dst := acc[(y0+y)*w+x0+xa : (y0+y)*w+x0+xb]
		win := fjEnhWindow[xa:xb]
		dst = dst[:len(row)]
		win = win[:len(row)]
		for x, v := range row {
			dst[x] += uint8(fjDivRPos(int64(v-mn)*ey*win[x], den, inv))
		}
	}
}

// fjEnhance is the FFT enhancement of §3: 32×32 blocks at x0 = −15 + 17i,
// y0 = −15 + 17j (while x0 < W, y0 < H) of the W×H 333 ppi working plane
// (row-major, stride w, dark ridges) are loaded as 255 − pixel (0 outside),
// forward transformed, filtered and inverse transformed (§3a), normalised and
// overlap-added as uint8 into a plane initialised to 0 (§3b); the result is
// 255 − that plane (uint8 arithmetic). img must hold at least w·h pixels.
func fjEnhance(img []uint8, w, h int) []uint8 {
	if w <= 0 || h <= 0 {
		return nil
	}
	if len(img) < w*h {
		panic("minutiae: fjEnhance: image shorter than w*h")
	}
	acc := make([]uint8, w*h)
	var blk [fjEnhSide * fjEnhSide]int32
	for y0 := fjEnhOrigin; y0 < h; y0 += fjEnhSpacing {
		for x0 := fjEnhOrigin; x0 < w; x0 += fjEnhSpacing {
			fjEnhLoad(&blk, img, w, h, x0, y0)
			fjEnhForwardIn(&blk, fjEnhBandCols)
			fjEnhFilter(&blk)
			mn, mx := fjEnhInverseRange(&blk, fjEnhBandCols)
			fjEnhAccumulateRange(&blk, mn, mx, acc, w, h, x0, y0)
		}
	}
	for i := range acc {
		acc[i] = 255 - acc[i]
	}
	return acc
}
