// Package pico evaluates the pixel-intensity-comparison cascades of pigo
// (face finder, pupil and landmark localisers) on 8-bit grey images.
//
// The binary formats are pigo's; the evaluation here is written for this
// project: it samples with floating-point, optionally rotated offsets,
// returns sub-pixel positions, allocates nothing per call, and uses no
// random source (callers pass their own perturbations), so results are
// deterministic.
package pico

import (
	"encoding/binary"
	"errors"
	"math"
)

// ErrFormat reports a truncated or inconsistent cascade file.
var ErrFormat = errors.New("pico: malformed cascade")

// Gray is an 8-bit grey image, row-major.
type Gray struct {
	Pix    []uint8
	W, H   int
	Stride int
}

// At returns the pixel at (x, y) clamped to the image.
func (g *Gray) at(x, y int) uint8 {
	if x < 0 {
		x = 0
	} else if x >= g.W {
		x = g.W - 1
	}
	if y < 0 {
		y = 0
	} else if y >= g.H {
		y = g.H - 1
	}
	return g.Pix[y*g.Stride+x]
}

// FaceCascade is pigo's facefinder cascade: depth-d binary trees of pixel
// comparisons whose leaf outputs are summed with a rejection threshold after
// each tree.
type FaceCascade struct {
	depth  int
	ntrees int
	codes  []int8    // 4 per node, nodes 1..2^d-1 per tree (node 0 unused)
	preds  []float32 // 2^d per tree
	thresh []float32 // 1 per tree
}

// ParseFace parses pigo's facefinder format.
func ParseFace(b []byte) (*FaceCascade, error) {
	if len(b) < 16 {
		return nil, ErrFormat
	}
	pos := 8
	depth := int(binary.LittleEndian.Uint32(b[pos:]))
	ntrees := int(binary.LittleEndian.Uint32(b[pos+4:]))
	pos += 8
	if depth < 1 || depth > 12 || ntrees < 1 || ntrees > 1<<16 {
		return nil, ErrFormat
	}
	leaves := 1 << depth
	per := 4*leaves - 4 + 4*leaves + 4
	if len(b)-pos < per*ntrees {
		return nil, ErrFormat
	}
	fc := &FaceCascade{depth: depth, ntrees: ntrees,
		codes:  make([]int8, 0, 4*leaves*ntrees),
		preds:  make([]float32, 0, leaves*ntrees),
		thresh: make([]float32, 0, ntrees)}
	for t := 0; t < ntrees; t++ {
		fc.codes = append(fc.codes, 0, 0, 0, 0)
		for i := 0; i < 4*leaves-4; i++ {
			fc.codes = append(fc.codes, int8(b[pos+i]))
		}
		pos += 4*leaves - 4
		for i := 0; i < leaves; i++ {
			fc.preds = append(fc.preds, math.Float32frombits(binary.LittleEndian.Uint32(b[pos:])))
			pos += 4
		}
		fc.thresh = append(fc.thresh, math.Float32frombits(binary.LittleEndian.Uint32(b[pos:])))
		pos += 4
	}
	return fc, nil
}

// Classify returns the detection score of the square window of side s
// centred at (row r, column c), rotated by the angle whose cosine and sine
// are cs and sn; a negative value means rejected. Sample positions outside
// the image are clamped to its border.
func (fc *FaceCascade) Classify(g *Gray, r, c, s int, cs, sn float64) float32 {
	leaves := 1 << fc.depth
	var out float32
	root := 0
	rotated := sn != 0 || cs != 1
	inside := r-s >= 0 && c-s >= 0 && r+s < g.H && c+s < g.W
	for t := 0; t < fc.ntrees; t++ {
		idx := 1
		for k := 0; k < fc.depth; k++ {
			n := root + 4*idx
			var p1, p2 uint8
			if !rotated {
				r1 := (r*256 + int(fc.codes[n])*s) >> 8
				c1 := (c*256 + int(fc.codes[n+1])*s) >> 8
				r2 := (r*256 + int(fc.codes[n+2])*s) >> 8
				c2 := (c*256 + int(fc.codes[n+3])*s) >> 8
				if inside {
					p1, p2 = g.Pix[r1*g.Stride+c1], g.Pix[r2*g.Stride+c2]
				} else {
					p1, p2 = g.at(c1, r1), g.at(c2, r2)
				}
			} else {
				f := float64(s) / 256
				a, bb := float64(fc.codes[n])*f, float64(fc.codes[n+1])*f
				r1 := int(math.Floor(float64(r) + float64(cs*a) - float64(sn*bb)))
				c1 := int(math.Floor(float64(c) + float64(sn*a) + float64(cs*bb)))
				a, bb = float64(fc.codes[n+2])*f, float64(fc.codes[n+3])*f
				r2 := int(math.Floor(float64(r) + float64(cs*a) - float64(sn*bb)))
				c2 := int(math.Floor(float64(c) + float64(sn*a) + float64(cs*bb)))
				p1, p2 = g.at(c1, r1), g.at(c2, r2)
			}
			idx = 2 * idx
			if p1 <= p2 {
				idx++
			}
		}
		out += fc.preds[leaves*t+idx-leaves]
		if out <= fc.thresh[t] {
			return -1
		}
		root += 4 * leaves
	}
	return out - fc.thresh[fc.ntrees-1]
}

