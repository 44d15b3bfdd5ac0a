package face

import (
	"image"
	"math"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/internal/fpmath"
	"github.com/biogate/biogate/quality"
)

// Occlusion measures (ISO/IEC 29794-5 / OFIQ names), from zones of the
// face mesh compared with the same face's own skin. The cues were chosen
// by measurement on the labelled content photographs and the clean
// portraits (TestCorpusOcclusionChecks); each works on luminance alone, as
// many photographs are greyscale.
//
//   - EyesVisible is the visible share of the eye zones: 1 minus the mean,
//     over the two eyes, of the share of the zone that is dark (below half
//     the skin's luma) and smooth (gradient below smoothGrad of the skin's
//     luma). The zone is OFIQ's: the box of the eye's mesh lid points grown
//     by D/20 (D the distance between the eye-contour means). A lens is a
//     dark, even surface (occluded share 0.44-1.0 on the sunglasses
//     photographs); an eye's dark parts, lashes, iris and pupil, are small
//     and edged (at most 0.34 on the clean portraits). Darkness alone did
//     worse: 0.95 of a clean portrait's eye zones are below half its skin
//     luma.
//   - MouthOcclusionPrevention is the contrast of the lip line: the mean,
//     over the mesh's outer-lip polygon, of |∂v| − |∂u| (the luma change
//     across the mouth minus along it) over the skin's luma. The line
//     between the lips and the lips' edges make it positive on every
//     clean portrait (0.021-0.153); a mask or a hand over the mouth, which
//     the mesh still draws lips under, leaves a surface without it
//     (-0.02-0.05).
//   - FaceOcclusionPrevention is the lesser of the EyesVisible and
//     MouthOcclusionPrevention components over 100: the face is free when
//     both its eye and its mouth zones are.
//   - NoHeadCoverings is the horizontal-edge dominance of the upper
//     forehead: |∂v| − |∂u| over the skin's luma, on the face outline
//     above the middle between the brows and the outline's top (point 10).
//     A cap's brim or a hat's band draws a horizontal edge there; bare
//     foreheads and bald heads do not (clean portraits -0.014-0.009).
//
// The skin's luma is the median over patches of D/8 around the middle of
// the cheeks (mesh 205, 425, 50, 280) or of the forehead (151, 108, 337):
// the eyes are compared with the mean of both, the mouth with the
// forehead (a mask covers the cheeks), the upper forehead with the cheeks
// (a cap's shadow darkens the forehead).

// Occlusion zones from the face mesh, sampled in the frame of the eye line
// (u along the line between the eye-contour means, v perpendicular and
// down, both in units of their distance D, origin at their midpoint) at
// occRes samples per D.
const occRes = 24

// Frame rows and columns, in units of D: wide enough for the face oval
// and, above it, the head-covering band.
const (
	occU0, occU1 = -1.7, 1.7
	occV0, occV1 = -2.7, 2.3
	occW         = 82  // (occU1-occU0)·occRes
	occH         = 120 // (occV1-occV0)·occRes
)

// Mesh point lists (MediaPipe's numbering).
var (
	// meshFaceOval is the face outline, clockwise from the top (10).
	meshFaceOval = []int{10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109}
	// meshOuterLips is the outer lip contour.
	meshOuterLips = []int{61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146}
	// meshCheeks and meshForehead are the skin reference points: the
	// middle of each cheek, and the forehead above the brows.
	meshCheeks   = []int{205, 425, 50, 280}
	meshForehead = []int{151, 108, 337}
)

// occPixel is one frame sample: its luma (BT.601 of the mean colour of
// its taps), 8-bit scale.
type occPixel struct{ l float64 }

// occFrame is the face resampled into the eye-line frame.
type occFrame struct {
	fr   frame // occRes samples per D
	pix  []occPixel
	have []bool
	pts  [][2]float64 // mesh points in frame samples (u, v from the top-left)
}

// newOccFrame builds the frame of mesh m over image img (luma g).
func newOccFrame(img image.Image, g *pico.Gray, m *Mesh) (*occFrame, bool) {
	c := m.contourMeans()
	d := dist(c[0], c[1])
	if !(d >= 1) {
		return nil, false
	}
	b := img.Bounds().Min
	ex, ey := (c[1].X-c[0].X)/d, (c[1].Y-c[0].Y)/d
	cx, cy := (c[0].X+c[1].X)/2-float64(b.X), (c[0].Y+c[1].Y)/2-float64(b.Y)
	o := &occFrame{
		fr:   frame{cx: cx, cy: cy, ex: ex, ey: ey, scale: d / occRes},
		pix:  make([]occPixel, occW*occH),
		have: make([]bool, occW*occH),
		pts:  make([][2]float64, len(m.Points)),
	}
	for i, p := range m.Points {
		x, y := p.X-float64(b.X)-cx, p.Y-float64(b.Y)-cy
		u := (float64(x*ex) + float64(y*ey)) / o.fr.scale
		v := (float64(y*ex) - float64(x*ey)) / o.fr.scale
		o.pts[i] = [2]float64{u - occU0*occRes, v - occV0*occRes}
	}
	return o, true
}

