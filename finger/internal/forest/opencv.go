package forest

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// NISTModelMD5 is the MD5 of the text of NIST's NFIQ 2 v2.3 random forest
// file nist_plain_tir-ink.yaml ("Plain TIR + Ink", model version 2.0.0), as
// recorded in NIST's model-info file.
const NISTModelMD5 = "b4a1e7586b3be906f9770e4b77768038"

// NISTModelVersion is the version of NIST's model file ("Plain TIR + Ink").
const NISTModelVersion = "2.0.0"

// Model names reported by ModelName.
const (
	// NameNFIQ2 is reported for NIST's own model file.
	NameNFIQ2 = "nfiq2"
	// NameOpenCV is reported for any other OpenCV RTrees file.
	NameOpenCV = "opencv-rtrees"
)

// MaxModelBytes bounds the size of a model file LoadOpenCV accepts.
const MaxModelBytes = 256 << 20

// maxVars bounds var_count and var_all; maxTrees bounds ntrees.
const (
	maxVars  = 1 << 16
	maxTrees = 1 << 20
)

// missingValue is OpenCV's marker for a missing input (FLT_MAX).
const missingValue = math.MaxFloat32

// Node is one node of a decision tree, as used by NewForest and Trees.
// A leaf has Left == Right == -1; a split node has both children.
type Node struct {
	// Var is the feature column tested by a split node.
	Var int
	// Threshold is the split value: a sample goes left when
	// float32(feature) <= Threshold, right otherwise (NaN goes right).
	Threshold float32
	// Left and Right index the children in Tree.Nodes, or are -1.
	Left, Right int
	// Value is the node's value: for a classifier, the label of the
	// node's majority class. OpenCV's raw prediction of a two-class forest
	// sums the leaves' values.
	Value float64
	// ClassIdx is the index (into the class labels) of the node's class.
	ClassIdx int
}

// Tree is a decision tree; Nodes[0] is the root.
type Tree struct {
	Nodes []Node
}

// node is the compact evaluation form of Node.
type node struct {
	left, right int32 // -1 for leaves
	col         int32 // sample column tested
	class       int32
	thr         float32
	subst       float32 // value used for a missing (FLT_MAX) input
	hasSubst    bool
	value       float64
}

// Forest is an OpenCV RTrees classifier (cv::ml::RTrees) evaluated exactly
// as OpenCV 4's DTrees::predict does: inputs are float32, a split sends a
// sample left when value <= threshold (both float32), and each tree votes
// with the leaf it reaches.
//
// A Forest is immutable and safe for concurrent use.
type Forest struct {
	varCount int
	labels   []float64
	roots    []int32
	nodes    []node
	md5      string
	subst    []float32 // missing_subst by column, nil if absent
}

// LoadOpenCVFile reads an OpenCV RTrees YAML file; see LoadOpenCV.
func LoadOpenCVFile(path string) (*Forest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("forest: %w", err)
	}
	defer f.Close()
	return LoadOpenCV(f)
}

// LoadOpenCV reads a random forest written by OpenCV's RTrees::write to a
// FileStorage YAML document ("%YAML:1.0"), under the top-level key
// my_random_trees (NIST's) or opencv_ml_rtrees (RTrees::save's default).
// Both OpenCV 3/4's format 3 and the legacy layout (class labels in
// cat_map) are read. Only classifiers with ordered (numeric) predictors are
// supported. The MD5 of the exact text read is available from MD5.
//
// Malformed input gives an error wrapping ErrFormat (often a *FormatError
// with the line), ErrUnsupported or ErrTooLarge; LoadOpenCV never panics.
func LoadOpenCV(r io.Reader) (*Forest, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxModelBytes+1))
	if err != nil {
		return nil, fmt.Errorf("forest: reading model: %w", err)
	}
	if len(data) > MaxModelBytes {
		return nil, ErrTooLarge
	}
	sum := md5.Sum(data)
	doc, err := parseYAML(data)
	if err != nil {
		return nil, err
	}
	fn := doc.get("my_random_trees")
	if fn == nil {
		fn = doc.get("opencv_ml_rtrees")
	}
	if fn == nil || fn.kind != yMap {
		return nil, &FormatError{Msg: "no my_random_trees mapping at the top level"}
	}
	f, err := buildForest(fn)
	if err != nil {
		return nil, err
	}
	f.md5 = hex.EncodeToString(sum[:])
	return f, nil
}

