package serve

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/load"
	"github.com/biogate/biogate/report"
)

// testLimits are the limits of the handler tests' server.
var testLimits = Config{MaxBodyBytes: 256 << 10, MaxFiles: 3, Load: &load.Options{MaxPixels: 4 << 20}}

// part is one part of a multipart body.
type part struct {
	field, filename, value string
}

// multipartBody builds a multipart/form-data body of parts, returning it
// with its Content-Type.
func multipartBody(t testing.TB, parts ...part) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := fmt.Sprintf(`form-data; name=%q`, p.field)
		if p.filename != "" {
			cd += fmt.Sprintf(`; filename=%q`, p.filename)
			h.Set("Content-Type", "application/octet-stream")
		}
		h.Set("Content-Disposition", cd)
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, err = io.WriteString(w, p.value)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), buf.Bytes()
}

// decodeProblem reads a problem document.
func decodeProblem(t testing.TB, b []byte) Problem {
	t.Helper()
	var p Problem
	require.NoError(t, json.Unmarshal(b, &p), "%s", b)
	return p
}

// TestServeHandlers runs each route and error case against a live server
// on 127.0.0.1: the status, the problem code, the media type, and (through
// the validating client) the OpenAPI document.
func TestServeHandlers(t *testing.T) {
	s := newServer(t, testLimits)
	base, client := live(t, s)
	finger := fingerPNG(t, 0)
	corrupt := finger[:len(finger)/3]
	mpTwo, mpTwoBody := multipartBody(t, part{"file", "a.png", string(finger)}, part{"file", "b.png", string(tinyPNG(t))}, part{"modality", "", "finger"})
	mpMany, mpManyBody := multipartBody(t, part{"file", "1.png", "x"}, part{"file", "2.png", "x"}, part{"file", "3.png", "x"}, part{"file", "4.png", "x"})
	mpFields := make([]part, maxFields+1)
	for i := range mpFields {
		mpFields[i] = part{"set", "", "face.min_inter_eye_px=100"}
	}
	mpManyFields, mpManyFieldsBody := multipartBody(t, mpFields...)
	mpHuge, mpHugeBody := multipartBody(t, part{"file", "big.png", strings.Repeat("x", 300<<10)})
	mpNone, mpNoneBody := multipartBody(t, part{"modality", "", "face"})
	mpField, mpFieldBody := multipartBody(t, part{"file", "a.png", "x"}, part{"colour", "", "1"})
	mpLongField, mpLongFieldBody := multipartBody(t, part{"file", "a.png", "x"}, part{"profile", "", strings.Repeat("p", maxFieldBytes+1)})

	tests := []struct {
		name, method, path, ctype string
		body                      []byte
		header                    map[string]string
		status                    int
		code                      string // problem code, "" for success
		samples                   int    // samples in a 200 assess batch
	}{
		{"finger", "POST", "/v1/assess?modality=finger&name=print.png", "image/png", finger, nil, 200, "", 1},
		{"auto", "POST", "/v1/assess", "application/octet-stream", finger, nil, 200, "", 1},
		{"override", "POST", "/v1/assess?set=finger.recapture_below=90&profile=ees-usk", "image/png", finger, nil, 200, "", 1},
		{"multipart two files", "POST", "/v1/assess", mpTwo, mpTwoBody, nil, 200, "", 2},
		{"no content type", "POST", "/v1/assess", "", finger, nil, 415, CodeMediaType, 0},
		{"wrong content type", "POST", "/v1/assess", "application/json", []byte(`{}`), nil, 415, CodeMediaType, 0},
		{"text content type", "POST", "/v1/assess", "text/plain", finger, nil, 415, CodeMediaType, 0},
		{"corrupt image", "POST", "/v1/assess", "image/png", corrupt, nil, 400, "input.unreadable", 0},
		{"not an image", "POST", "/v1/assess", "image/png", []byte("hello, I am not a picture"), nil, 400, "input.unreadable", 0},
		{"empty body", "POST", "/v1/assess", "image/png", nil, nil, 400, "input.unreadable", 0},
		{"too small", "POST", "/v1/assess", "image/png", tinyPNG(t), nil, 422, "input.too_small", 0},
		{"pixel bomb", "POST", "/v1/assess", "image/png", pixelBomb(t, 60000, 60000), nil, 413, "input.unreadable", 0},
		{"over max pixels", "POST", "/v1/assess", "image/png", pixelBomb(t, 4096, 1025), nil, 413, "input.unreadable", 0},
		{"body too large", "POST", "/v1/assess", "image/png", bytes.Repeat([]byte{0}, 300<<10), nil, 413, CodeTooLarge, 0},
		{"unknown profile", "POST", "/v1/assess?profile=nope", "image/png", finger, nil, 400, CodeUnknownProfile, 0},
		{"profile path", "POST", "/v1/assess?profile=/etc/passwd", "image/png", finger, nil, 400, CodeUnknownProfile, 0},
		{"bad set value", "POST", "/v1/assess?set=face.min_inter_eye_px=abc", "image/png", finger, nil, 400, CodeInvalid, 0},
		{"set unknown key", "POST", "/v1/assess?set=face.min_eyes=3", "image/png", finger, nil, 400, CodeInvalid, 0},
		{"set without value", "POST", "/v1/assess?set=face.min_inter_eye_px", "image/png", finger, nil, 400, CodeInvalid, 0},
		{"bad modality", "POST", "/v1/assess?modality=iris", "image/png", finger, nil, 400, CodeInvalid, 0},
		{"bad ppi", "POST", "/v1/assess?ppi=-3", "image/png", finger, nil, 400, CodeInvalid, 0},
		{"nan ppi", "POST", "/v1/assess?ppi=NaN", "image/png", finger, nil, 400, CodeInvalid, 0},
		{"unknown parameter", "POST", "/v1/assess?colour=1", "image/png", finger, nil, 400, CodeInvalid, 0},
		{"repeated parameter", "POST", "/v1/assess?modality=face&modality=finger", "image/png", finger, nil, 400, CodeInvalid, 0},
		{"control character in name", "POST", "/v1/assess?name=a%0Ab", "image/png", finger, nil, 400, CodeInvalid, 0},
		{"multipart too many files", "POST", "/v1/assess", mpMany, mpManyBody, nil, 413, CodeTooManyParts, 0},
		{"multipart too many fields", "POST", "/v1/assess", mpManyFields, mpManyFieldsBody, nil, 413, CodeTooManyParts, 0},
		{"multipart huge part", "POST", "/v1/assess", mpHuge, mpHugeBody, nil, 413, CodeTooLarge, 0},
		{"multipart no file", "POST", "/v1/assess", mpNone, mpNoneBody, nil, 400, CodeInvalid, 0},
		{"multipart unknown field", "POST", "/v1/assess", mpField, mpFieldBody, nil, 400, CodeInvalid, 0},
		{"multipart long field", "POST", "/v1/assess", mpLongField, mpLongFieldBody, nil, 413, CodeTooLarge, 0},
		{"multipart no boundary", "POST", "/v1/assess", "multipart/form-data", []byte("x"), nil, 400, CodeInvalid, 0},
		{"multipart malformed", "POST", "/v1/assess", "multipart/form-data; boundary=zz", []byte("--zz\r\nbroken"), nil, 400, CodeInvalid, 0},
		{"multipart name", "POST", "/v1/assess?name=x", mpTwo, mpTwoBody, nil, 400, CodeInvalid, 0},
		{"assess by GET", "GET", "/v1/assess", "", nil, nil, 405, CodeMethod, 0},
		{"unknown path", "GET", "/v2/assess", "", nil, nil, 404, CodeNotFound, 0},
		{"profiles", "GET", "/v1/profiles", "", nil, nil, 200, "", 0},
		{"profile", "GET", "/v1/profiles/ees-usk", "", nil, nil, 200, "", 0},
		{"unknown profile by name", "GET", "/v1/profiles/nope", "", nil, nil, 404, CodeUnknownProfile, 0},
		{"profiles by POST", "POST", "/v1/profiles", "application/json", []byte("{}"), nil, 405, CodeMethod, 0},
		{"healthz", "GET", "/healthz", "", nil, nil, 200, "", 0},
		{"readyz", "GET", "/readyz", "", nil, nil, 200, "", 0},
		{"openapi", "GET", "/openapi.json", "", nil, nil, 200, "", 0},
		{"metrics", "GET", "/metrics", "", nil, nil, 200, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, base+tt.path, bytes.NewReader(tt.body))
			require.NoError(t, err)
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			resp, err := client.Do(req)
			require.NoError(t, err)
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, tt.status, resp.StatusCode, "%.800s", b)
			assert.NotEmpty(t, resp.Header.Get("X-Request-Id"))
			if tt.code != "" {
				assert.Equal(t, "application/problem+json", resp.Header.Get("Content-Type"))
				p := decodeProblem(t, b)
				assert.Equal(t, tt.code, p.Code)
				assert.Equal(t, tt.status, p.Status)
				assert.True(t, strings.HasPrefix(p.Type, "urn:biogate:problem:"), p.Type)
				assert.Equal(t, resp.Header.Get("X-Request-Id"), p.RequestID)
				assert.NotContains(t, string(b), "goroutine", "never a stack trace")
				if strings.HasPrefix(p.Code, "input.") {
					// The CLI's report rides along: one rejected sample
					// with the same reason code.
					require.NotNil(t, p.Report)
					require.Len(t, p.Report.Samples, 1)
					assert.Equal(t, "reject", p.Report.Samples[0].Decision.Outcome.String())
					assert.True(t, p.Report.Samples[0].Decision.Has(p.Code))
				}
				return
			}
			if strings.HasPrefix(tt.path, "/v1/assess") {
				var batch report.Batch
				require.NoError(t, json.Unmarshal(b, &batch))
				assert.Len(t, batch.Samples, tt.samples)
				assert.Equal(t, "test", batch.Version)
				assert.Equal(t, tt.samples, batch.Summary.Total)
			}
		})
	}

	// The sample's name is the report's path; multipart files keep their
	// filenames, in order.
	t.Run("names", func(t *testing.T) {
		resp, err := client.Post(base+"/v1/assess?name=station-4/left-index.png&modality=finger", "image/png", bytes.NewReader(finger))
		require.NoError(t, err)
		var batch report.Batch
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&batch))
		resp.Body.Close()
		require.Len(t, batch.Samples, 1)
		assert.Equal(t, "station-4/left-index.png", batch.Samples[0].Path)
		assert.Equal(t, "finger", batch.Samples[0].Modality.String())
		assert.NotNil(t, batch.Samples[0].Score, "NFIQ 2 scored the print")

		resp, err = client.Post(base+"/v1/assess", mpTwo, bytes.NewReader(mpTwoBody))
		require.NoError(t, err)
		batch = report.Batch{}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&batch))
		resp.Body.Close()
		require.Len(t, batch.Samples, 2)
		assert.Equal(t, "a.png", batch.Samples[0].Path)
		assert.Equal(t, "b.png", batch.Samples[1].Path)
		assert.True(t, batch.Samples[1].Decision.Has("input.too_small"), "a multipart request reports an unassessable file in the batch, as check does")
	})

	// An override is recorded in the report and changes the decision.
	t.Run("override recorded", func(t *testing.T) {
		resp, err := client.Post(base+"/v1/assess?modality=finger&set=finger.recapture_below=100", "image/png", bytes.NewReader(finger))
		require.NoError(t, err)
		var batch report.Batch
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&batch))
		resp.Body.Close()
		assert.Equal(t, []string{"finger.recapture_below=100"}, batch.Profile.Overrides)
		assert.Equal(t, 100.0, batch.Thresholds.Finger.RecaptureBelow)
		require.Len(t, batch.Samples, 1)
		assert.Equal(t, "recapture", batch.Samples[0].Decision.Outcome.String(), "no NFIQ 2 score reaches 100")
	})

	// Every problem was counted by code, every decision by outcome.
	t.Run("metrics counted", func(t *testing.T) {
		assert.Equal(t, 3.0, testutil.ToFloat64(s.metrics.rejected.WithLabelValues(CodeMediaType)))
		assert.Equal(t, 1.0, testutil.ToFloat64(s.metrics.rejected.WithLabelValues("input.too_small")))
		assert.Equal(t, 2.0, testutil.ToFloat64(s.metrics.requests.WithLabelValues("healthz", "200"))+testutil.ToFloat64(s.metrics.requests.WithLabelValues("readyz", "200")))
		assert.GreaterOrEqual(t, testutil.ToFloat64(s.metrics.decisions.WithLabelValues("finger", "accept"))+
			testutil.ToFloat64(s.metrics.decisions.WithLabelValues("finger", "recapture")), 5.0)
		// A client has the whole response before the handler's deferred
		// bookkeeping has run: wait a little for the last request to end.
		assert.Eventually(t, func() bool { return testutil.ToFloat64(s.metrics.inFlight) == 0 }, 5*time.Second, 5*time.Millisecond,
			"no request in flight (gauge %v)", testutil.ToFloat64(s.metrics.inFlight))
		assert.Eventually(t, func() bool { return testutil.ToFloat64(s.metrics.admitted) == 0 }, 5*time.Second, 5*time.Millisecond,
			"every admission slot released (gauge %v)", testutil.ToFloat64(s.metrics.admitted))
		resp, err := client.Get(base + "/metrics")
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, name := range []string{"biogate_http_requests_total", "biogate_http_request_duration_seconds_bucket", "biogate_http_requests_in_flight",
			"biogate_http_rejected_total", "biogate_decisions_total", "biogate_assess_duration_seconds", "biogate_workers_busy", "go_goroutines"} {
			assert.Contains(t, string(b), name)
		}
	})
}