// sampleAt fills sample (i, j) if it is not yet sampled; it returns false
// outside the image.
func (o *occFrame) sampleAt(img image.Image, g *pico.Gray, i, j int) bool {
	k := j*occW + i
	if o.have[k] {
		return true
	}
	u := float64(i) + 0.5 + occU0*occRes
	v := float64(j) + 0.5 + occV0*occRes
	if !o.fr.inside(u, v, g.W, g.H) {
		return false
	}
	n := min(max(int(math.Ceil(o.fr.scale)), 1), 3)
	var sr, sg, sb float64
	for b := 0; b < n; b++ {
		for a := 0; a < n; a++ {
			x, y := o.fr.at(u+(float64(a)+0.5)/float64(n)-0.5, v+(float64(b)+0.5)/float64(n)-0.5)
			r, gg, bb := rgbAt(img, int(x), int(y))
			sr += float64(r)
			sg += float64(gg)
			sb += float64(bb)
		}
	}
	nn := float64(n * n)
	sr, sg, sb = sr/nn, sg/nn, sb/nn
	l := float64(0.299*sr) + float64(0.587*sg) + float64(0.114*sb)
	o.pix[k] = occPixel{l: l}
	o.have[k] = true
	return true
}

// zone is a set of frame samples.
type zone []int32

// polygonZone returns the samples inside the polygon through the frame
// points poly (even-odd rule), sampled.
func (o *occFrame) polygonZone(img image.Image, g *pico.Gray, poly [][2]float64) zone {
	return o.polygonZoneAbove(img, g, poly, math.Inf(1))
}

// polygonZoneAbove is polygonZone restricted to the samples whose centre
// lies above the frame row vmax.
func (o *occFrame) polygonZoneAbove(img image.Image, g *pico.Gray, poly [][2]float64, vmax float64) zone {
	u0, v0, u1, v1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range poly {
		u0, u1 = math.Min(u0, p[0]), math.Max(u1, p[0])
		v0, v1 = math.Min(v0, p[1]), math.Max(v1, p[1])
	}
	i0, i1 := max(int(math.Floor(u0)), 0), min(int(math.Ceil(u1)), occW-1)
	j0, j1 := max(int(math.Floor(v0)), 0), min(int(math.Ceil(math.Min(v1, vmax))), occH-1)
	var z zone
	for j := j0; j <= j1; j++ {
		y := float64(j) + 0.5
		if y >= vmax {
			break
		}
		for i := i0; i <= i1; i++ {
			x := float64(i) + 0.5
			in := false
			for a, b := 0, len(poly)-1; a < len(poly); b, a = a, a+1 {
				pa, pb := poly[a], poly[b]
				if (pa[1] > y) != (pb[1] > y) && x < pa[0]+float64((y-pa[1])/(pb[1]-pa[1])*(pb[0]-pa[0])) {
					in = !in
				}
			}
			if in && o.sampleAt(img, g, i, j) {
				z = append(z, int32(j*occW+i))
			}
		}
	}
	return z
}

// boxZone returns the samples of the rectangle [u0, u1] × [v0, v1] (frame
// samples), sampled.
func (o *occFrame) boxZone(img image.Image, g *pico.Gray, u0, v0, u1, v1 float64) zone {
	return o.polygonZone(img, g, [][2]float64{{u0, v0}, {u1, v0}, {u1, v1}, {u0, v1}})
}

// points returns the frame points of mesh indices ix.
func (o *occFrame) points(ix []int) [][2]float64 {
	out := make([][2]float64, len(ix))
	for k, i := range ix {
		out[k] = o.pts[i]
	}
	return out
}

// skinRef is a skin estimate: the median luma of the reference patches.
type skinRef struct{ l float64 }

// skinOf returns the skin estimate from the patches of radius occRes/8
// around the mesh points ix.
func (o *occFrame) skinOf(img image.Image, g *pico.Gray, ix []int) (skinRef, bool) {
	var ls []float64
	const r = occRes / 8
	for _, i := range ix {
		p := o.pts[i]
		for _, k := range o.boxZone(img, g, p[0]-r, p[1]-r, p[0]+r, p[1]+r) {
			ls = append(ls, o.pix[k].l)
		}
	}
	if len(ls) == 0 {
		return skinRef{}, false
	}
	return skinRef{l: median(ls)}, true
}

