package face

import (
	"encoding/json"
	"image"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/biogate/biogate/face/internal/facemesh"
	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/quality"
)

// drawnMesh returns a mesh whose content points are placed by hand (IED
// 100 px, eye line horizontal at y = 100, chin 180 px below it): each eye's
// (Iris) lids open by eyeOpen px, the inner lips apart by lips px, the mouth
// corners width px apart and raise px above the lips' middle; every other
// point sits at the eye midpoint.
func drawnMesh(eyeOpen [2]float64, lips, width, raise float64) *Mesh {
	m := &Mesh{Score: 1}
	for i := range m.Points {
		m.Points[i] = quality.Point{X: 150, Y: 100}
	}
	set := func(i int, x, y float64) { m.Points[i] = quality.Point{X: x, Y: y} }
	for e, cx := range []float64{100, 200} {
		ix := meshEyeContour[e]
		set(ix[0], cx-15*float64(1-2*e), 100) // outer corner
		set(ix[3], cx+15*float64(1-2*e), 100) // inner corner
		set(ix[1], cx-5, 97)
		set(ix[2], cx+5, 97)
		set(ix[4], cx+5, 103)
		set(ix[5], cx-5, 103)
		for k := range m.Eyelids[e] {
			m.Eyelids[e][k] = quality.Point{X: cx, Y: 100}
		}
		for k, p := range irisLids {
			x := cx + float64(k-1)*7
			m.Eyelids[e][p[0]] = quality.Point{X: x, Y: 100 - eyeOpen[e]/2}
			m.Eyelids[e][p[1]] = quality.Point{X: x, Y: 100 + eyeOpen[e]/2}
		}
	}
	set(meshChin, 150, 280)
	for k, col := range mouthColumns {
		x := 150 + float64(k-1)*10
		set(col[0], x, 240-lips/2-8) // outer upper lip
		set(col[1], x, 240-lips/2)
		set(col[2], x, 240+lips/2)
		set(col[3], x, 240+lips/2+10) // outer lower lip
	}
	set(61, 150-width/2, 240-raise)
	set(291, 150+width/2, 240-raise)
	for _, i := range []int{66, 105, 296, 334} {
		set(i, 150, 70)
	}
	return m
}

// mouthLuma returns a 300×300 luma image of grey 150 with rows y0 to y1
// (exclusive) set to 20 (a dark mouth cavity).
func mouthLuma(y0, y1 int) *pico.Gray {
	g := &pico.Gray{Pix: make([]uint8, 300*300), W: 300, H: 300, Stride: 300}
	for i := range g.Pix {
		g.Pix[i] = 150
		if y := i / 300; y >= y0 && y < y1 {
			g.Pix[i] = 20
		}
	}
	return g
}

func TestContentMeasures(t *testing.T) {
	for _, tt := range []struct {
		name             string
		eyes             [2]float64
		lips             float64
		luma             *pico.Gray
		wantEyes, wantMo float64 // native values; T = 180
	}{
		{"open, closed mouth", [2]float64{12, 12}, 0, mouthLuma(0, 0), 12.0 / 180, 0},
		{"one eye shut", [2]float64{12, 1}, 0, mouthLuma(0, 0), 1.0 / 180, 0},
		{"mouth open", [2]float64{10, 11}, 40, mouthLuma(0, 0), 10.0 / 180, 40.0 / 180},
		// the whole lower lip line (y 240-250) over a dark cavity: the
		// distance is taken to the outer lower lip, 10 px
		{"lower lip over the cavity", [2]float64{12, 12}, 0, mouthLuma(239, 255), 12.0 / 180, 10.0 / 180},
		// dark over the upper half of the line only (a seam's shadow):
		// nothing added
		{"dark seam", [2]float64{12, 12}, 0, mouthLuma(238, 245), 12.0 / 180, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ms := contentMeasures(drawnMesh(tt.eyes, tt.lips, 80, 0), tt.luma, image.Point{})
			eo, ok1 := ms.Get(quality.EyesOpen)
			mc, ok2 := ms.Get(quality.MouthClosed)
			if !ok1 || !ok2 {
				t.Fatalf("measures %v", ms)
			}
			if math.Abs(eo.Value-tt.wantEyes) > 1e-9 || math.Abs(mc.Value-tt.wantMo) > 1e-9 {
				t.Errorf("EyesOpen %v MouthClosed %v, want %v %v", eo.Value, mc.Value, tt.wantEyes, tt.wantMo)
			}
			// OFIQ's mappings
			if w := 100 / (1 + math.Exp(-(tt.wantEyes-0.02)/0.01)); math.Abs(eo.Component-w) > 1e-9 {
				t.Errorf("EyesOpen component %v, want %v", eo.Component, w)
			}
			if w := 100 * (1 - 1/(1+math.Exp(-(tt.wantMo-0.2)/0.06))); math.Abs(mc.Component-w) > 1e-9 {
				t.Errorf("MouthClosed component %v, want %v", mc.Component, w)
			}
		})
	}
}

