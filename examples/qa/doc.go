// Package qa is an example of a QA regression suite for a quality gate
// deployment: it pins the decisions (and scores, within a tolerance) that
// the embedded ees-usk profile gives on a folder of samples to a checked-in
// expectation file, and checks every synthetic sample's sidecar
// expectations ("this variant must fail the NFIQ 2 check").
//
// When thresholds, models or the capture hardware change, run
//
//	go test ./examples/qa
//
// A flipped decision fails the test with the samples that flipped. To accept
// a deliberate change, regenerate the expectation file and review its diff:
//
//	go test ./examples/qa -update
//	git diff examples/qa/testdata/expected.json
//
// The same comparison is available to CI scripts as
// `biogate diff expected.json current.json` (exit 1 on a flipped decision).
package qa
