package face

import (
	"image"
	"math"
	"sort"
	"sync"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/internal/fpmath"
	"github.com/biogate/biogate/quality"
)

// Face search parameters.
const (
	workMinWindow  = 24   // smallest detector window in the working image, px
	scaleStep      = 1.1  // window size ratio between scales
	shiftFactor    = 0.1  // window step as a fraction of its size
	clusterIoU     = 0.2  // overlap that merges raw detections
	minScore       = 5.0  // summed score a cluster needs to count as a face
	relativeScore  = 0.1  // ... and at least this fraction of the strongest face's
	previewMinDiv  = 6    // preview: faces at least 1/6 of the shorter side
	fullMinDiv     = 12   // full mode: faces at least 1/12 of the shorter side
	levelWindow    = 40   // pyramid levels scan windows of 40-79 px
	rollStepDeg    = 12.0 // full mode: detector also rotated by ±12°
	localRadiusDiv = 4    // fallback: local contrast over ±1/4 of the shorter side
)

type detection struct {
	r, c, s float64 // centre row, column and box size, image pixels
	q       float64 // summed score
	cs, sn  float64 // rotation of the detector's frame
}

func dist(a, b quality.Point) float64 { return fpmath.Hypot(a.X-b.X, a.Y-b.Y) }

// detect finds face boxes in g within roi. g is modified (contrast
// stretched, and locally normalised by the last fallback); the caller
// passes a copy.
//
// The search runs over a pyramid of 2× box-downscaled images: at level k
// (1, 2, 4, ...) it scans windows of levelWindow to 2·levelWindow working
// pixels, so that every face is searched at a moderate resolution (which
// also smooths halftone screens and JPEG noise). In full mode it scans the
// upright detector and the detector rotated by ±rollStepDeg, merging
// overlapping faces found at several angles; when nothing is found it
// searches again with half the steps, then tries ±2·rollStepDeg and
// ±3·rollStepDeg, and last normalises the local contrast of g (see
// localNormalize) and searches it again with half the steps. These
// fallbacks run only when the previous searches found no face, so they
// cost nothing on images with a face. Preview mode scans the upright
// detector, then, only when that finds nothing, the detector rotated by
// ±rollStepDeg, so that a head tilted by about 12° is still found (roll12
// portraits: 26 → 28 of 30 found). That costs only frames without a face:
// about 0.4 ms more at 640×480 (1.3 → 1.7 ms, measured once against the
// upright-only search; BenchmarkAssess/preview-640x480-noface).
func (a *Assessor) detect(g *pico.Gray, roi image.Rectangle, preview bool) []detection {
	short := min(roi.Dx(), roi.Dy())
	minFace := a.opts.MinFaceSize
	if preview {
		minFace = max(minFace, short/previewMinDiv)
	} else {
		minFace = max(minFace, short/fullMinDiv)
	}
	maxFace := short
	if a.opts.MaxFaceSize > 0 {
		maxFace = min(maxFace, a.opts.MaxFaceSize)
	}
	if minFace > maxFace {
		return nil
	}
	stretch(g)
	type level struct {
		g *pico.Gray
		k int
	}
	var levels []level
	var bufs []*[]uint8
	defer func() {
		for _, b := range bufs {
			grayPool.Put(b)
		}
	}()
	// build fills levels with the pyramid 1, 2, 4, ... of g, reusing bufs.
	build := func() {
		levels = levels[:0]
		cur, k := g, 1
		for i := 0; ; i++ {
			if 2*levelWindow*k > minFace || k == 1 && minFace < levelWindow {
				levels = append(levels, level{cur, k})
			}
			if 2*levelWindow*k > maxFace || cur.W < 4 || cur.H < 4 {
				break
			}
			if i == len(bufs) {
				bufs = append(bufs, getBuf((cur.W/2)*(cur.H/2)))
			}
			cur = downscale(cur, 2, *bufs[i])
			k *= 2
		}
	}
	build()
	run := func(angles []float64, fine bool) []detection {
		var all []detection
		for _, ang := range angles {
			cs, sn := fpmath.Cos(ang*math.Pi/180), fpmath.Sin(ang*math.Pi/180)
			var raw []detection
			for _, l := range levels {
				lo := max(workMinWindow, levelWindow, ceilDiv(minFace, l.k))
				if l.k == 1 {
					lo = max(workMinWindow, minFace)
				}
				hi := min(2*levelWindow-1, maxFace/l.k)
				if l.k == levels[len(levels)-1].k {
					hi = maxFace / l.k
				}
				fk := float64(l.k)
				wroi := image.Rect(roi.Min.X/l.k, roi.Min.Y/l.k, roi.Max.X/l.k, roi.Max.Y/l.k)
				for _, d := range a.scan(l.g, wroi, lo, hi, cs, sn, fine, preview && keepWindows) {
					d.r = float64((d.r+0.5)*fk) - 0.5
					d.c = float64((d.c+0.5)*fk) - 0.5
					d.s *= fk
					raw = append(raw, d)
				}
			}
			// Half steps in scale and position put about four times as many
			// windows on a face: the score threshold scales with them.
			min := minScore
			if fine {
				min *= 4
			}
			all = append(all, cluster(raw, min)...)
		}
		return merge(all)
	}
	if preview {
		dets := run([]float64{0}, false)
		if len(dets) == 0 {
			dets = run([]float64{rollStepDeg, -rollStepDeg}, false)
		}
		return dets
	}
	dets := run([]float64{0, rollStepDeg, -rollStepDeg}, false)
	if len(dets) == 0 {
		// Nothing found: search again with half the scale and position
		// steps, then at larger rotations.
		dets = run([]float64{0, rollStepDeg, -rollStepDeg}, true)
	}
	if len(dets) == 0 {
		dets = run([]float64{2 * rollStepDeg, -2 * rollStepDeg, 3 * rollStepDeg, -3 * rollStepDeg}, false)
	}
	if len(dets) == 0 {
		// Still nothing: normalise the local contrast (dark, washed-out,
		// unevenly lit or coarsely quantised images) and search again
		// with the fine steps.
		localNormalize(g, max(1, short/localRadiusDiv))
		build()
		dets = run([]float64{0, rollStepDeg, -rollStepDeg}, true)
	}
	return dets
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// scan returns the raw detections (score > 0) of windows lo..hi px. keep
// (preview mode) takes the prepared windows from, and returns them to,
// the windows cache.
func (a *Assessor) scan(g *pico.Gray, roi image.Rectangle, lo, hi int, cs, sn float64, fine, keep bool) []detection {
	var raw []detection
	ss, sf, inc := scaleStep, shiftFactor, 2.0
	if fine {
		ss, sf, inc = 1+(scaleStep-1)/2, shiftFactor/2, 1
	}
	for s := lo; s <= hi; s = int(math.Max(float64(s)+inc, float64(s)*ss)) {
		step := max(1, int(sf*float64(s)))
		var w *pico.Window
		if keep {
			w = windows.get(a.m.face, s, cs, sn, g.Stride)
		} else {
			w = windowPool.Get().(*pico.Window)
			a.m.face.Prepare(w, s, cs, sn, g.Stride) // reuses w's storage
		}
		off := max(s/2+1, w.Reach()+1)
		r0, r1 := max(off, roi.Min.Y+s/2), min(g.H-1-off, roi.Max.Y-s/2)
		c0, c1 := max(off, roi.Min.X+s/2), min(g.W-1-off, roi.Max.X-s/2)
		w.Scan(g, r0, r1, c0, c1, step, func(r, c int, q float32) {
			raw = append(raw, detection{r: float64(r), c: float64(c), s: float64(s), q: float64(q), cs: cs, sn: sn})
		})
		if keep {
			windows.put(w, s, cs, sn, g.Stride)
		} else {
			windowPool.Put(w)
		}
	}
	return raw
}

// windows keeps the face cascade's prepared windows from one preview scan
// to the next: the frames of a camera, all of one size, scan the same
// window sizes, rotations and row strides, and preparing a window's pixel
// offsets took about half of the face search in WebAssembly (Node's
// profile of BenchmarkAssessFrame). A window is prepared by the same
// arithmetic whether it comes from here or not, so results are the same.
// Full mode, whose images vary in size, does not use it.
var windows windowCache

// keepWindows switches the windows cache on (tests switch it off).
var keepWindows = true

// windowCache holds prepared windows by their parameters; a window is
// used by one scan at a time (get takes it out, put returns it).
type windowCache struct {
	mu   sync.Mutex
	free map[windowKey][]*pico.Window
	n    int
}

type windowKey struct {
	s, stride int
	cs, sn    float64
}

// maxWindows bounds the windows kept (each holds up to 240 KB of offsets,
// for the trees its scans reached: 5 MB for the 63 windows of a 640×480
// frame with a face): a 640×480 frame scans 63 window sizes and strides
// upright, 189 when it finds no face upright and searches turned as well.
const maxWindows = 192

// get returns a window prepared for fc with these parameters: a kept one,
// or a new one.
func (c *windowCache) get(fc *pico.FaceCascade, s int, cs, sn float64, stride int) *pico.Window {
	k := windowKey{s, stride, cs, sn}
	c.mu.Lock()
	if ws := c.free[k]; len(ws) > 0 {
		w := ws[len(ws)-1]
		c.free[k] = ws[:len(ws)-1]
		c.n--
		c.mu.Unlock()
		if w.Prepared(fc, s, cs, sn, stride) {
			return w
		}
	} else {
		c.mu.Unlock()
	}
	w := windowPool.Get().(*pico.Window)
	fc.Prepare(w, s, cs, sn, stride) // reuses w's storage
	return w
}

var windowPool = sync.Pool{New: func() any { return new(pico.Window) }}

// put keeps w, prepared with these parameters, for a later scan; when
// maxWindows are kept, all go back to windowPool first (their storage is
// reused; the next sizes are likely another image's).
func (c *windowCache) put(w *pico.Window, s int, cs, sn float64, stride int) {
	k := windowKey{s, stride, cs, sn}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n >= maxWindows || c.free == nil {
		for _, ws := range c.free {
			for _, w := range ws {
				windowPool.Put(w)
			}
		}
		c.free, c.n = map[windowKey][]*pico.Window{}, 0
	}
	c.free[k] = append(c.free[k], w)
	c.n++
}

// merge keeps, among clusters that overlap (found at several angles or
// nested), the highest-scoring one, drops faces scoring below
// relativeScore times the strongest face's score (weak responses on the
// neck, shoulders or clothes of a well-detected subject), and orders the
// result largest first.
func merge(ds []detection) []detection {
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].q > ds[j].q })
	var keep []detection
	for _, d := range ds {
		if d.q < relativeScore*ds[0].q {
			break
		}
		ok := true
		for _, k := range keep {
			if iou(d, k) > 0.3 || (math.Abs(d.r-k.r) < k.s/2 && math.Abs(d.c-k.c) < k.s/2) {
				ok = false
				break
			}
		}
		if ok {
			keep = append(keep, d)
		}
	}
	sort.SliceStable(keep, func(i, j int) bool { return keep[i].s > keep[j].s })
	return keep
}

