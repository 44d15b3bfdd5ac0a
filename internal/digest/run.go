package digest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/internal/corpus"
)

// Sample is one file to assess with the name it has in the dump.
type Sample struct {
	// Path is where the file is read from.
	Path string
	// Name is the file's name in the dump: its path relative to the parent
	// of the root it was found under, with '/' separators.
	Name string
}

// Expand lists the sample files under roots (files, folders walked
// recursively, glob patterns; see gate.Expand) with their dump names: the
// path relative to base when base is not "" and the file is under it, else
// relative to the parent of the root the file was found under. The list is
// sorted by name.
func Expand(roots []string, base string) ([]Sample, error) {
	var out []Sample
	var errs []error
	for _, root := range roots {
		paths, es := gate.Expand([]string{root})
		errs = append(errs, es...)
		parent := filepath.Dir(filepath.Clean(root))
		for _, p := range paths {
			rel, err := filepath.Rel(parent, p)
			if base != "" {
				if r, err2 := filepath.Rel(base, p); err2 == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
					rel, err = r, nil
				}
			}
			if err != nil {
				rel = filepath.Base(p)
			}
			out = append(out, Sample{Path: p, Name: filepath.ToSlash(rel)})
		}
	}
	slices.SortStableFunc(out, func(a, b Sample) int { return strings.Compare(a.Name, b.Name) })
	return out, errors.Join(errs...)
}

// Run assesses every sample with g, using workers goroutines (0: one per
// CPU), and returns their digest. The digest does not depend on workers or
// on the order of samples.
func Run(ctx context.Context, g *gate.Gate, samples []Sample, workers int) (*Digest, error) {
	paths := make([]string, len(samples))
	for i, s := range samples {
		paths[i] = s.Path
	}
	d := &Digest{}
	err := g.Run(ctx, paths, workers, func(i int, r gate.Report) {
		d.Add(samples[i].Name, r)
	})
	if err != nil {
		return nil, fmt.Errorf("digest: %w", err)
	}
	return d, nil
}

// DefaultRoots returns what the digest covers when no path is given: the
// reference corpus (BIOGATE_CORPUS, or ../shared/corpus beside the module
// root) when there is one, and the module's testdata folder when the
// working directory is inside the module.
func DefaultRoots() []string {
	var roots []string
	if p := corpus.Path(); p != "" {
		roots = append(roots, p)
	}
	if root := moduleRoot(); root != "" {
		td := filepath.Join(root, "testdata")
		if st, err := os.Stat(td); err == nil && st.IsDir() {
			roots = append(roots, td)
		}
	}
	return roots
}

// moduleRoot is the nearest folder at or above the working directory that
// holds a go.mod, "" when there is none.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
