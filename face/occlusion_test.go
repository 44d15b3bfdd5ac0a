package face

import (
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/cputime"
	"github.com/biogate/biogate/internal/readme"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
	"github.com/disintegration/imaging"
)

// occCheck names a labelled occlusion check of the content photographs,
// the component that should flag it and its positive label.
type occCheck struct {
	check, measure, positive string
}

var occChecks = []occCheck{
	{"sunglasses", quality.EyesVisible, "sunglasses"},
	{"face_mask", quality.MouthOcclusionPrevention, "mask"},
	{"face_mask", quality.FaceOcclusionPrevention, "mask"},
	{"hand_object_occlusion", quality.FaceOcclusionPrevention, "occluded"},
	{"head_covering", quality.NoHeadCoverings, "covered"},
}

// occItem is one assessed image of the occlusion evidence.
type occItem struct {
	file, group, source string
	labels              map[string]bool // check -> positive
	portrait            bool
	found, assessed     bool
	reason              string
	ms                  quality.Measures
	feat                occFeatures
}

// loadOcclusion returns the images of the occlusion checks and the
// annotated portraits with their variants, as assessed once by
// loadLabelled.
func loadOcclusion(t *testing.T, dir string) []*occItem {
	t.Helper()
	set := loadLabelled(t, dir)
	byFile := map[string]*occItem{}
	var items []*occItem
	for _, r := range set.rows {
		var cc *occCheck
		for i := range occChecks {
			if occChecks[i].check == r.check {
				cc = &occChecks[i]
			}
		}
		if cc == nil {
			continue
		}
		it := byFile[r.file]
		if it == nil {
			it = &occItem{file: r.file, group: contentGroup(filepath.Base(r.file)), source: r.source, labels: map[string]bool{}}
			byFile[r.file] = it
			items = append(items, it)
		}
		it.labels[cc.check] = r.label == cc.positive
	}
	for _, r := range set.portraits {
		key, _ := portraitKey(r.File)
		items = append(items, &occItem{file: r.File, group: "portrait:" + key, source: "portraits", portrait: true})
	}
	for _, it := range items {
		lf := set.faces[it.file]
		it.ms, it.found, it.assessed, it.reason = lf.ms, lf.found, lf.assessed, lf.reason
		if lf.assessed {
			it.feat = lf.occ
		}
	}
	return items
}

// occMeasure is one occlusion component with the labelled checks whose
// positives it should flag (its floor is fitted on their union).
type occMeasure struct {
	measure string
	checks  []string
	target  float64
}

var occMeasures = []occMeasure{
	{quality.EyesVisible, []string{"sunglasses"}, 0.90},
	{quality.MouthOcclusionPrevention, []string{"face_mask"}, 0.90},
	{quality.FaceOcclusionPrevention, []string{"face_mask", "hand_object_occlusion"}, 0.90},
	{quality.NoHeadCoverings, []string{"head_covering"}, 0.90},
}

// label returns whether item it is a positive (true) or a negative
// (false) for the checks, and whether it is labelled for them at all.
func (it *occItem) label(checks []string) (pos, ok bool) {
	for _, c := range checks {
		if p, has := it.labels[c]; has {
			ok = true
			pos = pos || p
		}
	}
	return pos, ok
}

// occCounts are the outcomes of one component on a set of images.
type occCounts struct {
	pos, neg, falseAccepts, falseRejects int // assessed labelled faces
	notAssessed, naPos                   int // labelled, no mesh (naPos of them positive)
	portraits, prF                       int // portrait faces, and those it fired on
	fired                                []string
}

func (c *occCounts) add(d occCounts) {
	c.pos += d.pos
	c.neg += d.neg
	c.falseAccepts += d.falseAccepts
	c.falseRejects += d.falseRejects
	c.notAssessed += d.notAssessed
	c.naPos += d.naPos
	c.portraits += d.portraits
	c.prF += d.prF
	c.fired = append(c.fired, d.fired...)
}

func (c occCounts) ba() float64 {
	return balancedAccuracy(c.pos-c.falseAccepts, c.pos, c.neg-c.falseRejects, c.neg)
}

// baAll counts the labelled images without a mesh (no face found, or not
// assessed) as passing the check.
func (c occCounts) baAll() float64 {
	p, n := c.pos+c.naPos, c.neg+c.notAssessed-c.naPos
	return balancedAccuracy(c.pos-c.falseAccepts, p, n-c.falseRejects, n)
}

