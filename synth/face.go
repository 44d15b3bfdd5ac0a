package synth

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"

	"github.com/biogate/biogate/quality"
)

// Eyes are the eye centres of a face, in pixel coordinates of the image
// where the centre of pixel (i, j) is the point (i, j) (the convention of
// landmark tools such as dlib).
type Eyes struct {
	// Right is the centre of the SUBJECT's right eye, on the image's left.
	Right quality.Point `json:"right"`
	// Left is the centre of the SUBJECT's left eye, on the image's right.
	Left quality.Point `json:"left"`
}

// IED returns the inter-eye distance in pixels.
func (e Eyes) IED() float64 { return math.Hypot(e.Left.X-e.Right.X, e.Left.Y-e.Right.Y) }

// Roll returns the tilt of the eye line in degrees, with the sign of
// quality.HeadPoseRoll: positive when the subject's left eye (image-right)
// is higher in the image.
func (e Eyes) Roll() float64 {
	return math.Atan2(-(e.Left.Y-e.Right.Y), e.Left.X-e.Right.X) * 180 / math.Pi
}

// Mid returns the midpoint between the eyes.
func (e Eyes) Mid() quality.Point {
	return quality.Point{X: (e.Left.X + e.Right.X) / 2, Y: (e.Left.Y + e.Right.Y) / 2}
}

func (e Eyes) valid() bool {
	for _, v := range []float64{e.Left.X, e.Left.Y, e.Right.X, e.Right.Y} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return e.IED() >= 2 && e.Left.X > e.Right.X
}

// FaceDegradation lists controlled degradations of a portrait. The zero
// value changes nothing. The geometric ones (IED, Level, Roll, ShiftX,
// ShiftY) are combined into one affine map, applied with one bilinear
// resampling (edge pixels are replicated outside the source); the eye
// centres are carried through the same map. Then, in order: Clutter,
// Uneven, Gamma and Gain, Blur, Noise, Greyscale, JPEGQuality.
type FaceDegradation struct {
	// Seed draws the noise and the clutter.
	Seed uint64 `json:"seed,omitempty"`
	// IED scales the whole image so that the inter-eye distance becomes
	// this many pixels (0: unchanged; 8-1000). The output size scales too.
	IED float64 `json:"ied,omitempty"`
	// Level first turns the image about the eye midpoint so that the eye
	// line is horizontal; Roll then gives the final tilt exactly.
	Level bool `json:"level,omitempty"`
	// Roll turns the image about the eye midpoint by this many degrees;
	// positive raises the subject's left eye (image-right), as
	// quality.HeadPoseRoll counts (-90 to 90).
	Roll float64 `json:"roll,omitempty"`
	// ShiftX and ShiftY translate the image by these fractions of the
	// output width and height (positive: right and down; -0.5 to 0.5).
	ShiftX float64 `json:"shift_x,omitempty"`
	ShiftY float64 `json:"shift_y,omitempty"`
	// Clutter paints random shapes on the background outside the head and
	// shoulders (0-1: the fraction of the background area covered,
	// roughly).
	Clutter float64 `json:"clutter,omitempty"`
	// Uneven multiplies the light by a left-right ramp from 1−Uneven at the
	// image's left edge to 1+Uneven at its right edge (-1 to 1).
	Uneven float64 `json:"uneven,omitempty"`
	// Gamma maps each value v to 255·(v/255)^Gamma (0 or 1: unchanged;
	// 0.2-5; above 1 darkens the mid-tones).
	Gamma float64 `json:"gamma,omitempty"`
	// Gain multiplies the 8-bit values, as a digital exposure change (0 or
	// 1: unchanged; 0.01-10).
	Gain float64 `json:"gain,omitempty"`
	// Blur is the standard deviation of a Gaussian blur, in output pixels
	// (0-30).
	Blur float64 `json:"blur,omitempty"`
	// Noise is the standard deviation of additive Gaussian noise per
	// channel, in 8-bit levels (0-128).
	Noise float64 `json:"noise,omitempty"`
	// Greyscale converts the result to 8-bit grey (Rec. 601 luma).
	Greyscale bool `json:"greyscale,omitempty"`
	// JPEGQuality, when 1-100, encodes the result as JPEG at that quality;
	// the decoded JPEG is returned with the file bytes (0: no JPEG).
	JPEGQuality int `json:"jpeg_quality,omitempty"`
}

