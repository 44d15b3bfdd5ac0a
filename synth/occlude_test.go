package synth_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/biogate/biogate/synth"
)

// occTestFace is a plain 240×300 test card with eyes at (90, 120) and
// (150, 118): a smooth colour ramp, so that any changed pixel shows.
func occTestFace(grey bool) (image.Image, synth.Eyes) {
	r := image.Rect(0, 0, 240, 300)
	var img image.Image
	if grey {
		g := image.NewGray(r)
		for y := 0; y < 300; y++ {
			for x := 0; x < 240; x++ {
				g.SetGray(x, y, color.Gray{Y: uint8(60 + (x+y)/4)})
			}
		}
		img = g
	} else {
		c := image.NewNRGBA(r)
		for y := 0; y < 300; y++ {
			for x := 0; x < 240; x++ {
				c.SetNRGBA(x, y, color.NRGBA{R: uint8(120 + x/3), G: uint8(90 + y/4), B: uint8(80 + (x+y)/10), A: 255})
			}
		}
		img = c
	}
	var e synth.Eyes
	e.Right.X, e.Right.Y, e.Left.X, e.Left.Y = 90, 120, 150, 118
	return img, e
}

// pixel returns the 8-bit channels of img at (x, y).
func pixel(img image.Image, x, y int) [3]uint8 {
	c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
	return [3]uint8{c.R, c.G, c.B}
}

// TestOcclude checks each occluder on the test card, in colour and grey:
// the drawn share is within 0.02 of the one asked for (and exactly the
// mask's share of the zone), the mask is exact (every pixel outside it
// unchanged), share 0 draws nothing, the covered share grows with the
// share asked for, a seed gives the same bytes every time, and invalid
// parameters are refused with ErrInvalid. Under the race detector: colour
// only, shares 0 and one other.
func TestOcclude(t *testing.T) {
	greys := []bool{false, true}
	if raceEnabled {
		greys = greys[:1]
	}
	for _, grey := range greys {
		img, eyes := occTestFace(grey)
		for _, k := range synth.Occluders() {
			shares := []float64{0, 0.25, 0.5, 0.75, 1}
			if k == synth.Hand {
				shares = []float64{0, 0.1, 0.2, 0.3, 0.4}
			}
			if raceEnabled {
				shares = []float64{0, shares[2]}
			}
			prev := -1.0
			for _, s := range shares {
				o, err := synth.Occlude(img, eyes, synth.Occlusion{Kind: k, Share: s, Seed: 7})
				if err != nil {
					t.Fatalf("%s %.2f: %v", k, s, err)
				}
				if math.Abs(o.Share-s) > 0.02 {
					t.Errorf("%s grey=%v: share %.3f drawn for %.2f", k, grey, o.Share, s)
				}
				if o.Share < prev {
					t.Errorf("%s grey=%v: share %.3f after %.3f", k, grey, o.Share, prev)
				}
				prev = o.Share
				if _, isGrey := o.Image.(*image.Gray); isGrey != grey {
					t.Errorf("%s: output %T for grey=%v", k, o.Image, grey)
				}
				var inZone, covered, masked int
				b := img.Bounds()
				for y := b.Min.Y; y < b.Max.Y; y++ {
					for x := b.Min.X; x < b.Max.X; x++ {
						m, z := o.Mask.AlphaAt(x, y).A != 0, o.Zone.AlphaAt(x, y).A != 0
						if z {
							inZone++
							if m {
								covered++
							}
						}
						if m {
							masked++
						} else if pixel(img, x, y) != pixel(o.Image, x, y) {
							t.Fatalf("%s %.2f: pixel (%d, %d) changed outside the mask", k, s, x, y)
						}
					}
				}
				if inZone == 0 || o.Share != float64(covered)/float64(inZone) {
					t.Errorf("%s %.2f: share %v, mask ∩ zone %d/%d", k, s, o.Share, covered, inZone)
				}
				if s == 0 && masked != 0 {
					t.Errorf("%s: share 0 masks %d pixels", k, masked)
				}
			}
			a, err1 := synth.Occlude(img, eyes, synth.Occlusion{Kind: k, Share: 0.3, Seed: 3})
			c, err2 := synth.Occlude(img, eyes, synth.Occlusion{Kind: k, Share: 0.3, Seed: 3})
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !bytes.Equal(pix(a.Image), pix(c.Image)) || !bytes.Equal(a.Mask.Pix, c.Mask.Pix) {
				t.Errorf("%s: one seed, two results", k)
			}
		}
	}
	img, eyes := occTestFace(false)
	for _, o := range []synth.Occlusion{
		{Kind: "scarf", Share: 0.5},
		{Kind: synth.Mask, Share: -0.1},
		{Kind: synth.Mask, Share: math.NaN()},
		{Kind: synth.Hand, Share: 1},
	} {
		if _, err := synth.Occlude(img, eyes, o); !errors.Is(err, synth.ErrInvalid) {
			t.Errorf("%+v: error %v, want ErrInvalid", o, err)
		}
	}
	bad := eyes
	bad.Left.X = bad.Right.X - 10
	if _, err := synth.Occlude(img, bad, synth.Occlusion{Kind: synth.Mask, Share: 0.5}); !errors.Is(err, synth.ErrInvalid) {
		t.Errorf("swapped eyes: error %v, want ErrInvalid", err)
	}
	if _, err := synth.Occlude(nil, eyes, synth.Occlusion{Kind: synth.Mask, Share: 0.5}); !errors.Is(err, synth.ErrInvalid) {
		t.Errorf("nil image: error %v, want ErrInvalid", err)
	}
}

// pix returns the pixel bytes of an *image.RGBA or *image.Gray.
func pix(img image.Image) []byte {
	switch m := img.(type) {
	case *image.RGBA:
		return m.Pix
	case *image.Gray:
		return m.Pix
	}
	return nil
}
