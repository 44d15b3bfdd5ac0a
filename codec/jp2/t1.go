package jp2

// Code-block decoding: the three coding passes of EBCOT tier 1
// (ITU-T T.800 Annex D).

const (
	ctxRL       = 17
	ctxUniform  = 18
	numContexts = 19
)

// Code-block style flags (COD SPcod).
const (
	styleBypass  = 0x01
	styleReset   = 0x02
	styleTermAll = 0x04
	styleVSC     = 0x08
	stylePTerm   = 0x10
	styleSegSym  = 0x20
)

// Sample flags.
const (
	fSig     = 1 << 0
	fVisit   = 1 << 1
	fRefined = 1 << 2
	fNeg     = 1 << 3
)

// Subband orientations for the zero-coding context table.
const (
	orientLL = 0
	orientHL = 1
	orientLH = 2
	orientHH = 3
)

// zcTable[o][h][v][d] is the zero-coding context (Table D.1) for
// orientation class o (0: LL and LH, 1: HL, 2: HH).
var zcTable [3][3][3][5]uint8

func init() {
	for h := 0; h < 3; h++ {
		for v := 0; v < 3; v++ {
			for d := 0; d < 5; d++ {
				zcTable[0][h][v][d] = zcLL(h, v, d)
				zcTable[1][h][v][d] = zcLL(v, h, d)
				zcTable[2][h][v][d] = zcHH(h+v, d)
			}
		}
	}
}

func zcLL(h, v, d int) uint8 {
	switch {
	case h == 2:
		return 8
	case h == 1 && v >= 1:
		return 7
	case h == 1 && d >= 1:
		return 6
	case h == 1:
		return 5
	case v == 2:
		return 4
	case v == 1:
		return 3
	case d >= 2:
		return 2
	case d == 1:
		return 1
	}
	return 0
}

func zcHH(hv, d int) uint8 {
	switch {
	case d >= 3:
		return 8
	case d == 2 && hv >= 1:
		return 7
	case d == 2:
		return 6
	case d == 1 && hv >= 2:
		return 5
	case d == 1 && hv == 1:
		return 4
	case d == 1:
		return 3
	case hv >= 2:
		return 2
	case hv == 1:
		return 1
	}
	return 0
}

// t1 holds the state for decoding one code-block.
type t1 struct {
	w, h   int
	stride int     // w + 2
	flags  []uint8 // (w+2)×(h+2) with a border
	mag    []int32 // w×h magnitudes in half units (value = mag/2)
	mq     mqDecoder
	raw    rawDecoder
	orient int // zero-coding table class
	vsc    bool
}

func (t *t1) reset(w, h, orient int, vsc bool) {
	t.w, t.h, t.stride = w, h, w+2
	n := (w + 2) * (h + 2)
	if cap(t.flags) < n {
		t.flags = make([]uint8, n)
	}
	t.flags = t.flags[:n]
	clear(t.flags)
	if cap(t.mag) < w*h {
		t.mag = make([]int32, w*h)
	}
	t.mag = t.mag[:w*h]
	clear(t.mag)
	t.orient, t.vsc = orient, vsc
}

// neighbours returns the counts of significant horizontal, vertical and
// diagonal neighbours of the sample at flag index i in row y.
func (t *t1) neighbours(i, y int) (h, v, d int) {
	f := t.flags
	s := t.stride
	below := !(t.vsc && y%4 == 3)
	h = int(f[i-1]&fSig) + int(f[i+1]&fSig)
	v = int(f[i-s] & fSig)
	d = int(f[i-s-1]&fSig) + int(f[i-s+1]&fSig)
	if below {
		v += int(f[i+s] & fSig)
		d += int(f[i+s-1]&fSig) + int(f[i+s+1]&fSig)
	}
	return
}

func (t *t1) zc(i, y int) int {
	h, v, d := t.neighbours(i, y)
	return int(zcTable[t.orient][h][v][d])
}

// contribution returns +1, -1 or 0 for the sign of a significant neighbour.
func contribution(f uint8) int {
	if f&fSig == 0 {
		return 0
	}
	if f&fNeg != 0 {
		return -1
	}
	return 1
}

