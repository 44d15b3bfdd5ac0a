package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Histogram is the distribution of one value over a batch's samples, with
// the profile's threshold, ready to plot.
type Histogram struct {
	// Title, XLabel and ThresholdLabel label the plot.
	Title, XLabel, ThresholdLabel string
	// Threshold is where the line is drawn; values below it fail.
	Threshold float64
	// Min and Width place the bins: bin i holds values in
	// [Min+i*Width, Min+(i+1)*Width), the last bin also its upper edge.
	Min, Width float64
	// Counts holds the number of samples per bin.
	Counts []int
	// N is the number of values binned; Missing counts the samples of the
	// modality that had no value.
	N, Missing int
}

// newHistogram bins values into bins of width w starting at lo; values
// beyond the last bin go into it, values below lo into the first.
func newHistogram(values []float64, lo, w float64, bins int) Histogram {
	h := Histogram{Min: lo, Width: w, Counts: make([]int, bins)}
	for _, v := range values {
		if math.IsNaN(v) {
			continue
		}
		i := int(math.Floor((v - lo) / w))
		i = min(max(i, 0), bins-1)
		h.Counts[i]++
		h.N++
	}
	return h
}

// niceWidth returns a bin width from 1, 2, 2.5, 5 ×10^k giving at most
// maxBins bins over span.
func niceWidth(span float64, maxBins int) float64 {
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(maxBins)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

var (
	colourPass      = color.RGBA{R: 0x4c, G: 0xa8, B: 0x6a, A: 0xff}
	colourFail      = color.RGBA{R: 0xe0, G: 0x8a, B: 0x2c, A: 0xff}
	colourThreshold = color.RGBA{R: 0xb0, G: 0x1c, B: 0x2e, A: 0xff}
	colourOutline   = color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}
)

// integerTicks marks whole sample counts only.
func integerTicks(lo, hi float64) []plot.Tick {
	step := math.Max(1, niceWidth(hi-lo, 5))
	step = math.Ceil(step)
	var ts []plot.Tick
	for v := math.Ceil(lo); v <= hi+1e-9; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ts
}

// axisTicks labels about six round values and marks the steps between.
func axisTicks(lo, hi float64) []plot.Tick {
	major := niceWidth(hi-lo, 6)
	minor := major / 2
	var ts []plot.Tick
	for v := math.Ceil(lo/minor) * minor; v <= hi+1e-9; v += minor {
		t := plot.Tick{Value: v}
		if r := math.Mod(math.Abs(v), major); r < 1e-9 || major-r < 1e-9 {
			t.Label = strconv.FormatFloat(v, 'f', -1, 64)
		}
		ts = append(ts, t)
	}
	return ts
}

// SVG renders the histogram as an SVG document of w×h points with
// gonum.org/v1/plot: bins below the threshold in orange, the others in
// green, and the threshold as a dashed red line.
func (h Histogram) SVG(w, ht vg.Length) ([]byte, error) {
	p := plot.New()
	sans := func(s *plot.Axis) {
		s.Label.TextStyle.Font.Variant = "Sans"
		s.Tick.Label.Font.Variant = "Sans"
	}
	p.Title.Text = h.Title
	p.Title.TextStyle.Font.Variant = "Sans"
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Legend.TextStyle.Font.Variant = "Sans"
	sans(&p.X)
	sans(&p.Y)
	p.X.Label.Text = h.XLabel
	p.Y.Label.Text = "samples"
	p.Y.Tick.Marker = plot.TickerFunc(integerTicks)
	p.X.Tick.Marker = plot.TickerFunc(axisTicks)

	var pass, fail []plotter.HistogramBin
	top := 0
	for i, c := range h.Counts {
		lo := h.Min + float64(i)*h.Width
		b := plotter.HistogramBin{Min: lo, Max: lo + h.Width, Weight: float64(c)}
		top = max(top, c)
		if lo+h.Width/2 < h.Threshold {
			fail = append(fail, b)
		} else {
			pass = append(pass, b)
		}
	}
	outline := draw.LineStyle{Color: colourOutline, Width: vg.Points(0.5)}
	if len(fail) > 0 {
		hf := &plotter.Histogram{Bins: fail, Width: h.Width, FillColor: colourFail, LineStyle: outline}
		p.Add(hf)
		p.Legend.Add("below threshold", hf)
	}
	if len(pass) > 0 {
		hp := &plotter.Histogram{Bins: pass, Width: h.Width, FillColor: colourPass, LineStyle: outline}
		p.Add(hp)
		p.Legend.Add("passes", hp)
	}
	// Head room above the bars for the legend.
	yMax := math.Max(2, math.Ceil(float64(top)*1.5))
	line, err := plotter.NewLine(plotter.XYs{{X: h.Threshold, Y: 0}, {X: h.Threshold, Y: yMax}})
	if err != nil {
		return nil, err
	}
	line.LineStyle = draw.LineStyle{Color: colourThreshold, Width: vg.Points(2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	p.Add(line)
	p.Legend.Add(h.ThresholdLabel, line)
	p.Legend.Top = true
	p.Legend.Left = false
	p.X.Min = math.Min(h.Min, h.Threshold)
	p.X.Max = math.Max(h.Min+h.Width*float64(len(h.Counts)), h.Threshold)
	p.Y.Min, p.Y.Max = 0, yMax

	wt, err := p.WriterTo(w, ht, "svg")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return nil, err
	}
	return inlineSVG(buf.Bytes())
}

// inlineSVG strips the XML prolog and comments that precede <svg, so the
// document can sit inside HTML.
func inlineSVG(doc []byte) ([]byte, error) {
	i := bytes.Index(doc, []byte("<svg"))
	if i < 0 {
		return nil, fmt.Errorf("report: plot produced no <svg> element")
	}
	return doc[i:], nil
}
