package minutiae

// fjColumnFFTs is fjEnhColumnFFTsIn(blk, sched, cols) for the 32-point
// schedule of direction sign (−1: fjSched32Fwd, +1: fjSched32Inv), with
// its first four stages taken two at a time: stages h and 2h touch the
// rows j, j+h, j+2h, j+3h (j mod 4h < h) only among themselves, so their
// four butterflies run on values held in variables, each exactly as the
// schedule computes it (the general int32 product; the twiddles of 4096
// on one axis give the same bits as the shortcuts, TestTwiddleKinds). The
// last stage runs as in fjEnhColumnFFTsIn.
func fjColumnFFTs(blk *[fjEnhSide * fjEnhSide]int32, sign, cols int) {
	for i, r := range fjBitRev32 {
		if j := int(r); j > i {
			ri := blk[i*fjEnhSide : i*fjEnhSide+cols]
			rj := blk[j*fjEnhSide : j*fjEnhSide+cols]
			for k := range ri {
				ri[k], rj[k] = rj[k], ri[k]
			}
		}
	}
	rowAt := func(j int) []int32 { return blk[j*fjEnhSide : j*fjEnhSide+cols] }
	// Stages 1 and 2: twiddles 1 (stage 1, and stage 2 for the first
	// pair) and ∓i (stage 2, second pair).
	for g := 0; g < fjEnhSide; g += 4 {
		r0, r1, r2, r3 := rowAt(g), rowAt(g+1), rowAt(g+2), rowAt(g+3)
		r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
		for u := 0; u+1 < len(r0); u += 2 {
			a0r, a0i, a1r, a1i := r0[u], r0[u+1], r1[u], r1[u+1]
			a2r, a2i, a3r, a3i := r2[u], r2[u+1], r3[u], r3[u+1]
			// stage 1: (0, 1) and (2, 3), twiddle 1
			tr, ti := (a1r<<12+1<<11)>>12, (a1i<<12+1<<11)>>12
			a0r, a0i, a1r, a1i = a0r+tr, a0i+ti, a0r-tr, a0i-ti
			tr, ti = (a3r<<12+1<<11)>>12, (a3i<<12+1<<11)>>12
			a2r, a2i, a3r, a3i = a2r+tr, a2i+ti, a2r-tr, a2i-ti
			// stage 2: (0, 2) twiddle 1; (1, 3) twiddle −i (forward)
			// or +i (inverse)
			tr, ti = (a2r<<12+1<<11)>>12, (a2i<<12+1<<11)>>12
			a0r, a0i, a2r, a2i = a0r+tr, a0i+ti, a0r-tr, a0i-ti
			if sign < 0 {
				tr, ti = (a3i<<12+1<<11)>>12, (-(a3r<<12)+1<<11)>>12
			} else {
				tr, ti = (-(a3i<<12)+1<<11)>>12, (a3r<<12+1<<11)>>12
			}
			a1r, a1i, a3r, a3i = a1r+tr, a1i+ti, a1r-tr, a1i-ti
			r0[u], r0[u+1], r1[u], r1[u+1] = a0r, a0i, a1r, a1i
			r2[u], r2[u+1], r3[u], r3[u+1] = a2r, a2i, a3r, a3i
		}
	}
	// Stages 4 and 8: rows j, j+4, j+8, j+12 for j = j0 + m, m < 4.
	for j0 := 0; j0 < fjEnhSide; j0 += 16 {
		for m := 0; m < 4; m++ {
			w4r, w4i := fjTw(sign * 4 * m)
			w8r, w8i := fjTw(sign * 2 * m)
			v8r, v8i := fjTw(sign * 2 * (m + 4))
			j := j0 + m
			r0, r1, r2, r3 := rowAt(j), rowAt(j+4), rowAt(j+8), rowAt(j+12)
			r1, r2, r3 = r1[:len(r0)], r2[:len(r0)], r3[:len(r0)]
			for u := 0; u+1 < len(r0); u += 2 {
				a0r, a0i, a1r, a1i := r0[u], r0[u+1], r1[u], r1[u+1]
				a2r, a2i, a3r, a3i := r2[u], r2[u+1], r3[u], r3[u+1]
				// stage 4: (0, 1) and (2, 3), twiddle w4
				tr := (w4r*a1r - w4i*a1i + 1<<11) >> 12
				ti := (w4r*a1i + w4i*a1r + 1<<11) >> 12
				a0r, a0i, a1r, a1i = a0r+tr, a0i+ti, a0r-tr, a0i-ti
				tr = (w4r*a3r - w4i*a3i + 1<<11) >> 12
				ti = (w4r*a3i + w4i*a3r + 1<<11) >> 12
				a2r, a2i, a3r, a3i = a2r+tr, a2i+ti, a2r-tr, a2i-ti
				// stage 8: (0, 2) twiddle w8, (1, 3) twiddle v8
				tr = (w8r*a2r - w8i*a2i + 1<<11) >> 12
				ti = (w8r*a2i + w8i*a2r + 1<<11) >> 12
				a0r, a0i, a2r, a2i = a0r+tr, a0i+ti, a0r-tr, a0i-ti
				tr = (v8r*a3r - v8i*a3i + 1<<11) >> 12
				ti = (v8r*a3i + v8i*a3r + 1<<11) >> 12
				a1r, a1i, a3r, a3i = a1r+tr, a1i+ti, a1r-tr, a1i-ti
				r0[u], r0[u+1], r1[u], r1[u+1] = a0r, a0i, a1r, a1i
				r2[u], r2[u+1], r3[u], r3[u+1] = a2r, a2i, a3r, a3i
			}
		}
	}
	// Stage 16: the schedule's last 16 butterflies.
	sched := fjSched32Fwd
	if sign > 0 {
		sched = fjSched32Inv
	}
	fjEnhColumnStage(blk, sched[len(sched)-fjEnhHalf:], cols)
}
