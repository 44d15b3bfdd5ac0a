package face_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/quality"
)

// Fuzz input layout (see fuzzImage and fuzzOptions):
//
//	w, h      image size, taken modulo maxFuzzSide+1 (so 0×0 … 96×96)
//	flags     bits 0, 6 and 7: the image type (fuzzKind: Gray, RGBA,
//	          YCbCr 4:2:0 and 4:4:4, NRGBA, Gray16, Paletted, CMYK);
//	          bit 1: Preview; bit 2: caller landmarks; bit 3: also a nose
//	          landmark (at nose, see below); bit 4: image bounds start at
//	          (7, -3) instead of (0, 0); bit 5: a ROI (the image's left half)
//	rx … ly   caller eye centres (any float64: NaN, ±Inf, huge)
//	nose      x and y of the optional nose landmark
//	pix       pixel bytes, repeated cyclically over the image (zeros if empty)
const maxFuzzSide = 96

const (
	flagRGBA = 1 << iota
	flagPreview
	flagLandmarks
	flagNose
	flagOrigin
	flagROI
)

// Image kinds of the fuzz input: bit 0 of flags and bits 6-7 select one.
const (
	kindGray = iota
	kindRGBA
	kindYCbCr420
	kindYCbCr444
	kindNRGBA
	kindGray16
	kindPaletted
	kindCMYK
)

func fuzzKind(flags uint8) int { return int(flags&flagRGBA) | int(flags>>6)<<1 }

// fuzzImage builds the image described by the fuzz input.
func fuzzImage(w, h uint8, flags uint8, pix []byte) image.Image {
	W, H := int(w)%(maxFuzzSide+1), int(h)%(maxFuzzSide+1)
	r := image.Rect(0, 0, W, H)
	if flags&flagOrigin != 0 {
		r = r.Add(image.Pt(7, -3))
	}
	at := func(i int) byte {
		if len(pix) == 0 {
			return 0
		}
		return pix[i%len(pix)]
	}
	fill := func(b []byte) {
		for i := range b {
			b[i] = at(i)
		}
	}
	switch fuzzKind(flags) {
	case kindRGBA:
		m := image.NewRGBA(r)
		for i := range m.Pix {
			m.Pix[i] = at(i)
			if i%4 == 3 {
				m.Pix[i] = 255 // image.RGBA is alpha-premultiplied: keep it opaque
			}
		}
		return m
	case kindYCbCr420, kindYCbCr444:
		ratio := image.YCbCrSubsampleRatio420
		if fuzzKind(flags) == kindYCbCr444 {
			ratio = image.YCbCrSubsampleRatio444
		}
		m := image.NewYCbCr(r, ratio)
		fill(m.Y)
		fill(m.Cb)
		fill(m.Cr)
		return m
	case kindNRGBA:
		m := image.NewNRGBA(r)
		fill(m.Pix)
		return m
	case kindGray16:
		m := image.NewGray16(r)
		fill(m.Pix)
		return m
	case kindPaletted:
		pal := color.Palette{color.Black, color.White, color.RGBA{200, 30, 30, 255}, color.Transparent}
		m := image.NewPaletted(r, pal)
		for i := range m.Pix {
			m.Pix[i] = at(i) % uint8(len(pal))
		}
		return m
	case kindCMYK:
		m := image.NewCMYK(r)
		fill(m.Pix)
		return m
	}
	m := image.NewGray(r)
	fill(m.Pix)
	return m
}

