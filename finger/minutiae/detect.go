package minutiae

import "math"

// phaseScales are the ridge periods of the minutia templates, in pixels of
// the 333 ppi plane: 5 to 10 pixels at 500 ppi.
var phaseScales = [...]float64{3.4, 4.0, 4.7, 5.5, 6.5}

// tplSet holds the minutia templates. Near a minutia at the origin, with x
// across and y along the ridges, the ridge pattern is the spiral phase
// sin(ωx + atan2(y, x)) (Larkin & Fletcher 2007) = (x·sin ωx + y·cos ωx)/r:
// a ridge ending towards −y. The templates are the two numerator terms
// under a Gaussian window (σ 3.1 px along, 0.8 periods across the
// ridges); their sum matches a minutia pointing one way, their difference
// the mirrored one, and the sign tells an ending from a bifurcation (a
// valley ending). This is the structure of FingerJetFX's separable
// "biffilt" bank, rebuilt from the model rather than its tables.
type tplSet struct {
	a, b [5][2*phTplHalf + 1][2*phTplHalf + 1]float32 // a: x·sin part, b: y·cos part
}

// minutiaTemplates is built once; it is read-only afterwards.
var minutiaTemplates = buildTemplates()

// buildTemplates samples the templates, removes the mean of the even part
// and scales each part to give 1/2 on the ideal minutia of its period.
func buildTemplates() *tplSet {
	t := &tplSet{}
	const n = 2*phTplHalf + 1
	for k, T := range phaseScales {
		w := 2 * math.Pi / T
		var ma float64
		for j := 0; j < n; j++ {
			for i := 0; i < n; i++ {
				x, y := float64(i-phTplHalf), float64(j-phTplHalf)
				sx := phTplAcross * T
				g := math.Exp(-x*x/(2*sx*sx) - y*y/(2*phTplSigma*phTplSigma))
				t.a[k][j][i] = float32(g * x * math.Sin(w*x))
				t.b[k][j][i] = float32(g * y * math.Cos(w*x))
				ma += g * x * math.Sin(w*x)
			}
		}
		ma /= n * n
		var ra, rb float64
		for j := 0; j < n; j++ {
			for i := 0; i < n; i++ {
				t.a[k][j][i] -= float32(ma)
				x, y := float64(i-phTplHalf), float64(j-phTplHalf)
				ideal := math.Sin(w*x + math.Atan2(y, x))
				ra += float64(t.a[k][j][i]) * ideal
				rb += float64(t.b[k][j][i]) * ideal
			}
		}
		// Each part gives 1/2 on the ideal minutia, so that a true
		// minutia gives two equal parts and a weak mirrored response.
		for j := 0; j < n; j++ {
			for i := 0; i < n; i++ {
				t.a[k][j][i] *= float32(0.5 / ra)
				t.b[k][j][i] *= float32(0.5 / rb)
			}
		}
	}
	return t
}

// phaseCand is a confirmed minutia on the working plane.
type phaseCand struct {
	x, y    int
	angle   float64
	typ     Type
	quality int
	conf    float64 // template response, 1 for an ideal minutia
}

