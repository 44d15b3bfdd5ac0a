package minutiae

// The extractor: FingerJetFX OSE's minutiae extraction as NFIQ 2 runs it,
// in the same integer arithmetic, stage by stage. It is written from the
// project's prose description of the algorithm (FingerJetFX OSE at the
// commit NFIQ 2 v2.3.0 pins); the section numbers in the comments (§1 …
// §9) refer to that description's stages.

// FingerJetFX's fixed parameters.
const (
	fjWinW        = 256   // working buffer width, 333 ppi pixels
	fjWinH        = 400   // working buffer height
	fjOriBlock    = 4     // orientation block side
	fjOriThr      = 50000 // oct_sign threshold of the raw block vectors
	fjSmoothThr   = 128   // oct_sign threshold of the first smoothing pass
	fjFiller      = 127   // phase-map value of invalid pixels
	fjCornerT     = 1328  // eigenvalue threshold of the phase-map tensor
	fjConfMin     = 80    // confirmation threshold
	fjMaxMinutiae = 255   // top-N capacity under NFIQ 2
	fjResolution  = 500   // input resolution, ppi
	fjUnits       = 635   // internal output units per inch ÷ (R/500): 127·5
	fjMinMinutiae = 6     // FingerJetFX refuses a list shorter than this
)

// fjWork is the state of one extraction: the 333 ppi plane, which is
// enhanced and then replaced by the phase map, the orientation map and
// the footprint.
type fjWork struct {
	w, h   int     // plane size
	ow, oh int     // block grid
	img    []uint8 // plane: resampled, then enhanced, then the phase map
	ore    []int8  // orientation (cos, sin) per block, 0 outside
	oim    []int8
	fp     []bool // footprint per block
}

// fjRaw is an extraction's outcome in the extractor's terms.
type fjRaw struct {
	list  []fjMinutia // best first, at most fjMaxMinutiae
	cells int         // footprint cells of the 32×50 grid (§9)
	xOffs int         // working-plane offsets of the output transform (§1, §9)
	yOffs int
}

// fjExtract runs the extractor on a w×h 8-bit 500 ppi image (row-major
// with the given stride), its working plane limited to limW×limH pixels
// (FingerJetFX: 256×400, the image being centred on it when larger).
func fjExtract(pix []uint8, stride, w, h, limW, limH, maxN int) fjRaw {
	W, H := w/6*4, h/6*4
	raw := fjRaw{xOffs: 1, yOffs: 6}
	x0, y0 := 0, 0
	if H > limH {
		y0 = (h - limH*3/2) / 2
		raw.yOffs += (H - limH) / 2
		H = limH
	}
	if W > limW {
		x0 = (w - limW*3/2) / 2
		raw.xOffs += (W - limW) / 2
		W = limW
	}
	if W < 8*fjOriBlock || H < 8*fjOriBlock {
		return raw
	}
	p := &fjWork{w: W, h: H, ow: W / fjOriBlock, oh: H / fjOriBlock}
	p.img = fjResample(pix, stride, x0, y0, W, H)

	// §2: footprint from the plane as resampled.
	fp := make([]bool, p.ow*p.oh)
	fjRawOrimap(p.img, W, H, nil, nil, fp)
	fp = majority(fp, p.ow, p.oh, 1, 3)
	fp = majority(fp, p.ow, p.oh, 2, 11)
	fp = majority(fp, p.ow, p.oh, 2, 11)
	fillRuns(fp, p.ow, p.oh)
	fp = majority(fp, p.ow, p.oh, 2, 14)
	fp = majority(fp, p.ow, p.oh, 2, 14)
	p.fp = fp
	raw.cells = p.footprintCells()
	if !anyTrue(fp) {
		return raw
	}

	// §3–§4: enhancement, orientation of the enhanced plane, smoothing.
	p.img = fjEnhance(p.img, W, H)
	p.ore = make([]int8, p.ow*p.oh)
	p.oim = make([]int8, p.ow*p.oh)
	fjRawOrimap(p.img, W, H, p.ore, p.oim, nil)
	p.smoothOrientation()

	// §5–§9.
	p.phaseMap()
	list := p.detect()
	fjSortTop(list)
	if maxN > 0 && len(list) > maxN {
		list = list[:maxN]
	}
	raw.list = list
	return raw
}

func anyTrue(b []bool) bool {
	for _, v := range b {
		if v {
			return true
		}
	}
	return false
}

