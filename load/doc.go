// Package load reads sample files for the quality gate: it recognises the
// format from the content (not the file name), checks the image dimensions
// against a pixel limit before decoding anything large, and decodes.
//
// Formats: PNG, JPEG, GIF, BMP, TIFF and WebP, through the standard library
// and golang.org/x/image, plus every format registered with
// image.RegisterFormat by a blank import (for example WSQ).
//
// Every failure is an *Error whose Kind can be tested with errors.Is against
// ErrUnsupportedFormat, ErrTooLarge, ErrTooSmall, ErrCorrupt, ErrEmpty and
// ErrNotRegular (a named pipe, device or socket, refused unless
// Options.AllowSpecial). The path "-" (Stdin) is standard input.
// Errors name the file by the path given and never carry image content.
package load