func fmtErr(n *ynode, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.line
	}
	return &FormatError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

func intOf(n *ynode, name string) (int, error) {
	if n == nil {
		return 0, fmtErr(n, "missing %s", name)
	}
	if n.kind != yScalar {
		return 0, fmtErr(n, "%s is not a scalar", name)
	}
	v, err := strconv.Atoi(n.value)
	if err != nil {
		return 0, fmtErr(n, "%s: %q is not an integer", name, clip(n.value))
	}
	return v, nil
}

func optInt(n *ynode, name string, def int) (int, error) {
	if n == nil {
		return def, nil
	}
	return intOf(n, name)
}

func floatOf(n *ynode, name string) (float64, error) {
	if n == nil {
		return 0, fmtErr(n, "missing %s", name)
	}
	if n.kind != yScalar {
		return 0, fmtErr(n, "%s is not a scalar", name)
	}
	s := n.value
	switch strings.ToLower(s) {
	case ".nan":
		return math.NaN(), nil
	case ".inf", "+.inf":
		return math.Inf(1), nil
	case "-.inf":
		return math.Inf(-1), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// strconv reports overflow with ±Inf, as strtod does; keep it.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return v, nil
		}
		return 0, fmtErr(n, "%s: %q is not a number", name, clip(s))
	}
	return v, nil
}

