package report

import (
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
	// Summary counts the samples per outcome.
	Summary Summary `json:"summary"`
	// Samples holds one report per sample, in input order.
	Samples []gate.Report `json:"samples"`
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
