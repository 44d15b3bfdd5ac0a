package jpeg2000

// Tier-1 decoding: the embedded block coding of T.800 Annex D.

// Per-coefficient state flags. The low byte records which of the eight
// neighbours are significant, the next nibble the signs of the four
// horizontal and vertical neighbours, so that contexts need no neighbour
// loads.
const (
	nNW = 1 << iota
	nN
	nNE
	nW
	nE
	nSW
	nS
	nSE
	negN
	negS
	negW
	negE
	fSig     // coefficient is significant
	fNeg     // coefficient is negative
	fVisit   // coded in the significance pass of the current bit-plane
	fRefined // has been refined at least once

	nbMask    = 0xff
	belowMask = nSW | nS | nSE | negS // neighbours in the next stripe
)

// zcLUT maps (orientation, neighbour significance byte) to zero-coding
// contexts (T.800 Table D.1).
var zcLUT [4][256]uint8

// scLUT maps the significance and sign bits of the four direct neighbours
// to a sign-coding context (bits 0..3) and XOR bit (bit 4), T.800 Table D.3.
var scLUT [256]uint8

func init() {
	for o := 0; o < 4; o++ {
		for m := 0; m < 256; m++ {
			bit := func(b int) int { return (m >> b) & 1 }
			h := bit(3) + bit(4)
			v := bit(1) + bit(6)
			d := bit(0) + bit(2) + bit(5) + bit(7)
			zcLUT[o][m] = zcContext(o, h, v, d)
		}
	}
	for m := 0; m < 256; m++ {
		// m bits: 0 N sig, 1 S sig, 2 W sig, 3 E sig, 4 N neg, 5 S neg,
		// 6 W neg, 7 E neg.
		contrib := func(sig, neg int) int {
			if (m>>sig)&1 == 0 {
				return 0
			}
			if (m>>neg)&1 != 0 {
				return -1
			}
			return 1
		}
		hc := max(-1, min(1, contrib(2, 6)+contrib(3, 7)))
		vc := max(-1, min(1, contrib(0, 4)+contrib(1, 5)))
		var ctx, xor int
		switch hc {
		case 1:
			ctx = [3]int{11, 12, 13}[vc+1]
		case 0:
			ctx = [3]int{10, 9, 10}[vc+1]
			if vc == -1 {
				xor = 1
			}
		case -1:
			ctx = [3]int{13, 12, 11}[vc+1]
			xor = 1
		}
		scLUT[m] = uint8(ctx-ctxSC0) | uint8(xor)<<4
	}
}