// vectorOf reads a flow sequence or an !!opencv-matrix of numbers.
func vectorOf(n *ynode, name string) ([]float64, error) {
	if n == nil {
		return nil, nil
	}
	if n.kind == yMap { // !!opencv-matrix {rows, cols, dt, data}
		rows, err := intOf(n.get("rows"), name+".rows")
		if err != nil {
			return nil, err
		}
		cols, err := intOf(n.get("cols"), name+".cols")
		if err != nil {
			return nil, err
		}
		v, err := vectorOf(n.get("data"), name+".data")
		if err != nil {
			return nil, err
		}
		if rows < 0 || cols < 0 || (rows > 1 && cols > 1) || int64(rows)*int64(cols) != int64(len(v)) {
			return nil, fmtErr(n, "%s: matrix %dx%d is not a vector of %d values", name, rows, cols, len(v))
		}
		return v, nil
	}
	if n.kind == yScalar {
		if n.value == "" {
			return nil, nil
		}
		v, err := floatOf(n, name)
		if err != nil {
			return nil, err
		}
		return []float64{v}, nil
	}
	if len(n.items) > maxVars*2+2 {
		return nil, fmtErr(n, "%s: too many values", name)
	}
	out := make([]float64, len(n.items))
	for i, it := range n.items {
		v, err := floatOf(it, name)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func intVectorOf(n *ynode, name string) ([]int, error) {
	v, err := vectorOf(n, name)
	if err != nil {
		return nil, err
	}
	out := make([]int, len(v))
	for i, x := range v {
		if x != math.Trunc(x) || math.Abs(x) > 1<<30 {
			return nil, fmtErr(n, "%s: %v is not an integer", name, x)
		}
		out[i] = int(x)
	}
	return out, nil
}

// Variable types in var_type.
const (
	varOrdered     = 0
	varCategorical = 1
)

func buildForest(fn *ynode) (*Forest, error) {
	format, err := optInt(fn.get("format"), "format", 0)
	if err != nil {
		return nil, err
	}
	isCls, err := optInt(fn.get("is_classifier"), "is_classifier", 0)
	if err != nil {
		return nil, err
	}
	if isCls == 0 {
		return nil, fmt.Errorf("%w: regression forests (is_classifier: 0) are not supported", ErrUnsupported)
	}
	varCount, err := intOf(fn.get("var_count"), "var_count")
	if err != nil {
		return nil, err
	}
	varAll, err := optInt(fn.get("var_all"), "var_all", varCount)
	if err != nil {
		return nil, err
	}
	if varCount <= 0 || varCount > maxVars || varAll < varCount || varAll > maxVars+1 {
		return nil, fmtErr(fn.get("var_count"), "var_count %d / var_all %d out of range", varCount, varAll)
	}
	varType, err := intVectorOf(fn.get("var_type"), "var_type")
	if err != nil {
		return nil, err
	}
	varIdx, err := intVectorOf(fn.get("var_idx"), "var_idx")
	if err != nil {
		return nil, err
	}
	globalVarIdx, err := optInt(fn.get("global_var_idx"), "global_var_idx", 0)
	if err != nil {
		return nil, err
	}
	// nAll is the number of predictor variables (var_type minus the response).
	nAll := len(varType)
	if nAll > 0 && (format >= 3 || nAll > varCount) {
		nAll-- // the last entry is the response type
	}
	if nAll == 0 {
		nAll = varAll
		if nAll > varCount && format >= 3 {
			nAll--
		}
		varType = make([]int, nAll)
	}
	if nAll < varCount || nAll > maxVars {
		return nil, fmtErr(fn.get("var_type"), "var_type has %d predictors, var_count is %d", nAll, varCount)
	}
	for i := 0; i < nAll; i++ {
		switch varType[i] {
		case varOrdered:
		case varCategorical:
			return nil, fmt.Errorf("%w: categorical predictor %d", ErrUnsupported, i)
		default:
			return nil, fmtErr(fn.get("var_type"), "var_type[%d] = %d", i, varType[i])
		}
	}
	// comp maps a global variable index to a sample column.
	comp := make([]int, nAll)
	if len(varIdx) == 0 {
		if nAll != varCount {
			return nil, fmtErr(fn.get("var_count"), "var_count %d differs from %d predictors without var_idx", varCount, nAll)
		}
		for i := range comp {
			comp[i] = i
		}
	} else {
		if len(varIdx) != varCount {
			return nil, fmtErr(fn.get("var_idx"), "var_idx has %d entries, var_count is %d", len(varIdx), varCount)
		}
		for i := range comp {
			comp[i] = -1
		}
		prev := -1
		for i, v := range varIdx {
			if v <= prev || v >= nAll {
				return nil, fmtErr(fn.get("var_idx"), "var_idx[%d] = %d is not increasing within 0..%d", i, v, nAll-1)
			}
			comp[v] = i
			prev = v
		}
	}
	// mapping converts the var written in a split to a global index.
	mapping := func(v int) int { return v }
	if len(varIdx) > 0 && globalVarIdx == 0 {
		mapping = func(v int) int {
			if v < 0 || v >= len(varIdx) {
				return -1
			}
			return varIdx[v]
		}
	}

	var labels []float64
	if format >= 3 {
		labels, err = vectorOf(fn.get("class_labels"), "class_labels")
	} else {
		labels, err = vectorOf(fn.get("cat_map"), "cat_map")
	}
	if err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, fmtErr(fn, "no class labels")
	}
	if len(labels) > maxVars {
		return nil, fmtErr(fn, "%d class labels", len(labels))
	}
	substAll, err := vectorOf(fn.get("missing_subst"), "missing_subst")
	if err != nil {
		return nil, err
	}
	if substAll != nil && len(substAll) < nAll {
		return nil, fmtErr(fn.get("missing_subst"), "missing_subst has %d values, want %d", len(substAll), nAll)
	}

	ntrees, err := intOf(fn.get("ntrees"), "ntrees")
	if err != nil {
		return nil, err
	}
	tn := fn.get("trees")
	if tn == nil || tn.kind != ySeq {
		return nil, fmtErr(fn, "missing trees sequence")
	}
	if ntrees <= 0 || ntrees > maxTrees || ntrees != len(tn.items) {
		return nil, fmtErr(tn, "ntrees is %d but %d trees are stored", ntrees, len(tn.items))
	}

	// OpenCV checks a sample has one value per predictor (getVarCount,
	// var_all minus the response), even with var_idx, and then reads the
	// column var_idx maps a variable to; do the same.
	f := &Forest{varCount: nAll, labels: labels}
	if substAll != nil {
		f.subst = make([]float32, nAll)
		for g := 0; g < nAll; g++ {
			if c := comp[g]; c >= 0 {
				f.subst[c] = float32(substAll[g])
			}
		}
	}
	for k, t := range tn.items {
		nodes := t.get("nodes")
		if nodes == nil || nodes.kind != ySeq || len(nodes.items) == 0 {
			return nil, fmtErr(t, "tree %d has no nodes", k)
		}
		root, err := f.readTree(k, nodes, mapping, comp, substAll)
		if err != nil {
			return nil, err
		}
		f.roots = append(f.roots, root)
	}
	return f, nil
}

// readTree rebuilds one tree from its nodes in depth-first (pre-order)
// order, as OpenCV's DTreesImpl::readTree does: a node with splits has two
// children that follow it, left subtree first.
func (f *Forest) readTree(k int, nodes *ynode, mapping func(int) int, comp []int, substAll []float64) (int32, error) {
	base := int32(len(f.nodes))
	parent := make([]int32, 0, len(nodes.items))
	pidx := int32(-1)
	for i, nn := range nodes.items {
		if nn.kind != yMap {
			return 0, fmtErr(nn, "tree %d node %d is not a mapping", k, i)
		}
		if i > 0 && pidx < 0 {
			return 0, fmtErr(nn, "tree %d: node %d follows a complete tree", k, i)
		}
		value, err := floatOf(nn.get("value"), "value")
		if err != nil {
			return 0, err
		}
		cls, err := intOf(nn.get("norm_class_idx"), "norm_class_idx")
		if err != nil {
			return 0, err
		}
		if cls < 0 || cls >= len(f.labels) {
			return 0, fmtErr(nn, "tree %d node %d: norm_class_idx %d outside 0..%d", k, i, cls, len(f.labels)-1)
		}
		nd := node{left: -1, right: -1, col: -1, class: int32(cls), value: value}
		if sp := nn.get("splits"); sp != nil && !(sp.kind == yScalar && sp.value == "") {
			if sp.kind != ySeq {
				return 0, fmtErr(sp, "tree %d node %d: splits is not a sequence", k, i)
			}
			if len(sp.items) > 0 {
				s := sp.items[0] // the primary split; the rest are surrogates
				if s.kind != yMap {
					return 0, fmtErr(s, "tree %d node %d: split is not a mapping", k, i)
				}
				v, err := intOf(s.get("var"), "var")
				if err != nil {
					return 0, err
				}
				g := mapping(v)
				if g < 0 || g >= len(comp) || comp[g] < 0 {
					return 0, fmtErr(s, "tree %d node %d: split variable %d out of range", k, i, v)
				}
				c := s.get("le")
				if c == nil {
					// OpenCV reads "gt" as an inverted split but its
					// predict ignores the inversion; do the same.
					c = s.get("gt")
				}
				if c == nil {
					if s.get("in") != nil || s.get("not_in") != nil {
						return 0, fmt.Errorf("%w: categorical split in tree %d", ErrUnsupported, k)
					}
					return 0, fmtErr(s, "tree %d node %d: split has no threshold", k, i)
				}
				thr, err := floatOf(c, "le")
				if err != nil {
					return 0, err
				}
				nd.col = int32(comp[g])
				nd.thr = float32(thr)
				if substAll != nil {
					nd.subst, nd.hasSubst = float32(substAll[g]), true
				}
			}
		}
		idx := int32(len(f.nodes))
		f.nodes = append(f.nodes, nd)
		parent = append(parent, pidx)
		if pidx >= 0 {
			p := &f.nodes[pidx]
			if p.left < 0 {
				p.left = idx
			} else {
				p.right = idx
			}
		}
		if nd.col >= 0 {
			pidx = idx
		} else {
			for pidx >= 0 && f.nodes[pidx].right >= 0 {
				pidx = parent[pidx-base]
			}
		}
	}
	if pidx >= 0 {
		return 0, fmtErr(nodes, "tree %d is incomplete: a split node lacks children", k)
	}
	return base, nil
}

// NewForest builds a classification forest from trees, for tests and
// for exporting a model in OpenCV's format with WriteOpenCV. Every tree
// must be a proper binary tree rooted at Nodes[0] whose split variables
// lie in [0, varCount) and whose class indices lie in [0, len(labels)).
// Nodes not reachable from the root are rejected. The trees are copied.
func NewForest(varCount int, labels []float64, trees []Tree) (*Forest, error) {
	if varCount <= 0 || varCount > maxVars {
		return nil, fmt.Errorf("%w: var count %d", ErrFormat, varCount)
	}
	if len(labels) == 0 || len(labels) > maxVars {
		return nil, fmt.Errorf("%w: %d class labels", ErrFormat, len(labels))
	}
	if len(trees) == 0 || len(trees) > maxTrees {
		return nil, fmt.Errorf("%w: %d trees", ErrFormat, len(trees))
	}
	f := &Forest{varCount: varCount, labels: append([]float64(nil), labels...)}
	for k, t := range trees {
		if len(t.Nodes) == 0 {
			return nil, fmt.Errorf("%w: tree %d is empty", ErrFormat, k)
		}
		base := int32(len(f.nodes))
		seen := make([]bool, len(t.Nodes))
		// Visit in pre-order to check the structure.
		stack := []int{0}
		count := 0
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if i < 0 || i >= len(t.Nodes) || seen[i] {
				return nil, fmt.Errorf("%w: tree %d is not a tree at node %d", ErrFormat, k, i)
			}
			seen[i] = true
			count++
			n := t.Nodes[i]
			if n.ClassIdx < 0 || n.ClassIdx >= len(labels) {
				return nil, fmt.Errorf("%w: tree %d node %d class %d", ErrFormat, k, i, n.ClassIdx)
			}
			if (n.Left < 0) != (n.Right < 0) {
				return nil, fmt.Errorf("%w: tree %d node %d has one child", ErrFormat, k, i)
			}
			if n.Left >= 0 {
				if n.Var < 0 || n.Var >= varCount {
					return nil, fmt.Errorf("%w: tree %d node %d var %d", ErrFormat, k, i, n.Var)
				}
				stack = append(stack, n.Right, n.Left)
			}
		}
		if count != len(t.Nodes) {
			return nil, fmt.Errorf("%w: tree %d has %d unreachable nodes", ErrFormat, k, len(t.Nodes)-count)
		}
		for _, n := range t.Nodes {
			nd := node{left: -1, right: -1, col: -1, class: int32(n.ClassIdx), value: n.Value}
			if n.Left >= 0 {
				nd.left, nd.right = base+int32(n.Left), base+int32(n.Right)
				nd.col, nd.thr = int32(n.Var), n.Threshold
			}
			f.nodes = append(f.nodes, nd)
		}
		f.roots = append(f.roots, base)
	}
	return f, nil
}

