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
// fingerprints give 0.38 (median; nine in ten above 0.06), photographs of
// people 0.09 (median; nine in ten below 0.17). Texture gives the
// fuller picture the gate uses to tell a fingerprint from a photograph.
func RidgeShare(img image.Image, ppi float64) float64 {
	return Texture(img, ppi).RidgeShare
}

// TextureStats describes an image's texture in the terms that tell a
// fingerprint from a photograph of a face (see Texture).
type TextureStats struct {
	// RidgeShare is the share of textured blocks that are friction-ridge
	// flow (RidgeShare).
	RidgeShare float64
	// Flow is the size, in blocks of 16 px at 500 ppi, of the largest
	// connected stretch of ridge-flow blocks whose directions turn by at
	// most 30° from block to block: a fingerprint's ridges run on across
	// the finger, while the stripes a photograph may hold (hair, fabric)
	// come in short patches.
	Flow int
	// Textured is the share of all blocks that carry texture at all (an
	// RMS grey-level step of 3 or more between neighbours).
	Textured float64
	// Light is the share of pixels at grey level 200 or over: the light
	// background of a fingerprint capture.
	Light float64
}

// Texture returns img's TextureStats at resolution ppi (0 means 500); as
// for RidgeShare, the ridge figures are the larger of those found at ppi
// and at twice ppi. It is a cheap test, a few milliseconds for a
// 500×500 image.
func Texture(img image.Image, ppi float64) TextureStats {
	b := img.Bounds()
	if b.Empty() {
		return TextureStats{}
	}
	g, ok := img.(*image.Gray)
	if !ok {
		g = image.NewGray(b)
		draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	}
	if ppi <= 0 || math.IsNaN(ppi) || math.IsInf(ppi, 0) {
		ppi = 500
	}
	var ts TextureStats
	for i, scale := range [2]float64{ppi / 500, 2 * ppi / 500} {
		m := ridgeMapAt(g, scale)
		if m.textured > 0 {
			ts.RidgeShare = math.Max(ts.RidgeShare, float64(m.ridges)/float64(m.textured))
		}
		ts.Flow = max(ts.Flow, m.largestFlow(flowMaxTurn))
		if i == 0 && len(m.theta) > 0 {
			ts.Textured = float64(m.textured) / float64(len(m.theta))
		}
	}
	light := 0
	for y := range g.Rect.Dy() {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()] {
			if v >= lightLevel {
				light++
			}
		}
	}
	ts.Light = float64(light) / float64(g.Rect.Dx()*g.Rect.Dy())
	return ts
}

// Parameters of Texture: the largest turn between neighbouring blocks of
// one ridge flow, and the grey level of a light background.
const (
	flowMaxTurn = math.Pi / 6
	lightLevel  = 200
)

// ridgeMap is the block grid of one scale: theta holds each ridge-flow
// block's ridge-normal angle in radians, NaN elsewhere.
type ridgeMap struct {
	cols, rows       int
	theta            []float64
	ridges, textured int
}

// ridgeMapAt classifies the blocks of ridgeBlock500·scale pixels, periods
// scaled alike.
func ridgeMapAt(g *image.Gray, scale float64) ridgeMap {
	bs := max(8, min(64, int(math.Round(ridgeBlock500*scale))))
	pmin, pmax := ridgeMinPeriod*scale, ridgeMaxPeriod*scale
	w, h := g.Rect.Dx(), g.Rect.Dy()
	// Profile bins along the block's normal, 1 px wide, offset by bs.
	sum := make([]float64, 2*bs+2)
	cnt := make([]float64, 2*bs+2)
	var m ridgeMap
	m.cols, m.rows = max(0, (w-2)/bs), max(0, (h-2)/bs)
	m.theta = make([]float64, m.cols*m.rows)
	for i := range m.theta {
		m.theta[i] = math.NaN()
	}
	for by := 0; by < m.rows; by++ {
		y0 := 1 + by*bs
		for bx := 0; bx < m.cols; bx++ {
			x0 := 1 + bx*bs
			gxx, gyy, gxy, s, s2 := blockMoments(g.Pix, g.Stride, x0, y0, bs)
			n := float64(bs * bs)
			if (gxx+gyy)/n < ridgeMinEnergy {
				continue
			}
			m.textured++
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
			binProfile(g.Pix, g.Stride, x0, y0, bs, cx, cy, nx, ny, sum, cnt)
			if isRidgeProfile(sum, cnt, mean, total, pmin, pmax) {
				m.ridges++
				m.theta[by*m.cols+bx] = th
			}
		}
	}
	return m
}

// blockMoments returns, over the bs×bs block whose top-left pixel is
// (x0, y0), the sums of gx², gy² and gx·gy of the central-difference
// gradient and of the pixel values and their squares, each summed row by
// row, left to right.
//
// ridgeMapAt's per-pixel loops are functions of their own, kept out of
// line: in WebAssembly, Go maps a function's values onto a few locals and
// spills the rest to its stack in memory, and ridgeMapAt's many live
// values pushed the accumulators out to memory at every pixel.
//
//go:noinline
func blockMoments(pix []uint8, stride, x0, y0, bs int) (gxx, gyy, gxy, s, s2 float64) {
	for y := y0; y < y0+bs; y++ {
		up, row, dn := pix[(y-1)*stride:], pix[y*stride:], pix[(y+1)*stride:]
		for x := x0; x < x0+bs; x++ {
			gx := float64(row[x+1]) - float64(row[x-1])
			gy := float64(dn[x]) - float64(up[x])
			gxx += float64(gx * gx)
			gyy += float64(gy * gy)
			gxy += float64(gx * gy)
			v := float64(row[x])
			s += v
			s2 += float64(v * v)
		}
	}
	return
}

// binProfile adds each pixel of the bs×bs block at (x0, y0) to the bin of
// its offset along the normal (nx, ny) from the block's centre (cx, cy),
// offset by bs: sum gets the values, cnt the counts.
//
//go:noinline
func binProfile(pix []uint8, stride, x0, y0, bs int, cx, cy, nx, ny float64, sum, cnt []float64) {
	for y := y0; y < y0+bs; y++ {
		row := pix[y*stride:]
		dy := float64((float64(y) - cy) * ny)
		for x := x0; x < x0+bs; x++ {
			k := int(math.Floor(float64((float64(x)-cx)*nx) + dy + float64(bs)))
			sum[k] += float64(row[x])
			cnt[k]++
		}
	}
}

// largestFlow returns the size, in blocks, of the largest 4-connected set
// of ridge-flow blocks whose neighbours' ridge directions differ by at most
// maxTurn radians.
func (m ridgeMap) largestFlow(maxTurn float64) int {
	seen := make([]bool, len(m.theta))
	best := 0
	var stack []int
	for i, th := range m.theta {
		if seen[i] || math.IsNaN(th) {
			continue
		}
		seen[i] = true
		stack = append(stack[:0], i)
		n := 0
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			x, y := j%m.cols, j/m.cols
			for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				nx, ny := x+d[0], y+d[1]
				if nx < 0 || ny < 0 || nx >= m.cols || ny >= m.rows {
					continue
				}
				k := ny*m.cols + nx
				if seen[k] || math.IsNaN(m.theta[k]) || axisTurn(m.theta[j], m.theta[k]) > maxTurn {
					continue
				}
				seen[k] = true
				stack = append(stack, k)
			}
		}
		best = max(best, n)
	}
	return best
}

// axisTurn is the angle between two axes (directions modulo π).
func axisTurn(a, b float64) float64 {
	d := math.Mod(math.Abs(a-b), math.Pi)
	return math.Min(d, math.Pi-d)
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
