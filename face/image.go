package face

import (
	"image"
	"math"
	"sync"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/internal/fpmath"
)

// grayPool recycles luminance buffers between calls (preview mode on live
// video assesses many frames of the same size).
var grayPool = sync.Pool{New: func() any { return new([]uint8) }}

func getBuf(n int) *[]uint8 {
	p := grayPool.Get().(*[]uint8)
	if cap(*p) < n {
		*p = make([]uint8, n)
	}
	*p = (*p)[:n]
	return p
}

// luma converts img to BT.601 luma (JPEG's Y), with the image's top-left
// corner at (0, 0).
func luma(img image.Image, buf []uint8) *pico.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	g := &pico.Gray{Pix: buf[:w*h], W: w, H: h, Stride: w}
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			copy(g.Pix[y*w:(y+1)*w], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			copy(g.Pix[y*w:(y+1)*w], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			s := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			d := g.Pix[y*w : (y+1)*w]
			for x := range d {
				// Non-premultiplied: composite on black like image/color.
				r, gg, bb, a := uint32(s[4*x]), uint32(s[4*x+1]), uint32(s[4*x+2]), uint32(s[4*x+3])
				if a != 255 {
					r, gg, bb = r*a/255, gg*a/255, bb*a/255
				}
				d[x] = yOf(r, gg, bb)
			}
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			s := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			d := g.Pix[y*w : (y+1)*w]
			s = s[:4*len(d)]
			for x := range d {
				p := s[4*x : 4*x+3 : 4*x+3]
				d[x] = yOf(uint32(p[0]), uint32(p[1]), uint32(p[2]))
			}
		}
	default:
		for y := 0; y < h; y++ {
			d := g.Pix[y*w : (y+1)*w]
			for x := range d {
				r, gg, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				d[x] = yOf(r>>8, gg>>8, bb>>8)
			}
		}
	}
	return g
}

// yOf is BT.601 luma of 8-bit RGB, rounded, as image/color.RGBToYCbCr.
func yOf(r, g, b uint32) uint8 {
	y := (19595*r + 38470*g + 7471*b + 1<<15) >> 16
	if y > 255 {
		y = 255
	}
	return uint8(y)
}

// rgbAt returns the 8-bit colour at (x, y) relative to the image's top-left
// corner, clamped to the image.
func rgbAt(img image.Image, x, y int) (r, g, b uint8) {
	bd := img.Bounds()
	x += bd.Min.X
	y += bd.Min.Y
	if x < bd.Min.X {
		x = bd.Min.X
	} else if x >= bd.Max.X {
		x = bd.Max.X - 1
	}
	if y < bd.Min.Y {
		y = bd.Min.Y
	} else if y >= bd.Max.Y {
		y = bd.Max.Y - 1
	}
	switch m := img.(type) {
	case *image.YCbCr:
		yi, ci := m.YOffset(x, y), m.COffset(x, y)
		return ycc(m.Y[yi], m.Cb[ci], m.Cr[ci])
	case *image.Gray:
		v := m.Pix[m.PixOffset(x, y)]
		return v, v, v
	case *image.NRGBA:
		s := m.Pix[m.PixOffset(x, y):]
		a := uint32(s[3])
		return uint8(uint32(s[0]) * a / 255), uint8(uint32(s[1]) * a / 255), uint8(uint32(s[2]) * a / 255)
	case *image.RGBA:
		s := m.Pix[m.PixOffset(x, y):]
		return s[0], s[1], s[2]
	}
	rr, gg, bb, _ := img.At(x, y).RGBA()
	return uint8(rr >> 8), uint8(gg >> 8), uint8(bb >> 8)
}

// ycc converts JPEG YCbCr to RGB as image/color.YCbCrToRGB does.
func ycc(y, cb, cr uint8) (uint8, uint8, uint8) {
	yy := int32(y) * 0x10101
	cb1 := int32(cb) - 128
	cr1 := int32(cr) - 128
	r := yy + 91881*cr1
	g := yy - 22554*cb1 - 46802*cr1
	b := yy + 116130*cb1
	return clip8(r), clip8(g), clip8(b)
}

func clip8(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	if v < 0 {
		return 0
	}
	return 255
}

// downscale box-averages g by the integer factor k.
func downscale(g *pico.Gray, k int, buf []uint8) *pico.Gray {
	w, h := g.W/k, g.H/k
	d := &pico.Gray{Pix: buf[:w*h], W: w, H: h, Stride: w}
	if k == 2 {
		downscale2(g, d)
		return d
	}
	kk := uint32(k * k)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s uint32
			for j := 0; j < k; j++ {
				row := g.Pix[(y*k+j)*g.Stride+x*k:]
				for i := 0; i < k; i++ {
					s += uint32(row[i])
				}
			}
			d.Pix[y*w+x] = uint8((s + kk/2) / kk)
		}
	}
	return d
}

