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

func TestSci(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{7.63e-5, "7.6e-5"},
		{2.4e-7, "2.4e-7"},
		{1.5e-12, "1.5e-12"},
		{0.25, "0.25"},
		{3e21, "3e+21"},
		{4e5, "4e+5"},
	} {
		if got := Sci(tc.v); got != tc.want {
			t.Errorf("Sci(%g) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
