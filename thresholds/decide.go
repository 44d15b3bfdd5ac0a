package thresholds

import (
	"fmt"
	"math"

	"github.com/biogate/biogate/quality"
)

// Reason codes that do not follow the "face.<measure>" pattern.
const (
	CodeFingerScore       = "finger.QualityScore"       // NFIQ 2 score below the threshold
	CodeFingerScoreZero   = "finger.QualityScore.zero"  // NFIQ 2 score of exactly 0
	CodeFingerUnscorable  = "finger.unscorable"         // NFIQ 2 could not score the image
	CodeFingerMinutiae    = "finger.MinutiaeCount"      // too few minutiae
	CodeFaceNone          = "face.FaceCount.none"       // no face found
	CodeFaceMany          = "face.FaceCount.many"       // more than one face
	CodeFaceUnassessable  = "face.unassessable"         // the face could not be assessed
	CodeUnreadable        = "input.unreadable"          // the file could not be read or decoded
	CodeTooSmall          = "input.too_small"           // the image is too small for the modality
	CodeWrongModality     = "input.wrong_modality"      // a record holds another modality than the one asked for
	minutiaeCountMeasure  = "FingerJetFX_MinutiaeCount" // NIST's name
	componentCodeTemplate = "face.%s"
)

// Decide applies the profile to the measures of one sample of modality m and
// returns the decision. A measure the profile needs but ms lacks is not
// checked, except the NFIQ 2 score (a missing score means the image could
// not be scored) and the face count.
func (p *Profile) Decide(m quality.Modality, ms quality.Measures) quality.Decision {
	if m != quality.Finger && m != quality.Face {
		return quality.Unusable(CodeUnreadable, fmt.Errorf("unknown modality %v", m))
	}
	d := quality.Decide(quality.Failed(p.Checks(m, ms))...)
	d.Skipped = p.Skipped(m, ms)
	return d
}

// Checks applies every rule of the profile that the measures allow to be
// evaluated and returns each one, passed or failed, in order: the detail
// behind Decide, for reports that show every check with its value and
// threshold.
func (p *Profile) Checks(m quality.Modality, ms quality.Measures) []quality.Check {
	var c checker
	switch m {
	case quality.Finger:
		p.fingerChecks(&c, ms)
	case quality.Face:
		p.faceChecks(&c, ms)
	}
	return c.checks
}

// checker collects checks; a failed check without an outcome calls for a
// recapture.
type checker struct{ checks []quality.Check }

func (c *checker) add(passed bool, r quality.Reason) {
	if passed {
		r.Instruction, r.Outcome = "", quality.Accept
	} else if r.Outcome == quality.Accept {
		r.Outcome = quality.Recapture
	}
	c.checks = append(c.checks, quality.Check{Reason: r, Passed: passed})
}

// DecideUnscorable returns the decision for a sample of modality m that the
// scorer could not assess, with cause saying why (for fingerprints: NFIQ 2
// could not score the image, which usually means a missing or mis-placed
// finger).
func (p *Profile) DecideUnscorable(m quality.Modality, cause error) quality.Decision {
	if m == quality.Finger {
		out := quality.Recapture
		if p.Finger.WarnWhenUnscorable {
			out = quality.WarnOperator
		}
		what := "NFIQ 2 could not score this image"
		if cause != nil {
			what = cause.Error()
		}
		return quality.Decide(quality.Reason{
			Code: CodeFingerUnscorable, Outcome: out, Measure: quality.QualityScore, Comparison: quality.Present,
			Instruction: what + ". Check that a finger is on the sensor, centred and pressed flat, then capture again.",
		})
	}
	what := "The face could not be assessed"
	if cause != nil {
		what += " (" + cause.Error() + ")"
	}
	return quality.Decide(quality.Reason{
		Code: CodeFaceUnassessable, Outcome: quality.Recapture, Comparison: quality.Present,
		Instruction: what + ": capture the portrait again.",
	})
}

