package finger

import (
	"encoding/csv"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/cputime"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/synth"
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
	// Seeded synthetic prints with curved ridges (straight ridges have no
	// orientation flow, and NFIQ 2 refuses them as NIST does).
	for _, sz := range []image.Point{{400, 480}, {800, 750}} {
		img, err := synth.Fingerprint(synth.FingerParams{Seed: 1, Width: sz.X, Height: sz.Y})
		if err != nil {
			b.Fatal(err)
		}
		run("synthetic", img)
	}
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

// BenchmarkAssessCorpus measures the whole fingerprint assessment on every
// corpus image NIST's NFIQ 2 scores, one after the other, and reports the
// mean time per image beside NIST's own (the reference table's
// ms_per_image: NIST's tool, one thread, a machine like this one) and the
// ratio of the two. Run it on one core:
//
//	go test -run '^$' -bench AssessCorpus -benchtime 3x -cpu 1 ./finger
func BenchmarkAssessCorpus(b *testing.B) {
	dir := corpus.Dir(b, "finger")
	rows := readNISTRows(b, dir)
	imgs := make([]image.Image, len(rows))
	var nistMS float64
	for i, r := range rows {
		li, err := load.FileImage(filepath.Join(dir, "images", r.file), nil)
		if err != nil {
			b.Fatal(err)
		}
		imgs[i] = li.Image
		nistMS += r.ms
	}
	a := New(nil)
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cputime.Process()
	for b.Loop() {
		for _, img := range imgs {
			if _, err := a.Assess(img, 500); err != nil {
				b.Fatal(err)
			}
		}
	}
	cpu := cputime.Process() - c0
	n := float64(b.N * len(imgs))
	nist := nistMS / float64(len(rows))
	perImage := float64(b.Elapsed().Microseconds()) / 1e3 / n
	b.ReportMetric(perImage, "ms/image")
	b.ReportMetric(nist, "NIST-ms/image")
	b.ReportMetric(perImage/nist, "ratio-to-NIST")
	if cpu > 0 {
		// CPU time: what the comparison is about on a shared machine,
		// where wall time also counts other tenants' use of the core.
		b.ReportMetric(cpu.Seconds()*1e3/n, "cpu-ms/image")
		b.ReportMetric(cpu.Seconds()*1e3/n/nist, "cpu-ratio-to-NIST")
	}
}

type nistRow struct {
	file string
	ms   float64 // NIST's ms_per_image
}

// readNISTRows reads the images NIST's NFIQ 2 scored from the reference
// table, with NIST's time per image.
func readNISTRows(tb testing.TB, dir string) []nistRow {
	tb.Helper()
	f, err := os.Open(filepath.Join(dir, "nfiq2_reference.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 2 {
		tb.Fatalf("reference table: %v", err)
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	var rows []nistRow
	for _, r := range recs[1:] {
		if r[col["error"]] != "" {
			continue
		}
		ms, err := strconv.ParseFloat(r[col["ms_per_image"]], 64)
		if err != nil {
			tb.Fatalf("%s: ms_per_image: %v", r[col["file"]], err)
		}
		rows = append(rows, nistRow{r[col["file"]], ms})
	}
	return rows
}
