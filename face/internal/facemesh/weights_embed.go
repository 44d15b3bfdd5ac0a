//go:build !js

package facemesh

import "embed"

// Embedded reports whether this build holds the weights files. It is
// false under GOOS=js (the browser build, where they are fetched when
// first needed, through [SetSource]), true elsewhere.
const Embedded = true

//go:embed models/facemesh.bin models/iris.bin
var weightsFS embed.FS

// embedded returns the embedded copy of a weights file.
func embedded(name string) ([]byte, bool) {
	b, err := weightsFS.ReadFile("models/" + name)
	return b, err == nil
}
