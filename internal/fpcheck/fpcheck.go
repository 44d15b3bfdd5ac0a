package fpcheck

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Site is one fusable expression: a floating-point product, not wrapped in
// an explicit conversion, that is an operand of an addition or subtraction
// (or the right-hand side of += or -=).
type Site struct {
	// Pos locates the product.
	Pos token.Position
	// Expr is the product's source text.
	Expr string
	// Type is the product's type name ("float64" or "float32").
	Type string
	// Start and End are the product's byte offsets in its file.
	Start, End int
}

func (s Site) String() string { return fmt.Sprintf("%s: %s (%s)", s.Pos, s.Expr, s.Type) }

// Dir type-checks the non-test Go files of the package in dir and returns
// its fusable sites, sorted by position.
func Dir(dir string) ([]Site, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	srcs := map[*ast.File][]byte{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, name); err != nil || !ok {
			continue // excluded by its build constraints (a generator, another platform)
		}
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path, b, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		srcs[f] = b
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil), Error: func(error) {}}
	pkg, err := conf.Check(filepath.Base(dir), fset, files, info)
	if err != nil {
		return nil, fmt.Errorf("fpcheck: %s: %w", dir, err)
	}
	var out []Site
	for _, f := range files {
		out = append(out, inspect(fset, f, srcs[f], info, pkg)...)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
	return out, nil
}

func inspect(fset *token.FileSet, f *ast.File, src []byte, info *types.Info, pkg *types.Package) []Site {
	var out []Site
	seen := map[ast.Expr]bool{}
	mulAssign := map[types.Object][]Site{}
	seenMul := map[token.Position]bool{}
	check := func(e ast.Expr) {
		p := product(e)
		if p == nil || seen[p] || exact(info, p) {
			return
		}
		t := floatType(info, p, pkg)
		if t == "" {
			return
		}
		if tv, ok := info.Types[p]; ok && tv.Value != nil {
			return // a constant: computed exactly at compile time
		}
		seen[p] = true
		start, end := fset.Position(p.Pos()).Offset, fset.Position(p.End()).Offset
		out = append(out, Site{Pos: fset.Position(p.Pos()), Expr: string(src[start:end]), Type: t, Start: start, End: end})
	}
	// A product stored in a variable can be fused where the variable is
	// added later: record the variables assigned a bare product.
	stored := map[types.Object][]ast.Expr{}
	obj := func(e ast.Expr) types.Object {
		id, ok := e.(*ast.Ident)
		if !ok {
			return nil
		}
		if o := info.Defs[id]; o != nil {
			return o
		}
		return info.Uses[id]
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			switch {
			case (n.Tok == token.DEFINE || n.Tok == token.ASSIGN) && len(n.Lhs) == len(n.Rhs):
				for i, l := range n.Lhs {
					if o := obj(l); o != nil && product(n.Rhs[i]) != nil {
						stored[o] = append(stored[o], n.Rhs[i])
					}
				}
			case n.Tok == token.MUL_ASSIGN && len(n.Lhs) == 1:
				if o := obj(n.Lhs[0]); o != nil && floatType(info, n.Lhs[0], pkg) != "" && !exact(info, &ast.BinaryExpr{X: n.Lhs[0], Op: token.MUL, Y: n.Rhs[0]}) {
					stored[o] = append(stored[o], nil)
					start, end := fset.Position(n.Pos()).Offset, fset.Position(n.End()).Offset
					mulAssign[o] = append(mulAssign[o], Site{Pos: fset.Position(n.Pos()), Expr: string(src[start:end]), Type: floatType(info, n.Lhs[0], pkg), Start: -1, End: -1})
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if i < len(n.Values) && product(n.Values[i]) != nil {
					if o := info.Defs[id]; o != nil {
						stored[o] = append(stored[o], n.Values[i])
					}
				}
			}
		}
		return true
	})
	operand := func(e ast.Expr) {
		check(e)
		for {
			p, ok := e.(*ast.ParenExpr)
			if !ok {
				break
			}
			e = p.X
		}
		if u, ok := e.(*ast.UnaryExpr); ok && (u.Op == token.SUB || u.Op == token.ADD) {
			e = u.X
		}
		o := obj(e)
		if o == nil {
			return
		}
		for _, d := range stored[o] {
			if d != nil {
				check(d)
			}
		}
		for _, s := range mulAssign[o] {
			if !seenMul[s.Pos] {
				seenMul[s.Pos] = true
				out = append(out, s)
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op == token.ADD || n.Op == token.SUB {
				operand(n.X)
				operand(n.Y)
			}
		case *ast.AssignStmt:
			if (n.Tok == token.ADD_ASSIGN || n.Tok == token.SUB_ASSIGN) && len(n.Rhs) == 1 {
				operand(n.Rhs[0])
				operand(n.Lhs[0])
			}
		}
		return true
	})
	return out
}

// product returns e without parentheses (and without a unary minus) when
// it is a multiplication, nil otherwise.
func product(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
			continue
		case *ast.UnaryExpr:
			if x.Op == token.SUB || x.Op == token.ADD {
				e = x.X
				continue
			}
		case *ast.BinaryExpr:
			if x.Op == token.MUL {
				return x
			}
		}
		return nil
	}
}

// exact reports whether the product p has a constant operand that is a
// power of two (0.5, 2, 4, ...): such a product is exact (barring overflow
// and underflow), so fusing it changes nothing.
func exact(info *types.Info, p ast.Expr) bool {
	b, ok := p.(*ast.BinaryExpr)
	if !ok {
		return false
	}
	for _, e := range []ast.Expr{b.X, b.Y} {
		tv, ok := info.Types[e]
		if !ok || tv.Value == nil {
			continue
		}
		v, _ := constant.Float64Val(constant.ToFloat(tv.Value))
		if frac, _ := math.Frexp(math.Abs(v)); frac == 0.5 {
			return true
		}
	}
	return false
}

// floatType names e's type when its underlying type is float64 or float32,
// "" otherwise.
func floatType(info *types.Info, e ast.Expr, pkg *types.Package) string {
	tv, ok := info.Types[e]
	if !ok || tv.Type == nil {
		return ""
	}
	b, ok := tv.Type.Underlying().(*types.Basic)
	if !ok {
		return ""
	}
	switch b.Kind() {
	case types.Float64, types.Float32:
		return types.TypeString(tv.Type, types.RelativeTo(pkg))
	}
	return ""
}
