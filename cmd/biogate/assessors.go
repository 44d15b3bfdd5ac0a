package main

import "github.com/biogate/biogate/gate"

// newAssessors returns the face and fingerprint assessors.
func newAssessors() ([]gate.Assessor, error) {
	return nil, nil
}
