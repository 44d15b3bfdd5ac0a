package synth_test

import (
	"encoding/csv"
	"errors"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/synth"
)

// portrait is a corpus portrait with its ground-truth eyes.
type portrait struct {
	name string
	img  image.Image
	data []byte
	eyes synth.Eyes
}

// portraits returns up to n corpus portraits (category "portrait", not the
// variants), skipping the test when the corpus is absent.
func portraits(t testing.TB, n int) []portrait {
	t.Helper()
	root := corpus.Dir(t, "face", "portraits")
	face := filepath.Dir(root)
	f, err := os.Open(filepath.Join(face, "eyes.csv"))
	if err != nil {
		corpus.Missing(t, err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("eyes.csv: %v", err)
	}
	var out []portrait
	for _, r := range rows[1:] {
		if len(out) == n {
			break
		}
		if !strings.HasPrefix(r[0], "portraits/") || strings.Contains(r[0], "/variants/") || r[1] != "portrait" {
			continue
		}
		var v [4]float64
		for i := range v {
			if v[i], err = strconv.ParseFloat(r[3+i], 64); err != nil {
				t.Fatalf("eyes.csv %s: %v", r[0], err)
			}
		}
		img, err := load.FileImage(filepath.Join(face, r[0]), nil)
		if err != nil {
			t.Fatalf("%s: %v", r[0], err)
		}
		// eyes.csv: l = image-left = the subject's right eye.
		var e synth.Eyes
		e.Right.X, e.Right.Y, e.Left.X, e.Left.Y = v[0], v[1], v[2], v[3]
		out = append(out, portrait{name: r[0], img: img.Image, data: img.Data, eyes: e})
	}
	if len(out) == 0 {
		corpus.Missing(t, errors.New("no portrait rows in the corpus eyes.csv"))
	}
	return out
}
