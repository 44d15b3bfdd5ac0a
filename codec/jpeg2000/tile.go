package jpeg2000

import (
	"errors"
	"math"
	"sort"
)

// segment is one codeword segment of a code-block: the data of the coding
// passes between two terminations of the arithmetic (or raw) coder.
type segment struct {
	data      []byte
	npasses   int
	maxpasses int
}

type codeblock struct {
	x0, y0, x1, y1 int
	included       bool
	numbps         int
	lblock         int
	npasses        int
	segs           []segment
}

// precBand is the part of one subband inside one precinct.
type precBand struct {
	nw, nh    int // code-blocks across and down
	incl, zbp tagTree
	cbs       []codeblock
}

type band struct {
	orient         int // 0 LL, 1 HL, 2 LH, 3 HH
	x0, y0, x1, y1 int
	mb             int     // magnitude bit-planes Mb
	step           float32 // quantisation step (irreversible)
	xcb, ycb       int     // code-block size exponents within this resolution
}

type resolution struct {
	x0, y0, x1, y1 int
	ppx, ppy       int
	pw, ph         int // precincts across and down
	bands          []band
	precincts      [][]precBand // [precinct][band]
}

type tileComp struct {
	x0, y0, x1, y1 int
	cp             *compParams
	res            []resolution
}

type tile struct {
	x0, y0, x1, y1 int
	params         *codingParams
	comps          []tileComp
	undo           []cbUndo // scratch for decodePacket
}

// cbUndo is the state of a code-block before a packet header changed it.
type cbUndo struct {
	cb                             *codeblock
	included                       bool
	numbps, lblock, npasses, nsegs int
	lastPasses                     int
}

// Bounds on the tier-2 structures of one tile, which crafted headers could
// otherwise inflate far beyond the pixel count.
const (
	maxPrecincts  = 1 << 20
	maxCodeblocks = 1 << 21
	maxPackets    = 1 << 21
)

// maxCodeblockPasses bounds the coding passes of one code-block: 3 per
// bit-plane for at most 37 bit-planes, plus slack.
const maxCodeblockPasses = 3*38 + 1

var errTruncated = errors.New("truncated packet")

