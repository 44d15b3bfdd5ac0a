// Package jp2 implements a decoder for JPEG 2000 images (ITU-T T.800 |
// ISO/IEC 15444-1): both the JP2 file format (boxes) and bare J2K
// codestreams.
//
// ReadInfo reports image size, component count, bit depth, the wavelet transform
// (reversible 5/3, i.e. lossless-capable, or irreversible 9/7), and the
// capture and display resolutions of the JP2 'res ' box in pixels per inch.
//
// Decode implements the JPEG 2000 Part 1 decoding path used by biometric
// images (ICAO portraits, ISO/IEC 19794-4/-5 and 39794 records): both the
// reversible 5/3 (lossless) and irreversible 9/7 (lossy) wavelets, any
// number of decomposition levels, quality layers, tiles and tile-parts,
// precincts, all five progression orders, SOP/EPH markers, the reversible
// and irreversible component transforms, sub-sampled components (repeated
// to the full image grid), and all six code-block modes (BYPASS, RESET,
// TERMALL, VSC, PTERM, SEGSYM). Files that use regions of interest (RGN),
// progression order changes (POC) or packed packet headers (PPM/PPT) yield
// an UnsupportedError.
// Decoded pixels agree with OpenJPEG 2.5 exactly for lossless files and
// within one grey level for lossy ones.
//
// The package registers the formats "jp2" and "j2k" with
// image.RegisterFormat.
//
// At the time of writing no maintained pure-Go JPEG 2000 decoder exists: the
// one on the module proxy (github.com/mrjoshuak/go-jpeg2000 v1.0.2) decodes
// real files to flat grey, and the mature decoders (OpenJPEG, Kakadu, Grok,
// JasPer) need cgo; this package is written from ITU-T T.800.
package jp2
