package synth_test

import (
	"bytes"
	"fmt"
	"image"

	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

func ExampleFingerprint() {
	p := synth.FingerParams{Seed: 7, Class: synth.Whorl, Width: 200, Height: 250}
	a, err := synth.Fingerprint(p)
	if err != nil {
		panic(err)
	}
	b, _ := synth.Fingerprint(p)
	fmt.Println(a.Rect.Size(), "identical:", bytes.Equal(a.Pix, b.Pix))

	// Degrade it: the same seed gives the same bytes too.
	d := synth.FingerDegradation{Noise: 20, Blur: 1.5, PartialContact: 0.3}
	c, _ := synth.DegradeFinger(a, d, 7)
	e, _ := synth.DegradeFinger(a, d, 7)
	fmt.Println("degraded identical:", bytes.Equal(c.Pix, e.Pix))
	// Output:
	// (200,250) identical: true
	// degraded identical: true
}

func ExampleDegradeFace() {
	// Any portrait with known eye centres; here a plain grey image.
	img := image.NewGray(image.Rect(0, 0, 600, 800))
	eyes := synth.Eyes{
		Right: quality.Point{X: 240, Y: 400}, // subject's right eye, image-left
		Left:  quality.Point{X: 385, Y: 410},
	}
	d, _ := synth.ParseFaceVariant("roll12+ied100")
	out, got, _, err := synth.DegradeFace(img, eyes, d)
	if err != nil {
		panic(err)
	}
	fmt.Printf("source: IED %.3f px, roll %.3f°\n", eyes.IED(), eyes.Roll())
	fmt.Printf("output %v: IED %.3f px, roll %.3f°\n", out.Bounds().Size(), got.IED(), got.Roll())
	// Output:
	// source: IED 145.344 px, roll -3.945°
	// output (413,550): IED 100.000 px, roll 12.000°
}

func ExampleFaceSample() {
	img := image.NewGray(image.Rect(0, 0, 600, 800))
	eyes := synth.Eyes{Right: quality.Point{X: 230, Y: 400}, Left: quality.Point{X: 370, Y: 400}}
	prof := thresholds.MustEmbedded("ees-usk")
	for _, v := range []string{"roll12", "roll3+ied100", "level+q10"} {
		s, err := synth.FaceSample("portrait_"+synth.VariantName(v), img, "portrait.png", eyes, v, 1, prof)
		if err != nil {
			panic(err)
		}
		fmt.Println(s.Sidecar.Image, "fail:", s.Sidecar.ExpectFail, "pass:", s.Sidecar.ExpectPass)
	}
	// Output:
	// portrait_roll12.png fail: [face.HeadPoseRoll] pass: [face.InterEyeDistance]
	// portrait_roll3_ied100.png fail: [face.InterEyeDistance] pass: [face.HeadPoseRoll]
	// portrait_level_q10.jpg fail: [face.CompressionArtifacts] pass: [face.InterEyeDistance face.HeadPoseRoll]
}

func ExampleParseFingerDegradation() {
	d, err := synth.ParseFingerDegradation("noisy,blur=1.5")
	fmt.Printf("%+v %v\n", d, err)
	prof := thresholds.MustEmbedded("ees-usk")
	fmt.Println(synth.ExpectFinger(prof, d).Pass)
	smudged, _ := synth.FingerLevel("smudged")
	fmt.Println(synth.ExpectFinger(prof, smudged).Fail)
	// Output:
	// {Scale:0 Rotation:0 PartialContact:0 Dryness:0 Wetness:0 Contrast:0 Blur:1.5 Noise:70} <nil>
	// [finger.QualityScore]
	// [finger.QualityScore]
}
