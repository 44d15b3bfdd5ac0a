package wasm

import (
	"bytes"
	"context"
	"image"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/biogate/biogate/internal/corpus"
	xdraw "golang.org/x/image/draw"
)

// BenchmarkAssess times Assess on a fingerprint and a portrait, natively
// or, with GOOS=js GOARCH=wasm (go_js_wasm_exec on the PATH), under Node:
// the ratio of the two runs is the browser build's cost.
func BenchmarkAssess(b *testing.B) {
	cases := []struct{ name, path string }{
		{"finger-synthetic_good_1", "../testdata/finger/synthetic_good_1.png"},
		{"face-biden2", filepath.Join(corpus.Dir(b, "face", "portraits", "face_recognition"), "biden2.jpg")},
	}
	for _, c := range cases {
		data, err := os.ReadFile(c.path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			warmUp(b, func() error { _, err := engine.Assess(context.Background(), c.name, data, Options{}); return err })
			loopQuantiles(b, func() error {
				_, err := engine.Assess(context.Background(), c.name, data, Options{})
				return err
			})
		})
	}
}

// BenchmarkAssessFrame times preview-mode assessment of a 640×480 RGBA
// frame cut from a portrait, as the webcam mode sends it.
func BenchmarkAssessFrame(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(corpus.Dir(b, "face", "portraits", "face_recognition"), "biden2.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	// The whole width, scaled to 640 px, as the browser test's frame.
	frame := image.NewRGBA(image.Rect(0, 0, 640, 480))
	sb := src.Bounds()
	sh := sb.Dx() * 480 / 640
	y0 := sb.Min.Y + max(0, (sb.Dy()-sh)/3)
	xdraw.ApproxBiLinear.Scale(frame, frame.Rect, src, image.Rect(sb.Min.X, y0, sb.Max.X, y0+sh), xdraw.Src, nil)
	b.Run("640x480", func(b *testing.B) {
		b.SetBytes(int64(len(frame.Pix)))
		warmUp(b, func() error {
			_, err := engine.AssessFrame(context.Background(), frame.Pix, 640, 480, Options{})
			return err
		})
		loopQuantiles(b, func() error {
			_, err := engine.AssessFrame(context.Background(), frame.Pix, 640, 480, Options{})
			return err
		})
	})
}

// warmUp runs one assessment before the timed loop (b.Loop does not time
// what precedes it), so that the models every assessment shares, decoded
// once per process on first use, are not charged to the few iterations a
// -benchtime 5x run makes: under Node that one-off cost is several times
// the cost of an assessment.
func warmUp(b *testing.B, assess func() error) {
	b.Helper()
	if err := assess(); err != nil {
		b.Fatal(err)
	}
}

// loopQuantiles runs assess in b's loop and reports, besides the mean, the
// fastest iteration and the median: on this project's shared machine the
// mean moves with the other processes' load far more than those do.
func loopQuantiles(b *testing.B, assess func() error) {
	b.Helper()
	var ms []float64
	for b.Loop() {
		t0 := time.Now()
		if err := assess(); err != nil {
			b.Fatal(err)
		}
		ms = append(ms, float64(time.Since(t0).Microseconds())/1000)
	}
	slices.Sort(ms)
	b.ReportMetric(ms[0], "min-ms")
	b.ReportMetric(ms[len(ms)/2], "median-ms")
}
