//go:build unix

package load

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fifo makes a named pipe in a temporary folder.
func fifo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f.png")
	require.NoError(t, syscall.Mkfifo(p, 0o600))
	return p
}

// TestSpecialFilesRefused checks that a named pipe is refused at once
// with ErrNotRegular (reading one blocked the CLI for ever), and is read
// when allowed.
func TestSpecialFilesRefused(t *testing.T) {
	p := fifo(t)
	start := time.Now()
	_, err := File(p, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNotRegular)
	assert.Contains(t, err.Error(), "named pipe")
	assertTyped(t, err, "fifo")
	assert.Less(t, time.Since(start), 2*time.Second)

	// Allowed: a writer sends an image through the pipe.
	data := pngBytes(t, 20, 10)
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.Write(data)
		w.Close()
	}()
	imgs, err := File(p, &Options{AllowSpecial: true})
	require.NoError(t, err)
	assert.Equal(t, 20, imgs[0].Image.Bounds().Dx())
}

// TestFileContextInterruptsBlockedRead checks that FileContext returns
// ctx's error promptly while the read blocks: on a named pipe with no
// writer (blocked opening it) and on one whose writer sends nothing.
func TestFileContextInterruptsBlockedRead(t *testing.T) {
	for _, writer := range []bool{false, true} {
		name := map[bool]string{false: "no writer", true: "silent writer"}[writer]
		t.Run(name, func(t *testing.T) {
			p := fifo(t)
			var w *os.File
			if writer {
				var err error
				w, err = os.OpenFile(p, os.O_RDWR, 0) // opens without waiting for a reader
				require.NoError(t, err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() {
				_, err := FileContext(ctx, p, &Options{AllowSpecial: true})
				errc <- err
			}()
			time.Sleep(100 * time.Millisecond)
			cancel()
			select {
			case err := <-errc:
				assert.ErrorIs(t, err, context.Canceled)
			case <-time.After(3 * time.Second):
				t.Fatal("FileContext still blocked 3 s after the cancellation")
			}
			// Release a reader still waiting to open the pipe.
			if w == nil {
				w, _ = os.OpenFile(p, os.O_RDWR, 0)
			}
			if w != nil {
				w.Close()
			}
		})
	}
}

// TestStdin checks that "-" reads standard input.
func TestStdin(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old; r.Close() }()
	data := pngBytes(t, 12, 7)
	go func() { w.Write(data); w.Close() }()
	imgs, err := File(Stdin, nil)
	require.NoError(t, err)
	assert.Equal(t, 7, imgs[0].Image.Bounds().Dy())
}
