package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/biogate/biogate/gate"

	synth "github.com/biogate/biogate/report/reporttest"
	"github.com/biogate/biogate/thresholds"
)

func tallyOf(b Batch) Tally {
	var t Tally
	for _, r := range b.Samples {
		t.Add(r)
	}
	return t
}

func TestTallyMergesParts(t *testing.T) {
	b := goldenBatch(t)
	p := b.Thresholds
	b.Samples = append(b.Samples, synth.Face(p, "big", 700.4, 0, 60), synth.Finger(p, "z", 100))
	whole := tallyOf(b)
	for _, cut := range []int{0, 1, len(b.Samples) / 2, len(b.Samples)} {
		a := tallyOf(Batch{Samples: b.Samples[:cut]})
		c := tallyOf(Batch{Samples: b.Samples[cut:]})
		for _, order := range [][2]Tally{{a, c}, {c, a}} {
			var m Tally
			m.Merge(order[0])
			m.Merge(order[1])
			ja, _ := json.Marshal(m)
			jw, _ := json.Marshal(whole)
			if !bytes.Equal(ja, jw) {
				t.Errorf("cut %d: merged tally\n%s\nwant\n%s", cut, ja, jw)
			}
		}
	}
	if !reflect.DeepEqual(whole.Summary, Summarize(b.Samples)) {
		t.Errorf("tally summary %+v, want %+v", whole.Summary, Summarize(b.Samples))
	}
}

func TestTallyHistogramsMatchSamples(t *testing.T) {
	p := thresholds.MustEmbedded("ees-usk")
	for _, tc := range []struct {
		name string
		b    Batch
	}{
		{"golden", goldenBatch(t)},
		{"boundaries", batchOf(synth.Finger(p, "a", 14), synth.Finger(p, "b", 15), synth.Finger(p, "c", 0), synth.Finger(p, "d", 100),
			synth.Unscorable(p, "e"), synth.Face(p, "f", 119.6, 0, 60), synth.Face(p, "g", 120, 0, 60), synth.Face(p, "h", 999.9, 0, 60), synth.Unreadable(p, "h"))},
		{"none", batchOf(synth.Unreadable(p, "x"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			th := ResolveThresholds(tc.b, nil)
			want := Histograms(tc.b, th)
			got := tallyOf(tc.b).Histograms(th)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("tally histograms\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestWriteHTMLFromTally(t *testing.T) {
	b := goldenBatch(t)
	full := writeHTML(t, b, &HTMLOptions{NoThumbnails: true})
	tl := tallyOf(b)
	sb := b
	sb.Samples, sb.Summary, sb.Tally = []gate.Report{}, Summary{}, &tl
	data, err := json.Marshal(sb)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := ReadBatch(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rb.Summary, Summarize(b.Samples)) {
		t.Errorf("summary read back %+v, want %+v", rb.Summary, Summarize(b.Samples))
	}
	page := writeHTML(t, rb, &HTMLOptions{NoThumbnails: true})
	const cut = `<section id="samples-section">`
	head, _, ok := strings.Cut(page, cut)
	fullHead, _, _ := strings.Cut(full, cut)
	if !ok || head != fullHead {
		t.Errorf("the page from the tally differs from the page from the samples before the sample table")
	}
	if strings.Contains(page, "<tr data-outcome=") || !strings.Contains(page, "JSON Lines files") {
		t.Error("the page from a tally lists samples, or does not say where they are")
	}
	if n := strings.Count(page, "<svg"); n != 2 {
		t.Errorf("%d inline SVGs, want 2", n)
	}
}