// downscale2 is downscale's body for k = 2 (the face search's pyramid), a
// row pair at a time: the same sums and rounding, with no inner loops
// (each pass round a loop costs a dispatch in WebAssembly).
//
//go:noinline
func downscale2(g, d *pico.Gray) {
	w := d.W
	for y := 0; y < d.H; y++ {
		r0 := g.Pix[2*y*g.Stride : 2*y*g.Stride+2*w]
		r1 := g.Pix[(2*y+1)*g.Stride : (2*y+1)*g.Stride+2*w]
		out := d.Pix[y*w : y*w+w]
		for x := range out {
			a, b := r0[2*x:2*x+2:2*x+2], r1[2*x:2*x+2:2*x+2]
			s := uint32(a[0]) + uint32(a[1]) + uint32(b[0]) + uint32(b[1])
			out[x] = uint8((s + 2) / 4)
		}
	}
}

// stretch maps the 0.5th-99.5th luminance percentiles of g onto 0-255 in
// place (a monotonic map: the cascades compare pixels, so this changes
// nothing at full resolution, but it keeps the levels that box-averaged
// downscaling creates in dim, low-contrast images).
func stretch(g *pico.Gray) {
	var hist [256]int
	n := 0
	for y := 0; y < g.H; y += 2 {
		row := g.Pix[y*g.Stride : y*g.Stride+g.W]
		for x := 0; x < len(row); x += 2 {
			hist[row[x]]++
			n++
		}
	}
	lo, hi := 0, 255
	for c := 0; lo < 255; lo++ {
		if c += hist[lo]; c > n/200 {
			break
		}
	}
	for c := 0; hi > 0; hi-- {
		if c += hist[hi]; c > n/200 {
			break
		}
	}
	if hi-lo < 8 || (lo == 0 && hi == 255) {
		return
	}
	var lut [256]uint8
	for i := range lut {
		v := (i - lo) * 255 / (hi - lo)
		lut[i] = uint8(min(max(v, 0), 255))
	}
	for y := 0; y < g.H; y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+g.W]
		for x, v := range row {
			row[x] = lut[v]
		}
	}
}

// floatPool recycles the scratch rows of smoothRegion.
var floatPool = sync.Pool{New: func() any { return new([]float32) }}

// smoothRegion blurs the rectangle r of g in place with a Gaussian of
// standard deviation sigma pixels: separable, truncated at 3σ, with the
// rectangle's edge pixels repeated outside it. sigma below 0.25 leaves g
// unchanged (the kernel would be nearly an identity).
func smoothRegion(g *pico.Gray, r image.Rectangle, sigma float64) {
	r = r.Intersect(image.Rect(0, 0, g.W, g.H))
	if sigma < 0.25 || r.Empty() {
		return
	}
	rad := int(math.Ceil(3 * sigma))
	var k [32]float32
	rad = min(rad, len(k)/2-1)
	var sum float32
	for i := -rad; i <= rad; i++ {
		k[i+rad] = float32(fpmath.Exp(-float64(i*i) / (2 * sigma * sigma)))
		sum += k[i+rad]
	}
	for i := 0; i <= 2*rad; i++ {
		k[i] /= sum
	}
	w, h := r.Dx(), r.Dy()
	p := floatPool.Get().(*[]float32)
	defer floatPool.Put(p)
	if cap(*p) < w*h+w {
		*p = make([]float32, w*h+w)
	}
	tmp, acc := (*p)[:w*h], (*p)[w*h:w*h+w]
	taps := k[:2*rad+1]
	// Each output pixel sums tap after tap as a per-pixel loop over the
	// taps would (the same float32 operations in the same order, so the
	// same bits), but along contiguous rows without a clamp per tap, in
	// small functions of their own: in WebAssembly a loop inside a large Go
	// function pays, every iteration, a dispatch over all of the function's
	// blocks (BenchmarkSmoothRegion under Node --no-liftoff: 2.2 ms against
	// 20.6 ms for the per-pixel form; native: 1.0 ms against 2.6 ms).
	for y := 0; y < h; y++ { // horizontal pass into tmp
		row := g.Pix[(r.Min.Y+y)*g.Stride+r.Min.X : (r.Min.Y+y)*g.Stride+r.Max.X]
		out := tmp[y*w : (y+1)*w]
		clear(out)
		for t, kv := range taps {
			// Output x reads row[x+off], clamped to the row: x < lo reads
			// row[0], x ≥ hi reads row[w-1].
			off := t - rad
			lo := min(max(0, -off), w)
			hi := max(min(w, w-off), lo)
			if lo > 0 {
				addConst32(out[:lo], float32(kv*float32(int32(row[0]))))
			}
			if hi > lo {
				addScaledBytes(out[lo:hi], row[lo+off:hi+off], kv)
			}
			if hi < w {
				addConst32(out[hi:], float32(kv*float32(int32(row[w-1]))))
			}
		}
	}
	for y := 0; y < h; y++ { // vertical pass back into g
		clear(acc)
		for t, kv := range taps {
			sy := min(max(y+t-rad, 0), h-1)
			addScaled32(acc, tmp[sy*w:(sy+1)*w], kv)
		}
		roundBytes(g.Pix[(r.Min.Y+y)*g.Stride+r.Min.X:(r.Min.Y+y)*g.Stride+r.Max.X], acc)
	}
}

