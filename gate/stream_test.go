package gate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/thresholds"
)

// TestRunSeq checks that RunSeq gives RunInputs' reports in input order
// for several worker counts, while taking at most 4 × workers inputs
// ahead of the oldest not yet emitted.
func TestRunSeq(t *testing.T) {
	dir := t.TempDir()
	var inputs []Input
	for k := range 60 {
		switch k % 3 {
		case 0:
			inputs = append(inputs, Input{Path: writePNG(t, dir, fmt.Sprintf("%02d.png", k), grey(uint8(k)))})
		case 1:
			inputs = append(inputs, Input{Path: filepath.Join(dir, fmt.Sprintf("missing%02d.png", k))})
		default:
			inputs = append(inputs, Input{Path: fmt.Sprintf("pattern%02d*.png", k), Err: errors.New("no file matches the pattern")})
		}
	}
	g, err := New(thresholds.MustEmbedded("ees-usk"), nil, &fakeFinger{})
	require.NoError(t, err)
	var want []Report
	require.NoError(t, g.RunInputs(context.Background(), inputs, 1, func(i int, r Report) { want = append(want, r) }))
	require.Len(t, want, len(inputs))

	for _, workers := range []int{1, 2, 5} {
		t.Run(fmt.Sprintf("j%d", workers), func(t *testing.T) {
			var taken, emitted, ahead atomic.Int64
			seq := func(yield func(Input) bool) {
				for _, in := range inputs {
					n := taken.Add(1)
					if d := n - emitted.Load(); d > ahead.Load() {
						ahead.Store(d)
					}
					if !yield(in) {
						return
					}
				}
			}
			var got []Report
			err := g.RunSeq(context.Background(), seq, workers, func(i int, r Report) {
				assert.Equal(t, len(got), i)
				got = append(got, r)
				emitted.Add(1)
			})
			require.NoError(t, err)
			assert.Equal(t, want, got)
			assert.LessOrEqual(t, ahead.Load(), int64(4*workers+1), "inputs taken ahead of those emitted")
		})
	}
}

// TestRunSeqCancelled checks that a cancelled RunSeq returns ctx's error,
// emits nothing more and stops taking inputs.
func TestRunSeqCancelled(t *testing.T) {
	dir := t.TempDir()
	p := writePNG(t, dir, "a.png", grey(10))
	g, err := New(thresholds.MustEmbedded("ees-usk"), nil, &fakeFinger{})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var taken atomic.Int64
	seq := func(yield func(Input) bool) {
		for {
			taken.Add(1)
			if !yield(Input{Path: p}) {
				return
			}
		}
	}
	n := 0
	err = g.RunSeq(ctx, seq, 2, func(i int, r Report) {
		n++
		if n == 5 {
			cancel()
		}
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 5, n, "reports emitted after the cancellation")
	assert.Less(t, taken.Load(), int64(5+4*2+3), "an endless sequence is taken no further than the window")
}
