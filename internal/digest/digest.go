package digest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/gate"
)

// Digest collects the canonical lines of the samples added to it. The zero
// value is ready to use. A Digest is not safe for concurrent use.
type Digest struct {
	lines   []string
	samples int
	values  int
}

// Samples returns the number of samples (reports) added.
func (d *Digest) Samples() int { return d.samples }

// Values returns the number of values (numbers, outcomes and codes) the
// dump holds.
func (d *Digest) Values() int { return d.values }

// Lines returns the dump's lines, sorted, without the summary and the
// checksum.
func (d *Digest) Lines() []string {
	out := slices.Clone(d.lines)
	slices.Sort(out)
	return out
}

// Float formats v exactly: strconv's hexadecimal form, then the shortest
// decimal form that reads back to v, e.g. "0x1.8p+01(3)". Two values format
// alike if and only if they have the same bits (NaNs aside, which all
// format as "NaN(NaN)").
func Float(v float64) string {
	return strconv.FormatFloat(v, 'x', -1, 64) + "(" + strconv.FormatFloat(v, 'g', -1, 64) + ")"
}

// line accumulates one dump line of name-value fields.
type line struct {
	b      strings.Builder
	values int
}

func (l *line) f(key string, v float64) {
	l.b.WriteString(" " + key + "=" + Float(v))
	l.values++
}

func (l *line) i(key string, v int) {
	l.b.WriteString(" " + key + "=" + strconv.Itoa(v))
	l.values++
}

func (l *line) s(key, v string) {
	l.b.WriteString(" " + key + "=" + strconv.Quote(v))
	l.values++
}

// Add appends the lines of one report, naming the sample name. Reports of
// the images of one record share a name and are told apart by their record
// index.
func (d *Digest) Add(name string, r gate.Report) {
	d.samples++
	key := name
	if r.Record != nil {
		key += "#" + strconv.Itoa(r.Record.Index)
	}
	emit := func(kind string, l *line) {
		d.lines = append(d.lines, key+" "+kind+l.b.String())
		d.values += l.values
	}
	var l line
	l.s("modality", r.Modality.String())
	l.s("format", r.Format)
	l.i("w", r.Width)
	l.i("h", r.Height)
	l.f("ppi", r.PPI)
	emit("0sample", &l)
	if r.Error != "" {
		l = line{}
		l.s("error", strings.ReplaceAll(r.Error, r.Path, name))
		emit("0error", &l)
	}
	if r.Score != nil {
		l = line{}
		l.s("name", r.Score.Name)
		l.s("model", r.Score.Model)
		l.i("value", r.Score.Value)
		emit("1score", &l)
	}
	for _, m := range r.Measures {
		l = line{}
		l.f("value", m.Value)
		if m.HasComponent {
			l.f("component", m.Component)
		}
		emit("2measure "+m.Name, &l)
	}
	switch det := r.Detail.(type) {
	case *finger.Report:
		if det != nil {
			addFinger(det, emit)
		}
	case gate.FaceDetail:
		addFaces(det.Faces, emit)
	}
	for k, c := range r.Checks {
		l = line{}
		l.s("measure", c.Measure)
		l.f("value", c.Value)
		l.f("threshold", c.Threshold)
		l.s("passed", strconv.FormatBool(c.Passed))
		emit(fmt.Sprintf("5check %03d %s", k, c.Code), &l)
	}
	l = line{}
	l.s("outcome", r.Decision.Outcome.String())
	for _, rs := range r.Decision.Reasons {
		l.s("reason", rs.Code)
	}
	emit("6decision", &l)
}

func addFinger(fr *finger.Report, emit func(string, *line)) {
	var l line
	fb := fr.Feedback
	l.f("UniformImage", fb.UniformImage)
	l.f("EmptyImageOrContrastTooLow", fb.EmptyImageOrContrastTooLow)
	l.f("FingerprintImageWithMinutiae", fb.FingerprintImageWithMinutiae)
	l.f("SufficientFingerprintForeground", fb.SufficientFingerprintForeground)
	l.s("fired", strings.Join(fb.Fired, ","))
	l.f("ppi", fr.PPI)
	l.f("source_ppi", fr.SourcePPI)
	l.s("resampled", strconv.FormatBool(fr.Resampled))
	emit("3feedback", &l)
	for k, m := range fr.Minutiae {
		l = line{}
		l.i("x", m.X)
		l.i("y", m.Y)
		l.f("angle", m.Angle)
		l.i("type", int(m.Type))
		l.i("quality", m.Quality)
		emit(fmt.Sprintf("3minutia %04d", k), &l)
	}
}

func addFaces(faces []face.Face, emit func(string, *line)) {
	for k, f := range faces {
		var l line
		l.i("x", f.Box.Min.X)
		l.i("y", f.Box.Min.Y)
		l.i("w", f.Box.Dx())
		l.i("h", f.Box.Dy())
		l.f("right_eye.x", f.RightEye.X)
		l.f("right_eye.y", f.RightEye.Y)
		l.f("left_eye.x", f.LeftEye.X)
		l.f("left_eye.y", f.LeftEye.Y)
		l.f("confidence", f.Confidence)
		emit(fmt.Sprintf("4face %02d", k), &l)
		names := slices.Sorted(maps.Keys(f.Landmarks))
		for _, n := range names {
			p := f.Landmarks[n]
			l = line{}
			l.f("x", p.X)
			l.f("y", p.Y)
			emit(fmt.Sprintf("4face %02d landmark %s", k, n), &l)
		}
	}
}

// Sum returns the SHA-256, in hexadecimal, of the dump that WriteTo writes
// above its last line.
func (d *Digest) Sum() string {
	h := sha256.New()
	d.writeBody(h)
	return hex.EncodeToString(h.Sum(nil))
}

func (d *Digest) summary() string {
	return fmt.Sprintf("# %d samples, %d values", d.samples, d.values)
}

func (d *Digest) writeBody(w io.Writer) (int64, error) {
	var n int64
	for _, s := range append(d.Lines(), d.summary()) {
		k, err := io.WriteString(w, s+"\n")
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// WriteTo writes the sorted dump, a summary line ("# N samples, M
// values") and, last, "sha256 " and the SHA-256 of everything above it.
func (d *Digest) WriteTo(w io.Writer) (int64, error) {
	n, err := d.writeBody(w)
	if err != nil {
		return n, err
	}
	k, err := io.WriteString(w, "sha256 "+d.Sum()+"\n")
	return n + int64(k), err
}
