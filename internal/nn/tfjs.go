package nn

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxElements bounds the size of any tensor a model may declare, so a
// corrupt shape cannot make the loader allocate without limit.
const maxElements = 1 << 26

// tfjsModel is the subset of a TensorFlow.js graph-model model.json this
// package reads.
type tfjsModel struct {
	Format        string `json:"format"`
	ModelTopology *struct {
		Node []tfNode `json:"node"`
	} `json:"modelTopology"`
	WeightsManifest []struct {
		Paths   []string       `json:"paths"`
		Weights []tfjsWeightEn `json:"weights"`
	} `json:"weightsManifest"`
}

type tfjsWeightEn struct {
	Name         string `json:"name"`
	Shape        []int  `json:"shape"`
	Dtype        string `json:"dtype"`
	Quantization *struct {
		Dtype string  `json:"dtype"`
		Min   float64 `json:"min"`
		Scale float64 `json:"scale"`
	} `json:"quantization"`
}

// tfNode is one node of the GraphDef in JSON form.
type tfNode struct {
	Name  string            `json:"name"`
	Op    string            `json:"op"`
	Input []string          `json:"input"`
	Attr  map[string]tfAttr `json:"attr"`
}

// tfAttr is an AttrValue; only the kinds this package needs are decoded.
type tfAttr struct {
	S    []byte      `json:"s"`
	I    json.Number `json:"i"`
	Type string      `json:"type"`
	List *struct {
		S [][]byte      `json:"s"`
		I []json.Number `json:"i"`
	} `json:"list"`
	Shape *struct {
		Dim []struct {
			Size json.Number `json:"size"`
		} `json:"dim"`
	} `json:"shape"`
}

// constant is a decoded weight.
type constant struct {
	shape []int
	f     []float32 // float32 weights (dequantised if quantised)
	i     []int     // int32 weights
}

// WeightsFunc returns the bytes of a weight shard named in the model's
// weightsManifest (a path relative to model.json).
type WeightsFunc func(path string) ([]byte, error)

// LoadTFJS builds a runnable graph from a TensorFlow.js graph model:
// modelJSON is model.json and weights returns each shard it names. opts may
// be nil. Errors are [*FormatError], [*UnsupportedError] or [*ShapeError].
func LoadTFJS(modelJSON []byte, weights WeightsFunc, opts *Options) (*Graph, error) {
	var m tfjsModel
	if err := json.Unmarshal(modelJSON, &m); err != nil {
		return nil, &FormatError{What: "model.json does not parse", Err: err}
	}
	if m.Format != "" && m.Format != "graph-model" {
		return nil, &UnsupportedError{What: fmt.Sprintf("model format %q (want graph-model)", m.Format)}
	}
	if m.ModelTopology == nil || len(m.ModelTopology.Node) == 0 {
		return nil, &FormatError{What: "model.json has no modelTopology nodes"}
	}
	consts, err := readWeights(&m, weights)
	if err != nil {
		return nil, err
	}
	return build(m.ModelTopology.Node, consts, opts)
}

// readWeights decodes every weight group of the manifest.
func readWeights(m *tfjsModel, weights WeightsFunc) (map[string]*constant, error) {
	consts := make(map[string]*constant)
	for gi, g := range m.WeightsManifest {
		var data []byte
		for _, p := range g.Paths {
			if weights == nil {
				return nil, &FormatError{What: "model has weight shards but no weights function was given"}
			}
			b, err := weights(p)
			if err != nil {
				return nil, &FormatError{What: fmt.Sprintf("weight shard %d of group %d", len(data), gi), Err: err}
			}
			data = append(data, b...)
		}
		off := 0
		for _, w := range g.Weights {
			n, err := elements(w.Shape)
			if err != nil {
				return nil, &ShapeError{Node: w.Name, What: "weight: " + err.Error()}
			}
			c := &constant{shape: append([]int(nil), w.Shape...)}
			size, dec, err := weightDecoder(w, n, c)
			if err != nil {
				return nil, err
			}
			if off+size > len(data) {
				return nil, &FormatError{What: fmt.Sprintf("weights truncated: %q needs bytes %d-%d of group %d, which has %d", w.Name, off, off+size, gi, len(data))}
			}
			dec(data[off : off+size])
			off += size
			if _, dup := consts[w.Name]; dup {
				return nil, &FormatError{What: fmt.Sprintf("weight %q listed twice", w.Name)}
			}
			consts[w.Name] = c
		}
		if off != len(data) {
			return nil, &FormatError{What: fmt.Sprintf("weight group %d has %d bytes, the manifest describes %d", gi, len(data), off)}
		}
	}
	return consts, nil
}

