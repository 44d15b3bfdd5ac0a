//go:build unix

package main

import (
	"errors"
	"os"
	"syscall"
)

// lockResume takes an exclusive lock on the -resume file for the life of
// the process, so that two runs never write the same report; the kernel
// releases it when the process ends, kill -9 included.
func lockResume(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errors.New("another run is writing it")
	}
	if errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.ENOLCK) {
		return nil // a file system without locks: as without the lock
	}
	return err
}

// lockPartial takes an exclusive lock on a report file being written
// (.NAME.*.partial) for the life of the process or the file, waiting for
// a sweep that holds it. It reports false where locks are not available.
func lockPartial(f *os.File) (bool, error) {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
	if errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.ENOLCK) {
		return false, nil
	}
	return err == nil, err
}

// tryLockPartial takes the lock of a .partial file if no process holds
// it: its writer is gone (kill -9, a crash, a power cut).
func tryLockPartial(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
