package face

import (
	"encoding/json"
	"fmt"
	"github.com/biogate/biogate/internal/fpmath"
	"image"
	"math"
	"sync"

	"github.com/biogate/biogate/face/internal/facemesh"
	"github.com/biogate/biogate/quality"
)

// Mesh is MediaPipe Face Mesh's result for one face, in image
// coordinates.
type Mesh struct {
	// Points are the 468 Face Mesh landmarks (MediaPipe's numbering) in
	// image pixels, x right and y down, origin at the top-left corner of
	// the image.
	Points [facemesh.MeshPoints]quality.Point
	// Score is the mesh's face-presence probability (0-1) on its final
	// crop.
	Score float64
	// Eyelids are the eyelid contours, per eye (image-left first), in
	// image pixels: 9 points on the lower lid from the outer corner to the
	// inner one, then 7 on the upper lid from the outer end (the topology
	// of the mesh's RightEyeLower0 and RightEyeUpper0). The eye the mesh
	// finds the less open has the Iris model's lids, which follow a
	// closing eye much more closely than the mesh's; the other eye has the
	// mesh's own. They give EyesOpen.
	Eyelids [2][16]quality.Point
	// irisEye is the eye (0 image-left, 1 image-right) whose Eyelids come
	// from the Iris model.
	irisEye int
	// depth is each point's z in image pixels (negative towards the
	// camera), as the mesh gives it; not in reports.
	depth [facemesh.MeshPoints]float64
}

// meshJSON is Mesh in reports: points as [x, y] pairs rounded to 0.01 px.
type meshJSON struct {
	Score   float64         `json:"score"`
	Points  [][2]float64    `json:"points"`
	Eyelids [2][][2]float64 `json:"eyelids"`
}

// MarshalJSON writes the points as [x, y] pairs rounded to 0.01 px.
func (m *Mesh) MarshalJSON() ([]byte, error) {
	mj := meshJSON{Score: math.Round(m.Score*1e4) / 1e4, Points: make([][2]float64, len(m.Points))}
	r := func(p quality.Point) [2]float64 {
		return [2]float64{math.Round(p.X*100) / 100, math.Round(p.Y*100) / 100}
	}
	for i, p := range m.Points {
		mj.Points[i] = r(p)
	}
	for e := range m.Eyelids {
		for _, p := range m.Eyelids[e] {
			mj.Eyelids[e] = append(mj.Eyelids[e], r(p))
		}
	}
	return json.Marshal(mj)
}

// UnmarshalJSON reads the form written by MarshalJSON.
func (m *Mesh) UnmarshalJSON(b []byte) error {
	var mj meshJSON
	if err := json.Unmarshal(b, &mj); err != nil {
		return err
	}
	if len(mj.Points) != len(m.Points) || len(mj.Eyelids[0]) != 16 || len(mj.Eyelids[1]) != 16 {
		return fmt.Errorf("face: mesh has %d points and %d, %d eyelid points, want %d and 16", len(mj.Points), len(mj.Eyelids[0]), len(mj.Eyelids[1]), len(m.Points))
	}
	m.Score = mj.Score
	for i, p := range mj.Points {
		m.Points[i] = quality.Point{X: p[0], Y: p[1]}
	}
	for e := range mj.Eyelids {
		for i, p := range mj.Eyelids[e] {
			m.Eyelids[e][i] = quality.Point{X: p[0], Y: p[1]}
		}
	}
	return nil
}

// Limits of the mesh pipeline. A face outside them is "not assessed" for
// the measures that need the mesh (Face.MeshNotAssessed says why); no
// value is guessed.
const (
	// MinMeshIED is the smallest inter-eye distance, in image pixels, at
	// which the mesh runs: below it the 192-pixel crop would enlarge the
	// face more than 3 times and the eyelids span a pixel or two.
	MinMeshIED = 20
	// minMeshScore is the lowest face-presence score accepted on the
	// final crop.
	minMeshScore = 0.5
	// maxMeshYaw is the largest head turn, in degrees, accepted (Mesh.yaw,
	// from the mesh's depth): beyond it the far eye's lids are
	// foreshortened by more than 30 % (cos 45°) and the eyelid and lip
	// measures, taken in the image plane, no longer compare with a
	// frontal face's.
	maxMeshYaw = 45.0
)

// Crop of the mesh's first pass, from the eye centres: a square of side
// meshCropIED·IED, centred meshCropDrop·IED below the eye midpoint
// (perpendicular to the eye line), turned with the eye line so that the
// face is upright. The second pass crops, as MediaPipe does from a
// previous frame's landmarks, the mesh points' bounding box in the frame of
// the eye corners (points 33 and 263), enlarged meshCropScale times.
const (
	meshCropIED   = 3.6
	meshCropDrop  = 0.35
	meshCropScale = 1.5
)

var meshBufs = sync.Pool{New: func() any {
	b := make([]float32, facemesh.MeshInputSize*facemesh.MeshInputSize*3)
	return &b
}}

