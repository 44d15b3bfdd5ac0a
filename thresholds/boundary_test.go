package thresholds

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/quality"
)

// TestThresholdBoundaries checks every threshold comparison of every
// profile key at the threshold, just inside and just outside it (on both
// sides for limits taken either way): a value at the limit passes, as
// each key's documentation says ("at least", "at most").
func TestThresholdBoundaries(t *testing.T) {
	prof := MustEmbedded(Default).Clone()
	prof.Finger = Finger{RecaptureBelow: 15, WarnAtZero: true, MinMinutiae: 12}
	prof.Face = Face{
		MinInterEyePx: 120, RequireSingleFace: true, MinImageWidthPx: 480, MinImageHeightPx: 600,
		MaxRollDeg: 8, MaxYawDeg: 15, MaxPitchDeg: 12, MaxCentreOffset: 0.05, RequireColour: true,
		MinComponents: map[string]float64{quality.Sharpness: 30},
	}
	const eps = 1e-9
	below := func(v float64) float64 { return math.Nextafter(v, math.Inf(-1)) }
	above := func(v float64) float64 { return math.Nextafter(v, math.Inf(1)) }
	face := func(extra ...quality.Measure) quality.Measures {
		var ms quality.Measures
		ms.Set(quality.Measure{Name: quality.FaceCount, Value: 1})
		for _, m := range extra {
			ms.Set(m)
		}
		return ms
	}
	finger := func(score float64, extra ...quality.Measure) quality.Measures {
		var ms quality.Measures
		ms.Set(quality.Measure{Name: quality.QualityScore, Value: score})
		for _, m := range extra {
			ms.Set(m)
		}
		return ms
	}
	m := func(name string, v float64) quality.Measure { return quality.Measure{Name: name, Value: v} }
	comp := func(name string, c float64) quality.Measure {
		return quality.Measure{Name: name, Value: 1, Component: c, HasComponent: true}
	}
	tests := []struct {
		key    string
		mod    quality.Modality
		ms     quality.Measures
		code   string
		passed bool
	}{
		{"finger.recapture_below at", quality.Finger, finger(15), CodeFingerScore, true},
		{"finger.recapture_below below", quality.Finger, finger(below(15)), CodeFingerScore, false},
		{"finger.recapture_below above", quality.Finger, finger(above(15)), CodeFingerScore, true},
		{"finger.warn_at_zero at 0", quality.Finger, finger(0), CodeFingerScoreZero, false},
		{"finger.warn_at_zero just above 0", quality.Finger, finger(eps), CodeFingerScoreZero, true},
		{"finger.min_minutiae at", quality.Finger, finger(50, m(minutiaeCountMeasure, 12)), CodeFingerMinutiae, true},
		{"finger.min_minutiae one below", quality.Finger, finger(50, m(minutiaeCountMeasure, 11)), CodeFingerMinutiae, false},
		{"finger.min_minutiae one above", quality.Finger, finger(50, m(minutiaeCountMeasure, 13)), CodeFingerMinutiae, true},
		{"face.min_inter_eye_px at", quality.Face, face(m(quality.InterEyeDistance, 120)), "face." + quality.InterEyeDistance, true},
		{"face.min_inter_eye_px below", quality.Face, face(m(quality.InterEyeDistance, below(120))), "face." + quality.InterEyeDistance, false},
		{"face.min_inter_eye_px above", quality.Face, face(m(quality.InterEyeDistance, above(120))), "face." + quality.InterEyeDistance, true},
		{"face.min_image_width_px at", quality.Face, face(m(quality.ImageWidth, 480)), "face." + quality.ImageWidth, true},
		{"face.min_image_width_px one below", quality.Face, face(m(quality.ImageWidth, 479)), "face." + quality.ImageWidth, false},
		{"face.min_image_width_px one above", quality.Face, face(m(quality.ImageWidth, 481)), "face." + quality.ImageWidth, true},
		{"face.min_image_height_px at", quality.Face, face(m(quality.ImageHeight, 600)), "face." + quality.ImageHeight, true},
		{"face.min_image_height_px one below", quality.Face, face(m(quality.ImageHeight, 599)), "face." + quality.ImageHeight, false},
		{"face.max_roll_deg at", quality.Face, face(m(quality.HeadPoseRoll, 8)), "face." + quality.HeadPoseRoll, true},
		{"face.max_roll_deg at, other way", quality.Face, face(m(quality.HeadPoseRoll, -8)), "face." + quality.HeadPoseRoll, true},
		{"face.max_roll_deg above", quality.Face, face(m(quality.HeadPoseRoll, above(8))), "face." + quality.HeadPoseRoll, false},
		{"face.max_roll_deg above, other way", quality.Face, face(m(quality.HeadPoseRoll, -above(8))), "face." + quality.HeadPoseRoll, false},
		{"face.max_roll_deg below", quality.Face, face(m(quality.HeadPoseRoll, below(8))), "face." + quality.HeadPoseRoll, true},
		{"face.max_yaw_deg at", quality.Face, face(m(quality.HeadPoseYaw, 15)), "face." + quality.HeadPoseYaw, true},
		{"face.max_yaw_deg at, other way", quality.Face, face(m(quality.HeadPoseYaw, -15)), "face." + quality.HeadPoseYaw, true},
		{"face.max_yaw_deg above", quality.Face, face(m(quality.HeadPoseYaw, above(15))), "face." + quality.HeadPoseYaw, false},
		{"face.max_yaw_deg above, other way", quality.Face, face(m(quality.HeadPoseYaw, -above(15))), "face." + quality.HeadPoseYaw, false},
		{"face.max_pitch_deg at", quality.Face, face(m(quality.HeadPosePitch, 12)), "face." + quality.HeadPosePitch, true},
		{"face.max_pitch_deg at, other way", quality.Face, face(m(quality.HeadPosePitch, -12)), "face." + quality.HeadPosePitch, true},
		{"face.max_pitch_deg above", quality.Face, face(m(quality.HeadPosePitch, above(12))), "face." + quality.HeadPosePitch, false},
		{"face.max_pitch_deg above, other way", quality.Face, face(m(quality.HeadPosePitch, -above(12))), "face." + quality.HeadPosePitch, false},
		{"face.max_centre_offset at", quality.Face, face(m(quality.HorizontalCentring, 0.05)), "face." + quality.HorizontalCentring, true},
		{"face.max_centre_offset at, other way", quality.Face, face(m(quality.HorizontalCentring, -0.05)), "face." + quality.HorizontalCentring, true},
		{"face.max_centre_offset above", quality.Face, face(m(quality.HorizontalCentring, above(0.05))), "face." + quality.HorizontalCentring, false},
		{"face.max_centre_offset above, other way", quality.Face, face(m(quality.HorizontalCentring, -above(0.05))), "face." + quality.HorizontalCentring, false},
		{"face.require_colour colour", quality.Face, face(m(quality.ColourImage, 1)), "face." + quality.ColourImage, true},
		{"face.require_colour greyscale", quality.Face, face(m(quality.ColourImage, 0)), "face." + quality.ColourImage, false},
		{"face.require_single_face one", quality.Face, face(), CodeFaceMany, true},
		{"face.require_single_face two", quality.Face, face(m(quality.FaceCount, 2)), CodeFaceMany, false},
		{"face count none", quality.Face, face(m(quality.FaceCount, 0)), CodeFaceNone, false},
		{"face.min_components at", quality.Face, face(comp(quality.Sharpness, 30)), "face." + quality.Sharpness, true},
		{"face.min_components below", quality.Face, face(comp(quality.Sharpness, below(30))), "face." + quality.Sharpness, false},
		{"face.min_components above", quality.Face, face(comp(quality.Sharpness, above(30))), "face." + quality.Sharpness, true},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			var got *quality.Check
			checks := prof.Checks(tc.mod, tc.ms)
			for i := range checks {
				if checks[i].Code == tc.code {
					require.Nil(t, got, "two checks with code %s", tc.code)
					got = &checks[i]
				}
			}
			require.NotNil(t, got, "no check with code %s among %d", tc.code, len(checks))
			assert.Equal(t, tc.passed, got.Passed)
			assert.Equal(t, tc.passed, !failed(prof.Decide(tc.mod, tc.ms), tc.code), "decision")
		})
	}
}

