package nfiq2

import (
	"encoding/binary"
	"math"

	"github.com/biogate/biogate/internal/fpmath"
)

// roiResult is what NFIQ 2's ImgProcROI module passes on.
type roiResult struct {
	mean      float64 // ImgProcROIArea_Mean
	pixels    int     // number of ROI pixels (SufficientFingerprintForeground)
	blocks    []roiBlock
	nonROIMap []bool // per 32x32 tile (row-major), true when not an ROI block
	tilesW    int
}

type roiBlock struct{ x, y, w, h int }

// reflect101 is OpenCV's borderInterpolate for BORDER_REFLECT_101.
func reflect101(p, n int) int {
	if n == 1 {
		return 0
	}
	for p < 0 || p >= n {
		if p < 0 {
			p = -p
		} else {
			p = 2*n - 2 - p
		}
	}
	return p
}

// gaussKernel8 returns OpenCV's 8-bit fixed-point Gaussian kernel for an odd
// size n and sigma 0: the bit-exact double kernel (sigma = 0.15n + 0.35)
// rounded to 8 fractional bits with error diffusion, centre taking the rest.
func gaussKernel8(n int) []int {
	sigma := math.FMA(float64(n), 0.15, 0.35)
	scale2X := -0.125 / (sigma * sigma)
	n2 := (n - 1) / 2
	values := make([]float64, n2)
	sum := 0.0
	for i, x := 0, 1-n; i < n2; i, x = i+1, x+2 {
		t := fpmath.Exp(float64(x*x) * scale2X)
		values[i] = t
		sum += t
	}
	sum *= 2
	sum += 1
	mul1 := 1 / sum
	k := make([]int, n)
	errAcc := 0.0
	total := 0
	for i := 0; i < n2; i++ {
		adj := float64(values[i]*mul1*256) + errAcc
		v := cvRound(adj)
		errAcc = adj - float64(v)
		k[i], k[n-1-i] = v, v
		total += v
	}
	k[n2] = 256 - 2*total
	return k
}

// boxTerm is one term of a symmetric kernel written as a sum of centred
// boxes: weight times the sum over the 2·half+1 samples around the centre.
type boxTerm struct {
	half   int
	weight uint64 // two's complement when negative
}

// gaussBoxes returns OpenCV's 8-bit Gaussian kernel of odd size n as
// centred boxes, k[c±d] = Σ weight over the terms with half ≥ d, and the
// kernel's radius without its zero tails. The kernel is a staircase (8
// levels for n = 91), so a window sum costs one prefix-sum difference per
// step instead of one product per tap (for n = 41, 12 steps against 18
// tap pairs).
func gaussBoxes(n int) ([]boxTerm, int) {
	k := gaussKernel8(n)
	c := n / 2
	r := c
	for r > 0 && k[c+r] == 0 {
		r--
	}
	var terms []boxTerm
	for d := r; d >= 0; d-- {
		next := 0
		if d < r {
			next = k[c+d+1]
		}
		if dw := k[c+d] - next; dw != 0 {
			terms = append(terms, boxTerm{half: d, weight: uint64(int64(dw))})
		}
	}
	return terms, r
}

// Packed lanes: several pixels share a uint64, lane i holding pixel
// base+i at bit lw·i. A weighted sum of packed words is the packed weighted
// sum modulo 2^64 whatever the intermediate values (prefix sums overflow
// their lanes, box weights are negative), so a result whose every lane
// value lies in [0, 2^lw) is read back exactly.

