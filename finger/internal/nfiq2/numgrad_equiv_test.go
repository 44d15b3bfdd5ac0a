package nfiq2

import (
	"math"
	"math/rand/v2"
	"testing"
)

// refNumGrad is numGrad as it was (git 157c8b7), halving by division.
func refNumGrad(g gray, x0, y0, w, h int, gx, gy []float64) {
	for y := 0; y < h; y++ {
		row := g.p[(y0+y)*g.w+x0:][:w]
		ox := gx[y*w:][:w]
		if w > 1 {
			ox[0] = float64(int(row[1]) - int(row[0]))
			for x := 1; x < w-1; x++ {
				ox[x] = float64(int(row[x+1])-int(row[x-1])) / 2.0
			}
			ox[w-1] = float64(int(row[w-1]) - int(row[w-2]))
		} else {
			ox[0] = 0
		}
		oy := gy[y*w:][:w]
		if h == 1 {
			clear(oy)
			continue
		}
		switch y {
		case 0:
			next := g.p[(y0+1)*g.w+x0:][:w]
			for x := range oy {
				oy[x] = float64(int(next[x]) - int(row[x]))
			}
		case h - 1:
			prev := g.p[(y0+y-1)*g.w+x0:][:w]
			for x := range oy {
				oy[x] = float64(int(row[x]) - int(prev[x]))
			}
		default:
			prev := g.p[(y0+y-1)*g.w+x0:][:w]
			next := g.p[(y0+y+1)*g.w+x0:][:w]
			for x := range oy {
				oy[x] = float64(int(next[x])-int(prev[x])) / 2.0
			}
		}
	}
}

// TestNumGradMatchesDefinition checks numGrad, which halves by
// multiplying by 0.5, against refNumGrad bit for bit, on random blocks of
// every shape from 1×1 to 9×9 and a 32×32 one.
func TestNumGradMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 10))
	g := gray{w: 45, h: 40, p: make([]uint8, 45*40)}
	for i := range g.p {
		g.p[i] = uint8(rng.UintN(256))
	}
	shapes := [][2]int{{32, 32}}
	for w := 1; w <= 9; w++ {
		for h := 1; h <= 9; h++ {
			shapes = append(shapes, [2]int{w, h})
		}
	}
	for _, sh := range shapes {
		w, h := sh[0], sh[1]
		x0, y0 := rng.IntN(g.w-w+1), rng.IntN(g.h-h+1)
		gx, gy := make([]float64, w*h), make([]float64, w*h)
		rx, ry := make([]float64, w*h), make([]float64, w*h)
		numGrad(g, x0, y0, w, h, gx, gy)
		refNumGrad(g, x0, y0, w, h, rx, ry)
		for i := range gx {
			if math.Float64bits(gx[i]) != math.Float64bits(rx[i]) || math.Float64bits(gy[i]) != math.Float64bits(ry[i]) {
				t.Fatalf("%d×%d block at (%d,%d), element %d: (%v, %v), definition (%v, %v)", w, h, x0, y0, i, gx[i], gy[i], rx[i], ry[i])
			}
		}
	}
}
