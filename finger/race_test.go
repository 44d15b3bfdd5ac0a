//go:build race

package finger

// raceEnabled is true under the race detector, where the corpus tests
// check a subset.
const raceEnabled = true
