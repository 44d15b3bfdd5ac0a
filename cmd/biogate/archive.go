package main

// Large archives: inputs from a manifest read as a stream (-from), a
// stable split of the inputs among processes (-shard), and a JSON Lines
// report that an interrupted run continues (-resume).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/report"
)

// archiveFlags holds check's -from, -shard and -resume.
type archiveFlags struct {
	from, shard, resume string

	part shard // parsed -shard; N == 0 when not given

	manifest *manifest   // set by open when -from is given
	rf       *resumeFile // set by open when -resume is given
	fixed    int         // inputs given as arguments (after -shard)
}

func addArchiveFlags(fs *flag.FlagSet) *archiveFlags {
	a := &archiveFlags{}
	fs.StringVar(&a.from, "from", "", "also read the inputs from this manifest, one file path per line (blank lines and lines starting with # skipped), - for standard input; read as the run goes")
	fs.StringVar(&a.shard, "shard", "", "I/N: assess only the inputs whose path falls in part I of N (0 <= I < N; FNV-64a of the path mod N), so N processes share a run with no coordination")
	fs.StringVar(&a.resume, "resume", "", "with -format jsonl: write the report to this file in place, synced as it goes, and first skip the inputs it already reports (created when missing); rerun the same command after an interruption, even kill -9")
	return a
}

// check validates the flags against the rest of the command line; its
// errors are usage errors.
func (a *archiveFlags) check(args []string, f report.Format, output, html string) error {
	if a.shard != "" {
		p, err := parseShard(a.shard)
		if err != nil {
			return err
		}
		a.part = p
	}
	if a.from == "-" {
		for _, arg := range args {
			if arg == "-" {
				return errors.New("-from - reads the manifest from standard input: it cannot be a sample (-) too")
			}
		}
	}
	if a.resume == "" {
		return nil
	}
	switch {
	case f != report.JSONL:
		return fmt.Errorf("-resume continues a JSON Lines report: add -format jsonl")
	case output != "":
		return fmt.Errorf("-resume %s is the report file: drop -o", a.resume)
	case html != "":
		return fmt.Errorf("-html cannot be combined with -resume: render the finished report with 'biogate report %s'", a.resume)
	}
	if st, err := os.Stat(a.resume); err == nil && !st.Mode().IsRegular() {
		return fmt.Errorf("-resume %s: not a regular file", a.resume)
	}
	return nil
}

// shard is part I of N.
type shard struct{ I, N uint64 }

// parseShard parses "I/N" with 0 <= I < N.
func parseShard(s string) (shard, error) {
	bad := func(why string) (shard, error) {
		return shard{}, fmt.Errorf("-shard %q: %s (want I/N with 0 <= I < N, e.g. 0/4)", s, why)
	}
	is, ns, ok := strings.Cut(s, "/")
	if !ok {
		return bad("no /")
	}
	i, err := strconv.ParseUint(is, 10, 64)
	if err != nil {
		return bad("I is not a whole number")
	}
	n, err := strconv.ParseUint(ns, 10, 64)
	if err != nil {
		return bad("N is not a whole number")
	}
	if n == 0 {
		return bad("N must be at least 1")
	}
	if i >= n {
		return bad("I must be below N")
	}
	return shard{i, n}, nil
}

// has reports whether path is in the part: FNV-64a of the path's bytes,
// mod N, is I. The split depends on the path as written, nothing else.
func (p shard) has(path string) bool {
	if p.N <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(path))
	return h.Sum64()%p.N == p.I
}

// keep filters inputs to the part, in place.
func (p shard) keep(inputs []gate.Input) []gate.Input {
	out := inputs[:0]
	for _, in := range inputs {
		if p.has(in.Path) {
			out = append(out, in)
		}
	}
	return out
}

// manifest reads input paths, one per line, as the run takes them.
type manifest struct {
	r     io.Reader
	close func() error
	taken atomic.Int64 // inputs taken so far
	err   error        // read error, set before the sequence ends
}

// errManifestStdin is the error of a manifest line "-".
var errManifestStdin = errors.New("standard input cannot be named in a manifest")

// manifestInputs yields one input per line of r: the line without its
// line ending (\n or \r\n), taken as written (no glob, no folder walk);
// blank lines and lines whose first non-blank character is # are
// skipped. A line "-" is an unreadable input. A read error ends the
// sequence and is stored in *errp.
func manifestInputs(r io.Reader, errp *error) iter.Seq[gate.Input] {
	return func(yield func(gate.Input) bool) {
		br := bufio.NewReader(r)
		for {
			line, err := br.ReadString('\n')
			if line != "" {
				line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
				t := strings.TrimSpace(line)
				if t != "" && !strings.HasPrefix(t, "#") {
					in := gate.Input{Path: line}
					if line == load.Stdin {
						in.Err = errManifestStdin
					}
					if !yield(in) {
						return
					}
				}
			}
			if err != nil {
				if err != io.EOF {
					*errp = err
				}
				return
			}
		}
	}
}

