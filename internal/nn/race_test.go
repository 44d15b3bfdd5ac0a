//go:build race

package nn

import (
	"sync"
	"testing"

	"github.com/biogate/biogate/internal/racetest"
)

// TestRaceDetectorSeesKernelInputs checks that the kernels' declared
// accesses (the kernels are not instrumented: see raceRead) still let the
// race detector report a buffer shared between goroutines: a child process
// runs a graph on an input that another goroutine writes meanwhile, and must
// be stopped by the detector with a report naming Graph.Run.
func TestRaceDetectorSeesKernelInputs(t *testing.T) {
	if racetest.Child(t.Name()) {
		g, err := newTiny().load(nil)
		if err != nil {
			t.Fatal(err)
		}
		in := tinyInput()
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 200; k++ {
				in[k%len(in)] = float32(k)
			}
		}()
		for k := 0; k < 200; k++ {
			if _, err := g.Run(in); err != nil {
				t.Error(err)
			}
		}
		wg.Wait()
		return
	}
	racetest.ExpectRace(t, t.Name(), "(*Graph).Run")
}
