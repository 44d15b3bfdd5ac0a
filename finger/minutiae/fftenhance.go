package minutiae

import (
	"math"
	"math/cmplx"
)

// enhance is a short-time Fourier enhancement: overlapping 32×32 blocks of
// the inverted image are band-passed, their strong (ridge) frequencies
// emphasised in proportion to their magnitude, and each block is stretched
// to the grey range before a windowed overlap-add.
func (p *phasePlane) enhance(img []float32) []float32 {
	const n = phFFTSide
	w, h := p.w, p.h
	acc := make([]float32, w*h)
	var blk [n * n]complex128
	var vals [n * n]float64
	var env [n]float64
	for i := range env {
		env[i] = float64(min(i+1, n-i, n-phFFTStep+1)) / float64(n-phFFTStep+1)
	}
	for y0 := phFFTStep - n; y0 < h; y0 += phFFTStep {
		for x0 := phFFTStep - n; x0 < w; x0 += phFFTStep {
			for j := 0; j < n; j++ {
				y := y0 + j
				for i := 0; i < n; i++ {
					x := x0 + i
					v := 0.0
					if x >= 0 && x < w && y >= 0 && y < h {
						v = 255 - float64(img[y*w+x])
					}
					blk[j*n+i] = complex(v, 0)
				}
			}
			fft2(blk[:], n, false)
			for v := 0; v < n; v++ {
				fv := v
				if fv >= n/2 {
					fv -= n
				}
				for u := 0; u < n; u++ {
					fu := u
					if fu >= n/2 {
						fu -= n
					}
					r2 := fu*fu + fv*fv
					k := v*n + u
					if r2 <= phBandLo2 || r2 >= phBandHi2 {
						blk[k] = 0
						continue
					}
					blk[k] *= complex(1+cmplx.Abs(blk[k])/phGainScale, 0) / 8
				}
			}
			fft2(blk[:], n, true)
			lo, hi := math.Inf(1), math.Inf(-1)
			for k := range blk {
				vals[k] = real(blk[k])
				lo = math.Min(lo, vals[k])
				hi = math.Max(hi, vals[k])
			}
			rng := hi - lo
			if rng < phRangeFloor {
				lo -= (phRangeFloor - rng) / 2
				rng = phRangeFloor
			}
			for j := 0; j < n; j++ {
				y := y0 + j
				if y < 0 || y >= h {
					continue
				}
				for i := 0; i < n; i++ {
					x := x0 + i
					if x < 0 || x >= w {
						continue
					}
					acc[y*w+x] += float32((vals[j*n+i] - lo) * 251 / rng * env[i] * env[j])
				}
			}
		}
	}
	for i := range acc {
		acc[i] = 255 - acc[i]
	}
	return acc
}

// fft2 is an in-place 2-D radix-2 FFT of an n×n block (n a power of two);
// the inverse is scaled by 1/n².
func fft2(a []complex128, n int, inverse bool) {
	var row [64]complex128
	for j := 0; j < n; j++ {
		fft1(a[j*n:j*n+n], inverse)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			row[j] = a[j*n+i]
		}
		fft1(row[:n], inverse)
		for j := 0; j < n; j++ {
			a[j*n+i] = row[j]
		}
	}
	if inverse {
		s := complex(1/float64(n*n), 0)
		for i := range a[:n*n] {
			a[i] *= s
		}
	}
}

// fft1 is an iterative radix-2 Cooley–Tukey FFT.
func fft1(a []complex128, inverse bool) {
	n := len(a)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			a[i], a[j] = a[j], a[i]
		}
	}
	sign := -1.0
	if inverse {
		sign = 1
	}
	for size := 2; size <= n; size <<= 1 {
		ang := sign * 2 * math.Pi / float64(size)
		wn := complex(math.Cos(ang), math.Sin(ang))
		for start := 0; start < n; start += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				u := a[start+k]
				v := a[start+k+size/2] * wk
				a[start+k] = u + v
				a[start+k+size/2] = u - v
				wk *= wn
			}
		}
	}
}