// TestServeAuthAndCORS checks the bearer token (constant-time compare;
// /healthz and /readyz stay open) and the CORS policy.
func TestServeAuthAndCORS(t *testing.T) {
	s := newServer(t, Config{Token: "s3cret-token-0123456789", CORSOrigins: []string{"http://capture.local"}})
	base, client := live(t, s)
	tests := []struct {
		name, path, auth, origin string
		status                   int
	}{
		{"no token", "/v1/profiles", "", "", 401},
		{"wrong token", "/v1/profiles", "Bearer s3cret-token-0123456788", "", 401},
		{"basic auth", "/v1/profiles", "Basic czNjcmV0", "", 401},
		{"token", "/v1/profiles", "Bearer s3cret-token-0123456789", "", 200},
		{"token lower-case scheme", "/v1/profiles", "bearer s3cret-token-0123456789", "", 200},
		{"metrics need the token", "/metrics", "", "", 401},
		{"healthz open", "/healthz", "", "", 200},
		{"readyz open", "/readyz", "", "", 200},
		{"allowed origin", "/v1/profiles", "Bearer s3cret-token-0123456789", "http://capture.local", 200},
		{"other origin", "/v1/profiles", "Bearer s3cret-token-0123456789", "http://evil.example", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", base+tt.path, nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			resp, err := client.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
			if tt.status == 401 {
				assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Bearer")
			}
			want := ""
			if tt.origin == "http://capture.local" {
				want = tt.origin
			}
			assert.Equal(t, want, resp.Header.Get("Access-Control-Allow-Origin"))
		})
	}
	t.Run("preflight", func(t *testing.T) {
		req, _ := http.NewRequest("OPTIONS", base+"/v1/assess", nil)
		req.Header.Set("Origin", "http://capture.local")
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 204, resp.StatusCode)
		assert.Contains(t, resp.Header.Get("Access-Control-Allow-Headers"), "Authorization")
	})
}

