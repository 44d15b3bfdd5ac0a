package nfiq2

import (
	"math"
)

// Trained histogram limits from NIST's sources.
var (
	fdaLimits  = [9]float64{0.268, 0.304, 0.33, 0.355, 0.38, 0.407, 0.44, 0.50, 1}
	lcsLimits  = [9]float64{0, 0.70, 0.74, 0.77, 0.79, 0.81, 0.83, 0.85, 0.87}
	oclLimits  = [9]float64{0.337, 0.479, 0.579, 0.655, 0.716, 0.766, 0.81, 0.852, 0.898}
	ofLimits   = [9]float64{1.715e-2, 3.5e-2, 5.57e-2, 8.1e-2, 1.15e-1, 1.718e-1, 2.569e-1, 4.758e-1, 7.48e-1}
	rvupLimits = [9]float64{0.5, 0.667, 0.8, 1, 1.25, 1.5, 2, 24, 30}
)

// muSigma returns the image mean and standard deviation (cv::meanStdDev on
// 8-bit data: integer sums, reciprocal scaling).
func muSigma(g gray) (mu, sigma float64) {
	var s, sq uint64
	for _, v := range g.p {
		s += uint64(v)
		sq += uint64(v) * uint64(v)
	}
	scale := 1.0 / float64(len(g.p))
	mu = float64(s) * scale
	sigma = math.Sqrt(math.Max(float64(float64(sq)*scale)-float64(mu*mu), 0))
	return mu, sigma
}

func (g gray) blockMean(x0, y0, w, h int) float64 {
	x1, y1 := min(x0+w, g.w), min(y0+h, g.h)
	x0, y0 = max(x0, 0), max(y0, 0)
	if x1 <= x0 || y1 <= y0 {
		return 0
	}
	s := 0
	for y := y0; y < y1; y++ {
		for _, v := range g.p[y*g.w+x0 : y*g.w+x1] {
			s += int(v)
		}
	}
	return float64(s) * (1.0 / float64((x1-x0)*(y1-y0)))
}

// mmb is the mean of the 32×32 block means (partial blocks included).
func mmb(g gray) float64 {
	var means []float64
	for y := 0; y < g.h; y += blockSize {
		for x := 0; x < g.w; x += blockSize {
			means = append(means, g.blockMean(x, y, blockSize, blockSize))
		}
	}
	avg := 0.0
	cnt := float64(len(means))
	for _, m := range means {
		avg += m / cnt
	}
	return avg
}

// numGrad computes NFIQ 2's numerical gradients of a w×h block: forward
// differences at the edges, central differences inside; a direction with a
// single pixel has zero gradient.
func numGrad(g gray, x0, y0, w, h int, gx, gy []float64) {
	for y := 0; y < h; y++ {
		row := g.p[(y0+y)*g.w+x0:][:w]
		ox := gx[y*w:][:w]
		if w > 1 {
			ox[0] = float64(int(row[1]) - int(row[0]))
			for x := 1; x < w-1; x++ {
				ox[x] = float64(int(row[x+1])-int(row[x-1])) * 0.5 // = /2 exactly, without a division
			}
			ox[w-1] = float64(int(row[w-1]) - int(row[w-2]))
		} else {
			ox[0] = 0
		}
		oy := gy[y*w:][:w]
		if h == 1 {
			clear(oy)
			continue
		}
		switch y {
		case 0:
			next := g.p[(y0+1)*g.w+x0:][:w]
			for x := range oy {
				oy[x] = float64(int(next[x]) - int(row[x]))
			}
		case h - 1:
			prev := g.p[(y0+y-1)*g.w+x0:][:w]
			for x := range oy {
				oy[x] = float64(int(row[x]) - int(prev[x]))
			}
		default:
			prev := g.p[(y0+y-1)*g.w+x0:][:w]
			next := g.p[(y0+y+1)*g.w+x0:][:w]
			for x := range oy {
				oy[x] = float64(int(next[x])-int(prev[x])) * 0.5
			}
		}
	}
}

