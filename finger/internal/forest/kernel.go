package forest

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/biogate/biogate/internal/fpmath"
)

// LearnerKRR is kernel ridge regression with a Gaussian (RBF) kernel on
// standardised features (optionally after a signed log1p transform).
const LearnerKRR = "krr"

// kernelModel is a trained kernel ridge regression.
type kernelModel struct {
	Log   bool        `json:"log"`   // signed log1p before standardising
	Mean  []float64   `json:"mean"`  // per-feature mean (after the log)
	Scale []float64   `json:"scale"` // per-feature 1/sd
	Lo    []float64   `json:"lo"`    // per-feature training minimum (standardised)
	Hi    []float64   `json:"hi"`    // per-feature training maximum (standardised)
	Gamma float64     `json:"gamma"`
	Bias  float64     `json:"bias"`
	SV    [][]float64 `json:"sv"`   // standardised training rows
	Coef  []float64   `json:"coef"` // dual coefficients
}

func slog1p(v float64) float64 {
	if v < 0 {
		return -fpmath.Log1p(-v)
	}
	return fpmath.Log1p(v)
}

func (k *kernelModel) transform(x []float64, out []float64) {
	for i, v := range x {
		if k.Log {
			v = slog1p(v)
		}
		// Clamp to the training range: beyond it the model extrapolates
		// like a tree ensemble (constant) instead of decaying to the mean.
		out[i] = min(max((v-k.Mean[i])*k.Scale[i], k.Lo[i]), k.Hi[i])
	}
}

func (k *kernelModel) predict(x []float64) float64 {
	var buf [NumFeatures]float64
	var z []float64
	if len(x) <= len(buf) {
		z = buf[:len(x)]
	} else {
		z = make([]float64, len(x))
	}
	k.transform(x, z)
	s := k.Bias
	for j, sv := range k.SV {
		var d float64
		for i, v := range sv {
			t := z[i] - v
			d += float64(t * t)
		}
		s += float64(k.Coef[j] * fpmath.Exp(-k.Gamma*d))
	}
	return s
}

func (k *kernelModel) validate(nf int) error {
	if len(k.Mean) != nf || len(k.Scale) != nf || len(k.Lo) != nf || len(k.Hi) != nf || len(k.SV) != len(k.Coef) || len(k.SV) == 0 ||
		!(k.Gamma > 0) || math.IsInf(k.Gamma, 0) {
		return fmt.Errorf("%w: malformed kernel model", ErrFormat)
	}
	for _, sv := range k.SV {
		if len(sv) != nf {
			return fmt.Errorf("%w: malformed kernel support vector", ErrFormat)
		}
	}
	return nil
}

// trainKRR fits kernel ridge regression: coef = (K + alpha I)^-1 (y - mean y).
func trainKRR(x [][]float64, y []float64, p TrainParams) (*kernelModel, error) {
	if !(p.Alpha > 0) || !(p.Gamma > 0) {
		return nil, fmt.Errorf("%w: krr needs alpha > 0 and gamma > 0", ErrTrain)
	}
	n, nf := len(x), len(x[0])
	k := &kernelModel{Log: p.Log, Gamma: p.Gamma, Mean: make([]float64, nf), Scale: make([]float64, nf)}
	tx := make([][]float64, n)
	for i, r := range x {
		tx[i] = make([]float64, nf)
		for f, v := range r {
			if p.Log {
				v = slog1p(v)
			}
			tx[i][f] = v
		}
	}
	for f := 0; f < nf; f++ {
		var s, ss float64
		for i := range tx {
			s += tx[i][f]
		}
		m := s / float64(n)
		for i := range tx {
			d := tx[i][f] - m
			ss += float64(d * d)
		}
		sd := math.Sqrt(ss / float64(n))
		k.Mean[f] = m
		k.Scale[f] = 1 / (sd + 1e-9)
	}
	k.SV = make([][]float64, n)
	k.Lo, k.Hi = make([]float64, nf), make([]float64, nf)
	for f := range k.Lo {
		k.Lo[f], k.Hi[f] = math.Inf(1), math.Inf(-1)
	}
	for i := range tx {
		k.SV[i] = make([]float64, nf)
		for f := range tx[i] {
			v := (tx[i][f] - k.Mean[f]) * k.Scale[f]
			k.SV[i][f] = v
			k.Lo[f], k.Hi[f] = min(k.Lo[f], v), max(k.Hi[f], v)
		}
	}
	K := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			var d float64
			for f := 0; f < nf; f++ {
				t := k.SV[i][f] - k.SV[j][f]
				d += float64(t * t)
			}
			v := fpmath.Exp(-p.Gamma * d)
			if i == j {
				v += p.Alpha
			}
			K.SetSym(i, j, v)
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(K) {
		return nil, fmt.Errorf("%w: kernel matrix is not positive definite", ErrTrain)
	}
	var my float64
	for _, v := range y {
		my += v
	}
	my /= float64(n)
	b := mat.NewVecDense(n, nil)
	for i, v := range y {
		b.SetVec(i, v-my)
	}
	var c mat.VecDense
	if err := ch.SolveVecTo(&c, b); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTrain, err)
	}
	k.Bias = my
	k.Coef = make([]float64, n)
	for i := range k.Coef {
		k.Coef[i] = c.AtVec(i)
	}
	return k, nil
}
