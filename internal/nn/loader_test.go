package nn

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// tinyModel is a small graph in the TF.js graph-model format:
// input [1 4 4 2] → _FusedConv2D 3×3 SAME (bias, Prelu) to 3 channels →
// MaxPool 2×2 → Reshape [-1 12] → Identity.
type tinyModel struct {
	nodes   []map[string]any
	weights []map[string]any
	data    []byte
}

func attrInts(v ...int) map[string]any {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = json.Number(string(rune('0' + x))).String()
	}
	return map[string]any{"list": map[string]any{"i": s}}
}

func attrStr(s string) map[string]any { return map[string]any{"s": []byte(s)} }

func newTiny() *tinyModel {
	m := &tinyModel{}
	m.nodes = []map[string]any{
		{"name": "input", "op": "Placeholder", "attr": map[string]any{
			"dtype": map[string]any{"type": "DT_FLOAT"},
			"shape": map[string]any{"shape": map[string]any{"dim": []any{
				map[string]any{"size": "-1"}, map[string]any{"size": "4"}, map[string]any{"size": "4"}, map[string]any{"size": "2"}}}},
		}},
		{"name": "w", "op": "Const"},
		{"name": "b", "op": "Const"},
		{"name": "a", "op": "Const"},
		{"name": "shape", "op": "Const"},
		{"name": "conv", "op": "_FusedConv2D", "input": []string{"input", "w", "b", "a"}, "attr": map[string]any{
			"T": map[string]any{"type": "DT_FLOAT"}, "strides": attrInts(1, 1, 1, 1), "padding": attrStr("SAME"),
			"data_format": attrStr("NHWC"), "dilations": attrInts(1, 1, 1, 1),
			"fused_ops": map[string]any{"list": map[string]any{"s": [][]byte{[]byte("BiasAdd"), []byte("Prelu")}}},
		}},
		{"name": "pool", "op": "MaxPool", "input": []string{"conv"}, "attr": map[string]any{
			"ksize": attrInts(1, 2, 2, 1), "strides": attrInts(1, 2, 2, 1), "padding": attrStr("VALID")}},
		{"name": "flat", "op": "Reshape", "input": []string{"pool", "shape"}},
		{"name": "out", "op": "Identity", "input": []string{"flat"}},
	}
	add := func(name string, shape []int, dtype string, vals []float64) {
		m.weights = append(m.weights, map[string]any{"name": name, "shape": shape, "dtype": dtype})
		for _, v := range vals {
			if dtype == "int32" {
				m.data = binary.LittleEndian.AppendUint32(m.data, uint32(int32(v)))
			} else {
				m.data = binary.LittleEndian.AppendUint32(m.data, math.Float32bits(float32(v)))
			}
		}
	}
	w := make([]float64, 3*3*2*3)
	for i := range w {
		w[i] = float64(i%7)/7 - 0.4
	}
	add("w", []int{3, 3, 2, 3}, "float32", w)
	add("b", []int{3}, "float32", []float64{0.1, -0.2, 0.05})
	add("a", []int{1, 1, 3}, "float32", []float64{0.25, 0.5, -0.1})
	add("shape", []int{2}, "int32", []float64{-1, 12})
	return m
}

func (m *tinyModel) json() []byte {
	b, err := json.Marshal(map[string]any{
		"format":          "graph-model",
		"modelTopology":   map[string]any{"node": m.nodes},
		"weightsManifest": []any{map[string]any{"paths": []string{"w.bin"}, "weights": m.weights}},
	})
	if err != nil {
		panic(err)
	}
	return b
}

func (m *tinyModel) load(opts *Options) (*Graph, error) {
	return LoadTFJS(m.json(), func(p string) ([]byte, error) {
		if p != "w.bin" {
			return nil, errors.New("no such shard")
		}
		return m.data, nil
	}, opts)
}

func tinyInput() []float32 {
	x := make([]float32, 4*4*2)
	for i := range x {
		x[i] = float32(i%5)/5 - 0.3
	}
	return x
}

