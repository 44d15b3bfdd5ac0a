package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"iter"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/thresholds"
)

func init() {
	register.DoFn2x0[string, func(int, string)](&keyFn{})
	register.Emitter2[int, string]()
	register.DoFn4x1[context.Context, int, func(*string) bool, func(string), error](&shardFn{})
	register.Iter1[string]()
	register.Emitter1[string]()
	register.DoFn3x1[context.Context, []byte, func(*string) bool, error](&summaryFn{})
}

// Config is what the pipeline does: the CLI's flags of the same names.
type Config struct {
	// Manifest is the manifest file, or a glob of several (local, gs://,
	// s3://): one sample path per line; blank lines and lines starting
	// with # are skipped.
	Manifest string
	// Output is the prefix of the files written (see the package doc).
	Output string
	// Shards is the number of shard files, at least 1.
	Shards int
	// Workers is the number of samples of one shard assessed at a time
	// (the CLI's -j); 0 means 1.
	Workers int
	// Profile is an embedded profile name or a profile file; "" means
	// thresholds.Default.
	Profile string
	// Modality is "auto" (or ""), "face" or "finger".
	Modality string
	// Sets are profile overrides, KEY=VALUE.
	Sets []string
	// PPI, when above 0, replaces the resolution files declare.
	PPI float64
	// MaxPixels bounds the images decoded; 0 means load.DefaultMaxPixels.
	MaxPixels int
	// NFIQ2Model is NIST's NFIQ 2 random forest file, "" for the embedded model.
	NFIQ2Model string
	// Version is recorded in the summary as the tool's version.
	Version string
}

// ShardName is the name of shard i of n of the output prefix.
func ShardName(prefix string, i, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.jsonl", prefix, i, n)
}

// SummaryName is the name of the summary of the output prefix.
func SummaryName(prefix string) string { return prefix + "-summary.json" }

// ShardOf is the shard of path among n: FNV-64a of its bytes mod n, the
// split of 'biogate check -shard'.
func ShardOf(p string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(p))
	return int(h.Sum64() % uint64(n))
}

// Check validates cfg and builds its gate once, so that a mistyped flag
// fails before a job is submitted.
func (cfg Config) Check() error {
	switch {
	case cfg.Manifest == "":
		return errors.New("no manifest given")
	case cfg.Output == "":
		return errors.New("no output prefix given")
	case cfg.Shards < 1:
		return fmt.Errorf("%d shards: want at least 1", cfg.Shards)
	case cfg.Workers < 0:
		return fmt.Errorf("%d workers: want at least 1", cfg.Workers)
	}
	_, _, err := cfg.gate()
	return err
}

// profile resolves the profile with the overrides applied.
func (cfg Config) profile() (*thresholds.Profile, error) {
	name := cfg.Profile
	if name == "" {
		name = thresholds.Default
	}
	prof, err := thresholds.Resolve(name)
	if err != nil {
		return nil, err
	}
	for _, s := range cfg.Sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("-set %q: want KEY=VALUE", s)
		}
		if err := prof.Set(k, v); err != nil {
			return nil, err
		}
	}
	return prof, nil
}

// gate builds the gate the CLI builds for the same flags, reading paths
// with a scheme through Beam's file systems with open.
func (cfg Config) gate() (*gate.Gate, *fsCache, error) {
	prof, err := cfg.profile()
	if err != nil {
		return nil, nil, err
	}
	maxPixels := cfg.MaxPixels
	if maxPixels == 0 {
		maxPixels = load.DefaultMaxPixels
	}
	fsc := &fsCache{fs: map[string]filesystem.Interface{}}
	opts := &gate.Options{Load: &load.Options{MaxPixels: maxPixels, LimitHint: "raise it with -max-pixels"}, Overrides: cfg.Sets, Open: fsc.open}
	if cfg.Modality != "" && cfg.Modality != "auto" {
		m, err := quality.ParseModality(cfg.Modality)
		if err != nil {
			return nil, nil, fmt.Errorf("-modality: unknown modality %q (want auto, face or finger)", cfg.Modality)
		}
		opts.Modality = m
	}
	fopts := &finger.Options{}
	if cfg.NFIQ2Model != "" {
		m, err := finger.LoadNFIQ2Model(cfg.NFIQ2Model)
		if err != nil {
			return nil, nil, err
		}
		fopts.Model = m
	}
	fa, err := face.New(nil)
	if err != nil {
		return nil, nil, err
	}
	g, err := gate.New(prof, opts, &gate.Face{Assessor: fa}, &gate.Finger{Assessor: finger.New(fopts), PPI: cfg.PPI})
	return g, fsc, err
}

// fsCache holds one Beam file system per scheme, for the worker's life.
type fsCache struct {
	mu sync.Mutex
	fs map[string]filesystem.Interface
}

// open opens paths with a scheme (gs://, s3://) through Beam's file
// systems, and hands the others back to the gate (nil, nil), which reads
// them as the CLI does.
func (c *fsCache) open(ctx context.Context, p string) (io.ReadCloser, error) {
	scheme, _, ok := strings.Cut(p, "://")
	if !ok || scheme == "" || strings.ContainsAny(scheme, "/\\") {
		return nil, nil
	}
	c.mu.Lock()
	fs, ok := c.fs[scheme]
	if !ok {
		var err error
		if fs, err = filesystem.New(ctx, p); err != nil {
			c.mu.Unlock()
			return nil, err
		}
		c.fs[scheme] = fs
	}
	c.mu.Unlock()
	return fs.OpenRead(ctx, p)
}

