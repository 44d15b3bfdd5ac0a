package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/internal/corpus"
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
		{"bad modality", []string{"check", "-modality", "iris", dir}, `-modality: unknown modality "iris" (want auto, face or finger)`},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		// Values that used to run as if unset (issue 30 item 7).
		{"negative ppi", []string{"check", "-ppi", "-5", dir}, "-ppi -5: want the resolution in pixels per inch, a number above 0"},
		{"NaN ppi", []string{"check", "-ppi", "NaN", dir}, "-ppi NaN: want the resolution"},
		{"infinite ppi", []string{"check", "-ppi", "+Inf", dir}, "-ppi +Inf: want the resolution"},
		{"zero ppi", []string{"check", "-ppi", "0", dir}, "-ppi 0: want the resolution"},
		{"ppi NFIQ 2 cannot use", []string{"check", "-ppi", "200", dir}, "-ppi 200: fingerprints are scored at 500 ppi and only 300 to 1200 ppi can be resampled to it"},
		{"zero max-pixels", []string{"check", "-max-pixels", "0", dir}, "-max-pixels 0: want a number of pixels of at least 1"},
		{"negative max-pixels", []string{"check", "-max-pixels", "-1", dir}, "-max-pixels -1: want a number of pixels of at least 1"},
		// -force replaces files, not folders: refused before the batch
		// (issue 30 item 8).
		{"force onto a folder", []string{"check", "-force", "-o", dir, dir}, "is a directory: give a file name"},
		{"html onto a folder", []string{"check", "-force", "-html", dir, dir}, "is a directory: give a file name"},
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

// smallFolder writes n small greyscale PNGs (quick to assess) and returns
// the folder.
func smallFolder(t *testing.T, n int) string {
	dir := t.TempDir()
	for i := range n {
		g := image.NewGray(image.Rect(0, 0, 48, 48))
		for j := range g.Pix {
			g.Pix[j] = uint8(i*7 + j)
		}
		writeImage(t, filepath.Join(dir, fmt.Sprintf("s%02d.png", i)), g)
	}
	return dir
}

// runInterrupted runs check with Ctrl-C arriving once `after` input files
// have been reported.
func runInterrupted(t *testing.T, after int, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	testHookReported = func(assessed int) {
		if assessed == after {
			cancel()
		}
	}
	defer func() { testHookReported = nil }()
	var out, errb bytes.Buffer
	code = run(ctx, append([]string{"check", "-q", "-j", "1"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestCheckInterruptedLeavesNoReportFile checks that Ctrl-C during a run
// with -o (and -html) leaves no report file: a partial report used to be
// written in full, valid and complete-looking ("summary.total": 3 of 8).
// Nor is a temporary file left behind.
func TestCheckInterruptedLeavesNoReportFile(t *testing.T) {
	in := smallFolder(t, 8)
	for _, format := range []string{"json", "jsonl", "csv", "junit", "table"} {
		t.Run(format, func(t *testing.T) {
			outDir := t.TempDir()
			out, page := filepath.Join(outDir, "report."+format), filepath.Join(outDir, "report.html")
			code, _, errOut := runInterrupted(t, 3, "-format", format, "-o", out, "-html", page, in)
			assert.Equal(t, exitError, code)
			assert.Contains(t, errOut, "stopped after 3 of 8 files")
			assert.Contains(t, errOut, out+" not written")
			entries, err := os.ReadDir(outDir)
			require.NoError(t, err)
			assert.Empty(t, entries, "an interrupted run leaves no file")
		})
	}
	t.Run("before the first file", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		out := filepath.Join(t.TempDir(), "report.json")
		var stdout, stderr bytes.Buffer
		code := run(ctx, []string{"check", "-q", "-format", "json", "-o", out, in}, strings.NewReader(""), &stdout, &stderr)
		assert.Equal(t, exitError, code)
		assert.NoFileExists(t, out, "an empty batch (summary.total 0) is not a report of the run")
		assert.Contains(t, stderr.String(), "stopped after 0 of 8 files")
	})
}

// TestCheckInterruptedMarksReport checks that a batch written to standard
// output by an interrupted run says so, with the planned count.
func TestCheckInterruptedMarksReport(t *testing.T) {
	in := smallFolder(t, 8)
	tests := []struct {
		format string
		want   string
	}{
		{"json", `"interrupted": {`},
		{"table", "interrupted: 3 of 8 files assessed\n3 samples:"},
		{"junit", `<property name="interrupted" value="3 of 8 files assessed">`},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			code, out, _ := runInterrupted(t, 3, "-format", tt.format, in)
			assert.Equal(t, exitError, code)
			assert.Contains(t, out, tt.want)
			if tt.format == "json" {
				var b report.Batch
				require.NoError(t, json.Unmarshal([]byte(out), &b))
				require.NotNil(t, b.Interrupted)
				assert.Equal(t, report.Interruption{Files: 8, Assessed: 3}, *b.Interrupted)
				assert.Equal(t, 3, b.Summary.Total)
			}
		})
	}
	// A complete run is not marked.
	code, out, _ := runCLI(t, "check", "-q", "-format", "json", in)
	assert.Equal(t, exitAttention, code, "NFIQ 2 cannot score the images: warn_operator")
	assert.NotContains(t, out, "interrupted")
}

// TestCheckReportFileWrittenWhole checks -o on a complete run: the file
// appears under its name with nothing else beside it, an existing file is
// kept without -force and replaced with it.
func TestCheckReportFileWrittenWhole(t *testing.T) {
	in := smallFolder(t, 2)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "r.json")
	code, _, errOut := runCLI(t, "check", "-q", "-format", "json", "-o", out, in)
	assert.Equal(t, exitAttention, code, errOut)
	var b report.Batch
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &b))
	assert.Equal(t, 2, b.Summary.Total)
	fi, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())

	code, _, errOut = runCLI(t, "check", "-q", "-format", "table", "-o", out, in)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "not overwriting")
	data2, _ := os.ReadFile(out)
	assert.Equal(t, data, data2)

	code, _, _ = runCLI(t, "check", "-q", "-format", "table", "-force", "-o", out, in)
	assert.Equal(t, exitAttention, code)
	data2, _ = os.ReadFile(out)
	assert.Contains(t, string(data2), "2 samples:")
	entries, _ := os.ReadDir(outDir)
	assert.Len(t, entries, 1, "no temporary file left")

	code, _, errOut = runCLI(t, "check", "-q", "-o", filepath.Join(outDir, "missing", "r.txt"), in)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "cannot write "+filepath.Join(outDir, "missing", "r.txt"))
}

