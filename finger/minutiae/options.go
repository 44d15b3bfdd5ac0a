package minutiae

import "image"

// DefaultMaxMinutiae is the default number of minutiae kept (the most
// confident): 255, the capacity NFIQ 2 gives FingerJetFX.
const DefaultMaxMinutiae = 255

// MinSide is the smallest width and height, in pixels, Find accepts
// (after any padding requested by Options.PadTo).
const MinSide = 32

// MaxPixels is the largest image (width × height) Find accepts: without
// Options.Window the extractor holds a few planes of the image size, so
// this bounds its memory; 16 megapixels is far beyond any fingerprint
// image.
const MaxPixels = 16 << 20

// Options tunes Find and Extract. A nil *Options means the zero value, which selects
// the defaults documented on each field.
type Options struct {
	// MaxMinutiae is how many minutiae are kept, the best by confidence
	// (FingerJetFX's top-N, applied before padding minutiae are left out).
	// 0 means DefaultMaxMinutiae; a negative value keeps all.
	MaxMinutiae int
	// MinQuality drops minutiae whose quality is below it (0–100).
	MinQuality int
	// Window, when non-zero, restricts detection to a window of at most
	// Window.X × Window.Y pixels (at 333 ppi: ⌊Window/6⌋·4), centred as
	// FingerJetFX centres a large image on its fixed 256×400 working
	// buffer (384×600 at 500 ppi). Positions stay in full-image
	// coordinates.
	Window image.Point
	// PadTo, when non-zero, pads the image with white on the right and at
	// the bottom to at least PadTo.X × PadTo.Y before extraction, as NFIQ 2
	// does for FingerJetFX's minimum size; minutiae found in the padding
	// are left out of Result.Minutiae but counted in Result.Count.
	PadTo image.Point
	// RefuseSmallFootprint makes Find refuse, as FingerJetFX does under
	// NFIQ 2, an image in which it finds fewer than 6 minutiae, with a
	// *FootprintError wrapping ErrFootprintTooSmall. NFIQ 2 cannot score
	// such images. Without it such an image gives its minutiae, if any,
	// and no error.
	RefuseSmallFootprint bool
}

// NFIQ2Options returns the options that reproduce how NFIQ 2 runs
// FingerJetFX on its cropped image: padding to 196×196, FingerJetFX's
// 384×600 working window (its 256×400 buffer at 333 ppi), at most 255
// minutiae, and FingerJetFX's refusal of fewer than 6 minutiae
// (RefuseSmallFootprint).
func NFIQ2Options() *Options {
	return &Options{
		MaxMinutiae:          DefaultMaxMinutiae,
		Window:               image.Pt(fjfxWindowWidth500, fjfxWindowHeight500),
		PadTo:                image.Pt(fjfxMinSide, fjfxMinSide),
		RefuseSmallFootprint: true,
	}
}

func (o *Options) maxMinutiae() int {
	if o == nil || o.MaxMinutiae == 0 {
		return DefaultMaxMinutiae
	}
	return o.MaxMinutiae
}
