//go:build race

package fpcheck

// raceEnabled is true under the race detector, where TestNoFusableProducts
// (a type-check of a dozen packages from source) is skipped.
const raceEnabled = true
