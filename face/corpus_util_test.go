package face

import (
	"encoding/csv"
	"github.com/biogate/biogate/internal/corpus"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/quality"
)

// truthRow is one face of eyes.csv. The file's coordinates are pixel
// indices (pixel centre = integer); they are converted here to the
// package's corner convention (+0.5). L is the image-left eye, i.e. the
// subject's right eye.
type truthRow struct {
	File, Category, Source string
	L, R                   quality.Point
	HasGT                  bool
}

func readTruth(t testing.TB, dir string) []truthRow {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "eyes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []truthRow
	for _, r := range recs[1:] {
		row := truthRow{File: r[0], Category: r[1], Source: r[2]}
		if r[3] != "" {
			v := make([]float64, 4)
			for i := range v {
				v[i], err = strconv.ParseFloat(r[3+i], 64)
				if err != nil {
					t.Fatal(err)
				}
			}
			row.L = quality.Point{X: v[0] + 0.5, Y: v[1] + 0.5}
			row.R = quality.Point{X: v[2] + 0.5, Y: v[3] + 0.5}
			row.HasGT = true
		}
		out = append(out, row)
	}
	return out
}

func loadImage(t testing.TB, path string) (image.Image, []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, format, err := image.Decode(bytesReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if format != "jpeg" {
		b = nil
	}
	return img, b
}

// corpusImage returns one real portrait from the corpus, or nil when the
// corpus is absent; a missing or unreadable portrait fails the test when
// the corpus is required (BIOGATE_CORPUS_REQUIRED=1).
func corpusImage(t testing.TB) image.Image {
	t.Helper()
	p := corpusPath()
	if p == "" {
		if corpus.Required() {
			t.Fatalf("reference corpus not found and BIOGATE_CORPUS_REQUIRED=1: set %s", corpus.EnvVar)
		}
		return nil
	}
	img, err := loadFile(filepath.Join(p, "face", "portraits", "face_recognition", "obama.jpg"))
	if err != nil {
		if corpus.Required() {
			t.Fatalf("reference corpus portrait missing and BIOGATE_CORPUS_REQUIRED=1: %v", err)
		}
		return nil
	}
	return img
}

func corpusPath() string { return corpus.Path() }

// localisationPlane loads a corpus image and returns it with a fresh luma
// plane of it, which the detector may modify.
func localisationPlane(t testing.TB, path string) (image.Image, *pico.Gray) {
	t.Helper()
	img, _ := loadImage(t, path)
	b := img.Bounds()
	return img, luma(img, make([]uint8, b.Dx()*b.Dy()))
}
