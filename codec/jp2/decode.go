package jp2

import (
	"cmp"
	"encoding/binary"
	"image"
	"image/color"
	"io"
	"math"
	"slices"
)

// MaxPixels is the largest image (width × height) Decode accepts; it is
// checked before allocating.
const MaxPixels = 1 << 26

// codingStyle holds COD/COC parameters for one component.
type codingStyle struct {
	levels     int
	xcb, ycb   int // code-block size exponents
	style      int
	reversible bool
	ppx, ppy   []int // precinct size exponents per resolution
}

// quantStyle holds QCD/QCC parameters for one component.
type quantStyle struct {
	guard int
	style int // 0 none, 1 scalar derived, 2 scalar expounded
	eps   []int
	mu    []int
}

// params are the coding parameters in force for a tile.
type params struct {
	progression int
	layers      int
	mct         bool
	sop, eph    bool
	cs          []codingStyle
	qs          []quantStyle
}

func (p *params) clone() *params {
	q := *p
	q.cs = append([]codingStyle(nil), p.cs...)
	q.qs = append([]quantStyle(nil), p.qs...)
	return &q
}

type component struct {
	prec       int
	signed     bool
	xr, yr     int
	x0, y0     int // component origin on its own grid
	w, h       int
	plane      []float32
	reversible bool
}

type decoder struct {
	xsiz, ysiz, xo, yo int
	xt, yt, xto, yto   int
	ntx, nty           int
	comps              []component
	def                *params
	tileParams         map[int]*params
	tileData           map[int][]byte
	tileOrder          []int
}

// decodeCodestream decodes a J2K codestream held in b.
func decodeCodestream(b []byte) (image.Image, error) {
	d := &decoder{tileParams: map[int]*params{}, tileData: map[int][]byte{}}
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0x4F {
		return nil, FormatError("missing SOC marker")
	}
	pos := 2
	p := &params{}
	haveSIZ, haveCOD, haveQCD := false, false, false
	// Main header.
	for {
		if pos+4 > len(b) {
			return nil, FormatError("truncated main header")
		}
		m := binary.BigEndian.Uint16(b[pos:])
		if m == 0xFF90 {
			break
		}
		n := int(binary.BigEndian.Uint16(b[pos+2:]))
		if n < 2 || pos+2+n > len(b) {
			return nil, FormatError("bad marker segment length")
		}
		seg := b[pos+4 : pos+2+n]
		pos += 2 + n
		var err error
		switch m {
		case 0xFF51:
			err = d.readSIZ(seg)
			haveSIZ = err == nil
			if haveSIZ {
				p.cs = make([]codingStyle, len(d.comps))
				p.qs = make([]quantStyle, len(d.comps))
			}
		case 0xFF52:
			if !haveSIZ {
				return nil, FormatError("COD before SIZ")
			}
			err = readCOD(seg, p, -1)
			haveCOD = true
		case 0xFF53:
			if !haveSIZ {
				return nil, FormatError("COC before SIZ")
			}
			err = readCOC(seg, p)
		case 0xFF5C:
			if !haveSIZ {
				return nil, FormatError("QCD before SIZ")
			}
			err = readQCD(seg, p, -1)
			haveQCD = true
		case 0xFF5D:
			if !haveSIZ {
				return nil, FormatError("QCC before SIZ")
			}
			err = readQCC(seg, p)
		case 0xFF5E:
			return nil, UnsupportedError("region of interest (RGN)")
		case 0xFF5F:
			return nil, UnsupportedError("progression order changes (POC)")
		case 0xFF60:
			return nil, UnsupportedError("packed packet headers (PPM)")
		}
		if err != nil {
			return nil, err
		}
	}
	if !haveSIZ || !haveCOD || !haveQCD {
		return nil, FormatError("main header lacks SIZ, COD or QCD")
	}
	d.def = p
	// Tile-parts.
	for pos+2 <= len(b) {
		m := binary.BigEndian.Uint16(b[pos:])
		if m == 0xFFD9 { // EOC
			break
		}
		if m != 0xFF90 || pos+12 > len(b) {
			return nil, FormatError("expected SOT marker")
		}
		start := pos
		tile := int(binary.BigEndian.Uint16(b[pos+4:]))
		psot := int(binary.BigEndian.Uint32(b[pos+6:]))
		tpsot := int(b[pos+10])
		if tile >= d.ntx*d.nty {
			return nil, FormatError("tile index out of range")
		}
		end := start + psot
		if psot == 0 {
			end = len(b)
			if end >= 2 && b[end-2] == 0xFF && b[end-1] == 0xD9 {
				end -= 2
			}
		}
		if psot != 0 && (psot < 14 || end > len(b)) {
			if end > len(b) {
				end = len(b) // truncated file: decode what is there
			} else {
				return nil, FormatError("bad tile-part length")
			}
		}
		pos += 12
		tp, ok := d.tileParams[tile]
		if !ok {
			tp = d.def.clone()
			d.tileParams[tile] = tp
			d.tileOrder = append(d.tileOrder, tile)
		}
		// Tile-part header.
		for {
			if pos+2 > end {
				return nil, FormatError("truncated tile-part header")
			}
			m := binary.BigEndian.Uint16(b[pos:])
			if m == 0xFF93 { // SOD
				pos += 2
				break
			}
			if pos+4 > end {
				return nil, FormatError("truncated tile-part header")
			}
			n := int(binary.BigEndian.Uint16(b[pos+2:]))
			if n < 2 || pos+2+n > end {
				return nil, FormatError("bad marker segment length")
			}
			seg := b[pos+4 : pos+2+n]
			pos += 2 + n
			if tpsot != 0 && m != 0xFF58 && m != 0xFF64 {
				continue
			}
			var err error
			switch m {
			case 0xFF52:
				err = readCOD(seg, tp, -1)
			case 0xFF53:
				err = readCOC(seg, tp)
			case 0xFF5C:
				err = readQCD(seg, tp, -1)
			case 0xFF5D:
				err = readQCC(seg, tp)
			case 0xFF5E:
				err = UnsupportedError("region of interest (RGN)")
			case 0xFF5F:
				err = UnsupportedError("progression order changes (POC)")
			case 0xFF61:
				err = UnsupportedError("packed packet headers (PPT)")
			}
			if err != nil {
				return nil, err
			}
		}
		d.tileData[tile] = append(d.tileData[tile], b[pos:end]...)
		pos = end
	}
	for _, c := range d.comps {
		if c.w*c.h > MaxPixels {
			return nil, UnsupportedError("image larger than MaxPixels")
		}
	}
	for i := range d.comps {
		c := &d.comps[i]
		c.plane = make([]float32, c.w*c.h)
	}
	for _, t := range d.tileOrder {
		if err := d.decodeTile(t); err != nil {
			return nil, err
		}
	}
	return d.output()
}

