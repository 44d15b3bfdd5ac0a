package face

import (
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/readme"
	"github.com/biogate/biogate/quality"
)

// Cross-validation of the eye-centre constants by portrait.
//
// The expensive steps (face search, pupil localiser, eye-corner cascades)
// run once per annotated portrait image, for each candidate number of
// perturbed pupil starts (cvPerturbs); their raw outputs are cached in
// eyeSamples. Per fold, fitEyeParams refits the model's constants in closed
// form on the other portraits, and the held-out portrait (its clean image
// and all its variants: a portrait is never in its own fit) is scored. The
// number of starts is compared by running the whole cross-validation for
// each candidate (selecting it inside each fold by the fold's own accuracy
// overfits: it picked 63 starts by counts of faces passing, 15 by mean
// error, and lost held-out accuracy either way, measured before the
// eye corners' second pass).
//
// Not refitted per fold (fixed, not chosen on eyes.csv accuracy): the
// sanity bounds of cornersAgree (0.15 and 0.5 of the pupils' distance) and
// of cornersPlausible (no annotated portrait reaches them: their corners
// always agree with their pupils), the cascades' start geometry and window
// (pigo's: 0.25/0.15 IED, 3 IED; 0.25 of the box for the pupils),
// localiseSmooth (chosen on degradations made in code,
// TestCorpusIEDStability), fullEyes' rotated passes (for eye lines tilted
// by more than 15° only; chosen on TestEyeRefinementGain) and preview's
// extra pass (rollStepDeg/2). Preview mode once ran 15 starts instead of
// 31; these figures (95.1 | 84.7 % against 97.2 | 88.2 %) moved it to
// full mode's 31.

// cvPerturbs are the candidate numbers of perturbed pupil-localiser starts
// (Options.Perturbations; the default is 31).
var cvPerturbs = []int{15, 31, 63}

// eyeCat maps the rows of eyes.csv to the categories reported.
func eyeCat(cat string) (string, bool) {
	switch cat {
	case "portrait", "portrait_marginal":
		return "clean", true
	case "ied100", "roll12", "underexposed", "jpeg_q10":
		return cat, true
	}
	return "", false
}

var eyeCats = []string{"clean", "ied100", "roll12", "underexposed", "jpeg_q10"}

// eyeRaw is the output of the pupil localiser and the eye-corner cascades
// for one face: pupils (image-left, image-right), the four corners as the
// cascades place them, and the refined outer corners (image-left,
// image-right; see refinedOuterCorners).
type eyeRaw struct {
	pr, pl quality.Point
	lm     map[string]quality.Point
	outer  [2]quality.Point
}

// refined returns e with its outer corners moved the fraction w of the way
// to the refined ones, as refineOuter does.
func (e eyeRaw) refined(w float64) eyeRaw {
	if w == 0 || e.lm == nil {
		return e
	}
	lm := make(map[string]quality.Point, len(e.lm))
	for k, v := range e.lm {
		lm[k] = v
	}
	if cornerUseOf(e.pr, e.pl, e.lm) != noCorners {
		lm[RightEyeOuter] = blend(lm[RightEyeOuter], e.outer[0], w)
		lm[LeftEyeOuter] = blend(lm[LeftEyeOuter], e.outer[1], w)
	}
	e.lm = lm
	return e
}

type eyeSample struct {
	file, cat, key string
	L, R           quality.Point // truth: image-left, image-right eye
	full           []eyeRaw      // per cvPerturbs
	prev           eyeRaw        // preview mode's pupils and eye corners
	preview        bool          // preview mode found the face
	// chain: the shipped pupil and eye-corner chain's eye centres (31
	// starts); means: the eyes' contour means from one pass of the face
	// mesh started from them, per crop size of cvMeshCrops, their
	// average, then two passes at meshCropIED (the second on meshROI's
	// crop, as MediaPipe re-crops from its own points), then the Iris
	// model's six-point means on both eyes of the meshCropIED pass
	// (irisSixMeans), then their average with that pass's; nil when the
	// mesh did not assess the face
	chainR, chainL quality.Point
	means          [len(cvMeshCrops) + 4]*[2]quality.Point
}

// cvMeshCrops are the mesh crop sizes (in IED) compared; eyeSample.means
// holds one pass at each, then their average.
var cvMeshCrops = [...]float64{3.0, 3.6, 4.2}

var (
	eyeSamplesOnce sync.Once
	eyeSamplesVal  []eyeSample
	eyeSamplesErr  error
)

