package main

// These tests cover what only the command holds: the object-store file
// systems (gs://, s3://), the cluster runners and their flags, and the
// in-process Prism runner. They import everything the command imports
// (Google Cloud, AWS, gRPC's xDS, Docker's client: about 90 modules), so
// CI does not build them (.ci/run tests ./archive, which needs Beam's core
// and the direct runner only); run them with
//
//	cd beam && go test ./cmd/biogate-beam
//
// The pipeline itself, and its object-store code path on Beam's in-memory
// memfs://, are tested in ../../archive.

import (
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"

	"github.com/biogate/biogate/beam/archive"
)

func TestMain(m *testing.M) {
	beamlog.LogLevel = "warn"
	flag.Parse()
	beam.Init()
	os.Exit(m.Run())
}

// TestObjectStores checks that the command registers the gs:// and s3://
// file systems (and local paths) that the README documents.
func TestObjectStores(t *testing.T) {
	for _, p := range []string{"gs://bucket/list.txt", "s3://bucket/list.txt", "/data/list.txt"} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: no file system registered: %v", p, r)
				}
			}()
			filesystem.ValidateScheme(p)
		}()
	}
}

// TestClusterFlags checks that the runner flags the README gives for
// Flink, Spark and Dataflow are registered by the command's imports.
func TestClusterFlags(t *testing.T) {
	for _, name := range []string{
		"runner", "endpoint", "environment_type", "environment_config", // Flink, Spark (universal)
		"project", "region", "staging_location", "sdk_container_image", // Dataflow
		"worker_binary",
	} {
		if flag.Lookup(name) == nil {
			t.Errorf("flag -%s is not registered", name)
		}
	}
}

// testdataManifest writes a manifest of the repository's testdata prints,
// a file that is not an image and a missing file; it returns its name and
// the number of lines.
func testdataManifest(t *testing.T) (string, int) {
	t.Helper()
	prints, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "finger", "*.png"))
	if err != nil || len(prints) == 0 {
		t.Fatalf("no testdata prints: %v", err)
	}
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.png")
	if err := os.WriteFile(junk, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, p := range prints {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, abs)
	}
	lines = append(lines, junk, filepath.Join(dir, "missing.wsq"))
	list := filepath.Join(dir, "manifest.txt")
	if err := os.WriteFile(list, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return list, len(lines)
}

// readAll reads a file of any Beam file system; nil when it does not exist.
func readAll(t *testing.T, name string) []byte {
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

// runWith runs the command's run function on runner, as the command does
// with -runner.
func runWith(t *testing.T, runner string, cfg archive.Config) {
	t.Helper()
	old := *runners.Runner
	*runners.Runner = runner
	defer func() { *runners.Runner = old }()
	if err := run(context.Background(), cfg); err != nil {
		t.Fatalf("%s: %v", runner, err)
	}
}

// TestPipelinePrism runs the command's pipeline on the in-process Prism
// runner (the SDK's portable local runner: coders, registrations and side
// inputs as a cluster sees them) and checks its files against the direct
// runner's, byte for byte. Skipped with -short: Prism's job server listens
// on every interface while it runs.
func TestPipelinePrism(t *testing.T) {
	if testing.Short() {
		t.Skip("Prism listens on every network interface: not in -short runs")
	}
	list, n := testdataManifest(t)
	dir := t.TempDir()
	const shards = 3
	direct, prism := filepath.Join(dir, "direct", "run"), filepath.Join(dir, "prism", "run")
	runWith(t, "direct", archive.Config{Manifest: list, Output: direct, Shards: shards, Workers: 2, Version: "test"})
	runWith(t, "prism", archive.Config{Manifest: list, Output: prism, Shards: shards, Workers: 2, Version: "test"})
	names := []string{archive.SummaryName("")}
	for i := range shards {
		names = append(names, archive.ShardName("", i, shards))
	}
	reports := 0
	for _, name := range names {
		a, b := readAll(t, direct+name), readAll(t, prism+name)
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("run%s: direct %d bytes, Prism %d bytes: not identical", name, len(a), len(b))
		}
		if name != names[0] {
			reports += bytes.Count(a, []byte("\n"))
		}
	}
	if reports != n {
		t.Errorf("%d reports for %d manifest lines", reports, n)
	}
}
