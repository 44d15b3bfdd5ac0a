//go:build !race

package minutiae

const raceEnabled = false
