package wsq

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
)

// TestCorpusBinWidths compares the bin widths this encoder chooses for the
// reference-decoded sample with those in the file itself (written by another
// vendor's encoder at 0.75 bpp from the original scan). The decoded image is
// a lossy copy of the original, so the high-frequency subbands (52-59),
// which lost most of their energy, may differ or drop out; the others must
// agree closely, which checks the variance estimate and bit allocation.
func TestCorpusBinWidths(t *testing.T) {
	dir := corpus.Dir(t, "finger", "wsq")
	data, err := os.ReadFile(filepath.Join(dir, "jnbis_sample.wsq"))
	if err != nil {
		t.Fatal(err)
	}
	d := &decoder{data: data}
	img, err := d.decode()
	if err != nil {
		t.Fatal(err)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ms, rs := float32(d.meta.Shift), float32(d.meta.Scale)
	f := make([]float32, w*h)
	for i, p := range img.Pix {
		f[i] = (float32(p) - ms) / rs
	}
	tr := newTrees(w, h)
	d.fb.decompose(f, w, tr)
	q, _ := binWidths(f, w, tr, 0.75)
	lo, hi := math.Inf(1), math.Inf(-1)
	for s := 0; s < block3Start; s++ {
		ref := float64(d.qbin[s])
		if ref == 0 || q[s] == 0 {
			t.Errorf("subband %d: file Q %.4g, ours %.4g: both should be coded", s, ref, q[s])
			continue
		}
		r := q[s] / ref
		lo, hi = min(lo, r), max(hi, r)
	}
	t.Logf("subbands 0-51: our Q / file Q in [%.3f, %.3f]", lo, hi)
	if lo < 0.95 || hi > 1.15 {
		t.Errorf("bin width ratios [%.3f, %.3f], want within [0.95, 1.15]", lo, hi)
	}
}
