// Package forest turns the 69 NFIQ 2 native quality measures into the
// 0-100 NFIQ 2 unified quality score.
//
// Two scorers share the Scorer interface:
//
//   - Forest, an OpenCV RTrees random forest read from the FileStorage YAML
//     layout NIST ships its model in (nist_plain_tir-ink.yaml). It is
//     evaluated exactly as OpenCV 4's RTrees::predict and NFIQ 2 v2.3 do:
//     features cast to float32, float32 thresholds with "<=" going left,
//     the raw output (votes for the "good" class) scaled by 100/ntrees in
//     float32 and rounded half up. With NIST's file (checked by MD5) the
//     model name is "nfiq2".
//   - Model, this project's own model ("nfiq2-compatible"), trained on
//     NIST's published conformance feature vectors and scores and embedded
//     in the binary (see Embedded). Its agreement with NIST's score is
//     cross-validated; it approximates NIST's score, it does not reproduce
//     it.
//
// Features are passed in NIST's order, listed in FeatureNames.
//
// Everything here is safe for concurrent use; loaders return errors
// wrapping the package's sentinel errors (ErrFormat, ErrUnsupported, ...)
// and never panic on bad input.
package forest
