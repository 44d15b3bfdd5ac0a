//go:build !race

package pico_test

const raceEnabled = false