func (p *Profile) fingerChecks(c *checker, ms quality.Measures) {
	f := p.Finger
	score, ok := ms.Value(quality.QualityScore)
	if !ok {
		c.add(false, p.DecideUnscorable(quality.Finger, nil).Reasons[0])
		return
	}
	if f.RecaptureBelow > 0 {
		c.add(score >= f.RecaptureBelow, quality.Reason{
			Code: CodeFingerScore, Outcome: quality.Recapture, Measure: quality.QualityScore,
			Value: score, Threshold: f.RecaptureBelow, Comparison: quality.AtLeast,
			Instruction: fmt.Sprintf("Capture the finger again: clean the sensor, press the finger flat and centred (NFIQ 2 score %g, at least %g needed).", score, f.RecaptureBelow),
		})
	}
	if f.WarnAtZero {
		c.add(score != 0, quality.Reason{
			Code: CodeFingerScoreZero, Outcome: quality.WarnOperator, Measure: quality.QualityScore,
			Value: score, Threshold: 0, Comparison: quality.NotEqual,
			Instruction: "Operator: NFIQ 2 score is 0, check that the right finger is present and placed on the sensor.",
		})
	}
	if f.MinMinutiae > 0 {
		if n, ok := ms.Value(minutiaeCountMeasure); ok {
			c.add(n >= float64(f.MinMinutiae), quality.Reason{
				Code: CodeFingerMinutiae, Outcome: quality.Recapture, Measure: minutiaeCountMeasure,
				Value: n, Threshold: float64(f.MinMinutiae), Comparison: quality.AtLeast,
				Instruction: fmt.Sprintf("Capture the finger again with more of its surface on the sensor (%g minutiae found, at least %d needed).", n, f.MinMinutiae),
			})
		}
	}
}

func (p *Profile) faceChecks(c *checker, ms quality.Measures) {
	f := p.Face
	if w, ok := ms.Value(quality.ImageWidth); ok && f.MinImageWidthPx > 0 {
		c.add(w >= float64(f.MinImageWidthPx), quality.Reason{Code: "face." + quality.ImageWidth, Measure: quality.ImageWidth, Value: w, Threshold: float64(f.MinImageWidthPx), Comparison: quality.AtLeast, Unit: "px",
			Instruction: fmt.Sprintf("Send a larger image: %g px wide, at least %d px needed.", w, f.MinImageWidthPx)})
	}
	if h, ok := ms.Value(quality.ImageHeight); ok && f.MinImageHeightPx > 0 {
		c.add(h >= float64(f.MinImageHeightPx), quality.Reason{Code: "face." + quality.ImageHeight, Measure: quality.ImageHeight, Value: h, Threshold: float64(f.MinImageHeightPx), Comparison: quality.AtLeast, Unit: "px",
			Instruction: fmt.Sprintf("Send a larger image: %g px high, at least %d px needed.", h, f.MinImageHeightPx)})
	}
	n, _ := ms.Value(quality.FaceCount)
	c.add(n > 0, quality.Reason{Code: CodeFaceNone, Measure: quality.FaceCount, Value: n, Threshold: 1, Comparison: quality.AtLeast,
		Instruction: "No face found: ask the person to face the camera with nothing covering the face, then capture again."})
	if n == 0 {
		return
	}
	if f.RequireSingleFace {
		c.add(n == 1, quality.Reason{Code: CodeFaceMany, Measure: quality.FaceCount, Value: n, Threshold: 1, Comparison: quality.Equal,
			Instruction: fmt.Sprintf("%g faces found: make sure only the person is in view, then capture again.", n)})
	}
	if ied, ok := ms.Value(quality.InterEyeDistance); ok && f.MinInterEyePx > 0 {
		c.add(ied >= f.MinInterEyePx, quality.Reason{Code: "face." + quality.InterEyeDistance, Measure: quality.InterEyeDistance, Value: round1(ied), Threshold: f.MinInterEyePx, Comparison: quality.AtLeast, Unit: "px",
			Instruction: fmt.Sprintf("Ask the person to move closer (or zoom in): inter-eye distance %g px, at least %g px needed.", round1(ied), f.MinInterEyePx)})
	}
	if v, ok := ms.Value(quality.HeadPoseRoll); ok && f.MaxRollDeg > 0 {
		c.add(math.Abs(v) <= f.MaxRollDeg, quality.Reason{Code: "face." + quality.HeadPoseRoll, Measure: quality.HeadPoseRoll, Value: round1(v), Threshold: f.MaxRollDeg, Comparison: quality.AbsAtMost, Unit: "deg",
			Instruction: fmt.Sprintf("Ask the person to hold the head straight, not tilted to one side: eye line tilted %.1f°, at most %g° allowed.", math.Abs(v), f.MaxRollDeg)})
	}
	if v, ok := ms.Value(quality.HeadPoseYaw); ok && f.MaxYawDeg > 0 {
		c.add(math.Abs(v) <= f.MaxYawDeg, quality.Reason{Code: "face." + quality.HeadPoseYaw, Measure: quality.HeadPoseYaw, Value: round1(v), Threshold: f.MaxYawDeg, Comparison: quality.AbsAtMost, Unit: "deg",
			Instruction: fmt.Sprintf("Ask the person to look straight at the camera: head turned %.1f°, at most %g° allowed.", math.Abs(v), f.MaxYawDeg)})
	}
	if v, ok := ms.Value(quality.HeadPosePitch); ok && f.MaxPitchDeg > 0 {
		dir := "lower the chin"
		if v < 0 {
			dir = "raise the chin"
		}
		c.add(math.Abs(v) <= f.MaxPitchDeg, quality.Reason{Code: "face." + quality.HeadPosePitch, Measure: quality.HeadPosePitch, Value: round1(v), Threshold: f.MaxPitchDeg, Comparison: quality.AbsAtMost, Unit: "deg",
			Instruction: fmt.Sprintf("Ask the person to %s and look straight at the camera: head tilted %.1f° up or down, at most %g° allowed.", dir, math.Abs(v), f.MaxPitchDeg)})
	}
	if v, ok := ms.Value(quality.HorizontalCentring); ok && f.MaxCentreOffset > 0 {
		c.add(math.Abs(v) <= f.MaxCentreOffset, quality.Reason{Code: "face." + quality.HorizontalCentring, Measure: quality.HorizontalCentring, Value: round3(v), Threshold: f.MaxCentreOffset, Comparison: quality.AbsAtMost,
			Instruction: fmt.Sprintf("Centre the face in the frame: it is off-centre by %.0f %% of the width, at most %.0f %% allowed.", math.Abs(v)*100, f.MaxCentreOffset*100)})
	}
	if v, ok := ms.Value(quality.ColourImage); ok && f.RequireColour {
		c.add(v != 0, quality.Reason{Code: "face." + quality.ColourImage, Measure: quality.ColourImage, Value: v, Threshold: 1, Comparison: quality.Equal,
			Instruction: "Send a colour image: this one is greyscale."})
	}
	for _, name := range quality.FaceMeasureNames {
		floor, ok := f.MinComponents[name]
		if !ok {
			continue
		}
		m, ok := ms.Get(name)
		if !ok || !m.HasComponent {
			continue
		}
		c.add(m.Component >= floor, quality.Reason{Code: fmt.Sprintf(componentCodeTemplate, name), Measure: name, Value: round1(m.Component), Threshold: floor,
			Comparison: quality.AtLeast, Component: true, Instruction: componentInstruction(name, m, floor)})
	}
}

