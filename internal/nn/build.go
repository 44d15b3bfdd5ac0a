package nn

import (
	"fmt"
	"slices"
)

// builder converts GraphDef nodes, in topological order, into graph nodes
// with checked shapes.
type builder struct {
	g      *Graph
	consts map[string]*constant
	tf     []tfNode
	index  map[string]int // GraphDef name → index in g.nodes
	opts   *Options
}

// dataInputs returns the graph-node indices of tn's non-control inputs.
func (b *builder) dataInputs(tn *tfNode) []int {
	var in []int
	for _, s := range tn.Input {
		name, _, control, _ := inputName(s)
		if !control {
			in = append(in, b.index[name])
		}
	}
	return in
}

func (b *builder) unsupported(tn *tfNode, format string, args ...any) error {
	return &UnsupportedError{Node: tn.Name, Op: tn.Op, What: fmt.Sprintf(format, args...)}
}

func shapeErr(tn *tfNode, format string, args ...any) error {
	return &ShapeError{Node: tn.Name, What: fmt.Sprintf(format, args...)}
}

// constOf returns the constant behind graph node i, or nil.
func (b *builder) constOf(i int) *constant {
	n := &b.g.nodes[i]
	if n.op != opConst {
		return nil
	}
	return b.consts[n.name]
}

func (b *builder) node(tn *tfNode) (node, error) {
	n := node{name: tn.Name, tfOp: tn.Op}
	if t, ok := tn.Attr["T"]; ok && t.Type != "" && t.Type != "DT_FLOAT" && tn.Op != "Const" {
		return n, b.unsupported(tn, "element type %s", t.Type)
	}
	in := b.dataInputs(tn)
	n.in = in
	want := func(k int) error {
		if len(in) != k {
			return &FormatError{What: fmt.Sprintf("node %q (%s) has %d inputs, want %d", tn.Name, tn.Op, len(in), k)}
		}
		return nil
	}
	var err error
	switch tn.Op {
	case "Placeholder":
		err = b.placeholder(tn, &n)
	case "Const":
		c, ok := b.consts[tn.Name]
		if !ok {
			return n, &FormatError{What: fmt.Sprintf("constant %q has no entry in the weights manifest", tn.Name)}
		}
		n.op = opConst
		n.shape = slices.Clone(c.shape)
		n.data = c.f
		n.size = len(c.f) + len(c.i)
	case "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative":
		err = b.conv(tn, &n, in)
	case "MaxPool":
		if err = want(1); err == nil {
			err = b.pool(tn, &n, in)
		}
	case "Prelu":
		if err = want(2); err == nil {
			err = b.prelu(tn, &n, in)
		}
	case "Relu", "Relu6", "Sigmoid", "Identity":
		if err = want(1); err == nil {
			err = b.unary(tn, &n, in)
		}
	case "Add", "AddV2":
		if err = want(2); err == nil {
			err = b.add(tn, &n, in)
		}
	case "Pad":
		if err = want(2); err == nil {
			err = b.pad(tn, &n, in)
		}
	case "Reshape":
		if err = want(2); err == nil {
			err = b.reshape(tn, &n, in)
		}
	case "ConcatV2":
		err = b.concat(tn, &n, in)
	default:
		return n, b.unsupported(tn, "operation")
	}
	if err != nil {
		return n, err
	}
	if n.op != opConst {
		if n.size, err = elements(n.shape); err != nil {
			return n, shapeErr(tn, "%v", err)
		}
	}
	return n, nil
}

// floatInput returns the shape of a float input; consts must be float32.
func (b *builder) floatInput(tn *tfNode, i int) ([]int, error) {
	n := &b.g.nodes[i]
	if c := b.constOf(i); c != nil && c.f == nil && len(c.i) > 0 {
		return nil, b.unsupported(tn, "int32 operand %q", n.name)
	}
	return n.shape, nil
}

func (b *builder) placeholder(tn *tfNode, n *node) error {
	if b.g.input >= 0 {
		return b.unsupported(tn, "second Placeholder (one input only)")
	}
	if t := tn.Attr["dtype"].Type; t != "" && t != "DT_FLOAT" {
		return b.unsupported(tn, "input type %s", t)
	}
	shape := b.opts.InputShape
	if shape == nil {
		s, err := placeholderShape(tn)
		if err != nil {
			return err
		}
		shape = s
	}
	shape = slices.Clone(shape)
	if len(shape) > 0 && shape[0] == -1 {
		shape[0] = 1
	}
	for _, d := range shape {
		if d <= 0 {
			return shapeErr(tn, "input shape %v has unknown or empty dimensions", shape)
		}
	}
	size, err := elements(shape)
	if err != nil {
		return shapeErr(tn, "%v", err)
	}
	n.op = opInput
	n.shape = shape
	b.g.input = len(b.g.nodes)
	b.g.inShape = slices.Clone(shape)
	b.g.inSize = size
	return nil
}

