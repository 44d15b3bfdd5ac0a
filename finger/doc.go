// Package finger assesses fingerprint images with a pure-Go implementation
// of NIST's NFIQ 2 (ISO/IEC 29794-4): the 69 native quality measures under
// NIST's names, the actionable feedback, the minutiae, and the unified 0-100
// score.
//
// NFIQ 2 is defined for 8-bit greyscale images at 500 ppi. [Assessor.Assess]
// converts other image types to 8-bit grey (ITU-R BT.601 luma) and handles
// resolution as follows:
//
//   - no declared resolution (PPI 0): the image is taken as 500 ppi, as
//     NIST's tool does;
//   - within 2 % of 500 ppi (490-510, e.g. 508 ppi sensors): taken as 500;
//   - from 300 to 1200 ppi otherwise (e.g. 1000 ppi): resampled to 500 ppi
//     (Catmull-Rom) and the report says so (Resampled, SourcePPI); measures
//     of a resampled image are not comparable to NIST's on the original;
//   - below 300 or above 1200 ppi: refused with ErrResolution, since the
//     usual culprit is a screen default tag (72 or 96 ppi) and a wrong
//     guess would produce a misleading score. Callers that know better
//     set Options.PPI (the CLI's -ppi flag).
//
// The score comes from a [Scorer]: by default the project's own embedded
// model ("nfiq2-compatible"), trained on NIST's published feature vectors and
// scores; with [LoadNFIQ2Model] NIST's own random forest file
// (nist_plain_tir-ink.yaml), evaluated exactly as OpenCV does ("nfiq2").
//
// An image NFIQ 2 cannot score (blank, too small, too large, no
// fingerprint foreground) gives an error wrapping ErrUnscorable, with the
// partial report (the actionable feedback) still returned. An image under
// MinImageSize (36 pixels) on a side at 500 ppi is too small to hold a
// fingerprint at all: its error, a *SizeError, also matches ErrTooSmall,
// which callers test first to reject such input rather than warn about it.
// Assess never returns a nil report with a nil error. So does an image
// whose fingerprint area is too small for FingerJetFX, the minutiae
// extractor NFIQ 2 relies on (NIST's FRFXLL_ERR_FB_TOO_SMALL_AREA); that
// error also wraps minutiae.ErrFootprintTooSmall. An Assessor is safe for
// concurrent use.
package finger
