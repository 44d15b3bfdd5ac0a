package report

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"image/jpeg"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/disintegration/imaging"
	"gonum.org/v1/plot/vg"

	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/quality"
	"github.com/biogate/biogate/thresholds"
)

// MaxThumbnail is the largest thumbnail side, in pixels.
const MaxThumbnail = 96

// Default thresholds the HTML report plots when neither the batch, the
// options nor an embedded profile of the batch's name supply them (the
// EES/USK values).
const (
	DefaultRecaptureBelow = 15
	DefaultMinInterEyePx  = 120
)

// HTMLOptions configure WriteHTML. A nil *HTMLOptions means the defaults:
// thumbnails on, thresholds from the batch.
type HTMLOptions struct {
	// Title is the page title; "" means "biogate report".
	Title string
	// Profile supplies the thresholds to draw when the batch does not
	// record them (Batch.Thresholds is nil). When both are nil, the
	// embedded profile named in the batch is used, with the batch's
	// overrides applied, and failing that the EES/USK defaults.
	Profile *thresholds.Profile
	// NoThumbnails leaves out the sample previews (for privacy: the page
	// then holds no image content at all).
	NoThumbnails bool
	// ThumbnailSize bounds the longer side of a preview, in pixels: 0 or
	// anything above MaxThumbnail means MaxThumbnail.
	ThumbnailSize int
	// Root is the folder relative sample paths are read from for the
	// previews; "" means the current folder.
	Root string
	// Load bounds what is read for previews; nil means package load's
	// defaults.
	Load *load.Options
}

// Thresholds are the profile values the HTML report draws.
type Thresholds struct {
	// Source says where they came from: "batch", "options", "embedded
	// profile NAME" or "defaults".
	Source string
	// RecaptureBelow is the NFIQ 2 recapture threshold.
	RecaptureBelow float64
	// MinInterEyePx is the smallest inter-eye distance, in pixels.
	MinInterEyePx float64
	// Profile is the profile they were taken from, nil for defaults.
	Profile *thresholds.Profile
}

// sourceText says in words where the thresholds drawn came from.
func sourceText(src string) string {
	switch {
	case src == "batch":
		return "the profile recorded with the results"
	case src == "options":
		return "the profile given for this page"
	case src == "defaults":
		return "the EES/USK defaults: the results name no known profile"
	case strings.HasPrefix(src, "embedded profile "):
		return "the " + src + ": the results record no thresholds"
	}
	return src
}

// ResolveThresholds returns the thresholds to draw for b: from opts.Profile,
// else b.Thresholds, else the embedded profile of b's name with its
// overrides, else the EES/USK defaults.
func ResolveThresholds(b Batch, opts *HTMLOptions) Thresholds {
	from := func(p *thresholds.Profile, src string) Thresholds {
		return Thresholds{Source: src, RecaptureBelow: p.Finger.RecaptureBelow, MinInterEyePx: p.Face.MinInterEyePx, Profile: p}
	}
	if opts != nil && opts.Profile != nil {
		return from(opts.Profile, "options")
	}
	if b.Thresholds != nil {
		return from(b.Thresholds, "batch")
	}
	if p, err := thresholds.Embedded(b.Profile.Name); err == nil && p.Version == b.Profile.Version {
		ok := true
		for _, o := range b.Profile.Overrides {
			k, v, cut := strings.Cut(o, "=")
			if !cut || p.Set(k, v) != nil {
				ok = false
				break
			}
		}
		if ok {
			return from(p, "embedded profile "+p.Name)
		}
	}
	return Thresholds{Source: "defaults", RecaptureBelow: DefaultRecaptureBelow, MinInterEyePx: DefaultMinInterEyePx}
}

// scoreOf returns the NFIQ 2 (unified) score of r.
func scoreOf(r gate.Report) (float64, bool) {
	if r.Score != nil {
		return float64(r.Score.Value), true
	}
	if r.Modality == quality.Finger {
		return r.Measures.Value(quality.QualityScore)
	}
	return 0, false
}

