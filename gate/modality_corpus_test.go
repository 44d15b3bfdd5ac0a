package gate

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
)

// TestCorpusModality runs the gate, deciding the modality per sample, on
// every fingerprint image of the corpus and the repository's synthetic
// prints, and on every face-corpus image that shows a face (all rows of
// eyes.csv but the negatives): each must be assessed as what it shows.
// The ten-print card scans, where the face finder fires on handwriting or
// on ridges, are the hard cases (FingerprintLike).
func TestCorpusModality(t *testing.T) {
	root := corpus.Dir(t)
	var fingers, faces []string
	err := filepath.WalkDir(filepath.Join(root, "finger", "images"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".png") {
			fingers = append(fingers, p)
		}
		return err
	})
	require.NoError(t, err)
	synthetic, err := filepath.Glob(filepath.Join("..", "testdata", "finger", "*.png"))
	require.NoError(t, err)
	fingers = append(fingers, synthetic...)
	fh, err := os.Open(filepath.Join(root, "face", "eyes.csv"))
	require.NoError(t, err)
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		if r[1] == "no_face" || seen[r[0]] {
			continue
		}
		seen[r[0]] = true
		faces = append(faces, filepath.Join(root, "face", r[0]))
	}
	sort.Strings(fingers)
	sort.Strings(faces)
	if raceEnabled || testing.Short() {
		fingers, faces = everyNth(fingers, 10), everyNth(faces, 20)
	}
	require.NotEmpty(t, fingers)
	require.NotEmpty(t, faces)
	paths := append(append([]string(nil), fingers...), faces...)
	want := func(i int) quality.Modality {
		if i < len(fingers) {
			return quality.Finger
		}
		return quality.Face
	}
	g := realGate(t)
	wrong := 0
	var faceReports []Report
	err = g.Run(context.Background(), paths, 0, func(i int, r Report) {
		if r.Modality != want(i) {
			wrong++
			t.Errorf("%s: assessed as %v, want %v", paths[i], r.Modality, want(i))
		}
		if i >= len(fingers) {
			faceReports = append(faceReports, r)
		}
	})
	require.NoError(t, err)
	t.Logf("%d fingerprints and %d face images: %d assessed as the wrong modality", len(fingers), len(faces), wrong)

	// Most face photographs here are in colour, which settles their
	// modality. The ridge test's cost is what it would do to them in
	// greyscale: count the photographs FingerprintLike would take for
	// fingerprints.
	taken := 0
	for _, r := range faceReports {
		if hs, ok := r.Measures.Value(quality.HeadSize); !ok || hs >= smallHeadSize {
			continue // FingerprintLike's first test; spares reading the file
		}
		img, err := load.FileImage(r.Path, nil)
		require.NoError(t, err)
		if FingerprintLike(img, r.Measures) {
			taken++
		}
	}
	share := float64(taken) / float64(len(faceReports))
	t.Logf("in greyscale, %d of %d face photographs would be taken for fingerprints (%.0f %%)", taken, len(faceReports), 100*share)
	if !raceEnabled && !testing.Short() && share > 0.1 {
		t.Errorf("FingerprintLike would take %.0f %% of face photographs for fingerprints, ceiling 10 %%", 100*share)
	}
}

// everyNth returns every n-th element of s, starting with the first.
func everyNth(s []string, n int) []string {
	var out []string
	for i := 0; i < len(s); i += n {
		out = append(out, s[i])
	}
	return out
}
