package fpcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exactPackages are the packages whose floating-point results must have
// the same bits on every platform: everything between the decoded image
// and the report.
var exactPackages = []string{
	"codec/jpeg2000",
	"codec/wsq",
	"face",
	"face/internal/pico",
	"finger",
	"finger/internal/forest",
	"finger/internal/nfiq2",
	"finger/minutiae",
	"gate",
	"internal/fpmath",
	"quality",
	"thresholds",
}

// TestNoFusableProducts fails when a product is added or subtracted
// without an explicit conversion in a package that must give the same bits
// everywhere. Fix with: WRITE=1 go run internal/fpcheck/fix.go ./PKG
func TestNoFusableProducts(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("-short or -race: type-checks a dozen packages from source (scripts/platforms.sh runs it)")
	}
	for _, pkg := range exactPackages {
		t.Run(pkg, func(t *testing.T) {
			sites, err := Dir(filepath.Join("..", "..", pkg))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range sites {
				t.Errorf("%s: fusable product %s: write %s(%s)", s.Pos, s.Expr, s.Type, s.Expr)
			}
		})
	}
}

// TestDir checks the finder on a fixture: every fusable form is found, and
// converted products, constants, integers and exact products are not.
func TestDir(t *testing.T) {
	dir := t.TempDir()
	src := `package p

type f32 float32

const c = 3.0

func f(a, b, z float64, i, j int, s f32) (float64, int, f32) {
	x := a*b + z          // found
	x += a * b            // found
	x = z - (a * b)       // found
	x = float64(a*b) + z  // converted
	x = 2*a + z           // exact: power of two
	x = c*2 + z           // constant
	k := i*j + 1          // integer
	s = s*s + 1           // found, f32
	p := a * z            // found: stored, added below
	x = x + p
	q := b * z
	x = x / q             // not added: fine
	m := a
	m *= b                // found: stored, added below
	x = m + 1
	return x, k, s
}
`
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sites, err := Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sites {
		got = append(got, s.Type+" "+s.Expr)
	}
	want := []string{"float64 a*b", "float64 a * b", "float64 a * b", "f32 s*s", "float64 a * z", "float64 m *= b"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sites:\n got %q\nwant %q", got, want)
	}
}
