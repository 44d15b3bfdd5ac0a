package forest

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Learners accepted in TrainParams.Learner.
const (
	// LearnerRF is a random forest of regression trees (bootstrap
	// samples, MTry features tried per split), averaged.
	LearnerRF = "rf"
	// LearnerET is an extremely randomised forest: one random threshold
	// per tried feature, no bootstrap.
	LearnerET = "et"
	// LearnerBlend averages the predictions of the models trained with
	// TrainParams.Members (each with its own seed).
	LearnerBlend = "blend"
	// LearnerGBT is least-squares gradient boosting of shallow trees with
	// shrinkage and row subsampling.
	LearnerGBT = "gbt"
)

// TrainParams are the learner's parameters; they are recorded in the
// trained model.
type TrainParams struct {
	Learner      string  `json:"learner"`
	Trees        int     `json:"trees"`
	MaxDepth     int     `json:"max_depth"`
	MinLeaf      int     `json:"min_leaf"`
	MTry         int     `json:"mtry"`          // features tried per split; 0 = all/3
	Sample       float64 `json:"sample"`        // fraction of rows per tree (bootstrap for rf)
	LearningRate float64 `json:"learning_rate"` // gbt shrinkage
	Calibrate    bool    `json:"calibrate"`     // isotonic calibration on out-of-bag predictions
	// Derived adds each histogram bin's share of its histogram (FDA, LCS,
	// OCL, OF, RVUP: 50 features) to the 69 measures.
	Derived bool `json:"derived"`
	// Alpha and Gamma are the ridge penalty and RBF kernel width of
	// learner krr; Log applies a signed log1p to the features first.
	Alpha float64 `json:"alpha,omitempty"`
	Gamma float64 `json:"gamma,omitempty"`
	Log   bool    `json:"log,omitempty"`
	// Members are the blended models' parameters (learner blend only).
	Members []TrainParams `json:"members,omitempty"`
	// Weights are the members' relative weights (nil: equal).
	Weights []float64 `json:"weights,omitempty"`
}

// DefaultTrainParams are the parameters the embedded model is trained
// with, chosen by 10-fold cross-validated agreement with NIST's score
// among random forests, extra trees, gradient boosting, kernel ridge
// regression and blends (see cmd/train -search): two thirds kernel ridge
// regression on log-scaled measures, one third gradient-boosted trees.
var DefaultTrainParams = TrainParams{
	Learner: LearnerBlend,
	Members: []TrainParams{
		{Learner: LearnerKRR, Alpha: 0.05, Gamma: 0.005, Log: true},
		{Learner: LearnerGBT, Trees: 400, MaxDepth: 4, MinLeaf: 3, MTry: 23, Sample: 0.7, LearningRate: 0.03},
	},
	Weights: []float64{2, 1},
}

// ErrTrain reports unusable training data or parameters.
var ErrTrain = errors.New("forest: cannot train")

// histStarts are the indices in FeatureNames of the first of each family's
// ten histogram bins (FDA, LCS, OCL, OF, RVUP).
var histStarts = [...]int{0, 17, 31, 43, 57}

// numDerived is the number of derived features added when
// TrainParams.Derived is set.
const numDerived = 10 * len(histStarts)

// augment returns the features followed by each histogram bin's share of
// its histogram's total (0 when the histogram is empty).
func augment(f []float64) []float64 {
	out := make([]float64, NumFeatures, NumFeatures+numDerived)
	copy(out, f)
	for _, s := range histStarts {
		var tot float64
		for i := s; i < s+10; i++ {
			tot += f[i]
		}
		for i := s; i < s+10; i++ {
			v := 0.0
			if tot > 0 {
				v = f[i] / tot
			}
			out = append(out, v)
		}
	}
	return out
}

// rtree is a regression tree in flat form: a leaf has L == -1.
type rtree struct {
	F []int32   `json:"f"` // feature tested
	T []float64 `json:"t"` // threshold: go left when x <= T
	L []int32   `json:"l"`
	R []int32   `json:"r"`
	V []float64 `json:"v"` // leaf value
}

func (t *rtree) predict(x []float64) float64 {
	i := int32(0)
	for t.L[i] >= 0 {
		if x[t.F[i]] <= t.T[i] {
			i = t.L[i]
		} else {
			i = t.R[i]
		}
	}
	return t.V[i]
}

