//go:build race

package nfiq2

// raceEnabled is true when the race detector is on; the corpus test then
// checks a fixed third of the images to stay within CI's time budget.
const raceEnabled = true
