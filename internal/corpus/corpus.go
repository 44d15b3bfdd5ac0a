// Package corpus locates the shared reference corpus for tests.
//
// The corpus (real images and NIST reference tables) is never committed to
// this repository. Tests find it through the BIOGATE_CORPUS environment
// variable, or ../shared/corpus beside the module root when that exists, and
// skip with a clear message where it is absent.
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar names the environment variable that points at the corpus folder.
const EnvVar = "BIOGATE_CORPUS"

// Path returns the corpus folder, or "" when none is available.
func Path() string {
	if p := os.Getenv(EnvVar); p != "" {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		return ""
	}
	root := moduleRoot()
	if root == "" {
		return ""
	}
	p := filepath.Join(root, "..", "shared", "corpus")
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return filepath.Clean(p)
	}
	return ""
}

// Dir returns the sub-folder sub of the corpus, joined with elem, and skips
// the test when the corpus or that folder is absent.
func Dir(tb testing.TB, elem ...string) string {
	tb.Helper()
	p := Path()
	if p == "" {
		if Required() {
			tb.Fatalf("reference corpus not found and BIOGATE_CORPUS_REQUIRED=1: set %s", EnvVar)
		}
		tb.Skipf("reference corpus not found: set %s or place it at ../shared/corpus beside the module", EnvVar)
	}
	p = filepath.Join(append([]string{p}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if Required() {
			tb.Fatalf("reference corpus folder %s not found: %v", p, err)
		}
		tb.Skipf("reference corpus folder %s not found: %v", p, err)
	}
	return p
}

// Required reports whether corpus tests must not skip: set
// BIOGATE_CORPUS_REQUIRED=1 (as .ci/run does) to turn a missing corpus into a
// failure instead of a skip.
func Required() bool { return os.Getenv("BIOGATE_CORPUS_REQUIRED") == "1" }

func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Missing ends the test for a corpus file that could not be read: it fails
// when the corpus is required (Required) and skips otherwise. A corpus
// that is present but incomplete, or a mistyped BIOGATE_CORPUS, must not
// pass as a green run in CI.
func Missing(tb testing.TB, err error) {
	tb.Helper()
	if Required() {
		tb.Fatalf("reference corpus file missing and BIOGATE_CORPUS_REQUIRED=1: %v", err)
	}
	tb.Skipf("reference corpus file missing: %v", err)
}
