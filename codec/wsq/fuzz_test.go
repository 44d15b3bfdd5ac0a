package wsq

import (
	"bytes"
	"flag"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
)

var update = flag.Bool("update", false, "regenerate the files in testdata")

// testdataFiles are small WSQ files written by this package's encoder from
// synthetic images; they seed FuzzDecode and guard the bitstream format.
var testdataFiles = []struct {
	name string
	img  func() *image.Gray
	opts Options
}{
	{"ridges_96x80_075.wsq", func() *image.Gray { return ridges(96, 80, 11) }, Options{BitRate: 0.75, PPI: 500}},
	{"ridges_33x47_225.wsq", func() *image.Gray { return ridges(33, 47, 12) }, Options{BitRate: 2.25, PPI: 1000}},
	{"flat_16x16.wsq", func() *image.Gray {
		g := image.NewGray(image.Rect(0, 0, 16, 16))
		for i := range g.Pix {
			g.Pix[i] = 200
		}
		return g
	}, Options{}},
}

// TestTestdata checks (or, with -update, regenerates) the testdata files:
// each must decode to its source image within a PSNR floor, and the encoder
// must still produce the same bytes.
func TestTestdata(t *testing.T) {
	for _, tf := range testdataFiles {
		t.Run(tf.name, func(t *testing.T) {
			src := tf.img()
			var buf bytes.Buffer
			if err := Encode(&buf, src, &tf.opts); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tf.name)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(data, buf.Bytes()) {
				t.Errorf("encoder output changed (%d bytes, testdata %d); run go test -update if intended", buf.Len(), len(data))
			}
			img, meta, err := DecodeMetadata(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			wantPPI := tf.opts.PPI
			if meta.PPI != wantPPI {
				t.Errorf("PPI %d, want %d", meta.PPI, wantPPI)
			}
			if p := psnr(src, img); p < 20 {
				t.Errorf("PSNR %.2f dB < 20", p)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, tf := range testdataFiles {
		if data, err := os.ReadFile(filepath.Join("testdata", tf.name)); err == nil {
			f.Add(data)
		}
	}
	var buf bytes.Buffer
	if err := Encode(&buf, ridges(24, 20, 13), &Options{BitRate: 3}); err == nil {
		f.Add(buf.Bytes())
	}
	// The real sample, when the reference corpus is present.
	if p := corpus.Path(); p != "" {
		if b, err := os.ReadFile(filepath.Join(p, "finger", "wsq", "jnbis_sample.wsq")); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return
		}
		if cfg.Width*cfg.Height > 1<<20 {
			return // keep fuzzing fast: large frames are legal but slow
		}
		img, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
			t.Fatalf("Decode size %v, DecodeConfig %dx%d", b, cfg.Width, cfg.Height)
		}
	})
}
