package face

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"sync"

	"github.com/biogate/biogate/face/internal/cascade"
	"github.com/biogate/biogate/face/internal/facemesh"
	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/quality"
)

// Sentinel errors for unusable input; test with errors.Is.
var (
	// ErrNilImage reports a nil image.
	ErrNilImage = errors.New("face: nil image")
	// ErrEmptyImage reports an image with no pixels.
	ErrEmptyImage = errors.New("face: empty image")
	// ErrTooSmall reports an image (or region of interest) smaller than
	// MinImageSize in either dimension.
	ErrTooSmall = errors.New("face: image too small to search for a face")
	// ErrLandmarks reports caller-supplied landmarks that cannot be used:
	// non-finite coordinates, or eye centres less than 1 px apart.
	ErrLandmarks = errors.New("face: unusable landmarks")
	// ErrCascade reports an embedded cascade that could not be parsed (a
	// build problem, never expected at run time).
	ErrCascade = errors.New("face: cannot load embedded cascade")
	// ErrModelsUnavailable reports that a full-mode assessment needed the
	// face mesh and iris weights and could not have them: in a build
	// without them (GOOS=js, see [ModelsEmbedded]) no [SetModelSource]
	// function was set, or it failed, or it gave bytes whose SHA-256 is
	// not the one [ModelFiles] lists. Nothing is assessed without them:
	// the report would differ from the one they give.
	ErrModelsUnavailable = errors.New("face: the face mesh and iris weights are not available")
)

// MinImageSize is the smallest width and height, in pixels, that Assess
// searches for a face.
const MinImageSize = 24

// SizeError reports an image too small to assess; it matches ErrTooSmall
// under errors.Is.
type SizeError struct {
	Width, Height int
}

// Error implements the error interface.
func (e *SizeError) Error() string {
	return fmt.Sprintf("face: image %dx%d is too small to search for a face (minimum %dx%d)", e.Width, e.Height, MinImageSize, MinImageSize)
}

// Is reports whether target is ErrTooSmall.
func (e *SizeError) Is(target error) bool { return target == ErrTooSmall }

// Options configures an Assessor; nil means defaults.
type Options struct {
	// MinFaceSize is the smallest face (side of the detector's square
	// box, about 2.8 times the inter-eye distance) searched for, in pixels.
	// 0 means 56 (inter-eye distance about 20 px). The search also skips
	// faces smaller than 1/12 of the shorter side of the image or region of
	// interest (1/6 in preview mode).
	MinFaceSize int
	// MaxFaceSize is the largest face searched for, in pixels; 0 means the
	// shorter image side.
	MaxFaceSize int
	// Perturbations is the number of perturbed starts of the pupil
	// localiser, in both modes; 0 means 31. (The landmark cascades always
	// run 31.)
	Perturbations int
}

// AssessOptions are the per-call options of Assess; nil means defaults.
type AssessOptions struct {
	// Landmarks, when not nil, supplies the eye centres (and optionally
	// other landmarks) of the one face to assess, for example from a vendor
	// SDK or an ISO/IEC 19794-5 record; detection is then skipped.
	Landmarks *Landmarks
	// JPEG holds the original file bytes when the image was decoded from
	// a JPEG file; its quantisation tables give the CompressionArtifacts
	// measure. Without it that measure is not reported.
	JPEG []byte
	// Preview selects the fast mode for live video: faces of at least a
	// sixth of the shorter image side, an upright search (the detector
	// rotated by ±12° only when it finds nothing), eye centres localised
	// as in full mode (pupils, eye corners, outer-corner refinement), no
	// other landmarks (so no yaw and pitch, and Face.Landmarks is empty)
	// and no background measure.
	Preview bool
	// ROI restricts the face search to this rectangle (in image
	// coordinates); the zero rectangle means the whole image. Measures are
	// still taken on the whole image.
	ROI image.Rectangle
}

// Landmarks are caller-supplied landmark positions. RightEye and LeftEye
// are required: the SUBJECT's right eye (image-left) and left eye
// (image-right). The other points are optional (nil).
type Landmarks struct {
	RightEye, LeftEye                        quality.Point
	Nose, MouthRight, MouthLeft, MouthCentre *quality.Point
}

// Report is the result of assessing one image.
type Report struct {
	// Width and Height are the image dimensions in pixels.
	Width  int `json:"width"`
	Height int `json:"height"`
	// Faces lists the faces found, largest first.
	Faces []Face `json:"faces"`
	// Measures describe the primary (largest) face; FaceCount is always
	// present, and with no face only image-level measures follow.
	Measures quality.Measures `json:"measures"`
}

