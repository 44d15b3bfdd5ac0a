package minutiae

import (
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/biogate/biogate/finger/internal/nfiq2"
	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/readme"
)

// fjfxRef is one image of the corpus's FingerJetFX reference
// (fjfx/crop.csv and fjfx/minutiae.csv): NIST NFIQ 2 v2.3.0's crop box,
// its error if any, and the minutiae list FingerJetFX gave it, in NIST's
// order, in the original image's pixels.
type fjfxRef struct {
	file     string
	crop     image.Rectangle
	nistErr  string
	minutiae []Minutia
}

func readFjfxRef(t *testing.T, dir string) []fjfxRef {
	t.Helper()
	table := func(name string) ([]string, [][]string) {
		fh, err := os.Open(filepath.Join(dir, "fjfx", name))
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		recs, err := csv.NewReader(fh).ReadAll()
		if err != nil || len(recs) < 2 {
			t.Fatalf("%s: %v (%d rows)", name, err, len(recs))
		}
		return recs[0], recs[1:]
	}
	atoi := func(s string) int {
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("reference table: %q: %v", s, err)
		}
		return v
	}
	head, rows := table("crop.csv")
	if strings.Join(head, ",") != "file,set,crop_left,crop_top,crop_width,crop_height,nfiq2_error" {
		t.Fatalf("crop.csv: unexpected columns %v", head)
	}
	var refs []fjfxRef
	index := map[string]int{}
	for _, r := range rows {
		if r[1] != "images" {
			continue // holdout rows are not for validation here
		}
		x, y := atoi(r[2]), atoi(r[3])
		index[r[0]] = len(refs)
		refs = append(refs, fjfxRef{file: r[0], nistErr: r[6],
			crop: image.Rect(x, y, x+atoi(r[4]), y+atoi(r[5]))})
	}
	head, rows = table("minutiae.csv")
	if strings.Join(head, ",") != "file,set,index,x,y,angle_raw,angle_deg,type,confidence" {
		t.Fatalf("minutiae.csv: unexpected columns %v", head)
	}
	for _, r := range rows {
		i, ok := index[r[0]]
		if !ok || r[1] != "images" {
			continue
		}
		if atoi(r[2]) != len(refs[i].minutiae) {
			t.Fatalf("minutiae.csv: %s: rows out of order", r[0])
		}
		refs[i].minutiae = append(refs[i].minutiae, Minutia{
			X: atoi(r[3]), Y: atoi(r[4]), Angle: ISOToRadians(uint8(atoi(r[5]))),
			Type: Type(atoi(r[7])), Quality: atoi(r[8]),
		})
	}
	return refs
}

