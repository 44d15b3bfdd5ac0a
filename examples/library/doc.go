// Package library holds, as a runnable example, the README's "Using the
// library" snippet: assess a camera frame as a face and an image as a
// fingerprint, handle every error, and show the operator what to do.
//
//	go test ./examples/library
//
// also checks that the README's snippet is the example's, line for line.
package library
