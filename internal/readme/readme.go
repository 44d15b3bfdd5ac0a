// Package readme lets tests hold the figures that README.md states to the
// figures the tests measure, so that a figure in the README cannot drift
// from the command that produces it.
//
// A test measures a figure, formats the README's sentence with it, and
// calls [Require]: the test fails when README.md does not say exactly that
// (whitespace and line breaks aside).
package readme

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Text returns README.md of the module that contains the working
// directory, with every run of white space (line breaks included) turned
// into one space.
func Text(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("readme: no go.mod above the working directory")
		}
		dir = parent
	}
	b, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		tb.Fatal(err)
	}
	return Normalize(string(b))
}

// Normalize turns every run of white space in s into one space.
func Normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// Require fails the test unless README.md contains phrase (compared with
// white space normalised), naming the phrase so that the README can be
// corrected to what was measured.
func Require(tb testing.TB, phrase string) {
	tb.Helper()
	if !strings.Contains(Text(tb), Normalize(phrase)) {
		tb.Errorf("README.md does not say %q, which is what this test measured: update the README", Normalize(phrase))
	}
}

// Sci formats v as README writes small figures: two significant digits,
// exponent without leading zeros ("7.6e-5", "0.25").
func Sci(v float64) string {
	s := strconv.FormatFloat(v, 'g', 2, 64)
	s = strings.Replace(s, "e-0", "e-", 1)
	return strings.Replace(s, "e+0", "e+", 1)
}
