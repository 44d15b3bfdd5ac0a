package report_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/report/reporttest"
	"github.com/biogate/biogate/thresholds"
)

// Diff shows what a threshold change does to a batch: raising the NFIQ 2
// recapture threshold from 15 to 20 flips the fingerprint scored 18.
func ExampleDiff() {
	usk := thresholds.MustEmbedded("ees-usk")
	stricter := thresholds.MustEmbedded("ees-usk")
	if err := stricter.Set("finger.recapture_below", "20"); err != nil {
		panic(err)
	}
	batch := func(p *thresholds.Profile) report.Batch {
		return report.Batch{Profile: p.Ref(), Samples: []gate.Report{
			reporttest.Finger(p, "left_index.png", 18),
			reporttest.Finger(p, "right_index.png", 47),
		}}
	}
	d := report.Diff(batch(usk), batch(stricter), report.DiffOptions{Tolerance: report.DefaultTolerance})
	for _, c := range d.Changes {
		fmt.Println(c.Kind, c.Path, c.Before, "->", c.After, c.ReasonsAdded)
	}
	fmt.Println("exit code", d.ExitCode())
	// Output:
	// flipped left_index.png accept -> recapture [finger.QualityScore]
	// exit code 1
}

// ReadBatch reads what 'biogate check -format json' (or jsonl) wrote; here
// one JSON Lines record.
func ExampleReadBatch() {
	in := `{"path":"a.png","modality":"face","profile":{"name":"ees-usk","version":"1.0.0"},"measures":{"InterEyeDistance":{"value":96,"unit":"px"}},"decision":{"outcome":"recapture","reasons":[{"code":"face.InterEyeDistance","outcome":"recapture","value":96,"threshold":120,"instruction":"Ask the person to move closer."}]}}`
	b, err := report.ReadBatch(strings.NewReader(in))
	if err != nil {
		panic(err)
	}
	fmt.Println(b.Profile.Name, b.Summary.Total, b.Summary.Recapture, b.Summary.Reasons)
	// Output:
	// ees-usk 1 1 map[face.InterEyeDistance:1]
}

// WriteHTML writes one self-contained page; NoThumbnails keeps every image
// out of it.
func ExampleWriteHTML() {
	p := thresholds.MustEmbedded("ees-usk")
	b := report.Batch{Tool: "biogate", Profile: p.Ref(), Thresholds: p, Samples: []gate.Report{
		reporttest.Finger(p, "a.png", 12),
		reporttest.Face(p, "b.png", 131, 0, 60),
	}}
	var page strings.Builder
	if err := report.WriteHTML(&page, b, &report.HTMLOptions{NoThumbnails: true}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println(strings.Count(page.String(), "<svg"), "plots")
	fmt.Println(strings.Contains(page.String(), "NFIQ 2 score 12, at least 15 needed"))
	// Output:
	// 2 plots
	// true
}

// Tallies of the parts of a run (the shards of an archive run on a
// cluster) merge into the tally of the whole run, which gives the counts
// and the histograms of the HTML report without holding the samples.
func ExampleTally() {
	p := thresholds.MustEmbedded("ees-usk")
	var part1, part2 report.Tally
	part1.Add(reporttest.Finger(p, "a.png", 14))
	part1.Add(reporttest.Finger(p, "b.png", 47))
	part2.Add(reporttest.Finger(p, "c.png", 62))
	var whole report.Tally
	whole.Merge(part1)
	whole.Merge(part2)
	fmt.Println(whole.Summary.Total, "samples,", whole.Summary.Accept, "accepted,", whole.Summary.Reasons)
	h := whole.Histograms(report.ResolveThresholds(report.Batch{Thresholds: p}, nil))[0]
	fmt.Println(h.Title, h.N, "scores, threshold", h.Threshold)
	// Output:
	// 3 samples, 2 accepted, map[finger.QualityScore:1]
	// Fingerprints: NFIQ 2 score 3 scores, threshold 15
}
