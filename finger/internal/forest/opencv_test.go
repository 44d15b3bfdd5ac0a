package forest

import (
	"bytes"
	"crypto/md5"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var fixtures = []struct {
	name   string
	vars   int
	trees  int
	labels []float64
}{
	{"small", 5, 9, []float64{0, 1}},
	{"labels37", 4, 5, []float64{3, 7}},
	{"threeclass", 4, 7, []float64{0, 1, 2}},
	{"nfiq69", 69, 11, []float64{0, 1}},
}

type fixtureRow struct {
	x     []float32
	raw   float32
	cls   float32
	nfiq2 int
}

func readFixtureRows(t *testing.T, name string, nvars int) []fixtureRow {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "opencv", name+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 2 || len(recs[0]) != nvars+3 {
		t.Fatalf("%s.csv: %d rows, header %d columns", name, len(recs), len(recs[0]))
	}
	parse := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s.csv: %v", name, err)
		}
		return v
	}
	var rows []fixtureRow
	for _, r := range recs[1:] {
		row := fixtureRow{x: make([]float32, nvars)}
		for i := 0; i < nvars; i++ {
			row.x[i] = float32(parse(r[i]))
		}
		row.raw = float32(parse(r[nvars]))
		row.cls = float32(parse(r[nvars+1]))
		row.nfiq2 = int(parse(r[nvars+2]))
		rows = append(rows, row)
	}
	return rows
}

// refLeaf is the test's own straightforward recursive evaluator over the
// exported tree structure.
func refLeaf(t Tree, i int, x []float32) Node {
	n := t.Nodes[i]
	if n.Left < 0 {
		return n
	}
	if x[n.Var] <= n.Threshold {
		return refLeaf(t, n.Left, x)
	}
	return refLeaf(t, n.Right, x)
}

// TestOpenCVFixtures checks the reader and evaluator against OpenCV 4.6's
// own predictions, recorded by testdata/opencv/gen_fixtures.py.
func TestOpenCVFixtures(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			path := filepath.Join("testdata", "opencv", fx.name+".yaml")
			f, err := LoadOpenCVFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if f.NumTrees() != fx.trees || f.VarCount() != fx.vars {
				t.Fatalf("trees %d vars %d, want %d %d", f.NumTrees(), f.VarCount(), fx.trees, fx.vars)
			}
			if got := f.ClassLabels(); !equalF64(got, fx.labels) {
				t.Fatalf("labels %v, want %v", got, fx.labels)
			}
			text, _ := os.ReadFile(path)
			sum := md5.Sum(text)
			if f.MD5() != hex.EncodeToString(sum[:]) || f.IsNIST() || f.ModelName() != NameOpenCV {
				t.Fatalf("md5 %s isNIST %v name %s", f.MD5(), f.IsNIST(), f.ModelName())
			}
			rows := readFixtureRows(t, fx.name, fx.vars)
			ties := 0
			for i, r := range rows {
				raw, err := f.Predict(r.x)
				if err != nil {
					t.Fatal(err)
				}
				if raw != r.raw && !(math.IsNaN(float64(raw)) && math.IsNaN(float64(r.raw))) {
					t.Errorf("row %d: raw %v, OpenCV %v", i, raw, r.raw)
				}
				votes, err := f.Votes(r.x)
				if err != nil {
					t.Fatal(err)
				}
				best := 0
				for k := range votes {
					if votes[k] > votes[best] {
						best = k
					}
				}
				if fx.labels[best] != float64(r.cls) {
					t.Errorf("row %d: majority %v (votes %v), OpenCV class %v", i, fx.labels[best], votes, r.cls)
				}
				if r.nfiq2 >= 0 {
					feat := make([]float64, len(r.x))
					for k, v := range r.x {
						feat[k] = float64(v)
					}
					s, err := f.Score(feat)
					if err != nil || s != r.nfiq2 {
						t.Errorf("row %d: score %d (%v), want %d", i, s, err, r.nfiq2)
					}
				}
				// The independent evaluator agrees wherever no input is
				// OpenCV's missing-value marker.
				missing := false
				for _, v := range r.x {
					if v == math.MaxFloat32 {
						missing = true
					}
				}
				if missing {
					ties++
					continue
				}
				ref := make([]int, len(fx.labels))
				for _, tr := range f.Trees() {
					ref[refLeaf(tr, 0, r.x).ClassIdx]++
				}
				if !equalInt(ref, votes) {
					t.Errorf("row %d: votes %v, reference evaluator %v", i, votes, ref)
				}
			}
			if ties == 0 {
				t.Error("fixture has no missing-value rows")
			}
		})
	}
}