// oclBlock is getOCLValueOfBlock on a 32×32 block: 1 - λmin/λmax of the
// gradient covariance matrix; ok is false when λmax is 0.
func oclBlock(g gray, x0, y0 int, gx, gy []float64) (ocl float64, ok bool) {
	numGrad(g, x0, y0, blockSize, blockSize, gx, gy)
	var a, b, c float64
	for k := 0; k < blockSize; k++ { // column
		for l := 0; l < blockSize; l++ { // row
			i := l*blockSize + k
			a += float64(gx[i] * gx[i])
			b += float64(gy[i] * gy[i])
			c += float64(gx[i] * gy[i])
		}
	}
	n := float64(blockSize * blockSize)
	a /= n
	b /= n
	c /= n
	root := math.Sqrt(float64((a-b)*(a-b)) + float64(4*(c*c)))
	emax := ((a + b) + root) / 2.0
	emin := ((a + b) - root) / 2.0
	if emax == 0 {
		return 0, false
	}
	return 1.0 - emin/emax, true
}

func oclHistogram(g gray) ([12]float64, error) {
	gx := make([]float64, blockSize*blockSize)
	gy := make([]float64, blockSize*blockSize)
	var data []float64
	for y := 0; y+blockSize <= g.h; y += blockSize {
		for x := 0; x+blockSize <= g.w; x += blockSize {
			if v, ok := oclBlock(g, x, y, gx, gy); ok {
				data = append(data, v)
			}
		}
	}
	if len(data) == 0 {
		return [12]float64{}, refusal(ErrNoOrientationCertainty, ModuleOCL, "no full 32x32 block has a gradient",
			"Cannot compute feature OCL histogram: "+openCVEmptyMeanStdDev)
	}
	return histogram(&oclLimits, data), nil
}

// ofHistogram is the orientation flow family.
func ofHistogram(bg *blockGrid) ([12]float64, error) {
	rows, cols := bg.rows, bg.cols
	at := func(i, j int) float64 {
		if i < 0 || j < 0 || i >= rows || j >= cols {
			return 0
		}
		return bg.orient[i*cols+j]
	}
	maskAt := func(i, j int) bool {
		if i < 0 || j < 0 || i >= rows || j >= cols {
			return false
		}
		return bg.mask[i*cols+j]
	}
	threeSixty := float64(deg2Rad * 360.0)
	angMin := float64(4.0 * deg2Rad)
	angDiff := float64((90.0 - 4.0) * deg2Rad)
	var data []float64
	var d [9]float64
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			center := at(i, j)
			k := 0
			allFg := true
			for di := -1; di <= 1; di++ {
				for dj := -1; dj <= 1; dj++ {
					v := math.Abs(center - at(i+di, j+dj))
					d[k] = math.Min(v, threeSixty-v)
					k++
					if !maskAt(i+di, j+dj) {
						allFg = false
					}
				}
			}
			// cv::sum over a continuous 3x3 matrix, unrolled by 4
			s := 0.0
			s += d[0] + d[1] + d[2] + d[3]
			s += d[4] + d[5] + d[6] + d[7]
			s += d[8]
			loq := s / (9 - 1)
			if loq > angMin && allFg {
				data = append(data, (loq-angMin)/angDiff)
			}
		}
	}
	if len(data) == 0 {
		return [12]float64{}, refusal(ErrNoOrientationFlow, ModuleOF,
			"no foreground block with an all-foreground 3x3 block neighbourhood turns by more than 4 degrees",
			"Cannot compute Orientation Flow (OF): "+openCVEmptyMeanStdDev)
	}
	return histogram(&ofLimits, data), nil
}

// fdaBlock is NFIQ 2's fda() on the block at (r,c).
func fdaBlock(g gray, r, c int, orientation float64, win, rot []uint8) float64 {
	// Rotate by orientation+π/2 so ridges run horizontally; then the
	// 32-row × 16-column crop is averaged along rows.
	n := extractWindow(g, r, c, 2, win)
	const ic = eBlockSize / 2
	// Only the 32-row × 16-column crop is computed.
	rotateNearestIn(win, n, n, rot, eBlockSize, eBlockSize, orientation+piF/2, ic-8, ic+8, ic-16, ic+16)
	var t [32]float64
	for y := 0; y < 32; y++ {
		s := 0
		row := rot[(ic-16+y)*eBlockSize+ic-8:]
		for x := 0; x < 16; x++ {
			s += int(row[x])
		}
		t[y] = float64(s) * (1.0 / 16)
	}
	return fdaScore(&t)
}

