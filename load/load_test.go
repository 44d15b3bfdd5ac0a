package load

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/codec/pnm"
	"github.com/biogate/biogate/codec/wsq"
	"github.com/biogate/biogate/internal/corpus"
)

func pngBytes(t testing.TB, w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// pngHeader writes a PNG signature and an IHDR chunk claiming w×h pixels,
// with no image data: a decompression-bomb style header.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0
	writeChunk(&b, "IHDR", ihdr)
	return b.Bytes()
}

func writeChunk(b *bytes.Buffer, typ string, data []byte) {
	_ = binary.Write(b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	_ = binary.Write(b, binary.BigEndian, crc.Sum32())
}

func TestBytesErrors(t *testing.T) {
	good := pngBytes(t, 40, 30)
	tests := []struct {
		name string
		data []byte
		opts *Options
		want error
	}{
		{"empty", nil, nil, ErrEmpty},
		{"text", []byte("hello, not an image"), nil, ErrUnsupportedFormat},
		{"truncated", good[:len(good)/2], nil, ErrCorrupt},
		{"header only", good[:20], nil, ErrCorrupt},
		{"bomb", pngHeader(100000, 100000), nil, ErrTooLarge},
		{"zero", pngHeader(0, 0), nil, ErrCorrupt},
		{"limit", good, &Options{MaxPixels: 100}, ErrTooLarge},
		{"min side", good, &Options{MinSide: 64}, ErrTooSmall},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Bytes("x.png", tt.data, tt.opts)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			var le *Error
			require.True(t, errors.As(err, &le))
			assert.Equal(t, "x.png", le.Path)
		})
	}
}

func TestFileDecodesAndReadsPPI(t *testing.T) {
	dir := t.TempDir()
	// PNG with pHYs at 500 ppi (19685 px/m).
	var b bytes.Buffer
	raw := pngBytes(t, 8, 8)
	b.Write(raw[:33]) // signature + IHDR
	phys := make([]byte, 9)
	binary.BigEndian.PutUint32(phys[0:], 19685)
	binary.BigEndian.PutUint32(phys[4:], 19685)
	phys[8] = 1
	writeChunk(&b, "pHYs", phys)
	b.Write(raw[33:])
	p := filepath.Join(dir, "f.png")
	require.NoError(t, os.WriteFile(p, b.Bytes(), 0o600))
	imgs, err := File(p, nil)
	require.NoError(t, err)
	require.Len(t, imgs, 1)
	img := imgs[0]
	assert.Equal(t, "png", img.Format)
	assert.InDelta(t, 500, img.PPI, 0.1)
	assert.Equal(t, image.Rect(0, 0, 8, 8), img.Image.Bounds())

	// JPEG: the standard encoder writes no JFIF density, so PPI is 0.
	var jb bytes.Buffer
	rgba := image.NewRGBA(image.Rect(0, 0, 16, 16))
	rgba.Set(3, 3, color.RGBA{200, 10, 10, 255})
	require.NoError(t, jpeg.Encode(&jb, rgba, nil))
	imgs, err = Bytes("a.jpg", jb.Bytes(), nil)
	require.NoError(t, err)
	img = imgs[0]
	assert.Equal(t, "jpeg", img.Format)
	assert.Zero(t, img.PPI)

	_, err = File(filepath.Join(dir, "missing.png"), nil)
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = File(dir, nil)
	assert.ErrorIs(t, err, ErrUnsupportedFormat)
}

func TestFormatsAndResolution(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 40, 30))
	for i := range g.Pix {
		g.Pix[i] = uint8(i)
	}
	var w, n, p96 bytes.Buffer
	require.NoError(t, wsq.Encode(&w, g, &wsq.Options{PPI: 1000}))
	require.NoError(t, pnm.Encode(&n, g))
	// A PNG tagged 96 ppi (3780 px/m), a screen default that says nothing.
	raw := pngBytes(t, 8, 8)
	p96.Write(raw[:33])
	phys := make([]byte, 9)
	binary.BigEndian.PutUint32(phys[0:], 3780)
	binary.BigEndian.PutUint32(phys[4:], 3780)
	phys[8] = 1
	writeChunk(&p96, "pHYs", phys)
	p96.Write(raw[33:])
	tests := []struct {
		name, format string
		data         []byte
		ppi          float64
	}{
		{"wsq", "wsq", w.Bytes(), 1000},
		{"pgm", "pgm", n.Bytes(), 0},
		{"png 96 ppi", "png", p96.Bytes(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imgs, err := Bytes(tt.name, tt.data, nil)
			require.NoError(t, err)
			require.Len(t, imgs, 1)
			assert.Equal(t, tt.format, imgs[0].Format)
			assert.Equal(t, tt.ppi, imgs[0].PPI)
			assert.Nil(t, imgs[0].Record)
		})
	}
}

func TestCorpusRecords(t *testing.T) {
	dir := corpus.Dir(t, "finger", "records")
	for _, tt := range []struct {
		file, format string
		record       bool
	}{{"info_wsq.iso", "wsq", true}, {"info_jp2.iso", "jpeg2000", true}, {"info_jp2.jp2", "jpeg2000", false}, {"info_wsq.wsq", "wsq", false}} {
		t.Run(tt.file, func(t *testing.T) {
			imgs, err := File(filepath.Join(dir, tt.file), nil)
			require.NoError(t, err)
			require.Len(t, imgs, 1)
			im := imgs[0]
			require.NoError(t, im.Err)
			assert.Equal(t, tt.format, im.Format)
			assert.Equal(t, tt.record, im.Record != nil)
			assert.Positive(t, im.PPI)
			assert.False(t, im.Image.Bounds().Empty())
			if im.Record != nil {
				assert.Equal(t, "finger", im.Record.Kind)
				assert.Equal(t, 1, im.Record.Count)
				assert.NotEmpty(t, im.Record.Position)
			}
		})
	}
}
