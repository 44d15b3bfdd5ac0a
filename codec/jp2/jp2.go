package jp2

import (
	"bufio"
	"encoding/binary"
	"image"
	"image/color"
	"io"
	"math"
)

// FormatError reports that the input is not a valid JPEG 2000 file.
type FormatError string

func (e FormatError) Error() string { return "jp2: invalid format: " + string(e) }

// UnsupportedError reports a valid JPEG 2000 feature this package does not
// implement, notably pixel decoding.
type UnsupportedError string

func (e UnsupportedError) Error() string { return "jp2: unsupported feature: " + string(e) }

// Signatures.
const (
	jp2Magic = "\x00\x00\x00\x0cjP  \r\n\x87\n"
	j2kMagic = "\xff\x4f\xff\x51"
)

func init() {
	image.RegisterFormat("jp2", jp2Magic, Decode, DecodeConfig)
	image.RegisterFormat("j2k", j2kMagic, Decode, DecodeConfig)
}

// Info describes a JPEG 2000 image from its headers.
type Info struct {
	// Codestream is true for a bare J2K codestream, false for a JP2 file.
	Codestream bool
	// Width and Height are the image size on the reference grid (SIZ).
	Width, Height int
	// Components is the number of components; BitDepth and Signed describe
	// the first one.
	Components int
	BitDepth   int
	Signed     bool
	// Reversible is true when the default coding style (COD) uses the
	// reversible 5/3 wavelet, the one lossless files use; false for the
	// irreversible 9/7 wavelet (always lossy).
	Reversible bool
	// CapturePPI and DisplayPPI are the horizontal and vertical resolutions
	// of the JP2 'resc' and 'resd' boxes in pixels per inch; zero when absent.
	CapturePPI, DisplayPPI [2]float64
}

// Decode reads a JPEG 2000 image (JP2 file or J2K codestream) from r. It
// returns an *image.Gray for one or two components of up to 8 bits, an
// *image.Gray16 for deeper ones (samples scaled to 16 bits), and an
// *image.NRGBA for three or more components (the fourth, if any, is alpha).
func Decode(r io.Reader) (image.Image, error) {
	b, err := readAll(r)
	if err != nil {
		return nil, err
	}
	return decodeBytes(b)
}

// DecodeConfig returns the size of the JPEG 2000 image in r and the colour
// model Decode would use.
func DecodeConfig(r io.Reader) (image.Config, error) {
	info, err := ReadInfo(r)
	if err != nil {
		return image.Config{}, err
	}
	var m color.Model
	switch {
	case info.Components < 3 && info.BitDepth <= 8:
		m = color.GrayModel
	case info.Components < 3:
		m = color.Gray16Model
	default:
		m = color.NRGBAModel
	}
	return image.Config{ColorModel: m, Width: info.Width, Height: info.Height}, nil
}

// maxBox bounds the size of the header boxes read into memory.
const maxBox = 1 << 20

// ReadInfo reads the JP2 boxes (or the codestream main header) in r up to
// the coding style marker and returns what they say about the image.
func ReadInfo(r io.Reader) (*Info, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(4)
	if err != nil {
		return nil, FormatError("not a JPEG 2000 file")
	}
	info := &Info{}
	if string(head) == j2kMagic {
		info.Codestream = true
		return info, readCodestream(br, info)
	}
	sig := make([]byte, len(jp2Magic))
	if _, err := io.ReadFull(br, sig); err != nil || string(sig) != jp2Magic {
		return nil, FormatError("not a JPEG 2000 file")
	}
	for {
		typ, n, err := boxHeader(br)
		if err != nil {
			return nil, err
		}
		switch typ {
		case "jp2h":
			if n < 0 || n > maxBox {
				return nil, FormatError("bad jp2h box length")
			}
			b := make([]byte, n)
			if _, err := io.ReadFull(br, b); err != nil {
				return nil, FormatError("truncated jp2h box")
			}
			if err := parseHeaderBox(b, info); err != nil {
				return nil, err
			}
		case "jp2c":
			return info, readCodestream(br, info)
		default:
			if n < 0 {
				return nil, FormatError("no codestream box")
			}
			if _, err := br.Discard(int(min(n, math.MaxInt32))); err != nil {
				return nil, FormatError("truncated box")
			}
		}
	}
}

