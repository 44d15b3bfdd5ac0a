package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/biogate/biogate/gate"
	"github.com/biogate/biogate/internal/corpus"
)

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs `biogate serve -addr 127.0.0.1:0 args…` in-process until
// ctx ends, and returns its base URL, its exit code channel and its
// standard error.
func startServe(t *testing.T, ctx context.Context, args ...string) (string, <-chan int, *lockedBuffer) {
	t.Helper()
	addrs := make(chan net.Addr, 1)
	testHookServeListening = func(a net.Addr) { addrs <- a }
	t.Cleanup(func() { testHookServeListening = nil })
	var stdout bytes.Buffer
	stderr := &lockedBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0", "-log", "json"}, args...), strings.NewReader(""), &stdout, stderr)
	}()
	select {
	case a := <-addrs:
		return "http://" + a.String(), code, stderr
	case c := <-code:
		t.Fatalf("serve exited %d: %s", c, stderr.String())
	case <-time.After(time.Minute):
		t.Fatal("serve did not start listening within a minute")
	}
	return "", nil, nil
}

// samples splits a batch document into its header (every member but
// summary and samples) and its samples, each compacted: the bytes to
// compare, whatever the indentation.
func samples(t *testing.T, doc []byte) (header map[string]string, out []string) {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc, &m), "%.300s", doc)
	header = map[string]string{}
	for k, v := range m {
		if k == "summary" || k == "samples" {
			continue
		}
		var c bytes.Buffer
		require.NoError(t, json.Compact(&c, v))
		header[k] = c.String()
	}
	var raw []json.RawMessage
	require.NoError(t, json.Unmarshal(m["samples"], &raw))
	for _, r := range raw {
		var c bytes.Buffer
		require.NoError(t, json.Compact(&c, r))
		out = append(out, c.String())
	}
	return header, out
}

// agreementFiles returns every sample file of the corpus and of testdata/
// (as check walks them), or under the race detector a fixed subset: every
// 64th.
func agreementFiles(t *testing.T) []string {
	t.Helper()
	root := corpus.Dir(t)
	files, errs := gate.Expand([]string{root, filepath.Join("..", "..", "testdata")})
	require.Empty(t, errs)
	require.NotEmpty(t, files)
	if serveRace || testing.Short() {
		var sub []string
		for i := 0; i < len(files); i += 64 {
			sub = append(sub, files[i])
		}
		files = sub
	}
	return files
}

