package facemesh

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// CropInput fills dst with a size×size RGB model input resampled from img:
// the square of side `side` image pixels centred at (cx, cy), rotated by
// angle radians. The crop's x axis runs along (cos angle, sin angle) in the
// image (y down), so with angle = atan2(y2−y1, x2−x1) of the eye centres the
// eyes come out level. Sampling is bilinear at each output pixel's centre,
// with image pixel (i, j) centred at (i+0.5, j+0.5) and the border pixels
// repeated outside the image (as MediaPipe's BORDER_REPLICATE). Values are
// channel/255 in [0, 1], row-major, channels interleaved R, G, B, as
// [Mesh.Run] and [Iris.Run] take them. All arithmetic is float64 without
// fused multiply-adds, so the result is the same on every platform.
//
// The returned function maps crop coordinates (as in [MeshResult.Points],
// x, y in [0, size]) back to image coordinates.
//
// CropInput panics if size ≤ 0 or len(dst) ≠ size·size·3 (a programming
// error). An empty image gives zeros.
func CropInput(img image.Image, cx, cy, side, angle float64, size int, dst []float32) (toImage func(x, y float64) (float64, float64)) {
	if size <= 0 || len(dst) != size*size*3 {
		panic(fmt.Sprintf("facemesh: CropInput: dst has %d values for size %d", len(dst), size))
	}
	sin, cos := sincos(angle)
	scale := side / float64(size)
	toImage = func(x, y float64) (float64, float64) {
		lx := float64(x*scale) - float64(side*0.5)
		ly := float64(y*scale) - float64(side*0.5)
		return cx + float64(lx*cos) - float64(ly*sin), cy + float64(lx*sin) + float64(ly*cos)
	}
	b := img.Bounds()
	if b.Empty() {
		clear(dst)
		return toImage
	}
	px := newPixels(img)
	for v := 0; v < size; v++ {
		for u := 0; u < size; u++ {
			x, y := toImage(float64(u)+0.5, float64(v)+0.5)
			r, g, bl := bilinear(px, b, x-0.5, y-0.5)
			o := dst[(v*size+u)*3:][:3]
			o[0] = float32(r / 255)
			o[1] = float32(g / 255)
			o[2] = float32(bl / 255)
		}
	}
	return toImage
}

// FlipHorizontal mirrors a size×size RGB input left to right in place, for
// running [Iris] on the subject's left eye; map its output back with
// x → size − x. It panics if len(rgb) ≠ size·size·3.
func FlipHorizontal(rgb []float32, size int) {
	if size <= 0 || len(rgb) != size*size*3 {
		panic(fmt.Sprintf("facemesh: FlipHorizontal: %d values for size %d", len(rgb), size))
	}
	for v := 0; v < size; v++ {
		row := rgb[v*size*3:][:size*3]
		for l, r := 0, size-1; l < r; l, r = l+1, r-1 {
			for c := 0; c < 3; c++ {
				row[l*3+c], row[r*3+c] = row[r*3+c], row[l*3+c]
			}
		}
	}
}

// bilinear interpolates the image at continuous pixel-index coordinates
// (x, y), clamping to the border.
func bilinear(px pixels, b image.Rectangle, x, y float64) (r, g, bl float64) {
	// Beyond one pixel outside the image every tap is a border pixel, so
	// clamping there changes nothing and keeps Inf and huge values finite;
	// NaN reads the top-left pixel.
	x = clampFloat(x, float64(b.Min.X)-1, float64(b.Max.X))
	y = clampFloat(y, float64(b.Min.Y)-1, float64(b.Max.Y))
	fx, fy := math.Floor(x), math.Floor(y)
	tx, ty := x-fx, y-fy
	x0 := clampInt(int(fx), b.Min.X, b.Max.X-1)
	x1 := clampInt(int(fx)+1, b.Min.X, b.Max.X-1)
	y0 := clampInt(int(fy), b.Min.Y, b.Max.Y-1)
	y1 := clampInt(int(fy)+1, b.Min.Y, b.Max.Y-1)
	r00, g00, b00 := px.at(x0, y0)
	r10, g10, b10 := px.at(x1, y0)
	r01, g01, b01 := px.at(x0, y1)
	r11, g11, b11 := px.at(x1, y1)
	lerp2 := func(a, b, c, d float64) float64 {
		top := a + float64(tx*(b-a))
		bot := c + float64(tx*(d-c))
		return top + float64(ty*(bot-top))
	}
	return lerp2(r00, r10, r01, r11), lerp2(g00, g10, g01, g11), lerp2(b00, b10, b01, b11)
}

