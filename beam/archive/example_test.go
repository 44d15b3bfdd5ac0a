package archive_test

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"

	"github.com/biogate/biogate/beam/archive"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/synth"
)

// Shard I of N holds the paths 'biogate check -shard I/N' takes.
func ExampleShardOf() {
	for _, p := range []string{"a/left_index.wsq", "a/right_index.wsq", "b/portrait.jpg"} {
		i := archive.ShardOf(p, 4)
		fmt.Println(p, "->", filepath.Base(archive.ShardName("out/run", i, 4)))
	}
	fmt.Println(archive.SummaryName("out/run"))
	// Output:
	// a/left_index.wsq -> run-00000-of-00004.jsonl
	// a/right_index.wsq -> run-00001-of-00004.jsonl
	// b/portrait.jpg -> run-00000-of-00004.jsonl
	// out/run-summary.json
}

// Build adds the pipeline to a scope; here it runs on the direct runner
// over a manifest of two synthetic prints.
func ExampleBuild() {
	dir, _ := os.MkdirTemp("", "archive-example")
	defer os.RemoveAll(dir)
	var manifest string
	for _, seed := range []uint64{1, 2} {
		img, _ := synth.Fingerprint(synth.FingerParams{Seed: seed})
		p := filepath.Join(dir, fmt.Sprintf("print%d.png", seed))
		f, _ := os.Create(p)
		_ = png.Encode(f, img)
		_ = f.Close()
		manifest += p + "\n"
	}
	list := filepath.Join(dir, "manifest.txt")
	_ = os.WriteFile(list, []byte(manifest), 0o644)

	p, s := beam.NewPipelineWithRoot()
	cfg := archive.Config{Manifest: list, Output: filepath.Join(dir, "out", "run"), Shards: 1, Workers: 2}
	if err := archive.Build(s, cfg); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := beam.Run(context.Background(), "direct", p); err != nil {
		fmt.Println(err)
		return
	}
	f, err := os.Open(archive.SummaryName(cfg.Output))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	b, err := report.ReadBatch(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	names, _ := filepath.Glob(filepath.Join(dir, "out", "*"))
	for _, n := range names {
		fmt.Println(filepath.Base(n))
	}
	fmt.Println(b.Summary.Total, "samples,", b.Summary.Accept, "accepted")
	// Output:
	// run-00000-of-00001.jsonl
	// run-summary.json
	// 2 samples, 2 accepted
}
