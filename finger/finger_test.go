package finger

import (
	"errors"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/finger/minutiae"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
)

// ridges draws a w×h pattern of sinusoidal ridges with the given period in
// pixels, tilted by angle radians, inside an elliptical finger-like
// foreground on a white background, with six minutiae (spiral phases,
// Larkin & Fletcher 2007) planted around the centre: FingerJetFX, and so
// NFIQ 2, refuses a print with fewer than four.
func ridges(w, h int, period, angle float64) *image.Gray {
	return ridgePattern(w, h, period, angle, true)
}

// plainRidges is ridges without the minutiae.
func plainRidges(w, h int, period, angle float64) *image.Gray {
	return ridgePattern(w, h, period, angle, false)
}

func ridgePattern(w, h int, period, angle float64, minutiae bool) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)/2
	s, c := math.Sin(angle), math.Cos(angle)
	// Minutiae at (±0.2w, −0.2h), (±0.2w, 0), (±0.2w, +0.2h) from the
	// centre, alternately ending and bifurcation.
	var planted [][3]float64
	if minutiae {
		for i := range 6 {
			sign := float64(1 - 2*(i%2))
			planted = append(planted, [3]float64{cx + sign*0.2*float64(w), cy + float64(i/2-1)*0.2*float64(h), sign})
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := (float64(x)-cx)/(0.42*float64(w)), (float64(y)-cy)/(0.45*float64(h))
			if dx*dx+dy*dy > 1 {
				g.Pix[y*g.Stride+x] = 255
				continue
			}
			u := (float64(x)*c + float64(y)*s) / period
			for _, p := range planted {
				// Polar angle measured from the ridge direction.
				ax, ay := float64(x)-p[0], float64(y)-p[1]
				u += p[2] * math.Atan2(ax*c+ay*s, -ax*s+ay*c) / (2 * math.Pi)
			}
			v := 128 + 100*math.Cos(2*math.Pi*u)
			g.Pix[y*g.Stride+x] = uint8(v)
		}
	}
	return g
}

// uniformRidges fills the whole w×h image with ridges, leaving no white
// frame for NFIQ 2 to crop.
func uniformRidges(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g.Pix[y*g.Stride+x] = uint8(128 + 100*math.Cos(2*math.Pi*float64(x)/9))
		}
	}
	return g
}

// synthPrint is a synthetic print NFIQ 2 scores. (The straight ridges of
// ridges() have no orientation flow: NIST's NFIQ 2 refuses them.)
func synthPrint(t *testing.T) *image.Gray {
	t.Helper()
	print, err := synth.Fingerprint(synth.FingerParams{Seed: 1, Width: 400, Height: 480})
	require.NoError(t, err)
	return print
}

func TestAssessSyntheticRidges(t *testing.T) {
	a := New(nil)
	rep, err := a.Assess(synthPrint(t), 500)
	require.NoError(t, err)
	require.NotNil(t, rep.Score)
	assert.Equal(t, "NFIQ2", rep.Score.Name)
	assert.Equal(t, "nfiq2-compatible", rep.Score.Model)
	assert.NotEmpty(t, rep.Score.ModelVersion)
	assert.GreaterOrEqual(t, rep.Score.Value, 0)
	assert.LessOrEqual(t, rep.Score.Value, 100)
	require.Len(t, rep.Measures, len(FeatureNames)+1)
	for i, name := range FeatureNames {
		assert.Equal(t, name, rep.Measures[i].Name)
		assert.False(t, math.IsNaN(rep.Measures[i].Value), name)
	}
	s, ok := rep.Measures.Value(quality.QualityScore)
	require.True(t, ok)
	assert.Equal(t, float64(rep.Score.Value), s)
	ocl, _ := rep.Measures.Value("OCL_Bin10_Mean")
	assert.Greater(t, ocl, 0.6, "clear synthetic ridges have a high orientation certainty")
	assert.Greater(t, rep.Feedback.SufficientFingerprintForeground, 50000.0)
	assert.False(t, rep.Resampled)
}

