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
	img, err := File(p, nil)
	require.NoError(t, err)
	assert.Equal(t, "png", img.Format)
	assert.InDelta(t, 500, img.PPI, 0.1)
	assert.Equal(t, image.Rect(0, 0, 8, 8), img.Image.Bounds())

	// JPEG: the standard encoder writes no JFIF density, so PPI is 0.
	var jb bytes.Buffer
	rgba := image.NewRGBA(image.Rect(0, 0, 16, 16))
	rgba.Set(3, 3, color.RGBA{200, 10, 10, 255})
	require.NoError(t, jpeg.Encode(&jb, rgba, nil))
	img, err = Bytes("a.jpg", jb.Bytes(), nil)
	require.NoError(t, err)
	assert.Equal(t, "jpeg", img.Format)
	assert.Zero(t, img.PPI)

	_, err = File(filepath.Join(dir, "missing.png"), nil)
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = File(dir, nil)
	assert.ErrorIs(t, err, ErrUnsupportedFormat)
}

func TestJFIFDensity(t *testing.T) {
	seg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 1, 0x01, 0xF4, 0x01, 0xF4, 0, 0}
	assert.Equal(t, 500.0, jfifPPI(seg))
	seg[13] = 2 // dots per cm
	assert.InDelta(t, 1270.0, jfifPPI(seg), 1e-9)
	assert.Zero(t, jfifPPI(seg[:8]))
}
