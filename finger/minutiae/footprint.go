package minutiae

// FingerJetFX records the fingerprint's footprint on a fixed grid of 32×50
// cells of 8×8 units, a unit being 1/1.27 of a pixel of the 333 ppi working
// plane (its 500 ppi scale 635/500), each cell taking the footprint block
// under its top-left corner (rounded to the nearest block). The grid spans
// about 201×315 working-plane pixels from the plane's top-left corner.
// NFIQ 2 disables FingerJetFX's area test, so the area is reported only
// for information (Result.FootprintArea).
const (
	fpCellsX       = 32 // footprint grid width, cells
	fpCellsY       = 50 // footprint grid height, cells
	fpCellUnits    = 8  // cell side, units
	fpCellAreaUnit = fpCellUnits * fpCellUnits
)