// Face is one face found in the image.
type Face struct {
	// Box is the face detector's square box.
	Box image.Rectangle `json:"-"`
	// RightEye is the centre of the SUBJECT's right eye, which appears on
	// the image's LEFT side.
	RightEye quality.Point `json:"right_eye"`
	// LeftEye is the centre of the SUBJECT's left eye, which appears on
	// the image's RIGHT side.
	LeftEye quality.Point `json:"left_eye"`
	// Landmarks holds further points by name (the constants
	// RightEyeOuter ... MouthCentre: "right_eye_outer", "right_eye_inner",
	// "left_eye_inner", "left_eye_outer", "nose", "mouth_right",
	// "mouth_left", "mouth_top", "mouth_bottom", "mouth_centre"); "right"
	// and "left" are the subject's. Only the primary face carries them;
	// empty in preview mode or when supplied by the caller without them.
	Landmarks map[string]quality.Point `json:"landmarks,omitempty"`
	// Confidence is the face finder's summed detection score (larger is
	// more certain; about 5 is the acceptance level); 0 for caller-supplied
	// landmarks.
	Confidence float64 `json:"confidence"`
	// Mesh is the face mesh of the primary face (full mode); nil when the
	// mesh did not run or did not assess the face.
	Mesh *Mesh `json:"mesh,omitempty"`
	// MeshNotAssessed says why the primary face has no mesh (too small,
	// turned too far, no face on the mesh's crop); then the measures that
	// need it (EyesOpen, MouthClosed, ExpressionNeutrality) are not
	// reported. Empty otherwise, and for the other faces.
	MeshNotAssessed string `json:"mesh_not_assessed,omitempty"`
}

type boxJSON struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

type faceJSON struct {
	Box        boxJSON                  `json:"box"`
	RightEye   quality.Point            `json:"right_eye"`
	LeftEye    quality.Point            `json:"left_eye"`
	Landmarks  map[string]quality.Point `json:"landmarks,omitempty"`
	Confidence float64                  `json:"confidence"`
	Mesh       *Mesh                    `json:"mesh,omitempty"`
	NotAssess  string                   `json:"mesh_not_assessed,omitempty"`
}

// MarshalJSON encodes Box as {x, y, width, height}.
func (f Face) MarshalJSON() ([]byte, error) {
	return json.Marshal(faceJSON{
		Box:      boxJSON{f.Box.Min.X, f.Box.Min.Y, f.Box.Dx(), f.Box.Dy()},
		RightEye: f.RightEye, LeftEye: f.LeftEye, Landmarks: f.Landmarks, Confidence: f.Confidence,
		Mesh: f.Mesh, NotAssess: f.MeshNotAssessed,
	})
}

// UnmarshalJSON decodes the form written by MarshalJSON.
func (f *Face) UnmarshalJSON(b []byte) error {
	var fj faceJSON
	if err := json.Unmarshal(b, &fj); err != nil {
		return err
	}
	*f = Face{
		Box:      image.Rect(fj.Box.X, fj.Box.Y, fj.Box.X+fj.Box.Width, fj.Box.Y+fj.Box.Height),
		RightEye: fj.RightEye, LeftEye: fj.LeftEye, Landmarks: fj.Landmarks, Confidence: fj.Confidence,
		Mesh: fj.Mesh, MeshNotAssessed: fj.NotAssess,
	}
	return nil
}

// ModelsEmbedded reports whether this build holds the models that only
// full mode uses ([ModelFiles]: the face mesh and iris weights, the nose
// and mouth landmark cascades; 7.0 MB): true on every platform but
// GOOS=js, whose WebAssembly build leaves them out to stay small and loads
// them through [SetModelSource] when a full-mode assessment first needs
// them. Preview mode never needs them.
const ModelsEmbedded = facemesh.Embedded && cascade.Embedded

// ModelFile describes one weights file that a build without them must be
// given.
type ModelFile struct {
	// Name is the file's name (as in face/internal/facemesh/models/).
	Name string `json:"name"`
	// SHA256 is the hex SHA-256 of its bytes: the only bytes accepted.
	SHA256 string `json:"sha256"`
	// Size is its length in bytes.
	Size int `json:"size"`
}

// ModelFiles lists the files of the models that only full mode uses: the
// face mesh and iris weights and pigo's nose and mouth landmark cascades
// (the same list in every build; 7.0 MB).
func ModelFiles() []ModelFile {
	var out []ModelFile
	for _, f := range facemesh.Files {
		out = append(out, ModelFile{Name: f.Name, SHA256: f.SHA256, Size: f.Size})
	}
	for _, f := range cascade.FullMode {
		out = append(out, ModelFile{Name: f.Name, SHA256: f.SHA256, Size: f.Size})
	}
	return out
}

// SetModelSource sets the function that supplies a model file's bytes by
// name (one of [ModelFiles]) in a build without them; nil removes it. It
// is called when a full-mode assessment, or [LoadModels], first needs the
// models, once per file, again after a failure; bytes whose SHA-256 is
// not the listed one are refused. A build with embedded models never
// calls it.
func SetModelSource(src func(name string) ([]byte, error)) {
	sourceMu.Lock()
	source = src
	sourceMu.Unlock()
	facemesh.SetSource(src)
}

var (
	sourceMu sync.Mutex
	source   func(name string) ([]byte, error)
)

// LoadModels loads the models that only full mode uses now, if they are
// not loaded yet (from the embedded files, or through the source set by
// [SetModelSource]). An error wraps ErrModelsUnavailable. A full-mode
// Assess calls it first.
func LoadModels() error {
	if _, err := fullCascades(); err != nil {
		return err
	}
	_, _, err := meshModels()
	return err
}

