// Package wsq implements a decoder and an encoder for FBI Wavelet Scalar
// Quantization (WSQ) grey-scale fingerprint images, as specified in the
// FBI's "WSQ Gray-scale Fingerprint Image Compression Specification"
// (IAFIS-IC-0110, version 3).
//
// Decode returns an *image.Gray. The package registers itself with
// image.RegisterFormat under the name "wsq", so image.Decode reads WSQ files
// after a blank import:
//
//	import _ "github.com/biogate/biogate/codec/wsq"
//
// The resolution recorded in the file (the PPI field of the NISTCOM comment
// that NIST-conformant encoders write) is reported by DecodeMetadata and
// ReadMetadata; it is 0 when the file does not record it.
//
// Decoding follows the reference decoder's arithmetic (single-precision
// floating point, the same subband geometry and symmetric extension), so the
// pixels agree with NIST's decoder to within one grey level.
//
// Encode compresses an *image.Gray at a target bit rate (0.75 bits per pixel,
// about 15:1, is the FBI's figure for 500 ppi fingerprints) using the
// specification's 9/7 biorthogonal filter bank, 64-subband decomposition,
// subband bit allocation and Huffman coding.
//
// Errors are FormatError for malformed input and UnsupportedError for valid
// but unsupported input (for example images larger than MaxPixels). Decoding
// never panics on corrupt or truncated input. All functions are safe for
// concurrent use.
package wsq
