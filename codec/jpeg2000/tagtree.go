package jpeg2000

// tagTree is the tag tree of T.800 B.10.2, decoding one value per leaf.
type tagTree struct {
	levels []ttLevel // levels[0] holds the leaves
	nodes  []ttNode
}

type ttLevel struct{ w, h, off int }

type ttNode struct {
	value int32 // decoded value, or ttUnknown
	low   int32 // lower bound established so far
}

const ttUnknown = 1 << 30

func (t *tagTree) init(w, h int) {
	t.levels = t.levels[:0]
	n := 0
	for {
		t.levels = append(t.levels, ttLevel{w, h, n})
		n += w * h
		if w <= 1 && h <= 1 {
			break
		}
		w, h = (w+1)/2, (h+1)/2
	}
	t.nodes = make([]ttNode, n)
	for i := range t.nodes {
		t.nodes[i].value = ttUnknown
	}
}

// decode reads bits until it knows whether the value of leaf (x, y) is
// below threshold, and reports that.
func (t *tagTree) decode(br *bitReader, x, y, threshold int) (bool, error) {
	var path [34]int
	nl := len(t.levels)
	if nl > len(path) {
		return false, FormatError("tag tree too deep")
	}
	for k := 0; k < nl; k++ {
		lv := t.levels[k]
		path[k] = lv.off + (y>>k)*lv.w + x>>k
	}
	thr := int32(threshold)
	var low int32
	for k := nl - 1; k >= 0; k-- {
		nd := &t.nodes[path[k]]
		if low > nd.low {
			nd.low = low
		} else {
			low = nd.low
		}
		for low < thr && low < nd.value {
			b, err := br.bit()
			if err != nil {
				return false, err
			}
			if b != 0 {
				nd.value = low
			} else {
				low++
			}
		}
		nd.low = low
	}
	return t.nodes[path[0]].value < thr, nil
}