// loadEyeSamples runs the expensive steps on every annotated portrait and
// variant (two workers).
func loadEyeSamples(t *testing.T, dir string) []eyeSample {
	t.Helper()
	eyeSamplesOnce.Do(func() {
		a, err := New(nil)
		if err != nil {
			eyeSamplesErr = err
			return
		}
		var todo []truthRow
		for _, r := range readTruth(t, dir) {
			_, okCat := eyeCat(r.Category)
			if _, ok := portraitKey(r.File); ok && okCat && r.HasGT {
				todo = append(todo, r)
			}
		}
		out := make([]eyeSample, len(todo))
		errs := make([]error, len(todo))
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					out[i], errs[i] = a.eyeSampleOf(dir, todo[i])
				}
			}()
		}
		for i := range todo {
			next <- i
		}
		close(next)
		wg.Wait()
		for _, err := range errs {
			if err != nil && eyeSamplesErr == nil {
				eyeSamplesErr = err
			}
		}
		eyeSamplesVal = out
	})
	if eyeSamplesErr != nil {
		t.Fatal(eyeSamplesErr)
	}
	return eyeSamplesVal
}

// eyeSampleOf runs Assess's detection and localisation steps on one
// annotated image and keeps the face matching the truth.
func (a *Assessor) eyeSampleOf(dir string, r truthRow) (eyeSample, error) {
	key, _ := portraitKey(r.File)
	cat, _ := eyeCat(r.Category)
	s := eyeSample{file: r.File, cat: cat, key: key, L: r.L, R: r.R}
	img, err := loadFile(filepath.Join(dir, r.File))
	if err != nil {
		return s, err
	}
	b := img.Bounds()
	g := luma(img, make([]uint8, b.Dx()*b.Dy()))
	gied := dist(r.L, r.R)
	// search runs the face search (full or preview mode) on a copy of g
	// and returns the smoothed working copy and the detection whose eyes
	// (localised with n starts) match the truth within 0.25 IED.
	search := func(preview bool, n int) (*pico.Gray, detection, bool) {
		gs := &pico.Gray{Pix: append([]uint8(nil), g.Pix...), W: g.W, H: g.H, Stride: g.Stride}
		dets := a.detect(gs, image.Rect(0, 0, g.W, g.H), preview)
		smoothFaces(gs, dets)
		cfg := fullEyes
		cfg.perturbs = n
		for _, d := range dets {
			f, ok := a.faceFromDetection(gs, d, cfg)
			if ok && math.Max(dist(f.RightEye, r.L), dist(f.LeftEye, r.R))/gied < 0.25 {
				return gs, d, true
			}
		}
		return nil, detection{}, false
	}
	gs, d, ok := search(false, 31)
	if !ok {
		return s, fmt.Errorf("%s: face not found", r.File)
	}
	for _, n := range cvPerturbs {
		cfg := fullEyes
		cfg.perturbs = n
		lr, lc, rr, rc := a.findEyes(gs, d, cfg)
		e := eyeRaw{pr: quality.Point{X: lc, Y: lr}, pl: quality.Point{X: rc, Y: rr}}
		e.lm = a.cascadeLandmarks(gs, e.pr, e.pl, landmarkRuns)
		e.outer[0], e.outer[1] = refinedOuterCorners(gs, e.lm)
		s.full = append(s.full, e)
	}
	{
		e := s.full[1].refined(shippedEyes.OuterRefine)
		s.chainR, s.chainL = shippedEyes.centres(e.pr, e.pl, e.lm)
		var sum [2]quality.Point
		n := 0
		for i, k := range cvMeshCrops {
			m, _, err := a.meshFacePasses(img, s.chainR, s.chainL, 1, k)
			if err != nil {
				return s, err
			}
			if m == nil {
				continue
			}
			c := m.contourMeans()
			s.means[i] = &c
			if k == meshCropIED {
				ic, err := a.irisSixMeans(img, m)
				if err != nil {
					return s, err
				}
				s.means[len(cvMeshCrops)+2] = &ic
				av := [2]quality.Point{{X: (ic[0].X + c[0].X) / 2, Y: (ic[0].Y + c[0].Y) / 2}, {X: (ic[1].X + c[1].X) / 2, Y: (ic[1].Y + c[1].Y) / 2}}
				s.means[len(cvMeshCrops)+3] = &av
			}
			for e := range c {
				sum[e].X += c[e].X
				sum[e].Y += c[e].Y
			}
			n++
		}
		if n == len(cvMeshCrops) {
			for e := range sum {
				sum[e].X /= float64(n)
				sum[e].Y /= float64(n)
			}
			s.means[len(cvMeshCrops)] = &sum
		}
		m, _, err := a.meshFacePasses(img, s.chainR, s.chainL, 2, meshCropIED)
		if err != nil {
			return s, err
		}
		if m != nil {
			c := m.contourMeans()
			s.means[len(cvMeshCrops)+1] = &c
		}
	}
	if gp, dp, ok := search(true, previewEyes.perturbs); ok {
		lr, lc, rr, rc := a.findEyes(gp, dp, previewEyes)
		e := eyeRaw{pr: quality.Point{X: lc, Y: lr}, pl: quality.Point{X: rc, Y: rr}}
		e.lm = a.eyeCorners(gp, e.pr, e.pl, landmarkRuns)
		e.outer[0], e.outer[1] = refinedOuterCorners(gp, e.lm)
		s.prev, s.preview = e, true
	}
	return s, nil
}

