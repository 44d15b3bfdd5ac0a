package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gateHook blocks assessments until released, and counts them.
type gateHook struct {
	entered chan struct{}
	release chan struct{}
	fn      func(context.Context)
}

func newGateHook() *gateHook {
	h := &gateHook{entered: make(chan struct{}, 64), release: make(chan struct{})}
	h.fn = func(context.Context) {
		h.entered <- struct{}{}
		<-h.release
	}
	return h
}

// wait waits at most 10 s for an assessment to enter the hook.
func (h *gateHook) wait(t *testing.T) {
	t.Helper()
	select {
	case <-h.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("no assessment reached the worker within 10 s")
	}
}

// waitFor polls cond every 10 ms for at most 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// healthy checks that the server still answers an assessment.
func healthy(t *testing.T, client *http.Client, base string, img []byte) {
	t.Helper()
	resp, err := client.Post(base+"/v1/assess?modality=finger", "image/png", bytes.NewReader(img))
	require.NoError(t, err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "the server keeps serving")
}

// TestServeOverload fills the single worker and the queue: the next
// request is answered 503 with Retry-After at once, and the server
// recovers when the work is done.
func TestServeOverload(t *testing.T) {
	s := newServer(t, Config{Workers: 1, Queue: 1})
	hook := newGateHook()
	s.hookAssess.Store(&hook.fn)
	base, client := live(t, s)
	img := fingerPNG(t, 0)

	// One request assessing, one queued for the worker.
	results := make(chan int, 2)
	for range 2 {
		go func() {
			resp, err := client.Post(base+"/v1/assess?modality=finger", "image/png", bytes.NewReader(img))
			if err != nil {
				results <- -1
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			results <- resp.StatusCode
		}()
	}
	hook.wait(t)
	waitFor(t, "two admitted requests", func() bool { return testutil.ToFloat64(s.metrics.admitted) == 2 })

	start := time.Now()
	resp, err := client.Post(base+"/v1/assess", "image/png", bytes.NewReader(img))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, "1", resp.Header.Get("Retry-After"))
	assert.Equal(t, CodeBusy, decodeProblem(t, b).Code)
	assert.Less(t, elapsed, 2*time.Second, "overload is answered at once, not after queuing")
	assert.Equal(t, 1.0, testutil.ToFloat64(s.metrics.rejected.WithLabelValues(CodeBusy)))

	close(hook.release) // the worker finishes both
	assert.Equal(t, 200, <-results)
	assert.Equal(t, 200, <-results)
	healthy(t, client, base, img)
	waitFor(t, "slots released", func() bool {
		return testutil.ToFloat64(s.metrics.admitted) == 0 && testutil.ToFloat64(s.metrics.busy) == 0
	})
}

// TestServeTimeout: an assessment that outlives the request's deadline is
// answered 504; the server keeps serving once the worker is free.
func TestServeTimeout(t *testing.T) {
	s := newServer(t, Config{Workers: 1, Timeout: 200 * time.Millisecond})
	hook := newGateHook()
	s.hookAssess.Store(&hook.fn)
	base, client := live(t, s)
	img := fingerPNG(t, 0)

	resp, err := client.Post(base+"/v1/assess", "image/png", bytes.NewReader(img))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 504, resp.StatusCode)
	assert.Equal(t, CodeTimeout, decodeProblem(t, b).Code)

	// The worker is still held by the abandoned assessment: a request
	// queued behind it times out too, then all is well once released.
	hook.wait(t)
	close(hook.release)
	s.hookAssess.Store(nil)
	waitFor(t, "worker released", func() bool { return testutil.ToFloat64(s.metrics.busy) == 0 })
	// A quick assessment goes through the worker within the deadline.
	resp, err = client.Post(base+"/v1/assess", "image/png", bytes.NewReader(tinyPNG(t)))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 422, resp.StatusCode)
}