// TestAssessTooSmall checks that an image too small to hold a fingerprint
// gives a typed *SizeError (ErrTooSmall, also ErrUnscorable) and no report,
// judged at 500 ppi, while an image of the minimum size is analysed.
func TestAssessTooSmall(t *testing.T) {
	a := New(nil)
	tests := []struct {
		name     string
		img      image.Image
		ppi      float64
		tooSmall bool
	}{
		{"1x1", ridges(1, 1, 9, 0), 0, true},
		{"narrow", ridges(MinImageSize-1, 400, 9, 0), 0, true},
		{"low", ridges(400, MinImageSize-1, 9, 0), 500, true},
		{"1000 ppi halves", ridges(60, 400, 9, 0), 1000, true},
		{"minimum", ridges(MinImageSize, MinImageSize, 9, 0), 0, false},
		{"1000 ppi minimum", ridges(2*MinImageSize, 2*MinImageSize, 9, 0), 1000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := a.Assess(tt.img, tt.ppi)
			require.Error(t, err, "no fingerprint in a %v image", tt.img.Bounds())
			assert.ErrorIs(t, err, ErrUnscorable)
			var se *SizeError
			if !tt.tooSmall {
				assert.NotErrorIs(t, err, ErrTooSmall)
				assert.False(t, errors.As(err, &se))
				return
			}
			assert.ErrorIs(t, err, ErrTooSmall)
			require.True(t, errors.As(err, &se))
			assert.Equal(t, tt.img.Bounds().Dx(), se.Width)
			assert.Equal(t, tt.img.Bounds().Dy(), se.Height)
			assert.Nil(t, rep)
			assert.Contains(t, err.Error(), "too small")
		})
	}
}

// TestUnscorableNamesPackageOnce checks that an unscorable error's reason
// does not repeat its source's prefix ("minutiae: minutiae: ...").
func TestUnscorableNamesPackageOnce(t *testing.T) {
	tests := []struct {
		prefix string
		err    error
		want   string
	}{
		{"minutiae: ", errors.New("minutiae: image too large: 9000x9000 (limit 4096 px)"), "NFIQ 2 cannot score this image: minutiae: image too large: 9000x9000 (limit 4096 px)"},
		{"minutiae: ", errors.New("no ridges"), "NFIQ 2 cannot score this image: minutiae: no ridges"},
		{"", errors.New("nfiq2: image is blank"), "NFIQ 2 cannot score this image: image is blank"},
		{"model: ", errors.New("forest: 68 features, want 69"), "NFIQ 2 cannot score this image: model: forest: 68 features, want 69"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, unscorable(tt.prefix, tt.err).Error())
		})
	}
}

func TestAssessUnscorable(t *testing.T) {
	a := New(nil)
	blank := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	uniform := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range uniform.Pix {
		uniform.Pix[i] = 90
	}
	tests := []struct {
		name string
		img  image.Image
		want string
	}{
		{"blank", blank, "blank"},
		{"uniform", uniform, "Cannot compute Frequency Domain Analysis (FDA)"},
		{"tiny", ridges(40, 40, 9, 0), "Cannot compute Frequency Domain Analysis (FDA)"},
		{"huge", uniformRidges(900, 1100), "large"},
		{"no minutiae", plainRidges(400, 480, 9, 0.4), "FRFXLL_ERR_FB_TOO_SMALL_AREA"},
		{"fingertip", plainRidges(170, 150, 9, 0.4), "FRFXLL_ERR_FB_TOO_SMALL_AREA"},
		{"empty", image.NewGray(image.Rectangle{}), "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := a.Assess(tt.img, 0)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnscorable)
			var ue *UnscorableError
			require.True(t, errors.As(err, &ue))
			assert.Contains(t, err.Error(), tt.want)
			if strings.Contains(tt.want, "FRFXLL") {
				assert.ErrorIs(t, err, minutiae.ErrFootprintTooSmall)
				// the image measures were computed before the refusal
				require.NotNil(t, rep)
				// straight ridges have no orientation flow: every measure
				// but the 4 minutiae and the 12 OF ones
				assert.Len(t, rep.Measures, len(FeatureNames)-4-12)
				_, ok := rep.Measures.Get("FDA_Bin10_Mean")
				assert.True(t, ok)
				if tt.name == "no minutiae" {
					assert.Contains(t, rep.Feedback.Fired, "FingerprintImageWithMinutiae")
				}
			}
			if rep != nil {
				assert.Nil(t, rep.Score)
			}
		})
	}
}

