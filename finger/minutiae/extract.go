package minutiae

import (
	"image"
	"math"
	"sort"
)

// Extract finds the minutiae of a 500 ppi 8-bit fingerprint image. Dark
// pixels are ridges. Positions are relative to img.Bounds().Min.
//
// It returns ErrEmpty for a nil or zero-sized image and a *SizeError
// wrapping ErrTooSmall when a side is below MinSide (after Options.PadTo).
// An image without fingerprint texture gives no minutiae and no error.
// The result is sorted by decreasing quality, then by position.
func Extract(img *image.Gray, opts *Options) ([]Minutia, error) {
	if img == nil || img.Rect.Empty() {
		return nil, ErrEmpty
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	ow, oh := img.Rect.Dx(), img.Rect.Dy()
	if ow*oh > MaxPixels {
		return nil, &SizeError{Width: ow, Height: oh, Limit: MaxPixels, Err: ErrTooLarge}
	}
	pw, ph := max(ow, o.PadTo.X), max(oh, o.PadTo.Y)
	if pw < MinSide || ph < MinSide {
		return nil, &SizeError{Width: pw, Height: ph, Limit: MinSide, Err: ErrTooSmall}
	}
	// Working window, centred in the padded image.
	ww, wh := pw, ph
	if o.Window.X > 0 {
		ww = min(ww, max(o.Window.X, MinSide))
	}
	if o.Window.Y > 0 {
		wh = min(wh, max(o.Window.Y, MinSide))
	}
	x0, y0 := (pw-ww)/2, (ph-wh)/2

	f := make([]float32, ww*wh)
	for y := 0; y < wh; y++ {
		sy := y + y0
		for x := 0; x < ww; x++ {
			sx := x + x0
			v := float32(255)
			if sx < ow && sy < oh {
				v = float32(img.Pix[sy*img.Stride+sx])
			}
			f[y*ww+x] = v
		}
	}

	ms := extractPlane(f, ww, wh)

	out := make([]Minutia, 0, len(ms))
	for _, m := range ms {
		m.X += x0
		m.Y += y0
		if m.X >= ow || m.Y >= oh || m.Quality < o.MinQuality {
			continue
		}
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Quality != b.Quality {
			return a.Quality > b.Quality
		}
		if a.Y != b.Y {
			return a.Y < b.Y
		}
		return a.X < b.X
	})
	if n := o.maxMinutiae(); n > 0 && len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// Parameters of the extractor. Lengths are in pixels at 500 ppi unless they
// are fractions of the local ridge period.
const (
	blk            = 8     // block side of the orientation, frequency and mask grids
	defaultPeriod  = 9.0   // typical inter-ridge distance at 500 ppi
	minPeriod      = 3     // shortest period accepted by the frequency estimate
	maxPeriod      = 22    // longest (1000 ppi images read as 500 ppi)
	orientBins     = 16    // quantised filter orientations over π
	sigmaAcross    = 0.45  // Gabor envelope σ across ridges, × period
	sigmaAlong     = 0.45  // Gabor envelope σ along ridges, × period
	kernelReach    = 1.8   // kernel radius in units of the larger σ
	maskRelThresh  = 0.05  // coherent energy threshold, × 95th percentile of blocks
	maskAbsThresh  = 150.0 // absolute floor of the coherent energy threshold
	borderBlocks   = 1     // erosion of the footprint before accepting minutiae
	spurLen        = 1.0   // ending joined to a bifurcation within this × period: spur
	shortRidgeLen  = 1.6   // ending joined to an ending within this: short ridge or island
	bridgeLen      = 0.9   // bifurcation joined to a bifurcation within this: bridge or lake
	clusterDist    = 0.7   // of two minutiae closer than this × period, the weaker is dropped
	minPrunePeriod = 7.0   // floor of the period that scales the rules above (see prunePeriod)
	directionReach = 1.0   // ridge length traced for the direction, × period
)

// plane holds the per-image working data.
type plane struct {
	w, h   int
	f      []float32 // grey levels
	bw, bh int       // block grid size
	// Per block: smoothed doubled-angle gradient vector (cos 2φ, sin 2φ)·r,
	// coherence, ridge period and masks.
	c2, s2   []float32
	coh      []float32
	period   []float32
	fg       []bool // footprint used for enhancement
	inner    []bool // eroded footprint where minutiae are accepted
	enh      []float32
	skel     []uint8
	enhScale float32 // median magnitude of the enhanced image in the footprint
}

func extractPlane(f []float32, w, h int) []Minutia {
	_, m := analyse(f, w, h)
	return m
}

// analyse runs the whole pipeline on a w×h plane of grey levels.
func analyse(f []float32, w, h int) (*plane, []Minutia) {
	p := &plane{w: w, h: h, f: f}
	p.bw, p.bh = (w+blk-1)/blk, (h+blk-1)/blk
	if !p.orientation() {
		return p, nil
	}
	p.frequency()
	p.enhance()
	p.skel = p.skeleton()
	return p, p.detect(p.skel)
}

// orientation computes block gradient tensors, the footprint and the
// smoothed orientation field. It reports false when there is no footprint.
func (p *plane) orientation() bool {
	w, h, f := p.w, p.h, p.f
	nb := p.bw * p.bh
	gxx := make([]float64, nb)
	gyy := make([]float64, nb)
	gxy := make([]float64, nb)
	cnt := make([]float64, nb)
	for y := 0; y < h; y++ {
		ym, yp := max(y-1, 0), min(y+1, h-1)
		rm, r0, rp := f[ym*w:ym*w+w], f[y*w:y*w+w], f[yp*w:yp*w+w]
		by := (y / blk) * p.bw
		for x := 0; x < w; x++ {
			xm, xp := max(x-1, 0), min(x+1, w-1)
			gx := float64((rm[xp] + 2*r0[xp] + rp[xp]) - (rm[xm] + 2*r0[xm] + rp[xm]))
			gy := float64((rp[xm] + 2*rp[x] + rp[xp]) - (rm[xm] + 2*rm[x] + rm[xp]))
			b := by + x/blk
			gxx[b] += gx * gx
			gyy[b] += gy * gy
			gxy[b] += gx * gy
			cnt[b]++
		}
	}
	// Coherent energy per block: |(gxx−gyy, 2gxy)| / n, averaged over 3×3
	// blocks, is the footprint criterion (ridge-like texture of any contrast
	// above the noise floor).
	ce := make([]float64, nb)
	for by := 0; by < p.bh; by++ {
		for bx := 0; bx < p.bw; bx++ {
			var a, b, c, n float64
			for j := max(by-1, 0); j <= min(by+1, p.bh-1); j++ {
				for i := max(bx-1, 0); i <= min(bx+1, p.bw-1); i++ {
					k := j*p.bw + i
					a += gxx[k]
					b += gyy[k]
					c += gxy[k]
					n += cnt[k]
				}
			}
			ce[by*p.bw+bx] = math.Hypot(a-b, 2*c) / n
		}
	}
	sorted := append([]float64(nil), ce...)
	sort.Float64s(sorted)
	thr := math.Max(maskRelThresh*sorted[int(0.95*float64(len(sorted)-1))], maskAbsThresh)
	fg := make([]bool, nb)
	found := false
	for i, v := range ce {
		fg[i] = v > thr
		found = found || fg[i]
	}
	if !found {
		return false
	}
	p.setMask(fg)

	// Orientation: Gaussian-weighted (σ = 1.5 blocks) average of the tensor
	// over 7×7 blocks, in the doubled-angle domain.
	p.c2 = make([]float32, nb)
	p.s2 = make([]float32, nb)
	p.coh = make([]float32, nb)
	const rad = 3
	var wt [2*rad + 1]float64
	for i := range wt {
		d := float64(i - rad)
		wt[i] = math.Exp(-d * d / (2 * 1.5 * 1.5))
	}
	for by := 0; by < p.bh; by++ {
		for bx := 0; bx < p.bw; bx++ {
			var a, b, c float64
			for j := -rad; j <= rad; j++ {
				yy := by + j
				if yy < 0 || yy >= p.bh {
					continue
				}
				for i := -rad; i <= rad; i++ {
					xx := bx + i
					if xx < 0 || xx >= p.bw {
						continue
					}
					k := yy*p.bw + xx
					ww := wt[i+rad] * wt[j+rad]
					a += ww * gxx[k]
					b += ww * gyy[k]
					c += ww * gxy[k]
				}
			}
			k := by*p.bw + bx
			r := math.Hypot(a-b, 2*c)
			if r > 0 {
				p.c2[k] = float32((a - b) / r)
				p.s2[k] = float32(2 * c / r)
			} else {
				p.c2[k] = 1
			}
			if a+b > 0 {
				p.coh[k] = float32(r / (a + b))
			}
		}
	}
	return true
}

// setMask cleans a raw block mask (majority filters, run filling) into
// the footprint p.fg and erodes it into p.inner.
func (p *plane) setMask(fg []bool) {
	fg = majority(fg, p.bw, p.bh, 1, 4)
	fg = majority(fg, p.bw, p.bh, 2, 12)
	fillRuns(fg, p.bw, p.bh)
	fg = majority(fg, p.bw, p.bh, 2, 14)
	p.fg = fg
	inner := fg
	for i := 0; i < borderBlocks; i++ {
		inner = erode(inner, p.bw, p.bh)
	}
	p.inner = inner
}

// majority keeps a block when more than need blocks of its (2r+1)² window
// (outside counts as background) are set.
func majority(m []bool, bw, bh, r, need int) []bool {
	out := make([]bool, len(m))
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			n := 0
			for j := max(by-r, 0); j <= min(by+r, bh-1); j++ {
				for i := max(bx-r, 0); i <= min(bx+r, bw-1); i++ {
					if m[j*bw+i] {
						n++
					}
				}
			}
			out[by*bw+bx] = n > need
		}
	}
	return out
}

