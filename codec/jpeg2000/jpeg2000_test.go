package jpeg2000

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
)

// fixtures lists the committed test files (see testdata/gen.sh).
var fixtures = []struct {
	name     string
	lossless bool
	w, h, nc int
	prec     int
}{
	{"gradient_53.j2k", true, 67, 45, 1, 8},
	{"noise_53_l2.j2k", true, 40, 33, 1, 8},
	{"gradient_53_cb4.j2k", true, 67, 45, 1, 8},
	{"ridge_53_tiles_rpcl.j2k", true, 128, 112, 1, 8},
	{"ridge_53_modes.j2k", true, 128, 112, 1, 8},
	{"ridge_53_offset_rlcp.j2k", true, 128, 112, 1, 8},
	{"deep12_53.j2k", true, 50, 37, 1, 12},
	{"deep16_53.j2k", true, 41, 30, 1, 16},
	{"portrait_rct.jp2", true, 72, 90, 3, 8},
	{"portrait_53_prec_pcrl.j2k", true, 72, 90, 3, 8},
	{"portrait_53_cprl_sop_eph.j2k", true, 72, 90, 3, 8},
	{"portrait_53_nomct_layers.j2k", true, 72, 90, 3, 8},
	{"portrait_53_poc_tiles.j2k", true, 72, 90, 3, 8},
	{"ridge_53_roi.j2k", true, 128, 112, 1, 8},
	{"gradient_97.j2k", false, 67, 45, 1, 8},
	{"ridge_97_roi.j2k", false, 128, 112, 1, 8},
	{"ridge_97_layers.jp2", false, 128, 112, 1, 8},
	{"ridge_97_bypass_vsc.j2k", false, 128, 112, 1, 8},
	{"ridge_97_n0.j2k", false, 128, 112, 1, 8},
	{"deep16_97.j2k", false, 41, 30, 1, 16},
	{"portrait_ict.jp2", false, 72, 90, 3, 8},
	{"portrait_97_tiles_prec.j2k", false, 72, 90, 3, 8},
}

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// samples returns the samples of img as nc values per pixel, reduced to
// prec bits when the image holds 16-bit samples.
func samples(img image.Image, prec int) (vals []int, nc int) {
	b := img.Bounds()
	shift := uint(0)
	if prec > 8 {
		shift = uint(16 - prec)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			switch im := img.(type) {
			case *image.Gray:
				nc = 1
				vals = append(vals, int(im.GrayAt(x, y).Y))
			case *image.Gray16:
				nc = 1
				vals = append(vals, int(im.Gray16At(x, y).Y>>shift))
			default:
				nc = 3
				r, g, bl, _ := im.At(x, y).RGBA()
				if prec > 8 {
					vals = append(vals, int(r>>shift), int(g>>shift), int(bl>>shift))
				} else {
					vals = append(vals, int(r>>8), int(g>>8), int(bl>>8))
				}
			}
		}
	}
	return vals, nc
}

// compare returns the maximum absolute sample difference and the number of
// differing samples.
func compare(t *testing.T, got, want image.Image, prec int) (maxDiff, n int) {
	t.Helper()
	if got.Bounds().Size() != want.Bounds().Size() {
		t.Fatalf("size %v, reference %v", got.Bounds().Size(), want.Bounds().Size())
	}
	g, gnc := samples(got, prec)
	w, wnc := samples(want, prec)
	if gnc != wnc {
		t.Fatalf("%d channels, reference %d", gnc, wnc)
	}
	for i := range g {
		d := g[i] - w[i]
		if d < 0 {
			d = -d
		}
		if d > 0 {
			n++
		}
		maxDiff = max(maxDiff, d)
	}
	return maxDiff, n
}

