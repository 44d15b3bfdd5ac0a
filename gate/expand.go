package gate

import (
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

// Expand turns command-line arguments (files, folders walked recursively,
// and glob patterns) into a list of sample files: folder contents in
// lexical order, each file once. Arguments that match nothing are returned
// as errors; the rest are still expanded.
func Expand(args []string) ([]string, []error) {
	var out []string
	var errs []error
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, arg := range args {
		matches := []string{arg}
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: bad pattern: %w", arg, err))
				continue
			}
			if len(m) == 0 {
				errs = append(errs, fmt.Errorf("%s: no file matches", arg))
				continue
			}
			matches = m
		}
		for _, p := range matches {
			st, err := os.Stat(p)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !st.IsDir() {
				add(p)
				continue
			}
			n := 0
			err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					errs = append(errs, err)
					return nil
				}
				if d.IsDir() {
					if path != p && strings.HasPrefix(d.Name(), ".") {
						return filepath.SkipDir
					}
					return nil
				}
				if d.Type().IsRegular() && slices.Contains(SampleExtensions, strings.ToLower(filepath.Ext(path))) {
					add(path)
					n++
				}
				return nil
			})
			if err != nil {
				errs = append(errs, err)
			}
			if n == 0 {
				errs = append(errs, fmt.Errorf("%s: folder holds no sample files (%s)", p, strings.Join(SampleExtensions, " ")))
			}
		}
	}
	return out, errs
}
