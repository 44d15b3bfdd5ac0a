package finger

import (
	"image"
	"image/color"
	"math"
)

// Resampling of prints not at 500 ppi: a separable Catmull-Rom cubic
// (B = 0, C = 1/2, support 2 source pixels, widened by the scale factor
// when shrinking), weights normalised to sum 1, a horizontal pass then a
// vertical one, each rounding to 8 bits. The arithmetic is the one that
// github.com/disintegration/imaging's Resize(…, CatmullRom) performs on a
// grey image on amd64 (an alpha of 255 weighting every sample, each pass
// divided by its alpha sum), so the pixels are those biogate produced with
// imaging before; but every product that is added is converted
// explicitly, so that no platform fuses it (imaging's loops become fused
// multiply-adds on arm64 and with GOAMD64=v3, changing the last bits of
// the weights and of the sums).

// catmullRom is the Catmull-Rom kernel at x, as the BC-spline with
// B = 0, C = 1/2: (9|x|³ − 15|x|² + 6)/6 for |x| < 1,
// (−3|x|³ + 15|x|² − 24|x| + 12)/6 for |x| < 2, 0 beyond.
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		x3 := float64(float64(float64(9*x)*x) * x)
		x2 := float64(float64(-15*x) * x)
		return (x3 + x2 + 6) / 6
	case x < 2:
		x3 := float64(float64(float64(-3*x)*x) * x)
		x2 := float64(float64(15*x) * x)
		x1 := float64(-24 * x)
		return (x3 + x2 + x1 + 12) / 6
	}
	return 0
}

// taps are the source samples of one output sample: indices first,
// first+1, … with their weights.
type taps struct {
	first int
	w     []float64
}

// resampleTaps returns, for each of the dst output samples of a line of
// src samples, the source range and the normalised kernel weights (zero
// weights at the ends of the range are left out, as they add nothing).
func resampleTaps(dst, src int) []taps {
	du := float64(src) / float64(dst) // source samples per output sample
	scale := max(du, 1)
	reach := math.Ceil(scale * 2) // the kernel's support in source samples
	out := make([]taps, dst)
	for v := range out {
		centre := float64((float64(v)+0.5)*du) - 0.5
		lo := max(int(math.Ceil(centre-reach)), 0)
		hi := min(int(math.Floor(centre+reach)), src-1)
		var ws []float64
		first := -1
		sum := 0.0
		for u := lo; u <= hi; u++ {
			k := catmullRom((float64(u) - centre) / scale)
			if k == 0 && first < 0 {
				continue
			}
			if first < 0 {
				first = u
			}
			ws = append(ws, k)
			sum += k
		}
		for len(ws) > 0 && ws[len(ws)-1] == 0 {
			ws = ws[:len(ws)-1]
		}
		if sum != 0 {
			for i := range ws {
				ws[i] /= sum
			}
		}
		out[v] = taps{first: max(first, 0), w: ws}
	}
	return out
}

// roundByte rounds x half up into 0…255.
func roundByte(x float64) uint8 {
	v := int64(x + 0.5)
	switch {
	case v > 255:
		return 255
	case v > 0:
		return uint8(v)
	}
	return 0
}

// resampleLine computes one line of outputs, out[o·outStep] for each o
// of ts, from the samples src[i·step], all of alpha a: the sum of the
// samples weighted by a·weight, times the inverse of the sum of those
// weights (an empty sum leaves out[o·outStep] as it is).
func resampleLine(out []uint8, outStep int, src []uint8, step int, ts []taps, a float64) {
	for o, t := range ts {
		var sum, asum float64
		for i, w := range t.w {
			aw := float64(a * w)
			sum += float64(float64(src[(t.first+i)*step]) * aw)
			asum += aw
		}
		if asum != 0 {
			out[o*outStep] = roundByte(float64(sum * (1 / asum)))
		}
	}
}

// alphaOf returns the alpha of output t from samples of alpha a: the sum
// of a·weight, rounded to 8 bits.
func alphaOf(t taps, a float64) uint8 {
	asum := 0.0
	for _, w := range t.w {
		asum += float64(a * w)
	}
	return roundByte(asum)
}

// resizeCatmullRom returns g (bounds starting at 0, 0) resampled to w×h with the
// Catmull-Rom kernel (see the top of this file); a side of the same size
// is not filtered.
func resizeCatmullRom(g *image.Gray, w, h int) *image.Gray {
	sw, sh := g.Rect.Dx(), g.Rect.Dy()
	cur, cw := g.Pix, g.Stride
	// The alpha of each column of cur: 255 for the (opaque) input, then
	// what the horizontal pass leaves (255 for weights summing to 1).
	alpha := make([]uint8, sw)
	for i := range alpha {
		alpha[i] = 255
	}
	if w != sw {
		ts := resampleTaps(w, sw)
		next := make([]uint8, w*sh)
		for y := 0; y < sh; y++ {
			resampleLine(next[y*w:(y+1)*w], 1, cur[y*cw:y*cw+sw], 1, ts, 255)
		}
		alpha = make([]uint8, w)
		for x, t := range ts {
			alpha[x] = alphaOf(t, 255)
		}
		cur, cw = next, w
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	if h == sh {
		for y := 0; y < h; y++ {
			copy(out.Pix[y*w:(y+1)*w], cur[y*cw:y*cw+w])
		}
		for x, a := range alpha {
			for y := 0; y < h; y++ {
				toOpaque(&out.Pix[y*w+x], a)
			}
		}
		return out
	}
	ts := resampleTaps(h, sh)
	for x := 0; x < w; x++ {
		a := float64(alpha[x])
		resampleLine(out.Pix[x:], w, cur[x:], cw, ts, a)
		for y, t := range ts {
			toOpaque(&out.Pix[y*w+x], alphaOf(t, a))
		}
	}
	return out
}

// toOpaque turns grey v of alpha a into the opaque grey it reads as
// (v·a/255 by the colour model's conversion of non-premultiplied colour);
// a = 255, the only alpha normalised weights leave, changes nothing.
func toOpaque(v *uint8, a uint8) {
	if a != 255 {
		*v = color.GrayModel.Convert(color.NRGBA{*v, *v, *v, a}).(color.Gray).Y
	}
}
