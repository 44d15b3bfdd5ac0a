package nfiq2

import (
	"math"
	"sort"

	"github.com/biogate/biogate/internal/fpmath"
)

// Floating-point constants are kept in variables so that Go evaluates every
// expression in IEEE double arithmetic, as the C++ compiler does (Go
// constant expressions are exact, which would differ in the last bit).
var (
	piF     = float64(math.Pi) // M_PI / CV_PI as a double
	rad2Deg = 180.0 / piF
	deg2Rad = piF / 180.0
	dblEps  = math.Nextafter(1, 2) - 1 // DBL_EPSILON
)

const (
	blockSize  = 32 // Sizes::LocalRegionSquare
	slantW     = 32 // VerticallyAlignedLocalRegionWidth
	slantH     = 16 // VerticallyAlignedLocalRegionHeight
	segThresh  = 0.1
	blkOffset  = 2  // ceil((ceil(sqrt(32²+16²)) - 32) / 2)
	eBlockSize = 36 // blockSize + 2*blkOffset
)

// cvRound rounds half to even, like cvRound/saturate_cast<int>(double).
func cvRound(v float64) int { return int(math.RoundToEven(v)) }

// meanStd mirrors cv::meanStdDev on a sequence: sums in order, mean = s*(1/n),
// std = sqrt(max(sq*(1/n) - mean², 0)).
func meanStd(v []float64) (mean, std float64) {
	if len(v) == 0 {
		return 0, 0
	}
	s, sq := 0.0, 0.0
	for _, x := range v {
		s += x
		sq += float64(x * x)
	}
	scale := 1.0 / float64(len(v))
	mean = s * scale
	std = math.Sqrt(math.Max(float64(sq*scale)-float64(mean*mean), 0))
	return mean, std
}

// blockGrid holds what FDA, LCS, RVUP and OF share: the ridgesegment mask
// evaluated on the overlapping 32x32 blocks (offset 2) and the block
// orientations from centred-difference gradients.
type blockGrid struct {
	rows, cols int       // map size
	mask       []bool    // allfun(mask block)
	orient     []float64 // ridgeorient
	r0, c0     []int     // block origin (row, col) in the image
}

// segStd returns, for each 32x32 block of ridgesegment's tiling (origin 0),
// the standard deviation of the normalised image inside it.
func segStd(g gray) (stds []float64, bw, bh int) {
	n := len(g.p)
	s, sq := 0.0, 0.0
	for _, v := range g.p {
		x := float64(v)
		s += x
		sq += float64(x * x)
	}
	scale := 1.0 / float64(n)
	mean := s * scale
	std := math.Sqrt(math.Max(float64(sq*scale)-float64(mean*mean), 0))
	// OpenCV evaluates (im - mean) / std as im*alpha + beta with
	// alpha = 1/std and beta = -mean*alpha (MatExpr scaling + convertTo).
	alpha := 1 / std
	beta := float64(-mean * alpha)
	bw = (g.w + blockSize - 1) / blockSize
	bh = (g.h + blockSize - 1) / blockSize
	stds = make([]float64, bw*bh)
	for by := 0; by < bh; by++ {
		y1 := min((by+1)*blockSize, g.h)
		for bx := 0; bx < bw; bx++ {
			x1 := min((bx+1)*blockSize, g.w)
			bs, bsq := 0.0, 0.0
			cnt := 0
			for y := by * blockSize; y < y1; y++ {
				row := g.p[y*g.w : y*g.w+x1]
				for x := bx * blockSize; x < x1; x++ {
					v := float64(float64(row[x])*alpha) + beta
					bs += v
					bsq += float64(v * v)
					cnt++
				}
			}
			sc := 1.0 / float64(cnt)
			m := bs * sc
			stds[by*bw+bx] = math.Sqrt(math.Max(float64(bsq*sc)-float64(m*m), 0))
		}
	}
	return stds, bw, bh
}