// LocCascade is pigo's pupil / landmark localisation cascade: stages of
// regression trees, each stage moving the estimate and shrinking the window.
type LocCascade struct {
	stages, trees, depth int
	shrink               float32
	codes                []int8
	preds                []float32
}

// ParseLoc parses pigo's puploc / lp* format.
func ParseLoc(b []byte) (*LocCascade, error) {
	if len(b) < 16 {
		return nil, ErrFormat
	}
	lc := &LocCascade{
		stages: int(binary.LittleEndian.Uint32(b[0:])),
		shrink: math.Float32frombits(binary.LittleEndian.Uint32(b[4:])),
		trees:  int(binary.LittleEndian.Uint32(b[8:])),
		depth:  int(binary.LittleEndian.Uint32(b[12:])),
	}
	if lc.stages < 1 || lc.stages > 64 || lc.trees < 1 || lc.trees > 1<<12 || lc.depth < 1 || lc.depth > 12 {
		return nil, ErrFormat
	}
	leaves := 1 << lc.depth
	per := 4*leaves - 4 + 8*leaves
	if len(b)-16 < per*lc.stages*lc.trees {
		return nil, ErrFormat
	}
	lc.codes = make([]int8, 0, (4*leaves-4)*lc.stages*lc.trees)
	lc.preds = make([]float32, 0, 2*leaves*lc.stages*lc.trees)
	pos := 16
	for i := 0; i < lc.stages*lc.trees; i++ {
		for j := 0; j < 4*leaves-4; j++ {
			lc.codes = append(lc.codes, int8(b[pos+j]))
		}
		pos += 4*leaves - 4
		for j := 0; j < 2*leaves; j++ {
			lc.preds = append(lc.preds, math.Float32frombits(binary.LittleEndian.Uint32(b[pos:])))
			pos += 4
		}
	}
	return lc, nil
}

// Run refines the position (r, c) with window size s through every stage
// and returns the final position. The cascade's frame is rotated by the
// angle with cosine cs and sine sn (image y down; positive angles turn the
// frame clockwise on screen); flip mirrors the cascade left-right (pigo's
// flipV, used to locate the mirror-image landmark).
func (lc *LocCascade) Run(g *Gray, r, c, s, cs, sn float64, flip bool) (float64, float64) {
	leaves := 1 << lc.depth
	fl := 1.0
	if flip {
		fl = -1
	}
	// The cascade's fields and the image's in locals: the loops below
	// would otherwise reload them through the pointers at every sample
	// (Go hoists no loads out of loops), which the WebAssembly build
	// paid for most.
	codes, preds := lc.codes, lc.preds
	trees, depth := lc.trees, lc.depth
	perTree := 4*leaves - 4
	pix, w, h, stride := g.Pix, g.W, g.H, g.Stride
	acs, asn := math.Abs(cs), math.Abs(sn)
	root, pred := 0, 0
	for st := 0; st < lc.stages; st++ {
		var dr, dc float64
		f := s / 256
		// Every offset of this stage is at most (|cs|+|sn|)·128·f pixels
		// from (r, c) (codes are int8): when the window so widened, plus
		// a pixel for the rounding, lies inside the image, the samples
		// need no clamping (g.at would return the same pixels). NaN
		// positions or angles fail the test and take the clamped path.
		reach := float64(float64(acs+asn)*128*f) + 1
		inside := r-reach >= 0 && c-reach >= 0 && r+reach < float64(h-1) && c+reach < float64(w-1)
		for t := 0; t < trees; t++ {
			tc := codes[root : root+perTree]
			var idx int
			if inside {
				idx = walkInside(tc, depth, pix, stride, r, c, f, fl, cs, sn)
			} else {
				idx = walkClamped(tc, depth, g, r, c, f, fl, cs, sn)
			}
			leaf := idx - (leaves - 1)
			lp := preds[pred+2*leaf : pred+2*leaf+2 : pred+2*leaf+2]
			dr += float64(lp[0])
			dc += float64(fl * float64(lp[1]))
			root += perTree
			pred += 2 * leaves
		}
		r += float64((float64(cs*dr) - float64(sn*dc)) * s)
		c += float64((float64(sn*dr) + float64(cs*dc)) * s)
		s *= float64(lc.shrink)
	}
	return r, c
}

