package qa

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

var update = flag.Bool("update", false, "rewrite testdata/expected.json from the current results")

const (
	samples  = "../../testdata/finger"
	expected = "testdata/expected.json"
)

// run assesses the sample folder with the embedded default profile and
// returns the batch, with paths relative to the sample folder so that the
// expectation file does not depend on where the repository is.
func run(t *testing.T) report.Batch {
	prof := thresholds.MustEmbedded(thresholds.Default)
	fa, err := face.New(nil)
	require.NoError(t, err)
	g, err := gate.New(prof, nil, &gate.Face{Assessor: fa}, &gate.Finger{Assessor: finger.New(nil)})
	require.NoError(t, err)
	paths, errs := gate.Expand([]string{samples})
	require.Empty(t, errs)
	require.NotEmpty(t, paths)
	b := report.Batch{Tool: "biogate", Version: "qa", Profile: prof.Ref()}
	err = g.Run(context.Background(), paths, 0, func(_ int, r gate.Report) {
		r.Path = filepath.ToSlash(strings.TrimPrefix(r.Path, samples+string(filepath.Separator)))
		r.Detail = nil // minutiae are not pinned: only decisions and scores
		b.Samples = append(b.Samples, r)
	})
	require.NoError(t, err)
	b.Summary = report.Summarize(b.Samples)
	return b
}

// TestDecisionsMatchExpectations is the regression test: no decision may
// flip and no NFIQ 2 score may move by more than 2 points.
func TestDecisionsMatchExpectations(t *testing.T) {
	cur := run(t)
	if *update {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		require.NoError(t, enc.Encode(cur))
		require.NoError(t, os.MkdirAll(filepath.Dir(expected), 0o755))
		require.NoError(t, os.WriteFile(expected, buf.Bytes(), 0o644))
		t.Logf("rewrote %s: review it with git diff", expected)
		return
	}
	f, err := os.Open(expected)
	require.NoError(t, err, "run go test ./examples/qa -update once to create it")
	defer f.Close()
	base, err := report.ReadBatch(f)
	require.NoError(t, err)

	d := report.Diff(base, cur, report.DiffOptions{Tolerance: 2})
	var out bytes.Buffer
	require.NoError(t, report.WriteDiffTable(&out, d))
	assert.Zero(t, d.Flipped, "decisions flipped against %s:\n%s", expected, out.String())
	assert.True(t, d.Unchanged(), "results moved against %s:\n%s", expected, out.String())
	assert.Equal(t, len(base.Samples), len(cur.Samples))
}

// TestSidecarExpectations checks each synthetic sample against the checks
// its generator says it must fail or pass.
func TestSidecarExpectations(t *testing.T) {
	cur := run(t)
	n := 0
	for _, r := range cur.Samples {
		side := filepath.Join(samples, strings.TrimSuffix(r.Path, filepath.Ext(r.Path))+".json")
		b, err := os.ReadFile(side)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		var sc synth.Sidecar
		require.NoError(t, json.Unmarshal(b, &sc), side)
		for _, code := range sc.ExpectFail {
			assert.True(t, r.Decision.Has(code), "%s must fail %s; decision %v", r.Path, code, r.Decision)
		}
		for _, code := range sc.ExpectPass {
			assert.False(t, r.Decision.Has(code), "%s must pass %s; decision %v", r.Path, code, r.Decision)
		}
		n++
	}
	require.Positive(t, n, "no sidecar found next to the samples")
}
