package finger

import (
	"fmt"
	"image"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/load"
)

// BenchmarkAssess measures the whole fingerprint assessment (NFIQ 2
// measures, minutiae, score) per image size: synthetic prints always, and
// real corpus images when the corpus is present.
//
//	go test -run '^$' -bench Assess -benchmem ./finger
func BenchmarkAssess(b *testing.B) {
	a := New(nil)
	run := func(name string, img image.Image) {
		sz := img.Bounds().Size()
		b.Run(fmt.Sprintf("%s-%dx%d", name, sz.X, sz.Y), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(sz.X * sz.Y))
			for b.Loop() {
				if _, err := a.Assess(img, 500); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("synthetic", ridges(400, 480, 9, 0.4))
	run("synthetic", ridges(800, 750, 9, 0.4))
	if p := corpus.Path(); p != "" {
		for _, f := range []string{
			"finger/images/nist_nfiq2_examples_sfinge/SFinGe_Test02.png",
			"finger/images/fjfx_samples/a001_03p.png",
		} {
			img, err := load.FileImage(filepath.Join(p, f), nil)
			if err != nil {
				b.Fatal(err)
			}
			run(filepath.Base(f), img.Image)
		}
	}
}

// BenchmarkRidgeShare measures the ridge-texture test the gate runs when a
// face is found in a greyscale image.
//
//	go test -run '^$' -bench RidgeShare -benchmem ./finger
func BenchmarkRidgeShare(b *testing.B) {
	for _, sz := range []image.Point{{640, 480}, {1600, 1500}} {
		img := ridges(sz.X, sz.Y, 9, 0.4)
		b.Run(fmt.Sprintf("%dx%d", sz.X, sz.Y), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(sz.X * sz.Y))
			for b.Loop() {
				RidgeShare(img, 500)
			}
		})
	}
}
