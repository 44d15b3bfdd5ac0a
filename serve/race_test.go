//go:build race

package serve

// raceEnabled reports whether the race detector is on; the load and
// corpus tests use smaller workloads under it.
const raceEnabled = true
