package forest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// DecisionThreshold is the score below which a fingerprint is recaptured
// (the project's ees-usk rule): score < 15 fails.
const DecisionThreshold = 15

// Agreement summarises how well predicted scores agree with NIST's.
type Agreement struct {
	N         int     `json:"n"`
	MeanAbs   float64 `json:"mean_abs_diff"`      // mean |predicted - NIST|
	Within5   float64 `json:"share_within_5"`     // share with |Δ| <= 5
	Within10  float64 `json:"share_within_10"`    // share with |Δ| <= 10
	MaxAbs    int     `json:"max_abs_diff"`       // largest |Δ|
	Decision  float64 `json:"decision_agreement"` // share agreeing on score < Threshold
	Threshold int     `json:"threshold"`
	// Confusion[a][b] counts rows with NIST's decision a and ours b,
	// where 0 = fail (score < Threshold) and 1 = pass.
	Confusion [2][2]int `json:"confusion"`
}

// Compare computes the agreement of predicted scores with NIST's scores.
func Compare(pred []int, nist []float64, threshold int) Agreement {
	a := Agreement{N: len(pred), Threshold: threshold}
	if len(pred) == 0 || len(pred) != len(nist) {
		return a
	}
	var sum float64
	w5, w10, agree := 0, 0, 0
	for i, p := range pred {
		d := math.Abs(float64(p) - nist[i])
		sum += d
		if d <= 5 {
			w5++
		}
		if d <= 10 {
			w10++
		}
		if int(d) > a.MaxAbs {
			a.MaxAbs = int(d)
		}
		nb, pb := 0, 0
		if nist[i] >= float64(threshold) {
			nb = 1
		}
		if p >= threshold {
			pb = 1
		}
		a.Confusion[nb][pb]++
		if nb == pb {
			agree++
		}
	}
	n := float64(len(pred))
	a.MeanAbs = sum / n
	a.Within5 = float64(w5) / n
	a.Within10 = float64(w10) / n
	a.Decision = float64(agree) / n
	return a
}

// String formats the agreement as a small table.
func (a Agreement) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rows                      %d\n", a.N)
	fmt.Fprintf(&b, "mean |Δ|                  %.2f\n", a.MeanAbs)
	fmt.Fprintf(&b, "max |Δ|                   %d\n", a.MaxAbs)
	fmt.Fprintf(&b, "within ±5                 %.1f %%\n", 100*a.Within5)
	fmt.Fprintf(&b, "within ±10                %.1f %%\n", 100*a.Within10)
	fmt.Fprintf(&b, "decision agreement at %d  %.1f %%\n", a.Threshold, 100*a.Decision)
	fmt.Fprintf(&b, "confusion at %d (rows NIST, cols ours):\n", a.Threshold)
	fmt.Fprintf(&b, "              ours<%d  ours>=%d\n", a.Threshold, a.Threshold)
	fmt.Fprintf(&b, "  NIST<%d     %6d  %7d\n", a.Threshold, a.Confusion[0][0], a.Confusion[0][1])
	fmt.Fprintf(&b, "  NIST>=%d    %6d  %7d\n", a.Threshold, a.Confusion[1][0], a.Confusion[1][1])
	return b.String()
}

// CrossValidate estimates the agreement of a model trained with p by
// k-fold cross-validation over samples (folds assigned by a permutation
// drawn from seed, stratified by NIST score order). The extra rows are
// added to every training fold and never evaluated. It returns the
// out-of-fold predicted scores in the order of samples.
func CrossValidate(samples, extra []Sample, p TrainParams, folds int, seed uint64) (Agreement, []int, error) {
	n := len(samples)
	if folds < 2 || folds > n {
		return Agreement{}, nil, fmt.Errorf("%w: %d folds for %d rows", ErrTrain, folds, n)
	}
	fold := stratifiedFolds(samples, folds, seed)
	pred := make([]int, n)
	for k := 0; k < folds; k++ {
		var x [][]float64
		var y []float64
		for i, s := range samples {
			if fold[i] != k {
				x = append(x, s.Features)
				y = append(y, s.Score)
			}
		}
		for _, s := range extra {
			x = append(x, s.Features)
			y = append(y, s.Score)
		}
		e, err := train(x, y, p, seed+uint64(k)+1)
		if err != nil {
			return Agreement{}, nil, err
		}
		for i, s := range samples {
			if fold[i] == k {
				pred[i] = roundScore(e.predict(s.Features))
			}
		}
	}
	nist := make([]float64, n)
	for i, s := range samples {
		nist[i] = s.Score
	}
	return Compare(pred, nist, DecisionThreshold), pred, nil
}

// StratifiedFolds returns the fold (0..folds-1) of each sample as
// CrossValidate assigns them for seed.
func StratifiedFolds(samples []Sample, folds int, seed uint64) []int {
	return stratifiedFolds(samples, folds, seed)
}

// stratifiedFolds assigns folds so each fold spans the score range: rows
// are sorted by score (ties by a random key) and dealt round-robin from
// shuffled blocks of size folds.
func stratifiedFolds(samples []Sample, folds int, seed uint64) []int {
	n := len(samples)
	rng := rand.New(rand.NewPCG(seed, 0xcf1bbcdcb7a56463))
	key := make([]float64, n)
	for i := range key {
		key[i] = rng.Float64()
	}
	ord := seq(n)
	sortBy(ord, func(a, b int) bool {
		if samples[a].Score != samples[b].Score {
			return samples[a].Score < samples[b].Score
		}
		return key[a] < key[b]
	})
	fold := make([]int, n)
	for start := 0; start < n; start += folds {
		perm := rng.Perm(folds)
		for j := 0; j < folds && start+j < n; j++ {
			fold[ord[start+j]] = perm[j]
		}
	}
	return fold
}

func sortBy(s []int, less func(a, b int) bool) {
	// insertion sort is fine for a few hundred rows
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// roundScore rounds half up and clamps to 0-100.
func roundScore(v float64) int {
	q := math.Floor(v + 0.5)
	return int(min(max(q, 0), 100))
}