// reference computes the tiny model directly from its definition, in
// float64, as an independent check of the loader's wiring.
func tinyReference(m *tinyModel) []float64 {
	in := tinyInput()
	f := func(off, i int) float64 {
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(m.data[4*(off+i):])))
	}
	conv := make([]float64, 4*4*3)
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			for o := 0; o < 3; o++ {
				s := 0.0
				for ky := 0; ky < 3; ky++ {
					for kx := 0; kx < 3; kx++ {
						iy, ix := y-1+ky, x-1+kx
						if iy < 0 || iy >= 4 || ix < 0 || ix >= 4 {
							continue
						}
						for c := 0; c < 2; c++ {
							s += float64(in[(iy*4+ix)*2+c]) * f(0, ((ky*3+kx)*2+c)*3+o)
						}
					}
				}
				s += f(54, o)
				if s < 0 {
					s *= f(57, o)
				}
				conv[(y*4+x)*3+o] = s
			}
		}
	}
	out := make([]float64, 12)
	for y := 0; y < 2; y++ {
		for x := 0; x < 2; x++ {
			for o := 0; o < 3; o++ {
				v := math.Inf(-1)
				for dy := 0; dy < 2; dy++ {
					for dx := 0; dx < 2; dx++ {
						v = math.Max(v, conv[((2*y+dy)*4+2*x+dx)*3+o])
					}
				}
				out[(y*2+x)*3+o] = v
			}
		}
	}
	return out
}

func TestLoadTFJSRuns(t *testing.T) {
	m := newTiny()
	g, err := m.load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.OutputNames(); len(got) != 1 || got[0] != "out" {
		t.Fatalf("outputs %v", got)
	}
	if s := g.OutputShape(0); len(s) != 2 || s[0] != 1 || s[1] != 12 {
		t.Fatalf("output shape %v", s)
	}
	out, err := g.Run(tinyInput())
	if err != nil {
		t.Fatal(err)
	}
	want := tinyReference(m)
	for i, v := range out[0] {
		if math.Abs(float64(v)-want[i]) > 1e-6 {
			t.Errorf("out[%d] = %v, want %v", i, v, want[i])
		}
	}
	// An inner node as output.
	g2, err := m.load(&Options{Outputs: []string{"conv"}})
	if err != nil {
		t.Fatal(err)
	}
	if s := g2.OutputShape(0); len(s) != 4 || s[3] != 3 || s[1] != 4 {
		t.Fatalf("conv output shape %v", s)
	}
	// 4×4 outputs × 3 channels × 3×3 taps × 2 input channels.
	if got := g.MultiplyAdds(); got != 4*4*3*9*2 {
		t.Errorf("MultiplyAdds = %d, want %d", got, 4*4*3*9*2)
	}
	// Scratch: conv (48 values) and pool (12); the reshape and identity
	// share pool's buffer.
	if got := g.ScratchBytes(); got != (48+12)*4 {
		t.Errorf("ScratchBytes = %d, want %d", got, (48+12)*4)
	}
	if _, err := g.Run(make([]float32, 5)); !errors.As(err, new(*ShapeError)) {
		t.Errorf("short input: err = %v, want *ShapeError", err)
	}
}

func TestLoadTFJSQuantised(t *testing.T) {
	m := newTiny()
	// Re-store the bias as uint8 with scale/min and as float16.
	m.weights[1]["quantization"] = map[string]any{"dtype": "uint8", "min": -0.2, "scale": 0.1, "original_dtype": "float32"}
	biasOff := 54 * 4
	rest := append([]byte{}, m.data[biasOff+12:]...)
	m.data = append(append(m.data[:biasOff:biasOff], 3, 0, 2), rest...) // 0.1, -0.2, 0.0
	m.weights[2]["quantization"] = map[string]any{"dtype": "float16", "original_dtype": "float32"}
	aOff := biasOff + 3
	rest = append([]byte{}, m.data[aOff+12:]...)
	m.data = append(append(m.data[:aOff:aOff], 0x00, 0x34, 0x00, 0x38, 0x66, 0xae), rest...) // 0.25, 0.5, -0.1
	g, err := m.load(nil)
	if err != nil {
		t.Fatal(err)
	}
	var conv *node
	for i := range g.nodes {
		if g.nodes[i].op == opConv {
			conv = &g.nodes[i]
		}
	}
	wantBias := []float32{float32(0.1), -0.2, 0}
	wantAlpha := []float32{0.25, 0.5, -0.0999755859375}
	for i := range wantBias {
		if math.Abs(float64(conv.bias[i]-wantBias[i])) > 1e-7 || conv.alpha[i] != wantAlpha[i] {
			t.Fatalf("bias %v alpha %v, want %v %v", conv.bias, conv.alpha, wantBias, wantAlpha)
		}
	}
}

