package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/synth"
	"github.com/biogate/biogate/thresholds"
)

const synthUsage = `Usage:
  biogate synth finger [flags] -out DIR   synthetic fingerprints (500 ppi PNG)
  biogate synth face   [flags] -out DIR   degraded variants of a portrait

Every sample is written as NAME.png (NAME.jpg for JPEG face variants) with a
sidecar NAME.json: its parameters, seed, ground truth (eye centres for faces)
and the checks the profile must fail (expect_fail) or pass (expect_pass).
No real person's biometrics are needed for fingerprints; face variants are
derived from the portrait you give. Existing files are never replaced
unless -force is given.

Examples:
  biogate synth finger -n 5 -seed 1 -out DIR -degrade noise=20,blur=1.5
  biogate synth face -in portrait.jpg -eyes rx,ry,lx,ly -out DIR -variants roll12,ied100,dark,q10

Run 'biogate synth finger -h' or 'biogate synth face -h' for the flags.
Exit codes: 0 ok; 2 usage error, or a file could not be read or written.
`

// runSynth implements 'biogate synth'.
func runSynth(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, synthUsage)
		return exitError
	}
	switch args[0] {
	case "finger", "fingerprint":
		return runSynthFinger(args[1:], stdout, stderr)
	case "face":
		return runSynthFace(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, synthUsage)
		return exitAccepted
	}
	fmt.Fprintf(stderr, "biogate synth: unknown kind %q (want finger or face)\n\n%s", args[0], synthUsage)
	return exitError
}

func synthFlags(name string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("synth "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

func parseSynthFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitAccepted, false
		}
		return exitError, false
	}
	return 0, true
}

func writeSynthSample(s *synth.Sample, dir string, force bool, stdout, stderr io.Writer, cmd string) bool {
	paths, err := s.Write(dir, force)
	if err != nil {
		fmt.Fprintf(stderr, "biogate %s: %v\n", cmd, err)
		return false
	}
	sc := s.Sidecar
	fail := "-"
	if len(sc.ExpectFail) > 0 {
		fail = strings.Join(sc.ExpectFail, ",")
	}
	fmt.Fprintf(stdout, "%s\texpect_fail=%s\n", paths[0], fail)
	return true
}

const synthFingerUsage = `Usage: biogate synth finger [flags] -out DIR

Write -n synthetic fingerprints (seeds -seed, -seed+1, ...) as
PREFIX_SEED.png with PREFIX_SEED.json sidecars.

Flags:
`