// Trees returns a copy of the forest's trees. Node indices are local to
// each tree; Var is the sample column tested.
func (f *Forest) Trees() []Tree {
	out := make([]Tree, len(f.roots))
	for k, r := range f.roots {
		end := int32(len(f.nodes))
		if k+1 < len(f.roots) {
			end = f.roots[k+1]
		}
		t := Tree{Nodes: make([]Node, end-r)}
		for i := r; i < end; i++ {
			n := f.nodes[i]
			o := Node{Var: 0, Left: -1, Right: -1, Value: n.value, ClassIdx: int(n.class)}
			if n.col >= 0 {
				o.Var, o.Threshold = int(n.col), n.thr
				o.Left, o.Right = int(n.left-r), int(n.right-r)
			}
			t.Nodes[i-r] = o
		}
		out[k] = t
	}
	return out
}

// NumTrees returns the number of trees.
func (f *Forest) NumTrees() int { return len(f.roots) }

// VarCount returns the number of features a sample must have.
func (f *Forest) VarCount() int { return f.varCount }

// ClassLabels returns a copy of the class labels.
func (f *Forest) ClassLabels() []float64 { return append([]float64(nil), f.labels...) }

// MD5 returns the lower-case hex MD5 of the model text read by LoadOpenCV,
// or "" for a forest built with NewForest.
func (f *Forest) MD5() string { return f.md5 }

