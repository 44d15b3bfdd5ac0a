package finger

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/internal/corpus"
	"github.com/biogate/biogate/internal/readme"
	"github.com/biogate/biogate/load"
)

// probeAgrees applies the corpus suites' tolerance: histogram bins and
// counts exactly, other values within 1e-3 relative.
func probeAgrees(name string, got, want float64) bool {
	if got == want {
		return true
	}
	exact := strings.Contains(name, "_Bin10_") && !strings.HasSuffix(name, "Mean") && !strings.HasSuffix(name, "StdDev") ||
		strings.HasPrefix(name, "FingerJetFX_") || name == "AQF_FingerprintImageWithMinutiae" || name == "AQF_SufficientFingerprintForeground"
	return !exact && math.Abs(got-want) <= 1e-3*math.Abs(want)
}

// TestCorpusProbesNIST assesses the probes cut from a corpus print
// (fingertips and strips 72-120 px tall, a blurred, a faint, a halved and
// a too wide copy; MANIFEST.csv) and compares with NIST NFIQ 2 v2.3.0's
// output on each (nist_measures.csv): every image NIST refuses is refused
// with NIST's own message (RefusalError.NIST), every image NIST scores is
// scored, with all 69 measures and the 4 feedback values equal to NIST's
// (bins and counts exactly, other values within 1e-3 relative; the count
// of bit-identical values is printed).
func TestCorpusProbesNIST(t *testing.T) {
	dir := corpus.Dir(t, "finger", "probes")
	f, err := os.Open(filepath.Join(dir, "nist_measures.csv"))
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	nist := map[string]map[string]string{}
	var order []string
	for _, r := range recs[1:] {
		if nist[r[0]] == nil {
			nist[r[0]] = map[string]string{}
			order = append(order, r[0])
		}
		nist[r[0]][r[1]] = r[2]
	}
	require.Len(t, order, 13, "13 probes")

	a := New(nil)
	parity, refused, scored, values, exact, total := 0, 0, 0, 0, 0, 0
	for _, name := range order {
		want := nist[name]
		img, err := load.FileImage(filepath.Join(dir, name), nil)
		require.NoError(t, err, name)
		rep, err := a.Assess(img.Image, 0)
		if msg, ok := want["error"]; ok {
			refused++
			var re *RefusalError
			if assert.ErrorIs(t, err, ErrUnscorable, "%s: NIST refuses it: %s", name, msg) &&
				assert.True(t, errors.As(err, &re), "%s: %v has no RefusalError", name, err) &&
				assert.Equal(t, strings.TrimSpace(msg), re.NIST, "%s: NIST's message", name) {
				parity++
				t.Logf("%-22s refused as NIST: %s: %s", name, re.Module, re.NIST)
			}
			continue
		}
		scored++
		if !assert.NoError(t, err, "%s: NIST scores it", name) {
			continue
		}
		parity++
		got := map[string]float64{
			"AQF_UniformImage":                    rep.Feedback.UniformImage,
			"AQF_EmptyImageOrContrastTooLow":      rep.Feedback.EmptyImageOrContrastTooLow,
			"AQF_FingerprintImageWithMinutiae":    rep.Feedback.FingerprintImageWithMinutiae,
			"AQF_SufficientFingerprintForeground": rep.Feedback.SufficientFingerprintForeground,
		}
		for _, m := range rep.Measures {
			got[m.Name] = m.Value
		}
		names := append(append([]string{}, FeatureNames[:]...), "AQF_UniformImage", "AQF_EmptyImageOrContrastTooLow",
			"AQF_FingerprintImageWithMinutiae", "AQF_SufficientFingerprintForeground")
		ok := 0
		for _, n := range names {
			w, err := strconv.ParseFloat(want[n], 64)
			require.NoError(t, err, "%s %s", name, n)
			g, have := got[n]
			total++
			if have && g == w {
				exact++
			}
			if assert.True(t, have && probeAgrees(n, g, w), "%s %s: ours %.17g, NIST %.17g", name, n, g, w) {
				ok++
			}
		}
		values += ok
		t.Logf("%-22s scored as NIST: %d/%d values agree, NFIQ 2 %d", name, ok, len(names), rep.Score.Value)
	}
	t.Logf("refusal parity %d/%d probes (%d refused, %d scored); values of the scored probes: %d/%d agree, %d/%d bit-identical",
		parity, len(order), refused, scored, values, total, exact, total)
	readme.Require(t, fmt.Sprintf("%d/%d refused or scored as NIST**, the %d refusals with NIST's exact message", parity, len(order), refused))
	readme.Require(t, fmt.Sprintf("the %d scored with %d/%d values (69 measures, 4 feedback) equal to NIST's (%d bit-identical)", scored, values, total, exact))
}
