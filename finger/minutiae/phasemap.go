package minutiae

import "math"

// quadKernel is a 9×9 quadrature pair steered to one direction.
type quadKernel struct{ g, h [81]float32 }

// quadKernels are Freeman & Adelson's G2 (second derivative of a Gaussian)
// and H2 (its third-order polynomial Hilbert approximation), with their
// normalisation, taken along the centre direction of each steering bin.
// Built once; read-only afterwards.
var quadKernels = func() [phSteerBins]quadKernel {
	var ks [phSteerBins]quadKernel
	for b := range ks {
		phi := (float64(b) + 0.5) * math.Pi / phSteerBins
		c, s := math.Cos(phi), math.Sin(phi)
		var sg float64
		for j := -4; j <= 4; j++ {
			for i := -4; i <= 4; i++ {
				un := (float64(i)*c + float64(j)*s) / phQuadScale
				ut := (-float64(i)*s + float64(j)*c) / phQuadScale
				e := math.Exp(-(un*un + ut*ut))
				k := (j+4)*9 + i + 4
				g := 0.9213 * (2*un*un - 1) * e
				h := 0.9780 * (un*un*un - 2.254*un) * e
				ks[b].g[k] = float32(g)
				ks[b].h[k] = float32(h)
				sg += g
			}
		}
		// Zero mean, so that flat areas give no response.
		for k := range ks[b].g {
			ks[b].g[k] -= float32(sg / 81)
		}
	}
	return ks
}()

// phaseMap filters every footprint pixel with the quadrature pair steered
// across the ridges and stores the quantised cosine of the local phase:
// 0 on ridge centres, 240 on valley centres, phFiller outside.
func (p *phasePlane) phaseMap() {
	w, h := p.w, p.h
	p.pm = make([]uint8, w*h)
	for i := range p.pm {
		p.pm[i] = phFiller
	}
	step := 256 / phLevels
	for y := 4; y < h-4; y++ {
		by := y / phBlock
		if by >= p.bh {
			break
		}
		for x := 4; x < w-4; x++ {
			bx := x / phBlock
			if bx >= p.bw {
				break
			}
			phi := p.phi[by*p.bw+bx]
			if phi != phi { // NaN: outside the footprint
				continue
			}
			bin := int(float64(phi) / math.Pi * phSteerBins)
			if bin >= phSteerBins {
				bin = phSteerBins - 1
			}
			kr := &quadKernels[bin]
			var sg, sh float32
			k := 0
			for j := -4; j <= 4; j++ {
				row := p.img[(y+j)*w+x-4 : (y+j)*w+x+5]
				for i := 0; i < 9; i++ {
					sg += kr.g[k] * row[i]
					sh += kr.h[k] * row[i]
					k++
				}
			}
			r := math.Hypot(float64(sg), float64(sh))
			if r == 0 {
				continue
			}
			v := 127 - int(math.Round(127*float64(sg)/r))
			p.pm[y*w+x] = uint8(v / step * step)
		}
	}
}