// TestLoadTFJSErrors checks that corrupt or unsupported models give the
// right typed error and never panic.
func TestLoadTFJSErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(m *tinyModel) []byte // returns model.json; nil means m.json()
		want   any
	}{
		{"truncated weights", func(m *tinyModel) []byte { m.data = m.data[:len(m.data)-5]; return nil }, new(*FormatError)},
		{"extra weight bytes", func(m *tinyModel) []byte { m.data = append(m.data, 0, 0, 0, 0); return nil }, new(*FormatError)},
		{"empty weights", func(m *tinyModel) []byte { m.data = nil; return nil }, new(*FormatError)},
		{"not json", func(m *tinyModel) []byte { return []byte(`{"format": "graph-model", "modelTopology": {`) }, new(*FormatError)},
		{"no nodes", func(m *tinyModel) []byte { return []byte(`{"format":"graph-model","modelTopology":{"node":[]}}`) }, new(*FormatError)},
		{"layers model", func(m *tinyModel) []byte {
			return []byte(strings.Replace(string(m.json()), `"graph-model"`, `"layers-model"`, 1))
		}, new(*UnsupportedError)},
		{"unknown op", func(m *tinyModel) []byte { m.nodes[6]["op"] = "AvgPool"; return nil }, new(*UnsupportedError)},
		{"unknown fused op", func(m *tinyModel) []byte {
			m.nodes[5]["attr"].(map[string]any)["fused_ops"] = map[string]any{"list": map[string]any{"s": [][]byte{[]byte("BiasAdd"), []byte("Elu")}}}
			return nil
		}, new(*UnsupportedError)},
		{"dilated conv", func(m *tinyModel) []byte {
			m.nodes[5]["attr"].(map[string]any)["dilations"] = attrInts(1, 2, 2, 1)
			return nil
		}, new(*UnsupportedError)},
		{"NCHW", func(m *tinyModel) []byte {
			m.nodes[5]["attr"].(map[string]any)["data_format"] = attrStr("NCHW")
			return nil
		}, new(*UnsupportedError)},
		{"unknown dtype", func(m *tinyModel) []byte { m.weights[0]["dtype"] = "complex64"; return nil }, new(*UnsupportedError)},
		{"unknown quantisation", func(m *tinyModel) []byte {
			m.weights[0]["quantization"] = map[string]any{"dtype": "int4"}
			return nil
		}, new(*UnsupportedError)},
		{"int input type", func(m *tinyModel) []byte {
			m.nodes[0]["attr"].(map[string]any)["dtype"] = map[string]any{"type": "DT_INT32"}
			return nil
		}, new(*UnsupportedError)},
		{"filter channels mismatch", func(m *tinyModel) []byte {
			m.weights[0]["shape"] = []int{3, 3, 3, 2}
			return nil
		}, new(*ShapeError)},
		{"bias size mismatch", func(m *tinyModel) []byte {
			m.weights[0]["shape"] = []int{3, 2, 3, 3}
			return nil
		}, new(*ShapeError)},
		{"negative dimension", func(m *tinyModel) []byte { m.weights[1]["shape"] = []int{-3}; return nil }, new(*ShapeError)},
		{"huge shape", func(m *tinyModel) []byte { m.weights[1]["shape"] = []int{1 << 20, 1 << 20}; return nil }, new(*ShapeError)},
		{"bad reshape", func(m *tinyModel) []byte {
			m.data[len(m.data)-4] = 5 // target [-1 5] does not divide 12
			return nil
		}, new(*ShapeError)},
		{"window too large", func(m *tinyModel) []byte {
			m.nodes[6]["attr"].(map[string]any)["ksize"] = attrInts(1, 5, 5, 1)
			return nil
		}, new(*ShapeError)},
		{"missing input node", func(m *tinyModel) []byte { m.nodes[6]["input"] = []string{"nowhere"}; return nil }, new(*FormatError)},
		{"missing const weight", func(m *tinyModel) []byte { m.weights[2]["name"] = "a2"; return nil }, new(*FormatError)},
		{"cycle", func(m *tinyModel) []byte { m.nodes[6]["input"] = []string{"flat"}; return nil }, new(*FormatError)},
		{"second output index", func(m *tinyModel) []byte { m.nodes[6]["input"] = []string{"conv:1"}; return nil }, new(*UnsupportedError)},
		{"duplicate node", func(m *tinyModel) []byte { m.nodes[2]["name"] = "w"; return nil }, new(*FormatError)},
		{"wrong input count", func(m *tinyModel) []byte { m.nodes[6]["input"] = []string{"conv", "conv"}; return nil }, new(*FormatError)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newTiny()
			js := tc.mutate(m)
			if js == nil {
				js = m.json()
			}
			g, err := LoadTFJS(js, func(string) ([]byte, error) { return m.data, nil }, nil)
			if err == nil {
				t.Fatalf("loaded (%d nodes), want an error", len(g.nodes))
			}
			switch want := tc.want.(type) {
			case **FormatError:
				if !errors.As(err, want) {
					t.Fatalf("err = %T %v, want *FormatError", err, err)
				}
			case **UnsupportedError:
				if !errors.As(err, want) {
					t.Fatalf("err = %T %v, want *UnsupportedError", err, err)
				}
			case **ShapeError:
				if !errors.As(err, want) {
					t.Fatalf("err = %T %v, want *ShapeError", err, err)
				}
			}
			if err.Error() == "" {
				t.Error("empty message")
			}
		})
	}
	// A failing shard reader.
	m := newTiny()
	_, err := LoadTFJS(m.json(), func(string) ([]byte, error) { return nil, errors.New("gone") }, nil)
	if !errors.As(err, new(*FormatError)) {
		t.Errorf("shard error: %v", err)
	}
}

