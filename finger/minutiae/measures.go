package minutiae

import (
	"image"
	"math"
)

// NIST's names of the four minutiae-based NFIQ 2 native quality measures.
const (
	NameMinutiaeCount   = "FingerJetFX_MinutiaeCount"
	NameCOMRect200x200  = "FingerJetFX_MinCount_COMMinRect200x200"
	NameMuQuality2      = "FJFXPos_Mu_MinutiaeQuality_2"
	NameOCLQuality80    = "FJFXPos_OCL_MinutiaeQuality_80"
	localRegionSquare   = 32 // NFIQ 2's local block size for both ratios
	comRectSide         = 200
	nearWhiteThreshold  = 250.0
	nfiq2MaxWidth       = 800
	nfiq2MaxHeight      = 1000
	fjfxMinSide         = 196
	fjfxWindowWidth500  = 384 // FingerJetFX's 256×400 working buffer at 333 ppi, seen at 500 ppi
	fjfxWindowHeight500 = 600
)

// MeasureSet holds the four minutiae-based NFIQ 2 native quality measures.
type MeasureSet struct {
	// MinutiaeCount is FingerJetFX_MinutiaeCount: the number of minutiae.
	MinutiaeCount float64 `json:"FingerJetFX_MinutiaeCount"`
	// COMRect200x200 is FingerJetFX_MinCount_COMMinRect200x200: the number of
	// minutiae inside the 200×200 rectangle centred on their centre of mass.
	COMRect200x200 float64 `json:"FingerJetFX_MinCount_COMMinRect200x200"`
	// MuQuality2 is FJFXPos_Mu_MinutiaeQuality_2: the share of minutiae whose
	// 32×32 neighbourhood mean m satisfies 0 < (mean−m)/σ ≤ 0.5, with the
	// image's global mean and standard deviation.
	MuQuality2 float64 `json:"FJFXPos_Mu_MinutiaeQuality_2"`
	// OCLQuality80 is FJFXPos_OCL_MinutiaeQuality_80: the share of minutiae
	// whose 32×32 block orientation certainty level, rounded to a percentage,
	// exceeds 80.
	OCLQuality80 float64 `json:"FJFXPos_OCL_MinutiaeQuality_80"`
}

// Map returns the measures keyed by NIST's names.
func (s MeasureSet) Map() map[string]float64 {
	return map[string]float64{
		NameMinutiaeCount:  s.MinutiaeCount,
		NameCOMRect200x200: s.COMRect200x200,
		NameMuQuality2:     s.MuQuality2,
		NameOCLQuality80:   s.OCLQuality80,
	}
}

// Measures computes the four minutiae-based NFIQ 2 measures from the
// minutiae m found on img, which must be the image NFIQ 2 works on (the
// output of CropNearWhiteFrame), following NIST's NFIQ 2 code: the centre
// of mass is the integer mean of the coordinates; the rectangle spans
// centre±100 inclusive, clipped to the image; the Mu test uses the mean of
// the 32×32 block whose top-left corner is the minutia minus 16 (clipped at
// the image edges) against the image's global mean and population standard
// deviation; the OCL test uses the full 32×32 block at the same corner,
// shifted inside the image, with central-difference gradients.
//
// Positions are relative to img.Bounds().Min. With no minutiae all four
// measures are 0 (NIST's code would divide by zero for the two ratios); a
// nil or empty image gives zero ratios. One edge case differs by design:
// NIST counts minutiae that FingerJetFX found in the white padding of
// images smaller than 196×196 in FingerJetFX_MinutiaeCount (not in the
// ratios), whereas here the count is len(m), and Extract drops those.
//
// Measures allocates nothing and is safe for concurrent use.
func Measures(img *image.Gray, m []Minutia) MeasureSet {
	var s MeasureSet
	s.MinutiaeCount = float64(len(m))
	if len(m) == 0 || img == nil || img.Rect.Empty() {
		return s
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()

	// Centre of mass, integer division as NIST does (unsigned sums).
	var sx, sy int
	for _, p := range m {
		sx += p.X
		sy += p.Y
	}
	cx, cy := sx/len(m), sy/len(m)
	x0, y0 := max(cx-comRectSide/2, 0), max(cy-comRectSide/2, 0)
	x1, y1 := min(cx+comRectSide/2, w-1), min(cy+comRectSide/2, h-1)
	n := 0
	for _, p := range m {
		if p.X >= x0 && p.X <= x1 && p.Y >= y0 && p.Y <= y1 {
			n++
		}
	}
	s.COMRect200x200 = float64(n)

	mean, sd := meanStdDev(img)
	const bs = localRegionSquare
	nMu, nOCL := 0, 0
	for _, p := range m {
		// Mu: block clipped at the image border.
		lx, ty := max(p.X-bs/2, 0), max(p.Y-bs/2, 0)
		bw, bh := min(bs, w-lx), min(bs, h-ty)
		if bw > 0 && bh > 0 {
			q := (mean - blockMean(img, lx, ty, bw, bh)) / sd
			if q > 0 && q <= 0.5 {
				nMu++
			}
		}
		// OCL: full block shifted inside the image.
		ox, oy := lx, ty
		if ox+bs > w {
			ox = w - bs
		}
		if oy+bs > h {
			oy = h - bs
		}
		if ox >= 0 && oy >= 0 {
			ocl := BlockOCL(img, ox, oy, bs)
			if int(ocl*100+0.5) > 80 {
				nOCL++
			}
		}
	}
	s.MuQuality2 = float64(nMu) / float64(len(m))
	s.OCLQuality80 = float64(nOCL) / float64(len(m))
	return s
}

// meanStdDev returns the mean and population standard deviation of img.
func meanStdDev(img *image.Gray) (float64, float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var s, s2 float64
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+w]
		var rs, rs2 int64
		for _, v := range row {
			rs += int64(v)
			rs2 += int64(v) * int64(v)
		}
		s += float64(rs)
		s2 += float64(rs2)
	}
	n := float64(w * h)
	mean := s / n
	v := s2/n - mean*mean
	if v < 0 {
		v = 0
	}
	return mean, math.Sqrt(v)
}

