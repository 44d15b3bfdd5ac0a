package synth

import (
	"image"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/biogate/biogate/internal/fpmath"
)

// Occluder names a synthetic occluder drawn by Occlude.
type Occluder string

// The occluders. Each covers its own target zone (OccluderZone): the eye
// zones for the glasses, the mouth zone for the mask, the face zone for
// the hand, the head zone for the cap.
const (
	// Sunglasses are two dark lenses (seeded tint and slight
	// transparency, a rim, a bridge and a soft glare streak) centred on
	// the eyes; their size sets the covered share of the eye zones.
	Sunglasses Occluder = "sunglasses"
	// ClearGlasses are the dark rims of clear lenses (the lenses leave
	// the eyes untouched); the rim thickness sets the covered share of
	// the eye zones (thick frames cross the eyes).
	ClearGlasses Occluder = "clear_glasses"
	// Mask is a surgical or cloth mask (seeded colour, pleats or not)
	// rising from below the chin; the height of its top edge sets the
	// covered share of the mouth zone.
	Mask Occluder = "mask"
	// Hand is a hand (palm, four fingers with gaps, thumb, wrist and arm
	// to the image edge) coloured from the face's own cheeks, with the
	// face's left-right shading, finger shading, creases and the cheeks'
	// texture noise, sliding in from below or from a side (seeded); how
	// far it reaches sets the covered share of the face zone.
	Hand Occluder = "hand"
	// Cap is a cap or beanie (seeded colour and kind; a brim band for a
	// cap, a cuff for a beanie) set on the head; how low it sits sets the
	// covered share of the head zone.
	Cap Occluder = "cap"
)

// Occluders lists the occluders Occlude draws.
func Occluders() []Occluder { return []Occluder{Sunglasses, ClearGlasses, Mask, Hand, Cap} }

// Target zones, in the eye-line frame: u along the line from the image-left
// eye centre to the image-right one, v perpendicular to it and down, both
// in inter-eye distances, origin at the eyes' midpoint. They stand for an
// average adult frontal face (they do not follow the individual face).
const (
	// Eye zones: a box around each eye centre, |u ∓ ½| ≤ eyeZoneU,
	// |v| ≤ eyeZoneV (about OFIQ's lid box grown by IED/20).
	eyeZoneU, eyeZoneV = 0.30, 0.15
	// Mouth zone: |u| ≤ mouthZoneU, mouthZoneV0 ≤ v ≤ mouthZoneV1.
	mouthZoneU, mouthZoneV0, mouthZoneV1 = 0.42, 0.88, 1.30
	// Face zone: the ellipse of centre (0, faceZoneV), semi-axes
	// faceZoneA (u) and faceZoneB (v): mid-forehead to chin.
	faceZoneV, faceZoneA, faceZoneB = 0.35, 0.95, 1.40
	// Head zone: the head above the forehead line, the part with
	// v ≤ headZoneV of the ellipse of centre (0, headZoneV), semi-axes
	// headZoneA and headZoneB.
	headZoneV, headZoneA, headZoneB = -0.60, 1.10, 1.15
)

// OccluderZone reports whether the eye-frame point (u, v) lies in the
// target zone of occluder k (see the zone constants' description: the
// frame is the one of Occlude).
func OccluderZone(k Occluder, u, v float64) bool {
	switch k {
	case Sunglasses, ClearGlasses:
		return math.Abs(v) <= eyeZoneV && (math.Abs(u-0.5) <= eyeZoneU || math.Abs(u+0.5) <= eyeZoneU)
	case Mask:
		return math.Abs(u) <= mouthZoneU && v >= mouthZoneV0 && v <= mouthZoneV1
	case Hand:
		du, dv := u/faceZoneA, (v-faceZoneV)/faceZoneB
		return float64(du*du)+float64(dv*dv) <= 1
	case Cap:
		du, dv := u/headZoneA, (v-headZoneV)/headZoneB
		return v <= headZoneV && float64(du*du)+float64(dv*dv) <= 1
	}
	return false
}

