// Package minutiae extracts fingerprint minutiae (ridge endings and
// bifurcations) from 8-bit grayscale images sampled at 500 ppi, and computes
// the four minutiae-based native quality measures that NFIQ 2 feeds its model.
//
// # Extractor
//
// Extract is a pure-Go extractor written from the published literature, not
// a port of any implementation:
//
//  1. Foreground (footprint) segmentation: blocks of 8×8 pixels whose
//     coherent gradient energy (the length of the summed doubled-angle
//     gradient vector, Bazen & Gerez) exceeds 5 % of the 95th percentile,
//     cleaned with majority filters, filled row- and column-wise between the
//     outermost foreground blocks; minutiae must lie one block inside it.
//  2. Ridge orientation: Sobel gradients, block structure tensors averaged in
//     the doubled-angle domain (Kass & Witkin; Bazen & Gerez), with coherence.
//  3. Ridge frequency: per-block projection of an oriented window onto the
//     ridge normal ("x-signature", Hong, Wan & Jain 1998), median-filtered,
//     with the image median as fall-back.
//  4. Contextual enhancement: even-symmetric, zero-mean Gabor filters tuned
//     to the local orientation (16 steps) and period (Hong, Wan & Jain 1998).
//  5. Binarisation by the sign of the filter response, Zhang–Suen thinning
//     with Lü & Wang's correction, and removal of staircase pixels, giving a
//     one-pixel 8-connected skeleton.
//  6. Detection by crossing number (Rutovitz / Arcelli & Baja): 1 is a ridge
//     ending, 3 a bifurcation.
//  7. False-minutiae removal by ridge tracing on the skeleton (Xiao &
//     Raafat; Maltoni et al., Handbook of Fingerprint Recognition §3.8):
//     minutiae outside the eroded footprint, spurs, short ridges and
//     islands, bridges and lakes; then a non-maximum suppression keeps the
//     better of two minutiae closer than 0.7 ridge periods. These lengths
//     scale with the local period, floored at 7 pixels, since FingerJetFX's
//     fixed-size operators do not separate minutiae more finely on
//     fine-ridged prints. Facing endings of broken ridges are kept, as
//     FingerJetFX keeps them.
//  8. Direction by tracing the ridge (or, for a bifurcation, its two closest
//     branches) over one ridge period, and a quality 0–100 from local
//     orientation coherence, filter response (ridge contrast) and distance
//     to the footprint border; the best Options.MaxMinutiae by quality are
//     kept, like FingerJetFX's top-N.
//
// Images are processed at their own sampling; the period estimate accepts
// 3–22 pixels, so images at other resolutions read as 500 ppi still work,
// but positions and the NFIQ 2 measures are only meaningful at 500 ppi.
//
// Coordinates follow ISO/IEC 19794-2: origin at the top-left pixel of the
// image's bounds, x to the right, y downwards. Angles are measured
// counter-clockwise from the x axis as seen on screen (so with y pointing
// up), in radians in Minutia.Angle; Minutia.ISOAngle gives the 19794-2 unit
// of 360/256 degrees. The direction of a ridge ending points from the ending
// into its ridge; that of a bifurcation points from the fork between its two
// branches (the ISO convention, where a ridge ending is treated as the
// bifurcation of the valley around it).
//
// # NFIQ 2 measures
//
// NFIQ 2 (ISO/IEC 29794-4) obtains its minutiae from FingerJetFX OSE.
// NFIQ2Options reproduces how NFIQ 2 feeds FingerJetFX (padding to 196×196 and
// FingerJetFX's 384×600 centred working window), and Measures computes the
// four measures from any minutiae list exactly as NIST's code does, so the
// measures agree with NIST's whenever the minutiae agree.
//
// All functions are safe for concurrent use. Nothing is logged or printed.
package minutiae
