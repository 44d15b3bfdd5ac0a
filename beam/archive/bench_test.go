package archive

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkPipeline runs the pipeline on the direct runner over 32 copies
// of the testdata prints in 2 shards, with 1 and 2 workers per shard, and
// reports files per second: the speed-up of -j 2 over -j 1 is the
// throughput gain of a second core.
func BenchmarkPipeline(b *testing.B) {
	prints, err := filepath.Glob(filepath.Join("..", "..", "testdata", "finger", "*.png"))
	if err != nil || len(prints) == 0 {
		b.Fatalf("no testdata prints: %v", err)
	}
	dir := b.TempDir()
	const files = 32
	var paths []string
	for i := range files {
		data, err := os.ReadFile(prints[i%len(prints)])
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("p%03d.png", i))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	list := filepath.Join(dir, "manifest.txt")
	if err := os.WriteFile(list, []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, j := range []int{1, 2} {
		b.Run(fmt.Sprintf("files=%d/j=%d", files, j), func(b *testing.B) {
			var total float64
			for i := range b.N {
				out := filepath.Join(b.TempDir(), fmt.Sprintf("run%d", i))
				d := runPipeline(b, Config{Manifest: list, Output: out, Shards: 2, Workers: j})
				total += d.Seconds()
			}
			b.ReportMetric(float64(files*b.N)/total, "files/s")
		})
	}
}
