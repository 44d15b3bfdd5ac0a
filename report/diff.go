package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// ScoreMeasure is the name under which Diff compares the unified quality
// score (NFIQ 2 for fingerprints) of two reports.
const ScoreMeasure = "score"

// DefaultTolerance is the tolerance the biogate diff command uses when none
// is given: a score or measure must move by more than 2 (NFIQ 2 points, or
// pixels of inter-eye distance) to be listed.
const DefaultTolerance = 2

// DiffOptions configure Diff. The zero value compares the quality score and
// the inter-eye distance with a tolerance of 0 (any change is listed).
type DiffOptions struct {
	// Tolerance is how far a compared value may move, either way, before
	// the move is listed: a move is listed when |after-before| > Tolerance.
	// Negative values count as 0.
	Tolerance float64
	// Measures names further measures to compare, besides the quality score
	// and the inter-eye distance (which are always compared, by their native
	// values). Their 0-100 component is compared where both reports have
	// one, the native value otherwise.
	Measures []string
	// MeasureTolerance overrides Tolerance for individual measures, by
	// name (ScoreMeasure for the quality score).
	MeasureTolerance map[string]float64
}

// ChangeKind says how a sample differs between two batches.
type ChangeKind string

// Kinds of change, from the most to the least severe.
const (
	// Flipped: the sample's outcome changed.
	Flipped ChangeKind = "flipped"
	// Removed: the sample is in the baseline only.
	Removed ChangeKind = "removed"
	// Added: the sample is in the current batch only.
	Added ChangeKind = "added"
	// Moved: same outcome, but a compared value moved by more than the
	// tolerance (or appeared, or disappeared).
	Moved ChangeKind = "moved"
	// ReasonsChanged: same outcome, but the set of reason codes differs.
	ReasonsChanged ChangeKind = "reasons"
)

// Move is one compared value that changed between two reports.
type Move struct {
	// Measure is ScoreMeasure or a measure name.
	Measure string `json:"measure"`
	// Component is true when the 0-100 components were compared.
	Component bool `json:"component,omitempty"`
	// Before and After are the values; nil when the report lacks it.
	Before *float64 `json:"before"`
	After  *float64 `json:"after"`
	// Delta is After-Before, 0 when either is missing.
	Delta float64 `json:"delta"`
}

// Change is how one sample differs between the baseline and the current
// batch.
type Change struct {
	// Path names the sample, as in both batches.
	Path string `json:"path"`
	// Kind is the most severe kind of change.
	Kind ChangeKind `json:"kind"`
	// Before and After are the outcomes; "" where the sample is absent.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Moves lists the compared values that moved by more than the
	// tolerance, in comparison order.
	Moves []Move `json:"moves,omitempty"`
	// ReasonsAdded and ReasonsRemoved are the reason codes gained and lost.
	ReasonsAdded   []string `json:"reasons_added,omitempty"`
	ReasonsRemoved []string `json:"reasons_removed,omitempty"`
	// Failed describes, for each reason gained, the check that now fails:
	// "QualityScore 15, needs >= 20".
	Failed []string `json:"failed,omitempty"`
}

// DiffResult is the comparison of two batches.
type DiffResult struct {
	// Baseline and Current identify the profiles of the two batches.
	Baseline thresholds.Ref `json:"baseline_profile"`
	Current  thresholds.Ref `json:"current_profile"`
	// Tolerance is the tolerance applied.
	Tolerance float64 `json:"tolerance"`
	// Compared counts the samples present in both batches.
	Compared int `json:"compared"`
	// Flipped, Moved, ReasonsChanged, Added and Removed count the changes
	// of each kind.
	Flipped        int `json:"flipped"`
	Moved          int `json:"moved"`
	ReasonsChanged int `json:"reasons_changed"`
	Added          int `json:"added"`
	Removed        int `json:"removed"`
	// Changes lists every changed sample: those of the current batch in its
	// order, then the removed ones in baseline order.
	Changes []Change `json:"changes"`
}

// ExitCode is the diff command's exit code: 1 when some decision flipped,
// else 0.
func (d DiffResult) ExitCode() int {
	if d.Flipped > 0 {
		return 1
	}
	return 0
}

