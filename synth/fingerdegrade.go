package synth

import (
	"image"
	"math"
	"slices"
)

// FingerDegradation lists controlled degradations of a fingerprint image.
// The zero value changes nothing. They are applied in field order:
// geometry (Scale, Rotation), PartialContact, Dryness, Wetness, Contrast,
// Blur, Noise.
type FingerDegradation struct {
	// Scale resizes the print about the image centre (0 or 1: unchanged;
	// 0.5-2), as a sensor of the wrong resolution would.
	Scale float64 `json:"scale,omitempty"`
	// Rotation turns the print about the image centre, in degrees
	// (positive: clockwise on screen; -180 to 180).
	Rotation float64 `json:"rotation,omitempty"`
	// PartialContact is the fraction of the foreground lost to a straight
	// cut from a seed-chosen side, as when the finger is placed off the
	// sensor or rolled away (0-0.95).
	PartialContact float64 `json:"partial_contact,omitempty"`
	// Dryness breaks ridges into fragments, as a dry finger does (0-1).
	Dryness float64 `json:"dryness,omitempty"`
	// Wetness merges neighbouring ridges in blotches, as a wet or
	// over-pressed finger does (0-1).
	Wetness float64 `json:"wetness,omitempty"`
	// Contrast scales the ink darkness 255 − v (0 or 1: unchanged; 0.05-2;
	// below 1 the print fades towards the white background).
	Contrast float64 `json:"contrast,omitempty"`
	// Blur is the standard deviation of a Gaussian blur, in pixels (0-10).
	Blur float64 `json:"blur,omitempty"`
	// Noise is the standard deviation of additive Gaussian noise, in grey
	// levels (0-128).
	Noise float64 `json:"noise,omitempty"`
}

// IsZero reports whether d changes nothing.
func (d FingerDegradation) IsZero() bool {
	return (d.Scale == 0 || d.Scale == 1) && d.Rotation == 0 && d.PartialContact == 0 &&
		d.Dryness == 0 && d.Wetness == 0 && (d.Contrast == 0 || d.Contrast == 1) && d.Blur == 0 && d.Noise == 0
}

// Validate checks every field's range; errors wrap ErrInvalid.
func (d FingerDegradation) Validate() error {
	bad := func(v, lo, hi float64) bool { return math.IsNaN(v) || v < lo || v > hi }
	switch {
	case d.Scale != 0 && bad(d.Scale, 0.5, 2):
		return paramErr("Scale", "%g outside 0.5-2", d.Scale)
	case bad(d.Rotation, -180, 180):
		return paramErr("Rotation", "%g° outside -180 to 180", d.Rotation)
	case bad(d.PartialContact, 0, 0.95):
		return paramErr("PartialContact", "%g outside 0-0.95", d.PartialContact)
	case bad(d.Dryness, 0, 1):
		return paramErr("Dryness", "%g outside 0-1", d.Dryness)
	case bad(d.Wetness, 0, 1):
		return paramErr("Wetness", "%g outside 0-1", d.Wetness)
	case d.Contrast != 0 && bad(d.Contrast, 0.05, 2):
		return paramErr("Contrast", "%g outside 0.05-2", d.Contrast)
	case bad(d.Blur, 0, 10):
		return paramErr("Blur", "σ %g px outside 0-10", d.Blur)
	case bad(d.Noise, 0, 128):
		return paramErr("Noise", "σ %g outside 0-128", d.Noise)
	}
	return nil
}