// The row loops of smoothRegion and gaussSmooth, kept out of line on
// purpose (go:noinline): see smoothRegion. Each is unrolled by four: every
// element is computed as before, on its own, but in WebAssembly each pass
// round a loop goes through the function's dispatch loop (a branch to its
// top and a br_table), which a four-element step pays a quarter as often.

// addConst32 adds v to every element of dst.
//
//go:noinline
func addConst32(dst []float32, v float32) {
	x := 0
	for ; x+4 <= len(dst); x += 4 {
		d := dst[x : x+4 : x+4]
		d[0] += v
		d[1] += v
		d[2] += v
		d[3] += v
	}
	for ; x < len(dst); x++ {
		dst[x] += v
	}
}

// addScaledBytes adds k·src[x] to dst[x] (src at least as long as dst).
//
//go:noinline
func addScaledBytes(dst []float32, src []uint8, k float32) {
	src = src[:len(dst)]
	x := 0
	for ; x+4 <= len(dst); x += 4 {
		d, s := dst[x:x+4:x+4], src[x:x+4:x+4]
		d[0] += float32(k * float32(int32(s[0])))
		d[1] += float32(k * float32(int32(s[1])))
		d[2] += float32(k * float32(int32(s[2])))
		d[3] += float32(k * float32(int32(s[3])))
	}
	for ; x < len(dst); x++ {
		dst[x] += float32(k * float32(int32(src[x])))
	}
}

// addScaled32 adds k·src[x] to dst[x] (src at least as long as dst).
//
//go:noinline
func addScaled32(dst, src []float32, k float32) {
	src = src[:len(dst)]
	x := 0
	for ; x+4 <= len(dst); x += 4 {
		d, s := dst[x:x+4:x+4], src[x:x+4:x+4]
		d[0] += float32(k * s[0])
		d[1] += float32(k * s[1])
		d[2] += float32(k * s[2])
		d[3] += float32(k * s[3])
	}
	for ; x < len(dst); x++ {
		dst[x] += float32(k * src[x])
	}
}

// roundBytes writes min(src[x]+0.5, 255) truncated into dst[x] (src never
// NaN), without the float min builtin, a runtime call in WebAssembly.
//
//go:noinline
func roundBytes(dst []uint8, src []float32) {
	dst = dst[:len(src)]
	// The clamp on the integer: a float comparison stays a branch, an
	// integer min becomes a select. int32 then uint8 truncates as the
	// conversion of the float to uint8 does, on every platform.
	x := 0
	for ; x+4 <= len(src); x += 4 {
		d, s := dst[x:x+4:x+4], src[x:x+4:x+4]
		d[0] = uint8(min(int32(s[0]+0.5), 255))
		d[1] = uint8(min(int32(s[1]+0.5), 255))
		d[2] = uint8(min(int32(s[2]+0.5), 255))
		d[3] = uint8(min(int32(s[3]+0.5), 255))
	}
	for ; x < len(src); x++ {
		dst[x] = uint8(min(int32(src[x]+0.5), 255))
	}
}

// addConst64 adds v to every element of dst.
//
//go:noinline
func addConst64(dst []float64, v float64) {
	x := 0
	for ; x+4 <= len(dst); x += 4 {
		d := dst[x : x+4 : x+4]
		d[0] += v
		d[1] += v
		d[2] += v
		d[3] += v
	}
	for ; x < len(dst); x++ {
		dst[x] += v
	}
}

// addScaled64 adds k·src[x] to dst[x] (src at least as long as dst).
//
//go:noinline
func addScaled64(dst, src []float64, k float64) {
	src = src[:len(dst)]
	x := 0
	for ; x+4 <= len(dst); x += 4 {
		d, s := dst[x:x+4:x+4], src[x:x+4:x+4]
		d[0] += float64(k * s[0])
		d[1] += float64(k * s[1])
		d[2] += float64(k * s[2])
		d[3] += float64(k * s[3])
	}
	for ; x < len(dst); x++ {
		dst[x] += float64(k * src[x])
	}
}
