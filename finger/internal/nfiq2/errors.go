package nfiq2

import (
	"errors"
	"strings"
)

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
	// ErrTooSmall reports an image whose near-white frame crop is
	// degenerate: a single row or column, or none, is left.
	ErrTooSmall = errors.New("nfiq2: image too small")
	// ErrInsufficientData reports an image with fewer than 10 foreground
	// blocks, on which NFIQ 2 cannot build its frequency-domain histogram.
	ErrInsufficientData = errors.New("nfiq2: not enough fingerprint foreground")
	// ErrNoLocalClarity reports an empty local clarity (LCS) histogram.
	// It cannot follow a computed FDA histogram (both count the same
	// foreground blocks); it is checked so that NIST's refusal would be
	// reproduced if it did.
	ErrNoLocalClarity = errors.New("nfiq2: no local clarity data")
	// ErrNoOrientationCertainty reports an empty orientation certainty
	// (OCL) histogram: no full 32×32 block has a gradient. Like
	// ErrNoLocalClarity it cannot follow a computed FDA histogram.
	ErrNoOrientationCertainty = errors.New("nfiq2: no orientation certainty data")
	// ErrNoOrientationFlow reports an empty orientation flow (OF)
	// histogram: no foreground block whose 3×3 block neighbourhood is
	// all foreground turns by more than 4° from its neighbours. Prints
	// fewer than 100 pixels tall (three block rows) always have it.
	ErrNoOrientationFlow = errors.New("nfiq2: no orientation flow data")
	// ErrNoRidgeValleyData reports an empty ridge-valley uniformity
	// (RVUP) histogram: no foreground block holds two complete ridges
	// and valleys to compare.
	ErrNoRidgeValleyData = errors.New("nfiq2: no ridge-valley uniformity data")
)

// Module names one of NFIQ 2's quality modules, in the order NIST's
// NFIQ 2 v2.3.0 runs them: the first module that fails decides the
// image's error.
type Module int

// NFIQ 2's modules in NIST's run order.
const (
	ModuleCrop            Module = iota // near-white frame crop
	ModuleFDA                           // frequency domain analysis
	ModuleFingerJetFX                   // minutiae extraction (not in this package)
	ModuleMinutiaeQuality               // FJFXMinutiaeQuality (not in this package)
	ModuleROI                           // ImgProcROI
	ModuleLCS                           // local clarity
	ModuleMu                            // Mu, MMB
	ModuleOCL                           // orientation certainty
	ModuleOF                            // orientation flow
	ModuleQualityMap                    // orientation map coherence
	ModuleRVUP                          // ridge-valley uniformity
)

var moduleNames = [...]string{"crop", "FDA", "FingerJetFX", "FJFXMinutiaeQuality", "ImgProcROI", "LCS", "Mu", "OCLHistogram", "OF", "QualityMap", "RVUPHistogram"}

// String returns NIST's name of the module.
func (m Module) String() string {
	if m < 0 || int(m) >= len(moduleNames) {
		return "unknown module"
	}
	return moduleNames[m]
}

// openCVEmptyMeanStdDev is the OpenCV 4.6.0 assertion NIST's NFIQ 2 hits
// when a histogram module passes cv::meanStdDev an empty data vector.
const openCVEmptyMeanStdDev = "OpenCV(4.6.0) ./modules/core/src/mean.dispatch.cpp:516: error: (-215:Assertion failed) !_src.empty() in function 'meanStdDev'"

// Error is the error type returned by this package. Kind is one of the
// sentinel errors above; Detail gives the sizes involved; Module is the
// NFIQ 2 module that refused; NIST is the message NIST's NFIQ 2 v2.3.0
// gives for the same refusal.
type Error struct {
	Kind   error
	Detail string
	Module Module
	NIST   string
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := e.Kind.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.NIST != "" && !strings.EqualFold(e.NIST, e.Detail) {
		s += " (NIST NFIQ 2: " + e.NIST + ")"
	}
	return s
}

// Unwrap returns the sentinel error, so that errors.Is works.
func (e *Error) Unwrap() error { return e.Kind }

func newError(kind error, detail string) error { return &Error{Kind: kind, Detail: detail} }

// refusal returns the *Error of a module whose refusal NIST words as nist.
func refusal(kind error, m Module, detail, nist string) *Error {
	return &Error{Kind: kind, Detail: detail, Module: m, NIST: nist}
}
