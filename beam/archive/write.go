package archive

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
)

// outFile is a file being written whole: it appears under its name only
// when committed, never in part.
type outFile struct {
	buf *bufio.Writer
	// Local files: a hidden temporary file renamed on commit.
	tmp  *os.File
	name string
	// Object stores (a scheme): the store publishes the object on Close;
	// cancel abandons it.
	w      io.WriteCloser
	fs     filesystem.Interface
	cancel context.CancelFunc
	done   bool
}

// create starts writing name.
func create(ctx context.Context, name string) (*outFile, error) {
	if scheme, _, ok := strings.Cut(name, "://"); ok && scheme != "" && !strings.ContainsAny(scheme, "/\\") {
		fs, err := filesystem.New(ctx, name)
		if err != nil {
			return nil, err
		}
		wctx, cancel := context.WithCancel(ctx)
		w, err := fs.OpenWrite(wctx, name)
		if err != nil {
			cancel()
			fs.Close()
			return nil, err
		}
		return &outFile{buf: bufio.NewWriterSize(w, 1<<20), w: w, fs: fs, cancel: cancel, name: name}, nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.partial")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &outFile{buf: bufio.NewWriterSize(f, 1<<20), tmp: f, name: name}, nil
}

// commit completes the file under its name, replacing any file of that name.
func (o *outFile) commit(_ context.Context) error {
	o.done = true
	if err := o.buf.Flush(); err != nil {
		o.done = false
		o.abort()
		return err
	}
	if o.tmp == nil {
		defer o.fs.Close()
		defer o.cancel()
		return o.w.Close()
	}
	if err := o.tmp.Sync(); err != nil {
		o.done = false
		o.abort()
		return err
	}
	if err := o.tmp.Close(); err != nil {
		os.Remove(o.tmp.Name())
		return err
	}
	if err := os.Rename(o.tmp.Name(), o.name); err != nil {
		os.Remove(o.tmp.Name())
		return err
	}
	return nil
}

// abort drops the file unless committed.
func (o *outFile) abort() {
	if o.done {
		return
	}
	o.done = true
	if o.tmp == nil {
		o.cancel()
		o.w.Close()
		o.fs.Close()
		return
	}
	o.tmp.Close()
	os.Remove(o.tmp.Name())
}
