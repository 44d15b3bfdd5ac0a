package wsq

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"strconv"
	"strings"
)

// Markers (IAFIS-IC-0110 Table 2).
const (
	markerSOI = 0xFFA0 // start of image
	markerEOI = 0xFFA1 // end of image
	markerSOF = 0xFFA2 // start of frame
	markerSOB = 0xFFA3 // start of block
	markerDTT = 0xFFA4 // define transform table
	markerDQT = 0xFFA5 // define quantization table
	markerDHT = 0xFFA6 // define Huffman table(s)
	markerDRT = 0xFFA7 // define restart interval
	markerCOM = 0xFFA8 // comment
)

// Metadata holds the header fields of a WSQ file.
type Metadata struct {
	// Width and Height are the image size in pixels.
	Width, Height int
	// PPI is the scanning resolution in pixels per inch, from the PPI field
	// of the NISTCOM comment; 0 when the file does not record it.
	PPI int
	// Black and White are the frame header's darkest and lightest grey
	// levels (informative).
	Black, White uint8
	// Shift and Scale are the frame header's M and R: a reconstructed pixel
	// is coefficient·Scale + Shift.
	Shift, Scale float64
	// Encoder is the frame header's encoder number and Software its
	// software implementation number.
	Encoder  uint8
	Software uint16
	// NISTCOM holds the fields of the NISTCOM comment (for example
	// "PIX_WIDTH", "PPI", "WSQ_BITRATE"); nil when there is none.
	NISTCOM map[string]string
	// Comments holds the text of the other comment segments.
	Comments []string
}

func init() {
	image.RegisterFormat("wsq", "\xff\xa0\xff", Decode, DecodeConfig)
}

// Decode reads a WSQ image from r and returns it as an *image.Gray.
func Decode(r io.Reader) (image.Image, error) {
	img, _, err := DecodeMetadata(r)
	if err != nil {
		return nil, err
	}
	return img, nil
}

// DecodeMetadata reads a WSQ image from r and returns its pixels together
// with its header fields.
func DecodeMetadata(r io.Reader) (*image.Gray, *Metadata, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, err
	}
	d := &decoder{data: data}
	img, err := d.decode()
	if err != nil {
		return nil, nil, err
	}
	return img, &d.meta, nil
}

// DecodeConfig returns the dimensions and colour model (color.GrayModel) of
// the WSQ image in r without decoding the pixels.
func DecodeConfig(r io.Reader) (image.Config, error) {
	m, err := ReadMetadata(r)
	if err != nil {
		return image.Config{}, err
	}
	return image.Config{ColorModel: color.GrayModel, Width: m.Width, Height: m.Height}, nil
}

// ReadMetadata reads the header of the WSQ file in r, up to and including
// the frame header, without decoding the pixels. NISTCOM fields (and so PPI)
// are found when the comment precedes the frame header, as encoders write it.
func ReadMetadata(r io.Reader) (*Metadata, error) {
	br := bufio.NewReader(r)
	var hdr [4]byte
	if _, err := io.ReadFull(br, hdr[:2]); err != nil {
		return nil, eofError(err)
	}
	if binary.BigEndian.Uint16(hdr[:]) != markerSOI {
		return nil, FormatError("missing SOI marker")
	}
	d := &decoder{}
	for {
		if _, err := io.ReadFull(br, hdr[:4]); err != nil {
			return nil, eofError(err)
		}
		m := binary.BigEndian.Uint16(hdr[:])
		n := int(binary.BigEndian.Uint16(hdr[2:]))
		if n < 2 {
			return nil, FormatError("bad segment length")
		}
		body := make([]byte, n-2)
		if _, err := io.ReadFull(br, body); err != nil {
			return nil, eofError(err)
		}
		if err := d.segment(m, body); err != nil {
			return nil, err
		}
		if m == markerSOF {
			return &d.meta, nil
		}
	}
}

func eofError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return FormatError("unexpected end of data")
	}
	return err
}

var errTruncated = FormatError("unexpected end of data")

// decoder holds the state of one decoding.
type decoder struct {
	data []byte
	pos  int
	meta Metadata

	sof       bool
	fb        *filterBank
	dqt       bool
	binCenter float32
	qbin      [numQNodes]float32
	zbin      [numQNodes]float32
	huff      [numHuffTables]huffTable
}

