package minutiae

import (
	"math"
	"sort"
)

// kernel is one even-symmetric Gabor filter with zero mean.
type kernel struct {
	r int
	k []float32 // (2r+1)² taps
}

// gaborKernel builds the filter for ridge-normal angle phi and period t.
func gaborKernel(phi, t float64) kernel {
	sa, st := sigmaAcross*t, sigmaAlong*t
	r := int(math.Ceil(kernelReach * math.Max(sa, st)))
	n := 2*r + 1
	k := make([]float32, n*n)
	env := make([]float64, n*n)
	cs, sn := math.Cos(phi), math.Sin(phi)
	var sumE, sumG float64
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			a := float64(x)*cs + float64(y)*sn  // across ridges
			b := -float64(x)*sn + float64(y)*cs // along ridges
			e := math.Exp(-a*a/(2*sa*sa) - b*b/(2*st*st))
			i := (y+r)*n + x + r
			env[i] = e
			sumE += e
			sumG += e * math.Cos(2*math.Pi*a/t)
		}
	}
	// Remove the DC response: subtract a scaled envelope.
	dc := sumG / sumE
	var norm float64
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			a := float64(x)*cs + float64(y)*sn
			i := (y+r)*n + x + r
			v := env[i] * (math.Cos(2*math.Pi*a/t) - dc)
			k[i] = float32(v)
			norm += math.Abs(v)
		}
	}
	for i := range k {
		k[i] /= float32(norm)
	}
	return kernel{r: r, k: k}
}

// enhance filters every pixel of the (dilated) footprint with the Gabor
// filter of its local orientation and period. Ridges (dark) give negative
// responses. Pixels outside the footprint are left at 0.
func (p *plane) enhance() {
	w, h := p.w, p.h
	p.enh = make([]float32, w*h)
	bank := map[int]kernel{}
	fgd := dilate(p.fg, p.bw, p.bh)
	var mags []float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			b := (y/blk)*p.bw + x/blk
			if !fgd[b] {
				continue
			}
			phi := p.gradAngle(float64(x)+0.5, float64(y)+0.5)
			ob := int(math.Round(phi/math.Pi*orientBins)) % orientBins
			t := int(math.Round(float64(p.period[b])))
			t = min(max(t, minPeriod), maxPeriod)
			key := t*orientBins + ob
			kr, ok := bank[key]
			if !ok {
				kr = gaborKernel(float64(ob)*math.Pi/orientBins, float64(t))
				bank[key] = kr
			}
			v := p.convolve(kr, x, y)
			p.enh[y*w+x] = v
			if p.fg[b] && (x+y)%7 == 0 {
				mags = append(mags, math.Abs(float64(v)))
			}
		}
	}
	if len(mags) > 0 {
		sort.Float64s(mags)
		p.enhScale = float32(mags[len(mags)/2])
	}
}

// convolve applies kernel kr at (x, y), replicating the image border.
func (p *plane) convolve(kr kernel, x, y int) float32 {
	r, n, w, h, f := kr.r, 2*kr.r+1, p.w, p.h, p.f
	var s float32
	if x >= r && y >= r && x+r < w && y+r < h {
		// Four accumulators break the dependency chain of the sums.
		var s0, s1, s2, s3 float32
		for j := 0; j < n; j++ {
			row := f[(y-r+j)*w+x-r : (y-r+j)*w+x-r+n]
			kk := kr.k[j*n : j*n+n]
			i := 0
			for ; i+3 < len(row) && i+3 < len(kk); i += 4 {
				s0 += row[i] * kk[i]
				s1 += row[i+1] * kk[i+1]
				s2 += row[i+2] * kk[i+2]
				s3 += row[i+3] * kk[i+3]
			}
			for ; i < len(row) && i < len(kk); i++ {
				s0 += row[i] * kk[i]
			}
		}
		return s0 + s1 + s2 + s3
	}
	for j := 0; j < n; j++ {
		yy := min(max(y-r+j, 0), h-1)
		for i := 0; i < n; i++ {
			xx := min(max(x-r+i, 0), w-1)
			s += f[yy*w+xx] * kr.k[j*n+i]
		}
	}
	return s
}

// dilate adds blocks with a set 8-neighbour.
func dilate(m []bool, bw, bh int) []bool {
	out := make([]bool, len(m))
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			set := false
			for j := max(by-1, 0); j <= min(by+1, bh-1) && !set; j++ {
				for i := max(bx-1, 0); i <= min(bx+1, bw-1); i++ {
					if m[j*bw+i] {
						set = true
						break
					}
				}
			}
			out[by*bw+bx] = set
		}
	}
	return out
}
