package finger

import (
	"image"
	"image/draw"
	"math"

	"github.com/biogate/biogate/internal/fpmath"
)

// Parameters of RidgeShare. A block is textured when its mean squared
// central difference is at least ridgeMinEnergy (an RMS grey-level step of
// 3 between neighbours); it is a ridge flow when its gradients share one
// axis (coherence at least ridgeMinCoherence), its grey levels are
// explained by a profile across that axis (at least ridgeMinExplained of
// their variance), and that profile alternates with a period of
// ridgeMinPeriod to ridgeMaxPeriod pixels at 500 ppi (friction ridges are
// 0.25-0.75 mm apart).
const (
	ridgeBlock500     = 16 // block side at 500 ppi
	ridgeMinEnergy    = 36.0
	ridgeMinCoherence = 0.5
	ridgeMinExplained = 0.5
	ridgeMinPeriod    = 5.0
	ridgeMaxPeriod    = 15.0
)

// RidgeShare returns the share, from 0 to 1, of the textured parts of img
// whose texture is a friction-ridge flow: straight-edged, alternating dark
// and light bands with the spacing of fingerprint ridges. ppi is the
// image's resolution (0 means 500). Because scanned cards often declare a
// resolution other than the one their prints were taken at, the share is
// the larger of those found at ppi and at twice ppi.
//
// It is a cheap texture test, not a quality measure: on the corpus,
// fingerprints give 0.39 (median; nine in ten above 0.09), photographs of
// people 0.03 (median; nine in ten below 0.16). The gate uses
// it to tell a fingerprint from a face when a face detector fires on a
// greyscale image.
func RidgeShare(img image.Image, ppi float64) float64 {
	b := img.Bounds()
	if b.Empty() {
		return 0
	}
	g, ok := img.(*image.Gray)
	if !ok {
		g = image.NewGray(b)
		draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	}
	if ppi <= 0 {
		ppi = 500
	}
	return math.Max(ridgeShareAt(g, ppi/500), ridgeShareAt(g, 2*ppi/500))
}

// ridgeShareAt is RidgeShare at one scale: blocks of ridgeBlock500·scale
// pixels, periods scaled alike.
func ridgeShareAt(g *image.Gray, scale float64) float64 {
	bs := max(8, min(64, int(math.Round(ridgeBlock500*scale))))
	pmin, pmax := ridgeMinPeriod*scale, ridgeMaxPeriod*scale
	w, h := g.Rect.Dx(), g.Rect.Dy()
	at := func(x, y int) float64 { return float64(g.Pix[y*g.Stride+x]) }
	// Profile bins along the block's normal, 1 px wide, offset by bs.
	sum := make([]float64, 2*bs+2)
	cnt := make([]float64, 2*bs+2)
	textured, ridges := 0, 0
	for y0 := 1; y0+bs <= h-1; y0 += bs {
		for x0 := 1; x0+bs <= w-1; x0 += bs {
			var gxx, gyy, gxy, s, s2 float64
			for y := y0; y < y0+bs; y++ {
				for x := x0; x < x0+bs; x++ {
					gx := at(x+1, y) - at(x-1, y)
					gy := at(x, y+1) - at(x, y-1)
					gxx += float64(gx * gx)
					gyy += float64(gy * gy)
					gxy += float64(gx * gy)
					v := at(x, y)
					s += v
					s2 += float64(v * v)
				}
			}
			n := float64(bs * bs)
			if (gxx+gyy)/n < ridgeMinEnergy {
				continue
			}
			textured++
			if fpmath.Hypot(gxx-gyy, 2*gxy) < ridgeMinCoherence*(gxx+gyy) {
				continue
			}
			mean := s / n
			total := s2 - float64(n*mean*mean)
			if total <= 0 {
				continue
			}
			th := 0.5 * fpmath.Atan2(2*gxy, gxx-gyy) // gradient axis = ridge normal
			nx, ny := fpmath.Cos(th), fpmath.Sin(th)
			cx, cy := float64(x0)+float64(bs-1)/2, float64(y0)+float64(bs-1)/2
			clear(sum)
			clear(cnt)
			for y := y0; y < y0+bs; y++ {
				for x := x0; x < x0+bs; x++ {
					k := int(math.Floor(float64((float64(x)-cx)*nx) + float64((float64(y)-cy)*ny) + float64(bs)))
					sum[k] += at(x, y)
					cnt[k]++
				}
			}
			if isRidgeProfile(sum, cnt, mean, total, pmin, pmax) {
				ridges++
			}
		}
	}
	if textured == 0 {
		return 0
	}
	return float64(ridges) / float64(textured)
}

// isRidgeProfile reports whether the binned profile (sums and counts per
// 1-px bin; bins with fewer than 3 pixels are ignored) explains enough of
// the block's variance total around mean and changes sign with a period
// between pmin and pmax.
func isRidgeProfile(sum, cnt []float64, mean, total, pmin, pmax float64) bool {
	var explained, prev float64
	first, last, changes := -1, -1, 0
	for k := range sum {
		if cnt[k] < 3 {
			continue
		}
		d := sum[k]/cnt[k] - mean
		explained += float64(cnt[k] * d * d)
		if first < 0 {
			first = k
		} else if d != 0 && prev != 0 && (d > 0) != (prev > 0) {
			changes++
		}
		if d != 0 {
			prev = d
		}
		last = k
	}
	if explained < ridgeMinExplained*total || changes < 2 {
		return false
	}
	period := 2 * float64(last-first) / float64(changes)
	return period >= pmin && period <= pmax
}