func (d *decoder) u16() (uint16, error) {
	if d.pos+2 > len(d.data) {
		return 0, errTruncated
	}
	v := binary.BigEndian.Uint16(d.data[d.pos:])
	d.pos += 2
	return v, nil
}

// nextSegment reads a marker and, for table-like segments, its body.
func (d *decoder) nextSegment() (marker uint16, body []byte, err error) {
	marker, err = d.u16()
	if err != nil {
		return 0, nil, err
	}
	if marker < markerSOI || marker > markerCOM {
		return 0, nil, FormatError("bad marker " + strconv.FormatUint(uint64(marker), 16))
	}
	if marker == markerSOI || marker == markerEOI {
		return marker, nil, nil
	}
	n, err := d.u16()
	if err != nil {
		return 0, nil, err
	}
	if n < 2 || d.pos+int(n)-2 > len(d.data) {
		return 0, nil, FormatError("bad segment length")
	}
	body = d.data[d.pos : d.pos+int(n)-2]
	d.pos += int(n) - 2
	return marker, body, nil
}

// scaled returns v / 10^scale computed as the reference decoder does
// (repeated single-precision division).
func scaled(v uint32, scale byte) float32 {
	f := float32(v)
	for ; scale > 0; scale-- {
		f = float32(float64(f) / 10)
	}
	return f
}

// segment interprets one table, comment or frame header segment.
func (d *decoder) segment(marker uint16, b []byte) error {
	switch marker {
	case markerDTT:
		return d.readDTT(b)
	case markerDQT:
		return d.readDQT(b)
	case markerDHT:
		return d.readDHT(b)
	case markerCOM:
		d.readCOM(b)
		return nil
	case markerSOF:
		return d.readSOF(b)
	case markerDRT:
		return UnsupportedError("restart intervals")
	case markerSOI:
		return FormatError("misplaced SOI marker")
	case markerEOI:
		return FormatError("misplaced EOI marker")
	case markerSOB:
		return FormatError("block before frame header")
	}
	return FormatError("bad marker")
}

func (d *decoder) readDTT(b []byte) error {
	if len(b) < 2 {
		return FormatError("short transform table")
	}
	nlo, nhi := int(b[0]), int(b[1])
	if nlo%2 == 0 || nhi%2 == 0 {
		return UnsupportedError("even-length wavelet filters")
	}
	if nlo > 31 || nhi > 31 {
		return UnsupportedError("wavelet filters longer than 31 taps")
	}
	alo, ahi := (nlo+1)/2, (nhi+1)/2
	if len(b) < 2+6*(alo+ahi) {
		return FormatError("short transform table")
	}
	read := func(off, n int) []float64 {
		h := make([]float64, n)
		for i := range h {
			e := b[off+6*i:]
			v := float64(scaled(binary.BigEndian.Uint32(e[2:]), e[1]))
			if e[0] != 0 {
				v = -v
			}
			h[i] = v
		}
		return h
	}
	h0 := read(2, alo)
	h1 := read(2+6*alo, ahi)
	d.fb = newFilterBank(expand(h0), expand(h1))
	return nil
}

func (d *decoder) readDQT(b []byte) error {
	if len(b) < 3+numQNodes*6 {
		return FormatError("short quantization table")
	}
	d.binCenter = scaled(uint32(binary.BigEndian.Uint16(b[1:])), b[0])
	for i := 0; i < numQNodes; i++ {
		e := b[3+6*i:]
		d.qbin[i] = scaled(uint32(binary.BigEndian.Uint16(e[1:])), e[0])
		d.zbin[i] = scaled(uint32(binary.BigEndian.Uint16(e[4:])), e[3])
	}
	d.dqt = true
	return nil
}

func (d *decoder) readDHT(b []byte) error {
	for len(b) > 0 {
		if len(b) < 1+maxHuffBits {
			return FormatError("short Huffman table")
		}
		id := int(b[0])
		if id >= numHuffTables {
			return FormatError("bad Huffman table number")
		}
		h := &d.huff[id]
		total := 0
		for l := 1; l <= maxHuffBits; l++ {
			h.counts[l] = int(b[l])
			total += h.counts[l]
		}
		if total > maxHuffValues || len(b) < 1+maxHuffBits+total {
			return FormatError("bad Huffman table")
		}
		h.values = append(h.values[:0], b[1+maxHuffBits:1+maxHuffBits+total]...)
		if err := h.build(); err != nil {
			return err
		}
		h.defined = true
		b = b[1+maxHuffBits+total:]
	}
	return nil
}