// fdaScore is the spectral part of NFIQ 2's fda(): the amplitudes of
// frequencies 1..31 of the 32-sample signature t (DC dropped), the first
// largest one, and the ratio of it plus 0.3 times its two neighbours to the
// sum of the first 15 amplitudes; 1 when the largest amplitude is the first
// or the last.
//
// The amplitudes come from fft32, which performs OpenCV's own operations:
// a direct DFT agrees with it only to round-off, and that is not enough.
// Where the exact amplitudes tie, the first of them wins in NIST's code; a
// signature that is constant except for its sample 0 (or 8, 16, 24) has 31
// exactly equal amplitudes in OpenCV (the FFT's butterflies never multiply
// that sample by a twiddle factor other than ±1, ±i), so NIST returns 1,
// whereas a direct DFT's round-off picks a later bin and gives 1.6/15.
func fdaScore(t *[32]float64) float64 {
	re, im := fft32(t)
	var amp [31]float64
	for i := range amp {
		x, y := re[i+1], im[i+1]
		// cv::magnitude: OpenCV's AVX2 kernel evaluates sqrt(x·x + y·y)
		// with a fused multiply-add; NIST's FDA means are bit-identical
		// to ours on all 79 reference images with it (66 with
		// math.Hypot, 78 with an unfused x*x + y*y).
		amp[i] = math.Sqrt(math.FMA(x, x, y*y))
	}
	mLoc := 0
	mVal := amp[0]
	for i := 1; i < len(amp); i++ {
		if amp[i] > mVal { // minMaxLoc keeps the first maximum
			mVal, mLoc = amp[i], i
		}
	}
	if mLoc == 0 || mLoc+1 >= len(amp) {
		return 1.0
	}
	// cv::sum of the first 15 amplitudes: groups of four added first.
	denom := 0.0
	i := 0
	for ; i+4 <= 15; i += 4 {
		denom += amp[i] + amp[i+1] + amp[i+2] + amp[i+3]
	}
	for ; i < 15; i++ {
		denom += amp[i]
	}
	return (mVal + float64(0.3*(amp[mLoc-1]+amp[mLoc+1]))) / denom
}

// fftTwiddle holds OpenCV's twiddle factors for a forward 32-point DFT:
// w^k = exp(-2πik/32) built by repeated complex multiplication from its
// tabulated cos/sin of 2π/32, w^16 = -1 and w^(32-k) = conj(w^k).
var fftTwiddle = func() (w [32]complex128) {
	c1, s1 := 0.98078528040323043, -0.19509032201612825
	wr, wi := c1, s1
	w[0] = complex(1, 0)
	w[16] = complex(-1, 0)
	for k := 1; k < 16; k++ {
		w[k] = complex(wr, wi)
		w[32-k] = complex(wr, -wi)
		wr, wi = float64(wr*c1)-float64(wi*s1), float64(wr*s1)+float64(wi*c1)
	}
	return
}()