// TestServeCorpusAgreesWithCheck posts every corpus and testdata file to
// `biogate serve` and checks each report against `biogate check -format
// json` over the same files: the same header (tool, version, profile,
// thresholds) and, sample by sample, the same bytes (compacted JSON: the
// service nests a report that cannot be assessed one level deeper, in its
// problem document). There are no timing fields to remove. Files that
// cannot be assessed must be answered with the problem status of their
// reason code.
func TestServeCorpusAgreesWithCheck(t *testing.T) {
	files := agreementFiles(t)
	code, cliOut, cliErr := runCLI(t, append([]string{"check", "-q", "-format", "json", "-j", "2"}, files...)...)
	require.Contains(t, []int{0, 1, 2}, code, cliErr)
	cliHeader, cliSamples := samples(t, []byte(cliOut))

	ctx, cancel := context.WithCancel(context.Background())
	// This test is about agreement, not deadlines: on a shared machine
	// under the race detector one portrait has taken over 30 s (the
	// default -timeout), so the deadline here is far out of reach.
	base, exit, stderr := startServe(t, ctx, "-j", "2", "-max-body", "268435456", "-timeout", "10m")
	// Two requests in flight, as many as the service's workers, so that
	// both cores work; answers are checked in input order afterwards.
	type answer struct {
		status int
		ctype  string
		body   []byte
		err    error
	}
	answers := make([]answer, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				a := &answers[i]
				data, err := os.ReadFile(files[i])
				if err != nil {
					a.err = err
					continue
				}
				resp, err := http.Post(base+"/v1/assess?name="+url.QueryEscape(files[i]), "application/octet-stream", bytes.NewReader(data))
				if err != nil {
					a.err = err
					continue
				}
				a.body, a.err = io.ReadAll(resp.Body)
				resp.Body.Close()
				a.status, a.ctype = resp.StatusCode, resp.Header.Get("Content-Type")
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	var got []string
	status := map[int]int{}
	for i, f := range files {
		a := answers[i]
		require.NoError(t, a.err, f)
		status[a.status]++
		doc := a.body
		if a.status != 200 {
			require.Equal(t, "application/problem+json", a.ctype, "%s: %s", f, a.body)
			var p struct {
				Code   string          `json:"code"`
				Report json.RawMessage `json:"report"`
			}
			require.NoError(t, json.Unmarshal(a.body, &p))
			require.NotEmpty(t, p.Report, "%s: %d without the report: %s", f, a.status, a.body)
			want := map[string]int{"input.too_small": 422, "input.unreadable": 400}[p.Code]
			if a.status != 413 {
				assert.Equal(t, want, a.status, "%s: %s", f, p.Code)
			}
			doc = p.Report
		}
		h, s := samples(t, doc)
		assert.Equal(t, cliHeader, h, f)
		got = append(got, s...)
	}
	cancel()
	assert.Equal(t, 0, <-exit, stderr.String())

	require.Equal(t, len(cliSamples), len(got), "as many reports as check")
	differ := 0
	for i := range got {
		if got[i] != cliSamples[i] {
			differ++
			if differ <= 3 {
				t.Errorf("sample %d differs:\ncheck: %.400s\nserve: %.400s", i, cliSamples[i], got[i])
			}
		}
	}
	assert.Zero(t, differ, "reports differing from check's")
	t.Logf("%d files, %d reports, all equal to check's; statuses %v", len(files), len(got), status)
}

// TestServeMultipartIsCheckOutput sends testdata's prints in one
// multipart request: the answer is byte for byte what check prints for
// the same files (named alike: check runs in their folder).
func TestServeMultipartIsCheckOutput(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "finger"))
	require.NoError(t, err)
	names, _ := filepath.Glob(filepath.Join(dir, "synthetic_good_*.png"))
	require.NotEmpty(t, names)
	sort.Strings(names)
	if serveRace {
		names = names[:1]
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, exit, stderr := startServe(t, ctx, "-j", "2", "-set", "finger.recapture_below=30")

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	var rel []string
	for _, n := range names {
		rel = append(rel, filepath.Base(n))
		w, err := mw.CreateFormFile("file", filepath.Base(n))
		require.NoError(t, err)
		data, err := os.ReadFile(n)
		require.NoError(t, err)
		_, _ = w.Write(data)
	}
	require.NoError(t, mw.WriteField("modality", "finger"))
	require.NoError(t, mw.Close())
	resp, err := http.Post(base+"/v1/assess", mw.FormDataContentType(), &body)
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, "%s", got)
	cancel()
	assert.Equal(t, 0, <-exit, stderr.String())

	t.Chdir(dir)
	_, want, cliErr := runCLI(t, append([]string{"check", "-q", "-format", "json", "-modality", "finger", "-set", "finger.recapture_below=30"}, rel...)...)
	require.NotEmpty(t, want, cliErr)
	assert.Equal(t, want, string(got))
}

// TestServeUsageErrors checks the flags serve refuses (exit 2), without
// ever binding a non-loopback address.
func TestServeUsageErrors(t *testing.T) {
	short := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(short, []byte("abc\n"), 0o600))
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-addr", "0.0.0.0:0"}, "not a loopback address"},
		{[]string{"-addr", ":0"}, "not a loopback address"},
		{[]string{"-addr", "127.0.0.1:0", "-log", "xml"}, "-log"},
		{[]string{"-addr", "127.0.0.1:0", "-token-file", short}, "at least 16"},
		{[]string{"-addr", "127.0.0.1:0", "-tls-cert", "x.pem"}, "go together"},
		{[]string{"-addr", "127.0.0.1:0", "-j", "0"}, "-j"},
		{[]string{"-addr", "127.0.0.1:0", "-profile", "nope"}, "nope"},
		{[]string{"-addr", "127.0.0.1:0", "-set", "face.min_inter_eye_px=abc"}, "abc"},
		{[]string{"-addr", "127.0.0.1:0", "extra"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"serve"}, tt.args...)...)
			assert.Equal(t, exitError, code)
			assert.Contains(t, stderr, tt.want)
		})
	}
}

// TestServeLogsNoNames checks the access log: one JSON line per request
// with method, route, status, duration, sizes and request id, and neither
// the sample's name nor the query string.
func TestServeLogsNoNames(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	base, exit, stderr := startServe(t, ctx)
	resp, err := http.Post(base+"/v1/assess?name=secret-person-name.png", "image/png", strings.NewReader("not an image"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)
	cancel()
	require.Equal(t, 0, <-exit)
	log := stderr.String()
	assert.NotContains(t, log, "secret-person-name")
	assert.NotContains(t, log, "not an image")
	var line map[string]any
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, `"msg":"request"`) {
			require.NoError(t, json.Unmarshal([]byte(l), &line))
		}
	}
	require.NotNil(t, line, log)
	for _, k := range []string{"request_id", "method", "path", "status", "duration", "bytes_in", "bytes_out"} {
		assert.Contains(t, line, k)
	}
	assert.Equal(t, "/v1/assess", line["path"])
	assert.Equal(t, 400.0, line["status"])
	assert.Equal(t, float64(len("not an image")), line["bytes_in"])
}