func newBlockGrid(g gray) *blockGrid {
	stds, bw, _ := segStd(g)
	diff := float64(eBlockSize - blockSize)
	mr := int((float64(g.h) - diff) / blockSize)
	mc := int((float64(g.w) - diff) / blockSize)
	bg := &blockGrid{rows: max(mr, 0), cols: max(mc, 0)}
	bg.mask = make([]bool, bg.rows*bg.cols)
	bg.orient = make([]float64, bg.rows*bg.cols)
	bg.r0 = make([]int, 0, bg.rows)
	bg.c0 = make([]int, 0, bg.cols)
	for r := blkOffset; r < g.h-(blockSize+blkOffset-1); r += blockSize {
		bg.r0 = append(bg.r0, r)
	}
	for c := blkOffset; c < g.w-(blockSize+blkOffset-1); c += blockSize {
		bg.c0 = append(bg.c0, c)
	}
	if len(bg.r0) != bg.rows || len(bg.c0) != bg.cols {
		// Cannot happen for the NFIQ 2 block geometry; keep the loops' view.
		bg.rows, bg.cols = len(bg.r0), len(bg.c0)
		bg.mask = make([]bool, bg.rows*bg.cols)
		bg.orient = make([]float64, bg.rows*bg.cols)
	}
	for i, r := range bg.r0 {
		for j, c := range bg.c0 {
			// allfun over the 32x32 region of the pixel mask: every
			// segmentation block it overlaps must be above threshold.
			ok := true
			for by := r / blockSize; by <= (r+blockSize-1)/blockSize && ok; by++ {
				for bx := c / blockSize; bx <= (c+blockSize-1)/blockSize; bx++ {
					if !(stds[by*bw+bx] > segThresh) {
						ok = false
						break
					}
				}
			}
			bg.mask[i*bg.cols+j] = ok
			a, b, cc := covCentered(g, c, r, blockSize, blockSize)
			bg.orient[i*bg.cols+j] = ridgeOrient(a, b, cc)
		}
	}
	return bg
}

// covCentered returns the means of fx², fy² and fx·fy over a w×h block at
// (x0,y0) (w, h ≥ 2), with gradients from forward differences at the block
// edges and central differences inside (NFIQ 2's diffGrad). Twice each
// gradient is an integer, so the sums are kept exactly as integers, four
// times the sums of the products (which NIST's doubles hold exactly too:
// multiples of 1/4 far below 2^53).
func covCentered(g gray, x0, y0, w, h int) (a, b, c float64) {
	var sa, sb, sc int
	for y := 0; y < h; y++ {
		row := g.p[(y0+y)*g.w+x0:][:w]
		var up, dn []uint8 // dy = dn − up, doubled at the block's edges
		dbl := 1
		switch y {
		case 0:
			up, dn, dbl = row, g.p[(y0+1)*g.w+x0:][:w], 2
		case h - 1:
			up, dn, dbl = g.p[(y0+y-1)*g.w+x0:][:w], row, 2
		default:
			up, dn = g.p[(y0+y-1)*g.w+x0:][:w], g.p[(y0+y+1)*g.w+x0:][:w]
		}
		// Integer sums: the edge columns are taken out of the loop.
		edge := func(x, dx int) {
			dy := dbl * (int(dn[x]) - int(up[x]))
			sa += dx * dx
			sb += dy * dy
			sc += dx * dy
		}
		edge(0, 2*(int(row[1])-int(row[0])))
		up, dn = up[:w], dn[:w]
		for x := 1; x < w-1; x++ {
			dx := int(row[x+1]) - int(row[x-1])
			dy := dbl * (int(dn[x]) - int(up[x]))
			sa += dx * dx
			sb += dy * dy
			sc += dx * dy
		}
		edge(w-1, 2*(int(row[w-1])-int(row[w-2])))
	}
	inv := 1.0 / float64(w*h)
	return float64(sa) / 4 * inv, float64(sb) / 4 * inv, float64(sc) / 4 * inv
}

