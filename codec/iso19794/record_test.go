package iso19794

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/codec/wsq"
	"github.com/biogate/biogate/internal/corpus"
)

var update = flag.Bool("update", false, "regenerate the files in testdata")

func gradient(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g.Pix[y*g.Stride+x] = uint8((x*7 + y*3) % 256)
		}
	}
	return g
}

func encWSQ(t testing.TB, g *image.Gray) []byte {
	var b bytes.Buffer
	if err := wsq.Encode(&b, g, &wsq.Options{BitRate: 2, PPI: 500}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t testing.TB, g *image.Gray) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encJPEG(t testing.TB, g image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, g, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type view struct {
	pos, quality, imp int
	w, h              int
	data              []byte
}

// finger2005 builds an ISO/IEC 19794-4:2005 record (ANSI/INCITS 381 with
// ansi set) at 500 ppi with one compression code for all views.
func finger2005(code int, ansi bool, views ...view) []byte {
	var body []byte
	for i, v := range views {
		body = binary.BigEndian.AppendUint32(body, uint32(14+len(v.data)))
		body = append(body, byte(v.pos), byte(len(views)), byte(i+1), byte(v.quality), byte(v.imp))
		body = binary.BigEndian.AppendUint16(body, uint16(v.w))
		body = binary.BigEndian.AppendUint16(body, uint16(v.h))
		body = append(body, 0)
		body = append(body, v.data...)
	}
	hdr := 32
	if ansi {
		hdr = 36
	}
	total := hdr + len(body)
	b := []byte("FIR\x00010\x00")
	b = append(b, byte(total>>40), byte(total>>32), byte(total>>24), byte(total>>16), byte(total>>8), byte(total))
	if ansi {
		b = append(b, 0, 0x1B, 0, 1)
	}
	b = append(b, 0, 0, 0, 31, byte(len(views)), 1)
	for range 4 {
		b = binary.BigEndian.AppendUint16(b, 500)
	}
	b = append(b, 8, byte(code), 0, 0)
	return append(b, body...)
}

// finger2011 builds an ISO/IEC 19794-4:2011 record with certification
// blocks, quality blocks and resolution in pixels per centimetre.
func finger2011(code int, views ...view) []byte {
	var body []byte
	for i, v := range views {
		var r []byte
		r = append(r, 0x07, 0xE9, 1, 2, 3, 4, 5, 0, 6) // date
		r = append(r, 1, 0, 2, 0, 3)                   // device
		r = append(r, 2, byte(v.quality), 0, 0x0F, 0, 1, 90, 0, 0x1F, 0, 2)
		r = append(r, 1, 0, 1, 2) // one certification block
		r = append(r, byte(v.pos), byte(i), 2)
		for range 4 {
			r = binary.BigEndian.AppendUint16(r, 394) // ppcm ≈ 1000.76 ppi
		}
		r = append(r, 8, byte(code), byte(v.imp))
		r = binary.BigEndian.AppendUint16(r, uint16(v.w))
		r = binary.BigEndian.AppendUint16(r, uint16(v.h))
		r = binary.BigEndian.AppendUint32(r, uint32(len(v.data)))
		r = append(r, v.data...)
		r = append(r, 0, 1, 0, 4) // an extended data block header to skip
		body = binary.BigEndian.AppendUint32(body, uint32(4+len(r)))
		body = append(body, r...)
	}
	b := []byte("FIR\x00020\x00")
	b = binary.BigEndian.AppendUint32(b, uint32(16+len(body)))
	b = binary.BigEndian.AppendUint16(b, uint16(len(views)))
	b = append(b, 1, byte(len(views)))
	return append(b, body...)
}

// face2005 builds an ISO/IEC 19794-5:2005 record with two feature points.
func face2005(code int, w, h int, data []byte) []byte {
	var r []byte
	r = binary.BigEndian.AppendUint16(r, 2)
	r = append(r, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0)
	r = append(r, 1, 0x31, 0, 100, 0, 120, 0, 0) // feature point 12.1 (eye)
	r = append(r, 1, 0x32, 0, 200, 0, 121, 0, 0)
	r = append(r, 1, byte(code))
	r = binary.BigEndian.AppendUint16(r, uint16(w))
	r = binary.BigEndian.AppendUint16(r, uint16(h))
	r = append(r, 1, 2, 0, 0, 0, 77)
	r = append(r, data...)
	b := []byte("FAC\x00010\x00")
	b = binary.BigEndian.AppendUint32(b, uint32(14+4+len(r)))
	b = binary.BigEndian.AppendUint16(b, 1)
	b = binary.BigEndian.AppendUint32(b, uint32(4+len(r)))
	return append(b, r...)
}

// face2011 builds an ISO/IEC 19794-5:2011 record.
func face2011(code int, w, h int, data []byte) []byte {
	var r []byte
	r = append(r, 0x07, 0xE9, 1, 2, 3, 4, 5, 0, 6, 0, 0, 0, 0, 0)
	r = append(r, 1, 55, 0, 1, 0, 2) // one quality block
	r = binary.BigEndian.AppendUint16(r, 1)
	r = append(r, make([]byte, 15)...)
	r = append(r, 1, 0x31, 0, 10, 0, 20, 0, 30)
	r = append(r, 1, byte(code))
	r = binary.BigEndian.AppendUint16(r, uint16(w))
	r = binary.BigEndian.AppendUint16(r, uint16(h))
	r = append(r, 2, 0, 1, 0, 1)
	r = append(r, data...)
	b := []byte("FAC\x00030\x00")
	b = binary.BigEndian.AppendUint32(b, uint32(17+4+len(r)))
	b = binary.BigEndian.AppendUint16(b, 1)
	b = append(b, 0, 0, 1)
	b = binary.BigEndian.AppendUint32(b, uint32(4+len(r)))
	return append(b, r...)
}

func TestParse(t *testing.T) {
	g := gradient(64, 48)
	w := encWSQ(t, g)
	p := encPNG(t, g)
	j := encJPEG(t, g)
	raw := append([]byte(nil), g.Pix...)
	tests := []struct {
		name     string
		data     []byte
		modality Modality
		version  string
		ansi     bool
		formats  []Format
		ppi      float64
		pos      []Position
	}{
		{"finger2005-wsq-two-views", finger2005(2, false, view{1, 60, 0, 64, 48, w}, view{6, 70, 1, 64, 48, w}), Finger, "010", false, []Format{FormatWSQ, FormatWSQ}, 500, []Position{1, 6}},
		{"finger2005-raw", finger2005(0, false, view{2, 50, 0, 64, 48, raw}), Finger, "010", false, []Format{FormatRaw}, 500, []Position{2}},
		{"finger2005-png", finger2005(5, false, view{3, 50, 0, 64, 48, p}), Finger, "010", false, []Format{FormatPNG}, 500, []Position{3}},
		{"ansi381-jpeg", finger2005(3, true, view{13, 40, 2, 64, 48, j}), Finger, "010", true, []Format{FormatJPEG}, 500, []Position{13}},
		{"finger2011-png-ppcm", finger2011(6, view{7, 88, 0, 64, 48, p}), Finger, "020", false, []Format{FormatPNG}, 394 * 2.54, []Position{7}},
		{"finger2011-wsq-raw", finger2011(2, view{1, 88, 0, 64, 48, w}, view{2, 77, 0, 64, 48, w}), Finger, "020", false, []Format{FormatWSQ, FormatWSQ}, 394 * 2.54, []Position{1, 2}},
		{"face2005-jpeg", face2005(0, 64, 48, j), Face, "010", false, []Format{FormatJPEG}, 0, []Position{0}},
		{"face2011-png", face2011(3, 64, 48, p), Face, "030", false, []Format{FormatPNG}, 0, []Position{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := Parse(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Modality != tt.modality || rec.Version != tt.version || rec.ANSI != tt.ansi || len(rec.Images) != len(tt.formats) {
				t.Fatalf("got %v %q ansi=%v %d images", rec.Modality, rec.Version, rec.ANSI, len(rec.Images))
			}
			for i, im := range rec.Images {
				if im.Format != tt.formats[i] || im.Width != 64 || im.Height != 48 || im.Position != tt.pos[i] {
					t.Errorf("image %d: %v %dx%d %v", i, im.Format, im.Width, im.Height, im.Position)
				}
				if d := im.PPI[0] - tt.ppi; d > 1e-9 || d < -1e-9 {
					t.Errorf("image %d: PPI %v, want %v", i, im.PPI, tt.ppi)
				}
				img, err := im.Decode()
				if err != nil {
					t.Fatalf("image %d: %v", i, err)
				}
				if img.Bounds() != image.Rect(0, 0, 64, 48) {
					t.Errorf("image %d: bounds %v", i, img.Bounds())
				}
				if tt.modality == Face && (len(im.Landmarks) == 0 || im.Landmarks[0].X == 0) {
					t.Errorf("landmarks %+v", im.Landmarks)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	good := finger2011(6, view{7, 88, 0, 64, 48, encPNG(t, gradient(64, 48))})
	var fe FormatError
	var ue UnsupportedError
	for n := 0; n < len(good); n++ {
		_, err := Parse(good[:n])
		if !errors.As(err, &fe) {
			t.Fatalf("prefix %d: err %v, want FormatError", n, err)
		}
	}
	if _, err := Parse([]byte("FIR\x00030\x00........")); !errors.As(err, &ue) {
		t.Errorf("unknown version: err %v, want UnsupportedError", err)
	}
	if _, err := Parse([]byte("\x89PNG\r\n\x1a\n")); !errors.As(err, &fe) {
		t.Errorf("PNG: err %v, want FormatError", err)
	}
}

// testdataRecords are small records generated by this test file; they seed
// FuzzParse.
func testdataRecords(t testing.TB) map[string][]byte {
	g := gradient(24, 20)
	return map[string][]byte{
		"finger2005_wsq.fir":  finger2005(2, false, view{1, 60, 0, 24, 20, encWSQ(t, g)}),
		"finger2011_png.fir":  finger2011(6, view{2, 60, 0, 24, 20, encPNG(t, g)}),
		"finger2005_raw.fir":  finger2005(0, true, view{3, 60, 0, 24, 20, append([]byte(nil), g.Pix...)}),
		"face2011_jpeg.fac":   face2011(0, 24, 20, encJPEG(t, g)),
		"face2005_jpeg.fac":   face2005(0, 24, 20, encJPEG(t, g)),
		"finger39794_wsq.der": finger39794Record(encWSQ(t, g)),
		"face39794_png.der":   face39794Record(encPNG(t, g), 24, 20),
	}
}

func TestTestdata(t *testing.T) {
	for name, data := range testdataRecords(t) {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := Parse(got)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, im := range rec.Images {
			if _, err := im.Decode(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "*"))
	if p := corpus.Path(); p != "" {
		// The real records, when the reference corpus is present.
		real, _ := filepath.Glob(filepath.Join(p, "finger", "records", "*.iso"))
		names = append(names, real...)
	}
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := Parse(data)
		if err != nil {
			return
		}
		for _, im := range rec.Images {
			if cfg, err := im.DecodeConfig(); err == nil && cfg.Width*cfg.Height <= 1<<20 {
				im.Decode()
			}
		}
	})
}
