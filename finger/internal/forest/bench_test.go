package forest

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

func BenchmarkScore(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 9))
	x := make([]float64, NumFeatures)
	for i := range x {
		x[i] = float64(rng.IntN(11)-5) / 2
	}
	b.Run("embedded-69", func(b *testing.B) {
		m := Embedded()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.Score(x); err != nil {
				b.Fatal(err)
			}
		}
	})
	fx, err := LoadOpenCVFile(filepath.Join("testdata", "opencv", "nfiq69.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("opencv-69x%d", fx.NumTrees()), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := fx.Score(x); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A forest of NIST's order of size: 100 trees of depth up to 14.
	big, err := NewForest(NumFeatures, []float64{0, 1}, randomForest(rng, NumFeatures, 100, 14, []float64{0, 1}))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("opencv-69x100-depth14", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := big.Score(x); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkLoadOpenCV(b *testing.B) {
	path := filepath.Join("testdata", "opencv", "nfiq69.yaml")
	b.Run("nfiq69-56KiB", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := LoadOpenCVFile(path); err != nil {
				b.Fatal(err)
			}
		}
	})
}
