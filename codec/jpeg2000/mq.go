package jpeg2000

// qeEntry is one row of the MQ-coder probability estimation table
// (T.800 Table C.2).
type qeEntry struct {
	qe         uint32
	nmps, nlps uint8
	sw         uint8
}

var qeTable = [47]qeEntry{
	{0x5601, 1, 1, 1}, {0x3401, 2, 6, 0}, {0x1801, 3, 9, 0}, {0x0AC1, 4, 12, 0},
	{0x0521, 5, 29, 0}, {0x0221, 38, 33, 0}, {0x5601, 7, 6, 1}, {0x5401, 8, 14, 0},
	{0x4801, 9, 14, 0}, {0x3801, 10, 14, 0}, {0x3001, 11, 17, 0}, {0x2401, 12, 18, 0},
	{0x1C01, 13, 20, 0}, {0x1601, 29, 21, 0}, {0x5601, 15, 14, 1}, {0x5401, 16, 14, 0},
	{0x5101, 17, 15, 0}, {0x4801, 18, 16, 0}, {0x3801, 19, 17, 0}, {0x3401, 20, 18, 0},
	{0x3001, 21, 19, 0}, {0x2801, 22, 19, 0}, {0x2401, 23, 20, 0}, {0x2201, 24, 21, 0},
	{0x1C01, 25, 22, 0}, {0x1801, 26, 23, 0}, {0x1601, 27, 24, 0}, {0x1401, 28, 25, 0},
	{0x1201, 29, 26, 0}, {0x1101, 30, 27, 0}, {0x0AC1, 31, 28, 0}, {0x09C1, 32, 29, 0},
	{0x08A1, 33, 30, 0}, {0x0521, 34, 31, 0}, {0x0441, 35, 32, 0}, {0x02A1, 36, 33, 0},
	{0x0221, 37, 34, 0}, {0x0141, 38, 35, 0}, {0x0111, 39, 36, 0}, {0x0085, 40, 37, 0},
	{0x0049, 41, 38, 0}, {0x0025, 42, 39, 0}, {0x0015, 43, 40, 0}, {0x0009, 44, 41, 0},
	{0x0005, 45, 42, 0}, {0x0001, 45, 43, 0}, {0x5601, 46, 46, 0},
}

// Context labels (T.800 Table D.7 ordering as used here).
const (
	ctxZC0  = 0  // 9 zero-coding contexts 0..8
	ctxSC0  = 9  // 5 sign-coding contexts 9..13
	ctxMR0  = 14 // 3 magnitude refinement contexts 14..16
	ctxRL   = 17
	ctxUNI  = 18
	numCtxs = 19
)

// mqDecoder is the MQ arithmetic decoder of T.800 Annex C, with the
// contexts of one code-block.
type mqDecoder struct {
	data []byte
	pos  int
	a, c uint32
	ct   int
	st   [numCtxs]uint8 // probability state index
	mps  [numCtxs]uint8
}

func (d *mqDecoder) resetContexts() {
	for i := range d.st {
		d.st[i], d.mps[i] = 0, 0
	}
	d.st[ctxUNI] = 46
	d.st[ctxRL] = 3
	d.st[ctxZC0] = 4
}

// byteAt returns the byte at i, or 0xff past the end of the segment.
func (d *mqDecoder) byteAt(i int) uint32 {
	if i < len(d.data) {
		return uint32(d.data[i])
	}
	return 0xff
}

func (d *mqDecoder) init(data []byte) {
	d.data = data
	d.pos = 0
	d.c = d.byteAt(0) << 16
	d.byteIn()
	d.c <<= 7
	d.ct -= 7
	d.a = 0x8000
}

func (d *mqDecoder) byteIn() {
	if d.byteAt(d.pos) == 0xff {
		if d.byteAt(d.pos+1) > 0x8f {
			d.c += 0xff00
			d.ct = 8
		} else {
			d.pos++
			d.c += d.byteAt(d.pos) << 9
			d.ct = 7
		}
	} else {
		d.pos++
		d.c += d.byteAt(d.pos) << 8
		d.ct = 8
	}
}

func (d *mqDecoder) renorm() {
	for {
		if d.ct == 0 {
			d.byteIn()
		}
		d.a <<= 1
		d.c <<= 1
		d.ct--
		if d.a&0x8000 != 0 {
			return
		}
	}
}

// decode decodes one binary decision in context cx.
func (d *mqDecoder) decode(cx int) int {
	e := &qeTable[d.st[cx]]
	qe := e.qe
	d.a -= qe
	var bit uint8
	if d.c>>16 < qe {
		// LPS sub-interval, with conditional exchange.
		if d.a < qe {
			bit = d.mps[cx]
			d.st[cx] = e.nmps
		} else {
			bit = 1 - d.mps[cx]
			if e.sw != 0 {
				d.mps[cx] = 1 - d.mps[cx]
			}
			d.st[cx] = e.nlps
		}
		d.a = qe
		d.renorm()
		return int(bit)
	}
	d.c -= qe << 16
	if d.a&0x8000 != 0 {
		return int(d.mps[cx])
	}
	if d.a < qe {
		bit = 1 - d.mps[cx]
		if e.sw != 0 {
			d.mps[cx] = 1 - d.mps[cx]
		}
		d.st[cx] = e.nlps
	} else {
		bit = d.mps[cx]
		d.st[cx] = e.nmps
	}
	d.renorm()
	return int(bit)
}

// rawDecoder reads the raw (bypass) segments of T.800 D.6, where a bit is
// stuffed after every 0xff byte.
type rawDecoder struct {
	data []byte
	pos  int
	c    uint32
	ct   int
}

func (d *rawDecoder) init(data []byte) {
	d.data, d.pos, d.c, d.ct = data, 0, 0, 0
}

func (d *rawDecoder) bit() int {
	if d.ct == 0 {
		if d.c == 0xff {
			if d.pos < len(d.data) && d.data[d.pos] <= 0x8f {
				d.c = uint32(d.data[d.pos])
				d.pos++
			} else {
				d.c = 0xff
			}
			d.ct = 7
		} else {
			if d.pos < len(d.data) {
				d.c = uint32(d.data[d.pos])
				d.pos++
			} else {
				d.c = 0xff
			}
			d.ct = 8
		}
	}
	d.ct--
	return int(d.c>>d.ct) & 1
}