func equalF64(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalInt(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// randomForest builds a random forest with nvars variables.
func randomForest(rng *rand.Rand, nvars, ntrees, maxDepth int, labels []float64) []Tree {
	trees := make([]Tree, ntrees)
	for k := range trees {
		var nodes []Node
		var grow func(depth int) int
		grow = func(depth int) int {
			i := len(nodes)
			cls := rng.IntN(len(labels))
			nodes = append(nodes, Node{Left: -1, Right: -1, ClassIdx: cls, Value: labels[cls]})
			if depth < maxDepth && (depth == 0 || rng.Float64() < 0.7) {
				nodes[i].Var = rng.IntN(nvars)
				// Thresholds on a coarse grid so that ties with inputs occur.
				nodes[i].Threshold = float32(rng.IntN(9)-4) / 2
				l := grow(depth + 1)
				r := grow(depth + 1)
				nodes[i].Left, nodes[i].Right = l, r
			}
			return i
		}
		grow(0)
		trees[k] = Tree{Nodes: nodes}
	}
	return trees
}

// TestWriteReadRandom writes random forests with WriteOpenCV, reads them
// back and compares votes with the test's reference evaluator run on the
// original trees.
func TestWriteReadRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := 0; iter < 40; iter++ {
		nvars := 1 + rng.IntN(80)
		labels := []float64{0, 1}
		if iter%5 == 4 {
			labels = []float64{0, 1, 2, 5}
		}
		trees := randomForest(rng, nvars, 1+rng.IntN(30), 1+rng.IntN(9), labels)
		f0, err := NewForest(nvars, labels, trees)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f0.WriteOpenCV(&buf); err != nil {
			t.Fatal(err)
		}
		f, err := LoadOpenCV(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("iter %d: %v", iter, err)
		}
		if f.NumTrees() != len(trees) || f.VarCount() != nvars {
			t.Fatalf("iter %d: %d trees %d vars", iter, f.NumTrees(), f.VarCount())
		}
		x := make([]float32, nvars)
		feat := make([]float64, nvars)
		for s := 0; s < 50; s++ {
			for i := range x {
				x[i] = float32(rng.IntN(11)-5) / 2 // often equal to a threshold
				feat[i] = float64(x[i])
			}
			ref := make([]int, len(labels))
			var sum float64
			for _, tr := range trees {
				n := refLeaf(tr, 0, x)
				ref[n.ClassIdx]++
				sum += n.Value
			}
			votes, err := f.Votes(x)
			if err != nil {
				t.Fatal(err)
			}
			if !equalInt(votes, ref) {
				t.Fatalf("iter %d: votes %v, reference %v", iter, votes, ref)
			}
			if len(labels) == 2 {
				raw, _ := f.Predict(x)
				if raw != float32(sum) {
					t.Fatalf("iter %d: raw %v, reference %v", iter, raw, sum)
				}
				score, err := f.Score(feat)
				if err != nil {
					t.Fatal(err)
				}
				want := 100 * float64(ref[1]) / float64(len(trees))
				if math.Abs(float64(score)-want) > 0.5+1e-6 {
					t.Fatalf("iter %d: score %d for %d/%d votes", iter, score, ref[1], len(trees))
				}
			}
		}
	}
}

// TestRoundTripFixtures re-writes the OpenCV fixtures with WriteOpenCV and
// checks the predictions are unchanged.
func TestRoundTripFixtures(t *testing.T) {
	for _, fx := range fixtures {
		f, err := LoadOpenCVFile(filepath.Join("testdata", "opencv", fx.name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.WriteOpenCV(&buf); err != nil {
			t.Fatal(err)
		}
		g, err := LoadOpenCV(&buf)
		if err != nil {
			t.Fatalf("%s: %v", fx.name, err)
		}
		for _, r := range readFixtureRows(t, fx.name, fx.vars) {
			a, _ := f.Predict(r.x)
			b, _ := g.Predict(r.x)
			if a != b && !(math.IsNaN(float64(a)) && math.IsNaN(float64(b))) {
				t.Fatalf("%s: %v after round trip, %v before", fx.name, b, a)
			}
		}
	}
}

func TestScaleVotes(t *testing.T) {
	tests := []struct {
		raw    float32
		ntrees int
		want   int
	}{
		{0, 100, 0},
		{100, 100, 100},
		{1, 200, 1},   // 0.5 rounds up
		{3, 200, 2},   // 1.5 rounds up
		{1, 3, 33},    // 33.33
		{2, 3, 67},    // 66.67
		{50, 101, 50}, // 49.50495
		{1, 8, 13},    // 12.5 rounds up
	}
	for _, tt := range tests {
		got, err := scaleVotes(tt.raw, tt.ntrees)
		if err != nil || got != tt.want {
			t.Errorf("scaleVotes(%v, %d) = %d, %v; want %d", tt.raw, tt.ntrees, got, err, tt.want)
		}
	}
	// Every vote count of every forest size lands within rounding of the
	// exact ratio.
	for n := 1; n <= 400; n++ {
		for v := 0; v <= n; v++ {
			got, err := scaleVotes(float32(v), n)
			exact := 100 * float64(v) / float64(n)
			if err != nil || math.Abs(float64(got)-exact) > 0.5+1e-5 {
				t.Fatalf("scaleVotes(%d, %d) = %d, %v; exact %v", v, n, got, err, exact)
			}
		}
	}
	for _, raw := range []float32{-1, 101, float32(math.NaN())} {
		if _, err := scaleVotes(raw, 100); !errors.Is(err, ErrScoreRange) {
			t.Errorf("scaleVotes(%v) error %v, want ErrScoreRange", raw, err)
		}
	}
}

func TestNISTIdentity(t *testing.T) {
	f, err := LoadOpenCVFile(filepath.Join("testdata", "opencv", "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if f.ModelName() != NameOpenCV || !strings.HasPrefix(f.ModelVersion(), "md5:") {
		t.Fatalf("name %q version %q", f.ModelName(), f.ModelVersion())
	}
	if err := f.CheckMD5(NISTModelMD5); !errors.Is(err, ErrChecksum) {
		t.Errorf("CheckMD5(NIST) on a fixture: %v", err)
	}
	if err := f.CheckMD5(strings.ToUpper(f.MD5())); err != nil {
		t.Errorf("CheckMD5(own hash): %v", err)
	}
	g := *f
	g.md5 = NISTModelMD5
	if !g.IsNIST() || g.ModelName() != NameNFIQ2 || g.ModelVersion() != NISTModelVersion {
		t.Fatalf("NIST md5: isNIST %v name %q version %q", g.IsNIST(), g.ModelName(), g.ModelVersion())
	}
}

func TestScoreErrors(t *testing.T) {
	f, err := LoadOpenCVFile(filepath.Join("testdata", "opencv", "small.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Score(make([]float64, 4)); !errors.Is(err, ErrFeatureCount) {
		t.Errorf("short vector: %v", err)
	}
	if _, err := f.Votes(make([]float32, 6)); !errors.Is(err, ErrFeatureCount) {
		t.Errorf("long vector: %v", err)
	}
	g, err := LoadOpenCVFile(filepath.Join("testdata", "opencv", "threeclass.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Score(make([]float64, 4)); !errors.Is(err, ErrNotBinary) {
		t.Errorf("three classes: %v", err)
	}
	h, err := LoadOpenCVFile(filepath.Join("testdata", "opencv", "labels37.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Score([]float64{5, 5, 5, 5}); !errors.Is(err, ErrScoreRange) {
		t.Errorf("labels 3/7: %v", err)
	}
}

const tinyModel = `%YAML:1.0
---
my_random_trees:
   format: 3
   is_classifier: 1
   var_all: 3
   var_count: 2
   var_type: [ 0, 0, 1 ]
   class_labels: [ 0, 1 ]
   ntrees: 1
   trees:
      -
         nodes:
            -
               depth: 0
               value: 0.
               norm_class_idx: 0
               splits:
                  - { var:1, quality:1.,
                      le:5.0000000000000000e-01 }
            -
               depth: 1
               value: 0.
               norm_class_idx: 0
            -
               depth: 1
               value: 1.
               norm_class_idx: 1
`

func TestTinyModel(t *testing.T) {
	f, err := LoadOpenCV(strings.NewReader(tinyModel))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		x    []float64
		want int
	}{
		{[]float64{0, 0.5}, 0}, // equal to the threshold goes left
		{[]float64{0, 0.50000001}, 0},
		{[]float64{0, 0.5000001}, 100},
		{[]float64{0, math.NaN()}, 100}, // NaN compares false: right
		{[]float64{0, math.MaxFloat32}, 0},
	}
	for _, tt := range tests {
		got, err := f.Score(tt.x)
		if err != nil || got != tt.want {
			t.Errorf("Score(%v) = %d, %v; want %d", tt.x, got, err, tt.want)
		}
	}
}

// TestLayoutVariants reads the tiny model in the other layouts OpenCV
// produces or accepts; all must score like tinyModel.
func TestLayoutVariants(t *testing.T) {
	variants := map[string]string{
		// RTrees::save's default key.
		"opencv_ml_rtrees": strings.Replace(tinyModel, "my_random_trees:", "opencv_ml_rtrees:", 1),
		// Legacy (pre-format-3) layout: class labels in cat_map.
		"legacy": strings.Replace(strings.Replace(tinyModel, "   format: 3\n", "", 1),
			"class_labels: [ 0, 1 ]", "cat_count: [ 2 ]\n   cat_map: [ 0, 1 ]", 1),
		// Labels as an !!opencv-matrix.
		"matrix": strings.Replace(tinyModel, "class_labels: [ 0, 1 ]",
			"class_labels: !!opencv-matrix\n      rows: 2\n      cols: 1\n      dt: i\n      data: [ 0, 1 ]", 1),
		// var_idx selecting predictors 0 and 2 of three; split vars index
		// var_idx (global_var_idx absent), so var 1 is predictor 2, which
		// OpenCV 4.6 reads from column 1 (checked with python3-opencv).
		"var_idx": strings.Replace(strings.Replace(tinyModel, "var_all: 3", "var_all: 4", 1),
			"var_type: [ 0, 0, 1 ]", "var_type: [ 0, 0, 0, 1 ]\n   var_idx: [ 0, 2 ]", 1),
		// An inverted ("gt") split: OpenCV's predict ignores the inversion.
		"gt": strings.Replace(tinyModel, "le:5.0", "gt:5.0", 1),
		// Missing-value substitutes: FLT_MAX in column 1 becomes 9 (right).
		"missing_subst": strings.Replace(tinyModel, "   ntrees: 1", "   missing_subst: [ 0., 9., 0. ]\n   ntrees: 1", 1),
	}
	for name, text := range variants {
		t.Run(name, func(t *testing.T) {
			f, err := LoadOpenCV(strings.NewReader(text))
			if err != nil {
				t.Fatal(err)
			}
			want := []int{0, 100, 0}
			if name == "missing_subst" {
				want[2] = 100
			}
			for i, x := range [][]float64{{0, 0.5}, {0, 0.6}, {0, math.MaxFloat32}} {
				if name == "var_idx" {
					// One value per predictor (3); var_idx maps the
					// split to column 1, as OpenCV 4.6 does.
					x = append(x, 0)
				}
				if got, err := f.Score(x); err != nil || got != want[i] {
					t.Errorf("Score(%v) = %d, %v; want %d", x, got, err, want[i])
				}
			}
		})
	}
}

func TestLoadOpenCVErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want error
	}{
		{"empty", func(string) string { return "" }, ErrFormat},
		{"not yaml", func(string) string { return "%YAML:1.0\n\x00\x01garbage" }, ErrFormat},
		{"no root", func(s string) string { return strings.Replace(s, "my_random_trees", "other", 1) }, ErrFormat},
		{"regression", func(s string) string { return strings.Replace(s, "is_classifier: 1", "is_classifier: 0", 1) }, ErrUnsupported},
		{"categorical", func(s string) string { return strings.Replace(s, "[ 0, 0, 1 ]", "[ 1, 0, 1 ]", 1) }, ErrUnsupported},
		{"ntrees mismatch", func(s string) string { return strings.Replace(s, "ntrees: 1", "ntrees: 2", 1) }, ErrFormat},
		{"ntrees text", func(s string) string { return strings.Replace(s, "ntrees: 1", "ntrees: one", 1) }, ErrFormat},
		{"var out of range", func(s string) string { return strings.Replace(s, "var:1", "var:7", 1) }, ErrFormat},
		{"negative var", func(s string) string { return strings.Replace(s, "var:1", "var:-1", 1) }, ErrFormat},
		{"bad threshold", func(s string) string { return strings.Replace(s, "le:5.0000000000000000e-01", "le:x", 1) }, ErrFormat},
		{"no threshold", func(s string) string { return strings.Replace(s, "le:5.0000000000000000e-01", "lt:1", 1) }, ErrFormat},
		{"class out of range", func(s string) string { return strings.Replace(s, "norm_class_idx: 1", "norm_class_idx: 2", 1) }, ErrFormat},
		{"incomplete tree", func(s string) string { return s[:strings.LastIndex(s, "            -")] }, ErrFormat},
		{"extra node", func(s string) string {
			return s + "            -\n               depth: 1\n               value: 1.\n               norm_class_idx: 1\n"
		}, ErrFormat},
		{"unterminated flow", func(s string) string { return strings.Replace(s, "le:5.0000000000000000e-01 }", "le:5.0", 1) }, ErrFormat},
		{"bad indentation", func(s string) string { return strings.Replace(s, "   ntrees: 1", "     ntrees: 1", 1) }, ErrFormat},
		{"no labels", func(s string) string { return strings.Replace(s, "   class_labels: [ 0, 1 ]\n", "", 1) }, ErrFormat},
		{"var_count zero", func(s string) string { return strings.Replace(s, "var_count: 2", "var_count: 0", 1) }, ErrFormat},
		{"var_count huge", func(s string) string { return strings.Replace(s, "var_count: 2", "var_count: 99999999999", 1) }, ErrFormat},
		{"trees scalar", func(s string) string { return s[:strings.Index(s, "   trees:")] + "   trees: 3\n" }, ErrFormat},
		{"deep nesting", func(s string) string {
			return s + "   x: " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n"
		}, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadOpenCV(strings.NewReader(tt.edit(tinyModel)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := LoadOpenCVFile(filepath.Join("testdata", "does-not-exist.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestNewForestErrors(t *testing.T) {
	leaf := Node{Left: -1, Right: -1}
	tests := []struct {
		name  string
		vars  int
		trees []Tree
	}{
		{"no trees", 2, nil},
		{"empty tree", 2, []Tree{{}}},
		{"one child", 2, []Tree{{Nodes: []Node{{Left: 1, Right: -1}, leaf}}}},
		{"cycle", 2, []Tree{{Nodes: []Node{{Left: 0, Right: 1}, leaf}}}},
		{"unreachable", 2, []Tree{{Nodes: []Node{leaf, leaf}}}},
		{"bad var", 2, []Tree{{Nodes: []Node{{Var: 2, Left: 1, Right: 2}, leaf, leaf}}}},
		{"bad class", 2, []Tree{{Nodes: []Node{{Left: -1, Right: -1, ClassIdx: 2}}}}},
		{"zero vars", 0, []Tree{{Nodes: []Node{leaf}}}},
	}
	for _, tt := range tests {
		if _, err := NewForest(tt.vars, []float64{0, 1}, tt.trees); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v, want ErrFormat", tt.name, err)
		}
	}
}

func FuzzLoadOpenCV(f *testing.F) {
	f.Add([]byte(tinyModel))
	for _, fx := range fixtures {
		if fx.vars > 10 {
			continue // keep the corpus small
		}
		b, err := os.ReadFile(filepath.Join("testdata", "opencv", fx.name+".yaml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := LoadOpenCV(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		x := make([]float32, m.VarCount())
		v1, err := m.Votes(x)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.WriteOpenCV(&buf); err != nil {
			t.Fatal(err)
		}
		g, err := LoadOpenCV(&buf)
		if err != nil {
			t.Fatalf("re-reading written model: %v", err)
		}
		v2, _ := g.Votes(x)
		if !equalInt(v1, v2) {
			t.Fatalf("votes %v after round trip, %v before", v2, v1)
		}
	})
}
