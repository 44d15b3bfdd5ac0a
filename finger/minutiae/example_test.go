package minutiae_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/biogate/biogate/finger/minutiae"
)

// ridgeEnding draws 9-pixel-period horizontal ridges with one ridge ending
// at (cx, cy), the ridge running to the right of it (a spiral phase).
func ridgeEnding(w, h, cx, cy int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x-cx), float64(y-cy)
			phase := dy/9 + math.Atan2(dy, dx)/(2*math.Pi)
			img.Pix[y*img.Stride+x] = uint8(128 - 100*math.Cos(2*math.Pi*phase))
		}
	}
	return img
}

func ExampleExtract() {
	img := ridgeEnding(200, 200, 100, 100)
	ms, err := minutiae.Extract(img, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range ms {
		near := math.Abs(float64(m.X-100)) <= 4 && math.Abs(float64(m.Y-100)) <= 4
		// Rounded to 10° (ISO: to 8 units), wrapping 360° to 0°.
		deg := math.Mod(math.Round(m.AngleDegrees()/10)*10, 360)
		iso := (int(m.ISOAngle()) + 4) / 8 * 8 % 256
		fmt.Printf("%v near (100,100): %v, direction %.0f° (ISO %d)\n", m.Type, near, deg, iso)
	}
	// Output:
	// ending near (100,100): true, direction 0° (ISO 0)
}

func ExampleMeasures() {
	// Measures works on any minutiae list, e.g. one read from a template.
	img := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 300 / 2) // a horizontal ramp
	}
	// Grey level x/2: mean 74.75, σ 43.3. Only the block around (130, 100)
	// (mean 64.75) is darker than the mean by at most σ/2; all blocks have a
	// single gradient direction (OCL 1). The centre of mass (173, 80) puts
	// (290, 40) outside the 200×200 rectangle.
	ms := []minutiae.Minutia{{X: 100, Y: 100}, {X: 130, Y: 100}, {X: 290, Y: 40}}
	s := minutiae.Measures(img, ms)
	fmt.Printf("%s = %v\n", minutiae.NameMinutiaeCount, s.MinutiaeCount)
	fmt.Printf("%s = %v\n", minutiae.NameCOMRect200x200, s.COMRect200x200)
	fmt.Printf("%s = %.3f\n", minutiae.NameMuQuality2, s.MuQuality2)
	fmt.Printf("%s = %.3f\n", minutiae.NameOCLQuality80, s.OCLQuality80)
	// Output:
	// FingerJetFX_MinutiaeCount = 3
	// FingerJetFX_MinCount_COMMinRect200x200 = 2
	// FJFXPos_Mu_MinutiaeQuality_2 = 0.333
	// FJFXPos_OCL_MinutiaeQuality_80 = 1.000
}

func ExampleNFIQ2Options() {
	// The NFIQ 2 minutiae stage on an image NFIQ 2 has already cropped:
	// extract as NFIQ 2 runs FingerJetFX, and compute the four measures.
	// Horizontal ridges with six ridge endings (spiral phases):
	cropped := image.NewGray(image.Rect(0, 0, 260, 300))
	ends := []image.Point{{80, 70}, {180, 70}, {80, 150}, {180, 150}, {80, 230}, {180, 230}}
	for y := 0; y < 300; y++ {
		for x := 0; x < 260; x++ {
			phase := float64(y) / 9
			for _, e := range ends {
				dx, dy := float64(x-e.X), float64(y-e.Y)
				phase += math.Atan2(dy, dx) / (2 * math.Pi)
			}
			cropped.Pix[y*cropped.Stride+x] = uint8(128 - 100*math.Cos(2*math.Pi*phase))
		}
	}
	r, err := minutiae.Find(cropped, minutiae.NFIQ2Options())
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.Marshal(r.Measures(cropped))
	fmt.Println(string(b))

	// Like FingerJetFX under NFIQ 2, NFIQ2Options refuses a print with
	// fewer than six minutiae.
	_, err = minutiae.Extract(ridgeEnding(260, 300, 130, 150), minutiae.NFIQ2Options())
	fmt.Println(errors.Is(err, minutiae.ErrFootprintTooSmall))
	// Output:
	// {"FingerJetFX_MinutiaeCount":6,"FingerJetFX_MinCount_COMMinRect200x200":6,"FJFXPos_Mu_MinutiaeQuality_2":0.3333333333333333,"FJFXPos_OCL_MinutiaeQuality_80":1}
	// true
}

func ExampleMinutia_MarshalJSON() {
	m := minutiae.Minutia{X: 120, Y: 87, Angle: math.Pi / 2, Type: minutiae.Ending, Quality: 64}
	b, _ := json.Marshal(m)
	fmt.Println(string(b))
	// Output:
	// {"x":120,"y":87,"angle_deg":90,"iso_angle":64,"type":"ending","quality":64}
}
