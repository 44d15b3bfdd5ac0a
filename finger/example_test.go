package finger_test

import (
	"fmt"
	"image"
	"math"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

func Example() {
	// A synthetic print: straight ridges with a 9 px period in an oval.
	img := image.NewGray(image.Rect(0, 0, 400, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 400; x++ {
			dx, dy := (float64(x)-200)/170, (float64(y)-240)/215
			v := 255.0
			if dx*dx+dy*dy <= 1 {
				v = 128 + 100*math.Cos(2*math.Pi*(float64(x)+0.4*float64(y))/9)
			}
			img.Pix[y*img.Stride+x] = uint8(v)
		}
	}
	rep, err := finger.New(nil).Assess(img, 500)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := thresholds.MustEmbedded("ees-usk").Decide(quality.Finger, rep.Measures)
	fmt.Println("model:", rep.Score.Model)
	fmt.Println("measures:", len(rep.Measures)-1, "native +", quality.QualityScore)
	fmt.Println("scored 0-100:", rep.Score.Value >= 0 && rep.Score.Value <= 100)
	fmt.Println("decision is accept or recapture:", d.Outcome == quality.Accept || d.Outcome == quality.Recapture)
	// Output:
	// model: nfiq2-compatible
	// measures: 69 native + QualityScore
	// scored 0-100: true
	// decision is accept or recapture: true
}

func ExampleAssessor_Assess_unscorable() {
	blank := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	_, err := finger.New(nil).Assess(blank, 500)
	d := thresholds.MustEmbedded("ees-usk").DecideUnscorable(quality.Finger, err)
	fmt.Println(d.Outcome)
	fmt.Println(d.Reasons[0].Code)
	// Output:
	// warn_operator
	// finger.unscorable
}