// detect finds the points where the phase map's gradient turns in all
// directions (both eigenvalues of its structure tensor large), keeps the
// 5×5 local maxima inside the footprint and confirms each with the
// spiral-phase minutia templates.
func (p *phasePlane) detect() []phaseCand {
	w, h := p.w, p.h
	pm := p.pm
	gxx := make([]float32, w*h)
	gyy := make([]float32, w*h)
	gxy := make([]float32, w*h)
	bad := make([]bool, w*h)
	for i := range bad {
		bad[i] = true
	}
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			k := y*w + x
			l, r, u, d := pm[k-1], pm[k+1], pm[k-w], pm[k+w]
			if l == phFiller || r == phFiller || u == phFiller || d == phFiller || pm[k] == phFiller {
				continue
			}
			bad[k] = false
			gx := float32(int(r) - int(l))
			gy := float32(int(d) - int(u))
			gxx[k], gyy[k], gxy[k] = gx*gx, gy*gy, gx*gy
		}
	}
	// FingerJetFX's tensor is half the binomial mean: its unit of the
	// threshold below.
	sxx := smooth121(gxx, w, h, 0.5)
	syy := smooth121(gyy, w, h, 0.5)
	sxy := smooth121(gxy, w, h, 0.5)
	// Corner strength; −1 marks pixels next to the footprint border.
	val := make([]float32, w*h)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			k := y*w + x
			if bad[k] || bad[k-1] || bad[k+1] || bad[k-w] || bad[k+w] {
				val[k] = -1
				continue
			}
			a, b, c := sxx[k], syy[k], sxy[k]
			det := (phCornerT-a)*(phCornerT-b) - c*c
			if a+b > 2*phCornerT && det > 0 {
				val[k] = det
			}
		}
	}
	for x := 0; x < w; x++ {
		val[x], val[(h-1)*w+x] = -1, -1
	}
	for y := 0; y < h; y++ {
		val[y*w], val[y*w+w-1] = -1, -1
	}
	dir := p.directions(sxx, syy, sxy)
	var out []phaseCand
	for y := 2; y < h-2; y++ {
		for x := 2; x < w-2; x++ {
			v := val[y*w+x]
			if v <= 0 || !localMax5(val, w, x, y) {
				continue
			}
			// Two steering angles either side of the smoothed direction,
			// the better kept.
			c, ok := p.confirm(x, y, dir[y*w+x]-phAngleJitter)
			if c2, ok2 := p.confirm(x, y, dir[y*w+x]+phAngleJitter); ok2 && (!ok || c2.conf > c.conf) {
				c, ok = c2, true
			}
			if ok {
				out = append(out, c)
			}
		}
	}
	return out
}

// localMax5 reports whether val at (x, y) is the maximum of its 5×5
// neighbourhood, none of which is outside the footprint; ties go to the
// first pixel in raster order.
func localMax5(val []float32, w, x, y int) bool {
	v := val[y*w+x]
	for j := -2; j <= 2; j++ {
		for i := -2; i <= 2; i++ {
			u := val[(y+j)*w+x+i]
			if u < 0 || u > v {
				return false
			}
			if u == v && (j < 0 || (j == 0 && i < 0)) {
				return false
			}
		}
	}
	return true
}

// smooth121 filters with the separable binomial [1 2 1]/4 kernel and
// multiplies by gain.
func smooth121(a []float32, w, h int, gain float32) []float32 {
	t := make([]float32, len(a))
	o := make([]float32, len(a))
	for y := 0; y < h; y++ {
		for x := 1; x < w-1; x++ {
			k := y*w + x
			t[k] = (a[k-1] + 2*a[k] + a[k+1]) / 4
		}
	}
	for y := 1; y < h-1; y++ {
		for x := 0; x < w; x++ {
			k := y*w + x
			o[k] = gain * (t[k-w] + 2*t[k] + t[k+w]) / 4
		}
	}
	return o
}

// directions returns the ridge-normal angle of the phase map at every
// pixel: the doubled-angle gradient direction of the smoothed tensor,
// averaged as unit vectors over a window of about 26 pixels.
func (p *phasePlane) directions(sxx, syy, sxy []float32) []float32 {
	w, h := p.w, p.h
	gw, gh := (w+1)/2, (h+1)/2
	ux := make([]float64, gw*gh)
	uy := make([]float64, gw*gh)
	for y := 0; y < h; y += 2 {
		for x := 0; x < w; x += 2 {
			k := y*w + x
			a, b := float64(sxx[k]-syy[k]), float64(2*sxy[k])
			if r := math.Hypot(a, b); r > 0 {
				ux[(y/2)*gw+x/2], uy[(y/2)*gw+x/2] = a/r, b/r
			}
		}
	}
	ux, uy = boxBlocks(ux, uy, gw, gh, phDirHalf)
	out := make([]float32, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			k := (y/2)*gw + x/2
			a := 0.5 * math.Atan2(uy[k], ux[k])
			out[y*w+x] = float32(a)
		}
	}
	return out
}

