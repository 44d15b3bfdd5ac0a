package wsq_test

import (
	"bytes"
	"fmt"
	"image"
	"log"

	"github.com/biogate/biogate/codec/wsq"
)

func Example() {
	// A synthetic 128×96 image with vertical stripes.
	src := image.NewGray(image.Rect(0, 0, 128, 96))
	for y := 0; y < 96; y++ {
		for x := 0; x < 128; x++ {
			src.Pix[y*src.Stride+x] = uint8(40 + 160*((x/5)%2))
		}
	}
	var buf bytes.Buffer
	if err := wsq.Encode(&buf, src, &wsq.Options{BitRate: 2.25, PPI: 500}); err != nil {
		log.Fatal(err)
	}
	img, meta, err := wsq.DecodeMetadata(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy(), meta.PPI)
	// Output: 128 96 500
}

func ExampleDecodeConfig() {
	src := image.NewGray(image.Rect(0, 0, 64, 48))
	var buf bytes.Buffer
	if err := wsq.Encode(&buf, src, nil); err != nil {
		log.Fatal(err)
	}
	// image.DecodeConfig finds the registered "wsq" format.
	cfg, format, err := image.DecodeConfig(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(format, cfg.Width, cfg.Height)
	// Output: wsq 64 48
}
