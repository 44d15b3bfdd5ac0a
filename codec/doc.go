// Package codec groups the decoders for the file formats capture devices
// and central systems exchange, in pure Go: WSQ (codec/wsq), JPEG 2000
// (codec/jpeg2000), Netpbm (codec/pnm), ISO/IEC 19794-4/-5 and 39794-4/-5 records
// (codec/iso19794) and resolution metadata (codec/ppi).
//
// Importing codec for its side effects registers every image decoder with
// image.Decode (WSQ, JPEG 2000, Netpbm, and BMP, TIFF and WebP from
// golang.org/x/image, besides the standard library's):
//
//	import _ "github.com/biogate/biogate/codec"
//
// Package load builds on these to read sample files safely (pixel limits
// checked before decoding, records split into their images, typed errors).
package codec
