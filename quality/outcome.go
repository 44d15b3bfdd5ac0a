package quality

import (
	"encoding/json"
	"fmt"
)

// Outcome is the verdict on one sample. Outcomes are ordered by severity:
// when several checks fail, the most severe outcome decides.
type Outcome int

const (
	// Accept means the sample meets every check of the profile: keep it.
	Accept Outcome = iota
	// Recapture means the sample falls short of a threshold: capture it again.
	Recapture
	// WarnOperator means the operator must look at the capture before going
	// on: for example a fingerprint score of 0, or a fingerprint image the
	// scorer could not score at all (a missing or mis-placed finger).
	WarnOperator
	// Reject means the input is unusable: it could not be read or decoded,
	// or it is not an image the gate can assess.
	Reject
)

var outcomeNames = [...]string{"accept", "recapture", "warn_operator", "reject"}

// String returns the outcome's stable lower-case name ("accept",
// "recapture", "warn_operator", "reject").
func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// ParseOutcome returns the outcome named s, as written by String.
func ParseOutcome(s string) (Outcome, error) {
	for i, n := range outcomeNames {
		if n == s {
			return Outcome(i), nil
		}
	}
	return 0, fmt.Errorf("quality: unknown outcome %q (want one of accept, recapture, warn_operator, reject)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) {
	if o < 0 || int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("quality: invalid outcome %d", int(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

var _ json.Marshaler = Measures(nil)
