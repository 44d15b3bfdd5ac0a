package finger

import (
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/finger/minutiae"
	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/readme"
	"github.com/biogate/biogate/load"
)

// nistScores reads a file,nfiq2_score table.
func nistScores(t *testing.T, path string) map[string]int {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	out := map[string]int{}
	for _, r := range rows[1:] {
		v, err := strconv.Atoi(r[1])
		require.NoError(t, err, r)
		out[r[0]] = v
	}
	return out
}

// TestCorpusEndToEnd scores real images whose NIST NFIQ 2 score is known
// (NIST's SFinGe examples, and the images of two ISO/IEC 19794-4 records)
// with our measures and the embedded model, and compares with NIST. The
// two kinds of image are reported apart and never mixed:
//   - in-sample: the SFinGe examples that are training rows of the
//     embedded model (those the trainer finds in both
//     nfiq2_reference.csv and sfinge_scores.csv; see
//     finger/internal/forest/README.md): how closely the model fits what
//     it was trained on;
//   - out-of-sample: the images it never saw, each distinct image once
//     (info_wsq.iso holds the same pixels as info_wsq.wsq): the only
//     end-to-end figure for new images, resting on 3 images. The model's
//     cross-validated figures over NIST's 199 conformance rows
//     (finger/internal/forest, TestCrossValidation: mean |Δ| 4.68) are
//     the better estimate.
//
// Every NIST score here lies between 45 and 75, far from the recapture
// threshold of 15, so these images cannot test decisions; the
// cross-validation's confusion at 15 does.
func TestCorpusEndToEnd(t *testing.T) {
	dir := corpus.Dir(t, "finger")
	type sample struct {
		path     string
		nist     int
		training bool
	}
	training := referenceFiles(t, filepath.Join(dir, "nfiq2_reference.csv"))
	var samples []sample
	for f, s := range nistScores(t, filepath.Join(dir, "sfinge_scores.csv")) {
		p := filepath.Join(dir, f)
		if _, err := os.Stat(p); err != nil {
			p = filepath.Join(dir, "images", f) // most rows are relative to images/
		}
		samples = append(samples, sample{p, s, training[f]})
	}
	for f, s := range nistScores(t, filepath.Join(dir, "records", "scores.csv")) {
		// The records (NIST scored the images they hold at the record's
		// 500 ppi) and the WSQ file. info_jp2.jp2 on its own declares
		// 1000 ppi, against its record, so it is resampled: left out.
		if !strings.HasSuffix(f, ".jp2") {
			samples = append(samples, sample{filepath.Join(dir, "records", f), s, false})
		}
	}
	require.NotEmpty(t, samples)
	sort.Slice(samples, func(i, j int) bool { return samples[i].path < samples[j].path })
	a := New(nil)
	type group struct {
		name   string
		sumAbs float64
		n      int
	}
	in, out := &group{name: "in-sample (training rows)"}, &group{name: "out-of-sample (distinct images)"}
	seen := map[[32]byte]string{}
	for _, s := range samples {
		img, err := load.FileImage(s.path, nil)
		require.NoError(t, err, s.path)
		rep, err := a.Assess(img.Image, img.PPI)
		require.NoError(t, err, s.path)
		d := rep.Score.Value - s.nist
		g := out
		if s.training {
			g = in
		}
		key := pixelHash(img.Image)
		if first, dup := seen[key]; dup {
			t.Logf("%-50s NIST %3d  ours %3d  Δ %+d  (same pixels as %s: not counted again)", filepath.Base(s.path), s.nist, rep.Score.Value, d, first)
			continue
		}
		seen[key] = filepath.Base(s.path)
		g.sumAbs += math.Abs(float64(d))
		g.n++
		t.Logf("%-50s NIST %3d  ours %3d  Δ %+d  %s", filepath.Base(s.path), s.nist, rep.Score.Value, d, g.name)
		assert.LessOrEqual(t, math.Abs(float64(d)), 15.0, "%s: NIST %d, ours %d", s.path, s.nist, rep.Score.Value)
	}
	for _, g := range []*group{in, out} {
		t.Logf("%s: %d images, mean |Δ| %.1f", g.name, g.n, g.sumAbs/float64(max(g.n, 1)))
	}
	require.Equal(t, 4, in.n, "in-sample images")
	require.Equal(t, 3, out.n, "out-of-sample images")
	// The model was fitted to the in-sample rows: it must reproduce them
	// closely. Out of sample, 3 images bound nothing tightly; the limit is
	// the cross-validation's 90th percentile of |Δ| (about 10).
	assert.LessOrEqual(t, in.sumAbs/float64(in.n), 2.0, "in-sample mean |Δ|")
	assert.LessOrEqual(t, out.sumAbs/float64(out.n), 10.0, "out-of-sample mean |Δ|")
	readme.Require(t, fmt.Sprintf(`%d images, mean \|Δ\| %.1f**`, out.n, out.sumAbs/float64(out.n)))
	readme.Require(t, fmt.Sprintf(`%d images, mean \|Δ\| %.1f.`, in.n, in.sumAbs/float64(in.n)))
}

