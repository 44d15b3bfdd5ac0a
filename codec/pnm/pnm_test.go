package pnm

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		data string
		want image.Image
	}{
		{"P1", "P1\n# comment\n3 2\n0 1 0\n101", &image.Gray{Pix: []uint8{255, 0, 255, 0, 255, 0}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}},
		{"P4", "P4 3 2\n\x40\xa0", &image.Gray{Pix: []uint8{255, 0, 255, 0, 255, 0}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}},
		{"P2-maxval15", "P2 2 2 15\n0 15\n5 10\n", &image.Gray{Pix: []uint8{0, 255, 85, 170}, Stride: 2, Rect: image.Rect(0, 0, 2, 2)}},
		{"P5", "P5\n2 1\n255\n\x07\xf0", &image.Gray{Pix: []uint8{7, 240}, Stride: 2, Rect: image.Rect(0, 0, 2, 1)}},
		{"P5-16bit", "P5 1 1 65535\n\x12\x34", &image.Gray16{Pix: []uint8{0x12, 0x34}, Stride: 2, Rect: image.Rect(0, 0, 1, 1)}},
		{"P3", "P3 1 1 255 10 20 30", &image.RGBA{Pix: []uint8{10, 20, 30, 255}, Stride: 4, Rect: image.Rect(0, 0, 1, 1)}},
		{"P6", "P6 1 1 255\n\x01\x02\x03", &image.RGBA{Pix: []uint8{1, 2, 3, 255}, Stride: 4, Rect: image.Rect(0, 0, 1, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, name, err := image.Decode(bytes.NewReader([]byte(tt.data)))
			if err != nil {
				t.Fatal(err)
			}
			if name[0] != 'p' {
				t.Errorf("format %q", name)
			}
			r := tt.want.Bounds()
			if got.Bounds() != r {
				t.Fatalf("bounds %v, want %v", got.Bounds(), r)
			}
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					if got.At(x, y) != tt.want.At(x, y) {
						t.Errorf("(%d,%d) = %v, want %v", x, y, got.At(x, y), tt.want.At(x, y))
					}
				}
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, s := range []string{"", "P7 1 1 255\n", "P5 0 1 255\n", "P5 2 2 255\nab", "P5 1 1 70000\n\x00", "P2 1 1 9 10", "P5 99999 99999 255\n", "P1 2 1 0 2"} {
		_, err := Decode(bytes.NewReader([]byte(s)))
		var fe FormatError
		var ue UnsupportedError
		if !errors.As(err, &fe) && !errors.As(err, &ue) {
			t.Errorf("%q: err %v, want FormatError or UnsupportedError", s, err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	g := image.NewGray(image.Rect(2, 3, 40, 30))
	for i := range g.Pix {
		g.Pix[i] = uint8(i)
	}
	c := image.NewRGBA(image.Rect(0, 0, 5, 4))
	for i := range c.Pix {
		c.Pix[i] = uint8(i * 7)
		if i%4 == 3 {
			c.Pix[i] = 255
		}
	}
	g16 := image.NewGray16(image.Rect(0, 0, 3, 3))
	for i := range g16.Pix {
		g16.Pix[i] = uint8(i * 31)
	}
	for _, src := range []image.Image{g, c, g16} {
		var buf bytes.Buffer
		if err := Encode(&buf, src); err != nil {
			t.Fatal(err)
		}
		got, err := Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		b := src.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r1, g1, b1, _ := src.At(x, y).RGBA()
				r2, g2, b2, _ := got.At(x-b.Min.X, y-b.Min.Y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 {
					t.Fatalf("%T (%d,%d): %v vs %v", src, x, y, src.At(x, y), got.At(x-b.Min.X, y-b.Min.Y))
				}
			}
		}
		if _, ok := got.(*image.Gray); ok != (src.ColorModel() == color.GrayModel) {
			t.Errorf("%T decoded as %T", src, got)
		}
	}
}

func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 3)))
	f.Add(buf.Bytes())
	f.Add([]byte("P3 1 1 255 10 20 30"))
	f.Add([]byte("P1\n# c\n3 2\n0 1 0\n101"))
	f.Add([]byte("P4 3 2\n\x40\xa0"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<20 {
			return
		}
		img, err := Decode(bytes.NewReader(data))
		if err == nil && (img.Bounds().Dx() != cfg.Width || img.Bounds().Dy() != cfg.Height) {
			t.Fatalf("size mismatch")
		}
	})
}
