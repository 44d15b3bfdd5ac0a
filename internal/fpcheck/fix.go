//go:build ignore

// Command fix lists the fusable products of the packages given and, with
// WRITE=1, wraps each in an explicit conversion (x*y + z becomes
// float64(x*y) + z), which keeps the arithmetic and its order:
//
//	go run internal/fpcheck/fix.go ./face            # list
//	WRITE=1 go run internal/fpcheck/fix.go ./face    # rewrite
//
// A product stored by *= cannot be wrapped in place: it is listed only.
package main

import (
	"fmt"
	"os"
	"sort"

	"github.com/biogate/biogate/internal/fpcheck"
)

func main() {
	write := os.Getenv("WRITE") == "1"
	for _, dir := range os.Args[1:] {
		sites, err := fpcheck.Dir(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		byFile := map[string][]fpcheck.Site{}
		for _, s := range sites {
			fmt.Println(s)
			byFile[s.Pos.Filename] = append(byFile[s.Pos.Filename], s)
		}
		if !write {
			continue
		}
		for name, ss := range byFile {
			b, _ := os.ReadFile(name)
			type ins struct {
				pos  int
				text string
				open bool
			}
			var is []ins
			for _, s := range ss {
				if s.Start < 0 {
					continue
				}
				is = append(is, ins{s.Start, s.Type + "(", true}, ins{s.End, ")", false})
			}
			sort.SliceStable(is, func(i, j int) bool {
				if is[i].pos != is[j].pos {
					return is[i].pos > is[j].pos
				}
				return is[i].open && !is[j].open
			})
			for _, x := range is {
				b = append(b[:x.pos], append([]byte(x.text), b[x.pos:]...)...)
			}
			if err := os.WriteFile(name, b, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}
}