// referenceFiles returns the set of file names of nfiq2_reference.csv.
func referenceFiles(t *testing.T, path string) map[string]bool {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	col := slices.Index(rows[0], "file")
	require.GreaterOrEqual(t, col, 0, "no file column in %s", path)
	out := map[string]bool{}
	for _, r := range rows[1:] {
		out[r[col]] = true
	}
	return out
}

// pixelHash is the SHA-256 of an image's size and grey pixels.
func pixelHash(img image.Image) [32]byte {
	b := img.Bounds()
	h := sha256.New()
	fmt.Fprintf(h, "%dx%d:", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			h.Write([]byte{color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y})
		}
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// TestCorpusFootprintRefusals checks FingerJetFX's refusal
// (FRFXLL_ERR_FB_TOO_SMALL_AREA) against NIST's outcome on the reference
// corpus: the images NIST's NFIQ 2 refuses with it are refused with
// minutiae.ErrFootprintTooSmall (and ErrUnscorable), and none of the images
// NIST scores is refused at all. Images are read as 500 ppi, as NIST's tool
// reads them. In -short mode and under the race detector every sixth scored
// image is checked, and every refused one.
func TestCorpusFootprintRefusals(t *testing.T) {
	dir := corpus.Dir(t, "finger")
	f, err := os.Open(filepath.Join(dir, "nfiq2_reference.csv"))
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	require.Contains(t, col, "file")
	require.Contains(t, col, "error")

	type row struct {
		file    string
		refused bool // NIST: FRFXLL_ERR_FB_TOO_SMALL_AREA
	}
	var rows []row
	scored := 0
	for _, r := range recs[1:] {
		e := r[col["error"]]
		switch {
		case strings.Contains(e, "FRFXLL_ERR_FB_TOO_SMALL_AREA"):
			rows = append(rows, row{r[col["file"]], true})
		case e == "":
			if !(testing.Short() || raceEnabled) || scored%6 == 0 {
				rows = append(rows, row{r[col["file"]], false})
			}
			scored++
		}
		// Other refusals (image too large, blank) come before the
		// minutiae stage: the nfiq2 package's corpus test covers them.
	}
	require.NotEmpty(t, rows)

	errs := make([]error, len(rows))
	var wg sync.WaitGroup
	next := make(chan int)
	a := New(nil)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				img, err := load.FileImage(filepath.Join(dir, "images", rows[i].file), nil)
				if err != nil {
					errs[i] = fmt.Errorf("load: %w", err)
					continue
				}
				_, errs[i] = a.Assess(img.Image, 0)
			}
		}()
	}
	for i := range rows {
		next <- i
	}
	close(next)
	wg.Wait()

	var nRef, okRef, nScored, okScored int
	for i, r := range rows {
		if r.refused {
			nRef++
			if errors.Is(errs[i], minutiae.ErrFootprintTooSmall) && errors.Is(errs[i], ErrUnscorable) {
				okRef++
				t.Logf("refused as NIST refuses it: %s: %v", r.file, errs[i])
			} else {
				t.Errorf("%s: NIST refuses it with FRFXLL_ERR_FB_TOO_SMALL_AREA, ours: %v", r.file, errs[i])
			}
			continue
		}
		nScored++
		if errs[i] == nil {
			okScored++
		} else {
			t.Errorf("%s: NIST scores it, ours: %v", r.file, errs[i])
		}
	}
	t.Logf("FRFXLL_ERR_FB_TOO_SMALL_AREA agreement: %d/%d refused images refused, %d/%d scored images scored (%d/%d in all)",
		okRef, nRef, okScored, nScored, okRef+okScored, nRef+nScored)
	assert.Positive(t, nRef, "the reference table lists FingerJetFX refusals")
}
