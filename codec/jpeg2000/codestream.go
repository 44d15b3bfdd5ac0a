package jpeg2000

import (
	"encoding/binary"
	"fmt"
)

// Marker codes (T.800 Table A.2).
const (
	mSOC = 0xff4f
	mSIZ = 0xff51
	mCOD = 0xff52
	mCOC = 0xff53
	mTLM = 0xff55
	mPLM = 0xff57
	mPLT = 0xff58
	mQCD = 0xff5c
	mQCC = 0xff5d
	mRGN = 0xff5e
	mPOC = 0xff5f
	mPPM = 0xff60
	mPPT = 0xff61
	mCRG = 0xff63
	mCOM = 0xff64
	mCAP = 0xff50
	mCPF = 0xff59
	mSOT = 0xff90
	mSOP = 0xff91
	mEPH = 0xff92
	mSOD = 0xff93
	mEOC = 0xffd9
)

// Code-block style flags (T.800 Table A.19).
const (
	cbBypass   = 0x01
	cbReset    = 0x02
	cbTermAll  = 0x04
	cbVCausal  = 0x08
	cbPredTerm = 0x10
	cbSegSym   = 0x20
	cbHT       = 0x40
)

type component struct {
	prec   int
	signed bool
	dx, dy int
}

type siz struct {
	x1, y1, x0, y0   int // image area on the reference grid
	tw, th, tx0, ty0 int // tile size and tile grid origin
	comps            []component
	ntx, nty         int
}

// compParams are the coding and quantisation parameters of one
// tile-component.
type compParams struct {
	levels     int
	xcb, ycb   int
	cbStyle    byte
	reversible bool
	ppx, ppy   [33]uint8
	qstyle     int
	guard      int
	expn       []int
	mant       []int
	roiShift   int // region of interest max-shift (RGN), 0 when none
}

// codingParams are the parameters of a tile (or the main header defaults).
type codingParams struct {
	progression int
	layers      int
	mct         int
	sop, eph    bool
	comps       []compParams
	poc         []pocEntry
	ppt         []byte // packed packet headers of a tile (PPT or PPM)
	pptSet      bool
}

// pocEntry is one progression order change (T.800 A.6.6).
type pocEntry struct {
	rs, cs, lye, re, ce, prog int
}

func (p *codingParams) clone() *codingParams {
	q := *p
	q.comps = append([]compParams(nil), p.comps...)
	q.poc = append([]pocEntry(nil), p.poc...)
	q.ppt, q.pptSet = nil, false
	return &q
}

type tileData struct {
	index    int
	params   *codingParams
	data     []byte
	nparts   int
	lastPart int
	pocSet   bool // a tile-part header has set POC entries
}

type codestream struct {
	siz   siz
	main  *codingParams
	tiles []*tileData // indexed by tile number; nil when absent
}

type reader struct {
	b   []byte
	pos int
}

func (r *reader) u8() (int, bool) {
	if r.pos+1 > len(r.b) {
		return 0, false
	}
	v := r.b[r.pos]
	r.pos++
	return int(v), true
}

func (r *reader) u16() (int, bool) {
	if r.pos+2 > len(r.b) {
		return 0, false
	}
	v := binary.BigEndian.Uint16(r.b[r.pos:])
	r.pos += 2
	return int(v), true
}

func (r *reader) u32() (int, bool) {
	if r.pos+4 > len(r.b) {
		return 0, false
	}
	v := binary.BigEndian.Uint32(r.b[r.pos:])
	r.pos += 4
	return int(v), true
}