// smoothGrad is the largest gradient magnitude, per frame sample and
// relative to the skin's luma, of a smooth sample (EyesVisible).
const smoothGrad = 0.06

// zoneStats are the statistics of one zone against a skin estimate.
type zoneStats struct {
	n          int
	darkSmooth float64 // share dark (below half the skin luma) and smooth (see smoothGrad)
	hEdge      float64 // mean |vertical derivative| − |horizontal derivative| over the skin luma
}

// stats measures zone z against skin s; samples whose four neighbours
// are not all inside the image count as not smooth and add no edge.
func (o *occFrame) stats(img image.Image, g *pico.Gray, z zone, s skinRef) zoneStats {
	st := zoneStats{n: len(z)}
	if len(z) == 0 || s.l <= 0 {
		return st
	}
	ng := 0
	for _, k := range z {
		p := o.pix[k]
		i, j := int(k)%occW, int(k)/occW
		if i > 0 && i < occW-1 && j > 0 && j < occH-1 && o.sampleAt(img, g, i-1, j) && o.sampleAt(img, g, i+1, j) && o.sampleAt(img, g, i, j-1) && o.sampleAt(img, g, i, j+1) {
			dx := o.pix[k+1].l - o.pix[k-1].l
			dy := o.pix[k+occW].l - o.pix[k-occW].l
			if p.l < s.l/2 && fpmath.Hypot(dx, dy)/2 < smoothGrad*s.l {
				st.darkSmooth++
			}
			st.hEdge += (math.Abs(dy) - math.Abs(dx)) / 2
			ng++
		}
	}
	st.darkSmooth /= float64(len(z))
	if ng > 0 {
		st.hEdge /= float64(ng) * s.l
	}
	return st
}

// occFeatures are the raw occlusion cues of one face.
type occFeatures struct {
	ok             bool
	eye            [2]zoneStats // image-left, image-right
	mouth, foreTop zoneStats
}

// occlusionFeatures computes the occlusion cues of mesh m on img.
func occlusionFeatures(img image.Image, g *pico.Gray, m *Mesh) occFeatures {
	var f occFeatures
	o, ok := newOccFrame(img, g, m)
	if !ok {
		return f
	}
	cheek, ok1 := o.skinOf(img, g, meshCheeks)
	fh, ok2 := o.skinOf(img, g, meshForehead)
	if !ok1 || !ok2 {
		return f
	}
	ref := skinRef{l: (cheek.l + fh.l) / 2}
	grow := float64(occRes) / 20
	for e := range meshLidPoints {
		u0, v0, u1, v1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, i := range meshLidPoints[e] {
			p := o.pts[i]
			u0, u1 = math.Min(u0, p[0]), math.Max(u1, p[0])
			v0, v1 = math.Min(v0, p[1]), math.Max(v1, p[1])
		}
		f.eye[e] = o.stats(img, g, o.boxZone(img, g, u0-grow, v0-grow, u1+grow, v1+grow), ref)
	}
	f.mouth = o.stats(img, g, o.polygonZone(img, g, o.points(meshOuterLips)), fh)
	brow := (o.pts[105][1] + o.pts[334][1]) / 2
	f.foreTop = o.stats(img, g, o.polygonZoneAbove(img, g, o.points(meshFaceOval), (brow+o.pts[10][1])/2), cheek)
	f.ok = true
	return f
}

// native returns the four native values: EyesVisible,
// MouthOcclusionPrevention, NoHeadCoverings (FaceOcclusionPrevention is
// derived from the first two's components).
func (f *occFeatures) native() (eyes, mouth, head float64) {
	return 1 - (f.eye[0].darkSmooth+f.eye[1].darkSmooth)/2, f.mouth.hEdge, f.foreTop.hEdge
}

// occlusionMeasures returns the EyesVisible, MouthOcclusionPrevention,
// FaceOcclusionPrevention and NoHeadCoverings measures of mesh m on img
// (luma g, relative to the image's top-left corner).
func occlusionMeasures(img image.Image, g *pico.Gray, m *Mesh) quality.Measures {
	f := occlusionFeatures(img, g, m)
	if !f.ok {
		return nil
	}
	eyes, mouth, head := f.native()
	ev := with(quality.EyesVisible, eyes, "")
	mo := with(quality.MouthOcclusionPrevention, mouth, "")
	return quality.Measures{ev, mo,
		with(quality.FaceOcclusionPrevention, math.Min(ev.Component, mo.Component)/100, ""),
		with(quality.NoHeadCoverings, head, "")}
}
