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
// Feedback: Compute reports the image's standard deviation (UniformImage
// feedback, flagged when < 1) and mean (EmptyImageOrContrastTooLow,
// flagged when > 250), but does not stop on them: NFIQ 2 v2.3.0 evaluates
// all modules before reading the feedback, and a uniform or empty image is
// refused by a module (FDA, for a constant image) or scored.
//
// Errors (*Error, with the module and NIST's message): the crop refuses
// blank images (ErrBlank), a crop down to one row or column (ErrTooSmall)
// and images larger than 800×1000 after cropping (ErrTooLarge) with NIST's
// rules; fewer than 10 foreground blocks give ErrInsufficientData (NIST's
// FDA error); an empty LCS, OCL, OF or RVUP histogram gives
// ErrNoLocalClarity, ErrNoOrientationCertainty, ErrNoOrientationFlow or
// ErrNoRidgeValleyData (NIST: OpenCV's assertion in cv::meanStdDev).
// NIST's FingerJetFX refusals belong to the minutiae extractor; since NIST
// runs FingerJetFX after FDA and before the other modules, the errors of
// those come with a Result so that the caller can run FingerJetFX first.
//
// Helpers for the minutiae-based measures: MeanStdDev, BlockMean, BlockOCL
// and MinutiaeQuality (FJFXPos_Mu_MinutiaeQuality_2 and
// FJFXPos_OCL_MinutiaeQuality_80 from minutia positions).
//
// All functions are safe for concurrent use; nothing is logged.
package nfiq2
