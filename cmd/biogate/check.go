package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/term"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/thresholds"
)

// minPPI and maxPPI bound the resolutions finger.Assessor resamples to
// 500 ppi (see the finger package's doc); -ppi outside them is refused.
const minPPI, maxPPI = 300, 1200

type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, ",") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

const checkUsage = `Usage: biogate check [flags] PATH...
       biogate check [flags] -from LIST [PATH...]

Assess each image (files, folders walked recursively, glob patterns, and -
for standard input) and print one line per sample with its decision.
Unreadable or unsupported files, and paths that cannot be found or listed,
are reported per file as reject (input.unreadable) and never stop the run.

Flags:
`

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	profileName := fs.String("profile", thresholds.Default, "threshold profile: an embedded name ("+strings.Join(thresholds.Names(), ", ")+") or a YAML/JSON file")
	modality := fs.String("modality", "auto", "auto, face or finger")
	format := fs.String("format", "table", "output format: table, json, jsonl, csv or junit")
	output := fs.String("o", "", "write the report to this file instead of standard output, once the run completes (an interrupted run leaves no file; an existing file is not overwritten unless -force)")
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
	special := fs.Bool("allow-special", false, "read named pipes, devices and sockets given as PATH (refused otherwise, as reading one may never end); standard input, - or /dev/stdin, is always read")
	maxPixels := fs.Int("max-pixels", load.DefaultMaxPixels, "refuse images with more pixels than this (decompression-bomb guard)")
	exitZero := fs.Bool("exit-zero", false, "exit 0 once the run completes and its report is written, whatever the decisions and unreadable files (they are in the report): for job schedulers (a Kubernetes Job) that retry a failed exit; usage errors and interrupted runs still exit 2")
	arch := addArchiveFlags(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, checkUsage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nExit codes: 0 every sample accepted; 1 some sample needs a recapture or the operator's attention;\n2 usage error, some file could not be read or decoded or is too small to assess, or the run was interrupted.\n")
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
	if fs.NArg() == 0 && arch.from == "" {
		return usageErr("no PATH given, nor -from (run 'biogate check -h')")
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if given["ppi"] {
		// 0 and negative or non-finite values used to run as if unset.
		switch {
		case math.IsNaN(*ppi) || math.IsInf(*ppi, 0) || *ppi <= 0:
			return usageErr("-ppi %v: want the resolution in pixels per inch, a number above 0", *ppi)
		case *modality != "face" && (*ppi < minPPI || *ppi > maxPPI):
			return usageErr("-ppi %v: fingerprints are scored at 500 ppi and only %d to %d ppi can be resampled to it", *ppi, minPPI, maxPPI)
		}
	}
	if *maxPixels < 1 {
		return usageErr("-max-pixels %d: want a number of pixels of at least 1", *maxPixels)
	}
	// Report files are checked before the batch, not after it.
	for _, name := range []string{*output, *htmlOut} {
		if name == "" {
			continue
		}
		if err := checkOutput(name, *force); err != nil {
			return usageErr("%v", err)
		}
	}
	f, err := report.ParseFormat(*format)
	if err != nil {
		return usageErr("%v", err)
	}
	if err := arch.check(fs.Args(), f, *output, *htmlOut); err != nil {
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
	opts := &gate.Options{Load: &load.Options{MaxPixels: *maxPixels, LimitHint: "raise it with -max-pixels", AllowSpecial: *special}, Overrides: sets}
	if *modality != "auto" {
		m, err := quality.ParseModality(*modality)
		if err != nil {
			return usageErr("-modality: unknown modality %q (want auto, face or finger)", *modality)
		}
		opts.Modality = m
	}
	if *workers < 1 {
		return usageErr("-j must be at least 1")
	}

	// Paths that cannot be read stay in the list: each becomes a reject
	// (input.unreadable) in every format, so that CI shows it.
	inputs := arch.part.keep(gate.ExpandInputs(fs.Args()))
	unreadable := 0
	for _, in := range inputs {
		if in.Err != nil {
			unreadable++
			if *output != "" || f != report.Table {
				// The table on standard output shows it already.
				fmt.Fprintf(stderr, "biogate: %s: %v\n", in.Path, in.Err)
			}
		}
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

	// The manifest (-from) is read as the run goes; a -resume file is
	// read first and written in place.
	seq, err := arch.open(inputs, os.Stdin)
	if err != nil {
		fmt.Fprintln(stderr, "biogate:", err)
		return exitError
	}
	defer arch.close()
	// Report files are written under a temporary name and get their own
	// only when the run completes: an interrupted run must not leave a
	// report that looks complete.
	out := arch.out(stdout)
	var outFile, htmlFile *pendingFile
	if *output != "" {
		if outFile, err = createPending(*output, *force); err != nil {
			return usageErr("%v", err)
		}
		defer outFile.discard()
		out = outFile
	}
	if *htmlOut != "" {
		if htmlFile, err = createPending(*htmlOut, *force); err != nil {
			return usageErr("%v", err)
		}
		defer htmlFile.discard()
	}

	header := report.Batch{Tool: "biogate", Version: Version, Profile: g.Ref(), Thresholds: g.Profile()}
	w := report.NewWriter(out, f, header)
	w.ShowChecks = *verbose
	bar := newProgress(stderr, arch.total(), !*quiet && showProgress(stderr))
	var writeErr error
	var all []gate.Report
	assessed := 0 // input files with reports
	runErr := g.RunSeq(ctx, seq, *workers, func(i int, r gate.Report) {
		bar.clear()
		if writeErr == nil {
			writeErr = w.Add(r)
		}
		if writeErr == nil {
			writeErr = arch.added(r)
		}
		if htmlFile != nil {
			all = append(all, r)
		}
		assessed = i + 1
		bar.step(r.Path)
		if testHookReported != nil {
			testHookReported(assessed)
		}
	})
	bar.done()
	if runErr == nil {
		runErr = arch.err()
	}
	if runErr != nil {
		w.Interrupt(arch.files(), assessed)
	}
	if writeErr == nil {
		writeErr = w.Close()
	}
	if err := arch.close(); writeErr == nil {
		writeErr = err
	}
	if runErr != nil {
		// Nothing is kept on disk: the temporary files are removed.
		fmt.Fprintf(stderr, "biogate: stopped after %d of %d files: %v\n", assessed, arch.files(), runErr)
		if arch.resume != "" {
			fmt.Fprintf(stderr, "biogate: %s holds the reports so far: run the same command again to continue\n", arch.resume)
		}
		for _, p := range []*pendingFile{outFile, htmlFile} {
			if p != nil {
				fmt.Fprintf(stderr, "biogate: %s not written\n", p.name)
			}
		}
		return exitError
	}
	if writeErr == nil && htmlFile != nil {
		header.Samples, header.Summary = all, report.Summarize(all)
		writeErr = report.WriteHTML(htmlFile, header, &report.HTMLOptions{NoThumbnails: *noThumbs, Load: opts.Load})
	}
	for _, p := range []*pendingFile{outFile, htmlFile} {
		if writeErr == nil && p != nil {
			writeErr = p.commit()
		}
	}
	if writeErr != nil {
		fmt.Fprintln(stderr, "biogate: writing the report:", writeErr)
		return exitError
	}
	code := max(w.Summary().ExitCode(), arch.priorCode())
	if unreadable > 0 {
		code = exitError
	}
	if *exitZero {
		return exitAccepted
	}
	return code
}

// testHookReported, when set by a test, is called after each report check
// writes, with the number of input files assessed so far.
var testHookReported func(assessed int)

// pendingFile is an output file written under a temporary name beside its
// own and given that name only by commit: a run that is interrupted or
// fails leaves no file, never a partial one that looks complete.
type pendingFile struct {
	*os.File
	name      string
	force     bool
	committed bool
}

// existsError is the refusal to replace a file without -force.
func existsError(name string) error {
	return fmt.Errorf("%s exists: not overwriting it (use -force to replace it)", name)
}

// checkOutput refuses a report file name that names a folder (-force
// replaces files, never folders) or an existing file without force.
func checkOutput(name string, force bool) error {
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory: give a file name", name)
	}
	if _, err := os.Lstat(name); err == nil && !force {
		return existsError(name)
	}
	return nil
}

// createPending starts writing the file name; it refuses a name that
// exists unless force is set. The temporary file is locked (flock) while it
// is written, and temporary files of name that no process holds, left by
// a run killed with -9, are removed first (sweepPartials).
func createPending(name string, force bool) (*pendingFile, error) {
	if err := checkOutput(name, force); err != nil {
		return nil, err
	}
	sweepPartials(name)
	for {
		f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.partial")
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("cannot write %s: %w", name, err)
		}
		locked, err := lockPartial(f)
		if err == nil {
			err = f.Chmod(0o644)
		}
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, err
		}
		if locked {
			// A sweep by another run may have taken the file between
			// its creation and the lock: then it is gone; start over.
			st, serr := os.Lstat(f.Name())
			fst, ferr := f.Stat()
			if serr != nil || ferr != nil || !os.SameFile(st, fst) {
				f.Close()
				continue
			}
		}
		return &pendingFile{File: f, name: name, force: force}, nil
	}
}