// FuzzLoadTFJS checks that no model.json makes the loader or a run panic.
func FuzzLoadTFJS(f *testing.F) {
	m := newTiny()
	f.Add(m.json())
	f.Add([]byte(`{"modelTopology":{"node":[{"name":"x","op":"Placeholder"}]}}`))
	f.Fuzz(func(t *testing.T, js []byte) {
		g, err := LoadTFJS(js, func(string) ([]byte, error) { return m.data, nil }, nil)
		if err != nil {
			return
		}
		in := g.InputShape()
		n := 1
		for _, d := range in {
			n *= d
		}
		if n <= 1<<16 {
			_, _ = g.Run(make([]float32, n))
		}
	})
}

// TestGraphConcurrent runs one graph from many goroutines (each call takes
// its own pooled scratch) and requires identical outputs.
func TestGraphConcurrent(t *testing.T) {
	g, err := newTiny().load(&Options{Outputs: []string{"out", "conv"}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := g.Run(tinyInput())
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 16)
	for w := 0; w < 16; w++ {
		go func() {
			for k := 0; k < 50; k++ {
				got, err := g.Run(tinyInput())
				if err != nil {
					errs <- err
					return
				}
				for o := range want {
					for i := range want[o] {
						if math.Float32bits(got[o][i]) != math.Float32bits(want[o][i]) {
							errs <- errors.New("outputs differ between concurrent runs")
							return
						}
					}
				}
			}
			errs <- nil
		}()
	}
	for w := 0; w < 16; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadTFJSInputShape(t *testing.T) {
	m := newTiny()
	g, err := m.load(&Options{InputShape: []int{-1, 8, 8, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if s := g.InputShape(); s[0] != 1 || s[1] != 8 {
		t.Errorf("input shape %v, want [1 8 8 2]", s)
	}
	// 8×8 → pool 4×4×3 = 48 values → reshape [-1 12] = [4 12].
	if s := g.OutputShape(0); len(s) != 2 || s[0] != 4 || s[1] != 12 {
		t.Errorf("output shape %v, want [4 12]", s)
	}
	if _, err := g.Run(make([]float32, 8*8*2)); err != nil {
		t.Error(err)
	}
	// 6×6 → 27 values, which [-1 12] cannot hold.
	if _, err := m.load(&Options{InputShape: []int{1, 6, 6, 2}}); !errors.As(err, new(*ShapeError)) {
		t.Errorf("6×6 input: err = %v, want *ShapeError", err)
	}
	if _, err := m.load(&Options{InputShape: []int{1, 0, 6, 2}}); !errors.As(err, new(*ShapeError)) {
		t.Errorf("empty input: err = %v, want *ShapeError", err)
	}
}
