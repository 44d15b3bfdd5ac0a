package face

import (
	"fmt"
	"hash/fnv"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/readme"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// The content checks' evidence: TestCorpusContentChecks.
//
// Data: the labelled photographs of ../shared/corpus/face/content (checks
// eyes_closed, mouth_open, expression; labels.csv) and the 30 annotated
// clean portraits with their ied100, roll12, underexposed and jpeg_q10
// variants (150 faces), on which the checks must not fire. Some of those
// portraits are not compliant for the mouth and the expression: the
// content labels themselves call obama.jpg and biden2.jpg non-neutral
// (smile with teeth), and by eye obama2.jpg speaks with the mouth open and
// voteview 005404, 010308, 014676 and 021140 smile with teeth
// (portraitTeeth).
// They are left out of the mouth and expression false-reject figures and
// reported apart; all 30 count for EyesOpen. Why they are not compliant:
// ISO/IEC 19794-5 and 39794-5 (and ICAO 9303-3 after them) ask for a
// neutral (non-smiling) expression with the mouth closed, a smile with a
// closed jaw being allowed but not recommended; lips apart over the teeth
// are not a closed mouth, and a smile showing teeth is not neutral (the
// content labels call such faces non_neutral). Mouth crops of all seven
// show the teeth between parted lips.

// portraitTeeth are the clean portraits showing teeth or an open mouth
// (labelled by eye for this test; obama and biden2 also by the content
// labels, as non-neutral).
//
// Disclosure: voteview/014676 was first counted as compliant; the
// expression check fired on three of its versions, and a closer look (a
// mouth crop) showed teeth in a smile, so it was moved here. 007969 and
// 008495, looked at the same way, keep their lips closed and stay
// compliant.
var portraitTeeth = map[string]bool{
	"face_recognition/biden2": true, "face_recognition/obama": true, "face_recognition/obama2": true,
	"voteview/005404": true, "voteview/010308": true, "voteview/014676": true, "voteview/021140": true,
}

// contentCheck names a content check, the measure it uses and its labels'
// positive (non-compliant) values.
type contentCheck struct {
	check, measure string
	positive       []string
	target         float64 // balanced-accuracy target of issue 27
}

var contentChecks = []contentCheck{
	{"eyes_closed", quality.EyesOpen, []string{"closed", "closed_one_eye"}, 0.90},
	{"mouth_open", quality.MouthClosed, []string{"open"}, 0.93},
	{"expression", quality.ExpressionNeutrality, []string{"non_neutral"}, 0.86},
}

// contentItem is one assessed image: the mesh's measures (nil when the
// mesh did not assess it) and its expression features.
type contentItem struct {
	file, group, source string
	labels              map[string]bool // check -> positive
	portrait            bool
	teeth               bool // portraitTeeth
	ms                  quality.Measures
	feat                [numExprFeatures]float64
	mouth               mouthScan // MouthClosed's image readings
	t                   float64   // OFIQ's T, pixels
	assessed            bool
	reason              string
}

// contentGroup returns the subject an image shows, so that folds keep a
// subject's images together (Yale's subjectNN, LFW's person, a portrait
// and its variants).
func contentGroup(file string) string {
	base := filepath.Base(file)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	if strings.HasPrefix(base, "subject") {
		return strings.SplitN(base, ".", 2)[0]
	}
	if i := strings.LastIndex(base, "_"); i > 0 && strings.Count(base, "_") >= 2 {
		return base[:i]
	}
	return base
}

// loadContent returns the labelled content images and the annotated
// portraits with their variants, as assessed once by loadLabelled.
func loadContent(t *testing.T, dir string) []*contentItem {
	t.Helper()
	set := loadLabelled(t, dir)
	byFile := map[string]*contentItem{}
	var items []*contentItem
	for _, r := range set.rows {
		var cc *contentCheck
		for i := range contentChecks {
			if contentChecks[i].check == r.check {
				cc = &contentChecks[i]
			}
		}
		if cc == nil {
			continue
		}
		it := byFile[r.file]
		if it == nil {
			it = &contentItem{file: r.file, group: contentGroup(filepath.Base(r.file)), source: r.source, labels: map[string]bool{}}
			byFile[r.file] = it
			items = append(items, it)
		}
		pos := false
		for _, p := range cc.positive {
			pos = pos || r.label == p
		}
		it.labels[cc.check] = pos
	}
	for _, r := range set.portraits {
		key, _ := portraitKey(r.File)
		it := &contentItem{file: r.File, group: "portrait:" + key, source: "portraits", portrait: true, teeth: portraitTeeth[key]}
		items = append(items, it)
	}
	for _, it := range items {
		lf := set.faces[it.file]
		it.assessed, it.reason = lf.assessed, lf.reason
		if lf.assessed {
			it.ms, it.feat, it.mouth, it.t = lf.ms, lf.expr, lf.mouth, lf.t
		}
	}
	return items
}

// contentFold returns the fold (0-k) of a subject group: a fixed hash, so
// that the folds are the same on every run.
func contentFold(group string, k int) int {
	h := fnv.New32a()
	h.Write([]byte(group))
	return int(h.Sum32() % uint32(k))
}

// checkCounts are the outcomes of one check on a set of faces.
type checkCounts struct {
	pos, neg       int // labelled faces
	falseAccepts   int // positives the check let through
	falseRejects   int // negatives the check fired on
	portraits, prF int // compliant portrait faces, and those it fired on
	teeth, teethF  int // portraits with teeth, and those it fired on
	notAssessed    int
	naNeg          int // not assessed, not positive (the rest were positives)
	fired          []string
	wrong          []string // labelled faces the check got wrong
}

func (c checkCounts) ba() float64 {
	return balancedAccuracy(c.pos-c.falseAccepts, c.pos, c.neg-c.falseRejects, c.neg)
}

// baAll is the balanced accuracy over all labelled images, counting those
// the mesh did not assess as passing the check (the gate warns the operator
// but does not reject them).
func (c checkCounts) baAll() float64 {
	naPos := c.notAssessed - c.naNeg
	p, n := c.pos+naPos, c.neg+c.naNeg
	return balancedAccuracy(p-c.falseAccepts-naPos, p, n-c.falseRejects, n)
}

func (c checkCounts) String() string {
	return fmt.Sprintf("BA %.3f assessed (FA %d/%d, FR %d/%d), %.3f all (%d not assessed: %d positive); portraits FR %d/%d (with teeth: fired on %d/%d)",
		c.ba(), c.falseAccepts, c.pos, c.falseRejects, c.neg, c.baAll(), c.notAssessed, c.notAssessed-c.naNeg, c.prF, c.portraits, c.teethF, c.teeth)
}

// contentModel is what a fold fits: the expression model, MouthClosed's
// cavity threshold and a component floor per check.
type contentModel struct {
	expr   exprModel
	cavity float64 // mouthCavityDark
	floors map[string]float64
}

// mouthCavityGrid are the values of mouthCavityDark fitContent chooses
// from (0: no cavity correction).
var mouthCavityGrid = []float64{0, 0.3, 0.4, 0.5, 0.6, 0.7}

// component returns the component of check cc for item it under model m
// (the expression's from m's expression model, the others as reported).
func (m contentModel) component(cc contentCheck, it *contentItem) float64 {
	switch cc.measure {
	case quality.ExpressionNeutrality:
		return 100 * m.expr.neutrality(it.feat)
	case quality.MouthClosed:
		return mappings[quality.MouthClosed].Component(it.mouth.opening(m.cavity) / it.t)
	}
	v, _ := it.ms.Get(cc.measure)
	return v.Component
}

// compliant reports whether portrait item it counts as a negative for cc.
func compliant(cc contentCheck, it *contentItem) bool {
	return cc.measure == quality.EyesOpen || !it.teeth
}

// exprFloor is the ExpressionNeutrality floor: 50, the fitted model's own
// decision point (P(neutral) = 0.5); a floor tuned per fold swung from 38
// to 71 between folds (the balanced accuracy is flat over a wide range) and
// fired on 9 of 120 compliant portrait faces held out.
const exprFloor = 50

// fitContent fits the expression model on the expression-labelled content
// faces and the compliant portraits (as neutral; clean images only, so
// that a portrait counts once), then each check's floor: among the floors
// at which the check fires on at most 2 % of the compliant training
// portrait faces, the one with the best balanced accuracy on the training
// content faces (ties: the middle of the best range).
func fitContent(train []*contentItem) contentModel {
	var xs [][numExprFeatures]float64
	var ys []bool
	for _, it := range train {
		if !it.assessed {
			continue
		}
		if pos, ok := it.labels["expression"]; ok {
			xs, ys = append(xs, it.feat), append(ys, pos)
		} else if it.portrait && !strings.Contains(it.file, "variants") && !it.teeth {
			xs, ys = append(xs, it.feat), append(ys, false)
		}
	}
	m := contentModel{expr: fitExpression(xs, ys), floors: map[string]float64{quality.ExpressionNeutrality: exprFloor}}
	for _, cc := range contentChecks {
		if cc.measure == quality.ExpressionNeutrality {
			continue
		}
		if cc.measure != quality.MouthClosed {
			m.floors[cc.measure], _ = fitFloor(cc, train, m)
			continue
		}
		// MouthClosed: the cavity threshold with the best training
		// balanced accuracy at its fitted floor (ties: the smaller one).
		best := -1.0
		for _, k := range mouthCavityGrid {
			mk := m
			mk.cavity = k
			f, ba := fitFloor(cc, train, mk)
			if ba > best+1e-12 {
				best, m.cavity, m.floors[cc.measure] = ba, k, f
			}
		}
	}
	return m
}

// fitFloor returns check cc's floor under model m: among the floors at
// which it fires on at most 2 % of the compliant training portrait faces,
// the one with the best balanced accuracy on the training content faces
// (ties: the middle of the best range), and that balanced accuracy.
func fitFloor(cc contentCheck, train []*contentItem, m contentModel) (float64, float64) {
	var cands []float64
	for _, it := range train {
		if it.assessed {
			cands = append(cands, m.component(cc, it))
		}
	}
	sort.Float64s(cands)
	best, lo, hi := -1.0, 0.0, 0.0
	for i := 0; i+1 < len(cands); i++ {
		f := (cands[i] + cands[i+1]) / 2 // fire below f
		c := countCheck(cc, train, m, f)
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
	return math.Round((lo+hi)/2*10) / 10, best
}

// countCheck applies check cc with floor to items.
func countCheck(cc contentCheck, items []*contentItem, m contentModel, floor float64) checkCounts {
	var c checkCounts
	for _, it := range items {
		pos, labelled := it.labels[cc.check]
		if !labelled && !it.portrait {
			continue
		}
		if !it.assessed {
			if !it.portrait {
				c.notAssessed++
				if !pos {
					c.naNeg++
				}
			}
			continue
		}
		fires := m.component(cc, it) < floor
		switch {
		case it.portrait && compliant(cc, it):
			c.portraits++
			if fires {
				c.prF++
				c.fired = append(c.fired, strings.TrimPrefix(it.file, "portraits/"))
			}
		case it.portrait:
			c.teeth++
			if fires {
				c.teethF++
			}
		case pos:
			c.pos++
			if !fires {
				c.falseAccepts++
				c.wrong = append(c.wrong, "FA "+filepath.Base(it.file))
			}
		default:
			c.neg++
			if fires {
				c.falseRejects++
				c.wrong = append(c.wrong, "FR "+filepath.Base(it.file))
			}
		}
	}
	return c
}

// TestCorpusContentChecks reports, per content check, the balanced
// accuracy, false accepts and false rejects on the labelled content
// photographs, and the false rejects on the annotated portraits, with the
// expression model and every floor fitted inside the folds (5 folds by
// subject; leave-one-source-out beside it), next to the in-sample fit and
// the shipped profiles' floors. It asserts held-out floors and that the
// shipped expression model and profile floors are the all-data fit.
func TestCorpusContentChecks(t *testing.T) {
	t.Parallel() // a long corpus test: its single-threaded stretches overlap another's
	if raceEnabled {
		t.Skip("race detector: too slow for the corpus pass")
	}
	dir := corpus.Dir(t, "face")
	items := loadContent(t, dir)
	const k = 5
	heldOut := func(foldOf func(*contentItem) int, n int) (map[string]checkCounts, []contentModel) {
		out := map[string]checkCounts{}
		var models []contentModel
		for fold := 0; fold < n; fold++ {
			train, test := splitFold(items, fold, foldOf)
			if len(test) == 0 {
				continue
			}
			m := fitContent(train)
			models = append(models, m)
			for _, cc := range contentChecks {
				c := countCheck(cc, test, m, m.floors[cc.measure])
				o := out[cc.check]
				o.pos += c.pos
				o.neg += c.neg
				o.falseAccepts += c.falseAccepts
				o.falseRejects += c.falseRejects
				o.portraits += c.portraits
				o.prF += c.prF
				o.teeth += c.teeth
				o.teethF += c.teethF
				o.notAssessed += c.notAssessed
				o.naNeg += c.naNeg
				o.fired = append(o.fired, c.fired...)
				o.wrong = append(o.wrong, c.wrong...)
				out[cc.check] = o
			}
		}
		return out, models
	}
	kfold, models := heldOut(func(it *contentItem) int { return contentFold(it.group, k) }, k)
	sources := map[string]int{}
	var srcNames []string
	for _, it := range items {
		if _, ok := sources[it.source]; !ok {
			sources[it.source] = len(sources)
			srcNames = append(srcNames, it.source)
		}
	}
	loso, _ := heldOut(func(it *contentItem) int {
		if it.portrait {
			return -1 // the portraits train every fold; they are no source of the content labels
		}
		return sources[it.source]
	}, len(sources))
	all := fitContent(items)

	var b strings.Builder
	fmt.Fprintf(&b, "\ncontent checks (%d images and portrait faces; folds by subject):\n", len(items))
	for _, cc := range contentChecks {
		in := countCheck(cc, items, all, all.floors[cc.measure])
		fmt.Fprintf(&b, "%-12s %-21s\n  held-out (%d folds):      %v\n  leave-one-source-out:     %v\n  in-sample (floor %5.1f):  %v\n",
			cc.check, cc.measure, k, kfold[cc.check], loso[cc.check], all.floors[cc.measure], in)
		var fl []string
		for _, m := range models {
			if cc.measure == quality.MouthClosed {
				fl = append(fl, fmt.Sprintf("%.1f (cavity %.1f)", m.floors[cc.measure], m.cavity))
				continue
			}
			fl = append(fl, fmt.Sprintf("%.1f", m.floors[cc.measure]))
		}
		fmt.Fprintf(&b, "  fold floors: %s; compliant portrait faces it fires on held out: %s\n", strings.Join(fl, " "), strings.Join(kfold[cc.check].fired, ", "))
		fmt.Fprintf(&b, "  wrong held out: %s\n", strings.Join(kfold[cc.check].wrong, ", "))
	}
	fmt.Fprintf(&b, "expression model (all data): %+v\n", all.expr)
	// README's table: each check's shipped floor, held-out balanced
	// accuracy and held-out false accepts and rejects.
	for _, cc := range contentChecks {
		c := kfold[cc.check]
		readme.Require(t, fmt.Sprintf("%s → `%s` (floor %.1f) | **%.3f**", cc.check, cc.measure, all.floors[cc.measure], c.ba()))
		readme.Require(t, fmt.Sprintf("| %d/%d, %d/%d |", c.falseAccepts, c.pos, c.falseRejects, c.neg))
	}
	fmt.Fprintf(&b, "leave-one-source-out sources: %s\n", strings.Join(srcNames, ", "))
	var na []string
	for _, it := range items {
		if !it.assessed {
			na = append(na, it.file+": "+it.reason)
		}
	}
	fmt.Fprintf(&b, "not assessed (%d): %s\n", len(na), strings.Join(na, "; "))
	t.Log(b.String())

	// The shipped expression model and the embedded profiles' floors are
	// the all-data fit.
	t.Logf("MouthClosed cavity threshold (all data): %.1f", all.cavity)
	if all.cavity != mouthCavityDark {
		t.Errorf("shipped mouthCavityDark %v, the all-data fit is %v", mouthCavityDark, all.cavity)
	}
	if d := exprDiff(all.expr, shippedExpression); d > 1e-3 {
		t.Errorf("shipped expression model differs from the all-data fit by %.4f: fit %#v", d, all.expr)
	}
	for _, name := range []string{"ees-usk", "icao"} {
		p, err := thresholds.Embedded(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, cc := range contentChecks {
			if got := p.Face.MinComponents[cc.measure]; got != all.floors[cc.measure] {
				t.Errorf("profile %s: %s floor %v, the all-data fit is %v", name, cc.measure, got, all.floors[cc.measure])
			}
		}
	}
	// Held-out floors (5 folds by subject) at the levels reached: balanced
	// accuracy over the assessed faces, over all labelled images (not
	// assessed = passing), and the most compliant portrait faces fired on.
	// Issue 27's targets: 0.90, 0.93, 0.86, and at most 2 % of the
	// compliant portrait faces (3 of 150, 2 of 115). EyesOpen: 1.000 /
	// 0.912 before the mesh fallback for faces the finder misses
	// (face/fallback.go, issue 28), 0.975 / 0.946 since: it finds 3 more
	// eyes_closed photographs, one of them (eyes open) fired on.
	floors := map[string]struct {
		ba, baAll    float64
		maxPortraits int
	}{
		"eyes_closed": {0.97, 0.94, 3}, "mouth_open": {0.99, 0.99, 2}, "expression": {0.94, 0.94, 2},
	}
	for _, cc := range contentChecks {
		c, f := kfold[cc.check], floors[cc.check]
		if !(c.ba() >= f.ba) || !(c.baAll() >= f.baAll) {
			t.Errorf("%s: held-out balanced accuracy %.3f (assessed) / %.3f (all) below the floors %.3f / %.3f (target %.2f)", cc.check, c.ba(), c.baAll(), f.ba, f.baAll, cc.target)
		}
		if c.prF > f.maxPortraits {
			t.Errorf("%s: fires on %d of %d compliant portrait faces held out (at most %d)", cc.check, c.prF, c.portraits, f.maxPortraits)
		}
	}
}

// exprDiff is the largest difference between two models' parameters.
func exprDiff(a, b exprModel) float64 {
	d := math.Abs(a.B - b.B)
	for i := 0; i < numExprFeatures; i++ {
		d = math.Max(d, math.Max(math.Abs(a.W[i]-b.W[i]), math.Max(math.Abs(a.Mean[i]-b.Mean[i]), math.Abs(a.SD[i]-b.SD[i]))))
	}
	return d
}
