package nfiq2_test

import (
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/biogate/biogate/finger/internal/nfiq2"
)

// ridges draws arched ridges with a 10-pixel period inside a white frame
// (straight ones have no orientation flow, and NFIQ 2 refuses them).
func ridges(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 255.0
			if x >= 20 && x < w-20 && y >= 20 && y < h-20 {
				dx := float64(x - w/2)
				v = 128 - 100*math.Cos(2*math.Pi*(float64(y)+0.004*dx*dx)/10)
			}
			img.Pix[y*img.Stride+x] = uint8(math.Round(v))
		}
	}
	return img
}

func Example() {
	res, err := nfiq2.Compute(ridges(340, 400))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cropped:", res.Cropped.Bounds().Size())
	fmt.Println("measures:", len(res.Measures))
	ocl, _ := res.Value("OCL_Bin10_Mean")
	fmt.Printf("orientation certainty: %.2f\n", ocl)
	fmt.Println("uniform image:", res.Feedback.IsUniform())
	// Output:
	// cropped: (300,360)
	// measures: 65
	// orientation certainty: 1.00
	// uniform image: false
}

func ExampleCropNearWhiteFrame() {
	img := ridges(340, 400)
	cropped, err := nfiq2.CropNearWhiteFrame(img)
	fmt.Println(cropped.Bounds(), err)

	blank := image.NewGray(image.Rect(0, 0, 100, 100))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	_, err = nfiq2.CropNearWhiteFrame(blank)
	fmt.Println(errors.Is(err, nfiq2.ErrBlank))
	// Output:
	// (0,0)-(300,360) <nil>
	// true
}

func ExampleCompute_uniform() {
	img := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range img.Pix {
		img.Pix[i] = 90
	}
	// NIST's NFIQ 2 computes the measures of a uniform image all the
	// same, and its FDA module finds no fingerprint foreground.
	res, err := nfiq2.Compute(img)
	fmt.Println(res == nil, errors.Is(err, nfiq2.ErrInsufficientData))
	// Output:
	// true true
}
