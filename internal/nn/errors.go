package nn

import "fmt"

// FormatError reports a malformed model: JSON that does not parse, a
// weights manifest that does not match its weight files (truncated or
// oversized shards), a node that names a missing input, or a cycle.
type FormatError struct {
	What string // what is wrong, without file contents
	Err  error  // underlying error, if any
}

func (e *FormatError) Error() string {
	if e.Err != nil {
		return "nn: malformed model: " + e.What + ": " + e.Err.Error()
	}
	return "nn: malformed model: " + e.What
}

// Unwrap returns the underlying error.
func (e *FormatError) Unwrap() error { return e.Err }

// UnsupportedError reports a well-formed model that uses an operation,
// attribute or data type this package does not implement.
type UnsupportedError struct {
	Node string // graph node name, empty for file-level features
	Op   string // operation name, if relevant
	What string // the unsupported feature
}

func (e *UnsupportedError) Error() string {
	switch {
	case e.Node != "" && e.Op != "":
		return fmt.Sprintf("nn: node %q (%s): unsupported %s", e.Node, e.Op, e.What)
	case e.Node != "":
		return fmt.Sprintf("nn: node %q: unsupported %s", e.Node, e.What)
	}
	return "nn: unsupported " + e.What
}

// ShapeError reports tensor shapes that do not fit an operation, a weight
// whose size disagrees with its declared shape, or an input of the wrong
// length passed to [Graph.Run].
type ShapeError struct {
	Node string // graph node name, empty for the graph input
	What string
}

func (e *ShapeError) Error() string {
	if e.Node == "" {
		return "nn: shape: " + e.What
	}
	return fmt.Sprintf("nn: node %q: shape: %s", e.Node, e.What)
}
