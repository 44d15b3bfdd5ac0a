package modelfile

import (
	"crypto/sha256"
	"encoding/hex"
)

// File describes one model file: what a build without it must be given.
type File struct {
	// Name is the file's name, as the folder that holds it names it.
	Name string
	// SHA256 is the hex SHA-256 of the file's bytes: the only bytes
	// accepted for it.
	SHA256 string
	// Size is the file's length in bytes.
	Size int
}

// Sum returns the hex SHA-256 of b.
func Sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Check reports whether b are f's bytes, and b's SHA-256 (hex).
func (f File) Check(b []byte) (sum string, ok bool) {
	sum = Sum(b)
	return sum, sum == f.SHA256 && len(b) == f.Size
}

// Named returns the file named name in files, and whether there is one.
func Named(files []File, name string) (File, bool) {
	for _, f := range files {
		if f.Name == name {
			return f, true
		}
	}
	return File{}, false
}