// Histograms returns the score histograms of b: NFIQ 2 scores of the
// fingerprints (bins of 5 points over 0-100) and inter-eye distances of the
// faces, each with its threshold. A modality without samples has no
// histogram.
func Histograms(b Batch, t Thresholds) []Histogram {
	var out []Histogram
	var scores, ieds []float64
	nFinger, nFace := 0, 0
	for _, r := range b.Samples {
		switch r.Modality {
		case quality.Finger:
			nFinger++
			if v, ok := scoreOf(r); ok {
				scores = append(scores, v)
			}
		case quality.Face:
			nFace++
			if v, ok := r.Measures.Value(quality.InterEyeDistance); ok && !math.IsNaN(v) {
				ieds = append(ieds, v)
			}
		}
	}
	if nFinger > 0 {
		h := newHistogram(scores, 0, 5, 20)
		h.Title = "Fingerprints: NFIQ 2 score"
		h.XLabel = "NFIQ 2 score (0-100)"
		h.Threshold = t.RecaptureBelow
		h.ThresholdLabel = "recapture below " + num(t.RecaptureBelow)
		h.Missing = nFinger - h.N
		out = append(out, h)
	}
	if nFace > 0 {
		hi := math.Max(t.MinInterEyePx*2, 1)
		for _, v := range ieds {
			hi = math.Max(hi, v)
		}
		w := niceWidth(hi, 24)
		bins := int(math.Floor(hi/w)) + 1
		h := newHistogram(ieds, 0, w, bins)
		h.Title = "Faces: inter-eye distance"
		h.XLabel = "inter-eye distance (px)"
		h.Threshold = t.MinInterEyePx
		h.ThresholdLabel = "at least " + num(t.MinInterEyePx) + " px"
		h.Missing = nFace - h.N
		out = append(out, h)
	}
	return out
}

// thumbnail reads the sample at path and returns a JPEG data URI of at
// most size pixels on its longer side.
func thumbnail(path string, size int, lo *load.Options, marks []face.Face, w, h int) (template.URL, error) {
	// Only regular files are read again: a pipe or standard input was
	// drained by the run, and reading it now could block for ever.
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() || path == load.Stdin {
		return "", errors.New("no preview: not a regular file")
	}
	img, err := load.FileImage(path, lo)
	if err != nil {
		return "", err
	}
	small := imaging.Fit(img.Image, size, size, imaging.Linear)
	// Marks only where the file still holds the image the report
	// describes (same size).
	if b := img.Image.Bounds(); len(marks) > 0 && b.Dx() == w && b.Dy() == h && w > 0 {
		drawFaceMarks(small, float64(small.Bounds().Dx())/float64(w), marks)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, small, &jpeg.Options{Quality: 70}); err != nil {
		return "", err
	}
	return template.URL("data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

// checkValue formats a check's value for the page: rounded to 0.01.
func checkValue(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// thumbnails makes the previews of every readable sample, in parallel.
func thumbnails(samples []gate.Report, opts *HTMLOptions) []template.URL {
	size := opts.ThumbnailSize
	if size <= 0 || size > MaxThumbnail {
		size = MaxThumbnail
	}
	out := make([]template.URL, len(samples))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(samples))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p := samples[i].Path
				if opts.Root != "" && !filepath.IsAbs(p) {
					p = filepath.Join(opts.Root, p)
				}
				r := samples[i]
				if u, err := thumbnail(p, size, opts.Load, faceMarks(r), r.Width, r.Height); err == nil {
					out[i] = u
				}
			}
		}()
	}
	for i, s := range samples {
		if s.Path != "" {
			jobs <- i
		}
	}
	close(jobs)
	wg.Wait()
	return out
}

type htmlReason struct {
	Code, Outcome, Instruction string
}

// htmlCheck is one rule of the profile as applied to a sample.
type htmlCheck struct {
	Measure, Value, Requirement string
	Passed                      bool
}

type htmlRow struct {
	Checks                 []htmlCheck
	Failed                 int
	Index                  int
	Path                   string
	Modality               string
	Outcome                string
	Severity               int
	Score, IED             string
	ScoreSort, IEDSort     string
	ShowScore, ShowIED     bool
	Reasons                []htmlReason
	Error                  string
	Warnings               []string
	Thumb                  template.URL
	HasThumb, ThumbsWanted bool
}

