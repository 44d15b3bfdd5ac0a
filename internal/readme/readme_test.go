package readme

import (
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a  b", "a b"},
		{"a\nb", "a b"},
		{"  a \t\n b  ", "a b"},
		{"", ""},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestRequireFailsOnAbsentPhrase checks that Require reports a phrase the
// README does not hold, and passes one it does.
func TestRequireFailsOnAbsentPhrase(t *testing.T) {
	var fake testing.T
	Require(&fake, "this phrase is not in the README: 8c1f0d")
	if !fake.Failed() {
		t.Error("Require passed a phrase that is not in README.md")
	}
	Require(t, "# biogate")
}
