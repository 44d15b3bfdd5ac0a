//go:build race

package nn

import (
	"runtime"
	"unsafe"
)

// raceEnabled reports whether the race detector is on.
const raceEnabled = true

// raceRead tells the race detector that the calling goroutine read every
// element of s. The kernels are marked //go:norace (the detector's
// per-element instrumentation of their inner loops made a face mesh about
// 19× slower and Iris 34× slower); Graph.Run declares each kernel's whole
// input and output ranges instead, so a buffer shared by two goroutines is
// still reported, as it would be if the loops were instrumented.
func raceRead(s []float32) {
	if len(s) > 0 {
		runtime.RaceReadRange(unsafe.Pointer(&s[0]), len(s)*4)
	}
}

// raceWrite tells the race detector that the calling goroutine wrote every
// element of s (see raceRead).
func raceWrite(s []float32) {
	if len(s) > 0 {
		runtime.RaceWriteRange(unsafe.Pointer(&s[0]), len(s)*4)
	}
}
