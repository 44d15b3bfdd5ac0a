package synth

import (
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"strings"
)

// FingerClass is the Henry class of a synthetic fingerprint's pattern.
type FingerClass int

// Pattern classes. AnyClass lets the seed choose, with roughly the natural
// frequencies (loops 65 %, whorls 28 %, arches 7 %).
const (
	AnyClass FingerClass = iota
	Arch
	TentedArch
	LeftLoop
	RightLoop
	Whorl
)

var classNames = [...]string{"any", "arch", "tented_arch", "left_loop", "right_loop", "whorl"}

// String returns the class name used on the command line and in sidecars.
func (c FingerClass) String() string {
	if c < 0 || int(c) >= len(classNames) {
		return fmt.Sprintf("FingerClass(%d)", int(c))
	}
	return classNames[c]
}

// MarshalText implements encoding.TextMarshaler.
func (c FingerClass) MarshalText() ([]byte, error) {
	if c < 0 || int(c) >= len(classNames) {
		return nil, paramErr("Class", "unknown class %d", int(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *FingerClass) UnmarshalText(b []byte) error {
	v, err := ParseFingerClass(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseFingerClass parses a class name ("arch", "tented_arch", "left_loop",
// "right_loop", "whorl", "any"; "-" may replace "_").
func ParseFingerClass(s string) (FingerClass, error) {
	s = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	if s == "" {
		return AnyClass, nil
	}
	for i, n := range classNames {
		if n == s {
			return FingerClass(i), nil
		}
	}
	return AnyClass, paramErr("Class", "unknown fingerprint class %q (want one of %s)", s, strings.Join(classNames[:], ", "))
}

// Default fingerprint geometry: 400×500 px at 500 ppi (20.3×25.4 mm), a
// ridge period of 9 px (about 1.4 ridges per mm, typical of adult fingers).
const (
	DefaultFingerWidth  = 400
	DefaultFingerHeight = 500
	DefaultRidgePeriod  = 9.0
	// FingerPPI is the resolution of generated fingerprints, in pixels per
	// inch.
	FingerPPI = 500
)

// FingerParams describes a synthetic fingerprint. The zero value, apart
// from Seed, gives a 400×500 px print of a seed-chosen class.
type FingerParams struct {
	// Seed selects the pattern: singular point positions, field
	// perturbations, frequency variation and the starting noise.
	Seed uint64 `json:"seed"`
	// Class is the pattern class; AnyClass lets the seed choose.
	Class FingerClass `json:"class"`
	// Width and Height are the image size in pixels (0: 400×500; each
	// 128-2000).
	Width  int `json:"width"`
	Height int `json:"height"`
	// RidgePeriod is the mean ridge-to-ridge distance in pixels (0: 9;
	// 5-15).
	RidgePeriod float64 `json:"ridge_period"`
	// Iterations is the number of Gabor filtering passes (0: 10; 1-40).
	Iterations int `json:"iterations"`
}

func (p FingerParams) withDefaults() (FingerParams, error) {
	if p.Width == 0 {
		p.Width = DefaultFingerWidth
	}
	if p.Height == 0 {
		p.Height = DefaultFingerHeight
	}
	if p.RidgePeriod == 0 {
		p.RidgePeriod = DefaultRidgePeriod
	}
	if p.Iterations == 0 {
		p.Iterations = 10
	}
	switch {
	case p.Width < 128 || p.Width > 2000:
		return p, paramErr("Width", "%d px outside 128-2000", p.Width)
	case p.Height < 128 || p.Height > 2000:
		return p, paramErr("Height", "%d px outside 128-2000", p.Height)
	case !(p.RidgePeriod >= 5 && p.RidgePeriod <= 15):
		return p, paramErr("RidgePeriod", "%g px outside 5-15", p.RidgePeriod)
	case p.Iterations < 1 || p.Iterations > 40:
		return p, paramErr("Iterations", "%d outside 1-40", p.Iterations)
	case p.Class < AnyClass || p.Class > Whorl:
		return p, paramErr("Class", "unknown class %d", int(p.Class))
	}
	return p, nil
}

// newRand returns the generator's random source for a seed and a stream
// number (so that independent stages do not share draws).
func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^stream))
}

// Random streams of the generators.
const (
	streamLayout = iota + 1
	streamField
	streamNoise
	streamTexture
	streamDegrade
	streamFace
	streamOcclude
)

// Fingerprint renders a synthetic fingerprint: an orientation field from
// the zero-pole model of Sherlock and Monro (cores and deltas placed by
// class and seed), a smoothly varying ridge-frequency map, and iterative
// space-variant Gabor filtering of seeded noise inside an elliptical
// finger-shaped foreground, as in SFinGe. The background is white (255);
// ridges are dark. The result is a function of p alone.
func Fingerprint(p FingerParams) (*image.Gray, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	w, h := p.Width, p.Height
	lr := newRand(p.Seed, streamLayout)
	class := p.Class
	if class == AnyClass {
		switch u := lr.Float64(); {
		case u < 0.33:
			class = RightLoop
		case u < 0.65:
			class = LeftLoop
		case u < 0.93:
			class = Whorl
		case u < 0.97:
			class = Arch
		default:
			class = TentedArch
		}
	}
	shape := fingerShape(w, h, lr)
	sing := singularities(class, shape, lr)
	field := orientationField(w, h, class, shape, sing, p.Seed)
	period := periodMap(w, h, p.RidgePeriod, sing, p.Seed)
	mask := shape.mask(w, h)
	ridges := renderRidges(w, h, field, period, mask, p.Iterations, p.Seed)
	return inkPrint(w, h, ridges, mask, p.Seed), nil
}

// shape is the finger's foreground: a super-ellipse with a rounder top.
type shape struct {
	cx, cy          float64 // centre
	a               float64 // horizontal semi-axis
	bTop, bBottom   float64 // vertical semi-axes above and below the centre
	exponent, blurR float64
}

func fingerShape(w, h int, r *rand.Rand) shape {
	fw, fh := float64(w), float64(h)
	return shape{
		cx:       fw/2 + (r.Float64()-0.5)*0.04*fw,
		cy:       fh*0.50 + (r.Float64()-0.5)*0.04*fh,
		a:        fw * (0.40 + 0.04*r.Float64()),
		bTop:     fh * (0.42 + 0.04*r.Float64()),
		bBottom:  fh * 0.58,
		exponent: 2.3 + 0.4*r.Float64(),
		blurR:    5,
	}
}

// mask returns the foreground weight in [0,1] of each pixel, row-major,
// with a soft edge where the finger lifts from the sensor.
func (s shape) mask(w, h int) []float32 {
	m := make([]float32, w*h)
	for y := 0; y < h; y++ {
		dy := float64(y) + 0.5 - s.cy
		b := s.bBottom
		if dy < 0 {
			b = s.bTop
		}
		ny := math.Abs(dy) / b
		for x := 0; x < w; x++ {
			nx := math.Abs(float64(x)+0.5-s.cx) / s.a
			// Super-ellipse radius; its distance from 1 in pixels approx.
			// Super-ellipse: q = nx^e + ny^e < 1 inside. Near the edge,
			// 1 - q^(1/e) ≈ (1 - q)/e, so skip the root where q is far
			// from 1 (the weight is then 0 or 1 anyway).
			q := powE(nx, s.exponent) + powE(ny, s.exponent)
			var d float64
			switch {
			case q < 0.7:
				d = 2
			case q > 1.5:
				d = -2
			default:
				d = (1 - math.Pow(q, 1/s.exponent)) * math.Min(s.a, b) / s.blurR // > 0 inside
			}
			m[y*w+x] = float32(smoothstep(d))
		}
	}
	return m
}

// powE is x^e for x ≥ 0.
func powE(x, e float64) float64 {
	if x == 0 {
		return 0
	}
	return math.Exp(e * math.Log(x))
}

func smoothstep(d float64) float64 {
	t := (d + 1) / 2
	switch {
	case t <= 0:
		return 0
	case t >= 1:
		return 1
	}
	return t * t * (3 - 2*t)
}

// singular holds the singular points of a pattern.
type singular struct {
	cores, deltas [][2]float64
}

func singularities(c FingerClass, s shape, r *rand.Rand) singular {
	j := func(scale float64) float64 { return (r.Float64() - 0.5) * 2 * scale }
	unit := s.a // about 160 px at the default size
	cx, cy := s.cx+j(0.06*unit), s.cy-0.12*unit+j(0.08*unit)
	var sg singular
	switch c {
	case TentedArch:
		sg.cores = [][2]float64{{cx, cy}}
		sg.deltas = [][2]float64{{cx + j(0.05*unit), cy + (0.45+0.1*r.Float64())*unit}}
	case LeftLoop, RightLoop:
		// A loop opens away from its delta: a right loop (ridges entering
		// and leaving on the image's right) has its delta on the left.
		side := 1.0
		if c == RightLoop {
			side = -1
		}
		sg.cores = [][2]float64{{cx - side*0.12*unit, cy}}
		sg.deltas = [][2]float64{{cx + side*(0.55+0.15*r.Float64())*unit, cy + (0.75+0.15*r.Float64())*unit}}
	case Whorl:
		d := (0.12 + 0.08*r.Float64()) * unit
		a := j(0.6)
		sg.cores = [][2]float64{
			{cx - d*math.Sin(a), cy - d*math.Cos(a)},
			{cx + d*math.Sin(a), cy + d*math.Cos(a)},
		}
		sg.deltas = [][2]float64{
			{cx - (0.7+0.15*r.Float64())*unit, cy + (0.75+0.15*r.Float64())*unit},
			{cx + (0.7+0.15*r.Float64())*unit, cy + (0.75+0.15*r.Float64())*unit},
		}
	}
	return sg
}

// orientationField returns the ridge direction (radians, image coordinates
// with y down, modulo π) of each pixel.
func orientationField(w, h int, c FingerClass, s shape, sg singular, seed uint64) []float32 {
	f := make([]float32, w*h)
	pert := newSmoothNoise(newRand(seed, streamField), w, h, 90, 3)
	for y := 0; y < h; y++ {
		fy := float64(y) + 0.5
		for x := 0; x < w; x++ {
			fx := float64(x) + 0.5
			var th float64
			if c == Arch {
				// Ridges follow y = y0 + A(y0)(1 - exp(-u²/2)), u = (x-cx)/wd:
				// arches rising towards the centre, flatter lower down.
				wd := 0.45 * s.a
				u := (fx - s.cx) / wd
				top := s.cy - s.bTop
				amp := 0.55 * s.a * math.Max(0, 1-(fy-top)/(1.3*(s.bTop+s.bBottom)))
				th = math.Atan(amp / wd * u * math.Exp(-u*u/2))
			} else {
				// Sherlock–Monro zero-pole model: each core adds half the
				// argument, each delta subtracts it.
				for _, p := range sg.cores {
					th += 0.5 * math.Atan2(fy-p[1], fx-p[0])
				}
				for _, p := range sg.deltas {
					th -= 0.5 * math.Atan2(fy-p[1], fx-p[0])
				}
			}
			th += 0.12 * pert.at(x, y) // up to about ±7°
			f[y*w+x] = float32(th)
		}
	}
	return f
}

// periodMap returns the local ridge period in pixels.
func periodMap(w, h int, base float64, sg singular, seed uint64) []float32 {
	p := make([]float32, w*h)
	n := newSmoothNoise(newRand(seed, streamField+100), w, h, 120, 2)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := base * (1 + 0.07*n.at(x, y))
			// Ridges are a little wider apart above the cores (towards the
			// finger tip) than below the deltas.
			if len(sg.cores) > 0 {
				d := (sg.cores[0][1] - float64(y)) / float64(h)
				v *= 1 + 0.08*math.Tanh(3*d)
			}
			p[y*w+x] = float32(v)
		}
	}
	return p
}

// smoothNoise is band-limited noise in about [-1,1]: a sum of a few random
// cosine waves with wavelengths near scale pixels.
type smoothNoise struct {
	amp          []float64
	tabX, tabY   [][]float64 // per-wave cosine tables along x and y
	tabXs, tabYs [][]float64 // and sine tables
}

func newSmoothNoise(r *rand.Rand, w, h int, scale float64, waves int) *smoothNoise {
	n := &smoothNoise{}
	norm := 1 / math.Sqrt(float64(waves)/2)
	for i := 0; i < waves*2; i++ {
		a := r.Float64() * 2 * math.Pi
		k := 2 * math.Pi / (scale * (0.7 + 0.6*r.Float64()))
		kx, ky, ph := k*math.Cos(a), k*math.Sin(a), r.Float64()*2*math.Pi
		// cos(kx x + ky y + ph) = cos(kx x+ph)cos(ky y) - sin(kx x+ph)sin(ky y)
		tx, txs := make([]float64, w), make([]float64, w)
		for x := range w {
			tx[x] = math.Cos(kx*float64(x) + ph)
			txs[x] = math.Sin(kx*float64(x) + ph)
		}
		ty, tys := make([]float64, h), make([]float64, h)
		for y := range h {
			ty[y] = math.Cos(ky * float64(y))
			tys[y] = math.Sin(ky * float64(y))
		}
		n.tabX, n.tabXs = append(n.tabX, tx), append(n.tabXs, txs)
		n.tabY, n.tabYs = append(n.tabY, ty), append(n.tabYs, tys)
		n.amp = append(n.amp, norm*(0.5+r.Float64())/2)
	}
	return n
}

func (n *smoothNoise) at(x, y int) float64 {
	var s float64
	for i, a := range n.amp {
		s += a * (n.tabX[i][x]*n.tabY[i][y] - n.tabXs[i][x]*n.tabYs[i][y])
	}
	return math.Max(-1, math.Min(1, s))
}
