package finger

import (
	"errors"
	"fmt"
	"strings"

	"github.com/biogate/biogate/finger/internal/nfiq2"
	"github.com/biogate/biogate/finger/minutiae"
)

// The causes of an ErrUnscorable error: each is one of the ways NIST's
// NFIQ 2 v2.3.0 fails to score an image, and matches (errors.Is) exactly
// when NIST's NFIQ 2 refuses the image the same way. The package
// documentation's table gives each one's condition.
var (
	// ErrBlank: every row, or every column, of the image has a mean grey
	// value above 250 (NIST: "All image rows appear to be blank").
	ErrBlank = errors.New("the image is blank")
	// ErrCropDegenerate: cropping the near-white frame leaves a single
	// row or column (NIST: "Asked to inclusively crop from …").
	ErrCropDegenerate = errors.New("the near-white frame crop leaves a single row or column")
	// ErrTooLarge: wider than 800 or taller than 1000 pixels after the
	// near-white frame crop (NIST: "Width is too large after trimming
	// whitespace …").
	ErrTooLarge = errors.New("image too large after cropping its near-white frame")
	// ErrTooFewBlocks: fewer than 10 foreground blocks for the frequency
	// domain analysis (NIST: "Cannot compute Frequency Domain Analysis
	// (FDA): Not enough data to generate histogram bins").
	ErrTooFewBlocks = errors.New("fewer than 10 fingerprint foreground blocks")
	// ErrFootprintTooSmall: FingerJetFX finds fewer than 6 minutiae
	// (NIST: "Could not create feature set from raw data:
	// FRFXLL_ERR_FB_TOO_SMALL_AREA …"). It is minutiae.ErrFootprintTooSmall.
	ErrFootprintTooSmall = minutiae.ErrFootprintTooSmall
	// ErrMinutiaeInPadding: every minutia FingerJetFX finds in an image
	// smaller than 196×196 lies in the white padding NFIQ 2 adds, so none
	// is left; NIST's NFIQ 2 then divides by zero (its centre of mass of
	// no minutiae) and its process stops without a score.
	ErrMinutiaeInPadding = errors.New("every minutia lies in FingerJetFX's white padding")
	// ErrNoLocalClarity: the local clarity (LCS) histogram is empty (NIST:
	// "Cannot compute LCS: OpenCV … meanStdDev"). Unreachable once FDA
	// computed: both count the same foreground blocks.
	ErrNoLocalClarity = errors.New("no local clarity (LCS) data")
	// ErrNoOrientationCertainty: no full 32×32 block has a gradient, the
	// OCL histogram is empty (NIST: "Cannot compute feature OCL histogram:
	// OpenCV … meanStdDev"). Unreachable once FDA computed.
	ErrNoOrientationCertainty = errors.New("no orientation certainty (OCL) data")
	// ErrNoOrientationFlow: the orientation flow (OF) histogram is empty
	// (NIST: "Cannot compute Orientation Flow (OF): OpenCV …
	// meanStdDev"): no foreground block whose 3×3 block neighbourhood is
	// all foreground turns by more than 4°. Prints under 100 pixels tall
	// or wide after cropping always have it.
	ErrNoOrientationFlow = errors.New("no orientation flow (OF) data")
	// ErrNoRidgeValleyData: the ridge-valley uniformity (RVUP) histogram
	// is empty (NIST: "Cannot compute RVU: OpenCV … meanStdDev"): no
	// foreground block holds two complete ridges and valleys.
	ErrNoRidgeValleyData = errors.New("no ridge-valley uniformity (RVUP) data")
)

// RefusalError is the cause inside an *UnscorableError when NIST's NFIQ 2
// v2.3.0 refuses the image too. It matches its Check under errors.Is.
type RefusalError struct {
	// Check is the cause: one of ErrBlank, ErrCropDegenerate, ErrTooLarge,
	// ErrTooFewBlocks, ErrFootprintTooSmall, ErrMinutiaeInPadding,
	// ErrNoLocalClarity, ErrNoOrientationCertainty, ErrNoOrientationFlow,
	// ErrNoRidgeValleyData.
	Check error
	// Module is NIST's name of the NFIQ 2 module that refuses ("crop",
	// "FDA", "FingerJetFX", "OF", …).
	Module string
	// NIST is the message NIST's NFIQ 2 v2.3.0 gives for this refusal, as
	// its tool prints it (for ErrMinutiaeInPadding, which stops NIST's
	// process, a description of that stop).
	NIST string
	// Err is the underlying error, if any.
	Err error
}

// Error implements the error interface.
func (e *RefusalError) Error() string {
	return fmt.Sprintf("%v (NIST NFIQ 2 %s: %s)", e.Check, e.Module, e.NIST)
}

// Is reports whether target is the refusal's Check.
func (e *RefusalError) Is(target error) bool { return target == e.Check }

// Unwrap returns the underlying error.
func (e *RefusalError) Unwrap() error { return e.Err }

// nistFootprintMessage is NIST's message for FingerJetFX's refusal.
const nistFootprintMessage = "Could not create feature set from raw data: FRFXLL_ERR_FB_TOO_SMALL_AREA: " +
	"Fingerprint area is too small. Most likely this is because the tip of the finger is presented."

// checkOf maps the measure package's refusal kinds to this package's causes.
var checkOf = map[error]error{
	nfiq2.ErrBlank:                  ErrBlank,
	nfiq2.ErrTooSmall:               ErrCropDegenerate,
	nfiq2.ErrTooLarge:               ErrTooLarge,
	nfiq2.ErrInsufficientData:       ErrTooFewBlocks,
	nfiq2.ErrNoLocalClarity:         ErrNoLocalClarity,
	nfiq2.ErrNoOrientationCertainty: ErrNoOrientationCertainty,
	nfiq2.ErrNoOrientationFlow:      ErrNoOrientationFlow,
	nfiq2.ErrNoRidgeValleyData:      ErrNoRidgeValleyData,
}

// refusalOf returns the *UnscorableError for an error of the measures,
// with its *RefusalError cause when NIST refuses the same way.
func refusalOf(err error) error {
	var ne *nfiq2.Error
	if errors.As(err, &ne) && ne.NIST != "" {
		if check, ok := checkOf[ne.Kind]; ok {
			return &UnscorableError{
				Reason: strings.TrimPrefix(err.Error(), "nfiq2: "),
				Err:    &RefusalError{Check: check, Module: ne.Module.String(), NIST: ne.NIST, Err: err},
			}
		}
	}
	return unscorable("", err)
}

// inPadding returns the refusal of an image whose minutiae FingerJetFX
// all found in the white padding NFIQ 2 adds to images under 196×196
// (none left, though FingerJetFX accepted the image): NIST's NFIQ 2
// computes the centre of mass of the remaining minutiae with an integer
// division by their number, zero, and its process stops there.
func inPadding(found *minutiae.Result) error {
	if found == nil || found.Count == 0 || len(found.Minutiae) > 0 {
		return nil
	}
	nist := fmt.Sprintf("integer division by zero in FingerJetFX::centerOfMinutiaeMass: all %d minutiae lie in the white padding (the process stops, no score)", found.Count)
	return &UnscorableError{
		Err: &RefusalError{Check: ErrMinutiaeInPadding, Module: "FingerJetFX", NIST: nist},
		Reason: fmt.Sprintf("all %d minutiae FingerJetFX found lie in the white padding NFIQ 2 adds to images under 196x196 (NIST NFIQ 2: %s)",
			found.Count, nist),
	}
}
