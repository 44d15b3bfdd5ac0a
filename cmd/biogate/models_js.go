//go:build js

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/biogate/biogate/face"
)

// The js/wasm build of the CLI (run under Node by scripts/platforms.sh)
// does not embed the models only full mode uses (face.ModelFiles: the face
// mesh and iris weights, the nose and mouth cascades): it reads them from
// the folders BIOGATE_FACE_MODELS lists (path-list separated, e.g.
// face/internal/facemesh/models:face/internal/cascade, or the models/
// folder scripts/build-web.sh writes), checked by their SHA-256, and
// refuses to assess without them rather than report faces without them.
func init() {
	face.SetModelSource(func(name string) ([]byte, error) {
		dirs := filepath.SplitList(os.Getenv("BIOGATE_FACE_MODELS"))
		if len(dirs) == 0 {
			return nil, errors.New("BIOGATE_FACE_MODELS is not set")
		}
		var err error
		for _, d := range dirs {
			var b []byte
			if b, err = os.ReadFile(filepath.Join(d, name)); err == nil {
				return b, nil
			}
		}
		return nil, err
	})
	needModels = func(stderr io.Writer) bool {
		if err := face.LoadModels(); err != nil {
			fmt.Fprintf(stderr, "biogate: %v\n(this GOOS=js build reads them from the folders BIOGATE_FACE_MODELS lists: face/internal/facemesh/models:face/internal/cascade)\n", err)
			return false
		}
		return true
	}
}