// Unchanged reports whether nothing at all differs.
func (d DiffResult) Unchanged() bool { return len(d.Changes) == 0 }

// sampleKey tells apart repeated paths by their occurrence.
type sampleKey struct {
	path string
	n    int
}

func keyed(samples []gate.Report) ([]sampleKey, map[sampleKey]int) {
	keys := make([]sampleKey, len(samples))
	idx := make(map[sampleKey]int, len(samples))
	seen := map[string]int{}
	for i, s := range samples {
		k := sampleKey{s.Path, seen[s.Path]}
		seen[s.Path]++
		keys[i] = k
		idx[k] = i
	}
	return keys, idx
}

// Diff compares the current batch with a baseline, matching samples by path
// (the k-th occurrence of a path with the k-th). It lists which samples
// changed outcome, which moved a compared value by more than the tolerance,
// which gained or lost reason codes, and which were added or removed.
func Diff(base, cur Batch, opts DiffOptions) DiffResult {
	tol := math.Max(0, opts.Tolerance)
	if math.IsNaN(tol) {
		tol = 0
	}
	res := DiffResult{Baseline: base.Profile, Current: cur.Profile, Tolerance: tol, Changes: []Change{}}
	builtin := []string{ScoreMeasure, quality.InterEyeDistance}
	measures := slices.Clone(builtin)
	for _, m := range opts.Measures {
		if m != "" && !slices.Contains(measures, m) {
			measures = append(measures, m)
		}
	}
	tolFor := func(m string) float64 {
		if t, ok := opts.MeasureTolerance[m]; ok && t >= 0 {
			return t
		}
		return tol
	}

	baseKeys, baseIdx := keyed(base.Samples)
	curKeys, curIdx := keyed(cur.Samples)
	for i, k := range curKeys {
		c := cur.Samples[i]
		j, ok := baseIdx[k]
		if !ok {
			res.Changes = append(res.Changes, Change{Path: c.Path, Kind: Added, After: c.Decision.Outcome.String()})
			res.Added++
			continue
		}
		res.Compared++
		b := base.Samples[j]
		ch := Change{Path: c.Path, Before: b.Decision.Outcome.String(), After: c.Decision.Outcome.String()}
		for _, m := range measures {
			if mv, moved := compare(m, b, c, tolFor(m), !slices.Contains(builtin, m)); moved {
				ch.Moves = append(ch.Moves, mv)
			}
		}
		ch.ReasonsAdded, ch.ReasonsRemoved = codeDiff(b.Decision, c.Decision)
		for _, code := range ch.ReasonsAdded {
			if f := failedCheck(c.Decision, code); f != "" {
				ch.Failed = append(ch.Failed, f)
			}
		}
		switch {
		case b.Decision.Outcome != c.Decision.Outcome:
			ch.Kind = Flipped
			res.Flipped++
		case len(ch.Moves) > 0:
			ch.Kind = Moved
			res.Moved++
		case len(ch.ReasonsAdded) > 0 || len(ch.ReasonsRemoved) > 0:
			ch.Kind = ReasonsChanged
			res.ReasonsChanged++
		default:
			continue
		}
		res.Changes = append(res.Changes, ch)
	}
	for j, k := range baseKeys {
		if _, ok := curIdx[k]; !ok {
			b := base.Samples[j]
			res.Changes = append(res.Changes, Change{Path: b.Path, Kind: Removed, Before: b.Decision.Outcome.String()})
			res.Removed++
		}
	}
	return res
}

// value returns the compared value of measure m in r: the quality score for
// ScoreMeasure, else the measure's component when useComponent, else its
// native value.
func value(r gate.Report, m string, useComponent bool) (float64, bool) {
	if m == ScoreMeasure {
		if r.Score != nil {
			return float64(r.Score.Value), true
		}
		if v, ok := r.Measures.Value(quality.QualityScore); ok && r.Modality == quality.Finger {
			return v, true
		}
		return 0, false
	}
	ms, ok := r.Measures.Get(m)
	if !ok {
		return 0, false
	}
	if useComponent {
		return ms.Component, ms.HasComponent
	}
	return ms.Value, true
}

