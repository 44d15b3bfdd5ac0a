package wsq

// rect is one node of a subband tree: a rectangle of the coefficient image.
type rect struct {
	x, y, w, h int
}

// wnode is a node of the wavelet decomposition tree: a rectangle that is split
// into four subbands, with flags telling whether the high-pass half comes
// first along rows (invRow) or columns (invCol).
type wnode struct {
	rect
	invRow, invCol bool
}

const (
	numWNodes   = 20
	numSubbands = 60 // subbands that carry coefficients
	numQNodes   = 64 // subband slots in the quantization table
)

// trees holds the decomposition geometry for one image size.
type trees struct {
	w [numWNodes]wnode
	q [numQNodes]rect
}

// half returns the sizes of the two halves of n: the first (larger when n is
// odd) and the second.
func half(n int) (first, second int) {
	return (n + 1) / 2, n / 2
}

func newTrees(width, height int) *trees {
	t := new(trees)
	for _, n := range []int{2, 4, 7, 9, 11, 13, 16, 18} {
		t.w[n].invRow = true
	}
	for _, n := range []int{3, 5, 8, 9, 12, 13, 17, 18} {
		t.w[n].invCol = true
	}
	t.split4(0, 1, width, height, 0, 0, false)
	lx, lx2 := half(t.w[1].w)
	ly, ly2 := half(t.w[1].h)
	t.split4(4, 6, lx2, ly, lx, 0, true)
	t.split4(5, 10, lx, ly2, 0, ly, true)
	t.split4(14, 15, lx, ly, 0, 0, true)
	w19, _ := half(t.w[15].w)
	h19, _ := half(t.w[15].h)
	t.w[19].rect = rect{0, 0, w19, h19}

	t.quad16(3, t.w[14].rect, false, false)
	t.quad16(19, t.w[4].rect, false, true)
	t.quad16(48, t.w[0].rect, false, false)
	t.quad16(35, t.w[5].rect, true, false)
	t.quad4(0, t.w[19].rect)
	return t
}

// split4 records node parent as rectangle (x, y, w, h) and lays out the four
// children first..first+3 (top-left, top-right, bottom-left, bottom-right).
// When fourth is false the bottom-right child is left to a later call.
// Odd sizes give the extra sample to the first half, except along x for
// node 4 and along y for node 5, whose high-pass half comes first.
func (t *trees) split4(parent, first, w, h, x, y int, fourth bool) {
	t.w[parent].rect = rect{x, y, w, h}
	a, b := half(w)
	if parent == 4 {
		a, b = b, a
	}
	c, d := half(h)
	if parent == 5 {
		c, d = d, c
	}
	t.w[first].rect = rect{x, y, a, c}
	t.w[first+1].rect = rect{x + a, y, b, c}
	t.w[first+2].rect = rect{x, y + c, a, d}
	if fourth {
		t.w[first+3].rect = rect{x + a, y + c, b, d}
	}
}

// quad4 lays out the 2×2 subbands start..start+3 of r.
func (t *trees) quad4(start int, r rect) {
	a, b := half(r.w)
	c, d := half(r.h)
	t.q[start] = rect{r.x, r.y, a, c}
	t.q[start+1] = rect{r.x + a, r.y, b, c}
	t.q[start+2] = rect{r.x, r.y + c, a, d}
	t.q[start+3] = rect{r.x + a, r.y + c, b, d}
}

// quad16 lays out the 4×4 subbands start..start+15 of r: r is split in two
// along each axis (the high-pass half first along y when rowInv, along x
// when colInv), and each quarter in two again, quadrant by quadrant.
func (t *trees) quad16(start int, r rect, rowInv, colInv bool) {
	x1, x2 := half(r.w)
	if colInv && r.w%2 == 1 {
		x1, x2 = x2, x1
	}
	y1, y2 := half(r.h)
	if rowInv && r.h%2 == 1 {
		y1, y2 = y2, y1
	}
	// Widths of the two columns inside the left half, and the right half.
	la, lb := half(x1)
	ra, rb := half(x2)
	ra, rb = rb, ra // the right half gives its extra sample to its second column
	// Heights of the two rows inside the top half, and the bottom half.
	ta, tb := half(y1)
	ba, bb := half(y2)
	ba, bb = bb, ba

	xs := [4]int{r.x, r.x + la, r.x + x1, r.x + x1 + ra}
	ws := [4]int{la, lb, ra, rb}
	ys := [4]int{r.y, r.y + ta, r.y + y1, r.y + y1 + ba}
	hs := [4]int{ta, tb, ba, bb}
	// Order: the top-left quadrant (2×2), top-right, bottom-left, bottom-right.
	p := start
	for qy := 0; qy < 2; qy++ {
		for qx := 0; qx < 2; qx++ {
			for iy := 0; iy < 2; iy++ {
				for ix := 0; ix < 2; ix++ {
					cx, cy := 2*qx+ix, 2*qy+iy
					t.q[p] = rect{xs[cx], ys[cy], ws[cx], hs[cy]}
					p++
				}
			}
		}
	}
}
