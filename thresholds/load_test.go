package thresholds

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEmbeddedProfilesValid(t *testing.T) {
	require.Equal(t, []string{"ees-usk", "icao"}, Names())
	for _, n := range Names() {
		p, err := Embedded(n)
		require.NoError(t, err, n)
		assert.Equal(t, n, p.Name)
		assert.NotEmpty(t, p.Version)
	}
	p := MustEmbedded("ees-usk")
	assert.Equal(t, 15.0, p.Finger.RecaptureBelow)
	assert.True(t, p.Finger.WarnAtZero)
	assert.True(t, p.Finger.WarnWhenUnscorable)
	assert.Equal(t, 120.0, p.Face.MinInterEyePx)
	icao := MustEmbedded("icao")
	assert.Less(t, icao.Face.MaxRollDeg, p.Face.MaxRollDeg, "icao must be stricter on roll")
}

func TestLoadErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name, src string
		want      string
	}{
		{"unknown key", "schema: 1\nname: x\nversion: '1'\nmax_attempts: 3\nface:\n  min_iner_eye_px: 100\n",
			`profile t.yaml:6: key "face.min_iner_eye_px": unknown key (did you mean "min_inter_eye_px"?)`},
		{"unknown top key", "schema: 1\nname: x\nversion: '1'\nmax_attempts: 3\nfingers: {}\n",
			`profile t.yaml:5: key "fingers": unknown key (did you mean "finger"?)`},
		{"wrong type", "schema: 1\nname: x\nversion: '1'\nmax_attempts: 3\nfinger:\n  recapture_below: fifteen\n",
			`profile t.yaml:6: key "finger.recapture_below": wrong type: want a number, got "fifteen"`},
		{"wrong bool", "schema: 1\nname: x\nversion: '1'\nmax_attempts: 3\nfinger:\n  warn_at_zero: 7\n",
			`profile t.yaml:6: key "finger.warn_at_zero": wrong type: want true or false, got "7"`},
		{"out of range", "schema: 1\nname: x\nversion: '1'\nmax_attempts: 3\nfinger:\n  recapture_below: 140\n",
			`profile t.yaml:6: key "finger.recapture_below": 140 is out of range 0 to 100`},
		{"bad component", "schema: 1\nname: x\nversion: '1'\nmax_attempts: 3\nface:\n  min_components: {Sharpnes: 3}\n",
			`profile t.yaml:6: key "face.min_components.Sharpnes": unknown face measure (did you mean "Sharpness"?)`},
		{"bad component case", "schema: 1\nname: x\nversion: '1'\nmax_attempts: 3\nface:\n  min_components:\n    Sharpness: 30\n    interEyeDistance: 50\n",
			`profile t.yaml:8: key "face.min_components.interEyeDistance": unknown face measure (did you mean "InterEyeDistance"?)`},
		{"bad component far", "schema: 1\nname: x\nversion: '1'\nmax_attempts: 3\nface:\n  min_components: {Blurriness: 3}\n",
			`key "face.min_components.Blurriness": unknown face measure (known: `},
		{"schema", "schema: 2\nname: x\nversion: '1'\nmax_attempts: 3\n", `key "schema": 2 is not a supported schema`},
		{"empty", "", "profile t.yaml: file is empty"},
		{"syntax", "schema: [1\n", "not valid YAML or JSON"},
		{"not mapping", "- 1\n", "a profile must be a mapping"},
		{"duplicate", "schema: 1\nschema: 1\n", ""},
		{"bad extends", "schema: 1\nextends: nope\n", `key "extends": thresholds: unknown profile "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(strings.NewReader(tt.src), "t.yaml")
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "\n", "error must be one line")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestNumericVersion checks that a profile's version may be written as a
// YAML or JSON number ("version: 2" was refused: want a string), and reads
// as the number's text; other string fields take numbers the same way,
// while true, false and null stay refused.
func TestNumericVersion(t *testing.T) {
	tests := []struct {
		name, src, want, err string
	}{
		{"yaml int", "schema: 1\nname: x\nversion: 2\nmax_attempts: 3\n", "2", ""},
		{"yaml float", "schema: 1\nname: x\nversion: 1.10\nmax_attempts: 3\n", "1.10", ""},
		{"yaml string", "schema: 1\nname: x\nversion: '2.0.1'\nmax_attempts: 3\n", "2.0.1", ""},
		{"json number", `{"schema": 1, "name": "x", "version": 3, "max_attempts": 3}`, "3", ""},
		{"numeric name", "schema: 1\nname: 2026\nversion: 1\nmax_attempts: 3\n", "1", ""},
		{"bool", "schema: 1\nname: x\nversion: true\nmax_attempts: 3\n", "", `key "version": wrong type: want a string, got "true"`},
		{"null", "schema: 1\nname: x\nversion: null\nmax_attempts: 3\n", "", `key "version": wrong type: want a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Load(strings.NewReader(tt.src), "t.yaml")
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, p.Version)
		})
	}
}

