package minutiae

import (
	"image"

	"github.com/biogate/biogate/finger/internal/nfiq2"
)

// NIST's names of the four minutiae-based NFIQ 2 native quality measures.
const (
	NameMinutiaeCount   = "FingerJetFX_MinutiaeCount"
	NameCOMRect200x200  = "FingerJetFX_MinCount_COMMinRect200x200"
	NameMuQuality2      = "FJFXPos_Mu_MinutiaeQuality_2"
	NameOCLQuality80    = "FJFXPos_OCL_MinutiaeQuality_80"
	comRectSide         = 200
	fjfxMinSide         = 196
	fjfxWindowWidth500  = fjWinW * 3 / 2 // FingerJetFX's 256×400 working buffer at 333 ppi, seen at 500 ppi
	fjfxWindowHeight500 = fjWinH * 3 / 2
)

// MeasureSet holds the four minutiae-based NFIQ 2 native quality measures.
type MeasureSet struct {
	// MinutiaeCount is FingerJetFX_MinutiaeCount: the number of minutiae.
	MinutiaeCount float64 `json:"FingerJetFX_MinutiaeCount"`
	// COMRect200x200 is FingerJetFX_MinCount_COMMinRect200x200: the number of
	// minutiae inside the 200×200 rectangle centred on their centre of mass.
	COMRect200x200 float64 `json:"FingerJetFX_MinCount_COMMinRect200x200"`
	// MuQuality2 is FJFXPos_Mu_MinutiaeQuality_2: the share of minutiae whose
	// 32×32 neighbourhood mean m satisfies 0 < (mean−m)/σ ≤ 0.5, with the
	// image's global mean and standard deviation.
	MuQuality2 float64 `json:"FJFXPos_Mu_MinutiaeQuality_2"`
	// OCLQuality80 is FJFXPos_OCL_MinutiaeQuality_80: the share of minutiae
	// whose 32×32 block orientation certainty level, rounded to a percentage,
	// exceeds 80.
	OCLQuality80 float64 `json:"FJFXPos_OCL_MinutiaeQuality_80"`
}

// Map returns the measures keyed by NIST's names.
func (s MeasureSet) Map() map[string]float64 {
	return map[string]float64{
		NameMinutiaeCount:  s.MinutiaeCount,
		NameCOMRect200x200: s.COMRect200x200,
		NameMuQuality2:     s.MuQuality2,
		NameOCLQuality80:   s.OCLQuality80,
	}
}

// Measures computes the four minutiae-based NFIQ 2 measures from the
// minutiae m found on img, which must be the image NFIQ 2 works on (after
// its near-white frame crop), following NIST's NFIQ 2 code: the centre
// of mass is the integer mean of the coordinates; the rectangle spans
// centre±100 inclusive, clipped to the image; the Mu test uses the mean of
// the 32×32 block whose top-left corner is the minutia minus 16 (clipped at
// the image edges) against the image's global mean and population standard
// deviation; the OCL test uses the full 32×32 block at the same corner,
// shifted inside the image, with central-difference gradients. The block
// statistics come from package finger/internal/nfiq2, the same code as the
// other NFIQ 2 measures.
//
// Positions are relative to img.Bounds().Min. With no minutiae all four
// measures are 0 (NIST's code would divide by zero for the two ratios); a
// nil or empty image gives zero ratios. The count here is len(m); NIST's
// FingerJetFX_MinutiaeCount also counts the minutiae FingerJetFX found in
// the white padding of images smaller than 196×196, which the list leaves
// out: Result.Measures gives NIST's count.
//
// Measures is safe for concurrent use.
func Measures(img *image.Gray, m []Minutia) MeasureSet {
	var s MeasureSet
	s.MinutiaeCount = float64(len(m))
	if len(m) == 0 || img == nil || img.Rect.Empty() {
		return s
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()

	// Centre of mass, integer division as NIST does (unsigned sums).
	var sx, sy int
	for _, p := range m {
		sx += p.X
		sy += p.Y
	}
	cx, cy := sx/len(m), sy/len(m)
	x0, y0 := max(cx-comRectSide/2, 0), max(cy-comRectSide/2, 0)
	x1, y1 := min(cx+comRectSide/2, w-1), min(cy+comRectSide/2, h-1)
	n := 0
	for _, p := range m {
		if p.X >= x0 && p.X <= x1 && p.Y >= y0 && p.Y <= y1 {
			n++
		}
	}
	s.COMRect200x200 = float64(n)

	// The two ratios: NFIQ 2's own block mean and OCL (package nfiq2
	// reproduces OpenCV's arithmetic), so that agreeing minutiae give
	// agreeing measures.
	pts := make([]image.Point, len(m))
	for i, p := range m {
		pts[i] = image.Pt(p.X, p.Y)
	}
	sub := img
	if img.Rect.Min != (image.Point{}) {
		sub = &image.Gray{Pix: img.Pix, Stride: img.Stride, Rect: image.Rect(0, 0, w, h)}
	}
	if mu2, ocl80, err := nfiq2.MinutiaeQuality(sub, pts); err == nil {
		s.MuQuality2, s.OCLQuality80 = mu2, ocl80
	}
	return s
}