// rawConn opens a TCP connection to the server at base (http://host:port).
func rawConn(t *testing.T, base string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// serveLive serves s with its own http.Server (its timeouts, unlike
// httptest's) on 127.0.0.1 until the test ends.
func serveLive(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	return "http://" + ln.Addr().String()
}

// TestServeFaults sends what broken or hostile clients send, on raw
// connections: each gets its answer (or the connection is dropped) and the
// server keeps serving.
func TestServeFaults(t *testing.T) {
	s := newServer(t, Config{
		Workers: 2, MaxBodyBytes: 256 << 10,
		ReadHeaderTimeout: 300 * time.Millisecond, ReadTimeout: 600 * time.Millisecond,
	})
	base := serveLive(t, s)
	client := &http.Client{Transport: &validating{t: t, next: http.DefaultTransport}}
	img := fingerPNG(t, 1)
	header := func(n int) string {
		return fmt.Sprintf("POST /v1/assess HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: %d\r\n\r\n", n)
	}
	// status reads the response's status line; 0 when the server closed
	// the connection without one.
	status := func(c net.Conn) int {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	tests := []struct {
		name   string
		run    func(c net.Conn)
		status int
	}{
		{"truncated upload", func(c net.Conn) {
			io.WriteString(c, header(len(img))+string(img[:len(img)/2]))
			c.(*net.TCPConn).CloseWrite()
		}, 400},
		{"slow headers", func(c net.Conn) {
			io.WriteString(c, "POST /v1/assess HTTP/1.1\r\nHost: x\r\n")
			// ... and nothing more: ReadHeaderTimeout drops the connection.
		}, 0},
		{"slow body", func(c net.Conn) {
			io.WriteString(c, header(len(img))+string(img[:100]))
			// ... and nothing more: ReadTimeout ends the body's read.
		}, 408},
		{"declared body over the limit", func(c net.Conn) {
			io.WriteString(c, header(1<<20))
		}, 413},
		{"chunked body over the limit", func(c net.Conn) {
			io.WriteString(c, "POST /v1/assess HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n")
			chunk := strings.Repeat("z", 16<<10)
			for range 20 {
				fmt.Fprintf(c, "%x\r\n%s\r\n", len(chunk), chunk)
			}
			io.WriteString(c, "0\r\n\r\n")
		}, 413},
		{"huge header", func(c net.Conn) {
			io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("h", 2*DefaultMaxHeaderBytes)+"\r\n\r\n")
		}, 431},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := rawConn(t, base)
			tt.run(c)
			assert.Equal(t, tt.status, status(c))
			healthy(t, client, base, img)
		})
	}

	t.Run("client disconnects mid-request", func(t *testing.T) {
		c := rawConn(t, base)
		io.WriteString(c, header(len(img))+string(img[:len(img)/2]))
		time.Sleep(50 * time.Millisecond)
		c.Close()
		healthy(t, client, base, img)
	})

	t.Run("client disconnects while assessed", func(t *testing.T) {
		hook := newGateHook()
		s.hookAssess.Store(&hook.fn)
		c := rawConn(t, base)
		io.WriteString(c, header(len(img))+string(img))
		hook.wait(t)
		c.Close()
		time.Sleep(50 * time.Millisecond)
		close(hook.release)
		s.hookAssess.Store(nil)
		healthy(t, client, base, img)
	})

	waitFor(t, "every slot released", func() bool {
		return testutil.ToFloat64(s.metrics.admitted) == 0 && testutil.ToFloat64(s.metrics.busy) == 0
	})
	assert.GreaterOrEqual(t, testutil.ToFloat64(s.metrics.rejected.WithLabelValues(CodeTruncated)), 1.0)
	assert.GreaterOrEqual(t, testutil.ToFloat64(s.metrics.rejected.WithLabelValues(CodeSlowClient)), 1.0)
}

// TestServeShutdown: when Serve's context ends (SIGTERM in biogate serve),
// an in-flight request still completes, /readyz would say 503, and Serve
// returns nil.
func TestServeShutdown(t *testing.T) {
	s := newServer(t, Config{Workers: 1})
	hook := newGateHook()
	s.hookAssess.Store(&hook.fn)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	client := &http.Client{Transport: &validating{t: t, next: http.DefaultTransport}}
	img := fingerPNG(t, 2)
	answered := make(chan int, 1)
	go func() {
		resp, err := client.Post(base+"/v1/assess?modality=finger", "image/png", bytes.NewReader(img))
		if err != nil {
			answered <- -1
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	hook.wait(t)
	cancel() // as SIGTERM does
	waitFor(t, "draining", s.draining.Load)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	assert.Equal(t, 503, rec.Code, "not ready while shutting down")
	assert.Equal(t, "1", rec.Header().Get("Retry-After"))
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) before the in-flight request finished", err)
	case <-time.After(200 * time.Millisecond):
	}
	close(hook.release)
	assert.Equal(t, 200, <-answered, "the in-flight request completes")
	assert.NoError(t, <-served)
	_, err = http.Get(base + "/healthz")
	assert.Error(t, err, "no new connections after shutdown")
}
