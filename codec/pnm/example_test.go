package pnm_test

import (
	"bytes"
	"fmt"
	"image"
	"log"

	_ "github.com/biogate/biogate/codec/pnm"
)

func Example() {
	pgm := []byte("P2\n# a 3x2 grey image\n3 2\n255\n0 128 255\n255 128 0\n")
	img, format, err := image.Decode(bytes.NewReader(pgm))
	if err != nil {
		log.Fatal(err)
	}
	g := img.(*image.Gray)
	fmt.Println(format, g.Bounds().Dx(), g.Bounds().Dy(), g.Pix)
	// Output: pgm 3 2 [0 128 255 255 128 0]
}
