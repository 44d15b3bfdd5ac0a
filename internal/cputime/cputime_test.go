package cputime

import (
	"runtime"
	"testing"
)

func TestProcessAdvancesWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no process CPU time on " + runtime.GOOS)
	}
	t0 := Process()
	x := 1.0
	for i := 0; i < 50_000_000; i++ {
		x = x*1.0000001 + 1e-9
	}
	if d := Process() - t0; d <= 0 {
		t.Errorf("CPU time did not advance over a busy loop (%v, x = %g)", d, x)
	}
}