// Occlusion asks Occlude for one occluder.
type Occlusion struct {
	// Kind is the occluder.
	Kind Occluder `json:"kind"`
	// Share is the share of the occluder's target zone to cover, 0-1
	// (0 draws nothing). The drawn share is the nearest the shape's size
	// parameter reaches (Occluded.Share is the exact one); a share beyond
	// what the kind can cover is an error (the hand covers at most about
	// 0.6 of the face zone, clear glasses' rims up to the whole eye zone).
	Share float64 `json:"share"`
	// Seed draws the colours, the shape's variant and placement.
	Seed uint64 `json:"seed"`
}

// Occluded is a portrait with an occluder drawn on it.
type Occluded struct {
	// Image is the portrait with the occluder: an opaque *image.RGBA, or
	// *image.Gray for a grey input; the same size, origin (0, 0).
	Image image.Image
	// Mask is 255 on every pixel the occluder covers (its colour replaced
	// or blended the pixel's), 0 elsewhere; no other pixel changed.
	Mask *image.Alpha
	// Zone is 255 on the pixels of the target zone.
	Zone *image.Alpha
	// Share is the exact covered share of the target zone: the Mask
	// pixels inside Zone over the Zone pixels (pixel centres).
	Share float64
}

// occShape is an occluder's shape at size parameter t in [0, 1]: the
// covered sets grow with t. paint returns the occluder's colour at (u, v)
// (frame units) and whether it covers it; alpha is its opacity (1: the
// colour replaces the pixel).
type occShape struct {
	covers func(t, u, v float64) bool
	paint  func(t, u, v float64) (c [3]float64, alpha float64)
}

// occFrame maps pixel centres to the eye-line frame.
type occFrame struct {
	mx, my, ex, ey, d float64
}

func newOccFrame(e Eyes) occFrame {
	d := e.IED()
	m := e.Mid()
	return occFrame{mx: m.X, my: m.Y, ex: (e.Left.X - e.Right.X) / d, ey: (e.Left.Y - e.Right.Y) / d, d: d}
}

// uv returns the frame coordinates of pixel (x, y)'s centre.
func (f occFrame) uv(x, y int) (float64, float64) {
	px, py := float64(x)-f.mx, float64(y)-f.my
	return (float64(px*f.ex) + float64(py*f.ey)) / f.d, (float64(py*f.ex) - float64(px*f.ey)) / f.d
}

