package facemesh

import (
	"math"
	"runtime"
	"sync"
	"testing"
)

// bits flattens a result to its float32 bit patterns.
func meshBits(r MeshResult) []uint32 {
	out := make([]uint32, 0, MeshPoints*3+1)
	for _, p := range r.Points {
		for _, v := range p {
			out = append(out, math.Float32bits(v))
		}
	}
	return append(out, math.Float32bits(r.Score))
}

func irisBits(r IrisResult) []uint32 {
	var out []uint32
	for _, p := range r.Contour {
		for _, v := range p {
			out = append(out, math.Float32bits(v))
		}
	}
	for _, p := range r.Iris {
		for _, v := range p {
			out = append(out, math.Float32bits(v))
		}
	}
	return out
}

func equalBits(a, b []uint32) bool {
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

// TestDeterminism runs both models repeatedly, concurrently, and under
// GOMAXPROCS 1 and 4, and requires the same output bits every time.
func TestDeterminism(t *testing.T) {
	mesh, err := LoadMesh()
	if err != nil {
		t.Fatal(err)
	}
	iris, err := LoadIris()
	if err != nil {
		t.Fatal(err)
	}
	meshIn := make([]float32, MeshInputSize*MeshInputSize*3)
	next := xorshift32(7)
	for i := range meshIn {
		meshIn[i] = float32(next())
	}
	irisIn := meshIn[:IrisInputSize*IrisInputSize*3]
	run := func() ([]uint32, []uint32) {
		m, err := mesh.Run(meshIn)
		if err != nil {
			t.Error(err)
		}
		r, err := iris.Run(irisIn)
		if err != nil {
			t.Error(err)
		}
		return meshBits(m), irisBits(r)
	}
	wantMesh, wantIris := run()
	workers, iters, procsList := 4, 2, []int{1, 4}
	if raceEnabled {
		// The race detector makes each run 10-50× slower; two concurrent
		// runs still exercise the shared graphs (internal/nn's
		// TestGraphConcurrent covers the pool with many goroutines).
		workers, iters, procsList = 2, 1, []int{4}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range procsList {
		runtime.GOMAXPROCS(procs)
		var wg sync.WaitGroup
		var mu sync.Mutex
		diffs := 0
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < iters; k++ {
					m, r := run()
					if !equalBits(m, wantMesh) || !equalBits(r, wantIris) {
						mu.Lock()
						diffs++
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		if diffs > 0 {
			t.Errorf("GOMAXPROCS=%d: %d of %d runs differ in their output bits", procs, diffs, workers*iters)
		}
	}
}

func TestRunInputErrors(t *testing.T) {
	mesh, err := LoadMesh()
	if err != nil {
		t.Fatal(err)
	}
	iris, err := LoadIris()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  func() error
	}{
		{"mesh empty", func() error { _, err := mesh.Run(nil); return err }},
		{"mesh iris-sized", func() error { _, err := mesh.Run(make([]float32, IrisInputSize*IrisInputSize*3)); return err }},
		{"iris mesh-sized", func() error { _, err := iris.Run(make([]float32, MeshInputSize*MeshInputSize*3)); return err }},
		{"iris one short", func() error { _, err := iris.Run(make([]float32, IrisInputSize*IrisInputSize*3-1)); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if _, ok := err.(*InputError); !ok {
				t.Fatalf("err = %v, want *InputError", err)
			}
		})
	}
}
