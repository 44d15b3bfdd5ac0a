//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helperEnv marks the test binary re-executed as the biogate command.
const helperEnv = "BIOGATE_TEST_HELPER_MAIN"

// TestHelperMain is not a test: re-executed by biogateProcess with
// helperEnv set, it runs main with the arguments after "--", signal
// handling included.
func TestHelperMain(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		t.Skip("helper process for the signal tests, not a test")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Args = append([]string{"biogate"}, args...)
	main()
}

// biogateProcess starts the command with args, standard input from stdin
// (nil: none).
func biogateProcess(t *testing.T, stdin *os.File, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperMain$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != nil {
		cmd.Stdin = stdin
	}
	require.NoError(t, cmd.Start())
	return cmd, &out, &errb
}

// waitExit waits at most d for cmd to end and returns its exit code; it
// kills the process and fails the test when d passes.
func waitExit(t *testing.T, cmd *exec.Cmd, d time.Duration) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		require.NoError(t, err)
		return 0
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running %v later: killed", d)
		return -1
	}
}

// TestCheckRefusesNamedPipe checks that a named pipe given as PATH is a
// reject (input.unreadable) at once: 'mkfifo f.png; biogate check f.png'
// used to wait for ever, deaf to Ctrl-C.
func TestCheckRefusesNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "f.png")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	cmd, out, errb := biogateProcess(t, nil, "check", "-q", "-format", "junit", fifo)
	assert.Equal(t, exitError, waitExit(t, cmd, 20*time.Second), errb.String())
	assert.Contains(t, out.String(), `tests="1" failures="0" errors="1"`)
	assert.Contains(t, out.String(), "not a regular file: a named pipe (FIFO), whose reading may never end")
}

// TestCheckInterruptedWhileReadBlocks checks that SIGINT or SIGTERM ends a
// run promptly (exit 2, no report file) while a read blocks: on a named
// pipe allowed with -allow-special that no one writes to, and on standard
// input (- and /dev/stdin) from a pipe that stays open. They used to take
// effect only when the pipe closed, or never.
func TestCheckInterruptedWhileReadBlocks(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f.png")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	tests := []struct {
		name  string
		stdin bool
		sig   syscall.Signal
		args  []string
	}{
		{"fifo SIGINT", false, syscall.SIGINT, []string{"-allow-special", fifo}},
		{"fifo SIGTERM", false, syscall.SIGTERM, []string{"-allow-special", fifo}},
		{"dash SIGINT", true, syscall.SIGINT, []string{"-"}},
		{"dev stdin SIGTERM", true, syscall.SIGTERM, []string{"/dev/stdin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdin *os.File
			if tt.stdin {
				r, w, err := os.Pipe()
				require.NoError(t, err)
				defer r.Close()
				defer w.Close() // open, silent, until the test ends
				stdin = r
			}
			report := filepath.Join(t.TempDir(), "r.json")
			args := append([]string{"check", "-q", "-format", "json", "-o", report}, tt.args...)
			cmd, _, errb := biogateProcess(t, stdin, args...)
			// The read is blocked by now: the process starts and installs its
			// signal handler in milliseconds, but on a loaded machine (load 15
			// on 2 cores) 0.7 s was once not enough and SIGTERM met the
			// runtime's default handler.
			time.Sleep(2500 * time.Millisecond)
			start := time.Now()
			require.NoError(t, cmd.Process.Signal(tt.sig))
			code := waitExit(t, cmd, 10*time.Second)
			assert.Equal(t, exitError, code, errb.String())
			assert.Less(t, time.Since(start), 5*time.Second)
			assert.Contains(t, errb.String(), "stopped after 0 of 1 files")
			assert.NoFileExists(t, report)
		})
	}
}

// TestCheckDashIsStdin checks that - reads standard input, as /dev/stdin
// does (it was "no such file or directory").
func TestCheckDashIsStdin(t *testing.T) {
	// A small print, quick to assess: NFIQ 2 cannot score it.
	sample, err := os.ReadFile(filepath.Join(smallFolder(t, 1), "s00.png"))
	require.NoError(t, err)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	go func() { w.Write(sample); w.Close() }()
	cmd, out, errb := biogateProcess(t, r, "check", "-q", "-")
	r.Close()
	assert.Equal(t, exitAttention, waitExit(t, cmd, 60*time.Second), errb.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2, out.String())
	assert.Regexp(t, `^warn_operator\s+finger\s+-\s+-\s+NFIQ 2 cannot score this image`, lines[0])
}