// DegradeFinger applies d to a fingerprint image (converted to 8-bit grey;
// the background is taken to be white) and returns a new image of the same
// size with its origin at (0,0). The random parts (noise, dry and wet
// blotches, the side of a partial contact) are drawn from seed, so the
// result is a function of (img, d, seed).
func DegradeFinger(img image.Image, d FingerDegradation, seed uint64) (*image.Gray, error) {
	if img == nil || img.Bounds().Empty() {
		return nil, paramErr("img", "empty image")
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	p := planesOf(img).grey()
	w, h := p.w, p.h
	r := newRand(seed, streamDegrade)
	white := []float32{255}
	cx, cy := float64(w-1)/2, float64(h-1)/2
	if s := d.Scale; (s != 0 && s != 1) || d.Rotation != 0 {
		if s == 0 {
			s = 1
		}
		m := scaleAbout(s, cx, cy).then(rotateAbout(d.Rotation, cx, cy))
		p = p.warp(m, w, h, white)
	}
	v := p.c[0]
	if d.PartialContact > 0 {
		partialContact(p, d.PartialContact, r.Float64()*2*math.Pi)
	}
	if d.Dryness > 0 {
		// Fine blotches (about half a ridge period) lift the ink where the
		// dry skin does not touch.
		n := blotches(w, h, 1.6, r.Uint64())
		t := quantile(n, 1-0.7*d.Dryness)
		for i := range v {
			if a := smooth01((n[i] - t) * 6); a > 0 {
				v[i] = 255 - float32((255-v[i])*float32(1-float64(a*(0.5+0.5*d.Dryness))))
			}
		}
	}
	if d.Wetness > 0 {
		// Coarse blotches where valleys fill with moisture: there the
		// darkest value of a ridge neighbourhood spreads into the valleys.
		n := blotches(w, h, 12, r.Uint64())
		t := quantile(n, 1-0.85*d.Wetness)
		rad := 1 + int(math.Round(2*d.Wetness))
		dark := minFilter(v, w, h, rad)
		for i := range v {
			if a := smooth01((n[i] - t) * 3); a > 0 {
				v[i] += float32((dark[i] - v[i]) * float32(a))
			}
		}
	}
	if c := d.Contrast; c != 0 && c != 1 {
		for i := range v {
			v[i] = 255 - float32((255-v[i])*float32(c))
		}
	}
	p.blur(d.Blur)
	if d.Noise > 0 {
		for i := range v {
			v[i] += float32(d.Noise * r.NormFloat64())
		}
	}
	return p.image().(*image.Gray), nil
}

func smooth01(t float64) float64 {
	switch {
	case t <= 0:
		return 0
	case t >= 1:
		return 1
	}
	return t * t * (3 - 2*t)
}

// partialContact whitens the part of the foreground (pixels darker than
// the local background) on one side of a line perpendicular to angle a,
// so that the fraction frac of the foreground is removed.
func partialContact(p *planes, frac, a float64) {
	w, h := p.w, p.h
	v := p.c[0]
	fg := p.clone()
	fg.blur(4)
	ca, sa := math.Cos(a), math.Sin(a)
	var proj []float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if fg.c[0][y*w+x] < 235 {
				proj = append(proj, float64(x)*ca+float64(y)*sa)
			}
		}
	}
	if len(proj) == 0 {
		return
	}
	slices.Sort(proj)
	cut := proj[min(int(frac*float64(len(proj))), len(proj)-1)]
	const soft = 3.0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := (float64(x)*ca + float64(y)*sa - cut) / soft // > 0 kept
			k := smooth01((t + 1) / 2)
			i := y*w + x
			v[i] = 255 - float32((255-v[i])*float32(k))
		}
	}
}

// blotches returns white noise blurred at scale sigma, as float64.
func blotches(w, h int, sigma float64, seed uint64) []float64 {
	r := newRand(seed, streamDegrade+1)
	p := newPlanes(w, h, 1)
	for i := range p.c[0] {
		p.c[0][i] = float32(r.NormFloat64())
	}
	p.blur(sigma)
	out := make([]float64, w*h)
	for i, x := range p.c[0] {
		out[i] = float64(x) * sigma * 3.5 // roughly unit variance
	}
	return out
}

func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	i := int(q * float64(len(s)-1))
	return s[min(max(i, 0), len(s)-1)]
}

// minFilter returns the minimum over a (2r+1)² square, separably.
func minFilter(v []float32, w, h, r int) []float32 {
	tmp := make([]float32, w*h)
	out := make([]float32, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m := v[y*w+x]
			for k := max(x-r, 0); k <= min(x+r, w-1); k++ {
				m = min(m, v[y*w+k])
			}
			tmp[y*w+x] = m
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m := tmp[y*w+x]
			for k := max(y-r, 0); k <= min(y+r, h-1); k++ {
				m = min(m, tmp[k*w+x])
			}
			out[y*w+x] = m
		}
	}
	return out
}
