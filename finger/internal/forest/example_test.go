package forest_test

import (
	"fmt"
	"strings"

	"github.com/biogate/biogate/finger/internal/forest"
)

// A one-tree, two-variable forest in the OpenCV FileStorage layout of
// NIST's model file.
const exampleModel = `%YAML:1.0
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
                  - { var:1, quality:1., le:5.0000000000000000e-01 }
            -
               depth: 1
               value: 0.
               norm_class_idx: 0
            -
               depth: 1
               value: 1.
               norm_class_idx: 1
`

func ExampleLoadOpenCV() {
	f, err := forest.LoadOpenCV(strings.NewReader(exampleModel))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, x := range [][]float64{{0, 0.5}, {0, 0.7}} {
		score, err := f.Score(x)
		fmt.Println(score, err)
	}
	fmt.Println(f.NumTrees(), f.ModelName(), f.IsNIST())
	// Output:
	// 0 <nil>
	// 100 <nil>
	// 1 opencv-rtrees false
}

func ExampleEmbedded() {
	m := forest.Embedded()
	fmt.Println(m.ModelName(), m.ModelVersion())
	features := make([]float64, forest.NumFeatures) // in forest.FeatureNames order
	score, err := m.Score(features)
	fmt.Println(score >= 0 && score <= 100, err)
	_, err = m.Score(features[:68])
	fmt.Println(err)
	// Output:
	// nfiq2-compatible 1.0.0
	// true <nil>
	// forest: wrong number of features: got 68, want 69
}

func ExampleScorer() {
	var scorers []forest.Scorer
	scorers = append(scorers, forest.Embedded())
	if f, err := forest.LoadOpenCV(strings.NewReader(exampleModel)); err == nil {
		scorers = append(scorers, f)
	}
	for _, s := range scorers {
		fmt.Println(s.ModelName())
	}
	// Output:
	// nfiq2-compatible
	// opencv-rtrees
}
