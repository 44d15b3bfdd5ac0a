//go:build !race

package main

// serveRace reports whether the race detector is on: the serve tests then
// check a fixed subset of the corpus.
const serveRace = false
