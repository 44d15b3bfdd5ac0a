package load_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"time"

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

func ExampleFileContext() {
	dir, _ := os.MkdirTemp("", "load-example")
	defer os.RemoveAll(dir)
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 30)))
	path := filepath.Join(dir, "print.png")
	_ = os.WriteFile(path, buf.Bytes(), 0o600)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	imgs, err := load.FileContext(ctx, path, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(imgs[0].Format, imgs[0].Image.Bounds().Size())

	// A cancelled context ends the read at once.
	cancel()
	_, err = load.FileContext(ctx, path, nil)
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// png (40,30)
	// true
}
