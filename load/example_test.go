package load_test

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"

	"github.com/biogate/biogate/load"
)

func ExampleBytes() {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 400, 500)))
	imgs, err := load.Bytes("print.png", buf.Bytes(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(imgs), imgs[0].Format, imgs[0].Image.Bounds().Size())

	// A file claiming more pixels than the limit is refused before decoding.
	_, err = load.Bytes("print.png", buf.Bytes(), &load.Options{MaxPixels: 100 * 100})
	fmt.Println(errors.Is(err, load.ErrTooLarge))
	fmt.Println(err)
	// Output:
	// 1 png (400,500)
	// true
	// print.png: image too large: 400×500 pixels, limit 10000 pixels
}
