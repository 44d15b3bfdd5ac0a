package nfiq2

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/synth"
)

// BenchmarkMeasures times Compute per image size: synthetic ridge patterns
// always, and (when the corpus is present) real images of several sizes,
// reporting NIST's own time for the same image as nist-ms/op.
func BenchmarkMeasures(b *testing.B) {
	for _, sz := range []image.Point{{256, 256}, {416, 560}, {800, 750}} {
		// Curved ridges: straight ones have no orientation flow, which
		// NFIQ 2 refuses (as NIST does).
		img, err := synth.Fingerprint(synth.FingerParams{Seed: 1, Width: sz.X, Height: sz.Y})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("synthetic-%dx%d", sz.X, sz.Y), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(sz.X * sz.Y))
			for b.Loop() {
				if _, err := Compute(img); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	dir := corpus.Path()
	if dir == "" {
		return
	}
	dir = filepath.Join(dir, "finger")
	if _, err := os.Stat(filepath.Join(dir, "nfiq2_reference.csv")); err != nil {
		return
	}
	rows := loadReference(b, dir)
	var ok []refRow
	for _, r := range rows {
		if r.errMsg == "" {
			ok = append(ok, r)
		}
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].w*ok[i].h < ok[j].w*ok[j].h })
	// smallest, median and largest scored images
	for _, r := range []refRow{ok[0], ok[len(ok)/2], ok[len(ok)-1]} {
		img := loadGray(b, filepath.Join(dir, "images", r.file))
		b.Run(fmt.Sprintf("corpus-%dx%d", r.w, r.h), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(r.w * r.h))
			for b.Loop() {
				if _, err := Compute(img); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(r.ms, "nist-ms/op")
		})
	}
	// Every image NIST scored, one after the other.
	imgs := make([]*image.Gray, len(ok))
	nistMs := 0.0
	for i, r := range ok {
		imgs[i] = loadGray(b, filepath.Join(dir, "images", r.file))
		nistMs += r.ms
	}
	b.Run(fmt.Sprintf("corpus-all-%d", len(imgs)), func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			for _, img := range imgs {
				if _, err := Compute(img); err != nil {
					b.Fatal(err)
				}
			}
			n++
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(n*len(imgs)), "ms/image")
		b.ReportMetric(nistMs/float64(len(imgs)), "nist-ms/image")
	})
}

// BenchmarkROI times the ROI stage (erosion, the two Gaussian blurs and
// thresholds, hole filling, the largest component) on a synthetic print.
func BenchmarkROI(b *testing.B) {
	img := sinusoid(416, 560, 9, 0.5, true)
	g, err := fromImage(img)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(g.w * g.h))
	for b.Loop() {
		computeROI(g)
	}
}