func TestDecodeFixtures(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			img, err := Decode(bytes.NewReader(readFixture(t, f.name)))
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != image.Pt(f.w, f.h) {
				t.Fatalf("size %v, want %dx%d", got, f.w, f.h)
			}
			switch {
			case f.nc == 1 && f.prec <= 8:
				_, ok := img.(*image.Gray)
				if !ok {
					t.Fatalf("got %T, want *image.Gray", img)
				}
			case f.nc == 1:
				if _, ok := img.(*image.Gray16); !ok {
					t.Fatalf("got %T, want *image.Gray16", img)
				}
			default:
				if _, ok := img.(*image.RGBA); !ok {
					t.Fatalf("got %T, want *image.RGBA", img)
				}
			}
			ref, err := png.Decode(bytes.NewReader(readFixture(t, f.name+".png")))
			if err != nil {
				t.Fatal(err)
			}
			maxDiff, n := compare(t, img, ref, f.prec)
			limit := 1
			if f.lossless {
				limit = 0
			}
			if maxDiff > limit {
				t.Errorf("max abs difference with opj_decompress %d (%d samples differ), want <= %d", maxDiff, n, limit)
			}
		})
	}
}

func TestDecodeMetadata(t *testing.T) {
	tests := []struct {
		name        string
		jp2         bool
		reversible  bool
		levels      int
		layers      int
		progression string
		tilesX      int
		tilesY      int
	}{
		{"gradient_53.j2k", false, true, 5, 1, "LRCP", 1, 1},
		{"ridge_53_tiles_rpcl.j2k", false, true, 3, 1, "RPCL", 3, 3},
		{"ridge_97_layers.jp2", true, false, 4, 3, "LRCP", 1, 1},
		{"portrait_53_cprl_sop_eph.j2k", false, true, 2, 1, "CPRL", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md, err := DecodeMetadata(bytes.NewReader(readFixture(t, tt.name)))
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprint(md.JP2, md.Reversible, md.Levels, md.Layers, md.Progression, md.TilesX, md.TilesY)
			want := fmt.Sprint(tt.jp2, tt.reversible, tt.levels, tt.layers, tt.progression, tt.tilesX, tt.tilesY)
			if got != want {
				t.Errorf("got %s, want %s", got, want)
			}
			if _, _, ok := md.PPI(); ok {
				t.Error("PPI reported for a file without a res box")
			}
		})
	}
}

func TestImageDecodeRegistration(t *testing.T) {
	for _, tt := range []struct{ file, format string }{
		{"portrait_rct.jp2", "jpeg2000"},
		{"gradient_53.j2k", "j2k"},
	} {
		img, format, err := image.Decode(bytes.NewReader(readFixture(t, tt.file)))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if format != tt.format {
			t.Errorf("%s: format %q, want %q", tt.file, format, tt.format)
		}
		cfg, format2, err := image.DecodeConfig(bytes.NewReader(readFixture(t, tt.file)))
		if err != nil || format2 != tt.format {
			t.Fatalf("%s: DecodeConfig: %v %q", tt.file, err, format2)
		}
		if cfg.Width != img.Bounds().Dx() || cfg.Height != img.Bounds().Dy() || cfg.ColorModel != img.ColorModel() {
			t.Errorf("%s: config %+v disagrees with image %v %v", tt.file, cfg, img.Bounds(), img.ColorModel())
		}
	}
}

// mkbox builds one JP2 box.
func mkbox(typ string, body ...[]byte) []byte {
	n := 8
	for _, b := range body {
		n += len(b)
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(n))
	out = append(out, typ...)
	for _, b := range body {
		out = append(out, b...)
	}
	return out
}

