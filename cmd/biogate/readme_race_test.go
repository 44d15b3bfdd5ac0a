//go:build race

package main

// readmeRace reports whether the race detector is on: the README figure
// tests that assess whole folders run in the pass without it.
const readmeRace = true
