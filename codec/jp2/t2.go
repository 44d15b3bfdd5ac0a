package jp2

// Tier 2: packet headers and tag trees (ITU-T T.800 Annex B.10).

// pktReader reads packet headers (bit-stuffed after 0xFF) and bodies.
type pktReader struct {
	data   []byte
	pos    int
	buf    byte
	ct     int
	lastFF bool
	err    error
}

func (r *pktReader) bit() int {
	if r.ct == 0 {
		if r.pos >= len(r.data) {
			r.err = FormatError("truncated packet header")
			return 0
		}
		r.ct = 8
		if r.lastFF {
			r.ct = 7
		}
		r.buf = r.data[r.pos]
		r.pos++
		r.lastFF = r.buf == 0xFF
	}
	r.ct--
	return int(r.buf>>r.ct) & 1
}

func (r *pktReader) bits(n int) int {
	v := 0
	for ; n > 0; n-- {
		v = v<<1 | r.bit()
	}
	return v
}

// align ends a packet header.
func (r *pktReader) align() {
	if r.lastFF && r.ct == 0 {
		// An 0xFF as the last header byte is followed by a stuffed byte.
		r.pos++
	} else if r.lastFF {
		r.pos++
	}
	r.ct, r.lastFF = 0, false
}

// tagTree is a tag tree over a w×h grid of leaves.
type tagTree struct {
	nodes  []ttNode
	leaves int
}

type ttNode struct {
	parent     int32
	value, low int32
}

func newTagTree(w, h int) *tagTree {
	t := &tagTree{}
	if w <= 0 || h <= 0 {
		return t
	}
	type level struct{ w, h, off int }
	var levels []level
	n := 0
	for lw, lh := w, h; ; lw, lh = (lw+1)/2, (lh+1)/2 {
		levels = append(levels, level{lw, lh, n})
		n += lw * lh
		if lw == 1 && lh == 1 {
			break
		}
	}
	t.nodes = make([]ttNode, n)
	t.leaves = w * h
	for li, l := range levels {
		for y := 0; y < l.h; y++ {
			for x := 0; x < l.w; x++ {
				nd := &t.nodes[l.off+y*l.w+x]
				nd.value = 1 << 30
				nd.parent = -1
				if li+1 < len(levels) {
					p := levels[li+1]
					nd.parent = int32(p.off + (y/2)*p.w + x/2)
				}
			}
		}
	}
	return t
}

// decode reads bits until it knows whether the value of leaf is below
// threshold, and reports that.
func (t *tagTree) decode(r *pktReader, leaf, threshold int) bool {
	var path [32]int32
	n := 0
	for i := int32(leaf); i >= 0 && n < len(path); i = t.nodes[i].parent {
		path[n] = i
		n++
	}
	low := int32(0)
	th := int32(threshold)
	for k := n - 1; k >= 0; k-- {
		nd := &t.nodes[path[k]]
		if low > nd.low {
			nd.low = low
		} else {
			low = nd.low
		}
		for low < th && low < nd.value {
			if r.err != nil {
				return false
			}
			if r.bit() != 0 {
				nd.value = low
			} else {
				low++
			}
		}
		nd.low = low
	}
	return t.nodes[leaf].value < th
}

// value returns the decoded value of a leaf (after decode reported it
// below some threshold).
func (t *tagTree) value(leaf int) int { return int(t.nodes[leaf].value) }

// numPasses reads the number of new coding passes (Table B.4).
func numPasses(r *pktReader) int {
	if r.bit() == 0 {
		return 1
	}
	if r.bit() == 0 {
		return 2
	}
	if v := r.bits(2); v != 3 {
		return 3 + v
	}
	if v := r.bits(5); v != 31 {
		return 6 + v
	}
	return 37 + r.bits(7)
}

func floorLog2(v int) int {
	n := 0
	for v > 1 {
		v >>= 1
		n++
	}
	return n
}
