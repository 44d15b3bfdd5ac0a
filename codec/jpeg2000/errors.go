package jpeg2000

import "errors"

// ErrFormat is matched by errors.Is for every FormatError.
var ErrFormat = errors.New("jpeg2000: invalid format")

// ErrUnsupported is matched by errors.Is for every UnsupportedError.
var ErrUnsupported = errors.New("jpeg2000: unsupported feature")

// FormatError reports that the input is not a valid JPEG 2000 file or
// codestream.
type FormatError string

// Error implements the error interface.
func (e FormatError) Error() string { return "jpeg2000: invalid format: " + string(e) }

// Is reports whether target is ErrFormat.
func (e FormatError) Is(target error) bool { return target == ErrFormat }

// UnsupportedError reports a valid JPEG 2000 feature that this package does
// not implement.
type UnsupportedError string

// Error implements the error interface.
func (e UnsupportedError) Error() string { return "jpeg2000: unsupported feature: " + string(e) }

// Is reports whether target is ErrUnsupported.
func (e UnsupportedError) Is(target error) bool { return target == ErrUnsupported }

// MaxPixels bounds the number of reference-grid samples (width × height ×
// components) an image may declare; Decode refuses larger images with an
// UnsupportedError before any pixel memory is allocated (DecodeConfig and
// DecodeMetadata still read their header). 1<<26 admits a
// 12-megapixel colour portrait or a 64-megapixel greyscale scan; decoding
// needs about 8 bytes per sample of working memory.
const MaxPixels = 1 << 26