// ridgeOrient is NFIQ 2's ridgeorient: the angle of the line perpendicular
// to the ridge flow.
func ridgeOrient(a, b, c float64) float64 {
	t := a - b
	denom := (float64(c*c) + float64(t*t)) + dblEps
	return fpmath.Atan2(c/denom, t/denom) / 2
}

// rotateNearest mirrors getRotationMatrix2D(center, deg, 1) followed by
// warpAffine(..., INTER_NEAREST, BORDER_CONSTANT 0) into a dw×dh output,
// including OpenCV's 10-bit fixed-point coordinate rounding.
func rotateNearest(src []uint8, sw, sh int, dst []uint8, dw, dh int, orientation float64) {
	rotateNearestIn(src, sw, sh, dst, dw, dh, orientation, 0, dw, 0, dh)
}

// rotateNearestIn is rotateNearest computing only the output pixels of
// columns [xa, xb) and rows [ya, yb) (each output pixel is computed on its
// own, so these are rotateNearest's); the others are left as they are.
func rotateNearestIn(src []uint8, sw, sh int, dst []uint8, dw, dh int, orientation float64, xa, xb, ya, yb int) {
	deg := orientation * rad2Deg
	cx, cy := float64(float32(sw)/2), float64(float32(sh)/2)
	ang := deg * (piF / 180)
	alpha, beta := fpmath.Cos(ang), fpmath.Sin(ang)
	m := [6]float64{alpha, beta, float64((1-alpha)*cx) - float64(beta*cy), -beta, alpha, float64(beta*cx) + float64((1-alpha)*cy)}
	// invert the affine transform as warpAffine does
	d := float64(m[0]*m[4]) - float64(m[1]*m[3])
	if d != 0 {
		d = 1 / d
	}
	a11, a22 := m[4]*d, m[0]*d
	m[0] = a11
	m[1] *= -d
	m[3] *= -d
	m[4] = a22
	b1 := float64(-m[0]*m[2]) - float64(m[1]*m[5])
	b2 := float64(-m[3]*m[2]) - float64(m[4]*m[5])
	m[2], m[5] = b1, b2
	const abBits = 10
	const abScale = 1 << abBits
	const roundDelta = abScale / 2
	var adelta, bdelta [64]int
	for x := xa; x < xb; x++ {
		adelta[x] = cvRound(m[0] * float64(x) * abScale)
		bdelta[x] = cvRound(m[3] * float64(x) * abScale)
	}
	for y := ya; y < yb; y++ {
		x0 := cvRound((float64(m[1]*float64(y))+m[2])*abScale) + roundDelta
		y0 := cvRound((float64(m[4]*float64(y))+m[5])*abScale) + roundDelta
		// adelta and bdelta are monotonic in x: a row whose two ends map
		// inside the source maps inside all along.
		sxA, syA := (x0+adelta[xa])>>abBits, (y0+bdelta[xa])>>abBits
		sxB, syB := (x0+adelta[xb-1])>>abBits, (y0+bdelta[xb-1])>>abBits
		if min(sxA, sxB) >= 0 && max(sxA, sxB) < sw && min(syA, syB) >= 0 && max(syA, syB) < sh {
			row := dst[y*dw : (y+1)*dw]
			for x := xa; x < xb; x++ {
				row[x] = src[((y0+bdelta[x])>>abBits)*sw+(x0+adelta[x])>>abBits]
			}
			continue
		}
		for x := xa; x < xb; x++ {
			sx := (x0 + adelta[x]) >> abBits
			sy := (y0 + bdelta[x]) >> abBits
			var v uint8
			if sx >= 0 && sx < sw && sy >= 0 && sy < sh {
				v = src[sy*sw+sx]
			}
			dst[y*dw+x] = v
		}
	}
}

