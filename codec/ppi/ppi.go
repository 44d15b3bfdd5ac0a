package ppi

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strings"

	"github.com/biogate/biogate/codec/iso19794"
	"github.com/biogate/biogate/codec/jpeg2000"
	"github.com/biogate/biogate/codec/wsq"
)

// Resolution is a declared resolution.
type Resolution struct {
	// X and Y are the horizontal and vertical resolution in pixels per inch.
	X, Y float64
	// Source names the field the values come from, for example
	// "png pHYs", "jfif", "exif", "tiff", "bmp", "wsq nistcom",
	// "jp2 resc", "jp2 resd" or "iso19794".
	Source string
}

// PPI returns the resolution as one number: X when X and Y agree within 1%,
// otherwise their mean.
func (r Resolution) PPI() float64 {
	if math.Abs(r.X-r.Y) <= 0.01*math.Max(r.X, r.Y) {
		return r.X
	}
	return (r.X + r.Y) / 2
}

// SoftwareDefault reports whether the resolution is 72 or 96 ppi, the
// values image software writes when it knows nothing about the scan.
func (r Resolution) SoftwareDefault() bool {
	p := math.Round(r.PPI())
	return p == 72 || p == 96
}

// ErrUnknownFormat is returned for data whose format is not recognised.
var ErrUnknownFormat = errors.New("ppi: unknown image format")

// Read returns the resolution declared in data, an encoded image or record.
// format is one of "png", "jpeg", "tiff", "bmp", "wsq", "jp2" (JP2 or J2K),
// "iso19794", or "" to detect it from the data's signature. ok is false when
// the file is valid but declares no resolution (or declares only an aspect
// ratio); err is non-nil when the header cannot be read.
func Read(data []byte, format string) (res Resolution, ok bool, err error) {
	if format == "" {
		format = Sniff(data)
	}
	switch strings.ToLower(format) {
	case "png":
		return readPNG(data)
	case "jpeg", "jpg":
		return readJPEG(data)
	case "tiff", "tif":
		return readTIFFFile(data)
	case "bmp":
		return readBMP(data)
	case "wsq":
		m, err := wsq.ReadMetadata(bytes.NewReader(data))
		if err != nil {
			return Resolution{}, false, err
		}
		if m.PPI <= 0 {
			return Resolution{}, false, nil
		}
		return Resolution{float64(m.PPI), float64(m.PPI), "wsq nistcom"}, true, nil
	case "jp2", "j2k", "jpeg2000":
		m, err := jpeg2000.DecodeMetadata(bytes.NewReader(data))
		if err != nil {
			return Resolution{}, false, err
		}
		if m.CaptureXPPI > 0 && m.CaptureYPPI > 0 {
			return Resolution{m.CaptureXPPI, m.CaptureYPPI, "jp2 resc"}, true, nil
		}
		if m.DisplayXPPI > 0 && m.DisplayYPPI > 0 {
			return Resolution{m.DisplayXPPI, m.DisplayYPPI, "jp2 resd"}, true, nil
		}
		return Resolution{}, false, nil
	case "iso19794", "fir", "fac":
		rec, err := iso19794.Parse(data)
		if err != nil {
			return Resolution{}, false, err
		}
		for _, im := range rec.Images {
			if im.PPI[0] > 0 && im.PPI[1] > 0 {
				return Resolution{im.PPI[0], im.PPI[1], "iso19794"}, true, nil
			}
		}
		return Resolution{}, false, nil
	}
	return Resolution{}, false, ErrUnknownFormat
}

// Sniff names the format of data from its signature ("png", "jpeg",
// "tiff", "bmp", "wsq", "jp2", "iso19794"), or returns "".
func Sniff(data []byte) string {
	has := func(s string) bool { return bytes.HasPrefix(data, []byte(s)) }
	switch {
	case has("\x89PNG\r\n\x1a\n"):
		return "png"
	case has("\xff\xd8"):
		return "jpeg"
	case has("II*\x00"), has("MM\x00*"):
		return "tiff"
	case has("BM"):
		return "bmp"
	case has("\xff\xa0\xff"):
		return "wsq"
	case has("\x00\x00\x00\x0cjP  \r\n\x87\n"), has("\xff\x4f\xff\x51"):
		return "jp2"
	case has("FIR\x00"), has("FAC\x00"):
		return "iso19794"
	}
	return ""
}

// FormatError reports a malformed header.
type FormatError string

// Error implements the error interface.
func (e FormatError) Error() string { return "ppi: invalid format: " + string(e) }

