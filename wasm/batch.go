package wasm

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// batch mirrors report.Batch field for field, so that the browser build
// does without package report, whose HTML and plot writers pull gonum/plot
// and its fonts into the .wasm (gzip -9: 11.2 MB with them, 7.9 MB without).
// TestBatchMatchesReportWriter checks that both write the same bytes.
type batch struct {
	Tool        string              `json:"tool"`
	Version     string              `json:"version"`
	Profile     thresholds.Ref      `json:"profile"`
	Thresholds  *thresholds.Profile `json:"thresholds,omitempty"`
	Started     time.Time           `json:"started,omitzero"`
	Interrupted *struct{}           `json:"interrupted,omitempty"`
	Summary     summary             `json:"summary"`
	Samples     []gate.Report       `json:"samples"`
}

// summary mirrors report.Summary.
type summary struct {
	Total        int            `json:"total"`
	Accept       int            `json:"accept"`
	Recapture    int            `json:"recapture"`
	WarnOperator int            `json:"warn_operator"`
	Reject       int            `json:"reject"`
	Reasons      map[string]int `json:"reasons"`
}

func (s *summary) add(d quality.Decision) {
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
	for _, r := range d.Reasons {
		s.Reasons[r.Code]++
	}
}

// encodeBatch writes reports as `biogate check -format json` does (an
// indented document and a final newline).
func encodeBatch(g *gate.Gate, reports []gate.Report) ([]byte, summary, error) {
	b := batch{Tool: Tool, Version: Version, Profile: g.Ref(), Thresholds: g.Profile(),
		Summary: summary{Reasons: map[string]int{}}, Samples: reports}
	if b.Samples == nil {
		b.Samples = []gate.Report{}
	}
	for _, r := range reports {
		b.Summary.add(r.Decision)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	err := enc.Encode(b)
	return buf.Bytes(), b.Summary, err
}
