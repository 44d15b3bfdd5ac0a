package quality

import (
	"fmt"
	"strconv"
	"strings"
)

// Comparison says how a measured value is held against its threshold.
type Comparison string

// Comparisons used by reasons.
const (
	AtLeast  Comparison = ">=" // the value must be at least the threshold
	AtMost   Comparison = "<=" // the value must be at most the threshold
	Equal    Comparison = "==" // the value must equal the threshold
	NotEqual Comparison = "!=" // the value must differ from the threshold
	Present  Comparison = "present"
	// AbsAtMost: the value may have either sign; its magnitude must be at
	// most the threshold (head pose angles, centring offsets).
	AbsAtMost Comparison = "abs<="
)

// Reason explains why a sample was not accepted.
type Reason struct {
	// Code is a stable machine-readable code, for example
	// "face.inter_eye_distance" or "finger.nfiq2.below_threshold".
	Code string `json:"code"`
	// Outcome is what this reason alone calls for.
	Outcome Outcome `json:"outcome"`
	// Measure names the measure that failed, where there is one.
	Measure string `json:"measure,omitempty"`
	// Value is the measured value (native units of Measure, or of the
	// component when Component is true).
	Value float64 `json:"value"`
	// Threshold is the profile's threshold.
	Threshold float64 `json:"threshold"`
	// Comparison says which way Value must hold against Threshold.
	Comparison Comparison `json:"comparison,omitempty"`
	// Component is true when Value and Threshold are 0-100 components
	// rather than native values.
	Component bool `json:"component,omitempty"`
	// Unit is the unit of Value and Threshold.
	Unit string `json:"unit,omitempty"`
	// Instruction tells the operator, in plain words, what to do.
	Instruction string `json:"instruction"`
}

// Requirement says in short what the check asks of the value, with the
// unit: ">= 120 px", "!= 0", "within ±8 deg" (AbsAtMost); "" for Present
// or no comparison.
func (r Reason) Requirement() string {
	unit := ""
	if r.Unit != "" {
		unit = " " + r.Unit
	}
	t := strconv.FormatFloat(r.Threshold, 'f', -1, 64)
	switch r.Comparison {
	case "", Present:
		return ""
	case AbsAtMost:
		return "within ±" + t + unit
	}
	return string(r.Comparison) + " " + t + unit
}

// String returns the reason's instruction with its code.
func (r Reason) String() string { return fmt.Sprintf("%s: %s", r.Code, r.Instruction) }

// Decision is the gate's verdict on one sample.
type Decision struct {
	// Outcome is the most severe outcome among the reasons, or Accept.
	Outcome Outcome `json:"outcome"`
	// Reasons lists every failed check in the order checked.
	Reasons []Reason `json:"reasons"`
	// Skipped lists the profile's checks that could not be run on this
	// sample because the measure they need was not measured (for example
	// head yaw in preview mode, or JPEG compression without the file's
	// bytes). An accept with checks skipped is an accept by the checks
	// that ran.
	Skipped []Skip `json:"skipped,omitempty"`
}

// Skip is a check of the profile that could not be run on a sample.
type Skip struct {
	// Code is the code the check's reason would carry.
	Code string `json:"code"`
	// Measure names the measure the check needs.
	Measure string `json:"measure"`
	// Why says, in plain words, why the measure is missing.
	Why string `json:"why"`
}

// Decide combines reasons into a decision: the most severe outcome wins, and
// no reasons means Accept.
func Decide(reasons ...Reason) Decision {
	d := Decision{Outcome: Accept, Reasons: reasons}
	if d.Reasons == nil {
		d.Reasons = []Reason{}
	}
	for _, r := range reasons {
		if r.Outcome > d.Outcome {
			d.Outcome = r.Outcome
		}
	}
	return d
}

// Accepted reports whether the decision is Accept.
func (d Decision) Accepted() bool { return d.Outcome == Accept }

// Has reports whether the decision carries a reason with the given code.
func (d Decision) Has(code string) bool {
	for _, r := range d.Reasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

// Instructions returns the operator instructions of every reason, in order,
// without repeats.
func (d Decision) Instructions() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range d.Reasons {
		if !seen[r.Instruction] {
			seen[r.Instruction] = true
			out = append(out, r.Instruction)
		}
	}
	return out
}

// String returns a one-line summary such as
// "recapture: Ask the person to move closer: ...".
func (d Decision) String() string {
	if len(d.Reasons) == 0 {
		return d.Outcome.String()
	}
	return d.Outcome.String() + ": " + strings.Join(d.Instructions(), "; ")
}

// Unusable returns the Reject decision for input that could not be
// assessed, with err's message as the instruction.
func Unusable(code string, err error) Decision {
	return Decide(Reason{
		Code:        code,
		Outcome:     Reject,
		Comparison:  Present,
		Instruction: "The file cannot be assessed: " + err.Error(),
	})
}

// Check is one rule of a profile applied to one sample: what was compared
// with what, and whether it passed. A failed check's Reason is what the
// decision carries; a passed check has no instruction.
type Check struct {
	Reason
	// Passed reports whether the sample met the rule.
	Passed bool `json:"passed"`
}

// Failed returns the reasons of the checks that did not pass, in order.
func Failed(checks []Check) []Reason {
	var out []Reason
	for _, c := range checks {
		if !c.Passed {
			out = append(out, c.Reason)
		}
	}
	return out
}
