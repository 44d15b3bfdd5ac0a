package gate_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

func ExampleGate_Run() {
	dir, _ := os.MkdirTemp("", "gate-example")
	defer os.RemoveAll(dir)
	for i, seed := range []uint64{1, 2} {
		img, _ := synth.Fingerprint(synth.FingerParams{Seed: seed})
		f, _ := os.Create(filepath.Join(dir, fmt.Sprintf("print%d.png", i+1)))
		_ = png.Encode(f, img)
		_ = f.Close()
	}
	_ = os.WriteFile(filepath.Join(dir, "notes.png"), []byte("not an image"), 0o600)

	g, err := gate.New(thresholds.MustEmbedded("ees-usk"), nil, &gate.Finger{Assessor: finger.New(nil)})
	if err != nil {
		fmt.Println(err)
		return
	}
	paths, _ := gate.Expand([]string{dir})
	_ = g.Run(context.Background(), paths, 2, func(i int, r gate.Report) {
		model := "-"
		if r.Score != nil {
			model = r.Score.Model
		}
		fmt.Println(filepath.Base(r.Path), r.Modality, r.Decision.Outcome, model)
	})
	// Output:
	// notes.png unknown reject -
	// print1.png finger accept nfiq2-compatible
	// print2.png finger accept nfiq2-compatible
}

func ExampleGate_RunInputs() {
	dir, _ := os.MkdirTemp("", "gate-example")
	defer os.RemoveAll(dir)
	img, _ := synth.Fingerprint(synth.FingerParams{Seed: 1})
	f, _ := os.Create(filepath.Join(dir, "print.png"))
	_ = png.Encode(f, img)
	_ = f.Close()

	g, err := gate.New(thresholds.MustEmbedded("ees-usk"), nil, &gate.Finger{Assessor: finger.New(nil)})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Paths that cannot be read keep their place, and get a reject.
	inputs := gate.ExpandInputs([]string{filepath.Join(dir, "missing.png"), dir, filepath.Join(dir, "*.wsq")})
	_ = g.RunInputs(context.Background(), inputs, 2, func(i int, r gate.Report) {
		fmt.Printf("%s %v %q\n", filepath.Base(r.Path), r.Decision.Outcome, r.Error)
	})
	// Output:
	// missing.png reject "no such file or directory"
	// print.png accept ""
	// *.wsq reject "no file matches the pattern"
}

func ExampleGate_AssessReader() {
	img, _ := synth.Fingerprint(synth.FingerParams{Seed: 1})
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)

	g, err := gate.New(thresholds.MustEmbedded("ees-usk"), nil, &gate.Finger{Assessor: finger.New(nil)})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The bytes of an object store's file, for example.
	for _, r := range g.AssessReader(context.Background(), "gs://bucket/print.png", &buf) {
		fmt.Println(r.Path, r.Modality, r.Decision.Outcome)
	}
	// Output:
	// gs://bucket/print.png finger accept
}
