package face

import (
	"image"
	"math"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/internal/fpmath"
	"github.com/biogate/biogate/quality"
)

// Normalised face frame: photometric measures are taken on the face
// resampled (with box-filtered bilinear sampling) into a frame aligned with
// the eye line, in which the inter-eye distance is normIED pixels, so that
// they do not depend on the image resolution or the head roll.
const normIED = 64

// Face region in the normalised frame (u along the eye line from the eye
// midpoint, v perpendicular and down): 0.75 IED each side, from 0.5 IED
// above the eye line to 1.5 IED below it (forehead to chin).
const (
	regU0, regU1 = -48, 48
	regV0, regV1 = -32, 96
)

// Exposure thresholds on 8-bit luma.
const (
	darkLuma   = 40  // below: under-exposed pixel
	brightLuma = 247 // at or above: saturated pixel
)

// Head-height model: chin-to-crown height of an upright frontal head is
// about headHeightIED inter-eye distances.
const headHeightIED = 3.6

type frame struct {
	cx, cy float64 // eye midpoint
	ex, ey float64 // unit eye-line vector (image-left eye → image-right eye)
	scale  float64 // image pixels per normalised pixel
}

// at maps normalised (u, v) to image coordinates.
func (f frame) at(u, v float64) (float64, float64) {
	return f.cx + float64(f.scale*(float64(u*f.ex)-float64(v*f.ey))), f.cy + float64(f.scale*(float64(u*f.ey)+float64(v*f.ex)))
}

// bilinear samples g at continuous (x, y) (pixel centres at +0.5).
func bilinear(g *pico.Gray, x, y float64) float64 {
	x -= 0.5
	y -= 0.5
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	if ix >= 0 && iy >= 0 && ix < g.W-1 && iy < g.H-1 {
		// The four pixels inside: the same values as the clamped p
		// below, without its eight clamps (branches in WebAssembly,
		// since they compute load addresses).
		row := g.Pix[iy*g.Stride+ix:]
		p00, p10 := float64(row[0]), float64(row[1])
		row = row[g.Stride:]
		p01, p11 := float64(row[0]), float64(row[1])
		return float64((float64(p00*(1-fx))+float64(p10*fx))*(1-fy)) + float64((float64(p01*(1-fx))+float64(p11*fx))*fy)
	}
	p := func(i, j int) float64 {
		i = min(max(i, 0), g.W-1)
		j = min(max(j, 0), g.H-1)
		return float64(g.Pix[j*g.Stride+i])
	}
	return float64((float64(p(ix, iy)*(1-fx))+float64(p(ix+1, iy)*fx))*(1-fy)) + float64((float64(p(ix, iy+1)*(1-fx))+float64(p(ix+1, iy+1)*fx))*fy)
}

// sample returns the box-filtered value of the normalised pixel (u, v):
// the mean of n×n bilinear taps spread over the pixel's footprint.
func (f frame) sample(g *pico.Gray, u, v float64) float64 {
	n := int(math.Ceil(f.scale))
	if n <= 1 {
		x, y := f.at(u, v)
		return bilinear(g, x, y)
	}
	n = min(n, 6)
	var s float64
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			x, y := f.at(u+(float64(i)+0.5)/float64(n)-0.5, v+(float64(j)+0.5)/float64(n)-0.5)
			s += bilinear(g, x, y)
		}
	}
	return s / float64(n*n)
}

func (f frame) inside(u, v float64, w, h int) bool {
	x, y := f.at(u, v)
	return x >= 0 && y >= 0 && x < float64(w) && y < float64(h)
}

func with(name string, v float64, unit string) quality.Measure {
	return quality.WithComponent(name, v, unit, mappings[name].Component(v))
}

