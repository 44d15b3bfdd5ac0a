//go:build !js

package cascade

import "embed"

// Embedded reports whether this build holds the [FullMode] cascades: false
// under GOOS=js (the browser build), true elsewhere.
const Embedded = true

//go:embed lp93 lp84 lp82 lp81
var fullFS embed.FS

// Full returns the embedded bytes of a [FullMode] cascade; ok is false in
// a build without them, or for another name.
func Full(name string) (b []byte, ok bool) {
	b, err := fullFS.ReadFile(name)
	return b, err == nil
}
