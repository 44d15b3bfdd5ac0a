//go:build race

package pico

import (
	"sync"
	"testing"

	"github.com/biogate/biogate/face/internal/cascade"
	"github.com/biogate/biogate/internal/racetest"
)

// TestRaceDetectorSeesScan checks that Scan's declared accesses (its inner
// loop is not instrumented) still let the race detector report misuse: a
// child process scans with one Window from two goroutines at once (a
// Window is not safe for concurrent use) and must be stopped by the
// detector with a report of the range Scan declares.
func TestRaceDetectorSeesScan(t *testing.T) {
	if racetest.Child(t.Name()) {
		fc, err := ParseFace(cascade.FaceFinder)
		if err != nil {
			t.Fatal(err)
		}
		g := &Gray{W: 100, H: 100, Stride: 100, Pix: make([]uint8, 100*100)}
		var w Window
		fc.Prepare(&w, 40, 1, 0, g.Stride)
		// One scan first, alone: it prepares every tree the scans reach,
		// so the racing scans below only share what Scan declares (a
		// tree prepared by one goroutine while the other reads the old
		// offsets can fail on a bounds check before the detector has
		// printed its report).
		w.Scan(g, 30, 70, 30, 70, 2, func(int, int, float32) {})
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 20 {
					w.Scan(g, 30, 70, 30, 70, 2, func(int, int, float32) {})
				}
			}()
		}
		wg.Wait()
		return
	}
	racetest.ExpectRace(t, t.Name(), "racewriterange")
}
