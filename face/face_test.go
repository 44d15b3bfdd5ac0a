package face

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"reflect"
	"sync"
	"testing"

	"github.com/biogate/biogate/quality"
)

// card draws a frontal test card of w×h: a textured grey background, a
// skin-toned face ellipse with eyes at (cx∓ied/2, ey), brows, nose and
// mouth, and a fine texture on the skin. light(x) scales the luminance
// along x; colour false draws in greys.
type card struct {
	w, h      int
	ied       float64
	light     func(x float64) float64
	skin      color.RGBA
	grey      bool
	bgTexture float64
}

func (c card) eyes() (quality.Point, quality.Point) {
	cx, ey := float64(c.w)/2, float64(c.h)*0.42
	return quality.Point{X: cx - c.ied/2, Y: ey}, quality.Point{X: cx + c.ied/2, Y: ey}
}

func (c card) draw() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	re, le := c.eyes()
	cx, ey := (re.X+le.X)/2, re.Y
	skin := c.skin
	if skin == (color.RGBA{}) {
		skin = color.RGBA{205, 160, 135, 255}
	}
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			v := [3]float64{120, 130, 140}
			for i := range v {
				v[i] += c.bgTexture * math.Sin(fx*0.15) * math.Sin(fy*0.12)
			}
			u, w := (fx-cx)/c.ied, (fy-ey)/c.ied
			if (u*u)/(1.0*1.0)+((w-0.35)*(w-0.35))/(1.45*1.45) < 1 {
				t := 6 * math.Sin(fx*1.3) * math.Sin(fy*1.1) // pores / texture
				v = [3]float64{float64(skin.R) + t, float64(skin.G) + t, float64(skin.B) + t}
				switch {
				case math.Hypot(u+0.5, w*1.6) < 0.13 || math.Hypot(u-0.5, w*1.6) < 0.13:
					v = [3]float64{50, 40, 35}
				case math.Abs(w+0.3) < 0.05 && math.Abs(math.Abs(u)-0.5) < 0.22:
					v = [3]float64{70, 55, 45}
				case math.Abs(u) < 0.06 && w > 0.15 && w < 0.6:
					v = [3]float64{float64(skin.R) - 40, float64(skin.G) - 40, float64(skin.B) - 40}
				case math.Abs(u) < 0.35 && math.Abs(w-1.0) < 0.06:
					v = [3]float64{150, 70, 70}
				}
			}
			k := 1.0
			if c.light != nil {
				k = c.light(fx / float64(c.w))
			}
			var px [3]uint8
			for i := range v {
				px[i] = uint8(math.Max(0, math.Min(255, v[i]*k)))
			}
			if c.grey {
				g := yOf(uint32(px[0]), uint32(px[1]), uint32(px[2]))
				px = [3]uint8{g, g, g}
			}
			img.SetRGBA(x, y, color.RGBA{px[0], px[1], px[2], 255})
		}
	}
	return img
}

// boxBlur blurs img with a (2r+1)² box, r passes of 1 px radius.
func boxBlur(src *image.RGBA, r int) *image.RGBA {
	img := src
	for p := 0; p < r; p++ {
		b := img.Bounds()
		out := image.NewRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				var s [3]int
				n := 0
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						q := image.Pt(x+dx, y+dy)
						if !q.In(b) {
							continue
						}
						c := img.RGBAAt(q.X, q.Y)
						s[0] += int(c.R)
						s[1] += int(c.G)
						s[2] += int(c.B)
						n++
					}
				}
				out.SetRGBA(x, y, color.RGBA{uint8(s[0] / n), uint8(s[1] / n), uint8(s[2] / n), 255})
			}
		}
		img = out
	}
	return img
}

