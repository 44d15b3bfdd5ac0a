package gate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// SampleExtensions lists the file name endings picked up when a folder is
// walked. Files named explicitly are read whatever their name.
var SampleExtensions = []string{
	".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp",
	".wsq", ".pgm", ".ppm", ".pnm", ".jp2", ".j2k", ".iso", ".fir", ".fac",
}

// Input is one path to assess: a sample file, or an argument or folder
// entry that could not be read, with Err saying why (without the path).
type Input struct {
	Path string
	Err  error
}

// Expand turns command-line arguments (files, folders walked recursively,
// and glob patterns) into a list of sample files: folder contents in
// lexical order, each file once. Arguments that match nothing are returned
// as errors; the rest are still expanded. ExpandInputs keeps those in the
// list.
func Expand(args []string) ([]string, []error) {
	var out []string
	var errs []error
	for _, in := range ExpandInputs(args) {
		if in.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", in.Path, in.Err))
			continue
		}
		out = append(out, in.Path)
	}
	return out, errs
}

// ExpandInputs is Expand keeping, in their place, each argument or path
// found that could not be read (a missing file, a pattern matching
// nothing, a folder or subfolder that cannot be listed, a broken symbolic
// link, a folder with no sample file) as an Input with Err set, so that a
// report can list it. Symbolic links found in folders are followed to
// files, not to folders; a link to a folder given as an argument is walked. "-" (standard input) is kept as given.
func ExpandInputs(args []string) []Input {
	var out []Input
	seen := map[string]bool{}
	add := func(p string, err error) {
		if !seen[p] {
			seen[p] = true
			out = append(out, Input{Path: p, Err: err})
		}
	}
	isSample := func(p string) bool {
		return slices.Contains(SampleExtensions, strings.ToLower(filepath.Ext(p)))
	}
	for _, arg := range args {
		if arg == "-" {
			add(arg, nil)
			continue
		}
		matches := []string{arg}
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				add(arg, fmt.Errorf("bad pattern: %w", err))
				continue
			}
			if len(m) == 0 {
				add(arg, errors.New("no file matches the pattern"))
				continue
			}
			matches = m
		}
		for _, p := range matches {
			st, err := os.Stat(p)
			if err != nil {
				add(p, pathless(err))
				continue
			}
			if !st.IsDir() {
				add(p, nil)
				continue
			}
			n := 0
			root := p
			if lst, err := os.Lstat(p); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
				// A symbolic link to a folder, given as an argument, is
				// walked (WalkDir does not follow its root): with a
				// trailing separator the system resolves it, and the
				// paths found keep the name given.
				root = p + string(filepath.Separator)
			}
			err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					// A folder that cannot be listed (or vanished).
					add(path, pathless(err))
					n++
					return nil
				}
				if d.IsDir() {
					if path != root && strings.HasPrefix(d.Name(), ".") {
						return filepath.SkipDir
					}
					return nil
				}
				if !isSample(path) {
					return nil
				}
				if d.Type()&fs.ModeSymlink != 0 {
					st, err := os.Stat(path)
					switch {
					case err != nil:
						add(path, fmt.Errorf("broken symbolic link: %w", pathless(err)))
					case st.IsDir():
						return nil // links to folders are not followed
					default:
						add(path, nil)
					}
					n++
					return nil
				}
				// Named pipes and devices are listed too: the loader
				// refuses them unless asked, and the report says so.
				add(path, nil)
				n++
				return nil
			})
			if err != nil {
				add(p, pathless(err))
				continue
			}
			if n == 0 {
				add(p, fmt.Errorf("folder holds no sample files (%s)", strings.Join(SampleExtensions, " ")))
			}
		}
	}
	return out
}

// pathless drops the path from a file system error (the report names the
// path already): "permission denied", not "open /x: permission denied".
func pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
