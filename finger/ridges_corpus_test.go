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

// textures returns Texture of every PNG and JPEG image under dir
// (skipping holdout folders), as 500 ppi whatever they declare.
func textures(t *testing.T, dir string) []TextureStats {
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
		for i := 0; i < len(files); i += 16 {
			sub = append(sub, files[i])
		}
		files = sub
	}
	all := make([]TextureStats, len(files))
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
			all[i] = Texture(img.Image, 500)
		}()
	}
	wg.Wait()
	return all
}

// quantiles returns the p-quantiles (nearest rank below) of f over ts.
func quantiles(ts []TextureStats, f func(TextureStats) float64, ps ...float64) []float64 {
	v := make([]float64, len(ts))
	for i, s := range ts {
		v[i] = f(s)
	}
	sort.Float64s(v)
	q := make([]float64, len(ps))
	for i, p := range ps {
		q[i] = v[int(p*float64(len(v)-1))]
	}
	return q
}

// TestCorpusRidgeShare prints the distribution of Texture's figures on
// the corpus fingerprints (with the refusal probes) and on every
// face-corpus photograph (as 500 ppi, whatever they declare), the figures
// behind the gate's modality rule (gate.Modality), and asserts the
// separations that rule relies on. Ridge shares overlap in their tails
// (tight, upscaled greyscale crops of faces reach 0.2-0.25), which is
// why the rule asks for more than a ridge share: a long ridge flow, or a
// small face, or the look of a fingerprint capture.
func TestCorpusRidgeShare(t *testing.T) {
	fingers := append(textures(t, corpus.Dir(t, "finger", "images")), textures(t, corpus.Dir(t, "finger", "probes"))...)
	faces := textures(t, corpus.Dir(t, "face"))
	if len(fingers) == 0 || len(faces) == 0 {
		t.Fatal("no images read")
	}
	share := func(s TextureStats) float64 { return s.RidgeShare }
	flow := func(s TextureStats) float64 { return float64(s.Flow) }
	ps := []float64{0.1, 0.5, 0.9, 0.95, 1}
	for _, set := range []struct {
		name string
		ts   []TextureStats
	}{{"fingerprints", fingers}, {"face photographs", faces}} {
		s, f := quantiles(set.ts, share, ps...), quantiles(set.ts, flow, ps...)
		t.Logf("%s (%d): ridge share p10 %.2f, median %.2f, p90 %.2f, p95 %.2f, max %.2f; ridge flow (blocks) p10 %.0f, median %.0f, p90 %.0f, p95 %.0f, max %.0f",
			set.name, len(set.ts), s[0], s[1], s[2], s[3], s[4], f[0], f[1], f[2], f[3], f[4])
	}
	fs, ff := quantiles(fingers, share, 0.5)[0], quantiles(fingers, flow, 0.5)[0]
	hs, hf := quantiles(faces, share, 0.5, 0.95), quantiles(faces, flow, 0.95)[0]
	if fs < 0.3 {
		t.Errorf("fingerprint median ridge share %.2f, floor 0.3", fs)
	}
	if hs[0] > fs/3 {
		t.Errorf("face photograph median ridge share %.2f, ceiling a third of the fingerprints' (%.2f)", hs[0], fs/3)
	}
	// The flow test that spares the face search (64 blocks) must take most
	// fingerprints and leave nineteen in twenty photographs well below it.
	if ff < 64 {
		t.Errorf("fingerprint median ridge flow %.0f blocks, floor 64", ff)
	}
	if hf >= 32 {
		t.Errorf("face photographs' 95th percentile ridge flow %.0f blocks, ceiling 32", hf)
	}
}
