package main

import (
	"github.com/biogate/biogate/face"
	"github.com/biogate/biogate/finger"
	"github.com/biogate/biogate/gate"
)

// newAssessors returns the face and fingerprint assessors.
func newAssessors(model string, ppi float64) ([]gate.Assessor, error) {
	opts := &finger.Options{}
	if model != "" {
		m, err := finger.LoadNFIQ2Model(model)
		if err != nil {
			return nil, err
		}
		opts.Model = m
	}
	fa, err := face.New(nil)
	if err != nil {
		return nil, err
	}
	return []gate.Assessor{
		&gate.Face{Assessor: fa},
		&gate.Finger{Assessor: finger.New(opts), PPI: ppi},
	}, nil
}
