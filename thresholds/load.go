package thresholds

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed profiles/*.yaml
var embedded embed.FS

// Default is the name of the profile used when none is given.
const Default = "ees-usk"

// ErrUnknownProfile is returned (wrapped) when a profile name is neither an
// embedded profile nor a readable file.
var ErrUnknownProfile = errors.New("thresholds: unknown profile")

// Names returns the names of the embedded profiles, sorted.
func Names() []string {
	entries, _ := embedded.ReadDir("profiles")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(names)
	return names
}

// Embedded returns a fresh copy of the embedded profile called name.
func Embedded(name string) (*Profile, error) {
	b, err := embedded.ReadFile(path.Join("profiles", name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("%w %q (embedded profiles: %s)", ErrUnknownProfile, name, strings.Join(Names(), ", "))
	}
	return parse(b, name, 0)
}

// MustEmbedded is like Embedded but panics on error. It is meant for
// package-level variables and tests with a known embedded name.
func MustEmbedded(name string) *Profile {
	p, err := Embedded(name)
	if err != nil {
		panic(err)
	}
	return p
}

// Load reads a profile in YAML or JSON from r. source names it in errors.
func Load(r io.Reader, source string) (*Profile, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20+1))
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	if len(b) > 1<<20 {
		return nil, &ValidationError{Source: source, Problem: "file is larger than 1 MiB"}
	}
	return parse(b, source, 0)
}

// LoadFile reads a profile file in YAML or JSON.
func LoadFile(name string) (*Profile, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	defer f.Close()
	return Load(f, name)
}

// Resolve returns the embedded profile called nameOrPath, or else the
// profile read from the file at that path.
func Resolve(nameOrPath string) (*Profile, error) {
	if nameOrPath == "" {
		nameOrPath = Default
	}
	if slices.Contains(Names(), nameOrPath) {
		return Embedded(nameOrPath)
	}
	if _, err := os.Stat(nameOrPath); err != nil {
		return nil, fmt.Errorf("%w %q: not an embedded profile (%s) and not a readable file", ErrUnknownProfile, nameOrPath, strings.Join(Names(), ", "))
	}
	return LoadFile(nameOrPath)
}

func parse(b []byte, source string, depth int) (*Profile, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ValidationError{Source: source, Problem: "file is empty"}
		}
		return nil, &ValidationError{Source: source, Problem: "not valid YAML or JSON: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, &ValidationError{Source: source, Line: root.Line, Problem: "a profile must be a mapping of keys to values"}
	}
	if err := checkNode(root, reflect.TypeFor[Profile](), "", source); err != nil {
		return nil, err
	}
	base := &Profile{}
	if ext := mappingValue(root, "extends"); ext != nil {
		if depth > 4 {
			return nil, &ValidationError{Source: source, Key: "extends", Line: ext.Line, Problem: "profiles extend each other too deeply (more than 4 levels)"}
		}
		var err error
		base, err = resolveBase(ext.Value, source, depth+1)
		if err != nil {
			return nil, &ValidationError{Source: source, Key: "extends", Line: ext.Line, Problem: err.Error()}
		}
	}
	p := base.Clone()
	if err := root.Decode(p); err != nil {
		return nil, &ValidationError{Source: source, Problem: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if err := p.Validate(); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			ve.Source = source
			ve.Line = keyLine(root, ve.Key)
		}
		return nil, err
	}
	return p, nil
}

func resolveBase(name, source string, depth int) (*Profile, error) {
	if slices.Contains(Names(), name) {
		b, _ := embedded.ReadFile(path.Join("profiles", name+".yaml"))
		return parse(b, name, depth)
	}
	// A relative file name is taken from the folder of the profile that
	// extends it, when that profile is a file.
	file := name
	if !filepath.IsAbs(file) && source != "" && !slices.Contains(Names(), source) {
		if _, err := os.Stat(source); err == nil {
			file = filepath.Join(filepath.Dir(source), name)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("%w %q: not an embedded profile (%s) and not a readable file", ErrUnknownProfile, name, strings.Join(Names(), ", "))
	}
	return parse(b, file, depth)
}

func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func keyLine(root *yaml.Node, dotted string) int {
	n := root
	line := 0
	for _, part := range strings.Split(dotted, ".") {
		if n == nil || n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == part {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// checkNode walks a YAML mapping against the Go type t and reports unknown
// keys and values of the wrong type with their dotted key and line.
func checkNode(n *yaml.Node, t reflect.Type, prefix, source string) error {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return &ValidationError{Source: source, Key: prefix, Line: n.Line, Problem: "wrong type: want a mapping of keys to values"}
		}
		fields := map[string]reflect.StructField{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			fields[name] = f
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			if !ok {
				return &ValidationError{Source: source, Key: join(k.Value), Line: k.Line, Problem: "unknown key" + suggest(k.Value, slices.Collect(maps.Keys(fields)))}
			}
			if seen[k.Value] {
				return &ValidationError{Source: source, Key: join(k.Value), Line: k.Line, Problem: "key given twice"}
			}
			seen[k.Value] = true
			if err := checkNode(v, f.Type, join(k.Value), source); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return &ValidationError{Source: source, Key: prefix, Line: n.Line, Problem: "wrong type: want a mapping of names to numbers"}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if err := checkNode(n.Content[i+1], t.Elem(), join(n.Content[i].Value), source); err != nil {
				return err
			}
		}
		return nil
	default:
		if n.Kind != yaml.ScalarNode {
			return &ValidationError{Source: source, Key: prefix, Line: n.Line, Problem: "wrong type: want " + kindName(t)}
		}
		v := reflect.New(t)
		// A string field takes a number as its text ("version: 2"), not
		// true, false or null.
		numberAsText := n.Tag == "!!int" || n.Tag == "!!float"
		if err := n.Decode(v.Interface()); err != nil || (t.Kind() == reflect.String && n.Tag != "!!str" && !numberAsText) {
			return &ValidationError{Source: source, Key: prefix, Line: n.Line, Problem: fmt.Sprintf("wrong type: want %s, got %q", kindName(t), n.Value)}
		}
		return nil
	}
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.String:
		return "a string"
	}
	return t.String()
}

// suggest returns ` (did you mean "NAME"?)` for the name among names
// closest to key, within an edit distance of 3, or "".
func suggest(key string, names []string) string {
	best, bestD := "", 4
	for _, k := range names {
		if d := editDistance(key, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Set overrides one value, given as a dotted key and a YAML scalar, for
// example Set("face.min_inter_eye_px", "100") or
// Set("face.min_components.Sharpness", "40"). The result is validated; on
// error p is unchanged.
func (p *Profile) Set(key, value string) error {
	parts := strings.Split(key, ".")
	leaf := &yaml.Node{}
	if err := yaml.Unmarshal([]byte(value), leaf); err != nil || len(leaf.Content) != 1 {
		return &ValidationError{Source: p.Name, Key: key, Problem: fmt.Sprintf("cannot read value %q", value)}
	}
	n := leaf.Content[0]
	for i := len(parts) - 1; i >= 0; i-- {
		n = &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Tag: "!!str", Value: parts[i]}, n}}
	}
	if err := checkNode(n, reflect.TypeFor[Profile](), "", "override"); err != nil {
		return err
	}
	q := p.Clone()
	if err := n.Decode(q); err != nil {
		return &ValidationError{Source: "override", Key: key, Problem: err.Error()}
	}
	if err := q.Validate(); err != nil {
		return err
	}
	*p = *q
	return nil
}

// Marshal returns the profile as YAML, in the file format Load reads.
func (p *Profile) Marshal() ([]byte, error) { return yaml.Marshal(p) }
