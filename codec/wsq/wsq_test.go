package wsq

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// ridges returns a synthetic fingerprint-like image: curved ridges with a
// period of about 9 pixels (500 ppi) inside an elliptic finger area on a
// light background, with a little noise.
func ridges(w, h int, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 7))
	img := image.NewGray(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)*0.55
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := (float64(x)-cx)/(0.42*float64(w)), (float64(y)-cy)/(0.45*float64(h))
			v := 220.0
			if e := dx*dx + dy*dy; e < 1 {
				r := math.Hypot(float64(x)-cx, 1.3*(float64(y)-cy))
				s := math.Sin(2*math.Pi*r/9 + 0.8*math.Sin(float64(x)/37))
				v = 128 + 90*s*(1-e*e)
			}
			v += rng.NormFloat64() * 4
			img.Pix[y*img.Stride+x] = uint8(max(0, min(255, math.Round(v))))
		}
	}
	return img
}

func psnr(a, b *image.Gray) float64 {
	var se float64
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			d := float64(a.GrayAt(x, y).Y) - float64(b.GrayAt(x, y).Y)
			se += d * d
		}
	}
	mse := se / float64(r.Dx()*r.Dy())
	if mse == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/mse)
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		w, h     int
		rate     float64
		minPSNR  float64
		maxRatio float64 // achieved bits per pixel / target
	}{
		{"500ppi-0.75", 256, 320, 0.75, 30, 1.5},
		{"500ppi-2.25", 256, 320, 2.25, 37, 1.5},
		{"odd-size-0.75", 317, 269, 0.75, 29, 1.6},
		{"small-1.0", 64, 72, 1.0, 20, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := ridges(tt.w, tt.h, 1)
			var buf bytes.Buffer
			if err := Encode(&buf, src, &Options{BitRate: tt.rate, PPI: 500}); err != nil {
				t.Fatal(err)
			}
			bpp := float64(8*buf.Len()) / float64(tt.w*tt.h)
			img, meta, err := DecodeMetadata(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if meta.Width != tt.w || meta.Height != tt.h || meta.PPI != 500 {
				t.Errorf("metadata %dx%d %d ppi, want %dx%d 500 ppi", meta.Width, meta.Height, meta.PPI, tt.w, tt.h)
			}
			p := psnr(src, img)
			t.Logf("%d bytes, %.3f bpp (target %.2f), PSNR %.2f dB", buf.Len(), bpp, tt.rate, p)
			if p < tt.minPSNR {
				t.Errorf("PSNR %.2f dB < %.1f", p, tt.minPSNR)
			}
			if bpp > tt.rate*tt.maxRatio {
				t.Errorf("bit rate %.3f bpp exceeds %.2f × target %.2f", bpp, tt.maxRatio, tt.rate)
			}
		})
	}
}

func TestRoundTripHigherRateIsBetter(t *testing.T) {
	src := ridges(256, 256, 2)
	prev := 0.0
	for _, rate := range []float64{0.3, 0.75, 1.5, 3} {
		var buf bytes.Buffer
		if err := Encode(&buf, src, &Options{BitRate: rate}); err != nil {
			t.Fatal(err)
		}
		img, err := Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		p := psnr(src, img.(*image.Gray))
		if p <= prev {
			t.Errorf("rate %.2f: PSNR %.2f not above %.2f at the lower rate", rate, p, prev)
		}
		prev = p
	}
}

func TestEncodeFlatAndSubImage(t *testing.T) {
	flat := image.NewGray(image.Rect(0, 0, 50, 40))
	for i := range flat.Pix {
		flat.Pix[i] = 77
	}
	big := ridges(120, 100, 3)
	sub := big.SubImage(image.Rect(10, 20, 90, 95)).(*image.Gray)
	for _, tc := range []struct {
		name string
		img  *image.Gray
		tol  float64
	}{{"flat", flat, 60}, {"subimage", sub, 22}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, tc.img, nil); err != nil {
				t.Fatal(err)
			}
			got, err := Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			g := got.(*image.Gray)
			if g.Bounds().Size() != tc.img.Bounds().Size() {
				t.Fatalf("size %v, want %v", g.Bounds().Size(), tc.img.Bounds().Size())
			}
			// Compare after moving the source to the origin.
			src := image.NewGray(g.Bounds())
			for y := 0; y < src.Rect.Dy(); y++ {
				copy(src.Pix[y*src.Stride:], tc.img.Pix[tc.img.PixOffset(tc.img.Rect.Min.X, tc.img.Rect.Min.Y+y):][:src.Rect.Dx()])
			}
			if p := psnr(src, g); p < tc.tol {
				t.Errorf("PSNR %.2f < %.0f", p, tc.tol)
			}
		})
	}
}

