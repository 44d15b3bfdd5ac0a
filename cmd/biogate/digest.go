package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/internal/digest"
	"github.com/biogate/biogate/thresholds"
)

const digestUsage = `Usage: biogate digest [flags] [PATH...]

Assess every image under PATH (files, folders walked recursively, globs;
default: the reference corpus at BIOGATE_CORPUS or ../shared/corpus, and the
module's testdata) with the embedded default profile, and print the platform
digest: one line per value group with the exact bits of every measure,
minutia, face eye centre and landmark, score, check and decision (floats in
hexadecimal), sorted, then "# N samples, M values", then "sha256 " and the
SHA-256 of all the lines above it. Two builds agree on every value if and
only if their last lines are equal.

Flags:
`

func runDigest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	workers := fs.Int("j", runtime.NumCPU(), "number of samples assessed in parallel (the digest does not depend on it)")
	sumOnly := fs.Bool("sum", false, "print only the summary line and the sha256 line")
	base := fs.String("base", "", "name each file under this folder by its path relative to it (other files: relative to the parent of the PATH they were found under)")
	fs.Usage = func() {
		fmt.Fprint(stderr, digestUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitAccepted
		}
		return exitError
	}
	if *workers < 1 {
		fmt.Fprintln(stderr, "biogate digest: -j must be at least 1")
		return exitError
	}
	roots := fs.Args()
	if len(roots) == 0 {
		if roots = digest.DefaultRoots(); len(roots) == 0 {
			fmt.Fprintln(stderr, "biogate digest: no PATH given, and no corpus (BIOGATE_CORPUS) or testdata folder found")
			return exitError
		}
	}
	samples, err := digest.Expand(roots, *base)
	if err != nil {
		fmt.Fprintln(stderr, "biogate digest:", err)
		return exitError
	}
	if len(samples) == 0 {
		fmt.Fprintln(stderr, "biogate digest: no sample files")
		return exitError
	}
	assessors, err := newAssessors("", 0)
	if err != nil {
		fmt.Fprintln(stderr, "biogate digest:", err)
		return exitError
	}
	g, err := gate.New(thresholds.MustEmbedded(thresholds.Default), nil, assessors...)
	if err != nil {
		fmt.Fprintln(stderr, "biogate digest:", err)
		return exitError
	}
	d, err := digest.Run(ctx, g, samples, *workers)
	if err != nil {
		fmt.Fprintln(stderr, "biogate digest:", err)
		return exitError
	}
	if *sumOnly {
		_, err = fmt.Fprintf(stdout, "# %d samples, %d values\nsha256 %s\n", d.Samples(), d.Values(), d.Sum())
	} else {
		_, err = d.WriteTo(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "biogate digest:", err)
		return exitError
	}
	return exitAccepted
}
