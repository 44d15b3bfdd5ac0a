package synth

import (
	"image"
	"math"
	"sync"
)

// Gabor kernel bank. The filtering runs in fixed point (kernels scaled by
// 2^kernelShift, ridge values by 2^valueShift) so that it is exact and
// identical on every platform; only the orientation and period maps, which
// choose the kernel of each pixel, are floating point.
const (
	orientBins  = 36 // 5° steps over π
	periodMin   = 5.0
	periodMax   = 16.0
	periodStep  = 0.25
	periodBins  = int((periodMax-periodMin)/periodStep) + 1
	kernelShift = 12
	valueShift  = 10
	sigmaRatio  = 0.36 // Gaussian envelope σ as a fraction of the period
	gainNum     = 3    // saturating gain of the iteration, gainNum/gainDen
	gainDen     = 2
)

type kernel struct {
	r    int
	taps []int32 // (2r+1)² values, row-major
}

var (
	bankOnce sync.Once
	bank     []kernel // index: periodBin*orientBins + orientBin
	bankMaxR int
)

func kernelBank() ([]kernel, int) {
	bankOnce.Do(func() {
		bank = make([]kernel, periodBins*orientBins)
		for pb := 0; pb < periodBins; pb++ {
			period := periodMin + float64(pb)*periodStep
			for ob := 0; ob < orientBins; ob++ {
				th := float64(ob) * math.Pi / orientBins
				k := gaborKernel(th, period)
				bank[pb*orientBins+ob] = k
				bankMaxR = max(bankMaxR, k.r)
			}
		}
	})
	return bank, bankMaxR
}

// gaborKernel returns the even Gabor filter tuned to ridges running in
// direction th with the given period: zero mean, unit gain on a matching
// sinusoid.
func gaborKernel(th, period float64) kernel {
	sigma := sigmaRatio * period
	r := int(math.Ceil(2 * sigma))
	n := 2*r + 1
	nx, ny := -math.Sin(th), math.Cos(th) // across-ridge direction
	f := 2 * math.Pi / period
	g := make([]float64, n*n)
	k := make([]float64, n*n)
	var sg, sk float64
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			i := (y+r)*n + x + r
			e := math.Exp(-float64(x*x+y*y) / (2 * sigma * sigma))
			g[i] = e
			k[i] = e * math.Cos(f*(float64(x)*nx+float64(y)*ny))
			sg += e
			sk += k[i]
		}
	}
	var gain float64
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			i := (y+r)*n + x + r
			k[i] -= g[i] * sk / sg
			gain += k[i] * math.Cos(f*(float64(x)*nx+float64(y)*ny))
		}
	}
	taps := make([]int32, n*n)
	for i, v := range k {
		taps[i] = int32(math.Round(v / gain * (1 << kernelShift)))
	}
	return kernel{r: r, taps: taps}
}

func binOf(th, period float32) uint16 {
	t := math.Mod(float64(th), math.Pi)
	if t < 0 {
		t += math.Pi
	}
	ob := int(math.Round(t/math.Pi*orientBins)) % orientBins
	pb := int(math.Round((float64(period) - periodMin) / periodStep))
	pb = min(max(pb, 0), periodBins-1)
	return uint16(pb*orientBins + ob)
}

// renderRidges grows a ridge pattern from seeded noise by iterated
// space-variant Gabor filtering with saturation. It returns values in
// [-1,1] (+1 on ridge centres).
func renderRidges(w, h int, field, period, mask []float32, iters int, seed uint64) []float32 {
	ks, R := kernelBank()
	pw := w + 2*R // padded width
	ph := h + 2*R
	cur := make([]int32, pw*ph)
	next := make([]int32, pw*ph)
	bins := make([]uint16, w*h)
	active := make([]int32, 0, w*h) // padded offsets of the pixels to filter
	rn := newRand(seed, streamNoise)
	const one = 1 << valueShift
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			bins[i] = binOf(field[i], period[i])
			if mask[i] > 0 {
				o := int32((y+R)*pw + x + R)
				active = append(active, o)
				cur[o] = int32(rn.IntN(2*one+1)) - one
			}
		}
	}
	bin := make([]uint16, len(active))
	for j, o := range active {
		y, x := int(o)/pw-R, int(o)%pw-R
		bin[j] = bins[y*w+x]
	}
	for it := 0; it < iters; it++ {
		for j, o := range active {
			v := gaborAt(cur, &ks[bin[j]], int(active[j]), pw) * gainNum / gainDen
			next[o] = int32(min(max(v, -one), one))
		}
		cur, next = next, cur
	}
	// A last pass without saturation rounds the ridge profile.
	out := make([]float32, w*h)
	for j, o := range active {
		y, x := int(o)/pw-R, int(o)%pw-R
		v := float32(gaborAt(cur, &ks[bin[j]], int(active[j]), pw)) / (1.25 * one)
		out[y*w+x] = min(max(v, -1), 1)
	}
	return out
}

// inkPrint turns ridge values into an 8-bit impression: dark ridges of
// slowly varying pressure on a white background, with fine skin texture.
func inkPrint(w, h int, ridges, mask []float32, seed uint64) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	rt := newRand(seed, streamTexture)
	pressure := newSmoothNoise(rt, w, h, 150, 2)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			m := float64(mask[i])
			t := (float64(ridges[i]) + 1) / 2 // 1 on ridges
			t = math.Pow(t, 0.8)
			ink := (195 + 30*pressure.at(x, y)) * m
			v := 252 - float64(ink*t) + float64(5*rt.NormFloat64()*m)
			img.Pix[y*img.Stride+x] = clampU8(v)
		}
	}
	return img
}

func clampU8(v float64) uint8 {
	switch {
	case v <= 0 || math.IsNaN(v):
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// gaborAt returns the response of kernel k at padded offset c of src (row
// stride pw). The even Gabor kernel is point-symmetric, k(-p) = k(p), so
// each tap is paired with its mirror to halve the multiplications.
//
// It reads only memory owned by one renderRidges call, never shared
// between goroutines, so it is exempt from race instrumentation, which
// would otherwise make it about ten times slower under -race.
//
//go:norace
func gaborAt(src []int32, k *kernel, c, pw int) int64 {
	r := k.r
	n := 2*r + 1
	taps := k.taps
	var acc int64
	for ky := 0; ky < r; ky++ {
		kt := taps[ky*n : ky*n+n]
		top := src[c-(r-ky)*pw-r:]
		top = top[:len(kt)]
		bot := src[c+(r-ky)*pw-r:]
		bot = bot[:len(kt)]
		var a int32
		for kx, t := range kt {
			a += t * (top[kx] + bot[n-1-kx])
		}
		acc += int64(a)
	}
	mid := taps[r*n : r*n+n]
	row := src[c-r:]
	row = row[:len(mid)]
	a := mid[r] * row[r]
	for kx := 0; kx < r; kx++ {
		a += mid[kx] * (row[kx] + row[n-1-kx])
	}
	return (acc + int64(a)) >> kernelShift
}