// boxHeader reads a box header and returns the box type and the length of
// its contents; -1 means "to the end of the file".
func boxHeader(r io.Reader) (string, int64, error) {
	var h [8]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return "", 0, FormatError("truncated box header")
	}
	n := int64(binary.BigEndian.Uint32(h[:]))
	typ := string(h[4:])
	switch {
	case n == 0:
		return typ, -1, nil
	case n == 1:
		var x [8]byte
		if _, err := io.ReadFull(r, x[:]); err != nil {
			return "", 0, FormatError("truncated box header")
		}
		xl := binary.BigEndian.Uint64(x[:])
		if xl < 16 || xl > math.MaxInt64 {
			return "", 0, FormatError("bad box length")
		}
		return typ, int64(xl) - 16, nil
	case n < 8:
		return "", 0, FormatError("bad box length")
	}
	return typ, n - 8, nil
}

// parseHeaderBox reads the sub-boxes of the JP2 header box.
func parseHeaderBox(b []byte, info *Info) error {
	for len(b) >= 8 {
		n := int(binary.BigEndian.Uint32(b))
		typ := string(b[4:8])
		if n == 0 {
			n = len(b)
		}
		if n < 8 || n > len(b) {
			return FormatError("bad box length in jp2h")
		}
		body := b[8:n]
		switch typ {
		case "ihdr":
			if len(body) < 14 {
				return FormatError("short ihdr box")
			}
			info.Height = int(binary.BigEndian.Uint32(body))
			info.Width = int(binary.BigEndian.Uint32(body[4:]))
			info.Components = int(binary.BigEndian.Uint16(body[8:]))
			if body[10] != 0xFF {
				info.BitDepth = int(body[10]&0x7F) + 1
				info.Signed = body[10]&0x80 != 0
			}
		case "res ":
			if err := parseHeaderBox(body, info); err != nil {
				return err
			}
		case "resc", "resd":
			if len(body) < 10 {
				return FormatError("short resolution box")
			}
			ppm := func(num, den uint16, exp int8) float64 {
				if den == 0 {
					return 0
				}
				return float64(num) / float64(den) * math.Pow10(int(exp))
			}
			v := ppm(binary.BigEndian.Uint16(body), binary.BigEndian.Uint16(body[2:]), int8(body[8]))
			h := ppm(binary.BigEndian.Uint16(body[4:]), binary.BigEndian.Uint16(body[6:]), int8(body[9]))
			res := [2]float64{h * 0.0254, v * 0.0254}
			if typ == "resc" {
				info.CapturePPI = res
			} else {
				info.DisplayPPI = res
			}
		}
		b = b[n:]
	}
	return nil
}

// readCodestream reads the main header markers SOC, SIZ and COD.
func readCodestream(r io.Reader, info *Info) error {
	var m [4]byte
	if _, err := io.ReadFull(r, m[:2]); err != nil || m[0] != 0xFF || m[1] != 0x4F {
		return FormatError("missing SOC marker")
	}
	sawSIZ := false
	for {
		if _, err := io.ReadFull(r, m[:4]); err != nil {
			return FormatError("truncated codestream header")
		}
		if m[0] != 0xFF {
			return FormatError("bad marker")
		}
		marker := m[1]
		n := int(binary.BigEndian.Uint16(m[2:]))
		if n < 2 {
			return FormatError("bad marker segment length")
		}
		if marker == 0x90 { // SOT: end of the main header
			if !sawSIZ {
				return FormatError("no SIZ marker")
			}
			return nil
		}
		body := make([]byte, n-2)
		if _, err := io.ReadFull(r, body); err != nil {
			return FormatError("truncated marker segment")
		}
		switch marker {
		case 0x51: // SIZ
			if len(body) < 36+3 {
				return FormatError("short SIZ marker")
			}
			xs, ys := binary.BigEndian.Uint32(body[2:]), binary.BigEndian.Uint32(body[6:])
			xo, yo := binary.BigEndian.Uint32(body[10:]), binary.BigEndian.Uint32(body[14:])
			if xo >= xs || yo >= ys || xs-xo > 1<<30 || ys-yo > 1<<30 {
				return FormatError("bad image size")
			}
			info.Width, info.Height = int(xs-xo), int(ys-yo)
			info.Components = int(binary.BigEndian.Uint16(body[34:]))
			if info.Components == 0 || len(body) < 36+3*info.Components {
				return FormatError("bad component count")
			}
			info.BitDepth = int(body[36]&0x7F) + 1
			info.Signed = body[36]&0x80 != 0
			sawSIZ = true
		case 0x52: // COD
			if !sawSIZ {
				return FormatError("COD before SIZ")
			}
			if len(body) < 10 {
				return FormatError("short COD marker")
			}
			info.Reversible = body[9] == 1
			return nil
		}
	}
}
