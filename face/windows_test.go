package face

import (
	"bytes"
	"encoding/json"
	"image"
	"image/draw"
	"path/filepath"
	"testing"

	"github.com/biogate/biogate/internal/corpus"
)

// TestWindowCacheSameReports assesses frames cut from a portrait (640×480
// and 320×240) and an empty frame in preview mode without the windows
// cache, then with it (cold, then warm, frames of two sizes in turn), and
// wants the same reports bit for bit.
func TestWindowCacheSameReports(t *testing.T) {
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := corpus.Dir(t, "face", "portraits", "face_recognition")
	var frames []image.Image
	for _, name := range []string{"biden2.jpg"} {
		img, err := loadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []image.Point{{640, 480}, {320, 240}} {
			fr := image.NewRGBA(image.Rectangle{Max: size})
			draw.Draw(fr, fr.Rect, img, img.Bounds().Min, draw.Src)
			frames = append(frames, fr)
		}
	}
	frames = append(frames, image.NewRGBA(image.Rect(0, 0, 640, 480))) // no face: the turned scans
	assess := func() [][]byte {
		var out [][]byte
		for _, fr := range frames {
			rep, err := a.Assess(fr, &AssessOptions{Preview: true})
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
		return out
	}
	keepWindows = false
	want := assess()
	keepWindows = true
	t.Cleanup(func() { keepWindows = true })
	windows.mu.Lock()
	windows.free, windows.n = nil, 0
	windows.mu.Unlock()
	for pass := range 2 {
		for i, got := range assess() {
			if !bytes.Equal(got, want[i]) {
				t.Fatalf("pass %d, frame %d: the report with the windows cache differs from the one without", pass, i)
			}
		}
	}
	if windows.n == 0 {
		t.Fatal("the windows cache kept nothing")
	}
}