func newAssessor(t testing.TB) *Assessor {
	t.Helper()
	a, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func assessCard(t *testing.T, a *Assessor, c card, img image.Image) *Report {
	t.Helper()
	re, le := c.eyes()
	rep, err := a.Assess(img, &AssessOptions{Landmarks: &Landmarks{RightEye: re, LeftEye: le}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func val(t *testing.T, rep *Report, name string) float64 {
	t.Helper()
	v, ok := rep.Measures.Value(name)
	if !ok {
		t.Fatalf("measure %s missing", name)
	}
	return v
}

func TestErrors(t *testing.T) {
	a := newAssessor(t)
	tests := []struct {
		name string
		img  image.Image
		opts *AssessOptions
		want error
	}{
		{"nil", nil, nil, ErrNilImage},
		{"empty", image.NewGray(image.Rect(0, 0, 0, 0)), nil, ErrEmptyImage},
		{"tiny", image.NewGray(image.Rect(0, 0, 10, 300)), nil, ErrTooSmall},
		{"tiny roi", image.NewGray(image.Rect(0, 0, 300, 300)), &AssessOptions{ROI: image.Rect(0, 0, 20, 20)}, ErrTooSmall},
		{"NaN eye", image.NewGray(image.Rect(0, 0, 300, 300)), &AssessOptions{Landmarks: &Landmarks{RightEye: quality.Point{X: math.NaN()}, LeftEye: quality.Point{X: 100}}}, ErrLandmarks},
		{"same eyes", image.NewGray(image.Rect(0, 0, 300, 300)), &AssessOptions{Landmarks: &Landmarks{RightEye: quality.Point{X: 100, Y: 100}, LeftEye: quality.Point{X: 100.5, Y: 100}}}, ErrLandmarks},
		{"infinite nose", image.NewGray(image.Rect(0, 0, 300, 300)), &AssessOptions{Landmarks: &Landmarks{RightEye: quality.Point{X: 100, Y: 100}, LeftEye: quality.Point{X: 160, Y: 100}, Nose: &quality.Point{X: math.Inf(1)}}}, ErrLandmarks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := a.Assess(tt.img, tt.opts)
			if !errors.Is(err, tt.want) || rep != nil {
				t.Fatalf("got %v, %v; want %v", rep, err, tt.want)
			}
		})
	}
	var se *SizeError
	if _, err := a.Assess(image.NewGray(image.Rect(0, 0, 10, 300)), nil); !errors.As(err, &se) || se.Width != 10 {
		t.Fatalf("want *SizeError, got %v", err)
	}
}

func TestNoFaceIsAResult(t *testing.T) {
	a := newAssessor(t)
	img := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	rep, err := a.Assess(img, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := val(t, rep, quality.FaceCount); n != 0 || len(rep.Faces) != 0 {
		t.Fatalf("FaceCount %v, %d faces", n, len(rep.Faces))
	}
	if _, ok := rep.Measures.Get(quality.InterEyeDistance); ok {
		t.Fatal("InterEyeDistance reported without a face")
	}
	for _, n := range []string{quality.ImageWidth, quality.ImageHeight, quality.ColourImage} {
		val(t, rep, n)
	}
	if val(t, rep, quality.ImageWidth) != 320 || val(t, rep, quality.ColourImage) != 0 {
		t.Fatal("image-level measures wrong")
	}
}

func TestGeometryFromLandmarks(t *testing.T) {
	a := newAssessor(t)
	img := card{w: 400, h: 500, ied: 100}.draw()
	tests := []struct {
		name     string
		re, le   quality.Point
		ied      float64
		roll     float64
		centring float64
	}{
		{"level", quality.Point{X: 150, Y: 200}, quality.Point{X: 250, Y: 200}, 100, 0, 0},
		{"subject's left eye higher", quality.Point{X: 150, Y: 200}, quality.Point{X: 250, Y: 200 - 100*math.Tan(10*math.Pi/180)}, 100 / math.Cos(10*math.Pi/180), 10, 0},
		{"shifted right", quality.Point{X: 190, Y: 200}, quality.Point{X: 250, Y: 200}, 60, 0, 20.0 / 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := a.Assess(img, &AssessOptions{Landmarks: &Landmarks{RightEye: tt.re, LeftEye: tt.le}})
			if err != nil {
				t.Fatal(err)
			}
			if got := val(t, rep, quality.InterEyeDistance); math.Abs(got-tt.ied) > 1e-9 {
				t.Errorf("IED %v, want %v", got, tt.ied)
			}
			if got := val(t, rep, quality.HeadPoseRoll); math.Abs(got-tt.roll) > 1e-9 {
				t.Errorf("roll %v, want %v", got, tt.roll)
			}
			if got := val(t, rep, quality.HorizontalCentring); math.Abs(got-tt.centring) > 1e-9 {
				t.Errorf("centring %v, want %v", got, tt.centring)
			}
			if val(t, rep, quality.FaceCount) != 1 || rep.Faces[0].RightEye != tt.re || rep.Faces[0].LeftEye != tt.le {
				t.Error("supplied landmarks not used as given")
			}
		})
	}
}

func TestPhotometryBrightness(t *testing.T) {
	a := newAssessor(t)
	c := card{w: 320, h: 400, ied: 80}
	prev := -1.0
	var under, over []float64
	for _, k := range []float64{0.15, 0.4, 0.7, 1.0, 1.3, 1.9} {
		c.light = func(float64) float64 { return k }
		rep := assessCard(t, a, c, c.draw())
		m := val(t, rep, quality.LuminanceMean)
		if m <= prev {
			t.Errorf("gain %.2f: LuminanceMean %.3f not above %.3f", k, m, prev)
		}
		prev = m
		under = append(under, val(t, rep, quality.UnderExposurePrevention))
		over = append(over, val(t, rep, quality.OverExposurePrevention))
	}
	if under[0] < 0.9 || under[3] > 0.05 {
		t.Errorf("under-exposed shares %v", under)
	}
	if over[3] > 0.05 || over[5] < 0.5 {
		t.Errorf("over-exposed shares %v", over)
	}
}

func TestSharpnessMonotonicInBlur(t *testing.T) {
	a := newAssessor(t)
	c := card{w: 320, h: 400, ied: 80}
	img := c.draw()
	prev := math.Inf(1)
	var comps []float64
	for _, r := range []int{0, 1, 2, 4, 8} {
		rep := assessCard(t, a, c, boxBlur(img, r))
		s := val(t, rep, quality.Sharpness)
		if s >= prev {
			t.Errorf("blur %d: Sharpness %.4f not below %.4f", r, s, prev)
		}
		prev = s
		m, _ := rep.Measures.Get(quality.Sharpness)
		comps = append(comps, m.Component)
	}
	if comps[0] < 50 || comps[len(comps)-1] > 50 {
		t.Errorf("sharpness components %v: sharp card should pass 50, heavily blurred fail", comps)
	}
}

func TestIlluminationUniformitySign(t *testing.T) {
	a := newAssessor(t)
	c := card{w: 320, h: 400, ied: 80}
	// Darker on the image's left (the subject's right side): negative.
	c.light = func(x float64) float64 { return 0.3 + 1.4*x }
	if v := val(t, assessCard(t, a, c, c.draw()), quality.IlluminationUniformity); v >= -0.1 {
		t.Errorf("image-left dark: %v, want clearly negative", v)
	}
	c.light = func(x float64) float64 { return 1.7 - 1.4*x }
	if v := val(t, assessCard(t, a, c, c.draw()), quality.IlluminationUniformity); v <= 0.1 {
		t.Errorf("image-right dark: %v, want clearly positive", v)
	}
	c.light = nil
	if v := val(t, assessCard(t, a, c, c.draw()), quality.IlluminationUniformity); math.Abs(v) > 0.02 {
		t.Errorf("even light: %v, want about 0", v)
	}
}

func TestColour(t *testing.T) {
	a := newAssessor(t)
	tests := []struct {
		name        string
		c           card
		colour      float64
		naturalComp func(float64) bool
	}{
		{"skin", card{w: 320, h: 400, ied: 80}, 1, func(v float64) bool { return v > 80 }},
		{"green skin", card{w: 320, h: 400, ied: 80, skin: color.RGBA{90, 200, 90, 255}}, 1, func(v float64) bool { return v < 20 }},
		{"greyscale", card{w: 320, h: 400, ied: 80, grey: true}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := assessCard(t, a, tt.c, tt.c.draw())
			if got := val(t, rep, quality.ColourImage); got != tt.colour {
				t.Errorf("ColourImage %v, want %v", got, tt.colour)
			}
			m, ok := rep.Measures.Get(quality.NaturalColour)
			if tt.naturalComp == nil {
				if ok {
					t.Errorf("NaturalColour reported for a greyscale image")
				}
				return
			}
			if !ok || !tt.naturalComp(m.Component) {
				t.Errorf("NaturalColour %+v", m)
			}
		})
	}
}

func TestBackgroundUniformity(t *testing.T) {
	a := newAssessor(t)
	plain := card{w: 400, h: 500, ied: 80}
	busy := plain
	busy.bgTexture = 60
	p := val(t, assessCard(t, a, plain, plain.draw()), quality.BackgroundUniformity)
	b := val(t, assessCard(t, a, busy, busy.draw()), quality.BackgroundUniformity)
	if !(p < 1 && b > 20) {
		t.Errorf("background gradient plain %.2f, textured %.2f", p, b)
	}
}

func TestJPEGQuality(t *testing.T) {
	img := card{w: 160, h: 200, ied: 40}.draw()
	for _, q := range []int{5, 10, 25, 50, 75, 90, 100} {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			t.Fatal(err)
		}
		got, err := JPEGQuality(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-float64(q)) > 2 {
			t.Errorf("quality %d estimated %.1f", q, got)
		}
		rep, err := newAssessor(t).Assess(img, &AssessOptions{JPEG: buf.Bytes()})
		if err != nil {
			t.Fatal(err)
		}
		m, ok := rep.Measures.Get(quality.CompressionArtifacts)
		if !ok || (q <= 10) != (m.Component < 30) {
			t.Errorf("q %d: CompressionArtifacts %+v", q, m)
		}
	}
	for _, bad := range [][]byte{nil, {0xFF}, {0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x50, 0x00}, {0xFF, 0xD8, 0xFF, 0xDA, 0, 2}, []byte("not a jpeg at all")} {
		if _, err := JPEGQuality(bad); !errors.Is(err, ErrNoQuantTable) {
			t.Errorf("%x: err %v", bad, err)
		}
	}
}

func FuzzJPEGQuality(f *testing.F) {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), &jpeg.Options{Quality: 50})
	f.Add(buf.Bytes())
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x10})
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := JPEGQuality(b)
		if err == nil && (q < 1 || q > 100) {
			t.Fatalf("quality %v out of range", q)
		}
	})
}

