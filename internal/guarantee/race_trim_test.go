package guarantee

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// raceFlags are the constants the module's tests use to trim their work
// under the race detector (const raceEnabled = true in a file built with
// the race tag, and so on).
var raceFlags = map[string]bool{"raceEnabled": true, "readmeRace": true, "serveRace": true}

// fullPassPattern returns the -run pattern of .ci/run's pass without the
// race detector: the one that runs whole what the race pass trims.
func fullPassPattern(t *testing.T) *regexp.Regexp {
	t.Helper()
	b, err := os.ReadFile("../../.ci/run")
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^go test -count=1 -run '([^']+)' \./\.\.\.$`).FindSubmatch(b)
	require.NotNil(t, m, ".ci/run has no line go test -count=1 -run '…' ./... (the full pass): update this test")
	re, err := regexp.Compile(string(m[1]))
	require.NoError(t, err)
	return re
}

// raceTrimmed parses the test files of the package in dir and returns the
// names of its tests, fuzz targets and examples that read a race flag,
// directly or through a function of the same package that does.
func raceTrimmed(t *testing.T, fset *token.FileSet, files []string) []string {
	t.Helper()
	bodies := map[string]*ast.BlockStmt{}
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && fd.Recv == nil {
				bodies[fd.Name.Name] = fd.Body
			}
		}
	}
	// reads[name]: the function reads a race flag, itself or through a
	// callee; iterate to a fixed point over same-package calls.
	reads := map[string]bool{}
	calls := map[string][]string{}
	for name, body := range bodies {
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if raceFlags[n.Name] {
					reads[name] = true
				}
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && bodies[id.Name] != nil {
					calls[name] = append(calls[name], id.Name)
				}
			}
			return true
		})
	}
	for changed := true; changed; {
		changed = false
		for name, cs := range calls {
			for _, c := range cs {
				if reads[c] && !reads[name] {
					reads[name], changed = true, true
				}
			}
		}
	}
	var out []string
	for name := range reads {
		if strings.HasPrefix(name, "Test") || strings.HasPrefix(name, "Fuzz") || strings.HasPrefix(name, "Example") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// TestRaceTrimmedTestsRunWholeInCI checks that every test that trims its
// work (or skips) under the race detector is also run, whole, by .ci/run's
// pass without it: a test added with an "if raceEnabled" and a name the
// pass's -run pattern does not match would otherwise never run whole.
func TestRaceTrimmedTestsRunWholeInCI(t *testing.T) {
	re := fullPassPattern(t)
	// Tests that skip under -race because another CI step runs them.
	elsewhere := map[string]string{
		"TestNoFusableProducts": "../../scripts/platforms.sh",
	}
	for name, script := range elsewhere {
		b, err := os.ReadFile(script)
		require.NoError(t, err)
		require.Contains(t, string(b), name, "%s no longer runs %s: remove it from elsewhere", script, name)
	}
	byDir := map[string][]string{}
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// beam/ is its own module, tested without -race by its own step.
			if n := d.Name(); p != "../.." && (strings.HasPrefix(n, ".") || n == "testdata" || n == "node_modules" || n == "beam") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, "_test.go") {
			byDir[filepath.Dir(p)] = append(byDir[filepath.Dir(p)], p)
		}
		return nil
	})
	require.NoError(t, err)
	fset := token.NewFileSet()
	n := 0
	for dir, files := range byDir {
		for _, name := range raceTrimmed(t, fset, files) {
			n++
			if !re.MatchString(name) && elsewhere[name] == "" {
				t.Errorf("%s (%s) trims or skips its work under -race, but .ci/run's full pass (-run %q) does not run it: rename it or add it to the pattern", name, dir, re)
			}
		}
	}
	require.NotZero(t, n, "no test reads a race flag: the flags' names changed? update raceFlags")
}
