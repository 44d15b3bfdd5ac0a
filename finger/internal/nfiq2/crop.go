package nfiq2

import (
	"fmt"
	"image"
)

// NIST's limits on the cropped image (FingerJetFX image size thresholds).
const (
	MaxWidth  = 800  // maximum width in pixels after cropping
	MaxHeight = 1000 // maximum height in pixels after cropping
	nearWhite = 250.0
)

// gray is a compact, continuous 8-bit image.
type gray struct {
	w, h int
	p    []uint8
}

func fromImage(img *image.Gray) (gray, error) {
	if img == nil {
		return gray{}, newError(ErrInvalidImage, "nil image")
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || len(img.Pix) == 0 {
		return gray{}, newError(ErrInvalidImage, "empty image")
	}
	if img.Stride < b.Dx() || img.PixOffset(b.Min.X, b.Min.Y) < 0 ||
		img.PixOffset(b.Max.X-1, b.Max.Y-1) >= len(img.Pix) {
		return gray{}, newError(ErrInvalidImage, "pixel buffer does not cover the bounds")
	}
	if off := img.PixOffset(b.Min.X, b.Min.Y); img.Stride == b.Dx() && off >= 0 && off+b.Dx()*b.Dy() <= len(img.Pix) {
		// Contiguous pixels are used in place: nothing in this package
		// writes to the input.
		return gray{w: b.Dx(), h: b.Dy(), p: img.Pix[off : off+b.Dx()*b.Dy()]}, nil
	}
	g := gray{w: b.Dx(), h: b.Dy(), p: make([]uint8, b.Dx()*b.Dy())}
	for y := 0; y < g.h; y++ {
		off := img.PixOffset(b.Min.X, b.Min.Y+y)
		copy(g.p[y*g.w:(y+1)*g.w], img.Pix[off:off+g.w])
	}
	return g, nil
}

func (g gray) toImage() *image.Gray {
	out := image.NewGray(image.Rect(0, 0, g.w, g.h))
	copy(out.Pix, g.p)
	return out
}

func (g gray) rowMean(y int) float64 {
	s := 0.0
	for _, v := range g.p[y*g.w : (y+1)*g.w] {
		s += float64(v)
	}
	return s / float64(g.w)
}

func (g gray) colMean(x int) float64 {
	s := 0.0
	for y := 0; y < g.h; y++ {
		s += float64(g.p[y*g.w+x])
	}
	return s / float64(g.h)
}

// crop removes the near-white frame as NFIQ 2 v2.3.0 does: whole rows and
// columns are dropped from each edge while their mean grey value is > 250.
// Column means are taken over all rows of the original image.
func crop(g gray) (gray, image.Rectangle, error) {
	top := 0
	for top < g.h && g.rowMean(top) > nearWhite {
		top++
	}
	if top >= g.h {
		return gray{}, image.Rectangle{}, refusal(ErrBlank, ModuleCrop, "all image rows appear to be blank", "All image rows appear to be blank")
	}
	bottom := g.h - 1
	for bottom >= top && g.rowMean(bottom) > nearWhite {
		bottom--
	}
	if bottom < 0 {
		bottom = 0
	}
	left := 0
	for left < g.w && g.colMean(left) > nearWhite {
		left++
	}
	if left >= g.w {
		return gray{}, image.Rectangle{}, refusal(ErrBlank, ModuleCrop, "all image columns appear to be blank", "All image columns appear to be blank")
	}
	right := g.w - 1
	for right >= left && g.colMean(right) > nearWhite {
		right--
	}
	if right < 0 {
		right = 0
	}
	if right <= left || bottom <= top {
		msg := fmt.Sprintf("Asked to inclusively crop from (%d,%d) to (%d,%d)", left, top, right, bottom)
		return gray{}, image.Rectangle{}, refusal(ErrTooSmall, ModuleCrop, msg, msg)
	}
	w, h := right-left+1, bottom-top+1
	if w > MaxWidth {
		msg := fmt.Sprintf("Width is too large after trimming whitespace. WxH: %dx%d, but maximum width is %d", w, h, MaxWidth)
		return gray{}, image.Rectangle{}, refusal(ErrTooLarge, ModuleCrop, msg, msg)
	}
	if h > MaxHeight {
		msg := fmt.Sprintf("Height is too large after trimming whitespace. WxH: %dx%d, but maximum height is %d", w, h, MaxHeight)
		return gray{}, image.Rectangle{}, refusal(ErrTooLarge, ModuleCrop, msg, msg)
	}
	out := gray{w: w, h: h, p: make([]uint8, w*h)}
	for y := 0; y < h; y++ {
		copy(out.p[y*w:(y+1)*w], g.p[(top+y)*g.w+left:(top+y)*g.w+left+w])
	}
	return out, image.Rect(left, top, left+w, top+h), nil
}

// CropNearWhiteFrame returns a copy of img without its near-white frame, as
// NFIQ 2 does before computing any measure: rows and columns are removed
// from each edge while their mean grey value exceeds 250. It returns an error
// wrapping ErrBlank when every row or column is near-white, ErrTooSmall when
// the crop is degenerate, and ErrTooLarge when the result is wider than
// MaxWidth or taller than MaxHeight.
func CropNearWhiteFrame(img *image.Gray) (*image.Gray, error) {
	g, err := fromImage(img)
	if err != nil {
		return nil, err
	}
	c, _, err := crop(g)
	if err != nil {
		return nil, err
	}
	return c.toImage(), nil
}
