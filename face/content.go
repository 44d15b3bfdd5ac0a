package face

import (
	"image"
	"math"

	"github.com/biogate/biogate/face/internal/pico"
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
// 13-14, 311-402), divided by T. One correction, from the image: on a
// mouth opened wide the mesh often keeps its lower inner lip high, inside
// the dark cavity, and what it takes for the lower lip is the cavity (3 of
// the 18 open mouths of the content photographs, inner-lip distance 0.036-
// 0.083 T, like closed lips). So, per pair, the luma is read along the line
// from the lower inner lip to the lower outer lip (mesh 178-181, 14-17,
// 402-405); where all of it is darker than mouthCavityDark times the upper
// lip's mean luma (read between the inner and the outer upper lip, 81-39,
// 13-0, 311-269), what the mesh took for the lower lip is the cavity, and
// the pair's distance is taken to the lower outer lip instead. A closed
// mouth's lower lip is about as bright as its upper lip or brighter (light
// from above); only the seam and the shadow under it are dark, over part
// of the line at most.
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

// mouthColumns are, per inner-lip pair of meshInnerLips, the outer upper
// lip point above it, the pair, and the outer lower lip point below it.
var mouthColumns = [3][4]int{{39, 81, 178, 181}, {0, 13, 14, 17}, {269, 311, 402, 405}}

// mouthSteps is the number of luma samples along each lower lip line.
const mouthSteps = 16

// mouthCavityDark is the fraction of the upper lip's mean luma below which
// the lower lip line counts as mouth cavity: the all-data fit of
// TestCorpusContentChecks among 0 (no correction), 0.3, 0.4, 0.5, 0.6 and
// 0.7, the best training balanced accuracy at its fitted floor, ties to
// the smaller (fitted there inside every fold with the floor; every fold
// chose 0.3). A ratio of lumas, so exposure barely moves it: the
// underexposed variants of the compliant portraits do not fire.
const mouthCavityDark = 0.3

// mouthScan is what MouthClosed reads from the image, per mouthColumns
// column.
type mouthScan struct {
	gap    [3]float64             // inner-lip distance, pixels
	upper  [3]float64             // mean luma of the upper lip (middle 60 % of its line)
	lower  [3][mouthSteps]float64 // luma from the lower inner lip to the lower outer lip
	length [3]float64             // length of that line, pixels
}

// scanMouth reads mouthScan for mesh m from the luma g, whose top-left
// corner is at off in image coordinates.
func scanMouth(g *pico.Gray, m *Mesh, off image.Point) mouthScan {
	var s mouthScan
	at := func(p, q quality.Point, t float64) float64 {
		return bilinear(g, p.X+float64(t*(q.X-p.X))-float64(off.X), p.Y+float64(t*(q.Y-p.Y))-float64(off.Y))
	}
	for c, col := range mouthColumns {
		uo, ui, li, lo := m.Points[col[0]], m.Points[col[1]], m.Points[col[2]], m.Points[col[3]]
		s.gap[c] = dist(ui, li)
		s.length[c] = dist(li, lo)
		for i := 0; i < mouthSteps; i++ {
			s.upper[c] += at(uo, ui, 0.2+0.6*(float64(i)+0.5)/mouthSteps) / mouthSteps
			s.lower[c][i] = at(li, lo, (float64(i)+0.5)/mouthSteps)
		}
	}
	return s
}

// opening returns the largest inner-lip distance in pixels, with the
// lower inner lip of each pair moved down to the lower outer lip where the
// whole line between them is darker than dark times the upper lip's mean
// luma.
func (s *mouthScan) opening(dark float64) float64 {
	var o float64
	for c := range s.gap {
		g := s.gap[c]
		cavity := true
		for _, v := range s.lower[c] {
			cavity = cavity && v < dark*s.upper[c]
		}
		if cavity {
			g += s.length[c]
		}
		o = math.Max(o, g)
	}
	return o
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
// ExpressionNeutrality measures of mesh m, reading the mouth from the luma
// g whose top-left corner is at off in image coordinates.
func contentMeasures(m *Mesh, g *pico.Gray, off image.Point) quality.Measures {
	t := m.contentT()
	if t <= 0 {
		return nil
	}
	eo := m.eyeOpenings()
	ms := scanMouth(g, m, off)
	return quality.Measures{
		with(quality.EyesOpen, math.Min(eo[0], eo[1])/t, ""),
		with(quality.MouthClosed, ms.opening(mouthCavityDark)/t, ""),
		with(quality.ExpressionNeutrality, shippedExpression.neutrality(m.expressionFeatures()), ""),
	}
}
