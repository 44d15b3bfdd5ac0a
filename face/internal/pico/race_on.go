//go:build race

package pico

import (
	"runtime"
	"unsafe"
)

// raceEnabled reports whether the race detector is on.
const raceEnabled = true

// raceReadBytes tells the race detector that the calling goroutine read
// every element of s: [Window.Scan] declares its reads this way because
// the classifier's inner loop is not instrumented.
func raceReadBytes(s []uint8) {
	if len(s) > 0 {
		runtime.RaceReadRange(unsafe.Pointer(&s[0]), len(s))
	}
}

// raceReadInt8 is raceReadBytes for int8 elements.
func raceReadInt8(s []int8) {
	if len(s) > 0 {
		runtime.RaceReadRange(unsafe.Pointer(&s[0]), len(s))
	}
}

// raceReadFloat32 is raceReadBytes for float32 elements.
func raceReadFloat32(s []float32) {
	if len(s) > 0 {
		runtime.RaceReadRange(unsafe.Pointer(&s[0]), 4*len(s))
	}
}

// raceWriteInt32 tells the race detector that the calling goroutine wrote
// every element of s.
func raceWriteInt32(s []int32) {
	if len(s) > 0 {
		runtime.RaceWriteRange(unsafe.Pointer(&s[0]), 4*len(s))
	}
}
