package finger

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/synth"
)

// stripes fills a w×h image with sinusoidal bands of the given period,
// tilted by angle radians, between grey levels 40 and 220.
func stripes(w, h int, period, angle float64) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	s, c := math.Sin(angle), math.Cos(angle)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := float64(x)*c + float64(y)*s
			g.SetGray(x, y, color.Gray{uint8(130 + 90*math.Sin(2*math.Pi*t/period))})
		}
	}
	return g
}

func TestRidgeShare(t *testing.T) {
	print9, err := synth.Fingerprint(synth.FingerParams{Seed: 3, Width: 400, Height: 480})
	require.NoError(t, err)
	print14, err := synth.Fingerprint(synth.FingerParams{Seed: 4, Width: 400, Height: 480, RidgePeriod: 14})
	require.NoError(t, err)
	flat := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range flat.Pix {
		flat.Pix[i] = 128
	}
	edge := image.NewGray(image.Rect(0, 0, 200, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 200; x++ {
			if 3*x+y > 300 {
				edge.Pix[y*200+x] = 200
			}
		}
	}
	checker := image.NewGray(image.Rect(0, 0, 200, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 200; x++ {
			if (x/3+y/3)%2 == 0 {
				checker.Pix[y*200+x] = 230
			}
		}
	}
	noise := image.NewGray(image.Rect(0, 0, 200, 200))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(r.IntN(256))
	}
	tests := []struct {
		name     string
		img      image.Image
		ppi      float64
		min, max float64
	}{
		{"synthetic print, period 9 px", print9, 500, 0.5, 1},
		{"synthetic print, period 14 px", print14, 500, 0.5, 1},
		{"synthetic print, period 9 px, undeclared resolution", print9, 0, 0.5, 1},
		{"straight ridges, period 9 px", stripes(200, 200, 9, 0.4), 500, 0.9, 1},
		{"straight ridges, period 24 px (a card scanned larger)", stripes(300, 300, 24, 1.1), 500, 0.9, 1},
		{"bands too wide for ridges (60 px)", stripes(300, 300, 60, 0.2), 500, 0, 0},
		{"bands too fine for ridges (3 px)", stripes(200, 200, 3, 0.2), 500, 0, 0},
		{"straight edge", edge, 500, 0, 0},
		{"checkerboard", checker, 500, 0, 0},
		{"white noise", noise, 500, 0, 0.02},
		{"flat grey", flat, 500, 0, 0},
		{"empty", image.NewGray(image.Rectangle{}), 500, 0, 0},
		{"smaller than a block", image.NewGray(image.Rect(0, 0, 5, 5)), 500, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RidgeShare(tc.img, tc.ppi)
			assert.GreaterOrEqual(t, got, tc.min)
			assert.LessOrEqual(t, got, tc.max)
		})
	}
}

func TestRidgeShareConvertsColour(t *testing.T) {
	g := stripes(160, 160, 10, 0.7)
	rgba := image.NewRGBA(g.Rect)
	for i, v := range g.Pix {
		rgba.Pix[4*i], rgba.Pix[4*i+1], rgba.Pix[4*i+2], rgba.Pix[4*i+3] = v, v, v, 255
	}
	assert.InDelta(t, RidgeShare(g, 500), RidgeShare(rgba, 500), 1e-12)
}

// patches fills a w×h image with squares of side n px holding straight
// ridges of period 9 px, each square's ridges turned 60° from its
// neighbours': ridge texture that never runs on as one flow.
func patches(w, h, n int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := float64((x/n+2*(y/n))%3) * math.Pi / 3
			t := float64(x)*math.Cos(a) + float64(y)*math.Sin(a)
			g.Pix[y*w+x] = uint8(130 + 90*math.Sin(2*math.Pi*t/9))
		}
	}
	return g
}

func TestTexture(t *testing.T) {
	print9, err := synth.Fingerprint(synth.FingerParams{Seed: 3, Width: 400, Height: 480})
	require.NoError(t, err)
	white := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range white.Pix {
		white.Pix[i] = 230
	}
	tests := []struct {
		name               string
		img                *image.Gray
		minFlow, maxFlow   int
		minTex, maxTex     float64
		minLight, maxLight float64
	}{
		// 25×30 blocks of 16 px: a print's flow runs over most of them.
		{"synthetic print", print9, 150, 750, 0.5, 1, 0.1, 1},
		// 12×12 blocks, one straight flow.
		{"straight ridges", stripes(200, 200, 9, 0.4), 144, 144, 1, 1, 0, 0.5},
		// Ridge patches of 2×2 blocks turned 60° apart: no long flow.
		{"turned patches", patches(200, 200, 32), 1, 4, 1, 1, 0, 0.5},
		{"white page", white, 0, 0, 0, 0, 1, 1},
		{"empty", image.NewGray(image.Rectangle{}), 0, 0, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Texture(tc.img, 500)
			assert.GreaterOrEqual(t, got.Flow, tc.minFlow, "flow")
			assert.LessOrEqual(t, got.Flow, tc.maxFlow, "flow")
			assert.GreaterOrEqual(t, got.Textured, tc.minTex, "textured")
			assert.LessOrEqual(t, got.Textured, tc.maxTex, "textured")
			assert.GreaterOrEqual(t, got.Light, tc.minLight, "light")
			assert.LessOrEqual(t, got.Light, tc.maxLight, "light")
			assert.Equal(t, RidgeShare(tc.img, 500), got.RidgeShare)
		})
	}
}

func TestAxisTurn(t *testing.T) {
	for _, tc := range []struct{ a, b, want float64 }{
		{0, 0, 0},
		{0.1, -0.1, 0.2},
		{math.Pi/2 - 0.05, -math.Pi/2 + 0.05, 0.1}, // the same axis, seen from both ends
		{0, math.Pi / 2, math.Pi / 2},
	} {
		assert.InDelta(t, tc.want, axisTurn(tc.a, tc.b), 1e-12, "%v %v", tc.a, tc.b)
	}
}
