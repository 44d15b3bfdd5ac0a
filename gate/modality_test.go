package gate

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/quality"
)

// TestModality checks each branch of the modality rule at and beside its
// thresholds.
func TestModality(t *testing.T) {
	head := func(hs float64) quality.Measures {
		var m quality.Measures
		m.Set(quality.Measure{Name: quality.FaceCount, Value: 1})
		m.Set(quality.Measure{Name: quality.HeadSize, Value: hs})
		return m
	}
	photo := finger.TextureStats{RidgeShare: 0.09, Flow: 3, Textured: 0.6, Light: 0.1}
	with := func(f func(*finger.TextureStats)) finger.TextureStats { s := photo; f(&s); return s }
	tests := []struct {
		name  string
		tex   finger.TextureStats
		found bool
		m     quality.Measures
		want  quality.Modality
	}{
		{"photograph, face found", photo, true, head(0.6), quality.Face},
		{"photograph, no face found", photo, false, nil, quality.Face},
		{"long flow at the evident share: fingerprint even with a face", with(func(s *finger.TextureStats) { s.Flow, s.RidgeShare = 64, 0.2 }), true, head(0.6), quality.Finger},
		{"twice the flow at half the share", with(func(s *finger.TextureStats) { s.Flow, s.RidgeShare = 128, 0.1 }), true, head(0.6), quality.Finger},
		{"twice the flow, share just under half", with(func(s *finger.TextureStats) { s.Flow, s.RidgeShare = 128, 0.0999 }), true, head(0.6), quality.Face},
		{"high share on too short a flow", with(func(s *finger.TextureStats) { s.Flow, s.RidgeShare = 63, 0.9 }), true, head(0.6), quality.Face},
		{"flow one block short of evident", with(func(s *finger.TextureStats) { s.Flow, s.RidgeShare = 63, 0.2 }), true, head(0.6), quality.Face},
		{"share just under evident", with(func(s *finger.TextureStats) { s.Flow, s.RidgeShare = 64, 0.199 }), true, head(0.6), quality.Face},
		{"small face on ridges", with(func(s *finger.TextureStats) { s.RidgeShare = 0.1 }), true, head(0.29), quality.Finger},
		{"small face, ridge share just under", with(func(s *finger.TextureStats) { s.RidgeShare = 0.099 }), true, head(0.29), quality.Face},
		{"head at the small-head limit", with(func(s *finger.TextureStats) { s.RidgeShare = 0.15 }), true, head(0.3), quality.Face},
		{"face found without a head size", with(func(s *finger.TextureStats) { s.RidgeShare = 0.15 }), true, nil, quality.Face},
		{"no face, light background", with(func(s *finger.TextureStats) { s.Light = 0.4 }), false, nil, quality.Finger},
		{"no face, background just under light", with(func(s *finger.TextureStats) { s.Light = 0.399 }), false, nil, quality.Face},
		{"no face, texture over the frame", with(func(s *finger.TextureStats) { s.Textured = 0.9 }), false, nil, quality.Finger},
		{"no face, texture just under the frame", with(func(s *finger.TextureStats) { s.Textured = 0.899 }), false, nil, quality.Face},
		{"no face, almost no texture", with(func(s *finger.TextureStats) { s.Textured = 0.149 }), false, nil, quality.Finger},
		{"no face, texture at the floor", with(func(s *finger.TextureStats) { s.Textured = 0.15 }), false, nil, quality.Face},
		{"no face, half-length flow over a quarter", with(func(s *finger.TextureStats) { s.Flow, s.RidgeShare = 32, 0.25 }), false, nil, quality.Finger},
		{"no face, half-length flow, share under a quarter", with(func(s *finger.TextureStats) { s.Flow, s.RidgeShare = 32, 0.249 }), false, nil, quality.Face},
		{"no face, flow one block short", with(func(s *finger.TextureStats) { s.Flow, s.RidgeShare = 31, 0.3 }), false, nil, quality.Face},
		{"a face found decides before the capture look", with(func(s *finger.TextureStats) { s.Light = 0.9 }), true, head(0.6), quality.Face},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Modality(tc.tex, tc.found, tc.m))
		})
	}
}