func (t *rtree) add(f int32, thr float64, v float64) int32 {
	t.F = append(t.F, f)
	t.T = append(t.T, thr)
	t.L = append(t.L, -1)
	t.R = append(t.R, -1)
	t.V = append(t.V, v)
	return int32(len(t.F) - 1)
}

type treeBuilder struct {
	x        [][]float64
	y        []float64
	p        TrainParams
	rng      *rand.Rand
	feats    []int
	random   bool // extra-trees thresholds
	order    []int
	maxDepth int
}

func mean(y []float64, idx []int) float64 {
	s := 0.0
	for _, i := range idx {
		s += y[i]
	}
	return s / float64(len(idx))
}

// build grows a tree on the rows idx (which it reorders).
func (b *treeBuilder) build(idx []int) *rtree {
	t := &rtree{}
	b.grow(t, idx, 0)
	return t
}

func (b *treeBuilder) grow(t *rtree, idx []int, depth int) int32 {
	me := t.add(-1, 0, mean(b.y, idx))
	n := len(idx)
	if n < 2*b.p.MinLeaf || (b.maxDepth > 0 && depth >= b.maxDepth) {
		return me
	}
	// Node sum of squares.
	var s, ss float64
	for _, i := range idx {
		s += b.y[i]
		ss += float64(b.y[i] * b.y[i])
	}
	if ss-s*s/float64(n) <= 1e-9 {
		return me
	}
	mtry := b.p.MTry
	if mtry <= 0 || mtry > len(b.feats) {
		mtry = len(b.feats)
	}
	// Partial Fisher-Yates to pick mtry features.
	for i := 0; i < mtry; i++ {
		j := i + b.rng.IntN(len(b.feats)-i)
		b.feats[i], b.feats[j] = b.feats[j], b.feats[i]
	}
	bestGain, bestF, bestT := 0.0, -1, 0.0
	parent := s * s / float64(n)
	for _, f := range b.feats[:mtry] {
		if b.random {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, i := range idx {
				lo, hi = min(lo, b.x[i][f]), max(hi, b.x[i][f])
			}
			if !(hi > lo) {
				continue
			}
			thr := lo + float64((hi-lo)*b.rng.Float64())
			if thr >= hi {
				continue
			}
			var sl float64
			nl := 0
			for _, i := range idx {
				if b.x[i][f] <= thr {
					sl += b.y[i]
					nl++
				}
			}
			if nl < b.p.MinLeaf || n-nl < b.p.MinLeaf {
				continue
			}
			sr := s - sl
			g := float64(sl*sl)/float64(nl) + float64(sr*sr)/float64(n-nl) - parent
			if g > bestGain {
				bestGain, bestF, bestT = g, f, thr
			}
			continue
		}
		ord := b.order[:n]
		copy(ord, idx)
		slices.SortFunc(ord, func(a, c int) int {
			va, vc := b.x[a][f], b.x[c][f]
			switch {
			case va < vc:
				return -1
			case va > vc:
				return 1
			}
			return a - c
		})
		var sl float64
		for k := 0; k < n-1; k++ {
			sl += b.y[ord[k]]
			nl := k + 1
			if b.x[ord[k]][f] == b.x[ord[k+1]][f] || nl < b.p.MinLeaf || n-nl < b.p.MinLeaf {
				continue
			}
			sr := s - sl
			g := float64(sl*sl)/float64(nl) + float64(sr*sr)/float64(n-nl) - parent
			if g > bestGain {
				bestGain, bestF = g, f
				bestT = b.x[ord[k]][f] + (b.x[ord[k+1]][f]-b.x[ord[k]][f])/2
			}
		}
	}
	if bestF < 0 {
		return me
	}
	// Partition idx in place.
	l := 0
	for k := 0; k < n; k++ {
		if b.x[idx[k]][bestF] <= bestT {
			idx[l], idx[k] = idx[k], idx[l]
			l++
		}
	}
	if l == 0 || l == n {
		return me
	}
	t.F[me], t.T[me] = int32(bestF), bestT
	left := b.grow(t, idx[:l], depth+1)
	right := b.grow(t, idx[l:], depth+1)
	t.L[me], t.R[me] = left, right
	return me
}

