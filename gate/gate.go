package gate

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"strings"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// ErrUnscorable marks an assessment that ran but could not produce the
// modality's score (for fingerprints: NFIQ 2 could not score the image). The
// profile decides what that means (USK: warn the operator).
var ErrUnscorable = errors.New("sample could not be scored")

// ErrTooSmall marks an image too small for the modality's assessor to
// look at (faces: under face.MinImageSize; fingerprints: under
// finger.MinImageSize at 500 ppi). Whatever the modality, the gate rejects
// such a sample with the reason thresholds.CodeTooSmall, as it does an
// image the loader refuses as too small (load.ErrTooSmall).
var ErrTooSmall = errors.New("image too small to assess")

// Assessor assesses one modality.
type Assessor interface {
	// Modality says which modality the assessor handles.
	Modality() quality.Modality
	// Assess measures img and fills r's Measures, Score and Detail. An
	// error wrapping ErrTooSmall means the image is too small for the
	// modality; one wrapping ErrUnscorable means the sample was read but
	// could not be scored; any other error means it could not be assessed
	// at all.
	Assess(ctx context.Context, img *load.Image, r *Report) error
}

// Options configure a Gate. A nil *Options means the defaults.
type Options struct {
	// Modality forces every sample to be assessed as this modality;
	// UnknownModality (the default) decides per sample: a colour image is a
	// face; a greyscale image is a fingerprint when its texture shows a long
	// ridge flow, and otherwise what [Modality] makes of its texture and a
	// face search.
	Modality quality.Modality
	// Load bounds what is read from each file.
	Load *load.Options
	// Overrides are recorded in each report's profile reference.
	Overrides []string
	// Open, when set, opens each path the gate reads (AssessFile, Run,
	// RunInputs, RunSeq) in place of the local file system: for example an
	// object store's gs:// or s3:// names. A nil reader with a nil error
	// hands the path back to the local file system. What Open returns is
	// read as [Gate.AssessReader] reads, and closed.
	Open func(ctx context.Context, path string) (io.ReadCloser, error)
}

// Gate assesses sample files against one profile.
type Gate struct {
	profile   *thresholds.Profile
	opts      Options
	assessors map[quality.Modality]Assessor
}

// New returns a gate applying profile with the given assessors (at most one
// per modality).
func New(profile *thresholds.Profile, opts *Options, assessors ...Assessor) (*Gate, error) {
	if profile == nil {
		return nil, errors.New("gate: nil profile")
	}
	g := &Gate{profile: profile.Clone(), assessors: map[quality.Modality]Assessor{}}
	if opts != nil {
		g.opts = *opts
	}
	for _, a := range assessors {
		if _, dup := g.assessors[a.Modality()]; dup {
			return nil, fmt.Errorf("gate: two assessors for %v", a.Modality())
		}
		g.assessors[a.Modality()] = a
	}
	if m := g.opts.Modality; m != quality.UnknownModality && g.assessors[m] == nil {
		return nil, fmt.Errorf("gate: no assessor for %v", m)
	}
	return g, nil
}

// Profile returns a copy of the profile the gate applies.
func (g *Gate) Profile() *thresholds.Profile { return g.profile.Clone() }

// LoadOptions returns the options the gate loads files with (nil means
// the loader's defaults).
func (g *Gate) LoadOptions() *load.Options { return g.opts.Load }

// Ref identifies the profile the gate applies, with the overrides recorded
// in its Options: what each report's Profile holds, and what a batch header
// should record.
func (g *Gate) Ref() thresholds.Ref {
	r := g.profile.Ref()
	r.Overrides = g.opts.Overrides
	return r
}

