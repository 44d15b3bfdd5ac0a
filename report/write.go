package report

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// Format is an output format.
type Format string

// Output formats.
const (
	Table Format = "table"
	JSON  Format = "json"
	JSONL Format = "jsonl"
	CSV   Format = "csv"
	JUnit Format = "junit"
)

// Formats lists the output formats.
var Formats = []Format{Table, JSON, JSONL, CSV, JUnit}

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want table, json, jsonl, csv or junit)", s)
}

// Streaming reports whether the format can be written sample by sample, as
// results arrive.
func (f Format) Streaming() bool { return f == Table || f == JSONL || f == CSV }

// Writer writes a batch in one format. Streaming formats write each sample
// as it is added; the others write everything on Close.
type Writer struct {
	// ShowChecks makes the table format list every check of each sample
	// (passed or failed, with its value and threshold) under its line.
	ShowChecks bool

	w      io.Writer
	format Format
	batch  Batch
	cw     *csv.Writer
	err    error
}

// NewWriter returns a writer of format f to w for a batch with the given
// header (its Samples and Summary are filled as samples are added).
func NewWriter(w io.Writer, f Format, header Batch) *Writer {
	wr := &Writer{w: w, format: f, batch: header}
	wr.batch.Samples = nil
	wr.batch.Summary = Summary{Reasons: map[string]int{}}
	switch f {
	case Table:
	case CSV:
		wr.cw = csv.NewWriter(w)
		wr.err = wr.cw.Write(csvHeader)
	}
	return wr
}

// Add records one sample and, for streaming formats, writes it.
func (wr *Writer) Add(r gate.Report) error {
	wr.batch.Summary.Add(r.Decision)
	if !wr.format.Streaming() {
		wr.batch.Samples = append(wr.batch.Samples, r)
		return nil
	}
	if wr.err != nil {
		return wr.err
	}
	switch wr.format {
	case Table:
		// Fixed column widths keep the streamed lines aligned.
		line := fmt.Sprintf("%-13s  %-6s  %-34s  %s  %s", r.Decision.Outcome, r.Modality, headline(r), r.Path, reasonText(r))
		_, wr.err = io.WriteString(wr.w, strings.TrimRight(line, " ")+"\n")
		if wr.ShowChecks && wr.err == nil {
			_, wr.err = io.WriteString(wr.w, checkLines(r.Checks)+skipLines(r.Decision.Skipped))
		}
		for _, w := range r.Warnings {
			if wr.err == nil {
				_, wr.err = io.WriteString(wr.w, "    warning: "+w+"\n")
			}
		}
	case JSONL:
		var b []byte
		b, wr.err = json.Marshal(r)
		if wr.err == nil {
			_, wr.err = wr.w.Write(append(b, '\n'))
		}
	case CSV:
		wr.err = wr.cw.Write(csvRow(r))
		wr.cw.Flush()
		if wr.err == nil {
			wr.err = wr.cw.Error()
		}
	}
	return wr.err
}

// Interrupt marks the batch as stopped before every input file was
// assessed: assessed of files. Call it before Close. The JSON and JUnit
// formats record it, the table format says it above the summary; the
// streaming JSON Lines and CSV formats cannot, so a caller writing them to
// a file should not keep the file of an interrupted run.
func (wr *Writer) Interrupt(files, assessed int) {
	wr.batch.Interrupted = &Interruption{Files: files, Assessed: assessed}
}

// Summary returns the counts so far.
func (wr *Writer) Summary() Summary { return wr.batch.Summary }

// Close writes what the format writes at the end.
func (wr *Writer) Close() error {
	if wr.err != nil {
		return wr.err
	}
	switch wr.format {
	case JSON:
		if wr.batch.Samples == nil {
			wr.batch.Samples = []gate.Report{}
		}
		enc := json.NewEncoder(wr.w)
		enc.SetIndent("", "  ")
		return enc.Encode(wr.batch)
	case JUnit:
		return writeJUnit(wr.w, wr.batch)
	case Table:
		s := wr.batch.Summary
		if in := wr.batch.Interrupted; in != nil {
			if _, err := fmt.Fprintf(wr.w, "interrupted: %d of %d files assessed\n", in.Assessed, in.Files); err != nil {
				return err
			}
		}
		_, err := fmt.Fprintf(wr.w, "%s: %d accept, %d recapture, %d warn_operator, %d reject (profile %s)\n",
			plural(s.Total, "sample"), s.Accept, s.Recapture, s.WarnOperator, s.Reject, summaryRef(wr.batch.Profile))
		return err
	}
	return nil
}

// headline is the one number a person looks at first: the NFIQ 2 score, or
// the inter-eye distance.
func headline(r gate.Report) string {
	if r.Score != nil {
		return fmt.Sprintf("%s %d (%s %s)", r.Score.Name, r.Score.Value, r.Score.Model, r.Score.ModelVersion)
	}
	if v, ok := r.Measures.Value(quality.InterEyeDistance); ok {
		return fmt.Sprintf("IED %g px", math.Round(v*10)/10)
	}
	if n, ok := r.Measures.Value(quality.FaceCount); ok {
		return plural(int(n), "face")
	}
	return "-"
}

// plural returns "1 sample", "0 samples", "2 samples".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// summaryRef names the profile with its overrides: "ees-usk 1.0.0" or
// "ees-usk 1.0.0; overrides: face.min_inter_eye_px=100".
func summaryRef(r thresholds.Ref) string {
	s := r.Name + " " + r.Version
	if len(r.Overrides) > 0 {
		s += "; overrides: " + strings.Join(r.Overrides, ", ")
	}
	return s
}

