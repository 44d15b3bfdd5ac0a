//go:build linux

package main

import (
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkCheckManifestMemory runs check in a child process over a
// manifest of 1,000 and 10,000 tiny inputs (hard links to one 48×48 PNG,
// assessed in full: warn_operator, NFIQ 2 cannot score it) and reports
// the child's peak resident memory (getrusage ru_maxrss). With jsonl and
// csv it stays flat in the number of inputs; json holds every report until
// the end:
//
//	go test -run '^$' -bench CheckManifestMemory -benchtime 1x ./cmd/biogate
func BenchmarkCheckManifestMemory(b *testing.B) {
	for _, format := range []string{"jsonl", "csv", "json"} {
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("%s/%d", format, n), func(b *testing.B) {
				list := linkedInputs(b, n)
				var rss int64
				start := time.Now()
				for range b.N {
					rss = max(rss, childPeakRSS(b, "check", "-q", "-j", "2", "-format", format, "-from", list))
				}
				b.ReportMetric(float64(rss)/1024, "peak-RSS-MB")
				b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N*n), "ms/file")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// BenchmarkCheckResumeMemory is BenchmarkCheckManifestMemory for -resume:
// a run writing its report in place (peak-RSS-MB), then a rerun that reads
// the finished report and skips every input (skip-RSS-MB):
//
//	go test -run '^$' -bench CheckResumeMemory -benchtime 1x ./cmd/biogate
func BenchmarkCheckResumeMemory(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("jsonl/%d", n), func(b *testing.B) {
			list := linkedInputs(b, n)
			var rss, skip int64
			for range b.N {
				out := filepath.Join(b.TempDir(), "r.jsonl")
				args := []string{"check", "-q", "-j", "2", "-format", "jsonl", "-from", list, "-resume", out}
				rss = max(rss, childPeakRSS(b, args...))
				skip = max(skip, childPeakRSS(b, args...))
			}
			b.ReportMetric(float64(rss)/1024, "peak-RSS-MB")
			b.ReportMetric(float64(skip)/1024, "skip-RSS-MB")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// linkedInputs makes n hard links to one tiny PNG and a manifest of them.
func linkedInputs(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	g := image.NewGray(image.Rect(0, 0, 48, 48))
	for j := range g.Pix {
		g.Pix[j] = uint8(j * 7)
	}
	base := filepath.Join(dir, "base.png")
	f, err := os.Create(base)
	if err == nil {
		err = png.Encode(f, g)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	var list strings.Builder
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("s%05d.png", i))
		if err := os.Link(base, p); err != nil {
			b.Fatal(err)
		}
		list.WriteString(p + "\n")
	}
	name := filepath.Join(dir, "list.txt")
	if err := os.WriteFile(name, []byte(list.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return name
}

// childPeakRSS runs the command in a child process, its output discarded,
// and returns the child's peak resident set size in KB.
func childPeakRSS(b *testing.B, args ...string) int64 {
	b.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperMain$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	var errb strings.Builder
	cmd.Stderr = &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && (!errors.As(err, &ee) || ee.ExitCode() != exitAttention) {
		b.Fatalf("%v: %s", err, errb.String())
	}
	return cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
}
