package load

import (
	"bytes"
	"encoding/binary"
)

// ppiOf reads the resolution from PNG pHYs or JPEG JFIF headers; 0 when
// the file does not say.
func ppiOf(format string, data []byte) float64 {
	switch format {
	case "png":
		return pngPPI(data)
	case "jpeg":
		return jfifPPI(data)
	}
	return 0
}

func pngPPI(data []byte) float64 {
	const sig = "\x89PNG\r\n\x1a\n"
	if !bytes.HasPrefix(data, []byte(sig)) {
		return 0
	}
	p := data[len(sig):]
	for len(p) >= 12 {
		n := binary.BigEndian.Uint32(p[:4])
		typ := string(p[4:8])
		if uint64(n)+12 > uint64(len(p)) {
			return 0
		}
		if typ == "pHYs" && n == 9 {
			x := binary.BigEndian.Uint32(p[8:12])
			if p[16] == 1 { // unit: metre
				return float64(x) * 0.0254
			}
			return 0
		}
		if typ == "IDAT" || typ == "IEND" {
			return 0
		}
		p = p[12+n:]
	}
	return 0
}

func jfifPPI(data []byte) float64 {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 0
	}
	p := data[2:]
	for len(p) >= 4 && p[0] == 0xFF {
		marker := p[1]
		n := int(binary.BigEndian.Uint16(p[2:4]))
		if n < 2 || n+2 > len(p) {
			return 0
		}
		seg := p[4 : 2+n]
		if marker == 0xE0 && len(seg) >= 12 && string(seg[:5]) == "JFIF\x00" {
			units := seg[7]
			x := float64(binary.BigEndian.Uint16(seg[8:10]))
			switch units {
			case 1:
				return x
			case 2:
				return x * 2.54
			}
			return 0
		}
		if marker == 0xDA {
			return 0
		}
		p = p[2+n:]
	}
	return 0
}