func (c occCounts) String() string {
	return fmt.Sprintf("BA %.3f assessed (FA %d/%d, FR %d/%d), %.3f all (%d without mesh: %d positive); portrait faces FR %d/%d (%.1f %%)",
		c.ba(), c.falseAccepts, c.pos, c.falseRejects, c.neg, c.baAll(), c.notAssessed, c.naPos, c.prF, c.portraits, 100*float64(c.prF)/float64(max(c.portraits, 1)))
}

// countOcc applies component m with floor to items (fires below floor).
func countOcc(m occMeasure, checks []string, items []*occItem, floor float64) occCounts {
	var c occCounts
	for _, it := range items {
		pos, labelled := it.label(checks)
		if !labelled && !it.portrait {
			continue
		}
		if !it.assessed {
			if labelled {
				c.notAssessed++
				if pos {
					c.naPos++
				}
			}
			continue
		}
		v, _ := it.ms.Get(m.measure)
		fires := v.Component < floor
		switch {
		case it.portrait:
			c.portraits++
			if fires {
				c.prF++
				c.fired = append(c.fired, strings.TrimPrefix(it.file, "portraits/"))
			}
		case pos:
			c.pos++
			if !fires {
				c.falseAccepts++
			}
		default:
			c.neg++
			if fires {
				c.falseRejects++
			}
		}
	}
	return c
}

// fitOccFloor returns component m's floor on train: among the floors at
// which it fires on at most 2 % of the training portrait faces, the one
// with the best balanced accuracy on the training labelled faces (ties:
// the middle of the best range), rounded to 0.1.
func fitOccFloor(m occMeasure, train []*occItem) float64 {
	var cands []float64
	for _, it := range train {
		if it.assessed {
			v, _ := it.ms.Get(m.measure)
			cands = append(cands, v.Component)
		}
	}
	sort.Float64s(cands)
	best, lo, hi := -1.0, 0.0, 0.0
	for i := 0; i+1 < len(cands); i++ {
		if cands[i] == cands[i+1] {
			continue
		}
		f := (cands[i] + cands[i+1]) / 2
		c := countOcc(m, m.checks, train, f)
		if c.portraits > 0 && float64(c.prF) > 0.02*float64(c.portraits) {
			continue
		}
		switch ba := c.ba(); {
		case ba > best+1e-12:
			best, lo, hi = ba, f, f
		case math.Abs(ba-best) <= 1e-12:
			hi = f
		}
	}
	return math.Round((lo+hi)/2*10) / 10
}