func TestLoadJSONAndExtends(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "mine.json")
	require.NoError(t, os.WriteFile(f, []byte(`{"extends": "ees-usk", "name": "mine", "version": "2", "finger": {"recapture_below": 20}}`), 0o600))
	p, err := Resolve(f)
	require.NoError(t, err)
	assert.Equal(t, "mine", p.Name)
	assert.Equal(t, 20.0, p.Finger.RecaptureBelow)
	assert.True(t, p.Finger.WarnAtZero, "inherited from ees-usk")
	assert.Equal(t, 120.0, p.Face.MinInterEyePx, "inherited from ees-usk")
	assert.Equal(t, 30.0, p.Face.MinComponents["CompressionArtifacts"], "maps merge with the base")
}

func TestSet(t *testing.T) {
	p := MustEmbedded("ees-usk")
	require.NoError(t, p.Set("face.min_inter_eye_px", "90"))
	assert.Equal(t, 90.0, p.Face.MinInterEyePx)
	require.NoError(t, p.Set("face.min_components.Sharpness", "40"))
	assert.Equal(t, 40.0, p.Face.MinComponents["Sharpness"])
	assert.Equal(t, 30.0, MustEmbedded("ees-usk").Face.MinComponents["CompressionArtifacts"])

	err := p.Set("face.min_iner_eye_px", "90")
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "face.min_iner_eye_px", ve.Key)
	assert.ErrorContains(t, p.Set("face.min_components.Sharpnes", "40"), `unknown face measure (did you mean "Sharpness"?)`)
	assert.Error(t, p.Set("finger.recapture_below", "101"))
	assert.Equal(t, 15.0, p.Finger.RecaptureBelow, "a failed Set leaves the profile unchanged")
	assert.Error(t, p.Set("max_attempts", "x"))
}

func TestMarshalRoundTrip(t *testing.T) {
	for _, n := range Names() {
		p := MustEmbedded(n)
		b, err := p.Marshal()
		require.NoError(t, err)
		q, err := Load(strings.NewReader(string(b)), n)
		require.NoError(t, err)
		assert.Equal(t, p, q)
	}
}

func TestResolveUnknown(t *testing.T) {
	_, err := Resolve("no-such-profile")
	assert.ErrorIs(t, err, ErrUnknownProfile)
}

func TestExtendsFileRelativeToProfile(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "profiles")
	require.NoError(t, os.MkdirAll(sub, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(sub, "base.yaml"),
		[]byte("extends: icao\nname: base\nversion: '1'\nface:\n  max_roll_deg: 3\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(sub, "site.yaml"),
		[]byte("extends: base.yaml\nname: site\nversion: '2'\nfinger:\n  recapture_below: 25\n"), 0o600))
	p, err := LoadFile(filepath.Join(sub, "site.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "site", p.Name)
	assert.Equal(t, 25.0, p.Finger.RecaptureBelow)
	assert.Equal(t, 3.0, p.Face.MaxRollDeg, "from base.yaml, found beside site.yaml")
	assert.True(t, p.Face.RequireColour, "from icao, two levels up")
}
