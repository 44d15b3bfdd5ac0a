// Package cascade embeds the pixel-comparison cascades of pigo v1.4.6
// (github.com/esimov/pigo, MIT licence, see LICENSE beside this file): the
// facefinder face detector, the puploc pupil localiser and the lp* facial
// landmark localisers.
package cascade

import _ "embed"

// FaceFinder is pigo's face detection cascade.
//
//go:embed facefinder
var FaceFinder []byte

// PupLoc is pigo's pupil localisation cascade.
//
//go:embed puploc
var PupLoc []byte

// Landmark cascades (pigo's lp* files), by pigo's file name: lp312 outer
// and lp38 inner eye corner, lp93 nose tip, lp84 mouth corner, lp81 upper
// and lp82 lower lip (pigo's eyebrow cascades lp42, lp44 and lp46 are not
// used).
var (
	//go:embed lp38
	LP38 []byte
	//go:embed lp312
	LP312 []byte
	//go:embed lp93
	LP93 []byte
	//go:embed lp84
	LP84 []byte
	//go:embed lp82
	LP82 []byte
	//go:embed lp81
	LP81 []byte
)
