package gate

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
)

// unscorable marks err as ErrUnscorable without changing its message.
type unscorable struct{ err error }

func (u unscorable) Error() string        { return u.err.Error() }
func (u unscorable) Unwrap() error        { return u.err }
func (u unscorable) Is(target error) bool { return target == ErrUnscorable }

// tooSmall marks err as ErrTooSmall without changing its message.
type tooSmall struct{ err error }

func (u tooSmall) Error() string        { return u.err.Error() }
func (u tooSmall) Unwrap() error        { return u.err }
func (u tooSmall) Is(target error) bool { return target == ErrTooSmall }

var defaultFinger = sync.OnceValue(func() *finger.Assessor { return finger.New(nil) })

// Finger adapts a finger.Assessor to the gate.
type Finger struct {
	// Assessor computes NFIQ 2; nil means finger.New(nil).
	Assessor *finger.Assessor
	// PPI, when above 0, replaces the resolution the files declare.
	PPI float64
}

// Modality returns quality.Finger.
func (f *Finger) Modality() quality.Modality { return quality.Finger }

// Assess runs NFIQ 2 on img and fills r with the measures, the score and
// the fingerprint detail (feedback, minutiae).
func (f *Finger) Assess(ctx context.Context, img *load.Image, r *Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	a := f.Assessor
	if a == nil {
		a = defaultFinger()
	}
	ppi := img.PPI
	if f.PPI > 0 {
		ppi = f.PPI
	}
	rep, err := a.Assess(img.Image, ppi)
	if rep != nil {
		r.Detail = rep
		r.Score = rep.Score
		for _, m := range rep.Measures {
			r.Measures.Set(m)
		}
		if rep.Resampled && f.PPI <= 0 {
			// NIST's NFIQ 2 scores every image as 500 ppi: a wrong
			// declaration moves the score far (info_jp2: 39 resampled
			// from 1000 ppi, 71 at 500 ppi; NIST 72).
			r.Warnings = append(r.Warnings, fmt.Sprintf(
				"scored after resampling from the declared %g ppi to 500 ppi; if the image is not really %g ppi, give its resolution (-ppi)",
				rep.SourcePPI, rep.SourcePPI))
		}
	}
	if f.PPI > 0 && errors.Is(err, finger.ErrResolution) {
		// The resolution came from the caller, not the file.
		err = fmt.Errorf("%w: %g ppi was given as the resolution; NFIQ 2 needs 500 ppi (300-1200 ppi is resampled)", finger.ErrResolution, f.PPI)
	}
	switch {
	case errors.Is(err, finger.ErrTooSmall):
		return tooSmall{err}
	case errors.Is(err, finger.ErrUnscorable):
		return unscorable{err}
	}
	return err
}

// Face adapts a face.Assessor to the gate.
type Face struct {
	// Assessor finds and measures faces; it must not be nil.
	Assessor *face.Assessor
	// Preview selects the face package's fast preview mode.
	Preview bool
}

// FaceDetail is the face-specific part of a report: every face found, with
// its eye centres, and the primary face's mesh points (full mode).
type FaceDetail struct {
	// Faces lists the faces found, largest first.
	Faces []face.Face `json:"faces"`
}

// Modality returns quality.Face.
func (f *Face) Modality() quality.Modality { return quality.Face }

// Assess finds the faces in img and fills r with the primary face's
// measures and the list of faces.
func (f *Face) Assess(ctx context.Context, img *load.Image, r *Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	opts := &face.AssessOptions{Preview: f.Preview}
	if img.Format == "jpeg" {
		opts.JPEG = img.Data
	}
	rep, err := f.Assessor.Assess(img.Image, opts)
	if errors.Is(err, face.ErrTooSmall) {
		return tooSmall{err}
	}
	if err != nil {
		return err
	}
	r.Detail = FaceDetail{Faces: rep.Faces}
	if len(rep.Faces) > 0 && rep.Faces[0].MeshNotAssessed != "" {
		r.Warnings = append(r.Warnings, "eyes open, mouth closed, expression and occlusion (eyes, mouth, face, head covering) not assessed: "+rep.Faces[0].MeshNotAssessed)
	}
	for _, m := range rep.Measures {
		r.Measures.Set(m)
	}
	return nil
}