// close closes the file systems opened.
func (c *fsCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, fs := range c.fs {
		fs.Close()
		delete(c.fs, k)
	}
}

// Build adds the pipeline to s.
func Build(s beam.Scope, cfg Config) error {
	if err := cfg.Check(); err != nil {
		return err
	}
	s = s.Scope("biogate")
	lines := textio.Read(s, cfg.Manifest)
	keyed := beam.ParDo(s, &keyFn{Shards: cfg.Shards}, lines)
	tallies := beam.ParDo(s, &shardFn{Cfg: cfg}, beam.GroupByKey(s, keyed))
	beam.ParDo0(s, &summaryFn{Cfg: cfg}, beam.Impulse(s), beam.SideInput{Input: tallies})
	return nil
}

// keyFn keys each manifest line by its shard, skipping blank lines and
// comments as the CLI's -from does.
type keyFn struct {
	Shards int
}

// ProcessElement keys one manifest line.
func (fn *keyFn) ProcessElement(line string, emit func(int, string)) {
	line = strings.TrimSuffix(line, "\r")
	if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
		return
	}
	emit(ShardOf(line, fn.Shards), line)
}

// errManifestStdin is the CLI's error for a manifest line "-".
var errManifestStdin = errors.New("standard input cannot be named in a manifest")

// shardFn assesses the paths of one shard and writes its file; it emits
// the shard's tally as JSON.
type shardFn struct {
	Cfg Config

	g   *gate.Gate
	fsc *fsCache
}

// Setup builds the gate once per worker.
func (fn *shardFn) Setup() error {
	var err error
	fn.g, fn.fsc, err = fn.Cfg.gate()
	return err
}

// Teardown closes the file systems opened.
func (fn *shardFn) Teardown() {
	if fn.fsc != nil {
		fn.fsc.close()
	}
}

// ProcessElement assesses the paths of shard and writes its file.
func (fn *shardFn) ProcessElement(ctx context.Context, shard int, paths func(*string) bool, emit func(string)) error {
	var ps []string
	var p string
	for paths(&p) {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	t, err := WriteShard(ctx, fn.g, ShardName(fn.Cfg.Output, shard, fn.Cfg.Shards), slices.Values(ps), max(fn.Cfg.Workers, 1))
	if err != nil {
		return err
	}
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	emit(string(b))
	return nil
}

// WriteShard assesses paths with g on workers goroutines and writes their
// reports, in order, as JSON Lines to the file name (local, or through a
// Beam file system for a name with a scheme), replacing it whole; it
// returns their tally.
func WriteShard(ctx context.Context, g *gate.Gate, name string, paths iter.Seq[string], workers int) (report.Tally, error) {
	var t report.Tally
	w, err := create(ctx, name)
	if err != nil {
		return t, err
	}
	defer w.abort()
	rw := report.NewWriter(w.buf, report.JSONL, report.Batch{})
	inputs := func(yield func(gate.Input) bool) {
		for p := range paths {
			in := gate.Input{Path: p}
			if p == load.Stdin {
				in.Err = errManifestStdin
			}
			if !yield(in) {
				return
			}
		}
	}
	var werr error
	err = g.RunSeq(ctx, inputs, workers, func(_ int, r gate.Report) {
		t.Add(r)
		if werr == nil {
			werr = rw.Add(r)
		}
	})
	if err == nil {
		err = werr
	}
	if err == nil {
		err = rw.Close()
	}
	if err == nil {
		err = w.commit(ctx)
	}
	if err != nil {
		return t, fmt.Errorf("shard %s: %w", path.Base(name), err)
	}
	return t, nil
}

// summaryFn merges the shards' tallies and writes the summary.
type summaryFn struct {
	Cfg Config
}

// ProcessElement writes the summary once, from the tallies.
func (fn *summaryFn) ProcessElement(ctx context.Context, _ []byte, tallies func(*string) bool) error {
	var all report.Tally
	var s string
	for tallies(&s) {
		var t report.Tally
		if err := json.Unmarshal([]byte(s), &t); err != nil {
			return err
		}
		all.Merge(t)
	}
	prof, err := fn.Cfg.profile()
	if err != nil {
		return err
	}
	return WriteSummary(ctx, SummaryName(fn.Cfg.Output), Summary(prof, fn.Cfg.Sets, fn.Cfg.Version, all))
}

// Summary is the batch holding the tally of a run with profile prof (and
// the overrides sets), the tool's version given: no samples, so that
// report.WriteHTML shows its counts and histograms.
func Summary(prof *thresholds.Profile, sets []string, version string, t report.Tally) report.Batch {
	ref := prof.Ref()
	ref.Overrides = sets
	if t.Summary.Reasons == nil {
		t.Summary.Reasons = map[string]int{}
	}
	return report.Batch{Tool: "biogate-beam", Version: version, Profile: ref, Thresholds: prof,
		Summary: t.Summary, Samples: []gate.Report{}, Tally: &t}
}

// WriteSummary writes b as indented JSON to name, replacing it whole.
func WriteSummary(ctx context.Context, name string, b report.Batch) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	w, err := create(ctx, name)
	if err != nil {
		return err
	}
	defer w.abort()
	if _, err := w.buf.Write(append(data, '\n')); err != nil {
		return err
	}
	return w.commit(ctx)
}
