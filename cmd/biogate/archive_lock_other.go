//go:build !unix

package main

import "os"

// lockResume does nothing where flock is not available: one run per
// -resume file is then the user's care.
func lockResume(*os.File) error { return nil }