// TestCorpusOcclusionChecks reports, per occlusion component, the
// balanced accuracy, false accepts and false rejects on the labelled
// content photographs (sunglasses → EyesVisible; face_mask →
// MouthOcclusionPrevention and FaceOcclusionPrevention;
// hand_object_occlusion → FaceOcclusionPrevention; head_covering →
// NoHeadCoverings) and the false rejects on the 30 clean annotated
// portraits with their variants (150 faces), with every floor fitted
// inside the folds (5 folds by subject; leave-one-source-out beside), next
// to the in-sample fit; and how many occluded faces are found and
// assessed. It asserts that the shipped profiles' floors are the all-data
// fit and the held-out figures reached.
func TestCorpusOcclusionChecks(t *testing.T) {
	t.Parallel() // a long corpus test: its single-threaded stretches overlap another's
	if raceEnabled {
		t.Skip("race detector: too slow for the corpus pass")
	}
	dir := corpus.Dir(t, "face")
	items := loadOcclusion(t, dir)
	const k = 5
	type pair struct {
		measure, check string // check "" for all of the measure's checks
	}
	mOf := map[string]occMeasure{}
	for _, m := range occMeasures {
		mOf[m.measure] = m
	}
	var pairs []pair
	for _, m := range occMeasures {
		if len(m.checks) > 1 {
			for _, c := range m.checks {
				pairs = append(pairs, pair{m.measure, c})
			}
		}
		pairs = append(pairs, pair{m.measure, ""})
	}
	checksOf := func(p pair) []string {
		if p.check == "" {
			return mOf[p.measure].checks
		}
		return []string{p.check}
	}
	heldOut := func(foldOf func(*occItem) int, n int) (map[pair]occCounts, map[string][]float64) {
		out := map[pair]occCounts{}
		floors := map[string][]float64{}
		for fold := 0; fold < n; fold++ {
			train, test := splitFold(items, fold, foldOf)
			if len(test) == 0 {
				continue
			}
			for _, m := range occMeasures {
				fl := fitOccFloor(m, train)
				floors[m.measure] = append(floors[m.measure], fl)
				for _, p := range pairs {
					if p.measure == m.measure {
						c := out[p]
						c.add(countOcc(m, checksOf(p), test, fl))
						out[p] = c
					}
				}
			}
		}
		return out, floors
	}
	kfold, kfloors := heldOut(func(it *occItem) int { return contentFold(it.group, k) }, k)
	sources := map[string]int{}
	var srcNames []string
	for _, it := range items {
		if _, ok := sources[it.source]; !ok && !it.portrait {
			sources[it.source] = len(sources)
			srcNames = append(srcNames, it.source)
		}
	}
	loso, _ := heldOut(func(it *occItem) int {
		if it.portrait {
			return -1 // the portraits train every fold
		}
		return sources[it.source]
	}, len(sources))
	all := map[string]float64{}
	for _, m := range occMeasures {
		all[m.measure] = fitOccFloor(m, items)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\nocclusion checks (%d images and portrait faces; floors fitted inside the folds):\n", len(items))
	for _, p := range pairs {
		pm := mOf[p.measure]
		name := p.check
		if name == "" {
			name = strings.Join(pm.checks, "+")
		}
		in := countOcc(pm, checksOf(p), items, all[p.measure])
		fmt.Fprintf(&b, "%s → %s\n  held-out (%d folds by subject): %v\n  leave-one-source-out:          %v\n  in-sample (floor %5.1f):       %v\n",
			name, p.measure, k, kfold[p], loso[p], all[p.measure], in)
		if p.check == "" {
			var fl []string
			for _, f := range kfloors[p.measure] {
				fl = append(fl, fmt.Sprintf("%.1f", f))
			}
			fmt.Fprintf(&b, "  fold floors: %s; portrait faces fired on held out: %s\n", strings.Join(fl, " "), strings.Join(kfold[p].fired, ", "))
		}
	}
	fmt.Fprintf(&b, "leave-one-source-out sources: %s\n", strings.Join(srcNames, ", "))
	// README's table: each pair's held-out balanced accuracy (assessed) and
	// held-out false accepts and rejects.
	for _, p := range pairs {
		c, name := kfold[p], p.check
		if name == "" {
			name = strings.Join(mOf[p.measure].checks, "+")
		}
		readme.Require(t, fmt.Sprintf("%s → `%s` | **%.3f**", name, p.measure, c.ba()))
		readme.Require(t, fmt.Sprintf("| %d/%d, %d/%d |", c.falseAccepts, c.pos, c.falseRejects, c.neg))
	}
	// Found and assessed: the occluded faces, and the others.
	for _, chk := range []string{"sunglasses", "face_mask", "hand_object_occlusion", "head_covering"} {
		var n, found, assessed, nn, nfound int
		for _, it := range items {
			pos, ok := it.labels[chk]
			switch {
			case ok && pos:
				n++
				if it.found {
					found++
				}
				if it.assessed {
					assessed++
				}
			case ok:
				nn++
				if it.found {
					nfound++
				}
			}
		}
		fmt.Fprintf(&b, "%-22s positives: face found %d/%d, assessed by the mesh %d/%d; negatives: face found %d/%d\n", chk, found, n, assessed, n, nfound, nn)
	}
	var na []string
	for _, it := range items {
		if !it.assessed {
			na = append(na, it.file+": "+it.reason)
		}
	}
	fmt.Fprintf(&b, "without mesh (%d): %s\n", len(na), strings.Join(na, "; "))
	t.Log(b.String())

	for _, name := range []string{"ees-usk", "icao"} {
		p, err := thresholds.Embedded(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range occMeasures {
			if got := p.Face.MinComponents[m.measure]; got != all[m.measure] {
				t.Errorf("profile %s: %s floor %v, the all-data fit is %v", name, m.measure, got, all[m.measure])
			}
		}
	}
	// Held-out (5 folds by subject) floors at the levels reached, and at
	// most 2 % of the portrait faces (3 of 150) fired on. Issue 28's
	// target, 0.90, is missed by FaceOcclusionPrevention (0.816: hands)
	// and NoHeadCoverings (0.856).
	floors := map[string]struct {
		ba           float64
		maxPortraits int
	}{
		quality.EyesVisible: {0.915, 3}, quality.MouthOcclusionPrevention: {0.94, 3},
		quality.FaceOcclusionPrevention: {0.81, 3}, quality.NoHeadCoverings: {0.85, 3},
	}
	for _, m := range occMeasures {
		c, f := kfold[pair{m.measure, ""}], floors[m.measure]
		if !(c.ba() >= f.ba) {
			t.Errorf("%s: held-out balanced accuracy %.3f below %.3f (target %.2f)", m.measure, c.ba(), f.ba, m.target)
		}
		if c.prF > f.maxPortraits {
			t.Errorf("%s: fires on %d of %d portrait faces held out (at most %d)", m.measure, c.prF, c.portraits, f.maxPortraits)
		}
	}
}

// BenchmarkOcclusion times the four occlusion measures of one face on top
// of its mesh (the mesh itself not included): a clean portrait and a 1200×1600
// enlargement of it (the frame is resampled at a fixed 24 samples per
// inter-eye distance, with at most 3×3 taps a sample).
func BenchmarkOcclusion(b *testing.B) {
	p := corpus.Path()
	if p == "" {
		b.Skip("corpus absent")
	}
	src, err := loadFile(filepath.Join(p, "face", "portraits", "face_recognition", "obama.jpg"))
	if err != nil {
		b.Skip(err)
	}
	a, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, sz := range []struct {
		name string
		img  image.Image
	}{
		{"native", src},
		{"1200x1600", imaging.Fit(src, 1200, 1600, imaging.Linear)},
	} {
		rep, err := a.Assess(sz.img, nil)
		if err != nil || len(rep.Faces) == 0 || rep.Faces[0].Mesh == nil {
			b.Fatalf("%s: no mesh (%v)", sz.name, err)
		}
		bd := sz.img.Bounds()
		g := luma(sz.img, make([]uint8, bd.Dx()*bd.Dy()))
		m := rep.Faces[0].Mesh
		b.Run(sz.name, func(b *testing.B) {
			b.ReportAllocs()
			c0 := cputime.Process()
			for i := 0; i < b.N; i++ {
				if ms := occlusionMeasures(sz.img, g, m); len(ms) != 4 {
					b.Fatalf("%d measures", len(ms))
				}
			}
			b.ReportMetric(float64(cputime.Process()-c0)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}

// TestCorpusMeshFallbackNegatives runs full assessments on images without
// a face: the mesh fallback (meshFallback) on the whole image, which a
// full assessment runs when the face finder finds nothing: the fingerprint images of the corpus (every PNG under
// finger/ outside the holdout folders, up to 60 in path order) and the object images of eyes.csv. It
// asserts that the fallback accepts none. (The face finder itself fires
// on a few fingerprint cards; that is reported, not asserted here.)
func TestCorpusMeshFallbackNegatives(t *testing.T) {
	t.Parallel() // a long corpus test: its single-threaded stretches overlap another's
	if raceEnabled {
		t.Skip("race detector: too slow for the corpus pass")
	}
	root := corpus.Path()
	dir := corpus.Dir(t, "face")
	var files []string
	_ = filepath.WalkDir(filepath.Join(root, "finger"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "holdout" {
			return filepath.SkipDir
		}
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".png") && len(files) < 60 {
			files = append(files, p)
		}
		return nil
	})
	for _, r := range readTruth(t, dir) {
		if r.Category == "no_face" {
			files = append(files, filepath.Join(dir, r.File))
		}
	}
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	var found, detector []string
	n := 0
	for _, p := range files {
		img, err := loadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() < MinImageSize || b.Dy() < MinImageSize {
			continue
		}
		n++
		if f, ok, err := a.meshFallback(img, img.Bounds()); err != nil {
			t.Fatal(err)
		} else if ok {
			found = append(found, fmt.Sprintf("%s (mesh score %.3f)", strings.TrimPrefix(p, root+"/"), f.Confidence))
		}
		rep, err := a.Assess(img, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Faces) > 0 {
			detector = append(detector, strings.TrimPrefix(p, root+"/"))
		}
	}
	t.Logf("the mesh fallback accepts %d of %d images without a face: %s", len(found), n, strings.Join(found, ", "))
	t.Logf("(full assessments find a face on %d of them, the face finder's own false detections: %s)", len(detector), strings.Join(detector, ", "))
	if n < 40 {
		t.Errorf("only %d images without a face assessed", n)
	}
	if len(found) > 0 {
		t.Errorf("the mesh fallback accepts %d images without a face", len(found))
	}
}