// blockMean is the mean of the w×h block at (x, y) relative to img's bounds.
func blockMean(img *image.Gray, x, y, w, h int) float64 {
	var s int64
	for j := y; j < y+h; j++ {
		row := img.Pix[j*img.Stride+x : j*img.Stride+x+w]
		for _, v := range row {
			s += int64(v)
		}
	}
	return float64(s) / float64(w*h)
}

// BlockOCL returns the orientation certainty level 1 − λmin/λmax of the
// bs×bs block at (x, y) (relative to img's bounds), from the covariance of
// central-difference gradients (one-sided at the block edges), as NFIQ 2's
// OCL measure computes it. A block without gradient has OCL 0. The block
// must lie inside the image.
func BlockOCL(img *image.Gray, x, y, bs int) float64 {
	if bs < 2 {
		return 0
	}
	at := func(i, j int) float64 { return float64(img.Pix[(y+j)*img.Stride+x+i]) }
	var a, b, c float64
	// Sum in column-major order like NIST (the order changes only rounding).
	for i := 0; i < bs; i++ {
		for j := 0; j < bs; j++ {
			var gx, gy float64
			switch i {
			case 0:
				gx = at(1, j) - at(0, j)
			case bs - 1:
				gx = at(bs-1, j) - at(bs-2, j)
			default:
				gx = (at(i+1, j) - at(i-1, j)) / 2
			}
			switch j {
			case 0:
				gy = at(i, 1) - at(i, 0)
			case bs - 1:
				gy = at(i, bs-1) - at(i, bs-2)
			default:
				gy = (at(i, j+1) - at(i, j-1)) / 2
			}
			a += gx * gx
			b += gy * gy
			c += gx * gy
		}
	}
	n := float64(bs * bs)
	a, b, c = a/n, b/n, c/n
	r := math.Sqrt((a-b)*(a-b) + 4*c*c)
	emax := (a + b + r) / 2
	emin := (a + b - r) / 2
	if emax == 0 {
		return 0
	}
	return 1 - emin/emax
}

// CropNearWhiteFrame reproduces NFIQ 2's first step: whole rows are removed
// from the top and then the bottom while their mean exceeds 250, then whole
// columns (means over the full image height) from the left and the right.
// It returns the cropped image (a copy, bounds starting at 0,0) and the
// rectangle kept, relative to img's bounds. It fails with ErrEmpty when all
// rows are near-white, and with a *SizeError wrapping ErrTooLarge when the
// result is wider than 800 or taller than 1000 pixels, as NFIQ 2 does.
func CropNearWhiteFrame(img *image.Gray) (*image.Gray, image.Rectangle, error) {
	if img == nil || img.Rect.Empty() {
		return nil, image.Rectangle{}, ErrEmpty
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	rowMean := func(y int) float64 {
		var s int64
		for _, v := range img.Pix[y*img.Stride : y*img.Stride+w] {
			s += int64(v)
		}
		return float64(s) / float64(w)
	}
	colMean := func(x int) float64 {
		var s int64
		for y := 0; y < h; y++ {
			s += int64(img.Pix[y*img.Stride+x])
		}
		return float64(s) / float64(h)
	}
	top := 0
	for top < h && rowMean(top) > nearWhiteThreshold {
		top++
	}
	if top == h {
		return nil, image.Rectangle{}, ErrEmpty
	}
	bottom := h - 1
	for bottom > top && rowMean(bottom) > nearWhiteThreshold {
		bottom--
	}
	left := 0
	for left < w && colMean(left) > nearWhiteThreshold {
		left++
	}
	if left == w {
		return nil, image.Rectangle{}, ErrEmpty
	}
	right := w - 1
	for right > left && colMean(right) > nearWhiteThreshold {
		right--
	}
	r := image.Rect(left, top, right+1, bottom+1)
	if r.Dx() > nfiq2MaxWidth {
		return nil, r, &SizeError{Width: r.Dx(), Height: r.Dy(), Limit: nfiq2MaxWidth, Err: ErrTooLarge}
	}
	if r.Dy() > nfiq2MaxHeight {
		return nil, r, &SizeError{Width: r.Dx(), Height: r.Dy(), Limit: nfiq2MaxHeight, Err: ErrTooLarge}
	}
	out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		copy(out.Pix[y*out.Stride:y*out.Stride+r.Dx()], img.Pix[(top+y)*img.Stride+left:])
	}
	return out, r, nil
}
