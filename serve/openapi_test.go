package serve

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeOpenAPI checks that the OpenAPI document is valid OpenAPI 3,
// is what /openapi.json serves, documents every route, and that the
// response validator the tests use does reject what the document does not
// allow.
func TestServeOpenAPI(t *testing.T) {
	router, err := spec()
	require.NoError(t, err, "the OpenAPI document validates")
	s := newServer(t, Config{})
	base, client := live(t, s)
	resp, err := client.Get(base + "/openapi.json")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, OpenAPI(), b)

	for _, r := range []struct{ method, path string }{
		{"POST", "/v1/assess"}, {"GET", "/v1/profiles"}, {"GET", "/v1/profiles/ees-usk"}, {"GET", "/healthz"},
		{"GET", "/readyz"}, {"GET", "/metrics"}, {"GET", "/openapi.json"},
	} {
		req, _ := http.NewRequest(r.method, base+r.path, nil)
		_, _, err := router.FindRoute(req)
		assert.NoError(t, err, "%s %s documented", r.method, r.path)
	}

	req, _ := http.NewRequest("POST", base+"/v1/assess", nil)
	check := func(status int, ctype, body string) error {
		resp := &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {ctype}}}
		if status == 503 {
			resp.Header.Set("Retry-After", "1")
		}
		return validateResponse(req, resp, []byte(body))
	}
	problem := `{"type":"urn:biogate:problem:busy","title":"t","status":503,"code":"server.busy"}`
	assert.NoError(t, check(503, "application/problem+json", problem))
	assert.Error(t, check(503, "application/problem+json", `{"type":"urn:biogate:problem:busy","title":"t","status":503}`), "a problem without code")
	assert.Error(t, check(418, "application/problem+json", string(bytes.ReplaceAll([]byte(problem), []byte("503"), []byte("418")))), "an undocumented status")
	assert.Error(t, check(200, "application/json", `{"tool":"biogate","version":"1","profile":{"name":"x","version":"1"},"summary":{"total":0,"accept":0,"recapture":0,"warn_operator":0,"reject":0,"reasons":{}}}`), "a batch without samples")
	assert.Error(t, check(200, "application/json", `{"tool":"biogate","version":"1","profile":{"name":"x","version":"1"},"summary":{"total":0,"accept":0,"recapture":0,"warn_operator":0,"reject":0,"reasons":{}},"samples":[{"path":"a","modality":"iris","profile":{"name":"x","version":"1"},"measures":{},"decision":{"outcome":"accept","reasons":null}}]}`), "an unknown modality")
	assert.NoError(t, check(200, "application/json", `{"tool":"biogate","version":"1","profile":{"name":"x","version":"1"},"summary":{"total":0,"accept":0,"recapture":0,"warn_operator":0,"reject":0,"reasons":{}},"samples":[{"path":"a","modality":"face","profile":{"name":"x","version":"1"},"measures":{"Sharpness":{"value":null}},"decision":{"outcome":"accept","reasons":null}}]}`))
}
