package face

import (
	"fmt"
	"image"
	"math"
	"strings"

	"github.com/biogate/biogate/quality"
)

// fitMeshEyes fits the mesh eye-centre constants on samples (mesh pass
// index k) in closed form, as fitEyeParams does for the chain: Inward and
// Drop are the medians of the reference's offsets from the contour means
// (along their line, inwards, and perpendicular, down, over their
// distance); ChainWeight, when chain is true, is the least-squares blend
// weight with the chain's eye centres (else 0).
func fitMeshEyes(ss []eyeSample, k int, chain bool) meshEyeParams {
	var in, dr []float64
	for _, s := range ss {
		if s.means[k] == nil {
			continue
		}
		c := *s.means[k]
		ux, uy, nx, ny, d := frameOf(c[0], c[1])
		for i, v := range [][2]quality.Point{{c[0], s.L}, {c[1], s.R}} {
			sgn := 1.0
			if i == 1 {
				sgn = -1
			}
			in = append(in, sgn*((v[1].X-v[0].X)*ux+(v[1].Y-v[0].Y)*uy)/d)
			dr = append(dr, ((v[1].X-v[0].X)*nx+(v[1].Y-v[0].Y)*ny)/d)
		}
	}
	p := meshEyeParams{Inward: median(in), Drop: median(dr)}
	if !chain {
		return p
	}
	var num, den float64
	for _, s := range ss {
		if s.means[k] == nil {
			continue
		}
		mr, ml := p.centresOf(*s.means[k], s.chainR, s.chainL)
		for _, v := range [][3]quality.Point{{mr, s.chainR, s.L}, {ml, s.chainL, s.R}} {
			ax, ay := v[1].X-v[0].X, v[1].Y-v[0].Y
			num += ax*(v[2].X-v[0].X) + ay*(v[2].Y-v[0].Y)
			den += ax*ax + ay*ay
		}
	}
	if den > 0 {
		p.ChainWeight = math.Max(0, math.Min(1, num/den))
	}
	return p
}

// meshGateGrid are the ChainShort values fitMeshGate tries, tightest
// first (0: no gate, last): among values whose fits are equally good on
// the training portraits, the tightest is kept.
var meshGateGrid = []float64{0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0}

// chainShort reports whether sample s's chain is shorter than the mesh's
// eyes alone (pass k, offsets of alone) by more than the fraction g (never
// for g = 0).
func chainShort(s eyeSample, k int, alone meshEyeParams, g float64) bool {
	if g <= 0 || s.means[k] == nil {
		return false
	}
	ar, al, ok := offsetMeans(*s.means[k], alone.Inward, alone.Drop)
	return ok && dist(s.chainR, s.chainL) < float64((1-g)*dist(ar, al))
}

// fitMeshGate fits meshEyeParams with the gate (mesh pass k): the offsets
// of the mesh alone as fitMeshEyes without the chain; for each ChainShort
// of meshGateGrid, the blend (fitMeshEyes with the chain) on the samples
// the gate lets through; and keeps the ChainShort whose fit gives the
// least squared IED error over all samples (as fitEyeModel chooses
// OuterRefine), the tightest on ties (meshGateGrid).
func fitMeshGate(ss []eyeSample, k int, ls bool) meshEyeParams {
	fit := fitMeshEyes
	if ls {
		fit = fitMeshEyesLS
	}
	alone := fit(ss, k, false)
	best, bestP := math.Inf(1), meshEyeParams{}
	for _, g := range meshGateGrid {
		var in []eyeSample
		for _, s := range ss {
			if !chainShort(s, k, alone, g) {
				in = append(in, s)
			}
		}
		p := fit(in, k, true)
		p.AloneInward, p.AloneDrop, p.ChainShort = alone.Inward, alone.Drop, g
		var sse float64
		for _, s := range ss {
			re, le := s.chainR, s.chainL
			if s.means[k] != nil {
				re, le = p.centresOf(*s.means[k], s.chainR, s.chainL)
			}
			r := dist(re, le)/dist(s.L, s.R) - 1
			sse += r * r
		}
		if sse < best {
			best, bestP = sse, p
		}
	}
	return bestP
}

