package pico

import (
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/biogate/biogate/face/internal/cascade"
	"github.com/biogate/biogate/internal/corpus"
)

// refRun is LocCascade.Run as it was before its fields were hoisted into
// locals and in-image samples stopped being clamped (git 157c8b7): the
// definition the faster code must reproduce bit for bit.
func (lc *LocCascade) refRun(g *Gray, r, c, s, cs, sn float64, flip bool) (float64, float64) {
	leaves := 1 << lc.depth
	fl := 1.0
	if flip {
		fl = -1
	}
	root, pred := 0, 0
	for st := 0; st < lc.stages; st++ {
		var dr, dc float64
		f := s / 256
		for t := 0; t < lc.trees; t++ {
			idx := 0
			for k := 0; k < lc.depth; k++ {
				n := root + 4*idx
				a, b := float64(lc.codes[n])*f, fl*float64(lc.codes[n+1])*f
				r1 := int(math.Floor(r + float64(cs*a) - float64(sn*b)))
				c1 := int(math.Floor(c + float64(sn*a) + float64(cs*b)))
				a, b = float64(lc.codes[n+2])*f, fl*float64(lc.codes[n+3])*f
				r2 := int(math.Floor(r + float64(cs*a) - float64(sn*b)))
				c2 := int(math.Floor(c + float64(sn*a) + float64(cs*b)))
				idx = 2*idx + 1
				if g.at(c1, r1) > g.at(c2, r2) {
					idx++
				}
			}
			leaf := idx - (leaves - 1)
			dr += float64(lc.preds[pred+2*leaf])
			dc += float64(fl * float64(lc.preds[pred+2*leaf+1]))
			root += 4*leaves - 4
			pred += 2 * leaves
		}
		r += float64((float64(cs*dr) - float64(sn*dc)) * s)
		c += float64((float64(sn*dr) + float64(cs*dc)) * s)
		s *= float64(lc.shrink)
	}
	return r, c
}

// refClassify is Window.classify as it was (git 157c8b7).
func (w *Window) refClassify(g *Gray, r, c int) float32 {
	fc := w.fc
	leaves := 1 << fc.depth
	base := int32(r*w.stride + c)
	pix := g.Pix
	var out float32
	node := 0
	for t := 0; t < fc.ntrees; t++ {
		if t >= w.ready {
			w.prepareTree(t)
			w.ready = t + 1
		}
		off := w.off
		idx := 1
		for k := 0; k < fc.depth; k++ {
			o := 2 * (node + idx)
			idx = 2 * idx
			if pix[base+off[o]] <= pix[base+off[o+1]] {
				idx++
			}
		}
		out += fc.preds[leaves*t+idx-leaves]
		if out <= fc.thresh[t] {
			return -1
		}
		node += leaves
	}
	return out - fc.thresh[fc.ntrees-1]
}

// testGray is a textured image (smooth gradients plus noise, so that the
// trees take varied paths), with a stride wider than its width.
func testGray(rng *rand.Rand, w, h int) *Gray {
	g := &Gray{W: w, H: h, Stride: w + 3, Pix: make([]uint8, (w+3)*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w+3; x++ {
			v := 128 + 60*math.Sin(float64(x)/9) + 50*math.Cos(float64(y)/13+float64(x)/31) + float64(rng.IntN(30))
			g.Pix[y*g.Stride+x] = uint8(max(0, min(255, v)))
		}
	}
	return g
}

func locCascades(t testing.TB) map[string]*LocCascade {
	out := map[string]*LocCascade{}
	files := map[string][]byte{"puploc": cascade.PupLoc, "lp38": cascade.LP38, "lp312": cascade.LP312}
	for _, f := range cascade.FullMode {
		if b, ok := cascade.Full(f.Name); ok {
			files[f.Name] = b
		}
	}
	for name, b := range files {
		lc, err := ParseLoc(b)
		if err != nil {
			t.Fatal(name, err)
		}
		out[name] = lc
	}
	return out
}

// TestRunMatchesDefinition checks LocCascade.Run against refRun, bit for
// bit, from starts inside the image, near and over its borders, outside
// it and not numbers, upright, rotated and mirrored, for every cascade.
func TestRunMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 1))
	g := testGray(rng, 160, 120)
	n := 0
	for name, lc := range locCascades(t) {
		for i := 0; i < 3000; i++ {
			r := -20 + 160*rng.Float64()
			c := -20 + 200*rng.Float64()
			s := 4 + 120*rng.Float64()
			th := 2 * math.Pi * rng.Float64()
			cs, sn := math.Cos(th), math.Sin(th)
			switch i % 7 {
			case 0:
				cs, sn = 1, 0
			case 1:
				s = 10 + 20*rng.Float64() // small windows: mostly inside
				r, c = 30+60*rng.Float64(), 30+100*rng.Float64()
			case 2:
				r = []float64{math.NaN(), math.Inf(1), -1e300, 1e18}[i%4]
			case 3:
				cs, sn = math.NaN(), 0
			}
			flip := i%2 == 1
			gr, gc := lc.Run(g, r, c, s, cs, sn, flip)
			wr, wc := lc.refRun(g, r, c, s, cs, sn, flip)
			if math.Float64bits(gr) != math.Float64bits(wr) || math.Float64bits(gc) != math.Float64bits(wc) {
				if !(math.IsNaN(gr) && math.IsNaN(wr) && math.IsNaN(gc) && math.IsNaN(wc)) {
					t.Fatalf("%s Run(%v, %v, %v, %v, %v, %v) = (%v, %v), definition (%v, %v)", name, r, c, s, cs, sn, flip, gr, gc, wr, wc)
				}
			}
			n++
		}
	}
	t.Logf("%d runs identical", n)
}

