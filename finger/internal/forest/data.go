package forest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Sample is one training or evaluation row: the 69 native measures in
// NIST's order and NIST's score.
type Sample struct {
	Name     string
	Features []float64
	Score    float64
}

// ErrData reports a training table that cannot be read.
var ErrData = errors.New("forest: bad training table")

// ReadScoredCSV reads a CSV table that has a file-name column, a score
// column and the 69 measure columns under NIST's names (in any order),
// such as NIST's conformance_expected_output-v2.3.0.csv (columns
// "Filename", "QualityScore"). Rows without a numeric score (NIST's
// errors, "NA") are skipped; a scored row with a missing or non-numeric
// measure is an error.
func ReadScoredCSV(r io.Reader, nameCol, scoreCol string) ([]Sample, error) {
	cr, col, fi, err := openMeasuresCSV(r)
	if err != nil {
		return nil, err
	}
	ni, ok1 := col[nameCol]
	si, ok2 := col[scoreCol]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%w: no %q or %q column", ErrData, nameCol, scoreCol)
	}
	var out []Sample
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrData, err)
		}
		if si >= len(rec) || ni >= len(rec) {
			return nil, fmt.Errorf("%w: line %d is short", ErrData, line)
		}
		score, err := strconv.ParseFloat(strings.TrimSpace(rec[si]), 64)
		if err != nil || math.IsNaN(score) {
			continue // unscored row
		}
		s := Sample{Name: rec[ni], Score: score, Features: make([]float64, NumFeatures)}
		for k, i := range fi {
			if i >= len(rec) {
				return nil, fmt.Errorf("%w: line %d is short", ErrData, line)
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[i]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: line %d %s = %q", ErrData, line, FeatureNames[k], rec[i])
			}
			s.Features[k] = v
		}
		out = append(out, s)
	}
	return out, nil
}

// JoinScores attaches scores from a second table (columns "file",
// "nfiq2_score") to unscored measure rows (such as nfiq2_reference.csv,
// read with ReadMeasuresCSV) by file name. Rows whose file has no score
// are dropped.
func JoinScores(measures []Sample, scores io.Reader) ([]Sample, error) {
	cr := csv.NewReader(scores)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrData, err)
	}
	fc, sc := -1, -1
	for i, h := range head {
		switch strings.TrimSpace(h) {
		case "file":
			fc = i
		case "nfiq2_score":
			sc = i
		}
	}
	if fc < 0 || sc < 0 {
		return nil, fmt.Errorf("%w: score table needs file and nfiq2_score columns", ErrData)
	}
	score := map[string]float64{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrData, err)
		}
		if fc >= len(rec) || sc >= len(rec) {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[sc]), 64)
		if err != nil {
			continue
		}
		score[rec[fc]] = v
	}
	var out []Sample
	for _, m := range measures {
		if v, ok := score[m.Name]; ok {
			m.Score = v
			out = append(out, m)
		}
	}
	return out, nil
}

// openMeasuresCSV reads the header of a CSV table of measures and returns
// the reader positioned at the first row, the column index of each header
// name, and the columns of the 69 features in NIST's order.
func openMeasuresCSV(r io.Reader) (*csv.Reader, map[string]int, [NumFeatures]int, error) {
	var fi [NumFeatures]int
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, nil, fi, fmt.Errorf("%w: %v", ErrData, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	for k, name := range FeatureNames {
		i, ok := col[name]
		if !ok {
			return nil, nil, fi, fmt.Errorf("%w: no %q column", ErrData, name)
		}
		fi[k] = i
	}
	return cr, col, fi, nil
}

// ReadMeasuresCSV reads rows of the 69 measures (column "file" names the
// image) without requiring a score; rows with an empty or non-numeric
// measure (images NIST refused) are skipped.
func ReadMeasuresCSV(r io.Reader) ([]Sample, error) {
	cr, col, fi, err := openMeasuresCSV(r)
	if err != nil {
		return nil, err
	}
	fc, ok := col["file"]
	if !ok {
		return nil, fmt.Errorf("%w: no file column", ErrData)
	}
	var out []Sample
rows:
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrData, err)
		}
		if fc >= len(rec) {
			continue
		}
		s := Sample{Name: rec[fc], Features: make([]float64, NumFeatures), Score: math.NaN()}
		for k, i := range fi {
			if i >= len(rec) {
				continue rows
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[i]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				continue rows
			}
			s.Features[k] = v
		}
		out = append(out, s)
	}
	return out, nil
}
