package iso19794

import (
	"bytes"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
)

func TestCorpusRecords(t *testing.T) {
	dir := corpus.Dir(t, "finger", "records")
	tests := []struct {
		file    string
		image   string // the extracted image file beside the record
		format  Format
		w, h    int
		pos     Position
		quality int
	}{
		{"info_wsq.iso", "info_wsq.wsq", FormatWSQ, 545, 622, 0, 80},
		{"info_jp2.iso", "info_jp2.jp2", FormatJPEG2000, 294, 539, 2, 69},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				corpus.Missing(t, err)
			}
			rec, err := Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if rec.Modality != Finger || rec.Version != "020" || len(rec.Images) != 1 {
				t.Fatalf("record %v %q with %d images, want finger 020 with 1", rec.Modality, rec.Version, len(rec.Images))
			}
			im := rec.Images[0]
			t.Logf("%s: %v %dx%d %v ppi, position %v, impression %d, quality %+v", tt.file, im.Format, im.Width, im.Height, im.PPI, im.Position, im.Impression, im.Quality)
			if im.Format != tt.format || im.Width != tt.w || im.Height != tt.h || im.Position != tt.pos || im.PPI != [2]float64{500, 500} {
				t.Errorf("got %v %dx%d %v ppi %v, want %v %dx%d 500 ppi %v", im.Format, im.Width, im.Height, im.PPI, im.Position, tt.format, tt.w, tt.h, tt.pos)
			}
			if len(im.Quality) != 1 || im.Quality[0].Score != tt.quality {
				t.Errorf("quality %+v, want score %d", im.Quality, tt.quality)
			}
			want, err := os.ReadFile(filepath.Join(dir, tt.image))
			if err == nil && !bytes.Equal(im.Data, want) {
				t.Errorf("image data (%d bytes) differs from %s (%d bytes)", len(im.Data), tt.image, len(want))
			}
			cfg, err := im.DecodeConfig()
			if err != nil || cfg.Width != tt.w || cfg.Height != tt.h {
				t.Errorf("DecodeConfig = %v, %v", cfg, err)
			}
			img, err := im.Decode()
			if err != nil {
				t.Fatal(err)
			}
			if img.Bounds() != image.Rect(0, 0, tt.w, tt.h) {
				t.Errorf("decoded bounds %v", img.Bounds())
			}
		})
	}
}