type htmlCount struct {
	Name    string
	Count   int
	Percent string
}

type htmlReasonCount struct {
	Code, Outcome string
	Count         int
}

type htmlPlot struct {
	SVG     template.HTML
	Caption string
}

type htmlPage struct {
	Title        string
	Tool         string
	Version      string
	Started      string
	Profile      thresholds.Ref
	Source       string
	ProfileYAML  string
	Thresholds   Thresholds
	Total        int
	Outcomes     []htmlCount
	Reasons      []htmlReasonCount
	Plots        []htmlPlot
	Rows         []htmlRow
	ThumbsWanted bool
	// ShowScore and ShowIED keep the NFIQ 2 and inter-eye distance columns
	// only when the batch holds fingerprints or faces.
	ShowScore, ShowIED bool
	// Tallied is set for a page made from a Tally: no per-sample table.
	Tallied bool
}

// WriteHTML writes b as one self-contained HTML page (no external assets:
// it works offline): the profile used, counts per decision and per reason
// code, score histograms per modality with the threshold drawn (inline SVG
// made with gonum.org/v1/plot), and a sortable table with one row per
// sample listing each failing check's instruction, with small previews
// unless opts.NoThumbnails. Previews are read from the samples' paths; a
// sample that cannot be read simply has none.
func WriteHTML(w io.Writer, b Batch, opts *HTMLOptions) error {
	if opts == nil {
		opts = &HTMLOptions{}
	}
	t := ResolveThresholds(b, opts)
	pg := htmlPage{
		Title: opts.Title, Tool: b.Tool, Version: b.Version, Profile: b.Profile,
		Source: sourceText(t.Source), Thresholds: t, ThumbsWanted: !opts.NoThumbnails,
	}
	if pg.Title == "" {
		pg.Title = "biogate report"
	}
	if !b.Started.IsZero() {
		pg.Started = b.Started.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	if t.Profile != nil {
		if y, err := t.Profile.Marshal(); err == nil {
			pg.ProfileYAML = string(y)
		}
	}
	s := Summarize(b.Samples)
	tallied := len(b.Samples) == 0 && b.Tally != nil
	if tallied {
		s = b.Tally.Summary
		pg.Tallied = true
	}
	pg.Total = s.Total
	pct := func(n int) string {
		switch p := 100 * float64(n) / float64(max(1, s.Total)); {
		case n > 0 && p < 0.5:
			return "<1%" // not "1 reject · 0%"
		case n < s.Total && p >= 99.5:
			return ">99%"
		default:
			return strconv.FormatFloat(p, 'f', 0, 64) + "%"
		}
	}
	for _, c := range []struct {
		o quality.Outcome
		n int
	}{{quality.Accept, s.Accept}, {quality.Recapture, s.Recapture}, {quality.WarnOperator, s.WarnOperator}, {quality.Reject, s.Reject}} {
		pg.Outcomes = append(pg.Outcomes, htmlCount{Name: c.o.String(), Count: c.n, Percent: pct(c.n)})
	}
	reasonOutcome := map[string]quality.Outcome{}
	if tallied {
		reasonOutcome = b.Tally.ReasonOutcomes
	}
	for _, r := range b.Samples {
		for _, rs := range r.Decision.Reasons {
			if o, ok := reasonOutcome[rs.Code]; !ok || rs.Outcome > o {
				reasonOutcome[rs.Code] = rs.Outcome
			}
		}
	}
	for code, n := range s.Reasons {
		pg.Reasons = append(pg.Reasons, htmlReasonCount{Code: code, Outcome: reasonOutcome[code].String(), Count: n})
	}
	sort.Slice(pg.Reasons, func(i, j int) bool {
		if pg.Reasons[i].Count != pg.Reasons[j].Count {
			return pg.Reasons[i].Count > pg.Reasons[j].Count
		}
		return pg.Reasons[i].Code < pg.Reasons[j].Code
	})
	hists := Histograms(b, t)
	if tallied {
		hists = b.Tally.Histograms(t)
	}
	for _, h := range hists {
		svg, err := h.SVG(vg.Points(420), vg.Points(240))
		if err != nil {
			return err
		}
		caption := plural(h.N, "sample") + " plotted"
		if h.Missing > 0 {
			caption += fmt.Sprintf(", %d without a value (not plotted)", h.Missing)
		}
		pg.Plots = append(pg.Plots, htmlPlot{SVG: template.HTML(svg), Caption: caption})
	}
	for _, r := range b.Samples {
		pg.ShowScore = pg.ShowScore || r.Modality == quality.Finger
		pg.ShowIED = pg.ShowIED || r.Modality == quality.Face
	}
	var thumbs []template.URL
	if !opts.NoThumbnails {
		thumbs = thumbnails(b.Samples, opts)
	}
	for i, r := range b.Samples {
		row := htmlRow{Index: i + 1, Path: r.Path, Modality: r.Modality.String(), Outcome: r.Decision.Outcome.String(),
			Severity: int(r.Decision.Outcome), Error: r.Error, Warnings: r.Warnings, ThumbsWanted: !opts.NoThumbnails,
			Score: "–", IED: "–", ScoreSort: "-1", IEDSort: "-1", ShowScore: pg.ShowScore, ShowIED: pg.ShowIED}
		if v, ok := scoreOf(r); ok {
			row.Score, row.ScoreSort = num(v), num(v)
		}
		if v, ok := r.Measures.Value(quality.InterEyeDistance); ok && !math.IsNaN(v) {
			row.IED = strconv.FormatFloat(v, 'f', 1, 64)
			row.IEDSort = row.IED
		}
		for _, c := range r.Checks {
			name := c.Measure
			if name == "" {
				name = c.Code
			}
			row.Checks = append(row.Checks, htmlCheck{Measure: name, Value: checkValue(c.Value), Requirement: c.Requirement(), Passed: c.Passed})
			if !c.Passed {
				row.Failed++
			}
		}
		for _, rs := range r.Decision.Reasons {
			row.Reasons = append(row.Reasons, htmlReason{Code: rs.Code, Outcome: rs.Outcome.String(), Instruction: rs.Instruction})
		}
		if thumbs != nil && thumbs[i] != "" {
			row.Thumb, row.HasThumb = thumbs[i], true
		}
		pg.Rows = append(pg.Rows, row)
	}
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, pg); err != nil {
		return err
	}
	_, err := buf.WriteTo(w)
	return err
}

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{{.Tool}} {{.Version}}">
<title>{{.Title}}</title>
<style>
:root{--accept:#1e7b34;--accept-bg:#e3f4e8;--recapture:#8a5300;--recapture-bg:#fff1cc;--warn:#a33a00;--warn-bg:#ffe2cf;--reject:#8b1a2b;--reject-bg:#f8d7da;--line:#d8dce1;--muted:#5b6470}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans","Liberation Sans",Arial,sans-serif;color:#1d2127;background:#f6f7f9}
main{max-width:1240px;margin:0 auto;padding:20px 20px 40px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}
.meta{color:var(--muted);margin:0 0 4px}
.meta b{color:#1d2127}
code{font:12px/1.3 ui-monospace,"DejaVu Sans Mono","Liberation Mono",monospace}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;margin-top:16px}
section h2{margin-top:0}
.cards{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:10px}
.card{border-radius:8px;padding:10px 12px;border:1px solid var(--line)}
.card .n{font-size:26px;font-weight:700;line-height:1.1}
.card .l{font-size:13px}
.card.total{background:#eef1f5}
.accept{background:var(--accept-bg);color:var(--accept)}
.recapture{background:var(--recapture-bg);color:var(--recapture)}
.warn_operator{background:var(--warn-bg);color:var(--warn)}
.reject{background:var(--reject-bg);color:var(--reject)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px}
.plot svg{width:100%;height:auto;display:block}
.plot svg text{font-family:"Liberation Sans","DejaVu Sans",Arial,sans-serif!important}
.plot p{margin:4px 0 0;color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:#eef1f5;font-size:13px;position:sticky;top:0}
th.sort{cursor:pointer;user-select:none;white-space:nowrap}
th.sort::after{content:" \2195";color:#9aa3ad}
th.asc::after{content:" \25B2";color:#1d2127}th.desc::after{content:" \25BC";color:#1d2127}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.path{overflow-wrap:anywhere;min-width:19em;max-width:340px}
td.thumb{width:80px}
td.thumb img{display:block;max-width:72px;max-height:72px;border-radius:3px;background:#ddd}
td.thumb span{color:var(--muted);font-size:12px}
ul.reasons{margin:0;padding-left:16px}
details.checks{margin-top:4px;font-size:12px}details.checks summary{cursor:pointer;color:var(--muted)}
details.checks table{margin-top:4px}details.checks td{padding:1px 8px 1px 0;border:0}
details.checks tr.fail td{color:var(--reject);font-weight:600}
ul.reasons li{margin:0 0 3px}
.err{color:var(--reject);font-size:12px;overflow-wrap:anywhere}
.warn{color:var(--warn);font-size:12px;overflow-wrap:anywhere}
.tools{display:flex;gap:12px;align-items:center;margin-bottom:10px;flex-wrap:wrap}
.tools input,.tools select{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:6px}
.muted{color:var(--muted)}
details pre{background:#f3f4f6;padding:10px;border-radius:6px;overflow:auto;max-height:320px}
@media (max-width:900px){.cols{grid-template-columns:1fr}.cards{grid-template-columns:repeat(2,1fr)}}
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p class="meta">Profile <b>{{.Profile.Name}}</b> version <b>{{.Profile.Version}}</b>{{if .Profile.Overrides}} with overrides {{range $i, $o := .Profile.Overrides}}{{if $i}}, {{end}}<code>{{$o}}</code>{{end}}{{else}}, no overrides{{end}}.
Thresholds drawn: NFIQ 2 recapture below <b>{{printf "%g" .Thresholds.RecaptureBelow}}</b>, inter-eye distance at least <b>{{printf "%g" .Thresholds.MinInterEyePx}} px</b> <span class="muted">(from {{.Source}})</span>.</p>
<p class="meta">Written by {{if .Tool}}{{.Tool}} {{.Version}}{{else}}biogate{{end}}{{if .Started}}, run started {{.Started}}{{end}}. {{.Total}} samples.</p>
{{if .ProfileYAML}}<details><summary>All profile values</summary><pre><code>{{.ProfileYAML}}</code></pre></details>{{end}}

<section id="counts">
<h2>Decisions</h2>
<div class="cards">
<div class="card total"><div class="n">{{.Total}}</div><div class="l">samples</div></div>
{{range .Outcomes}}<div class="card {{.Name}}"><div class="n">{{.Count}}</div><div class="l">{{.Name}} · {{.Percent}}</div></div>
{{end}}</div>
{{if .Reasons}}<h2 style="margin-top:16px">Reasons</h2>
<table id="reasons"><thead><tr><th>Reason code</th><th>Calls for</th><th style="text-align:right">Samples</th></tr></thead><tbody>
{{range .Reasons}}<tr><td><code>{{.Code}}</code></td><td><span class="badge {{.Outcome}}">{{.Outcome}}</span></td><td class="num">{{.Count}}</td></tr>
{{end}}</tbody></table>{{else}}<p class="muted">No sample failed a check.</p>{{end}}
</section>

{{if .Plots}}<section id="plots">
<h2>Score distributions</h2>
<div class="cols">
{{range .Plots}}<figure class="plot" style="margin:0">{{.SVG}}<p>{{.Caption}}</p></figure>
{{end}}</div>
</section>{{end}}

{{if .Tallied}}<section id="samples-section">
<h2>Samples</h2>
<p class="muted">This page shows the summary of a run too large for one page: each sample's report is in the run's JSON Lines files.</p>
</section>{{else}}<section id="samples-section">
<h2>Samples</h2>
<div class="tools">
<label>Filter <input id="filter" type="search" placeholder="path, reason code or text" size="32"></label>
<label>Decision <select id="decision"><option value="">all</option><option>accept</option><option>recapture</option><option>warn_operator</option><option>reject</option></select></label>
<span id="shown" class="muted"></span>
</div>
<table id="samples">
<thead><tr>
<th class="sort" data-type="num">#</th>
{{if .ThumbsWanted}}<th>Preview</th>{{end}}
<th class="sort" data-type="text">Path</th>
<th class="sort" data-type="text">Modality</th>
<th class="sort" data-type="num">Decision</th>
{{if .ShowScore}}<th class="sort" data-type="num">NFIQ 2</th>{{end}}
{{if .ShowIED}}<th class="sort" data-type="num">IED px</th>{{end}}
<th>What to do</th>
</tr></thead>
<tbody>
{{range .Rows}}<tr data-outcome="{{.Outcome}}">
<td class="num" data-v="{{.Index}}">{{.Index}}</td>
{{if .ThumbsWanted}}<td class="thumb">{{if .HasThumb}}<img src="{{.Thumb}}" alt="" loading="lazy">{{else}}<span>no preview</span>{{end}}</td>{{end}}
<td class="path"><code>{{.Path}}</code></td>
<td>{{.Modality}}</td>
<td data-v="{{.Severity}}"><span class="badge {{.Outcome}}">{{.Outcome}}</span></td>
{{if .ShowScore}}<td class="num" data-v="{{.ScoreSort}}">{{.Score}}</td>{{end}}
{{if .ShowIED}}<td class="num" data-v="{{.IEDSort}}">{{.IED}}</td>{{end}}
<td>{{if .Reasons}}<ul class="reasons">{{range .Reasons}}<li><code>{{.Code}}</code> {{.Instruction}}</li>{{end}}</ul>{{else}}<span class="muted">nothing: keep it</span>{{end}}{{if .Error}}<div class="err">{{.Error}}</div>{{end}}{{range .Warnings}}<div class="warn">warning: {{.}}</div>{{end}}{{if .Checks}}<details class="checks"><summary>{{len .Checks}} checks{{if .Failed}}, {{.Failed}} failed{{end}}</summary><table><tbody>{{range .Checks}}<tr class="{{if .Passed}}pass{{else}}fail{{end}}"><td><code>{{.Measure}}</code></td><td class="num">{{.Value}}</td><td>{{.Requirement}}</td><td>{{if .Passed}}passed{{else}}failed{{end}}</td></tr>{{end}}</tbody></table></details>{{end}}</td>
</tr>
{{end}}</tbody>
</table>
</section>{{end}}
</main>
<script>
(function(){
  var table=document.getElementById("samples");if(!table)return;
  var body=table.tBodies[0],heads=table.tHead.rows[0].cells;
  function key(row,i,type){var c=row.cells[i],v=c.getAttribute("data-v");
    if(type==="num"){var n=parseFloat(v!==null?v:c.textContent);return isNaN(n)?-Infinity:n;}
    return (v!==null?v:c.textContent).trim().toLowerCase();}
  Array.prototype.forEach.call(heads,function(th,i){
    if(!th.classList.contains("sort"))return;
    th.addEventListener("click",function(){
      var asc=!th.classList.contains("asc"),type=th.getAttribute("data-type");
      Array.prototype.forEach.call(heads,function(h){h.classList.remove("asc","desc");});
      th.classList.add(asc?"asc":"desc");
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){var x=key(a,i,type),y=key(b,i,type);var r=x<y?-1:x>y?1:0;
        if(r===0){r=parseFloat(a.cells[0].getAttribute("data-v"))-parseFloat(b.cells[0].getAttribute("data-v"));return r;}
        return asc?r:-r;});
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
  var f=document.getElementById("filter"),d=document.getElementById("decision"),shown=document.getElementById("shown");
  function apply(){var q=f.value.trim().toLowerCase(),o=d.value,n=0;
    Array.prototype.forEach.call(body.rows,function(r){
      var ok=(!o||r.getAttribute("data-outcome")===o)&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
      r.style.display=ok?"":"none";if(ok)n++;});
    shown.textContent=n+" of "+body.rows.length+" shown";}
  f.addEventListener("input",apply);d.addEventListener("change",apply);apply();
})();
</script>
</body>
</html>
`
