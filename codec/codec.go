package codec

import (
	_ "image/gif"  // register GIF
	_ "image/jpeg" // register JPEG
	_ "image/png"  // register PNG

	_ "golang.org/x/image/bmp"  // register BMP
	_ "golang.org/x/image/tiff" // register TIFF
	_ "golang.org/x/image/webp" // register WebP

	_ "github.com/biogate/biogate/codec/jpeg2000" // register JPEG 2000
	_ "github.com/biogate/biogate/codec/pnm"      // register PBM, PGM, PPM
	_ "github.com/biogate/biogate/codec/wsq"      // register WSQ
)
