package synth

import (
	"image"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// fingerLevels are the named fingerprint quality levels.
var fingerLevels = map[string]FingerDegradation{
	"good":    {},
	"rotated": {Rotation: 20},
	"faint":   {Contrast: 0.3},
	"noisy":   {Noise: 70},
	"blurred": {Blur: 4},
	"dry":     {Dryness: 1},
	"wet":     {Wetness: 0.8},
	"smudged": {Dryness: 0.6, Wetness: 0.6},
	"partial": {PartialContact: 0.7},
}

// FingerLevels returns the names of the fingerprint quality levels
// FingerLevel knows, sorted.
func FingerLevels() []string {
	var names []string
	for n := range fingerLevels {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// FingerLevel returns the degradation of a named quality level: "good"
// (none), "rotated" (20°), "faint" (contrast 0.3), "noisy" (noise σ 70),
// "blurred" (blur σ 4), "partial" (70 % contact loss), "wet" (wetness 0.8),
// "dry" (dryness 1) or "smudged" (dryness and wetness 0.6). With the
// project's NFIQ 2 scorer and the default profile, "smudged" fails the
// score floor, "dry" scores close to it, and the others pass it with lower
// scores than "good" (see ExpectFinger).
func FingerLevel(name string) (FingerDegradation, error) {
	d, ok := fingerLevels[strings.ToLower(name)]
	if !ok {
		return d, paramErr("level", "unknown fingerprint level %q (want one of %s)", name, strings.Join(FingerLevels(), ", "))
	}
	return d, nil
}

// ParseFingerDegradation parses a comma-separated list of KEY=VALUE
// degradations, for example "noise=20,blur=1.5". Keys: scale, rotation
// (rotate), contact (partial_contact: the fraction lost), dry (dryness),
// wet (wetness), contrast, blur, noise. A bare level name ("noisy") stands
// for that level's values; later keys override earlier ones.
func ParseFingerDegradation(s string) (FingerDegradation, error) {
	var d FingerDegradation
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		if !ok {
			lv, err := FingerLevel(item)
			if err != nil {
				return d, paramErr("degrade", "%q: want KEY=VALUE or a level name (%s)", item, strings.Join(FingerLevels(), ", "))
			}
			d = mergeFinger(d, lv)
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return d, paramErr("degrade", "%q: %q is not a number", item, v)
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "scale":
			d.Scale = f
		case "rotation", "rotate", "rot":
			d.Rotation = f
		case "contact", "partial", "partial_contact":
			d.PartialContact = f
		case "dry", "dryness":
			d.Dryness = f
		case "wet", "wetness":
			d.Wetness = f
		case "contrast":
			d.Contrast = f
		case "blur":
			d.Blur = f
		case "noise":
			d.Noise = f
		default:
			return d, paramErr("degrade", "unknown key %q (want scale, rotation, contact, dry, wet, contrast, blur or noise)", k)
		}
	}
	return d, d.Validate()
}

func mergeFinger(a, b FingerDegradation) FingerDegradation {
	if b.Scale != 0 {
		a.Scale = b.Scale
	}
	if b.Rotation != 0 {
		a.Rotation = b.Rotation
	}
	if b.PartialContact != 0 {
		a.PartialContact = b.PartialContact
	}
	if b.Dryness != 0 {
		a.Dryness = b.Dryness
	}
	if b.Wetness != 0 {
		a.Wetness = b.Wetness
	}
	if b.Contrast != 0 {
		a.Contrast = b.Contrast
	}
	if b.Blur != 0 {
		a.Blur = b.Blur
	}
	if b.Noise != 0 {
		a.Noise = b.Noise
	}
	return a
}

// ParseFaceVariant parses a face variant name: one or more of the tokens
// below joined by "+", for example "roll12+q10".
//
//	rollN     the eye line tilted exactly N degrees (levelled, then turned)
//	turnN     turned N degrees about the eye midpoint, relative to the source
//	level     eye line made horizontal
//	iedN      scaled to an inter-eye distance of N px
//	shiftN    moved N % of the width to the right (negative: left)
//	dark      gain 0.2            bright    gain 2.5
//	gainX     gain X              gammaX    gamma X
//	unevenN   left-right light ramp of ±N % (uneven alone: 70 %)
//	blurS     Gaussian blur σ = S px
//	noiseS    Gaussian noise σ = S levels
//	qN        JPEG quality N (also jpegN)
//	grey      greyscale (also gray)
//	clutterN  background clutter N % (clutter alone: 60 %)
//
// Numbers may be negative or fractional ("roll-8", "blur2.5").
func ParseFaceVariant(s string) (FaceDegradation, error) {
	var d FaceDegradation
	if strings.TrimSpace(s) == "" {
		return d, paramErr("variant", "empty variant")
	}
	for _, tok := range strings.Split(s, "+") {
		tok = strings.ToLower(strings.TrimSpace(tok))
		name, num, hasNum := splitToken(tok)
		need := func() (float64, error) {
			if !hasNum {
				return 0, paramErr("variant", "%q needs a number, e.g. %s12", tok, name)
			}
			return num, nil
		}
		var err error
		switch name {
		case "roll":
			d.Level = true
			d.Roll, err = need()
		case "turn", "tilt":
			d.Roll, err = need()
		case "level":
			d.Level = true
		case "ied":
			d.IED, err = need()
		case "shift", "offcentre", "offcenter":
			var v float64
			v, err = need()
			d.ShiftX = v / 100
		case "dark":
			d.Gain = 0.2
		case "bright", "overexposed":
			d.Gain = 2.5
		case "gain":
			d.Gain, err = need()
		case "gamma":
			d.Gamma, err = need()
		case "uneven":
			d.Uneven = 0.7
			if hasNum {
				d.Uneven = num / 100
			}
		case "blur":
			d.Blur, err = need()
		case "noise":
			d.Noise, err = need()
		case "q", "jpeg":
			var v float64
			v, err = need()
			if err == nil && (v != math.Trunc(v) || v < 1 || v > 100) {
				err = paramErr("variant", "%q: JPEG quality must be a whole number 1-100", tok)
			}
			d.JPEGQuality = int(v)
		case "grey", "gray", "greyscale", "grayscale":
			d.Greyscale = true
		case "clutter":
			d.Clutter = 0.6
			if hasNum {
				d.Clutter = num / 100
			}
		default:
			return d, paramErr("variant", "unknown token %q in %q", tok, s)
		}
		if err != nil {
			return d, err
		}
	}
	return d, d.Validate()
}

// splitToken splits "roll-12.5" into "roll", -12.5.
func splitToken(tok string) (string, float64, bool) {
	i := strings.IndexAny(tok, "-0123456789.")
	if i <= 0 {
		return tok, 0, false
	}
	v, err := strconv.ParseFloat(tok[i:], 64)
	if err != nil {
		return tok, 0, false
	}
	return tok[:i], v, true
}

// Margins keep expectations away from the profile limits, where the
// assessors' own measurement error could decide either way.
const (
	rollMarginDeg  = 2.0
	iedMarginPx    = 3.0
	centreMargin   = 0.02
	faceCode       = "face."
	fingerScoreKey = thresholds.CodeFingerScore
)

// Expectations are the decision reason codes a sample must raise (Fail)
// and must not raise (Pass) under a profile.
type Expectations struct {
	Fail, Pass []string
}

func (e *Expectations) add(fail bool, code string) {
	if fail {
		e.Fail = append(e.Fail, code)
	} else {
		e.Pass = append(e.Pass, code)
	}
}

// ExpectFinger returns the expectations of a synthetic print degraded by d
// under profile p, calibrated on the project's NFIQ 2 scorer (synthetic
// prints score about 60-70 undegraded). NFIQ 2 measures ridge structure,
// so it is little moved by noise, moderate blur or faint contrast on their
// own (noise σ 128 still scores about 30-40, blur σ 2.5 px at least 60);
// what breaks the ridge flow makes it fail. Blur beyond σ 3 px wipes out
// the ridges of these prints (period about 9 px) so far that NFIQ 2's
// minutiae stage refuses most of them as FingerJetFX does (too small a
// footprint, fewer than 4 minutiae: 3 of 12 seeds at σ 3, 11 of 12 at
// σ 4), so the score is not asserted there. The NFIQ 2 score floor must fail for a print that is
// both dry and wet (each ≥ 0.6, "smudged": scores 5-12) when not also
// blurred (σ ≤ 0.5 px), noisy (σ ≤ 5), cut (contact loss ≤ 20 %), turned
// (≤ 10°) or rescaled (≤ 5 %); a fully dry print scores 10-17, too close to
// the floor of 15 to assert either way. It must pass for noise σ ≤ 100, blur σ ≤ 2.5 px, contrast ≥ 0.1,
// contact loss ≤ 60 % and a scale within 10 %, provided the print is
// neither dry nor wet, or only mildly so (dryness ≤ 0.5, wetness ≤ 0.7,
// their sum ≤ 0.7) and not blurred beyond σ 1.5 px (blur turns dry breaks
// into smudges). Between the two nothing is asserted.
func ExpectFinger(p *thresholds.Profile, d FingerDegradation) Expectations {
	var e Expectations
	if p == nil || p.Finger.RecaptureBelow <= 0 {
		return e
	}
	smudged := d.Dryness >= 0.6 && d.Wetness >= 0.6 && d.Blur <= 0.5 && d.Noise <= 5 &&
		d.PartialContact <= 0.2 && math.Abs(d.Rotation) <= 10 && (d.Scale == 0 || math.Abs(d.Scale-1) <= 0.05)
	severe := smudged
	dryWet := d.Dryness + d.Wetness
	mild := d.Noise <= 100 && d.Blur <= 2.5 && (d.Contrast == 0 || d.Contrast >= 0.1) &&
		d.PartialContact <= 0.6 && (d.Scale == 0 || math.Abs(d.Scale-1) <= 0.1) &&
		(dryWet == 0 || (d.Blur <= 1.5 && d.Dryness <= 0.5 && d.Wetness <= 0.7 && dryWet <= 0.7))
	switch {
	case severe:
		e.add(true, fingerScoreKey)
	case mild:
		e.add(false, fingerScoreKey)
	}
	return e
}

// ExpectFace returns the expectations of a face image of size w×h with
// ground-truth eyes, made with degradation d, under profile p. The
// geometric checks the profile enables (inter-eye distance, roll,
// centring, image size) are decided from the exact ground truth, with a
// margin around each limit (3 px, 2°, 2 % of the width) where nothing is
// asserted. The photometric ones are asserted to fail only for strong
// degradations: gain ≤ 0.25 (UnderExposurePrevention), gain ≥ 2.5
// (OverExposurePrevention), JPEG quality ≤ 15 (CompressionArtifacts; a
// quality of at least 90 must pass), blur σ ≥ 4 % of the inter-eye distance
// (Sharpness), |uneven| ≥ 0.6 (IlluminationUniformity), clutter ≥ 0.5
// (BackgroundUniformity) and greyscale (ColourImage), each only when the
// profile sets that check.
func ExpectFace(p *thresholds.Profile, w, h int, eyes Eyes, d FaceDegradation) Expectations {
	var e Expectations
	if p == nil {
		return e
	}
	f := p.Face
	if f.MinImageWidthPx > 0 {
		e.add(w < f.MinImageWidthPx, faceCode+quality.ImageWidth)
	}
	if f.MinImageHeightPx > 0 {
		e.add(h < f.MinImageHeightPx, faceCode+quality.ImageHeight)
	}
	if lim := f.MinInterEyePx; lim > 0 {
		switch ied := eyes.IED(); {
		case ied < lim-iedMarginPx:
			e.add(true, faceCode+quality.InterEyeDistance)
		case ied >= lim+iedMarginPx:
			e.add(false, faceCode+quality.InterEyeDistance)
		}
	}
	if lim := f.MaxRollDeg; lim > 0 {
		switch r := math.Abs(eyes.Roll()); {
		case r > lim+rollMarginDeg:
			e.add(true, faceCode+quality.HeadPoseRoll)
		case r < lim-rollMarginDeg:
			e.add(false, faceCode+quality.HeadPoseRoll)
		}
	}
	if lim := f.MaxCentreOffset; lim > 0 && w > 0 {
		switch off := math.Abs(eyes.Mid().X-float64(w-1)/2) / float64(w); {
		case off > lim+centreMargin:
			e.add(true, faceCode+quality.HorizontalCentring)
		case off < lim-centreMargin:
			e.add(false, faceCode+quality.HorizontalCentring)
		}
	}
	if f.RequireColour && d.Greyscale {
		e.add(true, faceCode+quality.ColourImage)
	}
	floor := func(name string) bool { _, ok := f.MinComponents[name]; return ok }
	if floor(quality.UnderExposurePrevention) && d.Gain > 0 && d.Gain <= 0.25 {
		e.add(true, faceCode+quality.UnderExposurePrevention)
	}
	if floor(quality.OverExposurePrevention) && d.Gain >= 2.5 {
		e.add(true, faceCode+quality.OverExposurePrevention)
	}
	if floor(quality.CompressionArtifacts) && d.JPEGQuality > 0 {
		switch {
		case d.JPEGQuality <= 15:
			e.add(true, faceCode+quality.CompressionArtifacts)
		case d.JPEGQuality >= 90:
			e.add(false, faceCode+quality.CompressionArtifacts)
		}
	}
	if floor(quality.Sharpness) && d.Blur > 0 && d.Blur >= 0.04*eyes.IED() {
		e.add(true, faceCode+quality.Sharpness)
	}
	if floor(quality.IlluminationUniformity) && math.Abs(d.Uneven) >= 0.6 {
		e.add(true, faceCode+quality.IlluminationUniformity)
	}
	if floor(quality.BackgroundUniformity) && d.Clutter >= 0.5 {
		e.add(true, faceCode+quality.BackgroundUniformity)
	}
	return e
}

// FingerSample generates a synthetic print with params p, degrades it by d
// (drawing from p.Seed), and describes it in a sidecar whose expectations
// refer to profile prof (nil: thresholds.Default). level, when not empty,
// is recorded as the sample's named quality level.
func FingerSample(name string, p FingerParams, d FingerDegradation, level string, prof *thresholds.Profile) (*Sample, error) {
	if prof == nil {
		var err error
		if prof, err = thresholds.Embedded(thresholds.Default); err != nil {
			return nil, err
		}
	}
	img, err := Fingerprint(p)
	if err != nil {
		return nil, err
	}
	if !d.IsZero() {
		if img, err = DegradeFinger(img, d, p.Seed); err != nil {
			return nil, err
		}
	}
	pd, _ := p.withDefaults()
	ex := ExpectFinger(prof, d)
	sc := &Sidecar{
		Schema: SidecarSchema, Generator: Generator, Name: name, Image: name + ".png",
		Modality: "finger", Width: img.Rect.Dx(), Height: img.Rect.Dy(), PPI: FingerPPI,
		Seed: p.Seed, Finger: &pd, Level: level, Profile: prof.Name,
		ExpectFail: ex.Fail, ExpectPass: ex.Pass,
	}
	if !d.IsZero() {
		sc.FingerDegradation = &d
	}
	return &Sample{Image: img, Sidecar: sc}, nil
}

// FaceSample degrades the portrait src (whose eyes are given) as the
// named variant (see ParseFaceVariant), with seed for its random parts,
// and describes it in a sidecar with the exact output eyes and the
// expectations under profile prof (nil: thresholds.Default). source names
// the portrait in the sidecar (its base name is kept). JPEG variants are
// written as NAME.jpg with the encoder's bytes.
func FaceSample(name string, src image.Image, source string, eyes Eyes, variant string, seed uint64, prof *thresholds.Profile) (*Sample, error) {
	if prof == nil {
		var err error
		if prof, err = thresholds.Embedded(thresholds.Default); err != nil {
			return nil, err
		}
	}
	d, err := ParseFaceVariant(variant)
	if err != nil {
		return nil, err
	}
	d.Seed = seed
	img, out, jpg, err := DegradeFace(src, eyes, d)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	ex := ExpectFace(prof, b.Dx(), b.Dy(), out, d)
	ext := ".png"
	if jpg != nil {
		ext = ".jpg"
	}
	srcEyes := eyes
	sc := &Sidecar{
		Schema: SidecarSchema, Generator: Generator, Name: name, Image: name + ext,
		Modality: "face", Width: b.Dx(), Height: b.Dy(), Seed: seed,
		Source: filepath.Base(source), SourceEyes: &srcEyes, Variant: variant, FaceDegradation: &d,
		Eyes: &out, IED: round3(out.IED()), Roll: round3(out.Roll()),
		Profile: prof.Name, ExpectFail: ex.Fail, ExpectPass: ex.Pass,
	}
	if source == "" {
		sc.Source = ""
	}
	return &Sample{Image: img, JPEG: jpg, Sidecar: sc}, nil
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// VariantName turns a variant into a file-name-safe suffix ("roll-8+q10"
// becomes "roll-8_q10").
func VariantName(variant string) string {
	r := strings.NewReplacer("+", "_", "/", "_", `\`, "_", " ", "")
	return r.Replace(strings.ToLower(strings.TrimSpace(variant)))
}
