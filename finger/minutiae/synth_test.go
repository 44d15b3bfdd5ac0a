package minutiae

import (
	"image"
	"math"
)

// angleDiff is the absolute difference of two angles, in [0, π].
func angleDiff(a, b float64) float64 {
	d := math.Mod(math.Abs(a-b), 2*math.Pi)
	if d > math.Pi {
		d = 2*math.Pi - d
	}
	return d
}

// synthRidges draws parallel sinusoidal dark ridges of period t whose
// direction makes angle alpha (radians, counter-clockwise on screen) with
// the x axis. With end set, a spiral phase (Larkin & Fletcher 2007) is
// added at (cx, cy): the phase θ/2π, θ the polar angle around (cx, cy)
// measured from the ridge direction, adds one ridge on the side the ridge
// direction points to, and the single ridge line that leaves the point goes
// that way too: a ridge ending at (cx, cy) whose ridge lies in direction
// alpha (its ISO direction). With invert, grey levels are inverted: the
// valley line that left the point the other way becomes the stem of a
// bifurcation at (cx, cy) whose two tines point in direction alpha.
func synthRidges(w, h int, t, alpha float64, cx, cy int, end, invert bool) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	// Unit vectors in image coordinates (y down): along the ridge and across.
	ux, uy := math.Cos(alpha), -math.Sin(alpha)
	vx, vy := -uy, ux
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x-cx), float64(y-cy)
			along := dx*ux + dy*uy
			across := dx*vx + dy*vy
			phase := across / t
			if end {
				phase += math.Atan2(across, along) / (2 * math.Pi)
			}
			v := 128 - 100*math.Cos(2*math.Pi*phase) // dark where phase is integer
			if invert {
				v = 255 - v
			}
			img.Pix[y*img.Stride+x] = uint8(math.Round(v))
		}
	}
	return img
}
