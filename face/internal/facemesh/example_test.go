package facemesh_test

import (
	"fmt"
	"image"
	"image/color"

	"github.com/biogate/biogate/face/internal/facemesh"
)

// A face crop goes through CropInput, the mesh, and back to image
// coordinates. This synthetic image holds no face, so the score is low.
func Example() {
	img := image.NewGray(image.Rect(0, 0, 320, 240))
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			img.SetGray(x, y, color.Gray{Y: uint8((x + y) / 3)})
		}
	}
	mesh, err := facemesh.LoadMesh()
	if err != nil {
		fmt.Println(err)
		return
	}
	in := make([]float32, facemesh.MeshInputSize*facemesh.MeshInputSize*3)
	toImage := facemesh.CropInput(img, 160, 120, 200, 0, facemesh.MeshInputSize, in)
	r, err := mesh.Run(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("face score below 0.5: %v\n", r.Score < 0.5)
	x, y := toImage(96, 96) // the crop's centre
	fmt.Printf("crop centre in the image: (%.0f, %.0f)\n", x, y)
	// Output:
	// face score below 0.5: true
	// crop centre in the image: (160, 120)
}
