package face

import (
	"slices"

	"github.com/biogate/biogate/face/internal/facemesh"
)

// MeshContours returns the outlines of the face, the eyebrows, the eyes
// and the lips as polylines of [Mesh] point indices (MediaPipe's
// numbering), in drawing order; the face oval, the eyes and the lips are
// closed (their last index repeats their first). They are for drawing a
// face's mesh over its image, as the HTML report's previews do; the checks
// use their own point groups. Each call returns a new slice.
func MeshContours() [][]int {
	closed := func(parts ...[]int) []int {
		var out []int
		for _, p := range parts {
			out = append(out, p...)
		}
		return append(out, out[0])
	}
	rev := func(s []int) []int {
		r := slices.Clone(s)
		slices.Reverse(r)
		return r
	}
	inner := func(s []int) []int { return s[1 : len(s)-1] } // without the corners
	return [][]int{
		closed(facemesh.FaceOval),
		slices.Clone(facemesh.RightEyebrowUpper),
		slices.Clone(facemesh.LeftEyebrowUpper),
		closed(facemesh.RightEyeLower0, rev(facemesh.RightEyeUpper0)),
		closed(facemesh.LeftEyeLower0, rev(facemesh.LeftEyeUpper0)),
		closed(facemesh.LipsUpperOuter, rev(inner(append([]int{61}, facemesh.LipsLowerOuter...)))),
		closed(facemesh.LipsUpperInner, rev(inner(facemesh.LipsLowerInner))),
	}
}
