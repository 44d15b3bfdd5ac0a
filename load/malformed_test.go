package load

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"github.com/biogate/biogate/codec/pnm"
	"github.com/biogate/biogate/codec/wsq"
)

// sampleImage is a small image with structure, so that encoders produce
// non-trivial streams.
func sampleImage(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 5), uint8((x ^ y) * 3), 255})
		}
	}
	return m
}

// encodings returns valid files of every format the loader reads natively.
func encodings(t testing.TB) map[string][]byte {
	img := sampleImage(48, 32)
	out := map[string][]byte{}
	enc := map[string]func(*bytes.Buffer) error{
		"png":  func(b *bytes.Buffer) error { return png.Encode(b, img) },
		"jpeg": func(b *bytes.Buffer) error { return jpeg.Encode(b, img, &jpeg.Options{Quality: 80}) },
		"gif":  func(b *bytes.Buffer) error { return gif.Encode(b, img, nil) },
		"bmp":  func(b *bytes.Buffer) error { return bmp.Encode(b, img) },
		"tiff": func(b *bytes.Buffer) error { return tiff.Encode(b, img, nil) },
		"wsq":  func(b *bytes.Buffer) error { return wsq.Encode(b, grayOf(img), &wsq.Options{PPI: 500}) },
		"pgm":  func(b *bytes.Buffer) error { return pnm.Encode(b, grayOf(img)) },
	}
	for name, f := range enc {
		var b bytes.Buffer
		require.NoError(t, f(&b), name)
		out[name] = b.Bytes()
	}
	return out
}

func grayOf(m image.Image) *image.Gray {
	g := image.NewGray(m.Bounds())
	for y := m.Bounds().Min.Y; y < m.Bounds().Max.Y; y++ {
		for x := m.Bounds().Min.X; x < m.Bounds().Max.X; x++ {
			g.Set(x, y, m.At(x, y))
		}
	}
	return g
}

// bombs returns headers that claim huge dimensions, per format.
func bombs() map[string][]byte {
	gifHdr := []byte("GIF89a")
	gifHdr = binary.LittleEndian.AppendUint16(gifHdr, 65535)
	gifHdr = binary.LittleEndian.AppendUint16(gifHdr, 65535)
	gifHdr = append(gifHdr, 0, 0, 0)

	bmpHdr := make([]byte, 54)
	copy(bmpHdr, "BM")
	binary.LittleEndian.PutUint32(bmpHdr[10:], 54)
	binary.LittleEndian.PutUint32(bmpHdr[14:], 40)
	binary.LittleEndian.PutUint32(bmpHdr[18:], 100000)
	binary.LittleEndian.PutUint32(bmpHdr[22:], 100000)
	binary.LittleEndian.PutUint16(bmpHdr[26:], 1)
	binary.LittleEndian.PutUint16(bmpHdr[28:], 24)

	jpg := []byte{0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0x11, 0, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0}
	return map[string][]byte{
		"pgm":  []byte("P5\n100000 100000\n255\n"),
		"png":  pngHeader(100000, 100000),
		"gif":  gifHdr,
		"bmp":  bmpHdr,
		"jpeg": jpg,
	}
}

var kinds = []error{ErrUnsupportedFormat, ErrTooLarge, ErrTooSmall, ErrCorrupt, ErrEmpty, ErrNotRegular}

func assertTyped(t *testing.T, err error, name string) {
	t.Helper()
	var le *Error
	require.True(t, errors.As(err, &le), "%s: error %v is not a *load.Error", name, err)
	known := false
	for _, k := range kinds {
		known = known || errors.Is(err, k)
	}
	assert.True(t, known, "%s: untyped kind %v", name, le.Kind)
	assert.NotContains(t, err.Error(), "\x00", "%s: error carries binary content", name)
}

