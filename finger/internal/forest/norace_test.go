//go:build !race

package forest

const raceEnabled = false