// matchShare is the share of the minutiae of a that have a minutia of b
// within 8 pixels and 22.5°, each minutia of b used once (nearest first).
func matchShare(a, b []Minutia) float64 {
	if len(a) == 0 {
		return 1
	}
	type pair struct {
		i, j int
		d    float64
	}
	var ps []pair
	for i, p := range a {
		for j, q := range b {
			d := math.Hypot(float64(p.X-q.X), float64(p.Y-q.Y))
			if d <= 8 && angleDiff(p.Angle, q.Angle) <= 22.5*math.Pi/180 {
				ps = append(ps, pair{i, j, d})
			}
		}
	}
	sort.Slice(ps, func(x, y int) bool { return ps[x].d < ps[y].d })
	usedA, usedB := make([]bool, len(a)), make([]bool, len(b))
	n := 0
	for _, p := range ps {
		if !usedA[p.i] && !usedB[p.j] {
			usedA[p.i], usedB[p.j] = true, true
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// TestCorpusFingerJetFXMinutiae runs NFIQ 2's minutiae stage (NFIQ 2's
// crop, then Find with NFIQ2Options) on every corpus image that NIST's
// NFIQ 2 passes to FingerJetFX, and compares the result with the list
// FingerJetFX gave inside NIST's NFIQ 2 v2.3.0, minutia by minutia: the
// crop box, the refusal, every minutia's position, angle, type, quality
// and rank, and the 8 px / 22.5° agreement both ways.
func TestCorpusFingerJetFXMinutiae(t *testing.T) {
	dir := corpus.Dir(t, "finger")
	refs := readFjfxRef(t, dir)
	var sel []fjfxRef
	for i, r := range refs {
		if r.nistErr != "" && !strings.Contains(r.nistErr, "FRFXLL_ERR_FB_TOO_SMALL_AREA") {
			continue // refused by NFIQ 2 before FingerJetFX runs
		}
		if (testing.Short() || raceEnabled) && i%5 != 0 {
			continue
		}
		sel = append(sel, r)
	}
	type outcome struct {
		err       error
		got       []Minutia
		count     int
		identical bool    // the same list: positions, angles, types, qualities, order
		positions bool    // the same positions (as multisets)
		recall    float64 // share of NIST's minutiae matched by ours
		precision float64 // share of ours matched by NIST's
	}
	out := make([]outcome, len(sel))
	forEach(len(sel), func(i int) {
		r, o := sel[i], &out[i]
		g, err := loadGray(filepath.Join(dir, "images", r.file))
		if err != nil {
			o.err = err
			return
		}
		c, err := nfiq2.CropNearWhiteFrame(g)
		if err != nil {
			o.err = err
			return
		}
		// NFIQ 2's crop must be NIST's, pixel for pixel.
		if c.Rect.Size() != r.crop.Size() {
			o.err = errors.New("crop " + c.Rect.Size().String() + " differs from NIST's " + r.crop.Size().String())
			return
		}
		for y := 0; y < r.crop.Dy(); y++ {
			for x := 0; x < r.crop.Dx(); x++ {
				if c.GrayAt(c.Rect.Min.X+x, c.Rect.Min.Y+y) != g.GrayAt(r.crop.Min.X+x, r.crop.Min.Y+y) {
					o.err = errors.New("cropped pixels differ from NIST's crop box")
					return
				}
			}
		}
		res, err := Find(c, NFIQ2Options())
		if err != nil {
			o.err = err
			return
		}
		o.count = res.Count
		for _, m := range res.Minutiae {
			m.X += r.crop.Min.X - c.Rect.Min.X
			m.Y += r.crop.Min.Y - c.Rect.Min.Y
			o.got = append(o.got, m)
		}
		o.identical = len(o.got) == len(r.minutiae)
		pos := map[image.Point]int{}
		for _, m := range r.minutiae {
			pos[image.Pt(m.X, m.Y)]++
		}
		for i, m := range o.got {
			if o.identical {
				w := r.minutiae[i]
				o.identical = m.X == w.X && m.Y == w.Y && m.ISOAngle() == w.ISOAngle() &&
					m.Type == w.Type && m.Quality == w.Quality
			}
			pos[image.Pt(m.X, m.Y)]--
		}
		o.positions = true
		for _, n := range pos {
			o.positions = o.positions && n == 0
		}
		o.recall, o.precision = matchShare(r.minutiae, o.got), matchShare(o.got, r.minutiae)
	})

	var recall, precision []float64
	identical, positions, listed, refusals := 0, 0, 0, 0
	for i, r := range sel {
		o := out[i]
		nistRefused := r.nistErr != ""
		var fe *FootprintError
		switch {
		case nistRefused && errors.As(o.err, &fe):
			refusals++
			continue
		case nistRefused:
			t.Errorf("%s: NIST's FingerJetFX refuses it (too small an area), ours gives err %v and %d minutiae", r.file, o.err, len(o.got))
			continue
		case o.err != nil:
			t.Errorf("%s: %v", r.file, o.err)
			continue
		}
		listed++
		recall = append(recall, o.recall)
		precision = append(precision, o.precision)
		if o.identical {
			identical++
		} else {
			t.Logf("%s: list differs from NIST's (%d vs %d minutiae, agreement %.3f / %.3f)", r.file, len(o.got), len(r.minutiae), o.recall, o.precision)
		}
		if o.positions {
			positions++
		}
	}
	if listed == 0 {
		t.Fatal("no image compared")
	}
	sort.Float64s(recall)
	sort.Float64s(precision)
	q := func(s []float64, p float64) float64 { return s[int(p*float64(len(s)-1))] }
	t.Logf("%d images listed by NIST: identical lists %d, identical positions %d; %d NIST refusals reproduced", listed, identical, positions, refusals)
	t.Logf("agreement (8 px, 22.5°): NIST's found by ours median %.3f p10 %.3f min %.3f; ours found by NIST's median %.3f p10 %.3f min %.3f",
		q(recall, 0.5), q(recall, 0.1), recall[0], q(precision, 0.5), q(precision, 0.1), precision[0])
	if !raceEnabled && !testing.Short() {
		readme.Require(t, fmt.Sprintf("**%d/%d images: the same list as NIST's FingerJetFX**", identical, listed))
	}
	// The floors are median ≥ 0.98 and p10 ≥ 0.90 both ways;
	// the extractor reproduces FingerJetFX, so every list is held to be
	// identical, minutia for minutia.
	for _, s := range [][]float64{recall, precision} {
		if q(s, 0.5) < 0.98 || q(s, 0.1) < 0.90 {
			t.Errorf("agreement median %.3f, p10 %.3f; want ≥ 0.98 and ≥ 0.90", q(s, 0.5), q(s, 0.1))
		}
	}
	if identical != listed || positions != listed {
		t.Errorf("identical lists on %d and identical positions on %d of %d images; want all", identical, positions, listed)
	}
}
