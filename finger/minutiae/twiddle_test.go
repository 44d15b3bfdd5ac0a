package minutiae

import (
	"math/rand/v2"
	"testing"
)

// TestTwiddleKinds checks that the multiplication-free butterflies give
// the bits of the general int32 product, including where the product
// wraps (|b| ≥ 2^19).
func TestTwiddleKinds(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	kinds := 0
	for _, sched := range [][]fjBfly{fjSched16Fwd, fjSched16Inv, fjSched32Fwd, fjSched32Inv} {
		for _, f := range sched {
			if f.kind == fjTwGeneral {
				continue
			}
			kinds++
			for i := 0; i < 2000; i++ {
				br, bi := int32(r.Uint32()), int32(r.Uint32())
				if i%2 == 0 {
					br, bi = br>>12, bi>>12
				}
				gr, gi := fjTwMul(f.kind, f.wr, f.wi, br, bi)
				wr := (f.wr*br - f.wi*bi + 1<<11) >> 12
				wi := (f.wr*bi + f.wi*br + 1<<11) >> 12
				if gr != wr || gi != wi {
					t.Fatalf("twiddle (%d, %d), b = (%d, %d): (%d, %d), want (%d, %d)", f.wr, f.wi, br, bi, gr, gi, wr, wi)
				}
			}
		}
	}
	if kinds == 0 {
		t.Fatal("no multiplication-free butterfly in the schedules")
	}
}

// TestVert6MatchesFilter checks the fused vertical filters against each
// basis filtered on its own.
func TestVert6MatchesFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const step, n = 37, 500
	in := make([]int32, n+8*step)
	for i := range in {
		in[i] = int32(r.IntN(256))
	}
	var got [6][]int32
	for i := range got {
		got[i] = make([]int32, n)
	}
	fjVert6(got[0], got[1], got[2], got[3], got[4], got[5], in, step)
	for i, taps := range []*fjTaps9{&fjF22, &fjF21, &fjF20, &fjF32, &fjF31, &fjF30} {
		want := make([]int32, n)
		taps.filter(want, in, step)
		for j := range want {
			if got[i][j] != want[j] {
				t.Fatalf("basis %d, sample %d: %d, want %d", i, j, got[i][j], want[j])
			}
		}
	}
}

// TestDivRPos checks the division-free rounded quotient against fjDivR.
func TestDivRPos(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 200000; i++ {
		b := int64(r.IntN(1<<24) + 1)
		a := int64(r.IntN(1 << 40))
		if i%3 == 0 {
			a = b*int64(r.IntN(1000)) + b/2 - int64(r.IntN(2)) // on and next to the rounding edges
		}
		if a < 0 {
			a = 0
		}
		if got, want := fjDivRPos(a, b, 1/float64(b)), fjDivR(a, b); got != want {
			t.Fatalf("fjDivRPos(%d, %d) = %d, want %d", a, b, got, want)
		}
	}
}

// TestMajorityMatchesDefinition checks the summed-area-table majority
// filter against counting each clipped window.
func TestMajorityMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, sz := range [][2]int{{1, 1}, {3, 2}, {7, 11}, {64, 100}} {
		bw, bh := sz[0], sz[1]
		m := make([]bool, bw*bh)
		for i := range m {
			m[i] = r.IntN(3) > 0
		}
		for _, rn := range [][2]int{{1, 3}, {2, 11}, {2, 14}} {
			got := majority(m, bw, bh, rn[0], rn[1])
			for by := 0; by < bh; by++ {
				for bx := 0; bx < bw; bx++ {
					n := 0
					for j := max(by-rn[0], 0); j <= min(by+rn[0], bh-1); j++ {
						for i := max(bx-rn[0], 0); i <= min(bx+rn[0], bw-1); i++ {
							if m[j*bw+i] {
								n++
							}
						}
					}
					if got[by*bw+bx] != (n > rn[1]) {
						t.Fatalf("%dx%d r %d need %d: cell (%d,%d) %v, want %v", bw, bh, rn[0], rn[1], bx, by, got[by*bw+bx], n > rn[1])
					}
				}
			}
		}
	}
}