// ensemble is a trained tree ensemble with an optional calibration.
type ensemble struct {
	Base   float64   `json:"base"`  // added to the tree sum
	Scale  float64   `json:"scale"` // multiplies each tree's output
	Trees  []rtree   `json:"trees"`
	CalX   []float64 `json:"cal_x,omitempty"` // isotonic calibration knots
	CalY   []float64 `json:"cal_y,omitempty"`
	Clamp0 float64   `json:"min"`
	Clamp1 float64   `json:"max"`
	// Derived is set when the trees read augment's derived features.
	Derived bool `json:"derived,omitempty"`
	// Members, when present, replace the trees: the prediction is the
	// mean of the members' predictions.
	Members []ensemble `json:"members,omitempty"`
	// Weights are the members' weights, summing to 1.
	Weights []float64 `json:"weights,omitempty"`
	// Kernel, when present, replaces the trees.
	Kernel *kernelModel `json:"kernel,omitempty"`
}

func (e *ensemble) raw(x []float64) float64 {
	if e.Derived {
		x = augment(x)
	}
	s := 0.0
	for i := range e.Trees {
		s += e.Trees[i].predict(x)
	}
	return e.Base + float64(e.Scale*s)
}

func (e *ensemble) predict(x []float64) float64 {
	if len(e.Members) > 0 {
		s := 0.0
		for i := range e.Members {
			s += float64(e.Weights[i] * e.Members[i].predict(x))
		}
		return min(max(s, e.Clamp0), e.Clamp1)
	}
	var v float64
	if e.Kernel != nil {
		v = e.Kernel.predict(x)
	} else {
		v = e.raw(x)
	}
	if len(e.CalX) > 0 {
		v = interp(e.CalX, e.CalY, v)
	}
	return min(max(v, e.Clamp0), e.Clamp1)
}

// interp interpolates linearly between knots, constant outside.
func interp(xs, ys []float64, v float64) float64 {
	if v <= xs[0] {
		return ys[0]
	}
	if v >= xs[len(xs)-1] {
		return ys[len(ys)-1]
	}
	k, _ := slices.BinarySearch(xs, v)
	// xs[k-1] < v <= xs[k]
	x0, x1 := xs[k-1], xs[k]
	if x1 == x0 {
		return ys[k]
	}
	return ys[k-1] + float64((ys[k]-ys[k-1])*((v-x0)/(x1-x0)))
}