// meshRun crops img around centre (cx, cy) with side side, turned by
// angle (radians, the crop's x axis along (cos, sin) in the image), runs
// the mesh and returns its points in image coordinates.
func (a *Assessor) meshRun(img image.Image, cx, cy, side, angle float64) (m *Mesh, err error) {
	bp := meshBufs.Get().(*[]float32)
	defer meshBufs.Put(bp)
	mesh, _, err := meshModels()
	if err != nil {
		return nil, err
	}
	toImage := facemesh.CropInput(img, cx, cy, side, angle, facemesh.MeshInputSize, *bp)
	res, err := mesh.Run(*bp)
	if err != nil {
		return nil, err
	}
	m = &Mesh{Score: float64(res.Score)}
	zs := side / facemesh.MeshInputSize
	for i, p := range res.Points {
		x, y := toImage(float64(p[0]), float64(p[1]))
		m.Points[i] = quality.Point{X: x, Y: y}
		m.depth[i] = float64(p[2]) * zs
	}
	return m, nil
}

// meshFace runs the mesh on the face whose eye centres are re (image-left)
// and le (image-right), in two passes (see meshCropIED). It returns nil and
// the reason when the face is not assessed.
func (a *Assessor) meshFace(img image.Image, re, le quality.Point) (*Mesh, string, error) {
	return a.meshFacePasses(img, re, le, meshPasses, meshCropIED)
}

// meshPasses is the number of mesh passes meshFace runs (1 or 2).
const meshPasses = 1

// meshFacePasses is meshFace with the number of passes given.
func (a *Assessor) meshFacePasses(img image.Image, re, le quality.Point, passes int, cropIED float64) (*Mesh, string, error) {
	ied := dist(re, le)
	if ied < MinMeshIED {
		return nil, fmt.Sprintf("face too small for the mesh (inter-eye distance %.0f px, at least %d px needed)", ied, MinMeshIED), nil
	}
	ex, ey := (le.X-re.X)/ied, (le.Y-re.Y)/ied
	cx := (re.X+le.X)/2 - float64(float64(ey*meshCropDrop)*ied)
	cy := (re.Y+le.Y)/2 + float64(float64(ex*meshCropDrop)*ied)
	m, err := a.meshRun(img, cx, cy, cropIED*ied, fpmath.Atan2(ey, ex))
	if err != nil {
		return nil, "", err
	}
	if m.Score < minMeshScore {
		return nil, fmt.Sprintf("the face mesh finds no face (score %.2f)", m.Score), nil
	}
	if passes > 1 {
		cx, cy, side, angle := meshROI(&m.Points)
		if m, err = a.meshRun(img, cx, cy, side, angle); err != nil {
			return nil, "", err
		}
		if m.Score < minMeshScore {
			return nil, fmt.Sprintf("the face mesh finds no face (score %.2f)", m.Score), nil
		}
	}
	if y := m.yaw(); math.Abs(y) > maxMeshYaw {
		return nil, fmt.Sprintf("head turned too far for the mesh (about %.0f°, at most %g°)", math.Abs(y), maxMeshYaw), nil
	}
	if err := a.setEyelids(img, m); err != nil {
		return nil, "", err
	}
	return m, "", nil
}

// meshROI returns the second pass's crop from the first pass's points:
// their bounding box in the frame of the line from point 33 to point 263
// (the outer eye corners), enlarged meshCropScale times, as a square.
func meshROI(pts *[facemesh.MeshPoints]quality.Point) (cx, cy, side, angle float64) {
	p, q := pts[33], pts[263]
	angle = fpmath.Atan2(q.Y-p.Y, q.X-p.X)
	c, s := fpmath.Cos(angle), fpmath.Sin(angle)
	u0, u1, v0, v1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, pt := range pts {
		u := float64(c*pt.X) + float64(s*pt.Y)
		v := float64(c*pt.Y) - float64(s*pt.X)
		u0, u1 = math.Min(u0, u), math.Max(u1, u)
		v0, v1 = math.Min(v0, v), math.Max(v1, v)
	}
	cu, cv := (u0+u1)/2, (v0+v1)/2
	return float64(c*cu) - float64(s*cv), float64(s*cu) + float64(c*cv), meshCropScale * math.Max(u1-u0, v1-v0), angle
}

// yaw is the head's turn in degrees from the mesh's own depth: the angle
// of the line between the outline's widest points (234, image-left; 454,
// image-right) out of the image plane; positive when the image-right side
// is further from the camera.
func (m *Mesh) yaw() float64 {
	l, r := m.Points[234], m.Points[454]
	return fpmath.Atan2(m.depth[454]-m.depth[234], dist(l, r)) * 180 / math.Pi
}