// AssessFile loads and assesses one file: one report for an image file,
// one per contained image for a biometric record. Problems with the file
// are reported in the Report (Decision Reject, Error set), never returned.
func (g *Gate) AssessFile(ctx context.Context, path string) []Report {
	if g.opts.Open != nil {
		rc, err := g.opts.Open(ctx, path)
		if err != nil {
			return []Report{g.unreadable(path, err)}
		}
		if rc != nil {
			defer rc.Close()
			return g.AssessReader(ctx, path, rc)
		}
	}
	imgs, err := load.FileContext(ctx, path, g.opts.Load)
	return g.AssessLoaded(ctx, path, imgs, err)
}

// AssessLoaded is AssessFile for a file the caller loaded (load.Bytes or
// load.File with [Gate.LoadOptions]): imgs and err are what the loader
// returned, and path names the file in the reports. A service that receives
// the file's bytes gets from it the reports AssessFile gives for the same
// file, while keeping the load error to answer with.
func (g *Gate) AssessLoaded(ctx context.Context, path string, imgs []*load.Image, err error) []Report {
	if err != nil {
		return []Report{g.unreadable(path, err)}
	}
	out := make([]Report, len(imgs))
	for i, img := range imgs {
		out[i] = Report{Path: path}
		g.AssessImage(ctx, img, &out[i])
	}
	return out
}

// AssessReader is AssessFile for a file read from r (an object store's
// stream, an upload): it reads r to its end, or to one byte past the
// loader's MaxFileBytes, which is refused as ErrTooLarge. For the same
// bytes under the same path it gives the reports AssessFile gives.
func (g *Gate) AssessReader(ctx context.Context, path string, r io.Reader) []Report {
	if err := ctx.Err(); err != nil {
		return []Report{g.unreadable(path, err)}
	}
	limit := int64(load.DefaultMaxFileBytes)
	if o := g.opts.Load; o != nil && o.MaxFileBytes > 0 {
		limit = o.MaxFileBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = &load.Error{Path: path, Kind: load.ErrTooLarge, Detail: fmt.Sprintf("more than %d bytes", limit)}
	}
	if err != nil {
		return []Report{g.unreadable(path, err)}
	}
	imgs, err := load.Bytes(path, data, g.opts.Load)
	return g.AssessLoaded(ctx, path, imgs, err)
}

// AssessImage assesses an image already loaded, filling r (whose Path the
// caller sets).
func (g *Gate) AssessImage(ctx context.Context, img *load.Image, r *Report) {
	r.Profile = g.Ref()
	r.Format, r.PPI, r.Record = img.Format, img.PPI, img.Record
	r.Warnings = append(r.Warnings, img.Warnings...)
	if r.Measures == nil {
		r.Measures = quality.Measures{}
	}
	if img.Err != nil || img.Image == nil {
		err := img.Err
		if err == nil {
			err = errors.New("no image")
		}
		err = withoutPath(r.Path, err)
		r.Error = err.Error()
		r.Decision = unusable(err)
		return
	}
	b := img.Image.Bounds()
	r.Width, r.Height = b.Dx(), b.Dy()
	m := g.opts.Modality
	if m == quality.UnknownModality && img.Record != nil {
		// A record says what it holds.
		if rm, err := quality.ParseModality(img.Record.Kind); err == nil && g.assessors[rm] != nil {
			m = rm
		}
	}
	if rm, ok := recordModality(img); ok && m != quality.UnknownModality && m != rm {
		// Forced to the other modality, the record's image would be
		// measured as what it is not ("No face found" for a finger).
		r.Modality = rm
		r.Error = fmt.Sprintf("the record holds a %v image, not a %v: assess it as %v", rm, m, rm)
		r.Decision = quality.Decide(quality.Reason{
			Code: thresholds.CodeWrongModality, Outcome: quality.Reject, Comparison: quality.Present,
			Instruction: fmt.Sprintf("The file cannot be assessed as a %v: it is a biometric record of a %v image; check it as %v.", m, rm, rm),
		})
		return
	}
	var err error
	if m == quality.UnknownModality {
		m, err = g.auto(ctx, img, r)
	} else {
		err = g.assessors[m].Assess(ctx, img, r)
	}
	r.Modality = m
	switch {
	case err == nil:
		r.Checks = g.profile.Checks(m, r.Measures)
		r.Decision = quality.Decide(quality.Failed(r.Checks)...)
		r.Decision.Skipped = g.profile.Skipped(m, r.Measures)
		meshSkipReason(r)
	case errors.Is(err, ErrUnscorable) && !errors.Is(err, ErrTooSmall):
		r.Error = err.Error()
		r.Decision = g.profile.DecideUnscorable(m, err)
	default:
		r.Error = err.Error()
		r.Decision = unusable(err)
	}
}