// frameOf returns the unit vector along p→q, the downward normal and |pq|.
func frameOf(p, q quality.Point) (ux, uy, nx, ny, d float64) {
	d = dist(p, q)
	ux, uy = (q.X-p.X)/d, (q.Y-p.Y)/d
	return ux, uy, -uy, ux, d
}

// fitEyeParams fits the eye-centre constants on samples (the raw outputs
// of perturbation set k) in closed form:
//   - Inward: median over eyes of the reference's inward offset from the
//     corner midpoint, along the corner midpoints' line, over their distance;
//   - Drop: median of its offset perpendicular to that line (downwards),
//     over the distance of the moved midpoints (drop's own unit);
//   - PupilDrop: the same for the pupils, in the pupils' frame;
//   - PupilWeight: the least-squares blend weight w minimising
//     Σ|(1−w)·c + w·p − truth|² over the eyes with corners, where c and p are
//     the corner and pupil estimates with the three offsets above.
func fitEyeParams(ss []eyeSample, k int) eyeParams {
	var in, dr, pd []float64
	var p eyeParams
	for _, s := range ss {
		e := s.full[k]
		ux, uy, nx, ny, d := frameOf(e.pr, e.pl)
		for _, v := range [][2]quality.Point{{e.pr, s.L}, {e.pl, s.R}} {
			pd = append(pd, ((v[1].X-v[0].X)*nx+(v[1].Y-v[0].Y)*ny)/d)
		}
		_, _, _, _ = ux, uy, nx, ny
		nr, nl, ok := cornerMids(e)
		if !ok {
			continue
		}
		ux, uy, nx, ny, d = frameOf(nr, nl)
		for i, v := range [][2]quality.Point{{nr, s.L}, {nl, s.R}} {
			sgn := 1.0
			if i == 1 {
				sgn = -1
			}
			in = append(in, sgn*((v[1].X-v[0].X)*ux+(v[1].Y-v[0].Y)*uy)/d)
			dr = append(dr, (v[1].X-v[0].X)*nx+(v[1].Y-v[0].Y)*ny)
		}
	}
	p.Inward = median(in)
	p.PupilDrop = median(pd)
	// Drop is a fraction of the distance of the moved midpoints.
	i := 0
	for _, s := range ss {
		nr, nl, ok := cornerMids(s.full[k])
		if !ok {
			continue
		}
		d := dist(nr, nl) * (1 - 2*p.Inward)
		dr[i] /= d
		dr[i+1] /= d
		i += 2
	}
	p.Drop = median(dr[:i])
	var num, den float64
	for _, s := range ss {
		e := s.full[k]
		if _, _, ok := cornerMids(e); !ok {
			continue
		}
		q := p
		q.PupilWeight = 0
		cr, cl := q.centres(e.pr, e.pl, e.lm)
		q.PupilWeight = 1
		pr, pl := q.centres(e.pr, e.pl, e.lm)
		for _, v := range [][3]quality.Point{{cr, pr, s.L}, {cl, pl, s.R}} {
			ax, ay := v[1].X-v[0].X, v[1].Y-v[0].Y
			num += ax*(v[2].X-v[0].X) + ay*(v[2].Y-v[0].Y)
			den += ax*ax + ay*ay
		}
	}
	if den > 0 {
		p.PupilWeight = math.Max(0, math.Min(1, num/den))
	}
	return p
}

// outerRefineGrid are the OuterRefine values fitEyeModel tries.
var outerRefineGrid = []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}

