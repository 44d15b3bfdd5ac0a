package thresholds

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/quality"
)

func fingerScore(s float64) quality.Measures {
	return quality.Measures{quality.Native(quality.QualityScore, s, "")}
}

func TestDecideFingerBoundaries(t *testing.T) {
	p := MustEmbedded("ees-usk")
	tests := []struct {
		score     float64
		want      quality.Outcome
		wantCodes []string
	}{
		{100, quality.Accept, nil},
		{16, quality.Accept, nil},
		{15, quality.Accept, nil},
		{14, quality.Recapture, []string{CodeFingerScore}},
		{14.99, quality.Recapture, []string{CodeFingerScore}},
		{1, quality.Recapture, []string{CodeFingerScore}},
		{0, quality.WarnOperator, []string{CodeFingerScore, CodeFingerScoreZero}},
	}
	for _, tt := range tests {
		d := p.Decide(quality.Finger, fingerScore(tt.score))
		assert.Equal(t, tt.want, d.Outcome, "score %v", tt.score)
		var codes []string
		for _, r := range d.Reasons {
			codes = append(codes, r.Code)
			assert.NotEmpty(t, r.Instruction)
		}
		assert.Equal(t, tt.wantCodes, codes, "score %v", tt.score)
	}
}

func TestDecideFingerReasonCarriesValueAndThreshold(t *testing.T) {
	d := MustEmbedded("ees-usk").Decide(quality.Finger, fingerScore(14))
	require.Len(t, d.Reasons, 1)
	r := d.Reasons[0]
	assert.Equal(t, 14.0, r.Value)
	assert.Equal(t, 15.0, r.Threshold)
	assert.Equal(t, quality.AtLeast, r.Comparison)
	assert.Contains(t, r.Instruction, "NFIQ 2 score 14, at least 15 needed")
}

func TestDecideFingerUnscorable(t *testing.T) {
	p := MustEmbedded("ees-usk")
	d := p.Decide(quality.Finger, nil)
	assert.Equal(t, quality.WarnOperator, d.Outcome)
	assert.True(t, d.Has(CodeFingerUnscorable))

	d = p.DecideUnscorable(quality.Finger, errors.New("foreground too small"))
	assert.Equal(t, quality.WarnOperator, d.Outcome)
	assert.Contains(t, d.Reasons[0].Instruction, "foreground too small")

	p.Finger.WarnWhenUnscorable = false
	assert.Equal(t, quality.Recapture, p.DecideUnscorable(quality.Finger, nil).Outcome)
	p.Finger.WarnAtZero = false
	assert.Equal(t, quality.Recapture, p.Decide(quality.Finger, fingerScore(0)).Outcome)
}

func face(ied float64, extra ...quality.Measure) quality.Measures {
	ms := quality.Measures{
		quality.Native(quality.FaceCount, 1, ""),
		quality.Native(quality.InterEyeDistance, ied, "px"),
	}
	return append(ms, extra...)
}

func TestDecideFaceInterEyeBoundary(t *testing.T) {
	p := MustEmbedded("ees-usk")
	tests := []struct {
		ied  float64
		want quality.Outcome
	}{
		{121, quality.Accept},
		{120, quality.Accept},
		{119.99, quality.Recapture},
		{119, quality.Recapture},
		{96, quality.Recapture},
	}
	for _, tt := range tests {
		d := p.Decide(quality.Face, face(tt.ied))
		assert.Equal(t, tt.want, d.Outcome, "ied %v", tt.ied)
		assert.Equal(t, tt.want != quality.Accept, d.Has("face.InterEyeDistance"), "ied %v", tt.ied)
	}
	d := p.Decide(quality.Face, face(96))
	assert.Equal(t, "Ask the person to move closer (or zoom in): inter-eye distance 96 px, at least 120 px needed.", d.Reasons[0].Instruction)
}