// fitMeshEyesLS is fitMeshEyes by least squares: the offsets of the mesh
// alone are the means (not the medians) of the reference's offsets from
// the contour means; with the chain, the blend weight and the offsets are
// fitted together (centre = means + b + w·(chain − means) per eye, in the
// frame of the contour means, with the inward offset mirrored between the
// eyes), then b is written as meshEyeParams' offsets, b/(1 − w).
func fitMeshEyesLS(ss []eyeSample, k int, chain bool) meshEyeParams {
	// normal equations of the unknowns (w, bu, bn); without the chain, w = 0
	var a [3][4]float64
	add := func(row [3]float64, t float64) {
		for i := range row {
			for j := range row {
				a[i][j] += row[i] * row[j]
			}
			a[i][3] += row[i] * t
		}
	}
	for _, s := range ss {
		if s.means[k] == nil {
			continue
		}
		c := *s.means[k]
		ux, uy, nx, ny, d := frameOf(c[0], c[1])
		for e, v := range [][3]quality.Point{{c[0], s.chainR, s.L}, {c[1], s.chainL, s.R}} {
			sgn := 1.0
			if e == 1 {
				sgn = -1
			}
			tx, ty := (v[2].X-v[0].X)/d, (v[2].Y-v[0].Y)/d
			cx, cy := (v[1].X-v[0].X)/d, (v[1].Y-v[0].Y)/d
			if !chain {
				cx, cy = 0, 0
			}
			add([3]float64{sgn * (cx*ux + cy*uy), 1, 0}, sgn*(tx*ux+ty*uy))
			add([3]float64{cx*nx + cy*ny, 0, 1}, tx*nx+ty*ny)
		}
	}
	if !chain {
		a[0][0] = 1 // w = 0
	}
	x, ok := solve3(a)
	if !ok {
		return meshEyeParams{}
	}
	w := math.Max(0, math.Min(0.99, x[0]))
	return meshEyeParams{Inward: x[1] / (1 - w), Drop: x[2] / (1 - w), ChainWeight: w}
}

// solve3 solves the 3×3 system a (augmented) by Gaussian elimination with
// partial pivoting.
func solve3(a [3][4]float64) ([3]float64, bool) {
	for c := 0; c < 3; c++ {
		p := c
		for r := c + 1; r < 3; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		if a[c][c] == 0 {
			return [3]float64{}, false
		}
		for r := 0; r < 3; r++ {
			if r != c {
				q := a[r][c] / a[c][c]
				for j := c; j < 4; j++ {
					a[r][j] -= q * a[c][j]
				}
			}
		}
	}
	return [3]float64{a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]}, true
}

// meshEyeVariant is one way of taking the eye centres from the mesh.
type meshEyeVariant struct {
	name  string
	pass  int  // eyeSample.means index
	chain bool // blend with the chain
	split bool // blend weights along the eye line and across it apart (splitBlend)
	gate  bool // the chain only where it is not short of the mesh (fitMeshGate)
	ls    bool // with gate: fitMeshEyesLS instead of fitMeshEyes
}

// splitBlend blends the mesh's eye centres (p with no chain weight) with
// the chain's, with weight WU along the line between the contour means and
// WV across it.
type splitBlend struct {
	p      meshEyeParams
	WU, WV float64
}

func (sb splitBlend) centresOf(c [2]quality.Point, re, le quality.Point) (quality.Point, quality.Point) {
	p := sb.p
	p.ChainWeight = 0
	mr, ml := p.centresOf(c, re, le)
	ux, uy, nx, ny, _ := frameOf(c[0], c[1])
	mix := func(m, ch quality.Point) quality.Point {
		dx, dy := ch.X-m.X, ch.Y-m.Y
		du, dn := float64(dx*ux)+float64(dy*uy), float64(dx*nx)+float64(dy*ny)
		a, b := sb.WU*du, sb.WV*dn
		return quality.Point{X: m.X + float64(a*ux) + float64(b*nx), Y: m.Y + float64(a*uy) + float64(b*ny)}
	}
	return mix(mr, re), mix(ml, le)
}

// fitSplit fits splitBlend on samples (mesh pass index k): the mesh
// offsets as fitMeshEyes, then least-squares weights along and across.
func fitSplit(ss []eyeSample, k int) splitBlend {
	sb := splitBlend{p: fitMeshEyes(ss, k, false)}
	var nu, du, nv, dv float64
	for _, s := range ss {
		if s.means[k] == nil {
			continue
		}
		c := *s.means[k]
		mr, ml := sb.p.centresOf(c, s.chainR, s.chainL)
		ux, uy, nx, ny, _ := frameOf(c[0], c[1])
		for _, v := range [][3]quality.Point{{mr, s.chainR, s.L}, {ml, s.chainL, s.R}} {
			ax, ay := v[1].X-v[0].X, v[1].Y-v[0].Y
			tx, ty := v[2].X-v[0].X, v[2].Y-v[0].Y
			au, tu := ax*ux+ay*uy, tx*ux+ty*uy
			av, tv := ax*nx+ay*ny, tx*nx+ty*ny
			nu, du = nu+au*tu, du+au*au
			nv, dv = nv+av*tv, dv+av*av
		}
	}
	if du > 0 {
		sb.WU = math.Max(0, math.Min(1, nu/du))
	}
	if dv > 0 {
		sb.WV = math.Max(0, math.Min(1, nv/dv))
	}
	return sb
}

