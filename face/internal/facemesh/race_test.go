//go:build race

package facemesh

const raceEnabled = true
