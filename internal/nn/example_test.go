package nn_test

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/biogate/biogate/internal/nn"
)

// A TF.js graph model with one weight: y = prelu(x, alpha) on a 1×2×2×1
// input.
func ExampleLoadTFJS() {
	model := []byte(`{
	  "format": "graph-model",
	  "modelTopology": {"node": [
	    {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
	      "shape": {"shape": {"dim": [{"size": "-1"}, {"size": "2"}, {"size": "2"}, {"size": "1"}]}}}},
	    {"name": "alpha", "op": "Const"},
	    {"name": "y", "op": "Prelu", "input": ["x", "alpha"]}
	  ]},
	  "weightsManifest": [{"paths": ["weights.bin"],
	    "weights": [{"name": "alpha", "shape": [1], "dtype": "float32"}]}]
	}`)
	weights := binary.LittleEndian.AppendUint32(nil, math.Float32bits(0.25))
	g, err := nn.LoadTFJS(model, func(path string) ([]byte, error) { return weights, nil }, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := g.Run([]float32{1, -2, 3, -4})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.InputShape(), g.OutputNames(), out[0])

	// An operation the package does not implement is refused at load time.
	_, err = nn.LoadTFJS([]byte(`{"modelTopology": {"node": [
	    {"name": "x", "op": "Placeholder", "attr": {"shape": {"shape": {"dim": [{"size": "4"}]}}}},
	    {"name": "y", "op": "Softmax", "input": ["x"]}]}}`), nil, nil)
	fmt.Println(err)
	// Output:
	// [1 2 2 1] [y] [1 -0.5 3 -1]
	// nn: node "y" (Softmax): unsupported operation
}
