package minutiae

import (
	"encoding/json"
	"math"
)

// Type is the kind of a minutia, with the values of ISO/IEC 19794-2.
type Type int

const (
	// Other is a minutia of unknown or other type (ISO code 0). Extract
	// never produces it; it exists for decoded records.
	Other Type = 0
	// Ending is a ridge ending (ISO code 1).
	Ending Type = 1
	// Bifurcation is a ridge bifurcation (ISO code 2).
	Bifurcation Type = 2
)

// String returns "ending", "bifurcation" or "other".
func (t Type) String() string {
	switch t {
	case Ending:
		return "ending"
	case Bifurcation:
		return "bifurcation"
	default:
		return "other"
	}
}

// MarshalText encodes the type as its String form.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText decodes "ending", "bifurcation" or "other".
func (t *Type) UnmarshalText(b []byte) error {
	switch string(b) {
	case "ending":
		*t = Ending
	case "bifurcation":
		*t = Bifurcation
	default:
		*t = Other
	}
	return nil
}

// Minutia is one ridge ending or bifurcation.
type Minutia struct {
	// X and Y are the position in pixels, ISO/IEC 19794-2 origin: the
	// top-left pixel of the image bounds, y growing downwards.
	X, Y int
	// Angle is the minutia direction in radians in [0, 2π), counter-clockwise
	// from the x axis as seen on screen (the 19794-2 sense). See the package
	// documentation for the direction convention.
	Angle float64
	// Type is Ending, Bifurcation or Other.
	Type Type
	// Quality is the extractor's confidence, 0 (worst) to 100 (best).
	Quality int
}

// AngleDegrees returns Angle in degrees in [0, 360).
func (m Minutia) AngleDegrees() float64 {
	d := m.Angle * 180 / math.Pi
	d = math.Mod(d, 360)
	if d < 0 {
		d += 360
	}
	if d == 0 {
		d = 0 // no negative zero
	}
	return d
}

// ISOAngle returns the angle in ISO/IEC 19794-2:2005 units of 360/256
// degrees (0–255), rounded to the nearest unit.
func (m Minutia) ISOAngle() uint8 { return RadiansToISO(m.Angle) }

// RadiansToISO converts a counter-clockwise angle in radians to ISO/IEC
// 19794-2:2005 angle units of 360/256 degrees, rounded and wrapped to 0–255.
func RadiansToISO(a float64) uint8 {
	u := math.Round(a / (2 * math.Pi) * 256)
	u = math.Mod(u, 256)
	if u < 0 {
		u += 256
	}
	return uint8(u)
}

// ISOToRadians converts an ISO/IEC 19794-2:2005 angle (units of 360/256
// degrees) to radians.
func ISOToRadians(u uint8) float64 { return float64(u) * 2 * math.Pi / 256 }

type minutiaJSON struct {
	X        int     `json:"x"`
	Y        int     `json:"y"`
	AngleDeg float64 `json:"angle_deg"`
	ISOAngle uint8   `json:"iso_angle"`
	Type     Type    `json:"type"`
	Quality  int     `json:"quality"`
}

// MarshalJSON encodes the minutia as
// {"x","y","angle_deg","iso_angle","type","quality"}, with the angle in
// degrees rounded to 0.01 and the type as "ending", "bifurcation" or "other".
func (m Minutia) MarshalJSON() ([]byte, error) {
	return json.Marshal(minutiaJSON{
		X: m.X, Y: m.Y,
		AngleDeg: math.Round(m.AngleDegrees()*100) / 100,
		ISOAngle: m.ISOAngle(),
		Type:     m.Type,
		Quality:  m.Quality,
	})
}

// UnmarshalJSON decodes the form written by MarshalJSON; angle_deg is used
// for Angle.
func (m *Minutia) UnmarshalJSON(b []byte) error {
	var j minutiaJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*m = Minutia{X: j.X, Y: j.Y, Angle: j.AngleDeg * math.Pi / 180, Type: j.Type, Quality: j.Quality}
	return nil
}
