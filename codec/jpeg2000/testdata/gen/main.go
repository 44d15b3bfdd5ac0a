// Command gen writes the synthetic source images used to build the
// JPEG 2000 test fixtures (see ../gen.sh). All images are synthesised;
// nothing is derived from real biometric data.
//
// Usage: go run ./testdata/gen DIR
package main

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

func writePNM(path string, w, h, nc, maxv int, f func(x, y, c int) int) error {
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(fh)
	magic := "P5"
	if nc == 3 {
		magic = "P6"
	}
	fmt.Fprintf(bw, "%s\n%d %d\n%d\n", magic, w, h, maxv)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for c := 0; c < nc; c++ {
				v := max(0, min(maxv, f(x, y, c)))
				if maxv > 255 {
					bw.WriteByte(byte(v >> 8))
				}
				bw.WriteByte(byte(v))
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return fh.Close()
}

// ridge is a synthetic fingerprint-like pattern: concentric, slowly
// warped ridges with noise.
func ridge(rng *rand.Rand, w, h int) func(x, y, c int) int {
	noise := make([]float64, w*h)
	for i := range noise {
		noise[i] = rng.NormFloat64() * 12
	}
	return func(x, y, _ int) int {
		dx, dy := float64(x)-float64(w)*0.45, float64(y)-float64(h)*0.55
		r := math.Hypot(dx, dy*1.3) + 6*math.Sin(float64(x)/23) + 4*math.Cos(float64(y)/31)
		v := 128 + 90*math.Sin(r/4.2) + noise[y*w+x]
		return int(v)
	}
}

// portrait is a face-like colour image: a smooth background, an elliptic
// skin-toned blob with darker eyes and mouth, and mild noise.
func portrait(rng *rand.Rand, w, h int) func(x, y, c int) int {
	noise := make([]float64, w*h*3)
	for i := range noise {
		noise[i] = rng.NormFloat64() * 4
	}
	return func(x, y, c int) int {
		fx, fy := float64(x)/float64(w), float64(y)/float64(h)
		bg := [3]float64{90 + 60*fy, 120 + 40*fx, 170 - 30*fy}
		skin := [3]float64{215, 170, 140}
		ex, ey := (fx-0.5)/0.28, (fy-0.45)/0.33
		v := bg[c]
		if d := ex*ex + ey*ey; d < 1 {
			t := 1 - d
			v = bg[c]*(1-math.Min(1, t*8)) + skin[c]*math.Min(1, t*8)*(0.85+0.15*t)
			for _, eye := range [2]float64{0.4, 0.6} {
				if math.Hypot(fx-eye, (fy-0.4)*1.3) < 0.035 {
					v = 40
				}
			}
			if math.Abs(fx-0.5) < 0.09 && math.Abs(fy-0.62) < 0.015 {
				v = 120 - 40*float64(c)
			}
		}
		return int(v + noise[(y*w+x)*3+c])
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	rng := rand.New(rand.NewPCG(1, 2))
	must := func(err error) {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	// Grey gradient with a diagonal edge.
	must(writePNM(filepath.Join(dir, "gradient.pgm"), 67, 45, 1, 255, func(x, y, _ int) int {
		v := x*3 + y*2
		if x > y+10 {
			v += 60
		}
		return v
	}))
	// Uniform noise: worst case for the entropy coder.
	must(writePNM(filepath.Join(dir, "noise.pgm"), 40, 33, 1, 255, func(x, y, _ int) int { return rng.IntN(256) }))
	// Synthetic ridges, fingerprint-like.
	must(writePNM(filepath.Join(dir, "ridge.pgm"), 128, 112, 1, 255, ridge(rng, 128, 112)))
	// Colour portrait-like images, small and benchmark size.
	must(writePNM(filepath.Join(dir, "portrait.ppm"), 72, 90, 3, 255, portrait(rng, 72, 90)))
	must(writePNM(filepath.Join(dir, "portrait600x800.ppm"), 600, 800, 3, 255, portrait(rng, 600, 800)))
	// 12-bit grey.
	must(writePNM(filepath.Join(dir, "deep.pgm"), 50, 37, 1, 4095, func(x, y, _ int) int {
		return x*70 + y*13 + rng.IntN(64)
	}))
	// 16-bit grey.
	must(writePNM(filepath.Join(dir, "deep16.pgm"), 41, 30, 1, 65535, func(x, y, _ int) int {
		return x*1500 + y*40 + rng.IntN(1024)
	}))
}