// IsNIST reports whether the model text is NIST's nist_plain_tir-ink.yaml,
// by its MD5.
func (f *Forest) IsNIST() bool { return f.md5 == NISTModelMD5 }

// CheckMD5 returns an error wrapping ErrChecksum unless the model text's
// MD5 is want (hex, case-insensitive), as NFIQ 2 checks a model file
// against the hash in its model-info file. Use CheckMD5(NISTModelMD5) to
// insist on NIST's model.
func (f *Forest) CheckMD5(want string) error {
	if f.md5 == "" || !strings.EqualFold(f.md5, strings.TrimSpace(want)) {
		return fmt.Errorf("%w: file MD5 %s, expected %s", ErrChecksum, f.md5, want)
	}
	return nil
}

// ModelName returns "nfiq2" for NIST's model file and "opencv-rtrees" for
// any other.
func (f *Forest) ModelName() string {
	if f.IsNIST() {
		return NameNFIQ2
	}
	return NameOpenCV
}

// ModelVersion returns NIST's model version for NIST's file and
// "md5:<hash>" for any other file ("" for a forest built with NewForest).
func (f *Forest) ModelVersion() string {
	if f.IsNIST() {
		return NISTModelVersion
	}
	if f.md5 == "" {
		return ""
	}
	return "md5:" + f.md5
}

