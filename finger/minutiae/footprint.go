package minutiae

// FingerJetFX refuses an image ("fingerprint area too small") when it finds
// fewer than 4 minutiae or when the footprint it records is smaller than
// 11000 square units of its template space. It records the footprint on a
// fixed grid of 32×50 cells of 8×8 units, a unit being 1/1.27 of a pixel of
// the 333 ppi working plane (its 500 ppi scale 635/500), each cell taking
// the footprint block under its top-left corner (rounded to the nearest
// block). The grid spans about 201×315 working-plane pixels from the
// plane's top-left corner, less than the 256×400 plane of a full window,
// so a print lying to the right or at the bottom of a large image counts
// for less; NFIQ 2 inherits that, and so does this rule.
const (
	fpCellsX       = 32    // footprint grid width, cells
	fpCellsY       = 50    // footprint grid height, cells
	fpCellUnits    = 8     // cell side, template units
	fpUnitsNum     = 635   // template units per …
	fpUnitsDen     = 500   // … working-plane pixels (×1.27)
	fpMinArea      = 11000 // smallest accepted footprint, square template units
	fpMinMinutiae  = 4     // fewest accepted minutiae
	fpCellAreaUnit = fpCellUnits * fpCellUnits
)

// footprintCells counts the cells of FingerJetFX's footprint grid that fall
// on a foreground block of the working plane.
func (p *phasePlane) footprintCells() int {
	n := 0
	for cy := 0; cy < fpCellsY; cy++ {
		by := cellBlock(cy)
		if by >= p.bh {
			break
		}
		for cx := 0; cx < fpCellsX; cx++ {
			bx := cellBlock(cx)
			if bx >= p.bw {
				break
			}
			if p.fp[by*p.bw+bx] {
				n++
			}
		}
	}
	return n
}

// cellBlock is the block under the top-left corner of grid cell c: the
// corner's working-plane pixel (rounded down from half a pixel on), then
// the nearest block boundary.
func cellBlock(c int) int {
	px := (c*fpCellUnits*fpUnitsDen + fpUnitsDen/2) / fpUnitsNum
	return (px + phBlock/2) / phBlock
}

// footprintTooSmall reports whether FingerJetFX would refuse an image with
// this footprint (in grid cells) and this many minutiae.
func footprintTooSmall(cells, nMinutiae int) bool {
	return nMinutiae < fpMinMinutiae || cells*fpCellAreaUnit < fpMinArea
}