// Validate checks every field's range; errors wrap ErrInvalid.
func (d FaceDegradation) Validate() error {
	bad := func(v, lo, hi float64) bool { return math.IsNaN(v) || v < lo || v > hi }
	switch {
	case d.IED != 0 && bad(d.IED, 8, 1000):
		return paramErr("IED", "%g px outside 8-1000", d.IED)
	case bad(d.Roll, -90, 90):
		return paramErr("Roll", "%g° outside -90 to 90", d.Roll)
	case bad(d.ShiftX, -0.5, 0.5):
		return paramErr("ShiftX", "%g outside -0.5 to 0.5", d.ShiftX)
	case bad(d.ShiftY, -0.5, 0.5):
		return paramErr("ShiftY", "%g outside -0.5 to 0.5", d.ShiftY)
	case bad(d.Clutter, 0, 1):
		return paramErr("Clutter", "%g outside 0-1", d.Clutter)
	case bad(d.Uneven, -1, 1):
		return paramErr("Uneven", "%g outside -1 to 1", d.Uneven)
	case d.Gamma != 0 && bad(d.Gamma, 0.2, 5):
		return paramErr("Gamma", "%g outside 0.2-5", d.Gamma)
	case d.Gain != 0 && bad(d.Gain, 0.01, 10):
		return paramErr("Gain", "%g outside 0.01-10", d.Gain)
	case bad(d.Blur, 0, 30):
		return paramErr("Blur", "σ %g px outside 0-30", d.Blur)
	case bad(d.Noise, 0, 128):
		return paramErr("Noise", "σ %g outside 0-128", d.Noise)
	case d.JPEGQuality < 0 || d.JPEGQuality > 100:
		return paramErr("JPEGQuality", "%d outside 1-100", d.JPEGQuality)
	}
	return nil
}

// MaxFacePixels bounds the output of DegradeFace (width × height).
const MaxFacePixels = 40 << 20

// FaceTransform returns the output size and the eye centres DegradeFace
// produces for an input of size w×h with eyes e, without rendering. It is
// the ground truth the sidecars record.
func FaceTransform(w, h int, e Eyes, d FaceDegradation) (ow, oh int, out Eyes, err error) {
	m, ow, oh, err := faceGeometry(w, h, e, d)
	if err != nil {
		return 0, 0, Eyes{}, err
	}
	return ow, oh, transformEyes(m, e), nil
}

func transformEyes(m affine, e Eyes) Eyes {
	var o Eyes
	o.Right.X, o.Right.Y = m.apply(e.Right.X, e.Right.Y)
	o.Left.X, o.Left.Y = m.apply(e.Left.X, e.Left.Y)
	return o
}

// faceGeometry returns the forward map from input to output pixel centres
// and the output size.
func faceGeometry(w, h int, e Eyes, d FaceDegradation) (affine, int, int, error) {
	if w <= 0 || h <= 0 {
		return affine{}, 0, 0, paramErr("img", "empty image")
	}
	if !e.valid() {
		return affine{}, 0, 0, paramErr("eyes", "eye centres must be finite, at least 2 px apart, with the subject's right eye on the image's left")
	}
	if err := d.Validate(); err != nil {
		return affine{}, 0, 0, err
	}
	s := 1.0
	if d.IED > 0 {
		s = d.IED / e.IED()
	}
	ow, oh := int(math.Round(float64(w)*s)), int(math.Round(float64(h)*s))
	if ow < 1 || oh < 1 || float64(ow)*float64(oh) > MaxFacePixels {
		return affine{}, 0, 0, paramErr("IED", "output size %dx%d out of range", ow, oh)
	}
	// Scaling maps the image extent [-0.5, w-0.5] onto [-0.5, s·w-0.5].
	m := scaleAbout(s, -0.5, -0.5)
	mx, my := m.apply(e.Mid().X, e.Mid().Y)
	turn := d.Roll
	if d.Level {
		turn -= e.Roll()
	}
	if turn != 0 {
		// rotateAbout turns clockwise on screen for positive angles, which
		// lowers the image-right eye: raising it needs the opposite sign.
		m = m.then(rotateAbout(-turn, mx, my))
	}
	if d.ShiftX != 0 || d.ShiftY != 0 {
		m = m.then(translate(d.ShiftX*float64(ow), d.ShiftY*float64(oh)))
	}
	return m, ow, oh, nil
}

