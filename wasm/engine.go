package wasm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"strings"
	"sync"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// Version is the program version recorded in every report; it equals the
// CLI's (cmd/biogate's TestWasmVersion checks).
const Version = "0.1.0"

// Tool names the program in every report, as the CLI does.
const Tool = "biogate"

// CodeInvalidOptions is the code of an *Error for options that the CLI
// would refuse as a usage error (an unknown profile, modality or -set key,
// a negative ppi, a frame whose size does not match its pixels).
const CodeInvalidOptions = "options.invalid"

// CodeModelsUnavailable is the code of an *Error for an assessment that
// needed the face mesh and iris weights when they could not be had: in the
// browser build, which does not embed them, the loader given to
// face.SetModelSource failed or supplied the wrong bytes (see
// face.ErrModelsUnavailable). Such an assessment has no report: it is not
// made, rather than made differently. Trying again retries the load.
const CodeModelsUnavailable = "models.unavailable"

// Error is an assessment that failed: Code is a reason code of the CLI's
// (thresholds.CodeUnreadable, thresholds.CodeTooSmall) or
// CodeInvalidOptions.
type Error struct {
	// Code is the machine-readable reason.
	Code string
	// Message says what went wrong, without image content.
	Message string
	// Report is the CLI's JSON report for the input when there is one (an
	// unreadable file still has a report, with decision reject), nil for
	// invalid options.
	Report []byte
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Options are the CLI's check flags that make sense in a browser. The zero
// value means the CLI's defaults.
type Options struct {
	// Modality is "auto" (or ""), "face" or "finger" (-modality).
	Modality string `json:"modality"`
	// Profile is an embedded profile's name (-profile), or a profile's
	// YAML text (anything with a line break); "" means the default.
	Profile string `json:"profile"`
	// Set lists KEY=VALUE overrides of the profile (-set, in order).
	Set []string `json:"set"`
	// PPI replaces the resolution the files declare (-ppi); 0 keeps it.
	PPI float64 `json:"ppi"`
}

// ParseOptions decodes the JSON of a JavaScript options object (null,
// undefined and {} mean the defaults). Set may be one string or a list of
// strings. Unknown keys are refused so that a misspelt option is not
// silently ignored.
func ParseOptions(js []byte) (Options, error) {
	js = bytes.TrimSpace(js)
	var o Options
	if len(js) == 0 || string(js) == "null" || string(js) == "undefined" {
		return o, nil
	}
	var raw struct {
		Modality string          `json:"modality"`
		Profile  string          `json:"profile"`
		Set      json.RawMessage `json:"set"`
		PPI      float64         `json:"ppi"`
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return o, invalid("options: %v", err)
	}
	o = Options{Modality: raw.Modality, Profile: raw.Profile, PPI: raw.PPI}
	if len(raw.Set) > 0 && string(raw.Set) != "null" {
		var one string
		if err := json.Unmarshal(raw.Set, &one); err == nil {
			o.Set = []string{one}
		} else if err := json.Unmarshal(raw.Set, &o.Set); err != nil {
			return o, invalid("options.set: want a string or a list of KEY=VALUE strings")
		}
	}
	return o, nil
}

func invalid(format string, a ...any) *Error {
	return &Error{Code: CodeInvalidOptions, Message: fmt.Sprintf(format, a...)}
}

// Engine assesses samples; its models load once, on first use. An Engine
// is safe for concurrent use.
type Engine struct {
	once   sync.Once
	face   *face.Assessor
	finger *finger.Assessor
	err    error

	mu    sync.Mutex
	gates map[gateKey]*gate.Gate // built gates by options, at most maxGates
}

// gateKey identifies the gate built for some options (Set joined by line
// breaks, which no KEY=VALUE of one line holds).
type gateKey struct {
	modality, profile, set string
	ppi                    float64
	preview                bool
}

// maxGates bounds the gates an Engine keeps: a page sends the same options
// frame after frame, and building a gate (parsing its profile's YAML) costs
// about 3 ms in WebAssembly, 2 % of a preview frame.
const maxGates = 8

// NewEngine returns an engine with the embedded face and fingerprint models
// (the CLI's without -nfiq2-model).
func NewEngine() *Engine { return &Engine{} }

// Init loads the models now rather than on the first assessment (the
// browser build calls it before it reports itself ready).
func (e *Engine) Init() error { return e.init() }

func (e *Engine) init() error {
	e.once.Do(func() {
		e.face, e.err = face.New(nil)
		e.finger = finger.New(nil)
	})
	return e.err
}

// gate returns the gate the CLI's check builds for opts (preview selects
// the face preview mode and face alone), built once for each options.
func (e *Engine) gate(opts Options, preview bool) (*gate.Gate, error) {
	if err := e.init(); err != nil {
		return nil, err
	}
	if strings.Contains(strings.Join(opts.Set, ""), "\n") {
		return e.newGate(opts, preview) // not a valid override anyway; never cached
	}
	key := gateKey{opts.Modality, opts.Profile, strings.Join(opts.Set, "\n"), opts.PPI, preview}
	e.mu.Lock()
	g, ok := e.gates[key]
	e.mu.Unlock()
	if ok {
		return g, nil
	}
	g, err := e.newGate(opts, preview)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if len(e.gates) >= maxGates || e.gates == nil {
		e.gates = map[gateKey]*gate.Gate{}
	}
	e.gates[key] = g
	e.mu.Unlock()
	return g, nil
}

// newGate builds the gate for opts.
func (e *Engine) newGate(opts Options, preview bool) (*gate.Gate, error) {
	var prof *thresholds.Profile
	var err error
	switch {
	case opts.Profile == "":
		prof, err = thresholds.Embedded(thresholds.Default)
	case strings.ContainsAny(opts.Profile, "\n\r"):
		prof, err = thresholds.Load(strings.NewReader(opts.Profile), "profile")
	default:
		prof, err = thresholds.Embedded(opts.Profile)
	}
	if err != nil {
		return nil, invalid("profile: %v", err)
	}
	for _, s := range opts.Set {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return nil, invalid("set %q: want KEY=VALUE", s)
		}
		if err := prof.Set(k, v); err != nil {
			return nil, invalid("%v", err)
		}
	}
	if opts.PPI < 0 {
		return nil, invalid("ppi %g: want a positive resolution, or 0 for what the file declares", opts.PPI)
	}
	gopts := &gate.Options{Overrides: opts.Set}
	switch opts.Modality {
	case "", "auto":
	default:
		m, err := quality.ParseModality(opts.Modality)
		if err != nil {
			return nil, invalid("modality: unknown modality %q (want auto, face or finger)", opts.Modality)
		}
		gopts.Modality = m
	}
	if preview {
		if gopts.Modality == quality.Finger {
			return nil, invalid("modality: frames are assessed as faces")
		}
		gopts.Modality = quality.Face
		return gate.New(prof, gopts, &gate.Face{Assessor: e.face, Preview: true})
	}
	return gate.New(prof, gopts, &gate.Face{Assessor: e.face}, &gate.Finger{Assessor: e.finger, PPI: opts.PPI})
}