// TestEnhanceBandColumns checks that transforming only the columns the
// spectral filter can leave non-zero gives the full transforms' block.
func TestEnhanceBandColumns(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 200; i++ {
		var full, band [fjEnhSide * fjEnhSide]int32
		for k := range full {
			full[k] = int32(r.IntN(256))
			if i%2 == 1 {
				full[k] = int32(128 + 100*((k/7+k%32/5)%2)) // a ridge-like block
			}
		}
		band = full
		fjEnhForward(&full)
		fjEnhFilter(&full)
		fjEnhInverse(&full)
		fjEnhForwardIn(&band, fjEnhBandCols)
		fjEnhFilter(&band)
		fjEnhInverseIn(&band, fjEnhBandCols)
		if full != band {
			t.Fatalf("block %d: band-limited transforms differ", i)
		}
	}
}

// TestFFT16MatchesSchedule checks the generated straight-line row FFTs
// against the schedule-driven fjEnhRowFFTs, on pixel-like blocks and on
// random int32 blocks whose products wrap.
func TestFFT16MatchesSchedule(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 400; i++ {
		var want [fjEnhSide * fjEnhSide]int32
		for k := range want {
			switch i % 3 {
			case 0:
				want[k] = int32(r.IntN(256))
			case 1:
				want[k] = int32(r.IntN(1<<20)) - 1<<19
			default:
				want[k] = int32(r.Uint32())
			}
		}
		for _, dir := range []struct {
			sched []fjBfly
			fft   func(*[fjEnhSide]int32)
		}{{fjSched16Fwd, fjFFT16Fwd}, {fjSched16Inv, fjFFT16Inv}} {
			got := want
			fjEnhRowFFTs(&want, dir.sched)
			for y := 0; y < fjEnhSide; y++ {
				dir.fft((*[fjEnhSide]int32)(got[y*fjEnhSide:]))
			}
			if got != want {
				t.Fatalf("block %d: the straight-line row FFTs differ from the schedule's", i)
			}
		}
	}
}

// TestPatchInteriorMatchesGeneral checks the bank's fast patch sampling
// against the general one wherever patchInside accepts the patch, over
// random phase maps, positions (edges included) and steering angles.
func TestPatchInteriorMatchesGeneral(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	inside := 0
	for _, sz := range [][2]int{{40, 40}, {64, 96}, {101, 57}} {
		W, H := sz[0], sz[1]
		p := &fjWork{w: W, h: H, ow: W / fjOriBlock, oh: H / fjOriBlock, img: make([]uint8, W*H)}
		p.ore, p.oim = make([]int8, p.ow*p.oh), make([]int8, p.ow*p.oh)
		for i := range p.img {
			p.img[i] = uint8(r.IntN(16)) << 4
		}
		for i := 0; i < 3000; i++ {
			xp, yp := r.IntN(W+6)-3, r.IntN(H+6)-3
			a := uint8(r.IntN(256))
			c, s := fjCos8(a), fjSin8(a)
			bx := uint64(int64(128*xp - 9*(c-s)))
			by := uint64(int64(128*yp - 9*(s+c)))
			if !p.patchInside(bx, by, c, s) {
				continue
			}
			inside++
			var got, want [19][19]int64
			p.patchInterior(&got, bx, by, c, s)
			p.patchGeneral(&want, bx, by, c, s)
			if got != want {
				t.Fatalf("%dx%d at (%d, %d), angle %d: the interior patch differs", W, H, xp, yp, a)
			}
		}
	}
	if inside == 0 {
		t.Fatal("no patch inside the plane")
	}
}

// fjEnhAccumulateRef is fjEnhAccumulate as §3b states it, pixel by pixel
// with the plane test on each.
func fjEnhAccumulateRef(blk *[fjEnhSide * fjEnhSide]int32, acc []uint8, w, h, x0, y0 int) {
	mn, mx := blk[0], blk[0]
	for _, v := range blk {
		mn, mx = min(mn, v), max(mx, v)
	}
	rng := mx - mn
	if rng < fjEnhFloor {
		mn -= (fjEnhFloor - rng) / 2
		rng = fjEnhFloor
	}
	for y := 0; y < fjEnhSide; y++ {
		for x := 0; x < fjEnhSide; x++ {
			px, py := x0+x, y0+y
			if px < 0 || px >= w || py < 0 || py >= h {
				continue
			}
			v := int64(blk[y*fjEnhSide+x] - mn)
			acc[py*w+px] += uint8(fjDivR(v*fjEnhStretch*fjEnhWindow[y]*fjEnhWindow[x], int64(rng)*256))
		}
	}
}

