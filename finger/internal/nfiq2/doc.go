// Package nfiq2 computes the native quality measures of NIST Fingerprint
// Image Quality 2 (NFIQ 2, v2.3.0; ISO/IEC 29794-4:2024) in pure Go.
//
// The package reproduces NIST's reference implementation value for value:
// the near-white frame crop, the block orientation estimates, the rotated
// "vertically aligned local regions", the ridge/valley segmentation and the
// 10-bin histograms with NIST's trained bin limits. The OpenCV primitives that
// NIST's code relies on (warpAffine with INTER_NEAREST and its 10-bit
// fixed-point coordinates, copyMakeBorder on a region of interest, the
// bit-exact 8-bit GaussianBlur, Otsu thresholding, erosion, hole filling as
// done by findContours/drawContours, floodFill, mean/meanStdDev with their
// reciprocal scaling) are re-implemented with the same arithmetic.
//
// Input contract: an 8-bit grayscale *image.Gray sampled at 500 ppi. NFIQ 2
// is only defined for 500 ppi and this package never resamples; images at
// other resolutions are processed as if they were 500 ppi (which is what
// NIST's library does when told the image is 500 ppi). Whether to refuse or
// resample other resolutions is decided by the caller.
//
// Compute crops the image with CropNearWhiteFrame and then computes every
// native measure except the four FingerJetFX minutiae measures
// (FingerJetFX_MinCount_COMMinRect200x200, FingerJetFX_MinutiaeCount,
// FJFXPos_Mu_MinutiaeQuality_2, FJFXPos_OCL_MinutiaeQuality_80), which need a
// minutiae extractor. FeatureNames lists all 69 measure names in the order of
// NIST's feature vector, including those four.
//
// Early stop: like NFIQ 2, Compute checks the image's standard deviation
// (UniformImage feedback, flagged when < 1) and mean (EmptyImageOrContrastTooLow,
// flagged when > 250) first. When either fires, the returned Result carries
// the feedback values but no measures (Result.Measures is nil), and no error.
// (NFIQ 2 v2.3.0 itself evaluates all modules before reading the feedback,
// so on such an image its FDA module usually throws "not enough data"
// first; either way no feature vector and no score are produced.)
//
// Errors: the crop refuses blank images (ErrBlank) and images larger than
// 800×1000 after cropping (ErrTooLarge) with NIST's rules; images whose crop
// is degenerate or smaller than one 36×36 analysis window give ErrTooSmall;
// fewer than 10 foreground blocks give ErrInsufficientData (NIST's FDA
// error). NIST's FingerJetFX refusals (FRFXLL_ERR_FB_TOO_SMALL_AREA) are not
// reproduced here: they belong to the minutiae extractor.
//
// Helpers for the minutiae-based measures: MeanStdDev, BlockMean, BlockOCL
// and MinutiaeQuality (FJFXPos_Mu_MinutiaeQuality_2 and
// FJFXPos_OCL_MinutiaeQuality_80 from minutia positions).
//
// All functions are safe for concurrent use; nothing is logged.
package nfiq2
