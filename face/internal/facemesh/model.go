package facemesh

import (
	"embed"
	"fmt"
	"path"
	"sync"

	"github.com/biogate/biogate/internal/nn"
)

// The graphs (model.json: topology and weights manifest) are embedded in
// every build; the weights files they name are embedded only where
// weights_embed.go builds (see [Embedded]).
//
//go:embed models/facemesh.json models/iris.json
var modelFS embed.FS

// loadGraph builds one TF.js graph model, returning only the named
// outputs. Its weights come from [weightsFile].
func loadGraph(name string, outputs []string) (*nn.Graph, error) {
	js, err := modelFS.ReadFile("models/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("facemesh: %w", err)
	}
	var werr error
	g, err := nn.LoadTFJS(js, func(p string) ([]byte, error) {
		b, err := weightsFile(path.Clean("/" + p)[1:])
		if err != nil {
			werr = err
		}
		return b, err
	}, &nn.Options{Outputs: outputs})
	if werr != nil {
		return nil, werr // typed (ErrNoWeights, *WeightsError), unwrapped
	}
	if err != nil {
		return nil, fmt.Errorf("facemesh: loading %s: %w", name, err)
	}
	return g, nil
}

// MeshInputSize is the side, in pixels, of the square crop [Mesh.Run] takes.
const MeshInputSize = 192

// MeshPoints is the number of Face Mesh landmarks.
const MeshPoints = 468

// Mesh runs MediaPipe Face Mesh. It is safe for concurrent use; the weights
// load once per process.
type Mesh struct {
	g *nn.Graph
}

// MeshResult is the output of [Mesh.Run].
type MeshResult struct {
	// Points are the 468 landmarks in crop pixels: x right, y down, from
	// the crop's top-left corner (pixel (i, j) covers [i, i+1)×[j, j+1));
	// z is depth on roughly the same scale as x, smaller towards the
	// camera, with its origin near the centre of the head (MediaPipe's
	// definition); only differences of z are meaningful.
	Points [MeshPoints][3]float32
	// Score is the face-presence probability in [0, 1] (the graph's own
	// sigmoid output).
	Score float32
}

var (
	meshMu  sync.Mutex
	meshVal *Mesh
)

// The graph's outputs: Identity_2 holds the 468×3 mesh, Identity_1 the
// face flag after its sigmoid. The third output (Identity, 133 contour
// points x, y: face oval, eyes, brows, lips, from its own head) is not
// computed: measured on the mouths of the content photographs, its inner
// lips part no further than the mesh's where the mesh misses an open mouth
// (0.027 T against 0.036 T on the worst), so MouthClosed does not use it.
const (
	meshOutPoints = "Identity_2"
	meshOutScore  = "Identity_1"
)

// LoadMesh returns the process-wide Face Mesh model, loading it on first
// use. Where the weights are not embedded ([Embedded] false) they come
// from the [SetSource] function, and a load that fails (ErrNoWeights, a
// *WeightsError) is tried again on the next call.
func LoadMesh() (*Mesh, error) {
	meshMu.Lock()
	defer meshMu.Unlock()
	if meshVal != nil {
		return meshVal, nil
	}
	g, err := loadGraph("facemesh", []string{meshOutPoints, meshOutScore})
	if err != nil {
		return nil, err
	}
	if err := checkOutputs(g, MeshInputSize, []int{MeshPoints * 3, 1}); err != nil {
		return nil, err
	}
	meshVal = &Mesh{g: g}
	return meshVal, nil
}

// checkOutputs verifies the graph's input side and output sizes.
func checkOutputs(g *nn.Graph, side int, sizes []int) error {
	in := g.InputShape()
	if len(in) != 4 || in[1] != side || in[2] != side || in[3] != 3 {
		return fmt.Errorf("facemesh: model input %v, want [1 %d %d 3]", in, side, side)
	}
	for i, want := range sizes {
		n := 1
		for _, d := range g.OutputShape(i) {
			n *= d
		}
		if n != want {
			return fmt.Errorf("facemesh: model output %d has %d values, want %d", i, n, want)
		}
	}
	return nil
}

// InputError reports an input slice of the wrong length.
type InputError struct {
	Got, Want int
}

func (e *InputError) Error() string {
	return fmt.Sprintf("facemesh: input has %d values, want %d", e.Got, e.Want)
}

