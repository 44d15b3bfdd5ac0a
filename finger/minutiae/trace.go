package minutiae

import "math"

// Tracing parameters (working-plane pixels).
const (
	trSteps   = 20 // most steps along the line
	trFar2    = 400
	trMinLen2 = 14 * 14 // shortest trace that sets the angle (squared)
)

// octant steps, counter-clockwise on screen from +x, in image
// coordinates (y down).
var octDX = [8]int{1, 1, 0, -1, -1, -1, 0, 1}
var octDY = [8]int{0, -1, -1, -1, 0, 1, 1, 1}

// traceAngle refines a minutia's direction ang (radians, counter-clockwise
// on screen) from the phase map, as FingerJetFX does: starting at (x, y) in
// the octant nearest to ang, it follows the ridge centre line (lowest
// phase-map values) or the valley centre line (highest), whichever the
// first step finds more pronounced, one pixel at a time among the three
// neighbours ahead, until the line fades, leaves the footprint, stops
// moving away or reaches 20 pixels. When the trace is at least 14 pixels
// long, the direction of its chord (from its first step to its end) is
// returned. A first trace keeps the initial heading; if it is too short, a
// second one turns with the line.
func (p *phasePlane) traceAngle(x, y int, ang float64) (float64, bool) {
	d := int(math.Round(ang/(math.Pi/4))) & 7
	for _, turn := range [2]bool{false, true} {
		if a, ok := p.trace(x, y, d, turn); ok {
			return a, true
		}
	}
	return ang, false
}

func (p *phasePlane) trace(x0, y0, d0 int, turn bool) (float64, bool) {
	// First step: the lowest and the highest neighbour ahead.
	lx, ly, ld, lv := p.stepExtreme(x0, y0, d0, true)
	hx, hy, hd, hv := p.stepExtreme(x0, y0, d0, false)
	if lv < 0 || hv < 0 {
		return 0, false
	}
	ridge := lv <= 240-hv // a ridge centre is 0, a valley centre 240
	cx, cy, d := hx, hy, hd
	if ridge {
		cx, cy, d = lx, ly, ld
	}
	if !turn {
		d = d0
	}
	fx, fy := cx, cy // first step
	best := 0
	for range trSteps {
		nx, ny, nd, v := p.stepExtreme(cx, cy, d, ridge)
		if v < 0 || (ridge && v >= 128) || (!ridge && v < 128) || !p.inFootprint(nx, ny) {
			break
		}
		dx, dy := nx-x0, ny-y0
		r2 := dx*dx + dy*dy
		if r2 <= best {
			break
		}
		best = r2
		cx, cy = nx, ny
		if turn {
			d = nd
		}
		if r2 > trFar2 {
			break
		}
	}
	if best < trMinLen2 {
		return 0, false
	}
	a := math.Atan2(float64(fy-cy), float64(cx-fx))
	if a < 0 {
		a += 2 * math.Pi
	}
	if a >= 2*math.Pi {
		a = 0
	}
	return a, true
}

// stepExtreme returns the neighbour of (x, y) in octants d−1, d, d+1 with
// the lowest (low) or highest phase-map value, its octant and its value
// (−1 when a neighbour is off the plane).
func (p *phasePlane) stepExtreme(x, y, d int, low bool) (int, int, int, int) {
	bx, by, bd, bv := 0, 0, 0, -1
	for i := -1; i <= 1; i++ {
		o := (d + i) & 7
		nx, ny := x+octDX[o], y+octDY[o]
		if nx < 0 || ny < 0 || nx >= p.w || ny >= p.h {
			return 0, 0, 0, -1
		}
		v := int(p.pm[ny*p.w+nx])
		if bv < 0 || (low && v <= bv) || (!low && v >= bv) {
			bx, by, bd, bv = nx, ny, o, v
		}
	}
	return bx, by, bd, bv
}

// inFootprint reports whether the phase map is defined around (x, y).
func (p *phasePlane) inFootprint(x, y int) bool {
	if x < 1 || y < 1 || x >= p.w-1 || y >= p.h-1 {
		return false
	}
	k := y*p.w + x
	pm := p.pm
	return pm[k] != phFiller && pm[k-1] != phFiller && pm[k+1] != phFiller && pm[k-p.w] != phFiller && pm[k+p.w] != phFiller
}