func buildTile(cs *codestream, td *tileData) (*tile, error) {
	s := &cs.siz
	p, q := td.index%s.ntx, td.index/s.ntx
	t := &tile{params: td.params}
	t.x0 = max(s.tx0+p*s.tw, s.x0)
	t.y0 = max(s.ty0+q*s.th, s.y0)
	t.x1 = min(s.tx0+(p+1)*s.tw, s.x1)
	t.y1 = min(s.ty0+(q+1)*s.th, s.y1)
	t.comps = make([]tileComp, len(s.comps))
	nprec, ncb := 0, 0
	for c := range s.comps {
		comp := &s.comps[c]
		cp := &td.params.comps[c]
		tc := &t.comps[c]
		tc.cp = cp
		tc.x0, tc.y0 = ceilDiv(t.x0, comp.dx), ceilDiv(t.y0, comp.dy)
		tc.x1, tc.y1 = ceilDiv(t.x1, comp.dx), ceilDiv(t.y1, comp.dy)
		nl := cp.levels
		if cp.qstyle != 1 && len(cp.expn) < 3*nl+1 {
			return nil, FormatError("too few quantisation step sizes")
		}
		if cp.qstyle == 0 && !cp.reversible {
			return nil, FormatError("irreversible transform without quantisation")
		}
		tc.res = make([]resolution, nl+1)
		for r := 0; r <= nl; r++ {
			res := &tc.res[r]
			sh := nl - r
			res.x0, res.y0 = ceilDivPow2(tc.x0, sh), ceilDivPow2(tc.y0, sh)
			res.x1, res.y1 = ceilDivPow2(tc.x1, sh), ceilDivPow2(tc.y1, sh)
			res.ppx, res.ppy = int(cp.ppx[r]), int(cp.ppy[r])
			if res.x1 > res.x0 && res.y1 > res.y0 {
				res.pw = ceilDivPow2(res.x1, res.ppx) - res.x0>>res.ppx
				res.ph = ceilDivPow2(res.y1, res.ppy) - res.y0>>res.ppy
			}
			var orients []int
			nb := nl
			if r == 0 {
				orients = []int{0}
			} else {
				orients = []int{1, 2, 3}
				nb = nl - r + 1
			}
			// Precinct and code-block sizes in subband coordinates.
			bpx, bpy := res.ppx, res.ppy
			if r > 0 {
				bpx, bpy = bpx-1, bpy-1
			}
			xcb, ycb := min(cp.xcb, bpx), min(cp.ycb, bpy)
			for _, o := range orients {
				b := band{orient: o, xcb: xcb, ycb: ycb}
				xo, yo := o&1, o>>1
				if nb == 0 {
					b.x0, b.y0, b.x1, b.y1 = tc.x0, tc.y0, tc.x1, tc.y1
				} else {
					b.x0 = ceilDivPow2(tc.x0-xo<<(nb-1), nb)
					b.y0 = ceilDivPow2(tc.y0-yo<<(nb-1), nb)
					b.x1 = ceilDivPow2(tc.x1-xo<<(nb-1), nb)
					b.y1 = ceilDivPow2(tc.y1-yo<<(nb-1), nb)
				}
				idx := 0
				if r > 0 {
					idx = 3*(r-1) + o
				}
				var eps, mu int
				if cp.qstyle == 1 {
					eps, mu = cp.expn[0]-nl+nb, cp.mant[0]
					if eps < 0 {
						return nil, FormatError("negative derived quantisation exponent")
					}
				} else {
					eps, mu = cp.expn[idx], cp.mant[idx]
				}
				b.mb = cp.guard + eps - 1
				if b.mb+cp.roiShift > 30 {
					return nil, UnsupportedError("more than 30 magnitude bit-planes")
				}
				gain := [4]int{0, 1, 1, 2}[o]
				rb := comp.prec + gain
				b.step = float32((1 + float64(mu)/2048) * math.Ldexp(1, rb-eps))
				res.bands = append(res.bands, b)
			}
			nprec += res.pw * res.ph
			if nprec > maxPrecincts {
				return nil, UnsupportedError("too many precincts")
			}
			for bi := range res.bands {
				b := &res.bands[bi]
				if b.x1 > b.x0 && b.y1 > b.y0 {
					ncb += (ceilDivPow2(b.x1, b.xcb) - b.x0>>b.xcb) * (ceilDivPow2(b.y1, b.ycb) - b.y0>>b.ycb)
				}
			}
			if ncb > maxCodeblocks {
				return nil, UnsupportedError("too many code-blocks")
			}
			res.precincts = make([][]precBand, res.pw*res.ph)
			px0, py0 := res.x0>>res.ppx, res.y0>>res.ppy
			for j := 0; j < res.ph; j++ {
				for i := 0; i < res.pw; i++ {
					pbs := make([]precBand, len(res.bands))
					for bi := range res.bands {
						b := &res.bands[bi]
						pb := &pbs[bi]
						x0 := max((px0+i)<<bpx, b.x0)
						x1 := min((px0+i+1)<<bpx, b.x1)
						y0 := max((py0+j)<<bpy, b.y0)
						y1 := min((py0+j+1)<<bpy, b.y1)
						if x0 >= x1 || y0 >= y1 {
							continue
						}
						cx0, cy0 := x0>>b.xcb, y0>>b.ycb
						pb.nw = ceilDivPow2(x1, b.xcb) - cx0
						pb.nh = ceilDivPow2(y1, b.ycb) - cy0
						pb.cbs = make([]codeblock, pb.nw*pb.nh)
						for cj := 0; cj < pb.nh; cj++ {
							for ci := 0; ci < pb.nw; ci++ {
								cb := &pb.cbs[cj*pb.nw+ci]
								cb.x0 = max((cx0+ci)<<b.xcb, b.x0)
								cb.y0 = max((cy0+cj)<<b.ycb, b.y0)
								cb.x1 = min((cx0+ci+1)<<b.xcb, b.x1)
								cb.y1 = min((cy0+cj+1)<<b.ycb, b.y1)
								cb.lblock = 3
							}
						}
						pb.incl.init(pb.nw, pb.nh)
						pb.zbp.init(pb.nw, pb.nh)
					}
					res.precincts[j*res.pw+i] = pbs
				}
			}
		}
	}
	return t, nil
}

// packet identifies one packet: layer, resolution, component, precinct.
type packet struct {
	l, r, c, p int
	x, y       int // precinct position on the reference grid (position orders)
}