// sweepPartials removes the temporary files of name (.NAME.*.partial)
// that no running process holds locked: those of a run killed with -9. A
// run still writing holds its lock, so its file stays. It does nothing
// where flock is not available (the files must then be removed by hand).
func sweepPartials(name string) (removed int) {
	// Not filepath.Glob on the name itself: it may hold * ? [ characters.
	dir, base := filepath.Dir(name), "."+filepath.Base(name)+"."
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(n, base) || !strings.HasSuffix(n, ".partial") {
			continue
		}
		p := filepath.Join(dir, n)
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if tryLockPartial(f) {
			if os.Remove(p) == nil {
				removed++
			}
		}
		f.Close()
	}
	return removed
}

// commit gives the file its name and closes it. Without force it never
// replaces a file that appeared in the meantime. The file keeps its lock
// until it has its name, so no sweep takes it.
func (p *pendingFile) commit() error {
	p.committed = true
	tmp := p.File.Name()
	fail := func(err error) error {
		p.Close()
		os.Remove(tmp)
		return err
	}
	if err := p.Sync(); err != nil {
		return fail(err)
	}
	if p.force {
		if err := os.Rename(tmp, p.name); err != nil {
			return fail(err)
		}
		return p.Close()
	}
	err := os.Link(tmp, p.name) // fails when the name exists
	switch {
	case err == nil:
		os.Remove(tmp)
		return p.Close()
	case errors.Is(err, os.ErrExist):
		return fail(existsError(p.name))
	}
	// No hard links on this file system: check, then rename.
	if _, serr := os.Lstat(p.name); serr == nil {
		return fail(existsError(p.name))
	}
	if err := os.Rename(tmp, p.name); err != nil {
		return fail(err)
	}
	return p.Close()
}

// discard removes the temporary file unless it was committed.
func (p *pendingFile) discard() {
	if !p.committed {
		p.committed = true
		p.Close()
		os.Remove(p.File.Name())
	}
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
	name := path
	if len(name) > 40 {
		name = "…" + name[len(name)-39:]
	}
	if p.n == 0 { // inputs read as the run goes (-from): no total
		fmt.Fprintf(p.w, "\r%d %-40s", p.i, name)
		return
	}
	fill := min(width, width*p.i/p.n) // a record gives several reports
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
