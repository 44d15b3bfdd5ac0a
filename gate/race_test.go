//go:build race

package gate

// raceEnabled reports whether the race detector is on; the stress tests
// use smaller workloads under it.
const raceEnabled = true