func parseSIZ(b []byte) (siz, error) {
	var s siz
	r := &reader{b: b}
	if _, ok := r.u16(); !ok { // Rsiz
		return s, FormatError("short SIZ")
	}
	var v [8]int
	for i := range v {
		x, ok := r.u32()
		if !ok {
			return s, FormatError("short SIZ")
		}
		v[i] = x
	}
	s.x1, s.y1, s.x0, s.y0, s.tw, s.th, s.tx0, s.ty0 = v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]
	nc, ok := r.u16()
	if !ok || nc == 0 {
		return s, FormatError("bad component count in SIZ")
	}
	if nc > 16384 {
		return s, FormatError("too many components")
	}
	if len(b) < 36+3*nc {
		return s, FormatError("short SIZ")
	}
	for i := 0; i < nc; i++ {
		ss, _ := r.u8()
		dx, _ := r.u8()
		dy, _ := r.u8()
		c := component{prec: ss&0x7f + 1, signed: ss&0x80 != 0, dx: dx, dy: dy}
		if c.dx == 0 || c.dy == 0 {
			return s, FormatError("zero component subsampling")
		}
		if c.prec > 38 {
			return s, FormatError("component precision above 38 bits")
		}
		s.comps = append(s.comps, c)
	}
	if s.x1 <= s.x0 || s.y1 <= s.y0 {
		return s, FormatError("empty image area")
	}
	if s.tw == 0 || s.th == 0 {
		return s, FormatError("zero tile size")
	}
	if s.tx0 > s.x0 || s.ty0 > s.y0 || s.tx0+s.tw <= s.x0 || s.ty0+s.th <= s.y0 {
		return s, FormatError("tile grid does not cover the image origin")
	}
	s.ntx = ceilDiv(s.x1-s.tx0, s.tw)
	s.nty = ceilDiv(s.y1-s.ty0, s.th)
	if s.ntx*s.nty > 65535 {
		return s, FormatError("more than 65535 tiles")
	}
	return s, nil
}