func (d *decoder) readCOM(b []byte) {
	text := string(b)
	if !strings.HasPrefix(text, "NIST_COM") {
		d.meta.Comments = append(d.meta.Comments, text)
		return
	}
	if d.meta.NISTCOM != nil {
		return // only the first NISTCOM comment counts
	}
	d.meta.NISTCOM = map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), " ")
		if k == "" {
			continue
		}
		d.meta.NISTCOM[k] = strings.TrimSpace(v)
	}
	if p, err := strconv.Atoi(d.meta.NISTCOM["PPI"]); err == nil && p > 0 {
		d.meta.PPI = p
	}
}

func (d *decoder) readSOF(b []byte) error {
	if d.sof {
		return FormatError("more than one frame header")
	}
	if len(b) < 15 {
		return FormatError("short frame header")
	}
	m := &d.meta
	m.Black, m.White = b[0], b[1]
	m.Height = int(binary.BigEndian.Uint16(b[2:]))
	m.Width = int(binary.BigEndian.Uint16(b[4:]))
	m.Shift = float64(scaled(uint32(binary.BigEndian.Uint16(b[7:])), b[6]))
	m.Scale = float64(scaled(uint32(binary.BigEndian.Uint16(b[10:])), b[9]))
	m.Encoder = b[12]
	m.Software = binary.BigEndian.Uint16(b[13:])
	if m.Width == 0 || m.Height == 0 {
		return FormatError("zero image size")
	}
	if m.Width*m.Height > MaxPixels {
		return UnsupportedError(fmt.Sprintf("image of %dx%d is larger than this decoder's limit of %d pixels", m.Width, m.Height, MaxPixels))
	}
	d.sof = true
	return nil
}

func (d *decoder) decode() (*image.Gray, error) {
	m, err := d.u16()
	if err != nil {
		return nil, err
	}
	if m != markerSOI {
		return nil, FormatError("missing SOI marker")
	}
	for !d.sof {
		m, body, err := d.nextSegment()
		if err != nil {
			return nil, err
		}
		if err := d.segment(m, body); err != nil {
			return nil, err
		}
	}
	w, h := d.meta.Width, d.meta.Height
	t := newTrees(w, h)

	var coef []int32 // quantized coefficients of all coded subbands, in order
	ncoef := 0
	blocks := 0
	marker, body, err := d.nextSegment()
	for {
		if err != nil {
			if errors.Is(err, errTruncated) && coef != nil && ncoef == len(coef) {
				break // tolerate a missing EOI after complete data
			}
			return nil, err
		}
		if marker == markerEOI {
			break
		}
		if marker != markerSOB {
			if err := d.segment(marker, body); err != nil {
				return nil, err
			}
			marker, body, err = d.nextSegment()
			continue
		}
		if len(body) < 1 {
			return nil, FormatError("short block header")
		}
		if !d.dqt || d.fb == nil {
			return nil, FormatError("block before transform and quantization tables")
		}
		if coef == nil {
			total := 0
			for s := 0; s < numSubbands; s++ {
				if d.qbin[s] != 0 {
					total += t.q[s].w * t.q[s].h
				}
			}
			coef = make([]int32, total)
		}
		id := int(body[0])
		if id >= numHuffTables || !d.huff[id].defined {
			return nil, FormatError("block uses an undefined Huffman table")
		}
		blocks++
		marker, ncoef, err = d.decodeBlock(&d.huff[id], coef, ncoef)
		if err == nil && marker != markerEOI && marker != markerSOB {
			// Tables between blocks: read the segment body.
			var n uint16
			n, err = d.u16()
			if err == nil {
				if n < 2 || d.pos+int(n)-2 > len(d.data) {
					err = FormatError("bad segment length")
				} else {
					body = d.data[d.pos : d.pos+int(n)-2]
					d.pos += int(n) - 2
				}
			}
		} else if err == nil && marker == markerSOB {
			var n uint16
			n, err = d.u16()
			if err == nil {
				if n < 3 || d.pos+int(n)-2 > len(d.data) {
					err = FormatError("bad block header")
				} else {
					body = d.data[d.pos : d.pos+int(n)-2]
					d.pos += int(n) - 2
				}
			}
		}
	}
	if blocks == 0 {
		return nil, FormatError("no image data")
	}

	// Dequantize into the coefficient image.
	fdata := make([]float32, w*h)
	c := float32(d.binCenter)
	k := 0
	for s := 0; s < numSubbands; s++ {
		q := d.qbin[s]
		if q == 0 {
			continue
		}
		z := float64(d.zbin[s]) / 2
		r := t.q[s]
		for y := r.y; y < r.y+r.h; y++ {
			row := fdata[y*w+r.x : y*w+r.x+r.w]
			for x := range row {
				v := coef[k]
				k++
				switch {
				case v > 0:
					row[x] = float32(float64(q*(float32(v)-c)) + z)
				case v < 0:
					row[x] = float32(float64(q*(float32(v)+c)) - z)
				}
			}
		}
	}
	d.fb.reconstruct(fdata, w, t)

	img := image.NewGray(image.Rect(0, 0, w, h))
	ms, rs := float32(d.meta.Shift), float32(d.meta.Scale)
	for i, v := range fdata {
		p := float32(float64(float32(v*rs)+ms) + 0.5)
		switch {
		case p < 0:
			img.Pix[i] = 0
		case p > 255:
			img.Pix[i] = 255
		default:
			img.Pix[i] = uint8(p)
		}
	}
	return img, nil
}

