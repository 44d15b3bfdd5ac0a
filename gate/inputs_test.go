//go:build unix

package gate

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// TestExpandInputsKeepsUnreadable checks that every argument or path found
// that cannot be read stays in the list, in its place, with the reason:
// they used to vanish (broken links inside folders silently, the rest to
// standard error only).
func TestExpandInputsKeepsUnreadable(t *testing.T) {
	dir := t.TempDir()
	good := writePNG(t, dir, "a/1.png", grey(50))
	writePNG(t, dir, "target/t.png", grey(50))
	require.NoError(t, os.Symlink(filepath.Join(dir, "gone.png"), filepath.Join(dir, "a", "2-broken.png")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "target", "t.png"), filepath.Join(dir, "a", "3-link.png")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "target"), filepath.Join(dir, "a", "4-dirlink.png")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "a", "5-pipe.png"), 0o600))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "empty"), 0o755))
	args := []string{
		filepath.Join(dir, "a"), filepath.Join(dir, "missing.png"), filepath.Join(dir, "nope*.png"),
		filepath.Join(dir, "empty"), "-", good,
	}
	got := ExpandInputs(args)
	type row struct {
		path string
		err  string // "" for a readable input
	}
	var rows []row
	for _, in := range got {
		r := row{path: in.Path}
		if in.Err != nil {
			r.err = in.Err.Error()
		}
		rows = append(rows, r)
	}
	assert.Equal(t, []row{
		{filepath.Join(dir, "a", "1.png"), ""},
		{filepath.Join(dir, "a", "2-broken.png"), "broken symbolic link: no such file or directory"},
		{filepath.Join(dir, "a", "3-link.png"), ""},
		{filepath.Join(dir, "a", "5-pipe.png"), ""}, // the loader refuses it
		{filepath.Join(dir, "missing.png"), "no such file or directory"},
		{filepath.Join(dir, "nope*.png"), "no file matches the pattern"},
		{filepath.Join(dir, "empty"), "folder holds no sample files (.png .jpg .jpeg .gif .bmp .tif .tiff .webp .wsq .pgm .ppm .pnm .jp2 .j2k .iso .fir .fac)"},
		{"-", ""},
	}, rows, "good is listed once")
	assert.True(t, errors.Is(got[4].Err, fs.ErrNotExist))

	// Expand still returns the unreadable ones as errors naming them.
	paths, errs := Expand(args)
	assert.Len(t, paths, 4)
	require.Len(t, errs, 4)
	assert.Equal(t, filepath.Join(dir, "a", "2-broken.png")+": broken symbolic link: no such file or directory", errs[0].Error())

	if os.Geteuid() == 0 {
		return // root lists any folder: no unreadable folder to test with
	}
	locked := filepath.Join(dir, "a", "locked")
	require.NoError(t, os.MkdirAll(locked, 0o755))
	require.NoError(t, os.Chmod(locked, 0))
	defer os.Chmod(locked, 0o755)
	found := false
	for _, in := range ExpandInputs([]string{filepath.Join(dir, "a")}) {
		if in.Path == locked {
			found = true
			assert.ErrorIs(t, in.Err, fs.ErrPermission)
		}
	}
	assert.True(t, found, "an unreadable subfolder is listed")
}

// TestRunInputsReportsUnreadable checks that an input that could not be
// read gets a reject report (input.unreadable) in its place, whose error
// does not repeat the path, and that a named pipe is refused.
func TestRunInputsReportsUnreadable(t *testing.T) {
	dir := t.TempDir()
	good := writePNG(t, dir, "1.png", grey(50))
	pipe := filepath.Join(dir, "2.png")
	require.NoError(t, syscall.Mkfifo(pipe, 0o600))
	inputs := ExpandInputs([]string{good, filepath.Join(dir, "missing.png"), pipe})
	g, err := New(thresholds.MustEmbedded("ees-usk"), nil, &fakeFinger{})
	require.NoError(t, err)
	var got []Report
	require.NoError(t, g.RunInputs(context.Background(), inputs, 2, func(i int, r Report) { got = append(got, r) }))
	require.Len(t, got, 3)
	assert.Equal(t, quality.Accept, got[0].Decision.Outcome)
	for _, r := range got[1:] {
		assert.Equal(t, quality.Reject, r.Decision.Outcome, r.Path)
		assert.True(t, r.Decision.Has(thresholds.CodeUnreadable), r.Path)
		assert.NotContains(t, r.Error, r.Path)
	}
	assert.Equal(t, "no such file or directory", got[1].Error)
	assert.Contains(t, got[2].Error, "not a regular file: a named pipe (FIFO)")
}

// TestRunReturnsWhileAReadBlocks checks that cancelling a run ends it
// promptly while a worker is blocked reading a pipe that never delivers
// (Ctrl-C did nothing until the pipe closed).
func TestRunReturnsWhileAReadBlocks(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "f.png")
	require.NoError(t, syscall.Mkfifo(pipe, 0o600))
	w, err := os.OpenFile(pipe, os.O_RDWR, 0) // a writer that sends nothing
	require.NoError(t, err)
	defer w.Close()
	g, err := New(thresholds.MustEmbedded("ees-usk"), &Options{Load: &load.Options{AllowSpecial: true}}, &fakeFinger{})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- g.Run(ctx, []string{pipe, writePNG(t, dir, "g.png", grey(40))}, 1, func(int, Report) {})
	}()
	time.Sleep(200 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(3 * time.Second):
		t.Fatal("Run still blocked 3 s after the cancellation")
	}
}

// TestExpandInputsFolderLinks checks folders reached through symbolic
// links: a link to a folder given as an argument is walked, its paths
// under the name given ('biogate check archive' with archive a link used
// to say "folder holds no sample files"), and a folder holding only links
// to files lists them.
func TestExpandInputsFolderLinks(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, dir, "real/1.png", grey(50))
	writePNG(t, dir, "real/sub/2.png", grey(50))
	writePNG(t, dir, "real/.hidden/3.png", grey(50))
	require.NoError(t, os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "link")))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "links"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(dir, "real", "1.png"), filepath.Join(dir, "links", "a.png")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "real", "sub", "2.png"), filepath.Join(dir, "links", "b.png")))
	for _, tc := range []struct {
		arg  string
		want []string
	}{
		{filepath.Join(dir, "link"), []string{filepath.Join(dir, "link", "1.png"), filepath.Join(dir, "link", "sub", "2.png")}},
		{filepath.Join(dir, "links"), []string{filepath.Join(dir, "links", "a.png"), filepath.Join(dir, "links", "b.png")}},
		{filepath.Join(dir, "real"), []string{filepath.Join(dir, "real", "1.png"), filepath.Join(dir, "real", "sub", "2.png")}},
	} {
		t.Run(filepath.Base(tc.arg), func(t *testing.T) {
			var got []string
			for _, in := range ExpandInputs([]string{tc.arg}) {
				require.NoError(t, in.Err, in.Path)
				got = append(got, in.Path)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