// packetOrder lists the packets of t in the order of its progression.
func (t *tile) packetOrder(cs *codestream) ([]packet, error) {
	layers := t.params.layers
	maxR := 0
	total := 0
	for c := range t.comps {
		tc := &t.comps[c]
		maxR = max(maxR, len(tc.res))
		for r := range tc.res {
			total += len(tc.res[r].precincts)
		}
	}
	if total*layers > maxPackets {
		return nil, UnsupportedError("too many packets")
	}
	pk := make([]packet, 0, total*layers)
	for c := range t.comps {
		tc := &t.comps[c]
		comp := &cs.siz.comps[c]
		nl := len(tc.res) - 1
		for r := range tc.res {
			res := &tc.res[r]
			for j := 0; j < res.ph; j++ {
				for i := 0; i < res.pw; i++ {
					k := j*res.pw + i
					x := max(t.x0, comp.dx*((res.x0>>res.ppx+i)<<(res.ppx+nl-r)))
					y := max(t.y0, comp.dy*((res.y0>>res.ppy+j)<<(res.ppy+nl-r)))
					for l := 0; l < layers; l++ {
						pk = append(pk, packet{l: l, r: r, c: c, p: k, x: x, y: y})
					}
				}
			}
		}
	}
	less := orderFunc(t.params.progression)
	if len(t.params.poc) == 0 {
		sort.SliceStable(pk, func(i, j int) bool { return less(&pk[i], &pk[j]) })
		return pk, nil
	}
	// Progression order changes: each entry emits the packets of its
	// volume not yet emitted, in its own order; packets no entry covers
	// follow in the default order.
	done := make([]bool, len(pk))
	out := make([]packet, 0, len(pk))
	idx := make([]int, 0, len(pk))
	for _, e := range t.params.poc {
		idx = idx[:0]
		for i := range pk {
			p := &pk[i]
			if !done[i] && p.l < e.lye && p.r >= e.rs && p.r < e.re && p.c >= e.cs && p.c < e.ce {
				idx = append(idx, i)
			}
		}
		lessE := orderFunc(e.prog)
		sort.SliceStable(idx, func(a, b int) bool { return lessE(&pk[idx[a]], &pk[idx[b]]) })
		for _, i := range idx {
			done[i] = true
			out = append(out, pk[i])
		}
	}
	idx = idx[:0]
	for i := range pk {
		if !done[i] {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return less(&pk[idx[a]], &pk[idx[b]]) })
	for _, i := range idx {
		out = append(out, pk[i])
	}
	return out, nil
}

// bitReader reads packet header bits with the bit-stuffing of T.800 B.10.1.
type bitReader struct {
	data []byte
	pos  int
	buf  byte
	ct   int
}

func (br *bitReader) bit() (int, error) {
	if br.ct == 0 {
		if br.pos >= len(br.data) {
			return 0, errTruncated
		}
		if br.buf == 0xff {
			br.ct = 7
		} else {
			br.ct = 8
		}
		br.buf = br.data[br.pos]
		br.pos++
	}
	br.ct--
	return int(br.buf>>br.ct) & 1, nil
}

func (br *bitReader) bits(n int) (int, error) {
	v := 0
	for ; n > 0; n-- {
		b, err := br.bit()
		if err != nil {
			return 0, err
		}
		v = v<<1 | b
	}
	return v, nil
}

// align skips to the end of the packet header.
func (br *bitReader) align() {
	if br.buf == 0xff {
		br.pos++
	}
	br.ct = 0
	br.buf = 0
}

func segMaxPasses(style byte, first int) int {
	switch {
	case style&cbTermAll != 0:
		return 1
	case style&cbBypass != 0:
		if first < 10 {
			return 10 - first
		}
		if first%3 == 1 { // significance pass: raw with the refinement pass
			return 2
		}
		return 1
	}
	return math.MaxInt32
}

func floorLog2(n int) int {
	k := 0
	for n > 1 {
		n >>= 1
		k++
	}
	return k
}

type contribution struct {
	cb *codeblock
	si int // segment index
	n  int // length in bytes
}

