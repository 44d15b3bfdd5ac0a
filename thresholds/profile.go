package thresholds

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/biogate/biogate/quality"
)

// Schema is the profile file format version this package reads.
const Schema = 1

// Profile is a set of thresholds for face and fingerprint samples.
type Profile struct {
	// Schema is the file format version; it must be 1.
	Schema int `yaml:"schema" json:"schema"`
	// Name identifies the profile in reports, for example "ees-usk".
	Name string `yaml:"name" json:"name"`
	// Version is the profile's own version, recorded in every report so that
	// QA can tell which thresholds produced a decision.
	Version string `yaml:"version" json:"version"`
	// Extends names an embedded profile (or a file) this one starts from;
	// keys given in the file override the base. It is resolved on load and
	// recorded for information only.
	Extends string `yaml:"extends,omitempty" json:"extends,omitempty"`
	// Description says what the profile is for.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// MaxAttempts is how many attempts a capture session allows per subject
	// position before keeping the best one (1-20).
	MaxAttempts int `yaml:"max_attempts" json:"max_attempts"`
	// Finger holds the fingerprint thresholds.
	Finger Finger `yaml:"finger" json:"finger"`
	// Face holds the face thresholds.
	Face Face `yaml:"face" json:"face"`
}

// Finger holds the fingerprint thresholds, on the NFIQ 2 scale (0-100).
type Finger struct {
	// RecaptureBelow: a score below this calls for a recapture (0-100;
	// 0 disables the check). EES/USK: 15.
	RecaptureBelow float64 `yaml:"recapture_below" json:"recapture_below"`
	// WarnAtZero: a score of exactly 0 calls for the operator.
	WarnAtZero bool `yaml:"warn_at_zero" json:"warn_at_zero"`
	// WarnWhenUnscorable: an image NFIQ 2 cannot score (no finger, a
	// mis-placed finger, too small a foreground) calls for the operator;
	// otherwise it calls for a recapture.
	WarnWhenUnscorable bool `yaml:"warn_when_unscorable" json:"warn_when_unscorable"`
	// MinMinutiae: fewer minutiae than this calls for a recapture (0
	// disables the check).
	MinMinutiae int `yaml:"min_minutiae" json:"min_minutiae"`
}

// Face holds the face thresholds. A zero limit disables its check.
type Face struct {
	// MinInterEyePx is the smallest inter-eye distance, in pixels. EES: 120.
	MinInterEyePx float64 `yaml:"min_inter_eye_px" json:"min_inter_eye_px"`
	// RequireSingleFace: the image must show exactly one face.
	RequireSingleFace bool `yaml:"require_single_face" json:"require_single_face"`
	// MinImageWidthPx and MinImageHeightPx are the smallest image size.
	MinImageWidthPx  int `yaml:"min_image_width_px" json:"min_image_width_px"`
	MinImageHeightPx int `yaml:"min_image_height_px" json:"min_image_height_px"`
	// MaxRollDeg, MaxYawDeg and MaxPitchDeg bound the head pose, in
	// degrees either way.
	MaxRollDeg  float64 `yaml:"max_roll_deg" json:"max_roll_deg"`
	MaxYawDeg   float64 `yaml:"max_yaw_deg" json:"max_yaw_deg"`
	MaxPitchDeg float64 `yaml:"max_pitch_deg" json:"max_pitch_deg"`
	// MaxCentreOffset bounds the horizontal offset of the eye midpoint
	// from the image centre, as a fraction of the image width (0-0.5).
	MaxCentreOffset float64 `yaml:"max_centre_offset" json:"max_centre_offset"`
	// RequireColour: the image must be in colour, not greyscale.
	RequireColour bool `yaml:"require_colour" json:"require_colour"`
	// MinComponents sets a floor on the 0-100 quality component of named
	// face measures (ISO/IEC 29794-5 style), for example
	// {"Sharpness": 30}. Keys must be face measure names from package
	// quality.
	MinComponents map[string]float64 `yaml:"min_components" json:"min_components"`
}

// ValidationError is a problem with a profile, naming the offending key.
type ValidationError struct {
	// Source names the file or embedded profile, "" if none.
	Source string
	// Key is the dotted key, for example "face.max_roll_deg".
	Key string
	// Line is the line in the source, 0 when unknown.
	Line int
	// Problem says what is wrong.
	Problem string
}

// Error implements the error interface.
func (e *ValidationError) Error() string {
	s := "profile"
	if e.Source != "" {
		s += " " + e.Source
	}
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: key %q: %s", s, e.Key, e.Problem)
	}
	return s + ": " + e.Problem
}

// Validate checks every value's range and returns the first problem found
// as a *ValidationError.
func (p *Profile) Validate() error {
	bad := func(key, format string, args ...any) error {
		return &ValidationError{Source: p.Name, Key: key, Problem: fmt.Sprintf(format, args...)}
	}
	inRange := func(key string, v, lo, hi float64) error {
		if math.IsNaN(v) || v < lo || v > hi {
			return bad(key, "%v is out of range %v to %v", v, lo, hi)
		}
		return nil
	}
	if p.Schema != Schema {
		return bad("schema", "%d is not a supported schema (want %d)", p.Schema, Schema)
	}
	if p.Name == "" {
		return bad("name", "must not be empty")
	}
	if p.Version == "" {
		return bad("version", "must not be empty")
	}
	if p.MaxAttempts < 1 || p.MaxAttempts > 20 {
		return bad("max_attempts", "%d is out of range 1 to 20", p.MaxAttempts)
	}
	checks := []struct {
		key       string
		v, lo, hi float64
	}{
		{"finger.recapture_below", p.Finger.RecaptureBelow, 0, 100},
		{"finger.min_minutiae", float64(p.Finger.MinMinutiae), 0, 500},
		{"face.min_inter_eye_px", p.Face.MinInterEyePx, 0, 10000},
		{"face.min_image_width_px", float64(p.Face.MinImageWidthPx), 0, 100000},
		{"face.min_image_height_px", float64(p.Face.MinImageHeightPx), 0, 100000},
		{"face.max_roll_deg", p.Face.MaxRollDeg, 0, 180},
		{"face.max_yaw_deg", p.Face.MaxYawDeg, 0, 180},
		{"face.max_pitch_deg", p.Face.MaxPitchDeg, 0, 180},
		{"face.max_centre_offset", p.Face.MaxCentreOffset, 0, 0.5},
	}
	for _, c := range checks {
		if err := inRange(c.key, c.v, c.lo, c.hi); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(p.Face.MinComponents) {
		key := "face.min_components." + name
		if !slices.Contains(quality.FaceMeasureNames, name) {
			if hint := suggest(name, quality.FaceMeasureNames); hint != "" {
				return bad(key, "unknown face measure%s", hint)
			}
			return bad(key, "unknown face measure (known: %s)", strings.Join(quality.FaceMeasureNames, ", "))
		}
		if err := inRange(key, p.Face.MinComponents[name], 0, 100); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Clone returns a deep copy of p.
func (p *Profile) Clone() *Profile {
	q := *p
	if p.Face.MinComponents != nil {
		q.Face.MinComponents = make(map[string]float64, len(p.Face.MinComponents))
		for k, v := range p.Face.MinComponents {
			q.Face.MinComponents[k] = v
		}
	}
	return &q
}

// Ref is the short identification of a profile recorded in reports.
type Ref struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Overrides lists the key=value overrides applied on top, in order.
	Overrides []string `json:"overrides,omitempty"`
}

// Ref returns the profile's name and version.
func (p *Profile) Ref() Ref { return Ref{Name: p.Name, Version: p.Version} }
