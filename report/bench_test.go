package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/biogate/biogate/gate"
	synth "github.com/biogate/biogate/report/reporttest"
	"github.com/biogate/biogate/thresholds"
)

func benchBatch(n int) Batch {
	p := thresholds.MustEmbedded("ees-usk")
	samples := make([]gate.Report, n)
	for i := range samples {
		if i%2 == 0 {
			samples[i] = synth.Finger(p, fmt.Sprintf("finger/%06d.png", i), i*7%101)
		} else {
			samples[i] = synth.Face(p, fmt.Sprintf("face/%06d.png", i), float64(60+i*13%200), float64(i%15), float64(i*3%100))
		}
	}
	return Batch{Profile: p.Ref(), Thresholds: p, Samples: samples, Summary: Summarize(samples)}
}

func BenchmarkWriteHTML(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		batch := benchBatch(n)
		b.Run(fmt.Sprintf("samples=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteHTML(io.Discard, batch, &HTMLOptions{NoThumbnails: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDiff(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		base, cur := benchBatch(n), benchBatch(n)
		cur.Samples = cur.Samples[1:]
		b.Run(fmt.Sprintf("samples=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Diff(base, cur, DiffOptions{Tolerance: 2, Measures: []string{"Sharpness"}})
			}
		})
	}
}

func BenchmarkJUnit(b *testing.B) {
	for _, n := range []int{100, 10000} {
		batch := benchBatch(n)
		b.Run(fmt.Sprintf("samples=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := writeJUnit(io.Discard, batch); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
