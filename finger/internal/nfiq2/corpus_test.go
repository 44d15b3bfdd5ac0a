package nfiq2

import (
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/readme"
)

type refRow struct {
	file   string
	vals   map[string]string
	errMsg string
	ms     float64
	w, h   int
}

func loadReference(t testing.TB, dir string) []refRow {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "nfiq2_reference.csv"))
	if err != nil {
		t.Fatalf("open reference: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read reference: %v", err)
	}
	head := recs[0]
	var rows []refRow
	for _, rec := range recs[1:] {
		r := refRow{vals: map[string]string{}}
		for i, h := range head {
			r.vals[h] = rec[i]
		}
		r.file = r.vals["file"]
		r.errMsg = r.vals["error"]
		r.ms, _ = strconv.ParseFloat(r.vals["ms_per_image"], 64)
		r.w, _ = strconv.Atoi(r.vals["width"])
		r.h, _ = strconv.Atoi(r.vals["height"])
		rows = append(rows, r)
	}
	return rows
}

func loadGray(t testing.TB, path string) *image.Gray {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	return g
}

func isBinName(n string) bool {
	i := strings.LastIndexByte(n, '_')
	if i < 0 || !strings.Contains(n, "_Bin10_") {
		return false
	}
	_, err := strconv.Atoi(n[i+1:])
	return err == nil
}

func agrees(name string, got, want float64) bool {
	if isBinName(name) || name == "AQF_SufficientFingerprintForeground" {
		return got == want
	}
	if got == want {
		return true
	}
	return math.Abs(got-want) <= 1e-3*math.Abs(want)
}

// corpusFloor is the regression floor: the share of images (in %) on which
// each measure agrees with NIST. "*" is the default for every measure.
var corpusFloor = map[string]float64{
	"*": 100,
}

// errorAgreementFloor is the minimum number of images on which our error /
// no-error outcome matches NIST's. The only differences allowed are NIST's
// FingerJetFX refusals (FRFXLL_ERR_*), which need the minutiae extractor.
const errorAgreementFloor = 100 // of the 105 images; 5 are FRFXLL refusals

func nFRFXLL(rows []refRow) int {
	n := 0
	for _, r := range rows {
		if strings.Contains(r.errMsg, "FRFXLL_ERR") {
			n++
		}
	}
	return n
}

