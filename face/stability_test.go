package face

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/biogate/biogate/internal/corpus"
)

// degradation is an image change made in code, with the factor it applies
// to the inter-eye distance.
type degradation struct {
	name  string
	scale float64
	apply func(img image.Image) (image.Image, []byte) // image, JPEG bytes or nil
	// floors: the median and 90th percentile of |IED change| reached
	// (regression limits, a little above the measured values)
	median, p90 float64
}

var degradations = []degradation{
	{"jpeg q15", 1, func(img image.Image) (image.Image, []byte) {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 15}); err != nil {
			panic(err)
		}
		out, err := jpeg.Decode(bytes.NewReader(b.Bytes()))
		if err != nil {
			panic(err)
		}
		return out, b.Bytes()
	}, 0.007, 0.020},
	{"noise σ 8", 1, func(img image.Image) (image.Image, []byte) {
		out := imaging.Clone(img) // *image.NRGBA
		rng := rand.New(rand.NewSource(1))
		for i := 0; i < len(out.Pix); i += 4 {
			n := rng.NormFloat64() * 8
			for c := i; c < i+3; c++ {
				out.Pix[c] = uint8(math.Min(255, math.Max(0, float64(out.Pix[c])+n)))
			}
		}
		return out, nil
	}, 0.006, 0.025}, // 0.0044 before the outer-corner refinement, 0.0050 with it
	{"exposure ×0.3", 1, func(img image.Image) (image.Image, []byte) {
		return imaging.AdjustFunc(img, func(c color.NRGBA) color.NRGBA {
			f := func(v uint8) uint8 { return uint8(0.3 * float64(v)) }
			return color.NRGBA{f(c.R), f(c.G), f(c.B), c.A}
		}), nil
	}, 0.005, 0.015},
	{"scale ×0.75", 0.75, func(img image.Image) (image.Image, []byte) {
		return imaging.Resize(img, img.Bounds().Dx()*3/4, 0, imaging.Linear), nil
	}, 0.006, 0.024},
	{"blur σ 1.5", 1, func(img image.Image) (image.Image, []byte) {
		return imaging.Blur(img, 1.5), nil
	}, 0.011, 0.030},
}

// TestCorpusIEDStability re-assesses every clean corpus portrait after the
// degradations above and prints how far the inter-eye distance moves
// (relative to the clean image's, scaled by the degradation's factor).
// A gate whose IED jumps with compression or noise flips decisions at the
// 120 px threshold; no ground truth is needed for this.
func TestCorpusIEDStability(t *testing.T) {
	if testing.Short() {
		t.Skip("re-assesses 30+ portraits 6 times; run without -short")
	}
	dir := corpus.Dir(t, "face")
	var rows []truthRow
	for _, r := range readTruth(t, dir) {
		if r.Category == "portrait" || r.Category == "single_frontal" || r.Category == "portrait_marginal" {
			rows = append(rows, r)
		}
	}
	if raceEnabled {
		rows = rows[:2] // the race detector is 5-10× slower; .ci/run runs all without it
	}
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	change := make([][]float64, len(degradations))
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan truthRow)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				img, jb := loadImage(t, filepath.Join(dir, r.File))
				rep, err := a.Assess(img, &AssessOptions{JPEG: jb})
				if err != nil {
					t.Errorf("%s: %v", r.File, err)
					continue
				}
				f, _ := matchFace(rep, r)
				if f == nil {
					t.Errorf("%s: face not found", r.File)
					continue
				}
				ied := f.InterEyeDistance()
				for i, d := range degradations {
					di, db := d.apply(img)
					rep, err := a.Assess(di, &AssessOptions{JPEG: db})
					if err != nil {
						t.Errorf("%s %s: %v", r.File, d.name, err)
						continue
					}
					// the face nearest in size to the expected one
					best := math.Inf(1)
					for _, g := range rep.Faces {
						if c := math.Abs(g.InterEyeDistance()/(ied*d.scale) - 1); c < best {
							best = c
						}
					}
					mu.Lock()
					change[i] = append(change[i], best)
					mu.Unlock()
				}
			}
		}()
	}
	for _, r := range rows {
		work <- r
	}
	close(work)
	wg.Wait()
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-14s %5s %9s %9s %9s\n", "degradation", "faces", "median", "p90", "max")
	for i, d := range degradations {
		v := change[i]
		if len(v) == 0 {
			t.Fatalf("%s: no faces", d.name)
		}
		sort.Float64s(v)
		med, p90 := v[len(v)/2], v[len(v)*9/10]
		fmt.Fprintf(&b, "%-14s %5d %9.4f %9.4f %9.4f\n", d.name, len(v), med, p90, v[len(v)-1])
		if raceEnabled {
			continue // four faces: the percentiles are too coarse
		}
		if med > d.median || p90 > d.p90 {
			t.Errorf("%s: |IED change| median %.4f p90 %.4f, regression limits %.3f %.3f", d.name, med, p90, d.median, d.p90)
		}
	}
	t.Log(b.String())
}
