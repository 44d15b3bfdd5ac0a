package face

import (
	"image"
	"math"
	"sort"

	"github.com/biogate/biogate/face/internal/pico"
	"github.com/biogate/biogate/internal/fpmath"
	"github.com/biogate/biogate/quality"
)

// Assess finds the faces in img and measures the primary (largest) one.
// opts may be nil. The error is non-nil only for unusable input
// (ErrNilImage, ErrEmptyImage, ErrTooSmall) or unusable supplied landmarks
// (ErrLandmarks).
func (a *Assessor) Assess(img image.Image, opts *AssessOptions) (*Report, error) {
	if img == nil {
		return nil, ErrNilImage
	}
	var o AssessOptions
	if opts != nil {
		o = *opts
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, ErrEmptyImage
	}
	if b.Dx() < MinImageSize || b.Dy() < MinImageSize {
		return nil, &SizeError{b.Dx(), b.Dy()}
	}
	if !o.Preview {
		// Full mode's models, which a build may load only now (see
		// ModelsEmbedded): without them, no report.
		if err := LoadModels(); err != nil {
			return nil, err
		}
	}
	rep := &Report{Width: b.Dx(), Height: b.Dy(), Faces: []Face{}}
	bufp := getBuf(b.Dx() * b.Dy())
	defer grayPool.Put(bufp)
	g := luma(img, *bufp)

	if o.Landmarks != nil {
		if !usable(o.Landmarks) {
			return nil, ErrLandmarks
		}
		rep.Faces = append(rep.Faces, faceFromLandmarks(o.Landmarks))
	} else {
		roi := image.Rect(0, 0, b.Dx(), b.Dy())
		if !o.ROI.Empty() {
			roi = o.ROI.Sub(b.Min).Intersect(roi)
			if roi.Dx() < MinImageSize || roi.Dy() < MinImageSize {
				return nil, &SizeError{roi.Dx(), roi.Dy()}
			}
		}
		cfg := fullEyes
		cfg.perturbs = a.opts.Perturbations
		if o.Preview {
			cfg = previewEyes
			cfg.perturbs = a.opts.Perturbations
		}
		// Detection and localisation run on a contrast-stretched copy;
		// the measures use the original luminance.
		sp := getBuf(len(g.Pix))
		defer grayPool.Put(sp)
		gs := &pico.Gray{Pix: *sp, W: g.W, H: g.H, Stride: g.Stride}
		copy(gs.Pix, g.Pix)
		dets := a.detect(gs, roi, o.Preview)
		smoothFaces(gs, dets)
		for _, d := range dets {
			if f, ok := a.faceFromDetection(gs, d, cfg); ok {
				rep.Faces = append(rep.Faces, f)
			}
		}
		sort.SliceStable(rep.Faces, func(i, j int) bool {
			return rep.Faces[i].InterEyeDistance() > rep.Faces[j].InterEyeDistance()
		})
		for i := range rep.Faces {
			f := &rep.Faces[i]
			lm := f.Landmarks
			switch {
			case i == 0 && !o.Preview:
				f.Landmarks = a.landmarks(gs, f.RightEye, f.LeftEye, landmarkRuns)
				lm = f.Landmarks
			case i == 0:
				// preview: the eye corners only, for the eye centres
				lm = a.eyeCorners(gs, f.RightEye, f.LeftEye, landmarkRuns)
				refineOuter(gs, f.RightEye, f.LeftEye, lm, shippedEyes.OuterRefine)
			}
			f.RightEye, f.LeftEye = eyeCentres(f.RightEye, f.LeftEye, lm)
		}
	}
	for i := range rep.Faces {
		rep.Faces[i].Box = rep.Faces[i].Box.Add(b.Min)
		rep.Faces[i].RightEye = shift(rep.Faces[i].RightEye, b.Min)
		rep.Faces[i].LeftEye = shift(rep.Faces[i].LeftEye, b.Min)
		for k, p := range rep.Faces[i].Landmarks {
			rep.Faces[i].Landmarks[k] = shift(p, b.Min)
		}
	}
	if !o.Preview && o.Landmarks == nil && len(rep.Faces) == 0 {
		r := b
		if !o.ROI.Empty() {
			r = o.ROI.Intersect(b)
		}
		f, ok, err := a.meshFallback(img, r)
		if err != nil {
			return nil, err
		}
		if ok {
			rep.Faces = append(rep.Faces, f)
		}
	}
	if !o.Preview && len(rep.Faces) > 0 {
		f := &rep.Faces[0]
		m, why, err := a.meshFace(img, f.RightEye, f.LeftEye)
		if err != nil {
			return nil, err
		}
		f.Mesh, f.MeshNotAssessed = m, why
		if m != nil && o.Landmarks == nil {
			f.RightEye, f.LeftEye = shippedMeshEyes.centres(m, f.RightEye, f.LeftEye)
		}
	}
	rep.Measures = a.measures(img, g, rep, &o)
	return rep, nil
}

