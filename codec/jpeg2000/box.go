package jpeg2000

import (
	"encoding/binary"
	"math"
)

const (
	jp2Magic = "\x00\x00\x00\x0cjP  \r\n\x87\n"
	j2kMagic = "\xff\x4f\xff\x51"
)

// Metadata holds the header fields of a JPEG 2000 image.
type Metadata struct {
	// Width and Height are the image size in pixels on the reference grid.
	Width, Height int
	// Components is the number of image components.
	Components int
	// BitDepth is the sample precision of the first component, in bits.
	BitDepth int
	// Signed reports whether the first component's samples are signed.
	Signed bool
	// Reversible reports the reversible 5/3 wavelet (lossless-capable) in
	// the main header's coding style; false means the irreversible 9/7.
	Reversible bool
	// Levels is the number of wavelet decomposition levels of the main
	// header's coding style.
	Levels int
	// Layers is the number of quality layers.
	Layers int
	// Progression is the progression order: "LRCP", "RLCP", "RPCL", "PCRL"
	// or "CPRL".
	Progression string
	// TilesX and TilesY are the number of tiles across and down.
	TilesX, TilesY int
	// JP2 reports the JP2 box format; false means a raw codestream.
	JP2 bool
	// ColorSpace is the enumerated colour space of the JP2 'colr' box
	// (16 sRGB, 17 greyscale, 18 sYCC), or 0 when absent.
	ColorSpace int
	// CaptureXPPI and CaptureYPPI are the capture resolution of the JP2
	// 'resc' box in pixels per inch, or 0 when absent.
	CaptureXPPI, CaptureYPPI float64
	// DisplayXPPI and DisplayYPPI are the default display resolution of the
	// JP2 'resd' box in pixels per inch, or 0 when absent.
	DisplayXPPI, DisplayYPPI float64
}

// PPI returns the horizontal and vertical resolution in pixels per inch,
// preferring the capture resolution over the display resolution; ok is false
// when the file declares neither.
func (m *Metadata) PPI() (x, y float64, ok bool) {
	if m.CaptureXPPI > 0 && m.CaptureYPPI > 0 {
		return m.CaptureXPPI, m.CaptureYPPI, true
	}
	if m.DisplayXPPI > 0 && m.DisplayYPPI > 0 {
		return m.DisplayXPPI, m.DisplayYPPI, true
	}
	return 0, 0, false
}

var progressionNames = [...]string{"LRCP", "RLCP", "RPCL", "PCRL", "CPRL"}

// box is one JP2 box: its type and contents.
type box struct {
	typ  string
	body []byte
}

// readBoxes splits b into boxes.
func readBoxes(b []byte) ([]box, error) {
	var out []box
	for len(b) > 0 {
		if len(b) < 8 {
			return out, FormatError("truncated box header")
		}
		l := uint64(binary.BigEndian.Uint32(b))
		typ := string(b[4:8])
		hdr := uint64(8)
		switch l {
		case 0:
			l = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return out, FormatError("truncated extended box header")
			}
			l = binary.BigEndian.Uint64(b[8:])
			hdr = 16
		}
		if l < hdr {
			return out, FormatError("box length too small")
		}
		if l > uint64(len(b)) {
			if typ == "jp2c" {
				// Truncated codestream: keep what is there.
				l = uint64(len(b))
			} else {
				return out, FormatError("box " + printable(typ) + " overruns the file")
			}
		}
		out = append(out, box{typ: typ, body: b[hdr:l]})
		b = b[l:]
	}
	return out, nil
}

func printable(s string) string {
	r := []byte(s)
	for i, c := range r {
		if c < 0x20 || c > 0x7e {
			r[i] = '?'
		}
	}
	return "'" + string(r) + "'"
}

// parseJP2 reads the JP2 boxes of data, fills the JP2 fields of md and
// returns the contiguous codestream.
func parseJP2(data []byte, md *Metadata) ([]byte, error) {
	boxes, err := readBoxes(data)
	if err != nil && len(boxes) == 0 {
		return nil, err
	}
	if len(boxes) == 0 || boxes[0].typ != "jP  " || string(boxes[0].body) != "\r\n\x87\n" {
		return nil, FormatError("missing JP2 signature box")
	}
	md.JP2 = true
	var cs []byte
	sawHeader := false
	for _, bx := range boxes[1:] {
		switch bx.typ {
		case "jp2h":
			sawHeader = true
			if err := parseJP2Header(bx.body, md); err != nil {
				return nil, err
			}
		case "jp2c":
			if cs == nil {
				cs = bx.body
			}
		}
	}
	if cs == nil {
		if err != nil {
			return nil, err
		}
		return nil, FormatError("no contiguous codestream box")
	}
	if !sawHeader {
		return nil, FormatError("missing JP2 header box")
	}
	return cs, nil
}

func parseJP2Header(b []byte, md *Metadata) error {
	boxes, err := readBoxes(b)
	if err != nil {
		return err
	}
	for _, bx := range boxes {
		switch bx.typ {
		case "colr":
			if len(bx.body) >= 7 && bx.body[0] == 1 && md.ColorSpace == 0 {
				md.ColorSpace = int(binary.BigEndian.Uint32(bx.body[3:]))
			}
		case "pclr":
			return UnsupportedError("palette (pclr box)")
		case "res ":
			sub, err := readBoxes(bx.body)
			if err != nil {
				return err
			}
			for _, s := range sub {
				x, y, ok := parseResolution(s.body)
				if !ok {
					continue
				}
				switch s.typ {
				case "resc":
					md.CaptureXPPI, md.CaptureYPPI = x, y
				case "resd":
					md.DisplayXPPI, md.DisplayYPPI = x, y
				}
			}
		}
	}
	return nil
}

// parseResolution converts a resc/resd box body (grid points per metre as
// numerator, denominator and a power of ten) to pixels per inch.
func parseResolution(b []byte) (x, y float64, ok bool) {
	if len(b) < 10 {
		return 0, 0, false
	}
	vn := float64(binary.BigEndian.Uint16(b[0:]))
	vd := float64(binary.BigEndian.Uint16(b[2:]))
	hn := float64(binary.BigEndian.Uint16(b[4:]))
	hd := float64(binary.BigEndian.Uint16(b[6:]))
	ve := float64(int8(b[8]))
	he := float64(int8(b[9]))
	if vd == 0 || hd == 0 || vn == 0 || hn == 0 {
		return 0, 0, false
	}
	const inch = 0.0254
	y = vn / vd * math.Pow(10, ve) * inch
	x = hn / hd * math.Pow(10, he) * inch
	return x, y, true
}
