package wsq

// FormatError reports that the input is not a valid WSQ file.
type FormatError string

// Error implements the error interface.
func (e FormatError) Error() string { return "wsq: invalid format: " + string(e) }

// UnsupportedError reports that the input uses a valid but unsupported
// feature, or exceeds a limit of this implementation.
type UnsupportedError string

// Error implements the error interface.
func (e UnsupportedError) Error() string { return "wsq: unsupported feature: " + string(e) }

// MaxPixels is the largest image (width × height) that Decode accepts. It is
// checked before any pixel buffer is allocated. 2^25 pixels is 8 × 8 inches at
// 700 ppi, more than a full ten-print card at 500 ppi.
const MaxPixels = 1 << 25
