package ppi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/bmp"

	"github.com/biogate/biogate/codec/wsq"
	"github.com/biogate/biogate/internal/corpus"
)

func gray(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 13)
	}
	return g
}

// pngWithPHYs returns a PNG with a pHYs chunk of ppm pixels per unit.
func pngWithPHYs(t testing.TB, ppm uint32, unit byte) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, gray(8, 8)); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	body := binary.BigEndian.AppendUint32(nil, ppm)
	body = binary.BigEndian.AppendUint32(body, ppm)
	body = append(body, unit)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	chunk = append(chunk, "pHYs"...)
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	ihdrEnd := 8 + 8 + 13 + 4
	out := append([]byte(nil), data[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, data[ihdrEnd:]...)
}

func jpegWith(t testing.TB, segs ...[]byte) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, gray(8, 8), nil); err != nil {
		t.Fatal(err)
	}
	out := []byte{0xFF, 0xD8}
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, b.Bytes()[2:]...)
}

func jfif(units byte, x, y uint16) []byte {
	body := []byte("JFIF\x00\x01\x02")
	body = append(body, units)
	body = binary.BigEndian.AppendUint16(body, x)
	body = binary.BigEndian.AppendUint16(body, y)
	body = append(body, 0, 0)
	seg := []byte{0xFF, 0xE0}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(body)+2))
	return append(seg, body...)
}

// tiffIFD builds a little-endian TIFF structure with resolution tags.
func tiffIFD(x, y uint32, unit uint16) []byte {
	bo := binary.LittleEndian
	b := []byte("II*\x00")
	b = bo.AppendUint32(b, 8)
	b = bo.AppendUint16(b, 3)
	entry := func(tag, typ uint16, count, val uint32) {
		b = bo.AppendUint16(b, tag)
		b = bo.AppendUint16(b, typ)
		b = bo.AppendUint32(b, count)
		b = bo.AppendUint32(b, val)
	}
	dataOff := uint32(8 + 2 + 3*12 + 4)
	entry(282, 5, 1, dataOff)
	entry(283, 5, 1, dataOff+8)
	entry(296, 3, 1, uint32(unit))
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, x)
	b = bo.AppendUint32(b, 1)
	b = bo.AppendUint32(b, y)
	b = bo.AppendUint32(b, 1)
	return b
}

func exif(x, y uint32, unit uint16) []byte {
	body := append([]byte("Exif\x00\x00"), tiffIFD(x, y, unit)...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(body)+2))
	return append(seg, body...)
}

func bmpWith(t testing.TB, ppm int32) []byte {
	var b bytes.Buffer
	if err := bmp.Encode(&b, gray(8, 8)); err != nil {
		t.Fatal(err)
	}
	d := b.Bytes()
	binary.LittleEndian.PutUint32(d[38:], uint32(ppm))
	binary.LittleEndian.PutUint32(d[42:], uint32(ppm))
	return d
}

func wsqWith(t testing.TB, p int) []byte {
	var b bytes.Buffer
	if err := wsq.Encode(&b, gray(32, 32), &wsq.Options{PPI: p}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRead(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		wantOK  bool
		want    float64
		source  string
		deflt   bool
		wantErr bool
	}{
		{"png-500", pngWithPHYs(t, 19685, 1), true, 19685 * 0.0254, "png pHYs", false, false},
		{"png-aspect-only", pngWithPHYs(t, 1, 0), false, 0, "", false, false},
		{"png-none", func() []byte { var b bytes.Buffer; png.Encode(&b, gray(4, 4)); return b.Bytes() }(), false, 0, "", false, false},
		{"jpeg-jfif-dpi", jpegWith(t, jfif(1, 500, 500)), true, 500, "jfif", false, false},
		{"jpeg-jfif-dpcm", jpegWith(t, jfif(2, 394, 394)), true, 394 * 2.54, "jfif", false, false},
		{"jpeg-jfif-96", jpegWith(t, jfif(1, 96, 96)), true, 96, "jfif", true, false},
		{"jpeg-aspect-then-exif", jpegWith(t, jfif(0, 1, 1), exif(1000, 1000, 2)), true, 1000, "exif", false, false},
		{"jpeg-exif-cm", jpegWith(t, exif(200, 200, 3)), true, 508, "exif", false, false},
		{"jpeg-none", jpegWith(t), false, 0, "", false, false},
		{"tiff-72", tiffIFD(72, 72, 2), true, 72, "tiff", true, false},
		{"tiff-no-unit", tiffIFD(300, 300, 1), false, 0, "", false, false},
		{"bmp-500", bmpWith(t, 19685), true, 19685 * 0.0254, "bmp", false, false},
		{"bmp-none", bmpWith(t, 0), false, 0, "", false, false},
		{"wsq-1000", wsqWith(t, 1000), true, 1000, "wsq nistcom", false, false},
		{"wsq-unknown", wsqWith(t, 0), false, 0, "", false, false},
		{"garbage", []byte("hello"), false, 0, "", false, true},
		{"png-truncated", pngWithPHYs(t, 19685, 1)[:20], false, 0, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok, err := Read(tt.data, "")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.wantOK, r)
			}
			if !ok {
				return
			}
			if math.Abs(r.PPI()-tt.want) > 1e-6 || r.Source != tt.source || r.SoftwareDefault() != tt.deflt {
				t.Errorf("got %+v (ppi %v, default %v), want %v from %q default %v", r, r.PPI(), r.SoftwareDefault(), tt.want, tt.source, tt.deflt)
			}
		})
	}
	if _, _, err := Read([]byte("xyz"), ""); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("unknown format: err %v, want ErrUnknownFormat", err)
	}
}

func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t, "finger")
	tests := []struct {
		file string
		want float64
	}{
		{"wsq/jnbis_sample.wsq", 500},
		{"records/info_wsq.iso", 500},
		{"records/info_jp2.iso", 500},
		{"records/info_jp2.jp2", 39370 * 0.0254}, // the JP2 box says 1000 ppi
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				corpus.Missing(t, err)
			}
			r, ok, err := Read(data, "")
			if err != nil || !ok {
				t.Fatalf("Read: %+v %v %v", r, ok, err)
			}
			if math.Abs(r.PPI()-tt.want) > 1e-6 {
				t.Errorf("ppi %v (%s), want %v", r.PPI(), r.Source, tt.want)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add(pngWithPHYs(f, 19685, 1))
	f.Add(jpegWith(f, jfif(1, 500, 500), exif(500, 500, 2)))
	f.Add(tiffIFD(500, 500, 2))
	f.Add(bmpWith(f, 19685))
	f.Add(wsqWith(f, 500))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, ok, err := Read(data, "")
		if ok && (err != nil || !(r.X > 0) || !(r.Y > 0)) {
			t.Fatalf("ok with %+v, %v", r, err)
		}
	})
}
