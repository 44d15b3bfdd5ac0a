package facemesh

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/readme"
)

// The fixtures come from testdata/gen/gen.mjs (TensorFlow.js, CPU backend,
// on the same model files); regenerate with scripts/gen-facemesh-fixtures.sh.

type refFile struct {
	TFJS   string            `json:"tfjs"`
	Models map[string]string `json:"models"`
	Cases  []refCase         `json:"cases"`
}

type refCase struct {
	Model   string               `json:"model"`
	Name    string               `json:"name"`
	Input   json.RawMessage      `json:"input"`
	Outputs map[string][]float64 `json:"outputs"`
}

// xorshift32 is the generator gen.mjs uses for its pseudo-random inputs.
func xorshift32(seed uint32) func() float64 {
	s := seed
	return func() float64 {
		s ^= s << 13
		s ^= s >> 17
		s ^= s << 5
		return float64(s>>8) / (1 << 24)
	}
}

// fixtureInput rebuilds a case's input: {seed, lo, hi} for xorshift values
// or the name of an 8-bit RGB file in testdata.
func fixtureInput(t *testing.T, raw json.RawMessage, n int) []float32 {
	t.Helper()
	var file string
	if json.Unmarshal(raw, &file) == nil {
		b, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != n {
			t.Fatalf("%s has %d bytes, want %d", file, len(b), n)
		}
		return bytesToFloats(b)
	}
	var r struct {
		Seed   uint32
		Lo, Hi float64
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	next := xorshift32(r.Seed)
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(r.Lo + float64((r.Hi-r.Lo)*next()))
	}
	return out
}

func bytesToFloats(b []byte) []float32 {
	out := make([]float32, len(b))
	for i, v := range b {
		out[i] = float32(float64(v) / 255)
	}
	return out
}

func loadReference(t *testing.T) refFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f refFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) == 0 {
		t.Fatal("reference.json has no cases")
	}
	return f
}

func maxAbsDiff(got []float32, want []float64) float64 {
	m := 0.0
	for i := range got {
		m = math.Max(m, math.Abs(float64(got[i])-want[i]))
	}
	return m
}

// TestReference compares Face Mesh and Iris end to end with TensorFlow.js's
// CPU backend on the same weights: landmarks within 2e-4 px (about 1e-6 of
// the crop), the face score within 1e-6.
func TestReference(t *testing.T) {
	ref := loadReference(t)
	mesh, err := LoadMesh()
	if err != nil {
		t.Fatal(err)
	}
	iris, err := LoadIris()
	if err != nil {
		t.Fatal(err)
	}
	const tolPx, tolScore = 2e-4, 1e-6
	var worstMesh, worstIris float64
	for _, c := range ref.Cases {
		t.Run(c.Model+"/"+c.Name, func(t *testing.T) {
			switch c.Model {
			case "facemesh":
				in := fixtureInput(t, c.Input, MeshInputSize*MeshInputSize*3)
				r, err := mesh.Run(in)
				if err != nil {
					t.Fatal(err)
				}
				want := c.Outputs["points"]
				if len(want) != MeshPoints*3 {
					t.Fatalf("fixture has %d point values", len(want))
				}
				got := make([]float32, 0, MeshPoints*3)
				for _, p := range r.Points {
					got = append(got, p[:]...)
				}
				d := maxAbsDiff(got, want)
				ds := maxAbsDiff([]float32{r.Score}, c.Outputs["score"])
				t.Logf("max |Δ| points %.3g px, score %.3g (score %.4f)", d, ds, r.Score)
				worstMesh = math.Max(worstMesh, d)
				if d > tolPx || ds > tolScore {
					t.Errorf("differs from TF.js: points %.3g px (tol %g), score %.3g (tol %g)", d, tolPx, ds, tolScore)
				}
			case "iris":
				in := fixtureInput(t, c.Input, IrisInputSize*IrisInputSize*3)
				r, err := iris.Run(in)
				if err != nil {
					t.Fatal(err)
				}
				want := c.Outputs["out"]
				if len(want) != 76*3 {
					t.Fatalf("fixture has %d values", len(want))
				}
				got := make([]float32, 0, 76*3)
				for _, p := range r.Contour {
					got = append(got, p[:]...)
				}
				for _, p := range r.Iris {
					got = append(got, p[:]...)
				}
				d := maxAbsDiff(got, want)
				t.Logf("max |Δ| %.3g px", d)
				worstIris = math.Max(worstIris, d)
				if d > tolPx {
					t.Errorf("differs from TF.js: %.3g px (tol %g)", d, tolPx)
				}
			default:
				t.Fatalf("unknown model %q", c.Model)
			}
		})
	}
	if !t.Failed() {
		readme.Require(t, fmt.Sprintf("landmarks within %s px (mesh) and %s px (Iris)", readme.Sci(worstMesh), readme.Sci(worstIris)))
	}
}
