package gate

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

// fakeFinger scores a fingerprint by its top-left pixel value (0-100), and
// cannot score a pixel value of 255.
type fakeFinger struct{ calls atomic.Int64 }

func (f *fakeFinger) Modality() quality.Modality { return quality.Finger }
func (f *fakeFinger) Assess(_ context.Context, img *load.Image, r *Report) error {
	f.calls.Add(1)
	v := color.GrayModel.Convert(img.Image.At(0, 0)).(color.Gray).Y
	if v == 255 {
		return fmt.Errorf("%w: blank image", ErrUnscorable)
	}
	r.Score = &quality.Score{Name: "NFIQ2", Value: int(v), Model: "fake"}
	r.Measures.Set(quality.Native(quality.QualityScore, float64(v), ""))
	return nil
}

// fakeFace finds a face of IED = 2×(top-left red value) when red > 0.
type fakeFace struct{}

func (fakeFace) Modality() quality.Modality { return quality.Face }
func (fakeFace) Assess(_ context.Context, img *load.Image, r *Report) error {
	red, _, _, _ := img.Image.At(0, 0).RGBA()
	red >>= 8
	if red == 0 || IsGrey(img.Image) {
		r.Measures.Set(quality.Native(quality.FaceCount, 0, ""))
		return nil
	}
	r.Measures.Set(quality.Native(quality.FaceCount, 1, ""))
	r.Measures.Set(quality.Native(quality.InterEyeDistance, float64(2*red), "px"))
	return nil
}

func writePNG(t *testing.T, dir, name string, img image.Image) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	f, err := os.Create(p)
	require.NoError(t, err)
	require.NoError(t, png.Encode(f, img))
	require.NoError(t, f.Close())
	return p
}

func grey(v uint8) image.Image {
	g := image.NewGray(image.Rect(0, 0, 4, 4))
	for i := range g.Pix {
		g.Pix[i] = v
	}
	return g
}

func rgb(r uint8) image.Image {
	m := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			m.Set(x, y, color.RGBA{r, 30, 200, 255})
		}
	}
	return m
}

func TestRunDecidesInInputOrder(t *testing.T) {
	dir := t.TempDir()
	files := []struct {
		name string
		img  image.Image
		mod  quality.Modality
		want quality.Outcome
		code string
	}{
		{"a/f15.png", grey(15), quality.Finger, quality.Accept, ""},
		{"a/f14.png", grey(14), quality.Finger, quality.Recapture, thresholds.CodeFingerScore},
		{"b/f0.png", grey(0), quality.Finger, quality.WarnOperator, thresholds.CodeFingerScoreZero},
		{"b/blank.png", grey(255), quality.Finger, quality.WarnOperator, thresholds.CodeFingerUnscorable},
		{"c/face60.png", rgb(60), quality.Face, quality.Accept, ""},
		{"c/face59.png", rgb(59), quality.Face, quality.Recapture, "face.InterEyeDistance"},
		{"c/noface.png", rgb(0), quality.Face, quality.Recapture, thresholds.CodeFaceNone},
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, writePNG(t, dir, f.name, f.img))
	}
	bad := filepath.Join(dir, "c", "broken.png")
	require.NoError(t, os.WriteFile(bad, []byte("\x89PNG\r\n\x1a\nnot really"), 0o600))
	paths = append(paths, bad)

	g, err := New(thresholds.MustEmbedded("ees-usk"), nil, &fakeFinger{}, fakeFace{})
	require.NoError(t, err)
	for _, workers := range []int{1, 3} {
		var got []Report
		err := g.Run(context.Background(), paths, workers, func(i int, r Report) {
			assert.Equal(t, len(got), i, "one report per plain file, in input order")
			got = append(got, r)
		})
		require.NoError(t, err)
		require.Len(t, got, len(paths))
		for i, f := range files {
			r := got[i]
			assert.Equal(t, paths[i], r.Path)
			assert.Equal(t, f.mod, r.Modality, f.name)
			assert.Equal(t, f.want, r.Decision.Outcome, f.name)
			if f.code != "" {
				assert.True(t, r.Decision.Has(f.code), "%s: %v", f.name, r.Decision.Reasons)
			}
			assert.Equal(t, "ees-usk", r.Profile.Name)
		}
		last := got[len(got)-1]
		assert.Equal(t, quality.Reject, last.Decision.Outcome)
		assert.Contains(t, last.Error, "corrupt or truncated image")
		assert.NotContains(t, last.Error, "broken.png", "the report shows the path once, beside the error")
	}
}

