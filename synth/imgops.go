package synth

import (
	"image"
	"image/color"
	"math"
)

// planes is an image as float32 channels (1: grey, 3: R, G, B), values
// 0-255, row-major without padding.
type planes struct {
	w, h int
	c    [][]float32
}

func newPlanes(w, h, n int) *planes {
	p := &planes{w: w, h: h, c: make([][]float32, n)}
	for i := range p.c {
		p.c[i] = make([]float32, w*h)
	}
	return p
}

// planesOf converts img to float channels: 1 channel for *image.Gray and
// *image.Gray16, 3 otherwise. The origin moves to (0,0).
func planesOf(img image.Image) *planes {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	switch g := img.(type) {
	case *image.Gray:
		p := newPlanes(w, h, 1)
		for y := 0; y < h; y++ {
			row := g.Pix[(y+b.Min.Y-g.Rect.Min.Y)*g.Stride+(b.Min.X-g.Rect.Min.X):]
			for x := 0; x < w; x++ {
				p.c[0][y*w+x] = float32(row[x])
			}
		}
		return p
	case *image.Gray16:
		p := newPlanes(w, h, 1)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				p.c[0][y*w+x] = float32(g.Gray16At(b.Min.X+x, b.Min.Y+y).Y) / 257
			}
		}
		return p
	}
	p := newPlanes(w, h, 3)
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				c := m.YCbCrAt(b.Min.X+x, b.Min.Y+y)
				r, g, bl := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
				i := y*w + x
				p.c[0][i], p.c[1][i], p.c[2][i] = float32(r), float32(g), float32(bl)
			}
		}
		return p
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				i := y*w + x
				p.c[0][i], p.c[1][i], p.c[2][i] = float32(row[4*x]), float32(row[4*x+1]), float32(row[4*x+2])
			}
		}
		return p
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBAModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
			i := y*w + x
			p.c[0][i], p.c[1][i], p.c[2][i] = float32(c.R), float32(c.G), float32(c.B)
		}
	}
	return p
}

// image returns the planes as *image.Gray (1 channel) or an opaque
// *image.RGBA (3 channels), rounding and clamping each value.
func (p *planes) image() image.Image {
	r := image.Rect(0, 0, p.w, p.h)
	if len(p.c) == 1 {
		g := image.NewGray(r)
		for i, v := range p.c[0] {
			g.Pix[i] = clampU8(float64(v))
		}
		return g
	}
	m := image.NewRGBA(r)
	for i := range p.c[0] {
		m.Pix[4*i+0] = clampU8(float64(p.c[0][i]))
		m.Pix[4*i+1] = clampU8(float64(p.c[1][i]))
		m.Pix[4*i+2] = clampU8(float64(p.c[2][i]))
		m.Pix[4*i+3] = 255
	}
	return m
}

// grey returns a one-channel copy with Rec. 601 luma weights (as
// image/color's GrayModel).
func (p *planes) grey() *planes {
	if len(p.c) == 1 {
		return p
	}
	q := newPlanes(p.w, p.h, 1)
	for i := range q.c[0] {
		q.c[0][i] = 0.299*p.c[0][i] + 0.587*p.c[1][i] + 0.114*p.c[2][i]
	}
	return q
}

// gaussKernel returns a normalised 1-D Gaussian of standard deviation
// sigma, radius ceil(3σ).
func gaussKernel(sigma float64) []float32 {
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*r+1)
	var s float64
	for i := -r; i <= r; i++ {
		v := math.Exp(-float64(i*i) / (2 * sigma * sigma))
		k[i+r] = float32(v)
		s += v
	}
	for i := range k {
		k[i] = float32(float64(k[i]) / s)
	}
	return k
}

// blur applies a separable Gaussian blur to every channel in place, with
// edge pixels replicated.
func (p *planes) blur(sigma float64) {
	if sigma <= 0 {
		return
	}
	k := gaussKernel(sigma)
	r := len(k) / 2
	w, h := p.w, p.h
	tmp := make([]float32, w*h)
	line := make([]float32, max(w, h)+2*r)
	col := make([]float32, h)
	for _, c := range p.c {
		for y := 0; y < h; y++ {
			row := c[y*w : y*w+w]
			for i := range w + 2*r {
				line[i] = row[min(max(i-r, 0), w-1)]
			}
			convolve(tmp[y*w:y*w+w], line, k)
		}
		for x := 0; x < w; x++ {
			for i := range h + 2*r {
				line[i] = tmp[min(max(i-r, 0), h-1)*w+x]
			}
			convolve(col[:h], line, k)
			for y := 0; y < h; y++ {
				c[y*w+x] = col[y]
			}
		}
	}
}

