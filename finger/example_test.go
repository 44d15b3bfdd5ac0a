package finger_test

import (
	"errors"
	"fmt"
	"image"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

func Example() {
	// A synthetic print (a plain ridge pattern without minutiae would be
	// refused: NFIQ 2's minutiae extractor needs at least four).
	img, err := synth.Fingerprint(synth.FingerParams{Seed: 1, Width: 400, Height: 480})
	if err != nil {
		fmt.Println(err)
		return
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

func ExampleRidgeShare() {
	print, err := synth.Fingerprint(synth.FingerParams{Seed: 2, Width: 320, Height: 400})
	if err != nil {
		fmt.Println(err)
		return
	}
	blank := image.NewGray(image.Rect(0, 0, 320, 400))
	fmt.Println("synthetic print is ridge flow:", finger.RidgeShare(print, 500) >= 0.1)
	fmt.Println("blank page is ridge flow:", finger.RidgeShare(blank, 500) >= 0.1)
	// Output:
	// synthetic print is ridge flow: true
	// blank page is ridge flow: false
}

// A strip 99 pixels tall cut from a print: NIST's NFIQ 2 cannot compute
// its orientation flow (two block rows, none with a full neighbourhood),
// and refuses it; so does Assess, with NIST's message.
func ExampleRefusalError() {
	print, err := synth.Fingerprint(synth.FingerParams{Seed: 1, Width: 400, Height: 480})
	if err != nil {
		fmt.Println(err)
		return
	}
	strip := print.SubImage(image.Rect(0, 200, 400, 299))
	_, err = finger.New(nil).Assess(strip, 500)
	var re *finger.RefusalError
	if errors.As(err, &re) {
		fmt.Println("orientation flow:", errors.Is(err, finger.ErrNoOrientationFlow))
		fmt.Println("module:", re.Module)
		fmt.Println("NIST:", re.NIST[:38])
	}
	// Output:
	// orientation flow: true
	// module: OF
	// NIST: Cannot compute Orientation Flow (OF):
}
