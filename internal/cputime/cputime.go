// Package cputime reads the process's CPU time, for benchmarks that report
// CPU milliseconds per operation: on a shared, oversubscribed machine wall
// time also counts what other tenants take.
package cputime

import "time"

// Process returns the process's user plus system CPU time so far, or 0
// where the platform does not report it.
func Process() time.Duration { return process() }