// fft32 is the forward DFT of a real 32-sample signal computed with the
// same floating-point operations as cv::dft on a 1×32 CV_64FC2 row:
// bit-reversed input order, two radix-4 passes (sub-transform lengths 1
// and 4) and a final radix-2 pass, each butterfly's first element taken
// without a twiddle multiplication.
func fft32(t *[32]float64) (re, im [32]float64) {
	for i := range re {
		j := 0
		for b := 0; b < 5; b++ {
			j |= (i >> b & 1) << (4 - b)
		}
		re[i] = t[j]
	}
	// twiddled returns x·w as OpenCV evaluates it.
	twiddled := func(xr, xi float64, w complex128) (float64, float64) {
		wr, wi := real(w), imag(w)
		return float64(xr*wr) - float64(xi*wi), float64(xr*wi) + float64(xi*wr)
	}
	for _, q := range [2]int{1, 4} { // radix 4: length q → 4q
		stride := 32 / (4 * q)
		for base := 0; base < 32; base += 4 * q {
			for j := 0; j < q; j++ {
				// a, c, b, d hold the sub-transforms 0, 1, 2, 3 (their
				// storage order is bit-reversed), twiddled by w^0, w^j,
				// w^2j, w^3j.
				a, b, c, d := base+j, base+j+q, base+j+2*q, base+j+3*q
				br, bi := re[b], im[b]
				cr, ci := re[c], im[c]
				dr, di := re[d], im[d]
				if j > 0 {
					br, bi = twiddled(br, bi, fftTwiddle[2*j*stride])
					cr, ci = twiddled(cr, ci, fftTwiddle[j*stride])
					dr, di = twiddled(dr, di, fftTwiddle[3*j*stride])
				}
				sr, si := cr+dr, ci+di // c + d
				qr, qi := ci-di, dr-cr // -i·(c - d)
				pr, pi := re[a]+br, im[a]+bi
				mr, mi := re[a]-br, im[a]-bi
				re[a], im[a] = pr+sr, pi+si
				re[c], im[c] = pr-sr, pi-si
				re[b], im[b] = mr+qr, mi+qi
				re[d], im[d] = mr-qr, mi-qi
			}
		}
	}
	for j := 0; j < 16; j++ { // radix 2: length 16 → 32
		xr, xi := re[j+16], im[j+16]
		if j > 0 {
			xr, xi = twiddled(xr, xi, fftTwiddle[j])
		}
		ar, ai := re[j], im[j]
		re[j], im[j] = ar+xr, ai+xi
		re[j+16], im[j+16] = ar-xr, ai-xi
	}
	return re, im
}

func fdaHistogram(g gray, bg *blockGrid) ([12]float64, error) {
	win := make([]uint8, 40*40)
	rot := make([]uint8, eBlockSize*eBlockSize)
	var data []float64
	for i, r := range bg.r0 {
		for j, c := range bg.c0 {
			if bg.mask[i*bg.cols+j] {
				data = append(data, fdaBlock(g, r, c, bg.orient[i*bg.cols+j], win, rot))
			}
		}
	}
	if len(data) < 10 {
		const msg = "Cannot compute Frequency Domain Analysis (FDA): Not enough data to generate histogram bins (is the image blank?)"
		return [12]float64{}, refusal(ErrInsufficientData, ModuleFDA, msg, msg)
	}
	return histogram(&fdaLimits, data), nil
}

// lcsBlock is NFIQ 2's loclar().
func lcsBlock(g gray, r, c int, orientation float64, win, rot []uint8, reg *[slantH][slantW]uint8) float64 {
	rotatedRegion(g, r, c, 0, orientation, win, rot, reg)
	ridval, dt := ridgeValley(reg)
	n := len(ridval)
	var changeIndex []int
	for i := 1; i < n; i++ {
		if ridval[i] != ridval[i-1] {
			changeIndex = append(changeIndex, i-1)
		}
	}
	if len(changeIndex) == 0 {
		return 0
	}
	wrv := make([]float64, len(changeIndex))
	wrv[0] = float64(changeIndex[0])
	for i := 1; i < len(changeIndex); i++ {
		wrv[i] = float64(changeIndex[i] - changeIndex[i-1])
	}
	sc := 500.0
	rNorm := (sc / 125.0) * 5.0
	vNorm := (sc / 125.0) * 5.0
	nwrMin, nwrMax := 3.0/rNorm, 10.0/rNorm
	nwvMin, nwvMax := 2.0/rNorm, 10.0/rNorm
	var nwr, nwv []float64
	if ridval[0] == 1 {
		for i := 0; i < len(wrv); i += 2 {
			nwr = append(nwr, wrv[i]/rNorm)
		}
		for i := 0; i+1 < len(wrv); i += 2 {
			nwv = append(nwv, wrv[i+1]/vNorm)
		}
	} else {
		for i := 0; i < len(wrv); i += 2 {
			nwv = append(nwv, wrv[i]/vNorm)
		}
		for i := 0; i+1 < len(wrv); i += 2 {
			nwr = append(nwr, wrv[i+1]/rNorm)
		}
	}
	muR, _ := meanStd(nwr)
	muV, _ := meanStd(nwv)
	if !(muR >= nwrMin && muR <= nwrMax && muV >= nwvMin && muV <= nwvMax) {
		return 0
	}
	ridgeGood, valleyGood, ridgeCount, valleyCount := 0, 0, 0, 0
	for x := 0; x < slantW; x++ {
		for y := 0; y < slantH; y++ {
			v := float64(reg[y][x])
			if ridval[x] == 1 {
				if v >= dt[x] {
					ridgeGood++
				}
			} else if v < dt[x] {
				valleyGood++
			}
		}
		if ridval[x] == 1 {
			ridgeCount += slantH
		} else {
			valleyCount += slantH
		}
	}
	alpha := float64(valleyGood) / float64(valleyCount)
	beta := float64(ridgeGood) / float64(ridgeCount)
	return 1.0 - (alpha+beta)/2.0
}

