package gate

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/thresholds"
)

// failingReader returns some bytes, then an error.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n > 0 {
		n := min(f.n, len(p))
		f.n -= n
		return n, nil
	}
	return 0, errors.New("connection reset")
}

func TestAssessReaderMatchesAssessFile(t *testing.T) {
	g, err := New(thresholds.MustEmbedded("ees-usk"), &Options{Load: &load.Options{MaxFileBytes: 1 << 20}}, &Finger{Assessor: finger.New(nil)})
	require.NoError(t, err)
	good := filepath.Join("..", "testdata", "finger", "synthetic_good_1.png")
	data, err := os.ReadFile(good)
	require.NoError(t, err)
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.png")
	require.NoError(t, os.WriteFile(junk, []byte("not an image"), 0o600))
	empty := filepath.Join(dir, "empty.wsq")
	require.NoError(t, os.WriteFile(empty, nil, 0o600))
	ctx := context.Background()
	for _, tc := range []struct {
		name, path string
		r          io.Reader
		same       bool   // same reports as AssessFile(path)
		wantErr    string // else: the report's error holds this
	}{
		{name: "fingerprint", path: good, r: bytes.NewReader(data), same: true},
		{name: "not an image", path: junk, r: strings.NewReader("not an image"), same: true},
		{name: "empty", path: empty, r: strings.NewReader(""), same: true},
		{name: "too large", path: "big.png", r: io.MultiReader(bytes.NewReader(data), bytes.NewReader(make([]byte, 1<<20))), wantErr: "image too large: more than 1048576 bytes"},
		{name: "read error", path: "cut.png", r: &failingReader{n: 100}, wantErr: "connection reset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := g.AssessReader(ctx, tc.path, tc.r)
			require.NotEmpty(t, got)
			if tc.same {
				assert.Equal(t, g.AssessFile(ctx, tc.path), got)
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, tc.path, got[0].Path)
			assert.Contains(t, got[0].Error, tc.wantErr)
			assert.NotContains(t, got[0].Error, tc.path, "the report names the path already")
			assert.Equal(t, "reject", got[0].Decision.Outcome.String())
		})
	}
}

func TestOptionsOpen(t *testing.T) {
	good := filepath.Join("..", "testdata", "finger", "synthetic_good_1.png")
	data, err := os.ReadFile(good)
	require.NoError(t, err)
	var mu sync.Mutex
	opened := map[string]int{}
	opts := &Options{Open: func(_ context.Context, path string) (io.ReadCloser, error) {
		mu.Lock()
		opened[path]++
		mu.Unlock()
		switch {
		case strings.HasPrefix(path, "mem://"):
			return io.NopCloser(bytes.NewReader(data)), nil
		case strings.HasPrefix(path, "gone://"):
			return nil, errors.New("object not found")
		}
		return nil, nil // the local file system
	}}
	g, err := New(thresholds.MustEmbedded("ees-usk"), opts, &Finger{Assessor: finger.New(nil)})
	require.NoError(t, err)
	plain, err := New(thresholds.MustEmbedded("ees-usk"), nil, &Finger{Assessor: finger.New(nil)})
	require.NoError(t, err)
	ctx := context.Background()
	want := plain.AssessFile(ctx, good)
	var got []Report
	require.NoError(t, g.Run(ctx, []string{"mem://bucket/a.png", good, "gone://b.png"}, 2, func(_ int, r Report) { got = append(got, r) }))
	require.Len(t, got, 3)
	for i, path := range []string{"mem://bucket/a.png", good} {
		w := want[0]
		w.Path = path
		assert.Equal(t, w, got[i], "%s reads as the local file does", path)
	}
	assert.Contains(t, got[2].Error, "object not found")
	assert.Equal(t, map[string]int{"mem://bucket/a.png": 1, good: 1, "gone://b.png": 1}, opened)
}
