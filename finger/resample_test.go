package finger

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateResizeGolden = flag.Bool("update-resize-golden", false, "rewrite testdata/resize_golden.txt from this build (amd64, GOAMD64=v1, where TestResizeMatchesImaging holds the resizer to imaging)")

// resizeCases are the inputs of TestResizeGolden: ridge and noise images
// at the resolutions Assess resamples (300-1200 ppi), and degenerate sizes.
func resizeCases() []struct {
	name string
	src  *image.Gray
	w, h int
} {
	rng := rand.New(rand.NewPCG(24, 2))
	noise := func(w, h int) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = uint8(rng.IntN(256))
		}
		return g
	}
	return []struct {
		name string
		src  *image.Gray
		w, h int
	}{
		{"ridges-1000ppi", ridges(520, 600, 18, 0.3), 260, 300},
		{"ridges-1200ppi", ridges(600, 540, 22, 0.8), 250, 225},
		{"ridges-300ppi", ridges(300, 320, 6, 1.1), 500, 533},
		{"ridges-760ppi", ridges(413, 390, 11, 2.0), 272, 257},
		{"noise-600ppi", noise(257, 263), 214, 219},
		{"noise-400ppi", noise(97, 101), 121, 126},
		{"noise-height-only", noise(64, 80), 64, 41},
		{"noise-width-only", noise(80, 64), 41, 64},
		{"noise-tiny", noise(5, 3), 17, 9},
	}
}

// TestResizeGolden holds the resizer's pixels (SHA-256 per case) to the
// golden file written on amd64 without FMA, where TestResizeMatchesImaging
// shows them equal to imaging's: on arm64, js/wasm or GOAMD64=v3 it fails
// if a product is fused. Regenerate only with -update-resize-golden.
func TestResizeGolden(t *testing.T) {
	path := filepath.Join("testdata", "resize_golden.txt")
	var b strings.Builder
	for _, c := range resizeCases() {
		got := resizeCatmullRom(c.src, c.w, c.h)
		fmt.Fprintf(&b, "%s %x\n", c.name, sha256.Sum256(got.Pix))
	}
	if *updateResizeGolden {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gotLines, wantLines := strings.Split(b.String(), "\n"), strings.Split(string(want), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("%d cases, golden has %d", len(gotLines)-1, len(wantLines)-1)
	}
	for i := range gotLines {
		if gotLines[i] != wantLines[i] {
			t.Errorf("got %q, golden %q", gotLines[i], wantLines[i])
		}
	}
}

// TestResizeTaps checks the kernel and weights: the kernel is 1 at 0, 0 at
// the integers ±1, ±2 and beyond, and every output's weights sum to 1
// within rounding, over the ranges they cover.
func TestResizeTaps(t *testing.T) {
	for _, x := range []struct{ x, want float64 }{{0, 1}, {1, 0}, {-1, 0}, {2, 0}, {-2.5, 0}, {0.5, 0.5625}, {1.5, -0.0625}} {
		if got := catmullRom(x.x); got != x.want {
			t.Errorf("catmullRom(%v) = %v, want %v", x.x, got, x.want)
		}
	}
	for _, c := range []struct{ dst, src int }{{260, 520}, {500, 300}, {3, 1}, {1, 2}, {37, 333}} {
		for o, tp := range resampleTaps(c.dst, c.src) {
			sum := 0.0
			for _, w := range tp.w {
				sum += w
			}
			if len(tp.w) == 0 || tp.first < 0 || tp.first+len(tp.w) > c.src || sum < 1-1e-12 || sum > 1+1e-12 {
				t.Errorf("%d→%d, output %d: first %d, %d weights summing to %v", c.src, c.dst, o, tp.first, len(tp.w), sum)
			}
		}
	}
}
