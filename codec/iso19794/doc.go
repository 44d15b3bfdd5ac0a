// Package iso19794 parses biometric data interchange records of
// ISO/IEC 19794-4 (finger images) and ISO/IEC 19794-5 (face images), in the
// 2005 editions (version "010", and the ANSI/INCITS 381-2004 finger layout
// that shares it) and the 2011 editions (versions "020" for finger and
// "030" for face), and the ISO/IEC 39794-4 and 39794-5 (2019) ASN.1 DER
// encodings far enough to extract each image with its finger position,
// resolution and size.
//
// Decode returns a Record holding every image of the record, each with its
// encoded bytes exactly as stored (WSQ, JPEG, JPEG 2000, PNG or raw
// pixels), its format, size, resolution in pixels per inch, finger
// position and quality fields. Image.Decode decodes one image with the
// decoders of this module (codec/wsq, codec/jpeg2000) and the standard library.
//
// Errors are FormatError for malformed records and UnsupportedError for
// other formats and versions. Parsing never panics on corrupt input and is
// safe for concurrent use.
package iso19794
