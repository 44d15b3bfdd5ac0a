package wsq

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPerfectReconstructionLine(t *testing.T) {
	fb := newFilterBank(defaultH0(), defaultH1())
	rng := rand.New(rand.NewPCG(1, 2))
	var b lineBuf
	for n := 1; n <= 40; n++ {
		for _, inv := range []bool{false, true} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 50)
			}
			y := append([]float32(nil), x...)
			fb.analyze(y, 0, 1, n, inv, &b)
			fb.synthesize(y, 0, 1, n, inv, &b)
			for i := range x {
				if d := math.Abs(float64(x[i] - y[i])); d > 1e-3 {
					t.Fatalf("n=%d inv=%v: x[%d]=%g, reconstructed %g", n, inv, i, x[i], y[i])
				}
			}
		}
	}
}

func TestPerfectReconstructionImage(t *testing.T) {
	fb := newFilterBank(defaultH0(), defaultH1())
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sz := range [][2]int{{64, 64}, {545, 622}, {101, 77}, {33, 40}, {300, 301}} {
		w, h := sz[0], sz[1]
		x := make([]float32, w*h)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * 40)
		}
		y := append([]float32(nil), x...)
		tr := newTrees(w, h)
		fb.decompose(y, w, tr)
		fb.reconstruct(y, w, tr)
		var worst float64
		for i := range x {
			worst = max(worst, math.Abs(float64(x[i]-y[i])))
		}
		if worst > 1e-2 {
			t.Errorf("%dx%d: max reconstruction error %g", w, h, worst)
		}
	}
}
