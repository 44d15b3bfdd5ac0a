package facemesh

import (
	"errors"
	"fmt"
	"sync"

	"github.com/biogate/biogate/internal/modelfile"
)

// Files lists the weights files, Face Mesh's then Iris's: what a build
// without embedded weights ([Embedded] false) must be given, named as the
// models' weights manifests and models/ name them. Their sums are those of
// models/SOURCES.md (TestFilesMatchSources).
var Files = []modelfile.File{
	{Name: "facemesh.bin", SHA256: "3826da640b0a3021161605369ee6af293f75d518040355b960ec71a3390c1c0b", Size: 1477958},
	{Name: "iris.bin", SHA256: "d7f296d184274213d4642681ae186112cbbec77fd2ab066257d3c56a1940bc71", Size: 2599092},
}

// ErrNoWeights reports that the weights are neither embedded nor supplied:
// no [SetSource] function was given.
var ErrNoWeights = errors.New("facemesh: the model weights are not embedded in this build and no source was set")

// WeightsError reports a weights file that the source could not supply
// (Err from the source) or supplied with the wrong contents (Err nil, Got
// its SHA-256).
type WeightsError struct {
	// Name is the file, as in [Files].
	Name string
	// Got is the SHA-256 of the bytes supplied, when they were wrong.
	Got string
	// Err is the source's error, nil when the bytes were wrong.
	Err error
}

// Error says which file and why, with both sums when the bytes were wrong.
func (e *WeightsError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("facemesh: weights file %s: %v", e.Name, e.Err)
	}
	f, _ := modelfile.Named(Files, e.Name)
	return fmt.Sprintf("facemesh: weights file %s has SHA-256 %s, want %s", e.Name, e.Got, f.SHA256)
}

// Unwrap returns the source's error.
func (e *WeightsError) Unwrap() error { return e.Err }

// Source returns the bytes of the weights file named name (one of
// [Files]).
type Source func(name string) ([]byte, error)

var (
	sourceMu sync.Mutex
	source   Source
)

// SetSource sets the function the weights are read from where they are
// not embedded; nil removes it. Its bytes are used only when their
// SHA-256 is the one [Files] lists. A build with embedded weights never
// calls it.
func SetSource(s Source) {
	sourceMu.Lock()
	source = s
	sourceMu.Unlock()
}

// skipEmbedded makes tests read the weights through the source, as a
// build without them does.
var skipEmbedded bool

// weightsFile returns the verified bytes of one weights file: the embedded
// copy, or the source's.
func weightsFile(name string) ([]byte, error) {
	f, ok := modelfile.Named(Files, name)
	if !ok {
		return nil, &WeightsError{Name: name, Err: errors.New("not a weights file of these models")}
	}
	if b, ok := embedded(name); ok && !skipEmbedded {
		return b, nil // the committed files (TestEmbeddedWeights)
	}
	sourceMu.Lock()
	src := source
	sourceMu.Unlock()
	if src == nil {
		return nil, ErrNoWeights
	}
	b, err := src(name)
	if err != nil {
		return nil, &WeightsError{Name: name, Err: err}
	}
	return b, verify(f, b)
}

// verify checks b against f's SHA-256 and size.
func verify(f modelfile.File, b []byte) error {
	if got, ok := f.Check(b); !ok {
		return &WeightsError{Name: f.Name, Got: got}
	}
	return nil
}