// TestEnhAccumulateMatchesDefinition checks the clipped, division-free
// accumulation against the definition, for blocks across the plane's
// edges and beyond them.
func TestEnhAccumulateMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	const w, h = 70, 53
	got, want := make([]uint8, w*h), make([]uint8, w*h)
	for i := 0; i < 300; i++ {
		var blk [fjEnhSide * fjEnhSide]int32
		spread := []int32{4, 300, 1 << 20}[i%3]
		for k := range blk {
			blk[k] = int32(r.IntN(int(spread))) - spread/3
		}
		x0, y0 := r.IntN(w+64)-40, r.IntN(h+64)-40
		fjEnhAccumulate(&blk, got, w, h, x0, y0)
		fjEnhAccumulateRef(&blk, want, w, h, x0, y0)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("pixel (%d, %d): %d, want %d", i%w, i/w, got[i], want[i])
		}
	}
}

// TestSplitMatchesLoop checks the generated straight-line splits against
// fjEnhSplit, on pixel-like and on wrapping values.
func TestSplitMatchesLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for i := 0; i < 2000; i++ {
		var want [fjEnhSide * fjEnhSide]int32
		for k := range want[:fjEnhSide] {
			if i%2 == 0 {
				want[k] = int32(r.IntN(1<<16)) - 1<<15
			} else {
				want[k] = int32(r.Uint32())
			}
		}
		for _, dir := range []struct {
			sign, t0 int
			s        uint
			split    func(*[fjEnhSide]int32)
		}{{-1, 0, 13, fjSplitFwd}, {1, fjEnhHalf, 12, fjSplitInv}} {
			got := want
			fjEnhSplit(&want, 0, dir.sign, dir.t0, dir.s)
			dir.split((*[fjEnhSide]int32)(got[:]))
			if got != want {
				t.Fatalf("row %d, sign %d: the straight-line split differs from fjEnhSplit", i, dir.sign)
			}
		}
	}
}

// TestColumnFFTsMatchSchedule checks the column FFTs with fused stages
// against the schedule-driven fjEnhColumnFFTsIn, for both directions, the
// band-limited and the full width, on pixel-like and wrapping values.
func TestColumnFFTsMatchSchedule(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	for i := 0; i < 300; i++ {
		var want [fjEnhSide * fjEnhSide]int32
		for k := range want {
			switch i % 3 {
			case 0:
				want[k] = int32(r.IntN(1<<14)) - 1<<13
			case 1:
				want[k] = int32(r.IntN(1<<21)) - 1<<20
			default:
				want[k] = int32(r.Uint32())
			}
		}
		for _, sign := range []int{-1, 1} {
			for _, cols := range []int{fjEnhBandCols, fjEnhSide} {
				sched := fjSched32Fwd
				if sign > 0 {
					sched = fjSched32Inv
				}
				got, ref := want, want
				fjEnhColumnFFTsIn(&ref, sched, cols)
				fjColumnFFTs(&got, sign, cols)
				if got != ref {
					t.Fatalf("block %d, sign %d, %d columns: the fused column FFTs differ from the schedule's", i, sign, cols)
				}
			}
		}
	}
}

// TestEnhInverseRange checks the range found while inverting against the
// block's smallest and largest values.
func TestEnhInverseRange(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for i := 0; i < 200; i++ {
		var blk [fjEnhSide * fjEnhSide]int32
		for k := range blk {
			blk[k] = int32(r.IntN(256))
		}
		fjEnhForwardIn(&blk, fjEnhBandCols)
		fjEnhFilter(&blk)
		ref := blk
		fjEnhInverseIn(&ref, fjEnhBandCols)
		mn, mx := fjEnhInverseRange(&blk, fjEnhBandCols)
		if blk != ref {
			t.Fatalf("block %d: fjEnhInverseRange changes the result", i)
		}
		wmn, wmx := ref[0], ref[0]
		for _, v := range ref {
			wmn, wmx = min(wmn, v), max(wmx, v)
		}
		if mn != wmn || mx != wmx {
			t.Fatalf("block %d: range [%d, %d], want [%d, %d]", i, mn, mx, wmn, wmx)
		}
	}
}