// Occlude draws occluder o onto a portrait whose eye centres are eyes
// (pixel-centre coordinates, as DegradeFace), placed in the eye-line frame
// (see OccluderZone) and sized so that it covers o.Share of its target
// zone. The result is a function of (img, eyes, o). Errors wrap
// ErrInvalid.
func Occlude(img image.Image, eyes Eyes, o Occlusion) (*Occluded, error) {
	if img == nil || img.Bounds().Empty() {
		return nil, paramErr("img", "empty image")
	}
	if !eyes.valid() {
		return nil, paramErr("eyes", "eye centres must be finite, at least 2 px apart, with the subject's right eye on the image's left")
	}
	if math.IsNaN(o.Share) || o.Share < 0 || o.Share > 1 {
		return nil, paramErr("Share", "%g outside 0-1", o.Share)
	}
	p := planesOf(img)
	if float64(p.w)*float64(p.h) > MaxFacePixels {
		return nil, paramErr("img", "%dx%d too large", p.w, p.h)
	}
	f := newOccFrame(eyes)
	r := newRand(o.Seed, streamOcclude)
	var sh occShape
	switch o.Kind {
	case Sunglasses:
		sh = sunglassesShape(r)
	case ClearGlasses:
		sh = clearGlassesShape(r)
	case Mask:
		sh = maskShape(r)
	case Hand:
		sh = handShape(r, p, f)
	case Cap:
		sh = capShape(r)
	default:
		return nil, paramErr("Kind", "unknown occluder %q", o.Kind)
	}
	// The frame coordinates of every pixel and the target zone.
	n := p.w * p.h
	us, vs := make([]float64, n), make([]float64, n)
	zone := image.NewAlpha(image.Rect(0, 0, p.w, p.h))
	var inZone []int
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			i := y*p.w + x
			us[i], vs[i] = f.uv(x, y)
			if OccluderZone(o.Kind, us[i], vs[i]) {
				zone.Pix[i] = 255
				inZone = append(inZone, i)
			}
		}
	}
	if len(inZone) == 0 {
		return nil, paramErr("eyes", "the %s zone lies outside the image", o.Kind)
	}
	share := func(t float64) float64 {
		c := 0
		for _, i := range inZone {
			if sh.covers(t, us[i], vs[i]) {
				c++
			}
		}
		return float64(c) / float64(len(inZone))
	}
	mask := image.NewAlpha(zone.Rect)
	res := &Occluded{Mask: mask, Zone: zone}
	if o.Share > 0 {
		// Bisection on the size parameter: the covered share grows with t.
		lo, hi := 0.0, 1.0
		if share(hi) < o.Share-0.02 {
			return nil, paramErr("Share", "%s covers at most %.3f of its zone here, not %g", o.Kind, share(hi), o.Share)
		}
		for it := 0; it < 20; it++ {
			mid := (lo + hi) / 2
			if share(mid) < o.Share {
				lo = mid
			} else {
				hi = mid
			}
		}
		t := hi
		if math.Abs(share(lo)-o.Share) < math.Abs(share(hi)-o.Share) {
			t = lo
		}
		for i := 0; i < n; i++ {
			if !sh.covers(t, us[i], vs[i]) {
				continue
			}
			c, a := sh.paint(t, us[i], vs[i])
			mask.Pix[i] = 255
			if len(p.c) == 1 {
				g := float64(0.299*c[0]) + float64(0.587*c[1]) + float64(0.114*c[2])
				p.c[0][i] = blend(p.c[0][i], g, a)
				continue
			}
			for ci := range p.c {
				p.c[ci][i] = blend(p.c[ci][i], c[ci], a)
			}
		}
		cov := 0
		for _, i := range inZone {
			if mask.Pix[i] != 0 {
				cov++
			}
		}
		res.Share = float64(cov) / float64(len(inZone))
	}
	res.Image = p.image()
	return res, nil
}

// blend returns the occluder colour c over the pixel value v at opacity a.
func blend(v float32, c, a float64) float32 {
	if a >= 1 {
		return float32(c)
	}
	return float32(float64(c*a) + float64(float64(v)*(1-a)))
}

// ellipse reports whether (u, v) is inside the ellipse of centre (cu, cv)
// and semi-axes a, b, and returns its normalised radius squared.
func ellipse(u, v, cu, cv, a, b float64) (float64, bool) {
	du, dv := (u-cu)/a, (v-cv)/b
	r := float64(du*du) + float64(dv*dv)
	return r, r <= 1
}

// pick returns one of the colours at random.
func pick(r *rand.Rand, cs [][3]float64) [3]float64 { return cs[r.IntN(len(cs))] }

// scaled returns c times k.
func scaled(c [3]float64, k float64) [3]float64 {
	return [3]float64{c[0] * k, c[1] * k, c[2] * k}
}

// Lens geometry shared by the glasses: ellipses around the eye centres
// (u = ±½), slightly below them.
const lensV = 0.03

func sunglassesShape(r *rand.Rand) occShape {
	tint := pick(r, [][3]float64{{22, 24, 28}, {45, 32, 22}, {24, 38, 28}, {34, 34, 40}})
	trans := float64(0.15 * r.Float64()) // the lens lets this share of the eye through
	glare := 0.3 + float64(0.4*r.Float64())
	// At t = 1 the lenses enclose the eye zones with room to spare.
	const a, b = 0.48, 0.36
	covers := func(t, u, v float64) bool {
		if t <= 0 {
			return false
		}
		for _, e := range []float64{-0.5, 0.5} {
			if _, in := ellipse(u, v, e, lensV, a*t, b*t); in {
				return true
			}
		}
		// The bridge, above the nose (outside the eye zones).
		return math.Abs(u) <= 0.2 && math.Abs(v+0.08) <= 0.025
	}
	paint := func(t, u, v float64) ([3]float64, float64) {
		for _, e := range []float64{-0.5, 0.5} {
			if rr, in := ellipse(u, v, e, lensV, a*t, b*t); in {
				if rr >= 0.85 { // the rim
					return scaled(tint, 0.6), 1
				}
				// Darker at the top; a glare streak along u + v = const.
				k := 1 - float64(0.35*(lensV-v)/b)
				s := (u - e) + v
				if math.Abs(s-0.1) < 0.05 {
					k += glare
				}
				return scaled(tint, k), 1 - trans
			}
		}
		return scaled(tint, 0.6), 1
	}
	return occShape{covers: covers, paint: paint}
}

