package wasm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/report"
	"github.com/biogate/biogate/thresholds"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden (native builds only)")

var engine = NewEngine()

// cliJSON is what `biogate check -format json PATH` prints with the given
// options: the gate runCheck builds, its AssessFile and report's JSON
// writer. (cmd/biogate cannot be imported; its TestWasmVersion ties the
// version, and the browser test compares with the CLI binary itself.)
func cliJSON(t *testing.T, path string, o Options) []byte {
	t.Helper()
	prof, err := thresholds.Resolve(cmpOr(o.Profile, thresholds.Default))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range o.Set {
		k, v, _ := strings.Cut(s, "=")
		if err := prof.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	gopts := &gate.Options{Load: &load.Options{MaxPixels: load.DefaultMaxPixels}, Overrides: o.Set}
	if o.Modality != "" && o.Modality != "auto" {
		if gopts.Modality, err = quality.ParseModality(o.Modality); err != nil {
			t.Fatal(err)
		}
	}
	fa, err := face.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gate.New(prof, gopts, &gate.Face{Assessor: fa}, &gate.Finger{Assessor: finger.New(&finger.Options{}), PPI: o.PPI})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := report.NewWriter(&buf, report.JSON, report.Batch{Tool: "biogate", Version: Version, Profile: g.Ref(), Thresholds: g.Profile()})
	for _, r := range g.AssessFile(context.Background(), path) {
		if err := w.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestAssessEqualsCLI checks that Assess returns the CLI's JSON byte for
// byte (natively: against the CLI's own code path and the golden file,
// which -update rewrites; under js/wasm: against the golden file written
// natively, so the browser build's reports equal amd64's), and that the
// promise is rejected with the CLI's reason code exactly where the CLI
// exits 2.
func TestAssessEqualsCLI(t *testing.T) {
	tiny := filepath.Join(t.TempDir(), "tiny.png")
	writeTiny(t, tiny)
	garbage := filepath.Join(t.TempDir(), "garbage.png")
	if err := os.WriteFile(garbage, []byte("not an image at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		corpus     []string // corpus folder holding path, if any
		testdata   bool     // path is in testdata/finger
		opts       Options
		golden     string
		wantCode   string // "" for a resolved promise
	}{
		{name: "finger good", path: "synthetic_good_1.png", testdata: true, golden: "synthetic_good_1"},
		{name: "finger blurred strict", path: "synthetic_blurred_6.png", testdata: true, golden: "synthetic_blurred_6-strict",
			opts: Options{Modality: "finger", Set: []string{"finger.recapture_below=40"}, PPI: 500}},
		{name: "unreadable", path: garbage, wantCode: thresholds.CodeUnreadable},
		{name: "too small", path: tiny, wantCode: thresholds.CodeTooSmall},
		{name: "iso record", path: "info_wsq.iso", corpus: []string{"finger", "records"}, golden: "info_wsq.iso"},
		{name: "portrait", path: "biden.jpg", corpus: []string{"face", "portraits", "face_recognition"}, golden: "biden"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := c.path
			// The report's path is the bare name, as for `cd DIR && biogate check NAME`.
			switch {
			case c.corpus != nil:
				t.Chdir(corpus.Dir(t, c.corpus...))
			case c.testdata:
				t.Chdir(filepath.Join(modDir, "testdata", "finger"))
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := engine.Assess(context.Background(), path, data, c.opts)
			if c.wantCode != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != c.wantCode {
					t.Fatalf("err = %v, want an *Error with code %s", err, c.wantCode)
				}
				got = e.Report
			} else if err != nil {
				t.Fatal(err)
			}
			if runtime.GOOS != "js" {
				if want := cliJSON(t, path, c.opts); !bytes.Equal(got, want) {
					t.Fatalf("Assess differs from the CLI's JSON at %s", firstDiff(got, want))
				}
			}
			if c.golden == "" {
				return
			}
			// Reports about corpus images are personal data derived from
			// files the project may not hold: their golden is the SHA-256
			// and length of the report, not the report.
			ext, content := ".json", got
			if c.corpus != nil {
				ext, content = ".sha256", reportDigest(got)
			}
			gp := filepath.Join(modDir, "wasm", goldenDir, c.golden+ext)
			if *update && runtime.GOOS != "js" {
				if err := os.WriteFile(gp, content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(gp)
			if err != nil {
				t.Fatalf("%v (run natively with -update)", err)
			}
			if !bytes.Equal(content, want) {
				if c.corpus != nil {
					t.Fatalf("%s/%s: report digest %q differs from the golden digest %q (written natively)", runtime.GOOS, runtime.GOARCH, bytes.TrimSpace(content), bytes.TrimSpace(want))
				}
				t.Fatalf("%s/%s: report differs from the golden file (written natively) at %s", runtime.GOOS, runtime.GOARCH, firstDiff(got, want))
			}
		})
	}
}

// reportDigest is the golden content for a report about a corpus image:
// its SHA-256 and its length in bytes.
func reportDigest(report []byte) []byte {
	return fmt.Appendf(nil, "sha256 %x bytes %d\n", sha256.Sum256(report), len(report))
}

const goldenDir = "testdata/golden"

// modDir is the module root (the tests run in wasm/ before any Chdir).
var modDir = func() string { d, _ := os.Getwd(); return filepath.Dir(d) }()

func writeTiny(t *testing.T, path string) {
	t.Helper()
	m := image.NewGray(image.Rect(0, 0, 8, 8))
	var buf bytes.Buffer
	if err := encodePNG(&buf, m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// firstDiff locates the first byte where a and b differ, with context.
func firstDiff(a, b []byte) string {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return "byte " + itoa(i) + ":\n got: " + string(a[lo:min(len(a), i+80)]) + "\nwant: " + string(b[lo:min(len(b), i+80)])
}

func TestParseOptions(t *testing.T) {
	cases := []struct {
		in      string
		want    Options
		wantErr bool
	}{
		{in: "", want: Options{}},
		{in: "null", want: Options{}},
		{in: "{}", want: Options{}},
		{in: `{"modality":"face","profile":"icao-strict","set":"face.min_inter_eye_px=90","ppi":1000}`,
			want: Options{Modality: "face", Profile: "icao-strict", Set: []string{"face.min_inter_eye_px=90"}, PPI: 1000}},
		{in: `{"set":["a=1","b=2"]}`, want: Options{Set: []string{"a=1", "b=2"}}},
		{in: `{"set":[1]}`, wantErr: true},
		{in: `{"modalty":"face"}`, wantErr: true}, // misspelt: refused, not ignored
		{in: `{"ppi":"x"}`, wantErr: true},
		{in: `[1,2]`, wantErr: true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseOptions([]byte(c.in))
			if c.wantErr {
				if ErrorCode(err) != CodeInvalidOptions {
					t.Fatalf("err = %v, want code %s", err, CodeInvalidOptions)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.Set, "|") != strings.Join(c.want.Set, "|") || got.Modality != c.want.Modality || got.Profile != c.want.Profile || got.PPI != c.want.PPI {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestInvalidOptions checks that what the CLI refuses as a usage error is
// a rejection with code options.invalid, before any image is looked at.
func TestInvalidOptions(t *testing.T) {
	data, err := os.ReadFile("../testdata/finger/synthetic_good_1.png")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{
		{Profile: "no-such-profile"},
		{Modality: "iris"},
		{Set: []string{"face.min_inter_eye_px"}},
		{Set: []string{"face.no_such_key=1"}},
		{PPI: -1},
	} {
		if _, err := engine.Assess(context.Background(), "x.png", data, o); ErrorCode(err) != CodeInvalidOptions {
			t.Errorf("%+v: err = %v, want code %s", o, err, CodeInvalidOptions)
		}
	}
	if _, err := engine.AssessFrame(context.Background(), make([]byte, 10), 2, 2, Options{}); ErrorCode(err) != CodeInvalidOptions {
		t.Errorf("short frame: err = %v, want code %s", err, CodeInvalidOptions)
	}
	if _, err := engine.AssessFrame(context.Background(), make([]byte, 4*64*64), 64, 64, Options{Modality: "finger"}); ErrorCode(err) != CodeInvalidOptions {
		t.Errorf("finger frame: err = %v, want code %s", err, CodeInvalidOptions)
	}
}

// TestAssessFrame checks that a raw RGBA frame gets the preview-mode face
// report the gate gives for the same pixels, and that a frame too small
// to search is rejected as the CLI rejects such a file.
func TestAssessFrame(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpus.Dir(t, "face", "portraits", "face_recognition"), "biden.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := src.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, src, b.Min, draw.Src)
	pix := bytes.Clone(rgba.Pix)
	got, err := engine.AssessFrame(context.Background(), rgba.Pix, b.Dx(), b.Dy(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pix, rgba.Pix) {
		t.Fatal("AssessFrame changed the frame's pixels")
	}
	fa, err := face.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gate.New(thresholds.MustEmbedded(thresholds.Default), &gate.Options{Modality: quality.Face}, &gate.Face{Assessor: fa, Preview: true})
	if err != nil {
		t.Fatal(err)
	}
	r := gate.Report{Path: "frame"}
	g.AssessImage(context.Background(), &load.Image{Image: rgba, Format: "rgba"}, &r)
	want, _, err := encodeBatch(g, []gate.Report{r})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("frame report differs from the gate's preview report at %s", firstDiff(got, want))
	}
	if n, ok := r.Measures.Value(quality.FaceCount); !ok || n != 1 {
		t.Fatalf("face count %v (%v), want 1: the preview found no face on the portrait", n, ok)
	}
	if _, err := engine.AssessFrame(context.Background(), make([]byte, 4*16*16), 16, 16, Options{}); ErrorCode(err) != thresholds.CodeTooSmall {
		t.Fatalf("16×16 frame: err = %v, want code %s", err, thresholds.CodeTooSmall)
	}
}

// TestBatchMatchesReportWriter checks that the browser's batch encoder
// writes what report's JSON writer writes, for several samples with
// every outcome.
func TestBatchMatchesReportWriter(t *testing.T) {
	g, err := gate.New(thresholds.MustEmbedded(thresholds.Default), nil, &gate.Finger{Assessor: finger.New(nil)})
	if err != nil {
		t.Fatal(err)
	}
	reports := []gate.Report{
		{Path: "a", Measures: quality.Measures{}, Decision: quality.Decision{Outcome: quality.Accept}},
		{Path: "b", Measures: quality.Measures{}, Decision: quality.Unusable(thresholds.CodeUnreadable, errors.New("x"))},
		{Path: "c", Measures: quality.Measures{}, Decision: quality.Decision{Outcome: quality.Recapture, Reasons: []quality.Reason{{Code: thresholds.CodeFingerScore}}}},
		{Path: "d", Measures: quality.Measures{}, Decision: quality.Decision{Outcome: quality.WarnOperator, Reasons: []quality.Reason{{Code: thresholds.CodeFingerScoreZero}}}},
	}
	for n := 0; n <= len(reports); n++ {
		var want bytes.Buffer
		w := report.NewWriter(&want, report.JSON, report.Batch{Tool: Tool, Version: Version, Profile: g.Ref(), Thresholds: g.Profile()})
		for _, r := range reports[:n] {
			if err := w.Add(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		got, sum, err := encodeBatch(g, reports[:n])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%d samples: differs at %s", n, firstDiff(got, want.Bytes()))
		}
		if (sum.Reject > 0) != (w.Summary().ExitCode() == 2) {
			t.Fatalf("%d samples: reject count %d, writer's exit code %d", n, sum.Reject, w.Summary().ExitCode())
		}
	}
}

func TestProfiles(t *testing.T) {
	ps := Profiles()
	if len(ps) != len(thresholds.Names()) {
		t.Fatalf("%d profiles, want %d", len(ps), len(thresholds.Names()))
	}
	defaults := 0
	for _, p := range ps {
		if p.Name == "" || p.Version == "" {
			t.Errorf("profile %+v lacks a name or version", p)
		}
		if p.Default {
			defaults++
			if p.Name != thresholds.Default {
				t.Errorf("default is %s, want %s", p.Name, thresholds.Default)
			}
		}
	}
	if defaults != 1 {
		t.Fatalf("%d defaults, want 1", defaults)
	}
}

// TestGateReused checks that an engine builds the gate for some options
// once, and a new one for other options.
func TestGateReused(t *testing.T) {
	e := NewEngine()
	cases := []struct {
		name    string
		opts    Options
		preview bool
	}{
		{"defaults", Options{}, false},
		{"preview", Options{}, true},
		{"set", Options{Set: []string{"face.min_inter_eye_px=90"}}, false},
		{"two sets", Options{Set: []string{"face.min_inter_eye_px=90", "face.max_roll_deg=5"}}, false},
		{"ppi", Options{PPI: 600}, false},
		{"finger", Options{Modality: "finger"}, false},
		{"icao", Options{Profile: "icao"}, false},
	}
	seen := map[*gate.Gate]string{}
	for _, c := range cases {
		g1, err := e.gate(c.opts, c.preview)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		g2, err := e.gate(c.opts, c.preview)
		if err != nil || g2 != g1 {
			t.Errorf("%s: a second gate was built (%p, %p, %v)", c.name, g1, g2, err)
		}
		if other, ok := seen[g1]; ok {
			t.Errorf("%s: got the gate of %s", c.name, other)
		}
		seen[g1] = c.name
	}
	if _, err := e.gate(Options{Set: []string{"no.such=1"}}, false); ErrorCode(err) != CodeInvalidOptions {
		t.Errorf("bad override: %v, want %s", err, CodeInvalidOptions)
	}
	for i := range 2 * maxGates {
		if _, err := e.gate(Options{PPI: float64(500 + i)}, false); err != nil {
			t.Fatal(err)
		}
	}
	if len(e.gates) > maxGates {
		t.Errorf("%d gates kept, want at most %d", len(e.gates), maxGates)
	}
}