func lcsHistogram(g gray, bg *blockGrid) ([12]float64, error) {
	win := make([]uint8, 40*40)
	rot := make([]uint8, eBlockSize*eBlockSize)
	var reg [slantH][slantW]uint8
	var data []float64
	for i, r := range bg.r0 {
		for j, c := range bg.c0 {
			if bg.mask[i*bg.cols+j] {
				data = append(data, lcsBlock(g, r, c, bg.orient[i*bg.cols+j], win, rot, &reg))
			}
		}
	}
	if len(data) == 0 {
		return [12]float64{}, refusal(ErrNoLocalClarity, ModuleLCS, "no foreground block",
			"Cannot compute LCS: "+openCVEmptyMeanStdDev)
	}
	return histogram(&lcsLimits, data), nil
}

// rvuBlock is NFIQ 2's rvuhist(): ratios of consecutive complete ridge and
// valley widths, appended to out.
func rvuBlock(g gray, r, c int, orientation float64, win, rot []uint8, reg *[slantH][slantW]uint8, out []float64) []float64 {
	rotatedRegion(g, r, c, 2, orientation, win, rot, reg)
	ridval, _ := ridgeValley(reg)
	n := len(ridval)
	// change[i], i = 0..n-2, compares ridval[i] with its circular
	// predecessor; the first entry is dropped.
	var changeIndex []int
	for i := 1; i < n-1; i++ {
		if ridval[i] != ridval[i-1] {
			changeIndex = append(changeIndex, i-1)
		}
	}
	if len(changeIndex) == 0 {
		return out
	}
	first, last := changeIndex[0], changeIndex[len(changeIndex)-1]
	if first+1 >= last {
		return out // ridvalComplete is empty
	}
	begrid := int(ridval[first+1])
	cic := make([]int, 0, len(changeIndex))
	for i := 1; i < len(changeIndex); i++ {
		cic = append(cic, changeIndex[i]-first)
	}
	if len(cic) <= 1 {
		return out
	}
	var c2 []float64
	for i := len(cic) - 1; i > 0; i-- {
		c2 = append(c2, float64(cic[i]-cic[i-1]))
	}
	start := len(out)
	for m := 0; m+1 < len(c2); m++ {
		out = append(out, c2[m]/c2[m+1])
	}
	ratios := out[start:]
	for i := begrid; i < len(ratios); i += 2 {
		ratios[i] = 1 / ratios[i]
	}
	return out
}

func rvupHistogram(g gray, bg *blockGrid) ([12]float64, error) {
	win := make([]uint8, 40*40)
	rot := make([]uint8, eBlockSize*eBlockSize)
	var reg [slantH][slantW]uint8
	var data []float64
	for i, r := range bg.r0 {
		for j, c := range bg.c0 {
			if bg.mask[i*bg.cols+j] {
				data = rvuBlock(g, r, c, bg.orient[i*bg.cols+j], win, rot, &reg, data)
			}
		}
	}
	if len(data) == 0 {
		return [12]float64{}, refusal(ErrNoRidgeValleyData, ModuleRVUP,
			"no foreground block holds two complete ridges and valleys",
			"Cannot compute RVU: "+openCVEmptyMeanStdDev)
	}
	return histogram(&rvupLimits, data), nil
}