func TestForcedModality(t *testing.T) {
	dir := t.TempDir()
	p := writePNG(t, dir, "x.png", rgb(80))
	ff := &fakeFinger{}
	g, err := New(thresholds.MustEmbedded("ees-usk"), &Options{Modality: quality.Finger}, ff, fakeFace{})
	require.NoError(t, err)
	rs := g.AssessFile(context.Background(), p)
	require.Len(t, rs, 1)
	assert.Equal(t, quality.Finger, rs[0].Modality)
	assert.EqualValues(t, 1, ff.calls.Load())

	_, err = New(thresholds.MustEmbedded("ees-usk"), &Options{Modality: quality.Face}, ff)
	assert.Error(t, err)
}

func TestRunCancelled(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 20 {
		paths = append(paths, writePNG(t, dir, fmt.Sprintf("%02d.png", i), grey(50)))
	}
	g, err := New(thresholds.MustEmbedded("ees-usk"), nil, &fakeFinger{})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = g.Run(ctx, paths, 2, func(i int, r Report) {
		n++
		if n == 3 {
			cancel()
		}
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, n, len(paths))
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b/2.png", "b/1.jpg", "a.wsq", "notes.txt", ".hidden/x.png", "b/c/3.PNG"} {
		p := filepath.Join(dir, n)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o600))
	}
	got, errs := Expand([]string{dir, filepath.Join(dir, "b", "*.png"), filepath.Join(dir, "notes.txt"), filepath.Join(dir, "nope*"), filepath.Join(dir, "missing.png")})
	rel := func(ps []string) []string {
		var out []string
		for _, p := range ps {
			r, _ := filepath.Rel(dir, p)
			out = append(out, r)
		}
		return out
	}
	assert.Equal(t, []string{"a.wsq", "b/1.jpg", "b/2.png", "b/c/3.PNG", "notes.txt"}, rel(got))
	assert.Len(t, errs, 2)
}

func TestIsGrey(t *testing.T) {
	assert.True(t, IsGrey(grey(3)))
	assert.False(t, IsGrey(rgb(3)))
	m := image.NewRGBA(image.Rect(0, 0, 2, 2))
	for i := range m.Pix {
		m.Pix[i] = 120
	}
	assert.True(t, IsGrey(m))
}

// TestTooSmallRejected checks that an image too small for the modality is
// rejected (input.too_small) whichever way the modality is chosen: a 1×1
// image used to be warn_operator in auto mode (NFIQ 2 "cannot score" it)
// and reject with the modality forced to face.
func TestTooSmallRejected(t *testing.T) {
	fa, err := face.New(nil)
	require.NoError(t, err)
	assessors := []Assessor{&Face{Assessor: fa}, &Finger{}}
	colour := func(w, h int) image.Image {
		m := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = uint8(i * 37)
		}
		return m
	}
	blank := func(w, h int) image.Image {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = 128
		}
		return g
	}
	tests := []struct {
		name     string
		img      image.Image
		modality quality.Modality
		want     quality.Modality
	}{
		{"grey 1x1 auto", blank(1, 1), quality.UnknownModality, quality.Finger},
		{"grey 1x1 face", blank(1, 1), quality.Face, quality.Face},
		{"grey 1x1 finger", blank(1, 1), quality.Finger, quality.Finger},
		{"colour 1x1 auto", colour(1, 1), quality.UnknownModality, quality.Face},
		{"colour 10x10 finger", colour(10, 10), quality.Finger, quality.Finger},
		{"grey 30x300 auto", blank(30, 300), quality.UnknownModality, quality.Finger},
		{"grey 300x20 face", blank(300, 20), quality.Face, quality.Face},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(thresholds.MustEmbedded("ees-usk"), &Options{Modality: tt.modality}, assessors...)
			require.NoError(t, err)
			var r Report
			g.AssessImage(context.Background(), &load.Image{Image: tt.img, Format: "png"}, &r)
			assert.Equal(t, quality.Reject, r.Decision.Outcome, "%v", r.Decision)
			assert.True(t, r.Decision.Has(thresholds.CodeTooSmall), "%v", r.Decision.Reasons)
			assert.Equal(t, tt.want, r.Modality)
			assert.Contains(t, r.Error, "too small")
		})
	}
	// A loader refusing a small image (load.Options.MinSide) gives the
	// same reason.
	p := writePNG(t, t.TempDir(), "small.png", blank(40, 40))
	g, err := New(thresholds.MustEmbedded("ees-usk"), &Options{Load: &load.Options{MinSide: 64}}, assessors...)
	require.NoError(t, err)
	rs := g.AssessFile(context.Background(), p)
	require.Len(t, rs, 1)
	assert.True(t, rs[0].Decision.Has(thresholds.CodeTooSmall), "%v", rs[0].Decision.Reasons)
}

