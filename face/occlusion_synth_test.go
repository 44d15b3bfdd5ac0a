package face

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/readme"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

// occSweep is one occluder's sweep: the shares drawn and the components
// that should fire (falling as the share grows).
type occSweep struct {
	kind   synth.Occluder
	shares []float64
	flags  []string
}

var occSweeps = []occSweep{
	{synth.Sunglasses, []float64{0.25, 0.5, 0.75, 1}, []string{quality.EyesVisible, quality.FaceOcclusionPrevention}},
	{synth.ClearGlasses, []float64{0.05, 0.1, 0.2}, nil},
	{synth.Mask, []float64{0.25, 0.5, 0.75, 1}, []string{quality.MouthOcclusionPrevention, quality.FaceOcclusionPrevention}},
	{synth.Hand, []float64{0.1, 0.2, 0.3, 0.4}, []string{quality.FaceOcclusionPrevention}},
	{synth.Cap, []float64{0.25, 0.5, 0.75, 1}, []string{quality.NoHeadCoverings}},
}

// sweepResult is one assessed occluded portrait.
type sweepResult struct {
	share           float64 // drawn (exact)
	found, assessed bool
	comp            map[string]float64
}

// TestCorpusOcclusionSweep draws synth's occluders (exact masks, seeded by
// the portrait's index) onto clean annotated portraits at controlled
// occluded shares of each occluder's target zone, assesses each image in
// full and prints, per occluder and share, the faces found and assessed,
// and per component the median 0-100 value and how many faces it fires on
// under the ees-usk floors. Asserted: at share 0 (the clean portraits) no
// component fires on more than one face; each occluder's components
// (sweep flags) fall with the share (medians non-increasing within 2
// points) and fire on at least the share of faces of occSweepFloors above
// the shares named there; clear glasses up to share 0.1 fire
// EyesVisible on at most one face. Under the race detector (ten times
// slower) it runs on one portrait, clean and with full sunglasses, without
// the firing rates. README's table of the sweep is held to what it
// measures, row by row (not under the race detector).
func TestCorpusOcclusionSweep(t *testing.T) {
	t.Parallel() // a long corpus test: its single-threaded stretches overlap another's
	dir := corpus.Dir(t, "face")
	prof, err := thresholds.Embedded("ees-usk")
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	var rows []truthRow
	for _, r := range readTruth(t, dir) {
		if (r.Category == "portrait" || r.Category == "portrait_marginal") && r.HasGT {
			rows = append(rows, r)
		}
	}
	const nFaces = 12
	sweeps := occSweeps
	var pick []truthRow
	if raceEnabled {
		pick = rows[:1]
		sweeps = []occSweep{{occSweeps[0].kind, occSweeps[0].shares[len(occSweeps[0].shares)-1:], occSweeps[0].flags}}
	} else {
		for i := 0; i < nFaces && i < len(rows); i++ {
			pick = append(pick, rows[i*len(rows)/nFaces])
		}
	}
	type job struct {
		face  int
		kind  synth.Occluder
		share float64
	}
	var jobs []job
	for i := range pick {
		jobs = append(jobs, job{i, "", 0})
		for _, s := range sweeps {
			for _, sh := range s.shares {
				jobs = append(jobs, job{i, s.kind, sh})
			}
		}
	}
	type key struct {
		kind  synth.Occluder
		share float64
	}
	res := map[key][]sweepResult{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan job)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				r := pick[j.face]
				img, err := loadFile(filepath.Join(dir, r.File))
				if err != nil {
					t.Error(err)
					continue
				}
				sr := sweepResult{comp: map[string]float64{}}
				if j.kind != "" {
					o, err := synth.Occlude(img, synth.Eyes{Right: r.L, Left: r.R}, synth.Occlusion{Kind: j.kind, Share: j.share, Seed: uint64(j.face + 1)})
					if err != nil {
						t.Errorf("%s %s %.2f: %v", r.File, j.kind, j.share, err)
						continue
					}
					img, sr.share = o.Image, o.Share
				}
				rep, err := a.Assess(img, nil)
				if err != nil {
					t.Errorf("%s: %v", r.File, err)
					continue
				}
				sr.found = len(rep.Faces) > 0
				for _, m := range occMeasures {
					if v, ok := rep.Measures.Get(m.measure); ok {
						sr.assessed = true
						sr.comp[m.measure] = v.Component
					}
				}
				mu.Lock()
				res[key{j.kind, j.share}] = append(res[key{j.kind, j.share}], sr)
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()

	// stats returns, per component, the median over the assessed faces
	// and how many it fires on; and the faces found and assessed.
	type stat struct {
		median float64
		fired  int
	}
	stats := func(rs []sweepResult) (map[string]stat, int, int, float64) {
		out := map[string]stat{}
		found, assessed := 0, 0
		var share float64
		for _, r := range rs {
			share += r.share
			if r.found {
				found++
			}
			if r.assessed {
				assessed++
			}
		}
		for _, m := range occMeasures {
			var vs []float64
			fired := 0
			for _, r := range rs {
				if v, ok := r.comp[m.measure]; ok {
					vs = append(vs, v)
					if v < prof.Face.MinComponents[m.measure] {
						fired++
					}
				}
			}
			sort.Float64s(vs)
			st := stat{fired: fired}
			if len(vs) > 0 {
				st.median = (vs[(len(vs)-1)/2] + vs[len(vs)/2]) / 2
			}
			out[m.measure] = st
		}
		return out, found, assessed, share / float64(max(len(rs), 1))
	}
	var b strings.Builder
	short := map[string]string{quality.EyesVisible: "Eyes", quality.MouthOcclusionPrevention: "Mouth", quality.FaceOcclusionPrevention: "Face", quality.NoHeadCoverings: "Head"}
	fmt.Fprintf(&b, "\nsynthetic occluders (synth.Occlude) on %d clean portraits, ees-usk floors; per component: median component | fired/assessed\n", len(pick))
	fmt.Fprintf(&b, "%-14s %5s %6s %9s", "occluder", "share", "drawn", "found|ass")
	for _, m := range occMeasures {
		fmt.Fprintf(&b, " %14s", short[m.measure])
	}
	b.WriteString("\n")
	var rowsMD strings.Builder // README's table, one row per occluder and share
	line := func(name string, k key) map[string]stat {
		st, found, assessed, drawn := stats(res[k])
		fmt.Fprintf(&b, "%-14s %5.2f %6.3f %4d|%-4d", name, k.share, drawn, found, assessed)
		row := fmt.Sprintf("| %s %.2f | %d \\| %d |", name, k.share, found, assessed)
		for _, m := range occMeasures {
			fmt.Fprintf(&b, " %6.1f | %2d/%-2d", st[m.measure].median, st[m.measure].fired, assessed)
			row += fmt.Sprintf(" %.1f \\| %d |", st[m.measure].median, st[m.measure].fired)
		}
		b.WriteString("\n")
		rowsMD.WriteString(row + "\n")
		if !raceEnabled {
			readme.Require(t, row)
		}
		return st
	}
	clean := line("none", key{"", 0})
	for _, m := range occMeasures {
		if f := clean[m.measure].fired; f > 1 {
			t.Errorf("clean portraits: %s fires on %d faces, want at most 1", m.measure, f)
		}
	}
	for _, s := range sweeps {
		prev := clean
		for _, sh := range s.shares {
			st := line(string(s.kind), key{s.kind, sh})
			_, _, assessed, _ := stats(res[key{s.kind, sh}])
			for _, f := range s.flags {
				if st[f].median > prev[f].median+2 {
					t.Errorf("%s: %s median %.1f at share %.2f, above %.1f at the share before", s.kind, f, st[f].median, sh, prev[f].median)
				}
				if min, ok := occSweepFloors[sweepFloorKey{s.kind, f}]; ok && !raceEnabled && sh >= min.share && float64(st[f].fired) < min.rate*float64(assessed) {
					t.Errorf("%s at share %.2f: %s fires on %d of %d faces assessed, want at least %.0f %%", s.kind, sh, f, st[f].fired, assessed, 100*min.rate)
				}
			}
			if s.kind == synth.ClearGlasses && sh <= 0.1 && st[quality.EyesVisible].fired > 1 {
				t.Errorf("clear glasses at share %.2f: EyesVisible fires on %d faces, want at most 1", sh, st[quality.EyesVisible].fired)
			}
			prev = st
		}
	}
	t.Log(b.String())
	t.Log("\nREADME rows:\n" + rowsMD.String())
}

type sweepFloorKey struct {
	kind    synth.Occluder
	measure string
}

// occSweepFloors: from which share on, at least which share of the
// assessed faces each occluder's component must fire on.
// The rates are the levels reached (12 portraits, 2026-12-07): sunglasses
// and masks fire on every face at full cover, hands (reaching the mouth)
// on 6 of 8 assessed at share 0.4, caps pulled down to the brows on 7 of
// 12 (caps sitting higher are missed). Not asserted under the race
// detector (one portrait).
var occSweepFloors = map[sweepFloorKey]struct{ share, rate float64 }{
	{synth.Sunglasses, quality.EyesVisible}:             {0.75, 0.9},
	{synth.Sunglasses, quality.FaceOcclusionPrevention}: {0.75, 0.9},
	{synth.Mask, quality.MouthOcclusionPrevention}:      {1, 0.9},
	{synth.Mask, quality.FaceOcclusionPrevention}:       {1, 0.9},
	{synth.Hand, quality.FaceOcclusionPrevention}:       {0.4, 0.7},
	{synth.Cap, quality.NoHeadCoverings}:                {1, 0.5},
}
