package jpeg2000_test

import (
	"fmt"
	"image"
	"log"
	"os"

	"github.com/biogate/biogate/codec/jpeg2000"
)

func ExampleDecode() {
	f, err := os.Open("testdata/portrait_rct.jp2")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	img, err := jpeg2000.Decode(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds().Size())
	fmt.Printf("%T\n", img)
	// Output:
	// (72,90)
	// *image.RGBA
}

func ExampleDecodeMetadata() {
	f, err := os.Open("testdata/ridge_97_layers.jp2")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	md, err := jpeg2000.DecodeMetadata(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%dx%d, %d component(s) of %d bits\n", md.Width, md.Height, md.Components, md.BitDepth)
	fmt.Printf("reversible=%v levels=%d layers=%d %s\n", md.Reversible, md.Levels, md.Layers, md.Progression)
	if _, _, ok := md.PPI(); !ok {
		fmt.Println("no resolution box")
	}
	// Output:
	// 128x112, 1 component(s) of 8 bits
	// reversible=false levels=4 layers=3 LRCP
	// no resolution box
}

// The package registers itself with image.Decode for JP2 files and raw
// codestreams.
func Example_imageDecode() {
	f, err := os.Open("testdata/gradient_53.j2k")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	img, format, err := image.Decode(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(format, img.Bounds().Dx(), img.Bounds().Dy())
	// Output: j2k 67 45
}