// fitEyeModel fits OuterRefine and the other constants: for each value of
// grid (outerRefineGrid, or {0} for the model without the refinement) it
// fits the rest with fitEyeParams on the samples with
// their outer corners moved that far, and keeps the value whose fit gives
// the least squared IED error (the outer corners set the IED).
func fitEyeModel(ss []eyeSample, k int, grid []float64) eyeParams {
	best, bestP := math.Inf(1), eyeParams{}
	moved := make([]eyeSample, len(ss))
	for _, w := range grid {
		for i, s := range ss {
			m := s
			m.full = append([]eyeRaw(nil), s.full...)
			m.full[k] = s.full[k].refined(w)
			moved[i] = m
		}
		p := fitEyeParams(moved, k)
		p.OuterRefine = w
		var sse float64
		for _, s := range moved {
			e := s.full[k]
			re, le := p.centres(e.pr, e.pl, e.lm)
			r := dist(re, le)/dist(s.L, s.R) - 1
			sse += r * r
		}
		if sse < best {
			best, bestP = sse, p
		}
	}
	return bestP
}

// cornerMids returns the corner midpoints of both eyes, and whether they
// agree with the pupils (then eyeParams.centres blends them with the
// pupils, the case the constants are fitted on; corners used alone,
// cornerUseOf's fallback, never occur on the annotated portraits).
func cornerMids(e eyeRaw) (nr, nl quality.Point, ok bool) {
	nr = mid(e.lm[RightEyeOuter], e.lm[RightEyeInner])
	nl = mid(e.lm[LeftEyeOuter], e.lm[LeftEyeInner])
	return nr, nl, cornersAgree(e.pr, e.pl, nr, nl)
}

// eyeScore counts faces with both eyes within 0.05 IED and with IED within
// ±3 %, per category.
type eyeScore map[string]*[3]int // faces, eyes < 0.05 IED, IED ±3 %

// eyeErrs collects the continuous errors behind an eyeScore: each eye's
// error and each face's IED ratio error (steadier than the counts).
type eyeErrs struct{ eye, ied []float64 }

func (e *eyeErrs) add(s eyeSample, re, le quality.Point) {
	g := dist(s.L, s.R)
	e.eye = append(e.eye, dist(re, s.L)/g, dist(le, s.R)/g)
	e.ied = append(e.ied, dist(re, le)/g-1)
}

func (e *eyeErrs) String() string {
	eye := append([]float64(nil), e.eye...)
	sort.Float64s(eye)
	var ss float64
	for _, x := range e.ied {
		ss += x * x
	}
	return fmt.Sprintf("eye error median %.4f, p90 %.4f IED; IED error RMS %.2f %%",
		eye[len(eye)/2], eye[int(0.9*float64(len(eye)-1))], 100*math.Sqrt(ss/float64(len(e.ied))))
}

func (sc eyeScore) add(cat string, s eyeSample, re, le quality.Point) {
	c := sc[cat]
	if c == nil {
		c = new([3]int)
		sc[cat] = c
	}
	g := dist(s.L, s.R)
	c[0]++
	if math.Max(dist(re, s.L), dist(le, s.R)) < 0.05*g {
		c[1]++
	}
	if math.Abs(dist(re, le)/g-1) <= 0.03 {
		c[2]++
	}
}

func (sc eyeScore) total() [3]int {
	var t [3]int
	for _, c := range eyeCats {
		if v := sc[c]; v != nil {
			for i := range t {
				t[i] += v[i]
			}
		}
	}
	return t
}

// score evaluates params p on perturbation set k over ss.
func scoreEyes(ss []eyeSample, k int, p eyeParams) eyeScore {
	sc := eyeScore{}
	for _, s := range ss {
		e := s.full[k].refined(p.OuterRefine)
		re, le := p.centres(e.pr, e.pl, e.lm)
		sc.add(s.cat, s, re, le)
	}
	return sc
}

