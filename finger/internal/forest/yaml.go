package forest

import (
	"bytes"
	"fmt"
	"strings"
)

// This file holds a small parser for the YAML dialect that OpenCV's
// FileStorage writes: block mappings and sequences indented by spaces,
// flow sequences and mappings that may wrap over several lines, OpenCV's
// compact flow pairs ("var:1" without a space), "!!opencv-matrix" tags,
// and the "%YAML:1.0" header (which standard YAML parsers reject).
// It builds a small tree; nothing here panics on bad input.

type ykind uint8

const (
	yScalar ykind = iota
	yMap
	ySeq
)

// maxNesting bounds the nesting depth of the document.
const maxNesting = 64

type ynode struct {
	kind  ykind
	tag   string
	value string // scalar text
	keys  []string
	vals  []*ynode
	items []*ynode
	line  int
}

func (n *ynode) get(key string) *ynode {
	if n == nil || n.kind != yMap {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

type yline struct {
	num    int // 1-based line number
	indent int
	text   string // without indentation and trailing spaces
}

type yparser struct {
	lines []yline
	pos   int
}

func (p *yparser) errorf(line int, format string, args ...any) error {
	return &FormatError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// parseYAML parses an OpenCV FileStorage YAML document and returns its
// top-level mapping.
func parseYAML(data []byte) (*ynode, error) {
	p := &yparser{}
	num := 0
	for len(data) > 0 {
		num++
		var raw []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			raw, data = data, nil
		}
		s := strings.TrimRight(string(raw), " \t\r")
		if num == 1 && strings.HasPrefix(s, "%YAML") {
			continue
		}
		indent := 0
		for indent < len(s) && s[indent] == ' ' {
			indent++
		}
		t := s[indent:]
		if t == "" || t[0] == '#' || t == "---" || t == "..." {
			continue
		}
		if t[0] == '\t' {
			return nil, &FormatError{Line: num, Msg: "tab in indentation"}
		}
		p.lines = append(p.lines, yline{num: num, indent: indent, text: t})
	}
	if len(p.lines) == 0 {
		return nil, &FormatError{Line: num, Msg: "empty document"}
	}
	root, err := p.block(p.lines[0].indent, 0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.lines) {
		l := p.lines[p.pos]
		return nil, p.errorf(l.num, "unexpected content at indentation %d", l.indent)
	}
	if root.kind != yMap {
		return nil, p.errorf(root.line, "top level is not a mapping")
	}
	return root, nil
}

func isSeqItem(t string) bool { return t == "-" || strings.HasPrefix(t, "- ") }

// block parses a block collection whose entries sit at indentation indent.
func (p *yparser) block(indent, depth int) (*ynode, error) {
	if depth > maxNesting {
		return nil, p.errorf(p.lines[p.pos].num, "nesting deeper than %d", maxNesting)
	}
	first := p.lines[p.pos]
	if isSeqItem(first.text) {
		return p.seq(indent, depth)
	}
	return p.mapping(indent, depth)
}

func (p *yparser) seq(indent, depth int) (*ynode, error) {
	n := &ynode{kind: ySeq, line: p.lines[p.pos].num}
	for p.pos < len(p.lines) {
		l := p.lines[p.pos]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, p.errorf(l.num, "unexpected indentation %d (want %d)", l.indent, indent)
		}
		if !isSeqItem(l.text) {
			break // a key at the same indentation ends the sequence
		}
		p.pos++
		rest := strings.TrimLeft(l.text[1:], " ")
		item, err := p.value(rest, l, indent, depth)
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, item)
	}
	return n, nil
}

