package ppi_test

import (
	"bytes"
	"fmt"
	"image"
	"log"

	"github.com/biogate/biogate/codec/ppi"
	"github.com/biogate/biogate/codec/wsq"
)

func ExampleRead() {
	var buf bytes.Buffer
	if err := wsq.Encode(&buf, image.NewGray(image.Rect(0, 0, 64, 64)), &wsq.Options{PPI: 1000}); err != nil {
		log.Fatal(err)
	}
	res, ok, err := ppi.Read(buf.Bytes(), "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ok, res.PPI(), res.Source, res.SoftwareDefault())
	// Output: true 1000 wsq nistcom false
}
