package thresholds

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// subset reports the keys of doc whose value differs from full's (""
// values in doc, such as extends, stand for absent keys).
func subset(doc, full map[string]any, prefix string) []string {
	var bad []string
	for k, v := range doc {
		key := prefix + k
		if sub, ok := v.(map[string]any); ok {
			fsub, _ := full[k].(map[string]any)
			bad = append(bad, subset(sub, fsub, key+".")...)
			continue
		}
		if v == "" && full[k] == nil {
			continue
		}
		if full[k] != v {
			bad = append(bad, key)
		}
	}
	return bad
}

// TestDocExampleIsEESUSK checks that the package doc's example profile,
// which says it is ees-usk, states ees-usk's values: it showed
// Sharpness: 20 where the profile has 30 and three other floors.
func TestDocExampleIsEESUSK(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	var block []string
	for _, line := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, "//\t"); ok {
			block = append(block, rest)
		}
	}
	require.NotEmpty(t, block, "no example in doc.go")
	var doc map[string]any
	require.NoError(t, yaml.Unmarshal([]byte(strings.Join(block, "\n")), &doc))
	require.Equal(t, "ees-usk", doc["name"])
	y, err := MustEmbedded("ees-usk").Marshal()
	require.NoError(t, err)
	var full map[string]any
	require.NoError(t, yaml.Unmarshal(y, &full))
	assert.Empty(t, subset(doc, full, ""), "doc.go's example differs from ees-usk at these keys")
	comps, _ := full["face"].(map[string]any)["min_components"].(map[string]any)
	docComps, _ := doc["face"].(map[string]any)["min_components"].(map[string]any)
	assert.Len(t, docComps, len(comps), "the example lists every component floor")
}
