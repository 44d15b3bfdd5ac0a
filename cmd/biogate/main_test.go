package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/report"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func writeImage(t *testing.T, path string, img image.Image) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, png.Encode(f, img))
	require.NoError(t, f.Close())
}

// mixedFolder writes a folder with a blank grey image (NFIQ 2 cannot score
// it: warn the operator), a colour image with no face (recapture), a file
// that is not an image and a truncated PNG (both unreadable).
func mixedFolder(t *testing.T) string {
	dir := t.TempDir()
	blank := image.NewGray(image.Rect(0, 0, 300, 300))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	writeImage(t, filepath.Join(dir, "finger", "blank.png"), blank)
	sky := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := 0; y < 240; y++ {
		for x := 0; x < 320; x++ {
			sky.Set(x, y, color.RGBA{uint8(60 + y/4), uint8(120 + x/8), 230, 255})
		}
	}
	writeImage(t, filepath.Join(dir, "face", "sky.png"), sky)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "face", "notes.jpg"), []byte("not a jpeg"), 0o600))
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, sky))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "face", "truncated.png"), buf.Bytes()[:buf.Len()/3], 0o600))
	return dir
}

func TestCheckMixedFolder(t *testing.T) {
	dir := mixedFolder(t)
	code, out, errOut := runCLI(t, "check", "-q", dir)
	assert.Equal(t, exitError, code, "unreadable files make the exit code 2; stderr: %s", errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 5, out) // 4 samples + summary
	// Folder contents come in lexical order.
	assert.Regexp(t, `^reject\s+unknown\s+-\s+.*notes\.jpg\s+The file cannot be assessed: .*unsupported`, lines[0])
	assert.Regexp(t, `^recapture\s+face\s+0 faces\s+.*sky\.png\s+No face found`, lines[1])
	assert.Regexp(t, `^reject\s+unknown\s+-\s+.*truncated\.png\s+The file cannot be assessed: .*corrupt`, lines[2])
	assert.Regexp(t, `^warn_operator\s+finger\s+-\s+.*blank\.png\s+NFIQ 2 cannot score this image: image is blank`, lines[3])
	assert.Equal(t, "4 samples: 0 accept, 1 recapture, 1 warn_operator, 2 reject (profile ees-usk 1.0.0)", lines[4])

	// Without the unreadable files: exit code 1 (attention needed).
	code, _, _ = runCLI(t, "check", "-q", filepath.Join(dir, "finger"), filepath.Join(dir, "face", "sky.png"))
	assert.Equal(t, exitAttention, code)
}

func TestCheckJSONCarriesEverything(t *testing.T) {
	dir := mixedFolder(t)
	code, out, _ := runCLI(t, "check", "-q", "-format", "json", "-set", "face.min_inter_eye_px=100", dir)
	assert.Equal(t, exitError, code)
	var b report.Batch
	require.NoError(t, json.Unmarshal([]byte(out), &b))
	assert.Equal(t, "biogate", b.Tool)
	assert.Equal(t, "ees-usk", b.Profile.Name)
	require.Len(t, b.Samples, 4)
	assert.Equal(t, []string{"face.min_inter_eye_px=100"}, b.Samples[0].Profile.Overrides)
	assert.Equal(t, 2, b.Summary.Reject)
	for _, s := range b.Samples {
		assert.NotEmpty(t, s.Path)
		assert.NotEmpty(t, s.Decision.Reasons)
		for _, r := range s.Decision.Reasons {
			assert.NotEmpty(t, r.Code)
			assert.NotEmpty(t, r.Instruction)
		}
	}
}

func TestCheckFormats(t *testing.T) {
	dir := mixedFolder(t)
	for _, f := range []string{"jsonl", "csv", "junit"} {
		t.Run(f, func(t *testing.T) {
			code, out, _ := runCLI(t, "check", "-q", "-format", f, "-j", "1", dir)
			assert.Equal(t, exitError, code)
			switch f {
			case "jsonl":
				assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 4)
			case "csv":
				assert.True(t, strings.HasPrefix(out, "path,modality,outcome,score"))
				assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 5)
			case "junit":
				assert.Contains(t, out, `<testsuites name="biogate" tests="4" failures="2" errors="2">`)
			}
		})
	}
}

func TestCheckUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("schema: 1\nname: mine\nversion: '1'\nmax_attempts: 3\nface:\n  min_iner_eye_px: 100\n"), 0o600))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no path", []string{"check"}, "no PATH given"},
		{"bad format", []string{"check", "-format", "xml", dir}, `unknown format "xml"`},
		{"bad profile key", []string{"check", "-profile", bad, dir}, `key "face.min_iner_eye_px": unknown key (did you mean "min_inter_eye_px"?)`},
		{"unknown profile", []string{"check", "-profile", "nope", dir}, `unknown profile "nope"`},
		{"bad set", []string{"check", "-set", "finger.recapture_below=200", dir}, `key "finger.recapture_below": 200 is out of range`},
		{"bad modality", []string{"check", "-modality", "iris", dir}, `unknown modality "iris"`},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.args...)
			assert.Equal(t, exitError, code)
			assert.Contains(t, errOut, tt.want)
			if tt.name == "bad profile key" {
				assert.Equal(t, 1, strings.Count(strings.TrimSpace(errOut), "\n")+1, "a malformed profile gives a one-line error: %q", errOut)
			}
		})
	}
}

func TestCheckDoesNotOverwrite(t *testing.T) {
	dir := mixedFolder(t)
	out := filepath.Join(t.TempDir(), "report.json")
	require.NoError(t, os.WriteFile(out, []byte("keep me"), 0o600))
	code, _, errOut := runCLI(t, "check", "-q", "-format", "json", "-o", out, dir)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "not overwriting")
	b, _ := os.ReadFile(out)
	assert.Equal(t, "keep me", string(b))
}

func TestProfilesCommand(t *testing.T) {
	code, out, _ := runCLI(t, "profiles")
	assert.Equal(t, exitAccepted, code)
	assert.Contains(t, out, "ees-usk")
	assert.Contains(t, out, "icao")
	code, out, _ = runCLI(t, "profiles", "ees-usk")
	assert.Equal(t, exitAccepted, code)
	assert.Contains(t, out, "recapture_below: 15")
	assert.Contains(t, out, "min_inter_eye_px: 120")
}

// TestCheckWithOpenCVModel scores with an OpenCV RTrees file given by
// -nfiq2-model (a 69-variable forest written by OpenCV 4.6 for the forest
// package's tests): the report names that model, not the embedded one.
func TestCheckWithOpenCVModel(t *testing.T) {
	model := filepath.Join("..", "..", "finger", "internal", "forest", "testdata", "opencv", "nfiq69.yaml")
	sample := filepath.Join("..", "..", "testdata", "finger", "synthetic_good_1.png")
	code, out, errOut := runCLI(t, "check", "-q", "-format", "json", "-nfiq2-model", model, sample)
	require.Contains(t, []int{exitAccepted, exitAttention}, code, errOut)
	var b report.Batch
	require.NoError(t, json.Unmarshal([]byte(out), &b))
	require.Len(t, b.Samples, 1)
	require.NotNil(t, b.Samples[0].Score)
	assert.Equal(t, "opencv-rtrees", b.Samples[0].Score.Model)
	assert.Contains(t, b.Samples[0].Score.ModelVersion, "md5:")

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("%YAML:1.0\nmy_random_trees:\n  ntrees: x\n"), 0o600))
	code, _, errOut = runCLI(t, "check", "-q", "-nfiq2-model", bad, sample)
	assert.Equal(t, exitError, code)
	assert.NotEmpty(t, errOut)
}

// TestCheckCancelled checks that an interrupted run (Ctrl-C cancels the
// context) stops and exits 2.
func TestCheckCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"check", "-q", filepath.Join("..", "..", "testdata", "finger")}, strings.NewReader(""), &out, &errb)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errb.String(), "stopped")
}
