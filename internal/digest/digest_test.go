package digest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/finger/minutiae"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
)

func TestFloat(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0x0p+00(0)"},
		{math.Copysign(0, -1), "-0x0p+00(-0)"},
		{1.5, "0x1.8p+00(1.5)"},
		{0.1, "0x1.999999999999ap-04(0.1)"},
		{math.Nextafter(0.1, 1), "0x1.999999999999bp-04(0.10000000000000002)"},
		{math.Inf(-1), "-Inf(-Inf)"},
		{math.NaN(), "NaN(NaN)"},
	}
	for _, tc := range tests {
		if got := Float(tc.v); got != tc.want {
			t.Errorf("Float(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func fingerReport(path string, angle float64) gate.Report {
	return gate.Report{
		Path: path, Modality: quality.Finger, Format: "png", Width: 400, Height: 500,
		Score:    &quality.Score{Name: "NFIQ2", Value: 57, Model: "nfiq2-compatible"},
		Measures: quality.Measures{quality.Native("FDA_Bin10_Mean", 0.25, ""), quality.WithComponent("X", 3, "px", 40)},
		Detail: &finger.Report{
			Minutiae: []minutiae.Minutia{{X: 10, Y: 20, Angle: angle, Type: minutiae.Ending, Quality: 80}},
			Feedback: finger.Feedback{UniformImage: 30.5, Fired: []string{}},
			PPI:      500,
		},
		Checks:   []quality.Check{{Reason: quality.Reason{Code: "finger.QualityScore", Measure: "QualityScore", Value: 57, Threshold: 15}, Passed: true}},
		Decision: quality.Decide(),
	}
}

func faceReport(path string) gate.Report {
	return gate.Report{
		Path: path, Modality: quality.Face, Format: "jpeg", Width: 640, Height: 480,
		Measures: quality.Measures{quality.WithComponent(quality.InterEyeDistance, 131.25, "px", 100)},
		Detail: gate.FaceDetail{Faces: []face.Face{{
			RightEye: quality.Point{X: 250.5, Y: 200}, LeftEye: quality.Point{X: 381.75, Y: 201},
			Landmarks: map[string]quality.Point{"nose": {X: 316, Y: 260}, "mouth_centre": {X: 317, Y: 320}},
		}}},
		Decision: quality.Decide(quality.Reason{Code: "face.x", Outcome: quality.Recapture}),
	}
}

// TestDigest checks the dump's shape: sorted lines, the summary, and the
// SHA-256 of everything above the last line; and that it depends on the
// values' bits but not on the order in which samples are added.
func TestDigest(t *testing.T) {
	var d Digest
	d.Add("b/finger.png", fingerReport("/abs/b/finger.png", 1))
	d.Add("a/face.jpg", faceReport("/abs/a/face.jpg"))
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	body, last := lines[:len(lines)-1], lines[len(lines)-1]
	sum := sha256.Sum256([]byte(strings.Join(body, "\n") + "\n"))
	if want := "sha256 " + hex.EncodeToString(sum[:]); last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
	if got := body[len(body)-1]; got != "# 2 samples, 51 values" {
		t.Errorf("summary %q", got)
	}
	for i := 1; i < len(body)-1; i++ {
		if body[i-1] > body[i] {
			t.Errorf("not sorted: %q before %q", body[i-1], body[i])
		}
	}
	for _, want := range []string{
		"a/face.jpg 4face 00 x=0 y=0 w=0 h=0 right_eye.x=0x1.f5p+07(250.5)",
		"a/face.jpg 4face 00 landmark nose x=0x1.3cp+08(316) y=0x1.04p+08(260)",
		`a/face.jpg 6decision outcome="recapture" reason="face.x"`,
		"b/finger.png 1score",
		"b/finger.png 2measure X value=0x1.8p+01(3) component=0x1.4p+05(40)",
		"b/finger.png 3minutia 0000 x=10 y=20 angle=0x1p+00(1)",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("dump lacks %q:\n%s", want, buf.String())
		}
	}

	var r Digest // the other order
	r.Add("a/face.jpg", faceReport("/elsewhere/a/face.jpg"))
	r.Add("b/finger.png", fingerReport("/elsewhere/b/finger.png", 1))
	if r.Sum() != d.Sum() {
		t.Error("digest depends on the order of samples or on their paths")
	}
	var n Digest // one bit moved
	n.Add("b/finger.png", fingerReport("/abs/b/finger.png", math.Nextafter(1, 2)))
	n.Add("a/face.jpg", faceReport("/abs/a/face.jpg"))
	if n.Sum() == d.Sum() {
		t.Error("digest unchanged when a minutia angle moved by one ulp")
	}
}

// TestErrorNamesSample checks that an error message names the sample by its
// dump name, not by the path it was read from.
func TestErrorNamesSample(t *testing.T) {
	var d Digest
	d.Add("corpus/x.png", gate.Report{Path: "/some/where/corpus/x.png", Error: "/some/where/corpus/x.png: unexpected EOF"})
	if got := strings.Join(d.Lines(), "\n"); !strings.Contains(got, `error="corpus/x.png: unexpected EOF"`) || strings.Contains(got, "/some/where") {
		t.Errorf("lines:\n%s", got)
	}
}

func TestExpand(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"set/b.png", "set/sub/a.wsq", "set/notes.txt", "other/c.jpg"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		roots []string
		base  string
		want  string
	}{
		{"folder", []string{filepath.Join(dir, "set")}, "", "set/b.png set/sub/a.wsq"},
		{"base", []string{filepath.Join(dir, "set", "sub", "a.wsq"), filepath.Join(dir, "other")}, filepath.Join(dir, "set"), "other/c.jpg sub/a.wsq"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ss, err := Expand(tc.roots, tc.base)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range ss {
				names = append(names, s.Name)
			}
			if got := strings.Join(names, " "); got != tc.want {
				t.Errorf("names %q, want %q", got, tc.want)
			}
		})
	}
}