var (
	fullMu  sync.Mutex
	fullVal map[string]*pico.LocCascade
)

// fullCascades returns the landmark cascades that only full mode uses,
// parsing them on first use (reading them through the source in a build
// without them; a failure is retried on the next call).
func fullCascades() (map[string]*pico.LocCascade, error) {
	fullMu.Lock()
	defer fullMu.Unlock()
	if fullVal != nil {
		return fullVal, nil
	}
	lm := map[string]*pico.LocCascade{}
	for _, f := range cascade.FullMode {
		b, ok := cascade.Full(f.Name)
		if !ok {
			sourceMu.Lock()
			src := source
			sourceMu.Unlock()
			if src == nil {
				return nil, &modelsError{fmt.Errorf("cascade %s: not embedded in this build and no source was set", f.Name)}
			}
			var err error
			if b, err = src(f.Name); err != nil {
				return nil, &modelsError{fmt.Errorf("cascade %s: %w", f.Name, err)}
			}
			if got, ok := f.Check(b); !ok {
				return nil, &modelsError{fmt.Errorf("cascade %s has SHA-256 %s (%d bytes), want %s (%d bytes)", f.Name, got, len(b), f.SHA256, f.Size)}
			}
		}
		c, err := pico.ParseLoc(b)
		if err != nil {
			return nil, &modelsError{fmt.Errorf("%w: %s: %v", ErrCascade, f.Name, err)}
		}
		lm[f.Name] = c
	}
	fullVal = lm
	return fullVal, nil
}

// cascade returns the landmark cascade named name: preview mode's, or,
// once loaded (full mode loads them first), one of fullCascades'.
func (a *Assessor) cascade(name string) *pico.LocCascade {
	if c := a.m.lm[name]; c != nil {
		return c
	}
	fullMu.Lock()
	defer fullMu.Unlock()
	return fullVal[name]
}

// meshModels returns the process-wide face mesh and iris models, loading
// them if needed; an error wraps ErrModelsUnavailable.
func meshModels() (*facemesh.Mesh, *facemesh.Iris, error) {
	mesh, err := facemesh.LoadMesh()
	if err != nil {
		return nil, nil, &modelsError{err}
	}
	iris, err := facemesh.LoadIris()
	if err != nil {
		return nil, nil, &modelsError{err}
	}
	return mesh, iris, nil
}

// modelsError is a failed load of the mesh models: it matches
// ErrModelsUnavailable and unwraps to the cause.
type modelsError struct{ err error }

func (e *modelsError) Error() string        { return ErrModelsUnavailable.Error() + ": " + e.err.Error() }
func (e *modelsError) Unwrap() error        { return e.err }
func (e *modelsError) Is(target error) bool { return target == ErrModelsUnavailable }

// InterEyeDistance returns the distance between the eye centres in pixels.
func (f Face) InterEyeDistance() float64 { return dist(f.RightEye, f.LeftEye) }

// Assessor finds faces and computes quality measures. It is safe for
// concurrent use.
type Assessor struct {
	opts Options
	m    *models
}

type models struct {
	face  *pico.FaceCascade
	pupil *pico.LocCascade
	lm    map[string]*pico.LocCascade
}

var (
	modelsOnce sync.Once
	modelsVal  *models
	modelsErr  error
)

func loadModels() (*models, error) {
	modelsOnce.Do(func() {
		m := &models{lm: map[string]*pico.LocCascade{}}
		var err error
		if m.face, err = pico.ParseFace(cascade.FaceFinder); err != nil {
			modelsErr = fmt.Errorf("%w: facefinder: %v", ErrCascade, err)
			return
		}
		if m.pupil, err = pico.ParseLoc(cascade.PupLoc); err != nil {
			modelsErr = fmt.Errorf("%w: puploc: %v", ErrCascade, err)
			return
		}
		for name, b := range map[string][]byte{"lp38": cascade.LP38, "lp312": cascade.LP312} {
			c, err := pico.ParseLoc(b)
			if err != nil {
				modelsErr = fmt.Errorf("%w: %s: %v", ErrCascade, name, err)
				return
			}
			m.lm[name] = c
		}
		modelsVal = m
	})
	return modelsVal, modelsErr
}

// New returns an Assessor. The embedded cascades are parsed once per
// process, on the first call, and so are the face mesh and iris models
// where their weights are embedded ([ModelsEmbedded]); elsewhere they load
// when an assessment first needs them (see [SetModelSource]).
func New(opts *Options) (*Assessor, error) {
	m, err := loadModels()
	if err != nil {
		return nil, err
	}
	if ModelsEmbedded {
		if err := LoadModels(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCascade, err)
		}
	}
	a := &Assessor{m: m}
	if opts != nil {
		a.opts = *opts
	}
	if a.opts.MinFaceSize <= 0 {
		a.opts.MinFaceSize = 56
	}
	if a.opts.Perturbations <= 0 {
		a.opts.Perturbations = 31
	}
	return a, nil
}