func TestExpressionFeatures(t *testing.T) {
	f := drawnMesh([2]float64{12, 12}, 20, 90, 8).expressionFeatures()
	// eye contour means: (100, 100) and (200, 100), D = 100
	want := [numExprFeatures]float64{0.9, 0.08, 0.2, 0.3}
	for i := range want {
		if math.Abs(f[i]-want[i]) > 1e-9 {
			t.Errorf("%s = %v, want %v", exprFeatureNames[i], f[i], want[i])
		}
	}
}

func TestFitExpression(t *testing.T) {
	// Non-neutral faces have a wider mouth; the model must rank them.
	var xs [][numExprFeatures]float64
	var ys []bool
	for i := 0; i < 40; i++ {
		w := 0.75 + 0.005*float64(i%10)
		pos := i%2 == 0
		if pos {
			w += 0.2
		}
		xs = append(xs, [numExprFeatures]float64{w, 0.01 * float64(i%3), 0.05, 0.3 + 0.001*float64(i%7)})
		ys = append(ys, pos)
	}
	m := fitExpression(xs, ys)
	for i, x := range xs {
		if p := m.neutrality(x); (p < 0.5) != ys[i] {
			t.Errorf("sample %d: neutrality %.3f, non-neutral %v", i, p, ys[i])
		}
	}
	if m2 := fitExpression(xs, ys); m2 != m {
		t.Error("fit not deterministic")
	}
}

func TestMeshROIAndYaw(t *testing.T) {
	m := &Mesh{}
	// points on a 100×200 box turned by 30°, eye corners along its x axis
	a := 30 * math.Pi / 180
	c, s := math.Cos(a), math.Sin(a)
	for i := range m.Points {
		u, v := float64(i%11)*10-50, float64(i/11%21)*10-100
		m.Points[i] = quality.Point{X: 300 + c*u - s*v, Y: 200 + s*u + c*v}
	}
	m.Points[33] = quality.Point{X: 300 - c*40, Y: 200 - s*40}
	m.Points[263] = quality.Point{X: 300 + c*40, Y: 200 + s*40}
	cx, cy, side, angle := meshROI(&m.Points)
	if math.Abs(cx-300) > 1e-6 || math.Abs(cy-200) > 1e-6 || math.Abs(side-300) > 1e-6 || math.Abs(angle-a) > 1e-9 {
		t.Errorf("meshROI = %v %v %v %v, want 300 200 300 %v", cx, cy, side, angle, a)
	}
	m.Points[234], m.Points[454] = quality.Point{X: 0, Y: 0}, quality.Point{X: 100, Y: 0}
	m.depth[454] = 100
	if y := m.yaw(); math.Abs(y-45) > 1e-9 {
		t.Errorf("yaw %v, want 45", y)
	}
}

func TestMeshJSON(t *testing.T) {
	m := drawnMesh([2]float64{12, 12}, 0, 80, 0)
	f := Face{RightEye: quality.Point{X: 100, Y: 100}, LeftEye: quality.Point{X: 200, Y: 100}, Mesh: m}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var g Face
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if g.Mesh == nil || g.Mesh.Points != m.Points || g.Mesh.Eyelids != m.Eyelids || g.Mesh.Score != 1 {
		t.Error("mesh points not kept through JSON")
	}
	if err := json.Unmarshal([]byte(`{"score":1,"points":[[1,2]]}`), new(Mesh)); err == nil {
		t.Error("a mesh with 1 point was accepted")
	}
	nf := Face{MeshNotAssessed: "face too small"}
	b, _ = json.Marshal(nf)
	if !strings.Contains(string(b), `"mesh_not_assessed":"face too small"`) || strings.Contains(string(b), `"mesh":`) {
		t.Errorf("JSON %s", b)
	}
}