func TestAssessResolution(t *testing.T) {
	a := New(nil)
	img := ridges(520, 600, 18, 0.3) // a 1000 ppi-like print: ridge period 18 px
	tests := []struct {
		ppi       float64
		resampled bool
		err       error
	}{
		{0, false, nil},
		{500, false, nil},
		{508, false, nil},
		{1000, true, nil},
		{96, false, ErrResolution},
		{72, false, ErrResolution},
		{2400, false, ErrResolution},
	}
	for _, tt := range tests {
		rep, err := a.Assess(img, tt.ppi)
		if tt.err != nil {
			assert.ErrorIs(t, err, tt.err, "ppi %v", tt.ppi)
			assert.Contains(t, err.Error(), "-ppi", "the error says how to override")
			continue
		}
		if err != nil && !errors.Is(err, ErrUnscorable) {
			t.Fatalf("ppi %v: %v", tt.ppi, err)
		}
		require.NotNil(t, rep, "ppi %v", tt.ppi)
		assert.Equal(t, tt.resampled, rep.Resampled, "ppi %v", tt.ppi)
		assert.Equal(t, tt.ppi, rep.SourcePPI)
		if tt.resampled {
			assert.LessOrEqual(t, rep.Crop.Max.X, 260, "resampled to half the width")
			assert.LessOrEqual(t, rep.Crop.Max.Y, 300, "resampled to half the height")
		}
	}
}

func TestAssessColourInput(t *testing.T) {
	g := synthPrint(t)
	rgba := image.NewRGBA(g.Bounds())
	for y := 0; y < g.Rect.Dy(); y++ {
		for x := 0; x < g.Rect.Dx(); x++ {
			v := g.GrayAt(x, y).Y
			rgba.Set(x, y, color.RGBA{v, v, v, 255})
		}
	}
	a := New(nil)
	want, err := a.Assess(g, 500)
	require.NoError(t, err)
	got, err := a.Assess(rgba, 500)
	require.NoError(t, err)
	assert.Equal(t, want.Measures, got.Measures, "grey RGB input gives the same measures as grey input")
}

func TestMinutiaeInInputCoordinates(t *testing.T) {
	a := New(nil)
	// The centre of a synthetic print (real minutiae; plain parallel
	// ridges have none) on a white page. NFIQ 2 crops whole rows and
	// columns whose mean is above 250, so the frame must not lift a partly
	// dark edge row over that level: the print is a sharp-edged rectangle.
	print, err := synth.Fingerprint(synth.FingerParams{Seed: 1, Width: 400, Height: 480})
	require.NoError(t, err)
	small := image.NewGray(print.Rect)
	for i := range small.Pix {
		small.Pix[i] = 255
	}
	for y := 80; y < 400; y++ {
		copy(small.Pix[y*small.Stride+70:y*small.Stride+330], print.Pix[y*print.Stride+70:])
	}
	big := image.NewGray(image.Rect(0, 0, 520, 560))
	for i := range big.Pix {
		big.Pix[i] = 255
	}
	for y := 0; y < 480; y++ {
		copy(big.Pix[(y+30)*big.Stride+50:], small.Pix[y*small.Stride:y*small.Stride+400])
	}
	rs, err := a.Assess(small, 500)
	require.NoError(t, err)
	rb, err := a.Assess(big, 500)
	require.NoError(t, err)
	require.NotEmpty(t, rs.Minutiae)
	require.Equal(t, len(rs.Minutiae), len(rb.Minutiae))
	for i := range rs.Minutiae {
		assert.Equal(t, rs.Minutiae[i].X+50, rb.Minutiae[i].X)
		assert.Equal(t, rs.Minutiae[i].Y+30, rb.Minutiae[i].Y)
	}
	assert.Equal(t, rs.Score, rb.Score, "a white frame does not change NFIQ 2")
}