// DegradeFace applies d to a portrait whose eye centres are eyes, and
// returns the degraded image (an opaque *image.RGBA, or *image.Gray when
// the input is grey or d.Greyscale is set; with d.JPEGQuality the decoded
// JPEG), the eye centres in the output, exactly transformed, and the JPEG
// file bytes when d.JPEGQuality is set (nil otherwise). The result is a
// function of (img, eyes, d).
func DegradeFace(img image.Image, eyes Eyes, d FaceDegradation) (image.Image, Eyes, []byte, error) {
	if img == nil || img.Bounds().Empty() {
		return nil, Eyes{}, nil, paramErr("img", "empty image")
	}
	b := img.Bounds()
	m, ow, oh, err := faceGeometry(b.Dx(), b.Dy(), eyes, d)
	if err != nil {
		return nil, Eyes{}, nil, err
	}
	out := transformEyes(m, eyes)
	p := planesOf(img)
	if m != (affine{a: 1, e: 1}) || ow != p.w || oh != p.h {
		p = p.warp(m, ow, oh, nil)
	}
	r := newRand(d.Seed, streamFace)
	if d.Clutter > 0 {
		clutter(p, out, d.Clutter, r)
	}
	if d.Uneven != 0 {
		for y := 0; y < p.h; y++ {
			for x := 0; x < p.w; x++ {
				f := float32(1 + d.Uneven*(2*float64(x)/float64(max(p.w-1, 1))-1))
				for _, c := range p.c {
					c[y*p.w+x] = float32(c[y*p.w+x] * f)
				}
			}
		}
	}
	if (d.Gamma != 0 && d.Gamma != 1) || (d.Gain != 0 && d.Gain != 1) {
		g, k := d.Gamma, d.Gain
		if g == 0 {
			g = 1
		}
		if k == 0 {
			k = 1
		}
		for _, c := range p.c {
			for i, v := range c {
				v = max(v, 0)
				c[i] = float32(255 * k * math.Pow(float64(v)/255, g))
			}
		}
	}
	p.blur(d.Blur)
	if d.Noise > 0 {
		for i := range p.c[0] {
			for _, c := range p.c {
				c[i] += float32(d.Noise * r.NormFloat64())
			}
		}
	}
	if d.Greyscale {
		p = p.grey()
	}
	res := p.image()
	if d.JPEGQuality == 0 {
		return res, out, nil, nil
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, res, &jpeg.Options{Quality: d.JPEGQuality}); err != nil {
		return nil, Eyes{}, nil, err
	}
	dec, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return nil, Eyes{}, nil, err
	}
	return dec, out, buf.Bytes(), nil
}

// keepOut reports whether (x, y) lies on the subject: an ellipse around the
// head (1.5 IED either side of the eye midpoint, from 2 IED above to 2.5
// IED below it) and a widening cone below the chin (neck and shoulders).
func keepOut(e Eyes, x, y float64) bool {
	mid, ied := e.Mid(), e.IED()
	// Work in the face's own frame, so that the zone follows the roll.
	a := -e.Roll() * math.Pi / 180
	ca, sa := math.Cos(a), math.Sin(a)
	dx, dy := x-mid.X, y-mid.Y
	u := (dx*ca + dy*sa) / ied  // along the eye line
	v := (-dx*sa + dy*ca) / ied // down the face
	cy := 0.25
	ry := 2.25
	if (u*u)/(1.5*1.5)+((v-cy)*(v-cy))/(ry*ry) <= 1 {
		return true
	}
	return v > 1.6 && math.Abs(u) < 1.3+2*(v-1.6)
}

// clutter paints rectangles and discs of random colours on the background.
func clutter(p *planes, e Eyes, amount float64, r *rand.Rand) {
	ied := e.IED()
	n := int(math.Round(amount * 80))
	for k := 0; k < n; k++ {
		cx := r.Float64() * float64(p.w)
		cy := r.Float64() * float64(p.h)
		rw := ied * (0.15 + 0.6*r.Float64())
		rh := ied * (0.15 + 0.6*r.Float64())
		disc := r.IntN(2) == 0
		col := [3]float32{float32(r.IntN(256)), float32(r.IntN(256)), float32(r.IntN(256))}
		x0, x1 := max(int(cx-rw), 0), min(int(cx+rw)+1, p.w)
		y0, y1 := max(int(cy-rh), 0), min(int(cy+rh)+1, p.h)
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				fx, fy := float64(x), float64(y)
				if disc && ((fx-cx)*(fx-cx)/(rw*rw)+(fy-cy)*(fy-cy)/(rh*rh) > 1) {
					continue
				}
				if keepOut(e, fx, fy) {
					continue
				}
				i := y*p.w + x
				if len(p.c) == 1 {
					p.c[0][i] = 0.299*col[0] + 0.587*col[1] + 0.114*col[2]
					continue
				}
				for ci, c := range p.c {
					c[i] = col[ci]
				}
			}
		}
	}
}