func clearGlassesShape(r *rand.Rand) occShape {
	frame := pick(r, [][3]float64{{25, 25, 25}, {60, 40, 25}, {90, 90, 95}, {20, 30, 60}})
	const a, b = 0.46, 0.34
	// The rim is the ring of normalised radius in [(1−t)², 1]; at t = 1
	// the frame fills the lens.
	covers := func(t, u, v float64) bool {
		if t <= 0 {
			return false
		}
		w := (1 - t) * (1 - t)
		for _, e := range []float64{-0.5, 0.5} {
			if rr, in := ellipse(u, v, e, lensV, a, b); in && rr >= float64(w*w) {
				return true
			}
		}
		return math.Abs(u) <= 0.5-a+0.01 && math.Abs(v+0.08) <= 0.02
	}
	paint := func(t, u, v float64) ([3]float64, float64) {
		return frame, 1
	}
	return occShape{covers: covers, paint: paint}
}

func maskShape(r *rand.Rand) occShape {
	col := pick(r, [][3]float64{{205, 215, 232}, {236, 236, 232}, {32, 32, 36}, {120, 124, 130}, {150, 190, 210}})
	pleats := r.IntN(2) == 0
	const bottom, top = 1.85, 0.25 // below the chin; the nose bridge
	covers := func(t, u, v float64) bool {
		if t <= 0 {
			return false
		}
		vt := bottom - float64(t*(bottom-top))
		// The top edge rises in the middle (the nose).
		vt += float64(0.15*(u*u)) / (0.95 * 0.95)
		if v < vt || v > bottom {
			return false
		}
		if math.Abs(u) <= 0.95-float64(0.6*math.Max(0, v-1.35)) {
			return true
		}
		// Ear loops, from the upper corners to the ears.
		return t > 0.5 && math.Abs(math.Abs(u)-0.97) <= 0.015 && v >= vt-0.05 && v <= vt+0.3
	}
	paint := func(t, u, v float64) ([3]float64, float64) {
		// Darker towards the sides, where the mask turns away.
		x := u / 0.95
		k := 1 - float64(0.25*float64(x*x))
		if pleats && math.Mod(v-0.2, 0.16) < 0.02 {
			k *= 0.88
		}
		return scaled(col, k), 1
	}
	return occShape{covers: covers, paint: paint}
}

// skinOf returns the median colour of the pixels inside a disc of radius
// rad (frame units) around (cu, cv), and the standard deviation of their
// luma; ok is false when no pixel is inside the image.
func skinOf(p *planes, f occFrame, cu, cv, rad float64) (c [3]float64, sd float64, ok bool) {
	// The disc's pixel bounding box.
	cx := f.mx + float64(cu*f.d*f.ex) - float64(cv*f.d*f.ey)
	cy := f.my + float64(cu*f.d*f.ey) + float64(cv*f.d*f.ex)
	rp := float64(rad * f.d)
	x0, x1 := max(int(math.Floor(cx-rp)), 0), min(int(math.Ceil(cx+rp)), p.w-1)
	y0, y1 := max(int(math.Floor(cy-rp)), 0), min(int(math.Ceil(cy+rp)), p.h-1)
	var ch [3][]float64
	var ls []float64
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			dx, dy := float64(x)-cx, float64(y)-cy
			if float64(dx*dx)+float64(dy*dy) > float64(rp*rp) {
				continue
			}
			i := y*p.w + x
			var l float64
			for k := 0; k < 3; k++ {
				v := float64(p.c[min(k, len(p.c)-1)][i])
				ch[k] = append(ch[k], v)
			}
			l = float64(0.299*ch[0][len(ch[0])-1]) + float64(0.587*ch[1][len(ch[1])-1]) + float64(0.114*ch[2][len(ch[2])-1])
			ls = append(ls, l)
		}
	}
	if len(ls) == 0 {
		return c, 0, false
	}
	for k := 0; k < 3; k++ {
		sort.Float64s(ch[k])
		c[k] = ch[k][len(ch[k])/2]
	}
	var m, s float64
	for _, l := range ls {
		m += l
	}
	m /= float64(len(ls))
	for _, l := range ls {
		s += float64((l - m) * (l - m))
	}
	return c, math.Sqrt(s / float64(len(ls))), true
}

