// Command gen writes the project's synthetic test fixtures (package synth's
// Fixtures) under a testdata folder:
//
//	go run ./synth/cmd/gen -out testdata [-force] [-check]
//
// Existing files are left alone unless -force is given; -check writes
// nothing and exits 1 when a committed file differs from what the
// generator produces (or is missing). Exit code 2 means a usage or I/O
// error.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/biogate/biogate/synth"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("gen", flag.ContinueOnError)
	fset.SetOutput(stderr)
	out := fset.String("out", "testdata", "testdata folder to write into")
	force := fset.Bool("force", false, "replace existing files")
	check := fset.Bool("check", false, "write nothing; exit 1 if a file differs or is missing")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	files, err := synth.FixtureFiles()
	if err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 2
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	stale, written, kept := 0, 0, 0
	for _, n := range names {
		p := filepath.Join(*out, filepath.FromSlash(n))
		old, err := os.ReadFile(p)
		exists := err == nil
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintln(stderr, "gen:", err)
			return 2
		}
		same := exists && bytes.Equal(old, files[n])
		if *check {
			if !same {
				fmt.Fprintf(stdout, "stale: %s\n", p)
				stale++
			}
			continue
		}
		if same || (exists && !*force) {
			if !same {
				fmt.Fprintf(stderr, "gen: %s differs; not replaced (use -force)\n", p)
				stale++
			}
			kept++
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fmt.Fprintln(stderr, "gen:", err)
			return 2
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			fmt.Fprintln(stderr, "gen:", err)
			return 2
		}
		fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", p, len(files[n]))
		written++
	}
	if *check {
		if stale > 0 {
			return 1
		}
		fmt.Fprintf(stdout, "%d files up to date\n", len(names))
		return 0
	}
	fmt.Fprintf(stdout, "%d written, %d unchanged or kept\n", written, kept)
	if stale > 0 {
		return 1
	}
	return 0
}
