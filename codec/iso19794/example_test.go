package iso19794_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"log"

	"github.com/biogate/biogate/codec/iso19794"
)

// Example builds a one-view ISO/IEC 19794-4:2005 record holding a PNG image
// and lists its images.
func Example() {
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 40, 30))); err != nil {
		log.Fatal(err)
	}
	total := 32 + 14 + img.Len()
	rec := []byte("FIR\x00010\x00")
	rec = append(rec, 0, 0, byte(total>>24), byte(total>>16), byte(total>>8), byte(total))
	rec = append(rec, 0, 0, 0, 31, 1, 1) // device, level, 1 view, ppi units
	for range 4 {
		rec = binary.BigEndian.AppendUint16(rec, 500) // scan and image resolution
	}
	rec = append(rec, 8, 5, 0, 0) // 8 bits, PNG
	rec = binary.BigEndian.AppendUint32(rec, uint32(14+img.Len()))
	rec = append(rec, 2, 1, 1, 80, 0, 0, 40, 0, 30, 0) // right index, quality 80, live-scan plain
	rec = append(rec, img.Bytes()...)

	r, err := iso19794.Parse(rec)
	if err != nil {
		log.Fatal(err)
	}
	for _, im := range r.Images {
		fmt.Println(r.Modality, r.Version, im.Position, im.Format, im.Width, im.Height, im.PPI[0])
	}
	// Output: finger 010 right index png 40 30 500
}
