package wsq

import (
	"bytes"
	"fmt"
	"testing"
)

func BenchmarkDecode(b *testing.B) {
	for _, sz := range [][2]int{{256, 256}, {545, 622}, {800, 750}} {
		var buf bytes.Buffer
		if err := Encode(&buf, ridges(sz[0], sz[1], 1), nil); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(b *testing.B) {
			b.SetBytes(int64(sz[0] * sz[1]))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, sz := range [][2]int{{256, 256}, {545, 622}, {800, 750}} {
		img := ridges(sz[0], sz[1], 1)
		b.Run(fmt.Sprintf("%dx%d-0.75bpp", sz[0], sz[1]), func(b *testing.B) {
			b.SetBytes(int64(sz[0] * sz[1]))
			b.ReportAllocs()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := Encode(&buf, img, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
