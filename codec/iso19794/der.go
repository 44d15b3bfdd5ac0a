package iso19794

// A minimal reader for the ASN.1 DER (and definite-length BER) encoding of
// ISO/IEC 39794 records.

const (
	classUniversal   = 0
	classApplication = 1
	classContext     = 2

	maxDERDepth = 24
	maxDERNodes = 1 << 16
)

// node is one decoded TLV element; children are parsed for constructed
// elements.
type node struct {
	class       int
	constructed bool
	tag         int
	value       []byte
	children    []*node
}

// parseDER parses the sequence of TLV elements in b.
func parseDER(b []byte) ([]*node, error) {
	count := 0
	return parseDERLevel(b, 0, &count)
}

func parseDERLevel(b []byte, depth int, count *int) ([]*node, error) {
	if depth > maxDERDepth {
		return nil, FormatError("ASN.1 nesting too deep")
	}
	var out []*node
	for len(b) > 0 {
		*count++
		if *count > maxDERNodes {
			return nil, FormatError("too many ASN.1 elements")
		}
		n := &node{class: int(b[0] >> 6), constructed: b[0]&0x20 != 0, tag: int(b[0] & 0x1F)}
		i := 1
		if n.tag == 0x1F {
			n.tag = 0
			for {
				if i >= len(b) || i > 4 {
					return nil, FormatError("bad ASN.1 tag")
				}
				c := b[i]
				i++
				n.tag = n.tag<<7 | int(c&0x7F)
				if c&0x80 == 0 {
					break
				}
			}
		}
		if i >= len(b) {
			return nil, FormatError("truncated ASN.1 element")
		}
		l := int(b[i])
		i++
		if l&0x80 != 0 {
			k := l & 0x7F
			if k == 0 || k > 4 || i+k > len(b) {
				return nil, FormatError("bad ASN.1 length")
			}
			l = 0
			for _, c := range b[i : i+k] {
				l = l<<8 | int(c)
			}
			i += k
		}
		if l < 0 || l > len(b)-i {
			return nil, FormatError("ASN.1 element extends past its parent")
		}
		n.value = b[i : i+l]
		if n.constructed {
			kids, err := parseDERLevel(n.value, depth+1, count)
			if err != nil {
				return nil, err
			}
			n.children = kids
		}
		out = append(out, n)
		b = b[i+l:]
	}
	return out, nil
}

// child returns the first context-specific child with the given tag.
func (n *node) child(tag int) *node {
	for _, c := range n.children {
		if c.class == classContext && c.tag == tag {
			return c
		}
	}
	return nil
}

// integer returns the value of a primitive element read as a non-negative
// integer, or -1.
func (n *node) integer() int {
	if n == nil || n.constructed || len(n.value) == 0 || len(n.value) > 4 || n.value[0]&0x80 != 0 {
		return -1
	}
	v := 0
	for _, c := range n.value {
		v = v<<8 | int(c)
	}
	return v
}

// code returns the integer inside a CHOICE { code [0] INTEGER, extension
// [1] ... } (or a plain primitive integer), or -1.
func (n *node) code() int {
	if n == nil {
		return -1
	}
	if !n.constructed {
		return n.integer()
	}
	if c := n.child(0); c != nil {
		return c.code()
	}
	return -1
}

// find returns the first element, depth first, with the given class and tag.
func find(ns []*node, class, tag int) *node {
	for _, n := range ns {
		if n.class == class && n.tag == tag {
			return n
		}
		if r := find(n.children, class, tag); r != nil {
			return r
		}
	}
	return nil
}
