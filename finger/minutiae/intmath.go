package minutiae

// Integer trigonometry of the extractor: angles are uint8, 256 units per
// turn; vectors are int8 pairs of amplitude 127.

// fjSinTable is sin over the first quarter turn (64 units), amplitude 127.
var fjSinTable = [64]int8{
	0, 3, 6, 9, 12, 15, 19, 22, 25, 28, 31, 34, 37, 40, 43, 46,
	49, 51, 54, 57, 60, 63, 65, 68, 71, 73, 76, 78, 81, 83, 85, 88,
	90, 92, 94, 96, 98, 100, 102, 104, 106, 107, 109, 111, 112, 113, 115, 116,
	117, 118, 120, 121, 122, 122, 123, 124, 125, 125, 126, 126, 126, 127, 127, 127,
}

// fjSin8 is the sine of a uint8 angle, amplitude 127.
func fjSin8(a uint8) int {
	i := int(a & 127)
	var v int
	if i <= 64 {
		if i == 64 {
			v = 127
		} else {
			v = int(fjSinTable[i])
		}
	} else {
		v = int(fjSinTable[128-i])
	}
	if a >= 128 {
		return -v
	}
	return v
}

// fjCos8 is the cosine of a uint8 angle, amplitude 127.
func fjCos8(a uint8) int { return fjSin8(a + 64) }

// fjAtanTable maps small·96/large (0…96) to the angle in uint8 units
// (0…32, i.e. up to 45°).
var fjAtanTable = [97]uint8{
	0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 8, 9, 9, 10, 10, 10, 11, 11, 12, 12, 12, 13, 13,
	13, 14, 14, 15, 15, 15, 16, 16, 16, 17, 17, 18, 18, 18, 19, 19, 19, 20, 20, 20, 21, 21, 21, 22, 22, 22, 22, 23, 23, 23,
	24, 24, 24, 25, 25, 25, 25, 26, 26, 26, 27, 27, 27, 27, 28, 28, 28, 28, 29, 29, 29, 29, 30, 30, 30, 30, 31, 31, 31, 31,
	31, 32, 32, 32, 32,
}

// fjAtan2 is the uint8 angle of the vector (c, s), measured from the c axis
// towards the s axis; 0 for the null vector.
func fjAtan2(c, s int64) uint8 {
	ac, as := c, s
	if ac < 0 {
		ac = -ac
	}
	if as < 0 {
		as = -as
	}
	swapped := false
	if ac < as {
		ac, as = as, ac
		swapped = true
	}
	if ac == 0 {
		return 0
	}
	t := int(fjAtanTable[as*96/ac])
	if swapped {
		t = 64 - t
	}
	if c < 0 {
		t = 128 - t
	}
	if s < 0 {
		t = -t
	}
	return uint8(t)
}

// fjOctSign is the octagonal approximation of 127·z/|z| for z = (re, im),
// or (0, 0) when max(|re|, |im|)/127 is at most thr.
func fjOctSign(re, im int64, thr int64) (int8, int8) {
	ar, ai := re, im
	if ar < 0 {
		ar = -ar
	}
	if ai < 0 {
		ai = -ai
	}
	n := max(ar, ai) / 127
	if n <= thr {
		return 0, 0
	}
	n = max(n, (ar+ai)/180)
	return int8(re / n), int8(im / n)
}