// wrapJP2 wraps a raw codestream in a minimal JP2 file with a 'res ' box
// declaring ppm pixels per metre (numerator, denominator, exponent).
func wrapJP2(cs []byte, w, h int, capN, capD uint16, capE int8, dispN uint16) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(h))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(w))
	ihdr = append(ihdr, 0, 1, 7, 7, 0, 0)
	colr := []byte{1, 0, 0, 0, 0, 0, 17}
	res := func(n, d uint16, e int8) []byte {
		b := binary.BigEndian.AppendUint16(nil, n)
		b = binary.BigEndian.AppendUint16(b, d)
		b = binary.BigEndian.AppendUint16(b, n)
		b = binary.BigEndian.AppendUint16(b, d)
		return append(b, byte(e), byte(e))
	}
	resBox := mkbox("res ", mkbox("resc", res(capN, capD, capE)), mkbox("resd", res(dispN, 1, 0)))
	var out []byte
	out = append(out, mkbox("jP  ", []byte("\r\n\x87\n"))...)
	out = append(out, mkbox("ftyp", []byte("jp2 \x00\x00\x00\x00jp2 "))...)
	out = append(out, mkbox("jp2h", mkbox("ihdr", ihdr), mkbox("colr", colr), resBox)...)
	return append(out, mkbox("jp2c", cs)...)
}

func TestResolutionBox(t *testing.T) {
	cs := readFixture(t, "gradient_53.j2k")
	// 19685 pixels per metre = 500.0 ppi (to 0.01); 1000 ppi as 3937/1 × 10^1.
	tests := []struct {
		n, d    uint16
		e       int8
		wantPPI float64
	}{
		{19685, 1, 0, 500},
		{3937, 1, 1, 1000},
		{39370, 100, 0, 10},
	}
	for _, tt := range tests {
		file := wrapJP2(cs, 67, 45, tt.n, tt.d, tt.e, 3780)
		img, md, err := DecodeWithMetadata(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != 67 || !md.JP2 || md.ColorSpace != 17 {
			t.Fatalf("bad decode: %v %+v", img.Bounds(), md)
		}
		x, y, ok := md.PPI()
		if !ok || absf(x-tt.wantPPI) > 0.01 || absf(y-tt.wantPPI) > 0.01 {
			t.Errorf("PPI = %v, %v, %v, want %v", x, y, ok, tt.wantPPI)
		}
		if absf(md.DisplayXPPI-96.012) > 0.001 {
			t.Errorf("display PPI = %v, want 96.012", md.DisplayXPPI)
		}
	}
}

func absf(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// insertMarker inserts a marker segment into the main header of a raw
// codestream, just after SIZ.
func insertMarker(cs []byte, marker uint16, body []byte) []byte {
	sizLen := int(binary.BigEndian.Uint16(cs[4:]))
	at := 4 + sizLen
	seg := binary.BigEndian.AppendUint16(nil, marker)
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(body)+2))
	seg = append(seg, body...)
	out := append([]byte(nil), cs[:at]...)
	out = append(out, seg...)
	return append(out, cs[at:]...)
}

