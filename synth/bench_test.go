package synth_test

import (
	"fmt"
	"image"
	"testing"

	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
)

func BenchmarkFingerprint(b *testing.B) {
	for _, sz := range []image.Point{{400, 500}, {800, 750}} {
		b.Run(fmt.Sprintf("%dx%d", sz.X, sz.Y), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(sz.X * sz.Y))
			for i := 0; b.Loop(); i++ {
				if _, err := synth.Fingerprint(synth.FingerParams{Seed: uint64(i), Width: sz.X, Height: sz.Y}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDegradeFinger(b *testing.B) {
	src, err := synth.Fingerprint(synth.FingerParams{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	d := synth.FingerDegradation{Rotation: 10, PartialContact: 0.3, Dryness: 0.4, Blur: 1, Noise: 10}
	b.Run("400x500", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(400 * 500)
		for i := 0; b.Loop(); i++ {
			if _, err := synth.DegradeFinger(src, d, uint64(i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDegradeFace(b *testing.B) {
	eyes := synth.Eyes{Right: quality.Point{X: 250, Y: 380}, Left: quality.Point{X: 390, Y: 384}}
	src := image.NewNRGBA(image.Rect(0, 0, 640, 800))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 7)
	}
	for _, v := range []string{"roll12", "ied100", "blur3+noise10+q50"} {
		d, err := synth.ParseFaceVariant(v)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("640x800/"+v, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(640 * 800 * 4)
			for b.Loop() {
				if _, _, _, err := synth.DegradeFace(src, eyes, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
