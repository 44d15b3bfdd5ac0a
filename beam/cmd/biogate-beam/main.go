// Command biogate-beam runs the biogate quality gate over archives as an
// Apache Beam pipeline: locally on the SDK's direct runner (the default:
// no service, no listening socket), or on Flink, Spark or Google Cloud
// Dataflow by the Beam runner flags.
//
//	biogate-beam -manifest paths.txt -output out/run -shards 16 -j 2
//
// writes out/run-SSSSS-of-00016.jsonl (the reports) and
// out/run-summary.json (the counts and histograms, for 'biogate report').
// See package github.com/biogate/biogate/beam/archive for what the files
// hold, and the README's "Large archives" section for the runner flags.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/options/jobopts"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"

	// File systems: local paths, gs:// and s3://.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"

	// Runners, chosen with -runner.
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	//lint:ignore SA1019 the default: in-process, no socket (Prism's job server listens on every interface)
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/direct"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/spark"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"

	"github.com/biogate/biogate/beam/archive"
	"github.com/biogate/biogate/thresholds"
)

// Version is the tool's version, recorded in the summary.
var Version = "dev"

type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, ",") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	var cfg archive.Config
	flag.StringVar(&cfg.Manifest, "manifest", "", "manifest file or glob (local, gs://, s3://): one sample path per line")
	flag.StringVar(&cfg.Output, "output", "", "prefix of the files written: PREFIX-SSSSS-of-NNNNN.jsonl and PREFIX-summary.json")
	flag.IntVar(&cfg.Shards, "shards", 16, "number of shard files (shard I holds what 'biogate check -shard I/N' assesses)")
	flag.IntVar(&cfg.Workers, "j", runtime.NumCPU(), "samples of one shard assessed in parallel on a worker")
	flag.StringVar(&cfg.Profile, "profile", thresholds.Default, "threshold profile: an embedded name ("+strings.Join(thresholds.Names(), ", ")+") or a YAML/JSON file")
	flag.StringVar(&cfg.Modality, "modality", "auto", "auto, face or finger")
	var sets setFlags
	flag.Var(&sets, "set", "override a profile value, KEY=VALUE (repeatable)")
	flag.Float64Var(&cfg.PPI, "ppi", 0, "resolution of every input in pixels per inch, replacing what the files declare")
	flag.IntVar(&cfg.MaxPixels, "max-pixels", 0, "refuse images with more pixels than this (0: the CLI's default)")
	flag.StringVar(&cfg.NFIQ2Model, "nfiq2-model", "", "NIST's NFIQ 2 random forest file, instead of the embedded model")
	flag.Parse()
	cfg.Sets, cfg.Version = sets, Version
	if *runners.Runner == "" {
		// The direct runner runs in this process and opens no socket
		// (Prism's job server listens on every interface).
		*runners.Runner = "direct"
	}
	if r := strings.ToLower(*runners.Runner); (r == "prism" || r == "prismrunner") && *jobopts.Endpoint == "" {
		// Beam 2.78's in-process Prism binds its job server to ":0", every
		// interface, with no option to narrow it.
		fmt.Fprintln(os.Stderr, "biogate-beam: warning: the in-process Prism runner's job server listens on every network interface (a random port) while the pipeline runs; use it behind a firewall that closes incoming ports, or the default direct runner, which opens no socket")
	}
	if err := run(context.Background(), cfg); err != nil {
		fmt.Fprintln(os.Stderr, "biogate-beam:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, cfg archive.Config) error {
	if err := cfg.Check(); err != nil {
		return err
	}
	beam.Init()
	p, s := beam.NewPipelineWithRoot()
	if err := archive.Build(s, cfg); err != nil {
		return err
	}
	_, err := beam.Run(ctx, *runners.Runner, p)
	return err
}
