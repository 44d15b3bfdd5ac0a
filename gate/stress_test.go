package gate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/disintegration/imaging"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// stressGoroutines is the number of goroutines sharing one gate (and so one
// face and one finger assessor) in TestStressDeterminism.
const stressGoroutines = 16

// realGate returns a gate with the real face and finger assessors, deciding
// the modality per sample.
func realGate(t testing.TB) *Gate {
	t.Helper()
	fa, err := face.New(nil)
	require.NoError(t, err)
	g, err := New(thresholds.MustEmbedded("ees-usk"), nil, &Face{Assessor: fa}, &Finger{Assessor: finger.New(nil)})
	require.NoError(t, err)
	return g
}

// stressFiles returns the sample files of the stress test: the repository's
// synthetic prints and, when the corpus is present, its two smallest
// portraits. It keeps three prints, or under the race detector or -short
// only reduced copies of the smallest print and the smallest portrait.
func stressFiles(t testing.TB) []string {
	t.Helper()
	prints, err := filepath.Glob(filepath.Join("..", "testdata", "finger", "*.png"))
	require.NoError(t, err)
	require.NotEmpty(t, prints, "testdata/finger/*.png missing")
	sort.Strings(prints)
	var portraits []string
	if root := corpus.Path(); root != "" {
		all, _ := filepath.Glob(filepath.Join(root, "face", "portraits", "face_recognition", "*.jpg"))
		sort.SliceStable(all, func(i, j int) bool { return fileSize(all[i]) < fileSize(all[j]) })
		portraits = all[:min(2, len(all))]
	}
	if raceEnabled || testing.Short() {
		// The smallest print and portrait, made smaller still: the race
		// detector slows the assessors about tenfold, and what it checks
		// (state shared by the goroutines) does not depend on image size.
		sort.SliceStable(prints, func(i, j int) bool { return fileSize(prints[i]) < fileSize(prints[j]) })
		return shrink(t, append(prints[:1], portraits[:min(1, len(portraits))]...))
	}
	if n := len(prints); n > 3 {
		prints = []string{prints[0], prints[n/2], prints[n-1]}
	}
	return append(prints, portraits...)
}