func (a *Assessor) measures(img image.Image, g *pico.Gray, rep *Report, o *AssessOptions) quality.Measures {
	ms := make(quality.Measures, 0, len(quality.FaceMeasureNames))
	W, H := float64(rep.Width), float64(rep.Height)
	ms = append(ms, quality.Native(quality.FaceCount, float64(len(rep.Faces)), ""))
	var f *Face
	var fr frame
	if len(rep.Faces) > 0 {
		f = &rep.Faces[0]
		ied := f.InterEyeDistance()
		if ied < 1 {
			f = nil
		} else {
			// Work in coordinates relative to the image's top-left corner.
			b := img.Bounds().Min
			re := quality.Point{X: f.RightEye.X - float64(b.X), Y: f.RightEye.Y - float64(b.Y)}
			le := quality.Point{X: f.LeftEye.X - float64(b.X), Y: f.LeftEye.Y - float64(b.Y)}
			fr = frame{cx: (re.X + le.X) / 2, cy: (re.Y + le.Y) / 2, ex: (le.X - re.X) / ied, ey: (le.Y - re.Y) / ied, scale: ied / normIED}
			ms = append(ms, with(quality.InterEyeDistance, ied, "px"))
		}
	}
	ms = append(ms, quality.Native(quality.ImageWidth, W, "px"), quality.Native(quality.ImageHeight, H, "px"))
	if f != nil {
		ied := f.InterEyeDistance()
		roll := fpmath.Atan2(-(f.LeftEye.Y-f.RightEye.Y), f.LeftEye.X-f.RightEye.X) * 180 / math.Pi
		ms = append(ms, with(quality.HeadPoseRoll, roll, "deg"))
		if yaw, pitch, ok := pose(f.RightEye, f.LeftEye, f.Landmarks); ok {
			ms = append(ms, with(quality.HeadPoseYaw, yaw, "deg"), with(quality.HeadPosePitch, pitch, "deg"))
		}
		ms = append(ms,
			with(quality.HeadSize, headHeightIED*ied/H, ""),
			with(quality.HorizontalCentring, (fr.cx-W/2)/W, ""),
			with(quality.MarginAboveOfTheFaceImage, fr.cy/ied, ""),
			with(quality.MarginBelowOfTheFaceImage, (H-fr.cy)/ied, ""),
			with(quality.LeftwardCropOfTheFaceImage, fr.cx/ied, ""),
			with(quality.RightwardCropOfTheFaceImage, (W-fr.cx)/ied, ""),
		)
		ms = append(ms, photometry(g, fr)...)
		if f.Mesh != nil {
			ms = append(ms, contentMeasures(f.Mesh, g, img.Bounds().Min)...)
			ms = append(ms, occlusionMeasures(img, g, f.Mesh)...)
		}
		if !o.Preview {
			if bg, ok := background(g, fr); ok {
				ms = append(ms, with(quality.BackgroundUniformity, bg, "grey/step"))
			}
		}
	}
	if o.JPEG != nil {
		if q, err := JPEGQuality(o.JPEG); err == nil {
			ms = append(ms, with(quality.CompressionArtifacts, q, "ijg-quality"))
		}
	}
	colour, lab, ok := colourStats(img, f, fr)
	if f != nil && colour && ok {
		ms = append(ms, with(quality.NaturalColour, lab, "dE"))
	}
	c := 0.0
	if colour {
		c = 1
	}
	ms = append(ms, quality.Native(quality.ColourImage, c, ""))
	return orderMeasures(ms)
}

// orderMeasures sorts ms into quality.FaceMeasureNames order.
func orderMeasures(ms quality.Measures) quality.Measures {
	out := make(quality.Measures, 0, len(ms))
	for _, n := range quality.FaceMeasureNames {
		if m, ok := ms.Get(n); ok {
			out = append(out, m)
		}
	}
	for _, m := range ms {
		if _, ok := out.Get(m.Name); !ok {
			out = append(out, m)
		}
	}
	return out
}