// TestMalformedCorpus generates truncated, bit-flipped and oversized
// variants of every supported format and checks that each one either
// decodes or fails with a typed error, and never panics.
func TestMalformedCorpus(t *testing.T) {
	n := 0
	for format, data := range encodings(t) {
		for _, cut := range []int{0, 1, 4, 8, 16, 33, len(data) / 4, len(data) / 2, len(data) - 1} {
			n++
			_, err := Bytes(fmt.Sprintf("%s-cut%d", format, cut), data[:cut], nil)
			if cut == 0 {
				assert.ErrorIs(t, err, ErrEmpty)
			}
			if err != nil {
				assertTyped(t, err, fmt.Sprintf("%s cut at %d", format, cut))
			} else {
				t.Logf("%s cut at %d of %d still decodes", format, cut, len(data))
			}
		}
		for i := 0; i < 64; i++ {
			n++
			bad := bytes.Clone(data)
			pos := (i*7919 + 13) % len(bad)
			bad[pos] ^= byte(1 << (i % 8))
			if _, err := Bytes(format+"-flip", bad, nil); err != nil {
				assertTyped(t, err, fmt.Sprintf("%s flip at %d", format, pos))
			}
		}
	}
	for format, data := range bombs() {
		n++
		_, err := Bytes(format+"-bomb", data, nil)
		require.Error(t, err, format)
		assert.ErrorIs(t, err, ErrTooLarge, format)
	}
	t.Logf("%d malformed files checked", n)
}

func TestTinyImages(t *testing.T) {
	for _, size := range []image.Point{{1, 1}, {1, 200}, {3, 3}} {
		var b bytes.Buffer
		require.NoError(t, png.Encode(&b, sampleImage(size.X, size.Y)))
		imgs, err := Bytes("tiny.png", b.Bytes(), nil)
		require.NoError(t, err, "a 1×1 image is valid input for the loader; the assessors decide")
		assert.Equal(t, size, imgs[0].Image.Bounds().Size())
		_, err = Bytes("tiny.png", b.Bytes(), &Options{MinSide: 8})
		assert.ErrorIs(t, err, ErrTooSmall)
	}
}

func FuzzBytes(f *testing.F) {
	for _, data := range encodings(f) {
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	for _, data := range bombs() {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		imgs, err := Bytes("fuzz", data, &Options{MaxPixels: 1 << 20})
		if err != nil {
			assertTyped(t, err, "fuzz")
			return
		}
		for _, img := range imgs {
			if img.Err != nil {
				assertTyped(t, img.Err, "fuzz record image")
				continue
			}
			b := img.Image.Bounds()
			if b.Dx()*b.Dy() > 1<<20 {
				t.Fatalf("decoded %v beyond the pixel limit", b)
			}
		}
	})
}

// jpeg2000Bomb returns the JPEG 2000 fixture name of the jpeg2000 package
// with its SIZ marker declaring w×h pixels (one tile).
func jpeg2000Bomb(t *testing.T, name string, w, h uint32) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "codec", "jpeg2000", "testdata", name))
	require.NoError(t, err)
	data = bytes.Clone(data)
	soc := bytes.Index(data, []byte{0xff, 0x4f, 0xff, 0x51})
	require.GreaterOrEqual(t, soc, 0)
	for _, off := range []int{8, 24} {
		binary.BigEndian.PutUint32(data[soc+off:], w)
		binary.BigEndian.PutUint32(data[soc+off+4:], h)
	}
	return data
}

// TestJPEG2000Bomb checks that a JPEG 2000 image declaring 60000×60000
// pixels is refused as ErrTooLarge by the loader's own limit, as PNG, JPEG
// and WSQ bombs are, with the caller's hint and no Go field name; so is one
// over the decoder's own limit when the caller's limit is higher.
func TestJPEG2000Bomb(t *testing.T) {
	hint := &Options{LimitHint: "raise it with -max-pixels"}
	tests := []struct {
		name   string
		data   []byte
		opts   *Options
		record bool
		want   []string
	}{
		{"jp2", jpeg2000Bomb(t, "ridge_97_layers.jp2", 60000, 60000), hint, false, []string{"60000×60000 pixels", "raise it with -max-pixels"}},
		{"j2k", jpeg2000Bomb(t, "gradient_53.j2k", 60000, 60000), hint, false, []string{"60000×60000 pixels", "raise it with -max-pixels"}},
		{"jp2 in a record", finger2005Record(jpeg2000Bomb(t, "ridge_97_layers.jp2", 60000, 60000), 4, 60000, 60000, 500), hint, true, []string{"60000×60000 pixels", "raise it with -max-pixels"}},
		{"over the decoder's limit", jpeg2000Bomb(t, "gradient_53.j2k", 9000, 9000), &Options{MaxPixels: 1 << 30}, false, []string{"decoder's limit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imgs, err := Bytes("bomb", tt.data, tt.opts)
			if tt.record {
				require.NoError(t, err)
				err = imgs[0].Err
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrTooLarge)
			assertTyped(t, err, tt.name)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "MaxPixels")
		})
	}
}
