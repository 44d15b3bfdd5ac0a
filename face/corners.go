package face

import (
	"math"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/internal/fpmath"
	"github.com/biogate/biogate/quality"
)

// Outer eye-corner refinement. pigo's outer-corner cascade (lp312) lands a
// few per cent of the eye width off the canthus, and that error is the
// largest part of the inter-eye distance's. The canthus is where the upper
// and lower lid edges meet: a point of strong two-directional image
// structure, i.e. a peak of the structure tensor's smaller eigenvalue
// (Shi & Tomasi, "Good features to track", 1994). refinedOuterCorners looks
// for that peak near each outer corner, at three smoothing scales and within
// three search radii (fractions of the distance d between the corner
// midpoints), and moves the corner along the eye line by the mean of the
// nine displacements; the component across the eye line, where the lid
// edges make the peak ill-defined, is left to the cascade. Inner corners,
// whose caruncle gives no clean junction, are left alone (refining them
// too did worse, TestCorpusEyeCrossValidation's notes).
var (
	cornerSmoothing = [3]float64{0.01, 0.015, 0.02} // σ of the smoothing, × d
	cornerRadii     = [3]float64{0.02, 0.03, 0.04}  // search radius, × d
)

const (
	cornerIntegration = 0.03 // σ of the tensor's integration window, × d
	// cornerMaxScale bounds the work for very large faces: beyond a
	// corner-midpoint distance of this many pixels the patch is sampled
	// at d/cornerMaxScale pixels per sample.
	cornerMaxScale = 200
)

// refinedOuterCorners returns the refined outer corners (image-left, the
// subject's right, first) of the corners in lm.
func refinedOuterCorners(g *pico.Gray, lm map[string]quality.Point) (ro, lo quality.Point) {
	nr, nl := mid(lm[RightEyeOuter], lm[RightEyeInner]), mid(lm[LeftEyeOuter], lm[LeftEyeInner])
	d := dist(nr, nl)
	ro, lo = lm[RightEyeOuter], lm[LeftEyeOuter]
	if d < 4 {
		return ro, lo
	}
	ux, uy := (nl.X-nr.X)/d, (nl.Y-nr.Y)/d
	along := func(p quality.Point) quality.Point {
		t := refineAlong(g, p, d, ux, uy)
		return quality.Point{X: p.X + float64(t*ux), Y: p.Y + float64(t*uy)}
	}
	return along(ro), along(lo)
}

