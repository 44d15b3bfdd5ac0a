package finger

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/load"
)

// ridgeShares returns RidgeShare of every PNG and JPEG image under dir
// (skipping holdout folders), in increasing order.
func ridgeShares(t *testing.T, dir string) []float64 {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "holdout" {
			return filepath.SkipDir
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".png", ".jpg", ".jpeg":
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if raceEnabled || testing.Short() {
		var sub []string
		for i := 0; i < len(files); i += 8 {
			sub = append(sub, files[i])
		}
		files = sub
	}
	all := make([]float64, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			img, err := load.FileImage(f, nil)
			if err != nil {
				t.Errorf("%s: %v", f, err)
				return
			}
			all[i] = RidgeShare(img.Image, 500)
		}()
	}
	wg.Wait()
	sort.Float64s(all)
	return all
}

// TestCorpusRidgeShare prints the distribution of RidgeShare on the
// corpus fingerprints and on every face-corpus photograph (as 500 ppi,
// whatever they declare), the figures behind the gate's modality rule
// (gate.FingerprintLike), and asserts that the two stay apart. They
// overlap in their tails (dark and low-contrast photographs reach about
// 0.25), which is why the gate also asks for a small face.
func TestCorpusRidgeShare(t *testing.T) {
	fingers := ridgeShares(t, corpus.Dir(t, "finger", "images"))
	faces := ridgeShares(t, corpus.Dir(t, "face"))
	if len(fingers) == 0 || len(faces) == 0 {
		t.Fatal("no images read")
	}
	q := func(v []float64, p float64) float64 { return v[int(p*float64(len(v)-1))] }
	t.Logf("fingerprints (%d): p10 %.2f, median %.2f, p90 %.2f", len(fingers), q(fingers, 0.1), q(fingers, 0.5), q(fingers, 0.9))
	t.Logf("face photographs (%d): median %.2f, p90 %.2f, max %.2f", len(faces), q(faces, 0.5), q(faces, 0.9), q(faces, 1))
	if m := q(fingers, 0.5); m < 0.3 {
		t.Errorf("fingerprint median %.2f, floor 0.3", m)
	}
	if m := q(faces, 0.5); m > 0.06 {
		t.Errorf("face photograph median %.2f, ceiling 0.06", m)
	}
}
