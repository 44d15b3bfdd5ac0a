package jpeg2000

// Inverse discrete wavelet transforms (T.800 Annex F) with periodic
// symmetric extension.

const dwtPad = 4 // samples of extension on each side; enough for 9/7

// 9/7 lifting constants (T.800 Table F.4).
const (
	alpha97 = -1.586134342059924
	beta97  = -0.052980118572961
	gamma97 = 0.882911075530934
	delta97 = 0.443506852043971
	k97     = 1.230174104914001
)

// mirror maps index j of a signal of length n to its periodic symmetric
// extension.
func mirror(j, n int) int {
	if n == 1 {
		return 0
	}
	per := 2 * (n - 1)
	j %= per
	if j < 0 {
		j += per
	}
	if j >= n {
		j = per - j
	}
	return j
}

type sample interface{ ~int32 | ~float32 }

// interleave fills ext[dwtPad:dwtPad+n] from the n samples at buf[off],
// buf[off+step], ... holding sn low-pass then n-sn high-pass coefficients,
// for a signal starting at coordinate i0, and extends both ends.
func interleave[T sample](ext, buf []T, off, step, n, i0 int) {
	sn := (n + 1 - i0&1) / 2
	lo, hi := off, off+sn*step
	for j := 0; j < n; j++ {
		if (i0+j)&1 == 0 {
			ext[dwtPad+j] = buf[lo]
			lo += step
		} else {
			ext[dwtPad+j] = buf[hi]
			hi += step
		}
	}
	for k := 1; k <= dwtPad; k++ {
		ext[dwtPad-k] = ext[dwtPad+mirror(-k, n)]
		ext[dwtPad+n-1+k] = ext[dwtPad+mirror(n-1+k, n)]
	}
}

func lift53(ext []int32, n, i0 int) {
	e := len(ext[:n+2*dwtPad])
	even := i0 & 1 // index parity in ext holding even coordinates
	start := even
	if start < 1 {
		start += 2
	}
	for k := start; k < e-1; k += 2 {
		ext[k] -= (ext[k-1] + ext[k+1] + 2) >> 2
	}
	start = 1 - even
	if start < 2 {
		start += 2
	}
	for k := start; k < e-2; k += 2 {
		ext[k] += (ext[k-1] + ext[k+1]) >> 1
	}
}

func lift97(ext []float32, n, i0 int) {
	e := n + 2*dwtPad
	ext = ext[:e]
	even := i0 & 1
	odd := 1 - even
	for k := even; k < e; k += 2 {
		ext[k] *= k97
	}
	for k := odd; k < e; k += 2 {
		ext[k] *= 1 / k97
	}
	step := func(par, lo int, c float32) {
		k := par
		for k < lo {
			k += 2
		}
		for ; k < e-lo; k += 2 {
			ext[k] -= float32(c * (ext[k-1] + ext[k+1]))
		}
	}
	step(even, 1, delta97)
	step(odd, 2, gamma97)
	step(even, 3, beta97)
	step(odd, 4, alpha97)
}