// fillRuns sets every block between the first and last foreground block of
// each row, then of each column: a fingertip's footprint has no holes.
func fillRuns(m []bool, bw, bh int) {
	for y := 0; y < bh; y++ {
		a, b := -1, -1
		for x := 0; x < bw; x++ {
			if m[y*bw+x] {
				if a < 0 {
					a = x
				}
				b = x
			}
		}
		for x := a + 1; a >= 0 && x < b; x++ {
			m[y*bw+x] = true
		}
	}
	for x := 0; x < bw; x++ {
		a, b := -1, -1
		for y := 0; y < bh; y++ {
			if m[y*bw+x] {
				if a < 0 {
					a = y
				}
				b = y
			}
		}
		for y := a + 1; a >= 0 && y < b; y++ {
			m[y*bw+x] = true
		}
	}
}

// erode removes blocks with a 4-neighbour outside the mask or the image.
func erode(m []bool, bw, bh int) []bool {
	out := make([]bool, len(m))
	for by := 1; by < bh-1; by++ {
		for bx := 1; bx < bw-1; bx++ {
			k := by*bw + bx
			out[k] = m[k] && m[k-1] && m[k+1] && m[k-bw] && m[k+bw]
		}
	}
	return out
}

// orientAt returns the doubled-angle gradient direction (cos 2φ, sin 2φ)
// at pixel (x, y), bilinearly interpolated between block centres.
func (p *plane) orientAt(x, y float64) (float64, float64) {
	fx := x/blk - 0.5
	fy := y/blk - 0.5
	ix, iy := int(math.Floor(fx)), int(math.Floor(fy))
	ax, ay := fx-float64(ix), fy-float64(iy)
	var c, s float64
	for j := 0; j <= 1; j++ {
		for i := 0; i <= 1; i++ {
			bx := min(max(ix+i, 0), p.bw-1)
			by := min(max(iy+j, 0), p.bh-1)
			wx := ax
			if i == 0 {
				wx = 1 - ax
			}
			wy := ay
			if j == 0 {
				wy = 1 - ay
			}
			k := by*p.bw + bx
			c += wx * wy * float64(p.c2[k])
			s += wx * wy * float64(p.s2[k])
		}
	}
	return c, s
}