// Run takes a MeshInputSize×MeshInputSize RGB crop as float32 values in
// [0, 1], row-major from the top-left, the three channels interleaved
// (R, G, B, R, G, B, …; see [CropInput]), and returns the 468 landmarks in
// crop pixels and the face-presence score. A wrong length gives an
// [*InputError].
func (m *Mesh) Run(rgb []float32) (MeshResult, error) {
	var r MeshResult
	if want := MeshInputSize * MeshInputSize * 3; len(rgb) != want {
		return r, &InputError{Got: len(rgb), Want: want}
	}
	out, err := m.g.Run(rgb)
	if err != nil {
		return r, fmt.Errorf("facemesh: %w", err)
	}
	pts := out[0]
	for i := range r.Points {
		r.Points[i] = [3]float32{pts[3*i], pts[3*i+1], pts[3*i+2]}
	}
	r.Score = out[1][0]
	return r, nil
}

// IrisInputSize is the side, in pixels, of the square eye crop [Iris.Run]
// takes.
const IrisInputSize = 64

// Iris runs MediaPipe Iris. It is safe for concurrent use; the weights load
// once per process.
//
// The model was trained on one eye only: the eye that appears on the
// image's left in an unmirrored frontal photo, which is the subject's right
// eye (MediaPipe's iris graph calls it the "left" eye; it lies between mesh
// points 33 and 133, 33 on the crop's left). Run that eye as it is. Run the
// other eye (mesh points 263 and 362) on a horizontally mirrored crop
// ([FlipHorizontal]) and map the outputs back with x → IrisInputSize − x,
// as MediaPipe's IrisLandmarkCpu graph does with its FLIP_HORIZONTALLY
// input. [Iris.RunEye] does all of this from the eye corners.
// TestCorpusIrisEyeSide confirms the convention on real portraits: the
// Iris lid points land 0.032 IED from the mesh's this way, 0.057 IED the
// other way round.
type Iris struct {
	g *nn.Graph
}

// IrisResult is the output of [Iris.Run], in crop pixels (as
// [MeshResult.Points]).
type IrisResult struct {
	// Contour holds the 71 eye-region points. In the order MediaPipe's
	// iris model emits them (and as the face mesh's eye groups map onto
	// them): 0-8 lower lid (outer corner first, inner corner last, as
	// [RightEyeLower0]), 9-15 upper lid (as [RightEyeUpper0]), then the
	// rings around the eye: 16-24 lower1, 25-31 upper1, 32-40 lower2,
	// 41-47 upper2, 48-53 brow lower, 54-62 lower3, 63-70 brow upper.
	Contour [71][3]float32
	// Iris holds the iris centre first, then four points on the iris
	// boundary.
	Iris [5][3]float32
}

var (
	irisMu  sync.Mutex
	irisVal *Iris
)

// LoadIris returns the process-wide Iris model, loading it on first use
// (as [LoadMesh]).
func LoadIris() (*Iris, error) {
	irisMu.Lock()
	defer irisMu.Unlock()
	if irisVal != nil {
		return irisVal, nil
	}
	g, err := loadGraph("iris", nil)
	if err != nil {
		return nil, err
	}
	if err := checkOutputs(g, IrisInputSize, []int{(71 + 5) * 3}); err != nil {
		return nil, err
	}
	irisVal = &Iris{g: g}
	return irisVal, nil
}

// Run takes an IrisInputSize×IrisInputSize RGB eye crop, laid out as for
// [Mesh.Run], and returns the eye contour and iris points in crop pixels.
// A wrong length gives an [*InputError].
func (ir *Iris) Run(rgb []float32) (IrisResult, error) {
	var r IrisResult
	if want := IrisInputSize * IrisInputSize * 3; len(rgb) != want {
		return r, &InputError{Got: len(rgb), Want: want}
	}
	out, err := ir.g.Run(rgb)
	if err != nil {
		return r, fmt.Errorf("facemesh: %w", err)
	}
	v := out[0]
	for i := range r.Contour {
		r.Contour[i] = [3]float32{v[3*i], v[3*i+1], v[3*i+2]}
	}
	for i := range r.Iris {
		j := 3 * (71 + i)
		r.Iris[i] = [3]float32{v[j], v[j+1], v[j+2]}
	}
	return r, nil
}
