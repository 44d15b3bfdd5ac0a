package report

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
)

// markedFace is a face on a 192×144 grey image: box, eyes 60 px apart,
// and a mesh whose every point sits on a ring around the face centre.
func markedFace() face.Face {
	f := face.Face{
		Box:      image.Rect(50, 20, 142, 120),
		RightEye: quality.Point{X: 66, Y: 60},
		LeftEye:  quality.Point{X: 126, Y: 60},
		Mesh:     &face.Mesh{Score: 1},
	}
	for i := range f.Mesh.Points {
		f.Mesh.Points[i] = quality.Point{X: 96 + 30*float64(i%2), Y: 70 + 30*float64(i%3)/2}
	}
	return f
}

// previewOf returns the decoded preview of the page's only sample.
func previewOf(t *testing.T, page string) image.Image {
	t.Helper()
	m := dataURI.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page holds no preview")
	}
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// greenAt reports whether the preview pixel at (x, y) is the eye marks'
// green rather than the grey image (JPEG blurs colours: compare channels).
func greenAt(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return g>>8 > r>>8+60 && g>>8 > b>>8+60
}

// TestHTMLPreviewFaceMarks checks that a face's preview carries its eye
// centres (from a run's face.Detail and from a report read back from
// JSON), and that a file no longer of the reported size gets none.
func TestHTMLPreviewFaceMarks(t *testing.T) {
	dir := t.TempDir()
	grey := image.NewGray(image.Rect(0, 0, 192, 144))
	for i := range grey.Pix {
		grey.Pix[i] = 128
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, grey); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "face.png"), buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	typed := gate.FaceDetail{Faces: []face.Face{markedFace()}}
	js, err := json.Marshal(typed)
	if err != nil {
		t.Fatal(err)
	}
	var decoded any
	if err := json.Unmarshal(js, &decoded); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		detail any
		w, h   int
		marked bool
	}{
		{"run detail", typed, 192, 144, true},
		{"detail read back from JSON", decoded, 192, 144, true},
		{"file of another size", typed, 384, 288, false},
		{"no detail", nil, 192, 144, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := gate.Report{Path: "face.png", Modality: quality.Face, Width: tc.w, Height: tc.h, Detail: tc.detail}
			img := previewOf(t, writeHTML(t, Batch{Samples: []gate.Report{r}}, &HTMLOptions{Root: dir}))
			// 192 px → 96: the eyes at (33, 30) and (63, 30).
			got := greenAt(img, 33, 30) && greenAt(img, 63, 30)
			if got != tc.marked {
				t.Errorf("eye marks drawn: %v, want %v", got, tc.marked)
			}
		})
	}
}

// TestDrawFaceMarks checks the marks pixel by pixel on an unencoded
// preview: box corners, eye crosses, mesh outline pixels, nothing else.
func TestDrawFaceMarks(t *testing.T) {
	dst := image.NewNRGBA(image.Rect(0, 0, 96, 72))
	drawFaceMarks(dst, 0.5, []face.Face{markedFace()})
	if c := dst.NRGBAAt(25, 10); c != markBox {
		t.Errorf("box corner (25, 10) is %v, want %v", c, markBox)
	}
	if c := dst.NRGBAAt(33, 30); c != markEye {
		t.Errorf("right eye centre (33, 30) is %v, want %v", c, markEye)
	}
	if c := dst.NRGBAAt(63, 28); c != markEye {
		t.Errorf("left eye cross arm (63, 28) is %v, want %v", c, markEye)
	}
	mesh := 0
	for y := 0; y < 72; y++ {
		for x := 0; x < 96; x++ {
			switch dst.NRGBAAt(x, y) {
			case markMesh:
				mesh++
			case markBox, markEye, color.NRGBA{}:
			default:
				t.Fatalf("pixel (%d, %d) has an unexpected colour", x, y)
			}
		}
	}
	if mesh == 0 {
		t.Error("no mesh outline drawn")
	}
	// Marks outside the preview are clipped, not a panic.
	drawFaceMarks(image.NewNRGBA(image.Rect(0, 0, 4, 4)), 10, []face.Face{markedFace()})
}

// TestWriteHTMLChecks checks that each sample row lists the profile's
// checks with value, requirement and result, and counts the failed ones.
func TestWriteHTMLChecks(t *testing.T) {
	r := gate.Report{Path: "a.png", Modality: quality.Face, Checks: []quality.Check{
		{Reason: quality.Reason{Code: "face.InterEyeDistance", Measure: quality.InterEyeDistance, Value: 118.456, Threshold: 120, Comparison: quality.AtLeast, Unit: "px"}, Passed: false},
		{Reason: quality.Reason{Code: "face.EyesOpen", Measure: quality.EyesOpen, Value: 97.1, Threshold: 50, Comparison: quality.AtLeast, Component: true}, Passed: true},
	}}
	page := writeHTML(t, Batch{Samples: []gate.Report{r}}, &HTMLOptions{NoThumbnails: true})
	for _, want := range []string{
		"<summary>2 checks, 1 failed</summary>",
		`<tr class="fail"><td><code>InterEyeDistance</code></td><td class="num">118.46</td><td>&gt;= 120 px</td><td>failed</td></tr>`,
		`<tr class="pass"><td><code>EyesOpen</code></td><td class="num">97.1</td><td>&gt;= 50</td><td>passed</td></tr>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}