// failed reports whether decision d gives the reason code.
func failed(d quality.Decision, code string) bool {
	for _, r := range d.Reasons {
		if r.Code == code {
			return true
		}
	}
	return false
}

// TestSkipped checks that every enabled rule whose measure is missing is
// listed as skipped, with a reason, and that rules that ran or are
// disabled are not.
func TestSkipped(t *testing.T) {
	prof := MustEmbedded(Default).Clone()
	prof.Finger = Finger{RecaptureBelow: 15, MinMinutiae: 12}
	prof.Face = Face{
		MinInterEyePx: 120, MaxRollDeg: 8, MaxYawDeg: 15, MaxPitchDeg: 0,
		MinComponents: map[string]float64{quality.Sharpness: 30, quality.CompressionArtifacts: 20},
	}
	var preview quality.Measures // a preview frame from a camera: no landmarks, no JPEG bytes
	preview.Set(quality.Measure{Name: quality.FaceCount, Value: 1})
	preview.Set(quality.Measure{Name: quality.InterEyeDistance, Value: 130})
	preview.Set(quality.Measure{Name: quality.HeadPoseRoll, Value: 1})
	preview.Set(quality.Measure{Name: quality.Sharpness, Value: 5, Component: 80, HasComponent: true})
	var noFace quality.Measures
	noFace.Set(quality.Measure{Name: quality.FaceCount, Value: 0})
	var finger, fingerMinutiae quality.Measures
	finger.Set(quality.Measure{Name: quality.QualityScore, Value: 40})
	fingerMinutiae.Set(quality.Measure{Name: quality.QualityScore, Value: 40})
	fingerMinutiae.Set(quality.Measure{Name: minutiaeCountMeasure, Value: 30})
	tests := []struct {
		name string
		mod  quality.Modality
		ms   quality.Measures
		want []string
	}{
		{"preview frame", quality.Face, preview, []string{"face." + quality.HeadPoseYaw, "face." + quality.CompressionArtifacts}},
		{"no face: nothing to skip", quality.Face, noFace, nil},
		{"fingerprint without minutiae count", quality.Finger, finger, []string{CodeFingerMinutiae}},
		{"fingerprint with minutiae count", quality.Finger, fingerMinutiae, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := prof.Decide(tc.mod, tc.ms)
			var got []string
			for _, s := range d.Skipped {
				got = append(got, s.Code)
				assert.NotEmpty(t, s.Why, s.Code)
				assert.NotEmpty(t, s.Measure, s.Code)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
