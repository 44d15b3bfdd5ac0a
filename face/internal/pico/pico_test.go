package pico

import (
	"errors"
	"reflect"
	"testing"

	"github.com/biogate/biogate/face/internal/cascade"
)

func TestParseErrors(t *testing.T) {
	for _, b := range [][]byte{nil, make([]byte, 15), cascade.FaceFinder[:1000], cascade.PupLoc[:1000], make([]byte, 64)} {
		if _, err := ParseFace(b); !errors.Is(err, ErrFormat) {
			t.Errorf("ParseFace(%d bytes): %v", len(b), err)
		}
		if _, err := ParseLoc(b); !errors.Is(err, ErrFormat) {
			t.Errorf("ParseLoc(%d bytes): %v", len(b), err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(cascade.FaceFinder[:64])
	f.Add(cascade.PupLoc[:64])
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseFace(b)
		_, _ = ParseLoc(b)
	})
}

// TestWindowMatchesClassify checks the prepared-offset evaluation against
// the direct one, upright and rotated.
func TestWindowMatchesClassify(t *testing.T) {
	fc, err := ParseFace(cascade.FaceFinder)
	if err != nil {
		t.Fatal(err)
	}
	g := &Gray{W: 120, H: 100, Stride: 120, Pix: make([]uint8, 120*100)}
	for i := range g.Pix {
		x, y := i%120, i/120
		g.Pix[i] = uint8((x*x + 3*y*y + x*y) % 251)
	}
	var w Window
	for _, an := range [][2]float64{{1, 0}, {0.9781476, 0.2079117}} {
		for _, s := range []int{24, 40, 60} {
			fc.Prepare(&w, s, an[0], an[1], g.Stride)
			r := w.Reach()
			for y := r; y < g.H-r; y += 7 {
				for x := r; x < g.W-r; x += 7 {
					if a, b := w.Classify(g, y, x), fc.Classify(g, y, x, s, an[0], an[1]); a != b {
						t.Fatalf("s %d angle %v at (%d,%d): window %v, direct %v", s, an, y, x, a, b)
					}
				}
			}
		}
	}
}

// TestScanMatchesClassify checks that Scan reports exactly the centres
// with a positive Classify score, with the same scores, in raster order,
// upright and rotated, on a pattern where many windows pass.
func TestScanMatchesClassify(t *testing.T) {
	fc, err := ParseFace(cascade.FaceFinder)
	if err != nil {
		t.Fatal(err)
	}
	type hit struct {
		r, c int
		q    float32
	}
	// A one-tree cascade whose threshold passes every window, so that every
	// centre is reported, beside the real face finder (which rejects
	// these patterns everywhere).
	permissive := &FaceCascade{depth: 2, ntrees: 1,
		codes:  []int8{0, 0, 0, 0, -20, 10, 15, -5, 30, -30, 0, 12, -8, 8, 25, 25},
		preds:  []float32{0.25, 0.5, 0.75, 1},
		thresh: []float32{-10}}
	for _, cas := range []*FaceCascade{fc, permissive} {
		fc := cas
		for _, pat := range []struct {
			name string
			f    func(x, y int) uint8
		}{
			{"quadratic", func(x, y int) uint8 { return uint8((x*x + 3*y*y + x*y) % 251) }},
			{"gradient", func(x, y int) uint8 { return uint8(x + y) }},
			{"flat", func(x, y int) uint8 { return 128 }},
		} {
			g := &Gray{W: 140, H: 120, Stride: 140, Pix: make([]uint8, 140*120)}
			for i := range g.Pix {
				g.Pix[i] = pat.f(i%g.W, i/g.W)
			}
			total := 0
			for _, an := range [][2]float64{{1, 0}, {0.9781476, 0.2079117}} {
				for _, s := range []int{24, 40, 60} {
					for _, step := range []int{1, 3} {
						var w, v Window
						fc.Prepare(&w, s, an[0], an[1], g.Stride)
						fc.Prepare(&v, s, an[0], an[1], g.Stride)
						r := w.Reach()
						var want, got []hit
						for y := r; y <= g.H-1-r; y += step {
							for x := r; x <= g.W-1-r; x += step {
								if q := v.Classify(g, y, x); q > 0 {
									want = append(want, hit{y, x, q})
								}
							}
						}
						w.Scan(g, r, g.H-1-r, r, g.W-1-r, step, func(y, x int, q float32) { got = append(got, hit{y, x, q}) })
						if !reflect.DeepEqual(got, want) {
							t.Fatalf("%s s %d angle %v step %d: Scan found %d centres, Classify %d (or they differ)", pat.name, s, an, step, len(got), len(want))
						}
						total += len(got)
					}
				}
			}
			t.Logf("%s: %d positive centres compared", pat.name, total)
			if fc == permissive && total == 0 {
				t.Fatal("the permissive cascade passed no window: the comparison checked nothing")
			}
		}
	}
}

// TestLocDeterministic runs the pupil cascade twice: no hidden random
// source.
func TestLocDeterministic(t *testing.T) {
	lc, err := ParseLoc(cascade.PupLoc)
	if err != nil {
		t.Fatal(err)
	}
	g := &Gray{W: 64, H: 64, Stride: 64, Pix: make([]uint8, 64*64)}
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 37 % 253)
	}
	r1, c1 := lc.Run(g, 30, 30, 20, 1, 0, false)
	r2, c2 := lc.Run(g, 30, 30, 20, 1, 0, false)
	if r1 != r2 || c1 != c2 {
		t.Fatal("localiser not deterministic")
	}
}