// unreadable is the report of a path that could not be read.
func (g *Gate) unreadable(path string, err error) Report {
	err = withoutPath(path, err)
	return Report{Path: path, Profile: g.Ref(), Measures: quality.Measures{}, Error: err.Error(), Decision: unusable(err)}
}

// pathlessError is an error whose message leaves out the path that the
// report already shows; it wraps the original for errors.Is.
type pathlessError struct {
	msg string
	err error
}

func (e *pathlessError) Error() string { return e.msg }
func (e *pathlessError) Unwrap() error { return e.err }

// withoutPath returns err with path left out of its message: a report
// line shows the path once ("x.png  The file cannot be assessed: corrupt
// or truncated image", not "…: x.png: corrupt…"). A record image's error
// keeps its index ("image 1: …", for "x.iso[1]: …").
func withoutPath(path string, err error) error {
	msg := err.Error()
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe) && pe.Path == path && msg == pe.Error():
		msg = pe.Err.Error()
	case path != "" && strings.HasPrefix(msg, path+": "):
		msg = msg[len(path)+2:]
	case path != "" && strings.HasPrefix(msg, path+"["):
		msg = "image " + strings.Replace(msg[len(path)+1:], "]", "", 1) // "image 1: …"
	default:
		return err
	}
	return &pathlessError{msg: msg, err: err}
}

// recordModality returns the modality a record declares for img, ok
// false for a plain image file.
func recordModality(img *load.Image) (quality.Modality, bool) {
	if img.Record == nil {
		return quality.UnknownModality, false
	}
	m, err := quality.ParseModality(img.Record.Kind)
	return m, err == nil && m != quality.UnknownModality
}

// meshSkipReason gives the skipped face-mesh checks of r the reason the
// mesh left the face out, where the face assessment says it.
func meshSkipReason(r *Report) {
	d, ok := r.Detail.(FaceDetail)
	if !ok || len(d.Faces) == 0 || d.Faces[0].MeshNotAssessed == "" {
		return
	}
	for i, s := range r.Decision.Skipped {
		switch s.Measure {
		case quality.EyesOpen, quality.MouthClosed, quality.ExpressionNeutrality,
			quality.EyesVisible, quality.MouthOcclusionPrevention, quality.FaceOcclusionPrevention, quality.NoHeadCoverings:
			r.Decision.Skipped[i].Why = "the face mesh did not assess this face: " + d.Faces[0].MeshNotAssessed
		}
	}
}

// unusable is the Reject decision for a sample that could not be assessed:
// input.too_small for an image too small for the modality or the loader,
// input.unreadable otherwise.
func unusable(err error) quality.Decision {
	if errors.Is(err, ErrTooSmall) || errors.Is(err, load.ErrTooSmall) {
		return quality.Unusable(thresholds.CodeTooSmall, err)
	}
	return quality.Unusable(thresholds.CodeUnreadable, err)
}