// Assess assesses one file held in memory (an image in any format the CLI
// reads, or an ISO/IEC 19794 or 39794 record) named name, and returns the
// JSON that `biogate check -format json NAME` prints for it. When the CLI
// would exit with code 2 (some sample rejected: unreadable or too small),
// the error is an *Error with that reason's code, carrying the report.
func (e *Engine) Assess(ctx context.Context, name string, data []byte, opts Options) ([]byte, error) {
	g, err := e.gate(opts, false)
	if err != nil {
		return nil, err
	}
	var reports []gate.Report
	imgs, err := load.Bytes(name, data, nil)
	if err == nil && needsFaceModels(opts, imgs) {
		// Loaded before the assessment, rather than when the face search
		// first needs them: the gate would otherwise take an image it
		// cannot search with the mesh for a fingerprint, or report it
		// unreadable; with no weights, no report is made.
		if err := face.LoadModels(); err != nil {
			return nil, &Error{Code: CodeModelsUnavailable, Message: err.Error()}
		}
	}
	if err != nil {
		// As gate.AssessFile reports a file that does not load.
		r := gate.Report{Path: name, Profile: g.Ref(), Measures: quality.Measures{}}
		g.AssessImage(ctx, &load.Image{Err: err}, &r)
		reports = append(reports, r)
	}
	for _, img := range imgs {
		r := gate.Report{Path: name}
		g.AssessImage(ctx, img, &r)
		reports = append(reports, r)
	}
	return batchJSON(g, reports)
}