func (d *decoder) readSIZ(s []byte) error {
	if len(s) < 36+3 {
		return FormatError("short SIZ marker")
	}
	u := func(o int) int { return int(binary.BigEndian.Uint32(s[o:])) }
	d.xsiz, d.ysiz, d.xo, d.yo = u(2), u(6), u(10), u(14)
	d.xt, d.yt, d.xto, d.yto = u(18), u(22), u(26), u(30)
	nc := int(binary.BigEndian.Uint16(s[34:]))
	if d.xsiz <= d.xo || d.ysiz <= d.yo || d.xt <= 0 || d.yt <= 0 || d.xto > d.xo || d.yto > d.yo ||
		d.xto+d.xt <= d.xo || d.yto+d.yt <= d.yo || d.xsiz > 1<<30 || d.ysiz > 1<<30 {
		return FormatError("bad image or tile geometry")
	}
	if nc == 0 || nc > 16 || len(s) < 36+3*nc {
		return UnsupportedError("component count")
	}
	if int64(d.xsiz-d.xo)*int64(d.ysiz-d.yo) > MaxPixels {
		return UnsupportedError("image larger than MaxPixels")
	}
	d.ntx = ceilDiv(d.xsiz-d.xto, d.xt)
	d.nty = ceilDiv(d.ysiz-d.yto, d.yt)
	if d.ntx*d.nty > 1<<16 {
		return UnsupportedError("too many tiles")
	}
	d.comps = make([]component, nc)
	for i := range d.comps {
		e := s[36+3*i:]
		c := &d.comps[i]
		c.prec = int(e[0]&0x7F) + 1
		c.signed = e[0]&0x80 != 0
		c.xr, c.yr = int(e[1]), int(e[2])
		if c.prec > 16 || c.xr == 0 || c.yr == 0 {
			return UnsupportedError("component precision or subsampling")
		}
		c.x0, c.y0 = ceilDiv(d.xo, c.xr), ceilDiv(d.yo, c.yr)
		c.w, c.h = ceilDiv(d.xsiz, c.xr)-c.x0, ceilDiv(d.ysiz, c.yr)-c.y0
		if c.w <= 0 || c.h <= 0 {
			return FormatError("empty component")
		}
	}
	return nil
}