// Eye centres from the mesh: the mean of each eye's six contour points
// (meshEyeContour, dlib's six), moved Inward·d towards the other eye and
// Drop·d down, perpendicular to the line between the means (d their
// distance), then blended with the weight ChainWeight with the eye centres
// the crop started from (the pupil and eye-corner chain). Where the chain's
// inter-eye distance is shorter than the mesh's alone (its means moved
// AloneInward·d and AloneDrop·d, the offsets fitted without the chain) by
// more than the fraction ChainShort, the chain is taken to have failed and
// the mesh's alone are the eye centres. The gate is one-sided: the chain's
// known failure is a pupil that lands on the inner half of an eye under
// dark lids or glasses (TestCorpusEyeCrossValidation), which shortens its
// inter-eye distance.
type meshEyeParams struct {
	Inward, Drop, ChainWeight float64
	AloneInward, AloneDrop    float64
	ChainShort                float64
}

// shippedMeshEyes are the all-portrait fit of fitMeshGate (see
// TestCorpusEyeCrossValidation).
var shippedMeshEyes = meshEyeParams{Inward: 0.006, Drop: 0.017, ChainWeight: 0.623, AloneInward: 0.006, AloneDrop: 0.017, ChainShort: 0.06}

// centres returns the eye centres of mesh m (image-left eye first), given
// the chain's re, le.
func (p meshEyeParams) centres(m *Mesh, re, le quality.Point) (quality.Point, quality.Point) {
	return p.centresOf(m.contourMeans(), re, le)
}

// offsetMeans returns the contour means c moved in·d towards each other and
// dr·d down (d their distance); ok is false when d is 0.
func offsetMeans(c [2]quality.Point, in, dr float64) (r, l quality.Point, ok bool) {
	d := dist(c[0], c[1])
	if d == 0 {
		return r, l, false
	}
	ux, uy := (c[1].X-c[0].X)/d, (c[1].Y-c[0].Y)/d
	in, dr = in*d, dr*d
	r = quality.Point{X: c[0].X + float64(in*ux) - float64(dr*uy), Y: c[0].Y + float64(in*uy) + float64(dr*ux)}
	l = quality.Point{X: c[1].X - float64(in*ux) - float64(dr*uy), Y: c[1].Y - float64(in*uy) + float64(dr*ux)}
	return r, l, true
}

// centresOf is centres from the contour means c (image-left eye first).
func (p meshEyeParams) centresOf(c [2]quality.Point, re, le quality.Point) (quality.Point, quality.Point) {
	if p.ChainShort > 0 {
		ar, al, ok := offsetMeans(c, p.AloneInward, p.AloneDrop)
		if !ok {
			return re, le
		}
		if dist(re, le) < float64((1-p.ChainShort)*dist(ar, al)) {
			return ar, al
		}
	}
	r, l, ok := offsetMeans(c, p.Inward, p.Drop)
	if !ok {
		return re, le
	}
	return blend(r, re, p.ChainWeight), blend(l, le, p.ChainWeight)
}

// meshLidPoints are, per eye (image-left first), the mesh's eyelid
// points in Mesh.Eyelids' order: the lower lid from the outer corner to
// the inner one, then the upper lid from the outer end (facemesh's
// RightEyeLower0, RightEyeUpper0 and their mirror images).
var meshLidPoints = [2][16]int{
	{33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173},
	{263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398},
}

// setEyelids fills m.Eyelids: the mesh's own eyelid points for both eyes,
// then the Iris model's for the eye the mesh finds the less open (the
// smaller largest-lid-distance over corner distance). One eye only: the
// Iris model costs about 23 ms an eye on one core, and EyesOpen needs the
// less open eye (the mesh ranks the eyes' openness right on every winking
// face of the content photographs, TestCorpusContentChecks).
func (a *Assessor) setEyelids(img image.Image, m *Mesh) error {
	var ratio [2]float64
	for e := range meshLidPoints {
		for i, k := range meshLidPoints[e] {
			m.Eyelids[e][i] = m.Points[k]
		}
		ratio[e] = lidOpening(&m.Eyelids[e]) / math.Max(dist(m.Eyelids[e][0], m.Eyelids[e][8]), 1e-9)
	}
	e := 0
	if ratio[1] < ratio[0] {
		e = 1
	}
	lids, err := a.irisEye(img, m, e)
	if err != nil {
		return err
	}
	m.Eyelids[e] = lids
	m.irisEye = e
	return nil
}

// irisEye runs the Iris model on eye e (0 image-left, 1 image-right) of
// mesh m, from its corners, and returns its 16 eyelid points in image
// coordinates (as Mesh.Eyelids).
func (a *Assessor) irisEye(img image.Image, m *Mesh, e int) (out [16]quality.Point, err error) {
	c := [2][2]int{{33, 133}, {263, 362}}[e] // outer, inner
	o, i := m.Points[c[0]], m.Points[c[1]]
	_, iris, err := meshModels()
	if err != nil {
		return out, err
	}
	r, err := iris.RunEye(img, o.X, o.Y, i.X, i.Y, e == 1)
	if err != nil {
		return out, err
	}
	for k := range out {
		out[k] = quality.Point{X: r.Contour[k][0], Y: r.Contour[k][1]}
	}
	return out, nil
}
