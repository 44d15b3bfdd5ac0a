package nn

import (
	"fmt"
	"slices"
	"sort"
	"sync"
)

// Options adjusts how a graph is built. The zero value (or nil) uses the
// model's own input shape and returns every sink node.
type Options struct {
	// InputShape overrides the Placeholder's declared shape. An unknown
	// (−1) batch dimension becomes 1 either way.
	InputShape []int
	// Outputs names the nodes whose values [Graph.Run] returns, in this
	// order. Nil means every node that no other node consumes (the sinks),
	// sorted by name. Naming an inner node runs the graph only up to it.
	Outputs []string
}

type opKind int

const (
	opInput opKind = iota
	opConst
	opConv
	opDepthwise
	opMaxPool
	opPrelu
	opRelu
	opRelu6
	opSigmoid
	opAdd
	opPad
	opAlias // Identity and Reshape: same data, maybe a new shape
	opConcat
)

// node is one operation of a built graph, in execution order.
type node struct {
	name  string
	tfOp  string
	op    opKind
	in    []int // indices of the nodes whose values it reads
	shape []int // output shape
	size  int   // output elements

	win                 window
	act                 activation
	filter, bias, alpha []float32
	pads                [4][2]int
	outer               int
	chunks              []int
	data                []float32 // opConst

	slot int // scratch buffer index, −1 for none (const, input, alias)
	root int // for aliases: the node whose buffer it shares
}

// Graph is a loaded, runnable model. It is safe for concurrent use.
type Graph struct {
	nodes    []node
	input    int
	inShape  []int
	inSize   int
	outputs  []int
	outNames []string
	slotSize []int
	pool     sync.Pool
}

// InputShape returns the shape of the graph's input tensor (NHWC, batch 1).
func (g *Graph) InputShape() []int { return slices.Clone(g.inShape) }

// OutputNames returns the names of the nodes [Graph.Run] returns, in order.
func (g *Graph) OutputNames() []string { return slices.Clone(g.outNames) }

// OutputShape returns the shape of output i.
func (g *Graph) OutputShape(i int) []int { return slices.Clone(g.nodes[g.outputs[i]].shape) }

// ScratchBytes returns the size of the scratch buffers one Run uses (one
// set per concurrent call, kept in a pool between calls). Buffers are
// shared between values whose lifetimes do not overlap.
func (g *Graph) ScratchBytes() int {
	n := 0
	for _, s := range g.slotSize {
		n += 4 * s
	}
	return n
}

// MultiplyAdds returns the number of multiply-adds one Run performs in its
// convolutions (the bulk of its work).
func (g *Graph) MultiplyAdds() int {
	n := 0
	for i := range g.nodes {
		nd := &g.nodes[i]
		w := &nd.win
		switch nd.op {
		case opConv:
			n += w.outH * w.outW * w.outC * w.kh * w.kw * w.inC
		case opDepthwise:
			n += w.outH * w.outW * w.outC * w.kh * w.kw
		}
	}
	return n
}

// Run evaluates the graph on one input (length the product of
// [Graph.InputShape], NHWC order) and returns a fresh copy of each output.
// A wrong input length gives a [*ShapeError].
func (g *Graph) Run(input []float32) ([][]float32, error) {
	if len(input) != g.inSize {
		return nil, &ShapeError{What: fmt.Sprintf("input has %d values, the graph takes %v = %d", len(input), g.inShape, g.inSize)}
	}
	st, _ := g.pool.Get().(*[][]float32)
	if st == nil {
		s := make([][]float32, len(g.slotSize))
		for i, n := range g.slotSize {
			s[i] = make([]float32, n)
		}
		st = &s
	}
	defer g.pool.Put(st)
	slots := *st
	vals := make([][]float32, len(g.nodes))
	for i := range g.nodes {
		n := &g.nodes[i]
		switch n.op {
		case opInput:
			vals[i] = input
			continue
		case opConst:
			vals[i] = n.data
			continue
		case opAlias:
			vals[i] = vals[n.in[0]]
			continue
		}
		y := slots[n.slot][:n.size]
		vals[i] = y
		x := vals[n.in[0]]
		if raceEnabled {
			declareAccesses(n, y, vals)
		}
		switch n.op {
		case opConv:
			conv2d(y, x, n.filter, n.bias, &n.win, n.act, n.alpha)
		case opDepthwise:
			depthwise(y, x, n.filter, &n.win)
		case opMaxPool:
			maxPool(y, x, &n.win)
		case opPrelu:
			prelu(y, x, n.alpha)
		case opRelu:
			relu(y, x)
		case opRelu6:
			relu6(y, x)
		case opSigmoid:
			sigmoid(y, x)
		case opAdd:
			if n.act == actPrelu {
				addPrelu(y, x, vals[n.in[1]], n.alpha)
			} else {
				add(y, x, vals[n.in[1]])
			}
		case opPad:
			in := g.nodes[n.in[0]].shape
			pad4(y, x, [4]int{in[0], in[1], in[2], in[3]}, n.pads)
		case opConcat:
			xs := make([][]float32, len(n.in))
			for k, j := range n.in {
				xs[k] = vals[j]
			}
			concat(y, xs, n.outer, n.chunks)
		}
	}
	out := make([][]float32, len(g.outputs))
	for k, i := range g.outputs {
		out[k] = slices.Clone(vals[i])
	}
	return out, nil
}

// declareAccesses tells the race detector which memory node n's kernel
// reads (its inputs and weights) and writes (y): the kernels themselves are
// not instrumented (see raceRead).
func declareAccesses(n *node, y []float32, vals [][]float32) {
	for _, j := range n.in {
		raceRead(vals[j])
	}
	raceRead(n.filter)
	raceRead(n.bias)
	raceRead(n.alpha)
	raceWrite(y)
}