// readSPcod reads the part of COD/COC shared by both.
func readSPcod(s []byte, precincts bool) (codingStyle, error) {
	if len(s) < 5 {
		return codingStyle{}, FormatError("short coding style")
	}
	cs := codingStyle{levels: int(s[0]), xcb: int(s[1]&0x0F) + 2, ycb: int(s[2]&0x0F) + 2, style: int(s[3]), reversible: s[4] == 1}
	if cs.levels > 32 || cs.xcb+cs.ycb > 12 || cs.xcb > 10 || cs.ycb > 10 {
		return cs, FormatError("bad coding style")
	}
	cs.ppx = make([]int, cs.levels+1)
	cs.ppy = make([]int, cs.levels+1)
	for r := 0; r <= cs.levels; r++ {
		cs.ppx[r], cs.ppy[r] = 15, 15
		if precincts {
			if len(s) < 5+r+1 {
				return cs, FormatError("short precinct sizes")
			}
			v := s[5+r]
			cs.ppx[r], cs.ppy[r] = int(v&0x0F), int(v>>4)
			if r > 0 && (cs.ppx[r] == 0 || cs.ppy[r] == 0) {
				return cs, FormatError("bad precinct size")
			}
		}
	}
	return cs, nil
}

func readCOD(s []byte, p *params, _ int) error {
	if len(s) < 5 {
		return FormatError("short COD marker")
	}
	scod := s[0]
	p.progression = int(s[1])
	p.layers = int(binary.BigEndian.Uint16(s[2:]))
	p.mct = s[4] == 1
	p.sop, p.eph = scod&2 != 0, scod&4 != 0
	if p.progression > 4 || p.layers == 0 {
		return FormatError("bad COD marker")
	}
	cs, err := readSPcod(s[5:], scod&1 != 0)
	if err != nil {
		return err
	}
	for i := range p.cs {
		p.cs[i] = cs
	}
	return nil
}

func (p *params) compIndex(s []byte) (int, []byte, error) {
	if len(p.cs) < 257 {
		if len(s) < 1 || int(s[0]) >= len(p.cs) {
			return 0, nil, FormatError("bad component index")
		}
		return int(s[0]), s[1:], nil
	}
	if len(s) < 2 || int(binary.BigEndian.Uint16(s)) >= len(p.cs) {
		return 0, nil, FormatError("bad component index")
	}
	return int(binary.BigEndian.Uint16(s)), s[2:], nil
}

func readCOC(s []byte, p *params) error {
	c, rest, err := p.compIndex(s)
	if err != nil {
		return err
	}
	if len(rest) < 1 {
		return FormatError("short COC marker")
	}
	cs, err := readSPcod(rest[1:], rest[0]&1 != 0)
	if err != nil {
		return err
	}
	p.cs[c] = cs
	return nil
}

func readQuant(s []byte) (quantStyle, error) {
	if len(s) < 1 {
		return quantStyle{}, FormatError("short quantization marker")
	}
	q := quantStyle{guard: int(s[0] >> 5), style: int(s[0] & 0x1F)}
	s = s[1:]
	switch q.style {
	case 0:
		for _, v := range s {
			q.eps = append(q.eps, int(v>>3))
			q.mu = append(q.mu, 0)
		}
	case 1, 2:
		for len(s) >= 2 {
			v := binary.BigEndian.Uint16(s)
			q.eps = append(q.eps, int(v>>11))
			q.mu = append(q.mu, int(v&0x7FF))
			s = s[2:]
			if q.style == 1 {
				break
			}
		}
	default:
		return q, FormatError("bad quantization style")
	}
	if len(q.eps) == 0 {
		return q, FormatError("no quantization step sizes")
	}
	return q, nil
}

func readQCD(s []byte, p *params, _ int) error {
	q, err := readQuant(s)
	if err != nil {
		return err
	}
	for i := range p.qs {
		p.qs[i] = q
	}
	return nil
}

