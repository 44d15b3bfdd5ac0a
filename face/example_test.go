package face_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/quality"
)

// portrait draws a plain synthetic image standing in for a decoded photo.
func portrait() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 480, 640))
	for y := 0; y < 640; y++ {
		for x := 0; x < 480; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(120 + x%7), 130, 140, 255})
		}
	}
	return img
}

// Callers that already know the eye centres (from a vendor SDK or an
// ISO/IEC 19794-5 record) pass them in and skip detection.
func ExampleAssessor_Assess() {
	a, err := face.New(nil)
	if err != nil {
		panic(err)
	}
	rep, err := a.Assess(portrait(), &face.AssessOptions{Landmarks: &face.Landmarks{
		RightEye: quality.Point{X: 180, Y: 300}, // the subject's right eye, on the image's left
		LeftEye:  quality.Point{X: 300, Y: 290}, // the subject's left eye, on the image's right
	}})
	if err != nil {
		panic(err)
	}
	for _, name := range []string{quality.FaceCount, quality.InterEyeDistance, quality.HeadPoseRoll} {
		m, _ := rep.Measures.Get(name)
		fmt.Printf("%s %.1f", m.Name, m.Value)
		if m.Unit != "" {
			fmt.Print(" ", m.Unit)
		}
		if m.HasComponent {
			fmt.Printf(" (component %.0f)", m.Component)
		}
		fmt.Println()
	}
	// Output:
	// FaceCount 1.0
	// InterEyeDistance 120.4 px (component 93)
	// HeadPoseRoll 4.8 deg (component 68)
}

// A failed check is a result, not an error: an image without a face yields
// FaceCount 0 and the image-level measures.
func ExampleAssessor_Assess_noFace() {
	a, _ := face.New(nil)
	rep, err := a.Assess(portrait(), nil)
	fmt.Println(err, len(rep.Faces))
	n, _ := rep.Measures.Value(quality.FaceCount)
	fmt.Println("FaceCount", n)
	// Output:
	// <nil> 0
	// FaceCount 0
}

func ExampleJPEGQuality() {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, portrait(), &jpeg.Options{Quality: 10})
	q, err := face.JPEGQuality(buf.Bytes())
	fmt.Println(q, err)
	// Output:
	// 10 <nil>
}

func ExampleMapping_Component() {
	m := face.Mappings()[quality.HeadPoseRoll]
	fmt.Printf("%v: roll 0° → %.0f, 8° → %.0f, 20° → %.0f\n", m.Shape, m.Component(0), m.Component(8), m.Component(20))
	// Output:
	// centred: roll 0° → 100, 8° → 50, 20° → 12
}

// The face-content measures (EyesOpen, MouthClosed, ExpressionNeutrality)
// come from the face mesh; when it cannot assess the face (here: no face on
// the plain synthetic image around the supplied eyes), they are left out
// and the face says why.
func ExampleFace_meshNotAssessed() {
	a, err := face.New(nil)
	if err != nil {
		panic(err)
	}
	rep, err := a.Assess(portrait(), &face.AssessOptions{Landmarks: &face.Landmarks{
		RightEye: quality.Point{X: 180, Y: 300},
		LeftEye:  quality.Point{X: 300, Y: 300},
	}})
	if err != nil {
		panic(err)
	}
	f := rep.Faces[0]
	_, ok := rep.Measures.Get(quality.EyesOpen)
	fmt.Println(f.Mesh == nil, ok)
	fmt.Println(f.MeshNotAssessed)
	// Output:
	// true false
	// the face mesh finds no face (score 0.00)
}
