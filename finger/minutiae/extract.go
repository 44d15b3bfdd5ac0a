package minutiae

import "image"

// Result is the outcome of Find.
type Result struct {
	// Minutiae lists the minutiae found in the image, in FingerJetFX's
	// order (by decreasing confidence, then position), without those
	// found in padding added by Options.PadTo and those below
	// Options.MinQuality.
	Minutiae []Minutia
	// Count is the number of minutiae FingerJetFX reports: every minutia
	// found, including those in padding, after the Options.MaxMinutiae cut.
	// NIST's FingerJetFX_MinutiaeCount is this count.
	Count int
	// FootprintArea is the fingerprint area FingerJetFX records, in its
	// units: 64 per set cell of its 32×50 footprint grid (see the package
	// documentation).
	FootprintArea int
}

// Measures computes the four minutiae-based NFIQ 2 measures from the
// result, as Measures does, except that FingerJetFX_MinutiaeCount is
// r.Count, as in NIST's NFIQ 2. img must be the image given to Find.
func (r *Result) Measures(img *image.Gray) MeasureSet {
	s := Measures(img, r.Minutiae)
	if r.Count == 0 {
		return MeasureSet{}
	}
	s.MinutiaeCount = float64(r.Count)
	return s
}

// Extract finds the minutiae of a 500 ppi 8-bit fingerprint image and
// returns Find's Minutiae. See Find.
func Extract(img *image.Gray, opts *Options) ([]Minutia, error) {
	r, err := Find(img, opts)
	if err != nil {
		return nil, err
	}
	return r.Minutiae, nil
}

// Find finds the minutiae of a 500 ppi 8-bit fingerprint image. Dark
// pixels are ridges. Positions are relative to img.Bounds().Min.
//
// It returns ErrEmpty for a nil or zero-sized image, a *SizeError wrapping
// ErrTooSmall when a side is below MinSide (after Options.PadTo) and one
// wrapping ErrTooLarge beyond MaxPixels. An image without fingerprint
// texture gives no minutiae and no error, unless
// Options.RefuseSmallFootprint asks for FingerJetFX's refusal of a
// fingerprint with fewer than 6 minutiae (a *FootprintError wrapping
// ErrFootprintTooSmall, which also carries the result).
func Find(img *image.Gray, opts *Options) (*Result, error) {
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
	pix, stride := img.Pix, img.Stride
	if pw != ow || ph != oh {
		// White padding at the right and bottom.
		pix, stride = make([]uint8, pw*ph), pw
		for i := range pix {
			pix[i] = 255
		}
		for y := 0; y < oh; y++ {
			copy(pix[y*pw:y*pw+ow], img.Pix[y*img.Stride:])
		}
	}
	// FingerJetFX's working plane is at most 256×400 pixels at 333 ppi;
	// Options.Window gives that limit in 500 ppi pixels.
	limW, limH := pw, ph
	if o.Window.X > 0 {
		limW = max(o.Window.X, MinSide)
	}
	if o.Window.Y > 0 {
		limH = max(o.Window.Y, MinSide)
	}
	raw := fjExtract(pix, stride, pw, ph, limW/6*4, limH/6*4, o.maxMinutiae())

	r := &Result{Count: len(raw.list), FootprintArea: raw.cells * fpCellAreaUnit}
	r.Minutiae = make([]Minutia, 0, len(raw.list))
	for _, fm := range raw.list {
		m := fjOutput(fm, raw.xOffs, raw.yOffs)
		if m.X >= ow || m.Y >= oh || m.Quality < o.MinQuality {
			continue
		}
		r.Minutiae = append(r.Minutiae, m)
	}
	if o.RefuseSmallFootprint && r.Count < fjMinMinutiae {
		return nil, &FootprintError{
			Area: r.FootprintArea, Minutiae: r.Count, MinMinutiae: fjMinMinutiae, Result: r,
		}
	}
	return r, nil
}

// majority keeps a block when more than need blocks of its (2r+1)² window
// (outside counts as background) are set.
func majority(m []bool, bw, bh, r, need int) []bool {
	out := make([]bool, len(m))
	// sat[(j)(bw+1)+i]: the set cells of rows < j and columns < i.
	sat := make([]int32, (bw+1)*(bh+1))
	for j := 0; j < bh; j++ {
		var row int32
		for i := 0; i < bw; i++ {
			if m[j*bw+i] {
				row++
			}
			sat[(j+1)*(bw+1)+i+1] = sat[j*(bw+1)+i+1] + row
		}
	}
	for by := 0; by < bh; by++ {
		j0, j1 := max(by-r, 0), min(by+r, bh-1)+1
		for bx := 0; bx < bw; bx++ {
			i0, i1 := max(bx-r, 0), min(bx+r, bw-1)+1
			n := sat[j1*(bw+1)+i1] - sat[j0*(bw+1)+i1] - sat[j1*(bw+1)+i0] + sat[j0*(bw+1)+i0]
			out[by*bw+bx] = int(n) > need
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