func fuzzOptions(img image.Image, flags uint8, rx, ry, lx, ly, nx, ny float64) *face.AssessOptions {
	o := &face.AssessOptions{Preview: flags&flagPreview != 0}
	if flags&flagLandmarks != 0 {
		o.Landmarks = &face.Landmarks{RightEye: quality.Point{X: rx, Y: ry}, LeftEye: quality.Point{X: lx, Y: ly}}
		if flags&flagNose != 0 {
			o.Landmarks.Nose = &quality.Point{X: nx, Y: ny}
		}
	}
	if flags&flagROI != 0 {
		b := img.Bounds()
		o.ROI = image.Rect(b.Min.X, b.Min.Y, b.Min.X+b.Dx()/2, b.Max.Y)
	}
	return o
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func usablePoint(p quality.Point) bool {
	return finite(p.X) && finite(p.Y) && math.Abs(p.X) < 1e7 && math.Abs(p.Y) < 1e7
}

// seedPortrait draws a crude frontal face (bright oval, dark eyes and
// mouth) so that the fuzzer starts from inputs that reach the measures.
func seedPortrait(w, h int) []byte {
	pix := make([]byte, w*h)
	cx, cy := float64(w)/2, float64(h)/2
	for y := range h {
		for x := range w {
			dx, dy := (float64(x)-cx)/(0.32*float64(w)), (float64(y)-cy)/(0.42*float64(h))
			v := byte(60)
			if dx*dx+dy*dy < 1 {
				v = 190
			}
			for _, ex := range []float64{cx - 0.16*float64(w), cx + 0.16*float64(w)} {
				ddx, ddy := float64(x)-ex, float64(y)-(cy-0.08*float64(h))
				if ddx*ddx+ddy*ddy < float64(w*w)/900 {
					v = 20
				}
			}
			if math.Abs(float64(x)-cx) < 0.12*float64(w) && math.Abs(float64(y)-(cy+0.22*float64(h))) < 0.02*float64(h)+1 {
				v = 50
			}
			pix[y*w+x] = v
		}
	}
	return pix
}

// FuzzAssess runs the whole face assessment on fuzzed images and options:
// it must never panic, must fail only with the package's typed errors (and
// exactly when the input calls for them), and a successful report must be
// consistent and hold finite values only.
//
//fuzz:ci-budget 300x
func FuzzAssess(f *testing.F) {
	a, err := face.New(nil)
	if err != nil {
		f.Fatal(err)
	}
	nan, inf := math.NaN(), math.Inf(1)
	portrait := seedPortrait(96, 96)
	noise := make([]byte, 97)
	for i := range noise {
		noise[i] = byte(i * 37)
	}
	seeds := []struct {
		w, h                   uint8
		flags                  uint8
		rx, ry, lx, ly, nx, ny float64
		pix                    []byte
	}{
		{96, 96, 0, 0, 0, 0, 0, 0, 0, portrait},
		{96, 96, flagPreview, 0, 0, 0, 0, 0, 0, portrait},
		{96, 96, flagRGBA | flagOrigin, 0, 0, 0, 0, 0, 0, portrait},
		{96, 96, flagLandmarks, 33, 40, 63, 40, 48, 60, portrait},
		{96, 96, flagLandmarks | flagNose, 33, 40, 63, 40, nan, 60, portrait},
		{96, 96, flagLandmarks, nan, 40, 63, 40, 0, 0, portrait},
		{96, 96, flagLandmarks, inf, -inf, 63, 40, 0, 0, portrait},
		{96, 96, flagLandmarks, -9e6, 9e6, 9e6, -9e6, 0, 0, portrait},
		{96, 96, flagLandmarks, 1e300, 1, -1e300, 1, 0, 0, portrait},
		{96, 96, flagLandmarks, 40, 40, 40.5, 40, 0, 0, portrait},
		{64, 80, flagRGBA | flagROI, 0, 0, 0, 0, 0, 0, noise},
		{24, 24, 0, 0, 0, 0, 0, 0, 0, noise},
		{23, 50, 0, 0, 0, 0, 0, 0, 0, noise},
		{0, 0, 0, 0, 0, 0, 0, 0, 0, nil},
		{1, 1, flagRGBA, 0, 0, 0, 0, 0, 0, []byte{255}},
		{50, 50, flagROI | flagOrigin, 0, 0, 0, 0, 0, 0, nil},
		{96, 96, 0, 0, 0, 0, 0, 0, 0, []byte{255}},
		{95, 93, 1<<6 | flagOrigin, 0, 0, 0, 0, 0, 0, portrait},
		{96, 96, 1<<6 | flagRGBA, 0, 0, 0, 0, 0, 0, portrait},
		{96, 96, 2 << 6, 0, 0, 0, 0, 0, 0, noise},
		{96, 96, 2<<6 | flagRGBA | flagLandmarks, 30, 40, 60, 41, 0, 0, portrait},
		{96, 96, 3 << 6, 0, 0, 0, 0, 0, 0, portrait},
		{96, 96, 3<<6 | flagRGBA | flagPreview, 0, 0, 0, 0, 0, 0, portrait},
	}
	for _, s := range seeds {
		f.Add(s.w, s.h, s.flags, s.rx, s.ry, s.lx, s.ly, s.nx, s.ny, s.pix)
	}
	f.Fuzz(func(t *testing.T, w, h, flags uint8, rx, ry, lx, ly, nx, ny float64, pix []byte) {
		img := fuzzImage(w, h, flags, pix)
		opts := fuzzOptions(img, flags, rx, ry, lx, ly, nx, ny)
		rep, err := a.Assess(img, opts)

		b := img.Bounds()
		var want error
		switch {
		case b.Empty():
			want = face.ErrEmptyImage
		case b.Dx() < face.MinImageSize || b.Dy() < face.MinImageSize:
			want = face.ErrTooSmall
		case opts.Landmarks != nil:
			l := opts.Landmarks
			ok := usablePoint(l.RightEye) && usablePoint(l.LeftEye) &&
				math.Hypot(l.LeftEye.X-l.RightEye.X, l.LeftEye.Y-l.RightEye.Y) >= 1
			if l.Nose != nil && !usablePoint(*l.Nose) {
				ok = false
			}
			if !ok {
				want = face.ErrLandmarks
			}
		case !opts.ROI.Empty() && (opts.ROI.Dx() < face.MinImageSize || opts.ROI.Dy() < face.MinImageSize):
			want = face.ErrTooSmall
		}
		if want != nil {
			if !errors.Is(err, want) {
				t.Fatalf("%v image, opts %+v: err = %v, want %v", b, opts, err, want)
			}
			if rep != nil {
				t.Fatalf("report returned with error %v", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%v image, opts %+v: unexpected error %v", b, opts, err)
		}
		if rep == nil {
			t.Fatal("nil report and nil error")
		}
		if rep.Width != b.Dx() || rep.Height != b.Dy() {
			t.Fatalf("report size %dx%d, image %v", rep.Width, rep.Height, b)
		}
		n, ok := rep.Measures.Value(quality.FaceCount)
		if !ok || n != float64(len(rep.Faces)) {
			t.Fatalf("FaceCount %v (present %v), %d faces", n, ok, len(rep.Faces))
		}
		if opts.Landmarks != nil && len(rep.Faces) != 1 {
			t.Fatalf("caller landmarks gave %d faces", len(rep.Faces))
		}
		seen := map[string]bool{}
		for _, m := range rep.Measures {
			if seen[m.Name] {
				t.Errorf("measure %s reported twice", m.Name)
			}
			seen[m.Name] = true
			if !finite(m.Value) {
				t.Errorf("measure %s = %v (not finite); %v image, opts %+v, landmarks %+v", m.Name, m.Value, b, opts, opts.Landmarks)
			}
			if m.HasComponent && !(m.Component >= 0 && m.Component <= 100) {
				t.Errorf("measure %s component %v outside [0, 100]", m.Name, m.Component)
			}
		}
		for i, fc := range rep.Faces {
			if !usablePoint(fc.RightEye) || !usablePoint(fc.LeftEye) || !finite(fc.Confidence) {
				t.Errorf("face %d: eyes %+v %+v, confidence %v", i, fc.RightEye, fc.LeftEye, fc.Confidence)
			}
			for k, p := range fc.Landmarks {
				if !finite(p.X) || !finite(p.Y) {
					t.Errorf("face %d landmark %s = %+v", i, k, p)
				}
			}
			if opts.Landmarks == nil && !fc.Box.Overlaps(b.Inset(-b.Dx()-b.Dy())) {
				t.Errorf("face %d box %v far outside image %v", i, fc.Box, b)
			}
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Errorf("report does not marshal: %v", err)
		}
	})
}

// TestFuzzImage checks the fuzz harness itself: sizes, bounds and types.
func TestFuzzImage(t *testing.T) {
	tests := []struct {
		w, h, flags uint8
		want        image.Rectangle
		typ         string
	}{
		{96, 96, 0, image.Rect(0, 0, 96, 96), "*image.Gray"},
		{97, 200, 0, image.Rect(0, 0, 0, 6), "*image.Gray"},
		{10, 20, flagRGBA | flagOrigin, image.Rect(7, -3, 17, 17), "*image.RGBA"},
		{31, 33, 1 << 6, image.Rect(0, 0, 31, 33), "*image.YCbCr"},
		{31, 33, 1<<6 | flagRGBA | flagOrigin, image.Rect(7, -3, 38, 30), "*image.YCbCr"},
		{40, 40, 2 << 6, image.Rect(0, 0, 40, 40), "*image.NRGBA"},
		{40, 40, 2<<6 | flagRGBA, image.Rect(0, 0, 40, 40), "*image.Gray16"},
		{40, 40, 3 << 6, image.Rect(0, 0, 40, 40), "*image.Paletted"},
		{40, 40, 3<<6 | flagRGBA, image.Rect(0, 0, 40, 40), "*image.CMYK"},
	}
	for _, tt := range tests {
		img := fuzzImage(tt.w, tt.h, tt.flags, []byte{1, 2, 3})
		if img.Bounds() != tt.want {
			t.Errorf("fuzzImage(%d, %d, %b) bounds %v, want %v", tt.w, tt.h, tt.flags, img.Bounds(), tt.want)
		}
		if got := fmt.Sprintf("%T", img); got != tt.typ {
			t.Errorf("fuzzImage(%d, %d, %b) is %s, want %s", tt.w, tt.h, tt.flags, got, tt.typ)
		}
		if m, ok := img.(*image.RGBA); ok {
			if _, _, _, a := m.At(m.Rect.Min.X, m.Rect.Min.Y).RGBA(); a != 0xffff {
				t.Errorf("RGBA fuzz image not opaque")
			}
		}
	}
}