// tailAt is the byte at linear index k ≥ w·h. FingerJetFX keeps its
// orientation map, as (cos, sin) int8 pairs, right after the plane in its
// working buffer, and a few of its reads run past the plane's end into
// it; they are reproduced. Further bytes read as 0.
func (p *fjWork) tailAt(k int) uint8 {
	j := k - p.w*p.h
	b := j / 2
	if j < 0 || b >= len(p.ore) {
		return 0
	}
	if j%2 == 0 {
		return uint8(p.ore[b])
	}
	return uint8(p.oim[b])
}

// fjResample is §1: the 3→2 reduction of the window starting at input
// pixel (x0, y0) into a W×H plane, truncating (white 255 becomes 251).
func fjResample(pix []uint8, stride, x0, y0, W, H int) []uint8 {
	out := make([]uint8, W*H)
	for j := 0; j < H/2; j++ {
		r0 := pix[(y0+3*j)*stride+x0:]
		r1 := pix[(y0+3*j+1)*stride+x0:]
		r2 := pix[(y0+3*j+2)*stride+x0:]
		o0 := out[2*j*W : 2*j*W+W]
		o1 := out[(2*j+1)*W : (2*j+1)*W+W]
		for i := 0; i < W/2; i++ {
			c := 3 * i
			i00, i01, i02 := int(r0[c]), int(r0[c+1]), int(r0[c+2])
			i10, i11, i12 := int(r1[c]), int(r1[c+1]), int(r1[c+2])
			i20, i21, i22 := int(r2[c]), int(r2[c+1]), int(r2[c+2])
			o0[2*i] = uint8((4*i00 + 2*i01 + 2*i10 + i11) * 28 >> 8)
			o0[2*i+1] = uint8((4*i02 + 2*i01 + 2*i12 + i11) * 28 >> 8)
			o1[2*i] = uint8((4*i20 + 2*i21 + 2*i10 + i11) * 28 >> 8)
			o1[2*i+1] = uint8((4*i22 + 2*i21 + 2*i12 + i11) * 28 >> 8)
		}
	}
	return out
}

// fjRawOrimap is §2a: the raster-linear cascade of box sums and
// differences (int16, wrapping as FingerJetFX's does), the product
// Z = G20·(G21, G22) summed per 4×4 block (int32), delayed by one block and
// octagon-normalised at threshold 50000. With fp non-nil it sets the raw
// footprint (block vector non-zero); with re, im non-nil it stores the
// block vectors. The last block row stays zero.
func fjRawOrimap(img []uint8, W, H int, re, im []int8, fp []bool) {
	ow, oh := W/fjOriBlock, H/fjOriBlock
	steps := (oh - 1) * fjOriBlock * W
	if steps <= 0 {
		return
	}
	// Histories of the delayed quantities, in rings indexed by step
	// modulo a power of two above the longest delay (W+1); a value d
	// steps back before the start is the stated initial value.
	ring := 1
	for ring < W+2 {
		ring <<= 1
	}
	mask := ring - 1
	hist := make([]int16, 6*ring)
	cur, aa, bb := hist[:ring], hist[ring:2*ring], hist[2*ring:3*ring]
	cc, v10, v11 := hist[3*ring:4*ring], hist[4*ring:5*ring], hist[5*ring:]
	// The slots that steps −(W+1) … −1 map to hold each quantity's
	// initial value; no step n < ring overwrites them before step n+W+1
	// (ring ≥ W+2), so a delayed read needs no test.
	for _, h := range [...]struct {
		s    []int16
		init int16
	}{{cur, 510}, {aa, 1275}, {bb, 2550}, {cc, 6375}, {v10, 0}, {v11, 0}} {
		for k := ring - (W + 1); k < ring; k++ {
			h.s[k] = h.init
		}
	}
	back := func(s []int16, n, d int) int16 { return s[(n-d)&mask] }
	var prevI int16
	prevSum := int16(12750)
	var prevDiff, prevS2, prevM2, prevD int16

	accRe := make([]int32, ow)
	accIm := make([]int32, ow)
	var delRe, delIm int32 // one-block delay, never reset
	n := 0
	base := 2*W + 6
	for by := 0; by < oh-1; by++ {
		clear(accRe)
		clear(accIm)
		for r := 0; r < fjOriBlock; r++ {
			for c := 0; c < W; c++ {
				P := base + n
				ip := int16(img[P])
				cu := ip + int16(img[P+W-1])
				cur[n&mask] = cu
				a := back(cur, n, W+1) + cu + prevI
				prevI = ip
				aa[n&mask] = a
				b := back(aa, n, W+1) + a
				bb[n&mask] = b
				ci := back(bb, n, W-1) + b + back(aa, n, W)
				cc[n&mask] = ci
				cx := back(cc, n, W)
				s := cx + ci
				x10 := prevSum - s
				prevSum = s
				m := cx - ci
				x11 := prevDiff + m
				prevDiff = m
				v10[n&mask], v11[n&mask] = x10, x11
				x10x := back(v10, n, W)
				s2 := x10x + x10
				v20 := prevS2 - s2
				prevS2 = s2
				m2 := x10x - x10
				v21 := prevM2 + m2
				prevM2 = m2
				d := back(v11, n, W) - x11
				v22 := prevD + d
				prevD = d
				g20 := int32(v20) + int32(v22)
				g21 := int32(v20) - int32(v22)
				g22 := 2 * int32(v21)
				accRe[c>>2] += g20 * g21
				accIm[c>>2] += g20 * g22
				n++
			}
		}
		for bx := 0; bx < ow; bx++ {
			sr, si := delRe, delIm
			delRe, delIm = accRe[bx], accIm[bx]
			a, b := fjOctSign(int64(sr), int64(si), fjOriThr)
			k := by*ow + bx
			if fp != nil {
				fp[k] = a != 0 || b != 0
			}
			if re != nil {
				re[k], im[k] = a, b
			}
		}
	}
}

