package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	// The command's default runner: in-process, no socket. Only Beam's core,
	// textio, the local and in-memory file systems and this runner are
	// imported here, so that CI builds these tests from cold caches quickly
	// (Prism and ptest, which imports it, bring in 50 more modules: gRPC's
	// xDS, Docker's client, Google Cloud; see the Prism test in
	// ../cmd/biogate-beam).
	//lint:ignore SA1019 the command's default runner: in-process, no socket
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/direct"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/report"
)

func TestMain(m *testing.M) {
	// The corpus lies beside the repository, not beside this module.
	if os.Getenv(corpus.EnvVar) == "" {
		if p, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus")); err == nil {
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				os.Setenv(corpus.EnvVar, p)
			}
		}
	}
	// Beam's runners log each run's plan at the Info level.
	beamlog.LogLevel = "warn"
	flag.Parse()
	beam.Init()
	os.Exit(m.Run())
}

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// cli builds the biogate CLI of the repository once.
func cli(t testing.TB) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "biogate-cli")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "biogate")
		cmd := exec.Command("go", "build", "-o", cliPath, "./cmd/biogate")
		cmd.Dir = filepath.Join("..", "..")
		out, err := cmd.CombinedOutput()
		if err != nil {
			cliErr = fmt.Errorf("building the CLI: %v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// runCLI runs the CLI and returns its standard output.
func runCLI(t testing.TB, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(cli(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	// Exit 1 and 2 are decisions (a usage error leaves no output, which
	// the comparisons catch).
	if ee, ok := err.(*exec.ExitError); err == nil || ok && ee.ExitCode() <= 2 {
		return out.Bytes()
	}
	t.Fatalf("biogate %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	return nil
}

// runPipeline runs the pipeline of cfg on the direct runner.
func runPipeline(t testing.TB, cfg Config) time.Duration {
	t.Helper()
	p, s := beam.NewPipelineWithRoot()
	if err := Build(s, cfg); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := beam.Run(context.Background(), "direct", p); err != nil {
		t.Fatal(err)
	}
	return time.Since(start)
}

// readAll reads a file of any Beam file system; nil when it does not exist.
func readAll(t testing.TB, name string) []byte {
	t.Helper()
	ctx := context.Background()
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, name)
	if err != nil {
		return nil
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// manifestText writes paths as a manifest with a comment, a blank line
// and a CRLF line ending, as users write them.
func manifestText(paths []string) string {
	var b strings.Builder
	b.WriteString("# archive\n\n")
	for i, p := range paths {
		b.WriteString(p)
		if i%3 == 1 {
			b.WriteString("\r")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// compareWithCLI runs the pipeline over paths in shards and checks each
// shard file against 'biogate check -from SORTED -shard I/N -format jsonl'
// byte for byte, and the summary against the CLI's reports.
func compareWithCLI(t *testing.T, paths []string, shards, workers int) (reports int, pipeline time.Duration) {
	t.Helper()
	dir := t.TempDir()
	list := filepath.Join(dir, "manifest.txt")
	if err := os.WriteFile(list, []byte(manifestText(paths)), 0o644); err != nil {
		t.Fatal(err)
	}
	sorted := slices.Clone(paths)
	slices.Sort(sorted)
	sortedList := filepath.Join(dir, "sorted.txt")
	if err := os.WriteFile(sortedList, []byte(strings.Join(sorted, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out", "run")
	pipeline = runPipeline(t, Config{Manifest: list, Output: out, Shards: shards, Workers: workers, Version: "test"})

	var all []byte
	for i := range shards {
		want := runCLI(t, "check", "-q", "-j", "2", "-format", "jsonl", "-from", sortedList, "-shard", fmt.Sprintf("%d/%d", i, shards))
		got := readAll(t, ShardName(out, i, shards))
		if !bytes.Equal(got, want) {
			t.Errorf("shard %d of %d: %d bytes, the CLI's -shard %d/%d %d bytes: not identical\n%s", i, shards, len(got), i, shards, len(want), firstDiff(got, want))
		}
		all = append(all, got...)
	}
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	reports = bytes.Count(all, []byte("\n"))
	checkSummary(t, SummaryName(out), all)
	return reports, pipeline
}

// checkSummary checks the summary file against the reports in jsonl.
func checkSummary(t *testing.T, name string, jsonl []byte) {
	t.Helper()
	var want report.Tally
	if len(jsonl) > 0 {
		b, err := report.ReadBatch(bytes.NewReader(jsonl))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range b.Samples {
			want.Add(r)
		}
	}
	data := readAll(t, name)
	sb, err := report.ReadBatch(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("summary: %v", err)
	}
	if sb.Tally == nil {
		t.Fatal("summary holds no tally")
	}
	got, _ := json.Marshal(sb.Tally)
	exp, _ := json.Marshal(want)
	if !bytes.Equal(got, exp) {
		t.Errorf("summary tally\n%s\nwant (from the reports)\n%s", got, exp)
	}
	if sb.Summary.Total != bytes.Count(jsonl, []byte("\n")) || sb.Tool != "biogate-beam" || sb.Thresholds == nil {
		t.Errorf("summary %+v (tool %q) for %d reports", sb.Summary, sb.Tool, bytes.Count(jsonl, []byte("\n")))
	}
}

// firstDiff shows the first line where a and b differ.
func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range max(len(la), len(lb)) {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\npipeline %.300s\ncli      %.300s", i+1, x, y)
		}
	}
	return ""
}

// testdataPaths returns the repository's testdata prints, a file that is
// not an image, a missing file and "-".
func testdataPaths(t *testing.T) []string {
	prints, err := filepath.Glob(filepath.Join("..", "..", "testdata", "finger", "*.png"))
	if err != nil || len(prints) == 0 {
		t.Fatalf("no testdata prints: %v", err)
	}
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.png")
	if err := os.WriteFile(junk, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, p := range prints {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, abs)
	}
	return append(paths, junk, filepath.Join(dir, "missing.wsq"), "-", paths[0])
}

// TestPipelineMatchesCLI runs the pipeline on the direct runner over the
// testdata prints (and unreadable inputs, and a path listed twice) and
// checks every shard file against the CLI's -shard run, byte for byte,
// with 1 and 3 shards and 1 and 2 workers.
func TestPipelineMatchesCLI(t *testing.T) {
	paths := testdataPaths(t)
	for _, tc := range []struct{ shards, workers int }{{1, 1}, {3, 2}} {
		t.Run(fmt.Sprintf("shards=%d,j=%d", tc.shards, tc.workers), func(t *testing.T) {
			n, _ := compareWithCLI(t, paths, tc.shards, tc.workers)
			if n != len(paths) {
				t.Errorf("%d reports for %d manifest lines", n, len(paths))
			}
		})
	}
}

// TestPipelineObjectStore reads the manifest and the samples from a Beam
// file system with a scheme (memfs://, as gs:// and s3:// are read) and
// writes the shards and the summary there: the reports are the CLI's for
// the same bytes, under the object's name.
func TestPipelineObjectStore(t *testing.T) {
	prints, err := filepath.Glob(filepath.Join("..", "..", "testdata", "finger", "*.png"))
	if err != nil || len(prints) < 2 {
		t.Fatalf("no testdata prints: %v", err)
	}
	prints = prints[:2]
	var objects []string
	for i, p := range prints {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("memfs://bucket/samples/%d.png", i)
		memfs.Write(name, b)
		objects = append(objects, name)
	}
	objects = append(objects, "memfs://bucket/samples/missing.png")
	memfs.Write("memfs://bucket/manifest.txt", []byte(strings.Join(objects, "\n")+"\n"))
	runPipeline(t, Config{Manifest: "memfs://bucket/manifest.txt", Output: "memfs://bucket/out/run", Shards: 1, Workers: 2})
	got := readAll(t, ShardName("memfs://bucket/out/run", 0, 1))
	want := runCLI(t, append([]string{"check", "-q", "-format", "jsonl"}, prints...)...)
	for i, p := range prints {
		want = bytes.ReplaceAll(want, []byte(`"path":"`+p+`"`), []byte(`"path":"`+objects[i]+`"`))
	}
	lines := strings.SplitAfter(string(got), "\n")
	if len(lines) != 4 || lines[0]+lines[1] != string(want) {
		t.Errorf("object store reports differ from the CLI's for the same bytes:\n%s", firstDiff([]byte(lines[0]+lines[1]), want))
	}
	var missing gate.Report
	if err := json.Unmarshal([]byte(lines[2]), &missing); err != nil || missing.Decision.Outcome.String() != "reject" || missing.Path != objects[2] {
		t.Errorf("missing object: %+v, %v", missing, err)
	}
	checkSummary(t, SummaryName("memfs://bucket/out/run"), got)
}

// TestPipelineCorpus checks the pipeline against the CLI over every sample
// file of the reference corpus (faces and fingerprints), byte for byte per
// shard. It takes minutes: skipped with -short.
func TestPipelineCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole corpus takes minutes: run without -short")
	}
	root := corpus.Dir(t)
	var paths []string
	for _, in := range gate.ExpandInputs([]string{filepath.Join(root, "face"), filepath.Join(root, "finger")}) {
		if in.Err == nil {
			paths = append(paths, in.Path)
		}
	}
	if len(paths) < 100 {
		t.Fatalf("%d corpus samples: the corpus is incomplete", len(paths))
	}
	n, d := compareWithCLI(t, paths, 4, 2)
	t.Logf("%d corpus files, %d reports: pipeline (direct runner, 4 shards, -j 2) %v; every shard byte-identical to the CLI's", len(paths), n, d.Round(time.Millisecond))
}
