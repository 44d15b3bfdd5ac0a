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
	// refuses with FRFXLL_ERR_FB_TOO_SMALL_AREA as NFIQ 2 runs it: fewer
	// than 6 minutiae, most often because only the tip of the finger was
	// presented or the ridges are too faint.
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

// FootprintError reports an image refused because FingerJetFX found fewer
// minutiae in it than it accepts (see Options.RefuseSmallFootprint). It
// wraps ErrFootprintTooSmall, for errors.Is.
type FootprintError struct {
	// Area is the fingerprint area FingerJetFX recorded
	// (Result.FootprintArea), for information: NFIQ 2 disables
	// FingerJetFX's area test.
	Area int
	// Minutiae is the number of minutiae found (Result.Count) and
	// MinMinutiae the fewest accepted (6).
	Minutiae, MinMinutiae int
	// Result is what was found, for callers that want it anyway.
	Result *Result
}

// Error implements the error interface.
func (e *FootprintError) Error() string {
	return fmt.Sprintf("%v: %d minutiae (minimum %d), footprint area %d",
		ErrFootprintTooSmall, e.Minutiae, e.MinMinutiae, e.Area)
}

// Unwrap returns ErrFootprintTooSmall.
func (e *FootprintError) Unwrap() error { return ErrFootprintTooSmall }
