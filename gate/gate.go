package gate

import (
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"

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
	// face; a greyscale image is a face when a face is found, unless the
	// face is small and the image carries fingerprint ridges (see
	// FingerprintLike), and a fingerprint otherwise.
	Modality quality.Modality
	// Load bounds what is read from each file.
	Load *load.Options
	// Overrides are recorded in each report's profile reference.
	Overrides []string
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
	imgs, err := load.File(path, g.opts.Load)
	return g.AssessLoaded(ctx, path, imgs, err)
}

// AssessLoaded is AssessFile for a file the caller loaded (load.Bytes or
// load.File with [Gate.LoadOptions]): imgs and err are what the loader
// returned, and path names the file in the reports. A service that receives
// the file's bytes gets from it the reports AssessFile gives for the same
// file, while keeping the load error to answer with.
func (g *Gate) AssessLoaded(ctx context.Context, path string, imgs []*load.Image, err error) []Report {
	if err != nil {
		r := Report{Path: path, Profile: g.Ref(), Measures: quality.Measures{}}
		r.Error = err.Error()
		r.Decision = unusable(err)
		return []Report{r}
	}
	out := make([]Report, len(imgs))
	for i, img := range imgs {
		out[i] = Report{Path: path}
		g.AssessImage(ctx, img, &out[i])
	}
	return out
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
	case errors.Is(err, ErrUnscorable) && !errors.Is(err, ErrTooSmall):
		r.Error = err.Error()
		r.Decision = g.profile.DecideUnscorable(m, err)
	default:
		r.Error = err.Error()
		r.Decision = unusable(err)
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

// auto assesses as a face first when a face assessor exists; if no face is
// found in a greyscale image, or the face found is small and the image
// carries fingerprint ridges, it assesses as a fingerprint instead.
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
	face := *r
	face.Measures = quality.Measures{}
	err := fa.Assess(ctx, img, &face)
	if n, ok := face.Measures.Value(quality.FaceCount); err == nil && ok && n > 0 && !FingerprintLike(img, face.Measures) {
		*r = face
		return quality.Face, nil
	}
	return quality.Finger, fi.Assess(ctx, img, r)
}

// Thresholds of FingerprintLike. A portrait's head fills most of the frame
// (ICAO's photo guidelines ask for a chin-to-crown height of 70-80 % of the
// image height), and
// a head under smallHeadSize of the height also fails the 120 px
// inter-eye-distance rule unless the image is over 1400 px tall. Ridge
// shares (finger.RidgeShare, TestCorpusRidgeShare): fingerprints median
// 0.39, tenth percentile 0.09, and 0.16-0.48 on the four ten-print card
// scans where the face finder fires on handwriting or ridges; photographs
// of people median 0.03, ninetieth percentile 0.16 (dark and
// low-contrast ones up to 0.26), hence the second condition, a small face.
// Together they would take 15 of the corpus's 218 face photographs for
// fingerprints were they greyscale (TestCorpusModality; all are colour).
const (
	smallHeadSize    = 0.3
	fingerRidgeShare = 0.1
)

// FingerprintLike reports whether a greyscale image in which the face
// assessor found a face (its measures m) is more likely a fingerprint: the
// face is small (HeadSize under 0.3 of the image height) and at least a
// tenth of the image's textured area is friction-ridge flow
// (finger.RidgeShare at the image's declared resolution). Face finders
// fire on ridge patterns and on the handwriting of ten-print cards.
func FingerprintLike(img *load.Image, m quality.Measures) bool {
	if hs, ok := m.Value(quality.HeadSize); !ok || hs >= smallHeadSize {
		return false
	}
	return finger.RidgeShare(img.Image, img.PPI) >= fingerRidgeShare
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
func (g *Gate) Run(ctx context.Context, paths []string, workers int, emit func(i int, r Report)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(1, len(paths)))
	type result struct {
		i int
		r []Report
	}
	jobs := make(chan int)
	results := make(chan result, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				rep := g.AssessFile(ctx, paths[i])
				select {
				case results <- result{i, rep}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range paths {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	pending := map[int][]Report{}
	next := 0
	for res := range results {
		pending[res.i] = res.r
		for {
			rs, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			for _, r := range rs {
				if ctx.Err() == nil {
					emit(next, r)
				}
			}
			next++
		}
	}
	return ctx.Err()
}
