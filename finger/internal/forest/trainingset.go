package forest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// TrainingSet is the data the embedded model is trained on.
type TrainingSet struct {
	// Conformance holds NIST's scored conformance rows; cross-validation
	// is measured on them.
	Conformance []Sample
	// Extra holds other rows with NIST measures and NIST scores (for
	// example NIST's SFinGe examples); they are only trained on.
	Extra []Sample
	// Files records each table read with its SHA-256.
	Files []DataFile
}

// All returns the conformance rows followed by the extra rows.
func (s *TrainingSet) All() []Sample {
	return append(append([]Sample(nil), s.Conformance...), s.Extra...)
}

// LoadTrainingSet reads NIST's conformance table (conformance) and,
// when both are given, the measures table ref joined with the score table
// scores for extra rows.
func LoadTrainingSet(conformance, ref, scores string) (*TrainingSet, error) {
	set := &TrainingSet{}
	read := func(path string) ([]byte, error) {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("forest: %w", err)
		}
		sum := sha256.Sum256(b)
		set.Files = append(set.Files, DataFile{Name: filepath.Base(path), SHA256: hex.EncodeToString(sum[:])})
		return b, nil
	}
	b, err := read(conformance)
	if err != nil {
		return nil, err
	}
	if set.Conformance, err = ReadScoredCSV(bytes.NewReader(b), "Filename", "QualityScore"); err != nil {
		return nil, err
	}
	set.Files[0].Rows = len(set.Conformance)
	if ref == "" || scores == "" {
		return set, nil
	}
	rb, err := read(ref)
	if err != nil {
		return nil, err
	}
	sb, err := read(scores)
	if err != nil {
		return nil, err
	}
	m, err := ReadMeasuresCSV(bytes.NewReader(rb))
	if err != nil {
		return nil, err
	}
	if set.Extra, err = JoinScores(m, bytes.NewReader(sb)); err != nil {
		return nil, err
	}
	set.Files[1].Rows = len(set.Extra)
	set.Files[2].Rows = len(set.Extra)
	return set, nil
}