// confirm correlates the phase map around (x, y), rotated so that the
// patch's x axis runs across the ridges, with the minutia templates at 3×3
// offsets and all scales, and accepts the candidate when the best
// normalised response is strong and clearly above its mirror image.
func (p *phasePlane) confirm(x, y int, phi float32) (phaseCand, bool) {
	const n = 2*phTplHalf + 1
	const pw = n + 2
	c, s := math.Cos(float64(phi)), math.Sin(float64(phi))
	var patch [pw][pw]float32
	for j := 0; j < pw; j++ {
		for i := 0; i < pw; i++ {
			u, v := float64(i-pw/2), float64(j-pw/2)
			px := float64(x) + u*c - v*s
			py := float64(y) + u*s + v*c
			patch[j][i] = float32(p.samplePhase(px, py)/128 - 1)
		}
	}
	t := minutiaTemplates
	best, mirror := 0.0, 0.0
	bestSign, bestFlip := 1.0, false
	for dy := 0; dy < 3; dy++ {
		for dx := 0; dx < 3; dx++ {
			for k := range phaseScales {
				var ra, rb float64
				for j := 0; j < n; j++ {
					prow := patch[j+dy][dx : dx+n]
					ta, tb := &t.a[k][j], &t.b[k][j]
					var sa, sb float32
					for i := 0; i < n; i++ {
						sa += ta[i] * prow[i]
						sb += tb[i] * prow[i]
					}
					ra += float64(sa)
					rb += float64(sb)
				}
				// FingerJetFX weighs its responses by 1 down to 3/4
				// in steps of 1/16 along its evaluation order (offset
				// in raster order, then scale), nine responses a step.
				wgt := 1 - float64((len(phaseScales)*(dy*3+dx)+k)/9)/16
				plus, minus := (ra+rb)*wgt, (ra-rb)*wgt
				if math.Abs(plus) > best {
					best, mirror = math.Abs(plus), math.Abs(minus)
					bestSign, bestFlip = math.Copysign(1, plus), false
				}
				if math.Abs(minus) > best {
					best, mirror = math.Abs(minus), math.Abs(plus)
					bestSign, bestFlip = math.Copysign(1, minus), true
				}
			}
		}
	}
	if best < phConfMin || mirror > phMirrorMax*best {
		return phaseCand{}, false
	}
	// The template x·sin(ωx) + y·cos(ωx) is a ridge running towards −y
	// from the centre (an ending pointing −y) when positive, a valley (the
	// fork of a bifurcation) when negative; the flipped one points +y.
	typ := Ending
	if bestSign < 0 {
		typ = Bifurcation
	}
	ax, ay := s, -c // patch −y axis in image coordinates
	if bestFlip {
		ax, ay = -ax, -ay
	}
	ang := math.Atan2(-ay, ax)
	if ang < 0 {
		ang += 2 * math.Pi
	}
	if ang >= 2*math.Pi {
		ang = 0
	}
	// The direction, refined by tracing the ridge or valley line that
	// leaves the minutia, as FingerJetFX does.
	if a, ok := p.traceAngle(x, y, ang); ok {
		ang = a
	}
	// Quality: the response relative to an ideal minutia's at the
	// central offset (weight 7/8), capped at 100.
	q := int(math.Round(100 * math.Min(best/phIdealCentre, 1)))
	return phaseCand{x: x, y: y, angle: ang, typ: typ, quality: q, conf: best}, true
}

// samplePhase is the bilinearly interpolated phase map, phFiller outside.
func (p *phasePlane) samplePhase(x, y float64) float64 {
	if x < 0 || y < 0 || x > float64(p.w-1) || y > float64(p.h-1) {
		return phFiller
	}
	ix, iy := int(x), int(y)
	ax, ay := x-float64(ix), y-float64(iy)
	ix1, iy1 := min(ix+1, p.w-1), min(iy+1, p.h-1)
	pm := p.pm
	v0 := float64(pm[iy*p.w+ix])*(1-ax) + float64(pm[iy*p.w+ix1])*ax
	v1 := float64(pm[iy1*p.w+ix])*(1-ax) + float64(pm[iy1*p.w+ix1])*ax
	return v0*(1-ay) + v1*ay
}