func (p *yparser) mapping(indent, depth int) (*ynode, error) {
	n := &ynode{kind: yMap, line: p.lines[p.pos].num}
	for p.pos < len(p.lines) {
		l := p.lines[p.pos]
		if l.indent < indent {
			break
		}
		if l.indent > indent {
			return nil, p.errorf(l.num, "unexpected indentation %d (want %d)", l.indent, indent)
		}
		if isSeqItem(l.text) {
			return nil, p.errorf(l.num, "sequence item inside a mapping")
		}
		key, rest, ok := splitKey(l.text)
		if !ok {
			return nil, p.errorf(l.num, "expected \"key: value\", got %q", clip(l.text))
		}
		p.pos++
		v, err := p.value(rest, l, indent, depth)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, v)
	}
	return n, nil
}

// splitKey splits "key: rest" (or "key:" at end of line).
func splitKey(t string) (key, rest string, ok bool) {
	if t != "" && (t[0] == '"' || t[0] == '\'') {
		q := t[0]
		end := strings.IndexByte(t[1:], q)
		if end < 0 {
			return "", "", false
		}
		key = t[1 : 1+end]
		t = t[2+end:]
		if !strings.HasPrefix(t, ":") {
			return "", "", false
		}
		return key, strings.TrimSpace(t[1:]), true
	}
	for i := 0; i < len(t); i++ {
		if t[i] == ':' && (i+1 == len(t) || t[i+1] == ' ') {
			key = strings.TrimSpace(t[:i])
			if key == "" {
				return "", "", false
			}
			return key, strings.TrimSpace(t[i+1:]), true
		}
	}
	return "", "", false
}

// value parses the text after "key:" or "-" on line l; the value may
// continue on following lines (nested block or wrapped flow collection).
func (p *yparser) value(rest string, l yline, indent, depth int) (*ynode, error) {
	tag := ""
	if strings.HasPrefix(rest, "!!") || strings.HasPrefix(rest, "!") {
		i := strings.IndexByte(rest, ' ')
		if i < 0 {
			tag, rest = rest, ""
		} else {
			tag, rest = rest[:i], strings.TrimSpace(rest[i+1:])
		}
	}
	var v *ynode
	var err error
	switch {
	case rest == "":
		if p.pos < len(p.lines) && (p.lines[p.pos].indent > indent ||
			(p.lines[p.pos].indent == indent && isSeqItem(p.lines[p.pos].text) && !isSeqItem(l.text))) {
			v, err = p.block(p.lines[p.pos].indent, depth+1)
		} else {
			v = &ynode{kind: yScalar, line: l.num}
		}
	case rest[0] == '[' || rest[0] == '{':
		v, err = p.flowText(rest, l, indent, depth)
	default:
		s, e := unquote(rest)
		if e != nil {
			return nil, p.errorf(l.num, "%v", e)
		}
		v = &ynode{kind: yScalar, value: s, line: l.num}
	}
	if err != nil {
		return nil, err
	}
	if tag != "" {
		v.tag = tag
	}
	return v, nil
}

// flowText gathers a flow collection that may wrap over the following
// deeper-indented lines, then parses it.
func (p *yparser) flowText(rest string, l yline, indent, depth int) (*ynode, error) {
	var sb strings.Builder
	sb.WriteString(rest)
	for !balanced(sb.String()) {
		if p.pos >= len(p.lines) || p.lines[p.pos].indent <= indent {
			return nil, p.errorf(l.num, "unterminated flow collection")
		}
		sb.WriteByte(' ')
		sb.WriteString(p.lines[p.pos].text)
		p.pos++
	}
	f := &flowParser{s: sb.String(), line: l.num}
	v, err := f.value(depth + 1)
	if err != nil {
		return nil, err
	}
	f.skipSpace()
	if f.i != len(f.s) {
		return nil, p.errorf(l.num, "trailing text after flow collection: %q", clip(f.s[f.i:]))
	}
	return v, nil
}

// balanced reports whether all brackets opened in s are closed (ignoring
// quoted text).
func balanced(s string) bool {
	d := 0
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if q != 0 {
			if c == q {
				q = 0
			}
			continue
		}
		switch c {
		case '"', '\'':
			q = c
		case '[', '{':
			d++
		case ']', '}':
			d--
			if d < 0 {
				return true // let the parser report it
			}
		}
	}
	return d == 0 && q == 0
}

