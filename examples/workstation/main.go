// Command workstation is an example capture-workstation loop: for each
// subject position (here, fingers) it takes attempts from a capture device,
// scores each with NFIQ 2, applies the ees-usk profile, and uses a
// quality.Session to keep the best attempt, stop on the first accepted one, or
// stop after the profile's maximum number of attempts and tell the operator
// what to do.
//
// The "device" here reads attempts from a folder laid out as
// DIR/<position>/<attempt>.png (attempts in name order), so the loop can be
// run on recorded captures:
//
//	go run ./examples/workstation DIR
package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// Device captures one attempt for a subject position. It returns io.EOF
// when it has no more attempts for that position.
type Device interface {
	Capture(ctx context.Context, position string, attempt int) (image.Image, error)
}

// Outcome is the result of the loop for one position.
type Outcome struct {
	Position string
	Advice   quality.Advice
	Best     quality.Attempt
}

// Station runs capture loops with one profile and one assessor, both built
// once and shared.
type Station struct {
	Profile  *thresholds.Profile
	Assessor *finger.Assessor
	Log      io.Writer
}

// CapturePosition runs the loop for one position.
func (s *Station) CapturePosition(ctx context.Context, dev Device, position string) (Outcome, error) {
	session := quality.NewSession(s.Profile.MaxAttempts)
	for attempt := 1; ; attempt++ {
		img, err := dev.Capture(ctx, position, attempt)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Outcome{}, err
		}
		var d quality.Decision
		score := -1.0
		rep, err := s.Assessor.Assess(img, 500)
		switch {
		case errors.Is(err, finger.ErrUnscorable):
			d = s.Profile.DecideUnscorable(quality.Finger, err)
		case err != nil:
			d = quality.Unusable(thresholds.CodeUnreadable, err)
		default:
			d = s.Profile.Decide(quality.Finger, rep.Measures)
			score = float64(rep.Score.Value)
		}
		adv, err := session.Add(quality.Attempt{Decision: d, Score: score, Sample: img})
		if err != nil {
			return Outcome{}, err
		}
		scoreText := "not scorable"
		if score >= 0 {
			scoreText = fmt.Sprint(score)
		}
		fmt.Fprintf(s.Log, "%s attempt %d: NFIQ 2 %s, %s. %s\n", position, attempt, scoreText, d.Outcome, adv.Instruction)
		if adv.Step != quality.Continue {
			break
		}
	}
	best, _ := session.Best()
	return Outcome{Position: position, Advice: session.Advice(), Best: best}, nil
}

// folderDevice replays recorded attempts from DIR/<position>/*.png.
type folderDevice struct{ dir string }

func (f folderDevice) Capture(_ context.Context, position string, attempt int) (image.Image, error) {
	files, err := filepath.Glob(filepath.Join(f.dir, position, "*.png"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	if attempt > len(files) {
		return nil, io.EOF
	}
	img, err := load.FileImage(files[attempt-1], nil)
	if err != nil {
		return nil, err
	}
	return img.Image, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: workstation DIR   (DIR/<position>/<attempt>.png)")
		os.Exit(2)
	}
	dir := os.Args[1]
	entries, err := os.ReadDir(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	st := &Station{Profile: thresholds.MustEmbedded(thresholds.Default), Assessor: finger.New(nil), Log: os.Stdout}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		out, err := st.CapturePosition(context.Background(), folderDevice{dir}, e.Name())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("%s: %s\n", out.Position, out.Advice.Instruction)
	}
}
