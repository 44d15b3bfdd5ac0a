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
	// ErrFootprintTooSmall is returned (wrapped in a *FootprintError),
	// when Options.RefuseSmallFootprint is set, for an image FingerJetFX
	// would refuse with FRFXLL_ERR_FB_TOO_SMALL_AREA: too little
	// fingerprint area, or too few minutiae, most often because only the
	// tip of the finger was presented.
	ErrFootprintTooSmall = errors.New("minutiae: fingerprint area too small")
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

// FootprintError reports an image refused because its fingerprint area or
// its number of minutiae is below FingerJetFX's minimum (see
// Options.RefuseSmallFootprint). It wraps ErrFootprintTooSmall, for
// errors.Is.
type FootprintError struct {
	// Area is the footprint's area and MinArea the smallest accepted, in
	// FingerJetFX's units: square pixels at about 423 ppi (1.27 times its
	// 333 ppi working resolution), counted on its 32×50 grid of 8×8 cells.
	Area, MinArea int
	// Minutiae is the number of minutiae found and MinMinutiae the
	// fewest accepted.
	Minutiae, MinMinutiae int
}

// Error implements the error interface.
func (e *FootprintError) Error() string {
	return fmt.Sprintf("%v: footprint area %d (minimum %d), %d minutiae (minimum %d)",
		ErrFootprintTooSmall, e.Area, e.MinArea, e.Minutiae, e.MinMinutiae)
}

// Unwrap returns ErrFootprintTooSmall.
func (e *FootprintError) Unwrap() error { return ErrFootprintTooSmall }
