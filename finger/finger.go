package finger

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"math"
	"strings"

	"github.com/biogate/biogate/finger/internal/forest"
	"github.com/biogate/biogate/finger/internal/nfiq2"
	"github.com/biogate/biogate/finger/minutiae"
	"github.com/biogate/biogate/quality"
)

// Errors callers can test with errors.Is.
var (
	// ErrUnscorable: NFIQ 2 could not score the image (no finger, a
	// mis-placed finger, a blank or too small image).
	ErrUnscorable = errors.New("NFIQ 2 cannot score this image")
	// ErrResolution: the image's resolution is not one the assessor
	// handles (see the package documentation).
	ErrResolution = errors.New("unsupported fingerprint resolution")
	// ErrTooSmall: the image is smaller than MinImageSize on a side at
	// 500 ppi, too small to hold a fingerprint. The error (a
	// *SizeError inside an *UnscorableError) also matches ErrUnscorable;
	// callers that treat a too small input as unusable rather than as a
	// capture to look at test ErrTooSmall first.
	ErrTooSmall = errors.New("image too small for a fingerprint")
)

// MinImageSize is the smallest width and height, in pixels at 500 ppi,
// that Assess analyses: NFIQ 2's local measures need at least one 32×32
// block inside a 2-pixel border, and its cropped image must be at least
// 36×36 pixels.
const MinImageSize = 36

// SizeError reports an image smaller than MinImageSize on a side at
// 500 ppi. It matches ErrTooSmall under errors.Is.
type SizeError struct {
	// Width and Height are the image's size in pixels as given.
	Width, Height int
	// PPI is the declared resolution, 0 when taken as 500 ppi.
	PPI float64
}

// Error implements the error interface.
func (e *SizeError) Error() string {
	at := ""
	if e.PPI > 0 {
		at = fmt.Sprintf(" at %g ppi", e.PPI)
	}
	return fmt.Sprintf("image %dx%d%s is too small for a fingerprint (minimum %dx%d at 500 ppi)", e.Width, e.Height, at, MinImageSize, MinImageSize)
}

// Is reports whether target is ErrTooSmall.
func (e *SizeError) Is(target error) bool { return target == ErrTooSmall }

// UnscorableError says why NFIQ 2 could not score an image. It matches
// ErrUnscorable with errors.Is.
type UnscorableError struct {
	// Reason says what NFIQ 2 found, in words for the operator's log.
	Reason string
	// Err is the underlying error, if any.
	Err error
}

// Error implements the error interface.
func (e *UnscorableError) Error() string { return "NFIQ 2 cannot score this image: " + e.Reason }

// Is reports whether target is ErrUnscorable.
func (e *UnscorableError) Is(target error) bool { return target == ErrUnscorable }

// Unwrap returns the underlying error.
func (e *UnscorableError) Unwrap() error { return e.Err }

// unscorable returns an *UnscorableError whose reason is reason followed
// by err's message, which names its package once ("minutiae: image too
// large", not "minutiae: minutiae: image too large"; NFIQ 2's own "nfiq2: "
// is dropped).
func unscorable(reason string, err error) error {
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "nfiq2: ")
		if reason != "" && strings.HasPrefix(msg, reason) {
			msg = strings.TrimPrefix(msg, reason)
		}
		reason += msg
	}
	return &UnscorableError{Reason: reason, Err: err}
}

// Scorer turns the 69 native measures, in NIST's order (FeatureNames), into
// the 0-100 unified score and names the model that does it.
type Scorer = forest.Scorer

// FeatureNames lists NFIQ 2's 69 native quality measures in NIST's
// feature-vector order.
var FeatureNames = nfiq2.FeatureNames

// EmbeddedModel returns the project's own NFIQ 2 compatible model.
func EmbeddedModel() Scorer { return forest.Embedded() }

