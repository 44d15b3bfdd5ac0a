package main

import (
	"fmt"
	"io"

	"github.com/biogate/biogate/thresholds"
)

func runProfiles(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		for _, n := range thresholds.Names() {
			p := thresholds.MustEmbedded(n)
			fmt.Fprintf(stdout, "%-10s %-8s %s\n", p.Name, p.Version, p.Description)
		}
		return exitAccepted
	}
	p, err := thresholds.Resolve(args[0])
	if err != nil {
		fmt.Fprintln(stderr, "biogate:", err)
		return exitError
	}
	b, err := p.Marshal()
	if err != nil {
		fmt.Fprintln(stderr, "biogate:", err)
		return exitError
	}
	_, _ = stdout.Write(b)
	return exitAccepted
}