func componentInstruction(name string, m quality.Measure, floor float64) string {
	what := fmt.Sprintf("(%s quality %.0f, at least %g needed)", name, m.Component, floor)
	switch name {
	case quality.UnderExposurePrevention, quality.LuminanceMean:
		return "The face is too dark: add light on the face or move away from the back light " + what + "."
	case quality.OverExposurePrevention:
		return "The face is over-exposed: reduce the light or the camera exposure " + what + "."
	case quality.DynamicRange, quality.LuminanceVariance:
		return "The face shows too little contrast: light the face evenly and check the camera exposure " + what + "."
	case quality.Sharpness:
		return "The image is blurred: ask the person to keep still and check the camera focus " + what + "."
	case quality.IlluminationUniformity:
		side := ""
		switch {
		case m.Value < 0:
			side = " (more light on the image-left side of the face)"
		case m.Value > 0:
			side = " (more light on the image-right side of the face)"
		}
		return "Light the face evenly from both sides" + side + " " + what + "."
	case quality.NaturalColour:
		return "The skin colour looks unnatural: check the white balance and the lighting " + what + "."
	case quality.BackgroundUniformity:
		return "Use a plain, uniform background behind the person " + what + "."
	case quality.CompressionArtifacts:
		return "The image is too strongly compressed: send it with less compression (higher JPEG quality) " + what + "."
	case quality.EyesOpen:
		return "Ask the person to open both eyes and look at the camera " + what + "."
	case quality.MouthClosed:
		return "Ask the person to close the mouth " + what + "."
	case quality.ExpressionNeutrality:
		return "Ask the person for a neutral expression: mouth closed, no smile, eyebrows relaxed " + what + "."
	case quality.EyesVisible:
		return "Ask the person to remove sunglasses or tinted glasses and to move hair away from the eyes " + what + "."
	case quality.MouthOcclusionPrevention:
		return "Ask the person to remove the mask or the hand from the mouth " + what + "."
	case quality.FaceOcclusionPrevention:
		return "Ask the person to remove the mask, the sunglasses or the hand from the face: nothing may cover it " + what + "."
	case quality.NoHeadCoverings:
		return "Ask the person to remove the hat or cap (head coverings only for religious or medical reasons, face fully visible) " + what + "."
	case quality.InterEyeDistance, quality.HeadSize:
		return "Ask the person to move closer to the camera " + what + "."
	}
	return "Capture the portrait again " + what + "."
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// Skipped lists the rules of the profile that apply to modality m but could
// not be checked on a sample with measures ms, because the measure they
// need is missing (or, for a component floor, has no component). Face
// rules are listed only when a face was found: with none, nothing about a
// face could be checked and the decision says so.
func (p *Profile) Skipped(m quality.Modality, ms quality.Measures) []quality.Skip {
	var out []quality.Skip
	need := func(enabled bool, code, name string) {
		if enabled {
			if _, ok := ms.Get(name); !ok {
				out = append(out, quality.Skip{Code: code, Measure: name, Why: whyNotMeasured(name)})
			}
		}
	}
	switch m {
	case quality.Finger:
		if _, ok := ms.Value(quality.QualityScore); ok {
			need(p.Finger.MinMinutiae > 0, CodeFingerMinutiae, minutiaeCountMeasure)
		}
	case quality.Face:
		f := p.Face
		if n, _ := ms.Value(quality.FaceCount); n == 0 {
			return nil
		}
		need(f.MinImageWidthPx > 0, "face."+quality.ImageWidth, quality.ImageWidth)
		need(f.MinImageHeightPx > 0, "face."+quality.ImageHeight, quality.ImageHeight)
		need(f.MinInterEyePx > 0, "face."+quality.InterEyeDistance, quality.InterEyeDistance)
		need(f.MaxRollDeg > 0, "face."+quality.HeadPoseRoll, quality.HeadPoseRoll)
		need(f.MaxYawDeg > 0, "face."+quality.HeadPoseYaw, quality.HeadPoseYaw)
		need(f.MaxPitchDeg > 0, "face."+quality.HeadPosePitch, quality.HeadPosePitch)
		need(f.MaxCentreOffset > 0, "face."+quality.HorizontalCentring, quality.HorizontalCentring)
		need(f.RequireColour, "face."+quality.ColourImage, quality.ColourImage)
		for _, name := range quality.FaceMeasureNames {
			if _, ok := f.MinComponents[name]; !ok {
				continue
			}
			if mm, ok := ms.Get(name); !ok || !mm.HasComponent {
				out = append(out, quality.Skip{Code: fmt.Sprintf(componentCodeTemplate, name), Measure: name, Why: whyNotMeasured(name)})
			}
		}
	}
	return out
}

// whyNotMeasured says why a measure may be missing from a sample's
// measures.
func whyNotMeasured(name string) string {
	switch name {
	case quality.HeadPoseYaw, quality.HeadPosePitch:
		return "needs facial landmarks, which preview mode does not locate and full mode could not locate on this face"
	case quality.BackgroundUniformity:
		return "not measured in preview mode, nor when too little background is in view"
	case quality.CompressionArtifacts:
		return "needs the JPEG file's own bytes (its quantisation tables): a decoded frame or a file in another format has none"
	case quality.NaturalColour:
		return "needs a colour image"
	case quality.EyesOpen, quality.MouthClosed, quality.ExpressionNeutrality,
		quality.EyesVisible, quality.MouthOcclusionPrevention, quality.FaceOcclusionPrevention, quality.NoHeadCoverings:
		return "needs the face mesh, which preview mode does not run and which leaves out faces too small, too turned or too unclear for it"
	case minutiaeCountMeasure:
		return "the minutiae were not counted on this image"
	}
	return "not measured on this sample"
}
