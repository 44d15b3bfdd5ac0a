//go:build race

package forest

// raceEnabled is true under the race detector, which makes the corpus-wide
// tests run on a fixed subset (the full runs happen without -race in .ci/run).
const raceEnabled = true
