// Command htmlcheck supports scripts/html-screenshot.sh, the browser check
// of biogate's HTML report:
//
//	htmlcheck demo DIR          write synthetic sample images and DIR/results.json
//	htmlcheck html DIR OUT      render DIR/results.json to OUT with report.WriteHTML
//	htmlcheck probe IN OUT      copy the report IN to OUT with a probe script that
//	                            records the page width and a sort click in the DOM
//	htmlcheck dom FILE          check a DOM dumped from the probed page
//	htmlcheck png FILE WIDTH    check a screenshot: WIDTH pixels wide, not blank
//
// It exits 0 when the check passes, 1 when it fails and 2 on usage errors.
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/biogate/biogate/report"
	synth "github.com/biogate/biogate/report/reporttest"
	"github.com/biogate/biogate/thresholds"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: htmlcheck demo DIR | html DIR OUT | probe IN OUT | dom FILE | png FILE WIDTH")
		os.Exit(2)
	}
	var err error
	switch a := os.Args[2:]; os.Args[1] {
	case "demo":
		err = demo(a[0])
	case "html":
		err = need(a, 2, func() error { return html(a[0], a[1]) })
	case "probe":
		err = need(a, 2, func() error { return probe(a[0], a[1]) })
	case "dom":
		err = dom(a[0])
	case "png":
		err = need(a, 2, func() error { return checkPNG(a[0], a[1]) })
	default:
		fmt.Fprintln(os.Stderr, "htmlcheck: unknown command", os.Args[1])
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "htmlcheck:", err)
		os.Exit(1)
	}
}

func need(args []string, n int, f func() error) error {
	if len(args) < n {
		fmt.Fprintln(os.Stderr, "htmlcheck: missing arguments")
		os.Exit(2)
	}
	return f()
}

// demo writes the synthetic batch as biogate check -format json would,
// with images for the previews.
func demo(dir string) error {
	p := thresholds.MustEmbedded("ees-usk")
	samples := synth.Samples(p)
	if err := synth.WriteImages(dir, samples); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "results.json"))
	if err != nil {
		return err
	}
	w := report.NewWriter(f, report.JSON, report.Batch{Tool: "biogate", Version: "demo", Profile: p.Ref(), Thresholds: p, Started: time.Now()})
	for _, s := range samples {
		if err := w.Add(s); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func html(dir, out string) error {
	f, err := os.Open(filepath.Join(dir, "results.json"))
	if err != nil {
		return err
	}
	b, err := report.ReadBatch(f)
	f.Close()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteHTML(&buf, b, &report.HTMLOptions{Root: dir}); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// probeScript runs after the page loaded: it records the document's width,
// then sorts the samples by NFIQ 2 score, descending (two clicks), and
// records the first row's score.
const probeScript = `<script>
window.addEventListener("load", function () {
  var d = document.documentElement;
  d.setAttribute("data-scroll-width", String(d.scrollWidth));
  var th = Array.prototype.filter.call(document.querySelectorAll("#samples th"), function (h) { return h.textContent.trim() === "NFIQ 2"; })[0];
  if (th) {
    th.click(); th.click();
    var cells = document.querySelector("#samples tbody tr").cells;
    d.setAttribute("data-first-score", cells[th.cellIndex].textContent.trim());
  }
  d.setAttribute("data-svg-count", String(document.querySelectorAll("svg").length));
});
</script>
</body>`

func probe(in, out string) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	i := bytes.LastIndex(b, []byte("</body>"))
	if i < 0 {
		return fmt.Errorf("%s: no </body>", in)
	}
	b = append(b[:i:i], append([]byte(probeScript), b[i+len("</body>"):]...)...)
	return os.WriteFile(out, b, 0o644)
}

func attr(doc []byte, name string) (string, bool) {
	m := regexp.MustCompile(name + `="([^"]*)"`).FindSubmatch(doc)
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// dom checks the attributes the probe script set: the page is no wider
// than 1280 px, sorting by score put the best score first, and both plots
// are there.
func dom(file string) error {
	doc, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	w, ok := attr(doc, "data-scroll-width")
	if !ok {
		return fmt.Errorf("%s: the probe script did not run (no data-scroll-width)", file)
	}
	if n, err := strconv.Atoi(w); err != nil || n > 1280 {
		return fmt.Errorf("page is %s px wide, more than 1280", w)
	}
	if s, _ := attr(doc, "data-first-score"); s != "72" {
		return fmt.Errorf("sorting by NFIQ 2 (descending) put %q first, want 72", s)
	}
	if s, _ := attr(doc, "data-svg-count"); s != "2" {
		return fmt.Errorf("page has %s SVG plots, want 2", s)
	}
	fmt.Printf("dom ok: scrollWidth %s px, sort by NFIQ 2 works, 2 plots\n", w)
	return nil
}

// checkPNG checks that the screenshot has the expected width and is not
// blank: the luminance varies, and a fair share of pixels is not the
// background.
func checkPNG(file, width string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %v", file, err)
	}
	want, err := strconv.Atoi(width)
	if err != nil {
		return err
	}
	b := img.Bounds()
	if b.Dx() != want {
		return fmt.Errorf("%s is %d px wide, want %d", file, b.Dx(), want)
	}
	var sum, sum2 float64
	n, ink, colourful := 0, 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			l, sat := lum(img, x, y)
			sum += l
			sum2 += l * l
			n++
			if l < 0.6 {
				ink++
			}
			if sat > 0.15 {
				colourful++
			}
		}
	}
	mean := sum / float64(n)
	sd := math.Sqrt(math.Max(0, sum2/float64(n)-mean*mean))
	inkShare, colourShare := float64(ink)/float64(n), float64(colourful)/float64(n)
	fmt.Printf("png: %dx%d, luminance sd %.3f, dark pixels %.1f%%, coloured pixels %.1f%%\n", b.Dx(), b.Dy(), sd, 100*inkShare, 100*colourShare)
	switch {
	case sd < 0.05:
		return fmt.Errorf("%s looks blank (luminance sd %.3f)", file, sd)
	case inkShare < 0.005:
		return fmt.Errorf("%s has almost no text (%.2f%% dark pixels)", file, 100*inkShare)
	case colourShare < 0.005:
		return fmt.Errorf("%s has almost no colour: the plots and badges are missing", file)
	}
	return nil
}

func lum(img image.Image, x, y int) (l, sat float64) {
	r, g, b, _ := img.At(x, y).RGBA()
	rf, gf, bf := float64(r)/65535, float64(g)/65535, float64(b)/65535
	l = 0.2126*rf + 0.7152*gf + 0.0722*bf
	return l, math.Max(rf, math.Max(gf, bf)) - math.Min(rf, math.Min(gf, bf))
}
