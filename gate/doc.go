// Package gate runs the quality gate over sample files: it loads each file,
// decides whether it is a face or a fingerprint (or takes the caller's word),
// runs the modality's assessor, applies a threshold profile, and returns one
// [Report] per sample with every measure, the score, the decision and its
// reasons.
//
// Unless told ([Options].Modality, or a record that says what it holds), a
// colour image is taken for a face and a greyscale one for a fingerprint
// unless a face is found in it; a small face in an image carrying
// fingerprint ridges is not believed ([FingerprintLike]): face finders fire
// on ridges and on the handwriting of ten-print cards.
//
// [Gate.Run] assesses many files with a pool of workers and delivers the
// reports in input order. A Gate is safe for concurrent use; the face
// cascades and the fingerprint model it uses are loaded once.
package gate
