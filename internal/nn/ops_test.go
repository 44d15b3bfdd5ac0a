package nn

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/readme"
)

// ops.json comes from face/internal/facemesh/testdata/gen/gen.mjs
// (TensorFlow.js CPU backend); regenerate with
// scripts/gen-facemesh-fixtures.sh. Its inputs are given as xorshift32
// seeds and ranges, rebuilt here.

type opsFile struct {
	TFJS  string   `json:"tfjs"`
	Cases []opCase `json:"cases"`
}

type opTensor struct {
	Shape []int     `json:"shape"`
	Seed  uint32    `json:"seed"`
	Lo    float64   `json:"lo"`
	Hi    float64   `json:"hi"`
	Data  []float64 `json:"data"`
}

type opCase struct {
	Name       string               `json:"name"`
	Op         string               `json:"op"`
	Stride     int                  `json:"stride"`
	Ksize      int                  `json:"ksize"`
	Pad        string               `json:"pad"`
	Activation string               `json:"activation"`
	Paddings   [][2]int             `json:"paddings"`
	Inputs     map[string]*opTensor `json:"inputs"`
	Output     opTensor             `json:"output"`
}

// xorshift32 is gen.mjs's generator: values (s>>8)/2^24 in [0, 1).
func xorshift32(seed uint32) func() float64 {
	s := seed
	return func() float64 {
		s ^= s << 13
		s ^= s >> 17
		s ^= s << 5
		return float64(s>>8) / (1 << 24)
	}
}

func (t *opTensor) build() []float32 {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	next := xorshift32(t.Seed)
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(t.Lo + float64((t.Hi-t.Lo)*next()))
	}
	return out
}

func loadOps(t *testing.T) opsFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ops.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f opsFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 10 {
		t.Fatalf("ops.json has %d cases", len(f.Cases))
	}
	return f
}

func padding(t *testing.T, s string) Padding {
	switch s {
	case "same":
		return Same
	case "valid":
		return Valid
	}
	t.Fatalf("padding %q", s)
	return 0
}

// runOp evaluates one fixture case with this package's kernels.
func runOp(t *testing.T, c *opCase) ([]float32, []int) {
	in := map[string][]float32{}
	for k, v := range c.Inputs {
		in[k] = v.build()
	}
	x := c.Inputs["x"]
	switch c.Op {
	case "conv", "depthwise":
		f := c.Inputs["filter"].Shape
		co := f[3]
		if c.Op == "depthwise" {
			co = x.Shape[3]
		}
		g, ok := newWindow(x.Shape[1], x.Shape[2], x.Shape[3], f[0], f[1], co, c.Stride, c.Stride, padding(t, c.Pad))
		if !ok {
			t.Fatal("window does not fit")
		}
		y := make([]float32, g.outH*g.outW*co)
		if c.Op == "depthwise" {
			depthwise(y, in["x"], in["filter"], &g)
		} else {
			act := map[string]activation{"linear": actNone, "relu": actRelu, "prelu": actPrelu}[c.Activation]
			conv2d(y, in["x"], in["filter"], in["bias"], &g, act, in["alpha"])
		}
		return y, []int{1, g.outH, g.outW, co}
	case "maxpool":
		g, ok := newWindow(x.Shape[1], x.Shape[2], x.Shape[3], c.Ksize, c.Ksize, x.Shape[3], c.Stride, c.Stride, padding(t, c.Pad))
		if !ok {
			t.Fatal("window does not fit")
		}
		y := make([]float32, g.outH*g.outW*x.Shape[3])
		maxPool(y, in["x"], &g)
		return y, []int{1, g.outH, g.outW, x.Shape[3]}
	case "prelu":
		y := make([]float32, len(in["x"]))
		prelu(y, in["x"], in["alpha"])
		return y, x.Shape
	case "sigmoid":
		y := make([]float32, len(in["x"]))
		sigmoid(y, in["x"])
		return y, x.Shape
	case "add":
		y := make([]float32, len(in["x"]))
		add(y, in["x"], in["y"])
		return y, x.Shape
	case "pad":
		var pads [4][2]int
		shape := make([]int, 4)
		for d := range pads {
			pads[d] = c.Paddings[d]
			shape[d] = x.Shape[d] + pads[d][0] + pads[d][1]
		}
		y := make([]float32, shape[0]*shape[1]*shape[2]*shape[3])
		pad4(y, in["x"], [4]int(x.Shape), pads)
		return y, shape
	}
	t.Fatalf("unknown op %q", c.Op)
	return nil, nil
}