// extractWindow copies the (eBlockSize+2*pad)² window whose inner 36×36 block
// starts at (c-blkOffset, r-blkOffset), taking real neighbouring pixels for
// the padding where the image has them and 0 outside (copyMakeBorder on a
// region of interest).
func extractWindow(g gray, r, c, pad int, dst []uint8) int {
	n := eBlockSize + 2*pad
	y0, x0 := r-blkOffset-pad, c-blkOffset-pad
	if y0 >= 0 && x0 >= 0 && y0+n <= g.h && x0+n <= g.w {
		// Inside the image (the usual case): whole rows.
		for y := 0; y < n; y++ {
			copy(dst[y*n:(y+1)*n], g.p[(y0+y)*g.w+x0:])
		}
		return n
	}
	for y := 0; y < n; y++ {
		yy := y0 + y
		for x := 0; x < n; x++ {
			xx := x0 + x
			var v uint8
			if yy >= 0 && yy < g.h && xx >= 0 && xx < g.w {
				v = g.p[yy*g.w+xx]
			}
			dst[y*n+x] = v
		}
	}
	return n
}

// rotatedRegion returns the 16-row × 32-column vertically aligned local
// region of the block at (r,c): the 36×36 window (padded by pad pixels) is
// rotated by orientation about the padded window's centre into a 36×36
// output, whose rows [10,26) and columns [2,34) are kept.
func rotatedRegion(g gray, r, c, pad int, orientation float64, win, rot []uint8, out *[slantH][slantW]uint8) {
	n := extractWindow(g, r, c, pad, win)
	const ic = eBlockSize / 2
	rotateNearestIn(win, n, n, rot, eBlockSize, eBlockSize, orientation, ic-slantW/2, ic+slantW/2, ic-slantH/2, ic+slantH/2)
	for y := 0; y < slantH; y++ {
		copy(out[y][:], rot[(ic-slantH/2+y)*eBlockSize+ic-slantW/2:])
	}
}

// ridgeValley mirrors getRidgeValleyStructure on a 16×32 region: column
// means, a least-squares line through them (coefficients rounded to 1e-10)
// and the ridge (1) / valley (0) classification of each column.
func ridgeValley(v *[slantH][slantW]uint8) (ridval [slantW]uint8, dt [slantW]float64) {
	var v3 [slantW]float64
	inv := 1.0 / float64(slantH)
	for x := 0; x < slantW; x++ {
		s := 0
		for y := 0; y < slantH; y++ {
			s += int(v[y][x])
		}
		v3[x] = float64(s) * inv
	}
	// Least squares for v3 ≈ c0 + c1*(i+1), i = 0..31; all sums exact.
	var sy, sxy float64
	for i, y := range v3 {
		sy += y
		sxy += float64(float64(i+1) * y)
	}
	const n = slantW
	sx := float64(n * (n + 1) / 2)
	sxx := float64(n * (n + 1) * (2*n + 1) / 6)
	c1 := (float64(float64(n)*sxy) - float64(sx*sy)) / (float64(float64(n)*sxx) - float64(sx*sx))
	c0 := (sy - float64(c1*sx)) / float64(n)
	c0 = math.Round(c0*1e10) / 1e10
	c1 = math.Round(c1*1e10) / 1e10
	for i := range v3 {
		dt[i] = float64(float64(i+1)*c1) + c0
		if v3[i] < dt[i] {
			ridval[i] = 1
		}
	}
	return ridval, dt
}

// histogram mirrors addHistogramFeatures: data is sorted, counted into 10
// bins with the given 9 upper limits (value >= limit moves to the next bin,
// infinities stay), and its mean and standard deviation are appended.
func histogram(limits *[9]float64, data []float64) [12]float64 {
	sort.Float64s(data)
	var out [12]float64
	bucket := 0
	bound := limits[0]
	for _, v := range data {
		for !math.IsInf(v, 0) && v >= bound {
			bucket++
			if bucket < 9 {
				bound = limits[bucket]
			} else {
				bound = math.Inf(1)
			}
		}
		out[bucket]++
	}
	out[10], out[11] = meanStd(data)
	return out
}