// clampFloat limits v to [lo, hi]; NaN gives lo.
func clampFloat(v, lo, hi float64) float64 {
	if !(v >= lo) {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// pixels reads 8-bit RGB from the common image types without going
// through image.Image.At.
type pixels struct {
	img   image.Image
	rgba  *image.RGBA
	nrgba *image.NRGBA
	ycc   *image.YCbCr
	gray  *image.Gray
}

func newPixels(img image.Image) pixels {
	p := pixels{img: img}
	switch m := img.(type) {
	case *image.RGBA:
		p.rgba = m
	case *image.NRGBA:
		p.nrgba = m
	case *image.YCbCr:
		p.ycc = m
	case *image.Gray:
		p.gray = m
	}
	return p
}

// at returns the pixel's R, G, B in [0, 255]. Colour with alpha is read
// as its RGB channels (NRGBA) or premultiplied values (RGBA), the same as
// an opaque image.
func (p pixels) at(x, y int) (r, g, b float64) {
	switch {
	case p.rgba != nil:
		s := p.rgba.Pix[p.rgba.PixOffset(x, y):]
		return float64(s[0]), float64(s[1]), float64(s[2])
	case p.nrgba != nil:
		s := p.nrgba.Pix[p.nrgba.PixOffset(x, y):]
		return float64(s[0]), float64(s[1]), float64(s[2])
	case p.ycc != nil:
		yy := p.ycc.Y[p.ycc.YOffset(x, y)]
		ci := p.ycc.COffset(x, y)
		r8, g8, b8 := color.YCbCrToRGB(yy, p.ycc.Cb[ci], p.ycc.Cr[ci])
		return float64(r8), float64(g8), float64(b8)
	case p.gray != nil:
		v := float64(p.gray.Pix[p.gray.PixOffset(x, y)])
		return v, v, v
	}
	c := color.NRGBAModel.Convert(p.img.At(x, y)).(color.NRGBA)
	return float64(c.R), float64(c.G), float64(c.B)
}

// sincos returns sin(a) and cos(a) in plain float64 arithmetic with no
// fused multiply-adds (math.Sin's polynomial may be fused on some
// platforms): a = k·π/2 + r with |r| ≤ π/4, then Taylor series to degree
// 17 (error below 1e-17 on that range).
func sincos(a float64) (sin, cos float64) {
	if math.IsNaN(a) || math.IsInf(a, 0) {
		return math.NaN(), math.NaN()
	}
	const (
		pio2Hi = 1.57079632679489655800e+00 // π/2 rounded to float64
		pio2Lo = 6.12323399573676603587e-17 // π/2 − pio2Hi
	)
	k := math.Floor(float64(a/pio2Hi) + 0.5)
	r := float64(a-float64(k*pio2Hi)) - float64(k*pio2Lo)
	r2 := float64(r * r)
	// sin r = r(1 − r²/3! + r⁴/5! − …), cos r = 1 − r²/2! + r⁴/4! − …
	s, c := 0.0, 0.0
	for n := 8; n >= 1; n-- {
		s = float64(s*r2) + sinCoef[n]
		c = float64(c*r2) + cosCoef[n]
	}
	s = float64(r*float64(s*r2)) + r
	c = float64(c*r2) + 1
	switch q := int64(k) & 3; q {
	case 0:
		return s, c
	case 1:
		return c, -s
	case 2:
		return -s, -c
	default:
		return -c, s
	}
}

// sinCoef[n] = (−1)ⁿ/(2n+1)!, cosCoef[n] = (−1)ⁿ/(2n)!, for n in 1..8.
var sinCoef, cosCoef = func() (s, c [9]float64) {
	f := 1.0 // m!
	for m := 1; m <= 17; m++ {
		f *= float64(m)
		sign := 1.0
		if (m/2)%2 == 1 {
			sign = -1
		}
		if m%2 == 1 {
			s[m/2] = sign / f
		} else {
			c[m/2] = sign / f
		}
	}
	s[0], c[0] = 0, 0 // unused: the series' leading terms are added apart
	return
}()
