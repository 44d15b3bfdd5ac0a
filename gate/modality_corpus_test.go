package gate

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/readme"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
)

// TestCorpusModality runs the gate, deciding the modality per sample, on
// every fingerprint image of the corpus (with the refusal probes) and the
// repository's synthetic prints, and on every face-corpus image that shows
// a face (all rows of eyes.csv but the negatives, and every labelled
// face-content photograph): each must be assessed as what it shows. The
// hard cases are the ten-print card scans, where the face finder fires on
// handwriting or on ridges, and the greyscale photographs the face finder
// misses (tight crops, closed eyes, sunglasses, a hand over the face).
func TestCorpusModality(t *testing.T) {
	root := corpus.Dir(t)
	var fingers, faces []string
	for _, dir := range []string{"images", "probes"} {
		err := filepath.WalkDir(filepath.Join(root, "finger", dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".png") {
				fingers = append(fingers, p)
			}
			return err
		})
		require.NoError(t, err)
	}
	synthetic, err := filepath.Glob(filepath.Join("..", "testdata", "finger", "*.png"))
	require.NoError(t, err)
	fingers = append(fingers, synthetic...)
	fh, err := os.Open(filepath.Join(root, "face", "eyes.csv"))
	require.NoError(t, err)
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		if r[1] == "no_face" || seen[r[0]] {
			continue
		}
		seen[r[0]] = true
		faces = append(faces, filepath.Join(root, "face", r[0]))
	}
	content := readCSV(t, filepath.Join(root, "face", "content", "labels.csv"))
	for _, r := range content[1:] {
		if p := filepath.Join(root, "face", "content", r[0]); !seen[p] {
			seen[p] = true
			faces = append(faces, p)
		}
	}
	sort.Strings(fingers)
	sort.Strings(faces)
	if raceEnabled || testing.Short() {
		fingers, faces = everyNth(fingers, 20), everyNth(faces, 40)
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
	// modality. The rule's cost is what it would do to them in greyscale:
	// count the photographs Modality would take for fingerprints, with the
	// face search's result on the colour image.
	taken, grey := 0, 0
	for _, r := range faceReports {
		img, err := load.FileImage(r.Path, nil)
		require.NoError(t, err)
		if IsGrey(img.Image) {
			grey++
		}
		n, ok := r.Measures.Value(quality.FaceCount)
		if Modality(finger.Texture(img.Image, img.PPI), ok && n > 0, r.Measures) == quality.Finger {
			taken++
		}
	}
	share := float64(taken) / float64(len(faceReports))
	t.Logf("%d of the face photographs are greyscale; were all greyscale, %d of %d would be taken for fingerprints (%.0f %%)", grey, taken, len(faceReports), 100*share)
	if !raceEnabled && !testing.Short() {
		if share > 0.1 {
			t.Errorf("Modality would take %.0f %% of face photographs for fingerprints, ceiling 10 %%", 100*share)
		}
		// README states these figures; hold it to them.
		readme.Require(t, fmt.Sprintf("every corpus fingerprint, refusal probe and synthetic print (%d) and every face-corpus image that shows a face, labelled face-content photographs included (%d, %d of them greyscale): none is assessed as the wrong modality", len(fingers), len(faces), grey))
		readme.Require(t, fmt.Sprintf("were they all greyscale, %d of those %d photographs (%.0f %%", taken, len(faceReports), 100*share))
	}
}

// readCSV reads a whole CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs, path)
	return recs
}

// everyNth returns every n-th element of s, starting with the first.
func everyNth(s []string, n int) []string {
	var out []string
	for i := 0; i < len(s); i += n {
		out = append(out, s[i])
	}
	return out
}
