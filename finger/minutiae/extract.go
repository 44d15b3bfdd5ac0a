package minutiae

import (
	"image"
	"sort"
)

// Extract finds the minutiae of a 500 ppi 8-bit fingerprint image. Dark
// pixels are ridges. Positions are relative to img.Bounds().Min.
//
// It returns ErrEmpty for a nil or zero-sized image and a *SizeError
// wrapping ErrTooSmall when a side is below MinSide (after Options.PadTo).
// An image without fingerprint texture gives no minutiae and no error,
// unless Options.RefuseSmallFootprint asks for FingerJetFX's refusal of
// too small a fingerprint area (a *FootprintError wrapping
// ErrFootprintTooSmall).
// The result is sorted by decreasing quality; minutiae of equal quality
// are in decreasing order of the extractor's finer confidence, then in
// raster order.
func Extract(img *image.Gray, opts *Options) ([]Minutia, error) {
	if img == nil || img.Rect.Empty() {
		return nil, ErrEmpty
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	ow, oh := img.Rect.Dx(), img.Rect.Dy()
	if ow*oh > MaxPixels {
		return nil, &SizeError{Width: ow, Height: oh, Limit: MaxPixels, Err: ErrTooLarge}
	}
	pw, ph := max(ow, o.PadTo.X), max(oh, o.PadTo.Y)
	if pw < MinSide || ph < MinSide {
		return nil, &SizeError{Width: pw, Height: ph, Limit: MinSide, Err: ErrTooSmall}
	}
	// Working window, centred in the padded image.
	ww, wh := pw, ph
	if o.Window.X > 0 {
		ww = min(ww, max(o.Window.X, MinSide))
	}
	if o.Window.Y > 0 {
		wh = min(wh, max(o.Window.Y, MinSide))
	}
	x0, y0 := (pw-ww)/2, (ph-wh)/2

	f := make([]float32, ww*wh)
	for y := 0; y < wh; y++ {
		sy := y + y0
		for x := 0; x < ww; x++ {
			sx := x + x0
			v := float32(255)
			if sx < ow && sy < oh {
				v = float32(img.Pix[sy*img.Stride+sx])
			}
			f[y*ww+x] = v
		}
	}

	ms, cells := extractPhase(f, ww, wh, o.maxMinutiae())
	if o.RefuseSmallFootprint && footprintTooSmall(cells, len(ms)) {
		return nil, &FootprintError{
			Area: cells * fpCellAreaUnit, MinArea: fpMinArea,
			Minutiae: len(ms), MinMinutiae: fpMinMinutiae,
		}
	}

	out := make([]Minutia, 0, len(ms))
	for _, m := range ms {
		m.X += x0
		m.Y += y0
		if m.X >= ow || m.Y >= oh || m.Quality < o.MinQuality {
			continue
		}
		out = append(out, m)
	}
	// The extractor lists minutiae by decreasing confidence (finer than
	// Quality), ties in raster order; a stable sort keeps that order
	// within equal qualities.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Quality > out[j].Quality })
	if n := o.maxMinutiae(); n > 0 && len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// majority keeps a block when more than need blocks of its (2r+1)² window
// (outside counts as background) are set.
func majority(m []bool, bw, bh, r, need int) []bool {
	out := make([]bool, len(m))
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			n := 0
			for j := max(by-r, 0); j <= min(by+r, bh-1); j++ {
				for i := max(bx-r, 0); i <= min(bx+r, bw-1); i++ {
					if m[j*bw+i] {
						n++
					}
				}
			}
			out[by*bw+bx] = n > need
		}
	}
	return out
}

// fillRuns sets every block between the first and last foreground block of
// each row, then of each column: a fingertip's footprint has no holes.
func fillRuns(m []bool, bw, bh int) {
	for y := 0; y < bh; y++ {
		a, b := -1, -1
		for x := 0; x < bw; x++ {
			if m[y*bw+x] {
				if a < 0 {
					a = x
				}
				b = x
			}
		}
		for x := a + 1; a >= 0 && x < b; x++ {
			m[y*bw+x] = true
		}
	}
	for x := 0; x < bw; x++ {
		a, b := -1, -1
		for y := 0; y < bh; y++ {
			if m[y*bw+x] {
				if a < 0 {
					a = y
				}
				b = y
			}
		}
		for y := a + 1; a >= 0 && y < b; y++ {
			m[y*bw+x] = true
		}
	}
}