// TestOpsAgainstTFJS compares each kernel with TensorFlow.js's CPU kernels
// on small pseudo-random tensors. Products are rounded to float32 before
// each addition here (no FMA), while TF.js rounds a*b+c once, so results
// may differ by a few float32 ulps.
func TestOpsAgainstTFJS(t *testing.T) {
	f := loadOps(t)
	worst := 0.0
	for i := range f.Cases {
		c := &f.Cases[i]
		t.Run(c.Name, func(t *testing.T) {
			got, shape := runOp(t, c)
			if len(shape) != len(c.Output.Shape) {
				t.Fatalf("shape %v, want %v", shape, c.Output.Shape)
			}
			for d := range shape {
				if shape[d] != c.Output.Shape[d] {
					t.Fatalf("shape %v, want %v", shape, c.Output.Shape)
				}
			}
			want := c.Output.Data
			if len(got) != len(want) {
				t.Fatalf("%d values, want %d", len(got), len(want))
			}
			maxd := 0.0
			for j := range got {
				d := math.Abs(float64(got[j]) - want[j])
				tol := 1e-6 * math.Max(1, math.Abs(want[j]))
				if d > tol || math.IsNaN(float64(got[j])) {
					t.Fatalf("value %d = %v, want %v (|Δ| %.3g > %.3g)", j, got[j], want[j], d, tol)
				}
				maxd = math.Max(maxd, d)
			}
			t.Logf("%s: %d values, max |Δ| %.3g", c.Op, len(got), maxd)
			worst = math.Max(worst, maxd)
		})
	}
	if !t.Failed() {
		readme.Require(t, fmt.Sprintf("each operation within %s", readme.Sci(worst)))
	}
}

func TestHalfToFloat(t *testing.T) {
	tests := []struct {
		h    uint16
		want float32
	}{
		{0x0000, 0},
		{0x3c00, 1},
		{0xc000, -2},
		{0x3555, 0.333251953125},
		{0x7bff, 65504},
		{0x0001, 5.960464477539063e-08}, // smallest subnormal
		{0x03ff, 6.097555160522461e-05}, // largest subnormal
		{0x0400, 6.103515625e-05},       // smallest normal
		{0x7c00, float32(math.Inf(1))},
		{0xfc00, float32(math.Inf(-1))},
	}
	for _, tc := range tests {
		if got := halfToFloat(tc.h); got != tc.want {
			t.Errorf("halfToFloat(%#04x) = %v, want %v", tc.h, got, tc.want)
		}
	}
	if v := halfToFloat(0x7e00); !math.IsNaN(float64(v)) {
		t.Errorf("halfToFloat(NaN) = %v", v)
	}
}

func TestExp(t *testing.T) {
	for x := -700.0; x < 700; x += 0.37 {
		got, want := exp(x), math.Exp(x)
		if math.Abs(got-want) > 4e-16*want {
			t.Fatalf("exp(%v) = %v, want %v", x, got, want)
		}
	}
	if exp(1000) != math.Inf(1) || exp(-1000) != 0 || !math.IsNaN(exp(math.NaN())) {
		t.Error("exp: wrong special values")
	}
}

func TestOutSize(t *testing.T) {
	tests := []struct {
		in, k, s    int
		p           Padding
		out, before int
		ok          bool
	}{
		{192, 3, 2, Same, 96, 0, true},
		{96, 3, 1, Same, 96, 1, true},
		{7, 3, 2, Same, 4, 1, true},
		{8, 2, 2, Valid, 4, 0, true},
		{6, 3, 3, Valid, 2, 0, true},
		{2, 3, 1, Valid, 0, 0, false},
		{0, 1, 1, Same, 0, 0, false},
	}
	for _, tc := range tests {
		out, before, ok := outSize(tc.in, tc.k, tc.s, tc.p)
		if out != tc.out || before != tc.before || ok != tc.ok {
			t.Errorf("outSize(%d,%d,%d,%v) = %d,%d,%v, want %d,%d,%v", tc.in, tc.k, tc.s, tc.p, out, before, ok, tc.out, tc.before, tc.ok)
		}
	}
}
