package facemesh

import (
	"image"

	"github.com/biogate/biogate/internal/fpmath"
)

// IrisEyeScale is the side of the square eye crop as a multiple of the
// distance between the eye's corners, as MediaPipe's iris graph frames it
// (its eye ROI is the corner-to-corner box scaled by 2.3 and made square).
const IrisEyeScale = 2.3

// Eye is Iris output mapped to image coordinates.
type Eye struct {
	// Contour holds the 71 eye-region points in image pixels (x, y), in
	// the order of [IrisResult.Contour], for either eye: index 0 is the
	// outer corner, 8 the inner corner.
	Contour [71][2]float64
	// Iris holds the iris centre, then four boundary points, in image
	// pixels.
	Iris [5][2]float64
}

// RunEye crops one eye from img around its corners (image coordinates:
// outer and inner corner, e.g. mesh points 33 and 133 for the subject's
// right eye, 263 and 362 for the left), runs Iris and maps the points back
// to the image. subjectLeft selects the mirrored run the model needs for
// the subject's left eye (the eye on the image's right); see [Iris]. The
// crop is a square of IrisEyeScale times the corner distance centred
// between the corners, turned to level the corners.
func (ir *Iris) RunEye(img image.Image, outerX, outerY, innerX, innerY float64, subjectLeft bool) (Eye, error) {
	var e Eye
	cx, cy := (outerX+innerX)/2, (outerY+innerY)/2
	dx, dy := innerX-outerX, innerY-outerY
	if subjectLeft {
		// Outer corner on the image's right: the crop's x axis still runs
		// left to right across the image.
		dx, dy = -dx, -dy
	}
	side := IrisEyeScale * fpmath.Hypot(dx, dy)
	angle := fpmath.Atan2(dy, dx)
	in := make([]float32, IrisInputSize*IrisInputSize*3)
	toImage := CropInput(img, cx, cy, side, angle, IrisInputSize, in)
	if subjectLeft {
		FlipHorizontal(in, IrisInputSize)
	}
	r, err := ir.Run(in)
	if err != nil {
		return e, err
	}
	back := func(p [3]float32) [2]float64 {
		x := float64(p[0])
		if subjectLeft {
			x = IrisInputSize - x
		}
		ix, iy := toImage(x, float64(p[1]))
		return [2]float64{ix, iy}
	}
	for i, p := range r.Contour {
		e.Contour[i] = back(p)
	}
	for i, p := range r.Iris {
		e.Iris[i] = back(p)
	}
	return e, nil
}