// TestMeshNotAssessed: a face below MinMeshIED is not assessed, with the
// reason, and no content measure is reported.
func TestMeshNotAssessed(t *testing.T) {
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	img := benchImage(64, 64)
	m, why, err := a.meshFace(img, quality.Point{X: 25, Y: 30}, quality.Point{X: 40, Y: 30})
	if err != nil || m != nil || !strings.Contains(why, "too small") {
		t.Errorf("meshFace at IED 15: %v %q %v", m, why, err)
	}
	// a grey square: no face on the mesh's crop
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	m, why, err = a.meshFace(img, quality.Point{X: 12, Y: 30}, quality.Point{X: 52, Y: 30})
	if err != nil || m != nil || !strings.Contains(why, "no face") {
		t.Errorf("meshFace on grey: %v %q %v", m, why, err)
	}
	_ = facemesh.MeshPoints
}

// TestMeshEyeGate checks the gate of meshEyeParams.centresOf: the chain's
// eyes are blended in while their distance is at least 1 − ChainShort of
// the mesh's offset means', and dropped (the mesh's alone) below.
func TestMeshEyeGate(t *testing.T) {
	p := meshEyeParams{Inward: 0.01, Drop: 0.02, ChainWeight: 0.5, AloneInward: 0.01, AloneDrop: 0.02, ChainShort: 0.06}
	c := [2]quality.Point{{X: 100, Y: 100}, {X: 200, Y: 100}}
	// mesh alone: moved 1 px inwards and 2 px down, 98 px apart
	alone := [2]quality.Point{{X: 101, Y: 102}, {X: 199, Y: 102}}
	near := func(a, b quality.Point) bool { return math.Abs(a.X-b.X) < 1e-9 && math.Abs(a.Y-b.Y) < 1e-9 }
	for _, tc := range []struct {
		name   string
		re, le quality.Point
		want   [2]quality.Point
	}{
		{"chain 10 % short: dropped", quality.Point{X: 105, Y: 102}, quality.Point{X: 193.2, Y: 102}, alone},
		{"chain 4 % short: blended", quality.Point{X: 103, Y: 102}, quality.Point{X: 197.08, Y: 102},
			[2]quality.Point{{X: 102, Y: 102}, {X: 198.04, Y: 102}}},
		{"chain 10 % long: blended", quality.Point{X: 96, Y: 104}, quality.Point{X: 203.8, Y: 104},
			[2]quality.Point{{X: 98.5, Y: 103}, {X: 201.4, Y: 103}}},
	} {
		r, l := p.centresOf(c, tc.re, tc.le)
		if !near(r, tc.want[0]) || !near(l, tc.want[1]) {
			t.Errorf("%s: got %v %v, want %v", tc.name, r, l, tc.want)
		}
	}
	// ChainShort 0: no gate, always blended
	q := p
	q.ChainShort = 0
	if r, _ := q.centresOf(c, quality.Point{X: 105, Y: 102}, quality.Point{X: 193.2, Y: 102}); !near(r, quality.Point{X: 103, Y: 102}) {
		t.Errorf("no gate: got %v, want the blend {103 102}", r)
	}
}

// TestMeshContours checks the drawing outlines: indices in range, closed
// loops where stated, and each eye's loop through its two corners.
func TestMeshContours(t *testing.T) {
	cs := MeshContours()
	if len(cs) != 7 {
		t.Fatalf("%d contours, want 7 (oval, 2 brows, 2 eyes, 2 lips)", len(cs))
	}
	for i, c := range cs {
		if len(c) < 6 {
			t.Errorf("contour %d has %d points", i, len(c))
		}
		for _, k := range c {
			if k < 0 || k >= len(Mesh{}.Points) {
				t.Errorf("contour %d: index %d out of range", i, k)
			}
		}
	}
	for _, i := range []int{0, 3, 4, 5, 6} {
		c := cs[i]
		if c[0] != c[len(c)-1] {
			t.Errorf("contour %d is not closed", i)
		}
		seen := map[int]bool{}
		for _, k := range c[:len(c)-1] {
			if seen[k] {
				t.Errorf("contour %d visits %d twice", i, k)
			}
			seen[k] = true
		}
	}
	for i, corners := range map[int][2]int{3: {33, 133}, 4: {263, 362}, 5: {61, 291}, 6: {78, 308}} {
		if !slices.Contains(cs[i], corners[0]) || !slices.Contains(cs[i], corners[1]) {
			t.Errorf("contour %d misses a corner of %v", i, corners)
		}
	}
	cs[0][0] = -1
	if MeshContours()[0][0] == -1 {
		t.Error("MeshContours returned a shared slice")
	}
}
