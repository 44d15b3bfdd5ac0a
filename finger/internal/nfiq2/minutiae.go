package nfiq2

import (
	"image"
)

// MeanStdDev returns the mean grey value and the (population) standard
// deviation of img as cv::meanStdDev computes them on 8-bit data. On the
// cropped image these are the Mu measure and the UniformImage feedback.
func MeanStdDev(img *image.Gray) (mean, std float64) {
	g, err := fromImage(img)
	if err != nil {
		return 0, 0
	}
	return muSigma(g)
}

// MinutiaeQuality computes NFIQ 2's two minutiae-quality measures from
// minutia positions given in the coordinates of the cropped image (the
// image FingerJetFX is run on, see Result.Cropped):
//
//   - mu2 (FJFXPos_Mu_MinutiaeQuality_2): the share of minutiae whose
//     32×32 block (top-left at the minutia minus 16, clipped to the image)
//     has (image mean − block mean) / image std-dev in (0, 0.5];
//   - ocl80 (FJFXPos_OCL_MinutiaeQuality_80): the share of minutiae whose
//     32×32 block (moved inside the image where needed) has an orientation
//     certainty level that rounds to more than 80 %.
//
// With no minutiae both are NaN (NIST divides 0 by 0). The image must be at
// least 32×32.
func MinutiaeQuality(cropped *image.Gray, pts []image.Point) (mu2, ocl80 float64, err error) {
	g, err := fromImage(cropped)
	if err != nil {
		return 0, 0, err
	}
	if g.w < blockSize || g.h < blockSize {
		return 0, 0, newError(ErrTooSmall, "image smaller than 32x32")
	}
	me, sd := muSigma(g)
	gx := make([]float64, blockSize*blockSize)
	gy := make([]float64, blockSize*blockSize)
	nMu, nOCL := 0, 0
	for _, p := range pts {
		left, top := max(p.X-blockSize/2, 0), max(p.Y-blockSize/2, 0)
		m := g.blockMean(left, top, blockSize, blockSize)
		q := (me - m) / sd
		if q > 0 && q <= 0.5 {
			nMu++
		}
		if left+blockSize > g.w {
			left = g.w - blockSize
		}
		if top+blockSize > g.h {
			top = g.h - blockSize
		}
		ocl, _ := oclBlock(g, left, top, gx, gy)
		if int(float64(ocl*100)+0.5) > 80 {
			nOCL++
		}
	}
	n := float64(len(pts))
	return float64(nMu) / n, float64(nOCL) / n, nil
}
