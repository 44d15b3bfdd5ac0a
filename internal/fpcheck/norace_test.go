//go:build !race

package fpcheck

const raceEnabled = false
