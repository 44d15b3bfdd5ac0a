package fpmath

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt from this build")

// goldenInputs returns fixed arguments spread over each function's domain.
func goldenInputs() map[string][][2]float64 {
	s := uint64(0x9e3779b97f4a7c15)
	rnd := func() float64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return float64(s>>11) / (1 << 53) }
	in := map[string][][2]float64{}
	for range 64 {
		a, b := rnd(), rnd()
		in["Exp"] = append(in["Exp"], [2]float64{float64(a*80) - 40, 0})
		in["Log"] = append(in["Log"], [2]float64{float64(a*a*1000) + 1e-9, 0})
		in["Log1p"] = append(in["Log1p"], [2]float64{float64(a*4) - 0.99, 0})
		in["Log2"] = append(in["Log2"], [2]float64{a, 0})
		in["Pow"] = append(in["Pow"], [2]float64{a, float64(b*3) - 0.5})
		in["Sin"] = append(in["Sin"], [2]float64{float64(a*20) - 10, 0})
		in["Cos"] = append(in["Cos"], [2]float64{float64(a*20) - 10, 0})
		in["Atan"] = append(in["Atan"], [2]float64{float64(a*100) - 50, 0})
		in["Atan2"] = append(in["Atan2"], [2]float64{float64(a*200) - 100, float64(b*200) - 100})
		in["Hypot"] = append(in["Hypot"], [2]float64{float64(a*200) - 100, float64(b*200) - 100})
		in["Cbrt"] = append(in["Cbrt"], [2]float64{float64(a*2000) - 1000, 0})
	}
	return in
}

var goldenFuncs = map[string]func(a, b float64) float64{
	"Exp":   func(a, _ float64) float64 { return Exp(a) },
	"Log":   func(a, _ float64) float64 { return Log(a) },
	"Log1p": func(a, _ float64) float64 { return Log1p(a) },
	"Log2":  func(a, _ float64) float64 { return Log2(a) },
	"Pow":   Pow,
	"Sin":   func(a, _ float64) float64 { return Sin(a) },
	"Cos":   func(a, _ float64) float64 { return Cos(a) },
	"Atan":  func(a, _ float64) float64 { return Atan(a) },
	"Atan2": Atan2,
	"Hypot": Hypot,
	"Cbrt":  func(a, _ float64) float64 { return Cbrt(a) },
}

func hex(v float64) string { return strconv.FormatFloat(v, 'x', -1, 64) }

// TestGolden checks every function's exact bits on fixed inputs against
// testdata/golden.txt, written by an amd64 (GOAMD64=v1) build with
// -update. It fails on a build that fuses a product or otherwise rounds
// differently: scripts/platforms.sh runs it with GOAMD64=v3, and the
// cross-built test binary runs it on arm64 and js/wasm.
func TestGolden(t *testing.T) {
	path := filepath.Join("testdata", "golden.txt")
	var got []string
	in := goldenInputs()
	order := []string{"Exp", "Log", "Log1p", "Log2", "Pow", "Sin", "Cos", "Atan", "Atan2", "Hypot", "Cbrt"}
	if len(order) != len(goldenFuncs) || len(order) != len(in) {
		t.Fatalf("golden order lists %d functions, goldenFuncs %d, goldenInputs %d: list every function in all three", len(order), len(goldenFuncs), len(in))
	}
	for _, name := range order {
		for _, x := range in[name] {
			got = append(got, fmt.Sprintf("%s %s %s %s", name, hex(x[0]), hex(x[1]), hex(goldenFuncs[name](x[0], x[1]))))
		}
	}
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		want = append(want, sc.Text())
	}
	if len(want) != len(got) {
		t.Fatalf("%d golden lines, %d computed", len(want), len(got))
	}
	bad := 0
	for i := range got {
		if got[i] != want[i] {
			bad++
			if bad <= 10 {
				t.Errorf("got  %s\nwant %s", got[i], want[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d values differ from the golden bits", bad, len(got))
	}
}