// TestClassifyMatchesDefinition checks Window.classify against
// refClassify at every valid centre of several windows, upright and
// rotated, with trees prepared lazily in different orders.
func TestClassifyMatchesDefinition(t *testing.T) {
	fc, err := ParseFace(cascade.FaceFinder)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(26, 2))
	classifyAll(t, fc, testGray(rng, 150, 110))
	pos := classifyAll(t, fc, portraitGray(t)) // skips without the corpus
	if pos == 0 {
		t.Error("no window was accepted: the trees' later levels went untested")
	}
	t.Logf("%d accepted windows", pos)
}

// portraitGray is a corpus portrait in grey, 320 px wide (the test skips
// without the corpus).
func portraitGray(t *testing.T) *Gray {
	f, err := os.Open(filepath.Join(corpus.Dir(t, "face", "portraits", "face_recognition"), "biden2.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	k := max(1, b.Dx()/320)
	g := &Gray{W: b.Dx() / k, H: b.Dy() / k}
	g.Stride = g.W
	g.Pix = make([]uint8, g.W*g.H)
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			r, gg, bb, _ := img.At(b.Min.X+k*x, b.Min.Y+k*y).RGBA()
			g.Pix[y*g.Stride+x] = uint8((r + gg + bb) / 3 >> 8)
		}
	}
	return g
}

// classifyAll compares classify with refClassify on every valid centre of
// g for several window sizes and angles; it returns how many windows were
// accepted.
func classifyAll(t *testing.T, fc *FaceCascade, g *Gray) int {
	var w, ref Window
	pos := 0
	for _, an := range [][2]float64{{1, 0}, {0.9781476, 0.2079117}, {0.9781476, -0.2079117}} {
		for _, s := range []int{20, 33, 48, 70, 100, 140} {
			fc.Prepare(&w, s, an[0], an[1], g.Stride)
			fc.Prepare(&ref, s, an[0], an[1], g.Stride)
			rc := w.Reach()
			for y := rc; y < g.H-rc; y++ {
				for x := rc; x < g.W-rc; x++ {
					a, b := w.classify(g, y, x), ref.refClassify(g, y, x)
					if math.Float32bits(a) != math.Float32bits(b) {
						t.Fatalf("s %d angle %v at (%d,%d): %v, definition %v", s, an, y, x, a, b)
					}
					if a > 0 {
						pos++
					}
				}
			}
		}
	}
	return pos
}

// BenchmarkLocRun times 31 perturbed runs of an eye-corner cascade on a
// 640×480 image, as preview mode's eye corners make them: "new" is Run,
// "ref" the definition it replaced (same run, same machine: their ratio
// is the gain; GOOS=js GOARCH=wasm for the browser's).
func BenchmarkLocRun(b *testing.B) {
	rng := rand.New(rand.NewPCG(26, 3))
	g := testGray(rng, 640, 480)
	lc := locCascades(b)["lp38"]
	for _, v := range []struct {
		name string
		run  func(g *Gray, r, c, s, cs, sn float64, flip bool) (float64, float64)
	}{{"new", lc.Run}, {"ref", lc.refRun}} {
		b.Run(v.name, func(b *testing.B) {
			loopQuantiles(b, func() {
				for i := 0; i < 31; i++ {
					v.run(g, 240+float64(i), 320-float64(i), 90+float64(i), 0.995, 0.0998, i%2 == 0)
				}
			})
		})
	}
}

// BenchmarkScan times the face finder's scan of a 640×480 image with one
// window size, step 3: "new" is classify, "ref" the definition.
func BenchmarkScan(b *testing.B) {
	rng := rand.New(rand.NewPCG(26, 4))
	g := testGray(rng, 640, 480)
	fc, err := ParseFace(cascade.FaceFinder)
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []struct {
		name     string
		classify func(w *Window, g *Gray, r, c int) float32
	}{{"new", (*Window).classify}, {"ref", (*Window).refClassify}} {
		b.Run(v.name, func(b *testing.B) {
			var w Window
			fc.Prepare(&w, 60, 1, 0, g.Stride)
			rc := w.Reach()
			loopQuantiles(b, func() {
				for r := rc; r < g.H-rc; r += 3 {
					for c := rc; c < g.W-rc; c += 3 {
						v.classify(&w, g, r, c)
					}
				}
			})
		})
	}
}

// loopQuantiles runs f in b's loop and reports, besides the mean, the
// fastest and the 25th-percentile iteration: on a shared machine those
// move far less with the load than the mean does.
func loopQuantiles(b *testing.B, f func()) {
	var ns []float64
	for b.Loop() {
		t0 := time.Now()
		f()
		ns = append(ns, float64(time.Since(t0).Nanoseconds()))
	}
	slices.Sort(ns)
	b.ReportMetric(ns[0], "min-ns/op")
	b.ReportMetric(ns[len(ns)/4], "p25-ns/op")
}