// verticalBoxes runs the vertical pass over rows of packed horizontal sums
// (h rows of pw words, BORDER_REFLECT_101) and calls emit with each output
// row's packed sums (emit must not change them). Row 0 is the kernel
// applied to its window; each next row adds, per box term, weight times
// (the row entering the box − the row leaving it), which is the same
// packed sum modulo 2^64.
func verticalBoxes(tmp []uint64, pw, h, r int, terms []boxTerm, emit func(y int, acc []uint64)) {
	// row(i) is padded row i, i.e. row reflect101(i−r) (0 ≤ i ≤ h+2r).
	off := make([]int, h+2*r+1)
	for i := range off {
		off[i] = reflect101(i-r, h) * pw
	}
	row := func(i int) []uint64 { return tmp[off[i]:][:pw] }
	acc := make([]uint64, pw)
	// Row 0: tap d (|d| ≤ r) of the kernel is the sum of the weights of
	// the terms with half ≥ |d|.
	for d := -r; d <= r; d++ {
		var k uint64
		for _, t := range terms {
			if t.half >= max(d, -d) {
				k += t.weight
			}
		}
		src := row(r + d)
		for p := range acc {
			acc[p] += k * src[p]
		}
	}
	emit(0, acc)
	for y := 1; y < h; y++ {
		c := y + r - 1 // padded index of row y−1
		// Four or two terms at a time (wrapping uint64 sums group
		// freely).
		i := 0
		for ; i+3 < len(terms); i += 4 {
			t, u, v, z := terms[i], terms[i+1], terms[i+2], terms[i+3]
			in, out := row(c+t.half+1), row(c-t.half)
			in2, out2 := row(c+u.half+1), row(c-u.half)
			in3, out3 := row(c+v.half+1), row(c-v.half)
			in4, out4 := row(c+z.half+1), row(c-z.half)
			addBoxes4(acc, in, out, in2, out2, in3, out3, in4, out4, t.weight, u.weight, v.weight, z.weight)
		}
		for ; i+1 < len(terms); i += 2 {
			t, u := terms[i], terms[i+1]
			in, out := row(c+t.half+1), row(c-t.half)
			in2, out2 := row(c+u.half+1), row(c-u.half)
			addBoxes2(acc, in, out, in2, out2, t.weight, u.weight)
		}
		for ; i < len(terms); i++ {
			t := terms[i]
			in, out := row(c+t.half+1), row(c-t.half)
			addBoxes1(acc, in, out, t.weight)
		}
		emit(y, acc)
	}
}

// addBoxes4 adds wt·(in−out) + wu·(in2−out2) + wv·(in3−out3) +
// wz·(in4−out4) to acc, word by word (wrapping uint64 arithmetic; every
// row at least as long as acc). verticalBoxes' row loops are functions of
// their own, kept out of line: in WebAssembly, Go maps a function's values
// onto a few locals and spills the rest to its stack in memory, and
// verticalBoxes holds too many for its inner loops to keep theirs.
//
//go:noinline
func addBoxes4(acc, in, out, in2, out2, in3, out3, in4, out4 []uint64, wt, wu, wv, wz uint64) {
	in, out, in2, out2 = in[:len(acc)], out[:len(acc)], in2[:len(acc)], out2[:len(acc)]
	in3, out3, in4, out4 = in3[:len(acc)], out3[:len(acc)], in4[:len(acc)], out4[:len(acc)]
	for p := range acc {
		acc[p] += wt*(in[p]-out[p]) + wu*(in2[p]-out2[p]) + wv*(in3[p]-out3[p]) + wz*(in4[p]-out4[p])
	}
}

// addBoxes2 is addBoxes4 with two terms.
//
//go:noinline
func addBoxes2(acc, in, out, in2, out2 []uint64, wt, wu uint64) {
	in, out, in2, out2 = in[:len(acc)], out[:len(acc)], in2[:len(acc)], out2[:len(acc)]
	for p := range acc {
		acc[p] += wt*(in[p]-out[p]) + wu*(in2[p]-out2[p])
	}
}

// addBoxes1 is addBoxes4 with one term.
//
//go:noinline
func addBoxes1(acc, in, out []uint64, wt uint64) {
	in, out = in[:len(acc)], out[:len(acc)]
	for p := range acc {
		acc[p] += wt * (in[p] - out[p])
	}
}

// gaussianBlur8 mirrors cv::GaussianBlur(src, dst, Size(n,n), 0) on 8-bit
// data (fixed-point path, BORDER_REFLECT_101): a horizontal pass with 8
// fractional bits, a vertical pass with 16, rounding half up. All sums are
// exact integers; the kernel is applied as centred boxes (gaussBoxes) and
// its zero tails are skipped, which does not change the result.
func gaussianBlur8(g gray, n int) gray { return gaussianBlur8Hist(g, n, nil) }