func reasonText(r gate.Report) string {
	if len(r.Decision.Reasons) == 0 {
		return ""
	}
	return strings.Join(r.Decision.Instructions(), " ")
}

var csvHeader = []string{"path", "modality", "outcome", "score", "score_model", "inter_eye_distance_px", "reason_codes", "instructions", "error", "warnings"}

func csvRow(r gate.Report) []string {
	score, model := "", ""
	if r.Score != nil {
		score, model = strconv.Itoa(r.Score.Value), r.Score.Model+" "+r.Score.ModelVersion
	}
	ied := ""
	if v, ok := r.Measures.Value(quality.InterEyeDistance); ok {
		ied = strconv.FormatFloat(v, 'f', 1, 64)
	}
	var codes []string
	for _, rs := range r.Decision.Reasons {
		codes = append(codes, rs.Code)
	}
	return []string{r.Path, r.Modality.String(), r.Decision.Outcome.String(), score, model, ied,
		strings.Join(codes, " "), reasonText(r), r.Error, strings.Join(r.Warnings, "; ")}
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitProperties lists the profile and the thresholds the report plots.
func junitProperties(b Batch) []junitProperty {
	ps := []junitProperty{
		{"tool", b.Tool},
		{"tool_version", b.Version},
		{"profile", b.Profile.Name},
		{"profile_version", b.Profile.Version},
	}
	for _, o := range b.Profile.Overrides {
		ps = append(ps, junitProperty{"profile_override", o})
	}
	if in := b.Interrupted; in != nil {
		ps = append(ps, junitProperty{"interrupted", fmt.Sprintf("%d of %d files assessed", in.Assessed, in.Files)})
	}
	if t := b.Thresholds; t != nil {
		ps = append(ps,
			junitProperty{"finger.recapture_below", num(t.Finger.RecaptureBelow)},
			junitProperty{"face.min_inter_eye_px", num(t.Face.MinInterEyePx)})
	}
	return ps
}

// reasonLine describes one failed check for a CI log: code, outcome, the
// measured value against the threshold, and the instruction.
func reasonLine(rs quality.Reason) string {
	s := rs.Code + " [" + rs.Outcome.String() + "]"
	if req := rs.Requirement(); rs.Measure != "" && req != "" {
		unit := ""
		if rs.Unit != "" {
			unit = " " + rs.Unit
		}
		s += fmt.Sprintf(" %s = %s%s, needs %s", rs.Measure, num(rs.Value), unit, req)
	}
	return s + ": " + rs.Instruction
}

// writeJUnit writes one test suite with one test case per sample: Recapture
// and WarnOperator samples are failures, Reject samples errors, each with
// the reasons as text. Jenkins' JUnit plugin and GitLab's unit test reports
// read this layout (the Ant JUnit schema).
func writeJUnit(w io.Writer, b Batch) error {
	s := junitSuite{Name: "biogate", Time: "0", Properties: junitProperties(b)}
	if b.Profile.Name != "" {
		s.Name = "biogate " + strings.TrimSpace(b.Profile.Name+" "+b.Profile.Version)
	}
	if !b.Started.IsZero() {
		s.Timestamp = b.Started.UTC().Format("2006-01-02T15:04:05")
	}
	for _, r := range b.Samples {
		c := junitCase{Name: r.Path, Classname: "biogate." + r.Modality.String(), File: r.Path, Time: "0", SystemOut: headline(r)}
		for _, w := range r.Warnings {
			c.SystemOut += "\nwarning: " + w
		}
		var lines []string
		for _, rs := range r.Decision.Reasons {
			lines = append(lines, reasonLine(rs))
		}
		if r.Error != "" {
			lines = append(lines, "error: "+r.Error)
		}
		f := &junitFailure{Message: r.Decision.String(), Type: r.Decision.Outcome.String(), Text: strings.Join(lines, "\n")}
		switch r.Decision.Outcome {
		case quality.Recapture, quality.WarnOperator:
			c.Failure = f
			s.Failures++
		case quality.Reject:
			c.Error = f
			s.Errors++
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	doc := junitSuites{Name: "biogate", Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Suites: []junitSuite{s}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// checkLines lists checks one per line, indented: pass or FAIL, the code,
// the value against the threshold.
// skipLines lists, one per line, the profile's checks that could not run.
func skipLines(skipped []quality.Skip) string {
	var b strings.Builder
	for _, s := range skipped {
		fmt.Fprintf(&b, "    skip  %-36s  not checked: %s\n", s.Code, s.Why)
	}
	return b.String()
}

func checkLines(checks []quality.Check) string {
	var b strings.Builder
	for _, c := range checks {
		mark := "pass"
		if !c.Passed {
			mark = "FAIL"
		}
		unit, what := "", ""
		if c.Unit != "" {
			unit = " " + c.Unit
		}
		if c.Component {
			what = " (0-100 component)"
		}
		req := c.Requirement()
		if req == "" {
			fmt.Fprintf(&b, "    %s  %-36s  must be present\n", mark, c.Code)
			continue
		}
		fmt.Fprintf(&b, "    %s  %-36s  %g%s, want %s%s\n", mark, c.Code, c.Value, unit, req, what)
	}
	return b.String()
}
