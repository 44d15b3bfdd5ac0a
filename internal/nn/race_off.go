//go:build !race

package nn

// raceEnabled reports whether the race detector is on.
const raceEnabled = false

// raceRead declares a kernel's read of s to the race detector; without the
// detector it does nothing (see race_on.go).
func raceRead([]float32) {}

// raceWrite declares a kernel's write of s to the race detector; without
// the detector it does nothing (see race_on.go).
func raceWrite([]float32) {}
