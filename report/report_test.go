package report

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"image/jpeg"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
	synth "github.com/biogate/biogate/report/reporttest"
	"github.com/biogate/biogate/thresholds"
)

func TestReadBatchRoundTrip(t *testing.T) {
	b := goldenBatch(t)
	for _, f := range []Format{JSON, JSONL} {
		t.Run(string(f), func(t *testing.T) {
			got, err := ReadBatch(bytes.NewReader(render(t, f, b)))
			if err != nil {
				t.Fatal(err)
			}
			// Compare as JSON: an empty measure list reads back as nil.
			gj, _ := json.Marshal(got.Samples)
			wj, _ := json.Marshal(b.Samples)
			if len(got.Samples) != len(b.Samples) || !bytes.Equal(gj, wj) {
				t.Errorf("samples differ after the round trip")
			}
			if !reflect.DeepEqual(got.Summary, b.Summary) {
				t.Errorf("summary = %+v, want %+v", got.Summary, b.Summary)
			}
			if got.Profile.Name != b.Profile.Name || got.Profile.Version != b.Profile.Version {
				t.Errorf("profile = %+v, want %+v", got.Profile, b.Profile)
			}
			if f == JSON {
				if !reflect.DeepEqual(got.Thresholds, b.Thresholds) {
					t.Errorf("thresholds differ after the round trip")
				}
				if !got.Started.Equal(b.Started) || got.Tool != b.Tool || got.Version != b.Version {
					t.Errorf("header = %q %q %v, want %q %q %v", got.Tool, got.Version, got.Started, b.Tool, b.Version, b.Started)
				}
			}
		})
	}
}

func TestReadBatchErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":        "",
		"spaces":       " \n ",
		"garbage":      "not json",
		"array":        "[1,2]",
		"no decision":  `{"path": "a.png"}`,
		"bad outcome":  `{"path": "a.png", "decision": {"outcome": "maybe"}}`,
		"bad samples":  `{"samples": 3}`,
		"truncated":    `{"samples": [`,
		"second wrong": `{"path": "a.png", "decision": {"outcome": "accept"}}` + "\n" + `{"x": 1}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadBatch(strings.NewReader(in))
			if !errors.Is(err, ErrNotBatch) {
				t.Fatalf("err = %v, want ErrNotBatch", err)
			}
		})
	}
}

func TestReadBatchRecountsSummary(t *testing.T) {
	in := `{"profile": {"name": "x", "version": "1"}, "summary": {"total": 99}, "samples": [
		{"path": "a", "modality": "finger", "decision": {"outcome": "recapture", "reasons": [{"code": "c", "outcome": "recapture", "value": 1, "threshold": 2, "instruction": "i"}]}}]}`
	b, err := ReadBatch(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if b.Summary.Total != 1 || b.Summary.Recapture != 1 || b.Summary.Reasons["c"] != 1 {
		t.Errorf("summary = %+v, want 1 sample, 1 recapture, reason c", b.Summary)
	}
}

// batchOf is a batch of the given reports under the ees-usk profile.
func batchOf(samples ...gate.Report) Batch {
	p := thresholds.MustEmbedded("ees-usk")
	return Batch{Profile: p.Ref(), Samples: samples, Summary: Summarize(samples)}
}

func TestDiff(t *testing.T) {
	p := thresholds.MustEmbedded("ees-usk")
	strict := thresholds.MustEmbedded("ees-usk")
	strict.Face.MinInterEyePx = 140
	fg := func(path string, s int) gate.Report { return synth.Finger(p, path, s) }
	fc := func(path string, ied, sharp float64) gate.Report { return synth.Face(p, path, ied, 0, sharp) }
	type counts struct{ flipped, moved, reasons, added, removed, compared int }
	tests := []struct {
		name      string
		base, cur []gate.Report
		opts      DiffOptions
		want      counts
		kinds     []ChangeKind
		exit      int
	}{
		{name: "identical", base: []gate.Report{fg("a", 40), fc("b", 150, 60)}, cur: []gate.Report{fg("a", 40), fc("b", 150, 60)},
			opts: DiffOptions{Tolerance: 2}, want: counts{compared: 2}},
		{name: "score 15 to 14 flips", base: []gate.Report{fg("a", 15)}, cur: []gate.Report{fg("a", 14)},
			opts: DiffOptions{Tolerance: 2}, want: counts{flipped: 1, compared: 1}, kinds: []ChangeKind{Flipped}, exit: 1},
		{name: "move within tolerance", base: []gate.Report{fg("a", 40)}, cur: []gate.Report{fg("a", 42)},
			opts: DiffOptions{Tolerance: 2}, want: counts{compared: 1}},
		{name: "move beyond tolerance", base: []gate.Report{fg("a", 40)}, cur: []gate.Report{fg("a", 43)},
			opts: DiffOptions{Tolerance: 2}, want: counts{moved: 1, compared: 1}, kinds: []ChangeKind{Moved}},
		{name: "zero tolerance lists any move", base: []gate.Report{fg("a", 40)}, cur: []gate.Report{fg("a", 41)},
			want: counts{moved: 1, compared: 1}, kinds: []ChangeKind{Moved}},
		{name: "negative tolerance counts as zero", base: []gate.Report{fg("a", 40)}, cur: []gate.Report{fg("a", 40)},
			opts: DiffOptions{Tolerance: -5}, want: counts{compared: 1}},
		{name: "IED 120 to 119.6 flips", base: []gate.Report{fc("a", 120, 60)}, cur: []gate.Report{fc("a", 119.6, 60)},
			opts: DiffOptions{Tolerance: 2}, want: counts{flipped: 1, compared: 1}, kinds: []ChangeKind{Flipped}, exit: 1},
		{name: "IED moved", base: []gate.Report{fc("a", 150, 60)}, cur: []gate.Report{fc("a", 147.9, 60)},
			opts: DiffOptions{Tolerance: 2}, want: counts{moved: 1, compared: 1}, kinds: []ChangeKind{Moved}},
		{name: "per-measure tolerance", base: []gate.Report{fc("a", 150, 60)}, cur: []gate.Report{fc("a", 147.9, 60)},
			opts: DiffOptions{Tolerance: 2, MeasureTolerance: map[string]float64{quality.InterEyeDistance: 5}}, want: counts{compared: 1}},
		{name: "listed component", base: []gate.Report{fc("a", 150, 60)}, cur: []gate.Report{fc("a", 150, 50)},
			opts: DiffOptions{Tolerance: 2, Measures: []string{quality.Sharpness}}, want: counts{moved: 1, compared: 1}, kinds: []ChangeKind{Moved}},
		{name: "unlisted component ignored", base: []gate.Report{fc("a", 150, 60)}, cur: []gate.Report{fc("a", 150, 50)},
			opts: DiffOptions{Tolerance: 2}, want: counts{compared: 1}},
		{name: "score disappears", base: []gate.Report{fg("a", 40)}, cur: []gate.Report{synth.Unscorable(p, "a")},
			opts: DiffOptions{Tolerance: 2}, want: counts{flipped: 1, compared: 1}, kinds: []ChangeKind{Flipped}, exit: 1},
		{name: "reasons change, outcome same", base: []gate.Report{fc("a", 100, 60)}, cur: []gate.Report{synth.Face(p, "a", 100, 12, 60)},
			opts: DiffOptions{Tolerance: 2}, want: counts{reasons: 1, compared: 1}, kinds: []ChangeKind{ReasonsChanged}},
		{name: "added and removed", base: []gate.Report{fg("a", 40), fg("b", 40)}, cur: []gate.Report{fg("b", 40), fg("c", 10)},
			opts: DiffOptions{Tolerance: 2}, want: counts{added: 1, removed: 1, compared: 1}, kinds: []ChangeKind{Added, Removed}},
		{name: "repeated paths matched by occurrence", base: []gate.Report{fg("a", 40), fg("a", 10)}, cur: []gate.Report{fg("a", 40), fg("a", 10), fg("a", 50)},
			opts: DiffOptions{Tolerance: 2}, want: counts{added: 1, compared: 2}, kinds: []ChangeKind{Added}},
		{name: "stricter profile flips", base: []gate.Report{fc("a", 130, 60)}, cur: []gate.Report{synth.Face(strict, "a", 130, 0, 60)},
			opts: DiffOptions{Tolerance: 2}, want: counts{flipped: 1, compared: 1}, kinds: []ChangeKind{Flipped}, exit: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Diff(batchOf(tc.base...), batchOf(tc.cur...), tc.opts)
			got := counts{d.Flipped, d.Moved, d.ReasonsChanged, d.Added, d.Removed, d.Compared}
			if got != tc.want {
				t.Errorf("counts = %+v, want %+v", got, tc.want)
			}
			var kinds []ChangeKind
			for _, c := range d.Changes {
				kinds = append(kinds, c.Kind)
			}
			if !reflect.DeepEqual(kinds, tc.kinds) {
				t.Errorf("kinds = %v, want %v", kinds, tc.kinds)
			}
			if d.ExitCode() != tc.exit {
				t.Errorf("ExitCode = %d, want %d", d.ExitCode(), tc.exit)
			}
			if d.Unchanged() != (len(tc.kinds) == 0) {
				t.Errorf("Unchanged = %v with %d changes", d.Unchanged(), len(tc.kinds))
			}
		})
	}
}

func TestDiffMoveValues(t *testing.T) {
	p := thresholds.MustEmbedded("ees-usk")
	d := Diff(batchOf(synth.Finger(p, "a", 40)), batchOf(synth.Unscorable(p, "a")), DiffOptions{})
	if len(d.Changes) != 1 || len(d.Changes[0].Moves) != 1 {
		t.Fatalf("changes = %+v, want one change with one move", d.Changes)
	}
	m := d.Changes[0].Moves[0]
	if m.Measure != ScoreMeasure || m.Before == nil || *m.Before != 40 || m.After != nil {
		t.Errorf("move = %+v, want score 40 -> none", m)
	}
	d = Diff(batchOf(synth.Face(p, "a", 150, 0, 60)), batchOf(synth.Face(p, "a", 141.5, 0, 60)), DiffOptions{Tolerance: 2})
	m = d.Changes[0].Moves[0]
	if m.Measure != quality.InterEyeDistance || m.Component || m.Delta != -8.5 {
		t.Errorf("move = %+v, want native IED delta -8.5", m)
	}
}

func TestJUnitStructure(t *testing.T) {
	b := goldenBatch(t)
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Suites   []struct {
			Name       string `xml:"name,attr"`
			Tests      int    `xml:"tests,attr"`
			Failures   int    `xml:"failures,attr"`
			Errors     int    `xml:"errors,attr"`
			Time       string `xml:"time,attr"`
			Timestamp  string `xml:"timestamp,attr"`
			Properties []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:"value,attr"`
			} `xml:"properties>property"`
			Cases []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Time      string `xml:"time,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Error *struct {
					Type string `xml:"type,attr"`
				} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(render(t, JUnit, b), &doc); err != nil {
		t.Fatal(err)
	}
	s := b.Summary
	if doc.Tests != s.Total || doc.Failures != s.Recapture+s.WarnOperator || doc.Errors != s.Reject {
		t.Errorf("testsuites counts %d/%d/%d, want %d/%d/%d", doc.Tests, doc.Failures, doc.Errors, s.Total, s.Recapture+s.WarnOperator, s.Reject)
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d suites, want 1", len(doc.Suites))
	}
	suite := doc.Suites[0]
	if suite.Tests != len(b.Samples) || len(suite.Cases) != len(b.Samples) || suite.Time == "" || suite.Timestamp != "2026-11-23T12:30:00" {
		t.Errorf("suite %q: tests %d, %d cases, time %q, timestamp %q", suite.Name, suite.Tests, len(suite.Cases), suite.Time, suite.Timestamp)
	}
	props := map[string]string{}
	for _, p := range suite.Properties {
		props[p.Name] = p.Value
	}
	if props["profile"] != "ees-usk" || props["profile_version"] != "1.0.0" || props["finger.recapture_below"] != "15" || props["face.min_inter_eye_px"] != "120" {
		t.Errorf("properties = %v", props)
	}
	for i, c := range suite.Cases {
		r := b.Samples[i]
		if c.Name != r.Path || c.Classname != "biogate."+r.Modality.String() || c.Time == "" {
			t.Errorf("case %d = %q %q time %q", i, c.Name, c.Classname, c.Time)
		}
		switch r.Decision.Outcome {
		case quality.Accept:
			if c.Failure != nil || c.Error != nil {
				t.Errorf("%s: accepted sample has a failure", r.Path)
			}
		case quality.Reject:
			if c.Error == nil || c.Error.Type != "reject" {
				t.Errorf("%s: rejected sample has no error", r.Path)
			}
		default:
			if c.Failure == nil || c.Failure.Type != r.Decision.Outcome.String() {
				t.Fatalf("%s: no failure of type %s", r.Path, r.Decision.Outcome)
			}
			for _, rs := range r.Decision.Reasons {
				if !strings.Contains(c.Failure.Text, rs.Code) || !strings.Contains(c.Failure.Text, rs.Instruction) {
					t.Errorf("%s: failure text lacks %s and its instruction:\n%s", r.Path, rs.Code, c.Failure.Text)
				}
			}
		}
	}
}

func TestHistogramsBoundaries(t *testing.T) {
	p := thresholds.MustEmbedded("ees-usk")
	b := batchOf(synth.Finger(p, "a", 14), synth.Finger(p, "b", 15), synth.Finger(p, "c", 0), synth.Finger(p, "d", 100),
		synth.Unscorable(p, "e"), synth.Face(p, "f", 119.6, 0, 60), synth.Face(p, "g", 120, 0, 60), synth.Unreadable(p, "h"))
	hs := Histograms(b, ResolveThresholds(b, nil))
	if len(hs) != 2 {
		t.Fatalf("%d histograms, want 2", len(hs))
	}
	f, fa := hs[0], hs[1]
	if f.Threshold != 15 || f.Width != 5 || len(f.Counts) != 20 || f.N != 4 || f.Missing != 1 {
		t.Errorf("finger histogram = %+v", f)
	}
	if f.Counts[2] != 1 || f.Counts[3] != 1 || f.Counts[0] != 1 || f.Counts[19] != 1 {
		t.Errorf("finger counts = %v: want 14 in bin 2, 15 in bin 3, 0 in bin 0, 100 in bin 19", f.Counts)
	}
	if fa.Threshold != 120 || fa.N != 2 {
		t.Errorf("face histogram = %+v", fa)
	}
	below := int(119.6 / fa.Width)
	at := int(120 / fa.Width)
	if below == at || fa.Counts[below] != 1 || fa.Counts[at] != 1 {
		t.Errorf("face counts = %v (width %g): 119.6 and 120 must fall in different bins", fa.Counts, fa.Width)
	}
	if got := Histograms(batchOf(synth.Unreadable(p, "x")), ResolveThresholds(b, nil)); len(got) != 0 {
		t.Errorf("%d histograms for a batch without faces or fingers, want 0", len(got))
	}
}

func TestResolveThresholds(t *testing.T) {
	p, ref := goldenProfile(t, "finger.recapture_below=20", "face.min_inter_eye_px=90")
	other := thresholds.MustEmbedded("ees-usk")
	other.Finger.RecaptureBelow = 33
	tests := []struct {
		name      string
		b         Batch
		opts      *HTMLOptions
		src       string
		fin, face float64
	}{
		{"batch", Batch{Profile: ref, Thresholds: p}, nil, "batch", 20, 90},
		{"options win", Batch{Profile: ref, Thresholds: p}, &HTMLOptions{Profile: other}, "options", 33, 120},
		{"embedded with overrides", Batch{Profile: ref}, nil, "embedded profile ees-usk", 20, 90},
		{"embedded icao", Batch{Profile: thresholds.MustEmbedded("icao").Ref()}, nil, "embedded profile icao",
			thresholds.MustEmbedded("icao").Finger.RecaptureBelow, thresholds.MustEmbedded("icao").Face.MinInterEyePx},
		{"unknown profile", Batch{Profile: thresholds.Ref{Name: "mine", Version: "3"}}, nil, "defaults", 15, 120},
		{"version mismatch", Batch{Profile: thresholds.Ref{Name: "ees-usk", Version: "0.1"}}, nil, "defaults", 15, 120},
		{"bad override", Batch{Profile: thresholds.Ref{Name: "ees-usk", Version: "1.0.0", Overrides: []string{"nope=1"}}}, nil, "defaults", 15, 120},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ResolveThresholds(tc.b, tc.opts)
			if got.Source != tc.src || got.RecaptureBelow != tc.fin || got.MinInterEyePx != tc.face {
				t.Errorf("got %s %g %g, want %s %g %g", got.Source, got.RecaptureBelow, got.MinInterEyePx, tc.src, tc.fin, tc.face)
			}
		})
	}
}

func writeHTML(t *testing.T, b Batch, opts *HTMLOptions) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, b, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var externalRef = regexp.MustCompile(`(?i)(src|href|url)\s*[=(]\s*["']?(https?:)?//`)

func TestWriteHTMLContent(t *testing.T) {
	b := goldenBatch(t)
	hostile := synth.Unreadable(b.Thresholds, `face/<script>alert("x")</script>.png`)
	b.Samples = append(b.Samples, hostile)
	page := writeHTML(t, b, &HTMLOptions{NoThumbnails: true})
	for _, want := range []string{
		"<!DOCTYPE html>", "ees-usk", "1.0.0",
		">recapture below 15</text>", ">at least 120 px</text>",
		"Fingerprints: NFIQ 2 score", "Faces: inter-eye distance",
		"finger.QualityScore", "face.InterEyeDistance", "input.unreadable",
		"inter-eye distance 96.2 px, at least 120 px needed",
		"NFIQ 2 score 14, at least 15 needed",
		`<th class="sort" data-type="num">NFIQ 2</th>`,
		"&lt;script&gt;alert(", "addEventListener(\"click\"",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg"); n != 2 {
		t.Errorf("%d inline SVGs, want 2", n)
	}
	if strings.Contains(page, `<script>alert("x")`) {
		t.Error("a sample path was not escaped")
	}
	if strings.Contains(page, "data:image") || strings.Contains(page, "<img") {
		t.Error("NoThumbnails page holds image data")
	}
	if m := externalRef.FindString(page); m != "" {
		t.Errorf("page refers to an external asset: %q", m)
	}
	if strings.Contains(page, "<link") || strings.Contains(page, "@import") {
		t.Error("page loads a stylesheet")
	}
	if got := strings.Count(page, `<tr data-outcome=`); got != len(b.Samples) {
		t.Errorf("%d sample rows, want %d", got, len(b.Samples))
	}
}

func TestWriteHTMLThresholdFollowsProfile(t *testing.T) {
	p, ref := goldenProfile(t, "finger.recapture_below=20", "face.min_inter_eye_px=90")
	samples := []gate.Report{synth.Finger(p, "a", 18), synth.Face(p, "b", 100, 0, 60)}
	page := writeHTML(t, Batch{Profile: ref, Thresholds: p, Samples: samples}, &HTMLOptions{NoThumbnails: true})
	for _, want := range []string{">recapture below 20</text>", ">at least 90 px</text>", "finger.recapture_below=20"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, ">recapture below 15<") {
		t.Error("page draws the default threshold, not the profile's")
	}
}

var dataURI = regexp.MustCompile(`src="data:image/jpeg;base64,([^"]+)"`)

func TestWriteHTMLThumbnails(t *testing.T) {
	dir := t.TempDir()
	b := goldenBatch(t)
	if err := synth.WriteImages(dir, b.Samples); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{0, 40, 500} {
		page := writeHTML(t, b, &HTMLOptions{Root: dir, ThumbnailSize: size})
		ms := dataURI.FindAllStringSubmatch(page, -1)
		want := 0
		for _, s := range b.Samples {
			if s.Modality != quality.UnknownModality {
				want++
			}
		}
		if len(ms) != want {
			t.Fatalf("size %d: %d thumbnails, want %d (one per readable sample)", size, len(ms), want)
		}
		limit := MaxThumbnail
		if size > 0 && size < MaxThumbnail {
			limit = size
		}
		for _, m := range ms {
			raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Width > limit || cfg.Height > limit || max(cfg.Width, cfg.Height) != limit {
				t.Errorf("size %d: thumbnail %dx%d, want longer side %d", size, cfg.Width, cfg.Height, limit)
			}
		}
		if !strings.Contains(page, "no preview") {
			t.Error("the unreadable sample should say it has no preview")
		}
	}
}

func TestWriteHTMLEmptyBatch(t *testing.T) {
	page := writeHTML(t, Batch{}, nil)
	if !strings.Contains(page, "0 samples") || strings.Contains(page, "<svg") {
		t.Errorf("empty batch page should say 0 samples and hold no plot")
	}
}

func TestNiceWidth(t *testing.T) {
	for _, tc := range []struct {
		span float64
		bins int
		want float64
	}{{240, 24, 10}, {400, 24, 20}, {100, 10, 10}, {0, 5, 1}, {-3, 5, 1}, {1000, 24, 50}, {7, 24, 0.5}} {
		if got := niceWidth(tc.span, tc.bins); got != tc.want {
			t.Errorf("niceWidth(%g, %d) = %g, want %g", tc.span, tc.bins, got, tc.want)
		}
	}
}

func TestWriteHTMLConcurrent(t *testing.T) {
	b := goldenBatch(t)
	want := writeHTML(t, b, &HTMLOptions{NoThumbnails: true})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var buf bytes.Buffer
			err := WriteHTML(&buf, b, &HTMLOptions{NoThumbnails: true})
			if err == nil && buf.String() != want {
				err = errors.New("concurrent WriteHTML gave a different page")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestWriteHTMLColumnsFollowModalities(t *testing.T) {
	p := thresholds.MustEmbedded("ees-usk")
	for _, tc := range []struct {
		name        string
		samples     []gate.Report
		score, ied  bool
		plotsWanted int
	}{
		{"faces only", []gate.Report{synth.Face(p, "a", 130, 0, 60)}, false, true, 1},
		{"fingers only", []gate.Report{synth.Finger(p, "a", 30)}, true, false, 1},
		{"both", []gate.Report{synth.Finger(p, "a", 30), synth.Face(p, "b", 130, 0, 60)}, true, true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := writeHTML(t, batchOf(tc.samples...), &HTMLOptions{NoThumbnails: true})
			if got := strings.Contains(page, `data-type="num">NFIQ 2</th>`); got != tc.score {
				t.Errorf("NFIQ 2 column shown = %v, want %v", got, tc.score)
			}
			if got := strings.Contains(page, `data-type="num">IED px</th>`); got != tc.ied {
				t.Errorf("IED column shown = %v, want %v", got, tc.ied)
			}
			if got := strings.Count(page, "<svg"); got != tc.plotsWanted {
				t.Errorf("%d plots, want %d", got, tc.plotsWanted)
			}
		})
	}
}

func TestJSONOmitsUnrecordedHeader(t *testing.T) {
	p := thresholds.MustEmbedded("ees-usk")
	out := string(render(t, JSON, batchOf(synth.Finger(p, "a", 30))))
	for _, key := range []string{`"started"`, `"thresholds"`} {
		if strings.Contains(out, key) {
			t.Errorf("JSON holds %s though the batch did not record it", key)
		}
	}
	junit := string(render(t, JUnit, batchOf(synth.Finger(p, "a", 30))))
	if strings.Contains(junit, "timestamp=") || strings.Contains(junit, "finger.recapture_below") {
		t.Error("JUnit holds a timestamp or thresholds the batch did not record")
	}
}

// TestTableLines checks the table format's wording: a head-pose limit holds
// either way ("-12.1 deg, want within ±8 deg", not "want <= 8", which a
// negative roll meets), counts agree with their noun ("1 sample"), the
// summary names the profile's overrides, and warnings are shown.
func TestTableLines(t *testing.T) {
	p, ref := goldenProfile(t, "face.max_roll_deg=8")
	face := func(roll float64) gate.Report {
		r := synth.Face(p, "face/a.png", 150, roll, 60)
		r.Profile = ref
		r.Checks = p.Checks(quality.Face, r.Measures)
		return r
	}
	warned := synth.Finger(p, "finger/b.png", 40)
	warned.Warnings = []string{"the record declares 500 ppi but its jpeg2000 image declares 1000 ppi"}
	skipped := face(0)
	skipped.Decision.Skipped = []quality.Skip{{Code: "face.HeadPoseYaw", Measure: "HeadPoseYaw", Why: "needs facial landmarks"}}
	tests := []struct {
		name    string
		samples []gate.Report
		want    []string
		notWant []string
	}{
		{"negative roll", []gate.Report{face(-12.1)},
			[]string{"FAIL  face.HeadPoseRoll", "-12.1 deg, want within ±8 deg", "1 sample: 0 accept, 1 recapture"},
			[]string{"want <= 8", "1 samples"}},
		{"positive roll", []gate.Report{face(5), face(12.1)},
			[]string{"pass  face.HeadPoseRoll", "5 deg, want within ±8 deg", "12.1 deg, want within ±8 deg", "2 samples: 1 accept, 1 recapture"},
			[]string{"want <= 8"}},
		{"overrides", []gate.Report{face(0)},
			[]string{"(profile ees-usk 1.0.0; overrides: face.max_roll_deg=8)"}, nil},
		{"warning", []gate.Report{warned},
			[]string{"finger/b.png\n    warning: the record declares 500 ppi but its jpeg2000 image declares 1000 ppi\n"}, nil},
		{"skipped checks", []gate.Report{skipped},
			[]string{"    skip  face.HeadPoseYaw", "not checked: needs facial landmarks"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, Table, Batch{Profile: ref})
			w.ShowChecks = true
			for _, s := range tt.samples {
				if err := w.Add(s); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.want {
				if !strings.Contains(buf.String(), s) {
					t.Errorf("table lacks %q:\n%s", s, buf.String())
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(buf.String(), s) {
					t.Errorf("table holds %q:\n%s", s, buf.String())
				}
			}
		})
	}
}

// TestReasonLinesAbsoluteLimit checks the JUnit and diff descriptions of a
// failed pose check: the limit is on the angle's magnitude.
func TestReasonLinesAbsoluteLimit(t *testing.T) {
	p, _ := goldenProfile(t)
	before := synth.Face(p, "face/a.png", 150, 0, 60)
	after := synth.Face(p, "face/a.png", 150, -12.1, 60)
	if !after.Decision.Has("face.HeadPoseRoll") {
		t.Fatalf("a roll of -12.1° passes: %v", after.Decision)
	}
	var r quality.Reason
	for _, rs := range after.Decision.Reasons {
		if rs.Code == "face.HeadPoseRoll" {
			r = rs
		}
	}
	tests := []struct {
		name, got, want string
	}{
		{"junit", reasonLine(r), "HeadPoseRoll = -12.1 deg, needs within ±8 deg"},
		{"diff", failedCheck(after.Decision, "face.HeadPoseRoll"), "HeadPoseRoll -12.1 deg, needs within ±8 deg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.got, tt.want) || strings.Contains(tt.got, "<= 8") {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	d := Diff(Batch{Samples: []gate.Report{before}}, Batch{Samples: []gate.Report{after}}, DiffOptions{})
	if len(d.Changes) != 1 || !reflect.DeepEqual(d.Changes[0].Failed, []string{"HeadPoseRoll -12.1 deg, needs within ±8 deg"}) {
		t.Errorf("diff changes %+v", d.Changes)
	}
}

// TestWarningsInEveryFormat checks that a sample's warnings (doubtful
// resolution and the like) reach every format integrators read, not only
// the table and JSON: CSV gets a warnings column, HTML a line per warning
// under the reasons, JUnit the test case's output.
func TestWarningsInEveryFormat(t *testing.T) {
	p, ref := goldenProfile(t)
	r := synth.Finger(p, "finger/b.png", 40)
	const msg = "the record declares 500 ppi but its jpeg2000 image declares 1000 ppi"
	r.Warnings = []string{msg, "second warning"}
	for _, f := range []Format{CSV, JSONL, JUnit} {
		var buf bytes.Buffer
		w := NewWriter(&buf, f, Batch{Profile: ref})
		if err := w.Add(r); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), msg) {
			t.Errorf("%s output lacks the warning:\n%s", f, buf.String())
		}
		if f == CSV {
			recs, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if head, row := recs[0], recs[1]; head[len(head)-1] != "warnings" || row[len(row)-1] != msg+"; second warning" {
				t.Errorf("CSV warnings column: header %q, value %q", head[len(head)-1], row[len(row)-1])
			}
		}
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, Batch{Profile: ref, Samples: []gate.Report{r}}, &HTMLOptions{NoThumbnails: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<div class="warn">warning: `+msg+`</div>`) {
		t.Errorf("HTML lacks the warning line")
	}
}

// TestWriteHTMLSummaryWording checks the page's counts and sources in
// words: one reject in 250 samples is "<1%", not "0%"; 249 accepts are
// ">99%", not "100%"; and the thresholds' source is a phrase, not
// "(from batch)".
func TestWriteHTMLSummaryWording(t *testing.T) {
	p := thresholds.MustEmbedded("ees-usk")
	var samples []gate.Report
	for i := range 249 {
		samples = append(samples, synth.Finger(p, fmt.Sprintf("f%03d.png", i), 40))
	}
	samples = append(samples, synth.Unreadable(p, "bad.png"))
	tests := []struct {
		name string
		b    Batch
		opts *HTMLOptions
		want []string
		not  []string
	}{
		{"counts", Batch{Profile: p.Ref(), Thresholds: p, Samples: samples}, nil,
			[]string{"reject · &lt;1%", "accept · &gt;99%", "(from the profile recorded with the results)"}, []string{"reject · 0%", "accept · 100%", "(from batch)"}},
		{"all accepted", Batch{Profile: p.Ref(), Thresholds: p, Samples: samples[:3]}, nil,
			[]string{"accept · 100%", "reject · 0%"}, nil},
		{"embedded", Batch{Profile: p.Ref(), Samples: samples[:3]}, nil,
			[]string{"(from the embedded profile ees-usk: the results record no thresholds)"}, nil},
		{"options", Batch{Profile: p.Ref(), Samples: samples[:3]}, &HTMLOptions{Profile: p},
			[]string{"(from the profile given for this page)"}, []string{"(from options)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			if opts == nil {
				opts = &HTMLOptions{}
			}
			opts.NoThumbnails = true
			page := writeHTML(t, tt.b, opts)
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(page, w) {
					t.Errorf("page holds %q", w)
				}
			}
		})
	}
}