// placeholderShape reads attr.shape.shape.dim[].size, which the generic
// attribute decoder skips.
func placeholderShape(tn *tfNode) ([]int, error) {
	raw, ok := tn.Attr["shape"]
	if !ok || raw.Shape == nil {
		return nil, &ShapeError{Node: tn.Name, What: "Placeholder without a shape (give Options.InputShape)"}
	}
	var shape []int
	for _, d := range raw.Shape.Dim {
		v, err := d.Size.Int64()
		if err != nil {
			return nil, &FormatError{What: fmt.Sprintf("node %q: dimension %q", tn.Name, d.Size)}
		}
		shape = append(shape, int(v))
	}
	return shape, nil
}

// nhwc returns the H, W, C of a rank-4 batch-1 shape.
func nhwc(tn *tfNode, shape []int) (h, w, c int, err error) {
	if len(shape) != 4 || shape[0] != 1 {
		return 0, 0, 0, shapeErr(tn, "input shape %v, want [1 H W C]", shape)
	}
	return shape[1], shape[2], shape[3], nil
}

// spatial checks the strides/ksize style attribute [1 a b 1].
func spatial(tn *tfNode, key string, v []int, present bool) (int, int, error) {
	if !present {
		return 0, 0, &FormatError{What: fmt.Sprintf("node %q (%s) has no %s", tn.Name, tn.Op, key)}
	}
	if len(v) != 4 || v[0] != 1 || v[3] != 1 || v[1] <= 0 || v[2] <= 0 {
		return 0, 0, &UnsupportedError{Node: tn.Name, Op: tn.Op, What: fmt.Sprintf("%s %v", key, v)}
	}
	return v[1], v[2], nil
}

// commonWindowAttrs checks data_format, dilations and padding.
func (b *builder) commonWindowAttrs(tn *tfNode) (Padding, error) {
	if f := tn.attrString("data_format"); f != "" && f != "NHWC" {
		return 0, b.unsupported(tn, "data_format %s", f)
	}
	if d, ok, err := tn.attrInts("dilations"); err != nil {
		return 0, err
	} else if ok && len(d) > 0 && !slices.Equal(d, []int{1, 1, 1, 1}) {
		return 0, b.unsupported(tn, "dilations %v", d)
	}
	switch p := tn.attrString("padding"); p {
	case "SAME":
		return Same, nil
	case "VALID":
		return Valid, nil
	default:
		return 0, b.unsupported(tn, "padding %q", p)
	}
}

func (b *builder) conv(tn *tfNode, n *node, in []int) error {
	if len(in) < 2 {
		return &FormatError{What: fmt.Sprintf("node %q (%s) has %d inputs", tn.Name, tn.Op, len(in))}
	}
	shape, err := b.floatInput(tn, in[0])
	if err != nil {
		return err
	}
	h, w, c, err := nhwc(tn, shape)
	if err != nil {
		return err
	}
	pad, err := b.commonWindowAttrs(tn)
	if err != nil {
		return err
	}
	sv, ok, err := tn.attrInts("strides")
	if err != nil {
		return err
	}
	sh, sw, err := spatial(tn, "strides", sv, ok)
	if err != nil {
		return err
	}
	f := b.constOf(in[1])
	if f == nil || f.f == nil {
		return b.unsupported(tn, "filter that is not a float constant")
	}
	if len(f.shape) != 4 || f.shape[2] != c {
		return shapeErr(tn, "filter %v does not fit input %v", f.shape, shape)
	}
	kh, kw, co := f.shape[0], f.shape[1], f.shape[3]
	n.filter = f.f
	if tn.Op == "DepthwiseConv2dNative" {
		if len(in) != 2 {
			return &FormatError{What: fmt.Sprintf("node %q (%s) has %d inputs, want 2", tn.Name, tn.Op, len(in))}
		}
		if co != 1 {
			return b.unsupported(tn, "channel multiplier %d (only 1)", co)
		}
		co = c
		n.op = opDepthwise
	} else {
		n.op = opConv
		if err := b.fused(tn, n, in, co); err != nil {
			return err
		}
	}
	win, ok := newWindow(h, w, c, kh, kw, co, sh, sw, pad)
	if !ok {
		return shapeErr(tn, "kernel %dx%d stride %dx%d %s does not fit input %v", kh, kw, sh, sw, pad, shape)
	}
	n.win = win
	n.shape = []int{1, win.outH, win.outW, co}
	if len(n.filter) != kh*kw*c*f.shape[3] {
		return shapeErr(tn, "filter has %d values for shape %v", len(n.filter), f.shape)
	}
	return nil
}