// fjTri9 is the separable triangular 9×9 sum (weights 1 2 3 4 5 4 3 2 1 per
// axis) of a field on the ow×oh grid, zero outside.
func fjTri9(v []int64, ow, oh int) []int64 {
	wt := [9]int64{1, 2, 3, 4, 5, 4, 3, 2, 1}
	t := make([]int64, len(v))
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			var s int64
			for d := max(-4, -x); d <= 4 && x+d < ow; d++ {
				s += wt[d+4] * v[y*ow+x+d]
			}
			t[y*ow+x] = s
		}
	}
	o := make([]int64, len(v))
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			var s int64
			for d := max(-4, -y); d <= 4 && y+d < oh; d++ {
				s += wt[d+4] * t[(y+d)*ow+x]
			}
			o[y*ow+x] = s
		}
	}
	return o
}

// smoothOrientation is §4's two smoothing passes; afterwards ore, oim hold
// the (cos, sin) pair of each footprint block's ridge-normal angle (128
// levels over a half turn) and (0, 0) outside the footprint.
func (p *fjWork) smoothOrientation() {
	vr := make([]int64, len(p.ore))
	vi := make([]int64, len(p.oim))
	for i := range p.ore {
		vr[i], vi[i] = int64(p.ore[i]), int64(p.oim[i])
	}
	sr, si := fjTri9(vr, p.ow, p.oh), fjTri9(vi, p.ow, p.oh)
	for i := range vr {
		vr[i], vi[i] = 0, 0
		if p.fp[i] {
			a, b := fjOctSign(sr[i], si[i], fjSmoothThr)
			vr[i], vi[i] = int64(a), int64(b)
		}
	}
	sr, si = fjTri9(vr, p.ow, p.oh), fjTri9(vi, p.ow, p.oh)
	for i := range p.ore {
		p.ore[i], p.oim[i] = 0, 0
		if p.fp[i] {
			a := fjAtan2(sr[i], si[i]) / 2
			p.ore[i], p.oim[i] = int8(fjCos8(a)), int8(fjSin8(a))
		}
	}
}

// footprintCells counts the cells of the 32×50 grid that FingerJetFX
// records as footprint (§9): cell (x, y) takes the block at
// rnd_2((8x·500 + 250)/635), likewise for y.
func (p *fjWork) footprintCells() int {
	n := 0
	for y := 0; y < fpCellsY; y++ {
		yi := int(fjRnd(int64((fpCellUnits*y*fjResolution+fjResolution/2)/fjUnits), 2))
		if yi >= p.oh {
			break
		}
		for x := 0; x < fpCellsX; x++ {
			xi := int(fjRnd(int64((fpCellUnits*x*fjResolution+fjResolution/2)/fjUnits), 2))
			if xi >= p.ow {
				break
			}
			if p.fp[yi*p.ow+xi] {
				n++
			}
		}
	}
	return n
}
