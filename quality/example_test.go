package quality_test

import (
	"fmt"

	"github.com/biogate/biogate/quality"
)

func ExampleDecide() {
	d := quality.Decide(quality.Reason{
		Code:        "face.InterEyeDistance",
		Outcome:     quality.Recapture,
		Measure:     quality.InterEyeDistance,
		Value:       96,
		Threshold:   120,
		Comparison:  quality.AtLeast,
		Instruction: "Ask the person to move closer: inter-eye distance 96 px, at least 120 px needed.",
	})
	fmt.Println(d.Outcome)
	fmt.Println(d)
	// Output:
	// recapture
	// recapture: Ask the person to move closer: inter-eye distance 96 px, at least 120 px needed.
}

func ExampleSession() {
	s := quality.NewSession(3)
	scores := []float64{9, 31}
	for _, score := range scores {
		var d quality.Decision
		if score < 15 {
			d = quality.Decide(quality.Reason{Code: "finger.QualityScore", Outcome: quality.Recapture, Instruction: "Press the finger flat."})
		} else {
			d = quality.Decide()
		}
		adv, _ := s.Add(quality.Attempt{Decision: d, Score: score})
		fmt.Println(adv.Step, "-", adv.Instruction)
	}
	// Output:
	// continue - Capture again (2 of 3 attempts left). Press the finger flat.
	// done - Attempt 2 accepted: keep it and move on.
}