func TestCorpusAgainstNIST(t *testing.T) {
	dir := corpus.Dir(t, "finger")
	rows := loadReference(t, dir)
	if raceEnabled || testing.Short() {
		// Every third image (refused ones included).
		var sub []refRow
		for i, r := range rows {
			if i%3 == 0 {
				sub = append(sub, r)
			}
		}
		t.Logf("race detector or -short: checking %d of %d images", len(sub), len(rows))
		rows = sub
	}
	type out struct {
		res *Result
		err error
	}
	outs := make([]out, len(rows))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				img := loadGray(t, filepath.Join(dir, "images", rows[i].file))
				outs[i].res, outs[i].err = Compute(img)
			}
		}()
	}
	for i := range rows {
		next <- i
	}
	close(next)
	wg.Wait()

	errAgree, scored := 0, 0
	agree := map[string]int{}
	maxRel := map[string]float64{}
	var mismatches []string
	for i, r := range rows {
		o := outs[i]
		if (r.errMsg != "") == (o.err != nil) {
			errAgree++
			// The reason is NIST's: the reference table writes NIST's
			// message with its commas as semicolons.
			var e *Error
			if r.errMsg != "" && (!errors.As(o.err, &e) || strings.ReplaceAll(e.NIST, ",", ";") != strings.TrimSpace(r.errMsg)) {
				t.Errorf("%s: NIST refuses it with %q, ours %v", r.file, r.errMsg, o.err)
			}
		} else if !strings.Contains(r.errMsg, "FRFXLL_ERR") {
			t.Errorf("outcome differs on %s: NIST error %q, ours %v", r.file, r.errMsg, o.err)
		} else {
			t.Logf("outcome differs on %s: NIST error %q, ours %v", r.file, r.errMsg, o.err)
		}
		if r.errMsg != "" {
			continue
		}
		scored++
		if o.err != nil {
			continue
		}
		for _, n := range FeatureNames {
			if isMinutiaeMeasure(n) {
				continue
			}
			want, err := strconv.ParseFloat(r.vals[n], 64)
			if err != nil {
				t.Fatalf("%s: bad reference value %q for %s", r.file, r.vals[n], n)
			}
			got, ok := o.res.Value(n)
			if ok && want != got {
				maxRel[n] = math.Max(maxRel[n], math.Abs(got-want)/math.Max(math.Abs(want), 1e-300))
			}
			if ok && agrees(n, got, want) {
				agree[n]++
			} else {
				mismatches = append(mismatches, fmt.Sprintf("%s %s: got %.17g want %.17g", r.file, n, got, want))
			}
		}
		fb := map[string]float64{
			"AQF_UniformImage":                    o.res.Feedback.UniformImage,
			"AQF_EmptyImageOrContrastTooLow":      o.res.Feedback.EmptyImageOrContrastTooLow,
			"AQF_SufficientFingerprintForeground": o.res.Feedback.SufficientFingerprintForeground,
		}
		for n, got := range fb {
			want, _ := strconv.ParseFloat(r.vals[n], 64)
			if want != got {
				maxRel[n] = math.Max(maxRel[n], math.Abs(got-want)/math.Max(math.Abs(want), 1e-300))
			}
			if agrees(n, got, want) {
				agree[n]++
			} else {
				mismatches = append(mismatches, fmt.Sprintf("%s %s: got %.17g want %.17g", r.file, n, got, want))
			}
		}
	}
	sort.Strings(mismatches)
	if testing.Verbose() {
		for _, m := range mismatches {
			t.Log("mismatch:", m)
		}
	}
	t.Logf("error/no-error outcome agrees with NIST on %d/%d images", errAgree, len(rows))
	if !raceEnabled && !testing.Short() {
		readme.Require(t, fmt.Sprintf("NIST's refusals reproduced on %d/%d images by the measures", errAgree, len(rows)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-40s %8s %8s %10s\n", "measure", "agree", "share", "max rel")
	names := []string{}
	for _, n := range FeatureNames {
		if !isMinutiaeMeasure(n) {
			names = append(names, n)
		}
	}
	names = append(names, "AQF_UniformImage", "AQF_EmptyImageOrContrastTooLow", "AQF_SufficientFingerprintForeground")
	for _, n := range names {
		share := 100 * float64(agree[n]) / float64(scored)
		fmt.Fprintf(&b, "%-40s %4d/%-3d %7.1f%% %10.1e\n", n, agree[n], scored, share, maxRel[n])
		floor, ok := corpusFloor[n]
		if !ok {
			floor = corpusFloor["*"]
		}
		if share < floor {
			t.Errorf("%s: agreement %.1f%% below floor %.1f%%", n, share, floor)
		}
	}
	t.Log(b.String())
	if want := len(rows) - nFRFXLL(rows); errAgree < min(errorAgreementFloor, want) {
		t.Errorf("error outcome agreement %d below floor %d", errAgree, errorAgreementFloor)
	}
}

// TestFeatureOrderMatchesConformance checks FeatureNames against the column
// order of NIST's conformance table.
func TestFeatureOrderMatchesConformance(t *testing.T) {
	dir := corpus.Dir(t, "finger", "nist_conformance")
	f, err := os.Open(filepath.Join(dir, "conformance_expected_output-v2.3.0.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	head, err := csv.NewReader(f).Read()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	in := false
	for _, h := range head {
		if h == FeatureNames[0] {
			in = true
		}
		if in {
			got = append(got, h)
		}
		if h == FeatureNames[len(FeatureNames)-1] {
			break
		}
	}
	if len(got) != len(FeatureNames) {
		t.Fatalf("conformance header has %d measure columns, want %d", len(got), len(FeatureNames))
	}
	for i, n := range FeatureNames {
		if got[i] != n {
			t.Errorf("column %d: conformance %s, FeatureNames %s", i, got[i], n)
		}
	}
}