// leaf walks tree k for sample x and returns the leaf reached.
func (f *Forest) leaf(k int, x []float32) *node {
	n := &f.nodes[f.roots[k]]
	for n.col >= 0 {
		v := x[n.col]
		if v == missingValue {
			if !n.hasSubst {
				// A tree read from a file has defaultDir -1: go left.
				n = &f.nodes[n.left]
				continue
			}
			v = n.subst
		}
		if v <= n.thr {
			n = &f.nodes[n.left]
		} else {
			n = &f.nodes[n.right]
		}
	}
	return n
}

// Votes returns the number of trees voting for each class (indexed like
// ClassLabels) for sample x, which must have VarCount values.
func (f *Forest) Votes(x []float32) ([]int, error) {
	if len(x) != f.varCount {
		return nil, fmt.Errorf("%w: got %d, want %d", ErrFeatureCount, len(x), f.varCount)
	}
	votes := make([]int, len(f.labels))
	for k := range f.roots {
		votes[f.leaf(k, x).class]++
	}
	return votes, nil
}

// Predict returns what OpenCV's RTrees::predict returns for sample x with
// the RAW_OUTPUT flag: for a two-class forest, the sum over trees of the
// leaf values (the votes for the second class when the labels are 0 and
// 1); otherwise the index of the class with most votes (ties go to the
// lower index).
func (f *Forest) Predict(x []float32) (float32, error) {
	if len(x) != f.varCount {
		return 0, fmt.Errorf("%w: got %d, want %d", ErrFeatureCount, len(x), f.varCount)
	}
	if len(f.labels) == 2 {
		var sum float64
		for k := range f.roots {
			sum += f.leaf(k, x).value
		}
		return float32(sum), nil
	}
	votes, _ := f.Votes(x)
	best := 0
	if len(f.roots) == 1 {
		best = int(f.leaf(0, x).class)
	} else {
		for i := 1; i < len(votes); i++ {
			if votes[best] < votes[i] {
				best = i
			}
		}
	}
	return float32(best), nil
}

// Score returns the NFIQ 2 unified quality score for the features (in
// the model's order; 69 in NIST's order for NIST's model), computed as
// NFIQ 2 v2.3 does: the features are cast to float32, the raw prediction
// p (votes for the "good" class) is scaled in float32 arithmetic as
// p / ntrees * 100, and the score is floor(scaled + 0.5), which must lie
// in 0-100. Like NFIQ 2, Score does not reject NaN or infinite features.
func (f *Forest) Score(features []float64) (int, error) {
	if len(f.labels) != 2 {
		return 0, ErrNotBinary
	}
	if len(features) != f.varCount {
		return 0, fmt.Errorf("%w: got %d, want %d", ErrFeatureCount, len(features), f.varCount)
	}
	var buf [128]float32
	var x []float32
	if len(features) <= len(buf) {
		x = buf[:len(features)]
	} else {
		x = make([]float32, len(features))
	}
	for i, v := range features {
		x[i] = float32(v)
	}
	raw, err := f.Predict(x)
	if err != nil {
		return 0, err
	}
	return scaleVotes(raw, len(f.roots))
}

// scaleVotes applies NFIQ 2's float32 scaling and rounding.
func scaleVotes(raw float32, ntrees int) (int, error) {
	maxTrees := float32(ntrees)
	scaled := float32(float32(float32(raw-0)/float32(maxTrees-0))*float32(100-0)) + 0
	q := math.Floor(float64(scaled) + 0.5)
	if !(q >= 0 && q <= 100) {
		return 0, fmt.Errorf("%w: %v", ErrScoreRange, q)
	}
	return int(q), nil
}