// walkInside descends one tree of a LocCascade (its codes tc) from the
// window at (r, c) with scale f = s/256, mirror fl and rotation (cs, sn),
// and returns the node index reached below the last level. Every sample
// must lie inside pix (Run checks it per stage): nothing is clamped.
//
// The descent is a function of its own, kept out of line: in
// WebAssembly, Go maps a function's values onto a few locals and spills
// the rest to its stack in memory, and Run's loop variables were reloaded
// from there at every node; here they stay in locals. Each child is
// chosen without a branch: a taken branch in WebAssembly goes through the
// function's dispatch loop, and natively the comparison is unpredictable.
//
//go:noinline
func walkInside(tc []int8, depth int, pix []uint8, stride int, r, c, f, fl, cs, sn float64) int {
	idx := 0
	for k := 0; k < depth; k++ {
		q := tc[4*idx : 4*idx+4 : 4*idx+4]
		a, b := float64(q[0])*f, fl*float64(q[1])*f
		r1 := int(math.Floor(r + float64(cs*a) - float64(sn*b)))
		c1 := int(math.Floor(c + float64(sn*a) + float64(cs*b)))
		a, b = float64(q[2])*f, fl*float64(q[3])*f
		r2 := int(math.Floor(r + float64(cs*a) - float64(sn*b)))
		c2 := int(math.Floor(c + float64(sn*a) + float64(cs*b)))
		// The right child when the first sample is the brighter: the
		// sign bit of their difference.
		d := int(pix[r2*stride+c2]) - int(pix[r1*stride+c1])
		idx = 2*idx + 1 + int(uint(d)>>63)
	}
	return idx
}

// walkClamped is walkInside for windows that may sample outside g: the
// samples are clamped to its border.
//
//go:noinline
func walkClamped(tc []int8, depth int, g *Gray, r, c, f, fl, cs, sn float64) int {
	idx := 0
	for k := 0; k < depth; k++ {
		q := tc[4*idx : 4*idx+4 : 4*idx+4]
		a, b := float64(q[0])*f, fl*float64(q[1])*f
		r1 := int(math.Floor(r + float64(cs*a) - float64(sn*b)))
		c1 := int(math.Floor(c + float64(sn*a) + float64(cs*b)))
		a, b = float64(q[2])*f, fl*float64(q[3])*f
		r2 := int(math.Floor(r + float64(cs*a) - float64(sn*b)))
		c2 := int(math.Floor(c + float64(sn*a) + float64(cs*b)))
		d := int(g.at(c2, r2)) - int(g.at(c1, r1))
		idx = 2*idx + 1 + int(uint(d)>>63)
	}
	return idx
}

// Window is a face cascade prepared for one window size and rotation on
// images of one row stride: the pixel comparisons become pairs of linear
// offsets from the window centre, computed lazily tree by tree (most
// windows are rejected after a few trees).
type Window struct {
	fc      *FaceCascade
	off     []int32 // 2 per node, nodes indexed as in codes/4, for the trees prepared
	ready   int     // trees whose offsets are computed
	s       int
	cs, sn  float64
	rotated bool
	reach   int
	stride  int
}

// Prepare resets w (reusing its storage) for window size s, rotation
// (cs, sn) and row stride.
func (fc *FaceCascade) Prepare(w *Window, s int, cs, sn float64, stride int) {
	w.off = w.off[:0] // filled tree by tree, as Classify reaches them
	w.fc, w.stride, w.s, w.cs, w.sn, w.ready = fc, stride, s, cs, sn, 0
	w.rotated = sn != 0 || cs != 1
	w.reach = int(math.Ceil(0.5*float64(s)*(math.Abs(cs)+math.Abs(sn)))) + 1
}