func TestMappings(t *testing.T) {
	for name, m := range Mappings() {
		found := false
		for _, n := range quality.FaceMeasureNames {
			found = found || n == name
		}
		if !found {
			t.Errorf("mapping for unknown measure %q", name)
		}
		if c := m.Component(math.NaN()); c != 0 {
			t.Errorf("%s: NaN → %v", name, c)
		}
		switch m.Shape {
		case Rising:
			if m.Component(m.X0) != 50 || m.Component(m.X0+m.W) <= 50 {
				t.Errorf("%s: rising mapping wrong", name)
			}
		case Falling:
			if m.Component(m.X0) != 50 || m.Component(m.X0+m.W) >= 50 {
				t.Errorf("%s: falling mapping wrong", name)
			}
		case Centred:
			if m.Component(m.X0) != 100 || math.Abs(m.Component(m.X0+m.W*math.Log(3))-50) > 1e-9 || m.Component(m.X0-m.W) != m.Component(m.X0+m.W) {
				t.Errorf("%s: centred mapping wrong", name)
			}
		}
	}
	if got := Mappings()[quality.HeadPoseRoll].Component(8); math.Abs(got-50) > 1e-9 {
		t.Errorf("roll 8° component %v, want 50", got)
	}
}

func TestFaceJSON(t *testing.T) {
	f := Face{Box: image.Rect(10, 20, 110, 120), RightEye: quality.Point{X: 40, Y: 60}, LeftEye: quality.Point{X: 80, Y: 61},
		Landmarks: map[string]quality.Point{Nose: {X: 60, Y: 80}}, Confidence: 12.5}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"box":{"x":10,"y":20,"width":100,"height":100},"right_eye":{"x":40,"y":60},"left_eye":{"x":80,"y":61},"landmarks":{"nose":{"x":60,"y":80}},"confidence":12.5}`
	if string(b) != want {
		t.Fatalf("got %s\nwant %s", b, want)
	}
	var g Face
	if err := json.Unmarshal(b, &g); err != nil || !reflect.DeepEqual(f, g) {
		t.Fatalf("round trip: %v %+v", err, g)
	}
	rep := Report{Width: 1, Height: 2, Faces: []Face{f}, Measures: quality.Measures{quality.Native(quality.FaceCount, 1, "")}}
	b, _ = json.Marshal(rep)
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"width", "height", "faces", "measures"} {
		if _, ok := back[k]; !ok {
			t.Errorf("report JSON lacks %q: %s", k, b)
		}
	}
}

// TestDeterministicAndConcurrent assesses the same images from several
// goroutines and requires bit-identical reports.
func TestDeterministicAndConcurrent(t *testing.T) {
	a := newAssessor(t)
	c := card{w: 320, h: 400, ied: 80}
	imgs := []image.Image{c.draw(), benchImage(480, 360)}
	if p := corpusImage(t); p != nil {
		imgs = append(imgs, p)
	}
	want := make([][]byte, len(imgs))
	for i, img := range imgs {
		rep, err := a.Assess(img, nil)
		if err != nil {
			t.Fatal(err)
		}
		want[i], _ = json.Marshal(rep)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, img := range imgs {
				rep, err := a.Assess(img, nil)
				if err != nil {
					errs <- err.Error()
					return
				}
				if b, _ := json.Marshal(rep); !bytes.Equal(b, want[i]) {
					errs <- "report differs between runs"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestROIAndPreview(t *testing.T) {
	a := newAssessor(t)
	img := corpusImage(t)
	if img == nil {
		t.Skip("corpus not available")
	}
	full, err := a.Assess(img, nil)
	if err != nil || len(full.Faces) == 0 {
		t.Fatalf("no face in the reference portrait: %v", err)
	}
	prev, err := a.Assess(img, &AssessOptions{Preview: true})
	if err != nil || len(prev.Faces) == 0 {
		t.Fatalf("preview: no face: %v", err)
	}
	if d := dist(mid(prev.Faces[0].RightEye, prev.Faces[0].LeftEye), mid(full.Faces[0].RightEye, full.Faces[0].LeftEye)); d > 0.1*full.Faces[0].InterEyeDistance() {
		t.Errorf("preview eye midpoint %.1f px from full mode", d)
	}
	if _, ok := prev.Measures.Get(quality.BackgroundUniformity); ok {
		t.Error("preview computed the background measure")
	}
	// A region of interest away from the face finds nothing.
	b := img.Bounds()
	box := full.Faces[0].Box
	roi := image.Rect(b.Min.X, box.Max.Y+1, b.Max.X, b.Max.Y)
	if roi.Dy() >= MinImageSize {
		rep, err := a.Assess(img, &AssessOptions{ROI: roi})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Faces {
			if f.Box.Overlaps(box) && f.Box.Min.Y < roi.Min.Y {
				t.Errorf("face %v found outside the ROI %v", f.Box, roi)
			}
		}
	}
}

// TestImageOrigin checks that an image whose bounds do not start at (0, 0)
// gives the same report, translated.
func TestImageOrigin(t *testing.T) {
	src := corpusImage(t)
	if src == nil {
		t.Skip("corpus not available")
	}
	a := newAssessor(t)
	b := src.Bounds()
	moved := image.NewRGBA(b.Add(image.Pt(37, 11)))
	plain := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(src.At(x, y)).(color.RGBA)
			plain.SetRGBA(x, y, c)
			moved.SetRGBA(x+37, y+11, c)
		}
	}
	r1, err1 := a.Assess(plain, nil)
	r2, err2 := a.Assess(moved, nil)
	if err1 != nil || err2 != nil || len(r1.Faces) == 0 || len(r1.Faces) != len(r2.Faces) {
		t.Fatalf("%v %v", err1, err2)
	}
	f1, f2 := r1.Faces[0], r2.Faces[0]
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(a)) }
	if !near(f2.RightEye.X, f1.RightEye.X+37) || !near(f2.LeftEye.Y, f1.LeftEye.Y+11) || f2.Box != f1.Box.Add(image.Pt(37, 11)) {
		t.Errorf("faces %+v and %+v not translated by (37, 11)", f1, f2)
	}
	if len(r1.Measures) != len(r2.Measures) {
		t.Fatalf("measures differ:\n%v\n%v", r1.Measures, r2.Measures)
	}
	for i, m := range r1.Measures {
		n := r2.Measures[i]
		if m.Name != n.Name || !near(m.Value, n.Value) || !near(m.Component, n.Component) {
			t.Errorf("%s: %v vs %v", m.Name, m, n)
		}
	}
}

// FuzzLandmarks feeds arbitrary supplied landmarks: never a panic, and
// either an error or a report with FaceCount 1.
func FuzzLandmarks(f *testing.F) {
	a := newAssessor(f)
	img := card{w: 160, h: 200, ied: 40}.draw()
	f.Add(60.0, 80.0, 100.0, 80.0, 80.0, 110.0)
	f.Add(-1e6, 5.0, 1e6, -3.0, 0.0, 0.0)
	f.Fuzz(func(t *testing.T, rx, ry, lx, ly, nx, ny float64) {
		rep, err := a.Assess(img, &AssessOptions{Landmarks: &Landmarks{
			RightEye: quality.Point{X: rx, Y: ry}, LeftEye: quality.Point{X: lx, Y: ly}, Nose: &quality.Point{X: nx, Y: ny}}})
		if err != nil {
			if !errors.Is(err, ErrLandmarks) {
				t.Fatal(err)
			}
			return
		}
		if n, _ := rep.Measures.Value(quality.FaceCount); n != 1 {
			t.Fatalf("FaceCount %v", n)
		}
	})
}

// TestImageTypes assesses the same card stored in several image types:
// the luminance measures agree closely and greyscale types are not colour.
func TestImageTypes(t *testing.T) {
	a := newAssessor(t)
	c := card{w: 200, h: 250, ied: 50}
	rgba := c.draw()
	b := rgba.Bounds()
	gray := image.NewGray(b)
	gray16 := image.NewGray16(b)
	nrgba := image.NewNRGBA(b)
	ycc := image.NewYCbCr(b, image.YCbCrSubsampleRatio444)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			px := rgba.RGBAAt(x, y)
			gray.Set(x, y, px)
			gray16.Set(x, y, px)
			nrgba.Set(x, y, px)
			yy, cb, cr := color.RGBToYCbCr(px.R, px.G, px.B)
			ycc.Y[ycc.YOffset(x, y)] = yy
			ycc.Cb[ycc.COffset(x, y)] = cb
			ycc.Cr[ycc.COffset(x, y)] = cr
		}
	}
	ref := val(t, assessCard(t, a, c, rgba), quality.LuminanceMean)
	for _, tt := range []struct {
		name   string
		img    image.Image
		colour float64
	}{{"Gray", gray, 0}, {"Gray16", gray16, 0}, {"NRGBA", nrgba, 1}, {"YCbCr", ycc, 1}} {
		t.Run(tt.name, func(t *testing.T) {
			rep := assessCard(t, a, c, tt.img)
			if m := val(t, rep, quality.LuminanceMean); math.Abs(m-ref) > 0.01 {
				t.Errorf("LuminanceMean %.4f, RGBA %.4f", m, ref)
			}
			if got := val(t, rep, quality.ColourImage); got != tt.colour {
				t.Errorf("ColourImage %v", got)
			}
		})
	}
}