// decodeBlock decodes Huffman-coded coefficients into coef from index k until
// a marker ends the block; it returns that marker and the new index.
func (d *decoder) decodeBlock(h *huffTable, coef []int32, k int) (uint16, int, error) {
	var cur uint32 // current byte
	nbits := 0     // bits left in cur
	// next loads the next byte; it reports a marker found at a byte boundary.
	next := func() (uint16, error) {
		if d.pos >= len(d.data) {
			return 0, errTruncated
		}
		b := d.data[d.pos]
		d.pos++
		if b == 0xFF {
			if d.pos >= len(d.data) {
				return 0, errTruncated
			}
			b2 := d.data[d.pos]
			d.pos++
			if b2 != 0 {
				return 0xFF00 | uint16(b2), nil
			}
		}
		cur, nbits = uint32(b), 8
		return 0, nil
	}
	// bits reads n raw bits (n ≤ 16); markers are an error here.
	bits := func(n int) (uint32, error) {
		var v uint32
		for ; n > 0; n-- {
			if nbits == 0 {
				m, err := next()
				if err != nil {
					return 0, err
				}
				if m != 0 {
					return 0, FormatError("marker inside coded value")
				}
			}
			nbits--
			v = v<<1 | (cur>>nbits)&1
		}
		return v, nil
	}
	for {
		// Decode one Huffman symbol; a marker at a byte boundary ends the block.
		code := int32(0)
		sym := -1
		for l := 1; l <= maxHuffBits; l++ {
			if nbits == 0 {
				m, err := next()
				if err != nil {
					return 0, k, err
				}
				if m != 0 {
					return m, k, nil
				}
			}
			nbits--
			code = code<<1 | int32((cur>>nbits)&1)
			if code <= h.maxcode[l] {
				i := int(h.valptr[l] + code - h.mincode[l])
				if i < 0 || i >= len(h.values) {
					return 0, k, FormatError("bad Huffman code")
				}
				sym = int(h.values[i])
				break
			}
		}
		if sym < 0 {
			return 0, k, FormatError("bad Huffman code")
		}
		run := 0
		var val int32
		switch {
		case sym >= 1 && sym <= 100:
			run = sym
		case sym >= 107 && sym <= 254:
			val = int32(sym - 180)
		case sym == 101 || sym == 102:
			v, err := bits(8)
			if err != nil {
				return 0, k, err
			}
			val = int32(v)
			if sym == 102 {
				val = -val
			}
		case sym == 103 || sym == 104:
			v, err := bits(16)
			if err != nil {
				return 0, k, err
			}
			val = int32(v)
			if sym == 104 {
				val = -val
			}
		case sym == 105:
			v, err := bits(8)
			if err != nil {
				return 0, k, err
			}
			run = int(v)
		case sym == 106:
			v, err := bits(16)
			if err != nil {
				return 0, k, err
			}
			run = int(v)
		default:
			return 0, k, FormatError("bad Huffman symbol")
		}
		if run > 0 || sym == 105 || sym == 106 {
			if k+run > len(coef) {
				return 0, k, FormatError("coefficient data overruns the image")
			}
			clear(coef[k : k+run])
			k += run
			continue
		}
		if k >= len(coef) {
			return 0, k, FormatError("coefficient data overruns the image")
		}
		coef[k] = val
		k++
	}
}
