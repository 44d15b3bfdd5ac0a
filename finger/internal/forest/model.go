package forest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sync"
)

// Names and version of the embedded model.
const (
	// NameCompatible is the model name of this project's own model.
	NameCompatible = "nfiq2-compatible"
	// CompatibleVersion is the version of the embedded model format and
	// training recipe.
	CompatibleVersion = "1.0.0"
)

// ModelInfo records how a Model was trained.
type ModelInfo struct {
	Name    string      `json:"name"`
	Version string      `json:"version"`
	Seed    uint64      `json:"seed"`
	Params  TrainParams `json:"params"`
	// Data lists the training tables with their SHA-256.
	Data []DataFile `json:"data"`
	// Rows is the number of training rows.
	Rows int `json:"rows"`
	// CV is the cross-validated agreement with NIST's score on the
	// conformance rows, measured by the training command.
	CV       Agreement `json:"cv"`
	CVFolds  int       `json:"cv_folds"`
	Features []string  `json:"features"`
	Command  string    `json:"command"`
}

// DataFile names one training table and its SHA-256 (hex).
type DataFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows"`
}

// Model is this project's own NFIQ 2 compatible score model: a tree
// ensemble trained on NIST's conformance feature vectors and scores. It is
// immutable and safe for concurrent use.
type Model struct {
	info ModelInfo
	ens  ensemble
}

type modelFile struct {
	Info  ModelInfo `json:"info"`
	Model ensemble  `json:"model"`
}

//go:embed model/nfiq2-compatible.json
var embeddedJSON []byte

var (
	embeddedOnce  sync.Once
	embeddedModel *Model
	embeddedErr   error
)

// Embedded returns the model compiled into the binary (model name
// "nfiq2-compatible"). It is decoded once; every call returns the same
// *Model. Embedded panics only if the embedded file is corrupt, which the
// package's tests rule out.
func Embedded() *Model {
	embeddedOnce.Do(func() {
		embeddedModel, embeddedErr = ReadModel(bytes.NewReader(embeddedJSON))
	})
	if embeddedErr != nil {
		panic("forest: embedded model is corrupt: " + embeddedErr.Error())
	}
	return embeddedModel
}

// ReadModel decodes a model written by Model.WriteJSON, validating its
// structure.
func ReadModel(r io.Reader) (*Model, error) {
	var mf modelFile
	dec := json.NewDecoder(io.LimitReader(r, MaxModelBytes))
	if err := dec.Decode(&mf); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	m := &Model{info: mf.Info, ens: mf.Model}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Model) validate() error { return validateEnsemble(&m.ens, 0) }

func validateEnsemble(e *ensemble, depth int) error {
	if len(e.Members) > 0 {
		if depth > 0 || len(e.Trees) > 0 || len(e.Weights) != len(e.Members) {
			return fmt.Errorf("%w: malformed blend", ErrFormat)
		}
		for i := range e.Members {
			if err := validateEnsemble(&e.Members[i], depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if e.Kernel != nil {
		if len(e.Trees) > 0 || e.Derived {
			return fmt.Errorf("%w: kernel model with trees", ErrFormat)
		}
		return e.Kernel.validate(NumFeatures)
	}
	if len(e.Trees) == 0 {
		return fmt.Errorf("%w: model has no trees", ErrFormat)
	}
	if len(e.CalX) != len(e.CalY) {
		return fmt.Errorf("%w: calibration knots differ in length", ErrFormat)
	}
	for i := 1; i < len(e.CalX); i++ {
		if !(e.CalX[i] > e.CalX[i-1]) {
			return fmt.Errorf("%w: calibration knots not increasing", ErrFormat)
		}
	}
	nf := NumFeatures
	if e.Derived {
		nf += numDerived
	}
	for k := range e.Trees {
		t := &e.Trees[k]
		n := len(t.F)
		if n == 0 || len(t.T) != n || len(t.L) != n || len(t.R) != n || len(t.V) != n {
			return fmt.Errorf("%w: tree %d arrays differ in length", ErrFormat, k)
		}
		for i := 0; i < n; i++ {
			if t.L[i] < 0 {
				continue
			}
			// Children must come after their parent: no cycles.
			if t.L[i] <= int32(i) || t.R[i] <= int32(i) || int(t.L[i]) >= n || int(t.R[i]) >= n ||
				t.F[i] < 0 || int(t.F[i]) >= nf {
				return fmt.Errorf("%w: tree %d node %d is malformed", ErrFormat, k, i)
			}
		}
	}
	return nil
}

// WriteJSON writes the model (with its training record) as JSON.
func (m *Model) WriteJSON(w io.Writer) error {
	b, err := json.Marshal(modelFile{Info: m.info, Model: m.ens})
	if err != nil {
		return fmt.Errorf("forest: encoding model: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// Info returns the model's training record.
func (m *Model) Info() ModelInfo {
	info := m.info
	info.Data = append([]DataFile(nil), info.Data...)
	info.Features = append([]string(nil), info.Features...)
	return info
}

// ModelName returns the model's name ("nfiq2-compatible").
func (m *Model) ModelName() string { return m.info.Name }

// ModelVersion returns the model's version.
func (m *Model) ModelVersion() string { return m.info.Version }

// Name is a synonym of ModelName.
func (m *Model) Name() string { return m.info.Name }

// Version is a synonym of ModelVersion.
func (m *Model) Version() string { return m.info.Version }

// Score returns the model's 0-100 score for the 69 features in NIST's
// order (FeatureNames). Features must be finite.
func (m *Model) Score(features []float64) (int, error) {
	v, err := m.Value(features)
	if err != nil {
		return 0, err
	}
	return roundScore(v), nil
}

// Value returns the model's unrounded prediction (0-100) for the
// features.
func (m *Model) Value(features []float64) (float64, error) {
	if len(features) != NumFeatures {
		return 0, fmt.Errorf("%w: got %d, want %d", ErrFeatureCount, len(features), NumFeatures)
	}
	for i, v := range features {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("%w: %s = %v", ErrFeatureValue, FeatureNames[i], v)
		}
	}
	return m.ens.predict(features), nil
}

// Train fits a model to the samples with parameters p and seed. The
// result's Info records the seed and parameters; callers fill in the data
// hashes and cross-validation results with SetRecord.
func Train(samples []Sample, p TrainParams, seed uint64) (*Model, error) {
	x := make([][]float64, len(samples))
	y := make([]float64, len(samples))
	for i, s := range samples {
		if len(s.Features) != NumFeatures {
			return nil, fmt.Errorf("%w: row %d has %d features", ErrTrain, i, len(s.Features))
		}
		x[i], y[i] = s.Features, s.Score
	}
	e, err := train(x, y, p, seed)
	if err != nil {
		return nil, err
	}
	m := &Model{ens: *e, info: ModelInfo{
		Name: NameCompatible, Version: CompatibleVersion, Seed: seed, Params: p,
		Rows: len(samples), Features: FeatureNames[:],
	}}
	return m, nil
}

// SetRecord sets the training record's data files, cross-validation
// result and command. It is meant for the training command, before the
// model is shared.
func (m *Model) SetRecord(data []DataFile, cv Agreement, folds int, command string) {
	m.info.Data = append([]DataFile(nil), data...)
	m.info.CV = cv
	m.info.CVFolds = folds
	m.info.Command = command
}