// TestCorpusEyeCrossValidation: leave-one-portrait-out cross-validation of
// the eye-centre constants (see fitEyeParams) and the number of pupil
// starts, over the 30 annotated portraits with their ied100, roll12,
// underexposed and jpeg_q10 variants. It reports, per category, the
// held-out share of faces with both eyes within 0.05 IED of the reference
// and with IED within ±3 %, the in-sample figures for comparison, and
// asserts the held-out figures (not the in-sample ones) as floors. It also
// checks that the shipped constants are the all-portrait fit, and reports
// the holdout portraits (not in eyes.csv; see holdoutIED).
func TestCorpusEyeCrossValidation(t *testing.T) {
	t.Parallel() // a long corpus test: its single-threaded stretches overlap another's
	if raceEnabled {
		t.Skip("race detector: too slow for the corpus pass")
	}
	dir := corpus.Dir(t, "face")
	ss := loadEyeSamples(t, dir)
	byKey := map[string][]int{}
	var keys []string
	for i, s := range ss {
		if byKey[s.key] == nil {
			keys = append(keys, s.key)
		}
		byKey[s.key] = append(byKey[s.key], i)
	}
	sort.Strings(keys)
	if len(keys) < 30 {
		t.Fatalf("%d annotated portraits, want 30", len(keys))
	}
	// lopo runs the cross-validation on perturbation set k, fitting
	// OuterRefine from grid.
	lopo := func(k int, grid []float64) (held, preview eyeScore, fitted []eyeParams, errs *eyeErrs) {
		held, preview, errs = eyeScore{}, eyeScore{}, &eyeErrs{}
		for _, key := range keys {
			var train, test []eyeSample
			for _, s := range ss {
				if s.key == key {
					test = append(test, s)
				} else {
					train = append(train, s)
				}
			}
			p := fitEyeModel(train, k, grid)
			fitted = append(fitted, p)
			for _, s := range test {
				e := s.full[k].refined(p.OuterRefine)
				re, le := p.centres(e.pr, e.pl, e.lm)
				held.add(s.cat, s, re, le)
				errs.add(s, re, le)
				if s.preview {
					e := s.prev.refined(p.OuterRefine)
					re, le = p.centres(e.pr, e.pl, e.lm)
					preview.add(s.cat, s, re, le)
				}
			}
		}
		return held, preview, fitted, errs
	}
	k31 := 1 // cvPerturbs[1] == 31, the default
	held, preview, fitted, heldErrs := lopo(k31, outerRefineGrid)
	unrefined, _, _, _ := lopo(k31, []float64{0})
	all := fitEyeModel(ss, k31, outerRefineGrid)
	in := scoreEyes(ss, k31, all)
	shipped := scoreEyes(ss, k31, shippedEyes)
	// the hand-tuned constants this fit replaced, in-sample (they were
	// chosen on all portraits, so they have no held-out figures)
	before := scoreEyes(ss, k31, eyeParams{Inward: 0.016, Drop: 0.019, PupilDrop: 0.03, PupilWeight: 0.25})

	var b strings.Builder
	fmt.Fprintf(&b, "\nleave-one-portrait-out over %d portraits (%d images); share of faces: both eyes < 0.05 IED | IED within ±3 %%\n", len(keys), len(ss))
	fmt.Fprintf(&b, "%-14s %6s %17s %17s %17s %17s %17s %17s\n", "category", "faces", "held-out", "preview held-out", "held-out, OR 0", "in-sample (fit)", "shipped", "previous consts")
	row := func(name string, f func(eyeScore) *[3]int) {
		c := f(held)
		cell := func(v *[3]int) string {
			if v == nil || v[0] == 0 {
				return "-"
			}
			return fmt.Sprintf("%5.1f%% | %5.1f%%", 100*frac(v[1], v[0]), 100*frac(v[2], v[0]))
		}
		fmt.Fprintf(&b, "%-14s %6d %17s %17s %17s %17s %17s %17s\n", name, c[0], cell(c), cell(f(preview)), cell(f(unrefined)), cell(f(in)), cell(f(shipped)), cell(f(before)))
	}
	for _, c := range eyeCats {
		row(c, func(s eyeScore) *[3]int { return s[c] })
	}
	row("ALL", func(s eyeScore) *[3]int { t := s.total(); return &t })
	pt := preview.total()
	fmt.Fprintf(&b, "preview: its search finds %d of the %d faces (roll12: %d)\n", pt[0], len(ss), preview["roll12"][0])
	fmt.Fprintf(&b, "OR 0: without the outer-corner refinement (OuterRefine fixed at 0, the rest refitted per fold)\n")
	fmt.Fprintf(&b, "held-out: %v\n", heldErrs)
	var spread [5][]float64
	for _, p := range fitted {
		for i, v := range []float64{p.Inward, p.Drop, p.PupilDrop, p.PupilWeight, p.OuterRefine} {
			spread[i] = append(spread[i], v)
		}
	}
	fmt.Fprintf(&b, "all-portrait fit (%d starts): Inward %.4f, Drop %.4f, PupilDrop %.4f, PupilWeight %.3f, OuterRefine %.1f; shipped %+v\n",
		cvPerturbs[k31], all.Inward, all.Drop, all.PupilDrop, all.PupilWeight, all.OuterRefine, shippedEyes)
	for i, n := range []string{"Inward", "Drop", "PupilDrop", "PupilWeight", "OuterRefine"} {
		sort.Float64s(spread[i])
		fmt.Fprintf(&b, "fold range %-12s %.4f-%.4f\n", n, spread[i][0], spread[i][len(spread[i])-1])
	}
	for k, n := range cvPerturbs {
		if k == k31 {
			continue
		}
		h, _, _, e := lopo(k, outerRefineGrid)
		tt := h.total()
		fmt.Fprintf(&b, "held-out with %d pupil starts instead of 31: ALL %.1f%% | %.1f%%; %v\n", n, 100*frac(tt[1], tt[0]), 100*frac(tt[2], tt[0]), e)
	}
	ms, meshHeld, meshAll := meshEyeReport(ss, keys, held)
	b.WriteString(ms)
	hs, holdIED, holdAgree := holdoutIED(t, dir)
	b.WriteString(hs)
	t.Log(b.String())

	// The shipped constants are the all-portrait fit (rounded to 0.001).
	for _, v := range [][2]float64{{shippedEyes.Inward, all.Inward}, {shippedEyes.Drop, all.Drop},
		{shippedEyes.PupilDrop, all.PupilDrop}, {shippedEyes.PupilWeight, all.PupilWeight},
		{shippedEyes.OuterRefine, all.OuterRefine}} {
		if math.Abs(v[0]-v[1]) > 0.0006 {
			t.Errorf("shipped eye constants %+v are not the all-portrait fit %+v", shippedEyes, all)
			break
		}
	}
	// Held-out floors at the levels reached (faces of 30 per category:
	// clean 30 and 27, ied100 29 and 27, roll12 29 and 27, underexposed
	// 29 and 27, jpeg_q10 29 and 26; all 146 and 134 of 150): issue 18's
	// targets (0.95 and 0.85 in every category) are met held-out. Every
	// fold picks OuterRefine 1. Caveat: the refinement's design (outer
	// corners only, along the eye line, its scales and radii) was chosen
	// among about twenty variants by these held-out figures; in a one-off
	// experiment (not kept) letting each fold choose among them too gave
	// 96.0 % and 82.7 %. The "OR 0" column is this cross-validation with
	// the refinement off. The holdout portraits below (no constant is
	// fitted on them, but they were seen: two were looked at to diagnose
	// misses, and the floors below were set at the levels reached) moved
	// from 22 to 25 of 35 within ±3 % with it. The remaining IED errors are mostly shared
	// by all versions of a portrait (TestCorpusIEDPerPortrait), i.e. a
	// disagreement with the reference on that face, which includes the
	// reference's own scatter of 1.4-1.7 px per eye (corpus SOURCES.md).
	floors := map[string][2]float64{
		"clean": {0.999, 0.899}, "ied100": {0.966, 0.899}, "roll12": {0.966, 0.899},
		"underexposed": {0.966, 0.899}, "jpeg_q10": {0.966, 0.866}, "ALL": {0.973, 0.893},
	}
	for _, c := range append(append([]string{}, eyeCats...), "ALL") {
		v := held[c]
		if c == "ALL" {
			tt := held.total()
			v = &tt
		}
		f := floors[c]
		if v == nil || frac(v[1], v[0]) < f[0] || frac(v[2], v[0]) < f[1] {
			t.Errorf("%s: held-out eyes < 0.05 IED / IED ±3 %% below the floors %.3f / %.3f", c, f[0], f[1])
		}
	}
	// Preview mode, on the 144 faces its search finds (not found: three
	// versions of voteview/004262, two roll12 faces and one jpeg_q10):
	// 140 (97.2 %) and 127 (88.2 %); the roll12 faces (28 found) 25 and
	// 23, as its detector runs upright, and rotated only when the upright
	// search finds nothing.
	if v := preview.total(); v[0] < 144 || v[1] < 140 || v[2] < 127 {
		t.Errorf("preview: %d faces found, held-out eyes < 0.05 IED on %d, IED ±3 %% on %d; floors 144, 140, 127", v[0], v[1], v[2])
	}
	// Assess's eye centres (issue 27): the face mesh's (one pass, crop 3.6
	// IED) blended with the chain's unless the chain's IED is more than
	// ChainShort short of the mesh's, then the mesh's alone
	// (shippedMeshEyes, the all-portrait fit of fitMeshGate; ChainShort is
	// chosen inside each fold, 0.05-0.06). Held-out 97.3 % | 92.7 % (RMS
	// IED error 1.78 %) against 96.7 | 91.3 (1.94 %) for the blend without
	// the gate and the chain's 97.3 | 89.3 (2.44 %); the holdout portraits
	// below 30/35 against 27/35. Choices made after seeing held-out
	// figures: the gate itself and its one-sidedness (the holdout misses
	// of 010544 and 001050 and the ied100 and underexposed variants of
	// 008857 are chains 8-13 % short where the mesh is within 4 %; chains
	// too long are not gated: on 004262 and 008495, where the chain is
	// 5-12 % longer than the mesh, the mesh is as wrong or worse) and the
	// tie rule of meshGateGrid (tightest first; with "no gate" first on
	// ties, 98.0 | 91.3, RMS 1.96 %). Earlier variants, compared on these
	// held-out figures too: the mesh alone 92.7 | 84.0, two passes
	// (MediaPipe's re-crop from its own points) 91.3 | 71.3 alone and
	// 95.3 | 87.3 blended, crops of 3.0 and 4.2 IED and their average
	// worse blended (83.3-90.7 % IED ±3 %), the Iris model's six-point
	// means 88.7 | 63.3 alone and 94.0 | 86.0 blended; least-squares
	// offsets (fitMeshEyesLS) 96.0 | 91.3 ungated and 96.7 | 93.3 (1.80 %)
	// gated. The holdout portraits have been seen: their figures were
	// printed while these variants were compared.
	for _, v := range [][2]float64{{shippedMeshEyes.Inward, meshAll.Inward}, {shippedMeshEyes.Drop, meshAll.Drop}, {shippedMeshEyes.ChainWeight, meshAll.ChainWeight},
		{shippedMeshEyes.AloneInward, meshAll.AloneInward}, {shippedMeshEyes.AloneDrop, meshAll.AloneDrop}, {shippedMeshEyes.ChainShort, meshAll.ChainShort}} {
		if math.Abs(v[0]-v[1]) > 0.0006 {
			t.Errorf("shipped mesh eye constants %+v are not the all-portrait fit %+v", shippedMeshEyes, meshAll)
			break
		}
	}
	meshFloors := map[string][2]float64{
		"clean": {0.999, 0.933}, "ied100": {0.966, 0.966}, "roll12": {0.966, 0.899},
		"underexposed": {0.966, 0.866}, "jpeg_q10": {0.966, 0.966}, "ALL": {0.973, 0.926},
	}
	sh := meshHeld[shippedMeshVariant.name]
	for _, c := range append(append([]string{}, eyeCats...), "ALL") {
		v := sh[c]
		if c == "ALL" {
			tt := sh.total()
			v = &tt
		}
		f := meshFloors[c]
		if v == nil || frac(v[1], v[0]) < f[0] || frac(v[2], v[0]) < f[1] {
			t.Errorf("%s: shipped mesh eyes held-out < 0.05 IED / IED ±3 %% below the floors %.3f / %.3f", c, f[0], f[1])
		}
	}
	// README's table holds the shipped variant's held-out figures and the
	// holdout count.
	st := sh.total()
	readme.Require(t, fmt.Sprintf("**mesh + chain, chain dropped where short (shipped)** | **%.1f %% \\| %.1f %%**", 100*frac(st[1], st[0]), 100*frac(st[2], st[0])))
	readme.Require(t, fmt.Sprintf("| **%d/%d** |", holdIED[0], holdIED[1]))
	// Holdout portraits: IED within ±3 % on 30 of 35 images; a variant's
	// eyes agree with the clean image's on 27 of 28 (24 before corners
	// that disagree with the pupils were used alone).
	if holdIED[0] < 30 || holdAgree[0] < 28 {
		t.Errorf("holdout portraits: IED within ±3 %% on %d of %d images, floor 30; variants agreeing with the clean image %d of %d, floor 28",
			holdIED[0], holdIED[1], holdAgree[0], holdAgree[1])
	}
}

