package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// Batch is the result of one run over many samples.
type Batch struct {
	// Tool and Version identify the program that wrote the batch.
	Tool    string `json:"tool"`
	Version string `json:"version"`
	// Profile identifies the threshold profile applied.
	Profile thresholds.Ref `json:"profile"`
	// Thresholds is the full profile applied, overrides included, so that
	// a report can show and plot the thresholds; nil when not recorded.
	Thresholds *thresholds.Profile `json:"thresholds,omitempty"`
	// Started is when the run started; the zero time when not recorded.
	Started time.Time `json:"started,omitzero"`
	// Interrupted is set when the run stopped (Ctrl-C) before every input
	// file was assessed; Summary and Samples then cover only the files
	// assessed. Nil for a complete run.
	Interrupted *Interruption `json:"interrupted,omitempty"`
	// Summary counts the samples per outcome.
	Summary Summary `json:"summary"`
	// Samples holds one report per sample, in input order.
	Samples []gate.Report `json:"samples"`
	// Tally, when set and Samples is empty, is the summary of a run whose
	// reports are kept elsewhere (JSON Lines shards of an archive run);
	// Summary is then its Summary.
	Tally *Tally `json:"tally,omitempty"`
}

// Interruption says how far an interrupted run got.
type Interruption struct {
	// Files is the number of input files the run was to assess.
	Files int `json:"files"`
	// Assessed is the number of them whose reports the batch holds.
	Assessed int `json:"assessed"`
}

// Summary counts samples per outcome and per reason code.
type Summary struct {
	Total        int            `json:"total"`
	Accept       int            `json:"accept"`
	Recapture    int            `json:"recapture"`
	WarnOperator int            `json:"warn_operator"`
	Reject       int            `json:"reject"`
	Reasons      map[string]int `json:"reasons"`
}

// Add counts one decision.
func (s *Summary) Add(d quality.Decision) {
	s.Total++
	switch d.Outcome {
	case quality.Accept:
		s.Accept++
	case quality.Recapture:
		s.Recapture++
	case quality.WarnOperator:
		s.WarnOperator++
	case quality.Reject:
		s.Reject++
	}
	if s.Reasons == nil {
		s.Reasons = map[string]int{}
	}
	for _, r := range d.Reasons {
		s.Reasons[r.Code]++
	}
}

// Summarize counts the decisions of samples.
func Summarize(samples []gate.Report) Summary {
	s := Summary{Reasons: map[string]int{}}
	for _, r := range samples {
		s.Add(r.Decision)
	}
	return s
}

// ExitCode is the CLI's exit code for a summary: 0 when every sample was
// accepted, 1 when some need a recapture or the operator's attention, 2 when
// some could not be read at all.
func (s Summary) ExitCode() int {
	switch {
	case s.Reject > 0:
		return 2
	case s.Recapture > 0 || s.WarnOperator > 0:
		return 1
	}
	return 0
}

// ErrNotBatch is returned by ReadBatch for input that is neither a JSON batch
// nor JSON Lines of sample reports.
var ErrNotBatch = errors.New("report: not a biogate JSON batch or JSON Lines report")

// ReadBatch reads a batch written by the JSON format (one document) or the
// JSON Lines format (one sample report per line; the profile is then taken
// from the first sample). The summary is recounted from the samples.
func ReadBatch(r io.Reader) (Batch, error) {
	dec := json.NewDecoder(r)
	var docs []json.RawMessage
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			break
		}
		if err != nil {
			return Batch{}, fmt.Errorf("%w: %v", ErrNotBatch, err)
		}
		docs = append(docs, raw)
	}
	if len(docs) == 0 {
		return Batch{}, fmt.Errorf("%w: empty input", ErrNotBatch)
	}
	var b Batch
	if len(docs) == 1 && hasKey(docs[0], "samples") {
		if err := json.Unmarshal(docs[0], &b); err != nil {
			return Batch{}, fmt.Errorf("%w: %v", ErrNotBatch, err)
		}
	} else {
		for i, d := range docs {
			if !hasKey(d, "decision") {
				return Batch{}, fmt.Errorf("%w: value %d has no \"decision\"", ErrNotBatch, i+1)
			}
			var s gate.Report
			if err := json.Unmarshal(d, &s); err != nil {
				return Batch{}, fmt.Errorf("%w: line %d: %v", ErrNotBatch, i+1, err)
			}
			b.Samples = append(b.Samples, s)
		}
		b.Profile = b.Samples[0].Profile
	}
	if b.Samples == nil {
		b.Samples = []gate.Report{}
	}
	b.Summary = Summarize(b.Samples)
	if len(b.Samples) == 0 && b.Tally != nil {
		b.Summary = b.Tally.Summary
	}
	return b, nil
}

// hasKey reports whether raw is a JSON object with the given top-level key.
func hasKey(raw json.RawMessage, key string) bool {
	if len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '{' {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	_, ok := m[key]
	return ok
}
