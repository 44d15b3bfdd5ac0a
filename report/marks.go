package report

import (
	"encoding/json"
	"image"
	"image/color"
	"math"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
)

// Colours of the marks drawn over face previews.
var (
	markBox     = color.NRGBA{255, 214, 0, 255} // the face finder's box
	markMesh    = color.NRGBA{0, 190, 255, 255} // the face mesh's outlines
	markEye     = color.NRGBA{40, 230, 60, 255} // the eye centres
	meshOutline = face.MeshContours()
)

// faceMarks returns the faces a face report found (boxes, eye centres,
// meshes), in image pixels, from its detail: a gate.FaceDetail in a run, a
// decoded JSON object in a report read back from a file. Nil when the
// report is not a plain face image (a record's images are not previewed
// with marks: the preview shows the first image only).
func faceMarks(r gate.Report) []face.Face {
	if r.Modality != quality.Face || r.Detail == nil || r.Record != nil {
		return nil
	}
	switch d := r.Detail.(type) {
	case gate.FaceDetail:
		return d.Faces
	case *gate.FaceDetail:
		return d.Faces
	}
	b, err := json.Marshal(r.Detail)
	if err != nil {
		return nil
	}
	var d struct {
		Faces []face.Face `json:"faces"`
	}
	if json.Unmarshal(b, &d) != nil {
		return nil
	}
	return d.Faces
}

// drawFaceMarks draws each face's box, mesh outlines and eye centres onto
// dst, a preview of the assessed image scaled by scale (preview pixels per
// image pixel).
func drawFaceMarks(dst *image.NRGBA, scale float64, faces []face.Face) {
	at := func(p quality.Point) (float64, float64) { return p.X * scale, p.Y * scale }
	for _, f := range faces {
		x0, y0 := float64(f.Box.Min.X)*scale, float64(f.Box.Min.Y)*scale
		x1, y1 := float64(f.Box.Max.X)*scale, float64(f.Box.Max.Y)*scale
		drawLine(dst, x0, y0, x1, y0, markBox)
		drawLine(dst, x1, y0, x1, y1, markBox)
		drawLine(dst, x1, y1, x0, y1, markBox)
		drawLine(dst, x0, y1, x0, y0, markBox)
		if f.Mesh != nil {
			for _, c := range meshOutline {
				for i := 1; i < len(c); i++ {
					ax, ay := at(f.Mesh.Points[c[i-1]])
					bx, by := at(f.Mesh.Points[c[i]])
					drawLine(dst, ax, ay, bx, by, markMesh)
				}
			}
		}
		for _, e := range []quality.Point{f.RightEye, f.LeftEye} {
			x, y := at(e)
			drawLine(dst, x-2, y, x+2, y, markEye)
			drawLine(dst, x, y-2, x, y+2, markEye)
		}
	}
}

// drawLine sets the pixels of dst on the segment from (ax, ay) to (bx, by)
// (pixel centres at integer coordinates), one a step along its longer
// axis; pixels outside dst are skipped.
func drawLine(dst *image.NRGBA, ax, ay, bx, by float64, c color.NRGBA) {
	n := int(math.Ceil(math.Max(math.Abs(bx-ax), math.Abs(by-ay))))
	for i := 0; i <= n; i++ {
		t := 0.0
		if n > 0 {
			t = float64(i) / float64(n)
		}
		x := int(math.Round(ax + (bx-ax)*t))
		y := int(math.Round(ay + (by-ay)*t))
		if image.Pt(x, y).In(dst.Rect) {
			dst.SetNRGBA(x, y, c)
		}
	}
}