// needsFaceModels reports whether assessing imgs with opts in full mode may
// run the face mesh: any image that may be assessed as a face, which is
// every image but a fingerprint record's unless the modality is forced to
// finger (a greyscale fingerprint image in auto mode may go through the
// face search, which runs the mesh when the face finder finds nothing).
// Preview mode never runs the mesh.
func needsFaceModels(opts Options, imgs []*load.Image) bool {
	forced, err := quality.ParseModality(opts.Modality)
	if opts.Modality == "" || opts.Modality == "auto" || err != nil {
		forced = quality.UnknownModality
	}
	for _, img := range imgs {
		if img.Err != nil || img.Image == nil {
			continue
		}
		rm := quality.UnknownModality
		if img.Record != nil {
			if m, err := quality.ParseModality(img.Record.Kind); err == nil {
				rm = m
			}
		}
		switch {
		case forced == quality.Face && (rm == quality.UnknownModality || rm == quality.Face):
			return true
		case forced == quality.UnknownModality && rm != quality.Finger:
			return true
		}
	}
	return false
}

// AssessFrame assesses one frame of raw RGBA pixels (4 bytes a pixel, rows
// of 4×width bytes, as in a canvas's ImageData) in face preview mode, and
// returns the JSON batch Assess would give for it, with the path "frame"
// and the format "rgba". pix is not retained.
func (e *Engine) AssessFrame(ctx context.Context, pix []byte, width, height int, opts Options) ([]byte, error) {
	if width <= 0 || height <= 0 || len(pix) != 4*width*height {
		return nil, invalid("frame: %d bytes for %d×%d pixels, want %d", len(pix), width, height, 4*max(0, width)*max(0, height))
	}
	if width*height > load.DefaultMaxPixels {
		return nil, invalid("frame: %d×%d pixels exceeds the %d-pixel limit", width, height, load.DefaultMaxPixels)
	}
	g, err := e.gate(opts, true)
	if err != nil {
		return nil, err
	}
	img := &image.RGBA{Pix: pix, Stride: 4 * width, Rect: image.Rect(0, 0, width, height)}
	r := gate.Report{Path: "frame"}
	g.AssessImage(ctx, &load.Image{Image: img, Format: "rgba"}, &r)
	return batchJSON(g, []gate.Report{r})
}

// batchJSON writes reports as the CLI's JSON format does, and turns a
// batch the CLI would exit 2 for (some sample rejected) into an *Error.
func batchJSON(g *gate.Gate, reports []gate.Report) ([]byte, error) {
	b, sum, err := encodeBatch(g, reports)
	if err != nil {
		return nil, err
	}
	if sum.Reject > 0 {
		for _, r := range reports {
			if r.Decision.Outcome == quality.Reject && len(r.Decision.Reasons) > 0 {
				return nil, &Error{Code: r.Decision.Reasons[0].Code, Message: r.Error, Report: b}
			}
		}
		return nil, &Error{Code: thresholds.CodeUnreadable, Message: "sample rejected", Report: b}
	}
	return b, nil
}

// Profile describes an embedded profile, as `biogate profiles` lists it.
type Profile struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Description string `json:"description"`
	// Default marks the profile used when none is named.
	Default bool `json:"default,omitempty"`
}

// Profiles lists the embedded profiles.
func Profiles() []Profile {
	var out []Profile
	for _, n := range thresholds.Names() {
		p := thresholds.MustEmbedded(n)
		out = append(out, Profile{Name: p.Name, Version: p.Version, Description: p.Description, Default: n == thresholds.Default})
	}
	return out
}

// ErrorCode returns err's code when it is an *Error, and input.unreadable
// for any other error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return thresholds.CodeUnreadable
}
