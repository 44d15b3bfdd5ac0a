package finger_test

import (
	"encoding/json"
	"errors"
	"image"
	"math"
	"testing"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/synth"
)

// Fuzz input layout (see fuzzPrint):
//
//	w, h   image size, taken modulo maxFuzzSide+1 (so 0×0 … 320×320)
//	ppi    declared resolution, any float64 (0, NaN, ±Inf, negative, …)
//	flags  bit 0: RGBA instead of Gray; bit 1: bounds start at (5, -9)
//	pix    pixel bytes, repeated cyclically over the image (white if empty)
const maxFuzzSide = 320

const (
	flagRGBA = 1 << iota
	flagOrigin
)

func fuzzPrint(w, h uint16, flags uint8, pix []byte) image.Image {
	W, H := int(w)%(maxFuzzSide+1), int(h)%(maxFuzzSide+1)
	r := image.Rect(0, 0, W, H)
	if flags&flagOrigin != 0 {
		r = r.Add(image.Pt(5, -9))
	}
	at := func(i int) byte {
		if len(pix) == 0 {
			return 255
		}
		return pix[i%len(pix)]
	}
	if flags&flagRGBA != 0 {
		m := image.NewRGBA(r)
		for i := range m.Pix {
			if i%4 == 3 {
				m.Pix[i] = 255
			} else {
				m.Pix[i] = at(i / 4)
			}
		}
		return m
	}
	m := image.NewGray(r)
	for i := range m.Pix {
		m.Pix[i] = at(i)
	}
	return m
}

// acceptedPPI says whether the package documents ppi as usable: 0
// (unknown), 500±10, or 300-1200 (resampled).
func acceptedPPI(ppi float64) bool {
	return ppi == 0 || math.Abs(ppi-500) <= 10 || (ppi >= 300 && ppi <= 1200)
}

// FuzzAssess runs NFIQ 2 on fuzzed images and declared resolutions: it
// must never panic, must fail only with ErrUnscorable or ErrResolution
// (ErrResolution exactly for a resolution outside the documented ranges,
// NaN included), and a scored report must hold finite measures and a score
// in 0-100.
//
//fuzz:ci-budget 300x
func FuzzAssess(f *testing.F) {
	a := finger.New(nil)
	print, err := synth.Fingerprint(synth.FingerParams{Seed: 3, Width: 300, Height: 300})
	if err != nil {
		f.Fatal(err)
	}
	ramp := make([]byte, 256)
	for i := range ramp {
		ramp[i] = byte(i)
	}
	for _, ppi := range []float64{500, 0, math.NaN(), math.Inf(1), math.Inf(-1), -500, 96, 1000, 300, 1200, 505, 299.99, 1200.01, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		f.Add(uint16(300), uint16(300), uint8(0), ppi, print.Pix)
	}
	f.Add(uint16(300), uint16(300), uint8(flagRGBA|flagOrigin), 1000.0, print.Pix)
	f.Add(uint16(0), uint16(0), uint8(0), 500.0, []byte{})
	f.Add(uint16(0), uint16(0), uint8(0), math.NaN(), []byte{})
	f.Add(uint16(1), uint16(1), uint8(0), 1200.0, []byte{0})
	f.Add(uint16(320), uint16(1), uint8(0), 300.0, ramp)
	f.Add(uint16(200), uint16(250), uint8(0), 500.0, ramp)
	f.Add(uint16(320), uint16(320), uint8(0), 500.0, []byte{})
	f.Add(uint16(320), uint16(320), uint8(flagRGBA), 0.0, []byte{0, 255})

	f.Fuzz(func(t *testing.T, w, h uint16, flags uint8, ppi float64, pix []byte) {
		img := fuzzPrint(w, h, flags, pix)
		b := img.Bounds()
		rep, err := a.Assess(img, ppi)
		switch {
		case b.Empty():
			if !errors.Is(err, finger.ErrUnscorable) {
				t.Fatalf("empty %v image: err = %v, want ErrUnscorable", b, err)
			}
			return
		case !acceptedPPI(ppi):
			if !errors.Is(err, finger.ErrResolution) || rep != nil {
				t.Fatalf("ppi %v: err = %v, report %v; want ErrResolution and no report", ppi, err, rep != nil)
			}
			return
		case err != nil:
			if !errors.Is(err, finger.ErrUnscorable) {
				t.Fatalf("%v image at %v ppi: err = %v (%T), want ErrUnscorable", b, ppi, err, err)
			}
			var ue *finger.UnscorableError
			if !errors.As(err, &ue) || ue.Reason == "" {
				t.Errorf("unscorable error %v carries no reason", err)
			}
			if rep != nil && rep.Score != nil {
				t.Errorf("unscorable report has a score %+v", rep.Score)
			}
			if rep != nil {
				if _, err := json.Marshal(rep); err != nil {
					t.Errorf("partial report does not marshal: %v", err)
				}
			}
			return
		}
		if rep == nil || rep.Score == nil {
			t.Fatalf("nil error but report %v", rep)
		}
		if rep.Score.Value < 0 || rep.Score.Value > 100 {
			t.Errorf("score %d outside 0-100", rep.Score.Value)
		}
		if len(rep.Measures) != len(finger.FeatureNames)+1 {
			t.Errorf("%d measures, want %d", len(rep.Measures), len(finger.FeatureNames)+1)
		}
		for _, m := range rep.Measures {
			if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
				t.Errorf("measure %s = %v (not finite); %v image at %v ppi", m.Name, m.Value, b, ppi)
			}
		}
		// Minutiae are mapped back to input coordinates: they must lie in
		// the image, up to the rounding of the resampling.
		slack := 1 + int(math.Ceil(math.Max(ppi, 500)/500))
		outer := b.Inset(-slack)
		for _, m := range rep.Minutiae {
			if !image.Pt(m.X, m.Y).In(outer) {
				t.Errorf("minutia at (%d, %d) outside image %v", m.X, m.Y, b)
			}
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Errorf("report does not marshal: %v", err)
		}
	})
}

// TestFuzzPPIOracle pins the resolution ranges the fuzz oracle assumes to
// the assessor's behaviour on a blank image (which is unscorable, not a
// resolution error, whenever the resolution is accepted).
func TestFuzzPPIOracle(t *testing.T) {
	a := finger.New(nil)
	img := fuzzPrint(64, 64, 0, nil)
	for _, ppi := range []float64{0, 490, 510, 300, 1200, 96, 299, 1201, -1, math.NaN(), math.Inf(1)} {
		_, err := a.Assess(img, ppi)
		if got := errors.Is(err, finger.ErrResolution); got == acceptedPPI(ppi) {
			t.Errorf("ppi %v: ErrResolution %v, oracle says accepted %v (err %v)", ppi, got, acceptedPPI(ppi), err)
		}
	}
}
