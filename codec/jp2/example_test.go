package jp2_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"log"
	"os"

	"github.com/biogate/biogate/codec/jp2"
)

func Example() {
	// The main header of a 320×240 single-component 8-bit J2K codestream
	// with the reversible (lossless) 5/3 wavelet.
	siz := []byte{0, 0}
	for _, v := range []uint32{320, 240, 0, 0, 320, 240, 0, 0} {
		siz = binary.BigEndian.AppendUint32(siz, v)
	}
	siz = append(siz, 0, 1, 7, 1, 1)
	cs := []byte{0xFF, 0x4F, 0xFF, 0x51, 0, byte(len(siz) + 2)}
	cs = append(cs, siz...)
	cs = append(cs, 0xFF, 0x52, 0, 12, 0, 0, 0, 1, 0, 5, 4, 4, 0, 1)

	info, err := jp2.ReadInfo(bytes.NewReader(cs))
	fmt.Println(info.Width, info.Height, info.Components, info.BitDepth, info.Reversible, err)

	// Output:
	// 320 240 1 8 true <nil>
}

func ExampleDecode() {
	f, err := os.Open("testdata/gray8_lossless.j2k")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	img, format, err := image.Decode(f) // jp2 registers "j2k" and "jp2"
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %T %v\n", format, img, img.Bounds().Size())
	// Output: j2k *image.Gray (67,45)
}