// WriteOpenCV writes the forest as an OpenCV FileStorage YAML document in
// the layout OpenCV 4's RTrees::write produces (format 3), under the key
// my_random_trees, so that LoadOpenCV and OpenCV's RTrees::read both
// accept it. Missing-value substitutes are written when the forest has
// them.
func (f *Forest) WriteOpenCV(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("%YAML:1.0\n---\nmy_random_trees:\n")
	fmt.Fprintf(&b, "   format: 3\n   is_classifier: 1\n   var_all: %d\n   var_count: %d\n", f.varCount+1, f.varCount)
	fmt.Fprintf(&b, "   ord_var_count: %d\n   cat_var_count: 1\n", f.varCount)
	b.WriteString("   training_params:\n      use_surrogates: 0\n      max_categories: 10\n      regression_accuracy: 0.\n")
	b.WriteString("      max_depth: 0\n      min_sample_count: 0\n      cross_validation_folds: 0\n      nactive_vars: 0\n")
	b.WriteString("   global_var_idx: 1\n")
	ints := func(n int, at func(i int) string) []string {
		s := make([]string, n)
		for i := range s {
			s[i] = at(i)
		}
		return s
	}
	writeFlow(&b, "   ", "var_idx", ints(f.varCount, strconv.Itoa))
	writeFlow(&b, "   ", "var_type", ints(f.varCount+1, func(i int) string {
		if i == f.varCount {
			return "1"
		}
		return "0"
	}))
	writeFlow(&b, "   ", "cat_ofs", ints(2*f.varCount+2, func(int) string { return "0" }))
	writeFlow(&b, "   ", "class_labels", ints(len(f.labels), func(i int) string { return formatInt(f.labels[i]) }))
	if f.subst != nil {
		writeFlow(&b, "   ", "missing_subst", ints(f.varCount+1, func(i int) string {
			if i == f.varCount {
				return "0."
			}
			return formatReal(float64(f.subst[i]))
		}))
	}
	fmt.Fprintf(&b, "   oob_error: 0.\n   ntrees: %d\n   trees:\n", len(f.roots))
	for k := range f.roots {
		b.WriteString("      -\n         nodes:\n")
		f.writeTree(&b, f.roots[k], 0)
		if b.Len() > 1<<16 {
			if _, err := w.Write(b.Bytes()); err != nil {
				return fmt.Errorf("forest: writing model: %w", err)
			}
			b.Reset()
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("forest: writing model: %w", err)
	}
	return nil
}

func (f *Forest) writeTree(b *bytes.Buffer, idx int32, depth int) {
	// Iterative pre-order to avoid deep recursion.
	type item struct {
		idx   int32
		depth int
	}
	stack := []item{{idx, depth}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := f.nodes[it.idx]
		fmt.Fprintf(b, "            -\n               depth: %d\n               value: %s\n               norm_class_idx: %d\n",
			it.depth, formatReal(n.value), n.class)
		if n.col >= 0 {
			fmt.Fprintf(b, "               splits:\n                  - { var:%d, quality:1.,\n                      le:%s }\n",
				n.col, strconv.FormatFloat(float64(n.thr), 'e', 16, 64))
			stack = append(stack, item{n.right, it.depth + 1}, item{n.left, it.depth + 1})
		}
	}
}

// writeFlow writes "key: [ a, b, ... ]" wrapping long lines as OpenCV does.
func writeFlow(b *bytes.Buffer, indent, key string, vals []string) {
	line := indent + key + ": [ "
	cont := indent + "    "
	for i, v := range vals {
		sep := ", "
		if i == len(vals)-1 {
			sep = " ]"
		}
		if len(line)+len(v)+len(sep) > 78 && !strings.HasSuffix(line, "[ ") {
			b.WriteString(strings.TrimRight(line, " "))
			b.WriteByte('\n')
			line = cont
		}
		line += v + sep
	}
	if len(vals) == 0 {
		line = indent + key + ": []"
	}
	b.WriteString(line)
	b.WriteByte('\n')
}

// formatReal formats a double as OpenCV's FileStorage does ("3." for
// integral values, "%.16e" otherwise, ".Nan"/".Inf" for specials).
func formatReal(v float64) string {
	switch {
	case math.IsNaN(v):
		return ".Nan"
	case math.IsInf(v, 1):
		return ".Inf"
	case math.IsInf(v, -1):
		return "-.Inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', 0, 64) + "."
	}
	return strconv.FormatFloat(v, 'e', 16, 64)
}

func formatInt(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1<<31 {
		return strconv.Itoa(int(v))
	}
	return formatReal(v)
}
