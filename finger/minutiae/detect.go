package minutiae

import "math"

// cand is a minutia candidate on the skeleton.
type cand struct {
	x, y    int
	i       int // pixel index
	typ     Type
	starts  []int // first pixel of each branch
	removed bool
	angle   float64
	quality int
}

// tracer walks the skeleton.
type tracer struct {
	s    []uint8
	cn   []int8 // crossing number of every skeleton pixel, -1 elsewhere
	w, h int
	path []int
}

// walk follows the ridge from pixel from into its neighbour start for at
// most maxLen pixels. It returns the pixels visited (start first; the
// slice is reused by the next call) and the crossing number of the last
// pixel when the walk stopped at an ending (1) or a junction (≥3), else 2.
func (t *tracer) walk(from, start, maxLen int) ([]int, int) {
	t.path = t.path[:0]
	prev, cur := from, start
	for {
		t.path = append(t.path, cur)
		c := int(t.cn[cur])
		if c != 2 {
			return t.path, c
		}
		if len(t.path) >= maxLen {
			return t.path, 2
		}
		// Ring index of prev around cur.
		skip := -1
		for k := 0; k < 8; k++ {
			if cur+ringDY[k]*t.w+ringDX[k] == prev {
				skip = k
				break
			}
		}
		r, n := runs(nb(t.s, t.w, cur), skip)
		if n == 0 {
			return t.path, 1
		}
		k := r[0]
		prev, cur = cur, cur+ringDY[k]*t.w+ringDX[k]
	}
}

func (p *plane) periodAt(x, y int) float64 {
	return float64(p.period[(y/blk)*p.bw+x/blk])
}

// prunePeriod is the length unit of the false-minutiae rules at (x, y): the
// local ridge period, but at least minPrunePeriod pixels. FingerJetFX
// detects and separates minutiae with fixed-size operators at its fixed
// internal resolution (its candidate non-maximum suppression spans 5×5
// pixels at 333 ppi, 7.5 pixels at 500 ppi, so its minutiae are at least
// about 4.5 pixels apart, close to clusterDist × 7), so its smallest
// spacing does not shrink with the ridge period. Without the floor,
// fine-ridged prints and images below 500 ppi read as 500 ppi (period
// estimates under 7 pixels) keep clusters of short ridges and close
// endings that FingerJetFX reports as one or none.
func (p *plane) prunePeriod(x, y int) float64 {
	return math.Max(p.periodAt(x, y), minPrunePeriod)
}

// detect finds crossing-number minutiae on the skeleton, removes false
// ones, and assigns direction and quality.
func (p *plane) detect(s []uint8) []Minutia {
	w, h := p.w, p.h
	t := &tracer{s: s, cn: make([]int8, w*h), w: w, h: h}
	for i := range t.cn {
		t.cn[i] = -1
	}
	at := make(map[int]int) // pixel index -> candidate index
	var cs []cand
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			if s[i] == 0 {
				continue
			}
			c := crossingNumber(s, w, i)
			t.cn[i] = int8(c)
			b := (y/blk)*p.bw + x/blk
			if !p.fg[b] || (c != 1 && c != 3) {
				continue
			}
			typ := Ending
			if c == 3 {
				typ = Bifurcation
			}
			r, n := runs(nb(s, w, i), -1)
			st := make([]int, n)
			for j, k := range r[:n] {
				st[j] = i + ringDY[k]*w + ringDX[k]
			}
			at[i] = len(cs)
			cs = append(cs, cand{x: x, y: y, i: i, typ: typ, starts: st})
		}
	}

	// Structural rules, decided on the unmodified candidate set and applied
	// together.
	var kill []int
	for ci := range cs {
		c := &cs[ci]
		T := p.prunePeriod(c.x, c.y)
		switch c.typ {
		case Ending:
			if len(c.starts) == 0 {
				kill = append(kill, ci)
				continue
			}
			path, end := t.walk(c.i, c.starts[0], int(math.Ceil(shortRidgeLen*T)))
			n := float64(len(path))
			last := path[len(path)-1]
			switch {
			case end == 1 && n <= shortRidgeLen*T: // short ridge or island
				kill = append(kill, ci)
				if j, ok := at[last]; ok {
					kill = append(kill, j)
				}
			case end >= 3 && n <= spurLen*T: // spur
				kill = append(kill, ci)
				if j, ok := at[last]; ok {
					kill = append(kill, j)
				}
			}
		case Bifurcation:
			for _, st := range c.starts {
				path, end := t.walk(c.i, st, int(math.Ceil(bridgeLen*T)))
				last := path[len(path)-1]
				if end >= 3 && last != c.i && float64(len(path)) <= bridgeLen*T { // bridge or lake
					kill = append(kill, ci)
					if j, ok := at[last]; ok {
						kill = append(kill, j)
					}
				}
			}
		}
	}
	for _, k := range kill {
		cs[k].removed = true
	}

	// Directions.
	for ci := range cs {
		c := &cs[ci]
		if c.removed {
			continue
		}
		reach := max(int(math.Round(directionReach*p.periodAt(c.x, c.y))), 4)
		if c.typ == Ending {
			path, _ := t.walk(c.i, c.starts[0], reach)
			e := path[len(path)-1]
			c.angle = isoAngle(e%w-c.x, e/w-c.y)
			continue
		}
		var vx, vy [3]float64
		for k, st := range c.starts[:3] {
			path, _ := t.walk(c.i, st, reach)
			e := path[len(path)-1]
			dx, dy := float64(e%w-c.x), float64(e/w-c.y)
			n := math.Hypot(dx, dy)
			if n > 0 {
				dx, dy = dx/n, dy/n
			}
			vx[k], vy[k] = dx, dy
		}
		// The two tines are the closest pair of branches.
		bi, bj, best := 0, 1, -2.0
		for i := 0; i < 3; i++ {
			for j := i + 1; j < 3; j++ {
				if d := vx[i]*vx[j] + vy[i]*vy[j]; d > best {
					bi, bj, best = i, j, d
				}
			}
		}
		c.angle = math.Atan2(-(vy[bi] + vy[bj]), vx[bi]+vx[bj])
		if c.angle < 0 {
			c.angle += 2 * math.Pi
		}
		if c.angle == 0 {
			c.angle = 0 // no negative zero
		}
	}

	// Quality of every surviving candidate.
	dist := blockDistance(p.fg, p.bw, p.bh)
	for ci := range cs {
		if !cs[ci].removed {
			cs[ci].quality = p.quality(cs[ci].x, cs[ci].y, dist)
		}
	}

	// Cluster rule: of two minutiae closer than clusterDist periods only the
	// better is kept (a non-maximum suppression). Facing endings of broken
	// ridges farther apart are kept, as FingerJetFX keeps them.
	for i := range cs {
		a := &cs[i]
		if a.removed {
			continue
		}
		T := p.prunePeriod(a.x, a.y)
		reach := clusterDist*T + 1
		for j := i + 1; j < len(cs); j++ {
			b := &cs[j]
			if b.removed {
				continue
			}
			dx, dy := float64(b.x-a.x), float64(b.y-a.y)
			if math.Abs(dy) > reach || math.Abs(dx) > reach {
				continue
			}
			if math.Hypot(dx, dy) < clusterDist*T {
				if b.quality > a.quality {
					a.removed = true
					break
				}
				b.removed = true
			}
		}
	}

	var out []Minutia
	for _, c := range cs {
		if c.removed {
			continue
		}
		b := (c.y/blk)*p.bw + c.x/blk
		if !p.inner[b] || min(c.x, c.y, w-1-c.x, h-1-c.y) < borderBlocks*blk {
			continue
		}
		out = append(out, Minutia{X: c.x, Y: c.y, Angle: c.angle, Type: c.typ, Quality: c.quality})
	}
	return out
}

