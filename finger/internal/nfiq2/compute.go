package nfiq2

import (
	"image"
	"math"
	"sync"
)

// Measure is one native quality measure under NIST's name.
type Measure struct {
	Name  string
	Value float64
}

// Feedback holds NFIQ 2's actionable quality feedback values (the raw
// values; the flags fire as described on each field). NaN means "not
// computed".
type Feedback struct {
	// UniformImage is the standard deviation of the cropped image;
	// flagged when < 1.
	UniformImage float64
	// EmptyImageOrContrastTooLow is the mean grey value (Mu) of the cropped
	// image; flagged when > 250.
	EmptyImageOrContrastTooLow float64
	// SufficientFingerprintForeground is the number of foreground (ROI)
	// pixels; flagged when < 50000. NaN after an early stop.
	SufficientFingerprintForeground float64
}

// Feedback thresholds used by NFIQ 2.
const (
	UniformImageThreshold                    = 1.0
	EmptyImageOrContrastTooLowThreshold      = 250.0
	SufficientFingerprintForegroundThreshold = 50000.0
)

// IsUniform reports whether the UniformImage feedback fires.
func (f Feedback) IsUniform() bool { return f.UniformImage < UniformImageThreshold }

// IsEmptyOrLowContrast reports whether EmptyImageOrContrastTooLow fires.
func (f Feedback) IsEmptyOrLowContrast() bool {
	return f.EmptyImageOrContrastTooLow > EmptyImageOrContrastTooLowThreshold
}

// Result is the output of Compute.
type Result struct {
	// Measures holds the 65 native measures Compute produces, in the order
	// of FeatureNames (the four minutiae measures are skipped). When a
	// module NIST runs after FingerJetFX refused the image, it holds the
	// measures of the modules that computed.
	Measures []Measure
	// Feedback holds the actionable feedback values.
	Feedback Feedback
	// Cropped is the image after removing the near-white frame; every
	// measure is computed on it.
	Cropped *image.Gray
	// Crop is the rectangle of the input image that Cropped holds.
	Crop image.Rectangle
}