// bankFiltersRef is bankFilters as the tables state it, tap by tap.
func bankFiltersRef(patch *[19][19]int64) fjBankResult {
	var v1, v2 [3][19]int64
	for rho := 0; rho < 3; rho++ {
		cr := rho + 8
		for k := 0; k < 19; k++ {
			a := int64(fjCV1[0]) * patch[cr][k]
			var b int64
			for t := 1; t <= 8; t++ {
				up, dn := patch[cr-t][k], patch[cr+t][k]
				a += int64(fjCV1[t]) * (dn + up)
				b += int64(fjCV2[t]) * (dn - up)
			}
			v1[rho][k], v2[rho][k] = a, b
		}
	}
	var R1, R2 [45]int64
	for rho := 0; rho < 3; rho++ {
		for kap := 0; kap < 3; kap++ {
			cc := kap + 8
			for sc := 0; sc < 5; sc++ {
				h1, h2 := &fjCH1[sc], &fjCH2[sc]
				a := int64(h1[0]) * v1[rho][cc]
				b := int64(h2[0]) * v2[rho][cc]
				for t := 1; t <= 8; t++ {
					a += int64(h1[t]) * (v1[rho][cc+t] + v1[rho][cc-t])
					b += int64(h2[t]) * (v2[rho][cc+t] + v2[rho][cc-t])
				}
				idx := 15*rho + 5*kap + sc
				R1[idx], R2[idx] = a, b
			}
		}
	}
	var best, mirror, winner int64
	fromD := false
	for i := 0; i < 45; i++ {
		S, D := R1[i]+R2[i], R1[i]-R2[i]
		w := int64(16 - i/9)
		aS, aD := fjRnd(abs64(S)*w, 4), fjRnd(abs64(D)*w, 4)
		if aS > best {
			best, mirror, winner, fromD = aS, aD, S, false
		}
		if aD > best {
			best, mirror, winner, fromD = aD, aS, D, true
		}
	}
	return fjBankResult{conf: fjRnd(best, 17), mirror: fjRnd(mirror, 17), fromD: fromD, positive: winner > 0}
}

// TestBankFiltersMatchTables checks the bank with its taps written out
// against the tables, on random patches of phase-map levels and filler.
func TestBankFiltersMatchTables(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for i := 0; i < 20000; i++ {
		var patch [19][19]int64
		for y := range patch {
			for x := range patch[y] {
				patch[y][x] = int64(r.IntN(256))
				if i%4 == 0 {
					patch[y][x] = int64(r.IntN(16) << 4)
				}
			}
		}
		if got, want := bankFilters(&patch), bankFiltersRef(&patch); got != want {
			t.Fatalf("patch %d: %+v, want %+v", i, got, want)
		}
	}
}

