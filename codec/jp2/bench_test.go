package jp2

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"gray8_lossless.j2k", "gray8_lossy_layers.jp2", "rgb8_lossless.j2k", "gray12_lossless.j2k"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			b.Fatal(err)
		}
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(cfg.Width * cfg.Height))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Decode(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