// train fits an ensemble to (x, y).
func train(x [][]float64, y []float64, p TrainParams, seed uint64) (*ensemble, error) {
	n := len(x)
	if n < 4 || len(y) != n {
		return nil, fmt.Errorf("%w: %d rows, %d targets", ErrTrain, n, len(y))
	}
	nf := len(x[0])
	for _, r := range x {
		if len(r) != nf {
			return nil, fmt.Errorf("%w: ragged rows", ErrTrain)
		}
	}
	if p.Learner == LearnerBlend {
		if len(p.Members) == 0 {
			return nil, fmt.Errorf("%w: blend without members", ErrTrain)
		}
		e := &ensemble{Clamp0: slices.Min(y), Clamp1: slices.Max(y)}
		w := p.Weights
		if w == nil {
			w = make([]float64, len(p.Members))
			for i := range w {
				w[i] = 1
			}
		}
		if len(w) != len(p.Members) {
			return nil, fmt.Errorf("%w: %d weights for %d members", ErrTrain, len(w), len(p.Members))
		}
		var tot float64
		for _, v := range w {
			if !(v > 0) {
				return nil, fmt.Errorf("%w: weight %v", ErrTrain, v)
			}
			tot += v
		}
		for _, v := range w {
			e.Weights = append(e.Weights, v/tot)
		}
		for k, mp := range p.Members {
			if mp.Learner == LearnerBlend {
				return nil, fmt.Errorf("%w: nested blend", ErrTrain)
			}
			m, err := train(x, y, mp, seed+1000*uint64(k+1))
			if err != nil {
				return nil, err
			}
			e.Members = append(e.Members, *m)
		}
		return e, nil
	}
	if p.Learner == LearnerKRR {
		k, err := trainKRR(x, y, p)
		if err != nil {
			return nil, err
		}
		return &ensemble{Kernel: k, Clamp0: slices.Min(y), Clamp1: slices.Max(y)}, nil
	}
	if p.Trees <= 0 || p.MinLeaf <= 0 {
		return nil, fmt.Errorf("%w: trees %d, min leaf %d", ErrTrain, p.Trees, p.MinLeaf)
	}
	if p.Derived {
		ax := make([][]float64, n)
		for i, r := range x {
			if len(r) != NumFeatures {
				return nil, fmt.Errorf("%w: derived features need %d measures", ErrTrain, NumFeatures)
			}
			ax[i] = augment(r)
		}
		x = ax
		nf = len(x[0])
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	b := &treeBuilder{x: x, y: y, p: p, rng: rng, order: make([]int, n), maxDepth: p.MaxDepth}
	b.feats = make([]int, nf)
	for i := range b.feats {
		b.feats[i] = i
	}
	lo, hi := slices.Min(y), slices.Max(y)
	e := &ensemble{Clamp0: lo, Clamp1: hi, Derived: p.Derived}
	oobSum := make([]float64, n)
	oobCnt := make([]int, n)
	switch p.Learner {
	case LearnerRF, LearnerET:
		b.random = p.Learner == LearnerET
		e.Scale = 1 / float64(p.Trees)
		m := int(math.Round(p.Sample * float64(n)))
		if m < 2 {
			m = n
		}
		idx := make([]int, 0, n)
		in := make([]bool, n)
		for k := 0; k < p.Trees; k++ {
			idx = idx[:0]
			clear(in)
			if p.Learner == LearnerRF {
				for j := 0; j < m; j++ {
					i := rng.IntN(n)
					idx = append(idx, i)
					in[i] = true
				}
			} else {
				for i := 0; i < n; i++ {
					idx = append(idx, i)
					in[i] = true
				}
			}
			t := b.build(idx)
			e.Trees = append(e.Trees, *t)
			for i := 0; i < n; i++ {
				if !in[i] {
					oobSum[i] += t.predict(x[i])
					oobCnt[i]++
				}
			}
		}
	case LearnerGBT:
		if !(p.LearningRate > 0 && p.LearningRate <= 1) {
			return nil, fmt.Errorf("%w: learning rate %v", ErrTrain, p.LearningRate)
		}
		e.Base = mean(y, seq(n))
		e.Scale = p.LearningRate
		res := make([]float64, n)
		cur := make([]float64, n)
		for i := range cur {
			cur[i] = e.Base
		}
		b.y = res
		m := int(math.Round(p.Sample * float64(n)))
		if m < 2 || m > n {
			m = n
		}
		perm := seq(n)
		for k := 0; k < p.Trees; k++ {
			for i := range res {
				res[i] = y[i] - cur[i]
			}
			for i := 0; i < m; i++ {
				j := i + rng.IntN(n-i)
				perm[i], perm[j] = perm[j], perm[i]
			}
			idx := append([]int(nil), perm[:m]...)
			t := b.build(idx)
			e.Trees = append(e.Trees, *t)
			for i := range cur {
				cur[i] += float64(p.LearningRate * t.predict(x[i]))
			}
		}
	default:
		return nil, fmt.Errorf("%w: unknown learner %q", ErrTrain, p.Learner)
	}
	if p.Calibrate {
		if p.Learner != LearnerRF {
			return nil, fmt.Errorf("%w: calibration needs out-of-bag predictions (learner rf)", ErrTrain)
		}
		var px, py []float64
		for i := 0; i < n; i++ {
			if oobCnt[i] > 0 {
				px = append(px, oobSum[i]/float64(oobCnt[i]))
				py = append(py, y[i])
			}
		}
		e.CalX, e.CalY = isotonic(px, py)
	}
	return e, nil
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// isotonic fits a non-decreasing step function y(x) by pool-adjacent-
// violators and returns its knots (block centres), for linear
// interpolation.
func isotonic(x, y []float64) ([]float64, []float64) {
	ord := seq(len(x))
	slices.SortFunc(ord, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return a - b
	})
	type block struct{ sx, sy, w float64 }
	var bl []block
	for _, i := range ord {
		bl = append(bl, block{x[i], y[i], 1})
		for len(bl) > 1 {
			a, c := bl[len(bl)-2], bl[len(bl)-1]
			if a.sy/a.w <= c.sy/c.w {
				break
			}
			bl = bl[:len(bl)-2]
			bl = append(bl, block{a.sx + c.sx, a.sy + c.sy, a.w + c.w})
		}
	}
	xs := make([]float64, 0, len(bl))
	ys := make([]float64, 0, len(bl))
	for _, b := range bl {
		cx := b.sx / b.w
		if len(xs) > 0 && cx <= xs[len(xs)-1] {
			// merge coincident centres
			ys[len(ys)-1] = (ys[len(ys)-1] + b.sy/b.w) / 2
			continue
		}
		xs = append(xs, cx)
		ys = append(ys, b.sy/b.w)
	}
	return xs, ys
}