// open prepares the inputs: the arguments' inputs (already filtered by
// -shard), then the manifest's lines in the part, less those the -resume
// file already reports. Its errors end the run before it starts.
func (a *archiveFlags) open(fixed []gate.Input, stdin io.Reader) (iter.Seq[gate.Input], error) {
	a.fixed = len(fixed)
	seq := func(yield func(gate.Input) bool) {
		for _, in := range fixed {
			if !yield(in) {
				return
			}
		}
		if a.manifest == nil {
			return
		}
		for in := range manifestInputs(a.manifest.r, &a.manifest.err) {
			if !a.part.has(in.Path) {
				continue
			}
			a.manifest.taken.Add(1)
			if !yield(in) {
				return
			}
		}
	}
	if a.from != "" {
		m := &manifest{r: stdin, close: func() error { return nil }}
		if a.from != "-" {
			f, err := os.Open(a.from)
			if err != nil {
				return nil, fmt.Errorf("cannot read the manifest: %w", err)
			}
			if st, err := f.Stat(); err == nil && st.IsDir() {
				f.Close()
				return nil, fmt.Errorf("cannot read the manifest %s: it is a folder", a.from)
			}
			m.r, m.close = f, f.Close
		}
		a.manifest = m
	}
	if a.resume == "" {
		return seq, nil
	}
	rf, err := openResume(a.resume)
	if err != nil {
		a.close()
		return nil, err
	}
	rest, err := rf.skip(seq)
	if err != nil {
		rf.f.Close()
		a.close()
		return nil, err
	}
	a.rf = rf
	return rest, nil
}

// total is the number of inputs of the run when known before it starts
// (no manifest), 0 otherwise.
func (a *archiveFlags) total() int {
	if a.manifest != nil {
		return 0
	}
	return a.fixed - a.skipped()
}

// files is the number of inputs the run was to assess, as far as known:
// with a manifest, those taken from it so far.
func (a *archiveFlags) files() int {
	n := a.fixed
	if a.manifest != nil {
		n += int(a.manifest.taken.Load())
	}
	return n - a.skipped()
}

func (a *archiveFlags) skipped() int {
	if a.rf == nil {
		return 0
	}
	return a.rf.skipped
}

// err is the manifest's read error, if any.
func (a *archiveFlags) err() error {
	if a.manifest != nil && a.manifest.err != nil {
		return fmt.Errorf("reading the manifest: %w", a.manifest.err)
	}
	return nil
}

// out is where the report goes: the -resume file, or w.
func (a *archiveFlags) out(w io.Writer) io.Writer {
	if a.rf != nil {
		return a.rf
	}
	return w
}

// added is called after each report is added to the writer.
func (a *archiveFlags) added(r gate.Report) error {
	if a.rf == nil {
		return nil
	}
	return a.rf.added(r)
}

// priorCode is the exit code of the reports the -resume file held.
func (a *archiveFlags) priorCode() int {
	if a.rf == nil {
		return exitAccepted
	}
	return a.rf.prior.ExitCode()
}

// close ends reading the manifest and writing the -resume file.
func (a *archiveFlags) close() error {
	var err error
	if a.manifest != nil {
		a.manifest.close()
	}
	if a.rf != nil && !a.rf.closed {
		a.rf.closed = true
		err = a.rf.close()
	}
	return err
}

// syncEvery is how often the -resume file is synced to disk at most: a
// crash of the machine loses at most this much work, redone on resume (a
// killed process loses none of what it wrote).
const syncEvery = time.Second

// resumeFile is a JSON Lines report written in place: the reports of one
// input are written with one write call once all are known, so that a
// killed run leaves whole inputs and at most one torn last line, which the
// next run drops.
type resumeFile struct {
	f        *os.File
	name     string
	buf      bytes.Buffer // reports of the current input
	prior    report.Summary
	skipped  int // inputs the file already reported
	lastSync time.Time
	closed   bool
}

func openResume(name string) (*resumeFile, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", name, err)
	}
	if err := lockResume(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot resume %s: %w", name, err)
	}
	return &resumeFile{f: f, name: name, lastSync: time.Now()}, nil
}

// reported is what resuming reads of each line of the file.
type reported struct {
	Path     string           `json:"path"`
	Record   *load.Record     `json:"record"`
	Decision quality.Decision `json:"decision"`
}

// lines reads a report file line by line, keeping the offset.
type lines struct {
	br  *bufio.Reader
	off int64 // offset of the next line
	n   int   // lines read
}

