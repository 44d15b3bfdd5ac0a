//go:build js

package facemesh

// Embedded reports whether this build holds the weights files. It is
// false under GOOS=js (the browser build, where they are fetched when
// first needed, through [SetSource]), true elsewhere.
const Embedded = false

// embedded returns nothing: this build holds no weights.
func embedded(string) ([]byte, bool) { return nil, false }