// Hand geometry, in inter-eye distances, in the hand's own frame: x
// across the hand, y from the middle fingertip back towards the wrist.
var (
	handFingerX   = [4]float64{-0.45, -0.15, 0.15, 0.45} // little … index when x grows to the thumb
	handFingerTip = [4]float64{0.36, 0.08, 0.0, 0.06}
)

const (
	handFingerR = 0.13 // half a finger's width
	handPalmY   = 1.15 // where the fingers join the palm
	handPalmX   = 0.62
	handWristY  = 2.4
	handArmX    = 0.48
)

// handLocal reports whether hand-frame point (x, y) is on the hand (or the
// arm behind it) and returns a shading factor.
func handLocal(x, y float64) (float64, bool) {
	if y < 0 {
		return 0, false
	}
	// Arm and wrist.
	if y >= handWristY {
		if math.Abs(x) <= handArmX {
			return 0.9 - float64(0.15*(x/handArmX)*(x/handArmX)), true
		}
		return 0, false
	}
	// Palm (its top corners rounded).
	if y >= handPalmY && math.Abs(x) <= handPalmX {
		k := 0.97 - float64(0.17*(x/handPalmX)*(x/handPalmX))
		if math.Abs(y-1.5) < 0.02 { // the palm crease
			k *= 0.85
		}
		return k, true
	}
	// Thumb, along the side, its tip rounded.
	if tx := x - 0.76; math.Abs(tx) <= 0.13 && y <= 2.5 {
		ty := y - 1.25
		if ty >= 0 || float64(tx*tx)+float64(ty*ty) <= 0.13*0.13 {
			return 0.92 - float64(0.3*(tx/0.13)*(tx/0.13)), true
		}
	}
	// Fingers: capsules from their tips to the palm.
	for k, fx := range handFingerX {
		dx := x - fx
		if math.Abs(dx) > handFingerR {
			continue
		}
		tip := handFingerTip[k]
		cy := tip + handFingerR
		if y < cy && float64(dx*dx)+float64((y-cy)*(y-cy)) > handFingerR*handFingerR {
			continue
		}
		if y < tip {
			continue
		}
		s := 1 - float64(0.3*(dx/handFingerR)*(dx/handFingerR))
		// Knuckle creases.
		for _, c := range []float64{0.45, 0.8} {
			if math.Abs(y-tip-c) < 0.015 {
				s *= 0.85
			}
		}
		return s, true
	}
	return 0, false
}

