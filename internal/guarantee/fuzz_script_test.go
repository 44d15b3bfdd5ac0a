//go:build unix

package guarantee

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fuzzScript runs scripts/fuzz.sh with FUZZ_DRY_RUN set (list, do not
// fuzz) and the given arguments, for at most 20 s, and returns its exit code
// and output. The whole process group is killed on timeout, so that a
// script that went on to fuzz leaves no fuzzer behind.
func fuzzScript(t *testing.T, args ...string) (code int, out string) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{"../../scripts/fuzz.sh"}, args...)...)
	cmd.Env = append(os.Environ(), "FUZZ_DRY_RUN=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "scripts/fuzz.sh %v did not return within 20 s (it fuzzed instead of refusing or listing):\n%s", args, buf.String())
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), buf.String()
	}
	require.NoError(t, err)
	return 0, buf.String()
}

// TestFuzzBudgetsAreCounts checks that scripts/fuzz.sh takes only counts of
// executions (3000x): a time budget (10m) reports a count that depends on
// the machine's load, so it is refused before anything runs.
func TestFuzzBudgetsAreCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs scripts/fuzz.sh")
	}
	line := regexp.MustCompile(`^fuzz \./\S+ Fuzz\w+ \(([0-9]+)x\)$`)
	tests := []struct {
		args   []string
		code   int
		budget string // every listed target's budget, "" for any count
	}{
		{nil, 0, ""},
		{[]string{"3000x"}, 0, ""},
		{[]string{"200000x"}, 0, "200000"},
		{[]string{"10m"}, 2, ""},
		{[]string{"90s"}, 2, ""},
		{[]string{"1h30m"}, 2, ""},
		{[]string{"0x"}, 2, ""},
		{[]string{"x"}, 2, ""},
		{[]string{"3000"}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(append([]string{"budget"}, tt.args...), " "), func(t *testing.T) {
			code, out := fuzzScript(t, tt.args...)
			assert.Equal(t, tt.code, code, out)
			if tt.code != 0 {
				assert.Contains(t, out, "not a count of executions")
				assert.NotContains(t, out, "fuzz ./", "nothing is listed or run")
				return
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			assert.Greater(t, len(lines), 5, "the module's fuzz targets are listed")
			for _, l := range lines {
				m := line.FindStringSubmatch(l)
				if !assert.NotNil(t, m, "line %q", l) {
					continue
				}
				if tt.budget != "" {
					assert.Equal(t, tt.budget, m[1], l)
				}
			}
		})
	}
}

// TestCIFuzzesWithCounts checks that .ci/run calls scripts/fuzz.sh with a
// count budget.
func TestCIFuzzesWithCounts(t *testing.T) {
	ci, err := os.ReadFile("../../.ci/run")
	require.NoError(t, err)
	calls := regexp.MustCompile(`(?m)^\s*scripts/fuzz\.sh(.*)$`).FindAllStringSubmatch(string(ci), -1)
	require.NotEmpty(t, calls, ".ci/run runs scripts/fuzz.sh")
	for _, c := range calls {
		assert.Regexp(t, `^ [1-9][0-9]*x$`, c[1], ".ci/run: scripts/fuzz.sh%s", c[1])
	}
}