func iou(a, b detection) float64 {
	ov := func(p, q, sp, sq float64) float64 {
		return math.Max(0, math.Min(p+sp/2, q+sq/2)-math.Max(p-sp/2, q-sq/2))
	}
	i := float64(ov(a.r, b.r, a.s, b.s) * ov(a.c, b.c, a.s, b.s))
	return i / (float64(a.s*a.s) + float64(b.s*b.s) - i)
}

// cluster merges overlapping raw detections (strongest first), averaging
// their positions and sizes and summing their scores, and keeps clusters
// scoring at least minScore.
func cluster(raw []detection, minScore float64) []detection {
	sort.Slice(raw, func(i, j int) bool {
		a, b := raw[i], raw[j]
		if a.q != b.q {
			return a.q > b.q
		}
		if a.s != b.s {
			return a.s > b.s
		}
		if a.r != b.r {
			return a.r < b.r
		}
		return a.c < b.c
	})
	used := make([]bool, len(raw))
	var out []detection
	for i := range raw {
		if used[i] {
			continue
		}
		var sr, sc, ss, sq float64
		n := 0.0
		for j := i; j < len(raw); j++ {
			if !used[j] && iou(raw[i], raw[j]) > clusterIoU {
				used[j] = true
				sr += raw[j].r
				sc += raw[j].c
				ss += raw[j].s
				sq += raw[j].q
				n++
			}
		}
		if sq >= minScore {
			out = append(out, detection{r: sr / n, c: sc / n, s: ss / n, q: sq, cs: raw[i].cs, sn: raw[i].sn})
		}
	}
	return out
}

