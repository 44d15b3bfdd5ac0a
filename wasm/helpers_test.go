package wasm

import (
	"image"
	"image/png"
	"io"
	"strconv"
)

func encodePNG(w io.Writer, m image.Image) error { return png.Encode(w, m) }

func itoa(i int) string { return strconv.Itoa(i) }