// photometry computes the luminance measures on the face region.
func photometry(g *pico.Gray, fr frame) quality.Measures {
	const w, h = regU1 - regU0 + 2, regV1 - regV0 + 2 // 1-pixel margin for the Laplacian
	var crop [w * h]float64
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			crop[j*w+i] = fr.sample(g, float64(regU0+i-1)+0.5, float64(regV0+j-1)+0.5)
		}
	}
	var hist [256]int
	var sum, sum2, left, right, lapS, lapS2 float64
	var nl, nr, dark, bright int
	n := 0
	for j := 1; j < h-1; j++ {
		for i := 1; i < w-1; i++ {
			v := crop[j*w+i]
			sum += v
			sum2 += float64(v * v)
			iv := int(v + 0.5)
			hist[iv]++
			if iv < darkLuma {
				dark++
			}
			if iv >= brightLuma {
				bright++
			}
			if i-1 < -regU0 {
				left += v // image-left half: the subject's right
				nl++
			} else {
				right += v
				nr++
			}
			lap := float64(4*v) - crop[j*w+i-1] - crop[j*w+i+1] - crop[(j-1)*w+i] - crop[(j+1)*w+i]
			lapS += lap
			lapS2 += float64(lap * lap)
			n++
		}
	}
	fn := float64(n)
	mean := sum / fn
	variance := math.Max(0, sum2/fn-float64(mean*mean))
	lapVar := math.Max(0, lapS2/fn-float64((lapS/fn)*(lapS/fn)))
	var ent float64
	for _, c := range hist {
		if c > 0 {
			p := float64(c) / fn
			ent -= float64(p * fpmath.Log2(p))
		}
	}
	// Image-left (the subject's right) minus image-right, relative:
	// negative when the image-left side is darker.
	il, ir := left/float64(nl), right/float64(nr)
	unif := 0.0
	if il+ir > 0 {
		unif = (il - ir) / (il + ir)
	}
	sharp := math.Sqrt(lapVar) / (math.Sqrt(variance) + 1)
	return quality.Measures{
		with(quality.LuminanceMean, mean/255, ""),
		with(quality.LuminanceVariance, variance/(255*255), ""),
		with(quality.UnderExposurePrevention, float64(dark)/fn, ""),
		with(quality.OverExposurePrevention, float64(bright)/fn, ""),
		with(quality.DynamicRange, ent, "bit"),
		with(quality.Sharpness, sharp, ""),
		with(quality.IlluminationUniformity, unif, ""),
	}
}

// Background region in IED units of the normalised frame: the rectangle
// |u| ≤ 2.6, -2.4 ≤ v ≤ 0.6 outside the head ellipse centred at (0, -0.2)
// with semi-axes 1.35 (across) and 2.0 (along the face), sampled every
// 1/16 IED.
const (
	bgStep            = 16
	bgU               = 2.6
	bgV0, bgV1        = -2.4, 0.6
	headA, headB, hv0 = 1.35, 2.0, -0.2
)

// background returns the mean luminance gradient magnitude (grey levels
// per 1/16 IED) of the background beside and above the head; ok is false
// when less than a tenth of the region lies inside the image.
func background(g *pico.Gray, fr frame) (float64, bool) {
	nu := int(math.Round(2*bgU*bgStep)) + 1
	nv := int(math.Round((bgV1-bgV0)*bgStep)) + 1
	step := float64(normIED) / bgStep
	bf := fr
	bf.scale = fr.scale * step // one grid step per "pixel"
	vals := make([]float64, nu*nv)
	valid := make([]bool, nu*nv)
	for j := 0; j < nv; j++ {
		v := bgV0 + float64(j)/bgStep
		for i := 0; i < nu; i++ {
			u := -bgU + float64(i)/bgStep
			du, dv := u/headA, (v-hv0)/headB
			if float64(du*du)+float64(dv*dv) <= 1 {
				continue
			}
			uu, vv := u*bgStep, v*bgStep
			if !bf.inside(uu, vv, g.W, g.H) {
				continue
			}
			vals[j*nu+i] = bf.sample(g, uu, vv)
			valid[j*nu+i] = true
		}
	}
	var s float64
	n, total := 0, 0
	for j := 1; j < nv-1; j++ {
		for i := 1; i < nu-1; i++ {
			k := j*nu + i
			total++
			if !valid[k] || !valid[k-1] || !valid[k+1] || !valid[k-nu] || !valid[k+nu] {
				continue
			}
			dx := (vals[k+1] - vals[k-1]) / 2
			dy := (vals[k+nu] - vals[k-nu]) / 2
			s += fpmath.Hypot(dx, dy)
			n++
		}
	}
	if n == 0 || n*10 < total/4 { // the ellipse excludes about 40 % of the rectangle
		return 0, false
	}
	return s / float64(n), true
}