func compare(m string, b, c gate.Report, tol float64, components bool) (Move, bool) {
	useComponent := false
	if components {
		bm, bok := b.Measures.Get(m)
		cm, cok := c.Measures.Get(m)
		useComponent = bok && cok && bm.HasComponent && cm.HasComponent
	}
	bv, bok := value(b, m, useComponent)
	cv, cok := value(c, m, useComponent)
	mv := Move{Measure: m, Component: useComponent}
	if bok && finite(bv) {
		mv.Before = &bv
	}
	if cok && finite(cv) {
		mv.After = &cv
	}
	switch {
	case mv.Before == nil && mv.After == nil:
		return mv, false
	case mv.Before == nil || mv.After == nil:
		return mv, true
	}
	mv.Delta = cv - bv
	return mv, math.Abs(mv.Delta) > tol
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func codes(d quality.Decision) []string {
	var out []string
	for _, r := range d.Reasons {
		if !slices.Contains(out, r.Code) {
			out = append(out, r.Code)
		}
	}
	return out
}

// failedCheck describes the first reason of d with the given code as
// "Measure value, needs CMP threshold", "" when it has no measured value.
func failedCheck(d quality.Decision, code string) string {
	for _, r := range d.Reasons {
		if r.Code != code {
			continue
		}
		req := r.Requirement()
		if r.Measure == "" || req == "" {
			return ""
		}
		name, unit := r.Measure, ""
		if r.Component {
			name += " component"
		}
		if r.Unit != "" {
			unit = " " + r.Unit
		}
		return fmt.Sprintf("%s %s%s, needs %s", name, num(r.Value), unit, req)
	}
	return ""
}

func codeDiff(b, c quality.Decision) (added, removed []string) {
	bc, cc := codes(b), codes(c)
	for _, x := range cc {
		if !slices.Contains(bc, x) {
			added = append(added, x)
		}
	}
	for _, x := range bc {
		if !slices.Contains(cc, x) {
			removed = append(removed, x)
		}
	}
	return added, removed
}

// WriteDiffJSON writes d as an indented JSON document.
func WriteDiffJSON(w io.Writer, d DiffResult) error {
	if d.Changes == nil {
		d.Changes = []Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// WriteDiffTable writes d as a table for people: one line per changed
// sample, then a summary line.
func WriteDiffTable(w io.Writer, d DiffResult) error {
	if _, err := fmt.Fprintf(w, "baseline: %s\ncurrent:  %s\n", refText(d.Baseline), refText(d.Current)); err != nil {
		return err
	}
	if len(d.Changes) > 0 {
		var buf bytes.Buffer
		tw := tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CHANGE\tPATH\tBEFORE\tAFTER\tDETAIL")
		for _, c := range d.Changes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Kind, c.Path, dash(c.Before), dash(c.After), changeDetail(c))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if _, err := w.Write(trimLines(buf.Bytes())); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d compared: %d flipped, %d moved, %d reasons changed, %d added, %d removed (tolerance %s)\n",
		d.Compared, d.Flipped, d.Moved, d.ReasonsChanged, d.Added, d.Removed, num(d.Tolerance))
	return err
}

func refText(r thresholds.Ref) string {
	s := r.Name + " " + r.Version
	if len(r.Overrides) > 0 {
		s += " (overrides: " + strings.Join(r.Overrides, ", ") + ")"
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func optNum(v *float64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}

func changeDetail(c Change) string {
	var parts []string
	for _, m := range c.Moves {
		name := m.Measure
		if m.Component {
			name += " (component)"
		}
		s := fmt.Sprintf("%s %s -> %s", name, optNum(m.Before), optNum(m.After))
		if m.Before != nil && m.After != nil {
			s += fmt.Sprintf(" (%+.1f)", m.Delta)
		}
		parts = append(parts, s)
	}
	for _, r := range c.ReasonsAdded {
		parts = append(parts, "+"+r)
	}
	if len(c.Failed) > 0 {
		parts[len(parts)-1] += " (" + strings.Join(c.Failed, "; ") + ")"
	}
	for _, r := range c.ReasonsRemoved {
		parts = append(parts, "-"+r)
	}
	return strings.Join(parts, "; ")
}

// trimLines removes the spaces tabwriter leaves at the end of lines.
func trimLines(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " ")
	}
	return bytes.Join(lines, []byte("\n"))
}
