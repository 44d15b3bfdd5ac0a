package face

import (
	"math"

	"github.com/biogate/biogate/internal/fpmath"
)

// Shape is the form of a [Mapping] from a native value to a 0-100 component.
type Shape int

// Mapping shapes. L(t) = 1/(1+exp(-t)) is the logistic function.
const (
	// Rising: 100·L((x-X0)/W); larger native values are better.
	Rising Shape = iota
	// Falling: 100·(1-L((x-X0)/W)); smaller native values are better.
	Falling
	// Centred: 200·(1-L(|x-X0|/W)); 100 at X0, 50 at |x-X0| = W·ln 3
	// (the form of OFIQ's head-size and natural-colour mappings).
	Centred
	// Linear: clamp(100·(x-X0)/W, 0, 100).
	Linear
)

var shapeNames = [...]string{"rising", "falling", "centred", "linear"}

// String returns the shape's name.
func (s Shape) String() string {
	if s >= 0 && int(s) < len(shapeNames) {
		return shapeNames[s]
	}
	return "Shape(?)"
}

// Mapping maps a native value to a 0-100 quality component with a
// sigmoid in the style of ISO/IEC 29794-5 and OFIQ.
type Mapping struct {
	Shape Shape
	X0, W float64
}

// Component returns the 0-100 component of native value x (0 for NaN).
func (m Mapping) Component(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	l := func(t float64) float64 { return 1 / (1 + fpmath.Exp(-t)) }
	var c float64
	switch m.Shape {
	case Rising:
		c = 100 * l((x-m.X0)/m.W)
	case Falling:
		c = 100 * (1 - l((x-m.X0)/m.W))
	case Centred:
		c = 200 * (1 - l(math.Abs(x-m.X0)/m.W))
	case Linear:
		c = 100 * (x - m.X0) / m.W
	}
	return math.Max(0, math.Min(100, c))
}

// half50 returns W such that a Centred mapping gives 50 at distance d.
func half50(d float64) float64 { return d / fpmath.Log(3) }

// Mappings returns (a copy of) the component mapping of every measure that
// has one, by measure name. Where OFIQ defines a mapping for a measure of
// the same definition, its parameters are used; the others were set so
// that the component is 50 at the ICAO / ISO/IEC 19794-5 tolerance or
// from the corpus (see the comments in the source).
func Mappings() map[string]Mapping {
	out := make(map[string]Mapping, len(mappings))
	for k, v := range mappings {
		out[k] = v
	}
	return out
}

var mappings = map[string]Mapping{
	// OFIQ: h=100, x0=70, w=20.
	"InterEyeDistance": {Rising, 70, 20},
	// 50 at ±8° (ICAO roll tolerance), ±10° yaw / pitch.
	"HeadPoseRoll":  {Centred, 0, half50(8)},
	"HeadPoseYaw":   {Centred, 0, half50(10)},
	"HeadPosePitch": {Centred, 0, half50(10)},
	// chin-to-crown height 70-80 % of the image height: 100 at 0.75, 50 at 0.60 / 0.90.
	"HeadSize": {Centred, 0.75, half50(0.15)},
	// eye midpoint within ±5 % of the width of the centre gives > 50.
	"HorizontalCentring": {Centred, 0, half50(0.05)},
	// OFIQ crop and margin mappings (h=100, w=0.1).
	"LeftwardCropOfTheFaceImage":  {Rising, 0.9, 0.1},
	"RightwardCropOfTheFaceImage": {Rising, 0.9, 0.1},
	"MarginAboveOfTheFaceImage":   {Rising, 1.4, 0.1},
	"MarginBelowOfTheFaceImage":   {Rising, 1.8, 0.1},
	// mean face luminance (0-1): 100 at 0.5, 50 at 0.2 and 0.8.
	"LuminanceMean": {Centred, 0.5, half50(0.3)},
	// variance of face luminance (0-1 scale): 50 at 0.004 (s.d. 0.063).
	"LuminanceVariance": {Rising, 0.004, 0.0012},
	// share of dark / saturated face pixels.
	"UnderExposurePrevention": {Falling, 0.3, 0.06},
	"OverExposurePrevention":  {Falling, 0.1, 0.025},
	// OFIQ: entropy of the luminance histogram in bits × 12.5.
	"DynamicRange": {Linear, 0, 8},
	// s.d. of the Laplacian over s.d. of the luminance on the normalised
	// face (IED 64 px); clean portraits 0.4-1.4, Gaussian blur 0.05-0.07:
	// 50 at 0.2.
	"Sharpness": {Rising, sharpX0, sharpW},
	// signed left-right luminance imbalance: 50 at ±0.15.
	"IlluminationUniformity": {Centred, 0, half50(0.15)},
	// OFIQ: h=200, a=1, s=-1, x0=0, w=10 on the CIELAB distance.
	"NaturalColour": {Centred, 0, 10},
	// mean background gradient magnitude (grey levels per IED/16); plain
	// studio backgrounds 2-17 on the corpus: 50 at 20.
	"BackgroundUniformity": {Centred, 0, bgW},
	// estimated IJG JPEG quality: 50 at 25.
	"CompressionArtifacts": {Rising, 25, 6},
	// OFIQ: eyelid opening of the less open eye over T, 100·σ((x−0.02)/0.01).
	"EyesOpen": {Rising, 0.02, 0.01},
	// OFIQ: inner-lip opening over T, 100·(1−σ((x−0.2)/0.06)).
	"MouthClosed": {Falling, 0.2, 0.06},
	// probability of a neutral expression (0-1) × 100.
	"ExpressionNeutrality": {Linear, 0, 1},
	// visible share of the eye zones (0-1): 50 at 0.6 (clean portraits
	// 0.66-1, sunglasses 0-0.56; face/occlusion.go).
	"EyesVisible": {Rising, 0.6, 0.05},
	// lip-line contrast: 50 at 0.02, the weakest clean portrait's
	// (face/occlusion.go).
	"MouthOcclusionPrevention": {Rising, 0.02, 0.01},
	// the lesser of the eye and mouth components (0-1) × 100.
	"FaceOcclusionPrevention": {Linear, 0, 1},
	// horizontal-edge dominance of the upper forehead: 50 at 0.01, just
	// above the clean portraits' largest (face/occlusion.go).
	"NoHeadCoverings": {Falling, 0.01, 0.005},
}

// Calibrated mapping parameters (see the corpus tests).
const (
	sharpX0 = 0.2
	sharpW  = 0.05
	bgW     = 18
)