func TestEncodeOptionsErrors(t *testing.T) {
	img := ridges(32, 32, 1)
	for _, o := range []*Options{{BitRate: -1}, {BitRate: 9}, {BitRate: math.NaN()}} {
		if err := Encode(new(bytes.Buffer), img, o); err == nil {
			t.Errorf("Encode with %+v: no error", *o)
		}
	}
	if err := Encode(new(bytes.Buffer), image.NewGray(image.Rectangle{}), nil); err == nil {
		t.Error("Encode of an empty image: no error")
	}
}

func TestDecodeConfigAndRegistration(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, ridges(90, 70, 4), &Options{PPI: 1000}); err != nil {
		t.Fatal(err)
	}
	cfg, name, err := image.DecodeConfig(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if name != "wsq" || cfg.Width != 90 || cfg.Height != 70 || cfg.ColorModel != color.GrayModel {
		t.Errorf("DecodeConfig = %q %dx%d %v", name, cfg.Width, cfg.Height, cfg.ColorModel)
	}
	m, err := ReadMetadata(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if m.PPI != 1000 || m.NISTCOM["COMPRESSION"] != "WSQ" {
		t.Errorf("ReadMetadata PPI %d, NISTCOM %v", m.PPI, m.NISTCOM)
	}
	img, name, err := image.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil || name != "wsq" {
		t.Fatalf("image.Decode: %q, %v", name, err)
	}
	if _, ok := img.(*image.Gray); !ok {
		t.Errorf("Decode returned %T, want *image.Gray", img)
	}
}

func TestDecodeErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, ridges(64, 64, 5), nil); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	bigSOF := func() []byte {
		b := append([]byte(nil), good...)
		i := bytes.Index(b, []byte{0xFF, 0xA2})
		b[i+6], b[i+7], b[i+8], b[i+9] = 0xFF, 0xFF, 0xFF, 0xFF // 65535 × 65535
		return b
	}
	tests := []struct {
		name string
		data []byte
		want any
	}{
		{"empty", nil, FormatError("")},
		{"not-wsq", []byte("\x89PNG\r\n\x1a\n"), FormatError("")},
		{"header-only", good[:40], FormatError("")},
		{"truncated-data", good[:len(good)*2/3], FormatError("")},
		{"too-large", bigSOF(), UnsupportedError("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(bytes.NewReader(tt.data))
			switch tt.want.(type) {
			case FormatError:
				var fe FormatError
				if !errors.As(err, &fe) {
					t.Errorf("err = %v (%T), want FormatError", err, err)
				}
			case UnsupportedError:
				var ue UnsupportedError
				if !errors.As(err, &ue) {
					t.Errorf("err = %v (%T), want UnsupportedError", err, err)
				}
			}
		})
	}
}

// TestDecodeTruncations decodes every prefix of a small file: each must
// either decode or fail with an error, never panic.
func TestDecodeTruncations(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, ridges(40, 36, 6), &Options{BitRate: 1}); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for n := 0; n < len(good); n++ {
		if _, err := Decode(bytes.NewReader(good[:n])); err == nil && n < len(good)-2 {
			t.Errorf("prefix of %d/%d bytes decoded without error", n, len(good))
		}
	}
	// Flip bytes one at a time: no panics.
	rng := rand.New(rand.NewPCG(8, 9))
	for i := 0; i < 300; i++ {
		b := append([]byte(nil), good...)
		b[rng.IntN(len(b))] ^= byte(1 + rng.IntN(255))
		Decode(bytes.NewReader(b))
	}
}