// fused reads _FusedConv2D's fused_ops (BiasAdd, then optionally Relu,
// Relu6 or Prelu) and their arguments.
func (b *builder) fused(tn *tfNode, n *node, in []int, co int) error {
	if tn.Op == "Conv2D" {
		if len(in) != 2 {
			return &FormatError{What: fmt.Sprintf("node %q (Conv2D) has %d inputs, want 2", tn.Name, len(in))}
		}
		return nil
	}
	ops := tn.attrStrings("fused_ops")
	if len(ops) == 0 || ops[0] != "BiasAdd" || len(ops) > 2 {
		return b.unsupported(tn, "fused_ops %v", ops)
	}
	args := in[2:]
	want := 1
	if len(ops) == 2 {
		switch ops[1] {
		case "Relu":
			n.act = actRelu
		case "Relu6":
			n.act = actRelu6
		case "Prelu":
			n.act = actPrelu
			want = 2
		default:
			return b.unsupported(tn, "fused activation %s", ops[1])
		}
	}
	if len(args) != want {
		return &FormatError{What: fmt.Sprintf("node %q (%s) has %d fused arguments, want %d", tn.Name, tn.Op, len(args), want)}
	}
	bias := b.constOf(args[0])
	if bias == nil || bias.f == nil || len(bias.f) != co {
		return shapeErr(tn, "bias must be a float constant of %d values", co)
	}
	n.bias = bias.f
	if n.act == actPrelu {
		alpha := b.constOf(args[1])
		if alpha == nil || alpha.f == nil || len(alpha.f) != co {
			return shapeErr(tn, "prelu alpha must be a float constant of %d values", co)
		}
		n.alpha = alpha.f
	}
	return nil
}

func (b *builder) pool(tn *tfNode, n *node, in []int) error {
	h, w, c, err := nhwc(tn, b.g.nodes[in[0]].shape)
	if err != nil {
		return err
	}
	pad, err := b.commonWindowAttrs(tn)
	if err != nil {
		return err
	}
	kv, ok, err := tn.attrInts("ksize")
	if err != nil {
		return err
	}
	kh, kw, err := spatial(tn, "ksize", kv, ok)
	if err != nil {
		return err
	}
	sv, ok, err := tn.attrInts("strides")
	if err != nil {
		return err
	}
	sh, sw, err := spatial(tn, "strides", sv, ok)
	if err != nil {
		return err
	}
	win, ok := newWindow(h, w, c, kh, kw, c, sh, sw, pad)
	if !ok {
		return shapeErr(tn, "window %dx%d does not fit input %v", kh, kw, b.g.nodes[in[0]].shape)
	}
	n.op = opMaxPool
	n.win = win
	n.shape = []int{1, win.outH, win.outW, c}
	return nil
}

func (b *builder) prelu(tn *tfNode, n *node, in []int) error {
	shape, err := b.floatInput(tn, in[0])
	if err != nil {
		return err
	}
	alpha := b.constOf(in[1])
	if alpha == nil || alpha.f == nil {
		return b.unsupported(tn, "alpha that is not a float constant")
	}
	if len(shape) == 0 || len(alpha.f) != shape[len(shape)-1] {
		return shapeErr(tn, "alpha %v does not match input %v (per-channel alpha only)", alpha.shape, shape)
	}
	n.op = opPrelu
	n.alpha = alpha.f
	n.shape = slices.Clone(shape)
	return nil
}

func (b *builder) unary(tn *tfNode, n *node, in []int) error {
	shape, err := b.floatInput(tn, in[0])
	if err != nil {
		return err
	}
	n.shape = slices.Clone(shape)
	switch tn.Op {
	case "Relu":
		n.op = opRelu
	case "Relu6":
		n.op = opRelu6
	case "Sigmoid":
		n.op = opSigmoid
	case "Identity":
		n.op = opAlias
	}
	return nil
}

