// Command train fits the embedded nfiq2-compatible score model on NIST's
// published conformance feature vectors and scores, cross-validates it and
// writes the model JSON with its training record (seed, data SHA-256,
// parameters, cross-validated agreement).
//
// From the module root:
//
//	go run ./finger/internal/forest/cmd/train \
//	    -data ../shared/corpus/finger/nist_conformance/conformance_expected_output-v2.3.0.csv \
//	    -reference ../shared/corpus/finger/nfiq2_reference.csv \
//	    -scores ../shared/corpus/finger/sfinge_scores.csv \
//	    -seed 1 -out finger/internal/forest/model/nfiq2-compatible.json
//
// With -search it cross-validates a grid of learners and prints one line
// per candidate instead of writing a model.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/biogate/biogate/finger/internal/forest"
)

func main() {
	data := flag.String("data", "", "NIST conformance CSV (Filename, QualityScore, 69 measures)")
	ref := flag.String("reference", "", "optional measures table (nfiq2_reference.csv) for extra rows")
	scores := flag.String("scores", "", "optional score table (file,nfiq2_score) joined to -reference")
	seed := flag.Uint64("seed", 1, "random seed")
	folds := flag.Int("folds", 10, "cross-validation folds")
	out := flag.String("out", "", "output model JSON (default: print the CV table only)")
	search := flag.Bool("search", false, "cross-validate a grid of learners")
	nestedCV := flag.Bool("nested", false, "estimate the agreement of the whole selection procedure by nested cross-validation")
	flag.Parse()
	if *nestedCV {
		set, err := forest.LoadTrainingSet(*data, *ref, *scores)
		if err == nil {
			err = nested(set, *folds, *seed)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "train:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*data, *ref, *scores, *seed, *folds, *out, *search); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(data, ref, scores string, seed uint64, folds int, out string, search bool) error {
	if data == "" {
		return fmt.Errorf("-data is required")
	}
	set, err := forest.LoadTrainingSet(data, ref, scores)
	if err != nil {
		return err
	}
	if search {
		return grid(set, folds, seed)
	}
	p := forest.DefaultTrainParams
	cv, _, err := forest.CrossValidate(set.Conformance, set.Extra, p, folds, seed)
	if err != nil {
		return err
	}
	fmt.Printf("%d-fold cross-validation on %d conformance rows (+%d extra training rows), seed %d:\n%s",
		folds, len(set.Conformance), len(set.Extra), seed, cv)
	if out == "" {
		return nil
	}
	m, err := forest.Train(set.All(), p, seed)
	if err != nil {
		return err
	}
	cmd := fmt.Sprintf("go run ./finger/internal/forest/cmd/train -data %s", filepath.ToSlash(data))
	if ref != "" {
		cmd += " -reference " + filepath.ToSlash(ref)
	}
	if scores != "" {
		cmd += " -scores " + filepath.ToSlash(scores)
	}
	cmd += fmt.Sprintf(" -seed %d -folds %d -out %s", seed, folds, filepath.ToSlash(out))
	m.SetRecord(set.Files, cv, folds, cmd)
	var b bytes.Buffer
	if err := m.WriteJSON(&b); err != nil {
		return err
	}
	sum := sha256.Sum256(b.Bytes())
	fmt.Printf("model: %d bytes, sha256 %s\n", b.Len(), hex.EncodeToString(sum[:]))
	return os.WriteFile(out, b.Bytes(), 0o644)
}

// candidates are the learners compared when choosing DefaultTrainParams.
func candidates() []forest.TrainParams {
	rf := forest.TrainParams{Learner: forest.LearnerRF, Trees: 300, MinLeaf: 2, MTry: 23, Sample: 1}
	rfc := rf
	rfc.Calibrate = true
	et := forest.TrainParams{Learner: forest.LearnerET, Trees: 300, MinLeaf: 2, MTry: 69, Sample: 1}
	gbt := forest.TrainParams{Learner: forest.LearnerGBT, Trees: 400, MaxDepth: 4, MinLeaf: 3, MTry: 23, Sample: 0.7, LearningRate: 0.03}
	krr := forest.TrainParams{Learner: forest.LearnerKRR, Alpha: 0.05, Gamma: 0.005, Log: true}
	cands := []forest.TrainParams{
		rf, rfc, et, gbt, krr,
		{Learner: forest.LearnerKRR, Alpha: 0.05, Gamma: 0.005},
		{Learner: forest.LearnerKRR, Alpha: 0.1, Gamma: 0.005, Log: true},
		{Learner: forest.LearnerBlend, Members: []forest.TrainParams{rfc, gbt}},
		{Learner: forest.LearnerBlend, Members: []forest.TrainParams{krr, gbt}, Weights: []float64{1, 1}},
		forest.DefaultTrainParams,
	}
	return cands
}

// grid cross-validates every candidate.
func grid(set *forest.TrainingSet, folds int, seed uint64) error {
	for _, p := range candidates() {
		a, _, err := forest.CrossValidate(set.Conformance, set.Extra, p, folds, seed)
		if err != nil {
			return err
		}
		fmt.Printf("%-90s  mae %5.2f  w5 %5.1f%%  dec %5.1f%%  conf %v\n", strings.TrimSpace(describe(p)), a.MeanAbs, 100*a.Within5, 100*a.Decision, a.Confusion)
	}
	return nil
}

func describe(p forest.TrainParams) string {
	if len(p.Members) == 0 {
		if p.Learner == forest.LearnerKRR {
			return fmt.Sprintf("krr a%g g%g log%v", p.Alpha, p.Gamma, p.Log)
		}
		return fmt.Sprintf("%s t%d d%d leaf%d m%d s%.1f lr%.2f cal%v der%v", p.Learner, p.Trees, p.MaxDepth, p.MinLeaf, p.MTry, p.Sample, p.LearningRate, p.Calibrate, p.Derived)
	}
	s := fmt.Sprintf("blend%v(", p.Weights)
	for _, m := range p.Members {
		s += describe(m) + "; "
	}
	return s + ")"
}

// nested selects the best candidate (lowest mean |Δ| in an inner 5-fold
// cross-validation) within each outer training fold and scores the outer
// held-out fold with it, estimating the agreement of the procedure
// without the optimism of choosing on the evaluation folds.
func nested(set *forest.TrainingSet, folds int, seed uint64) error {
	cands := candidates()
	fold := forest.StratifiedFolds(set.Conformance, folds, seed)
	pred := make([]int, len(set.Conformance))
	nist := make([]float64, len(set.Conformance))
	for k := 0; k < folds; k++ {
		var te []int
		var rows []forest.Sample
		for i, s := range set.Conformance {
			nist[i] = s.Score
			if fold[i] == k {
				te = append(te, i)
			} else {
				rows = append(rows, s)
			}
		}
		best, bestMAE := -1, 0.0
		for c, p := range cands {
			a, _, err := forest.CrossValidate(rows, set.Extra, p, 5, seed+uint64(k))
			if err != nil {
				return err
			}
			if best < 0 || a.MeanAbs < bestMAE {
				best, bestMAE = c, a.MeanAbs
			}
		}
		m, err := forest.Train(append(rows, set.Extra...), cands[best], seed)
		if err != nil {
			return err
		}
		for _, i := range te {
			if pred[i], err = m.Score(set.Conformance[i].Features); err != nil {
				return err
			}
		}
		fmt.Printf("outer fold %d: chose %s (inner mean |Δ| %.2f)\n", k, describe(cands[best]), bestMAE)
	}
	fmt.Printf("nested %d-fold cross-validation, seed %d:\n%s", folds, seed, forest.Compare(pred, nist, forest.DecisionThreshold))
	return nil
}