// TestServeProfiles checks that the profile routes say what `biogate
// profiles` says.
func TestServeProfiles(t *testing.T) {
	s := newServer(t, Config{Sets: []string{"face.min_inter_eye_px=90"}})
	base, client := live(t, s)
	resp, err := client.Get(base + "/v1/profiles")
	require.NoError(t, err)
	var l ProfileList
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&l))
	resp.Body.Close()
	assert.Equal(t, "ees-usk", l.Default.Name)
	assert.Equal(t, []string{"face.min_inter_eye_px=90"}, l.Default.Overrides)
	require.NotEmpty(t, l.Profiles)
	for _, p := range l.Profiles {
		resp, err := client.Get(base + "/v1/profiles/" + p.Name)
		require.NoError(t, err)
		var got map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
		resp.Body.Close()
		assert.Equal(t, p.Name, got["name"])
		assert.Equal(t, p.Version, got["version"])
	}
}

// TestServeRequestIDs checks that a caller's request id is echoed and a
// hostile one replaced.
func TestServeRequestIDs(t *testing.T) {
	s := newServer(t, Config{})
	base, client := live(t, s)
	for _, tt := range []struct{ sent, want string }{
		{"abc-123.X_y", "abc-123.X_y"},
		{"has space", ""},
		{strings.Repeat("a", 65), ""},
	} {
		req, _ := http.NewRequest("GET", base+"/healthz", nil)
		req.Header.Set("X-Request-Id", tt.sent)
		resp, err := client.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		got := resp.Header.Get("X-Request-Id")
		if tt.want != "" {
			assert.Equal(t, tt.want, got)
		} else {
			assert.NotEqual(t, tt.sent, got)
			assert.Len(t, got, 16)
		}
	}
}

// TestServeIsLoopback checks which listener addresses count as loopback.
func TestServeIsLoopback(t *testing.T) {
	for _, tt := range []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, true},
		{&net.TCPAddr{IP: net.IPv4(127, 3, 2, 1)}, true},
		{&net.TCPAddr{IP: net.IPv6loopback}, true},
		{&net.TCPAddr{IP: net.IPv4zero}, false},
		{&net.TCPAddr{IP: net.IPv6unspecified}, false},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 2)}, false},
		{&net.UnixAddr{Name: "/tmp/x.sock", Net: "unix"}, false},
	} {
		assert.Equal(t, tt.want, IsLoopback(tt.addr), tt.addr.String())
	}
}