var meshEyeVariants = []meshEyeVariant{
	{"mesh 3.0", 0, false, false, false, false}, {"mesh 3.6", 1, false, false, false, false}, {"mesh 4.2", 2, false, false, false, false}, {"mesh avg", 3, false, false, false, false},
	{"mesh 3.0 + chain", 0, true, false, false, false}, {"mesh 3.6 + chain", 1, true, false, false, false}, {"mesh 4.2 + chain", 2, true, false, false, false}, {"mesh avg + chain", 3, true, false, false, false},
	{"mesh 3.6, 2 passes", 4, false, false, false, false}, {"mesh 3.6, 2 passes + chain", 4, true, false, false, false},
	{"iris 3.6", 5, false, false, false, false}, {"iris 3.6 + chain", 5, true, false, false, false}, {"mesh+iris 3.6", 6, false, false, false, false}, {"mesh+iris 3.6 + chain", 6, true, false, false, false},
	{"mesh 3.6 + chain, split", 1, true, true, false, false}, {"mesh 4.2 + chain, split", 2, true, true, false, false}, {"mesh avg + chain, split", 3, true, true, false, false},
	{"mesh 3.6 + chain, gated", 1, true, false, true, false},
	{"mesh 3.6 + chain, LS", 1, true, false, false, true}, {"mesh 3.6 + chain, gated, LS", 1, true, false, true, true},
}

// shippedMeshVariant is the variant Assess ships (meshCropIED 3.6, one
// pass, blended with the chain unless the chain is short of the mesh).
var shippedMeshVariant = meshEyeVariants[len(meshEyeVariants)-3]

// lopoMesh runs the leave-one-portrait-out cross-validation of variant v
// over ss (keys: the portraits), returning the held-out scores, the
// continuous errors and the fitted constants per fold. A face the mesh did
// not assess keeps the chain's eyes.
func lopoMesh(ss []eyeSample, keys []string, v meshEyeVariant) (eyeScore, *eyeErrs, []meshEyeParams, []string) {
	var misses []string
	held, errs := eyeScore{}, &eyeErrs{}
	var fitted []meshEyeParams
	for _, key := range keys {
		var train []eyeSample
		for _, s := range ss {
			if s.key != key {
				train = append(train, s)
			}
		}
		p := fitMeshEyes(train, v.pass, v.chain)
		switch {
		case v.gate:
			p = fitMeshGate(train, v.pass, v.ls)
		case v.ls:
			p = fitMeshEyesLS(train, v.pass, v.chain)
		}
		centres := p.centresOf
		if v.split {
			sb := fitSplit(train, v.pass)
			centres = sb.centresOf
			p = sb.p
			p.ChainWeight = sb.WU + sb.WV/1000 // shown in the fold ranges: along + across/1000
		}
		fitted = append(fitted, p)
		for _, s := range ss {
			if s.key != key {
				continue
			}
			re, le := s.chainR, s.chainL
			if c := s.means[v.pass]; c != nil {
				re, le = centres(*c, s.chainR, s.chainL)
			}
			held.add(s.cat, s, re, le)
			errs.add(s, re, le)
			g := dist(s.L, s.R)
			if e, r := math.Max(dist(re, s.L), dist(le, s.R))/g, dist(re, le)/g-1; e >= 0.05 || math.Abs(r) > 0.03 {
				misses = append(misses, fmt.Sprintf("%s (eye %.3f, IED %+.1f %%)", strings.TrimPrefix(s.file, "portraits/"), e, 100*r))
			}
		}
	}
	return held, errs, fitted, misses
}

