package minutiae

import (
	"math"
	"sort"
)

// Parameters of the phase-map detector, after FingerJetFX OSE (see doc.go).
// Lengths are in pixels of the 333 ppi working plane (2/3 of 500 ppi).
const (
	phBlock       = 4                 // orientation and footprint block side
	phMaskAbs     = 80.0              // footprint: coherent gradient energy per pixel, grey levels² (calibrated)
	phFFTSide     = 32                // side of the enhancement blocks
	phFFTStep     = 17                // spacing of the enhancement blocks
	phBandLo2     = 6                 // band-pass: squared frequency radius kept above this …
	phBandHi2     = 169               // … and below this (cycles per block)
	phGainScale   = 8192.0            // spectral emphasis F·(1+|F|/phGainScale), F the plain DFT (calibrated)
	phRangeFloor  = 16                // enhancement: smallest block range stretched to full scale
	phSteerBins   = 64                // quantised steering angles of the quadrature pair
	phQuadScale   = 1.483             // pixel length of the unit of the G2/H2 pair (σ ≈ 1.05 px)
	phLevels      = 16                // grey levels of the phase map
	phFiller      = 127               // phase-map value outside the footprint (never a level)
	phCornerT     = 1328              // eigenvalue threshold of the phase-map structure tensor
	phDirHalf     = 6                 // half-size, on the 2-px grid, of the direction window
	phTplHalf     = 8                 // template half-size (17×17)
	phTplSigma    = 3.1               // template Gaussian σ along the ridges
	phTplAcross   = 0.8               // template Gaussian σ across the ridges, × period
	phConfMin     = 0.36              // confidence threshold (ideal spiral-phase minutia = 1; calibrated)
	phIdealCentre = 0.875             // weighted response of an ideal minutia at the central offset
	phMirrorMax   = 0.4               // mirrored response at most this share of the best
	phAngleJitter = 2 * math.Pi / 128 // template steering offsets (± 2.8°)
	// FingerJetFX reports a minutia found at working-plane pixel (x, y)
	// at 500 ppi position 1.5·(x+1, y+2): its phase map is stored two rows
	// up, its offset correction adds (1, 6) less the filter delays. The
	// positions are reproduced, since NFIQ 2 measures them.
	phReportDX = 1
	phReportDY = 2
)

// phasePlane is the per-image state of the phase-map detector.
type phasePlane struct {
	w, h   int
	img    []float32 // 333 ppi grey levels
	bw, bh int       // block grid
	fp     []bool    // footprint per block
	phi    []float32 // ridge-normal angle per block, [0, π); NaN outside
	pm     []uint8   // phase map
}

// extractPhase runs the phase-map detector on a 500 ppi plane and returns
// minutiae in the plane's coordinates by decreasing confidence (ties in
// raster order), only the maxN most confident when maxN is positive
// (FingerJetFX's top-N), and the footprint's area as FingerJetFX reports
// it (see footprintCells).
func extractPhase(f []float32, w, h, maxN int) ([]Minutia, int) {
	g, gw, gh := resample23(f, w, h)
	if gw < 8*phBlock || gh < 8*phBlock {
		return nil, 0
	}
	p := &phasePlane{w: gw, h: gh, img: g, bw: gw / phBlock, bh: gh / phBlock}
	vx, vy, mag := p.blockTensors(p.img)
	if !p.footprint(mag) {
		return nil, 0
	}
	area := p.footprintCells()
	p.img = p.enhance(p.img)
	vx, vy, _ = p.blockTensors(p.img)
	p.smoothOrientation(vx, vy)
	p.phaseMap()
	cands := p.detect()
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].conf > cands[j].conf })
	if maxN > 0 && len(cands) > maxN {
		cands = cands[:maxN]
	}
	out := make([]Minutia, 0, len(cands))
	for _, c := range cands {
		out = append(out, Minutia{
			X:       min(int(1.5*(float64(c.x+phReportDX))), w-1),
			Y:       min(int(1.5*(float64(c.y+phReportDY))), h-1),
			Angle:   c.angle,
			Type:    c.typ,
			Quality: c.quality,
		})
	}
	return out, area
}

// resample23 reduces a 500 ppi plane to 333 ppi by area averaging each 3×3
// pixels into 2×2. The output width and height are multiples of 4.
func resample23(f []float32, w, h int) ([]float32, int, int) {
	ow, oh := w/6*4, h/6*4
	if ow <= 0 || oh <= 0 {
		return nil, 0, 0
	}
	tmp := make([]float32, ow*h)
	for y := 0; y < h; y++ {
		r := f[y*w : y*w+w]
		o := tmp[y*ow : y*ow+ow]
		for i := 0; i < ow; i += 2 {
			k := 3 * (i / 2)
			o[i] = (r[k] + 0.5*r[k+1]) / 1.5
			o[i+1] = (0.5*r[k+1] + r[k+2]) / 1.5
		}
	}
	out := make([]float32, ow*oh)
	for j := 0; j < oh; j += 2 {
		k := 3 * (j / 2)
		r0, r1, r2 := tmp[k*ow:k*ow+ow], tmp[(k+1)*ow:(k+1)*ow+ow], tmp[(k+2)*ow:(k+2)*ow+ow]
		o0, o1 := out[j*ow:j*ow+ow], out[(j+1)*ow:(j+1)*ow+ow]
		for x := 0; x < ow; x++ {
			o0[x] = (r0[x] + 0.5*r1[x]) / 1.5
			o1[x] = (0.5*r1[x] + r2[x]) / 1.5
		}
	}
	return out, ow, oh
}