func readPNG(b []byte) (Resolution, bool, error) {
	if len(b) < 8 || string(b[:8]) != "\x89PNG\r\n\x1a\n" {
		return Resolution{}, false, FormatError("not a PNG file")
	}
	b = b[8:]
	for len(b) >= 12 {
		n := binary.BigEndian.Uint32(b)
		typ := string(b[4:8])
		if uint64(n)+12 > uint64(len(b)) {
			return Resolution{}, false, FormatError("truncated PNG chunk")
		}
		body := b[8 : 8+n]
		switch typ {
		case "pHYs":
			if n < 9 {
				return Resolution{}, false, FormatError("short pHYs chunk")
			}
			if body[8] != 1 { // unit unknown: aspect ratio only
				return Resolution{}, false, nil
			}
			x := float64(binary.BigEndian.Uint32(body)) * 0.0254
			y := float64(binary.BigEndian.Uint32(body[4:])) * 0.0254
			if x == 0 || y == 0 {
				return Resolution{}, false, nil
			}
			return Resolution{x, y, "png pHYs"}, true, nil
		case "IDAT", "IEND":
			return Resolution{}, false, nil
		}
		b = b[12+n:]
	}
	return Resolution{}, false, FormatError("truncated PNG file")
}

func readJPEG(b []byte) (Resolution, bool, error) {
	if len(b) < 2 || b[0] != 0xFF || b[1] != 0xD8 {
		return Resolution{}, false, FormatError("not a JPEG file")
	}
	b = b[2:]
	var exif Resolution
	haveExif := false
	for {
		// Skip fill bytes before a marker.
		for len(b) > 0 && b[0] == 0xFF && len(b) > 1 && b[1] == 0xFF {
			b = b[1:]
		}
		if len(b) < 4 || b[0] != 0xFF {
			return exif, haveExif, nil
		}
		m := b[1]
		if m == 0xDA || m == 0xD9 { // start of scan, end of image
			return exif, haveExif, nil
		}
		if m >= 0xD0 && m <= 0xD7 || m == 0x01 {
			b = b[2:]
			continue
		}
		n := int(binary.BigEndian.Uint16(b[2:]))
		if n < 2 || 2+n > len(b) {
			return exif, haveExif, nil
		}
		seg := b[4 : 2+n]
		switch {
		case m == 0xE0 && len(seg) >= 12 && string(seg[:5]) == "JFIF\x00":
			units := seg[7]
			x, y := float64(binary.BigEndian.Uint16(seg[8:])), float64(binary.BigEndian.Uint16(seg[10:]))
			if units == 2 {
				x, y = x*2.54, y*2.54
			}
			if (units == 1 || units == 2) && x > 0 && y > 0 {
				return Resolution{x, y, "jfif"}, true, nil
			}
		case m == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" && !haveExif:
			if r, ok := readTIFF(seg[6:]); ok {
				exif, haveExif = r, true
				exif.Source = "exif"
			}
		}
		b = b[2+n:]
	}
}

func readTIFFFile(b []byte) (Resolution, bool, error) {
	if len(b) < 8 || !(string(b[:4]) == "II*\x00" || string(b[:4]) == "MM\x00*") {
		return Resolution{}, false, FormatError("not a TIFF file")
	}
	r, ok := readTIFF(b)
	r.Source = "tiff"
	return r, ok, nil
}

// readTIFF reads XResolution, YResolution and ResolutionUnit from the first
// IFD of a TIFF structure (a TIFF file or an EXIF block).
func readTIFF(b []byte) (Resolution, bool) {
	if len(b) < 8 {
		return Resolution{}, false
	}
	var bo binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return Resolution{}, false
	}
	off := uint64(bo.Uint32(b[4:]))
	if off+2 > uint64(len(b)) {
		return Resolution{}, false
	}
	n := uint64(bo.Uint16(b[off:]))
	rational := func(e []byte) float64 {
		p := uint64(bo.Uint32(e[8:]))
		if p+8 > uint64(len(b)) {
			return 0
		}
		num, den := bo.Uint32(b[p:]), bo.Uint32(b[p+4:])
		if den == 0 {
			return 0
		}
		return float64(num) / float64(den)
	}
	x, y := 0.0, 0.0
	unit := 2 // inch
	for i := uint64(0); i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > uint64(len(b)) {
			break
		}
		ent := b[e : e+12]
		tag, typ := bo.Uint16(ent), bo.Uint16(ent[2:])
		switch {
		case tag == 282 && typ == 5:
			x = rational(ent)
		case tag == 283 && typ == 5:
			y = rational(ent)
		case tag == 296 && typ == 3:
			unit = int(bo.Uint16(ent[8:]))
		}
	}
	if x <= 0 || y <= 0 || unit == 1 {
		return Resolution{}, false
	}
	if unit == 3 {
		x, y = x*2.54, y*2.54
	}
	return Resolution{X: x, Y: y}, true
}

func readBMP(b []byte) (Resolution, bool, error) {
	if len(b) < 18 || string(b[:2]) != "BM" {
		return Resolution{}, false, FormatError("not a BMP file")
	}
	hdr := binary.LittleEndian.Uint32(b[14:])
	if hdr < 40 || len(b) < 46 {
		return Resolution{}, false, nil // OS/2 header: no resolution
	}
	x := float64(int32(binary.LittleEndian.Uint32(b[38:]))) * 0.0254
	y := float64(int32(binary.LittleEndian.Uint32(b[42:]))) * 0.0254
	if x <= 0 || y <= 0 {
		return Resolution{}, false, nil
	}
	return Resolution{x, y, "bmp"}, true, nil
}
