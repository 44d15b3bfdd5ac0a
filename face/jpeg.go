package face

import (
	"encoding/binary"
	"errors"
	"sort"
)

// ErrNoQuantTable reports JPEG bytes without a usable luminance
// quantisation table.
var ErrNoQuantTable = errors.New("face: no JPEG luminance quantisation table")

// ijgLuminance is the luminance quantisation table of ITU-T T.81 Annex K
// (used by the IJG library at quality 50), in natural (row-major) order.
var ijgLuminance = [64]int{
	16, 11, 10, 16, 24, 40, 51, 61,
	12, 12, 14, 19, 26, 58, 60, 55,
	14, 13, 16, 24, 40, 57, 69, 56,
	14, 17, 22, 29, 51, 87, 80, 62,
	18, 22, 37, 56, 68, 109, 103, 77,
	24, 35, 55, 64, 81, 104, 113, 92,
	49, 64, 78, 87, 103, 121, 120, 101,
	72, 92, 95, 98, 112, 100, 103, 99,
}

// zigzag[i] is the natural-order index of the i-th coefficient in the
// zig-zag order in which DQT segments store tables.
var zigzag = [64]int{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

// JPEGQuality estimates the IJG quality setting (1-100) that produced the
// luminance quantisation table (table 0, or the first table) of the JPEG
// file b. The estimate inverts IJG's scaling of the Annex K table,
// scale = 5000/q % for q < 50 and 200-2q % otherwise: the scale is the
// median ratio of the table's entries to the reference entries, over the
// entries not clipped to 1 or 255 (or the ratio of the sums when all are
// clipped). For tables not made by IJG it gives the IJG quality of about
// the same typical quantisation step.
func JPEGQuality(b []byte) (float64, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 0, ErrNoQuantTable
	}
	var table []int
	first := true
	pos := 2
	for pos+4 <= len(b) {
		if b[pos] != 0xFF {
			return 0, ErrNoQuantTable
		}
		marker := b[pos+1]
		if marker == 0xFF { // fill byte
			pos++
			continue
		}
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
			pos += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan / end of image
			break
		}
		n := int(binary.BigEndian.Uint16(b[pos+2:]))
		if n < 2 || pos+2+n > len(b) {
			return 0, ErrNoQuantTable
		}
		if marker == 0xDB {
			seg := b[pos+4 : pos+2+n]
			for len(seg) > 0 {
				pq, tq := seg[0]>>4, seg[0]&15
				size := 64
				if pq == 1 {
					size = 128
				}
				if len(seg) < 1+size || pq > 1 {
					return 0, ErrNoQuantTable
				}
				if tq == 0 || first {
					t := make([]int, 64)
					for i := range t {
						if pq == 1 {
							t[i] = int(binary.BigEndian.Uint16(seg[1+2*i:]))
						} else {
							t[i] = int(seg[1+i])
						}
					}
					table = t
					first = tq != 0 && first
					if tq == 0 {
						first = false
					}
				}
				seg = seg[1+size:]
			}
		}
		pos += 2 + n
	}
	if table == nil {
		return 0, ErrNoQuantTable
	}
	var ratios []float64
	sum, ref := 0, 0
	for i, v := range table {
		std := ijgLuminance[zigzag[i]]
		sum += v
		ref += std
		if v > 1 && v < 255 {
			ratios = append(ratios, 100*float64(v)/float64(std))
		}
	}
	s := 100 * float64(sum) / float64(ref)
	if len(ratios) >= 8 {
		sort.Float64s(ratios)
		s = ratios[len(ratios)/2]
	}
	var q float64
	if s <= 100 {
		q = (200 - s) / 2
	} else {
		q = 5000 / s
	}
	if q < 1 {
		q = 1
	}
	if q > 100 {
		q = 100
	}
	return float64(int(float64(q*10)+0.5)) / 10, nil
}
