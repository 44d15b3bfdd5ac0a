package gate_test

import (
	"bufio"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

func ExampleGate_RunSeq() {
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
	// A manifest read line by line as the run goes: memory stays flat
	// however long it is.
	manifest := strings.NewReader(filepath.Join(dir, "print.png") + "\n" + filepath.Join(dir, "missing.png") + "\n")
	lines := func(yield func(gate.Input) bool) {
		sc := bufio.NewScanner(manifest)
		for sc.Scan() {
			if !yield(gate.Input{Path: sc.Text()}) {
				return
			}
		}
	}
	_ = g.RunSeq(context.Background(), lines, 2, func(i int, r gate.Report) {
		fmt.Printf("%d %s %v %q\n", i, filepath.Base(r.Path), r.Decision.Outcome, r.Error)
	})
	// Output:
	// 0 print.png accept ""
	// 1 missing.png reject "no such file or directory"
}