func shift(p quality.Point, o image.Point) quality.Point {
	return quality.Point{X: p.X + float64(o.X), Y: p.Y + float64(o.Y)}
}

func usable(l *Landmarks) bool {
	ok := func(p quality.Point) bool {
		return !math.IsNaN(p.X) && !math.IsNaN(p.Y) && !math.IsInf(p.X, 0) && !math.IsInf(p.Y, 0) && math.Abs(p.X) < 1e7 && math.Abs(p.Y) < 1e7
	}
	for _, p := range []*quality.Point{l.Nose, l.MouthLeft, l.MouthRight, l.MouthCentre} {
		if p != nil && !ok(*p) {
			return false
		}
	}
	return ok(l.RightEye) && ok(l.LeftEye) && dist(l.RightEye, l.LeftEye) >= 1
}

func faceFromLandmarks(l *Landmarks) Face {
	f := Face{RightEye: l.RightEye, LeftEye: l.LeftEye}
	add := func(k string, p *quality.Point) {
		if p != nil {
			if f.Landmarks == nil {
				f.Landmarks = map[string]quality.Point{}
			}
			f.Landmarks[k] = *p
		}
	}
	add("nose", l.Nose)
	add("mouth_right", l.MouthRight)
	add("mouth_left", l.MouthLeft)
	add("mouth_centre", l.MouthCentre)
	ied := f.InterEyeDistance()
	mx, my := (l.RightEye.X+l.LeftEye.X)/2, (l.RightEye.Y+l.LeftEye.Y)/2
	s := ied / 0.36
	f.Box = image.Rect(int(math.Floor(mx-s/2)), int(math.Floor(my+float64(0.075*s)-s/2)), int(math.Ceil(mx+s/2)), int(math.Ceil(my+float64(0.075*s)+s/2)))
	return f
}

// maxEyeLineTurn is the largest angle, in degrees, between the eye line
// found in a detection and the detector's own horizontal. The face finder
// accepts faces turned in the image plane by about 20° either way from the
// angle it runs at, so the eyes of a real face lie near its horizontal:
// at most 50° on the 247 detections of annotated corpus faces, roll
// variants up to ±35° included (TestCorpusEyeLineTurn). Eyes found nearly
// one above the other (the false face on dlib/dogs.jpg: 81°) mean the
// "face" is not one.
const maxEyeLineTurn = 65.0

// eyeLineTurn is the angle in degrees, 0-180, between the line from the
// image-left eye (lr, lc) to the image-right one (rr, rc) and the
// horizontal of detection d's frame.
func eyeLineTurn(d detection, lr, lc, rr, rc float64) float64 {
	return math.Abs(math.Remainder(fpmath.Atan2(rr-lr, rc-lc)-fpmath.Atan2(d.sn, d.cs), 2*math.Pi)) * 180 / math.Pi
}

// faceFromDetection localises the eyes of detection d; ok is false when
// their line is implausible for a face (see maxEyeLineTurn).
func (a *Assessor) faceFromDetection(g *pico.Gray, d detection, cfg eyeConfig) (f Face, ok bool) {
	lr, lc, rr, rc := a.findEyes(g, d, cfg)
	if eyeLineTurn(d, lr, lc, rr, rc) > maxEyeLineTurn {
		return Face{}, false
	}
	half := d.s / 2
	return Face{
		Box:        image.Rect(int(math.Round(d.c-half)), int(math.Round(d.r-half)), int(math.Round(d.c+half)), int(math.Round(d.r+half))),
		RightEye:   quality.Point{X: lc, Y: lr},
		LeftEye:    quality.Point{X: rc, Y: rr},
		Confidence: d.q,
	}, true
}