// Value returns the measure with the given NIST name.
func (r *Result) Value(name string) (float64, bool) {
	if r == nil {
		return 0, false
	}
	for _, m := range r.Measures {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}

// Compute crops img with CropNearWhiteFrame and computes every native NFIQ 2
// measure except the four FingerJetFX minutiae measures. img must be an
// 8-bit grayscale image at 500 ppi (other resolutions are processed as if
// they were 500 ppi).
//
// It refuses an image exactly where NIST's NFIQ 2 v2.3.0 does, with an
// *Error naming the module and carrying NIST's message: the crop
// (ErrInvalidImage, ErrBlank, ErrTooSmall, ErrTooLarge) and FDA
// (ErrInsufficientData) give a nil Result; the modules NIST runs after
// FingerJetFX (ErrNoLocalClarity, ErrNoOrientationCertainty,
// ErrNoOrientationFlow, ErrNoRidgeValleyData; the first in NIST's module
// order wins) give a Result with the other modules' measures and the
// cropped image,
// so that the caller can run FingerJetFX first, as NIST does, and report
// its refusal instead. A uniform or empty image (feedback UniformImage or
// EmptyImageOrContrastTooLow) is not refused for that: NIST's NFIQ 2
// computes its measures all the same, and its modules refuse it (FDA, for
// a constant image) or score it.
func Compute(img *image.Gray) (*Result, error) {
	g, err := fromImage(img)
	if err != nil {
		return nil, err
	}
	c, rect, err := crop(g)
	if err != nil {
		return nil, err
	}
	res := &Result{Cropped: c.toImage(), Crop: rect.Add(img.Rect.Min)}
	mu, sigma := muSigma(c)
	res.Feedback = Feedback{UniformImage: sigma, EmptyImageOrContrastTooLow: mu, SufficientFingerprintForeground: math.NaN()}

	bg := newBlockGrid(c)
	fda, err := fdaHistogram(c, bg)
	if err != nil {
		return nil, err
	}
	var (
		wg                           sync.WaitGroup
		roi                          roiResult
		lcs, ocl, of, rv             [12]float64
		mmbV                         float64
		lcsErr, oclErr, ofErr, rvErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		roi = computeROI(c)
	}()
	go func() {
		defer wg.Done()
		rv, rvErr = rvupHistogram(c, bg)
		of, ofErr = ofHistogram(bg)
	}()
	lcs, lcsErr = lcsHistogram(c, bg)
	ocl, oclErr = oclHistogram(c)
	mmbV = mmb(c)
	wg.Wait()
	res.Feedback.SufficientFingerprintForeground = float64(roi.pixels)
	cohRel, cohSum := coherence(c, roi)

	vals := make(map[string]float64, 65)
	put := func(prefix string, h [12]float64, err error) {
		if err != nil {
			return
		}
		for i := 0; i < 10; i++ {
			vals[prefix+string(rune('0'+i))] = h[i]
		}
		vals[prefix+"Mean"] = h[10]
		vals[prefix+"StdDev"] = h[11]
	}
	put("FDA_Bin10_", fda, nil)
	put("LCS_Bin10_", lcs, lcsErr)
	put("OCL_Bin10_", ocl, oclErr)
	put("OF_Bin10_", of, ofErr)
	put("RVUP_Bin10_", rv, rvErr)
	vals["ImgProcROIArea_Mean"] = roi.mean
	vals["MMB"] = mmbV
	vals["Mu"] = mu
	vals["OrientationMap_ROIFilter_CoherenceRel"] = cohRel
	vals["OrientationMap_ROIFilter_CoherenceSum"] = cohSum
	res.Measures = make([]Measure, 0, 65)
	for _, n := range FeatureNames {
		if v, ok := vals[n]; ok {
			res.Measures = append(res.Measures, Measure{Name: n, Value: v})
		}
	}
	// NIST's module order: LCS, Mu, OCL, OF, QualityMap, RVUP. The
	// Result keeps the measures of the modules that computed.
	for _, err := range [...]error{lcsErr, oclErr, ofErr, rvErr} {
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// BlockMean returns the mean grey value of img over r (clipped to the image
// bounds) as cv::mean computes it: the integer sum times the reciprocal of
// the pixel count. It returns 0 for an empty intersection. The minutiae
// quality measure FJFXPos_Mu_MinutiaeQuality_2 uses it on 32×32 blocks.
func BlockMean(img *image.Gray, r image.Rectangle) float64 {
	if img == nil {
		return 0
	}
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return 0
	}
	s := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		off := img.PixOffset(r.Min.X, y)
		for _, v := range img.Pix[off : off+r.Dx()] {
			s += int(v)
		}
	}
	return float64(s) * (1.0 / float64(r.Dx()*r.Dy()))
}

// BlockOCL returns NFIQ 2's orientation certainty level of the 32×32 block
// of img whose top-left corner is at (x, y): 1 - λmin/λmax of the covariance
// of the numerical gradients. ok is false when the block does not lie
// inside img or has no gradient at all (λmax = 0). The minutiae quality
// measure FJFXPos_OCL_MinutiaeQuality_80 uses it.
func BlockOCL(img *image.Gray, x, y int) (ocl float64, ok bool) {
	if img == nil {
		return 0, false
	}
	r := image.Rect(x, y, x+blockSize, y+blockSize)
	if !r.In(img.Bounds()) {
		return 0, false
	}
	g := gray{w: blockSize, h: blockSize, p: make([]uint8, blockSize*blockSize)}
	for yy := 0; yy < blockSize; yy++ {
		off := img.PixOffset(x, y+yy)
		copy(g.p[yy*blockSize:], img.Pix[off:off+blockSize])
	}
	gx := make([]float64, blockSize*blockSize)
	gy := make([]float64, blockSize*blockSize)
	return oclBlock(g, 0, 0, gx, gy)
}