// idwt2D reconstructs the tile-component in buf (row stride w) level by
// level, from the resolutions of tc: the horizontal 1D_SR on every row, then
// the vertical 1D_SR on every column, the latter run on whole rows at once
// for cache efficiency.
func idwt2D[T sample](buf []T, w int, tc *tileComp, lift func([]T, int, int), liftRows func([]T, int, int, int)) {
	maxLen := max(tc.x1-tc.x0, tc.y1-tc.y0)
	ext := make([]T, maxLen+2*dwtPad)
	var ext2 []T
	for r := 1; r < len(tc.res); r++ {
		res := &tc.res[r]
		rw, rh := res.x1-res.x0, res.y1-res.y0
		if rw == 0 || rh == 0 {
			continue
		}
		for y := 0; y < rh; y++ {
			sr1D(ext, buf, y*w, 1, rw, res.x0, lift)
		}
		y0 := res.y0
		if rh == 1 {
			if y0&1 == 1 {
				for x := 0; x < rw; x++ {
					buf[x] /= 2
				}
			}
			continue
		}
		// Vertical pass on strips of columns: gather the rows of a strip
		// interleaved, extend, lift, and scatter back.
		const strip = 64
		if ext2 == nil {
			ext2 = make([]T, (max(tc.y1-tc.y0, 1)+2*dwtPad)*strip)
		}
		sn := (rh + 1 - y0&1) / 2
		for xs := 0; xs < rw; xs += strip {
			sw := min(strip, rw-xs)
			e := ext2[:(rh+2*dwtPad)*sw]
			lo, hi := 0, sn
			for j := 0; j < rh; j++ {
				src := &lo
				if (y0+j)&1 != 0 {
					src = &hi
				}
				copy(e[(dwtPad+j)*sw:(dwtPad+j+1)*sw], buf[*src*w+xs:*src*w+xs+sw])
				*src++
			}
			for k := 1; k <= dwtPad; k++ {
				copy(e[(dwtPad-k)*sw:(dwtPad-k+1)*sw], e[(dwtPad+mirror(-k, rh))*sw:][:sw])
				copy(e[(dwtPad+rh-1+k)*sw:(dwtPad+rh+k)*sw], e[(dwtPad+mirror(rh-1+k, rh))*sw:][:sw])
			}
			liftRows(e, rh, sw, y0)
			for j := 0; j < rh; j++ {
				copy(buf[j*w+xs:j*w+xs+sw], e[(dwtPad+j)*sw:(dwtPad+j+1)*sw])
			}
		}
	}
}

// liftRows53 runs the 5/3 lifting steps on rows of width rw of ext, whose
// rows dwtPad.. hold a signal of n rows starting at coordinate i0.
func liftRows53(ext []int32, n, rw, i0 int) {
	e := n + 2*dwtPad
	even := i0 & 1
	start := even
	if start < 1 {
		start += 2
	}
	for k := start; k < e-1; k += 2 {
		a, p, q := ext[k*rw:(k+1)*rw], ext[(k-1)*rw:k*rw], ext[(k+1)*rw:(k+2)*rw]
		for x := range a {
			a[x] -= (p[x] + q[x] + 2) >> 2
		}
	}
	start = 1 - even
	if start < 2 {
		start += 2
	}
	for k := start; k < e-2; k += 2 {
		a, p, q := ext[k*rw:(k+1)*rw], ext[(k-1)*rw:k*rw], ext[(k+1)*rw:(k+2)*rw]
		for x := range a {
			a[x] += (p[x] + q[x]) >> 1
		}
	}
}

// liftRows97 is liftRows53 for the 9/7 filter.
func liftRows97(ext []float32, n, rw, i0 int) {
	e := n + 2*dwtPad
	even := i0 & 1
	odd := 1 - even
	for k := 0; k < e; k++ {
		f := float32(k97)
		if k&1 == odd {
			f = 1 / k97
		}
		row := ext[k*rw : (k+1)*rw]
		for x := range row {
			row[x] *= f
		}
	}
	step := func(par, lo int, c float32) {
		k := par
		for k < lo {
			k += 2
		}
		for ; k < e-lo; k += 2 {
			a, p, q := ext[k*rw:(k+1)*rw], ext[(k-1)*rw:k*rw], ext[(k+1)*rw:(k+2)*rw]
			for x := range a {
				a[x] -= float32(c * (p[x] + q[x]))
			}
		}
	}
	step(even, 1, delta97)
	step(odd, 2, gamma97)
	step(even, 3, beta97)
	step(odd, 4, alpha97)
}

func sr1D[T sample](ext, buf []T, off, step, n, i0 int, lift func([]T, int, int)) {
	if n == 1 {
		if i0&1 == 1 {
			buf[off] /= 2
		}
		return
	}
	interleave(ext, buf, off, step, n, i0)
	lift(ext, n, i0)
	for j := 0; j < n; j++ {
		buf[off+j*step] = ext[dwtPad+j]
	}
}
