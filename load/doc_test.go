package load

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fieldDoc returns the doc comment of field of struct typ in file.
func fieldDoc(t *testing.T, file, typ, field string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments)
	require.NoError(t, err)
	var doc string
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != typ {
			return true
		}
		for _, fl := range ts.Type.(*ast.StructType).Fields.List {
			for _, name := range fl.Names {
				if name.Name == field {
					doc = fl.Doc.Text()
				}
			}
		}
		return false
	})
	require.NotEmpty(t, doc, "no doc for %s.%s", typ, field)
	return doc
}

// TestFormatDocNamesTheValues checks that Image.Format's doc lists the
// value of every format the loader produces, and only registered names:
// it said "jp2" where the value is "jpeg2000".
func TestFormatDocNamesTheValues(t *testing.T) {
	doc := fieldDoc(t, "load.go", "Image", "Format")
	var listed []string
	for _, m := range regexp.MustCompile(`"([a-z0-9]+)"`).FindAllStringSubmatch(doc, -1) {
		listed = append(listed, m[1])
	}
	inputs := encodings(t)
	for _, name := range []string{"ridge_97_layers.jp2", "gradient_53.j2k"} {
		data, err := os.ReadFile(filepath.Join("..", "codec", "jpeg2000", "testdata", name))
		require.NoError(t, err)
		inputs[name] = data
	}
	inputs["record"] = finger2005Record(make([]byte, 40*30), 0, 40, 30, 500)
	produced := map[string]bool{}
	for name, data := range inputs {
		imgs, err := Bytes(name, data, nil)
		require.NoError(t, err, name)
		require.NoError(t, imgs[0].Err, name)
		produced[imgs[0].Format] = true
		assert.Contains(t, listed, imgs[0].Format, "%s: Format %q is not in the doc", name, imgs[0].Format)
	}
	// The doc may name formats no test input here produces, but only
	// registered ones.
	for _, f := range listed {
		if !produced[f] {
			assert.True(t, slices.Contains([]string{"webp", "pbm", "ppm"}, f), "the doc names %q, which no decoder registers", f)
		}
	}
}