// quality scores a minutia at (x, y) from 0 to 100 as the product of three
// factors in [0, 1]: the orientation coherence of its neighbourhood, the
// filter response (ridge contrast) around it relative to the image's
// median, both saturating at half their ideal value (a minutia itself
// lowers both), and its distance to the footprint border (full credit from
// 4 blocks).
func (p *plane) quality(x, y int, dist []int) int {
	b := (y/blk)*p.bw + x/blk
	q := math.Min(1, 2*float64(p.coh[b]))
	q *= math.Min(1, float64(dist[b])/4)
	q *= math.Min(1, 2*p.contrast(x, y))
	return int(math.Round(100 * math.Min(1, math.Max(0, q))))
}

// contrast is the mean absolute filter response in the 7×7 neighbourhood
// of (x, y) relative to the image's median response.
func (p *plane) contrast(x, y int) float64 {
	if p.enhScale <= 0 {
		return 0
	}
	w, h := p.w, p.h
	var s float64
	var n int
	for yy := max(y-3, 0); yy <= min(y+3, h-1); yy++ {
		for xx := max(x-3, 0); xx <= min(x+3, w-1); xx++ {
			s += math.Abs(float64(p.enh[yy*w+xx]))
			n++
		}
	}
	return s / float64(n) / float64(p.enhScale)
}

// isoAngle is the counter-clockwise angle in [0, 2π) of the image vector
// (dx, dy) with y pointing down.
func isoAngle(dx, dy int) float64 {
	a := math.Atan2(-float64(dy), float64(dx))
	if a < 0 {
		a += 2 * math.Pi
	}
	return a + 0 // no negative zero
}

// blockDistance is the chessboard distance, in blocks, from each block to
// the nearest block outside the mask (the image outside counts as outside).
func blockDistance(m []bool, bw, bh int) []int {
	d := make([]int, len(m))
	for i, v := range m {
		if v {
			d[i] = 1 << 20
		}
	}
	for y := 0; y < bh; y++ {
		for x := 0; x < bw; x++ {
			i := y*bw + x
			if d[i] == 0 {
				continue
			}
			v := 1
			if x > 0 && y > 0 && x < bw-1 {
				v = min(d[i-1], d[i-bw-1], d[i-bw], d[i-bw+1]) + 1
			}
			d[i] = v
		}
	}
	for y := bh - 1; y >= 0; y-- {
		for x := bw - 1; x >= 0; x-- {
			i := y*bw + x
			if d[i] == 0 {
				continue
			}
			if x < bw-1 && y < bh-1 && x > 0 {
				d[i] = min(d[i], min(d[i+1], d[i+bw+1], d[i+bw], d[i+bw-1])+1)
			} else {
				d[i] = 1
			}
		}
	}
	return d
}
