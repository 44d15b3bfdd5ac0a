package synth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// SidecarSchema is the version of the sidecar JSON layout.
const SidecarSchema = 1

// Generator names this package in sidecars.
const Generator = "github.com/biogate/biogate/synth"

// Sidecar describes a generated sample: how it was made, its ground truth
// and the checks a quality gate is expected to fail or pass on it. It is
// stored as NAME.json next to the image (NAME.png, or NAME.jpg for a JPEG
// face variant).
type Sidecar struct {
	// Schema is SidecarSchema.
	Schema int `json:"schema"`
	// Generator is the package that made the sample.
	Generator string `json:"generator"`
	// Name is the sample's base file name without extension.
	Name string `json:"name"`
	// Image is the image file's name, relative to the sidecar.
	Image string `json:"image"`
	// Modality is "finger" or "face".
	Modality string `json:"modality"`
	// Width and Height are the image size in pixels.
	Width  int `json:"width"`
	Height int `json:"height"`
	// PPI is the resolution of a fingerprint (500), 0 for faces.
	PPI int `json:"ppi,omitempty"`
	// Seed is the seed of the random parts (pattern and degradation for
	// fingerprints, noise and clutter for faces).
	Seed uint64 `json:"seed"`
	// Finger holds the fingerprint's generation parameters.
	Finger *FingerParams `json:"finger,omitempty"`
	// FingerDegradation holds the degradation applied to the fingerprint.
	FingerDegradation *FingerDegradation `json:"finger_degradation,omitempty"`
	// Level names the fingerprint's quality level ("good", "noisy", ...)
	// when it was made from a named level.
	Level string `json:"level,omitempty"`
	// Source is the base name of a face variant's source portrait.
	Source string `json:"source,omitempty"`
	// SourceEyes are the eye centres given for the source portrait.
	SourceEyes *Eyes `json:"source_eyes,omitempty"`
	// Variant is the face variant's name, as given to ParseFaceVariant.
	Variant string `json:"variant,omitempty"`
	// FaceDegradation holds the degradation applied to the portrait.
	FaceDegradation *FaceDegradation `json:"face_degradation,omitempty"`
	// Eyes are the ground-truth eye centres in this image.
	Eyes *Eyes `json:"eyes,omitempty"`
	// IED and Roll are the ground-truth inter-eye distance (px) and eye
	// line roll (degrees, quality.HeadPoseRoll sign) in this image.
	IED  float64 `json:"ied,omitempty"`
	Roll float64 `json:"roll,omitempty"`
	// Profile names the threshold profile the expectations refer to.
	Profile string `json:"profile"`
	// ExpectFail lists the decision reason codes the profile must raise on
	// this sample, for example "face.HeadPoseRoll".
	ExpectFail []string `json:"expect_fail"`
	// ExpectPass lists the codes the profile must not raise on it.
	ExpectPass []string `json:"expect_pass"`
}

// Marshal returns the sidecar as indented JSON with a final newline; the
// output is a function of s alone.
func (s *Sidecar) Marshal() ([]byte, error) {
	c := *s
	if c.ExpectFail == nil {
		c.ExpectFail = []string{}
	}
	if c.ExpectPass == nil {
		c.ExpectPass = []string{}
	}
	b, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ReadSidecar reads a sidecar file.
func ReadSidecar(path string) (*Sidecar, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Sidecar
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("synth: sidecar %s: %w", path, err)
	}
	if s.Schema != SidecarSchema {
		return nil, fmt.Errorf("synth: sidecar %s: schema %d, want %d", path, s.Schema, SidecarSchema)
	}
	return &s, nil
}

// ErrExists is returned (wrapped, with the path) when a sample would
// overwrite an existing file; errors.Is also matches it to fs.ErrExist.
var ErrExists error = existsError{}

type existsError struct{}

func (existsError) Error() string        { return "file exists; not replaced without force" }
func (existsError) Is(target error) bool { return target == fs.ErrExist }

// Sample is a generated image with its sidecar.
type Sample struct {
	// Image is the generated image.
	Image image.Image
	// JPEG holds the JPEG file bytes for a JPEG face variant, nil otherwise
	// (the sample is then written as PNG).
	JPEG []byte
	// Sidecar describes the sample; its Image field names the file.
	Sidecar *Sidecar
}

// Encode returns the image file's bytes (the JPEG bytes, or PNG at the
// default compression) and the sidecar's.
func (s *Sample) Encode() (img, sidecar []byte, err error) {
	if s.Image == nil || s.Sidecar == nil {
		return nil, nil, paramErr("Sample", "no image or sidecar")
	}
	img = s.JPEG
	if img == nil {
		var buf bytes.Buffer
		if err := png.Encode(&buf, s.Image); err != nil {
			return nil, nil, err
		}
		img = buf.Bytes()
	}
	sidecar, err = s.Sidecar.Marshal()
	return img, sidecar, err
}

// Write stores the sample in dir as Sidecar.Image and NAME.json. It refuses
// to replace an existing file (ErrExists) unless force is set; dir is
// created when missing. It returns the paths written.
func (s *Sample) Write(dir string, force bool) ([]string, error) {
	imgBytes, side, err := s.Encode()
	if err != nil {
		return nil, err
	}
	name := s.Sidecar.Name
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return nil, paramErr("Name", "%q is not a plain file name", name)
	}
	paths := []string{filepath.Join(dir, s.Sidecar.Image), filepath.Join(dir, name+".json")}
	if !force {
		for _, p := range paths {
			if _, err := os.Lstat(p); err == nil {
				return nil, fmt.Errorf("%s: %w", p, ErrExists)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for i, data := range [][]byte{imgBytes, side} {
		if err := os.WriteFile(paths[i], data, 0o644); err != nil {
			return nil, err
		}
	}
	return paths, nil
}
