package jp2

import (
	"bytes"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/biogate/biogate/codec/pnm"
	"github.com/biogate/biogate/internal/corpus"
)

// The files in testdata were made from synthetic images (gray8.pgm,
// rgb8.ppm, gray12.pgm) with OpenJPEG 2.5's opj_compress; the *.opj.p?m
// references are opj_decompress's output for the lossy files. See
// testdata/README.md.

func readPNM(t testing.TB, name string) image.Image {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := pnm.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func maxDiff(t testing.TB, a, b image.Image) int {
	t.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("sizes differ: %v vs %v", a.Bounds(), b.Bounds())
	}
	ra, rb := a.Bounds(), b.Bounds()
	worst := 0
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			r1, g1, b1, _ := a.At(ra.Min.X+x, ra.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(rb.Min.X+x, rb.Min.Y+y).RGBA()
			for _, p := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}} {
				d := int(p[0]) - int(p[1])
				worst = max(worst, max(d, -d))
			}
		}
	}
	return worst
}

func TestDecodeTestdata(t *testing.T) {
	tests := []struct {
		file, ref string
		tol       int // in 16-bit units
		model     string
	}{
		{"gray8_lossless.j2k", "gray8.pgm", 0, "*image.Gray"},
		{"gray8_offset_tiles_cprl.j2k", "gray8.pgm", 0, "*image.Gray"},
		{"gray8_precincts_sop_eph_pcrl.j2k", "gray8.pgm", 0, "*image.Gray"},
		{"gray8_tileparts.j2k", "gray8.pgm", 0, "*image.Gray"},
		{"gray8_bypass.j2k", "gray8.pgm", 0, "*image.Gray"},
		{"gray8_allmodes_layers.j2k", "gray8.pgm", 0, "*image.Gray"},
		{"gray12_lossless.j2k", "gray12.pgm", 16, "*image.Gray16"},
		{"rgb8_lossless.j2k", "rgb8.ppm", 0, "*image.NRGBA"},
		{"rgb8_tiles_pcrl.j2k", "rgb8.ppm", 0, "*image.NRGBA"},
		{"gray8_lossy_layers.jp2", "gray8_lossy_layers.opj.pgm", 257, "*image.Gray"},
		{"gray8_lossy_modes.j2k", "gray8_lossy_modes.opj.pgm", 257, "*image.Gray"},
		{"gray8_lossy_rlcp.j2k", "gray8_lossy_rlcp.opj.pgm", 257, "*image.Gray"},
		{"rgb8_lossy.jp2", "rgb8_lossy.opj.ppm", 257, "*image.NRGBA"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			img, format, err := image.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.TrimPrefix(filepath.Ext(tt.file), "."); format != want {
				t.Errorf("format %q, want %q", format, want)
			}
			if got := typeName(img); got != tt.model {
				t.Errorf("decoded as %s, want %s", got, tt.model)
			}
			cfg, err := DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width != img.Bounds().Dx() || cfg.Height != img.Bounds().Dy() || cfg.ColorModel != img.ColorModel() {
				t.Errorf("DecodeConfig %v %v disagrees with Decode", cfg, err)
			}
			if d := maxDiff(t, img, readPNM(t, tt.ref)); d > tt.tol {
				t.Errorf("max difference from %s: %d (16-bit units), want ≤ %d", tt.ref, d, tt.tol)
			}
		})
	}
}

func typeName(img image.Image) string {
	switch img.(type) {
	case *image.Gray:
		return "*image.Gray"
	case *image.Gray16:
		return "*image.Gray16"
	case *image.NRGBA:
		return "*image.NRGBA"
	}
	return "other"
}

func TestDecodeUnsupported(t *testing.T) {
	for _, f := range []string{"gray8_roi.j2k"} {
		data, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Decode(bytes.NewReader(data))
		var ue UnsupportedError
		if !errors.As(err, &ue) {
			t.Errorf("%s: err %v, want UnsupportedError", f, err)
		}
	}
}

// TestDecodeTruncated decodes prefixes of a layered file: a stream cut in
// the packet data decodes the layers present (lower quality), a stream cut
// in the headers fails; nothing panics.
func TestDecodeTruncated(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "gray8_lossless.j2k"))
	if err != nil {
		t.Fatal(err)
	}
	ref := readPNM(t, "gray8.pgm")
	prev := -1
	for _, frac := range []int{1, 2, 4, 8} {
		n := len(data) * frac / 8
		img, err := Decode(bytes.NewReader(data[:n]))
		if err != nil {
			t.Logf("%d bytes: %v", n, err)
			continue
		}
		d := maxDiff(t, img, ref)
		t.Logf("%d/%d bytes: max difference %d", n, len(data), d)
		if frac == 8 && d != 0 {
			t.Errorf("complete file differs by %d", d)
		}
		prev = d
	}
	if prev != 0 {
		t.Errorf("complete file did not decode exactly")
	}
	for n := 0; n < 200; n++ {
		Decode(bytes.NewReader(data[:n]))
	}
}

func FuzzDecode(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "*.j[2p]*"))
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil && len(b) < 4000 {
			f.Add(b)
		}
	}
	// The real fingerprint, when the reference corpus is present.
	if p := corpus.Path(); p != "" {
		if b, err := os.ReadFile(filepath.Join(p, "finger", "records", "info_jp2.jp2")); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<18 {
			return
		}
		img, err := decodeBytesUnsafe(data)
		if err == nil && (img.Bounds().Dx() != cfg.Width || img.Bounds().Dy() != cfg.Height) {
			t.Fatalf("Decode size %v, DecodeConfig %dx%d", img.Bounds(), cfg.Width, cfg.Height)
		}
	})
}