// TestCheckTooSmallRejected checks that a 1×1 image is rejected with exit
// code 2 whatever -modality says (auto used to give warn_operator, exit 1).
func TestCheckTooSmallRejected(t *testing.T) {
	dir := t.TempDir()
	grey := image.NewGray(image.Rect(0, 0, 1, 1))
	grey.Pix[0] = 128
	writeImage(t, filepath.Join(dir, "grey.png"), grey)
	colour := image.NewRGBA(image.Rect(0, 0, 1, 1))
	colour.Set(0, 0, color.RGBA{200, 30, 40, 255})
	writeImage(t, filepath.Join(dir, "colour.png"), colour)
	for _, file := range []string{"grey.png", "colour.png"} {
		for _, modality := range []string{"auto", "face", "finger"} {
			t.Run(file+"/"+modality, func(t *testing.T) {
				code, out, errOut := runCLI(t, "check", "-q", "-v", "-modality", modality, filepath.Join(dir, file))
				assert.Equal(t, exitError, code, "stdout %s\nstderr %s", out, errOut)
				assert.Regexp(t, `^reject\s+(face|finger)\s+-\s+.*The file cannot be assessed: .*too small`, out)
				assert.Contains(t, out, "1 sample: 0 accept, 0 recapture, 0 warn_operator, 1 reject")
			})
		}
	}
	code, out, _ := runCLI(t, "check", "-q", "-format", "json", filepath.Join(dir, "grey.png"))
	assert.Equal(t, exitError, code)
	assert.Contains(t, out, `"code": "input.too_small"`)
}

// TestCorpusRecordResolution checks the JPEG 2000 print of the mosip
// records: on its own it declares 1000 ppi (printed as 1000, not
// 999.9979999999999) and is scored after resampling, with a warning; in its
// ISO/IEC 19794-4 record, which declares 500 ppi, it is scored at 500 ppi
// (NIST: 72) with a warning that the two disagree.
func TestCorpusRecordResolution(t *testing.T) {
	dir := corpus.Dir(t, "finger", "records")
	tests := []struct {
		file    string
		ppi     float64
		warning string
	}{
		{"info_jp2.jp2", 1000, "scored after resampling from the declared 1000 ppi to 500 ppi"},
		{"info_jp2.iso", 500, "the record declares 500 ppi but its jpeg2000 image declares 1000 ppi"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, out, errOut := runCLI(t, "check", "-q", "-format", "json", filepath.Join(dir, tt.file))
			require.Contains(t, []int{exitAccepted, exitAttention}, code, errOut)
			assert.NotContains(t, out, "999.99")
			var b report.Batch
			require.NoError(t, json.Unmarshal([]byte(out), &b))
			require.Len(t, b.Samples, 1)
			s := b.Samples[0]
			assert.Equal(t, tt.ppi, s.PPI)
			require.Len(t, s.Warnings, 1)
			assert.Contains(t, s.Warnings[0], tt.warning)

			code, out, _ = runCLI(t, "check", "-q", filepath.Join(dir, tt.file))
			assert.Contains(t, []int{exitAccepted, exitAttention}, code)
			assert.Contains(t, out, "\n    warning: "+s.Warnings[0]+"\n")
		})
	}
}
