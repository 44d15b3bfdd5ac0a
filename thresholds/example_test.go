package thresholds_test

import (
	"fmt"
	"strings"

	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

func ExampleProfile_Decide() {
	p := thresholds.MustEmbedded("ees-usk")
	ms := quality.Measures{
		quality.Native(quality.FaceCount, 1, ""),
		quality.Native(quality.InterEyeDistance, 96, "px"),
	}
	d := p.Decide(quality.Face, ms)
	fmt.Println(d.Outcome)
	for _, r := range d.Reasons {
		fmt.Println(r.Code, r.Value, r.Comparison, r.Threshold)
		fmt.Println(r.Instruction)
	}
	// Output:
	// recapture
	// face.InterEyeDistance 96 >= 120
	// Ask the person to move closer (or zoom in): inter-eye distance 96 px, at least 120 px needed.
}

func ExampleProfile_Checks() {
	p := thresholds.MustEmbedded("ees-usk")
	for _, c := range p.Checks(quality.Finger, quality.Measures{quality.Native(quality.QualityScore, 0, "")}) {
		fmt.Println(c.Code, c.Passed, c.Outcome)
	}
	// Output:
	// finger.QualityScore false recapture
	// finger.QualityScore.zero false warn_operator
}

func ExampleProfile_Set() {
	p := thresholds.MustEmbedded("ees-usk")
	if err := p.Set("finger.recapture_below", "20"); err != nil {
		fmt.Println(err)
	}
	fmt.Println(p.Finger.RecaptureBelow)
	fmt.Println(p.Set("face.min_iner_eye_px", "90"))
	// Output:
	// 20
	// profile override: key "face.min_iner_eye_px": unknown key (did you mean "min_inter_eye_px"?)
}

func ExampleLoad() {
	src := `
schema: 1
name: station-7
version: 2026.11.1
extends: ees-usk
finger:
  recapture_below: 20
`
	p, err := thresholds.Load(strings.NewReader(src), "station-7.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Name, p.Version, p.Finger.RecaptureBelow, p.Face.MinInterEyePx)
	// Output:
	// station-7 2026.11.1 20 120
}
