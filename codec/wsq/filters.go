package wsq

// Centre-first halves of the specification's analysis filters (the
// Cohen-Daubechies-Feauveau 9/7 biorthogonal pair, normalised so that the
// low pass filter sums to √2), as the encoder writes them in the transform
// table. Values are the exact filter taps rounded to float64.
var (
	h0Half = [5]float64{0.85269867900940, 0.37740285561265, -0.11062440441842, -0.02384946501938, 0.03782845550699}
	h1Half = [4]float64{0.78848561640566, -0.41809227322221, -0.04068941760956, 0.06453888262894}
)

// expand builds the full symmetric filter from its centre-first half.
func expand(h []float64) []float32 {
	n := len(h)
	f := make([]float32, 2*n-1)
	for i, v := range h {
		f[n-1+i] = float32(v)
		f[n-1-i] = float32(v)
	}
	return f
}

func defaultH0() []float32 { return expand(h0Half[:]) }
func defaultH1() []float32 { return expand(h1Half[:]) }
