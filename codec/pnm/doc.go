// Package pnm implements a decoder and an encoder for the Netpbm formats:
// PBM (P1, P4), PGM (P2, P5) and PPM (P3, P6).
//
// Decode returns an *image.Gray for PBM and for PGM with a maximum value
// below 256, an *image.Gray16 for deeper PGM, an *image.RGBA for PPM and an
// *image.RGBA64 for deeper PPM. Samples are scaled from [0, maxval] to the
// full range of the result. The package registers "pbm", "pgm" and "ppm"
// with image.RegisterFormat.
//
// Netpbm files carry no resolution.
package pnm
