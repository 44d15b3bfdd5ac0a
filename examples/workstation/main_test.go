package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// capturesDir lays out recorded attempts from the project's synthetic
// prints: right_index gets a smudged print then a good one; left_thumb gets
// an empty sensor, a smudged print and a dry one.
func capturesDir(t *testing.T) string {
	dir := t.TempDir()
	src := filepath.Join("..", "..", "testdata", "finger")
	link := func(pos, name, from string) {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, pos), 0o755))
		b, err := os.ReadFile(filepath.Join(src, from))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, pos, name), b, 0o600))
	}
	link("right_index", "1.png", "synthetic_smudged_11.png")
	link("right_index", "2.png", "synthetic_good_1.png")
	link("right_index", "3.png", "synthetic_good_2.png") // never captured: the loop stops at 2

	blank := image.NewGray(image.Rect(0, 0, 400, 500))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, blank))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "left_thumb"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "left_thumb", "1.png"), buf.Bytes(), 0o600))
	link("left_thumb", "2.png", "synthetic_smudged_11.png")
	link("left_thumb", "3.png", "synthetic_dry_8.png")
	return dir
}

func TestCaptureLoop(t *testing.T) {
	dir := capturesDir(t)
	var log bytes.Buffer
	st := &Station{Profile: thresholds.MustEmbedded("ees-usk"), Assessor: finger.New(nil), Log: &log}

	out, err := st.CapturePosition(context.Background(), folderDevice{dir}, "right_index")
	require.NoError(t, err)
	assert.Equal(t, quality.Done, out.Advice.Step, log.String())
	assert.Equal(t, 2, out.Advice.Attempts)
	assert.Equal(t, 1, out.Advice.Best)
	assert.Equal(t, quality.Accept, out.Best.Decision.Outcome)

	out, err = st.CapturePosition(context.Background(), folderDevice{dir}, "left_thumb")
	require.NoError(t, err)
	assert.Equal(t, quality.Exhausted, out.Advice.Step, log.String())
	assert.Equal(t, 3, out.Advice.Attempts)
	assert.Equal(t, 2, out.Advice.Best, "the dry print (a recapture) beats the empty sensor (warn) and the lower-scoring smudge")
	assert.Contains(t, out.Advice.Instruction, "keep attempt 3")
	assert.Contains(t, log.String(), "left_thumb attempt 1: NFIQ 2 not scorable, warn_operator")
}
