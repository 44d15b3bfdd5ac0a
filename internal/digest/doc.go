// Package digest writes the platform digest: a sorted, canonical text dump
// of the exact bits of everything the gate computes for each sample (every
// measure and component, every minutia, every face's eye centres, landmarks
// and confidence, the fingerprint feedback, the score, every check and the
// decision), followed by the SHA-256 of that dump on one line.
//
// Floating-point values are written in strconv's exact hexadecimal form
// ('x' format, e.g. 0x1.8p+01), each followed by its shortest decimal form
// for the reader; two platforms (GOARCH, GOAMD64 level, js/wasm) compare by
// the last line alone, and by a diff of the dumps when they disagree.
//
// Samples are named by their path relative to the parent of the root they
// were found under (with '/' separators), so the dump does not depend on
// where the corpus lives; error messages have the file's full path replaced
// by that name.
package digest