// LoadNFIQ2Model reads an OpenCV RTrees model file in the layout of NIST's
// nist_plain_tir-ink.yaml. When the file is NIST's own (its MD5 matches),
// scores are reported as model "nfiq2"; any other forest is reported under
// its file's MD5.
func LoadNFIQ2Model(path string) (Scorer, error) {
	f, err := forest.LoadOpenCVFile(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Options configure an Assessor. A nil *Options means the defaults.
type Options struct {
	// Model scores the measures; nil means EmbeddedModel().
	Model Scorer
}

// Assessor computes NFIQ 2 for fingerprint images.
type Assessor struct {
	model Scorer
}

// New returns an Assessor.
func New(opts *Options) *Assessor {
	a := &Assessor{}
	if opts != nil {
		a.model = opts.Model
	}
	if a.model == nil {
		a.model = EmbeddedModel()
	}
	return a
}

// Feedback holds NFIQ 2's actionable quality feedback values under NIST's
// names, with whether each one fired.
type Feedback struct {
	// UniformImage is the standard deviation of the image; fires below 1.
	UniformImage float64 `json:"UniformImage"`
	// EmptyImageOrContrastTooLow is the mean grey value; fires above 250.
	EmptyImageOrContrastTooLow float64 `json:"EmptyImageOrContrastTooLow"`
	// FingerprintImageWithMinutiae is the minutiae count; fires below 5.
	FingerprintImageWithMinutiae float64 `json:"FingerprintImageWithMinutiae"`
	// SufficientFingerprintForeground is the foreground pixel count; fires
	// below 50000.
	SufficientFingerprintForeground float64 `json:"SufficientFingerprintForeground"`
	// Fired lists the names of the feedback values that fired.
	Fired []string `json:"fired"`
}

// Report is the assessment of one fingerprint image.
type Report struct {
	// Score is the unified score with its model; nil when unscorable.
	Score *quality.Score `json:"-"`
	// Measures holds the 69 native measures under NIST's names, in NIST's
	// order, followed by the score as quality.QualityScore.
	Measures quality.Measures `json:"-"`
	// Feedback holds the actionable feedback.
	Feedback Feedback `json:"feedback"`
	// Minutiae lists the minutiae found, in pixel coordinates of the image
	// as given (mapped back from 500 ppi when Resampled), so that they can
	// be drawn over it.
	Minutiae []minutiae.Minutia `json:"minutiae"`
	// Crop is the region left after NFIQ 2 removed the near-white frame,
	// in the coordinates of the (resampled, when Resampled) 500 ppi image.
	Crop image.Rectangle `json:"-"`
	// PPI is the resolution the measures were computed at (500).
	PPI float64 `json:"ppi"`
	// SourcePPI is the resolution declared by the input, 0 if none.
	SourcePPI float64 `json:"source_ppi,omitempty"`
	// Resampled is true when the image was resampled to 500 ppi.
	Resampled bool `json:"resampled"`
}

// Assess measures img, declared at ppi pixels per inch (0: unknown, taken
// as 500). It returns a report or an error, never neither: on an
// unscorable image the partial report (possibly nil) and an error wrapping
// ErrUnscorable; on an image smaller than MinImageSize at 500 ppi a nil
// report and a *SizeError (ErrTooSmall, also wrapped as ErrUnscorable); on
// an unsupported resolution a nil report and an error wrapping
// ErrResolution.
func (a *Assessor) Assess(img image.Image, ppi float64) (*Report, error) {
	if img == nil || img.Bounds().Empty() {
		return nil, unscorable("empty image", nil)
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy() // at 500 ppi
	resample := false
	switch {
	case ppi == 0 || math.Abs(ppi-500) <= 10:
	case ppi >= 300 && ppi <= 1200:
		w = int(math.Round(float64(b.Dx()) * 500 / ppi))
		h = int(math.Round(float64(b.Dy()) * 500 / ppi))
		resample = true
	default:
		return nil, fmt.Errorf("%w: the image declares %g ppi; NFIQ 2 needs 500 ppi (300-1200 ppi is resampled). If the tag is wrong, give the real resolution (-ppi)", ErrResolution, ppi)
	}
	if w < MinImageSize || h < MinImageSize {
		se := &SizeError{Width: b.Dx(), Height: b.Dy()}
		if resample {
			se.PPI = ppi
		}
		return nil, &UnscorableError{Reason: se.Error(), Err: se}
	}
	g := toGray(img)
	scale := 1.0 // input pixels per 500 ppi pixel
	rep := &Report{PPI: 500, SourcePPI: ppi, Minutiae: []minutiae.Minutia{}}
	if resample {
		g = resizeCatmullRom(g, w, h)
		rep.Resampled = true
		scale = ppi / 500
	}

	res, err := nfiq2.Compute(g)
	if res != nil {
		rep.Feedback = feedbackOf(res.Feedback)
		rep.Crop = res.Crop
	}
	if res == nil {
		// The crop or FDA refused: NIST's NFIQ 2 stops before FingerJetFX.
		return rep, refusalOf(err)
	}
	// A module NIST runs after FingerJetFX may have refused (err): NIST
	// reports FingerJetFX's refusal first, so the minutiae come first.
	late := err
	found, err := minutiae.Find(res.Cropped, minutiae.NFIQ2Options())
	if fe := (*minutiae.FootprintError)(nil); errors.As(err, &fe) {
		// NIST's NFIQ 2 stops here too: FingerJetFX refuses the image
		// with FRFXLL_ERR_FB_TOO_SMALL_AREA. The image measures were
		// computed: the partial report keeps them.
		rep.Feedback.FingerprintImageWithMinutiae = float64(fe.Minutiae)
		rep.Feedback.Fired = fired(rep.Feedback)
		for _, name := range FeatureNames {
			if v, ok := res.Value(name); ok {
				rep.Measures = append(rep.Measures, quality.Native(name, v, ""))
			}
		}
		return rep, &UnscorableError{
			Err: &RefusalError{Check: ErrFootprintTooSmall, Module: "FingerJetFX", NIST: nistFootprintMessage, Err: err},
			Reason: fmt.Sprintf(
				"fingerprint area too small for minutiae extraction (FingerJetFX's FRFXLL_ERR_FB_TOO_SMALL_AREA): "+
					"%d minutiae found (minimum %d); most likely only the fingertip was presented, or the ridges are too faint "+
					"(NIST NFIQ 2: %s)",
				fe.Minutiae, fe.MinMinutiae, nistFootprintMessage)}
	}
	if err != nil {
		return rep, unscorable("minutiae: ", err)
	}
	rep.Feedback.FingerprintImageWithMinutiae = float64(found.Count)
	rep.Feedback.Fired = fired(rep.Feedback)
	if err := inPadding(found); err != nil {
		return rep, err
	}
	if late != nil {
		return rep, refusalOf(late)
	}
	rep.Minutiae = toInput(found.Minutiae, res.Crop.Min, img.Bounds().Min, scale)
	mset := found.Measures(res.Cropped).Map()

	features := make([]float64, len(FeatureNames))
	rep.Measures = make(quality.Measures, 0, len(FeatureNames)+1)
	for i, name := range FeatureNames {
		v, ok := res.Value(name)
		if !ok {
			v, ok = mset[name]
		}
		if !ok {
			return rep, unscorable("measure "+name+" missing", nil)
		}
		features[i] = v
		rep.Measures = append(rep.Measures, quality.Native(name, v, ""))
	}
	score, err := a.model.Score(features)
	if err != nil {
		return rep, unscorable("model: ", err)
	}
	rep.Score = &quality.Score{Name: "NFIQ2", Value: score, Model: a.model.ModelName(), ModelVersion: a.model.ModelVersion()}
	rep.Measures = append(rep.Measures, quality.WithComponent(quality.QualityScore, float64(score), "", float64(score)))
	return rep, nil
}

// toInput moves minutiae found in the cropped 500 ppi image to the
// coordinates of the input image.
func toInput(mins []minutiae.Minutia, crop, origin image.Point, scale float64) []minutiae.Minutia {
	out := make([]minutiae.Minutia, len(mins))
	for i, m := range mins {
		m.X = origin.X + int(math.Round(float64(m.X+crop.X)*scale))
		m.Y = origin.Y + int(math.Round(float64(m.Y+crop.Y)*scale))
		out[i] = m
	}
	return out
}

func feedbackOf(f nfiq2.Feedback) Feedback {
	fb := Feedback{
		UniformImage:                    f.UniformImage,
		EmptyImageOrContrastTooLow:      f.EmptyImageOrContrastTooLow,
		SufficientFingerprintForeground: f.SufficientFingerprintForeground,
		FingerprintImageWithMinutiae:    math.NaN(),
	}
	fb.Fired = fired(fb)
	return fb
}

// Feedback thresholds, as NIST's NFIQ 2 applies them.
const (
	uniformBelow    = 1
	emptyAbove      = 250
	minutiaeBelow   = 5
	foregroundBelow = 50000
)

func fired(f Feedback) []string {
	out := []string{}
	if f.UniformImage < uniformBelow {
		out = append(out, "UniformImage")
	}
	if f.EmptyImageOrContrastTooLow > emptyAbove {
		out = append(out, "EmptyImageOrContrastTooLow")
	}
	if f.FingerprintImageWithMinutiae < minutiaeBelow {
		out = append(out, "FingerprintImageWithMinutiae")
	}
	if f.SufficientFingerprintForeground < foregroundBelow {
		out = append(out, "SufficientFingerprintForeground")
	}
	return out
}

// toGray returns img as *image.Gray with bounds starting at (0, 0).
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	if g, ok := img.(*image.Gray); ok && b.Min == (image.Point{}) {
		return g
	}
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Src)
	return g
}

// MarshalJSON writes the feedback with null for values not computed (NaN).
func (f Feedback) MarshalJSON() ([]byte, error) {
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return json.Marshal(struct {
		UniformImage                    any      `json:"UniformImage"`
		EmptyImageOrContrastTooLow      any      `json:"EmptyImageOrContrastTooLow"`
		FingerprintImageWithMinutiae    any      `json:"FingerprintImageWithMinutiae"`
		SufficientFingerprintForeground any      `json:"SufficientFingerprintForeground"`
		Fired                           []string `json:"fired"`
	}{num(f.UniformImage), num(f.EmptyImageOrContrastTooLow), num(f.FingerprintImageWithMinutiae), num(f.SufficientFingerprintForeground), f.Fired})
}
