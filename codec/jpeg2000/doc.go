// Package jpeg2000 decodes JPEG 2000 Part 1 images (ITU-T T.800 |
// ISO/IEC 15444-1) in pure Go: both the JP2 file format (boxes) and raw J2K
// codestreams.
//
// It implements the codestream syntax (main and tile-part headers, multiple
// tiles and tile-parts, packed packet headers in PPM/PPT, progression order
// changes (POC), max-shift regions of interest (RGN)), tier-2 packet
// decoding (tag trees, all five progression orders, precincts, SOP/EPH
// markers), tier-1 EBCOT decoding
// (MQ arithmetic decoder, significance, refinement and cleanup passes, with
// the selective arithmetic coding bypass, context reset, termination on each
// pass, vertically causal context and segmentation symbol code-block
// styles), scalar dequantisation, the inverse reversible 5/3 and
// irreversible 9/7 wavelet transforms, the inverse component transforms
// (RCT and ICT) and the DC level shift.
//
// Decode returns an *image.Gray (or *image.Gray16 for more than 8 bits per
// sample) for one or two components (a second, opacity, component is
// ignored), an *image.RGBA (or *image.RGBA64) for three and an *image.NRGBA
// (or *image.NRGBA64) for four or more, the fourth being straight alpha;
// further components are ignored. Samples of
// fewer than 8 (or between 9 and 15) bits are scaled to the full output
// range, signed samples are offset to unsigned, and subsampled components
// are replicated onto the reference grid. A JP2 file declaring sYCC without
// a codestream component transform is converted to RGB.
// DecodeMetadata reports the header fields, including the capture and
// display resolution of the JP2 'res ' box converted to pixels per inch.
//
// A truncated file is refused with a FormatError ("truncated codestream"),
// as OpenJPEG refuses it: a codestream must end with its EOC marker and
// each tile-part must hold the bytes its SOT marker declares, so that a
// transfer cut short is never scored as a (blurred) image. Features this package does not
// implement (palettes (pclr), high-throughput code-blocks of Part 15,
// regions of interest other than max-shift, and Part 2 extensions such as
// arbitrary wavelets and multiple component transforms) are reported with
// an UnsupportedError; malformed input gives a FormatError. Both are matched by errors.Is against ErrUnsupported and
// ErrFormat. Decoding never panics on corrupt or truncated input, and
// allocations are bounded by MaxPixels before anything large is allocated.
//
// The package registers the formats "jpeg2000" (JP2 signature box) and
// "j2k" (raw codestream, SOC+SIZ markers) with image.RegisterFormat.
package jpeg2000