// blockTensors returns, per block, the summed doubled-angle gradient vector
// (gxx−gyy, 2gxy) and its length per pixel.
func (p *phasePlane) blockTensors(img []float32) (vx, vy, mag []float64) {
	w, h := p.w, p.h
	nb := p.bw * p.bh
	vx = make([]float64, nb)
	vy = make([]float64, nb)
	mag = make([]float64, nb)
	for y := 1; y < p.bh*phBlock && y < h-1; y++ {
		by := y / phBlock
		for x := 1; x < p.bw*phBlock && x < w-1; x++ {
			k := y*w + x
			// Sobel-weighted central differences (halved).
			gx := float64((img[k-w+1]+2*img[k+1]+img[k+w+1])-(img[k-w-1]+2*img[k-1]+img[k+w-1])) / 8
			gy := float64((img[k+w-1]+2*img[k+w]+img[k+w+1])-(img[k-w-1]+2*img[k-w]+img[k-w+1])) / 8
			b := by*p.bw + x/phBlock
			vx[b] += gx*gx - gy*gy
			vy[b] += 2 * gx * gy
		}
	}
	for i := range mag {
		mag[i] = math.Hypot(vx[i], vy[i]) / (phBlock * phBlock)
	}
	return vx, vy, mag
}

// footprint thresholds the coherent gradient energy of the blocks with an
// absolute level, as FingerJetFX does (faint areas are not foreground),
// and cleans the mask with counting filters and hole filling.
func (p *phasePlane) footprint(mag []float64) bool {
	fp := make([]bool, len(mag))
	any := false
	for i, v := range mag {
		fp[i] = v > phMaskAbs
		any = any || fp[i]
	}
	if !any {
		return false
	}
	fp = majority(fp, p.bw, p.bh, 1, 3)
	fp = majority(fp, p.bw, p.bh, 2, 11)
	fp = majority(fp, p.bw, p.bh, 2, 11)
	fillRuns(fp, p.bw, p.bh)
	fp = majority(fp, p.bw, p.bh, 2, 14)
	fp = majority(fp, p.bw, p.bh, 2, 14)
	any = false
	for _, v := range fp {
		any = any || v
	}
	p.fp = fp
	return any
}

// smoothOrientation turns the block tensors into unit doubled-angle
// vectors, averages them twice over 5×5 blocks (normalising in between) and
// halves the angle.
func (p *phasePlane) smoothOrientation(vx, vy []float64) {
	nb := p.bw * p.bh
	ux := make([]float64, nb)
	uy := make([]float64, nb)
	for i := range ux {
		if r := math.Hypot(vx[i], vy[i]); r > 0 && p.fp[i] {
			ux[i], uy[i] = vx[i]/r, vy[i]/r
		}
	}
	ux, uy = boxBlocks(ux, uy, p.bw, p.bh, 2)
	for i := range ux {
		r := math.Hypot(ux[i], uy[i])
		if r < 1 || !p.fp[i] {
			ux[i], uy[i] = 0, 0
		} else {
			ux[i], uy[i] = ux[i]/r, uy[i]/r
		}
	}
	ux, uy = boxBlocks(ux, uy, p.bw, p.bh, 2)
	p.phi = make([]float32, nb)
	for i := range ux {
		if !p.fp[i] || (ux[i] == 0 && uy[i] == 0) {
			p.phi[i] = float32(math.NaN())
			continue
		}
		a := 0.5 * math.Atan2(uy[i], ux[i])
		if a < 0 {
			a += math.Pi
		}
		p.phi[i] = float32(a)
	}
}

// boxBlocks sums a vector field over (2r+1)² blocks.
func boxBlocks(ux, uy []float64, bw, bh, r int) ([]float64, []float64) {
	ox := make([]float64, len(ux))
	oy := make([]float64, len(uy))
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			var sx, sy float64
			for j := max(by-r, 0); j <= min(by+r, bh-1); j++ {
				for i := max(bx-r, 0); i <= min(bx+r, bw-1); i++ {
					sx += ux[j*bw+i]
					sy += uy[j*bw+i]
				}
			}
			ox[by*bw+bx], oy[by*bw+bx] = sx, sy
		}
	}
	return ox, oy
}