// gaussianBlur8Hist is gaussianBlur8 that also counts the output's grey
// levels into hist when hist is not nil.
func gaussianBlur8Hist(g gray, n int, hist *[256]int) gray {
	terms, r := gaussBoxes(n) // r: the kernel's radius without its zero taps
	w, h := g.w, g.h
	// Horizontal pass: four adjacent pixels at once in the four 16-bit
	// lanes of a uint64, the kernel as centred boxes over the row's prefix
	// sums packed by addition (see Packed lanes): every result lane lies
	// in [0, 255·256], and the lanes past the row's end are the highest
	// of the last word, so they cannot disturb the others.
	qw := (w + 3) / 4
	// quad[o][p] is P[o+4p], where P[i] is the sum of the words packing
	// pad[j … j+3] for j < i: the prefix sums pre[i … i+3] of the row
	// packed by addition, less a constant that cancels in every box
	// (P[hi] − P[lo] is the packed pre[hi+k] − pre[lo+k]).
	var quad [4][]uint64
	for o := range quad {
		quad[o] = make([]uint64, qw+(2*r+3)/4+1)
	}
	pad := make([]uint64, 4*len(quad[0])+4)
	lanes := func(o int) []uint64 { return quad[o%4][o/4 : o/4+qw] }
	// tmp holds the horizontal sums as two 32-bit lanes per uint64 (the
	// vertical pass needs up to 24 bits).
	pw := (w + 1) / 2
	tmp := uint64Pool.get(pw * h)
	defer uint64Pool.put(tmp)
	out4 := make([]uint64, qw)
	for y := 0; y < h; y++ {
		row := g.p[y*w : (y+1)*w]
		clear(pad)
		for i := 0; i < r; i++ {
			pad[i] = uint64(row[reflect101(i-r, w)])
			pad[r+w+i] = uint64(row[reflect101(w+i, w)])
		}
		for i, v := range row {
			pad[r+i] = uint64(v)
		}
		// The packed words slide along the row (8-bit values in 16-bit
		// lanes: the shift is exact).
		var sum uint64
		word := pad[0] | pad[1]<<16 | pad[2]<<32 | pad[3]<<48
		q0, q1, q2, q3 := quad[0], quad[1][:len(quad[0])], quad[2][:len(quad[0])], quad[3][:len(quad[0])]
		for p := range q0 {
			nx := pad[4*p+4 : 4*p+8 : 4*p+8]
			q0[p] = sum
			sum += word
			word = word>>16 | nx[0]<<48
			q1[p] = sum
			sum += word
			word = word>>16 | nx[1]<<48
			q2[p] = sum
			sum += word
			word = word>>16 | nx[2]<<48
			q3[p] = sum
			sum += word
			word = word>>16 | nx[3]<<48
		}
		clear(out4)
		i := 0
		for ; i+1 < len(terms); i += 2 { // two terms at a time
			t, u := terms[i], terms[i+1]
			hi, lo := lanes(r + t.half + 1)[:len(out4)], lanes(r - t.half)[:len(out4)]
			hi2, lo2 := lanes(r + u.half + 1)[:len(out4)], lanes(r - u.half)[:len(out4)]
			addBoxes2(out4, hi, lo, hi2, lo2, t.weight, u.weight)
		}
		for ; i < len(terms); i++ {
			t := terms[i]
			hi, lo := lanes(r + t.half + 1)[:len(out4)], lanes(r - t.half)[:len(out4)]
			addBoxes1(out4, hi, lo, t.weight)
		}
		dst := tmp[y*pw : (y+1)*pw]
		for q, v := range out4 { // pixels 4q … 4q+3
			dst[2*q] = v&0xffff | (v>>16&0xffff)<<32
			if 2*q+1 < len(dst) {
				dst[2*q+1] = v>>32&0xffff | (v>>48)<<32
			}
		}
	}
	// Vertical pass: two adjacent pixels in the two 32-bit lanes (the
	// results stay below 2^32: at most 255·256·256), the kernel as
	// centred boxes over prefix sums of the rows (verticalBoxes).
	dst := gray{w: w, h: h, p: bytePool.get(w * h)}
	verticalBoxes(tmp, pw, h, r, terms, func(y int, acc []uint64) {
		out := dst.p[y*w : (y+1)*w]
		x := 0
		for _, a := range acc[:w/2] { // pixels x, x+1 in the lanes of a
			o := out[x : x+2 : x+2]
			o[0] = uint8(min((uint32(a)+1<<15)>>16, 255))
			o[1] = uint8(min((uint32(a>>32)+1<<15)>>16, 255))
			x += 2
		}
		if x < w {
			out[x] = uint8(min((uint32(acc[x/2])+1<<15)>>16, 255))
		}
		if hist != nil {
			for _, v := range out {
				hist[v]++
			}
		}
	})
	return dst
}