func TestErrors(t *testing.T) {
	cs := readFixture(t, "gradient_53.j2k")
	tests := []struct {
		name        string
		data        []byte
		unsupported bool
	}{
		{"empty", nil, false},
		{"garbage", []byte("not a jpeg 2000 file at all"), false},
		{"soc only", []byte{0xff, 0x4f}, false},
		{"no SIZ", []byte{0xff, 0x4f, 0xff, 0x52, 0, 2}, false},
		{"header only", cs[:60], false},
		{"RGN style 1", insertMarker(cs, mRGN, []byte{0, 1, 3}), true},
		{"HT code-blocks", insertMarker(cs, mCOD, []byte{0, 0, 0, 1, 0, 5, 4, 4, 0x40, 1}), true},
		{"PPM without data", insertMarker(cs, mPPM, []byte{0}), false},
		{"bad POC", insertMarker(cs, mPOC, []byte{0, 0, 0, 1, 5, 0}), false},
		{"JP2 without codestream", mkbox("jP  ", []byte("\r\n\x87\n")), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(bytes.NewReader(tt.data))
			if err == nil {
				t.Fatal("no error")
			}
			var fe FormatError
			var ue UnsupportedError
			if tt.unsupported {
				if !errors.As(err, &ue) || !errors.Is(err, ErrUnsupported) {
					t.Errorf("got %T %v, want UnsupportedError", err, err)
				}
			} else if !errors.As(err, &fe) || !errors.Is(err, ErrFormat) {
				t.Errorf("got %T %v, want FormatError", err, err)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	cs := append([]byte(nil), readFixture(t, "gradient_53.j2k")...)
	// Xsiz and Ysiz of SIZ: 60000 × 60000.
	binary.BigEndian.PutUint32(cs[8:], 60000)
	binary.BigEndian.PutUint32(cs[12:], 60000)
	binary.BigEndian.PutUint32(cs[24:], 60000)
	binary.BigEndian.PutUint32(cs[28:], 60000)
	_, err := Decode(bytes.NewReader(cs))
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("got %v, want an UnsupportedError for MaxPixels", err)
	}
}

// TestTruncated decodes every prefix of a few fixtures: a prefix that ends
// before the codestream's EOC marker is a truncated file and must fail with
// a FormatError (never an image, never a panic), whether the cut falls in a
// header, a tile-part's data or a box; the whole file still decodes.
func TestTruncated(t *testing.T) {
	for _, name := range []string{"ridge_53_modes.j2k", "portrait_ict.jp2", "ridge_97_bypass_vsc.j2k", "portrait_53_poc_tiles.j2k", "ridge_97_layers.jp2"} {
		data := readFixture(t, name)
		eoc := bytes.LastIndex(data, []byte{0xff, 0xd9})
		if eoc < 0 {
			t.Fatalf("%s: fixture has no EOC marker", name)
		}
		if _, err := Decode(bytes.NewReader(data)); err != nil {
			t.Fatalf("%s: whole file: %v", name, err)
		}
		step := max(1, len(data)/150)
		for n := 0; n < eoc+2; n += step {
			img, err := Decode(bytes.NewReader(data[:n]))
			if err == nil || img != nil {
				t.Errorf("%s[:%d] of %d bytes: decoded (err %v), want a truncation error", name, n, len(data), err)
				continue
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("%s[:%d]: %v, want a FormatError", name, n, err)
			}
		}
		// A cut inside the tile data names the truncation.
		_, err := Decode(bytes.NewReader(data[:eoc-len(data)/10]))
		if err == nil || !strings.Contains(err.Error(), "truncated codestream") {
			t.Errorf("%s cut at %d: %v, want a truncated codestream error", name, eoc-len(data)/10, err)
		}
	}
}

func TestCorrupt(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, f := range fixtures {
		data := readFixture(t, f.name)
		for i := 0; i < 25; i++ {
			c := append([]byte(nil), data...)
			for k := 0; k < 1+rng.IntN(4); k++ {
				c[rng.IntN(len(c))] = byte(rng.IntN(256))
			}
			img, err := Decode(bytes.NewReader(c))
			if err == nil && img == nil {
				t.Fatalf("%s: nil image without error", f.name)
			}
		}
	}
}

// opjDecode decodes file with opj_decompress into a PNG, or skips the
// comparison when the tool is not installed (fails instead when
// BIOGATE_REQUIRE_TOOLS=1, as .ci/run sets after installing it).
func opjDecode(t *testing.T, file string) image.Image {
	t.Helper()
	bin, err := exec.LookPath("opj_decompress")
	if err != nil {
		if os.Getenv("BIOGATE_REQUIRE_TOOLS") == "1" {
			t.Fatal("opj_decompress not installed and BIOGATE_REQUIRE_TOOLS=1 (apt-get install libopenjp2-tools)")
		}
		t.Skip("opj_decompress not installed (apt-get install libopenjp2-tools): skipping the cross-decoder comparison")
	}
	out := filepath.Join(t.TempDir(), "ref.png")
	if msg, err := exec.Command(bin, "-i", file, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("opj_decompress: %v: %s", err, msg)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func meanStd(img *image.Gray) (mean, std float64) {
	var s, s2 float64
	for _, v := range img.Pix {
		s += float64(v)
		s2 += float64(v) * float64(v)
	}
	n := float64(len(img.Pix))
	mean = s / n
	v := s2/n - mean*mean
	for std = v; std*std > v*1.0000001 || std*std < v*0.9999999; {
		std = (std + v/std) / 2
	}
	return mean, std
}

// TestCorpusFingerprint decodes the real JPEG 2000 fingerprint of the
// shared corpus, in its JP2 file and inside its ISO/IEC 19794-4 record.
func TestCorpusFingerprint(t *testing.T) {
	dir := corpus.Dir(t, "finger", "records")
	file := filepath.Join(dir, "info_jp2.jp2")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	img, md, err := DecodeWithMetadata(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("got %T, want *image.Gray", img)
	}
	if b := g.Bounds(); b.Dx() != 294 || b.Dy() != 539 || md.Reversible {
		t.Fatalf("got %v reversible=%v, want 294x539 irreversible", b, md.Reversible)
	}
	mean, std := meanStd(g)
	// A fingerprint: mid-to-light mean, strong ridge contrast.
	if mean < 80 || mean > 240 || std < 20 {
		t.Errorf("implausible fingerprint statistics: mean %.1f, std %.1f", mean, std)
	}
	t.Logf("info_jp2.jp2: %v, mean %.1f, std %.1f", g.Bounds().Size(), mean, std)

	// The same codestream inside the ISO/IEC 19794-4 record.
	rec, err := os.ReadFile(filepath.Join(dir, "info_jp2.iso"))
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(rec, []byte(jp2Magic))
	if at < 0 {
		at = bytes.Index(rec, []byte(j2kMagic))
	}
	if at < 0 {
		t.Fatal("no JPEG 2000 data in info_jp2.iso")
	}
	img2, err := Decode(bytes.NewReader(rec[at:]))
	if err != nil {
		t.Fatalf("record image: %v", err)
	}
	if d, n := compare(t, img2, img, 8); d != 0 {
		t.Errorf("record image differs from the JP2 file: max %d, %d samples", d, n)
	}

	ref := opjDecode(t, file)
	maxDiff, n := compare(t, img, ref, 8)
	t.Logf("against opj_decompress: max abs difference %d, %d of %d samples differ", maxDiff, n, len(g.Pix))
	if maxDiff > 1 {
		t.Errorf("max abs difference with opj_decompress %d, want <= 1", maxDiff)
	}
}

// TestPortrait600x800 checks the benchmark image against opj_decompress.
func TestPortrait600x800(t *testing.T) {
	img, err := Decode(bytes.NewReader(readFixture(t, "portrait600x800_97.jp2")))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 600 || img.Bounds().Dy() != 800 {
		t.Fatalf("size %v", img.Bounds())
	}
	ref := opjDecode(t, filepath.Join("testdata", "portrait600x800_97.jp2"))
	if d, n := compare(t, img, ref, 8); d > 1 {
		t.Errorf("max abs difference with opj_decompress %d (%d samples), want <= 1", d, n)
	}
}

func BenchmarkDecode(b *testing.B) {
	cases := []struct{ name, file string }{
		{"portrait600x800_97", filepath.Join("testdata", "portrait600x800_97.jp2")},
		{"ridge128x112_53", filepath.Join("testdata", "ridge_53_modes.j2k")},
	}
	if p := corpus.Path(); p != "" {
		cases = append(cases, struct{ name, file string }{"finger294x539_97", filepath.Join(p, "finger", "records", "info_jp2.jp2")})
	}
	for _, c := range cases {
		data, err := os.ReadFile(c.file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for i := 0; i < b.N; i++ {
				if _, err := Decode(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, fx := range fixtures {
		if !strings.HasPrefix(fx.name, "portrait_53") { // keep the seed corpus small
			f.Add(readFixture(f, fx.name))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return
		}
		if cfg.Width*cfg.Height > 1<<16 {
			return // keep each fuzz iteration fast
		}
		img, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		if img.Bounds().Dx() != cfg.Width || img.Bounds().Dy() != cfg.Height {
			t.Fatalf("Decode size %v disagrees with DecodeConfig %dx%d", img.Bounds(), cfg.Width, cfg.Height)
		}
	})
}

// TestSYCC wraps a three-component codestream without component transform
// in a JP2 file declaring sYCC, and checks the conversion to RGB against the
// decode of the bare codestream and, when installed, opj_decompress.
func TestSYCC(t *testing.T) {
	cs := readFixture(t, "portrait_53_nomct_layers.j2k")
	f := wrapJP2(cs, 72, 90, 19685, 1, 0, 3780)
	f[bytes.Index(f, []byte("colr"))+10] = 18 // EnumCS
	f[bytes.Index(f, []byte("ihdr"))+13] = 3  // NC
	img, err := Decode(bytes.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Decode(bytes.NewReader(cs))
	if err != nil {
		t.Fatal(err)
	}
	got, want := img.(*image.RGBA), raw.(*image.RGBA)
	clamp := func(v float64) uint8 { return uint8(min(255, max(0, v+0.5))) }
	bad := 0
	for i := 0; i < len(got.Pix); i += 4 {
		y, cb, cr := float64(want.Pix[i]), float64(want.Pix[i+1])-128, float64(want.Pix[i+2])-128
		exp := [3]uint8{clamp(y + 1.402*cr), clamp(y - 0.344136*cb - 0.714136*cr), clamp(y + 1.772*cb)}
		for k := 0; k < 3; k++ {
			if d := int(got.Pix[i+k]) - int(exp[k]); d > 1 || d < -1 {
				bad++
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d samples differ from the sYCC conversion", bad)
	}
	path := filepath.Join(t.TempDir(), "sycc.jp2")
	if err := os.WriteFile(path, f, 0o644); err != nil {
		t.Fatal(err)
	}
	ref := opjDecode(t, path)
	if d, n := compare(t, img, ref, 8); d > 1 {
		t.Errorf("max abs difference with opj_decompress %d (%d samples), want <= 1", d, n)
	}
}

// TestFixturesListed keeps the fixtures table in step with testdata.
func TestFixturesListed(t *testing.T) {
	refs, err := filepath.Glob(filepath.Join("testdata", "*.png"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, f := range fixtures {
		listed[f.name+".png"] = true
	}
	for _, r := range refs {
		if !listed[filepath.Base(r)] {
			t.Errorf("%s has no entry in fixtures", r)
		}
	}
	if len(refs) != len(fixtures) {
		t.Errorf("%d reference PNGs for %d fixtures", len(refs), len(fixtures))
	}
}

// TestConcurrentDecode decodes fixtures from several goroutines at once
// (run with -race) and checks every result against a sequential decode.
func TestConcurrentDecode(t *testing.T) {
	names := []string{"portrait_97_tiles_prec.j2k", "ridge_53_modes.j2k", "portrait_rct.jp2"}
	want := map[string][]uint8{}
	for _, n := range names {
		img, err := Decode(bytes.NewReader(readFixture(t, n)))
		if err != nil {
			t.Fatal(err)
		}
		want[n] = pixels(img)
	}
	errs := make(chan error, 3*len(names))
	for k := 0; k < 3; k++ {
		for _, n := range names {
			data := readFixture(t, n)
			go func() {
				img, err := Decode(bytes.NewReader(data))
				if err == nil && !bytes.Equal(pixels(img), want[n]) {
					err = fmt.Errorf("%s: concurrent decode differs", n)
				}
				errs <- err
			}()
		}
	}
	for i := 0; i < cap(errs); i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