func runSynthFinger(args []string, stdout, stderr io.Writer) int {
	fs := synthFlags("finger", stderr, synthFingerUsage)
	n := fs.Int("n", 1, "number of prints")
	seed := fs.Uint64("seed", 1, "seed of the first print")
	out := fs.String("out", "", "output folder (created when missing)")
	class := fs.String("class", "any", "pattern class: any, arch, tented_arch, left_loop, right_loop or whorl")
	level := fs.String("level", "", "named quality level: "+strings.Join(synth.FingerLevels(), ", "))
	degrade := fs.String("degrade", "", "degradations KEY=VALUE,... (scale, rotation, contact, dry, wet, contrast, blur, noise), applied after -level")
	size := fs.String("size", "400x500", "image size WxH in pixels (500 ppi)")
	period := fs.Float64("period", synth.DefaultRidgePeriod, "mean ridge period in pixels")
	prefix := fs.String("prefix", "synthetic", "file name prefix")
	profile := fs.String("profile", thresholds.Default, "profile the expectations refer to: an embedded name or a YAML/JSON file")
	force := fs.Bool("force", false, "replace existing files")
	if code, ok := parseSynthFlags(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "biogate synth finger: "+format+"\n", a...)
		return exitError
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if *out == "" {
		return usageErr("-out DIR is required")
	}
	if *n < 1 || *n > 100000 {
		return usageErr("-n %d: want 1-100000", *n)
	}
	if strings.ContainsAny(*prefix, `/\`) {
		return usageErr("-prefix %q must be a plain name", *prefix)
	}
	c, err := synth.ParseFingerClass(*class)
	if err != nil {
		return usageErr("%v", err)
	}
	if *level != "" {
		if _, err := synth.FingerLevel(*level); err != nil {
			return usageErr("%v", err)
		}
	}
	// Keys of -degrade override the level's values.
	d, err := synth.ParseFingerDegradation(*level + "," + *degrade)
	if err != nil {
		return usageErr("%v", err)
	}
	w, h, err := parseSize(*size)
	if err != nil {
		return usageErr("-size: %v", err)
	}
	prof, err := thresholds.Resolve(*profile)
	if err != nil {
		return usageErr("%v", err)
	}
	for i := 0; i < *n; i++ {
		s := *seed + uint64(i)
		name := fmt.Sprintf("%s_%d", *prefix, s)
		p := synth.FingerParams{Seed: s, Class: c, Width: w, Height: h, RidgePeriod: *period}
		smp, err := synth.FingerSample(name, p, d, *level, prof)
		if err != nil {
			return usageErr("%v", err)
		}
		if !writeSynthSample(smp, *out, *force, stdout, stderr, "synth finger") {
			return exitError
		}
	}
	return exitAccepted
}

func parseSize(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	if !ok {
		return 0, 0, fmt.Errorf("%q: want WxH, e.g. 400x500", s)
	}
	w, err1 := strconv.Atoi(strings.TrimSpace(ws))
	h, err2 := strconv.Atoi(strings.TrimSpace(hs))
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%q: want WxH, e.g. 400x500", s)
	}
	return w, h, nil
}

const synthFaceUsage = `Usage: biogate synth face -in PORTRAIT -eyes RX,RY,LX,LY -out DIR -variants V1,V2,...

Write one degraded copy of the portrait per variant, as BASE_VARIANT.png
(.jpg for JPEG variants) with a sidecar holding the exactly transformed eye
centres. -eyes gives the SUBJECT's right eye first (it is on the image's
left), then the left eye (image-right), in pixels.

Variants are tokens joined by '+', e.g. roll12+q10:
  rollN   eye line tilted N degrees     turnN   turned N degrees
  level   eye line made horizontal      iedN    inter-eye distance N px
  shiftN  moved N % of the width        dark, bright, gainX, gammaX
  unevenN light ramp of ±N %            blurS, noiseS
  qN      JPEG quality N                grey    greyscale
  clutterN background clutter N %

Flags:
`

func runSynthFace(args []string, stdout, stderr io.Writer) int {
	fs := synthFlags("face", stderr, synthFaceUsage)
	in := fs.String("in", "", "source portrait")
	eyes := fs.String("eyes", "", "eye centres RX,RY,LX,LY: subject's right eye (image-left), then left eye (image-right)")
	out := fs.String("out", "", "output folder (created when missing)")
	variants := fs.String("variants", "", "comma-separated variants, e.g. roll12,ied100,dark,q10")
	seed := fs.Uint64("seed", 1, "seed of the noise and clutter")
	prefix := fs.String("prefix", "", "file name prefix (default: the portrait's base name)")
	profile := fs.String("profile", thresholds.Default, "profile the expectations refer to: an embedded name or a YAML/JSON file")
	force := fs.Bool("force", false, "replace existing files")
	if code, ok := parseSynthFlags(fs, args); !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "biogate synth face: "+format+"\n", a...)
		return exitError
	}
	switch {
	case fs.NArg() > 0:
		return usageErr("unexpected argument %q", fs.Arg(0))
	case *in == "":
		return usageErr("-in PORTRAIT is required")
	case *eyes == "":
		return usageErr("-eyes RX,RY,LX,LY is required")
	case *out == "":
		return usageErr("-out DIR is required")
	case strings.TrimSpace(*variants) == "":
		return usageErr("-variants is required, e.g. -variants roll12,ied100,dark,q10")
	case strings.ContainsAny(*prefix, `/\`):
		return usageErr("-prefix %q must be a plain name", *prefix)
	}
	e, err := parseEyes(*eyes)
	if err != nil {
		return usageErr("-eyes: %v", err)
	}
	var vs []string
	for _, v := range strings.Split(*variants, ",") {
		if v = strings.TrimSpace(v); v != "" {
			if _, err := synth.ParseFaceVariant(v); err != nil {
				return usageErr("%v", err)
			}
			vs = append(vs, v)
		}
	}
	prof, err := thresholds.Resolve(*profile)
	if err != nil {
		return usageErr("%v", err)
	}
	src, err := load.FileImage(*in, nil)
	if err != nil {
		return usageErr("%v", err)
	}
	base := *prefix
	if base == "" {
		base = strings.TrimSuffix(filepath.Base(*in), filepath.Ext(*in))
	}
	for _, v := range vs {
		name := base + "_" + synth.VariantName(v)
		smp, err := synth.FaceSample(name, src.Image, *in, e, v, *seed, prof)
		if err != nil {
			return usageErr("variant %s: %v", v, err)
		}
		if !writeSynthSample(smp, *out, *force, stdout, stderr, "synth face") {
			return exitError
		}
	}
	return exitAccepted
}

func parseEyes(s string) (synth.Eyes, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return synth.Eyes{}, fmt.Errorf("%q: want four numbers RX,RY,LX,LY", s)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return synth.Eyes{}, fmt.Errorf("%q: %q is not a number", s, p)
		}
		v[i] = f
	}
	var e synth.Eyes
	e.Right.X, e.Right.Y, e.Left.X, e.Left.Y = v[0], v[1], v[2], v[3]
	if e.Right.X >= e.Left.X {
		return e, fmt.Errorf("the subject's right eye (RX,RY) must be on the image's left, left of LX")
	}
	return e, nil
}
