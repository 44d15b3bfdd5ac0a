package pnm

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
)

// FormatError reports that the input is not a valid Netpbm file.
type FormatError string

// Error implements the error interface.
func (e FormatError) Error() string { return "pnm: invalid format: " + string(e) }

// UnsupportedError reports a valid but unsupported file.
type UnsupportedError string

// Error implements the error interface.
func (e UnsupportedError) Error() string { return "pnm: unsupported feature: " + string(e) }

// MaxPixels is the largest image (width × height) Decode accepts; it is
// checked before allocating.
const MaxPixels = 1 << 26

func init() {
	for _, m := range []struct{ name, magic string }{
		{"pbm", "P1"}, {"pbm", "P4"}, {"pgm", "P2"}, {"pgm", "P5"}, {"ppm", "P3"}, {"ppm", "P6"},
	} {
		image.RegisterFormat(m.name, m.magic, Decode, DecodeConfig)
	}
}

type header struct {
	kind          byte // '1'..'6'
	width, height int
	maxval        int
}

func (h *header) channels() int {
	if h.kind == '3' || h.kind == '6' {
		return 3
	}
	return 1
}

// readHeader reads the magic number, width, height and (except for PBM)
// maxval, and the single whitespace byte after the header.
func readHeader(r *bufio.Reader) (*header, error) {
	var m [2]byte
	if _, err := io.ReadFull(r, m[:]); err != nil || m[0] != 'P' || m[1] < '1' || m[1] > '6' {
		return nil, FormatError("bad magic number")
	}
	h := &header{kind: m[1], maxval: 1}
	fields := []*int{&h.width, &h.height}
	if h.kind != '1' && h.kind != '4' {
		fields = append(fields, &h.maxval)
	}
	for _, f := range fields {
		v, err := readUint(r)
		if err != nil {
			return nil, err
		}
		*f = v
	}
	// Exactly one whitespace byte ends the header.
	c, err := r.ReadByte()
	if err != nil || !isSpace(c) {
		return nil, FormatError("missing whitespace after header")
	}
	if h.width <= 0 || h.height <= 0 {
		return nil, FormatError("zero image size")
	}
	if h.maxval <= 0 || h.maxval > 65535 {
		return nil, FormatError("maxval out of range")
	}
	if h.width > MaxPixels || h.height > MaxPixels || h.width*h.height > MaxPixels {
		return nil, UnsupportedError(fmt.Sprintf("image of %dx%d is larger than this decoder's limit of %d pixels", h.width, h.height, MaxPixels))
	}
	return h, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// readUint skips whitespace and comments and reads a decimal number.
func readUint(r *bufio.Reader) (int, error) {
	c, err := r.ReadByte()
	for err == nil && (isSpace(c) || c == '#') {
		if c == '#' {
			for err == nil && c != '\n' && c != '\r' {
				c, err = r.ReadByte()
			}
		}
		if err == nil {
			c, err = r.ReadByte()
		}
	}
	if err != nil {
		return 0, FormatError("truncated header")
	}
	if c < '0' || c > '9' {
		return 0, FormatError("expected a number")
	}
	v := 0
	for err == nil && c >= '0' && c <= '9' {
		v = v*10 + int(c-'0')
		if v > 1<<30 {
			return 0, FormatError("number too large")
		}
		c, err = r.ReadByte()
	}
	if err == nil {
		r.UnreadByte()
	}
	return v, nil
}

// DecodeConfig returns the size and colour model of the Netpbm image in r.
func DecodeConfig(r io.Reader) (image.Config, error) {
	h, err := readHeader(bufio.NewReader(r))
	if err != nil {
		return image.Config{}, err
	}
	return image.Config{ColorModel: h.model(), Width: h.width, Height: h.height}, nil
}

func (h *header) model() color.Model {
	switch {
	case h.channels() == 1 && h.maxval < 256:
		return color.GrayModel
	case h.channels() == 1:
		return color.Gray16Model
	case h.maxval < 256:
		return color.RGBAModel
	}
	return color.RGBA64Model
}

// Decode reads a Netpbm image from r.
func Decode(r io.Reader) (image.Image, error) {
	br := bufio.NewReader(r)
	h, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	n := h.width * h.height * h.channels()
	samples := make([]uint16, n)
	switch h.kind {
	case '1', '2', '3': // plain (ASCII)
		for i := range samples {
			if h.kind == '1' {
				// Digits may be packed without separators.
				c, err := br.ReadByte()
				for err == nil && isSpace(c) {
					c, err = br.ReadByte()
				}
				if err != nil || (c != '0' && c != '1') {
					return nil, FormatError("bad or missing bit")
				}
				samples[i] = uint16(c - '0')
				continue
			}
			v, err := readUint(br)
			if err != nil {
				return nil, err
			}
			if v > h.maxval {
				return nil, FormatError("sample exceeds maxval")
			}
			samples[i] = uint16(v)
		}
	case '4':
		rowBytes := (h.width + 7) / 8
		row := make([]byte, rowBytes)
		for y := 0; y < h.height; y++ {
			if _, err := io.ReadFull(br, row); err != nil {
				return nil, FormatError("truncated raster")
			}
			for x := 0; x < h.width; x++ {
				samples[y*h.width+x] = uint16(row[x/8]>>(7-x%8)) & 1
			}
		}
	default: // '5', '6': raw
		size := 1
		if h.maxval > 255 {
			size = 2
		}
		buf := make([]byte, 64*1024)
		for i := 0; i < n; {
			k := min(len(buf)/size, n-i)
			if _, err := io.ReadFull(br, buf[:k*size]); err != nil {
				return nil, FormatError("truncated raster")
			}
			for j := 0; j < k; j++ {
				v := uint16(buf[j*size])
				if size == 2 {
					v = v<<8 | uint16(buf[j*size+1])
				}
				if int(v) > h.maxval {
					return nil, FormatError("sample exceeds maxval")
				}
				samples[i+j] = v
			}
			i += k
		}
	}
	rect := image.Rect(0, 0, h.width, h.height)
	if h.kind == '1' || h.kind == '4' {
		g := image.NewGray(rect)
		for i, v := range samples {
			g.Pix[i] = uint8(255 * (1 - v)) // 1 is black
		}
		return g, nil
	}
	scale8 := func(v uint16) uint8 { return uint8((uint32(v)*255 + uint32(h.maxval)/2) / uint32(h.maxval)) }
	scale16 := func(v uint16) uint16 { return uint16((uint32(v)*65535 + uint32(h.maxval)/2) / uint32(h.maxval)) }
	switch {
	case h.channels() == 1 && h.maxval < 256:
		g := image.NewGray(rect)
		for i, v := range samples {
			g.Pix[i] = scale8(v)
		}
		return g, nil
	case h.channels() == 1:
		g := image.NewGray16(rect)
		for i, v := range samples {
			s := scale16(v)
			g.Pix[2*i], g.Pix[2*i+1] = uint8(s>>8), uint8(s)
		}
		return g, nil
	case h.maxval < 256:
		m := image.NewRGBA(rect)
		for i := 0; i < h.width*h.height; i++ {
			m.Pix[4*i] = scale8(samples[3*i])
			m.Pix[4*i+1] = scale8(samples[3*i+1])
			m.Pix[4*i+2] = scale8(samples[3*i+2])
			m.Pix[4*i+3] = 255
		}
		return m, nil
	}
	m := image.NewRGBA64(rect)
	for i := 0; i < h.width*h.height; i++ {
		for c := 0; c < 3; c++ {
			s := scale16(samples[3*i+c])
			m.Pix[8*i+2*c], m.Pix[8*i+2*c+1] = uint8(s>>8), uint8(s)
		}
		m.Pix[8*i+6], m.Pix[8*i+7] = 255, 255
	}
	return m, nil
}

// Encode writes img as a binary PGM (P5) when its colour model is grey
// (8 or 16 bits), and as a binary PPM (P6, 8 bits) otherwise.
func Encode(w io.Writer, img image.Image) error {
	if img == nil {
		return errors.New("pnm: nil image")
	}
	b := img.Bounds()
	if b.Empty() {
		return errors.New("pnm: empty image")
	}
	bw := bufio.NewWriter(w)
	switch img.ColorModel() {
	case color.GrayModel:
		fmt.Fprintf(bw, "P5\n%d %d\n255\n", b.Dx(), b.Dy())
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				bw.WriteByte(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
			}
		}
	case color.Gray16Model:
		fmt.Fprintf(bw, "P5\n%d %d\n65535\n", b.Dx(), b.Dy())
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				v := color.Gray16Model.Convert(img.At(x, y)).(color.Gray16).Y
				bw.WriteByte(uint8(v >> 8))
				bw.WriteByte(uint8(v))
			}
		}
	default:
		fmt.Fprintf(bw, "P6\n%d %d\n255\n", b.Dx(), b.Dy())
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				bw.Write([]byte{c.R, c.G, c.B})
			}
		}
	}
	return bw.Flush()
}
