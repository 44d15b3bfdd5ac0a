package archive

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/internal/corpus"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPipeline runs the pipeline on the direct runner in 2 shards,
// with 1 and 2 workers per shard (-j), over 96 copies of the testdata
// prints and over 96 files of the corpus (faces and fingerprints, every
// 6th file in path order; skipped without the corpus). It reports files
// per second of wall time and the CPU cores kept busy (CPU time over wall
// time): the NFIQ 2 measures of one print already run on two goroutines,
// so -j 1 keeps more than one core busy on fingerprints.
func BenchmarkPipeline(b *testing.B) {
	prints, err := filepath.Glob(filepath.Join("..", "..", "testdata", "finger", "*.png"))
	if err != nil || len(prints) == 0 {
		b.Fatalf("no testdata prints: %v", err)
	}
	const files = 96
	dir := b.TempDir()
	var copies []string
	for i := range files {
		data, err := os.ReadFile(prints[i%len(prints)])
		if err != nil {
			b.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprintf("p%03d.png", i))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		copies = append(copies, p)
	}
	sets := []struct {
		name  string
		paths func(b *testing.B) []string
	}{
		{"testdata-prints", func(*testing.B) []string { return copies }},
		{"corpus-mixed", func(b *testing.B) []string {
			root := corpus.Dir(b)
			var all []string
			for _, in := range gate.ExpandInputs([]string{filepath.Join(root, "face"), filepath.Join(root, "finger")}) {
				if in.Err == nil {
					all = append(all, in.Path)
				}
			}
			slices.Sort(all)
			var out []string
			for i := 0; i < len(all) && len(out) < files; i += 6 {
				out = append(out, all[i])
			}
			return out
		}},
	}
	for _, set := range sets {
		b.Run(set.name, func(b *testing.B) {
			paths := set.paths(b)
			list := filepath.Join(b.TempDir(), "manifest.txt")
			if err := os.WriteFile(list, []byte(strings.Join(paths, "\n")+"\n"), 0o644); err != nil {
				b.Fatal(err)
			}
			for _, j := range []int{1, 2} {
				b.Run(fmt.Sprintf("files=%d/j=%d", len(paths), j), func(b *testing.B) {
					var wall, cpu time.Duration
					for i := range b.N {
						out := filepath.Join(b.TempDir(), fmt.Sprintf("run%d", i))
						c0 := cpuTime()
						wall += runPipeline(b, Config{Manifest: list, Output: out, Shards: 2, Workers: j})
						cpu += cpuTime() - c0
					}
					b.ReportMetric(float64(len(paths)*b.N)/wall.Seconds(), "files/s")
					b.ReportMetric(cpu.Seconds()/wall.Seconds(), "cores")
				})
			}
		})
	}
}
