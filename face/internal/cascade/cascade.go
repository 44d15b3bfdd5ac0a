// Package cascade embeds the pixel-comparison cascades of pigo v1.4.6
// (github.com/esimov/pigo, MIT licence, see LICENSE beside this file): the
// facefinder face detector, the puploc pupil localiser and the lp* facial
// landmark localisers.
package cascade

import (
	_ "embed"

	"github.com/biogate/biogate/internal/modelfile"
)

// FaceFinder is pigo's face detection cascade.
//
//go:embed facefinder
var FaceFinder []byte

// PupLoc is pigo's pupil localisation cascade.
//
//go:embed puploc
var PupLoc []byte

// Landmark cascades (pigo's lp* files), by pigo's file name: lp312 outer
// and lp38 inner eye corner here, which preview mode uses; lp93 nose tip,
// lp84 mouth corner, lp81 upper and lp82 lower lip are [FullMode]'s
// (pigo's eyebrow cascades lp42, lp44 and lp46 are not used).
var (
	//go:embed lp38
	LP38 []byte
	//go:embed lp312
	LP312 []byte
)

// FullMode lists the landmark cascades that only full mode uses (nose and
// mouth, 2.9 MB): builds without them ([Embedded] false) are given them
// at run time, checked against these sums.
var FullMode = []modelfile.File{
	{Name: "lp93", SHA256: "7e7ad437cb7488a3c37f2cbcadb0a5ee9ee4561fd17085de5eb5ec62b66480bd", Size: 736816},
	{Name: "lp84", SHA256: "2389ac114b9e18a2f6036fe9728be47baca012d42993167b8146a7cfe96b334f", Size: 736816},
	{Name: "lp82", SHA256: "61ba39229d9c15bed02277ee804abb3363f97048a0b428158fb87803dec4d8f8", Size: 736816},
	{Name: "lp81", SHA256: "5085fa475d1bfa2e16e2597d1e0b0a9bdd5c733d5053e303599abda0bc166df6", Size: 736816},
}