func (b *builder) add(tn *tfNode, n *node, in []int) error {
	a, err := b.floatInput(tn, in[0])
	if err != nil {
		return err
	}
	c, err := b.floatInput(tn, in[1])
	if err != nil {
		return err
	}
	if !slices.Equal(a, c) {
		return shapeErr(tn, "operands %v and %v differ (broadcasting is not supported)", a, c)
	}
	n.op = opAdd
	n.shape = slices.Clone(a)
	return nil
}

func (b *builder) pad(tn *tfNode, n *node, in []int) error {
	shape, err := b.floatInput(tn, in[0])
	if err != nil {
		return err
	}
	if len(shape) != 4 {
		return shapeErr(tn, "input %v, want rank 4", shape)
	}
	p := b.constOf(in[1])
	if p == nil || len(p.i) != 8 {
		return b.unsupported(tn, "paddings that are not a constant int32 [4 2]")
	}
	if m, ok := tn.Attr["mode"]; ok && len(m.S) > 0 && string(m.S) != "CONSTANT" {
		return b.unsupported(tn, "mode %s", m.S)
	}
	n.op = opPad
	n.shape = make([]int, 4)
	for d := 0; d < 4; d++ {
		lo, hi := p.i[2*d], p.i[2*d+1]
		if lo < 0 || hi < 0 || lo > maxElements || hi > maxElements {
			return shapeErr(tn, "paddings %v", p.i)
		}
		n.pads[d] = [2]int{lo, hi}
		n.shape[d] = shape[d] + lo + hi
	}
	return nil
}

func (b *builder) reshape(tn *tfNode, n *node, in []int) error {
	shape, err := b.floatInput(tn, in[0])
	if err != nil {
		return err
	}
	s := b.constOf(in[1])
	if s == nil || s.f != nil || len(s.shape) != 1 {
		return b.unsupported(tn, "target shape that is not a constant int32 vector")
	}
	size, err := elements(shape)
	if err != nil {
		return shapeErr(tn, "%v", err)
	}
	out := slices.Clone(s.i)
	unknown, known := -1, 1
	for k, d := range out {
		switch {
		case d == -1 && unknown < 0:
			unknown = k
		case d < 0:
			return shapeErr(tn, "target shape %v", s.i)
		default:
			if d > 0 && known > maxElements/d {
				return shapeErr(tn, "target shape %v too large", s.i)
			}
			known *= d
		}
	}
	if unknown >= 0 {
		if known == 0 || size%known != 0 {
			return shapeErr(tn, "cannot reshape %v to %v", shape, s.i)
		}
		out[unknown] = size / known
	}
	if n2, _ := elements(out); n2 != size {
		return shapeErr(tn, "cannot reshape %v to %v", shape, s.i)
	}
	n.op = opAlias
	n.shape = out
	return nil
}

func (b *builder) concat(tn *tfNode, n *node, in []int) error {
	if len(in) < 2 {
		return &FormatError{What: fmt.Sprintf("node %q (ConcatV2) has %d inputs", tn.Name, len(in))}
	}
	ax := b.constOf(in[len(in)-1])
	if ax == nil || len(ax.i) != 1 {
		return b.unsupported(tn, "axis that is not a constant int32 scalar")
	}
	data := in[:len(in)-1]
	first, err := b.floatInput(tn, data[0])
	if err != nil {
		return err
	}
	rank := len(first)
	axis := ax.i[0]
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return shapeErr(tn, "axis %d for rank %d", ax.i[0], rank)
	}
	out := slices.Clone(first)
	out[axis] = 0
	outer := 1
	for _, d := range first[:axis] {
		outer *= d
	}
	for _, j := range data {
		s, err := b.floatInput(tn, j)
		if err != nil {
			return err
		}
		if len(s) != rank {
			return shapeErr(tn, "operand ranks differ: %v and %v", first, s)
		}
		for d := range s {
			if d != axis && s[d] != first[d] {
				return shapeErr(tn, "operands %v and %v differ off the axis", first, s)
			}
		}
		out[axis] += s[axis]
		chunk, err := elements(s[axis:])
		if err != nil {
			return shapeErr(tn, "%v", err)
		}
		n.chunks = append(n.chunks, chunk)
	}
	n.op = opConcat
	n.in = data
	n.outer = outer
	n.shape = out
	return nil
}