func TestDecideFaceChecks(t *testing.T) {
	icao := MustEmbedded("icao")
	tests := []struct {
		name string
		ms   quality.Measures
		code string
	}{
		{"no face", quality.Measures{quality.Native(quality.FaceCount, 0, "")}, CodeFaceNone},
		{"two faces", quality.Measures{quality.Native(quality.FaceCount, 2, ""), quality.Native(quality.InterEyeDistance, 150, "px")}, CodeFaceMany},
		{"roll", face(150, quality.Native(quality.HeadPoseRoll, -5.5, "deg")), "face.HeadPoseRoll"},
		{"yaw", face(150, quality.Native(quality.HeadPoseYaw, 16, "deg")), "face.HeadPoseYaw"},
		{"pitch", face(150, quality.Native(quality.HeadPosePitch, -13, "deg")), "face.HeadPosePitch"},
		{"centre", face(150, quality.Native(quality.HorizontalCentring, 0.2, "")), "face.HorizontalCentring"},
		{"grey", face(150, quality.Native(quality.ColourImage, 0, "")), "face.ColourImage"},
		{"small image", face(150, quality.Native(quality.ImageWidth, 300, "px")), "face.ImageWidth"},
		{"blur", face(150, quality.WithComponent(quality.Sharpness, 2, "", 10)), "face.Sharpness"},
		{"dark", face(150, quality.WithComponent(quality.UnderExposurePrevention, 0.6, "", 5)), "face.UnderExposurePrevention"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := icao.Decide(quality.Face, tt.ms)
			assert.Equal(t, quality.Recapture, d.Outcome)
			assert.True(t, d.Has(tt.code), "reasons %v", d.Reasons)
		})
	}
	// Within limits: accepted.
	ok := face(150,
		quality.Native(quality.HeadPoseRoll, 4.9, "deg"),
		quality.Native(quality.HorizontalCentring, 0.05, ""),
		quality.Native(quality.ColourImage, 1, ""),
		quality.WithComponent(quality.Sharpness, 5, "", 30))
	assert.Equal(t, quality.Accept, icao.Decide(quality.Face, ok).Outcome)
}

func TestDecideSeverityOrder(t *testing.T) {
	d := quality.Decide(
		quality.Reason{Code: "a", Outcome: quality.Recapture},
		quality.Reason{Code: "b", Outcome: quality.WarnOperator},
	)
	assert.Equal(t, quality.WarnOperator, d.Outcome)
	assert.Equal(t, quality.Accept, quality.Decide().Outcome)
}

func TestChecksListPassedAndFailed(t *testing.T) {
	p := MustEmbedded("ees-usk")
	ms := face(130,
		quality.Native(quality.HeadPoseRoll, 9, "deg"),
		quality.WithComponent(quality.Sharpness, 3, "", 80))
	checks := p.Checks(quality.Face, ms)
	byCode := map[string]quality.Check{}
	for _, c := range checks {
		byCode[c.Code] = c
	}
	require.Contains(t, byCode, "face.InterEyeDistance")
	ied := byCode["face.InterEyeDistance"]
	assert.True(t, ied.Passed)
	assert.Equal(t, 130.0, ied.Value)
	assert.Equal(t, 120.0, ied.Threshold)
	assert.Empty(t, ied.Instruction, "a passed check carries no instruction")
	assert.False(t, byCode["face.HeadPoseRoll"].Passed)
	assert.NotEmpty(t, byCode["face.HeadPoseRoll"].Instruction)
	assert.True(t, byCode["face.Sharpness"].Passed)
	assert.True(t, byCode[CodeFaceNone].Passed)
	d := p.Decide(quality.Face, ms)
	assert.Equal(t, quality.Failed(checks), d.Reasons)

	fc := p.Checks(quality.Finger, fingerScore(15))
	require.Len(t, fc, 2)
	assert.True(t, fc[0].Passed && fc[1].Passed)
}
