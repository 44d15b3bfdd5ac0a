//go:build js

package wasm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// modelDirs hold the models this build leaves out (face.ModelFiles);
// under Node the test reads them from the repository, as the page fetches
// them.
var modelDirs = []string{filepath.Join("..", "face", "internal", "facemesh", "models"), filepath.Join("..", "face", "internal", "cascade")}

// TestMain checks, before anything loads the face mesh, that this build
// holds no weights and assesses nothing that needs them without them
// (checkWithoutModels), then gives the tests the repository's files.
func TestMain(m *testing.M) {
	if err := checkWithoutModels(); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: without the face models:", err)
		os.Exit(1)
	}
	var dirs []string
	for _, d := range modelDirs {
		abs, err := filepath.Abs(d) // tests change directory
		if err != nil {
			fmt.Fprintln(os.Stderr, "FAIL:", err)
			os.Exit(1)
		}
		dirs = append(dirs, abs)
	}
	face.SetModelSource(func(name string) ([]byte, error) {
		for _, d := range dirs {
			if b, err := os.ReadFile(filepath.Join(d, name)); err == nil {
				return b, nil
			}
		}
		return nil, fmt.Errorf("%s not found in %v", name, dirs)
	})
	os.Exit(m.Run())
}

// checkWithoutModels: with no source, then with a source that fails and
// one that gives the wrong bytes, a colour image (a face to the gate) is
// refused with CodeModelsUnavailable and no report, the gate itself
// neither takes a greyscale picture for a fingerprint nor reports a face
// without its mesh, while a fingerprint record and a preview frame are
// assessed as natively (their goldens, in TestAssessEqualsCLI and
// TestAssessFrame, hold their reports).
func checkWithoutModels() error {
	if face.ModelsEmbedded {
		return errors.New("face.ModelsEmbedded is true under GOOS=js: the .wasm holds the mesh weights")
	}
	colour := image.NewRGBA(image.Rect(0, 0, 160, 160))
	for y := range 160 {
		for x := range 160 {
			v := uint8((x*7 + y*13) % 251)
			colour.Set(x, y, color.RGBA{v, 255 - v, v / 2, 255})
		}
	}
	var png bytes.Buffer
	if err := encodePNG(&png, colour); err != nil {
		return err
	}
	e := NewEngine()
	if err := e.Init(); err != nil {
		return fmt.Errorf("Init without the weights: %v (the engine must start without them)", err)
	}
	sources := []struct {
		name string
		src  func(string) ([]byte, error)
		want string
	}{
		{"no source", nil, "no source was set"},
		{"a failing source", func(string) ([]byte, error) { return nil, errors.New("HTTP 404") }, "HTTP 404"},
		{"wrong bytes", func(string) ([]byte, error) { return []byte("not the weights"), nil }, "has SHA-256"},
	}
	for _, s := range sources {
		face.SetModelSource(s.src)
		b, err := e.Assess(context.Background(), "colour.png", png.Bytes(), Options{})
		var we *Error
		if !errors.As(err, &we) || we.Code != CodeModelsUnavailable || we.Report != nil || b != nil || !strings.Contains(we.Message, s.want) {
			return fmt.Errorf("%s: Assess gave %d bytes, error %v: want %s, no report, a message naming %q", s.name, len(b), err, CodeModelsUnavailable, s.want)
		}
		if err := face.LoadModels(); !errors.Is(err, face.ErrModelsUnavailable) {
			return fmt.Errorf("%s: LoadModels: %v, want face.ErrModelsUnavailable", s.name, err)
		}
		// The gate, used directly: a face image is not reported without
		// its mesh (nor taken for something else).
		fa, err := face.New(nil)
		if err != nil {
			return err
		}
		g, err := gate.New(thresholds.MustEmbedded(thresholds.Default), nil, &gate.Face{Assessor: fa}, &gate.Finger{Assessor: finger.New(nil)})
		if err != nil {
			return err
		}
		var r gate.Report
		g.AssessImage(context.Background(), &load.Image{Image: colour, Format: "png"}, &r)
		if r.Modality != quality.Face || r.Decision.Outcome != quality.Reject || !strings.Contains(r.Error, face.ErrModelsUnavailable.Error()) {
			return fmt.Errorf("%s: the gate assessed the image as %v, %v, error %q: want a face not assessed (%v)", s.name, r.Modality, r.Decision.Outcome, r.Error, face.ErrModelsUnavailable)
		}
		// A preview frame needs no weights.
		if _, err := e.AssessFrame(context.Background(), colour.Pix, 160, 160, Options{}); err != nil && ErrorCode(err) == CodeModelsUnavailable {
			return fmt.Errorf("%s: a preview frame needed the weights: %v", s.name, err)
		}
		// Nor does a fingerprint in finger mode.
		fp := filepath.Join("..", "testdata", "finger", "synthetic_good_1.png")
		data, err := os.ReadFile(fp)
		if err != nil {
			return err
		}
		if _, err := e.Assess(context.Background(), "print.png", data, Options{Modality: "finger"}); ErrorCode(err) == CodeModelsUnavailable {
			return fmt.Errorf("%s: a fingerprint in finger mode needed the weights: %v", s.name, err)
		}
	}
	face.SetModelSource(nil)
	return nil
}