// next returns the next whole line parsed; ok is false at the end of the
// whole lines (a torn last line is not returned). A whole line that is not
// a report is an error.
func (l *lines) next() (r reported, ok bool, err error) {
	b, err := l.br.ReadBytes('\n')
	if err == io.EOF {
		return r, false, nil // nothing, or a torn line
	}
	if err != nil {
		return r, false, err
	}
	l.n++
	l.off += int64(len(b))
	if err := json.Unmarshal(b, &r); err != nil || r.Path == "" {
		return r, false, fmt.Errorf("line %d is not a biogate report: resume only a file written by check -resume", l.n)
	}
	return r, true, nil
}

// skip reads the file against the inputs in order: each input whose
// reports the file holds whole is skipped (its path must match: a resume
// needs the same inputs, in the same order, and the same -shard); the file
// is cut after the last whole input, dropping a torn line or the partial
// reports of a record, and the sequence of the inputs left is returned.
func (rf *resumeFile) skip(inputs iter.Seq[gate.Input]) (iter.Seq[gate.Input], error) {
	next, stop := iter.Pull(inputs)
	l := &lines{br: bufio.NewReaderSize(rf.f, 1<<16)}
	var keep int64 // end of the last whole input
	var pending *gate.Input
	for {
		r, ok, err := l.next()
		if err != nil {
			stop()
			return nil, fmt.Errorf("cannot resume %s: %w", rf.name, err)
		}
		if !ok {
			break
		}
		in, more := next()
		if !more {
			stop()
			return nil, fmt.Errorf("cannot resume %s: it reports more inputs than given (line %d, %s): resume with the same inputs and -shard", rf.name, l.n, r.Path)
		}
		if r.Path != in.Path {
			stop()
			return nil, fmt.Errorf("cannot resume %s: line %d reports %s where input %d is %s: resume with the same inputs, in the same order, and the same -shard", rf.name, l.n, r.Path, rf.skipped+1, in.Path)
		}
		if r.Record != nil && r.Record.Index != 0 {
			stop()
			return nil, fmt.Errorf("cannot resume %s: line %d starts record %s at image %d, not 0", rf.name, l.n, in.Path, r.Record.Index)
		}
		group := []reported{r}
		whole := true
		if rec := r.Record; rec != nil && rec.Index == 0 && rec.Count > 1 {
			// A record's images: Count lines, or a partial write.
			for k := 1; k < rec.Count; k++ {
				r, ok, err := l.next()
				if err != nil {
					stop()
					return nil, fmt.Errorf("cannot resume %s: %w", rf.name, err)
				}
				if !ok {
					whole = false
					break
				}
				if r.Path != in.Path || r.Record == nil || r.Record.Index != k {
					stop()
					return nil, fmt.Errorf("cannot resume %s: line %d breaks the reports of record %s", rf.name, l.n, in.Path)
				}
				group = append(group, r)
			}
		}
		if !whole {
			pending = &in
			break
		}
		for _, g := range group {
			rf.prior.Add(g.Decision)
		}
		rf.skipped++
		keep = l.off
	}
	if err := rf.f.Truncate(keep); err != nil {
		stop()
		return nil, fmt.Errorf("cannot resume %s: %w", rf.name, err)
	}
	if _, err := rf.f.Seek(keep, io.SeekStart); err != nil {
		stop()
		return nil, fmt.Errorf("cannot resume %s: %w", rf.name, err)
	}
	if err := rf.f.Sync(); err != nil {
		stop()
		return nil, fmt.Errorf("cannot resume %s: %w", rf.name, err)
	}
	return func(yield func(gate.Input) bool) {
		defer stop()
		if pending != nil && !yield(*pending) {
			return
		}
		for {
			in, ok := next()
			if !ok || !yield(in) {
				return
			}
		}
	}, nil
}

// Write collects the lines of the current input.
func (rf *resumeFile) Write(p []byte) (int, error) { return rf.buf.Write(p) }

// added writes the input's reports once its last one is added.
func (rf *resumeFile) added(r gate.Report) error {
	if rec := r.Record; rec != nil && rec.Index < rec.Count-1 {
		return nil
	}
	_, err := rf.f.Write(rf.buf.Bytes())
	rf.buf.Reset()
	if err == nil && time.Since(rf.lastSync) >= syncEvery {
		err = rf.f.Sync()
		rf.lastSync = time.Now()
	}
	return err
}

// close syncs and closes the file; reports of an input not yet complete
// (an interrupted run) are not written.
func (rf *resumeFile) close() error {
	err := rf.f.Sync()
	if cerr := rf.f.Close(); err == nil {
		err = cerr
	}
	return err
}
