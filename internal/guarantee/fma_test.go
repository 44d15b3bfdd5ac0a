package guarantee

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// fmaFree lists the packages whose float results must be the same bits on
// every platform, so their compiled code must contain no fused
// multiply-add (Go fuses x*y + z on arm64, ppc64le, s390x, riscv64,
// loong64 and amd64 with GOAMD64=v3 unless the product is converted
// explicitly: float32(x*y) + z). Add a package here once it follows that
// rule.
var fmaFree = []string{
	"github.com/biogate/biogate/internal/nn",
	"github.com/biogate/biogate/face/internal/facemesh",
}

// fmaInstr matches the fused multiply-add mnemonics of Go's assemblers:
// FMADD/FMSUB/FNMADD/FNMSUB with optional S/D/F suffix (arm64, ppc64,
// s390x, riscv64, loong64) and VFMADD…/VFNMSUB… (amd64 v3).
var fmaInstr = regexp.MustCompile(`\s(FN?M(ADD|SUB)[SDF]?|VFN?M(ADD|SUB)\w*)\s`)

// TestNoFusedMultiplyAdd compiles the packages of fmaFree for every
// architecture where Go fuses, with the compiler's assembly listing, and
// fails on any fused instruction whose source line is in those packages.
// The go command replays the listing from its build cache, so repeat runs
// are fast; the first run builds the standard library for each target.
func TestNoFusedMultiplyAdd(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles for six targets")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	targets := []struct{ goarch, goamd64 string }{
		{"arm64", ""}, {"ppc64le", ""}, {"s390x", ""}, {"riscv64", ""}, {"loong64", ""}, {"amd64", "v3"},
	}
	for _, tg := range targets {
		name := tg.goarch + tg.goamd64
		t.Run(name, func(t *testing.T) {
			args := []string{"build", "-o", "/dev/null"}
			for _, p := range fmaFree {
				args = append(args, "-gcflags="+p+"=-S")
			}
			args = append(args, fmaFree...)
			cmd := exec.Command(goTool, args...)
			cmd.Env = append(cmd.Environ(), "GOOS=linux", "GOARCH="+tg.goarch, "CGO_ENABLED=0")
			if tg.goamd64 != "" {
				cmd.Env = append(cmd.Env, "GOAMD64="+tg.goamd64)
			}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("go build for %s: %v\n%s", name, err, lastLines(string(out), 10))
			}
			listed := map[string]int{}
			for _, line := range strings.Split(string(out), "\n") {
				pkg := sourcePackage(line)
				if pkg == "" {
					continue
				}
				listed[pkg]++
				if fmaInstr.MatchString(line) {
					t.Errorf("%s: fused multiply-add: %s", name, strings.TrimSpace(line))
				}
			}
			for _, p := range fmaFree {
				if listed[p] == 0 {
					t.Errorf("%s: no assembly listed for %s (the check would pass vacuously)", name, p)
				}
			}
		})
	}
}

// sourcePackage returns which fmaFree package an assembly line's source
// position belongs to, or "".
func sourcePackage(line string) string {
	for _, p := range fmaFree {
		dir := "/" + strings.TrimPrefix(p, "github.com/biogate/biogate/") + "/"
		i := strings.Index(line, dir)
		if i < 0 || !strings.Contains(line[:i], "(") {
			continue
		}
		rest := line[i+len(dir):]
		if j := strings.IndexByte(rest, ':'); j > 0 && !strings.Contains(rest[:j], "/") && strings.HasSuffix(rest[:j], ".go") {
			return p
		}
	}
	return ""
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