type flowParser struct {
	s    string
	i    int
	line int
}

func (f *flowParser) errorf(format string, args ...any) error {
	return &FormatError{Line: f.line, Msg: fmt.Sprintf(format, args...)}
}

func (f *flowParser) skipSpace() {
	for f.i < len(f.s) && f.s[f.i] == ' ' {
		f.i++
	}
}

func (f *flowParser) value(depth int) (*ynode, error) {
	if depth > maxNesting {
		return nil, f.errorf("nesting deeper than %d", maxNesting)
	}
	f.skipSpace()
	if f.i >= len(f.s) {
		return nil, f.errorf("unexpected end of flow collection")
	}
	switch f.s[f.i] {
	case '[':
		f.i++
		n := &ynode{kind: ySeq, line: f.line}
		f.skipSpace()
		// OpenCV writes "[:" for a flow sequence of one type; skip the colon.
		if f.i < len(f.s) && f.s[f.i] == ':' {
			f.i++
		}
		f.skipSpace()
		if f.i < len(f.s) && f.s[f.i] == ']' {
			f.i++
			return n, nil
		}
		for {
			v, err := f.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, v)
			f.skipSpace()
			if f.i >= len(f.s) {
				return nil, f.errorf("unterminated flow sequence")
			}
			c := f.s[f.i]
			f.i++
			if c == ']' {
				return n, nil
			}
			if c != ',' {
				return nil, f.errorf("expected ',' or ']' in flow sequence, got %q", c)
			}
		}
	case '{':
		f.i++
		n := &ynode{kind: yMap, line: f.line}
		f.skipSpace()
		if f.i < len(f.s) && f.s[f.i] == ':' {
			f.i++
		}
		f.skipSpace()
		if f.i < len(f.s) && f.s[f.i] == '}' {
			f.i++
			return n, nil
		}
		for {
			f.skipSpace()
			start := f.i
			for f.i < len(f.s) && f.s[f.i] != ':' && f.s[f.i] != ',' && f.s[f.i] != '}' {
				f.i++
			}
			if f.i >= len(f.s) || f.s[f.i] != ':' {
				return nil, f.errorf("expected \"key:value\" in flow mapping")
			}
			key := strings.TrimSpace(f.s[start:f.i])
			if key == "" {
				return nil, f.errorf("empty key in flow mapping")
			}
			f.i++
			v, err := f.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, key)
			n.vals = append(n.vals, v)
			f.skipSpace()
			if f.i >= len(f.s) {
				return nil, f.errorf("unterminated flow mapping")
			}
			c := f.s[f.i]
			f.i++
			if c == '}' {
				return n, nil
			}
			if c != ',' {
				return nil, f.errorf("expected ',' or '}' in flow mapping, got %q", c)
			}
		}
	case ']', '}', ',':
		return nil, f.errorf("unexpected %q in flow collection", f.s[f.i])
	}
	// Scalar.
	if c := f.s[f.i]; c == '"' || c == '\'' {
		end := strings.IndexByte(f.s[f.i+1:], c)
		if end < 0 {
			return nil, f.errorf("unterminated quoted string")
		}
		v := &ynode{kind: yScalar, value: f.s[f.i+1 : f.i+1+end], line: f.line}
		f.i += end + 2
		return v, nil
	}
	start := f.i
	for f.i < len(f.s) && f.s[f.i] != ',' && f.s[f.i] != ']' && f.s[f.i] != '}' {
		f.i++
	}
	return &ynode{kind: yScalar, value: strings.TrimSpace(f.s[start:f.i]), line: f.line}, nil
}

func unquote(s string) (string, error) {
	if s == "" {
		return s, nil
	}
	if q := s[0]; q == '"' || q == '\'' {
		if len(s) < 2 || s[len(s)-1] != q {
			return "", fmt.Errorf("unterminated quoted string")
		}
		return s[1 : len(s)-1], nil
	}
	return s, nil
}

// clip shortens text quoted in error messages.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