// shrink writes smaller copies of files into a temporary folder: the
// central 288×352 px of PNG prints (still scored by NFIQ 2), and JPEG
// portraits at half size (the face still found).
func shrink(t testing.TB, files []string) []string {
	t.Helper()
	dir := t.TempDir()
	out := make([]string, len(files))
	for i, p := range files {
		img, err := imaging.Open(p)
		require.NoError(t, err)
		out[i] = filepath.Join(dir, filepath.Base(p))
		if strings.HasSuffix(p, ".png") {
			g := image.NewGray(image.Rect(0, 0, 288, 352))
			draw.Draw(g, g.Bounds(), imaging.CropCenter(img, 288, 352), image.Point{}, draw.Src)
			require.NoError(t, imaging.Save(g, out[i]))
		} else {
			require.NoError(t, imaging.Save(imaging.Resize(img, img.Bounds().Dx()/3, 0, imaging.Linear), out[i], imaging.JPEGQuality(90)))
		}
	}
	return out
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

// reportJSON encodes the reports of one file.
func reportJSON(t testing.TB, rs []Report) []byte {
	b, err := json.Marshal(rs)
	if err != nil {
		t.Errorf("marshal: %v", err)
	}
	return b
}

// TestStressDeterminism assesses the same files from many goroutines
// sharing one gate and checks every report is bit-identical (as JSON) to
// the sequential one, and that gate.Run gives the same reports with one
// worker and with several.
func TestStressDeterminism(t *testing.T) {
	g := realGate(t)
	files := stressFiles(t)
	ctx := context.Background()

	start := time.Now()
	want := make([][]byte, len(files))
	scored, faces := 0, 0
	for i, p := range files {
		t0 := time.Now()
		rs := g.AssessFile(ctx, p)
		t.Logf("%s: %v", filepath.Base(p), time.Since(t0).Round(time.Millisecond))
		for _, r := range rs {
			require.Positive(t, r.Width, "%s: not read: %s", p, r.Error)
			if r.Modality == quality.Finger && r.Score != nil {
				scored++
			}
			if n, _ := r.Measures.Value(quality.FaceCount); r.Modality == quality.Face && n > 0 {
				faces++
			}
		}
		want[i] = reportJSON(t, rs)
	}
	// The workload must reach the full paths: a scored print and, with
	// the corpus, a found face.
	require.Positive(t, scored, "no print was scored")
	if corpus.Path() != "" {
		require.Positive(t, faces, "no face found in the portraits")
	}
	seq := time.Since(start)

	start = time.Now()
	var wg sync.WaitGroup
	errs := make(chan string, stressGoroutines*len(files))
	for w := range stressGoroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each goroutine starts at a different file so that different
			// files (and modalities) run at the same time.
			for k := range files {
				i := (w + k) % len(files)
				got := reportJSON(t, g.AssessFile(ctx, files[i]))
				if !bytes.Equal(got, want[i]) {
					errs <- files[i] + ":\n got " + firstDiff(got, want[i])
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("goroutine report differs from the sequential one: %s", e)
	}
	t.Logf("%d files: sequential %v; %d goroutines × %d files %v (race %v)", len(files), seq.Round(time.Millisecond), stressGoroutines, len(files), time.Since(start).Round(time.Millisecond), raceEnabled)

	// gate.Run with -j 1 and -j 4: the same reports, in input order.
	paths := files
	for _, workers := range []int{1, 4} {
		var got [][]byte
		var idx []int
		err := g.Run(ctx, paths, workers, func(i int, r Report) {
			idx = append(idx, i)
			got = append(got, reportJSON(t, []Report{r}))
		})
		require.NoError(t, err)
		require.Len(t, got, len(paths), "workers %d", workers)
		for k := range got {
			require.Equal(t, k, idx[k], "workers %d: report order", workers)
			if w := want[k%len(files)]; !bytes.Equal(got[k], w) {
				t.Errorf("Run -j %d, %s: report differs: %s", workers, paths[k], firstDiff(got[k], w))
			}
		}
	}
}

// firstDiff shows where got first differs from want.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-60)
	return "…" + string(got[lo:min(len(got), i+60)]) + "…\nwant …" + string(want[lo:min(len(want), i+60)]) + "…"
}

// leakFiles writes n small greyscale PNGs (quick to assess: too small to
// hold a face, unscorable as fingerprints).
func leakFiles(t *testing.T, n int) []string {
	t.Helper()
	dir := t.TempDir()
	img := image.NewGray(image.Rect(0, 0, 96, 96))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, "s"+string(rune('a'+i%26))+string(rune('a'+i/26))+".png")
		require.NoError(t, os.WriteFile(paths[i], buf.Bytes(), 0o600))
	}
	return paths
}

// waitGoroutines polls until the number of goroutines is at most base,
// for up to 2 s, and returns the last count.
func waitGoroutines(base int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); n > base && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	return n
}

// TestRunNoGoroutineLeak cancels gate.Run part-way (from inside emit, from
// another goroutine, and before it starts) and checks that it returns the
// context's error, stops early, and leaves no goroutine behind.
func TestRunNoGoroutineLeak(t *testing.T) {
	g := realGate(t)
	paths := leakFiles(t, 60)
	tests := []struct {
		name    string
		workers int
		// cancelAt cancels from emit at this many reports; -1: cancel
		// before Run; 0: cancel from another goroutine after the first
		// report.
		cancelAt int
	}{
		{"emit/j1", 1, 3},
		{"emit/j4", 4, 3},
		{"emit/j16", 16, 1},
		{"goroutine/j4", 4, 0},
		{"before/j4", 4, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			base := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			first := make(chan struct{})
			var once sync.Once
			if tt.cancelAt == 0 {
				go func() { <-first; cancel() }()
			}
			if tt.cancelAt < 0 {
				cancel()
			}
			emitted := 0
			err := g.Run(ctx, paths, tt.workers, func(i int, r Report) {
				emitted++
				once.Do(func() { close(first) })
				if emitted == tt.cancelAt {
					cancel()
				}
			})
			once.Do(func() { close(first) })
			require.True(t, errors.Is(err, context.Canceled), "Run error %v, want context.Canceled", err)
			require.Less(t, emitted, len(paths), "Run did not stop early")
			if tt.cancelAt > 0 {
				require.Equal(t, tt.cancelAt, emitted, "reports emitted after cancellation")
			}
			if n := waitGoroutines(base); n > base {
				buf := make([]byte, 1<<16)
				t.Fatalf("%d goroutines 2 s after Run returned, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
			}
		})
	}
}
