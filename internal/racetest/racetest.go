// Package racetest helps tests show that the race detector still sees
// code whose inner loops are marked //go:norace and declare their memory
// accesses in bulk instead (internal/nn's kernels, face/internal/pico's
// scan).
//
// A test calls [Child] first: in the child process it runs the racy code
// and returns; in the parent, [ExpectRace] re-runs the test binary on that
// test alone, as the child, and fails unless the detector stopped it with
// a data race report.
package racetest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// childEnv marks the child process started by [ExpectRace].
const childEnv = "BIOGATE_RACETEST_CHILD"

// Child reports whether this process is the child [ExpectRace] started for
// the named test: the test then runs its racy code and returns.
func Child(name string) bool { return os.Getenv(childEnv) == name }

// ExpectRace runs the current test binary on test name alone, as a child
// (see [Child]), with the detector set to halt on the first report, and
// fails t unless the child failed with a data race report whose text holds
// every string in want. It returns the child's output.
func ExpectRace(t testing.TB, name string, want ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+name, "GORACE=halt_on_error=1")
	b, err := cmd.CombinedOutput()
	out := string(b)
	if err == nil {
		t.Fatalf("the race detector reported nothing in %s:\n%s", name, out)
	}
	for _, w := range append([]string{"WARNING: DATA RACE"}, want...) {
		if !strings.Contains(out, w) {
			t.Fatalf("%s failed without a data race report holding %q:\n%s", name, w, out)
		}
	}
	return out
}
