package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/thresholds"
)

const reportUsage = `Usage: biogate report [flags] RESULTS.json

Render a batch written by 'biogate check -format json' (or -format jsonl) as
one self-contained HTML page: the profile used, counts per decision and per
reason, NFIQ 2 and inter-eye distance histograms with the thresholds drawn,
and a sortable table of the samples with what to do for each. The page needs
no network. Previews are read from the sample paths (relative to -root);
-no-thumbnails leaves every image out.

Flags:
`

// readBatchFile reads a JSON or JSON Lines batch from path ("-" for stdin).
func readBatchFile(path string, stdin io.Reader) (report.Batch, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return report.Batch{}, err
		}
		defer f.Close()
		r = f
	}
	b, err := report.ReadBatch(r)
	if err != nil {
		return report.Batch{}, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// writeOutputFile writes data to path, refusing to replace an existing file
// unless force; "" or "-" means stdout.
func writeOutputFile(path string, force bool, data []byte, stdout io.Writer) error {
	if path == "" || path == "-" {
		_, err := stdout.Write(data)
		return err
	}
	f, err := createPending(path, force)
	if err != nil {
		return err
	}
	defer f.discard()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.commit()
}

func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", "", "write the HTML to this file instead of standard output")
	force := fs.Bool("force", false, "allow -o to replace an existing file")
	noThumbs := fs.Bool("no-thumbnails", false, "leave out the sample previews (no image content in the page)")
	root := fs.String("root", "", "folder the sample paths are relative to, for the previews (default: the current folder)")
	title := fs.String("title", "", "page title (default \"biogate report\")")
	profileName := fs.String("profile", "", "take the thresholds to draw from this profile (an embedded name or a file) instead of the results")
	fs.Usage = func() {
		fmt.Fprint(stderr, reportUsage)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\nExit codes: 0 the page was written; 2 usage error, or the results could not be read or the page written.\n")
	}
	// Accept flags after the file name too.
	args = reorderFlags(fs, args)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitAccepted
		}
		return exitError
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "biogate report: "+format+"\n", a...)
		return exitError
	}
	if fs.NArg() != 1 {
		return fail("want exactly one RESULTS.json (run 'biogate report -h')")
	}
	b, err := readBatchFile(fs.Arg(0), os.Stdin)
	if err != nil {
		return fail("%v", err)
	}
	opts := &report.HTMLOptions{Title: *title, NoThumbnails: *noThumbs, Root: *root, Load: &load.Options{}}
	if *profileName != "" {
		p, err := thresholds.Resolve(*profileName)
		if err != nil {
			return fail("%v", err)
		}
		opts.Profile = p
	}
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, b, opts); err != nil {
		return fail("%v", err)
	}
	if err := writeOutputFile(*output, *force, buf.Bytes(), stdout); err != nil {
		return fail("%v", err)
	}
	return exitAccepted
}

// reorderFlags moves the flags of fs found after positional arguments in
// front of them, so "report results.json -o out.html" works like
// "report -o out.html results.json". A "--" ends the flags.
func reorderFlags(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}
