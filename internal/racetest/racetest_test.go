package racetest

import "testing"

// TestChildOnlyInChild checks that a process not started by ExpectRace is
// never taken for its child.
func TestChildOnlyInChild(t *testing.T) {
	t.Setenv(childEnv, "")
	if Child(t.Name()) {
		t.Error("Child is true with no child marker set")
	}
	t.Setenv(childEnv, "TestOther")
	if Child(t.Name()) {
		t.Error("Child is true for a marker naming another test")
	}
}