// auto decides the modality of one image and assesses it (see Modality):
// a colour image is a face; a greyscale one is a fingerprint when its
// texture says so outright, and is otherwise searched for a face first.
func (g *Gate) auto(ctx context.Context, img *load.Image, r *Report) (quality.Modality, error) {
	fa, fi := g.assessors[quality.Face], g.assessors[quality.Finger]
	switch {
	case fa == nil && fi == nil:
		return quality.UnknownModality, errors.New("gate: no assessor configured")
	case fa == nil:
		return quality.Finger, fi.Assess(ctx, img, r)
	case fi == nil:
		return quality.Face, fa.Assess(ctx, img, r)
	}
	if !IsGrey(img.Image) {
		return quality.Face, fa.Assess(ctx, img, r)
	}
	tex := finger.Texture(img.Image, img.PPI)
	if ridgeFlowEvident(tex) {
		return quality.Finger, fi.Assess(ctx, img, r)
	}
	// A quick face search first: on a large greyscale scan with no face,
	// the full search costs seconds (up to 3 s on a 1500×1000 ten-print
	// card), the preview-mode search tens of milliseconds. When it points
	// to a face, the face is assessed as the caller configured it, and the
	// rule is applied again to that assessment, which has the last word.
	if f, ok := fa.(*Face); ok && !f.Preview {
		quick := *r
		quick.Measures = quality.Measures{}
		if shown, err := g.faceShown(ctx, &Face{Assessor: f.Assessor, Preview: true}, img, tex, &quick); err != nil {
			return quality.Face, err
		} else if !shown {
			return quality.Finger, fi.Assess(ctx, img, r)
		}
	}
	fr := *r
	fr.Measures = quality.Measures{}
	if shown, err := g.faceShown(ctx, fa, img, tex, &fr); err != nil {
		return quality.Face, err
	} else if !shown {
		return quality.Finger, fi.Assess(ctx, img, r)
	}
	*r = fr
	return quality.Face, nil
}

// faceShown runs the face assessor fa on img into r and reports whether
// Modality takes the image for a face; an error in the face search
// leaves the image to the fingerprint assessor, except the face models'
// absence (face.ErrModelsUnavailable, a build without the mesh weights),
// which is returned: the image could be a face, and is not assessed.
func (g *Gate) faceShown(ctx context.Context, fa Assessor, img *load.Image, tex finger.TextureStats, r *Report) (bool, error) {
	if err := fa.Assess(ctx, img, r); err != nil {
		if errors.Is(err, face.ErrModelsUnavailable) {
			return false, err
		}
		return false, nil
	}
	n, ok := r.Measures.Value(quality.FaceCount)
	return Modality(tex, ok && n > 0, r.Measures) == quality.Face, nil
}

// Thresholds of Modality, set on the corpus's fingerprints (every
// fingerprint image, the synthetic prints and the refusal probes) and
// face photographs taken as greyscale (TestCorpusModality prints the
// figures):
//   - A portrait's head fills most of the frame (ICAO's photo guidelines
//     ask for a chin-to-crown height of 70-80 % of the image height); a
//     head under smallHeadSize of the height also fails the 120 px
//     inter-eye-distance rule unless the image is over 1400 px tall.
//   - Ridge shares: fingerprints median 0.38, tenth percentile 0.06, and
//     0.16-0.48 on the ten-print card scans where the face finder fires
//     on handwriting or ridges; photographs of people median 0.09, ninetieth
//     percentile 0.17.
//   - Light backgrounds: fingerprints median 0.58 of the pixels at grey
//     200 or over; face photographs the finder misses mostly under 0.4.
//   - Textured blocks: a print on a small sensor fills the frame with
//     texture (textured share 0.9 or more), an empty or blurred capture
//     has next to none (under 0.15); a photograph lies between.
const (
	smallHeadSize     = 0.3
	fingerRidgeShare  = 0.1
	evidentRidgeShare = 0.2
	lightBackground   = 0.4
	fullTexture       = 0.9
	noTexture         = 0.15
	ridgeFlowBlocks   = 64
)