func readQCC(s []byte, p *params) error {
	c, rest, err := p.compIndex(s)
	if err != nil {
		return err
	}
	q, err := readQuant(rest)
	if err != nil {
		return err
	}
	p.qs[c] = q
	return nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func ceilPow2(a, k int) int {
	if k >= 31 {
		if a > 0 {
			return 1
		}
		return 0
	}
	return (a + (1 << k) - 1) >> k
}

func floorPow2(a, k int) int {
	if k >= 31 {
		return 0
	}
	return a >> k
}

// Tile decoding structures.

type codeblock struct {
	x0, y0, x1, y1 int // in band coordinates
	included       bool
	zeroBP         int
	lblock         int
	passes         int
	segs           [][]byte // codeword segments (one unless BYPASS or TERMALL)
}

// segmentOf returns the codeword segment that coding pass i (0-based) belongs
// to under code-block style, and the number of passes that segment holds.
func segmentOf(i, style int) (seg, size int) {
	switch {
	case style&styleTermAll != 0:
		return i, 1
	case style&styleBypass != 0:
		if i < 10 {
			return 0, 10
		}
		j := i - 10
		if j%3 < 2 {
			return 1 + 2*(j/3), 2 // raw significance and refinement passes
		}
		return 2 + 2*(j/3), 1 // arithmetic-coded cleanup pass
	}
	return 0, 1 << 30
}

type precinctBand struct {
	cw, ch int
	blocks []*codeblock
	incl   *tagTree
	zbp    *tagTree
}

type precinct struct {
	bands []precinctBand
	xref  int // position on the reference grid, for progression orders
	yref  int
}

type band struct {
	orient         int
	x0, y0, x1, y1 int
	mb             int     // number of magnitude bit-planes
	step           float32 // quantization step (irreversible)
	data           []float32
}

type resLevel struct {
	x0, y0, x1, y1 int
	ppx, ppy       int
	npw, nph       int
	bands          []*band
	precincts      []*precinct
}

type tileComp struct {
	x0, y0, x1, y1 int
	res            []*resLevel
	cs             codingStyle
}

func (d *decoder) decodeTile(tile int) error {
	p := d.tileParams[tile]
	tx, ty := tile%d.ntx, tile/d.ntx
	tx0 := max(d.xto+tx*d.xt, d.xo)
	ty0 := max(d.yto+ty*d.yt, d.yo)
	tx1 := min(d.xto+(tx+1)*d.xt, d.xsiz)
	ty1 := min(d.yto+(ty+1)*d.yt, d.ysiz)
	tcs := make([]*tileComp, len(d.comps))
	type pkt struct {
		l, r, c, p int
		k          [5]int
	}
	var pkts []pkt
	npk := 0
	ncb := 0
	for ci := range d.comps {
		c := &d.comps[ci]
		cs := p.cs[ci]
		qs := p.qs[ci]
		tc := &tileComp{x0: ceilDiv(tx0, c.xr), y0: ceilDiv(ty0, c.yr), x1: ceilDiv(tx1, c.xr), y1: ceilDiv(ty1, c.yr), cs: cs}
		tcs[ci] = tc
		nl := cs.levels
		for r := 0; r <= nl; r++ {
			rl := &resLevel{
				x0: ceilPow2(tc.x0, nl-r), y0: ceilPow2(tc.y0, nl-r),
				x1: ceilPow2(tc.x1, nl-r), y1: ceilPow2(tc.y1, nl-r),
				ppx: cs.ppx[r], ppy: cs.ppy[r],
			}
			if rl.x1 > rl.x0 {
				rl.npw = ceilPow2(rl.x1, rl.ppx) - floorPow2(rl.x0, rl.ppx)
			}
			if rl.y1 > rl.y0 {
				rl.nph = ceilPow2(rl.y1, rl.ppy) - floorPow2(rl.y0, rl.ppy)
			}
			// Every packet takes at least one byte, so a stream with far
			// more packets than bytes is corrupt (or cut very short).
			npk += rl.npw * rl.nph * p.layers
			if rl.npw*rl.nph > 1<<20 || npk > 64*len(d.tileData[tile])+4096 {
				return FormatError("more packets than the tile's data can hold")
			}
			orients := []int{orientLL}
			if r > 0 {
				orients = []int{orientHL, orientLH, orientHH}
			}
			for bi, o := range orients {
				b := &band{orient: o}
				if r == 0 {
					b.x0, b.y0, b.x1, b.y1 = rl.x0, rl.y0, rl.x1, rl.y1
				} else {
					nb := nl - r + 1
					xob, yob := 0, 0
					if o == orientHL || o == orientHH {
						xob = 1
					}
					if o == orientLH || o == orientHH {
						yob = 1
					}
					b.x0 = ceilPow2(tc.x0-(xob<<(nb-1)), nb)
					b.y0 = ceilPow2(tc.y0-(yob<<(nb-1)), nb)
					b.x1 = ceilPow2(tc.x1-(xob<<(nb-1)), nb)
					b.y1 = ceilPow2(tc.y1-(yob<<(nb-1)), nb)
				}
				// Quantization: subband index in QCD order.
				idx := 0
				if r > 0 {
					idx = 3*(r-1) + 1 + bi
				}
				var eps, mu int
				if qs.style == 1 {
					eps, mu = qs.eps[0], qs.mu[0]
					if r > 0 {
						eps = qs.eps[0] - nl + (nl - r + 1)
						// ε_b = ε_0 − N_L + n_b with n_b the decomposition level.
						eps = qs.eps[0] - nl + (nl - r + 1)
					}
				} else {
					if idx >= len(qs.eps) {
						return FormatError("too few quantization step sizes")
					}
					eps, mu = qs.eps[idx], qs.mu[idx]
				}
				gain := map[int]int{orientLL: 0, orientHL: 1, orientLH: 1, orientHH: 2}[o]
				b.mb = qs.guard + eps - 1
				if b.mb > 30 || b.mb < 0 {
					return UnsupportedError("more than 30 bit-planes")
				}
				b.step = float32(math.Ldexp(1+float64(mu)/2048, c.prec+gain-eps))
				if bw, bh := b.x1-b.x0, b.y1-b.y0; bw > 0 && bh > 0 {
					b.data = make([]float32, bw*bh)
				}
				rl.bands = append(rl.bands, b)
			}
			// Precincts and their code-blocks.
			xcb, ycb := cs.xcb, cs.ycb
			pbx, pby := rl.ppx, rl.ppy
			if r > 0 {
				pbx, pby = pbx-1, pby-1
			}
			xcb, ycb = min(xcb, pbx), min(ycb, pby)
			for py := 0; py < rl.nph; py++ {
				for px := 0; px < rl.npw; px++ {
					pr := &precinct{}
					// Precinct origin on the resolution grid.
					ax := (floorPow2(rl.x0, rl.ppx) + px) << rl.ppx
					ay := (floorPow2(rl.y0, rl.ppy) + py) << rl.ppy
					pr.xref = max(ax, rl.x0) << (nl - r) * c.xr
					pr.yref = max(ay, rl.y0) << (nl - r) * c.yr
					if px == 0 && ax < rl.x0 {
						pr.xref = tx0
					}
					if py == 0 && ay < rl.y0 {
						pr.yref = ty0
					}
					for _, b := range rl.bands {
						// Precinct region in band coordinates.
						bx0, by0 := ax, ay
						bx1, by1 := ax+(1<<rl.ppx), ay+(1<<rl.ppy)
						if r > 0 {
							bx0, by0, bx1, by1 = bx0>>1, by0>>1, bx1>>1, by1>>1
						}
						bx0, by0 = max(bx0, b.x0), max(by0, b.y0)
						bx1, by1 = min(bx1, b.x1), min(by1, b.y1)
						var pb precinctBand
						if bx1 > bx0 && by1 > by0 {
							cx0, cy0 := floorPow2(bx0, xcb), floorPow2(by0, ycb)
							pb.cw = ceilPow2(bx1, xcb) - cx0
							pb.ch = ceilPow2(by1, ycb) - cy0
							ncb += pb.cw * pb.ch
							if pb.cw*pb.ch > 1<<16 || ncb > 1<<21 {
								return UnsupportedError("too many code-blocks")
							}
							for j := 0; j < pb.ch; j++ {
								for i := 0; i < pb.cw; i++ {
									cb := &codeblock{lblock: 3,
										x0: max((cx0+i)<<xcb, bx0), y0: max((cy0+j)<<ycb, by0),
										x1: min((cx0+i+1)<<xcb, bx1), y1: min((cy0+j+1)<<ycb, by1)}
									pb.blocks = append(pb.blocks, cb)
								}
							}
							pb.incl = newTagTree(pb.cw, pb.ch)
							pb.zbp = newTagTree(pb.cw, pb.ch)
						}
						pr.bands = append(pr.bands, pb)
					}
					pi := len(rl.precincts)
					rl.precincts = append(rl.precincts, pr)
					for l := 0; l < p.layers; l++ {
						pk := pkt{l: l, r: r, c: ci, p: pi}
						switch p.progression {
						case 0: // LRCP
							pk.k = [5]int{l, r, ci, pi}
						case 1: // RLCP
							pk.k = [5]int{r, l, ci, pi}
						case 2: // RPCL
							pk.k = [5]int{r, pr.yref, pr.xref, ci, l}
						case 3: // PCRL
							pk.k = [5]int{pr.yref, pr.xref, ci, r, l}
						case 4: // CPRL
							pk.k = [5]int{ci, pr.yref, pr.xref, r, l}
						}
						pkts = append(pkts, pk)
					}
				}
			}
			tc.res = append(tc.res, rl)
		}
	}
	slices.SortStableFunc(pkts, func(a, b pkt) int {
		for n := range a.k {
			if c := cmp.Compare(a.k[n], b.k[n]); c != 0 {
				return c
			}
		}
		return 0
	})

	// Tier 2.
	rd := &pktReader{data: d.tileData[tile]}
	for _, pk := range pkts {
		if rd.pos >= len(rd.data) {
			break // truncated stream: decode the layers that are present
		}
		if err := d.readPacket(rd, p, tcs[pk.c].res[pk.r].precincts[pk.p], pk.l, tcs[pk.c].cs.style); err != nil {
			if rd.err != nil {
				break
			}
			return err
		}
	}

	// Tier 1, dequantization, inverse transform.
	var t t1
	for ci, tc := range tcs {
		for _, rl := range tc.res {
			for _, pr := range rl.precincts {
				for bi, pb := range pr.bands {
					b := rl.bands[bi]
					orient := 0
					switch b.orient {
					case orientHL:
						orient = 1
					case orientHH:
						orient = 2
					}
					for _, cb := range pb.blocks {
						if cb.passes == 0 || cb.x1 <= cb.x0 || cb.y1 <= cb.y0 {
							continue
						}
						w, h := cb.x1-cb.x0, cb.y1-cb.y0
						t.reset(w, h, orient, tc.cs.style&styleVSC != 0)
						p0 := b.mb - 1 - cb.zeroBP
						if p0 < 0 {
							continue
						}
						t.decodeBlock(cb.segs, cb.passes, p0, tc.cs.style)
						bw := b.x1 - b.x0
						for y := 0; y < h; y++ {
							for x := 0; x < w; x++ {
								m := t.mag[y*w+x]
								if m == 0 {
									continue
								}
								var v float32
								if tc.cs.reversible {
									v = float32(m >> 1)
								} else {
									v = float32(m) / 2 * b.step
								}
								if t.flags[(y+1)*t.stride+x+1]&fNeg != 0 {
									v = -v
								}
								b.data[(cb.y0-b.y0+y)*bw+cb.x0-b.x0+x] = v
							}
						}
					}
				}
			}
		}
		d.comps[ci].reversible = tc.cs.reversible
		out := inverseDWT(tc)
		// Place into the component plane (MCT and level shift come later).
		c := &d.comps[ci]
		w := tc.x1 - tc.x0
		for y := tc.y0; y < tc.y1; y++ {
			row := out[(y-tc.y0)*w : (y-tc.y0+1)*w]
			copy(c.plane[(y-c.y0)*c.w+tc.x0-c.x0:], row)
		}
	}
	if p.mct && len(d.comps) >= 3 {
		d.inverseMCT(tcs)
	}
	return nil
}

func (d *decoder) readPacket(rd *pktReader, p *params, pr *precinct, layer, style int) error {
	if p.sop && rd.pos+6 <= len(rd.data) && rd.data[rd.pos] == 0xFF && rd.data[rd.pos+1] == 0x91 {
		rd.pos += 6
	}
	rd.ct, rd.lastFF = 0, false
	present := rd.bit()
	type seg struct {
		cb  *codeblock
		idx int
		len int
	}
	var segs []seg
	if present != 0 {
		for bi := range pr.bands {
			pb := &pr.bands[bi]
			for i, cb := range pb.blocks {
				var incl bool
				if !cb.included {
					incl = pb.incl.decode(rd, i, layer+1)
				} else {
					incl = rd.bit() != 0
				}
				if rd.err != nil {
					return rd.err
				}
				if !incl {
					continue
				}
				if !cb.included {
					th := 1
					for !pb.zbp.decode(rd, i, th) {
						if rd.err != nil {
							return rd.err
						}
						th++
						if th > 64 {
							return FormatError("bad zero bit-plane count")
						}
					}
					cb.zeroBP = pb.zbp.value(i)
					cb.included = true
				}
				n := numPasses(rd)
				for rd.bit() == 1 {
					cb.lblock++
					if cb.lblock > 32 || rd.err != nil {
						return FormatError("bad code-block length indicator")
					}
				}
				// One length per codeword segment the new passes touch.
				for done := 0; done < n; {
					sg, _ := segmentOf(cb.passes+done, style)
					start := cb.passes + done
					// Passes of this segment within the new ones.
					k := 1
					for start+k < cb.passes+n {
						if s2, _ := segmentOf(start+k, style); s2 != sg {
							break
						}
						k++
					}
					l := rd.bits(cb.lblock + floorLog2(k))
					if rd.err != nil {
						return rd.err
					}
					for len(cb.segs) <= sg {
						cb.segs = append(cb.segs, nil)
					}
					segs = append(segs, seg{cb, sg, l})
					done += k
				}
				cb.passes += n
			}
		}
	}
	rd.align()
	if p.eph && rd.pos+2 <= len(rd.data) && rd.data[rd.pos] == 0xFF && rd.data[rd.pos+1] == 0x92 {
		rd.pos += 2
	}
	for _, s := range segs {
		if rd.pos+s.len > len(rd.data) {
			s.cb.segs[s.idx] = append(s.cb.segs[s.idx], rd.data[rd.pos:]...)
			rd.pos = len(rd.data)
			rd.err = FormatError("truncated packet body")
			return rd.err
		}
		s.cb.segs[s.idx] = append(s.cb.segs[s.idx], rd.data[rd.pos:rd.pos+s.len]...)
		rd.pos += s.len
	}
	return nil
}

// inverseDWT reconstructs a tile-component from its subbands.
func inverseDWT(tc *tileComp) []float32 {
	r0 := tc.res[0]
	cur := r0.bands[0].data
	if cur == nil {
		cur = make([]float32, max(0, (r0.x1-r0.x0)*(r0.y1-r0.y0)))
	}
	for r := 1; r < len(tc.res); r++ {
		rl := tc.res[r]
		prev := tc.res[r-1]
		w, h := rl.x1-rl.x0, rl.y1-rl.y0
		next := make([]float32, w*h)
		if w > 0 && h > 0 {
			get := func(b *band, x, y int) float32 {
				if b.data == nil {
					return 0
				}
				return b.data[(y-b.y0)*(b.x1-b.x0)+x-b.x0]
			}
			hl, lh, hh := rl.bands[0], rl.bands[1], rl.bands[2]
			pw := prev.x1 - prev.x0
			for v := rl.y0; v < rl.y1; v++ {
				for u := rl.x0; u < rl.x1; u++ {
					var val float32
					switch {
					case u%2 == 0 && v%2 == 0:
						val = cur[(v/2-prev.y0)*pw+u/2-prev.x0]
					case v%2 == 0:
						val = get(hl, u/2, v/2)
					case u%2 == 0:
						val = get(lh, u/2, v/2)
					default:
						val = get(hh, u/2, v/2)
					}
					next[(v-rl.y0)*w+u-rl.x0] = val
				}
			}
			line := make([]float32, max(w, h))
			for y := 0; y < h; y++ {
				synth1D(next[y*w:(y+1)*w], rl.x0, tc.cs.reversible)
			}
			for x := 0; x < w; x++ {
				for y := 0; y < h; y++ {
					line[y] = next[y*w+x]
				}
				synth1D(line[:h], rl.y0, tc.cs.reversible)
				for y := 0; y < h; y++ {
					next[y*w+x] = line[y]
				}
			}
		}
		cur = next
	}
	return cur
}

// Irreversible 9/7 lifting constants (T.800 Table F.4).
const (
	liftAlpha = -1.586134342059924
	liftBeta  = -0.052980118572961
	liftGamma = 0.882911075530934
	liftDelta = 0.443506852043971
	liftK     = 1.230174104914001
)

// synth1D is the one-dimensional inverse transform of x, whose first sample
// sits at coordinate i0 (even coordinates hold low-pass samples).
func synth1D(x []float32, i0 int, reversible bool) {
	n := len(x)
	if n == 0 {
		return
	}
	if n == 1 {
		if i0%2 != 0 {
			if reversible {
				x[0] = float32(int32(x[0]) >> 1)
			} else {
				x[0] /= 2
			}
		}
		return
	}
	m := func(k int) int { // whole-sample symmetric extension
		p := 2*n - 2
		k %= p
		if k < 0 {
			k += p
		}
		if k >= n {
			k = p - k
		}
		return k
	}
	even := func(k int) bool { return (i0+k)%2 == 0 }
	if reversible {
		for k := 0; k < n; k++ {
			if even(k) {
				a, b := int32(x[m(k-1)]), int32(x[m(k+1)])
				x[k] = float32(int32(x[k]) - (a+b+2)>>2)
			}
		}
		for k := 0; k < n; k++ {
			if !even(k) {
				a, b := int32(x[m(k-1)]), int32(x[m(k+1)])
				x[k] = float32(int32(x[k]) + (a+b)>>1)
			}
		}
		return
	}
	for k := 0; k < n; k++ {
		if even(k) {
			x[k] *= liftK
		} else {
			x[k] *= 1 / liftK
		}
	}
	step := func(odd bool, c float32) {
		for k := 0; k < n; k++ {
			if even(k) != odd {
				x[k] -= c * (x[m(k-1)] + x[m(k+1)])
			}
		}
	}
	step(false, liftDelta)
	step(true, liftGamma)
	step(false, liftBeta)
	step(true, liftAlpha)
}

// inverseMCT applies the inverse component transform to the first three
// components of each tile.
func (d *decoder) inverseMCT(tcs []*tileComp) {
	c0, c1, c2 := &d.comps[0], &d.comps[1], &d.comps[2]
	if c0.w != c1.w || c0.w != c2.w || c0.h != c1.h || c0.h != c2.h {
		return
	}
	tc := tcs[0]
	for y := tc.y0; y < tc.y1; y++ {
		for x := tc.x0; x < tc.x1; x++ {
			i := (y-c0.y0)*c0.w + x - c0.x0
			a, b, c := c0.plane[i], c1.plane[i], c2.plane[i]
			if tc.cs.reversible {
				y0, u, v := int32(a), int32(b), int32(c)
				g := y0 - (u+v)>>2
				c0.plane[i], c1.plane[i], c2.plane[i] = float32(v+g), float32(g), float32(u+g)
			} else {
				c0.plane[i] = a + 1.402*c
				c1.plane[i] = a - 0.34413*b - 0.71414*c
				c2.plane[i] = a + 1.772*b
			}
		}
	}
}

// output converts the component planes to an image.
func (d *decoder) output() (image.Image, error) {
	w, h := d.xsiz-d.xo, d.ysiz-d.yo
	rect := image.Rect(0, 0, w, h)
	sample := func(c *component, x, y int) float64 {
		// Nearest sample of a possibly subsampled component.
		cx := min(max((d.xo+x)/c.xr-c.x0, 0), c.w-1)
		cy := min(max((d.yo+y)/c.yr-c.y0, 0), c.h-1)
		v := float64(c.plane[cy*c.w+cx])
		if !c.signed {
			v += float64(int(1) << (c.prec - 1))
		}
		return v
	}
	clampTo := func(v float64, c *component, bits int) uint32 {
		max := float64(int(1)<<c.prec - 1)
		lo := 0.0
		if c.signed {
			lo, max = -float64(int(1)<<(c.prec-1)), float64(int(1)<<(c.prec-1)-1)
		}
		v = math.Round(v)
		v = math.Min(math.Max(v, lo), max) - lo
		// Rescale to the output depth.
		full := float64(uint32(1)<<bits - 1)
		return uint32(math.Round(v * full / (max - lo)))
	}
	deep := false
	for i := range d.comps {
		if d.comps[i].prec > 8 {
			deep = true
		}
	}
	switch {
	case len(d.comps) < 3:
		c := &d.comps[0]
		if deep {
			g := image.NewGray16(rect)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					g.SetGray16(x, y, color.Gray16{Y: uint16(clampTo(sample(c, x, y), c, 16))})
				}
			}
			return g, nil
		}
		g := image.NewGray(rect)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				g.Pix[y*g.Stride+x] = uint8(clampTo(sample(c, x, y), c, 8))
			}
		}
		return g, nil
	default:
		m := image.NewNRGBA(rect)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				i := y*m.Stride + 4*x
				for k := 0; k < 3; k++ {
					m.Pix[i+k] = uint8(clampTo(sample(&d.comps[k], x, y), &d.comps[k], 8))
				}
				m.Pix[i+3] = 255
				if len(d.comps) > 3 {
					m.Pix[i+3] = uint8(clampTo(sample(&d.comps[3], x, y), &d.comps[3], 8))
				}
			}
		}
		return m, nil
	}
}

