package nfiq2

import "errors"

// Sentinel errors describing why an image was refused. Errors returned by
// this package wrap exactly one of them; test with errors.Is.
var (
	// ErrInvalidImage reports a nil or empty image.
	ErrInvalidImage = errors.New("nfiq2: invalid image")
	// ErrBlank reports an image whose rows (or columns) are all near-white
	// (mean grey value > 250), so nothing is left after cropping.
	ErrBlank = errors.New("nfiq2: image is blank")
	// ErrTooLarge reports an image wider than 800 or taller than 1000
	// pixels after cropping the near-white frame (NFIQ 2's limits).
	ErrTooLarge = errors.New("nfiq2: image too large after cropping")
	// ErrTooSmall reports an image whose cropped area is degenerate or too
	// small to hold a single 36x36 analysis window.
	ErrTooSmall = errors.New("nfiq2: image too small")
	// ErrInsufficientData reports an image with fewer than 10 foreground
	// blocks, on which NFIQ 2 cannot build its frequency-domain histogram.
	ErrInsufficientData = errors.New("nfiq2: not enough fingerprint foreground")
)

// Error is the error type returned by this package. Kind is one of the
// sentinel errors above; Detail gives the sizes involved.
type Error struct {
	Kind   error
	Detail string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Kind.Error()
	}
	return e.Kind.Error() + ": " + e.Detail
}

// Unwrap returns the sentinel error, so that errors.Is works.
func (e *Error) Unwrap() error { return e.Kind }

func newError(kind error, detail string) error { return &Error{Kind: kind, Detail: detail} }
