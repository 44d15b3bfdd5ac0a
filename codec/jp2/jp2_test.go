package jp2

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
)

// codestream builds a minimal J2K main header (SOC, SIZ, COD, SOT).
func codestream(w, h, comps, depth int, reversible bool) []byte {
	var b []byte
	b = append(b, 0xFF, 0x4F, 0xFF, 0x51)
	siz := []byte{0, 0}
	for _, v := range []int{w, h, 0, 0, w, h, 0, 0} {
		siz = binary.BigEndian.AppendUint32(siz, uint32(v))
	}
	siz = binary.BigEndian.AppendUint16(siz, uint16(comps))
	for i := 0; i < comps; i++ {
		siz = append(siz, byte(depth-1), 1, 1)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(len(siz)+2))
	b = append(b, siz...)
	wavelet := byte(0)
	if reversible {
		wavelet = 1
	}
	cod := []byte{0, 0, 0, 1, 0, 5, 4, 4, 0, wavelet}
	b = append(b, 0xFF, 0x52)
	b = binary.BigEndian.AppendUint16(b, uint16(len(cod)+2))
	b = append(b, cod...)
	b = append(b, 0xFF, 0x90, 0, 10, 0, 0, 0, 0, 0, 0, 0, 1)
	return b
}

func box(typ string, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(body)+8))
	return append(append(b, typ...), body...)
}

// jp2File wraps a codestream in JP2 boxes with a capture resolution box of
// ppm pixels per metre.
func jp2File(cs []byte, w, h, comps, depth int, ppm uint16) []byte {
	var ihdr []byte
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(w))
	ihdr = binary.BigEndian.AppendUint16(ihdr, uint16(comps))
	ihdr = append(ihdr, byte(depth-1), 7, 0, 0)
	resc := []byte{0, 0, 0, 1, 0, 0, 0, 1, 0, 0}
	binary.BigEndian.PutUint16(resc[0:], ppm)
	binary.BigEndian.PutUint16(resc[4:], ppm)
	jp2h := append(box("ihdr", ihdr), box("res ", box("resc", resc))...)
	var f []byte
	f = append(f, jp2Magic...)
	f = append(f, box("ftyp", []byte("jp2 \x00\x00\x00\x00jp2 "))...)
	f = append(f, box("jp2h", jp2h)...)
	f = append(f, box("jp2c", cs)...)
	return f
}

func TestReadInfo(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want Info
	}{
		{"j2k-gray-lossless", codestream(300, 400, 1, 8, true), Info{Codestream: true, Width: 300, Height: 400, Components: 1, BitDepth: 8, Reversible: true}},
		{"j2k-rgb-lossy", codestream(640, 480, 3, 8, false), Info{Codestream: true, Width: 640, Height: 480, Components: 3, BitDepth: 8}},
		{"jp2-500ppi", jp2File(codestream(294, 539, 1, 8, false), 294, 539, 1, 8, 19685), Info{Width: 294, Height: 539, Components: 1, BitDepth: 8,
			CapturePPI: [2]float64{19685 * 0.0254, 19685 * 0.0254}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadInfo(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				if d := got.CapturePPI[i] - tt.want.CapturePPI[i]; d > 1e-9 || d < -1e-9 {
					t.Errorf("CapturePPI %v, want %v", got.CapturePPI, tt.want.CapturePPI)
				}
			}
			got.CapturePPI = tt.want.CapturePPI
			if *got != tt.want {
				t.Errorf("got %+v\nwant %+v", *got, tt.want)
			}
			cfg, name, err := image.DecodeConfig(bytes.NewReader(tt.data))
			if err != nil || cfg.Width != tt.want.Width || cfg.Height != tt.want.Height {
				t.Errorf("image.DecodeConfig = %v %q %v", cfg, name, err)
			}
		})
	}
}

func TestReadInfoErrors(t *testing.T) {
	good := jp2File(codestream(10, 10, 1, 8, true), 10, 10, 1, 8, 0)
	for n := 0; n < len(good)-12; n++ {
		if _, err := ReadInfo(bytes.NewReader(good[:n])); err == nil {
			t.Errorf("prefix of %d bytes: no error", n)
		}
	}
	_, err := ReadInfo(bytes.NewReader([]byte("GIF89a")))
	var fe FormatError
	if !errors.As(err, &fe) {
		t.Errorf("non-JPEG 2000 input: err %v, want FormatError", err)
	}
}

func TestCorpusJP2(t *testing.T) {
	dir := corpus.Dir(t, "finger", "records")
	data, err := os.ReadFile(filepath.Join(dir, "info_jp2.jp2"))
	if err != nil {
		t.Skip(err)
	}
	info, err := ReadInfo(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", *info)
	// The record around this image says 500 ppi, but the JP2 capture
	// resolution box says 39370 pixels per metre (1000 ppi).
	if info.Width != 294 || info.Height != 539 || info.Components != 1 || info.BitDepth != 8 ||
		info.Reversible || int(info.CapturePPI[0]+0.5) != 1000 {
		t.Errorf("got %+v, want 294x539 one 8-bit component", *info)
	}
	cfg, err := DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.ColorModel != color.GrayModel {
		t.Errorf("DecodeConfig %v, %v", cfg, err)
	}
	img, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok || g.Rect.Dx() != 294 || g.Rect.Dy() != 539 {
		t.Fatalf("decoded %T %v", img, img.Bounds())
	}
	// A fingerprint: dark ridges on a light background, a wide grey range.
	var hist [256]int
	for _, p := range g.Pix {
		hist[p]++
	}
	lo, hi := 0, 255
	for n := 0; n < len(g.Pix)/100; lo++ {
		n += hist[lo]
	}
	for n := 0; n < len(g.Pix)/100; hi-- {
		n += hist[hi]
	}
	t.Logf("1st-99th percentile grey levels %d-%d", lo, hi)
	if hi-lo < 100 {
		t.Errorf("grey range %d-%d too narrow for a fingerprint", lo, hi)
	}
}

func FuzzReadInfo(f *testing.F) {
	f.Add(codestream(30, 20, 1, 8, true))
	f.Add(jp2File(codestream(30, 20, 3, 8, false), 30, 20, 3, 8, 3937))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ReadInfo(bytes.NewReader(data))
		if err == nil && (info.Width < 0 || info.Height < 0) {
			t.Fatalf("negative size %+v", info)
		}
	})
}
