package minutiae

import (
	"errors"
	"fmt"
)

var (
	// ErrEmpty is returned for a nil image or one with no pixels.
	ErrEmpty = errors.New("minutiae: empty image")
	// ErrTooSmall is returned (wrapped in a *SizeError) for images smaller
	// than the extractor's minimum.
	ErrTooSmall = errors.New("minutiae: image too small")
	// ErrTooLarge is returned (wrapped in a *SizeError) for images larger
	// than MaxPixels.
	ErrTooLarge = errors.New("minutiae: image too large")
)

// SizeError reports an image whose dimensions are outside the accepted
// range. It wraps ErrTooSmall or ErrTooLarge, for errors.Is.
type SizeError struct {
	Width, Height int   // the offending size
	Limit         int   // the minimum or maximum side concerned
	Err           error // ErrTooSmall or ErrTooLarge
}

// Error implements the error interface.
func (e *SizeError) Error() string {
	return fmt.Sprintf("%v: %dx%d (limit %d px)", e.Err, e.Width, e.Height, e.Limit)
}

// Unwrap returns ErrTooSmall or ErrTooLarge.
func (e *SizeError) Unwrap() error { return e.Err }
