//go:build !race

package nfiq2

const raceEnabled = false