// TestWarnings checks that doubts about the declared resolution reach the
// report: the loader's (a record and its image disagree) and a fingerprint
// scored after resampling from the resolution its file declares (the
// JPEG 2000 print of info_jp2 scored 39 so, 71 at 500 ppi as NIST does,
// whose score is 72).
func TestWarnings(t *testing.T) {
	print, err := synth.Fingerprint(synth.FingerParams{Seed: 1})
	require.NoError(t, err)
	tests := []struct {
		name     string
		loaded   []string // the loader's warnings
		ppi      float64  // declared by the file
		override float64  // Finger.PPI
		want     []string // substrings, one per warning
	}{
		{"500 ppi", nil, 500, 0, nil},
		{"record disagrees", []string{"the record declares 500 ppi but its jpeg2000 image declares 1000 ppi"}, 500, 0,
			[]string{"the record declares 500 ppi"}},
		{"declared 1000 ppi", nil, 1000, 0, []string{"resampling from the declared 1000 ppi to 500 ppi"}},
		{"given 1000 ppi", nil, 500, 1000, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(thresholds.MustEmbedded("ees-usk"), &Options{Modality: quality.Finger}, &Finger{PPI: tt.override})
			require.NoError(t, err)
			var r Report
			g.AssessImage(context.Background(), &load.Image{Image: print, Format: "png", PPI: tt.ppi, Warnings: tt.loaded}, &r)
			require.Len(t, r.Warnings, len(tt.want), "%q", r.Warnings)
			for i, w := range tt.want {
				assert.Contains(t, r.Warnings[i], w)
			}
			assert.NotEqual(t, quality.Reject, r.Decision.Outcome, "a warning does not change the decision")
		})
	}
}

// TestGivenResolutionNamed checks that an unsupported resolution given by
// the caller (the CLI's -ppi) is reported as given, not as the image's
// declaration ("the image declares 200 ppi" used to be said of -ppi 200).
func TestGivenResolutionNamed(t *testing.T) {
	print, err := synth.Fingerprint(synth.FingerParams{Seed: 1})
	require.NoError(t, err)
	tests := []struct {
		name          string
		declared, pin float64
		want, not     string
	}{
		{"declared 200", 200, 0, "the image declares 200 ppi", "given"},
		{"given 200", 500, 200, "200 ppi was given", "declares"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(thresholds.MustEmbedded("ees-usk"), &Options{Modality: quality.Finger}, &Finger{PPI: tt.pin})
			require.NoError(t, err)
			var r Report
			g.AssessImage(context.Background(), &load.Image{Image: print, Format: "png", PPI: tt.declared}, &r)
			assert.Equal(t, quality.Reject, r.Decision.Outcome)
			assert.Contains(t, r.Error, tt.want)
			assert.NotContains(t, r.Error, tt.not)
		})
	}
}

// TestRecordRefusedForOtherModality checks that a record declaring one
// modality is refused, with its own reason, when the other is forced: a
// finger record under -modality face used to say "No face found".
func TestRecordRefusedForOtherModality(t *testing.T) {
	tests := []struct {
		name   string
		kind   string
		forced quality.Modality
		reject bool
		want   quality.Modality
	}{
		{"finger record as face", "finger", quality.Face, true, quality.Finger},
		{"face record as finger", "face", quality.Finger, true, quality.Face},
		{"finger record as finger", "finger", quality.Finger, false, quality.Finger},
		{"finger record auto", "finger", quality.UnknownModality, false, quality.Finger},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := New(thresholds.MustEmbedded("ees-usk"), &Options{Modality: tt.forced}, &fakeFinger{}, fakeFace{})
			require.NoError(t, err)
			var r Report
			img := &load.Image{Image: grey(50), Format: "wsq", Record: &load.Record{Kind: tt.kind, Version: "010", Count: 1}}
			g.AssessImage(context.Background(), img, &r)
			assert.Equal(t, tt.want, r.Modality)
			assert.Equal(t, tt.reject, r.Decision.Has(thresholds.CodeWrongModality), "%v", r.Decision.Reasons)
			if tt.reject {
				assert.Equal(t, quality.Reject, r.Decision.Outcome)
				assert.Contains(t, r.Error, "the record holds a "+tt.kind+" image")
				assert.False(t, r.Decision.Has(thresholds.CodeFaceNone))
			}
		})
	}
}
