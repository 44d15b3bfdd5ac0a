package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/biogate/biogate/report"
)

const diffUsage = `Usage: biogate diff [flags] BASELINE.json CURRENT.json

Compare two batches written by 'biogate check -format json' (or jsonl),
matching samples by path: list the samples whose decision flipped, whose
NFIQ 2 score or inter-eye distance (or a measure named with -measure) moved by
more than the tolerance, whose reason codes changed, and the samples added or
removed. Use it in CI to guard threshold, model or hardware changes.

Flags:
`

type measureFlags struct {
	names []string
	tol   map[string]float64
}

func (m *measureFlags) String() string { return strings.Join(m.names, ",") }

// Set takes NAME or NAME=TOLERANCE, comma-separated.
func (m *measureFlags) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, tol, hasTol := strings.Cut(part, "=")
		if hasTol {
			t, err := strconv.ParseFloat(tol, 64)
			if err != nil || t < 0 {
				return fmt.Errorf("bad tolerance %q for %s", tol, name)
			}
			if m.tol == nil {
				m.tol = map[string]float64{}
			}
			m.tol[name] = t
		}
		m.names = append(m.names, name)
	}
	return nil
}

func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tolerance := fs.Float64("tolerance", report.DefaultTolerance, "list a score or measure only when it moved by more than this (NFIQ 2 points, px of inter-eye distance, component points)")
	format := fs.String("format", "table", "output format: table or json")
	output := fs.String("o", "", "write the comparison to this file instead of standard output")
	force := fs.Bool("force", false, "allow -o to replace an existing file")
	strict := fs.Bool("strict", false, "exit 1 on any change (moves, reason changes, added or removed samples), not only on flipped decisions")
	var measures measureFlags
	fs.Var(&measures, "measure", "also compare this measure, NAME or NAME=TOLERANCE (repeatable or comma-separated; its 0-100 component where both have one), e.g. -measure Sharpness=5; 'score' and 'InterEyeDistance' take a tolerance this way too")
	fs.Usage = func() {
		fmt.Fprint(stderr, diffUsage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nExit codes: 0 no decision flipped; 1 some decision flipped (with -strict: anything changed);\n2 usage error, or a batch could not be read.\n")
	}
	args = reorderFlags(fs, args)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitAccepted
		}
		return exitError
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "biogate diff: "+format+"\n", a...)
		return exitError
	}
	if fs.NArg() != 2 {
		return fail("want BASELINE.json and CURRENT.json (run 'biogate diff -h')")
	}
	if *tolerance < 0 {
		return fail("-tolerance must not be negative")
	}
	if *format != "table" && *format != "json" {
		return fail("unknown format %q (want table or json)", *format)
	}
	base, err := readBatchFile(fs.Arg(0), os.Stdin)
	if err != nil {
		return fail("%v", err)
	}
	cur, err := readBatchFile(fs.Arg(1), os.Stdin)
	if err != nil {
		return fail("%v", err)
	}
	d := report.Diff(base, cur, report.DiffOptions{Tolerance: *tolerance, Measures: measures.names, MeasureTolerance: measures.tol})
	var buf bytes.Buffer
	if *format == "json" {
		err = report.WriteDiffJSON(&buf, d)
	} else {
		err = report.WriteDiffTable(&buf, d)
	}
	if err == nil {
		err = writeOutputFile(*output, *force, buf.Bytes(), stdout)
	}
	if err != nil {
		return fail("%v", err)
	}
	if *strict && !d.Unchanged() {
		return exitAttention
	}
	return d.ExitCode()
}
