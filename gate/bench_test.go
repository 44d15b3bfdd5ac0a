package gate

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/cputime"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

// heapObjects is the runtime metric sampled for peak memory: bytes of heap
// memory occupied by objects, live or not yet swept.
const heapObjects = "/memory/classes/heap/objects:bytes"

// heapSampler records the largest heap occupancy seen while it runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done sync.WaitGroup
}

func readHeap() uint64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// startHeapSampler samples the heap every 200 µs until stop.
func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{})}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			h.sample()
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) sample() {
	v := readHeap()
	for {
		old := h.peak.Load()
		if v <= old || h.peak.CompareAndSwap(old, v) {
			return
		}
	}
}

// finish stops the sampler and returns the peak.
func (h *heapSampler) finish() uint64 {
	close(h.stop)
	h.done.Wait()
	h.sample()
	return h.peak.Load()
}

// colourFrame is a synthetic colour camera frame: smooth colour gradients
// with a bright oval and fine texture, deterministic in w and h.
func colourFrame(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)*0.45
	for y := range h {
		for x := range w {
			dx, dy := (float64(x)-cx)/(0.2*float64(w)), (float64(y)-cy)/(0.22*float64(h))
			l := 0.35 + 0.1*math.Sin(float64(x)*0.31)*math.Cos(float64(y)*0.27)
			if dx*dx+dy*dy < 1 {
				l += 0.4
			}
			i := m.PixOffset(x, y)
			m.Pix[i+0] = uint8(min(255, 255*l*(0.9+0.2*float64(x)/float64(w))))
			m.Pix[i+1] = uint8(min(255, 255*l*0.85))
			m.Pix[i+2] = uint8(min(255, 255*l*(0.7+0.2*float64(y)/float64(h))))
			m.Pix[i+3] = 255
		}
	}
	return m
}

// BenchmarkAssessMemory measures, per image size, the time, the
// allocations and the peak heap ("peak-MB": the largest heap occupancy
// sampled while assessing, above the level before the loop, at the default
// GOGC) of decoding and assessing one file held in memory with the real
// assessors (modality decided per sample, as the command does).
func BenchmarkAssessMemory(b *testing.B) {
	g := realGate(b)
	type input struct {
		name   string
		format string
		make   func() (image.Image, error)
	}
	print := func(w, h int) func() (image.Image, error) {
		return func() (image.Image, error) {
			return synth.Fingerprint(synth.FingerParams{Seed: 1, Width: w, Height: h})
		}
	}
	frame := func(w, h int) func() (image.Image, error) {
		return func() (image.Image, error) { return colourFrame(w, h), nil }
	}
	inputs := []input{
		{"finger/400x500", "png", print(400, 500)},
		{"finger/800x750", "png", print(800, 750)},
		{"face/640x480", "jpeg", frame(640, 480)},
		{"face/1200x1600", "jpeg", frame(1200, 1600)},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			img, err := in.make()
			if err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			if in.format == "png" {
				err = png.Encode(&buf, img)
			} else {
				err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
			}
			if err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			name := fmt.Sprintf("bench.%s", in.format)
			ctx := context.Background()
			img = nil
			runtime.GC()
			base := readHeap()
			h := startHeapSampler()
			b.ReportAllocs()
			for b.Loop() {
				imgs, err := load.Bytes(name, data, nil)
				if err != nil || len(imgs) != 1 {
					b.Fatalf("load: %v", err)
				}
				var r Report
				g.AssessImage(ctx, imgs[0], &r)
				if r.Width == 0 || r.Error != "" {
					b.Fatalf("not assessed: %s", r.Error)
				}
			}
			b.StopTimer()
			peak := h.finish()
			if peak < base {
				peak = base
			}
			b.ReportMetric(float64(peak-base)/(1<<20), "peak-MB")
		})
	}
}

// BenchmarkAutoModality measures what deciding the modality costs on the
// corpus's fingerprint folder (every image under finger/, records
// included): the gate over the whole folder with one worker, deciding
// per sample ("auto") and told it holds fingerprints ("finger"). Compare
// the two in one run (cpu-ms/file, the process's CPU time, holds better
// than the wall time on a loaded machine):
//
//	go test -run '^$' -bench AutoModality -benchtime 1x -count 3 -cpu 1 ./gate
func BenchmarkAutoModality(b *testing.B) {
	paths, errs := Expand([]string{corpus.Dir(b, "finger")})
	if len(errs) > 0 {
		b.Fatal(errs[0])
	}
	for _, m := range []struct {
		name string
		m    quality.Modality
	}{{"auto", quality.UnknownModality}, {"finger", quality.Finger}} {
		b.Run(m.name, func(b *testing.B) {
			fa, err := face.New(nil)
			if err != nil {
				b.Fatal(err)
			}
			g, err := New(thresholds.MustEmbedded("ees-usk"), &Options{Modality: m.m}, &Face{Assessor: fa}, &Finger{Assessor: finger.New(nil)})
			if err != nil {
				b.Fatal(err)
			}
			cpu0 := cputime.Process()
			for b.Loop() {
				if err := g.Run(context.Background(), paths, 1, func(int, Report) {}); err != nil {
					b.Fatal(err)
				}
			}
			n := float64(b.N * len(paths))
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/n, "ms/file")
			b.ReportMetric(float64((cputime.Process()-cpu0).Milliseconds())/n, "cpu-ms/file")
		})
	}
}