// localNormalize maps each pixel v of g to 128 + 48·(v − m)/σ, clamped to
// 0-255, where m and σ are the mean and standard deviation of the grey
// levels within ±rad pixels (σ at least 4 levels). It evens out dark,
// washed-out or unevenly lit faces whose shading the global stretch leaves
// too faint for the cascade. The statistics are computed on a grid about
// 64 cells across the shorter side and interpolated bilinearly, so the
// cost is one pass over g and little memory.
func localNormalize(g *pico.Gray, rad int) {
	f := max(1, min(g.W, g.H)/64)
	cw, ch := g.W/f, g.H/f
	if cw < 1 || ch < 1 {
		return
	}
	// coarse block means and mean squares, with summed-area tables
	s1 := make([]float64, (cw+1)*(ch+1))
	s2 := make([]float64, (cw+1)*(ch+1))
	for cy := 0; cy < ch; cy++ {
		var r1, r2 float64
		for cx := 0; cx < cw; cx++ {
			var a, b float64
			for y := cy * f; y < (cy+1)*f; y++ {
				for _, v := range g.Pix[y*g.Stride+cx*f : y*g.Stride+(cx+1)*f] {
					a += float64(v)
					b += float64(float64(v) * float64(v))
				}
			}
			r1 += a
			r2 += b
			i := (cy+1)*(cw+1) + cx + 1
			s1[i] = s1[i-(cw+1)] + r1
			s2[i] = s2[i-(cw+1)] + r2
		}
	}
	rc := max(1, rad/f)
	mean := make([]float64, cw*ch)
	sd := make([]float64, cw*ch)
	for cy := 0; cy < ch; cy++ {
		y0, y1 := max(0, cy-rc), min(ch, cy+rc+1)
		for cx := 0; cx < cw; cx++ {
			x0, x1 := max(0, cx-rc), min(cw, cx+rc+1)
			n := float64((y1-y0)*(x1-x0)) * float64(f*f)
			a := s1[y1*(cw+1)+x1] - s1[y0*(cw+1)+x1] - s1[y1*(cw+1)+x0] + s1[y0*(cw+1)+x0]
			b := s2[y1*(cw+1)+x1] - s2[y0*(cw+1)+x1] - s2[y1*(cw+1)+x0] + s2[y0*(cw+1)+x0]
			m := a / n
			mean[cy*cw+cx] = m
			sd[cy*cw+cx] = math.Sqrt(math.Max(b/n-float64(m*m), 16))
		}
	}
	// cell coordinate of pixel p along an axis of n cells, and the two
	// cells and weight for bilinear interpolation
	cell := func(p, n int) (int, int, float64) {
		u := math.Max(0, math.Min(float64(n-1), (float64(p)+0.5)/float64(f)-0.5))
		i := int(u)
		return i, min(i+1, n-1), u - float64(i)
	}
	for y := 0; y < g.H; y++ {
		cy0, cy1, wy := cell(y, ch)
		row := g.Pix[y*g.Stride : y*g.Stride+g.W]
		for x, v := range row {
			cx0, cx1, wx := cell(x, cw)
			lerp := func(t []float64) float64 {
				top := float64(t[cy0*cw+cx0]*(1-wx)) + float64(t[cy0*cw+cx1]*wx)
				bot := float64(t[cy1*cw+cx0]*(1-wx)) + float64(t[cy1*cw+cx1]*wx)
				return float64(top*(1-wy)) + float64(bot*wy)
			}
			o := 128 + 48*(float64(v)-lerp(mean))/lerp(sd)
			row[x] = uint8(math.Max(0, math.Min(255, math.Round(o))))
		}
	}
}
