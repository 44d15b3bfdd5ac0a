package nfiq2

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

var updatePlatformGolden = flag.Bool("update-platform-golden", false, "rewrite testdata/platform_golden.txt from this build (amd64, GOAMD64=v1)")

// TestPlatformGolden computes every measure and feedback value of the
// module's synthetic prints (testdata/finger) and compares their exact
// bits with testdata/platform_golden.txt, written by an amd64 (GOAMD64=v1)
// build: it fails when a build fuses a multiply-add (GOAMD64=v3, arm64) or
// otherwise rounds differently. scripts/platforms.sh runs it with
// GOAMD64=v3. Regenerate with -update-platform-golden after a deliberate
// change of the measures.
func TestPlatformGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "finger", "*.png"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in testdata/finger: %v", err)
	}
	var got []string
	for _, f := range files {
		res, err := Compute(loadGray(t, f))
		name := filepath.Base(f)
		if err != nil {
			got = append(got, fmt.Sprintf("%s error %v", name, err))
			continue
		}
		fb := res.Feedback
		got = append(got, fmt.Sprintf("%s feedback %s %s %s", name,
			strconv.FormatFloat(fb.UniformImage, 'x', -1, 64),
			strconv.FormatFloat(fb.EmptyImageOrContrastTooLow, 'x', -1, 64),
			strconv.FormatFloat(fb.SufficientFingerprintForeground, 'x', -1, 64)))
		for _, m := range res.Measures {
			got = append(got, fmt.Sprintf("%s %s %s", name, m.Name, strconv.FormatFloat(m.Value, 'x', -1, 64)))
		}
	}
	path := filepath.Join("testdata", "platform_golden.txt")
	if *updatePlatformGolden {
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
		t.Fatalf("%v (-update-platform-golden writes it)", err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		want = append(want, sc.Text())
	}
	if len(got) != len(want) {
		t.Fatalf("%d values, golden has %d", len(got), len(want))
	}
	bad := 0
	for i := range got {
		if got[i] != want[i] {
			if bad++; bad <= 10 {
				t.Errorf("got  %s\nwant %s", got[i], want[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d values differ from the golden bits", bad, len(got))
	}
}