// Modality decides what a greyscale image shows from its texture and from
// the face search: found reports whether a face was found, m holds the
// face assessor's measures.
//
// With a face found, the image is a face unless the face is small
// (HeadSize under 0.3 of the image height) and at least a tenth of the
// textured area is friction-ridge flow: face finders fire on ridge
// patterns and on the handwriting of ten-print cards. With no face found,
// it is a fingerprint only where the image looks like a fingerprint
// capture: a light background (at least 40 % of the pixels at grey 200 or
// over), texture over the whole frame (a print on a small sensor), almost
// no texture at all (an empty or blurred capture), or a ridge flow of 32
// blocks or more over a quarter of the texture. Any other greyscale
// picture is a face, even one the face finder missed (a tight crop, eyes
// closed, sunglasses, a hand over the face): it gets "no face found"
// rather than a fingerprint score.
func Modality(tex finger.TextureStats, found bool, m quality.Measures) quality.Modality {
	if ridgeFlowEvident(tex) {
		return quality.Finger
	}
	if found {
		if hs, ok := m.Value(quality.HeadSize); ok && hs < smallHeadSize && tex.RidgeShare >= fingerRidgeShare {
			return quality.Finger
		}
		return quality.Face
	}
	switch {
	case tex.Light >= lightBackground, tex.Textured >= fullTexture, tex.Textured < noTexture,
		tex.Flow >= ridgeFlowBlocks/2 && tex.RidgeShare >= 0.25:
		return quality.Finger
	}
	return quality.Face
}

// ridgeFlowEvident reports whether an image's texture alone shows a
// fingerprint, so that no face search is needed: a ridge flow of at least
// ridgeFlowBlocks blocks (64 blocks of 16×16 px: about 42 mm² at 500 ppi)
// whose length times the texture's ridge share is at least
// ridgeFlowBlocks·evidentRidgeShare: a fifth of the texture for the
// shortest flow, a tenth for a flow twice as long (the fingers of a
// ten-print card among its handwriting and printed boxes). 84 of the
// corpus's 129 fingerprint images pass, and none of its face photographs
// taken as greyscale but one colour photograph of a patterned mask; the
// nearest greyscale-taken portrait scores 11.6 against the 12.8 needed.
func ridgeFlowEvident(tex finger.TextureStats) bool {
	return tex.Flow >= ridgeFlowBlocks && float64(tex.Flow)*tex.RidgeShare >= ridgeFlowBlocks*evidentRidgeShare
}

// IsGrey reports whether img has no colour: a greyscale model, or RGB pixels
// whose channels never differ by more than 8 levels (sampled on a grid).
func IsGrey(img image.Image) bool {
	switch img.(type) {
	case *image.Gray, *image.Gray16:
		return true
	}
	b := img.Bounds()
	stepX, stepY := max(1, b.Dx()/64), max(1, b.Dy()/64)
	for y := b.Min.Y; y < b.Max.Y; y += stepY {
		for x := b.Min.X; x < b.Max.X; x += stepX {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if diff(r, g) > 8 || diff(g, bl) > 8 || diff(r, bl) > 8 {
				return false
			}
		}
	}
	return true
}

func diff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// Run assesses paths with the given number of workers (0 means one per
// CPU) and calls emit with each report in input order, i being the index of
// the path (a record gives several reports with the same i). It stops early, with
// ctx's error, when ctx is cancelled; reports already emitted stay valid.
// It returns promptly on cancellation even while a worker waits on a read
// (a pipe) or finishes an image, which it then abandons.
func (g *Gate) Run(ctx context.Context, paths []string, workers int, emit func(i int, r Report)) error {
	inputs := make([]Input, len(paths))
	for i, p := range paths {
		inputs[i] = Input{Path: p}
	}
	return g.RunInputs(ctx, inputs, workers, emit)
}

// RunInputs is Run over ExpandInputs' list: an input with Err set gets a
// Reject report (input.unreadable) saying why, in its place. It is RunSeq
// over the slice.
func (g *Gate) RunInputs(ctx context.Context, inputs []Input, workers int, emit func(i int, r Report)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return g.RunSeq(ctx, slices.Values(inputs), min(workers, max(1, len(inputs))), emit)
}