// decodeSign decodes the sign of the sample at i and marks it significant.
func (t *t1) decodeSign(i, y int) {
	f := t.flags
	s := t.stride
	hc := contribution(f[i-1]) + contribution(f[i+1])
	vc := contribution(f[i-s])
	if !(t.vsc && y%4 == 3) {
		vc += contribution(f[i+s])
	}
	hc, vc = max(-1, min(1, hc)), max(-1, min(1, vc))
	// Table D.3.
	var ctx, xor int
	switch {
	case hc == 1:
		ctx = 12 + vc
	case hc == 0 && vc == 0:
		ctx = 9
	case hc == 0:
		ctx, xor = 10, boolInt(vc < 0)
	default: // hc == -1
		ctx, xor = 12-vc, 1
	}
	if t.mq.decode(ctx)^xor != 0 {
		f[i] |= fNeg
	}
	f[i] |= fSig
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (t *t1) sigPass(p int) {
	for y0 := 0; y0 < t.h; y0 += 4 {
		for x := 0; x < t.w; x++ {
			for y := y0; y < min(y0+4, t.h); y++ {
				i := (y+1)*t.stride + x + 1
				if t.flags[i]&fSig != 0 {
					continue
				}
				ctx := t.zc(i, y)
				if ctx == 0 {
					continue
				}
				t.flags[i] |= fVisit
				if t.mq.decode(ctx) != 0 {
					t.decodeSign(i, y)
					t.mag[y*t.w+x] = 3 << p
				}
			}
		}
	}
}

func (t *t1) refPass(p int) {
	for y0 := 0; y0 < t.h; y0 += 4 {
		for x := 0; x < t.w; x++ {
			for y := y0; y < min(y0+4, t.h); y++ {
				i := (y+1)*t.stride + x + 1
				f := t.flags[i]
				if f&(fSig|fVisit) != fSig {
					continue
				}
				ctx := 16
				if f&fRefined == 0 {
					ctx = 14
					if h, v, d := t.neighbours(i, y); h+v+d > 0 {
						ctx = 15
					}
				}
				k := y*t.w + x
				if t.mq.decode(ctx) != 0 {
					t.mag[k] += 1 << p
				} else {
					t.mag[k] -= 1 << p
				}
				t.flags[i] |= fRefined
			}
		}
	}
}

func (t *t1) cleanupPass(p int, segsym bool) {
	for y0 := 0; y0 < t.h; y0 += 4 {
		for x := 0; x < t.w; x++ {
			start := y0
			if y0+4 <= t.h {
				// Run-length mode when the whole column is insignificant,
				// unvisited and without significant neighbours.
				rl := true
				for y := y0; y < y0+4 && rl; y++ {
					i := (y+1)*t.stride + x + 1
					if t.flags[i]&(fSig|fVisit) != 0 || t.zc(i, y) != 0 {
						rl = false
					}
				}
				if rl {
					if t.mq.decode(ctxRL) == 0 {
						continue
					}
					r := t.mq.decode(ctxUniform)<<1 | t.mq.decode(ctxUniform)
					y := y0 + r
					i := (y+1)*t.stride + x + 1
					t.decodeSign(i, y)
					t.mag[y*t.w+x] = 3 << p
					start = y + 1
				}
			}
			for y := start; y < min(y0+4, t.h); y++ {
				i := (y+1)*t.stride + x + 1
				if t.flags[i]&(fSig|fVisit) != 0 {
					continue
				}
				if t.mq.decode(t.zc(i, y)) != 0 {
					t.decodeSign(i, y)
					t.mag[y*t.w+x] = 3 << p
				}
			}
		}
	}
	for y := 0; y < t.h; y++ {
		row := t.flags[(y+1)*t.stride+1:][:t.w]
		for x := range row {
			row[x] &^= fVisit
		}
	}
	if segsym {
		for range 4 {
			t.mq.decode(ctxUniform)
		}
	}
}

// decodeBlock runs npasses coding passes over the codeword segments segs,
// starting with a cleanup pass at bit-plane p0.
func (t *t1) decodeBlock(segs [][]byte, npasses, p0, style int) {
	t.mq.resetContexts()
	p := p0
	kind := 2 // 0 significance, 1 refinement, 2 cleanup
	cur := -1
	raw := false
	for n := 0; n < npasses && p >= 0; n++ {
		if sg, _ := segmentOf(n, style); sg != cur {
			cur = sg
			var data []byte
			if sg < len(segs) {
				data = segs[sg]
			}
			// In BYPASS mode the significance and refinement passes after
			// the first ten are raw.
			raw = style&styleBypass != 0 && n >= 10 && kind != 2
			if raw {
				t.raw.init(data)
			} else {
				t.mq.init(data)
			}
		}
		switch {
		case kind == 0 && raw:
			t.sigPassRaw(p)
		case kind == 0:
			t.sigPass(p)
		case kind == 1 && raw:
			t.refPassRaw(p)
		case kind == 1:
			t.refPass(p)
		default:
			t.cleanupPass(p, style&styleSegSym != 0)
		}
		if style&styleReset != 0 {
			t.mq.resetContexts()
		}
		kind++
		if kind == 3 {
			kind = 0
			p--
		}
	}
}

// rawDecoder reads the uncoded bits of BYPASS passes (T.800 D.6).
type rawDecoder struct {
	data []byte
	pos  int
	c    uint32
	ct   int
}

func (r *rawDecoder) init(data []byte) { r.data, r.pos, r.c, r.ct = data, 0, 0, 0 }

func (r *rawDecoder) bit() int {
	if r.ct == 0 {
		next := uint32(0xFF)
		if r.pos < len(r.data) {
			next = uint32(r.data[r.pos])
		}
		switch {
		case r.c == 0xFF && next > 0x8F:
			r.c, r.ct = 0xFF, 8
		case r.c == 0xFF:
			r.c, r.ct = next, 7
			r.pos++
		default:
			r.c, r.ct = next, 8
			r.pos++
		}
	}
	r.ct--
	return int(r.c>>r.ct) & 1
}

func (t *t1) sigPassRaw(p int) {
	for y0 := 0; y0 < t.h; y0 += 4 {
		for x := 0; x < t.w; x++ {
			for y := y0; y < min(y0+4, t.h); y++ {
				i := (y+1)*t.stride + x + 1
				if t.flags[i]&fSig != 0 || t.zc(i, y) == 0 {
					continue
				}
				t.flags[i] |= fVisit
				if t.raw.bit() != 0 {
					if t.raw.bit() != 0 {
						t.flags[i] |= fNeg
					}
					t.flags[i] |= fSig
					t.mag[y*t.w+x] = 3 << p
				}
			}
		}
	}
}

func (t *t1) refPassRaw(p int) {
	for y0 := 0; y0 < t.h; y0 += 4 {
		for x := 0; x < t.w; x++ {
			for y := y0; y < min(y0+4, t.h); y++ {
				i := (y+1)*t.stride + x + 1
				if t.flags[i]&(fSig|fVisit) != fSig {
					continue
				}
				k := y*t.w + x
				if t.raw.bit() != 0 {
					t.mag[k] += 1 << p
				} else {
					t.mag[k] -= 1 << p
				}
				t.flags[i] |= fRefined
			}
		}
	}
}