// weightDecoder returns a weight's byte size and a function that decodes
// its bytes into c.
func weightDecoder(w tfjsWeightEn, n int, c *constant) (int, func([]byte), error) {
	if w.Quantization != nil {
		if w.Dtype != "float32" {
			return 0, nil, &UnsupportedError{Node: w.Name, What: fmt.Sprintf("quantised weight of dtype %q", w.Dtype)}
		}
		q := w.Quantization
		switch q.Dtype {
		case "float16":
			return 2 * n, func(b []byte) {
				c.f = make([]float32, n)
				for i := range c.f {
					c.f[i] = halfToFloat(binary.LittleEndian.Uint16(b[2*i:]))
				}
			}, nil
		case "uint8":
			return n, func(b []byte) {
				c.f = make([]float32, n)
				for i := range c.f {
					c.f[i] = float32(float64(float64(b[i])*q.Scale) + q.Min)
				}
			}, nil
		case "uint16":
			return 2 * n, func(b []byte) {
				c.f = make([]float32, n)
				for i := range c.f {
					v := binary.LittleEndian.Uint16(b[2*i:])
					c.f[i] = float32(float64(float64(v)*q.Scale) + q.Min)
				}
			}, nil
		}
		return 0, nil, &UnsupportedError{Node: w.Name, What: fmt.Sprintf("quantisation dtype %q", q.Dtype)}
	}
	switch w.Dtype {
	case "float32":
		return 4 * n, func(b []byte) {
			c.f = make([]float32, n)
			for i := range c.f {
				c.f[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
			}
		}, nil
	case "int32":
		return 4 * n, func(b []byte) {
			c.i = make([]int, n)
			for i := range c.i {
				c.i[i] = int(int32(binary.LittleEndian.Uint32(b[4*i:])))
			}
		}, nil
	}
	return 0, nil, &UnsupportedError{Node: w.Name, What: fmt.Sprintf("weight dtype %q", w.Dtype)}
}

// halfToFloat converts an IEEE 754 binary16 value to float32 exactly.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	e := uint32(h>>10) & 0x1f
	m := uint32(h) & 0x3ff
	switch {
	case e == 0x1f: // Inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | m<<13)
	case e == 0:
		if m == 0 {
			return math.Float32frombits(sign)
		}
		// Subnormal: m × 2^-24, exact in float32.
		v := float32(m) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (e+127-15)<<23 | m<<13)
}

// elements returns the number of elements of a shape, rejecting negative
// dimensions and sizes beyond maxElements.
func elements(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in %v", shape)
		}
		if d > 0 && n > maxElements/d {
			return 0, fmt.Errorf("shape %v exceeds %d elements", shape, maxElements)
		}
		n *= d
	}
	return n, nil
}

// inputName splits a GraphDef input reference "node", "node:k" or "^node"
// (a control dependency).
func inputName(s string) (name string, index int, control bool, err error) {
	if strings.HasPrefix(s, "^") {
		return s[1:], 0, true, nil
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		k, err := strconv.Atoi(s[i+1:])
		if err != nil || k < 0 {
			return "", 0, false, fmt.Errorf("bad input reference %q", s)
		}
		return s[:i], k, false, nil
	}
	return s, 0, false, nil
}

// attrInts returns an integer-list attribute.
func (n *tfNode) attrInts(key string) ([]int, bool, error) {
	a, ok := n.Attr[key]
	if !ok || a.List == nil {
		return nil, ok, nil
	}
	out := make([]int, len(a.List.I))
	for i, s := range a.List.I {
		v, err := strconv.Atoi(string(s))
		if err != nil {
			return nil, true, &FormatError{What: fmt.Sprintf("node %q attribute %s: %q is not an integer", n.Name, key, s)}
		}
		out[i] = v
	}
	return out, true, nil
}

// attrString returns a string attribute ("" when absent).
func (n *tfNode) attrString(key string) string {
	return string(n.Attr[key].S)
}

// attrStrings returns a string-list attribute.
func (n *tfNode) attrStrings(key string) []string {
	a := n.Attr[key]
	if a.List == nil {
		return nil
	}
	out := make([]string, len(a.List.S))
	for i, s := range a.List.S {
		out[i] = string(s)
	}
	return out
}
