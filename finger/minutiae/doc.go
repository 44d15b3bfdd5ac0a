// Package minutiae extracts fingerprint minutiae (ridge endings and
// bifurcations) from 8-bit grayscale images sampled at 500 ppi, and computes
// the four minutiae-based native quality measures that NFIQ 2 feeds its model.
//
// # Extractor
//
// NFIQ 2 takes its minutiae from FingerJetFX OSE, so Extract is a detector
// after FingerJetFX OSE's design: it finds minutiae as singular points of a
// quantised ridge-phase map and confirms them with matched minutia
// templates, with little cleanup, rather than by thinning. It is written in
// Go from that design and the literature it builds on, in floating point;
// it is not a port of FingerJetFX's fixed-point code and does not
// reproduce its output exactly. Three levels, of the footprint, of the
// spectral emphasis and of the confidence, are calibrated against NIST's
// FingerJetFX output on a public test corpus, FingerJetFX's own values being
// in fixed-point units that do not carry over; the rest follows its design.
//
//  1. Working resolution: the image (after Options.Window) is reduced to
//     333 ppi by averaging each 3×3 pixels into 2×2; all filters below have
//     fixed sizes at that resolution.
//  2. Footprint: on 4×4 blocks, the coherent gradient energy (length of the
//     summed doubled-angle gradient vector, Kass & Witkin; Bazen & Gerez)
//     above an absolute level, so faint areas are background; cleaned by
//     counting filters, hole filling along rows and columns and two more
//     counting filters.
//  3. Enhancement: short-time Fourier filtering of 32×32 blocks spaced 17
//     pixels apart: band-pass (periods 2.5 to 13 pixels), emphasis of the
//     strong frequencies F·(1+|F|/c) (the idea of Candela et al.'s PCASYS
//     enhancement, NISTIR 5647), per-block contrast stretch and windowed
//     overlap-add.
//  4. Orientation: block tensors of the enhanced image as unit doubled-angle
//     vectors, averaged twice over 5×5 blocks with renormalisation between.
//  5. Phase map: every footprint pixel is filtered with the quadrature pair
//     G2/H2 of Freeman & Adelson ("The design and use of steerable
//     filters", 1991), steered across the local ridges at a fixed scale; the
//     cosine of the local phase, quantised to 16 levels, gives a
//     contrast-free image of the ridges.
//  6. Candidates: where the phase map's gradient structure tensor has both
//     eigenvalues above a fixed level (the phase changes in every direction,
//     as it does only at a ridge ending or fork), keeping 5×5 local maxima
//     of (λ₁−T)(λ₂−T) that touch no background.
//  7. Confirmation: the phase map around a candidate, rotated to the smoothed
//     ridge direction (two steering angles ±2.8°), is correlated at 3×3
//     offsets with templates of the spiral-phase model of a minutia
//     (Larkin & Fletcher 2007) at five ridge periods, the responses weighted
//     as FingerJetFX weighs them; a candidate is kept when the best response
//     reaches 0.36 of an ideal minutia's unweighted response and its
//     mirror image answers at most 0.4 of it. The winning template gives
//     the type (ending or bifurcation) and which way the minutia points;
//     the response, relative to an ideal minutia's, gives the quality
//     (capped at 100).
//  8. Direction: as FingerJetFX does, the ridge (or, for a bifurcation,
//     valley) centre line leaving the minutia that way is followed on the
//     phase map, pixel by pixel among the three neighbours ahead, for up to
//     20 pixels; when it runs at least 14 pixels, the direction of its
//     chord replaces the template's (first with a fixed heading, then
//     letting the heading turn).
//  9. Top-N: the Options.MaxMinutiae most confident are kept, as
//     FingerJetFX's top-N.
//
// Minutiae are reported at FingerJetFX's positions: it shifts the working
// plane's coordinates by (+1, +2) pixels before scaling to 500 ppi, about
// (1.5, 3) pixels at 500 ppi, and this package does the same. Images at
// other resolutions are processed as if they were 500 ppi, as NFIQ 2 does.
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
// NFIQ2Options reproduces how NFIQ 2 feeds FingerJetFX (padding to 196×196,
// FingerJetFX's 384×600 centred working window, and its refusal of too small
// a fingerprint, below), and Measures computes the
// four measures from any minutiae list exactly as NIST's code does, so the
// measures agree with NIST's whenever the minutiae agree.
//
// The minutiae do not all agree. The design works on fixed grids (the 2/3
// resampling, 4×4 orientation blocks, 32×32 enhancement blocks every 17
// pixels, a top-N cut), so borderline minutiae come and go with the pixel
// grid: moved by one pixel, an image keeps its minutiae count within ±10 %
// on 86 % of NIST's corpus images, and the Mu and OCL shares within ±0.05
// on 83 % and 92 % (TestCorpusTranslationStability). Against NIST's
// FingerJetFX output the shares are 72 %, 76 % and 86 %
// (TestCorpusNFIQ2Measures).
//
// # Refusal
//
// FingerJetFX refuses an image, and NFIQ 2 then cannot score it
// (FRFXLL_ERR_FB_TOO_SMALL_AREA, "fingerprint area too small"), when it
// finds fewer than 4 minutiae or when its footprint covers less than 11000
// square units of its template space. It records the footprint on a fixed
// grid of 32×50 cells of 8×8 units (a unit is 1/1.27 of a working-plane
// pixel, so a cell is about 9.4 pixels at 500 ppi), each cell taking the
// footprint block under its top-left corner; 11000 units² is 172 cells. The
// grid spans about 201×315 working-plane pixels from the window's top-left
// corner, less than a full 256×400 window, so only that part of a large
// image counts. With Options.RefuseSmallFootprint (set by NFIQ2Options),
// Extract applies the same rule to its own footprint and minutiae and
// returns a *FootprintError wrapping ErrFootprintTooSmall. On NIST's
// reference corpus it refuses exactly the 5 images NIST's NFIQ 2 refuses
// with that error, and none of the 79 it scores; the footprint level being
// calibrated rather than FingerJetFX's, a print near the limit may still be
// decided otherwise.
//
// All functions are safe for concurrent use. Nothing is logged or printed.
package minutiae
