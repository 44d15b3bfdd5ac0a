package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"golang.org/x/term"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/thresholds"
)

type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, ",") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

const checkUsage = `Usage: biogate check [flags] PATH...

Assess each image (files, folders walked recursively, and glob patterns) and
print one line per sample with its decision. Unreadable or unsupported files
are reported per file and never stop the run.

Flags:
`

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	profileName := fs.String("profile", thresholds.Default, "threshold profile: an embedded name ("+strings.Join(thresholds.Names(), ", ")+") or a YAML/JSON file")
	modality := fs.String("modality", "auto", "auto, face or finger")
	format := fs.String("format", "table", "output format: table, json, jsonl, csv or junit")
	output := fs.String("o", "", "write the report to this file instead of standard output (an existing file is not overwritten unless -force)")
	force := fs.Bool("force", false, "allow -o to replace an existing file")
	workers := fs.Int("j", runtime.NumCPU(), "number of samples assessed in parallel")
	quiet := fs.Bool("q", false, "no progress bar")
	verbose := fs.Bool("v", false, "table format: list every check of each sample with its value and threshold")
	var sets setFlags
	fs.Var(&sets, "set", "override a profile value, KEY=VALUE (repeatable), e.g. -set face.min_inter_eye_px=100")
	model := fs.String("nfiq2-model", "", "NIST's NFIQ 2 random forest file (nist_plain_tir-ink.yaml) to score fingerprints with, instead of the embedded nfiq2-compatible model")
	ppi := fs.Float64("ppi", 0, "resolution of every input in pixels per inch, replacing what the files declare (fingerprints are scored at 500 ppi)")
	htmlOut := fs.String("html", "", "also write a self-contained HTML report to this file (never overwrites an existing file unless -force)")
	noThumbs := fs.Bool("no-thumbnails", false, "with -html: no image thumbnails in the page (privacy)")
	maxPixels := fs.Int("max-pixels", load.DefaultMaxPixels, "refuse images with more pixels than this (decompression-bomb guard)")
	fs.Usage = func() {
		fmt.Fprint(stderr, checkUsage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nExit codes: 0 every sample accepted; 1 some sample needs a recapture or the operator's attention;\n2 usage error, or some file could not be read or decoded.\n")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitAccepted
		}
		return exitError
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "biogate check: "+format+"\n", a...)
		return exitError
	}
	if fs.NArg() == 0 {
		return usageErr("no PATH given (run 'biogate check -h')")
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return usageErr("%v", err)
	}
	prof, err := thresholds.Resolve(*profileName)
	if err != nil {
		return usageErr("%v", err)
	}
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return usageErr("-set %q: want KEY=VALUE", s)
		}
		if err := prof.Set(k, v); err != nil {
			return usageErr("%v", err)
		}
	}
	opts := &gate.Options{Load: &load.Options{MaxPixels: *maxPixels}, Overrides: sets}
	if *modality != "auto" {
		m, err := quality.ParseModality(*modality)
		if err != nil {
			return usageErr("-modality: %v", err)
		}
		opts.Modality = m
	}
	if *workers < 1 {
		return usageErr("-j must be at least 1")
	}

	paths, errs := gate.Expand(fs.Args())
	for _, e := range errs {
		fmt.Fprintln(stderr, "biogate:", e)
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "biogate: no sample files to check")
		return exitError
	}

	assessors, err := newAssessors(*model, *ppi)
	if err != nil {
		fmt.Fprintln(stderr, "biogate:", err)
		return exitError
	}
	g, err := gate.New(prof, opts, assessors...)
	if err != nil {
		fmt.Fprintln(stderr, "biogate:", err)
		return exitError
	}

	out := stdout
	if *output != "" {
		fh, err := create(*output, *force)
		if err != nil {
			return usageErr("%v", err)
		}
		defer fh.Close()
		out = fh
	}
	var htmlFile *os.File
	if *htmlOut != "" {
		if htmlFile, err = create(*htmlOut, *force); err != nil {
			return usageErr("%v", err)
		}
		defer htmlFile.Close()
	}

	header := report.Batch{Tool: "biogate", Version: Version, Profile: g.Profile().Ref(), Thresholds: g.Profile()}
	w := report.NewWriter(out, f, header)
	w.ShowChecks = *verbose
	bar := newProgress(stderr, len(paths), !*quiet && showProgress(stderr))
	var writeErr error
	var all []gate.Report
	runErr := g.Run(ctx, paths, *workers, func(i int, r gate.Report) {
		bar.clear()
		if writeErr == nil {
			writeErr = w.Add(r)
		}
		if htmlFile != nil {
			all = append(all, r)
		}
		bar.step(r.Path)
	})
	bar.done()
	if writeErr == nil {
		writeErr = w.Close()
	}
	if writeErr == nil && htmlFile != nil {
		header.Samples, header.Summary = all, report.Summarize(all)
		writeErr = report.WriteHTML(htmlFile, header, &report.HTMLOptions{NoThumbnails: *noThumbs, Load: opts.Load})
	}
	if writeErr != nil {
		fmt.Fprintln(stderr, "biogate: writing the report:", writeErr)
		return exitError
	}
	if runErr != nil {
		fmt.Fprintln(stderr, "biogate: stopped:", runErr)
		return exitError
	}
	code := w.Summary().ExitCode()
	if len(errs) > 0 {
		code = exitError
	}
	return code
}

// create opens a new file for writing; it refuses to replace an existing
// file unless force is set.
func create(name string, force bool) (*os.File, error) {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(name, flags, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s exists: not overwriting it (use -force to replace it)", name)
	}
	return f, err
}

// showProgress reports whether w is a terminal and CI is not set.
func showProgress(w io.Writer) bool {
	if os.Getenv("CI") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

type progress struct {
	w      io.Writer
	n, i   int
	active bool
}

func newProgress(w io.Writer, n int, active bool) *progress {
	return &progress{w: w, n: n, active: active}
}

func (p *progress) step(path string) {
	p.i++
	if !p.active {
		return
	}
	const width = 30
	fill := width * p.i / max(1, p.n)
	name := path
	if len(name) > 40 {
		name = "…" + name[len(name)-39:]
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d %-40s", strings.Repeat("#", fill), strings.Repeat(" ", width-fill), p.i, p.n, name)
}

func (p *progress) clear() {
	if p.active {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 80))
	}
}

func (p *progress) done() {
	if p.active {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 80))
	}
}