// holdoutIED reports the shipped pipeline (Assess) on the holdout
// portraits (portraits/holdout: no constant is fitted on them, and
// eyes.csv has no reference for them; but they have been seen: two were
// looked at to diagnose misses, and the floors on them were set at the
// levels reached, so their figures are not held-out figures). Their true IED is recovered from the ied100
// variant: it was resized so that the reference IED is 100 px unless the
// original's was below 105 px (then by 0.85, which leaves the IED
// unknown), so the original's true IED is 100 / scale, shared by the
// roll12 (a rotation), underexposed and jpeg_q10 versions. The eye
// positions have no reference, so for the variants it reports instead
// whether both eyes agree within 0.05 IED with the clean image's, mapped
// through the variant's transform (a consistency figure, not accuracy;
// the mapping reproduces the annotated variants' reference within 0.02 px).
// iedOK and agreeing are the counts (passing, all) of both figures.
func holdoutIED(t *testing.T, dir string) (report string, iedOK, agreeing [2]int) {
	hd := filepath.Join(dir, "portraits", "holdout")
	ents, err := os.ReadDir(hd)
	if err != nil {
		t.Fatalf("no portraits/holdout folder: %v", err)
	}
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sc := map[string]*[3]int{} // images, IED ±3 %, eyes agree with the clean image's
	unknown := 0
	size := func(f string) (float64, float64) {
		fh, err := os.Open(filepath.Join(hd, f))
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		c, _, err := image.DecodeConfig(fh)
		if err != nil {
			t.Fatal(err)
		}
		return float64(c.Width), float64(c.Height)
	}
	eyes := func(f string) (quality.Point, quality.Point, bool) {
		img, err := loadFile(filepath.Join(hd, f))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := a.Assess(img, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Faces) == 0 {
			return quality.Point{}, quality.Point{}, false
		}
		return rep.Faces[0].RightEye, rep.Faces[0].LeftEye, true
	}
	for _, f := range names {
		if strings.HasPrefix(f, "variants__") {
			continue
		}
		base := strings.TrimSuffix(f, filepath.Ext(f))
		var v100 string
		for _, g := range names {
			if strings.HasPrefix(g, "variants__ied100__"+base+".") {
				v100 = g
			}
		}
		if v100 == "" {
			continue
		}
		w0, h0 := size(f)
		w100, _ := size(v100)
		scale := w100 / w0
		if math.Abs(scale-0.85) < 0.004 {
			unknown++
			continue
		}
		ied := 100 / scale
		cr, cl, cok := eyes(f)
		for _, g := range names {
			cat, trueIED := "", ied
			switch {
			case g == f:
				cat = "clean"
			case strings.HasPrefix(g, "variants__") && strings.Contains(g, "__"+base+"."):
				cat = strings.Split(g, "__")[1]
				if cat == "ied100" {
					trueIED = 100
				}
			default:
				continue
			}
			// the clean image's eyes mapped through the variant's transform
			w1, h1 := size(g)
			mapped := func(p quality.Point) quality.Point {
				switch cat {
				case "ied100":
					return quality.Point{X: p.X * w1 / w0, Y: p.Y * h1 / h0}
				case "roll12": // 12° counter-clockwise about the centre, canvas expanded
					c, s := math.Cos(12*math.Pi/180), math.Sin(12*math.Pi/180)
					dx, dy := p.X-w0/2, p.Y-h0/2
					return quality.Point{X: w1/2 + c*dx + s*dy, Y: h1/2 - s*dx + c*dy}
				}
				return p
			}
			re, le, ok := cr, cl, cok // the clean image, assessed above
			if g != f {
				re, le, ok = eyes(g)
			}
			c := sc[cat]
			if c == nil {
				c = new([3]int)
				sc[cat] = c
			}
			c[0]++
			if ok && math.Abs(dist(re, le)/trueIED-1) <= 0.03 {
				c[1]++
			}
			if ok && cok && math.Max(dist(re, mapped(cr)), dist(le, mapped(cl))) < 0.05*trueIED {
				c[2]++
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "holdout portraits (no eye reference; true IED from the ied100 scale, %d portrait(s) with unknown IED skipped):\n", unknown)
	fmt.Fprintf(&b, "  IED within ±3 %%:")
	var tot [3]int
	for _, c := range eyeCats {
		if v := sc[c]; v != nil {
			fmt.Fprintf(&b, " %s %d/%d", c, v[1], v[0])
			for i := range tot {
				tot[i] += v[i]
			}
		}
	}
	fmt.Fprintf(&b, "; all %d/%d\n  both eyes within 0.05 IED of the clean image's (mapped through the variant's transform):", tot[1], tot[0])
	agree, variants := 0, 0
	for _, c := range eyeCats[1:] {
		if v := sc[c]; v != nil {
			fmt.Fprintf(&b, " %s %d/%d", c, v[2], v[0])
			agree += v[2]
			variants += v[0]
		}
	}
	fmt.Fprintf(&b, "; all %d/%d\n", agree, variants)
	return b.String(), [2]int{tot[1], tot[0]}, [2]int{agree, variants}
}
