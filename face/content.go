package face

import (
	"math"

	"github.com/biogate/biogate/quality"
)

// Face-content measures from the face mesh (ISO/IEC 29794-5 / OFIQ names).
//
// T, OFIQ's normaliser, is the distance from the midpoint of the four eye
// corners (mesh points 33, 133, 362, 263) to the chin (point 152).
//
// EyesOpen follows OFIQ: for each eye the largest distance between the
// upper and the lower eyelid over three pairs, divided by T; the less open
// eye's value is reported. OFIQ takes the pairs from ADNet's 98 points
// (WFLW layout: upper lid 61-63, lower lid 65-67, paired 61-67, 62-66,
// 63-65, at about a quarter, half and three quarters of the eye's width).
// Here the lids are Mesh.Eyelids (the mesh's eyelid topology: 7 upper-lid
// points between the corners; the Iris model's for the eye the mesh finds
// the less open), paired at the same places: mesh 160-144, 159-145, 158-153 (image-left eye; 387-373,
// 386-374, 385-380 on the other), Eyelids indices 11-3, 12-4, 13-5. The
// mesh's own eyelid points barely close with the eyes (closed eyes 0.043-
// 0.067 against open 0.054-0.108 on the content photographs), the Iris
// model's do (0.014-0.044 against 0.049-0.112).
//
// MouthClosed follows OFIQ: the largest distance between the upper and the
// lower inner lip over three pairs (ADNet 89-95, 90-94, 91-93; mesh 81-178,
// 13-14, 311-402), divided by T.
//
// ExpressionNeutrality is the probability that the expression is neutral
// (see neutrality).

// Mesh point indices (MediaPipe's numbering).
var (
	meshEyeCorners = [4]int{33, 133, 362, 263}
	meshChin       = 152
	meshInnerLips  = [3][2]int{{81, 178}, {13, 14}, {311, 402}}
)

// contentT returns OFIQ's T for the mesh points.
func (m *Mesh) contentT() float64 {
	var c quality.Point
	for _, i := range meshEyeCorners {
		c.X += m.Points[i].X / 4
		c.Y += m.Points[i].Y / 4
	}
	return dist(c, m.Points[meshChin])
}

// irisLids are the eyelid pairs in Mesh.Eyelids (see EyesOpen above).
var irisLids = [3][2]int{{11, 3}, {12, 4}, {13, 5}}

// lidOpening returns the largest distance, in pixels, between the upper
// and the lower lid of one eye's Eyelids over the irisLids pairs.
func lidOpening(lids *[16]quality.Point) float64 {
	var o float64
	for _, p := range irisLids {
		o = math.Max(o, dist(lids[p[0]], lids[p[1]]))
	}
	return o
}

// eyeOpenings returns each eye's largest eyelid distance in pixels
// (image-left eye first), from Mesh.Eyelids.
func (m *Mesh) eyeOpenings() [2]float64 {
	return [2]float64{lidOpening(&m.Eyelids[0]), lidOpening(&m.Eyelids[1])}
}

// mouthOpening returns the largest inner-lip distance in pixels.
func (m *Mesh) mouthOpening() float64 {
	var o float64
	for _, p := range meshInnerLips {
		o = math.Max(o, dist(m.Points[p[0]], m.Points[p[1]]))
	}
	return o
}

// contentMeasures returns the EyesOpen, MouthClosed and
// ExpressionNeutrality measures of mesh m.
func contentMeasures(m *Mesh) quality.Measures {
	t := m.contentT()
	if t <= 0 {
		return nil
	}
	eo := m.eyeOpenings()
	return quality.Measures{
		with(quality.EyesOpen, math.Min(eo[0], eo[1])/t, ""),
		with(quality.MouthClosed, m.mouthOpening()/t, ""),
		with(quality.ExpressionNeutrality, shippedExpression.neutrality(m.expressionFeatures()), ""),
	}
}
