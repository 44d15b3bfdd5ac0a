package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmePython returns the README's Python client: the python code block
// after the serve-python-client marker.
func readmePython(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(b), "<!-- serve-python-client -->\n```python\n")
	require.True(t, ok, "README: the Python client block is missing")
	code, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	return code
}

// TestServePythonClient runs the README's Python client (standard library
// only) against a live `biogate serve` on 127.0.0.1: a print it accepts,
// and a file that is not an image, reported as check reports it.
func TestServePythonClient(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	script := filepath.Join(t.TempDir(), "client.py")
	require.NoError(t, os.WriteFile(script, []byte(readmePython(t)), 0o644))
	notImage := filepath.Join(t.TempDir(), "notes.png")
	require.NoError(t, os.WriteFile(notImage, []byte("not an image"), 0o644))
	printFile := filepath.Join("..", "..", "testdata", "finger", "synthetic_good_1.png")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, exit, stderr := startServe(t, ctx, "-j", "1")
	for _, tt := range []struct{ file, want string }{
		{printFile, "200 " + printFile + " accept"},
		{notImage, "400 " + notImage + " reject"},
	} {
		cctx, ccancel := context.WithTimeout(ctx, 2*time.Minute)
		out, err := exec.CommandContext(cctx, py, script, base, tt.file).CombinedOutput()
		ccancel()
		require.NoError(t, err, "%s", out)
		assert.Equal(t, tt.want, strings.TrimSpace(string(out)))
	}
	cancel()
	assert.Equal(t, 0, <-exit, stderr.String())
}
