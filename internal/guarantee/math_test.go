package guarantee

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// platformMath lists the functions of the standard math package whose last
// bits depend on the platform: assembly on some targets, pure Go compiled
// with fused multiply-adds on arm64 and GOAMD64=v3 on others. Functions
// that IEEE 754 rounds exactly everywhere (Sqrt, Abs, Floor, Ldexp, Frexp,
// Mod, Remainder, …) and table lookups (Pow10) are not listed.
var platformMath = map[string]bool{
	"Exp": true, "Exp2": true, "Expm1": true, "Log": true, "Log2": true,
	"Log10": true, "Log1p": true, "Logb": false, "Pow": true, "Sin": true,
	"Cos": true, "Tan": true, "Sincos": true, "Asin": true, "Acos": true,
	"Atan": true, "Atan2": true, "Hypot": true, "Sinh": true, "Cosh": true,
	"Tanh": true, "Asinh": true, "Acosh": true, "Atanh": true, "Cbrt": true,
	"Erf": true, "Erfc": true, "Erfinv": true, "Erfcinv": true,
	"Gamma": true, "Lgamma": true, "J0": true, "J1": true, "Jn": true,
	"Y0": true, "Y1": true, "Yn": true,
}

// platformMathAllowed names the library files (slash-separated, from the
// module root) that may call those functions, each for a reason: none of
// them feeds an assessment's result. Everything else uses internal/fpmath.
var platformMathAllowed = map[string]string{
	"codec/jpeg2000/box.go":           "Pow(10, e) with an integer exponent (the resolution box's): math.Pow computes it by multiplications alone, no sum to fuse, the same bits everywhere",
	"codec/wsq/writer.go":             "the WSQ encoder's quantiser design (writing files); decoding, which feeds results, is exact",
	"report/plot.go":                  "tick spacing of the HTML report's charts",
	"synth/face.go":                   "draws synthetic test portraits: inputs of tests, not results",
	"synth/finger.go":                 "draws synthetic test prints: inputs of tests, not results",
	"synth/fingerdegrade.go":          "degrades synthetic test prints: inputs of tests, not results",
	"synth/render.go":                 "renders synthetic test prints: inputs of tests, not results",
	"synth/imgops.go":                 "blurs synthetic test images: inputs of tests, not results",
	"report/reporttest/reporttest.go": "draws test images for the report's tests",
}

// TestNoPlatformDependentMath parses every non-test Go file of the module
// (the beam/ module, testdata folders and internal/fpmath itself aside) and
// fails on any call of a platformMath function outside the files of
// platformMathAllowed: such a call would give different bits on arm64,
// GOAMD64=v3 or js/wasm than on amd64, which scripts/platforms.sh only
// catches on the images it digests. It also fails on allowances no longer
// needed, so the list stays true.
func TestNoPlatformDependentMath(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(root, "go.mod"))
	require.NoError(t, err, "module root not found from internal/guarantee")
	fset := token.NewFileSet()
	used := map[string]bool{}
	var bad []string
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
		if d.IsDir() {
			switch {
			case path == root:
				return nil
			case strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "beam" || rel == "internal/fpmath":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		name := ""
		for _, im := range f.Imports {
			if p, _ := strconv.Unquote(im.Path.Value); p == "math" {
				name = "math"
				if im.Name != nil {
					name = im.Name.Name
				}
			}
		}
		if name == "" || name == "_" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != name || !platformMath[sel.Sel.Name] {
				return true
			}
			if _, ok := platformMathAllowed[rel]; ok {
				used[rel] = true
				return true
			}
			bad = append(bad, fset.Position(sel.Pos()).String()+": math."+sel.Sel.Name)
			return true
		})
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, files, 100, "too few Go files found: is this the module root?")
	for _, b := range bad {
		t.Errorf("%s: its bits differ by platform; use internal/fpmath (or add the file to platformMathAllowed with the reason it feeds no result)", b)
	}
	var stale []string
	for f := range platformMathAllowed {
		if !used[f] {
			stale = append(stale, f)
		}
	}
	sort.Strings(stale)
	for _, f := range stale {
		t.Errorf("platformMathAllowed lists %s, which calls none of those functions any more: remove it", f)
	}
}
