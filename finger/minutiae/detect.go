package minutiae

import (
	"math"
	"sort"
)

// fjMinutia is one confirmed minutia in phase-map coordinates, before
// the output transform.
type fjMinutia struct {
	x, y  int
	theta uint8 // internal convention: ridge normal of §7, refined by §8
	conf  int
	typ   Type
}

// inFootprint is §6's footprint test of a phase-map position: inside the
// plane with a one-pixel margin and its four diagonal neighbours valid.
func (p *fjWork) inFootprint(x, y int) bool {
	W, H, pm := p.w, p.h, p.img
	if x < 1 || y < 1 || x+1 >= W || (x+1)+(y+1)*W >= W*H {
		return false
	}
	return pm[(y-1)*W+x-1] != fjFiller && pm[(y-1)*W+x+1] != fjFiller &&
		pm[(y+1)*W+x-1] != fjFiller && pm[(y+1)*W+x+1] != fjFiller
}

// fjDetect is §6–§8: candidates where both eigenvalues of the phase map's
// gradient tensor exceed the threshold, one per 3×3 tile when it is the
// maximum of its 5×5 window, inside the footprint, confirmed by the minutia
// filter bank at two steering angles, with the direction refined along the
// ridge. The result is unordered.
func (p *fjWork) detect() []fjMinutia {
	W, H, pm := p.w, p.h, p.img
	LH := H + 13 // loop rows
	n := W * LH
	// One raster pass over the loop rows: the gradient products of the
	// phase map at PM (x, y+3), smoothed by [1 2 1] vertically (rows y,
	// y−1, y−2) and horizontally (raster-linear, the delays running on
	// across row ends), give the tensor centred on PM (x−1, y+2); its
	// corner strength goes to val (−1 past the last image row), and at
	// even positions its octagon-normalised doubled angle feeds the
	// direction sums.
	val := make([]int32, n)
	limit := (H - 1) * W
	var ring [3][3][]int32 // products of the last three loop rows: [row][xx, xy, yy]
	for i := range ring {
		for j := range ring[i] {
			ring[i][j] = make([]int32, W)
		}
	}
	var v1, v2 [3]int32 // vertical sums one and two samples back

	hw := W / 2
	dirAt := make([][]uint8, LH) // direction per even column after even loop row y
	s1r := make([]int64, hw)
	s1i := make([]int64, hw)
	preR := make([]int64, hw+1)
	preI := make([]int64, hw+1)
	var histR, histI [13][]int64 // the last 13 even rows' vectors
	for i := range histR {
		histR[i], histI[i] = make([]int64, hw), make([]int64, hw)
	}
	for y := 0; y < LH; y++ {
		cur, r1, r2 := &ring[y%3], &ring[(y+2)%3], &ring[(y+1)%3]
		for x := 0; x < W; x++ {
			p := y*W + x + 3*W
			if p >= limit {
				cur[0][x], cur[1][x], cur[2][x] = 0, 0, 0
				continue
			}
			gx := int32(pm[p+1]) - int32(pm[p-1])
			gy := int32(pm[p+W]) - int32(pm[p-W])
			cur[0][x], cur[1][x], cur[2][x] = gx*gx, gx*gy, gy*gy
		}
		even := y%2 == 0
		var dr, di []int64
		if even {
			h := (y / 2) % 13
			dr, di = histR[h], histI[h]
			for kx := range hw { // the row leaving the 13-row window
				s1r[kx] -= dr[kx]
				s1i[kx] -= di[kx]
			}
		}
		row := val[y*W : (y+1)*W]
		c0, c1, c2 := cur[0][:W], cur[1][:W], cur[2][:W]
		p0, p1, p2 := r1[0][:W], r1[1][:W], r1[2][:W]
		q0, q1, q2 := r2[0][:W], r2[1][:W], r2[2][:W]
		for x := 0; x < W; x++ {
			var t [3]int64
			va := c0[x] + 2*p0[x] + q0[x]
			vb := c1[x] + 2*p1[x] + q1[x]
			vc := c2[x] + 2*p2[x] + q2[x]
			ha, hb, hc := va+2*v1[0]+v2[0], vb+2*v1[1]+v2[1], vc+2*v1[2]+v2[2]
			v2[0], v1[0] = v1[0], va
			v2[1], v1[1] = v1[1], vb
			v2[2], v1[2] = v1[2], vc
			t[0], t[1], t[2] = int64((ha+16)>>5), int64((hb+16)>>5), int64((hc+16)>>5)
			if even && x%2 == 0 {
				a, b := fjOctSign(t[0]-t[2], 2*t[1], 0)
				kx := x / 2
				dr[kx], di[kx] = int64(a), int64(b)
				s1r[kx] += int64(a)
				s1i[kx] += int64(b)
			}
			if y*W+x+3*W >= limit {
				row[x] = -1
				continue
			}
			b2 := (fjCornerT-t[0])*(fjCornerT-t[2]) - t[1]*t[1]
			if t[0]+t[2] > 2*fjCornerT && b2 > 0 {
				row[x] = int32(b2)
			}
		}
		if even {
			// Sums over the 13 columns kx−6 … kx+6 (clipped), from
			// prefix sums.
			for j := range hw {
				preR[j+1] = preR[j] + s1r[j]
				preI[j+1] = preI[j] + s1i[j]
			}
			d := make([]uint8, hw)
			for kx := 0; kx < hw; kx++ {
				lo, hi := max(kx-6, 0), min(kx+6, hw-1)+1
				d[kx] = fjAtan2(preR[hi]-preR[lo], preI[hi]-preI[lo]) / 2
			}
			dirAt[y] = d
		}
	}

	var out []fjMinutia
	for y := 6; y < LH; y += 3 {
		for x := 6; x < W; x += 3 {
			i, j := y-4, x-4
			mi, mj := -1, -1
			var best int32
			neg := false
			for r := i; r < i+3 && !neg; r++ {
				for c := j; c < j+3; c++ {
					v := val[r*W+c]
					if v < 0 {
						neg = true
						break
					}
					if mi < 0 || v > best {
						best, mi, mj = v, r, c
					}
				}
			}
			if neg || best <= 0 {
				continue
			}
			ok := true
			for r := mi - 2; r <= mi+2 && ok; r++ {
				for c := mj - 2; c <= mj+2; c++ {
					if r >= i && r < i+3 && c >= j && c < j+3 {
						continue
					}
					if v := val[r*W+c]; v < 0 || v > best {
						ok = false
						break
					}
				}
			}
			if !ok || mj+4 >= W {
				continue
			}
			xp, yp := mj-1, mi+2
			if !p.inFootprint(xp, yp) {
				continue
			}
			// Acted on at loop row mi+13: the latest even row before it.
			ly := mi + 13
			ey := ly - 1
			if ly%2 == 0 {
				ey = ly - 2
			}
			d := dirAt[ey][mj/2]
			if m, ok := p.confirm(xp, yp, d); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// Minutia filter bank (§7): 17-tap filters, t0…t8 for offsets 0, ±1 … ±8.
var (
	fjCV1 = [9]int32{50, 48, 41, 32, 23, 14, 8, 4, 2}
	fjCV2 = [9]int32{0, 48, 82, 96, 90, 72, 50, 30, 16} // antisymmetric
	fjCH1 = [5][9]int32{
		{0, 55, -53, -61, 74, 3, -28, 7, 3},
		{0, 42, 0, -83, 3, 63, -1, -25, 1},
		{0, 29, 25, -50, -58, 22, 51, 5, -24},
		{-2, 16, 28, -14, -60, -41, 18, 41, 13},
		{0, 13, 28, 13, -27, -50, -29, 14, 38},
	}
	fjCH2 = [5][9]int32{
		{52, -14, -32, 22, 6, -9, 1, 1, 0},
		{44, 0, -36, 1, 19, 0, -7, 0, 2},
		{37, 9, -28, -18, 12, 14, -1, -6, -1},
		{31, 13, -17, -24, -5, 13, 11, 0, -5},
		{26, 15, -7, -21, -16, 0, 11, 10, 3},
	}
)

// fjBankResult is one evaluation of the bank at one steering angle.
type fjBankResult struct {
	conf, mirror int64
	fromD        bool
	positive     bool
}

// fjBank samples the 19×19 patch around (xp, yp) steered by (c, s) and
// returns the best weighted response of the bank.
func (p *fjWork) bank(xp, yp, c, s int) fjBankResult {
	var patch [19][19]int64
	bx := uint64(int64(128*xp - 9*(c-s)))
	byy := uint64(int64(128*yp - 9*(s+c)))
	if p.patchInside(bx, byy, c, s) {
		p.patchInterior(&patch, bx, byy, c, s)
	} else {
		p.patchGeneral(&patch, bx, byy, c, s)
	}
	return bankFilters(&patch)
}

// patchInside reports whether every sample of the 19×19 patch of bank
// (origin bx, by, steering c, s) and its right, lower and lower-right
// neighbours lie inside the plane. The sample positions are affine in
// the grid indices, so the four corners of the grid bound them.
func (p *fjWork) patchInside(bx, by uint64, c, s int) bool {
	for _, r := range [2]int{0, 18} {
		for _, k := range [2]int{0, 18} {
			X := int64(bx + uint64(int64(k*c-r*s)))
			Y := int64(by + uint64(int64(k*s+r*c)))
			if X < 0 || Y < 0 || X>>7 > int64(p.w-2) || Y>>7 > int64(p.h-2) {
				return false
			}
		}
	}
	return true
}

// patchInterior is patchGeneral for a patch that patchInside accepts:
// every sample and its three neighbours lie in the plane, so there is no
// filler and no read past its end, and the bilinear sum is factored
// (exact integer arithmetic, the same value).
func (p *fjWork) patchInterior(patch *[19][19]int64, bx, byy uint64, c, s int) {
	W, pm := p.w, p.img
	for r := 0; r < 19; r++ {
		for k := 0; k < 19; k++ {
			X := bx + uint64(int64(k*c-r*s))
			Y := byy + uint64(int64(k*s+r*c))
			fx, fy := int64(X&127), int64(Y&127)
			i := int(Y>>7)*W + int(X>>7)
			q := pm[i : i+W+2 : i+W+2]
			top := int64(q[0])*(128-fx) + int64(q[1])*fx
			bot := int64(q[W])*(128-fx) + int64(q[W+1])*fx
			patch[r][k] = fjRnd(top*(128-fy)+bot*fy, 14)
		}
	}
}

// patchGeneral samples bank's patch anywhere: outside the plane the
// filler, and past the plane's end the bytes that follow it (tailAt).
func (p *fjWork) patchGeneral(patch *[19][19]int64, bx, byy uint64, c, s int) {
	W, H, pm := p.w, p.h, p.img
	n := W * H
	px := func(k int) int64 {
		if k < n {
			return int64(pm[k])
		}
		return int64(p.tailAt(k))
	}
	for r := 0; r < 19; r++ {
		for k := 0; k < 19; k++ {
			X := bx + uint64(int64(k*c-r*s))
			Y := byy + uint64(int64(k*s+r*c))
			x0, y0 := X>>7, Y>>7
			if y0 > uint64(H-1) || x0 > uint64(W-1) {
				patch[r][k] = fjFiller
				continue
			}
			fx, fy := int64(X&127), int64(Y&127)
			i := int(y0)*W + int(x0)
			v := px(i)*(128-fx)*(128-fy) + px(i+1)*fx*(128-fy) + px(i+W)*(128-fx)*fy + px(i+W+1)*fx*fy
			patch[r][k] = fjRnd(v, 14)
		}
	}
}

// bankFilters applies the minutia filter bank to the sampled patch: the
// vertical filters fjCV1, fjCV2 (their taps written out as constants,
// TestBankFiltersMatchTables) at rows 8…10 of every column, then the
// horizontal filters fjCH1, fjCH2 of the five scales at columns 8…10,
// sharing the sums of each pair of columns between the scales. Integer
// sums, so the grouping does not change them.
func bankFilters(patch *[19][19]int64) fjBankResult {
	var v1, v2 [3][19]int64
	for rho := 0; rho < 3; rho++ {
		cr := rho + 8
		for k := 0; k < 19; k++ {
			c := patch[cr][k]
			u1, d1 := patch[cr-1][k], patch[cr+1][k]
			u2, d2 := patch[cr-2][k], patch[cr+2][k]
			u3, d3 := patch[cr-3][k], patch[cr+3][k]
			u4, d4 := patch[cr-4][k], patch[cr+4][k]
			u5, d5 := patch[cr-5][k], patch[cr+5][k]
			u6, d6 := patch[cr-6][k], patch[cr+6][k]
			u7, d7 := patch[cr-7][k], patch[cr+7][k]
			u8, d8 := patch[cr-8][k], patch[cr+8][k]
			v1[rho][k] = 50*c + 48*(d1+u1) + 41*(d2+u2) + 32*(d3+u3) + 23*(d4+u4) +
				14*(d5+u5) + 8*(d6+u6) + 4*(d7+u7) + 2*(d8+u8)
			v2[rho][k] = 48*(d1-u1) + 82*(d2-u2) + 96*(d3-u3) + 90*(d4-u4) +
				72*(d5-u5) + 50*(d6-u6) + 30*(d7-u7) + 16*(d8-u8)
		}
	}
	var R1, R2 [45]int64
	for rho := 0; rho < 3; rho++ {
		r1, r2 := &v1[rho], &v2[rho]
		for kap := 0; kap < 3; kap++ {
			cc := kap + 8
			var p1, p2 [9]int64 // p[0]: the centre; p[t]: columns cc ± t
			p1[0], p2[0] = r1[cc], r2[cc]
			for t := 1; t <= 8; t++ {
				p1[t], p2[t] = r1[cc+t]+r1[cc-t], r2[cc+t]+r2[cc-t]
			}
			for sc := 0; sc < 5; sc++ {
				h1, h2 := &fjCH1[sc], &fjCH2[sc]
				a := int64(h1[0])*p1[0] + int64(h1[1])*p1[1] + int64(h1[2])*p1[2] + int64(h1[3])*p1[3] +
					int64(h1[4])*p1[4] + int64(h1[5])*p1[5] + int64(h1[6])*p1[6] + int64(h1[7])*p1[7] + int64(h1[8])*p1[8]
				b := int64(h2[0])*p2[0] + int64(h2[1])*p2[1] + int64(h2[2])*p2[2] + int64(h2[3])*p2[3] +
					int64(h2[4])*p2[4] + int64(h2[5])*p2[5] + int64(h2[6])*p2[6] + int64(h2[7])*p2[7] + int64(h2[8])*p2[8]
				idx := 15*rho + 5*kap + sc
				R1[idx], R2[idx] = a, b
			}
		}
	}
	var best, mirror, winner int64
	fromD := false
	for i := 0; i < 45; i++ {
		S, D := R1[i]+R2[i], R1[i]-R2[i]
		w := int64(16 - i/9)
		aS, aD := fjRnd(abs64(S)*w, 4), fjRnd(abs64(D)*w, 4)
		if aS > best {
			best, mirror, winner, fromD = aS, aD, S, false
		}
		if aD > best {
			best, mirror, winner, fromD = aD, aS, D, true
		}
	}
	return fjBankResult{conf: fjRnd(best, 17), mirror: fjRnd(mirror, 17), fromD: fromD, positive: winner > 0}
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// fjConfirm is §7 (two steering angles around d) and §8 (direction
// refinement) for the candidate at (xp, yp).
func (p *fjWork) confirm(xp, yp int, d uint8) (fjMinutia, bool) {
	var conf int64
	var a uint8
	var flag, rot180, accepted bool
	for _, a0 := range [2]uint8{d - 2, d + 2} {
		r := p.bank(xp, yp, fjCos8(a0), fjSin8(a0))
		if r.conf < fjConfMin || r.conf*102 < 256*r.mirror {
			continue
		}
		accepted = true
		rot180 = r.fromD
		if r.conf > conf {
			conf, a, flag = r.conf, a0, r.positive
		}
	}
	if !accepted {
		return fjMinutia{}, false
	}
	if rot180 {
		a += 128
	}
	typ := Other
	if conf > 105 {
		if flag {
			typ = Ending
		} else {
			typ = Bifurcation
		}
	}
	if na, ok := p.adjustAngle(xp, yp, a, false); ok {
		a = na
	} else if na, ok := p.adjustAngle(xp, yp, a, true); ok {
		a = na
	}
	return fjMinutia{x: xp, y: yp, theta: a, conf: int(conf), typ: typ}, true
}

// fjOctSteps are the eight neighbour steps, 0 = up, clockwise.
var fjOctSteps = [8][2]int{{0, -1}, {1, -1}, {1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}}

type fjTracePoint struct {
	x, y, oct int
	v         int
}

// next steps to the darkest (mn) or brightest of the three cells ahead.
func (t fjTracePoint) next(p *fjWork, mn, relative bool) fjTracePoint {
	var best fjTracePoint
	for i, dk := range [3]int{-1, 0, 1} {
		k := (t.oct + dk) & 7
		x, y := t.x+fjOctSteps[k][0], t.y+fjOctSteps[k][1]
		v := p.at(x, y)
		if i == 0 || (mn && v <= best.v) || (!mn && v >= best.v) {
			oct := t.oct
			if relative {
				oct = k
			}
			best = fjTracePoint{x: x, y: y, oct: oct, v: v}
		}
	}
	return best
}

// fjPMAt reads the phase map, 127 outside the plane.
func (p *fjWork) at(x, y int) int {
	if x < 0 || y < 0 || x >= p.w || y >= p.h {
		return fjFiller
	}
	return int(p.img[y*p.w+x])
}

// fjAdjustAngle is §8: follows the ridge or valley leaving the minutia and
// returns the direction of its chord when it runs far enough.
func (p *fjWork) adjustAngle(xp, yp int, a uint8, relative bool) (uint8, bool) {
	start := fjTracePoint{x: xp, y: yp, oct: int(a >> 5), v: p.at(xp, yp)}
	cur := start.next(p, false, relative)
	p2 := start.next(p, true, relative)
	mn := (255 - p2.v) > cur.v
	if mn {
		cur = p2
	}
	d0 := 0
	for it := 0; it < 20; it++ {
		cur = cur.next(p, mn, relative)
		if mn == (cur.v >= 128) {
			break
		}
		if !p.inFootprint(cur.x, cur.y) {
			break
		}
		dx, dy := cur.x-start.x, cur.y-start.y
		d := dx*dx + dy*dy
		if d <= d0 {
			break
		}
		d0 = d
		if d > 400 {
			break
		}
		if it == 0 {
			p2 = cur
		}
	}
	if d0 < 196 {
		return a, false
	}
	return fjAtan2(-int64(cur.y-p2.y), int64(cur.x-p2.x)), true
}

// fjSortTop orders minutiae as FingerJetFX's top-N list: higher confidence
// first, then smaller y, smaller x, smaller angle.
func fjSortTop(ms []fjMinutia) {
	sort.Slice(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if a.conf != b.conf {
			return a.conf > b.conf
		}
		if a.y != b.y {
			return a.y < b.y
		}
		if a.x != b.x {
			return a.x < b.x
		}
		return a.theta < b.theta
	})
}

// fjOutput is §9's output transform to input-image pixels and the
// counter-clockwise angle; quality is min((conf+1)/2, 100).
func fjOutput(m fjMinutia, xOffs, yOffs int) Minutia {
	theta := uint8(64 - int(m.theta))
	x := int(int16(m.x * fjUnits / fjResolution))
	y := int(int16(m.y * fjUnits / fjResolution))
	x += int(int16(xOffs * fjUnits / fjResolution))
	y += int(int16(yOffs * fjUnits / fjResolution))
	x = int(fjDivR(int64(x)*197, 167))
	y = int(fjDivR(int64(y)*197, 167))
	return Minutia{
		X: x, Y: y,
		Angle:   float64(theta) * 2 * math.Pi / 256,
		Type:    m.typ,
		Quality: min((m.conf+1)/2, 100),
	}
}
