//go:build race

package synth_test

// raceEnabled is true when the race detector is on; the slowest tests then
// run a smaller but still asserting subset (the assessors they call are ten
// times slower under -race).
const raceEnabled = true