// gradAngle returns the gradient (ridge normal) angle φ ∈ [0, π) at a pixel.
func (p *plane) gradAngle(x, y float64) float64 {
	c, s := p.orientAt(x, y)
	a := 0.5 * math.Atan2(s, c)
	if a < 0 {
		a += math.Pi
	}
	return a
}

// sample returns the bilinearly interpolated grey level, clamped at edges.
func (p *plane) sample(x, y float64) float64 {
	if x < 0 {
		x = 0
	} else if x > float64(p.w-1) {
		x = float64(p.w - 1)
	}
	if y < 0 {
		y = 0
	} else if y > float64(p.h-1) {
		y = float64(p.h - 1)
	}
	ix, iy := int(x), int(y)
	ax, ay := x-float64(ix), y-float64(iy)
	ix1, iy1 := min(ix+1, p.w-1), min(iy+1, p.h-1)
	f := p.f
	v0 := float64(f[iy*p.w+ix])*(1-ax) + float64(f[iy*p.w+ix1])*ax
	v1 := float64(f[iy1*p.w+ix])*(1-ax) + float64(f[iy1*p.w+ix1])*ax
	return v0*(1-ay) + v1*ay
}

// frequency estimates the ridge period of every footprint block from the
// grey-level profile across the ridges, then fills and smooths the map.
func (p *plane) frequency() {
	nb := p.bw * p.bh
	per := make([]float32, nb)
	const half = 24 // profile half-length across ridges
	const along = 8 // half-width averaged along ridges
	var sig [2 * half]float64
	var valid []float64
	for by := 0; by < p.bh; by++ {
		for bx := 0; bx < p.bw; bx++ {
			k := by*p.bw + bx
			if !p.fg[k] {
				continue
			}
			cx, cy := float64(bx*blk)+blk/2, float64(by*blk)+blk/2
			phi := p.gradAngle(cx, cy)
			nx, ny := math.Cos(phi), math.Sin(phi)
			tx, ty := -ny, nx
			for i := range sig {
				d := float64(i - half)
				var s float64
				for j := -along; j <= along; j += 2 {
					s += p.sample(cx+d*nx+float64(j)*tx, cy+d*ny+float64(j)*ty)
				}
				sig[i] = s
			}
			if t := profilePeriod(sig[:]); t > 0 {
				per[k] = float32(t)
				valid = append(valid, t)
			}
		}
	}
	global := defaultPeriod
	if len(valid) > 0 {
		sort.Float64s(valid)
		global = valid[len(valid)/2]
	}
	// Fill each block with the median of valid periods in its 5×5
	// neighbourhood (itself included), else the global median.
	out := make([]float32, nb)
	var buf []float64
	for by := 0; by < p.bh; by++ {
		for bx := 0; bx < p.bw; bx++ {
			buf = buf[:0]
			for j := max(by-2, 0); j <= min(by+2, p.bh-1); j++ {
				for i := max(bx-2, 0); i <= min(bx+2, p.bw-1); i++ {
					if v := per[j*p.bw+i]; v > 0 {
						buf = append(buf, float64(v))
					}
				}
			}
			v := global
			if len(buf) >= 3 {
				sort.Float64s(buf)
				v = buf[len(buf)/2]
			}
			out[by*p.bw+bx] = float32(v)
		}
	}
	p.period = out
}

// profilePeriod returns the mean distance between the minima of a smoothed
// profile, or 0 when the profile shows no regular ridge pattern.
func profilePeriod(sig []float64) float64 {
	n := len(sig)
	sm := make([]float64, n)
	for i := range sig {
		a, b := max(i-1, 0), min(i+1, n-1)
		sm[i] = (sig[a] + 2*sig[i] + sig[b]) / 4
	}
	lo, hi := sm[0], sm[0]
	for _, v := range sm {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	if hi-lo < 1e-6 {
		return 0
	}
	var mins []int
	for i := 1; i < n-1; i++ {
		if sm[i] < sm[i-1] && sm[i] <= sm[i+1] {
			mins = append(mins, i)
		}
	}
	if len(mins) < 2 {
		return 0
	}
	t := float64(mins[len(mins)-1]-mins[0]) / float64(len(mins)-1)
	if t < minPeriod || t > maxPeriod {
		return 0
	}
	return t
}
