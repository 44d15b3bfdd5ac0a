package minutiae

import (
	"encoding/csv"
	"github.com/biogate/biogate/finger/internal/nfiq2"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
)

type refRow struct {
	file string
	want MeasureSet
}

func readReference(t *testing.T, dir string) []refRow {
	t.Helper()
	fh, err := os.Open(filepath.Join(dir, "nfiq2_reference.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	for _, name := range []string{"file", "error", NameMinutiaeCount, NameCOMRect200x200, NameMuQuality2, NameOCLQuality80} {
		if _, ok := col[name]; !ok {
			t.Fatalf("reference table lacks column %q", name)
		}
	}
	num := func(r []string, name string) float64 {
		v, err := strconv.ParseFloat(r[col[name]], 64)
		if err != nil {
			t.Fatalf("%s: %s: %v", r[col["file"]], name, err)
		}
		return v
	}
	var rows []refRow
	for _, r := range recs[1:] {
		if r[col["error"]] != "" {
			continue
		}
		rows = append(rows, refRow{file: r[col["file"]], want: MeasureSet{
			MinutiaeCount:  num(r, NameMinutiaeCount),
			COMRect200x200: num(r, NameCOMRect200x200),
			MuQuality2:     num(r, NameMuQuality2),
			OCLQuality80:   num(r, NameOCLQuality80),
		}})
	}
	return rows
}

func loadGray(path string) (*image.Gray, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	im, err := png.Decode(fh)
	if err != nil {
		return nil, err
	}
	if g, ok := im.(*image.Gray); ok {
		return g, nil
	}
	g := image.NewGray(im.Bounds())
	draw.Draw(g, g.Rect, im, im.Bounds().Min, draw.Src)
	return g, nil
}

// nfiq2Measures runs the whole NFIQ 2 minutiae stage on one image file.
func nfiq2Measures(path string) (MeasureSet, error) {
	g, err := loadGray(path)
	if err != nil {
		return MeasureSet{}, err
	}
	c, err := nfiq2.CropNearWhiteFrame(g)
	if err != nil {
		return MeasureSet{}, err
	}
	return extractMeasures(c)
}

// extractMeasures runs the extractor with NIST's options on g and returns
// the four measures.
func extractMeasures(g *image.Gray) (MeasureSet, error) {
	r, err := Find(g, NFIQ2Options())
	if err != nil {
		return MeasureSet{}, err
	}
	return r.Measures(g), nil
}

// corpusRows returns the finger corpus folder and its scored reference
// rows; in short mode and under the race detector, a fast, fixed subset
// (every fifth image).
func corpusRows(t *testing.T) (string, []refRow) {
	t.Helper()
	dir := corpus.Dir(t, "finger")
	rows := readReference(t, dir)
	if testing.Short() || raceEnabled {
		var sub []refRow
		for i := 0; i < len(rows); i += 5 {
			sub = append(sub, rows[i])
		}
		rows = sub
	}
	return dir, rows
}

// forEach calls fn(0) … fn(n-1) on GOMAXPROCS goroutines.
func forEach(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

type diffStat struct {
	file string
	abs  float64 // |got − want|
	rel  float64 // |got − want| / want (counts)
	ok   bool
	got  float64
	want float64
}

func TestCorpusNFIQ2Measures(t *testing.T) {
	dir, rows := corpusRows(t)
	got := make([]MeasureSet, len(rows))
	errs := make([]error, len(rows))
	forEach(len(rows), func(i int) {
		got[i], errs[i] = nfiq2Measures(filepath.Join(dir, "images", rows[i].file))
	})

	type field struct {
		name string
		get  func(MeasureSet) float64
		ok   func(got, want float64) bool
		rel  bool
	}
	fields := []field{
		{NameMinutiaeCount, func(s MeasureSet) float64 { return s.MinutiaeCount },
			func(g, w float64) bool { return math.Abs(g-w) <= 0.1*w }, true},
		{NameCOMRect200x200, func(s MeasureSet) float64 { return s.COMRect200x200 },
			func(g, w float64) bool { return math.Abs(g-w) <= 0.1*w }, true},
		{NameMuQuality2, func(s MeasureSet) float64 { return s.MuQuality2 },
			func(g, w float64) bool { return math.Abs(g-w) <= 0.05 }, false},
		{NameOCLQuality80, func(s MeasureSet) float64 { return s.OCLQuality80 },
			func(g, w float64) bool { return math.Abs(g-w) <= 0.05 }, false},
	}
	share := map[string]float64{}
	exact := map[string]float64{} // share of images with the measure equal to NIST's (to 1e-12)
	corr := map[string]float64{}
	for _, f := range fields {
		var ds []diffStat
		nOK, nExact := 0, 0
		for i, r := range rows {
			if errs[i] != nil {
				t.Errorf("%s: %v", r.file, errs[i])
				continue
			}
			g, w := f.get(got[i]), f.get(r.want)
			d := diffStat{file: r.file, got: g, want: w, abs: math.Abs(g - w), ok: f.ok(g, w)}
			if f.rel {
				d.rel = d.abs / math.Max(w, 1)
			}
			if d.ok {
				nOK++
			}
			if d.abs <= 1e-12 {
				nExact++
			}
			ds = append(ds, d)
		}
		if len(ds) == 0 {
			t.Fatal("no images compared")
		}
		key := func(d diffStat) float64 {
			if f.rel {
				return d.rel
			}
			return d.abs
		}
		sort.Slice(ds, func(i, j int) bool { return key(ds[i]) < key(ds[j]) })
		unit := ""
		if f.rel {
			unit = " (relative)"
		}
		share[f.name] = float64(nOK) / float64(len(ds))
		exact[f.name] = float64(nExact) / float64(len(ds))
		// Shares on the odd and even halves of the corpus list, a guard
		// against tuning to the whole set.
		var half [2][2]int // [parity]{ok, n}
		for i, r := range rows {
			if errs[i] != nil {
				continue
			}
			half[i%2][1]++
			if f.ok(f.get(got[i]), f.get(r.want)) {
				half[i%2][0]++
			}
		}
		t.Logf("%-40s halves: even %d/%d = %5.1f%%, odd %d/%d = %5.1f%%", f.name,
			half[0][0], half[0][1], 100*float64(half[0][0])/math.Max(float64(half[0][1]), 1),
			half[1][0], half[1][1], 100*float64(half[1][0])/math.Max(float64(half[1][1]), 1))
		t.Logf("%-40s equal %3d/%3d, within tolerance %3d/%3d = %5.1f%%  |diff|%s median %.3f p90 %.3f max %.3f",
			f.name, nExact, len(ds), nOK, len(ds), 100*share[f.name], unit,
			key(ds[len(ds)/2]), key(ds[int(0.9*float64(len(ds)-1))]), key(ds[len(ds)-1]))
		for _, d := range ds[max(len(ds)-3, 0):] {
			t.Logf("    worst: %-58s got %8.3f want %8.3f", d.file, d.got, d.want)
		}
		// Signed bias and correlation, to see the direction and the
		// consistency of the disagreement.
		var bias float64
		xs, ys := make([]float64, len(ds)), make([]float64, len(ds))
		for i, d := range ds {
			bias += d.got - d.want
			xs[i], ys[i] = d.got, d.want
		}
		corr[f.name] = pearson(xs, ys)
		t.Logf("    mean signed difference %+.3f, Pearson r %.3f", bias/float64(len(ds)), corr[f.name])
	}
	if os.Getenv("MINUTIAE_DUMP") != "" {
		for i, r := range rows {
			t.Logf("%-60s count %4.0f/%4.0f com %4.0f/%4.0f mu %.3f/%.3f ocl %.3f/%.3f", r.file,
				got[i].MinutiaeCount, r.want.MinutiaeCount, got[i].COMRect200x200, r.want.COMRect200x200,
				got[i].MuQuality2, r.want.MuQuality2, got[i].OCLQuality80, r.want.OCLQuality80)
		}
	}
	// The extractor reproduces FingerJetFX, so every measure must equal
	// NIST's on every image (the floors are 90 % equal and 98 %
	// within ±10 % / ±0.05).
	for _, f := range fields {
		if share[f.name] < 1 {
			t.Errorf("%s: %.1f%% of images within tolerance, want all", f.name, 100*share[f.name])
		}
		if exact[f.name] < 1 {
			t.Errorf("%s: %.1f%% of images equal to NIST's value, want all", f.name, 100*exact[f.name])
		}
	}
}

// pearson is the correlation coefficient of xs and ys.
func pearson(xs, ys []float64) float64 {
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}