// Skin chroma box (CIELAB): the natural colour measure is the distance of
// the mean (a*, b*) of the face's central region from this box.
const (
	skinA0, skinA1 = 5.0, 28.0
	skinB0, skinB1 = 5.0, 35.0
	// An image counts as colour when, over the sampled region, the sum of
	// per-pixel channel spreads (max-min of R, G, B) exceeds colourRatio
	// times the sum of per-pixel maxima (a mean HSV saturation). Greyscale
	// scans stay below 0.07 on the corpus, colour portraits are above 0.28
	// (also when under-exposed); noisy halftone scans reach 0.21.
	colourRatio = 0.1
)

// colourStats samples the face's central region (cheeks, nose; or the
// whole image on a grid when there is no face) and reports whether the
// image is in colour and the CIELAB distance of its mean skin chroma from
// the skin box.
func colourStats(img image.Image, f *Face, fr frame) (colour bool, dist float64, ok bool) {
	b := img.Bounds()
	var spread, maxs, sa, sb float64
	n := 0
	add := func(x, y int) {
		r, g, bl := rgbAt(img, x, y)
		mx := max(r, g, bl)
		mn := min(r, g, bl)
		spread += float64(mx - mn)
		maxs += float64(mx)
		_, la, lb := lab(r, g, bl)
		sa += la
		sb += lb
		n++
	}
	if f != nil {
		for v := 16.0; v <= 72; v += 4 {
			for u := -40.0; u <= 40; u += 4 {
				x, y := fr.at(u, v)
				if x >= 0 && y >= 0 && x < float64(b.Dx()) && y < float64(b.Dy()) {
					add(int(x), int(y))
				}
			}
		}
	}
	if n == 0 {
		for j := 0; j < 24; j++ {
			for i := 0; i < 24; i++ {
				add((2*i+1)*b.Dx()/48, (2*j+1)*b.Dy()/48)
			}
		}
		f = nil
	}
	colour = spread > colourRatio*maxs
	if f == nil {
		return colour, 0, false
	}
	ma, mb := sa/float64(n), sb/float64(n)
	da := math.Max(0, math.Max(skinA0-ma, ma-skinA1))
	db := math.Max(0, math.Max(skinB0-mb, mb-skinB1))
	return colour, fpmath.Hypot(da, db), true
}

// lab converts 8-bit sRGB (D65) to CIELAB.
func lab(r, g, b uint8) (float64, float64, float64) {
	lin := func(c uint8) float64 {
		v := float64(c) / 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return fpmath.Pow((v+0.055)/1.055, 2.4)
	}
	R, G, B := lin(r), lin(g), lin(b)
	x := (float64(0.4124*R) + float64(0.3576*G) + float64(0.1805*B)) / 0.95047
	y := float64(0.2126*R) + float64(0.7152*G) + float64(0.0722*B)
	z := (float64(0.0193*R) + float64(0.1192*G) + float64(0.9505*B)) / 1.08883
	ft := func(t float64) float64 {
		if t > 216.0/24389 {
			return fpmath.Cbrt(t)
		}
		return (float64(24389.0/27*t) + 16) / 116
	}
	fx, fy, fz := ft(x), ft(y), ft(z)
	return float64(116*fy) - 16, 500 * (fx - fy), 200 * (fy - fz)
}