// convolve sets dst[i] = Σ k[j]·line[i+j].
//
// It touches only buffers owned by one call, never shared between
// goroutines, so it is exempt from race instrumentation (which would make
// blurring a portrait about ten times slower under -race).
//
//go:norace
func convolve(dst, line, k []float32) {
	for i := range dst {
		l := line[i : i+len(k)]
		var s float32
		for j, kv := range k {
			s += float32(kv * l[j]) // the conversion forbids a fused multiply-add
		}
		dst[i] = s
	}
}

// affine is the map (x, y) → (a*x + b*y + c, d*x + e*y + f) in pixel-centre
// coordinates (the centre of pixel (i, j) is at (i, j)).
type affine struct{ a, b, c, d, e, f float64 }

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.b*y + m.c, m.d*x + m.e*y + m.f
}

// then returns the map that applies m first and n second.
func (m affine) then(n affine) affine {
	return affine{
		a: n.a*m.a + n.b*m.d, b: n.a*m.b + n.b*m.e, c: n.a*m.c + n.b*m.f + n.c,
		d: n.d*m.a + n.e*m.d, e: n.d*m.b + n.e*m.e, f: n.d*m.c + n.e*m.f + n.f,
	}
}

func (m affine) inverse() affine {
	det := m.a*m.e - m.b*m.d
	ia, ib, id, ie := m.e/det, -m.b/det, -m.d/det, m.a/det
	return affine{a: ia, b: ib, c: -(ia*m.c + ib*m.f), d: id, e: ie, f: -(id*m.c + ie*m.f)}
}

func translate(tx, ty float64) affine { return affine{a: 1, c: tx, e: 1, f: ty} }

func scaleAbout(s, cx, cy float64) affine {
	return affine{a: s, c: cx - s*cx, e: s, f: cy - s*cy}
}

// rotateAbout rotates by deg degrees about (cx, cy); with y pointing down, a
// positive angle turns clockwise on screen.
func rotateAbout(deg, cx, cy float64) affine {
	s, c := math.Sincos(deg * math.Pi / 180)
	return translate(-cx, -cy).then(affine{a: c, b: -s, d: s, e: c}).then(translate(cx, cy))
}

// warp resamples p through the forward map m into a w×h image with
// bilinear interpolation. Points falling outside the source take fill (one
// value per channel), or the nearest edge pixel when fill is nil. When the
// map shrinks by more than 1.25, the source is first low-pass filtered.
func (p *planes) warp(m affine, w, h int, fill []float32) *planes {
	src := p
	if s := math.Sqrt(math.Abs(m.a*m.e - m.b*m.d)); s < 0.8 {
		src = p.clone()
		src.blur(0.5 * math.Sqrt(1/(s*s)-1))
	}
	inv := m.inverse()
	out := newPlanes(w, h, len(p.c))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sx, sy := inv.apply(float64(x), float64(y))
			for ci, c := range src.c {
				out.c[ci][y*w+x] = src.sample(c, sx, sy, fill, ci)
			}
		}
	}
	return out
}

func (p *planes) sample(c []float32, x, y float64, fill []float32, ci int) float32 {
	if fill != nil && (x < -0.5 || y < -0.5 || x > float64(p.w)-0.5 || y > float64(p.h)-0.5) {
		return fill[ci]
	}
	x = math.Min(math.Max(x, 0), float64(p.w-1))
	y = math.Min(math.Max(y, 0), float64(p.h-1))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, p.w-1), min(y0+1, p.h-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	v00, v01 := c[y0*p.w+x0], c[y0*p.w+x1]
	v10, v11 := c[y1*p.w+x0], c[y1*p.w+x1]
	// Explicit conversions round each product, so that no platform fuses
	// them into multiply-adds and the result is the same everywhere.
	top := v00 + float32((v01-v00)*fx)
	bot := v10 + float32((v11-v10)*fx)
	return top + float32((bot-top)*fy)
}

func (p *planes) clone() *planes {
	q := &planes{w: p.w, h: p.h, c: make([][]float32, len(p.c))}
	for i, c := range p.c {
		q.c[i] = append([]float32(nil), c...)
	}
	return q
}
