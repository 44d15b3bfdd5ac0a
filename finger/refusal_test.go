package finger

import (
	"errors"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/finger/internal/nfiq2"
	"github.com/biogate/biogate/finger/minutiae"
	"github.com/biogate/biogate/synth"
)

func filledGray(w, h int, v uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = v
	}
	return g
}

func noiseGray(w, h int, seed uint64) *image.Gray {
	r := rand.New(rand.NewPCG(seed, 1))
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = uint8(r.IntN(200))
	}
	return g
}

// withRow returns a w×h white image with row y set to v.
func withRow(w, h, y int, v uint8) *image.Gray {
	g := filledGray(w, h, 255)
	for x := 0; x < w; x++ {
		g.Pix[y*w+x] = v
	}
	return g
}

// TestAssessRefusals builds, for each row of the refusal table in the
// package documentation that an image reaches through Assess, the
// smallest input that triggers it (at least MinImageSize on a side), and
// checks that Assess refuses it with ErrUnscorable, the row's cause and
// NIST's message.
func TestAssessRefusals(t *testing.T) {
	const meanStdDev = "OpenCV(4.6.0) ./modules/core/src/mean.dispatch.cpp:516: error: (-215:Assertion failed) !_src.empty() in function 'meanStdDev'"
	const fda = "Cannot compute Frequency Domain Analysis (FDA): Not enough data to generate histogram bins (is the image blank?)"
	print, err := synth.Fingerprint(synth.FingerParams{Seed: 1, Width: 400, Height: 480})
	require.NoError(t, err)
	strip := print.SubImage(image.Rect(0, 200, 400, 299)).(*image.Gray) // 99 rows: two block rows
	tests := []struct {
		name   string
		img    image.Image
		cause  error
		module string
		nist   string
	}{
		{"white", filledGray(36, 36, 251), ErrBlank, "crop", "All image rows appear to be blank"},
		{"white columns", withRow(36, 36, 18, 200), ErrBlank, "crop", "All image columns appear to be blank"},
		{"one dark row", withRow(36, 36, 18, 0), ErrCropDegenerate, "crop", "Asked to inclusively crop from (0,18) to (35,18)"},
		{"801 wide", noiseGray(801, 36, 1), ErrTooLarge, "crop", "Width is too large after trimming whitespace. WxH: 801x36, but maximum width is 800"},
		{"1001 tall", noiseGray(36, 1001, 2), ErrTooLarge, "crop", "Height is too large after trimming whitespace. WxH: 36x1001, but maximum height is 1000"},
		{"uniform", filledGray(36, 36, 90), ErrTooFewBlocks, "FDA", fda},
		{"noise 36x36", noiseGray(36, 36, 3), ErrTooFewBlocks, "FDA", fda},
		{"straight ridges", plainRidges(170, 150, 9, 0.4), ErrFootprintTooSmall, "FingerJetFX", nistFootprintMessage},
		{"99-row strip of a print", strip, ErrNoOrientationFlow, "OF", "Cannot compute Orientation Flow (OF): " + meanStdDev},
	}
	a := New(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := a.Assess(tt.img, 0)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnscorable)
			assert.ErrorIs(t, err, tt.cause)
			var re *RefusalError
			require.True(t, errors.As(err, &re), "%v has a *RefusalError", err)
			assert.Equal(t, tt.module, re.Module)
			assert.Equal(t, tt.nist, re.NIST)
			assert.Contains(t, err.Error(), tt.nist[1:], "the message gives NIST's reason")
			for _, other := range []error{ErrBlank, ErrCropDegenerate, ErrTooLarge, ErrTooFewBlocks, ErrFootprintTooSmall,
				ErrMinutiaeInPadding, ErrNoLocalClarity, ErrNoOrientationCertainty, ErrNoOrientationFlow, ErrNoRidgeValleyData} {
				if other != tt.cause {
					assert.NotErrorIs(t, err, other)
				}
			}
			if rep != nil {
				assert.Nil(t, rep.Score)
			}
		})
	}
}

// TestRefusalCauses maps every refusal of the measures (including the RVUP
// one, which an image reaches only where FingerJetFX accepts it, and the
// LCS and OCL ones, which no image reaches once FDA computed; the nfiq2
// package's tests trigger each on its smallest input) to its cause.
func TestRefusalCauses(t *testing.T) {
	for kind, cause := range checkOf {
		err := refusalOf(&nfiq2.Error{Kind: kind, Detail: "d", Module: nfiq2.ModuleRVUP, NIST: "n"})
		assert.ErrorIs(t, err, ErrUnscorable)
		assert.ErrorIs(t, err, cause)
		assert.ErrorIs(t, err, kind)
		var re *RefusalError
		require.True(t, errors.As(err, &re))
		assert.Equal(t, "n", re.NIST)
		assert.Equal(t, "RVUPHistogram", re.Module)
	}
	assert.Len(t, checkOf, 8)
}

// TestMinutiaeInPadding checks the refusal of an image whose minutiae all
// lie in FingerJetFX's white padding (none left in the image, though
// FingerJetFX accepted it: NIST's NFIQ 2 divides by zero). No drawn image
// is known to reach it; the smallest input is such an extraction result.
func TestMinutiaeInPadding(t *testing.T) {
	assert.NoError(t, inPadding(&minutiae.Result{Count: 7, Minutiae: []minutiae.Minutia{{X: 3, Y: 4}}}))
	assert.NoError(t, inPadding(&minutiae.Result{}))
	err := inPadding(&minutiae.Result{Count: 7})
	assert.ErrorIs(t, err, ErrUnscorable)
	assert.ErrorIs(t, err, ErrMinutiaeInPadding)
	var re *RefusalError
	require.True(t, errors.As(err, &re))
	assert.Equal(t, "FingerJetFX", re.Module)
	assert.Contains(t, err.Error(), "all 7 minutiae")
}