// refineAlong returns the mean displacement, along (ux, uy), from p to the
// strongest corner response near p over the scales and radii above.
func refineAlong(g *pico.Gray, p quality.Point, d, ux, uy float64) float64 {
	step := math.Max(1, d/cornerMaxScale) // image pixels per patch sample
	ds := d / step                        // d in patch samples
	maxR := float64(cornerRadii[len(cornerRadii)-1] * ds)
	var sum float64
	var n int
	for _, sm := range cornerSmoothing {
		half := int(math.Ceil(maxR + float64(3*sm*ds) + float64(3*cornerIntegration*ds) + 3))
		lam, size := cornerResponse(g, p, step, half, sm*ds, cornerIntegration*ds)
		for _, r := range cornerRadii {
			dx, dy, ok := responsePeak(lam, size, r*ds)
			if !ok {
				continue
			}
			sum += float64((float64(dx*ux) + float64(dy*uy)) * step)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// cornerResponse samples a (2·half+1)² patch of g centred on p, step
// pixels apart (bilinear, clamped at the edges), smooths it with σ = sm,
// and returns the smaller eigenvalue of its structure tensor integrated
// with σ = si, per sample.
func cornerResponse(g *pico.Gray, p quality.Point, step float64, half int, sm, si float64) ([]float64, int) {
	n := 2*half + 1
	f := make([]float64, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			// Landmarks are in pixel-index coordinates; bilinear's pixel
			// centres are at +0.5.
			f[y*n+x] = bilinear(g, p.X+float64(float64(x-half)*step)+0.5, p.Y+float64(float64(y-half)*step)+0.5)
		}
	}
	tmp := make([]float64, n*n)
	gaussSmooth(f, tmp, n, sm)
	ixx := make([]float64, n*n)
	iyy := make([]float64, n*n)
	ixy := make([]float64, n*n)
	for y := 1; y < n-1; y++ {
		for x := 1; x < n-1; x++ {
			i := y*n + x
			gx := (f[i+1] - f[i-1]) / 2
			gy := (f[i+n] - f[i-n]) / 2
			ixx[i], iyy[i], ixy[i] = gx*gx, gy*gy, gx*gy
		}
	}
	gaussSmooth(ixx, tmp, n, si)
	gaussSmooth(iyy, tmp, n, si)
	gaussSmooth(ixy, tmp, n, si)
	for i := range f {
		a, c, b := ixx[i], iyy[i], ixy[i]
		f[i] = (a+c)/2 - math.Sqrt((a-c)*(a-c)/4+float64(b*b))
	}
	return f, n
}

// responsePeak returns the offset from the patch centre of the largest
// response within radius r (sub-sample by a parabola through the
// neighbours), and false when there is no positive response.
func responsePeak(lam []float64, n int, r float64) (dx, dy float64, ok bool) {
	c := n / 2
	best, bx, by := 0.0, -1, -1
	ri := int(math.Ceil(r))
	for y := max(c-ri, 1); y <= min(c+ri, n-2); y++ {
		for x := max(c-ri, 1); x <= min(c+ri, n-2); x++ {
			if fpmath.Hypot(float64(x-c), float64(y-c)) > r {
				continue
			}
			if v := lam[y*n+x]; v > best {
				best, bx, by = v, x, y
			}
		}
	}
	if bx < 0 {
		return 0, 0, false
	}
	vertex := func(a, b, c float64) float64 {
		den := a - float64(2*b) + c
		if den >= 0 {
			return 0
		}
		return math.Max(-0.5, math.Min(0.5, 0.5*(a-c)/den))
	}
	i := by*n + bx
	return float64(bx-c) + vertex(lam[i-1], lam[i], lam[i+1]), float64(by-c) + vertex(lam[i-n], lam[i], lam[i+n]), true
}

// gaussSmooth smooths the n×n plane f in place with a Gaussian of σ = s
// (truncated at 3σ, edges clamped); tmp is scratch of the same size.
func gaussSmooth(f, tmp []float64, n int, s float64) {
	if s < 0.3 {
		return
	}
	r := int(math.Ceil(3 * s))
	k := make([]float64, 2*r+1)
	var sum float64
	for i := range k {
		x := float64(i - r)
		k[i] = fpmath.Exp(-x * x / (2 * s * s))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	// Tap after tap along contiguous rows, each pixel's sum in the order
	// of a per-pixel loop over the taps (the same bits), without a clamp
	// per tap: see smoothRegion.
	for y := 0; y < n; y++ {
		row := f[y*n : (y+1)*n]
		out := tmp[y*n : (y+1)*n]
		clear(out)
		for j, w := range k {
			// Output x reads row[x+off], clamped to the row.
			off := j - r
			lo := min(max(0, -off), n)
			hi := max(min(n, n-off), lo)
			if lo > 0 {
				addConst64(out[:lo], float64(w*row[0]))
			}
			if hi > lo {
				addScaled64(out[lo:hi], row[lo+off:hi+off], w)
			}
			if hi < n {
				addConst64(out[hi:], float64(w*row[n-1]))
			}
		}
	}
	for y := 0; y < n; y++ {
		out := f[y*n : (y+1)*n]
		clear(out)
		for j, w := range k {
			sy := min(max(y+j-r, 0), n-1)
			addScaled64(out, tmp[sy*n:(sy+1)*n], w)
		}
	}
}