// gaussianBlurBinary is gaussianBlur8 for an image whose pixels are all 0
// or 255, with the same result. Such a pixel is 255·b with b ∈ {0, 1}, so
// the horizontal sums are 255·S with S ≤ 256, found per row from its runs
// of set pixels and the kernel's cumulative sums; the vertical pass sums
// k·S, at most 256·256, three pixels per uint64 (21-bit lanes), and the
// result is (255·T + 2^15) >> 16, exactly what the general path gives.
func gaussianBlurBinary(g gray, n int) gray { return gaussianBlurAbove(g, n, 0, nil) }

// gaussianBlurAbove is gaussianBlurBinary of the image that is 255 where g
// is above thr and 0 elsewhere (g binarized at thr), without making it;
// it counts the output's grey levels into hist when hist is not nil.
func gaussianBlurAbove(g gray, n, thr int, hist *[256]int) gray {
	terms, r := gaussBoxes(n)
	k := gaussKernel8(n)
	span := 2*r + 1
	cum := make([]uint32, span+1) // cum[i]: the first i taps
	for i, v := range k[n/2-r : n/2+r+1] {
		cum[i+1] = cum[i] + uint32(v)
	}
	w, h := g.w, g.h
	const lw = 21
	pw := (w + 2) / 3
	tmp := uint64Pool.get(pw * h) // S of pixels 3p, 3p+1, 3p+2
	defer uint64Pool.put(tmp)
	pad := make([]bool, w+2*r)
	s := make([]uint32, 3*pw)
	for y := 0; y < h; y++ {
		row := g.p[y*w : (y+1)*w]
		for i := range r {
			pad[i] = int(row[reflect101(i-r, w)]) > thr
			pad[r+w+i] = int(row[reflect101(w+i, w)]) > thr
		}
		for i, v := range row {
			pad[r+i] = int(v) > thr
		}
		clear(s)
		// The window of output x is pad[x : x+span]; a run pad[a:e] meets
		// it for x in [a-2r, e).
		for i := 0; i < len(pad); {
			if !pad[i] {
				i++
				continue
			}
			a := i
			for i < len(pad) && pad[i] {
				i++
			}
			e := i
			for x := max(a-2*r, 0); x < min(e, w); x++ {
				s[x] += cum[min(e-x, span)] - cum[max(a-x, 0)]
			}
		}
		dst := tmp[y*pw : (y+1)*pw]
		for p := range dst {
			dst[p] = uint64(s[3*p]) | uint64(s[3*p+1])<<lw | uint64(s[3*p+2])<<(2*lw)
		}
	}
	out := gray{w: w, h: h, p: bytePool.get(w * h)}
	verticalBoxes(tmp, pw, h, r, terms, func(y int, acc []uint64) {
		o := out.p[y*w : (y+1)*w]
		x := 0
		for _, a := range acc[:w/3] { // pixels x, x+1, x+2 in the lanes of a
			d := o[x : x+3 : x+3]
			d[0] = uint8(min((255*(a&(1<<lw-1))+1<<15)>>16, 255))
			d[1] = uint8(min((255*(a>>lw&(1<<lw-1))+1<<15)>>16, 255))
			d[2] = uint8(min((255*(a>>(2*lw)&(1<<lw-1))+1<<15)>>16, 255))
			x += 3
		}
		for ; x < w; x++ {
			t := acc[x/3] >> (lw * (x % 3)) & (1<<lw - 1)
			o[x] = uint8(min((255*t+1<<15)>>16, 255))
		}
		if hist != nil {
			for _, v := range o {
				hist[v]++
			}
		}
	})
	return out
}