func zcContext(orient, h, v, d int) uint8 {
	switch orient {
	case 1: // HL: horizontal high-pass, so vertical neighbours dominate
		h, v = v, h
		fallthrough
	case 0, 2: // LL and LH
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
	default: // HH
		hv := h + v
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
}

// t1 holds the state for decoding one code-block at a time.
type t1 struct {
	mq     mqDecoder
	raw    rawDecoder
	flags  []uint32
	data   []int32 // magnitudes, doubled so bit 0 holds the reconstruction half
	w, h   int
	stride int
}

func (t *t1) setup(w, h int) {
	t.w, t.h = w, h
	t.stride = w + 2
	n := (w + 2) * (h + 2)
	if cap(t.flags) < n {
		t.flags = make([]uint32, n)
	} else {
		t.flags = t.flags[:n]
		clear(t.flags)
	}
	if cap(t.data) < w*h {
		t.data = make([]int32, w*h)
	} else {
		t.data = t.data[:w*h]
		clear(t.data)
	}
}

// signBits gathers the direct-neighbour significance and sign bits of flag
// f in the layout scLUT expects.
func signBits(f uint32) uint32 {
	return (f>>1)&1 | (f>>5)&2 | (f>>1)&4 | (f>>1)&8 | (f>>4)&0xf0
}

// decodeSign decodes the sign of a coefficient with flags f; true is
// negative.
func (t *t1) decodeSign(f uint32) bool {
	e := scLUT[signBits(f)]
	return t.mq.decode(ctxSC0+int(e&15))^int(e>>4) != 0
}

// setSignificant marks flag index i (sample index j) significant and
// updates the neighbour bits of the eight neighbours.
func (t *t1) setSignificant(i, j int, neg bool, bp int) {
	f := t.flags
	s := t.stride
	f[i] |= fSig
	var nN2, nS2, nW2, nE2 uint32 = nS, nN, nE, nW
	if neg {
		f[i] |= fNeg
		nN2 |= negS
		nS2 |= negN
		nW2 |= negE
		nE2 |= negW
	}
	f[i-s-1] |= nSE
	f[i-s] |= nN2
	f[i-s+1] |= nSW
	f[i-1] |= nW2
	f[i+1] |= nE2
	f[i+s-1] |= nNE
	f[i+s] |= nS2
	f[i+s+1] |= nNW
	t.data[j] = 3 << bp
}

func (t *t1) sigPass(bp, orient int, raw, vscMode bool) {
	w, h, s := t.w, t.h, t.stride
	lut := &zcLUT[orient]
	f := t.flags
	for y0 := 0; y0 < h; y0 += 4 {
		ye := min(y0+4, h)
		for x := 0; x < w; x++ {
			for y := y0; y < ye; y++ {
				i := (y+1)*s + x + 1
				fl := f[i]
				if fl&fSig != 0 || fl&nbMask == 0 {
					continue
				}
				if vscMode && y == y0+3 {
					fl &^= belowMask
				}
				ctx := lut[fl&nbMask]
				if ctx == 0 {
					continue
				}
				var bit int
				if raw {
					bit = t.raw.bit()
				} else {
					bit = t.mq.decode(int(ctx))
				}
				if bit != 0 {
					var neg bool
					if raw {
						neg = t.raw.bit() != 0
					} else {
						neg = t.decodeSign(fl)
					}
					t.setSignificant(i, y*w+x, neg, bp)
				}
				f[i] |= fVisit
			}
		}
	}
}

func (t *t1) refPass(bp int, raw, vscMode bool) {
	w, h, s := t.w, t.h, t.stride
	half := int32(1) << bp
	f := t.flags
	for y0 := 0; y0 < h; y0 += 4 {
		ye := min(y0+4, h)
		for x := 0; x < w; x++ {
			for y := y0; y < ye; y++ {
				i := (y+1)*s + x + 1
				fl := f[i]
				if fl&(fSig|fVisit) != fSig {
					continue
				}
				var bit int
				if raw {
					bit = t.raw.bit()
				} else {
					ctx := ctxMR0 + 2
					if fl&fRefined == 0 {
						if vscMode && y == y0+3 {
							fl &^= belowMask
						}
						if fl&nbMask == 0 {
							ctx = ctxMR0
						} else {
							ctx = ctxMR0 + 1
						}
					}
					bit = t.mq.decode(ctx)
				}
				j := y*w + x
				if bit != 0 {
					t.data[j] += half
				} else {
					t.data[j] -= half
				}
				f[i] |= fRefined
			}
		}
	}
}

func (t *t1) cleanupPass(bp, orient int, vscMode, segSym bool) {
	w, h, s := t.w, t.h, t.stride
	lut := &zcLUT[orient]
	f := t.flags
	for y0 := 0; y0 < h; y0 += 4 {
		ye := min(y0+4, h)
		for x := 0; x < w; x++ {
			y := y0
			i0 := (y0+1)*s + x + 1
			if ye == y0+4 {
				last := f[i0+3*s]
				if vscMode {
					last &^= belowMask
				}
				const busy = nbMask | fSig | fVisit
				if (f[i0]|f[i0+s]|f[i0+2*s]|last)&busy == 0 {
					if t.mq.decode(ctxRL) == 0 {
						continue
					}
					r := t.mq.decode(ctxUNI) << 1
					r |= t.mq.decode(ctxUNI)
					y = y0 + r
					i := i0 + r*s
					fl := f[i]
					if vscMode && y == y0+3 {
						fl &^= belowMask
					}
					t.setSignificant(i, y*w+x, t.decodeSign(fl), bp)
					y++
				}
			}
			for ; y < ye; y++ {
				i := i0 + (y-y0)*s
				fl := f[i]
				if fl&(fSig|fVisit) == 0 {
					if vscMode && y == y0+3 {
						fl &^= belowMask
					}
					if t.mq.decode(int(lut[fl&nbMask])) != 0 {
						t.setSignificant(i, y*w+x, t.decodeSign(fl), bp)
					}
				}
				f[i] &^= fVisit
			}
		}
	}
	if segSym {
		for k := 0; k < 4; k++ {
			t.mq.decode(ctxUNI)
		}
	}
}

// decodeBlock decodes the coding passes of cb into t.data and t.flags.
func (t *t1) decodeBlock(cb *codeblock, orient int, style byte, roiShift int) {
	t.setup(cb.x1-cb.x0, cb.y1-cb.y0)
	if cb.numbps <= 0 || len(cb.segs) == 0 {
		return
	}
	t.mq.resetContexts()
	bp := cb.numbps + roiShift - 1
	ptype := 2 // 0 significance, 1 refinement, 2 cleanup
	passIdx := 0
	vsc := style&cbVCausal != 0
	for si := range cb.segs {
		seg := &cb.segs[si]
		raw := style&cbBypass != 0 && passIdx >= 10 && ptype != 2
		if raw {
			t.raw.init(seg.data)
		} else {
			t.mq.init(seg.data)
		}
		for k := 0; k < seg.npasses; k++ {
			if bp < 0 {
				return
			}
			switch ptype {
			case 0:
				t.sigPass(bp, orient, raw, vsc)
			case 1:
				t.refPass(bp, raw, vsc)
			default:
				t.cleanupPass(bp, orient, vsc, style&cbSegSym != 0)
			}
			if style&cbReset != 0 {
				t.mq.resetContexts()
			}
			ptype++
			if ptype == 3 {
				ptype = 0
				bp--
			}
			passIdx++
		}
	}
}
