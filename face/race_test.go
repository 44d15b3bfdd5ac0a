//go:build race

package face

const raceEnabled = true
