//go:build !unix

package main

import "os"

// lockResume does nothing where flock is not available: one run per
// -resume file is then the user's care.
func lockResume(*os.File) error { return nil }

// lockPartial does nothing where flock is not available.
func lockPartial(*os.File) (bool, error) { return false, nil }

// tryLockPartial never takes a lock where flock is not available, so that
// no file another run may be writing is removed.
func tryLockPartial(*os.File) bool { return false }
