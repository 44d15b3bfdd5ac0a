package library_test

import (
	"os"
	"strings"
	"testing"
)

// snippet returns the lines of text after the line holding begin up to
// end, each without its indentation, trailing blank lines dropped.
func snippet(t *testing.T, text, begin, end string) []string {
	t.Helper()
	_, after, ok := strings.Cut(text, begin)
	if !ok {
		t.Fatalf("no %q", begin)
	}
	_, after, _ = strings.Cut(after, "\n") // rest of the marker's line
	body, _, ok := strings.Cut(after, end)
	if !ok {
		t.Fatalf("no %q after %q", end, begin)
	}
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// TestREADMESnippet checks that the README's "Using the library" snippet is
// the body of assess in example_test.go, which Example compiles and runs:
// the snippet in the README once discarded errors and panicked on a 1×1
// image.
func TestREADMESnippet(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Using the library")
	if !ok {
		t.Fatal(`README has no "## Using the library" section`)
	}
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	got := snippet(t, section, "```go", "```")
	want := snippet(t, string(src), "// README begin", "// README end")
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Fatalf("README snippet line %d is %q, example_test.go has %q: copy the body of assess (between the README markers) into the README", i+1, g, w)
		}
	}
}
