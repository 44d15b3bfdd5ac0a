package library_test

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

// assess is the README's "Using the library" snippet (between the README
// markers, which TestREADMESnippet compares with the README): frame is a
// camera frame, img a fingerprint image at 500 ppi, and show tells the
// operator what to do.
func assess(frame, img image.Image, show func([]string)) error {
	// README begin
	prof := thresholds.MustEmbedded("ees-usk")
	fa, err := face.New(nil) // cascades load once; safe for concurrent use
	if err != nil {
		return err
	}
	rep, err := fa.Assess(frame, &face.AssessOptions{Preview: true})
	if err != nil {
		return err // face.ErrTooSmall, ErrEmptyImage, ErrNilImage: no usable frame
	}
	d := prof.Decide(quality.Face, rep.Measures)
	if !d.Accepted() {
		show(d.Instructions())
	}

	fp := finger.New(nil) // NFIQ 2 with the embedded model
	frep, err := fp.Assess(img, 500)
	switch {
	case errors.Is(err, finger.ErrTooSmall): // test first: it is also ErrUnscorable
		return err // too small to hold a fingerprint: reject the input
	case errors.Is(err, finger.ErrUnscorable):
		d = prof.DecideUnscorable(quality.Finger, err) // frep, when not nil, holds what was measured
	case err != nil:
		return err // finger.ErrResolution
	default:
		d = prof.Decide(quality.Finger, frep.Measures)
	}
	if !d.Accepted() {
		show(d.Instructions())
	}
	// README end
	return nil
}

// scene is a plain colour image with no face in it.
func scene(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetRGBA(x, y, color.RGBA{uint8(60 + y/4), uint8(120 + x/8), 230, 255})
		}
	}
	return m
}

// blank is a white greyscale image: no finger on the sensor.
func blank(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	return g
}

// The README's snippet on a frame without a face and a good print, on an
// empty sensor, and on 1×1 images: every outcome is a decision or a typed
// error, never a panic.
func Example() {
	print, err := synth.Fingerprint(synth.FingerParams{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	tiny := image.NewGray(image.Rect(0, 0, 1, 1))
	show := func(instructions []string) {
		for _, s := range instructions {
			fmt.Println("  show:", s)
		}
	}
	for _, c := range []struct {
		name       string
		frame, img image.Image
	}{
		{"no face, good print", scene(640, 480), print},
		{"no face, empty sensor", scene(640, 480), blank(300, 300)},
		{"1×1 frame", tiny, print},
		{"1×1 print", scene(640, 480), tiny},
	} {
		fmt.Println(c.name)
		if err := assess(c.frame, c.img, show); err != nil {
			fmt.Println("  error:", err)
			fmt.Println("  too small:", errors.Is(err, face.ErrTooSmall) || errors.Is(err, finger.ErrTooSmall))
		}
	}
	// Output:
	// no face, good print
	//   show: No face found: ask the person to face the camera with nothing covering the face, then capture again.
	// no face, empty sensor
	//   show: No face found: ask the person to face the camera with nothing covering the face, then capture again.
	//   show: NFIQ 2 cannot score this image: image is blank: all image rows appear to be blank. Check that a finger is on the sensor, centred and pressed flat, then capture again.
	// 1×1 frame
	//   error: face: image 1x1 is too small to search for a face (minimum 24x24)
	//   too small: true
	// 1×1 print
	//   show: No face found: ask the person to face the camera with nothing covering the face, then capture again.
	//   error: NFIQ 2 cannot score this image: image 1x1 is too small for a fingerprint (minimum 36x36 at 500 ppi)
	//   too small: true
}
