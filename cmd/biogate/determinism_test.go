package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/internal/corpus"
)

// determinismInputs returns a small mixed set: fingerprints and portraits
// from the corpus when present, plus the project's own synthetic samples.
func determinismInputs(t *testing.T) []string {
	var in []string
	if p := corpus.Path(); p != "" {
		for _, pat := range []string{
			"finger/images/nist_nfiq2_examples_sfinge/SFinGe_Test0[23].png",
			"finger/records/info_wsq.iso",
			"face/portraits/face_recognition/biden.jpg",
			"face/portraits/variants/roll12/*obama2*",
		} {
			m, _ := filepath.Glob(filepath.Join(p, pat))
			in = append(in, m...)
		}
	}
	root, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	if st, err := os.Stat(root); err == nil && st.IsDir() {
		in = append(in, root)
	}
	if len(in) == 0 {
		t.Skip("no inputs: neither the corpus nor testdata/ is present")
	}
	return in
}

// TestDeterministicReports checks that the same inputs give byte-identical
// JSON reports across runs and across worker counts: the second run uses
// four workers, so any difference between runs (map order, timing, shared
// state) or between worker counts shows.
func TestDeterministicReports(t *testing.T) {
	in := determinismInputs(t)
	args := append([]string{"check", "-q", "-format", "json"}, in...)
	_, first, _ := runCLI(t, append([]string{args[0], "-j", "1"}, args[1:]...)...)
	require.Contains(t, first, `"samples"`)
	_, parallel, _ := runCLI(t, append([]string{args[0], "-j", "4"}, args[1:]...)...)
	assert.Equal(t, first, parallel, "a run with -j 1 and one with -j 4 differ")
}
