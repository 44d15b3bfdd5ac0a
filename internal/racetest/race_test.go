//go:build race

package racetest

import (
	"sync"
	"testing"
)

// TestExpectRaceSeesPlainRace runs an ordinary data race (two goroutines
// incrementing one counter) in a child and expects the report.
func TestExpectRaceSeesPlainRace(t *testing.T) {
	if Child(t.Name()) {
		var n int
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 100 {
					n++
				}
			}()
		}
		wg.Wait()
		_ = n
		return
	}
	ExpectRace(t, t.Name())
}