// meshEyeReport formats the held-out figures of every mesh variant beside
// the chain's (held).
func meshEyeReport(ss []eyeSample, keys []string, chain eyeScore) (string, map[string]eyeScore, meshEyeParams) {
	var b strings.Builder
	out := map[string]eyeScore{}
	cell := func(v *[3]int) string {
		if v == nil || v[0] == 0 {
			return "-"
		}
		return fmt.Sprintf("%5.1f%% | %5.1f%%", 100*frac(v[1], v[0]), 100*frac(v[2], v[0]))
	}
	fmt.Fprintf(&b, "mesh eye centres, held-out (leave-one-portrait-out): both eyes < 0.05 IED | IED within ±3 %%\n%-24s", "variant")
	for _, c := range append(append([]string{}, eyeCats...), "ALL") {
		fmt.Fprintf(&b, " %17s", c)
	}
	b.WriteString("\n")
	row := func(name string, sc eyeScore) {
		fmt.Fprintf(&b, "%-24s", name)
		for _, c := range eyeCats {
			fmt.Fprintf(&b, " %17s", cell(sc[c]))
		}
		t := sc.total()
		fmt.Fprintf(&b, " %17s\n", cell(&t))
	}
	row("chain (pupils, corners)", chain)
	na := [7]int{}
	for _, s := range ss {
		for k := range na {
			if s.means[k] == nil {
				na[k]++
			}
		}
	}
	for _, v := range meshEyeVariants {
		sc, errs, fitted, misses := lopoMesh(ss, keys, v)
		out[v.name] = sc
		row(v.name, sc)
		lo, hi := fitted[0], fitted[0]
		for _, p := range fitted {
			lo.Inward, hi.Inward = math.Min(lo.Inward, p.Inward), math.Max(hi.Inward, p.Inward)
			lo.Drop, hi.Drop = math.Min(lo.Drop, p.Drop), math.Max(hi.Drop, p.Drop)
			lo.ChainWeight, hi.ChainWeight = math.Min(lo.ChainWeight, p.ChainWeight), math.Max(hi.ChainWeight, p.ChainWeight)
			lo.ChainShort, hi.ChainShort = math.Min(lo.ChainShort, p.ChainShort), math.Max(hi.ChainShort, p.ChainShort)
		}
		fmt.Fprintf(&b, "    %v; fold ranges Inward %.4f-%.4f, Drop %.4f-%.4f, ChainWeight %.3f-%.3f", errs, lo.Inward, hi.Inward, lo.Drop, hi.Drop, lo.ChainWeight, hi.ChainWeight)
		if v.gate {
			fmt.Fprintf(&b, ", ChainShort %.2f-%.2f (0: no gate)", lo.ChainShort, hi.ChainShort)
		}
		b.WriteString("\n")
		if v == shippedMeshVariant {
			fmt.Fprintf(&b, "    held-out misses (eye ≥ 0.05 IED or IED outside ±3 %%): %s\n", strings.Join(misses, "; "))
		}
	}
	fmt.Fprintf(&b, "mesh not assessed (per variant's mesh: 3.0, 3.6, 4.2, average, 2 passes, iris, mesh+iris): %v of %d faces\n", na, len(ss))
	all := fitMeshGate(ss, shippedMeshVariant.pass, shippedMeshVariant.ls)
	fmt.Fprintf(&b, "shipped: %s; its all-portrait fit %+v, shipped %+v\n", shippedMeshVariant.name, all, shippedMeshEyes)
	in, inErrs, gated := eyeScore{}, &eyeErrs{}, 0
	for _, s := range ss {
		re, le := s.chainR, s.chainL
		if c := s.means[shippedMeshVariant.pass]; c != nil {
			re, le = all.centresOf(*c, s.chainR, s.chainL)
			if chainShort(s, shippedMeshVariant.pass, meshEyeParams{Inward: all.AloneInward, Drop: all.AloneDrop}, all.ChainShort) {
				gated++
			}
		}
		in.add(s.cat, s, re, le)
		inErrs.add(s, re, le)
	}
	row("  in sample (all fit)", in)
	fmt.Fprintf(&b, "    %v; the chain dropped on %d of %d faces\n", inErrs, gated, len(ss))
	return b.String(), out, all
}

// irisSix are the Eyelids indices of dlib's six eye-contour points (outer
// corner, two upper-lid points, inner corner, two lower-lid points; mesh
// 33, 160, 158, 133, 153, 144 on the image-left eye).
var irisSix = [6]int{0, 11, 13, 8, 5, 3}

// irisSixMeans runs the Iris model on both eyes of m and returns the mean
// of each eye's six irisSix points (image-left eye first).
func (a *Assessor) irisSixMeans(img image.Image, m *Mesh) ([2]quality.Point, error) {
	var c [2]quality.Point
	for e := range c {
		lids, err := a.irisEye(img, m, e)
		if err != nil {
			return c, err
		}
		for _, i := range irisSix {
			c[e].X += lids[i].X / 6
			c[e].Y += lids[i].Y / 6
		}
	}
	return c, nil
}
