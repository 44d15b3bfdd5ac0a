// Package minutiae extracts fingerprint minutiae (ridge endings and
// bifurcations) from 8-bit grayscale images sampled at 500 ppi, and computes
// the four minutiae-based native quality measures that NFIQ 2 feeds its model.
//
// # Extractor
//
// NFIQ 2 takes its minutiae from FingerJetFX OSE, so Find and Extract are
// FingerJetFX OSE's extraction as NFIQ 2 v2.3.0 runs it (FingerJetFX at the
// commit NFIQ 2 pins), written in Go from a stage-by-stage description of
// its algorithm, in the same integer arithmetic, so that the output is the
// same list, minutia for minutia:
//
//  1. Working plane: the image is reduced to 333 ppi by a truncating 3→2
//     reduction of 3×3 cells (white 255 becomes 251), into a plane of at
//     most Options.Window (NFIQ 2: 256×400 at 333 ppi), centred as
//     FingerJetFX centres it.
//  2. Footprint: a raster-linear cascade of box sums and differences
//     (16-bit, wrapping) gives second-derivative responses whose product
//     G20·(G21, G22), summed over 4×4 blocks, is kept where its octagonal
//     norm reaches a fixed level; the block mask is cleaned by counting
//     filters, row and column hole filling and two more counting filters.
//  3. Enhancement: 32×32 blocks every 17 pixels, fixed-point FFT, band
//     pass (squared radius 7 to 168) with emphasis of the strong
//     frequencies F·(1+|F|/4096)/8, inverse FFT, per-block stretch and
//     windowed overlap-add in 8-bit arithmetic.
//  4. Orientation: the cascade of step 2 on the enhanced plane, block
//     vectors smoothed twice by 9×9 triangular sums (octagonal
//     normalisation between), the angle taken from a 97-entry arctangent
//     table and halved to 128 levels over a half turn.
//  5. Phase map: separable 9-tap integer bases of a steerable G2/H2
//     quadrature pair (Freeman & Adelson, "The design and use of steerable
//     filters", 1991), steered by each block's orientation; the phase
//     quantised to 16 levels of 127−127·cos, 127 where there is no
//     orientation.
//  6. Candidates: where both eigenvalues of the phase map's smoothed
//     gradient tensor exceed 1328, one maximum per 3×3 tile that is also
//     the maximum of its 5×5 window and whose four diagonal neighbours are
//     valid.
//  7. Confirmation: a 19×19 bilinear patch of the phase map, steered two
//     units (2.8°) either side of the local direction, filtered by two
//     families of 17-tap integer filters at five scales and 3×3 offsets;
//     accepted at confidence 80 with its mirrored response at most 0.4 of
//     it. The winning family gives the direction's sense and the type
//     (ending or bifurcation above confidence 105, else other).
//  8. Direction: the ridge or valley leaving the minutia is followed on the
//     phase map for up to 20 steps; when it runs 14 pixels, its chord's
//     direction replaces the template's.
//  9. Output: the Options.MaxMinutiae best (by confidence, then position)
//     in FingerJetFX's output coordinates, quality min((c+1)/2, 100) of the
//     confidence c.
//
// A few of FingerJetFX's reads run past the end of its working plane into
// the orientation map that its buffer holds there; they are reproduced.
// FingerJetFX's filters run raster-linearly, wrapping across the left and
// right edges of the plane, so a ridge cut by the image border can give a
// minutia there, as it does in FingerJetFX. Images at other resolutions
// are processed as if they were 500 ppi, as NFIQ 2 does.
//
// On the 79 images of the project's reference corpus that NIST's NFIQ 2
// v2.3.0 scores, every list is identical to the one FingerJetFX returns
// inside NIST's NFIQ 2 (position, angle, type, quality and order), and
// the 5 images it refuses are refused (TestCorpusFingerJetFXMinutiae);
// the four measures equal NIST's on all 79 (TestCorpusNFIQ2Measures).
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
// NFIQ2Options reproduces how NFIQ 2 feeds FingerJetFX: the image it has
// cropped of its near-white frame, padded with white to 196×196, the
// 256×400 working buffer, at most 255 minutiae, and its refusal (below).
// Result.Measures computes the four measures as NIST's code does:
// FingerJetFX_MinutiaeCount is FingerJetFX's count, which includes the
// minutiae found in the white padding of an image smaller than 196 pixels,
// while the other three use the list without them. Measures does the same
// for any list of minutiae, e.g. one read from a template, counting the
// list.
//
// # Refusal
//
// Under NFIQ 2, FingerJetFX refuses an image with fewer than 6 minutiae
// (FRFXLL_ERR_FB_TOO_SMALL_AREA, "fingerprint area too small"), and NFIQ 2
// then cannot score it; its other area and count tests are disabled by
// NFIQ 2's settings. With Options.RefuseSmallFootprint (set by
// NFIQ2Options), Find applies the same rule and returns a *FootprintError
// wrapping ErrFootprintTooSmall, which carries the result. The area that
// FingerJetFX records on its 32×50 grid of cells is in Result.FootprintArea
// for information.
//
// All functions are safe for concurrent use. Nothing is logged or printed.
package minutiae