// decodePacket reads one packet: its header from hdr[*hpos:] and its body
// from data[*pos:]; both are the same stream unless packet headers are
// packed in PPM or PPT marker segments.
func (t *tile) decodePacket(hdr []byte, hpos *int, data []byte, pos *int, pk *packet, contribs []contribution) ([]contribution, error) {
	tc := &t.comps[pk.c]
	res := &tc.res[pk.r]
	pbs := res.precincts[pk.p]
	style := tc.cp.cbStyle
	if t.params.sop && *pos+6 <= len(data) && data[*pos] == 0xff && data[*pos+1] == 0x91 {
		*pos += 6
	}
	br := &bitReader{data: hdr, pos: *hpos}
	contribs = contribs[:0]
	// A header cut short by truncation leaves no partial pass counts
	// behind: the code-blocks it touched are restored.
	undo := t.undo[:0]
	headerDone := false
	defer func() {
		if !headerDone {
			for i := len(undo) - 1; i >= 0; i-- {
				u := &undo[i]
				u.cb.included, u.cb.numbps, u.cb.lblock, u.cb.npasses = u.included, u.numbps, u.lblock, u.npasses
				u.cb.segs = u.cb.segs[:u.nsegs]
				if u.nsegs > 0 {
					u.cb.segs[u.nsegs-1].npasses = u.lastPasses
				}
			}
		}
		t.undo = undo[:0]
	}()
	present, err := br.bit()
	if err != nil {
		return nil, err
	}
	if present != 0 {
		for bi := range pbs {
			pb := &pbs[bi]
			b := &res.bands[bi]
			for ci := range pb.cbs {
				cb := &pb.cbs[ci]
				var inc int
				if !cb.included {
					ok, err := pb.incl.decode(br, ci%pb.nw, ci/pb.nw, pk.l+1)
					if err != nil {
						return nil, err
					}
					if ok {
						inc = 1
					}
				} else if inc, err = br.bit(); err != nil {
					return nil, err
				}
				if inc == 0 {
					continue
				}
				u := cbUndo{cb: cb, included: cb.included, numbps: cb.numbps, lblock: cb.lblock, npasses: cb.npasses, nsegs: len(cb.segs)}
				if u.nsegs > 0 {
					u.lastPasses = cb.segs[u.nsegs-1].npasses
				}
				undo = append(undo, u)
				if !cb.included {
					zb := 0
					for {
						ok, err := pb.zbp.decode(br, ci%pb.nw, ci/pb.nw, zb+1)
						if err != nil {
							return nil, err
						}
						if ok {
							break
						}
						zb++
						if zb > 64 {
							return nil, FormatError("bad zero bit-plane count")
						}
					}
					cb.numbps = b.mb - zb
					cb.included = true
				}
				n, err := readPassCount(br)
				if err != nil {
					return nil, err
				}
				for {
					v, err := br.bit()
					if err != nil {
						return nil, err
					}
					if v == 0 {
						break
					}
					cb.lblock++
					if cb.lblock > 32 {
						return nil, FormatError("bad code-block length indicator")
					}
				}
				if cb.npasses+n > maxCodeblockPasses {
					return nil, FormatError("too many coding passes")
				}
				for n > 0 {
					var seg *segment
					if k := len(cb.segs); k > 0 && cb.segs[k-1].npasses < cb.segs[k-1].maxpasses {
						seg = &cb.segs[k-1]
					} else {
						cb.segs = append(cb.segs, segment{maxpasses: segMaxPasses(style, cb.npasses)})
						seg = &cb.segs[len(cb.segs)-1]
					}
					m := min(n, seg.maxpasses-seg.npasses)
					length, err := br.bits(cb.lblock + floorLog2(m))
					if err != nil {
						return nil, err
					}
					seg.npasses += m
					cb.npasses += m
					n -= m
					contribs = append(contribs, contribution{cb: cb, si: len(cb.segs) - 1, n: length})
				}
			}
		}
	}
	headerDone = true
	br.align()
	*hpos = br.pos
	if t.params.eph && *hpos+2 <= len(hdr) && hdr[*hpos] == 0xff && hdr[*hpos+1] == 0x92 {
		*hpos += 2
	}
	for _, ct := range contribs {
		seg := &ct.cb.segs[ct.si]
		end := *pos + ct.n
		if end > len(data) || end < *pos {
			seg.data = append(seg.data, data[*pos:]...)
			*pos = len(data)
			return contribs, errTruncated
		}
		seg.data = append(seg.data, data[*pos:end]...)
		*pos = end
	}
	return contribs, nil
}

func readPassCount(br *bitReader) (int, error) {
	b, err := br.bit()
	if err != nil || b == 0 {
		return 1, err
	}
	if b, err = br.bit(); err != nil || b == 0 {
		return 2, err
	}
	v, err := br.bits(2)
	if err != nil || v != 3 {
		return 3 + v, err
	}
	if v, err = br.bits(5); err != nil || v != 31 {
		return 6 + v, err
	}
	v, err = br.bits(7)
	return 37 + v, err
}

func cmpKeys(keys ...int) int {
	for i := 0; i < len(keys); i += 2 {
		if keys[i] != keys[i+1] {
			if keys[i] < keys[i+1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// orderFunc returns the packet ordering of progression order prog.
func orderFunc(prog int) func(a, b *packet) bool {
	switch prog {
	case 0: // LRCP
		return func(a, b *packet) bool { return cmpKeys(a.l, b.l, a.r, b.r, a.c, b.c, a.p, b.p) < 0 }
	case 1: // RLCP
		return func(a, b *packet) bool { return cmpKeys(a.r, b.r, a.l, b.l, a.c, b.c, a.p, b.p) < 0 }
	case 2: // RPCL
		return func(a, b *packet) bool {
			return cmpKeys(a.r, b.r, a.y, b.y, a.x, b.x, a.c, b.c, a.p, b.p, a.l, b.l) < 0
		}
	case 3: // PCRL
		return func(a, b *packet) bool {
			return cmpKeys(a.y, b.y, a.x, b.x, a.c, b.c, a.r, b.r, a.p, b.p, a.l, b.l) < 0
		}
	}
	// CPRL
	return func(a, b *packet) bool {
		return cmpKeys(a.c, b.c, a.y, b.y, a.x, b.x, a.r, b.r, a.p, b.p, a.l, b.l) < 0
	}
}
