//go:build js

package cascade

// Embedded reports whether this build holds the [FullMode] cascades: false
// under GOOS=js (the browser build), true elsewhere.
const Embedded = false

// Full returns the embedded bytes of a [FullMode] cascade; ok is false in
// a build without them, or for another name.
func Full(string) (b []byte, ok bool) { return nil, false }