// erode5 is cv::erode with a 5×5 rectangle (pixels outside are ignored):
// the minimum over five columns, then over five rows. Away from the
// edges eight pixels are taken at once (minBytes8).
func erode5(g gray) gray {
	w, h := g.w, g.h
	tmp := bytePool.get(w * h)
	defer bytePool.put(tmp)
	for y := 0; y < h; y++ {
		row, o := g.p[y*w:(y+1)*w], tmp[y*w:(y+1)*w]
		x := 0
		for ; x < w; x++ {
			if x >= 2 && x+10 <= w {
				break
			}
			m := uint8(255)
			for xx := max(x-2, 0); xx <= min(x+2, w-1); xx++ {
				m = min(m, row[xx])
			}
			o[x] = m
		}
		// row[x-2 … x+9] lies inside while x+10 ≤ w.
		for ; x+10 <= w; x += 8 {
			a, b := binary.LittleEndian.Uint64(row[x-2:]), binary.LittleEndian.Uint64(row[x-1:])
			c, d := binary.LittleEndian.Uint64(row[x:]), binary.LittleEndian.Uint64(row[x+1:])
			e := binary.LittleEndian.Uint64(row[x+2:])
			binary.LittleEndian.PutUint64(o[x:], minBytes8(minBytes8(a, b), minBytes8(minBytes8(c, d), e)))
		}
		for ; x < w; x++ {
			m := uint8(255)
			for xx := max(x-2, 0); xx <= min(x+2, w-1); xx++ {
				m = min(m, row[xx])
			}
			o[x] = m
		}
	}
	out := gray{w: w, h: h, p: bytePool.get(w * h)}
	for y := 0; y < h; y++ {
		o := out.p[y*w : (y+1)*w]
		y0, y1 := max(y-2, 0), min(y+2, h-1)
		copy(o, tmp[y0*w:(y0+1)*w])
		for yy := y0 + 1; yy <= y1; yy++ {
			src := tmp[yy*w : (yy+1)*w]
			x := 0
			for ; x+8 <= w; x += 8 {
				binary.LittleEndian.PutUint64(o[x:], minBytes8(binary.LittleEndian.Uint64(o[x:]), binary.LittleEndian.Uint64(src[x:])))
			}
			for ; x < w; x++ {
				o[x] = min(o[x], src[x])
			}
		}
	}
	return out
}

// minBytes8 returns the bytewise minimum of x and y, each holding eight
// unsigned bytes.
func minBytes8(x, y uint64) uint64 {
	const hi = 0x8080808080808080
	// High bit of each byte of t: x's low 7 bits ≥ y's (no borrow leaves
	// a byte, since x|0x80 ≥ 0x80 > y&0x7f).
	t := (x | hi) - (y &^ hi)
	ge := ((x &^ y) | (^(x ^ y) & t)) & hi // x ≥ y, bytewise
	m := (ge >> 7) * 0xff
	return y&m | x&^m
}

// otsu mirrors OpenCV's getThreshVal_Otsu_8u.
func otsu(g gray) int {
	var hist [256]int
	for _, v := range g.p {
		hist[v]++
	}
	return otsuHist(&hist, len(g.p))
}

// otsuHist is otsu from the image's histogram of grey levels and its
// number of pixels.
func otsuHist(hist *[256]int, pixels int) int {
	scale := 1.0 / float64(pixels)
	mu := 0.0
	for i := 0; i < 256; i++ {
		mu += float64(float64(i) * float64(hist[i]))
	}
	mu = float64(mu * scale)
	mu1, q1 := 0.0, 0.0
	maxSigma, maxVal := 0.0, 0
	fltEps := float64(math.Nextafter32(1, 2) - 1)
	for i := 0; i < 256; i++ {
		pi := float64(float64(hist[i]) * scale)
		mu1 = float64(mu1 * q1)
		q1 += pi
		q2 := 1.0 - q1
		if math.Min(q1, q2) < fltEps || math.Max(q1, q2) > 1.0-fltEps {
			continue
		}
		mu1 = (mu1 + float64(float64(i)*pi)) / q1
		mu2 := (mu - float64(q1*mu1)) / q2
		sigma := q1 * q2 * (mu1 - mu2) * (mu1 - mu2)
		if sigma > maxSigma {
			maxSigma, maxVal = sigma, i
		}
	}
	return maxVal
}