func handShape(r *rand.Rand, p *planes, f occFrame) occShape {
	// Skin from the cheeks (the face's own colour and its left-right
	// light), falling back on a mid skin tone.
	left, sdl, okl := skinOf(p, f, -0.5, 0.62, 0.12)
	right, sdr, okr := skinOf(p, f, 0.5, 0.62, 0.12)
	switch {
	case !okl && !okr:
		left, right = [3]float64{190, 150, 130}, [3]float64{190, 150, 130}
	case !okl:
		left, sdl = right, sdr
	case !okr:
		right, sdr = left, sdl
	}
	noise := math.Min((sdl+sdr)/2, 8)
	gain := 0.95 + float64(0.15*r.Float64())
	scale := 0.9 + float64(0.2*r.Float64())
	// Entry: from below (fingers up, at the mouth), or from the left or
	// right (fingers across the face, at cheek to eye height).
	var ang, tu, tv float64
	switch r.IntN(3) {
	case 0:
		ang = -math.Pi/2 + float64(0.35*(2*r.Float64()-1))
		tu, tv = float64(0.3*(2*r.Float64()-1)), 1.1
	case 1:
		ang = float64(0.45 * (2*r.Float64() - 1))
		tu, tv = 0, 0.2+float64(0.9*r.Float64())
	default:
		ang = math.Pi + float64(0.45*(2*r.Float64()-1))
		tu, tv = 0, 0.2+float64(0.9*r.Float64())
	}
	if r.IntN(2) == 0 { // mirror the hand (left or right hand)
		scale = -scale
	}
	du, dv := fpmath.Cos(ang), fpmath.Sin(ang) // the fingers' direction
	// The fingertips start on the face zone's edge, on the line through
	// (tu, tv) along the direction, and move in by up to reach.
	s0 := 0.0
	for s0 < 4 && OccluderZone(Hand, tu-float64(s0*du), tv-float64(s0*dv)) {
		s0 += 0.01
	}
	const reach = 3.2
	seed := r.Uint64()
	toLocal := func(t, u, v float64) (float64, float64) {
		s := float64(t*reach) - s0 // the fingertips' position along the line
		bu, bv := tu+float64(s*du), tv+float64(s*dv)
		ru, rv := u-bu, v-bv
		// y points back from the tips, x across (mirrored by scale's sign).
		y := -(float64(ru*du) + float64(rv*dv))
		x := float64(ru*(-dv)) + float64(rv*du)
		return x / scale, y / math.Abs(scale)
	}
	covers := func(t, u, v float64) bool {
		if t <= 0 {
			return false
		}
		_, in := handLocal(toLocal(t, u, v))
		return in
	}
	paint := func(t, u, v float64) ([3]float64, float64) {
		k, _ := handLocal(toLocal(t, u, v))
		// The face's left-right light across the frame, clamped.
		w := math.Min(math.Max((u+0.5), 0), 1)
		var c [3]float64
		// Deterministic per-position noise (a hash of the frame position
		// at 1/100 IED), so that the colour does not depend on the order
		// pixels are painted in.
		h := hash64(seed ^ uint64(int64(math.Floor(u*100)))*0x9e3779b97f4a7c15 ^ uint64(int64(math.Floor(v*100)))*0xc2b2ae3d27d4eb4f)
		nz := float64(noise * (float64(h>>11)/float64(1<<53) - 0.5) * 3.4)
		for i := range c {
			c[i] = float64(float64(float64(left[i]*(1-w))+float64(right[i]*w))*float64(k*gain)) + nz
		}
		return c, 1
	}
	return occShape{covers: covers, paint: paint}
}

// hash64 is SplitMix64's output function.
func hash64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func capShape(r *rand.Rand) occShape {
	col := pick(r, [][3]float64{{28, 36, 84}, {20, 20, 22}, {170, 30, 30}, {230, 230, 225}, {170, 150, 110}, {90, 90, 95}})
	brim := r.IntN(3) != 0  // a cap; else a beanie with a cuff
	const a, b = 1.18, 1.25 // the crown, a little larger than the head zone
	const top = headZoneV - b
	covers := func(t, u, v float64) bool {
		if t <= 0 {
			return false
		}
		// The lower edge descends from the crown's top to the zone's
		// lower edge (and, for the cap, the brim band below it).
		ve := top + float64(t*(headZoneV+0.02-top))
		if _, in := ellipse(u, v, 0, headZoneV, a, b); in && v <= ve {
			return true
		}
		return brim && v > ve && v <= ve+float64(0.2*t) && math.Abs(u) <= 0.9
	}
	paint := func(t, u, v float64) ([3]float64, float64) {
		ve := top + float64(t*(headZoneV+0.02-top))
		if v > ve {
			return scaled(col, 0.55), 1 // the brim's underside
		}
		rr, _ := ellipse(u, v, 0, headZoneV, a, b)
		k := 1 - float64(0.3*rr)
		if !brim && v > ve-float64(0.25*t) {
			// The cuff, with vertical ribs.
			if math.Mod(u+2, 0.08) < 0.03 {
				k *= 0.85
			}
		}
		return scaled(col, k), 1
	}
	return occShape{covers: covers, paint: paint}
}
