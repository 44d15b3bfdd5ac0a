//go:build !race

package pico

// raceEnabled reports whether the race detector is on.
const raceEnabled = false

func raceReadBytes([]uint8)     {}
func raceReadInt8([]int8)       {}
func raceReadFloat32([]float32) {}
func raceWriteInt32([]int32)    {}