// build turns GraphDef nodes and their decoded weights into a Graph.
func build(tfNodes []tfNode, consts map[string]*constant, opts *Options) (*Graph, error) {
	if opts == nil {
		opts = &Options{}
	}
	byName := make(map[string]int, len(tfNodes))
	consumed := make(map[string]bool)
	for i := range tfNodes {
		tn := &tfNodes[i]
		if tn.Name == "" {
			return nil, &FormatError{What: fmt.Sprintf("node %d has no name", i)}
		}
		if _, dup := byName[tn.Name]; dup {
			return nil, &FormatError{What: fmt.Sprintf("node %q defined twice", tn.Name)}
		}
		byName[tn.Name] = i
		for _, s := range tn.Input {
			name, _, _, err := inputName(s)
			if err != nil {
				return nil, &FormatError{What: fmt.Sprintf("node %q", tn.Name), Err: err}
			}
			consumed[name] = true
		}
	}
	outNames := opts.Outputs
	if outNames == nil {
		for _, tn := range tfNodes {
			if !consumed[tn.Name] && tn.Op != "Const" {
				outNames = append(outNames, tn.Name)
			}
		}
		sort.Strings(outNames)
	}
	if len(outNames) == 0 {
		return nil, &FormatError{What: "graph has no outputs"}
	}

	// Depth-first topological order of the nodes the outputs need.
	const (
		unseen = iota
		active
		done
	)
	state := make([]int, len(tfNodes))
	var order []int
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case done:
			return nil
		case active:
			return &FormatError{What: fmt.Sprintf("cycle through node %q", tfNodes[i].Name)}
		}
		state[i] = active
		for _, s := range tfNodes[i].Input {
			name, k, control, _ := inputName(s)
			if control {
				continue
			}
			j, ok := byName[name]
			if !ok {
				return &FormatError{What: fmt.Sprintf("node %q reads missing node %q", tfNodes[i].Name, name)}
			}
			if k != 0 {
				return &UnsupportedError{Node: tfNodes[i].Name, Op: tfNodes[i].Op, What: fmt.Sprintf("input %q (only output 0 of a node is supported)", s)}
			}
			if err := visit(j); err != nil {
				return err
			}
		}
		state[i] = done
		order = append(order, i)
		return nil
	}
	for _, name := range outNames {
		i, ok := byName[name]
		if !ok {
			return nil, &FormatError{What: fmt.Sprintf("output node %q not in graph", name)}
		}
		if err := visit(i); err != nil {
			return nil, err
		}
	}

	g := &Graph{input: -1}
	index := make(map[string]int, len(order))
	b := builder{g: g, consts: consts, tf: tfNodes, index: index, opts: opts}
	for _, ti := range order {
		tn := &tfNodes[ti]
		n, err := b.node(tn)
		if err != nil {
			return nil, err
		}
		index[tn.Name] = len(g.nodes)
		g.nodes = append(g.nodes, n)
	}
	if g.input < 0 {
		return nil, &FormatError{What: "the outputs do not depend on a Placeholder"}
	}
	for _, name := range outNames {
		g.outputs = append(g.outputs, index[name])
	}
	g.outNames = slices.Clone(outNames)
	g.fuse()
	g.plan()
	return g, nil
}

// fuse merges a Prelu into the Add before it when the Prelu is the Add's
// only reader and the Add is not an output: the Add applies the activation
// and the Prelu becomes an alias of it. The values are unchanged.
func (g *Graph) fuse() {
	readers := make([]int, len(g.nodes))
	for i := range g.nodes {
		for _, j := range g.nodes[i].in {
			readers[j]++
		}
	}
	for _, o := range g.outputs {
		readers[o]++
	}
	for i := range g.nodes {
		n := &g.nodes[i]
		if n.op != opPrelu {
			continue
		}
		a := &g.nodes[n.in[0]]
		if a.op != opAdd || a.act != actNone || readers[n.in[0]] != 1 {
			continue
		}
		a.act = actPrelu
		a.alpha = n.alpha
		n.op = opAlias
		n.in = n.in[:1]
	}
}

// plan assigns scratch buffers: a node's output takes the smallest free
// buffer large enough (or a new one), and buffers return to the free list
// after their last reader has run. Outputs are never freed.
func (g *Graph) plan() {
	root := func(i int) int {
		for g.nodes[i].op == opAlias {
			i = g.nodes[i].in[0]
		}
		return i
	}
	last := make([]int, len(g.nodes))
	for i := range g.nodes {
		g.nodes[i].root = root(i)
		last[i] = -1
	}
	for i := range g.nodes {
		for _, j := range g.nodes[i].in {
			r := root(j)
			last[r] = max(last[r], i)
		}
	}
	for _, o := range g.outputs {
		last[root(o)] = len(g.nodes)
	}
	var free []int
	for i := range g.nodes {
		n := &g.nodes[i]
		n.slot = -1
		switch n.op {
		case opInput, opConst, opAlias:
			continue
		}
		best := -1
		for k, s := range free {
			if g.slotSize[s] >= n.size && (best < 0 || g.slotSize[s] < g.slotSize[free[best]]) {
				best = k
			}
		}
		if best >= 0 {
			n.slot = free[best]
			free = append(free[:best], free[best+1:]...)
		} else {
			n.slot = len(g.slotSize)
			g.slotSize = append(g.slotSize, n.size)
		}
		seen := map[int]bool{}
		for _, j := range n.in {
			r := root(j)
			if seen[r] {
				continue
			}
			seen[r] = true
			if last[r] == i && g.nodes[r].slot >= 0 {
				free = append(free, g.nodes[r].slot)
			}
		}
		if last[i] < 0 { // computed but never read: release at once
			free = append(free, n.slot)
		}
	}
}