// Prepared reports whether w was prepared by fc.Prepare with these
// parameters: it can then be used as it is, keeping the trees already
// computed (Classify's results do not depend on how many were).
func (w *Window) Prepared(fc *FaceCascade, s int, cs, sn float64, stride int) bool {
	return w.fc == fc && w.s == s && w.cs == cs && w.sn == sn && w.stride == stride
}

//go:norace
func (w *Window) prepareTree(t int) {
	fc := w.fc
	leaves := 1 << fc.depth
	f := float64(w.s) / 256
	for i := t * leaves; i < (t+1)*leaves; i++ {
		for p := 0; p < 2; p++ {
			a, b := int(fc.codes[4*i+2*p]), int(fc.codes[4*i+2*p+1])
			var dr, dc int
			if w.rotated {
				fa, fb := float64(a)*f, float64(b)*f
				dr = int(math.Floor(float64(w.cs*fa) - float64(w.sn*fb)))
				dc = int(math.Floor(float64(w.sn*fa) + float64(w.cs*fb)))
			} else {
				dr, dc = (a*w.s)>>8, (b*w.s)>>8
			}
			w.off = append(w.off, int32(dr*w.stride+dc)) // w.off[2*i+p]
		}
	}
}

// Reach returns a bound on the row and column offsets of the window's
// samples: a window whose centre is at least Reach pixels from every border
// samples only inside the image.
func (w *Window) Reach() int { return w.reach }

// Classify returns the detection score of the prepared window centred at
// (r, c), which must be at least Reach pixels from every border; negative
// means rejected.
func (w *Window) Classify(g *Gray, r, c int) float32 { return w.classify(g, r, c) }

// Scan classifies the prepared window at every centre (r, c) with r in
// [r0, r1] and c in [c0, c1] on a grid of the given step (rows outer,
// columns inner, both ascending), which must all be at least Reach pixels
// from every border, and calls found for each centre whose score is
// positive, in that order. It gives the same scores as Classify at each
// centre.
func (w *Window) Scan(g *Gray, r0, r1, c0, c1, step int, found func(r, c int, score float32)) {
	if step < 1 {
		step = 1
	}
	if raceEnabled {
		// classify is not instrumented (see raceRead): declare what the
		// whole scan reads and writes once.
		raceReadBytes(g.Pix)
		raceReadInt8(w.fc.codes)
		raceReadFloat32(w.fc.preds)
		raceReadFloat32(w.fc.thresh)
		raceWriteInt32(w.off)
	}
	for r := r0; r <= r1; r += step {
		for c := c0; c <= c1; c += step {
			if q := w.classify(g, r, c); q > 0 {
				found(r, c, q)
			}
		}
	}
}

// classify is Classify's body. It and prepareTree are marked go:norace:
// the race detector's instrumentation of every pixel comparison made the
// face search several times slower under -race; Scan declares the ranges
// they touch instead.
//
//go:norace
func (w *Window) classify(g *Gray, r, c int) float32 {
	// Fields in locals, as in LocCascade.Run: the tree loop would reload
	// them through w and fc at every comparison.
	fc := w.fc
	leaves := 1 << fc.depth
	preds, thresh := fc.preds, fc.thresh // thresh: one per tree
	base := r*w.stride + c
	pix := g.Pix
	off := w.off
	var out float32
	for t, th := range thresh {
		if t >= w.ready {
			w.prepareTree(t)
			w.ready = t + 1
			off = w.off
		}
		// Plain indexing with a branch: a branch-free child choice over
		// re-sliced offsets ran a 640×480 frame with no face at 114
		// CPU-ms natively against 78 (the finder rejects most windows in
		// a few trees); under WebAssembly it was faster (frame median
		// 25.5 against 32.5 ms in Chromium, both within the 60 ms budget).
		node := 2 * leaves * t // tree t's nodes, 2 offsets each
		idx := 1
		for idx < leaves {
			o := node + 2*idx
			idx = 2 * idx
			if pix[base+int(off[o])] <= pix[base+int(off[o+1])] {
				idx++
			}
		}
		out += preds[leaves*t+idx-leaves]
		if out <= th {
			return -1
		}
	}
	return out - thresh[len(thresh)-1]
}
