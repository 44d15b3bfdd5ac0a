//go:build unix

package report

import (
	"bytes"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/load"
	synth "github.com/biogate/biogate/report/reporttest"
	"github.com/biogate/biogate/thresholds"
)

// TestWriteHTMLSkipsSpecialFiles checks that the page's previews never
// read a named pipe or standard input again: the run drained them, and
// reading a pipe with no writer blocks for ever.
func TestWriteHTMLSkipsSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "f.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	p := thresholds.MustEmbedded("ees-usk")
	b := Batch{Profile: p.Ref(), Thresholds: p, Samples: []gate.Report{synth.Finger(p, fifo, 40), synth.Finger(p, load.Stdin, 40)}}
	done := make(chan error, 1)
	var buf bytes.Buffer
	go func() { done <- WriteHTML(&buf, b, &HTMLOptions{Load: &load.Options{AllowSpecial: true}}) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("WriteHTML blocked reading a named pipe for its preview")
	}
	if bytes.Contains(buf.Bytes(), []byte("data:image")) {
		t.Error("a preview was made from a pipe or standard input")
	}
}
