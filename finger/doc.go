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
//     (Catmull-Rom, biogate's own: the same pixels on every platform)
//     and the report says so (Resampled, SourcePPI); measures of a
//     resampled image are not comparable to NIST's on the original;
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
// An image NFIQ 2 cannot score gives an error wrapping ErrUnscorable,
// with the partial report (the actionable feedback, and the measures that
// computed) still returned; Assess never returns a nil report with a nil
// error. An image under MinImageSize (36 pixels) on a side at 500 ppi is
// too small to hold a fingerprint at all: its error, a *SizeError, also
// matches ErrTooSmall, which callers test first to reject such input
// rather than warn about it (NIST's NFIQ 2 refuses such an image too, in
// its FDA module). An Assessor is safe for concurrent use.
//
// # Refusals
//
// Assess refuses an image exactly when NIST's NFIQ 2 v2.3.0 does, for
// NIST's reason: NIST runs its modules in the order crop, FDA,
// FingerJetFX, FJFXMinutiaeQuality, ImgProcROI, LCS, Mu, OCLHistogram,
// OF, QualityMap, RVUPHistogram, and the first that fails decides. The
// error's cause, a *RefusalError, matches one of the sentinels below
// (errors.Is) and carries NIST's message (RefusalError.NIST), which the
// error's text also gives.
//
//	cause                      NIST module  condition                                                  test
//	ErrBlank                   crop         every row (then: every column) has a mean above 250        TestAssessRefusals/white, /white_columns
//	ErrCropDegenerate          crop         the crop leaves one row or one column                      TestAssessRefusals/one_dark_row
//	ErrTooLarge                crop         wider than 800 (then: taller than 1000) after the crop     TestAssessRefusals/801_wide, /1001_tall
//	ErrTooFewBlocks            FDA          fewer than 10 foreground blocks (a uniform image too)      TestAssessRefusals/uniform, /noise_36x36
//	ErrFootprintTooSmall       FingerJetFX  fewer than 6 minutiae (FRFXLL_ERR_FB_TOO_SMALL_AREA)       TestAssessRefusals/straight_ridges
//	ErrMinutiaeInPadding       FingerJetFX  every minutia in the white padding of an image < 196 px    TestMinutiaeInPadding
//	ErrNoLocalClarity          LCS          empty LCS histogram (unreachable once FDA computed)        TestUnreachableRefusals (nfiq2)
//	ErrNoOrientationCertainty  OCL          no full 32×32 block has a gradient (unreachable, as LCS)   TestUnreachableRefusals (nfiq2)
//	ErrNoOrientationFlow       OF           no foreground block with an all-foreground 3×3 block       TestAssessRefusals/99-row_strip_of_a_print,
//	                                        neighbourhood turns by > 4°: always under 100 px tall        TestRefusals/straight_ridges (nfiq2)
//	                                        or wide after the crop, and for straight ridges
//	ErrNoRidgeValleyData       RVUP         no foreground block holds two complete ridges and valleys  TestRefusals/no_ridge_pairs (nfiq2)
//
// The LCS, OCL, OF and RVU refusals are OpenCV's assertion on an empty
// cv::meanStdDev input, which NIST reports as, e.g., "Cannot compute
// Orientation Flow (OF): OpenCV(4.6.0) … (-215:Assertion failed)
// !_src.empty() in function 'meanStdDev'". ErrMinutiaeInPadding stops
// NIST's process (an integer division by zero) rather than giving a
// message. The other modules (FJFXMinutiaeQuality, ImgProcROI, Mu,
// QualityMap) cannot fail on an image that reached them. A uniform or
// empty image (feedback UniformImage, EmptyImageOrContrastTooLow) is not
// refused for that alone: NIST computes its measures all the same, and
// FDA or FingerJetFX refuses it. TestCorpusProbesNIST checks the table
// against NIST's output on prints cut to 72-120 px strips and fingertips.
package finger
