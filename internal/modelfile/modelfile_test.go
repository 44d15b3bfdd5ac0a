package modelfile

import "testing"

func TestCheck(t *testing.T) {
	// SHA-256 of "abc" (FIPS 180-2, appendix B.1).
	abc := File{Name: "abc", SHA256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Size: 3}
	tests := []struct {
		name string
		f    File
		b    string
		ok   bool
	}{
		{"right bytes", abc, "abc", true},
		{"other bytes", abc, "abd", false},
		{"empty", abc, "", false},
		{"right sum, wrong size listed", File{Name: "abc", SHA256: abc.SHA256, Size: 4}, "abc", false},
		{"no sum listed", File{Name: "abc", Size: 3}, "abc", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sum, ok := tc.f.Check([]byte(tc.b))
			if ok != tc.ok {
				t.Errorf("Check(%q) ok = %v, want %v", tc.b, ok, tc.ok)
			}
			if sum != Sum([]byte(tc.b)) {
				t.Errorf("Check(%q) sum = %s, want %s", tc.b, sum, Sum([]byte(tc.b)))
			}
		})
	}
}

func TestNamed(t *testing.T) {
	files := []File{{Name: "a.bin"}, {Name: "b.bin", Size: 2}}
	if f, ok := Named(files, "b.bin"); !ok || f.Size != 2 {
		t.Errorf("Named(b.bin) = %+v, %v", f, ok)
	}
	if _, ok := Named(files, "c.bin"); ok {
		t.Error("Named found a file not listed")
	}
}