func binarize(g gray, t int) {
	for i, v := range g.p {
		if int(v) > t {
			g.p[i] = 255
		} else {
			g.p[i] = 0
		}
	}
}

// compInfo describes one 4-connected component found by labelComponents.
type compInfo struct {
	border                 bool // touches the image border
	minX, minY, maxX, maxY int  // bounding box
}

// labelComponents labels the 4-connected components of pixels equal to val
// in raster order of their first pixel (labels[i] = component index + 1, 0
// for other pixels). stack is scratch space. It fills a run of a row at a
// time: a seed grows left and right to its run, which seeds one pixel per
// unlabelled stretch of the rows above and below.
func labelComponents(g gray, val uint8, labels []int32, stack []int32) ([]compInfo, []int32) {
	w, h := g.w, g.h
	clear(labels)
	var comps []compInfo
	free := func(i int) bool { return labels[i] == 0 && g.p[i] == val }
	for start := range g.p {
		if !free(start) {
			continue
		}
		id := int32(len(comps) + 1)
		ci := compInfo{minX: w, minY: h, maxX: -1, maxY: -1}
		stack = append(stack[:0], int32(start))
		labels[start] = id
		for len(stack) > 0 {
			p := int(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
			y := p / w
			row := y * w
			xl, xr := p-row, p-row
			for xl > 0 && free(row+xl-1) {
				xl--
			}
			for xr < w-1 && free(row+xr+1) {
				xr++
			}
			for x := xl; x <= xr; x++ {
				labels[row+x] = id
			}
			ci.minX, ci.maxX = min(ci.minX, xl), max(ci.maxX, xr)
			ci.minY, ci.maxY = min(ci.minY, y), max(ci.maxY, y)
			if xl == 0 || xr == w-1 || y == 0 || y == h-1 {
				ci.border = true
			}
			for _, ny := range [2]int{y - 1, y + 1} {
				if ny < 0 || ny >= h {
					continue
				}
				nrow := ny * w
				for x := xl; x <= xr; x++ {
					if !free(nrow + x) {
						continue
					}
					labels[nrow+x] = id
					stack = append(stack, int32(nrow+x))
					for x < xr && free(nrow+x+1) {
						x++ // the seed's run labels the rest of this stretch
					}
				}
			}
		}
		comps = append(comps, ci)
	}
	return comps, stack
}

// fillHoles sets to 0 the pixels of the 4-connected components of 255s
// (in an image of 0s and 255s) that do not reach the image border, as
// labelling every component and filling those without a border pixel
// does: the components that reach it are flood-filled from the border
// with a marker (128), and what is left at 255 is a hole. stack is
// scratch space.
func fillHoles(g gray, stack []int32) []int32 {
	const mark = 128
	w, h := g.w, g.h
	fill := func(start int) {
		stack = append(stack[:0], int32(start))
		g.p[start] = mark
		for len(stack) > 0 {
			p := int(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
			y := p / w
			row := y * w
			xl, xr := p-row, p-row
			for xl > 0 && g.p[row+xl-1] == 255 {
				xl--
			}
			for xr < w-1 && g.p[row+xr+1] == 255 {
				xr++
			}
			for x := xl; x <= xr; x++ {
				g.p[row+x] = mark
			}
			for _, ny := range [2]int{y - 1, y + 1} {
				if ny < 0 || ny >= h {
					continue
				}
				nrow := ny * w
				for x := xl; x <= xr; x++ {
					if g.p[nrow+x] != 255 {
						continue
					}
					g.p[nrow+x] = mark
					stack = append(stack, int32(nrow+x))
					for x < xr && g.p[nrow+x+1] == 255 {
						x++ // the seed's run marks the rest of this stretch
					}
				}
			}
		}
	}
	for x := 0; x < w; x++ {
		for _, i := range [2]int{x, (h-1)*w + x} {
			if g.p[i] == 255 {
				fill(i)
			}
		}
	}
	for y := 0; y < h; y++ {
		for _, i := range [2]int{y * w, y*w + w - 1} {
			if g.p[i] == 255 {
				fill(i)
			}
		}
	}
	for i, v := range g.p {
		switch v {
		case 255:
			g.p[i] = 0 // a hole
		case mark:
			g.p[i] = 255
		}
	}
	return stack
}

// computeROI mirrors ImgProcROI::computeROI with 32-pixel blocks.
func computeROI(g gray) roiResult {
	er := erode5(g)
	// The blurs count their outputs' grey levels for Otsu's thresholds;
	// the first thresholded image is blurred without being made.
	var h1, h2 [256]int
	blur := gaussianBlur8Hist(er, 41, &h1)
	bytePool.put(er.p)
	blur2 := gaussianBlurAbove(blur, 91, otsuHist(&h1, len(blur.p)), &h2)
	bytePool.put(blur.p)
	binarize(blur2, otsuHist(&h2, len(blur2.p)))
	th := blur2
	defer bytePool.put(th.p)
	// Holes: white regions (4-connected) enclosed by the dark foreground,
	// i.e. not reaching the image border, are filled with 0 (what
	// findContours(RETR_CCOMP) + drawContours(FILLED) do on the inverse).
	stack := fillHoles(th, nil)
	labels := int32Pool.get(len(th.p))
	defer int32Pool.put(labels)
	// Keep only the dark component with the largest bounding box (the
	// first one on ties), as the floodFill loop does.
	comps, _ := labelComponents(th, 0, labels, stack)
	maxIdx, maxSize := 0, 0
	for i, c := range comps {
		if a := (c.maxX - c.minX + 1) * (c.maxY - c.minY + 1); a > maxSize {
			maxIdx, maxSize = i, a
		}
	}
	// The other dark components turn white; what stays dark (0) is the
	// largest one, whose pixels are counted and summed in raster order.
	var res roiResult
	sum := 0.0
	keep := int32(maxIdx + 1)
	gp := g.p[:len(labels)]
	tp := th.p[:len(labels)]
	for i, l := range labels {
		switch l {
		case 0:
		case keep:
			res.pixels++
			sum += float64(gp[i])
		default:
			tp[i] = 255
		}
	}
	if res.pixels <= 0 {
		res.mean = 255
	} else {
		res.mean = sum / float64(res.pixels)
	}
	res.tilesW = (g.w + blockSize - 1) / blockSize
	for y := 0; y < g.h; y += blockSize {
		for x := 0; x < g.w; x += blockSize {
			bw, bh := min(blockSize, g.w-x), min(blockSize, g.h-y)
			// cv::mean(block) < 255: the sum times 1/n can round below 255
			// on an all-white partial block, which then counts as ROI.
			isROI := th.blockMean(x, y, bw, bh) < 255
			res.nonROIMap = append(res.nonROIMap, !isROI)
			if isROI {
				res.blocks = append(res.blocks, roiBlock{x, y, bw, bh})
			}
		}
	}
	return res
}

// coherence mirrors QualityMap::computeOrientationMap with the ROI filter:
// the sum of block coherences over ROI blocks and that sum divided by the
// number of ROI blocks.
func coherence(g gray, roi roiResult) (rel, sum float64) {
	gx := make([]float64, blockSize*blockSize)
	gy := make([]float64, blockSize*blockSize)
	for _, b := range roi.blocks {
		numGrad(g, b.x, b.y, b.w, b.h, gx, gy)
		var sumY, sumX, coh2 float64
		for i := 0; i < b.w*b.h; i++ {
			vy := float64(2 * gx[i] * gy[i])
			vx := float64(gx[i]*gx[i]) - float64(gy[i]*gy[i])
			sumY += vy
			sumX += vx
			coh2 += math.Sqrt(float64(vy*vy) + float64(vx*vx))
		}
		coh1 := math.Sqrt(float64(sumX*sumX) + float64(sumY*sumY))
		c := 0.0
		if coh2 != 0 {
			c = coh1 / coh2
		}
		if math.IsNaN(c) {
			c = 0
		}
		sum += c
	}
	if len(roi.blocks) > 0 {
		rel = sum / float64(len(roi.blocks))
	}
	return rel, sum
}