// checkSize refuses an image of more samples than MaxPixels, before any
// pixel memory is allocated.
func (s *siz) checkSize() error {
	w, h, nc := s.x1-s.x0, s.y1-s.y0, len(s.comps)
	if w > MaxPixels || h > MaxPixels || w*h > MaxPixels || w*h*nc > MaxPixels {
		return UnsupportedError(fmt.Sprintf("image of %dx%d with %d components is larger than this decoder's limit of %d samples", w, h, nc, MaxPixels))
	}
	return nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// ceilDivPow2 returns ceil(a / 2^n) for a >= 0.
func ceilDivPow2(a, n int) int { return (a + (1 << n) - 1) >> n }

// parseSPco reads the coding style parameters shared by COD and COC.
func parseSPco(r *reader, cp *compParams, userPrecincts bool) error {
	nl, ok1 := r.u8()
	xcb, ok2 := r.u8()
	ycb, ok3 := r.u8()
	style, ok4 := r.u8()
	tr, ok5 := r.u8()
	if !(ok1 && ok2 && ok3 && ok4 && ok5) {
		return FormatError("short coding style segment")
	}
	if nl > 32 {
		return FormatError("more than 32 decomposition levels")
	}
	xcb += 2
	ycb += 2
	if xcb > 10 || ycb > 10 || xcb+ycb > 12 {
		return FormatError("invalid code-block size")
	}
	if style&cbHT != 0 || style&0x80 != 0 {
		return UnsupportedError("high-throughput (Part 15) code-blocks")
	}
	if tr > 1 {
		return UnsupportedError("Part 2 wavelet transform")
	}
	cp.levels = nl
	cp.xcb, cp.ycb = xcb, ycb
	cp.cbStyle = byte(style)
	cp.reversible = tr == 1
	for i := 0; i <= nl; i++ {
		if userPrecincts {
			v, ok := r.u8()
			if !ok {
				return FormatError("short precinct sizes")
			}
			cp.ppx[i], cp.ppy[i] = uint8(v&15), uint8(v>>4)
			if i > 0 && (cp.ppx[i] == 0 || cp.ppy[i] == 0) {
				return FormatError("zero precinct size above resolution 0")
			}
		} else {
			cp.ppx[i], cp.ppy[i] = 15, 15
		}
	}
	return nil
}

func parseQuant(r *reader, cp *compParams) error {
	sq, ok := r.u8()
	if !ok {
		return FormatError("short quantisation segment")
	}
	cp.qstyle = sq & 31
	cp.guard = sq >> 5
	cp.expn, cp.mant = cp.expn[:0:0], cp.mant[:0:0]
	switch cp.qstyle {
	case 0:
		for r.pos < len(r.b) {
			v, _ := r.u8()
			cp.expn = append(cp.expn, v>>3)
			cp.mant = append(cp.mant, 0)
		}
	case 1, 2:
		for r.pos+1 < len(r.b) {
			v, _ := r.u16()
			cp.expn = append(cp.expn, v>>11)
			cp.mant = append(cp.mant, v&0x7ff)
			if cp.qstyle == 1 {
				break
			}
		}
	default:
		return FormatError("invalid quantisation style")
	}
	if len(cp.expn) == 0 {
		return FormatError("empty quantisation segment")
	}
	return nil
}

func compIndex(r *reader, nc int) (int, error) {
	var c int
	var ok bool
	if nc < 257 {
		c, ok = r.u8()
	} else {
		c, ok = r.u16()
	}
	if !ok {
		return 0, FormatError("short segment")
	}
	if c >= nc {
		return 0, FormatError("component index out of range")
	}
	return c, nil
}

// headerState tracks which parameters a header has set, for the COD/COC and
// QCD/QCC precedence rules.
type headerState struct {
	cocSet []bool
	qccSet []bool
	codSet bool
	qcdSet bool
	pocSet bool
	ppm    []byte // concatenated PPM contents (main header)
	ppmSet bool
}

// applyMarker applies one main or tile-part header marker segment to p.
func applyMarker(m int, body []byte, p *codingParams, hs *headerState, nc int) error {
	r := &reader{b: body}
	switch m {
	case mCOD:
		scod, ok1 := r.u8()
		prog, ok2 := r.u8()
		layers, ok3 := r.u16()
		mct, ok4 := r.u8()
		if !(ok1 && ok2 && ok3 && ok4) {
			return FormatError("short COD")
		}
		if prog > 4 {
			return FormatError("invalid progression order")
		}
		if layers == 0 {
			return FormatError("zero layers")
		}
		if mct > 1 {
			return UnsupportedError("Part 2 multiple component transform")
		}
		p.progression, p.layers, p.mct = prog, layers, mct
		p.sop, p.eph = scod&2 != 0, scod&4 != 0
		var cp compParams
		if err := parseSPco(r, &cp, scod&1 != 0); err != nil {
			return err
		}
		for c := range p.comps {
			if hs.cocSet[c] {
				continue
			}
			q := p.comps[c]
			q.levels, q.xcb, q.ycb, q.cbStyle, q.reversible, q.ppx, q.ppy = cp.levels, cp.xcb, cp.ycb, cp.cbStyle, cp.reversible, cp.ppx, cp.ppy
			p.comps[c] = q
		}
		hs.codSet = true
	case mCOC:
		c, err := compIndex(r, nc)
		if err != nil {
			return err
		}
		scoc, ok := r.u8()
		if !ok {
			return FormatError("short COC")
		}
		q := p.comps[c]
		if err := parseSPco(r, &q, scoc&1 != 0); err != nil {
			return err
		}
		p.comps[c] = q
		hs.cocSet[c] = true
	case mQCD:
		var cp compParams
		if err := parseQuant(r, &cp); err != nil {
			return err
		}
		for c := range p.comps {
			if hs.qccSet[c] {
				continue
			}
			p.comps[c].qstyle, p.comps[c].guard, p.comps[c].expn, p.comps[c].mant = cp.qstyle, cp.guard, cp.expn, cp.mant
		}
		hs.qcdSet = true
	case mQCC:
		c, err := compIndex(r, nc)
		if err != nil {
			return err
		}
		q := p.comps[c]
		if err := parseQuant(r, &q); err != nil {
			return err
		}
		p.comps[c] = q
		hs.qccSet[c] = true
	case mRGN:
		c, err := compIndex(r, nc)
		if err != nil {
			return err
		}
		style, ok1 := r.u8()
		shift, ok2 := r.u8()
		if !ok1 || !ok2 {
			return FormatError("short RGN")
		}
		if style != 0 {
			return UnsupportedError("region of interest style other than implicit (max-shift)")
		}
		if shift > 37 {
			return FormatError("bad region of interest shift")
		}
		p.comps[c].roiShift = shift
	case mPOC:
		cw := 1
		if nc >= 257 {
			cw = 2
		}
		n := len(body) / (5 + 2*cw)
		if n == 0 || len(body) != n*(5+2*cw) {
			return FormatError("bad POC length")
		}
		if !hs.pocSet {
			p.poc = nil // a header's POC replaces the inherited ones
			hs.pocSet = true
		}
		for i := 0; i < n; i++ {
			var e pocEntry
			e.rs, _ = r.u8()
			if cw == 1 {
				e.cs, _ = r.u8()
			} else {
				e.cs, _ = r.u16()
			}
			e.lye, _ = r.u16()
			e.re, _ = r.u8()
			if cw == 1 {
				e.ce, _ = r.u8()
				if e.ce == 0 {
					e.ce = 256
				}
			} else {
				e.ce, _ = r.u16()
				if e.ce == 0 {
					e.ce = 16384
				}
			}
			e.prog, _ = r.u8()
			if e.prog > 4 {
				return FormatError("invalid POC progression order")
			}
			p.poc = append(p.poc, e)
		}
	case mPPM:
		if len(body) < 1 {
			return FormatError("short PPM")
		}
		hs.ppm = append(hs.ppm, body[1:]...)
		hs.ppmSet = true
	case mPPT:
		if len(body) < 1 {
			return FormatError("short PPT")
		}
		p.ppt = append(p.ppt, body[1:]...)
		p.pptSet = true
	case mCAP, mCPF:
		return UnsupportedError("Part 15 extended capabilities")
	case mTLM, mPLM, mPLT, mCRG, mCOM:
		// Informational only.
	default:
		if m>>8 != 0xff {
			return FormatError("marker expected")
		}
		// Unknown marker segments are skipped.
	}
	return nil
}

// segment reads a marker and its segment body at r.pos.
func nextSegment(r *reader) (marker int, body []byte, err error) {
	m, ok := r.u16()
	if !ok {
		return 0, nil, FormatError("truncated header")
	}
	if m>>8 != 0xff {
		return 0, nil, FormatError(fmt.Sprintf("marker expected, found 0x%04x", m))
	}
	if m == mSOC || m == mSOD || m == mEOC || m == mEPH || (m >= 0xff30 && m <= 0xff3f) {
		return m, nil, nil
	}
	l, ok := r.u16()
	if !ok || l < 2 || r.pos+l-2 > len(r.b) {
		return 0, nil, FormatError(fmt.Sprintf("bad length of marker segment 0x%04x", m))
	}
	body = r.b[r.pos : r.pos+l-2]
	r.pos += l - 2
	return m, body, nil
}

// parseCodestream parses the main header and, unless headerOnly, collects
// the tile-parts of the codestream.
func parseCodestream(data []byte, headerOnly bool) (*codestream, error) {
	r := &reader{b: data}
	if m, _ := r.u16(); m != mSOC {
		return nil, FormatError("missing SOC marker")
	}
	m, body, err := nextSegment(r)
	if err != nil {
		return nil, err
	}
	if m != mSIZ {
		return nil, FormatError("SIZ must follow SOC")
	}
	s, err := parseSIZ(body)
	if err != nil {
		return nil, err
	}
	nc := len(s.comps)
	cs := &codestream{siz: s}
	main := &codingParams{comps: make([]compParams, nc), layers: 1}
	hs := &headerState{cocSet: make([]bool, nc), qccSet: make([]bool, nc)}
	for {
		start := r.pos
		m, body, err := nextSegment(r)
		if err != nil {
			return nil, err
		}
		if m == mSOT {
			r.pos = start
			break
		}
		if m == mEOC || m == mSOD {
			return nil, FormatError("no tile in codestream")
		}
		if err := applyMarker(m, body, main, hs, nc); err != nil {
			return nil, err
		}
	}
	if !hs.codSet {
		return nil, FormatError("missing COD marker")
	}
	if !hs.qcdSet {
		return nil, FormatError("missing QCD marker")
	}
	cs.main = main
	if headerOnly {
		// The header of an image too large to decode is still read, so
		// that callers can compare its size with their own limits.
		return cs, nil
	}
	if err := s.checkSize(); err != nil {
		return nil, err
	}
	ppm := hs.ppm
	cs.tiles = make([]*tileData, s.ntx*s.nty)
	// A codestream ends with EOC (T.800 A.4.4) after its last tile-part;
	// one that stops before it, or whose tile-part is shorter than its
	// Psot declares, is a truncated file and is refused: a quality gate
	// must not score (and possibly accept) the part of an image that
	// arrived.
	eoc := false
	for r.pos < len(r.b) {
		sotPos := r.pos
		m, body, err := nextSegment(r)
		if err != nil {
			return nil, truncated("the data after tile-part %d is not a marker segment: %v", cs.parts(), err)
		}
		if m == mEOC {
			eoc = true
			break
		}
		if m != mSOT {
			return nil, FormatError("SOT marker expected")
		}
		br := &reader{b: body}
		isot, _ := br.u16()
		psot, _ := br.u32()
		tpsot, _ := br.u8()
		_, ok := br.u8()
		if !ok {
			return nil, FormatError("short SOT")
		}
		if isot >= len(cs.tiles) {
			return nil, FormatError("tile index out of range")
		}
		end := len(r.b)
		if psot != 0 {
			if psot < 14 {
				return nil, FormatError("bad tile-part length")
			}
			end = sotPos + psot
			if end > len(r.b) {
				return nil, truncated("tile-part %d declares %d bytes, %d remain", cs.parts(), psot, len(r.b)-sotPos)
			}
		}
		td := cs.tiles[isot]
		if td == nil {
			td = &tileData{index: isot, params: main.clone(), lastPart: -1}
			cs.tiles[isot] = td
		}
		first := td.nparts == 0
		ths := &headerState{cocSet: make([]bool, nc), qccSet: make([]bool, nc), pocSet: td.pocSet}
		for {
			m, body, err := nextSegment(r)
			if err != nil {
				return nil, err
			}
			if r.pos > end {
				return nil, FormatError("tile-part header overruns tile-part")
			}
			if m == mSOD {
				break
			}
			if !first && (m == mCOD || m == mCOC || m == mQCD || m == mQCC || m == mRGN) {
				continue
			}
			if err := applyMarker(m, body, td.params, ths, nc); err != nil {
				return nil, err
			}
		}
		_ = tpsot
		td.pocSet = ths.pocSet
		if hs.ppmSet {
			// The packed headers of this tile-part: Nppm then Ippm.
			if len(ppm) < 4 {
				return nil, FormatError("PPM data exhausted")
			}
			n := int(binary.BigEndian.Uint32(ppm))
			if n > len(ppm)-4 {
				return nil, FormatError("PPM length overruns")
			}
			td.params.ppt = append(td.params.ppt, ppm[4:4+n]...)
			td.params.pptSet = true
			ppm = ppm[4+n:]
		}
		if psot == 0 && end >= r.pos+2 && r.b[end-2] == 0xff && r.b[end-1] == 0xd9 {
			end -= 2
			eoc = true
		}
		if end > r.pos {
			td.data = append(td.data, r.b[r.pos:end]...)
		}
		td.nparts++
		r.pos = end
		if eoc {
			break
		}
	}
	if !eoc {
		return nil, truncated("no EOC marker after %d tile-parts", cs.parts())
	}
	return cs, nil
}

// truncated is the error for a codestream that ends early.
func truncated(format string, a ...any) error {
	return FormatError("truncated codestream: " + fmt.Sprintf(format, a...))
}

// parts counts the tile-parts collected so far.
func (cs *codestream) parts() int {
	n := 0
	for _, td := range cs.tiles {
		if td != nil {
			n += td.nparts
		}
	}
	return n
}

func (cs *codestream) metadata(md *Metadata) {
	s := &cs.siz
	md.Width, md.Height = s.x1-s.x0, s.y1-s.y0
	md.Components = len(s.comps)
	md.BitDepth = s.comps[0].prec
	md.Signed = s.comps[0].signed
	md.Reversible = cs.main.comps[0].reversible
	md.Levels = cs.main.comps[0].levels
	md.Layers = cs.main.layers
	md.Progression = progressionNames[cs.main.progression]
	md.TilesX, md.TilesY = s.ntx, s.nty
}
