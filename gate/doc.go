// Package gate runs the quality gate over sample files: it loads each file,
// decides whether it is a face or a fingerprint (or takes the caller's word),
// runs the modality's assessor, applies a threshold profile, and returns one
// [Report] per sample with every measure, the score, the decision and its
// reasons.
//
// Unless told ([Options].Modality, or a record that says what it holds), a
// colour image is taken for a face. A greyscale one is a fingerprint when
// its texture shows a long friction-ridge flow ([finger.Texture]), without
// a face search; otherwise it is searched for a face, and [Modality]
// decides: a small face in an image carrying fingerprint ridges is not
// believed (face finders fire on ridges and on the handwriting of
// ten-print cards), and with no face found the image is a fingerprint only
// when it looks like a fingerprint capture, so that a greyscale photograph
// of a face the finder missed is told "no face found", never scored as a
// fingerprint.
//
// [Gate.Run] assesses many files with a pool of workers and delivers the
// reports in input order; [Gate.RunSeq] takes the inputs from a sequence
// as the run goes (a manifest of millions of paths), with memory flat in
// their number. [Gate.AssessReader] assesses a file read from a stream,
// and [Options].Open lets every run read its paths from elsewhere than the
// local file system (an object store), with the same reports. A Gate is safe for concurrent use; the face
// cascades and the fingerprint model it uses are loaded once.
package gate
