package report

import (
	"math"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
)

// Tally is the summary of a run too large to hold in memory (an archive
// assessed on a cluster): the counts per outcome and per reason code and
// the counts behind the score histograms, without the samples. Tallies of
// parts of a run merge, in any order, into the tally of the whole run.
// A Batch holding a Tally and no samples gives the HTML report of the run
// (counts and histograms, no per-sample table).
type Tally struct {
	// Summary counts the samples per outcome and per reason code.
	Summary Summary `json:"summary"`
	// ReasonOutcomes holds, per reason code, the gravest outcome it called for.
	ReasonOutcomes map[string]quality.Outcome `json:"reason_outcomes"`
	// Fingers counts the fingerprint samples; FingerScores[v] those whose
	// NFIQ 2 score v is in [v, v+1), 0-100 (lower and higher values are
	// counted at the ends).
	Fingers      int   `json:"fingers"`
	FingerScores []int `json:"finger_scores"`
	// Faces counts the face samples; FaceIED[p] those whose inter-eye
	// distance is in [p, p+1) pixels, and MaxIED is the largest distance.
	Faces   int     `json:"faces"`
	FaceIED []int   `json:"face_ied_px"`
	MaxIED  float64 `json:"max_ied_px"`
}

// maxTallyIED bounds FaceIED: larger inter-eye distances are counted in its
// last bin.
const maxTallyIED = 1 << 14

// Add counts one sample report.
func (t *Tally) Add(r gate.Report) {
	t.Summary.Add(r.Decision)
	if t.ReasonOutcomes == nil {
		t.ReasonOutcomes = map[string]quality.Outcome{}
	}
	for _, rs := range r.Decision.Reasons {
		if o, ok := t.ReasonOutcomes[rs.Code]; !ok || rs.Outcome > o {
			t.ReasonOutcomes[rs.Code] = rs.Outcome
		}
	}
	switch r.Modality {
	case quality.Finger:
		t.Fingers++
		if v, ok := scoreOf(r); ok && !math.IsNaN(v) {
			if t.FingerScores == nil {
				t.FingerScores = make([]int, 101)
			}
			t.FingerScores[min(max(int(math.Floor(v)), 0), 100)]++
		}
	case quality.Face:
		t.Faces++
		if v, ok := r.Measures.Value(quality.InterEyeDistance); ok && !math.IsNaN(v) {
			p := min(max(int(math.Floor(v)), 0), maxTallyIED)
			if p >= len(t.FaceIED) {
				t.FaceIED = append(t.FaceIED, make([]int, p+1-len(t.FaceIED))...)
			}
			t.FaceIED[p]++
			t.MaxIED = math.Max(t.MaxIED, v)
		}
	}
}

// Merge adds the counts of o to t.
func (t *Tally) Merge(o Tally) {
	s := &t.Summary
	s.Total += o.Summary.Total
	s.Accept += o.Summary.Accept
	s.Recapture += o.Summary.Recapture
	s.WarnOperator += o.Summary.WarnOperator
	s.Reject += o.Summary.Reject
	for code, n := range o.Summary.Reasons {
		if s.Reasons == nil {
			s.Reasons = map[string]int{}
		}
		s.Reasons[code] += n
	}
	for code, out := range o.ReasonOutcomes {
		if t.ReasonOutcomes == nil {
			t.ReasonOutcomes = map[string]quality.Outcome{}
		}
		if cur, ok := t.ReasonOutcomes[code]; !ok || out > cur {
			t.ReasonOutcomes[code] = out
		}
	}
	t.Fingers += o.Fingers
	t.FingerScores = addCounts(t.FingerScores, o.FingerScores)
	t.Faces += o.Faces
	t.FaceIED = addCounts(t.FaceIED, o.FaceIED)
	t.MaxIED = math.Max(t.MaxIED, o.MaxIED)
}

// addCounts adds b to a bin by bin, growing a as needed.
func addCounts(a, b []int) []int {
	if len(b) > len(a) {
		a = append(a, make([]int, len(b)-len(a))...)
	}
	for i, n := range b {
		a[i] += n
	}
	return a
}

// Histograms returns the histograms Histograms gives for the samples
// counted, with th's thresholds: the same bins and counts, except that
// inter-eye distances are binned by their whole pixels, so a bin width
// below one pixel or not a whole number of pixels (a face threshold under
// 12 px with faces as small) bins them to the pixel below.
func (t Tally) Histograms(th Thresholds) []Histogram {
	var out []Histogram
	if t.Fingers > 0 {
		h := Histogram{Min: 0, Width: 5, Counts: make([]int, 20)}
		for v, n := range t.FingerScores {
			h.Counts[min(v/5, 19)] += n
			h.N += n
		}
		h.Title = "Fingerprints: NFIQ 2 score"
		h.XLabel = "NFIQ 2 score (0-100)"
		h.Threshold = th.RecaptureBelow
		h.ThresholdLabel = "recapture below " + num(th.RecaptureBelow)
		h.Missing = t.Fingers - h.N
		out = append(out, h)
	}
	if t.Faces > 0 {
		hi := math.Max(math.Max(th.MinInterEyePx*2, 1), t.MaxIED)
		w := niceWidth(hi, 24)
		bins := int(math.Floor(hi/w)) + 1
		h := Histogram{Min: 0, Width: w, Counts: make([]int, bins)}
		for p, n := range t.FaceIED {
			h.Counts[min(int(math.Floor(float64(p)/w)), bins-1)] += n
			h.N += n
		}
		h.Title = "Faces: inter-eye distance"
		h.XLabel = "inter-eye distance (px)"
		h.Threshold = th.MinInterEyePx
		h.ThresholdLabel = "at least " + num(th.MinInterEyePx) + " px"
		h.Missing = t.Faces - h.N
		out = append(out, h)
	}
	return out
}