// phaseMapRef is phaseMap with the horizontal filters applied from the
// tap tables (fjSym9, fjAnti9).
func (p *fjWork) phaseMapRef() {
	W, H := p.w, p.h
	n := W * H
	end := (H - 8) * W
	pm := make([]uint8, n)
	if end > 0 {
		// src[j] is plane sample j+4 (the top of the vertical support of
		// stream step j), with the bytes past the plane's end.
		buf := int32Bufs.get(7*(end+8) + 8*W)
		defer int32Bufs.put(buf)
		src, buf := buf[:end+8*W], buf[end+8*W:]
		for j := range src {
			if k := j + 4; k < n {
				src[j] = int32(p.img[k])
			} else {
				src[j] = int32(p.tailAt(k))
			}
		}
		// Vertical responses of stream step m stored at index m+8, with
		// 8 zeros in front: the horizontal filter of output k then reads
		// indices k…k+8, centred on k+4 (= step k−4).
		var vs [6][]int32
		for i := range vs {
			vs[i] = buf[:end+8]
			buf = buf[end+8:]
			clear(vs[i][:8])
		}
		v22, v21, v20, v32, v31, v30 := vs[0], vs[1], vs[2], vs[3], vs[4], vs[5]
		fjVert6(v22[8:], v21[8:], v20[8:], v32[8:], v31[8:], v30[8:], src, W) // writes v[8:]
		// The seven responses (horizontal ∘ vertical), steered, at the
		// pixels that have an orientation.
		q := func(x int64) int64 { return (x + 64) >> 7 }
		// The steering coefficients of the block, recomputed when the
		// block changes.
		lastB := -1
		var a10, a11, a20, a21, a22, a30, a31, a32, a33 int64
		for k, c, r := 0, 0, 0; k < end; k, c = k+1, c+1 {
			if c == W { // k = r·W + c
				c, r = 0, r+1
			}
			if b := (r/fjOriBlock+1)*p.ow + c/fjOriBlock; b != lastB {
				lastB = b
				a10, a11 = int64(p.ore[b]), int64(p.oim[b])
				a20, a21, a22 = q(a10*a10), q(2*a10*a11), q(a11*a11)
				a30, a31, a32, a33 = q(a10*a20), q(3*a20*a11), q(3*a22*a10), q(a11*a22)
			}
			if a10 == 0 && a11 == 0 {
				pm[k] = fjFiller
				continue
			}
			x2 := (a20*int64(fjSym9(&fjF20, v22, k+4)) + a21*int64(fjAnti9(&fjF21, v21, k+4)) +
				a22*int64(fjSym9(&fjF22, v20, k+4)) + 1024) >> 11
			if x2 == 0 {
				pm[k] = fjFiller
				continue
			}
			x3 := (a30*int64(fjAnti9(&fjF30, v22, k+4)) + a31*int64(fjSym9(&fjF31, v32, k+4)) +
				a32*int64(fjAnti9(&fjF32, v31, k+4)) + a33*int64(fjSym9(&fjF22, v30, k+4)) + 1024) >> 11
			re, _ := fjOctSign(x2, x3, 0)
			pm[k] = uint8(127-int(re)) & 0xF0
		}
	}
	for k := max(end, 0); k < n; k++ {
		pm[k] = fjFiller
	}
	p.img = pm
}

// TestPhaseMapMatchesTables checks the phase map with its horizontal taps
// written out against the tables, on random planes and orientations
// (blocks without orientation included).
func TestPhaseMapMatchesTables(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	for _, sz := range [][2]int{{32, 40}, {64, 96}, {100, 56}} { // planes are multiples of the 4-pixel block
		W, H := sz[0], sz[1]
		p := &fjWork{w: W, h: H, ow: W / fjOriBlock, oh: H / fjOriBlock, img: make([]uint8, W*H)}
		p.ore, p.oim = make([]int8, p.ow*p.oh), make([]int8, p.ow*p.oh)
		for i := range p.img {
			p.img[i] = uint8(r.IntN(256))
		}
		for i := range p.ore {
			if r.IntN(5) > 0 {
				a := uint8(r.IntN(256))
				p.ore[i], p.oim[i] = int8(fjCos8(a)), int8(fjSin8(a))
			}
		}
		q := *p
		q.img = append([]uint8(nil), p.img...)
		p.phaseMap()
		q.phaseMapRef()
		for i := range p.img {
			if p.img[i] != q.img[i] {
				t.Fatalf("%dx%d: phase-map pixel %d is %d, want %d", W, H, i, p.img[i], q.img[i])
			}
		}
	}
}

// TestEnhFilterBandMatchesDefinition checks the band-range filter against
// the per-bin test of §3a on random half spectra.
func TestEnhFilterBandMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(29, 30))
	for i := 0; i < 300; i++ {
		var got [fjEnhSide * fjEnhSide]int32
		for k := range got {
			got[k] = int32(r.IntN(1<<22)) - 1<<21
		}
		want := got
		fjEnhFilter(&got)
		for v := 0; v < fjEnhSide; v++ {
			vv := v
			if vv >= fjEnhHalf {
				vv -= fjEnhSide
			}
			for u := 0; u < fjEnhHalf; u++ {
				p := v*fjEnhSide + 2*u
				if r2 := u*u + vv*vv; r2 <= fjEnhBandLo2 || r2 >= fjEnhBandHi2 {
					want[p], want[p+1] = 0, 0
					continue
				}
				re, im := int64(want[p]), int64(want[p+1])
				a := fjRnd(fjOctAbs(re, im), 5)
				want[p] = int32(fjRnd(re+fjRnd(re*a, 7), 3))
				want[p+1] = int32(fjRnd(im+fjRnd(im*a, 7), 3))
			}
		}
		if got != want {
			t.Fatalf("spectrum %d: the band filter differs from the definition", i)
		}
	}
}
