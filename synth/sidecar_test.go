package synth_test

import (
	"bytes"
	"errors"
	"image"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

func TestSampleWrite(t *testing.T) {
	s, err := synth.FingerSample("p1", synth.FingerParams{Seed: 3, Width: 160, Height: 200}, synth.FingerDegradation{Noise: 5}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := s.Write(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "p1.png"), filepath.Join(dir, "p1.json")}
	if !slices.Equal(paths, want) {
		t.Errorf("paths %v, want %v", paths, want)
	}
	back, err := synth.ReadSidecar(want[1])
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := back.Marshal()
	b2, _ := s.Sidecar.Marshal()
	if !bytes.Equal(b1, b2) {
		t.Errorf("sidecar round trip:\n got %s\nwant %s", b1, b2)
	}
	if back.Finger.Width != 160 || back.FingerDegradation.Noise != 5 || back.Profile != thresholds.Default {
		t.Errorf("sidecar fields %+v", back)
	}
	// Never overwrite without force.
	if _, err := s.Write(dir, false); !errors.Is(err, synth.ErrExists) || !errors.Is(err, fs.ErrExist) {
		t.Errorf("second write err = %v, want ErrExists", err)
	}
	if err := os.WriteFile(want[0], []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(dir, true); err != nil {
		t.Errorf("forced write: %v", err)
	}
	if b, _ := os.ReadFile(want[0]); len(b) < 100 {
		t.Errorf("forced write did not replace the file")
	}
	s.Sidecar.Name = "../x"
	if _, err := s.Write(dir, true); !errors.Is(err, synth.ErrInvalid) {
		t.Errorf("name ../x: err = %v, want ErrInvalid", err)
	}
}

func TestFaceSample(t *testing.T) {
	src := synth.Eyes{Right: quality.Point{X: 130, Y: 240}, Left: quality.Point{X: 280, Y: 244}}
	img := dotsImage(src, 6)
	tests := []struct {
		variant          string
		fail, pass       []string
		ext              string
		wantRoll, wantIE float64
	}{
		{"roll12", []string{"face.HeadPoseRoll"}, []string{"face.InterEyeDistance"}, ".png", 12, math.NaN()},
		{"roll3+ied100", []string{"face.InterEyeDistance"}, []string{"face.HeadPoseRoll"}, ".png", 3, 100},
		{"ied118", []string{}, []string{"face.HeadPoseRoll"}, ".png", math.NaN(), 118},
		{"level+ied200+dark", []string{"face.UnderExposurePrevention"}, []string{"face.InterEyeDistance", "face.HeadPoseRoll"}, ".png", 0, 200},
		{"level+ied200+q10", []string{"face.CompressionArtifacts"}, []string{"face.InterEyeDistance", "face.HeadPoseRoll"}, ".jpg", 0, 200},
		{"level+ied200+q95", nil, []string{"face.InterEyeDistance", "face.HeadPoseRoll", "face.CompressionArtifacts"}, ".jpg", 0, 200},
	}
	for _, tc := range tests {
		t.Run(tc.variant, func(t *testing.T) {
			s, err := synth.FaceSample("v", img, "/some/dir/portrait.png", src, tc.variant, 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			sc := s.Sidecar
			if !slices.Equal(nonNil(sc.ExpectFail), nonNil(tc.fail)) || !slices.Equal(nonNil(sc.ExpectPass), nonNil(tc.pass)) {
				t.Errorf("expect_fail %v expect_pass %v, want %v %v", sc.ExpectFail, sc.ExpectPass, tc.fail, tc.pass)
			}
			if filepath.Ext(sc.Image) != tc.ext || (tc.ext == ".jpg") != (s.JPEG != nil) {
				t.Errorf("image %s with %d JPEG bytes, want %s", sc.Image, len(s.JPEG), tc.ext)
			}
			if sc.Source != "portrait.png" || *sc.SourceEyes != src || sc.Variant != tc.variant {
				t.Errorf("source %q eyes %+v variant %q", sc.Source, sc.SourceEyes, sc.Variant)
			}
			if !math.IsNaN(tc.wantRoll) && math.Abs(sc.Eyes.Roll()-tc.wantRoll) > 0.1 {
				t.Errorf("roll %.3f, want %g", sc.Eyes.Roll(), tc.wantRoll)
			}
			if !math.IsNaN(tc.wantIE) && math.Abs(sc.IED-tc.wantIE) > 0.5 {
				t.Errorf("IED %.3f, want %g", sc.IED, tc.wantIE)
			}
			b := s.Image.Bounds()
			if b.Dx() != sc.Width || b.Dy() != sc.Height {
				t.Errorf("sidecar size %d×%d, image %v", sc.Width, sc.Height, b.Size())
			}
		})
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestParseFaceVariant(t *testing.T) {
	tests := []struct {
		in   string
		want synth.FaceDegradation
	}{
		{"roll12", synth.FaceDegradation{Level: true, Roll: 12}},
		{"roll-8", synth.FaceDegradation{Level: true, Roll: -8}},
		{"turn5.5", synth.FaceDegradation{Roll: 5.5}},
		{"ied100", synth.FaceDegradation{IED: 100}},
		{"dark", synth.FaceDegradation{Gain: 0.2}},
		{"bright+gamma1.5", synth.FaceDegradation{Gain: 2.5, Gamma: 1.5}},
		{"q10", synth.FaceDegradation{JPEGQuality: 10}},
		{"jpeg75+grey", synth.FaceDegradation{JPEGQuality: 75, Greyscale: true}},
		{"blur2.5+noise10", synth.FaceDegradation{Blur: 2.5, Noise: 10}},
		{"shift-20", synth.FaceDegradation{ShiftX: -0.2}},
		{"uneven", synth.FaceDegradation{Uneven: 0.7}},
		{"uneven-40", synth.FaceDegradation{Uneven: -0.4}},
		{"clutter", synth.FaceDegradation{Clutter: 0.6}},
		{"Level+Clutter30", synth.FaceDegradation{Level: true, Clutter: 0.3}},
	}
	for _, tc := range tests {
		got, err := synth.ParseFaceVariant(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseFaceVariant(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "roll", "rollx", "q0", "q10.5", "q101", "wobble3", "ied2", "blur-1", "roll100", "dark+"} {
		if _, err := synth.ParseFaceVariant(bad); !errors.Is(err, synth.ErrInvalid) {
			t.Errorf("ParseFaceVariant(%q) err = %v, want ErrInvalid", bad, err)
		}
	}
	if got := synth.VariantName("Roll-8+Q10"); got != "roll-8_q10" {
		t.Errorf("VariantName = %q", got)
	}
}

func TestParseFingerDegradation(t *testing.T) {
	tests := []struct {
		in   string
		want synth.FingerDegradation
	}{
		{"", synth.FingerDegradation{}},
		{"noise=20,blur=1.5", synth.FingerDegradation{Noise: 20, Blur: 1.5}},
		{"scale=0.9, rotate=-15 ,contact=0.4", synth.FingerDegradation{Scale: 0.9, Rotation: -15, PartialContact: 0.4}},
		{"dry=0.5,wet=0.2,contrast=0.5", synth.FingerDegradation{Dryness: 0.5, Wetness: 0.2, Contrast: 0.5}},
		{"noisy", synth.FingerDegradation{Noise: 70}},
		{"noisy,noise=10,blur=1", synth.FingerDegradation{Noise: 10, Blur: 1}},
		{"smudged", synth.FingerDegradation{Dryness: 0.6, Wetness: 0.6}},
	}
	for _, tc := range tests {
		got, err := synth.ParseFingerDegradation(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseFingerDegradation(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"noise", "noise=x", "fog=1", "noise=500", "scale=5", "contact=1"} {
		if _, err := synth.ParseFingerDegradation(bad); !errors.Is(err, synth.ErrInvalid) {
			t.Errorf("ParseFingerDegradation(%q) err = %v, want ErrInvalid", bad, err)
		}
	}
	for _, n := range synth.FingerLevels() {
		if _, err := synth.FingerLevel(n); err != nil {
			t.Errorf("FingerLevel(%q): %v", n, err)
		}
	}
}

func TestExpectFaceProfiles(t *testing.T) {
	icao := thresholds.MustEmbedded("icao")
	e := synth.Eyes{Right: quality.Point{X: 200, Y: 300}, Left: quality.Point{X: 330, Y: 300}}
	got := synth.ExpectFace(icao, 640, 800, e, synth.FaceDegradation{Greyscale: true, Blur: 8, Uneven: 0.7, Clutter: 0.8})
	for _, c := range []string{"face.ColourImage", "face.Sharpness", "face.IlluminationUniformity", "face.BackgroundUniformity"} {
		if !slices.Contains(got.Fail, c) {
			t.Errorf("icao: %s not in expect_fail %v", c, got.Fail)
		}
	}
	for _, c := range []string{"face.ImageWidth", "face.ImageHeight", "face.InterEyeDistance", "face.HeadPoseRoll"} {
		if !slices.Contains(got.Pass, c) {
			t.Errorf("icao: %s not in expect_pass %v", c, got.Pass)
		}
	}
	// Off-centre: the eye midpoint at 265 of 640 is 9 % left of centre.
	got = synth.ExpectFace(icao, 640, 800, e, synth.FaceDegradation{})
	if !slices.Contains(got.Fail, "face.HorizontalCentring") {
		t.Errorf("icao: off-centre face not expected to fail centring: %v", got.Fail)
	}
	// Within the margin of a limit nothing is asserted.
	e8 := synth.Eyes{Right: quality.Point{X: 100, Y: 100}}
	e8.Left = quality.Point{X: 100 + 130*math.Cos(8.5*math.Pi/180), Y: 100 - 130*math.Sin(8.5*math.Pi/180)}
	got = synth.ExpectFace(thresholds.MustEmbedded("ees-usk"), 400, 400, e8, synth.FaceDegradation{})
	if slices.Contains(got.Fail, "face.HeadPoseRoll") || slices.Contains(got.Pass, "face.HeadPoseRoll") {
		t.Errorf("roll 8.5° against 8° asserted something: %+v", got)
	}
	_ = image.Point{}
}
