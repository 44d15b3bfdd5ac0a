// Package reporttest builds synthetic gate reports, and optionally matching
// sample images, for the report package's tests and the HTML screenshot
// check. Nothing in it reads real biometric data.
package reporttest

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// Finger returns the report of a fingerprint at path with the given NFIQ 2
// score, decided by p.
func Finger(p *thresholds.Profile, path string, score int) gate.Report {
	ms := quality.Measures{
		quality.Native(quality.QualityScore, float64(score), ""),
		quality.Native("FingerJetFX_MinutiaeCount", float64(20+score/2), ""),
	}
	return gate.Report{
		Path: path, Modality: quality.Finger, Format: "png", Width: 400, Height: 500, PPI: 500,
		Profile:  p.Ref(),
		Score:    &quality.Score{Name: "NFIQ2", Value: score, Model: "nfiq2-compatible", ModelVersion: "1.0"},
		Measures: ms,
		Decision: p.Decide(quality.Finger, ms),
	}
}

// Unscorable returns the report of a fingerprint NFIQ 2 could not score.
func Unscorable(p *thresholds.Profile, path string) gate.Report {
	err := fmt.Errorf("%w: too little foreground", gate.ErrUnscorable)
	return gate.Report{
		Path: path, Modality: quality.Finger, Format: "png", Width: 400, Height: 500, PPI: 500,
		Profile: p.Ref(), Measures: quality.Measures{}, Error: err.Error(),
		Decision: p.DecideUnscorable(quality.Finger, err),
	}
}

// Face returns the report of a portrait at path with the given inter-eye
// distance, head roll and sharpness component, decided by p.
func Face(p *thresholds.Profile, path string, ied, roll, sharpness float64) gate.Report {
	ms := quality.Measures{
		quality.Native(quality.FaceCount, 1, ""),
		quality.WithComponent(quality.InterEyeDistance, ied, "px", math.Min(100, ied/1.2)),
		quality.Native(quality.HeadPoseRoll, roll, "deg"),
		quality.WithComponent(quality.Sharpness, sharpness/10, "", sharpness),
		quality.WithComponent(quality.UnderExposurePrevention, 0.02, "", 80),
	}
	return gate.Report{
		Path: path, Modality: quality.Face, Format: "jpeg", Width: 480, Height: 640,
		Profile: p.Ref(), Measures: ms, Decision: p.Decide(quality.Face, ms),
	}
}

// Unreadable returns the report of a file that could not be decoded.
func Unreadable(p *thresholds.Profile, path string) gate.Report {
	err := errors.New("unsupported image format")
	return gate.Report{
		Path: path, Modality: quality.UnknownModality, Profile: p.Ref(), Measures: quality.Measures{},
		Error: err.Error(), Decision: quality.Unusable(thresholds.CodeUnreadable, err),
	}
}

// Samples returns a fixed mix of reports under p, paths relative to a
// folder holding "finger/" and "face/" sub-folders: accepted and
// recaptured fingerprints (scores around the threshold, 0, unscorable),
// faces below, at and above the inter-eye distance threshold, a tilted
// face, and an unreadable file.
func Samples(p *thresholds.Profile) []gate.Report {
	var out []gate.Report
	for i, s := range []int{72, 55, 41, 38, 33, 29, 24, 15, 14, 9, 0, 63, 47, 18, 12} {
		out = append(out, Finger(p, fmt.Sprintf("finger/subject%02d_right_index.png", i+1), s))
	}
	out = append(out, Unscorable(p, "finger/subject16_left_thumb_no_finger_on_sensor.png"))
	for i, f := range []struct{ ied, roll, sharp float64 }{
		{180, 1.5, 70}, {152.4, -2, 64}, {131, 0.5, 58}, {120, 3, 61}, {119.6, 0, 66},
		{96.2, 1, 52}, {141, 11.2, 49}, {205, 0, 81}, {88, -9.5, 35}, {163, 2.2, 57},
	} {
		out = append(out, Face(p, fmt.Sprintf("face/portrait_%02d.png", i+1), f.ied, f.roll, f.sharp))
	}
	out = append(out, Unreadable(p, "face/portrait_11_corrupt.png"))
	return out
}

// WriteImages writes a small synthetic image for every finger and face
// sample of Samples into dir (greyscale ridges for fingers, a coloured
// disc for faces), so that HTML previews have something to show.
func WriteImages(dir string, samples []gate.Report) error {
	for i, s := range samples {
		var img image.Image
		switch s.Modality {
		case quality.Finger:
			img = ridges(200, 250, float64(i))
		case quality.Face:
			img = portrait(180, 240, i)
		default:
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(s.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		err = png.Encode(f, img)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func ridges(w, h int, seed float64) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2+seed, float64(h)/2
	for y := range h {
		for x := range w {
			dx, dy := float64(x)-cx, (float64(y)-cy)*0.8
			r := math.Hypot(dx, dy)
			v := 128 + 100*math.Sin(r/3+seed)
			if r > float64(w)*0.45 {
				v = 235
			}
			img.SetGray(x, y, color.Gray{Y: uint8(v)})
		}
	}
	return img
}

func portrait(w, h, seed int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := color.RGBA{R: uint8(170 + seed*7%60), G: 190, B: 215, A: 255}
	skin := color.RGBA{R: 225, G: uint8(170 + seed*5%40), B: 140, A: 255}
	for y := range h {
		for x := range w {
			dx, dy := float64(x-w/2)/float64(w/3), float64(y-h/2)/float64(h/3)
			c := bg
			if dx*dx+dy*dy < 1 {
				c = skin
			}
			for _, ex := range []int{w/2 - w/8, w/2 + w/8} {
				if (x-ex)*(x-ex)+(y-h/2+h/12)*(y-h/2+h/12) < 30 {
					c = color.RGBA{R: 40, G: 40, B: 60, A: 255}
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}