// readAll is io.ReadAll with a size cap.
func readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<30))
	return b, err
}

// decodeBytes decodes a JP2 file or J2K codestream held in b. As a last
// line of defence for a complex decoder fed untrusted data, a run-time panic
// is reported as a FormatError; the fuzz test calls decodeBytesUnsafe so
// that such bugs still surface.
func decodeBytes(b []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, FormatError("corrupt data (internal error)")
		}
	}()
	return decodeBytesUnsafe(b)
}

func decodeBytesUnsafe(b []byte) (image.Image, error) {
	if len(b) >= 4 && string(b[:4]) == j2kMagic {
		return decodeCodestream(b)
	}
	if len(b) < len(jp2Magic) || string(b[:len(jp2Magic)]) != jp2Magic {
		return nil, FormatError("not a JPEG 2000 file")
	}
	b = b[len(jp2Magic):]
	for len(b) >= 8 {
		n := int64(binary.BigEndian.Uint32(b))
		typ := string(b[4:8])
		hdr := int64(8)
		switch n {
		case 0:
			n = int64(len(b))
		case 1:
			if len(b) < 16 {
				return nil, FormatError("truncated box header")
			}
			n, hdr = int64(binary.BigEndian.Uint64(b[8:])), 16
		}
		if n < hdr {
			return nil, FormatError("bad box length")
		}
		if n > int64(len(b)) {
			n = int64(len(b)) // truncated file
		}
		if typ == "jp2c" {
			return decodeCodestream(b[hdr:n])
		}
		b = b[n:]
	}
	return nil, FormatError("no codestream box")
}
