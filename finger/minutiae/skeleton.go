package minutiae

// Ring of 8-neighbour offsets in clockwise order starting at north
// (image coordinates, y down): N, NE, E, SE, S, SW, W, NW.
var ringDX = [8]int{0, 1, 1, 1, 0, -1, -1, -1}
var ringDY = [8]int{-1, -1, 0, 1, 1, 1, 0, -1}

// skeleton binarises the enhanced image (ridge where the response is
// negative) and thins it to a one-pixel-wide,
// 8-connected skeleton. The one-pixel image frame is always background.
func (p *plane) skeleton() []uint8 {
	w, h := p.w, p.h
	s := make([]uint8, w*h)
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			if p.enh[y*w+x] < 0 {
				s[y*w+x] = 1
			}
		}
	}
	zhangSuen(s, w, h)
	removeStaircase(s, w, h)
	return s
}

// nb returns the 8 neighbours of pixel i in ring order as a bit mask
// (bit k set when neighbour k is set).
func nb(s []uint8, w, i int) uint8 {
	var m uint8
	for k := 0; k < 8; k++ {
		if s[i+ringDY[k]*w+ringDX[k]] != 0 {
			m |= 1 << k
		}
	}
	return m
}

// transitions counts 0→1 transitions around the ring of mask m.
func transitions(m uint8) int {
	n := 0
	for k := 0; k < 8; k++ {
		if m&(1<<k) == 0 && m&(1<<((k+1)&7)) != 0 {
			n++
		}
	}
	return n
}

func popcount(m uint8) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// zhangSuen thins s in place (Zhang & Suen, CACM 1984), with Lü & Wang's
// (CACM 1986) condition of at least three neighbours, which keeps
// two-pixel-thick diagonal lines from vanishing.
func zhangSuen(s []uint8, w, h int) {
	const minNeighbours = 3
	const (
		n_ = 1 << 0
		e_ = 1 << 2
		s_ = 1 << 4
		w_ = 1 << 6
	)
	var del []int
	for {
		changed := false
		for pass := 0; pass < 2; pass++ {
			del = del[:0]
			for y := 1; y < h-1; y++ {
				for x := 1; x < w-1; x++ {
					i := y*w + x
					if s[i] == 0 {
						continue
					}
					m := nb(s, w, i)
					b := popcount(m)
					if b < minNeighbours || b > 6 || transitions(m) != 1 {
						continue
					}
					if pass == 0 {
						if m&n_ != 0 && m&e_ != 0 && m&s_ != 0 {
							continue
						}
						if m&e_ != 0 && m&s_ != 0 && m&w_ != 0 {
							continue
						}
					} else {
						if m&n_ != 0 && m&e_ != 0 && m&w_ != 0 {
							continue
						}
						if m&n_ != 0 && m&s_ != 0 && m&w_ != 0 {
							continue
						}
					}
					del = append(del, i)
				}
			}
			for _, i := range del {
				s[i] = 0
			}
			if len(del) > 0 {
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

// removeStaircase deletes corner pixels of 4-connected L-shapes whose two
// arms are 8-adjacent anyway, leaving an 8-connected skeleton where every
// pixel of a ridge has crossing number 2.
func removeStaircase(s []uint8, w, h int) {
	// For each corner: the two set arms and the three pixels that must be
	// clear so that deleting the corner cannot disconnect anything.
	type rule struct{ set, clear uint8 }
	const (
		N, NE, E, SE, S, SW, W, NW = 1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6, 1 << 7
	)
	rules := [4]rule{
		{N | E, S | W | SW},
		{E | S, N | W | NW},
		{S | W, N | E | NE},
		{W | N, S | E | SE},
	}
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			if s[i] == 0 {
				continue
			}
			m := nb(s, w, i)
			for _, r := range rules {
				if m&r.set == r.set && m&r.clear == 0 {
					s[i] = 0
					break
				}
			}
		}
	}
}

// crossingNumber is half the number of changes around the ring of pixel i.
func crossingNumber(s []uint8, w, i int) int {
	m := nb(s, w, i)
	n := 0
	for k := 0; k < 8; k++ {
		a := m >> k & 1
		b := m >> ((k + 1) & 7) & 1
		if a != b {
			n++
		}
	}
	return n / 2
}

// runs returns one representative neighbour (ring index) per run of set
// ring pixels, preferring 4-neighbours, skipping the run that contains
// ring index skip (or none when skip < 0). There are at most four runs.
func runs(m uint8, skip int) ([4]int, int) {
	var out [4]int
	n := 0
	if m == 0xff || m == 0 {
		return out, 0
	}
	// Start just after a clear pixel so runs do not wrap.
	st := 0
	for m&(1<<st) != 0 {
		st++
	}
	for k := 1; k <= 8; k++ {
		i := (st + k) & 7
		if m&(1<<i) == 0 {
			continue
		}
		// Start of a run at i: collect it.
		rep, hasSkip := -1, false
		for ; k <= 8 && m&(1<<((st+k)&7)) != 0; k++ {
			j := (st + k) & 7
			if j == skip {
				hasSkip = true
			}
			if rep < 0 || (rep%2 == 1 && j%2 == 0) {
				rep = j
			}
		}
		if !hasSkip && n < len(out) {
			out[n] = rep
			n++
		}
	}
	return out, n
}
