package nfiq2

import (
	"math"
	"math/rand"
	"testing"
)

// A block whose ridge signature is constant except for one sample at
// position 0, 8, 16 or 24 has 31 exactly equal DFT amplitudes in OpenCV:
// that sample never meets a twiddle factor other than ±1, ±i in cv::dft's
// butterflies. minMaxLoc then reports the first amplitude and NIST's fda()
// returns 1 (FDA bin 9). A direct DFT's round-off made one of the later
// amplitudes the largest and gave 1.6/15 (bin 0); a 90° turn of a holdout
// image produced such a block at the image border.
func TestFDAOneSampleSignature(t *testing.T) {
	for _, base := range []float64{255, 0, 127.5} {
		for _, p := range []int{0, 8, 16, 24} {
			for _, v := range []float64{0, 239.0625, 254.9375, 3.5, 200} {
				if v == base {
					continue
				}
				var sig [32]float64
				for i := range sig {
					sig[i] = base
				}
				sig[p] = v
				if got := fdaScore(&sig); got != 1 {
					t.Errorf("base %v, sample %d = %v: fda %v, want 1", base, p, v, got)
				}
			}
		}
		// constant: all amplitudes are exactly 0
		var sig [32]float64
		for i := range sig {
			sig[i] = base
		}
		if got := fdaScore(&sig); got != 1 {
			t.Errorf("constant %v: fda %v, want 1", base, got)
		}
	}
}

// The same through fdaBlock: a white 40×40 image with one black row. The
// block's orientation is π/2 and the rotated signature is 255 except at one
// sample (row 14 → sample 24, row 22 → 16, row 30 → 8).
func TestFDABlockSingleLine(t *testing.T) {
	for _, row := range []int{14, 22, 30} {
		g := gray{w: 40, h: 40, p: make([]uint8, 40*40)}
		for i := range g.p {
			g.p[i] = 255
		}
		for x := 0; x < g.w; x++ {
			g.p[row*g.w+x] = 0
		}
		a, b, c := covCentered(g, 4, 4, blockSize, blockSize)
		o := ridgeOrient(a, b, c)
		win := make([]uint8, 40*40)
		rot := make([]uint8, eBlockSize*eBlockSize)
		if got := fdaBlock(g, 4, 4, o, win, rot); got != 1 {
			t.Errorf("line at row %d: fda %v, want 1", row, got)
		}
	}
}

// fft32 is a DFT: it agrees with the definition to round-off.
func TestFFT32MatchesDFT(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 200; trial++ {
		var sig [32]float64
		for i := range sig {
			sig[i] = float64(rng.Intn(255*16+1)) / 16
		}
		re, im := fft32(&sig)
		for k := 0; k < 32; k++ {
			var wr, wi float64
			for j, v := range sig {
				a := -2 * math.Pi * float64(j*k%32) / 32
				wr += v * math.Cos(a)
				wi += v * math.Sin(a)
			}
			if math.Abs(re[k]-wr) > 1e-9 || math.Abs(im[k]-wi) > 1e-9 {
				t.Fatalf("trial %d, bin %d: fft32 (%v, %v), DFT (%v, %v)", trial, k, re[k], im[k], wr, wi)
			}
		}
	}
}
